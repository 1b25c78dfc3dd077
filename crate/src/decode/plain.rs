//! The frames most captures are made of, read without the walk: Ethernet II, then IPv4 (not a
//! fragment) or IPv6 (no extension header), then a TCP header captured whole. Reading a
//! capture needs only the segment and its addresses from such a frame, and the walk's general
//! machinery (the `Decoded` record, problem sentences, tunnels) costs about as much as the
//! rest of keeping the frame.
//!
//! Promise: [`plain_tcp`] gives what the walk ([`super::decode_headers`]) gives for the frame,
//! or None, and None for anything the walk would say a word about (a problem, a length to
//! correct, an option it reads by hand). Where it is unsure it says None and the walk decides.
//! A test compares both on every frame of every shared capture, and the `frame_decoder` fuzz
//! target on any bytes.

use super::bytes::be32_at;
use super::link::LINKTYPE_ETHERNET;
use super::tcp::{fixed_len, sack_blocks, segment};
use super::{TcpOption, TcpSegment};
use etherparse::{
    Ethernet2HeaderSlice, IpNumber, Ipv4HeaderSlice, Ipv6HeaderSlice, TcpHeaderSlice,
};
use std::net::IpAddr;

/// A TCP segment found by [`plain_tcp`], and the IP header's version and addresses.
#[derive(Debug)]
pub struct PlainTcp {
    pub version: u8,
    pub src: IpAddr,
    pub dst: IpAddr,
    pub segment: TcpSegment,
}

/// The TCP segment of a plain frame (see the module's description), as the walk would read it
/// with the TCP options the tracker needs; None for every other frame. `orig_len` is the
/// frame's length on the wire.
pub fn plain_tcp(link_type: u32, data: &[u8], orig_len: u32) -> Option<PlainTcp> {
    if link_type != LINKTYPE_ETHERNET {
        return None;
    }
    let ethernet = Ethernet2HeaderSlice::from_slice(data).ok()?;
    let offset = ethernet.slice().len();
    // What the IP lengths may claim, as the walk counts it: the wire's bytes after Ethernet.
    let remaining = (orig_len as usize).max(data.len()) - offset;
    let rest = &data[offset..];
    let (version, src, dst, header_len, ip_payload_len) = match ethernet.ether_type().0 {
        0x0800 => {
            // Version 4, a header length of 20 or more, all of it captured.
            let ip = Ipv4HeaderSlice::from_slice(rest).ok()?;
            let header_len = ip.slice().len();
            let total = usize::from(ip.total_len());
            // A length of 0 (TSO), beyond the frame or inside the header, and fragments: the
            // walk has a rule or a word for each.
            let fragment = ip.more_fragments() || ip.fragments_offset().value() != 0;
            if total == 0 || total > remaining || total < header_len || fragment {
                return None;
            }
            if ip.protocol() != IpNumber::TCP {
                return None;
            }
            let (src, dst) = (ip.source_addr().into(), ip.destination_addr().into());
            (4, src, dst, header_len, total - header_len)
        }
        0x86dd => {
            let ip = Ipv6HeaderSlice::from_slice(rest).ok()?;
            let payload = usize::from(ip.payload_length());
            // A length of 0 (jumbogram or GSO) or beyond the frame; extension headers.
            if payload == 0 || 40 + payload > remaining || ip.next_header() != IpNumber::TCP {
                return None;
            }
            let (src, dst) = (ip.source_addr().into(), ip.destination_addr().into());
            (6, src, dst, 40, payload)
        }
        _ => return None,
    };
    let tcp_offset = offset + header_len;
    // A data offset of 5 or more, the whole header captured, within the IP payload.
    let header = TcpHeaderSlice::from_slice(data.get(tcp_offset..)?).ok()?;
    let tcp_len = header.slice().len();
    if tcp_len > ip_payload_len {
        return None;
    }
    let options = tracked_options(header.options())?;
    Some(PlainTcp {
        version,
        src,
        dst,
        segment: segment(
            &header,
            tcp_len,
            data,
            tcp_offset,
            ip_payload_len as u32,
            options,
        ),
    })
}

/// The options the tracker reads (window scale, SACK), when every option is one etherparse
/// reads, up to the end of the header or an End of Option List; otherwise None (the walk
/// reads the rest by hand, and says what is wrong).
///
/// Written here rather than with etherparse's `TcpOptionsIterator`, which the walk uses: its
/// items are large results, and it took a third of the plain path's time. The lengths
/// accepted are etherparse's (the differential test and the fuzz target hold it to that).
fn tracked_options(bytes: &[u8]) -> Option<Vec<TcpOption>> {
    // Most segments carry no option or Linux's NOP, NOP, timestamps (kind 8, length 10):
    // nothing the tracker reads, seen at a glance.
    if bytes.is_empty() || (bytes.len() == 12 && be32_at(bytes, 0) == Some(0x0101_080a)) {
        return Some(Vec::new());
    }
    let mut options = Vec::new();
    let mut at = 0;
    while let Some(&kind) = bytes.get(at) {
        let len = match kind {
            0 => break,
            1 => {
                at += 1;
                continue;
            }
            _ => usize::from(*bytes.get(at + 1)?),
        };
        let body = bytes.get(at + 2..at + len.max(2))?;
        match kind {
            5 if matches!(len, 10 | 18 | 26 | 34) => {
                options.push(TcpOption::Sack(sack_blocks(body)));
            }
            _ if fixed_len(kind) != Some(len) => return None,
            3 => options.push(TcpOption::WindowScale(body[0])),
            _ => {}
        }
        at += len;
    }
    Some(options)
}

#[cfg(test)]
mod tests {
    use crate::capture::{CaptureReader, RawFrame};
    use crate::fuzzing::plain_path_agrees;

    /// Frames read by the plain path, and all frames, of a capture; every frame read by it is
    /// checked against the walk.
    fn plain_share(capture: &[u8]) -> (usize, usize) {
        let (mut plain, mut all) = (0, 0);
        let mut reader = CaptureReader::new();
        reader.push(capture, &mut |raw: &RawFrame| {
            all += 1;
            plain += usize::from(plain_path_agrees(raw));
        });
        (plain, all)
    }

    /// On every frame of every shared capture, the tutorial's and generated traffic (IPv4 and
    /// IPv6, loss, SACK, window scaling), the plain path keeps what the walk keeps.
    #[test]
    fn the_plain_path_reads_as_the_walk() {
        let shared = crate::test_captures::all_captures();
        let mut plain = 0;
        for path in &shared {
            let bytes = std::fs::read(path).unwrap_or_default();
            plain += plain_share(&bytes).0;
        }
        // Thousands of real frames of all kinds (checksum offload, options, IPv6, ...).
        assert!(
            shared.is_empty() || plain > 5000,
            "{plain} shared frames by the plain path"
        );
        // The tutorial's capture is Linux cooked: the walk reads all of it.
        assert_eq!(plain_share(&crate::test_captures::demo()), (0, 10));
        for pcapng in [false, true] {
            let generated = crate::synth::generate(crate::synth::Options {
                frames: 20_000,
                seed: 9,
                pcapng,
                ..Default::default()
            });
            let (generated_plain, all) = plain_share(&generated);
            // Every generated frame is Ethernet, IP and TCP with a whole header.
            assert_eq!(generated_plain, all, "pcapng: {pcapng}");
        }
    }

    /// What the plain path leaves to the walk: it says None, and the walk has a word or a rule
    /// for each.
    #[test]
    fn unusual_frames_go_to_the_walk() {
        use super::plain_tcp;
        // Ethernet, IPv4 (20 bytes, total length 40), TCP (20 bytes, no options).
        let mut frame = vec![0u8; 54];
        frame[12..14].copy_from_slice(&[0x08, 0x00]);
        frame[14] = 0x45;
        frame[16..18].copy_from_slice(&40u16.to_be_bytes());
        frame[23] = 6;
        frame[46] = 0x50;
        assert!(plain_tcp(1, &frame, 54).is_some());
        let changed = |at: usize, value: u8| {
            let mut f = frame.clone();
            f[at] = value;
            plain_tcp(1, &f, 54)
        };
        assert!(plain_tcp(113, &frame, 54).is_none(), "Linux cooked");
        assert!(changed(12, 0x81).is_none(), "a VLAN tag (0x8100)");
        assert!(changed(14, 0x46).is_none(), "IPv4 options past the frame");
        assert!(changed(17, 0).is_none(), "IPv4 total length 0 (TSO)");
        assert!(
            changed(17, 60).is_none(),
            "IPv4 total length past the frame"
        );
        assert!(
            changed(17, 39).is_none(),
            "IPv4 total length inside the TCP header"
        );
        assert!(changed(20, 0x20).is_none(), "more fragments");
        assert!(changed(21, 1).is_none(), "a fragment's offset");
        assert!(changed(23, 17).is_none(), "UDP");
        assert!(changed(46, 0x40).is_none(), "TCP data offset 4");
        assert!(plain_tcp(1, &frame[..50], 54).is_none(), "TCP header cut");
        // Options: a known one with a wrong length, an unknown kind.
        let mut with_options = frame.clone();
        with_options[17] = 44;
        with_options[46] = 0x60;
        with_options.extend_from_slice(&[3, 3, 7, 0]);
        assert!(
            plain_tcp(1, &with_options, 58).is_some(),
            "window scale, end of list"
        );
        with_options[55] = 4;
        assert!(
            plain_tcp(1, &with_options, 58).is_none(),
            "window scale of length 4"
        );
        with_options[54..58].copy_from_slice(&[30, 2, 1, 1]);
        assert!(plain_tcp(1, &with_options, 58).is_none(), "kind 30 (MPTCP)");
    }

    /// Options as senders lay them out (each kind, SACK with 1 to 4 blocks, unknown kinds), a
    /// byte now and then changed to one options are made of, in every header length: where
    /// the plain path reads them, it reads what the walk reads.
    #[test]
    fn options_are_read_as_the_walk_reads_them() {
        const BYTES: [u8; 12] = [0, 1, 2, 3, 4, 5, 8, 10, 18, 30, 7, 255];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n) as usize
        };
        let (mut read, mut tracked) = (0, 0);
        for _ in 0..50_000 {
            let mut options = Vec::new();
            while options.len() < 40 && next(4) != 0 {
                let kind = [0u8, 1, 2, 3, 4, 5, 8, 30][next(8)];
                let len = match kind {
                    0 | 1 => 1,
                    2 => 4,
                    3 => 3,
                    4 => 2,
                    5 => 2 + 8 * (1 + next(4)),
                    8 => 10,
                    _ => 2 + next(6),
                };
                options.push(kind);
                if len > 1 {
                    options.push(len as u8);
                    options.extend((2..len).map(|_| next(256) as u8));
                }
            }
            if next(8) == 0 && !options.is_empty() {
                let at = next(options.len() as u64);
                options[at] = BYTES[next(BYTES.len() as u64)];
            }
            options.truncate(40);
            options.resize(options.len().div_ceil(4) * 4, 1);
            let words = options.len() / 4;
            let mut frame = vec![0u8; 54];
            frame[12..14].copy_from_slice(&[0x08, 0x00]);
            frame[14] = 0x45;
            frame[16..18].copy_from_slice(&(40 + options.len() as u16).to_be_bytes());
            frame[23] = 6;
            frame[46] = (5 + words as u8) << 4;
            frame.extend_from_slice(&options);
            let raw = RawFrame {
                number: 1,
                ts: Default::default(),
                has_ts: true,
                ts_digits: 6,
                link_type: 1,
                interface: 0,
                orig_len: frame.len() as u32,
                offset: 0,
                data: &frame,
            };
            read += usize::from(plain_path_agrees(&raw));
            tracked += usize::from(
                super::plain_tcp(1, &frame, frame.len() as u32)
                    .is_some_and(|p| !p.segment.options.is_empty()),
            );
        }
        // Window scale and SACK options were read by the plain path, many times.
        assert!(tracked > 5_000, "{tracked} with options the tracker reads");
        // Both ways are taken often.
        assert!(
            (5_000..45_000).contains(&read),
            "{read} of 50000 by the plain path"
        );
    }
}
