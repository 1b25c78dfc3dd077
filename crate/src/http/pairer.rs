//! The pairer: each stream's two endpoints (their bytes in sequence order, the message each is
//! sending, the requests each waits on) and the pairing of responses with requests.
//!
//! Promise: pairing as [`crate::http`] promises it; besides, between messages an endpoint keeps
//! only its byte stream and its requests waiting for an answer, and beyond a gap it holds no
//! more than [`HELD_LIMITS`].

use super::message::{Complete, MessageParser, Phase};
use super::pairs::{
    frame_http, Answer, Exchange, FrameHttp, FrameSet, HttpPairs, IncompleteResponse, Messages,
    UnpairedResponse, NO_METHOD, RESPONSE,
};
use super::texts::{Store, Text};
use crate::capture::Timestamp;
use crate::decode::http::{StartKind, KNOWN_METHODS};
use crate::regroup;
use crate::tcp::stream::{Arrival, ByteStream, Following, Hold, Limits};
use crate::tcp::SeqNumber;

/// A message under way that will not be completed, and the body bytes it lacks.
struct Cut<P> {
    stream: u32,
    sender: P,
    parser: Box<MessageParser>,
    missing: Option<u64>,
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
    parser: Option<Box<MessageParser>>,
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
            parser: None,
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
    spare: Option<Box<MessageParser>>,
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
                let phase = side.parser.as_ref().map(|parser| &parser.phase);
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
        let Some(parser) = side.parser.take() else {
            return;
        };
        let missing = parser.missing(&side.bytes);
        self.cut_short(stream, receiver, &parser, missing);
    }

    /// A message that will not be completed: where it is a final response (its start line
    /// was read), it answers the oldest request `receiver` is waiting with, as incomplete.
    fn cut_short(
        &mut self,
        stream: u32,
        receiver: P,
        parser: &MessageParser,
        missing: Option<u64>,
    ) {
        let Some(StartKind::Response { status }) = parser.start else {
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
            exchange.response_line = parser.message.line;
            exchange.content_type = parser.message.content_type;
            self.incomplete.push((
                index,
                IncompleteResponse {
                    frame: parser.head_frame,
                    head_complete: parser.head_complete,
                    body_length: parser.body_length,
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
        let mut parser = side
            .parser
            .take()
            .or_else(|| self.spare.take())
            .unwrap_or_default();
        let mut completed = std::mem::take(&mut self.completed);
        parser.feed(frame, ns, payload, method, &mut self.store, &mut completed);
        let idle = matches!(parser.phase, Phase::Idle);
        if idle {
            // Between messages a direction keeps nothing: its state goes back to the spare.
            *parser = MessageParser::default();
            self.spare = Some(parser);
        } else {
            side.parser = Some(parser);
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

    /// What endpoint `name` of `stream` holds beyond a gap: segments and counted ranges.
    #[cfg(test)]
    pub(super) fn held_pieces(&self, stream: u32, name: P) -> Option<(usize, usize)> {
        self.sides
            .get(stream, name)
            .map(|side| side.bytes.held_pieces())
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
        let Some(parser) = self.sides.get_mut(stream, sender).and_then(|side| {
            side.parser
                .take_if(|d| matches!(d.phase, Phase::UntilClose))
        }) else {
            return;
        };
        let MessageParser { start, message, .. } = *parser;
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
                let Some(parser) = side.parser.take() else {
                    continue;
                };
                if !matches!(parser.phase, Phase::UntilClose) {
                    cut.push(Cut {
                        stream: stream as u32,
                        sender: side.name,
                        missing: parser.missing(&side.bytes),
                        parser,
                    });
                    continue;
                }
                let MessageParser {
                    start: Some(start),
                    message,
                    last_frame,
                    last_ns,
                    ..
                } = *parser
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
        cut.sort_by_key(|c| c.parser.head_frame);
        for c in cut {
            if let Some(receiver) = self.sides.peer(c.stream, c.sender) {
                self.cut_short(c.stream, receiver, &c.parser, c.missing);
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
