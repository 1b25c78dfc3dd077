//! Link layers: Linux cooked capture v1 and v2, Ethernet II (and IEEE 802.3), 802.1Q/802.1ad
//! tags, BSD null/OpenBSD loop, PPP, raw IP, and a heading for the link layers the decoder
//! reads without detailing (FDDI, NFLOG, IP over InfiniBand, ARCNET).
//!
//! Promise: every field is read from the bytes at the offsets the decoder recorded, with
//! bounds-checked reads; a field that was not captured is left out, never invented.

use super::node::{be16_at, be32_at, bit_label, expert, hex, span, u8_at, Node, Severity};
use super::oui;
use super::Builder;
use crate::decode::{LinkKind, VlanTag};

/// Wireshark's names of EtherTypes, as its "Type:" lines print them.
pub fn ether_type_name(ether_type: u16) -> &'static str {
    match ether_type {
        0x0800 => "IPv4",
        0x0806 => "ARP",
        0x0842 => "Wake on LAN",
        0x22f0 => "IEEE 1722 Audio Video Transport Protocol",
        0x8035 => "RARP",
        0x8100 => "802.1Q Virtual LAN",
        0x8137 => "Netware IPX/SPX",
        0x86dd => "IPv6",
        0x8809 => "Slow Protocols",
        0x8847 => "MPLS label switched packet",
        0x8848 => "MPLS multicast label switched packet",
        0x8863 => "PPPoE Discovery",
        0x8864 => "PPPoE Session",
        0x888e => "802.1X Authentication",
        0x88a8 => "802.1ad Provider Bridge (Q-in-Q)",
        0x88cc => "802.1 Link Layer Discovery Protocol (LLDP)",
        0x88e5 => "802.1AE (MACsec)",
        0x88f7 => "PTPv2 over Ethernet (IEEE1588)",
        0x892f => "High-availability Seamless Redundancy (IEC62439 Part 3)",
        0x9000 => "Loopback",
        0x9100 => "QinQ: old non-standard 802.1ad",
        _ => "Unknown",
    }
}

fn sll_packet_type(packet_type: u16) -> &'static str {
    match packet_type {
        0 => "Unicast to us",
        1 => "Broadcast",
        2 => "Multicast",
        3 => "Unicast to another host",
        4 => "Sent by us",
        _ => "Unknown",
    }
}

fn arphrd_name(arphrd: u16) -> &'static str {
    match arphrd {
        1 => "Ethernet",
        512 => "PPP",
        768 => "IPIP tunnel",
        772 => "Loopback",
        776 => "IPv6-in-IPv4",
        778 => "GRE over IP",
        65534 => "zero header length",
        _ => "Unknown",
    }
}

/// The SLL protocol field: an EtherType, or one of Linux's own numbers below 0x0600.
fn sll_protocol_name(protocol: u16) -> &'static str {
    match protocol {
        0x0001 => "Novell 802.3",
        0x0004 => "802.2 LLC",
        0x000c => "CAN",
        0x000d => "CAN FD",
        other => ether_type_name(other),
    }
}

fn mac6(bytes: &[u8], offset: usize) -> Option<[u8; 6]> {
    let slice = bytes.get(offset..offset.checked_add(6)?)?;
    <[u8; 6]>::try_from(slice).ok()
}

/// Builds the link-layer nodes and returns the offset where the layer they carry starts.
pub fn link(b: &mut Builder) -> usize {
    let decoded = b.ctx.decoded;
    let Some(link) = decoded.link.as_ref() else {
        return match b.ctx.link_type {
            12 | 14 | 101 => {
                b.protocols.push("raw");
                let node = Node::field("Raw packet data", "raw", b.span(0, b.len()));
                b.nodes.push(node);
                0
            }
            _ => 0,
        };
    };
    match link.kind {
        LinkKind::LinuxSll => sll(b, link.len as usize),
        LinkKind::LinuxSll2 => sll2(b),
        LinkKind::Ethernet => ethernet(b),
        LinkKind::Null | LinkKind::Loop => null(b, link.address_family),
        LinkKind::Ppp => ppp(b, link.len as usize, link.protocol.unwrap_or(0)),
        LinkKind::Fddi => heading(b, "Fiber Distributed Data Interface", "fddi", link.len),
        LinkKind::Nflog => {
            // Its TLVs up to the packet belong to it too.
            let to_packet = decoded.ip.as_ref().map_or(link.len, |ip| ip.offset);
            heading(b, "Linux Netfilter NFLOG", "nflog", link.len.max(to_packet))
        }
        LinkKind::Ipoib => heading(b, "IP over Infiniband", "ipoib", link.len),
        LinkKind::Arcnet => heading(b, "ARCNET", "arcnet", link.len),
    }
}

/// A link layer shown by name only (its fields are not broken down).
fn heading(b: &mut Builder, name: &str, protocol: &'static str, len: u32) -> usize {
    b.protocols.push(protocol);
    let node = Node::field(name, protocol, b.span(0, len as usize));
    b.nodes.push(node);
    len as usize
}

fn sll(b: &mut Builder, len: usize) -> usize {
    let bytes = b.ctx.bytes;
    b.protocols.push("sll");
    let mut node = Node::field("Linux cooked capture v1", "sll", b.span(0, len));
    if let Some(packet_type) = be16_at(bytes, 0) {
        node.push(Node::field(
            format!(
                "Packet type: {} ({packet_type})",
                sll_packet_type(packet_type)
            ),
            "sll.pkttype",
            b.span(0, 2),
        ));
    }
    let arphrd = be16_at(bytes, 2).unwrap_or(0);
    if be16_at(bytes, 2).is_some() {
        node.push(Node::field(
            format!(
                "Link-layer address type: {} ({arphrd})",
                arphrd_name(arphrd)
            ),
            "sll.hatype",
            b.span(2, 2),
        ));
    }
    let addr_len = be16_at(bytes, 4).unwrap_or(0);
    if be16_at(bytes, 4).is_some() {
        node.push(Node::field(
            format!("Link-layer address length: {addr_len}"),
            "sll.halen",
            b.span(4, 2),
        ));
    }
    source_and_unused(b, &mut node, arphrd, usize::from(addr_len), 6, 8);
    if let Some(protocol) = be16_at(bytes, 14) {
        b.protocols.push("ethertype");
        node.push(Node::field(
            format!(
                "Protocol: {} (0x{protocol:04x})",
                sll_protocol_name(protocol)
            ),
            "sll.etype",
            b.span(14, 2),
        ));
    }
    b.nodes.push(node);
    len
}

/// The link-layer address of a cooked capture (an Ethernet address, an IPv4 address for GRE
/// tunnels, bytes otherwise) and the unused rest of its field.
fn source_and_unused(
    b: &Builder,
    node: &mut Node,
    arphrd: u16,
    addr_len: usize,
    at: usize,
    field_len: usize,
) {
    let bytes = b.ctx.bytes;
    let shown = addr_len.min(field_len);
    if shown > 0 {
        let source = match (shown, arphrd, mac6(bytes, at)) {
            (6, 1 | 772, Some(mac)) => Some(Node::field(
                format!("Source: {}", oui::labelled(&mac)),
                "sll.src.eth",
                b.span(at, 6),
            )),
            (4, 778 | 768, _) => be32_at(bytes, at).map(|a| {
                Node::field(
                    format!("Source: {}", std::net::Ipv4Addr::from(a)),
                    "sll.src.ipv4",
                    b.span(at, 4),
                )
            }),
            _ => bytes.get(at..at + shown).map(|addr| {
                Node::field(
                    format!("Source: {}", hex(addr)),
                    "sll.src.other",
                    b.span(at, shown),
                )
            }),
        };
        if let Some(source) = source {
            node.push(source);
        }
    }
    if shown < field_len {
        if let Some(unused) = bytes.get(at + shown..at + field_len) {
            node.push(Node::field(
                format!("Unused: {}", hex(unused)),
                "sll.unused",
                b.span(at + shown, field_len - shown),
            ));
        }
    }
}

fn sll2(b: &mut Builder) -> usize {
    let bytes = b.ctx.bytes;
    b.protocols.push("sll");
    let mut node = Node::field("Linux cooked capture v2", "sll", b.span(0, 20));
    if let Some(protocol) = be16_at(bytes, 0) {
        b.protocols.push("ethertype");
        node.push(Node::field(
            format!(
                "Protocol: {} (0x{protocol:04x})",
                sll_protocol_name(protocol)
            ),
            "sll.etype",
            b.span(0, 2),
        ));
    }
    if let Some(index) = be32_at(bytes, 4) {
        node.push(Node::field(
            format!("Interface index: {index}"),
            "sll.ifindex",
            b.span(4, 4),
        ));
    }
    let arphrd = be16_at(bytes, 8).unwrap_or(0);
    if be16_at(bytes, 8).is_some() {
        node.push(Node::field(
            format!(
                "Link-layer address type: {} ({arphrd})",
                arphrd_name(arphrd)
            ),
            "sll.hatype",
            b.span(8, 2),
        ));
    }
    if let Some(packet_type) = u8_at(bytes, 10) {
        node.push(Node::field(
            format!(
                "Packet type: {} ({packet_type})",
                sll_packet_type(u16::from(packet_type))
            ),
            "sll.pkttype",
            b.span(10, 1),
        ));
    }
    let addr_len = u8_at(bytes, 11).unwrap_or(0);
    if u8_at(bytes, 11).is_some() {
        node.push(Node::field(
            format!("Link-layer address length: {addr_len}"),
            "sll.halen",
            b.span(11, 1),
        ));
    }
    source_and_unused(b, &mut node, arphrd, usize::from(addr_len), 12, 8);
    b.nodes.push(node);
    20
}

/// Destination or Source of an Ethernet header, with the address and its LG and IG bits.
fn eth_address(b: &Builder, name: &str, field: &'static str, at: usize) -> Option<Node> {
    let mac = mac6(b.ctx.bytes, at)?;
    let labelled = oui::labelled(&mac);
    let first = u64::from(mac[0]) << 16 | u64::from(mac[1]) << 8 | u64::from(mac[2]);
    let lg = mac[0] & 0x02 != 0;
    let ig = mac[0] & 0x01 != 0;
    let mut node = Node::field(format!("{name}: {labelled}"), field, b.span(at, 6));
    if field == "eth.src" && ig {
        let mut e = expert(
            Severity::Warn,
            "Protocol",
            "Source MAC must not be a group address: IEEE 802.3-2002, Section 3.2.3(b)",
        );
        e.field = Some("eth.src_not_group");
        node.push(e);
    }
    Some(
        node.child(Node::field(
            format!("Address: {labelled}"),
            "eth.addr",
            b.span(at, 6),
        ))
        .child(Node::field(
            bit_label(
                first,
                0x02_0000,
                24,
                if lg {
                    "LG bit: Locally administered address (this is NOT the factory default)"
                } else {
                    "LG bit: Globally unique address (factory default)"
                },
            ),
            "eth.lg",
            b.span(at, 3),
        ))
        .child(Node::field(
            bit_label(
                first,
                0x01_0000,
                24,
                if ig {
                    "IG bit: Group address (multicast/broadcast)"
                } else {
                    "IG bit: Individual address (unicast)"
                },
            ),
            "eth.ig",
            b.span(at, 3),
        )),
    )
}

fn ethernet(b: &mut Builder) -> usize {
    let bytes = b.ctx.bytes;
    let (Some(dst), Some(src), Some(ether_type)) =
        (mac6(bytes, 0), mac6(bytes, 6), be16_at(bytes, 12))
    else {
        return 0;
    };
    let ieee8023 = ether_type < 0x0600;
    let label = if ieee8023 {
        // Wireshark's label has this trailing space.
        "IEEE 802.3 Ethernet ".to_string()
    } else {
        format!(
            "Ethernet II, Src: {}, Dst: {}",
            oui::labelled(&src),
            oui::labelled(&dst)
        )
    };
    b.protocols.push("eth");
    let mut node = Node::field(label, "eth", b.span(0, 14));
    if let Some(n) = eth_address(b, "Destination", "eth.dst", 0) {
        node.push(n);
    }
    if let Some(n) = eth_address(b, "Source", "eth.src", 6) {
        node.push(n);
    }
    if ieee8023 {
        node.push(Node::field(
            format!("Length: {ether_type}"),
            "eth.len",
            b.span(12, 2),
        ));
    } else {
        b.protocols.push("ethertype");
        node.push(Node::field(
            format!("Type: {} (0x{ether_type:04x})", ether_type_name(ether_type)),
            "eth.type",
            b.span(12, 2),
        ));
    }
    b.ethernet = Some(b.nodes.len());
    b.nodes.push(node);
    let mut end = 14;
    for tag in &b.ctx.decoded.vlans {
        let tag_node = vlan(b, tag);
        b.protocols.push("vlan");
        b.protocols.push("ethertype");
        b.nodes.push(tag_node);
        // A tag is its TPID and TCI; the EtherType after it ends the header.
        end = tag.offset as usize + 6;
    }
    end
}

fn vlan_priority(priority: u8) -> &'static str {
    match priority {
        0 => "Best Effort (default)",
        1 => "Background",
        2 => "Excellent Effort",
        3 => "Critical Applications",
        4 => "Video, < 100ms latency and jitter",
        5 => "Voice, < 10ms latency and jitter",
        6 => "Internetwork Control",
        _ => "Network Control",
    }
}

/// One 802.1Q/802.1ad tag: Wireshark's node covers the TCI and the EtherType after it (the
/// TPID is the previous layer's Type).
fn vlan(b: &Builder, tag: &VlanTag) -> Node {
    let tci_at = tag.offset as usize + 2;
    let tci = u64::from(be16_at(b.ctx.bytes, tci_at).unwrap_or(0));
    let mut node = Node::field(
        format!(
            "802.1Q Virtual LAN, PRI: {}, DEI: {}, ID: {}",
            tag.priority,
            u8::from(tag.drop_eligible),
            tag.id
        ),
        "vlan",
        b.span(tci_at, 4),
    );
    node.push(Node::field(
        bit_label(
            tci,
            0xe000,
            16,
            format!(
                "Priority: {} ({})",
                vlan_priority(tag.priority),
                tag.priority
            ),
        ),
        "vlan.priority",
        b.span(tci_at, 2),
    ));
    node.push(Node::field(
        bit_label(
            tci,
            0x1000,
            16,
            if tag.drop_eligible {
                "DEI: Eligible"
            } else {
                "DEI: Ineligible"
            },
        ),
        "vlan.dei",
        b.span(tci_at, 2),
    ));
    node.push(Node::field(
        bit_label(tci, 0x0fff, 16, format!("ID: {}", tag.id)),
        "vlan.id",
        b.span(tci_at, 2),
    ));
    node.push(Node::field(
        format!(
            "Type: {} (0x{:04x})",
            ether_type_name(tag.inner_type),
            tag.inner_type
        ),
        "vlan.etype",
        b.span(tci_at + 2, 2),
    ));
    node
}

fn null(b: &mut Builder, family: Option<u32>) -> usize {
    b.protocols.push("null");
    let family = family.unwrap_or(0);
    let name = match family {
        2 => "IP",
        7 => "OSI",
        24 | 28 | 30 => "IPv6",
        _ => "Unknown",
    };
    let node = Node::field("Null/Loopback", "null", b.span(0, 4)).child(Node::field(
        format!("Family: {name} ({family})"),
        "null.family",
        b.span(0, 4),
    ));
    b.nodes.push(node);
    4
}

fn ppp_protocol_name(protocol: u16) -> &'static str {
    match protocol {
        0x0021 => "Internet Protocol version 4",
        0x0057 => "Internet Protocol version 6",
        0x0281 => "MPLS Unicast",
        0x0283 => "MPLS Multicast",
        0x8021 => "Internet Protocol Control Protocol",
        0x8057 => "IPv6 Control Protocol",
        0xc021 => "Link Control Protocol",
        0xc023 => "Password Authentication Protocol",
        0xc223 => "Challenge Handshake Authentication Protocol",
        _ => "Unknown",
    }
}

fn ppp(b: &mut Builder, len: usize, protocol: u16) -> usize {
    let bytes = b.ctx.bytes;
    b.protocols.push("ppp");
    let mut node = Node::field("Point-to-Point Protocol", "ppp", b.span(0, len));
    let hdlc = bytes.starts_with(&[0xff, 0x03]);
    if hdlc {
        node.push(Node::field("Address: 0xff", "ppp.address", b.span(0, 1)));
        node.push(Node::field("Control: 0x03", "ppp.control", b.span(1, 1)));
    }
    let at = if hdlc { 2 } else { 0 };
    node.push(Node::field(
        format!(
            "Protocol: {} (0x{protocol:04x})",
            ppp_protocol_name(protocol)
        ),
        "ppp.protocol",
        b.span(at, len.saturating_sub(at)),
    ));
    b.nodes.push(node);
    len
}

/// What sits between the link layer and the IP header when the decoder unwrapped something
/// there (MPLS labels, a PPPoE session, LLC/SNAP): one heading over those bytes.
pub fn between(b: &mut Builder, from: usize, to: usize) {
    if to <= from {
        return;
    }
    let decoded = b.ctx.decoded;
    let after_tags = decoded
        .vlans
        .last()
        .map(|t| t.inner_type)
        .or_else(|| decoded.link.as_ref().and_then(|l| l.protocol));
    let (name, protocol) = match after_tags {
        Some(0x8847 | 0x8848) => ("MultiProtocol Label Switching Header", "mpls"),
        Some(0x8864) => ("PPP-over-Ethernet Session", "pppoes"),
        _ if decoded.link.as_ref().map(|l| l.kind) == Some(LinkKind::Ppp) => {
            ("MultiProtocol Label Switching Header", "mpls")
        }
        _ => ("Logical-Link Control", "llc"),
    };
    b.protocols.push(protocol);
    let node = Node::field(
        format!("{name} ({} bytes, not broken down here)", to - from),
        protocol,
        b.span(from, to - from),
    );
    b.nodes.push(node);
}

/// What follows the IP datagram (or ARP message) in an Ethernet frame, shown in the Ethernet
/// node as Wireshark does: zero padding up to the 60-byte minimum, then a 4-byte frame check
/// sequence when exactly that much is left, else a trailer. Padding that is not zeros is
/// shown as a trailer with Wireshark's note.
pub fn padding(b: &mut Builder, end_of_payload: usize) {
    let Some(index) = b.ethernet else {
        return;
    };
    let len = b.len();
    let bytes = b.ctx.bytes;
    if end_of_payload >= len {
        return;
    }
    // Only a frame sent at the 60-byte minimum (or longer) can carry padding; what follows
    // the payload in a shorter frame is a trailer.
    let pad_end = if b.ctx.orig_len >= 60 {
        len.min(60).max(end_of_payload)
    } else {
        end_of_payload
    };
    let pad = bytes.get(end_of_payload..pad_end).unwrap_or_default();
    let rest_at = pad_end;
    let rest = bytes.get(rest_at..).unwrap_or_default();
    let mut nodes = Vec::new();
    let mut trailer_from = rest_at;
    if !pad.is_empty() {
        if pad.iter().all(|&byte| byte == 0) {
            nodes.push(Node::field(
                format!("Padding: {}", hex(pad)),
                "eth.padding",
                span(end_of_payload, pad.len(), len),
            ));
        } else {
            trailer_from = end_of_payload;
        }
    }
    let trailer = bytes.get(trailer_from..).unwrap_or_default();
    if trailer_from == rest_at && rest.len() == 4 {
        let fcs = be32_at(rest, 0).unwrap_or(0);
        nodes.push(Node::field(
            format!("Frame check sequence: 0x{fcs:08x} [unverified]"),
            "eth.fcs",
            span(rest_at, 4, len),
        ));
        nodes.push(
            Node::generated("FCS Status: Unverified", Some("eth.fcs.status"))
                .with_span(span(rest_at, 4, len)),
        );
    } else if !trailer.is_empty() {
        let mut node = Node::field(
            format!("Trailer: {}", hex(trailer)),
            "eth.trailer",
            span(trailer_from, trailer.len(), len),
        );
        if trailer_from == end_of_payload && !pad.is_empty() {
            node.push(expert(
                Severity::Note,
                "Protocol",
                "Didn't find padding of zeros, and an undecoded trailer exists. There may be padding of non-zeros.",
            ));
        }
        nodes.push(node);
    }
    if let Some(eth) = b.nodes.get_mut(index) {
        eth.children.extend(nodes);
    }
}
