// @ts-check
// The selected frame's panes: its layers (the detail tree, www/detail.js) and its bytes
// (www/bytes.js), asked of the worker one frame at a time (the latest choice wins), with
// "Verify checksums", and the TCP stream the frame belongs to (for Follow TCP stream).
//
// A frame's detail the worker does not answer in DETAIL_WAIT_MS (a busy worker, or one without
// details) is said to be late, and another frame can be asked for at once; its answer, if it
// comes, is still shown while the frame is the one wanted.

import { DetailTree } from './detail.js';
import { BytesView } from './bytes.js';
import { data, setText, t } from './i18n.js';
import { element } from './elements.js';
import { isSuperseded } from './client.js';

/**
 * @typedef {import('./client.js').WorkerClient} WorkerClient
 * @typedef {import('./protocol.js').DetailAnswer} DetailAnswer
 */

/** How long to wait for a frame's detail before saying there is no answer yet (ms). */
const DETAIL_WAIT_MS = 5000;

export class FrameDetail {
  /**
   * @param {{ client: WorkerClient, onChange: (shown: number | null) => void, onFollow: () => void }} options
   * `onChange` hears of each frame shown (null: none); `onFollow`, of the Follow button.
   */
  constructor(options) {
    this.client = options.client;
    this.onChange = options.onChange;
    this.pane = element('detail-pane');
    this.bytesPane = element('bytes-pane');
    this.note = element('detail-note');
    this.frameTitle = element('detail-frame');
    this.verify = element('detail-verify', HTMLInputElement);
    this.followButton = element('follow-button', HTMLButtonElement);
    this.bytesNote = element('bytes-note');
    /** The frame whose detail is wanted (the selected one), and the one on show. */
    /** @type {number | null} */
    this.wanted = null;
    /** @type {number | null} */
    this.shown = null;
    /** The request under way. */
    /** @type {{ number: number } | null} */
    this.inFlight = null;
    /** A frame whose request got no answer in time: not asked again until another frame is chosen. */
    /** @type {number | null} */
    this.timedOut = null;
    /** The TCP stream of the frame on show (null: not TCP). */
    /** @type {number | null} */
    this.stream = null;

    this.tree = new DetailTree(element('detail-tree'), {
      onSelect: (node) => {
        if (node?.span) {
          this.bytes.highlight(node.span[0], node.span[1]);
          setText(this.bytesNote, 'bytes.selection', { field: data(node.field ?? ''), count: node.span[1], offset: node.span[0] });
          if (!node.field) setText(this.bytesNote, 'bytes.selectionPlain', { count: node.span[1], offset: node.span[0] });
        } else {
          this.bytes.highlight(0, 0);
          setText(this.bytesNote, node?.field ? 'bytes.field' : null, node?.field ? { field: data(node.field) } : undefined);
        }
      },
      expertTitle(severity, group) {
        return t('detail.expert', { severity: { key: `expert.${severity}` }, group });
      },
    });
    this.bytes = new BytesView(element('bytes-view'), {
      onByte: (offset) => {
        if (!this.tree.chooseByte(offset)) {
          this.bytes.highlight(0, 0);
          setText(this.bytesNote, null);
        }
      },
    });
    this.verify.addEventListener('change', () => {
      if (this.shown === null) return;
      const number = this.shown;
      this.shown = null;
      this.want(number);
    });
    this.followButton.addEventListener('click', () => options.onFollow());
  }

  /**
   * Shows or hides the two panes (with the frame list).
   * @param {boolean} shown
   */
  setShown(shown) {
    this.pane.hidden = !shown;
    this.bytesPane.hidden = !shown;
  }

  /**
   * Asks for frame `number`'s detail (the latest wins; one request at a time).
   * @param {number} number
   */
  want(number) {
    if (number !== this.wanted) this.timedOut = null;
    this.wanted = number;
    this.pump();
  }

  pump() {
    const number = this.wanted;
    if (this.inFlight || number === null || number === this.shown || number === this.timedOut) return;
    const client = this.client;
    const open = client.opens;
    if (this.shown === null) setText(this.note, 'detail.loading', { frame: String(number) });
    this.note.hidden = this.shown !== null;
    const request = { number };
    this.inFlight = request;
    client.request('detail', { number, verify: this.verify.checked }, {
      wait: DETAIL_WAIT_MS,
      onWait: () => {
        if (this.inFlight !== request) return;
        // No answer yet (a busy worker, or one without details): say so, and let another
        // choice ask at once; a late answer is still shown.
        this.inFlight = null;
        this.timedOut = number;
        if (client.isCurrent(open) && this.wanted === number) {
          setText(this.note, 'detail.noAnswer', { frame: String(number) });
          this.note.hidden = false;
        }
        this.pump();
      },
    }).then(
      (answer) => {
        if (this.inFlight === request) this.inFlight = null;
        if (client.isCurrent(open) && answer.number === this.wanted) this.show(answer);
        this.pump();
      },
      (error) => {
        if (this.inFlight === request) this.inFlight = null;
        if (client.isCurrent(open) && number === this.wanted && !isSuperseded(error)) {
          this.shown = number;
          this.tree.clear();
          this.bytes.clear();
          setText(this.note, 'detail.failed', { frame: String(number), detail: data(error.message) });
          this.note.hidden = false;
        }
        this.pump();
      },
    );
  }

  /**
   * Shows a frame's detail tree and bytes.
   * @param {DetailAnswer} answer
   */
  show(answer) {
    this.shown = answer.number;
    this.note.hidden = true;
    setText(this.frameTitle, 'detail.frame', { frame: String(answer.number) });
    this.bytes.show(answer.bytes instanceof Uint8Array ? answer.bytes : new Uint8Array(answer.bytes ?? []));
    setText(this.bytesNote, null);
    this.tree.show(Array.isArray(answer.tree) ? answer.tree : []);
    this.stream = typeof answer.stream === 'number' ? answer.stream : this.streamOfTree();
    this.followButton.disabled = this.stream === null;
    this.pane.dataset.frame = String(answer.number);
    this.onChange(this.shown);
  }

  /** The TCP stream of the frame shown, from its tree's [Stream index: N] under TCP. */
  streamOfTree() {
    const node = this.tree.fieldNode('tcp.stream');
    const match = node ? /:\s*(\d+)/.exec(node.label) : null;
    return match ? Number(match[1]) : null;
  }

  /** Another file: the request under way is forgotten, and nothing is shown. */
  reset() {
    this.inFlight = null;
    this.clear();
  }

  /** Nothing selected: the panes say how to fill them. */
  clear() {
    this.wanted = null;
    this.timedOut = null;
    this.shown = null;
    this.stream = null;
    this.tree.clear();
    this.bytes.clear();
    setText(this.frameTitle, null);
    setText(this.bytesNote, null);
    setText(this.note, 'detail.hint');
    this.note.hidden = false;
    this.followButton.disabled = true;
    delete this.pane.dataset.frame;
    this.onChange(null);
  }

  /** Moves the focus to the frame's layers. */
  focusTree() {
    this.tree.root.focus({ preventScroll: true });
  }
}
