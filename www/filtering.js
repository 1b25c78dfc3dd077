// @ts-check
// The display filter in effect on the frame list: applying one (the bar, a connection chosen in
// the conversations table, Follow, the address's view), the list refilled with what passes,
// the chosen connection's ladder shown when the filter is one stream's, and a frame kept or
// chosen selected. Only the latest filter counts; the bar (www/filterbar.js) shows the
// outcome.
//
// A worker that does not answer display filters (learnt from silence: the probe after a
// capture is read, or a filter unanswered after FILTER_PROBE_MS) still lists one TCP stream's
// frames, or all of them, through the older stream filter message; other filters are then said
// to be unavailable. An answer that comes late still counts.

import { FilterBar, streamOfFilter } from './filterbar.js';
import { data } from './i18n.js';
import { element } from './elements.js';
import { isSuperseded } from './client.js';

/**
 * @typedef {import('./client.js').WorkerClient} WorkerClient
 * @typedef {import('./statusbar.js').StatusBar} StatusBar
 * @typedef {import('./framelist.js').FrameList} FrameList
 * @typedef {import('./framedetail.js').FrameDetail} FrameDetail
 * @typedef {import('./ladderpane.js').LadderPane} LadderPane
 * @typedef {import('./conversations.js').Conversations} Conversations
 * @typedef {import('./protocol.js').DisplayFilteredAnswer} DisplayFilteredAnswer
 */

/**
 * A display filter being applied (only the latest counts).
 * @typedef {{ text: string, open: number, frame: number | null, keep: boolean, legacy: boolean, timer: number }} FilterRequest
 */

/** How long to wait for a first answer to a display filter before trying the older message (ms). */
const FILTER_PROBE_MS = 3000;

export class DisplayFilter {
  /**
   * @param {{
   *   client: WorkerClient, status: StatusBar, list: FrameList, detail: FrameDetail,
   *   ladder: LadderPane, conversations: Conversations, onChange: () => void,
   * }} options
   * `onChange` hears that the list shows another filter (and its frame, if any, is selected).
   */
  constructor(options) {
    this.client = options.client;
    this.status = options.status;
    this.list = options.list;
    this.detail = options.detail;
    this.ladder = options.ladder;
    this.conversations = options.conversations;
    this.onChange = options.onChange;
    /** The display filter in effect on the list ('' for none). */
    this.applied = '';
    /** @type {FilterRequest | null} */
    this.request = null;
    /** Whether the worker answers display filters: learnt from its first answer, or silence. */
    /** @type {'unknown' | 'yes' | 'no'} */
    this.answers = 'unknown';
    this.bar = new FilterBar({
      form: element('filter-bar', HTMLFormElement),
      input: element('filter-input', HTMLInputElement),
      mirror: element('filter-mirror'),
      clear: element('filter-clear', HTMLButtonElement),
      history: element('filter-history', HTMLDataListElement),
      count: element('filter-count'),
      error: element('filter-error'),
      errorText: element('filter-message'),
      onApply: (text) => this.apply(text, { keep: true }),
    });
  }

  /**
   * Puts `text` in the bar and applies it (as choosing a connection or following a stream
   * does).
   * @param {string} text
   * @param {{ frame?: number | null, keep: boolean }} how
   */
  set(text, how) {
    this.bar.setText(text);
    this.apply(text, how);
  }

  /**
   * Lists connection `stream`'s frames; the connection chosen again lists every frame.
   * @param {number} stream
   */
  chooseStream(stream) {
    // A connection opens on its first frame.
    this.set(streamOfFilter(this.applied) === stream ? '' : `tcp.stream == ${stream}`, { keep: false });
  }

  /** Moves the focus to the bar, its text selected. */
  focus() {
    this.bar.input.focus();
    this.bar.input.select();
  }

  /** Another file: no filter in effect, none under way. */
  clear() {
    if (this.request) clearTimeout(this.request.timer);
    this.request = null;
    this.applied = '';
    this.bar.setText('');
    this.bar.accepted('', 0, 0);
  }

  /**
   * The capture is read: every one of its `frames` frames is listed.
   * @param {number} frames
   */
  showingAll(frames) {
    this.bar.accepted('', frames, frames);
  }

  /**
   * Applies display filter `text` ('' for every frame). With `frame`, that frame is selected once
   * the list is filtered; else, with `keep`, the frame selected now stays selected when listed.
   * @param {string} text
   * @param {{ frame?: number | null, keep: boolean }} how
   */
  apply(text, how) {
    if (!this.list.ready) return;
    if (this.request) clearTimeout(this.request.timer);
    /** @type {FilterRequest} */
    const request = { text, open: this.client.opens, frame: how.frame ?? null, keep: how.keep, legacy: false, timer: 0 };
    this.request = request;
    this.bar.busy();
    if (text.trim() !== '') this.status.say('status.filtering', { filter: data(text.trim()) });
    // The filters the older message can express go that way at once once the worker is known
    // not to answer display filters; any other is still asked (a late answer is applied).
    const legacyable = text.trim() === '' || streamOfFilter(text) !== null;
    if (this.answers === 'no' && legacyable) {
      this.applyLegacy(request);
      return;
    }
    this.client.request('display-filter', { text }, {
      onProgress: (message) => {
        this.answers = 'yes';
        if (this.request !== request) return;
        clearTimeout(request.timer);
        this.status.filtering(message.done, message.total);
      },
    }).then(
      (answer) => this.answered(request, answer),
      (error) => this.failed(request, error),
    );
    if (this.answers !== 'yes') {
      request.timer = window.setTimeout(() => {
        if (this.request !== request || this.answers === 'yes') return;
        this.answers = 'no';
        if (legacyable) this.applyLegacy(request);
        else this.unavailable();
      }, FILTER_PROBE_MS);
    }
  }

  /**
   * Asks the worker whether it knows display filters (an empty filter: every frame), so that a
   * worker without them is known before the user's first filter.
   */
  probe() {
    if (this.answers !== 'unknown') return;
    this.client.request('display-filter', { text: '' }, {
      // No answer in time: the stream filters go the older way (an answer later still counts).
      wait: FILTER_PROBE_MS,
      onWait: () => {
        if (this.answers === 'unknown') this.answers = 'no';
      },
    }).then(() => {
      this.answers = 'yes';
    }, () => {});
  }

  /** The worker did not answer a display filter the older message cannot express. */
  unavailable() {
    this.bar.unavailable('filter.unsupported');
    this.status.say('status.filterRefused');
  }

  /**
   * Applies `request` with the older stream filter message, for the filters it can express.
   * @param {FilterRequest} request
   */
  async applyLegacy(request) {
    const stream = streamOfFilter(request.text);
    if (stream === null && request.text.trim() !== '') {
      this.unavailable();
      return;
    }
    request.legacy = true;
    /** @type {number} */
    let count;
    try {
      ({ count } = await this.client.request('filter', { stream }));
    } catch {
      return; // superseded by another file
    }
    if (this.request !== request || !this.client.isCurrent(request.open)) return;
    this.filtered(request, count);
  }

  /**
   * The worker's answer to display filter `request`.
   * @param {FilterRequest} request
   * @param {DisplayFilteredAnswer} message
   */
  answered(request, message) {
    this.answers = 'yes';
    if (this.request !== request || request.legacy || message.superseded) return;
    clearTimeout(request.timer);
    this.status.done();
    if (message.error) {
      this.request = null;
      // The list stays as it was, under the filter still in effect.
      this.bar.refused(request.text, message.error);
      this.status.say('status.filterRefused');
      return;
    }
    this.filtered(request, message.count ?? 0);
  }

  /**
   * The worker could not apply display filter `request` (it could not read the file again):
   * refused with its message, the list left as it was.
   * @param {FilterRequest} request
   * @param {Error} error
   */
  failed(request, error) {
    if (isSuperseded(error)) return;
    this.answers = 'yes';
    if (this.request !== request || request.legacy) return;
    clearTimeout(request.timer);
    this.status.done();
    this.request = null;
    this.bar.refused(request.text, { message: error.message });
    this.status.say('status.filterRefused');
  }

  /**
   * The list now shows the `count` frames that pass `request`'s filter.
   * @param {FilterRequest} request
   * @param {number} count
   */
  filtered(request, count) {
    this.request = null;
    this.status.done();
    const list = this.list;
    this.applied = request.text.trim();
    this.bar.accepted(this.applied, count, list.total);
    const stream = streamOfFilter(this.applied);
    this.conversations.setChosen(stream);
    const previous = list.selected;
    list.reset(count);
    if (stream !== null) this.ladder.show(stream);
    else this.ladder.hide();
    if (this.applied === '') this.status.say('status.showingAll', { count: list.total });
    else this.status.say('status.showingFiltered', { shown: count, total: list.total, filter: data(this.applied) });
    const wanted = request.frame ?? (request.keep ? previous : null);
    if (wanted !== null) {
      list.selectFrame(wanted).then((found) => {
        if (!found && this.client.isCurrent(request.open)) this.detail.clear();
        this.onChange();
      });
    } else {
      this.detail.clear();
      this.onChange();
    }
  }
}
