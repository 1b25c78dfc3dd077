//! A message's head: where it ends, the headers that frame its body and label it, and what
//! body follows.
//!
//! Promise: nothing here panics; a head is read in one pass for the first Content-Type,
//! Content-Length and Transfer-Encoding; its body is framed as RFC 9112 section 6.3 says and
//! tshark pairs it (no body for HEAD, 1xx, 204, 304 or a 2xx to CONNECT; chunked when the last
//! coding is; else Content-Length; else none for a request, up to the close for a response).

use crate::decode::http::{cut, StartKind};

/// The headers that frame a message and label it (the first of each), read in one pass.
#[derive(Default)]
pub(super) struct Framing<'a> {
    pub(super) content_type: Option<&'a str>,
    content_length: Option<&'a str>,
    transfer_encoding: Option<&'a str>,
}

impl<'a> Framing<'a> {
    /// From a message's head (start line, then header lines).
    pub(super) fn read(head: &'a str) -> Self {
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
pub(super) fn text_of(head: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(head) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(head),
    }
}

/// Where the head in `buf` ends (just past its blank line), looking from `from`: CR LF CR LF,
/// or else LF LF as lenient parsers accept. Both end at a line feed, so only line feeds are
/// looked at (a head is a few lines of tens of bytes).
pub(super) fn head_end(buf: &[u8], from: usize) -> Option<usize> {
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

/// What follows a head, as its headers frame it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Body {
    /// Nothing: the message ends with its head.
    None,
    /// This many bytes (a Content-Length other than 0).
    Length(u64),
    /// Chunked transfer coding.
    Chunked,
    /// No length: the body runs until the connection closes.
    UntilClose,
}

impl Framing<'_> {
    /// The body's framing (RFC 9112 section 6.3): `start` is the head's start line, and
    /// `request_method` the method of the request a response answers.
    pub(super) fn body(&self, start: StartKind, request_method: Option<&str>) -> Body {
        if let StartKind::Response { status } = start {
            let bodiless = (100..200).contains(&status)
                || status == 204
                || status == 304
                || request_method == Some("HEAD");
            // A 2xx answer to CONNECT has no body: the connection becomes a tunnel (RFC 9110
            // section 9.3.6), as tshark pairs it.
            let tunnel = (200..300).contains(&status) && request_method == Some("CONNECT");
            if bodiless || tunnel {
                return Body::None;
            }
        }
        let chunked = self.transfer_encoding.is_some_and(|v| {
            v.rsplit(',')
                .next()
                .is_some_and(|last| last.trim().eq_ignore_ascii_case("chunked"))
        });
        if chunked {
            return Body::Chunked;
        }
        if let Some(length) = self.content_length.and_then(|v| v.parse::<u64>().ok()) {
            return if length == 0 {
                Body::None
            } else {
                Body::Length(length)
            };
        }
        match start {
            StartKind::Request { .. } => Body::None,
            StartKind::Response { .. } => Body::UntilClose,
        }
    }
}
