// @ts-check
/// <reference lib="webworker" />
// The page's worker: reads a capture in slices into the WebAssembly core, so the page never
// freezes, and answers the page's requests for ranges of frame rows. A large capture is read
// by a second Worker (reader.js), which decodes its frames while this one keeps the analysis.
//
// The page's messages and the answers are described in www/protocol.js (the page sends them
// through www/client.js). `open` numbers each open request, so the page can ignore answers about
// a file it left.

/**
 * @typedef {import('./types.js').Summary} Summary
 * @typedef {import('./types.js').RowTable} RowTable
 * @typedef {import('./types.js').ConnectionTable} ConnectionTable
 * @typedef {import('./types.js').ColorRule} ColorRule
 * @typedef {import('./types.js').FilterAnswer} FilterAnswer
 * @typedef {import('./types.js').DetailNode} DetailNode
 * @typedef {import('./types.js').Followed} Followed
 * @typedef {import('./protocol.js').ToWorker} ToWorker
 * @typedef {import('./protocol.js').FromWorker} FromWorker
 * @typedef {import('./protocol.js').CallName} CallName
 * @typedef {import('./protocol.js').DisplayFilteredAnswer} DisplayFilteredAnswer
 * @typedef {import('./protocol.js').DetailAnswer} DetailAnswer
 * @typedef {import('./protocol.js').FollowAnswer} FollowAnswer
 * @typedef {import('./protocol.js').ToReader} ToReader
 * @typedef {import('./protocol.js').FromReader} FromReader
 * @typedef {import('./protocol.js').ReaderBatch} ReaderBatch
 * @typedef {import('./protocol.js').ReaderEnd} ReaderEnd
 * @typedef {import('./pkg/tcp_timeline.js').Session} Session
 * @typedef {import('./pkg/tcp_timeline.js').Reader} Reader
 */

import { chunks, FIRST_PIECE, FIRST_SLICE, PIECE, SLICE } from './chunks.js';
import { loadCore, WARM_UP_FRAMES } from './core.js';

/** The Session methods a page may call by name (the ladder and its explanations). */
/** @type {Set<string>} */
const CALLS = new Set(/** @type {CallName[]} */ (['row_index', 'ladder_svg', 'ladder_mermaid', 'ladder_text', 'explain', 'set_time_format']));

/** Captures from this size on (not gzip-compressed) are read by a second Worker while this
 * one keeps the analysis (see reader.js); below it, reading takes a few milliseconds either way. */
const APART_FROM = 1024 * 1024;
/** ...on a machine with this many cores or more: each Worker needs a core of its own, and the
 * page and the browser need one. On 2 cores, two Workers were no faster than one (the page's
 * 1 M-frame benchmark: the browser's own threads already keep the second core busy). */
const APART_CORES = 4;
/** How long the reading goes on before the page's requests are let in. */
const YIELD_MS = 8;
/** Bytes kept from the start of the file: the first rows shown are read from there. */
const HEAD = 2 * 1024 * 1024;

/** @type {DedicatedWorkerGlobalScope} */
const scope = /** @type {DedicatedWorkerGlobalScope} */ (self);

/** worker.js?readers=1 or ?readers=2: always one Worker, or two (for any capture not gzip). */
const READERS = new URLSearchParams(scope.location.search).get('readers');
/** Whether captures of `size` bytes are read by a second Worker (if it can be started). */
const apartFor = (/** @type {number} */ size) =>
  READERS === '2' || (READERS !== '1' && size >= APART_FROM && navigator.hardwareConcurrency >= APART_CORES);

const core = loadCore();

/** The open request being served; an older read stops at its next slice. */
let current = 0;
/** @type {Session | null} */
let session = null;
/** Numbers display-filter requests: a newer one stops an older one that reads the file. */
let filtering = 0;
/** The session still reading its file: the list can show the frames read so far. */
/** @type {Session | null} */
let loading = null;
/** The capture being shown: the core keeps no frame bytes, they are read from here again. */
/** @type {Blob | null} */
let captureBlob = null;
/** A copy of the capture's first bytes (the whole of a small capture): the first rows, the
 * ones shown first, are read from here at once rather than from the file again. */
let captureHead = new Uint8Array(0);

/**
 * Sends `message` to the page (`transfer`: buffers handed over, not copied).
 * @param {FromWorker} message
 * @param {Transferable[]} [transfer]
 */
function post(message, transfer = []) {
  scope.postMessage(message, transfer);
}

scope.onmessage = (event) => {
  /** @type {ToWorker} */
  const message = event.data;
  if (message.type === 'open') {
    current += 1;
    const open = current;
    apartRead?.cancel();
    read(open, message).catch((error) => {
      if (open === current) post({ type: 'error', open, message: describe(error) });
    });
  } else if (message.type === 'rows') {
    const open = current;
    // While the file is read, the rows of the frames read so far (their analysis may still
    // change: the page asks again once the capture is read).
    const reading = session ?? loading;
    if (!reading) return;
    (async () => {
      const spans = reading.row_spans(message.start, message.count);
      const bytes = await readSpans(spans);
      if (open !== current || (session !== reading && loading !== reading)) return;
      /** @type {RowTable} */
      const rows = reading.rows(message.start, message.count, spans, bytes);
      post({ type: 'rows', open, id: message.id, start: message.start, rows }, [rows.number.buffer, rows.frame_length.buffer, rows.ends.buffer]);
    })().catch((error) => {
      if (open === current) post({ type: 'error', open, message: describe(error) });
    });
  } else if (message.type === 'filter') {
    const open = current;
    if (!session) return;
    try {
      const stream = typeof message.stream === 'number' ? message.stream : undefined;
      const count = session.set_stream_filter(stream);
      post({ type: 'filtered', open, id: message.id, stream: stream ?? null, count });
    } catch (error) {
      post({ type: 'error', open, message: describe(error) });
    }
  } else if (message.type === 'display-filter') {
    filtering += 1;
    const token = filtering;
    const text = String(message.text ?? '');
    serve(message, async (reading) => {
      /** @type {FilterAnswer} */
      const answer = reading.set_display_filter(text);
      if (answer.error) return { type: 'display-filtered', text: message.text, count: null, error: answer.error };
      let count = answer.count;
      if (answer.needs_bytes) {
        // The filter reads fields the records do not hold: read the file again, in slices.
        const total = captureBlob ? captureBlob.size : 0;
        for (;;) {
          if (token !== filtering || session !== reading) return { type: 'display-filtered', text: message.text, count: null, error: null, superseded: true };
          const span = reading.filter_span(SLICE);
          if (span.length === 0) break;
          const bytes = await readSpans(span);
          if (token !== filtering || session !== reading) continue;
          reading.filter_feed(span, bytes);
          post({ type: 'filter-progress', open: current, id: message.id, done: span[1], total });
        }
        count = reading.filter_finish();
      }
      return { type: 'display-filtered', text: message.text, count, error: null };
    });
  } else if (message.type === 'detail') {
    serve(message, async (reading) => {
      const spans = reading.detail_spans(message.number);
      const bytes = await readSpans(spans);
      /** @type {DetailNode[]} */
      const tree = reading.detail(message.number, Boolean(message.verify), spans, bytes);
      const frame = reading.frame_bytes(message.number, spans, bytes);
      const stream = reading.stream_of(message.number) ?? null;
      return { type: 'detail', number: message.number, tree, bytes: frame, stream };
    });
  } else if (message.type === 'follow') {
    serve(message, async (reading) => {
      const spans = reading.follow_spans(message.stream);
      const bytes = await readSpans(spans);
      /** @type {Followed} */
      const followed = reading.follow(message.stream, message.format, spans, bytes);
      return { type: 'follow', ...followed };
    });
  } else if (message.type === 'call') {
    const open = current;
    const { id, method, args } = message;
    if (!session || !CALLS.has(method) || !Array.isArray(args)) {
      post({ type: 'result', open, id, error: session ? `Unknown request ${String(method)}.` : 'No capture has been read yet.' });
      return;
    }
    try {
      const run = /** @type {(...args: unknown[]) => unknown} */ (session[method]);
      const value = run.apply(session, args);
      post({ type: 'result', open, id, value });
    } catch (error) {
      post({ type: 'result', open, id, error: describe(error) });
    }
  }
};

/**
 * An answer, before the worker adds which file and which request it is about.
 * @template T
 * @typedef {T extends unknown ? Omit<T, 'open' | 'id'> : never} Unnumbered
 */

/**
 * Answers a request about the capture that is read: `work` gets the session and returns the
 * answer (its `open` and `id` are added); a failure answers `{type: 'result', error}`. Answers
 * about a capture the page has left are dropped.
 * @param {{ id: number }} message
 * @param {(reading: Session) => Promise<Unnumbered<DisplayFilteredAnswer | DetailAnswer | FollowAnswer>>} work
 */
function serve(message, work) {
  const open = current;
  const reading = session;
  if (!reading) {
    post({ type: 'result', open, id: message.id, error: 'No capture has been read yet.' });
    return;
  }
  work(reading).then(
    (answer) => {
      if (open === current && session === reading) post(/** @type {FromWorker} */ ({ ...answer, open, id: message.id }));
    },
    (error) => {
      if (open === current) post({ type: 'result', open, id: message.id, error: describe(error) });
    },
  );
}

/**
 * @param {number} open
 * @param {{ file?: File, url?: string, name?: string }} request
 */
async function read(open, request) {
  if (session) {
    session.free();
    session = null;
  }
  captureBlob = null;
  captureHead = new Uint8Array(0);
  let blob;
  let name;
  if (request.file) {
    blob = request.file;
    name = request.file.name;
  } else if (request.url) {
    const url = new URL(request.url, scope.location.href);
    if (url.origin !== scope.location.origin) throw new Error('Only files of this site can be opened by address.');
    name = request.name ?? url.pathname.split('/').pop() ?? 'capture';
    const response = await fetch(url);
    if (!response.ok) throw new Error(`Could not load ${name}: the server answered ${response.status} ${response.statusText}.`);
    blob = await response.blob();
  } else {
    throw new Error('Nothing to open.');
  }
  const { Session, color_rules } = await core.catch((error) => {
    throw new Error(`The WebAssembly core could not be loaded (${describe(error)}). If you built the site yourself, run ./build.sh build.`);
  });
  if (open !== current) return;
  const total = blob.size;
  post({ type: 'started', open, name, total });
  const reading = new Session();
  reading.expect_bytes(total);
  loading = reading;
  captureBlob = blob;
  try {
    /** @type {unknown} how a second Worker's reading ended (null: read here) */
    let end = null;
    const apart = apartFor(total) ? await readerWorker() : null;
    if (apart && open === current) {
      // A gzip capture is read here: its decompressed bytes are what the rows are read from.
      const magic = new Uint8Array(await blob.slice(0, 2).arrayBuffer());
      if (!(magic[0] === 0x1f && magic[1] === 0x8b) && open === current) {
        // The first rows are read from the head; until it is here, from the file.
        blob.slice(0, Math.min(total, HEAD)).arrayBuffer().then((head) => {
          if (captureBlob === blob) captureHead = new Uint8Array(head);
        }, () => {});
        end = await readApart(open, apart, blob, reading);
      }
    }
    if (end === null && open === current) await readHere(open, blob, reading);
    if (open !== current) {
      if (loading === reading) loading = null;
      reading.free();
      return;
    }
    /** @type {Summary} */
    const summary = end === null ? reading.finish() : reading.finish_batches(end);
    session = reading;
    loading = null;
    /** @type {ConnectionTable} */
    const connections = reading.connection_table();
    // Which Workers read it: 2 where the reading Worker did, 1 where this one read it alone.
    const readers = end === null ? 1 : 2;
    /** @type {ColorRule[]} */
    const rules = color_rules();
    post({ type: 'summary', open, name, summary, connections, readers, rules });
  } catch (error) {
    if (loading === reading) loading = null;
    if (session !== reading) reading.free();
    throw error;
  }
}

/**
 * Reads `blob` into `reading` here, slice by slice, until its end, a stop (not a capture,
 * damaged, the frame limit) or another file opened.
 * @param {number} open
 * @param {Blob} blob
 * @param {Session} reading
 */
async function readHere(open, blob, reading) {
  const total = blob.size;
  captureHead = new Uint8Array(0);
  let done = 0;
  let yielded = performance.now();
  for await (const chunk of chunks(blob)) {
    if (captureHead.length < HEAD) captureHead = joined(captureHead, chunk.subarray(0, HEAD - captureHead.length));
    // In pieces, with the page's requests let in every few milliseconds (rows of the frames
    // read so far, which read their bytes from the file again): a request waits for a piece
    // or two, not for a whole slice, and large frames (few per piece) do not pay a yield
    // each. A stream read can resolve without ever leaving this task. Another file opened
    // meanwhile stops the reading at the next piece.
    for (let at = 0; at < chunk.length && !reading.stopped && open === current; ) {
      const piece = chunk.subarray(at, at + (done < FIRST_SLICE ? FIRST_PIECE : PIECE));
      at += piece.length;
      const frames = reading.push(piece);
      done += piece.length;
      // The first piece's frames at once (the page lists them), then once a slice.
      if (done === piece.length || at >= chunk.length) {
        post({ type: 'progress', open, done, total, frames });
      }
      if (performance.now() - yielded >= YIELD_MS) {
        await nextTask();
        yielded = performance.now();
      }
    }
    // Not a capture, damaged, or at the frame limit: the rest of the file is not read.
    if (reading.stopped || open !== current) break;
  }
}

/** The read that the reading Worker serves: what to do with its messages. */
/** @type {{ open: number, cancel(): void, batch(message: ReaderBatch): void, end(message: ReaderEnd): void, error(message: { message: string }): void } | null} */
let apartRead = null;

/**
 * Has the reading Worker read `blob`, and keeps its frames, batch by batch, in `reading`; each
 * batch is its own task, so the page's requests are answered in between. Resolves to how
 * reading ended (for `finish_batches`), or null when another file was opened meanwhile.
 * @param {number} open
 * @param {Worker} reader
 * @param {Blob} blob
 * @param {Session} reading
 * @returns {Promise<unknown>}
 */
function readApart(open, reader, blob, reading) {
  const total = blob.size;
  return new Promise((resolve, reject) => {
    let reported = 0;
    /** @param {() => void} then */
    const leave = (then) => {
      if (apartRead === served) apartRead = null;
      then();
    };
    const served = {
      open,
      cancel() {
        tell(reader, { type: 'stop', open });
        leave(() => resolve(null));
      },
      /** @param {{ bytes: Uint8Array, done: number }} message */
      batch(message) {
        if (open !== current) return served.cancel();
        let frames;
        try {
          frames = reading.push_batch(message.bytes);
        } catch (error) {
          tell(reader, { type: 'stop', open });
          return leave(() => reject(error));
        }
        // Its buffer goes back, to carry another batch.
        tell(reader, { type: 'took', open, buffer: /** @type {ArrayBuffer} */ (message.bytes.buffer) }, [message.bytes.buffer]);
        // The first batch's frames at once (the page lists them), then once a slice.
        if (reported === 0 || message.done - reported >= SLICE || message.done >= total) {
          reported = message.done;
          post({ type: 'progress', open, done: message.done, total, frames });
        }
      },
      /** @param {{ end: unknown }} message */
      end(message) {
        leave(() => resolve(message.end));
      },
      /** @param {{ message: string }} message */
      error(message) {
        leave(() => reject(new Error(message.message)));
      },
    };
    apartRead = served;
    tell(reader, { type: 'read', open, blob });
  });
}

/**
 * Sends `message` to the reading Worker (`transfer`: buffers handed over, not copied).
 * @param {Worker} reader
 * @param {ToReader} message
 * @param {Transferable[]} [transfer]
 */
function tell(reader, message, transfer = []) {
  reader.postMessage(message, transfer);
}

/** @type {Promise<Worker | null> | null} */
let readerStarted = null;

/**
 * The reading Worker, once its core is loaded; null where it cannot run (a page embedded from
 * another site cannot start a Worker of this site's, for one), and files are then read here.
 * @returns {Promise<Worker | null>}
 */
function readerWorker() {
  readerStarted ??= new Promise((resolve) => {
    /** @type {Worker} */
    let worker;
    try {
      worker = new Worker(new URL('./reader.js', import.meta.url), { type: 'module', name: 'tcp-timeline-reader' });
    } catch {
      resolve(null);
      return;
    }
    const failed = () => {
      worker.terminate();
      resolve(null);
    };
    worker.onerror = failed;
    worker.onmessage = (event) => {
      if (event.data.type !== 'ready') return failed();
      worker.onmessage = (event) => {
        /** @type {FromReader} */
        const message = event.data;
        if (!apartRead || message.type === 'ready' || message.open !== apartRead.open) return;
        if (message.type === 'batch') apartRead.batch(message);
        else if (message.type === 'end') apartRead.end(message);
        else apartRead.error(message);
      };
      // Once started, a failure ends the read under way (the next file is read here).
      worker.onerror = (event) => {
        worker.terminate();
        readerStarted = Promise.resolve(null);
        apartRead?.error({ message: `The reading Worker failed: ${event.message}` });
      };
      resolve(worker);
    };
  });
  return readerStarted;
}

/** A macrotask boundary without a timer's clamping: messages already queued run first. */
const ticks = new MessageChannel();
/** @type {(() => void)[]} */
const waiting = [];
ticks.port1.onmessage = () => waiting.shift()?.();
function nextTask() {
  return new Promise((resolve) => {
    waiting.push(() => resolve(undefined));
    ticks.port2.postMessage(0);
  });
}

/**
 * Reads the byte ranges `spans` ([start, end, start, end, ...]) of the capture shown (or of
 * what `from` reads a range from) and returns them concatenated in that order (what the
 * core's `*_spans` methods ask for).
 * @param {Float64Array} spans
 * @param {(start: number, end: number) => Uint8Array | Promise<Uint8Array>} [from]
 */
async function readSpans(spans, from = captureRange) {
  if (spans.length === 0) return new Uint8Array(0);
  let total = 0;
  for (let i = 0; i + 1 < spans.length; i += 2) total += spans[i + 1] - spans[i];
  const out = new Uint8Array(total);
  let at = 0;
  for (let i = 0; i + 1 < spans.length; i += 2) {
    const part = await from(spans[i], spans[i + 1]);
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * Bytes `start` to `end` of the capture shown: from the copy of its head where they lie there,
 * else from its file.
 * @param {number} start
 * @param {number} end
 */
async function captureRange(start, end) {
  if (!captureBlob) throw new Error('The capture is no longer available.');
  return end <= captureHead.length
    ? captureHead.subarray(start, end)
    : new Uint8Array(await captureBlob.slice(start, end).arrayBuffer());
}

/**
 * @param {Uint8Array} a
 * @param {Uint8Array} b
 */
function joined(a, b) {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** @param {unknown} error */
function describe(error) {
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * Reads a small generated capture as a dropped one is read (pieces, or the reading Worker's
 * batches where large captures are read that way; finish, the connection table, the first
 * rows) and forgets it. A WebAssembly function's first long run stays in the engine's
 * baseline code, as there is no on-stack replacement: without this, the first large
 * capture's reading, finish and table would run there, a tenth to a third slower (the 1
 * M-frame benchmark, Node and Chromium). Skipped when a file is already being opened (its own
 * reading warms the engine); nothing of it is shown. The reading Worker warms its own part.
 */
async function warmUp() {
  const { Session, Reader, warm_up_capture } = await core;
  if (current !== 0) return;
  const bytes = warm_up_capture(WARM_UP_FRAMES);
  /** @param {(warming: Session) => void} read */
  const warm = async (read) => {
    const warming = new Session();
    try {
      warming.expect_bytes(bytes.length);
      read(warming);
      warming.connection_table();
      const spans = warming.row_spans(0, 100);
      warming.rows(0, 100, spans, await readSpans(spans, (start, end) => bytes.subarray(start, end)));
    } finally {
      warming.free();
    }
  };
  /** @type {Uint8Array[]} */
  const pieces = [];
  for (let at = 0; at < bytes.length; at += PIECE) pieces.push(bytes.subarray(at, at + PIECE));
  await warm((warming) => {
    for (const piece of pieces) warming.push(piece);
    warming.finish();
  });
  if (apartFor(APART_FROM)) {
    await warm((warming) => {
      const reader = new Reader();
      for (const piece of pieces) {
        const batch = new Uint8Array(reader.push(piece));
        reader.copy_batch(batch);
        warming.push_batch(batch);
      }
      warming.finish_batches(reader.finish());
    });
  }
  post({ type: 'warm' });
}

// The page's own Worker starts its reading Worker at once where it will be used, so that it is
// ready when a file is dropped (an embedded element's starts it for its first large capture),
// and warms the core.
if (scope.name === 'tcp-timeline') {
  if (apartFor(APART_FROM)) readerWorker();
  warmUp().catch(() => {});
}
