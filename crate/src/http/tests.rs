//! The pairer's rules, each on a made-up conversation: start lines, heads, bodies framed every
//! way, pipelining, interim responses, reassembly by sequence number, gaps and what a cut
//! response lacks.

use super::framing::head_end;
use super::pairs::{Exchange, Message};
use super::{parse_start_line, FrameHttp, HttpPairer, IncompleteResponse, StartLine};
use crate::capture::Timestamp;

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
    let head =
        b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 100\r\n\r\n";
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
    let held = p.held_pieces(0, s);
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
