//! Wireshark's packet-details tree for one frame: one collapsible node per layer, worded as
//! Wireshark words its fields, each node knowing which bytes of the frame it covers.
//!
//! Promise: [`build`] never panics, whatever the bytes and whatever facts it is given (they
//! may even disagree with the bytes); every node's span lies within the frame's captured
//! bytes; a field the snaplen cut off is left out rather than invented; what the decoder
//! could not read ([`crate::decode::Decoded::problems`]) appears as expert-info nodes. The
//! tree is built from the frame's bytes, its decoded headers and the analysis' facts, all
//! passed in [`FrameContext`]: nothing here reads a file or keeps state between frames.
//! Facts that depend on earlier frames and that the tracker does not record come from
//! [`extras`]; [`frame_detail`] builds the whole context for a frame of a report.
//!
//! Reference: Wireshark 4.x as the tutorial's capture shows it (`crate/src/detail/testdata`
//! holds its ten trees), and tshark 4.0 for everything else; where they differ the tutorial's
//! wording wins and the code says so. Times are shown in UTC.
//!
//! Known differences from Wireshark (checked with `tests.rs` and tshark 4.0 on the shared
//! captures):
//! - Wording of Wireshark 4.4, as the tutorial shows it, where tshark 4.0 differs: "UTC
//!   Arrival Time" and "Epoch Arrival Time" (4.0: "Epoch Time: … seconds"), the IP and IPv6
//!   "[Stream index]", TCP's "[Stream Packet Number]" and the completeness bits, and HTTP
//!   without 4.0's chat expert under the start line and its "[HTTP request 1/1]", with
//!   "[Response in frame]" before "[Full request URI]" and, in a response, "[Request in
//!   frame]", "[Time since request]", the short "[Request URI]" and "[Full request URI]".
//! - Not broken down: application protocols other than HTTP (TLS, DNS, SSH, …) show as
//!   "Data" (and "data" in "[Protocols in frame]"); MPTCP and other TCP options beyond MSS,
//!   window scale, SACK, timestamps, NOP and EOL show their bytes; MPLS, PPPoE, LLC/SNAP,
//!   tunnel headers (GRE, VXLAN, Geneve) and the FDDI, NFLOG, IP over InfiniBand and ARCNET
//!   headers are one heading over their bytes; the packet an ICMP error quotes is data.
//! - Not known here: ICMP echo pairing ("[Response frame]", "[Response time]"), TCP's RTO
//!   lines, "[Packet size limited during capture]", pcapng's "Section number" and interface
//!   descriptions, Ethernet FCS verification, vendors beyond `oui.rs`'s table.
//! - Facts come from the caller: where the TCP tracker or the HTTP pairing differs from
//!   tshark, the tree shows theirs.
//!
//! One file per layer: `frame.rs`, `link.rs` (with `oui.rs` for vendor names), `ip.rs`,
//! `tcp.rs` and `tcp_analysis.rs`, `udp.rs`, `icmp.rs`, `arp.rs`, `http.rs` (HTTP, text
//! bodies, reassembly, data), `checksum.rs`; `node.rs` holds the node and its helpers.

mod arp;
mod checksum;
mod extras;
mod frame;
mod http;
mod icmp;
mod ip;
mod link;
mod node;
mod oui;
mod report;
mod tcp;
mod tcp_analysis;
mod udp;

#[cfg(test)]
mod tests;

pub use extras::{Closing, FrameExtras, WindowScaleShown};
pub use frame::{encapsulation, utc_time};
pub use node::{Expert, Node, Severity};
pub use report::{extras, frame_detail, needed_frames, with_context};

use crate::capture::Timestamp;
use crate::decode::Decoded;
use crate::http::{FrameHttp, HttpExchange};
use crate::tcp::{Completeness, TcpFrameFacts};

/// How the tree is built.
#[derive(Clone, Copy, Debug, Default)]
pub struct DetailOptions {
    /// Compute the IPv4 header and TCP/UDP checksums and say whether they are right
    /// (Wireshark leaves them `[unverified]` by default; ICMP's are always checked).
    pub verify_checksums: bool,
}

/// Everything known about one frame: its bytes, its decoded headers and the analysis' facts.
/// Plain borrowed values; see each field for where it comes from.
#[derive(Clone, Copy)]
pub struct FrameContext<'a> {
    /// 1-based frame number.
    pub number: u32,
    pub ts: Timestamp,
    /// False for records without a time (pcapng simple packets): no arrival-time lines.
    pub has_ts: bool,
    /// Digits of the capture's clock (6 for µs). Wireshark's detail pane always shows nine;
    /// kept for callers that want the capture's precision elsewhere.
    pub ts_digits: u8,
    /// Nanoseconds since the first frame, since the previous captured frame, and since the
    /// previous displayed one (the same when nothing is filtered).
    pub time_relative_ns: i128,
    pub time_delta_ns: i128,
    pub time_delta_displayed_ns: i128,
    /// Length on the wire.
    pub orig_len: u32,
    pub link_type: u32,
    /// pcapng interface number (0 for pcap).
    pub interface: u32,
    /// True for pcapng captures: Wireshark then names the interface in the Frame node.
    pub pcapng: bool,
    /// The pcapng interface's name, when its description block gave one.
    pub interface_name: Option<&'a str>,
    /// The frame's captured bytes.
    pub bytes: &'a [u8],
    pub decoded: &'a Decoded,
    /// The TCP tracker's final facts for this frame (TCP frames only).
    pub tcp: Option<&'a TcpFrameFacts>,
    /// The frame's TCP connection's completeness.
    pub completeness: Option<Completeness>,
    /// Nanoseconds since the TCP stream's first frame and since its previous frame
    /// ([`FrameExtras::tcp_times`]).
    pub tcp_stream_times: Option<(i128, i128)>,
    /// What [`extras`] found for this frame.
    pub extras: FrameExtras,
    /// What this frame shows of HTTP (`crate::http::HttpPairs::frame`).
    pub http: Option<FrameHttp<'a>>,
    /// The exchanges this frame's HTTP messages belong to (for "[Response in frame]" etc.).
    pub http_exchanges: &'a [HttpExchange<'a>],
    /// The Host header of requests in other frames, by request frame, for a response's
    /// "[Full request URI]" ([`http_host`] reads it from a request frame's bytes).
    pub http_request_hosts: &'a [(u32, &'a str)],
    /// The whole HTTP message this frame completes, when it spans several segments.
    pub http_bytes: Option<&'a [u8]>,
    /// Its pieces in order: (frame number, bytes taken from that frame). With `http_bytes`,
    /// they make the "[N Reassembled TCP Segments …]" node and locate this frame's bytes in
    /// the message.
    pub http_segments: &'a [(u32, u32)],
    /// For a frame carrying part of a message completed later: the frame that completes it.
    pub http_reassembled_in: Option<u32>,
    /// The frame's colouring rule: (name, filter string).
    pub color_rule: Option<(&'static str, &'static str)>,
}

/// Builds the tree: the top-level nodes (Frame, link layer, IP, TCP, HTTP, ...) in order.
pub fn build(ctx: &FrameContext, options: &DetailOptions) -> Vec<Node> {
    let mut b = Builder {
        ctx,
        options,
        nodes: Vec::new(),
        protocols: Vec::new(),
        ethernet: None,
    };
    let decoded = ctx.decoded;
    let link_end = link::link(&mut b);
    if let Some(ip) = decoded.ip.as_ref() {
        link::between(&mut b, link_end, ip.offset as usize);
        ip::ip(&mut b, ip, ctx.extras.ip_stream);
        let mut transport_ip = ip;
        if let Some(inner) = decoded.inner_ip.as_ref() {
            tunnel(&mut b, ip.payload_offset as usize, inner.offset as usize);
            ip::ip(&mut b, inner, ctx.extras.inner_ip_stream);
            transport_ip = inner;
        }
        transport(&mut b, transport_ip);
        link::padding(
            &mut b,
            (ip.offset as usize).saturating_add(ip.total_len as usize),
        );
    } else if let Some(arp) = decoded.arp.as_ref() {
        link::between(&mut b, link_end, arp.offset as usize);
        let end = arp::arp(&mut b, arp);
        link::padding(&mut b, end);
    } else if link_end < b.len() && (decoded.link.is_some() || is_raw(ctx.link_type)) {
        // Something after a link header that nothing here decodes.
        b.protocols.push("data");
        let node = icmp::data_node(&b, link_end, b.len() - link_end);
        b.nodes.push(node);
    }
    problems(&mut b);
    let protocols = b.protocols.join(":");
    let mut nodes = Vec::with_capacity(b.nodes.len() + 1);
    nodes.push(frame::frame_node(ctx, &protocols));
    nodes.append(&mut b.nodes);
    nodes
}

fn is_raw(link_type: u32) -> bool {
    matches!(
        link_type,
        12 | 14 | 101 | 228 | 229 | crate::capture::LINKTYPE_PCAPNG_CUSTOM
    )
}

/// The Host header of an HTTP request at the start of a frame's TCP payload, for
/// [`FrameContext::http_request_hosts`].
pub fn http_host<'b>(bytes: &'b [u8], decoded: &Decoded) -> Option<&'b str> {
    let seg = decoded.tcp.as_ref()?;
    let at = seg.payload_offset as usize;
    let payload = bytes.get(at..at.saturating_add(seg.payload_captured as usize))?;
    let head_end = payload
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(payload.len());
    let head = std::str::from_utf8(payload.get(..head_end)?).ok()?;
    head.split("\r\n").skip(1).find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("host")
            .then(|| value.trim())
    })
}

/// The tree under construction, shared by the layer files.
pub(crate) struct Builder<'c, 'a> {
    pub ctx: &'c FrameContext<'a>,
    pub options: &'c DetailOptions,
    pub nodes: Vec<Node>,
    /// Wireshark's protocol names in order, for "[Protocols in frame: …]".
    pub protocols: Vec<&'static str>,
    /// Index of the Ethernet node, where padding and trailers go.
    pub ethernet: Option<usize>,
}

impl Builder<'_, '_> {
    pub fn len(&self) -> usize {
        self.ctx.bytes.len()
    }

    /// A span within this frame (cut at its end).
    pub fn span(&self, offset: usize, len: usize) -> Option<[u32; 2]> {
        node::span(offset, len, self.len())
    }

    /// This frame's payload is part of a message completed in a later frame.
    pub fn payload_is_segment(&self) -> bool {
        matches!(self.ctx.http, Some(FrameHttp::Segment))
    }

    /// The capture says its own host sent this frame (Linux cooked capture's packet type 4).
    pub fn sent_by_capturing_host(&self) -> bool {
        self.ctx.decoded.link.as_ref().and_then(|l| l.packet_type) == Some(4)
    }

    /// This frame completes a message reassembled from several segments.
    pub fn payload_is_reassembled_tail(&self) -> bool {
        self.ctx.http_bytes.is_some() && !self.ctx.http_segments.is_empty()
    }
}

/// The headers between an outer IP header and the inner one of a tunnel, under one heading.
fn tunnel(b: &mut Builder, from: usize, to: usize) {
    let name = b.ctx.decoded.tunnels.first().copied().unwrap_or("");
    let (label, protocols): (&str, &[&'static str]) = match name {
        "GRE" => ("Generic Routing Encapsulation", &["gre"]),
        "VXLAN" => (
            "Virtual eXtensible Local Area Network",
            &["udp", "vxlan", "eth", "ethertype"],
        ),
        "Geneve" => (
            "Generic Network Virtualization Encapsulation",
            &["udp", "geneve", "eth", "ethertype"],
        ),
        _ => ("Tunnel headers", &[]),
    };
    b.protocols.extend_from_slice(protocols);
    if to > from {
        let node = Node::field(
            format!("{label} ({} bytes, not broken down here)", to - from),
            protocols.first().copied().unwrap_or("ip"),
            b.span(from, to - from),
        );
        b.nodes.push(node);
    }
}

/// TCP, UDP, ICMP or the IP payload as data.
fn transport(b: &mut Builder, ip: &crate::decode::IpHeader) {
    let decoded = b.ctx.decoded;
    if let Some(seg) = decoded.tcp.as_ref() {
        tcp::tcp(b, ip, seg);
        http::payload(b, seg);
        return;
    }
    if let Some(datagram) = decoded.udp.as_ref() {
        let (at, len) = udp::udp(b, ip, datagram);
        let captured = b.len().saturating_sub(at).min(len);
        if captured > 0 {
            b.protocols.push("data");
            let node = icmp::data_node(b, at, captured);
            b.nodes.push(node);
        }
        return;
    }
    if let Some(message) = decoded.icmp.as_ref() {
        icmp::icmp(b, ip, message);
        return;
    }
    let at = ip.payload_offset as usize;
    let layer_problem = |prefix: &str| decoded.problems.iter().any(|p| p.starts_with(prefix));
    let cut = match ip.protocol {
        6 => layer_problem("TCP:"),
        17 => layer_problem("UDP:"),
        _ => false,
    };
    if !ip.is_fragment() && cut {
        // A TCP or UDP header the decoder could not read whole: its ports, if captured,
        // under which the decoder's problem will be shown.
        let (name, field) = if ip.protocol == 6 {
            ("Transmission Control Protocol", "tcp")
        } else {
            ("User Datagram Protocol", "udp")
        };
        b.protocols.push(field);
        let bytes = b.ctx.bytes;
        let mut node = Node::field(name, field, b.span(at, b.len().saturating_sub(at)));
        if let (Some(src), Some(dst)) = (node::be16_at(bytes, at), node::be16_at(bytes, at + 2)) {
            node.label = format!("{name}, Src Port: {src}, Dst Port: {dst}");
            let (src_field, dst_field) = if ip.protocol == 6 {
                ("tcp.srcport", "tcp.dstport")
            } else {
                ("udp.srcport", "udp.dstport")
            };
            node.push(Node::field(
                format!("Source Port: {src}"),
                src_field,
                b.span(at, 2),
            ));
            node.push(Node::field(
                format!("Destination Port: {dst}"),
                dst_field,
                b.span(at + 2, 2),
            ));
        }
        b.nodes.push(node);
        return;
    }
    // A fragment, or a protocol not decoded here: its bytes as data.
    let captured = b.len().saturating_sub(at).min(ip.payload_len as usize);
    if captured > 0 && decoded.inner_ip.is_none() {
        b.protocols.push("data");
        let node = icmp::data_node(b, at, captured);
        b.nodes.push(node);
    }
}

/// Each of the decoder's problem sentences as an expert info under the layer it names (or
/// under a "[Malformed Packet]" node when no such layer was shown).
fn problems(b: &mut Builder) {
    for sentence in &b.ctx.decoded.problems {
        let layer = sentence.split(':').next().unwrap_or("");
        let field = match layer {
            "Ethernet" | "LLC" => "eth",
            "VLAN" => "vlan",
            "Linux cooked capture v1" | "Linux cooked capture v2" => "sll",
            "Null/Loopback" => "null",
            "PPP" => "ppp",
            "IPv4" | "IP" => "ip",
            "IPv6" => "ipv6",
            "TCP" => "tcp",
            "UDP" => "udp",
            "ICMP" => "icmp",
            "ICMPv6" => "icmpv6",
            "ARP" => "arp",
            _ => "",
        };
        let mut note = node::expert(Severity::Error, "Malformed", sentence);
        note.field = Some("_ws.malformed");
        match b
            .nodes
            .iter_mut()
            .rev()
            .find(|n| !field.is_empty() && n.field == Some(field))
        {
            Some(layer_node) => layer_node.push(note),
            None => {
                let mut top = Node::generated(
                    format!(
                        "Malformed Packet: {}",
                        if layer.is_empty() { "frame" } else { layer }
                    ),
                    Some("_ws.malformed"),
                );
                top.push(note);
                b.nodes.push(top);
            }
        }
    }
}
