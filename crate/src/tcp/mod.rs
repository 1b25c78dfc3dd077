//! TCP connections: streams, relative sequence numbers, analysis flags, RFC 9293 states,
//! handshake and close verdicts.
//!
//! Promise: [`TcpTracker`] takes every TCP segment of a capture in capture order and, from
//! [`TcpTracker::finish`], gives one [`TcpFrameFacts`] per segment (in push order) and one
//! [`Connection`] per stream. Per frame the results are final, as `tshark -2` shows them:
//! stream index (`tcp.stream`, including a new stream when a SYN reuses a 4-tuple with a new
//! ISN), relative seq/ack, next seq, calculated window (with the connection's final window
//! scale) and the `tcp.analysis.*` verdicts with tshark 4.0's meaning and precedence. It never
//! panics on input: absurd numbers wrap as TCP's 32-bit arithmetic does, time going backwards
//! only disables the time-based checks.
//!
//! The rules are Wireshark's (epan/dissectors/packet-tcp.c), rewritten: see [`seq`] for the
//! sequence analysis and [`summary`] for states and connection verdicts.

pub mod flags;
pub mod seq;
pub mod summary;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tshark_tests;

use crate::capture::Timestamp;
use crate::decode::{TcpOption, TcpSegment};
pub use flags::{AnalysisFlags, Flag};
use seq::{Direction, SegmentFacts, WindowScale, ACK, SYN};
use serde::Serialize;
use std::collections::HashMap;
use std::net::IpAddr;
pub use summary::{
    CloseKind, CloseSummary, Completeness, Connection, EndpointStates, HandshakeKind,
    HandshakeSummary, Side, State,
};

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

#[derive(Clone, Debug, Default, Serialize)]
pub struct TcpAnalysis {
    /// One entry per input segment, in input order.
    pub frames: Vec<TcpFrameFacts>,
    pub connections: Vec<Connection>,
}

/// An address and port.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Endpoint {
    pub addr: IpAddr,
    pub port: u16,
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.addr {
            IpAddr::V4(a) => write!(f, "{a}:{}", self.port),
            IpAddr::V6(a) => write!(f, "[{a}]:{}", self.port),
        }
    }
}

/// One segment as remembered for the connection verdicts computed in `finish`.
#[derive(Clone, Copy, Debug)]
pub struct Event {
    /// Index into the tracker's frames.
    pub index: u32,
    pub frame: u32,
    pub ts_ns: i128,
    /// Sent by the connection's endpoint `a` (the sender of its first segment).
    pub from_a: bool,
    pub flags: u16,
    pub seq: u32,
    pub ack: u32,
    pub len: u32,
    pub window: u16,
    pub analysis: AnalysisFlags,
}

/// A connection while the capture is read.
#[derive(Clone, Debug)]
pub struct ConnWork {
    pub stream: u32,
    /// Sender of the first segment, and its peer.
    pub a: Endpoint,
    pub b: Endpoint,
    /// [a→b, b→a]
    pub dirs: [Direction; 2],
    /// iRTT in ns (0 = not known, as packet-tcp.c's zero nstime).
    pub initial_rtt_ns: i128,
    /// Time of the most recent SYN (without ACK), for the iRTT.
    pub last_syn_ns: Option<i128>,
    pub events: Vec<Event>,
}

/// Streaming tracker: `push` every TCP segment in capture order, then `finish` for results
/// that are final on every frame (as `tshark -2` shows them).
#[derive(Default)]
pub struct TcpTracker {
    frames: Vec<TcpFrameFacts>,
    conns: Vec<ConnWork>,
    /// Current connection of each 4-tuple (lower endpoint first).
    by_tuple: HashMap<(Endpoint, Endpoint), usize>,
}

fn nanos(ts: Timestamp) -> i128 {
    i128::from(ts.secs) * 1_000_000_000 + i128::from(ts.nanos)
}

fn seconds(ns: i128) -> f64 {
    ns as f64 / 1e9
}

/// Directions as a (sender, receiver) pair of mutable borrows.
fn split_dirs(dirs: &mut [Direction; 2], from_a: bool) -> (&mut Direction, &mut Direction) {
    let (first, second) = dirs.split_at_mut(1);
    if from_a {
        (&mut first[0], &mut second[0])
    } else {
        (&mut second[0], &mut first[0])
    }
}

impl TcpTracker {
    pub fn new() -> Self {
        Self::default()
    }

    fn new_conn(&mut self, src: Endpoint, dst: Endpoint) -> usize {
        let stream = self.conns.len() as u32;
        self.conns.push(ConnWork {
            stream,
            a: src,
            b: dst,
            dirs: [Direction::default(), Direction::default()],
            initial_rtt_ns: 0,
            last_syn_ns: None,
            events: Vec::new(),
        });
        self.conns.len() - 1
    }

    /// Takes the next segment; returns provisional facts for it (final ones come from `finish`:
    /// the calculated window and the iRTT may still change).
    pub fn push(&mut self, input: &SegmentIn) -> &TcpFrameFacts {
        let seg = input.segment;
        let src = Endpoint {
            addr: input.src,
            port: seg.src_port,
        };
        let dst = Endpoint {
            addr: input.dst,
            port: seg.dst_port,
        };
        let key = if src <= dst { (src, dst) } else { (dst, src) };
        let flags = seg.flags;
        let syn_only = flags & (SYN | ACK) == SYN;
        let syn_ack = flags & (SYN | ACK) == (SYN | ACK);

        let mut conn_index = match self.by_tuple.get(&key) {
            Some(&i) => i,
            None => {
                let i = self.new_conn(src, dst);
                self.by_tuple.insert(key, i);
                i
            }
        };
        let mut preset = AnalysisFlags::default();
        // A SYN with a new ISN on a known 4-tuple starts a new stream ("TCP Port numbers
        // reused"); a SYN/ACK with a new ISN is only flagged.
        if let Some(conn) = self.conns.get(conn_index) {
            let from_a = conn.a == src;
            let fwd = if from_a { &conn.dirs[0] } else { &conn.dirs[1] };
            if let Some(base) = fwd.base_seq {
                if (syn_only || syn_ack) && seg.seq != base {
                    preset.set(Flag::ReusedPorts);
                    if syn_only {
                        conn_index = self.new_conn(src, dst);
                        self.by_tuple.insert(key, conn_index);
                    }
                }
            }
        }

        let index = self.frames.len() as u32;
        let ts_ns = nanos(input.ts);
        let mut facts = TcpFrameFacts::default();
        if let Some(conn) = self.conns.get_mut(conn_index) {
            let from_a = conn.a == src;
            let initial_rtt_ns = conn.initial_rtt_ns;
            let (fwd, rev) = split_dirs(&mut conn.dirs, from_a);
            let segment_facts = SegmentFacts {
                frame: input.number,
                ts_ns,
                seq: seg.seq,
                ack: seg.ack,
                len: seg.payload_len,
                flags,
                window: u32::from(seg.window),
                sacked_bytes: seg
                    .options
                    .iter()
                    .find_map(|o| match o {
                        TcpOption::Sack(blocks) => Some(seq::sacked_bytes(blocks)),
                        _ => None,
                    })
                    .unwrap_or(0),
            };
            let verdict = seq::analyze_segment(fwd, rev, &segment_facts, initial_rtt_ns, preset);

            // Window scale: learnt from the SYNs after their own analysis, as packet-tcp.c does.
            if flags & SYN != 0 {
                let shift = seg.options.iter().find_map(|o| match o {
                    TcpOption::WindowScale(s) => Some((*s).min(14)),
                    _ => None,
                });
                if let Some(s) = shift {
                    fwd.window_scale = WindowScale::Shift(s);
                }
                if fwd.window_scale == WindowScale::Unknown {
                    // This SYN lacks the option: neither side scales.
                    fwd.window_scale = WindowScale::NotUsed;
                    rev.window_scale = WindowScale::NotUsed;
                } else if syn_ack && rev.window_scale == WindowScale::NotUsed {
                    fwd.window_scale = WindowScale::NotUsed;
                }
            }

            let base = fwd.base_seq.unwrap_or(0);
            let relative_seq = seg.seq.wrapping_sub(base);
            let relative_ack = if flags & ACK != 0 {
                seg.ack.wrapping_sub(rev.base_seq.unwrap_or(0))
            } else {
                seg.ack
            };
            let syn_fin = u32::from(flags & (SYN | seq::FIN) != 0);
            let shift = if flags & SYN != 0 {
                0
            } else {
                fwd.window_scale.shift()
            };

            if syn_only {
                conn.last_syn_ns = Some(ts_ns);
            } else if flags & (SYN | ACK) == ACK && conn.initial_rtt_ns == 0 {
                if let Some(syn_ns) = conn.last_syn_ns {
                    conn.initial_rtt_ns = ts_ns - syn_ns;
                }
            }
            conn.events.push(Event {
                index,
                frame: input.number,
                ts_ns,
                from_a,
                flags,
                seq: seg.seq,
                ack: seg.ack,
                len: seg.payload_len,
                window: seg.window,
                analysis: verdict.flags,
            });
            let is_dup = verdict.flags.has(Flag::DuplicateAck) && verdict.dup_ack_num > 0;
            facts = TcpFrameFacts {
                stream: conn.stream,
                relative_seq,
                relative_ack,
                next_seq: relative_seq
                    .wrapping_add(seg.payload_len)
                    .wrapping_add(syn_fin),
                segment_len: seg.payload_len,
                window: seg.window,
                window_calc: u64::from(seg.window) << shift,
                analysis: verdict.flags,
                dup_ack_num: is_dup.then_some(verdict.dup_ack_num),
                dup_ack_of: is_dup.then_some(verdict.dup_ack_frame),
                irtt: None,
                acked_frame: verdict.acked_frame,
                ack_rtt: verdict.ack_rtt_ns.map(seconds),
                bytes_in_flight: verdict.bytes_in_flight,
                state: EndpointStates::default(),
            };
        }
        self.frames.push(facts);
        let last = self.frames.len() - 1;
        &self.frames[last]
    }

    pub fn finish(self) -> TcpAnalysis {
        let TcpTracker {
            mut frames, conns, ..
        } = self;
        let mut connections = Vec::with_capacity(conns.len());
        for conn in &conns {
            let summary = summary::summarize(conn);
            for (event, state) in conn.events.iter().zip(summary.states.iter()) {
                let Some(facts) = frames.get_mut(event.index as usize) else {
                    continue;
                };
                // tshark -2 scales every non-SYN window with the connection's final scale.
                let (dir, other) = if event.from_a {
                    (&conn.dirs[0], &conn.dirs[1])
                } else {
                    (&conn.dirs[1], &conn.dirs[0])
                };
                // Relative numbers use the final bases too (a late SYN/ACK can replace a
                // base guessed from an earlier non-SYN segment).
                facts.relative_seq = event.seq.wrapping_sub(dir.base_seq.unwrap_or(0));
                if event.flags & ACK != 0 {
                    facts.relative_ack = event.ack.wrapping_sub(other.base_seq.unwrap_or(0));
                }
                let syn_fin = u32::from(event.flags & (SYN | seq::FIN) != 0);
                facts.next_seq = facts
                    .relative_seq
                    .wrapping_add(event.len)
                    .wrapping_add(syn_fin);
                let shift = if event.flags & SYN != 0 {
                    0
                } else {
                    dir.window_scale.shift()
                };
                facts.window_calc = u64::from(event.window) << shift;
                if conn.initial_rtt_ns != 0 {
                    facts.irtt = Some(seconds(conn.initial_rtt_ns));
                }
                facts.state = *state;
            }
            connections.push(summary.connection);
        }
        TcpAnalysis {
            frames,
            connections,
        }
    }
}
