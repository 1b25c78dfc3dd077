//! The whole pipeline for one capture: chunks in, frame records and TCP analysis out.
//!
//! Promise: fed the same bytes in any chunking, [`Analysis`] produces the same [`Report`]; it
//! never panics on input; what the capture reader could not read is in `Report::capture`.
//! It computes facts and words none of them: the views (rows, details, ladders, texts) read
//! a [`Report`] and make what a person reads.
//!
//! - [`record`]: what is kept of each frame ([`FrameRecord`], its time and what is kept aside);
//! - [`prepare`]: a frame read and its headers decoded, ready to be kept ([`Prepared`]);
//! - [`batch`]: prepared frames as bytes, from a reading Worker to a keeping one;
//! - [`keep`]: the keeping half ([`Keeping`]): records, the TCP tracker, the HTTP pairer;
//! - [`report`]: the finished [`Report`] and what it answers about frames and connections;
//! - [`source`]: where frames' bytes are read again from ([`FrameSource`]);
//! - `conversations`: Wireshark's IP and UDP conversation indices of a frame.

pub mod batch;
mod conversations;
mod keep;
mod prepare;
mod record;
mod report;
mod source;
#[cfg(test)]
mod tests;

pub use keep::Keeping;
pub use prepare::Prepared;
pub(crate) use prepare::{prepare, prepare_plain, prepare_walked};
pub use record::{
    bits, frame_at, numbered, AddressSet, Aside, Frame, FrameLink, FrameRecord, MAX_OFFSET, NONE,
};
pub use report::{FrameFacts, Report, TimeOrigin};
pub use source::{FrameSource, Window};

use crate::capture::{CaptureEnd, CaptureReader, ProblemDetail, RawFrame, Retain};
use crate::decode::Decoded;

/// The most frames one analysis keeps: beyond it reading stops with a notice, so that a huge
/// capture cannot exhaust the memory of a browser tab (wasm32 has 4 GB; a TCP frame costs
/// about 50 bytes of records, its connection and HTTP more, and the page's other needs grow
/// with it).
#[cfg(target_arch = "wasm32")]
pub const MAX_FRAMES: usize = 6_000_000;
/// The most frames one analysis keeps on the command line.
#[cfg(not(target_arch = "wasm32"))]
pub const MAX_FRAMES: usize = 100_000_000;

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
            keeping: Keeping::new(max_frames),
        }
    }

    /// Tells the capture's size: once a few thousand frames show the average frame size, room
    /// for all the records is made at once (growing a list of a million records step by step
    /// copies it again and again, and wasm memory keeps every step's peak).
    pub fn expect_bytes(&mut self, total: u64) {
        self.keeping.expect_bytes(total);
    }

    /// Keeps the capture's bytes (see [`Retain`]) so that [`Report::frame_bytes`] can give
    /// frames' bytes without the file; call before the first push.
    pub fn retain(&mut self, retain: Retain) {
        self.reading.reader.retain(retain);
    }

    /// Keeps the frames of `batch`, read elsewhere (see [`batch`]) in file order; this
    /// analysis's own reading half is then not used: end with [`Analysis::finish_with`].
    /// Where the batch is damaged, the frames before the damage are kept.
    pub fn keep_batch(&mut self, batch: &[u8]) -> Result<(), batch::BadBatch> {
        let keeping = &mut self.keeping;
        keeping.reserve();
        batch::each(batch, |frame, payload| keeping.keep(frame, payload))
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
        self.keeping.frame_count()
    }

    /// The frames read so far.
    pub fn frames(&self) -> &[FrameRecord] {
        self.keeping.frames()
    }

    /// The (decompressed) capture's bytes read so far, when they are kept ([`Self::retain`]).
    pub fn kept(&self) -> Option<Window<'_>> {
        self.reading
            .reader
            .retained_bytes()
            .map(|bytes| Window { start: 0, bytes })
    }

    /// The facts about frame `index` (0-based) as far as the capture has been read, and the
    /// Time column's origin so far: the list can be shown while a large capture is still
    /// being read. The TCP analysis and HTTP messages of a frame can still change with later
    /// frames (see [`crate::tcp::TcpTracker::facts_so_far`]); the finished [`Report`]'s are
    /// final.
    pub fn facts_so_far(&self, index: usize) -> Option<(FrameFacts<'_>, TimeOrigin)> {
        self.keeping.facts_so_far(index)
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

/// Reads and analyses a whole capture held in memory, keeping its bytes (so that
/// [`Report::rows`] and [`Report::frame_bytes`] work without the file).
pub fn analyze_bytes(bytes: &[u8]) -> Report {
    let mut analysis = Analysis::new();
    analysis.retain(Retain::Always);
    analysis.push(bytes);
    analysis.finish()
}
