//! The Info column, in Wireshark's words.

use crate::decode::{
    format_mac, icmpv4_code_name, icmpv4_type_name, icmpv6_code_name, icmpv6_type_name,
    link_type_name, tcp_flags, ArpPacket, Decoded, IcmpMessage, IpHeader, TcpOption, TcpSegment,
};
use crate::tcp::TcpFrameFacts;
use crate::text::num;
use std::fmt::Write;

/// The Info column of a frame. `tcp` carries the tracker's relative numbers and analysis for
/// TCP frames; without it, raw sequence numbers and the unscaled window are shown.
pub fn info_text(decoded: &Decoded, tcp: Option<&TcpFrameFacts>) -> String {
    info_text_shown(decoded, tcp, &PayloadShown::AsDecoded)
}

/// How the Info column shows a TCP frame's payload once HTTP reassembly is known.
pub enum PayloadShown<'a> {
    /// As the decoder saw the segment on its own: a segment opening with an HTTP start line
    /// shows it.
    AsDecoded,
    /// As TCP; `reassembled` adds Wireshark's "[TCP segment of a reassembled PDU]" for bytes
    /// of a message completed in a later frame.
    Tcp { reassembled: bool },
    /// The HTTP messages this frame completes: (start line as sent, Content-Type).
    Http(Vec<(&'a str, Option<&'a str>)>),
}

/// The Info column, with the payload shown as `shown` says.
pub fn info_text_shown(
    decoded: &Decoded,
    tcp: Option<&TcpFrameFacts>,
    shown: &PayloadShown,
) -> String {
    let mut out = String::new();
    if let Some(segment) = &decoded.tcp {
        if let Some(facts) = tcp {
            out.push_str(&facts.info_prefix());
        }
        match (shown, &decoded.http) {
            (PayloadShown::AsDecoded, Some(http)) => {
                http_info(&mut out, &http.line, http.content_type.as_deref())
            }
            (PayloadShown::AsDecoded, None) => tcp_info(&mut out, segment, tcp),
            (PayloadShown::Tcp { reassembled }, _) => {
                tcp_info(&mut out, segment, tcp);
                if *reassembled {
                    out.push_str(" [TCP segment of a reassembled PDU]");
                }
            }
            (PayloadShown::Http(messages), _) => {
                for (i, (line, content_type)) in messages.iter().enumerate() {
                    if i > 0 {
                        out.push_str(" , ");
                    }
                    http_info(&mut out, line, *content_type);
                }
            }
        }
    } else if let Some(udp) = &decoded.udp {
        let _ = write!(
            out,
            "{} \u{2192} {} Len={}",
            udp.src_port,
            udp.dst_port,
            udp.length.saturating_sub(8)
        );
    } else if let Some(icmp) = &decoded.icmp {
        icmp_info(&mut out, icmp);
    } else if let Some(arp) = &decoded.arp {
        arp_info(&mut out, arp);
    } else if let Some(ip) = decoded.ip.as_ref().filter(|ip| ip.is_fragment()) {
        fragment_info(&mut out, ip);
    } else if let Some(problem) = decoded.problems.first() {
        out.push_str(problem);
    } else if let Some(ip) = &decoded.ip {
        let _ = write!(out, "IP protocol {}", ip.protocol);
    } else if let Some(ether_type) = decoded.link.as_ref().and_then(|l| l.protocol) {
        let _ = write!(out, "EtherType 0x{ether_type:04x}");
    } else {
        match link_type_name(decoded.link_type) {
            "Unknown link type" => {
                let _ = write!(out, "Unknown link type {}", decoded.link_type);
            }
            name => {
                let _ = write!(out, "{name} (not decoded)");
            }
        }
    }
    out
}

/// Wireshark's flag list for the brackets: "SYN, ACK", "FIN, PSH, ACK", "\<None>".
pub fn tcp_flags_text(flags: u16) -> String {
    let mut out = String::new();
    push_tcp_flags(&mut out, flags);
    out
}

/// [`tcp_flags_text`] appended to `out`.
fn push_tcp_flags(out: &mut String, flags: u16) {
    const NAMES: [(u16, &str); 9] = [
        (tcp_flags::FIN, "FIN"),
        (tcp_flags::SYN, "SYN"),
        (tcp_flags::RST, "RST"),
        (tcp_flags::PSH, "PSH"),
        (tcp_flags::ACK, "ACK"),
        (tcp_flags::URG, "URG"),
        (tcp_flags::ECE, "ECE"),
        (tcp_flags::CWR, "CWR"),
        (tcp_flags::AE, "AE"),
    ];
    let start = out.len();
    let mut push = |name: &str| {
        if out.len() > start {
            out.push_str(", ");
        }
        out.push_str(name);
    };
    for (bit, name) in NAMES {
        if flags & bit != 0 {
            push(name);
        }
    }
    if flags & tcp_flags::RESERVED != 0 {
        push("Reserved");
    }
    if out.len() == start {
        out.push_str("<None>");
    }
}

fn tcp_info(out: &mut String, segment: &TcpSegment, facts: Option<&TcpFrameFacts>) {
    let (seq, ack, window) = match facts {
        Some(f) => (f.relative_seq, f.relative_ack, f.window_calc),
        None => (segment.seq, segment.ack, u64::from(segment.window)),
    };
    // Pieces and numbers pushed, not `write!`: this runs for every TCP frame listed.
    num(out, segment.src_port);
    out.push_str(" \u{2192} ");
    num(out, segment.dst_port);
    out.push_str(" [");
    push_tcp_flags(out, segment.flags);
    out.push_str("] Seq=");
    num(out, seq);
    if segment.flags & tcp_flags::ACK != 0 {
        out.push_str(" Ack=");
        num(out, ack);
    }
    out.push_str(" Win=");
    num(out, window);
    if segment.flags & tcp_flags::URG != 0 {
        out.push_str(" Urg=");
        num(out, segment.urgent_pointer);
    }
    out.push_str(" Len=");
    num(out, segment.payload_len);
    // SACK edges are shown relative to the peer's first sequence number, as the ack is.
    let sack_base = facts.map_or(0, |f| segment.ack.wrapping_sub(f.relative_ack));
    for option in &segment.options {
        match option {
            TcpOption::MaxSegmentSize(mss) => {
                out.push_str(" MSS=");
                num(out, *mss);
            }
            // Wireshark shows the multiplier; shifts above 14 are capped at 14 (RFC 7323).
            TcpOption::WindowScale(shift) => {
                out.push_str(" WS=");
                num(out, 1u32 << (*shift).min(14));
            }
            TcpOption::SackPermitted => out.push_str(" SACK_PERM"),
            TcpOption::Timestamp { value, echo } => {
                out.push_str(" TSval=");
                num(out, *value);
                out.push_str(" TSecr=");
                num(out, *echo);
            }
            TcpOption::Sack(blocks) => {
                for (left, right) in blocks {
                    out.push_str(" SLE=");
                    num(out, left.wrapping_sub(sack_base));
                    out.push_str(" SRE=");
                    num(out, right.wrapping_sub(sack_base));
                }
            }
            // TCP Fast Open: a bare option asks for a cookie, one with bytes carries it.
            TcpOption::Unknown { kind: 34, len } => {
                out.push_str(if *len == 2 { " TFO=R" } else { " TFO=C" });
            }
            TcpOption::EndOfList | TcpOption::Nop | TcpOption::Unknown { .. } => {}
        }
    }
}

/// Wireshark prints the start line, a space, then " (media type)" when the message has one.
fn http_info(out: &mut String, line: &str, content_type: Option<&str>) {
    out.push_str(line);
    out.push(' ');
    if let Some(content_type) = content_type {
        let _ = write!(out, " ({})", crate::decode::media_type(content_type));
    }
}

fn icmp_info(out: &mut String, icmp: &IcmpMessage) {
    if icmp.version == 4 {
        match icmpv4_type_name(icmp.icmp_type) {
            // Wireshark pads the type to 20 characters, hence the aligned echo columns.
            Some(name) => {
                let _ = write!(out, "{name:<20}");
            }
            None => {
                let _ = write!(
                    out,
                    "Unknown ICMP (obsolete or malformed?) (type {})",
                    icmp.icmp_type
                );
            }
        }
        if let Some(code) = icmpv4_code_name(icmp.icmp_type, icmp.code) {
            let _ = write!(out, " ({code})");
        }
        if let Some((id, seq)) = icmp.echo {
            let _ = write!(
                out,
                " id=0x{id:04x}, seq={seq}/{}, ttl={}",
                seq.swap_bytes(),
                icmp.ttl
            );
        }
        // Without an echo the padding would be trailing spaces, which Wireshark's column trims.
        let trimmed = out.trim_end().len();
        out.truncate(trimmed);
        return;
    }
    match icmpv6_type_name(icmp.icmp_type) {
        Some(name) => out.push_str(name),
        None => {
            let _ = write!(out, "Unknown ICMPv6 type {}", icmp.icmp_type);
        }
    }
    if let Some(code) = icmpv6_code_name(icmp.icmp_type, icmp.code) {
        let _ = write!(out, " ({code})");
    }
    if let Some((id, seq)) = icmp.echo {
        let _ = write!(out, " id=0x{id:04x}, seq={seq}, hop limit={}", icmp.ttl);
    }
    match icmp.icmp_type {
        135 => {
            if let Some(target) = icmp.target {
                let _ = write!(out, " for {target}");
            }
            if let Some(mac) = icmp.link_addr {
                let _ = write!(out, " from {}", format_mac(&mac));
            }
        }
        136 => {
            if let Some(target) = icmp.target {
                let _ = write!(out, " {target}");
            }
            let flags: Vec<&str> = [(0x80, "rtr"), (0x40, "sol"), (0x20, "ovr")]
                .iter()
                .filter(|(bit, _)| icmp.na_flags & bit != 0)
                .map(|(_, name)| *name)
                .collect();
            if !flags.is_empty() {
                let _ = write!(out, " ({})", flags.join(", "));
            }
            if let Some(mac) = icmp.link_addr {
                let _ = write!(out, " is at {}", format_mac(&mac));
            }
        }
        133 | 134 => {
            if let Some(mac) = icmp.link_addr {
                let _ = write!(out, " from {}", format_mac(&mac));
            }
        }
        _ => {}
    }
}

fn arp_info(out: &mut String, arp: &ArpPacket) {
    let ip =
        |addr: Option<std::net::Ipv4Addr>| addr.map_or_else(|| "?".to_string(), |a| a.to_string());
    let mac = |addr: Option<[u8; 6]>| addr.map_or_else(|| "?".to_string(), |a| format_mac(&a));
    let gratuitous = arp.sender_ip.is_some() && arp.sender_ip == arp.target_ip;
    let _ = match arp.operation {
        1 if arp.sender_ip.is_some_and(|a| a.is_unspecified()) => {
            write!(out, "Who has {}? (ARP Probe)", ip(arp.target_ip))
        }
        1 if gratuitous && arp.target_mac == Some([0; 6]) => {
            write!(out, "ARP Announcement for {}", ip(arp.target_ip))
        }
        1 if gratuitous => write!(out, "Gratuitous ARP for {} (Request)", ip(arp.target_ip)),
        1 => write!(
            out,
            "Who has {}? Tell {}",
            ip(arp.target_ip),
            ip(arp.sender_ip)
        ),
        2 if gratuitous => write!(out, "Gratuitous ARP for {} (Reply)", ip(arp.sender_ip)),
        2 => write!(out, "{} is at {}", ip(arp.sender_ip), mac(arp.sender_mac)),
        3 => write!(
            out,
            "Who is {}? Tell {}",
            mac(arp.target_mac),
            mac(arp.sender_mac)
        ),
        4 => write!(out, "{} is at {}", mac(arp.target_mac), ip(arp.target_ip)),
        op => write!(out, "Unknown ARP opcode 0x{op:04x}"),
    };
}

fn fragment_info(out: &mut String, ip: &IpHeader) {
    let name = crate::decode::protocol_column_name(ip.protocol).unwrap_or(match ip.protocol {
        6 => "TCP",
        17 => "UDP",
        1 => "ICMP",
        58 => "ICMPv6",
        _ => "Unknown",
    });
    if ip.version == 4 {
        let _ = write!(
            out,
            "Fragmented IP protocol (proto={name} {}, off={}, ID={:04x})",
            ip.protocol, ip.fragment_offset, ip.identification
        );
    } else {
        let _ = write!(
            out,
            "IPv6 fragment (off={} more={} ident=0x{:08x} nxt={})",
            ip.fragment_offset,
            if ip.more_fragments { "y" } else { "n" },
            ip.identification,
            ip.protocol
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_lists() {
        assert_eq!(tcp_flags_text(0x002), "SYN");
        assert_eq!(tcp_flags_text(0x012), "SYN, ACK");
        assert_eq!(tcp_flags_text(0x018), "PSH, ACK");
        assert_eq!(tcp_flags_text(0x014), "RST, ACK");
        assert_eq!(tcp_flags_text(0x011), "FIN, ACK");
        assert_eq!(tcp_flags_text(0x0c2), "SYN, ECE, CWR");
        assert_eq!(tcp_flags_text(0x1c2), "SYN, ECE, CWR, AE");
        assert_eq!(
            tcp_flags_text(0x0ff),
            "FIN, SYN, RST, PSH, ACK, URG, ECE, CWR"
        );
        assert_eq!(tcp_flags_text(0), "<None>");
        assert_eq!(tcp_flags_text(0x810), "ACK, Reserved");
    }

    #[test]
    fn tcp_line_without_tracker() {
        let segment = TcpSegment {
            src_port: 6260,
            dst_port: 80,
            seq: 5,
            ack: 1,
            flags: 0x0ff,
            window: 512,
            payload_len: 0,
            urgent_pointer: 0,
            options: vec![
                TcpOption::WindowScale(20),
                TcpOption::Sack(vec![(10, 20)]),
                TcpOption::Unknown { kind: 34, len: 2 },
            ],
            ..TcpSegment::default()
        };
        let decoded = Decoded {
            tcp: Some(segment),
            ..Decoded::default()
        };
        assert_eq!(
            info_text(&decoded, None),
            "6260 \u{2192} 80 [FIN, SYN, RST, PSH, ACK, URG, ECE, CWR] Seq=5 Ack=1 Win=512 Urg=0 Len=0 WS=16384 SLE=10 SRE=20 TFO=R"
        );
        // With the tracker's numbers, SACK edges are relative to the same base as the ack.
        let facts = TcpFrameFacts {
            relative_seq: 1,
            relative_ack: 0,
            window_calc: 65536,
            ..TcpFrameFacts::default()
        };
        assert!(info_text(&decoded, Some(&facts))
            .ends_with("Seq=1 Ack=0 Win=65536 Urg=0 Len=0 WS=16384 SLE=9 SRE=19 TFO=R"));
    }

    #[test]
    fn frames_without_a_known_layer() {
        let decoded = Decoded {
            link_type: 4000,
            ..Decoded::default()
        };
        assert_eq!(info_text(&decoded, None), "Unknown link type 4000");
        let decoded = Decoded {
            link_type: 127,
            ..Decoded::default()
        };
        assert_eq!(
            info_text(&decoded, None),
            "IEEE 802.11 plus radiotap header (not decoded)"
        );
    }
}
