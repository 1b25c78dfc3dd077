// @ts-check
// End-to-end tests of the page in headless Chromium: the built page (./build.sh build first),
// served from the repository root, driven like a user would.
//   node --test tests/browser.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { CAPTURES, CLI, generatedCapture, ROOT } from './support/captures.mjs';
import { browserSuite, dropFile, openPage, pcapOf, readAllRows, readAllRowsColored, serveUnderPrefix, syntheticPcap, tcpFrame, visibleRows, waitForRead } from './support/browser.mjs';
import { serve } from './support/server.mjs';

const DEMO = join(ROOT, 'www', 'examples', 'demo.pcap');

/**
 * The tutorial's capture as Wireshark shows it (frames 1, 4 and 6), byte for byte as
 * `tshark -T fields -e _ws.col.Info` (4.0) prints it: the request line keeps its trailing space,
 * and the status line's empty reason phrase leaves three spaces before "(text/plain)".
 */
const DEMO_INFO = {
  1: '58626 → 8080 [SYN] Seq=0 Win=29200 Len=0 MSS=1460 SACK_PERM TSval=3433988 TSecr=0 WS=128',
  4: 'GET /hello?name=world HTTP/1.1 ',
  6: 'HTTP/1.1 200   (text/plain)',
};

const site = browserSuite();
/**
 * The page at the site's root: see `browserSuite` (only this site asked, no error).
 * @param {(session: Awaited<ReturnType<typeof openPage>>) => Promise<void>} body
 * @param {Parameters<typeof openPage>[2]} [options]
 */
const withPage = (body, options) => site.withPage('', body, options);

/** @param {import('playwright-core').Page} page */
async function messagesText(page) {
  return (await page.textContent('#messages')) ?? '';
}

test('the example button lists the tutorial capture with Wireshark\'s Info texts', async () => {
  await withPage(async ({ page }) => {
    assert.equal(await page.getAttribute('body', 'data-state'), 'empty');
    assert.match((await page.textContent('#empty-state')) ?? '', /never leaves this computer/);
    await page.click('#example-button');
    assert.equal(await waitForRead(page), 'loaded');
    assert.equal(await page.textContent('#info-name'), 'demo.pcap');
    assert.equal(await page.textContent('#info-frames'), '10');
    assert.match((await page.textContent('#info-format')) ?? '', /^pcap/);
    assert.match((await page.textContent('#info-links')) ?? '', /\(113\)/);
    assert.equal(await page.getAttribute('#frame-grid', 'aria-rowcount'), '11');
    const rows = await readAllRows(page);
    assert.equal(rows.length, 10);
    assert.deepEqual(rows.map((r) => r.number), ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    assert.equal(rows[0].time, '0.000000');
    assert.equal(await messagesText(page), '', 'no problem reported for a whole capture');
    for (const [number, info] of Object.entries(DEMO_INFO)) {
      assert.equal(rows[Number(number) - 1].info, info, `Info of frame ${number}`);
    }
  });
});

test('dropping demo.pcap anywhere opens it', async () => {
  await withPage(async ({ page }) => {
    const { overlayShown } = await dropFile(page, { name: 'demo.pcap', bytes: readFileSync(DEMO), type: 'application/vnd.tcpdump.pcap' });
    assert.ok(overlayShown, 'the drop overlay shows while dragging');
    assert.equal(await waitForRead(page), 'loaded');
    assert.equal(await page.isVisible('#drop-overlay'), false);
    assert.equal(await page.textContent('#info-name'), 'demo.pcap');
    const rows = await readAllRows(page);
    assert.equal(rows.length, 10);
    for (const [number, info] of Object.entries(DEMO_INFO)) {
      assert.equal(rows[Number(number) - 1].info, info, `Info of frame ${number}`);
    }
  });
});

// Read in one Worker, and in two (a reading Worker decodes, this one keeps: see worker.js).
for (const [label, relative, readers] of /** @type {const} */ ([
  ['pcapng with several interfaces', 'public/zeek/pcapng-multi-interface.pcapng', 1],
  ['pcapng (gopacket test008)', 'public/gopacket/test008.pcapng', 1],
  ['Linux cooked v2 (SLL2)', 'public/zeek/openjdk-25.0.2-zeek.org.pcap', 1],
  ['pcapng with several interfaces, read by two Workers', 'public/zeek/pcapng-multi-interface.pcapng', 2],
  ['Linux cooked v2 (SLL2), read by two Workers', 'public/zeek/openjdk-25.0.2-zeek.org.pcap', 2],
])) {
  test(`${label}: the page lists the same rows as the CLI`, async (t) => {
    const file = join(CAPTURES, String(relative));
    if (!existsSync(file)) return t.skip(`${file} is missing`);
    const expected = cliRows(file);
    if (typeof expected === 'string') return t.skip(expected);
    await site.withPage(`?readers=${readers}`, async ({ page }) => {
      await page.setInputFiles('#file-input', file);
      assert.equal(await waitForRead(page), 'loaded');
      assert.equal(await page.getAttribute('body', 'data-readers'), String(readers), 'the Workers that read it');
      const rows = await readAllRows(page);
      assert.equal(rows.length, expected.length, 'frame count');
      for (let i = 0; i < rows.length; i += 1) {
        /** @type {Record<string, any>} the CLI's frame */
        const e = expected[i];
        const want = {
          number: String(e.number),
          time: typeof e.time === 'number' ? rows[i].time : String(e.time),
          source: String(e.src ?? ''),
          destination: String(e.dst ?? ''),
          protocol: String(e.protocol ?? ''),
          length: String(e.len),
          info: String(e.info ?? ''),
        };
        if (typeof e.time === 'number') assert.ok(Math.abs(Number(rows[i].time) - e.time) < 1e-9, `time of frame ${e.number}`);
        assert.deepEqual(rows[i], want, `frame ${e.number}`);
      }
      if (relative.includes('zeek.org')) assert.match((await page.textContent('#info-links')) ?? '', /\(276\)/);
    });
  });
}

/**
 * The CLI's `frames FILE --json`, or why it cannot be used (the test is then skipped).
 * @param {string} file
 * @returns {Array<Record<string, any>> | string}
 */
function cliRows(file) {
  if (!existsSync(CLI)) return `${CLI} is absent: run ./build.sh build to compare with the CLI`;
  const run = spawnSync(CLI, ['frames', file, '--json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status === 0 && run.stdout.trim() === '') return 'the CLI printed nothing for `frames --json`: its frames subcommand is not in this build yet';
  assert.equal(run.status, 0, `the CLI failed: ${run.stderr}`);
  const rows = JSON.parse(run.stdout);
  assert.ok(Array.isArray(rows), 'the CLI prints an array of frames');
  return rows;
}

test('a text file dropped shows the not-a-capture message', async () => {
  await withPage(async ({ page }) => {
    const text = new TextEncoder().encode('Hello, this is a note about my network trouble.\nNot a capture.\n');
    await dropFile(page, { name: 'notes.txt', bytes: text, type: 'text/plain' });
    await waitForRead(page);
    const message = await messagesText(page);
    assert.match(message, /Not a capture/);
    assert.match(message, /This is not a capture file: it starts with the bytes 48 65 6c 6c 6f 2c 20 74/);
    assert.match(message, /It looks like a text file/);
    assert.equal(await page.getAttribute('#frame-grid', 'aria-rowcount'), '1');
    assert.deepEqual(await visibleRows(page), []);
    assert.equal(await page.textContent('#info-frames'), '0');
  });
});

for (const readers of [1, 2]) {
  test(`a truncated capture shows every frame before the cut and where it was cut (read by ${readers} Worker${readers > 1 ? 's' : ''})`, async () => {
    const demo = readFileSync(DEMO);
    const offsets = pcapRecordOffsets(demo);
    assert.equal(offsets.length, 10);
    const last = offsets[9];
    const cut = last + 16 + 5; // inside the 10th record's packet bytes
    await site.withPage(`?readers=${readers}`, async ({ page }) => {
      await dropFile(page, { name: 'cut.pcap', bytes: demo.subarray(0, cut) });
      assert.equal(await waitForRead(page), 'loaded');
      const rows = await readAllRows(page);
      assert.deepEqual(rows.map((r) => r.number), ['1', '2', '3', '4', '5', '6', '7', '8', '9']);
      const message = await messagesText(page);
      assert.match(message, /Capture cut short/);
      assert.match(message, new RegExp(`frame 10, byte offset ${last.toLocaleString('en')}`));
      assert.match(message, new RegExp(`cut short at byte ${cut}\\b`));
      assert.match(message, new RegExp(`starts at byte ${last}\\b`));
      assert.match(message, /The 9 frames before it are shown/);
      assert.equal(await page.textContent('#info-frames'), '9');
    });
  });
}

test('the page only loads its own files, and reading works from the file picker', async () => {
  await withPage(async ({ page, requests }) => {
    await page.setInputFiles('#file-input', DEMO);
    assert.equal(await waitForRead(page), 'loaded');
    await page.click('#example-button');
    assert.equal(await waitForRead(page), 'loaded');
    const origin = new URL(site.baseUrl).origin;
    const paths = requests.map((url) => new URL(url)).filter((url) => url.origin === origin).map((url) => url.pathname);
    for (const path of ['/', '/www/app.js', '/www/worker.js', '/www/pkg/tcp_timeline.js', '/www/pkg/tcp_timeline_bg.wasm', '/www/examples/demo.pcap']) {
      assert.ok(paths.includes(path), `${path} requested (saw ${paths.join(', ')})`);
    }
    const csp = (await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content')) ?? '';
    assert.match(csp, /default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; style-src 'self';/);
    // withPage then checks that nothing else was asked for and nothing was logged as an error
    // (a CSP violation is logged as one).
  });
});

test('the page\'s Workers warm the core when they start, and show nothing of it', async (t) => {
  const file = generatedCapture(t, 'warm.pcap', 20_000, 3);
  if (!file) return;
  const frames = JSON.parse(spawnSync(CLI, ['analyze', file, '--json'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }).stdout).frames.length;
  for (const readers of [1, 2]) {
    await site.withPage(`?readers=${readers}`, async ({ page }) => {
      await page.waitForSelector('body[data-core="warm"]', { timeout: 20_000 });
      assert.equal(await page.getAttribute('body', 'data-state'), 'empty');
      assert.equal(await page.textContent('#info-frames'), '');
      // Captures after it: their own frames and connections, nothing of the warm-up's.
      await page.setInputFiles('#file-input', DEMO);
      assert.equal(await waitForRead(page), 'loaded');
      assert.equal(await page.textContent('#info-frames'), '10');
      assert.equal(await page.locator('#conversations tbody tr').count(), 1);
      // Large enough to be read by the reading Worker where there are two.
      await page.setInputFiles('#file-input', file);
      await page.waitForFunction((n) => document.querySelector('#info-frames')?.textContent === n, frames.toLocaleString('en'));
      // What the page did (not which Workers the browser lists: a build may list one whose
      // script failed).
      await page.waitForSelector('body[data-state="loaded"]');
      assert.equal(await page.getAttribute('body', 'data-readers'), String(readers));
    });
  }
  // A file opened as soon as the page is up (the warm-up under way, or skipped where the
  // file came first) is read alone too.
  await withPage(async ({ page }) => {
    await page.setInputFiles('#file-input', DEMO);
    assert.equal(await waitForRead(page), 'loaded');
    assert.equal(await page.textContent('#info-frames'), '10');
    assert.equal(await page.locator('#conversations tbody tr').count(), 1);
  });
});

test('the grid is an accessible, keyboard-driven, virtualised list', async (t) => {
  // 500,000 rows of 20 px pass the grid's 8 million px scroll height: the scrollbar maps proportionally.
  const count = 500_000;
  await withPage(async ({ page }) => {
    // From a path: handing 38 MB to the page as a buffer over the protocol takes seconds.
    const dir = mkdtempSync(join(tmpdir(), 'tcp-timeline-many-'));
    const file = join(dir, 'many.pcap');
    writeFileSync(file, syntheticPcap(count));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    await page.setInputFiles('#file-input', file);
    assert.equal(await waitForRead(page), 'loaded');
    assert.equal(await page.textContent('#info-frames'), count.toLocaleString('en'));
    assert.equal(await page.getAttribute('#frame-grid', 'role'), 'grid');
    assert.equal(await page.getAttribute('#frame-grid', 'aria-rowcount'), String(count + 1));
    assert.equal(await page.locator('[role=columnheader]').count(), 7);
    assert.deepEqual(await page.locator('[role=columnheader]').allTextContents(), ['No.', 'Time', 'Source', 'Destination', 'Protocol', 'Length', 'Info']);
    const inDom = await page.locator('.grid-body [role=row]').count();
    assert.ok(inDom < 100, `only the visible rows are in the DOM (${inDom})`);

    await page.focus('#frame-grid');
    /** @param {string} key */
    const press = async (key) => {
      await page.keyboard.press(key);
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      await page.waitForFunction(() => !document.querySelector('.grid-body [role=row]:not([hidden]).pending'));
      const selected = (await visibleRows(page)).filter((r) => r.selected);
      assert.equal(selected.length, 1, `one selected row in view after ${key}`);
      const active = await page.getAttribute('#frame-grid', 'aria-activedescendant');
      assert.ok(active, 'aria-activedescendant names the selected row');
      assert.equal(await page.getAttribute(`#${active}`, 'aria-selected'), 'true');
      return selected[0];
    };
    assert.equal((await press('ArrowDown')).cells[0], '1');
    assert.equal((await press('ArrowDown')).cells[0], '2');
    assert.equal((await press('ArrowUp')).cells[0], '1');
    const paged = await press('PageDown');
    assert.ok(Number(paged.cells[0]) > 10, `PageDown moves by a page (now ${paged.cells[0]})`);
    assert.equal(Number((await press('PageUp')).cells[0]), 1);
    const end = await press('End');
    assert.equal(end.cells[0], String(count));
    assert.equal(end.index, count + 1);
    assert.equal((await press('ArrowUp')).cells[0], String(count - 1));
    assert.equal((await press('Home')).cells[0], '1');
    assert.ok((await page.locator('.grid-body [role=row]').count()) < 100, 'still only the visible rows in the DOM');
    assert.match((await page.textContent('#status')) ?? '', /Frame 1 of 500,000 selected/, 'the total formatted for the language');
  });
});

test('the page works from a sub-path, as on a GitHub Pages project site', async () => {
  const { server: prefixed, url } = await serveUnderPrefix(site.baseUrl, '/tcp-timeline/');
  try {
    const session = await openPage(site.browser, url);
    try {
      await session.page.click('#example-button');
      assert.equal(await waitForRead(session.page), 'loaded');
      assert.equal(await session.page.textContent('#info-frames'), '10');
      const paths = session.requests.map((r) => new URL(r).pathname);
      assert.ok(paths.every((p) => p.startsWith('/tcp-timeline/')), `every request under the sub-path: ${paths.join(', ')}`);
      assert.deepEqual(session.problems, []);
    } finally {
      await session.context.close();
    }
  } finally {
    prefixed.close();
  }
});

test('packet contents are shown as text, never as markup', async () => {
  const hostile = '<img src=x onerror="alert(1)"><b>bold</b>"><script>alert(2)</script>';
  const long = 'x'.repeat(5000);
  const request = Buffer.concat([
    Buffer.from(`GET /${hostile}?u=javascript:alert(3)&${long} HTTP/1.1\r\nHost: <svg onload=alert(4)>\r\nX-Bad: `),
    Buffer.from([0xff, 0xfe, 0xc3, 0x28]), // invalid UTF-8
    Buffer.from('\r\n\r\n'),
  ]);
  const capture = pcapOf([tcpFrame(request)]);
  await withPage(async ({ page }) => {
    await dropFile(page, { name: '<img src=x onerror=alert(5)>.pcap', bytes: capture });
    assert.equal(await waitForRead(page), 'loaded');
    const [row] = await readAllRows(page);
    assert.equal(row.number, '1');
    assert.ok(row.info.startsWith(`GET /${hostile}?u=javascript:alert(3)&xxx`), row.info);
    assert.equal(
      await page.locator('main img, main b, main script, main svg:not(.icon), #capture-info img').count(),
      0,
      'no element made from packet bytes or the file name',
    );
    assert.match((await page.textContent('#capture-info')) ?? '', /<img src=x onerror=alert\(5\)>\.pcap/);
    // withPage fails the test on any dialog (alert), console error or request elsewhere.
  });
});

/**
 * The conversations table's body rows as cell texts (Stream, Client, Server, Packets, Bytes,
 * Duration, Handshake, Close, conn_state).
 * @param {import('playwright-core').Page} page
 */
function conversationRows(page) {
  return page.$$eval('#conversations tbody tr', (/** @type {HTMLTableRowElement[]} */ rows) => rows.map((row) => [...row.cells].map((cell) => cell.textContent ?? '')));
}

/** @param {import('playwright-core').Page} page */
async function settle(page) {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/**
 * Waits until display filter `text` is the one in effect ('' for none).
 * @param {import('playwright-core').Page} page
 * @param {string} text
 */
async function waitForFilter(page, text) {
  await page.waitForFunction((wanted) => {
    const bar = document.getElementById('filter-bar');
    return bar?.dataset.applied === wanted && bar.dataset.state !== 'busy';
  }, text);
}

/**
 * Waits until the frame list has `count` rows.
 * @param {import('playwright-core').Page} page
 * @param {number} count
 */
async function waitForRowCount(page, count) {
  await page.waitForFunction((n) => document.getElementById('frame-grid')?.getAttribute('aria-rowcount') === String(n + 1), count);
}

test('the tutorial capture: one conversation that filters the list, row colours and their legend', async () => {
  await withPage(async ({ page }) => {
    await page.click('#example-button');
    assert.equal(await waitForRead(page), 'loaded');
    assert.equal(await page.isVisible('#conversations-pane'), true);
    assert.equal(await page.getAttribute('#conversations', 'role'), null, 'a plain table, with its native semantics');
    assert.deepEqual(
      await page.$$eval('#conversations thead th', (cells) => cells.map((c) => [c.getAttribute('scope'), c.textContent])),
      ['Stream', 'Client', 'Server', 'Packets →/←', 'Bytes →/←', 'Duration', 'Handshake', 'Close', 'conn_state'].map((t) => ['col', t]),
    );
    const table = await conversationRows(page);
    assert.equal(table.length, 1);
    const [stream, client, server, packets, , , handshake, close, connState] = table[0];
    assert.deepEqual(
      { stream, client, server, packets, handshake, close, connState },
      {
        stream: '0',
        client: '192.168.0.50:58626',
        server: '192.168.0.52:8080',
        packets: '6 / 4',
        handshake: 'three-way',
        close: 'three-way close by client: FIN, FIN+ACK, ACK',
        connState: 'SF',
      },
    );

    // Colours: Wireshark's rules (tshark --color): SYN/FIN, TCP, HTTP; the final ACK is TCP.
    const rows = await readAllRowsColored(page);
    assert.deepEqual(rows.map((r) => r.color), ['tcp-syn-fin', 'tcp-syn-fin', 'tcp', 'http', 'tcp', 'http', 'tcp', 'tcp-syn-fin', 'tcp-syn-fin', 'tcp']);

    // Choosing the conversation lists its frames: its filter is applied in the display filter bar.
    await page.click('#conversations tbody tr td:nth-child(3)');
    await waitForFilter(page, 'tcp.stream == 0');
    await waitForRowCount(page, 10);
    assert.equal(await page.inputValue('#filter-input'), 'tcp.stream == 0');
    assert.equal(await page.getAttribute('#filter-bar', 'data-state'), 'valid');
    assert.equal(await page.getAttribute('#conversations tbody tr button', 'aria-pressed'), 'true');
    assert.match((await page.textContent('#status')) ?? '', /Showing 10 of 10 frames: tcp\.stream == 0/);
    assert.equal((await readAllRows(page)).length, 10);
    // The clear button shows every frame again.
    await page.click('#filter-clear');
    await waitForFilter(page, '');
    assert.equal(await page.inputValue('#filter-input'), '');
    assert.equal(await page.getAttribute('#conversations tbody tr button', 'aria-pressed'), 'false');
    assert.equal((await readAllRows(page)).length, 10);

    // The legend says what each colour means, with Wireshark's colours.
    assert.equal(await page.isVisible('#legend'), false);
    await page.click('#legend-button');
    assert.equal(await page.getAttribute('#legend-button', 'aria-expanded'), 'true');
    assert.equal(await page.isVisible('#legend'), true);
    const legend = await page.$$eval('#legend li', (items) =>
      items.map((item) => {
        const swatch = /** @type {HTMLElement} */ (item.querySelector('.swatch'));
        const style = getComputedStyle(swatch);
        return { id: item.getAttribute('data-rule'), name: item.querySelector('strong')?.textContent, title: item.getAttribute('title'), bg: style.backgroundColor, fg: style.color };
      }),
    );
    assert.deepEqual(legend.slice(0, 3).map((l) => l.name), ['Bad TCP', 'ICMP errors', 'ARP']);
    for (const id of ['bad-tcp', 'tcp-rst', 'tcp-syn-fin', 'http', 'tcp', 'udp', 'arp', 'icmp']) assert.ok(legend.some((l) => l.id === id), id);
    // In the light theme the page shows Wireshark's own colours, as the core names them.
    /** @param {string} hex */
    const rgb = (hex) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;
    for (const entry of legend) {
      const [, fg, bg] = /text (#[0-9a-f]{6}) on (#[0-9a-f]{6})/.exec(entry.title ?? '') ?? [];
      assert.equal(entry.bg, rgb(bg), `${entry.id} background`);
      assert.equal(entry.fg, rgb(fg), `${entry.id} text`);
    }
    await page.screenshot({ path: join(tmpdir(), 'tcp-timeline-demo-legend.png') });
  });
});

test('a lossy capture: dup ACKs and the fast retransmission are Bad TCP, with Wireshark\'s Info prefixes', async (t) => {
  const file = join(CAPTURES, 'public', 'zeek', 'retransmit-fast009.pcap');
  if (!existsSync(file)) return t.skip(`${file} is missing`);
  await withPage(async ({ page }) => {
    await page.setInputFiles('#file-input', file);
    assert.equal(await waitForRead(page), 'loaded');
    const rows = await readAllRowsColored(page);
    const byNumber = new Map(rows.map((r) => [Number(r.number), r]));
    for (let n = 29; n <= 33; n += 1) assert.equal(byNumber.get(n)?.color, 'bad-tcp', `frame ${n}`);
    assert.ok(byNumber.get(29)?.info.startsWith('[TCP Dup ACK 28#1] '), byNumber.get(29)?.info);
    assert.ok(byNumber.get(32)?.info.startsWith('[TCP Fast Retransmission] '), byNumber.get(32)?.info);
    // Its IPv4 TTL is 0: Wireshark's "TTL low or unexpected" for the rest, the final RST "TCP RST".
    assert.equal(byNumber.get(28)?.color, 'ttl-low');
    assert.equal(byNumber.get(39)?.color, 'tcp-rst');
    await page.screenshot({ path: join(tmpdir(), 'tcp-timeline-lossy.png') });
  });
  await withPage(async ({ page }) => {
    await page.setInputFiles('#file-input', file);
    assert.equal(await waitForRead(page), 'loaded');
    await page.evaluate(() => {
      const scroller = /** @type {HTMLElement} */ (document.querySelector('.grid-scroller'));
      scroller.scrollTop = 26 * 20;
    });
    await page.waitForFunction(() => !document.querySelector('.grid-body [role=row]:not([hidden]).pending'));
    await page.click('.grid-body [role=row][aria-rowindex="31"]');
    await settle(page);
    await page.screenshot({ path: join(tmpdir(), 'tcp-timeline-lossy-dark.png') });
  }, { colorScheme: 'dark' });
});

for (const relative of ['public/tcpdump/dns_tcp.pcap', 'public/zeek/get.pcap']) {
  test(`${relative}: each conversation filters the list to its frames, as the CLI numbers streams`, async (t) => {
    const file = join(CAPTURES, relative);
    if (!existsSync(file)) return t.skip(`${file} is missing`);
    if (!existsSync(CLI)) return t.skip(`${CLI} is absent: run ./build.sh build`);
    const run = spawnSync(CLI, ['analyze', file, '--json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.equal(run.status, 0, run.stderr);
    const analysis = JSON.parse(run.stdout);
    /** @type {Map<number, string[]>} */
    const expected = new Map();
    for (const frame of analysis.frames) {
      if (frame.tcp?.stream === undefined) continue;
      if (!expected.has(frame.tcp.stream)) expected.set(frame.tcp.stream, []);
      expected.get(frame.tcp.stream)?.push(String(frame.number));
    }
    assert.equal(expected.size, analysis.connections.length);
    await withPage(async ({ page }) => {
      await page.setInputFiles('#file-input', file);
      assert.equal(await waitForRead(page), 'loaded');
      const table = await conversationRows(page);
      assert.deepEqual(table.map((r) => r[0]), analysis.connections.map((/** @type {any} */ c) => String(c.stream)));
      for (const c of analysis.connections) {
        const row = table.find((r) => r[0] === String(c.stream));
        assert.deepEqual(row?.slice(1, 3), [c.client, c.server]);
        assert.equal(row?.[8], c.conn_state);
      }
      // Keyboard: the first row's Stream button, arrows between rows, Enter/Space to choose.
      await page.focus('#conversations tbody tr:first-child button');
      for (const [i, stream] of [...expected.keys()].entries()) {
        if (i > 0) await page.keyboard.press('ArrowDown');
        assert.equal(await page.evaluate(() => document.activeElement?.textContent), String(stream));
        await page.keyboard.press('Enter');
        await waitForFilter(page, `tcp.stream == ${stream}`);
        const want = expected.get(stream) ?? [];
        await waitForRowCount(page, want.length);
        assert.deepEqual((await readAllRows(page)).map((r) => r.number), want, `frames of stream ${stream}`);
        await page.focus(`#conversations tbody tr:nth-child(${i + 1}) button`);
      }
      // Choosing the chosen conversation again shows every frame.
      await page.keyboard.press('Space');
      await waitForFilter(page, '');
      await waitForRowCount(page, analysis.frames.length);
    });
  });
}

test('tens of thousands of conversations: only the rows in view exist, the last one is reachable and filters the list', async (t) => {
  const file = generatedCapture(t, 'many.pcap', 260_000, 3);
  if (!file) return;
  const run = spawnSync(CLI, ['analyze', file, '--json'], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  assert.equal(run.status, 0, run.stderr);
  const analysis = JSON.parse(run.stdout);
  const count = analysis.connections.length;
  assert.ok(count >= 20_000, `${count} connections`);
  const last = Math.max(...analysis.connections.map((/** @type {any} */ c) => c.stream));
  const want = analysis.frames.filter((/** @type {any} */ f) => f.tcp?.stream === last).map((/** @type {any} */ f) => String(f.number));
  assert.ok(want.length > 0);
  await withPage(async ({ page }) => {
    await page.setInputFiles('#file-input', file);
    assert.equal(await waitForRead(page), 'loaded');
    const rowsInDom = () => page.$$eval('#conversations tbody tr', (rows) => rows.length);
    assert.equal(await page.getAttribute('#conversations', 'aria-rowcount'), String(count + 1));
    assert.equal(await page.textContent('#conversations-count'), `(${count.toLocaleString('en')})`);
    const before = await rowsInDom();
    assert.ok(before > 0 && before < 200, `${before} rows in the DOM`);
    assert.equal(await page.getAttribute('#conversations tbody tr:first-child', 'aria-rowindex'), '2');
    // Scrolled to the end, the last stream is drawn, still with few rows.
    await page.$eval('#conversations-pane .table-scroller', (el) => { el.scrollTop = el.scrollHeight; });
    await settle(page);
    const lastRow = '#conversations tbody tr:last-child';
    assert.equal(await page.textContent(`${lastRow} button`), String(last));
    assert.equal(await page.getAttribute(lastRow, 'aria-rowindex'), String(count + 1));
    assert.ok((await rowsInDom()) < 200);
    const box = await page.locator(lastRow).boundingBox();
    const view = await page.locator('#conversations-pane .table-scroller').boundingBox();
    assert.ok(box && view && box.y >= view.y && box.y + box.height <= view.y + view.height + 1, 'the last row is in view');
    // Choosing it lists only its frames, as the CLI numbers them.
    await page.click(`${lastRow} td:nth-child(3)`);
    await waitForFilter(page, `tcp.stream == ${last}`);
    await waitForRowCount(page, want.length);
    assert.deepEqual((await readAllRows(page)).map((r) => r.number), want);
    assert.equal(await page.getAttribute(`${lastRow} button`, 'aria-pressed'), 'true');
    // Keyboard: Home goes back to the first stream, End to the last, across the whole table.
    await page.focus(`${lastRow} button`);
    await page.keyboard.press('Home');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), String(analysis.connections[0].stream));
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), String(analysis.connections[1].stream));
    await page.keyboard.press('End');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), String(last));
    // Sorting covers every connection: descending by stream puts the last first.
    await page.click('#conversations th[data-key="stream"] button');
    await page.$eval('#conversations-pane .table-scroller', (el) => { el.scrollTop = 0; });
    await settle(page);
    assert.equal(await page.textContent('#conversations tbody tr:first-child button'), String(last));
    assert.ok((await rowsInDom()) < 200);
  });
});

test('read by two Workers: the same frames and connections as by one, gzip read in one, another file opened meanwhile replaces it', async (t) => {
  const file = generatedCapture(t, 'traffic.pcap', 60_000, 5);
  if (!file) return;
  const gzipped = `${file}.gz`;
  writeFileSync(gzipped, gzipSync(readFileSync(file)));
  const run = spawnSync(CLI, ['analyze', file, '--json'], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  assert.equal(run.status, 0, run.stderr);
  const analysis = JSON.parse(run.stdout);
  const frames = analysis.frames.length.toLocaleString('en');
  /** What the page shows of a read capture: its frame count, the first rows, the conversations. */
  const shown = async (/** @type {import('playwright-core').Page} */ page) => ({
    frames: await page.textContent('#info-frames'),
    conversations: await page.getAttribute('#conversations', 'aria-rowcount'),
    table: await conversationRows(page),
    rows: (await visibleRows(page)).map((row) => row.cells),
  });
  /** @type {Record<string, any>} */
  const seen = {};
  for (const readers of [1, 2]) {
    await site.withPage(`?readers=${readers}`, async ({ page }) => {
      await page.setInputFiles('#file-input', file);
      assert.equal(await waitForRead(page), 'loaded');
      await page.waitForFunction(() => !document.querySelector('.grid-body [role=row]:not([hidden]).pending'));
      seen[readers] = await shown(page);
      assert.equal(await page.getAttribute('body', 'data-readers'), String(readers), 'the Workers that read it');
      assert.equal(seen[readers].frames, frames);
      assert.equal(seen[readers].conversations, String(analysis.connections.length + 1));
      if (readers === 1) return;
      // gzip: its decompressed bytes are kept where the rows are made, so it is read in one.
      await page.setInputFiles('#file-input', gzipped);
      assert.equal(await waitForRead(page), 'loaded');
      assert.match((await page.textContent('#info-format')) ?? '', /gzip/);
      assert.equal(await page.textContent('#info-frames'), frames);
      // Another file opened while this one is read: the reading Worker stops, the new one shows.
      await page.setInputFiles('#file-input', file);
      await page.waitForFunction(() => document.body.dataset.state === 'reading');
      await dropFile(page, { name: 'demo.pcap', bytes: readFileSync(DEMO) });
      await page.waitForFunction(() => document.body.dataset.state === 'loaded' && document.getElementById('info-name')?.textContent === 'demo.pcap');
      assert.equal(await page.textContent('#info-frames'), '10');
      assert.equal((await readAllRows(page)).length, 10);
    });
  }
  assert.deepEqual(seen[2], seen[1]);
  assert.ok(seen[1].table.length > 0 && seen[1].rows.length > 0);
});

test('where the reading Worker cannot start, the capture is read in one', async (t) => {
  const file = join(CAPTURES, 'public', 'zeek', 'openjdk-25.0.2-zeek.org.pcap');
  if (!existsSync(file)) return t.skip(`${file} is missing`);
  const expected = cliRows(file);
  if (typeof expected === 'string') return t.skip(expected);
  // The reading Worker's script cannot be had (as where the page is embedded from another site
  // and may not start a Worker of its own site's): the site answers 404 for it from the start
  // (with ?readers=2 the page starts that Worker as soon as it opens, to warm it).
  const { server, url } = await serve({ root: ROOT, refuse: ['/www/reader.js'] });
  const { context, page, problems } = await openPage(site.browser, new URL('?readers=2', url).href);
  try {
    await page.setInputFiles('#file-input', file);
    assert.equal(await waitForRead(page), 'loaded');
    assert.deepEqual((await readAllRows(page)).map((row) => row.info), expected.map((e) => String(e.info ?? '')));
    // What the page did: this Worker read the capture alone (whichever Workers the browser
    // lists: Chromium 156 lists one whose script failed).
    assert.equal(await page.getAttribute('body', 'data-readers'), '1');
    assert.deepEqual(problems.filter((p) => !/reader\.js|Failed to load resource/.test(p)), []);
  } finally {
    await context.close();
    server.close();
  }
});

test('on a narrow window the conversations and the list stay usable', async () => {
  await withPage(async ({ page }) => {
    await page.click('#example-button');
    assert.equal(await waitForRead(page), 'loaded');
    await page.click('#conversations tbody tr button');
    await waitForFilter(page, 'tcp.stream == 0');
    const box = await page.locator('#frame-grid').boundingBox();
    assert.ok(box && box.height > 150, `the frame list keeps room (${box?.height} px)`);
    for (const part of ['#filter-input', '#filter-clear', '#filter-count']) {
      const found = await page.locator(part).boundingBox();
      assert.ok(found && found.x >= 0 && found.x + found.width <= 420, `${part} is within the window`);
    }
    await page.screenshot({ path: join(tmpdir(), 'tcp-timeline-narrow.png') });
  }, { viewport: { width: 420, height: 760 } });
});

/**
 * Byte offsets of the records of a little-endian classic pcap.
 * @param {Buffer} bytes
 */
function pcapRecordOffsets(bytes) {
  const offsets = [];
  for (let at = 24; at + 16 <= bytes.length; ) {
    offsets.push(at);
    at += 16 + bytes.readUInt32LE(at + 8);
  }
  return offsets;
}
