//! The connections while a capture is read ([`TcpTracker`]): each segment put in its stream,
//! its sequence analysis and state as it comes, and [`TcpTracker::finish`] into a
//! [`TcpAnalysis`].

use super::analysis::{
    derive_facts, dup_ack, Beside, ConnFacts, DupAck, Endpoint, Events, TcpAnalysis,
};
use super::record::{acks_another, Flagged, TcpRecord, Wides};
use super::seq::{self, Direction, SegmentFacts, WindowScale, ACK, SYN};
use super::summary::{self};
use super::{tuples, AnalysisFlags, Completeness, Flag, SegmentIn, TcpFrameFacts};
use crate::decode::TcpOption;
use crate::regroup;
use std::net::IpAddr;

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
