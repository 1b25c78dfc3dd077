//! What each segment of a stream refers to, found by walking the stream in capture order:
//! what its acknowledgement number acknowledges, which earlier segment a repeat repeats, what
//! the peer had acknowledged before it, and as packet-tcp.c computes them, the bytes sent
//! since the last PSH and which side's FIN initiates the close.
//!
//! Promise: these are facts of the tracker's records only (no frame bytes); a view words or
//! draws them and never walks a stream itself. Computed for one stream when asked for (a
//! ladder, a frame's detail), not kept per segment while a capture is read.

use super::{TcpAnalysis, TcpRecord};
use crate::decode::tcp_flags::{ACK, FIN, PSH, SYN};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// The segment whose end an acknowledgement number points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct SegmentRef {
    pub frame: u32,
    /// Relative sequence number and length.
    pub seq: u32,
    pub len: u32,
    pub syn: bool,
    pub fin: bool,
}

/// What a segment's acknowledgement number says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum AckMeaning {
    /// No ACK bit (a first SYN, some RSTs).
    None,
    /// Acknowledges new bytes, up to the end of this segment of the peer.
    New { segment: SegmentRef },
    /// Acknowledges new bytes whose segment was not captured.
    NewUncaptured,
    /// The same number this side already sent in `since_frame`: nothing new arrived.
    Same { since_frame: u32 },
}

/// Which side of the close a FIN is on (Wireshark's fin_active / fin_passive notes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Closing {
    Initiates,
    Undergoes,
}

/// What one segment refers to (see the module's doc).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SegmentContext {
    pub frame: u32,
    /// Its place in its stream, from 1 (tcp.stream.pnum).
    pub packet_number: u32,
    /// Sent by the connection's endpoint `a` (the sender of its first segment).
    pub from_a: bool,
    pub ack_meaning: AckMeaning,
    /// The frame that first sent the sequence number this segment starts at, when that was
    /// an earlier segment of the same sender (what a retransmission repeats).
    pub repeats: Option<u32>,
    /// The highest acknowledgement number the peer had sent before this segment.
    pub peer_acked: Option<u32>,
    /// tcp.analysis.push_bytes_sent, where packet-tcp.c computes it (segments with payload
    /// whose bytes in flight it shows).
    pub push_bytes_sent: Option<u32>,
    /// For a FIN: whether it starts the close or answers the peer's.
    pub closing: Option<Closing>,
}

/// One sender's segments, walked so far.
#[derive(Default)]
struct Walked {
    /// First frame that sent each relative sequence number (start → (frame, length)).
    sent: BTreeMap<u32, (u32, u32)>,
    /// Segments by the sequence number that follows them (what an Ack points at).
    ends: HashMap<u32, SegmentRef>,
    /// The highest Ack this direction sent and the frame that first sent it.
    last_ack: Option<(u32, u32)>,
    /// Bytes since the last PSH, and whether the last segment counted had PSH.
    push_bytes: u32,
    push_last: bool,
    /// Whether this direction sent a FIN first.
    closing_initiator: bool,
}

/// The segments of stream `stream`, in capture order, with what each refers to; up to and
/// including its segment `last` (an index among the stream's segments), or all of them.
/// `ts_ns(frame)`: a frame's time in ns.
pub fn walk(
    analysis: &TcpAnalysis,
    stream: u32,
    last: Option<usize>,
    ts_ns: &dyn Fn(u32) -> i128,
) -> Vec<SegmentContext> {
    let range = analysis.stream_range(stream);
    let segments: &[TcpRecord] = analysis.segments(stream);
    let count = last.map_or(segments.len(), |l| (l + 1).min(segments.len()));
    let mut directions = [Walked::default(), Walked::default()];
    let mut out = Vec::with_capacity(count);
    for (i, record) in segments.iter().take(count).enumerate() {
        let Some(facts) = analysis.facts(range.start + i, ts_ns) else {
            continue;
        };
        let from_a = record.from_a();
        let (send, recv) = if from_a { (0, 1) } else { (1, 0) };
        let flags = record.flags();
        let (syn, fin) = (flags & SYN != 0, flags & FIN != 0);
        let has_ack = flags & ACK != 0;

        // What the Ack points at, read before this segment is recorded.
        let ack_meaning = if !has_ack {
            AckMeaning::None
        } else {
            match directions[send].last_ack {
                Some((ack, since)) if ack == facts.relative_ack => {
                    AckMeaning::Same { since_frame: since }
                }
                _ => match directions[recv].ends.get(&facts.relative_ack) {
                    Some(segment) => AckMeaning::New { segment: *segment },
                    None => AckMeaning::NewUncaptured,
                },
            }
        };
        let repeats = directions[send]
            .sent
            .range(..=facts.relative_seq)
            .next_back()
            .filter(|(start, (_, len))| facts.relative_seq < start.saturating_add((*len).max(1)))
            .map(|(_, (frame, _))| *frame)
            .filter(|frame| *frame != record.frame);
        let peer_acked = directions[recv].last_ack.map(|(ack, _)| ack);

        // packet-tcp.c counts pushed bytes where it computes bytes in flight.
        let len = analysis.segment_len(record);
        let mut push_bytes_sent = None;
        if len > 0 && record.bytes_in_flight != u32::MAX {
            let d = &mut directions[send];
            d.push_bytes = if d.push_last {
                len
            } else {
                d.push_bytes.saturating_add(len)
            };
            d.push_last = flags & PSH != 0;
            push_bytes_sent = Some(d.push_bytes);
        }
        let closing = fin.then(|| {
            if directions[recv].closing_initiator {
                Closing::Undergoes
            } else {
                directions[send].closing_initiator = true;
                Closing::Initiates
            }
        });

        // Recorded for the segments after it.
        let consumes = facts.segment_len + u32::from(syn) + u32::from(fin);
        if consumes > 0 {
            let d = &mut directions[send];
            d.sent
                .entry(facts.relative_seq)
                .or_insert((record.frame, consumes));
            d.ends.insert(
                facts.next_seq,
                SegmentRef {
                    frame: record.frame,
                    seq: facts.relative_seq,
                    len: facts.segment_len,
                    syn,
                    fin,
                },
            );
        }
        if has_ack && directions[send].last_ack.map(|(a, _)| a) != Some(facts.relative_ack) {
            directions[send].last_ack = Some((facts.relative_ack, record.frame));
        }
        out.push(SegmentContext {
            frame: record.frame,
            packet_number: i as u32 + 1,
            from_a,
            ack_meaning,
            repeats,
            peer_acked,
            push_bytes_sent,
            closing,
        });
    }
    out
}
