// @ts-check
// The display filter bar above the frame list, as in Wireshark: a text field (Enter applies,
// Esc clears), green when the last applied filter is valid, red with the core's message and
// the offending characters underlined when it is not, the count of frames displayed, a clear
// button and a short history of filters applied (a <datalist>, kept in localStorage).
//
// The bar only edits and shows; the page applies a filter through `onApply` and reports the
// outcome with `applied` / `refused`. Filter texts are code: they are never translated
// (translate="no") and only ever inserted as text.

import { setText } from './i18n.js';

const HISTORY_KEY = 'tcp-timeline.filters';
const HISTORY_SIZE = 12;

/** @typedef {'empty' | 'valid' | 'invalid' | 'busy'} FilterState */

/**
 * Characters [start, end) of `text` counted as the core counts them (Unicode scalar values),
 * as UTF-16 offsets for the DOM.
 * @param {string} text
 * @param {number} start
 * @param {number} end
 */
export function utf16Range(text, start, end) {
  const chars = Array.from(text);
  const from = chars.slice(0, Math.max(0, start)).join('').length;
  const to = chars.slice(0, Math.max(start, end)).join('').length;
  return { from, to };
}

/**
 * Whether `text` is the filter of one TCP stream, as the conversations table writes it
 * (`tcp.stream == 3`; spaces and `eq` are allowed): the stream's number, else null.
 * @param {string} text
 */
export function streamOfFilter(text) {
  const match = /^\s*tcp\.stream\s*(?:==|eq)\s*(\d+)\s*$/.exec(text);
  return match ? Number(match[1]) : null;
}

export class FilterBar {
  /**
   * @param {{
   *   form: HTMLFormElement, input: HTMLInputElement, mirror: HTMLElement, clear: HTMLButtonElement,
   *   history: HTMLDataListElement, count: HTMLElement, error: HTMLElement, errorText: HTMLElement,
   *   onApply: (text: string) => void,
   * }} parts
   */
  constructor(parts) {
    this.form = parts.form;
    this.input = parts.input;
    this.mirror = parts.mirror;
    this.clearButton = parts.clear;
    this.historyList = parts.history;
    this.count = parts.count;
    this.error = parts.error;
    this.errorText = parts.errorText;
    this.onApply = parts.onApply;
    /** The filter in effect on the list (the last one the core accepted). */
    this.applied = '';
    /** @type {string[]} */
    this.history = loadHistory();
    this.drawHistory();
    this.setState('empty');

    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.onApply(this.input.value);
    });
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        this.clear();
      }
    });
    // The underline follows the text as it scrolls inside the field.
    const follow = () => {
      this.mirror.scrollLeft = this.input.scrollLeft;
    };
    this.input.addEventListener('scroll', follow);
    this.input.addEventListener('input', () => {
      // Once edited, the underline no longer points at the text it was about.
      if (this.form.dataset.state === 'invalid') this.mirror.replaceChildren();
      this.clearButton.hidden = this.input.value === '' && this.applied === '';
      follow();
    });
    this.clearButton.addEventListener('click', () => {
      this.clear();
      this.input.focus();
    });
  }

  /** Empties the field and shows every frame again (when a filter was in effect). */
  clear() {
    this.input.value = '';
    if (this.applied !== '') {
      this.onApply('');
      return;
    }
    // Nothing in effect: only the text (and a refusal of it) goes.
    this.mirror.replaceChildren();
    this.error.hidden = true;
    this.setState('empty');
  }

  /**
   * Puts `text` in the field (as choosing a conversation or following a stream does).
   * @param {string} text
   */
  setText(text) {
    this.input.value = text;
    this.clearButton.hidden = text === '' && this.applied === '';
  }

  /** @param {FilterState} state */
  setState(state) {
    this.form.dataset.state = state;
    this.input.setAttribute('aria-invalid', String(state === 'invalid'));
    this.clearButton.hidden = this.input.value === '' && this.applied === '';
  }

  /** The page is applying `text`. */
  busy() {
    this.setState('busy');
  }

  /**
   * The core accepted `text`: the list shows `shown` of `total` frames.
   * @param {string} text
   * @param {number} shown
   * @param {number} total
   */
  accepted(text, shown, total) {
    this.applied = text;
    this.form.dataset.applied = text;
    this.mirror.replaceChildren();
    this.error.hidden = true;
    setText(this.errorText, null);
    if (this.input.value !== text && document.activeElement !== this.input) this.input.value = text;
    this.setState(text.trim() === '' ? 'empty' : 'valid');
    this.showCount(shown, total);
    if (text.trim() !== '') this.remember(text.trim());
  }

  /**
   * Shows the count of frames listed ("Displayed: 2 of 10 (20.0%)").
   * @param {number} shown
   * @param {number} total
   */
  showCount(shown, total) {
    const percent = total === 0 ? 0 : (shown / total) * 100;
    setText(this.count, 'filter.displayed', { shown, total, percent: { number: percent, fraction: 1 } });
  }

  /**
   * The core refused `text`: the bar turns red with its message, `start`/`end` (characters)
   * underlined; the list is left as it was.
   * @param {string} text
   * @param {{ message: string, start?: number, end?: number }} error
   */
  refused(text, error) {
    this.setState('invalid');
    this.error.hidden = false;
    setText(this.errorText, null);
    // The core's message, in Wireshark's English.
    this.errorText.textContent = error.message;
    this.errorText.lang = 'en';
    this.underline(text, error.start, error.end);
  }

  /**
   * The filter could not be applied at all (the reading worker does not know display filters):
   * a note in the page's language, in the error's place.
   * @param {string} key
   */
  unavailable(key) {
    this.setState('invalid');
    this.error.hidden = false;
    this.errorText.removeAttribute('lang');
    setText(this.errorText, key);
    this.mirror.replaceChildren();
  }

  /**
   * Draws `text` in the mirror behind the field, with characters [start, end) marked (an empty
   * range is a point: a caret where something was expected).
   * @param {string} text
   * @param {number | undefined} start
   * @param {number | undefined} end
   */
  underline(text, start, end) {
    if (this.input.value !== text || typeof start !== 'number') {
      this.mirror.replaceChildren();
      return;
    }
    const { from, to } = utf16Range(text, start, typeof end === 'number' ? end : start);
    const mark = document.createElement('mark');
    mark.className = from === to ? 'point' : 'range';
    mark.textContent = text.slice(from, to);
    this.mirror.replaceChildren(text.slice(0, from), mark, text.slice(to));
    this.mirror.scrollLeft = this.input.scrollLeft;
  }

  /** @param {string} text */
  remember(text) {
    this.history = [text, ...this.history.filter((item) => item !== text)].slice(0, HISTORY_SIZE);
    try {
      localStorage.setItem(HISTORY_KEY, JSON.stringify(this.history));
    } catch {
      // storage refused: the history lasts for this page only
    }
    this.drawHistory();
  }

  drawHistory() {
    this.historyList.replaceChildren(
      ...this.history.map((text) => {
        const option = document.createElement('option');
        option.value = text;
        return option;
      }),
    );
  }
}

/** @returns {string[]} */
function loadHistory() {
  try {
    const list = JSON.parse(localStorage.getItem(HISTORY_KEY) ?? '[]');
    return Array.isArray(list) ? list.filter((item) => typeof item === 'string').slice(0, HISTORY_SIZE) : [];
  } catch {
    return [];
  }
}
