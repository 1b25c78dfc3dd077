// @ts-check
// Test-only: loads the real mermaid package from node_modules (same origin) and exposes
// `window.parseMermaid(text)`, which resolves to true or rejects with mermaid's own error.
import mermaid from '../../node_modules/mermaid/dist/mermaid.esm.min.mjs';

mermaid.initialize({ startOnLoad: false });
/** @type {any} */ (window).parseMermaid = async (/** @type {string} */ text) => {
  await mermaid.parse(text);
  return true;
};
/** @type {any} */ (window).mermaidReady = true;
