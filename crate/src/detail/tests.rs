//! Tests of the detail tree: the tutorial's ten frames field for field, spans, options,
//! checksums, other link layers and protocols from the shared captures, damaged frames.

use super::*;

/// Each frame's context for a capture, built from the whole analysis as the page builds it
/// ([`with_context`], from the capture kept in memory), handed to `visit` in frame order.
fn each_frame(capture: &[u8], visit: &mut dyn FnMut(&FrameContext)) {
    let report = crate::analysis::analyze_bytes(capture);
    let mut source = report.kept().expect("analyze_bytes keeps the capture");
    let mut previous = None;
    for f in report.numbered() {
        with_context(&report, &f, &mut source, previous.as_ref(), &mut |ctx| {
            visit(ctx)
        })
        .expect("every frame's bytes are kept");
        previous = Some(f);
    }
}

/// Every frame's tree for a capture.
fn frame_trees(capture: &[u8], options: &DetailOptions) -> Vec<Vec<Node>> {
    let mut trees = Vec::new();
    each_frame(capture, &mut |ctx| trees.push(build(ctx, options)));
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
    each_frame(&crate::test_captures::demo(), &mut |ctx| {
        for options in [
            DetailOptions::default(),
            DetailOptions {
                verify_checksums: true,
            },
        ] {
            spans_within(&build(ctx, &options), ctx.bytes.len()).expect("demo");
        }
    });
}

#[test]
fn options_span_their_own_bytes() {
    let mut first = None;
    each_frame(&crate::test_captures::demo(), &mut |ctx| {
        if ctx.number == 1 {
            first = Some((ctx.bytes.to_vec(), build(ctx, &DetailOptions::default())));
        }
    });
    let (bytes, tree) = first.expect("frame 1");
    let trees = [tree];
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

/// The tree of one frame of a shared capture (None when the shared captures are absent).
fn shared_frame(capture: &str, number: usize, options: &DetailOptions) -> Option<Vec<Node>> {
    let path = crate::test_captures::capture_paths(&[capture]).pop()?;
    let bytes = std::fs::read(path).ok()?;
    frame_trees(&bytes, options).into_iter().nth(number - 1)
}

/// Lines of a node as tshark 4.0 would print them: without what only Wireshark 4.2 and later
/// show (IP and IPv6 stream indices, the TCP stream packet number, the completeness bits).
fn lines_as_tshark_4_0(node: &Node) -> Vec<String> {
    fn go(node: &Node, depth: usize, out: &mut Vec<String>) {
        if matches!(
            node.field,
            Some("ip.stream" | "ipv6.stream" | "tcp.stream.pnum")
        ) {
            return;
        }
        out.push(format!("{}{}", "    ".repeat(depth), node.label));
        if node.field == Some("tcp.completeness") {
            return;
        }
        for child in &node.children {
            go(child, depth + 1, out);
        }
    }
    let mut out = Vec::new();
    go(node, 0, &mut out);
    out
}

const TSHARK: [(&str, usize, &str); 11] = [
    (
        "public/zeek/http-qinq-0.pcap",
        1,
        include_str!("testdata/tshark_http-qinq-0_1.txt"),
    ),
    (
        "public/zeek/ipv6-http-atomic-frag.pcap",
        1,
        include_str!("testdata/tshark_ipv6-http-atomic-frag_1.txt"),
    ),
    (
        "public/zeek/ipv6-http-atomic-frag.pcap",
        13,
        include_str!("testdata/tshark_ipv6-http-atomic-frag_13.txt"),
    ),
    (
        "public/zeek/ipv6-http-atomic-frag.pcap",
        23,
        include_str!("testdata/tshark_ipv6-http-atomic-frag_23.txt"),
    ),
    (
        "public/tcpdump/mptcp-fclose.pcap",
        1,
        include_str!("testdata/tshark_mptcp-fclose_1.txt"),
    ),
    (
        "public/zeek/timeout-with-pings.pcap",
        4,
        include_str!("testdata/tshark_timeout-with-pings_4.txt"),
    ),
    (
        "public/tcpdump/lspping-fec-ldp.pcap",
        2,
        include_str!("testdata/tshark_lspping-fec-ldp_2.txt"),
    ),
    (
        "public/tcpdump/tcp_rst_diag_payload.pcap",
        1,
        include_str!("testdata/tshark_tcp_rst_diag_payload_1.txt"),
    ),
    (
        "public/zeek/openjdk-25.0.2-zeek.org.pcap",
        1,
        include_str!("testdata/tshark_openjdk-25.0.2-zeek.org_1.txt"),
    ),
    (
        "public/zeek/get.pcap",
        9,
        include_str!("testdata/tshark_get_9.txt"),
    ),
    (
        "public/zeek/get.pcap",
        2,
        include_str!("testdata/tshark_get_2.txt"),
    ),
];

/// Ethernet, 802.1Q, Linux cooked v2, null, PPP, IPv4, IPv6 with fragment and hop-by-hop
/// headers, ICMP, ICMPv6, ARP, UDP, TCP and the reassembly node of other captures, layer by
/// layer as tshark 4.0 shows them (its output is in testdata/tshark_*.txt). Remaining
/// differences elsewhere in those frames are listed in the module's documentation.
#[test]
fn other_layers_match_tshark() {
    let mut failures = Vec::new();
    for (capture, number, text) in TSHARK {
        let Some(tree) = shared_frame(capture, number, &DetailOptions::default()) else {
            continue;
        };
        // Remaining difference: ICMP echo requests and replies are not paired here, so
        // Wireshark's "[Response frame]", "[Request frame]" and "[Response time]" are absent.
        let theirs: Vec<&str> = text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter(|l| {
                let l = l.trim_start();
                !(l.starts_with("[Response frame:")
                    || l.starts_with("[Request frame:")
                    || l.starts_with("[Response time:"))
            })
            .collect();
        // The fixture holds whole top-level layers; compare each with ours of the same name.
        let mut start = 0;
        while start < theirs.len() {
            let end = theirs[start + 1..]
                .iter()
                .position(|l| !l.starts_with(' '))
                .map_or(theirs.len(), |p| start + 1 + p);
            let heading = theirs[start];
            let block: Vec<String> = theirs[start..end].iter().map(|l| l.to_string()).collect();
            let ours = tree
                .iter()
                .filter(|n| n.label == heading)
                .map(lines_as_tshark_4_0)
                .find(|l| *l == block);
            if ours.is_none() {
                let candidate = tree
                    .iter()
                    .find(|n| n.label == heading)
                    .map(lines_as_tshark_4_0);
                failures.push(format!(
                    "{capture} frame {number}: {heading:?}\n  ours: {candidate:#?}\n  tshark: {block:#?}"
                ));
            }
            start = end;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn checksums_verified_on_request_with_offload_explained() {
    let plain = demo_trees(&DetailOptions::default());
    let checked = demo_trees(&DetailOptions {
        verify_checksums: true,
    });
    assert!(find(&plain[4], "Checksum: 0x81dd [unverified]").is_some());
    // Client to server (frames 1, 3, 4, 7, 8, 10) was captured on its way in: right.
    for i in [0, 2, 3, 6, 7, 9] {
        let tcp = find(&checked[i], "Transmission Control Protocol").expect("TCP");
        let checksum = find(&tcp.children, "Checksum: ").expect("checksum");
        assert!(checksum.label.ends_with("[correct]"), "{}", checksum.label);
        assert!(
            find(&checked[i], "Header Checksum: ").is_some_and(|n| n.label.ends_with("[correct]"))
        );
    }
    // Server to client (frames 2, 5, 6, 9) was captured on the server before its network
    // card filled the checksum in: the tutorial's offload case. Wording as tshark's
    // `-o tcp.check_checksum:TRUE` on frame 5.
    for i in [1, 4, 5, 8] {
        let tcp = find(&checked[i], "Transmission Control Protocol").expect("TCP");
        let checksum = find(&tcp.children, "Checksum: ").expect("checksum");
        assert!(
            checksum.label.contains("incorrect, should be 0x"),
            "{}",
            checksum.label
        );
        let explanation = checksum.children.last().expect("explanation");
        assert!(
            explanation.label.contains("checksum offload"),
            "{}",
            explanation.label
        );
        assert!(
            explanation.label.contains("\"Sent by us\""),
            "{}",
            explanation.label
        );
    }
    let tcp = find(&checked[4], "Transmission Control Protocol").expect("TCP");
    let from = tcp
        .children
        .iter()
        .position(|n| n.label.starts_with("Checksum: "))
        .expect("checksum");
    assert_eq!(
        lines(&tcp.children[from..from + 3])
            .into_iter()
            .filter(|l| !l.contains("Why this checksum"))
            .collect::<Vec<_>>(),
        vec![
            "Checksum: 0x81dd incorrect, should be 0xd0c2(maybe caused by \"TCP checksum offload\"?)",
            "    [Expert Info (Error/Checksum): Bad checksum [should be 0xd0c2]]",
            "        [Bad checksum [should be 0xd0c2]]",
            "        [Severity level: Error]",
            "        [Group: Checksum]",
            "[Checksum Status: Bad]",
            "[Calculated Checksum: 0xd0c2]",
        ]
    );
    let explanation = &tcp.children[from].children[1];
    assert!(
        explanation.generated
            && explanation
                .label
                .contains("0x81dd, exactly the sum of the pseudo-header")
    );
    let bad = tcp.children[from].children[0].expert.expect("expert");
    assert_eq!((bad.severity, bad.group), (Severity::Error, "Checksum"));
}

/// A frame the snaplen cut inside its TCP header: the tree shows what is there and the
/// decoder's sentence as an expert info under TCP.
#[test]
fn a_truncated_frame_shows_its_problems() {
    let mut ran = false;
    each_frame(&crate::test_captures::demo(), &mut |whole| {
        if whole.number == 1 {
            truncated_frame_1(whole);
            ran = true;
        }
    });
    assert!(ran);
}

fn truncated_frame_1(whole: &FrameContext) {
    // 16 bytes of SLL, 20 of IPv4, then 26 of the 40-byte TCP header; no tracker facts.
    let cut = &whole.bytes[..62];
    let decoded = crate::decode::decode_frame(whole.link_type, cut, Some(whole.orig_len));
    assert!(!decoded.problems.is_empty());
    let ctx = FrameContext {
        bytes: cut,
        decoded: &decoded,
        tcp: None,
        completeness: None,
        tcp_stream_times: None,
        extras: FrameExtras::default(),
        http: None,
        http_exchanges: &[],
        ..*whole
    };
    let tree = build(
        &ctx,
        &DetailOptions {
            verify_checksums: true,
        },
    );
    spans_within(&tree, cut.len()).expect("spans");
    assert_eq!(
        tree[0].label,
        "Frame 1: 76 bytes on wire (608 bits), 62 bytes captured (496 bits)"
    );
    let tcp = tree
        .iter()
        .find(|n| n.field == Some("tcp"))
        .expect("a TCP node");
    let problem = tcp
        .children
        .iter()
        .find(|n| n.expert.is_some_and(|e| e.group == "Malformed"))
        .expect("the problem under TCP");
    assert_eq!(
        problem.children[0].label,
        format!("[{}]", decoded.problems[0])
    );
    // The options that were captured are still there.
    assert!(find(&tree, "TCP Option - Maximum segment size: 1460 bytes").is_some());
    assert!(find(&tree, "TCP Option - SACK permitted").is_some());
    // Checksums over bytes that were not captured are not computed.
    assert!(find(&tree, "Checksum: 0x79b2 [unverified]").is_some());

    // A TCP header cut before its flags: the ports, and the sentence.
    let cut = &whole.bytes[..40];
    let decoded = crate::decode::decode_frame(whole.link_type, cut, Some(whole.orig_len));
    let ctx = FrameContext {
        bytes: cut,
        decoded: &decoded,
        ..ctx
    };
    let tree = build(&ctx, &DetailOptions::default());
    spans_within(&tree, cut.len()).expect("spans");
    let tcp = tree.iter().find(|n| n.field == Some("tcp")).expect("TCP");
    assert_eq!(
        tcp.label,
        "Transmission Control Protocol, Src Port: 58626, Dst Port: 8080"
    );
    assert!(tcp.children.iter().any(|n| n
        .label
        .starts_with("[Expert Info (Error/Malformed): TCP: header needs 20 bytes")));
}

/// A message given reassembled, as if frame 6's response had come in two segments (frames 5
/// and 6): the reassembly node, and spans only for the part in this frame.
#[test]
fn a_reassembled_message_gets_its_segments_node() {
    let mut ran = false;
    each_frame(&crate::test_captures::demo(), &mut |whole| {
        if whole.number == 6 {
            reassembled_frame_6(whole);
            ran = true;
        }
    });
    assert!(ran);
}

fn reassembled_frame_6(whole: &FrameContext) {
    let bytes = whole.bytes;
    let seg = whole.decoded.tcp.as_ref().expect("TCP");
    let payload = &bytes[seg.payload_offset as usize..];
    assert_eq!(payload.len(), 126);
    let segments = [(5, 60), (6, 66)];
    let ctx = FrameContext {
        http_bytes: Some(payload),
        http_segments: &segments,
        ..*whole
    };
    let tree = build(&ctx, &DetailOptions::default());
    spans_within(&tree, bytes.len()).expect("spans");
    let reassembled = tree
        .iter()
        .find(|n| n.field == Some("tcp.segments"))
        .expect("reassembly node");
    assert_eq!(
        lines(std::slice::from_ref(reassembled))[..5],
        [
            "[2 Reassembled TCP Segments (126 bytes): #5(60), #6(66)]",
            "    [Frame: 5, payload: 0-59 (60 bytes)]",
            "    [Frame: 6, payload: 60-125 (66 bytes)]",
            "    [Segment count: 2]",
            "    [Reassembled TCP length: 126]",
        ]
    );
    assert!(find(&tree, "TCP segment data (126 bytes)").is_some());
    let http = tree.iter().find(|n| n.field == Some("http")).expect("HTTP");
    // The status line lies in "frame 5"'s part: no bytes of this frame to show.
    assert_eq!(http.children[0].label, "HTTP/1.1 200 \\r\\n");
    assert_eq!(http.children[0].span, None);
    // The body lies in this frame's part. Frame 6's piece is, by the caller's account, the
    // first 66 bytes of its payload (message bytes 60-125), so the body (message bytes
    // 114-125) is mapped to payload bytes 54-65.
    let file_data = find(&tree, "File Data: 12 bytes").expect("file data");
    assert_eq!(file_data.span, Some([seg.payload_offset + 54, 12]));
    assert!(find(
        &tree,
        "[Full request URI: http://192.168.0.52:8080/hello?name=world]"
    )
    .is_some());
}

/// Frames of other link layers and protocols build without panicking, with every span in
/// its frame: IPv6, VLAN, QinQ, UDP, ARP, ICMP, PPP, null, SLL2, tunnels, damaged captures.
#[test]
fn other_captures_build_with_spans_in_their_frames() {
    let captures = crate::test_captures::capture_paths(&[
        "public/zeek/ipv6.pcap",
        "public/zeek/ipv6-http-atomic-frag.pcap",
        "public/zeek/http-vlan-0.pcap",
        "public/zeek/http-qinq-0.pcap",
        "public/zeek/vlan-qinqinq.pcap",
        "public/zeek/pppoe-over-qinq.pcap",
        "public/zeek/timeout-with-pings.pcap",
        "public/tcpdump/mptcp-fclose.pcap",
        "public/tcpdump/lspping-fec-ldp.pcap",
        "public/tcpdump/arcnet-rfc1201-arp-icmp-http.pcap",
        "public/tcpdump/ipoib.pcap",
        "public/zeek/nflog-http.pcap",
        "public/zeek/vxlan-encapsulated-http.pcap",
        "public/zeek/Teredo.pcap",
        "public/zeek/openjdk-25.0.2-zeek.org.pcap",
        "public/tcpdump/tcp_header_heapoverflow.pcap",
        "public/tcpdump/beep-oobr.pcap",
        "public/gopacket/test202.pcapng",
        "public/zeek/option-sack.pcap",
        "public/zeek/llc.pcap",
    ]);
    for path in captures {
        let bytes = std::fs::read(&path).expect("capture");
        let mut frames = 0;
        each_frame(&bytes, &mut |ctx| {
            frames += 1;
            for verify_checksums in [false, true] {
                let tree = build(ctx, &DetailOptions { verify_checksums });
                spans_within(&tree, ctx.bytes.len())
                    .unwrap_or_else(|e| panic!("{} frame {}: {e}", path.display(), ctx.number));
            }
        });
        assert!(frames > 0, "{}", path.display());
    }
}

#[test]
fn the_tree_serialises_compactly() {
    let trees = demo_trees(&DetailOptions::default());
    let json = serde_json::to_value(&trees[0][1]).expect("json");
    assert_eq!(json["label"], "Linux cooked capture v1");
    assert_eq!(json["field"], "sll");
    assert_eq!(json["span"], serde_json::json!([0, 16]));
    assert_eq!(json["generated"], false);
    assert!(json.get("expert").is_none());
    let syn = find(&trees[0], ".... .... ..1. = Syn: Set").expect("SYN");
    let json = serde_json::to_value(&syn.children[0]).expect("json");
    assert_eq!(
        json["expert"],
        serde_json::json!({"severity": "chat", "group": "Sequence"})
    );
    assert!(json.get("span").is_none());
}

/// Prints every frame's tree of the capture named by $DETAIL_CAPTURE, four spaces per level,
/// to compare with `tshark -2 -V` by hand:
/// `DETAIL_CAPTURE=… cargo test -p tcp-timeline --lib dump_capture -- --ignored --nocapture`.
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
