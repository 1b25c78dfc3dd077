//! TCP connections: streams, relative sequence numbers, analysis flags, RFC 9293 states,
//! handshake and close verdicts.
//!
//! Placeholder until the tracker lands: the contract the rest of the crate relies on.

use crate::capture::Timestamp;
use crate::decode::TcpSegment;
use serde::Serialize;
use std::net::IpAddr;

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

/// Final facts about one TCP frame.
#[derive(Clone, Debug, Default, Serialize)]
pub struct TcpFrameFacts {
    pub stream: u32,
    pub relative_seq: u32,
    pub relative_ack: u32,
    /// Window after scaling, or as sent where the scale is unknown.
    pub window_calc: u64,
}

impl TcpFrameFacts {
    /// Info column prefix, e.g. "[TCP Retransmission] " (empty when nothing is flagged).
    pub fn info_prefix(&self) -> String {
        String::new()
    }
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Connection {
    pub stream: u32,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct TcpAnalysis {
    /// One entry per input segment, in input order.
    pub frames: Vec<TcpFrameFacts>,
    pub connections: Vec<Connection>,
}

/// Streaming tracker: `push` every TCP segment in capture order, then `finish` for results
/// that are final on every frame (as `tshark -2` shows them).
#[derive(Default)]
pub struct TcpTracker {
    frames: Vec<TcpFrameFacts>,
}

impl TcpTracker {
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes the next segment; returns provisional facts for it (final ones come from `finish`).
    pub fn push(&mut self, segment: &SegmentIn) -> &TcpFrameFacts {
        self.frames.push(TcpFrameFacts {
            window_calc: u64::from(segment.segment.window),
            ..TcpFrameFacts::default()
        });
        &self.frames[self.frames.len() - 1]
    }

    pub fn finish(self) -> TcpAnalysis {
        TcpAnalysis {
            frames: self.frames,
            connections: Vec::new(),
        }
    }
}
