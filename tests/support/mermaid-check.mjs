// @ts-check
// Test-only: loads the real mermaid package from node_modules (same origin) and exposes
// `window.parseMermaid(text)`, which resolves to true or rejects with mermaid's own error.
// The page loads mermaid's browser bundle by its path, which has no types of its own: they are
// the package's.
// @ts-expect-error
import bundle from '../../node_modules/mermaid/dist/mermaid.esm.min.mjs';

/** @type {import('mermaid').Mermaid} */
const mermaid = bundle;

mermaid.initialize({ startOnLoad: false });
/** What the tests call in the page. */
const page = /** @type {Window & { parseMermaid?: (text: string) => Promise<boolean>, mermaidReady?: boolean }} */ (window);
page.parseMermaid = async (/** @type {string} */ text) => {
  await mermaid.parse(text);
  return true;
};
page.mermaidReady = true;
