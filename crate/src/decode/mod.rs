//! Raw frame → decoded headers, and the Source/Destination/Protocol/Info of a frame row.
//!
//! Promise: `decode` never panics and never fails; whatever it cannot read it records in
//! `Decoded::problems` (naming the layer and what was missing) and keeps what it read before.
//! Headers are read with etherparse; the link layers etherparse lacks (Linux cooked v1/v2,
//! BSD null/loop) are read here.

use serde::Serialize;
use std::net::IpAddr;

/// Everything decoded from one frame. Owned, so it can outlive the capture buffer.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Decoded {
    /// Link type the frame was read with (LINKTYPE_*).
    pub link_type: u32,
    /// Network layer, where there is one.
    pub ip: Option<IpHeader>,
    pub tcp: Option<TcpSegment>,
    pub udp: Option<UdpDatagram>,
    /// Protocol column text, Wireshark's name ("TCP", "HTTP", "UDP", "ICMP", "ARP", ...).
    pub protocol: String,
    /// Source and Destination column texts.
    pub src: String,
    pub dst: String,
    /// What could not be read, one sentence each, naming the layer.
    pub problems: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct IpHeader {
    pub version: u8,
    pub src: IpAddr,
    pub dst: IpAddr,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct TcpSegment {
    pub src_port: u16,
    pub dst_port: u16,
    pub seq: u32,
    pub ack: u32,
    /// The 12 flag bits (NS/AE, CWR, ECE, URG, ACK, PSH, RST, SYN, FIN and the 3 reserved).
    pub flags: u16,
    pub window: u16,
    pub header_len: u8,
    /// Payload length from the IP lengths (tshark's tcp.len), not the captured length.
    pub payload_len: u32,
    /// Offset of the payload in the frame, and how many of its bytes were captured.
    pub payload_offset: u32,
    pub payload_captured: u32,
    pub options: Vec<TcpOption>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum TcpOption {
    EndOfList,
    Nop,
    MaxSegmentSize(u16),
    WindowScale(u8),
    SackPermitted,
    Sack(Vec<(u32, u32)>),
    Timestamp { value: u32, echo: u32 },
    Unknown { kind: u8, len: u8 },
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct UdpDatagram {
    pub src_port: u16,
    pub dst_port: u16,
    pub length: u16,
}

/// Decodes one frame. Placeholder until the decoder lands: records the link type only.
pub fn decode(link_type: u32, _data: &[u8]) -> Decoded {
    Decoded {
        link_type,
        protocol: "Unknown".into(),
        ..Decoded::default()
    }
}

/// The Info column of a frame. `tcp` carries the tracker's relative numbers and flags for TCP
/// frames. Placeholder until the decoder lands.
pub fn info_text(decoded: &Decoded, tcp: Option<&crate::tcp::TcpFrameFacts>) -> String {
    match (&decoded.tcp, tcp) {
        (Some(seg), Some(facts)) => format!(
            "{}{} \u{2192} {} Seq={} Ack={} Win={} Len={}",
            facts.info_prefix(),
            seg.src_port,
            seg.dst_port,
            facts.relative_seq,
            facts.relative_ack,
            facts.window_calc,
            seg.payload_len
        ),
        _ => String::new(),
    }
}
