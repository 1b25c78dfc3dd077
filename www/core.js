// @ts-check
// The WebAssembly core, loaded once per Worker (relative to this file, so the page works from
// any sub-path, as on GitHub Pages project sites).

/** Frames of the generated capture each Worker reads once when it starts, so that the engine
 * optimises the core's hot functions before a file comes (worker.js, warmUp): a few tens of
 * milliseconds of work. */
export const WARM_UP_FRAMES = 5000;

/** @typedef {typeof import('./pkg/tcp_timeline.js')} Core */

/** @type {Promise<Core> | null} */
let loading = null;

/**
 * The core's module, once its WebAssembly is instantiated.
 * @returns {Promise<Core>}
 */
export function loadCore() {
  loading ??= (async () => {
    // By its address, relative to this file: a Worker started from a shim of another origin
    // (www/embed.js) imports it from the tool's site.
    /** @type {Core} */
    const module = await import(new URL('./pkg/tcp_timeline.js', import.meta.url).href);
    await module.default({ module_or_path: new URL('./pkg/tcp_timeline_bg.wasm', import.meta.url) });
    return module;
  })();
  return loading;
}
