// @ts-check
// One render per animation frame for the virtualised views (list, bytes, conversations).

/**
 * A function that runs `render` in the next animation frame, once however often it is called
 * before then (a scroll, a resize and arriving rows each ask for a render).
 * @param {() => void} render
 * @returns {() => void}
 */
export function inNextFrame(render) {
  let scheduled = false;
  return () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      render();
    });
  };
}
