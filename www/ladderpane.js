// @ts-check
// The ladder's pane beside the list: the chosen connection's ladder (www/ladder.js) drawn in
// the pane's language, time axis and folding, and its exports (SVG and PNG downloads, Mermaid
// text and an embed snippet copied, or shown to copy by hand where the clipboard is refused).
// The ladder's language follows the page's unless its own select sets it apart.
//
// The pane says how far it is in data-state (drawing, ready, failed) and, once drawn, which
// stream in which language (data-stream, data-lang): for tests and automation.

import { LadderView, attributeText, download, svgToPng } from './ladder.js';
import { data, getLang, setText } from './i18n.js';
import { element } from './elements.js';
import { isSuperseded } from './client.js';
import { errorMessage } from './messages.js';

/**
 * @typedef {import('./client.js').WorkerClient} WorkerClient
 * @typedef {import('./messages.js').Messages} Messages
 * @typedef {import('./i18n.js').Lang} Lang
 */

export class LadderPane {
  /**
   * @param {{
   *   client: WorkerClient, messages: Messages,
   *   capture: () => { name: string, url: string | null },
   *   onChoose: (frame: number) => void,
   * }} options
   * `capture`: the capture shown (its name names the exports; its address, the embed's
   * source); `onChoose` hears of a segment chosen in the ladder.
   */
  constructor(options) {
    this.client = options.client;
    this.messages = options.messages;
    this.capture = options.capture;
    this.pane = element('ladder-pane');
    this.workspace = /** @type {HTMLElement} */ (document.querySelector('main.workspace'));
    this.langSelect = element('ladder-lang', HTMLSelectElement);
    this.axis = element('ladder-axis', HTMLSelectElement);
    this.expand = element('ladder-expand', HTMLInputElement);
    this.note = element('ladder-note');
    this.copyBox = element('ladder-copy');
    this.copyText = element('ladder-copy-text', HTMLTextAreaElement);
    /** The stream whose ladder is wanted (null: none); `view.stream` is the one drawn. */
    /** @type {number | null} */
    this.stream = null;
    this.view = new LadderView({
      host: element('ladder-view'),
      explanation: element('ladder-explanation'),
      call: (method, ...args) => this.client.call(method, ...args),
      onChoose: options.onChoose,
    });
    this.langSelect.value = getLang();
    for (const control of [this.langSelect, this.axis, this.expand]) {
      control.addEventListener('change', () => this.redraw());
    }
    this.wireExports();
  }

  /** The ladder's options as the pane's controls set them. */
  options() {
    return { lang: this.langSelect.value === 'zh' ? 'zh' : 'en', proportional: this.axis.value === 'proportional', expand: this.expand.checked };
  }

  /**
   * Draws stream `stream`'s ladder beside the list.
   * @param {number} stream
   */
  async show(stream) {
    const open = this.client.opens;
    const options = this.options();
    this.stream = stream;
    this.pane.hidden = false;
    this.workspace.classList.add('with-ladder');
    this.pane.dataset.state = 'drawing';
    setText(element('ladder-stream'), 'ladder.stream', { stream: String(stream) });
    try {
      await this.view.show(stream, options);
    } catch (error) {
      if (!this.client.isCurrent(open) || isSuperseded(error)) return;
      this.pane.dataset.state = 'failed';
      this.messages.error(errorMessage(error));
      return;
    }
    if (!this.client.isCurrent(open) || this.stream !== stream) return;
    this.pane.dataset.stream = String(stream);
    this.pane.dataset.lang = options.lang;
    this.pane.dataset.state = 'ready';
  }

  /** The drawn ladder again, as the controls now say. */
  redraw() {
    if (this.view.stream !== null) this.show(this.view.stream);
  }

  hide() {
    this.stream = null;
    this.view.clear();
    this.pane.hidden = true;
    this.workspace.classList.remove('with-ladder');
    this.copyBox.hidden = true;
    setText(this.note, null);
    delete this.pane.dataset.state;
    delete this.pane.dataset.stream;
  }

  /**
   * Shows frame `frame` as chosen, when a ladder is drawn (the list chose it).
   * @param {number} frame
   */
  highlight(frame) {
    if (this.view.stream !== null) this.view.highlight(frame);
  }

  /**
   * The page's language is now `lang`: the ladder follows it.
   * @param {Lang} lang
   */
  followLang(lang) {
    if (this.langSelect.value === lang) return;
    this.langSelect.value = lang;
    this.redraw();
  }

  // Exports --------------------------------------------------------------------------------

  wireExports() {
    const view = this.view;
    element('ladder-svg').addEventListener('click', () => {
      if (view.stream === null) return;
      download(new Blob([view.svgText], { type: 'image/svg+xml' }), `${this.exportName()}.svg`);
      setText(this.note, 'ladder.svgDone');
    });
    element('ladder-png').addEventListener('click', async () => {
      if (view.stream === null) return;
      const name = `${this.exportName()}.png`;
      try {
        download(await svgToPng(view.svgText, 2), name);
        setText(this.note, 'ladder.pngDone');
      } catch (error) {
        const detail = errorMessage(error);
        this.messages.error({ key: 'error.png', params: { detail: typeof detail === 'string' ? data(detail) : detail } });
      }
    });
    element('ladder-mermaid').addEventListener('click', async () => {
      if (view.stream === null) return;
      try {
        await this.copy(await this.client.call('ladder_mermaid', view.stream, this.options().lang), 'ladder.mermaidCopied');
      } catch (error) {
        if (!isSuperseded(error)) this.messages.error(errorMessage(error));
      }
    });
    element('ladder-embed').addEventListener('click', () => {
      if (view.stream === null) return;
      this.copy(this.embedSnippet(view.stream, this.options().lang), 'ladder.embedCopied');
    });
  }

  /** "demo-stream-0": the base of export file names. */
  exportName() {
    const base = this.capture().name.replace(/\.(pcapng|pcap|cap)(\.gz)?$/i, '').replace(/[^\p{L}\p{N}._-]+/gu, '_') || 'capture';
    return `${base}-stream-${this.view.stream}`;
  }

  /**
   * Copies `text`; where the clipboard is refused, shows it to copy by hand.
   * @param {string} text
   * @param {string} copied the key of the note that says it was copied
   */
  async copy(text, copied) {
    this.copyBox.hidden = true;
    try {
      await navigator.clipboard.writeText(text);
      setText(this.note, copied);
    } catch {
      this.copyText.value = text;
      this.copyBox.hidden = false;
      this.copyText.select();
      setText(this.note, null);
    }
  }

  /**
   * The HTML that shows this ladder on another page of this site (the capture must be served
   * from the same site as www/embed.js).
   * @param {number} stream
   * @param {string} lang
   */
  embedSnippet(stream, lang) {
    const script = new URL('./embed.js', import.meta.url).href;
    const capture = this.capture();
    const src = capture.url ?? capture.name;
    return `<script type="module" src="${attributeText(script)}"></script>\n` +
      `<tcp-timeline src="${attributeText(src)}" stream="${stream}" lang="${lang}"></tcp-timeline>\n`;
  }
}
