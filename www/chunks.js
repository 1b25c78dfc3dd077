// @ts-check
// A capture file's bytes, slice by slice: shared by the Worker that keeps the analysis (which
// reads gzip captures itself) and the one that reads the file for it.

/** Bytes read per slice: large enough to keep the wasm calls few, small enough to report progress. */
export const SLICE = 4 * 1024 * 1024;
/** Bytes given to the core at once: at most about 10 ms of work. */
export const PIECE = 512 * 1024;
/** Bytes of the first slice, given to the core in pieces of FIRST_PIECE: the page asks for the
 * first rows once the first piece is read, and the core's code runs slowest at first (before
 * the engine has optimised it), so the request waits for a small piece, not a large one. */
export const FIRST_SLICE = PIECE;
export const FIRST_PIECE = 64 * 1024;

/** @typedef {{ bytes: Uint8Array, ended: boolean }} Slice  bytes read, and whether the file ended */

/**
 * The file's bytes in order, SLICE at a time. Through a BYOB reader of its stream, two buffers
 * are filled in turn, so reading gigabytes leaves no garbage behind (slices of the Blob each
 * make a new ArrayBuffer, and the collector lets hundreds of MB of them pile up), and the next
 * slice is read while the current one is analysed (reading a File waits on the browser's
 * process: a tenth of the time when it was not overlapped); where the stream cannot be read
 * that way, by slices.
 * @param {Blob} blob
 * @returns {AsyncGenerator<Uint8Array>}
 */
export async function* chunks(blob) {
  /** @type {ReadableStreamBYOBReader | null} */
  let reader = null;
  try {
    reader = blob.stream().getReader({ mode: 'byob' });
  } catch {
    reader = null;
  }
  if (!reader) {
    for (let done = 0; done < blob.size; ) {
      const end = Math.min(done + SLICE, blob.size);
      yield new Uint8Array(await blob.slice(done, end).arrayBuffer());
      done = end;
    }
    return;
  }
  const byob = reader;
  /**
   * Fills `buffer` (a read may give less than asked): its bytes, and whether the file ended.
   * @param {ArrayBuffer} buffer
   * @param {number} [want] bytes wanted (at most SLICE)
   * @returns {Promise<Slice>}
   */
  const fill = async (buffer, want = SLICE) => {
    let filled = 0;
    while (filled < want) {
      const { value, done } = await byob.read(new Uint8Array(buffer, filled, want - filled));
      if (value) buffer = value.buffer;
      if (done || !value) return { bytes: new Uint8Array(buffer, 0, filled), ended: true };
      filled += value.byteLength;
    }
    return { bytes: new Uint8Array(buffer, 0, filled), ended: false };
  };
  /** @type {Promise<Slice> | null} */
  let next = fill(new ArrayBuffer(SLICE), FIRST_SLICE);
  let spare = new ArrayBuffer(SLICE);
  try {
    while (next) {
      /** @type {Slice} */
      const { bytes, ended } = await next;
      // The next slice is read into the other buffer while this one is handed over.
      next = ended ? null : fill(spare);
      if (bytes.length > 0) yield bytes;
      spare = /** @type {ArrayBuffer} */ (bytes.buffer);
    }
  } finally {
    // Reading abandoned (another file): a read under way ends with the lock, quietly.
    next?.catch(() => {});
    byob.releaseLock();
  }
}

