//! IPv4 (bit fields, DSCP/ECN, flags, fragment offset, TTL, protocol, header checksum,
//! options) and IPv6 (version, traffic class and flow label bits, payload length, next header,
//! hop limit, extension headers).
//!
//! Promise: fields are read from the captured bytes at the header's recorded offset with
//! bounds-checked reads; what the snaplen cut off is left out. The IPv4 header checksum is
//! computed only when asked for and only over a whole captured header.

use super::checksum::{self, Verdict};
use super::node::{be16_at, be32_at, bit_label, expert, hex, set, u8_at, Node, Severity};
use super::Builder;
use crate::decode::IpHeader;
use std::net::IpAddr;

/// Wireshark's names of IP protocol numbers, as "Protocol: TCP (6)" prints them.
pub fn protocol_name(protocol: u8) -> &'static str {
    match protocol {
        0 => "IPv6 Hop-by-Hop Option",
        1 => "ICMP",
        2 => "IGMP",
        4 => "IPIP",
        6 => "TCP",
        17 => "UDP",
        41 => "IPv6",
        43 => "Routing Header for IPv6",
        44 => "Fragment Header for IPv6",
        47 => "Generic Routing Encapsulation",
        50 => "Encap Security Payload",
        51 => "Authentication Header",
        58 => "ICMPv6",
        59 => "IPv6 No Next Header",
        60 => "Destination Options for IPv6",
        88 => "EIGRP",
        89 => "OSPF IGP",
        103 => "PIM",
        112 => "Virtual Router Redundancy Protocol",
        132 => "SCTP",
        135 => "Mobility Header",
        _ => "Unknown",
    }
}

fn dscp_short(dscp: u8) -> &'static str {
    match dscp {
        0 => "CS0",
        1 => "LE",
        8 => "CS1",
        10 => "AF11",
        12 => "AF12",
        14 => "AF13",
        16 => "CS2",
        18 => "AF21",
        20 => "AF22",
        22 => "AF23",
        24 => "CS3",
        26 => "AF31",
        28 => "AF32",
        30 => "AF33",
        32 => "CS4",
        34 => "AF41",
        36 => "AF42",
        38 => "AF43",
        40 => "CS5",
        44 => "VOICE-ADMIT",
        46 => "EF PHB",
        48 => "CS6",
        56 => "CS7",
        _ => "Unknown",
    }
}

fn dscp_long(dscp: u8) -> String {
    match dscp {
        0 => "Default".into(),
        1 => "Lower Effort".into(),
        8 | 16 | 24 | 32 | 40 | 48 | 56 => format!("Class Selector {}", dscp / 8),
        10 | 12 | 14 | 18 | 20 | 22 | 26 | 28 | 30 | 34 | 36 | 38 => {
            format!("Assured Forwarding {}{}", dscp / 8, (dscp % 8) / 2)
        }
        44 => "Voice Admit".into(),
        46 => "Expedited Forwarding".into(),
        _ => "Unknown".into(),
    }
}

fn ecn_short(ecn: u8) -> &'static str {
    match ecn {
        0 => "Not-ECT",
        1 => "ECT(1)",
        2 => "ECT(0)",
        _ => "CE",
    }
}

fn ecn_long(ecn: u8) -> &'static str {
    match ecn {
        0 => "Not ECN-Capable Transport",
        1 => "ECN-Capable Transport codepoint '01'",
        2 => "ECN-Capable Transport codepoint '10'",
        _ => "Congestion Experienced",
    }
}

/// An IP layer: its node, and "ip"/"ipv6" (and extension headers) in the protocol list.
pub fn ip(b: &mut Builder, ip: &IpHeader, stream: Option<u32>) {
    if ip.version == 4 {
        b.protocols.push("ip");
        let node = ipv4(b, ip, stream);
        b.nodes.push(node);
    } else {
        b.protocols.push("ipv6");
        let node = ipv6(b, ip, stream);
        b.nodes.push(node);
    }
}

fn ipv4(b: &Builder, ip: &IpHeader, stream: Option<u32>) -> Node {
    let bytes = b.ctx.bytes;
    let at = ip.offset as usize;
    let header_len = ip.header_len as usize;
    let mut node = Node::field(
        format!(
            "Internet Protocol Version 4, Src: {}, Dst: {}",
            ip.src, ip.dst
        ),
        "ip",
        b.span(at, header_len),
    );
    let first = u8_at(bytes, at).unwrap_or(0x45);
    let ihl = first & 0x0f;
    node.push(Node::field(
        bit_label(
            u64::from(first),
            0xf0,
            8,
            format!("Version: {}", first >> 4),
        ),
        "ip.version",
        b.span(at, 1),
    ));
    node.push(Node::field(
        bit_label(
            u64::from(first),
            0x0f,
            8,
            format!("Header Length: {} bytes ({ihl})", u32::from(ihl) * 4),
        ),
        "ip.hdr_len",
        b.span(at, 1),
    ));
    let (dscp, ecn) = (ip.tos >> 2, ip.tos & 3);
    node.push(
        Node::field(
            format!(
                "Differentiated Services Field: 0x{:02x} (DSCP: {}, ECN: {})",
                ip.tos,
                dscp_short(dscp),
                ecn_short(ecn)
            ),
            "ip.dsfield",
            b.span(at + 1, 1),
        )
        .child(Node::field(
            bit_label(
                u64::from(ip.tos),
                0xfc,
                8,
                format!(
                    "Differentiated Services Codepoint: {} ({dscp})",
                    dscp_long(dscp)
                ),
            ),
            "ip.dsfield.dscp",
            b.span(at + 1, 1),
        ))
        .child(Node::field(
            bit_label(
                u64::from(ip.tos),
                0x03,
                8,
                format!(
                    "Explicit Congestion Notification: {} ({ecn})",
                    ecn_long(ecn)
                ),
            ),
            "ip.dsfield.ecn",
            b.span(at + 1, 1),
        )),
    );
    node.push(Node::field(
        format!("Total Length: {}", ip.length_field),
        "ip.len",
        b.span(at + 2, 2),
    ));
    node.push(Node::field(
        format!(
            "Identification: 0x{:04x} ({})",
            ip.identification, ip.identification
        ),
        "ip.id",
        b.span(at + 4, 2),
    ));
    let flags_word = be16_at(bytes, at + 6).unwrap_or(0);
    let flags_byte = u64::from(flags_word >> 8);
    let flags = (flags_word >> 13) as u8;
    let mut flag_names = Vec::new();
    for (bit, name) in [
        (4u8, "Reserved bit"),
        (2, "Don't fragment"),
        (1, "More fragments"),
    ] {
        if flags & bit != 0 {
            flag_names.push(name);
        }
    }
    let mut flags_label = format!("Flags: 0x{flags:x}");
    for name in &flag_names {
        flags_label.push_str(", ");
        flags_label.push_str(name);
    }
    node.push(
        Node::field(
            bit_label(flags_byte, 0xe0, 8, flags_label),
            "ip.flags",
            b.span(at + 6, 1),
        )
        .child(Node::field(
            bit_label(
                flags_byte,
                0x80,
                8,
                format!("Reserved bit: {}", set(flags & 4 != 0)),
            ),
            "ip.flags.rb",
            b.span(at + 6, 1),
        ))
        .child(Node::field(
            bit_label(
                flags_byte,
                0x40,
                8,
                format!("Don't fragment: {}", set(flags & 2 != 0)),
            ),
            "ip.flags.df",
            b.span(at + 6, 1),
        ))
        .child(Node::field(
            bit_label(
                flags_byte,
                0x20,
                8,
                format!("More fragments: {}", set(flags & 1 != 0)),
            ),
            "ip.flags.mf",
            b.span(at + 6, 1),
        )),
    );
    node.push(Node::field(
        bit_label(
            u64::from(flags_word),
            0x1fff,
            16,
            format!("Fragment Offset: {}", ip.fragment_offset),
        ),
        "ip.frag_offset",
        b.span(at + 6, 2),
    ));
    let mut ttl = Node::field(
        format!("Time to Live: {}", ip.ttl),
        "ip.ttl",
        b.span(at + 8, 1),
    );
    if let Some(message) = ttl_note(ip) {
        ttl.push(expert(Severity::Note, "Sequence", message));
    }
    node.push(ttl);
    node.push(Node::field(
        format!("Protocol: {} ({})", protocol_name(ip.protocol), ip.protocol),
        "ip.proto",
        b.span(at + 9, 1),
    ));
    let verdict = if b.options.verify_checksums {
        let header = bytes.get(at..at.saturating_add(header_len));
        Verdict::of(
            ip.checksum,
            header.and_then(|h| checksum::should_be(h, 10, 0)),
        )
    } else {
        Verdict::Unverified
    };
    for line in checksum::ipv4_lines(ip.checksum, at + 10, b.len(), verdict) {
        node.push(line);
    }
    node.push(Node::field(
        format!("Source Address: {}", ip.src),
        "ip.src",
        b.span(at + 12, 4),
    ));
    node.push(Node::field(
        format!("Destination Address: {}", ip.dst),
        "ip.dst",
        b.span(at + 16, 4),
    ));
    if ip.options.len > 0 {
        node.push(ipv4_options(b, ip));
    }
    // Wireshark 4.4's IP conversation index (the tutorial's Wireshark shows it).
    if let Some(stream) = stream {
        node.push(Node::generated(
            format!("Stream index: {stream}"),
            Some("ip.stream"),
        ));
    }
    node
}

/// Wireshark's note on a low TTL (ip.ttl.too_small / ip.ttl.lncb).
fn ttl_note(ip: &IpHeader) -> Option<String> {
    let IpAddr::V4(dst) = ip.dst else {
        return None;
    };
    let octets = dst.octets();
    let multicast = octets[0] & 0xf0 == 0xe0;
    let local_control = octets[..3] == [224, 0, 0];
    if local_control && ip.ttl != 1 && ip.protocol != 112 {
        // Routers must not forward these; RFC 3171's "Local Network Control Block".
        return Some(
            "\"Time To Live\" != 1 for a packet sent to the Local Network Control Block (see RFC 3171)"
                .to_string(),
        );
    }
    if !multicast && ip.ttl < 5 && ip.protocol != 103 && ip.protocol != 89 {
        return Some(format!("\"Time To Live\" only {}", ip.ttl));
    }
    None
}

fn ipv4_option_name(kind: u8) -> &'static str {
    match kind {
        0 => "End of Options List (EOL)",
        1 => "No-Operation (NOP)",
        7 => "Record Route",
        68 => "Time Stamp",
        130 => "Security",
        131 => "Loose Source Route",
        136 => "Stream ID",
        137 => "Strict Source Route",
        148 => "Router Alert",
        _ => "Unknown",
    }
}

fn ipv4_options(b: &Builder, ip: &IpHeader) -> Node {
    let bytes = b.ctx.bytes;
    let start = ip.options.offset as usize;
    let len = ip.options.len as usize;
    let mut node = Node::field(
        format!("Options: ({len} bytes)"),
        "ip.options",
        b.span(start, len),
    );
    let end = start + len;
    let mut cursor = start;
    // Each option is at least one byte, so the walk ends.
    while cursor < end {
        let Some(kind) = u8_at(bytes, cursor) else {
            break;
        };
        let option_len = if kind <= 1 {
            1
        } else {
            match u8_at(bytes, cursor + 1) {
                Some(l) if l >= 2 && cursor + usize::from(l) <= end => usize::from(l),
                _ => {
                    node.push(expert(
                        Severity::Warn,
                        "Malformed",
                        format!("IP option {kind} at byte {cursor} has a bad length"),
                    ));
                    break;
                }
            }
        };
        let name = ipv4_option_name(kind);
        let label = if kind <= 1 {
            format!("IP Option - {name}")
        } else {
            format!("IP Option - {name} ({option_len} bytes)")
        };
        let mut option = Node::field(label, "ip.opt.type", b.span(cursor, option_len));
        let k = u64::from(kind);
        let class = (kind >> 5) & 3;
        let class_name = match class {
            0 => "Control",
            2 => "Debugging and measurement",
            _ => "Reserved",
        };
        let number = if kind <= 1 {
            match kind {
                0 => "End of Option List (EOL)",
                _ => "No-Operation (NOP)",
            }
        } else {
            name
        };
        option.push(
            Node::field(format!("Type: {kind}"), "ip.opt.type", b.span(cursor, 1))
                .child(Node::field(
                    bit_label(
                        k,
                        0x80,
                        8,
                        format!(
                            "Copy on fragmentation: {}",
                            if kind & 0x80 != 0 { "Yes" } else { "No" }
                        ),
                    ),
                    "ip.opt.type.copy",
                    b.span(cursor, 1),
                ))
                .child(Node::field(
                    bit_label(k, 0x60, 8, format!("Class: {class_name} ({class})")),
                    "ip.opt.type.class",
                    b.span(cursor, 1),
                ))
                .child(Node::field(
                    bit_label(k, 0x1f, 8, format!("Number: {number} ({})", kind & 0x1f)),
                    "ip.opt.type.number",
                    b.span(cursor, 1),
                )),
        );
        if kind > 1 {
            option.push(Node::field(
                format!("Length: {option_len}"),
                "ip.opt.len",
                b.span(cursor + 1, 1),
            ));
            if let Some(value) = bytes.get(cursor + 2..cursor + option_len) {
                if !value.is_empty() {
                    option.push(Node::field(
                        format!("Value: {}", hex(value)),
                        "ip.opt.value",
                        b.span(cursor + 2, option_len - 2),
                    ));
                }
            }
        }
        node.push(option);
        cursor += option_len;
        if kind == 0 {
            break;
        }
    }
    node
}

fn ipv6(b: &mut Builder, ip: &IpHeader, stream: Option<u32>) -> Node {
    let bytes = b.ctx.bytes;
    let at = ip.offset as usize;
    let mut node = Node::field(
        format!(
            "Internet Protocol Version 6, Src: {}, Dst: {}",
            ip.src, ip.dst
        ),
        "ipv6",
        b.span(at, ip.header_len as usize),
    );
    let first = u64::from(be32_at(bytes, at).unwrap_or(0x6000_0000));
    node.push(Node::field(
        bit_label(first >> 24, 0xf0, 8, "Version: 6"),
        "ipv6.version",
        b.span(at, 1),
    ));
    let (dscp, ecn) = (ip.tos >> 2, ip.tos & 3);
    node.push(
        Node::field(
            bit_label(
                first,
                0x0ff0_0000,
                32,
                format!(
                    "Traffic Class: 0x{:02x} (DSCP: {}, ECN: {})",
                    ip.tos,
                    dscp_short(dscp),
                    ecn_short(ecn)
                ),
            ),
            "ipv6.tclass",
            b.span(at, 4),
        )
        .child(Node::field(
            bit_label(
                first,
                0x0fc0_0000,
                32,
                format!(
                    "Differentiated Services Codepoint: {} ({dscp})",
                    dscp_long(dscp)
                ),
            ),
            "ipv6.tclass.dscp",
            b.span(at, 4),
        ))
        .child(Node::field(
            bit_label(
                first,
                0x0030_0000,
                32,
                format!(
                    "Explicit Congestion Notification: {} ({ecn})",
                    ecn_long(ecn)
                ),
            ),
            "ipv6.tclass.ecn",
            b.span(at, 4),
        )),
    );
    node.push(Node::field(
        bit_label(
            first & 0x00ff_ffff,
            0x000f_ffff,
            24,
            format!("Flow Label: 0x{:05x}", ip.flow_label),
        ),
        "ipv6.flow",
        b.span(at + 1, 3),
    ));
    node.push(Node::field(
        format!("Payload Length: {}", ip.length_field),
        "ipv6.plen",
        b.span(at + 4, 2),
    ));
    let next = u8_at(bytes, at + 6).unwrap_or(ip.protocol);
    node.push(Node::field(
        format!("Next Header: {} ({next})", protocol_name(next)),
        "ipv6.nxt",
        b.span(at + 6, 1),
    ));
    node.push(Node::field(
        format!("Hop Limit: {}", ip.ttl),
        "ipv6.hlim",
        b.span(at + 7, 1),
    ));
    node.push(Node::field(
        format!("Source Address: {}", ip.src),
        "ipv6.src",
        b.span(at + 8, 16),
    ));
    node.push(Node::field(
        format!("Destination Address: {}", ip.dst),
        "ipv6.dst",
        b.span(at + 24, 16),
    ));
    for extension in &ip.extensions {
        let (name, protocol) = match extension.kind {
            0 => ("IPv6 Hop-by-Hop Option", "ipv6.hopopts"),
            43 => ("Routing Header for IPv6", "ipv6.routing"),
            44 => ("Fragment Header for IPv6", "ipv6.fraghdr"),
            51 => ("Authentication Header", "ah"),
            60 => ("Destination Options for IPv6", "ipv6.dstopts"),
            135 => ("Mobility Header for IPv6", "mipv6"),
            _ => ("IPv6 Extension Header", "ipv6.ext"),
        };
        b.protocols.push(protocol);
        node.push(ipv6_extension(
            b,
            name,
            protocol,
            extension.kind,
            extension.offset as usize,
            extension.len as usize,
        ));
    }
    // Wireshark 4.4's IPv6 conversation index.
    if let Some(stream) = stream {
        node.push(Node::generated(
            format!("Stream index: {stream}"),
            Some("ipv6.stream"),
        ));
    }
    node
}

fn ipv6_extension(
    b: &Builder,
    name: &str,
    protocol: &'static str,
    kind: u8,
    at: usize,
    len: usize,
) -> Node {
    let bytes = b.ctx.bytes;
    let mut node = Node::field(name, protocol, b.span(at, len));
    let Some(next) = u8_at(bytes, at) else {
        return node;
    };
    if kind == 44 {
        node.push(Node::field(
            format!("Next header: {} ({next})", protocol_name(next)),
            "ipv6.fragment.nxt",
            b.span(at, 1),
        ));
        if let Some(reserved) = u8_at(bytes, at + 1) {
            node.push(Node::field(
                format!("Reserved octet: 0x{reserved:02x}"),
                "ipv6.fragment.reserved_octet",
                b.span(at + 1, 1),
            ));
        }
        if let Some(word) = be16_at(bytes, at + 2) {
            let word = u64::from(word);
            let offset = word >> 3;
            node.push(Node::field(
                bit_label(
                    word,
                    0xfff8,
                    16,
                    format!("Offset: {offset} ({} bytes)", offset * 8),
                ),
                "ipv6.fragment.offset",
                b.span(at + 2, 2),
            ));
            node.push(Node::field(
                bit_label(
                    word,
                    0x0006,
                    16,
                    format!("Reserved bits: {}", (word >> 1) & 3),
                ),
                "ipv6.fragment.reserved_bits",
                b.span(at + 2, 2),
            ));
            node.push(Node::field(
                bit_label(
                    word,
                    0x0001,
                    16,
                    format!(
                        "More Fragments: {}",
                        if word & 1 != 0 { "Yes" } else { "No" }
                    ),
                ),
                "ipv6.fragment.more",
                b.span(at + 2, 2),
            ));
        }
        if let Some(id) = be32_at(bytes, at + 4) {
            node.push(Node::field(
                format!("Identification: 0x{id:08x}"),
                "ipv6.fragment.id",
                b.span(at + 4, 4),
            ));
        }
        return node;
    }
    node.push(Node::field(
        format!("Next Header: {} ({next})", protocol_name(next)),
        "ipv6.opt.nxt",
        b.span(at, 1),
    ));
    if let Some(length) = u8_at(bytes, at + 1) {
        node.push(Node::field(
            format!("Length: {length}"),
            "ipv6.opt.len",
            b.span(at + 1, 1),
        ));
        node.push(Node::generated(
            format!("Length: {len} bytes"),
            Some("ipv6.opt.len.oct"),
        ));
    }
    if matches!(kind, 0 | 60) {
        ipv6_options(b, &mut node, at + 2, at + len);
    } else if let Some(rest) = bytes.get(at + 2..at + len) {
        if !rest.is_empty() {
            node.push(Node::field(
                format!("Data: {}", hex(rest)),
                "ipv6.opt.data",
                b.span(at + 2, len - 2),
            ));
        }
    }
    node
}

/// The options of a hop-by-hop or destination options header (type-length-value).
fn ipv6_options(b: &Builder, node: &mut Node, from: usize, to: usize) {
    let bytes = b.ctx.bytes;
    let mut cursor = from;
    // Each option is at least one byte, so the walk ends.
    while cursor < to {
        let Some(option_type) = u8_at(bytes, cursor) else {
            break;
        };
        let name = match option_type {
            0x00 => "Pad1",
            0x01 => "PadN",
            0x05 => "Router Alert",
            0xc2 => "Jumbo Payload",
            _ => "Unknown IPv6 Option",
        };
        let t = u64::from(option_type);
        let action = match option_type >> 6 {
            0 => "Skip and continue",
            1 => "Discard",
            2 => "Discard and send ICMP",
            _ => "Discard and send ICMP if not multicast",
        };
        let type_line = Node::field(
            format!("Type: {name} (0x{option_type:02x})"),
            "ipv6.opt.type",
            b.span(cursor, 1),
        )
        .child(Node::field(
            bit_label(
                t,
                0xc0,
                8,
                format!("Action: {action} ({})", option_type >> 6),
            ),
            "ipv6.opt.type.action",
            b.span(cursor, 1),
        ))
        .child(Node::field(
            bit_label(
                t,
                0x20,
                8,
                format!(
                    "May Change: {}",
                    if option_type & 0x20 != 0 { "Yes" } else { "No" }
                ),
            ),
            "ipv6.opt.type.change",
            b.span(cursor, 1),
        ))
        .child(Node::field(
            bit_label(
                t,
                0x1f,
                8,
                format!("Low-Order Bits: 0x{:02x}", option_type & 0x1f),
            ),
            "ipv6.opt.type.rest",
            b.span(cursor, 1),
        ));
        if option_type == 0 {
            node.push(Node::field(name, "ipv6.opt.pad1", b.span(cursor, 1)).child(type_line));
            cursor += 1;
            continue;
        }
        let Some(value_len) = u8_at(bytes, cursor + 1).map(usize::from) else {
            break;
        };
        let option_len = 2 + value_len;
        let mut option = Node::field(name, "ipv6.opt", b.span(cursor, option_len))
            .child(type_line)
            .child(Node::field(
                format!("Length: {value_len}"),
                "ipv6.opt.length",
                b.span(cursor + 1, 1),
            ));
        let value = bytes
            .get(cursor + 2..cursor + option_len)
            .unwrap_or_default();
        let value_span = b.span(cursor + 2, value.len());
        match option_type {
            0x01 => option.push(Node::field(
                format!("PadN: {}", hex(value)),
                "ipv6.opt.padn",
                value_span,
            )),
            0xc2 => {
                if let Some(jumbo) = be32_at(value, 0) {
                    option.push(Node::field(
                        format!("Payload Length: {jumbo}"),
                        "ipv6.opt.jumbo",
                        value_span,
                    ));
                }
            }
            0x05 => {
                if let Some(alert) = be16_at(value, 0) {
                    let what = match alert {
                        0 => "MLD",
                        1 => "RSVP",
                        2 => "Active Networks",
                        _ => "Unknown",
                    };
                    option.push(Node::field(
                        format!("Router Alert: {what} ({alert})"),
                        "ipv6.opt.router_alert",
                        value_span,
                    ));
                }
            }
            _ if !value.is_empty() => option.push(Node::field(
                format!("Data: {}", hex(value)),
                "ipv6.opt.unknown_data",
                value_span,
            )),
            _ => {}
        }
        node.push(option);
        cursor += option_len;
    }
}
