//! HTTP/1.x start lines: the one recogniser of a request or status line at the start of a TCP
//! payload, used for a frame's own [`HttpStart`] here and by HTTP pairing (`crate::http`); and
//! the Content-Type header when it is in the same segment.
//!
//! Promise: nothing here panics, and [`start_line`] reads at most [`MAX_START_LINE`] bytes. The
//! payload's first line (up to a line feed, less a carriage return before it), when it is UTF-8,
//! is a start line when it is
//! - a status line: `HTTP/1.`, one digit, a space and a code of three characters that reads as
//!   a number;
//! - a request line whose first word (up to a space) is one of [`KNOWN_METHODS`], whatever
//!   follows it, as Wireshark takes a line that starts with a known method (`OPTIONS HTTP/1.1`,
//!   `GET / HTTP/1.`); or whose first word is an unknown upper-case token (letters, `-`, `_`;
//!   at most 20) and whose third is a version `HTTP/1.` and one character (`BREW /pot HTTP/1.1`).
//!
//! Not the `httparse` crate (hyper's parser, which builds for wasm32): it takes only `HTTP/1.0`
//! and `HTTP/1.1`, only a whole line, and any token as a method. On the shared captures it would
//! not see the start lines of ten messages tshark shows as HTTP in zeek/methods.pcap (a known
//! method with a malformed rest, as above), so the frame list would no longer call them HTTP.

use super::HttpStart;

/// Methods that make a line a request on their own (HTTP, WebDAV, SSDP, ...).
pub const KNOWN_METHODS: &[&str] = &[
    "GET",
    "POST",
    "HEAD",
    "PUT",
    "DELETE",
    "OPTIONS",
    "TRACE",
    "CONNECT",
    "PATCH",
    "PROPFIND",
    "PROPPATCH",
    "MKCOL",
    "COPY",
    "MOVE",
    "LOCK",
    "UNLOCK",
    "SEARCH",
    "REPORT",
    "CHECKOUT",
    "CHECKIN",
    "UNCHECKOUT",
    "MERGE",
    "MKACTIVITY",
    "MKWORKSPACE",
    "VERSION-CONTROL",
    "BASELINE-CONTROL",
    "SUBSCRIBE",
    "UNSUBSCRIBE",
    "NOTIFY",
    "M-SEARCH",
    "POLL",
    "ACL",
    "LABEL",
    "UPDATE",
    "BIND",
    "UNBIND",
    "REBIND",
    "ORDERPATCH",
    "MKREDIRECTREF",
    "UPDATEREDIRECTREF",
    "BCOPY",
    "BMOVE",
    "BDELETE",
    "BPROPFIND",
    "BPROPPATCH",
    "CCM_POST",
    "RPC_CONNECT",
    "RPC_IN_DATA",
    "RPC_OUT_DATA",
    "SSTP_DUPLEX_POST",
    "X-MS-ENUMATTS",
];

/// The longest start line looked at; longer ones are cut (the message is still a message).
pub const MAX_START_LINE: usize = 8192;

/// What a start line starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StartKind {
    /// A request; its method as an index of [`KNOWN_METHODS`] when it is one.
    Request {
        method: Option<u8>,
    },
    Response {
        status: u16,
    },
}

/// The first line of `payload` (without its line end, cut at [`MAX_START_LINE`]) when it is an
/// HTTP/1.x start line, and what it starts.
#[inline]
pub fn start_line(payload: &[u8]) -> Option<(&str, StartKind)> {
    // Every method and "HTTP/1." start so: most payloads that are no start line stop here,
    // before their first line is looked for.
    if !matches!(payload.first(), Some(b'A'..=b'Z' | b'-' | b'_')) {
        return None;
    }
    let window = payload.get(..payload.len().min(MAX_START_LINE))?;
    let end = memchr::memchr(b'\n', window).unwrap_or(window.len());
    let line = window.get(..end)?;
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let text = std::str::from_utf8(line).ok()?;
    if let Some(rest) = text.strip_prefix("HTTP/1.") {
        let (minor, rest) = cut(rest, b' ');
        let (code, _) = cut(rest?, b' ');
        if minor.len() != 1 || !minor.bytes().all(|b| b.is_ascii_digit()) || code.len() != 3 {
            return None;
        }
        let status = code.parse::<u16>().ok()?;
        return Some((text, StartKind::Response { status }));
    }
    let (method, _, version) = request_parts(text);
    let known = known_method(method);
    let token = (1..=20).contains(&method.len())
        && method
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b == b'-' || b == b'_');
    let versioned = version.len() == 8 && version.starts_with("HTTP/1.");
    if !(known.is_some() || (token && versioned)) {
        return None;
    }
    Some((text, StartKind::Request { method: known }))
}

/// `method`'s index in [`KNOWN_METHODS`], when it is one of them.
pub fn known_method(method: &str) -> Option<u8> {
    KNOWN_METHODS
        .iter()
        .position(|k| *k == method)
        .and_then(|i| u8::try_from(i).ok())
}

/// The method, target and version of a request line: its first three words ("" for those
/// missing).
pub fn request_parts(line: &str) -> (&str, &str, &str) {
    let (method, rest) = cut(line, b' ');
    let (uri, rest) = cut(rest.unwrap_or(""), b' ');
    let (version, _) = cut(rest.unwrap_or(""), b' ');
    (method, uri, version)
}

/// The reason phrase of a status line: what follows its second space ("" when there is none).
pub fn response_reason(line: &str) -> &str {
    let (_version, rest) = cut(line, b' ');
    let (_code, reason) = cut(rest.unwrap_or(""), b' ');
    reason.unwrap_or("")
}

/// `text` up to the first `byte` (an ASCII byte, so both parts are `str`s), and what follows
/// it if it is there: `split_once` for one byte, without a char searcher's setup (this runs on
/// every line of every HTTP head). Bytes are searched with `memchr` (already built as
/// serde_json's), several at a time: searching byte by byte was a tenth of keeping a frame.
#[inline]
pub fn cut(text: &str, byte: u8) -> (&str, Option<&str>) {
    debug_assert!(byte.is_ascii());
    match memchr::memchr(byte, text.as_bytes()) {
        // An ASCII byte is a char boundary on both sides.
        Some(at) => (
            text.get(..at).unwrap_or(text),
            Some(text.get(at + 1..).unwrap_or("")),
        ),
        None => (text, None),
    }
}

/// Headers are looked for only this far into the payload: a Content-Type deep in a large
/// header block is rare, and the scan must stay cheap on every frame.
const HEADER_SCAN_LIMIT: usize = 8192;

/// The line starting at `from`, without its line end, and where the next line starts (None
/// when the captured bytes end inside the line).
fn line_at(payload: &[u8], from: usize) -> Option<(&[u8], Option<usize>)> {
    let rest = payload.get(from..)?;
    match rest.iter().position(|&b| b == b'\n') {
        Some(newline) => {
            let line = rest.get(..newline)?;
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            Some((line, Some(from + newline + 1)))
        }
        None => Some((rest, None)),
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Parses the start of an HTTP/1.x message ([`start_line`]). `payload_offset` is the payload's
/// offset in the frame, recorded so the line can be highlighted later.
pub(crate) fn parse_start(payload: &[u8], payload_offset: u32) -> Option<HttpStart> {
    let (line, kind) = start_line(payload)?;
    let mut start = HttpStart {
        line: line.to_string(),
        offset: payload_offset,
        ..HttpStart::default()
    };
    match kind {
        StartKind::Request { .. } => {
            let (method, uri, version) = request_parts(line);
            start.is_request = true;
            start.method = method.to_string();
            start.uri = uri.to_string();
            start.version = version.to_string();
        }
        StartKind::Response { status } => {
            start.version = line.get(..8).unwrap_or(line).to_string();
            start.status = Some(status);
            start.reason = response_reason(line).to_string();
        }
    }
    let (_, mut next) = line_at(payload, 0)?;
    while let Some(from) = next.filter(|&n| n < HEADER_SCAN_LIMIT) {
        let Some((header, after)) = line_at(payload, from) else {
            break;
        };
        if header.is_empty() || after.is_none() {
            break;
        }
        if let Some(value) = header_value(header, b"content-type") {
            start.content_type = Some(text(value));
            break;
        }
        next = after;
    }
    Some(start)
}

fn header_value<'a>(line: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    let colon = line.iter().position(|&b| b == b':')?;
    if !line.get(..colon)?.eq_ignore_ascii_case(name) {
        return None;
    }
    Some(line.get(colon + 1..)?.trim_ascii())
}

/// The media type Wireshark shows in the Info column: lower case, parameters dropped.
pub fn media_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_line() {
        let start =
            parse_start(b"GET /hello?name=world HTTP/1.1\r\nHost: x\r\n\r\n", 68).expect("request");
        assert_eq!(
            (
                start.method.as_str(),
                start.uri.as_str(),
                start.version.as_str()
            ),
            ("GET", "/hello?name=world", "HTTP/1.1")
        );
        assert_eq!(
            (start.is_request, start.offset, start.content_type),
            (true, 68, None)
        );
        let post = parse_start(
            b"POST /f HTTP/1.0\r\ncontent-TYPE:  application/json ; x=1\r\n\r\n{}",
            0,
        )
        .expect("post");
        assert_eq!(post.content_type.as_deref(), Some("application/json ; x=1"));
        assert_eq!(media_type("Text/Plain;charset=UTF-8"), "text/plain");
    }

    #[test]
    fn status_line_with_empty_reason() {
        let start = parse_start(
            b"HTTP/1.1 200 \r\nContent-Type: text/plain;charset=UTF-8\r\n\r\nhello",
            0,
        )
        .expect("response");
        assert_eq!(start.line, "HTTP/1.1 200 ");
        assert_eq!((start.status, start.reason.as_str()), (Some(200), ""));
        assert_eq!(
            start.content_type.as_deref(),
            Some("text/plain;charset=UTF-8")
        );
        let ok = parse_start(b"HTTP/1.0 404 Not Found\n\n", 0).expect("response");
        assert_eq!((ok.status, ok.reason.as_str()), (Some(404), "Not Found"));
    }

    #[test]
    fn not_http() {
        assert!(parse_start(b"getx / HTTP/1.1\r\n", 0).is_none());
        assert!(parse_start(b"GETX something else\r\n", 0).is_none());
        assert!(parse_start(b"\x16\x03\x01 binary", 0).is_none());
        assert!(parse_start(b"HTTP/2 200\r\n", 0).is_none());
        assert!(parse_start(b"", 0).is_none());
        // Cut by the snaplen inside the line: still the start of a request.
        assert_eq!(
            parse_start(b"GET /very/long", 0).map(|s| s.uri),
            Some("/very/long".to_string())
        );
    }

    /// The one rule, for the frame decoder and for pairing alike.
    #[test]
    fn what_makes_a_start_line() {
        let kind = |payload: &[u8]| start_line(payload).map(|(_, kind)| kind);
        let request = |method: &str| {
            Some(StartKind::Request {
                method: known_method(method),
            })
        };
        let other = Some(StartKind::Request { method: None });
        let response = |status| Some(StartKind::Response { status });
        // A known method makes a request whatever follows it, as in Wireshark.
        assert_eq!(kind(b"GET something else\r\n"), request("GET"));
        assert_eq!(kind(b"OPTIONS HTTP/1.1\r\n"), request("OPTIONS"));
        assert_eq!(kind(b"CONNECT / HTTP/1.\n"), request("CONNECT"));
        assert_eq!(kind(b"GET"), request("GET"));
        assert_eq!(kind(b"M-SEARCH * HTTP/1.1\r\n"), request("M-SEARCH"));
        assert_eq!(request("GET"), Some(StartKind::Request { method: Some(0) }));
        // Another method: an upper-case token of at most 20 characters, then a version.
        assert_eq!(kind(b"GETX / HTTP/1.1\r\n"), other);
        assert_eq!(kind(b"BREW /pot HTTP/1.1"), other);
        assert_eq!(kind(b"_-X / HTTP/1.0"), other);
        assert_eq!(kind(b"ABCDEFGHIJKLMNOPQRST / HTTP/1.1"), other);
        assert_eq!(kind(b"ABCDEFGHIJKLMNOPQRSTU / HTTP/1.1"), None);
        assert_eq!(kind(b"GETX something else\r\n"), None);
        assert_eq!(kind(b"GETX / HTTP/1.10\r\n"), None);
        assert_eq!(kind(b"Get / HTTP/1.1\r\n"), None);
        assert_eq!(kind(b"hello world HTTP/1.1"), None);
        // A status line: HTTP/1.x, a space, three characters that read as a number.
        assert_eq!(kind(b"HTTP/1.1 200 OK\r\n"), response(200));
        assert_eq!(kind(b"HTTP/1.9 404"), response(404));
        assert_eq!(kind(b"HTTP/1.1 2000 x"), None);
        assert_eq!(kind(b"HTTP/1.1 abc x"), None);
        assert_eq!(kind(b"HTTP/1.10 200 x"), None);
        assert_eq!(kind(b"HTTP/1.1"), None);
        assert_eq!(kind(b"HTTP/2 200"), None);
        // The first line only, as UTF-8, cut at MAX_START_LINE bytes.
        assert_eq!(kind(b"\r\nGET / HTTP/1.1\r\n"), None);
        assert_eq!(kind(b"GET /\xff HTTP/1.1\r\n"), None);
        assert_eq!(kind(b""), None);
        let long = format!("GET /{} HTTP/1.1\r\n", "a".repeat(2 * MAX_START_LINE));
        let (line, _) = start_line(long.as_bytes()).expect("a request");
        assert_eq!(line.len(), MAX_START_LINE);
        let (line, _) = start_line(b"HTTP/1.1 200 OK\r\nServer: x\r\n").expect("a response");
        assert_eq!(line, "HTTP/1.1 200 OK");
    }

    /// A status line's reason phrase is what follows its second space, as `splitn` gives it.
    #[test]
    fn reason_phrases() {
        for line in [
            "HTTP/1.1 200 OK",
            "HTTP/1.1 404 Not  Found ",
            "HTTP/1.1 200 ",
            "HTTP/1.1 200",
            "HTTP/1.1",
            "",
            " ",
            "  ",
            "a  b",
        ] {
            assert_eq!(
                response_reason(line),
                line.splitn(3, ' ').nth(2).unwrap_or(""),
                "{line:?}"
            );
        }
    }

    /// Every known method is told apart from the others by its index, which fits a byte.
    #[test]
    fn known_methods_are_distinct() {
        for (i, method) in KNOWN_METHODS.iter().enumerate() {
            assert_eq!(known_method(method), u8::try_from(i).ok(), "{method}");
            let line = format!("{method} / HTTP/1.1\r\n");
            assert_eq!(
                start_line(line.as_bytes()).map(|(_, kind)| kind),
                Some(StartKind::Request {
                    method: u8::try_from(i).ok()
                })
            );
        }
        assert!(KNOWN_METHODS.len() < usize::from(u8::MAX));
    }
}
