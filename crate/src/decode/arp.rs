//! ARP (and RARP) over any hardware, read by etherparse's `ArpPacketSlice`, with
//! Ethernet/IPv4 addresses kept where present.

use super::bytes::{be16_at, u8_at};
use super::{ArpPacket, Decoded};
use etherparse::{ArpPacketSlice, LenSource};
use std::net::Ipv4Addr;

pub(crate) fn decode_arp(data: &[u8], offset: usize, ether_type: u16, out: &mut Decoded) {
    out.protocol = if ether_type == 0x8035 { "RARP" } else { "ARP" };
    let rest = data.get(offset..).unwrap_or_default();
    let packet = match ArpPacketSlice::from_slice(rest) {
        Ok(arp) => arp_packet(
            offset,
            [
                arp.hw_addr_type().0,
                arp.proto_addr_type().0,
                arp.operation().0,
            ],
            (arp.hw_addr_size(), arp.proto_addr_size()),
            arp.sender_hw_addr(),
            arp.sender_protocol_addr(),
            arp.target_hw_addr(),
            arp.target_protocol_addr(),
        ),
        // etherparse wants every address whole; a packet cut by the snaplen still shows what
        // it holds (Wireshark prints "Who has ??"), so its fields are read by hand here.
        Err(error) if error.len_source == LenSource::ArpAddrLengths => {
            out.problems.push(format!(
                "ARP: addresses need {} bytes but only {} were captured.",
                error.required_len,
                rest.len()
            ));
            let (hlen, plen) = (
                usize::from(u8_at(rest, 4).unwrap_or(0)),
                usize::from(u8_at(rest, 5).unwrap_or(0)),
            );
            let field =
                |at: usize, len: usize| rest.get(at..at.saturating_add(len)).unwrap_or_default();
            arp_packet(
                offset,
                [
                    be16_at(rest, 0).unwrap_or(0),
                    be16_at(rest, 2).unwrap_or(0),
                    be16_at(rest, 6).unwrap_or(0),
                ],
                (hlen as u8, plen as u8),
                field(8, hlen),
                field(8 + hlen, plen),
                field(8 + hlen + plen, hlen),
                field(8 + 2 * hlen + plen, plen),
            )
        }
        Err(_) => {
            out.problems.push(format!(
                "ARP: header needs 8 bytes but only {} were captured.",
                rest.len()
            ));
            return;
        }
    };
    out.arp = Some(packet);
}

/// `types` is hardware type, protocol type, operation; the lengths are hardware and protocol
/// address lengths as sent; the address slices are empty (or
/// short) where they were not captured.
fn arp_packet(
    offset: usize,
    types: [u16; 3],
    (hardware_len, protocol_len): (u8, u8),
    sender_hw: &[u8],
    sender_proto: &[u8],
    target_hw: &[u8],
    target_proto: &[u8],
) -> ArpPacket {
    let [hardware_type, protocol_type, operation] = types;
    let mac = |bytes: &[u8]| <[u8; 6]>::try_from(bytes).ok();
    let ipv4 = |bytes: &[u8]| {
        if protocol_type == 0x0800 {
            <[u8; 4]>::try_from(bytes).ok().map(Ipv4Addr::from)
        } else {
            None
        }
    };
    ArpPacket {
        offset: offset as u32,
        hardware_type,
        protocol_type,
        hardware_len,
        protocol_len,
        operation,
        sender_mac: mac(sender_hw),
        sender_ip: ipv4(sender_proto),
        target_mac: mac(target_hw),
        target_ip: ipv4(target_proto),
    }
}

#[cfg(test)]
mod tests {
    use super::super::decode;
    use crate::row::info_text;

    fn arp_frame(
        operation: u8,
        sender_ip: [u8; 4],
        target_mac: [u8; 6],
        target_ip: [u8; 4],
    ) -> Vec<u8> {
        let mut frame = vec![
            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x16, 0x51, 0x53, 0x04, 0x3f, 0x55, 0x08, 0x06,
        ];
        frame.extend_from_slice(&[0, 1, 8, 0, 6, 4, 0, operation]);
        frame.extend_from_slice(&[0x16, 0x51, 0x53, 0x04, 0x3f, 0x55]);
        frame.extend_from_slice(&sender_ip);
        frame.extend_from_slice(&target_mac);
        frame.extend_from_slice(&target_ip);
        frame
    }

    #[test]
    fn request_reply_and_gratuitous() {
        let d = decode(1, &arp_frame(1, [10, 2, 1, 1], [0; 6], [10, 2, 1, 2]));
        assert_eq!(
            (d.protocol, d.src.as_str(), d.dst.as_str()),
            ("ARP", "16:51:53:04:3f:55", "ff:ff:ff:ff:ff:ff")
        );
        assert_eq!(info_text(&d, None), "Who has 10.2.1.2? Tell 10.2.1.1");
        let d = decode(
            1,
            &arp_frame(2, [10, 2, 1, 1], [1, 2, 3, 4, 5, 6], [10, 2, 1, 2]),
        );
        assert_eq!(info_text(&d, None), "10.2.1.1 is at 16:51:53:04:3f:55");
        let d = decode(1, &arp_frame(1, [0, 0, 0, 0], [0; 6], [10, 2, 1, 2]));
        assert_eq!(info_text(&d, None), "Who has 10.2.1.2? (ARP Probe)");
        let d = decode(1, &arp_frame(1, [10, 2, 1, 2], [0; 6], [10, 2, 1, 2]));
        assert_eq!(info_text(&d, None), "ARP Announcement for 10.2.1.2");
        let d = decode(1, &arp_frame(2, [10, 2, 1, 2], [0xff; 6], [10, 2, 1, 2]));
        assert_eq!(info_text(&d, None), "Gratuitous ARP for 10.2.1.2 (Reply)");
    }

    #[test]
    fn truncated() {
        let frame = arp_frame(1, [10, 2, 1, 1], [0; 6], [10, 2, 1, 2]);
        let d = decode(1, &frame[..20]);
        assert_eq!(
            d.problems,
            vec!["ARP: header needs 8 bytes but only 6 were captured.".to_string()]
        );
        let d = decode(1, &frame[..35]);
        assert_eq!(
            d.problems,
            vec!["ARP: addresses need 28 bytes but only 21 were captured.".to_string()]
        );
        assert!(d
            .arp
            .as_ref()
            .is_some_and(|a| a.sender_ip.is_some() && a.target_ip.is_none()));
        assert_eq!(info_text(&d, None), "Who has ?? Tell 10.2.1.1");
    }
}
