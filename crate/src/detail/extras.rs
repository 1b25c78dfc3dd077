//! Facts about a frame that depend on the frames before it, gathered for its detail tree:
//! Wireshark's IP and UDP conversation indices (the analysis's, see
//! [`crate::analysis::Report::ip_streams`]), and a TCP frame's number within its stream, its
//! stream timestamps, "bytes sent since last PSH flag", which FIN initiates the close and its
//! direction's window scale (the tracker's, see [`crate::tcp::walk`]).
//!
//! These are the types; [`super::report::extras`] gathers them for one frame when the frame
//! is opened.

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

pub use crate::tcp::walk::Closing;

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
