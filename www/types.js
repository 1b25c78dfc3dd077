// @ts-check
// Shapes of what the WebAssembly core hands to JS as plain objects (see crate/src/wasm.rs), by
// the Session method (or function) that returns them. Types only. The generated
// www/pkg/tcp_timeline.d.ts types the core's classes and functions, and these values as `any`:
// each is given its shape here where it comes out of the core (worker.js).

/**
 * @typedef {{ code: number, name: string }} LinkType
 * @typedef {{ kind: 'empty' | 'not_a_capture' | 'truncated' | 'corrupt' | 'skipped' | 'limit' | 'warning', offset: number, frame: number | null, message: string, fatal: boolean }} Problem
 * @typedef {{ format: string | null, link_types: string[], problems: string[] }} SummaryTexts
 * @typedef {{
 *   format: string | null, gzip: boolean, link_types: LinkType[], frames: number, bytes: number,
 *   first_time: string | null, last_time: string | null, first_epoch: number | null, last_epoch: number | null,
 *   time_span: string | null, problems: Problem[], zh: SummaryTexts
 * }} Summary  the capture's summary in English, `zh` its texts in 简体中文 (Session.finish, finish_batches)
 * @typedef {{ number: number, time: string, source: string, destination: string, protocol: string, length: number, info: string, color: string }} FrameRow
 * @typedef {{ length: number, number: Uint32Array, frame_length: Uint32Array, text: string, ends: Uint32Array }} RowTable  rows as columns (Session.rows)
 * @typedef {{ client_to_server: number, server_to_client: number }} Directional
 * @typedef {{ frame: number, head_complete: boolean, body_length?: number, missing_bytes?: number }} IncompleteResponse
 * @typedef {{
 *   stream: number, request_frame: number, method: string, uri: string, version: string, interim_frames?: number[],
 *   response_frame?: number, status?: number, reason?: string, content_type?: string, time?: number,
 *   response_incomplete?: IncompleteResponse,
 * }} HttpExchange
 * @typedef {{
 *   stream: number, client: string, server: string, roles_guessed: boolean,
 *   packets: Directional, bytes: Directional, start: number, duration: number,
 *   completeness: { value: number, flags: string }, conn_state: string, history: string,
 *   handshake: { kind: string, frames: number[], irtt?: number, syn_retransmissions: number },
 *   close: { kind: string, initiator?: 'client' | 'server', frames: number[], reset_state?: string },
 *   http: HttpExchange[], handshake_text: string, close_text: string
 * }} Connection  a connection as analyze --json lists it (Session.connections)
 * @typedef {{
 *   length: number, stream: Uint32Array, packets_out: Float64Array, packets_in: Float64Array,
 *   bytes_out: Float64Array, bytes_in: Float64Array, duration: Float64Array, roles_guessed: Uint8Array,
 *   client: string, server: string, texts: string[], texts_zh: string[], handshake_text: Uint32Array, close_text: Uint32Array,
 *   conn_state: Uint32Array, history: Uint32Array, handshake_start: Uint32Array, handshake_frames: Uint32Array,
 *   close_start: Uint32Array, close_frames: Uint32Array
 * }} ConnectionTable  every connection in columns (Session.connection_table)
 * @typedef {{ id: string, name: string, filter: string, meaning: string, background: string, foreground: string }} ColorRule  color_rules()
 * @typedef {{ frame: number, summary: string, lines: string[] }} Explanation  a segment in words (Session.explain)
 * @typedef {{
 *   label: string, field?: string, span?: [number, number], generated: boolean,
 *   expert?: { severity: 'chat' | 'note' | 'warn' | 'error', group: string },
 *   children?: DetailNode[],
 * }} DetailNode  a line of a frame's detail tree (Session.detail)
 * @typedef {{ from_client: boolean, frame: number, text: string }} FollowChunk
 * @typedef {{
 *   stream: number, client: string, server: string, chunks: FollowChunk[],
 *   bytes: Directional, left_out: number,
 * }} Followed  a TCP stream's payload, both directions in order (Session.follow)
 * @typedef {{ message: string, start: number, end: number }} FilterError  why a display filter was refused
 * @typedef {{ error?: FilterError, needs_bytes: boolean, count: number | null }} FilterAnswer  Session.set_display_filter
 */

export {};
