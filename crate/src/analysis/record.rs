//! What is kept of each frame: a 20-byte [`FrameRecord`] (where its bytes are, its time, its
//! protocols, an index to its connection or addresses), and [`Aside`] what few frames need
//! more of.
//!
//! Promise: a record answers without the frame's bytes; times and lengths come back exactly
//! as the capture gave them ([`Aside::ts`], [`Aside::orig_len`]).

use crate::capture::Timestamp;
use crate::kept;
use std::net::IpAddr;

/// What is kept of one frame: 20 bytes. The frame's bytes are not kept: they are read again
/// from the file at [`FrameRecord::offset`] when a row, a detail tree or a filter needs them.
/// Nor is its number, which is its place in [`Report::frames`] (see [`Frame`]). What most
/// frames do not need is kept [`Aside`]: the length on the wire of a frame not captured whole,
/// a UDP datagram's ports (a TCP segment's are its connection's), and a time that is not a
/// whole number of its block's units from the block's first frame (see [`Aside::ts`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FrameRecord {
    /// The offset of the frame's bytes in the (decompressed) capture, shifted left by
    /// [`CAP_LEN_BITS`], and their length, as low and high halves (a u64 would align the
    /// record to 8 bytes, and make it 24).
    pub(super) place: [u32; 2],
    /// Time since the first frame of its block of [`TIME_BLOCK`] frames, in the block's unit
    /// (see [`Aside::ts`]), or [`LOOSE_TIME`] when the time is kept aside.
    pub(super) ts: i32,
    /// With [`bits::TCP_RECORD`]: an index into [`TcpAnalysis::records`]. Without: an index
    /// into [`Report::addresses`] (the IP addresses of the frame), or [`NONE`]. A TCP segment
    /// has its connection's addresses, or in a tunnel a set in [`Report::tunnelled`]
    /// (see [`Report::address_set`]).
    pub(super) slot: u32,
    /// Index into [`Report::links`]: link type, interface and time resolution.
    pub link: u16,
    /// [`bits`]: what the frame holds.
    pub bits: u16,
}

const _: () = assert!(std::mem::size_of::<FrameRecord>() == 20);

/// Bits of [`FrameRecord::place`] for the captured length: a pcapng block is at most 16 MiB
/// and a pcap record 256 KiB ([`crate::capture::MAX_RECORD_LEN`]).
pub(super) const CAP_LEN_BITS: u32 = 25;

/// Frames must start before this offset (512 GiB into the capture) to be kept.
pub const MAX_OFFSET: u64 = 1 << (64 - CAP_LEN_BITS);

/// A frame's record with its number (1-based, in file order): frame `n` is `frames[n - 1]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Frame {
    pub number: u32,
    pub record: FrameRecord,
}

/// Frame `index` (0-based) of `frames`, with its number.
pub fn frame_at(frames: &[FrameRecord], index: usize) -> Option<Frame> {
    Some(Frame {
        number: u32::try_from(index).ok()?.checked_add(1)?,
        record: *frames.get(index)?,
    })
}

/// `frames` with their numbers, in order.
pub fn numbered(frames: &[FrameRecord]) -> impl DoubleEndedIterator<Item = Frame> + '_ {
    // At most MAX_FRAMES frames: every number fits.
    frames.iter().enumerate().map(|(i, &record)| Frame {
        number: i as u32 + 1,
        record,
    })
}

impl std::ops::Deref for Frame {
    type Target = FrameRecord;

    fn deref(&self) -> &FrameRecord {
        &self.record
    }
}

/// [`FrameRecord::ts`] of a frame whose time is kept aside ([`Aside::loose`], [`Aside::far`]).
pub(super) const LOOSE_TIME: i32 = i32::MIN;

/// Frames that share a time base ([`Aside::bases`]).
pub(super) const TIME_BLOCK: usize = 64;

/// The time a block of frames' times count from, and in what unit (ns): the block's first
/// frame's time, and 1000 when the frame's resolution is microseconds or coarser (an i32 of
/// them spans 35 minutes either way) else 1 (2 seconds).
#[derive(Clone, Copy, Debug)]
pub(super) struct TimeBase {
    ns: i64,
    unit: u32,
}

/// What frames keep aside from their records, for the few that need it, by frame number in
/// frame order.
#[derive(Clone, Debug, Default)]
pub struct Aside {
    /// One per [`TIME_BLOCK`] frames.
    pub(super) bases: Vec<TimeBase>,
    /// Times (ns since the epoch) too far from their block's base, or not in its units.
    loose: Vec<(u32, i64)>,
    /// Times whose nanoseconds since the epoch do not fit in an i64 (before 1677 or after
    /// 2262: only a pcapng file can say so).
    far: Vec<(u32, Timestamp)>,
    /// The length on the wire of frames not captured whole ([`bits::CUT`]).
    pub(super) lens: Vec<(u32, u32)>,
    /// The (source, destination) ports of frames with UDP, and of TCP segments without a
    /// TCP record (a TCP record's are its connection's).
    pub(super) ports: Vec<(u32, (u16, u16))>,
}

impl Aside {
    pub(super) fn kept(&self) -> usize {
        kept::vec(&self.bases)
            + kept::vec(&self.loose)
            + kept::vec(&self.far)
            + kept::vec(&self.lens)
            + kept::vec(&self.ports)
    }

    pub(super) fn shrink_to_fit(&mut self) {
        self.bases.shrink_to_fit();
        self.loose.shrink_to_fit();
        self.far.shrink_to_fit();
        self.lens.shrink_to_fit();
        self.ports.shrink_to_fit();
    }

    /// The frame's time (meaningful only when it [`FrameRecord::has_ts`]).
    pub fn ts(&self, frame: &Frame) -> Timestamp {
        if let Some(ns) = self.offset_ns(frame) {
            return Timestamp::from_nanos_i64(ns);
        }
        if let Some(ns) = by_number(&self.loose, frame.number) {
            return Timestamp::from_nanos_i64(ns);
        }
        by_number(&self.far, frame.number).unwrap_or_default()
    }

    /// [`Aside::ts`] in nanoseconds since the epoch, without a `Timestamp` made and taken
    /// apart again where the time is kept as an offset: a connection's summary reads every
    /// segment's time.
    pub fn ts_ns(&self, frame: &Frame) -> i128 {
        match self.offset_ns(frame) {
            Some(ns) => i128::from(ns),
            None => self.ts(frame).as_nanos(),
        }
    }

    /// The frame's time in nanoseconds when its record keeps it as an offset from its block's
    /// time base (most frames); `None` when it is kept aside.
    fn offset_ns(&self, frame: &Frame) -> Option<i64> {
        let block = (frame.number as usize).saturating_sub(1) / TIME_BLOCK;
        let base = self.bases.get(block).filter(|_| frame.ts != LOOSE_TIME)?;
        let since = i64::from(frame.ts) * i64::from(base.unit);
        Some(base.ns.saturating_add(since))
    }

    /// Keeps frame `number`'s time (`ts_digits`: its resolution): gives its record's
    /// [`FrameRecord::ts`]. Frames come in order of their numbers, from 1.
    pub(super) fn keep_ts(&mut self, number: u32, ts: Timestamp, ts_digits: u8) -> i32 {
        let ns = ts.as_nanos_i64();
        let exact = (ns != i64::MIN && Timestamp::from_nanos_i64(ns) == ts).then_some(ns);
        let block = (number as usize).saturating_sub(1) / TIME_BLOCK;
        while self.bases.len() <= block {
            let unit = if ts_digits <= 6 { 1000 } else { 1 };
            self.bases.push(TimeBase {
                ns: exact.unwrap_or(0),
                unit,
            });
        }
        let Some(ns) = exact else {
            self.far.push((number, ts));
            return LOOSE_TIME;
        };
        let ticks = self.bases.get(block).and_then(|base| {
            let since = ns.checked_sub(base.ns)?;
            let unit = i64::from(base.unit);
            (since % unit == 0)
                .then(|| i32::try_from(since / unit).ok())
                .flatten()
                .filter(|&t| t != LOOSE_TIME)
        });
        ticks.unwrap_or_else(|| {
            self.loose.push((number, ns));
            LOOSE_TIME
        })
    }

    /// The frame's length on the wire (frame.len).
    pub fn orig_len(&self, frame: &Frame) -> u32 {
        if frame.has(bits::CUT) {
            if let Some(len) = by_number(&self.lens, frame.number) {
                return len;
            }
        }
        frame.cap_len()
    }

    /// The frame's ports kept aside (see [`Aside::ports`]).
    pub(super) fn ports(&self, frame: &Frame) -> Option<(u16, u16)> {
        by_number(&self.ports, frame.number)
    }
}

/// The value kept for frame `number` in a list sorted by frame number.
pub(super) fn by_number<T: Copy>(list: &[(u32, T)], number: u32) -> Option<T> {
    let i = list.binary_search_by_key(&number, |(n, _)| *n).ok()?;
    list.get(i).map(|(_, value)| *value)
}

/// "Not there" for [`FrameRecord`]'s indices.
pub const NONE: u32 = u32::MAX;

/// What a frame holds, as [`FrameRecord::bits`]: enough to filter on protocols and to tell
/// the ladder which way a Linux cooked capture saw a packet, without the bytes.
pub mod bits {
    pub const HAS_TS: u16 = 1 << 0;
    /// The decoder recorded a problem.
    pub const PROBLEMS: u16 = 1 << 1;
    pub const ETH: u16 = 1 << 2;
    pub const SLL: u16 = 1 << 3;
    pub const VLAN: u16 = 1 << 4;
    pub const IPV4: u16 = 1 << 5;
    pub const IPV6: u16 = 1 << 6;
    pub const ARP: u16 = 1 << 7;
    pub const TCP: u16 = 1 << 8;
    pub const UDP: u16 = 1 << 9;
    pub const ICMP: u16 = 1 << 10;
    pub const ICMPV6: u16 = 1 << 11;
    /// Linux cooked capture packet type 0 ("to us") / 4 ("outgoing").
    pub const SLL_TO_US: u16 = 1 << 12;
    pub const SLL_OUTGOING: u16 = 1 << 13;
    /// The record's slot is a TCP record (see [`super::FrameRecord::tcp`]).
    pub const TCP_RECORD: u16 = 1 << 14;
    /// The frame was not captured whole: its length on the wire is kept aside
    /// (see [`super::Aside::orig_len`]).
    pub const CUT: u16 = 1 << 15;
}

impl FrameRecord {
    fn place(&self) -> u64 {
        u64::from(self.place[1]) << 32 | u64::from(self.place[0])
    }

    pub(super) fn set_place(&mut self, offset: u64, cap_len: u64) {
        let place = offset << CAP_LEN_BITS | cap_len;
        self.place = [place as u32, (place >> 32) as u32];
    }

    /// Where the frame's bytes start in the (decompressed) capture.
    pub fn offset(&self) -> u64 {
        self.place() >> CAP_LEN_BITS
    }

    /// How many of its bytes were captured.
    pub fn cap_len(&self) -> u32 {
        (self.place() & ((1 << CAP_LEN_BITS) - 1)) as u32
    }

    /// Where the frame's bytes end in the (decompressed) capture.
    pub fn end(&self) -> u64 {
        self.offset() + u64::from(self.cap_len())
    }

    /// Index into [`TcpAnalysis::records`] for TCP frames, or [`NONE`].
    pub fn tcp(&self) -> u32 {
        if self.has(bits::TCP_RECORD) {
            self.slot
        } else {
            NONE
        }
    }

    /// Index into [`Report::addresses`], or [`NONE`] (always for TCP frames: see
    /// [`Report::address_set`]).
    pub fn addresses(&self) -> u32 {
        if self.has(bits::TCP_RECORD) {
            NONE
        } else {
            self.slot
        }
    }

    /// False for records without a time (pcapng simple packet and custom blocks).
    pub fn has_ts(&self) -> bool {
        self.bits & bits::HAS_TS != 0
    }

    pub fn has(&self, bit: u16) -> bool {
        self.bits & bit != 0
    }
}

/// The link a frame came from (few per capture: kept once, indexed by [`FrameRecord::link`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FrameLink {
    /// LINKTYPE_* value.
    pub link_type: u32,
    /// pcapng interface number across the file (0 for pcap).
    pub interface: u32,
    /// Decimal digits of the frame's time resolution.
    pub ts_digits: u8,
}

/// The IP addresses of a frame: the outer IP header's, and in a tunnel the inner one's (kept
/// once per distinct set, indexed by [`FrameRecord::addresses`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AddressSet {
    pub src: IpAddr,
    pub dst: IpAddr,
    pub inner: Option<(IpAddr, IpAddr)>,
}

impl AddressSet {
    /// The pair that carries TCP/UDP: the inner one in a tunnel.
    pub fn transport(&self) -> (IpAddr, IpAddr) {
        self.inner.unwrap_or((self.src, self.dst))
    }
}
