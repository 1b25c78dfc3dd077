//! Whole-frame tests: the tutorial's capture against tshark's columns, and every shared
//! capture decoded without a panic.

use super::{decode, decode_frame};
use crate::capture::{read_all, RawFrame};
use crate::row::info_text;
use crate::tcp::TcpFrameFacts;
use crate::test_captures::{all_captures, captures_dir};
use std::path::Path;

fn frames_of(path: &Path) -> Vec<(u32, Vec<u8>, u32)> {
    let Ok(bytes) = std::fs::read(path) else {
        return Vec::new();
    };
    let mut frames = Vec::new();
    read_all(&bytes, &mut |raw: &RawFrame| {
        frames.push((raw.link_type, raw.data.to_vec(), raw.orig_len))
    });
    frames
}

/// tshark -n -o tcp.relative_sequence_numbers:TRUE -r seed/demo.pcap: columns, and the
/// relative seq/ack and calculated window the tracker will supply.
const DEMO: [(&str, &str, &str, u32, u32, u64); 10] = [
    ("TCP", "58626 \u{2192} 8080 [SYN] Seq=0 Win=29200 Len=0 MSS=1460 SACK_PERM TSval=3433988 TSecr=0 WS=128", "192.168.0.50", 0, 0, 29200),
    ("TCP", "8080 \u{2192} 58626 [SYN, ACK] Seq=0 Ack=1 Win=28960 Len=0 MSS=1460 SACK_PERM TSval=3803829 TSecr=3433988 WS=128", "192.168.0.52", 0, 1, 28960),
    ("TCP", "58626 \u{2192} 8080 [ACK] Seq=1 Ack=1 Win=29312 Len=0 TSval=3433989 TSecr=3803829", "192.168.0.50", 1, 1, 29312),
    ("HTTP", "GET /hello?name=world HTTP/1.1 ", "192.168.0.50", 1, 1, 29312),
    ("TCP", "8080 \u{2192} 58626 [ACK] Seq=1 Ack=98 Win=29056 Len=0 TSval=3803829 TSecr=3433989", "192.168.0.52", 1, 98, 29056),
    ("HTTP", "HTTP/1.1 200   (text/plain)", "192.168.0.52", 1, 98, 29056),
    ("TCP", "58626 \u{2192} 8080 [ACK] Seq=98 Ack=127 Win=29312 Len=0 TSval=3433992 TSecr=3803832", "192.168.0.50", 98, 127, 29312),
    ("TCP", "58626 \u{2192} 8080 [FIN, ACK] Seq=98 Ack=127 Win=29312 Len=0 TSval=3433992 TSecr=3803832", "192.168.0.50", 98, 127, 29312),
    ("TCP", "8080 \u{2192} 58626 [FIN, ACK] Seq=127 Ack=99 Win=29056 Len=0 TSval=3803832 TSecr=3433992", "192.168.0.52", 127, 99, 29056),
    ("TCP", "58626 \u{2192} 8080 [ACK] Seq=99 Ack=128 Win=29312 Len=0 TSval=3433993 TSecr=3803832", "192.168.0.50", 99, 128, 29312),
];

#[test]
fn demo_matches_tshark() {
    let Some(dir) = captures_dir() else { return };
    let frames = frames_of(&dir.join("seed/demo.pcap"));
    assert_eq!(frames.len(), 10);
    for (i, ((link_type, data, orig_len), (protocol, info, src, seq, ack, win))) in
        frames.iter().zip(DEMO).enumerate()
    {
        let decoded = decode_frame(*link_type, data, Some(*orig_len));
        assert!(
            decoded.problems.is_empty(),
            "frame {}: {:?}",
            i + 1,
            decoded.problems
        );
        let facts = TcpFrameFacts {
            relative_seq: seq,
            relative_ack: ack,
            window_calc: win,
            ..TcpFrameFacts::default()
        };
        assert_eq!(decoded.protocol, protocol, "frame {}", i + 1);
        assert_eq!(info_text(&decoded, Some(&facts)), info, "frame {}", i + 1);
        assert_eq!(decoded.src, src, "frame {}", i + 1);
        let other = if src == "192.168.0.50" {
            "192.168.0.52"
        } else {
            "192.168.0.50"
        };
        assert_eq!(decoded.dst, other, "frame {}", i + 1);
    }
    // Payload lengths are tshark's tcp.len.
    let lens: Vec<u32> = frames
        .iter()
        .filter_map(|(l, d, _)| decode(*l, d).tcp.map(|t| t.payload_len))
        .collect();
    assert_eq!(lens, vec![0, 0, 0, 97, 0, 126, 0, 0, 0, 0]);
    let response = decode(frames[5].0, &frames[5].1)
        .http
        .expect("HTTP response");
    assert_eq!(
        (response.status, response.content_type.as_deref()),
        (Some(200), Some("text/plain;charset=UTF-8"))
    );
}

#[test]
fn every_shared_capture_decodes_without_panic() {
    let files = all_captures();
    let mut frames_total = 0usize;
    for file in &files {
        for (link_type, data, orig_len) in frames_of(file) {
            let decoded = decode_frame(link_type, &data, Some(orig_len));
            assert!(!decoded.protocol.is_empty(), "{}", file.display());
            let _ = info_text(&decoded, None);
            // Every prefix of a frame too: the truncation paths must hold as well.
            for cut in [0, 1, 13, 14, 20, 33, 34, 40, 53, 54, 60, 66] {
                if let Some(prefix) = data.get(..cut) {
                    let _ = info_text(&decode(link_type, prefix), None);
                }
            }
            frames_total += 1;
        }
    }
    println!("decoded {frames_total} frames from {} files", files.len());
    assert!(frames_total > 1000);
}

#[test]
fn arbitrary_bytes_never_panic() {
    // A small deterministic fuzz: every link type, pseudo-random bytes with plausible headers.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for round in 0..20_000u32 {
        let len = (next() % 120) as usize;
        let mut data: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        let link_type =
            [0u32, 1, 9, 12, 14, 101, 108, 113, 228, 229, 276, 127][round as usize % 12];
        // Steer some frames into IPv4/IPv6 + TCP so the deeper parsers see random input.
        if round % 3 == 0 {
            let ip: &[u8] = if round % 2 == 0 {
                &[0x45, 0, 0, 60, 0, 0, 0, 0, 64, 6]
            } else {
                &[0x60, 0, 0, 0, 0, 40, 6, 64]
            };
            data.splice(0..0, ip.iter().copied());
        }
        let decoded = decode_frame(link_type, &data, Some((next() % 200) as u32));
        let _ = info_text(&decoded, None);
    }
}

/// Prints the columns of the capture named by DECODE_DUMP (for comparing with tshark by hand):
/// `DECODE_DUMP=file.pcap cargo test --lib dump_columns -- --ignored --nocapture`.
#[test]
#[ignore]
fn dump_columns() {
    let Ok(path) = std::env::var("DECODE_DUMP") else {
        return;
    };
    for (number, (link_type, data, orig_len)) in frames_of(Path::new(&path)).into_iter().enumerate()
    {
        let d = decode_frame(link_type, &data, Some(orig_len));
        let tcp_len = d
            .tcp
            .as_ref()
            .map(|t| t.payload_len.to_string())
            .unwrap_or_default();
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}",
            number + 1,
            d.src,
            d.dst,
            d.protocol,
            tcp_len,
            info_text(&d, None)
        );
    }
}
