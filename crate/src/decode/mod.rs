//! Raw frame → decoded headers, and the Source/Destination/Protocol/Info of a frame row.
//!
//! Promise: [`decode`] never panics and never fails, whatever the bytes; whatever it cannot read
//! it records in [`Decoded::problems`] (one sentence naming the layer and what was missing) and
//! keeps everything it read before. Every byte access goes through etherparse's length-checked
//! slices or the bounds-checked readers of `bytes.rs`.
//!
//! Every header keeps its byte offset and length in the frame, so a detail tree can highlight
//! a field's bytes later without decoding again.
//!
//! Each header is read by etherparse's zero-copy slices (`Ethernet2HeaderSlice`,
//! `SingleVlanHeaderSlice`, `Ipv4HeaderSlice`, `Ipv6HeaderSlice` and its extension header
//! slices, `TcpHeaderSlice` and `TcpOptionsIterator`, `UdpHeaderSlice`, `ArpPacketSlice`). The
//! walk from layer to layer is ours rather than `LaxSlicedPacket`'s: the lax walk keeps at most
//! 3 VLAN/MACsec tags, needs a TCP header whole before it reports any of it, silently replaces
//! an IPv4 total length of 0 (TSO) by the captured length, does not know Linux cooked v2 nor
//! SLL v1 with ARPHRD 772 (loopback), and gives no offsets. Where a slice refuses what tshark
//! still shows (a header cut by the snaplen, an unknown or malformed TCP option), a small
//! fallback beside it reads what is there and says why in a comment.

//! Layers: Linux cooked v1/v2, Ethernet with any number of 802.1Q/802.1ad tags, raw IP, BSD
//! null/loop, PPP, NFLOG, IP over InfiniBand, Linux ARCNET; MPLS (with Ethernet pseudowires) and
//! PPPoE (its length bounds the packet inside); tunnels (GRE incl. Aruba 802.11, VXLAN, Geneve,
//! IP in IP) with the outer IP in `ip` and the inner in `inner_ip`; IPv4 (options, fragments), IPv6 (extension header chains, jumbograms); TCP
//! (every option), UDP, ICMP, ICMPv6, ARP; HTTP/1.x start lines.
//!
//! Reading a capture first tries [`plain_tcp`] (`plain.rs`), which reads a plain Ethernet, IP
//! and TCP frame without the walk and leaves every other frame to it.

mod arp;
mod bytes;
pub mod http;
pub use http::media_type;
mod icmp;
mod ip;
mod link;
mod plain;
pub use plain::{plain_tcp, PlainTcp};
mod tcp;
#[cfg(test)]
mod tests;
mod tunnel;
mod udp;

pub use bytes::format_mac;
pub(crate) use icmp::{icmpv4_code_name, icmpv4_type_name, icmpv6_code_name, icmpv6_type_name};
pub(crate) use ip::protocol_column_name;
pub use link::link_type_name;

use serde::Serialize;
use std::net::IpAddr;

/// Everything decoded from one frame. Owned, so it can outlive the capture buffer.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Decoded {
    /// Link type the frame was read with (LINKTYPE_*).
    pub link_type: u32,
    /// Network layer, where there is one: the outermost IP header (what tshark's `ip.src`
    /// with occurrence=f reports).
    pub ip: Option<IpHeader>,
    /// In a tunnel (GRE, VXLAN, Geneve, IP in IP), the innermost IP header: the one that
    /// carries `tcp`/`udp`. Connections are keyed by it: see [`Decoded::transport_ip`].
    pub inner_ip: Option<IpHeader>,
    /// The tunnels crossed, outermost first ("GRE", "VXLAN", "Geneve", "IPv4", "IPv6").
    pub tunnels: Vec<&'static str>,
    pub tcp: Option<TcpSegment>,
    pub udp: Option<UdpDatagram>,
    /// Protocol column text, Wireshark's name ("TCP", "HTTP", "UDP", "ICMP", "ARP", ...).
    pub protocol: &'static str,
    /// Source and Destination column texts (empty from [`decode_headers`]).
    pub src: String,
    pub dst: String,
    /// What could not be read, one sentence each, naming the layer.
    pub problems: Vec<String>,
    /// The link-layer header (absent for raw IP, and for link types not decoded).
    pub link: Option<LinkHeader>,
    /// 802.1Q / 802.1ad tags, outermost first.
    pub vlans: Vec<VlanTag>,
    pub icmp: Option<IcmpMessage>,
    pub arp: Option<ArpPacket>,
    /// The start line of an HTTP/1.x message beginning in this frame's TCP payload.
    pub http: Option<HttpStart>,
}

impl Decoded {
    /// As `Decoded::default()` with `link_type`, keeping the room of its lists. Every field
    /// is named, so that a new one cannot be left out.
    fn clear(&mut self, link_type: u32) {
        let Decoded {
            link_type: kept_link_type,
            ip,
            inner_ip,
            tunnels,
            tcp,
            udp,
            protocol,
            src,
            dst,
            problems,
            link,
            vlans,
            icmp,
            arp,
            http,
        } = self;
        *kept_link_type = link_type;
        *ip = None;
        *inner_ip = None;
        tunnels.clear();
        *tcp = None;
        *udp = None;
        *protocol = "";
        src.clear();
        dst.clear();
        problems.clear();
        *link = None;
        vlans.clear();
        *icmp = None;
        *arp = None;
        *http = None;
    }

    /// The IP header that carries `tcp`/`udp`/`icmp`: the inner one in a tunnel, else `ip`.
    /// The TCP tracker must key connections by this one's addresses.
    pub fn transport_ip(&self) -> Option<&IpHeader> {
        self.inner_ip.as_ref().or(self.ip.as_ref())
    }
}

/// Where a header or a field sits in the frame's bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Span {
    pub offset: u32,
    pub len: u32,
}

/// Which link-layer header a frame starts with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    #[default]
    Ethernet,
    LinuxSll,
    LinuxSll2,
    /// BSD loopback (LINKTYPE_NULL): address family in the capturing host's byte order.
    Null,
    /// OpenBSD loopback (LINKTYPE_LOOP): address family in network byte order.
    Loop,
    Ppp,
    Fddi,
    /// Linux netfilter log: a 4-byte header and TLVs; the packet is in NFULA_PAYLOAD.
    Nflog,
    /// IP over InfiniBand: a 40-byte pseudo-header, then type and reserved (4 bytes).
    Ipoib,
    /// Linux ARCNET: source, destination, offset, RFC 1201/1051 protocol id and more.
    Arcnet,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct LinkHeader {
    pub kind: LinkKind,
    pub offset: u32,
    /// Header length in bytes (Ethernet 14, SLL 16, SLL2 20, null/loop 4, PPP 2 to 4).
    pub len: u32,
    /// Ethernet destination and source; SLL/SLL2 link-layer address of the sender in `src`
    /// (first `addr_len` bytes, at most 8).
    pub dst: Option<[u8; 6]>,
    pub src: Option<[u8; 8]>,
    pub addr_len: u8,
    /// EtherType / SLL protocol / PPP protocol (before any VLAN tags).
    pub protocol: Option<u16>,
    /// SLL packet type (0 to us, 1 broadcast, 2 multicast, 3 other host, 4 outgoing).
    pub packet_type: Option<u16>,
    /// SLL ARPHRD_* hardware type.
    pub arphrd: Option<u16>,
    /// SLL2 interface index.
    pub interface_index: Option<u32>,
    /// Null/loop address family, as read in the detected byte order.
    pub address_family: Option<u32>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct VlanTag {
    /// Offset of the tag's TPID (the 4 bytes are TPID, TCI).
    pub offset: u32,
    pub tpid: u16,
    pub priority: u8,
    pub drop_eligible: bool,
    pub id: u16,
    /// The EtherType that follows the tag.
    pub inner_type: u16,
}

#[derive(Clone, Debug, Serialize)]
pub struct IpHeader {
    pub version: u8,
    pub src: IpAddr,
    pub dst: IpAddr,
    /// Offset of the IP header in the frame.
    pub offset: u32,
    /// IPv4: IHL × 4; IPv6: 40 plus every extension header read.
    pub header_len: u32,
    /// The datagram length used (tshark's ip.len for IPv4, 40 + payload length for IPv6): the
    /// header field, or for TSO/GSO frames with a length of 0 the bytes the frame holds.
    pub total_len: u32,
    /// The length field as sent (IPv4 total length, IPv6 payload length).
    pub length_field: u16,
    /// IPv4 type of service / IPv6 traffic class (DSCP and ECN).
    pub tos: u8,
    /// IPv4 TTL / IPv6 hop limit.
    pub ttl: u8,
    /// Upper-layer protocol: IPv4 protocol, or IPv6 next header after the extension headers.
    pub protocol: u8,
    /// IPv4 identification, or the IPv6 fragment header's identification.
    pub identification: u32,
    pub dont_fragment: bool,
    pub more_fragments: bool,
    /// Fragment offset in bytes.
    pub fragment_offset: u32,
    pub checksum: u16,
    pub flow_label: u32,
    /// IPv4 options bytes (empty span when there are none).
    pub options: Span,
    /// IPv6 extension headers in chain order.
    pub extensions: Vec<Ipv6Extension>,
    /// Where the upper-layer payload starts, and its length per the IP lengths.
    pub payload_offset: u32,
    pub payload_len: u32,
}

impl IpHeader {
    /// A fragment of a larger datagram: only the first one carries the transport header, and
    /// tshark (which reassembles) shows none of them as TCP/UDP.
    pub fn is_fragment(&self) -> bool {
        self.more_fragments || self.fragment_offset != 0
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Ipv6Extension {
    /// The next-header number that announced this header (0 hop-by-hop, 43 routing, 44
    /// fragment, 60 destination options, 51 AH, 135 mobility).
    pub kind: u8,
    pub offset: u32,
    pub len: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
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
    /// Offset of the TCP header in the frame.
    pub offset: u32,
    pub checksum: u16,
    pub urgent_pointer: u16,
}

/// TCP flag bits as they sit in `TcpSegment::flags`.
pub mod tcp_flags {
    pub const FIN: u16 = 0x001;
    pub const SYN: u16 = 0x002;
    pub const RST: u16 = 0x004;
    pub const PSH: u16 = 0x008;
    pub const ACK: u16 = 0x010;
    pub const URG: u16 = 0x020;
    pub const ECE: u16 = 0x040;
    pub const CWR: u16 = 0x080;
    /// AccECN's AE (formerly NS).
    pub const AE: u16 = 0x100;
    pub const RESERVED: u16 = 0xe00;
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
    pub offset: u32,
    pub checksum: u16,
}

/// An ICMP or ICMPv6 message, summarised for the Info column.
#[derive(Clone, Debug, Default, Serialize)]
pub struct IcmpMessage {
    /// 4 for ICMP, 6 for ICMPv6.
    pub version: u8,
    pub offset: u32,
    pub icmp_type: u8,
    pub code: u8,
    pub checksum: u16,
    /// Echo request/reply identifier and sequence number.
    pub echo: Option<(u16, u16)>,
    /// IPv4 TTL / IPv6 hop limit of the carrying packet (Wireshark shows it for echoes).
    pub ttl: u8,
    /// Neighbor Solicitation/Advertisement/Redirect target address.
    pub target: Option<IpAddr>,
    /// Neighbor Advertisement flags (router, solicited, override).
    pub na_flags: u8,
    /// Source or target link-layer address option (NDP).
    pub link_addr: Option<[u8; 6]>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct ArpPacket {
    pub offset: u32,
    pub hardware_type: u16,
    pub protocol_type: u16,
    pub hardware_len: u8,
    pub protocol_len: u8,
    /// 1 request, 2 reply, 3/4 RARP request/reply.
    pub operation: u16,
    /// Sender/target hardware addresses (present when 6 bytes long) and IPv4 addresses
    /// (present when the protocol is IPv4 and 4 bytes long).
    pub sender_mac: Option<[u8; 6]>,
    pub sender_ip: Option<std::net::Ipv4Addr>,
    pub target_mac: Option<[u8; 6]>,
    pub target_ip: Option<std::net::Ipv4Addr>,
}

/// The start line of an HTTP/1.x message (request or status line).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct HttpStart {
    /// The whole line as sent, without its CR LF (Wireshark's Info shows it as is).
    pub line: String,
    pub is_request: bool,
    /// Request: method, URI, version. Response: version, status code, reason.
    pub method: String,
    pub uri: String,
    pub version: String,
    pub status: Option<u16>,
    pub reason: String,
    /// The Content-Type header's value, when it is in the same segment.
    pub content_type: Option<String>,
    /// Offset of the line in the frame.
    pub offset: u32,
}

/// Decodes one frame when only its captured bytes are known. IP lengths are trusted where
/// they claim more than was captured (snaplen); see [`decode_frame`] for the exact rule.
pub fn decode(link_type: u32, data: &[u8]) -> Decoded {
    decode_frame(link_type, data, None)
}

/// Decodes one frame. `orig_len` (the length on the wire) lets lengths be checked as tshark
/// does: an IP length beyond the frame is cut to the frame (and flagged), and a TSO frame's
/// IPv4 length of 0 becomes the bytes on the wire rather than those captured.
pub fn decode_frame(link_type: u32, data: &[u8], orig_len: Option<u32>) -> Decoded {
    let mut decoded = walk(link_type, data, orig_len, true);
    (decoded.src, decoded.dst) = column_addresses(&decoded);
    decoded
}

/// [`decode_frame`] without what only a frame's row shows: the Source and Destination texts
/// stay empty and an HTTP start line is not read (`http` is None, the Protocol column says
/// TCP). What reading a capture needs, without formatting and copying text per frame.
pub fn decode_headers(link_type: u32, data: &[u8], orig_len: Option<u32>) -> Decoded {
    walk(link_type, data, orig_len, false)
}

/// [`decode_headers`] into `out`, which is cleared first but keeps its lists' room. Reading
/// a capture decodes every frame into one `Decoded`: returning a new one per frame copied
/// and dropped some 700 bytes each time, a sixth of decoding a frame.
pub fn decode_headers_into(link_type: u32, data: &[u8], orig_len: Option<u32>, out: &mut Decoded) {
    out.clear(link_type);
    walk_into(data, orig_len, false, out);
}

fn walk(link_type: u32, data: &[u8], orig_len: Option<u32>, start_lines: bool) -> Decoded {
    let mut decoded = Decoded {
        link_type,
        ..Decoded::default()
    };
    walk_into(data, orig_len, start_lines, &mut decoded);
    decoded
}

/// Decodes `data` into `out`, which is as [`Decoded::clear`] leaves it.
fn walk_into(data: &[u8], orig_len: Option<u32>, start_lines: bool, out: &mut Decoded) {
    let link_type = out.link_type;
    let wire_len = orig_len.map(|len| (len as usize).max(data.len()));
    let next = link::decode_link(link_type, data, out);
    let mut walker = Walker {
        data,
        wire_len,
        tunnel_depth: 0,
        start_lines,
        out,
    };
    walker.network(next);
    if out.protocol.is_empty() {
        out.protocol = link::fallback_protocol(link_type);
    }
}

/// The Source and Destination columns: the innermost IP header's addresses; else the link
/// layer's (Ethernet's MAC addresses, a Linux cooked capture's sender address).
fn column_addresses(d: &Decoded) -> (String, String) {
    if let Some(ip) = d.inner_ip.as_ref().or(d.ip.as_ref()) {
        return (
            crate::text::ip_string(ip.src),
            crate::text::ip_string(ip.dst),
        );
    }
    let Some(link) = &d.link else {
        return (String::new(), String::new());
    };
    let src = link
        .src
        .filter(|_| link.kind == LinkKind::Ethernet || link.addr_len == 6)
        .map(|a| format_mac(&a[..6]))
        .unwrap_or_default();
    let dst = link
        .dst
        .filter(|_| link.kind == LinkKind::Ethernet)
        .map(|a| format_mac(&a))
        .unwrap_or_default();
    (src, dst)
}

/// What follows the link layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NextLayer {
    /// An EtherType at this offset's payload.
    EtherType { ether_type: u16, offset: usize },
    /// IP of the version in the first nibble.
    Ip { offset: usize },
    /// An Ethernet frame inside a tunnel.
    Ethernet { offset: usize },
    /// An IEEE 802.11 data frame inside a tunnel (Aruba's GRE).
    Wlan { offset: usize },
    /// Nothing decodable.
    Stop,
}

pub(crate) struct Walker<'a, 'o> {
    data: &'a [u8],
    /// Bytes on the wire, where known; an enclosing layer's length (PPPoE) can lower it.
    wire_len: Option<usize>,
    /// Tunnels entered so far; bounded so that crafted nesting cannot recurse without end.
    tunnel_depth: u8,
    /// Whether to read what only rows and detail trees show: HTTP start lines, and TCP
    /// options other than those the tracker needs.
    start_lines: bool,
    out: &'o mut Decoded,
}

/// Tunnels within tunnels deeper than this are not decoded.
const MAX_TUNNEL_DEPTH: u8 = 4;

impl Walker<'_, '_> {
    fn problem(&mut self, sentence: String) {
        self.out.problems.push(sentence);
    }

    fn network(&mut self, next: NextLayer) {
        match next {
            NextLayer::Stop => {}
            NextLayer::Ethernet { .. } | NextLayer::Wlan { .. } => {
                // A link layer inside a tunnel leads to an EtherType or stops, never to
                // another Ethernet/Wlan, so this recursion is one level deep.
                let inner = tunnel::inner_link(next, self.data, self.out);
                if matches!(inner, NextLayer::EtherType { .. } | NextLayer::Ip { .. }) {
                    self.network(inner);
                }
            }
            NextLayer::Ip { offset } => match bytes::u8_at(self.data, offset).map(|b| b >> 4) {
                Some(4) => self.ipv4(offset),
                Some(6) => self.ipv6(offset),
                Some(version) => {
                    self.out.protocol = "IP";
                    self.problem(format!(
                        "IP: version {version} at byte {offset} is neither 4 nor 6; the rest of the frame is not decoded."
                    ));
                }
                None => self.problem(format!(
                    "IP: the frame ends at byte {offset}, before the IP header."
                )),
            },
            NextLayer::EtherType { ether_type, offset } => match ether_type {
                0x8847 | 0x8848 | 0x8864 => {
                    if ether_type == 0x8864 {
                        // PPPoE's length (after its 6-byte header) bounds the packet inside:
                        // Ethernet padding after it is not IP payload (tshark's tcp.len).
                        if let Some(len) = bytes::be16_at(self.data, offset + 4) {
                            let end = offset + 6 + usize::from(len);
                            self.wire_len = Some(self.wire_len.map_or(end, |w| w.min(end)));
                        }
                    }
                    if let Some(inner) =
                        link::unwrap_ether_type(self.data, ether_type, offset, self.out)
                    {
                        // One level of unwrapping at a time; a PPPoE or MPLS payload can only
                        // lead to IP or stop, so this recursion is at most two deep.
                        self.network(inner);
                    }
                }
                0x0800 => self.ipv4(offset),
                0x86dd => self.ipv6(offset),
                0x0806 | 0x8035 => arp::decode_arp(self.data, offset, ether_type, self.out),
                other => {
                    if let Some(name) = link::ether_type_protocol(other) {
                        self.out.protocol = name;
                    }
                }
            },
        }
    }

    /// Decodes what a tunnel carries; the outer UDP header gives way to the inner layers.
    fn enter_tunnel(&mut self, name: &'static str, next: NextLayer) {
        if self.tunnel_depth >= MAX_TUNNEL_DEPTH {
            return;
        }
        self.tunnel_depth += 1;
        self.out.tunnels.push(name);
        self.out.udp = None;
        self.network(next);
    }

    fn ipv4(&mut self, offset: usize) {
        let Some(ip) = ip::decode_ipv4(self.data, offset, self.wire_len, &mut self.out.problems)
        else {
            self.out.protocol = "IPv4";
            return;
        };
        self.transport(ip);
    }

    fn ipv6(&mut self, offset: usize) {
        let Some(ip) = ip::decode_ipv6(self.data, offset, self.wire_len, &mut self.out.problems)
        else {
            self.out.protocol = "IPv6";
            return;
        };
        self.transport(ip);
    }

    fn transport(&mut self, ip: ip::DecodedIp) {
        let ip::DecodedIp {
            header,
            transport_ok,
        } = ip;
        let ip_name = if header.version == 4 { "IPv4" } else { "IPv6" };
        let (protocol, offset, len, ttl) = (
            header.protocol,
            header.payload_offset as usize,
            header.payload_len,
            header.ttl,
        );
        let fragment = header.is_fragment();
        let version = header.version;
        if self.out.ip.is_none() {
            self.out.ip = Some(header);
        } else {
            // Inside a tunnel: the outer header stays in `ip`, tshark's first occurrence.
            self.out.inner_ip = Some(header);
        }
        self.out.protocol = ip_name;
        if !transport_ok || fragment {
            return;
        }
        match protocol {
            6 => {
                self.out.protocol = "TCP";
                self.out.tcp = tcp::decode_tcp_with(
                    self.data,
                    offset,
                    len,
                    &mut self.out.problems,
                    self.start_lines,
                );
                if let Some(segment) = &self.out.tcp {
                    let start = segment.payload_offset as usize;
                    let end = start.saturating_add(segment.payload_captured as usize);
                    if let Some(payload) = self.data.get(start..end).filter(|_| self.start_lines) {
                        self.out.http = http::parse_start(payload, segment.payload_offset);
                    }
                    if self.out.http.is_some() {
                        self.out.protocol = "HTTP";
                    } else if segment.payload_len > 0
                        && (segment.src_port == 53 || segment.dst_port == 53)
                    {
                        self.out.protocol = "DNS";
                    }
                }
            }
            17 => {
                self.out.protocol = "UDP";
                self.out.udp = udp::decode_udp(self.data, offset, len, &mut self.out.problems);
                if let Some(name) = self
                    .out
                    .udp
                    .as_ref()
                    .and_then(|udp| udp::port_protocol(udp.src_port, udp.dst_port))
                {
                    self.out.protocol = name;
                }
                let tunnel = self.out.udp.as_ref().and_then(|udp| {
                    tunnel::udp_tunnel(
                        self.data,
                        (udp.src_port, udp.dst_port),
                        offset + 8,
                        len.saturating_sub(8),
                    )
                });
                if let Some((name, next)) = tunnel {
                    self.enter_tunnel(name, next);
                }
            }
            47 => {
                self.out.protocol = "GRE";
                if let Some(next) = tunnel::gre(self.data, offset, self.out) {
                    self.enter_tunnel("GRE", next);
                }
            }
            4 | 41 => {
                let next = NextLayer::Ip { offset };
                self.enter_tunnel(if protocol == 4 { "IPv4" } else { "IPv6" }, next);
            }
            1 if version == 4 => {
                self.out.protocol = "ICMP";
                self.out.icmp = icmp::decode_icmpv4(self.data, offset, ttl, &mut self.out.problems);
            }
            58 if version == 6 => {
                self.out.protocol = "ICMPv6";
                self.out.icmp =
                    icmp::decode_icmpv6(self.data, offset, len, ttl, &mut self.out.problems);
            }
            2 => {
                self.out.protocol = ip::igmp_protocol_name(self.data, offset, len);
            }
            other => {
                if let Some(name) = ip::protocol_column_name(other) {
                    self.out.protocol = name;
                }
            }
        }
    }
}
