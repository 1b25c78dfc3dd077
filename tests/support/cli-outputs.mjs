// @ts-check
// Every output of the CLI on every shared and generated capture, written to a folder, so that a
// change meant to keep them (a refactoring, a faster path) can be checked byte for byte:
//
//   node tests/support/cli-outputs.mjs OUT_DIR       (with the CLI built: ./build.sh build)
//   ... change, rebuild ...
//   node tests/support/cli-outputs.mjs OUT_DIR2 && diff -r OUT_DIR OUT_DIR2
//
// Per capture: frames and analyze (text and --json, with their standard error and exit status),
// and for its first and last TCP stream the ladder (text, SVG and Mermaid, in English and
// 简体中文; folded and proportional; expanded) and follow (ASCII, hex dump, raw).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, allCaptures } from './captures.mjs';

const out = process.argv[2];
if (!out) {
  console.error('usage: node tests/support/cli-outputs.mjs OUT_DIR');
  process.exit(1);
}
if (!existsSync(CLI)) {
  console.error(`${CLI} is missing: run ./build.sh build`);
  process.exit(1);
}

/**
 * Runs the CLI and writes what it printed (bytes as they are) to OUT_DIR/<name>.
 * @param {string} name
 * @param {string[]} args
 */
function record(name, args) {
  const r = spawnSync(CLI, args, { maxBuffer: 1 << 30 });
  const path = join(out, name);
  writeFileSync(path, Buffer.concat([r.stdout, Buffer.from(`\n--- stderr (exit ${r.status}) ---\n`), r.stderr]));
  return r.stdout.toString('utf8');
}

let files = 0;
let outputs = 0;
for (const { file, path } of allCaptures()) {
  if (!existsSync(path)) continue;
  files += 1;
  const dir = join(out, file.replace(/\//g, '__'));
  mkdirSync(dir, { recursive: true });
  const rel = (/** @type {string} */ name) => join(file.replace(/\//g, '__'), name);
  record(rel('frames.txt'), ['frames', path]);
  record(rel('frames.json'), ['frames', path, '--json']);
  const analysis = record(rel('analyze.txt'), ['analyze', path]);
  record(rel('analyze.json'), ['analyze', path, '--json']);
  outputs += 4;
  const streams = (analysis.match(/^TCP stream \d+:/gm) ?? []).length;
  for (const stream of streams === 0 ? [] : [...new Set([0, streams - 1])]) {
    const s = ['--stream', String(stream)];
    for (const lang of ['en', 'zh']) {
      for (const form of ['text', 'svg', 'mermaid']) {
        record(rel(`ladder-${stream}-${lang}.${form}`), ['ladder', path, ...s, `--${form}`, '--lang', lang]);
        outputs += 1;
      }
    }
    record(rel(`ladder-${stream}-proportional.text`), ['ladder', path, ...s, '--proportional']);
    record(rel(`ladder-${stream}-expanded.svg`), ['ladder', path, ...s, '--svg', '--expand']);
    for (const format of ['ascii', 'hex', 'raw']) record(rel(`follow-${stream}.${format}`), ['follow', path, ...s, `--${format}`]);
    outputs += 5;
  }
}
console.log(`${outputs} outputs of ${files} captures written to ${out}`);
