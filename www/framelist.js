// @ts-check
// The frame list's pane: the grid (www/grid.js) fed with rows from the worker, its resizable
// columns, the Time column's format, and "Go to frame". It keeps which frame is selected and
// how many frames the capture has, and selects a frame by its number when it is listed.
//
// A large capture's list is shown while it is read (www/opening.js): its first block of rows
// can be asked for before the list is shown (`askFirstRows`), so that it appears with them.

import { BLOCK, FrameGrid } from './grid.js';
import { unpackRows } from './rowtable.js';
import { ColumnSizer } from './columns.js';
import { setText } from './i18n.js';
import { element } from './elements.js';
import { isSuperseded } from './client.js';

/**
 * @typedef {import('./types.js').FrameRow} FrameRow
 * @typedef {import('./client.js').WorkerClient} WorkerClient
 * @typedef {import('./statusbar.js').StatusBar} StatusBar
 */

const TIME_KEY = 'tcp-timeline.time-format';
const TIME_FORMATS = ['relative', 'delta', 'delta_captured', 'absolute', 'utc', 'epoch'];

export class FrameList {
  /**
   * @param {{
   *   client: WorkerClient, status: StatusBar,
   *   onFrame: (number: number, changed: boolean) => void,
   *   onError: (error: unknown) => void,
   * }} options
   * `onFrame` hears of each frame whose row is selected (`changed`: another frame than
   * before), also when its row comes again; `onError`, of a failure to apply a time format.
   */
  constructor(options) {
    this.client = options.client;
    this.status = options.status;
    this.onFrame = options.onFrame;
    this.onError = options.onError;
    this.pane = element('frames-pane');
    /** Frames in the capture, and the first one's time (epoch seconds), for the viewer's time zone. */
    this.total = 0;
    /** @type {number | null} */
    this.firstEpoch = null;
    /** The frame selected in the list (its number). */
    /** @type {number | null} */
    this.selected = null;
    /** The list's first block of rows, asked for before the list is shown (see askFirstRows). */
    /** @type {Promise<FrameRow[]> | null} */
    this.firstRows = null;
    /** Whether `firstRows` has its answer. */
    this.firstRowsReady = false;

    this.grid = new FrameGrid(element('frame-grid'), {
      fetchRows: (start, count) => {
        // Only while reading: once the capture is read, its rows are final and asked for again.
        const early = start === 0 && count === BLOCK && document.body.dataset.state === 'reading' ? this.firstRows : null;
        this.firstRows = null;
        if (!early) return this.askRows(start, count);
        // Frames read later are in a later block; a block cut short is asked for again.
        return early.then((rows) => (rows.length === count ? rows : this.askRows(start, count)));
      },
      onSelect: (index, row) => {
        if (row) this.status.say('status.frameSelected', { frame: String(row.number), total: this.total });
        else this.status.say('status.rowSelected', { row: String(index + 1), total: this.grid.count });
        if (!row) return;
        const changed = row.number !== this.selected;
        this.selected = row.number;
        this.onFrame(row.number, changed);
      },
    });
    this.columns = new ColumnSizer(this.grid.root, /** @type {HTMLElement[]} */ ([...this.grid.head.querySelectorAll('[role=columnheader]')]), [
      'frames.col.number', 'frames.col.time', 'frames.col.source', 'frames.col.destination', 'frames.col.protocol', 'frames.col.length', 'frames.col.info',
    ]);
    this.timeFormat = element('time-format', HTMLSelectElement);
    this.gotoForm = element('goto-form', HTMLFormElement);
    this.gotoInput = element('goto-input', HTMLInputElement);
    this.gotoButton = element('goto-button', HTMLButtonElement);
    this.gotoNote = element('goto-note');
    this.wireTimeFormat();
    this.wireGoto();
  }

  /** Whether a capture is read and its frames listed. */
  get ready() {
    return document.body.dataset.state === 'loaded' && !this.pane.hidden;
  }

  /**
   * Asks the worker for rows [start, start + count) of the list.
   * @param {number} start
   * @param {number} count
   * @returns {Promise<FrameRow[]>}
   */
  askRows(start, count) {
    return this.client.request('rows', { start, count }).then((answer) => unpackRows(answer.rows));
  }

  /**
   * Asks for the list's first block of rows now, while the capture is read and before the list
   * is shown: the worker works on them while the page waits. `then` runs once they are here
   * (or could not be had), unless another file was opened meanwhile.
   * @param {() => void} then
   */
  askFirstRows(then) {
    const opened = this.client.opens;
    const answered = () => {
      if (!this.client.isCurrent(opened)) return;
      this.firstRowsReady = true;
      then();
    };
    this.firstRows = this.askRows(0, BLOCK);
    this.firstRows.then(answered, answered);
  }

  /** Whether the first rows were asked for early and have not come yet. */
  get awaitingFirstRows() {
    return this.firstRows !== null && !this.firstRowsReady;
  }

  /** The capture is read: rows asked for while it was read are not to be shown. */
  dropFirstRows() {
    this.firstRows = null;
  }

  /** Another file: nothing listed, nothing selected, no rows asked for early. */
  clear() {
    this.firstRows = null;
    this.firstRowsReady = false;
    this.selected = null;
    this.showGoto(false);
    this.grid.reset(0);
  }

  /**
   * The list now has `count` rows (another filter, or the capture read), none selected.
   * @param {number} count
   */
  reset(count) {
    this.grid.reset(count);
    this.selected = null;
  }

  /**
   * The capture is read: `frames` frames, the first at `firstEpoch`. Before the first rows are
   * asked for, the worker is told the Time column's format (it answers in order).
   * @param {number} frames
   * @param {number | null} firstEpoch
   */
  read(frames, firstEpoch) {
    this.total = frames;
    this.firstEpoch = firstEpoch;
    if (this.timeFormat.value !== 'relative' && !this.pane.hidden) this.sendTimeFormat().catch(() => {});
  }

  /**
   * Selects frame `number` in the list when it is listed; resolves to whether it is.
   * @param {number} number
   */
  async selectFrame(number) {
    const open = this.client.opens;
    const index = await this.client.call('row_index', number).catch(() => undefined);
    if (!this.client.isCurrent(open) || typeof index !== 'number') return false;
    this.grid.select(index);
    return true;
  }

  /** @param {{ preventScroll: boolean }} [options] */
  focus(options = { preventScroll: true }) {
    this.grid.root.focus(options);
  }

  // The Time column's format ---------------------------------------------------------------

  wireTimeFormat() {
    try {
      const saved = localStorage.getItem(TIME_KEY);
      if (saved && TIME_FORMATS.includes(saved)) this.timeFormat.value = saved;
    } catch {
      // storage refused: the default format
    }
    this.grid.root.dataset.time = this.timeFormat.value;
    this.timeFormat.addEventListener('change', async () => {
      try {
        localStorage.setItem(TIME_KEY, this.timeFormat.value);
      } catch {
        // storage refused
      }
      this.grid.root.dataset.time = this.timeFormat.value;
      this.columns.resetColumn(1);
      if (!this.ready) return;
      const open = this.client.opens;
      try {
        await this.sendTimeFormat();
      } catch (error) {
        if (this.client.isCurrent(open) && !isSuperseded(error)) this.onError(error);
        return;
      }
      if (this.client.isCurrent(open)) this.grid.refresh();
    });
  }

  /** Tells the worker the Time column's format (minutes east of UTC: the viewer's zone then). */
  sendTimeFormat() {
    const at = this.firstEpoch === null ? new Date() : new Date(this.firstEpoch * 1000);
    const offset = Number.isNaN(at.getTime()) ? 0 : -at.getTimezoneOffset();
    return this.client.call('set_time_format', this.timeFormat.value, offset);
  }

  // Go to frame ----------------------------------------------------------------------------

  wireGoto() {
    this.gotoButton.addEventListener('click', () => this.showGoto(this.gotoForm.hidden));
    element('goto-cancel').addEventListener('click', () => {
      this.showGoto(false);
      this.focus();
    });
    this.gotoForm.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      event.stopPropagation();
      this.showGoto(false);
      this.focus();
    });
    this.gotoForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      const text = this.gotoInput.value.trim();
      const number = Number(text);
      if (!/^\d+$/.test(text) || number < 1) {
        setText(this.gotoNote, 'goto.invalid');
        return;
      }
      const open = this.client.opens;
      const index = await this.client.call('row_index', number).catch(() => undefined);
      if (!this.client.isCurrent(open)) return;
      if (typeof index !== 'number') {
        setText(this.gotoNote, number > this.total ? 'goto.beyond' : 'goto.notListed', { frame: String(number), count: this.total });
        return;
      }
      this.showGoto(false);
      this.grid.select(index);
      this.focus();
    });
  }

  /** @param {boolean} show */
  showGoto(show) {
    this.gotoForm.hidden = !show;
    this.gotoButton.setAttribute('aria-expanded', String(show));
    setText(this.gotoNote, null);
    if (show) {
      this.gotoInput.value = '';
      this.gotoInput.focus();
    }
  }
}
