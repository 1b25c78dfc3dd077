// @ts-check
// The page's elements (index.html), found by id by the modules that own them. A missing
// element, or one of another kind than the module expects, is a bug of the page: said at once,
// when the page starts, rather than as a failure later.

/**
 * The element with id `id`, of class `type` (HTMLElement when not given).
 * @template {HTMLElement} [T=HTMLElement]
 * @param {string} id
 * @param {{ new (): T, prototype: T }} [type]
 * @returns {T}
 */
export function element(id, type) {
  const found = document.getElementById(id);
  if (!found) throw new Error(`index.html lacks #${id}`);
  if (!(found instanceof (type ?? HTMLElement))) throw new Error(`index.html's #${id} is not a ${(type ?? HTMLElement).name}`);
  return /** @type {T} */ (found);
}
