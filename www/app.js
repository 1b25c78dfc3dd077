// @ts-check
// The page: opening files (picker, drop anywhere, the built-in example, ?capture=<path of this
// site>&stream=N), the summary above the list, progress, readable errors, the frame grid with
// its display filter, time formats and resizable columns, the selected frame's detail tree and
// bytes, the splitters between the panes, Follow TCP stream, the chosen connection's ladder with
// its exports, the keyboard shortcuts, and the view kept in the address's hash
// (#filter=…&frame=N&stream=N). The capture is read in www/worker.js, asked through
// www/client.js.
//
// Requests the worker may not know yet (display filters, details, follow) time out politely:
// the page says it got no answer and everything else keeps working; for the filters the
// conversations table writes (tcp.stream == N, or none) it falls back to the older stream
// filter message.
//
// Packet-derived and file-derived text is only ever inserted with textContent (the ladder's
// SVG, escaped by Rust, is parsed as an SVG document in www/ladder.js).
//
// Every text the page writes comes from www/locales/ through www/i18n.js (setText / setAttr
// redraw on a language switch); file names and addresses go in as data(), never translated.

import { BLOCK, FrameGrid } from './grid.js';
import { unpackRows } from './rowtable.js';
import { Conversations } from './conversations.js';
import { LadderView, attributeText, download, svgToPng } from './ladder.js';
import { WorkerClient, isSuperseded } from './client.js';
import { TextError, data, formatNumber, getLang, has, onLangChange, parseLang, setCoreText, setLang, setText, t } from './i18n.js';
import { FilterBar, streamOfFilter } from './filterbar.js';
import { DetailTree } from './detail.js';
import { BytesView } from './bytes.js';
import { FollowDialog } from './follow.js';
import { ColumnSizer } from './columns.js';
import { splitWorkspace } from './splitter.js';
import { isEmpty, parseHash, writeHash } from './hashstate.js';

/**
 * @typedef {import('./types.js').Summary} Summary
 * @typedef {import('./types.js').FrameRow} FrameRow
 * @typedef {import('./types.js').Problem} Problem
 * @typedef {import('./types.js').Connection} Connection
 * @typedef {import('./types.js').ColorRule} ColorRule
 */

/** @param {string} id */
function $(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`index.html lacks #${id}`);
  return element;
}

const fileInput = /** @type {HTMLInputElement} */ ($('file-input'));
const exampleButton = /** @type {HTMLButtonElement} */ ($('example-button'));
const emptyState = $('empty-state');
const framesPane = $('frames-pane');
const conversationsPane = $('conversations-pane');
const detailPane = $('detail-pane');
const bytesPane = $('bytes-pane');
const detailNote = $('detail-note');
const detailFrame = $('detail-frame');
const detailVerify = /** @type {HTMLInputElement} */ ($('detail-verify'));
const followButton = /** @type {HTMLButtonElement} */ ($('follow-button'));
const bytesNote = $('bytes-note');
const timeFormat = /** @type {HTMLSelectElement} */ ($('time-format'));
const gotoForm = /** @type {HTMLFormElement} */ ($('goto-form'));
const gotoInput = /** @type {HTMLInputElement} */ ($('goto-input'));
const gotoButton = /** @type {HTMLButtonElement} */ ($('goto-button'));
const gotoNote = $('goto-note');
const keysDialog = /** @type {HTMLDialogElement} */ ($('keys-dialog'));
const followDialog = /** @type {HTMLDialogElement} */ ($('follow-dialog'));
const legendButton = /** @type {HTMLButtonElement} */ ($('legend-button'));
const legend = $('legend');
const captureInfo = $('capture-info');
const progress = $('progress');
const progressBar = /** @type {HTMLProgressElement} */ ($('progress-bar'));
const progressText = $('progress-text');
const messages = $('messages');
const status = $('status');
const dropOverlay = $('drop-overlay');
const workspace = /** @type {HTMLElement} */ (document.querySelector('main.workspace'));
const ladderPane = $('ladder-pane');
const ladderLang = /** @type {HTMLSelectElement} */ ($('ladder-lang'));
const ladderAxis = /** @type {HTMLSelectElement} */ ($('ladder-axis'));
const ladderExpand = /** @type {HTMLInputElement} */ ($('ladder-expand'));
const ladderNote = $('ladder-note');
const ladderCopy = $('ladder-copy');
const ladderCopyText = /** @type {HTMLTextAreaElement} */ ($('ladder-copy-text'));
const pageLang = /** @type {HTMLSelectElement} */ ($('page-lang'));

// The page's language was set before the first paint (www/page-lang.js).
pageLang.value = getLang();

// ?readers=1 or ?readers=2 reads captures in one Worker, or in two (reading and keeping apart),
// whatever the machine (see worker.js): for comparing the two.
const readers = new URLSearchParams(location.search).get('readers');
const workerUrl = new URL(`./worker.js${readers === '1' || readers === '2' ? `?readers=${readers}` : ''}`, import.meta.url);
const client = new WorkerClient(new Worker(workerUrl, { type: 'module', name: 'tcp-timeline' }), {
  onEvent: onWorkerEvent,
  onFailure(event) {
    event.preventDefault();
    document.body.dataset.state = 'failed';
    progress.hidden = true;
    showError(event.message ? { key: 'error.workerDetail', params: { detail: data(event.message) } } : { key: 'error.worker' });
  },
});

/** How long to wait for a first answer to a request the worker may not know yet (ms). */
const FILTER_PROBE_MS = 3000;
const DETAIL_WAIT_MS = 5000;
const FOLLOW_WAIT_MS = 10000;

/** Frames in the capture, and the first one's time (epoch seconds), for the viewer's time zone. */
let totalFrames = 0;
/** @type {number | null} */
let firstEpoch = null;
/** The display filter in effect on the list ('' for none). */
let appliedFilter = '';
/** The frame selected in the list (its number), and the stream whose ladder is drawn. */
/** @type {number | null} */
let selectedFrame = null;
/** @type {number | null} */
let ladderStream = null;
/** The capture shown: its name, and its address when it is one of this site's files. */
let capture = { name: '', url: /** @type {string | null} */ (null) };
/** A stream to open once the capture is read (from ?stream=N). */
/** @type {number | null} */
let streamOnLoad = null;
/** The view to restore once the capture is read: from the hash on load, or re-opening the same file. */
/** @type {import('./hashstate.js').ViewState | null} */
let stateOnLoad = isEmpty(parseHash(location.hash)) ? null : parseHash(location.hash);
/** The hash follows the view only once a capture is read and its view restored. */
let hashLive = false;

/**
 * Asks the worker for rows [start, start + count) of the list.
 * @param {number} start
 * @param {number} count
 * @returns {Promise<FrameRow[]>}
 */
function askRows(start, count) {
  return client.request('rows', { start, count }).then((answer) => unpackRows(answer.rows));
}

/** The list's first block of rows, asked for with the first frames of a large capture, before
 * the list is shown (see showFramesSoFar): the worker works on them while the page waits, so
 * that the list appears with its rows. */
/** @type {Promise<FrameRow[]> | null} */
let firstRows = null;
/** Whether `firstRows` has its answer. */
let firstRowsReady = false;

const grid = new FrameGrid(/** @type {HTMLElement} */ ($('frame-grid')), {
  fetchRows(start, count) {
    // Only while reading: once the capture is read, its rows are final and asked for again.
    const early = start === 0 && count === BLOCK && document.body.dataset.state === 'reading' ? firstRows : null;
    firstRows = null;
    if (!early) return askRows(start, count);
    // Frames read later are in a later block; a block cut short is asked for again.
    return early.then((rows) => (rows.length === count ? rows : askRows(start, count)));
  },
  onSelect(index, row) {
    if (row) setText(status, 'status.frameSelected', { frame: String(row.number), total: totalFrames });
    else setText(status, 'status.rowSelected', { row: String(index + 1), total: grid.count });
    if (!row) return;
    if (row.number !== selectedFrame) {
      selectedFrame = row.number;
      scheduleHash();
    }
    wantDetail(row.number);
    if (ladder.stream !== null) ladder.highlight(row.number);
  },
});

const columns = new ColumnSizer(grid.root, /** @type {HTMLElement[]} */ ([...grid.head.querySelectorAll('[role=columnheader]')]), [
  'frames.col.number', 'frames.col.time', 'frames.col.source', 'frames.col.destination', 'frames.col.protocol', 'frames.col.length', 'frames.col.info',
]);

// The splitters beside the ladder (which it can collapse to a strip) and under the list.
splitWorkspace(workspace);

const ladder = new LadderView({
  host: $('ladder-view'),
  explanation: $('ladder-explanation'),
  call: (method, ...args) => client.call(method, ...args),
  async onChoose(frame) {
    // The list shows the ladder's stream: select the frame's row there.
    await selectFrame(frame);
  },
});
ladderLang.value = getLang();

const conversations = new Conversations(/** @type {HTMLTableElement} */ ($('conversations')), {
  onChoose(stream) {
    // Choosing the chosen connection again shows every frame; a connection opens on its first frame.
    const text = streamOfFilter(appliedFilter) === stream ? '' : `tcp.stream == ${stream}`;
    filterBar.setText(text);
    applyFilter(text, { keep: false });
  },
});

const filterBar = new FilterBar({
  form: /** @type {HTMLFormElement} */ ($('filter-bar')),
  input: /** @type {HTMLInputElement} */ ($('filter-input')),
  mirror: $('filter-mirror'),
  clear: /** @type {HTMLButtonElement} */ ($('filter-clear')),
  history: /** @type {HTMLDataListElement} */ ($('filter-history')),
  count: $('filter-count'),
  error: $('filter-error'),
  errorText: $('filter-message'),
  onApply(text) {
    applyFilter(text, { keep: true });
  },
});

// Display filters ----------------------------------------------------------------------------

/** Whether the worker answers display-filter requests: learnt from its first answer, or silence. */
/** @type {'unknown' | 'yes' | 'no'} */
let displayFilters = 'unknown';
/**
 * A display filter being applied (only the latest counts).
 * @typedef {{ text: string, open: number, frame: number | null, keep: boolean, legacy: boolean, timer: number }} FilterRequest
 */
/** @type {FilterRequest | null} */
let filterRequest = null;

/**
 * Applies display filter `text` ('' for every frame). With `frame`, that frame is selected once
 * the list is filtered; else, with `keep`, the frame selected now stays selected when listed.
 * @param {string} text
 * @param {{ frame?: number | null, keep: boolean }} how
 */
function applyFilter(text, how) {
  if (document.body.dataset.state !== 'loaded' || framesPane.hidden) return;
  if (filterRequest) clearTimeout(filterRequest.timer);
  /** @type {FilterRequest} */
  const request = { text, open: client.opens, frame: how.frame ?? null, keep: how.keep, legacy: false, timer: 0 };
  filterRequest = request;
  filterBar.busy();
  if (text.trim() !== '') setText(status, 'status.filtering', { filter: data(text.trim()) });
  // The filters the older message can express go that way at once once the worker is known
  // not to answer display filters; any other is still asked (a late answer is applied).
  const legacyable = text.trim() === '' || streamOfFilter(text) !== null;
  if (displayFilters === 'no' && legacyable) {
    legacyFilter(request);
    return;
  }
  client.request('display-filter', { text }, {
    onProgress(message) {
      displayFilters = 'yes';
      if (filterRequest !== request) return;
      clearTimeout(request.timer);
      showFilterProgress(message.done, message.total);
    },
  }).then((answer) => onDisplayFiltered(request, answer), () => {});
  if (displayFilters !== 'yes') {
    request.timer = window.setTimeout(() => {
      if (filterRequest !== request || displayFilters === 'yes') return;
      displayFilters = 'no';
      if (legacyable) legacyFilter(request);
      else filterUnavailable();
    }, FILTER_PROBE_MS);
  }
}

/** The worker did not answer a display filter the older message cannot express. */
function filterUnavailable() {
  filterBar.unavailable('filter.unsupported');
  setText(status, 'status.filterRefused');
}

/**
 * Applies `request` with the older stream filter message, for the filters it can express.
 * @param {FilterRequest} request
 */
async function legacyFilter(request) {
  const stream = streamOfFilter(request.text);
  if (stream === null && request.text.trim() !== '') {
    filterUnavailable();
    return;
  }
  request.legacy = true;
  /** @type {number} */
  let count;
  try {
    ({ count } = await client.request('filter', { stream }));
  } catch {
    return; // superseded by another file
  }
  if (filterRequest !== request || !client.isCurrent(request.open)) return;
  filtered(request, count);
}

/**
 * The worker's answer to display filter `request`.
 * @param {FilterRequest} request
 * @param {import('./protocol.js').DisplayFilteredAnswer} message
 */
function onDisplayFiltered(request, message) {
  displayFilters = 'yes';
  if (filterRequest !== request || request.legacy || message.superseded) return;
  clearTimeout(request.timer);
  progress.hidden = true;
  if (message.error) {
    filterRequest = null;
    // The list stays as it was, under the filter still in effect.
    filterBar.refused(request.text, message.error);
    setText(status, 'status.filterRefused');
    return;
  }
  filtered(request, message.count ?? 0);
}

/**
 * The list now shows the `count` frames that pass `request`'s filter.
 * @param {FilterRequest} request
 * @param {number} count
 */
function filtered(request, count) {
  filterRequest = null;
  progress.hidden = true;
  const text = request.text;
  appliedFilter = text.trim();
  filterBar.accepted(appliedFilter, count, totalFrames);
  const stream = streamOfFilter(appliedFilter);
  conversations.setChosen(stream);
  const previous = selectedFrame;
  grid.reset(count);
  selectedFrame = null;
  if (stream !== null) showLadder(stream);
  else hideLadder();
  if (appliedFilter === '') setText(status, 'status.showingAll', { count: totalFrames });
  else setText(status, 'status.showingFiltered', { shown: count, total: totalFrames, filter: data(appliedFilter) });
  const wanted = request.frame ?? (request.keep ? previous : null);
  if (wanted !== null) {
    selectFrame(wanted).then((found) => {
      if (!found && client.isCurrent(request.open)) clearDetail();
      updateHash();
    });
  } else {
    clearDetail();
    updateHash();
  }
}

/**
 * Selects frame `number` in the list when it is listed; resolves to whether it is.
 * @param {number} number
 */
async function selectFrame(number) {
  const open = client.opens;
  const index = await client.call('row_index', number).catch(() => undefined);
  if (!client.isCurrent(open) || typeof index !== 'number') return false;
  grid.select(index);
  return true;
}

// The detail tree and the bytes ----------------------------------------------------------------

/** The frame whose detail is wanted (the selected one), the one on show, and the request under way. */
/** @type {number | null} */
let detailWanted = null;
/** @type {number | null} */
let detailShown = null;
/** @type {{ number: number } | null} */
let detailInFlight = null;
/** A frame whose request got no answer in time: not asked again until another frame is chosen. */
/** @type {number | null} */
let detailTimedOut = null;
/** The TCP stream of the frame on show (null: not TCP). */
/** @type {number | null} */
let detailStream = null;

const detailTree = new DetailTree($('detail-tree'), {
  onSelect(node) {
    if (node?.span) {
      bytesView.highlight(node.span[0], node.span[1]);
      setText(bytesNote, 'bytes.selection', { field: data(node.field ?? ''), count: node.span[1], offset: node.span[0] });
      if (!node.field) setText(bytesNote, 'bytes.selectionPlain', { count: node.span[1], offset: node.span[0] });
    } else {
      bytesView.highlight(0, 0);
      setText(bytesNote, node?.field ? 'bytes.field' : null, node?.field ? { field: data(node.field) } : undefined);
    }
  },
  expertTitle(severity, group) {
    return t('detail.expert', { severity: { key: `expert.${severity}` }, group });
  },
});

const bytesView = new BytesView($('bytes-view'), {
  onByte(offset) {
    if (!detailTree.chooseByte(offset)) {
      bytesView.highlight(0, 0);
      setText(bytesNote, null);
    }
  },
});

/**
 * Asks for frame `number`'s detail (the latest wins; one request at a time).
 * @param {number} number
 */
function wantDetail(number) {
  if (number !== detailWanted) detailTimedOut = null;
  detailWanted = number;
  pumpDetail();
}

function pumpDetail() {
  const number = detailWanted;
  if (detailInFlight || number === null || number === detailShown || number === detailTimedOut) return;
  const open = client.opens;
  if (detailShown === null) setText(detailNote, 'detail.loading', { frame: String(number) });
  detailNote.hidden = detailShown !== null;
  const request = { number };
  detailInFlight = request;
  client.request('detail', { number, verify: detailVerify.checked }, {
    wait: DETAIL_WAIT_MS,
    onWait() {
      if (detailInFlight !== request) return;
      // No answer yet (a busy worker, or one without details): say so, and let another
      // choice ask at once; a late answer is still shown.
      detailInFlight = null;
      detailTimedOut = number;
      if (client.isCurrent(open) && detailWanted === number) {
        setText(detailNote, 'detail.noAnswer', { frame: String(number) });
        detailNote.hidden = false;
      }
      pumpDetail();
    },
  }).then(
    (answer) => {
      if (detailInFlight === request) detailInFlight = null;
      if (client.isCurrent(open) && answer.number === detailWanted) showDetail(answer);
      pumpDetail();
    },
    (error) => {
      if (detailInFlight === request) detailInFlight = null;
      if (client.isCurrent(open) && number === detailWanted && !isSuperseded(error)) {
        detailShown = number;
        detailTree.clear();
        bytesView.clear();
        setText(detailNote, 'detail.failed', { frame: String(number), detail: data(error.message) });
        detailNote.hidden = false;
      }
      pumpDetail();
    },
  );
}

/**
 * Shows a frame's detail tree and bytes.
 * @param {import('./protocol.js').DetailAnswer} answer
 */
function showDetail(answer) {
  detailShown = answer.number;
  detailNote.hidden = true;
  setText(detailFrame, 'detail.frame', { frame: String(answer.number) });
  bytesView.show(answer.bytes instanceof Uint8Array ? answer.bytes : new Uint8Array(answer.bytes ?? []));
  setText(bytesNote, null);
  detailTree.show(Array.isArray(answer.tree) ? answer.tree : []);
  detailStream = typeof answer.stream === 'number' ? answer.stream : streamOfTree();
  followButton.disabled = detailStream === null;
  detailPane.dataset.frame = String(answer.number);
  updateMenu();
}

/** The TCP stream of the frame shown, from its tree's [Stream index: N] under TCP. */
function streamOfTree() {
  const node = detailTree.fieldNode('tcp.stream');
  const match = node ? /:\s*(\d+)/.exec(node.label) : null;
  return match ? Number(match[1]) : null;
}

/** Nothing selected: the panes say how to fill them. */
function clearDetail() {
  detailWanted = null;
  detailTimedOut = null;
  detailShown = null;
  detailStream = null;
  detailTree.clear();
  bytesView.clear();
  setText(detailFrame, null);
  setText(bytesNote, null);
  setText(detailNote, 'detail.hint');
  detailNote.hidden = false;
  followButton.disabled = true;
  delete detailPane.dataset.frame;
  closeMenu(false);
}

detailVerify.addEventListener('change', () => {
  if (detailShown === null) return;
  const number = detailShown;
  detailShown = null;
  wantDetail(number);
});

// Follow TCP stream ----------------------------------------------------------------------------

const follow = new FollowDialog(followDialog, {
  fetch(stream, format) {
    return client.request('follow', { stream, format }, {
      wait: FOLLOW_WAIT_MS,
      onWait() {
        follow.waiting('follow.noAnswer');
      },
    });
  },
});

/**
 * Follows the selected frame's TCP stream: the dialog, and the list filtered to the stream (as
 * Wireshark does), the frame kept selected.
 */
function followSelected() {
  if (detailStream === null || framesPane.hidden) return;
  const stream = detailStream;
  const text = `tcp.stream == ${stream}`;
  if (appliedFilter !== text) {
    filterBar.setText(text);
    applyFilter(text, { frame: detailShown, keep: true });
  }
  follow.open(stream);
}

followButton.addEventListener('click', followSelected);

// Time formats, go to frame ----------------------------------------------------------------------

const TIME_KEY = 'tcp-timeline.time-format';
const TIME_FORMATS = ['relative', 'delta', 'delta_captured', 'absolute', 'utc', 'epoch'];
try {
  const saved = localStorage.getItem(TIME_KEY);
  if (saved && TIME_FORMATS.includes(saved)) timeFormat.value = saved;
} catch {
  // storage refused: the default format
}
grid.root.dataset.time = timeFormat.value;

/** Tells the worker the Time column's format (minutes east of UTC: the viewer's zone then). */
function sendTimeFormat() {
  const at = firstEpoch === null ? new Date() : new Date(firstEpoch * 1000);
  const offset = Number.isNaN(at.getTime()) ? 0 : -at.getTimezoneOffset();
  return client.call('set_time_format', timeFormat.value, offset);
}

timeFormat.addEventListener('change', async () => {
  try {
    localStorage.setItem(TIME_KEY, timeFormat.value);
  } catch {
    // storage refused
  }
  grid.root.dataset.time = timeFormat.value;
  columns.resetColumn(1);
  if (document.body.dataset.state !== 'loaded' || framesPane.hidden) return;
  const open = client.opens;
  try {
    await sendTimeFormat();
  } catch (error) {
    if (client.isCurrent(open) && !isSuperseded(error)) showError(errorMessage(error));
    return;
  }
  if (client.isCurrent(open)) grid.refresh();
});

/** @param {boolean} show */
function showGoto(show) {
  gotoForm.hidden = !show;
  gotoButton.setAttribute('aria-expanded', String(show));
  setText(gotoNote, null);
  if (show) {
    gotoInput.value = '';
    gotoInput.focus();
  }
}

gotoButton.addEventListener('click', () => showGoto(gotoForm.hidden));
$('goto-cancel').addEventListener('click', () => {
  showGoto(false);
  grid.root.focus({ preventScroll: true });
});
gotoForm.addEventListener('keydown', (event) => {
  if (event.key !== 'Escape') return;
  event.preventDefault();
  event.stopPropagation();
  showGoto(false);
  grid.root.focus({ preventScroll: true });
});
gotoForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = gotoInput.value.trim();
  const number = Number(text);
  if (!/^\d+$/.test(text) || number < 1) {
    setText(gotoNote, 'goto.invalid');
    return;
  }
  const open = client.opens;
  const index = await client.call('row_index', number).catch(() => undefined);
  if (!client.isCurrent(open)) return;
  if (typeof index !== 'number') {
    setText(gotoNote, number > totalFrames ? 'goto.beyond' : 'goto.notListed', { frame: String(number), count: totalFrames });
    return;
  }
  showGoto(false);
  grid.select(index);
  grid.root.focus({ preventScroll: true });
});

// A frame's context menu ------------------------------------------------------------------------

const rowMenu = $('row-menu');
const menuFollow = /** @type {HTMLButtonElement} */ ($('menu-follow'));
const menuStream = /** @type {HTMLButtonElement} */ ($('menu-stream'));
const menuDetails = /** @type {HTMLButtonElement} */ ($('menu-details'));
rowMenu.tabIndex = -1;
/** The frame the menu is about (its items need its details: they wait for them). */
/** @type {number | null} */
let menuFrame = null;

/** The items that can be chosen now. */
function menuItems() {
  return /** @type {HTMLButtonElement[]} */ ([...rowMenu.querySelectorAll('[role=menuitem]')]).filter((item) => !item.disabled);
}

function updateMenu() {
  const ready = menuFrame !== null && detailShown === menuFrame;
  menuFollow.disabled = !ready || detailStream === null;
  menuStream.disabled = menuFollow.disabled;
  menuDetails.disabled = !ready;
  // Opened before the details came: the first item takes the focus once it can.
  if (!rowMenu.hidden && document.activeElement === rowMenu) menuItems()[0]?.focus();
}

/**
 * Opens the menu for the selected frame at (x, y), kept within the window.
 * @param {number} x
 * @param {number} y
 */
function openMenu(x, y) {
  menuFrame = selectedFrame;
  rowMenu.hidden = false;
  const box = rowMenu.getBoundingClientRect();
  rowMenu.style.left = `${Math.max(0, Math.min(x, window.innerWidth - box.width - 4))}px`;
  rowMenu.style.top = `${Math.max(0, Math.min(y, window.innerHeight - box.height - 4))}px`;
  updateMenu();
  (menuItems()[0] ?? rowMenu).focus();
}

/** @param {boolean} refocus */
function closeMenu(refocus) {
  if (rowMenu.hidden) return;
  rowMenu.hidden = true;
  menuFrame = null;
  if (refocus) grid.root.focus({ preventScroll: true });
}

grid.body.addEventListener('contextmenu', (event) => {
  const row = /** @type {HTMLElement | null} */ (/** @type {Element} */ (event.target).closest('[role=row]'));
  if (!row || row.dataset.index === undefined) return;
  event.preventDefault();
  grid.select(Number(row.dataset.index));
  openMenu(event.clientX, event.clientY);
});

grid.root.addEventListener('keydown', (event) => {
  if (event.key !== 'ContextMenu' && !(event.shiftKey && event.key === 'F10')) return;
  if (grid.selected < 0) return;
  event.preventDefault();
  const row = document.getElementById(`frame-row-${grid.selected}`);
  const box = (row ?? grid.root).getBoundingClientRect();
  openMenu(box.left + 48, box.bottom);
});

rowMenu.addEventListener('keydown', (event) => {
  const items = menuItems();
  const at = items.indexOf(/** @type {HTMLButtonElement} */ (document.activeElement));
  /** @type {Record<string, number>} */
  const moves = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: items.length - 1 };
  if (event.key in moves && items.length > 0) {
    event.preventDefault();
    items[(moves[event.key] + items.length) % items.length].focus();
  } else if (event.key === 'Escape' || event.key === 'Tab') {
    event.preventDefault();
    event.stopPropagation();
    closeMenu(true);
  }
});

document.addEventListener('pointerdown', (event) => {
  if (!rowMenu.hidden && !(event.target instanceof Node && rowMenu.contains(event.target))) closeMenu(false);
});

menuFollow.addEventListener('click', () => {
  closeMenu(false);
  followSelected();
});
menuStream.addEventListener('click', () => {
  const frame = menuFrame;
  closeMenu(true);
  if (detailStream === null) return;
  const text = `tcp.stream == ${detailStream}`;
  filterBar.setText(text);
  applyFilter(text, { frame, keep: true });
});
menuDetails.addEventListener('click', () => {
  closeMenu(false);
  detailTree.root.focus({ preventScroll: true });
});

// The address's hash ---------------------------------------------------------------------------

let hashTimer = 0;

/** Writes the view into the hash a little later (moving through the list writes it once). */
function scheduleHash() {
  clearTimeout(hashTimer);
  hashTimer = window.setTimeout(updateHash, 250);
}

function updateHash() {
  clearTimeout(hashTimer);
  if (!hashLive) return;
  writeHash({ filter: appliedFilter || null, frame: selectedFrame, stream: ladderStream });
}

/**
 * Restores a view: its filter (or its stream's), then its frame.
 * @param {import('./hashstate.js').ViewState} state
 */
function restoreView(state) {
  const text = state.filter ?? (state.stream !== null ? `tcp.stream == ${state.stream}` : '');
  if (text.trim() !== appliedFilter) {
    filterBar.setText(text);
    applyFilter(text, { frame: state.frame, keep: false });
  } else if (state.frame !== null) {
    selectFrame(state.frame);
  }
}

window.addEventListener('hashchange', () => {
  if (document.body.dataset.state !== 'loaded' || framesPane.hidden) return;
  restoreView(parseHash(location.hash));
});

// Keyboard -------------------------------------------------------------------------------------

/** @param {EventTarget | null} target */
function isTyping(target) {
  return target instanceof HTMLElement && (target.isContentEditable || target.matches('input, textarea, select'));
}

document.addEventListener('keydown', (event) => {
  const loaded = document.body.dataset.state === 'loaded' && !framesPane.hidden;
  const ctrl = event.ctrlKey || event.metaKey;
  if (document.querySelector('dialog[open]')) return;
  if (loaded && ctrl && event.altKey && event.shiftKey && event.code === 'KeyT') {
    event.preventDefault();
    followSelected();
  } else if (loaded && ctrl && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'f') {
    event.preventDefault();
    filterBar.input.focus();
    filterBar.input.select();
  } else if (loaded && ctrl && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'g') {
    event.preventDefault();
    showGoto(true);
  } else if (!ctrl && !event.altKey && !isTyping(event.target)) {
    if (loaded && event.key === '/') {
      event.preventDefault();
      filterBar.input.focus();
      filterBar.input.select();
    } else if (event.key === '?') {
      event.preventDefault();
      keysDialog.showModal();
    }
  }
});

// Enter in the list: to the selected frame's layers.
grid.root.addEventListener('keydown', (event) => {
  if (event.key !== 'Enter' || event.altKey || event.ctrlKey || event.metaKey || detailShown === null) return;
  event.preventDefault();
  detailTree.root.focus({ preventScroll: true });
});

$('keys-button').addEventListener('click', () => keysDialog.showModal());
$('keys-close').addEventListener('click', () => keysDialog.close());

// A click on a dialog's backdrop closes it.
for (const dialog of [keysDialog, followDialog]) {
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) {
      const box = dialog.getBoundingClientRect();
      const inside = event.clientX >= box.left && event.clientX <= box.right && event.clientY >= box.top && event.clientY <= box.bottom;
      if (!inside) dialog.close();
    }
  });
}

/** The ladder's options as the pane's controls set them. */
function ladderOptions() {
  return { lang: ladderLang.value === 'zh' ? 'zh' : 'en', proportional: ladderAxis.value === 'proportional', expand: ladderExpand.checked };
}

/**
 * Draws stream `stream`'s ladder beside the list.
 * @param {number} stream
 */
async function showLadder(stream) {
  const open = client.opens;
  const options = ladderOptions();
  ladderStream = stream;
  ladderPane.hidden = false;
  workspace.classList.add('with-ladder');
  ladderPane.dataset.state = 'drawing';
  setText($('ladder-stream'), 'ladder.stream', { stream: String(stream) });
  try {
    await ladder.show(stream, options);
  } catch (error) {
    if (!client.isCurrent(open) || isSuperseded(error)) return;
    ladderPane.dataset.state = 'failed';
    showError(errorMessage(error));
    return;
  }
  if (!client.isCurrent(open) || ladderStream !== stream) return;
  ladderPane.dataset.stream = String(stream);
  ladderPane.dataset.lang = options.lang;
  ladderPane.dataset.state = 'ready';
}

function hideLadder() {
  ladderStream = null;
  ladder.clear();
  ladderPane.hidden = true;
  workspace.classList.remove('with-ladder');
  ladderCopy.hidden = true;
  setText(ladderNote, null);
  delete ladderPane.dataset.state;
  delete ladderPane.dataset.stream;
}

for (const control of [ladderLang, ladderAxis, ladderExpand]) {
  control.addEventListener('change', () => {
    if (ladder.stream !== null) showLadder(ladder.stream);
  });
}

pageLang.addEventListener('change', () => {
  const lang = parseLang(pageLang.value);
  if (lang) setLang(lang);
});

// After a switch of language, what is not drawn from keyed elements is drawn again, and the
// ladder follows the page (its own select can still set it apart).
onLangChange((lang) => {
  pageLang.value = lang;
  conversations.relabel();
  showLegend(legendRules);
  if (ladderLang.value !== lang) {
    ladderLang.value = lang;
    if (ladder.stream !== null) showLadder(ladder.stream);
  }
});

/** "demo-stream-0": the base of export file names. */
function exportName() {
  const base = capture.name.replace(/\.(pcapng|pcap|cap)(\.gz)?$/i, '').replace(/[^\p{L}\p{N}._-]+/gu, '_') || 'capture';
  return `${base}-stream-${ladder.stream}`;
}

/**
 * Copies `text`; where the clipboard is refused, shows it to copy by hand.
 * @param {string} text
 * @param {string} copied the key of the note that says it was copied
 */
async function copy(text, copied) {
  ladderCopy.hidden = true;
  try {
    await navigator.clipboard.writeText(text);
    setText(ladderNote, copied);
  } catch {
    ladderCopyText.value = text;
    ladderCopy.hidden = false;
    ladderCopyText.select();
    setText(ladderNote, null);
  }
}

$('ladder-svg').addEventListener('click', () => {
  if (ladder.stream === null) return;
  download(new Blob([ladder.svgText], { type: 'image/svg+xml' }), `${exportName()}.svg`);
  setText(ladderNote, 'ladder.svgDone');
});

$('ladder-png').addEventListener('click', async () => {
  if (ladder.stream === null) return;
  const name = `${exportName()}.png`;
  try {
    download(await svgToPng(ladder.svgText, 2), name);
    setText(ladderNote, 'ladder.pngDone');
  } catch (error) {
    const detail = errorMessage(error);
    showError({ key: 'error.png', params: { detail: typeof detail === 'string' ? data(detail) : detail } });
  }
});

$('ladder-mermaid').addEventListener('click', async () => {
  if (ladder.stream === null) return;
  try {
    await copy(await client.call('ladder_mermaid', ladder.stream, ladderOptions().lang), 'ladder.mermaidCopied');
  } catch (error) {
    if (!isSuperseded(error)) showError(errorMessage(error));
  }
});

$('ladder-embed').addEventListener('click', () => {
  if (ladder.stream === null) return;
  copy(embedSnippet(ladder.stream, ladderOptions().lang), 'ladder.embedCopied');
});

/**
 * The HTML that shows this ladder on another page of this site (the capture must be served
 * from the same site as www/embed.js).
 * @param {number} stream
 * @param {string} lang
 */
function embedSnippet(stream, lang) {
  const script = new URL('./embed.js', import.meta.url).href;
  const src = capture.url ?? capture.name;
  return `<script type="module" src="${attributeText(script)}"></script>\n` +
    `<tcp-timeline src="${attributeText(src)}" stream="${stream}" lang="${lang}"></tcp-timeline>\n`;
}

legendButton.addEventListener('click', () => {
  const show = legend.hidden;
  legend.hidden = !show;
  legendButton.setAttribute('aria-expanded', String(show));
});

/** The legend's rules as the core gave them, to redraw the legend in another language. */
/** @type {ColorRule[]} */
let legendRules = [];

/**
 * The core names and explains its colouring rules in English: the locale's 'rule.<id>.name' /
 * '.meaning' translate them, and an untranslated one is marked as English.
 * @param {HTMLElement} element
 * @param {string} key
 * @param {string} english
 */
function coreText(element, key, english) {
  if (has(key)) {
    element.textContent = t(key);
  } else {
    element.textContent = english;
    element.lang = 'en';
  }
}

/** @param {ColorRule[]} rules */
function showLegend(rules) {
  legendRules = rules;
  const list = $('legend-list');
  list.replaceChildren(
    ...rules.map((rule) => {
      const item = document.createElement('li');
      item.dataset.rule = rule.id;
      item.title = t('legend.rule', { fg: rule.foreground, bg: rule.background });
      const swatch = document.createElement('span');
      swatch.className = `swatch color-${rule.id}`;
      setText(swatch, 'legend.sample');
      swatch.setAttribute('aria-hidden', 'true');
      const name = document.createElement('strong');
      coreText(name, `rule.${rule.id}.name`, rule.name);
      const meaning = document.createElement('span');
      meaning.className = 'meaning';
      coreText(meaning, `rule.${rule.id}.meaning`, rule.meaning);
      // Wireshark's display filter of the rule: code, never translated.
      const filter = document.createElement('code');
      filter.className = 'filter';
      filter.translate = false;
      filter.textContent = rule.filter;
      filter.title = rule.filter;
      item.append(swatch, name, meaning, filter);
      return item;
    }),
  );
}

/**
 * What the worker says unasked about the capture being read (and that its core is warm).
 * @param {import('./protocol.js').WorkerEvent} message
 */
function onWorkerEvent(message) {
  switch (message.type) {
    case 'warm':
      // The core has read its warm-up capture: a file dropped now is read at full speed.
      document.body.dataset.core = 'warm';
      break;
    case 'started':
      readingTotal = message.total;
      showProgress(0, message.total, 0);
      break;
    case 'progress':
      showProgress(message.done, message.total, message.frames);
      if (!listedWhileReading && firstRows === null && message.frames >= BLOCK && readingTotal > SMALL_CAPTURE_BYTES) {
        const opened = client.opens;
        const answered = () => {
          if (!client.isCurrent(opened)) return;
          firstRowsReady = true;
          showFramesSoFar(framesSoFar);
        };
        firstRows = askRows(0, BLOCK);
        firstRows.then(answered, answered);
      }
      showFramesSoFar(message.frames);
      break;
    case 'summary':
      firstRows = null;
      // For tests and automation: how many Workers read the capture (1 or 2).
      document.body.dataset.readers = String(message.readers);
      showSummary(message.name, message.summary, message.connections);
      showLegend(message.rules);
      break;
    case 'error':
      document.body.dataset.state = 'failed';
      progress.hidden = true;
      showError(message.message);
      setText(status, 'status.failed');
      break;
  }
}

/**
 * Starts reading a capture (a File, or the address of one of this site's files).
 * @param {{ file: File } | { url: string, name: string }} source
 */
function open(source) {
  const name = 'file' in source ? source.file.name : source.name;
  // The same file again: back to the view the hash names; another file starts afresh.
  if (hashLive) {
    const state = parseHash(location.hash);
    stateOnLoad = name === capture.name && !isEmpty(state) ? state : null;
    if (name !== capture.name) writeHash({ filter: null, frame: null, stream: null });
  }
  hashLive = false;
  // The worker starts at once; the page clears itself meanwhile (answers about this capture
  // are handled only after this function returns). The requests about the capture shown are
  // dropped.
  const opened = client.open(source);
  listedWhileReading = false;
  firstRows = null;
  firstRowsReady = false;
  readingSince = performance.now();
  readingTotal = 'file' in source ? source.file.size : 0;
  framesSoFar = 0;
  window.setTimeout(() => {
    if (client.isCurrent(opened)) showFramesSoFar(framesSoFar);
  }, FIRST_ROWS_WAIT_MS);
  hideLadder();
  if (filterRequest) clearTimeout(filterRequest.timer);
  filterRequest = null;
  appliedFilter = '';
  selectedFrame = null;
  filterBar.setText('');
  filterBar.accepted('', 0, 0);
  detailInFlight = null;
  clearDetail();
  if (followDialog.open) followDialog.close();
  showGoto(false);
  conversations.show([]);
  conversationsPane.hidden = true;
  messages.replaceChildren();
  emptyState.hidden = true;
  captureInfo.hidden = true;
  // The panes appear with the summary, all at once (shown while reading, they would be pushed
  // down by the summary: a layout shift); only a capture still read after a moment gets its
  // list early, with room kept for the summary (showFramesSoFar).
  framesPane.hidden = true;
  detailPane.hidden = true;
  bytesPane.hidden = true;
  grid.reset(0);
  capture = { name, url: 'url' in source ? source.url : null };
  setText(status, 'status.reading', { name: data(name) });
  showProgress(0, readingTotal, 0);
  document.body.dataset.state = 'reading';
}

/** Whether the list was shown while the capture was still being read, and since when it is read. */
let listedWhileReading = false;
let readingSince = 0;
/** A capture being read gets its list shown as frames arrive, with its first rows: once they are
 * asked for, they are waited for up to this long, so that the panes and the rows are laid out
 * at once (each layout of the page takes tens of ms)... */
const FIRST_ROWS_WAIT_MS = 150;
/** ...unless it is this small: read in a moment, it is shown whole with its summary (even when
 * fetching it took a while), so its panes never move when the summary comes. */
const SMALL_CAPTURE_BYTES = 2 * 1024 * 1024;
/** The size of the capture being read (0 until known). */
let readingTotal = 0;
/** Frames read so far, as the last progress message said. */
let framesSoFar = 0;

/**
 * A large capture's list while it is read: the frames read so far (their TCP analysis as far
 * as it has gone; the rows are asked again once the whole capture is read). The panes appear
 * together, with room kept for the conversations table, so that the summary does not push the
 * list down when it comes. A small capture, read at once, shows everything with its summary.
 * @param {number} frames
 */
function showFramesSoFar(frames) {
  framesSoFar = frames;
  if (document.body.dataset.state !== 'reading' || frames === 0) return;
  if (!listedWhileReading) {
    if (readingTotal <= SMALL_CAPTURE_BYTES) return;
    const waited = performance.now() - readingSince;
    if (firstRows !== null && !firstRowsReady && waited < FIRST_ROWS_WAIT_MS) return;
    listedWhileReading = true;
    $('info-name').textContent = capture.name;
    $('info-name').title = capture.name;
    for (const id of ['info-format', 'info-links', 'info-first', 'info-span']) {
      setText($(id), null);
      $(id).textContent = '…';
    }
    captureInfo.hidden = false;
    conversationsPane.hidden = false;
    conversationsPane.classList.add('reading');
    setText($('conversations-count'), null);
    $('conversations-count').textContent = '';
    setText($('conversations-reading'), 'conv.reading');
    framesPane.hidden = false;
    detailPane.hidden = false;
    bytesPane.hidden = false;
    grid.reset(frames);
  } else {
    grid.grow(frames);
  }
  setText($('info-frames'), 'number', { n: frames });
}

/**
 * @param {number} done
 * @param {number} total
 * @param {number} frames
 */
function showProgress(done, total, frames) {
  progress.hidden = false;
  progressBar.max = Math.max(1, total);
  progressBar.value = done;
  if (total) setText(progressText, 'progress.read', { done: formatBytes(done), total: formatBytes(total), count: frames });
  else setText(progressText, 'progress.loading');
}

/**
 * A filter that reads the file again: how far it is.
 * @param {number} done bytes
 * @param {number} total bytes
 */
function showFilterProgress(done, total) {
  progress.hidden = false;
  progressBar.max = Math.max(1, total);
  progressBar.value = done;
  setText(progressText, 'progress.filter', { done: formatBytes(done), total: formatBytes(total) });
}

/**
 * @param {string} name
 * @param {Summary} summary
 * @param {import('./types.js').ConnectionTable} connections
 */
function showSummary(name, summary, connections) {
  progress.hidden = true;
  $('info-name').textContent = name;
  $('info-name').title = name;
  // The core's texts, in both languages.
  setCoreText($('info-format'), { en: summary.format ?? '—', zh: summary.zh.format ?? '—' });
  const links = (/** @type {string[]} */ names, /** @type {string} */ separator) => summary.link_types.length
    ? summary.link_types.map((link, i) => `${names[i]} (${link.code})`).join(separator)
    : '—';
  setCoreText($('info-links'), { en: links(summary.link_types.map((link) => link.name), ', '), zh: links(summary.zh.link_types, '，') });
  setText($('info-frames'), 'number', { n: summary.frames });
  $('info-first').textContent = summary.first_epoch === null ? '—' : formatDate(summary.first_epoch);
  $('info-first').title = summary.first_time ?? '';
  if (summary.time_span === null) {
    setText($('info-span'), null);
    $('info-span').textContent = '—';
  } else {
    setText($('info-span'), 'unit.s', { n: summary.time_span });
  }
  captureInfo.hidden = false;
  summary.problems.forEach((problem, i) => showProblem(problem, summary.zh.problems[i] ?? problem.message));
  // Not a capture at all: the message says why; an empty list under it would say nothing more.
  framesPane.hidden = summary.format === null;
  detailPane.hidden = framesPane.hidden;
  bytesPane.hidden = framesPane.hidden;
  totalFrames = summary.frames;
  firstEpoch = summary.first_epoch;
  // Before the first rows are asked for: the worker answers in order.
  if (timeFormat.value !== 'relative' && !framesPane.hidden) sendTimeFormat().catch(() => {});
  conversationsPane.classList.remove('reading');
  if (listedWhileReading && !framesPane.hidden) {
    // Listed while reading: where the user is stays; the rows are asked again, now final.
    grid.grow(summary.frames);
    grid.refresh();
  } else {
    grid.reset(summary.frames);
  }
  filterBar.accepted('', summary.frames, summary.frames);
  // Shown first, so the table can measure how many rows fit.
  conversationsPane.hidden = connections.length === 0;
  conversations.show(connections);
  setText($('conversations-count'), 'conv.count', { count: connections.length });
  const stopped = summary.problems.find((p) => p.fatal);
  setText(status, summary.format === null ? 'status.notCapture' : stopped ? 'status.stopped' : 'status.read', { count: summary.frames, name: data(name) });
  if (summary.frames > 0 && !listedWhileReading) grid.root.focus({ preventScroll: true });
  // For tests and automation: the page has finished reading (see also the status bar).
  document.body.dataset.state = 'loaded';
  if (framesPane.hidden) return;
  probeDisplayFilters();
  const state = stateOnLoad;
  stateOnLoad = null;
  const stream = streamOnLoad;
  streamOnLoad = null;
  if (state) {
    restoreView(state);
  } else if (stream !== null) {
    if (conversations.hasStream(stream)) {
      filterBar.setText(`tcp.stream == ${stream}`);
      applyFilter(`tcp.stream == ${stream}`, { keep: false });
    } else {
      showError({ key: 'error.noStream', params: { stream: String(stream) } });
    }
  }
  hashLive = true;
}

/**
 * Asks the worker whether it knows display filters (an empty filter: every frame), so that a
 * worker without them is known before the user's first filter.
 */
function probeDisplayFilters() {
  if (displayFilters !== 'unknown') return;
  client.request('display-filter', { text: '' }, {
    // No answer in time: the stream filters go the older way (an answer later still counts).
    wait: FILTER_PROBE_MS,
    onWait() {
      if (displayFilters === 'unknown') displayFilters = 'no';
    },
  }).then(() => {
    displayFilters = 'yes';
  }, () => {});
}

/**
 * @param {Problem} problem
 * @param {string} messageZh its message in 简体中文
 */
function showProblem(problem, messageZh) {
  const box = document.createElement('div');
  box.className = problem.fatal ? 'message error' : 'message warning';
  box.setAttribute('role', problem.fatal ? 'alert' : 'status');
  const title = document.createElement('strong');
  setText(title, has(`problem.${problem.kind}`, 'en') ? `problem.${problem.kind}` : 'message.problem');
  const place = document.createElement('span');
  place.className = 'where';
  if (problem.frame !== null) setText(place, 'problem.whereFrame', { frame: String(problem.frame), offset: problem.offset });
  else setText(place, 'problem.where', { offset: problem.offset });
  // The core's description of the problem, in the page's language.
  const text = document.createElement('p');
  setCoreText(text, { en: problem.message, zh: messageZh });
  box.append(title, place, text);
  messages.append(box);
}

/**
 * Shows an error: one the page words ({ key, params }), or a message from the worker or the
 * core (a string, in English for now).
 * @param {string | { key: string, params?: import('./i18n.js').Params }} message
 */
function showError(message) {
  const box = document.createElement('div');
  box.className = 'message error';
  box.setAttribute('role', 'alert');
  const title = document.createElement('strong');
  setText(title, 'message.error');
  const text = document.createElement('p');
  if (typeof message === 'string') {
    text.lang = 'en';
    text.textContent = message;
  } else {
    setText(text, message.key, message.params);
  }
  box.append(title, text);
  messages.append(box);
}

/**
 * What to show of `error`: the text of a TextError (the page's words, redrawn on a switch), else
 * its message (the browser's, the worker's or the core's).
 * @param {unknown} error
 * @returns {string | { key: string, params?: import('./i18n.js').Params }}
 */
function errorMessage(error) {
  if (error instanceof TextError) return { key: error.key, params: error.params };
  return error instanceof Error ? error.message : String(error);
}

/**
 * A size as a parameter of a text (formatted in the language it is shown in).
 * @param {number} bytes
 * @returns {import('./i18n.js').Param}
 */
function formatBytes(bytes) {
  if (bytes < 1024) return { key: 'size.b', params: { n: bytes } };
  if (bytes < 1024 * 1024) return { key: 'size.kib', params: { n: { number: bytes / 1024, fraction: 1 } } };
  if (bytes < 1024 * 1024 * 1024) return { key: 'size.mib', params: { n: { number: bytes / 1024 / 1024, fraction: 1 } } };
  return { key: 'size.gib', params: { n: { number: bytes / 1024 / 1024 / 1024, fraction: 2 } } };
}

/** @param {number} epochSeconds */
function formatDate(epochSeconds) {
  const date = new Date(epochSeconds * 1000);
  if (Number.isNaN(date.getTime())) return '—';
  return `${date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, '')} UTC`;
}

// Opening: the picker, the example, and a drop anywhere on the window.

fileInput.addEventListener('change', () => {
  const file = fileInput.files?.[0];
  if (file) open({ file });
  fileInput.value = '';
  streamOnLoad = null;
});

exampleButton.addEventListener('click', () => {
  streamOnLoad = null;
  open({ url: new URL('./examples/demo.pcap', import.meta.url).href, name: 'demo.pcap' });
});

// ?capture=<path of a file of this site>&stream=N opens a hosted capture straight into its ladder.
{
  const params = new URLSearchParams(location.search);
  const wanted = params.get('capture');
  if (wanted !== null) {
    /** @type {URL | null} */
    let url = null;
    try {
      url = new URL(wanted, location.href);
    } catch {
      url = null;
    }
    const streamText = params.get('stream');
    const stream = streamText === null ? 0 : Number(streamText);
    if (!url || url.origin !== location.origin || !/^https?:$/.test(url.protocol)) {
      emptyState.hidden = false;
      showError({ key: 'error.foreignAddress', params: { address: data(wanted), origin: data(location.origin), open: { key: 'header.open' } } });
      setText(status, 'status.addressRefused');
    } else if (!Number.isInteger(stream) || stream < 0) {
      showError({ key: 'error.streamParam', params: { value: data(String(streamText)) } });
    } else {
      const last = url.pathname.split('/').pop() || 'capture';
      let name = last;
      try {
        name = decodeURIComponent(last);
      } catch {
        // a malformed escape: keep the name as written
      }
      open({ url: url.href, name });
      streamOnLoad = stream;
    }
  }
}

/** @param {DragEvent} event */
const carriesFiles = (event) => Boolean(event.dataTransfer && [...event.dataTransfer.types].includes('Files'));
let dragDepth = 0;

window.addEventListener('dragenter', (event) => {
  if (!carriesFiles(event)) return;
  event.preventDefault();
  dragDepth += 1;
  dropOverlay.hidden = false;
});
window.addEventListener('dragover', (event) => {
  if (!carriesFiles(event)) return;
  event.preventDefault();
  if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
});
window.addEventListener('dragleave', (event) => {
  if (!carriesFiles(event)) return;
  dragDepth = Math.max(0, dragDepth - 1);
  if (dragDepth === 0) dropOverlay.hidden = true;
});
window.addEventListener('drop', (event) => {
  // Always prevent the default: a missed drop would make the browser navigate to the file.
  event.preventDefault();
  dragDepth = 0;
  dropOverlay.hidden = true;
  const files = event.dataTransfer?.files;
  if (!files || files.length === 0) return;
  streamOnLoad = null;
  open({ file: files[0] });
  if (files.length > 1) {
    const note = document.createElement('div');
    note.className = 'message warning';
    note.setAttribute('role', 'status');
    setText(note, 'drop.several', { count: files.length, name: data(files[0].name) });
    messages.append(note);
  }
});

/**
 * Lays the capture's panes out once, unseen, while the page waits for a file: the first layout
 * of a pane (its styles, its fonts) is several times slower than the next, and for a large
 * capture it would otherwise fall between the drop and its first rows, with the worker busy on
 * the other core. Shown and hidden again within one task, so nothing is ever painted or moved.
 */
function prewarmPanes() {
  // The number format the counts use is made now rather than when the first rows are shown.
  formatNumber(0);
  if (document.body.dataset.state !== 'empty') return;
  const panes = [captureInfo, conversationsPane, framesPane, detailPane, bytesPane].filter((pane) => pane.hidden);
  for (const pane of panes) pane.hidden = false;
  document.body.getBoundingClientRect();
  for (const pane of panes) pane.hidden = true;
}
if ('requestIdleCallback' in window) window.requestIdleCallback(prewarmPanes, { timeout: 2000 });
else setTimeout(prewarmPanes, 500);
