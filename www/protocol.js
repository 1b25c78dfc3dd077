// @ts-check
// The messages between a page (the page, or the embeddable element) and its worker
// (www/worker.js). Types only: www/client.js sends the requests and matches their answers,
// www/worker.js serves them.
//
// Every request carries an `id`, and everything the worker sends about a capture carries the
// `open` it belongs to: the worker numbers the files it is asked to open, as the client does,
// so that what it says about a file the page has left can be told apart and dropped.
// A request that fails is answered `{ type: 'result', id, error }`, whatever its type.

/**
 * @typedef {import('./types.js').Summary} Summary
 * @typedef {import('./types.js').RowTable} RowTable
 * @typedef {import('./types.js').ConnectionTable} ConnectionTable
 * @typedef {import('./types.js').ColorRule} ColorRule
 * @typedef {import('./types.js').DetailNode} DetailNode
 * @typedef {import('./types.js').Followed} Followed
 * @typedef {import('./types.js').FilterError} FilterError
 * @typedef {import('./pkg/tcp_timeline.js').Session} Session
 */

/**
 * The Session methods a page may call by name with a `call` request (worker.js, CALLS).
 * @typedef {'row_index' | 'ladder_svg' | 'ladder_mermaid' | 'ladder_text' | 'explain' | 'set_time_format'} CallName
 * @typedef {'ascii' | 'hex' | 'raw'} FollowFormat
 */

/**
 * What to open: a File the user chose or dropped, or the address of one of this site's files.
 * @typedef {{ file: File } | { url: string, name: string }} Source
 */

/**
 * The requests, by type: what each sends besides its type and id, and the message that
 * answers it.
 * @typedef {{
 *   rows: { payload: { start: number, count: number }, answer: RowsAnswer },
 *   filter: { payload: { stream: number | null }, answer: FilteredAnswer },
 *   'display-filter': { payload: { text: string }, answer: DisplayFilteredAnswer },
 *   detail: { payload: { number: number, verify: boolean }, answer: DetailAnswer },
 *   follow: { payload: { stream: number, format: FollowFormat }, answer: FollowAnswer },
 *   call: { payload: { method: CallName, args: unknown[] }, answer: CallAnswer },
 * }} Requests
 * @typedef {keyof Requests} RequestType
 */

/**
 * Messages in (to the worker): a file to open, or a request.
 * @typedef {{ type: 'open' } & Source} OpenMessage
 * @typedef {{ [T in RequestType]: { type: T, id: number } & Requests[T]['payload'] }[RequestType]} RequestMessage
 * @typedef {OpenMessage | RequestMessage} ToWorker
 */

// Answers, each with its request's id.

/** Rows [start, start + count) of the list (columns: see rowtable.js); also while the file is
 * read, the frames read so far, as far as they are known.
 * @typedef {{ type: 'rows', open: number, id: number, start: number, rows: RowTable }} RowsAnswer */
/** The older filter message: one TCP stream's frames listed (stream null: all).
 * @typedef {{ type: 'filtered', open: number, id: number, stream: number | null, count: number }} FilteredAnswer */
/** A display filter (Wireshark's syntax; '' for all): refused with `error`, else `count` rows
 * listed; `superseded` when a newer filter stopped it.
 * @typedef {{ type: 'display-filtered', open: number, id: number, text: string, count: number | null, error: FilterError | null, superseded?: boolean }} DisplayFilteredAnswer */
/** A frame's detail tree and bytes, and its TCP stream.
 * @typedef {{ type: 'detail', open: number, id: number, number: number, tree: DetailNode[], bytes: Uint8Array, stream: number | null }} DetailAnswer */
/** A TCP stream's payload, both directions in order.
 * @typedef {{ type: 'follow', open: number, id: number } & Followed} FollowAnswer */
/** A `call`'s value, or why a request of any type failed.
 * @typedef {{ type: 'result', open: number, id: number, value?: unknown, error?: string }} CallAnswer */
/** A filter that reads the file again: the bytes read so far (before its answer).
 * @typedef {{ type: 'filter-progress', open: number, id: number, done: number, total: number }} FilterProgress */

// What the worker says unasked: about the file being read, and once about itself.

/** @typedef {{ type: 'started', open: number, name: string, total: number }} Started */
/** @typedef {{ type: 'progress', open: number, done: number, total: number, frames: number }} Progress */
/** The file is read; `readers`: how many Workers read it (1, or 2 with www/reader.js).
 * @typedef {{ type: 'summary', open: number, name: string, summary: Summary, connections: ConnectionTable, readers: number, rules: ColorRule[] }} SummaryMessage */
/** The file could not be read (or a request without an answer of its own failed).
 * @typedef {{ type: 'error', open: number, message: string }} ErrorMessage */
/** The page's Worker has read its warm-up capture (worker.js, warmUp).
 * @typedef {{ type: 'warm' }} Warm */
/** @typedef {Started | Progress | SummaryMessage | ErrorMessage | Warm} WorkerEvent */

/**
 * The keeping Worker (worker.js) and its reading Worker (reader.js), which reads and decodes a
 * large capture's frames for it: see reader.js.
 * @typedef {{ type: 'read', open: number, blob: Blob } | { type: 'took', open: number, buffer: ArrayBuffer } | { type: 'stop', open: number }} ToReader
 * @typedef {{ type: 'batch', open: number, bytes: Uint8Array, done: number }} ReaderBatch
 * @typedef {{ type: 'end', open: number, end: unknown }} ReaderEnd
 * @typedef {{ type: 'error', open: number, message: string }} ReaderError
 * @typedef {{ type: 'ready' } | ReaderBatch | ReaderEnd | ReaderError} FromReader
 */

/**
 * Messages out (to the page).
 * @typedef {RowsAnswer | FilteredAnswer | DisplayFilteredAnswer | DetailAnswer | FollowAnswer | CallAnswer | FilterProgress | WorkerEvent} FromWorker
 */

export {};
