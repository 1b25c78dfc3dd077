//! HTTP/1.x request/response pairing over the TCP tracker's streams.
//!
//! Promise: [`HttpPairer`] never panics and keeps at most 64 KiB of headers per direction. A
//! message starts where an endpoint's bytes, between messages, begin with a start line (as
//! [`crate::decode::http::start_line`] recognises one: a request line of a known or upper-case
//! method, or `HTTP/1.x SP ddd`), and ends where its framing says (Content-Length, chunked, no
//! body for HEAD/1xx/204/304 or a 2xx to CONNECT, or the connection's end); like Wireshark, a
//! message is placed in the frame that completes it. Responses are paired in order with the
//! oldest unanswered request of the same stream sent by the other endpoint (HTTP/1.1
//! pipelining is first in, first out), as Wireshark's `http.response_in` / `http.request_in`
//! do. Interim 1xx responses (100 Continue) are recorded but leave the request waiting for its
//! final response. A final response whose start line was captured but whose head or body was
//! not captured whole still answers its request: the exchange has its status (and
//! Content-Type, when the head was whole) and says what is missing ([`IncompleteResponse`]),
//! though no frame completes it. Retransmitted segments are skipped so that a request is not
//! counted twice. Segments given with their sequence numbers ([`HttpPairer::push_at`]) are put
//! in order by [`crate::tcp::stream::ByteStream`]; those given without ([`HttpPairer::push`])
//! are taken in capture order. A start line split across segments is not recognised.
//!
//! The parts: `start` (start lines as the rest of the crate reads them), `framing` (where a
//! head ends and how its body is framed), `chunked` (chunked bodies), `message` (one endpoint's
//! message parser), `pairer` (the pairer and each stream's state), `pairs` (what pairing
//! leaves: [`HttpPairs`] and its views), `texts` (the texts kept).

mod chunked;
mod framing;
mod message;
mod pairer;
mod pairs;
mod start;
mod texts;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tshark_tests;

pub use pairer::HttpPairer;
pub use pairs::{
    FrameHttp, FrameSet, HttpExchange, HttpPairs, HttpView, IncompleteResponse, MessageList,
    UnpairedResponse,
};
pub use start::{parse_start_line, StartLine};
