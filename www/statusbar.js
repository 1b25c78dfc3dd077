// @ts-check
// The status bar at the foot of the page: one line saying what the page is doing or what is
// selected, and a progress bar while a file is read (or a filter reads it again). Showing
// either moves nothing else on the page.

import { setText } from './i18n.js';
import { element } from './elements.js';

/** @typedef {import('./i18n.js').Params} Params */

export class StatusBar {
  constructor() {
    this.line = element('status');
    this.progress = element('progress');
    this.bar = element('progress-bar', HTMLProgressElement);
    this.progressText = element('progress-text');
  }

  /**
   * Says `key` (with `params`) in the status line.
   * @param {string} key
   * @param {Params} [params]
   */
  say(key, params) {
    setText(this.line, key, params);
  }

  /**
   * A file being read: `done` of `total` bytes (0: not known yet), `frames` read so far.
   * @param {number} done
   * @param {number} total
   * @param {number} frames
   */
  reading(done, total, frames) {
    this.show(done, total);
    if (total) setText(this.progressText, 'progress.read', { done: formatBytes(done), total: formatBytes(total), count: frames });
    else setText(this.progressText, 'progress.loading');
  }

  /**
   * A filter that reads the file again: how far it is.
   * @param {number} done bytes
   * @param {number} total bytes
   */
  filtering(done, total) {
    this.show(done, total);
    setText(this.progressText, 'progress.filter', { done: formatBytes(done), total: formatBytes(total) });
  }

  /**
   * @param {number} done
   * @param {number} total
   */
  show(done, total) {
    this.progress.hidden = false;
    this.bar.max = Math.max(1, total);
    this.bar.value = done;
  }

  /** Nothing under way: the progress bar goes. */
  done() {
    this.progress.hidden = true;
  }
}

/**
 * A size as a parameter of a text (formatted in the language it is shown in).
 * @param {number} bytes
 * @returns {import('./i18n.js').Param}
 */
export function formatBytes(bytes) {
  if (bytes < 1024) return { key: 'size.b', params: { n: bytes } };
  if (bytes < 1024 * 1024) return { key: 'size.kib', params: { n: { number: bytes / 1024, fraction: 1 } } };
  if (bytes < 1024 * 1024 * 1024) return { key: 'size.mib', params: { n: { number: bytes / 1024 / 1024, fraction: 1 } } };
  return { key: 'size.gib', params: { n: { number: bytes / 1024 / 1024 / 1024, fraction: 2 } } };
}
