//! The browser API: thin `wasm-bindgen` wrappers over [`crate::analysis`].
//!
//! Promise: nothing here computes what the core already knows; it only reshapes the core's
//! results into JSON-compatible objects. Every serialisation error becomes a JS exception.
//! Rows are handed out by range so the page can scroll a capture of a million frames while
//! only the visible rows ever cross into JS.

use crate::analysis::{Analysis, FrameRow, Report};
use crate::capture::{format_seconds, CaptureProblem, ProblemKind, Timestamp};
use crate::decode;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// What the page shows above the frame list once a capture has been read.
#[derive(Serialize)]
pub struct Summary {
    /// "pcap (little-endian, µs)", "pcapng, gzip"; None when the file is not a capture.
    pub format: Option<String>,
    pub gzip: bool,
    pub link_types: Vec<LinkType>,
    pub frames: u32,
    /// Bytes of capture read (decompressed, for gzip).
    pub bytes: u64,
    /// Epoch seconds, as text at the capture's precision (exact) and as a number (for dates).
    pub first_time: Option<String>,
    pub last_time: Option<String>,
    pub first_epoch: Option<f64>,
    pub last_epoch: Option<f64>,
    /// Seconds from the first to the last frame, at the capture's precision.
    pub time_span: Option<String>,
    pub problems: Vec<Problem>,
}

#[derive(Serialize)]
pub struct LinkType {
    pub code: u32,
    pub name: &'static str,
}

#[derive(Serialize)]
pub struct Problem {
    pub kind: ProblemKind,
    /// u64 offsets above 2^53 cannot be JS numbers; files that large are not read in a page.
    pub offset: f64,
    pub frame: Option<u32>,
    pub message: String,
    /// Whether reading stopped here (false: something was skipped and reading went on).
    pub fatal: bool,
}

impl From<&CaptureProblem> for Problem {
    fn from(p: &CaptureProblem) -> Self {
        Problem {
            kind: p.kind,
            offset: p.offset as f64,
            frame: p.frame,
            message: p.message.clone(),
            fatal: p.kind != ProblemKind::Skipped,
        }
    }
}

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
            state: State::Reading(Box::new(Analysis::new())),
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
        let summary = summary(&report);
        self.state = State::Finished(report);
        to_js(&summary)
    }

    /// Number of frames in the finished report (0 before `finish`).
    #[wasm_bindgen(getter)]
    pub fn frames(&self) -> u32 {
        match &self.state {
            State::Finished(report) => report.frames.len() as u32,
            _ => 0,
        }
    }

    /// Rows `start .. start + count` (0-based, clamped to the frames there are) as an array of
    /// `{number, time, source, destination, protocol, length, info}`.
    pub fn rows(&self, start: u32, count: u32) -> Result<JsValue, JsError> {
        let State::Finished(report) = &self.state else {
            return Err(JsError::new("Session.rows before finish"));
        };
        let len = report.frames.len();
        let start = (start as usize).min(len);
        let end = start.saturating_add(count as usize).min(len);
        let rows: Vec<FrameRow> = report.frames[start..end]
            .iter()
            .map(|f| report.row(f))
            .collect();
        to_js(&rows)
    }
}

fn summary(report: &Report) -> Summary {
    let end = &report.capture;
    let digits = report.time_digits;
    // Records without a time (pcapng simple packets, custom blocks) do not bound the span.
    let first = report.frames.iter().find(|f| f.has_ts).map(|f| f.ts);
    let last = report.frames.iter().rev().find(|f| f.has_ts).map(|f| f.ts);
    let epoch = |t: Option<Timestamp>| t.map(|t| t.format_epoch(digits));
    Summary {
        format: end.info.as_ref().map(|i| i.describe()),
        gzip: end.info.as_ref().is_some_and(|i| i.gzip),
        link_types: end
            .info
            .as_ref()
            .map(|i| {
                i.link_types()
                    .into_iter()
                    .map(|code| LinkType {
                        code,
                        name: decode::link_type_name(code),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        frames: end.frames,
        bytes: end.bytes,
        first_time: epoch(first),
        last_time: epoch(last),
        first_epoch: first.map(Timestamp::as_f64),
        last_epoch: last.map(Timestamp::as_f64),
        time_span: first
            .zip(last)
            .map(|(a, b)| format_seconds(b.nanos_since(a), digits)),
        problems: end.problems.iter().map(Problem::from).collect(),
    }
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("could not hand the result to JavaScript: {e}")))
}
