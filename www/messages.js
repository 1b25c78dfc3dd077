// @ts-check
// The messages above the workspace: errors (the page's words, or a message from the worker or
// the core), the capture's problems in the page's language, and notes. Each is a box of its
// own, read out by screen readers (alert for errors and problems that stopped the reading,
// status for the others); opening another file clears them.

import { TextError, has, setCoreText, setText } from './i18n.js';
import { element } from './elements.js';

/**
 * @typedef {import('./types.js').Problem} Problem
 * @typedef {import('./i18n.js').Params} Params
 * @typedef {string | { key: string, params?: Params }} Message  the page's words, or another's
 */

export class Messages {
  constructor() {
    this.list = element('messages');
  }

  /** Removes every message (another file is opened). */
  clear() {
    this.list.replaceChildren();
  }

  /**
   * Shows an error: one the page words ({ key, params }), or a message from the worker or the
   * core (a string, in English).
   * @param {Message} message
   */
  error(message) {
    const box = document.createElement('div');
    box.className = 'message error';
    box.setAttribute('role', 'alert');
    const title = document.createElement('strong');
    setText(title, 'message.error');
    const text = document.createElement('p');
    if (typeof message === 'string') {
      text.lang = 'en';
      text.textContent = message;
    } else {
      setText(text, message.key, message.params);
    }
    box.append(title, text);
    this.list.append(box);
  }

  /**
   * Shows a problem of the capture, as the core describes it in each language.
   * @param {Problem} problem
   * @param {string} messageZh its message in 简体中文
   */
  problem(problem, messageZh) {
    const box = document.createElement('div');
    box.className = problem.fatal ? 'message error' : 'message warning';
    box.setAttribute('role', problem.fatal ? 'alert' : 'status');
    const title = document.createElement('strong');
    setText(title, has(`problem.${problem.kind}`, 'en') ? `problem.${problem.kind}` : 'message.problem');
    const place = document.createElement('span');
    place.className = 'where';
    if (problem.frame !== null) setText(place, 'problem.whereFrame', { frame: String(problem.frame), offset: problem.offset });
    else setText(place, 'problem.where', { offset: problem.offset });
    // The core's description of the problem, in the page's language.
    const text = document.createElement('p');
    setCoreText(text, { en: problem.message, zh: messageZh });
    box.append(title, place, text);
    this.list.append(box);
  }

  /**
   * Shows a note of the page (a warning that stops nothing).
   * @param {string} key
   * @param {Params} params
   */
  note(key, params) {
    const note = document.createElement('div');
    note.className = 'message warning';
    note.setAttribute('role', 'status');
    setText(note, key, params);
    this.list.append(note);
  }
}

/**
 * What to show of `error`: the text of a TextError (the page's words, redrawn on a switch), else
 * its message (the browser's, the worker's or the core's).
 * @param {unknown} error
 * @returns {Message}
 */
export function errorMessage(error) {
  if (error instanceof TextError) return { key: error.key, params: error.params };
  return error instanceof Error ? error.message : String(error);
}
