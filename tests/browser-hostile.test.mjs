// @ts-check
// Hostile packet contents in the ladder and its explanations: shown as text, never as markup;
// no dialog, no console error, no request to anything but the page's own files.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve } from './support/server.mjs';
import { launchBrowser, openPage, pcapOf, tcpFrame } from './support/browser.mjs';
import { ROOT } from './support/captures.mjs';

/** @type {Awaited<ReturnType<typeof launchBrowser>>} */
let chromium;
/** @type {{ server: import('node:http').Server, url: string }} */
let site;
const dir = join(ROOT, 'target', 'hostile');
const file = join(dir, 'hostile.pcap');

before(async () => {
  if (!existsSync(join(ROOT, 'www', 'pkg', 'tcp_timeline_bg.wasm'))) throw new Error('www/pkg is missing: run ./build.sh build first');
  mkdirSync(dir, { recursive: true });
  site = await serve({ root: ROOT });
  chromium = await launchBrowser();
});

after(async () => {
  await chromium?.close();
  site?.server.close();
  rmSync(dir, { recursive: true, force: true });
});

const hostile = '<img src=x onerror="alert(1)">"><script>alert(2)</script>&amp;';
const request = Buffer.from(`GET /${hostile} HTTP/1.1\r\nHost: <svg onload=alert(3)>\r\n\r\n`);
const response = Buffer.from(`HTTP/1.1 200 <b>OK</b>\r\nContent-Type: text/html"><script>alert(4)</script>\r\nContent-Length: 0\r\n\r\n`);

/** The hostile request and its answer, as a capture. */
function writeHostile() {
  const answer = tcpFrame(response);
  // The answer goes from the server back to the client: swap addresses and ports.
  answer.set([10, 0, 0, 2, 10, 0, 0, 1], 26);
  answer.writeUInt16BE(80, 34);
  answer.writeUInt16BE(40000, 36);
  answer.writeUInt32BE(1 + request.length, 42);
  writeFileSync(file, pcapOf([tcpFrame(request), answer]));
}

test('hostile HTTP in the ladder and its explanation is literal text', async () => {
  writeHostile();
  const session = await openPage(chromium.browser, new URL('?capture=target/hostile/hostile.pcap&stream=0', site.url).href);
  try {
    const { page, requests, problems } = session;
    await page.waitForSelector('#ladder-pane[data-state="ready"]', { timeout: 20_000 });
    const svgText = (await page.locator('#ladder-view svg').textContent()) ?? '';
    // The URI ends at its first space (as HTTP reads it); the content type carries markup whole.
    assert.ok(svgText.includes('GET /<img'), svgText);
    assert.ok(svgText.includes('text/html"><script>alert(4)</script>'), svgText);
    assert.equal(
      await page.locator('#ladder-view img, #ladder-view script, #ladder-view b, #ladder-view foreignObject, #ladder-view svg svg').count(),
      0,
      'no element made from packet bytes in the ladder',
    );
    await page.locator('#ladder-view [data-frame="1"]').click();
    const explanation = page.locator('#ladder-pane .explanation, #ladder-explanation').first();
    await page.waitForFunction(() => (document.querySelector('#ladder-pane')?.textContent ?? '').includes('frame 1') || (document.querySelector('#ladder-pane')?.textContent ?? '').includes('第 1 帧'));
    assert.equal(await explanation.locator('img, script, b, svg').count(), 0);
    const origin = new URL(site.url).origin;
    assert.deepEqual(requests.filter((url) => new URL(url).origin !== origin), []);
    assert.deepEqual(problems, []);
  } finally {
    await session.context.close();
  }
});

test('hostile HTTP in the packet details and in Follow TCP stream is literal text', async () => {
  writeHostile();
  const session = await openPage(chromium.browser, new URL('?capture=target/hostile/hostile.pcap', site.url).href);
  try {
    const { page, requests, problems } = session;
    await page.waitForSelector('body[data-state="loaded"]', { timeout: 20_000 });
    await page.click('.grid-body [role=row][aria-rowindex="2"]');
    await page.waitForSelector('#detail-pane[data-frame="1"]', { timeout: 20_000 });
    // Every node open: the HTTP layer's lines are the request's, as they are.
    for (let round = 0; round < 40; round += 1) {
      const opened = await page.evaluate(() => {
        const closed = [...document.querySelectorAll('#detail-tree [aria-expanded="false"] > .tree-row > .twisty')];
        for (const twisty of closed) /** @type {HTMLElement} */ (twisty).click();
        return closed.length;
      });
      if (opened === 0) break;
    }
    const labels = await page.$$eval('#detail-tree .tree-row .label', (items) => items.map((item) => item.textContent ?? ''));
    const tree = labels.join('\n');
    assert.ok(labels.some((label) => label.startsWith(`GET /${hostile} HTTP/1.1`)), tree);
    assert.ok(labels.some((label) => label.startsWith('Host: <svg onload=alert(3)>')), tree);
    assert.equal(await page.locator('#detail-tree img, #detail-tree script, #detail-tree svg, #detail-tree b').count(), 0, 'no element made from packet bytes in the tree');
    // The bytes pane: the request's characters, one a cell.
    assert.equal(await page.locator('#bytes-view img, #bytes-view script, #bytes-view svg').count(), 0);

    await page.click('#follow-button');
    await page.waitForSelector('#follow-dialog[data-state="ready"]', { timeout: 20_000 });
    const client = (await page.locator('#follow-dialog .follow-text .from-client').allTextContents()).join('');
    const server = (await page.locator('#follow-dialog .follow-text .from-server').allTextContents()).join('');
    assert.ok(client.includes(`GET /${hostile} HTTP/1.1`), client);
    assert.ok(client.includes('Host: <svg onload=alert(3)>'), client);
    assert.ok(server.includes('HTTP/1.1 200 <b>OK</b>'), server);
    assert.ok(server.includes('text/html"><script>alert(4)</script>'), server);
    assert.equal(await page.locator('#follow-dialog img, #follow-dialog script, #follow-dialog svg, #follow-dialog b').count(), 0, 'no element made from packet bytes in the dialog');
    const origin = new URL(site.url).origin;
    assert.deepEqual(requests.filter((url) => new URL(url).origin !== origin), []);
    assert.deepEqual(problems, []);
  } finally {
    await session.context.close();
  }
});
