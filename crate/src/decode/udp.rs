//! UDP header, read by etherparse's `UdpHeaderSlice`; the length checks are ours.

use super::UdpDatagram;
use etherparse::UdpHeaderSlice;

pub(crate) fn decode_udp(
    data: &[u8],
    offset: usize,
    ip_payload_len: u32,
    problems: &mut Vec<String>,
) -> Option<UdpDatagram> {
    let Ok(header) = UdpHeaderSlice::from_slice(data.get(offset..).unwrap_or_default()) else {
        problems.push(format!(
            "UDP: header needs 8 bytes but only {} were captured.",
            data.len().saturating_sub(offset)
        ));
        return None;
    };
    let (src_port, dst_port, length, checksum) = (
        header.source_port(),
        header.destination_port(),
        header.length(),
        header.checksum(),
    );
    // The length is checked here rather than by `UdpSlice`: a jumbogram's UDP length of 0
    // (RFC 2675) is fine, and a bad one is reported, not a reason to drop the header.
    if length < 8 && !(length == 0 && ip_payload_len > 0xffff) {
        problems.push(format!(
            "UDP: length field says {length} bytes, less than the 8-byte header."
        ));
    } else if u32::from(length) > ip_payload_len {
        problems.push(format!(
            "UDP: length field says {length} bytes, more than the {ip_payload_len} bytes the IP header gives it."
        ));
    }
    Some(UdpDatagram {
        src_port,
        dst_port,
        length,
        offset: offset as u32,
        checksum,
    })
}

/// Protocol column for well-known UDP ports (the lower port first, as Wireshark tries it).
/// Only the name: their Info stays the UDP one.
pub(crate) fn port_protocol(src_port: u16, dst_port: u16) -> Option<&'static str> {
    let name = |port: u16| -> Option<&'static str> {
        Some(match port {
            53 => "DNS",
            67 | 68 => "DHCP",
            69 => "TFTP",
            123 => "NTP",
            137 => "NBNS",
            138 => "BROWSER",
            161 | 162 => "SNMP",
            514 => "Syslog",
            1900 => "SSDP",
            5353 => "MDNS",
            5355 => "LLMNR",
            _ => return None,
        })
    };
    let (low, high) = if src_port <= dst_port {
        (src_port, dst_port)
    } else {
        (dst_port, src_port)
    };
    name(low).or_else(|| name(high))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_known_ports() {
        assert_eq!(port_protocol(5353, 5353), Some("MDNS"));
        assert_eq!(port_protocol(40000, 53), Some("DNS"));
        assert_eq!(port_protocol(40000, 40001), None);
    }

    #[test]
    fn header_and_bad_lengths() {
        let data = [0x04, 0xd2, 0x00, 0x35, 0, 12, 0xab, 0xcd, 1, 2, 3, 4];
        let mut problems = Vec::new();
        let udp = decode_udp(&data, 0, 12, &mut problems).expect("udp");
        assert_eq!(
            (udp.src_port, udp.dst_port, udp.length, udp.checksum),
            (1234, 53, 12, 0xabcd)
        );
        assert!(problems.is_empty());
        assert!(decode_udp(&data[..7], 0, 12, &mut problems).is_none());
        assert_eq!(
            problems[0],
            "UDP: header needs 8 bytes but only 7 were captured."
        );
        let mut problems = Vec::new();
        decode_udp(&[0, 1, 0, 2, 0, 4, 0, 0], 0, 8, &mut problems);
        assert!(problems[0].contains("less than the 8-byte header"));
        let mut problems = Vec::new();
        decode_udp(&data, 0, 10, &mut problems);
        assert!(problems[0].contains("more than the 10 bytes"));
    }
}
