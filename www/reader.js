// @ts-check
/// <reference lib="webworker" />
// The reading Worker, started by the Worker that keeps a capture's analysis (worker.js): it
// reads the capture's file and decodes each frame's headers (the core's Reader), and sends
// what it read, a batch of bytes per piece of the file, to be kept there. The two Workers run
// at once, each on a core: reading and keeping are about even halves of the work.
//
// Messages in (from worker.js; typed in www/protocol.js):
//   { type: 'read', open: number, blob: Blob }   read this file (an earlier read stops)
//   { type: 'took', open: number, buffer: ArrayBuffer }   a batch was kept: room for another
//                                                (its buffer comes back, to be used again)
//   { type: 'stop', open: number }               stop reading this file
// Messages out:
//   { type: 'ready' }                            once the core is loaded
//   { type: 'batch', open, bytes: Uint8Array, done: number }   the frames of the file's next
//                                                bytes (`done`: bytes read so far)
//   { type: 'end', open, end: object }           how reading ended (for Session.finish_batches)
//   { type: 'error', open, message: string }

import { chunks, FIRST_PIECE, FIRST_SLICE, PIECE } from './chunks.js';
import { loadCore, WARM_UP_FRAMES } from './core.js';

/** Batches sent and not yet kept, at most: the keeping Worker is never far behind, and the
 * batches waiting for it take little memory. */
const AHEAD = 3;

/** @type {DedicatedWorkerGlobalScope} */
const scope = /** @type {DedicatedWorkerGlobalScope} */ (self);

/** The read being served; an older one stops at its next piece. */
let current = 0;
/** Batches of the current read sent and not yet kept. */
let ahead = 0;
/** @type {(() => void) | null} */
let wake = null;
/** Buffers for batches, used again and again (see Reader.copy_batch). */
/** @type {ArrayBuffer[]} */
const buffers = [];

/**
 * Sends `message` to the keeping Worker (`transfer`: buffers handed over, not copied).
 * @param {import('./protocol.js').FromReader} message
 * @param {Transferable[]} [transfer]
 */
function post(message, transfer = []) {
  scope.postMessage(message, transfer);
}

scope.onmessage = (event) => {
  /** @type {import('./protocol.js').ToReader} */
  const message = event.data;
  if (message.type === 'read') {
    current = message.open;
    ahead = 0;
    wake?.();
    const open = message.open;
    read(open, message.blob).catch((error) => {
      if (open === current) post({ type: 'error', open, message: error instanceof Error ? error.message : String(error) });
    });
  } else if (message.type === 'took') {
    if (message.buffer instanceof ArrayBuffer) buffers.push(message.buffer);
    if (message.open !== current) return;
    ahead -= 1;
    wake?.();
  } else if (message.type === 'stop' && message.open === current) {
    current = -1;
    wake?.();
  }
};

loadCore().then(
  ({ Reader, warm_up_capture }) => {
    // The core's reading, run once on a small capture before a file comes, so that the engine
    // has optimised it by then (worker.js warms the keeping part). Only a speed-up: the Worker
    // is ready whatever becomes of it.
    try {
      const bytes = warm_up_capture(WARM_UP_FRAMES);
      const warming = new Reader();
      for (let at = 0; at < bytes.length; at += PIECE) warming.push(bytes.subarray(at, at + PIECE));
      warming.finish();
    } catch {}
    post({ type: 'ready' });
  },
  // The keeping Worker then reads files itself.
  (error) => post({ type: 'error', open: 0, message: String(error) }),
);

/** Until a batch has been kept, or the read is stopped. */
function room() {
  return new Promise((resolve) => {
    wake = () => {
      wake = null;
      resolve(undefined);
    };
  });
}

/**
 * @param {number} open
 * @param {Blob} blob
 */
async function read(open, blob) {
  const { Reader } = await loadCore();
  const reader = new Reader();
  let freed = false;
  try {
    let done = 0;
    for await (const chunk of chunks(blob)) {
      for (let at = 0; at < chunk.length && !reader.stopped && open === current; ) {
        const piece = chunk.subarray(at, at + (done < FIRST_SLICE ? FIRST_PIECE : PIECE));
        at += piece.length;
        done += piece.length;
        const size = reader.push(piece);
        while (ahead >= AHEAD && open === current) await room();
        if (open !== current) break;
        let buffer = buffers.pop();
        if (!buffer || buffer.byteLength < size) buffer = new ArrayBuffer(Math.max(size, 2 * PIECE));
        const bytes = new Uint8Array(buffer, 0, size);
        reader.copy_batch(bytes);
        ahead += 1;
        post({ type: 'batch', open, bytes, done }, [buffer]);
      }
      if (reader.stopped || open !== current) break;
    }
    if (open !== current) return;
    freed = true;
    post({ type: 'end', open, end: reader.finish() });
  } finally {
    if (!freed) reader.free();
  }
}
