//! The page's state that is not JavaScript: one capture being read, then the list as filtered,
//! its time format, the display filter under way; and what the page asks of it (rows, a
//! frame's detail, following a stream, the conversations table, ladders) with the byte ranges
//! of the file each answer needs.
//!
//! Promise: every answer is the core's; nothing here depends on the browser (the WebAssembly
//! shell, `crate::wasm`, only converts), so all of it is tested natively. Bad requests (a
//! frame or stream that is not there, a step out of order) are [`SessionError`]s, never panics.
//!
//! - [`spans`]: which bytes of the file an answer needs, and serving frames from them;
//! - [`filter`]: the display filter applied at once or while the file's bytes are read;
//! - [`table`]: the conversations table and the rows in columns.

pub mod filter;
pub mod spans;
pub mod table;
#[cfg(test)]
mod tests;

use crate::analysis::{frame_at, Analysis, Frame, FrameRecord, FrameSource, Report};
use crate::capture::{CaptureEnd, Retain};
use crate::detail::{self, DetailOptions, Node};
use crate::explain::connection::ConnectionView;
use crate::explain::{self, Lang};
use crate::follow::{self, FollowFormat};
use crate::kept::Kept;
use crate::ladder::{words, Ladder, LadderOptions, TimeAxis};
use crate::row::{FrameRow, TimeFormat};
use crate::tcp::summary::Directional;
use filter::{FilterAnswer, PendingFilter};
use serde::Serialize;
use spans::{spans, Pieces};
use table::{ConnectionTable, RowColumns};

/// Why the session could not answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SessionError {
    /// Asked for `what` before the capture was finished.
    NotFinished(&'static str),
    /// Fed after the capture was finished.
    Finished(&'static str),
    NoFrame(u32),
    NoStream(u32),
    /// A name the page gave is not one the core knows (`what`: a time or follow format, a
    /// language).
    Unknown {
        what: &'static str,
        name: String,
    },
    /// The page's bytes do not hold what was asked for, or a step came out of order.
    Bytes(String),
}

impl std::fmt::Display for SessionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SessionError::NotFinished(what) => write!(f, "Session.{what} before finish"),
            SessionError::Finished(what) => write!(
                f,
                "Session.{what} after finish: start a new Session for a new file"
            ),
            SessionError::NoFrame(number) => write!(f, "there is no frame {number}"),
            SessionError::NoStream(stream) => write!(f, "there is no TCP stream {stream}"),
            SessionError::Unknown { what, name } if *what == "language" => {
                write!(f, "unknown language {name:?}: use \"en\" or \"zh\"")
            }
            SessionError::Unknown { what, name } => write!(f, "unknown {what} {name:?}"),
            SessionError::Bytes(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for SessionError {}

type Result<T> = std::result::Result<T, SessionError>;

fn bytes_error(e: std::io::Error) -> SessionError {
    SessionError::Bytes(e.to_string())
}

enum State {
    Reading(Box<Analysis>),
    Finished(Box<Report>),
    /// Only while `finish` moves the analysis into a report.
    Moving,
}

/// One capture being read: `push` its chunks in order, then `finish`, then ask for `rows`.
pub struct Session {
    state: State,
    /// With a filter: the indices of the frames shown, in order (computed once).
    shown: Option<Vec<u32>>,
    /// A display filter that reads the frames' bytes, while the page feeds them.
    pending: Option<PendingFilter>,
    time_format: TimeFormat,
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

/// The capture's summary as the page shows it: in English, with its texts in 简体中文 beside
/// it, so that the page switches language without asking again.
#[derive(Serialize)]
pub struct PageSummary {
    #[serde(flatten)]
    pub summary: explain::capture::Summary,
    pub zh: explain::capture::SummaryTexts,
}

/// A followed stream as the page shows it.
#[derive(Serialize)]
pub struct FollowView {
    pub stream: u32,
    pub client: String,
    pub server: String,
    pub chunks: Vec<follow::Chunk>,
    pub bytes: Directional,
    pub left_out: u64,
}

/// What one segment of a ladder is, in words (plain text, not escaped).
#[derive(Serialize)]
pub struct Explanation {
    pub frame: u32,
    pub summary: String,
    pub lines: Vec<String>,
}

/// A language the page names ("en", "zh").
pub fn parse_lang(text: &str) -> Result<Lang> {
    Lang::parse(text).ok_or_else(|| SessionError::Unknown {
        what: "language",
        name: text.to_string(),
    })
}

impl Session {
    pub fn new() -> Session {
        let mut analysis = Box::<Analysis>::default();
        // A File can be sliced again, but not a gzip file's decompressed stream.
        analysis.retain(Retain::Gzip);
        Session {
            state: State::Reading(analysis),
            shown: None,
            pending: None,
            time_format: TimeFormat::default(),
        }
    }

    /// Tells the file's size in bytes (before the first `push`), so that room for its records
    /// is made once rather than grown step by step.
    pub fn expect_bytes(&mut self, total: u64) {
        if let State::Reading(analysis) = &mut self.state {
            analysis.expect_bytes(total);
        }
    }

    /// Feeds the next chunk of the file; returns the number of frames read so far.
    pub fn push(&mut self, chunk: &[u8]) -> Result<u32> {
        match &mut self.state {
            State::Reading(analysis) => {
                analysis.push(chunk);
                Ok(analysis.frame_count() as u32)
            }
            _ => Err(SessionError::Finished("push")),
        }
    }

    /// Keeps the frames of a batch made by another Worker's reader (see
    /// [`crate::analysis::batch`]) from the next chunk of the file; returns the number of
    /// frames kept so far. End with [`Session::finish_batches`].
    pub fn push_batch(&mut self, batch: &[u8]) -> Result<u32> {
        match &mut self.state {
            State::Reading(analysis) => {
                analysis
                    .keep_batch(batch)
                    .map_err(|e| SessionError::Bytes(e.to_string()))?;
                Ok(analysis.frame_count() as u32)
            }
            _ => Err(SessionError::Finished("push_batch")),
        }
    }

    /// Ends the input; returns the capture's summary.
    pub fn finish(&mut self) -> Result<PageSummary> {
        self.finish_by(|analysis| analysis.finish())
    }

    /// Ends the input of batches; `end` is how the reader's reading ended.
    pub fn finish_batches(&mut self, end: CaptureEnd) -> Result<PageSummary> {
        self.finish_by(|analysis| analysis.finish_with(end))
    }

    fn finish_by(&mut self, end: impl FnOnce(Analysis) -> Report) -> Result<PageSummary> {
        let analysis = match std::mem::replace(&mut self.state, State::Moving) {
            State::Reading(analysis) => analysis,
            other => {
                self.state = other;
                return Err(SessionError::Bytes("Session.finish called twice".into()));
            }
        };
        let report = end(*analysis);
        let summary = PageSummary {
            summary: explain::capture::summary(&report, Lang::En),
            zh: explain::capture::summary_texts(&report, Lang::Zh),
        };
        self.state = State::Finished(Box::new(report));
        Ok(summary)
    }

    /// Whether reading has stopped (not a capture, damaged, or a limit reached): the rest of
    /// the file need not be read.
    pub fn stopped(&self) -> bool {
        match &self.state {
            State::Reading(analysis) => analysis.reader().is_stopped(),
            _ => true,
        }
    }

    /// Number of frames in the finished report (0 before `finish`).
    pub fn frames(&self) -> u32 {
        match &self.state {
            State::Finished(report) => report.frame_count() as u32,
            _ => 0,
        }
    }

    /// What the finished report keeps in memory (None before `finish`).
    pub fn memory(&self) -> Option<Kept> {
        match &self.state {
            State::Finished(report) => Some(report.memory()),
            _ => None,
        }
    }

    /// The finished report.
    pub fn report(&self, what: &'static str) -> Result<&Report> {
        match &self.state {
            State::Finished(report) => Ok(report),
            _ => Err(SessionError::NotFinished(what)),
        }
    }

    fn frame(&self, what: &'static str, number: u32) -> Result<(&Report, Frame)> {
        let report = self.report(what)?;
        let frame = report.frame(number).ok_or(SessionError::NoFrame(number))?;
        Ok((report, frame))
    }

    /// The byte ranges of the file that rows `start .. start + count` need (empty when the
    /// core kept the capture itself).
    pub fn row_spans(&self, start: u32, count: u32) -> Result<Vec<u64>> {
        match &self.state {
            State::Reading(analysis) => {
                if analysis.kept().is_some() {
                    return Ok(Vec::new());
                }
                Ok(spans(range_of(analysis.frames(), start, count)))
            }
            _ => {
                let report = self.report("row_spans")?;
                if report.retains_bytes() {
                    return Ok(Vec::new());
                }
                Ok(spans(self.shown_frames(report, start, count)))
            }
        }
    }

    /// Rows `start .. start + count` (0-based, clamped to the rows there are) of the list as
    /// filtered; while the capture is read, as far as it has been read. `spans` and `bytes`:
    /// the file's bytes that `row_spans` asked for.
    pub fn rows(
        &self,
        start: u32,
        count: u32,
        spans: &[u64],
        bytes: &[u8],
    ) -> Result<Vec<FrameRow>> {
        if let State::Reading(analysis) = &self.state {
            let mut source = Pieces::new(analysis.kept(), spans, bytes);
            let mut rows = Vec::new();
            for f in range_of(analysis.frames(), start, count) {
                let bytes = source.frame_bytes(&f).map_err(bytes_error)?;
                rows.extend(crate::row::so_far(analysis, f.number as usize - 1, bytes));
            }
            return Ok(rows);
        }
        let report = self.report("rows")?;
        let mut source = Pieces::new(report.kept(), spans, bytes);
        let mut previous = start
            .checked_sub(1)
            .and_then(|before| self.shown_frames(report, before, 1).next());
        let mut rows = Vec::new();
        for f in self.shown_frames(report, start, count) {
            let bytes = source.frame_bytes(&f).map_err(bytes_error)?;
            let mut row = crate::row::build(report, &f, bytes);
            if self.time_format != TimeFormat::Relative {
                row.time = crate::row::time_text(report, &f, previous.as_ref(), self.time_format);
            }
            previous = Some(f);
            rows.push(row);
        }
        Ok(rows)
    }

    /// [`Session::rows`] in columns.
    pub fn row_columns(
        &self,
        start: u32,
        count: u32,
        spans: &[u64],
        bytes: &[u8],
    ) -> Result<RowColumns> {
        Ok(RowColumns::of(&self.rows(start, count, spans, bytes)?))
    }

    /// How the Time column reads (see [`TimeFormat::parse`]).
    pub fn set_time_format(&mut self, format: &str, offset_minutes: i32) -> Result<()> {
        self.time_format =
            TimeFormat::parse(format, offset_minutes).ok_or_else(|| SessionError::Unknown {
                what: "time format",
                name: format.to_string(),
            })?;
        Ok(())
    }

    /// The byte ranges of the file that following TCP stream `stream` needs.
    pub fn follow_spans(&self, stream: u32) -> Result<Vec<u64>> {
        let report = self.report("follow_spans")?;
        if report.retains_bytes() {
            return Ok(Vec::new());
        }
        Ok(spans(
            follow::payload_frames(report, stream).map(|(_, frame)| frame),
        ))
    }

    /// TCP stream `stream`'s payload, both directions in order, in `format` ("ascii", "hex",
    /// "raw").
    pub fn follow(
        &self,
        stream: u32,
        format: &str,
        spans: &[u64],
        bytes: &[u8],
    ) -> Result<FollowView> {
        let report = self.report("follow")?;
        let format = FollowFormat::parse(format).ok_or_else(|| SessionError::Unknown {
            what: "follow format",
            name: format.to_string(),
        })?;
        let mut source = Pieces::new(report.kept(), spans, bytes);
        let followed = follow::follow(report, stream, &mut source)
            .map_err(bytes_error)?
            .ok_or(SessionError::NoStream(stream))?;
        Ok(FollowView {
            stream,
            chunks: followed.chunks(format),
            bytes: Directional {
                client_to_server: followed.client_to_server,
                server_to_client: followed.server_to_client,
            },
            left_out: followed.left_out,
            client: followed.client,
            server: followed.server,
        })
    }

    /// Shows only the frames of one TCP stream (None: every frame again); returns the number
    /// of rows the list now has.
    pub fn set_stream_filter(&mut self, stream: Option<u32>) -> Result<u32> {
        let report = self.report("set_stream_filter")?;
        let shown = stream.map(|s| report.stream_frame_indices(s));
        let count = shown.as_ref().map_or(report.frame_count(), Vec::len) as u32;
        self.shown = shown;
        Ok(count)
    }

    /// Applies a display filter (Wireshark's syntax; empty: every frame); see
    /// [`FilterAnswer`].
    pub fn set_display_filter(&mut self, text: &str) -> Result<FilterAnswer> {
        let report = match &self.state {
            State::Finished(report) => report,
            _ => return Err(SessionError::NotFinished("set_display_filter")),
        };
        let filter = match crate::filter::compile(text) {
            Ok(filter) => filter,
            Err(error) => return Ok(FilterAnswer::error(error)),
        };
        self.pending = None;
        if text.trim().is_empty() {
            self.shown = None;
            return Ok(FilterAnswer::count(report.frame_count()));
        }
        if !filter.needs_bytes() {
            let shown = filter::shown_by_records(report, &filter);
            let count = shown.len();
            self.shown = Some(shown);
            return Ok(FilterAnswer::count(count));
        }
        let mut pending = PendingFilter::new(filter);
        if let Some(mut kept) = report.kept() {
            // The capture is in memory (gzip): no need to read the file again.
            pending.feed(report, &mut kept);
            let shown = pending.into_shown();
            let count = shown.len();
            self.shown = Some(shown);
            return Ok(FilterAnswer::count(count));
        }
        self.pending = Some(pending);
        Ok(FilterAnswer::needs_bytes())
    }

    /// The next part of the file a display filter that reads bytes needs (`[start, end]`,
    /// whole frames, about `max_bytes` long), or `[]` when every frame has been read.
    pub fn filter_span(&self, max_bytes: u32) -> Result<Vec<u64>> {
        let report = self.report("filter_span")?;
        Ok(self
            .pending
            .as_ref()
            .and_then(|pending| pending.span(report, u64::from(max_bytes)))
            .map(Vec::from)
            .unwrap_or_default())
    }

    /// Filters the frames the bytes of `filter_span` hold; returns the frames read so far.
    pub fn filter_feed(&mut self, spans: &[u64], bytes: &[u8]) -> Result<u32> {
        let report = match &self.state {
            State::Finished(report) => report,
            _ => return Err(SessionError::NotFinished("filter_feed")),
        };
        let Some(pending) = self.pending.as_mut() else {
            return Err(SessionError::Bytes(
                "no display filter is being applied".into(),
            ));
        };
        let mut source = Pieces::new(report.kept(), spans, bytes);
        let before = pending.next();
        pending.feed(report, &mut source);
        if pending.next() == before && before < report.frame_count() {
            return Err(SessionError::Bytes(
                "the bytes given do not hold the next frame: read what filter_span asks".into(),
            ));
        }
        Ok(pending.next() as u32)
    }

    /// Ends a display filter that read bytes: the list shows what passed; returns its rows.
    pub fn filter_finish(&mut self) -> Result<u32> {
        let report = match &self.state {
            State::Finished(report) => report,
            _ => return Err(SessionError::NotFinished("filter_finish")),
        };
        let pending = self
            .pending
            .take()
            .ok_or_else(|| SessionError::Bytes("no display filter is being applied".into()))?;
        if !pending.done(report) {
            self.pending = Some(pending);
            return Err(SessionError::Bytes(
                "the display filter has not read every frame yet: ask filter_span".into(),
            ));
        }
        let shown = pending.into_shown();
        let count = shown.len() as u32;
        self.shown = Some(shown);
        Ok(count)
    }

    /// The byte ranges of the file that frame `number`'s detail needs.
    pub fn detail_spans(&self, number: u32) -> Result<Vec<u64>> {
        let (report, frame) = self.frame("detail_spans", number)?;
        if report.retains_bytes() {
            return Ok(Vec::new());
        }
        Ok(spans(detail::needed_frames(report, &frame).into_iter()))
    }

    /// Frame `number`'s packet detail tree (labels are packet-derived text). `verify`: verify
    /// the IP, TCP and UDP checksums.
    pub fn detail(
        &self,
        number: u32,
        verify: bool,
        spans: &[u64],
        bytes: &[u8],
    ) -> Result<Vec<Node>> {
        let (report, frame) = self.frame("detail", number)?;
        let previous = self
            .row_index(number)?
            .and_then(|row| row.checked_sub(1))
            .and_then(|row| self.shown_frames(report, row, 1).next());
        let mut source = Pieces::new(report.kept(), spans, bytes);
        detail::frame_detail(
            report,
            &frame,
            &mut source,
            previous.as_ref(),
            &DetailOptions {
                verify_checksums: verify,
            },
        )
        .map_err(bytes_error)
    }

    /// The TCP stream frame `number` belongs to (None for other frames).
    pub fn stream_of(&self, number: u32) -> Result<Option<u32>> {
        let report = self.report("stream_of")?;
        Ok(report
            .frame(number)
            .filter(|f| f.tcp() != crate::analysis::NONE)
            .and_then(|f| report.tcp.stream_of(f.tcp())))
    }

    /// Frame `number`'s captured bytes, from the bytes `detail_spans` asked for.
    pub fn frame_bytes(&self, number: u32, spans: &[u64], bytes: &[u8]) -> Result<Vec<u8>> {
        let (report, frame) = self.frame("frame_bytes", number)?;
        let mut source = Pieces::new(report.kept(), spans, bytes);
        source
            .frame_bytes(&frame)
            .map(<[u8]>::to_vec)
            .map_err(bytes_error)
    }

    /// Every TCP connection as the conversations table shows it.
    pub fn connection_table(&self) -> Result<ConnectionTable> {
        Ok(ConnectionTable::of(self.report("connection_table")?))
    }

    /// Every TCP connection as `analyze --json` lists them.
    pub fn connections(&self) -> Result<Vec<ConnectionView<'_>>> {
        Ok(explain::connection::views(self.report("connections")?).collect())
    }

    /// The position (0-based) of frame `number` in the list as filtered, if it is listed.
    pub fn row_index(&self, number: u32) -> Result<Option<u32>> {
        let report = self.report("row_index")?;
        // Frame `number` is frames[number - 1]; the filtered list holds such indices, in order.
        let Some(index) = report.frame(number).map(|f| f.number - 1) else {
            return Ok(None);
        };
        Ok(match &self.shown {
            None => Some(index),
            Some(indices) => indices.binary_search(&index).ok().map(|i| i as u32),
        })
    }

    /// The ladder of TCP stream `stream`: `proportional`, its time axis proportional to time
    /// instead of one row per segment; `expand`, every data segment drawn.
    pub fn ladder(&self, stream: u32, proportional: bool, expand: bool) -> Result<Ladder> {
        let options = LadderOptions {
            time_axis: if proportional {
                TimeAxis::Proportional
            } else {
                TimeAxis::Folded
            },
            expand_data: expand,
            ..LadderOptions::default()
        };
        Ladder::build_with(self.report("ladder")?, stream, options)
            .ok_or(SessionError::NoStream(stream))
    }

    /// What one segment of stream `stream` is (None when the frame is not in that stream).
    /// Every segment has one, including those a folded data band hides.
    pub fn explain(&self, stream: u32, frame: u32, lang: Lang) -> Result<Option<Explanation>> {
        let ladder = self.ladder(stream, false, true)?;
        Ok(ladder.arrow(frame).map(|arrow| Explanation {
            frame,
            summary: words::arrow_summary(arrow, lang),
            lines: words::explain_arrow(&ladder, arrow, lang),
        }))
    }

    fn shown_count(&self, report: &Report) -> u32 {
        self.shown.as_ref().map_or(report.frame_count(), Vec::len) as u32
    }

    /// The frames of list rows `start .. start + count`, clamped to the rows there are.
    fn shown_frames<'a>(
        &'a self,
        report: &'a Report,
        start: u32,
        count: u32,
    ) -> Box<dyn Iterator<Item = Frame> + 'a> {
        let len = self.shown_count(report) as usize;
        let start = (start as usize).min(len);
        let end = start.saturating_add(count as usize).min(len);
        match &self.shown {
            None => Box::new((start..end).filter_map(|i| frame_at(&report.frames, i))),
            Some(indices) => Box::new(
                indices[start..end]
                    .iter()
                    .filter_map(|&i| frame_at(&report.frames, i as usize)),
            ),
        }
    }
}

/// The reading half of an analysis, for a Worker of its own: it reads the file's chunks and
/// decodes their frames' headers, and gives each chunk's frames as a batch of bytes (see
/// [`crate::analysis::batch`]) for a [`Session`] in another Worker to keep
/// ([`Session::push_batch`]).
pub struct BatchReader {
    reading: crate::analysis::Reading,
    /// The batch being made, its room used again for the next.
    batch: Vec<u8>,
}

impl Default for BatchReader {
    fn default() -> Self {
        Self::new()
    }
}

impl BatchReader {
    /// A reader of a capture that is not gzip-compressed: a gzip capture's decompressed bytes
    /// would stay here, where the Session that lists its frames cannot read them.
    pub fn new() -> BatchReader {
        let (reading, _) = Analysis::new().into_halves();
        BatchReader {
            reading,
            batch: Vec::new(),
        }
    }

    /// Reads the next chunk of the file; returns the batch of its frames (the frames of
    /// records that end in a later chunk go with that chunk's batch).
    pub fn push(&mut self, chunk: &[u8]) -> &[u8] {
        let BatchReader { reading, batch } = self;
        batch.clear();
        reading.read(chunk, |frame, payload| {
            crate::analysis::batch::put(batch, &frame, payload)
        });
        batch
    }

    /// The last batch [`BatchReader::push`] gave.
    pub fn batch(&self) -> &[u8] {
        &self.batch
    }

    /// Whether reading has stopped (not a capture, damaged, or a limit reached).
    pub fn stopped(&self) -> bool {
        self.reading.reader().is_stopped()
    }

    /// Ends the input: how reading ended, for [`Session::finish_batches`].
    pub fn finish(self) -> CaptureEnd {
        self.reading.finish()
    }
}

/// Frames `start .. start + count` of `frames`, clamped to those there are.
fn range_of(frames: &[FrameRecord], start: u32, count: u32) -> impl Iterator<Item = Frame> + '_ {
    let start = (start as usize).min(frames.len());
    let end = start.saturating_add(count as usize).min(frames.len());
    (start..end).filter_map(|i| frame_at(frames, i))
}
