// @ts-check
// The ladder diagram of one TCP connection, shared by the page (www/ladderpane.js) and the
// embeddable element (www/embed.js): the SVG is made by the Rust core (crate/src/ladder/svg.rs);
// this module only puts it in the page and handles interaction — choosing an arrow (click,
// Enter/Space, arrow keys) and showing its explanation, also computed in Rust.
//
// The SVG document is parsed with DOMParser as image/svg+xml (never innerHTML), checked
// against an allow-list of the elements and attributes the renderer writes, and imported.
// Its <style> is adopted as a constructed stylesheet: the page's CSP (style-src 'self')
// would block an inline <style>, and the text is the renderer's constant, not packet data.
//
// The SVG and the explanations are in the ladder's language (lang), which the page sets from its
// own; the few words this module adds come from www/locales/ in that language.

import { TextError, browserLang, langTag, parseLang, t } from './i18n.js';

/** @typedef {import('./types.js').Explanation} Explanation */
/** @typedef {import('./client.js').WorkerClient['call']} Call */

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Elements the Rust renderer writes; anything else is dropped (defence in depth). */
const ELEMENTS = new Set(['svg', 'title', 'desc', 'style', 'defs', 'marker', 'path', 'rect', 'text', 'tspan', 'line', 'circle', 'g']);
/** Attributes the renderer writes. */
const ATTRIBUTES = new Set([
  'xmlns', 'class', 'viewBox', 'width', 'height', 'role', 'aria-labelledby', 'aria-describedby', 'aria-label', 'lang', 'id',
  'refX', 'refY', 'markerWidth', 'markerHeight', 'orient', 'd', 'x', 'y', 'x1', 'y1', 'x2', 'y2', 'rx', 'cx', 'cy', 'r',
  'text-anchor', 'marker-end', 'tabindex', 'data-frame', 'data-last-frame',
]);

/** What the page adds to the renderer's style: the chosen arrow. */
const EXTRA_STYLE = `
.tl [data-frame] { cursor: pointer; }
.tl [data-frame].chosen .hit { fill: color-mix(in srgb, var(--accent) 16%, transparent); stroke: var(--accent); stroke-width: 1.5; }
.tl [data-frame].chosen .band { stroke: var(--accent); stroke-width: 2; stroke-dasharray: none; }
.tl [data-frame]:focus-visible .hit, .tl [data-frame]:focus-visible .band { stroke: var(--accent); stroke-width: 2.5; }
`;

/** @type {WeakMap<Document | ShadowRoot, CSSStyleSheet>} */
const sheets = new WeakMap();

/**
 * Adopts `text` as the ladder's stylesheet of `root` (replacing the previous one).
 * @param {Document | ShadowRoot} root
 * @param {string} text
 */
function adoptStyle(root, text) {
  let sheet = sheets.get(root);
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheets.set(root, sheet);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  }
  sheet.replaceSync(text + EXTRA_STYLE);
}

/**
 * Parses the renderer's SVG document into an element of `doc`, keeping only what the renderer
 * writes; returns it with the text of its <style>.
 * @param {string} text
 * @param {Document} doc
 */
export function importSvg(text, doc = document) {
  // The <style> is cut out of the text before parsing: a parsed document inherits the page's
  // CSP, which reports an inline <style> as a violation even there. Every "<" of packet data is
  // escaped by the renderer, so "<style>" only appears where the renderer wrote it.
  let style = '';
  const open = text.indexOf('<style>');
  const close = open < 0 ? -1 : text.indexOf('</style>', open);
  if (open >= 0 && close > open) {
    style = text.slice(open + '<style>'.length, close);
    text = text.slice(0, open) + text.slice(close + '</style>'.length);
  }
  const parsed = new DOMParser().parseFromString(text, 'image/svg+xml');
  /** @type {Element} an SVG document's root, once checked */
  const root = parsed.documentElement;
  if (parsed.getElementsByTagName('parsererror').length > 0 || root.namespaceURI !== SVG_NS || root.localName !== 'svg') {
    throw new TextError('ladder.badSvg');
  }
  for (const element of [...root.querySelectorAll('*')]) {
    if (!ELEMENTS.has(element.localName) || element.namespaceURI !== SVG_NS) {
      element.remove();
      continue;
    }
    if (element.localName === 'style') {
      element.remove();
      continue;
    }
    for (const attribute of [...element.attributes]) {
      if (!ATTRIBUTES.has(attribute.name)) element.removeAttribute(attribute.name);
    }
  }
  for (const attribute of [...root.attributes]) {
    if (!ATTRIBUTES.has(attribute.name)) root.removeAttribute(attribute.name);
  }
  const svg = /** @type {SVGSVGElement} */ (doc.importNode(root, true));
  return { svg, style };
}

/** "zh" when the browser prefers Chinese, else "en" (see browserLang in www/i18n.js). */
export function defaultLang() {
  return browserLang();
}

export class LadderView {
  /**
   * @param {{
   *   host: HTMLElement, explanation: HTMLElement, call: Call,
   *   onChoose?: (frame: number) => void,
   * }} options
   * `host` receives the SVG; `explanation` the chosen arrow's explanation; `call` asks the
   * worker's Session (www/client.js); `onChoose` hears of arrows chosen in the ladder (not of `highlight`).
   */
  constructor(options) {
    this.host = options.host;
    this.explanation = options.explanation;
    this.call = options.call;
    this.onChoose = options.onChoose ?? (() => {});
    /** @type {number | null} */
    this.stream = null;
    this.lang = 'en';
    /** The SVG text shown, as the core made it. */
    this.svgText = '';
    /** @type {SVGSVGElement | null} */
    this.svg = null;
    /** @type {SVGElement[]} */
    this.items = [];
    /** @type {number | null} */
    this.chosen = null;
    /** Numbers explanation requests, so a late answer for an older choice is dropped. */
    this.explaining = 0;

    this.host.addEventListener('click', (event) => {
      const item = this.itemOf(event.target);
      if (item) this.choose(Number(item.dataset.frame), { focus: true, notify: true });
    });
    this.host.addEventListener('keydown', (event) => this.onKey(event));
  }

  /**
   * Draws stream `stream`'s ladder; keeps the chosen frame when it is still drawn.
   * @param {number} stream
   * @param {{ lang: string, proportional: boolean, expand: boolean }} options
   */
  async show(stream, options) {
    const text = await this.call('ladder_svg', stream, options.lang, options.proportional, options.expand);
    const keep = this.stream === stream ? this.chosen : null;
    this.stream = stream;
    this.lang = options.lang;
    this.svgText = text;
    const { svg, style } = importSvg(text, this.host.ownerDocument);
    adoptStyle(/** @type {Document | ShadowRoot} */ (this.host.getRootNode()), style);
    svg.setAttribute('class', `${svg.getAttribute('class') ?? ''} ladder-svg`.trim());
    this.svg = svg;
    this.host.lang = langTag(parseLang(options.lang) ?? 'en');
    this.items = /** @type {SVGElement[]} */ ([...svg.querySelectorAll('[data-frame]')]);
    for (const item of this.items) item.setAttribute('tabindex', '-1');
    this.host.replaceChildren(svg);
    this.chosen = null;
    if (keep !== null) this.choose(keep, { focus: false, notify: false });
    else {
      this.items[0]?.setAttribute('tabindex', '0');
      this.explain(null);
    }
    return text;
  }

  clear() {
    this.stream = null;
    this.svg = null;
    this.svgText = '';
    this.items = [];
    this.chosen = null;
    this.host.replaceChildren();
    this.explain(null);
  }

  /**
   * The arrow (or band) element at or around `target`.
   * @param {EventTarget | null} target
   */
  itemOf(target) {
    const element = target instanceof Element ? target.closest('[data-frame]') : null;
    return element && this.host.contains(element) ? /** @type {SVGElement} */ (element) : null;
  }

  /** @param {number} frame */
  itemFor(frame) {
    // An arrow, or the folded band whose frames include it.
    return (
      this.items.find((item) => Number(item.dataset.frame) === frame) ??
      this.items.find((item) => item.dataset.lastFrame !== undefined && Number(item.dataset.frame) <= frame && frame <= Number(item.dataset.lastFrame)) ??
      null
    );
  }

  /**
   * Marks frame `frame` chosen (its arrow, when drawn) and explains it.
   * @param {number} frame
   * @param {{ focus: boolean, notify: boolean }} how
   */
  choose(frame, how) {
    const item = this.itemFor(frame);
    if (frame !== this.chosen) {
      for (const other of this.items) {
        if (other.classList.contains('chosen')) {
          other.classList.remove('chosen');
          other.removeAttribute('aria-current');
        }
        other.setAttribute('tabindex', '-1');
      }
      this.chosen = frame;
      if (item) {
        item.classList.add('chosen');
        item.setAttribute('aria-current', 'true');
      }
      this.explain(frame);
    }
    (item ?? this.items[0])?.setAttribute('tabindex', '0');
    if (item && how.focus) item.focus({ preventScroll: true });
    if (item && (how.focus || !how.notify)) item.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    if (how.notify) this.onChoose(frame);
  }

  /**
   * Shows frame `frame` as chosen without telling `onChoose` (the list chose it).
   * @param {number} frame
   */
  highlight(frame) {
    if (this.stream === null) return;
    this.choose(frame, { focus: false, notify: false });
  }

  /** @param {KeyboardEvent} event */
  onKey(event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const item = this.itemOf(event.target);
    if (!item) return;
    const at = this.items.indexOf(item);
    /** @type {Record<string, number>} */
    const moves = { ArrowDown: at + 1, ArrowRight: at + 1, ArrowUp: at - 1, ArrowLeft: at - 1, Home: 0, End: this.items.length - 1 };
    let target = item;
    if (event.key in moves) {
      target = this.items[Math.max(0, Math.min(this.items.length - 1, moves[event.key]))] ?? item;
    } else if (event.key !== 'Enter' && event.key !== ' ') {
      return;
    }
    event.preventDefault();
    this.choose(Number(target.dataset.frame), { focus: true, notify: true });
  }

  /**
   * Fills the explanation panel for `frame` (null: a hint).
   * @param {number | null} frame
   */
  async explain(frame) {
    const ticket = ++this.explaining;
    const lang = parseLang(this.lang) ?? 'en';
    const panel = this.explanation;
    panel.lang = langTag(lang);
    if (frame === null || this.stream === null) {
      const hint = document.createElement('p');
      hint.className = 'hint';
      hint.textContent = this.stream === null ? '' : t('ladder.hint', {}, lang);
      panel.replaceChildren(hint);
      return;
    }
    /** @type {Explanation | undefined} */
    let explanation;
    try {
      explanation = await this.call('explain', this.stream, frame, this.lang);
    } catch (error) {
      explanation = undefined;
    }
    if (ticket !== this.explaining) return;
    // The core's explanation holds packet data (addresses, HTTP lines): never translated.
    const title = document.createElement('p');
    title.className = 'summary';
    title.setAttribute('translate', 'no');
    const list = document.createElement('ul');
    list.setAttribute('translate', 'no');
    if (explanation) {
      title.textContent = explanation.summary;
      for (const line of explanation.lines) {
        const li = document.createElement('li');
        li.textContent = line;
        list.append(li);
      }
    } else {
      // Not a segment of this stream: the band or a frame of another stream.
      const band = this.itemFor(frame)?.getAttribute('aria-label');
      if (band) {
        title.textContent = band;
      } else {
        title.removeAttribute('translate');
        title.textContent = t('ladder.notInStream', { frame: String(frame) }, lang);
      }
    }
    panel.replaceChildren(title, list);
  }
}

/**
 * Offers `blob` as a download named `name`.
 * @param {Blob} blob
 * @param {string} name
 */
export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Chromium's largest canvas side; beyond it the PNG is drawn at a smaller scale. */
const MAX_CANVAS_SIDE = 16_384;

/**
 * The SVG drawn as a PNG at `scale` (lower when the picture would exceed a canvas), through an
 * <img> of the SVG as a blob: URL (the CSP allows blob: images).
 * @param {string} svgText
 * @param {number} scale
 * @returns {Promise<Blob>}
 */
export async function svgToPng(svgText, scale = 2) {
  const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const width = image.naturalWidth || 900;
    const height = image.naturalHeight || 600;
    const fit = Math.min(scale, MAX_CANVAS_SIDE / width, MAX_CANVAS_SIDE / height, Math.sqrt(200_000_000 / (width * height)));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.floor(width * fit));
    canvas.height = Math.max(1, Math.floor(height * fit));
    const context = canvas.getContext('2d');
    if (!context) throw new TextError('png.noCanvas');
    context.scale(fit, fit);
    context.drawImage(image, 0, 0, width, height);
    return await new Promise((resolve, reject) =>
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new TextError('png.failed'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

/**
 * `text` safe inside a double-quoted HTML attribute.
 * @param {string} text
 */
export function attributeText(text) {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
