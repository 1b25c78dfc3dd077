//! HTTP/1.x start lines (request or status line) at the start of a TCP payload, and the
//! Content-Type header when it is in the same segment. Only the captured bytes are read.

use super::HttpStart;

const METHODS: [&[u8]; 9] = [
    b"GET ",
    b"POST ",
    b"HEAD ",
    b"PUT ",
    b"DELETE ",
    b"OPTIONS ",
    b"PATCH ",
    b"CONNECT ",
    b"TRACE ",
];

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

/// Parses the start of an HTTP/1.x message. `payload_offset` is the payload's offset in the
/// frame, recorded so the line can be highlighted later.
pub(crate) fn parse_start(payload: &[u8], payload_offset: u32) -> Option<HttpStart> {
    let is_request = METHODS.iter().any(|m| payload.starts_with(m));
    let is_response = payload.len() >= 9
        && payload.starts_with(b"HTTP/1.")
        && payload.get(7).is_some_and(u8::is_ascii_digit)
        && payload.get(8) == Some(&b' ');
    if !is_request && !is_response {
        return None;
    }
    let (line, mut next) = line_at(payload, 0)?;
    let mut start = HttpStart {
        line: text(line),
        is_request,
        offset: payload_offset,
        ..HttpStart::default()
    };
    if is_request {
        let mut parts = line.splitn(2, |&b| b == b' ');
        start.method = text(parts.next().unwrap_or_default());
        let rest = parts.next().unwrap_or_default();
        // The URI may hold spaces in broken clients; the version is the last word.
        match rest.iter().rposition(|&b| b == b' ') {
            Some(space) => {
                start.uri = text(rest.get(..space).unwrap_or_default());
                start.version = text(rest.get(space + 1..).unwrap_or_default());
            }
            None => start.uri = text(rest),
        }
        // A complete line must end in an HTTP/1.x version, or this is not HTTP.
        if next.is_some() && !start.version.starts_with("HTTP/1.") {
            return None;
        }
    } else {
        let mut parts = line.splitn(3, |&b| b == b' ');
        start.version = text(parts.next().unwrap_or_default());
        let status = parts.next().unwrap_or_default();
        start.status = std::str::from_utf8(status)
            .ok()
            .and_then(|s| s.parse().ok());
        start.reason = text(parts.next().unwrap_or_default());
    }
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
        assert!(parse_start(b"GETX / HTTP/1.1\r\n", 0).is_none());
        assert!(parse_start(b"GET something else\r\n", 0).is_none());
        assert!(parse_start(b"HTTP/2 200\r\n", 0).is_none());
        assert!(parse_start(b"", 0).is_none());
        // Cut by the snaplen inside the line: still the start of a request.
        assert_eq!(
            parse_start(b"GET /very/long", 0).map(|s| s.uri),
            Some("/very/long".to_string())
        );
    }
}
