//! The browser API: thin `wasm-bindgen` wrappers over [`crate::analysis`].
//!
//! Promise: nothing here computes what the core already knows; it only reshapes the core's
//! results into JSON-compatible objects. Every serialisation error becomes a JS exception.
//! Rows are handed out by range so the page can scroll a capture of a million frames while
//! only the visible rows ever cross into JS.

use crate::analysis::{Analysis, FrameRow, Report};
use crate::explain::{self, Lang};
use crate::ladder::{self, Ladder, LadderOptions, TimeAxis};
use serde::Serialize;
use wasm_bindgen::prelude::*;

enum State {
    Reading(Box<Analysis>),
    Finished(Report),
    /// Only while `finish` moves the analysis into a report.
    Moving,
}

/// One capture being read: `push` its chunks in order, then `finish`, then ask for `rows`.
#[wasm_bindgen]
pub struct Session {
    state: State,
    /// With a stream filter: the indices of the frames shown, in order (computed once).
    shown: Option<Vec<u32>>,
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

#[wasm_bindgen]
impl Session {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Session {
        Session {
            state: State::Reading(Box::default()),
            shown: None,
        }
    }

    /// Feeds the next chunk of the file; returns the number of frames read so far.
    pub fn push(&mut self, chunk: &[u8]) -> Result<u32, JsError> {
        match &mut self.state {
            State::Reading(analysis) => {
                analysis.push(chunk);
                Ok(analysis.frames().len() as u32)
            }
            _ => Err(JsError::new(
                "Session.push after finish: start a new Session for a new file",
            )),
        }
    }

    /// Ends the input; returns the [`Summary`] as a plain object.
    pub fn finish(&mut self) -> Result<JsValue, JsError> {
        let analysis = match std::mem::replace(&mut self.state, State::Moving) {
            State::Reading(analysis) => analysis,
            other => {
                self.state = other;
                return Err(JsError::new("Session.finish called twice"));
            }
        };
        let report = analysis.finish();
        let summary = report.summary();
        self.state = State::Finished(report);
        to_js(&summary)
    }

    /// Whether reading has stopped (not a capture, damaged, or a limit reached): the rest of
    /// the file need not be read.
    #[wasm_bindgen(getter)]
    pub fn stopped(&self) -> bool {
        match &self.state {
            State::Reading(analysis) => analysis.reader().is_stopped(),
            _ => true,
        }
    }

    /// Number of frames in the finished report (0 before `finish`).
    #[wasm_bindgen(getter)]
    pub fn frames(&self) -> u32 {
        match &self.state {
            State::Finished(report) => report.frames.len() as u32,
            _ => 0,
        }
    }

    /// Rows `start .. start + count` (0-based, clamped to the rows there are) of the list as
    /// filtered (see `set_stream_filter`), as an array of
    /// `{number, time, source, destination, protocol, length, info, color}`.
    pub fn rows(&self, start: u32, count: u32) -> Result<JsValue, JsError> {
        let report = self.report("rows")?;
        let len = self.shown_count(report) as usize;
        let start = (start as usize).min(len);
        let end = start.saturating_add(count as usize).min(len);
        let rows: Vec<FrameRow> = match &self.shown {
            None => report.frames[start..end]
                .iter()
                .map(|f| report.row(f))
                .collect(),
            Some(indices) => indices[start..end]
                .iter()
                .filter_map(|&i| report.frames.get(i as usize))
                .map(|f| report.row(f))
                .collect(),
        };
        to_js(&rows)
    }

    /// Shows only the frames of one TCP stream (`undefined`: every frame again); returns the
    /// number of rows the list now has.
    pub fn set_stream_filter(&mut self, stream: Option<u32>) -> Result<u32, JsError> {
        let report = self.report("set_stream_filter")?;
        let shown = stream.map(|s| report.stream_frame_indices(s));
        let count = shown.as_ref().map_or(report.frames.len(), Vec::len) as u32;
        self.shown = shown;
        Ok(count)
    }

    /// Every TCP connection, as `analyze --json` lists them, with `http` exchanges and the
    /// handshake and close in words (`handshake_text`, `close_text`).
    pub fn connections(&self) -> Result<JsValue, JsError> {
        to_js(&self.report("connections")?.connection_views())
    }

    /// The position (0-based) of frame `number` in the list as filtered, if it is listed.
    pub fn row_index(&self, number: u32) -> Result<Option<u32>, JsError> {
        let report = self.report("row_index")?;
        Ok(match &self.shown {
            None => report
                .frames
                .binary_search_by_key(&number, |f| f.number)
                .ok()
                .map(|i| i as u32),
            Some(indices) => indices
                .binary_search_by_key(&number, |&i| {
                    report.frames.get(i as usize).map_or(0, |f| f.number)
                })
                .ok()
                .map(|i| i as u32),
        })
    }

    /// The ladder diagram of TCP stream `stream` as a self-contained SVG document (every
    /// packet-derived string escaped by the renderer). `lang`: "en" or "zh"; `proportional`:
    /// time axis proportional to time instead of one row per segment; `expand`: draw every
    /// data segment instead of folding a long data phase into a band.
    pub fn ladder_svg(
        &self,
        stream: u32,
        lang: &str,
        proportional: bool,
        expand: bool,
    ) -> Result<String, JsError> {
        let ladder = self.ladder(stream, proportional, expand)?;
        Ok(ladder::svg::render(&ladder, parse_lang(lang)?))
    }

    /// The ladder as Mermaid `sequenceDiagram` text.
    pub fn ladder_mermaid(&self, stream: u32, lang: &str) -> Result<String, JsError> {
        let ladder = self.ladder(stream, false, false)?;
        Ok(ladder::mermaid::render(&ladder, parse_lang(lang)?))
    }

    /// The ladder as plain text.
    pub fn ladder_text(&self, stream: u32, lang: &str) -> Result<String, JsError> {
        let ladder = self.ladder(stream, false, false)?;
        Ok(ladder::text::render(&ladder, parse_lang(lang)?))
    }

    /// What one segment of stream `stream` is, as `{frame, summary, lines}` (plain text, not
    /// escaped); `undefined` when the frame is not in that stream. Every segment has one,
    /// including those a folded data band hides.
    pub fn explain(&self, stream: u32, frame: u32, lang: &str) -> Result<JsValue, JsError> {
        let lang = parse_lang(lang)?;
        let ladder = self.ladder(stream, false, true)?;
        match ladder.arrow(frame) {
            None => Ok(JsValue::UNDEFINED),
            Some(arrow) => to_js(&Explanation {
                frame,
                summary: explain::arrow_summary(arrow, lang),
                lines: explain::explain_arrow(&ladder, arrow, lang),
            }),
        }
    }
}

#[derive(Serialize)]
struct Explanation {
    frame: u32,
    summary: String,
    lines: Vec<String>,
}

fn parse_lang(text: &str) -> Result<Lang, JsError> {
    Lang::parse(text)
        .ok_or_else(|| JsError::new(&format!("unknown language {text:?}: use \"en\" or \"zh\"")))
}

impl Session {
    fn report(&self, what: &str) -> Result<&Report, JsError> {
        match &self.state {
            State::Finished(report) => Ok(report),
            _ => Err(JsError::new(&format!("Session.{what} before finish"))),
        }
    }

    fn ladder(&self, stream: u32, proportional: bool, expand: bool) -> Result<Ladder, JsError> {
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
            .ok_or_else(|| JsError::new(&format!("there is no TCP stream {stream}")))
    }

    fn shown_count(&self, report: &Report) -> u32 {
        self.shown.as_ref().map_or(report.frames.len(), Vec::len) as u32
    }
}

/// Wireshark's default colouring rules we apply, in order, for the page's legend:
/// `[{id, name, filter, meaning, background, foreground}]`.
#[wasm_bindgen]
pub fn color_rules() -> Result<JsValue, JsError> {
    to_js(&crate::colors::legend())
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("could not hand the result to JavaScript: {e}")))
}
