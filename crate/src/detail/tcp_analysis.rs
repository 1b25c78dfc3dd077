//! The TCP node's generated subtrees: conversation completeness with its flag bits, the
//! stream timestamps, and SEQ/ACK analysis (acked frame, RTT, iRTT, bytes in flight, bytes
//! since the last PSH, the analysis flags with their expert infos, duplicate ACKs).
//!
//! Promise: everything here comes from the tracker's facts; nothing is recomputed from bytes.
//! Layout and wording follow Wireshark's tcp_print_sequence_number_analysis.

use super::node::{bit_label, expert, seconds, Node, Severity};
use crate::tcp::{Completeness, Flag, TcpFrameFacts};

/// Wireshark's words for a completeness value (packet-tcp.c's conversation_completeness_fill).
fn completeness_words(value: u8) -> &'static str {
    match value {
        1 => "Incomplete, SYN_SENT",
        3 => "Incomplete, CLIENT_ESTABLISHED",
        7 => "Incomplete, ESTABLISHED",
        15 => "Incomplete, DATA",
        31 | 47 | 63 => "Complete, WITH_DATA",
        23 | 39 | 55 => "Complete, NO_DATA",
        _ => "Incomplete",
    }
}

/// `[Conversation completeness: Complete, WITH_DATA (31)]` with one line per flag bit and the
/// flag string, as Wireshark 4.2 and later show it.
pub fn completeness(c: &Completeness) -> Node {
    let value = u64::from(c.value);
    let present = |mask: u8| {
        if c.value & mask != 0 {
            "Present"
        } else {
            "Absent"
        }
    };
    let line = |mask: u8, name: &str, field: &'static str| {
        Node::computed(
            bit_label(
                value,
                u64::from(mask),
                8,
                format!("{name}: {}", present(mask)),
            ),
            field,
        )
    };
    Node::generated(
        format!(
            "Conversation completeness: {} ({})",
            completeness_words(c.value),
            c.value
        ),
        Some("tcp.completeness"),
    )
    .child(line(0x20, "RST", "tcp.completeness.rst"))
    .child(line(0x10, "FIN", "tcp.completeness.fin"))
    .child(line(0x08, "Data", "tcp.completeness.data"))
    .child(line(0x04, "ACK", "tcp.completeness.ack"))
    .child(line(0x02, "SYN-ACK", "tcp.completeness.syn-ack"))
    .child(line(0x01, "SYN", "tcp.completeness.syn"))
    .child(Node::generated(
        format!("Completeness Flags: {}", c.flags()),
        Some("tcp.completeness.str"),
    ))
}

/// `[Timestamps]`: time since the stream's first frame and since its previous frame.
pub fn timestamps(since_first_ns: i128, since_previous_ns: i128) -> Node {
    Node::generated("Timestamps", None)
        .child(Node::generated(
            format!(
                "Time since first frame in this TCP stream: {} seconds",
                seconds(since_first_ns)
            ),
            Some("tcp.time_relative"),
        ))
        .child(Node::generated(
            format!(
                "Time since previous frame in this TCP stream: {} seconds",
                seconds(since_previous_ns)
            ),
            Some("tcp.time_delta"),
        ))
}

/// Seconds as the tracker keeps them, back to whole nanoseconds (the tracker divided an
/// integer count of nanoseconds, so rounding recovers it exactly).
fn nanos(seconds: f64) -> i128 {
    if seconds.is_finite() {
        (seconds * 1e9).round() as i128
    } else {
        0
    }
}

fn flag_expert(severity: Severity, message: &str, field: &'static str) -> Node {
    let mut node = expert(severity, "Sequence", message);
    node.field = Some(field);
    node
}

/// `[SEQ/ACK analysis]`, present when Wireshark keeps analysis data for the frame: it
/// acknowledges a segment, has bytes in flight, or carries an analysis flag.
pub fn seq_ack(f: &TcpFrameFacts, push_bytes_sent: Option<u32>) -> Option<Node> {
    let dup_ack = f.dup_ack_num.zip(f.dup_ack_of);
    if f.acked_frame.is_none()
        && f.bytes_in_flight.is_none()
        && f.analysis.is_empty()
        && dup_ack.is_none()
    {
        return None;
    }
    let mut node = Node::generated("SEQ/ACK analysis", Some("tcp.analysis"));
    if let Some(frame) = f.acked_frame {
        node.push(Node::generated(
            format!("This is an ACK to the segment in frame: {frame}"),
            Some("tcp.analysis.acks_frame"),
        ));
        if let Some(rtt) = f.ack_rtt.filter(|r| *r != 0.0) {
            node.push(Node::generated(
                format!(
                    "The RTT to ACK the segment was: {} seconds",
                    seconds(nanos(rtt))
                ),
                Some("tcp.analysis.ack_rtt"),
            ));
        }
    }
    if let Some(irtt) = f.irtt {
        node.push(Node::generated(
            format!("iRTT: {} seconds", seconds(nanos(irtt))),
            Some("tcp.analysis.initial_rtt"),
        ));
    }
    if let Some(in_flight) = f.bytes_in_flight {
        node.push(Node::generated(
            format!("Bytes in flight: {in_flight}"),
            Some("tcp.analysis.bytes_in_flight"),
        ));
        if let Some(pushed) = push_bytes_sent {
            node.push(Node::generated(
                format!("Bytes sent since last PSH flag: {pushed}"),
                Some("tcp.analysis.push_bytes_sent"),
            ));
        }
    }
    if !f.analysis.is_empty() {
        node.push(flags(f));
    }
    if let Some((number, frame)) = dup_ack {
        node.push(Node::generated(
            format!("Duplicate ACK #: {number}"),
            Some("tcp.analysis.duplicate_ack_num"),
        ));
        let mut e = expert(
            Severity::Note,
            "Sequence",
            format!("Duplicate ACK (#{number})"),
        );
        e.field = Some("tcp.analysis.duplicate_ack");
        node.push(
            Node::generated(
                format!("Duplicate to the ACK in frame: {frame}"),
                Some("tcp.analysis.duplicate_ack_frame"),
            )
            .child(e),
        );
    }
    Some(node)
}

/// `[TCP Analysis Flags]` with one expert info per flag, in Wireshark's order.
fn flags(f: &TcpFrameFacts) -> Node {
    let a = f.analysis;
    let mut node = Node::generated("TCP Analysis Flags", Some("tcp.analysis.flags"));
    if a.has(Flag::ReusedPorts) {
        node.push(expert(
            Severity::Note,
            "Sequence",
            "A new tcp session is started with the same ports as an earlier session in this trace",
        ));
        if let Some(last) = node.children.last_mut() {
            last.field = Some("tcp.analysis.reused_ports");
        }
    }
    let retransmission = flag_expert(
        Severity::Note,
        "This frame is a (suspected) retransmission",
        "tcp.analysis.retransmission",
    );
    if a.has(Flag::FastRetransmission) {
        node.push(flag_expert(
            Severity::Note,
            "This frame is a (suspected) fast retransmission",
            "tcp.analysis.fast_retransmission",
        ));
        node.push(retransmission);
    } else if a.has(Flag::SpuriousRetransmission) {
        node.push(flag_expert(
            Severity::Note,
            "This frame is a (suspected) spurious retransmission",
            "tcp.analysis.spurious_retransmission",
        ));
        node.push(retransmission);
    } else if a.has(Flag::Retransmission) {
        node.push(retransmission);
    }
    // Wireshark's order: loss, window and keep-alive flags, then the duplicate ACK line, then
    // the zero-window ones.
    let before_dup: [(Flag, Severity, &str, &'static str); 7] = [
        (
            Flag::OutOfOrder,
            Severity::Warn,
            "This frame is a (suspected) out-of-order segment",
            "tcp.analysis.out_of_order",
        ),
        (
            Flag::LostSegment,
            Severity::Warn,
            "Previous segment(s) not captured (common at capture start)",
            "tcp.analysis.lost_segment",
        ),
        (
            Flag::AckLostSegment,
            Severity::Warn,
            "ACKed segment that wasn't captured (common at capture start)",
            "tcp.analysis.ack_lost_segment",
        ),
        (
            Flag::WindowUpdate,
            Severity::Chat,
            "TCP window update",
            "tcp.analysis.window_update",
        ),
        (
            Flag::WindowFull,
            Severity::Warn,
            "TCP window specified by the receiver is now completely full",
            "tcp.analysis.window_full",
        ),
        (
            Flag::KeepAlive,
            Severity::Note,
            "TCP keep-alive segment",
            "tcp.analysis.keep_alive",
        ),
        (
            Flag::KeepAliveAck,
            Severity::Note,
            "ACK to a TCP keep-alive segment",
            "tcp.analysis.keep_alive_ack",
        ),
    ];
    let after_dup: [(Flag, Severity, &str, &'static str); 3] = [
        (
            Flag::ZeroWindowProbe,
            Severity::Note,
            "TCP Zero Window Probe",
            "tcp.analysis.zero_window_probe",
        ),
        (
            Flag::ZeroWindow,
            Severity::Warn,
            "TCP Zero Window segment",
            "tcp.analysis.zero_window",
        ),
        (
            Flag::ZeroWindowProbeAck,
            Severity::Note,
            "ACK to a TCP Zero Window Probe",
            "tcp.analysis.zero_window_probe_ack",
        ),
    ];
    for (flag, severity, message, field) in before_dup {
        if a.has(flag) {
            node.push(flag_expert(severity, message, field));
        }
    }
    if a.has(Flag::DuplicateAck) && f.dup_ack_num.is_some() {
        node.push(Node::generated(
            "This is a TCP duplicate ack",
            Some("tcp.analysis.duplicate_ack"),
        ));
    }
    for (flag, severity, message, field) in after_dup {
        if a.has(flag) {
            node.push(flag_expert(severity, message, field));
        }
    }
    node
}
