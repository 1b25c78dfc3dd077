//! What the segments of a stream refer to, found by walking the stream in capture order:
//! [`relations`], what each one's acknowledgement number acknowledges, which earlier segment a
//! repeat repeats and what the peer had acknowledged before it (a ladder's arrows); and
//! [`place`], as packet-tcp.c computes them, the bytes a segment's sender sent since its last
//! PSH and which side's FIN initiates the close (a frame's detail).
//!
//! Promise: these are facts of the tracker's records only (no frame bytes); a view words or
//! draws them and never walks a stream itself. Computed for one stream when asked for, not
//! kept per segment while a capture is read.

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

/// What one segment's sequence and acknowledgement numbers refer to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SegmentRelations {
    pub frame: u32,
    pub ack_meaning: AckMeaning,
    /// The frame that first sent the sequence number this segment starts at, when that was
    /// an earlier segment of the same sender (what a retransmission repeats).
    pub repeats: Option<u32>,
    /// The highest acknowledgement number the peer had sent before this segment.
    pub peer_acked: Option<u32>,
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
}

/// What each segment of stream `stream` refers to, in capture order.
pub fn relations(analysis: &TcpAnalysis, stream: u32) -> Vec<SegmentRelations> {
    let range = analysis.stream_range(stream);
    let segments: &[TcpRecord] = analysis.segments(stream);
    let mut directions = [Walked::default(), Walked::default()];
    let mut out = Vec::with_capacity(segments.len());
    for (i, record) in segments.iter().enumerate() {
        let Some((numbers, len)) = analysis.relative(range.start + i) else {
            continue;
        };
        let (send, recv) = if record.from_a() { (0, 1) } else { (1, 0) };
        let flags = record.flags();
        let (syn, fin) = (flags & SYN != 0, flags & FIN != 0);
        let has_ack = flags & ACK != 0;

        // What the Ack points at, read before this segment is recorded.
        let ack_meaning = if !has_ack {
            AckMeaning::None
        } else {
            match directions[send].last_ack {
                Some((ack, since)) if ack == numbers.ack => AckMeaning::Same { since_frame: since },
                _ => match directions[recv].ends.get(&numbers.ack) {
                    Some(segment) => AckMeaning::New { segment: *segment },
                    None => AckMeaning::NewUncaptured,
                },
            }
        };
        let repeats = directions[send]
            .sent
            .range(..=numbers.seq)
            .next_back()
            .filter(|(start, (_, len))| numbers.seq < start.saturating_add((*len).max(1)))
            .map(|(_, (frame, _))| *frame)
            .filter(|frame| *frame != record.frame);
        let peer_acked = directions[recv].last_ack.map(|(ack, _)| ack);

        // Recorded for the segments after it.
        let consumes = len + u32::from(syn) + u32::from(fin);
        if consumes > 0 {
            let d = &mut directions[send];
            d.sent
                .entry(numbers.seq)
                .or_insert((record.frame, consumes));
            d.ends.insert(
                numbers.next_seq,
                SegmentRef {
                    frame: record.frame,
                    seq: numbers.seq,
                    len,
                    syn,
                    fin,
                },
            );
        }
        if has_ack && directions[send].last_ack.map(|(a, _)| a) != Some(numbers.ack) {
            directions[send].last_ack = Some((numbers.ack, record.frame));
        }
        out.push(SegmentRelations {
            frame: record.frame,
            ack_meaning,
            repeats,
            peer_acked,
        });
    }
    out
}

/// Where a segment stands among its stream's: its place, the bytes its sender sent since
/// its last PSH, and which side of the close its FIN is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SegmentPlace {
    /// Its place in its stream, from 1 (tcp.stream.pnum).
    pub packet_number: u32,
    /// tcp.analysis.push_bytes_sent, where packet-tcp.c computes it (segments with payload
    /// whose bytes in flight it shows).
    pub push_bytes_sent: Option<u32>,
    /// For a FIN: whether it starts the close or answers the peer's.
    pub closing: Option<Closing>,
}

/// Where segment `at` (an index among stream `stream`'s segments) stands, from the records
/// of the segments before it only: opening one frame of a long stream costs one pass over
/// them and nothing kept.
pub fn place(analysis: &TcpAnalysis, stream: u32, at: usize) -> Option<SegmentPlace> {
    let segments = analysis.segments(stream).get(..=at)?;
    // Per sender ([a, b]): bytes since the last PSH, whether the last counted had PSH, and
    // whether it sent a FIN first.
    let mut push_bytes = [0u32; 2];
    let mut push_last = [false; 2];
    let mut closing_initiator = [false; 2];
    let mut place = SegmentPlace {
        packet_number: at as u32 + 1,
        push_bytes_sent: None,
        closing: None,
    };
    for (i, r) in segments.iter().enumerate() {
        let (send, recv) = if r.from_a() { (0, 1) } else { (1, 0) };
        let this = i == at;
        // packet-tcp.c counts pushed bytes where it computes bytes in flight.
        let len = analysis.segment_len(r);
        if len > 0 && r.bytes_in_flight != u32::MAX {
            push_bytes[send] = if push_last[send] {
                len
            } else {
                push_bytes[send].saturating_add(len)
            };
            push_last[send] = r.flags() & PSH != 0;
            if this {
                place.push_bytes_sent = Some(push_bytes[send]);
            }
        }
        if r.flags() & FIN != 0 {
            let closing = if closing_initiator[recv] {
                Closing::Undergoes
            } else {
                closing_initiator[send] = true;
                Closing::Initiates
            };
            if this {
                place.closing = Some(closing);
            }
        }
    }
    Some(place)
}
