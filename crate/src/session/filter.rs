//! The list's display filter, as the page applies it: at once when the frames' records answer
//! it, else in steps while the page reads the file's bytes for it.
//!
//! Promise: the frames shown are those [`crate::filter`] matches, in order, whichever way the
//! filter was applied; a filter that reads bytes changes the list only once every frame has
//! been read ([`PendingFilter::done`]).

use crate::analysis::{frame_at, FrameSource, Report};
use crate::filter::{self, Filter, FilterError};
use serde::Serialize;

/// What applying a display filter answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FilterAnswer {
    /// The filter does not compile: the list is unchanged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<FilterError>,
    /// The filter reads fields the records do not hold: nothing changed yet; read the file as
    /// `filter_span` asks, hand it to `filter_feed`, then `filter_finish`.
    pub needs_bytes: bool,
    /// The rows the list now has (when it changed).
    pub count: Option<usize>,
}

impl FilterAnswer {
    pub fn error(error: FilterError) -> Self {
        FilterAnswer {
            error: Some(error),
            needs_bytes: false,
            count: None,
        }
    }

    pub fn count(count: usize) -> Self {
        FilterAnswer {
            error: None,
            needs_bytes: false,
            count: Some(count),
        }
    }

    pub fn needs_bytes() -> Self {
        FilterAnswer {
            error: None,
            needs_bytes: true,
            count: None,
        }
    }
}

/// The indices of the frames `filter` shows, when the records answer it (no bytes needed).
pub fn shown_by_records(report: &Report, filter: &Filter) -> Vec<u32> {
    report
        .numbered()
        .filter(|f| filter::matches_indexed(report, f, filter))
        .map(|f| f.number - 1)
        .collect()
}

/// A display filter that reads the frames' bytes, in file order.
pub struct PendingFilter {
    filter: Filter,
    /// Index of the next frame to filter.
    next: usize,
    /// Indices of the frames that passed.
    shown: Vec<u32>,
}

impl PendingFilter {
    pub fn new(filter: Filter) -> Self {
        PendingFilter {
            filter,
            next: 0,
            shown: Vec::new(),
        }
    }

    /// Index of the next frame to filter (the frames read so far).
    pub fn next(&self) -> usize {
        self.next
    }

    /// Filters the frames from the next on whose bytes `source` holds (it stops at the first
    /// frame whose bytes are not there).
    pub fn feed(&mut self, report: &Report, source: &mut dyn FrameSource) {
        while let Some(frame) = frame_at(&report.frames, self.next) {
            let Ok(bytes) = source.frame_bytes(&frame) else {
                break;
            };
            if filter::matches_bytes(report, &frame, bytes, &self.filter) {
                self.shown.push(self.next as u32);
            }
            self.next += 1;
        }
    }

    /// The next part of the file to read: whole frames from the next one, about `max_bytes`
    /// long (`[start, end]`); None when every frame has been read.
    pub fn span(&self, report: &Report, max_bytes: u64) -> Option<[u64; 2]> {
        let first = report.frames.get(self.next)?;
        let limit = first.offset().saturating_add(max_bytes);
        let mut end = first.end();
        for (i, f) in report.frames.iter().enumerate().skip(self.next) {
            let f_end = f.end();
            if f_end > limit && i != self.next {
                break;
            }
            end = end.max(f_end);
        }
        Some([first.offset(), end])
    }

    /// Whether every frame of `report` has been read.
    pub fn done(&self, report: &Report) -> bool {
        self.next >= report.frame_count()
    }

    /// The frames that passed (all the frames shown, once [`PendingFilter::done`]).
    pub fn into_shown(self) -> Vec<u32> {
        self.shown
    }
}
