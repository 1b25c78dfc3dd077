// @ts-check
// Dragging a handle with the pointer (a column's edge, a splitter between panes): the handle
// captures the pointer while it is pressed, is marked .dragging, and reports how far the
// pointer moved along one axis from where it was pressed.

/**
 * Makes `handle` draggable along `axis`. `start(event)` is called when it is pressed with the
 * main button and returns false to refuse the drag; `move(moved)` gets the pixels moved since;
 * `end()` is called once it is let go.
 * @param {HTMLElement} handle
 * @param {{ axis: 'x' | 'y', start(event: PointerEvent): boolean | void, move(moved: number): void, end(): void }} drag
 */
export function draggable(handle, drag) {
  let from = 0;
  const at = (/** @type {PointerEvent} */ event) => (drag.axis === 'x' ? event.clientX : event.clientY);
  handle.addEventListener('pointerdown', (event) => {
    if (event.button !== 0 || drag.start(event) === false) return;
    event.preventDefault();
    from = at(event);
    handle.setPointerCapture(event.pointerId);
    handle.classList.add('dragging');
  });
  handle.addEventListener('pointermove', (event) => {
    if (handle.hasPointerCapture(event.pointerId)) drag.move(at(event) - from);
  });
  const end = (/** @type {PointerEvent} */ event) => {
    if (!handle.hasPointerCapture(event.pointerId)) return;
    handle.releasePointerCapture(event.pointerId);
    handle.classList.remove('dragging');
    drag.end();
  };
  handle.addEventListener('pointerup', end);
  handle.addEventListener('pointercancel', end);
}
