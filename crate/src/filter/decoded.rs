//! [`FieldSource`] for a frame decoded in full: its bytes, the decoder's headers, the TCP
//! tracker's facts and the HTTP messages it shows.
//!
//! Promise: reports each field's occurrences as tshark 4.0 does for what the decoder reads
//! (`ip.addr` is the source and destination of every IPv4 header, outer and inner in a
//! tunnel; `tcp.port` both ports); never panics, whatever the headers claim (every slice of
//! `bytes` is bounds-checked). Known differences: the Ethernet header and UDP header inside
//! a tunnel are not kept by the decoder, so `eth.*` and `udp.*` report the outer Ethernet
//! header only and nothing of a tunnel's UDP; the IP header quoted in an ICMP error is not
//! decoded, so its addresses are not among `ip.addr`; a protocol's bytes are what this frame
//! holds (`http` is the TCP payload, not the reassembled message); `http.host` is known only
//! where the caller fills [`HttpMessage::host`].

use super::{Field, FieldSource, Value};
use crate::decode::{Decoded, IpHeader, LinkKind, TcpOption};
use crate::tcp::TcpFrameFacts;

/// One HTTP message a frame shows (Wireshark places a message in the frame that completes it).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpMessage {
    /// A request (else a response).
    pub request: bool,
    /// Request: method, URI, version ("HTTP/1.1"). Response: `version` too.
    pub method: String,
    pub uri: String,
    pub version: String,
    /// Response: status code and reason phrase.
    pub code: Option<u16>,
    pub phrase: String,
    pub content_type: Option<String>,
    pub host: Option<String>,
}

/// A frame with everything known about it.
pub struct DecodedFrame<'a> {
    pub number: u32,
    pub orig_len: u32,
    pub cap_len: u32,
    /// Seconds since the first frame, since the previous frame, since the epoch.
    pub time_relative: f64,
    pub time_delta: f64,
    pub time_epoch: f64,
    /// The frame's captured bytes.
    pub bytes: &'a [u8],
    pub decoded: &'a Decoded,
    /// The tracker's results for this frame (TCP frames).
    pub tcp: Option<&'a TcpFrameFacts>,
    /// HTTP messages this frame shows (completes), usually 0 or 1.
    pub http: &'a [HttpMessage],
}

impl<'a> DecodedFrame<'a> {
    /// `bytes[offset..offset + len]`, cut to what was captured.
    fn span(&self, offset: u32, len: u32) -> &'a [u8] {
        let start = (offset as usize).min(self.bytes.len());
        let end = start.saturating_add(len as usize).min(self.bytes.len());
        self.bytes.get(start..end).unwrap_or(&[])
    }

    /// Every IP header of the frame, outer first.
    fn ip_headers(&self) -> impl Iterator<Item = &'a IpHeader> {
        self.decoded.ip.iter().chain(self.decoded.inner_ip.iter())
    }

    fn ipv4_headers(&self) -> impl Iterator<Item = &'a IpHeader> {
        self.ip_headers().filter(|h| h.version == 4)
    }

    fn ipv6_headers(&self) -> impl Iterator<Item = &'a IpHeader> {
        self.ip_headers().filter(|h| h.version == 6)
    }

    fn tcp_payload(&self) -> Option<&'a [u8]> {
        let tcp = self.decoded.tcp.as_ref()?;
        Some(self.span(tcp.payload_offset, tcp.payload_captured))
    }
}

impl FieldSource for DecodedFrame<'_> {
    fn values<'s>(&'s self, field: Field, out: &mut Vec<Value<'s>>) {
        use Field as F;
        let d = self.decoded;
        let uint = |out: &mut Vec<Value<'s>>, v: u64| out.push(Value::Uint(v));
        let ethernet = d.link.as_ref().filter(|l| l.kind == LinkKind::Ethernet);
        let tcp = d.tcp.as_ref();
        let facts = self.tcp;
        let icmp = |version: u8| d.icmp.as_ref().filter(|i| i.version == version);
        match field {
            F::Frame => out.push(Value::Protocol(self.bytes)),
            F::FrameNumber => uint(out, u64::from(self.number)),
            F::FrameLen => uint(out, u64::from(self.orig_len)),
            F::FrameCapLen => uint(out, u64::from(self.cap_len)),
            F::FrameTimeRelative => out.push(Value::Time(self.time_relative)),
            F::FrameTimeDelta => out.push(Value::Time(self.time_delta)),
            F::FrameTimeEpoch => out.push(Value::Time(self.time_epoch)),

            F::Eth => {
                if let Some(link) = ethernet {
                    out.push(Value::Protocol(self.span(link.offset, u32::MAX)));
                }
            }
            F::EthAddr | F::EthSrc | F::EthDst => {
                let Some(link) = ethernet else { return };
                let dst = link.dst;
                let src = link.src.and_then(|s| s.first_chunk::<6>().copied());
                // Wireshark adds eth.addr for the destination, then the source.
                let wanted: [Option<[u8; 6]>; 2] = match field {
                    F::EthDst => [dst, None],
                    F::EthSrc => [src, None],
                    _ => [dst, src],
                };
                out.extend(wanted.into_iter().flatten().map(Value::Mac));
            }
            F::Sll => {
                if let Some(link) = d
                    .link
                    .as_ref()
                    .filter(|l| matches!(l.kind, LinkKind::LinuxSll | LinkKind::LinuxSll2))
                {
                    out.push(Value::Protocol(self.span(link.offset, link.len)));
                }
            }
            F::Vlan => out.extend(
                d.vlans
                    .iter()
                    .map(|tag| Value::Protocol(self.span(tag.offset, 4))),
            ),
            F::VlanId => out.extend(d.vlans.iter().map(|tag| Value::Uint(u64::from(tag.id)))),

            F::Ip => out.extend(
                self.ipv4_headers()
                    .map(|h| Value::Protocol(self.span(h.offset, h.total_len))),
            ),
            F::IpAddr => {
                for h in self.ipv4_headers() {
                    out.push(h.src.into());
                    out.push(h.dst.into());
                }
            }
            F::IpSrc => self.ipv4_headers().for_each(|h| out.push(h.src.into())),
            F::IpDst => self.ipv4_headers().for_each(|h| out.push(h.dst.into())),
            F::IpProto => self
                .ipv4_headers()
                .for_each(|h| uint(out, u64::from(h.protocol))),
            F::IpTtl => self
                .ipv4_headers()
                .for_each(|h| uint(out, u64::from(h.ttl))),
            F::IpId => self
                .ipv4_headers()
                .for_each(|h| uint(out, u64::from(h.identification))),
            F::IpLen => self
                .ipv4_headers()
                .for_each(|h| uint(out, u64::from(h.total_len))),
            F::IpFlagsDf => out.extend(self.ipv4_headers().map(|h| Value::Bool(h.dont_fragment))),
            F::IpFlagsMf => out.extend(self.ipv4_headers().map(|h| Value::Bool(h.more_fragments))),

            F::Ipv6 => out.extend(
                self.ipv6_headers()
                    .map(|h| Value::Protocol(self.span(h.offset, h.total_len))),
            ),
            F::Ipv6Addr => {
                for h in self.ipv6_headers() {
                    out.push(h.src.into());
                    out.push(h.dst.into());
                }
            }
            F::Ipv6Src => self.ipv6_headers().for_each(|h| out.push(h.src.into())),
            F::Ipv6Dst => self.ipv6_headers().for_each(|h| out.push(h.dst.into())),
            // ipv6.nxt is the fixed header's Next Header: the first extension's kind if any.
            F::Ipv6Nxt => self.ipv6_headers().for_each(|h| {
                let first = h.extensions.first().map_or(h.protocol, |e| e.kind);
                uint(out, u64::from(first))
            }),
            F::Ipv6Hlim => self
                .ipv6_headers()
                .for_each(|h| uint(out, u64::from(h.ttl))),

            F::Tcp => {
                if let Some(t) = tcp {
                    let end = t.payload_offset.saturating_add(t.payload_captured);
                    out.push(Value::Protocol(
                        self.span(t.offset, end.saturating_sub(t.offset)),
                    ));
                }
            }
            F::TcpPort => {
                if let Some(t) = tcp {
                    uint(out, u64::from(t.src_port));
                    uint(out, u64::from(t.dst_port));
                }
            }
            F::TcpSrcPort => tcp
                .into_iter()
                .for_each(|t| uint(out, u64::from(t.src_port))),
            F::TcpDstPort => tcp
                .into_iter()
                .for_each(|t| uint(out, u64::from(t.dst_port))),
            F::TcpStream => facts
                .into_iter()
                .for_each(|f| uint(out, u64::from(f.stream))),
            F::TcpSeq => {
                if let Some(t) = tcp {
                    let seq = facts.map_or(t.seq, |f| f.relative_seq);
                    uint(out, u64::from(seq));
                }
            }
            F::TcpSeqRaw => tcp.into_iter().for_each(|t| uint(out, u64::from(t.seq))),
            F::TcpAck => {
                if let Some(t) = tcp {
                    let ack = facts.map_or(t.ack, |f| f.relative_ack);
                    uint(out, u64::from(ack));
                }
            }
            F::TcpAckRaw => tcp.into_iter().for_each(|t| uint(out, u64::from(t.ack))),
            F::TcpNxtSeq => facts
                .into_iter()
                .for_each(|f| uint(out, u64::from(f.next_seq))),
            F::TcpLen => tcp
                .into_iter()
                .for_each(|t| uint(out, u64::from(t.payload_len))),
            F::TcpHdrLen => tcp
                .into_iter()
                .for_each(|t| uint(out, u64::from(t.header_len))),
            F::TcpFlags => tcp
                .into_iter()
                .for_each(|t| uint(out, u64::from(t.flags & 0x0fff))),
            F::TcpFlagsRes
            | F::TcpFlagsAe
            | F::TcpFlagsCwr
            | F::TcpFlagsEce
            | F::TcpFlagsUrg
            | F::TcpFlagsAck
            | F::TcpFlagsPush
            | F::TcpFlagsReset
            | F::TcpFlagsSyn
            | F::TcpFlagsFin => {
                if let (Some(t), Some(mask)) = (tcp, field.tcp_flag_mask()) {
                    out.push(Value::Bool(t.flags & mask != 0));
                }
            }
            F::TcpWindowSizeValue => tcp.into_iter().for_each(|t| uint(out, u64::from(t.window))),
            F::TcpWindowSize => {
                if let Some(t) = tcp {
                    uint(out, facts.map_or(u64::from(t.window), |f| f.window_calc));
                }
            }
            F::TcpChecksum => tcp
                .into_iter()
                .for_each(|t| uint(out, u64::from(t.checksum))),
            F::TcpUrgentPointer => tcp
                .into_iter()
                .for_each(|t| uint(out, u64::from(t.urgent_pointer))),
            F::TcpOptionsMssVal | F::TcpOptionsWscaleShift | F::TcpOptionsSackPerm => {
                for option in tcp.iter().flat_map(|t| t.options.iter()) {
                    match (field, option) {
                        (F::TcpOptionsMssVal, TcpOption::MaxSegmentSize(mss)) => {
                            uint(out, u64::from(*mss))
                        }
                        (F::TcpOptionsWscaleShift, TcpOption::WindowScale(shift)) => {
                            uint(out, u64::from(*shift))
                        }
                        (F::TcpOptionsSackPerm, TcpOption::SackPermitted) => {
                            out.push(Value::Protocol(&[]))
                        }
                        _ => {}
                    }
                }
            }
            F::TcpPayload => {
                if let Some(payload) = self.tcp_payload().filter(|p| !p.is_empty()) {
                    out.push(Value::Bytes(payload));
                }
            }

            F::TcpAnalysisFlags
            | F::TcpAnalysisRetransmission
            | F::TcpAnalysisFastRetransmission
            | F::TcpAnalysisSpuriousRetransmission
            | F::TcpAnalysisOutOfOrder
            | F::TcpAnalysisLostSegment
            | F::TcpAnalysisAckLostSegment
            | F::TcpAnalysisDuplicateAck
            | F::TcpAnalysisZeroWindow
            | F::TcpAnalysisWindowFull
            | F::TcpAnalysisWindowUpdate
            | F::TcpAnalysisKeepAlive
            | F::TcpAnalysisKeepAliveAck
            | F::TcpAnalysisZeroWindowProbe
            | F::TcpAnalysisZeroWindowProbeAck
            | F::TcpAnalysisReusedPorts
            | F::TcpAnalysisDuplicateAckNum
            | F::TcpAnalysisDuplicateAckFrame
            | F::TcpAnalysisAcksFrame
            | F::TcpAnalysisAckRtt
            | F::TcpAnalysisBytesInFlight
            | F::TcpAnalysisInitialRtt => analysis_values(facts, field, out),

            F::Udp => {
                if let Some(u) = &d.udp {
                    out.push(Value::Protocol(self.span(u.offset, u32::from(u.length))));
                }
            }
            F::UdpPort => {
                if let Some(u) = &d.udp {
                    uint(out, u64::from(u.src_port));
                    uint(out, u64::from(u.dst_port));
                }
            }
            F::UdpSrcPort => d.udp.iter().for_each(|u| uint(out, u64::from(u.src_port))),
            F::UdpDstPort => d.udp.iter().for_each(|u| uint(out, u64::from(u.dst_port))),
            F::UdpLength => d.udp.iter().for_each(|u| uint(out, u64::from(u.length))),

            F::Icmp | F::Icmpv6 => {
                let version = if field == F::Icmp { 4 } else { 6 };
                if let Some(i) = icmp(version) {
                    out.push(Value::Protocol(self.span(i.offset, u32::MAX)));
                }
            }
            F::IcmpType => icmp(4)
                .into_iter()
                .for_each(|i| uint(out, u64::from(i.icmp_type))),
            F::IcmpCode => icmp(4)
                .into_iter()
                .for_each(|i| uint(out, u64::from(i.code))),
            F::Icmpv6Type => icmp(6)
                .into_iter()
                .for_each(|i| uint(out, u64::from(i.icmp_type))),
            F::Icmpv6Code => icmp(6)
                .into_iter()
                .for_each(|i| uint(out, u64::from(i.code))),

            F::Arp => {
                if let Some(a) = &d.arp {
                    let len = 8 + 2 * (u32::from(a.hardware_len) + u32::from(a.protocol_len));
                    out.push(Value::Protocol(self.span(a.offset, len)));
                }
            }
            F::ArpOpcode => d.arp.iter().for_each(|a| uint(out, u64::from(a.operation))),
            F::ArpSrcHwMac => out.extend(d.arp.iter().filter_map(|a| a.sender_mac).map(Value::Mac)),
            F::ArpDstHwMac => out.extend(d.arp.iter().filter_map(|a| a.target_mac).map(Value::Mac)),
            F::ArpSrcProtoIpv4 => {
                out.extend(d.arp.iter().filter_map(|a| a.sender_ip).map(Value::Ipv4))
            }
            F::ArpDstProtoIpv4 => {
                out.extend(d.arp.iter().filter_map(|a| a.target_ip).map(Value::Ipv4))
            }

            F::Http
            | F::HttpRequest
            | F::HttpResponse
            | F::HttpRequestMethod
            | F::HttpRequestUri
            | F::HttpRequestVersion
            | F::HttpResponseCode
            | F::HttpResponsePhrase
            | F::HttpContentType
            | F::HttpHost => http_values(self.http, self.tcp_payload().unwrap_or(&[]), field, out),
        }
    }
}

/// The `tcp.analysis.*` fields, from the tracker's facts (shared by every [`FieldSource`]).
pub(crate) fn analysis_values<'s>(
    facts: Option<&'s TcpFrameFacts>,
    field: Field,
    out: &mut Vec<Value<'s>>,
) {
    use Field as F;
    let uint = |out: &mut Vec<Value<'s>>, v: u64| out.push(Value::Uint(v));
    match field {
        // The flags, whose presence is the value (the other fields' values follow).
        _ if field.analysis_present(facts.map_or_else(Default::default, |f| f.analysis))
            == Some(true)
            && facts.is_some() =>
        {
            out.push(Value::Label);
        }
        F::TcpAnalysisDuplicateAckNum => facts
            .and_then(|f| f.dup_ack_num)
            .into_iter()
            .for_each(|n| uint(out, u64::from(n))),
        F::TcpAnalysisDuplicateAckFrame => facts
            .and_then(|f| f.dup_ack_of)
            .into_iter()
            .for_each(|n| uint(out, u64::from(n))),
        F::TcpAnalysisAcksFrame => facts
            .and_then(|f| f.acked_frame)
            .into_iter()
            .for_each(|n| uint(out, u64::from(n))),
        F::TcpAnalysisAckRtt => out.extend(facts.and_then(|f| f.ack_rtt).map(Value::Time)),
        F::TcpAnalysisBytesInFlight => facts
            .and_then(|f| f.bytes_in_flight)
            .into_iter()
            .for_each(|n| uint(out, u64::from(n))),
        F::TcpAnalysisInitialRtt => out.extend(facts.and_then(|f| f.irtt).map(Value::Time)),

        _ => {}
    }
}

/// The `http.*` fields, from the messages a frame shows (shared by every [`FieldSource`]);
/// `payload`: the bytes `http` stands for.
pub(crate) fn http_values<'s>(
    messages: &'s [HttpMessage],
    payload: &'s [u8],
    field: Field,
    out: &mut Vec<Value<'s>>,
) {
    use Field as F;
    match field {
        F::Http if !messages.is_empty() => out.push(Value::Protocol(payload)),
        F::HttpRequest => out.extend(
            messages
                .iter()
                .filter(|m| m.request)
                .map(|_| Value::Bool(true)),
        ),
        F::HttpResponse => out.extend(
            messages
                .iter()
                .filter(|m| !m.request)
                .map(|_| Value::Bool(true)),
        ),
        F::HttpRequestMethod => out.extend(
            messages
                .iter()
                .filter(|m| m.request)
                .map(|m| Value::Str(&m.method)),
        ),
        F::HttpRequestUri => out.extend(
            messages
                .iter()
                .filter(|m| m.request)
                .map(|m| Value::Str(&m.uri)),
        ),
        F::HttpRequestVersion => out.extend(
            messages
                .iter()
                .filter(|m| m.request)
                .map(|m| Value::Str(&m.version)),
        ),
        F::HttpResponseCode => out.extend(
            messages
                .iter()
                .filter(|m| !m.request)
                .filter_map(|m| m.code)
                .map(|c| Value::Uint(u64::from(c))),
        ),
        F::HttpResponsePhrase => out.extend(
            messages
                .iter()
                .filter(|m| !m.request)
                .map(|m| Value::Str(&m.phrase)),
        ),
        F::HttpContentType => out.extend(
            messages
                .iter()
                .filter_map(|m| m.content_type.as_deref())
                .map(Value::Str),
        ),
        F::HttpHost => out.extend(
            messages
                .iter()
                .filter_map(|m| m.host.as_deref())
                .map(Value::Str),
        ),
        _ => {}
    }
}
