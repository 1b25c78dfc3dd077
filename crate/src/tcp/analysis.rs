//! The tracker's finished analysis ([`TcpAnalysis`]): every segment's record grouped by
//! stream, each connection's facts, and what they answer: a segment's facts as tshark -2 shows
//! them, a connection's summary, its endpoints.

use super::record::{Flagged, FlaggedView, TcpRecord, Wides};
use super::seq::{self, WindowScale, ACK, SYN};
use super::summary::{self, ConnInputs};
use super::{seconds, AnalysisFlags, Completeness, Connection, EndpointStates, TcpFrameFacts};
use crate::regroup;
use std::net::IpAddr;
use std::ops::Range;

/// What is kept of a connection: its endpoints, and what its frames' relative numbers and
/// windows are derived from. Its summary ([`Connection`]) is made from its segments when
/// asked for ([`TcpAnalysis::connection`]).
#[derive(Clone, Copy, Debug)]
pub struct ConnFacts {
    /// The addresses (indices into [`TcpAnalysis::addresses`]) and ports of the sender of the
    /// connection's first segment (`a`) and its peer (`b`).
    pub(super) addresses: [u32; 2],
    pub(super) ports: [u16; 2],
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
pub(super) struct Beside<'a> {
    pub(super) len: u32,
    pub(super) analysis: AnalysisFlags,
    pub(super) acked: Option<u32>,
    pub(super) dup: Option<&'a DupAck>,
}

/// The facts of segment `r` of stream `stream` given its connection's facts (base sequence
/// numbers, window scaling, iRTT) and what it has beside its record.
/// A segment's numbers relative to its connection's bases (tcp.seq, tcp.ack, tcp.nxtseq).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Relative {
    pub seq: u32,
    /// The raw field when the ACK bit is not set.
    pub ack: u32,
    /// seq + length, +1 for SYN or FIN.
    pub next_seq: u32,
}

/// Segment `r`'s relative numbers, `len` bytes long, given its connection's base sequence
/// numbers ([a→b, b→a]).
fn relative(r: &TcpRecord, base_seq: &[u32; 2], len: u32) -> Relative {
    let flags = r.flags();
    let (dir, other) = if r.from_a() { (0, 1) } else { (1, 0) };
    let seq = r.seq.wrapping_sub(base_seq[dir]);
    let ack = if flags & ACK != 0 {
        r.ack.wrapping_sub(base_seq[other])
    } else {
        r.ack
    };
    let syn_fin = u32::from(flags & (SYN | seq::FIN) != 0);
    Relative {
        seq,
        ack,
        next_seq: seq.wrapping_add(len).wrapping_add(syn_fin),
    }
}

pub(super) fn derive_facts(
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
    let dir = usize::from(!r.from_a());
    let Relative {
        seq: relative_seq,
        ack: relative_ack,
        next_seq,
    } = relative(r, &base_seq, len);
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
        next_seq,
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
pub(super) fn dup_ack(dup_acks: &[DupAck], frame: u32) -> Option<&DupAck> {
    let i = dup_acks.binary_search_by_key(&frame, |d| d.frame).ok()?;
    dup_acks.get(i)
}

/// A duplicate ACK's number and the frame it repeats (few frames have one: kept aside, in
/// frame order).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct DupAck {
    pub(super) frame: u32,
    pub(super) number: u32,
    pub(super) of_frame: u32,
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
    pub(super) addresses: Vec<IpAddr>,
    pub(super) dup_acks: Vec<DupAck>,
    pub(super) wides: Wides,
    pub(super) flagged: Flagged,
    pub(super) stream_starts: Vec<u32>,
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

    /// The window scale of the direction of stream `stream` that endpoint `a` sends
    /// (`from_a`), or the other's, as finally known.
    pub fn window_scale(&self, stream: u32, from_a: bool) -> Option<WindowScale> {
        let c = self.conns.get(stream as usize)?;
        c.window_scale.get(usize::from(!from_a)).copied()
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

    /// Segment `index`'s relative numbers and its length (what [`Self::facts`] gives of them,
    /// without the rest).
    pub fn relative(&self, index: usize) -> Option<(Relative, u32)> {
        let r = self.records.get(index)?;
        let conn = self.conns.get(self.stream_of(index as u32)? as usize)?;
        let len = self.wides.len(r);
        Some((relative(r, &conn.base_seq, len), len))
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
    pub(super) addresses: &'a [IpAddr],
    pub(super) texts: Vec<Option<Box<str>>>,
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
    pub(super) fn new(records: &'a [TcpRecord], wides: &'a Wides, flagged: &'a Flagged) -> Self {
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
