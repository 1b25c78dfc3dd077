//! The conversations table as the page shows it: every TCP connection in columns (a capture
//! can hold a hundred thousand connections: an object per connection costs seconds to hand
//! over to JavaScript), and the frame list's rows the same way.
//!
//! Promise: connection `i` is at index `i` of every column; texts are given once each, in
//! English and in 简体中文 at the same index, and the columns that hold texts hold indices.

use crate::analysis::Report;
use crate::explain::{self, Lang};
use crate::row::FrameRow;
use crate::tcp::{self, CloseKind, EndpointWriter, HandshakeKind, Side};
use rustc_hash::FxHashMap as HashMap;

/// Every TCP connection, in columns ("out": client to server).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ConnectionTable {
    pub stream: Vec<u32>,
    pub packets_out: Vec<f64>,
    pub packets_in: Vec<f64>,
    pub bytes_out: Vec<f64>,
    pub bytes_in: Vec<f64>,
    pub duration: Vec<f64>,
    pub roles_guessed: Vec<u8>,
    /// Every connection's endpoint ("addr:port"), joined by line feeds.
    pub client: String,
    pub server: String,
    /// Each text once, in English, and in 简体中文 at the same index.
    pub texts: Vec<String>,
    pub texts_zh: Vec<String>,
    /// Indices into `texts`.
    pub handshake_text: Vec<u32>,
    pub close_text: Vec<u32>,
    pub conn_state: Vec<u32>,
    pub history: Vec<u32>,
    /// Connection `i`'s handshake frames are `handshake_frames[handshake_start[i] ..
    /// handshake_start[i + 1]]`; likewise its close.
    pub handshake_start: Vec<u32>,
    pub handshake_frames: Vec<u32>,
    pub close_start: Vec<u32>,
    pub close_frames: Vec<u32>,
}

impl ConnectionTable {
    /// The table of every connection of `report`.
    pub fn of(report: &Report) -> ConnectionTable {
        let n = report.tcp.connection_count();
        let mut texts = TableTexts::default();
        let mut endpoints = EndpointWriter::new(&report.tcp);
        let mut t = ConnectionTable {
            stream: Vec::with_capacity(n),
            packets_out: Vec::with_capacity(n),
            packets_in: Vec::with_capacity(n),
            bytes_out: Vec::with_capacity(n),
            bytes_in: Vec::with_capacity(n),
            duration: Vec::with_capacity(n),
            roles_guessed: Vec::with_capacity(n),
            handshake_start: vec![0],
            close_start: vec![0],
            ..ConnectionTable::default()
        };
        for c in report.connections() {
            t.stream.push(c.stream);
            t.packets_out.push(c.packets.client_to_server as f64);
            t.packets_in.push(c.packets.server_to_client as f64);
            t.bytes_out.push(c.bytes.client_to_server as f64);
            t.bytes_in.push(c.bytes.server_to_client as f64);
            t.duration.push(c.duration);
            t.roles_guessed.push(u8::from(c.roles_guessed));
            let [client, server] = report.tcp.endpoint_places(c.stream).unwrap_or_default();
            endpoints.write(&mut t.client, client);
            t.client.push('\n');
            endpoints.write(&mut t.server, server);
            t.server.push('\n');
            t.handshake_text.push(texts.handshake(&c.handshake));
            t.close_text.push(texts.close(&c.close));
            let state = c.conn_state.as_str();
            t.conn_state.push(texts.id(state, || state.to_string()));
            t.history.push(texts.id(&c.history, || c.history.clone()));
            t.handshake_frames.extend_from_slice(&c.handshake.frames);
            t.handshake_start.push(t.handshake_frames.len() as u32);
            t.close_frames.extend_from_slice(&c.close.frames);
            t.close_start.push(t.close_frames.len() as u32);
        }
        t.client.pop();
        t.server.pop();
        t.texts = texts.en;
        t.texts_zh = texts.zh;
        t
    }
}

/// The conversations table's texts: each once, in English and in 简体中文 at the same index.
#[derive(Default)]
struct TableTexts {
    en: Vec<String>,
    zh: Vec<String>,
    /// Each English text's index.
    ids: HashMap<String, u32>,
    /// Handshakes and closes already worded, by all their words depend on.
    handshakes: HashMap<(HandshakeKind, u32), u32>,
    closes: HashMap<(CloseKind, Option<Side>, Option<tcp::State>), u32>,
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

/// Rows of the frame list in columns: row `i`'s number and length, and its time, source,
/// destination, protocol, info and colour as the pieces of `text` ending at
/// `ends[6 i] .. ends[6 i + 5]` (UTF-16 offsets, as JavaScript counts, each piece starting
/// where the one before ends).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RowColumns {
    pub number: Vec<u32>,
    pub frame_length: Vec<u32>,
    pub text: String,
    pub ends: Vec<u32>,
}

/// The pieces of a row in [`RowColumns::text`], in order.
pub const ROW_PIECES: usize = 6;

impl RowColumns {
    pub fn of(rows: &[FrameRow]) -> RowColumns {
        let mut out = RowColumns {
            number: Vec::with_capacity(rows.len()),
            frame_length: Vec::with_capacity(rows.len()),
            text: String::new(),
            ends: Vec::with_capacity(rows.len() * ROW_PIECES),
        };
        let mut at = 0u32;
        for row in rows {
            out.number.push(row.number);
            out.frame_length.push(row.length);
            for piece in [
                row.time.as_str(),
                &row.source,
                &row.destination,
                &row.protocol,
                &row.info,
                row.color,
            ] {
                out.text.push_str(piece);
                at = at.saturating_add(utf16_len(piece));
                out.ends.push(at);
            }
        }
        out
    }
}

/// A text's length in UTF-16 code units, as JavaScript counts it.
pub fn utf16_len(text: &str) -> u32 {
    if text.is_ascii() {
        return text.len() as u32;
    }
    text.chars().map(|c| c.len_utf16() as u32).sum()
}
