//! Per-direction sequence analysis: the checks of Wireshark's `tcp_analyze_sequence_number()`
//! (tshark 4.0), in its order and with its precedence, re-expressed over plain structs.
//!
//! Promise: [`analyze_segment`] never panics; every sequence-space operation wraps modulo 2^32
//! exactly as the 32-bit arithmetic of packet-tcp.c does, so absurd numbers give the same
//! verdicts tshark gives rather than errors. Wireshark uses 0 as "not known yet" for
//! `nextseq` and `maxseqtobeacked`; we keep that convention on purpose, because it decides
//! verdicts on real captures (a direction whose next sequence number wraps to 0 is treated as
//! unknown by tshark too).

use super::flags::{AnalysisFlags, Flag};
use super::SeqNumber;
use crate::capture::Timestamp;

pub const FIN: u16 = 0x01;
pub const SYN: u16 = 0x02;
pub const RST: u16 = 0x04;
pub const PSH: u16 = 0x08;
pub const ACK: u16 = 0x10;

/// packet-tcp.c stops remembering unacknowledged segments beyond this many per direction.
const MAX_UNACKED_SEGMENTS: usize = 1000;
/// packet-tcp.c's dupacknum of -1 in an unsigned counter: "ACKed unseen already reported".
/// Being huge, it also satisfies the ">= 2 duplicate ACKs" test of fast retransmission.
const PARKED: u32 = u32::MAX;

/// Fast retransmission: within 20 ms of the last duplicate ACK.
const FAST_RETRANSMISSION_NS: i64 = 20_000_000;
/// Out-of-order threshold when the initial RTT is not known yet: 3 ms.
const DEFAULT_OUT_OF_ORDER_NS: i64 = 3_000_000;

/// `a > b` in sequence space ([`SeqNumber::is_after`]).
#[inline]
pub fn seq_gt(a: u32, b: u32) -> bool {
    SeqNumber(a).is_after(SeqNumber(b))
}
/// `a < b` in sequence space ([`SeqNumber::is_before`]).
#[inline]
pub fn seq_lt(a: u32, b: u32) -> bool {
    SeqNumber(a).is_before(SeqNumber(b))
}
/// `a <= b` in sequence space ([`SeqNumber::is_at_or_before`]).
#[inline]
pub fn seq_le(a: u32, b: u32) -> bool {
    SeqNumber(a).is_at_or_before(SeqNumber(b))
}

/// Window scaling as known for one direction (packet-tcp.c's win_scale -1 / -2 / shift).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum WindowScale {
    /// No SYN of this direction seen: windows are shown as sent.
    #[default]
    Unknown,
    /// A SYN lacked the option: the endpoints do not scale.
    NotUsed,
    /// Shift count from this direction's SYN (clamped to 14, RFC 7323).
    Shift(u8),
}

impl WindowScale {
    /// The shift to apply to windows sent in this direction (0 unless known).
    pub fn shift(self) -> u32 {
        match self {
            WindowScale::Shift(s) => u32::from(s),
            _ => 0,
        }
    }
}

/// A segment still waiting for its ACK (Wireshark's `tcp_unacked_t`).
#[derive(Clone, Copy, Debug)]
struct Unacked {
    frame: u32,
    seq: u32,
    next_seq: u32,
    /// Its time, ns since the epoch.
    ts_ns: i64,
}

/// Emptied lists of unacknowledged segments, for reuse. A direction's list is given back when
/// its last segment is acknowledged, so that a capture of many short connections does not
/// keep a list per direction to the end of the reading; without the pool, every request and
/// every response would allocate a list and free it again. It holds at most as many lists
/// as were ever waiting for ACKs at once.
#[derive(Debug, Default)]
pub struct Spare(Vec<Vec<Unacked>>);

impl Spare {
    fn take(&mut self) -> Vec<Unacked> {
        self.0.pop().unwrap_or_default()
    }

    fn give(&mut self, list: &mut Vec<Unacked>) {
        if list.capacity() > 0 {
            list.clear();
            self.0.push(std::mem::take(list));
        }
    }
}

/// What one direction of a connection has shown so far.
#[derive(Clone, Debug)]
pub struct Direction {
    pub base_seq: Option<u32>,
    /// This direction's first segment was a SYN (without / with ACK).
    pub saw_syn: bool,
    pub saw_synack: bool,
    pub window_scale: WindowScale,
    /// Last window as sent (unscaled); u32::MAX until the first segment, so that nothing
    /// compares equal to it (packet-tcp.c starts it at G_MAXUINT32 as well).
    pub last_window: u32,
    next_seq: u32,
    next_seq_frame: u32,
    next_seq_ns: i64,
    max_seq_to_be_acked: u32,
    last_ack: u32,
    last_ack_ns: i64,
    last_non_dup_ack_frame: u32,
    /// Duplicate ACKs since the last new ACK value.
    dup_ack_count: u32,
    last_segment_flags: AnalysisFlags,
    bytes_in_flight_valid: bool,
    /// Bytes this direction's latest segment reports as SACKed (Wireshark keeps at most the
    /// first three blocks); subtracted from the other direction's bytes in flight.
    sacked_bytes: u32,
    /// Oldest first (packet-tcp.c keeps newest first; iteration below is reversed to match).
    unacked: Vec<Unacked>,
}

impl Default for Direction {
    fn default() -> Self {
        Direction {
            base_seq: None,
            saw_syn: false,
            saw_synack: false,
            window_scale: WindowScale::Unknown,
            last_window: u32::MAX,
            next_seq: 0,
            next_seq_frame: 0,
            next_seq_ns: 0,
            max_seq_to_be_acked: 0,
            last_ack: 0,
            last_ack_ns: 0,
            last_non_dup_ack_frame: 0,
            dup_ack_count: 0,
            last_segment_flags: AnalysisFlags::default(),
            bytes_in_flight_valid: true,
            sacked_bytes: 0,
            unacked: Vec::new(),
        }
    }
}

/// The raw header facts the analysis needs.
#[derive(Clone, Copy, Debug)]
pub struct SegmentFacts {
    pub frame: u32,
    pub ts: Timestamp,
    pub seq: u32,
    pub ack: u32,
    pub len: u32,
    pub flags: u16,
    /// Window as sent (unscaled).
    pub window: u32,
    /// Sum of the lengths of the SACK blocks this segment carries.
    pub sacked_bytes: u32,
}

/// What a SACK option reports as received, as packet-tcp.c 4.0 counts it: its block store is
/// indexed from 1 and holds 4 entries, so only the first three blocks are remembered.
pub fn sacked_bytes(blocks: &[(u32, u32)]) -> u32 {
    blocks.iter().take(3).fold(0u32, |sum, (left, right)| {
        sum.wrapping_add(right.wrapping_sub(*left))
    })
}

/// What the analysis concluded for one segment.
#[derive(Clone, Copy, Debug, Default)]
pub struct SegmentVerdict {
    pub flags: AnalysisFlags,
    pub dup_ack_num: u32,
    pub dup_ack_frame: u32,
    pub acked_frame: Option<u32>,
    pub ack_rtt_ns: Option<i64>,
    pub bytes_in_flight: Option<u32>,
}

/// Runs the sequence analysis for one segment sent in direction `fwd` (the other direction
/// is `rev`). `initial_rtt_ns` is the connection's iRTT as known at this point (0 = unknown),
/// `flags_in` any flag already decided (reused ports).
pub fn analyze_segment(
    fwd: &mut Direction,
    rev: &mut Direction,
    seg: &SegmentFacts,
    initial_rtt_ns: i64,
    flags_in: AnalysisFlags,
    spare: &mut Spare,
) -> SegmentVerdict {
    let ts_ns = seg.ts.as_nanos_i64();
    let mut v = SegmentVerdict {
        flags: flags_in,
        ..SegmentVerdict::default()
    };
    let (seq, ack, len, flags, window) = (seg.seq, seg.ack, seg.len, seg.flags, seg.window);
    let syn_fin_rst = flags & (SYN | FIN | RST) != 0;

    // Base sequence numbers: a SYN's own seq; else seq-1, so that a capture starting
    // mid-stream shows relative numbers from 1. The other side's base comes from the first
    // ACK seen (ack-1), which also covers a missing SYN/ACK.
    if fwd.base_seq.is_none() {
        if flags & SYN != 0 {
            fwd.base_seq = Some(seq);
            if flags & ACK != 0 {
                fwd.saw_synack = true;
            } else {
                fwd.saw_syn = true;
            }
        } else {
            fwd.base_seq = Some(seq.wrapping_sub(1));
        }
    } else if flags & SYN != 0 && !fwd.saw_syn && !fwd.saw_synack {
        // The base was guessed from a non-SYN segment (e.g. a stray RST before the SYN/ACK):
        // the SYN's ISN replaces it, for every frame of the direction (tshark -2).
        fwd.base_seq = Some(seq);
        if flags & ACK != 0 {
            fwd.saw_synack = true;
        } else {
            fwd.saw_syn = true;
        }
    }
    if rev.base_seq.is_none() && flags & ACK != 0 {
        rev.base_seq = Some(ack.wrapping_sub(1));
    }
    if flags & ACK != 0 {
        rev.bytes_in_flight_valid = true;
    }

    'forward: {
        // Zero window probe: one byte at the next expected seq into a closed window.
        if len == 1 && seq == fwd.next_seq && rev.last_window == 0 {
            v.flags.set(Flag::ZeroWindowProbe);
            break 'forward;
        }
        if window == 0 && !syn_fin_rst {
            v.flags.set(Flag::ZeroWindow);
        }
        // Beyond what we have seen: something before it was not captured.
        if fwd.next_seq != 0 && seq_gt(seq, fwd.next_seq) && flags & RST == 0 {
            v.flags.set(Flag::LostSegment);
            fwd.bytes_in_flight_valid = false;
        }
        if (len == 0 || len == 1) && seq == fwd.next_seq.wrapping_sub(1) && !syn_fin_rst {
            v.flags.set(Flag::KeepAlive);
        }
        let same_seq_ack = seq == fwd.next_seq && ack == fwd.last_ack;
        if len == 0 && window != 0 && window != fwd.last_window && same_seq_ack && !syn_fin_rst {
            v.flags.set(Flag::WindowUpdate);
        }
        // Window full: only when the peer's scaling is known (or known to be unused).
        if len > 0 && rev.window_scale != WindowScale::Unknown && !syn_fin_rst {
            let edge = rev
                .last_ack
                .wrapping_add(rev.last_window.wrapping_shl(rev.window_scale.shift()));
            if seq.wrapping_add(len) == edge {
                v.flags.set(Flag::WindowFull);
            }
        }
        if len == 0
            && window != 0
            && window == fwd.last_window
            && same_seq_ack
            && rev.last_segment_flags.has(Flag::KeepAlive)
            && !syn_fin_rst
        {
            v.flags.set(Flag::KeepAliveAck);
            break 'forward;
        }
        if len == 0
            && window == 0
            && window == fwd.last_window
            && same_seq_ack
            && rev.last_segment_flags.has(Flag::ZeroWindowProbe)
            && !syn_fin_rst
        {
            v.flags.set(Flag::ZeroWindowProbeAck);
            break 'forward;
        }
        if len == 0 && window != 0 && window == fwd.last_window && same_seq_ack && !syn_fin_rst {
            fwd.dup_ack_count = if fwd.dup_ack_count == PARKED {
                1
            } else {
                fwd.dup_ack_count.saturating_add(1)
            };
            v.flags.set(Flag::DuplicateAck);
            v.dup_ack_num = fwd.dup_ack_count;
            v.dup_ack_frame = fwd.last_non_dup_ack_frame;
        }
    }

    // A new ACK value resets the duplicate-ACK count.
    if ack != fwd.last_ack {
        fwd.last_non_dup_ack_frame = seg.frame;
        fwd.dup_ack_count = 0;
    }

    // ACKs data we never saw go the other way (tshark 4.0's rule, checked frame by frame on
    // every shared capture):
    // - the other side's data has a hole after its "max seq to be acked" (its next seq is
    //   further on): flag, and move the mark to its next seq, so the same hole is not
    //   reported again;
    // - otherwise the ACK runs beyond everything the other side has sent: flag once, and
    //   park the other side's dup-ACK counter at PARKED, which silences repeats until that
    //   side's own ACK value changes (and its counter with it).
    // The hole test is a plain (not sequence-space) comparison of the two 32-bit numbers.
    if rev.max_seq_to_be_acked != 0 && seq_gt(ack, rev.max_seq_to_be_acked) && flags & ACK != 0 {
        if rev.next_seq > rev.max_seq_to_be_acked {
            v.flags.set(Flag::AckLostSegment);
            rev.max_seq_to_be_acked = rev.next_seq;
        } else {
            if rev.dup_ack_count == 0 {
                v.flags.set(Flag::AckLostSegment);
            }
            rev.dup_ack_count = PARKED;
        }
    }

    // Retransmission family: the segment carries sequence space but does not advance it.
    if (len > 0 || flags & (SYN | FIN) != 0) && !v.flags.has(Flag::KeepAlive) {
        let mut seq_not_advanced = fwd.next_seq != 0 && seq_lt(seq, fwd.next_seq);
        // More than one byte starting one before nextseq: new data after a probe.
        if len > 1 && fwd.next_seq.wrapping_sub(1) == seq {
            seq_not_advanced = false;
        }
        let since_dup_ack = ts_ns.saturating_sub(rev.last_ack_ns);
        let since_next_seq = ts_ns.saturating_sub(fwd.next_seq_ns);
        let out_of_order_ns = if initial_rtt_ns == 0 {
            DEFAULT_OUT_OF_ORDER_NS
        } else {
            initial_rtt_ns
        };
        // Spurious first: data the peer has already acknowledged; then fast retransmission
        // (which takes precedence over out-of-order, tshark's default), then out-of-order.
        if len > 0 && rev.last_ack != 0 && seq_le(seq.wrapping_add(len), rev.last_ack) {
            v.flags.set(Flag::SpuriousRetransmission);
        } else if seq_not_advanced
            && rev.dup_ack_count >= 2
            && rev.last_ack == seq
            && (0..FAST_RETRANSMISSION_NS).contains(&since_dup_ack)
        {
            v.flags.set(Flag::FastRetransmission);
        } else if seq_not_advanced
            && (0..out_of_order_ns).contains(&since_next_seq)
            && fwd.next_seq
                != seq
                    .wrapping_add(len)
                    .wrapping_add(u32::from(flags & (SYN | FIN) != 0))
        {
            v.flags.set(Flag::OutOfOrder);
        } else if seq_not_advanced {
            v.flags.set(Flag::Retransmission);
        }
    }

    let mut next_seq = seq.wrapping_add(len);
    if flags & (SYN | FIN) != 0 {
        next_seq = next_seq.wrapping_add(1);
    }
    if (len > 0 || flags & (SYN | FIN) != 0) && fwd.unacked.len() < MAX_UNACKED_SEGMENTS {
        if fwd.unacked.capacity() == 0 {
            fwd.unacked = spare.take();
        }
        fwd.unacked.push(Unacked {
            frame: seg.frame,
            seq,
            next_seq,
            ts_ns,
        });
    } else {
        // packet-tcp.c only adds SYN/FIN to nextseq when it records the segment.
        next_seq = seq.wrapping_add(len);
    }

    let is_probe = v.flags.has(Flag::ZeroWindowProbe);
    if (seq_gt(next_seq, fwd.next_seq) || fwd.next_seq == 0) && !is_probe {
        fwd.next_seq = next_seq;
        fwd.next_seq_frame = seg.frame;
        fwd.next_seq_ns = ts_ns;
    }
    if (seq == fwd.max_seq_to_be_acked || fwd.max_seq_to_be_acked == 0) && !is_probe {
        fwd.max_seq_to_be_acked = fwd.next_seq;
    }

    fwd.last_window = window;
    fwd.last_ack = ack;
    fwd.last_ack_ns = ts_ns;
    fwd.last_segment_flags = v.flags;
    fwd.sacked_bytes = seg.sacked_bytes;

    // Drop what this ACK covers from the other direction's list, in one pass. packet-tcp.c
    // walks newest first and the last exact match wins, i.e. the oldest segment ending at
    // `ack`: the first exact match in our oldest-first order.
    for u in &rev.unacked {
        if ack == u.next_seq {
            v.acked_frame = Some(u.frame);
            v.ack_rtt_ns = Some(ts_ns.saturating_sub(u.ts_ns));
            break;
        }
    }
    rev.unacked.retain_mut(|u| {
        if ack == u.next_seq {
            false
        } else if seq_gt(ack, u.seq) && seq_le(ack, u.next_seq) {
            // Partly acknowledged: keep the rest.
            u.seq = ack;
            true
        } else {
            seq_gt(u.next_seq, ack)
        }
    });
    if rev.unacked.is_empty() {
        // All acknowledged: the list goes back to the pool.
        spare.give(&mut rev.unacked);
    }

    // Bytes in flight after this data segment: the span of our unacknowledged segments.
    if len != 0 && fwd.bytes_in_flight_valid && !fwd.unacked.is_empty() {
        let base = fwd.base_seq.unwrap_or(0);
        let mut first = u32::MAX;
        let mut last = 0u32;
        for u in &fwd.unacked {
            first = first.min(u.seq.wrapping_sub(base));
            last = last.max(u.next_seq.wrapping_sub(base));
        }
        let in_flight = last.wrapping_sub(first).wrapping_sub(rev.sacked_bytes);
        if in_flight > 0 && in_flight < 2_000_000_000 {
            // The SYN or FIN of this very segment is sequence space but not a byte of data:
            // tshark 4.0 takes it off (a FIN carrying the last data shows only the data).
            let syn_fin = u32::from(flags & (SYN | FIN) != 0);
            v.bytes_in_flight = Some(in_flight - syn_fin);
        }
    }
    v
}
