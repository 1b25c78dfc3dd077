//! The ladder diagram: one TCP connection as a timeline that teaches — lifelines for client
//! and server, one arrow per segment, state changes, the handshake, data and close phases.
//!
//! [`model`] computes it once from the analysis; [`svg`], [`mermaid`] and [`text`] draw that
//! same model, so the page, the CLI and exports show one picture. Renderers escape every
//! packet-derived string for their format.

pub mod mermaid;
pub mod model;
pub mod svg;
pub mod text;
pub mod words;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod words_tests;

pub use model::{Ladder, LadderOptions, TimeAxis};
