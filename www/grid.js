// @ts-check
// The frame list: an ARIA grid that keeps only the visible rows in the DOM and fetches rows by
// range, so a capture of a million frames scrolls as smoothly as one of ten.
//
// Packet-derived text is only ever set with textContent.

import { inNextFrame } from './nextframe.js';

/** @typedef {import('./types.js').FrameRow} FrameRow */

/** Rows fetched per request, and blocks kept in memory (a bounded cache, oldest dropped first). */
export const BLOCK = 256;
const MAX_BLOCKS = 64;
/** Browsers cap an element's height (Chromium near 33.5 million px); beyond this the scrollbar maps proportionally. */
const MAX_SCROLL_HEIGHT = 8_000_000;

/** @type {(keyof FrameRow)[]} */
const COLUMNS = ['number', 'time', 'source', 'destination', 'protocol', 'length', 'info'];

export class FrameGrid {
  /**
   * @param {HTMLElement} root the element with role=grid
   * @param {{ fetchRows: (start: number, count: number) => Promise<FrameRow[]>, onSelect?: (index: number, row: FrameRow | undefined) => void }} options
   */
  constructor(root, options) {
    this.root = root;
    this.fetchRows = options.fetchRows;
    this.onSelect = options.onSelect ?? (() => {});
    this.scroller = /** @type {HTMLElement} */ (root.querySelector('.grid-scroller'));
    this.head = /** @type {HTMLElement} */ (root.querySelector('.grid-head'));
    this.spacer = /** @type {HTMLElement} */ (root.querySelector('.grid-spacer'));
    this.body = /** @type {HTMLElement} */ (root.querySelector('.grid-body'));
    /** @type {HTMLElement[]} */
    this.pool = [];
    this.count = 0;
    /** -1: nothing selected. */
    this.selected = -1;
    /** Changes on every reset, so answers for a previous capture are dropped. */
    this.generation = 0;
    /** @type {Map<number, FrameRow[] | null>} block index → rows (null while being fetched) */
    this.blocks = new Map();
    /** Rows from before a refresh, shown until their new text arrives (no blank flash). */
    /** @type {Map<number, FrameRow[] | null>} */
    this.stale = new Map();
    this.rowHeight = 20;
    /** Renders in the next animation frame, once however often it is asked. */
    this.schedule = inNextFrame(() => this.render());

    this.scroller.addEventListener('scroll', () => {
      // Narrower than its columns, the list scrolls sideways: the header goes along.
      if (this.head.scrollLeft !== this.scroller.scrollLeft) this.head.scrollLeft = this.scroller.scrollLeft;
      this.schedule();
    }, { passive: true });
    new ResizeObserver(() => this.schedule()).observe(this.scroller);
    root.addEventListener('keydown', (event) => this.onKey(event));
    this.body.addEventListener('click', (event) => {
      const row = /** @type {HTMLElement | null} */ (/** @type {Element} */ (event.target).closest('[role=row]'));
      if (!row || row.dataset.index === undefined) return;
      this.select(Number(row.dataset.index));
      root.focus({ preventScroll: true });
    });
  }

  /**
   * Shows `count` rows (0 to empty the list); forgets every cached row.
   * @param {number} count
   */
  reset(count) {
    this.generation += 1;
    this.count = count;
    this.blocks.clear();
    this.stale.clear();
    this.selected = -1;
    this.root.setAttribute('aria-rowcount', String(count + 1));
    this.root.removeAttribute('aria-activedescendant');
    // The list starts at its top: ask for the first rows before anything makes the page lay
    // itself out (scrollTop, measuring), so the worker works on them meanwhile.
    if (count > 0) this.request(0, 1);
    this.scroller.scrollTop = 0;
    this.measure();
    this.spacer.style.height = `${this.virtualHeight()}px`;
    this.render();
  }

  /**
   * More rows than before (a capture still being read): keeps the scroll position, the
   * selection and the rows already fetched, but asks again for the last block, which may
   * have been cut short.
   * @param {number} count
   */
  grow(count) {
    if (count <= this.count) return;
    const tail = Math.floor(Math.max(0, this.count - 1) / BLOCK);
    this.blocks.delete(tail);
    this.stale.delete(tail);
    this.count = count;
    this.root.setAttribute('aria-rowcount', String(count + 1));
    this.spacer.style.height = `${this.virtualHeight()}px`;
    this.render();
  }

  /** Fetches every row again (their text changed: another time format), keeping the selection. */
  refresh() {
    this.generation += 1;
    this.stale = this.blocks;
    this.blocks = new Map();
    this.render();
  }

  measure() {
    const probe = this.pool[0] ?? this.makeRow();
    if (!probe.isConnected) {
      this.body.append(probe);
      this.pool.push(probe);
    }
    const height = probe.getBoundingClientRect().height;
    if (height > 0) this.rowHeight = height;
  }

  virtualHeight() {
    return Math.min(this.count * this.rowHeight, MAX_SCROLL_HEIGHT);
  }

  /** Rows that fit in the viewport (fractional). */
  visibleRows() {
    return this.scroller.clientHeight / this.rowHeight;
  }

  /** The (fractional) index of the row at the top of the viewport. */
  firstExact() {
    const maxScroll = this.virtualHeight() - this.scroller.clientHeight;
    if (maxScroll <= 0) return 0;
    const ratio = Math.min(1, Math.max(0, this.scroller.scrollTop / maxScroll));
    return ratio * Math.max(0, this.count - this.visibleRows());
  }

  /** @param {number} first the (fractional) row index to show at the top */
  scrollToFirst(first) {
    const maxScroll = this.virtualHeight() - this.scroller.clientHeight;
    const span = this.count - this.visibleRows();
    if (maxScroll <= 0 || span <= 0) return;
    this.scroller.scrollTop = (first / span) * maxScroll;
  }

  makeRow() {
    const row = document.createElement('div');
    row.className = 'grid-row';
    row.setAttribute('role', 'row');
    COLUMNS.forEach((column, i) => {
      const cell = document.createElement('div');
      cell.className = column === 'number' || column === 'time' || column === 'length' ? 'cell num' : 'cell';
      cell.setAttribute('role', 'gridcell');
      cell.setAttribute('aria-colindex', String(i + 1));
      row.append(cell);
    });
    return row;
  }

  render() {
    const exact = this.firstExact();
    const first = Math.floor(exact);
    const wanted = this.count === 0 ? 0 : Math.min(this.count - first, Math.ceil(this.visibleRows()) + 1);
    while (this.pool.length < wanted) {
      const row = this.makeRow();
      this.body.append(row);
      this.pool.push(row);
    }
    // The layer follows the viewport; rows inside it are shifted by the fraction of the top row.
    const top = this.scroller.scrollTop - (exact - first) * this.rowHeight;
    this.body.style.transform = `translateY(${top}px)`;
    let activeId = '';
    for (let i = 0; i < this.pool.length; i += 1) {
      const element = this.pool[i];
      const index = first + i;
      if (i >= wanted) {
        element.hidden = true;
        element.removeAttribute('id');
        element.removeAttribute('aria-rowindex');
        delete element.dataset.index;
        continue;
      }
      element.hidden = false;
      element.id = `frame-row-${index}`;
      element.dataset.index = String(index);
      element.setAttribute('aria-rowindex', String(index + 2));
      const isSelected = index === this.selected;
      element.setAttribute('aria-selected', String(isSelected));
      if (isSelected) activeId = element.id;
      const row = this.rowAt(index);
      // The colour the core chose (Wireshark's first matching colouring rule), as a class.
      const className = row ? (row.color ? `grid-row color-${row.color}` : 'grid-row') : 'grid-row pending';
      if (element.className !== className) element.className = className;
      const cells = /** @type {HTMLElement[]} */ ([...element.children]);
      COLUMNS.forEach((column, c) => {
        const text = row ? String(row[column]) : '';
        if (cells[c].textContent !== text) cells[c].textContent = text;
      });
    }
    if (activeId) this.root.setAttribute('aria-activedescendant', activeId);
    else this.root.removeAttribute('aria-activedescendant');
    if (wanted > 0) this.request(first, first + wanted);
  }

  /** @param {number} index */
  rowAt(index) {
    const block = this.blocks.get(Math.floor(index / BLOCK)) ?? this.stale.get(Math.floor(index / BLOCK));
    return block ? block[index % BLOCK] : undefined;
  }

  /**
   * Fetches the blocks covering rows [from, to) that are neither cached nor under way.
   * @param {number} from
   * @param {number} to
   */
  request(from, to) {
    for (let b = Math.floor(from / BLOCK); b * BLOCK < to; b += 1) {
      if (this.blocks.has(b)) {
        // Keep recently used blocks at the young end of the map.
        const rows = /** @type {FrameRow[] | null} */ (this.blocks.get(b));
        this.blocks.delete(b);
        this.blocks.set(b, rows);
        continue;
      }
      this.blocks.set(b, null);
      const generation = this.generation;
      this.fetchRows(b * BLOCK, BLOCK).then(
        (rows) => {
          if (generation !== this.generation) return;
          this.blocks.set(b, rows);
          this.stale.delete(b);
          this.evict();
          this.schedule();
          if (this.selected >= b * BLOCK && this.selected < (b + 1) * BLOCK) this.onSelect(this.selected, this.rowAt(this.selected));
        },
        () => {
          if (generation === this.generation) this.blocks.delete(b);
        },
      );
    }
  }

  evict() {
    for (const key of this.blocks.keys()) {
      if (this.blocks.size <= MAX_BLOCKS) break;
      if (this.blocks.get(key) !== null) this.blocks.delete(key);
    }
  }

  /** @param {number} index */
  select(index) {
    if (this.count === 0) return;
    this.selected = Math.max(0, Math.min(this.count - 1, index));
    // Scroll just enough to show the selected row.
    const first = this.firstExact();
    const visible = Math.floor(this.visibleRows());
    if (this.selected < first) this.scrollToFirst(this.selected);
    else if (this.selected + 1 > first + visible) this.scrollToFirst(this.selected + 1 - this.visibleRows());
    this.render();
    this.onSelect(this.selected, this.rowAt(this.selected));
  }

  /** @param {KeyboardEvent} event */
  onKey(event) {
    if (this.count === 0 || event.altKey || event.ctrlKey || event.metaKey) return;
    const page = Math.max(1, Math.floor(this.visibleRows()) - 1);
    const from = this.selected < 0 ? Math.floor(this.firstExact()) - 1 : this.selected;
    /** @type {Record<string, number>} */
    const moves = {
      ArrowDown: from + 1,
      ArrowUp: from - 1,
      PageDown: from + page,
      PageUp: from - page,
      Home: 0,
      End: this.count - 1,
    };
    if (!(event.key in moves)) return;
    event.preventDefault();
    this.select(moves[event.key]);
  }
}
