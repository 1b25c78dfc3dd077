//! What a TCP payload shows above TCP: HTTP/1.x messages (start line and its parts, every
//! header line as sent, the empty line, the request/response pairing lines, the body as
//! line-based text or media), Wireshark's "[N Reassembled TCP Segments …]" node when the
//! caller supplies a reassembled message, or "Data (N bytes)".
//!
//! Which bytes: a message is read from `FrameContext::http_bytes` when the caller gives the
//! reassembled message, else from the frame's own TCP payload. Spans point into the frame:
//! a field read from reassembled bytes gets a span only when it lies inside this frame's own
//! segment (located with `http_segments`); the other fields have none.
//!
//! Promise: the parser reads only the bytes it is given, never panics, and stops at the first
//! line that is not HTTP; a header block or body cut short shows what is there.

use super::icmp::data_node;
use super::node::{capped, escaped, hex_shown, named, seconds, text_line, Node};
use super::Builder;
use crate::decode::TcpSegment;
use crate::http::{FrameHttp, HttpExchange};

/// Wireshark's texts for status codes (packet-http.c's vals_http_status_code).
fn status_text(code: u16) -> &'static str {
    exact_status_text(code).unwrap_or(match code {
        100..=199 => "Informational - Others",
        200..=299 => "Success - Others",
        300..=399 => "Redirection - Others",
        400..=499 => "Client Error - Others",
        500..=599 => "Server Error - Others",
        _ => "Unknown",
    })
}

fn exact_status_text(code: u16) -> Option<&'static str> {
    Some(match code {
        100 => "Continue",
        101 => "Switching Protocols",
        102 => "Processing",
        103 => "Early Hints",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        203 => "Non-authoritative Information",
        204 => "No Content",
        205 => "Reset Content",
        206 => "Partial Content",
        207 => "Multi-Status",
        208 => "Already Reported",
        226 => "IM Used",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        305 => "Use Proxy",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Time-out",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Request Entity Too Large",
        414 => "Request-URI Too Long",
        415 => "Unsupported Media Type",
        416 => "Requested Range Not Satisfiable",
        417 => "Expectation Failed",
        418 => "I'm a teapot",
        421 => "Misdirected Request",
        422 => "Unprocessable Entity",
        423 => "Locked",
        424 => "Failed Dependency",
        425 => "Too Early",
        426 => "Upgrade Required",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Time-out",
        505 => "HTTP Version not supported",
        506 => "Variant Also Negotiates",
        507 => "Insufficient Storage",
        508 => "Loop Detected",
        510 => "Not Extended",
        511 => "Network Authentication Required",
        _ => return None,
    })
}

/// The field name Wireshark gives a header line.
fn header_field(name: &str, request: bool) -> &'static str {
    match name.to_ascii_lowercase().as_str() {
        "accept" => "http.accept",
        "accept-encoding" => "http.accept_encoding",
        "accept-language" => "http.accept_language",
        "authorization" => "http.authorization",
        "cache-control" => "http.cache_control",
        "connection" => "http.connection",
        "content-encoding" => "http.content_encoding",
        "content-length" => "http.content_length_header",
        "content-range" => "http.content_range",
        "content-type" => "http.content_type",
        "cookie" => "http.cookie",
        "date" => "http.date",
        "host" => "http.host",
        "last-modified" => "http.last_modified",
        "location" => "http.location",
        "range" => "http.range",
        "referer" => "http.referer",
        "server" => "http.server",
        "set-cookie" => "http.set_cookie",
        "transfer-encoding" => "http.transfer_encoding",
        "upgrade" => "http.upgrade",
        "user-agent" => "http.user_agent",
        "x-forwarded-for" => "http.x_forwarded_for",
        _ if request => "http.request.line",
        _ => "http.response.line",
    }
}

/// Where the bytes being parsed are, to turn their offsets into frame spans.
#[derive(Clone, Copy)]
struct Source<'s> {
    bytes: &'s [u8],
    /// Frame offset of `bytes[0]` when the bytes are the frame's own.
    direct: Option<usize>,
    /// For reassembled bytes: (start of this frame's piece in them, its frame offset, length).
    piece: Option<(usize, usize, usize)>,
}

impl Source<'_> {
    fn span(&self, b: &Builder, at: usize, len: usize) -> Option<[u32; 2]> {
        if let Some(base) = self.direct {
            return b.span(base.checked_add(at)?, len);
        }
        let (start, frame_at, piece_len) = self.piece?;
        let end = at.checked_add(len)?;
        if at >= start && end <= start.checked_add(piece_len)? {
            b.span(frame_at + (at - start), len)
        } else {
            None
        }
    }
}

/// One line: (start, end of its text, start of the next line). None past the bytes.
fn line(bytes: &[u8], from: usize) -> Option<(usize, usize, Option<usize>)> {
    let rest = bytes.get(from..)?;
    if rest.is_empty() {
        return None;
    }
    Some(match rest.iter().position(|&b| b == b'\n') {
        Some(newline) => {
            let mut end = from + newline;
            if end > from && bytes.get(end - 1) == Some(&b'\r') {
                end -= 1;
            }
            (from, end, Some(from + newline + 1))
        }
        None => (from, bytes.len(), None),
    })
}

/// What the caller told us about the exchanges, and what this frame's messages have used.
struct Pairing<'x> {
    exchanges: &'x [HttpExchange<'x>],
    hosts: &'x [(u32, &'x str)],
    number: u32,
    requests_seen: usize,
    responses_seen: usize,
}

impl<'x> Pairing<'x> {
    fn next_request(&mut self) -> Option<HttpExchange<'x>> {
        let number = self.number;
        let found = self
            .exchanges
            .iter()
            .filter(|x| x.request_frame == number)
            .nth(self.requests_seen)
            .copied();
        self.requests_seen += 1;
        found
    }

    fn next_response(&mut self) -> Option<HttpExchange<'x>> {
        let number = self.number;
        let found = self
            .exchanges
            .iter()
            .filter(|x| x.response_frame == Some(number) || x.interim_frames.contains(&number))
            .nth(self.responses_seen)
            .copied();
        self.responses_seen += 1;
        found
    }

    fn host_of(&self, request_frame: u32) -> Option<&'x str> {
        self.hosts
            .iter()
            .find(|(frame, _)| *frame == request_frame)
            .map(|(_, host)| *host)
    }
}

/// The layers above TCP for this frame's payload.
pub fn payload(b: &mut Builder, seg: &TcpSegment) {
    let ctx = b.ctx;
    let at = seg.payload_offset as usize;
    let captured = seg.payload_captured as usize;
    if seg.payload_len == 0 {
        return;
    }
    let views = match ctx.http {
        Some(FrameHttp::Segment) => return,
        Some(FrameHttp::Messages(views)) => views,
        None => {
            if captured > 0 {
                b.protocols.push("data");
                let node = data_node(b, at, captured);
                b.nodes.push(node);
            }
            return;
        }
    };
    let own = ctx.bytes.get(at..at + captured).unwrap_or_default();
    let mut pairing = Pairing {
        exchanges: ctx.http_exchanges,
        hosts: ctx.http_request_hosts,
        number: ctx.number,
        requests_seen: 0,
        responses_seen: 0,
    };
    let mut shown = 0usize;
    // Where in this frame's payload the messages read directly start.
    let mut own_from = 0usize;
    if let Some(reassembled) = ctx.http_bytes {
        let piece = this_piece(ctx.http_segments, ctx.number, at, captured);
        if !ctx.http_segments.is_empty() {
            let node = reassembly_node(ctx.http_segments, reassembled);
            b.nodes.push(node);
        }
        let source = Source {
            bytes: reassembled,
            direct: None,
            piece,
        };
        let mut cursor = 0;
        while shown < views.len().max(1) {
            let Some(end) = message(b, &source, cursor, &mut pairing) else {
                break;
            };
            shown += 1;
            if end <= cursor {
                break;
            }
            cursor = end;
        }
        // What follows this frame's piece of the reassembled message is read from the frame.
        own_from = match piece {
            Some((_, frame_at, len)) => (frame_at + len).saturating_sub(at),
            None => captured,
        };
    }
    let source = Source {
        bytes: own,
        direct: Some(at),
        piece: None,
    };
    let mut cursor = own_from;
    while shown < views.len() && cursor < own.len() {
        match message(b, &source, cursor, &mut pairing) {
            Some(end) if end > cursor => {
                shown += 1;
                cursor = end;
            }
            _ => break,
        }
    }
    if shown == 0 {
        // The message began in an earlier frame and its bytes were not given: say what the
        // frame completes, from the pairing's record of its start line.
        b.protocols.push("http");
        let mut node = Node::field("Hypertext Transfer Protocol", "http", b.span(at, captured));
        for view in views.iter() {
            node.push(Node::text(format!(
                "{}\\r\\n",
                escaped(view.line.as_bytes())
            )));
        }
        node.push(Node::generated(
            "This frame completes a message that began in an earlier frame; its reassembled bytes are not shown here",
            None,
        ));
        b.nodes.push(node);
    }
}

/// This frame's piece of a reassembled message: (its start in the message, its frame
/// offset, its length). The first piece is the tail of its frame's payload; a later one
/// starts where its frame's payload starts.
fn this_piece(
    segments: &[(u32, u32)],
    number: u32,
    payload_at: usize,
    captured: usize,
) -> Option<(usize, usize, usize)> {
    let mut start = 0usize;
    for (i, (frame, len)) in segments.iter().enumerate() {
        let len = *len as usize;
        if *frame == number {
            let frame_at = if i == 0 {
                payload_at + captured.saturating_sub(len)
            } else {
                payload_at
            };
            return Some((start, frame_at, len.min(captured)));
        }
        start = start.saturating_add(len);
    }
    None
}

/// `[2 Reassembled TCP Segments (126 bytes): #5(60), #6(66)]` with one line per segment.
fn reassembly_node(segments: &[(u32, u32)], reassembled: &[u8]) -> Node {
    let total: u64 = segments.iter().map(|(_, len)| u64::from(*len)).sum();
    let mut label = format!(
        "{} Reassembled TCP Segments ({total} bytes): ",
        segments.len()
    );
    let list: Vec<String> = segments
        .iter()
        .map(|(frame, len)| format!("#{frame}({len})"))
        .collect();
    label.push_str(&list.join(", "));
    let mut node = Node::generated(capped(label), Some("tcp.segments"));
    let mut start = 0u64;
    for (frame, len) in segments {
        let len = u64::from(*len);
        let last = (start + len).saturating_sub(1);
        node.push(Node::generated(
            format!("Frame: {frame}, payload: {start}-{last} ({len} bytes)"),
            Some("tcp.segment"),
        ));
        start += len;
    }
    node.push(Node::generated(
        format!("Segment count: {}", segments.len()),
        Some("tcp.segment.count"),
    ));
    node.push(Node::generated(
        format!("Reassembled TCP length: {total}"),
        Some("tcp.reassembled.length"),
    ));
    node.push(Node::generated(
        format!("Reassembled TCP Data: {}", hex_shown(reassembled)),
        Some("tcp.reassembled.data"),
    ));
    node
}

/// Parses one HTTP message starting at `from`; pushes its nodes and returns where it ends.
fn message(b: &mut Builder, src: &Source, from: usize, pairing: &mut Pairing) -> Option<usize> {
    let bytes = src.bytes;
    let (line_at, line_end, next) = line(bytes, from)?;
    let start_line = bytes.get(line_at..line_end)?;
    let parsed = crate::http::parse_start_line(start_line)?;
    let line_len = next.unwrap_or(line_end) - line_at;
    let mut http = Node::field("Hypertext Transfer Protocol", "http", None);
    let mut first = Node::text(text_line(escaped(bytes.get(line_at..line_at + line_len)?)))
        .with_span(src.span(b, line_at, line_len));
    let (is_request, uri) = match &parsed {
        crate::http::StartLine::Request {
            method,
            uri,
            version,
        } => {
            let method_at = line_at;
            let uri_at = method_at + method.len() + 1;
            let version_at = uri_at + uri.len() + 1;
            first.push(Node::field(
                format!("Request Method: {method}"),
                "http.request.method",
                src.span(b, method_at, method.len()),
            ));
            let mut uri_node = Node::field(
                named("Request URI", uri),
                "http.request.uri",
                src.span(b, uri_at, uri.len()),
            );
            // Wireshark 4.4 splits the URI only when it has a query.
            if let Some(question) = uri.find('?') {
                let (path, query) = (&uri[..question], &uri[question + 1..]);
                uri_node.push(Node::field(
                    named("Request URI Path", path),
                    "http.request.uri.path",
                    src.span(b, uri_at, path.len()),
                ));
                let query_at = uri_at + question + 1;
                let mut query_node = Node::field(
                    named("Request URI Query", query),
                    "http.request.uri.query",
                    src.span(b, query_at, query.len()),
                );
                let mut parameter_at = query_at;
                for parameter in query.split('&') {
                    query_node.push(Node::field(
                        named("Request URI Query Parameter", parameter),
                        "http.request.uri.query.parameter",
                        src.span(b, parameter_at, parameter.len()),
                    ));
                    parameter_at += parameter.len() + 1;
                }
                uri_node.push(query_node);
            }
            first.push(uri_node);
            if !version.is_empty() {
                first.push(Node::field(
                    format!("Request Version: {version}"),
                    "http.request.version",
                    src.span(b, version_at, version.len()),
                ));
            }
            (true, uri.clone())
        }
        crate::http::StartLine::Response {
            version,
            status,
            reason,
        } => {
            let code_at = line_at + version.len() + 1;
            first.push(Node::field(
                format!("Response Version: {version}"),
                "http.response.version",
                src.span(b, line_at, version.len()),
            ));
            first.push(Node::field(
                format!("Status Code: {status}"),
                "http.response.code",
                src.span(b, code_at, 3),
            ));
            first.push(
                Node::generated(
                    format!("Status Code Description: {}", status_text(*status)),
                    Some("http.response.code.desc"),
                )
                .with_span(src.span(b, code_at, 3)),
            );
            if !reason.is_empty() {
                first.push(Node::field(
                    format!("Response Phrase: {}", escaped(reason.as_bytes())),
                    "http.response.phrase",
                    src.span(b, code_at + 4, reason.len()),
                ));
            }
            (false, String::new())
        }
    };
    http.push(first);

    // Header lines up to the empty line.
    let mut cursor = next;
    let mut host: Option<String> = None;
    let mut content_length: Option<u64> = None;
    let mut content_type: Option<String> = None;
    let mut chunked = false;
    let mut headers_ended = false;
    while let Some(at) = cursor {
        let Some((text_at, text_end, after)) = line(bytes, at) else {
            break;
        };
        let whole_len = after.unwrap_or(text_end) - text_at;
        if text_end == text_at && after.is_some() {
            http.push(
                Node::text(escaped(bytes.get(text_at..text_at + whole_len)?))
                    .with_span(src.span(b, text_at, whole_len)),
            );
            cursor = after;
            headers_ended = true;
            break;
        }
        let text = bytes.get(text_at..text_end)?;
        let colon = text.iter().position(|&c| c == b':');
        let name = colon
            .and_then(|c| text.get(..c))
            .map(|n| String::from_utf8_lossy(n).trim().to_string())
            .unwrap_or_default();
        let value = colon
            .and_then(|c| text.get(c + 1..))
            .map(|v| String::from_utf8_lossy(v).trim().to_string())
            .unwrap_or_default();
        let mut header = Node::field(
            text_line(escaped(bytes.get(text_at..text_at + whole_len)?)),
            header_field(&name, is_request),
            src.span(b, text_at, whole_len),
        );
        match name.to_ascii_lowercase().as_str() {
            "host" => host = Some(value.clone()),
            "content-length" => {
                if let Ok(n) = value.parse::<u64>() {
                    content_length = Some(n);
                    header.push(
                        Node::generated(
                            format!("Content length: {n}"),
                            Some("http.content_length"),
                        )
                        .with_span(src.span(b, text_at, whole_len)),
                    );
                }
            }
            "content-type" => content_type = Some(value.clone()),
            "cookie" => {
                let mut pair_at = text_at + colon.map_or(0, |c| c + 1);
                for pair in text
                    .get(pair_at - text_at..)
                    .unwrap_or_default()
                    .split(|&c| c == b';')
                {
                    let trimmed_start = pair.iter().position(|&c| c != b' ').unwrap_or(pair.len());
                    let trimmed = &pair[trimmed_start..];
                    if !trimmed.is_empty() {
                        header.push(Node::field(
                            format!("Cookie pair: {}", escaped(trimmed)),
                            "http.cookie_pair",
                            src.span(b, pair_at + trimmed_start, trimmed.len()),
                        ));
                    }
                    pair_at += pair.len() + 1;
                }
            }
            "transfer-encoding" => chunked = value.to_ascii_lowercase().contains("chunked"),
            _ => {}
        }
        http.push(header);
        cursor = after;
        if after.is_none() {
            break;
        }
    }
    let body_at = cursor.unwrap_or(bytes.len());

    // The pairing lines, in the order the tutorial's Wireshark shows them.
    let full_uri = |host: Option<&str>, uri: &str| -> Option<String> {
        if uri.starts_with("http://") || uri.starts_with("https://") {
            Some(uri.to_string())
        } else {
            host.map(|h| format!("http://{h}{uri}"))
        }
    };
    if is_request {
        let exchange = pairing.next_request();
        if let Some(frame) = exchange.and_then(|x| x.response_frame) {
            http.push(Node::generated(
                format!("Response in frame: {frame}"),
                Some("http.response_in"),
            ));
        }
        if let Some(full) = full_uri(host.as_deref(), &uri) {
            http.push(Node::generated(
                named("Full request URI", &full),
                Some("http.request.full_uri"),
            ));
        }
    } else if let Some(x) = pairing.next_response() {
        http.push(Node::generated(
            format!("Request in frame: {}", x.request_frame),
            Some("http.request_in"),
        ));
        if let Some(time) = x.time {
            let ns = if time.is_finite() {
                (time * 1e9).round() as i128
            } else {
                0
            };
            http.push(Node::generated(
                format!("Time since request: {} seconds", seconds(ns)),
                Some("http.time"),
            ));
        }
        http.push(Node::generated(
            named("Request URI", x.uri),
            Some("http.response_for.uri"),
        ));
        if let Some(full) = full_uri(pairing.host_of(x.request_frame), x.uri) {
            http.push(Node::generated(
                named("Full request URI", &full),
                Some("http.request.full_uri"),
            ));
        }
    }

    // The body.
    let available = bytes.len().saturating_sub(body_at);
    let no_body = match &parsed {
        crate::http::StartLine::Response { status, .. } => {
            matches!(status, 100..=199 | 204 | 304)
        }
        _ => false,
    };
    let mut body_node = None;
    let end = if !headers_ended || no_body {
        body_at
    } else if chunked {
        let (chunk_node, body, end) = chunks(b, src, body_at);
        http.push(chunk_node);
        if !body.is_empty() {
            http.push(Node::field(
                format!("File Data: {} bytes", body.len()),
                "http.file_data",
                None,
            ));
            body_node = Some(body_nodes(b, None, &body, content_type.as_deref()));
        }
        end
    } else {
        let len = match content_length {
            Some(n) => usize::try_from(n).unwrap_or(usize::MAX).min(available),
            None if is_request => 0,
            None => available,
        };
        if len > 0 {
            let body = bytes.get(body_at..body_at + len).unwrap_or_default();
            http.push(Node::field(
                format!("File Data: {len} bytes"),
                "http.file_data",
                src.span(b, body_at, len),
            ));
            body_node = Some(body_nodes(
                b,
                Some((src, body_at)),
                body,
                content_type.as_deref(),
            ));
        }
        body_at + len
    };
    http.span = src.span(b, from, end - from);
    b.protocols.push("http");
    b.nodes.push(http);
    if let Some((protocol, node)) = body_node {
        b.protocols.push(protocol);
        b.nodes.push(node);
    }
    Some(end)
}

/// A chunked body: the "HTTP chunked response" node, the de-chunked bytes, and where the
/// encoding ends (after the last chunk and the trailer's empty line, or at the bytes' end).
fn chunks(b: &Builder, src: &Source, from: usize) -> (Node, Vec<u8>, usize) {
    let bytes = src.bytes;
    let mut node = Node::field("HTTP chunked response", "http.chunked_response", None);
    let mut body = Vec::new();
    let mut cursor = from;
    // Each chunk moves the cursor past its size line, so the walk ends.
    while let Some((text_at, text_end, after)) = line(bytes, cursor) {
        let Some(after) = after else {
            break;
        };
        let size_text = bytes.get(text_at..text_end).unwrap_or_default();
        let digits: String = String::from_utf8_lossy(size_text)
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_string();
        let Ok(size) = usize::from_str_radix(&digits, 16) else {
            break;
        };
        if size == 0 {
            let mut last = Node::field(
                "End of chunked encoding",
                "http.chunk_size",
                src.span(b, text_at, after - text_at),
            );
            last.push(Node::field(
                "Chunk size: 0 octets",
                "http.chunk_size",
                src.span(b, text_at, after - text_at),
            ));
            node.push(last);
            cursor = after;
            // Trailer lines, then the empty line.
            while let Some((t_at, t_end, t_after)) = line(bytes, cursor) {
                let whole = t_after.unwrap_or(t_end) - t_at;
                if let Some(text) = bytes.get(t_at..t_at + whole) {
                    node.push(Node::text(escaped(text)).with_span(src.span(b, t_at, whole)));
                }
                cursor = t_after.unwrap_or(bytes.len());
                if t_end == t_at || t_after.is_none() {
                    break;
                }
            }
            let end = cursor;
            node.span = src.span(b, from, end - from);
            return (node, body, end);
        }
        let data_end = after.saturating_add(size).min(bytes.len());
        let data = bytes.get(after..data_end).unwrap_or_default();
        body.extend_from_slice(data);
        let mut chunk = Node::field(
            format!("Data chunk ({size} octets)"),
            "http.chunk_data",
            src.span(b, text_at, data_end + 2 - text_at),
        );
        chunk.push(Node::field(
            format!("Chunk size: {size} octets"),
            "http.chunk_size",
            src.span(b, text_at, after - text_at),
        ));
        chunk.push(Node::field(
            format!("Chunk data: {}", hex_shown(data)),
            "http.chunk_data",
            src.span(b, after, data.len()),
        ));
        if bytes.get(data_end..data_end + 2) == Some(b"\r\n") {
            chunk.push(Node::field(
                "Chunk boundary: 0d0a",
                "http.chunk_boundary",
                src.span(b, data_end, 2),
            ));
            cursor = data_end + 2;
        } else {
            cursor = data_end;
        }
        node.push(chunk);
        if data_end >= bytes.len() {
            break;
        }
    }
    node.span = src.span(b, from, cursor - from);
    (node, body, cursor)
}

/// The body's own node, by media type: line-based text, a media node, or data. `at` places
/// the body in its source (None for a de-chunked body, which lies nowhere in the frame).
fn body_nodes(
    b: &Builder,
    at: Option<(&Source, usize)>,
    body: &[u8],
    content_type: Option<&str>,
) -> (&'static str, Node) {
    let span =
        |offset: usize, len: usize| at.and_then(|(src, base)| src.span(b, base + offset, len));
    let media = content_type.map(|ct| {
        ct.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    });
    let textual = media.as_deref().is_some_and(|m| {
        (m.starts_with("text/") && m != "text/xml")
            || matches!(
                m,
                "application/javascript" | "application/x-javascript" | "application/ecmascript"
            )
    });
    match media {
        Some(m) if textual => {
            let mut lines = Vec::new();
            let mut cursor = 0;
            while cursor < body.len() {
                let end = body[cursor..]
                    .iter()
                    .position(|&c| c == b'\n')
                    .map_or(body.len(), |p| cursor + p + 1);
                lines.push((cursor, end));
                cursor = end;
            }
            let mut node = Node::field(
                format!("Line-based text data: {m} ({} lines)", lines.len()),
                "data-text-lines",
                span(0, body.len()),
            );
            for (start, end) in lines {
                node.push(
                    Node::text(escaped(&body[start..end])).with_span(span(start, end - start)),
                );
            }
            ("data-text-lines", node)
        }
        Some(m) => (
            "media",
            Node::field("Media Type", "media", span(0, body.len())).child(Node::field(
                format!("Media type: {m} ({} bytes)", body.len()),
                "media.type",
                span(0, body.len()),
            )),
        ),
        None => (
            "data",
            Node::field(
                format!("Data ({} bytes)", body.len()),
                "data",
                span(0, body.len()),
            )
            .child(Node::field(
                format!("Data: {}", hex_shown(body)),
                "data.data",
                span(0, body.len()),
            ))
            .child(Node::generated(
                format!("Length: {}", body.len()),
                Some("data.len"),
            )),
        ),
    }
}
