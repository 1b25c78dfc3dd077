//! A frame read and its headers decoded, with what keeping it needs ([`Prepared`]): owned, so
//! that it can go from the thread (or Worker) that reads to the one that keeps.

use super::record::{bits, AddressSet, CAP_LEN_BITS};
use crate::capture::{RawFrame, Timestamp};
use crate::decode::{self, Decoded, LinkKind, TcpSegment};
use std::net::IpAddr;
use std::ops::Range;

/// One frame as read, with what keeping it needs from its decoded headers. Owned, so that it
/// can go from the thread that reads to the one that keeps; its TCP payload goes beside it.
#[derive(Debug, PartialEq)]
pub struct Prepared {
    pub(crate) number: u32,
    pub(crate) ts: Timestamp,
    pub(crate) ts_digits: u8,
    pub(crate) link_type: u32,
    pub(crate) interface: u32,
    pub(crate) orig_len: u32,
    pub(crate) offset: u64,
    /// Bytes captured (as many as the record can say).
    pub(crate) cap_len: u64,
    /// Its protocols, as [`FrameRecord`] bits.
    pub(crate) bits: u16,
    /// Its IP addresses, unless it is a TCP segment outside a tunnel (its connection has them).
    pub(crate) addresses: Option<AddressSet>,
    /// UDP ports, or TCP ports of a segment that has no IP header to go with them.
    pub(crate) ports: Option<(u16, u16)>,
    /// A TCP segment: the addresses of the IP header that carries it, and its header.
    pub(crate) tcp: Option<(IpAddr, IpAddr, TcpSegment)>,
}

/// `raw`'s headers decoded (in `decoded`, unless it is a plain TCP frame) and what is kept of
/// them; and where its TCP payload lies in its bytes (empty when it has none).
pub(crate) fn prepare(raw: &RawFrame, decoded: &mut Decoded) -> (Prepared, Range<usize>) {
    prepare_plain(raw).unwrap_or_else(|| prepare_walked(raw, decoded))
}

/// [`prepare`] for a frame [`decode::plain_tcp`] reads (most of a capture), without the walk.
pub(crate) fn prepare_plain(raw: &RawFrame) -> Option<(Prepared, Range<usize>)> {
    let plain = decode::plain_tcp(raw.link_type, raw.data, raw.orig_len)?;
    let ip = if plain.version == 4 {
        bits::IPV4
    } else {
        bits::IPV6
    };
    let bits = bits::ETH | ip | bits::TCP;
    let tcp = Some((plain.src, plain.dst, plain.segment));
    Some(prepared(raw, bits, None, None, tcp))
}

/// [`prepare`] by the decoder's walk, for any frame.
pub(crate) fn prepare_walked(raw: &RawFrame, decoded: &mut Decoded) -> (Prepared, Range<usize>) {
    decode::decode_headers_into(raw.link_type, raw.data, Some(raw.orig_len), decoded);
    // A TCP segment outside a tunnel has its connection's addresses: none kept per frame.
    let tcp_alone = decoded.tcp.is_some() && decoded.inner_ip.is_none();
    let addresses = decoded
        .ip
        .as_ref()
        .filter(|_| !tcp_alone)
        .map(|ip| AddressSet {
            src: ip.src,
            dst: ip.dst,
            inner: decoded.inner_ip.as_ref().map(|i| (i.src, i.dst)),
        });
    let tcp_ip = decoded
        .transport_ip()
        .filter(|_| decoded.tcp.is_some())
        .map(|ip| (ip.src, ip.dst));
    let ports = match (&decoded.udp, &decoded.tcp) {
        (Some(udp), _) => Some((udp.src_port, udp.dst_port)),
        (None, Some(seg)) if tcp_ip.is_none() => Some((seg.src_port, seg.dst_port)),
        _ => None,
    };
    let bits = frame_bits(decoded);
    let tcp = match (tcp_ip, decoded.tcp.take()) {
        (Some((src, dst)), Some(seg)) => Some((src, dst, seg)),
        _ => None,
    };
    prepared(raw, bits, addresses, ports, tcp)
}

/// What is kept of `raw`, given what its headers gave, and the place of its TCP payload.
fn prepared(
    raw: &RawFrame,
    bits: u16,
    addresses: Option<AddressSet>,
    ports: Option<(u16, u16)>,
    tcp: Option<(IpAddr, IpAddr, TcpSegment)>,
) -> (Prepared, Range<usize>) {
    let payload = tcp.as_ref().map_or(0..0, |(_, _, seg)| {
        let start = (seg.payload_offset as usize).min(raw.data.len());
        let end = (start + seg.payload_captured as usize).min(raw.data.len());
        start..end
    });
    let frame = Prepared {
        number: raw.number,
        ts: raw.ts,
        ts_digits: raw.ts_digits,
        link_type: raw.link_type,
        interface: raw.interface,
        orig_len: raw.orig_len,
        offset: raw.offset,
        // Every record fits (see CAP_LEN_BITS); the offset is checked before.
        cap_len: (raw.data.len() as u64).min((1 << CAP_LEN_BITS) - 1),
        bits: bits | if raw.has_ts { bits::HAS_TS } else { 0 },
        addresses,
        ports,
        tcp,
    };
    (frame, payload)
}

/// The protocol bits of a decoded frame.
fn frame_bits(d: &Decoded) -> u16 {
    let mut b = 0;
    let mut set = |cond: bool, bit: u16| {
        if cond {
            b |= bit;
        }
    };
    set(!d.problems.is_empty(), bits::PROBLEMS);
    if let Some(link) = &d.link {
        set(link.kind == LinkKind::Ethernet, bits::ETH);
        set(
            matches!(link.kind, LinkKind::LinuxSll | LinkKind::LinuxSll2),
            bits::SLL,
        );
        set(link.packet_type == Some(0), bits::SLL_TO_US);
        set(link.packet_type == Some(4), bits::SLL_OUTGOING);
    }
    set(!d.vlans.is_empty(), bits::VLAN);
    let ips = [d.ip.as_ref(), d.inner_ip.as_ref()];
    set(ips.iter().flatten().any(|ip| ip.version == 4), bits::IPV4);
    set(ips.iter().flatten().any(|ip| ip.version == 6), bits::IPV6);
    set(d.arp.is_some(), bits::ARP);
    set(d.tcp.is_some(), bits::TCP);
    set(d.udp.is_some(), bits::UDP);
    set(d.icmp.as_ref().is_some_and(|m| m.version == 4), bits::ICMP);
    set(
        d.icmp.as_ref().is_some_and(|m| m.version == 6),
        bits::ICMPV6,
    );
    b
}
