//! TCP connections: streams, relative sequence numbers, analysis flags, RFC 9293 states,
//! handshake and close verdicts.
//!
//! Promise: [`TcpTracker`] takes every TCP segment of a capture in capture order and, from
//! [`TcpTracker::finish`], gives one [`TcpFrameFacts`] per segment (in frame order) and one
//! [`Connection`] per stream. Per frame the results are final, as `tshark -2` shows them:
//! stream index (`tcp.stream`, including a new stream when a SYN reuses a 4-tuple with a new
//! ISN), relative seq/ack, next seq, calculated window (with the connection's final window
//! scale) and the `tcp.analysis.*` verdicts with tshark 4.0's meaning and precedence. It never
//! panics on input: absurd numbers wrap as TCP's 32-bit arithmetic does, time going backwards
//! only disables the time-based checks.
//!
//! The rules are Wireshark's (epan/dissectors/packet-tcp.c), rewritten: see [`seq`] for the
//! sequence analysis and [`summary`] for states and connection verdicts.
//!
//! - `tracker`: [`TcpTracker`], the connections while the capture is read;
//! - `record`: [`TcpRecord`], what is kept of each segment (24 bytes), and what few keep aside;
//! - `analysis`: [`TcpAnalysis`], the finished connections and each segment's facts;
//! - [`walk`]: what each segment of a stream refers to (what its Ack acknowledges, ...);
//! - [`stream`]: one direction's byte stream put back in order, for the readers above TCP;
//! - [`SeqNumber`]: sequence numbers compared in sequence space;
//! - [`sack`], [`flags`], [`frame_list`]: SACK blocks, analysis flags, lists of frames.

mod analysis;
pub mod flags;
pub mod frame_list;
mod record;
pub mod sack;
pub mod seq;
mod seq_number;
pub mod stream;
pub mod summary;
mod tracker;
mod tuples;
pub mod walk;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tshark_tests;

use crate::capture::Timestamp;
use crate::decode::TcpSegment;
pub use analysis::{ConnFacts, Endpoint, EndpointWriter, Event, Events, Relative, TcpAnalysis};
pub use flags::{AnalysisFlags, Flag};
pub use record::{Flagged, TcpRecord, Wides};
pub use seq::WindowScale;
pub use seq_number::SeqNumber;
use serde::Serialize;
use std::net::IpAddr;
pub use summary::{
    CloseKind, CloseSummary, Completeness, ConnInputs, ConnState, Connection, EndpointStates,
    HandshakeKind, HandshakeSummary, Side, State,
};
pub use tracker::{ConnWork, Pushed, TcpTracker};

fn seconds(ns: i128) -> f64 {
    ns as f64 / 1e9
}

/// One TCP segment as the tracker sees it (decoded headers only; it never parses bytes).
#[derive(Clone, Copy, Debug)]
pub struct SegmentIn<'a> {
    pub number: u32,
    pub ts: Timestamp,
    pub src: IpAddr,
    pub dst: IpAddr,
    pub segment: &'a TcpSegment,
    /// The captured part of the payload (may be shorter than `segment.payload_len`).
    pub payload: &'a [u8],
}

/// Final facts about one TCP frame. Serialised names follow the CLI's JSON (`tcp.seq`, ...).
#[derive(Clone, Debug, Default, Serialize)]
pub struct TcpFrameFacts {
    /// tcp.stream
    pub stream: u32,
    /// tcp.seq, relative to the direction's base (ISN, or seq-1 when no SYN was seen).
    #[serde(rename = "seq")]
    pub relative_seq: u32,
    /// tcp.ack relative to the other direction's base; the raw field when ACK is not set.
    #[serde(rename = "ack")]
    pub relative_ack: u32,
    /// tcp.nxtseq: relative seq + length, +1 for SYN or FIN.
    pub next_seq: u32,
    /// tcp.len
    #[serde(rename = "len")]
    pub segment_len: u32,
    /// tcp.window_size_value: the window field as sent.
    pub window: u16,
    /// tcp.window_size: after scaling where the scale is known (never for SYNs), else as sent.
    pub window_calc: u64,
    /// tcp.analysis.* flags set on this frame.
    pub analysis: AnalysisFlags,
    /// tcp.analysis.duplicate_ack_num (0 when not a duplicate ACK).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dup_ack_num: Option<u32>,
    /// tcp.analysis.duplicate_ack_frame: the frame this duplicate ACK repeats.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dup_ack_of: Option<u32>,
    /// tcp.analysis.initial_rtt in seconds, once the handshake's ACK has been seen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub irtt: Option<f64>,
    /// tcp.analysis.acks_frame: the segment this frame acknowledges.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acked_frame: Option<u32>,
    /// tcp.analysis.ack_rtt in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ack_rtt: Option<f64>,
    /// tcp.analysis.bytes_in_flight
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bytes_in_flight: Option<u32>,
    /// Each endpoint's RFC 9293 state after this frame, as the capture point saw it.
    pub state: EndpointStates,
}

impl TcpFrameFacts {
    /// Info column prefix, e.g. "[TCP Retransmission] " (empty when nothing is flagged).
    pub fn info_prefix(&self) -> String {
        self.analysis
            .info_prefix((self.dup_ack_of.unwrap_or(0), self.dup_ack_num.unwrap_or(0)))
    }
}
