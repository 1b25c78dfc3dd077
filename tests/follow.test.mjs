// @ts-check
// `tcp-timeline follow` against `tshark -q -z follow,tcp,FORMAT,N` on every capture: the first
// and the last TCP stream of each, in ASCII, hex dump and raw. The output must be identical
// except for the (capture, stream, format) triples listed in
// tests/expectations/follow-vs-tshark.tsv; a listed triple that now agrees must be removed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { CLI, DEMO, ROOT, allCaptures, cli, haveTshark } from './support/captures.mjs';

const EXPECTATIONS = join(ROOT, 'tests', 'expectations', 'follow-vs-tshark.tsv');
const FORMATS = ['ascii', 'hex', 'raw'];

/** @param {string} path @param {number} stream @param {string} format */
function tshark(path, stream, format) {
  const r = spawnSync('tshark', ['-r', path, '-q', '-z', `follow,tcp,${format},${stream}`], { encoding: 'latin1', maxBuffer: 1 << 28 });
  return r.stdout;
}

/** @param {string} path @param {number} stream @param {string} format */
function ours(path, stream, format) {
  const r = spawnSync(CLI, ['follow', path, '--stream', String(stream), `--${format}`], { encoding: 'latin1', maxBuffer: 1 << 28 });
  return r.stdout;
}

const skip = (!existsSync(CLI) && 'run ./build.sh build first') || (!haveTshark() && 'tshark is not installed');

test("the tutorial's stream 0 is followed exactly as tshark follows it", { skip }, () => {
  for (const format of FORMATS) assert.equal(ours(DEMO, 0, format), tshark(DEMO, 0, format), format);
  const ascii = ours(DEMO, 0, 'ascii');
  assert.match(ascii, /GET \/hello\?name=world HTTP\/1\.1\r\n/);
  assert.match(ascii, /\t126\nHTTP\/1\.1 200 \r\n/);
});

test('follow equals tshark on every capture but the listed differences', { skip }, () => {
  /** @type {Map<string, string>} (capture, stream, format) → how it differs */
  const listed = new Map(
    readFileSync(EXPECTATIONS, 'utf8')
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => {
        const fields = line.split('\t');
        return [fields.slice(0, 3).join('\t'), fields[3] ?? ''];
      }),
  );
  const differing = [];
  const agreeingButListed = [];
  const notOnlyCr = [];
  let compared = 0;
  for (const { file, path } of allCaptures()) {
    if (!existsSync(path)) continue;
    const summary = cli(['analyze', path]).stdout;
    const streams = (summary.match(/^TCP stream \d+:/gm) ?? []).length;
    if (streams === 0) continue;
    for (const stream of [...new Set([0, streams - 1])]) {
      for (const format of FORMATS) {
        compared += 1;
        const key = `${file}\t${stream}\t${format}`;
        const [mine, theirs] = [ours(path, stream, format), tshark(path, stream, format)];
        const same = mine === theirs;
        if (!same && !listed.has(key)) differing.push(key);
        if (same && listed.has(key)) agreeingButListed.push(key);
        // "cr": equal once tshark's lone carriage returns are written as we write them.
        if (!same && listed.get(key) === 'cr' && mine !== theirs.replace(/\r(?!\n)/g, '\\r')) notOnlyCr.push(key);
      }
    }
  }
  console.log(`# follow vs tshark: ${compared} comparisons, ${listed.size} listed differences`);
  assert.deepEqual(differing, [], 'new differences from tshark');
  assert.deepEqual(agreeingButListed, [], 'listed differences that now agree: remove them');
  assert.deepEqual(notOnlyCr, [], 'listed as differing only in carriage returns, but differing in more');
});
