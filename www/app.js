// @ts-check
// The page: opening files (picker, drop anywhere, the built-in example, ?capture=<path of this
// site>&stream=N), the summary above the list, progress, readable errors, the frame grid, and
// the chosen connection's ladder with its exports. The capture is read in www/worker.js.
//
// Packet-derived and file-derived text is only ever inserted with textContent (the ladder's
// SVG, escaped by Rust, is parsed as an SVG document in www/ladder.js).

import { FrameGrid } from './grid.js';
import { Conversations } from './conversations.js';
import { LadderView, attributeText, defaultLang, download, makeCaller, svgToPng } from './ladder.js';

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
    status.textContent = row ? `Frame ${row.number} of ${totalFrames} selected.` : `Row ${index + 1} of ${grid.count} selected.`;
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
ladderLang.value = defaultLang();

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
    status.textContent = `Showing all ${totalFrames.toLocaleString('en')} frames.`;
    return;
  }
  showLadder(stream);
  const chip = document.createElement('button');
  chip.type = 'button';
  chip.className = 'chip';
  chip.id = 'stream-chip';
  chip.setAttribute('aria-label', `Remove the filter tcp.stream == ${stream}`);
  chip.title = 'Show every frame again';
  const text = document.createElement('span');
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
  status.textContent = `Showing ${count.toLocaleString('en')} of ${totalFrames.toLocaleString('en')} frames: tcp.stream == ${stream}.`;
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
  $('ladder-stream').textContent = `· tcp.stream ${stream}`;
  try {
    await ladder.show(stream, options);
  } catch (error) {
    if (open !== openCount || String(error).includes('superseded')) return;
    ladderPane.dataset.state = 'failed';
    showError(error instanceof Error ? error.message : String(error));
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
  ladderNote.textContent = '';
  delete ladderPane.dataset.state;
  delete ladderPane.dataset.stream;
}

for (const control of [ladderLang, ladderAxis, ladderExpand]) {
  control.addEventListener('change', () => {
    if (ladder.stream !== null) showLadder(ladder.stream);
  });
}

/** "demo-stream-0": the base of export file names. */
function exportName() {
  const base = capture.name.replace(/\.(pcapng|pcap|cap)(\.gz)?$/i, '').replace(/[^\p{L}\p{N}._-]+/gu, '_') || 'capture';
  return `${base}-stream-${ladder.stream}`;
}

/**
 * Copies `text`; where the clipboard is refused, shows it to copy by hand.
 * @param {string} text
 * @param {string} what
 */
async function copy(text, what) {
  ladderCopy.hidden = true;
  try {
    await navigator.clipboard.writeText(text);
    ladderNote.textContent = `${what} copied.`;
  } catch {
    ladderCopyText.value = text;
    ladderCopy.hidden = false;
    ladderCopyText.select();
    ladderNote.textContent = '';
  }
}

$('ladder-svg').addEventListener('click', () => {
  if (ladder.stream === null) return;
  download(new Blob([ladder.svgText], { type: 'image/svg+xml' }), `${exportName()}.svg`);
  ladderNote.textContent = 'SVG downloaded.';
});

$('ladder-png').addEventListener('click', async () => {
  if (ladder.stream === null) return;
  const name = `${exportName()}.png`;
  try {
    download(await svgToPng(ladder.svgText, 2), name);
    ladderNote.textContent = 'PNG downloaded.';
  } catch (error) {
    showError(`The PNG could not be made: ${error instanceof Error ? error.message : String(error)}`);
  }
});

$('ladder-mermaid').addEventListener('click', async () => {
  if (ladder.stream === null) return;
  try {
    await copy(await caller.call('ladder_mermaid', ladder.stream, ladderOptions().lang), 'Mermaid text');
  } catch (error) {
    if (!String(error).includes('superseded')) showError(error instanceof Error ? error.message : String(error));
  }
});

$('ladder-embed').addEventListener('click', () => {
  if (ladder.stream === null) return;
  copy(embedSnippet(ladder.stream, ladderOptions().lang), 'Embed snippet');
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

/** @param {ColorRule[]} rules */
function showLegend(rules) {
  const list = $('legend-list');
  list.replaceChildren(
    ...rules.map((rule) => {
      const item = document.createElement('li');
      item.dataset.rule = rule.id;
      item.title = `${rule.filter}\nWireshark's colours: text ${rule.foreground} on ${rule.background}`;
      const swatch = document.createElement('span');
      swatch.className = `swatch color-${rule.id}`;
      swatch.textContent = 'Aa';
      swatch.setAttribute('aria-hidden', 'true');
      const name = document.createElement('strong');
      name.textContent = rule.name;
      const meaning = document.createElement('span');
      meaning.className = 'meaning';
      meaning.textContent = rule.meaning;
      item.append(swatch, name, meaning);
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
      status.textContent = 'Could not read the file.';
      break;
  }
};

worker.onerror = (event) => {
  event.preventDefault();
  document.body.dataset.state = 'failed';
  progress.hidden = true;
  showError(`The reading worker failed to start or crashed${event.message ? `: ${event.message}` : ''}. Reload the page to try again.`);
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
  framesPane.hidden = false;
  grid.reset(0);
  const name = 'file' in source ? source.file.name : source.name;
  capture = { name, url: 'url' in source ? source.url : null };
  status.textContent = `Reading ${name}…`;
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
  progressText.textContent = total
    ? `Read ${formatBytes(done)} of ${formatBytes(total)}, ${frames.toLocaleString('en')} frames so far`
    : 'Loading…';
}

/**
 * @param {string} name
 * @param {Summary} summary
 * @param {Connection[]} connections
 */
function showSummary(name, summary, connections) {
  progress.hidden = true;
  $('info-name').textContent = name;
  $('info-name').title = name;
  $('info-format').textContent = summary.format ?? '—';
  $('info-links').textContent = summary.link_types.length
    ? summary.link_types.map((link) => `${link.name} (${link.code})`).join(', ')
    : '—';
  $('info-frames').textContent = summary.frames.toLocaleString('en');
  $('info-first').textContent = summary.first_epoch === null ? '—' : formatDate(summary.first_epoch);
  $('info-first').title = summary.first_time ?? '';
  $('info-span').textContent = summary.time_span === null ? '—' : `${summary.time_span} s`;
  captureInfo.hidden = false;
  for (const problem of summary.problems) showProblem(problem);
  // Not a capture at all: the message says why; an empty list under it would say nothing more.
  framesPane.hidden = summary.format === null;
  totalFrames = summary.frames;
  grid.reset(summary.frames);
  // Shown first, so the table can measure how many rows fit.
  conversationsPane.hidden = connections.length === 0;
  conversations.show(connections);
  $('conversations-count').textContent = `(${connections.length.toLocaleString('en')})`;
  const stopped = summary.problems.find((p) => p.fatal);
  status.textContent = summary.format === null
    ? `${name} could not be read as a capture.`
    : stopped
    ? `${summary.frames.toLocaleString('en')} frames read from ${name}; reading stopped early.`
    : `${summary.frames.toLocaleString('en')} frames read from ${name}.`;
  if (summary.frames > 0) grid.root.focus({ preventScroll: true });
  // For tests and automation: the page has finished reading (see also the status bar).
  document.body.dataset.state = 'loaded';
  if (streamOnLoad !== null) {
    const stream = streamOnLoad;
    streamOnLoad = null;
    if (conversations.hasStream(stream)) filterToStream(stream);
    else showError(`This capture has no TCP stream ${stream}.`);
  }
}

const PROBLEM_TITLES = {
  empty: 'Empty file',
  not_a_capture: 'Not a capture',
  truncated: 'Capture cut short',
  corrupt: 'Damaged capture',
  skipped: 'Part of the capture was skipped',
};

/** @param {Problem} problem */
function showProblem(problem) {
  const box = document.createElement('div');
  box.className = problem.fatal ? 'message error' : 'message warning';
  box.setAttribute('role', problem.fatal ? 'alert' : 'status');
  const title = document.createElement('strong');
  title.textContent = PROBLEM_TITLES[problem.kind] ?? 'Problem';
  const where = [];
  if (problem.frame !== null) where.push(`frame ${problem.frame}`);
  where.push(`byte offset ${problem.offset.toLocaleString('en')}`);
  const place = document.createElement('span');
  place.className = 'where';
  place.textContent = ` (${where.join(', ')})`;
  const text = document.createElement('p');
  text.textContent = problem.message;
  box.append(title, place, text);
  messages.append(box);
}

/** @param {string} message */
function showError(message) {
  const box = document.createElement('div');
  box.className = 'message error';
  box.setAttribute('role', 'alert');
  const title = document.createElement('strong');
  title.textContent = 'Error';
  const text = document.createElement('p');
  text.textContent = message;
  box.append(title, text);
  messages.append(box);
}

/** @param {number} bytes */
function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${(bytes / 1024 / 1024 / 1024).toFixed(2)} GiB`;
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
      showError(`The capture address "${wanted}" is not a file of this site (${location.origin}): only captures served from here can be opened by address. Download it and open it with "Open a capture…" instead.`);
      status.textContent = 'The capture address was refused.';
    } else if (!Number.isInteger(stream) || stream < 0) {
      showError(`"stream=${streamText}" is not a TCP stream number (0, 1, 2…).`);
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
    note.textContent = `${files.length} files were dropped; only the first, ${files[0].name}, is opened.`;
    messages.append(note);
  }
});
