// @ts-check
// Follow TCP stream, as Wireshark's dialog: both directions' payload in stream order, the
// client's and the server's in two colours, a legend naming the endpoints and their byte
// counts, the data as ASCII, a hex dump or raw hex (formatted by the core), and either
// direction alone. Payload is packet data: inserted as text only, never translated.

import { data, setText, t } from './i18n.js';

/**
 * @typedef {import('./types.js').Followed} Followed
 * @typedef {import('./protocol.js').FollowFormat} FollowFormat
 */

const FORMATS = ['ascii', 'hex', 'raw'];

export class FollowDialog {
  /**
   * @param {HTMLDialogElement} dialog
   * @param {{ fetch: (stream: number, format: FollowFormat) => Promise<Followed> }} options
   */
  constructor(dialog, options) {
    this.dialog = dialog;
    this.fetch = options.fetch;
    /** @param {string} selector */
    const part = (selector) => {
      const element = dialog.querySelector(selector);
      if (!element) throw new Error(`the follow dialog lacks ${selector}`);
      return /** @type {HTMLElement} */ (element);
    };
    this.title = part('.follow-stream');
    this.clientLegend = part('.legend-client');
    this.serverLegend = part('.legend-server');
    this.format = /** @type {HTMLSelectElement} */ (part('.follow-format'));
    this.direction = /** @type {HTMLSelectElement} */ (part('.follow-direction'));
    this.text = part('.follow-text');
    this.note = part('.follow-note');
    /** @type {number | null} */
    this.stream = null;
    /** Numbers requests, so that only the latest answer is shown. */
    this.ticket = 0;
    /** @type {Followed | null} */
    this.answer = null;

    this.format.addEventListener('change', () => {
      if (this.stream !== null) this.load(this.stream);
    });
    this.direction.addEventListener('change', () => {
      this.dialog.dataset.direction = this.direction.value;
    });
    part('.follow-close').addEventListener('click', () => this.dialog.close());
    this.dialog.addEventListener('close', () => {
      this.ticket += 1;
      this.stream = null;
      delete this.dialog.dataset.state;
    });
  }

  /**
   * Opens the dialog on stream `stream`.
   * @param {number} stream
   */
  open(stream) {
    this.direction.value = 'both';
    this.dialog.dataset.direction = 'both';
    if (!this.dialog.open) this.dialog.showModal();
    this.load(stream);
    this.text.focus({ preventScroll: true });
  }

  /** @param {number} stream */
  async load(stream) {
    const ticket = ++this.ticket;
    const format = /** @type {FollowFormat} */ (FORMATS.includes(this.format.value) ? this.format.value : 'ascii');
    this.stream = stream;
    this.dialog.dataset.stream = String(stream);
    this.dialog.dataset.format = format;
    this.dialog.dataset.state = 'loading';
    setText(this.title, 'follow.stream', { stream: String(stream) });
    setText(this.note, 'follow.loading');
    this.note.hidden = false;
    /** @type {Followed} */
    let answer;
    try {
      answer = await this.fetch(stream, format);
    } catch (error) {
      if (ticket !== this.ticket) return;
      this.dialog.dataset.state = 'failed';
      this.text.replaceChildren();
      // The worker's or the core's message, in English.
      setText(this.note, null);
      this.note.textContent = error instanceof Error ? error.message : String(error);
      this.note.lang = 'en';
      return;
    }
    if (ticket !== this.ticket) return;
    this.answer = answer;
    this.show(answer, format);
  }

  /**
   * The core answered slowly (or not at all): says so while still waiting.
   * @param {string} key
   */
  waiting(key) {
    if (this.dialog.dataset.state !== 'loading') return;
    this.dialog.dataset.state = 'waiting';
    this.note.removeAttribute('lang');
    setText(this.note, key);
  }

  /**
   * @param {Followed} answer
   * @param {FollowFormat} format
   */
  show(answer, format) {
    const client = answer.client;
    const server = answer.server;
    const out = answer.bytes.client_to_server;
    const back = answer.bytes.server_to_client;
    setText(this.clientLegend, 'follow.legend', { from: data(client), to: data(server), count: out });
    setText(this.serverLegend, 'follow.legend', { from: data(server), to: data(client), count: back });
    const [both, fromClient, fromServer] = /** @type {HTMLOptionElement[]} */ ([...this.direction.options]);
    setText(both, 'follow.both', { count: out + back });
    setText(fromClient, 'follow.only', { from: client, to: server, count: out });
    setText(fromServer, 'follow.only', { from: server, to: client, count: back });
    const fragment = document.createDocumentFragment();
    for (const chunk of answer.chunks) {
      const span = document.createElement('span');
      span.className = chunk.from_client ? 'from-client' : 'from-server';
      span.dataset.frame = String(chunk.frame);
      span.title = t('follow.frame', { frame: String(chunk.frame) });
      // Hex dumps and raw hex are one chunk a block: each ends its line.
      span.textContent = format !== 'ascii' && !chunk.text.endsWith('\n') ? `${chunk.text}\n` : chunk.text;
      fragment.append(span);
    }
    this.text.replaceChildren(fragment);
    this.text.scrollTop = 0;
    this.note.removeAttribute('lang');
    if (answer.chunks.length === 0) {
      setText(this.note, 'follow.empty');
      this.note.hidden = false;
    } else if (answer.left_out) {
      // The core follows at most 16 MiB each way.
      setText(this.note, 'follow.leftOut', { count: answer.left_out });
      this.note.hidden = false;
    } else {
      setText(this.note, null);
      this.note.hidden = true;
    }
    this.dialog.dataset.state = 'ready';
  }

  /** The chunk titles follow the page's language. */
  relabel() {
    if (this.answer && this.dialog.dataset.state === 'ready') {
      for (const span of this.text.children) {
        /** @type {HTMLElement} */ (span).title = t('follow.frame', { frame: String(/** @type {HTMLElement} */ (span).dataset.frame) });
      }
    }
  }
}
