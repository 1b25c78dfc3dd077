// @ts-check
// The large-file check (run by `./build.sh bench big`): writes a capture of several gigabytes
// and opens it in the page (bench/page.mjs), to show that a file far larger than the tab's
// memory streams through: the list appears while it is read, and the analysis finishes.
//
//   node bench/big.mjs FILE [--segments N] [--write-only]
//                                 write FILE (kept if it exists), then open it in the page
//
// The capture: one HTTP-port connection (handshake, then N full-size 1448-byte data segments
// from the client, an ACK for every second one); 3 000 000 segments make 4.66 GB and 4.5 M
// frames. Written in 8 MB blocks, so the generator itself stays small.
import { closeSync, existsSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
let file = '';
let segments = 3_000_000;
let writeOnly = false;
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === '--segments') segments = Number(args[++i]);
  else if (args[i] === '--write-only') writeOnly = true;
  else file = args[i];
}
if (!file || !Number.isSafeInteger(segments) || segments < 1) {
  console.error('usage: node bench/big.mjs FILE [--segments N] [--write-only]');
  process.exit(2);
}

const PAYLOAD = 1448;
const BLOCK = 8 << 20;

/** Writes the capture to `path` (through a temporary name, so a cut-short run leaves no file). */
function generate(path) {
  const partial = `${path}.partial`;
  const fd = openSync(partial, 'w');
  const block = Buffer.alloc(BLOCK);
  let used = 0;
  const flush = () => {
    writeSync(fd, block, 0, used);
    used = 0;
  };
  // pcap header: µs, Ethernet, snaplen 65535.
  used = block.writeUInt32LE(0xa1b2c3d4, 0);
  used = block.writeUInt16LE(2, used);
  used = block.writeUInt16LE(4, used);
  used = block.writeInt32LE(0, used);
  used = block.writeUInt32LE(0, used);
  used = block.writeUInt32LE(65535, used);
  used = block.writeUInt32LE(1, used);

  const client = [10, 0, 0, 1];
  const server = [10, 0, 0, 2];
  let micros = 1_700_000_000_000_000;
  let frames = 0;
  /**
   * @param {number[]} src @param {number[]} dst @param {number} sport @param {number} dport
   * @param {number} seq @param {number} ack @param {number} flags @param {number} payload
   */
  const segment = (src, dst, sport, dport, seq, ack, flags, payload) => {
    const length = 14 + 20 + 20 + payload;
    if (used + 16 + length > BLOCK) flush();
    micros += 10;
    frames += 1;
    let o = used;
    o = block.writeUInt32LE(Math.floor(micros / 1e6), o);
    o = block.writeUInt32LE(micros % 1e6, o);
    o = block.writeUInt32LE(length, o);
    o = block.writeUInt32LE(length, o);
    // Ethernet II, IPv4
    block.set([0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0x08, 0x00], o);
    o += 14;
    o = block.writeUInt8(0x45, o);
    o = block.writeUInt8(0, o);
    o = block.writeUInt16BE(20 + 20 + payload, o);
    o = block.writeUInt16BE(0, o);
    o = block.writeUInt16BE(0x4000, o);
    o = block.writeUInt8(64, o);
    o = block.writeUInt8(6, o);
    o = block.writeUInt16BE(0, o);
    block.set(src, o);
    block.set(dst, o + 4);
    o += 8;
    // TCP, no options
    o = block.writeUInt16BE(sport, o);
    o = block.writeUInt16BE(dport, o);
    o = block.writeUInt32BE(seq >>> 0, o);
    o = block.writeUInt32BE(ack >>> 0, o);
    o = block.writeUInt8(5 << 4, o);
    o = block.writeUInt8(flags, o);
    o = block.writeUInt16BE(65535, o);
    o = block.writeUInt32BE(0, o);
    block.fill(0, o, o + payload);
    used = o + payload;
  };
  const SYN = 0x02;
  const ACK = 0x10;
  segment(client, server, 40000, 80, 999, 0, SYN, 0);
  segment(server, client, 80, 40000, 4999, 1000, SYN | ACK, 0);
  segment(client, server, 40000, 80, 1000, 5000, ACK, 0);
  let seq = 1000;
  for (let i = 0; i < segments; i += 1) {
    segment(client, server, 40000, 80, seq, 5000, ACK, PAYLOAD);
    seq = (seq + PAYLOAD) % 2 ** 32;
    if (i % 2 === 1) segment(server, client, 80, 40000, 5000, seq, ACK, 0);
  }
  flush();
  closeSync(fd);
  renameSync(partial, path);
  return frames;
}

if (!existsSync(file)) {
  console.error(`bench/big.mjs: writing ${file} (${segments} data segments)`);
  const frames = generate(file);
  console.error(`bench/big.mjs: ${frames} frames, ${statSync(file).size} bytes`);
}
if (writeOnly) process.exit(0);
const page = fileURLToPath(new URL('./page.mjs', import.meta.url));
const run = spawnSync(process.execPath, [page, file], { stdio: 'inherit' });
process.exit(run.status ?? 1);
