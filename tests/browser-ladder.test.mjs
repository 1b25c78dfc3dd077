// @ts-check
// End-to-end tests of the ladder in the page and of the <tcp-timeline> element, in headless
// Chromium (./build.sh build first):   node --test tests/browser-ladder.test.mjs
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from './support/server.mjs';
import { CAPTURES, ROOT } from './support/captures.mjs';
import { browserSuite, openPage, readAllRows, waitForRead } from './support/browser.mjs';

const LOSSY = join(CAPTURES, 'public', 'zeek', '206_example_b.pcap');

const site = browserSuite();
const { withPage } = site;

/**
 * Waits for the ladder pane to show stream `stream` in `lang`.
 * @param {import('playwright-core').Page} page
 * @param {number} stream
 * @param {string} [lang]
 */
async function waitForLadder(page, stream, lang) {
  const selector = `#ladder-pane[data-state="ready"][data-stream="${stream}"]${lang ? `[data-lang="${lang}"]` : ''}`;
  await page.waitForSelector(selector, { timeout: 20_000 });
}

/** @param {import('playwright-core').Page} page */
function arrowFrames(page) {
  return page.$$eval('#ladder-view [data-frame]', (items) => items.map((item) => Number(item.getAttribute('data-frame'))));
}

/** @param {import('playwright-core').Page} page */
async function openDemoLadder(page) {
  await page.click('#example-button');
  assert.equal(await waitForRead(page), 'loaded');
  assert.equal(await page.isVisible('#ladder-pane'), false, 'no ladder before a connection is chosen');
  await page.click('#conversations tbody tr td:nth-child(3)');
  await waitForLadder(page, 0);
}

test('choosing the tutorial connection draws its ladder: arrows, states, phases, explanations, both ways to the list', async () => {
  await withPage('/', async ({ page }) => {
    await openDemoLadder(page);
    assert.deepEqual(await arrowFrames(page), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const text = (await page.textContent('#ladder-view')) ?? '';
    for (const state of ['SYN-SENT', 'SYN-RECEIVED', 'ESTABLISHED', 'FIN-WAIT-1', 'CLOSE-WAIT', 'LAST-ACK', 'TIME-WAIT']) {
      assert.ok(text.includes(state), `${state} on a lifeline`);
    }
    assert.match(text, /three-way close by the client: FIN, FIN\+ACK, ACK/);
    assert.match(text, /three-way handshake/);
    // Only the renderer's elements: no <style> or foreign element left in the page's SVG.
    assert.equal(await page.locator('#ladder-view style, #ladder-view script, #ladder-view foreignObject').count(), 0);
    // The renderer's style is applied (adopted, not inline): arrows are drawn in the accent colour.
    const stroke = await page.$eval('#ladder-view [data-frame="1"] line', (line) => getComputedStyle(line).stroke);
    assert.notEqual(stroke, 'none');

    // Click on arrow 4: frame 4 is selected in the list, and explained.
    await page.click('#ladder-view [data-frame="4"]');
    await page.waitForFunction(() => document.querySelector('.grid-body [aria-selected="true"] [aria-colindex="1"]')?.textContent === '4');
    assert.equal(await page.getAttribute('#ladder-view [data-frame="4"]', 'aria-current'), 'true');
    await page.waitForFunction(() => document.getElementById('ladder-explanation')?.textContent?.includes('Frame 4'));
    const explanation = (await page.textContent('#ladder-explanation')) ?? '';
    assert.match(explanation, /GET \/hello\?name=world/);
    assert.match(explanation, /Seq 1, Len 97/);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-frame')), '4');

    // Arrow keys move between arrows (and the list follows); Enter keeps the choice.
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction(() => document.querySelector('.grid-body [aria-selected="true"] [aria-colindex="1"]')?.textContent === '5');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(() => document.querySelector('.grid-body [aria-selected="true"] [aria-colindex="1"]')?.textContent === '6');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-frame')), '6');
    await page.keyboard.press('End');
    await page.waitForFunction(() => document.getElementById('ladder-explanation')?.textContent?.includes('Frame 10'));
    // One tab stop in the ladder: the chosen arrow.
    assert.deepEqual(await page.$$eval('#ladder-view [tabindex="0"]', (items) => items.map((i) => i.getAttribute('data-frame'))), ['10']);

    // Choosing frame 8 in the list highlights its arrow and explains it.
    await page.click('.grid-body [role=row][aria-rowindex="9"]');
    await page.waitForSelector('#ladder-view [data-frame="8"][aria-current="true"]');
    await page.waitForFunction(() => document.getElementById('ladder-explanation')?.textContent?.includes('FIN-WAIT-1'));
    await page.screenshot({ path: join(tmpdir(), 'tcp-timeline-ladder.png') });

    // 简体中文: the ladder and the explanation.
    await page.selectOption('#ladder-lang', 'zh');
    await waitForLadder(page, 0, 'zh');
    const zh = (await page.textContent('#ladder-view')) ?? '';
    assert.match(zh, /三次握手/);
    assert.match(zh, /客户端/);
    assert.deepEqual(await arrowFrames(page), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.equal(await page.getAttribute('#ladder-view [data-frame="8"]', 'aria-current'), 'true', 'the choice survives the redraw');
    await page.waitForFunction(() => document.getElementById('ladder-explanation')?.textContent?.includes('第 8 帧'));

    // Proportional time: the same arrows, other rows.
    const folded = await page.$eval('#ladder-view [data-frame="5"] line', (l) => Number(l.getAttribute('y1')));
    await page.selectOption('#ladder-axis', 'proportional');
    await page.waitForFunction((y) => Number(document.querySelector('#ladder-view [data-frame="5"] line')?.getAttribute('y1')) !== y, folded);
    assert.deepEqual(await arrowFrames(page), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

    // Removing the filter closes the ladder.
    await page.click('#filter-clear');
    await page.waitForSelector('#ladder-pane', { state: 'hidden' });
    assert.equal((await readAllRows(page)).length, 10);
  }, { locale: 'en-GB' });
});

test('the language defaults to the browser\'s: 简体中文 for zh-CN', async () => {
  await withPage('/', async ({ page }) => {
    await openDemoLadder(page);
    assert.equal(await page.inputValue('#ladder-lang'), 'zh');
    assert.match((await page.textContent('#ladder-view')) ?? '', /三次握手/);
  }, { locale: 'zh-CN' });
});

test('exports: the SVG as the core made it, a 2× PNG, the Mermaid text and the embed snippet', async () => {
  await withPage('/', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(site.baseUrl).origin });
    await openDemoLadder(page);

    const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.click('#ladder-svg')]);
    assert.equal(svgDownload.suggestedFilename(), 'demo-stream-0.svg');
    const svg = readFileSync(await svgDownload.path()).toString('utf8');
    assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'), svg.slice(0, 80));
    assert.match(svg, /<style>/, 'the downloaded SVG keeps its own style');
    // Parsed by the browser in a blank page: the tool page's CSP would report the SVG's inline
    // <style> (which the SVG file needs) while parsing it.
    const blank = await context.newPage();
    const parsed = await blank.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      return { errors: doc.getElementsByTagName('parsererror').length, arrows: doc.querySelectorAll('[data-frame]').length };
    }, svg);
    await blank.close();
    assert.deepEqual(parsed, { errors: 0, arrows: 10 });

    const [pngDownload] = await Promise.all([page.waitForEvent('download'), page.click('#ladder-png')]);
    assert.equal(pngDownload.suggestedFilename(), 'demo-stream-0.png');
    const png = readFileSync(await pngDownload.path());
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG magic bytes');
    const width = png.readUInt32BE(16);
    const svgWidth = Number(/width="(\d+)"/.exec(svg)?.[1]);
    assert.equal(width, svgWidth * 2, 'drawn at twice the SVG\'s size');

    await page.click('#ladder-mermaid');
    await page.waitForFunction(() => /copied/.test(document.getElementById('ladder-note')?.textContent ?? '') || !document.getElementById('ladder-copy')?.hidden);
    const mermaid = await copiedText(page);
    assert.ok(mermaid.startsWith('sequenceDiagram\n'), mermaid.slice(0, 40));
    assert.match(mermaid, /participant C as client 192\.168\.0\.50#58;58626/);

    await page.evaluate(() => { (/** @type {HTMLElement} */ (document.getElementById('ladder-note'))).textContent = ''; });
    await page.click('#ladder-embed');
    await page.waitForFunction(() => /copied/.test(document.getElementById('ladder-note')?.textContent ?? '') || !document.getElementById('ladder-copy')?.hidden);
    const snippet = await copiedText(page);
    assert.equal(
      snippet,
      `<script type="module" src="${site.baseUrl}www/embed.js"></script>\n<tcp-timeline src="${site.baseUrl}www/examples/demo.pcap" stream="0" lang="en"></tcp-timeline>\n`,
    );
  }, { locale: 'en-US' });
});

/**
 * What the last Copy button copied: from the clipboard, or from the box shown when the
 * clipboard is refused.
 * @param {import('playwright-core').Page} page
 */
async function copiedText(page) {
  if (await page.isVisible('#ladder-copy')) return page.inputValue('#ladder-copy-text');
  return page.evaluate(() => navigator.clipboard.readText());
}

test('the embed example renders <tcp-timeline> from the same-origin capture, explains on click, asks nothing elsewhere', async () => {
  await withPage('/www/embed-example.html', async ({ page, requests }) => {
    await page.waitForSelector('tcp-timeline[data-state="ready"]', { timeout: 20_000 });
    const frames = await page.$eval('tcp-timeline', (element) =>
      [...(element.shadowRoot?.querySelectorAll('[data-frame]') ?? [])].map((item) => Number(item.getAttribute('data-frame'))),
    );
    assert.deepEqual(frames, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], '10 arrows inside the shadow root');
    assert.equal(await page.locator('[data-frame]').count(), 10, 'playwright pierces the shadow root');
    assert.equal(await page.evaluate(() => document.querySelectorAll('[data-frame]').length), 0, 'nothing outside it');
    assert.match((await page.locator('tcp-timeline svg').textContent()) ?? '', /三次握手/);
    await page.locator('tcp-timeline [data-frame="9"]').click();
    await page.waitForFunction(() => document.querySelector('tcp-timeline')?.shadowRoot?.querySelector('.explanation')?.textContent?.includes('第 9 帧'));
    assert.match((await page.locator('tcp-timeline .explanation').textContent()) ?? '', /LAST-ACK/);
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction(() => document.querySelector('tcp-timeline')?.shadowRoot?.querySelector('.explanation')?.textContent?.includes('第 10 帧'));
    const paths = requests.map((url) => new URL(url).pathname);
    assert.ok(paths.includes('/www/examples/demo.pcap'), paths.join(', '));
    await page.screenshot({ path: join(tmpdir(), 'tcp-timeline-embed.png'), fullPage: true });

    // The example's link opens the page straight into the ladder.
    await page.click('#open-in-page');
    await waitForLadder(page, 0);
    assert.deepEqual(await arrowFrames(page), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});

test('<tcp-timeline> refuses a capture from another site, with a readable message', async () => {
  await withPage('/www/embed-example.html', async ({ page }) => {
    await page.waitForSelector('tcp-timeline[data-state="ready"]', { timeout: 20_000 });
    await page.evaluate(() => {
      const element = document.createElement('tcp-timeline');
      element.id = 'foreign';
      element.setAttribute('lang', 'en');
      element.setAttribute('src', 'https://example.org/capture.pcap');
      document.querySelector('main')?.append(element);
    });
    await page.waitForSelector('#foreign[data-state="failed"]');
    assert.match((await page.locator('#foreign .status').textContent()) ?? '', /only captures served by the same site/);
  });
});

test('?capture=www/examples/demo.pcap&stream=0 opens straight into the ladder; another site\'s address is refused', async () => {
  await withPage('/?capture=www/examples/demo.pcap&stream=0', async ({ page }) => {
    assert.equal(await waitForRead(page), 'loaded');
    await waitForLadder(page, 0);
    assert.deepEqual(await arrowFrames(page), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.equal(await page.inputValue('#filter-input'), 'tcp.stream == 0');
    assert.equal(await page.getAttribute('#filter-bar', 'data-applied'), 'tcp.stream == 0');
  });
  await withPage('/?capture=https://example.org/evil.pcap&stream=0', async ({ page, requests }) => {
    await page.waitForSelector('#messages .message.error');
    assert.match((await page.textContent('#messages')) ?? '', /is not a file of this site/);
    assert.ok(!requests.some((url) => new URL(url).hostname === 'example.org'));
    assert.equal(await page.isVisible('#ladder-pane'), false);
  });
});

/**
 * The frame list's and the ladder's layout now: the widths of the list and of its columns, of
 * the ladder pane, and the ladder splitter's state.
 * @param {import('playwright-core').Page} page
 */
function layout(page) {
  return page.evaluate(() => {
    /** @param {string} selector */
    const width = (selector) => document.querySelector(selector)?.getBoundingClientRect().width ?? 0;
    const splitter = /** @type {HTMLElement} */ (document.getElementById('ladder-splitter'));
    const columns = [...document.querySelectorAll('.grid-head [role=columnheader]')].map((cell) => cell.getBoundingClientRect().width);
    const info = columns[6];
    return {
      list: width('#frame-grid'),
      info,
      others: columns.slice(0, 6).reduce((sum, w) => sum + w, 0),
      ladder: width('#ladder-pane'),
      collapsed: document.querySelector('main.workspace')?.classList.contains('ladder-collapsed') ?? false,
      now: Number(splitter.getAttribute('aria-valuenow')),
      min: Number(splitter.getAttribute('aria-valuemin')),
      max: Number(splitter.getAttribute('aria-valuemax')),
      text: splitter.getAttribute('aria-valuetext'),
    };
  });
}

/**
 * Reloads the page and opens the tutorial's capture again: the address's hash opens its ladder.
 * @param {import('playwright-core').Page} page
 */
async function reopenDemoLadder(page) {
  await page.reload();
  assert.match(new URL(page.url()).hash, /stream=0/);
  await page.click('#example-button');
  assert.equal(await waitForRead(page), 'loaded');
  await waitForLadder(page, 0);
}

/** @param {import('playwright-core').Page} page */
async function settle(page) {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

test('at 1440×900 the splitter beside the ladder gives the list room: dragged, with the keyboard, the ladder collapsed to a strip; Info takes the rest (≥ 60%), kept after a reload', async () => {
  await withPage('/', async ({ page }) => {
    await openDemoLadder(page);
    const separator = page.locator('#ladder-splitter');
    assert.equal(await separator.getAttribute('role'), 'separator');
    assert.equal(await separator.getAttribute('aria-orientation'), 'vertical');
    assert.equal(await separator.getAttribute('aria-controls'), 'ladder-pane');
    assert.equal(await separator.getAttribute('tabindex'), '0');
    assert.equal(await separator.getAttribute('aria-label'), 'Resize the ladder');

    // Compact columns; Info takes the rest.
    const start = await layout(page);
    assert.ok(start.others <= 520, `No. to Length take ${start.others} px`);
    assert.ok(Math.abs(start.list - start.others - start.info) <= 20, `Info takes the rest: ${start.info} of ${start.list} (a scrollbar's width aside)`);
    assert.ok(start.min <= start.now && start.now <= start.max, `aria-valuenow ${start.now} in [${start.min}, ${start.max}]`);
    assert.equal(start.text, `Ladder ${Math.round(start.ladder).toLocaleString('en')} px wide`);

    // Dragged 200 px to the right: the ladder 200 px narrower, Info 200 px wider.
    const box = await separator.boundingBox();
    assert.ok(box);
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width / 2, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 200, y, { steps: 8 });
    await page.mouse.up();
    await settle(page);
    const dragged = await layout(page);
    assert.ok(Math.abs(start.ladder - dragged.ladder - 200) <= 2, `the ladder ${start.ladder} → ${dragged.ladder} px`);
    assert.ok(Math.abs(dragged.info - start.info - 200) <= 2, `Info ${start.info} → ${dragged.info} px`);
    assert.ok(dragged.now > start.now, 'aria-valuenow follows');
    // Dragged on to the window's edge: the ladder collapses to a strip, the list takes its width.
    await page.mouse.move(box.x + box.width / 2 + 200, y);
    await page.mouse.down();
    await page.mouse.move(1438, y, { steps: 8 });
    await page.mouse.up();
    await settle(page);
    const edge = await layout(page);
    assert.ok(edge.collapsed && edge.ladder <= 40, `collapsed to a strip of ${edge.ladder} px`);
    assert.ok(edge.info >= 0.6 * edge.list, `Info is ${edge.info} of ${edge.list} px`);
    assert.equal(edge.text, 'Ladder collapsed');
    assert.equal(edge.now, edge.max);
    assert.equal(await page.isVisible('#ladder-strip'), true);
    assert.equal(await page.isVisible('#ladder-view'), false);

    // A reload, the tutorial's capture again (its ladder comes back with the address's hash):
    // still collapsed, Info as wide.
    await reopenDemoLadder(page);
    const reloaded = await layout(page);
    assert.ok(reloaded.collapsed && Math.abs(reloaded.info - edge.info) <= 1, `after a reload: ${JSON.stringify(reloaded)}`);

    // The keyboard: Enter gives the ladder back the width it was dragged to, ← widens it,
    // Home as wide as it goes, End collapses it again.
    await separator.focus();
    await page.keyboard.press('Enter');
    await settle(page);
    const restored = await layout(page);
    assert.ok(!restored.collapsed && Math.abs(restored.ladder - dragged.ladder) <= 1, `Enter: the ladder ${restored.ladder} px again`);
    await page.keyboard.press('ArrowLeft');
    await settle(page);
    const left = await layout(page);
    assert.ok(left.ladder > restored.ladder && left.info < restored.info, '← widens the ladder');
    await page.keyboard.press('Home');
    await settle(page);
    const home = await layout(page);
    assert.ok(home.ladder > left.ladder && home.now === home.min, `Home: the ladder ${home.ladder} px, the list ${home.list} px`);
    assert.ok(home.list >= 350, 'the list keeps its smallest width');
    await page.keyboard.press('ArrowRight');
    await settle(page);
    assert.ok((await layout(page)).ladder < home.ladder, '→ narrows it');
    await page.keyboard.press('End');
    await settle(page);
    const end = await layout(page);
    assert.ok(end.collapsed && end.info >= 0.6 * end.list, `End: Info is ${end.info} of ${end.list} px`);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'ladder-splitter', 'the splitter keeps the focus');

    // The strip's button brings the ladder back, the bar's button collapses it; the focus goes along.
    await page.click('#ladder-strip');
    await page.waitForSelector('#ladder-view', { state: 'visible' });
    assert.equal(await page.getAttribute('#ladder-collapse', 'aria-expanded'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'ladder-collapse');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#ladder-strip', { state: 'visible' });
    assert.equal(await page.getAttribute('#ladder-strip', 'aria-expanded'), 'false');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'ladder-strip');
    assert.ok((await layout(page)).collapsed);
    // Expanded with the keyboard and narrowed a little: that width is kept after a reload.
    await page.keyboard.press('Enter');
    await separator.focus();
    await page.keyboard.press('ArrowRight');
    await settle(page);
    const kept = await layout(page);
    assert.ok(!kept.collapsed);
    await reopenDemoLadder(page);
    const again = await layout(page);
    assert.ok(!again.collapsed && Math.abs(again.ladder - kept.ladder) <= 1 && Math.abs(again.info - kept.info) <= 1, `after a reload: ${JSON.stringify(again)}, was ${JSON.stringify(kept)}`);

    // 简体中文: the splitter and the strip say what they do.
    await page.selectOption('#page-lang', 'zh');
    await waitForLadder(page, 0, 'zh');
    assert.equal(await separator.getAttribute('aria-label'), '调整梯形图的宽度');
    assert.equal(await separator.getAttribute('aria-valuetext'), `梯形图宽 ${Math.round(again.ladder).toLocaleString('zh-Hans')} 像素`);
    assert.equal(await page.getAttribute('#ladder-collapse', 'aria-label'), '折叠梯形图');
    await page.click('#ladder-collapse');
    assert.equal(await separator.getAttribute('aria-valuetext'), '梯形图已折叠');
    assert.match((await page.textContent('#ladder-strip')) ?? '', /梯形图/);

    // Where the panes stack (a phone), no splitter, and the ladder shows whole under the list.
    await page.setViewportSize({ width: 390, height: 844 });
    await settle(page);
    assert.equal(await separator.isVisible(), false);
    assert.equal(await page.isVisible('#list-splitter'), false);
    assert.equal(await page.isVisible('#ladder-strip'), false);
    assert.equal(await page.isVisible('#ladder-view'), true);
  }, { locale: 'en-US', viewport: { width: 1440, height: 900 } });
});

test('a long lossy transfer: the largest stream of 206_example_b.pcap is drawn with its data phase folded', async (t) => {
  if (!existsSync(LOSSY)) return t.skip(`${LOSSY} is missing`);
  assert.ok(statSync(LOSSY).size > 1_000_000);
  await withPage('/', async ({ page }) => {
    await page.setInputFiles('#file-input', LOSSY);
    assert.equal(await waitForRead(page), 'loaded');
    await page.click('#conversations th[data-key="packets"] button');
    await page.click('#conversations th[data-key="packets"] button'); // descending: the largest first
    await page.click('#conversations tbody tr:first-child td:nth-child(3)');
    await waitForLadder(page, 0);
    const band = page.locator('#ladder-view rect.band');
    assert.equal(await band.count(), 1, 'one folded band');
    const frames = await arrowFrames(page);
    assert.ok(frames.length < 40, `few arrows drawn (${frames.length}) for 1302 segments`);
    const label = (await page.getAttribute('#ladder-view [data-frame]:has(rect.band)', 'aria-label')) ?? '';
    assert.match(label, /data segments folded/);
    assert.match(label, /retransmission/);
    // A frame inside the band, chosen in the list, is still explained.
    await page.locator('#ladder-view [data-frame]:has(rect.band)').click();
    await page.waitForFunction(() => /Frame \d+/.test(document.getElementById('ladder-explanation')?.textContent ?? ''));
    // Expanding draws every segment.
    await page.check('#ladder-expand');
    await page.waitForFunction(() => document.querySelectorAll('#ladder-view [data-frame]').length > 1000, undefined, { timeout: 30_000 });
    assert.equal(await page.locator('#ladder-view rect.band').count(), 0);
  }, { locale: 'en-US' });
});

/**
 * One connection of `segments` data segments (100 bytes each, client to server, every second
 * one acknowledged), with its three-way handshake and close, as a pcap of Ethernet frames.
 * @param {number} segments
 */
function longConnection(segments) {
  /** @type {Buffer[]} */
  const frames = [];
  const clientIsn = 1000;
  const serverIsn = 5000;
  /** @param {boolean} fromClient @param {number} flags @param {number} seq @param {number} ack @param {number} len */
  const frame = (fromClient, flags, seq, ack, len) => {
    const f = Buffer.alloc(54 + len, 0x61);
    f.set(fromClient ? [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00] : [2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00], 0);
    f.set([0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, 6, 0, 0], 14);
    f.writeUInt16BE(40 + len, 16);
    f.set(fromClient ? [10, 0, 0, 1, 10, 0, 0, 2] : [10, 0, 0, 2, 10, 0, 0, 1], 26);
    f.writeUInt16BE(fromClient ? 40000 : 80, 34);
    f.writeUInt16BE(fromClient ? 80 : 40000, 36);
    f.writeUInt32BE(seq >>> 0, 38);
    f.writeUInt32BE(ack >>> 0, 42);
    f.set([0x50, flags, 0xff, 0xff, 0, 0, 0, 0], 46);
    frames.push(f);
  };
  const [SYN, ACK, PSH, FIN] = [0x02, 0x10, 0x08, 0x01];
  frame(true, SYN, clientIsn, 0, 0);
  frame(false, SYN | ACK, serverIsn, clientIsn + 1, 0);
  frame(true, ACK, clientIsn + 1, serverIsn + 1, 0);
  let seq = clientIsn + 1;
  for (let i = 0; i < segments; i += 1) {
    frame(true, PSH | ACK, seq, serverIsn + 1, 100);
    seq += 100;
    if (i % 2 === 1) frame(false, ACK, serverIsn + 1, seq, 0);
  }
  frame(true, FIN | ACK, seq, serverIsn + 1, 0);
  frame(false, FIN | ACK, serverIsn + 1, seq + 1, 0);
  frame(true, ACK, seq + 1, serverIsn + 2, 0);
  // Classic pcap, µs, one frame per 10 µs.
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(1, 20);
  const records = frames.map((f, i) => {
    const r = Buffer.alloc(16);
    r.writeUInt32LE(1_700_000_000 + Math.floor(i / 100_000), 0);
    r.writeUInt32LE((i % 100_000) * 10, 4);
    r.writeUInt32LE(f.length, 8);
    r.writeUInt32LE(f.length, 12);
    return Buffer.concat([r, f]);
  });
  return Buffer.concat([header, ...records]);
}

test('a connection of 100 000 data segments draws its ladder with the data phase folded', async () => {
  const capture = longConnection(100_000);
  const path = join(tmpdir(), `tcp-timeline-long-${process.pid}.pcap`);
  writeFileSync(path, capture);
  after(() => rmSync(path, { force: true }));
  await withPage('/', async ({ page }) => {
    await page.setInputFiles('#file-input', path);
    assert.equal(await waitForRead(page), 'loaded');
    await page.click('#conversations tbody tr:first-child td:nth-child(3)');
    await waitForLadder(page, 0);
    assert.equal(await page.locator('#ladder-view rect.band').count(), 1, 'one folded band');
    const frames = await arrowFrames(page);
    assert.ok(frames.length < 40, `few arrows drawn (${frames.length}) for 150 000 segments`);
    // The handshake and the close stay on screen around the band.
    for (const f of [1, 2, 3, 150_004, 150_005, 150_006]) assert.ok(frames.includes(f), `frame ${f} drawn: ${frames}`);
    const label = (await page.getAttribute('#ladder-view [data-frame]:has(rect.band)', 'aria-label')) ?? '';
    assert.match(label, /data segments folded/);
    // A frame inside the band, chosen in the list, highlights the band.
    await page.click('.grid-body [role=row][aria-rowindex="9"]');
    await page.waitForSelector('#ladder-view [data-last-frame].chosen');
  });
});

test('a blog on another site includes embed.js from the tool\'s site and shows the ladder of its own capture', async () => {
  // The blog: its own origin (localhost, not 127.0.0.1), its own copy of the capture.
  const blogRoot = mkdtempSync(join(tmpdir(), 'tcp-timeline-blog-'));
  after(() => rmSync(blogRoot, { recursive: true, force: true }));
  copyFileSync(join(ROOT, 'www', 'examples', 'demo.pcap'), join(blogRoot, 'demo.pcap'));
  const blog = await serve({ root: blogRoot });
  after(() => blog.server.close());
  const blogUrl = blog.url.replace('127.0.0.1', 'localhost');
  writeFileSync(
    join(blogRoot, 'index.html'),
    `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>A post about TCP</title>
<script type="module" src="${new URL('www/embed.js', site.baseUrl).href}"></script>
<main><tcp-timeline src="demo.pcap" stream="0" lang="en"></tcp-timeline></main>`,
  );
  const session = await openPage(site.browser, blogUrl);
  try {
    const { page, requests } = session;
    await page.waitForSelector('tcp-timeline[data-state="ready"]', { timeout: 20_000 });
    const frames = await page.$eval('tcp-timeline', (element) =>
      [...(element.shadowRoot?.querySelectorAll('[data-frame]') ?? [])].map((item) => Number(item.getAttribute('data-frame'))),
    );
    assert.deepEqual(frames, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // Files come from the blog (the capture) and the tool's site (the code), nowhere else.
    const origins = new Set(requests.map((url) => new URL(url).origin));
    origins.delete(new URL(blogUrl).origin);
    origins.delete(new URL(site.baseUrl).origin);
    assert.deepEqual([...origins], []);
    assert.ok(requests.some((url) => url === new URL('demo.pcap', blogUrl).href), requests.join(', '));
    assert.deepEqual(session.problems, []);
  } finally {
    await session.context.close();
  }
});
