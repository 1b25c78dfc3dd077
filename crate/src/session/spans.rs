//! Where frames' bytes are in the file, and the bytes a page read from there.
//!
//! The core keeps a compact record per frame, not its bytes: what needs them (rows, a
//! frame's detail, a filter that reads fields, following a stream) is asked in two steps.
//! [`spans`] says which byte ranges of the file to read (`[start, end, start, end, ...]`,
//! file offsets, in file order; near ranges merged); the page reads them and hands them back
//! concatenated in that order with the same spans, which [`Pieces`] serves frames from.
//!
//! Promise: [`Pieces`] never gives bytes outside the frame asked for; spans that do not match
//! the bytes (too few bytes, odd counts) give "not read" answers, not panics.

use crate::analysis::{Frame, FrameSource, Window};

/// File ranges closer than this are read as one (fewer, larger reads of the File).
pub const SPAN_GAP: u64 = 64 * 1024;

/// The byte ranges holding `frames` (in any order), sorted and near ones merged:
/// `[start, end, start, end, ...]`.
pub fn spans(frames: impl Iterator<Item = Frame>) -> Vec<u64> {
    let mut ranges: Vec<(u64, u64)> = frames.map(|f| (f.offset(), f.end())).collect();
    ranges.sort_unstable();
    let mut merged: Vec<(u64, u64)> = Vec::new();
    for (start, end) in ranges {
        match merged.last_mut() {
            Some(last) if start <= last.1.saturating_add(SPAN_GAP) => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged.into_iter().flat_map(|(a, b)| [a, b]).collect()
}

/// The file's bytes a page read for some spans, concatenated; or the capture the core kept.
pub struct Pieces<'a> {
    kept: Option<Window<'a>>,
    pieces: Vec<Window<'a>>,
}

impl<'a> Pieces<'a> {
    /// `kept`: the capture kept in memory, if it is; `spans` and `bytes`: what the page read.
    pub fn new(kept: Option<Window<'a>>, spans: &[u64], bytes: &'a [u8]) -> Self {
        let mut pieces = Vec::new();
        let mut at = 0usize;
        for pair in spans.chunks_exact(2) {
            let (start, end) = (pair[0], pair[1]);
            let len = usize::try_from(end.saturating_sub(start)).unwrap_or(usize::MAX);
            let Some(piece) = bytes.get(at..at.saturating_add(len)) else {
                break;
            };
            pieces.push(Window {
                start,
                bytes: piece,
            });
            at += len;
        }
        Pieces { kept, pieces }
    }
}

impl FrameSource for Pieces<'_> {
    fn frame_bytes(&mut self, frame: &Frame) -> std::io::Result<&[u8]> {
        if let Some(bytes) = self.kept.as_ref().and_then(|k| k.get(frame)) {
            return Ok(bytes);
        }
        self.pieces
            .iter()
            .find_map(|w| w.get(frame))
            .ok_or_else(|| {
                std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    format!(
                        "frame {}'s bytes (file bytes {} to {}) were not read: ask row_spans first",
                        frame.number,
                        frame.offset(),
                        frame.end()
                    ),
                )
            })
    }
}
