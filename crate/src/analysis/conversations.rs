//! The capture's IP and UDP conversations as Wireshark numbers them (ip.stream, ipv6.stream,
//! udp.stream: Wireshark 4.4's conversation indices), for one frame when it is opened.
//!
//! Promise: conversations (either direction) are numbered in order of first appearance, outer
//! before inner within a frame, as Wireshark numbers them.

use super::record::{bits, Frame, NONE};
use super::Report;
use crate::capture::saturating_ns;
use rustc_hash::FxHashMap as HashMap;
use std::net::IpAddr;

/// Both ends of a UDP conversation, lower first.
type UdpKey = ((IpAddr, u16), (IpAddr, u16));

impl Report {
    /// Wireshark's ip.stream of the frame's outer and inner IP headers: conversations (either
    /// direction) numbered in order of appearance, outer before inner within a frame.
    pub fn ip_streams(&self, frame: &Frame) -> (Option<u32>, Option<u32>) {
        let report = self;
        if report.address_set(frame).is_none() {
            return (None, None);
        }
        let mut numbers: HashMap<(IpAddr, IpAddr), u32> = HashMap::default();
        let mut number = |pair: (IpAddr, IpAddr)| {
            let next = numbers.len() as u32;
            *numbers.entry(ordered(pair.0, pair.1)).or_insert(next)
        };
        // Conversations are numbered by first appearance, in the frames before this one; each
        // kept address set, and each TCP direction (whose segments share their addresses), is
        // looked at once.
        let mut seen_sets = vec![false; report.addresses.len()];
        let mut seen_directions = vec![false; report.tcp.conns.len() * 2];
        for f in report.numbered().take_while(|f| f.number < frame.number) {
            let set = report.kept_set(&f);
            let seen = if set != NONE {
                seen_sets.get_mut(set as usize)
            } else if let Some((stream, record)) = report.tcp.segment(f.tcp()) {
                let direction = stream as usize * 2 + usize::from(!record.from_a());
                seen_directions.get_mut(direction)
            } else {
                None
            };
            match seen {
                Some(seen) if !*seen => *seen = true,
                _ => continue,
            }
            if let Some(set) = report.address_set(&f) {
                number((set.src, set.dst));
                set.inner.map(&mut number);
            }
        }
        report.address_set(frame).map_or((None, None), |set| {
            (Some(number((set.src, set.dst))), set.inner.map(&mut number))
        })
    }

    /// Wireshark's udp.stream of the frame, and its times since the stream's first and previous
    /// frames.
    pub fn udp_stream(&self, frame: &Frame) -> Option<(u32, (i64, i64))> {
        let report = self;
        let key = |f: &Frame| {
            let (src, dst) = report.address_set(f)?.transport();
            let (src_port, dst_port) = report.udp_ports(f)?;
            Some(ordered((src, src_port), (dst, dst_port)))
        };
        let mine = key(frame)?;
        let mut streams: HashMap<UdpKey, u32> = HashMap::default();
        let mut first = None;
        let mut previous = None;
        let mut index = 0;
        for f in report.numbered().take_while(|f| f.number < frame.number) {
            if !f.has(bits::UDP) {
                continue;
            }
            let Some(k) = key(&f) else {
                continue;
            };
            let next = streams.len() as u32;
            let n = *streams.entry(k).or_insert(next);
            if k == mine {
                index = n;
                first.get_or_insert(f);
                previous = Some(f);
            }
        }
        if first.is_none() {
            index = streams.len() as u32;
        }
        let now = report.shown_ts(frame);
        let since =
            |f: Option<&Frame>| saturating_ns(f.map_or(0, |f| now.nanos_since(report.shown_ts(f))));
        Some((index, (since(first.as_ref()), since(previous.as_ref()))))
    }
}

/// `a` and `b`, lower first.
pub(crate) fn ordered<T: Ord>(a: T, b: T) -> (T, T) {
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}
