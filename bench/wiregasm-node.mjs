// @ts-check
// Wiregasm (Wireshark's dissection engine compiled to WebAssembly, npm @goodtools/wiregasm) in
// Node, for comparison with our page: loads FILE as its sharkd-like DissectSession does and
// prints one JSON line:
//   init_ms     loading the Emscripten module (68 MB of wasm, its data package) and init()
//   load_ms     from writing FILE into its virtual file system to DissectSession.load()'s return
//               (load dissects every frame, as sharkd's load does)
//   first_rows_ms  getFrames('', 0, 50) after load: the first page of the packet list
//   frames      summary.packet_count
//   wasm_memory its memory.buffer.byteLength after load (peak: wasm memory never shrinks)
//   rss         the process's RSS after load
//
//   node bench/wiregasm-node.mjs FILE
// Needs bench/node_modules/@goodtools/wiregasm (./build.sh bench installs it).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const file = process.argv[2];
if (!file) {
  console.error('usage: node bench/wiregasm-node.mjs FILE');
  process.exit(2);
}
const dist = fileURLToPath(new URL('./node_modules/@goodtools/wiregasm/dist/', import.meta.url));
const require = createRequire(import.meta.url);

/** @type {string[]} */
const errors = [];
const t0 = performance.now();
const loadWiregasm = require(`${dist}wiregasm.js`);
const lib = await loadWiregasm({
  locateFile: (/** @type {string} */ path) => `${dist}${path}`,
  print: () => {},
  handleStatus: () => {},
  // Wireshark logs at INFO level on stderr; keep only what looks like an error.
  printErr: (/** @type {string} */ line) => {
    if (/error|abort|fail/i.test(line) && !/\[DFilter INFO\]/.test(line)) errors.push(line);
  },
});
if (!lib.init()) throw new Error('wiregasm init() returned false');
const initMs = performance.now() - t0;

const t1 = performance.now();
const data = readFileSync(file);
const path = `${lib.getUploadDirectory()}/bench-capture`;
lib.FS.writeFile(path, data);
const session = new lib.DissectSession(path);
const loaded = session.load();
const loadMs = performance.now() - t1;
if (loaded.code !== 0) throw new Error(`wiregasm load failed: code ${loaded.code} ${loaded.error}`);

const t2 = performance.now();
const first = session.getFrames('', 0, 50);
const firstRowsMs = performance.now() - t2;
const firstRow = first.frames.size() > 0 ? first.frames.get(0).columns.get(6) : '';

console.log(
  JSON.stringify({
    version: lib.wiresharkVersion(),
    frames: loaded.summary.packet_count,
    bytes: data.length,
    init_ms: initMs,
    load_ms: loadMs,
    first_rows_ms: firstRowsMs,
    first_info: firstRow,
    wasm_memory: lib.HEAPU8.buffer.byteLength,
    rss: process.memoryUsage().rss,
    errors: errors.slice(0, 5),
  }),
);
session.delete();
process.exit(0);
