// @ts-check
// The page's small pure helpers, in Node (no browser):   node --test tests/page-units.test.mjs
// The view in the hash (www/hashstate.js), and the filter bar's reading of the core's
// character offsets and of a stream's filter (www/filterbar.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatHash, isEmpty, parseHash } from '../www/hashstate.js';
import { streamOfFilter, utf16Range } from '../www/filterbar.js';

test('the hash: a filter of any characters, a frame and a stream survive the round trip', () => {
  for (const filter of [
    'http',
    'tcp.stream == 0',
    'http.request.uri contains "a&b=c#d" && frame.len > 60',
    'tcp.payload contains "100%" || ip.addr == 10.0.0.1',
    'http.host == "例子.cn" and tcp.port in {80 443}',
    'frame contains "😀+"',
  ]) {
    const state = { filter, frame: 12, stream: 3 };
    const hash = formatHash(state);
    assert.ok(hash.startsWith('#filter='), hash);
    assert.ok(!/[\s#&"]/.test(hash.slice(1).replace(/&(frame|stream)=/g, '')), `encoded: ${hash}`);
    assert.deepEqual(parseHash(hash), state);
    assert.deepEqual(parseHash(hash.slice(1)), state, 'with or without its #');
  }
  assert.equal(formatHash({ filter: null, frame: null, stream: null }), '');
  assert.equal(formatHash({ filter: '', frame: 4, stream: null }), '#frame=4');
  assert.equal(formatHash({ filter: 'http', frame: null, stream: 0 }), '#filter=http&stream=0');
});

test('the hash: what is not a frame or stream number is ignored; an empty hash names nothing', () => {
  assert.deepEqual(parseHash('#frame=abc&stream=-1&filter='), { filter: '', frame: null, stream: null });
  assert.deepEqual(parseHash('#frame=1e3&stream=2.5'), { filter: null, frame: null, stream: null });
  assert.deepEqual(parseHash('#stream=0'), { filter: null, frame: null, stream: 0 });
  // A "+" written by hand is a space, as in a query.
  assert.equal(parseHash('#filter=tcp.port+%3D%3D+80').filter, 'tcp.port == 80');
  assert.equal(isEmpty(parseHash('')), true);
  assert.equal(isEmpty(parseHash('#filter=')), true);
  assert.equal(isEmpty(parseHash('#frame=1')), false);
});

test('the core counts characters, the DOM UTF-16 units: the range to mark', () => {
  // ASCII: the same.
  assert.deepEqual(utf16Range('ip.addr == 300.1.1.1', 11, 20), { from: 11, to: 20 });
  // An astral character before the range is one character but two UTF-16 units.
  const text = 'frame contains "😀" && ip.addr == 300.1.1.1';
  const { from, to } = utf16Range(text, 33, 42);
  assert.equal(text.slice(from, to), '300.1.1.1');
  // A point (an empty range) at the end.
  assert.deepEqual(utf16Range('tcp.flags.fin ==', 16, 16), { from: 16, to: 16 });
  // Out of range: clamped to the text.
  assert.deepEqual(utf16Range('abc', 2, 10), { from: 2, to: 3 });
});

test('a stream\'s filter, as the conversations table writes it (and as people type it)', () => {
  assert.equal(streamOfFilter('tcp.stream == 0'), 0);
  assert.equal(streamOfFilter('  tcp.stream==12 '), 12);
  assert.equal(streamOfFilter('tcp.stream eq 7'), 7);
  assert.equal(streamOfFilter('tcp.stream == 0 && http'), null);
  assert.equal(streamOfFilter('tcp.stream != 0'), null);
  assert.equal(streamOfFilter('udp.stream == 0'), null);
  assert.equal(streamOfFilter(''), null);
});
