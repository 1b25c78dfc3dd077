//! ICMP and ICMPv6: type, code, checksum (always verified when the message was captured
//! whole, as Wireshark does), echo identifiers, the rest of an error message's header,
//! neighbour-discovery targets and options, and the data after them.
//!
//! Promise: fields are read from the captured bytes at the decoder's offset; what is missing
//! is left out. The packet an error message quotes is shown as data, not dissected again.

use super::checksum::{self, Verdict};
use super::node::{be16_at, be32_at, bit_label, hex, set, u8_at, Node};
use super::{oui, Builder};
use crate::decode::{
    icmpv4_code_name, icmpv4_type_name, icmpv6_code_name, icmpv6_type_name, IcmpMessage, IpHeader,
};
use std::net::{Ipv4Addr, Ipv6Addr};

/// The ICMP or ICMPv6 layer: its node, and "icmp"/"icmpv6" (and "data") in the protocol list.
pub fn icmp(b: &mut Builder, ip: &IpHeader, message: &IcmpMessage) {
    let node = if message.version == 4 {
        b.protocols.push("icmp");
        icmpv4(b, ip, message)
    } else {
        b.protocols.push("icmpv6");
        icmpv6(b, ip, message)
    };
    b.nodes.push(node);
}

/// The message's bytes per the IP length, and how many of them were captured.
fn extent(b: &Builder, ip: &IpHeader, message: &IcmpMessage) -> (usize, usize) {
    let at = message.offset as usize;
    let len = ip.payload_len as usize;
    let captured = b.len().saturating_sub(at).min(len);
    (len, captured)
}

fn verdict(b: &Builder, ip: &IpHeader, message: &IcmpMessage, pseudo: u64) -> Verdict {
    let at = message.offset as usize;
    let (len, _) = extent(b, ip, message);
    let whole = b.ctx.bytes.get(at..at.saturating_add(len));
    Verdict::of(
        message.checksum,
        whole.and_then(|w| checksum::should_be(w, 2, pseudo)),
    )
}

/// "Data (N bytes)" with its bytes and length, as Wireshark shows undissected bytes.
pub fn data_node(b: &Builder, at: usize, len: usize) -> Node {
    let shown = b
        .ctx
        .bytes
        .get(at..at.saturating_add(len))
        .unwrap_or_default();
    Node::field(format!("Data ({len} bytes)"), "data", b.span(at, len))
        .child(Node::field(
            format!("Data: {}", super::node::hex_shown(shown)),
            "data.data",
            b.span(at, len),
        ))
        .child(Node::generated(format!("Length: {len}"), Some("data.len")))
}

fn icmpv4(b: &mut Builder, ip: &IpHeader, message: &IcmpMessage) -> Node {
    let bytes = b.ctx.bytes;
    let at = message.offset as usize;
    let (len, captured) = extent(b, ip, message);
    let mut node = Node::field("Internet Control Message Protocol", "icmp", b.span(at, len));
    let type_name = icmpv4_type_name(message.icmp_type).unwrap_or("Unknown");
    node.push(Node::field(
        format!("Type: {} ({type_name})", message.icmp_type),
        "icmp.type",
        b.span(at, 1),
    ));
    let code = match icmpv4_code_name(message.icmp_type, message.code) {
        Some(name) => format!("Code: {} ({name})", message.code),
        None => format!("Code: {}", message.code),
    };
    node.push(Node::field(code, "icmp.code", b.span(at + 1, 1)));
    let verdict = verdict(b, ip, message, 0);
    for line in checksum::transport_lines(
        "icmp",
        message.checksum,
        at + 2,
        b.len(),
        verdict,
        checksum::Evidence::default(),
    ) {
        node.push(line);
    }
    let mut rest_at = at + 8;
    match message.icmp_type {
        0 | 8 => {
            if let (Some(id), Some(seq)) = (be16_at(bytes, at + 4), be16_at(bytes, at + 6)) {
                node.push(Node::field(
                    format!("Identifier (BE): {id} (0x{id:04x})"),
                    "icmp.ident",
                    b.span(at + 4, 2),
                ));
                let id_le = id.swap_bytes();
                node.push(Node::field(
                    format!("Identifier (LE): {id_le} (0x{id_le:04x})"),
                    "icmp.ident_le",
                    b.span(at + 4, 2),
                ));
                node.push(Node::field(
                    format!("Sequence Number (BE): {seq} (0x{seq:04x})"),
                    "icmp.seq",
                    b.span(at + 6, 2),
                ));
                let seq_le = seq.swap_bytes();
                node.push(Node::field(
                    format!("Sequence Number (LE): {seq_le} (0x{seq_le:04x})"),
                    "icmp.seq_le",
                    b.span(at + 6, 2),
                ));
            }
        }
        3 if message.code == 4 => {
            if let (Some(unused), Some(mtu)) = (be16_at(bytes, at + 4), be16_at(bytes, at + 6)) {
                node.push(Node::field(
                    format!("Unused: {unused:04x}"),
                    "icmp.unused",
                    b.span(at + 4, 2),
                ));
                node.push(Node::field(
                    format!("MTU of next hop: {mtu}"),
                    "icmp.mtu",
                    b.span(at + 6, 2),
                ));
            }
        }
        5 => {
            if let Some(gateway) = be32_at(bytes, at + 4) {
                node.push(Node::field(
                    format!("Gateway Address: {}", Ipv4Addr::from(gateway)),
                    "icmp.redir_gw",
                    b.span(at + 4, 4),
                ));
            }
        }
        3 | 4 | 11 | 12 => {
            if let Some(unused) = bytes.get(at + 4..at + 8) {
                node.push(Node::field(
                    format!("Unused: {}", hex(unused)),
                    "icmp.unused",
                    b.span(at + 4, 4),
                ));
            }
        }
        _ => rest_at = at + 4,
    }
    let end = at + captured;
    if end > rest_at {
        b.protocols.push("data");
        node.push(data_node(b, rest_at, end - rest_at));
    }
    node
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn icmpv6(b: &mut Builder, ip: &IpHeader, message: &IcmpMessage) -> Node {
    let bytes = b.ctx.bytes;
    let at = message.offset as usize;
    let (len, captured) = extent(b, ip, message);
    let end = at + captured;
    let mut node = Node::field(
        "Internet Control Message Protocol v6",
        "icmpv6",
        b.span(at, len),
    );
    let type_name = icmpv6_type_name(message.icmp_type).unwrap_or("Unknown");
    node.push(Node::field(
        format!("Type: {type_name} ({})", message.icmp_type),
        "icmpv6.type",
        b.span(at, 1),
    ));
    let code = match icmpv6_code_name(message.icmp_type, message.code) {
        Some(name) => format!("Code: {} ({})", message.code, capitalised(name)),
        None => format!("Code: {}", message.code),
    };
    node.push(Node::field(code, "icmpv6.code", b.span(at + 1, 1)));
    let pseudo = checksum::pseudo_header_sum(ip, 58, len as u32);
    let verdict = verdict(b, ip, message, pseudo);
    for line in checksum::transport_lines(
        "icmpv6",
        message.checksum,
        at + 2,
        b.len(),
        verdict,
        checksum::Evidence::default(),
    ) {
        node.push(line);
    }
    let target_at = |offset: usize| -> Option<Ipv6Addr> {
        let slice = bytes.get(offset..offset + 16)?;
        <[u8; 16]>::try_from(slice).ok().map(Ipv6Addr::from)
    };
    let mut rest_at = at + 8;
    let mut options_at = None;
    match message.icmp_type {
        128 | 129 => {
            if let (Some(id), Some(seq)) = (be16_at(bytes, at + 4), be16_at(bytes, at + 6)) {
                node.push(Node::field(
                    format!("Identifier: 0x{id:04x}"),
                    "icmpv6.echo.identifier",
                    b.span(at + 4, 2),
                ));
                node.push(Node::field(
                    format!("Sequence: {seq}"),
                    "icmpv6.echo.sequence_number",
                    b.span(at + 6, 2),
                ));
            }
        }
        2 => {
            if let Some(mtu) = be32_at(bytes, at + 4) {
                node.push(Node::field(
                    format!("MTU: {mtu}"),
                    "icmpv6.mtu",
                    b.span(at + 4, 4),
                ));
            }
        }
        4 => {
            if let Some(pointer) = be32_at(bytes, at + 4) {
                node.push(Node::field(
                    format!("Pointer: {pointer}"),
                    "icmpv6.pointer",
                    b.span(at + 4, 4),
                ));
            }
        }
        136 => {
            if let Some(word) = be32_at(bytes, at + 4) {
                let w = u64::from(word);
                let mut names = Vec::new();
                for (bit, name) in [(31, "Router"), (30, "Solicited"), (29, "Override")] {
                    if word & (1 << bit) != 0 {
                        names.push(name);
                    }
                }
                let mut label = format!("Flags: 0x{word:08x}");
                for name in names {
                    label.push_str(", ");
                    label.push_str(name);
                }
                let flag = |mask: u64, name: &str, field: &'static str| {
                    Node::field(
                        bit_label(w, mask, 32, format!("{name}: {}", set(w & mask != 0))),
                        field,
                        b.span(at + 4, 4),
                    )
                };
                node.push(
                    Node::field(label, "icmpv6.nd.na.flag", b.span(at + 4, 4))
                        .child(flag(0x8000_0000, "Router", "icmpv6.nd.na.flag.r"))
                        .child(flag(0x4000_0000, "Solicited", "icmpv6.nd.na.flag.s"))
                        .child(flag(0x2000_0000, "Override", "icmpv6.nd.na.flag.o"))
                        .child(Node::field(
                            bit_label(
                                w,
                                0x1fff_ffff,
                                32,
                                format!("Reserved: {}", word & 0x1fff_ffff),
                            ),
                            "icmpv6.nd.na.flag.rsv",
                            b.span(at + 4, 4),
                        )),
                );
            }
            if let Some(target) = target_at(at + 8) {
                node.push(Node::field(
                    format!("Target Address: {target}"),
                    "icmpv6.nd.na.target_address",
                    b.span(at + 8, 16),
                ));
            }
            options_at = Some(at + 24);
        }
        133 | 135 | 137 => {
            if let Some(reserved) = bytes.get(at + 4..at + 8) {
                node.push(Node::field(
                    format!("Reserved: {}", hex(reserved)),
                    "icmpv6.reserved",
                    b.span(at + 4, 4),
                ));
            }
            if message.icmp_type == 133 {
                options_at = Some(at + 8);
            } else {
                if let Some(target) = target_at(at + 8) {
                    let field = if message.icmp_type == 135 {
                        "icmpv6.nd.ns.target_address"
                    } else {
                        "icmpv6.nd.rd.target_address"
                    };
                    node.push(Node::field(
                        format!("Target Address: {target}"),
                        field,
                        b.span(at + 8, 16),
                    ));
                }
                options_at = Some(if message.icmp_type == 135 {
                    at + 24
                } else {
                    at + 40
                });
            }
        }
        1 | 3 => {
            if let Some(reserved) = bytes.get(at + 4..at + 8) {
                node.push(Node::field(
                    format!("Reserved: {}", hex(reserved)),
                    "icmpv6.reserved",
                    b.span(at + 4, 4),
                ));
            }
        }
        _ => rest_at = at + 4,
    }
    if let Some(mut cursor) = options_at {
        // Each option is at least 8 bytes (a length of 0 ends the walk), so the walk ends.
        while cursor + 2 <= end {
            let (Some(option_type), Some(units)) = (u8_at(bytes, cursor), u8_at(bytes, cursor + 1))
            else {
                break;
            };
            if units == 0 {
                break;
            }
            let option_len = usize::from(units) * 8;
            node.push(ndp_option(b, cursor, option_type, units, option_len));
            cursor += option_len;
        }
        rest_at = cursor.max(rest_at);
    }
    if end > rest_at {
        b.protocols.push("data");
        node.push(data_node(b, rest_at, end - rest_at));
    }
    node
}

fn ndp_option(b: &Builder, at: usize, option_type: u8, units: u8, len: usize) -> Node {
    let name = match option_type {
        1 => "Source link-layer address",
        2 => "Target link-layer address",
        3 => "Prefix information",
        4 => "Redirected header",
        5 => "MTU",
        25 => "Recursive DNS Server",
        31 => "DNS Search List",
        _ => "Unknown",
    };
    let mac = b
        .ctx
        .bytes
        .get(at + 2..at + 8)
        .and_then(|s| <[u8; 6]>::try_from(s).ok())
        .filter(|_| matches!(option_type, 1 | 2) && units == 1);
    let label = match mac {
        Some(mac) => format!(
            "ICMPv6 Option ({name} : {})",
            crate::decode::format_mac(&mac)
        ),
        None => format!("ICMPv6 Option ({name})"),
    };
    let mut node = Node::field(label, "icmpv6.opt", b.span(at, len))
        .child(Node::field(
            format!("Type: {name} ({option_type})"),
            "icmpv6.opt.type",
            b.span(at, 1),
        ))
        .child(Node::field(
            format!("Length: {units} ({len} bytes)"),
            "icmpv6.opt.length",
            b.span(at + 1, 1),
        ));
    match mac {
        Some(mac) => node.push(Node::field(
            format!("Link-layer address: {}", oui::labelled(&mac)),
            "icmpv6.opt.linkaddr",
            b.span(at + 2, 6),
        )),
        None => {
            if let Some(value) = b.ctx.bytes.get(at + 2..at + len) {
                node.push(Node::field(
                    format!("Data: {}", hex(value)),
                    "icmpv6.data",
                    b.span(at + 2, len - 2),
                ));
            }
        }
    }
    node
}
