//! Facts about a frame that depend on the frames before it and that neither the decoder nor
//! the TCP tracker records: Wireshark's IP and UDP conversation indices, a TCP frame's number
//! within its stream and its stream timestamps, "bytes sent since last PSH flag", which FIN
//! initiates the close, and each direction's window scale as Wireshark prints it.
//!
//! These are the types; [`super::report::extras`] computes them for one frame from a
//! report's records when the frame is opened. The rules are packet-tcp.c's (push_bytes_sent,
//! closing_initiator, win_scale) and Wireshark 4.4's conversation indices (ip.stream,
//! ipv6.stream, udp.stream).

use serde::Serialize;

/// How `[Window size scaling factor: …]` reads for a frame's direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WindowScaleShown {
    /// "-1 (unknown)": no SYN of this direction was seen.
    Unknown,
    /// "-2 (no window scaling used)": a SYN without the option turned scaling off.
    NotUsed,
    /// The multiplier, 1 << shift.
    Multiplier(u32),
}

/// Which side of the close a FIN is on (Wireshark's fin_active / fin_passive notes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Closing {
    Initiates,
    Undergoes,
}

/// What [`super::report::extras`] found for one frame. Small and `Copy`, to keep beside each
/// frame.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FrameExtras {
    /// Index of the outer IP header's address pair among the capture's IP conversations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_stream: Option<u32>,
    /// The same for the inner IP header of a tunnel.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inner_ip_stream: Option<u32>,
    /// tcp.stream.pnum: 1 for a stream's first frame.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tcp_stream_packet: Option<u32>,
    /// Nanoseconds since the TCP stream's first frame and since its previous frame.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tcp_times: Option<(i64, i64)>,
    /// tcp.analysis.push_bytes_sent, where Wireshark computes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub push_bytes_sent: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closing: Option<Closing>,
    /// For TCP frames: the sender's window scale, as finally known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window_scale: Option<WindowScaleShown>,
    /// udp.stream
    #[serde(skip_serializing_if = "Option::is_none")]
    pub udp_stream: Option<u32>,
    /// Nanoseconds since the UDP stream's first frame and since its previous frame.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub udp_times: Option<(i64, i64)>,
}
