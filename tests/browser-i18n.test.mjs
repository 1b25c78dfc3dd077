// @ts-check
// The page in English and 简体中文, on a phone, and without layout jumps while it loads, in
// headless Chromium (./build.sh build first):   node --test tests/browser-i18n.test.mjs
//
// "No English left" is decided on what a reader meets: every visible text node, and every
// title, aria-label and placeholder of a visible element, outside [translate="no"] (packet and
// file data: frame rows, endpoints, the ladder's SVG, the core's explanations, the file name,
// display filters). Each is cut into words of Latin letters and digits; a word with two letters
// in a row is English unless it is one of TECHNICAL_TERMS, the same in both languages (colour
// codes such as #12272e are not words). The few places that still hold the Rust core's English
// are listed in CORE_ENGLISH, and each must say so with lang="en".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './support/captures.mjs';
import { browserSuite, dropFile, waitForRead } from './support/browser.mjs';


/**
 * Words that are the same in English and in 简体中文 text: protocol, flag and format names,
 * units (of sizes while reading and of larger captures' byte counts), product names, and the
 * two code names the page shows (a display filter field and Zeek's column).
 */
const TECHNICAL_TERMS = new Set([
  'TCP', 'UDP', 'HTTP', 'IPv4', 'ICMP', 'ICMPv6', 'ARP', 'SMB', 'NetBIOS', 'OSPF', 'BGP', 'TTL', 'ping',
  'SYN', 'ACK', 'FIN', 'RST',
  'pcap', 'pcapng', 'gzip', 'SVG', 'PNG', 'Mermaid', 'ASCII',
  'KiB', 'MiB', 'GiB', 'kB', 'MB', 'UTC',
  'Wireshark', 'WebAssembly',
  'tcp.stream', 'conn_state',
  // The name of Linux's "cooked" capture format (its link type), kept in Chinese texts too.
  'Linux', 'cooked',
]);

/**
 * Where the page shows text of the Rust core that stays English; each must carry lang="en".
 * (The capture's format, link types and problems are the core's too, in both languages.)
 */
const CORE_ENGLISH = [
  '#messages .message p[lang="en"]', // errors from the worker or the core (a failed read)
  '#filter-message[lang="en"]', // why the core refused a display filter, in Wireshark's English
  '.follow-note[lang="en"]', // why the worker could not follow a stream
];

const site = browserSuite();
const { withPage } = site;

/**
 * @typedef {{ where: string, text: string, lang: string, core: string | null }} ChromeText
 */

/**
 * Every text of the page's chrome a reader meets now: visible text nodes (a closed <select>
 * shows its chosen option), and title, aria-label and placeholder of visible elements; all
 * outside [translate="no"].
 * @param {import('playwright-core').Page} page
 * @returns {Promise<ChromeText[]>}
 */
function chromeTexts(page) {
  return page.evaluate((coreSelectors) => {
    /** @type {ChromeText[]} */
    const out = [];
    /** @param {Element} element */
    const visible = (element) => element.checkVisibility({ visibilityProperty: true });
    /** @param {Element} element */
    const describe = (element) => {
      const path = [];
      for (let at = /** @type {Element | null} */ (element); at && at !== document.body; at = at.parentElement) {
        if (at.id) {
          path.unshift(`#${at.id}`);
          break;
        }
        path.unshift(at.localName + [...at.classList].map((c) => `.${c}`).join(''));
      }
      return path.join(' > ');
    };
    /** @param {Element} element @param {string} text @param {string} suffix */
    const add = (element, text, suffix = '') => {
      if (!text.trim()) return;
      out.push({
        where: describe(element) + suffix,
        text: text.trim(),
        lang: element.closest('[lang]')?.getAttribute('lang') ?? '',
        core: coreSelectors.find((selector) => element.closest(selector)) ?? null,
      });
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest('[translate="no"], script, style, select')) continue;
      if (visible(parent)) add(parent, node.nodeValue ?? '');
    }
    for (const select of document.querySelectorAll('select')) {
      if (select.closest('[translate="no"]') || !visible(select)) continue;
      const chosen = select.selectedOptions[0];
      if (chosen) add(chosen, chosen.textContent ?? '', ' (chosen)');
    }
    for (const element of document.body.querySelectorAll('[title], [aria-label], [placeholder]')) {
      if (element.closest('[translate="no"]') || !visible(element)) continue;
      for (const name of ['title', 'aria-label', 'placeholder']) add(element, element.getAttribute(name) ?? '', `[${name}]`);
    }
    return out;
  }, CORE_ENGLISH);
}

/**
 * The English words of `text`: runs of Latin letters and digits (with the dots, hyphens and
 * underscores inside them, so "tcp.stream" and "IPv4" are one word) that hold two letters in a
 * row (not "2×"), and are not TECHNICAL_TERMS; colour codes (#faf0d7) are left out.
 * @param {string} text
 */
function englishWords(text) {
  return (text.replace(/#[0-9a-f]{6}\b/gi, '').match(/[A-Za-z0-9_][\w.'’-]*/g) ?? [])
    .map((word) => word.replace(/[.'’-]+$/, ''))
    .filter((word) => /[A-Za-z]{2}/.test(word) && !TECHNICAL_TERMS.has(word));
}

/**
 * Asserts that no chrome text holds an English word, but where CORE_ENGLISH allows it (marked
 * lang="en"); returns the texts checked.
 * @param {import('playwright-core').Page} page
 * @param {string} when
 */
async function assertNoEnglish(page, when) {
  const texts = await chromeTexts(page);
  assert.ok(texts.length > 0, `${when}: texts found`);
  const english = texts.filter((item) => !item.core && englishWords(item.text).length > 0);
  assert.deepEqual(english.map((item) => `${item.where}: ${item.text}`), [], `${when}: English left in the chrome`);
  for (const item of texts.filter((i) => i.core)) assert.equal(item.lang, 'en', `${item.where} (the core's English) says lang="en"`);
  return texts;
}

/**
 * Waits for the ladder pane to show stream `stream` in `lang`.
 * @param {import('playwright-core').Page} page
 * @param {number} stream
 * @param {string} lang
 */
async function waitForLadder(page, stream, lang) {
  await page.waitForSelector(`#ladder-pane[data-state="ready"][data-stream="${stream}"][data-lang="${lang}"]`, { timeout: 20_000 });
}

/**
 * Opens the tutorial's capture and chooses its connection, so the ladder shows.
 * @param {import('playwright-core').Page} page
 * @param {string} lang
 */
async function openTutorialLadder(page, lang) {
  await page.click('#example-button');
  assert.equal(await waitForRead(page), 'loaded');
  await page.click('#conversations tbody tr td:nth-child(3)');
  await waitForLadder(page, 0, lang);
}

/**
 * Chooses `lang` in the header's switch and waits until the page is drawn in it.
 * @param {import('playwright-core').Page} page
 * @param {'en' | 'zh'} lang
 */
async function switchTo(page, lang) {
  await page.selectOption('#page-lang', lang);
  await page.waitForFunction((tag) => document.documentElement.lang === tag, lang === 'zh' ? 'zh-Hans' : 'en');
  if (await page.isVisible('#ladder-pane')) await waitForLadder(page, 0, lang);
}

test('the locale files: the same keys and parameters in both, and every key the page uses exists', async () => {
  /** @type {Record<string, unknown>} */
  const en = (await import('../www/locales/en.js')).default;
  /** @type {Record<string, unknown>} */
  const zh = (await import('../www/locales/zh.js')).default;
  // rule.<id>.* translate the core's English names of the colouring rules: only 简体中文 has them.
  const zhKeys = Object.keys(zh).filter((key) => !key.startsWith('rule.'));
  assert.deepEqual(zhKeys.sort(), Object.keys(en).sort());
  /** @param {unknown} entry */
  const params = (entry) => {
    const forms = typeof entry === 'string' ? [entry] : Object.values(/** @type {object} */ (entry));
    return [...new Set(forms.flatMap((form) => [...String(form).matchAll(/\{(\w+)\}/g)].map((m) => m[1])))].sort();
  };
  for (const key of Object.keys(en)) assert.deepEqual(params(zh[key]), params(en[key]), `parameters of ${key}`);

  // Keys in the page's files: every quoted string of a key's form ("status.read") whose first
  // part names a group of the dictionary must be a key, and every key must be written somewhere
  // (whole, or as the start of a template: `problem.${kind}`).
  const files = ['index.html', ...readdirSync(join(ROOT, 'www')).filter((f) => /\.(js|html)$/.test(f)).map((f) => join('www', f))];
  const groups = new Set(Object.keys(en).map((key) => key.split('.')[0]));
  const written = new Set();
  const prefixes = new Set();
  for (const file of files) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    for (const match of text.matchAll(/['"`]([a-z][\w-]*(?:\.[\w-]+)*)['"`]/g)) written.add(match[1]);
    for (const match of text.matchAll(/`([a-z][\w-]*\.(?:[\w-]+\.)*)\$\{/g)) prefixes.add(match[1]);
  }
  const fileName = /\.(js|html|css|wasm)$/;
  const missing = [...written].filter((key) => key.includes('.') && groups.has(key.split('.')[0]) && !fileName.test(key) && !(key in en) && !(key in zh));
  assert.deepEqual(missing, [], 'keys written in the page but missing from www/locales/');
  const unused = Object.keys(en).filter((key) => !written.has(key) && ![...prefixes].some((prefix) => key.startsWith(prefix)));
  assert.deepEqual(unused, [], 'keys of www/locales/en.js used nowhere');
});

test('switching to 简体中文 changes every text of the chrome, live; back to English restores it; the choice survives a reload', async () => {
  await withPage('/', async ({ page }) => {
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await page.inputValue('#page-lang'), 'en');
    const emptyEnglish = await chromeTexts(page);
    await openTutorialLadder(page, 'en');
    await page.click('#legend-button'); // the legend is checked too
    const english = await chromeTexts(page);
    // The check sees English where there is English: most of the chrome is flagged now.
    const flagged = english.filter((item) => !item.core && englishWords(item.text).length > 0);
    assert.ok(flagged.length > 40, `English chrome texts found before the switch (${flagged.length})`);
    for (const where of ['#example-button', '#legend-button', '#ladder-svg', '#status', '#conversations-title', '#frames-pane[aria-label]']) {
      assert.ok(flagged.some((item) => item.where.startsWith(where)), `${where} is checked`);
    }

    await switchTo(page, 'zh');
    assert.equal(await page.inputValue('#ladder-lang'), 'zh', 'the ladder follows the page');
    assert.match((await page.textContent('#ladder-view')) ?? '', /三次握手/);
    const chinese = await assertNoEnglish(page, 'after the switch');
    assert.equal(chinese.length, english.length, 'the same texts, in the other language');
    assert.match((await page.textContent('#status')) ?? '', /显示 10 \/ 10 帧/);
    assert.match((await page.textContent('#ladder-explanation')) ?? '', /点击箭头/);

    // Texts drawn later are in 简体中文 too: a chosen frame, the drop overlay.
    await page.click('.grid-body [role=row][aria-rowindex="5"]');
    await page.waitForFunction(() => /第 4 帧/.test(document.getElementById('status')?.textContent ?? ''));
    const dataTransfer = await page.evaluateHandle(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['x'], 'x.pcap'));
      return transfer;
    });
    await page.dispatchEvent('main', 'dragenter', { dataTransfer });
    assert.equal(await page.isVisible('#drop-overlay'), true);
    await assertNoEnglish(page, 'a frame chosen, a file dragged over');
    await page.dispatchEvent('main', 'dragleave', { dataTransfer });
    await page.waitForSelector('#drop-overlay', { state: 'hidden' });
    await page.screenshot({ path: join(tmpdir(), 'tcp-timeline-zh.png') });

    // The ladder's language can still be set apart from the page's.
    await page.selectOption('#ladder-lang', 'en');
    await waitForLadder(page, 0, 'en');
    assert.match((await page.textContent('#ladder-view')) ?? '', /three-way handshake/);
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-Hans');

    // Back to English: the ladder follows again, and every text is as it was.
    // The connection chosen again: no frame chosen in the ladder, its hint shows, as before.
    await page.click('#filter-clear');
    await page.waitForSelector('#ladder-pane', { state: 'hidden' });
    await page.click('#conversations tbody tr td:nth-child(3)');
    await switchTo(page, 'en');
    await waitForLadder(page, 0, 'en');
    assert.deepEqual(await chromeTexts(page), english);

    // The choice is saved: a reload opens in it.
    await switchTo(page, 'zh');
    await page.reload();
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-Hans');
    assert.equal(await page.inputValue('#page-lang'), 'zh');
    const emptyChinese = await assertNoEnglish(page, 'reloaded, before opening a file');
    assert.equal(emptyChinese.length, emptyEnglish.length);
    await switchTo(page, 'en');
    assert.deepEqual(await chromeTexts(page), emptyEnglish);
    await page.reload();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
  }, { locale: 'en-US' });
});

test('the frame list\'s tools, the details and bytes panes, go to frame and the keyboard help in 简体中文', async () => {
  await withPage('/', async ({ page }) => {
    await openTutorialLadder(page, 'zh');
    await assertNoEnglish(page, 'the tutorial\'s capture, a connection chosen');
    const checked = await chromeTexts(page);
    for (const where of ['#filter-input[placeholder]', '#filter-input[aria-label]', '#filter-apply', '#filter-count', '#time-format', '#goto-button', '#keys-button', '#detail-pane', '#detail-note', '#follow-button', '#bytes-title', 'span.col-resizer[aria-label]']) {
      assert.ok(checked.some((item) => item.where.includes(where)), `${where} is checked`);
    }
    // An empty filter field shows its placeholder.
    await page.click('#filter-clear');
    await page.waitForSelector('#ladder-pane', { state: 'hidden' });
    assert.equal(await page.getAttribute('#filter-input', 'placeholder'), '应用显示过滤器…');
    await assertNoEnglish(page, 'no filter');
    // Every time format, as chosen.
    for (const format of ['delta', 'delta_captured', 'absolute', 'utc', 'epoch', 'relative']) {
      await page.selectOption('#time-format', format);
      await assertNoEnglish(page, `time format ${format}`);
    }
    // A frame chosen: the details pane says what it does.
    await page.click('.grid-body [role=row][aria-rowindex="5"]');
    await assertNoEnglish(page, 'a frame chosen');
    // Its context menu.
    await page.click('.grid-body [role=row][aria-rowindex="5"]', { button: 'right' });
    await page.waitForSelector('#row-menu:not([hidden])');
    await assertNoEnglish(page, 'a frame\'s context menu');
    await page.keyboard.press('Escape');
    await page.waitForSelector('#row-menu', { state: 'hidden' });
    // Go to frame, with a number beyond the capture.
    await page.keyboard.press('Control+g');
    await page.fill('#goto-input', '99');
    await page.press('#goto-input', 'Enter');
    await page.waitForFunction(() => /99/.test(document.getElementById('goto-note')?.textContent ?? ''));
    assert.match((await page.textContent('#goto-note')) ?? '', /没有第 99 帧/);
    await assertNoEnglish(page, 'go to frame');
    await page.keyboard.press('Escape');
    // The keyboard help.
    await page.focus('#frame-grid');
    await page.keyboard.press('?');
    await page.waitForSelector('#keys-dialog[open]');
    await assertNoEnglish(page, 'the keyboard help');
    await page.keyboard.press('Escape');
    await page.waitForSelector('#keys-dialog', { state: 'hidden' });
    // Back to English: the same texts as before the switch.
    await switchTo(page, 'en');
    assert.match((await page.textContent('#keys-dialog')) ?? '', /Go to a frame by its number/);
  }, { locale: 'zh-CN' });
});

test('the core\'s answers in 简体中文 chrome: the detail tree, a refused filter, Follow TCP stream', async () => {
  await withPage('/', async ({ page }) => {
    await page.click('#example-button');
    assert.equal(await waitForRead(page), 'loaded');
    await page.click('.grid-body [role=row][aria-rowindex="5"]');
    await page.waitForSelector('#detail-pane[data-frame="4"]', { timeout: 20_000 });
    assert.match((await page.textContent('#detail-title')) ?? '', /第 4 帧/);
    await page.click('#detail-tree .tree-row >> nth=3');
    await assertNoEnglish(page, 'a field of frame 4 chosen');
    // A refused filter: the core's message (Wireshark's English, lang="en") under a Chinese label.
    await page.fill('#filter-input', 'tcp.flags.fin ==');
    await page.press('#filter-input', 'Enter');
    await page.waitForSelector('#filter-bar[data-state="invalid"]', { timeout: 20_000 });
    assert.equal(await page.getAttribute('#filter-message', 'lang'), 'en');
    await assertNoEnglish(page, 'a refused filter');
    // Follow TCP stream: the legend, the choices and the formats.
    await page.click('#follow-button');
    await page.waitForSelector('#follow-dialog[data-state="ready"]', { timeout: 20_000 });
    assert.match((await page.textContent('#follow-dialog .follow-legend')) ?? '', /97 字节/);
    await assertNoEnglish(page, 'follow TCP stream');
    for (const format of ['hex', 'raw']) {
      await page.selectOption('#follow-dialog .follow-format', format);
      await page.waitForSelector(`#follow-dialog[data-state="ready"][data-format="${format}"]`);
      await assertNoEnglish(page, `follow TCP stream as ${format}`);
    }
    await page.selectOption('#follow-dialog .follow-direction', 'client');
    await assertNoEnglish(page, 'follow TCP stream, the client only');
  }, { locale: 'zh-CN' });
});

test('a zh-CN browser opens the page (and the embed example) in 简体中文; ?lang= chooses too, after a saved choice; the hash is left alone', async () => {
  await withPage('/', async ({ page }) => {
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-Hans');
    assert.equal(await page.inputValue('#page-lang'), 'zh');
    await assertNoEnglish(page, 'the empty page');
    await openTutorialLadder(page, 'zh');
    await assertNoEnglish(page, 'the tutorial\'s ladder');
  }, { locale: 'zh-CN' });

  await withPage('/www/embed-example.html', async ({ page }) => {
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-Hans');
    assert.match(await page.title(), /可嵌入的梯形图/);
    await assertNoEnglish(page, 'the embed example');
    await page.waitForSelector('tcp-timeline[data-state="ready"]', { timeout: 20_000 });
  }, { locale: 'zh-CN' });

  await withPage('/?lang=zh#stream=0', async ({ page }) => {
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-Hans', '?lang=zh beats the browser\'s English');
    await switchTo(page, 'en');
    assert.equal(new URL(page.url()).search, '?lang=en', 'the address follows the switch');
    assert.equal(new URL(page.url()).hash, '#stream=0', 'the hash is left alone');
    await page.goto(new URL('/?lang=zh', site.baseUrl).href);
    assert.equal(await page.getAttribute('html', 'lang'), 'en', 'the saved choice beats ?lang=');
  }, { locale: 'en-US' });
});

test('on a phone (390×844, portrait): the header wraps without overlap, the ladder is below the list, nothing scrolls sideways but the list', async () => {
  for (const colorScheme of /** @type {const} */ (['light', 'dark'])) {
    await withPage('/', async ({ page }) => {
      const viewport = 390;
      /** @param {string} selector */
      const box = async (selector) => {
        const found = await page.locator(selector).boundingBox();
        assert.ok(found, `${selector} is shown`);
        return found;
      };
      /** @param {string} when */
      const assertNoSidewaysScroll = async (when) => {
        const { scrollWidth, clientWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
        assert.ok(scrollWidth <= clientWidth, `${when}: the page is ${scrollWidth} px wide in ${clientWidth} px`);
      };
      await assertNoSidewaysScroll('empty');
      const controls = ['.brand', 'label[for="file-input"]', '#example-button', '.privacy', '#page-lang'];
      const boxes = await Promise.all(controls.map(box));
      boxes.forEach((a, i) => {
        assert.ok(a.x >= 0 && a.x + a.width <= viewport, `${controls[i]} within the width`);
        boxes.slice(i + 1).forEach((b, k) => {
          const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
          assert.ok(!overlap, `${controls[i]} and ${controls[i + 1 + k]} do not overlap`);
        });
      });
      for (const control of ['#example-button', 'label[for="file-input"]', '#page-lang']) {
        assert.ok((await box(control)).height >= 32, `${control} is big enough for a finger`);
      }

      await openTutorialLadder(page, 'en');
      const list = await box('#frames-pane');
      const ladder = await box('#ladder-pane');
      const width = await page.evaluate(() => document.documentElement.clientWidth);
      for (const [name, pane] of /** @type {const} */ ([['list', list], ['ladder', ladder]])) {
        assert.ok(Math.abs(pane.x) <= 1 && Math.abs(pane.width - width) <= 1, `the ${name} is full width (${pane.x}, ${pane.width} of ${width})`);
      }
      assert.ok(ladder.y >= list.y + list.height - 1, `the ladder (top ${ladder.y}) is below the list (bottom ${list.y + list.height})`);
      assert.ok(list.height >= 250, `the list keeps room (${list.height} px)`);
      await assertNoSidewaysScroll('with the ladder');
      // The list's own sideways scroll shows every column, the header along.
      const scrolled = await page.evaluate(() => {
        const scroller = /** @type {HTMLElement} */ (document.querySelector('.grid-scroller'));
        scroller.scrollLeft = scroller.scrollWidth;
        return { scroller: scroller.scrollLeft, wider: scroller.scrollWidth > scroller.clientWidth };
      });
      assert.ok(scrolled.wider && scrolled.scroller > 0, 'the list scrolls sideways');
      await page.waitForFunction(() => {
        const head = /** @type {HTMLElement} */ (document.querySelector('.grid-head'));
        return head.scrollLeft > 0 && head.scrollLeft === document.querySelector('.grid-scroller')?.scrollLeft;
      });
      await assertNoSidewaysScroll('the list scrolled sideways');

      // The header's new switch takes the theme's colours.
      const select = await page.$eval('#page-lang', (element) => {
        const style = getComputedStyle(element);
        return { background: style.backgroundColor, color: style.color };
      });
      assert.deepEqual(select, colorScheme === 'dark' ? { background: 'rgb(35, 39, 45)', color: 'rgb(227, 230, 234)' } : { background: 'rgb(255, 255, 255)', color: 'rgb(31, 35, 40)' });
      await switchTo(page, 'zh');
      await assertNoSidewaysScroll('in 简体中文');
      await page.screenshot({ path: join(tmpdir(), `tcp-timeline-phone-${colorScheme}.png`), fullPage: true });
    }, { viewport: { width: 390, height: 844 }, colorScheme, locale: 'en-US' });
  }
});

/**
 * The page's layout shift from load through opening the tutorial's capture: the sum of the
 * value of every `layout-shift` entry (PerformanceObserver, buffered, so the shifts before the
 * observer started count). Stricter than Web Vitals' CLS, which drops shifts within 500 ms of
 * an input and keeps the worst 5 s window: here the click on the button is the input, and the
 * whole of loading happens within those 500 ms, so every shift is counted, input or not.
 * @param {import('playwright-core').Page} page
 */
async function layoutShiftWhileLoading(page) {
  await page.evaluate(() => {
    const shifts = /** @type {{ value: number, hadRecentInput: boolean, sources: string[] }[]} */ ([]);
    Object.assign(window, { tcpTimelineShifts: shifts });
    new PerformanceObserver((list) => {
      for (const entry of /** @type {any[]} */ (list.getEntries())) {
        shifts.push({
          value: entry.value,
          hadRecentInput: entry.hadRecentInput,
          sources: (entry.sources ?? []).map((/** @type {any} */ s) => s.node?.id || s.node?.className || s.node?.nodeName || '?'),
        });
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
  await page.click('#example-button');
  assert.equal(await waitForRead(page), 'loaded');
  await page.waitForFunction(() => document.querySelectorAll('.grid-body [role=row]:not([hidden]):not(.pending)').length >= 10);
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 200)))));
  const shifts = /** @type {{ value: number, hadRecentInput: boolean, sources: string[] }[]} */ (await page.evaluate(() => /** @type {any} */ (window).tcpTimelineShifts));
  return { total: shifts.reduce((sum, s) => sum + s.value, 0), shifts };
}

test('no layout jumps while loading: the layout shift from load through opening the tutorial\'s capture is below 0.1', async () => {
  for (const options of [{ locale: 'en-US' }, { locale: 'zh-CN' }, { locale: 'en-US', viewport: { width: 390, height: 844 } }]) {
    await withPage('/', async ({ page }) => {
      const { total, shifts } = await layoutShiftWhileLoading(page);
      const where = `${JSON.stringify(options)}: ${JSON.stringify(shifts)}`;
      assert.ok(total < 0.1, `layout shift ${total.toFixed(4)} (${where})`);
      // Before the click nothing may move at all: the page is drawn in its language from the
      // first paint (www/page-lang.js blocks rendering until then).
      assert.deepEqual(shifts.filter((s) => !s.hadRecentInput), [], `shifts without input (${where})`);
    }, options);
  }
});

test('the core\'s texts about the capture in 简体中文: its format, its link type and what could not be read', async () => {
  const demo = readFileSync(join(ROOT, 'www', 'examples', 'demo.pcap'));
  const cut = demo.length - 20; // inside the last record's packet bytes
  await withPage('/?lang=zh', async ({ page }) => {
    await dropFile(page, { name: 'cut.pcap', bytes: demo.subarray(0, cut) });
    assert.equal(await waitForRead(page), 'loaded');
    assert.equal(await page.textContent('#info-format'), 'pcap（小端序，微秒）');
    assert.equal(await page.textContent('#info-links'), 'Linux cooked 抓包 v1 (113)');
    const message = (await page.textContent('#messages .message p')) ?? '';
    assert.match(message, new RegExp(`^抓包文件在第 ${cut} 字节处被截断：第 10 帧的记录从第 \\d+ 字节开始`));
    assert.match(message, /此前的 9 帧都已显示。$/);
    assert.equal(await page.getAttribute('#messages .message p', 'lang'), 'zh-Hans');
    await assertNoEnglish(page, 'a capture cut short');
    // Back in English, live.
    await switchTo(page, 'en');
    assert.equal(await page.textContent('#info-format'), 'pcap (little-endian, µs)');
    assert.equal(await page.textContent('#info-links'), 'Linux cooked capture v1 (113)');
    assert.match((await page.textContent('#messages .message p')) ?? '', new RegExp(`^The capture is cut short at byte ${cut}: frame 10's record starts`));
    assert.equal(await page.getAttribute('#messages .message p', 'lang'), 'en');
  });
});
