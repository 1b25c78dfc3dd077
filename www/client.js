// @ts-check
// The one way a page talks to its worker (www/worker.js): `request(type, payload)` sends a
// request and resolves with the message that answers it; `call(method, ...args)` runs one of
// the Session methods the worker lets a page call and resolves with its value; `open(source)`
// starts reading another file. The messages are described in www/protocol.js.
//
// Promises: every request has its own id, so an answer settles the request it answers and no
// other. Opening a file drops what was asked about the one before: its requests under way are
// rejected with a Superseded error, and whatever the worker still says about it (an answer, a
// progress report) is ignored, by the open counter both sides keep. A request that fails in
// the worker is rejected with the worker's message. What the worker says unasked about the
// file being read (started, progress, summary, error, and 'warm' once) goes to `onEvent`.
//
// A request is never given up: a page that wants to say "no answer yet" passes `wait` (ms)
// and `onWait`, called once if nothing has come for the request by then (an answer that comes
// later still settles it).

/**
 * @typedef {import('./protocol.js').Requests} Requests
 * @typedef {import('./protocol.js').RequestType} RequestType
 * @typedef {import('./protocol.js').FromWorker} FromWorker
 * @typedef {import('./protocol.js').ToWorker} ToWorker
 * @typedef {import('./protocol.js').WorkerEvent} WorkerEvent
 * @typedef {import('./protocol.js').FilterProgress} FilterProgress
 * @typedef {import('./protocol.js').CallName} CallName
 * @typedef {import('./protocol.js').Source} Source
 * @typedef {import('./pkg/tcp_timeline.js').Session} Session
 */

/**
 * How to wait for an answer: `wait` ms before `onWait` says there is none yet; `onProgress`
 * hears of a filter reading the file again (which counts as something having come).
 * @typedef {{ wait?: number, onWait?: () => void, onProgress?: (progress: FilterProgress) => void }} RequestOptions
 */

/**
 * A request under way (`resolve` takes the answer of its request's type).
 * @typedef {{
 *   resolve(answer: FromWorker): void, reject(error: Error): void,
 *   onProgress?: (progress: FilterProgress) => void, timer: number,
 * }} Pending
 */

/** The request was about a file the page has since left (or its worker was let go). */
export class Superseded extends Error {
  constructor() {
    super('superseded');
    this.name = 'Superseded';
  }
}

/**
 * Whether `error` only says that its request no longer matters.
 * @param {unknown} error
 * @returns {boolean}
 */
export function isSuperseded(error) {
  return error instanceof Superseded;
}

export class WorkerClient {
  /**
   * @param {Worker} worker
   * @param {{ onEvent?: (event: WorkerEvent) => void, onFailure?: (event: ErrorEvent) => void }} [hooks]
   * `onEvent` hears what the worker says unasked about the file being read; `onFailure`, that
   * the worker itself failed (it could not start, or threw outside a request).
   */
  constructor(worker, hooks = {}) {
    this.worker = worker;
    this.onEvent = hooks.onEvent ?? (() => {});
    /** Files opened so far: the worker numbers them the same way. */
    this.opens = 0;
    this.nextId = 1;
    /** @type {Map<number, Pending>} */
    this.pending = new Map();
    worker.onmessage = (event) => this.receive(event.data);
    worker.onerror = (event) => hooks.onFailure?.(event);
  }

  /**
   * Starts reading `source`; the requests under way are rejected (Superseded). Returns the
   * file's open number (see `isCurrent`).
   * @param {Source} source
   */
  open(source) {
    this.opens += 1;
    // The worker starts at once; the page clears itself meanwhile (what the worker says about
    // this file is handled only after the caller returns).
    this.post({ type: 'open', ...source });
    this.dropAll();
    return this.opens;
  }

  /**
   * Whether the file opened as `open` (a value of `opens` taken earlier) is still the one shown.
   * @param {number} open
   */
  isCurrent(open) {
    return open === this.opens;
  }

  /**
   * Sends a request; resolves with the message that answers it.
   * @template {RequestType} T
   * @param {T} type
   * @param {Requests[T]['payload']} payload
   * @param {RequestOptions} [options]
   * @returns {Promise<Requests[T]['answer']>}
   */
  request(type, payload, options = {}) {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      /** @type {Pending} */
      const pending = {
        // Its id matched: the answer is of the request's type.
        resolve: (answer) => resolve(/** @type {Requests[T]['answer']} */ (answer)),
        reject,
        onProgress: options.onProgress,
        timer: 0,
      };
      const { wait, onWait } = options;
      if (wait !== undefined && onWait) {
        pending.timer = setTimeout(() => {
          pending.timer = 0;
          if (this.pending.get(id) === pending) onWait();
        }, wait);
      }
      this.pending.set(id, pending);
      this.post(/** @type {ToWorker} */ ({ type, id, ...payload }));
    });
  }

  /**
   * Runs Session method `method` on the capture read; resolves with what it returns.
   * @template {CallName} M
   * @param {M} method
   * @param {Parameters<Session[M]>} args
   * @returns {Promise<ReturnType<Session[M]>>}
   */
  async call(method, ...args) {
    const answer = await this.request('call', { method, args });
    return /** @type {ReturnType<Session[M]>} */ (answer.value);
  }

  /**
   * Rejects every request under way (Superseded): the page leaves the file they are about,
   * or lets the worker go.
   */
  dropAll() {
    const dropped = [...this.pending.values()];
    this.pending.clear();
    for (const pending of dropped) {
      clearTimeout(pending.timer);
      pending.reject(new Superseded());
    }
  }

  /** @param {ToWorker} message */
  post(message) {
    this.worker.postMessage(message);
  }

  /** @param {FromWorker} message */
  receive(message) {
    if (message.type === 'warm') {
      this.onEvent(message);
      return;
    }
    // About a file the page has left: its requests were rejected when it was left.
    if (message.open !== this.opens) return;
    if (!('id' in message)) {
      this.onEvent(message);
      return;
    }
    const pending = this.pending.get(message.id);
    if (!pending) return;
    clearTimeout(pending.timer);
    pending.timer = 0;
    if (message.type === 'filter-progress') {
      pending.onProgress?.(message);
      return;
    }
    this.pending.delete(message.id);
    if (message.type === 'result' && message.error !== undefined) pending.reject(new Error(String(message.error)));
    else pending.resolve(message);
  }
}
