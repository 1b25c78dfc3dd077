// @ts-check
// The page in headless Chromium (Debian's /usr/bin/chromium, the browser tests' flags), one run:
// serves the repository with tests/support/server.mjs, opens the page in a fresh browser and
// profile, sets FILE on the file input and prints one JSON line:
//   loaded_ms      from the input's change event to body[data-state="loaded"] (page clock)
//   first_row_ms   from the change event to the first frame row (aria-rowindex 2, not pending)
//                  in the grid, taken in the next animation frame after it appeared
//   frames         the page's frame count (#info-frames)
//   page_js_heap   peak JSHeapUsedSize of the page (CDP Performance.getMetrics, sampled)
//   worker_js_heap peak usedSize of the worker's JS heap (CDP Runtime.getHeapUsage on the worker
//                  target, sampled)
//   worker_backing peak backingStorageSize (ArrayBuffers, wasm memory) of the worker, sampled
//   wasm_memory    the worker's wasm memory.buffer.byteLength after loading (never shrinks: peak)
//   reader_wasm_memory  the same for the reading Worker, where the page started one (0 if not)
//   renderer_peak_rss  VmHWM of the renderer process holding the page and its worker (the
//                  renderer with the largest peak; /proc/PID/status, kernel-kept peak, not
//                  sampled). RSS counts Chromium's shared code pages too (~100 MB here).
//   renderer_pmf_peak  that renderer's private memory footprint as Chrome's task manager counts
//                  it on Linux (RssAnon + VmSwap), largest value sampled while reading
//   renderer_pmf_before  the same just before the file was set (the page with nothing open)
//   renderer_rss_sampled  largest VmRSS of that process seen while sampling
//   dom_nodes, conversation_rows  the page's DOM nodes (CDP metric Nodes) and rows of the
//                  conversations table after loading, to explain the renderer's memory
// Samples are taken every SAMPLE_MS while the file is read, so short peaks can be missed.
//
//   node bench/page.mjs FILE [--readers 1|2]    (--readers: the page's ?readers=, see worker.js)
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../tests/support/server.mjs';
import { launchChromium } from '../tests/support/chromium.mjs';

const SAMPLE_MS = 100;
const WARM_MS = 1000;
const TIMEOUT_MS = 20 * 60 * 1000;

const file = process.argv[2];
const readersAt = process.argv.indexOf('--readers');
const readers = readersAt > 0 ? process.argv[readersAt + 1] : null;
if (!file || (readers !== null && !['1', '2'].includes(readers))) {
  console.error('usage: node bench/page.mjs FILE [--readers 1|2]');
  process.exit(2);
}
const root = fileURLToPath(new URL('..', import.meta.url));

/** @param {number} pid */
function procStatus(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (/** @type {string} */ key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
    return { hwm: kb('VmHWM'), rss: kb('VmRSS'), pmf: kb('RssAnon') + kb('VmSwap') };
  } catch {
    return { hwm: 0, rss: 0, pmf: 0 };
  }
}

const { server, url } = await serve({ root });
const chromium = await launchChromium({ viewport: { width: 1280, height: 720 } });
const { context } = chromium;
let exitCode = 0;
try {
  const page = context.pages()[0] ?? (await context.newPage());
  /** @type {string[]} */
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('crash', () => problems.push('page crashed'));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });

  // The page's CDP session; the worker is reached through it (auto-attach, non-flattened).
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  /** @type {string | null} */
  let workerSession = null;
  let nextId = 1;
  /** @type {Map<number, (result: any) => void>} */
  const answers = new Map();
  cdp.on('Target.attachedToTarget', (event) => {
    if (event.targetInfo.type === 'worker') workerSession = event.sessionId;
  });
  cdp.on('Target.receivedMessageFromTarget', (event) => {
    const message = JSON.parse(event.message);
    const answer = answers.get(message.id);
    if (answer) {
      answers.delete(message.id);
      answer(message.result ?? null);
    }
  });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  /** @param {string} method */
  const askWorker = async (method) => {
    if (!workerSession) return null;
    const id = nextId++;
    const result = new Promise((ok) => answers.set(id, ok));
    await cdp.send('Target.sendMessageToTarget', { sessionId: workerSession, message: JSON.stringify({ id, method }) });
    return Promise.race([result, new Promise((ok) => setTimeout(() => ok(null), 5000))]);
  };

  await page.goto(readers ? `${url}?readers=${readers}` : url);
  await page.waitForFunction(() => document.body.dataset.state === 'empty');
  // Wait for the worker and its wasm module, so loading them is not part of the time.
  for (let i = 0; i < 100 && page.workers().length === 0; i += 1) await page.waitForTimeout(50);
  const worker = page.workers().find((w) => new URL(w.url()).pathname.endsWith('/worker.js'));
  if (!worker) throw new Error('the page started no worker');
  await worker.evaluate(async () => {
    const module = await import('./pkg/tcp_timeline.js');
    await module.default();
  });
  // The worker reads a small capture when it starts, so that the engine optimises the core
  // before a file comes (worker.js, warmUp); the engine compiles in the background after it.
  // A user's drop comes seconds after the page opens: the file is set WARM_MS after that.
  await page.waitForFunction(() => document.body.dataset.core === 'warm');
  await page.waitForTimeout(WARM_MS);

  // The page's clock: the change event (capture phase, before the page's own listener), the
  // data-state change and the first row.
  await page.evaluate(() => {
    const marks = /** @type {Record<string, number>} */ ({});
    /** @type {any} */ (window).__bench = marks;
    document.addEventListener('change', () => { marks.input ??= performance.now(); }, { capture: true });
    const firstRow = () => document.querySelector('.grid-body [role=row][aria-rowindex="2"]:not([hidden]):not(.pending)');
    new MutationObserver(() => {
      if (marks.input === undefined) return;
      if (marks.loaded === undefined && document.body.dataset.state === 'loaded') marks.loaded = performance.now();
      if (marks.failed === undefined && document.body.dataset.state === 'failed') marks.failed = performance.now();
      if (marks.row === undefined && firstRow()) {
        marks.row = performance.now();
        requestAnimationFrame(() => { marks.rowPainted = performance.now(); });
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state', 'class', 'aria-rowindex', 'hidden'] });
  });

  // Which renderer holds the page: the browser's renderers, the largest one after loading.
  // (The page and its worker are up, so its renderer exists now; one started later is not ours.)
  const browserCdp = await /** @type {import('playwright-core').Browser} */ (context.browser()).newBrowserCDPSession();
  const renderers = async () =>
    (await browserCdp.send('SystemInfo.getProcessInfo')).processInfo.filter((p) => p.type === 'renderer').map((p) => p.id);
  const rendererPids = await renderers();

  const peaks = { page_js_heap: 0, worker_js_heap: 0, worker_backing: 0 };
  /** @type {Map<number, { before: number, pmf: number, rss: number }>} per renderer */
  const perProcess = new Map(rendererPids.map((pid) => [pid, { before: procStatus(pid).pmf, pmf: 0, rss: 0 }]));
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const [metrics, heap] = await Promise.all([cdp.send('Performance.getMetrics').catch(() => null), askWorker('Runtime.getHeapUsage')]);
      const used = metrics?.metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
      peaks.page_js_heap = Math.max(peaks.page_js_heap, used);
      if (heap) {
        peaks.worker_js_heap = Math.max(peaks.worker_js_heap, heap.usedSize ?? 0);
        peaks.worker_backing = Math.max(peaks.worker_backing, heap.backingStorageSize ?? 0);
      }
      for (const [pid, peak] of perProcess) {
        const now = procStatus(pid);
        peak.pmf = Math.max(peak.pmf, now.pmf);
        peak.rss = Math.max(peak.rss, now.rss);
      }
      await new Promise((ok) => setTimeout(ok, SAMPLE_MS));
    }
  })();

  await page.setInputFiles('#file-input', resolve(file));
  await page.waitForFunction(
    () => {
      const marks = /** @type {any} */ (window).__bench;
      return marks.failed !== undefined || (marks.loaded !== undefined && marks.rowPainted !== undefined);
    },
    undefined,
    { timeout: TIMEOUT_MS, polling: 100 },
  );
  sampling = false;
  await sampler;
  const marks = await page.evaluate(() => /** @type {any} */ (window).__bench);
  if (marks.failed !== undefined) throw new Error(`the page failed to read the file: ${await page.textContent('#messages')}`);

  const byPeak = rendererPids.map((pid) => ({ pid, ...procStatus(pid) })).sort((a, b) => b.hwm - a.hwm);
  const wasmMemory = await worker.evaluate(async () => {
    const module = await import('./pkg/tcp_timeline.js');
    return (await module.default()).memory.buffer.byteLength;
  });
  const reader = page.workers().find((w) => new URL(w.url()).pathname.endsWith('/reader.js'));
  const readerWasmMemory = reader
    ? await reader.evaluate(async () => {
      const module = await import('./pkg/tcp_timeline.js');
      return (await module.default()).memory.buffer.byteLength;
    })
    : 0;
  const frames = Number((await page.textContent('#info-frames'))?.replace(/\D/g, ''));
  const metrics = (await cdp.send('Performance.getMetrics')).metrics;
  const metric = (/** @type {string} */ name) => metrics.find((m) => m.name === name)?.value ?? 0;
  const result = {
    frames,
    loaded_ms: marks.loaded - marks.input,
    first_row_ms: marks.rowPainted - marks.input,
    page_js_heap: peaks.page_js_heap,
    worker_js_heap: peaks.worker_js_heap,
    worker_backing: peaks.worker_backing,
    wasm_memory: wasmMemory,
    reader_wasm_memory: readerWasmMemory,
    renderer_peak_rss: byPeak[0]?.hwm ?? 0,
    renderer_pmf_peak: perProcess.get(byPeak[0]?.pid)?.pmf ?? 0,
    renderer_pmf_before: perProcess.get(byPeak[0]?.pid)?.before ?? 0,
    renderer_rss_sampled: perProcess.get(byPeak[0]?.pid)?.rss ?? 0,
    dom_nodes: metric('Nodes'),
    conversation_rows: await page.locator('#conversations tbody tr').count(),
    problems,
  };
  console.log(JSON.stringify(result));
} catch (error) {
  console.error(`bench/page.mjs: ${error instanceof Error ? error.message : error}`);
  exitCode = 1;
} finally {
  await chromium.close();
  server.close();
}
process.exit(exitCode);
