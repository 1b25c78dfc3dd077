// @ts-check
// The packet detail tree: the selected frame's layers as the core describes them, one
// collapsible node per layer and field, as Wireshark's packet details pane.
//
// An ARIA tree (role=tree, treeitem, group) focused as a whole, the current item named by
// aria-activedescendant: ↑/↓ move, → expands (or goes to the first child), ← collapses (or goes
// to the parent), Enter (or Space) toggles, Home/End go to the first/last item. Whether a node is
// open is remembered per field path while moving between frames; a node's children are drawn
// when it is first opened. Labels are the core's, in Wireshark's English: data, never
// translated, and only ever set as text.

/** @typedef {import('./types.js').DetailNode} DetailNode */

/** A node as shown: where it is in the tree, whether it is open, its elements once drawn. */
class Item {
  /**
   * @param {DetailNode} node
   * @param {Item | null} parent
   * @param {number} index among its siblings
   * @param {number} serial numbers the items of one tree, for element ids
   */
  constructor(node, parent, index, serial) {
    this.node = node;
    this.parent = parent;
    /** @type {number} */
    this.depth = parent ? parent.depth + 1 : 0;
    this.key = parent ? `${parent.key}/${nodeKey(node)}` : nodeKey(node);
    this.index = index;
    this.serial = serial;
    this.expanded = false;
    /** @type {Item[]} */
    this.children = [];
    /** @type {HTMLElement | null} */
    this.element = null;
    /** @type {HTMLElement | null} */
    this.group = null;
  }

  get hasChildren() {
    return this.children.length > 0;
  }
}

/**
 * What identifies a node across frames: its field name, else its label up to its value
 * ("[Timestamps]" → "Timestamps", "Options: (20 bytes), …" → "Options").
 * @param {DetailNode} node
 */
function nodeKey(node) {
  if (node.field) return node.field;
  const label = node.label.replace(/^\[/, '');
  const head = label.split(/[:,([=]/)[0].trim();
  return head || label;
}

export class DetailTree {
  /**
   * @param {HTMLElement} root the element with role=tree
   * @param {{ onSelect?: (node: DetailNode | null) => void, expertTitle?: (severity: string, group: string) => string }} [options]
   */
  constructor(root, options = {}) {
    this.root = root;
    this.onSelect = options.onSelect ?? (() => {});
    this.expertTitle = options.expertTitle ?? ((severity) => severity);
    /** @type {Item[]} */
    this.items = [];
    /** @type {Item | null} */
    this.current = null;
    /** Open (true) or closed (false) as the user left it, by field path. */
    /** @type {Map<string, boolean>} */
    this.open = new Map();
    /** The path of the node chosen last, chosen again in the next frame when it has one. */
    this.chosenKey = '';
    this.serial = 0;
    /** @type {Map<string, Item>} element id → item */
    this.byId = new Map();

    root.addEventListener('keydown', (event) => this.onKey(event));
    root.addEventListener('click', (event) => {
      const item = this.itemOf(event.target);
      if (!item) return;
      const onTwisty = event.target instanceof Element && event.target.closest('.twisty');
      if (onTwisty && item.hasChildren) this.toggle(item);
      this.choose(item, { scroll: false });
      root.focus({ preventScroll: true });
    });
    root.addEventListener('dblclick', (event) => {
      const item = this.itemOf(event.target);
      if (item?.hasChildren && !(event.target instanceof Element && event.target.closest('.twisty'))) this.toggle(item);
    });
  }

  /**
   * Shows `nodes` (null or empty: no tree). Opens each node as the user left its path; a path
   * never touched opens when `defaultOpen` says so (the last layer, as Wireshark shows it).
   * @param {DetailNode[] | null} nodes
   */
  show(nodes) {
    this.serial += 1;
    this.byId.clear();
    this.current = null;
    this.root.removeAttribute('aria-activedescendant');
    /** @type {Map<string, number>} */
    const seen = new Map();
    /**
     * @param {DetailNode[]} list
     * @param {Item | null} parent
     */
    const build = (list, parent) =>
      list.map((node, index) => {
        const item = new Item(node, parent, index, this.serial);
        // Siblings of the same path (two TCP options of one kind) are told apart by their rank.
        const rank = seen.get(item.key) ?? 0;
        seen.set(item.key, rank + 1);
        if (rank > 0) item.key += `#${rank}`;
        item.children = build(node.children ?? [], item);
        return item;
      });
    this.items = build(nodes ?? [], null);
    const last = this.items.length - 1;
    /** @param {Item} item */
    const expand = (item) => {
      const remembered = this.open.get(item.key);
      item.expanded = item.hasChildren && (remembered ?? (item.depth === 0 && item.index === last));
      item.children.forEach(expand);
    };
    this.items.forEach(expand);
    this.root.replaceChildren(...this.items.map((item) => this.draw(item)));
    const again = this.chosenKey ? this.find((item) => item.key === this.chosenKey && this.isShown(item)) : null;
    if (again) {
      this.choose(again, { scroll: true, remember: false });
    } else {
      // Nothing chosen yet: the keys start from the first node, which is not selected.
      const first = this.items[0];
      if (first?.element) this.setCurrent(first);
      this.onSelect(null);
    }
  }

  /**
   * Makes `item` the one the keys move from (aria-activedescendant), without selecting it.
   * @param {Item} item
   */
  setCurrent(item) {
    if (this.current?.element) {
      this.current.element.setAttribute('aria-selected', 'false');
      this.current.element.classList.remove('active');
    }
    this.current = item;
    const element = /** @type {HTMLElement} */ (item.element);
    element.classList.add('active');
    this.root.setAttribute('aria-activedescendant', element.id);
  }

  /** Empties the tree. */
  clear() {
    this.show(null);
  }

  /**
   * The element of `item` (and of its open descendants).
   * @param {Item} item
   */
  draw(item) {
    const element = document.createElement('div');
    element.setAttribute('role', 'treeitem');
    element.id = `detail-node-${item.serial}-${this.byId.size}`;
    this.byId.set(element.id, item);
    element.setAttribute('aria-level', String(item.depth + 1));
    element.setAttribute('aria-selected', 'false');
    element.className = 'tree-item';
    const row = document.createElement('div');
    row.className = 'tree-row';
    row.style.setProperty('--depth', String(item.depth));
    const twisty = document.createElement('span');
    twisty.className = 'twisty';
    twisty.setAttribute('aria-hidden', 'true');
    const label = document.createElement('span');
    label.className = 'label';
    label.textContent = item.node.label;
    const { node } = item;
    if (node.generated) row.classList.add('generated');
    if (node.expert) {
      row.classList.add('expert', `expert-${node.expert.severity}`);
      row.title = this.expertTitle(node.expert.severity, node.expert.group ?? '');
    } else if (node.field) {
      row.title = node.field;
    }
    if (node.field) element.dataset.field = node.field;
    if (node.span) element.dataset.span = `${node.span[0]},${node.span[1]}`;
    row.append(twisty, label);
    element.append(row);
    item.element = element;
    if (item.hasChildren) {
      element.setAttribute('aria-expanded', String(item.expanded));
      if (item.expanded) this.drawChildren(item);
    }
    return element;
  }

  /** @param {Item} item */
  drawChildren(item) {
    if (item.group || !item.element) return;
    const group = document.createElement('div');
    group.setAttribute('role', 'group');
    group.append(...item.children.map((child) => this.draw(child)));
    item.group = group;
    item.element.append(group);
  }

  /**
   * @param {Item} item
   * @param {boolean} expanded
   */
  setExpanded(item, expanded) {
    if (!item.hasChildren || !item.element) return;
    item.expanded = expanded;
    this.open.set(item.key, expanded);
    if (expanded) this.drawChildren(item);
    item.element.setAttribute('aria-expanded', String(expanded));
  }

  /** @param {Item} item */
  toggle(item) {
    this.setExpanded(item, !item.expanded);
    // A node closed over the current one: the current one becomes the node closed.
    if (!item.expanded && this.current && this.isBelow(this.current, item)) this.choose(item, { scroll: true });
  }

  /**
   * @param {Item} item
   * @param {Item} ancestor
   */
  isBelow(item, ancestor) {
    for (let at = item.parent; at; at = at.parent) if (at === ancestor) return true;
    return false;
  }

  /**
   * Whether every ancestor of `item` is open.
   * @param {Item} item
   */
  isShown(item) {
    for (let at = item.parent; at; at = at.parent) if (!at.expanded) return false;
    return true;
  }

  /**
   * Makes `item` the current node: selected, scrolled into view, announced to onSelect.
   * @param {Item} item
   * @param {{ scroll?: boolean, notify?: boolean, remember?: boolean }} [how]
   */
  choose(item, how = {}) {
    for (let at = item.parent; at; at = at.parent) if (!at.expanded) this.setExpanded(at, true);
    this.setCurrent(item);
    const element = /** @type {HTMLElement} */ (item.element);
    element.setAttribute('aria-selected', 'true');
    if (how.remember !== false) this.chosenKey = item.key;
    if (how.scroll !== false) /** @type {HTMLElement} */ (element.firstElementChild).scrollIntoView({ block: 'nearest' });
    if (how.notify !== false) this.onSelect(item.node);
  }

  /** Every item whose ancestors are open, in order. */
  visible() {
    /** @type {Item[]} */
    const out = [];
    /** @param {Item[]} list */
    const walk = (list) => {
      for (const item of list) {
        out.push(item);
        if (item.expanded) walk(item.children);
      }
    };
    walk(this.items);
    return out;
  }

  /**
   * The first item, depth first, for which `test` holds.
   * @param {(item: Item) => boolean} test
   * @returns {Item | null}
   */
  find(test) {
    /** @param {Item[]} list @returns {Item | null} */
    const walk = (list) => {
      for (const item of list) {
        if (test(item)) return item;
        const found = walk(item.children);
        if (found) return found;
      }
      return null;
    };
    return walk(this.items);
  }

  /**
   * Chooses the deepest node whose bytes include `offset` (opening its parents), as clicking a
   * byte does in Wireshark; among nodes of the same depth, the narrowest.
   * @param {number} offset
   */
  chooseByte(offset) {
    /** @type {Item | null} */
    let best = null;
    /** @param {Item[]} list */
    const walk = (list) => {
      for (const item of list) {
        const span = item.node.span;
        if (span && span[1] > 0 && offset >= span[0] && offset < span[0] + span[1]) {
          if (!best || item.depth > best.depth || (item.depth === best.depth && span[1] < /** @type {[number, number]} */ (best.node.span)[1])) best = item;
        }
        walk(item.children);
      }
    };
    walk(this.items);
    if (best) this.choose(best, { scroll: true });
    return best;
  }

  /**
   * The first node of field `field` anywhere in the tree (its label, as the core wrote it).
   * @param {string} field
   */
  fieldNode(field) {
    return this.find((item) => item.node.field === field)?.node ?? null;
  }

  /**
   * @param {EventTarget | null} target
   * @returns {Item | null}
   */
  itemOf(target) {
    const element = target instanceof Element ? target.closest('[role=treeitem]') : null;
    return element ? this.byId.get(element.id) ?? null : null;
  }

  /** @param {KeyboardEvent} event */
  onKey(event) {
    if (event.altKey || event.ctrlKey || event.metaKey || !this.current) return;
    const item = this.current;
    const list = this.visible();
    // Nothing selected yet: the first move selects the node the keys start from.
    const selected = item.element?.getAttribute('aria-selected') === 'true';
    const at = selected ? list.indexOf(item) : list.indexOf(item) - (event.key === 'ArrowDown' ? 1 : 0);
    const page = Math.max(1, Math.floor(this.root.clientHeight / ((item.element?.firstElementChild?.getBoundingClientRect().height) || 20)) - 1);
    /** @type {Item | null | undefined} */
    let target = null;
    switch (event.key) {
      case 'ArrowDown': target = list[Math.min(list.length - 1, at + 1)]; break;
      case 'ArrowUp': target = list[Math.max(0, at - 1)]; break;
      case 'PageDown': target = list[Math.min(list.length - 1, at + page)]; break;
      case 'PageUp': target = list[Math.max(0, at - page)]; break;
      case 'Home': target = list[0]; break;
      case 'End': target = list[list.length - 1]; break;
      case 'ArrowRight':
        if (item.hasChildren && !item.expanded) this.setExpanded(item, true);
        else if (item.hasChildren) target = item.children[0];
        break;
      case 'ArrowLeft':
        if (item.hasChildren && item.expanded) this.setExpanded(item, false);
        else target = item.parent;
        break;
      case 'Enter':
      case ' ':
        if (item.hasChildren) this.toggle(item);
        break;
      default:
        return;
    }
    event.preventDefault();
    if (target && (target !== item || !selected)) this.choose(target, { scroll: true });
    else if (!selected) this.choose(item, { scroll: true });
  }
}
