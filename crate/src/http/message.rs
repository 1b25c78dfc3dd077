//! One endpoint's messages: start line, head and body, read from the bytes it sends, in order.
//!
//! Promise: [`MessageParser::feed`] never panics; it gathers at most [`MAX_HEADER_BYTES`] of a
//! head spread over segments (beyond, the message is given up), and gives every message whose
//! last byte it was given, in order, with the frame that gave that byte (a segment may complete
//! several). Between messages, a segment that does not start with a start line is passed over.

use super::chunked::ChunkState;
use super::framing::{head_end, text_of, Body, Framing};
use super::pairs::Message;
use super::texts::Store;
use crate::decode::http::{start_line, StartKind};
use crate::tcp::stream::ByteStream;

/// Headers kept per message while they arrive; beyond this a message is given up on.
pub(super) const MAX_HEADER_BYTES: usize = 65_536;

/// Where a direction's byte stream is in the current message.
#[derive(Clone, Debug, Default)]
pub(super) enum Phase {
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

impl Phase {
    /// Where a message is once its head is read.
    fn after_head(body: Body) -> Phase {
        match body {
            Body::None => Phase::Idle,
            Body::Length(length) => Phase::Body(length),
            Body::Chunked => Phase::Chunked(ChunkState::START),
            Body::UntilClose => Phase::UntilClose,
        }
    }
}

/// The message one endpoint of a stream is sending, read as its bytes come in order.
#[derive(Default)]
pub(super) struct MessageParser {
    pub(super) phase: Phase,
    pub(super) start: Option<StartKind>,
    /// The current message's start line as sent, and its Content-Type once headers end.
    pub(super) message: Message,
    headers: Vec<u8>,
    pub(super) last_frame: u32,
    pub(super) last_ns: i64,
    /// The current message's head: the frame of its start line, then the frame where the head
    /// ended; whether it ended; the body's length where Content-Length gave one.
    pub(super) head_frame: u32,
    pub(super) head_complete: bool,
    pub(super) body_length: Option<u64>,
}

/// A message whose last byte has been seen.
pub(super) struct Complete {
    pub(super) start: StartKind,
    pub(super) message: Message,
    pub(super) frame: u32,
    pub(super) ns: i64,
}

impl MessageParser {
    /// The bytes of the current body that `bytes` lacks, where the body's length is known.
    pub(super) fn missing(&self, bytes: &ByteStream) -> Option<u64> {
        match self.phase {
            Phase::Body(left) => Some(left.saturating_sub(bytes.held_within(left))),
            _ => None,
        }
    }

    /// The body ends in `frame`: the message is complete, and the parser between messages.
    fn end_body(&mut self, frame: u32, ns: i64, done: &mut Vec<Complete>) {
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

    /// Feeds one segment's payload; adds the messages it completed to `done`.
    pub(super) fn feed(
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
                    self.phase = Phase::after_head(framing.body(start, request_method));
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
                        self.end_body(frame, ns, done);
                    }
                }
                Phase::Chunked(state) => {
                    let (used, ended) = state.advance(bytes);
                    bytes = &bytes[used.min(bytes.len())..];
                    if ended {
                        self.end_body(frame, ns, done);
                    }
                }
                Phase::UntilClose => return,
            }
        }
    }
}
