// @ts-check
// Where the test captures are, and how to run the CLI and tshark on them.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHARED = process.env.TCP_TIMELINE_SHARED ?? resolve(ROOT, '..', 'shared');
export const CAPTURES = join(SHARED, 'captures');
export const CLI = join(ROOT, 'target', 'release', 'tcp-timeline');
export const DEMO = join(CAPTURES, 'seed', 'demo.pcap');

/**
 * Every capture: the tutorial's, then the public ones in MANIFEST.tsv order.
 * @returns {{ file: string, path: string, manifest: Record<string, string> }[]}
 */
export function allCaptures() {
  const out = [{ file: 'seed/demo.pcap', path: DEMO, manifest: {} }];
  out.push(...syntheticCaptures());
  const manifestPath = join(CAPTURES, 'public', 'MANIFEST.tsv');
  if (!existsSync(manifestPath)) return out;
  const [head, ...lines] = readFileSync(manifestPath, 'utf8').trimEnd().split('\n');
  const names = head.split('\t');
  for (const line of lines) {
    const cells = line.split('\t');
    /** @type {Record<string, string>} */
    const manifest = Object.fromEntries(names.map((n, i) => [n, cells[i] ?? '']));
    out.push({ file: `public/${manifest.file}`, path: join(CAPTURES, 'public', manifest.file), manifest });
  }
  return out;
}

/**
 * The generator's captures (`tcp-timeline generate`), made once per run under target/synth:
 * 20 000 frames of HTTP/1.1 with keep-alive, resets, port reuse, loss and zero windows, as pcap
 * and as pcapng; and downloads whose capture missed segments of their bodies. Empty when the
 * CLI is not built.
 * @returns {{ file: string, path: string, manifest: Record<string, string> }[]}
 */
export function syntheticCaptures() {
  if (!existsSync(CLI)) return [];
  const dir = join(ROOT, 'target', 'synth');
  mkdirSync(dir, { recursive: true });
  return [
    { name: 'http-mix-seed1.pcap', options: ['--frames', '20000', '--seed', '1'] },
    { name: 'http-mix-seed1.pcapng', options: ['--frames', '20000', '--seed', '1', '--pcapng'] },
    { name: 'lossy-download-seed1.pcap', options: ['--frames', '5000', '--seed', '1', '--shape', 'lossy-download'] },
  ].map(({ name, options }) => {
    const path = join(dir, name);
    if (!existsSync(path)) execFileSync(CLI, ['generate', path, ...options]);
    return { file: `synth/${name}`, path, manifest: {} };
  });
}

export const haveTshark = () => spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;

/**
 * Runs the CLI; returns stdout, stderr and the exit status.
 * @param {string[]} args
 */
export function cli(args) {
  const r = spawnSync(CLI, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/**
 * tshark -T fields for the given fields: one array of strings per frame (tshark's own text).
 * @param {string} path
 * @param {string[]} fields
 * @param {string[]} [extra] more tshark options
 * @returns {{ rows: string[][], stderr: string }}
 */
export function tsharkFields(path, fields, extra = []) {
  const args = ['-n', '-r', path, ...extra, '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=f'];
  for (const f of fields) args.push('-e', f);
  const r = spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  const rows = r.stdout === '' ? [] : r.stdout.replace(/\n$/, '').split('\n').map((l) => l.split('\t'));
  return { rows, stderr: r.stderr ?? '' };
}

export { execFileSync };

/**
 * Known differences from tests/expectations/NAME: tab-separated file, frame ("*" for all),
 * field ("*" for all), reason; blank lines and lines starting with "#" are comments.
 * Each entry has `used`, for the caller to find the stale ones.
 * @param {string} name
 * @returns {{ file: string, frame: string, field: string, reason: string, used: boolean }[]}
 */
export function loadExpectations(name) {
  const path = join(ROOT, 'tests', 'expectations', name);
  /** @type {{ file: string, frame: string, field: string, reason: string, used: boolean }[]} */
  const out = [];
  if (!existsSync(path)) return out;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [file, frame, field, reason] = line.split('\t');
    if (!reason || reason.length <= 10) throw new Error(`${name}: expectation without a reason: ${line}`);
    out.push({ file, frame, field, reason, used: false });
  }
  return out;
}

/**
 * A capture of `frames` frames made by the CLI's generator (`seed`), in a folder of its own
 * that is removed when test `t` ends; null, with `t` skipped, when the CLI is not built.
 * @param {import('node:test').TestContext} t
 * @param {string} name the file's name (.pcap)
 * @param {number} frames
 * @param {number} seed
 * @returns {string | null}
 */
export function generatedCapture(t, name, frames, seed) {
  if (!existsSync(CLI)) {
    t.skip(`${CLI} is absent: run ./build.sh build`);
    return null;
  }
  const dir = mkdtempSync(join(tmpdir(), 'tcp-timeline-generated-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, name);
  const made = spawnSync(CLI, ['generate', file, '--frames', String(frames), '--seed', String(seed)], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`the generator failed: ${made.stderr}`);
  return file;
}
