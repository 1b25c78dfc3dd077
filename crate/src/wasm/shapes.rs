//! The shapes of the plain objects the WebAssembly API returns, declared once for TypeScript:
//! wasm-bindgen writes them into the generated `tcp_timeline.d.ts`, and each method that
//! returns one names it (`unchecked_return_type`), so the page's JavaScript is checked against
//! what the core hands over (`tsc`, in `./build.sh test`).
//!
//! Promise: each declaration is what the Rust type named beside it serialises to (serde, JSON
//! compatible: `None` fields either absent or null as that type says); a change to one of those
//! types changes its declaration here.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const SHAPES: &'static str = r#"
/** explain::capture::LinkType */
export interface LinkType { code: number; name: string }
/** explain::capture::Problem (kind: capture::ProblemKind) */
export interface Problem {
  kind: 'empty' | 'not_a_capture' | 'truncated' | 'corrupt' | 'skipped' | 'limit' | 'warning';
  offset: number; frame: number | null; message: string; fatal: boolean;
}
/** explain::capture::SummaryTexts */
export interface SummaryTexts { format: string | null; link_types: string[]; problems: string[] }
/** session::PageSummary: the capture's summary in English, `zh` its texts in 简体中文 */
export interface Summary {
  format: string | null; gzip: boolean; link_types: LinkType[]; frames: number; bytes: number;
  first_time: string | null; last_time: string | null; first_epoch: number | null; last_epoch: number | null;
  time_span: string | null; problems: Problem[]; zh: SummaryTexts;
}
/** session::table::RowColumns: rows as columns */
export interface RowTable { length: number; number: Uint32Array; frame_length: Uint32Array; text: string; ends: Uint32Array }
/** session::table::ConnectionTable: every connection in columns */
export interface ConnectionTable {
  length: number; stream: Uint32Array; packets_out: Float64Array; packets_in: Float64Array;
  bytes_out: Float64Array; bytes_in: Float64Array; duration: Float64Array; roles_guessed: Uint8Array;
  client: string; server: string; texts: string[]; texts_zh: string[]; handshake_text: Uint32Array; close_text: Uint32Array;
  conn_state: Uint32Array; history: Uint32Array; handshake_start: Uint32Array; handshake_frames: Uint32Array;
  close_start: Uint32Array; close_frames: Uint32Array;
}
/** tcp::summary::Directional */
export interface Directional { client_to_server: number; server_to_client: number }
/** http::IncompleteResponse */
export interface IncompleteResponse { frame: number; head_complete: boolean; body_length?: number; missing_bytes?: number }
/** http::HttpExchange */
export interface HttpExchange {
  stream: number; request_frame: number; method: string; uri: string; version: string; interim_frames?: number[];
  response_frame?: number; status?: number; reason?: string; content_type?: string; time?: number;
  response_incomplete?: IncompleteResponse;
}
/** explain::connection::ConnectionView: a connection as `analyze --json` lists it */
export interface Connection {
  stream: number; client: string; server: string; roles_guessed: boolean;
  packets: Directional; bytes: Directional; start: number; duration: number;
  completeness: { value: number; flags: string }; conn_state: string; history: string;
  handshake: { kind: string; frames: number[]; irtt?: number; syn_retransmissions: number };
  close: { kind: string; initiator?: 'client' | 'server'; frames: number[]; reset_state?: string };
  http: HttpExchange[]; handshake_text: string; close_text: string;
}
/** row::colors::ColorRuleInfo */
export interface ColorRule { id: string; name: string; filter: string; meaning: string; background: string; foreground: string }
/** session::Explanation: a segment in words */
export interface Explanation { frame: number; summary: string; lines: string[] }
/** detail::Node: a line of a frame's detail tree */
export interface DetailNode {
  label: string; field?: string; span?: [number, number]; generated: boolean;
  expert?: { severity: 'chat' | 'note' | 'warn' | 'error'; group: string };
  children?: DetailNode[];
}
/** follow::Chunk */
export interface FollowChunk { from_client: boolean; frame: number; text: string }
/** session::FollowView: a TCP stream's payload, both directions in order */
export interface Followed { stream: number; client: string; server: string; chunks: FollowChunk[]; bytes: Directional; left_out: number }
/** filter::FilterError */
export interface FilterError { message: string; start: number; end: number }
/** session::filter::FilterAnswer */
export interface FilterAnswer { error?: FilterError; needs_bytes: boolean; count: number | null }
/** kept::Kept: heap bytes by part */
export interface Memory { parts: [string, number][] }
/** capture::CaptureEnd: how a reading ended, handed from a Reader to a Session as it is */
export type CaptureEnd = unknown;
"#;
