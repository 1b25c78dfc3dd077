//! The TCP node: ports, stream facts, sequence and acknowledgement numbers, header length,
//! every flag bit, window, checksum, urgent pointer, options, then the analysis subtrees of
//! `tcp_analysis.rs` and the payload lines.
//!
//! Promise: header fields are read from the captured bytes; option nodes are laid out from the
//! decoder's option list in order (each option's length follows from its kind and contents),
//! so each one spans exactly its kind, length and value bytes. Nothing panics on a header the
//! snaplen cut: what is missing is left out.

use super::checksum::{self, Verdict};
use super::extras::{Closing, WindowScaleShown};
use super::node::{bit_label, capped, expert, set, u8_at, Node, Severity};
use super::{tcp_analysis, Builder};
use crate::decode::{tcp_flags, IpHeader, TcpOption, TcpSegment};
use crate::row::tcp_flags_text;

/// Wireshark's names of TCP option kinds, as its "Kind:" lines print them.
fn kind_name(kind: u8) -> &'static str {
    match kind {
        0 => "End of Option List",
        1 => "No-Operation",
        2 => "Maximum Segment Size",
        3 => "Window Scale",
        4 => "SACK Permitted",
        5 => "SACK",
        6 => "Echo",
        7 => "Echo Reply",
        8 => "Time Stamp Option",
        9 => "Partial Order Connection Permitted",
        10 => "Partial Order Service Profile",
        11 => "CC",
        12 => "CC.NEW",
        13 => "CC.ECHO",
        14 => "TCP Alternate Checksum Request",
        15 => "TCP Alternate Checksum Data",
        16 => "Skeeter",
        17 => "Bubba",
        18 => "Trailer Checksum Option",
        19 => "MD5 Signature Option",
        20 => "SCPS Capabilities",
        21 => "Selective Negative Acknowledgements",
        22 => "Record Boundaries",
        23 => "Corruption experienced",
        24 => "SNAP",
        26 => "TCP Compression Filter",
        27 => "Quick-Start Response",
        28 => "User Timeout Option",
        29 => "TCP Authentication Option",
        30 => "Multipath TCP",
        34 => "TCP Fast Open Cookie",
        69 => "Encryption Negotiation",
        253 => "RFC3692-style Experiment 1",
        254 => "RFC3692-style Experiment 2",
        _ => "Unknown",
    }
}

/// (label after "TCP Option - ", name in the Options summary) of options shown without their
/// inner fields.
fn other_option_names(kind: u8) -> (String, String) {
    let (long, short) = match kind {
        6 => ("Echo", "Echo"),
        7 => ("Echo reply", "Echo reply"),
        11 => ("CC", "CC"),
        12 => ("CC.NEW", "CC.NEW"),
        13 => ("CC.ECHO", "CC.ECHO"),
        19 => ("TCP MD5 signature", "TCP MD5 signature"),
        20 => ("SCPS capabilities", "SCPS capabilities"),
        21 => (
            "Selective Negative Acknowledgment",
            "Selective Negative Acknowledgment",
        ),
        22 => ("SCPS record boundary", "SCPS record boundary"),
        23 => ("SCPS corruption experienced", "SCPS corruption experienced"),
        27 => ("Quick-Start", "Quick-Start"),
        28 => ("User Timeout", "User Timeout"),
        29 => ("TCP AO", "TCP AO"),
        30 => ("Multipath TCP", "MPTCP"),
        34 => ("TCP Fast Open", "TCP Fast Open"),
        253 | 254 => ("Experimental", "Experimental"),
        other => return ("Unknown".to_string(), format!("Unknown (0x{other:02x})")),
    };
    (long.to_string(), short.to_string())
}

/// Bytes an option takes in the header, as the decoder read it.
fn option_len(option: &TcpOption) -> usize {
    match option {
        TcpOption::EndOfList | TcpOption::Nop => 1,
        TcpOption::MaxSegmentSize(_) => 4,
        TcpOption::WindowScale(_) => 3,
        TcpOption::SackPermitted => 2,
        TcpOption::Sack(blocks) => 2 + 8 * blocks.len(),
        TcpOption::Timestamp { .. } => 10,
        TcpOption::Unknown { len, .. } => usize::from(*len).max(2),
    }
}

/// The TCP layer: its node, and "tcp" in the protocol list.
pub fn tcp(b: &mut Builder, ip: &IpHeader, seg: &TcpSegment) {
    b.protocols.push("tcp");
    let node = tcp_node(b, ip, seg);
    b.nodes.push(node);
}

fn tcp_node(b: &Builder, ip: &IpHeader, seg: &TcpSegment) -> Node {
    let ctx = b.ctx;
    let bytes = ctx.bytes;
    let at = seg.offset as usize;
    let facts = ctx.tcp;
    let ack_set = seg.flags & tcp_flags::ACK != 0;
    let (seq_shown, ack_shown) = match facts {
        Some(f) => (f.relative_seq, f.relative_ack),
        None => (seg.seq, seg.ack),
    };
    let mut label = format!(
        "Transmission Control Protocol, Src Port: {}, Dst Port: {}, Seq: {seq_shown}",
        seg.src_port, seg.dst_port
    );
    if ack_set {
        label.push_str(&format!(", Ack: {ack_shown}"));
    }
    label.push_str(&format!(", Len: {}", seg.payload_len));
    let mut node = Node::field(label, "tcp", b.span(at, usize::from(seg.header_len)));
    node.push(Node::field(
        format!("Source Port: {}", seg.src_port),
        "tcp.srcport",
        b.span(at, 2),
    ));
    node.push(Node::field(
        format!("Destination Port: {}", seg.dst_port),
        "tcp.dstport",
        b.span(at + 2, 2),
    ));
    if let Some(f) = facts {
        node.push(Node::generated(
            format!("Stream index: {}", f.stream),
            Some("tcp.stream"),
        ));
    }
    if let Some(n) = ctx.extras.tcp_stream_packet {
        // Wireshark 4.4's per-stream packet number; the tutorial's Wireshark shows it.
        node.push(Node::generated(
            format!("Stream Packet Number: {n}"),
            Some("tcp.stream.pnum"),
        ));
    }
    if let Some(completeness) = &ctx.completeness {
        node.push(tcp_analysis::completeness(completeness));
    }
    node.push(Node::generated(
        format!("TCP Segment Len: {}", seg.payload_len),
        Some("tcp.len"),
    ));
    match facts {
        Some(f) => {
            node.push(Node::field(
                format!(
                    "Sequence Number: {}    (relative sequence number)",
                    f.relative_seq
                ),
                "tcp.seq",
                b.span(at + 4, 4),
            ));
            node.push(Node::field(
                format!("Sequence Number (raw): {}", seg.seq),
                "tcp.seq_raw",
                b.span(at + 4, 4),
            ));
            node.push(Node::generated(
                format!(
                    "Next Sequence Number: {}    (relative sequence number)",
                    f.next_seq
                ),
                Some("tcp.nxtseq"),
            ));
            let ack_label = if ack_set {
                format!(
                    "Acknowledgment Number: {}    (relative ack number)",
                    f.relative_ack
                )
            } else {
                format!("Acknowledgment Number: {}", seg.ack)
            };
            node.push(ack_line(b, ack_label, at, seg));
            node.push(Node::field(
                format!("Acknowledgment number (raw): {}", seg.ack),
                "tcp.ack_raw",
                b.span(at + 8, 4),
            ));
        }
        None => {
            node.push(Node::field(
                format!("Sequence Number: {}", seg.seq),
                "tcp.seq",
                b.span(at + 4, 4),
            ));
            node.push(ack_line(
                b,
                format!("Acknowledgment Number: {}", seg.ack),
                at,
                seg,
            ));
        }
    }
    let offset_byte = u8_at(bytes, at + 12).unwrap_or(seg.header_len << 2);
    node.push(Node::field(
        bit_label(
            u64::from(offset_byte),
            0xf0,
            8,
            format!(
                "Header Length: {} bytes ({})",
                seg.header_len,
                offset_byte >> 4
            ),
        ),
        "tcp.hdr_len",
        b.span(at + 12, 1),
    ));
    node.push(flags(b, seg));
    node.push(Node::field(
        format!("Window: {}", seg.window),
        "tcp.window_size_value",
        b.span(at + 14, 2),
    ));
    if let Some(f) = facts {
        node.push(
            Node::generated(
                format!("Calculated window size: {}", f.window_calc),
                Some("tcp.window_size"),
            )
            .with_span(b.span(at + 14, 2)),
        );
    }
    if seg.flags & tcp_flags::SYN == 0 {
        let scale = match ctx.extras.window_scale {
            Some(WindowScaleShown::Multiplier(m)) => Some(m.to_string()),
            Some(WindowScaleShown::Unknown) => Some("-1 (unknown)".to_string()),
            Some(WindowScaleShown::NotUsed) => Some("-2 (no window scaling used)".to_string()),
            None => None,
        };
        if let Some(scale) = scale {
            node.push(
                Node::generated(
                    format!("Window size scaling factor: {scale}"),
                    Some("tcp.window_size_scalefactor"),
                )
                .with_span(b.span(at + 14, 2)),
            );
        }
    }
    for line in checksum_lines(b, ip, seg) {
        node.push(line);
    }
    let mut urgent = Node::field(
        format!("Urgent Pointer: {}", seg.urgent_pointer),
        "tcp.urgent_pointer",
        b.span(at + 18, 2),
    );
    if seg.urgent_pointer != 0 && seg.flags & tcp_flags::URG == 0 {
        urgent.push(expert(
            Severity::Note,
            "Protocol",
            "The urgent pointer field is nonzero while the URG flag is not set",
        ));
    }
    node.push(urgent);
    if seg.header_len > 20 {
        node.push(options(b, seg));
    }
    if let Some((first, previous)) = ctx.tcp_stream_times {
        node.push(tcp_analysis::timestamps(first, previous));
    }
    if let Some(f) = facts {
        if let Some(analysis) = tcp_analysis::seq_ack(f, ctx.extras.push_bytes_sent) {
            node.push(analysis);
        }
    }
    if seg.payload_len > 0 {
        let start = seg.payload_offset as usize;
        node.push(Node::field(
            format!("TCP payload ({} bytes)", seg.payload_len),
            "tcp.payload",
            b.span(start, seg.payload_captured as usize),
        ));
        let segment_data = Node::field(
            format!("TCP segment data ({} bytes)", seg.payload_captured),
            "tcp.segment_data",
            b.span(start, seg.payload_captured as usize),
        );
        if b.payload_is_segment() {
            if let Some(frame) = ctx.http_reassembled_in {
                node.push(Node::generated(
                    format!("Reassembled PDU in frame: {frame}"),
                    Some("tcp.reassembled_in"),
                ));
            }
            node.push(segment_data);
        } else if b.payload_is_reassembled_tail() {
            node.push(segment_data);
        }
    }
    node
}

fn ack_line(b: &Builder, label: String, at: usize, seg: &TcpSegment) -> Node {
    let mut line = Node::field(label, "tcp.ack", b.span(at + 8, 4));
    if seg.ack != 0 && seg.flags & tcp_flags::ACK == 0 {
        line.push(expert(
            Severity::Note,
            "Protocol",
            "The acknowledgment number field is nonzero while the ACK flag is not set",
        ));
    }
    line
}

fn flags(b: &Builder, seg: &TcpSegment) -> Node {
    let ctx = b.ctx;
    let at = seg.offset as usize;
    let value = u64::from(seg.flags);
    let mut node = Node::field(
        format!("Flags: 0x{:03x} ({})", seg.flags, tcp_flags_text(seg.flags)),
        "tcp.flags",
        b.span(at + 12, 2),
    );
    let bit = |mask: u16, name: &str, field: &'static str, byte: usize| {
        Node::field(
            bit_label(
                value,
                u64::from(mask),
                12,
                format!("{name}: {}", set(seg.flags & mask != 0)),
            ),
            field,
            b.span(at + byte, 1),
        )
    };
    node.push(bit(tcp_flags::RESERVED, "Reserved", "tcp.flags.res", 12));
    node.push(bit(tcp_flags::AE, "Accurate ECN", "tcp.flags.ae", 12));
    node.push(bit(
        tcp_flags::CWR,
        "Congestion Window Reduced",
        "tcp.flags.cwr",
        13,
    ));
    node.push(bit(tcp_flags::ECE, "ECN-Echo", "tcp.flags.ece", 13));
    node.push(bit(tcp_flags::URG, "Urgent", "tcp.flags.urg", 13));
    node.push(bit(tcp_flags::ACK, "Acknowledgment", "tcp.flags.ack", 13));
    node.push(bit(tcp_flags::PSH, "Push", "tcp.flags.push", 13));
    let mut reset = bit(tcp_flags::RST, "Reset", "tcp.flags.reset", 13);
    if seg.flags & tcp_flags::RST != 0 {
        let mut e = expert(Severity::Warn, "Sequence", "Connection reset (RST)");
        e.field = Some("tcp.connection.rst");
        reset.push(e);
    }
    node.push(reset);
    let mut syn = bit(tcp_flags::SYN, "Syn", "tcp.flags.syn", 13);
    if seg.flags & tcp_flags::SYN != 0 {
        let e = if seg.flags & tcp_flags::ACK != 0 {
            let mut e = expert(
                Severity::Chat,
                "Sequence",
                format!(
                    "Connection establish acknowledge (SYN+ACK): server port {}",
                    seg.src_port
                ),
            );
            e.field = Some("tcp.connection.sack");
            e
        } else {
            let mut e = expert(
                Severity::Chat,
                "Sequence",
                format!(
                    "Connection establish request (SYN): server port {}",
                    seg.dst_port
                ),
            );
            e.field = Some("tcp.connection.syn");
            e
        };
        syn.push(e);
    }
    node.push(syn);
    let mut fin = bit(tcp_flags::FIN, "Fin", "tcp.flags.fin", 13);
    if seg.flags & tcp_flags::FIN != 0 {
        let mut e = expert(Severity::Chat, "Sequence", "Connection finish (FIN)");
        e.field = Some("tcp.connection.fin");
        fin.push(e);
    }
    node.push(fin);
    // "RRRACEUAPRSF" with a middle dot for every bit not set, most significant first.
    const LETTERS: [char; 12] = ['R', 'R', 'R', 'A', 'C', 'E', 'U', 'A', 'P', 'R', 'S', 'F'];
    let text: String = LETTERS
        .iter()
        .enumerate()
        .map(|(i, letter)| {
            if seg.flags & (1 << (11 - i)) != 0 {
                *letter
            } else {
                '\u{b7}'
            }
        })
        .collect();
    let mut summary = Node::generated(format!("TCP Flags: {text}"), Some("tcp.flags.str"))
        .with_span(b.span(at + 12, 2));
    match ctx.extras.closing {
        Some(Closing::Initiates) => {
            let mut e = expert(
                Severity::Note,
                "Sequence",
                "This frame initiates the connection closing",
            );
            e.field = Some("tcp.connection.fin_active");
            summary.push(e);
        }
        Some(Closing::Undergoes) => {
            let mut e = expert(
                Severity::Note,
                "Sequence",
                "This frame undergoes the connection closing",
            );
            e.field = Some("tcp.connection.fin_passive");
            summary.push(e);
        }
        None => {}
    }
    node.push(summary);
    node
}

fn checksum_lines(b: &Builder, ip: &IpHeader, seg: &TcpSegment) -> Vec<Node> {
    let at = seg.offset as usize;
    let length = u32::from(seg.header_len).saturating_add(seg.payload_len);
    let pseudo = checksum::pseudo_header_sum(ip, 6, length);
    let verdict = if b.options.verify_checksums {
        // Only a segment captured whole can be summed.
        let whole = b.ctx.bytes.get(at..at.saturating_add(length as usize));
        Verdict::of(
            seg.checksum,
            whole.and_then(|w| checksum::should_be(w, 16, pseudo)),
        )
    } else {
        Verdict::Unverified
    };
    checksum::transport_lines(
        "tcp",
        seg.checksum,
        at + 16,
        b.len(),
        verdict,
        checksum::Evidence {
            partial: Some(checksum::fold(pseudo)),
            sent_by_capturing_host: b.sent_by_capturing_host(),
        },
    )
}

fn options(b: &Builder, seg: &TcpSegment) -> Node {
    let bytes = b.ctx.bytes;
    let start = seg.offset as usize + 20;
    let len = usize::from(seg.header_len).saturating_sub(20);
    let end = start + len;
    let mut children = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut cursor = start;
    // SACK edges are relative to the base of the other direction's sequence numbers, which
    // the tracker's relative acknowledgement number gives away.
    // When that base is not known (no ACK), Wireshark subtracts nothing but still calls the
    // edges relative.
    let sack_base = b.ctx.tcp.map(|f| {
        if seg.flags & tcp_flags::ACK != 0 {
            seg.ack.wrapping_sub(f.relative_ack)
        } else {
            0
        }
    });
    let ack = (seg.flags & tcp_flags::ACK != 0).then_some(seg.ack);
    // packet-tcp.c counts NOPs within one 32-bit word of the header (offsets from its
    // start), and warns once when four follow each other.
    let mut nop_count = 0u32;
    for option in &seg.options {
        let option_len = option_len(option);
        if matches!(option, TcpOption::Nop) {
            if nop_count == 0 || (cursor - seg.offset as usize) % 4 != 0 {
                nop_count += 1;
                if nop_count == 4 {
                    let mut e = expert(
                        Severity::Warn,
                        "Protocol",
                        "4 NOP in a row - a router may have removed some options",
                    );
                    e.field = Some("tcp.nop");
                    children.push(e);
                }
            } else {
                nop_count = 0;
            }
        }
        let (node, name) = option_node(b, option, cursor, option_len, sack_base, ack);
        children.push(node);
        names.push(name);
        cursor += option_len;
    }
    // The decoder stops at End of Option List; Wireshark lists each zero byte of padding
    // after it as one more.
    if matches!(seg.options.last(), Some(TcpOption::EndOfList)) {
        while cursor < end && u8_at(bytes, cursor) == Some(0) {
            let (node, name) = option_node(b, &TcpOption::EndOfList, cursor, 1, None, None);
            children.push(node);
            names.push(name);
            cursor += 1;
        }
    }
    let mut label = format!("Options: ({len} bytes)");
    for name in &names {
        label.push_str(", ");
        label.push_str(name);
    }
    let mut node = Node::field(capped(label), "tcp.options", b.span(start, len));
    node.children = children;
    let has_mss = seg
        .options
        .iter()
        .any(|o| matches!(o, TcpOption::MaxSegmentSize(_)));
    if seg.flags & tcp_flags::SYN != 0 && !has_mss {
        let mut e = expert(
            Severity::Note,
            "Protocol",
            "The SYN packet does not contain a MSS option",
        );
        e.field = Some("tcp.options.mss.absent");
        node.push(e);
    }
    node
}

/// One option's node (spanning its kind, length and value) and its name in the summary.
fn option_node(
    b: &Builder,
    option: &TcpOption,
    at: usize,
    len: usize,
    sack_base: Option<u32>,
    ack: Option<u32>,
) -> (Node, String) {
    let kind = u8_at(b.ctx.bytes, at).unwrap_or(0);
    let kind_line = Node::field(
        format!("Kind: {} ({kind})", kind_name(kind)),
        "tcp.option_kind",
        b.span(at, 1),
    );
    let len_line = || {
        Node::field(
            format!(
                "Length: {}",
                u8_at(b.ctx.bytes, at + 1).unwrap_or(len as u8)
            ),
            "tcp.option_len",
            b.span(at + 1, 1),
        )
    };
    let whole = b.span(at, len);
    match option {
        TcpOption::EndOfList => (
            Node::field(
                "TCP Option - End of Option List (EOL)",
                "tcp.options.eol",
                whole,
            )
            .child(kind_line),
            "End of Option List (EOL)".into(),
        ),
        TcpOption::Nop => (
            Node::field("TCP Option - No-Operation (NOP)", "tcp.options.nop", whole)
                .child(kind_line),
            "No-Operation (NOP)".into(),
        ),
        TcpOption::MaxSegmentSize(mss) => (
            Node::field(
                format!("TCP Option - Maximum segment size: {mss} bytes"),
                "tcp.options.mss",
                whole,
            )
            .child(kind_line)
            .child(len_line())
            .child(Node::field(
                format!("MSS Value: {mss}"),
                "tcp.options.mss_val",
                b.span(at + 2, 2),
            )),
            "Maximum segment size".into(),
        ),
        TcpOption::WindowScale(shift) => {
            let multiplier = 1u32 << u32::from((*shift).min(14));
            let mut node = Node::field(
                format!("TCP Option - Window scale: {shift} (multiply by {multiplier})"),
                "tcp.options.wscale",
                whole,
            )
            .child(kind_line)
            .child(len_line());
            let mut shift_line = Node::field(
                format!("Shift count: {shift}"),
                "tcp.options.wscale.shift",
                b.span(at + 2, 1),
            );
            if *shift > 14 {
                let mut e = expert(Severity::Warn, "Protocol", "Window scale shift exceeds 14");
                e.field = Some("tcp.options.wscale.shift.invalid");
                shift_line.push(e);
            }
            node.push(shift_line);
            node.push(
                Node::generated(
                    format!("Multiplier: {multiplier}"),
                    Some("tcp.options.wscale.multiplier"),
                )
                .with_span(b.span(at + 2, 1)),
            );
            (node, "Window scale".into())
        }
        TcpOption::SackPermitted => (
            Node::field(
                "TCP Option - SACK permitted",
                "tcp.options.sack_perm",
                whole,
            )
            .child(kind_line)
            .child(len_line()),
            "SACK permitted".into(),
        ),
        TcpOption::Sack(blocks) => {
            let relative = |edge: u32| match sack_base {
                Some(base) => edge.wrapping_sub(base),
                None => edge,
            };
            let mut label = "TCP Option - SACK".to_string();
            for (left, right) in blocks {
                label.push_str(&format!(" {}-{}", relative(*left), relative(*right)));
            }
            let suffix = if sack_base.is_some() {
                " (relative)"
            } else {
                ""
            };
            let mut node = Node::field(label, "tcp.options.sack", whole)
                .child(kind_line)
                .child(len_line());
            for (i, (left, right)) in blocks.iter().enumerate() {
                let block_at = at + 2 + 8 * i;
                node.push(Node::field(
                    format!("left edge = {}{suffix}", relative(*left)),
                    "tcp.options.sack_le",
                    b.span(block_at, 4),
                ));
                node.push(Node::field(
                    format!("right edge = {}{suffix}", relative(*right)),
                    "tcp.options.sack_re",
                    b.span(block_at + 4, 4),
                ));
            }
            node.push(Node::generated(
                format!("TCP SACK Count: {}", blocks.len()),
                Some("tcp.options.sack.count"),
            ));
            // A duplicate SACK (RFC 2883), as the tracker tells it.
            if let Some((left, right)) = crate::tcp::sack::dsack(blocks, ack) {
                node.push(Node::generated(
                    format!("D-SACK Left Edge = {}{suffix}", relative(left)),
                    Some("tcp.options.sack.dsack_le"),
                ));
                node.push(Node::generated(
                    format!("D-SACK Right Edge = {}{suffix}", relative(right)),
                    Some("tcp.options.sack.dsack_re"),
                ));
                let mut e = expert(Severity::Warn, "Sequence", "D-SACK Sequence");
                e.field = Some("tcp.options.sack.dsack");
                node.push(Node::field("D-SACK Sequence", "tcp.options.sack.dsack", None).child(e));
            }
            (node, "SACK".into())
        }
        TcpOption::Timestamp { value, echo } => (
            Node::field(
                format!("TCP Option - Timestamps: TSval {value}, TSecr {echo}"),
                "tcp.options.timestamp",
                whole,
            )
            .child(kind_line)
            .child(len_line())
            .child(Node::field(
                format!("Timestamp value: {value}"),
                "tcp.options.timestamp.tsval",
                b.span(at + 2, 4),
            ))
            .child(Node::field(
                format!("Timestamp echo reply: {echo}"),
                "tcp.options.timestamp.tsecr",
                b.span(at + 6, 4),
            )),
            "Timestamps".into(),
        ),
        TcpOption::Unknown { kind, len: _ } => {
            let (long, short) = other_option_names(*kind);
            let mut node = Node::field(format!("TCP Option - {long}"), "tcp.options", whole)
                .child(kind_line)
                .child(len_line());
            if let Some(payload) = b.ctx.bytes.get(at + 2..at + len) {
                if !payload.is_empty() {
                    node.push(Node::field(
                        format!("Payload: {}", super::node::hex(payload)),
                        "tcp.options.unknown.payload",
                        b.span(at + 2, len - 2),
                    ));
                }
            }
            (node, short)
        }
    }
}
