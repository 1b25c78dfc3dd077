//! Link layers: Ethernet (with any number of 802.1Q/802.1ad tags), Linux cooked v1/v2, BSD
//! null/loop, PPP, raw IP.
//!
//! Ethernet and its VLAN tags are read by etherparse's `Ethernet2HeaderSlice` and
//! `SingleVlanHeaderSlice`. The rest is read by hand: etherparse's `LinuxSllHeaderSlice`
//! rejects ARPHRD 772 (loopback, what `tcpdump -i any` records for lo), it has no SLL2, no
//! null/loop, PPP, FDDI, LLC/SNAP, MPLS or PPPoE headers.

use super::bytes::{array_at, be16_at, be32_at, le16_at, le32_at, u8_at};
use super::{Decoded, LinkHeader, LinkKind, NextLayer, VlanTag};
use etherparse::{Ethernet2HeaderSlice, SingleVlanHeaderSlice};

pub const LINKTYPE_NULL: u32 = 0;
pub const LINKTYPE_ETHERNET: u32 = 1;
pub const LINKTYPE_PPP: u32 = 9;
pub const LINKTYPE_FDDI: u32 = 10;
pub const LINKTYPE_RAW_OPENBSD_OLD: u32 = 12;
pub const LINKTYPE_RAW_LINUX_OLD: u32 = 14;
pub const LINKTYPE_PPP_HDLC: u32 = 50;
pub const LINKTYPE_RAW: u32 = 101;
pub const LINKTYPE_LOOP: u32 = 108;
pub const LINKTYPE_LINUX_SLL: u32 = 113;
pub const LINKTYPE_IPV4: u32 = 228;
pub const LINKTYPE_IPV6: u32 = 229;
pub const LINKTYPE_LINUX_SLL2: u32 = 276;
pub const LINKTYPE_ARCNET_LINUX: u32 = 129;
pub const LINKTYPE_NFLOG: u32 = 239;
pub const LINKTYPE_IPOIB: u32 = 242;

/// Human name of a link type, for the page's summary ("Ethernet", "Linux cooked capture v1").
pub fn link_type_name(link_type: u32) -> &'static str {
    match link_type {
        0 => "BSD loopback",
        1 => "Ethernet",
        6 => "IEEE 802.5 Token Ring",
        8 => "SLIP",
        9 => "PPP",
        10 => "FDDI",
        12 | 14 | 101 => "Raw IP",
        50 => "PPP in HDLC-like framing",
        51 => "PPPoE",
        104 => "Cisco HDLC",
        105 => "IEEE 802.11 Wireless LAN",
        108 => "OpenBSD loopback",
        113 => "Linux cooked capture v1",
        119 => "Prism II monitor mode",
        127 => "IEEE 802.11 plus radiotap header",
        129 => "ARCNET (Linux)",
        147..=162 => "User DLT",
        163 => "IEEE 802.11 plus AVS header",
        192 => "PPI",
        195 => "IEEE 802.15.4",
        201 => "Bluetooth HCI H4 with pseudo-header",
        215 => "IEEE 802.15.4 (no FCS)",
        220 => "USB Linux (mmapped)",
        227 => "SocketCAN",
        228 => "Raw IPv4",
        229 => "Raw IPv6",
        239 => "Linux netfilter log (NFLOG)",
        242 => "IP over InfiniBand",
        249 => "USBPcap",
        252 => "Wireshark Upper PDU",
        263 => "Bluetooth Low Energy link layer",
        274 => "Nordic BLE sniffer",
        276 => "Linux cooked capture v2",
        _ => "Unknown link type",
    }
}

/// Protocol column for a frame whose link layer is not decoded, close to tshark's.
pub(crate) fn fallback_protocol(link_type: u32) -> &'static str {
    match link_type {
        LINKTYPE_ETHERNET => "Ethernet",
        LINKTYPE_LINUX_SLL | LINKTYPE_LINUX_SLL2 => "SLL",
        LINKTYPE_NULL | LINKTYPE_LOOP => "NULL",
        LINKTYPE_PPP | LINKTYPE_PPP_HDLC => "PPP",
        10 => "FDDI",
        105 | 127 | 119 | 163 | 192 => "802.11",
        129 => "ARCNET",
        239 => "NFLOG",
        242 => "IPoIB",
        195 | 215 => "IEEE 802.15.4",
        227 => "CAN",
        _ => "Unknown",
    }
}

/// Protocol column for EtherTypes that are not decoded further.
pub(crate) fn ether_type_protocol(ether_type: u16) -> Option<&'static str> {
    Some(match ether_type {
        0x0800 => "IPv4",
        0x86dd => "IPv6",
        0x0806 => "ARP",
        0x8035 => "RARP",
        0x88cc => "LLDP",
        0x888e => "EAPOL",
        0x8863 => "PPPoED",
        0x8864 => "PPPoES",
        0x8847 | 0x8848 => "MPLS",
        0x88e5 => "MACsec",
        0x8137 => "IPX",
        0x88f7 => "PTPv2",
        0x8809 => "Slow Protocols",
        0x9000 => "LOOP",
        0x88a8 | 0x8100 | 0x9100 => "802.1Q",
        _ => return None,
    })
}

/// Reads the link header of a frame into `out` and says what follows it.
pub(crate) fn decode_link(link_type: u32, data: &[u8], out: &mut Decoded) -> NextLayer {
    match link_type {
        LINKTYPE_ETHERNET => ethernet(data, out),
        LINKTYPE_LINUX_SLL => linux_sll(data, out),
        LINKTYPE_LINUX_SLL2 => linux_sll2(data, out),
        LINKTYPE_RAW
        | LINKTYPE_RAW_OPENBSD_OLD
        | LINKTYPE_RAW_LINUX_OLD
        | LINKTYPE_IPV4
        | LINKTYPE_IPV6 => NextLayer::Ip { offset: 0 },
        LINKTYPE_NULL | LINKTYPE_LOOP => null_loop(link_type, data, out),
        LINKTYPE_PPP | LINKTYPE_PPP_HDLC => ppp(data, out),
        LINKTYPE_FDDI => fddi(data, out),
        LINKTYPE_NFLOG => nflog(data, out),
        LINKTYPE_IPOIB => ipoib(data, out),
        LINKTYPE_ARCNET_LINUX => arcnet(data, out),
        _ => NextLayer::Stop,
    }
}

fn ethernet(data: &[u8], out: &mut Decoded) -> NextLayer {
    let Ok(header) = Ethernet2HeaderSlice::from_slice(data) else {
        out.problems.push(format!(
            "Ethernet: header needs 14 bytes but only {} were captured.",
            data.len()
        ));
        return NextLayer::Stop;
    };
    let (dst, src, ether_type) = (header.destination(), header.source(), header.ether_type().0);
    let mut src8 = [0u8; 8];
    src8[..6].copy_from_slice(&src);
    out.link = Some(LinkHeader {
        kind: LinkKind::Ethernet,
        len: 14,
        dst: Some(dst),
        src: Some(src8),
        addr_len: 6,
        protocol: Some(ether_type),
        ..LinkHeader::default()
    });
    if ether_type < 0x0600 {
        // An 802.3 length field: LLC follows.
        return llc(data, 14, out);
    }
    vlan_tags(data, ether_type, 14, out)
}

/// IEEE 802.2 LLC. Only SNAP (AA AA 03, OUI, EtherType) leads on to a decoded layer; the
/// rest (STP, CDP, NetBIOS, ...) is named LLC.
fn llc(data: &[u8], offset: usize, out: &mut Decoded) -> NextLayer {
    if data.get(offset..offset + 3) == Some(&[0xaa, 0xaa, 0x03]) {
        if let Some(ether_type) = be16_at(data, offset + 6) {
            return vlan_tags(data, ether_type, offset + 8, out);
        }
        out.problems.push(format!(
            "LLC: SNAP header at byte {offset} needs 8 bytes but fewer were captured."
        ));
    }
    out.protocol = "LLC";
    NextLayer::Stop
}

/// FDDI: frame control, destination, source (13 bytes), then LLC.
fn fddi(data: &[u8], out: &mut Decoded) -> NextLayer {
    if data.len() < 13 {
        out.problems.push(format!(
            "FDDI: header needs 13 bytes but only {} were captured.",
            data.len()
        ));
        return NextLayer::Stop;
    }
    out.link = Some(LinkHeader {
        kind: LinkKind::Fddi,
        len: 13,
        ..LinkHeader::default()
    });
    llc(data, 13, out)
}

/// NFLOG: family, version, resource id (4 bytes), then TLVs of length (including its 4-byte
/// header, padded to 4) and type, both in the capturing host's byte order (little-endian on
/// every capture seen; a length that cannot be right either way stops the walk). The packet
/// is the value of NFULA_PAYLOAD (type 9).
fn nflog(data: &[u8], out: &mut Decoded) -> NextLayer {
    let Some(family) = u8_at(data, 0).filter(|_| data.len() >= 4) else {
        out.problems.push(format!(
            "NFLOG: header needs 4 bytes but only {} were captured.",
            data.len()
        ));
        return NextLayer::Stop;
    };
    out.link = Some(LinkHeader {
        kind: LinkKind::Nflog,
        len: 4,
        address_family: Some(u32::from(family)),
        ..LinkHeader::default()
    });
    out.protocol = "NFLOG";
    let mut cursor = 4usize;
    // Each TLV is at least 4 bytes, so the walk ends with the frame.
    while let (Some(len), Some(tlv_type)) = (le16_at(data, cursor), le16_at(data, cursor + 2)) {
        let len = usize::from(len);
        if len < 4 {
            out.problems.push(format!(
                "NFLOG: TLV at byte {cursor} has length {len}, less than its 4-byte header."
            ));
            return NextLayer::Stop;
        }
        // The type's upper bits are flags (NLA_F_NESTED, NLA_F_NET_BYTEORDER).
        if tlv_type & 0x3fff == 9 {
            return match family {
                2 => NextLayer::EtherType {
                    ether_type: 0x0800,
                    offset: cursor + 4,
                },
                10 => NextLayer::EtherType {
                    ether_type: 0x86dd,
                    offset: cursor + 4,
                },
                _ => NextLayer::Ip { offset: cursor + 4 },
            };
        }
        cursor += len.div_ceil(4) * 4;
    }
    NextLayer::Stop
}

/// LINKTYPE_IPOIB: a 40-byte pseudo-header (destination and source addresses as libpcap
/// records them), then the RFC 4391 header: EtherType and 2 reserved bytes.
fn ipoib(data: &[u8], out: &mut Decoded) -> NextLayer {
    let Some(ether_type) = be16_at(data, 40) else {
        out.problems.push(format!(
            "IPoIB: header needs 44 bytes but only {} were captured.",
            data.len()
        ));
        return NextLayer::Stop;
    };
    out.link = Some(LinkHeader {
        kind: LinkKind::Ipoib,
        len: 44,
        protocol: Some(ether_type),
        ..LinkHeader::default()
    });
    out.protocol = "IPoIB";
    NextLayer::EtherType {
        ether_type,
        offset: 44,
    }
}

/// Linux ARCNET: source, destination (1 byte each), offset (2), protocol id (1); RFC 1201
/// ids then have a split flag and a sequence number (3 more bytes, 4 more again for an
/// exception packet, split flag 0xff); RFC 1051 ids have nothing more.
fn arcnet(data: &[u8], out: &mut Decoded) -> NextLayer {
    let Some(protocol_id) = u8_at(data, 4) else {
        out.problems.push(format!(
            "ARCNET: header needs 5 bytes but only {} were captured.",
            data.len()
        ));
        return NextLayer::Stop;
    };
    out.protocol = "ARCNET";
    let (ether_type, rfc1201) = match protocol_id {
        0xd4 => (0x0800, true),
        0xd5 => (0x0806, true),
        0xd6 => (0x8035, true),
        0xf0 => (0x0800, false),
        0xf1 => (0x0806, false),
        _ => return NextLayer::Stop,
    };
    let len = match (rfc1201, u8_at(data, 5)) {
        (false, _) => 5,
        (true, Some(0xff)) => 12,
        (true, _) => 8,
    };
    out.link = Some(LinkHeader {
        kind: LinkKind::Arcnet,
        len: len as u32,
        protocol: Some(u16::from(protocol_id)),
        ..LinkHeader::default()
    });
    NextLayer::EtherType {
        ether_type,
        offset: len,
    }
}

/// An Ethernet frame inside a tunnel (VXLAN, Geneve, GRE's transparent bridging, an MPLS
/// pseudowire): read like the outer one, but the frame's link header and columns stay.
pub(crate) fn inner_ethernet(data: &[u8], offset: usize, out: &mut Decoded) -> NextLayer {
    let Ok(header) = Ethernet2HeaderSlice::from_slice(data.get(offset..).unwrap_or_default())
    else {
        out.problems.push(format!(
            "Ethernet: inner header at byte {offset} needs 14 bytes but only {} were captured.",
            data.len().saturating_sub(offset)
        ));
        return NextLayer::Stop;
    };
    let ether_type = header.ether_type().0;
    if ether_type < 0x0600 {
        return llc(data, offset + 14, out);
    }
    vlan_tags(data, ether_type, offset + 14, out)
}

/// IEEE 802.11 data frame (what Aruba access points send their controller in GRE): its
/// header's length follows from the frame control; LLC/SNAP follows. Protected and null
/// data frames carry nothing to decode.
pub(crate) fn ieee80211_data(data: &[u8], offset: usize, out: &mut Decoded) -> NextLayer {
    out.protocol = "802.11";
    let (Some(control), Some(flags)) = (u8_at(data, offset), u8_at(data, offset + 1)) else {
        out.problems.push(format!(
            "802.11: frame control at byte {offset} needs 2 bytes but fewer were captured."
        ));
        return NextLayer::Stop;
    };
    let (frame_type, subtype) = ((control >> 2) & 3, control >> 4);
    if frame_type != 2 || subtype & 4 != 0 || flags & 0x40 != 0 {
        return NextLayer::Stop;
    }
    let qos = subtype & 8 != 0;
    let len = 24
        + if flags & 3 == 3 { 6 } else { 0 }
        + if qos { 2 } else { 0 }
        + if qos && flags & 0x80 != 0 { 4 } else { 0 };
    llc(data, offset + len, out)
}

/// EtherTypes that wrap another network layer: MPLS label stacks and PPPoE sessions.
/// Returns None for any other EtherType.
pub(crate) fn unwrap_ether_type(
    data: &[u8],
    ether_type: u16,
    offset: usize,
    out: &mut Decoded,
) -> Option<NextLayer> {
    match ether_type {
        0x8847 | 0x8848 => {
            // Labels of 4 bytes until the bottom-of-stack bit; the payload's first nibble says
            // IPv4 or IPv6 (what Wireshark guesses too).
            let mut cursor = offset;
            loop {
                let Some(label) = be32_at(data, cursor) else {
                    out.protocol = "MPLS";
                    out.problems.push(format!(
                        "MPLS: label at byte {cursor} needs 4 bytes but fewer were captured."
                    ));
                    return Some(NextLayer::Stop);
                };
                cursor += 4;
                if label & 0x100 != 0 {
                    break;
                }
            }
            match u8_at(data, cursor).map(|b| b >> 4) {
                Some(4 | 6) => Some(NextLayer::Ip { offset: cursor }),
                // A pseudowire's control word (first nibble 0, RFC 4385), then Ethernet: what
                // Wireshark's pwethheuristic finds too.
                Some(0) if data.len() >= cursor + 4 + 14 => {
                    Some(inner_ethernet(data, cursor + 4, out))
                }
                _ => {
                    out.protocol = "MPLS";
                    Some(NextLayer::Stop)
                }
            }
        }
        0x8864 => {
            // PPPoE session: version/type, code, session id, length (6 bytes), PPP protocol.
            let Some(protocol) = be16_at(data, offset + 6) else {
                out.protocol = "PPPoES";
                out.problems.push(format!(
                    "PPPoE: session header at byte {offset} needs 8 bytes but fewer were captured."
                ));
                return Some(NextLayer::Stop);
            };
            match protocol {
                0x0021 => Some(NextLayer::EtherType {
                    ether_type: 0x0800,
                    offset: offset + 8,
                }),
                0x0057 => Some(NextLayer::EtherType {
                    ether_type: 0x86dd,
                    offset: offset + 8,
                }),
                _ => {
                    out.protocol = "PPPoES";
                    Some(NextLayer::Stop)
                }
            }
        }
        _ => None,
    }
}

/// Walks 802.1Q (0x8100), 802.1ad (0x88a8) and old QinQ (0x9100) tags, as many as there are
/// (etherparse's own walks stop after 3), each read by `SingleVlanHeaderSlice`. Each tag is 4
/// bytes, so the walk ends with the frame.
pub(crate) fn vlan_tags(
    data: &[u8],
    mut ether_type: u16,
    mut offset: usize,
    out: &mut Decoded,
) -> NextLayer {
    while matches!(ether_type, 0x8100 | 0x88a8 | 0x9100) {
        let Ok(tag) = SingleVlanHeaderSlice::from_slice(data.get(offset..).unwrap_or_default())
        else {
            out.problems.push(format!(
                "VLAN: tag {} at byte {offset} needs 4 bytes but only {} were captured.",
                out.vlans.len() + 1,
                data.len().saturating_sub(offset)
            ));
            out.protocol = "802.1Q";
            return NextLayer::Stop;
        };
        let inner_type = tag.ether_type().0;
        out.vlans.push(VlanTag {
            offset: offset.saturating_sub(2) as u32,
            tpid: ether_type,
            priority: tag.priority_code_point().value(),
            drop_eligible: tag.drop_eligible_indicator(),
            id: tag.vlan_identifier().value(),
            inner_type,
        });
        ether_type = inner_type;
        offset += 4;
    }
    NextLayer::EtherType { ether_type, offset }
}

/// Linux cooked v1: packet type, ARPHRD, address length, 8 address bytes, protocol (16 bytes).
fn linux_sll(data: &[u8], out: &mut Decoded) -> NextLayer {
    let (Some(packet_type), Some(arphrd), Some(addr_len), Some(addr), Some(protocol)) = (
        be16_at(data, 0),
        be16_at(data, 2),
        be16_at(data, 4),
        array_at::<8>(data, 6),
        be16_at(data, 14),
    ) else {
        out.problems.push(format!(
            "Linux cooked capture v1: header needs 16 bytes but only {} were captured.",
            data.len()
        ));
        return NextLayer::Stop;
    };
    let addr_len = addr_len.min(8) as u8;
    out.link = Some(LinkHeader {
        kind: LinkKind::LinuxSll,
        len: 16,
        src: Some(addr),
        addr_len,
        protocol: Some(protocol),
        packet_type: Some(packet_type),
        arphrd: Some(arphrd),
        ..LinkHeader::default()
    });
    sll_payload(data, arphrd, protocol, 16, out)
}

/// Linux cooked v2: protocol, reserved, interface index, ARPHRD, packet type, address length,
/// 8 address bytes (20 bytes).
fn linux_sll2(data: &[u8], out: &mut Decoded) -> NextLayer {
    let (
        Some(protocol),
        Some(interface_index),
        Some(arphrd),
        Some(packet_type),
        Some(addr_len),
        Some(addr),
    ) = (
        be16_at(data, 0),
        be32_at(data, 4),
        be16_at(data, 8),
        u8_at(data, 10),
        u8_at(data, 11),
        array_at::<8>(data, 12),
    )
    else {
        out.problems.push(format!(
            "Linux cooked capture v2: header needs 20 bytes but only {} were captured.",
            data.len()
        ));
        return NextLayer::Stop;
    };
    let addr_len = addr_len.min(8);
    out.link = Some(LinkHeader {
        kind: LinkKind::LinuxSll2,
        len: 20,
        src: Some(addr),
        addr_len,
        protocol: Some(protocol),
        packet_type: Some(u16::from(packet_type)),
        arphrd: Some(arphrd),
        interface_index: Some(interface_index),
        ..LinkHeader::default()
    });
    sll_payload(data, arphrd, protocol, 20, out)
}

fn sll_payload(
    data: &[u8],
    arphrd: u16,
    protocol: u16,
    offset: usize,
    out: &mut Decoded,
) -> NextLayer {
    // ARPHRD_NETLINK (824) and IEEE 802.15.4 etc. carry no EtherType; the rest of the
    // protocol values below 0x0600 are Linux's pseudo types (802.2 LLC, 802.3, CAN, ...).
    if arphrd == 824 {
        out.protocol = "Netlink";
        return NextLayer::Stop;
    }
    if protocol < 0x0600 {
        out.protocol = match protocol {
            0x0004 => "LLC",
            0x000c | 0x000d => "CAN",
            _ => "SLL",
        };
        return NextLayer::Stop;
    }
    vlan_tags(data, protocol, offset, out)
}

/// BSD null (address family in the capturing host's byte order) and OpenBSD loop (network
/// byte order). AF_INET is 2 everywhere; AF_INET6 is 24 (NetBSD/OpenBSD), 28 (FreeBSD),
/// 30 (macOS) — and 10 (Linux) seen in some captures.
fn null_loop(link_type: u32, data: &[u8], out: &mut Decoded) -> NextLayer {
    let (Some(little), Some(big)) = (le32_at(data, 0), be32_at(data, 0)) else {
        out.problems.push(format!(
            "Null/Loopback: header needs 4 bytes but only {} were captured.",
            data.len()
        ));
        return NextLayer::Stop;
    };
    // For NULL the writer's byte order is unknown: an address family is small, so the order
    // that leaves the upper 16 bits clear is the right one (as Wireshark does).
    let family = if link_type == LINKTYPE_LOOP || little & 0xffff_0000 != 0 {
        big
    } else {
        little
    };
    out.link = Some(LinkHeader {
        kind: if link_type == LINKTYPE_LOOP {
            LinkKind::Loop
        } else {
            LinkKind::Null
        },
        len: 4,
        address_family: Some(family),
        ..LinkHeader::default()
    });
    match family {
        2 => NextLayer::EtherType {
            ether_type: 0x0800,
            offset: 4,
        },
        10 | 24 | 28 | 30 => NextLayer::EtherType {
            ether_type: 0x86dd,
            offset: 4,
        },
        // Some writers store the IP version in the family field's place; let the nibble say.
        _ if family > 0xffff => NextLayer::Ip { offset: 4 },
        _ => {
            out.protocol = "NULL";
            out.problems.push(format!(
                "Null/Loopback: address family {family} is neither IPv4 (2) nor IPv6 (10, 24, 28, 30); the rest is not decoded."
            ));
            NextLayer::Stop
        }
    }
}

/// PPP: optional HDLC address/control (ff 03), then a 1- or 2-byte protocol number.
fn ppp(data: &[u8], out: &mut Decoded) -> NextLayer {
    let mut offset = 0usize;
    if data.starts_with(&[0xff, 0x03]) {
        offset = 2;
    }
    let Some(first) = u8_at(data, offset) else {
        out.problems.push(format!(
            "PPP: header needs at least {} bytes but only {} were captured.",
            offset + 1,
            data.len()
        ));
        return NextLayer::Stop;
    };
    // Protocol field compression: an odd first byte is a 1-byte protocol.
    let (protocol, len) = if first & 1 == 1 {
        (u16::from(first), 1)
    } else {
        match be16_at(data, offset) {
            Some(p) => (p, 2),
            None => {
                out.problems.push(format!(
                    "PPP: protocol field needs 2 bytes at byte {offset} but only 1 was captured."
                ));
                return NextLayer::Stop;
            }
        }
    };
    let end = offset + len;
    out.link = Some(LinkHeader {
        kind: LinkKind::Ppp,
        len: end as u32,
        protocol: Some(protocol),
        ..LinkHeader::default()
    });
    match protocol {
        0x0021 => NextLayer::EtherType {
            ether_type: 0x0800,
            offset: end,
        },
        0x0057 => NextLayer::EtherType {
            ether_type: 0x86dd,
            offset: end,
        },
        // MPLS unicast/multicast: handed on as the matching EtherType.
        0x0281 => NextLayer::EtherType {
            ether_type: 0x8847,
            offset: end,
        },
        0x0283 => NextLayer::EtherType {
            ether_type: 0x8848,
            offset: end,
        },
        0xc021 => {
            out.protocol = "PPP LCP";
            NextLayer::Stop
        }
        0x8021 => {
            out.protocol = "PPP IPCP";
            NextLayer::Stop
        }
        _ => {
            out.protocol = "PPP";
            NextLayer::Stop
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::decode;
    use super::*;

    const IPV4_UDP: [u8; 28] = [
        0x45, 0, 0, 28, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, // IPv4
        0x04, 0xd2, 0x00, 0x35, 0, 8, 0, 0, // UDP 1234 → 53
    ];

    fn with_prefix(prefix: &[u8]) -> Vec<u8> {
        let mut frame = prefix.to_vec();
        frame.extend_from_slice(&IPV4_UDP);
        frame
    }

    #[test]
    fn ethernet_ipv4() {
        let mut eth = vec![0xff; 6];
        eth.extend_from_slice(&[0, 1, 2, 3, 4, 5, 0x08, 0x00]);
        let d = decode(LINKTYPE_ETHERNET, &with_prefix(&eth));
        assert_eq!(d.link.as_ref().map(|l| l.len), Some(14));
        assert_eq!(d.src, "10.0.0.1");
        assert_eq!(d.dst, "10.0.0.2");
        assert!(d.udp.is_some(), "{:?}", d.problems);
        assert!(d.problems.is_empty(), "{:?}", d.problems);
    }

    #[test]
    fn ethernet_qinq_and_200_tags() {
        let mut eth = vec![0xff; 6];
        eth.extend_from_slice(&[
            0, 1, 2, 3, 4, 5, 0x88, 0xa8, 0x20, 0x64, 0x81, 0x00, 0x00, 0x0a, 0x08, 0x00,
        ]);
        let d = decode(LINKTYPE_ETHERNET, &with_prefix(&eth));
        assert_eq!(d.vlans.len(), 2);
        assert_eq!(
            (d.vlans[0].tpid, d.vlans[0].id, d.vlans[0].priority),
            (0x88a8, 100, 1)
        );
        assert_eq!((d.vlans[1].tpid, d.vlans[1].id), (0x8100, 10));
        assert_eq!(d.ip.as_ref().map(|ip| ip.offset), Some(22));
        assert!(d.udp.is_some());

        let mut many = vec![0xff; 6];
        many.extend_from_slice(&[0, 1, 2, 3, 4, 5, 0x81, 0x00]);
        for _ in 0..199 {
            many.extend_from_slice(&[0x00, 0x05, 0x81, 0x00]);
        }
        many.extend_from_slice(&[0x00, 0x05, 0x08, 0x00]);
        let d = decode(LINKTYPE_ETHERNET, &with_prefix(&many));
        assert_eq!(d.vlans.len(), 200);
        assert!(d.udp.is_some(), "{:?}", d.problems);

        // Tags that run past the end.
        let d = decode(LINKTYPE_ETHERNET, &many[..many.len() - 6]);
        assert!(
            d.problems.iter().any(|p| p.starts_with("VLAN: tag 199")),
            "{:?}",
            d.problems
        );
    }

    #[test]
    fn ethernet_truncated_and_llc() {
        let d = decode(LINKTYPE_ETHERNET, &[1, 2, 3]);
        assert_eq!(
            d.problems,
            vec!["Ethernet: header needs 14 bytes but only 3 were captured.".to_string()]
        );
        assert_eq!(d.protocol, "Ethernet");
        let mut llc = vec![0x01, 0x80, 0xc2, 0, 0, 0, 0, 1, 2, 3, 4, 5, 0, 38];
        llc.extend_from_slice(&[0x42, 0x42, 0x03]);
        let d = decode(LINKTYPE_ETHERNET, &llc);
        assert_eq!(d.protocol, "LLC");
        assert_eq!(d.src, "00:01:02:03:04:05");
        assert_eq!(d.dst, "01:80:c2:00:00:00");
    }

    #[test]
    fn linux_cooked_v1_including_loopback_arphrd() {
        // ARPHRD 772 (loopback), which etherparse rejects.
        let sll = [0, 0, 0x03, 0x04, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0x08, 0x00];
        let d = decode(LINKTYPE_LINUX_SLL, &with_prefix(&sll));
        assert_eq!(d.link.as_ref().and_then(|l| l.arphrd), Some(772));
        assert!(d.udp.is_some(), "{:?}", d.problems);
        let d = decode(LINKTYPE_LINUX_SLL, &sll[..10]);
        assert_eq!(d.problems.len(), 1);
        assert!(
            d.problems[0].starts_with("Linux cooked capture v1: header needs 16 bytes but only 10")
        );
    }

    #[test]
    fn linux_cooked_v2() {
        let sll2 = [
            0x08, 0x00, 0, 0, 0, 0, 0, 2, 0, 1, 4, 6, 0, 0x0c, 0x29, 1, 2, 3, 0, 0,
        ];
        let d = decode(LINKTYPE_LINUX_SLL2, &with_prefix(&sll2));
        let link = d.link.clone().unwrap_or_default();
        assert_eq!(
            (link.kind, link.interface_index, link.packet_type),
            (LinkKind::LinuxSll2, Some(2), Some(4))
        );
        assert_eq!(d.ip.as_ref().map(|ip| ip.offset), Some(20));
        assert!(d.udp.is_some());
        let d = decode(LINKTYPE_LINUX_SLL2, &sll2[..19]);
        assert!(d.problems[0].starts_with("Linux cooked capture v2: header needs 20 bytes"));
    }

    #[test]
    fn raw_ip_variants() {
        for link_type in [
            LINKTYPE_RAW,
            LINKTYPE_RAW_LINUX_OLD,
            LINKTYPE_RAW_OPENBSD_OLD,
            LINKTYPE_IPV4,
        ] {
            let d = decode(link_type, &IPV4_UDP);
            assert!(d.udp.is_some(), "link type {link_type}");
            assert_eq!(d.protocol, "DNS");
        }
        let d = decode(LINKTYPE_RAW, &[0x55, 0]);
        assert!(d.problems[0].starts_with("IP: version 5"));
        let d = decode(LINKTYPE_RAW, &[]);
        assert!(d.problems[0].starts_with("IP: the frame ends at byte 0"));
    }

    #[test]
    fn null_both_byte_orders_and_loop() {
        let d = decode(LINKTYPE_NULL, &with_prefix(&[2, 0, 0, 0]));
        assert_eq!(d.link.as_ref().and_then(|l| l.address_family), Some(2));
        assert!(d.udp.is_some());
        let d = decode(LINKTYPE_NULL, &with_prefix(&[0, 0, 0, 2]));
        assert_eq!(d.link.as_ref().and_then(|l| l.address_family), Some(2));
        assert!(d.udp.is_some());
        let d = decode(LINKTYPE_LOOP, &with_prefix(&[0, 0, 0, 2]));
        assert!(d.udp.is_some());
        let d = decode(LINKTYPE_NULL, &with_prefix(&[7, 0, 0, 0]));
        assert!(d.problems[0].starts_with("Null/Loopback: address family 7"));
        assert_eq!(d.protocol, "NULL");
        let d = decode(LINKTYPE_LOOP, &[0, 0]);
        assert!(d.problems[0].starts_with("Null/Loopback: header needs 4 bytes"));
        // AF_INET6 values of the BSDs and macOS.
        for family in [24u8, 28, 30] {
            let mut frame = vec![family, 0, 0, 0, 0x60, 0, 0, 0, 0, 0, 59, 64];
            frame.extend_from_slice(&[0u8; 32]);
            let d = decode(LINKTYPE_NULL, &frame);
            assert_eq!(
                d.ip.as_ref().map(|ip| ip.version),
                Some(6),
                "family {family}"
            );
        }
    }

    #[test]
    fn ppp_with_and_without_hdlc_bytes() {
        let d = decode(LINKTYPE_PPP, &with_prefix(&[0xff, 0x03, 0x00, 0x21]));
        assert!(d.udp.is_some());
        let d = decode(LINKTYPE_PPP, &with_prefix(&[0x21]));
        assert!(d.udp.is_some());
        let d = decode(
            LINKTYPE_PPP,
            &with_prefix(&[0xff, 0x03, 0x02, 0x81, 0x18, 0x93, 0x0d, 0x40]),
        );
        assert!(d.udp.is_some(), "PPP → MPLS → IPv4: {:?}", d.problems);
        let d = decode(LINKTYPE_PPP, &[0xc0, 0x21, 1]);
        assert_eq!(d.protocol, "PPP LCP");
        let d = decode(LINKTYPE_PPP, &[0xff, 0x03]);
        assert!(d.problems[0].starts_with("PPP:"));
    }

    #[test]
    fn snap_mpls_pppoe_fddi() {
        let mut snap = vec![0xff; 6];
        snap.extend_from_slice(&[
            0, 1, 2, 3, 4, 5, 0, 36, 0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00,
        ]);
        let d = decode(LINKTYPE_ETHERNET, &with_prefix(&snap));
        assert!(d.udp.is_some(), "{:?}", d.problems);
        let mut mpls = vec![0xff; 6];
        mpls.extend_from_slice(&[
            0, 1, 2, 3, 4, 5, 0x88, 0x47, 0, 0x01, 0x00, 0x40, 0, 0x02, 0x01, 0x40,
        ]);
        let d = decode(LINKTYPE_ETHERNET, &with_prefix(&mpls));
        assert_eq!(d.ip.as_ref().map(|ip| ip.offset), Some(22));
        let d = decode(LINKTYPE_ETHERNET, &mpls[..18]);
        assert!(
            d.problems[0].starts_with("MPLS: label at byte 18"),
            "{:?}",
            d.problems
        );
        let mut pppoe = vec![0xff; 6];
        pppoe.extend_from_slice(&[
            0, 1, 2, 3, 4, 5, 0x88, 0x64, 0x11, 0, 0, 1, 0, 30, 0x00, 0x21,
        ]);
        let d = decode(LINKTYPE_ETHERNET, &with_prefix(&pppoe));
        assert!(d.udp.is_some(), "{:?}", d.problems);
        let mut fddi = vec![0x50, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
        fddi.extend_from_slice(&[0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00]);
        let d = decode(LINKTYPE_FDDI, &with_prefix(&fddi));
        assert!(d.udp.is_some(), "{:?}", d.problems);
    }

    #[test]
    fn nflog_payload_tlv() {
        // AF_INET, version 0, resource 42; a prefix TLV (5 bytes, padded to 8), a hardware
        // header TLV with the byte-order flag, then NFULA_PAYLOAD.
        let mut frame = vec![2, 0, 0, 42];
        frame.extend_from_slice(&[5, 0, 10, 0, b'x', 0, 0, 0]);
        frame.extend_from_slice(&[8, 0, 0x01, 0x40, 1, 2, 3, 4]);
        frame.extend_from_slice(&[(4 + IPV4_UDP.len()) as u8, 0, 9, 0]);
        frame.extend_from_slice(&IPV4_UDP);
        let d = decode(LINKTYPE_NFLOG, &frame);
        assert!(d.udp.is_some(), "{:?}", d.problems);
        assert_eq!(d.ip.as_ref().map(|ip| ip.offset), Some(24));
        assert_eq!(d.src, "10.0.0.1");
        let d = decode(LINKTYPE_NFLOG, &[2, 0, 0, 42, 2, 0, 9, 0]);
        assert!(d.problems[0].starts_with("NFLOG: TLV at byte 4 has length 2"));
        let d = decode(LINKTYPE_NFLOG, &[2, 0]);
        assert!(d.problems[0].starts_with("NFLOG: header needs 4 bytes"));
        assert_eq!(d.protocol, "NFLOG");
    }

    #[test]
    fn ipoib_and_arcnet() {
        let mut ipoib = vec![0u8; 40];
        ipoib.extend_from_slice(&[0x08, 0x00, 0, 0]);
        let d = decode(LINKTYPE_IPOIB, &with_prefix(&ipoib));
        assert_eq!(d.ip.as_ref().map(|ip| ip.offset), Some(44));
        assert!(d.udp.is_some(), "{:?}", d.problems);
        let d = decode(LINKTYPE_IPOIB, &ipoib[..30]);
        assert!(d.problems[0].starts_with("IPoIB: header needs 44 bytes"));
        // RFC 1201 IP (8-byte header), RFC 1051 IP (5 bytes), and an RFC 1201 ARP.
        let d = decode(
            LINKTYPE_ARCNET_LINUX,
            &with_prefix(&[0x50, 0xbe, 0, 0, 0xd4, 0, 1, 2]),
        );
        assert_eq!(d.ip.as_ref().map(|ip| ip.offset), Some(8));
        assert!(d.udp.is_some());
        let d = decode(
            LINKTYPE_ARCNET_LINUX,
            &with_prefix(&[0x50, 0xbe, 0, 0, 0xf0]),
        );
        assert_eq!(d.ip.as_ref().map(|ip| ip.offset), Some(5));
        let mut arp = vec![0x50, 0xbe, 0, 0, 0xd5, 0, 1, 0x65];
        arp.extend_from_slice(&[
            0, 7, 8, 0, 1, 4, 0, 2, 0x50, 10, 80, 131, 254, 0xbe, 10, 80, 131, 1,
        ]);
        let d = decode(LINKTYPE_ARCNET_LINUX, &arp);
        assert_eq!(d.protocol, "ARP");
        assert_eq!(
            d.arp
                .as_ref()
                .and_then(|a| a.target_ip)
                .map(|ip| ip.to_string())
                .as_deref(),
            Some("10.80.131.1")
        );
    }

    #[test]
    fn pppoe_length_bounds_the_ip_packet() {
        // PPPoE length 30 = PPP protocol (2) + 28 bytes of IP/UDP; the IP header claims 34
        // and 6 bytes of Ethernet padding follow: the PPPoE length wins, as in tshark.
        let mut frame = vec![0xff; 6];
        frame.extend_from_slice(&[
            0, 1, 2, 3, 4, 5, 0x88, 0x64, 0x11, 0, 0, 1, 0, 30, 0x00, 0x21,
        ]);
        let mut ip = IPV4_UDP.to_vec();
        ip[3] = 34;
        frame.extend_from_slice(&ip);
        frame.extend_from_slice(&[0u8; 6]);
        let d = decode_frame_for_test(&frame);
        assert_eq!(d.ip.as_ref().map(|ip| ip.total_len), Some(28));
        assert!(d.problems[0].starts_with("IPv4: total length 34 is more than the 28 bytes"));
    }

    fn decode_frame_for_test(frame: &[u8]) -> super::super::Decoded {
        super::super::decode_frame(LINKTYPE_ETHERNET, frame, Some(frame.len() as u32))
    }

    #[test]
    fn mpls_pseudowire_with_control_word() {
        // One label (bottom of stack), a zero control word, then a whole Ethernet frame.
        let mut frame = vec![0xff; 6];
        frame.extend_from_slice(&[
            0, 1, 2, 3, 4, 5, 0x88, 0x47, 0, 0x01, 0x01, 0x40, 0, 0, 0, 0,
        ]);
        frame.extend_from_slice(&[0xee; 12]);
        frame.extend_from_slice(&[0x81, 0x00, 0x00, 0x0a, 0x08, 0x00]);
        let d = decode(LINKTYPE_ETHERNET, &with_prefix(&frame));
        assert!(d.udp.is_some(), "{:?}", d.problems);
        assert_eq!((d.src.as_str(), d.vlans.len()), ("10.0.0.1", 1));
        assert_eq!(d.link.as_ref().and_then(|l| l.dst), Some([0xff; 6]));
    }

    #[test]
    fn unknown_link_type_is_still_a_frame() {
        let d = decode(147, &[1, 2, 3]);
        assert!(d.problems.is_empty());
        assert_eq!(d.protocol, "Unknown");
        assert!(d.src.is_empty() && d.dst.is_empty());
        assert_eq!(link_type_name(147), "User DLT");
        assert_eq!(link_type_name(276), "Linux cooked capture v2");
    }
}
