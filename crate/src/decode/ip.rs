//! IPv4 (with options and fragments) and IPv6 (with extension header chains and jumbograms).
//!
//! Lengths follow tshark: the upper-layer length comes from the IP length fields (not from what
//! was captured), a TSO/GSO length of 0 means "the rest of the frame", and where the frame's
//! length on the wire is known an IP length beyond it is cut to it (and flagged).

use super::bytes::{array_at, be32_at, u8_at};
use super::{IpHeader, Ipv6Extension, Span};
use etherparse::err::ipv4::{HeaderError, HeaderSliceError};
use etherparse::err::ipv6 as v6;
use etherparse::{
    IpAuthHeaderSlice, Ipv4HeaderSlice, Ipv6FragmentHeaderSlice, Ipv6HeaderSlice,
    Ipv6RawExtHeaderSlice,
};
use std::net::IpAddr;

/// An IP header, and whether the layer above can be read (false when the header itself is
/// damaged or cut, so its payload boundaries are unknown).
pub(crate) struct DecodedIp {
    pub header: IpHeader,
    pub transport_ok: bool,
}

/// Protocol column for IP protocols that are not decoded further.
pub(crate) fn protocol_column_name(protocol: u8) -> Option<&'static str> {
    Some(match protocol {
        2 => "IGMP",
        4 => "IPv4",
        41 => "IPv6",
        47 => "GRE",
        50 => "ESP",
        51 => "AH",
        89 => "OSPF",
        103 => "PIMv2",
        112 => "VRRP",
        132 => "SCTP",
        _ => return None,
    })
}

/// Wireshark names IGMP by version: v1/v2 by message type, a query by its length.
pub(crate) fn igmp_protocol_name(data: &[u8], offset: usize, len: u32) -> &'static str {
    match u8_at(data, offset) {
        Some(0x11) if len >= 12 => "IGMPv3",
        Some(0x11) if u8_at(data, offset + 1) == Some(0) => "IGMPv1",
        Some(0x11 | 0x16 | 0x17) => "IGMPv2",
        Some(0x12) => "IGMPv1",
        Some(0x22) => "IGMPv3",
        _ => "IGMP",
    }
}

/// Name of an IPv6 extension header, for problem sentences.
fn extension_name(next_header: u8) -> &'static str {
    match next_header {
        0 => "hop-by-hop options",
        43 => "routing",
        44 => "fragment",
        51 => "authentication",
        60 => "destination options",
        135 => "mobility",
        139 => "HIP",
        140 => "shim6",
        _ => "extension",
    }
}

fn is_ipv6_extension(next_header: u8) -> bool {
    matches!(next_header, 0 | 43 | 44 | 51 | 60 | 135 | 139 | 140)
}

/// Bytes from `offset` to the end of the frame on the wire, where that is known.
fn wire_remaining(wire_len: Option<usize>, offset: usize) -> Option<usize> {
    wire_len.map(|len| len.saturating_sub(offset))
}

pub(crate) fn decode_ipv4(
    data: &[u8],
    offset: usize,
    wire_len: Option<usize>,
    problems: &mut Vec<String>,
) -> Option<DecodedIp> {
    let rest = data.get(offset..).unwrap_or_default();
    let captured = rest.len();
    let mut transport_ok = true;
    let (header_len, parsed) = match Ipv4HeaderSlice::from_slice(rest) {
        Ok(header) => (header.slice().len(), Ok(header)),
        Err(HeaderSliceError::Content(HeaderError::UnexpectedVersion { version_number })) => {
            problems.push(format!(
                "IPv4: the version field is {version_number}, not 4; the rest of the frame is not decoded."
            ));
            return None;
        }
        Err(HeaderSliceError::Content(HeaderError::HeaderLengthSmallerThanHeader { ihl })) => {
            let header_len = usize::from(ihl) * 4;
            problems.push(format!(
                "IPv4: header length field says {header_len} bytes, less than the minimum of 20; the payload is not decoded."
            ));
            transport_ok = false;
            (header_len, Err(()))
        }
        Err(HeaderSliceError::Len(error)) if error.required_len > 20 => {
            problems.push(format!(
                "IPv4: header claims {} bytes but only {captured} were captured.",
                error.required_len
            ));
            transport_ok = false;
            (error.required_len, Err(()))
        }
        Err(HeaderSliceError::Len(_)) => {
            problems.push(format!(
                "IPv4: header needs 20 bytes but only {captured} were captured."
            ));
            return None;
        }
    };
    // etherparse rejects a header whose IHL is below 5 or whose options the snaplen cut; its
    // fixed 20 bytes still name the addresses, so they are parsed from a copy saying IHL 5.
    let mut fixed = array_at::<20>(rest, 0)?;
    fixed[0] = 0x45;
    let header = match parsed {
        Ok(header) => header,
        Err(()) => Ipv4HeaderSlice::from_slice(&fixed).ok()?,
    };
    let length_field = header.total_len();
    let header_len_used = header_len.max(20);
    let remaining = wire_remaining(wire_len, offset);
    let mut total_len = if length_field == 0 {
        // TSO/GSO: the NIC fills the length in later. tshark assumes the rest of the frame on
        // the wire; etherparse's lax slice would take the captured bytes instead.
        remaining.unwrap_or(captured)
    } else {
        usize::from(length_field)
    };
    if let Some(remaining) = remaining {
        if total_len > remaining {
            problems.push(format!(
                "IPv4: total length {total_len} is more than the {remaining} bytes left in the frame; the frame's length is used."
            ));
            total_len = remaining;
        }
    }
    if transport_ok && total_len < header_len_used {
        problems.push(format!(
            "IPv4: total length {total_len} is less than the header length {header_len_used}; the payload is not decoded."
        ));
        transport_ok = false;
    }
    let fragment_offset = header.fragments_offset().value();
    let header = IpHeader {
        version: 4,
        src: IpAddr::V4(header.source_addr()),
        dst: IpAddr::V4(header.destination_addr()),
        offset: offset as u32,
        header_len: header_len_used as u32,
        total_len: total_len as u32,
        length_field,
        tos: (header.dcp().value() << 2) | header.ecn().value(),
        ttl: header.ttl(),
        protocol: header.protocol().0,
        identification: u32::from(header.identification()),
        dont_fragment: header.dont_fragment(),
        more_fragments: header.more_fragments(),
        fragment_offset: u32::from(fragment_offset) * 8,
        checksum: header.header_checksum(),
        flow_label: 0,
        options: Span {
            offset: (offset + 20) as u32,
            len: header_len.saturating_sub(20) as u32,
        },
        extensions: Vec::new(),
        payload_offset: (offset + header_len_used) as u32,
        payload_len: total_len.saturating_sub(header_len_used) as u32,
    };
    Some(DecodedIp {
        header,
        transport_ok,
    })
}

pub(crate) fn decode_ipv6(
    data: &[u8],
    offset: usize,
    wire_len: Option<usize>,
    problems: &mut Vec<String>,
) -> Option<DecodedIp> {
    let rest = data.get(offset..).unwrap_or_default();
    let captured = rest.len();
    let header = match Ipv6HeaderSlice::from_slice(rest) {
        Ok(header) => header,
        Err(v6::HeaderSliceError::Content(v6::HeaderError::UnexpectedVersion {
            version_number,
        })) => {
            problems.push(format!(
                "IPv6: the version field is {version_number}, not 6; the rest of the frame is not decoded."
            ));
            return None;
        }
        Err(v6::HeaderSliceError::Len(_)) => {
            problems.push(format!(
                "IPv6: header needs 40 bytes but only {captured} were captured."
            ));
            return None;
        }
    };
    let payload_length = header.payload_length();
    let mut next_header = header.next_header().0;
    let mut transport_ok = true;
    let mut extensions = Vec::new();
    let mut jumbo_len: Option<u32> = None;
    let (mut identification, mut more_fragments, mut fragment_offset) = (0u32, false, 0u32);
    let mut cursor = offset + 40;
    // Our own chain walk rather than `Ipv6ExtensionsSlice`: we need each header's offset and
    // length for the detail tree, and a sentence naming the header and byte where the chain
    // breaks. Each header itself is read by etherparse's slice for its kind.
    // Each extension header is at least 8 bytes, so the chain ends with the frame.
    while is_ipv6_extension(next_header) {
        let name = extension_name(next_header);
        let chain = data.get(cursor..).unwrap_or_default();
        let left = chain.len();
        let parsed = match next_header {
            44 => Ipv6FragmentHeaderSlice::from_slice(chain)
                .map(|fragment| {
                    fragment_offset = u32::from(fragment.fragment_offset().value()) * 8;
                    more_fragments = fragment.more_fragments();
                    identification = fragment.identification();
                    (fragment.next_header().0, fragment.slice().len())
                })
                .ok(),
            51 => match IpAuthHeaderSlice::from_slice(chain) {
                Ok(auth) => Some((auth.next_header().0, auth.slice().len())),
                // etherparse refuses an AH with a payload length of 0 (RFC 4302 minimum is
                // 1); its 8 bytes are still skipped, as Wireshark does, by the reading below.
                Err(_) => None,
            },
            _ => Ipv6RawExtHeaderSlice::from_slice(chain)
                .map(|raw| (raw.next_header().0, raw.slice().len()))
                .ok(),
        };
        let (following, len) = match parsed {
            Some(found) => found,
            // What etherparse refused: say why in our words (its errors name no offset).
            None => {
                let (Some(following), Some(len_byte)) = (u8_at(chain, 0), u8_at(chain, 1)) else {
                    problems.push(format!(
                        "IPv6: {name} extension header at byte {cursor} needs at least 2 bytes but only {left} were captured."
                    ));
                    transport_ok = false;
                    break;
                };
                let len = match next_header {
                    44 => 8,
                    51 => (usize::from(len_byte) + 2) * 4,
                    _ => (usize::from(len_byte) + 1) * 8,
                };
                if len > left {
                    problems.push(format!(
                        "IPv6: {name} extension header at byte {cursor} claims {len} bytes but only {left} were captured."
                    ));
                    transport_ok = false;
                    break;
                }
                (following, len)
            }
        };
        if next_header == 0 {
            // etherparse does not read hop-by-hop options; the jumbo one is read here.
            jumbo_len = jumbo_payload_length(data, cursor + 2, cursor + len);
        }
        extensions.push(Ipv6Extension {
            kind: next_header,
            offset: cursor as u32,
            len: len as u32,
        });
        next_header = following;
        cursor += len;
    }
    let extensions_len = cursor - (offset + 40);
    let remaining = wire_remaining(wire_len, offset);
    let mut total_len = match (payload_length, jumbo_len) {
        (0, Some(jumbo)) => 40 + jumbo as usize,
        // GSO: a length of 0 without a jumbo option; tshark takes the rest of the frame.
        (0, None) => remaining.unwrap_or(captured),
        (length, _) => 40 + usize::from(length),
    };
    if let Some(remaining) = remaining {
        if total_len > remaining {
            problems.push(format!(
                "IPv6: payload length {} is more than the {} bytes left in the frame after the header; the frame's length is used.",
                total_len - 40,
                remaining.saturating_sub(40)
            ));
            total_len = remaining;
        }
    }
    if transport_ok && total_len < 40 + extensions_len {
        problems.push(format!(
            "IPv6: payload length {} is shorter than its extension headers ({extensions_len} bytes); the payload is not decoded.",
            total_len - 40
        ));
        transport_ok = false;
    }
    let (traffic_class, hop_limit, flow_label) = (
        header.traffic_class(),
        header.hop_limit(),
        header.flow_label().value(),
    );
    let header = IpHeader {
        version: 6,
        src: IpAddr::V6(header.source_addr()),
        dst: IpAddr::V6(header.destination_addr()),
        offset: offset as u32,
        header_len: (40 + extensions_len) as u32,
        total_len: total_len as u32,
        length_field: payload_length,
        tos: traffic_class,
        ttl: hop_limit,
        protocol: next_header,
        identification,
        dont_fragment: false,
        more_fragments,
        fragment_offset,
        checksum: 0,
        flow_label,
        options: Span::default(),
        extensions,
        payload_offset: cursor as u32,
        payload_len: total_len.saturating_sub(40 + extensions_len) as u32,
    };
    Some(DecodedIp {
        header,
        transport_ok,
    })
}

/// The Jumbo Payload option (type 0xc2, RFC 2675) among hop-by-hop options in `start..end`.
fn jumbo_payload_length(data: &[u8], start: usize, end: usize) -> Option<u32> {
    let mut cursor = start;
    while cursor < end {
        let option_type = u8_at(data, cursor)?;
        if option_type == 0 {
            cursor += 1; // Pad1
            continue;
        }
        let len = usize::from(u8_at(data, cursor + 1)?);
        if option_type == 0xc2 && len == 4 {
            return be32_at(data, cursor + 2);
        }
        cursor += 2 + len;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::decode;
    use super::super::decode_frame;

    fn ipv4(total_len: u16, ihl: u8, protocol: u8, frag: u16) -> Vec<u8> {
        let mut header = vec![0x40 | ihl, 0];
        header.extend_from_slice(&total_len.to_be_bytes());
        header.extend_from_slice(&[0x12, 0x34]);
        header.extend_from_slice(&frag.to_be_bytes());
        header.extend_from_slice(&[64, protocol, 0, 0, 192, 168, 0, 1, 192, 168, 0, 2]);
        header
    }

    fn tcp_header() -> Vec<u8> {
        vec![
            0x1f, 0x90, 0x00, 0x50, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0x10, 0x00, 0, 0, 0, 0,
        ]
    }

    #[test]
    fn ipv4_with_options_and_tcp() {
        let mut frame = ipv4(20 + 4 + 20 + 5, 6, 6, 0x4000);
        frame.extend_from_slice(&[1, 1, 1, 0]); // NOP NOP NOP EOL
        frame.extend_from_slice(&tcp_header());
        frame.extend_from_slice(b"hello");
        let d = decode(101, &frame);
        let ip = d.ip.as_ref().cloned();
        let ip = ip.expect("IPv4 header");
        assert_eq!(
            (
                ip.header_len,
                ip.options.len,
                ip.payload_offset,
                ip.dont_fragment
            ),
            (24, 4, 24, true)
        );
        assert_eq!(d.tcp.as_ref().map(|t| t.payload_len), Some(5));
        assert!(d.problems.is_empty(), "{:?}", d.problems);
    }

    #[test]
    fn ipv4_snaplen_cut_keeps_the_ip_length() {
        let mut frame = ipv4(1500, 5, 6, 0);
        frame.extend_from_slice(&tcp_header());
        frame.extend_from_slice(&[0u8; 10]);
        let d = decode(101, &frame);
        let tcp = d.tcp.clone().unwrap_or_default();
        assert_eq!((tcp.payload_len, tcp.payload_captured), (1460, 10));
        assert!(d.problems.is_empty());
        // With the wire length known, and shorter than the IP length, the frame wins.
        let d = decode_frame(101, &frame, Some(100));
        assert_eq!(d.tcp.as_ref().map(|t| t.payload_len), Some(60));
        assert!(d.problems[0].starts_with("IPv4: total length 1500 is more than the 100 bytes"));
    }

    #[test]
    fn ipv4_total_length_zero_is_tso() {
        let mut frame = ipv4(0, 5, 6, 0);
        frame.extend_from_slice(&tcp_header());
        frame.extend_from_slice(&[0u8; 100]);
        let d = decode(101, &frame);
        assert_eq!(d.tcp.as_ref().map(|t| t.payload_len), Some(100));
        let d = decode_frame(101, &frame, Some(2000));
        assert_eq!(d.ip.as_ref().map(|ip| ip.total_len), Some(2000));
        assert_eq!(d.tcp.as_ref().map(|t| t.payload_len), Some(1960));
    }

    #[test]
    fn ipv4_damaged_headers() {
        let d = decode(101, &ipv4(40, 5, 6, 0)[..12]);
        assert_eq!(
            d.problems,
            vec!["IPv4: header needs 20 bytes but only 12 were captured.".to_string()]
        );
        assert_eq!(d.protocol, "IPv4");
        let d = decode(101, &ipv4(40, 3, 6, 0));
        assert!(
            d.problems[0].contains("less than the minimum of 20"),
            "{:?}",
            d.problems
        );
        assert!(d.tcp.is_none());
        let d = decode(101, &ipv4(60, 15, 6, 0));
        assert!(d.problems[0].starts_with("IPv4: header claims 60 bytes but only 20 were captured"));
        let d = decode(101, &ipv4(10, 5, 6, 0));
        assert!(
            d.problems[0].starts_with("IPv4: total length 10 is less than the header length 20")
        );
        assert_eq!(d.src, "192.168.0.1");
        // An EtherType that says IPv4 over an IPv6 header.
        let d = decode(
            1,
            &[[0u8; 12].as_slice(), &[0x08, 0x00, 0x60], &[0u8; 40]].concat(),
        );
        assert!(d.problems[0].starts_with("IPv4: the version field is 6"));
    }

    #[test]
    fn ipv4_fragments_have_no_transport() {
        let mut first = ipv4(48, 5, 6, 0x2000);
        first.extend_from_slice(&tcp_header());
        first.extend_from_slice(&[0u8; 8]);
        let d = decode(101, &first);
        assert!(d.tcp.is_none());
        assert_eq!(d.protocol, "IPv4");
        assert!(d
            .ip
            .as_ref()
            .is_some_and(|ip| ip.is_fragment() && ip.more_fragments));
        let later = ipv4(28, 5, 6, 185);
        let d = decode(101, &[later, vec![0u8; 8]].concat());
        assert_eq!(d.ip.as_ref().map(|ip| ip.fragment_offset), Some(1480));
        assert!(d.tcp.is_none() && d.problems.is_empty());
    }

    fn ipv6(payload_len: u16, next_header: u8) -> Vec<u8> {
        let mut header = vec![0x60, 0x00, 0x00, 0x01];
        header.extend_from_slice(&payload_len.to_be_bytes());
        header.extend_from_slice(&[next_header, 64]);
        header.extend_from_slice(&[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
        header.extend_from_slice(&[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
        header
    }

    #[test]
    fn ipv6_extension_chain() {
        // hop-by-hop (8) → routing (24) → destination options (8) → TCP
        let mut frame = ipv6(8 + 24 + 8 + 20, 0);
        frame.extend_from_slice(&[43, 0, 1, 4, 0, 0, 0, 0]);
        frame.extend_from_slice(&[60, 2, 0, 0, 0, 0, 0, 0]);
        frame.extend_from_slice(&[0u8; 16]);
        frame.extend_from_slice(&[6, 0, 1, 4, 0, 0, 0, 0]);
        frame.extend_from_slice(&tcp_header());
        let d = decode(101, &frame);
        let ip = d.ip.clone().expect("IPv6");
        assert_eq!(
            ip.extensions
                .iter()
                .map(|e| (e.kind, e.len))
                .collect::<Vec<_>>(),
            vec![(0, 8), (43, 24), (60, 8)]
        );
        assert_eq!((ip.protocol, ip.header_len, ip.payload_len), (6, 80, 20));
        assert_eq!(d.src, "2001:db8::1");
        assert_eq!(d.tcp.as_ref().map(|t| t.payload_len), Some(0));
        assert!(d.problems.is_empty(), "{:?}", d.problems);
    }

    #[test]
    fn ipv6_chain_running_past_the_end() {
        let mut frame = ipv6(100, 43);
        frame.extend_from_slice(&[6, 10, 0, 0]);
        let d = decode(101, &frame);
        assert!(d.tcp.is_none());
        assert_eq!(d.protocol, "IPv6");
        assert_eq!(
            d.problems,
            vec!["IPv6: routing extension header at byte 40 claims 88 bytes but only 4 were captured.".to_string()]
        );
        let mut frame = ipv6(100, 60);
        frame.push(6);
        let d = decode(101, &frame);
        assert!(d.problems[0].starts_with(
            "IPv6: destination options extension header at byte 40 needs at least 2 bytes"
        ));
        let d = decode(101, &ipv6(0, 59)[..39]);
        assert!(d.problems[0].starts_with("IPv6: header needs 40 bytes but only 39"));
    }

    #[test]
    fn ipv6_fragment_and_atomic_fragment() {
        let mut frame = ipv6(8 + 20, 44);
        frame.extend_from_slice(&[6, 0, 0x00, 0x01, 0, 0, 0x12, 0x34]); // off 0, M=1
        frame.extend_from_slice(&tcp_header());
        let d = decode(101, &frame);
        assert!(d.tcp.is_none());
        assert_eq!(
            d.ip.as_ref()
                .map(|ip| (ip.identification, ip.more_fragments)),
            Some((0x1234, true))
        );
        // An atomic fragment (offset 0, M=0) is a whole datagram.
        frame[40 + 3] = 0;
        let d = decode(101, &frame);
        assert!(d.tcp.is_some());
    }

    #[test]
    fn ipv6_authentication_header_even_with_length_zero() {
        // AH: next header, payload length in 4-byte units minus 2, reserved, SPI, sequence.
        let mut frame = ipv6(16 + 20, 51);
        frame.extend_from_slice(&[6, 2, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0xaa, 0xbb, 0xcc, 0xdd]);
        frame.extend_from_slice(&tcp_header());
        let d = decode(101, &frame);
        assert_eq!(d.ip.as_ref().map(|ip| ip.header_len), Some(56));
        assert!(d.tcp.is_some(), "{:?}", d.problems);
        // etherparse refuses a payload length of 0; its 8 bytes are skipped all the same.
        let mut frame = ipv6(8 + 20, 51);
        frame.extend_from_slice(&[6, 0, 0, 0, 0, 0, 0, 1]);
        frame.extend_from_slice(&tcp_header());
        let d = decode(101, &frame);
        assert_eq!(d.ip.as_ref().map(|ip| ip.header_len), Some(48));
        assert!(d.tcp.is_some() && d.problems.is_empty(), "{:?}", d.problems);
    }

    #[test]
    fn ipv6_jumbogram_and_gso() {
        let mut frame = ipv6(0, 0);
        frame.extend_from_slice(&[6, 0, 0xc2, 4, 0x00, 0x01, 0x00, 0x1c]); // jumbo 65564
        frame.extend_from_slice(&tcp_header());
        let d = decode(101, &frame);
        assert_eq!(d.tcp.as_ref().map(|t| t.payload_len), Some(65564 - 8 - 20));
        let mut frame = ipv6(0, 6);
        frame.extend_from_slice(&tcp_header());
        frame.extend_from_slice(&[0u8; 30]);
        let d = decode(101, &frame);
        assert_eq!(d.tcp.as_ref().map(|t| t.payload_len), Some(30));
    }

    #[test]
    fn ipv6_payload_length_shorter_than_extensions() {
        let mut frame = ipv6(4, 60);
        frame.extend_from_slice(&[6, 0, 0, 0, 0, 0, 0, 0]);
        let d = decode(101, &frame);
        assert!(
            d.problems[0].contains("shorter than its extension headers (8 bytes)"),
            "{:?}",
            d.problems
        );
        assert!(d.tcp.is_none());
    }
}
