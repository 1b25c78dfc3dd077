//! tcp-timeline: read pcap/pcapng captures, decode every frame, track every TCP connection.
//!
//! The data flows one way: [`capture`] (file bytes → raw frames) → [`decode`] (raw frame →
//! headers) → [`tcp`] (segments → connections, analysis, states) → [`analysis`] (what the
//! page, the CLI and the tests read). Nothing here panics on input.

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
