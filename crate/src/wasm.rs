//! The browser API: thin `wasm-bindgen` wrappers over [`crate::analysis`].
//!
//! Promise: nothing here computes what the core already knows; it only reshapes the core's
//! results into JSON-compatible objects. Every serialisation error becomes a JS exception.
//! Rows are handed out by range so the page can scroll a capture of a million frames while
//! only the visible rows ever cross into JS.

use crate::analysis::{Analysis, FrameRow, Report};
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
        let summary = report.summary();
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

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("could not hand the result to JavaScript: {e}")))
}
