//! Tunnels whose payload is decoded again: GRE (including Aruba's 802.11 in GRE), VXLAN
//! (UDP 4789), Geneve (UDP 6081) and Teredo (UDP 3544, IPv6 in UDP). etherparse 0.21 reads
//! none of these headers.
//!
//! Each function reads only its own header and says what follows; the walk in `mod.rs` then
//! decodes the inner packet, keeping the outer IP header in `Decoded::ip` and the inner one in
//! `Decoded::inner_ip`.

use super::bytes::{be16_at, u8_at};
use super::link::{ieee80211_data, inner_ethernet};
use super::{Decoded, NextLayer};

const VXLAN_PORT: u16 = 4789;
const GENEVE_PORT: u16 = 6081;
const TEREDO_PORT: u16 = 3544;
/// Transparent Ethernet bridging: the tunnel carries whole Ethernet frames.
const ETHER_TYPE_TEB: u16 = 0x6558;

/// The tunnel a UDP datagram between `(src_port, dst_port)` carries, by the IANA port as
/// Wireshark decides it. `offset` is the UDP payload's; `len` its length per the UDP/IP lengths.
pub(crate) fn udp_tunnel(
    data: &[u8],
    (src_port, dst_port): (u16, u16),
    offset: usize,
    len: u32,
) -> Option<(&'static str, NextLayer)> {
    if src_port == TEREDO_PORT || dst_port == TEREDO_PORT {
        return teredo(data, offset, len);
    }
    match dst_port {
        // VXLAN: flags, 3 reserved bytes, VNI, 1 reserved byte; then an Ethernet frame.
        VXLAN_PORT if len >= 8 + 14 => Some(("VXLAN", NextLayer::Ethernet { offset: offset + 8 })),
        // Geneve: version and options length (4-byte units), flags, protocol type, VNI,
        // reserved; then the options, then the payload the protocol type names.
        GENEVE_PORT if len >= 8 => {
            let options_len = usize::from(u8_at(data, offset)? & 0x3f) * 4;
            let protocol = be16_at(data, offset + 2)?;
            let payload = offset + 8 + options_len;
            Some(("Geneve", after_protocol_type(protocol, payload)))
        }
        _ => None,
    }
}

/// Teredo (RFC 4380): an IPv6 packet in UDP, optionally behind an authentication indicator
/// (type 0x0001) and an origin indication (type 0x0000). Wireshark decodes it only when an
/// IPv6 header follows; so do we.
fn teredo(data: &[u8], mut offset: usize, len: u32) -> Option<(&'static str, NextLayer)> {
    let end = offset + len as usize;
    if be16_at(data, offset)? == 0x0001 {
        // Authentication: type, client id length, auth value length, ids, 8-byte nonce, 1-byte confirmation.
        let id_len = usize::from(u8_at(data, offset + 2)?);
        let auth_len = usize::from(u8_at(data, offset + 3)?);
        offset += 4 + id_len + auth_len + 8 + 1;
    }
    if be16_at(data, offset)? == 0x0000 {
        // Origin indication: type, obfuscated port, obfuscated IPv4 address.
        offset += 8;
    }
    if offset + 40 <= end && u8_at(data, offset)? >> 4 == 6 {
        Some(("Teredo", NextLayer::Ip { offset }))
    } else {
        None
    }
}

fn after_protocol_type(protocol: u16, offset: usize) -> NextLayer {
    if protocol == ETHER_TYPE_TEB {
        NextLayer::Ethernet { offset }
    } else {
        NextLayer::EtherType {
            ether_type: protocol,
            offset,
        }
    }
}

/// GRE (RFC 2784/2890): flags and version, protocol type, then checksum, key and sequence
/// number where their flags say. Routing (RFC 1701) and PPTP's enhanced GRE (version 1) are
/// not followed: the frame stays named GRE.
pub(crate) fn gre(data: &[u8], offset: usize, out: &mut Decoded) -> Option<NextLayer> {
    let (Some(flags), Some(protocol)) = (be16_at(data, offset), be16_at(data, offset + 2)) else {
        out.problems.push(format!(
            "GRE: header at byte {offset} needs 4 bytes but only {} were captured.",
            data.len().saturating_sub(offset)
        ));
        return None;
    };
    let (checksum, routing, key, sequence, version) = (
        flags & 0x8000 != 0,
        flags & 0x4000 != 0,
        flags & 0x2000 != 0,
        flags & 0x1000 != 0,
        flags & 0x0007,
    );
    if routing || version != 0 {
        return None;
    }
    let len = 4 + 4 * (usize::from(checksum) + usize::from(key) + usize::from(sequence));
    let payload = offset + len;
    Some(match protocol {
        // Aruba access points tunnel 802.11 frames to their controller with these types.
        0x8200..=0x82ff => NextLayer::Wlan { offset: payload },
        _ => after_protocol_type(protocol, payload),
    })
}

/// The link-like layers a tunnel can lead to, decoded by `link.rs`.
pub(crate) fn inner_link(next: NextLayer, data: &[u8], out: &mut Decoded) -> NextLayer {
    match next {
        NextLayer::Ethernet { offset } => inner_ethernet(data, offset, out),
        NextLayer::Wlan { offset } => ieee80211_data(data, offset, out),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::super::decode;

    const MACS: [u8; 12] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

    /// IPv4 header (no options) from 10.0.0.1 to 10.0.0.2 around `payload`.
    fn ipv4(protocol: u8, src: u8, payload: &[u8]) -> Vec<u8> {
        let total = (20 + payload.len()) as u16;
        let mut ip = vec![0x45, 0];
        ip.extend_from_slice(&total.to_be_bytes());
        ip.extend_from_slice(&[0, 1, 0, 0, 64, protocol, 0, 0, 10, 0, 0, src, 10, 0, 0, 2]);
        ip.extend_from_slice(payload);
        ip
    }

    fn udp(dst_port: u16, payload: &[u8]) -> Vec<u8> {
        let mut udp = vec![0xc0, 0x00];
        udp.extend_from_slice(&dst_port.to_be_bytes());
        udp.extend_from_slice(&((8 + payload.len()) as u16).to_be_bytes());
        udp.extend_from_slice(&[0, 0]);
        udp.extend_from_slice(payload);
        udp
    }

    /// Inner IPv4 from 192.168.1.1 with a bare SYN from 1234 to 80.
    fn inner_tcp() -> Vec<u8> {
        let tcp = [
            0x04, 0xd2, 0, 80, 0, 0, 0, 7, 0, 0, 0, 0, 0x50, 0x02, 0x20, 0, 0, 0, 0, 0,
        ];
        let mut ip = ipv4(6, 1, &tcp);
        ip[12..16].copy_from_slice(&[192, 168, 1, 1]);
        ip
    }

    fn ethernet(ether_type: u16, payload: &[u8]) -> Vec<u8> {
        let mut frame = MACS.to_vec();
        frame.extend_from_slice(&ether_type.to_be_bytes());
        frame.extend_from_slice(payload);
        frame
    }

    fn assert_inner_syn(frame: &[u8], tunnel: &str) {
        let d = decode(1, frame);
        assert!(d.problems.is_empty(), "{tunnel}: {:?}", d.problems);
        assert_eq!(d.tunnels, vec![tunnel]);
        // The outer header stays in `ip` (tshark's first occurrence); the tracker keys by
        // the inner one; the columns show the inner addresses as Wireshark's do.
        assert_eq!(
            d.ip.as_ref().map(|ip| ip.src.to_string()).as_deref(),
            Some("10.0.0.1")
        );
        assert_eq!(
            d.transport_ip().map(|ip| ip.src.to_string()).as_deref(),
            Some("192.168.1.1")
        );
        assert_eq!((d.src.as_str(), d.protocol), ("192.168.1.1", "TCP"));
        let tcp = d.tcp.clone().unwrap_or_default();
        assert_eq!(
            (tcp.src_port, tcp.dst_port, tcp.seq, tcp.payload_len),
            (1234, 80, 7, 0)
        );
        assert!(
            d.udp.is_none(),
            "{tunnel}: the outer UDP gives way to the inner TCP"
        );
    }

    #[test]
    fn teredo_with_and_without_origin_indication() {
        // An IPv6 header with no next header (59) and no payload, from a Teredo client.
        let mut ipv6 = vec![0x60, 0, 0, 0, 0, 0, 59, 64];
        ipv6.extend([
            0x20, 0x01, 0, 0, 0x41, 0x37, 0x9e, 0x50, 0, 0, 0, 0, 0, 0, 0, 1,
        ]);
        ipv6.extend([
            0x20, 0x01, 0x48, 0x60, 0, 0, 0x20, 0x01, 0, 0, 0, 0, 0, 0, 0, 0x68,
        ]);
        for prefix in [vec![], vec![0, 0, 0x12, 0x34, 1, 2, 3, 4]] {
            let payload = [prefix, ipv6.clone()].concat();
            let frame = ethernet(0x0800, &ipv4(17, 1, &udp(3544, &payload)));
            let d = super::super::decode(1, &frame);
            assert_eq!(d.tunnels, vec!["Teredo"], "{:?}", d.problems);
            assert_eq!(d.src, "2001:0:4137:9e50::1");
            assert_eq!(d.dst, "2001:4860:0:2001::68");
        }
        // Not IPv6 behind the port: an ordinary UDP datagram.
        let frame = ethernet(0x0800, &ipv4(17, 1, &udp(3544, &[0xff; 48])));
        assert!(super::super::decode(1, &frame).tunnels.is_empty());
    }

    #[test]
    fn vxlan() {
        let mut payload = vec![0x08, 0, 0, 0, 0, 0, 42, 0];
        payload.extend_from_slice(&ethernet(0x0800, &inner_tcp()));
        let frame = ethernet(0x0800, &ipv4(17, 1, &udp(4789, &payload)));
        assert_inner_syn(&frame, "VXLAN");
    }

    #[test]
    fn geneve_with_options() {
        // Options length 2 (8 bytes), protocol type 0x6558 (Ethernet).
        let mut payload = vec![0x02, 0, 0x65, 0x58, 0, 0, 10, 0];
        payload.extend_from_slice(&[0x01, 0x02, 0x80, 0x01, 0, 0, 0, 0]);
        payload.extend_from_slice(&ethernet(0x0800, &inner_tcp()));
        let frame = ethernet(0x0800, &ipv4(17, 1, &udp(6081, &payload)));
        assert_inner_syn(&frame, "Geneve");
        // Geneve carrying IPv4 directly.
        let mut payload = vec![0, 0, 0x08, 0x00, 0, 0, 10, 0];
        payload.extend_from_slice(&inner_tcp());
        let frame = ethernet(0x0800, &ipv4(17, 1, &udp(6081, &payload)));
        assert_inner_syn(&frame, "Geneve");
    }

    #[test]
    fn gre_plain_keyed_and_aruba() {
        let mut plain = vec![0, 0, 0x08, 0x00];
        plain.extend_from_slice(&inner_tcp());
        assert_inner_syn(&ethernet(0x0800, &ipv4(47, 1, &plain)), "GRE");
        // Key and sequence number present; transparent Ethernet bridging.
        let mut keyed = vec![0x30, 0, 0x65, 0x58, 0, 0, 0, 9, 0, 0, 0, 1];
        keyed.extend_from_slice(&ethernet(0x0800, &inner_tcp()));
        assert_inner_syn(&ethernet(0x0800, &ipv4(47, 1, &keyed)), "GRE");
        // Aruba: protocol 0x8200, an 802.11 QoS data frame to the DS (26 bytes), LLC/SNAP.
        let mut aruba = vec![0, 0, 0x82, 0x00, 0x88, 0x01];
        aruba.extend_from_slice(&[0u8; 24]);
        aruba.extend_from_slice(&[0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00]);
        aruba.extend_from_slice(&inner_tcp());
        assert_inner_syn(&ethernet(0x0800, &ipv4(47, 1, &aruba)), "GRE");
        // Cut GRE, and PPTP's version 1: named GRE, nothing inside.
        let d = decode(1, &ethernet(0x0800, &ipv4(47, 1, &[0, 0])));
        assert!(d.problems[0].starts_with("GRE: header at byte 34 needs 4 bytes"));
        let d = decode(
            1,
            &ethernet(0x0800, &ipv4(47, 1, &[0x30, 0x81, 0x88, 0x0b])),
        );
        assert_eq!((d.protocol, d.tcp.is_none()), ("GRE", true));
    }

    #[test]
    fn nesting_is_bounded() {
        // IP in IP, 10 deep: decoded up to the limit, without recursion past it.
        let mut packet = inner_tcp();
        for _ in 0..10 {
            packet = ipv4(4, 1, &packet);
        }
        let d = decode(101, &packet);
        assert_eq!(d.tunnels.len(), 4);
        assert!(d.tcp.is_none());
    }
}
