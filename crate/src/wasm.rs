//! The browser API: thin `wasm-bindgen` wrappers over [`crate::analysis`].
//!
//! Promise: nothing here computes what the core already knows; it only reshapes the core's
//! results into JSON-compatible objects. Every serialisation error becomes a JS exception.
//! Rows are handed out by range so the page can scroll a capture of a million frames while
//! only the visible rows ever cross into JS.
//!
//! The core keeps a compact record per frame, not the frame's bytes: what needs them (rows,
//! and later a frame's detail) is asked in two steps. `*_spans` says which byte ranges of the
//! file to read (`[start, end, start, end, ...]`, file offsets, in file order; empty when the
//! core kept the bytes itself, as it does for gzip captures); the page reads them from its
//! File and hands them back, concatenated in that order, with the same spans.

use crate::analysis::{
    frame_at, Analysis, Frame, FrameRecord, FrameSource, Reading, Report, Window,
};
use crate::capture::{CaptureEnd, Retain};
use crate::detail::{self, DetailOptions};
use crate::explain::{self, Lang};
use crate::filter;
use crate::follow::{self, FollowFormat};
use crate::ladder::{self, words, Ladder, LadderOptions, TimeAxis};
use crate::row::{FrameRow, TimeFormat};
use crate::tcp::{self, CloseKind, HandshakeKind, Side};
use serde::Serialize;
use wasm_bindgen::prelude::*;

enum State {
    Reading(Box<Analysis>),
    Finished(Box<Report>),
    /// Only while `finish` moves the analysis into a report.
    Moving,
}

/// One capture being read: `push` its chunks in order, then `finish`, then ask for `rows`.
#[wasm_bindgen]
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

#[wasm_bindgen]
impl Session {
    #[wasm_bindgen(constructor)]
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
    pub fn expect_bytes(&mut self, total: f64) {
        if let State::Reading(analysis) = &mut self.state {
            analysis.expect_bytes(total as u64);
        }
    }

    /// Feeds the next chunk of the file; returns the number of frames read so far.
    pub fn push(&mut self, chunk: &[u8]) -> Result<u32, JsError> {
        match &mut self.state {
            State::Reading(analysis) => {
                analysis.push(chunk);
                Ok(analysis.frame_count() as u32)
            }
            _ => Err(JsError::new(
                "Session.push after finish: start a new Session for a new file",
            )),
        }
    }

    /// Ends the input; returns the capture's summary as a plain object (see
    /// [`explain::capture::Summary`]), with `zh`: its texts in 简体中文.
    pub fn finish(&mut self) -> Result<JsValue, JsError> {
        self.finish_by(|analysis| analysis.finish())
    }

    /// Keeps the frames of a batch made by a [`Reader`] (in another Worker) from the next
    /// chunk of the file, instead of reading the chunk here; returns the number of frames
    /// kept so far. End with [`Session::finish_batches`].
    pub fn push_batch(&mut self, batch: &[u8]) -> Result<u32, JsError> {
        match &mut self.state {
            State::Reading(analysis) => {
                analysis
                    .keep_batch(batch)
                    .map_err(|e| JsError::new(&e.to_string()))?;
                Ok(analysis.frame_count() as u32)
            }
            _ => Err(JsError::new(
                "Session.push_batch after finish: start a new Session for a new file",
            )),
        }
    }

    /// Ends the input of batches; `end` is what [`Reader::finish`] returned. Returns the
    /// capture's summary as [`Session::finish`] does.
    pub fn finish_batches(&mut self, end: JsValue) -> Result<JsValue, JsError> {
        let end: CaptureEnd = serde_wasm_bindgen::from_value(end)
            .map_err(|e| JsError::new(&format!("how reading ended is not readable: {e}")))?;
        self.finish_by(|analysis| analysis.finish_with(end))
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

    /// What the finished report keeps in memory: `{parts: [[name, bytes], ...]}` (see
    /// [`crate::kept`]); null before `finish`.
    pub fn memory(&self) -> Result<JsValue, JsError> {
        match &self.state {
            State::Finished(report) => to_js(&report.memory()),
            _ => Ok(JsValue::NULL),
        }
    }

    /// The byte ranges of the file that rows `start .. start + count` need (see the module
    /// docs); hand them to `rows` with their bytes.
    pub fn row_spans(&self, start: u32, count: u32) -> Result<Vec<f64>, JsError> {
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
    /// filtered (see `set_stream_filter`), as columns rather than an object per row (a few
    /// calls into JavaScript for any number of rows, and buffers the worker hands on without
    /// copying): `{length, number: Uint32Array, frame_length: Uint32Array, text: string,
    /// ends: Uint32Array}`, where row `i`'s time, source, destination, protocol, info and colour
    /// are the pieces of `text` ending at `ends[6 i] .. ends[6 i + 5]` (UTF-16 offsets, each
    /// piece starting where the one before ends). `spans` and `bytes`: the file's bytes that
    /// `row_spans` asked for.
    pub fn rows(
        &self,
        start: u32,
        count: u32,
        spans: &[f64],
        bytes: &[u8],
    ) -> Result<JsValue, JsError> {
        let rows = self.row_list(start, count, spans, bytes)?;
        row_table(&rows)
    }

    fn row_list(
        &self,
        start: u32,
        count: u32,
        spans: &[f64],
        bytes: &[u8],
    ) -> Result<Vec<FrameRow>, JsError> {
        if let State::Reading(analysis) = &self.state {
            // While the capture is read: the rows as far as it has been read.
            let mut source = Pieces::new(analysis.kept(), spans, bytes);
            let mut rows = Vec::new();
            for f in range_of(analysis.frames(), start, count) {
                let bytes = source
                    .frame_bytes(&f)
                    .map_err(|e| JsError::new(&e.to_string()))?;
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
            let bytes = source
                .frame_bytes(&f)
                .map_err(|e| JsError::new(&e.to_string()))?;
            let mut row: FrameRow = crate::row::build(report, &f, bytes);
            if self.time_format != TimeFormat::Relative {
                row.time = crate::row::time_text(report, &f, previous.as_ref(), self.time_format);
            }
            previous = Some(f);
            rows.push(row);
        }
        Ok(rows)
    }

    /// How the Time column reads: "relative" (seconds since the first frame), "delta" (since
    /// the previous frame listed), "delta_captured" (since the previous frame captured),
    /// "absolute" (date and time of day, `offset_minutes` east of UTC: the viewer's zone),
    /// "utc", "epoch".
    pub fn set_time_format(&mut self, format: &str, offset_minutes: i32) -> Result<(), JsError> {
        self.time_format = TimeFormat::parse(format, offset_minutes)
            .ok_or_else(|| JsError::new(&format!("unknown time format {format:?}")))?;
        Ok(())
    }

    /// The byte ranges of the file that following TCP stream `stream` needs (its segments
    /// that carry payload); hand them to `follow` with their bytes.
    pub fn follow_spans(&self, stream: u32) -> Result<Vec<f64>, JsError> {
        let report = self.report("follow_spans")?;
        if report.retains_bytes() {
            return Ok(Vec::new());
        }
        Ok(spans(
            follow::payload_frames(report, stream).map(|(_, frame)| frame),
        ))
    }

    /// TCP stream `stream`'s payload, both directions in order, as
    /// `{stream, client, server, chunks: [{from_client, frame, text}], bytes:
    /// {client_to_server, server_to_client}, left_out}`; `format`: "ascii", "hex" or "raw".
    pub fn follow(
        &self,
        stream: u32,
        format: &str,
        spans: &[f64],
        bytes: &[u8],
    ) -> Result<JsValue, JsError> {
        let report = self.report("follow")?;
        let format = FollowFormat::parse(format)
            .ok_or_else(|| JsError::new(&format!("unknown follow format {format:?}")))?;
        let mut source = Pieces::new(report.kept(), spans, bytes);
        let followed = follow::follow(report, stream, &mut source)
            .map_err(|e| JsError::new(&e.to_string()))?
            .ok_or_else(|| JsError::new(&format!("there is no TCP stream {stream}")))?;
        to_js(&FollowView {
            stream,
            client: &followed.client,
            server: &followed.server,
            chunks: followed.chunks(format),
            bytes: crate::tcp::summary::Directional {
                client_to_server: followed.client_to_server,
                server_to_client: followed.server_to_client,
            },
            left_out: followed.left_out,
        })
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

    /// Applies a display filter (Wireshark's syntax; empty: every frame). Returns
    /// `{error: {message, start, end}}` when it does not compile (the list is unchanged), or
    /// `{needs_bytes, count}`: with `needs_bytes` false the list is filtered and `count` is
    /// its rows; with `needs_bytes` true (the filter reads fields the records do not hold)
    /// nothing changed yet: read the file as `filter_span` asks, hand it to `filter_feed`,
    /// then `filter_finish`.
    pub fn set_display_filter(&mut self, text: &str) -> Result<JsValue, JsError> {
        let report = match &self.state {
            State::Finished(report) => report,
            _ => return Err(JsError::new("Session.set_display_filter before finish")),
        };
        let filter = match filter::compile(text) {
            Ok(filter) => filter,
            Err(error) => return to_js(&FilterAnswer::error(error)),
        };
        self.pending = None;
        if text.trim().is_empty() {
            self.shown = None;
            return to_js(&FilterAnswer::count(report.frames.len()));
        }
        if !filter.needs_bytes() {
            let shown: Vec<u32> = report
                .numbered()
                .filter(|f| filter::matches_indexed(report, f, &filter))
                .map(|f| f.number - 1)
                .collect();
            let count = shown.len();
            self.shown = Some(shown);
            return to_js(&FilterAnswer::count(count));
        }
        let mut pending = PendingFilter {
            filter,
            next: 0,
            shown: Vec::new(),
        };
        if let Some(mut kept) = report.kept() {
            // The capture is in memory (gzip): no need to read the file again.
            pending.feed(report, &mut kept);
            let count = pending.shown.len();
            self.shown = Some(pending.shown);
            return to_js(&FilterAnswer::count(count));
        }
        self.pending = Some(pending);
        to_js(&FilterAnswer {
            error: None,
            needs_bytes: true,
            count: None,
        })
    }

    /// The next part of the file a display filter that reads bytes needs (`[start, end]`,
    /// whole frames, about `max_bytes` long), or `[]` when every frame has been read.
    pub fn filter_span(&self, max_bytes: u32) -> Result<Vec<f64>, JsError> {
        let report = self.report("filter_span")?;
        let Some(pending) = &self.pending else {
            return Ok(Vec::new());
        };
        let Some(first) = report.frames.get(pending.next) else {
            return Ok(Vec::new());
        };
        let limit = first.offset().saturating_add(u64::from(max_bytes));
        let mut end = first.end();
        for (i, f) in report.frames.iter().enumerate().skip(pending.next) {
            let f_end = f.end();
            if f_end > limit && i != pending.next {
                break;
            }
            end = end.max(f_end);
        }
        Ok(vec![first.offset() as f64, end as f64])
    }

    /// Filters the frames the bytes of `filter_span` hold; returns the frames read so far.
    pub fn filter_feed(&mut self, spans: &[f64], bytes: &[u8]) -> Result<u32, JsError> {
        let report = match &self.state {
            State::Finished(report) => report,
            _ => return Err(JsError::new("Session.filter_feed before finish")),
        };
        let Some(pending) = self.pending.as_mut() else {
            return Err(JsError::new("no display filter is being applied"));
        };
        let mut source = Pieces::new(report.kept(), spans, bytes);
        let before = pending.next;
        pending.feed(report, &mut source);
        if pending.next == before && before < report.frames.len() {
            return Err(JsError::new(
                "the bytes given do not hold the next frame: read what filter_span asks",
            ));
        }
        Ok(pending.next as u32)
    }

    /// Ends a display filter that read bytes: the list shows what passed; returns its rows.
    pub fn filter_finish(&mut self) -> Result<u32, JsError> {
        let total = self.report("filter_finish")?.frames.len();
        let pending = self
            .pending
            .take()
            .ok_or_else(|| JsError::new("no display filter is being applied"))?;
        if pending.next < total {
            return Err(JsError::new(
                "the display filter has not read every frame yet: ask filter_span",
            ));
        }
        let count = pending.shown.len() as u32;
        self.shown = Some(pending.shown);
        Ok(count)
    }

    /// The byte ranges of the file that frame `number`'s detail needs; hand them to
    /// `detail` with their bytes.
    pub fn detail_spans(&self, number: u32) -> Result<Vec<f64>, JsError> {
        let report = self.report("detail_spans")?;
        let frame = report
            .frame(number)
            .ok_or_else(|| JsError::new(&format!("there is no frame {number}")))?;
        if report.retains_bytes() {
            return Ok(Vec::new());
        }
        Ok(spans(detail::needed_frames(report, &frame).into_iter()))
    }

    /// Frame `number`'s packet detail tree: `[{label, field?, span?: [offset, length],
    /// generated, expert?: {severity, group}, children?}]` (labels are packet-derived text:
    /// insert them as text). `verify`: verify the IP, TCP and UDP checksums.
    pub fn detail(
        &self,
        number: u32,
        verify: bool,
        spans: &[f64],
        bytes: &[u8],
    ) -> Result<JsValue, JsError> {
        let report = self.report("detail")?;
        let frame = report
            .frame(number)
            .ok_or_else(|| JsError::new(&format!("there is no frame {number}")))?;
        let previous = self
            .row_index(number)?
            .and_then(|row| row.checked_sub(1))
            .and_then(|row| self.shown_frames(report, row, 1).next());
        let mut source = Pieces::new(report.kept(), spans, bytes);
        let tree = detail::frame_detail(
            report,
            &frame,
            &mut source,
            previous.as_ref(),
            &DetailOptions {
                verify_checksums: verify,
            },
        )
        .map_err(|e| JsError::new(&e.to_string()))?;
        to_js(&tree)
    }

    /// The TCP stream frame `number` belongs to (`undefined` for other frames).
    pub fn stream_of(&self, number: u32) -> Result<Option<u32>, JsError> {
        let report = self.report("stream_of")?;
        Ok(report
            .frame(number)
            .filter(|f| f.tcp() != crate::analysis::NONE)
            .and_then(|f| report.tcp.stream_of(f.tcp())))
    }

    /// Frame `number`'s captured bytes, from the bytes `detail_spans` asked for.
    pub fn frame_bytes(
        &self,
        number: u32,
        spans: &[f64],
        bytes: &[u8],
    ) -> Result<Vec<u8>, JsError> {
        let report = self.report("frame_bytes")?;
        let frame = report
            .frame(number)
            .ok_or_else(|| JsError::new(&format!("there is no frame {number}")))?;
        let mut source = Pieces::new(report.kept(), spans, bytes);
        source
            .frame_bytes(&frame)
            .map(<[u8]>::to_vec)
            .map_err(|e| JsError::new(&e.to_string()))
    }

    /// Every TCP connection as the conversations table shows it, in columns (a capture can
    /// hold a hundred thousand connections: objects per connection cost seconds to hand over):
    /// `{length, stream, packets_out, packets_in, bytes_out, bytes_in, duration,
    /// roles_guessed, client, server, texts, handshake_text, close_text, conn_state, history,
    /// handshake_start, handshake_frames, close_start, close_frames}`. Numbers are typed arrays
    /// (connection `i` at index `i`, "out" meaning client to server); `client` and `server`
    /// are every connection's endpoint joined by line feeds; the four `*_text`/`conn_state`/
    /// `history` columns are indices into `texts` (English) and `texts_zh` (简体中文); connection `i`'s handshake frames are
    /// `handshake_frames[handshake_start[i] .. handshake_start[i + 1]]`, likewise its close.
    pub fn connection_table(&self) -> Result<JsValue, JsError> {
        let report = self.report("connection_table")?;
        let n = report.tcp.connection_count();
        let mut texts = TableTexts::default();
        let mut endpoints = crate::tcp::EndpointWriter::new(&report.tcp);
        let mut columns = TableColumns::with_capacity(n);
        for c in report.connections() {
            let c = &c;
            columns.stream.push(c.stream);
            columns.packets_out.push(c.packets.client_to_server as f64);
            columns.packets_in.push(c.packets.server_to_client as f64);
            columns.bytes_out.push(c.bytes.client_to_server as f64);
            columns.bytes_in.push(c.bytes.server_to_client as f64);
            columns.duration.push(c.duration);
            columns.roles_guessed.push(u8::from(c.roles_guessed));
            let [client, server] = report.tcp.endpoint_places(c.stream).unwrap_or_default();
            endpoints.write(&mut columns.client, client);
            columns.client.push('\n');
            endpoints.write(&mut columns.server, server);
            columns.server.push('\n');
            columns.handshake_text.push(texts.handshake(&c.handshake));
            columns.close_text.push(texts.close(&c.close));
            let state = c.conn_state.as_str();
            columns
                .conn_state
                .push(texts.id(state, || state.to_string()));
            columns
                .history
                .push(texts.id(&c.history, || c.history.clone()));
            columns
                .handshake_frames
                .extend_from_slice(&c.handshake.frames);
            columns
                .handshake_start
                .push(columns.handshake_frames.len() as u32);
            columns.close_frames.extend_from_slice(&c.close.frames);
            columns.close_start.push(columns.close_frames.len() as u32);
        }
        columns.client.pop();
        columns.server.pop();
        js_object(
            [
                ("length", JsValue::from(n as u32)),
                (
                    "stream",
                    js_sys::Uint32Array::from(&columns.stream[..]).into(),
                ),
                (
                    "packets_out",
                    js_sys::Float64Array::from(&columns.packets_out[..]).into(),
                ),
                (
                    "packets_in",
                    js_sys::Float64Array::from(&columns.packets_in[..]).into(),
                ),
                (
                    "bytes_out",
                    js_sys::Float64Array::from(&columns.bytes_out[..]).into(),
                ),
                (
                    "bytes_in",
                    js_sys::Float64Array::from(&columns.bytes_in[..]).into(),
                ),
                (
                    "duration",
                    js_sys::Float64Array::from(&columns.duration[..]).into(),
                ),
                (
                    "roles_guessed",
                    js_sys::Uint8Array::from(&columns.roles_guessed[..]).into(),
                ),
                ("client", JsValue::from_str(&columns.client)),
                ("server", JsValue::from_str(&columns.server)),
                ("texts", to_js(&texts.en)?),
                ("texts_zh", to_js(&texts.zh)?),
                (
                    "handshake_text",
                    js_sys::Uint32Array::from(&columns.handshake_text[..]).into(),
                ),
                (
                    "close_text",
                    js_sys::Uint32Array::from(&columns.close_text[..]).into(),
                ),
                (
                    "conn_state",
                    js_sys::Uint32Array::from(&columns.conn_state[..]).into(),
                ),
                (
                    "history",
                    js_sys::Uint32Array::from(&columns.history[..]).into(),
                ),
                (
                    "handshake_start",
                    js_sys::Uint32Array::from(&columns.handshake_start[..]).into(),
                ),
                (
                    "handshake_frames",
                    js_sys::Uint32Array::from(&columns.handshake_frames[..]).into(),
                ),
                (
                    "close_start",
                    js_sys::Uint32Array::from(&columns.close_start[..]).into(),
                ),
                (
                    "close_frames",
                    js_sys::Uint32Array::from(&columns.close_frames[..]).into(),
                ),
            ],
            "the connection table",
        )
    }

    /// Every TCP connection, as `analyze --json` lists them, with `http` exchanges and the
    /// handshake and close in words (`handshake_text`, `close_text`).
    pub fn connections(&self) -> Result<JsValue, JsError> {
        let report = self.report("connections")?;
        to_js(&crate::explain::connection::views(report).collect::<Vec<_>>())
    }

    /// The position (0-based) of frame `number` in the list as filtered, if it is listed.
    pub fn row_index(&self, number: u32) -> Result<Option<u32>, JsError> {
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
                summary: words::arrow_summary(arrow, lang),
                lines: words::explain_arrow(&ladder, arrow, lang),
            }),
        }
    }
}

/// Rows as the columns `Session::rows` describes.
fn row_table(rows: &[FrameRow]) -> Result<JsValue, JsError> {
    let mut number = Vec::with_capacity(rows.len());
    let mut frame_length = Vec::with_capacity(rows.len());
    let mut ends = Vec::with_capacity(rows.len() * 6);
    let mut text = String::new();
    let mut at = 0u32;
    for row in rows {
        number.push(row.number);
        frame_length.push(row.length);
        for piece in [
            row.time.as_str(),
            &row.source,
            &row.destination,
            &row.protocol,
            &row.info,
            row.color,
        ] {
            text.push_str(piece);
            at = at.saturating_add(utf16_len(piece));
            ends.push(at);
        }
    }
    js_object(
        [
            ("length", JsValue::from(rows.len() as u32)),
            ("number", js_sys::Uint32Array::from(&number[..]).into()),
            (
                "frame_length",
                js_sys::Uint32Array::from(&frame_length[..]).into(),
            ),
            ("text", JsValue::from_str(&text)),
            ("ends", js_sys::Uint32Array::from(&ends[..]).into()),
        ],
        "the rows",
    )
}

/// A plain object with these fields (what `to_js` would make, but with typed arrays and one
/// string handed over as they are).
fn js_object<const N: usize>(fields: [(&str, JsValue); N], what: &str) -> Result<JsValue, JsError> {
    let object = js_sys::Object::new();
    for (key, value) in fields {
        js_sys::Reflect::set(&object, &JsValue::from_str(key), &value)
            .map_err(|_| JsError::new(&format!("could not build {what}")))?;
    }
    Ok(object.into())
}

/// A text's length in UTF-16 code units, as JavaScript counts it.
fn utf16_len(text: &str) -> u32 {
    if text.is_ascii() {
        return text.len() as u32;
    }
    text.chars().map(|c| c.len_utf16() as u32).sum()
}

/// The conversations table's texts: each once, in English and in 简体中文 at the same index.
#[derive(Default)]
struct TableTexts {
    en: Vec<String>,
    zh: Vec<String>,
    /// Each English text's index.
    ids: rustc_hash::FxHashMap<String, u32>,
    /// Handshakes and closes already worded, by all their words depend on.
    handshakes: rustc_hash::FxHashMap<(HandshakeKind, u32), u32>,
    closes: rustc_hash::FxHashMap<(CloseKind, Option<Side>, Option<tcp::State>), u32>,
}

impl TableTexts {
    /// The index of `en`, whose 简体中文 is `zh()`.
    fn id(&mut self, en: &str, zh: impl FnOnce() -> String) -> u32 {
        if let Some(&id) = self.ids.get(en) {
            return id;
        }
        let id = self.en.len() as u32;
        self.en.push(en.to_string());
        self.zh.push(zh());
        self.ids.insert(en.to_string(), id);
        id
    }

    /// The index of handshake `h`'s words, worded once per different handshake.
    fn handshake(&mut self, h: &tcp::HandshakeSummary) -> u32 {
        let key = (h.kind, h.syn_retransmissions);
        if let Some(&id) = self.handshakes.get(&key) {
            return id;
        }
        let words = |lang| explain::handshake_words(key.0, key.1, lang);
        let id = self.id(&words(Lang::En), || words(Lang::Zh));
        self.handshakes.insert(key, id);
        id
    }

    /// The index of close `c`'s words, worded once per different close.
    fn close(&mut self, c: &tcp::CloseSummary) -> u32 {
        let key = (c.kind, c.initiator, c.reset_state);
        if let Some(&id) = self.closes.get(&key) {
            return id;
        }
        let words = |lang| explain::close_words(key.0, key.1, key.2, lang);
        let id = self.id(&words(Lang::En), || words(Lang::Zh));
        self.closes.insert(key, id);
        id
    }
}

/// The conversations table's columns while they are gathered (see `connection_table`).
#[derive(Default)]
struct TableColumns {
    stream: Vec<u32>,
    packets_out: Vec<f64>,
    packets_in: Vec<f64>,
    bytes_out: Vec<f64>,
    bytes_in: Vec<f64>,
    duration: Vec<f64>,
    roles_guessed: Vec<u8>,
    client: String,
    server: String,
    handshake_text: Vec<u32>,
    close_text: Vec<u32>,
    conn_state: Vec<u32>,
    history: Vec<u32>,
    handshake_start: Vec<u32>,
    handshake_frames: Vec<u32>,
    close_start: Vec<u32>,
    close_frames: Vec<u32>,
}

impl TableColumns {
    fn with_capacity(n: usize) -> Self {
        TableColumns {
            stream: Vec::with_capacity(n),
            packets_out: Vec::with_capacity(n),
            packets_in: Vec::with_capacity(n),
            bytes_out: Vec::with_capacity(n),
            bytes_in: Vec::with_capacity(n),
            duration: Vec::with_capacity(n),
            roles_guessed: Vec::with_capacity(n),
            handshake_start: vec![0],
            close_start: vec![0],
            ..TableColumns::default()
        }
    }
}

/// What `set_display_filter` answers.
#[derive(Serialize)]
struct FilterAnswer {
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<filter::FilterError>,
    needs_bytes: bool,
    count: Option<usize>,
}

impl FilterAnswer {
    fn error(error: filter::FilterError) -> Self {
        FilterAnswer {
            error: Some(error),
            needs_bytes: false,
            count: None,
        }
    }

    fn count(count: usize) -> Self {
        FilterAnswer {
            error: None,
            needs_bytes: false,
            count: Some(count),
        }
    }
}

/// A display filter that reads the frames' bytes, in file order.
struct PendingFilter {
    filter: filter::Filter,
    /// Index of the next frame to filter.
    next: usize,
    /// Indices of the frames that passed.
    shown: Vec<u32>,
}

impl PendingFilter {
    /// Filters the frames from `next` on whose bytes `source` holds (it stops at the first
    /// frame whose bytes are not there).
    fn feed(&mut self, report: &Report, source: &mut dyn FrameSource) {
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
}

#[derive(Serialize)]
struct FollowView<'a> {
    stream: u32,
    client: &'a str,
    server: &'a str,
    chunks: Vec<follow::Chunk>,
    bytes: crate::tcp::summary::Directional,
    left_out: u64,
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

/// Frames `start .. start + count` of `frames`, clamped to those there are.
fn range_of(frames: &[FrameRecord], start: u32, count: u32) -> impl Iterator<Item = Frame> + '_ {
    let start = (start as usize).min(frames.len());
    let end = start.saturating_add(count as usize).min(frames.len());
    (start..end).filter_map(|i| frame_at(frames, i))
}

/// File ranges closer than this are read as one (fewer, larger reads of the File).
const SPAN_GAP: u64 = 64 * 1024;

/// The byte ranges holding `frames` (in file order), near ones merged: `[start, end, ...]`.
fn spans(frames: impl Iterator<Item = Frame>) -> Vec<f64> {
    let mut ranges: Vec<(u64, u64)> = frames.map(|f| (f.offset(), f.end())).collect();
    ranges.sort_unstable();
    let mut merged: Vec<(u64, u64)> = Vec::new();
    for (start, end) in ranges {
        match merged.last_mut() {
            Some(last) if start <= last.1.saturating_add(SPAN_GAP) => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
        .into_iter()
        .flat_map(|(a, b)| [a as f64, b as f64])
        .collect()
}

/// The file's bytes the page read for `spans`, concatenated; or the capture the core kept.
struct Pieces<'a> {
    kept: Option<Window<'a>>,
    pieces: Vec<Window<'a>>,
}

impl<'a> Pieces<'a> {
    /// `kept`: the capture kept in memory, if it is; `spans` and `bytes`: what the page read.
    fn new(kept: Option<Window<'a>>, spans: &[f64], bytes: &'a [u8]) -> Self {
        let mut pieces = Vec::new();
        let mut at = 0usize;
        for pair in spans.chunks_exact(2) {
            let (start, end) = (pair[0] as u64, pair[1] as u64);
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

/// Wireshark's default colouring rules we apply, in order, for the page's legend:
/// `[{id, name, filter, meaning, background, foreground}]`.
#[wasm_bindgen]
pub fn color_rules() -> Result<JsValue, JsError> {
    to_js(&crate::row::colors::legend())
}

/// A generated capture of about `frames` frames (HTTP connections and the rest of
/// [`crate::synth`]'s traffic, always the same bytes), for the page's Worker to read once when
/// it starts: a function's first long run stays in the engine's baseline code (WebAssembly
/// has no on-stack replacement), so a capture dropped soon after would be read, finished and
/// tabled that way; run once on a small capture, they are optimised by then.
#[wasm_bindgen]
pub fn warm_up_capture(frames: u32) -> Vec<u8> {
    crate::synth::generate(crate::synth::Options {
        frames: frames as usize,
        seed: 1,
        pcapng: false,
        ..Default::default()
    })
}

impl Session {
    /// Ends the reading with `end` and keeps the report.
    fn finish_by(&mut self, end: impl FnOnce(Analysis) -> Report) -> Result<JsValue, JsError> {
        let analysis = match std::mem::replace(&mut self.state, State::Moving) {
            State::Reading(analysis) => analysis,
            other => {
                self.state = other;
                return Err(JsError::new("Session.finish called twice"));
            }
        };
        let report = end(*analysis);
        // The summary in English, with its texts in 简体中文 beside it: the page switches
        // language without asking again.
        #[derive(Serialize)]
        struct PageSummary {
            #[serde(flatten)]
            summary: explain::capture::Summary,
            zh: explain::capture::SummaryTexts,
        }
        let summary = PageSummary {
            summary: explain::capture::summary(&report, Lang::En),
            zh: explain::capture::summary_texts(&report, Lang::Zh),
        };
        self.state = State::Finished(Box::new(report));
        to_js(&summary)
    }
}

/// The reading half of an analysis, for a Worker of its own: it reads the file's chunks and
/// decodes their frames' headers, and hands each chunk's frames over as a batch of bytes
/// (see [`crate::analysis::batch`]) for a [`Session`] in another Worker to keep
/// ([`Session::push_batch`]). The two Workers run at once, each on a core.
#[wasm_bindgen]
pub struct Reader {
    reading: Reading,
    /// The batch being made, its room used again for the next.
    batch: Vec<u8>,
}

impl Default for Reader {
    fn default() -> Self {
        Self::new()
    }
}

#[wasm_bindgen]
impl Reader {
    /// A reader of a capture that is not gzip-compressed: a gzip capture's decompressed
    /// bytes would stay here, where the Session that lists its frames cannot read them.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Reader {
        let (reading, _) = Analysis::new().into_halves();
        Reader {
            reading,
            batch: Vec::new(),
        }
    }

    /// Reads the next chunk of the file; returns the size of the batch of its frames (the
    /// frames of records that end in a later chunk go with that chunk's batch), which
    /// [`Reader::copy_batch`] then copies out.
    pub fn push(&mut self, chunk: &[u8]) -> u32 {
        let Reader { reading, batch } = self;
        batch.clear();
        reading.read(chunk, |frame, payload| {
            crate::analysis::batch::put(batch, &frame, payload)
        });
        batch.len() as u32
    }

    /// Copies the last batch into the start of `out` (at least as long as [`Reader::push`]
    /// said), a buffer the page hands back and forth rather than one made per batch: made
    /// per batch, hundreds of MB of them waited for the garbage collector.
    pub fn copy_batch(&self, out: &js_sys::Uint8Array) -> Result<(), JsError> {
        if out.length() < self.batch.len() as u32 {
            return Err(JsError::new("Reader.copy_batch: the buffer is too small"));
        }
        out.subarray(0, self.batch.len() as u32)
            .copy_from(&self.batch);
        Ok(())
    }

    /// Whether reading has stopped (not a capture, damaged, or a limit reached): the rest of
    /// the file need not be read.
    #[wasm_bindgen(getter)]
    pub fn stopped(&self) -> bool {
        self.reading.reader().is_stopped()
    }

    /// Ends the input: how reading ended, for [`Session::finish_batches`].
    pub fn finish(self) -> Result<JsValue, JsError> {
        to_js(&self.reading.finish())
    }
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("could not hand the result to JavaScript: {e}")))
}
