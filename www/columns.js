// @ts-check
// Resizable columns of the frame list: each header cell has a handle on its right edge, dragged
// with the pointer or moved with ←/→ once focused (double-click: every column back to its
// default width). Widths are kept in localStorage. The list's rows and header share one CSS
// grid template (--columns on the grid element, set through the CSSOM), so resizing redraws
// only the rows in view. The last column (Info) always takes the rest of the list's width: its
// width here is its smallest, which only a drag of its own edge sets.

import { draggable } from './drag.js';
import { setAttr } from './i18n.js';

const STORAGE_KEY = 'tcp-timeline.columns';
const MIN_WIDTH = 28;
const STEP = 10;
/** Info's smallest width by default, in em (as in style.css's --columns). */
const LAST_MIN_EM = 14;

export class ColumnSizer {
  /**
   * @param {HTMLElement} grid the element whose --columns the rows use
   * @param {HTMLElement[]} headers the header cells, in order (the last one takes the room left)
   * @param {string[]} names each column's text key, to name its handle
   */
  constructor(grid, headers, names) {
    this.grid = grid;
    this.headers = headers;
    /** Widths in px, or null while the columns keep the stylesheet's widths. */
    /** @type {number[] | null} */
    this.widths = load(headers.length);
    headers.forEach((header, i) => {
      const handle = document.createElement('span');
      handle.className = 'col-resizer';
      handle.setAttribute('role', 'separator');
      handle.setAttribute('aria-orientation', 'vertical');
      handle.tabIndex = 0;
      setAttr(handle, 'aria-label', 'frames.resize', { column: { key: names[i] } });
      setAttr(handle, 'title', 'frames.resizeTitle');
      header.append(handle);
      this.wire(handle, i);
    });
    this.apply();
  }

  /**
   * @param {HTMLElement} handle
   * @param {number} column
   */
  wire(handle, column) {
    let startWidth = 0;
    draggable(handle, {
      axis: 'x',
      start: (event) => {
        event.stopPropagation();
        startWidth = this.startWidth(column);
      },
      move: (moved) => this.resize(column, startWidth + moved, false),
      end: () => this.save(),
    });
    handle.addEventListener('click', (event) => event.stopPropagation());
    handle.addEventListener('dblclick', (event) => {
      event.stopPropagation();
      this.reset();
    });
    handle.addEventListener('keydown', (event) => {
      if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
      event.preventDefault();
      event.stopPropagation();
      this.resize(column, this.startWidth(column) + (event.key === 'ArrowRight' ? STEP : -STEP), true);
    });
  }

  /**
   * The columns' widths now, in px (measured when the stylesheet still sets them); the last
   * one's is its smallest, not the room it takes now, so that it keeps taking the rest.
   */
  current() {
    if (!this.widths) {
      const widths = this.headers.map((header) => Math.round(header.getBoundingClientRect().width));
      const last = this.headers[widths.length - 1];
      widths[widths.length - 1] = Math.min(widths[widths.length - 1], Math.round(LAST_MIN_EM * parseFloat(getComputedStyle(last).fontSize)));
      this.widths = widths;
    }
    return this.widths;
  }

  /**
   * The width a drag or a key resizes column `column` from: its width, or for the last column
   * the room it takes now when that is more than its smallest.
   * @param {number} column
   */
  startWidth(column) {
    const widths = this.current();
    if (column < widths.length - 1) return widths[column];
    return Math.max(widths[column], Math.round(this.headers[column].getBoundingClientRect().width));
  }

  /**
   * @param {number} column
   * @param {number} width px
   * @param {boolean} save
   */
  resize(column, width, save) {
    const widths = this.current();
    widths[column] = Math.max(MIN_WIDTH, Math.round(width));
    this.apply();
    if (save) this.save();
  }

  /** Every column back to the stylesheet's width. */
  reset() {
    this.widths = null;
    try {
      localStorage.removeItem(STORAGE_KEY);
    } catch {
      // storage refused
    }
    this.apply();
  }

  /**
   * Gives column `column` the stylesheet's width again (as a change of time format does for
   * the Time column), keeping the others.
   * @param {number} column
   */
  resetColumn(column) {
    if (!this.widths) return;
    this.grid.style.removeProperty('--columns');
    this.grid.style.removeProperty('--columns-min');
    const natural = Math.round(this.headers[column].getBoundingClientRect().width);
    this.widths[column] = natural;
    this.apply();
    this.save();
  }

  apply() {
    const widths = this.widths;
    if (!widths) {
      this.grid.style.removeProperty('--columns');
      this.grid.style.removeProperty('--columns-min');
    } else {
      const last = widths.length - 1;
      this.grid.style.setProperty('--columns', widths.map((w, i) => (i === last ? `minmax(${w}px, 1fr)` : `${w}px`)).join(' '));
      this.grid.style.setProperty('--columns-min', `${widths.reduce((sum, w) => sum + w, 0)}px`);
    }
    this.headers.forEach((header, i) => {
      const handle = header.querySelector('.col-resizer');
      if (handle && widths) handle.setAttribute('aria-valuenow', String(widths[i]));
      else handle?.removeAttribute('aria-valuenow');
    });
  }

  save() {
    if (!this.widths) return;
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(this.widths));
    } catch {
      // storage refused: the widths last for this page only
    }
  }
}

/**
 * @param {number} count
 * @returns {number[] | null}
 */
function load(count) {
  try {
    const widths = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
    if (Array.isArray(widths) && widths.length === count && widths.every((w) => typeof w === 'number' && w >= MIN_WIDTH && w < 5000)) return widths;
  } catch {
    // nothing saved, or storage refused
  }
  return null;
}
