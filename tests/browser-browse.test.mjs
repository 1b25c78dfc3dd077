// @ts-check
// Browsing a capture as in Wireshark's first minutes, in headless Chromium (./build.sh build
// first):   node --test tests/browser-browse.test.mjs
// The display filter bar, the packet detail tree and its keyboard, the bytes pane, Follow TCP
// stream, time formats, go to frame, resizable columns, the splitter under the list, the view in
// the address's hash, the keyboard help, a million frames, and the panes on a phone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatedCapture, ROOT } from './support/captures.mjs';
import { browserSuite, readAllRows, visibleRows } from './support/browser.mjs';

const DEMO = join(ROOT, 'www', 'examples', 'demo.pcap');

const site = browserSuite({ locale: 'en-US' });
const { withPage } = site;

/**
 * Waits until the page has read a file (a long one may take a while on a busy machine).
 * @param {import('playwright-core').Page} page
 * @param {number} [timeout]
 */
async function waitForLoaded(page, timeout = 20_000) {
  await page.waitForSelector('body[data-state="loaded"], body[data-state="failed"]', { timeout });
  assert.equal(await page.getAttribute('body', 'data-state'), 'loaded');
}

/** @param {import('playwright-core').Page} page */
async function openDemo(page) {
  await page.click('#example-button');
  await waitForLoaded(page);
  await page.waitForFunction(() => document.querySelectorAll('.grid-body [role=row]:not([hidden]):not(.pending)').length >= 10);
}

/** @param {import('playwright-core').Page} page */
async function settle(page) {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/**
 * Types `text` in the display filter bar and applies it with Enter; waits for the outcome:
 * 'valid' / 'empty' (the list is filtered) or 'invalid' (refused).
 * @param {import('playwright-core').Page} page
 * @param {string} text
 */
async function applyFilter(page, text) {
  await page.fill('#filter-input', text);
  await page.press('#filter-input', 'Enter');
  await page.waitForFunction((wanted) => {
    const bar = document.getElementById('filter-bar');
    if (!bar || bar.dataset.state === 'busy') return false;
    return bar.dataset.state === 'invalid' || bar.dataset.applied === wanted.trim();
  }, text, { timeout: 30_000 });
  return page.getAttribute('#filter-bar', 'data-state');
}

/**
 * The frame numbers the list shows, in order.
 * @param {import('playwright-core').Page} page
 */
async function listed(page) {
  return (await readAllRows(page)).map((row) => Number(row.number));
}

/**
 * Clicks frame `number`'s row (it must be in view) and waits for its detail tree.
 * @param {import('playwright-core').Page} page
 * @param {number} number
 */
async function chooseFrame(page, number) {
  await page.locator('.grid-body [role=row]:not([hidden])', { has: page.locator(`[aria-colindex="1"]:text-is("${number}")`) }).click();
  await waitForDetail(page, number);
}

/**
 * @param {import('playwright-core').Page} page
 * @param {number} number
 */
async function waitForDetail(page, number) {
  await page.waitForSelector(`#detail-pane[data-frame="${number}"]`, { timeout: 20_000 });
}

/**
 * The detail tree's row whose label contains `text` (the first one).
 * @param {import('playwright-core').Page} page
 * @param {string | RegExp} text
 */
function treeRow(page, text) {
  return page.locator('#detail-tree .tree-row', { hasText: text }).first();
}

/**
 * Opens the tree node whose label contains `text`, if it is closed.
 * @param {import('playwright-core').Page} page
 * @param {string | RegExp} text
 */
async function expand(page, text) {
  const row = treeRow(page, text);
  const item = row.locator('xpath=..');
  if ((await item.getAttribute('aria-expanded')) === 'false') await row.locator('.twisty').click();
  assert.equal(await item.getAttribute('aria-expanded'), 'true', `${text} is open`);
}

/**
 * The selected tree node's label.
 * @param {import('playwright-core').Page} page
 */
function selectedLabel(page) {
  return page.$eval('#detail-tree [aria-selected="true"] > .tree-row .label', (label) => label.textContent ?? '');
}

/**
 * The highlighted bytes: offsets and hex text, from the hex column.
 * @param {import('playwright-core').Page} page
 */
function highlighted(page) {
  return page.$$eval('#bytes-view .hex .sel', (cells) => cells.map((cell) => ({ offset: Number(/** @type {HTMLElement} */ (cell).dataset.offset), hex: cell.textContent })));
}

test('display filters: Wireshark\'s syntax, the count, errors in red with the offending characters, Esc and the clear button', async () => {
  await withPage('/', async ({ page }) => {
    await openDemo(page);
    assert.equal(await page.getAttribute('#filter-bar', 'data-state'), 'empty');
    assert.equal(await page.getAttribute('#filter-mirror', 'translate'), 'no', 'a filter is code: never translated');

    // Ctrl+F and / go to the bar.
    await page.focus('#frame-grid');
    await page.keyboard.press('Control+f');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'filter-input');
    await page.focus('#frame-grid');
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'filter-input');

    assert.equal(await applyFilter(page, 'tcp.flags.fin == 1'), 'valid');
    assert.deepEqual(await listed(page), [8, 9]);
    assert.equal(await page.textContent('#filter-count'), 'Displayed: 2 of 10 (20.0%)');
    const green = await page.$eval('.filter-field', (field) => getComputedStyle(field).backgroundColor);
    assert.equal(green, 'rgb(175, 255, 175)', 'a valid filter turns the bar green');

    assert.equal(await applyFilter(page, 'http'), 'valid');
    assert.deepEqual(await listed(page), [4, 6]);
    assert.equal(await page.textContent('#filter-count'), 'Displayed: 2 of 10 (20.0%)');

    // Malformed: red, the core's message, the place marked; the list stays as it was.
    assert.equal(await applyFilter(page, 'tcp.flags.fin =='), 'invalid');
    assert.equal(await page.isVisible('#filter-error'), true);
    assert.match((await page.textContent('#filter-message')) ?? '', /end of filter expression/i);
    assert.equal(await page.getAttribute('#filter-message', 'lang'), 'en', 'the core\'s message is in Wireshark\'s English');
    assert.equal(await page.getAttribute('#filter-input', 'aria-invalid'), 'true');
    const red = await page.$eval('.filter-field', (field) => getComputedStyle(field).backgroundColor);
    assert.equal(red, 'rgb(255, 175, 175)', 'a refused filter turns the bar red');
    assert.equal(await page.locator('#filter-mirror mark').count(), 1, 'the place of the error is marked');
    assert.deepEqual(await listed(page), [4, 6], 'the list is left as it was');
    assert.equal(await page.getAttribute('#filter-bar', 'data-applied'), 'http');

    assert.equal(await applyFilter(page, 'ip.addr == 300.1.1.1'), 'invalid');
    assert.match((await page.textContent('#filter-message')) ?? '', /300\.1\.1\.1/);
    assert.equal(await page.textContent('#filter-mirror mark'), '300.1.1.1', 'the bad address is underlined');
    assert.deepEqual(await listed(page), [4, 6]);

    // The recent filters are offered again.
    assert.deepEqual(await page.$$eval('#filter-history option', (options) => options.map((o) => /** @type {HTMLOptionElement} */ (o).value).slice(0, 2)), ['http', 'tcp.flags.fin == 1']);

    // Esc clears the filter: every frame again.
    await page.focus('#filter-input');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => document.getElementById('filter-bar')?.dataset.applied === '' && document.getElementById('filter-bar')?.dataset.state === 'empty');
    assert.equal(await page.inputValue('#filter-input'), '');
    assert.deepEqual(await listed(page), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.equal(await page.isVisible('#filter-error'), false);

    // A filter that is not tcp.stream == N closes no ladder and opens none; that one does.
    assert.equal(await applyFilter(page, 'tcp.stream == 0'), 'valid');
    await page.waitForSelector('#ladder-pane[data-state="ready"][data-stream="0"]', { timeout: 20_000 });
    assert.equal(await page.getAttribute('#conversations tbody tr button', 'aria-pressed'), 'true');
    assert.equal(await applyFilter(page, 'tcp.stream == 0 && http'), 'valid');
    await page.waitForSelector('#ladder-pane', { state: 'hidden' });
    assert.deepEqual(await listed(page), [4, 6]);
    await page.click('#filter-clear');
    await page.waitForFunction(() => document.getElementById('filter-bar')?.dataset.applied === '');
    assert.equal((await listed(page)).length, 10);
  });
});

test('the packet detail tree: layers, generated fields, the keyboard, open nodes remembered between frames', async () => {
  await withPage('/', async ({ page }) => {
    await openDemo(page);
    assert.equal(await page.isVisible('#detail-pane'), true);
    assert.match((await page.textContent('#detail-note')) ?? '', /Choose a frame/);
    await chooseFrame(page, 1);
    assert.equal(await page.getAttribute('#detail-tree', 'translate'), 'no', 'the core\'s labels are data');
    assert.equal(await page.getAttribute('#detail-tree', 'role'), 'tree');
    const layers = await page.$$eval('#detail-tree > [role=treeitem] > .tree-row .label', (labels) => labels.map((l) => l.textContent ?? ''));
    assert.ok(layers[0].startsWith('Frame 1: 76 bytes on wire'), layers[0]);
    assert.ok(layers.some((l) => l.startsWith('Internet Protocol Version 4, Src: 192.168.0.50, Dst: 192.168.0.52')), layers.join(' | '));
    assert.ok(layers.some((l) => l.startsWith('Transmission Control Protocol, Src Port: 58626, Dst Port: 8080')), layers.join(' | '));
    assert.match((await page.textContent('#detail-title')) ?? '', /frame 1/);

    // TCP open, its options open: the window scale option as Wireshark words it.
    await expand(page, 'Transmission Control Protocol');
    await expand(page, /^Options: /);
    await treeRow(page, 'Window scale: 7 (multiply by 128)').waitFor();
    assert.equal(await treeRow(page, 'Window scale: 7 (multiply by 128)').isVisible(), true);
    // Generated (bracketed) fields look different from fields read from the bytes.
    const generated = treeRow(page, '[Stream index: 0]');
    assert.equal(await generated.evaluate((row) => row.classList.contains('generated')), true);
    const styles = await page.$$eval(['#detail-tree .tree-row.generated', '#detail-tree .tree-row:not(.generated):not(.expert)'].join(','), (rows) => [...new Set(rows.map((row) => getComputedStyle(row).fontStyle + ' ' + getComputedStyle(row).color))]);
    assert.ok(styles.length >= 2, `generated fields are styled apart (${styles})`);
    // Expert info is coloured by severity (frame 1's SYN is a chat).
    const chat = page.locator('#detail-tree .tree-row.expert-chat').first();
    await expand(page, /^Flags: 0x002/);
    await expand(page, '= Syn: Set');
    assert.equal(await chat.isVisible(), true);
    assert.notEqual(await chat.evaluate((row) => getComputedStyle(row).backgroundColor), 'rgba(0, 0, 0, 0)');

    // Keyboard: from the list, Enter goes to the tree; ↑/↓ move, → opens, ← closes or goes up.
    await page.focus('#frame-grid');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'detail-tree');
    await page.keyboard.press('Home');
    assert.match(await selectedLabel(page), /^Frame 1: /);
    await page.keyboard.press('ArrowRight'); // opens Frame
    assert.equal(await page.getAttribute('#detail-tree > [role=treeitem]:first-child', 'aria-expanded'), 'true');
    await page.keyboard.press('ArrowRight'); // to its first child
    assert.match(await selectedLabel(page), /^Encapsulation type: /);
    await page.keyboard.press('ArrowDown');
    assert.match(await selectedLabel(page), /^Arrival Time: /);
    await page.keyboard.press('ArrowUp');
    assert.match(await selectedLabel(page), /^Encapsulation type: /);
    await page.keyboard.press('ArrowLeft'); // to the parent
    assert.match(await selectedLabel(page), /^Frame 1: /);
    await page.keyboard.press('ArrowLeft'); // closes it
    assert.equal(await page.getAttribute('#detail-tree > [role=treeitem]:first-child', 'aria-expanded'), 'false');
    await page.keyboard.press('Enter'); // toggles it open again
    assert.equal(await page.getAttribute('#detail-tree > [role=treeitem]:first-child', 'aria-expanded'), 'true');
    await page.keyboard.press('Enter');
    assert.equal(await page.getAttribute('#detail-tree > [role=treeitem]:first-child', 'aria-expanded'), 'false');
    const active = await page.getAttribute('#detail-tree', 'aria-activedescendant');
    assert.ok(active && (await page.getAttribute(`#${active}`, 'aria-selected')) === 'true', 'aria-activedescendant names the selected node');

    // Open and closed as the user left them, in the next frame: TCP and its options open, Frame closed.
    await chooseFrame(page, 2);
    assert.equal(await page.getAttribute('#detail-tree > [role=treeitem]:first-child', 'aria-expanded'), 'false');
    const tcp = treeRow(page, 'Transmission Control Protocol').locator('xpath=..');
    assert.equal(await tcp.getAttribute('aria-expanded'), 'true');
    assert.equal(await treeRow(page, 'Window scale: 7 (multiply by 128)').isVisible(), true);
    await treeRow(page, 'Transmission Control Protocol').locator('.twisty').click();
    await chooseFrame(page, 3);
    assert.equal(await treeRow(page, 'Transmission Control Protocol').locator('xpath=..').getAttribute('aria-expanded'), 'false');
  });
});

test('the bytes pane: the chosen field\'s bytes highlighted, a byte chooses its field', async () => {
  await withPage('/', async ({ page }) => {
    await openDemo(page);
    await chooseFrame(page, 1);
    assert.equal(await page.getAttribute('#bytes-view', 'translate'), 'no');
    // 76 bytes: 5 lines of 16, offsets in hex.
    const offsets = await page.$$eval('#bytes-view .bytes-line:not([hidden]) .offset', (cells) => cells.map((c) => c.textContent));
    assert.deepEqual(offsets, ['0000', '0010', '0020', '0030', '0040']);
    const first = await page.$$eval('#bytes-view .bytes-line:not([hidden]):first-child .hex > span', (cells) => cells.map((c) => c.textContent).join(' '));
    assert.equal(first, '00 00 00 01 00 06 00 0c 29 c2 89 0b 00 00 08 00', 'the Linux cooked header, as captured');

    await expand(page, 'Transmission Control Protocol');
    await expand(page, /^Options: /);
    await treeRow(page, 'Maximum segment size: 1460 bytes').click();
    assert.match(await selectedLabel(page), /Maximum segment size: 1460 bytes$/);
    const bytes = await highlighted(page);
    assert.deepEqual(bytes.map((b) => b.hex), ['02', '04', '05', 'b4'], 'exactly the option\'s 4 bytes: kind, length, 1460');
    const start = bytes[0].offset;
    assert.deepEqual(bytes.map((b) => b.offset), [start, start + 1, start + 2, start + 3]);
    assert.equal(await page.locator('#bytes-view .ascii .sel').count(), 4, 'and their 4 characters');

    // A byte chooses the deepest field that covers it (opening its parents), as in Wireshark:
    // the option's third byte is its MSS value.
    await treeRow(page, /^Options: /).locator('.twisty').click(); // close the options
    await page.click(`#bytes-view .hex [data-offset="${start + 2}"]`);
    assert.match(await selectedLabel(page), /^MSS Value: 1460$/);
    assert.deepEqual((await highlighted(page)).map((b) => b.offset), [start + 2, start + 3]);
    const chain = await page.$eval('#detail-tree [aria-selected="true"]', (item) => {
      const labels = [];
      for (let at = item.parentElement?.closest('[role=treeitem]'); at; at = at.parentElement?.closest('[role=treeitem]') ?? null) {
        labels.push(at.querySelector(':scope > .tree-row .label')?.textContent ?? '');
      }
      return labels;
    });
    assert.match(chain[0], /Maximum segment size: 1460 bytes$/, 'the chosen field is inside the MSS option');
    assert.match(chain[1], /^Options: /);
    // The option's first byte is its kind, inside the same option.
    await page.click(`#bytes-view .hex [data-offset="${start}"]`);
    assert.match(await selectedLabel(page), /^Kind: Maximum Segment Size \(2\)$/);
    // The ASCII column chooses too.
    await page.click(`#bytes-view .ascii [data-offset="${start + 3}"]`);
    assert.match(await selectedLabel(page), /^MSS Value: 1460$/);
  });
});

test('Follow TCP stream: both directions in order and in two colours, in ASCII, hex dump and raw; the list filtered to the stream', async () => {
  await withPage('/', async ({ page }) => {
    await openDemo(page);
    await chooseFrame(page, 4);
    assert.equal(await page.isEnabled('#follow-button'), true);
    await page.focus('#frame-grid');
    await page.keyboard.press('Control+Alt+Shift+T');
    await page.waitForSelector('#follow-dialog[open][data-state="ready"][data-format="ascii"]', { timeout: 20_000 });
    // As Wireshark: the list shows the stream, the frame still selected.
    await page.waitForFunction(() => document.getElementById('filter-bar')?.dataset.applied === 'tcp.stream == 0');
    assert.equal(await page.inputValue('#filter-input'), 'tcp.stream == 0');
    await page.waitForFunction(() => document.querySelector('.grid-body [aria-selected="true"] [aria-colindex="1"]')?.textContent === '4');

    const legend = (await page.textContent('#follow-dialog .follow-legend')) ?? '';
    assert.match(legend, /192\.168\.0\.50:58626 → 192\.168\.0\.52:8080: 97 bytes/);
    assert.match(legend, /192\.168\.0\.52:8080 → 192\.168\.0\.50:58626: 126 bytes/);
    const client = (await page.locator('#follow-dialog .follow-text .from-client').allTextContents()).join('');
    const server = (await page.locator('#follow-dialog .follow-text .from-server').allTextContents()).join('');
    assert.ok(client.startsWith('GET /hello?name=world HTTP/1.1\r\n'), client);
    assert.ok(server.startsWith('HTTP/1.1 200 '), server);
    assert.ok(server.endsWith('hello, world'), server);
    const text = (await page.textContent('#follow-dialog .follow-text')) ?? '';
    assert.ok(text.indexOf('GET /hello') < text.indexOf('HTTP/1.1 200'), 'in stream order');
    const colours = await page.$$eval('#follow-dialog .follow-text > span', (spans) => [...new Set(spans.map((s) => `${getComputedStyle(s).color} on ${getComputedStyle(s).backgroundColor}`))]);
    assert.equal(colours.length, 2, `two colours: ${colours}`);
    const swatches = await page.$$eval('#follow-dialog .follow-legend li', (items) => items.map((i) => getComputedStyle(i).color));
    assert.equal(new Set(swatches).size, 2, 'the legend in the same two colours');
    assert.equal(await page.locator('#follow-dialog .follow-text *:not(span)').count(), 0, 'payload is text only');

    await page.selectOption('#follow-dialog .follow-format', 'hex');
    await page.waitForSelector('#follow-dialog[data-state="ready"][data-format="hex"]');
    const hexClient = (await page.locator('#follow-dialog .follow-text .from-client').allTextContents()).join('');
    const hexServer = (await page.locator('#follow-dialog .follow-text .from-server').allTextContents()).join('');
    assert.match(hexClient, /47 45 54 20 2f 68 65 6c/i, 'GET /hel in a hex dump');
    assert.match(hexClient, /GET \/hel ?lo\?name=/, 'with its text beside it');
    assert.match(hexServer, /48 54 54 50 2f 31 2e 31/i, 'HTTP/1.1 in a hex dump');

    await page.selectOption('#follow-dialog .follow-format', 'raw');
    await page.waitForSelector('#follow-dialog[data-state="ready"][data-format="raw"]');
    const rawClient = (await page.locator('#follow-dialog .follow-text .from-client').allTextContents()).join('').replace(/\s/g, '');
    const rawServer = (await page.locator('#follow-dialog .follow-text .from-server').allTextContents()).join('').replace(/\s/g, '');
    assert.ok(rawClient.startsWith(Buffer.from('GET /hello?name=world HTTP/1.1\r\n').toString('hex')), rawClient);
    assert.ok(rawServer.endsWith(Buffer.from('hello, world').toString('hex')), rawServer);

    // One direction alone.
    await page.selectOption('#follow-dialog .follow-direction', 'server');
    assert.equal(await page.locator('#follow-dialog .follow-text .from-client').first().isVisible(), false);
    assert.equal(await page.locator('#follow-dialog .follow-text .from-server').first().isVisible(), true);

    await page.keyboard.press('Escape');
    await page.waitForSelector('#follow-dialog', { state: 'hidden' });
    // The same from the button, with the ladder open beside the list.
    await page.waitForSelector('#ladder-pane[data-state="ready"][data-stream="0"]', { timeout: 20_000 });
    await page.click('#follow-button');
    await page.waitForSelector('#follow-dialog[open][data-state="ready"][data-format="raw"]', { timeout: 20_000 });
    await page.click('#follow-dialog .follow-close');
    await page.waitForSelector('#follow-dialog', { state: 'hidden' });

    // And from the frame's context menu (right click, or Shift+F10 in the list).
    await page.click('#filter-clear');
    await page.waitForFunction(() => document.getElementById('filter-bar')?.dataset.applied === '');
    await page.click('.grid-body [role=row][aria-rowindex="7"]', { button: 'right' });
    await page.waitForSelector('#row-menu:not([hidden]) #menu-follow:not([disabled])', { timeout: 20_000 });
    assert.equal(await page.getAttribute('#row-menu', 'role'), 'menu');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'menu-follow');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#follow-dialog[open][data-state="ready"]', { timeout: 20_000 });
    await page.waitForFunction(() => document.getElementById('filter-bar')?.dataset.applied === 'tcp.stream == 0');
    await page.keyboard.press('Escape');
    await page.waitForSelector('#follow-dialog', { state: 'hidden' });
    await page.focus('#frame-grid');
    await page.keyboard.press('Shift+F10');
    await page.waitForSelector('#row-menu:not([hidden])');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'menu-details');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'detail-tree');
    assert.equal(await page.isHidden('#row-menu'), true);
  });
});

test('time formats change the Time column: since the first frame, since the previous frame, date and time of day, UTC', async () => {
  await withPage('/', async ({ page }) => {
    await openDemo(page);
    /** @param {string} format */
    const times = async (format) => {
      await page.selectOption('#time-format', format);
      await page.waitForFunction((wanted) => {
        const cell = document.querySelector('.grid-body [role=row][aria-rowindex="2"] [aria-colindex="2"]');
        return cell && (wanted === 'relative' ? cell.textContent === '0.000000' : cell.textContent !== '0.000000');
      }, format);
      await page.waitForFunction(() => !document.querySelector('.grid-body [role=row]:not([hidden]).pending'));
      return (await readAllRows(page)).slice(0, 3).map((row) => row.time);
    };
    assert.deepEqual(await times('relative'), ['0.000000', '0.000122', '0.000438']);
    assert.deepEqual(await times('absolute'), ['2024-09-18 15:01:32.461594', '2024-09-18 15:01:32.461716', '2024-09-18 15:01:32.462032'], 'the viewer\'s zone (Asia/Shanghai here)');
    assert.deepEqual(await times('utc'), ['2024-09-18 07:01:32.461594', '2024-09-18 07:01:32.461716', '2024-09-18 07:01:32.462032']);
    // Since the previous frame: 0 for the first.
    await page.selectOption('#time-format', 'delta');
    await page.waitForFunction(() => document.querySelector('.grid-body [role=row][aria-rowindex="4"] [aria-colindex="2"]')?.textContent === '0.000316');
    assert.deepEqual((await readAllRows(page)).slice(0, 3).map((row) => row.time), ['0.000000', '0.000122', '0.000316']);
    // The column is wide enough for a date.
    await page.selectOption('#time-format', 'utc');
    await page.waitForFunction(() => document.querySelector('.grid-body [role=row][aria-rowindex="2"] [aria-colindex="2"]')?.textContent?.startsWith('2024-'));
    const fits = await page.$eval('.grid-body [role=row][aria-rowindex="2"] [aria-colindex="2"]', (cell) => cell.scrollWidth <= cell.clientWidth);
    assert.ok(fits, 'the date is not cut');
    // The choice is kept: another capture opens with it.
    await page.reload();
    assert.equal(await page.inputValue('#time-format'), 'utc');
    await openDemo(page);
    await page.waitForFunction(() => document.querySelector('.grid-body [role=row][aria-rowindex="2"] [aria-colindex="2"]')?.textContent === '2024-09-18 07:01:32.461594');
  }, { locale: 'en-US', timezoneId: 'Asia/Shanghai' });
});

test('go to frame (Ctrl+G), the keyboard help (?), resizable columns kept across a reload', async () => {
  await withPage('/', async ({ page }) => {
    await openDemo(page);
    await page.focus('#frame-grid');
    await page.keyboard.press('Control+g');
    assert.equal(await page.isVisible('#goto-form'), true);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'goto-input');
    await page.keyboard.type('7');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('.grid-body [aria-selected="true"] [aria-colindex="1"]')?.textContent === '7');
    assert.equal(await page.isVisible('#goto-form'), false);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'frame-grid');
    await page.keyboard.press('Control+g');
    await page.keyboard.type('11');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /no frame 11/.test(document.getElementById('goto-note')?.textContent ?? ''));
    await page.keyboard.press('Escape');
    assert.equal(await page.isVisible('#goto-form'), false);

    // ? shows the shortcuts; Esc closes them.
    await page.focus('#frame-grid');
    await page.keyboard.press('?');
    await page.waitForSelector('#keys-dialog[open]');
    const keys = (await page.textContent('#keys-dialog')) ?? '';
    for (const key of ['Ctrl', 'PgUp', 'Home', 'End']) assert.ok(keys.includes(key), key);
    assert.match(keys, /Go to a frame by its number/);
    await page.keyboard.press('Escape');
    await page.waitForSelector('#keys-dialog', { state: 'hidden' });
    await page.click('#keys-button');
    await page.waitForSelector('#keys-dialog[open]');
    await page.click('#keys-close');
    await page.waitForSelector('#keys-dialog', { state: 'hidden' });

    // Dragging the Time header's right edge widens the column, rows and header alike.
    /** @param {number} column */
    const widths = (column) => page.evaluate((c) => ({
      head: document.querySelector(`.grid-head [aria-colindex="${c}"]`)?.getBoundingClientRect().width ?? 0,
      cell: document.querySelector(`.grid-body [role=row]:not([hidden]) [aria-colindex="${c}"]`)?.getBoundingClientRect().width ?? 0,
    }), column);
    // The default widths are compact and cut none of the tutorial's values nor any header; Info
    // takes the rest of the list's width.
    const cut = await page.$$eval('.grid-head [role=columnheader], .grid-body [role=row]:not([hidden]) [role=gridcell]:not([aria-colindex="7"])', (cells) =>
      cells.filter((cell) => cell.scrollWidth > cell.clientWidth).map((cell) => cell.textContent));
    assert.deepEqual(cut, [], 'cut cells');
    const list = await page.$eval('.grid-scroller', (scroller) => scroller.clientWidth);
    const info = (await widths(7)).head;
    assert.ok(list - info <= 520, `No. to Length take ${list - info} px of ${list}`);
    const before = await widths(2);
    const handle = await page.locator('.grid-head [aria-colindex="2"] .col-resizer').boundingBox();
    assert.ok(handle);
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(handle.x + handle.width / 2 + 60, handle.y + handle.height / 2, { steps: 5 });
    await page.mouse.up();
    await settle(page);
    const wider = await widths(2);
    assert.ok(Math.abs(wider.head - before.head - 60) <= 2, `the header is 60 px wider (${before.head} → ${wider.head})`);
    assert.ok(Math.abs(wider.cell - wider.head) <= 1, 'the rows follow the header');
    assert.ok(Math.abs(info - 60 - (await widths(7)).head) <= 2, 'Info gives up the 60 px: it takes the rest');
    assert.equal(await page.$eval('.grid-scroller', (scroller) => scroller.scrollWidth <= scroller.clientWidth), true, 'the list does not scroll sideways');
    // The keyboard too.
    await page.focus('.grid-head [aria-colindex="3"] .col-resizer');
    const source = (await widths(3)).head;
    await page.keyboard.press('ArrowRight');
    await settle(page);
    assert.ok((await widths(3)).head > source, 'ArrowRight widens the focused column');
    await page.reload();
    await openDemo(page);
    assert.ok(Math.abs((await widths(2)).head - wider.head) <= 1, 'the width is remembered');
    await page.dblclick('.grid-head [aria-colindex="2"] .col-resizer');
    await settle(page);
    assert.ok(Math.abs((await widths(2)).head - before.head) <= 1, 'a double click gives back the default widths');
  });
});

test('the splitter under the list: dragged, moved with ↑/↓, Home and End, kept after a reload, clamped in a smaller window', async () => {
  await withPage('/', async ({ page }) => {
    await openDemo(page);
    const separator = page.locator('#list-splitter');
    assert.equal(await separator.getAttribute('role'), 'separator');
    assert.equal(await separator.getAttribute('aria-orientation'), 'horizontal');
    assert.equal(await separator.getAttribute('aria-controls'), 'frames-pane');
    assert.equal(await separator.getAttribute('aria-label'), 'Resize the frame list');
    const heights = () => page.evaluate(() => {
      /** @param {string} id */
      const height = (id) => document.getElementById(id)?.getBoundingClientRect().height ?? 0;
      const handle = /** @type {HTMLElement} */ (document.getElementById('list-splitter'));
      return {
        list: height('frames-pane'),
        detail: height('detail-pane'),
        bytes: height('bytes-pane'),
        now: Number(handle.getAttribute('aria-valuenow')),
        min: Number(handle.getAttribute('aria-valuemin')),
        max: Number(handle.getAttribute('aria-valuemax')),
        text: handle.getAttribute('aria-valuetext'),
      };
    });
    const start = await heights();
    assert.equal(start.text, `Frame list ${Math.round(start.list)} px high`);

    // Dragged 40 px down: the list 40 px higher, the details and the bytes beside them lower.
    const box = await separator.boundingBox();
    assert.ok(box);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 + 40, { steps: 5 });
    await page.mouse.up();
    await settle(page);
    const dragged = await heights();
    assert.ok(Math.abs(dragged.list - start.list - 40) <= 2, `the list ${start.list} → ${dragged.list} px`);
    assert.ok(Math.abs(start.detail - dragged.detail - 40) <= 2 && Math.abs(dragged.bytes - dragged.detail) <= 1, `the details ${start.detail} → ${dragged.detail} px`);
    assert.ok(dragged.now > start.now);

    // The keyboard: ↑ 20 px, Home the list's smallest, End its largest (the details keep room).
    await separator.focus();
    await page.keyboard.press('ArrowUp');
    await settle(page);
    assert.ok(Math.abs((await heights()).list - (dragged.list - 20)) <= 1, '↑ lowers the list by 20 px');
    await page.keyboard.press('Home');
    await settle(page);
    const home = await heights();
    assert.ok(home.list >= 140 && home.list < dragged.list && home.now === home.min, `Home: ${home.list} px`);
    await page.keyboard.press('ArrowDown');
    await settle(page);
    assert.ok(Math.abs((await heights()).list - (home.list + 20)) <= 1, '↓ raises the list by 20 px');
    await page.keyboard.press('End');
    await settle(page);
    const end = await heights();
    assert.ok(end.list > dragged.list && end.detail >= 140 && end.now === end.max, `End: the list ${end.list} px, the details ${end.detail} px`);

    // Kept after a reload; in a smaller window the kept height is clamped, the details keep room.
    await page.reload();
    await openDemo(page);
    assert.ok(Math.abs((await heights()).list - end.list) <= 1, 'the height is remembered');
    await page.setViewportSize({ width: 1280, height: 560 });
    await page.reload();
    await page.click('#example-button');
    await waitForLoaded(page);
    await settle(page);
    const small = await heights();
    assert.ok(small.list < end.list && small.detail >= 140 && small.now <= small.max, `in a smaller window: the list ${small.list} px, the details ${small.detail} px`);
    const { scrollHeight, clientHeight } = await page.evaluate(() => ({ scrollHeight: document.documentElement.scrollHeight, clientHeight: document.documentElement.clientHeight }));
    assert.ok(scrollHeight <= clientHeight, 'the page still fits the window');
    await page.setViewportSize({ width: 1280, height: 720 });
    await settle(page);
    assert.ok(Math.abs((await heights()).list - end.list) <= 1, 'back in the larger window, the height kept');
    // A double click: the stylesheet's height again.
    await page.dblclick('#list-splitter');
    await settle(page);
    assert.ok(Math.abs((await heights()).list - start.list) <= 1, 'a double click gives back the default height');
  });
});

test('the view in the address\'s hash: filter and frame restored after a reload and re-opening the file; another file starts afresh', async () => {
  await withPage('/?lang=en', async ({ page }) => {
    await openDemo(page);
    assert.equal(new URL(page.url()).hash, '', 'nothing to say yet');
    assert.equal(await applyFilter(page, 'http'), 'valid');
    await chooseFrame(page, 6);
    await page.waitForFunction(() => location.hash === '#filter=http&frame=6');
    const entries = await page.evaluate(() => history.length);
    await chooseFrame(page, 4);
    await page.waitForFunction(() => location.hash === '#filter=http&frame=4');
    assert.equal(await page.evaluate(() => history.length), entries, 'no history entry per change');
    assert.equal(new URL(page.url()).search, '?lang=en', 'the query is left alone');

    // Reload, open the same file: the same view.
    await page.reload();
    assert.equal(new URL(page.url()).hash, '#filter=http&frame=4');
    await page.setInputFiles('#file-input', DEMO);
    await waitForLoaded(page);
    await page.waitForFunction(() => document.getElementById('filter-bar')?.dataset.applied === 'http');
    assert.equal(await page.inputValue('#filter-input'), 'http');
    await waitForDetail(page, 4);
    await page.waitForFunction(() => document.querySelector('.grid-body [aria-selected="true"] [aria-colindex="1"]')?.textContent === '4');
    assert.deepEqual(await listed(page), [4, 6]);

    // A connection: its filter and its stream.
    await page.click('#conversations tbody tr td:nth-child(3)');
    await page.waitForSelector('#ladder-pane[data-state="ready"][data-stream="0"]', { timeout: 20_000 });
    await page.waitForFunction(() => location.hash === '#filter=tcp.stream%20%3D%3D%200&stream=0');
    // Re-opening the same file (here: the example again) keeps it.
    await page.click('#example-button');
    await waitForLoaded(page);
    await page.waitForSelector('#ladder-pane[data-state="ready"][data-stream="0"]', { timeout: 20_000 });
    assert.equal(await page.inputValue('#filter-input'), 'tcp.stream == 0');
  });

  // Straight from an address: a hosted capture, a filter and a frame.
  await withPage('/?capture=www/examples/demo.pcap#filter=tcp.flags.fin%20%3D%3D%201&frame=9', async ({ page }) => {
    await waitForLoaded(page);
    await page.waitForFunction(() => document.getElementById('filter-bar')?.dataset.applied === 'tcp.flags.fin == 1', undefined, { timeout: 20_000 });
    await waitForDetail(page, 9);
    assert.deepEqual(await listed(page), [8, 9]);
    assert.deepEqual((await visibleRows(page)).filter((row) => row.selected).map((row) => row.cells[0]), ['9']);
    // Another file: a fresh view, and the hash says so.
    await page.setInputFiles('#file-input', { name: 'other.pcap', mimeType: 'application/octet-stream', buffer: (await import('node:fs')).readFileSync(DEMO) });
    await waitForLoaded(page);
    assert.equal(new URL(page.url()).hash, '');
    assert.equal(await page.inputValue('#filter-input'), '');
    assert.equal((await listed(page)).length, 10);
  });
});

test('a million frames: the list scrolls to the last frame with End and with Ctrl+G, filters and details still answer', async (t) => {
  const file = generatedCapture(t, 'million.pcap', 1_000_000, 1);
  if (!file) return;
  await withPage('/', async ({ page }) => {
    await page.setInputFiles('#file-input', file);
    // While the file is still read, the frames read so far are listed.
    await page.waitForFunction(
      () => document.body.dataset.state === 'reading' && document.querySelector('.grid-body [role=row][aria-rowindex="2"]:not(.pending)'),
      undefined,
      { timeout: 120_000 },
    );
    const soFar = Number(await page.getAttribute('#frame-grid', 'aria-rowcount')) - 1;
    assert.ok(soFar > 0 && soFar < 1_000_000, `${soFar} frames listed while reading`);
    assert.equal(await page.isVisible('#conversations-reading'), true, 'the conversations wait for the whole capture');
    const early = (await visibleRows(page)).find((row) => row.index === 2);
    await waitForLoaded(page, 240_000);
    await page.waitForFunction(() => !document.querySelector('.grid-body [role=row]:not([hidden]).pending'), undefined, { timeout: 30_000 });
    const final = (await visibleRows(page)).find((row) => row.index === 2);
    assert.deepEqual(early?.cells, final?.cells, "the first frame's row read early is its final row");
    assert.equal(await page.isVisible('#conversations-reading'), false);
    const total = Number(await page.getAttribute('#frame-grid', 'aria-rowcount')) - 1;
    assert.ok(total >= 1_000_000, `${total} frames`);
    assert.ok((await page.locator('.grid-body [role=row]').count()) < 100, 'only the rows in view are in the DOM');

    /** The selected row, once drawn. */
    const selected = async () => {
      await settle(page);
      await page.waitForFunction(() => !document.querySelector('.grid-body [role=row]:not([hidden]).pending'), undefined, { timeout: 30_000 });
      return (await visibleRows(page)).filter((row) => row.selected).map((row) => row.cells[0]);
    };
    await page.focus('#frame-grid');
    await page.keyboard.press('End');
    assert.deepEqual(await selected(), [String(total)], 'End shows the last frame');
    const last = await page.locator('.grid-body [aria-selected="true"]').boundingBox();
    const view = await page.locator('.grid-scroller').boundingBox();
    assert.ok(last && view && last.y >= view.y - 1 && last.y + last.height <= view.y + view.height + 1, 'the last row is in view');
    await page.keyboard.press('Home');
    assert.deepEqual(await selected(), ['1']);

    for (const number of [999_999, 500_000, total]) {
      await page.keyboard.press('Control+g');
      await page.fill('#goto-input', String(number));
      await page.press('#goto-input', 'Enter');
      await page.waitForSelector('#goto-form', { state: 'hidden' });
      assert.deepEqual(await selected(), [String(number)], `Ctrl+G ${number}`);
    }
    await page.keyboard.press('PageUp');
    const up = Number((await selected())[0]);
    assert.ok(up < total && up > total - 100, `PageUp from the last frame (${up})`);
    await waitForDetail(page, up);

    // A filter over every frame, and back.
    assert.equal(await applyFilter(page, 'tcp.flags.syn == 1 && tcp.flags.ack == 0'), 'valid');
    const shown = Number(await page.getAttribute('#frame-grid', 'aria-rowcount')) - 1;
    assert.ok(shown > 0 && shown < total, `${shown} SYNs`);
    assert.equal(await applyFilter(page, ''), 'empty');
    assert.equal(Number(await page.getAttribute('#frame-grid', 'aria-rowcount')) - 1, total);
  });
});

test('on a phone (390×844, portrait) the list, the details and the bytes stack, full width, in that order', async () => {
  await withPage('/', async ({ page }) => {
    await openDemo(page);
    /** @param {string} selector */
    const box = async (selector) => {
      const found = await page.locator(selector).boundingBox();
      assert.ok(found, `${selector} is shown`);
      return found;
    };
    const width = await page.evaluate(() => document.documentElement.clientWidth);
    const list = await box('#frames-pane');
    const detail = await box('#detail-pane');
    const bytes = await box('#bytes-pane');
    for (const [name, pane] of /** @type {const} */ ([['list', list], ['details', detail], ['bytes', bytes]])) {
      assert.ok(Math.abs(pane.x) <= 1 && Math.abs(pane.width - width) <= 1, `the ${name} pane is full width (${pane.x}, ${pane.width} of ${width})`);
    }
    assert.ok(detail.y >= list.y + list.height - 1, 'the details below the list');
    assert.ok(bytes.y >= detail.y + detail.height - 1, 'the bytes below the details');
    assert.ok(detail.height >= 200 && bytes.height >= 150, `room for both (${detail.height}, ${bytes.height})`);
    const filter = await box('#filter-input');
    assert.ok(filter.x + filter.width <= width && filter.height >= 30, 'the filter field fits and can be touched');
    const { scrollWidth, clientWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
    assert.ok(scrollWidth <= clientWidth, `the page does not scroll sideways (${scrollWidth} in ${clientWidth})`);
    await page.screenshot({ path: join(tmpdir(), 'tcp-timeline-phone-panes.png'), fullPage: true });
  }, { locale: 'en-US', viewport: { width: 390, height: 844 } });
});
