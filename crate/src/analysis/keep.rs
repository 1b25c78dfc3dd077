//! The keeping half of an analysis: each prepared frame's record, the TCP tracker and the HTTP
//! pairer; [`Keeping::finish`] makes the [`Report`].

use super::record::{bits, frame_at, AddressSet, Aside, FrameLink, FrameRecord, NONE};
use super::report::{ts_ns_of, FrameFacts, Report, TimeOrigin};
use super::Prepared;
use crate::capture::CaptureEnd;
use crate::decode;
use crate::http::HttpPairer;
use crate::tcp::{SegmentIn, TcpTracker};
use rustc_hash::FxHashMap as HashMap;

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

impl Keeping {
    pub(super) fn new(max_frames: usize) -> Self {
        Keeping {
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
        }
    }

    pub(super) fn expect_bytes(&mut self, total: u64) {
        self.expected_bytes = Some(total);
    }

    pub(super) fn frame_count(&self) -> usize {
        self.frames.len()
    }

    pub(super) fn frames(&self) -> &[FrameRecord] {
        &self.frames
    }

    /// The facts about frame `index` (0-based) as far as the capture has been read (the TCP
    /// analysis and the HTTP a frame shows can still change with later frames), and the time
    /// origin so far.
    pub(super) fn facts_so_far(&self, index: usize) -> Option<(FrameFacts<'_>, TimeOrigin)> {
        let frame = frame_at(&self.frames, index)?;
        let link = self.links.get(usize::from(frame.link))?;
        let origin = TimeOrigin::of(&self.frames, &self.links, &self.aside);
        let (frames, aside) = (&self.frames, &self.aside);
        let ts_ns = |number: u32| ts_ns_of(frames, aside, number);
        let tcp = (frame.tcp() != NONE)
            .then(|| self.tracker.facts_so_far(frame.tcp() as usize, &ts_ns))
            .flatten();
        let facts = FrameFacts {
            frame,
            link_type: link.link_type,
            orig_len: self.aside.orig_len(&frame),
            ts: if frame.has_ts() {
                self.aside.ts(&frame)
            } else {
                origin.first_ts
            },
            tcp,
            http: self.http.frame_so_far(frame.number),
        };
        Some((facts, origin))
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
        let origin = TimeOrigin::of(&self.frames, &self.links, &self.aside);
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
            first_ts: origin.first_ts,
            time_digits: origin.digits,
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
