// @ts-check
// Shapes of what the WebAssembly core hands to JS as plain objects. They are declared once, in
// Rust (crate/src/wasm/shapes.rs), and reach JS in the generated www/pkg/tcp_timeline.d.ts,
// whose Session methods return them; this file only names them for the modules' JSDoc.

/**
 * @typedef {import('./pkg/tcp_timeline.js').LinkType} LinkType
 * @typedef {import('./pkg/tcp_timeline.js').Problem} Problem
 * @typedef {import('./pkg/tcp_timeline.js').SummaryTexts} SummaryTexts
 * @typedef {import('./pkg/tcp_timeline.js').Summary} Summary
 * @typedef {import('./pkg/tcp_timeline.js').RowTable} RowTable
 * @typedef {import('./pkg/tcp_timeline.js').Directional} Directional
 * @typedef {import('./pkg/tcp_timeline.js').IncompleteResponse} IncompleteResponse
 * @typedef {import('./pkg/tcp_timeline.js').HttpExchange} HttpExchange
 * @typedef {import('./pkg/tcp_timeline.js').Connection} Connection
 * @typedef {import('./pkg/tcp_timeline.js').ConnectionTable} ConnectionTable
 * @typedef {import('./pkg/tcp_timeline.js').ColorRule} ColorRule
 * @typedef {import('./pkg/tcp_timeline.js').Explanation} Explanation
 * @typedef {import('./pkg/tcp_timeline.js').DetailNode} DetailNode
 * @typedef {import('./pkg/tcp_timeline.js').FollowChunk} FollowChunk
 * @typedef {import('./pkg/tcp_timeline.js').Followed} Followed
 * @typedef {import('./pkg/tcp_timeline.js').FilterError} FilterError
 * @typedef {import('./pkg/tcp_timeline.js').FilterAnswer} FilterAnswer
 * @typedef {import('./pkg/tcp_timeline.js').Memory} Memory
 * @typedef {{ number: number, time: string, source: string, destination: string, protocol: string, length: number, info: string, color: string }} FrameRow  a row as the list shows it (made from RowTable)
 */

export {};
