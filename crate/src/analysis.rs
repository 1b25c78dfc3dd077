//! The whole pipeline for one capture: chunks in, frame records and TCP analysis out.
//!
//! Promise: fed the same bytes in any chunking, [`Analysis`] produces the same [`Report`]; it
//! never panics on input; what the capture reader could not read is in `Report::capture`.

use crate::capture::{
    format_seconds, CaptureEnd, CaptureReader, ProblemDetail, RawFrame, Retain, Timestamp,
};
use crate::colors;
use crate::decode::{self, Decoded, LinkKind, PayloadShown, TcpSegment};
use crate::http::{FrameHttp, HttpExchange, HttpPairer, HttpPairs};
use crate::kept::{self, Kept};
use crate::tcp::{Connection, SegmentIn, TcpAnalysis, TcpFrameFacts, TcpTracker};
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;
use std::net::IpAddr;
use std::ops::Range;

/// The most frames one analysis keeps: beyond it reading stops with a notice, so that a huge
/// capture cannot exhaust the memory of a browser tab (wasm32 has 4 GB; a TCP frame costs
/// about 50 bytes of records, its connection and HTTP more, and the page's other needs grow
/// with it).
#[cfg(target_arch = "wasm32")]
pub const MAX_FRAMES: usize = 6_000_000;
/// The most frames one analysis keeps on the command line.
#[cfg(not(target_arch = "wasm32"))]
pub const MAX_FRAMES: usize = 100_000_000;

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
    place: [u32; 2],
    /// Time since the first frame of its block of [`TIME_BLOCK`] frames, in the block's unit
    /// (see [`Aside::ts`]), or [`LOOSE_TIME`] when the time is kept aside.
    ts: i32,
    /// With [`bits::TCP_RECORD`]: an index into [`TcpAnalysis::records`]. Without: an index
    /// into [`Report::addresses`] (the IP addresses of the frame), or [`NONE`]. A TCP segment
    /// has its connection's addresses, or in a tunnel a set in [`Report::tunnelled`]
    /// (see [`Report::address_set`]).
    slot: u32,
    /// Index into [`Report::links`]: link type, interface and time resolution.
    pub link: u16,
    /// [`bits`]: what the frame holds.
    pub bits: u16,
}

const _: () = assert!(std::mem::size_of::<FrameRecord>() == 20);

/// Bits of [`FrameRecord::place`] for the captured length: a pcapng block is at most 16 MiB
/// and a pcap record 256 KiB ([`crate::capture::MAX_RECORD_LEN`]).
const CAP_LEN_BITS: u32 = 25;

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
const LOOSE_TIME: i32 = i32::MIN;

/// Frames that share a time base ([`Aside::bases`]).
const TIME_BLOCK: usize = 64;

/// The time a block of frames' times count from, and in what unit (ns): the block's first
/// frame's time, and 1000 when the frame's resolution is microseconds or coarser (an i32 of
/// them spans 35 minutes either way) else 1 (2 seconds).
#[derive(Clone, Copy, Debug)]
struct TimeBase {
    ns: i64,
    unit: u32,
}

/// What frames keep aside from their records, for the few that need it, by frame number in
/// frame order.
#[derive(Clone, Debug, Default)]
pub struct Aside {
    /// One per [`TIME_BLOCK`] frames.
    bases: Vec<TimeBase>,
    /// Times (ns since the epoch) too far from their block's base, or not in its units.
    loose: Vec<(u32, i64)>,
    /// Times whose nanoseconds since the epoch do not fit in an i64 (before 1677 or after
    /// 2262: only a pcapng file can say so).
    far: Vec<(u32, Timestamp)>,
    /// The length on the wire of frames not captured whole ([`bits::CUT`]).
    lens: Vec<(u32, u32)>,
    /// The (source, destination) ports of frames with UDP, and of TCP segments without a
    /// TCP record (a TCP record's are its connection's).
    ports: Vec<(u32, (u16, u16))>,
}

impl Aside {
    fn kept(&self) -> usize {
        kept::vec(&self.bases)
            + kept::vec(&self.loose)
            + kept::vec(&self.far)
            + kept::vec(&self.lens)
            + kept::vec(&self.ports)
    }

    fn shrink_to_fit(&mut self) {
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
    fn keep_ts(&mut self, number: u32, ts: Timestamp, ts_digits: u8) -> i32 {
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
    fn ports(&self, frame: &Frame) -> Option<(u16, u16)> {
        by_number(&self.ports, frame.number)
    }
}

/// The value kept for frame `number` in a list sorted by frame number.
fn by_number<T: Copy>(list: &[(u32, T)], number: u32) -> Option<T> {
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

    fn set_place(&mut self, offset: u64, cap_len: u64) {
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

/// Gives frames' captured bytes, read again from where the capture is: the file, a window of
/// it that a page read, or the capture kept in memory.
pub trait FrameSource {
    fn frame_bytes(&mut self, frame: &Frame) -> std::io::Result<&[u8]>;
}

/// A part of the (decompressed) capture held in memory: `bytes` starts at byte `start`.
pub struct Window<'a> {
    pub start: u64,
    pub bytes: &'a [u8],
}

impl<'a> Window<'a> {
    /// The frame's bytes, if the window holds all of them.
    pub fn get(&self, frame: &Frame) -> Option<&'a [u8]> {
        let from = usize::try_from(frame.offset().checked_sub(self.start)?).ok()?;
        self.bytes
            .get(from..from.checked_add(frame.cap_len() as usize)?)
    }
}

impl FrameSource for Window<'_> {
    fn frame_bytes(&mut self, frame: &Frame) -> std::io::Result<&[u8]> {
        self.get(frame).ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                format!(
                    "frame {} (bytes {} to {}) is not in the part of the capture at hand",
                    frame.number,
                    frame.offset(),
                    frame.end()
                ),
            )
        })
    }
}

/// One row of the frame list, as Wireshark's default columns show it.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct FrameRow {
    pub number: u32,
    /// Seconds since the first frame, at the capture's precision.
    pub time: String,
    pub source: String,
    pub destination: String,
    pub protocol: String,
    pub length: u32,
    pub info: String,
    /// The row's colour: the id of the first matching Wireshark default colouring rule
    /// ([`colors::ColorRule::id`]), "" when none matches.
    pub color: &'static str,
}

/// What the Time column shows (Wireshark's View › Time Display Format).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TimeFormat {
    /// Seconds since the first frame.
    #[default]
    Relative,
    /// Seconds since the previous frame listed (with a filter: the previous one shown).
    SincePreviousDisplayed,
    /// Seconds since the frame before it in the capture.
    SincePreviousCaptured,
    /// Date and time of day, at this offset from UTC (minutes).
    DateTime { offset_minutes: i32 },
    /// Date and time of day in UTC.
    Utc,
    /// Seconds since 1970-01-01 00:00:00 UTC.
    Epoch,
}

impl TimeFormat {
    /// From the page's names: "relative", "delta", "delta_captured", "absolute" (with the
    /// viewer's offset from UTC), "utc", "epoch".
    pub fn parse(name: &str, offset_minutes: i32) -> Option<TimeFormat> {
        Some(match name {
            "relative" => TimeFormat::Relative,
            "delta" => TimeFormat::SincePreviousDisplayed,
            "delta_captured" => TimeFormat::SincePreviousCaptured,
            "absolute" => TimeFormat::DateTime { offset_minutes },
            "utc" => TimeFormat::Utc,
            "epoch" => TimeFormat::Epoch,
            _ => return None,
        })
    }
}

/// Streaming analysis of one capture: reading (the capture's records, each frame's headers)
/// and keeping (frame records, TCP and HTTP analysis), in two halves that one thread runs in
/// turn, or two threads side by side ([`Analysis::into_halves`]).
pub struct Analysis {
    reading: Reading,
    keeping: Keeping,
}

/// The reading half of an [`Analysis`]: the capture's records, each frame's headers decoded
/// into a [`Prepared`] frame.
pub struct Reading {
    reader: CaptureReader,
    /// Frames kept at most; [`MAX_FRAMES`] unless set by [`Analysis::with_max_frames`].
    max_frames: usize,
    /// Frames passed on so far.
    passed: usize,
    /// Each frame's headers, decoded in the same place.
    decoded: Decoded,
}

/// The keeping half of an [`Analysis`]: what it keeps of each [`Prepared`] frame.
pub struct Keeping {
    frames: Vec<FrameRecord>,
    links: Vec<FrameLink>,
    addresses: Vec<AddressSet>,
    address_index: HashMap<AddressSet, u32>,
    tunnelled: Vec<(u32, u32)>,
    aside: Aside,
    tracker: TcpTracker,
    http: HttpPairer,
    max_frames: usize,
    /// The capture's size in bytes, when known ([`Analysis::expect_bytes`]).
    expected_bytes: Option<u64>,
    /// Whether room for the whole capture's records was made.
    reserved: bool,
}

/// Frames read before the records' room is sized from the file's size (enough for an
/// average frame size that holds).
const FRAMES_BEFORE_RESERVING: usize = 4096;

/// Everything known about a capture once it has been read to the end.
pub struct Report {
    pub capture: CaptureEnd,
    /// Time of the first frame that has one: the Time column's zero.
    pub first_ts: Timestamp,
    /// Digits shown in the Time column: the finest resolution among the frames.
    pub time_digits: u8,
    pub frames: Vec<FrameRecord>,
    pub links: Vec<FrameLink>,
    pub addresses: Vec<AddressSet>,
    /// The address sets of tunnelled TCP segments (whose records hold their TCP record
    /// instead), as (frame number, index into `addresses`) in frame order.
    pub tunnelled: Vec<(u32, u32)>,
    pub aside: Aside,
    pub tcp: TcpAnalysis,
    /// HTTP/1.x requests paired with their responses.
    pub http: HttpPairs,
}

impl Default for Analysis {
    fn default() -> Self {
        Self::new()
    }
}

impl Analysis {
    pub fn new() -> Self {
        Self::with_max_frames(MAX_FRAMES)
    }

    /// An analysis that keeps at most `max_frames` frames (reading stops there, with a notice).
    pub fn with_max_frames(max_frames: usize) -> Self {
        Analysis {
            reading: Reading {
                reader: CaptureReader::new(),
                max_frames,
                passed: 0,
                decoded: Decoded::default(),
            },
            keeping: Keeping {
                frames: Vec::new(),
                links: Vec::new(),
                addresses: Vec::new(),
                address_index: HashMap::default(),
                tunnelled: Vec::new(),
                aside: Aside::default(),
                tracker: TcpTracker::new(),
                http: HttpPairer::new(),
                max_frames,
                expected_bytes: None,
                reserved: false,
            },
        }
    }

    /// Tells the capture's size: once a few thousand frames show the average frame size, room
    /// for all the records is made at once (growing a list of a million records step by step
    /// copies it again and again, and wasm memory keeps every step's peak).
    pub fn expect_bytes(&mut self, total: u64) {
        self.keeping.expected_bytes = Some(total);
    }

    /// Keeps the capture's bytes (see [`Retain`]) so that [`Report::frame_bytes`] can give
    /// frames' bytes without the file; call before the first push.
    pub fn retain(&mut self, retain: Retain) {
        self.reading.reader.retain(retain);
    }

    /// Keeps the frames of `batch`, read elsewhere (see [`crate::batch`]) in file order; this
    /// analysis's own reading half is then not used: end with [`Analysis::finish_with`].
    /// Where the batch is damaged, the frames before the damage are kept.
    pub fn keep_batch(&mut self, batch: &[u8]) -> Result<(), crate::batch::BadBatch> {
        let keeping = &mut self.keeping;
        keeping.reserve();
        crate::batch::each(batch, |frame, payload| keeping.keep(frame, payload))
    }

    /// Ends an analysis whose frames came in batches ([`Analysis::keep_batch`]); `capture`
    /// says how the reading that made them ended ([`Reading::finish`]).
    pub fn finish_with(self, capture: CaptureEnd) -> Report {
        self.keeping.finish(capture)
    }

    /// Feeds the next chunk of the file.
    pub fn push(&mut self, chunk: &[u8]) {
        let keeping = &mut self.keeping;
        keeping.reserve();
        self.reading
            .read(chunk, |frame, payload| keeping.keep(frame, payload));
    }

    /// The two halves, for reading on one thread and keeping on another: frames read by
    /// [`Reading::read`] go to [`Keeping::keep`] in order, then [`Analysis::from_halves`].
    pub fn into_halves(self) -> (Reading, Keeping) {
        (self.reading, self.keeping)
    }

    /// The analysis whose halves [`Analysis::into_halves`] gave.
    pub fn from_halves(reading: Reading, keeping: Keeping) -> Self {
        Analysis { reading, keeping }
    }

    /// Frames read so far.
    pub fn frame_count(&self) -> usize {
        self.keeping.frames.len()
    }

    /// The frames read so far.
    pub fn frames(&self) -> &[FrameRecord] {
        &self.keeping.frames
    }

    /// The (decompressed) capture's bytes read so far, when they are kept ([`Self::retain`]).
    pub fn kept(&self) -> Option<Window<'_>> {
        self.reading
            .reader
            .retained_bytes()
            .map(|bytes| Window { start: 0, bytes })
    }

    /// Frame `index`'s row as far as the capture has been read, from its captured `bytes`:
    /// the list can be shown while a large capture is still being read. The TCP analysis
    /// and HTTP messages of a frame can still change with later frames (see
    /// [`TcpTracker::facts_so_far`]); the finished [`Report`]'s rows are final.
    pub fn row_so_far(&self, index: usize, bytes: &[u8]) -> Option<FrameRow> {
        self.keeping.row_so_far(index, bytes)
    }

    pub fn reader(&self) -> &CaptureReader {
        &self.reading.reader
    }

    /// Ends the input and computes the final results.
    pub fn finish(self) -> Report {
        self.keeping.finish(self.reading.finish())
    }
}

impl Reading {
    /// Reads the next chunk of the file: each frame read, prepared, goes to `keep` with its
    /// TCP payload.
    pub fn read(&mut self, chunk: &[u8], mut keep: impl FnMut(Prepared, &[u8])) {
        let Reading {
            reader,
            max_frames,
            passed,
            decoded,
        } = self;
        let max_frames = *max_frames;
        let mut over: Option<(u64, u32)> = None;
        reader.push(chunk, &mut |raw: &RawFrame| {
            if *passed >= max_frames || raw.offset >= MAX_OFFSET {
                over.get_or_insert((raw.offset, raw.number));
                return;
            }
            *passed += 1;
            let (frame, payload) = prepare(raw, decoded);
            keep(frame, &raw.data[payload]);
        });
        if let Some((offset, number)) = over {
            // `offset` is where the first frame not kept has its bytes.
            let frames_limit = offset < MAX_OFFSET;
            let limit = if frames_limit {
                max_frames as u64
            } else {
                MAX_OFFSET
            };
            reader.stop_at_limit(
                offset,
                number,
                ProblemDetail::FrameLimit {
                    frames_limit,
                    limit,
                },
            );
        }
    }

    pub fn reader(&self) -> &CaptureReader {
        &self.reader
    }

    /// Ends the input: how reading it ended.
    pub fn finish(self) -> CaptureEnd {
        self.reader.finish()
    }
}

impl Keeping {
    fn row_so_far(&self, index: usize, bytes: &[u8]) -> Option<FrameRow> {
        let frame = &frame_at(&self.frames, index)?;
        let link = self.links.get(usize::from(frame.link))?;
        let length = self.aside.orig_len(frame);
        let decoded = decode::decode_frame(link.link_type, bytes, Some(length));
        let (first_ts, time_digits) = time_origin(&self.frames, &self.links, &self.aside);
        let (frames, aside) = (&self.frames, &self.aside);
        let ts_ns = |number: u32| ts_ns_of(frames, aside, number);
        let facts = (frame.tcp() != NONE)
            .then(|| self.tracker.facts_so_far(frame.tcp() as usize, &ts_ns))
            .flatten();
        Some(build_row(
            frame,
            &self.aside,
            &decoded,
            first_ts,
            time_digits,
            facts.as_ref(),
            self.http.frame_so_far(frame.number),
        ))
    }

    /// Sizes the records for the whole capture from the bytes per frame so far (with 10 %
    /// to spare, never beyond the frame limit): once, between chunks, when a few thousand
    /// frames have been kept.
    pub fn reserve(&mut self) {
        let (Some(total), false) = (self.expected_bytes, self.reserved) else {
            return;
        };
        let read = self.frames.len();
        if read < FRAMES_BEFORE_RESERVING {
            return;
        }
        self.reserved = true;
        let Some(last) = self.frames.last() else {
            return;
        };
        let per_frame = last.end() as f64 / read as f64;
        let expected = (total as f64 / per_frame.max(1.0) * 1.1) as usize;
        let frames = expected.min(self.max_frames);
        self.frames.reserve(frames.saturating_sub(read));
        // Connections and HTTP messages in the same proportion as so far: grown by doubling,
        // their lists would end up to twice the size they need, and wasm memory keeps a peak.
        let scale = frames as f64 / read as f64;
        self.tracker.reserve_scaled(scale);
        self.http.reserve_scaled(scale);
        // The rest (texts, summaries, the working state of open connections) is left to grow
        // as it comes: taking heap ahead for it made wasm memory larger, not the page faster.
    }

    /// Ends the input (`capture`: how reading it ended) and computes the final results.
    pub fn finish(self, capture: CaptureEnd) -> Report {
        let (first_ts, time_digits) = time_origin(&self.frames, &self.links, &self.aside);
        // The room reserved ahead for the whole capture ([`Self::reserve`]) goes back to the
        // allocator: a shrink in place, without a copy (wasm's dlmalloc, as glibc's, splits the
        // block), so it lowers what is kept, not the peak (wasm memory never shrinks).
        let mut frames = self.frames;
        frames.shrink_to_fit();
        let mut aside = self.aside;
        aside.shrink_to_fit();
        drop(self.address_index);
        // HTTP first: its per-stream state goes back before the TCP summaries are made.
        let http = self.http.finish();
        let (tcp, moved) = self.tracker.finish();
        for frame in frames.iter_mut().filter(|f| f.has(bits::TCP_RECORD)) {
            frame.slot = moved.get(frame.slot as usize).copied().unwrap_or(NONE);
        }
        drop(moved);
        Report {
            capture,
            first_ts,
            time_digits,
            frames,
            links: self.links,
            addresses: self.addresses,
            tunnelled: self.tunnelled,
            aside,
            tcp,
            http,
        }
    }
}

/// What the Time column counts from and how many decimals it shows: the first frame that has
/// a time, and the finest resolution among the capture's interfaces.
fn time_origin(frames: &[FrameRecord], links: &[FrameLink], aside: &Aside) -> (Timestamp, u8) {
    let first_ts = numbered(frames)
        .find(|f| f.has_ts())
        .map(|f| aside.ts(&f))
        .unwrap_or_default();
    let time_digits = links.iter().map(|l| l.ts_digits).max().unwrap_or(6);
    (first_ts, time_digits)
}

/// The time (ns since the epoch) of frame `number` among `frames` (0 when there is none).
fn ts_ns_of(frames: &[FrameRecord], aside: &Aside, number: u32) -> i128 {
    number
        .checked_sub(1)
        .and_then(|i| frame_at(frames, i as usize))
        .map_or(0, |f| aside.ts_ns(&f))
}

/// One frame as read, with what keeping it needs from its decoded headers. Owned, so that it
/// can go from the thread that reads to the one that keeps; its TCP payload goes beside it.
#[derive(Debug, PartialEq)]
pub struct Prepared {
    pub(crate) number: u32,
    pub(crate) ts: Timestamp,
    pub(crate) ts_digits: u8,
    pub(crate) link_type: u32,
    pub(crate) interface: u32,
    pub(crate) orig_len: u32,
    pub(crate) offset: u64,
    /// Bytes captured (as many as the record can say).
    pub(crate) cap_len: u64,
    /// Its protocols, as [`FrameRecord`] bits.
    pub(crate) bits: u16,
    /// Its IP addresses, unless it is a TCP segment outside a tunnel (its connection has them).
    pub(crate) addresses: Option<AddressSet>,
    /// UDP ports, or TCP ports of a segment that has no IP header to go with them.
    pub(crate) ports: Option<(u16, u16)>,
    /// A TCP segment: the addresses of the IP header that carries it, and its header.
    pub(crate) tcp: Option<(IpAddr, IpAddr, TcpSegment)>,
}

/// `raw`'s headers decoded (in `decoded`, unless it is a plain TCP frame) and what is kept of
/// them; and where its TCP payload lies in its bytes (empty when it has none).
pub(crate) fn prepare(raw: &RawFrame, decoded: &mut Decoded) -> (Prepared, Range<usize>) {
    prepare_plain(raw).unwrap_or_else(|| prepare_walked(raw, decoded))
}

/// [`prepare`] for a frame [`decode::plain_tcp`] reads (most of a capture), without the walk.
pub(crate) fn prepare_plain(raw: &RawFrame) -> Option<(Prepared, Range<usize>)> {
    let plain = decode::plain_tcp(raw.link_type, raw.data, raw.orig_len)?;
    let ip = if plain.version == 4 {
        bits::IPV4
    } else {
        bits::IPV6
    };
    let bits = bits::ETH | ip | bits::TCP;
    let tcp = Some((plain.src, plain.dst, plain.segment));
    Some(prepared(raw, bits, None, None, tcp))
}

/// [`prepare`] by the decoder's walk, for any frame.
pub(crate) fn prepare_walked(raw: &RawFrame, decoded: &mut Decoded) -> (Prepared, Range<usize>) {
    decode::decode_headers_into(raw.link_type, raw.data, Some(raw.orig_len), decoded);
    // A TCP segment outside a tunnel has its connection's addresses: none kept per frame.
    let tcp_alone = decoded.tcp.is_some() && decoded.inner_ip.is_none();
    let addresses = decoded
        .ip
        .as_ref()
        .filter(|_| !tcp_alone)
        .map(|ip| AddressSet {
            src: ip.src,
            dst: ip.dst,
            inner: decoded.inner_ip.as_ref().map(|i| (i.src, i.dst)),
        });
    let tcp_ip = decoded
        .transport_ip()
        .filter(|_| decoded.tcp.is_some())
        .map(|ip| (ip.src, ip.dst));
    let ports = match (&decoded.udp, &decoded.tcp) {
        (Some(udp), _) => Some((udp.src_port, udp.dst_port)),
        (None, Some(seg)) if tcp_ip.is_none() => Some((seg.src_port, seg.dst_port)),
        _ => None,
    };
    let bits = frame_bits(decoded);
    let tcp = match (tcp_ip, decoded.tcp.take()) {
        (Some((src, dst)), Some(seg)) => Some((src, dst, seg)),
        _ => None,
    };
    prepared(raw, bits, addresses, ports, tcp)
}

/// What is kept of `raw`, given what its headers gave, and the place of its TCP payload.
fn prepared(
    raw: &RawFrame,
    bits: u16,
    addresses: Option<AddressSet>,
    ports: Option<(u16, u16)>,
    tcp: Option<(IpAddr, IpAddr, TcpSegment)>,
) -> (Prepared, Range<usize>) {
    let payload = tcp.as_ref().map_or(0..0, |(_, _, seg)| {
        let start = (seg.payload_offset as usize).min(raw.data.len());
        let end = (start + seg.payload_captured as usize).min(raw.data.len());
        start..end
    });
    let frame = Prepared {
        number: raw.number,
        ts: raw.ts,
        ts_digits: raw.ts_digits,
        link_type: raw.link_type,
        interface: raw.interface,
        orig_len: raw.orig_len,
        offset: raw.offset,
        // Every record fits (see CAP_LEN_BITS); the offset is checked before.
        cap_len: (raw.data.len() as u64).min((1 << CAP_LEN_BITS) - 1),
        bits: bits | if raw.has_ts { bits::HAS_TS } else { 0 },
        addresses,
        ports,
        tcp,
    };
    (frame, payload)
}

impl Keeping {
    /// Keeps frame `p`, read and prepared, whose TCP payload is `payload`.
    pub fn keep(&mut self, p: Prepared, payload: &[u8]) {
        let link = FrameLink {
            link_type: p.link_type,
            interface: p.interface,
            ts_digits: p.ts_digits,
        };
        let link = match self.links.iter().position(|l| *l == link) {
            Some(i) => i,
            None => {
                self.links.push(link);
                self.links.len() - 1
            }
        };
        let mut record = FrameRecord {
            ts: self.aside.keep_ts(p.number, p.ts, p.ts_digits),
            slot: NONE,
            link: u16::try_from(link).unwrap_or(u16::MAX),
            bits: p.bits,
            ..FrameRecord::default()
        };
        record.set_place(p.offset, p.cap_len);
        if u64::from(p.orig_len) != p.cap_len {
            record.bits |= bits::CUT;
            self.aside.lens.push((p.number, p.orig_len));
        }
        if let Some(set) = p.addresses {
            record.slot = match self.address_index.get(&set) {
                Some(&i) => i,
                None => {
                    let i = self.addresses.len() as u32;
                    self.addresses.push(set);
                    self.address_index.insert(set, i);
                    i
                }
            };
        }
        if let Some(ports) = p.ports {
            self.aside.ports.push((p.number, ports));
        }
        if let Some((src, dst, seg)) = &p.tcp {
            if record.slot != NONE {
                // A tunnelled segment: its address set is kept aside, its slot is its TCP's.
                self.tunnelled.push((p.number, record.slot));
            }
            record.slot = self.tracker.len() as u32;
            record.bits |= bits::TCP_RECORD;
            let pushed = self.tracker.push(&SegmentIn {
                number: p.number,
                ts: p.ts,
                src: *src,
                dst: *dst,
                segment: seg,
                payload,
            });
            let (sender, receiver) = (pushed.from_a, !pushed.from_a);
            if !payload.is_empty() {
                // Raw sequence numbers: the pairer only needs the same kind for a direction.
                self.http.push_at(
                    pushed.stream,
                    p.number,
                    p.ts,
                    sender,
                    receiver,
                    seg.seq,
                    payload,
                    pushed.analysis.has(crate::tcp::Flag::Retransmission),
                );
            }
            if seg.flags & decode::tcp_flags::FIN != 0 {
                // A body without a length ends with its sender's FIN, where Wireshark places it.
                self.http
                    .close(pushed.stream, p.number, p.ts, sender, receiver);
            }
        }
        self.frames.push(record);
    }
}

/// The protocol bits of a decoded frame.
fn frame_bits(d: &Decoded) -> u16 {
    let mut b = 0;
    let mut set = |cond: bool, bit: u16| {
        if cond {
            b |= bit;
        }
    };
    set(!d.problems.is_empty(), bits::PROBLEMS);
    if let Some(link) = &d.link {
        set(link.kind == LinkKind::Ethernet, bits::ETH);
        set(
            matches!(link.kind, LinkKind::LinuxSll | LinkKind::LinuxSll2),
            bits::SLL,
        );
        set(link.packet_type == Some(0), bits::SLL_TO_US);
        set(link.packet_type == Some(4), bits::SLL_OUTGOING);
    }
    set(!d.vlans.is_empty(), bits::VLAN);
    let ips = [d.ip.as_ref(), d.inner_ip.as_ref()];
    set(ips.iter().flatten().any(|ip| ip.version == 4), bits::IPV4);
    set(ips.iter().flatten().any(|ip| ip.version == 6), bits::IPV6);
    set(d.arp.is_some(), bits::ARP);
    set(d.tcp.is_some(), bits::TCP);
    set(d.udp.is_some(), bits::UDP);
    set(d.icmp.as_ref().is_some_and(|m| m.version == 4), bits::ICMP);
    set(
        d.icmp.as_ref().is_some_and(|m| m.version == 6),
        bits::ICMPV6,
    );
    b
}

/// A frame's row: its columns from its decoded headers, the tracker's facts and what it shows
/// of HTTP; times relative to `first_ts` (the first frame that has one, as Wireshark's Time
/// column), with `time_digits` decimals.
fn build_row(
    frame: &Frame,
    aside: &Aside,
    decoded: &Decoded,
    first_ts: Timestamp,
    time_digits: u8,
    facts: Option<&TcpFrameFacts>,
    http: Option<FrameHttp>,
) -> FrameRow {
    let ts = if frame.has_ts() {
        aside.ts(frame)
    } else {
        first_ts
    };
    let shown = payload_shown(decoded, http);
    FrameRow {
        number: frame.number,
        time: format_seconds(ts.nanos_since(first_ts), time_digits),
        source: decoded.src.clone(),
        destination: decoded.dst.clone(),
        protocol: protocol_shown(decoded, &shown).to_string(),
        length: aside.orig_len(frame),
        info: decode::info_text_shown(decoded, facts, &shown),
        color: colors::color_id(decoded, facts, matches!(shown, PayloadShown::Http(_))),
    }
}

/// How a TCP frame's payload is shown: HTTP where a message completes (as Wireshark places a
/// reassembled message), "segment of a reassembled PDU" for its other segments, plain TCP
/// for an HTTP-looking segment that is no message of its own (a retransmission).
pub fn payload_shown<'a>(decoded: &Decoded, http: Option<FrameHttp<'a>>) -> PayloadShown<'a> {
    if decoded.tcp.is_none() {
        return PayloadShown::AsDecoded;
    }
    match http {
        Some(FrameHttp::Messages(views)) => {
            PayloadShown::Http(views.iter().map(|v| (v.line, v.content_type)).collect())
        }
        Some(FrameHttp::Segment) => PayloadShown::Tcp { reassembled: true },
        None if decoded.http.is_some() => PayloadShown::Tcp { reassembled: false },
        None => PayloadShown::AsDecoded,
    }
}

/// The Protocol column: HTTP where an HTTP message is shown, else the decoder's.
fn protocol_shown<'a>(decoded: &'a Decoded, shown: &PayloadShown) -> &'a str {
    match (shown, decoded.protocol) {
        (PayloadShown::Http(_), _) => "HTTP",
        (PayloadShown::Tcp { .. }, "HTTP") => "TCP",
        (_, protocol) => protocol,
    }
}

/// Reads and analyses a whole capture held in memory, keeping its bytes (so that
/// [`Report::rows`] and [`Report::frame_bytes`] work without the file).
pub fn analyze_bytes(bytes: &[u8]) -> Report {
    let mut analysis = Analysis::new();
    analysis.retain(Retain::Always);
    analysis.push(bytes);
    analysis.finish()
}

impl Report {
    /// The heap bytes the report keeps, by part: what a capture costs once read.
    pub fn memory(&self) -> Kept {
        let mut kept = Kept::default();
        kept.add("frame records", kept::vec(&self.frames));
        kept.add(
            "links, addresses, values aside",
            kept::vec(&self.links)
                + kept::vec(&self.addresses)
                + kept::vec(&self.tunnelled)
                + self.aside.kept(),
        );
        self.tcp.kept(&mut kept);
        kept.add("HTTP", self.http.kept());
        if let Some(bytes) = &self.capture.retained {
            kept.add("capture bytes (kept for gzip)", kept::vec(bytes));
        }
        kept
    }

    /// The frame numbered `number`, if it was read.
    pub fn frame(&self, number: u32) -> Option<Frame> {
        frame_at(&self.frames, number.checked_sub(1)? as usize)
    }

    /// The frames with their numbers, in order.
    pub fn numbered(&self) -> impl DoubleEndedIterator<Item = Frame> + '_ {
        numbered(&self.frames)
    }

    pub fn link(&self, frame: &Frame) -> FrameLink {
        self.links
            .get(usize::from(frame.link))
            .copied()
            .unwrap_or(FrameLink {
                link_type: 0,
                interface: 0,
                ts_digits: 6,
            })
    }

    /// The index of the frame's own address set in [`Report::addresses`] (a tunnelled TCP
    /// segment's too), or [`NONE`] (a TCP segment outside a tunnel has its connection's).
    pub fn kept_set(&self, frame: &Frame) -> u32 {
        by_number(&self.tunnelled, frame.number).unwrap_or_else(|| frame.addresses())
    }

    /// The IP addresses of a frame: kept with it, or for a TCP segment outside a tunnel, its
    /// connection's in the segment's direction.
    pub fn address_set(&self, frame: &Frame) -> Option<AddressSet> {
        if let Some(set) = self.addresses.get(self.kept_set(frame) as usize) {
            return Some(*set);
        }
        let (src, dst) = self.tcp.sender_receiver(frame.tcp())?;
        Some(AddressSet {
            src: src.addr,
            dst: dst.addr,
            inner: None,
        })
    }

    /// The frame's length on the wire (frame.len).
    pub fn orig_len(&self, frame: &Frame) -> u32 {
        self.aside.orig_len(frame)
    }

    /// A TCP segment's (source, destination) ports.
    pub fn tcp_ports(&self, frame: &Frame) -> Option<(u16, u16)> {
        if !frame.has(bits::TCP) {
            return None;
        }
        if frame.tcp() == NONE {
            return self.aside.ports(frame);
        }
        let (src, dst) = self.tcp.sender_receiver(frame.tcp())?;
        Some((src.port, dst.port))
    }

    /// A UDP datagram's (source, destination) ports.
    pub fn udp_ports(&self, frame: &Frame) -> Option<(u16, u16)> {
        frame
            .has(bits::UDP)
            .then(|| self.aside.ports(frame))
            .flatten()
    }

    /// A frame's time in ns since the epoch, by frame number (0 when there is no such frame).
    pub fn ts_ns(&self, number: u32) -> i128 {
        ts_ns_of(&self.frames, &self.aside, number)
    }

    /// The frame's time, or the first frame's for records without one (as the Time column).
    pub fn shown_ts(&self, frame: &Frame) -> Timestamp {
        if frame.has_ts() {
            self.aside.ts(frame)
        } else {
            self.first_ts
        }
    }

    /// The tracker's final facts about a TCP frame.
    pub fn tcp_facts(&self, frame: &Frame) -> Option<TcpFrameFacts> {
        if frame.tcp() == NONE {
            return None;
        }
        self.tcp
            .facts(frame.tcp() as usize, &|number| self.ts_ns(number))
    }

    /// The frame's bytes from the capture kept in memory (see [`Analysis::retain`]); None when
    /// the capture was not kept (read them from the file at `frame.offset` instead).
    pub fn frame_bytes(&self, frame: &Frame) -> Option<&[u8]> {
        self.kept()?.get(frame)
    }

    /// Whether the capture's bytes are kept in memory.
    pub fn retains_bytes(&self) -> bool {
        self.capture.retained.is_some()
    }

    /// The capture kept in memory as a [`FrameSource`] (None when it was not kept).
    pub fn kept(&self) -> Option<Window<'_>> {
        self.capture
            .retained
            .as_deref()
            .map(|bytes| Window { start: 0, bytes })
    }

    /// Decodes a frame again from its bytes (`bytes`: its captured bytes, as read from the file).
    pub fn decode(&self, frame: &Frame, bytes: &[u8]) -> Decoded {
        decode::decode_frame(
            self.link(frame).link_type,
            bytes,
            Some(self.orig_len(frame)),
        )
    }

    /// Decodes a frame again from the capture kept in memory (see [`Analysis::retain`]); a
    /// frame whose bytes are not kept decodes as empty.
    pub fn decode_kept(&self, frame: &Frame) -> Decoded {
        self.decode(frame, self.frame_bytes(frame).unwrap_or(&[]))
    }

    /// The frame's row, from its bytes (read again from the file or from [`Self::frame_bytes`]).
    pub fn row(&self, frame: &Frame, bytes: &[u8]) -> FrameRow {
        let decoded = self.decode(frame, bytes);
        self.row_of(frame, &decoded)
    }

    /// The Time column of `frame` in `format`; `previous_shown` is the frame listed before it
    /// (for [`TimeFormat::SincePreviousDisplayed`]).
    pub fn time_text(
        &self,
        frame: &Frame,
        previous_shown: Option<&Frame>,
        format: TimeFormat,
    ) -> String {
        let ts = self.shown_ts(frame);
        let digits = self.time_digits;
        let since = |other: Option<&Frame>| {
            let base = other.map_or(ts, |o| self.shown_ts(o));
            format_seconds(ts.nanos_since(base), digits)
        };
        match format {
            TimeFormat::Relative => format_seconds(ts.nanos_since(self.first_ts), digits),
            TimeFormat::SincePreviousDisplayed => since(previous_shown),
            TimeFormat::SincePreviousCaptured => since(
                frame
                    .number
                    .checked_sub(1)
                    .and_then(|n| self.frame(n))
                    .as_ref(),
            ),
            TimeFormat::DateTime { offset_minutes } => {
                crate::capture::format_date_time(ts.as_nanos(), offset_minutes, digits)
            }
            TimeFormat::Utc => crate::capture::format_date_time(ts.as_nanos(), 0, digits),
            TimeFormat::Epoch => ts.format_epoch(digits),
        }
    }

    /// The frame's row from its decoded headers.
    pub fn row_of(&self, frame: &Frame, decoded: &Decoded) -> FrameRow {
        let facts = self.tcp_facts(frame);
        build_row(
            frame,
            &self.aside,
            decoded,
            self.first_ts,
            self.time_digits,
            facts.as_ref(),
            self.http.frame(frame.number),
        )
    }

    /// How a TCP frame's payload is shown (see [`payload_shown`]).
    pub fn payload_shown(&self, frame: &Frame, decoded: &Decoded) -> PayloadShown<'_> {
        payload_shown(decoded, self.http.frame(frame.number))
    }

    /// The first of Wireshark's default colouring rules that the frame matches.
    pub fn color_rule(&self, frame: &Frame, decoded: &Decoded) -> Option<colors::ColorRule> {
        let http_shown = matches!(self.payload_shown(frame, decoded), PayloadShown::Http(_));
        colors::color_rule(decoded, self.tcp_facts(frame).as_ref(), http_shown)
    }

    /// Every row, from the capture kept in memory (frames whose bytes are not kept decode as
    /// empty). For tests and small captures; the page asks for rows by range.
    pub fn rows(&self) -> Vec<FrameRow> {
        self.numbered()
            .map(|f| self.row(&f, self.frame_bytes(&f).unwrap_or(&[])))
            .collect()
    }
}

/// A connection as the page's conversations table shows it: the tracker's verdicts (the same
/// fields as `analyze --json`), its HTTP exchanges, and the handshake and close in words.
#[derive(Serialize)]
pub struct ConnectionView<'a> {
    #[serde(flatten)]
    pub connection: Connection,
    pub http: Vec<HttpExchange<'a>>,
    /// "three-way", "refused (SYN answered by RST)", ...
    pub handshake_text: String,
    /// "three-way close by client: FIN, FIN+ACK, ACK", "reset by server in ESTABLISHED", ...
    pub close_text: String,
}

/// The handshake in plain English words (see [`crate::explain::handshake_text`]).
pub fn handshake_text(c: &Connection) -> String {
    crate::explain::handshake_text(c, crate::explain::Lang::En)
}

/// The close in plain English words (see [`crate::explain::close_text`]).
pub fn close_text(c: &Connection) -> String {
    crate::explain::close_text(c, crate::explain::Lang::En)
}

impl Report {
    /// Every TCP connection with its HTTP exchanges, in stream order (each made when reached:
    /// a capture of a hundred thousand connections is written without holding them all).
    pub fn connection_views(&self) -> impl Iterator<Item = ConnectionView<'_>> {
        (0..self.tcp.connection_count() as u32).filter_map(|stream| self.connection_view(stream))
    }

    /// TCP stream `stream` with its HTTP exchanges.
    pub fn connection_view(&self, stream: u32) -> Option<ConnectionView<'_>> {
        let c = self.connection(stream)?;
        Some(ConnectionView {
            http: self.http.exchanges_of_stream(c.stream).collect(),
            handshake_text: handshake_text(&c),
            close_text: close_text(&c),
            connection: c,
        })
    }

    /// TCP stream `stream`'s summary (made from its segments when asked for).
    pub fn connection(&self, stream: u32) -> Option<Connection> {
        self.tcp.connection(stream, &|number| self.ts_ns(number))
    }

    /// Every TCP connection's summary, in stream order, each made when reached.
    pub fn connections(&self) -> impl Iterator<Item = Connection> + '_ {
        (0..self.tcp.connection_count() as u32).filter_map(|stream| self.connection(stream))
    }

    /// Indices (into `frames`) of the frames of one TCP stream, in capture order.
    pub fn stream_frame_indices(&self, stream: u32) -> Vec<u32> {
        self.tcp
            .segments(stream)
            .iter()
            .map(|r| r.frame.saturating_sub(1))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::analyze_bytes;
    use crate::tcp::{CloseKind, HandshakeKind, Side, State};

    /// A frame's HTTP exchanges, looked for among its TCP stream's only, are those a scan of
    /// every exchange finds (every frame of every shared capture with HTTP).
    #[test]
    fn a_frames_exchanges_are_found_in_its_stream() {
        let captures = crate::test_captures::all_captures();
        let mut frames_with_http = 0;
        for path in &captures {
            let report = analyze_bytes(&std::fs::read(path).unwrap_or_default());
            if report.http.exchange_count() == 0 {
                continue;
            }
            for number in 1..=report.frames.len() as u32 {
                let Some(frame) = report.frame(number) else {
                    continue;
                };
                let scanned: Vec<_> = report
                    .http
                    .exchanges()
                    .filter(|x| {
                        x.request_frame == number
                            || x.response_frame == Some(number)
                            || x.interim_frames.contains(&number)
                    })
                    .collect();
                let found = match report.tcp.stream_of(frame.tcp()) {
                    Some(stream) => report.http.exchanges_in_frame(stream, number),
                    None => Vec::new(),
                };
                assert_eq!(found, scanned, "{} frame {number}", path.display());
                frames_with_http += usize::from(!found.is_empty());
            }
        }
        assert!(
            captures.is_empty() || frames_with_http > 100,
            "{frames_with_http} frames with exchanges"
        );
    }

    /// A record keeps the offset of a frame far into a large capture and the length of the
    /// largest record, side by side in one word; the number is its place.
    #[test]
    fn a_record_keeps_large_offsets_and_lengths() {
        use super::{frame_at, FrameRecord, CAP_LEN_BITS, MAX_OFFSET};
        let far = MAX_OFFSET - 1;
        let longest = (1u64 << CAP_LEN_BITS) - 1;
        let mut records = [FrameRecord::default(); 2];
        records[1].set_place(far, longest);
        let frame = frame_at(&records, 1).expect("frame 2");
        assert_eq!((frame.number, frame.offset()), (2, far));
        assert_eq!(u64::from(frame.cap_len()), longest);
        assert!(longest > 16 << 20, "a pcapng block's packet fits");
        assert_eq!(frame_at(&records, 2), None);
    }

    /// A frame not captured whole keeps its length on the wire aside; the others' is their
    /// captured length. A TCP segment's ports are its connection's.
    #[test]
    fn lengths_on_the_wire_and_ports_kept_aside() {
        let mut bytes = crate::test_captures::demo();
        // Frame 1's record header starts after the file header: say it was 1000 bytes long.
        bytes[24 + 12..24 + 16].copy_from_slice(&1000u32.to_le_bytes());
        let report = analyze_bytes(&bytes);
        let frame = |n| report.frame(n).expect("frame");
        assert!(frame(1).has(super::bits::CUT));
        assert_eq!(report.orig_len(&frame(1)), 1000);
        assert_eq!(report.rows()[0].length, 1000);
        assert!(!frame(2).has(super::bits::CUT));
        assert_eq!(report.orig_len(&frame(2)), frame(2).cap_len());
        assert_eq!(report.tcp_ports(&frame(1)), Some((58626, 8080)));
        assert_eq!(report.tcp_ports(&frame(2)), Some((8080, 58626)));
        assert_eq!(report.udp_ports(&frame(1)), None);
    }

    /// Times are kept in 4 bytes from their block's first frame, in microseconds for a
    /// microsecond capture and nanoseconds for a finer one; the rest (too far from the base,
    /// not in its unit, beyond an i64 of ns) aside: every time comes back as it was.
    #[test]
    fn times_come_back_as_they_were() {
        use super::{Aside, Frame, FrameRecord, LOOSE_TIME, TIME_BLOCK};
        use crate::capture::Timestamp;
        let us = |t: i64| Timestamp::from_nanos_i64(t * 1000);
        let ns = Timestamp::from_nanos_i64;
        let s = 1_000_000_000i64;
        // (time, resolution digits, kept in the record)
        let mut times = vec![
            (us(1_700_000_000_000_000), 6, true),
            (us(1_700_000_000_000_001), 6, true),
            // Backwards in time, and 30 minutes later: still within an i32 of microseconds.
            (us(1_699_999_999_000_000), 6, true),
            (us(1_700_001_800_000_000), 6, true),
            // Two hours later: aside.
            (us(1_700_007_200_000_000), 6, false),
            // A nanosecond time in a microsecond block: aside.
            (ns(1_700_000_000 * s + 7), 9, false),
            // Beyond what an i64 of ns can say.
            (
                Timestamp {
                    secs: 10_000_000_000,
                    nanos: 5,
                },
                9,
                false,
            ),
        ];
        times.resize(TIME_BLOCK, (us(1_700_000_000_000_002), 6, true));
        // The next block is nanoseconds: a second apart fits, three do not.
        times.push((ns(1_700_000_100 * s + 1), 9, true));
        times.push((ns(1_700_000_101 * s + 2), 9, true));
        times.push((ns(1_700_000_103 * s + 3), 9, false));
        let mut aside = Aside::default();
        let records: Vec<FrameRecord> = (1..)
            .zip(&times)
            .map(|(number, &(ts, digits, _))| FrameRecord {
                ts: aside.keep_ts(number, ts, digits),
                ..FrameRecord::default()
            })
            .collect();
        assert_eq!(aside.bases.len(), 2);
        for ((number, record), &(ts, _, in_record)) in (1..).zip(records).zip(&times) {
            assert_eq!(record.ts != LOOSE_TIME, in_record, "frame {number}");
            assert_eq!(aside.ts(&Frame { number, record }), ts, "frame {number}");
        }
    }

    #[test]
    fn a_frame_limit_stops_reading_with_a_notice() {
        let bytes = crate::test_captures::demo();
        let mut analysis = super::Analysis::with_max_frames(4);
        for chunk in bytes.chunks(100) {
            analysis.push(chunk);
        }
        let report = analysis.finish();
        assert_eq!(report.frames.len(), 4);
        let stop = report.capture.stopped_by().expect("a notice");
        assert_eq!(stop.kind, crate::capture::ProblemKind::Limit);
        assert_eq!(stop.frame, Some(5));
        assert_eq!(stop.offset, 24 + 92 + 92 + 84 + 181 + 16);
        let message = crate::explain::capture::problem_text(stop, crate::explain::Lang::En);
        assert!(
            message.starts_with("Only the first 4 frames are read"),
            "{message}"
        );
        assert_eq!(report.rows().len(), 4);
    }

    /// The memory report counts every list the report keeps: each frame's record, each TCP
    /// segment's record, the connections, and HTTP's messages and texts.
    #[test]
    fn the_memory_report_counts_what_is_kept() {
        let bytes = crate::synth::generate(crate::synth::Options {
            frames: 5000,
            seed: 3,
            pcapng: false,
            ..Default::default()
        });
        let report = super::analyze_bytes(&bytes);
        let kept = report.memory();
        let part = |name: &str| {
            kept.parts
                .iter()
                .find(|(p, _)| *p == name)
                .map(|&(_, b)| b)
                .unwrap_or_else(|| panic!("no part {name:?} in {kept:?}"))
        };
        let frames = report.frames.len();
        assert!(frames >= 5000);
        assert!(part("frame records") >= frames * size_of::<super::FrameRecord>());
        let segments = report.tcp.records.len();
        assert!(segments > frames * 9 / 10, "nearly every frame is TCP");
        assert!(part("TCP segment records") >= segments * size_of::<crate::tcp::TcpRecord>());
        let connections = report.tcp.connection_count();
        assert!(part("TCP connections") >= connections * size_of::<crate::tcp::ConnFacts>());
        let exchanges = report.http.exchanges().len();
        assert!(exchanges > 100);
        // At least a request line of "GET / HTTP/1.1" and a status line per exchange.
        assert!(part("HTTP") > exchanges * 30);
        assert_eq!(kept.total(), kept.parts.iter().map(|p| p.1).sum::<usize>());
    }

    /// Everything the analysis gives, as text: rows, every TCP frame's facts, connections,
    /// HTTP exchanges and the summary.
    fn everything(report: &super::Report) -> String {
        let facts: Vec<_> = report.numbered().map(|f| report.tcp_facts(&f)).collect();
        serde_json::json!({
            "rows": report.rows(),
            "facts": facts,
            "connections": report.connection_views().collect::<Vec<_>>(),
            "summary": crate::explain::capture::summary(report, crate::explain::Lang::En),
        })
        .to_string()
    }

    /// The same capture fed in chunks of 1 byte, 7 bytes, 64 KiB or whole gives the same
    /// analysis: pcap and pcapng, the tutorial's capture and generated traffic with loss,
    /// zero windows, resets and port reuse.
    #[test]
    fn any_chunking_gives_the_same_analysis() {
        let mut captures = vec![crate::test_captures::demo()];
        for pcapng in [false, true] {
            captures.push(crate::synth::generate(crate::synth::Options {
                frames: 3000,
                seed: 7,
                pcapng,
                ..Default::default()
            }));
        }
        for bytes in &captures {
            let whole = everything(&super::analyze_bytes(bytes));
            for size in [1, 7, 64 * 1024] {
                let mut analysis = super::Analysis::new();
                analysis.retain(crate::capture::Retain::Always);
                analysis.expect_bytes(bytes.len() as u64);
                for chunk in bytes.chunks(size) {
                    analysis.push(chunk);
                }
                assert!(
                    everything(&analysis.finish()) == whole,
                    "chunks of {size} bytes changed the analysis"
                );
            }
        }
    }

    /// A frame's time in nanoseconds is its time's, for every frame of the tutorial's and the
    /// shared captures (times kept as offsets, loose and far ones alike).
    #[test]
    fn times_in_nanoseconds_are_the_times() {
        let mut captures = vec![crate::test_captures::demo()];
        for path in crate::test_captures::all_captures() {
            captures.push(std::fs::read(&path).expect("a shared capture is readable"));
        }
        for bytes in &captures {
            let report = super::analyze_bytes(bytes);
            for f in report.numbered() {
                assert_eq!(report.aside.ts_ns(&f), report.aside.ts(&f).as_nanos());
            }
        }
    }

    /// Read by one half and kept by the other after the whole capture has been read (as two
    /// threads may, with the payloads copied out of the chunks), or kept from batches of bytes
    /// chunk by chunk (as the page's second Worker keeps them), a capture gives the same
    /// analysis as pushed chunk by chunk; with a frame limit too.
    #[test]
    fn reading_and_keeping_apart_give_the_same_analysis() {
        let bytes = crate::synth::generate(crate::synth::Options {
            frames: 3000,
            seed: 11,
            pcapng: true,
            ..Default::default()
        });
        for max_frames in [super::MAX_FRAMES, 1234] {
            let pushed = {
                let mut analysis = super::Analysis::with_max_frames(max_frames);
                analysis.retain(crate::capture::Retain::Always);
                for chunk in bytes.chunks(4096) {
                    analysis.push(chunk);
                }
                everything(&analysis.finish())
            };
            let mut analysis = super::Analysis::with_max_frames(max_frames);
            analysis.retain(crate::capture::Retain::Always);
            let (mut reading, mut keeping) = analysis.into_halves();
            let mut read = Vec::new();
            for chunk in bytes.chunks(4096) {
                reading.read(chunk, |frame, payload| read.push((frame, payload.to_vec())));
            }
            if max_frames == 1234 {
                assert_eq!(read.len(), 1234, "reading stops at the limit");
            } else {
                assert!(read.len() >= 3000);
            }
            for (frame, payload) in read {
                keeping.keep(frame, &payload);
            }
            let apart = super::Analysis::from_halves(reading, keeping).finish();
            assert!(everything(&apart) == pushed, "limit {max_frames}");

            let mut analysis = super::Analysis::with_max_frames(max_frames);
            analysis.retain(crate::capture::Retain::Always);
            let (mut reading, _) = analysis.into_halves();
            let mut batched = super::Analysis::with_max_frames(max_frames);
            for chunk in bytes.chunks(4096) {
                let mut batch = Vec::new();
                reading.read(chunk, |frame, payload| {
                    crate::batch::put(&mut batch, &frame, payload)
                });
                batched.keep_batch(&batch).expect("a batch");
            }
            let batched = batched.finish_with(reading.finish());
            assert!(
                everything(&batched) == pushed,
                "limit {max_frames}, in batches"
            );
        }
    }

    /// While a capture is read, the rows of the frames read so far: for the tutorial's
    /// capture they are already the final ones (nothing later changes them), frame by frame.
    #[test]
    fn rows_while_reading() {
        let bytes = crate::test_captures::demo();
        let finished = super::analyze_bytes(&bytes).rows();
        let mut analysis = super::Analysis::new();
        analysis.retain(crate::capture::Retain::Always);
        let mut seen = 0;
        for chunk in bytes.chunks(60) {
            analysis.push(chunk);
            let kept = analysis.kept().expect("kept");
            for (i, frame) in super::numbered(analysis.frames()).enumerate().skip(seen) {
                let row = analysis
                    .row_so_far(i, kept.get(&frame).expect("bytes"))
                    .expect("a row");
                assert_eq!(row, finished[i], "frame {}", i + 1);
            }
            seen = analysis.frame_count();
        }
        assert_eq!(seen, 10);
        assert!(analysis.row_so_far(10, &[]).is_none());
    }

    /// The tutorial's capture, end to end through the real decoder: what the lesson teaches.
    #[test]
    fn the_tutorials_connection() {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../www/examples/demo.pcap"
        ))
        .expect("example");
        let report = analyze_bytes(&bytes);
        assert_eq!(report.frames.len(), 10);
        let [c] = &report.connections().collect::<Vec<_>>()[..] else {
            panic!("one connection")
        };
        assert_eq!(
            (c.client.to_string(), c.server.to_string()),
            (
                "192.168.0.50:58626".to_string(),
                "192.168.0.52:8080".to_string()
            )
        );
        assert_eq!(c.handshake.kind, HandshakeKind::ThreeWay);
        assert_eq!(c.handshake.frames, vec![1, 2, 3]);
        assert_eq!(c.handshake.irtt(), Some(0.000438));
        assert_eq!(c.close.kind, CloseKind::ThreeWay);
        assert_eq!(c.close.initiator, Some(Side::Client));
        assert_eq!(c.close.frames, vec![8, 9, 10]);
        assert_eq!(
            (
                c.completeness.value,
                c.conn_state.as_str(),
                c.history.as_str()
            ),
            (31, "SF", "ShADadFf")
        );
        let exchanges: Vec<_> = report.http.exchanges().collect();
        let [x] = &exchanges[..] else {
            panic!("one HTTP exchange")
        };
        assert_eq!(
            (x.request_frame, x.method, x.uri),
            (4, "GET", "/hello?name=world")
        );
        assert_eq!(
            (x.response_frame, x.status, x.time),
            (Some(6), Some(200), Some(0.002611))
        );
        let states: Vec<(State, State)> = report
            .numbered()
            .map(|f| {
                report
                    .tcp_facts(&f)
                    .map(|t| (t.state.client, t.state.server))
                    .expect("TCP")
            })
            .collect();
        use State::*;
        assert_eq!(
            states,
            vec![
                (SynSent, SynReceived),
                (Established, SynReceived),
                (Established, Established),
                (Established, Established),
                (Established, Established),
                (Established, Established),
                (Established, Established),
                (FinWait1, CloseWait),
                (TimeWait, LastAck),
                (TimeWait, Closed),
            ]
        );
        let rows = report.rows();
        assert_eq!(rows[0].info, "58626 → 8080 [SYN] Seq=0 Win=29200 Len=0 MSS=1460 SACK_PERM TSval=3433988 TSecr=0 WS=128");
        assert_eq!(rows[3].info, "GET /hello?name=world HTTP/1.1 ");
        assert_eq!(rows[5].info, "HTTP/1.1 200   (text/plain)");
        assert_eq!(rows[0].color, "tcp-syn-fin");
        assert_eq!(rows[3].color, "http");
        assert_eq!(rows[2].color, "tcp");
        let views: Vec<_> = report.connection_views().collect();
        let [view] = &views[..] else {
            panic!("one connection view")
        };
        assert_eq!(view.handshake_text, "three-way");
        assert_eq!(
            view.close_text,
            "three-way close by client: FIN, FIN+ACK, ACK"
        );
        assert_eq!(view.http.len(), 1);
        assert_eq!(
            report.stream_frame_indices(0),
            (0..10).collect::<Vec<u32>>()
        );
        assert!(report.stream_frame_indices(1).is_empty());
    }
}
