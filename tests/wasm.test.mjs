// @ts-check
// The WebAssembly module the page uses (www/pkg), in Node: the worker's calls, two steps where
// the core asks for the file's bytes — rows, display filters (from the records, and reading
// the file again), a frame's detail tree and bytes, follow stream, time formats.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEMO, ROOT } from './support/captures.mjs';
import { unpackRows } from '../www/rowtable.js';
import { pcapOf, tcpFrame } from './support/browser.mjs';

const PKG = join(ROOT, 'www', 'pkg');
const skip = !existsSync(join(PKG, 'tcp_timeline_bg.wasm')) && 'run ./build.sh build first';

/** The module, loaded once. */
async function core() {
  const module = await import(pathToFileURL(join(PKG, 'tcp_timeline.js')).href);
  module.initSync({ module: readFileSync(join(PKG, 'tcp_timeline_bg.wasm')) });
  return module;
}

/**
 * A session that has read `file` in 1 KiB slices, and a reader of its byte ranges (as the
 * worker reads its File).
 * @param {any} Session
 * @param {Uint8Array} file
 */
function open(Session, file) {
  const session = new Session();
  for (let at = 0; at < file.length; at += 1024) session.push(file.subarray(at, at + 1024));
  session.finish();
  /** @param {Float64Array} spans */
  const read = (spans) => {
    const parts = [];
    for (let i = 0; i < spans.length; i += 2) parts.push(file.subarray(spans[i], spans[i + 1]));
    return Buffer.concat(parts);
  };
  return { session, read };
}

/** @param {any} session @param {(s: Float64Array) => Uint8Array} read */
function listed(session, read, count = 100) {
  const spans = session.row_spans(0, count);
  return unpackRows(session.rows(0, count, spans, read(spans)));
}

test('rows, display filters and their errors', { skip }, async () => {
  const { Session } = await core();
  const { session, read } = open(Session, readFileSync(DEMO));
  assert.equal(listed(session, read).length, 10);

  /** @param {string} text */
  const numbers = (text) => {
    const answer = session.set_display_filter(text);
    assert.equal(answer.error, undefined, `${text}: ${JSON.stringify(answer.error)}`);
    if (answer.needs_bytes) {
      for (;;) {
        const span = session.filter_span(64);
        if (span.length === 0) break;
        session.filter_feed(span, read(span));
      }
      session.filter_finish();
    }
    return listed(session, read).map((/** @type {any} */ row) => row.number);
  };
  assert.deepEqual(numbers('tcp.flags.fin == 1'), [8, 9]);
  assert.deepEqual(numbers('http'), [4, 6]);
  assert.deepEqual(numbers('http.request.method == "GET" || http.response.code == 200'), [4, 6]);
  assert.deepEqual(numbers('tcp.stream eq 0 and frame.number >= 9'), [9, 10]);
  // A field the records do not hold: the file is read again, in small slices here.
  assert.equal(session.set_display_filter('tcp.payload contains "hello"').needs_bytes, true);
  assert.deepEqual(numbers('tcp.payload contains "hello"'), [4, 6]);
  assert.deepEqual(numbers('ip.ttl == 64 && tcp.options.mss_val == 1460'), [1, 2]);
  assert.deepEqual(numbers(''), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

  const error = session.set_display_filter('tcp.flags.fin ==').error;
  assert.equal(error.message, 'Unexpected end of filter expression.');
  assert.deepEqual([error.start, error.end], [16, 16]);
  const bad = session.set_display_filter('ip.addr == 300.1.1.1').error;
  assert.match(bad.message, /300\.1\.1\.1/);
  assert.deepEqual([bad.start, bad.end], [11, 20]);
  // A wrong filter leaves the list as it was.
  assert.equal(listed(session, read).length, 10);
  session.free();
});

test("a frame's detail tree, its spans and its bytes", { skip }, async () => {
  const { Session } = await core();
  const { session, read } = open(Session, readFileSync(DEMO));
  const spans = session.detail_spans(1);
  const bytes = read(spans);
  const tree = session.detail(1, false, spans, bytes);
  const frame = session.frame_bytes(1, spans, bytes);
  assert.equal(frame.length, 76);
  assert.deepEqual(
    tree.map((/** @type {any} */ n) => n.label),
    [
      'Frame 1: 76 bytes on wire (608 bits), 76 bytes captured (608 bits)',
      'Linux cooked capture v1',
      'Internet Protocol Version 4, Src: 192.168.0.50, Dst: 192.168.0.52',
      'Transmission Control Protocol, Src Port: 58626, Dst Port: 8080, Seq: 0, Len: 0',
    ],
  );
  /** @type {any[]} */
  const all = [];
  const walk = (/** @type {any[]} */ nodes) => nodes.forEach((n) => (all.push(n), walk(n.children ?? [])));
  walk(tree);
  const scale = all.find((n) => n.label === 'TCP Option - Window scale: 7 (multiply by 128)');
  assert.ok(scale, 'the window scale option');
  const mss = all.find((n) => n.label === 'TCP Option - Maximum segment size: 1460 bytes');
  assert.equal(mss.span[1], 4);
  assert.deepEqual([...frame.subarray(mss.span[0], mss.span[0] + 4)], [2, 4, 0x05, 0xb4]);
  for (const n of all) if (n.span) assert.ok(n.span[0] + n.span[1] <= 76, n.label);

  // The response in frame 6 names its request and the full URI (the request's Host is read too).
  const responseSpans = session.detail_spans(6);
  const response = session.detail(6, true, responseSpans, read(responseSpans));
  /** @type {string[]} */
  const labels = [];
  const collect = (/** @type {any[]} */ nodes) => nodes.forEach((n) => (labels.push(n.label), collect(n.children ?? [])));
  collect(response);
  assert.ok(labels.includes('[Request in frame: 4]'), labels.join('\n'));
  assert.ok(labels.some((l) => l.startsWith('[Full request URI: http://192.168.0.52:8080/hello?name=world]')));
  // Checksums verified: the server's are wrong (offload on the capturing host).
  assert.ok(labels.some((l) => /Checksum: 0x[0-9a-f]+ incorrect/.test(l)), 'a bad TCP checksum');
  session.free();
});

test('follow stream and time formats', { skip }, async () => {
  const { Session } = await core();
  const { session, read } = open(Session, readFileSync(DEMO));
  const spans = session.follow_spans(0);
  const followed = session.follow(0, 'ascii', spans, read(spans));
  assert.equal(followed.client, '192.168.0.50:58626');
  assert.deepEqual(followed.bytes, { client_to_server: 97, server_to_client: 126 });
  assert.deepEqual(
    followed.chunks.map((/** @type {any} */ c) => [c.from_client, c.frame]),
    [[true, 4], [false, 6]],
  );
  assert.match(followed.chunks[0].text, /^GET \/hello\?name=world HTTP\/1\.1\r\n/);
  assert.match(followed.chunks[1].text, /hello, world$/);
  assert.match(session.follow(0, 'hex', spans, read(spans)).chunks[0].text, /^00000000 {2}47 45 54 20/);

  const times = (/** @type {string} */ format, offset = 0) => {
    session.set_time_format(format, offset);
    return listed(session, read, 2).map((/** @type {any} */ r) => r.time);
  };
  assert.deepEqual(times('relative'), ['0.000000', '0.000122']);
  assert.deepEqual(times('delta'), ['0.000000', '0.000122']);
  assert.deepEqual(times('utc'), ['2024-09-18 07:01:32.461594', '2024-09-18 07:01:32.461716']);
  assert.deepEqual(times('absolute', 480), ['2024-09-18 15:01:32.461594', '2024-09-18 15:01:32.461716']);
  assert.deepEqual(times('epoch'), ['1726642892.461594', '1726642892.461716']);
  assert.throws(() => session.set_time_format('sideways', 0), /unknown time format/);
  session.free();
});

test('the warm-up capture: the same bytes each time, a whole pcap of HTTP connections', { skip }, async () => {
  const { Session, warm_up_capture } = await core();
  const bytes = warm_up_capture(5000);
  assert.deepEqual(warm_up_capture(5000), bytes);
  const session = new Session();
  session.push(bytes);
  const summary = session.finish();
  assert.ok(summary.frames >= 5000 && summary.frames < 5100, `${summary.frames} frames`);
  assert.deepEqual(summary.problems, []);
  const table = session.connection_table();
  assert.ok(table.length > 100, `${table.length} connections`);
  session.free();
});

test('rows while the file is still being read', { skip }, async () => {
  const { Session } = await core();
  const file = readFileSync(DEMO);
  const session = new Session();
  session.expect_bytes(file.length);
  const frames = session.push(file.subarray(0, 600));
  assert.ok(frames > 0 && frames < 10, `${frames} frames from the first 600 bytes`);
  const spans = session.row_spans(0, 100);
  const bytes = Buffer.concat([...Array(spans.length / 2).keys()].map((i) => file.subarray(spans[2 * i], spans[2 * i + 1])));
  const early = unpackRows(session.rows(0, 100, spans, bytes));
  assert.equal(early.length, frames);
  assert.match(early[0].info, /^58626 → 8080 \[SYN\] Seq=0 Win=29200 Len=0 MSS=1460/);
  session.push(file.subarray(600));
  session.finish();
  const finalSpans = session.row_spans(0, 100);
  const final = unpackRows(session.rows(0, 100, finalSpans, Buffer.concat([...Array(finalSpans.length / 2).keys()].map((i) => file.subarray(finalSpans[2 * i], finalSpans[2 * i + 1])))));
  assert.deepEqual(early, final.slice(0, frames));
  session.free();
});

test('rows come as columns: text beyond ASCII (accents, emoji, CJK) keeps every piece in place', { skip }, async () => {
  const { Session } = await core();
  const requests = [
    Buffer.from('GET /caf\u00e9/\u{1F600}?q=\u4e2d HTTP/1.1\r\nHost: x\r\n\r\n'),
    Buffer.from('GET /\u00fcber HTTP/1.1\r\n\r\n'),
  ];
  const file = pcapOf(requests.map((payload, i) => {
    const frame = tcpFrame(payload);
    frame.writeUInt16BE(40000 + i, 34);
    return frame;
  }));
  const { session, read } = open(Session, file);
  const rows = listed(session, read);
  assert.equal(rows.length, 2);
  assert.equal(rows[0].info, 'GET /caf\u00e9/\u{1F600}?q=\u4e2d HTTP/1.1 ');
  assert.equal(rows[1].info, 'GET /\u00fcber HTTP/1.1 ');
  for (const [i, row] of rows.entries()) {
    assert.equal(row.number, i + 1);
    assert.equal(row.source, '10.0.0.1');
    assert.equal(row.destination, '10.0.0.2');
    assert.equal(row.protocol, 'HTTP');
    assert.equal(row.length, 54 + requests[i].length);
    assert.equal(typeof row.color, 'string');
  }
  assert.equal(rows[1].time, '0.001000');
  session.free();
});

test('what the finished analysis keeps, by part', { skip }, async () => {
  const { Session } = await core();
  const fresh = new Session();
  assert.equal(fresh.memory(), null, 'nothing to report before finish');
  fresh.free();
  const { session } = open(Session, readFileSync(DEMO));
  const parts = new Map(session.memory().parts);
  // Ten frames, ten TCP segments of one connection, one HTTP exchange.
  assert.ok(/** @type {number} */ (parts.get('frame records')) >= 10 * 20);
  assert.ok(/** @type {number} */ (parts.get('TCP segment records')) >= 10 * 24);
  assert.ok(/** @type {number} */ (parts.get('TCP connections')) > 0);
  assert.ok(/** @type {number} */ (parts.get('HTTP')) > 'GET /hello?name=world HTTP/1.1'.length);
  session.free();
});

test('read in one Worker or in two (a Reader\'s batches kept by a Session): the same frames, rows and connections, on every capture', { skip }, async () => {
  const { Session, Reader } = await core();
  const { allCaptures } = await import('./support/captures.mjs');
  const files = allCaptures().filter(({ path }) => existsSync(path));
  assert.ok(files.length > 100, `${files.length} captures`);
  // Odd chunk sizes: records cut across chunks go with the batch of the chunk where they end.
  for (const [i, { file, path }] of files.entries()) {
    const bytes = readFileSync(path);
    const chunk = [997, 4096, 65536, 1 << 20][i % 4];
    const one = new Session();
    const reader = new Reader();
    const two = new Session();
    one.expect_bytes(bytes.length);
    two.expect_bytes(bytes.length);
    let buffer = new Uint8Array(0);
    for (let at = 0; at < bytes.length && !reader.stopped; at += chunk) {
      const piece = bytes.subarray(at, at + chunk);
      if (!one.stopped) one.push(piece);
      const size = reader.push(piece);
      if (buffer.length < size) buffer = new Uint8Array(size * 2);
      reader.copy_batch(buffer.subarray(0, size));
      two.push_batch(buffer.subarray(0, size));
    }
    assert.deepEqual(two.finish_batches(reader.finish()), one.finish(), `${file}: summary`);
    assert.equal(two.frames, one.frames, file);
    const read = (/** @type {Float64Array} */ spans) => {
      const parts = [];
      for (let s = 0; s < spans.length; s += 2) parts.push(bytes.subarray(spans[s], spans[s + 1]));
      return Buffer.concat(parts);
    };
    const count = Math.min(one.frames, 3000);
    const rows = (/** @type {any} */ session) => {
      const spans = session.row_spans(0, count);
      return unpackRows(session.rows(0, count, spans, read(spans)));
    };
    assert.deepEqual(rows(two), rows(one), `${file}: rows`);
    assert.deepEqual(two.connection_table(), one.connection_table(), `${file}: connections`);
    one.free();
    two.free();
  }
  // A damaged batch is refused with a message, not a crash.
  const session = new Session();
  assert.throws(() => session.push_batch(new Uint8Array([1, 2, 3])), /damaged at byte 0/);
  session.free();
});
