// @ts-check
// What the user is looking at, in the address's hash: #filter=<display filter>&frame=N&stream=N
// (URL-encoded). It names a view, never any data of the capture, and lives beside the query
// (?capture=, ?stream=, ?lang=), which it leaves alone. It is written with replaceState, so
// filtering and moving through the list add no history entries.

/** @typedef {{ filter: string | null, frame: number | null, stream: number | null }} ViewState */

/**
 * The state a hash names (missing or malformed parts are null).
 * @param {string} hash location.hash, with or without its "#"
 * @returns {ViewState}
 */
export function parseHash(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  /** @param {string} name */
  const number = (name) => {
    const text = params.get(name);
    if (text === null || !/^\d{1,10}$/.test(text)) return null;
    return Number(text);
  };
  return { filter: params.get('filter'), frame: number('frame'), stream: number('stream') };
}

/**
 * The hash for `state`: empty when nothing is set.
 * @param {ViewState} state
 */
export function formatHash(state) {
  const parts = [];
  if (state.filter) parts.push(`filter=${encodeURIComponent(state.filter)}`);
  if (state.frame !== null) parts.push(`frame=${state.frame}`);
  if (state.stream !== null) parts.push(`stream=${state.stream}`);
  return parts.length ? `#${parts.join('&')}` : '';
}

/**
 * Whether a hash names any state at all.
 * @param {ViewState} state
 */
export function isEmpty(state) {
  return !state.filter && state.frame === null && state.stream === null;
}

/**
 * Writes `state` into the address without a history entry (the query is kept).
 * @param {ViewState} state
 */
export function writeHash(state) {
  const hash = formatHash(state);
  if (hash === location.hash || (hash === '' && location.hash === '')) return;
  const url = new URL(location.href);
  url.hash = hash;
  // An empty hash leaves a bare "#" in the address: drop it.
  const text = hash === '' ? url.href.replace(/#$/, '') : url.href;
  history.replaceState(history.state, '', text);
}
