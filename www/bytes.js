// @ts-check
// The bytes pane: the selected frame's captured bytes as a hex dump (offset, 16 bytes in hex,
// the same bytes as ASCII), as Wireshark's packet bytes pane. The bytes of the node chosen in
// the detail tree are highlighted; clicking a byte (or moving with the arrow keys once the pane
// is focused) asks for the deepest node that covers it.
//
// Only the lines in view are in the DOM, so a jumbo frame of 64 KiB costs no more than a small
// one. Bytes are packet data: shown as text, never translated.

import { inNextFrame } from './nextframe.js';

const PER_LINE = 16;
const OVERSCAN = 4;

export class BytesView {
  /**
   * @param {HTMLElement} root the scrolling element
   * @param {{ onByte?: (offset: number) => void }} [options]
   */
  constructor(root, options = {}) {
    this.root = root;
    this.onByte = options.onByte ?? (() => {});
    this.spacer = document.createElement('div');
    this.spacer.className = 'bytes-spacer';
    this.lines = document.createElement('div');
    this.lines.className = 'bytes-lines';
    this.spacer.append(this.lines);
    root.replaceChildren(this.spacer);
    /** @type {Uint8Array} */
    this.bytes = new Uint8Array(0);
    /** Highlighted bytes [from, to). */
    this.from = 0;
    this.to = 0;
    /** The byte the keys move from (-1: none). */
    this.cursor = -1;
    this.lineHeight = 18;
    this.offsetDigits = 4;
    /** Renders in the next animation frame, once however often it is asked. */
    this.schedule = inNextFrame(() => this.render());

    root.addEventListener('scroll', () => this.schedule(), { passive: true });
    new ResizeObserver(() => this.schedule()).observe(root);
    root.addEventListener('click', (event) => {
      const byte = event.target instanceof Element ? event.target.closest('[data-offset]') : null;
      if (!byte) return;
      this.pick(Number(/** @type {HTMLElement} */ (byte).dataset.offset));
    });
    root.addEventListener('keydown', (event) => {
      if (event.altKey || event.ctrlKey || event.metaKey || this.bytes.length === 0) return;
      const at = this.cursor < 0 ? this.from : this.cursor;
      /** @type {Record<string, number>} */
      const moves = { ArrowLeft: at - 1, ArrowRight: at + 1, ArrowUp: at - PER_LINE, ArrowDown: at + PER_LINE, Home: 0, End: this.bytes.length - 1 };
      if (!(event.key in moves)) return;
      event.preventDefault();
      this.pick(Math.max(0, Math.min(this.bytes.length - 1, moves[event.key])));
    });
  }

  /**
   * Shows `bytes` (nothing highlighted).
   * @param {Uint8Array} bytes
   */
  show(bytes) {
    this.bytes = bytes;
    this.from = 0;
    this.to = 0;
    this.cursor = -1;
    this.offsetDigits = Math.max(4, (Math.max(1, bytes.length) - 1).toString(16).length);
    this.root.scrollTop = 0;
    this.root.dataset.length = String(bytes.length);
    this.measure();
    this.render();
  }

  clear() {
    this.show(new Uint8Array(0));
  }

  /** @param {number} offset */
  pick(offset) {
    this.cursor = offset;
    this.onByte(offset);
    this.render();
  }

  /**
   * Highlights `length` bytes from `offset` (length 0: none) and scrolls them into view.
   * @param {number} offset
   * @param {number} length
   */
  highlight(offset, length) {
    this.from = Math.max(0, Math.min(this.bytes.length, offset));
    this.to = Math.max(this.from, Math.min(this.bytes.length, offset + length));
    if (this.cursor < this.from || this.cursor >= this.to) this.cursor = this.to > this.from ? this.from : -1;
    if (this.to > this.from) {
      const first = Math.floor(this.from / PER_LINE) * this.lineHeight;
      const last = (Math.floor((this.to - 1) / PER_LINE) + 1) * this.lineHeight;
      const view = this.root.clientHeight;
      if (first < this.root.scrollTop) this.root.scrollTop = first;
      else if (last > this.root.scrollTop + view) this.root.scrollTop = Math.min(first, last - view);
    }
    this.render();
  }

  measure() {
    const probe = this.makeLine();
    probe.hidden = false;
    this.lines.append(probe);
    const height = probe.getBoundingClientRect().height;
    probe.remove();
    if (height > 0) this.lineHeight = height;
  }

  /** An empty line: offset, 16 hex bytes, 16 characters. */
  makeLine() {
    const line = document.createElement('div');
    line.className = 'bytes-line';
    const offset = document.createElement('span');
    offset.className = 'offset';
    const hex = document.createElement('span');
    hex.className = 'hex';
    const ascii = document.createElement('span');
    ascii.className = 'ascii';
    for (let i = 0; i < PER_LINE; i += 1) {
      hex.append(document.createElement('span'));
      ascii.append(document.createElement('span'));
    }
    line.append(offset, hex, ascii);
    return line;
  }

  render() {
    const total = Math.ceil(this.bytes.length / PER_LINE);
    this.spacer.style.height = `${total * this.lineHeight}px`;
    const first = Math.max(0, Math.floor(this.root.scrollTop / this.lineHeight) - OVERSCAN);
    const wanted = Math.max(0, Math.min(total - first, Math.ceil(this.root.clientHeight / this.lineHeight) + 2 * OVERSCAN));
    const pool = /** @type {HTMLElement[]} */ ([...this.lines.children]);
    while (pool.length < wanted) {
      const line = this.makeLine();
      this.lines.append(line);
      pool.push(line);
    }
    this.lines.style.transform = `translateY(${first * this.lineHeight}px)`;
    for (let i = 0; i < pool.length; i += 1) {
      const line = pool[i];
      if (i >= wanted) {
        line.hidden = true;
        continue;
      }
      line.hidden = false;
      const start = (first + i) * PER_LINE;
      const [offset, hex, ascii] = /** @type {HTMLElement[]} */ ([...line.children]);
      offset.textContent = start.toString(16).padStart(this.offsetDigits, '0');
      for (let k = 0; k < PER_LINE; k += 1) {
        const at = start + k;
        const h = /** @type {HTMLElement} */ (hex.children[k]);
        const a = /** @type {HTMLElement} */ (ascii.children[k]);
        if (at >= this.bytes.length) {
          for (const cell of [h, a]) {
            cell.textContent = '';
            cell.className = 'none';
            delete cell.dataset.offset;
          }
          continue;
        }
        const value = this.bytes[at];
        h.textContent = value.toString(16).padStart(2, '0');
        a.textContent = value >= 0x20 && value < 0x7f ? String.fromCharCode(value) : '.';
        const selected = at >= this.from && at < this.to;
        const className = selected && at === this.cursor ? 'sel cursor' : selected ? 'sel' : at === this.cursor ? 'cursor' : '';
        for (const cell of [h, a]) {
          cell.dataset.offset = String(at);
          if (cell.className !== className) cell.className = className;
        }
      }
    }
  }
}
