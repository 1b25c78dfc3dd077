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

pub mod flags;
pub mod frame_list;
pub mod seq;
mod seq_number;
pub mod stream;
pub mod summary;
mod tuples;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tshark_tests;

use crate::capture::Timestamp;
use crate::decode::{TcpOption, TcpSegment};
use crate::regroup;
pub use flags::{AnalysisFlags, Flag};
pub use seq::WindowScale;
use seq::{Direction, SegmentFacts, ACK, SYN};
pub use seq_number::SeqNumber;
use serde::Serialize;
use std::net::IpAddr;
use std::ops::Range;
pub use summary::{
    CloseKind, CloseSummary, Completeness, ConnInputs, ConnState, Connection, EndpointStates,
    HandshakeKind, HandshakeSummary, Side, State,
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

/// What the tracker keeps of one TCP segment: 24 bytes, the raw header numbers and the
/// verdicts. Its stream is where it lies: the finished analysis keeps the records grouped by
/// stream ([`TcpAnalysis::stream_of`]). Everything else a frame shows (relative numbers, the
/// scaled window, the iRTT, the ACK's RTT) is derived from these and the connection's
/// [`ConnFacts`] in [`TcpAnalysis::facts`], so a million segments cost 24 MB rather than a
/// struct of views each.
///
/// What does not fit is kept beside, for the few segments that need it: the length takes 16
/// bits and the acknowledged segment 8 (how many of its stream's segments back it is), so a
/// jumbogram or an ACK of a segment far back has both in a [`Wides`] table; the analysis
/// flags, which most segments lack, are in a [`Flagged`] list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TcpRecord {
    /// Frame number (1-based).
    pub frame: u32,
    /// Sequence and acknowledgement numbers as sent.
    pub seq: u32,
    pub ack: u32,
    /// tcp.analysis.bytes_in_flight (u32::MAX: not shown).
    pub bytes_in_flight: u32,
    /// tcp.len, unless [`TcpRecord::WIDE`].
    len: u16,
    /// The window field as sent.
    pub window: u16,
    /// The 12 TCP flag bits, [`TcpRecord::FROM_A`], `TcpRecord::WIDE` and
    /// `TcpRecord::FLAGGED`.
    pub bits: u16,
    /// Each endpoint's RFC 9293 state after this segment: the client's in the high four bits
    /// ([`TcpRecord::state`]).
    state: u8,
    /// How many of its stream's segments back the one it acknowledges is (0: none), unless
    /// [`TcpRecord::WIDE`]; set when the capture ends (see [`Wides::settle`]).
    acked_back: u8,
}

const _: () = assert!(size_of::<TcpRecord>() == 24);

impl TcpRecord {
    /// Set in `bits` when the segment was sent by the connection's endpoint `a` (the sender of
    /// its first segment).
    pub const FROM_A: u16 = 0x8000;
    /// Set in `bits` when the length and acknowledged frame are in the [`Wides`] table.
    const WIDE: u16 = 0x4000;
    /// Set in `bits` when the segment has analysis flags (in the [`Flagged`] list).
    const FLAGGED: u16 = 0x2000;

    /// The TCP flag bits (FIN 0x001 ... AE 0x100, reserved 0xe00).
    pub fn flags(&self) -> u16 {
        self.bits & 0x0fff
    }

    pub fn from_a(&self) -> bool {
        self.bits & Self::FROM_A != 0
    }

    /// Each endpoint's RFC 9293 state after this segment.
    pub fn state(&self) -> EndpointStates {
        EndpointStates {
            client: State::from_index(self.state >> 4),
            server: State::from_index(self.state & 0x0f),
        }
    }

    fn set_state(&mut self, states: EndpointStates) {
        self.state = (states.client as u8) << 4 | (states.server as u8 & 0x0f);
    }
}

/// The analysis flags of the segments that have any, by frame (in frame order): most segments
/// have none, and a record has a bit that says whether to look here.
#[derive(Clone, Debug, Default)]
pub struct Flagged {
    frames: Vec<u32>,
    flags: Vec<AnalysisFlags>,
}

impl Flagged {
    /// Keeps `record`'s flags (the records come in frame order).
    fn set(&mut self, record: &mut TcpRecord, flags: AnalysisFlags) {
        if flags.is_empty() {
            record.bits &= !TcpRecord::FLAGGED;
            return;
        }
        record.bits |= TcpRecord::FLAGGED;
        self.frames.push(record.frame);
        self.flags.push(flags);
    }

    /// `record`'s analysis flags.
    pub fn get(&self, record: &TcpRecord) -> AnalysisFlags {
        self.view().get(record)
    }

    fn view(&self) -> FlaggedView<'_> {
        FlaggedView {
            frames: &self.frames,
            flags: &self.flags,
        }
    }

    /// The flags of the segments in frames `first..=last` only: a connection's, looked up
    /// again and again while it is summarised, among a few entries rather than the capture's.
    fn within(&self, first: u32, last: u32) -> FlaggedView<'_> {
        let from = self.frames.partition_point(|&f| f < first);
        let to = self.frames.partition_point(|&f| f <= last).max(from);
        FlaggedView {
            frames: self.frames.get(from..to).unwrap_or_default(),
            flags: self.flags.get(from..to).unwrap_or_default(),
        }
    }

    fn shrink_to_fit(&mut self) {
        self.frames.shrink_to_fit();
        self.flags.shrink_to_fit();
    }

    fn bytes(&self) -> usize {
        crate::kept::vec(&self.frames) + crate::kept::vec(&self.flags)
    }
}

/// Some of [`Flagged`]'s entries.
#[derive(Clone, Copy)]
struct FlaggedView<'a> {
    frames: &'a [u32],
    flags: &'a [AnalysisFlags],
}

impl FlaggedView<'_> {
    #[inline]
    fn get(&self, record: &TcpRecord) -> AnalysisFlags {
        if record.bits & TcpRecord::FLAGGED == 0 {
            return AnalysisFlags::default();
        }
        self.find(record.frame)
    }

    /// Out of line: most segments have no flags, and the search would keep the lookups of
    /// those that have none from being inlined.
    #[inline(never)]
    fn find(&self, frame: u32) -> AnalysisFlags {
        self.frames
            .binary_search(&frame)
            .ok()
            .and_then(|i| self.flags.get(i))
            .copied()
            .unwrap_or_default()
    }
}

/// tcp.analysis.acks_frame of `record` given the frame it was found to acknowledge (0: none):
/// none when that is its own frame.
fn acks_another(record: &TcpRecord, frame: u32) -> Option<u32> {
    (frame != 0 && frame != record.frame).then_some(frame)
}

/// A segment's length and acknowledged frame, when they do not fit in its record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Wide {
    frame: u32,
    len: u32,
    acked_frame: u32,
}

/// The `Wide` values of the records that have them, in frame order.
#[derive(Clone, Debug, Default)]
pub struct Wides(Vec<Wide>);

impl Wides {
    /// Stores `len` in `record`, or here with `acked_frame` (0: none) when it does not fit.
    fn set(&mut self, record: &mut TcpRecord, len: u32, acked_frame: u32) {
        match u16::try_from(len) {
            Ok(len) => {
                record.len = len;
                record.bits &= !TcpRecord::WIDE;
            }
            Err(_) => self.push(record, len, acked_frame),
        }
    }

    fn push(&mut self, record: &mut TcpRecord, len: u32, acked_frame: u32) {
        record.bits |= TcpRecord::WIDE;
        self.0.push(Wide {
            frame: record.frame,
            len,
            acked_frame,
        });
    }

    fn get(&self, record: &TcpRecord) -> Option<&Wide> {
        if record.bits & TcpRecord::WIDE == 0 {
            return None;
        }
        let i = self
            .0
            .binary_search_by_key(&record.frame, |w| w.frame)
            .ok()?;
        self.0.get(i)
    }

    /// tcp.len of `record`.
    #[inline]
    pub fn len(&self, record: &TcpRecord) -> u32 {
        if record.bits & TcpRecord::WIDE == 0 {
            return u32::from(record.len);
        }
        self.wide_len(record)
    }

    #[inline(never)]
    fn wide_len(&self, record: &TcpRecord) -> u32 {
        self.get(record).map_or(0, |w| w.len)
    }

    /// The frame that segment `index` of `records` acknowledges (tcp.analysis.acks_frame), if
    /// any; `records` are the stream's (or all, grouped by stream), once the capture ended.
    pub fn acked_frame(&self, records: &[TcpRecord], index: usize) -> Option<u32> {
        let record = records.get(index)?;
        let frame = match self.get(record) {
            Some(wide) => wide.acked_frame,
            None if record.bits & TcpRecord::WIDE != 0 || record.acked_back == 0 => 0,
            None => {
                records
                    .get(index.checked_sub(usize::from(record.acked_back))?)?
                    .frame
            }
        };
        acks_another(record, frame)
    }

    /// Once the records are grouped by stream: each one's acknowledged frame (`acked`, by
    /// record; 0: none) becomes how many of its stream's segments back that frame is, or goes
    /// here when it is more than 255 back (or not found in the stream).
    fn settle(&mut self, records: &mut [TcpRecord], acked: &[u32], starts: &[u32]) {
        let added = self.0.len();
        for stream in 0..starts.len().saturating_sub(1) {
            let range = regroup::range(starts, stream as u32);
            let first = range.start;
            let Some(group) = records.get_mut(range) else {
                continue;
            };
            for at in 0..group.len() {
                let record = group[at];
                let frame = acked.get(first + at).copied().unwrap_or(0);
                if record.bits & TcpRecord::WIDE != 0 || frame == 0 {
                    continue;
                }
                // The stream's segments are in frame order.
                let back = group[..at]
                    .binary_search_by_key(&frame, |r| r.frame)
                    .ok()
                    .and_then(|found| u8::try_from(at - found).ok());
                match back {
                    Some(back) => group[at].acked_back = back,
                    None => self.push(&mut group[at], u32::from(record.len), frame),
                }
            }
        }
        if self.0.len() > added {
            self.0.sort_unstable_by_key(|w| w.frame);
        }
        self.0.shrink_to_fit();
    }

    fn bytes(&self) -> usize {
        crate::kept::vec(&self.0)
    }
}

/// What is kept of a connection: its endpoints, and what its frames' relative numbers and
/// windows are derived from. Its summary ([`Connection`]) is made from its segments when
/// asked for ([`TcpAnalysis::connection`]).
#[derive(Clone, Copy, Debug)]
pub struct ConnFacts {
    /// The addresses (indices into [`TcpAnalysis::addresses`]) and ports of the sender of the
    /// connection's first segment (`a`) and its peer (`b`).
    addresses: [u32; 2],
    ports: [u16; 2],
    /// The final base sequence number of each direction ([a→b, b→a]; 0 when never seen).
    pub base_seq: [u32; 2],
    /// The final window scaling of each direction.
    pub window_scale: [WindowScale; 2],
    /// iRTT in ns (0: not known).
    pub initial_rtt_ns: i64,
    /// Whether `a` is the client (the side that sent the SYN, or the port's guess).
    pub client_is_a: bool,
    /// tcp.completeness, shown on each of its frames.
    pub completeness: Completeness,
    /// The number of its latest frame in time (a capture's times may go back): its summary's
    /// end, without every segment's time looked up again.
    pub last_frame: u32,
}

// One per connection, and all that is kept of one beside its segments.
const _: () = assert!(size_of::<ConnFacts>() <= 40);

/// What a segment has beside its record: its length, analysis flags, the frame it
/// acknowledges and its duplicate-ACK entry.
struct Beside<'a> {
    len: u32,
    analysis: AnalysisFlags,
    acked: Option<u32>,
    dup: Option<&'a DupAck>,
}

/// The facts of segment `r` of stream `stream` given its connection's facts (base sequence
/// numbers, window scaling, iRTT) and what it has beside its record.
fn derive_facts(
    r: &TcpRecord,
    stream: u32,
    conn: &ConnFacts,
    beside: Beside,
    ts_ns: &dyn Fn(u32) -> i128,
) -> TcpFrameFacts {
    let Beside {
        len,
        analysis,
        acked,
        dup,
    } = beside;
    let ConnFacts {
        base_seq,
        window_scale,
        initial_rtt_ns,
        ..
    } = *conn;
    let initial_rtt_ns = i128::from(initial_rtt_ns);
    let flags = r.flags();
    let (dir, other) = if r.from_a() { (0, 1) } else { (1, 0) };
    let relative_seq = r.seq.wrapping_sub(base_seq[dir]);
    let relative_ack = if flags & ACK != 0 {
        r.ack.wrapping_sub(base_seq[other])
    } else {
        r.ack
    };
    let syn_fin = u32::from(flags & (SYN | seq::FIN) != 0);
    // tshark -2 scales every non-SYN window with the connection's final scale.
    let shift = if flags & SYN != 0 {
        0
    } else {
        window_scale[dir].shift()
    };
    TcpFrameFacts {
        stream,
        relative_seq,
        relative_ack,
        next_seq: relative_seq.wrapping_add(len).wrapping_add(syn_fin),
        segment_len: len,
        window: r.window,
        window_calc: u64::from(r.window) << shift,
        analysis,
        dup_ack_num: dup.map(|d| d.number),
        dup_ack_of: dup.map(|d| d.of_frame),
        irtt: (initial_rtt_ns != 0).then(|| seconds(initial_rtt_ns)),
        acked_frame: acked,
        ack_rtt: acked.map(|f| seconds(ts_ns(r.frame) - ts_ns(f))),
        bytes_in_flight: (r.bytes_in_flight != u32::MAX).then_some(r.bytes_in_flight),
        state: r.state(),
    }
}

/// The duplicate-ACK entry of the segment in frame `frame`, if it has one.
fn dup_ack(dup_acks: &[DupAck], frame: u32) -> Option<&DupAck> {
    let i = dup_acks.binary_search_by_key(&frame, |d| d.frame).ok()?;
    dup_acks.get(i)
}

/// A duplicate ACK's number and the frame it repeats (few frames have one: kept aside, in
/// frame order).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct DupAck {
    frame: u32,
    number: u32,
    of_frame: u32,
}

#[derive(Clone, Debug, Default)]
pub struct TcpAnalysis {
    /// One per input segment, grouped by stream, each stream's in capture order: stream `s`
    /// has `records[stream_starts[s]..stream_starts[s + 1]]` ([`TcpAnalysis::segments`]).
    /// A frame's record is at [`crate::analysis::FrameRecord::tcp`].
    pub records: Vec<TcpRecord>,
    /// One per stream, in stream order.
    pub conns: Vec<ConnFacts>,
    /// The connections' endpoints' addresses, each once ([`ConnFacts`] has indices).
    addresses: Vec<IpAddr>,
    dup_acks: Vec<DupAck>,
    wides: Wides,
    flagged: Flagged,
    stream_starts: Vec<u32>,
}

impl TcpAnalysis {
    /// The heap bytes kept, by part (see [`crate::kept`]).
    pub fn kept(&self, kept: &mut crate::kept::Kept) {
        use crate::kept::vec;
        kept.add(
            "TCP segment records",
            vec(&self.records) + self.wides.bytes() + self.flagged.bytes(),
        );
        kept.add(
            "TCP connections",
            vec(&self.conns)
                + vec(&self.addresses)
                + vec(&self.dup_acks)
                + vec(&self.stream_starts),
        );
    }

    /// Number of segments.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// tcp.len of a segment.
    pub fn segment_len(&self, record: &TcpRecord) -> u32 {
        self.wides.len(record)
    }

    /// The frame segment `index` acknowledges (tcp.analysis.acks_frame), if any.
    pub fn acked_frame(&self, index: usize) -> Option<u32> {
        self.wides.acked_frame(&self.records, index)
    }

    /// A segment's analysis flags.
    pub fn analysis(&self, record: &TcpRecord) -> AnalysisFlags {
        self.flagged.get(record)
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// A stream's endpoints `a` (the sender of its first segment) and `b`.
    pub fn endpoints(&self, stream: u32) -> Option<(Endpoint, Endpoint)> {
        let c = self.conns.get(stream as usize)?;
        let endpoint = |i: usize| {
            Some(Endpoint {
                addr: *self.addresses.get(c.addresses[i] as usize)?,
                port: c.ports[i],
            })
        };
        Some((endpoint(0)?, endpoint(1)?))
    }

    /// Stream `stream`'s client and server, as places for an [`EndpointWriter`].
    pub fn endpoint_places(&self, stream: u32) -> Option<[(u32, u16); 2]> {
        let f = self.conns.get(stream as usize)?;
        let a = (f.addresses[0], f.ports[0]);
        let b = (f.addresses[1], f.ports[1]);
        Some(if f.client_is_a { [a, b] } else { [b, a] })
    }

    /// Number of connections (streams).
    pub fn connection_count(&self) -> usize {
        self.conns.len()
    }

    /// A stream's tcp.completeness.
    pub fn completeness(&self, stream: u32) -> Option<Completeness> {
        Some(self.conns.get(stream as usize)?.completeness)
    }

    /// Stream `stream`'s summary, made from its segments (`ts_ns(frame)`: a frame's time in ns).
    pub fn connection(&self, stream: u32, ts_ns: &dyn Fn(u32) -> i128) -> Option<Connection> {
        let facts = self.conns.get(stream as usize)?;
        let (a, b) = self.endpoints(stream)?;
        let records = self.segments(stream);
        let ns = |frame: u32| {
            let ns = ts_ns(frame);
            i64::try_from(ns).unwrap_or(if ns < 0 { i64::MIN } else { i64::MAX })
        };
        let first_ns = records.first().map_or(0, |r| ns(r.frame));
        let last_ns = ns(facts.last_frame).max(first_ns);
        let inputs = ConnInputs {
            stream,
            a,
            b,
            initial_rtt_ns: facts.initial_rtt_ns,
            completeness: facts.completeness,
            first_ns,
            last_ns,
        };
        let events = Events::new(records, &self.wides, &self.flagged);
        Some(summary::summarize(&inputs, events))
    }

    /// Every connection's summary, in stream order, each made when reached (see
    /// [`TcpAnalysis::connection`]).
    pub fn connections<'a>(
        &'a self,
        ts_ns: &'a dyn Fn(u32) -> i128,
    ) -> impl Iterator<Item = Connection> + 'a {
        (0..self.conns.len() as u32).filter_map(move |stream| self.connection(stream, ts_ns))
    }

    /// Whether a segment of stream `stream` was sent by its connection's client.
    pub fn from_client(&self, stream: u32, record: &TcpRecord) -> bool {
        let client_is_a = self
            .conns
            .get(stream as usize)
            .is_none_or(|c| c.client_is_a);
        record.from_a() == client_is_a
    }

    /// The stream of segment `index` (tcp.stream).
    pub fn stream_of(&self, index: u32) -> Option<u32> {
        if index as usize >= self.records.len() {
            return None;
        }
        // The last stream starting at or before `index` (streams are never empty).
        let after = self.stream_starts.partition_point(|&start| start <= index);
        u32::try_from(after.checked_sub(1)?).ok()
    }

    /// Segment `index` with its stream.
    pub fn segment(&self, index: u32) -> Option<(u32, &TcpRecord)> {
        Some((self.stream_of(index)?, self.records.get(index as usize)?))
    }

    /// Where stream `stream`'s segments are in `records`.
    pub fn stream_range(&self, stream: u32) -> Range<usize> {
        regroup::range(&self.stream_starts, stream)
    }

    /// The endpoints that sent and received segment `index`.
    pub fn sender_receiver(&self, index: u32) -> Option<(Endpoint, Endpoint)> {
        let (stream, record) = self.segment(index)?;
        let (a, b) = self.endpoints(stream)?;
        Some(if record.from_a() { (a, b) } else { (b, a) })
    }

    /// Stream `stream`'s segments, in capture order.
    pub fn segments(&self, stream: u32) -> &[TcpRecord] {
        self.records
            .get(self.stream_range(stream))
            .unwrap_or_default()
    }

    /// The facts of segment `index` as tshark -2 shows them. `ts_ns(frame)` gives a frame's
    /// time in ns (for the ACK's RTT, the difference of two frames' times).
    pub fn facts(&self, index: usize, ts_ns: &dyn Fn(u32) -> i128) -> Option<TcpFrameFacts> {
        let r = self.records.get(index)?;
        let stream = self.stream_of(index as u32)?;
        let conn = self.conns.get(stream as usize)?;
        let beside = Beside {
            len: self.wides.len(r),
            analysis: self.flagged.get(r),
            acked: self.acked_frame(index),
            dup: dup_ack(&self.dup_acks, r.frame),
        };
        Some(derive_facts(r, stream, conn, beside, ts_ns))
    }

    /// Every segment's facts, in frame order (tests and tools; the page asks frame by frame).
    pub fn all_facts(&self, ts_ns: &dyn Fn(u32) -> i128) -> Vec<TcpFrameFacts> {
        let mut order: Vec<usize> = (0..self.records.len()).collect();
        order.sort_unstable_by_key(|&i| self.records[i].frame);
        order
            .into_iter()
            .filter_map(|i| self.facts(i, ts_ns))
            .collect()
    }
}

/// An address and port.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Endpoint {
    pub addr: IpAddr,
    pub port: u16,
}

impl Default for Endpoint {
    fn default() -> Self {
        Endpoint {
            addr: IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED),
            port: 0,
        }
    }
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.addr {
            IpAddr::V4(a) => write!(f, "{a}:{}", self.port),
            IpAddr::V6(a) => write!(f, "[{a}]:{}", self.port),
        }
    }
}

/// Writes connections' endpoints as [`Endpoint`]'s `Display` does, from their places in a
/// [`TcpAnalysis`] ([`TcpAnalysis::endpoint_places`]): each address is formatted once, when
/// first written (formatting addresses was most of the work of listing 82 k connections' ends
/// in wasm, and hashing them to find the text again most of the rest).
pub struct EndpointWriter<'a> {
    addresses: &'a [IpAddr],
    texts: Vec<Option<Box<str>>>,
}

impl<'a> EndpointWriter<'a> {
    pub fn new(tcp: &'a TcpAnalysis) -> Self {
        EndpointWriter {
            addresses: &tcp.addresses,
            texts: vec![None; tcp.addresses.len()],
        }
    }

    /// Writes the endpoint at `place`: (its address's index, its port).
    pub fn write(&mut self, out: &mut String, (address, port): (u32, u16)) {
        let index = address as usize;
        if let (Some(addr), Some(text)) = (self.addresses.get(index), self.texts.get_mut(index)) {
            out.push_str(text.get_or_insert_with(|| match addr {
                IpAddr::V4(_) => crate::text::ip_string(*addr).into(),
                IpAddr::V6(a) => format!("[{a}]").into(),
            }));
        }
        out.push(':');
        crate::text::num(out, port);
    }
}

/// One segment as remembered for the connection verdicts computed in `finish`.
#[derive(Clone, Copy, Debug)]
pub struct Event {
    /// Its place among its connection's segments.
    pub index: u32,
    pub frame: u32,
    /// Sent by the connection's endpoint `a` (the sender of its first segment).
    pub from_a: bool,
    pub flags: u16,
    pub seq: u32,
    pub ack: u32,
    pub len: u32,
    pub window: u16,
    pub analysis: AnalysisFlags,
}

/// A connection's segments as [`Event`]s, read from the records where they lie: gathered in a
/// list, a long connection's events would take 28 bytes a segment at once (a capture of one
/// long transfer: 126 MB for 4.5 million segments, beside the records).
#[derive(Clone, Copy)]
pub struct Events<'a> {
    /// The connection's segments, in capture order.
    records: &'a [TcpRecord],
    wides: &'a Wides,
    flagged: FlaggedView<'a>,
}

impl<'a> Events<'a> {
    /// The events of a connection's `records` (in capture order).
    fn new(records: &'a [TcpRecord], wides: &'a Wides, flagged: &'a Flagged) -> Self {
        let first = records.first().map_or(0, |r| r.frame);
        let last = records.last().map_or(0, |r| r.frame);
        Events {
            records,
            wides,
            flagged: flagged.within(first, last),
        }
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    pub fn get(&self, position: usize) -> Option<Event> {
        Some(self.event(position as u32, self.records.get(position)?))
    }

    pub fn first(&self) -> Option<Event> {
        self.get(0)
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = Event> + ExactSizeIterator + 'a {
        self.from(0)
    }

    /// The events from position `start` on (none when there are fewer).
    pub fn from(
        &self,
        start: usize,
    ) -> impl DoubleEndedIterator<Item = Event> + ExactSizeIterator + 'a {
        let events = *self;
        let start = start.min(self.records.len());
        (start as u32..self.records.len() as u32)
            .zip(&self.records[start..])
            .map(move |(i, r)| events.event(i, r))
    }

    /// Both endpoints' states after the event at `position` (once the capture ended).
    pub fn states(&self, position: usize) -> Option<EndpointStates> {
        Some(self.records.get(position)?.state())
    }

    #[inline]
    fn event(&self, index: u32, r: &TcpRecord) -> Event {
        Event {
            index,
            frame: r.frame,
            from_a: r.from_a(),
            flags: r.flags(),
            seq: r.seq,
            ack: r.ack,
            len: self.wides.len(r),
            window: r.window,
            analysis: self.flagged.get(r),
        }
    }
}

/// [`ConnWork::last_syn_ns`] before a SYN is seen (a flag beside it would cost 8 bytes per
/// connection; a SYN at the very first representable instant is taken as none).
const NO_SYN: i64 = i64::MIN;

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
    pub initial_rtt_ns: i64,
    /// Time of the most recent SYN (without ACK), for the iRTT (`NO_SYN` before one).
    pub last_syn_ns: i64,
    /// The latest time among its segments so far, and the first frame with that time
    /// ([`ConnFacts::last_frame`]; 0 before its first segment).
    pub last_ns: i64,
    pub last_frame: u32,
}

impl ConnWork {
    /// What the connection's frames' facts are derived from, as known now (`client_is_a` and
    /// `completeness`: from its segments, once all are read; `addresses`: its endpoints'
    /// addresses' indices, once kept).
    fn facts(
        &self,
        client_is_a: bool,
        completeness: Completeness,
        addresses: [u32; 2],
    ) -> ConnFacts {
        ConnFacts {
            addresses,
            ports: [self.a.port, self.b.port],
            base_seq: [
                self.dirs[0].base_seq.unwrap_or(0),
                self.dirs[1].base_seq.unwrap_or(0),
            ],
            window_scale: [self.dirs[0].window_scale, self.dirs[1].window_scale],
            initial_rtt_ns: self.initial_rtt_ns,
            client_is_a,
            completeness,
            last_frame: self.last_frame,
        }
    }
}

/// What [`TcpTracker::push`] tells at once about a segment (the rest is final only after
/// [`TcpTracker::finish`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct Pushed {
    /// tcp.stream
    pub stream: u32,
    /// Sent by the stream's first sender (the same value for every segment of a direction).
    pub from_a: bool,
    /// The analysis flags, final except that later segments never change them.
    pub analysis: AnalysisFlags,
}

/// Streaming tracker: `push` every TCP segment in capture order, then `finish` for results
/// that are final on every frame (as `tshark -2` shows them).
#[derive(Default)]
pub struct TcpTracker {
    /// In push order.
    records: Vec<TcpRecord>,
    /// The stream of each record, in push order (until `finish` groups the records by stream).
    streams: Vec<u32>,
    /// The frame each record acknowledges (0: none), in push order (until `finish` keeps it
    /// in the records, as a count of segments back).
    acked: Vec<u32>,
    dup_acks: Vec<DupAck>,
    wides: Wides,
    flagged: Flagged,
    conns: Vec<ConnWork>,
    /// Current connection of each 4-tuple.
    by_tuple: tuples::Tuples,
    /// Lists of unacknowledged segments for reuse.
    spare: seq::Spare,
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

    /// Segments pushed so far.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Segment `index`'s facts as known so far, while the capture is still being read: the
    /// relative numbers, scaled window and iRTT may still change (a later SYN can set a base
    /// or a scale), and the endpoints' states are not known yet (`UNKNOWN`).
    pub fn facts_so_far(&self, index: usize, ts_ns: &dyn Fn(u32) -> i128) -> Option<TcpFrameFacts> {
        let r = self.records.get(index)?;
        let stream = *self.streams.get(index)?;
        let conn = self.conns.get(stream as usize)?;
        let beside = Beside {
            len: self.wides.len(r),
            analysis: self.flagged.get(r),
            acked: acks_another(r, self.acked.get(index).copied().unwrap_or(0)),
            dup: dup_ack(&self.dup_acks, r.frame),
        };
        let facts = conn.facts(false, Completeness::default(), [0; 2]);
        Some(derive_facts(r, stream, &facts, beside, ts_ns))
    }

    /// Room for `scale` times the segments and connections seen so far (the capture's
    /// expected size over what has been read).
    pub fn reserve_scaled(&mut self, scale: f64) {
        let more = |n: usize| ((n as f64 * scale) as usize).saturating_sub(n);
        self.records.reserve(more(self.records.len()));
        self.streams.reserve(more(self.streams.len()));
        self.acked.reserve(more(self.acked.len()));
        self.conns.reserve(more(self.conns.len()));
        self.by_tuple.reserve(more(self.by_tuple.len()));
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// A new connection whose first segment, sent at `ts_ns`, goes from `src` to `dst`: from
    /// now on the connection of their 4-tuple.
    fn new_conn(&mut self, src: Endpoint, dst: Endpoint) -> u32 {
        let stream = self.conns.len() as u32;
        self.conns.push(ConnWork {
            stream,
            a: src,
            b: dst,
            dirs: [Direction::default(), Direction::default()],
            initial_rtt_ns: 0,
            last_syn_ns: NO_SYN,
            last_ns: 0,
            last_frame: 0,
        });
        self.by_tuple.insert(src, dst, stream, &self.conns);
        stream
    }

    /// Takes the next segment; tells its stream and analysis flags (the rest comes from
    /// `finish`: relative numbers, the calculated window and the iRTT may still change).
    pub fn push(&mut self, input: &SegmentIn) -> Pushed {
        let seg = input.segment;
        let src = Endpoint {
            addr: input.src,
            port: seg.src_port,
        };
        let dst = Endpoint {
            addr: input.dst,
            port: seg.dst_port,
        };
        let ts_ns = input.ts.as_nanos_i64();
        let flags = seg.flags;
        let syn_only = flags & (SYN | ACK) == SYN;
        let syn_ack = flags & (SYN | ACK) == (SYN | ACK);

        let mut conn_index = match self.by_tuple.get(src, dst, &self.conns) {
            Some(i) => i,
            None => self.new_conn(src, dst),
        };
        let mut preset = AnalysisFlags::default();
        // A SYN with a new ISN on a known 4-tuple starts a new stream ("TCP Port numbers
        // reused"); a SYN/ACK with a new ISN is only flagged.
        if let Some(conn) = self.conns.get(conn_index as usize) {
            let from_a = conn.a == src;
            let fwd = if from_a { &conn.dirs[0] } else { &conn.dirs[1] };
            if let Some(base) = fwd.base_seq {
                if (syn_only || syn_ack) && seg.seq != base {
                    preset.set(Flag::ReusedPorts);
                    if syn_only {
                        conn_index = self.new_conn(src, dst);
                    }
                }
            }
        }

        let mut pushed = Pushed::default();
        let mut acked_frame = 0;
        let mut record = TcpRecord {
            frame: input.number,
            seq: seg.seq,
            ack: seg.ack,
            bytes_in_flight: u32::MAX,
            window: seg.window,
            bits: flags & 0x0fff,
            ..TcpRecord::default()
        };
        if let Some(conn) = self.conns.get_mut(conn_index as usize) {
            let from_a = conn.a == src;
            let initial_rtt_ns = conn.initial_rtt_ns;
            let (fwd, rev) = split_dirs(&mut conn.dirs, from_a);
            let segment_facts = SegmentFacts {
                frame: input.number,
                ts: input.ts,
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
            let verdict = seq::analyze_segment(
                fwd,
                rev,
                &segment_facts,
                initial_rtt_ns,
                preset,
                &mut self.spare,
            );

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

            if conn.last_frame == 0 || ts_ns > conn.last_ns {
                conn.last_ns = ts_ns;
                conn.last_frame = input.number;
            }
            if syn_only {
                conn.last_syn_ns = ts_ns;
            } else if flags & (SYN | ACK) == ACK
                && conn.initial_rtt_ns == 0
                && conn.last_syn_ns != NO_SYN
            {
                conn.initial_rtt_ns = ts_ns.saturating_sub(conn.last_syn_ns);
            }
            if verdict.flags.has(Flag::DuplicateAck) && verdict.dup_ack_num > 0 {
                self.dup_acks.push(DupAck {
                    frame: input.number,
                    number: verdict.dup_ack_num,
                    of_frame: verdict.dup_ack_frame,
                });
            }
            if from_a {
                record.bits |= TcpRecord::FROM_A;
            }
            self.flagged.set(&mut record, verdict.flags);
            acked_frame = verdict.acked_frame.unwrap_or(0);
            if let Some(bytes) = verdict.bytes_in_flight {
                record.bytes_in_flight = bytes;
            }
            pushed = Pushed {
                stream: conn.stream,
                from_a,
                analysis: verdict.flags,
            };
        }
        self.wides.set(&mut record, seg.payload_len, acked_frame);
        self.records.push(record);
        self.streams.push(conn_index);
        self.acked.push(acked_frame);
        pushed
    }

    /// Ends the input. Also gives where each record went (by push order): the records are
    /// grouped by stream, so a frame's index into them changes.
    pub fn finish(self) -> (TcpAnalysis, Vec<u32>) {
        let TcpTracker {
            mut records,
            streams,
            mut acked,
            dup_acks,
            mut wides,
            mut flagged,
            mut conns,
            by_tuple,
            spare,
        } = self;
        // Not needed any more: their room goes back before the summaries take theirs.
        drop(by_tuple);
        drop(spare);
        // Room reserved ahead goes back, in place (see `Analysis::finish`).
        records.shrink_to_fit();
        conns.shrink_to_fit();
        // Group the records by stream (stable, so capture order within each); each record's
        // new place takes the room of its stream's, which is not needed after.
        let (moved, stream_starts) = regroup::places(streams, conns.len());
        regroup::permute(&mut records, &moved);
        regroup::permute(&mut acked, &moved);
        wides.settle(&mut records, &acked, &stream_starts);
        drop(acked);
        flagged.shrink_to_fit();

        // Each working state becomes what is kept of its connection in the same list's room
        // (a map and collect over a Vec's own items reuses its allocation when the new item
        // is no larger): the two lists never coexist.
        const _: () = assert!(size_of::<ConnFacts>() <= size_of::<ConnWork>());
        // Each address once: a few hosts talk over many connections.
        let mut addresses = Vec::new();
        let mut index = rustc_hash::FxHashMap::<IpAddr, u32>::default();
        let mut address = |addr: IpAddr| {
            *index.entry(addr).or_insert_with(|| {
                addresses.push(addr);
                addresses.len() as u32 - 1
            })
        };
        // Each connection's states, in turn (one list, not one per connection).
        let mut states = Vec::new();
        let mut conns: Vec<ConnFacts> = conns
            .into_iter()
            .map(|conn| {
                let range = regroup::range(&stream_starts, conn.stream);
                let group = records.get_mut(range).unwrap_or_default();
                let events = Events::new(group, &wides, &flagged);
                let roles = summary::roles(conn.a.port, conn.b.port, events, &mut states);
                for (r, state) in group.iter_mut().zip(states.iter()) {
                    r.set_state(*state);
                }
                let kept = [address(conn.a.addr), address(conn.b.addr)];
                conn.facts(roles.client_is_a, roles.completeness, kept)
            })
            .collect();
        drop(index);
        addresses.shrink_to_fit();
        // The working states' room was larger: the rest goes back, in place.
        conns.shrink_to_fit();
        let analysis = TcpAnalysis {
            records,
            conns,
            addresses,
            dup_acks,
            wides,
            flagged,
            stream_starts,
        };
        (analysis, moved)
    }
}
