// @ts-check
// The page: opening files (picker, drop anywhere, the built-in example, ?capture=<path of this
// site>&stream=N), the summary above the list, progress, readable errors, the frame grid, and
// the chosen connection's ladder with its exports. The capture is read in www/worker.js.
//
// Packet-derived and file-derived text is only ever inserted with textContent (the ladder's
// SVG, escaped by Rust, is parsed as an SVG document in www/ladder.js).
//
// Every text the page writes comes from www/locales/ through www/i18n.js (setText / setAttr
// redraw on a language switch); file names and addresses go in as data(), never translated.

import { FrameGrid } from './grid.js';
import { Conversations } from './conversations.js';
import { LadderView, attributeText, download, makeCaller, svgToPng } from './ladder.js';
import { TextError, data, getLang, has, onLangChange, parseLang, setAttr, setLang, setText, t } from './i18n.js';

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
const filters = $('filters');
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

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'tcp-timeline' });

/** Numbers each open request, as the worker does; answers for older ones are ignored. */
let openCount = 0;
let nextRequest = 1;
/** @type {Map<number, { resolve: (rows: FrameRow[]) => void, reject: (error: Error) => void }>} */
const pending = new Map();
/** Answers to stream filter requests: id → resolve(row count). */
/** @type {Map<number, { resolve: (count: number) => void, reject: (error: Error) => void }>} */
const pendingFilters = new Map();
/** Frames in the capture, and the stream the list is filtered to (null: all). */
let totalFrames = 0;
/** @type {number | null} */
let streamFilter = null;
/** The capture shown: its name, and its address when it is one of this site's files. */
let capture = { name: '', url: /** @type {string | null} */ (null) };
/** A stream to open once the capture is read (from ?stream=N). */
/** @type {number | null} */
let streamOnLoad = null;
const caller = makeCaller(worker);

const grid = new FrameGrid(/** @type {HTMLElement} */ ($('frame-grid')), {
  fetchRows(start, count) {
    return new Promise((resolve, reject) => {
      const id = nextRequest++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ type: 'rows', id, start, count });
    });
  },
  onSelect(index, row) {
    if (row) setText(status, 'status.frameSelected', { frame: String(row.number), total: totalFrames });
    else setText(status, 'status.rowSelected', { row: String(index + 1), total: grid.count });
    if (row && ladder.stream !== null) ladder.highlight(row.number);
  },
});

const ladder = new LadderView({
  host: $('ladder-view'),
  explanation: $('ladder-explanation'),
  call: caller.call,
  async onChoose(frame) {
    // The list shows the ladder's stream: select the frame's row there.
    const open = openCount;
    const index = await caller.call('row_index', frame).catch(() => undefined);
    if (open !== openCount || typeof index !== 'number') return;
    grid.select(index);
  },
});
ladderLang.value = getLang();

const conversations = new Conversations(/** @type {HTMLTableElement} */ ($('conversations')), {
  onChoose(stream) {
    filterToStream(stream === streamFilter ? null : stream);
  },
});

/**
 * Lists only the frames of one TCP stream (null: every frame), and shows the filter as a chip.
 * @param {number | null} stream
 */
async function filterToStream(stream) {
  const open = openCount;
  const id = nextRequest++;
  /** @type {number} */
  let count;
  try {
    count = await new Promise((resolve, reject) => {
      pendingFilters.set(id, { resolve, reject });
      worker.postMessage({ type: 'filter', id, stream });
    });
  } catch {
    return; // superseded by another file
  }
  if (open !== openCount) return;
  streamFilter = stream;
  conversations.setChosen(stream);
  grid.reset(count);
  filters.replaceChildren();
  if (stream === null) {
    hideLadder();
    setText(status, 'status.showingAll', { count: totalFrames });
    return;
  }
  showLadder(stream);
  const chip = document.createElement('button');
  chip.type = 'button';
  chip.className = 'chip';
  chip.id = 'stream-chip';
  setAttr(chip, 'aria-label', 'filter.remove', { filter: `tcp.stream == ${stream}` });
  setAttr(chip, 'title', 'filter.removeTitle');
  // A display filter: code, never translated.
  const text = document.createElement('span');
  text.setAttribute('translate', 'no');
  text.textContent = `tcp.stream == ${stream}`;
  const cross = document.createElement('span');
  cross.className = 'chip-x';
  cross.setAttribute('aria-hidden', 'true');
  cross.textContent = '×';
  chip.append(text, cross);
  chip.addEventListener('click', () => {
    filterToStream(null);
    grid.root.focus({ preventScroll: true });
  });
  filters.append(chip);
  setText(status, 'status.showingStream', { shown: count, total: totalFrames, filter: data(`tcp.stream == ${stream}`) });
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
  const open = openCount;
  const options = ladderOptions();
  ladderPane.hidden = false;
  workspace.classList.add('with-ladder');
  ladderPane.dataset.state = 'drawing';
  setText($('ladder-stream'), 'ladder.stream', { stream: String(stream) });
  try {
    await ladder.show(stream, options);
  } catch (error) {
    if (open !== openCount || String(error).includes('superseded')) return;
    ladderPane.dataset.state = 'failed';
    showError(errorMessage(error));
    return;
  }
  if (open !== openCount || streamFilter !== stream) return;
  ladderPane.dataset.stream = String(stream);
  ladderPane.dataset.lang = options.lang;
  ladderPane.dataset.state = 'ready';
}

function hideLadder() {
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
    await copy(await caller.call('ladder_mermaid', ladder.stream, ladderOptions().lang), 'ladder.mermaidCopied');
  } catch (error) {
    if (!String(error).includes('superseded')) showError(errorMessage(error));
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

worker.onmessage = (event) => {
  const message = event.data;
  if (caller.handle(message)) return;
  if (message.open !== openCount) return;
  switch (message.type) {
    case 'started':
      showProgress(0, message.total, 0);
      break;
    case 'progress':
      showProgress(message.done, message.total, message.frames);
      break;
    case 'summary':
      showSummary(message.name, message.summary, message.connections);
      showLegend(message.rules);
      break;
    case 'filtered': {
      const request = pendingFilters.get(message.id);
      pendingFilters.delete(message.id);
      request?.resolve(message.count);
      break;
    }
    case 'rows': {
      const request = pending.get(message.id);
      pending.delete(message.id);
      request?.resolve(message.rows);
      break;
    }
    case 'error':
      document.body.dataset.state = 'failed';
      progress.hidden = true;
      showError(message.message);
      setText(status, 'status.failed');
      break;
  }
};

worker.onerror = (event) => {
  event.preventDefault();
  document.body.dataset.state = 'failed';
  progress.hidden = true;
  showError(event.message ? { key: 'error.workerDetail', params: { detail: data(event.message) } } : { key: 'error.worker' });
};

/**
 * Starts reading a capture (a File, or the address of one of this site's files).
 * @param {{ file: File } | { url: string, name: string }} source
 */
function open(source) {
  openCount += 1;
  for (const request of [...pending.values(), ...pendingFilters.values()]) request.reject(new Error('superseded'));
  pending.clear();
  pendingFilters.clear();
  caller.rejectAll();
  hideLadder();
  streamFilter = null;
  filters.replaceChildren();
  conversations.show([]);
  conversationsPane.hidden = true;
  messages.replaceChildren();
  emptyState.hidden = true;
  captureInfo.hidden = true;
  // The panes appear with the summary, all at once: shown while reading, they would be pushed
  // down by the summary (a layout shift).
  framesPane.hidden = true;
  grid.reset(0);
  const name = 'file' in source ? source.file.name : source.name;
  capture = { name, url: 'url' in source ? source.url : null };
  setText(status, 'status.reading', { name: data(name) });
  showProgress(0, 'file' in source ? source.file.size : 0, 0);
  document.body.dataset.state = 'reading';
  worker.postMessage({ type: 'open', ...source });
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
 * @param {string} name
 * @param {Summary} summary
 * @param {import('./types.js').ConnectionTable} connections
 */
function showSummary(name, summary, connections) {
  progress.hidden = true;
  $('info-name').textContent = name;
  $('info-name').title = name;
  $('info-format').textContent = summary.format ?? '—';
  $('info-links').textContent = summary.link_types.length
    ? summary.link_types.map((link) => `${link.name} (${link.code})`).join(', ')
    : '—';
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
  for (const problem of summary.problems) showProblem(problem);
  // Not a capture at all: the message says why; an empty list under it would say nothing more.
  framesPane.hidden = summary.format === null;
  totalFrames = summary.frames;
  grid.reset(summary.frames);
  // Shown first, so the table can measure how many rows fit.
  conversationsPane.hidden = connections.length === 0;
  conversations.show(connections);
  setText($('conversations-count'), 'conv.count', { count: connections.length });
  const stopped = summary.problems.find((p) => p.fatal);
  setText(status, summary.format === null ? 'status.notCapture' : stopped ? 'status.stopped' : 'status.read', { count: summary.frames, name: data(name) });
  if (summary.frames > 0) grid.root.focus({ preventScroll: true });
  // For tests and automation: the page has finished reading (see also the status bar).
  document.body.dataset.state = 'loaded';
  if (streamOnLoad !== null) {
    const stream = streamOnLoad;
    streamOnLoad = null;
    if (conversations.hasStream(stream)) filterToStream(stream);
    else showError({ key: 'error.noStream', params: { stream: String(stream) } });
  }
}

/** @param {Problem} problem */
function showProblem(problem) {
  const box = document.createElement('div');
  box.className = problem.fatal ? 'message error' : 'message warning';
  box.setAttribute('role', problem.fatal ? 'alert' : 'status');
  const title = document.createElement('strong');
  setText(title, has(`problem.${problem.kind}`, 'en') ? `problem.${problem.kind}` : 'message.problem');
  const place = document.createElement('span');
  place.className = 'where';
  if (problem.frame !== null) setText(place, 'problem.whereFrame', { frame: String(problem.frame), offset: problem.offset });
  else setText(place, 'problem.where', { offset: problem.offset });
  // The core's description of the problem, in English for now.
  const text = document.createElement('p');
  text.lang = 'en';
  text.textContent = problem.message;
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
