// @ts-check
// The page's languages: English and 简体中文. Every text the page itself writes (labels, buttons,
// tooltips, aria-labels, status and error messages) lives in www/locales/en.js and
// www/locales/zh.js, as one flat dictionary each; this module looks texts up, fills in their
// parameters and keeps the page in the chosen language, switching live.
//
// Adding a text:
//   1. add the key to BOTH www/locales/en.js and www/locales/zh.js (tests/browser-i18n.test.mjs
//      checks that the two files have the same keys and the same {parameters});
//   2. in static HTML: <span data-i18n="pane.title">English text</span> (the English stays in
//      the HTML for the first paint), or data-i18n-title / data-i18n-aria-label /
//      data-i18n-placeholder="key" for attributes; a child that must survive the translation
//      (a <strong>, a count, a link) gets data-i18n-slot="name" and stands for {name};
//   3. in JS: setText(element, 'key', { count: 3, name: data(fileName) }) or
//      setAttr(element, 'title', 'key', params) — the element remembers its key and parameters,
//      so a language switch redraws it; t('key', params) when a plain string is needed (it is
//      not redrawn on a switch).
//
// Texts the core writes (the capture's format, link type names, problem messages) come in both
// languages: setCoreText(element, { en, zh }) shows the page's and redraws on a switch.
//
// Parameters: a number is formatted for the language (1,234); { number, fraction } with that
// many decimals; a string is inserted as it is; data(text) marks packet- or file-derived text
// (a file name, an address), which setText puts in <bdi translate="no">; { key, params } is
// another text of the dictionary (units: { key: 'size.kib', params: { n: ... } }).
// An entry may be { one, other } (Intl.PluralRules categories), chosen by params.count.
//
// The language is, in order: the saved choice (localStorage), ?lang= in the address (en, zh),
// the browser's languages (the first English or Chinese one: any zh* gives 简体中文), English.
// Nothing here runs on import: the embeddable element (www/embed.js) uses t() on other sites.

import en from './locales/en.js';
import zh from './locales/zh.js';

/** @typedef {'en' | 'zh'} Lang */
/** @typedef {string | { zero?: string, one?: string, two?: string, few?: string, many?: string, other: string }} Entry */
/** @typedef {{ data: string }} DataText */
/**
 * @typedef {string | number | DataText | { number: number, fraction?: number } | { key: string, params?: Params }} Param
 * @typedef {{ [name: string]: Param }} Params
 */

/** @type {Record<Lang, { tag: string, dictionary: Record<string, Entry> }>} */
export const LANGUAGES = {
  en: { tag: 'en', dictionary: en },
  zh: { tag: 'zh-Hans', dictionary: zh },
};

const STORAGE_KEY = 'tcp-timeline.lang';
/** Attributes a text can be set on; data-i18n-<attribute> holds its key. */
const ATTRIBUTES = ['title', 'aria-label', 'placeholder', 'aria-valuetext'];

/** @type {Lang | null} */
let current = null;
const events = new EventTarget();

/**
 * `value` as a language of the page, or null ("zh-CN", "zh-Hant" → zh; "en-GB" → en).
 * @param {unknown} value
 * @returns {Lang | null}
 */
export function parseLang(value) {
  if (typeof value !== 'string') return null;
  const primary = value.trim().toLowerCase().split(/[-_]/)[0];
  return primary === 'zh' ? 'zh' : primary === 'en' ? 'en' : null;
}

/**
 * The browser's language among ours: the first of navigator.languages that is English or
 * Chinese; English when none is.
 * @param {readonly string[]} [languages]
 * @returns {Lang}
 */
export function browserLang(languages = navigator.languages?.length ? navigator.languages : [navigator.language]) {
  for (const language of languages) {
    const lang = parseLang(language);
    if (lang) return lang;
  }
  return 'en';
}

/** The saved choice, if any (storage may be refused: then there is none). */
function savedLang() {
  try {
    return parseLang(localStorage.getItem(STORAGE_KEY));
  } catch {
    return null;
  }
}

/** The page's language on load: saved choice, then ?lang=, then the browser's. */
export function initialLang() {
  return savedLang() ?? parseLang(new URLSearchParams(location.search).get('lang')) ?? browserLang();
}

/** The current language (decided on first use). */
export function getLang() {
  if (!current) current = initialLang();
  return current;
}

/** @param {Lang} lang the BCP 47 tag for <html lang> and Intl ("zh-Hans"). */
export function langTag(lang) {
  return LANGUAGES[lang].tag;
}

/**
 * Marks `text` as packet- or file-derived: inserted as it is, and never translated.
 * @param {string} text
 * @returns {DataText}
 */
export function data(text) {
  return { data: text };
}

/**
 * `value` formatted for `lang` (grouping; `fraction` fixes the decimals).
 * @param {number} value
 * @param {number | undefined} [fraction]
 * @param {Lang} [lang]
 */
export function formatNumber(value, fraction, lang = getLang()) {
  const key = `${lang} ${fraction ?? ''}`;
  let format = numberFormats.get(key);
  if (!format) {
    const options = fraction === undefined ? {} : { minimumFractionDigits: fraction, maximumFractionDigits: fraction };
    format = new Intl.NumberFormat(langTag(lang), options);
    numberFormats.set(key, format);
  }
  return format.format(value);
}

/** Number formats by language and decimals, made once: making one costs tens of milliseconds
 * the first time (the engine loads its locale data), and a capture's first rows wait for it. */
const numberFormats = new Map();

/**
 * The entry of `key` in `lang`: the English one (with a warning) when the language lacks it.
 * @param {string} key
 * @param {Lang} lang
 * @returns {Entry}
 */
function entry(key, lang) {
  const found = LANGUAGES[lang].dictionary[key];
  if (found !== undefined) return found;
  console.warn(`i18n: no text "${key}" in ${lang}`);
  return LANGUAGES.en.dictionary[key] ?? key;
}

/**
 * Whether `lang` has a text for `key` (for texts that fall back to the core's English).
 * @param {string} key
 * @param {Lang} [lang]
 */
export function has(key, lang = getLang()) {
  return LANGUAGES[lang].dictionary[key] !== undefined;
}

/**
 * A parameter as text.
 * @param {Param} value
 * @param {Lang} lang
 * @returns {string}
 */
function paramText(value, lang) {
  if (typeof value === 'number') return formatNumber(value, undefined, lang);
  if (typeof value === 'string') return value;
  if ('data' in value) return value.data;
  if ('number' in value) return formatNumber(value.number, value.fraction, lang);
  return t(value.key, value.params, lang);
}

/**
 * The template of `key` for `params` (its plural form chosen by params.count).
 * @param {string} key
 * @param {Params} params
 * @param {Lang} lang
 */
function template(key, params, lang) {
  const found = entry(key, lang);
  if (typeof found === 'string') return found;
  const count = params.count;
  const n = typeof count === 'number' ? count : count && typeof count === 'object' && 'number' in count ? count.number : NaN;
  const category = /** @type {keyof typeof found} */ (new Intl.PluralRules(langTag(lang)).select(n));
  return found[category] ?? found.other;
}

/**
 * The text of `key` in `lang` (default: the page's), with {name} replaced by params.name.
 * @param {string} key
 * @param {Params} [params]
 * @param {Lang} [lang]
 */
export function t(key, params = {}, lang = getLang()) {
  return template(key, params, lang).replace(/\{(\w+)\}/g, (whole, name) =>
    params[name] === undefined ? whole : paramText(params[name], lang),
  );
}

/**
 * Fills `element` with the text of its data-i18n key: data() parameters as <bdi translate="no">,
 * children marked data-i18n-slot="name" put back where {name} stands.
 * @param {HTMLElement} element
 * @param {Lang} lang
 */
function renderText(element, lang) {
  const key = element.dataset.i18n;
  if (!key) return;
  const params = readParams(element);
  const slots = new Map();
  for (const child of element.querySelectorAll(':scope > [data-i18n-slot]')) {
    slots.set(/** @type {HTMLElement} */ (child).dataset.i18nSlot, child);
  }
  const hasData = Object.values(params).some((value) => typeof value === 'object' && 'data' in value);
  if (slots.size === 0 && !hasData) {
    const text = t(key, params, lang);
    if (element.textContent !== text || element.childElementCount > 0) element.textContent = text;
    return;
  }
  /** @type {(Node | string)[]} */
  const parts = [];
  const source = template(key, params, lang);
  let at = 0;
  for (const match of source.matchAll(/\{(\w+)\}/g)) {
    parts.push(source.slice(at, match.index));
    at = /** @type {number} */ (match.index) + match[0].length;
    const name = match[1];
    const value = params[name];
    if (slots.has(name)) {
      parts.push(slots.get(name));
    } else if (value !== undefined && typeof value === 'object' && 'data' in value) {
      const isolated = document.createElement('bdi');
      isolated.setAttribute('translate', 'no');
      isolated.textContent = value.data;
      parts.push(isolated);
    } else {
      parts.push(value === undefined ? match[0] : paramText(value, lang));
    }
  }
  parts.push(source.slice(at));
  element.replaceChildren(...parts.filter((part) => part !== ''));
}

/** @param {HTMLElement} element @returns {Params} */
function readParams(element) {
  const text = element.dataset.i18nParams;
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

/** @param {HTMLElement} element @param {Params | undefined} params */
function writeParams(element, params) {
  if (params && Object.keys(params).length > 0) element.dataset.i18nParams = JSON.stringify(params);
  else delete element.dataset.i18nParams;
}

/**
 * Sets `element`'s text to `key` (null: empties it), and keeps the key so a language switch
 * redraws it. Slots (data-i18n-slot children) are kept.
 * @param {HTMLElement} element
 * @param {string | null} key
 * @param {Params} [params]
 */
export function setText(element, key, params) {
  if (key === null) {
    delete element.dataset.i18n;
    writeParams(element, undefined);
    element.textContent = '';
    return;
  }
  element.dataset.i18n = key;
  writeParams(element, params);
  renderText(element, getLang());
}

/**
 * Sets attribute `name` (title, aria-label, placeholder, aria-valuetext) of `element` to `key`
 * (null: removes it), redrawn on a language switch. The element's attributes share one set of
 * parameters.
 * @param {HTMLElement} element
 * @param {'title' | 'aria-label' | 'placeholder' | 'aria-valuetext'} name
 * @param {string | null} key
 * @param {Params} [params]
 */
export function setAttr(element, name, key, params) {
  if (key === null) {
    element.removeAttribute(`data-i18n-${name}`);
    element.removeAttribute(name);
    return;
  }
  element.setAttribute(`data-i18n-${name}`, key);
  if (params) writeParams(element, { ...readParams(element), ...params });
  element.setAttribute(name, t(key, readParams(element)));
}

/**
 * Sets `element`'s text to one of the core's texts, given in each language, and keeps them so a
 * language switch redraws it (its `lang` attribute follows).
 * @param {HTMLElement} element
 * @param {Record<Lang, string>} texts
 */
export function setCoreText(element, texts) {
  element.dataset.coreEn = texts.en;
  element.dataset.coreZh = texts.zh;
  renderCoreText(element, getLang());
}

/** @param {HTMLElement} element @param {Lang} lang */
function renderCoreText(element, lang) {
  const text = lang === 'zh' ? element.dataset.coreZh : element.dataset.coreEn;
  element.textContent = text ?? '';
  element.lang = langTag(lang);
}

/**
 * Redraws every text of `root` that has a key (data-i18n, data-i18n-title, ...) in `lang`.
 * @param {ParentNode} root
 * @param {Lang} [lang]
 */
export function translate(root, lang = getLang()) {
  for (const element of root.querySelectorAll('[data-i18n]')) renderText(/** @type {HTMLElement} */ (element), lang);
  for (const element of root.querySelectorAll('[data-core-en]')) renderCoreText(/** @type {HTMLElement} */ (element), lang);
  for (const name of ATTRIBUTES) {
    for (const element of root.querySelectorAll(`[data-i18n-${name}]`)) {
      const key = /** @type {string} */ (element.getAttribute(`data-i18n-${name}`));
      element.setAttribute(name, t(key, readParams(/** @type {HTMLElement} */ (element)), lang));
    }
  }
}

/**
 * Makes `lang` the page's language: <html lang>, every keyed text, the saved choice (unless
 * `save` is false), ?lang= in the address when it is there (the hash is left alone); then tells
 * the onLangChange listeners.
 * @param {Lang} lang
 * @param {{ save?: boolean }} [options]
 */
export function setLang(lang, options = {}) {
  const changed = lang !== current;
  current = lang;
  document.documentElement.lang = langTag(lang);
  translate(document, lang);
  if (options.save !== false) {
    try {
      localStorage.setItem(STORAGE_KEY, lang);
    } catch {
      // storage refused (private mode, sandbox): the choice lasts for this page only
    }
    const url = new URL(location.href);
    if (url.searchParams.has('lang') && url.searchParams.get('lang') !== lang) {
      url.searchParams.set('lang', lang);
      history.replaceState(history.state, '', url);
    }
  }
  if (changed) events.dispatchEvent(new CustomEvent('change', { detail: lang }));
}

/** An error whose message is a text of the dictionary, so a page can show it in any language. */
export class TextError extends Error {
  /**
   * @param {string} key
   * @param {Params} [params]
   */
  constructor(key, params) {
    super(t(key, params));
    this.key = key;
    this.params = params;
  }
}

/**
 * Calls `listener` after each switch of language, for texts drawn outside keyed elements.
 * @param {(lang: Lang) => void} listener
 */
export function onLangChange(listener) {
  events.addEventListener('change', (event) => listener(/** @type {CustomEvent<Lang>} */ (event).detail));
}
