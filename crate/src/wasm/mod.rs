//! The browser API: `wasm-bindgen` wrappers over [`crate::session`], which holds the page's
//! state and answers its requests.
//!
//! Promise: nothing here computes anything; it converts what JavaScript gives (numbers as
//! `f64`, byte ranges as `[start, end, ...]`) and what the session answers (JSON-compatible
//! objects, typed arrays for columns), and every error becomes a JS exception. Rows are handed
//! out by range so that the page can scroll a capture of a million frames while only the
//! visible rows cross into JS. What needs frames' bytes is asked in two steps (see
//! [`crate::session::spans`]): `*_spans` says which byte ranges of the file to read (empty
//! when the core kept the capture itself, as for gzip); the page reads them from its File and
//! hands them back, concatenated in that order, with the same spans.

mod shapes;

use crate::capture::CaptureEnd;
use crate::session::{self, parse_lang, table::RowColumns, BatchReader};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// One capture being read: `push` its chunks in order, then `finish`, then ask for `rows`.
#[wasm_bindgen]
#[derive(Default)]
pub struct Session {
    inner: session::Session,
}

#[wasm_bindgen]
impl Session {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Session {
        Session::default()
    }

    /// Tells the file's size in bytes (before the first `push`), so that room for its records
    /// is made once rather than grown step by step.
    pub fn expect_bytes(&mut self, total: f64) {
        self.inner.expect_bytes(total as u64);
    }

    /// Feeds the next chunk of the file; returns the number of frames read so far.
    pub fn push(&mut self, chunk: &[u8]) -> Result<u32, JsError> {
        self.inner.push(chunk).map_err(js_error)
    }

    /// Ends the input; returns the capture's summary (see [`session::PageSummary`]).
    #[wasm_bindgen(unchecked_return_type = "Summary")]
    pub fn finish(&mut self) -> Result<JsValue, JsError> {
        to_js(&self.inner.finish().map_err(js_error)?)
    }

    /// Keeps the frames of a batch made by a [`Reader`] (in another Worker) from the next
    /// chunk of the file; returns the number of frames kept so far.
    pub fn push_batch(&mut self, batch: &[u8]) -> Result<u32, JsError> {
        self.inner.push_batch(batch).map_err(js_error)
    }

    /// Ends the input of batches; `end` is what [`Reader::finish`] returned. Returns the
    /// capture's summary as [`Session::finish`] does.
    #[wasm_bindgen(unchecked_return_type = "Summary")]
    pub fn finish_batches(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "CaptureEnd")] end: JsValue,
    ) -> Result<JsValue, JsError> {
        let end: CaptureEnd = serde_wasm_bindgen::from_value(end)
            .map_err(|e| JsError::new(&format!("how reading ended is not readable: {e}")))?;
        to_js(&self.inner.finish_batches(end).map_err(js_error)?)
    }

    /// Whether reading has stopped (not a capture, damaged, or a limit reached): the rest of
    /// the file need not be read.
    #[wasm_bindgen(getter)]
    pub fn stopped(&self) -> bool {
        self.inner.stopped()
    }

    /// Number of frames in the finished report (0 before `finish`).
    #[wasm_bindgen(getter)]
    pub fn frames(&self) -> u32 {
        self.inner.frames()
    }

    /// What the finished report keeps in memory: `{parts: [[name, bytes], ...]}` (see
    /// [`crate::kept`]); null before `finish`.
    #[wasm_bindgen(unchecked_return_type = "Memory | null")]
    pub fn memory(&self) -> Result<JsValue, JsError> {
        match self.inner.memory() {
            Some(kept) => to_js(&kept),
            None => Ok(JsValue::NULL),
        }
    }

    /// The byte ranges of the file that rows `start .. start + count` need.
    pub fn row_spans(&self, start: u32, count: u32) -> Result<Vec<f64>, JsError> {
        spans_out(self.inner.row_spans(start, count))
    }

    /// Rows `start .. start + count` of the list as filtered, as columns (see
    /// [`RowColumns`]): `{length, number: Uint32Array, frame_length: Uint32Array, text:
    /// string, ends: Uint32Array}`.
    #[wasm_bindgen(unchecked_return_type = "RowTable")]
    pub fn rows(
        &self,
        start: u32,
        count: u32,
        spans: &[f64],
        bytes: &[u8],
    ) -> Result<JsValue, JsError> {
        let rows = self
            .inner
            .row_columns(start, count, &spans_in(spans), bytes)
            .map_err(js_error)?;
        row_object(&rows)
    }

    /// How the Time column reads: "relative", "delta", "delta_captured", "absolute" (date and
    /// time of day, `offset_minutes` east of UTC), "utc", "epoch".
    pub fn set_time_format(&mut self, format: &str, offset_minutes: i32) -> Result<(), JsError> {
        self.inner
            .set_time_format(format, offset_minutes)
            .map_err(js_error)
    }

    /// The byte ranges of the file that following TCP stream `stream` needs.
    pub fn follow_spans(&self, stream: u32) -> Result<Vec<f64>, JsError> {
        spans_out(self.inner.follow_spans(stream))
    }

    /// TCP stream `stream`'s payload (see [`session::FollowView`]); `format`: "ascii", "hex"
    /// or "raw".
    #[wasm_bindgen(unchecked_return_type = "Followed")]
    pub fn follow(
        &self,
        stream: u32,
        format: &str,
        spans: &[f64],
        bytes: &[u8],
    ) -> Result<JsValue, JsError> {
        let view = self.inner.follow(stream, format, &spans_in(spans), bytes);
        to_js(&view.map_err(js_error)?)
    }

    /// Shows only the frames of one TCP stream (`undefined`: every frame again); returns the
    /// number of rows the list now has.
    pub fn set_stream_filter(&mut self, stream: Option<u32>) -> Result<u32, JsError> {
        self.inner.set_stream_filter(stream).map_err(js_error)
    }

    /// Applies a display filter; returns `{error: {message, start, end}}` or `{needs_bytes,
    /// count}` (see [`session::filter::FilterAnswer`]).
    #[wasm_bindgen(unchecked_return_type = "FilterAnswer")]
    pub fn set_display_filter(&mut self, text: &str) -> Result<JsValue, JsError> {
        to_js(&self.inner.set_display_filter(text).map_err(js_error)?)
    }

    /// The next part of the file a display filter that reads bytes needs (`[start, end]`), or
    /// `[]` when every frame has been read.
    pub fn filter_span(&self, max_bytes: u32) -> Result<Vec<f64>, JsError> {
        spans_out(self.inner.filter_span(max_bytes))
    }

    /// Filters the frames the bytes of `filter_span` hold; returns the frames read so far.
    pub fn filter_feed(&mut self, spans: &[f64], bytes: &[u8]) -> Result<u32, JsError> {
        self.inner
            .filter_feed(&spans_in(spans), bytes)
            .map_err(js_error)
    }

    /// Ends a display filter that read bytes: the list shows what passed; returns its rows.
    pub fn filter_finish(&mut self) -> Result<u32, JsError> {
        self.inner.filter_finish().map_err(js_error)
    }

    /// The byte ranges of the file that frame `number`'s detail needs.
    pub fn detail_spans(&self, number: u32) -> Result<Vec<f64>, JsError> {
        spans_out(self.inner.detail_spans(number))
    }

    /// Frame `number`'s packet detail tree: `[{label, field?, span?: [offset, length],
    /// generated, expert?: {severity, group}, children?}]` (labels are packet-derived text:
    /// insert them as text). `verify`: verify the IP, TCP and UDP checksums.
    #[wasm_bindgen(unchecked_return_type = "DetailNode[]")]
    pub fn detail(
        &self,
        number: u32,
        verify: bool,
        spans: &[f64],
        bytes: &[u8],
    ) -> Result<JsValue, JsError> {
        let tree = self.inner.detail(number, verify, &spans_in(spans), bytes);
        to_js(&tree.map_err(js_error)?)
    }

    /// The TCP stream frame `number` belongs to (`undefined` for other frames).
    pub fn stream_of(&self, number: u32) -> Result<Option<u32>, JsError> {
        self.inner.stream_of(number).map_err(js_error)
    }

    /// Frame `number`'s captured bytes, from the bytes `detail_spans` asked for.
    pub fn frame_bytes(
        &self,
        number: u32,
        spans: &[f64],
        bytes: &[u8],
    ) -> Result<Vec<u8>, JsError> {
        self.inner
            .frame_bytes(number, &spans_in(spans), bytes)
            .map_err(js_error)
    }

    /// Every TCP connection as the conversations table shows it, in columns (see
    /// [`session::table::ConnectionTable`]): numbers as typed arrays, texts given once.
    #[wasm_bindgen(unchecked_return_type = "ConnectionTable")]
    pub fn connection_table(&self) -> Result<JsValue, JsError> {
        let t = self.inner.connection_table().map_err(js_error)?;
        use js_sys::{Float64Array as F64, Uint32Array as U32, Uint8Array as U8};
        js_object(
            [
                ("length", JsValue::from(t.stream.len() as u32)),
                ("stream", U32::from(&t.stream[..]).into()),
                ("packets_out", F64::from(&t.packets_out[..]).into()),
                ("packets_in", F64::from(&t.packets_in[..]).into()),
                ("bytes_out", F64::from(&t.bytes_out[..]).into()),
                ("bytes_in", F64::from(&t.bytes_in[..]).into()),
                ("duration", F64::from(&t.duration[..]).into()),
                ("roles_guessed", U8::from(&t.roles_guessed[..]).into()),
                ("client", JsValue::from_str(&t.client)),
                ("server", JsValue::from_str(&t.server)),
                ("texts", to_js(&t.texts)?),
                ("texts_zh", to_js(&t.texts_zh)?),
                ("handshake_text", U32::from(&t.handshake_text[..]).into()),
                ("close_text", U32::from(&t.close_text[..]).into()),
                ("conn_state", U32::from(&t.conn_state[..]).into()),
                ("history", U32::from(&t.history[..]).into()),
                ("handshake_start", U32::from(&t.handshake_start[..]).into()),
                (
                    "handshake_frames",
                    U32::from(&t.handshake_frames[..]).into(),
                ),
                ("close_start", U32::from(&t.close_start[..]).into()),
                ("close_frames", U32::from(&t.close_frames[..]).into()),
            ],
            "the connection table",
        )
    }

    /// Every TCP connection, as `analyze --json` lists them.
    #[wasm_bindgen(unchecked_return_type = "Connection[]")]
    pub fn connections(&self) -> Result<JsValue, JsError> {
        to_js(&self.inner.connections().map_err(js_error)?)
    }

    /// The position (0-based) of frame `number` in the list as filtered, if it is listed.
    pub fn row_index(&self, number: u32) -> Result<Option<u32>, JsError> {
        self.inner.row_index(number).map_err(js_error)
    }

    /// The ladder of TCP stream `stream` as a self-contained SVG document (every
    /// packet-derived string escaped by the renderer). `lang`: "en" or "zh".
    pub fn ladder_svg(
        &self,
        stream: u32,
        lang: &str,
        proportional: bool,
        expand: bool,
    ) -> Result<String, JsError> {
        let ladder = self
            .inner
            .ladder(stream, proportional, expand)
            .map_err(js_error)?;
        Ok(crate::ladder::svg::render(
            &ladder,
            parse_lang(lang).map_err(js_error)?,
        ))
    }

    /// The ladder as Mermaid `sequenceDiagram` text.
    pub fn ladder_mermaid(&self, stream: u32, lang: &str) -> Result<String, JsError> {
        let ladder = self.inner.ladder(stream, false, false).map_err(js_error)?;
        Ok(crate::ladder::mermaid::render(
            &ladder,
            parse_lang(lang).map_err(js_error)?,
        ))
    }

    /// The ladder as plain text.
    pub fn ladder_text(&self, stream: u32, lang: &str) -> Result<String, JsError> {
        let ladder = self.inner.ladder(stream, false, false).map_err(js_error)?;
        Ok(crate::ladder::text::render(
            &ladder,
            parse_lang(lang).map_err(js_error)?,
        ))
    }

    /// What one segment of stream `stream` is, as `{frame, summary, lines}` (plain text, not
    /// escaped); `undefined` when the frame is not in that stream.
    #[wasm_bindgen(unchecked_return_type = "Explanation | undefined")]
    pub fn explain(&self, stream: u32, frame: u32, lang: &str) -> Result<JsValue, JsError> {
        let lang = parse_lang(lang).map_err(js_error)?;
        match self.inner.explain(stream, frame, lang).map_err(js_error)? {
            Some(explanation) => to_js(&explanation),
            None => Ok(JsValue::UNDEFINED),
        }
    }
}

/// The reading half of an analysis, for a Worker of its own (see [`BatchReader`]): the two
/// Workers run at once, each on a core.
#[wasm_bindgen]
#[derive(Default)]
pub struct Reader {
    inner: BatchReader,
}

#[wasm_bindgen]
impl Reader {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Reader {
        Reader::default()
    }

    /// Reads the next chunk of the file; returns the size of the batch of its frames, which
    /// [`Reader::copy_batch`] then copies out.
    pub fn push(&mut self, chunk: &[u8]) -> u32 {
        self.inner.push(chunk).len() as u32
    }

    /// Copies the last batch into the start of `out` (at least as long as [`Reader::push`]
    /// said), a buffer the page hands back and forth rather than one made per batch: made
    /// per batch, hundreds of MB of them waited for the garbage collector.
    pub fn copy_batch(&self, out: &js_sys::Uint8Array) -> Result<(), JsError> {
        let batch = self.inner.batch();
        if out.length() < batch.len() as u32 {
            return Err(JsError::new("Reader.copy_batch: the buffer is too small"));
        }
        out.subarray(0, batch.len() as u32).copy_from(batch);
        Ok(())
    }

    /// Whether reading has stopped: the rest of the file need not be read.
    #[wasm_bindgen(getter)]
    pub fn stopped(&self) -> bool {
        self.inner.stopped()
    }

    /// Ends the input: how reading ended, for [`Session::finish_batches`].
    #[wasm_bindgen(unchecked_return_type = "CaptureEnd")]
    pub fn finish(self) -> Result<JsValue, JsError> {
        to_js(&self.inner.finish())
    }
}

/// Wireshark's default colouring rules we apply, in order, for the page's legend:
/// `[{id, name, filter, meaning, background, foreground}]`.
#[wasm_bindgen(unchecked_return_type = "ColorRule[]")]
pub fn color_rules() -> Result<JsValue, JsError> {
    to_js(&crate::row::colors::legend())
}

/// A generated capture of about `frames` frames (always the same bytes), for the page's
/// Worker to read once when it starts: a function's first long run stays in the engine's
/// baseline code (WebAssembly has no on-stack replacement), so a capture dropped soon after
/// would be read, finished and tabled that way; run once on a small capture, they are
/// optimised by then.
#[wasm_bindgen]
pub fn warm_up_capture(frames: u32) -> Vec<u8> {
    crate::synth::generate(crate::synth::Options {
        frames: frames as usize,
        ..Default::default()
    })
}

fn js_error(e: session::SessionError) -> JsError {
    JsError::new(&e.to_string())
}

/// Byte ranges from JavaScript's numbers (`[start, end, ...]`).
fn spans_in(spans: &[f64]) -> Vec<u64> {
    spans.iter().map(|&x| x as u64).collect()
}

/// Byte ranges as JavaScript's numbers (file offsets stay below 2^53).
fn spans_out(spans: Result<Vec<u64>, session::SessionError>) -> Result<Vec<f64>, JsError> {
    Ok(spans
        .map_err(js_error)?
        .into_iter()
        .map(|x| x as f64)
        .collect())
}

/// Rows as columns, their numbers as typed arrays and their text as one string.
fn row_object(rows: &RowColumns) -> Result<JsValue, JsError> {
    js_object(
        [
            ("length", JsValue::from(rows.number.len() as u32)),
            ("number", js_sys::Uint32Array::from(&rows.number[..]).into()),
            (
                "frame_length",
                js_sys::Uint32Array::from(&rows.frame_length[..]).into(),
            ),
            ("text", JsValue::from_str(&rows.text)),
            ("ends", js_sys::Uint32Array::from(&rows.ends[..]).into()),
        ],
        "the rows",
    )
}

/// A plain object with these fields (what `to_js` would make, but with typed arrays and
/// strings handed over as they are).
fn js_object<const N: usize>(fields: [(&str, JsValue); N], what: &str) -> Result<JsValue, JsError> {
    let object = js_sys::Object::new();
    for (key, value) in fields {
        js_sys::Reflect::set(&object, &JsValue::from_str(key), &value)
            .map_err(|_| JsError::new(&format!("could not build {what}")))?;
    }
    Ok(object.into())
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("could not hand the result to JavaScript: {e}")))
}
