// @ts-check
// The CLI's text outputs never pass packet bytes that could drive a terminal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, DEMO, cli } from './support/captures.mjs';
import { pcapOf, tcpFrame } from './support/browser.mjs';

test('control characters from packets are escaped in every text output', { skip: !existsSync(CLI) && 'run ./build.sh build first' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tcp-timeline-cli-'));
  try {
    const file = join(dir, 'escape.pcap');
    writeFileSync(file, pcapOf([tcpFrame(Buffer.from('GET /\x1b[2J\x1b]0;owned\x07 HTTP/1.1\r\nHost: x\r\n\r\n'))]));
    for (const args of [['frames', file], ['analyze', file], ['ladder', file, '--text']]) {
      const r = cli(args);
      assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.ok(!/[\x00-\x08\x0b-\x1f\x7f]/.test(r.stdout), `${args[0]} printed a control character: ${JSON.stringify(r.stdout)}`);
      assert.match(r.stdout, /\\u\{1b\}\[2J/, `${args[0]} shows the escape`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('memory: what the analysis keeps, by part, adding up to its total', { skip: !existsSync(CLI) && 'run ./build.sh build first' }, () => {
  const r = cli(['memory', DEMO]);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines[0], '10 frames');
  /** @type {Map<string, number>} */
  const parts = new Map();
  for (const line of lines.slice(1)) {
    const m = /^(.+?)\s+(\d+)\s+([\d.]+) bytes\/frame$/.exec(line);
    assert.ok(m, `a part and its bytes: ${JSON.stringify(line)}`);
    parts.set(m[1], Number(m[2]));
    assert.equal(Number(m[3]), Math.round((Number(m[2]) / 10) * 100) / 100, line);
  }
  const total = /** @type {number} */ (parts.get('total'));
  parts.delete('total');
  assert.equal([...parts.values()].reduce((a, b) => a + b, 0), total);
  // Ten frame records of 20 bytes and ten TCP segment records of 24, shrunk to fit.
  assert.equal(parts.get('frame records'), 200);
  assert.equal(parts.get('TCP segment records'), 240);
  assert.ok(/** @type {number} */ (parts.get('HTTP')) > 0);
  assert.equal(cli(['memory']).status, 1, 'a FILE is needed');
});
