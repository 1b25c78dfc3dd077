// @ts-check
// The TCP conversations table: one row per connection as the core summarised it (endpoints,
// packets, bytes, duration, handshake and close in words, Zeek's conn_state). Choosing a row
// (click, or Enter/Space on its Stream button; arrow keys, Page Up/Down, Home and End move
// between rows) asks the page to list only that stream's frames. Headers sort the table.
//
// Virtualised, like the frame list: a capture can hold tens of thousands of connections, so the
// connections are kept in compact columns (typed arrays, interned texts) rather than as objects,
// sorting permutes an index array, and only the rows in view exist in the DOM. It stays a native
// <table> (aria-rowcount on it, aria-rowindex on the rendered rows) inside a scroller whose
// spacer has the full height; the table is moved to the rows in view.
//
// Packet-derived text is only ever set with textContent. The page's own words come from
// www/locales/ (www/i18n.js); relabel() redraws the rows after a switch of language.

import { inNextFrame } from './nextframe.js';
import { getLang, t } from './i18n.js';

/** @typedef {import('./types.js').ConnectionTable} ConnectionTable */

/** Rows drawn beyond those in view, and the row height assumed until one has been measured. */
const OVERSCAN = 2;
const GUESSED_ROW_HEIGHT = 19;

const collator = new Intl.Collator('en', { numeric: true });

/** Texts that repeat across connections (handshake, close, conn_state, history) are stored once. */
class Interned {
  constructor() {
    /** @type {string[]} */
    this.texts = [];
    /** @type {Map<string, number>} */
    this.ids = new Map();
  }

  /** @param {string} text */
  id(text) {
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.texts.length;
      this.texts.push(text);
      this.ids.set(text, id);
    }
    return id;
  }

  /** Each id's rank in collation order, so texts sort as numbers. */
  ranks() {
    const order = this.texts.map((_, i) => i).sort((a, b) => collator.compare(this.texts[a], this.texts[b]));
    const ranks = new Uint32Array(this.texts.length);
    order.forEach((id, rank) => {
      ranks[id] = rank;
    });
    return ranks;
  }
}

/** The connections as columns: what the rows show and sort by, and nothing else. */
class Columns {
  /**
   * @param {ConnectionTable} table the core's columns (worker.js: Session.connection_table)
   */
  constructor(table) {
    const n = table.length;
    this.length = n;
    this.stream = table.stream;
    this.packetsOut = table.packets_out;
    this.packetsIn = table.packets_in;
    this.bytesOut = table.bytes_out;
    this.bytesIn = table.bytes_in;
    this.duration = table.duration;
    this.rolesGuessed = table.roles_guessed;
    /** @type {string[]} */
    this.client = n ? table.client.split('\n') : [];
    /** @type {string[]} */
    this.server = n ? table.server.split('\n') : [];
    this.texts = new Interned();
    for (const text of table.texts) this.texts.id(text);
    /** The same texts in 简体中文, at the same indices (the core writes both). */
    this.textsZh = table.texts_zh ?? table.texts;
    this.handshakeText = table.handshake_text;
    this.closeText = table.close_text;
    this.connState = table.conn_state;
    this.history = table.history;
    // Handshake and close frames, flat: connection i's are frames[start[i] .. start[i + 1]).
    this.handshakeStart = table.handshake_start;
    this.closeStart = table.close_start;
    this.handshakeFrames = table.handshake_frames;
    this.closeFrames = table.close_frames;
  }

  /**
   * Whether TCP stream `stream` is listed. The core lists connections in stream order, so a
   * binary search finds it (a map of a hundred thousand streams took milliseconds to build).
   * @param {number} stream
   */
  has(stream) {
    let low = 0;
    let high = this.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.stream[middle] < stream) low = middle + 1;
      else high = middle;
    }
    return low < this.length && this.stream[low] === stream;
  }

  /**
   * A comparator of connection indices by one column (ties: by stream).
   * @param {string} key
   * @returns {((a: number, b: number) => number) | null}
   */
  comparator(key) {
    /** @param {ArrayLike<number>} column */
    const byNumber = (column) => (/** @type {number} */ a, /** @type {number} */ b) => column[a] - column[b];
    /** @param {Uint32Array} ids */
    const byText = (ids) => {
      const ranks = this.texts.ranks();
      return (/** @type {number} */ a, /** @type {number} */ b) => ranks[ids[a]] - ranks[ids[b]];
    };
    /** @param {string[]} column */
    const byString = (column) => (/** @type {number} */ a, /** @type {number} */ b) => collator.compare(column[a], column[b]);
    switch (key) {
      case 'stream': return byNumber(this.stream);
      case 'client': return byString(this.client);
      case 'server': return byString(this.server);
      case 'packets': return (a, b) => this.packetsOut[a] + this.packetsIn[a] - (this.packetsOut[b] + this.packetsIn[b]);
      case 'bytes': return (a, b) => this.bytesOut[a] + this.bytesIn[a] - (this.bytesOut[b] + this.bytesIn[b]);
      case 'duration': return byNumber(this.duration);
      case 'handshake': return byText(this.handshakeText);
      case 'close': return byText(this.closeText);
      case 'conn_state': return byText(this.connState);
      default: return null;
    }
  }
}

const EMPTY = new Columns({
  length: 0,
  stream: new Uint32Array(0),
  packets_out: new Float64Array(0),
  packets_in: new Float64Array(0),
  bytes_out: new Float64Array(0),
  bytes_in: new Float64Array(0),
  duration: new Float64Array(0),
  roles_guessed: new Uint8Array(0),
  client: '',
  server: '',
  texts: [],
  texts_zh: [],
  handshake_text: new Uint32Array(0),
  close_text: new Uint32Array(0),
  conn_state: new Uint32Array(0),
  history: new Uint32Array(0),
  handshake_start: new Uint32Array(1),
  handshake_frames: new Uint32Array(0),
  close_start: new Uint32Array(1),
  close_frames: new Uint32Array(0),
});

export class Conversations {
  /**
   * @param {HTMLTableElement} table inside a scroller (its parent's parent) and a spacer (its parent)
   * @param {{ onChoose: (stream: number) => void }} options
   */
  constructor(table, options) {
    this.table = table;
    this.onChoose = options.onChoose;
    this.body = /** @type {HTMLTableSectionElement} */ (table.tBodies[0]);
    this.head = /** @type {HTMLTableSectionElement} */ (table.tHead);
    this.spacer = /** @type {HTMLElement} */ (table.parentElement);
    this.scroller = /** @type {HTMLElement} */ (this.spacer.parentElement);
    this.columns = EMPTY;
    /** Row position → connection index, in the current sort order. */
    this.order = new Uint32Array(0);
    /** @type {number | null} */
    this.chosen = null;
    this.sortKey = 'stream';
    this.ascending = true;
    this.rowHeight = GUESSED_ROW_HEIGHT;
    /** Renders in the next animation frame, once however often it is asked. */
    this.schedule = inNextFrame(() => this.render());

    for (const th of table.querySelectorAll('thead th')) {
      const header = /** @type {HTMLElement} */ (th);
      header.querySelector('button')?.addEventListener('click', () => this.sortBy(header.dataset.key ?? 'stream'));
    }
    this.body.addEventListener('click', (event) => {
      const row = /** @type {HTMLElement | null} */ (/** @type {Element} */ (event.target).closest('tr'));
      if (!row || row.dataset.stream === undefined) return;
      this.onChoose(Number(row.dataset.stream));
    });
    this.body.addEventListener('keydown', (event) => {
      const button = /** @type {HTMLElement | null} */ (/** @type {Element} */ (event.target).closest('button'));
      const row = button?.closest('tr');
      if (!row || row.dataset.index === undefined || event.altKey || event.ctrlKey || event.metaKey) return;
      const at = Number(row.dataset.index);
      const page = Math.max(1, Math.floor(this.viewRows()) - 1);
      /** @type {Record<string, number>} */
      const moves = { ArrowDown: at + 1, ArrowUp: at - 1, PageDown: at + page, PageUp: at - page, Home: 0, End: this.count() - 1 };
      if (!(event.key in moves)) return;
      event.preventDefault();
      this.focusRow(moves[event.key]);
    });
    this.scroller.addEventListener('scroll', () => this.schedule(), { passive: true });
    new ResizeObserver(() => this.schedule()).observe(this.scroller);
  }

  count() {
    return this.order.length;
  }

  /** @param {number} stream */
  hasStream(stream) {
    return this.columns.has(stream);
  }

  /**
   * Keeps the connections (the core's columns) and shows them (null: none).
   * @param {ConnectionTable | null} connections
   */
  show(connections) {
    this.columns = connections?.length ? new Columns(connections) : EMPTY;
    this.chosen = null;
    this.scroller.scrollTop = 0;
    this.table.setAttribute('aria-rowcount', String(this.columns.length + 1));
    this.sort();
  }

  /** @param {number | null} stream */
  setChosen(stream) {
    this.chosen = stream;
    for (const row of this.body.rows) this.markChosen(row);
  }

  /** @param {HTMLTableRowElement} row */
  markChosen(row) {
    const chosen = row.dataset.stream !== undefined && Number(row.dataset.stream) === this.chosen;
    row.classList.toggle('chosen', chosen);
    row.querySelector('button')?.setAttribute('aria-pressed', String(chosen));
  }

  /** Redraws the rows in view in the page's current language. */
  relabel() {
    for (const row of this.body.rows) delete row.dataset.stream;
    this.render();
  }

  /** @param {string} key */
  sortBy(key) {
    if (!EMPTY.comparator(key)) return;
    this.ascending = key === this.sortKey ? !this.ascending : true;
    this.sortKey = key;
    for (const th of this.table.querySelectorAll('thead th')) {
      const header = /** @type {HTMLElement} */ (th);
      if (header.dataset.key === key) header.setAttribute('aria-sort', this.ascending ? 'ascending' : 'descending');
      else header.removeAttribute('aria-sort');
    }
    this.sort();
  }

  /** Recomputes the order for the current key and direction, then redraws. */
  sort() {
    const columns = this.columns;
    const compare = /** @type {(a: number, b: number) => number} */ (columns.comparator(this.sortKey));
    const sign = this.ascending ? 1 : -1;
    const stream = columns.stream;
    const order = new Uint32Array(columns.length);
    for (let i = 0; i < order.length; i += 1) order[i] = i;
    if (this.sortKey === 'stream') {
      // The core lists connections in stream order: the first order shown needs no sorting
      // (sorting a hundred thousand rows through a comparator takes tens of milliseconds).
      if (!this.ascending) order.reverse();
    } else {
      order.sort((a, b) => sign * compare(a, b) || stream[a] - stream[b]);
    }
    this.order = order;
    this.layout();
  }

  /** Sizes the spacer for every row, measuring a row's height once one is drawn. */
  layout() {
    this.render();
    const probe = this.body.rows[0];
    const height = probe ? probe.getBoundingClientRect().height : 0;
    if (height > 0 && Math.abs(height - this.rowHeight) > 0.01) {
      this.rowHeight = height;
      this.render();
    }
  }

  headHeight() {
    return this.head.getBoundingClientRect().height;
  }

  /** Rows that fit in the scroller below the header (fractional). */
  viewRows() {
    const height = this.scroller.clientHeight || 400;
    return Math.max(1, (height - this.headHeight()) / this.rowHeight);
  }

  render() {
    const count = this.count();
    this.spacer.style.height = `${this.headHeight() + count * this.rowHeight}px`;
    const first = Math.min(Math.max(0, count - 1), Math.max(0, Math.floor(this.scroller.scrollTop / this.rowHeight)));
    const wanted = Math.min(count - first, Math.ceil(this.viewRows()) + OVERSCAN);
    // The table's header sticks to the top; its first body row is row `first`.
    this.table.style.top = `${first * this.rowHeight}px`;
    const rows = this.body.rows;
    while (rows.length > wanted) /** @type {HTMLTableRowElement} */ (this.body.lastElementChild).remove();
    while (rows.length < wanted) this.body.append(makeRow());
    for (let i = 0; i < wanted; i += 1) this.fill(rows[i], first + i);
  }

  /**
   * @param {HTMLTableRowElement} row
   * @param {number} position in the sort order
   */
  fill(row, position) {
    const c = this.columns;
    const i = this.order[position];
    const stream = c.stream[i];
    row.dataset.index = String(position);
    row.setAttribute('aria-rowindex', String(position + 2));
    if (row.dataset.stream !== String(stream)) {
      row.dataset.stream = String(stream);
      const button = /** @type {HTMLButtonElement} */ (row.querySelector('button'));
      button.textContent = String(stream);
      button.setAttribute('aria-label', t('conv.choose', { stream: String(stream) }));
      const guessed = c.rolesGuessed[i] ? t('conv.guessed') : '';
      const [pOut, pIn, bOut, bIn] = [c.packetsOut[i], c.packetsIn[i], c.bytesOut[i], c.bytesIn[i]];
      const handshakeFrames = c.handshakeFrames.subarray(c.handshakeStart[i], c.handshakeStart[i + 1]);
      const closeFrames = c.closeFrames.subarray(c.closeStart[i], c.closeStart[i + 1]);
      const zh = getLang() === 'zh';
      const texts = zh ? c.textsZh : c.texts.texts;
      for (const k of [6, 7]) row.cells[k].lang = zh ? 'zh-Hans' : 'en';
      /** @type {[string, string][]} text, title */
      const cells = [
        [c.client[i], guessed],
        [c.server[i], guessed],
        [`${pOut} / ${pIn}`, t('conv.packets', { count: pOut + pIn, out: pOut, in: pIn })],
        [`${formatBytes(bOut)} / ${formatBytes(bIn)}`, t('conv.bytes', { out: bOut, in: bIn })],
        [formatDuration(c.duration[i]), t('unit.s', { n: String(c.duration[i]) })],
        [texts[c.handshakeText[i]], handshakeFrames.length ? t('conv.frames', { list: handshakeFrames.join(t('list.separator')) }) : ''],
        [texts[c.closeText[i]], closeFrames.length ? t('conv.frames', { list: closeFrames.join(t('list.separator')) }) : ''],
        [texts[c.connState[i]], t('conv.history', { history: texts[c.history[i]] })],
      ];
      cells.forEach(([text, title], k) => {
        const cell = row.cells[k + 1];
        cell.textContent = text;
        if (title) cell.title = title;
        else cell.removeAttribute('title');
      });
    }
    this.markChosen(row);
  }

  /**
   * Scrolls row `position` (clamped) into view and focuses its Stream button.
   * @param {number} position
   */
  focusRow(position) {
    const count = this.count();
    if (count === 0) return;
    const target = Math.max(0, Math.min(count - 1, position));
    const top = target * this.rowHeight;
    const view = this.scroller.clientHeight - this.headHeight();
    if (top < this.scroller.scrollTop) this.scroller.scrollTop = top;
    else if (top + this.rowHeight > this.scroller.scrollTop + view) this.scroller.scrollTop = top + this.rowHeight - view;
    this.render();
    const row = [...this.body.rows].find((r) => r.dataset.index === String(target));
    row?.querySelector('button')?.focus({ preventScroll: true });
  }
}

/**
 * An empty body row: a Stream button in a row header, then eight cells. Endpoints and Zeek's
 * codes are data (translate="no"); the handshake and close texts are the core's, in the page's
 * language (their lang is set when the row is filled).
 */
function makeRow() {
  const row = document.createElement('tr');
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'stream-button';
  button.setAttribute('aria-pressed', 'false');
  const streamCell = document.createElement('th');
  streamCell.scope = 'row';
  streamCell.className = 'num';
  streamCell.append(button);
  row.append(streamCell);
  for (const className of ['endpoint', 'endpoint', 'num', 'num', 'num', 'words', 'words', 'state']) {
    const cell = document.createElement('td');
    cell.className = className;
    if (className === 'endpoint' || className === 'state') cell.setAttribute('translate', 'no');
    row.append(cell);
  }
  return row;
}

/** @param {number} bytes */
function formatBytes(bytes) {
  if (bytes < 10_000) return String(bytes);
  if (bytes < 10_000_000) return t('size.kb', { n: (bytes / 1000).toFixed(1) });
  return t('size.mb', { n: (bytes / 1_000_000).toFixed(1) });
}

/** @param {number} seconds */
function formatDuration(seconds) {
  if (seconds < 1) return t('unit.ms', { n: (seconds * 1000).toFixed(3) });
  return t('unit.s', { n: seconds.toFixed(3) });
}
