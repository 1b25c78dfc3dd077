// @ts-check
// What the page does from menus, keys and dialogs: a frame's context menu (right click on its
// row, or the context menu key / Shift+F10 in the list), Follow TCP stream (its dialog, the
// list filtered to the stream), the keyboard shortcuts of the keys dialog, and a click on a
// dialog's backdrop closing it. The menu's items act on the selected frame once its details
// are shown (they wait for them); shortcuts are off while a dialog is open or a field is typed in.

import { FollowDialog } from './follow.js';
import { element } from './elements.js';

/**
 * @typedef {import('./client.js').WorkerClient} WorkerClient
 * @typedef {import('./framelist.js').FrameList} FrameList
 * @typedef {import('./framedetail.js').FrameDetail} FrameDetail
 * @typedef {import('./filtering.js').DisplayFilter} DisplayFilter
 */

/** How long to wait for a stream's payload before saying there is no answer yet (ms). */
const FOLLOW_WAIT_MS = 10000;

export class Menus {
  /**
   * @param {{ client: WorkerClient, list: FrameList, detail: FrameDetail, filter: DisplayFilter }} options
   */
  constructor(options) {
    this.list = options.list;
    this.detail = options.detail;
    this.filter = options.filter;
    this.menu = element('row-menu');
    this.menuFollow = element('menu-follow', HTMLButtonElement);
    this.menuStream = element('menu-stream', HTMLButtonElement);
    this.menuDetails = element('menu-details', HTMLButtonElement);
    this.keysDialog = element('keys-dialog', HTMLDialogElement);
    this.followDialog = element('follow-dialog', HTMLDialogElement);
    this.menu.tabIndex = -1;
    /** The frame the menu is about (its items need its details: they wait for them). */
    /** @type {number | null} */
    this.menuFrame = null;
    const client = options.client;
    this.follow = new FollowDialog(this.followDialog, {
      fetch: (stream, format) =>
        client.request('follow', { stream, format }, {
          wait: FOLLOW_WAIT_MS,
          onWait: () => {
            this.follow.waiting('follow.noAnswer');
          },
        }),
    });
    this.wireMenu();
    this.wireKeys();
    this.wireDialogs();
  }

  /**
   * Follows the selected frame's TCP stream: the dialog, and the list filtered to the stream (as
   * Wireshark does), the frame kept selected.
   */
  followSelected() {
    const stream = this.detail.stream;
    if (stream === null || this.list.pane.hidden) return;
    const text = `tcp.stream == ${stream}`;
    if (this.filter.applied !== text) this.filter.set(text, { frame: this.detail.shown, keep: true });
    this.follow.open(stream);
  }

  /** Another file: the follow dialog closes (the menu closes with the details). */
  closeDialogs() {
    if (this.followDialog.open) this.followDialog.close();
  }

  // A frame's context menu -----------------------------------------------------------------

  /** The items that can be chosen now. */
  items() {
    return /** @type {HTMLButtonElement[]} */ ([...this.menu.querySelectorAll('[role=menuitem]')]).filter((item) => !item.disabled);
  }

  /** The items as the frame's details allow (the details are shown, or gone). */
  update() {
    const ready = this.menuFrame !== null && this.detail.shown === this.menuFrame;
    this.menuFollow.disabled = !ready || this.detail.stream === null;
    this.menuStream.disabled = this.menuFollow.disabled;
    this.menuDetails.disabled = !ready;
    // Opened before the details came: the first item takes the focus once it can.
    if (!this.menu.hidden && document.activeElement === this.menu) this.items()[0]?.focus();
  }

  /**
   * Opens the menu for the selected frame at (x, y), kept within the window.
   * @param {number} x
   * @param {number} y
   */
  open(x, y) {
    this.menuFrame = this.list.selected;
    this.menu.hidden = false;
    const box = this.menu.getBoundingClientRect();
    this.menu.style.left = `${Math.max(0, Math.min(x, window.innerWidth - box.width - 4))}px`;
    this.menu.style.top = `${Math.max(0, Math.min(y, window.innerHeight - box.height - 4))}px`;
    this.update();
    (this.items()[0] ?? this.menu).focus();
  }

  /** @param {boolean} refocus */
  close(refocus) {
    if (this.menu.hidden) return;
    this.menu.hidden = true;
    this.menuFrame = null;
    if (refocus) this.list.focus();
  }

  wireMenu() {
    const grid = this.list.grid;
    grid.body.addEventListener('contextmenu', (event) => {
      const row = /** @type {HTMLElement | null} */ (/** @type {Element} */ (event.target).closest('[role=row]'));
      if (!row || row.dataset.index === undefined) return;
      event.preventDefault();
      grid.select(Number(row.dataset.index));
      this.open(event.clientX, event.clientY);
    });
    grid.root.addEventListener('keydown', (event) => {
      if (event.key !== 'ContextMenu' && !(event.shiftKey && event.key === 'F10')) return;
      if (grid.selected < 0) return;
      event.preventDefault();
      const row = document.getElementById(`frame-row-${grid.selected}`);
      const box = (row ?? grid.root).getBoundingClientRect();
      this.open(box.left + 48, box.bottom);
    });
    this.menu.addEventListener('keydown', (event) => {
      const items = this.items();
      const at = items.indexOf(/** @type {HTMLButtonElement} */ (document.activeElement));
      /** @type {Record<string, number>} */
      const moves = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: items.length - 1 };
      if (event.key in moves && items.length > 0) {
        event.preventDefault();
        items[(moves[event.key] + items.length) % items.length].focus();
      } else if (event.key === 'Escape' || event.key === 'Tab') {
        event.preventDefault();
        event.stopPropagation();
        this.close(true);
      }
    });
    document.addEventListener('pointerdown', (event) => {
      if (!this.menu.hidden && !(event.target instanceof Node && this.menu.contains(event.target))) this.close(false);
    });
    this.menuFollow.addEventListener('click', () => {
      this.close(false);
      this.followSelected();
    });
    this.menuStream.addEventListener('click', () => {
      const frame = this.menuFrame;
      this.close(true);
      if (this.detail.stream === null) return;
      this.filter.set(`tcp.stream == ${this.detail.stream}`, { frame, keep: true });
    });
    this.menuDetails.addEventListener('click', () => {
      this.close(false);
      this.detail.focusTree();
    });
  }

  // Keyboard -------------------------------------------------------------------------------

  wireKeys() {
    document.addEventListener('keydown', (event) => {
      const loaded = this.list.ready;
      const ctrl = event.ctrlKey || event.metaKey;
      if (document.querySelector('dialog[open]')) return;
      if (loaded && ctrl && event.altKey && event.shiftKey && event.code === 'KeyT') {
        event.preventDefault();
        this.followSelected();
      } else if (loaded && ctrl && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'f') {
        event.preventDefault();
        this.filter.focus();
      } else if (loaded && ctrl && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'g') {
        event.preventDefault();
        this.list.showGoto(true);
      } else if (!ctrl && !event.altKey && !isTyping(event.target)) {
        if (loaded && event.key === '/') {
          event.preventDefault();
          this.filter.focus();
        } else if (event.key === '?') {
          event.preventDefault();
          this.keysDialog.showModal();
        }
      }
    });
    // Enter in the list: to the selected frame's layers.
    this.list.grid.root.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter' || event.altKey || event.ctrlKey || event.metaKey || this.detail.shown === null) return;
      event.preventDefault();
      this.detail.focusTree();
    });
  }

  // Dialogs --------------------------------------------------------------------------------

  wireDialogs() {
    element('keys-button').addEventListener('click', () => this.keysDialog.showModal());
    element('keys-close').addEventListener('click', () => this.keysDialog.close());
    // A click on a dialog's backdrop closes it.
    for (const dialog of [this.keysDialog, this.followDialog]) {
      dialog.addEventListener('click', (event) => {
        if (event.target === dialog) {
          const box = dialog.getBoundingClientRect();
          const inside = event.clientX >= box.left && event.clientX <= box.right && event.clientY >= box.top && event.clientY <= box.bottom;
          if (!inside) dialog.close();
        }
      });
    }
  }
}

/** @param {EventTarget | null} target */
function isTyping(target) {
  return target instanceof HTMLElement && (target.isContentEditable || target.matches('input, textarea, select'));
}
