// @ts-check
// The WebAssembly core in Node, without a browser: reads FILE in 4 MiB chunks into a Session,
// finish(), and prints one JSON line (told the file's size first, as the page's worker does):
//   {frames, bytes, init_ms, warm_ms, read_ms, wasm_memory_before, wasm_memory, rss, kept, kept_parts}
// Before the file, the core reads its warm-up capture as the page's worker does when it starts
// (warm_ms, not in read_ms). read_ms runs from the first read to finish()'s return (file reads
// included, as the page's worker reads slices of a File). wasm_memory_before is taken before
// the warm-up. wasm_memory is the module's memory.buffer.byteLength after
// finish (wasm memory never shrinks, so it is also its peak); rss is the process's RSS then.
// kept is what the finished analysis holds (Session.memory(): its lists' heap bytes), by part
// in kept_parts.
//
//   node bench/wasm-node.mjs FILE
import { closeSync, openSync, readFileSync, readSync, fstatSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WARM_UP_FRAMES } from '../www/core.js';

const CHUNK = 4 * 1024 * 1024;
const file = process.argv[2];
if (!file) {
  console.error('usage: node bench/wasm-node.mjs FILE');
  process.exit(2);
}

const pkg = new URL('../www/pkg/', import.meta.url);
const started = performance.now();
const { initSync, Session, warm_up_capture } = await import(new URL('tcp_timeline.js', pkg).href);
const wasm = initSync({ module: readFileSync(fileURLToPath(new URL('tcp_timeline_bg.wasm', pkg))) });
const initMs = performance.now() - started;
const memoryBefore = wasm.memory.buffer.byteLength;

// As the page's worker does when it starts: a small generated capture read, finished and
// tabled once, so that the engine optimises the core's functions (worker.js, warmUp); then
// a pause, for its background compilation, before the file.
const warmStarted = performance.now();
{
  const warming = new Session();
  warming.push(warm_up_capture(WARM_UP_FRAMES));
  warming.finish();
  warming.connection_table();
  warming.free();
}
const warmMs = performance.now() - warmStarted;
await new Promise((resolve) => setTimeout(resolve, 1000));

const t0 = performance.now();
const fd = openSync(file, 'r');
const size = fstatSync(fd).size;
const buffer = new Uint8Array(CHUNK);
const session = new Session();
// As the page's worker does: room for the records is made once the size per frame is known.
session.expect_bytes(size);
for (let done = 0; done < size; ) {
  const n = readSync(fd, buffer, 0, Math.min(CHUNK, size - done), done);
  if (n === 0) break;
  session.push(n === CHUNK ? buffer : buffer.subarray(0, n));
  done += n;
}
closeSync(fd);
const summary = session.finish();
const readMs = performance.now() - t0;
const memory = session.memory();

const result = {
  frames: summary.frames,
  bytes: size,
  problems: summary.problems.length,
  init_ms: initMs,
  warm_ms: warmMs,
  read_ms: readMs,
  wasm_memory_before: memoryBefore,
  wasm_memory: wasm.memory.buffer.byteLength,
  rss: process.memoryUsage().rss,
  kept: memory.parts.reduce((sum, [, bytes]) => sum + bytes, 0),
  kept_parts: Object.fromEntries(memory.parts),
};
session.free();
console.log(JSON.stringify(result));
