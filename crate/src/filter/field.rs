//! The fields a display filter can name: Wireshark's names and types for what this project
//! decodes, and which of them a compact per-frame index holds.
//!
//! Promise: [`Field::from_name`] knows exactly the names in the table below (plus the
//! 3.x name `tcp.flags.ns` for `tcp.flags.ae`); [`Field::name`] gives Wireshark's name back;
//! [`Field::kind`] is the Wireshark 4.0 field type (`tshark -G fields`).

use super::value::ValueKind;
use crate::tcp::{AnalysisFlags, Flag};

/// Declares the field enum and its table in one place, so that a name, a type and the
/// index flag cannot drift apart.
macro_rules! fields {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal, $kind:ident, $indexed:literal; )*) => {
        /// A field (or protocol) a display filter can name.
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
        pub enum Field {
            $( $(#[$doc])* $variant, )*
        }

        impl Field {
            /// Every field, in table order.
            pub const ALL: &'static [Field] = &[ $( Field::$variant, )* ];

            /// Wireshark's name of the field, e.g. `"tcp.flags.syn"`.
            pub fn name(self) -> &'static str {
                match self { $( Field::$variant => $name, )* }
            }

            /// Wireshark 4.0's type of the field.
            pub fn kind(self) -> ValueKind {
                match self { $( Field::$variant => ValueKind::$kind, )* }
            }

            /// Whether a compact per-frame index holds this field (no need for the frame's
            /// bytes). `frame` counts as indexed: every frame has it, and the filter never
            /// asks a source whether it exists.
            pub fn indexed(self) -> bool {
                match self { $( Field::$variant => $indexed, )* }
            }
        }
    };
}

fields! {
    Frame = "frame", Protocol, true;
    FrameNumber = "frame.number", Uint32, true;
    FrameLen = "frame.len", Uint32, true;
    FrameCapLen = "frame.cap_len", Uint32, true;
    FrameTimeRelative = "frame.time_relative", Time, true;
    FrameTimeDelta = "frame.time_delta", Time, true;
    FrameTimeEpoch = "frame.time_epoch", Time, true;

    Eth = "eth", Protocol, true;
    EthAddr = "eth.addr", Mac, false;
    EthSrc = "eth.src", Mac, false;
    EthDst = "eth.dst", Mac, false;
    Sll = "sll", Protocol, true;
    Vlan = "vlan", Protocol, true;
    VlanId = "vlan.id", Uint16, false;

    Ip = "ip", Protocol, true;
    IpAddr = "ip.addr", Ipv4, true;
    IpSrc = "ip.src", Ipv4, true;
    IpDst = "ip.dst", Ipv4, true;
    IpProto = "ip.proto", Uint8, false;
    IpTtl = "ip.ttl", Uint8, false;
    IpId = "ip.id", Uint16, false;
    IpLen = "ip.len", Uint16, false;
    IpFlagsDf = "ip.flags.df", Bool, false;
    IpFlagsMf = "ip.flags.mf", Bool, false;

    Ipv6 = "ipv6", Protocol, true;
    Ipv6Addr = "ipv6.addr", Ipv6, true;
    Ipv6Src = "ipv6.src", Ipv6, true;
    Ipv6Dst = "ipv6.dst", Ipv6, true;
    Ipv6Nxt = "ipv6.nxt", Uint8, false;
    Ipv6Hlim = "ipv6.hlim", Uint8, false;

    Tcp = "tcp", Protocol, true;
    TcpPort = "tcp.port", Uint16, true;
    TcpSrcPort = "tcp.srcport", Uint16, true;
    TcpDstPort = "tcp.dstport", Uint16, true;
    TcpStream = "tcp.stream", Uint32, true;
    TcpSeq = "tcp.seq", Uint32, true;
    TcpSeqRaw = "tcp.seq_raw", Uint32, true;
    TcpAck = "tcp.ack", Uint32, true;
    TcpAckRaw = "tcp.ack_raw", Uint32, true;
    TcpNxtSeq = "tcp.nxtseq", Uint32, true;
    TcpLen = "tcp.len", Uint32, true;
    TcpHdrLen = "tcp.hdr_len", Uint8, false;
    TcpFlags = "tcp.flags", Uint16, true;
    TcpFlagsRes = "tcp.flags.res", Bool, true;
    TcpFlagsAe = "tcp.flags.ae", Bool, true;
    TcpFlagsCwr = "tcp.flags.cwr", Bool, true;
    TcpFlagsEce = "tcp.flags.ece", Bool, true;
    TcpFlagsUrg = "tcp.flags.urg", Bool, true;
    TcpFlagsAck = "tcp.flags.ack", Bool, true;
    TcpFlagsPush = "tcp.flags.push", Bool, true;
    TcpFlagsReset = "tcp.flags.reset", Bool, true;
    TcpFlagsSyn = "tcp.flags.syn", Bool, true;
    TcpFlagsFin = "tcp.flags.fin", Bool, true;
    TcpWindowSizeValue = "tcp.window_size_value", Uint16, true;
    TcpWindowSize = "tcp.window_size", Uint32, true;
    TcpChecksum = "tcp.checksum", Uint16, false;
    TcpUrgentPointer = "tcp.urgent_pointer", Uint16, false;
    TcpOptionsMssVal = "tcp.options.mss_val", Uint16, false;
    TcpOptionsWscaleShift = "tcp.options.wscale.shift", Uint8, false;
    TcpOptionsSackPerm = "tcp.options.sack_perm", Protocol, false;
    TcpPayload = "tcp.payload", Bytes, false;

    /// Present when any analysis flag is set on the frame.
    TcpAnalysisFlags = "tcp.analysis.flags", Label, true;
    TcpAnalysisRetransmission = "tcp.analysis.retransmission", Label, true;
    TcpAnalysisFastRetransmission = "tcp.analysis.fast_retransmission", Label, true;
    TcpAnalysisSpuriousRetransmission = "tcp.analysis.spurious_retransmission", Label, true;
    TcpAnalysisOutOfOrder = "tcp.analysis.out_of_order", Label, true;
    TcpAnalysisLostSegment = "tcp.analysis.lost_segment", Label, true;
    TcpAnalysisAckLostSegment = "tcp.analysis.ack_lost_segment", Label, true;
    TcpAnalysisDuplicateAck = "tcp.analysis.duplicate_ack", Label, true;
    TcpAnalysisZeroWindow = "tcp.analysis.zero_window", Label, true;
    TcpAnalysisWindowFull = "tcp.analysis.window_full", Label, true;
    TcpAnalysisWindowUpdate = "tcp.analysis.window_update", Label, true;
    TcpAnalysisKeepAlive = "tcp.analysis.keep_alive", Label, true;
    TcpAnalysisKeepAliveAck = "tcp.analysis.keep_alive_ack", Label, true;
    TcpAnalysisZeroWindowProbe = "tcp.analysis.zero_window_probe", Label, true;
    TcpAnalysisZeroWindowProbeAck = "tcp.analysis.zero_window_probe_ack", Label, true;
    TcpAnalysisReusedPorts = "tcp.analysis.reused_ports", Label, true;
    TcpAnalysisDuplicateAckNum = "tcp.analysis.duplicate_ack_num", Uint32, true;
    TcpAnalysisDuplicateAckFrame = "tcp.analysis.duplicate_ack_frame", FrameNumber, true;
    TcpAnalysisAcksFrame = "tcp.analysis.acks_frame", FrameNumber, true;
    TcpAnalysisAckRtt = "tcp.analysis.ack_rtt", Time, true;
    TcpAnalysisBytesInFlight = "tcp.analysis.bytes_in_flight", Uint32, true;
    TcpAnalysisInitialRtt = "tcp.analysis.initial_rtt", Time, true;

    Udp = "udp", Protocol, true;
    UdpPort = "udp.port", Uint16, true;
    UdpSrcPort = "udp.srcport", Uint16, true;
    UdpDstPort = "udp.dstport", Uint16, true;
    UdpLength = "udp.length", Uint16, false;

    Icmp = "icmp", Protocol, true;
    IcmpType = "icmp.type", Uint8, false;
    IcmpCode = "icmp.code", Uint8, false;
    Icmpv6 = "icmpv6", Protocol, true;
    Icmpv6Type = "icmpv6.type", Uint8, false;
    Icmpv6Code = "icmpv6.code", Uint8, false;

    Arp = "arp", Protocol, true;
    ArpOpcode = "arp.opcode", Uint16, false;
    ArpSrcHwMac = "arp.src.hw_mac", Mac, false;
    ArpDstHwMac = "arp.dst.hw_mac", Mac, false;
    ArpSrcProtoIpv4 = "arp.src.proto_ipv4", Ipv4, false;
    ArpDstProtoIpv4 = "arp.dst.proto_ipv4", Ipv4, false;

    Http = "http", Protocol, true;
    HttpRequest = "http.request", Bool, true;
    HttpResponse = "http.response", Bool, true;
    HttpRequestMethod = "http.request.method", Str, true;
    HttpRequestUri = "http.request.uri", Str, true;
    HttpRequestVersion = "http.request.version", Str, true;
    HttpResponseCode = "http.response.code", Uint16, true;
    HttpResponsePhrase = "http.response.phrase", Str, true;
    HttpContentType = "http.content_type", Str, false;
    HttpHost = "http.host", Str, false;
}

impl Field {
    /// The field of this name, if it is one this project knows. `tcp.flags.ns` (the name
    /// before Wireshark 4.0) is taken for `tcp.flags.ae`.
    pub fn from_name(name: &str) -> Option<Field> {
        if name == "tcp.flags.ns" {
            return Some(Field::TcpFlagsAe);
        }
        Field::ALL.iter().copied().find(|f| f.name() == name)
    }

    /// The TCP analysis flag this field tests, for the `tcp.analysis.<flag>` fields.
    pub fn analysis_flag(self) -> Option<Flag> {
        Some(match self {
            Field::TcpAnalysisRetransmission => Flag::Retransmission,
            Field::TcpAnalysisFastRetransmission => Flag::FastRetransmission,
            Field::TcpAnalysisSpuriousRetransmission => Flag::SpuriousRetransmission,
            Field::TcpAnalysisOutOfOrder => Flag::OutOfOrder,
            Field::TcpAnalysisLostSegment => Flag::LostSegment,
            Field::TcpAnalysisAckLostSegment => Flag::AckLostSegment,
            Field::TcpAnalysisDuplicateAck => Flag::DuplicateAck,
            Field::TcpAnalysisZeroWindow => Flag::ZeroWindow,
            Field::TcpAnalysisWindowFull => Flag::WindowFull,
            Field::TcpAnalysisWindowUpdate => Flag::WindowUpdate,
            Field::TcpAnalysisKeepAlive => Flag::KeepAlive,
            Field::TcpAnalysisKeepAliveAck => Flag::KeepAliveAck,
            Field::TcpAnalysisZeroWindowProbe => Flag::ZeroWindowProbe,
            Field::TcpAnalysisZeroWindowProbeAck => Flag::ZeroWindowProbeAck,
            Field::TcpAnalysisReusedPorts => Flag::ReusedPorts,
            _ => return None,
        })
    }

    /// Whether a `tcp.analysis.*` existence field (or `tcp.analysis.flags`) is present on a
    /// frame with these analysis flags. As tshark 4.0 shows them, a fast or spurious
    /// retransmission is also a `tcp.analysis.retransmission`. `None` for other fields.
    pub fn analysis_present(self, flags: AnalysisFlags) -> Option<bool> {
        if self == Field::TcpAnalysisFlags {
            return Some(!flags.is_empty());
        }
        Some(flags.shows(self.analysis_flag()?))
    }

    /// Whether this is one of the `tcp.analysis.*` fields.
    pub fn is_tcp_analysis(self) -> bool {
        self.name().starts_with("tcp.analysis.")
    }

    /// Whether this is `http` or one of the `http.*` fields.
    pub fn is_http(self) -> bool {
        self == Field::Http || self.name().starts_with("http.")
    }

    /// For the `tcp.flags.*` bits: the bits of the flag word the field tests.
    pub fn tcp_flag_mask(self) -> Option<u16> {
        use crate::decode::tcp_flags as bits;
        Some(match self {
            Field::TcpFlagsRes => bits::RESERVED,
            Field::TcpFlagsAe => bits::AE,
            Field::TcpFlagsCwr => bits::CWR,
            Field::TcpFlagsEce => bits::ECE,
            Field::TcpFlagsUrg => bits::URG,
            Field::TcpFlagsAck => bits::ACK,
            Field::TcpFlagsPush => bits::PSH,
            Field::TcpFlagsReset => bits::RST,
            Field::TcpFlagsSyn => bits::SYN,
            Field::TcpFlagsFin => bits::FIN,
            _ => return None,
        })
    }
}

impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
