//! ARP and RARP: hardware and protocol types and sizes, opcode, the four addresses.
//!
//! Promise: addresses are read from the captured bytes at the positions their sizes give;
//! one the snaplen cut is left out.

use super::link::ether_type_name;
use super::node::{be16_at, hex, u8_at, Node};
use super::{oui, Builder};
use crate::decode::ArpPacket;

fn opcode_name(operation: u16) -> &'static str {
    match operation {
        1 => "request",
        2 => "reply",
        3 => "reverse request",
        4 => "reverse reply",
        8 => "inverse request",
        9 => "inverse reply",
        _ => "Unknown",
    }
}

fn hardware_name(hardware: u16) -> &'static str {
    match hardware {
        1 => "Ethernet",
        6 => "IEEE 802",
        7 => "ARCNET",
        15 => "Frame Relay",
        32 => "InfiniBand",
        _ => "Unknown",
    }
}

/// The ARP layer: its node and "arp" in the protocol list. Returns where it ends.
pub fn arp(b: &mut Builder, arp: &ArpPacket) -> usize {
    let bytes = b.ctx.bytes;
    let at = arp.offset as usize;
    let (hlen, plen) = (usize::from(arp.hardware_len), usize::from(arp.protocol_len));
    let len = 8 + 2 * (hlen + plen);
    let rarp = matches!(arp.operation, 3 | 4);
    b.protocols.push(if rarp { "rarp" } else { "arp" });
    let gratuitous = arp.sender_ip.is_some() && arp.sender_ip == arp.target_ip;
    let name = if rarp {
        "Reverse Address Resolution Protocol"
    } else {
        "Address Resolution Protocol"
    };
    let label = if gratuitous {
        format!("{name} ({}/gratuitous ARP)", opcode_name(arp.operation))
    } else {
        format!("{name} ({})", opcode_name(arp.operation))
    };
    let mut node = Node::field(label, if rarp { "rarp" } else { "arp" }, b.span(at, len));
    if be16_at(bytes, at).is_some() {
        node.push(Node::field(
            format!(
                "Hardware type: {} ({})",
                hardware_name(arp.hardware_type),
                arp.hardware_type
            ),
            "arp.hw.type",
            b.span(at, 2),
        ));
    }
    if be16_at(bytes, at + 2).is_some() {
        node.push(Node::field(
            format!(
                "Protocol type: {} (0x{:04x})",
                ether_type_name(arp.protocol_type),
                arp.protocol_type
            ),
            "arp.proto.type",
            b.span(at + 2, 2),
        ));
    }
    if u8_at(bytes, at + 4).is_some() {
        node.push(Node::field(
            format!("Hardware size: {hlen}"),
            "arp.hw.size",
            b.span(at + 4, 1),
        ));
    }
    if u8_at(bytes, at + 5).is_some() {
        node.push(Node::field(
            format!("Protocol size: {plen}"),
            "arp.proto.size",
            b.span(at + 5, 1),
        ));
    }
    if be16_at(bytes, at + 6).is_some() {
        node.push(Node::field(
            format!("Opcode: {} ({})", opcode_name(arp.operation), arp.operation),
            "arp.opcode",
            b.span(at + 6, 2),
        ));
    }
    if gratuitous {
        node.push(Node::generated(
            "Is gratuitous: True",
            Some("arp.isgratuitous"),
        ));
    }
    let mut cursor = at + 8;
    for (who, mac, ip) in [
        ("Sender", arp.sender_mac, arp.sender_ip),
        ("Target", arp.target_mac, arp.target_ip),
    ] {
        let (mac_field, ip_field) = if who == "Sender" {
            ("arp.src.hw_mac", "arp.src.proto_ipv4")
        } else {
            ("arp.dst.hw_mac", "arp.dst.proto_ipv4")
        };
        match mac {
            Some(mac) => node.push(Node::field(
                format!("{who} MAC address: {}", oui::labelled(&mac)),
                mac_field,
                b.span(cursor, 6),
            )),
            None => {
                if let Some(addr) = bytes.get(cursor..cursor + hlen).filter(|a| !a.is_empty()) {
                    node.push(Node::field(
                        format!("{who} hardware address: {}", hex(addr)),
                        if who == "Sender" {
                            "arp.src.hw"
                        } else {
                            "arp.dst.hw"
                        },
                        b.span(cursor, hlen),
                    ));
                }
            }
        }
        cursor += hlen;
        match ip {
            Some(ip) => node.push(Node::field(
                format!("{who} IP address: {ip}"),
                ip_field,
                b.span(cursor, 4),
            )),
            None => {
                if let Some(addr) = bytes.get(cursor..cursor + plen).filter(|a| !a.is_empty()) {
                    node.push(Node::field(
                        format!("{who} protocol address: {}", hex(addr)),
                        if who == "Sender" {
                            "arp.src.proto"
                        } else {
                            "arp.dst.proto"
                        },
                        b.span(cursor, plen),
                    ));
                }
            }
        }
        cursor += plen;
    }
    b.nodes.push(node);
    at + len
}
