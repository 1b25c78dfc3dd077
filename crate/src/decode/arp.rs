//! ARP (and RARP) over any hardware, with Ethernet/IPv4 addresses read where present.

use super::bytes::{array_at, be16_at, u8_at};
use super::{ArpPacket, Decoded};
use std::net::Ipv4Addr;

pub(crate) fn decode_arp(data: &[u8], offset: usize, ether_type: u16, out: &mut Decoded) {
    out.protocol = if ether_type == 0x8035 { "RARP" } else { "ARP" }.into();
    let (
        Some(hardware_type),
        Some(protocol_type),
        Some(hardware_len),
        Some(protocol_len),
        Some(operation),
    ) = (
        be16_at(data, offset),
        be16_at(data, offset + 2),
        u8_at(data, offset + 4),
        u8_at(data, offset + 5),
        be16_at(data, offset + 6),
    )
    else {
        out.problems.push(format!(
            "ARP: header needs 8 bytes but only {} were captured.",
            data.len().saturating_sub(offset)
        ));
        return;
    };
    let (hlen, plen) = (usize::from(hardware_len), usize::from(protocol_len));
    let needed = 8 + 2 * (hlen + plen);
    let captured = data.len().saturating_sub(offset);
    if captured < needed {
        out.problems.push(format!(
            "ARP: addresses need {needed} bytes but only {captured} were captured."
        ));
    }
    let sender_hw = offset + 8;
    let sender_proto = sender_hw + hlen;
    let target_hw = sender_proto + plen;
    let target_proto = target_hw + hlen;
    let mac_at = |at: usize| {
        if hlen == 6 {
            array_at::<6>(data, at)
        } else {
            None
        }
    };
    let ipv4_at = |at: usize| {
        if plen == 4 && protocol_type == 0x0800 {
            array_at::<4>(data, at).map(Ipv4Addr::from)
        } else {
            None
        }
    };
    out.arp = Some(ArpPacket {
        offset: offset as u32,
        hardware_type,
        protocol_type,
        hardware_len,
        protocol_len,
        operation,
        sender_mac: mac_at(sender_hw),
        sender_ip: ipv4_at(sender_proto),
        target_mac: mac_at(target_hw),
        target_ip: ipv4_at(target_proto),
    });
}

#[cfg(test)]
mod tests {
    use super::super::{decode, info_text};

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
            (d.protocol.as_str(), d.src.as_str(), d.dst.as_str()),
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
