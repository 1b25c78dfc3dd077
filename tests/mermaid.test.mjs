// @ts-check
// The CLI's Mermaid ladders parse with the real mermaid package, in Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serve } from './support/server.mjs';
import { launchBrowser } from './support/browser.mjs';
import { CAPTURES, CLI, ROOT, cli } from './support/captures.mjs';

const skip = !existsSync(CLI) ? 'run ./build.sh build first' : !existsSync(join(ROOT, 'node_modules', 'mermaid')) ? 'npm ci first' : false;

/** @type {{ server: import('node:http').Server, url: string }} */
let site;
/** @type {Awaited<ReturnType<typeof launchBrowser>>} */
let chromium;

before(async () => {
  if (skip) return;
  site = await serve({ root: ROOT });
  chromium = await launchBrowser();
});

after(async () => {
  await chromium?.close();
  site?.server.close();
});

test('Mermaid ladders parse with mermaid', { skip }, async () => {
  const context = await chromium.browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${site.url}tests/support/mermaid-check.html`);
    await page.waitForFunction(() => /** @type {any} */ (window).mermaidReady === true);
    const cases = [
      [join(ROOT, 'www', 'examples', 'demo.pcap'), '0'],
      [join(CAPTURES, 'public', 'zeek', 'retransmit-fast009.pcap'), '0'],
      [join(CAPTURES, 'public', 'zeek', 'syn-then-rst.pcap'), '0'],
      [join(CAPTURES, 'public', 'zeek', '206_example_b.pcap'), '0'],
    ].filter(([path]) => existsSync(path));
    assert.ok(cases.length >= 1);
    // The check itself rejects what mermaid rejects.
    const broken = await page.evaluate(() => /** @type {any} */ (window).parseMermaid('sequenceDiagram\n  A->>B: ok\n  end end').then(() => 'ok', () => 'rejected'));
    assert.equal(broken, 'rejected');
    for (const [path, stream] of cases) {
      for (const lang of ['en', 'zh']) {
        const r = cli(['ladder', path, '--stream', stream, '--mermaid', '--lang', lang]);
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stdout, /^sequenceDiagram\n/);
        const result = await page.evaluate((text) => /** @type {any} */ (window).parseMermaid(text).then(
          () => 'ok',
          (/** @type {any} */ e) => String(e?.message ?? e),
        ), r.stdout);
        assert.equal(result, 'ok', `${path} (${lang}): ${result}`);
      }
    }
  } finally {
    await context.close();
  }
});
