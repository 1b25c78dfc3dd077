// @ts-check
// The CLI's text outputs never pass packet bytes that could drive a terminal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, cli } from './support/captures.mjs';
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
