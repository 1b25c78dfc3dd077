// @ts-check
// Helpers for the browser tests: one Chromium for the suite, a fresh context per test, and
// ways to open files in the page and read its frame grid.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:http';
import { ROOT } from './captures.mjs';
import { serve } from './server.mjs';
import { launchChromium } from './chromium.mjs';

/**
 * Launches Chromium with a fresh profile directory: the suite's browser comes from a persistent
 * context on that directory (see launchChromium); every test then opens its own
 * (non-persistent) context in it.
 */
export async function launchBrowser() {
  const chromium = await launchChromium();
  const browser = chromium.context.browser();
  if (!browser) throw new Error('playwright gave no browser for the persistent context');
  return { browser, close: chromium.close };
}

/**
 * One test file's site and browser: before its tests, serves the repository and starts Chromium;
 * after them, stops both. `withPage(path, body, options)` opens `path` (relative to the site) in
 * a fresh context, runs `body`, then checks that only this site was asked for files and that no
 * console error or warning, uncaught exception or dialog happened.
 * @param {Parameters<typeof openPage>[2]} [defaults] page options when a test gives none
 */
export function browserSuite(defaults) {
  const suite = {
    /** @type {Awaited<ReturnType<typeof launchBrowser>> | null} */
    chromium: null,
    /** @type {import('node:http').Server | null} */
    server: null,
    /** The site's address, ending in / (set once the suite has started). */
    baseUrl: '',
    /** The suite's browser (started before the file's tests). */
    get browser() {
      if (!suite.chromium) throw new Error('the browser suite has not started');
      return suite.chromium.browser;
    },
    /**
     * @param {string} path
     * @param {(session: Awaited<ReturnType<typeof openPage>>) => Promise<void>} body
     * @param {Parameters<typeof openPage>[2]} [options]
     */
    async withPage(path, body, options = defaults) {
      const session = await openPage(suite.browser, new URL(path, suite.baseUrl).href, options);
      try {
        await body(session);
        const origin = new URL(suite.baseUrl).origin;
        assert.deepEqual(session.requests.filter((url) => new URL(url).origin !== origin), [], 'the page asked for files from elsewhere');
        assert.deepEqual(session.problems, [], 'console errors, warnings, exceptions or dialogs');
      } finally {
        await session.context.close();
      }
    },
  };
  before(async () => {
    if (!existsSync(join(ROOT, 'www', 'pkg', 'tcp_timeline_bg.wasm'))) throw new Error('www/pkg is missing: run ./build.sh build first');
    ({ server: suite.server, url: suite.baseUrl } = await serve({ root: ROOT }));
    suite.chromium = await launchBrowser();
  });
  after(async () => {
    await suite.chromium?.close();
    suite.server?.close();
  });
  return suite;
}

/**
 * Opens the page in a fresh context and records what a test must check: every request, console
 * errors and warnings, uncaught exceptions and dialogs.
 * @param {import('playwright-core').Browser} browser
 * @param {string} url
 * @param {{ colorScheme?: 'light' | 'dark', viewport?: { width: number, height: number }, locale?: string, timezoneId?: string }} [options]
 */
export async function openPage(browser, url, options = {}) {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 720 },
    colorScheme: options.colorScheme ?? 'light',
    ...(options.locale ? { locale: options.locale } : {}),
    ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
  });
  const page = await context.newPage();
  /** @type {string[]} */
  const requests = [];
  /** @type {string[]} */
  const problems = [];
  page.on('request', (request) => requests.push(request.url()));
  // Requests made by the worker are reported by the context too; record them once.
  context.on('request', (request) => {
    if (!requests.includes(request.url())) requests.push(request.url());
  });
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('dialog', (dialog) => {
    problems.push(`dialog ${dialog.type()}: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  page.on('crash', () => problems.push('page crashed'));
  await page.goto(url);
  return { context, page, requests, problems };
}

/**
 * Waits until the page has read a file (or failed to) and returns the final state.
 * @param {import('playwright-core').Page} page
 */
export async function waitForRead(page) {
  await page.waitForSelector('body[data-state="loaded"], body[data-state="failed"]', { timeout: 20_000 });
  return page.getAttribute('body', 'data-state');
}

/**
 * Drops a file on the page the way a browser does: dragenter, dragover and drop carrying a
 * DataTransfer that holds a File.
 * @param {import('playwright-core').Page} page
 * @param {{ name: string, bytes: Uint8Array, type?: string }} file
 */
export async function dropFile(page, file) {
  const dataTransfer = await page.evaluateHandle(
    ({ name, base64, type }) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], name, { type }));
      return transfer;
    },
    { name: file.name, base64: Buffer.from(file.bytes).toString('base64'), type: file.type ?? '' },
  );
  await page.dispatchEvent('main', 'dragenter', { dataTransfer });
  await page.dispatchEvent('main', 'dragover', { dataTransfer });
  const overlayShown = await page.isVisible('#drop-overlay');
  await page.dispatchEvent('main', 'drop', { dataTransfer });
  await dataTransfer.dispose();
  return { overlayShown };
}

/**
 * Every row of the frame grid as {number, time, source, destination, protocol, length, info}
 * (all text, as shown), read by scrolling the virtualised list from top to bottom.
 * @param {import('playwright-core').Page} page
 */
export async function readAllRows(page) {
  return (await readAllRowsColored(page)).map(({ color, ...row }) => row);
}

/**
 * Like readAllRows, with each row's colour (the id after "color-" in its class, "" for none).
 * @param {import('playwright-core').Page} page
 */
export async function readAllRowsColored(page) {
  const count = Number(await page.getAttribute('#frame-grid', 'aria-rowcount')) - 1;
  /** @type {Map<number, { cells: string[], color: string }>} */
  const rows = new Map();
  await page.evaluate(() => {
    const scroller = /** @type {HTMLElement} */ (document.querySelector('.grid-scroller'));
    scroller.scrollTop = 0;
  });
  for (let guard = 0; guard < 10_000; guard += 1) {
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await page.waitForFunction(() => !document.querySelector('.grid-body [role=row]:not([hidden]).pending'));
    const visible = await visibleRows(page);
    for (const row of visible) rows.set(row.index, { cells: row.cells, color: row.color });
    if (rows.size >= count) break;
    const moved = await page.evaluate(() => {
      const scroller = /** @type {HTMLElement} */ (document.querySelector('.grid-scroller'));
      const before = scroller.scrollTop;
      scroller.scrollTop = before + Math.max(1, scroller.clientHeight - 40);
      return scroller.scrollTop !== before;
    });
    if (!moved) break;
  }
  return [...rows.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, { cells: [number, time, source, destination, protocol, length, info], color }]) => ({ number, time, source, destination, protocol, length, info, color }));
}

/**
 * The rows in the DOM now: aria-rowindex and cell texts.
 * @param {import('playwright-core').Page} page
 */
export function visibleRows(page) {
  return page.$$eval('.grid-body [role=row]:not([hidden])', (elements) =>
    elements.map((element) => ({
      index: Number(element.getAttribute('aria-rowindex')),
      selected: element.getAttribute('aria-selected') === 'true',
      color: [...element.classList].find((c) => c.startsWith('color-'))?.slice('color-'.length) ?? '',
      cells: [...element.querySelectorAll('[role=gridcell]')].map((cell) => cell.textContent ?? ''),
    })),
  );
}

/**
 * A classic pcap (µs, little-endian, Ethernet) with `count` small TCP frames, for scrolling tests.
 * @param {number} count
 */
export function syntheticPcap(count) {
  const frameLength = 54;
  const out = Buffer.alloc(24 + count * (16 + frameLength));
  out.writeUInt32LE(0xa1b2c3d4, 0);
  out.writeUInt16LE(2, 4);
  out.writeUInt16LE(4, 6);
  out.writeUInt32LE(65535, 16);
  out.writeUInt32LE(1, 20);
  for (let i = 0; i < count; i += 1) {
    const at = 24 + i * (16 + frameLength);
    out.writeUInt32LE(1_700_000_000 + Math.floor(i / 1000), at);
    out.writeUInt32LE((i % 1000) * 1000, at + 4);
    out.writeUInt32LE(frameLength, at + 8);
    out.writeUInt32LE(frameLength, at + 12);
    const f = at + 16;
    out.set([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00], f); // Ethernet → IPv4
    out.set([0x45, 0, 0, 40, 0, 0, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2], f + 14);
    out.writeUInt16BE(40000, f + 34);
    out.writeUInt16BE(80, f + 36);
    out.writeUInt32BE(1000 + i, f + 38);
    out.writeUInt32BE(0, f + 42);
    out.set([0x50, 0x10, 0xff, 0xff, 0, 0, 0, 0], f + 46); // data offset 5, ACK
  }
  return out;
}

/**
 * A classic pcap (µs, little-endian, Ethernet) holding the given frames, 1 ms apart.
 * @param {Buffer[]} frames
 */
export function pcapOf(frames) {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(1, 20);
  const records = frames.map((frame, i) => {
    const record = Buffer.alloc(16);
    record.writeUInt32LE(1_700_000_000, 0);
    record.writeUInt32LE(i * 1000, 4);
    record.writeUInt32LE(frame.length, 8);
    record.writeUInt32LE(frame.length, 12);
    return Buffer.concat([record, frame]);
  });
  return Buffer.concat([header, ...records]);
}

/**
 * An Ethernet + IPv4 + TCP (PSH, ACK) frame from 10.0.0.1:40000 to 10.0.0.2:80 carrying `payload`.
 * Checksums are left zero (captures taken on the sender look like that too).
 * @param {Buffer} payload
 */
export function tcpFrame(payload) {
  const frame = Buffer.alloc(54 + payload.length);
  frame.set([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00], 0);
  frame.set([0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2], 14);
  frame.writeUInt16BE(40 + payload.length, 16);
  frame.writeUInt16BE(40000, 34);
  frame.writeUInt16BE(80, 36);
  frame.writeUInt32BE(1, 38);
  frame.writeUInt32BE(1, 42);
  frame.set([0x50, 0x18, 0xff, 0xff, 0, 0, 0, 0], 46);
  payload.copy(frame, 54);
  return frame;
}

/**
 * Serves `base` (a URL ending in /) under `prefix` (e.g. "/tcp-timeline/"), as GitHub Pages
 * serves a project site: the page must only use relative URLs to work there.
 * @param {string} base
 * @param {string} prefix
 * @returns {Promise<{ server: import('node:http').Server, url: string }>}
 */
export function serveUnderPrefix(base, prefix) {
  const server = createServer(async (req, res) => {
    const path = req.url ?? '/';
    if (!path.startsWith(prefix)) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    const upstream = await fetch(new URL(path.slice(prefix.length), base));
    res.writeHead(upstream.status, { 'Content-Type': upstream.headers.get('content-type') ?? 'application/octet-stream' });
    res.end(Buffer.from(await upstream.arrayBuffer()));
  });
  return new Promise((ok) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      ok({ server, url: `http://127.0.0.1:${port}${prefix}` });
    });
  });
}
