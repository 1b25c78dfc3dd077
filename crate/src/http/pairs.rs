//! What pairing leaves of a capture: [`HttpPairs`] (the exchanges, and the messages each frame
//! completes) and the views the rest of the crate reads ([`HttpExchange`], [`FrameHttp`],
//! [`MessageList`], [`HttpView`]).
//!
//! Promise: nothing here panics; an exchange is kept in 48 bytes and a message that is its
//! exchange's request or final response in 4, with their texts in one arena; a reference that
//! names nothing kept reads as an empty message.

use super::texts::{Text, Texts};
use crate::decode::http::{request_parts, response_reason};
use serde::Serialize;

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
pub(super) struct Exchange {
    pub(super) stream: u32,
    pub(super) request_frame: u32,
    /// The final response's frame, when `answer` is complete; its status, unless unanswered.
    pub(super) response_frame: u32,
    pub(super) status: u16,
    pub(super) answer: Answer,
    /// The request's method as an index of [`KNOWN_METHODS`], or [`NO_METHOD`] (read while
    /// pairing: a response to HEAD has no body).
    pub(super) method: u8,
    pub(super) request_line: Text,
    /// The final response's start line (its reason phrase) and Content-Type.
    pub(super) response_line: Text,
    pub(super) content_type: Option<Text>,
    /// The request's time (ns) until it is answered, then the time from request to response.
    pub(super) ns: i64,
}

/// [`Exchange::method`] of a method not in [`KNOWN_METHODS`].
pub(super) const NO_METHOD: u8 = u8::MAX;

/// What came back for a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Answer {
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
    pub(super) exchanges: Vec<Exchange>,
    /// Interim responses' frames by exchange (sorted by exchange), in two columns.
    pub(super) interim_of: Vec<u32>,
    pub(super) interim_frames: Vec<u32>,
    /// The incomplete final responses, by exchange (sorted; few).
    pub(super) incomplete: Vec<(u32, IncompleteResponse)>,
    pub unpaired_responses: Vec<UnpairedResponse>,
    /// The messages, each with the frame that completes it, sorted by frame (a frame that
    /// completes several, as with pipelining, has them side by side in the order sent).
    pub(super) messages: Messages,
    /// The other frames that carry HTTP bytes, one bit per frame number: a bit set, not a
    /// map, since in a long transfer nearly every frame is one.
    pub(super) segments: FrameSet,
    /// The start lines and Content-Types of messages and exchanges.
    pub(super) texts: Texts,
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

pub(super) fn frame_http<'a>(
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
pub(super) struct Message {
    pub(super) line: Text,
    pub(super) content_type: Option<Text>,
}

/// [`Messages::refs`]: the message is [`Messages::own`]`[ref & !OWN]`...
const OWN: u32 = 1 << 31;
/// ...else the final response of exchange `ref & !RESPONSE` when this is set, else its request.
pub(super) const RESPONSE: u32 = 1 << 30;

/// Messages by the frame that completes each, in flat columns rather than a map of lists: a
/// capture of small exchanges has one message every few frames, and a map entry with a list
/// of its own costs more than the message. A request or a final response is its exchange's
/// (whose start lines and Content-Type are the message's): 4 bytes rather than 16.
#[derive(Clone, Debug, Default)]
pub(super) struct Messages {
    pub(super) frames: Vec<u32>,
    pub(super) refs: Vec<u32>,
    /// The other messages: interim and unpaired responses, requests with a Content-Type.
    pub(super) own: Vec<Message>,
}

impl Messages {
    pub(super) fn kept(&self) -> usize {
        use crate::kept::vec;
        vec(&self.frames) + vec(&self.refs) + vec(&self.own)
    }

    /// The messages frame `number` completes (None when it completes none).
    pub(super) fn of(&self, number: u32) -> Option<&[u32]> {
        let run = run(&self.frames, number, |&n| n);
        (!run.is_empty()).then(|| &self.refs[run])
    }

    /// Whether frame `number` completes a message.
    pub(super) fn contains(&self, number: u32) -> bool {
        self.of(number).is_some()
    }

    pub(super) fn len(&self) -> usize {
        self.frames.len()
    }

    pub(super) fn reserve(&mut self, more: usize) {
        self.frames.reserve(more);
        self.refs.reserve(more);
    }

    /// Adds a message completed by `frame`, after the others of that frame. Frames come in
    /// capture order while reading; [`Messages::sort`] puts late additions in place.
    pub(super) fn push_own(&mut self, frame: u32, message: Message) {
        let index = self.own.len() as u32;
        self.own.push(message);
        self.frames.push(frame);
        self.refs.push(index | OWN);
    }

    /// Adds exchange `exchange`'s request or final response (see [`Messages::push_own`]).
    pub(super) fn push_of(&mut self, frame: u32, exchange: u32, response: bool) {
        self.frames.push(frame);
        self.refs
            .push(exchange | if response { RESPONSE } else { 0 });
    }

    /// Orders by frame, keeping the order of messages within a frame.
    pub(super) fn sort(&mut self) {
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
    pub(super) fn renumber_exchanges(&mut self, to: impl Fn(u32) -> u32) {
        for r in self.refs.iter_mut() {
            if *r & OWN == 0 {
                *r = to(*r & !RESPONSE) | (*r & RESPONSE);
            }
        }
    }

    pub(super) fn shrink_to_fit(&mut self) {
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
