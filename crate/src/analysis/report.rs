//! The finished analysis of a capture ([`Report`]) and what it answers: frames, their times,
//! addresses and ports, the TCP tracker's facts, HTTP, connections.
//!
//! Promise: every answer is a fact computed by the pipeline; nothing here is worded for a
//! person (the views do that).

use super::record::{
    bits, by_number, frame_at, numbered, AddressSet, Aside, Frame, FrameLink, FrameRecord, NONE,
};
use super::source::Window;
use crate::capture::{CaptureEnd, Timestamp};
use crate::decode::{self, Decoded};
use crate::http::{FrameHttp, HttpPairs};
use crate::kept::{self, Kept};
use crate::tcp::{Connection, Flag, TcpAnalysis, TcpFrameFacts};

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

    /// The number of frames read.
    pub fn frame_count(&self) -> usize {
        self.frames.len()
    }

    /// The frame's time as the capture recorded it (meaningful only when it has one).
    pub fn ts(&self, frame: &Frame) -> Timestamp {
        self.aside.ts(frame)
    }

    /// The tracker's record of a TCP frame's segment.
    pub fn tcp_record(&self, frame: &Frame) -> Option<&crate::tcp::TcpRecord> {
        self.tcp.records.get(frame.tcp() as usize)
    }

    /// For a frame completing an HTTP message begun in earlier segments: those segments' frames,
    /// in order (the sender's segments with payload back to the first that is not a message's
    /// middle; retransmissions brought nothing).
    pub fn http_message_pieces(&self, frame: &Frame) -> Vec<u32> {
        let report = self;
        let mut out = Vec::new();
        if !matches!(
            report.http.frame(frame.number),
            Some(FrameHttp::Messages(_))
        ) {
            return out;
        }
        let Some((_, group, at)) = report.stream_position(frame) else {
            return out;
        };
        let Some(me) = group.get(at) else {
            return out;
        };
        for earlier in group[..at].iter().rev() {
            if earlier.from_a() != me.from_a() || report.tcp.segment_len(earlier) == 0 {
                continue;
            }
            if report.tcp.analysis(earlier).has(Flag::Retransmission) {
                continue;
            }
            if !matches!(report.http.frame(earlier.frame), Some(FrameHttp::Segment)) {
                break;
            }
            out.push(earlier.frame);
        }
        out.reverse();
        out
    }

    /// For a frame carrying part of an HTTP message: the later frame of its sender that
    /// completes a message.
    pub fn http_reassembled_in(&self, frame: &Frame) -> Option<u32> {
        let report = self;
        if !matches!(report.http.frame(frame.number), Some(FrameHttp::Segment)) {
            return None;
        }
        let (_, group, at) = report.stream_position(frame)?;
        let me = group.get(at)?;
        group[at + 1..]
            .iter()
            .filter(|r| r.from_a() == me.from_a())
            .find(|r| matches!(report.http.frame(r.frame), Some(FrameHttp::Messages(_))))
            .map(|r| r.frame)
    }

    /// The TCP stream of `frame`'s segment, that stream's segments, and the place of
    /// `frame`'s among them.
    pub fn stream_position(&self, frame: &Frame) -> Option<(u32, &[crate::tcp::TcpRecord], usize)> {
        let stream = self.tcp.stream_of(frame.tcp())?;
        let range = self.tcp.stream_range(stream);
        let at = (frame.tcp() as usize).checked_sub(range.start)?;
        Some((stream, self.tcp.records.get(range)?, at))
    }

    /// What the Time column counts from.
    pub fn time_origin(&self) -> TimeOrigin {
        TimeOrigin {
            first_ts: self.first_ts,
            digits: self.time_digits,
        }
    }

    /// The analysis's facts about `frame`.
    pub fn frame_facts(&self, frame: &Frame) -> FrameFacts<'_> {
        FrameFacts {
            frame: *frame,
            link_type: self.link(frame).link_type,
            orig_len: self.orig_len(frame),
            ts: self.shown_ts(frame),
            tcp: self.tcp_facts(frame),
            http: self.http.frame(frame.number),
        }
    }
}

/// What the Time column counts from and how many decimals it shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeOrigin {
    /// The first frame that has a time.
    pub first_ts: Timestamp,
    /// The finest resolution among the capture's interfaces.
    pub digits: u8,
}

impl TimeOrigin {
    pub(super) fn of(frames: &[FrameRecord], links: &[FrameLink], aside: &Aside) -> TimeOrigin {
        TimeOrigin {
            first_ts: numbered(frames)
                .find(|f| f.has_ts())
                .map(|f| aside.ts(&f))
                .unwrap_or_default(),
            digits: links.iter().map(|l| l.ts_digits).max().unwrap_or(6),
        }
    }
}

/// What the analysis knows of one frame beyond its bytes: what its row, its details and its
/// explanations are made from.
#[derive(Clone, Debug)]
pub struct FrameFacts<'a> {
    pub frame: Frame,
    /// LINKTYPE_* of its link.
    pub link_type: u32,
    /// Its length on the wire (frame.len).
    pub orig_len: u32,
    /// Its time as the Time column counts it (the first frame's for records without one).
    pub ts: Timestamp,
    /// The TCP tracker's facts, for a TCP segment.
    pub tcp: Option<TcpFrameFacts>,
    /// What it carries of HTTP.
    pub http: Option<FrameHttp<'a>>,
}

/// The time (ns since the epoch) of frame `number` among `frames` (0 when there is none).
pub(super) fn ts_ns_of(frames: &[FrameRecord], aside: &Aside, number: u32) -> i128 {
    number
        .checked_sub(1)
        .and_then(|i| frame_at(frames, i as usize))
        .map_or(0, |f| aside.ts_ns(&f))
}
