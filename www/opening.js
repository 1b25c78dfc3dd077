// @ts-check
// Opening a capture and showing it read: the picker, the built-in example, a drop anywhere on
// the window, and ?capture=<path of this site>&stream=N; then, as the worker reads it, the
// progress, a large capture's list while it is read, and the summary, problems, conversations
// and colours once it is read, or a readable error.
//
// Opening a file clears what the page showed of the one before (every pane says so through
// its own clear or hide); what the worker still says about that file is dropped by the client.
// document.body's data-state says where the page is: empty, reading, loaded or failed (for
// tests and automation, as does data-readers: how many Workers read the capture).

import { data, formatNumber, setText } from './i18n.js';
import { element } from './elements.js';
import { CaptureInfo } from './captureinfo.js';
import { BLOCK } from './grid.js';

/**
 * @typedef {import('./client.js').WorkerClient} WorkerClient
 * @typedef {import('./protocol.js').Source} Source
 * @typedef {import('./protocol.js').WorkerEvent} WorkerEvent
 * @typedef {import('./protocol.js').SummaryMessage} SummaryMessage
 * @typedef {import('./statusbar.js').StatusBar} StatusBar
 * @typedef {import('./messages.js').Messages} Messages
 * @typedef {import('./framelist.js').FrameList} FrameList
 * @typedef {import('./legend.js').Legend} Legend
 * @typedef {import('./filtering.js').DisplayFilter} DisplayFilter
 * @typedef {import('./framedetail.js').FrameDetail} FrameDetail
 * @typedef {import('./menus.js').Menus} Menus
 * @typedef {import('./ladderpane.js').LadderPane} LadderPane
 * @typedef {import('./conversations.js').Conversations} Conversations
 * @typedef {import('./address.js').AddressState} AddressState
 */

/** A capture being read gets its list shown as frames arrive, with its first rows: once they are
 * asked for, they are waited for up to this long, so that the panes and the rows are laid out
 * at once (each layout of the page takes tens of ms)... */
const FIRST_ROWS_WAIT_MS = 150;
/** ...unless it is this small: read in a moment, it is shown whole with its summary (even when
 * fetching it took a while), so its panes never move when the summary comes. */
const SMALL_CAPTURE_BYTES = 2 * 1024 * 1024;

export class Opening {
  /**
   * @param {{
   *   client: WorkerClient, status: StatusBar, messages: Messages, list: FrameList, legend: Legend,
   *   filter: DisplayFilter, detail: FrameDetail, menus: Menus, ladder: LadderPane,
   *   conversations: Conversations, address: AddressState,
   * }} parts
   */
  constructor(parts) {
    this.parts = parts;
    this.info = new CaptureInfo();
    this.emptyState = element('empty-state');
    this.conversationsPane = element('conversations-pane');
    this.conversationsCount = element('conversations-count');
    this.dropOverlay = element('drop-overlay');
    /** The capture shown: its name, and its address when it is one of this site's files. */
    /** @type {{ name: string, url: string | null }} */
    this.capture = { name: '', url: null };
    /**
     * The capture being read: its size (0 until known), since when it is read, the frames read
     * so far (as the last progress message said), and whether its list is shown already.
     */
    this.reading = { total: 0, since: 0, frames: 0, listed: false };
    this.wireSources();
  }

  /**
   * Starts reading a capture (a File, or the address of one of this site's files), to show
   * stream `stream` once it is read (null: the whole list).
   * @param {Source} source
   * @param {number | null} [stream]
   */
  open(source, stream = null) {
    const { client, status, messages, list, filter, detail, menus, ladder, conversations, address } = this.parts;
    const name = 'file' in source ? source.file.name : source.name;
    address.opening(name, this.capture.name, stream);
    // The worker starts at once; the page clears itself meanwhile (what the worker says about
    // this capture is handled only after this function returns).
    const opened = client.open(source);
    this.reading = { total: 'file' in source ? source.file.size : 0, since: performance.now(), frames: 0, listed: false };
    window.setTimeout(() => {
      if (client.isCurrent(opened)) this.showFramesSoFar(this.reading.frames);
    }, FIRST_ROWS_WAIT_MS);
    ladder.hide();
    filter.clear();
    detail.reset();
    menus.closeDialogs();
    conversations.show(null);
    this.conversationsPane.hidden = true;
    messages.clear();
    this.emptyState.hidden = true;
    this.info.setShown(false);
    // The panes appear with the summary, all at once (shown while reading, they would be pushed
    // down by the summary: a layout shift); only a capture still read after a moment gets its
    // list early, with room kept for the summary (showFramesSoFar).
    list.pane.hidden = true;
    detail.setShown(false);
    list.clear();
    this.capture = { name, url: 'url' in source ? source.url : null };
    status.say('status.reading', { name: data(name) });
    status.reading(0, this.reading.total, 0);
    document.body.dataset.state = 'reading';
  }

  /**
   * What the worker says unasked about the capture being read (and that its core is warm).
   * @param {WorkerEvent} message
   */
  onEvent(message) {
    const { status, messages, list, legend } = this.parts;
    switch (message.type) {
      case 'warm':
        // The core has read its warm-up capture: a file dropped now is read at full speed.
        document.body.dataset.core = 'warm';
        break;
      case 'started':
        this.reading.total = message.total;
        status.reading(0, message.total, 0);
        break;
      case 'progress':
        status.reading(message.done, message.total, message.frames);
        if (!this.reading.listed && list.firstRows === null && message.frames >= BLOCK && this.reading.total > SMALL_CAPTURE_BYTES) {
          list.askFirstRows(() => this.showFramesSoFar(this.reading.frames));
        }
        this.showFramesSoFar(message.frames);
        break;
      case 'summary':
        list.dropFirstRows();
        document.body.dataset.readers = String(message.readers);
        this.showSummary(message);
        legend.show(message.rules);
        break;
      case 'error':
        document.body.dataset.state = 'failed';
        status.done();
        messages.error(message.message);
        status.say('status.failed');
        break;
    }
  }

  /**
   * The worker itself failed (it could not start, or stopped).
   * @param {ErrorEvent} event
   */
  onFailure(event) {
    event.preventDefault();
    document.body.dataset.state = 'failed';
    this.parts.status.done();
    this.parts.messages.error(event.message ? { key: 'error.workerDetail', params: { detail: data(event.message) } } : { key: 'error.worker' });
  }

  /**
   * A large capture's list while it is read: the frames read so far (their TCP analysis as far
   * as it has gone; the rows are asked again once the whole capture is read). The panes appear
   * together, with room kept for the conversations table, so that the summary does not push the
   * list down when it comes. A small capture, read at once, shows everything with its summary.
   * @param {number} frames
   */
  showFramesSoFar(frames) {
    const { list, detail } = this.parts;
    const reading = this.reading;
    reading.frames = frames;
    if (document.body.dataset.state !== 'reading' || frames === 0) return;
    if (!reading.listed) {
      if (reading.total <= SMALL_CAPTURE_BYTES) return;
      const waited = performance.now() - reading.since;
      if (list.awaitingFirstRows && waited < FIRST_ROWS_WAIT_MS) return;
      reading.listed = true;
      this.info.reading(this.capture.name);
      this.conversationsPane.hidden = false;
      this.conversationsPane.classList.add('reading');
      setText(this.conversationsCount, null);
      this.conversationsCount.textContent = '';
      setText(element('conversations-reading'), 'conv.reading');
      list.pane.hidden = false;
      detail.setShown(true);
      list.grid.reset(frames);
    } else {
      list.grid.grow(frames);
    }
    this.info.showFrames(frames);
  }

  /**
   * The capture is read: its summary, problems and connections, and its list (or why there is
   * none); then the view the address names.
   * @param {SummaryMessage} message
   */
  showSummary(message) {
    const { status, messages, list, filter, detail, conversations, address } = this.parts;
    const { name, summary, connections } = message;
    const listed = this.reading.listed;
    status.done();
    this.info.show(name, summary);
    summary.problems.forEach((problem, i) => messages.problem(problem, summary.zh.problems[i] ?? problem.message));
    // Not a capture at all: the message says why; an empty list under it would say nothing more.
    list.pane.hidden = summary.format === null;
    detail.setShown(!list.pane.hidden);
    list.read(summary.frames, summary.first_epoch);
    this.conversationsPane.classList.remove('reading');
    if (listed && !list.pane.hidden) {
      // Listed while reading: where the user is stays; the rows are asked again, now final.
      list.grid.grow(summary.frames);
      list.grid.refresh();
    } else {
      list.grid.reset(summary.frames);
    }
    filter.showingAll(summary.frames);
    // Shown first, so the table can measure how many rows fit.
    this.conversationsPane.hidden = connections.length === 0;
    conversations.show(connections);
    setText(this.conversationsCount, 'conv.count', { count: connections.length });
    const stopped = summary.problems.find((p) => p.fatal);
    status.say(summary.format === null ? 'status.notCapture' : stopped ? 'status.stopped' : 'status.read', { count: summary.frames, name: data(name) });
    if (summary.frames > 0 && !listed) list.focus();
    // For tests and automation: the page has finished reading (see also the status bar).
    document.body.dataset.state = 'loaded';
    if (list.pane.hidden) return;
    filter.probe();
    address.read();
  }

  // Where captures come from ---------------------------------------------------------------

  wireSources() {
    const fileInput = element('file-input', HTMLInputElement);
    fileInput.addEventListener('change', () => {
      const file = fileInput.files?.[0];
      if (file) this.open({ file });
      fileInput.value = '';
    });
    element('example-button').addEventListener('click', () => {
      this.open({ url: new URL('./examples/demo.pcap', import.meta.url).href, name: 'demo.pcap' });
    });
    this.wireDrop();
  }

  /** A drop anywhere on the window opens its first file; the overlay shows while files are dragged. */
  wireDrop() {
    /** @param {DragEvent} event */
    const carriesFiles = (event) => Boolean(event.dataTransfer && [...event.dataTransfer.types].includes('Files'));
    let depth = 0;
    window.addEventListener('dragenter', (event) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      depth += 1;
      this.dropOverlay.hidden = false;
    });
    window.addEventListener('dragover', (event) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    });
    window.addEventListener('dragleave', (event) => {
      if (!carriesFiles(event)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) this.dropOverlay.hidden = true;
    });
    window.addEventListener('drop', (event) => {
      // Always prevent the default: a missed drop would make the browser navigate to the file.
      event.preventDefault();
      depth = 0;
      this.dropOverlay.hidden = true;
      const files = event.dataTransfer?.files;
      if (!files || files.length === 0) return;
      this.open({ file: files[0] });
      if (files.length > 1) this.parts.messages.note('drop.several', { count: files.length, name: data(files[0].name) });
    });
  }

  /**
   * ?capture=<path of a file of this site>&stream=N opens a hosted capture straight into its
   * ladder; an address elsewhere, or a stream that is not a number, is refused with a message.
   */
  openFromAddress() {
    const { status, messages } = this.parts;
    const params = new URLSearchParams(location.search);
    const wanted = params.get('capture');
    if (wanted === null) return;
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
      this.emptyState.hidden = false;
      messages.error({ key: 'error.foreignAddress', params: { address: data(wanted), origin: data(location.origin), open: { key: 'header.open' } } });
      status.say('status.addressRefused');
    } else if (!Number.isInteger(stream) || stream < 0) {
      messages.error({ key: 'error.streamParam', params: { value: data(String(streamText)) } });
    } else {
      const last = url.pathname.split('/').pop() || 'capture';
      let name = last;
      try {
        name = decodeURIComponent(last);
      } catch {
        // a malformed escape: keep the name as written
      }
      this.open({ url: url.href, name }, stream);
    }
  }

  /**
   * Lays the capture's panes out once, unseen, while the page waits for a file: the first layout
   * of a pane (its styles, its fonts) is several times slower than the next, and for a large
   * capture it would otherwise fall between the drop and its first rows, with the worker busy on
   * the other core. Shown and hidden again within one task, so nothing is ever painted or moved.
   */
  prewarmPanes() {
    // The number format the counts use is made now rather than when the first rows are shown.
    formatNumber(0);
    if (document.body.dataset.state !== 'empty') return;
    const { list, detail } = this.parts;
    const panes = [this.info.box, this.conversationsPane, list.pane, detail.pane, detail.bytesPane].filter((pane) => pane.hidden);
    for (const pane of panes) pane.hidden = false;
    document.body.getBoundingClientRect();
    for (const pane of panes) pane.hidden = true;
  }
}
