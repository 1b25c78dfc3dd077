// @ts-check
// The capture's summary above the workspace: the file's name (the user's, never translated),
// its format and link types (the core's texts, in the page's language), frames, first frame
// and time span. While a large capture is read it shows the frames read so far, its other
// facts still to come.

import { setCoreText, setText } from './i18n.js';
import { element } from './elements.js';

/** @typedef {import('./types.js').Summary} Summary */

export class CaptureInfo {
  constructor() {
    this.box = element('capture-info');
    this.name = element('info-name');
    this.format = element('info-format');
    this.links = element('info-links');
    this.frames = element('info-frames');
    this.first = element('info-first');
    this.span = element('info-span');
  }

  /**
   * Shows or hides the summary.
   * @param {boolean} shown
   */
  setShown(shown) {
    this.box.hidden = !shown;
  }

  /**
   * A capture named `name` is being read: its name, and room kept for what is still to come.
   * @param {string} name
   */
  reading(name) {
    this.showName(name);
    for (const fact of [this.format, this.links, this.first, this.span]) {
      setText(fact, null);
      fact.textContent = '…';
    }
    this.box.hidden = false;
  }

  /**
   * Frames read so far (or in all).
   * @param {number} frames
   */
  showFrames(frames) {
    setText(this.frames, 'number', { n: frames });
  }

  /**
   * The capture named `name` is read.
   * @param {string} name
   * @param {Summary} summary
   */
  show(name, summary) {
    this.showName(name);
    // The core's texts, in both languages.
    setCoreText(this.format, { en: summary.format ?? '—', zh: summary.zh.format ?? '—' });
    const links = (/** @type {string[]} */ names, /** @type {string} */ separator) => summary.link_types.length
      ? summary.link_types.map((link, i) => `${names[i]} (${link.code})`).join(separator)
      : '—';
    setCoreText(this.links, { en: links(summary.link_types.map((link) => link.name), ', '), zh: links(summary.zh.link_types, '，') });
    this.showFrames(summary.frames);
    this.first.textContent = summary.first_epoch === null ? '—' : formatDate(summary.first_epoch);
    this.first.title = summary.first_time ?? '';
    if (summary.time_span === null) {
      setText(this.span, null);
      this.span.textContent = '—';
    } else {
      setText(this.span, 'unit.s', { n: summary.time_span });
    }
    this.box.hidden = false;
  }

  /** @param {string} name */
  showName(name) {
    this.name.textContent = name;
    this.name.title = name;
  }
}

/** @param {number} epochSeconds */
function formatDate(epochSeconds) {
  const date = new Date(epochSeconds * 1000);
  if (Number.isNaN(date.getTime())) return '—';
  return `${date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, '')} UTC`;
}
