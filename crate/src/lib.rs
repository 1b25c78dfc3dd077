//! tcp-timeline: read pcap/pcapng captures, decode every frame, track every TCP connection,
//! and show it: the frame list, packet details, display filters, ladders, in English and
//! 简体中文, for a page (WebAssembly) and a command line.
//!
//! The data flows one way (docs/ARCHITECTURE.md; `layering_tests` checks it):
//!
//! ```text
//! capture ─► decode ─► tcp ─► http ─► analysis ─► views: row, explain, filter, detail,
//!                                                         follow, ladder
//!                                               └─► shells: session (+ wasm), cli (+ main.rs)
//! ```
//!
//! [`capture`] turns file bytes into raw frames and typed problems, [`decode`] reads their
//! headers, [`tcp`] tracks connections and computes every TCP fact, [`http`] pairs requests
//! and responses, [`analysis`] runs them and keeps a compact [`analysis::Report`]. The views
//! word and draw those facts and compute none; [`session`] is the page's state, tested
//! natively, which `wasm` only converts for JavaScript; [`cli`] is the command line. Nothing
//! here panics on input.

pub mod analysis;
pub mod capture;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
pub mod decode;
pub mod detail;
pub mod explain;
pub mod filter;
pub mod follow;
#[doc(hidden)]
pub mod fuzzing;
pub mod http;
pub mod kept;
pub mod ladder;
pub mod regroup;
pub mod row;
pub mod session;
pub mod synth;
pub mod tcp;
pub mod text;

#[cfg(test)]
mod layering_tests;
#[cfg(test)]
mod test_captures;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
