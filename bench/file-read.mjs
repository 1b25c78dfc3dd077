// @ts-check
// How long headless Chromium takes to read FILE's bytes alone, as the page's Worker reads them
// (www/chunks.js: a BYOB reader of the File's stream, 4 MiB slices, the next read while the
// current slice is handed over) but with nothing done with them. No analysis in the page can
// finish sooner than this: it is the floor under the page's time. One run, one JSON line:
//   {read_ms, bytes, slices}
//
//   node bench/file-read.mjs FILE
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../tests/support/server.mjs';
import { launchChromium } from '../tests/support/chromium.mjs';

const file = process.argv[2];
if (!file) {
  console.error('usage: node bench/file-read.mjs FILE');
  process.exit(2);
}
const root = fileURLToPath(new URL('..', import.meta.url));
const { server, url } = await serve({ root });
const chromium = await launchChromium();
const { context } = chromium;
let exitCode = 0;
try {
  const page = context.pages()[0] ?? (await context.newPage());
  // A page of this site with nothing but a file input (not tcp-timeline's page, which would
  // read the file itself).
  await page.goto(new URL('bench/file-read.mjs', url).href);
  await page.setContent('<input type="file" id="file">');
  await page.setInputFiles('#file', resolve(file));
  const result = await page.evaluate(async (chunksUrl) => {
    const input = /** @type {HTMLInputElement} */ (document.getElementById('file'));
    const blob = /** @type {File} */ (input.files?.[0]);
    // The Worker imports the page's own reader (same origin: the Blob URL's origin is the page's).
    const code = `
      import { chunks } from ${JSON.stringify(chunksUrl)};
      self.onmessage = async (event) => {
        const started = performance.now();
        let bytes = 0, slices = 0;
        for await (const chunk of chunks(event.data)) { bytes += chunk.length; slices += 1; }
        self.postMessage({ read_ms: performance.now() - started, bytes, slices });
      };`;
    const worker = new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })), { type: 'module' });
    return new Promise((ok, fail) => {
      worker.onmessage = (event) => ok(event.data);
      worker.onerror = (event) => fail(new Error(event.message || 'the reading Worker failed'));
      worker.postMessage(blob);
    });
  }, new URL('www/chunks.js', url).href);
  console.log(JSON.stringify(result));
} catch (error) {
  console.error(`bench/file-read.mjs: ${error instanceof Error ? error.message : error}`);
  exitCode = 1;
} finally {
  await chromium.close();
  server.close();
}
process.exit(exitCode);
