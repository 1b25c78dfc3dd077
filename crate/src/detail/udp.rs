//! The UDP node: ports, length, checksum, stream index and timestamps, payload length.
//!
//! Promise: fields come from the captured bytes at the decoder's offset; the checksum is
//! verified only when asked for and only over a datagram captured whole.

use super::checksum::{self, Verdict};
use super::node::{seconds, Node};
use super::Builder;
use crate::decode::{IpHeader, UdpDatagram};

/// The UDP layer: its node and "udp" in the protocol list. Returns where its payload starts
/// and how long it is per the UDP length (or the IP length when that is shorter).
pub fn udp(b: &mut Builder, ip: &IpHeader, udp: &UdpDatagram) -> (usize, usize) {
    b.protocols.push("udp");
    let at = udp.offset as usize;
    let mut node = Node::field(
        format!(
            "User Datagram Protocol, Src Port: {}, Dst Port: {}",
            udp.src_port, udp.dst_port
        ),
        "udp",
        b.span(at, 8),
    );
    node.push(Node::field(
        format!("Source Port: {}", udp.src_port),
        "udp.srcport",
        b.span(at, 2),
    ));
    node.push(Node::field(
        format!("Destination Port: {}", udp.dst_port),
        "udp.dstport",
        b.span(at + 2, 2),
    ));
    node.push(Node::field(
        format!("Length: {}", udp.length),
        "udp.length",
        b.span(at + 4, 2),
    ));
    // The datagram's length: the UDP field, unless it is 0 (jumbogram) or claims more than
    // the IP layer gives.
    let datagram_len = match usize::from(udp.length) {
        0 => ip.payload_len as usize,
        n => n.min(ip.payload_len as usize),
    };
    let verdict = if udp.checksum == 0 && ip.version == 4 {
        Verdict::NotPresent
    } else if b.options.verify_checksums {
        let pseudo = checksum::pseudo_header_sum(ip, 17, datagram_len as u32);
        let whole = b.ctx.bytes.get(at..at.saturating_add(datagram_len));
        Verdict::of(
            udp.checksum,
            whole.and_then(|w| checksum::should_be(w, 6, pseudo)),
        )
    } else {
        Verdict::Unverified
    };
    let partial = checksum::fold(checksum::pseudo_header_sum(ip, 17, datagram_len as u32));
    for line in checksum::transport_lines(
        "udp",
        udp.checksum,
        at + 6,
        b.len(),
        verdict,
        checksum::Evidence {
            partial: Some(partial),
            sent_by_capturing_host: b.sent_by_capturing_host(),
        },
    ) {
        node.push(line);
    }
    if let Some(stream) = b.ctx.extras.udp_stream {
        node.push(Node::generated(
            format!("Stream index: {stream}"),
            Some("udp.stream"),
        ));
    }
    if let Some((first, previous)) = b.ctx.extras.udp_times {
        node.push(
            Node::generated("Timestamps", None)
                .child(Node::generated(
                    format!(
                        "Time since first frame: {} seconds",
                        seconds(i128::from(first))
                    ),
                    Some("udp.time_relative"),
                ))
                .child(Node::generated(
                    format!(
                        "Time since previous frame: {} seconds",
                        seconds(i128::from(previous))
                    ),
                    Some("udp.time_delta"),
                )),
        );
    }
    let payload_len = datagram_len.saturating_sub(8);
    // Wireshark counts the payload bytes captured here (TCP counts those on the wire).
    let captured = b.len().saturating_sub(at + 8).min(payload_len);
    if captured > 0 {
        node.push(Node::field(
            format!("UDP payload ({captured} bytes)"),
            "udp.payload",
            b.span(at + 8, captured),
        ));
    }
    b.nodes.push(node);
    (at + 8, payload_len)
}
