//! HTTP/1.x request/response pairing over the TCP tracker's streams.
//!
//! Promise: [`HttpPairer`] never panics and keeps at most 64 KiB of headers per direction. A
//! message starts with a segment whose payload begins `METHOD SP target SP HTTP/1.x`
//! (request) or `HTTP/1.x SP ddd` (response), and ends where its framing says (Content-Length,
//! chunked, no body for HEAD/1xx/204/304, or the connection's end); like Wireshark, a message
//! is placed in the frame that completes it. Responses are paired in order with the oldest unanswered request of the
//! same stream sent by the other endpoint (HTTP/1.1 pipelining is first in, first out), as
//! Wireshark's `http.response_in` / `http.request_in` do. Interim 1xx responses (100
//! Continue) are recorded but leave the request waiting for its final response. A final
//! response whose start line was captured but whose head or body was not captured whole still
//! answers its request: the exchange has its status (and Content-Type, when the head was
//! whole) and says what is missing ([`IncompleteResponse`]), though no frame completes it.
//! Retransmitted segments are skipped so that a request is not counted twice; segments are
//! taken in capture order (out-of-order data is not reordered), and a start line split across
//! segments is not recognised.

mod texts;

use crate::capture::Timestamp;
use crate::decode::http::{
    cut, request_parts, response_reason, start_line, StartKind, KNOWN_METHODS,
};
use crate::regroup;
use crate::tcp::stream::{Arrival, ByteStream, Following, Hold, Limits};
use crate::tcp::SeqNumber;
use serde::Serialize;
use texts::{Interner, Text, Texts};

/// One request and, when seen, its final response, as [`HttpPairs::exchanges`] gives them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct HttpExchange<'a> {
    /// tcp.stream of both messages.
    pub stream: u32,
    pub request_frame: u32,
    pub method: &'a str,
    pub uri: &'a str,
    pub version: &'a str,
    /// Frames of interim (1xx) responses.
    #[serde(skip_serializing_if = "<[u32]>::is_empty")]
    pub interim_frames: &'a [u32],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_frame: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'a str>,
    /// The final response's Content-Type header, as sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_type: Option<&'a str>,
    /// Seconds from request to final response (Wireshark's http.time).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<f64>,
    /// The final response, when its start line was captured but not all of it: no frame
    /// completes it (`response_frame` is None, as tshark's http.response_in), yet `status`,
    /// `reason` and `content_type` are its.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_incomplete: Option<IncompleteResponse>,
}

/// A final response cut by the capture: its head, or bytes of its body, were never captured
/// (lost before the capture point, dropped by the capturing host, or after the capture ended).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct IncompleteResponse {
    /// The frame in which the response's head ended; where the head itself was cut, the frame
    /// of its start line.
    pub frame: u32,
    /// Whether the whole head (start line and header lines) was captured.
    pub head_complete: bool,
    /// The body's length as its Content-Length gave it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_length: Option<u64>,
    /// How many bytes of that body were never captured (None where the length is not known:
    /// a chunked body, or a head cut before its end).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing_bytes: Option<u64>,
}

/// An exchange as kept: 48 bytes and texts in the pairs' arena, where a struct of strings
/// would take about four times that (a capture of small exchanges has one every ten frames).
#[derive(Clone, Copy, Debug)]
struct Exchange {
    stream: u32,
    request_frame: u32,
    /// The final response's frame, when `answer` is complete; its status, unless unanswered.
    response_frame: u32,
    status: u16,
    answer: Answer,
    /// The request's method as an index of [`KNOWN_METHODS`], or [`NO_METHOD`] (read while
    /// pairing: a response to HEAD has no body).
    method: u8,
    request_line: Text,
    /// The final response's start line (its reason phrase) and Content-Type.
    response_line: Text,
    content_type: Option<Text>,
    /// The request's time (ns) until it is answered, then the time from request to response.
    ns: i64,
}

/// [`Exchange::method`] of a method not in [`KNOWN_METHODS`].
const NO_METHOD: u8 = u8::MAX;

/// What came back for a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Answer {
    /// No final response (yet).
    None,
    /// A whole final response, placed in `response_frame`.
    Complete,
    /// A final response cut by the capture ([`HttpPairs::incomplete`] says what is missing).
    Incomplete,
}

/// A response that found no request (e.g. the capture started mid-conversation).
#[derive(Clone, Debug, Default, Serialize)]
pub struct UnpairedResponse {
    pub stream: u32,
    pub frame: u32,
    pub status: u16,
}

/// HTTP's part of a capture: the exchanges, and what each frame shows.
#[derive(Clone, Debug, Default)]
pub struct HttpPairs {
    /// Grouped by stream, in stream order; a stream's in request order.
    exchanges: Vec<Exchange>,
    /// Interim responses' frames by exchange (sorted by exchange), in two columns.
    interim_of: Vec<u32>,
    interim_frames: Vec<u32>,
    /// The incomplete final responses, by exchange (sorted; few).
    incomplete: Vec<(u32, IncompleteResponse)>,
    pub unpaired_responses: Vec<UnpairedResponse>,
    /// The messages, each with the frame that completes it, sorted by frame (a frame that
    /// completes several, as with pipelining, has them side by side in the order sent).
    messages: Messages,
    /// The other frames that carry HTTP bytes, one bit per frame number: a bit set, not a
    /// map, since in a long transfer nearly every frame is one.
    segments: FrameSet,
    /// The start lines and Content-Types of messages and exchanges.
    texts: Texts,
}

impl HttpPairs {
    /// The heap bytes kept (see [`crate::kept`]).
    pub fn kept(&self) -> usize {
        use crate::kept::vec;
        vec(&self.exchanges)
            + vec(&self.interim_of)
            + vec(&self.interim_frames)
            + vec(&self.incomplete)
            + vec(&self.unpaired_responses)
            + self.messages.kept()
            + self.segments.kept()
            + self.texts.kept()
    }

    /// The HTTP a frame shows, if it carries HTTP bytes.
    pub fn frame(&self, number: u32) -> Option<FrameHttp<'_>> {
        frame_http(
            &self.messages,
            &self.exchanges,
            &self.segments,
            &self.texts,
            number,
        )
    }

    /// The exchanges, by stream (in stream order; a stream's in request order).
    pub fn exchanges(&self) -> impl ExactSizeIterator<Item = HttpExchange<'_>> + Clone + '_ {
        (0..self.exchanges.len()).map(|i| self.view(i))
    }

    /// The exchanges of one TCP stream, in request order.
    pub fn exchanges_of_stream(&self, stream: u32) -> impl Iterator<Item = HttpExchange<'_>> {
        run(&self.exchanges, stream, |x| x.stream).map(|i| self.view(i))
    }

    /// The exchanges of TCP stream `stream` whose request, final response or interim
    /// response frame `number` is (only that stream's are looked at: a frame is opened while
    /// the page waits).
    pub fn exchanges_in_frame(&self, stream: u32, number: u32) -> Vec<HttpExchange<'_>> {
        run(&self.exchanges, stream, |x| x.stream)
            .filter(|&i| {
                let x = &self.exchanges[i];
                x.request_frame == number
                    || (x.answer == Answer::Complete && x.response_frame == number)
                    || self.interim_frames_of(i).contains(&number)
            })
            .map(|i| self.view(i))
            .collect()
    }

    pub fn exchange_count(&self) -> usize {
        self.exchanges.len()
    }

    fn interim_frames_of(&self, index: usize) -> &[u32] {
        let run = run(&self.interim_of, index as u32, |&x| x);
        self.interim_frames.get(run).unwrap_or_default()
    }

    fn view(&self, index: usize) -> HttpExchange<'_> {
        let x = &self.exchanges[index];
        let (method, uri, version) = request_parts(self.texts.get(x.request_line));
        let complete = x.answer == Answer::Complete;
        let answered = x.answer != Answer::None;
        let response_incomplete = if x.answer == Answer::Incomplete {
            let at = self
                .incomplete
                .binary_search_by_key(&(index as u32), |&(x, _)| x);
            at.ok().map(|at| self.incomplete[at].1)
        } else {
            None
        };
        HttpExchange {
            stream: x.stream,
            request_frame: x.request_frame,
            method,
            uri,
            version,
            interim_frames: self.interim_frames_of(index),
            response_frame: complete.then_some(x.response_frame),
            status: answered.then_some(x.status),
            reason: answered.then(|| response_reason(self.texts.get(x.response_line))),
            content_type: x.content_type.map(|t| self.texts.get(t)),
            time: complete.then(|| x.ns as f64 / 1e9),
            response_incomplete,
        }
    }
}

/// Where the items whose key is `key` lie in `sorted`, a list in order of `key_of`.
fn run<T>(sorted: &[T], key: u32, key_of: impl Fn(&T) -> u32) -> std::ops::Range<usize> {
    let start = sorted.partition_point(|x| key_of(x) < key);
    start..start + sorted[start..].partition_point(|x| key_of(x) == key)
}

fn frame_http<'a>(
    messages: &'a Messages,
    exchanges: &'a [Exchange],
    segments: &FrameSet,
    texts: &'a Texts,
    number: u32,
) -> Option<FrameHttp<'a>> {
    messages
        .of(number)
        .map(|refs| {
            FrameHttp::Messages(MessageList {
                refs,
                own: &messages.own,
                exchanges,
                texts,
            })
        })
        .or_else(|| segments.contains(number).then_some(FrameHttp::Segment))
}

/// A message as kept: its start line as sent and its Content-Type.
#[derive(Clone, Copy, Debug, Default)]
struct Message {
    line: Text,
    content_type: Option<Text>,
}

/// [`Messages::refs`]: the message is [`Messages::own`]`[ref & !OWN]`...
const OWN: u32 = 1 << 31;
/// ...else the final response of exchange `ref & !RESPONSE` when this is set, else its request.
const RESPONSE: u32 = 1 << 30;

/// Messages by the frame that completes each, in flat columns rather than a map of lists: a
/// capture of small exchanges has one message every few frames, and a map entry with a list
/// of its own costs more than the message. A request or a final response is its exchange's
/// (whose start lines and Content-Type are the message's): 4 bytes rather than 16.
#[derive(Clone, Debug, Default)]
struct Messages {
    frames: Vec<u32>,
    refs: Vec<u32>,
    /// The other messages: interim and unpaired responses, requests with a Content-Type.
    own: Vec<Message>,
}

impl Messages {
    fn kept(&self) -> usize {
        use crate::kept::vec;
        vec(&self.frames) + vec(&self.refs) + vec(&self.own)
    }

    /// The messages frame `number` completes (None when it completes none).
    fn of(&self, number: u32) -> Option<&[u32]> {
        let run = run(&self.frames, number, |&n| n);
        (!run.is_empty()).then(|| &self.refs[run])
    }

    /// Whether frame `number` completes a message.
    fn contains(&self, number: u32) -> bool {
        self.of(number).is_some()
    }

    fn len(&self) -> usize {
        self.frames.len()
    }

    fn reserve(&mut self, more: usize) {
        self.frames.reserve(more);
        self.refs.reserve(more);
    }

    /// Adds a message completed by `frame`, after the others of that frame. Frames come in
    /// capture order while reading; [`Messages::sort`] puts late additions in place.
    fn push_own(&mut self, frame: u32, message: Message) {
        let index = self.own.len() as u32;
        self.own.push(message);
        self.frames.push(frame);
        self.refs.push(index | OWN);
    }

    /// Adds exchange `exchange`'s request or final response (see [`Messages::push_own`]).
    fn push_of(&mut self, frame: u32, exchange: u32, response: bool) {
        self.frames.push(frame);
        self.refs
            .push(exchange | if response { RESPONSE } else { 0 });
    }

    /// Orders by frame, keeping the order of messages within a frame.
    fn sort(&mut self) {
        if self.frames.is_sorted() {
            return;
        }
        let mut pairs: Vec<(u32, u32)> = self
            .frames
            .drain(..)
            .zip(std::mem::take(&mut self.refs))
            .collect();
        pairs.sort_by_key(|(n, _)| *n);
        (self.frames, self.refs) = pairs.into_iter().unzip();
    }

    /// Exchange `i` is now exchange `to(i)`.
    fn renumber_exchanges(&mut self, to: impl Fn(u32) -> u32) {
        for r in self.refs.iter_mut() {
            if *r & OWN == 0 {
                *r = to(*r & !RESPONSE) | (*r & RESPONSE);
            }
        }
    }

    fn shrink_to_fit(&mut self) {
        self.frames.shrink_to_fit();
        self.refs.shrink_to_fit();
        self.own.shrink_to_fit();
    }
}

/// A set of frame numbers, one bit each.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FrameSet(Vec<u64>);

impl FrameSet {
    pub fn kept(&self) -> usize {
        crate::kept::vec(&self.0)
    }

    pub fn insert(&mut self, number: u32) {
        let (word, bit) = ((number / 64) as usize, number % 64);
        if self.0.len() <= word {
            self.0.resize(word + 1, 0);
        }
        self.0[word] |= 1 << bit;
    }

    pub fn remove(&mut self, number: u32) {
        if let Some(w) = self.0.get_mut((number / 64) as usize) {
            *w &= !(1 << (number % 64));
        }
    }

    pub fn contains(&self, number: u32) -> bool {
        self.0
            .get((number / 64) as usize)
            .is_some_and(|w| w & (1 << (number % 64)) != 0)
    }

    /// The numbers in the set, in order.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.0.iter().enumerate().flat_map(|(i, &w)| {
            (0..64u32)
                .filter(move |b| w & (1 << b) != 0)
                .map(move |b| i as u32 * 64 + b)
        })
    }
}

/// How a frame carrying HTTP is shown, as Wireshark shows a reassembled message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameHttp<'a> {
    /// Bytes of a message whose last byte comes in a later frame
    /// ("[TCP segment of a reassembled PDU]").
    Segment,
    /// The frame completes these messages (several when requests are pipelined).
    Messages(MessageList<'a>),
}

/// The messages one frame completes.
#[derive(Clone, Copy)]
pub struct MessageList<'a> {
    /// See [`Messages::refs`].
    refs: &'a [u32],
    own: &'a [Message],
    exchanges: &'a [Exchange],
    texts: &'a Texts,
}

impl<'a> MessageList<'a> {
    pub fn iter(self) -> impl ExactSizeIterator<Item = HttpView<'a>> + Clone {
        self.refs.iter().map(move |&r| {
            let m = self.message(r);
            HttpView {
                line: self.texts.get(m.line),
                content_type: m.content_type.map(|t| self.texts.get(t)),
            }
        })
    }

    fn message(&self, r: u32) -> Message {
        if r & OWN != 0 {
            return self
                .own
                .get((r & !OWN) as usize)
                .copied()
                .unwrap_or_default();
        }
        let Some(x) = self.exchanges.get((r & !RESPONSE) as usize) else {
            return Message::default();
        };
        if r & RESPONSE != 0 {
            Message {
                line: x.response_line,
                content_type: x.content_type,
            }
        } else {
            Message {
                line: x.request_line,
                content_type: None,
            }
        }
    }

    pub fn len(self) -> usize {
        self.refs.len()
    }

    pub fn is_empty(self) -> bool {
        self.refs.is_empty()
    }
}

impl std::fmt::Debug for MessageList<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl PartialEq for MessageList<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Eq for MessageList<'_> {}

/// What the Info column shows of a message: its start line as sent and its Content-Type.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HttpView<'a> {
    pub line: &'a str,
    pub content_type: Option<&'a str>,
}

/// What a payload's first line is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StartLine {
    Request {
        method: String,
        uri: String,
        version: String,
    },
    Response {
        version: String,
        status: u16,
        reason: String,
    },
}

/// Reads the first line of `payload` as an HTTP/1.x start line, if it is one.
pub fn parse_start_line(payload: &[u8]) -> Option<StartLine> {
    let (line, start) = start_line(payload)?;
    Some(match start {
        StartKind::Request { .. } => {
            let (method, uri, version) = request_parts(line);
            StartLine::Request {
                method: method.into(),
                uri: uri.into(),
                version: version.into(),
            }
        }
        StartKind::Response { status } => StartLine::Response {
            version: line.get(..8).unwrap_or(line).into(),
            status,
            reason: response_reason(line).into(),
        },
    })
}

/// Headers kept per message while they arrive; beyond this a message is given up on.
const MAX_HEADER_BYTES: usize = 65_536;

/// Where a direction's byte stream is in the current message.
#[derive(Clone, Debug, Default)]
enum Phase {
    /// Between messages: the next segment must start with a start line.
    #[default]
    Idle,
    /// Start line seen; collecting headers up to the empty line.
    Headers,
    /// Content-Length bytes still to come.
    Body(u64),
    /// Chunked transfer coding.
    Chunked(ChunkState),
    /// No length: the body runs until the connection closes.
    UntilClose,
}

#[derive(Clone, Copy, Debug)]
enum ChunkState {
    /// Reading a chunk-size line (value so far, whether a ';' extension started).
    Size(u64, bool),
    Data(u64),
    /// The CRLF after a chunk's data.
    DataEnd(u8),
    /// Trailer lines after the last chunk; the count is the current line's length.
    Trailer(usize),
}

/// One direction of one stream.
#[derive(Default)]
struct Direction {
    phase: Phase,
    start: Option<StartKind>,
    /// The current message's start line as sent, and its Content-Type once headers end.
    message: Message,
    headers: Vec<u8>,
    last_frame: u32,
    last_ns: i64,
    /// The current message's head: the frame of its start line, then the frame where the head
    /// ended; whether it ended; the body's length where Content-Length gave one.
    head_frame: u32,
    head_complete: bool,
    body_length: Option<u64>,
}

/// A message whose last byte has been seen.
struct Complete {
    start: StartKind,
    message: Message,
    frame: u32,
    ns: i64,
}

/// The headers that frame a message and label it (the first of each), read in one pass.
#[derive(Default)]
struct Framing<'a> {
    content_type: Option<&'a str>,
    content_length: Option<&'a str>,
    transfer_encoding: Option<&'a str>,
}

impl<'a> Framing<'a> {
    /// From a message's head (start line, then header lines).
    fn read(head: &'a str) -> Self {
        let mut framing = Framing::default();
        let (_start_line, mut rest) = cut(head, b'\n');
        while let Some(lines) = rest {
            let (line, next) = cut(lines, b'\n');
            rest = next;
            let (key, Some(value)) = cut(line, b':') else {
                continue;
            };
            // The optional whitespace around a value is spaces and tabs (RFC 9112 section
            // 5.1): ASCII whitespace is trimmed, Unicode's other spaces are part of the text.
            let key = key.trim_ascii();
            let slot = if key.eq_ignore_ascii_case("content-type") {
                &mut framing.content_type
            } else if key.eq_ignore_ascii_case("content-length") {
                &mut framing.content_length
            } else if key.eq_ignore_ascii_case("transfer-encoding") {
                &mut framing.transfer_encoding
            } else {
                continue;
            };
            slot.get_or_insert(value.trim_ascii());
        }
        framing
    }
}

/// A head's bytes as text (invalid UTF-8 replaced). Checked with `str::from_utf8` first: a
/// head is nearly always ASCII, which it checks a word at a time, where the lossy reader goes
/// byte by byte.
fn text_of(head: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(head) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(head),
    }
}

/// Where the head in `buf` ends (just past its blank line), looking from `from`: CR LF CR LF,
/// or else LF LF as lenient parsers accept. Both end at a line feed, so only line feeds are
/// looked at (a head is a few lines of tens of bytes).
fn head_end(buf: &[u8], from: usize) -> Option<usize> {
    let rest = buf.get(from..)?;
    let mut lf_lf = None;
    let mut at = 0;
    while let Some(p) = rest.get(at..).and_then(|r| memchr::memchr(b'\n', r)) {
        let lf = at + p;
        if lf >= 3 && rest.get(lf - 3..lf) == Some(b"\r\n\r") {
            return Some(from + lf + 1);
        }
        if lf_lf.is_none() && lf >= 1 && rest.get(lf - 1) == Some(&b'\n') {
            lf_lf = Some(from + lf + 1);
        }
        at = lf + 1;
    }
    lf_lf
}

/// Body framing from the headers (RFC 9112 section 6.3).
fn body_phase(start: StartKind, headers: &Framing, request_method: Option<&str>) -> Phase {
    if let StartKind::Response { status } = start {
        let bodiless = (100..200).contains(&status)
            || status == 204
            || status == 304
            || request_method == Some("HEAD");
        // A 2xx answer to CONNECT has no body: the connection becomes a tunnel (RFC 9110
        // section 9.3.6), as tshark pairs it.
        let tunnel = (200..300).contains(&status) && request_method == Some("CONNECT");
        if bodiless || tunnel {
            return Phase::Idle;
        }
    }
    let chunked = headers.transfer_encoding.is_some_and(|v| {
        v.rsplit(',')
            .next()
            .is_some_and(|last| last.trim().eq_ignore_ascii_case("chunked"))
    });
    if chunked {
        return Phase::Chunked(ChunkState::Size(0, false));
    }
    if let Some(length) = headers.content_length.and_then(|v| v.parse::<u64>().ok()) {
        return if length == 0 {
            Phase::Idle
        } else {
            Phase::Body(length)
        };
    }
    match start {
        StartKind::Request { .. } => Phase::Idle,
        StartKind::Response { .. } => Phase::UntilClose,
    }
}

/// Advances a chunked body over `bytes`; returns how many were used and whether it ended.
fn advance_chunked(state: &mut ChunkState, bytes: &[u8]) -> (usize, bool) {
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match *state {
            ChunkState::Size(size, in_extension) => {
                i += 1;
                if b == b'\n' {
                    *state = if size == 0 {
                        ChunkState::Trailer(0)
                    } else {
                        ChunkState::Data(size)
                    };
                } else if b == b';' {
                    *state = ChunkState::Size(size, true);
                } else if !in_extension {
                    if let Some(d) = (b as char).to_digit(16) {
                        *state = ChunkState::Size(
                            size.saturating_mul(16).saturating_add(u64::from(d)),
                            false,
                        );
                    }
                }
            }
            ChunkState::Data(left) => {
                let take = (bytes.len() - i).min(usize::try_from(left).unwrap_or(usize::MAX));
                i += take;
                let left = left - take as u64;
                *state = if left == 0 {
                    ChunkState::DataEnd(2)
                } else {
                    ChunkState::Data(left)
                };
            }
            ChunkState::DataEnd(left) => {
                i += 1;
                // Tolerate a bare LF: a '\n' always ends the chunk's trailing line.
                *state = if b == b'\n' || left <= 1 {
                    ChunkState::Size(0, false)
                } else {
                    ChunkState::DataEnd(left - 1)
                };
            }
            ChunkState::Trailer(line_len) => {
                i += 1;
                if b == b'\n' {
                    if line_len == 0 {
                        return (i, true);
                    }
                    *state = ChunkState::Trailer(0);
                } else if b != b'\r' {
                    *state = ChunkState::Trailer(line_len + 1);
                }
            }
        }
    }
    (i, false)
}

/// A message under way that will not be completed, and the body bytes it lacks.
struct Cut<P> {
    stream: u32,
    sender: P,
    direction: Box<Direction>,
    missing: Option<u64>,
}

impl Direction {
    /// The bytes of the current body that `bytes` lacks, where the body's length is known.
    fn missing(&self, bytes: &ByteStream) -> Option<u64> {
        match self.phase {
            Phase::Body(left) => Some(left.saturating_sub(bytes.held_within(left))),
            _ => None,
        }
    }

    /// Feeds one segment's payload; adds the messages it completed to `done`.
    fn feed(
        &mut self,
        frame: u32,
        ns: i64,
        mut bytes: &[u8],
        request_method: Option<&str>,
        store: &mut Store,
        done: &mut Vec<Complete>,
    ) {
        // A segment may end one message and start the next (pipelining): loop over it.
        while !bytes.is_empty() {
            self.last_frame = frame;
            self.last_ns = ns;
            match &mut self.phase {
                Phase::Idle => {
                    let Some((line, start)) = start_line(bytes) else {
                        return;
                    };
                    self.start = Some(start);
                    self.message = Message {
                        line: store.line(line, start),
                        content_type: None,
                    };
                    self.headers.clear();
                    self.phase = Phase::Headers;
                    self.head_frame = frame;
                    self.head_complete = false;
                    self.body_length = None;
                }
                Phase::Headers => {
                    let before = self.headers.len();
                    let room = MAX_HEADER_BYTES.saturating_sub(before);
                    let chunk = &bytes[..bytes.len().min(room)];
                    // A head that starts and ends in this segment (the usual case) is read
                    // where it lies; one spread over segments is gathered first.
                    let whole = if before == 0 {
                        head_end(chunk, 0)
                    } else {
                        None
                    };
                    let (text, used) = match whole {
                        Some(end) => (text_of(&chunk[..end]), end),
                        None => {
                            self.headers.extend_from_slice(chunk);
                            // From a little before the new bytes: the blank line may straddle.
                            let Some(end) = head_end(&self.headers, before.saturating_sub(3))
                            else {
                                if chunk.len() < bytes.len() {
                                    // Headers too long: give up on this message.
                                    self.phase = Phase::Idle;
                                    self.start = None;
                                }
                                return;
                            };
                            (text_of(&self.headers[..end]), end - before)
                        }
                    };
                    bytes = &bytes[used.min(bytes.len())..];
                    let Some(start) = self.start.take() else {
                        self.phase = Phase::Idle;
                        continue;
                    };
                    let framing = Framing::read(&text);
                    self.message.content_type = framing.content_type.map(|t| store.intern(t));
                    self.phase = body_phase(start, &framing, request_method);
                    self.head_frame = frame;
                    self.head_complete = true;
                    self.body_length = match self.phase {
                        Phase::Body(length) => Some(length),
                        _ => None,
                    };
                    // The head is read: its buffer goes (a direction between messages keeps
                    // nothing).
                    self.headers = Vec::new();
                    if matches!(self.phase, Phase::Idle) {
                        done.push(Complete {
                            start,
                            message: std::mem::take(&mut self.message),
                            frame,
                            ns,
                        });
                    } else {
                        self.start = Some(start);
                    }
                }
                Phase::Body(left) => {
                    let take = bytes
                        .len()
                        .min(usize::try_from(*left).unwrap_or(usize::MAX));
                    *left -= take as u64;
                    bytes = &bytes[take..];
                    if *left == 0 {
                        self.phase = Phase::Idle;
                        if let Some(start) = self.start.take() {
                            done.push(Complete {
                                start,
                                message: std::mem::take(&mut self.message),
                                frame,
                                ns,
                            });
                        }
                    }
                }
                Phase::Chunked(state) => {
                    let (used, ended) = advance_chunked(state, bytes);
                    bytes = &bytes[used.min(bytes.len())..];
                    if ended {
                        self.phase = Phase::Idle;
                        if let Some(start) = self.start.take() {
                            done.push(Complete {
                                start,
                                message: std::mem::take(&mut self.message),
                                frame,
                                ns,
                            });
                        }
                    }
                }
                Phase::UntilClose => return,
            }
        }
    }
}

/// Out-of-order segments kept per direction while a gap is open (beyond this, more are
/// dropped: the message then stays incomplete, as it would with the bytes never captured).
const HELD_LIMITS: Limits = Limits {
    segments: 4096,
    bytes: 4 << 20,
};

/// Zeros that stand for body bytes that were only counted, fed a piece at a time.
static COUNTED: [u8; 4096] = [0; 4096];

/// Index of no exchange (the end of a waiting list).
const NO_EXCHANGE: u32 = u32::MAX;

/// What the pairer follows of one endpoint of a stream.
struct Side<P> {
    name: P,
    /// Its byte stream in sequence space ([`HttpPairer::push_at`]).
    bytes: ByteStream,
    /// The message it is sending, while inside one (between messages it keeps nothing).
    direction: Option<Box<Direction>>,
    /// Its requests still waiting for an answer, oldest first: the first and last of a list
    /// linked through [`HttpPairer::next_waiting`] (no queue of its own per endpoint).
    waiting: (u32, u32),
}

/// The two endpoints of every stream, indexed by stream number: one index per segment
/// rather than a hash lookup per map (streams are numbered densely from 0, as tcp.stream).
struct Sides<P> {
    streams: Vec<[Option<Side<P>>; 2]>,
}

impl<P> Default for Sides<P> {
    fn default() -> Self {
        Sides {
            streams: Vec::new(),
        }
    }
}

impl<P: Copy + Eq> Sides<P> {
    fn get(&self, stream: u32, name: P) -> Option<&Side<P>> {
        self.streams
            .get(stream as usize)?
            .iter()
            .flatten()
            .find(|side| side.name == name)
    }

    fn get_mut(&mut self, stream: u32, name: P) -> Option<&mut Side<P>> {
        self.streams
            .get_mut(stream as usize)?
            .iter_mut()
            .flatten()
            .find(|side| side.name == name)
    }

    /// The side `name` of `stream`, made when first seen; None for a third name in a stream
    /// (a stream has two endpoints: a caller naming more is ignored).
    fn entry(&mut self, stream: u32, name: P) -> Option<&mut Side<P>> {
        let index = stream as usize;
        if self.streams.len() <= index {
            self.streams.resize_with(index + 1, || [None, None]);
        }
        let slots = self.streams.get_mut(index)?;
        let slot = match slots
            .iter()
            .position(|s| s.as_ref().is_some_and(|s| s.name == name))
        {
            Some(i) => i,
            None => slots.iter().position(Option::is_none)?,
        };
        let side = slots.get_mut(slot)?;
        Some(side.get_or_insert_with(|| Side {
            name,
            bytes: ByteStream::default(),
            direction: None,
            waiting: (NO_EXCHANGE, NO_EXCHANGE),
        }))
    }

    /// The other endpoint of `stream` than `name`, once seen.
    fn peer(&self, stream: u32, name: P) -> Option<P> {
        self.streams
            .get(stream as usize)?
            .iter()
            .flatten()
            .map(|side| side.name)
            .find(|&other| other != name)
    }

    /// The oldest request `name` of `stream` sent that waits for an answer.
    fn oldest_waiting(&self, stream: u32, name: P) -> Option<u32> {
        self.get(stream, name)
            .map(|side| side.waiting.0)
            .filter(|&x| x != NO_EXCHANGE)
    }
}

/// The texts of messages, with one copy of those that recur (status lines, Content-Types).
#[derive(Default)]
struct Store {
    texts: Texts,
    interner: Interner,
}

impl Store {
    /// A start line: a request's is nearly always new, a response's nearly always seen before.
    fn line(&mut self, line: &str, start: StartKind) -> Text {
        match start {
            StartKind::Request { .. } => self.texts.push(line),
            StartKind::Response { .. } => self.interner.intern(&mut self.texts, line),
        }
    }

    fn intern(&mut self, text: &str) -> Text {
        self.interner.intern(&mut self.texts, text)
    }
}

/// Pairs requests and responses as segments arrive; `finish` returns them in request order.
/// `P` names an endpoint within a stream (any small copyable value: the analysis uses which
/// side of the connection sent the segment, tests use names).
pub struct HttpPairer<P = bool> {
    exchanges: Vec<Exchange>,
    /// By exchange: the next request of the same sender waiting for an answer
    /// ([`Side::waiting`]), or [`NO_EXCHANGE`]. Needed only while pairing.
    next_waiting: Vec<u32>,
    /// Interim responses: (exchange, frame) in the order seen.
    interim: Vec<(u32, u32)>,
    /// Final responses cut by the capture, by exchange.
    incomplete: Vec<(u32, IncompleteResponse)>,
    /// Each stream's two endpoints: byte streams, messages under way, requests waiting.
    sides: Sides<P>,
    unpaired: Vec<UnpairedResponse>,
    /// Frames that complete messages, with the messages.
    messages: Messages,
    /// Other frames carrying HTTP bytes.
    segments: FrameSet,
    store: Store,
    /// Scratch for the messages one segment completes, and a direction's state kept for the
    /// next message: reused, not allocated per message.
    completed: Vec<Complete>,
    spare: Option<Box<Direction>>,
}

impl<P> Default for HttpPairer<P> {
    fn default() -> Self {
        HttpPairer {
            exchanges: Vec::new(),
            next_waiting: Vec::new(),
            interim: Vec::new(),
            incomplete: Vec::new(),
            sides: Sides::default(),
            unpaired: Vec::new(),
            messages: Messages::default(),
            segments: FrameSet::default(),
            store: Store::default(),
            completed: Vec::new(),
            spare: None,
        }
    }
}

impl<P: Copy + Eq> HttpPairer<P> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Room for `scale` times the exchanges, messages and texts seen so far.
    pub fn reserve_scaled(&mut self, scale: f64) {
        let more = |n: usize| ((n as f64 * scale) as usize).saturating_sub(n);
        self.exchanges.reserve(more(self.exchanges.len()));
        self.next_waiting.reserve(more(self.next_waiting.len()));
        self.sides.streams.reserve(more(self.sides.streams.len()));
        self.messages.reserve(more(self.messages.len()));
        self.store.texts.reserve(more(self.store.texts.len()));
    }

    /// Takes one TCP segment, in capture order: its stream (tcp.stream), frame number, time,
    /// the sender and receiver (stable names of the two endpoints), the captured payload and
    /// whether the tracker flagged it as a retransmission. A message is placed in the frame
    /// that completes it, as Wireshark places a reassembled message. Segments are taken as
    /// contiguous: [`Self::push_at`] is the sequence-aware form.
    #[allow(clippy::too_many_arguments)]
    pub fn push(
        &mut self,
        stream: u32,
        frame: u32,
        ts: Timestamp,
        sender: P,
        receiver: P,
        payload: &[u8],
        retransmission: bool,
    ) {
        if retransmission || payload.is_empty() {
            return;
        }
        self.feed(stream, frame, ts.as_nanos_i64(), sender, receiver, payload);
    }

    /// Takes one TCP segment with its sequence number (relative or raw, the same kind for
    /// every segment of a direction), in capture order, and reassembles like tshark's TCP
    /// layer before the bytes reach the message parser:
    /// - a segment the tracker flags as a (plain) retransmission brings nothing, not even
    ///   bytes beyond the highest seen so far: tshark 4.0 does not add them to its reassembly
    ///   either, so a message whose last bytes came only that way stays incomplete
    ///   (zeek/206_example_b.pcap frame 262);
    /// - other bytes already seen (fast or spurious retransmissions, overlaps) are dropped;
    /// - a segment beyond the next expected byte waits until the gap is filled (out-of-order
    ///   data); the frame that fills it completes what the waiting bytes complete;
    /// - a gap that is never filled leaves the message around it incomplete: it is never
    ///   placed. Once a segment starts at or after the end of a message whose length is known
    ///   (Content-Length), that message is given up and the segment is read afresh, as tshark
    ///   reads a segment beyond a reassembly it cannot finish; a response given up this way
    ///   still answers its request (which then has no response frame).
    #[allow(clippy::too_many_arguments)]
    pub fn push_at(
        &mut self,
        stream: u32,
        frame: u32,
        ts: Timestamp,
        sender: P,
        receiver: P,
        seq: u32,
        payload: &[u8],
        retransmission: bool,
    ) {
        if retransmission || payload.is_empty() {
            return;
        }
        let ns = ts.as_nanos_i64();
        let seq = SeqNumber(seq);
        let Some(side) = self.sides.entry(stream, sender) else {
            return;
        };
        let new = match side.bytes.accept(seq, payload) {
            Arrival::Seen => return,
            Arrival::New(new) => new,
            Arrival::Ahead { gap } => {
                let gap = u64::from(gap);
                let phase = side.direction.as_ref().map(|d| &d.phase);
                let fresh = match phase {
                    None | Some(Phase::Idle) => true,
                    Some(Phase::Body(left)) => gap >= *left,
                    Some(_) => false,
                };
                if !fresh {
                    // Within a body of known length only where the bytes lie matters.
                    let end = gap.saturating_add(payload.len() as u64);
                    let how = match phase {
                        Some(Phase::Body(left)) if end <= *left => Hold::Count,
                        _ => Hold::Bytes,
                    };
                    side.bytes.hold(seq, (), payload, how, HELD_LIMITS);
                    self.mark_segment(frame);
                    return;
                }
                self.give_up(stream, sender, receiver);
                let Some(side) = self.sides.get_mut(stream, sender) else {
                    return;
                };
                side.bytes.skip_to(seq);
                match side.bytes.accept(seq, payload) {
                    Arrival::New(new) => new,
                    _ => return,
                }
            }
        };
        self.feed(stream, frame, ns, sender, receiver, new);
        // Held segments that now follow on.
        while let Some(following) = self
            .sides
            .get_mut(stream, sender)
            .and_then(|side| side.bytes.take_following())
        {
            match following {
                Following::Bytes((), bytes) => {
                    self.feed(stream, frame, ns, sender, receiver, &bytes);
                }
                // Body bytes that were only counted: any bytes of that length do, since a
                // body of known length is counted, not read.
                Following::Counted(len) => {
                    let mut left = len as usize;
                    while left > 0 {
                        let piece = left.min(COUNTED.len());
                        self.feed(stream, frame, ns, sender, receiver, &COUNTED[..piece]);
                        left -= piece;
                    }
                }
            }
        }
    }

    /// The sender's current message can no longer be completed: it is dropped. A final
    /// response still answers the oldest waiting request, as an incomplete response.
    fn give_up(&mut self, stream: u32, sender: P, receiver: P) {
        let Some(side) = self.sides.get_mut(stream, sender) else {
            return;
        };
        let Some(direction) = side.direction.take() else {
            return;
        };
        let missing = direction.missing(&side.bytes);
        self.cut_short(stream, receiver, &direction, missing);
    }

    /// A message that will not be completed: where it is a final response (its start line
    /// was read), it answers the oldest request `receiver` is waiting with, as incomplete.
    fn cut_short(&mut self, stream: u32, receiver: P, direction: &Direction, missing: Option<u64>) {
        let Some(StartKind::Response { status }) = direction.start else {
            return;
        };
        if (100..200).contains(&status) && status != 101 {
            return;
        }
        let Some(index) = self.sides.oldest_waiting(stream, receiver) else {
            return;
        };
        if let Some(exchange) = self.exchanges.get_mut(index as usize) {
            exchange.answer = Answer::Incomplete;
            exchange.status = status;
            exchange.response_line = direction.message.line;
            exchange.content_type = direction.message.content_type;
            self.incomplete.push((
                index,
                IncompleteResponse {
                    frame: direction.head_frame,
                    head_complete: direction.head_complete,
                    body_length: direction.body_length,
                    missing_bytes: missing,
                },
            ));
        }
        self.answer(stream, receiver);
    }

    /// Takes the oldest request of `receiver` off its waiting list: it has its final answer.
    fn answer(&mut self, stream: u32, receiver: P) {
        let Some(side) = self.sides.get_mut(stream, receiver) else {
            return;
        };
        let (first, _) = side.waiting;
        let Some(&next) = self.next_waiting.get(first as usize) else {
            return;
        };
        side.waiting.0 = next;
        if side.waiting.0 == NO_EXCHANGE {
            side.waiting.1 = NO_EXCHANGE;
        }
    }

    /// Parses bytes that follow on from what the sender sent before.
    fn feed(&mut self, stream: u32, frame: u32, ns: i64, sender: P, receiver: P, payload: &[u8]) {
        // The method of the request a response would answer (HEAD responses have no body).
        let method = self
            .sides
            .oldest_waiting(stream, receiver)
            .and_then(|x| self.exchanges.get(x as usize))
            .and_then(|x| KNOWN_METHODS.get(usize::from(x.method)).copied());
        let Some(side) = self.sides.entry(stream, sender) else {
            return;
        };
        let mut direction = side
            .direction
            .take()
            .or_else(|| self.spare.take())
            .unwrap_or_default();
        let mut completed = std::mem::take(&mut self.completed);
        direction.feed(frame, ns, payload, method, &mut self.store, &mut completed);
        let idle = matches!(direction.phase, Phase::Idle);
        if idle {
            // Between messages a direction keeps nothing: its state goes back to the spare.
            *direction = Direction::default();
            self.spare = Some(direction);
        } else {
            side.direction = Some(direction);
        }
        if completed.is_empty() {
            if !idle {
                self.mark_segment(frame);
            }
        } else {
            self.segments.remove(frame);
        }
        for message in completed.drain(..) {
            self.complete(stream, sender, receiver, message);
        }
        self.completed = completed;
    }

    /// What frame `number` shows of HTTP as far as the capture has been read (a message may
    /// still be completed by a later frame, or given up).
    pub fn frame_so_far(&self, number: u32) -> Option<FrameHttp<'_>> {
        frame_http(
            &self.messages,
            &self.exchanges,
            &self.segments,
            &self.store.texts,
            number,
        )
    }

    /// Records that `frame` carries bytes of a message (unless it completes one).
    fn mark_segment(&mut self, frame: u32) {
        if !self.messages.contains(frame) {
            self.segments.insert(frame);
        }
    }

    /// Records a completed message: in its frame's messages (after any the frame already
    /// completes), and as a request waiting for its answer or as a response answering one.
    fn complete(&mut self, stream: u32, sender: P, receiver: P, done: Complete) {
        match done.start {
            StartKind::Request { method } => {
                // An exchange's index leaves room for the flags of a message's reference.
                let Some(index) = u32::try_from(self.exchanges.len())
                    .ok()
                    .filter(|&i| i < RESPONSE)
                else {
                    self.messages.push_own(done.frame, done.message);
                    return;
                };
                if done.message.content_type.is_some() {
                    // Its exchange does not keep a request's Content-Type.
                    self.messages.push_own(done.frame, done.message);
                } else {
                    self.messages.push_of(done.frame, index, false);
                }
                self.push_exchange(stream, sender, method, &done);
            }
            StartKind::Response { status } => {
                let Some(index) = self.sides.oldest_waiting(stream, receiver) else {
                    self.messages.push_own(done.frame, done.message);
                    self.unpaired.push(UnpairedResponse {
                        stream,
                        frame: done.frame,
                        status,
                    });
                    return;
                };
                if (100..200).contains(&status) && status != 101 {
                    // Interim: the final response is still to come.
                    self.messages.push_own(done.frame, done.message);
                    self.interim.push((index, done.frame));
                    return;
                }
                let Some(exchange) = self.exchanges.get_mut(index as usize) else {
                    self.messages.push_own(done.frame, done.message);
                    return;
                };
                exchange.answer = Answer::Complete;
                exchange.response_frame = done.frame;
                exchange.status = status;
                exchange.response_line = done.message.line;
                exchange.content_type = done.message.content_type;
                exchange.ns = done.ns.saturating_sub(exchange.ns);
                self.messages.push_of(done.frame, index, true);
                self.answer(stream, receiver);
            }
        }
    }

    /// A request's exchange, waiting for its answer behind the sender's other requests.
    fn push_exchange(&mut self, stream: u32, sender: P, method: Option<u8>, done: &Complete) {
        let index = self.exchanges.len() as u32;
        self.exchanges.push(Exchange {
            stream,
            request_frame: done.frame,
            response_frame: 0,
            status: 0,
            answer: Answer::None,
            method: method.unwrap_or(NO_METHOD),
            request_line: done.message.line,
            response_line: Text::EMPTY,
            content_type: None,
            ns: done.ns,
        });
        self.next_waiting.push(NO_EXCHANGE);
        let Some(side) = self.sides.entry(stream, sender) else {
            return;
        };
        let last = std::mem::replace(&mut side.waiting.1, index);
        match self.next_waiting.get_mut(last as usize) {
            Some(next) => *next = index,
            None => side.waiting.0 = index,
        }
    }

    /// The sender's FIN (or RST) in `frame`: a body that runs until the connection closes ends
    /// there, as Wireshark places a message reassembled up to the FIN.
    pub fn close(&mut self, stream: u32, frame: u32, ts: Timestamp, sender: P, receiver: P) {
        let Some(direction) = self.sides.get_mut(stream, sender).and_then(|side| {
            side.direction
                .take_if(|d| matches!(d.phase, Phase::UntilClose))
        }) else {
            return;
        };
        let Direction { start, message, .. } = *direction;
        if let Some(start) = start {
            let ns = ts.as_nanos_i64();
            self.segments.remove(frame);
            self.complete(
                stream,
                sender,
                receiver,
                Complete {
                    start,
                    message,
                    frame,
                    ns,
                },
            );
        }
    }

    /// Ends the input: a body that runs until the connection closes ends with its last segment.
    pub fn finish(mut self) -> HttpPairs {
        let mut open: Vec<((u32, P), Complete)> = Vec::new();
        // Messages under way whose end was never captured.
        let mut cut: Vec<Cut<P>> = Vec::new();
        for (stream, slots) in self.sides.streams.iter_mut().enumerate() {
            for side in slots.iter_mut().flatten() {
                let Some(direction) = side.direction.take() else {
                    continue;
                };
                if !matches!(direction.phase, Phase::UntilClose) {
                    cut.push(Cut {
                        stream: stream as u32,
                        sender: side.name,
                        missing: direction.missing(&side.bytes),
                        direction,
                    });
                    continue;
                }
                let Direction {
                    start: Some(start),
                    message,
                    last_frame,
                    last_ns,
                    ..
                } = *direction
                else {
                    continue;
                };
                open.push((
                    (stream as u32, side.name),
                    Complete {
                        start,
                        message,
                        frame: last_frame,
                        ns: last_ns,
                    },
                ));
            }
        }
        open.sort_by_key(|(_, m)| m.frame);
        for (_, done) in &open {
            // The body's last frame completes it (its segment mark becomes the message).
            self.segments.remove(done.frame);
        }
        for ((stream, sender), done) in open {
            // The receiver is the stream's other endpoint (a response with no request
            // waiting there is unpaired).
            match self.sides.peer(stream, sender) {
                Some(receiver) => self.complete(stream, sender, receiver, done),
                None => {
                    self.messages.push_own(done.frame, done.message);
                    if let StartKind::Response { status } = done.start {
                        self.unpaired.push(UnpairedResponse {
                            stream,
                            frame: done.frame,
                            status,
                        });
                    }
                }
            }
        }
        cut.sort_by_key(|c| c.direction.head_frame);
        for c in cut {
            if let Some(receiver) = self.sides.peer(c.stream, c.sender) {
                self.cut_short(c.stream, receiver, &c.direction, c.missing);
            }
        }
        self.messages.sort();
        // Room taken ahead for the whole capture goes back (in place: no copy, see
        // `Analysis::finish`).
        self.messages.shrink_to_fit();
        // The waiting lists are done with: their links go back first.
        self.next_waiting = Vec::new();
        self.exchanges.shrink_to_fit();
        self.store.texts.shrink_to_fit();
        // The exchanges are grouped by stream (in request order within each), so that a
        // stream's are a range; the references to them follow.
        let streams = self.exchanges.iter().map(|x| x.stream);
        let groups = streams.clone().max().map_or(0, |s| s as usize + 1);
        let (moved, _) = regroup::places(streams.collect(), groups);
        regroup::permute(&mut self.exchanges, &moved);
        let to = |index: u32| moved.get(index as usize).copied().unwrap_or(index);
        self.messages.renumber_exchanges(to);
        for (x, _) in self.interim.iter_mut() {
            *x = to(*x);
        }
        self.interim.sort_by_key(|&(x, _)| x);
        for (x, _) in self.incomplete.iter_mut() {
            *x = to(*x);
        }
        self.incomplete.sort_by_key(|&(x, _)| x);
        self.incomplete.shrink_to_fit();
        let (interim_of, interim_frames) = self.interim.into_iter().unzip();
        HttpPairs {
            exchanges: self.exchanges,
            interim_of,
            interim_frames,
            incomplete: self.incomplete,
            unpaired_responses: self.unpaired,
            messages: self.messages,
            segments: self.segments,
            texts: self.store.texts,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(us: i64) -> Timestamp {
        Timestamp {
            secs: us / 1_000_000,
            nanos: ((us % 1_000_000) * 1000) as u32,
        }
    }

    /// The old two-pass search, as the reference for [`head_end`].
    fn head_end_by_windows(buf: &[u8], from: usize) -> Option<usize> {
        let rest = buf.get(from..)?;
        rest.windows(4)
            .position(|w| w == b"\r\n\r\n")
            .map(|p| from + p + 4)
            .or_else(|| {
                rest.windows(2)
                    .position(|w| w == b"\n\n")
                    .map(|p| from + p + 2)
            })
    }

    #[test]
    fn head_ends() {
        let cases: &[&[u8]] = &[
            b"",
            b"\n",
            b"\n\n",
            b"\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: x\r\n\r\nbody",
            b"GET / HTTP/1.1\nHost: x\n\nbody\r\n\r\n",
            b"a\n\nb\r\n\r\nc",
            b"a\r\n\nb",
            b"\r\r\n\r\n\n",
            b"x\r\n\r",
        ];
        for case in cases {
            for from in 0..=case.len() + 1 {
                assert_eq!(
                    head_end(case, from),
                    head_end_by_windows(case, from),
                    "{case:?} from {from}"
                );
            }
        }
    }

    #[test]
    fn start_lines() {
        assert_eq!(
            parse_start_line(b"GET /hello?name=world HTTP/1.1\r\nHost: x\r\n\r\n"),
            Some(StartLine::Request {
                method: "GET".into(),
                uri: "/hello?name=world".into(),
                version: "HTTP/1.1".into()
            })
        );
        assert_eq!(
            parse_start_line(b"HTTP/1.1 200 \r\n"),
            Some(StartLine::Response {
                version: "HTTP/1.1".into(),
                status: 200,
                reason: "".into()
            })
        );
        assert_eq!(parse_start_line(b"\x16\x03\x01 binary"), None);
        // Wireshark takes a known method alone as a (malformed) request.
        assert!(matches!(
            parse_start_line(b"GET"),
            Some(StartLine::Request { .. })
        ));
        assert_eq!(parse_start_line(b"GETTING there"), None);
        assert!(matches!(
            parse_start_line(b"OPTIONS HTTP/1.1\n"),
            Some(StartLine::Request { .. })
        ));
        assert_eq!(parse_start_line(b"hello world HTTP/1.1"), None);
        assert!(matches!(
            parse_start_line(b"CONNECT / HTTP/1.\n"),
            Some(StartLine::Request { .. })
        ));
        assert!(matches!(
            parse_start_line(b"BREW /pot HTTP/1.1\r\n"),
            Some(StartLine::Request { .. })
        ));
        assert_eq!(parse_start_line(b"HTTP/1.1 2000 x"), None);
        assert_eq!(parse_start_line(b""), None);
        assert_eq!(parse_start_line(&[0xff; 20000]), None);
    }

    /// Response frames by request frame, and what each frame shows.
    #[allow(clippy::type_complexity)]
    fn pairs(p: HttpPairer<&str>) -> (Vec<(u32, Option<u32>)>, Vec<(u32, bool)>) {
        let r = p.finish();
        (
            r.exchanges()
                .map(|e| (e.request_frame, e.response_frame))
                .collect(),
            {
                let mut frames: Vec<(u32, bool)> = r
                    .messages
                    .frames
                    .iter()
                    .map(|&n| (n, true))
                    .chain(r.segments.iter().map(|n| (n, false)))
                    .collect();
                frames.sort_unstable();
                frames
            },
        )
    }

    /// What is kept per exchange and per message stays small (see [`Exchange`]).
    #[test]
    fn exchanges_and_messages_are_kept_small() {
        assert!(size_of::<Exchange>() <= 48);
        assert!(size_of::<Message>() <= 16);
    }

    /// zeek/gap-recovery.pcap: bytes missing inside a response's body (Content-Length known)
    /// leave it incomplete; the next segment starting at or beyond its end starts afresh. The
    /// lost response still answers its request, so the next response pairs with the next one.
    #[test]
    fn a_gap_inside_a_body_leaves_the_message_incomplete() {
        let mut p = HttpPairer::new();
        let (c, s) = ("10.0.0.1:40000", "10.0.0.2:80");
        let head = b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n";
        let h = head.len() as u32;
        p.push_at(0, 1, ts(1), c, s, 1, b"GET /a HTTP/1.1\r\n\r\n", false);
        p.push_at(0, 2, ts(2), s, c, 1, head, false);
        p.push_at(0, 3, ts(3), s, c, 1 + h, b"0123", false); // 6 body bytes never seen
        p.push_at(0, 4, ts(4), c, s, 20, b"GET /b HTTP/1.1\r\n\r\n", false);
        let second = [&head[..], b"0123456789"].concat();
        p.push_at(0, 5, ts(5), s, c, 1 + h + 10, &second, false);
        let (exchanges, frames) = pairs(p);
        assert_eq!(exchanges, [(1, None), (4, Some(5))]);
        // The incomplete message's frames stay segments.
        assert_eq!(
            frames,
            [(1, true), (2, false), (3, false), (4, true), (5, true)]
        );
    }

    /// The exchanges' final responses as (request frame, status, what is missing).
    fn answers(p: HttpPairer<&str>) -> Vec<(u32, Option<u16>, Option<IncompleteResponse>)> {
        p.finish()
            .exchanges()
            .map(|x| (x.request_frame, x.status, x.response_incomplete))
            .collect()
    }

    fn cut(frame: u32, body_length: Option<u64>, missing_bytes: Option<u64>) -> IncompleteResponse {
        IncompleteResponse {
            frame,
            head_complete: true,
            body_length,
            missing_bytes,
        }
    }

    /// A response whose head was captured whole but whose body has a gap that is never
    /// filled answers its request: status, Content-Type, the head's frame and the bytes
    /// missing (held bytes beyond the gap are not missing), though no frame completes it.
    #[test]
    fn a_response_with_a_gap_in_its_body_is_still_a_response() {
        let (c, s) = ("10.0.0.1:40000", "10.0.0.2:80");
        let head = b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 100\r\n\r\n";
        let h = head.len() as u32;
        let mut p = HttpPairer::new();
        p.push_at(
            0,
            1,
            ts(1),
            c,
            s,
            1,
            b"GET /bytes?n=100 HTTP/1.1\r\n\r\n",
            false,
        );
        p.push_at(0, 2, ts(2), s, c, 1, head, false);
        p.push_at(0, 3, ts(3), s, c, 1 + h, &[b'x'; 20], false);
        // Bytes 20..30 never captured; 30..60 out of order, then 50..70 overlapping them.
        p.push_at(0, 4, ts(4), s, c, 1 + h + 30, &[b'x'; 30], false);
        p.push_at(0, 5, ts(5), s, c, 1 + h + 50, &[b'x'; 20], false);
        // The capture ends: 20..30 and 70..100 are missing.
        let r = p.finish();
        let [x] = &r.exchanges().collect::<Vec<_>>()[..] else {
            panic!("one exchange");
        };
        assert_eq!(
            (x.response_frame, x.status, x.reason, x.content_type, x.time),
            (
                None,
                Some(200),
                Some("OK"),
                Some("application/octet-stream"),
                None
            )
        );
        assert_eq!(x.response_incomplete, Some(cut(2, Some(100), Some(40))));
        // The frames stay segments, as tshark lists them.
        assert!(matches!(r.frame(2), Some(FrameHttp::Segment)));
    }

    /// A head over two segments, then a gap: the head's frame is the second; a body cut by
    /// the next response (which starts beyond its end) is given up with its count, and the
    /// next response pairs with the next request; a chunked body's missing bytes are not
    /// known; a head cut before its end gives the status of its start line.
    #[test]
    fn what_a_cut_response_lacks() {
        let (c, s) = ("10.0.0.1:40000", "10.0.0.2:80");
        let head = b"HTTP/1.1 206 Partial Content\r\nContent-Length: 10\r\nX-Long: aaaa\r\n\r\n";
        let h = head.len() as u32;
        let mut p = HttpPairer::new();
        p.push_at(0, 1, ts(1), c, s, 1, b"GET /a HTTP/1.1\r\n\r\n", false);
        p.push_at(0, 2, ts(2), c, s, 22, b"GET /b HTTP/1.1\r\n\r\n", false);
        p.push_at(0, 3, ts(3), s, c, 1, &head[..30], false);
        p.push_at(0, 4, ts(4), s, c, 31, &head[30..], false);
        p.push_at(0, 5, ts(5), s, c, 1 + h, b"012", false); // 7 body bytes never seen
        let second = [&head[..], b"0123456789"].concat();
        p.push_at(0, 6, ts(6), s, c, 1 + h + 10, &second, false);
        assert_eq!(
            answers(p),
            [
                (1, Some(206), Some(cut(4, Some(10), Some(7)))),
                (2, Some(206), None)
            ]
        );

        let chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab";
        let mut p = HttpPairer::new();
        p.push_at(0, 1, ts(1), c, s, 1, b"GET /a HTTP/1.1\r\n\r\n", false);
        p.push_at(0, 2, ts(2), s, c, 1, chunked, false);
        assert_eq!(answers(p), [(1, Some(200), Some(cut(2, None, None)))]);

        let mut p = HttpPairer::new();
        p.push_at(0, 1, ts(1), c, s, 1, b"GET /a HTTP/1.1\r\n\r\n", false);
        p.push_at(
            0,
            2,
            ts(2),
            s,
            c,
            1,
            b"HTTP/1.1 404 Not Found\r\nServer: x",
            false,
        );
        let head_cut = IncompleteResponse {
            head_complete: false,
            ..cut(2, None, None)
        };
        assert_eq!(answers(p), [(1, Some(404), Some(head_cut))]);
    }

    /// Body bytes beyond a gap are counted, not kept: a long transfer after one hole is one
    /// range, whatever the number of its segments, and fills in when the hole does.
    #[test]
    fn counted_body_bytes_are_one_range() {
        let (c, s) = ("10.0.0.1:40000", "10.0.0.2:80");
        let n = 20_000u32;
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n",
            100 * (n + 1)
        );
        let h = head.len() as u32;
        let mut p = HttpPairer::new();
        p.push_at(0, 1, ts(1), c, s, 1, b"GET / HTTP/1.1\r\n\r\n", false);
        p.push_at(0, 2, ts(2), s, c, 1, head.as_bytes(), false);
        for i in 1..=n {
            p.push_at(0, 2 + i, ts(3), s, c, 1 + h + 100 * i, &[b'x'; 100], false);
        }
        let held = p.sides.get(0, s).map(|side| side.bytes.held_pieces());
        assert_eq!(held, Some((0, 1)));
        // The hole is filled: the response is whole, in the frame that filled it.
        p.push_at(0, 3 + n, ts(4), s, c, 1 + h, &[b'x'; 100], false);
        let (exchanges, _) = pairs(p);
        assert_eq!(exchanges, [(1, Some(3 + n))]);
    }

    /// zeek/206_example_a.pcap and vnd.ms-cab-compressed-multi-conn.pcap: repeated bytes
    /// (spurious or fast retransmissions, duplicated frames) count once, and out-of-order
    /// bytes wait for the gap before them; the frame that fills it completes the message.
    #[test]
    fn reassembles_by_sequence_number() {
        let mut p = HttpPairer::new();
        let (c, s) = ("10.0.0.1:40000", "10.0.0.2:80");
        let head = b"HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\n";
        let h = head.len() as u32;
        p.push_at(0, 1, ts(1), c, s, 1, b"GET / HTTP/1.1\r\n\r\n", false);
        p.push_at(0, 2, ts(2), s, c, 1, head, false);
        p.push_at(0, 3, ts(3), s, c, 1 + h, b"01", false);
        p.push_at(0, 4, ts(4), s, c, 1 + h, b"01", false); // a repeat: nothing new
        p.push_at(0, 5, ts(5), s, c, 1 + h + 4, b"4567", false); // out of order
        p.push_at(0, 6, ts(6), s, c, 1 + h + 1, b"123", false); // overlaps, fills the gap
        let (exchanges, frames) = pairs(p);
        assert_eq!(exchanges, [(1, Some(6))]);
        assert_eq!(
            frames,
            [(1, true), (2, false), (3, false), (5, false), (6, true)]
        );
    }

    /// zeek/206_example_b.pcap frame 262: a segment flagged as a plain retransmission that
    /// also carries new bytes past the highest seen does not complete the message (tshark
    /// 4.0 leaves them out of its reassembly), and the message after it is read at its start.
    #[test]
    fn a_retransmission_brings_no_bytes() {
        let mut p = HttpPairer::new();
        let (c, s) = ("10.0.0.1:40000", "10.0.0.2:80");
        let head = b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n";
        let h = head.len() as u32;
        p.push_at(0, 1, ts(1), c, s, 1, b"GET / HTTP/1.1\r\n\r\n", false);
        p.push_at(0, 2, ts(2), s, c, 1, head, false);
        p.push_at(0, 3, ts(3), s, c, 1 + h, b"01", false);
        p.push_at(0, 4, ts(4), s, c, 1 + h, b"0123", true);
        p.push_at(0, 5, ts(5), c, s, 20, b"GET / HTTP/1.1\r\n\r\n", false);
        p.push_at(0, 6, ts(6), s, c, 1 + h + 4, head, false);
        p.push_at(0, 7, ts(7), s, c, 1 + 2 * h + 4, b"abcd", false);
        let (exchanges, _) = pairs(p);
        assert_eq!(exchanges, [(1, None), (5, Some(7))]);
    }

    /// Sequence numbers that wrap, absurd jumps and empty payloads never panic.
    #[test]
    fn push_at_survives_odd_numbers() {
        let mut p = HttpPairer::new();
        let (c, s) = ("a", "b");
        p.push_at(
            0,
            1,
            ts(1),
            c,
            s,
            u32::MAX - 3,
            b"GET / HTTP/1.1\r\n\r\n",
            false,
        );
        p.push_at(
            0,
            2,
            ts(2),
            s,
            c,
            u32::MAX,
            b"HTTP/1.1 200 OK\r\nContent-Length: 900\r\n\r\n",
            false,
        );
        p.push_at(0, 3, ts(3), s, c, 0x7fff_ffff, b"x", false);
        p.push_at(0, 4, ts(4), s, c, 0x8000_0000, b"y", false);
        p.push_at(0, 5, ts(5), s, c, 7, b"", false);
        p.push_at(0, 6, ts(6), s, c, 39, &[0u8; 2000], false);
        let _ = p.finish();
    }

    /// Found by tests/analysis.test.mjs (zeek/connect-with-header.pcap): the 200 answering a
    /// CONNECT has no body, so it is the response, not the tunnel's last frame.
    #[test]
    fn connect_2xx_has_no_body() {
        let mut p = HttpPairer::new();
        let (c, s) = ("[::1]:52522", "[::1]:80");
        p.push(
            0,
            5,
            ts(352),
            c,
            s,
            b"CONNECT example.com:443 HTTP/1.1\r\n\r\n",
            false,
        );
        p.push(
            0,
            7,
            ts(120_920),
            s,
            c,
            b"HTTP/1.0 200 Connection Established\r\n\r\n",
            false,
        );
        p.push(0, 9, ts(121_000), c, s, b"\x16\x03\x01 client hello", false);
        p.push(
            0,
            57,
            ts(691_217),
            s,
            c,
            b"\x17\x03\x03 application data",
            false,
        );
        let pairs = p.finish();
        let e: Vec<_> = pairs.exchanges().collect();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].response_frame, Some(7));
        assert_eq!(e[0].status, Some(200));
    }

    /// Exchanges are kept grouped by stream whatever the order of their requests, and every
    /// frame still shows its own messages (the references to the exchanges follow them).
    #[test]
    fn exchanges_are_grouped_by_stream() {
        let mut p = HttpPairer::new();
        let (c1, c0, s) = ("10.0.0.1:40001", "10.0.0.1:40000", "10.0.0.2:80");
        p.push(1, 1, ts(1), c1, s, b"GET /one HTTP/1.1\r\n\r\n", false);
        p.push(0, 2, ts(2), c0, s, b"GET /zero HTTP/1.1\r\n\r\n", false);
        p.push(1, 3, ts(3), s, c1, b"HTTP/1.1 100 Continue\r\n\r\n", false);
        let ok = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
        p.push(1, 4, ts(4), s, c1, ok, false);
        let gone = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
        p.push(0, 5, ts(5), s, c0, gone, false);
        let pairs = p.finish();
        let e: Vec<_> = pairs.exchanges().collect();
        let seen: Vec<_> = e
            .iter()
            .map(|x| {
                (
                    x.stream,
                    x.uri,
                    x.interim_frames,
                    x.response_frame,
                    x.status,
                )
            })
            .collect();
        assert_eq!(
            seen,
            vec![
                (0, "/zero", &[][..], Some(5), Some(404)),
                (1, "/one", &[3][..], Some(4), Some(200)),
            ]
        );
        assert_eq!(
            pairs.exchanges_of_stream(1).next().map(|x| x.uri),
            Some("/one")
        );
        let lines = |n: u32| match pairs.frame(n) {
            Some(FrameHttp::Messages(list)) => list.iter().map(|m| m.line).collect(),
            _ => Vec::new(),
        };
        assert_eq!(lines(1), vec!["GET /one HTTP/1.1"]);
        assert_eq!(lines(2), vec!["GET /zero HTTP/1.1"]);
        assert_eq!(lines(3), vec!["HTTP/1.1 100 Continue"]);
        assert_eq!(lines(4), vec!["HTTP/1.1 200 OK"]);
        assert_eq!(lines(5), vec!["HTTP/1.1 404 Not Found"]);
        let in_frame = |stream: u32, n: u32| -> Vec<_> {
            let found = pairs.exchanges_in_frame(stream, n);
            found.iter().map(|x| x.uri).collect()
        };
        assert_eq!(in_frame(1, 3), vec!["/one"]);
        assert_eq!(in_frame(1, 4), vec!["/one"]);
        assert_eq!(in_frame(0, 2), vec!["/zero"]);
        assert_eq!(in_frame(0, 5), vec!["/zero"]);
        assert!(in_frame(0, 3).is_empty() && in_frame(2, 1).is_empty());
    }

    /// Found by tests/analysis.test.mjs (zeek/tcp-fast-open.pcap): a response without length
    /// ends at the server's FIN, in the FIN's frame (where tshark places it).
    #[test]
    fn body_until_close_ends_at_the_senders_fin() {
        let mut p = HttpPairer::new();
        let (c, s) = ("10.99.99.1:55533", "10.99.99.45:80");
        p.push(
            0,
            3,
            ts(761),
            c,
            s,
            b"GET /index.php HTTP/1.0\r\n\r\n",
            false,
        );
        p.push(
            0,
            5,
            ts(6514),
            s,
            c,
            b"HTTP/1.1 302 Moved Temporarily\r\n\r\nbody",
            false,
        );
        // The client's FIN does not end the server's body; the server's does.
        p.close(0, 4, ts(6000), c, s);
        p.close(0, 6, ts(6713), s, c);
        let pairs = p.finish();
        let e: Vec<_> = pairs.exchanges().collect();
        assert_eq!(e[0].response_frame, Some(6));
        assert_eq!(e[0].time, Some(0.005952));
    }

    /// Spaces and tabs around a header's value are not part of it; another Unicode space is
    /// (a Content-Length of "\u{a0}3" is no length: the body runs to the close).
    #[test]
    fn header_whitespace_is_spaces_and_tabs() {
        let (c, s) = ("10.0.0.1:40000", "10.0.0.2:80");
        let response_frame = |head: &str| {
            let mut p = HttpPairer::new();
            p.push(0, 1, ts(1), c, s, b"GET / HTTP/1.1\r\n\r\n", false);
            let message = format!("HTTP/1.1 200 OK\r\n{head}\r\n\r\nabc");
            p.push(0, 2, ts(2), s, c, message.as_bytes(), false);
            p.close(0, 3, ts(3), s, c);
            let pairs = p.finish();
            let first = pairs.exchanges().next().map(|x| x.response_frame);
            first.flatten()
        };
        assert_eq!(response_frame("Content-Length:3"), Some(2));
        assert_eq!(response_frame("content-length: \t3\t "), Some(2));
        assert_eq!(response_frame("Content-Length:\u{a0}3"), Some(3));
    }

    #[test]
    fn tutorial_exchange_and_pipelining() {
        let mut p = HttpPairer::new();
        let (c, s) = ("10.0.0.1:5000", "10.0.0.2:80");
        p.push(
            0,
            4,
            ts(462094),
            c,
            s,
            b"GET /hello?name=world HTTP/1.1\r\n\r\n",
            false,
        );
        p.push(0, 6, ts(464705), s, c, b"HTTP/1.1 200 \r\n\r\nhi", false);
        // Pipelined: two requests, then two responses, plus a 100 Continue and a retransmission.
        p.push(
            1,
            10,
            ts(1_000_000),
            c,
            s,
            b"POST /a HTTP/1.1\r\n\r\n",
            false,
        );
        p.push(
            1,
            11,
            ts(1_000_100),
            c,
            s,
            b"GET /b HTTP/1.1\r\n\r\n",
            false,
        );
        p.push(1, 12, ts(1_000_200), c, s, b"GET /b HTTP/1.1\r\n\r\n", true);
        p.push(
            1,
            13,
            ts(1_000_300),
            s,
            c,
            b"HTTP/1.1 100 Continue\r\n\r\n",
            false,
        );
        p.push(
            1,
            14,
            ts(1_000_400),
            s,
            c,
            b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n",
            false,
        );
        p.push(
            1,
            15,
            ts(1_000_500),
            s,
            c,
            b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n",
            false,
        );
        p.push(
            2,
            20,
            ts(2_000_000),
            s,
            c,
            b"HTTP/1.0 200 OK\r\n\r\n",
            false,
        );
        p.push(
            3,
            30,
            ts(3_000_000),
            c,
            s,
            b"POST /c HTTP/1.1\r\nContent-Type: text/plain\r\nContent-Length: 0\r\n\r\n",
            false,
        );
        let pairs = p.finish();
        // What each frame shows: a request's or final response's line is its exchange's; the
        // interim and unpaired responses and a request with a Content-Type are kept apart.
        let shown = |n: u32| match pairs.frame(n) {
            Some(FrameHttp::Messages(list)) => list
                .iter()
                .map(|v| (v.line.to_string(), v.content_type.map(str::to_string)))
                .collect(),
            _ => Vec::new(),
        };
        let line = |l: &str| vec![(l.to_string(), None)];
        assert_eq!(shown(4), line("GET /hello?name=world HTTP/1.1"));
        assert_eq!(shown(6), line("HTTP/1.1 200 "));
        assert_eq!(shown(10), line("POST /a HTTP/1.1"));
        assert_eq!(shown(11), line("GET /b HTTP/1.1"));
        assert_eq!(shown(12), Vec::new());
        assert_eq!(shown(13), line("HTTP/1.1 100 Continue"));
        assert_eq!(shown(14), line("HTTP/1.1 201 Created"));
        assert_eq!(shown(15), line("HTTP/1.1 404 Not Found"));
        assert_eq!(shown(20), line("HTTP/1.0 200 OK"));
        assert_eq!(
            shown(30),
            vec![(
                "POST /c HTTP/1.1".to_string(),
                Some("text/plain".to_string())
            )]
        );
        let e: Vec<_> = pairs.exchanges().collect();
        assert_eq!(e.len(), 4);
        assert_eq!(
            (e[0].request_frame, e[0].response_frame, e[0].status),
            (4, Some(6), Some(200))
        );
        assert!((e[0].time.unwrap_or(0.0) - 0.002611).abs() < 1e-9);
        assert_eq!(
            (e[1].request_frame, e[1].response_frame, e[1].interim_frames),
            (10, Some(14), &[13][..])
        );
        assert_eq!(
            (e[2].request_frame, e[2].response_frame, e[2].status),
            (11, Some(15), Some(404))
        );
        assert_eq!(pairs.unpaired_responses.len(), 1);
        assert_eq!(pairs.unpaired_responses[0].frame, 20);
    }
}

/// Pairing against tshark's http.request_in on real captures (skipped without tshark).
#[cfg(test)]
mod tshark_tests {
    use super::*;
    use std::collections::HashMap;
    use std::process::Command;

    fn hex(text: &str) -> Vec<u8> {
        let clean: Vec<u8> = text.bytes().filter(|b| b.is_ascii_hexdigit()).collect();
        clean
            .chunks(2)
            .filter_map(|pair| {
                std::str::from_utf8(pair)
                    .ok()
                    .and_then(|s| u8::from_str_radix(s, 16).ok())
            })
            .collect()
    }

    fn tshark_available() -> bool {
        Command::new("tshark")
            .arg("-v")
            .output()
            .is_ok_and(|o| o.status.success())
    }

    #[test]
    fn pairs_like_tshark() {
        if !tshark_available() {
            println!("SKIPPED: tshark not installed");
            return;
        }
        let paths = crate::test_captures::capture_paths(&[
            "seed/demo.pcap",
            "public/zeek/get.pcap",
            "public/zeek/pipelined-requests.pcap",
            "public/zeek/100-continue.pcap",
            "public/zeek/methods.pcap",
            "public/zeek/http-vlan-0.pcap",
        ]);
        let (agree, total) = agreement(&paths);
        println!("http.request_in agreement: {agree}/{total}");
        assert!(total == 0 || agree * 10 >= total * 9, "{agree}/{total}");
    }

    /// Every shared zeek capture (run with --ignored --nocapture).
    #[test]
    #[ignore]
    fn pairs_like_tshark_everywhere() {
        if !tshark_available() {
            return;
        }
        let paths: Vec<_> = crate::test_captures::all_captures()
            .into_iter()
            .filter(|p| p.parent().is_some_and(|d| d.ends_with("public/zeek")))
            .collect();
        let (agree, total) = agreement(&paths);
        println!("http.request_in agreement: {agree}/{total}");
    }

    /// Feeds tshark's segments of each capture to a pairer; counts the responses whose
    /// http.request_in we reproduce.
    fn agreement(paths: &[std::path::PathBuf]) -> (u32, u32) {
        let (mut agree, mut total) = (0, 0);
        for path in paths {
            let file = path.display();
            let Ok(out) = Command::new("tshark")
                .args(["-2", "-n", "-r"])
                .arg(path)
                .args([
                    "-Y",
                    "tcp && !icmp",
                    "-T",
                    "fields",
                    "-E",
                    "separator=/t",
                    "-E",
                    "occurrence=f",
                ])
                .args([
                    "-e",
                    "frame.number",
                    "-e",
                    "frame.time_epoch",
                    "-e",
                    "tcp.stream",
                ])
                .args([
                    "-e",
                    "ip.src",
                    "-e",
                    "ipv6.src",
                    "-e",
                    "tcp.srcport",
                    "-e",
                    "ip.dst",
                    "-e",
                    "ipv6.dst",
                ])
                .args([
                    "-e",
                    "tcp.dstport",
                    "-e",
                    "tcp.analysis.retransmission",
                    "-e",
                    "http.request_in",
                ])
                .args(["-e", "tcp.payload"])
                .output()
            else {
                continue;
            };
            let mut pairer = HttpPairer::new();
            let mut expected = Vec::new();
            // Endpoints named by number: the pairer keys on small copyable names.
            let mut names: HashMap<String, u32> = HashMap::default();
            let mut name = |text: String| {
                let next = names.len() as u32;
                *names.entry(text).or_insert(next)
            };
            for line in String::from_utf8_lossy(&out.stdout).lines() {
                let c: Vec<&str> = line.split('\t').collect();
                if c.len() < 12 {
                    continue;
                }
                let frame: u32 = c[0].parse().unwrap_or(0);
                let (secs, frac) = c[1].split_once('.').unwrap_or((c[1], "0"));
                let ts = Timestamp {
                    secs: secs.parse().unwrap_or(0),
                    nanos: format!("{frac:0<9}")[..9].parse().unwrap_or(0),
                };
                let sender = name(format!("{}{}:{}", c[3], c[4], c[5]));
                let receiver = name(format!("{}{}:{}", c[6], c[7], c[8]));
                pairer.push(
                    c[2].parse().unwrap_or(0),
                    frame,
                    ts,
                    sender,
                    receiver,
                    &hex(c[11]),
                    !c[9].is_empty(),
                );
                if let Ok(request) = c[10].parse::<u32>() {
                    expected.push((frame, request));
                }
            }
            let pairs = pairer.finish();
            for (response, request) in expected {
                total += 1;
                let ours = pairs.exchanges().find(|e| {
                    e.response_frame == Some(response) || e.interim_frames.contains(&response)
                });
                if ours.map(|e| e.request_frame) == Some(request) {
                    agree += 1;
                } else {
                    println!(
                        "{file}: response {response} tshark request_in {request}, ours {:?}",
                        ours.map(|e| e.request_frame)
                    );
                }
            }
        }
        (agree, total)
    }
}
