//! The bodies of the fuzz targets (fuzz/fuzz_targets/*.rs call these), kept in the library so
//! that the same code also runs under `cargo test` on stable Rust, over the shared captures
//! and the regression inputs in tests/fuzz-regressions/.
//!
//! Promise checked by every target: no panic, no hang, no allocation sized by a length field,
//! whatever the bytes. Some targets also check a property (chunking does not change results).

use crate::analysis::Analysis;
use crate::capture::{CaptureReader, RawFrame, Timestamp};
use crate::decode::{self, TcpOption, TcpSegment};
use crate::http::HttpPairer;
use crate::tcp::{SegmentIn, TcpTracker};
use std::net::{IpAddr, Ipv4Addr};

/// A fuzz target's body.
pub type Target = fn(&[u8]);

/// The fuzz targets by name, as `./build.sh fuzz` runs them.
pub const TARGETS: [(&str, Target); 9] = [
    ("capture_reader", capture_reader),
    ("frame_decoder", frame_decoder),
    ("tcp_analysis", tcp_analysis),
    ("http_parser", http_parser),
    ("whole_pipeline", whole_pipeline),
    ("display_filter", display_filter),
    ("detail_tree", detail_tree),
    ("ladder_renderer", ladder_renderer),
    ("frame_batch", frame_batch),
];

/// Capture reader, pcap/pcapng/gzip: the first byte chooses a chunk size; reading in chunks
/// must give exactly the frames and the end that reading at once gives.
pub fn capture_reader(data: &[u8]) {
    let Some((&selector, file)) = data.split_first() else {
        return;
    };
    let chunk = usize::from(selector % 64) + 1;
    let (whole, whole_end) = read(file, file.len().max(1));
    let (parts, parts_end) = read(file, chunk);
    assert_eq!(whole, parts, "chunks of {chunk} changed the frames");
    assert_eq!(whole_end, parts_end, "chunks of {chunk} changed the end");
}

type Seen = (u32, Timestamp, u32, u32, u64, Vec<u8>);

fn read(file: &[u8], chunk: usize) -> (Vec<Seen>, crate::capture::CaptureEnd) {
    let mut seen = Vec::new();
    let mut reader = CaptureReader::new();
    for part in file.chunks(chunk) {
        reader.push(part, &mut |f: &RawFrame| {
            seen.push((
                f.number,
                f.ts,
                f.link_type,
                f.orig_len,
                f.offset,
                f.data.to_vec(),
            ))
        });
    }
    (seen, reader.finish())
}

/// Link types the decoder reads, and some it does not; the first two bytes choose one.
const LINK_TYPES: [u32; 14] = [0, 1, 9, 10, 12, 14, 101, 108, 113, 129, 228, 229, 239, 276];

/// Frame decoder, each link type: decode, then the Info text with and without tracker facts.
pub fn frame_decoder(data: &[u8]) {
    let Some((selector, frame)) = data.split_first_chunk::<2>() else {
        return;
    };
    let choice = u16::from_le_bytes(*selector);
    let link_type = LINK_TYPES
        .get(usize::from(choice) % (LINK_TYPES.len() + 1))
        .copied()
        .unwrap_or(u32::from(choice));
    let orig_len = frame.len() as u32 + u32::from(choice % 7);
    let decoded = decode::decode_frame(link_type, frame, Some(orig_len));
    let _ = crate::row::info_text(&decoded, None);
    let facts = crate::tcp::TcpFrameFacts {
        relative_seq: 1,
        window_calc: u64::MAX,
        ..Default::default()
    };
    let _ = crate::row::info_text(&decoded, Some(&facts));
    let _ = decode::decode(link_type, frame);
    plain_path_agrees(&RawFrame {
        number: 1,
        ts: Timestamp::default(),
        has_ts: true,
        ts_digits: 6,
        link_type,
        interface: 0,
        orig_len,
        offset: 0,
        data: frame,
    });
}

/// Where the plain path ([`decode::plain_tcp`]) reads a frame, it keeps of it what the
/// decoder's walk keeps: the same record and TCP payload. Whether it read the frame.
pub fn plain_path_agrees(raw: &RawFrame) -> bool {
    let Some(plain) = crate::analysis::prepare_plain(raw) else {
        return false;
    };
    let walked = crate::analysis::prepare_walked(raw, &mut decode::Decoded::default());
    assert!(
        plain == walked,
        "frame {}: the plain path read {:?}, the walk {:?}",
        raw.number,
        plain.0.tcp,
        walked.0.tcp
    );
    true
}

/// TCP analysis over made-up segments: every 24 bytes are one segment's fields (ports, seq,
/// ack, flags, window, length, options), with time that may run backwards.
pub fn tcp_analysis(data: &[u8]) {
    let segments: Vec<(TcpSegment, IpAddr, IpAddr, Timestamp)> =
        data.chunks_exact(24).map(segment_from).collect();
    let mut tracker = TcpTracker::new();
    let mut http = HttpPairer::new();
    for (number, (segment, src, dst, ts)) in segments.iter().enumerate() {
        let payload = &data[..data.len().min(segment.payload_captured as usize)];
        let facts = tracker.push(&SegmentIn {
            number: number as u32 + 1,
            ts: *ts,
            src: *src,
            dst: *dst,
            segment,
            payload,
        });
        http.push_at(
            facts.stream,
            number as u32 + 1,
            *ts,
            facts.from_a,
            !facts.from_a,
            segment.seq,
            payload,
            false,
        );
    }
    let times: Vec<i128> = segments.iter().map(|(_, _, _, ts)| ts.as_nanos()).collect();
    let ts_of = |number: u32| {
        number
            .checked_sub(1)
            .and_then(|i| times.get(i as usize))
            .copied()
            .unwrap_or(0)
    };
    let (analysis, _) = tracker.finish();
    assert_eq!(analysis.records.len(), segments.len());
    let facts = analysis.all_facts(&ts_of);
    assert_eq!(facts.len(), segments.len());
    for f in &facts {
        let _ = f.info_prefix();
    }
    let _ = http.finish();
}

fn segment_from(bytes: &[u8]) -> (TcpSegment, IpAddr, IpAddr, Timestamp) {
    let u32_at =
        |i: usize| u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    let u16_at = |i: usize| u16::from_le_bytes([bytes[i], bytes[i + 1]]);
    // Two hosts and four ports, so that segments meet in a few connections.
    let forward = bytes[0] & 1 == 0;
    let (a, b) = (
        IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)),
        IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2)),
    );
    let (src, dst) = if forward { (a, b) } else { (b, a) };
    let port = 1000 + u16::from(bytes[0] >> 6);
    let (src_port, dst_port) = if forward { (port, 80) } else { (80, port) };
    let mut options = Vec::new();
    match bytes[1] % 6 {
        0 => options.push(TcpOption::WindowScale(bytes[2])),
        1 => options.push(TcpOption::MaxSegmentSize(u16_at(2))),
        2 => options.push(TcpOption::Sack(vec![
            (u32_at(4), u32_at(8)),
            (u32_at(8), u32_at(4)),
        ])),
        3 => options.push(TcpOption::Timestamp {
            value: u32_at(4),
            echo: u32_at(8),
        }),
        4 => options.push(TcpOption::SackPermitted),
        _ => {}
    }
    let payload_len = u32::from(bytes[3]) * 13;
    let segment = TcpSegment {
        src_port,
        dst_port,
        seq: u32_at(4),
        ack: u32_at(8),
        flags: u16_at(12) & 0x0fff,
        window: u16_at(14),
        header_len: 20,
        payload_len,
        payload_captured: payload_len.min(24),
        options,
        ..TcpSegment::default()
    };
    let ts = Timestamp {
        secs: i64::from(bytes[16] as i8),
        nanos: u32_at(17) % 1_000_000_000,
    };
    (segment, src, dst, ts)
}

/// HTTP parser: the start-line parser, and the pairer fed the input as one conversation cut
/// into segments where the input has a 0xff byte — by sequence number (with overlaps, repeats
/// and gaps) and in capture order. The same segments go through a byte stream as following a
/// stream reads them: what it gives as they come is each byte once, in order (as many bytes
/// as its next expected byte moved), and what it drains at the end is never empty.
pub fn http_parser(data: &[u8]) {
    use crate::tcp::stream::{Arrival, ByteStream, Following, Hold, Limits};
    use crate::tcp::SeqNumber;
    let _ = crate::http::parse_start_line(data);
    let mut http = HttpPairer::new();
    let mut stream = ByteStream::<u32>::default();
    let mut given = 0u32;
    let mut offset = 1u32;
    for (i, segment) in data.split(|&b| b == 0xff).enumerate() {
        let (from, to) = if segment.first().is_some_and(|&b| b & 1 == 0) {
            ("a:1", "b:2")
        } else {
            ("b:2", "a:1")
        };
        let ts = Timestamp {
            secs: i as i64,
            nanos: 0,
        };
        // In order mostly; every few segments an overlap, a repeat or a gap.
        let seq = match i % 7 {
            3 => offset.wrapping_sub(3),
            5 => offset.wrapping_add(1000),
            6 => offset.wrapping_sub(segment.len() as u32),
            _ => offset,
        };
        http.push_at(0, i as u32 + 1, ts, from, to, seq, segment, i % 5 == 4);
        http.push(1, i as u32 + 1, ts, from, to, segment, i % 5 == 4);
        match stream.accept(SeqNumber(seq), segment) {
            Arrival::Seen => {}
            Arrival::Ahead { .. } => {
                stream.hold(SeqNumber(seq), i as u32, segment, Hold::Bytes, Limits::NONE);
            }
            Arrival::New(new) => {
                given = given.wrapping_add(new.len() as u32);
                while let Some(Following::Bytes(_, bytes)) = stream.take_following() {
                    given = given.wrapping_add(bytes.len() as u32);
                }
            }
        }
        offset = offset.wrapping_add(segment.len() as u32);
    }
    let _ = http.finish();
    if let Some(next) = stream.next() {
        assert_eq!(
            next - SeqNumber(1),
            given as i32,
            "bytes given once, in order"
        );
    }
    assert!(stream.drain_in_order().iter().all(|(_, b)| !b.is_empty()));
}

/// Packet detail tree: the bytes decoded as a frame of every link type, then its tree built
/// with made-up facts (absurd numbers, facts that disagree with the bytes, a "reassembled"
/// message that is the frame itself cut into made-up pieces), with and without checksum
/// verification; every node's span must lie within the frame.
pub fn detail_tree(data: &[u8]) {
    use crate::detail::{self, DetailOptions, FrameContext, FrameExtras};
    // Frames are at most 256 KiB; a larger input says nothing more and only runs slower.
    let data = &data[..data.len().min(65_536)];
    let byte = |i: usize| data.get(i).copied().unwrap_or(0);
    let word = |i: usize| u32::from_le_bytes([byte(i), byte(i + 1), byte(i + 2), byte(i + 3)]);
    let facts = crate::tcp::TcpFrameFacts {
        stream: word(0),
        relative_seq: word(4),
        relative_ack: word(8),
        next_seq: word(12),
        segment_len: word(16),
        window_calc: u64::MAX,
        irtt: Some(f64::from(word(20)) * -1e-3),
        acked_frame: Some(word(24)),
        ack_rtt: Some(f64::NAN),
        bytes_in_flight: Some(word(28)),
        dup_ack_num: Some(word(32)),
        dup_ack_of: Some(word(36)),
        ..Default::default()
    };
    let completeness = crate::tcp::Completeness { value: byte(40) };
    let uri = String::from_utf8_lossy(data.get(..data.len().min(40)).unwrap_or_default());
    let exchanges = [crate::http::HttpExchange {
        request_frame: 1,
        response_frame: Some(1),
        uri: &uri,
        time: Some(f64::INFINITY),
        ..Default::default()
    }];
    // Three messages completed by the frame (pipelined requests), whatever its bytes are.
    let mut pairer = crate::http::HttpPairer::<bool>::new();
    let requests = format!("GET /{uri} HTTP/1.1\r\n\r\n").repeat(2) + "GET / HTTP/1.1\r\n\r\n";
    pairer.push(
        0,
        1,
        Timestamp::default(),
        false,
        true,
        requests.as_bytes(),
        false,
    );
    let pairs = pairer.finish();
    let view = pairs.frame(1).unwrap_or(crate::http::FrameHttp::Segment);
    let segments = [(1, word(44)), (1, u32::from(byte(48))), (2, 7)];
    let extras = FrameExtras {
        ip_stream: Some(word(52)),
        tcp_stream_packet: Some(word(56)),
        push_bytes_sent: Some(word(60)),
        closing: Some(detail::Closing::Undergoes),
        window_scale: Some(detail::WindowScaleShown::Multiplier(word(64))),
        udp_stream: Some(1),
        udp_times: Some((i64::MIN, i64::MAX)),
        ..FrameExtras::default()
    };
    for (i, &link_type) in LINK_TYPES
        .iter()
        .chain(&[crate::capture::LINKTYPE_PCAPNG_CUSTOM, word(0)])
        .enumerate()
    {
        let orig_len = (data.len() as u32).saturating_add(u32::from(byte(i)) % 3);
        let decoded = decode::decode_frame(link_type, data, Some(orig_len));
        let tracked = i % 2 == 0;
        let ctx = FrameContext {
            number: word(68),
            ts: Timestamp {
                secs: i64::from(word(72) as i32) * 1_000_000_000,
                nanos: word(76),
            },
            has_ts: tracked,
            ts_digits: byte(80),
            time_relative_ns: i128::MIN,
            time_delta_ns: i128::MAX,
            time_delta_displayed_ns: -1,
            orig_len,
            link_type,
            interface: word(84),
            pcapng: tracked,
            interface_name: None,
            bytes: data,
            decoded: &decoded,
            tcp: tracked.then_some(&facts),
            completeness: tracked.then_some(completeness),
            tcp_stream_times: Some((i128::MIN, i128::MAX)),
            extras: if tracked {
                extras
            } else {
                FrameExtras::default()
            },
            http: if i % 3 == 0 {
                Some(view)
            } else {
                Some(crate::http::FrameHttp::Segment)
            },
            http_exchanges: &exchanges,
            http_request_hosts: &[(1, "h")],
            http_bytes: (i % 4 == 0).then_some(data),
            http_segments: if i % 4 == 0 { &segments } else { &[] },
            http_reassembled_in: Some(2),
            color_rule: Some(("TCP", "tcp")),
        };
        for verify_checksums in [false, true] {
            let tree = detail::build(&ctx, &DetailOptions { verify_checksums });
            for node in &tree {
                node.walk(&mut |n, _| {
                    if let Some([offset, len]) = n.span {
                        assert!(
                            u64::from(offset) + u64::from(len) <= data.len() as u64,
                            "{:?} spans {offset}+{len} of {} bytes (link type {link_type})",
                            n.label,
                            data.len()
                        );
                    }
                });
            }
        }
    }
}

/// The whole pipeline on any bytes: read, decode, track, then every row and the summary.
pub fn whole_pipeline(data: &[u8]) {
    let mut analysis = Analysis::new();
    analysis.retain(crate::capture::Retain::Always);
    for part in data.chunks(4096) {
        analysis.push(part);
    }
    let report = analysis.finish();
    let _ = crate::row::all(&report);
    let _ = crate::explain::capture::summary(&report, crate::explain::Lang::En);
    let _ = crate::explain::capture::summary_texts(&report, crate::explain::Lang::Zh);
}

/// Display filters: any text (lossily UTF-8) is compiled; an error's span must lie within
/// the text; a filter that compiles is run on every frame of a small capture made of the
/// input's bytes as payloads (TCP, UDP, ARP and IPv6 frames), and must say what it reads.
pub fn display_filter(data: &[u8]) {
    use crate::filter::{compile, DecodedFrame, HttpMessage};
    let text = String::from_utf8_lossy(data);
    let filter = match compile(&text) {
        Ok(filter) => filter,
        Err(error) => {
            let chars = text.chars().count();
            assert!(
                error.start <= error.end && error.end <= chars,
                "span {}..{} outside {chars} characters",
                error.start,
                error.end
            );
            return;
        }
    };
    let _ = (filter.fields(), filter.needs_bytes());
    let http = [HttpMessage {
        request: true,
        method: "GET".into(),
        uri: text.chars().take(64).collect(),
        version: "HTTP/1.1".into(),
        host: Some("example".into()),
        ..HttpMessage::default()
    }];
    for (number, (link_type, frame)) in filter_frames(data).iter().enumerate() {
        let decoded = decode::decode(*link_type, frame);
        let facts = crate::tcp::TcpFrameFacts {
            dup_ack_num: Some(1),
            ack_rtt: Some(f64::NAN),
            ..Default::default()
        };
        let source = DecodedFrame {
            number: number as u32 + 1,
            orig_len: frame.len() as u32,
            cap_len: frame.len() as u32,
            time_relative: number as f64,
            time_delta: -1.0,
            time_epoch: f64::INFINITY,
            bytes: frame,
            decoded: &decoded,
            tcp: decoded.tcp.as_ref().map(|_| &facts),
            http: if number == 0 { &http } else { &[] },
        };
        let _ = filter.matches(&source);
    }
}

/// Raw-IP frames (LINKTYPE_RAW) carrying `payload`, and an Ethernet ARP frame.
fn filter_frames(payload: &[u8]) -> Vec<(u32, Vec<u8>)> {
    let payload = &payload[..payload.len().min(1400)];
    let ipv4 = |protocol: u8, transport: &[u8]| {
        let total = (20 + transport.len()) as u16;
        let mut frame = vec![0x45, 0, 0, 0, 0x12, 0x34, 0x40, 0, 64, protocol, 0, 0];
        frame[2..4].copy_from_slice(&total.to_be_bytes());
        frame.extend_from_slice(&[10, 0, 0, 1, 192, 168, 1, 2]);
        frame.extend_from_slice(transport);
        frame
    };
    let mut tcp = vec![
        0x1f, 0x90, 0xc0, 0x01, 0, 0, 0, 1, 0, 0, 0, 2, 0x60, 0x18, 0xff, 0xff,
    ];
    tcp.extend_from_slice(&[0, 0, 0, 0, 2, 4, 5, 0xb4]);
    tcp.extend_from_slice(payload);
    let mut udp = vec![0x00, 0x35, 0x30, 0x39, 0, 0, 0, 0];
    let udp_len = (8 + payload.len()) as u16;
    udp[4..6].copy_from_slice(&udp_len.to_be_bytes());
    udp.extend_from_slice(payload);
    let mut ipv6 = vec![0x60, 0, 0, 0, 0, 0, 6, 64];
    ipv6[4..6].copy_from_slice(&((tcp.len()) as u16).to_be_bytes());
    ipv6.extend_from_slice(&[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    ipv6.extend_from_slice(&[0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
    ipv6.extend_from_slice(&tcp);
    let mut arp = vec![0xff; 6];
    arp.extend_from_slice(&[0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x08, 0x06]);
    arp.extend_from_slice(&[0, 1, 8, 0, 6, 4, 0, 1, 0, 0x11, 0x22, 0x33, 0x44, 0x55]);
    arp.extend_from_slice(&[10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 10, 0, 0, 2]);
    vec![
        (101, ipv4(6, &tcp)),
        (101, ipv4(17, &udp)),
        (101, ipv6),
        (1, arp),
        (101, payload.to_vec()),
    ]
}

/// The ladder renderers on any capture: every stream's ladder (at most 8), folded or
/// expanded, on a folded or proportional time axis, as SVG (which must be well-formed XML),
/// Mermaid and text in both languages, and every arrow's explanation.
pub fn ladder_renderer(data: &[u8]) {
    use crate::explain::Lang;
    use crate::ladder::words::{arrow_summary, explain_arrow};
    use crate::ladder::{mermaid, svg, text, Ladder, LadderOptions, TimeAxis};
    // Every field of the options is set below; a new one must be chosen here too.
    let report = crate::analysis::analyze_bytes(data);
    let choice = data.last().copied().unwrap_or(0);
    for stream in 0..report.tcp.connection_count().min(8) as u32 {
        let options = LadderOptions {
            time_axis: if choice & 1 == 0 {
                TimeAxis::Folded
            } else {
                TimeAxis::Proportional
            },
            expand_data: choice & 2 != 0,
            fold_over: usize::from(choice >> 2),
            max_expanded: usize::from(choice),
        };
        let Some(ladder) = Ladder::build_with(&report, stream, options) else {
            continue;
        };
        for lang in [Lang::En, Lang::Zh] {
            let doc = svg::render(&ladder, lang);
            if let Err(e) = check_xml(&doc) {
                panic!("stream {stream}: the SVG is not well-formed: {e}");
            }
            let _ = mermaid::render(&ladder, lang);
            let _ = text::render(&ladder, lang);
            for arrow in ladder.arrows.iter().take(64) {
                let _ = arrow_summary(arrow, lang);
                let _ = explain_arrow(&ladder, arrow, lang);
            }
        }
    }
}

/// A small well-formedness check: balanced tags, quoted attributes, known entities, no
/// stray `<` or `&`, only characters XML allows. Returns the element names in order.
pub fn check_xml(doc: &str) -> Result<Vec<String>, String> {
    let mut stack: Vec<String> = Vec::new();
    let mut names = Vec::new();
    let bytes = doc.as_bytes();
    let mut i = 0;
    if let Some(c) = doc
        .chars()
        .find(|c| matches!(*c as u32, 0..=8 | 0xb | 0xc | 0xe..=0x1f | 0xfffe | 0xffff))
    {
        return Err(format!("invalid character {c:?}"));
    }
    let check_text = |t: &str| -> Result<(), String> {
        let mut rest = t;
        while let Some(at) = rest.find('&') {
            let after = &rest[at + 1..];
            let end = after.find(';').ok_or("unterminated entity")?;
            let name = &after[..end];
            let ok = matches!(name, "amp" | "lt" | "gt" | "quot" | "apos")
                || (name.starts_with('#') && name.len() > 1);
            if !ok {
                return Err(format!("unknown entity &{name};"));
            }
            rest = &after[end + 1..];
        }
        Ok(())
    };
    while i < bytes.len() {
        let Some(open) = doc[i..].find('<') else {
            check_text(&doc[i..])?;
            break;
        };
        check_text(&doc[i..i + open])?;
        let start = i + open;
        let close = doc[start..].find('>').ok_or("unterminated tag")? + start;
        let tag = &doc[start + 1..close];
        if tag.contains('<') {
            return Err(format!("'<' inside tag {tag:?}"));
        }
        if let Some(name) = tag.strip_prefix('/') {
            let top = stack
                .pop()
                .ok_or(format!("</{name}> without an opening tag"))?;
            if top != name.trim() {
                return Err(format!("</{name}> closes <{top}>"));
            }
        } else {
            let self_closing = tag.ends_with('/');
            let body = tag.trim_end_matches('/');
            let name: String = body.chars().take_while(|c| !c.is_whitespace()).collect();
            if name.is_empty() {
                return Err("empty tag name".into());
            }
            // Attributes: name="value" pairs, values without '<' and with valid entities.
            let mut attrs = body[name.len()..].trim();
            while !attrs.is_empty() {
                let eq = attrs
                    .find('=')
                    .ok_or(format!("attribute without value in <{name}>"))?;
                let rest = attrs[eq + 1..].trim_start();
                let quote = rest.chars().next().ok_or("missing value")?;
                if quote != '"' && quote != '\'' {
                    return Err(format!("unquoted attribute in <{name}>"));
                }
                let end = rest[1..].find(quote).ok_or("unterminated value")? + 1;
                check_text(&rest[1..end])?;
                attrs = rest[end + 1..].trim_start();
            }
            names.push(name.clone());
            if !self_closing {
                stack.push(name);
            }
        }
        i = close + 1;
    }
    if let Some(open) = stack.pop() {
        return Err(format!("<{open}> is never closed"));
    }
    Ok(names)
}

/// Batches of frames between the page's two Workers ([`crate::analysis::batch`]): any bytes read as a
/// batch are refused or read, and what is read is written back byte for byte; the same bytes
/// read as a capture give frames that come out of a batch as they went in.
pub fn frame_batch(data: &[u8]) {
    let mut frames = Vec::new();
    let read = crate::analysis::batch::each(data, |frame, payload| {
        frames.push((frame, payload.to_vec()))
    });
    if read.is_ok() {
        let mut again = Vec::new();
        for (frame, payload) in &frames {
            crate::analysis::batch::put(&mut again, frame, payload);
        }
        assert!(again == data, "a batch read and written again changed");
    }
    capture_through_batch(data);
}

/// `data` read as a capture: its frames come out of a batch as they went in. Returns how
/// many there were.
pub fn capture_through_batch(data: &[u8]) -> usize {
    let (mut reading, _) = Analysis::new().into_halves();
    let (mut batch, mut frames) = (Vec::new(), Vec::new());
    reading.read(data, |frame, payload| {
        crate::analysis::batch::put(&mut batch, &frame, payload);
        frames.push((frame, payload.to_vec()));
    });
    let mut back = Vec::new();
    let read = crate::analysis::batch::each(&batch, |frame, payload| {
        back.push((frame, payload.to_vec()))
    });
    assert!(read.is_ok() && back == frames, "frames changed in a batch");
    frames.len()
}

#[cfg(test)]
mod tests {
    use super::TARGETS;
    use std::path::Path;

    /// Every target over every shared capture and every saved regression input: the fuzz
    /// targets' code runs on stable Rust in every `cargo test`.
    #[test]
    fn fuzz_targets_hold_on_the_corpus_and_the_regressions() {
        let mut inputs: Vec<(String, Vec<u8>)> = Vec::new();
        for path in crate::test_captures::all_captures() {
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            inputs.push((path.display().to_string(), bytes));
        }
        inputs.push(("demo".into(), crate::test_captures::demo()));
        let regressions = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fuzz-regressions");
        let mut regression_files: Vec<_> = std::fs::read_dir(&regressions)
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        regression_files.sort();
        for path in regression_files {
            if path.extension().is_some_and(|x| x == "md") {
                continue;
            }
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            inputs.push((path.display().to_string(), bytes));
        }
        for (name, target) in TARGETS {
            for (file, bytes) in &inputs {
                // Regression files are named after their target: run them there only.
                if file.contains("fuzz-regressions") && !file.contains(name) {
                    continue;
                }
                let outcome = std::panic::catch_unwind(|| target(bytes));
                assert!(outcome.is_ok(), "fuzz target {name} panicked on {file}");
                // The capture reader also in small chunks (its first byte picks the size).
                if name == "capture_reader" && !file.contains("fuzz-regressions") {
                    let with_selector = [&[6u8][..], bytes].concat();
                    target(&with_selector);
                }
            }
        }
    }
}
