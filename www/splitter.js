// @ts-check
// The workspace's splitters: one between the list's column (the frame list, the packet details,
// the bytes) and the ladder, one between the frame list and the details under it. Each is a
// focusable role="separator": dragged with the pointer, moved with the arrow keys (Home / End:
// as far as it goes); double-click gives back the stylesheet's size. The ladder's splitter can
// also collapse the ladder to a strip: dragged to the window's edge, End or → past the ladder's
// smallest width, Enter, or the button in the ladder's bar; the strip's button, Enter, ← or
// Home bring it back (Enter and the buttons to the width it had).
//
// A size is the width (or height) of one pane in px, kept in localStorage with the collapsed
// state and set as a CSS custom property on the workspace through the CSSOM (the page's CSP
// forbids inline styles), so only the workspace's grid template changes. A size kept from a
// larger window is clamped to the room there is now (the kept value stays as the user set it).
// Where the panes stack (narrow windows, phones) the stylesheet hides the splitters, and a
// collapsed ladder shows whole.

import { draggable } from './drag.js';
import { setAttr } from './i18n.js';

/** px moved by an arrow key. */
const STEP = 20;

/**
 * @typedef {{
 *   container: HTMLElement,
 *   before: HTMLElement,
 *   after: HTMLElement,
 *   sized: 'before' | 'after',
 *   property: string,
 *   storageKey: string,
 *   min: number,
 *   otherMin: number,
 *   sizeText: string,
 *   collapse?: { className: string, collapse: HTMLButtonElement, expand: HTMLButtonElement, text: string },
 * }} SplitterOptions
 * `before` / `after`: the first pane on either side (their edges bound the room shared);
 * `sized`: the side whose size is set (in `property`, on `container`); `min` / `otherMin`: the
 * smallest sizes of that side and of the other (px); `sizeText`: the key of the separator's
 * aria-valuetext ({size} in px); `collapse`: the class that collapses the sized side, the
 * buttons that collapse and expand it, and the aria-valuetext key while it is collapsed.
 */

export class Splitter {
  /**
   * @param {HTMLElement} handle the role="separator" element, in the grid between its two sides
   * @param {SplitterOptions} options
   */
  constructor(handle, options) {
    this.handle = handle;
    this.options = options;
    this.vertical = handle.getAttribute('aria-orientation') !== 'horizontal';
    const saved = load(options.storageKey);
    /** The size the user chose (px), or null for the stylesheet's. */
    /** @type {number | null} */
    this.size = saved.size;
    this.collapsed = Boolean(options.collapse) && saved.collapsed;
    /** The size when a drag started, given back when the drag collapses the side. */
    /** @type {number | null} */
    this.dragFrom = null;
    this.wire();
    // The room changes with the window, and when the splitter shows or hides (a pane or the
    // ladder opens, the ladder collapses). Not a ResizeObserver on the panes: sizes set while
    // it reports would resize the other splitter's panes within the same frame.
    const refresh = () => this.apply();
    new ResizeObserver(refresh).observe(options.container);
    const changes = new MutationObserver(refresh);
    changes.observe(options.container, { attributes: true, attributeFilter: ['class'] });
    for (const pane of [options.before, options.after]) changes.observe(pane, { attributes: true, attributeFilter: ['hidden'] });
    this.apply();
  }

  wire() {
    const { handle } = this;
    let startSize = 0;
    draggable(handle, {
      axis: this.vertical ? 'x' : 'y',
      start: () => {
        const room = this.measure();
        if (!room) return false;
        startSize = room.size;
        this.dragFrom = this.size;
      },
      move: (moved) => this.drag(startSize + (this.options.sized === 'after' ? -moved : moved)),
      end: () => this.save(),
    });
    handle.addEventListener('dblclick', () => {
      this.size = null;
      this.collapsed = false;
      this.apply();
      this.save();
    });
    handle.addEventListener('keydown', (event) => {
      if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
      if (this.key(event.key)) {
        event.preventDefault();
        event.stopPropagation();
        this.apply();
        this.save();
      }
    });
    const collapse = this.options.collapse;
    if (collapse) {
      collapse.collapse.addEventListener('click', () => {
        this.setCollapsed(true);
        collapse.expand.focus();
      });
      collapse.expand.addEventListener('click', () => {
        this.setCollapsed(false);
        collapse.collapse.focus();
      });
    }
  }

  /**
   * The sized side dragged to `wanted` px: clamped, or collapsed when dragged below half its
   * smallest size.
   * @param {number} wanted
   */
  drag(wanted) {
    const room = this.measure();
    if (!room) return;
    if (this.options.collapse && wanted < this.options.min / 2) {
      this.collapsed = true;
      this.size = this.dragFrom;
    } else {
      this.collapsed = false;
      this.size = clamp(wanted, this.range(room.total));
    }
    this.apply();
  }

  /**
   * Moves the splitter for key `key`; false when the key is not the splitter's.
   * @param {string} key
   */
  key(key) {
    const room = this.measure();
    if (!room) return false;
    const { min, max } = this.range(room.total);
    const after = this.options.sized === 'after';
    const forward = this.vertical ? 'ArrowRight' : 'ArrowDown';
    const back = this.vertical ? 'ArrowLeft' : 'ArrowUp';
    const collapsible = Boolean(this.options.collapse);
    // Home takes the splitter to the start (the side before it at its smallest), End to the end.
    const smallest = after ? 'End' : 'Home';
    const largest = after ? 'Home' : 'End';
    const grow = key === (after ? back : forward);
    const shrink = key === (after ? forward : back);
    if (key === 'Enter') {
      if (!collapsible) return false;
      this.collapsed = !this.collapsed;
    } else if (key === largest) {
      this.collapsed = false;
      this.size = max;
    } else if (key === smallest) {
      if (collapsible) this.collapsed = true;
      else this.size = min;
    } else if (grow) {
      if (this.collapsed) {
        this.collapsed = false;
        this.size = min;
      } else {
        this.size = clamp(room.size + STEP, { min, max });
      }
    } else if (shrink) {
      if (this.collapsed) return true;
      if (collapsible && room.size <= min + 0.5) this.collapsed = true;
      else this.size = clamp(room.size - STEP, { min, max });
    } else {
      return false;
    }
    return true;
  }

  /** @param {boolean} collapsed */
  setCollapsed(collapsed) {
    this.collapsed = collapsed;
    this.apply();
    this.save();
  }

  /**
   * The room the two sides share and the sized side's size now (px), or null while the
   * splitter is not shown.
   */
  measure() {
    const handle = this.handle.getBoundingClientRect();
    if (handle.width === 0 && handle.height === 0) return null;
    const box = this.options.container.getBoundingClientRect();
    const first = this.options.before.getBoundingClientRect();
    const pane = (this.options.sized === 'after' ? this.options.after : this.options.before).getBoundingClientRect();
    const total = this.vertical
      ? handle.left - first.left + box.right - handle.right
      : handle.top - first.top + box.bottom - handle.bottom;
    return { total, size: this.vertical ? pane.width : pane.height };
  }

  /**
   * The sized side's smallest and largest sizes in `total` px of room.
   * @param {number} total
   */
  range(total) {
    const min = Math.min(this.options.min, total);
    return { min, max: Math.max(min, total - this.options.otherMin) };
  }

  /** Sets the size (clamped to the room there is) and the collapsed state on the workspace. */
  apply() {
    const { container, property, collapse } = this.options;
    if (collapse) {
      container.classList.toggle(collapse.className, this.collapsed);
      collapse.collapse.setAttribute('aria-expanded', String(!this.collapsed));
      collapse.expand.setAttribute('aria-expanded', String(!this.collapsed));
    }
    if (this.size === null) {
      container.style.removeProperty(property);
    } else {
      const room = this.measure();
      const size = room ? clamp(this.size, this.range(room.total)) : this.size;
      const value = `${Math.round(size)}px`;
      if (container.style.getPropertyValue(property) !== value) container.style.setProperty(property, value);
    }
    this.describe();
  }

  /**
   * The separator's value for assistive technology: where it is, in percent of the room from
   * its start, between where Home and End take it; and the sized side's size in words.
   */
  describe() {
    const room = this.measure();
    if (!room || room.total <= 0) return;
    const { min, max } = this.range(room.total);
    const after = this.options.sized === 'after';
    const at = (/** @type {number} */ size) => Math.round((100 * (after ? room.total - size : size)) / room.total);
    const ends = [at(min), at(max)];
    if (this.options.collapse) ends.push(at(0));
    this.handle.setAttribute('aria-valuemin', String(Math.min(...ends)));
    this.handle.setAttribute('aria-valuemax', String(Math.max(...ends)));
    this.handle.setAttribute('aria-valuenow', String(this.collapsed ? at(0) : at(room.size)));
    if (this.collapsed && this.options.collapse) setAttr(this.handle, 'aria-valuetext', this.options.collapse.text);
    else setAttr(this.handle, 'aria-valuetext', this.options.sizeText, { size: Math.round(room.size) });
  }

  save() {
    try {
      localStorage.setItem(this.options.storageKey, JSON.stringify({ size: this.size === null ? null : Math.round(this.size), collapsed: this.collapsed }));
    } catch {
      // storage refused: the layout lasts for this page only
    }
  }
}

/**
 * @param {number} value
 * @param {{ min: number, max: number }} range
 */
function clamp(value, { min, max }) {
  return Math.max(min, Math.min(max, value));
}

/**
 * What was kept under `key`: a size in px (or null) and whether the side was collapsed.
 * @param {string} key
 * @returns {{ size: number | null, collapsed: boolean }}
 */
function load(key) {
  try {
    const saved = JSON.parse(localStorage.getItem(key) ?? 'null');
    if (saved && typeof saved === 'object') {
      const size = typeof saved.size === 'number' && Number.isFinite(saved.size) && saved.size > 0 && saved.size < 20_000 ? saved.size : null;
      return { size, collapsed: saved.collapsed === true };
    }
  } catch {
    // nothing saved, or storage refused
  }
  return { size: null, collapsed: false };
}

/**
 * The page's two splitters (the elements of index.html).
 * @param {HTMLElement} workspace
 */
export function splitWorkspace(workspace) {
  /** @param {string} id */
  const byId = (id) => {
    const element = document.getElementById(id);
    if (!element) throw new Error(`index.html lacks #${id}`);
    return element;
  };
  const list = byId('frames-pane');
  const ladder = new Splitter(byId('ladder-splitter'), {
    container: workspace,
    before: list,
    after: byId('ladder-pane'),
    sized: 'after',
    property: '--ladder-width',
    storageKey: 'tcp-timeline.split.ladder',
    min: 280,
    otherMin: 360,
    sizeText: 'split.ladderSize',
    collapse: {
      className: 'ladder-collapsed',
      collapse: /** @type {HTMLButtonElement} */ (byId('ladder-collapse')),
      expand: /** @type {HTMLButtonElement} */ (byId('ladder-strip')),
      text: 'split.ladderCollapsed',
    },
  });
  const details = new Splitter(byId('list-splitter'), {
    container: workspace,
    before: list,
    after: byId('detail-pane'),
    sized: 'before',
    property: '--list-height',
    storageKey: 'tcp-timeline.split.list',
    min: 150,
    otherMin: 150,
    sizeText: 'split.listSize',
  });
  return { ladder, details };
}
