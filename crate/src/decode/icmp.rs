//! ICMP and ICMPv6, summarised: type, code, echo identifiers, NDP targets and link addresses.

use super::bytes::{array_at, be16_at, u8_at};
use super::IcmpMessage;
use std::net::{IpAddr, Ipv6Addr};

fn fixed_part(
    data: &[u8],
    offset: usize,
    layer: &str,
    problems: &mut Vec<String>,
) -> Option<(u8, u8, u16)> {
    let (Some(icmp_type), Some(code), Some(checksum)) = (
        u8_at(data, offset),
        u8_at(data, offset + 1),
        be16_at(data, offset + 2),
    ) else {
        problems.push(format!(
            "{layer}: header needs 4 bytes but only {} were captured.",
            data.len().saturating_sub(offset)
        ));
        return None;
    };
    Some((icmp_type, code, checksum))
}

fn echo_at(data: &[u8], offset: usize) -> Option<(u16, u16)> {
    Some((be16_at(data, offset + 4)?, be16_at(data, offset + 6)?))
}

pub(crate) fn decode_icmpv4(
    data: &[u8],
    offset: usize,
    ttl: u8,
    problems: &mut Vec<String>,
) -> Option<IcmpMessage> {
    let (icmp_type, code, checksum) = fixed_part(data, offset, "ICMP", problems)?;
    let echo = if matches!(icmp_type, 0 | 8) {
        echo_at(data, offset)
    } else {
        None
    };
    Some(IcmpMessage {
        version: 4,
        offset: offset as u32,
        icmp_type,
        code,
        checksum,
        echo,
        ttl,
        ..IcmpMessage::default()
    })
}

pub(crate) fn decode_icmpv6(
    data: &[u8],
    offset: usize,
    len: u32,
    hop_limit: u8,
    problems: &mut Vec<String>,
) -> Option<IcmpMessage> {
    let (icmp_type, code, checksum) = fixed_part(data, offset, "ICMPv6", problems)?;
    let mut message = IcmpMessage {
        version: 6,
        offset: offset as u32,
        icmp_type,
        code,
        checksum,
        ttl: hop_limit,
        ..IcmpMessage::default()
    };
    let end = data.len().min(offset.saturating_add(len as usize));
    let target_at = |at: usize| array_at::<16>(data, at).map(|a| IpAddr::V6(Ipv6Addr::from(a)));
    // NDP: where the options start, and which link-layer option names the address shown.
    let options = match icmp_type {
        128 | 129 => {
            message.echo = echo_at(data, offset);
            None
        }
        133 => Some((offset + 8, 1)),
        134 => Some((offset + 16, 1)),
        135 => {
            message.target = target_at(offset + 8);
            Some((offset + 24, 1))
        }
        136 => {
            message.na_flags = u8_at(data, offset + 4).unwrap_or(0) & 0xe0;
            message.target = target_at(offset + 8);
            Some((offset + 24, 2))
        }
        137 => {
            message.target = target_at(offset + 8);
            Some((offset + 40, 2))
        }
        _ => None,
    };
    if let Some((mut cursor, wanted)) = options {
        while let (Some(option_type), Some(units)) = (u8_at(data, cursor), u8_at(data, cursor + 1))
        {
            if units == 0 || cursor >= end {
                break; // a zero length would loop forever; RFC 4861 says discard
            }
            if option_type == wanted && units == 1 {
                message.link_addr = array_at::<6>(data, cursor + 2);
                break;
            }
            cursor += usize::from(units) * 8;
        }
    }
    Some(message)
}

/// Wireshark's names of ICMP types and codes.
pub(crate) fn icmpv4_type_name(icmp_type: u8) -> Option<&'static str> {
    Some(match icmp_type {
        0 => "Echo (ping) reply",
        3 => "Destination unreachable",
        4 => "Source quench (flow control)",
        5 => "Redirect",
        8 => "Echo (ping) request",
        9 => "Router advertisement",
        10 => "Router solicitation",
        11 => "Time-to-live exceeded",
        12 => "Parameter problem",
        13 => "Timestamp request",
        14 => "Timestamp reply",
        15 => "Information request",
        16 => "Information reply",
        17 => "Address mask request",
        18 => "Address mask reply",
        _ => return None,
    })
}

pub(crate) fn icmpv4_code_name(icmp_type: u8, code: u8) -> Option<&'static str> {
    Some(match (icmp_type, code) {
        (3, 0) => "Network unreachable",
        (3, 1) => "Host unreachable",
        (3, 2) => "Protocol unreachable",
        (3, 3) => "Port unreachable",
        (3, 4) => "Fragmentation needed",
        (3, 5) => "Source route failed",
        (3, 6) => "Destination network unknown",
        (3, 7) => "Destination host unknown",
        (3, 8) => "Source host isolated",
        (3, 9) => "Network administratively prohibited",
        (3, 10) => "Host administratively prohibited",
        (3, 11) => "Network unreachable for TOS",
        (3, 12) => "Host unreachable for TOS",
        (3, 13) => "Communication administratively filtered",
        (3, 14) => "Host precedence violation",
        (3, 15) => "Precedence cutoff in effect",
        (5, 0) => "Redirect for network",
        (5, 1) => "Redirect for host",
        (5, 2) => "Redirect for TOS and network",
        (5, 3) => "Redirect for TOS and host",
        (11, 0) => "Time to live exceeded in transit",
        (11, 1) => "Fragment reassembly time exceeded",
        (12, 0) => "Pointer indicates the error",
        (12, 1) => "Required option missing",
        (12, 2) => "Bad length",
        _ => return None,
    })
}

pub(crate) fn icmpv6_type_name(icmp_type: u8) -> Option<&'static str> {
    Some(match icmp_type {
        1 => "Destination Unreachable",
        2 => "Packet Too Big",
        3 => "Time Exceeded",
        4 => "Parameter Problem",
        128 => "Echo (ping) request",
        129 => "Echo (ping) reply",
        130 => "Multicast Listener Query",
        131 => "Multicast Listener Report",
        132 => "Multicast Listener Done",
        133 => "Router Solicitation",
        134 => "Router Advertisement",
        135 => "Neighbor Solicitation",
        136 => "Neighbor Advertisement",
        137 => "Redirect",
        143 => "Multicast Listener Report Message v2",
        _ => return None,
    })
}

pub(crate) fn icmpv6_code_name(icmp_type: u8, code: u8) -> Option<&'static str> {
    Some(match (icmp_type, code) {
        (1, 0) => "no route to destination",
        (1, 1) => "communication with destination administratively prohibited",
        (1, 2) => "beyond scope of source address",
        (1, 3) => "address unreachable",
        (1, 4) => "port unreachable",
        (1, 5) => "source address failed ingress/egress policy",
        (1, 6) => "reject route to destination",
        (3, 0) => "hop limit exceeded in transit",
        (3, 1) => "fragment reassembly time exceeded",
        (4, 0) => "erroneous header field encountered",
        (4, 1) => "unrecognized Next Header type encountered",
        (4, 2) => "unrecognized IPv6 option encountered",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::decode;
    use crate::row::info_text;

    fn ipv4_icmp(icmp: &[u8], ttl: u8) -> Vec<u8> {
        let total = (20 + icmp.len()) as u16;
        let mut frame = vec![0x45, 0];
        frame.extend_from_slice(&total.to_be_bytes());
        frame.extend_from_slice(&[0, 0, 0, 0, ttl, 1, 0, 0, 10, 154, 0, 3, 8, 8, 8, 8]);
        frame.extend_from_slice(icmp);
        frame
    }

    #[test]
    fn echo_request_and_reply_as_wireshark_words_them() {
        let d = decode(101, &ipv4_icmp(&[8, 0, 0, 0, 0x0f, 0xd7, 0, 1, 0xaa], 64));
        assert_eq!(d.protocol, "ICMP");
        assert_eq!(
            info_text(&d, None),
            "Echo (ping) request  id=0x0fd7, seq=1/256, ttl=64"
        );
        let d = decode(101, &ipv4_icmp(&[0, 0, 0, 0, 0x0f, 0x66, 0x12, 0xa0], 253));
        assert_eq!(
            info_text(&d, None),
            "Echo (ping) reply    id=0x0f66, seq=4768/40978, ttl=253"
        );
        let d = decode(101, &ipv4_icmp(&[3, 4, 0, 0, 0, 0, 5, 0xdc], 64));
        assert_eq!(
            info_text(&d, None),
            "Destination unreachable (Fragmentation needed)"
        );
        let d = decode(101, &ipv4_icmp(&[3, 0], 64));
        assert_eq!(
            d.problems,
            vec!["ICMP: header needs 4 bytes but only 2 were captured.".to_string()]
        );
    }

    fn ipv6_icmp(icmp: &[u8]) -> Vec<u8> {
        let mut frame = vec![0x60, 0, 0, 0];
        frame.extend_from_slice(&(icmp.len() as u16).to_be_bytes());
        frame.extend_from_slice(&[58, 255]);
        frame.extend_from_slice(&[0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
        frame.extend_from_slice(&[0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, 0, 0, 1]);
        frame.extend_from_slice(icmp);
        frame
    }

    #[test]
    fn neighbor_discovery_and_echo() {
        let target = [0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
        let mut ns = vec![135, 0, 0, 0, 0, 0, 0, 0];
        ns.extend_from_slice(&target);
        ns.extend_from_slice(&[1, 1, 0x00, 0x10, 0x18, 0x95, 0x31, 0x6a]);
        let d = decode(101, &ipv6_icmp(&ns));
        assert_eq!(d.protocol, "ICMPv6");
        assert_eq!(
            info_text(&d, None),
            "Neighbor Solicitation for 2001:db8:1::1 from 00:10:18:95:31:6a"
        );
        let mut na = vec![136, 0, 0, 0, 0xe0, 0, 0, 0];
        na.extend_from_slice(&target);
        na.extend_from_slice(&[2, 1, 0xaa, 0x00, 0x04, 0x00, 0x0a, 0x04]);
        let d = decode(101, &ipv6_icmp(&na));
        assert_eq!(
            info_text(&d, None),
            "Neighbor Advertisement 2001:db8:1::1 (rtr, sol, ovr) is at aa:00:04:00:0a:04"
        );
        let d = decode(101, &ipv6_icmp(&[133, 0, 0, 0, 0, 0, 0, 0]));
        assert_eq!(info_text(&d, None), "Router Solicitation");
        let d = decode(101, &ipv6_icmp(&[128, 0, 0, 0, 0xd3, 0x73, 0xb6, 0x9b]));
        assert_eq!(
            info_text(&d, None),
            "Echo (ping) request id=0xd373, seq=46747, hop limit=255"
        );
        // An NDP option of length 0 must not loop.
        let d = decode(101, &ipv6_icmp(&[133, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]));
        assert_eq!(info_text(&d, None), "Router Solicitation");
    }
}
