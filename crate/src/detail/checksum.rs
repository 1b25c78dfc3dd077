//! Internet checksums (RFC 1071) for the IPv4 header, TCP, UDP, ICMP and ICMPv6, and the lines
//! Wireshark shows for them.
//!
//! Promise: a checksum is computed only over bytes that were captured; when part of what it
//! covers is missing, the result is None (Wireshark cannot verify it either) and nothing
//! panics.

use super::node::{expert, span, Node, Severity};
use crate::decode::IpHeader;
use std::net::IpAddr;

/// One's-complement sum of 16-bit big-endian words (an odd last byte is padded with zero),
/// added to `initial`, not yet folded.
pub fn sum(data: &[u8], initial: u64) -> u64 {
    let mut total = initial;
    let mut words = data.chunks_exact(2);
    for word in &mut words {
        total += u64::from(u16::from_be_bytes([word[0], word[1]]));
    }
    if let [last] = words.remainder() {
        total += u64::from(*last) << 8;
    }
    total
}

/// Folds a sum into 16 bits (end-around carry).
pub fn fold(mut total: u64) -> u16 {
    while total > 0xffff {
        total = (total & 0xffff) + (total >> 16);
    }
    total as u16
}

/// The sum of the TCP/UDP/ICMPv6 pseudo-header for `ip`, upper-layer `protocol` and `length`.
pub fn pseudo_header_sum(ip: &IpHeader, protocol: u8, length: u32) -> u64 {
    let mut total = 0u64;
    for addr in [ip.src, ip.dst] {
        total = match addr {
            IpAddr::V4(a) => sum(&a.octets(), total),
            IpAddr::V6(a) => sum(&a.octets(), total),
        };
    }
    total += u64::from(protocol);
    total += u64::from(length >> 16) + u64::from(length & 0xffff);
    total
}

/// What the checksum field should hold for `data` (the field at `field_at` counted as zero),
/// starting from `initial` (a pseudo-header sum, or 0).
pub fn should_be(data: &[u8], field_at: usize, initial: u64) -> Option<u16> {
    let field = data.get(field_at..field_at.checked_add(2)?)?;
    let with_field = sum(data, initial);
    let field_value = u64::from(u16::from_be_bytes([field[0], field[1]]));
    // Subtracting the field from the unfolded sum is exact: every word was added once.
    let without = with_field.checked_sub(field_value)?;
    Some(!fold(without))
}

/// A checksum's verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Not checked (Wireshark's default for IPv4, TCP and UDP).
    Unverified,
    Good {
        calculated: u16,
    },
    Bad {
        calculated: u16,
    },
    /// UDP over IPv4 may leave it 0: no checksum was computed by the sender.
    NotPresent,
}

impl Verdict {
    /// Compares the field with what it should be (0x0000 and 0xffff are the same number in
    /// one's complement).
    pub fn of(field: u16, calculated: Option<u16>) -> Verdict {
        match calculated {
            None => Verdict::Unverified,
            Some(c) if c == field || (c == 0 && field == 0xffff) || (c == 0xffff && field == 0) => {
                Verdict::Good { calculated: c }
            }
            Some(c) => Verdict::Bad { calculated: c },
        }
    }
}

/// The lines of a TCP, UDP, ICMP or ICMPv6 checksum: `Checksum: 0x79b2 [unverified]` and
/// `[Checksum Status: Unverified]`, or the verified forms, arranged as each of Wireshark's
/// dissectors arranges them (UDP nests the calculated value under the field, TCP does not,
/// ICMP shows none). `prefix` is the field name's stem ("tcp", "udp", "icmp", "icmpv6"). For
/// a bad TCP/UDP checksum, `evidence` lets the explanation say what in the frame points to
/// checksum offload.
pub fn transport_lines(
    prefix: &'static str,
    field: u16,
    at: usize,
    frame_len: usize,
    verdict: Verdict,
    evidence: Evidence,
) -> Vec<Node> {
    let (checksum_field, status_field, calculated_field, bad_field) = match prefix {
        "tcp" => (
            "tcp.checksum",
            "tcp.checksum.status",
            "tcp.checksum_calculated",
            "tcp.checksum_bad.expert",
        ),
        "udp" => (
            "udp.checksum",
            "udp.checksum.status",
            "udp.checksum_calculated",
            "udp.checksum.bad",
        ),
        "icmpv6" => (
            "icmpv6.checksum",
            "icmpv6.checksum.status",
            "icmpv6.checksum_calculated",
            "icmpv6.checksum_bad.expert",
        ),
        _ => (
            "icmp.checksum",
            "icmp.checksum.status",
            "icmp.checksum_calculated",
            "icmp.checksum_bad.expert",
        ),
    };
    let udp = prefix == "udp";
    let icmp = matches!(prefix, "icmp" | "icmpv6");
    let at_span = span(at, 2, frame_len);
    let line = |suffix: String| {
        Node::field(
            format!("Checksum: 0x{field:04x}{suffix}"),
            checksum_field,
            at_span,
        )
    };
    let status = |word: &str| {
        Node::generated(format!("Checksum Status: {word}"), Some(status_field)).with_span(at_span)
    };
    let calculated = |c: u16| {
        Node::generated(
            format!("Calculated Checksum: 0x{c:04x}"),
            Some(calculated_field),
        )
        .with_span(at_span)
    };
    match verdict {
        Verdict::Unverified => vec![line(" [unverified]".into()), status("Unverified")],
        Verdict::NotPresent => {
            vec![line(" [zero-value ignored]".into()).child(status("Not present"))]
        }
        Verdict::Good { calculated: c } if udp => {
            vec![
                line(" [correct]".into()).child(calculated(c)),
                status("Good"),
            ]
        }
        Verdict::Good { .. } if icmp => vec![line(" [correct]".into()), status("Good")],
        Verdict::Good { calculated: c } => {
            vec![line(" [correct]".into()), status("Good"), calculated(c)]
        }
        Verdict::Bad { calculated: c } => {
            // Wireshark names offload in the label itself for TCP and UDP (UDP with a space).
            let suffix = match prefix {
                "tcp" => format!(
                    " incorrect, should be 0x{c:04x}(maybe caused by \"TCP checksum offload\"?)"
                ),
                "udp" => format!(
                    " incorrect, should be 0x{c:04x} (maybe caused by \"UDP checksum offload\"?)"
                ),
                _ => format!(" incorrect, should be 0x{c:04x}"),
            };
            let severity = if icmp {
                Severity::Warn
            } else {
                Severity::Error
            };
            let mut checksum = line(suffix);
            let mut bad = expert(
                severity,
                "Checksum",
                format!("Bad checksum [should be 0x{c:04x}]"),
            );
            bad.field = Some(bad_field);
            checksum.push(bad);
            if udp {
                checksum.push(calculated(c));
            }
            if !icmp {
                checksum.push(offload_explanation(field, evidence));
            }
            let mut out = vec![checksum, status("Bad")];
            if prefix == "tcp" {
                out.push(calculated(c));
            }
            out
        }
    }
}

/// What a frame says about checksum offload.
#[derive(Clone, Copy, Debug, Default)]
pub struct Evidence {
    /// The pseudo-header's own sum, folded: what a sending host leaves in the field for its
    /// network card to complete.
    pub partial: Option<u16>,
    /// The link layer says the capturing host sent the frame (Linux cooked capture's
    /// "Sent by us").
    pub sent_by_capturing_host: bool,
}

/// Why a capture shows a wrong TCP/UDP checksum, in plain words: most often the capture was
/// taken on the sending host, whose network card computes the checksum after the capture
/// point has copied the packet (checksum offload).
pub fn offload_explanation(field: u16, evidence: Evidence) -> Node {
    let mut text = "Why this checksum is probably not an error: the sending host most likely left the checksum to its network card (checksum offload), which computes it after the capture point copied the packet, so captures taken on the sending host show such checksums on every packet it sends.".to_string();
    if evidence.sent_by_capturing_host {
        text.push_str(
            " This capture was taken on the sending host: its link layer marks the frame \"Sent by us\".",
        );
    }
    if evidence.partial == Some(field) {
        text.push_str(&format!(
            " The field holds 0x{field:04x}, exactly the sum of the pseudo-header alone: the value a sending host leaves in place for its network card to complete."
        ));
    }
    text.push_str(" If the receiver acknowledges the data, it arrived intact.");
    Node::generated(text, None)
}

/// The IPv4 header checksum lines: `Header Checksum: 0x3098 [validation disabled]` and
/// `[Header checksum status: Unverified]`, or the verified forms.
pub fn ipv4_lines(field: u16, at: usize, frame_len: usize, verdict: Verdict) -> Vec<Node> {
    let at_span = span(at, 2, frame_len);
    let status_line = |word: &str| {
        Node::generated(
            format!("Header checksum status: {word}"),
            Some("ip.checksum.status"),
        )
        .with_span(at_span)
    };
    let calculated_line = |c: u16| {
        Node::generated(
            format!("Calculated Checksum: 0x{c:04x}"),
            Some("ip.checksum_calculated"),
        )
        .with_span(at_span)
    };
    match verdict {
        Verdict::Unverified | Verdict::NotPresent => vec![
            Node::field(
                format!("Header Checksum: 0x{field:04x} [validation disabled]"),
                "ip.checksum",
                at_span,
            ),
            status_line("Unverified"),
        ],
        Verdict::Good { calculated } => vec![
            Node::field(
                format!("Header Checksum: 0x{field:04x} [correct]"),
                "ip.checksum",
                at_span,
            ),
            status_line("Good"),
            calculated_line(calculated),
        ],
        Verdict::Bad { calculated } => {
            let mut checksum = Node::field(
                format!("Header Checksum: 0x{field:04x} incorrect, should be 0x{calculated:04x}(may be caused by \"IP checksum offload\"?)"),
                "ip.checksum",
                at_span,
            );
            let mut bad = expert(
                Severity::Error,
                "Checksum",
                format!("Bad checksum [should be 0x{calculated:04x}]"),
            );
            bad.field = Some("ip.checksum_bad.expert");
            checksum.push(bad);
            vec![checksum, status_line("Bad"), calculated_line(calculated)]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc1071_example() {
        // RFC 1071's example words sum to 0xddf2.
        let data = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
        assert_eq!(fold(sum(&data, 0)), 0xddf2);
    }

    #[test]
    fn ipv4_header_of_the_tutorial() {
        // Frame 1's IPv4 header: its checksum 0x3098 is right.
        let header = [
            0x45, 0x00, 0x00, 0x3c, 0x88, 0x6d, 0x40, 0x00, 0x40, 0x06, 0x30, 0x98, 0xc0, 0xa8,
            0x00, 0x32, 0xc0, 0xa8, 0x00, 0x34,
        ];
        assert_eq!(should_be(&header, 10, 0), Some(0x3098));
        assert_eq!(
            Verdict::of(0x3098, should_be(&header, 10, 0)),
            Verdict::Good { calculated: 0x3098 }
        );
        assert_eq!(should_be(&header, 19, 0), None);
    }
}
