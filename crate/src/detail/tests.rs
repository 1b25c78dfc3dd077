//! Tests of the detail tree: the tutorial's ten frames field for field, spans, options,
//! checksums, other link layers and protocols from the shared captures, damaged frames.

use super::*;
use crate::analysis::analyze_bytes;
use crate::http::FrameHttp;

/// Every frame's tree for a capture, built from the whole analysis as the page would build
/// it. The one place that knows the shape of `analysis::Report`.
fn frame_trees(capture: &[u8], options: &DetailOptions) -> Vec<Vec<Node>> {
    let report = analyze_bytes(capture);
    // Frame offsets count decompressed bytes.
    let file: Vec<u8> = if capture.starts_with(&[0x1f, 0x8b]) {
        use std::io::Read;
        let mut out = Vec::new();
        let _ = flate2::read::MultiGzDecoder::new(capture).read_to_end(&mut out);
        out
    } else {
        capture.to_vec()
    };
    let bytes_of = |f: &crate::analysis::FrameRecord| -> &[u8] {
        let start = usize::try_from(f.offset).unwrap_or(usize::MAX);
        file.get(start..start.saturating_add(f.cap_len as usize))
            .unwrap_or_default()
    };
    let mut tracker = ExtrasTracker::new();
    for f in &report.frames {
        tracker.push(f.ts, &f.decoded, report.tcp_facts(f));
    }
    let extras = tracker.finish();
    let pcapng = report
        .capture
        .info
        .as_ref()
        .is_some_and(|i| i.format == crate::capture::Format::Pcapng);
    let hosts: Vec<(u32, &str)> = report
        .http
        .exchanges
        .iter()
        .filter_map(|x| {
            let f = report
                .frames
                .get(x.request_frame.checked_sub(1)? as usize)?;
            Some((x.request_frame, http_host(bytes_of(f), &f.decoded)?))
        })
        .collect();
    let mut previous_ts = None;
    let mut trees = Vec::new();
    for (i, f) in report.frames.iter().enumerate() {
        let facts = report.tcp_facts(f);
        let frame_extras = extras.get(i).copied().unwrap_or_default();
        let http = report.http.frame(f.number);
        let exchanges: Vec<&crate::http::HttpExchange> = report
            .http
            .exchanges
            .iter()
            .filter(|x| {
                x.request_frame == f.number
                    || x.response_frame == Some(f.number)
                    || x.interim_frames.contains(&f.number)
            })
            .collect();
        // A segment of a longer message: the later frame of its stream and sender that
        // completes a message.
        let reassembled_in = match (http, facts, f.decoded.transport_ip()) {
            (Some(FrameHttp::Segment), Some(t), Some(ip)) => {
                report.frames.iter().skip(i + 1).find_map(|later| {
                    let same = report
                        .tcp_facts(later)
                        .is_some_and(|lt| lt.stream == t.stream)
                        && later.decoded.transport_ip().map(|l| l.src) == Some(ip.src);
                    let completes = matches!(
                        report.http.frame(later.number),
                        Some(FrameHttp::Messages(_))
                    );
                    (same && completes).then_some(later.number)
                })
            }
            _ => None,
        };
        // A message that began in earlier segments: its bytes, reassembled from the payloads
        // of the sender's segments of it (retransmissions skipped) and this frame's.
        let payload_of = |f: &crate::analysis::FrameRecord| -> Vec<u8> {
            let Some(seg) = f.decoded.tcp.as_ref() else {
                return Vec::new();
            };
            let at = seg.payload_offset as usize;
            bytes_of(f)
                .get(at..at + seg.payload_captured as usize)
                .unwrap_or_default()
                .to_vec()
        };
        let mut pieces: Vec<(u32, Vec<u8>)> = Vec::new();
        if let (Some(FrameHttp::Messages(_)), Some(t), Some(ip)) =
            (http, facts, f.decoded.transport_ip())
        {
            for earlier in report.frames[..i].iter().rev() {
                let Some(et) = report.tcp_facts(earlier) else {
                    continue;
                };
                let same = et.stream == t.stream
                    && earlier.decoded.transport_ip().map(|e| e.src) == Some(ip.src);
                if !same || et.segment_len == 0 {
                    continue;
                }
                if et.analysis.has(crate::tcp::Flag::Retransmission) {
                    continue;
                }
                if !matches!(report.http.frame(earlier.number), Some(FrameHttp::Segment)) {
                    break;
                }
                pieces.insert(0, (earlier.number, payload_of(earlier)));
            }
            if !pieces.is_empty() {
                pieces.push((f.number, payload_of(f)));
            }
        }
        let reassembled: Vec<u8> = pieces.iter().flat_map(|(_, p)| p.clone()).collect();
        let segments: Vec<(u32, u32)> = pieces.iter().map(|(n, p)| (*n, p.len() as u32)).collect();
        let connection =
            facts.and_then(|t| report.tcp.connections.iter().find(|c| c.stream == t.stream));
        let interface_name = report
            .capture
            .info
            .as_ref()
            .and_then(|info| info.interfaces.get(f.interface as usize))
            .and_then(|iface| iface.name.as_deref());
        let color = report.color_rule(f).map(|r| (r.name(), r.info().filter));
        let ts = if f.has_ts { f.ts } else { report.first_ts };
        let ctx = FrameContext {
            number: f.number,
            ts: f.ts,
            has_ts: f.has_ts,
            ts_digits: f.ts_digits,
            time_relative_ns: ts.nanos_since(report.first_ts),
            time_delta_ns: previous_ts.map_or(0, |p| ts.nanos_since(p)),
            time_delta_displayed_ns: previous_ts.map_or(0, |p| ts.nanos_since(p)),
            orig_len: f.orig_len,
            link_type: f.link_type,
            interface: f.interface,
            pcapng,
            interface_name,
            bytes: bytes_of(f),
            decoded: &f.decoded,
            tcp: facts,
            connection,
            tcp_stream_times: frame_extras
                .tcp_times
                .map(|(a, b)| (i128::from(a), i128::from(b))),
            extras: frame_extras,
            http,
            http_exchanges: &exchanges,
            http_request_hosts: &hosts,
            http_bytes: (!pieces.is_empty()).then_some(reassembled.as_slice()),
            http_segments: &segments,
            http_reassembled_in: reassembled_in,
            color_rule: color,
        };
        trees.push(build(&ctx, options));
        previous_ts = Some(ts);
    }
    trees
}

/// The tree as text: one line per node, four spaces per level, as `tshark -V` prints it.
fn lines(nodes: &[Node]) -> Vec<String> {
    let mut out = Vec::new();
    for node in nodes {
        node.walk(&mut |n, depth| out.push(format!("{}{}", "    ".repeat(depth), n.label)));
    }
    out
}

fn demo_trees(options: &DetailOptions) -> Vec<Vec<Node>> {
    frame_trees(&crate::test_captures::demo(), options)
}

const TUTORIAL: [&str; 10] = [
    include_str!("testdata/tutorial_frame_01.txt"),
    include_str!("testdata/tutorial_frame_02.txt"),
    include_str!("testdata/tutorial_frame_03.txt"),
    include_str!("testdata/tutorial_frame_04.txt"),
    include_str!("testdata/tutorial_frame_05.txt"),
    include_str!("testdata/tutorial_frame_06.txt"),
    include_str!("testdata/tutorial_frame_07.txt"),
    include_str!("testdata/tutorial_frame_08.txt"),
    include_str!("testdata/tutorial_frame_09.txt"),
    include_str!("testdata/tutorial_frame_10.txt"),
];

/// The tutorial's lines for one frame, with the one deliberate difference applied.
fn tutorial_lines(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            // Deliberate difference: the tutorial's Wireshark showed the arrival time in
            // China Standard Time (UTC+8, "中国标准时间"); the tree shows UTC, in this line as
            // in "UTC Arrival Time".
            match l.strip_suffix(" 中国标准时间") {
                Some(local) => {
                    let (head, time) = local.split_at(local.len() - 18);
                    let hour: u32 = time[..2].parse().unwrap_or(0);
                    format!("{head}{:02}{} UTC", (hour + 24 - 8) % 24, &time[2..])
                }
                None => l.to_string(),
            }
        })
        .collect()
}

/// The tutorial's ten frames, field for field (label text and nesting). The only difference
/// is the time zone of "Arrival Time" (see `tutorial_lines`). The per-user fields "[Time shift
/// for this packet]", "[Frame is marked]" and "[Frame is ignored]" are shown with their
/// defaults, which are what the tutorial shows.
#[test]
fn the_tutorials_ten_frames_field_for_field() {
    let trees = demo_trees(&DetailOptions::default());
    assert_eq!(trees.len(), 10);
    let mut failures = Vec::new();
    for (i, (tree, text)) in trees.iter().zip(TUTORIAL).enumerate() {
        let ours = lines(tree);
        let theirs = tutorial_lines(text);
        if ours != theirs {
            let first = ours
                .iter()
                .zip(&theirs)
                .position(|(a, b)| a != b)
                .unwrap_or(ours.len().min(theirs.len()));
            failures.push(format!(
                "frame {}: first difference at line {}:\n  ours:     {:?}\n  tutorial: {:?}\n  ({} lines ours, {} the tutorial's)",
                i + 1,
                first + 1,
                ours.get(first),
                theirs.get(first),
                ours.len(),
                theirs.len()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The first node, depth first, whose label starts with `prefix`.
fn find<'n>(nodes: &'n [Node], prefix: &str) -> Option<&'n Node> {
    fn find_in<'n>(node: &'n Node, prefix: &str) -> Option<&'n Node> {
        if node.label.starts_with(prefix) {
            return Some(node);
        }
        node.children.iter().find_map(|c| find_in(c, prefix))
    }
    nodes.iter().find_map(|n| find_in(n, prefix))
}

fn spans_within(nodes: &[Node], frame_len: usize) -> Result<(), String> {
    let mut bad = None;
    for node in nodes {
        node.walk(&mut |n, _| {
            if let Some([offset, len]) = n.span {
                if u64::from(offset) + u64::from(len) > frame_len as u64 && bad.is_none() {
                    bad = Some(format!("{:?} spans {offset}+{len} of {frame_len}", n.label));
                }
            }
        });
    }
    bad.map_or(Ok(()), Err)
}

#[test]
fn every_span_lies_within_its_frame() {
    let demo = crate::test_captures::demo();
    let report = analyze_bytes(&demo);
    for (tree, f) in demo_trees(&DetailOptions::default())
        .iter()
        .zip(&report.frames)
    {
        spans_within(tree, f.cap_len as usize).expect("demo");
    }
}

#[test]
fn options_span_their_own_bytes() {
    let demo = crate::test_captures::demo();
    let report = analyze_bytes(&demo);
    let f = &report.frames[0];
    let bytes = &demo[f.offset as usize..f.offset as usize + f.cap_len as usize];
    let trees = demo_trees(&DetailOptions::default());
    let mss = find(&trees[0], "TCP Option - Maximum segment size").expect("MSS");
    assert_eq!(mss.label, "TCP Option - Maximum segment size: 1460 bytes");
    let [at, len] = mss.span.expect("span");
    assert_eq!(len, 4, "kind, length and the 2-byte value");
    assert_eq!(
        &bytes[at as usize..(at + len) as usize],
        &[2, 4, 0x05, 0xb4]
    );
    let ws = find(&trees[0], "TCP Option - Window scale").expect("window scale");
    assert_eq!(ws.label, "TCP Option - Window scale: 7 (multiply by 128)");
    let [at, len] = ws.span.expect("span");
    assert_eq!(&bytes[at as usize..(at + len) as usize], &[3, 3, 7]);
    assert_eq!(
        lines(std::slice::from_ref(ws)),
        vec![
            "TCP Option - Window scale: 7 (multiply by 128)",
            "    Kind: Window Scale (3)",
            "    Length: 3",
            "    Shift count: 7",
            "    [Multiplier: 128]",
        ]
    );
    let syn = find(&trees[0], ".... .... ..1. = Syn: Set").expect("SYN bit");
    assert_eq!(
        syn.children[0].expert.map(|e| e.severity),
        Some(Severity::Chat)
    );
}

#[test]
#[ignore]
fn dump_capture() {
    let Some(path) = std::env::var_os("DETAIL_CAPTURE") else {
        return;
    };
    let bytes = std::fs::read(path).expect("capture");
    for tree in frame_trees(&bytes, &DetailOptions::default()) {
        for l in lines(&tree) {
            println!("{l}");
        }
        println!();
    }
}
