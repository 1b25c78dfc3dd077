//! A deterministic generator of realistic TCP captures, for benchmarks and for tests that need
//! large or specific traffic: HTTP/1.1 connections (handshake, requests, responses, close),
//! keep-alive, resets, port reuse, bulk transfers with a lost segment and its fast
//! retransmission, and a slow reader whose window goes to zero; IPv4 and IPv6; written as
//! pcap or pcapng (pcap-file's writers) with frames built by etherparse's `PacketBuilder`.
//! Other shapes of traffic ([`Shape`]) give captures of one kind of connection.
//!
//! Promise: the same [`Options`] give the same bytes, on every platform.

use etherparse::{PacketBuilder, TcpOptionElement};
use pcap_file::pcap::{PcapHeader, PcapPacket, PcapWriter};
use pcap_file::pcapng::blocks::enhanced_packet::EnhancedPacketBlock;
use pcap_file::pcapng::blocks::interface_description::InterfaceDescriptionBlock;
use pcap_file::pcapng::PcapNgWriter;
use pcap_file::{DataLink, Endianness};
use std::time::Duration;

/// What to generate.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Roughly how many frames (the last connection is finished, so a few more may come).
    pub frames: usize,
    pub seed: u64,
    pub pcapng: bool,
    pub shape: Shape,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            frames: 100_000,
            seed: 1,
            pcapng: false,
            shape: Shape::Ordinary,
        }
    }
}

/// The traffic a capture holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Shape {
    /// The benchmark's mix of HTTP/1.1 connections (see the module's doc).
    #[default]
    Ordinary,
    /// Downloads of 0.3 to 1 MB (`GET /bytes?n=N`, application/octet-stream) captured at the
    /// client by a capture that missed some of the server's segments (the client received
    /// and acknowledged them): each response's body has gaps. Every other response has a
    /// head longer than a segment.
    LossyDownload,
}

impl Shape {
    /// "ordinary", "lossy-download": the names `generate --shape` takes.
    pub fn parse(name: &str) -> Option<Shape> {
        match name {
            "ordinary" => Some(Shape::Ordinary),
            "lossy-download" => Some(Shape::LossyDownload),
            _ => None,
        }
    }
}

/// The maximum segment size of every connection.
const MSS: usize = 1448;

/// xorshift64*: small, fast and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// One endpoint's address.
#[derive(Clone, Copy)]
enum Addr {
    V4([u8; 4]),
    V6([u8; 16]),
}

/// A frame: time in microseconds since the capture's start, and its bytes.
type Frame = (u64, Vec<u8>);

/// One host of a connection while it is generated: its addresses and what it sends next.
struct Host {
    mac: [u8; 6],
    addr: Addr,
    port: u16,
    /// Next sequence number to send (raw).
    seq: u32,
    window: u16,
    ts_val: u32,
}

struct Conn {
    client: Host,
    server: Host,
    /// Microseconds now.
    now: u64,
    /// One-way delay, microseconds (the capture point is the client's host).
    rtt: u64,
}

impl Conn {
    /// Builds one segment from `from_client`'s side with the given flags and payload.
    fn segment(
        &mut self,
        from_client: bool,
        flags: &str,
        payload: &[u8],
        syn_options: bool,
    ) -> Frame {
        let (me, peer) = if from_client {
            (&mut self.client, &self.server)
        } else {
            (&mut self.server, &self.client)
        };
        me.ts_val = me.ts_val.wrapping_add(1);
        let eth = PacketBuilder::ethernet2(me.mac, peer.mac);
        let ip = match (me.addr, peer.addr) {
            (Addr::V4(a), Addr::V4(b)) => eth.ipv4(a, b, 64),
            (Addr::V6(a), Addr::V6(b)) => eth.ipv6(a, b, 64),
            // Both sides of a connection share a family.
            (Addr::V4(a), Addr::V6(_)) | (Addr::V6(_), Addr::V4(a)) => eth.ipv4(a, a, 64),
        };
        let mut tcp = ip.tcp(me.port, peer.port, me.seq, me.window);
        let mut options = vec![];
        if syn_options {
            options.push(TcpOptionElement::MaximumSegmentSize(MSS as u16 + 12));
            options.push(TcpOptionElement::SelectiveAcknowledgementPermitted);
            options.push(TcpOptionElement::Timestamp(
                me.ts_val,
                peer.ts_val.saturating_sub(1),
            ));
            options.push(TcpOptionElement::Noop);
            options.push(TcpOptionElement::WindowScale(7));
        } else {
            options.push(TcpOptionElement::Noop);
            options.push(TcpOptionElement::Noop);
            options.push(TcpOptionElement::Timestamp(me.ts_val, peer.ts_val));
        }
        for flag in flags.split('+') {
            tcp = match flag {
                "SYN" => tcp.syn(),
                "ACK" => tcp.ack(peer.seq),
                "FIN" => tcp.fin(),
                "RST" => tcp.rst(),
                "PSH" => tcp.psh(),
                _ => tcp,
            };
        }
        let tcp = tcp.options(&options).unwrap_or_else(|_| ip_fallback());
        let mut bytes = Vec::with_capacity(tcp.size(payload.len()));
        // Writing into a Vec cannot fail; a failure would leave the frame empty, not panic.
        let _ = tcp.write(&mut bytes, payload);
        let consumed = payload.len() as u32
            + u32::from(flags.contains("SYN"))
            + u32::from(flags.contains("FIN"));
        me.seq = me.seq.wrapping_add(consumed);
        (self.now, bytes)
    }

    fn advance(&mut self, micros: u64) {
        self.now += micros;
    }
}

/// Never reached with the fixed options above (they fit in 40 bytes); keeps the builder total.
fn ip_fallback() -> etherparse::PacketBuilderStep<etherparse::TcpHeader> {
    PacketBuilder::ethernet2([0; 6], [0; 6])
        .ipv4([0; 4], [0; 4], 64)
        .tcp(0, 0, 0, 0)
}

/// The kinds of connection, in the mix the benchmark wants.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    /// Requests and responses; `requests` > 1 is keep-alive.
    Http { requests: u32 },
    /// The server answers the SYN with a RST.
    Refused,
    /// Established, then the server resets it.
    Reset,
    /// A large response with one lost segment, three duplicate ACKs and a fast retransmission.
    LossyBulk,
    /// A large response to a reader whose window goes to zero, then opens again.
    SlowReader,
    /// A download whose capture missed some of the server's segments; `long_head`: the
    /// response's head is longer than a segment.
    Download { long_head: bool },
}

/// Generates the capture into a byte vector.
pub fn generate(options: Options) -> Vec<u8> {
    let mut rng = Rng(options.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut frames: Vec<Frame> = Vec::with_capacity(options.frames + 64);
    let mut now = 1_000_000u64;
    let mut connection = 0u32;
    let mut last_port: Option<(u16, u8)> = None;
    while frames.len() < options.frames {
        connection += 1;
        let kind = match options.shape {
            Shape::LossyDownload => Kind::Download {
                long_head: connection % 2 == 0,
            },
            Shape::Ordinary => ordinary_kind(&mut rng),
        };
        // Now and then a port is used again right after its connection closed, with a new ISN.
        let (port, host) = match last_port {
            Some(same) if rng.chance(3) => same,
            _ => (
                20_000 + (connection % 40_000) as u16,
                (connection % 200) as u8 + 10,
            ),
        };
        last_port = Some((port, host));
        let v6 = host % 5 == 0;
        let (client_addr, server_addr) = if v6 {
            let mut c = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
            c[15] = host;
            let mut s = c;
            s[15] = 1;
            s[7] = 0x80;
            (Addr::V6(c), Addr::V6(s))
        } else {
            (Addr::V4([10, 1, 0, host]), Addr::V4([192, 0, 2, 80]))
        };
        let mut conn = Conn {
            client: Host {
                mac: [2, 0, 0, 0, 0, host],
                addr: client_addr,
                port,
                seq: rng.next() as u32,
                window: 502,
                ts_val: rng.next() as u32,
            },
            server: Host {
                mac: [2, 0, 0, 0, 1, 1],
                addr: server_addr,
                port: 80,
                seq: rng.next() as u32,
                window: 509,
                ts_val: rng.next() as u32,
            },
            now,
            rtt: 200 + rng.below(30_000),
        };
        connection_frames(&mut conn, kind, &mut rng, &mut frames);
        // Connections start every few milliseconds and do not overlap: each one's frames stay
        // in time order in the file.
        now = conn.now + 100 + rng.below(5_000);
    }
    write(&frames, options.pcapng)
}

/// A connection of the ordinary mix.
fn ordinary_kind(rng: &mut Rng) -> Kind {
    match rng.below(100) {
        0..=1 => Kind::Refused,
        2..=4 => Kind::Reset,
        5 => Kind::LossyBulk,
        6 => Kind::SlowReader,
        7..=26 => Kind::Http {
            requests: 2 + rng.below(3) as u32,
        },
        _ => Kind::Http { requests: 1 },
    }
}

fn connection_frames(conn: &mut Conn, kind: Kind, rng: &mut Rng, out: &mut Vec<Frame>) {
    let rtt = conn.rtt;
    // Handshake, as seen on the client's host: SYN, SYN+ACK an RTT later, ACK at once.
    out.push(conn.segment(true, "SYN", &[], true));
    conn.advance(rtt);
    if kind == Kind::Refused {
        conn.server.seq = 0;
        out.push(conn.segment(false, "RST+ACK", &[], false));
        return;
    }
    out.push(conn.segment(false, "SYN+ACK", &[], true));
    conn.advance(30);
    out.push(conn.segment(true, "ACK", &[], false));
    conn.advance(50);
    match kind {
        Kind::Http { requests } => {
            for i in 0..requests {
                // Mostly small API answers, now and then a page: about 125 bytes a frame on
                // average, like the benchmark's reference capture.
                let largest = if rng.chance(2) { 4_000 } else { 200 };
                let size = 20 + rng.below(largest) as usize;
                exchange(conn, rng, out, i, size, None);
            }
            close(conn, rng, out);
        }
        Kind::Reset => {
            exchange(conn, rng, out, 0, 500, None);
            conn.advance(rtt);
            out.push(conn.segment(false, "RST+ACK", &[], false));
        }
        Kind::LossyBulk => {
            let lost = 3 + rng.below(10) as usize;
            exchange(conn, rng, out, 0, 30_000, Some(Trouble::Loss(lost)));
            close(conn, rng, out);
        }
        Kind::SlowReader => {
            exchange(conn, rng, out, 0, 20_000, Some(Trouble::ZeroWindow));
            close(conn, rng, out);
        }
        Kind::Download { long_head } => {
            let size = 300_000 + rng.below(700_000) as usize;
            exchange(
                conn,
                rng,
                out,
                0,
                size,
                Some(Trouble::CaptureDrops { long_head }),
            );
            close(conn, rng, out);
        }
        Kind::Refused => {}
    }
}

#[derive(Clone, Copy)]
enum Trouble {
    /// The n-th data segment of the response is lost on its way (never captured).
    Loss(usize),
    /// The client's window closes halfway through the response.
    ZeroWindow,
    /// A download (`GET /bytes?n=`, application/octet-stream; `long_head`: a head longer
    /// than a segment) whose capture misses some of the server's segments after the head:
    /// the client receives and acknowledges them, the capture never shows them.
    CaptureDrops { long_head: bool },
}

/// One request and its response of `size` body bytes.
fn exchange(
    conn: &mut Conn,
    rng: &mut Rng,
    out: &mut Vec<Frame>,
    index: u32,
    size: usize,
    trouble: Option<Trouble>,
) {
    let rtt = conn.rtt;
    let download = match trouble {
        Some(Trouble::CaptureDrops { long_head }) => Some(long_head),
        _ => None,
    };
    let request = match download {
        Some(_) => format!("GET /bytes?n={size} HTTP/1.1\r\nHost: example.test\r\n\r\n"),
        None => format!(
            "GET /item/{index}?id={} HTTP/1.1\r\nHost: example.test\r\n\r\n",
            rng.below(100_000)
        ),
    };
    out.push(conn.segment(true, "PSH+ACK", request.as_bytes(), false));
    conn.advance(rtt);
    out.push(conn.segment(false, "ACK", &[], false));
    conn.advance(100 + rng.below(2_000));
    let mut response = match download {
        Some(long_head) => {
            let cookie = if long_head {
                format!("Set-Cookie: session={}\r\n", "s".repeat(2_000))
            } else {
                String::new()
            };
            format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n\
                 Content-Length: {size}\r\n{cookie}\r\n"
            )
        }
        None => {
            format!("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {size}\r\n\r\n")
        }
    }
    .into_bytes();
    // The segments the capture misses come after the head's.
    let head_segments = response.len().div_ceil(MSS);
    response.extend((0..size).map(|i| b'a' + (i % 26) as u8));
    let segments: Vec<&[u8]> = response.chunks(MSS).collect();
    let mut unacked = 0;
    let mut lost: Option<(u32, usize)> = None; // (seq of the lost segment, its index)
    for (i, chunk) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        let flags = if last { "PSH+ACK" } else { "ACK" };
        if let Some(Trouble::Loss(n)) = trouble {
            if i == n {
                // Sent but lost before the capture point: advance the sequence, capture nothing.
                lost = Some((conn.server.seq, i));
                let _ = conn.segment(false, flags, chunk, false);
                conn.advance(20);
                continue;
            }
        }
        let frame = conn.segment(false, flags, chunk, false);
        let missed = download.is_some()
            && !last
            && i >= head_segments
            && (i == head_segments + 1 || rng.chance(2));
        if !missed {
            out.push(frame);
        }
        conn.advance(20);
        unacked += 1;
        if let (Some((lost_seq, _)), true) = (lost, unacked >= 2) {
            // Every segment after the hole is acknowledged with the hole's seq: duplicate ACKs.
            let keep = conn.server.seq;
            conn.server.seq = lost_seq;
            out.push(conn.segment(true, "ACK", &[], false));
            conn.server.seq = keep;
            unacked = 0;
            continue;
        }
        if matches!(trouble, Some(Trouble::ZeroWindow)) && i == segments.len() / 2 {
            // The reader stops reading: its window closes; after a while it opens again.
            conn.advance(rtt);
            conn.client.window = 0;
            out.push(conn.segment(true, "ACK", &[], false));
            conn.advance(200_000);
            conn.client.window = 502;
            out.push(conn.segment(true, "ACK", &[], false));
            unacked = 0;
            continue;
        }
        if unacked >= 2 || last {
            conn.advance(rtt / 4 + 10);
            out.push(conn.segment(true, "ACK", &[], false));
            unacked = 0;
        }
        if lost.is_some_and(|(_, at)| i == at + 6) {
            // After three and more duplicate ACKs the sender resends the lost segment.
            if let Some((lost_seq, at)) = lost.take() {
                let keep = conn.server.seq;
                conn.server.seq = lost_seq;
                out.push(conn.segment(false, "ACK", segments[at], false));
                conn.server.seq = keep;
                conn.advance(rtt);
                out.push(conn.segment(true, "ACK", &[], false));
            }
        }
    }
    conn.advance(1_000 + rng.below(50_000));
}

/// The close: mostly the client's FIN answered by FIN+ACK (three segments); sometimes four.
fn close(conn: &mut Conn, rng: &mut Rng, out: &mut Vec<Frame>) {
    let rtt = conn.rtt;
    out.push(conn.segment(true, "FIN+ACK", &[], false));
    conn.advance(rtt);
    if rng.chance(30) {
        out.push(conn.segment(false, "ACK", &[], false));
        conn.advance(200);
    }
    out.push(conn.segment(false, "FIN+ACK", &[], false));
    conn.advance(20);
    out.push(conn.segment(true, "ACK", &[], false));
}

fn write(frames: &[Frame], pcapng: bool) -> Vec<u8> {
    let timestamp = |micros: u64| Duration::from_micros(1_700_000_000_000_000 + micros);
    if pcapng {
        let Ok(mut writer) = PcapNgWriter::with_endianness(Vec::new(), Endianness::Little) else {
            return Vec::new();
        };
        let _ =
            writer.write_pcapng_block(InterfaceDescriptionBlock::new(DataLink::ETHERNET, 65535));
        for (micros, data) in frames {
            let block = EnhancedPacketBlock {
                interface_id: 0,
                timestamp: timestamp(*micros),
                original_len: data.len() as u32,
                data: data.as_slice().into(),
                options: vec![],
            };
            let _ = writer.write_pcapng_block(block);
        }
        writer.into_inner()
    } else {
        let header = PcapHeader {
            snaplen: 65535,
            endianness: Endianness::Little,
            ..PcapHeader::default()
        };
        let Ok(mut writer) = PcapWriter::with_header(Vec::new(), header) else {
            return Vec::new();
        };
        for (micros, data) in frames {
            if let Ok(packet) =
                PcapPacket::new(timestamp(*micros), data.len() as u32, data.as_slice())
            {
                let _ = writer.write_packet(&packet);
            }
        }
        writer.into_inner()
    }
}

#[cfg(test)]
mod tests {
    use super::{generate, Options};
    use crate::analysis::analyze_bytes;

    #[test]
    fn the_same_seed_gives_the_same_bytes() {
        let a = generate(Options {
            frames: 3_000,
            seed: 7,
            pcapng: false,
            ..Default::default()
        });
        let b = generate(Options {
            frames: 3_000,
            seed: 7,
            pcapng: false,
            ..Default::default()
        });
        let c = generate(Options {
            frames: 3_000,
            seed: 8,
            pcapng: false,
            ..Default::default()
        });
        assert_eq!(a, b);
        assert_ne!(a, c);
        let n = generate(Options {
            frames: 3_000,
            seed: 7,
            pcapng: true,
            ..Default::default()
        });
        assert_eq!(
            n,
            generate(Options {
                frames: 3_000,
                seed: 7,
                pcapng: true,
                ..Default::default()
            })
        );
    }

    #[test]
    fn generated_traffic_has_what_the_benchmark_needs() {
        let report = analyze_bytes(&generate(Options {
            frames: 20_000,
            seed: 1,
            pcapng: false,
            ..Default::default()
        }));
        assert!(report.frame_count() >= 20_000);
        assert!(
            report.capture.problems.is_empty(),
            "{:?}",
            report.capture.problems
        );
        let flags: Vec<&str> = report
            .tcp
            .records
            .iter()
            .flat_map(|r| report.tcp.analysis(r).iter().map(|x| x.name()))
            .collect();
        for wanted in [
            "duplicate_ack",
            "fast_retransmission",
            "lost_segment",
            "zero_window",
            "reused_ports",
        ] {
            assert!(
                flags.contains(&wanted),
                "no {wanted} in the generated capture"
            );
        }
        assert!(report
            .frames
            .iter()
            .any(|f| f.has(crate::analysis::bits::IPV6)));
        assert!(report.http.exchange_count() > 500);
        let pcapng = analyze_bytes(&generate(Options {
            frames: 20_000,
            seed: 1,
            pcapng: true,
            ..Default::default()
        }));
        assert_eq!(crate::row::all(&pcapng), crate::row::all(&report));
    }
}
