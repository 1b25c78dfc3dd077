// @ts-check
// The CLI against tshark on every capture in ../shared/captures: frame count, timestamps,
// lengths, addresses, ports, TCP flags, raw seq/ack, TCP payload length and window.
// A difference is a failure unless tests/expectations/frames-vs-tshark.tsv lists it with its
// reason; an expectation that no longer happens fails too, so the file stays true.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, CLI, allCaptures, cli, haveTshark, tsharkFields } from './support/captures.mjs';

const FIELDS = [
  'frame.number', 'frame.time_epoch', 'frame.len', 'frame.cap_len',
  'ip.src', 'ip.dst', 'ipv6.src', 'ipv6.dst', '_ws.col.Source', '_ws.col.Destination',
  'tcp.srcport', 'tcp.dstport', 'tcp.flags', 'tcp.seq_raw', 'tcp.ack_raw', 'tcp.len', 'tcp.window_size_value',
];

const FLAG_NAMES = [[0x001, 'FIN'], [0x002, 'SYN'], [0x004, 'RST'], [0x008, 'PSH'], [0x010, 'ACK'],
  [0x020, 'URG'], [0x040, 'ECE'], [0x080, 'CWR'], [0x100, 'AE']];

/** @param {string} hex tshark's tcp.flags, e.g. 0x0012 */
function flagNames(hex) {
  const bits = parseInt(hex, 16);
  const names = FLAG_NAMES.filter(([bit]) => bits & /** @type {number} */ (bit)).map(([, n]) => n);
  // The three reserved bits, as Wireshark's Info names them.
  if (bits & 0xe00) names.push('Reserved');
  return names.length ? names.join(', ') : '<None>';
}

/** tshark prints epoch time with 9 decimals; ours has the capture's precision. */
function epochNanos(/** @type {string} */ s) {
  if (s === '') return '';
  const [secs, frac = ''] = s.split('.');
  return `${secs}.${frac.padEnd(9, '0')}`;
}

/** Known differences: file, frame ("*" for all), field, reason. */
function loadExpectations() {
  const path = join(ROOT, 'tests', 'expectations', 'frames-vs-tshark.tsv');
  /** @type {{ file: string, frame: string, field: string, reason: string, used: boolean }[]} */
  const out = [];
  if (!existsSync(path)) return out;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [file, frame, field, reason] = line.split('\t');
    assert.ok(reason && reason.length > 10, `expectation without a reason: ${line}`);
    out.push({ file, frame, field, reason, used: false });
  }
  return out;
}

const skip = !haveTshark() ? 'tshark is not installed' : !existsSync(CLI) ? 'run ./build.sh build first' : false;

test('frames equal tshark on every capture', { skip }, () => {
  const expectations = loadExpectations();
  const failures = [];
  let compared = 0;
  let agreed = 0;
  let files = 0;
  for (const { file, path } of allCaptures()) {
    if (!existsSync(path)) continue;
    files += 1;
    const ours = cli(['frames', path, '--json']);
    const theirs = tsharkFields(path, FIELDS);
    const cutShort = /cut short|contains record data that TShark doesn't support|appears to be damaged/.test(theirs.stderr);
    /** @type {any[]} */
    let frames = [];
    try {
      frames = JSON.parse(ours.stdout || '[]');
    } catch (e) {
      failures.push(`${file}: CLI output is not JSON (${e}); stderr: ${ours.stderr}`);
      continue;
    }
    const expected = (/** @type {string} */ frame, /** @type {string} */ field) =>
      expectations.find((x) => x.file === file && (x.frame === '*' || x.frame === frame) && (x.field === '*' || x.field === field));
    const check = (/** @type {string} */ frame, /** @type {string} */ field, /** @type {unknown} */ got, /** @type {unknown} */ want) => {
      compared += 1;
      if (got === want) {
        agreed += 1;
        return;
      }
      const x = expected(frame, field);
      if (x) {
        x.used = true;
        return;
      }
      failures.push(`${file} frame ${frame} ${field}: ours ${JSON.stringify(got)}, tshark ${JSON.stringify(want)}`);
    };
    check('*', 'count', frames.length, theirs.rows.length);
    if (cutShort) {
      // tshark stops at the damage; so must we, and we must say so.
      if (!/cut short|cannot be read|damaged|not a capture|skipped|reading stops/i.test(ours.stderr)) {
        failures.push(`${file}: tshark reports the file damaged, our CLI says nothing: ${ours.stderr}`);
      }
    }
    const n = Math.min(frames.length, theirs.rows.length);
    for (let i = 0; i < n; i++) {
      const f = frames[i];
      const [number, epoch, len, capLen, ipSrc, ipDst, ip6Src, ip6Dst, colSrc, colDst, sport, dport, flags, seq, ack, tcpLen, win] = theirs.rows[i];
      const no = number;
      check(no, 'number', String(f.number), number);
      check(no, 'ts', epochNanos(f.ts), epoch);
      check(no, 'len', String(f.len), len);
      check(no, 'cap_len', String(f.cap_len), capLen);
      // IP frames: the Source and Destination columns (for tunnels, the inner addresses, as
      // tshark's columns show them).
      if (ipSrc || ip6Src) {
        check(no, 'src', f.src, colSrc);
        check(no, 'dst', f.dst, colDst);
      }
      const t = f.tcp;
      if (sport || t) {
        check(no, 'tcp', Boolean(t), Boolean(sport));
        if (t && sport) {
          check(no, 'tcp.src_port', String(t.src_port), sport);
          check(no, 'tcp.dst_port', String(t.dst_port), dport);
          check(no, 'tcp.flags', t.flags, flagNames(flags));
          check(no, 'tcp.seq_raw', String(t.seq_raw), seq);
          check(no, 'tcp.ack_raw', String(t.ack_raw), ack);
          check(no, 'tcp.len', String(t.len), tcpLen);
          check(no, 'tcp.window', String(t.window), win);
        }
      }
    }
  }
  const stale = expectations.filter((x) => !x.used).map((x) => `${x.file} ${x.frame} ${x.field}`);
  const rate = compared ? ((100 * agreed) / compared).toFixed(3) : '0';
  console.log(`frames vs tshark: ${files} captures, ${agreed}/${compared} values agree (${rate}%), ${expectations.length - stale.length} documented differences used`);
  const listing = join(ROOT, 'target', 'frames-vs-tshark.differences.txt');
  writeFileSync(listing, failures.join('\n') + '\n');
  assert.deepEqual(failures.slice(0, 60), [], `${failures.length} undocumented differences with tshark (all listed in ${listing})`);
  assert.deepEqual(stale, [], 'documented differences that no longer happen: remove them from tests/expectations/frames-vs-tshark.tsv');
});

test('the CLI names the cut in a truncated capture and keeps every frame before it', { skip }, () => {
  const demo = readFileSync(join(ROOT, 'www', 'examples', 'demo.pcap'));
  const cut = 24 + 92 + 92 + 84 + 50; // 24-byte header, records of 16 + 76, 16 + 76, 16 + 68 bytes, then 50 bytes of frame 4
  const tmp = join(ROOT, 'target', 'demo-cut.pcap');
  writeFileSync(tmp, demo.subarray(0, cut));
  const r = cli(['frames', tmp, '--json']);
  assert.equal(r.status, 2);
  assert.equal(JSON.parse(r.stdout).length, 3);
  assert.match(r.stderr, /cut short at byte 342: frame 4's record starts at byte 292 and needs 181 bytes/);
});

test('the CLI says what a non-capture is, with a non-zero exit', { skip }, () => {
  const r = cli(['frames', join(ROOT, 'package.json')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /not a capture file: it starts with the bytes/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
});
