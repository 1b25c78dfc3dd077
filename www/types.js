// @ts-check
// Shapes of what the WebAssembly core hands to JS (see crate/src/wasm.rs). Types only.

/**
 * @typedef {{ code: number, name: string }} LinkType
 * @typedef {{ kind: 'empty' | 'not_a_capture' | 'truncated' | 'corrupt' | 'skipped', offset: number, frame: number | null, message: string, fatal: boolean }} Problem
 * @typedef {{
 *   format: string | null, gzip: boolean, link_types: LinkType[], frames: number, bytes: number,
 *   first_time: string | null, last_time: string | null, first_epoch: number | null, last_epoch: number | null,
 *   time_span: string | null, problems: Problem[]
 * }} Summary
 * @typedef {{ number: number, time: string, source: string, destination: string, protocol: string, length: number, info: string }} FrameRow
 */

export {};
