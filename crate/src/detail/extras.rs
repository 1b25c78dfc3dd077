//! Facts about a frame that depend on the frames before it and that neither the decoder nor
//! the TCP tracker records: Wireshark's IP and UDP conversation indices, a TCP frame's number
//! within its stream and its stream timestamps, "bytes sent since last PSH flag", which FIN
//! initiates the close, and each direction's window scale as Wireshark prints it.
//!
//! Promise: [`ExtrasTracker`] takes every frame in capture order (decoded headers and the
//! tracker's final facts) and gives one [`FrameExtras`] per frame from [`ExtrasTracker::finish`];
//! it never panics, and its memory grows with the number of conversations, not with the
//! numbers frames carry. The rules are packet-tcp.c's (push_bytes_sent, closing_initiator,
//! win_scale) and Wireshark 4.4's conversation indices (ip.stream, ipv6.stream, udp.stream).

use crate::capture::Timestamp;
use crate::decode::{tcp_flags, Decoded, IpHeader, TcpOption};
use crate::tcp::TcpFrameFacts;
use serde::Serialize;
use std::collections::HashMap;
use std::net::IpAddr;

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

/// What [`ExtrasTracker`] found for one frame. Small and `Copy`, to keep beside each frame.
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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scale {
    Unknown,
    NotUsed,
    Shift(u8),
}

#[derive(Clone, Copy, Debug)]
struct Direction {
    push_bytes: u32,
    push_last: bool,
    closing_initiator: bool,
    scale: Scale,
}

impl Default for Direction {
    fn default() -> Self {
        Direction {
            push_bytes: 0,
            push_last: false,
            closing_initiator: false,
            scale: Scale::Unknown,
        }
    }
}

struct TcpStream {
    /// The sender of the stream's first frame: direction 0.
    first_sender: (IpAddr, u16),
    packets: u32,
    first_ns: i128,
    previous_ns: i128,
    dirs: [Direction; 2],
}

/// A UDP conversation's key: its two (address, port) ends, lower first.
type UdpKey = ((IpAddr, u16), (IpAddr, u16));

struct UdpStream {
    index: u32,
    first_ns: i128,
    previous_ns: i128,
}

/// Walks a capture's frames in order; see the module documentation.
#[derive(Default)]
pub struct ExtrasTracker {
    ip_streams: HashMap<(IpAddr, IpAddr), u32>,
    udp_streams: HashMap<UdpKey, UdpStream>,
    tcp_streams: HashMap<u32, TcpStream>,
    frames: Vec<FrameExtras>,
    /// For TCP frames: (frame index, stream, direction), to fill in the final window scale.
    scale_of: Vec<(usize, u32, usize)>,
}

fn nanos(ts: Timestamp) -> i128 {
    i128::from(ts.secs) * 1_000_000_000 + i128::from(ts.nanos)
}

/// Nanoseconds as i64, saturating (a capture spans far less than 292 years).
fn clamp(ns: i128) -> i64 {
    ns.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

fn ordered<T: Ord>(a: T, b: T) -> (T, T) {
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

impl ExtrasTracker {
    pub fn new() -> Self {
        Self::default()
    }

    fn ip_stream(&mut self, ip: &IpHeader) -> u32 {
        let next = self.ip_streams.len() as u32;
        *self
            .ip_streams
            .entry(ordered(ip.src, ip.dst))
            .or_insert(next)
    }

    /// Takes the next frame: its time, its decoded headers and, for TCP, the tracker's facts.
    pub fn push(&mut self, ts: Timestamp, decoded: &Decoded, tcp: Option<&TcpFrameFacts>) {
        let now = nanos(ts);
        let mut extras = FrameExtras::default();
        if let Some(ip) = decoded.ip.as_ref() {
            extras.ip_stream = Some(self.ip_stream(ip));
        }
        if let Some(inner) = decoded.inner_ip.as_ref() {
            extras.inner_ip_stream = Some(self.ip_stream(inner));
        }
        let transport_ip = decoded.transport_ip();
        if let (Some(ip), Some(udp)) = (transport_ip, decoded.udp.as_ref()) {
            let next = self.udp_streams.len() as u32;
            let key = ordered((ip.src, udp.src_port), (ip.dst, udp.dst_port));
            let stream = self.udp_streams.entry(key).or_insert(UdpStream {
                index: next,
                first_ns: now,
                previous_ns: now,
            });
            extras.udp_stream = Some(stream.index);
            extras.udp_times = Some((
                clamp(now - stream.first_ns),
                clamp(now - stream.previous_ns),
            ));
            stream.previous_ns = now;
        }
        if let (Some(ip), Some(seg), Some(facts)) = (transport_ip, decoded.tcp.as_ref(), tcp) {
            let sender = (ip.src, seg.src_port);
            let stream = self.tcp_streams.entry(facts.stream).or_insert(TcpStream {
                first_sender: sender,
                packets: 0,
                first_ns: now,
                previous_ns: now,
                dirs: [Direction::default(); 2],
            });
            stream.packets = stream.packets.saturating_add(1);
            extras.tcp_stream_packet = Some(stream.packets);
            extras.tcp_times = Some((
                clamp(now - stream.first_ns),
                clamp(now - stream.previous_ns),
            ));
            stream.previous_ns = now;
            let fwd = usize::from(stream.first_sender != sender);
            let rev = 1 - fwd;
            let flags = seg.flags;

            // packet-tcp.c counts pushed bytes where it computes bytes in flight.
            if facts.segment_len > 0 && facts.bytes_in_flight.is_some() {
                let d = &mut stream.dirs[fwd];
                let psh = flags & tcp_flags::PSH != 0;
                d.push_bytes = match (psh, d.push_last) {
                    (true, false) | (false, false) => {
                        d.push_bytes.saturating_add(facts.segment_len)
                    }
                    (_, true) => facts.segment_len,
                };
                d.push_last = psh;
                extras.push_bytes_sent = Some(d.push_bytes);
            }

            if flags & tcp_flags::FIN != 0 {
                if stream.dirs[rev].closing_initiator {
                    extras.closing = Some(Closing::Undergoes);
                } else {
                    stream.dirs[fwd].closing_initiator = true;
                    extras.closing = Some(Closing::Initiates);
                }
            }

            // Window scale as the tracker learns it: from SYNs, after their own analysis.
            if flags & tcp_flags::SYN != 0 {
                let syn_ack = flags & tcp_flags::ACK != 0;
                let shift = seg.options.iter().find_map(|o| match o {
                    TcpOption::WindowScale(s) => Some((*s).min(14)),
                    _ => None,
                });
                if let Some(s) = shift {
                    stream.dirs[fwd].scale = Scale::Shift(s);
                }
                if stream.dirs[fwd].scale == Scale::Unknown {
                    stream.dirs[fwd].scale = Scale::NotUsed;
                    stream.dirs[rev].scale = Scale::NotUsed;
                } else if syn_ack && stream.dirs[rev].scale == Scale::NotUsed {
                    stream.dirs[fwd].scale = Scale::NotUsed;
                }
            }
            self.scale_of.push((self.frames.len(), facts.stream, fwd));
        }
        self.frames.push(extras);
    }

    /// One [`FrameExtras`] per frame pushed, in order, with each direction's final window
    /// scale (as `tshark -2` shows it on every frame).
    pub fn finish(self) -> Vec<FrameExtras> {
        let ExtrasTracker {
            mut frames,
            scale_of,
            tcp_streams,
            ..
        } = self;
        for (index, stream, dir) in scale_of {
            let scale = tcp_streams
                .get(&stream)
                .and_then(|s| s.dirs.get(dir))
                .map(|d| d.scale);
            if let (Some(frame), Some(scale)) = (frames.get_mut(index), scale) {
                frame.window_scale = Some(match scale {
                    Scale::Unknown => WindowScaleShown::Unknown,
                    Scale::NotUsed => WindowScaleShown::NotUsed,
                    Scale::Shift(s) => WindowScaleShown::Multiplier(1 << u32::from(s.min(14))),
                });
            }
        }
        frames
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A raw IPv4 frame from 10.0.0.1:1000 (or back) with TCP flags and a payload length.
    fn frame(forward: bool, flags: u8, options: &[u8], payload: usize) -> Vec<u8> {
        let header_len = 20 + options.len();
        let total = (20 + header_len + payload) as u16;
        let (src, dst) = if forward { (1, 2) } else { (2, 1) };
        let (sport, dport): (u16, u16) = if forward { (1000, 80) } else { (80, 1000) };
        let mut f = vec![0x45, 0];
        f.extend_from_slice(&total.to_be_bytes());
        f.extend_from_slice(&[0, 0, 0, 0, 64, 6, 0, 0, 10, 0, 0, src, 10, 0, 0, dst]);
        f.extend_from_slice(&sport.to_be_bytes());
        f.extend_from_slice(&dport.to_be_bytes());
        f.extend_from_slice(&[0; 8]);
        f.extend_from_slice(&[((header_len / 4) as u8) << 4, flags, 0x10, 0, 0, 0, 0, 0]);
        f.extend_from_slice(options);
        f.extend_from_slice(&vec![b'x'; payload]);
        f
    }

    fn facts(len: u32) -> TcpFrameFacts {
        TcpFrameFacts {
            segment_len: len,
            bytes_in_flight: (len > 0).then_some(len),
            ..TcpFrameFacts::default()
        }
    }

    #[test]
    fn pushed_bytes_closing_sides_and_unknown_scale() {
        const ACK: u8 = 0x10;
        const PSH: u8 = 0x08;
        const FIN: u8 = 0x01;
        let frames = [
            (true, ACK, 100),
            (true, ACK | PSH, 50),
            (true, ACK, 10),
            (false, ACK | FIN, 0),
            (true, ACK | FIN, 0),
        ];
        let mut tracker = ExtrasTracker::new();
        for (i, (forward, flags, len)) in frames.into_iter().enumerate() {
            let decoded = crate::decode::decode(101, &frame(forward, flags, &[], len));
            let ts = Timestamp {
                secs: i as i64,
                nanos: 0,
            };
            tracker.push(ts, &decoded, Some(&facts(len as u32)));
        }
        let extras = tracker.finish();
        let pushed: Vec<Option<u32>> = extras.iter().map(|e| e.push_bytes_sent).collect();
        assert_eq!(pushed, vec![Some(100), Some(150), Some(10), None, None]);
        let closing: Vec<Option<Closing>> = extras.iter().map(|e| e.closing).collect();
        assert_eq!(
            closing,
            vec![
                None,
                None,
                None,
                Some(Closing::Initiates),
                Some(Closing::Undergoes)
            ]
        );
        assert!(extras
            .iter()
            .all(|e| e.window_scale == Some(WindowScaleShown::Unknown)));
        assert_eq!(extras[4].tcp_stream_packet, Some(5));
        assert_eq!(extras[4].tcp_times, Some((4_000_000_000, 1_000_000_000)));
        assert_eq!(extras[0].ip_stream, Some(0));
        assert_eq!(extras[3].ip_stream, Some(0), "one address pair, both ways");
    }

    #[test]
    fn window_scale_from_the_syns_final_on_every_frame() {
        const SYN: u8 = 0x02;
        const ACK: u8 = 0x10;
        let ws = [1, 3, 3, 7];
        let mut tracker = ExtrasTracker::new();
        // Data first (the SYNs come later in the capture), then SYN with WS, SYN/ACK without.
        for (forward, flags, options) in [
            (true, ACK, &[][..]),
            (true, SYN, &ws[..]),
            (false, SYN | ACK, &[][..]),
        ] {
            let decoded = crate::decode::decode(101, &frame(forward, flags, options, 0));
            tracker.push(Timestamp::default(), &decoded, Some(&facts(0)));
        }
        let extras = tracker.finish();
        // A SYN/ACK without the option turns scaling off for both directions.
        assert!(extras
            .iter()
            .all(|e| e.window_scale == Some(WindowScaleShown::NotUsed)));

        let mut tracker = ExtrasTracker::new();
        for (forward, flags) in [(true, SYN), (false, SYN | ACK), (true, ACK)] {
            let decoded = crate::decode::decode(101, &frame(forward, flags, &ws, 0));
            tracker.push(Timestamp::default(), &decoded, Some(&facts(0)));
        }
        let extras = tracker.finish();
        assert_eq!(
            extras[2].window_scale,
            Some(WindowScaleShown::Multiplier(128))
        );
    }
}
