// @ts-check
// The view in the page's address: the hash names the filter, the selected frame and the ladder's
// stream (#filter=…&frame=N&stream=N, www/hashstate.js), written as they change once a capture
// is read and its view restored, and read back when the reader edits it. A view named on load
// (or the view of the file opened again) is restored once the capture is read; so is the
// stream of ?capture=…&stream=N (www/opening.js).

import { isEmpty, parseHash, writeHash } from './hashstate.js';

/**
 * @typedef {import('./hashstate.js').ViewState} ViewState
 * @typedef {import('./filtering.js').DisplayFilter} DisplayFilter
 * @typedef {import('./framelist.js').FrameList} FrameList
 * @typedef {import('./ladderpane.js').LadderPane} LadderPane
 */

/** How long the hash waits for the view to settle (moving through the list writes it once). */
const HASH_DELAY_MS = 250;

export class AddressState {
  /**
   * @param {{
   *   filter: DisplayFilter, list: FrameList, ladder: LadderPane,
   *   hasStream: (stream: number) => boolean, onNoStream: (stream: number) => void,
   * }} options
   * `hasStream` says whether the capture read has a TCP stream; `onNoStream` hears of a
   * stream asked for on load that it has not.
   */
  constructor(options) {
    this.filter = options.filter;
    this.list = options.list;
    this.ladder = options.ladder;
    this.hasStream = options.hasStream;
    this.onNoStream = options.onNoStream;
    /** The view to restore once the capture is read: from the hash on load, or re-opening the same file. */
    /** @type {ViewState | null} */
    this.stateOnLoad = isEmpty(parseHash(location.hash)) ? null : parseHash(location.hash);
    /** A stream to open once the capture is read (from ?stream=N). */
    /** @type {number | null} */
    this.streamOnLoad = null;
    /** The hash follows the view only once a capture is read and its view restored. */
    this.live = false;
    this.timer = 0;
    window.addEventListener('hashchange', () => {
      if (!this.list.ready) return;
      this.restore(parseHash(location.hash));
    });
  }

  /**
   * Another file is opened (named `name`; the one shown was `shown`), and `stream` is to be
   * shown once it is read (null: none). The same file again goes back to the view the hash
   * names; another starts afresh.
   * @param {string} name
   * @param {string} shown
   * @param {number | null} stream
   */
  opening(name, shown, stream) {
    if (this.live) {
      const state = parseHash(location.hash);
      this.stateOnLoad = name === shown && !isEmpty(state) ? state : null;
      if (name !== shown) writeHash({ filter: null, frame: null, stream: null });
    }
    this.live = false;
    this.streamOnLoad = stream;
  }

  /**
   * The capture is read and listed: its view (from the hash, or ?stream=) is restored, and
   * from now on the hash follows the view.
   */
  read() {
    const state = this.stateOnLoad;
    this.stateOnLoad = null;
    const stream = this.streamOnLoad;
    this.streamOnLoad = null;
    if (state) {
      this.restore(state);
    } else if (stream !== null) {
      if (this.hasStream(stream)) this.filter.set(`tcp.stream == ${stream}`, { keep: false });
      else this.onNoStream(stream);
    }
    this.live = true;
  }

  /** Writes the view into the hash a little later (moving through the list writes it once). */
  schedule() {
    clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.update(), HASH_DELAY_MS);
  }

  /** Writes the view into the hash now. */
  update() {
    clearTimeout(this.timer);
    if (!this.live) return;
    writeHash({ filter: this.filter.applied || null, frame: this.list.selected, stream: this.ladder.stream });
  }

  /**
   * Restores a view: its filter (or its stream's), then its frame.
   * @param {ViewState} state
   */
  restore(state) {
    const text = state.filter ?? (state.stream !== null ? `tcp.stream == ${state.stream}` : '');
    if (text.trim() !== this.filter.applied) this.filter.set(text, { frame: state.frame, keep: false });
    else if (state.frame !== null) this.list.selectFrame(state.frame);
  }
}
