// @ts-check
// <tcp-timeline src="capture.pcap" stream="0" lang="zh"></tcp-timeline>: one TCP connection's
// live ladder, for blog posts and course pages. It reads a capture served by the same site
// (same origin as the page and as this script), in the same worker and WebAssembly core as the
// page, and explains the segment a reader clicks (or reaches with the arrow keys).
//
//   <script type="module" src="https://example.org/tcp-timeline/www/embed.js"></script>
//   <tcp-timeline src="captures/handshake.pcap" stream="0" lang="en"></tcp-timeline>
//
// Attributes: src (required, same-origin), stream (default 0), lang ("en" or "zh"; default
// from the browser), proportional and expand (present: on). Everything lives in a shadow root.
// Its messages are in the element's language, from www/locales/ (www/i18n.js).

import { LadderView, defaultLang } from './ladder.js';
import { WorkerClient } from './client.js';
import { parseLang, t } from './i18n.js';

const STYLE = `
:host { display: block; max-width: 900px; border: 1px solid #d5d9de; border-radius: 6px; overflow: hidden;
  font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "PingFang SC", "Microsoft YaHei", sans-serif;
  color: #1f2328; background: #fff; }
@media (prefers-color-scheme: dark) { :host { color: #e3e6ea; background: #0d1117; border-color: #343a42; } }
.view { max-height: var(--tcp-timeline-height, 640px); overflow: auto; }
.view svg { display: block; width: 100%; height: auto; }
.explanation { padding: 8px 12px; border-top: 1px solid #d5d9de; background: color-mix(in srgb, currentColor 4%, transparent); min-height: 2.5em; }
.explanation .summary { margin: 0 0 4px; font-weight: 600; overflow-wrap: anywhere; }
.explanation ul { margin: 0; padding-left: 18px; }
.explanation .hint, .status { margin: 0; opacity: 0.75; }
.status { padding: 10px 12px; }
.status.error { opacity: 1; color: #b42318; }
`;

class TcpTimelineElement extends HTMLElement {
  static get observedAttributes() {
    return ['src', 'stream', 'lang', 'proportional', 'expand'];
  }

  constructor() {
    super();
    const shadow = this.attachShadow({ mode: 'open' });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLE);
    shadow.adoptedStyleSheets = [sheet];
    this.statusLine = document.createElement('p');
    this.statusLine.className = 'status';
    this.statusLine.setAttribute('role', 'status');
    this.view = document.createElement('div');
    this.view.className = 'view';
    this.explanation = document.createElement('div');
    this.explanation.className = 'explanation';
    this.explanation.setAttribute('aria-live', 'polite');
    this.explanation.hidden = true;
    shadow.append(this.statusLine, this.view, this.explanation);
    /** @type {Worker | null} */
    this.worker = null;
    /** @type {WorkerClient | null} */
    this.client = null;
    /** The capture read (its absolute URL), once the worker has it. */
    this.loaded = '';
    /** Numbers loads, so a late answer for an older src is ignored. */
    this.loads = 0;
    this.scheduled = false;
    this.ladder = new LadderView({
      host: this.view,
      explanation: this.explanation,
      call: (method, ...args) => (this.client ? this.client.call(method, ...args) : Promise.reject(new Error('not loaded'))),
    });
  }

  connectedCallback() {
    this.schedule();
  }

  disconnectedCallback() {
    this.worker?.terminate();
    this.worker = null;
    this.client = null;
    this.loaded = '';
  }

  attributeChangedCallback() {
    if (this.isConnected) this.schedule();
  }

  /** One update for the attributes set in one task (an upgrade reports each of them). */
  schedule() {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      if (this.isConnected) this.update();
    });
  }

  get ladderLang() {
    return parseLang(this.getAttribute('lang')) ?? defaultLang();
  }

  /** @param {string} text @param {boolean} [error] */
  status(text, error = false) {
    this.statusLine.textContent = text;
    this.statusLine.className = error ? 'status error' : 'status';
    this.statusLine.hidden = text === '';
    this.setAttribute('data-state', error ? 'failed' : text ? 'loading' : 'ready');
  }

  async update() {
    const load = ++this.loads;
    const src = this.getAttribute('src');
    const streamText = this.getAttribute('stream') ?? '0';
    const stream = Number(streamText);
    const lang = this.ladderLang;
    if (!src) return this.status(t('embed.noSrc', {}, lang), true);
    let url;
    try {
      url = new URL(src, document.baseURI);
    } catch {
      url = null;
    }
    // Only a capture of the page's own site is read: nothing is fetched from anywhere else.
    if (!url || url.origin !== location.origin) {
      return this.status(t('embed.foreign', { src, origin: location.origin }, lang), true);
    }
    if (!Number.isInteger(stream) || stream < 0) return this.status(t('embed.badStream', { value: streamText }, lang), true);
    try {
      if (this.loaded !== url.href) {
        this.status(t('embed.reading', { src }, lang));
        await this.read(url, lang);
        if (load !== this.loads) return;
        this.loaded = url.href;
      }
      await this.ladder.show(stream, { lang: this.ladderLang, proportional: this.hasAttribute('proportional'), expand: this.hasAttribute('expand') });
      if (load !== this.loads) return;
      this.explanation.hidden = false;
      this.status('');
    } catch (error) {
      if (load !== this.loads) return;
      const message = error instanceof Error ? error.message : String(error);
      this.status(message === 'superseded' ? '' : message, message !== 'superseded');
    }
  }

  /**
   * Reads the capture at `url` in a fresh worker; resolves once it is read.
   * @param {URL} url
   * @param {import('./i18n.js').Lang} lang of the messages
   */
  read(url, lang) {
    this.worker?.terminate();
    this.client?.dropAll();
    const worker = startWorker();
    this.worker = worker;
    return new Promise((resolve, reject) => {
      const client = new WorkerClient(worker, {
        onEvent(message) {
          if (message.type === 'summary') {
            const fatal = message.summary.problems.find((p) => p.fatal);
            if (message.summary.format === null) reject(new Error(fatal?.message ?? t('embed.notCapture', { path: url.pathname }, lang)));
            else resolve(undefined);
          } else if (message.type === 'error') {
            reject(new Error(message.message));
          }
        },
        onFailure(event) {
          event.preventDefault();
          reject(new Error(event.message ? t('embed.noWorkerDetail', { detail: event.message }, lang) : t('embed.noWorker', {}, lang)));
        },
      });
      this.client = client;
      client.open({ url: url.href, name: url.pathname.split('/').pop() ?? 'capture' });
    });
  }
}

if (!customElements.get('tcp-timeline')) customElements.define('tcp-timeline', TcpTimelineElement);

/**
 * The core's worker. A blog on another site that includes this script from the tool's site
 * cannot start a worker from that site directly (workers are same-origin), so the worker is
 * then a one-line module of the blog's origin that imports the tool's worker (which, like the
 * WebAssembly it loads, must be served with CORS, as GitHub Pages does).
 * @returns {Worker}
 */
function startWorker() {
  const workerUrl = new URL('./worker.js', import.meta.url);
  if (workerUrl.origin === location.origin) {
    return new Worker(workerUrl, { type: 'module', name: 'tcp-timeline-embed' });
  }
  const shim = new Blob([`import ${JSON.stringify(workerUrl.href)};`], { type: 'text/javascript' });
  return new Worker(URL.createObjectURL(shim), { type: 'module', name: 'tcp-timeline-embed' });
}
