//! What the tracker keeps of each TCP segment: a 24-byte [`TcpRecord`], and beside it what
//! few segments need (a long length or a far acknowledged segment in [`Wides`], analysis flags
//! in [`Flagged`]).

use super::{AnalysisFlags, EndpointStates, State};
use crate::regroup;

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
    pub(super) len: u16,
    /// The window field as sent.
    pub window: u16,
    /// The 12 TCP flag bits, [`TcpRecord::FROM_A`], `TcpRecord::WIDE` and
    /// `TcpRecord::FLAGGED`.
    pub bits: u16,
    /// Each endpoint's RFC 9293 state after this segment: the client's in the high four bits
    /// ([`TcpRecord::state`]).
    pub(super) state: u8,
    /// How many of its stream's segments back the one it acknowledges is (0: none), unless
    /// [`TcpRecord::WIDE`]; set when the capture ends (see [`Wides::settle`]).
    pub(super) acked_back: u8,
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

    pub(super) fn set_state(&mut self, states: EndpointStates) {
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
    pub(super) fn set(&mut self, record: &mut TcpRecord, flags: AnalysisFlags) {
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
    pub(super) fn within(&self, first: u32, last: u32) -> FlaggedView<'_> {
        let from = self.frames.partition_point(|&f| f < first);
        let to = self.frames.partition_point(|&f| f <= last).max(from);
        FlaggedView {
            frames: self.frames.get(from..to).unwrap_or_default(),
            flags: self.flags.get(from..to).unwrap_or_default(),
        }
    }

    pub(super) fn shrink_to_fit(&mut self) {
        self.frames.shrink_to_fit();
        self.flags.shrink_to_fit();
    }

    pub(super) fn bytes(&self) -> usize {
        crate::kept::vec(&self.frames) + crate::kept::vec(&self.flags)
    }
}

/// Some of [`Flagged`]'s entries.
#[derive(Clone, Copy)]
pub(super) struct FlaggedView<'a> {
    frames: &'a [u32],
    flags: &'a [AnalysisFlags],
}

impl FlaggedView<'_> {
    #[inline]
    pub(super) fn get(&self, record: &TcpRecord) -> AnalysisFlags {
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
pub(super) fn acks_another(record: &TcpRecord, frame: u32) -> Option<u32> {
    (frame != 0 && frame != record.frame).then_some(frame)
}

/// A segment's length and acknowledged frame, when they do not fit in its record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Wide {
    pub(super) frame: u32,
    pub(super) len: u32,
    pub(super) acked_frame: u32,
}

/// The `Wide` values of the records that have them, in frame order.
#[derive(Clone, Debug, Default)]
pub struct Wides(pub(super) Vec<Wide>);

impl Wides {
    /// Stores `len` in `record`, or here with `acked_frame` (0: none) when it does not fit.
    pub(super) fn set(&mut self, record: &mut TcpRecord, len: u32, acked_frame: u32) {
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
    pub(super) fn settle(&mut self, records: &mut [TcpRecord], acked: &[u32], starts: &[u32]) {
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

    pub(super) fn bytes(&self) -> usize {
        crate::kept::vec(&self.0)
    }
}
