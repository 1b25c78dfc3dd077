//! TCP header and options. Options are read by hand from their bytes so that every malformed
//! length becomes a problem sentence (and the options before it are kept), never a panic.

use super::bytes::{be16_at, be32_at, u8_at};
use super::{TcpOption, TcpSegment};

/// Reads the TCP header at `offset`. `ip_payload_len` is the segment length per the IP header
/// (tshark's tcp.len is that minus the TCP header length).
pub(crate) fn decode_tcp(
    data: &[u8],
    offset: usize,
    ip_payload_len: u32,
    problems: &mut Vec<String>,
) -> Option<TcpSegment> {
    let captured = data.len().saturating_sub(offset);
    let (
        Some(src_port),
        Some(dst_port),
        Some(seq),
        Some(ack),
        Some(offset_flags),
        Some(window),
        Some(checksum),
        Some(urgent_pointer),
    ) = (
        be16_at(data, offset),
        be16_at(data, offset + 2),
        be32_at(data, offset + 4),
        be32_at(data, offset + 8),
        be16_at(data, offset + 12),
        be16_at(data, offset + 14),
        be16_at(data, offset + 16),
        be16_at(data, offset + 18),
    )
    else {
        problems.push(format!(
            "TCP: header needs 20 bytes but only {captured} were captured."
        ));
        return None;
    };
    let header_len = usize::from(offset_flags >> 12) * 4;
    if header_len < 20 {
        problems.push(format!(
            "TCP: data offset says the header is {header_len} bytes, less than the minimum of 20; the segment is not decoded."
        ));
        return None;
    }
    if header_len as u64 > u64::from(ip_payload_len) {
        problems.push(format!(
            "TCP: header length {header_len} is more than the {ip_payload_len} bytes the IP header gives the segment; the segment is not decoded."
        ));
        return None;
    }
    let options_end = if header_len > captured {
        problems.push(format!(
            "TCP: header claims {header_len} bytes but only {captured} were captured."
        ));
        data.len()
    } else {
        offset + header_len
    };
    let options = data
        .get(offset + 20..options_end)
        .map(|bytes| parse_options(bytes, offset + 20, problems))
        .unwrap_or_default();
    let payload_offset = offset + header_len;
    let payload_len = ip_payload_len - header_len as u32;
    let payload_captured =
        (data.len().saturating_sub(payload_offset) as u64).min(u64::from(payload_len)) as u32;
    Some(TcpSegment {
        src_port,
        dst_port,
        seq,
        ack,
        flags: offset_flags & 0x0fff,
        window,
        header_len: header_len as u8,
        payload_len,
        payload_offset: payload_offset as u32,
        payload_captured,
        options,
        offset: offset as u32,
        checksum,
        urgent_pointer,
    })
}

/// Parses the option bytes of a TCP header (`base` is their offset in the frame, for the
/// problem sentences). Stops at End of Option List or at the first malformed option.
pub(crate) fn parse_options(
    bytes: &[u8],
    base: usize,
    problems: &mut Vec<String>,
) -> Vec<TcpOption> {
    let mut options = Vec::new();
    let mut cursor = 0usize;
    while let Some(kind) = u8_at(bytes, cursor) {
        match kind {
            0 => {
                options.push(TcpOption::EndOfList);
                break;
            }
            1 => {
                options.push(TcpOption::Nop);
                cursor += 1;
                continue;
            }
            _ => {}
        }
        let at = base + cursor;
        let Some(len_byte) = u8_at(bytes, cursor + 1) else {
            problems.push(format!(
                "TCP: option kind {kind} at byte {at} has no length byte (the options end there)."
            ));
            break;
        };
        let len = usize::from(len_byte);
        if len < 2 {
            problems.push(format!("TCP: option kind {kind} at byte {at} has length {len}, less than the minimum of 2."));
            break;
        }
        let Some(body) = bytes.get(cursor + 2..cursor + len) else {
            problems.push(format!(
                "TCP: option kind {kind} at byte {at} claims {len} bytes but only {} are left in the header.",
                bytes.len() - cursor
            ));
            break;
        };
        let expected = match kind {
            2 => Some(4),
            3 => Some(3),
            4 => Some(2),
            8 => Some(10),
            _ => None,
        };
        let option = match (kind, expected) {
            (_, Some(expected)) if expected != len => {
                problems.push(format!(
                    "TCP: option kind {kind} ({}) at byte {at} has length {len}, expected {expected}.",
                    option_name(kind)
                ));
                TcpOption::Unknown {
                    kind,
                    len: len_byte,
                }
            }
            (2, _) => TcpOption::MaxSegmentSize(be16_at(body, 0).unwrap_or(0)),
            (3, _) => TcpOption::WindowScale(u8_at(body, 0).unwrap_or(0)),
            (4, _) => TcpOption::SackPermitted,
            (8, _) => TcpOption::Timestamp {
                value: be32_at(body, 0).unwrap_or(0),
                echo: be32_at(body, 4).unwrap_or(0),
            },
            (5, _) if body.len() % 8 == 0 => TcpOption::Sack(
                body.chunks_exact(8)
                    .map(|block| {
                        (
                            be32_at(block, 0).unwrap_or(0),
                            be32_at(block, 4).unwrap_or(0),
                        )
                    })
                    .collect(),
            ),
            (5, _) => {
                problems.push(format!(
                    "TCP: option kind 5 (SACK) at byte {at} has length {len}, not 2 plus a multiple of 8."
                ));
                TcpOption::Unknown {
                    kind,
                    len: len_byte,
                }
            }
            _ => TcpOption::Unknown {
                kind,
                len: len_byte,
            },
        };
        options.push(option);
        cursor += len;
    }
    options
}

fn option_name(kind: u8) -> &'static str {
    match kind {
        2 => "MSS",
        3 => "window scale",
        4 => "SACK permitted",
        5 => "SACK",
        8 => "timestamps",
        _ => "unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(data_offset_words: u8, options: &[u8]) -> Vec<u8> {
        let mut h = vec![
            0xe5,
            0x02,
            0x1f,
            0x90,
            0,
            0,
            0,
            100,
            0,
            0,
            0,
            200,
            data_offset_words << 4,
            0x12,
            0x72,
            0x10,
            0,
            0,
            0,
            0,
        ];
        h.extend_from_slice(options);
        h
    }

    #[test]
    fn every_known_option() {
        let options = [
            2, 4, 0x05, 0xb4, // MSS 1460
            4, 2, // SACK permitted
            8, 10, 0, 0x34, 0x66, 0x04, 0, 0, 0, 0, // TS
            1, // NOP
            3, 3, 7, // WS 7
            5, 10, 0, 0, 0, 1, 0, 0, 0, 2, // SACK one block
            253, 4, 0xab, 0xcd, // experimental
            0, 0, // EOL, padding
        ];
        let data = header(((20 + options.len()) / 4) as u8, &options);
        let mut problems = Vec::new();
        let seg = decode_tcp(&data, 0, data.len() as u32 + 3, &mut problems).expect("segment");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            seg.options,
            vec![
                TcpOption::MaxSegmentSize(1460),
                TcpOption::SackPermitted,
                TcpOption::Timestamp {
                    value: 3433988,
                    echo: 0
                },
                TcpOption::Nop,
                TcpOption::WindowScale(7),
                TcpOption::Sack(vec![(1, 2)]),
                TcpOption::Unknown { kind: 253, len: 4 },
                TcpOption::EndOfList,
            ]
        );
        assert_eq!(
            (
                seg.src_port,
                seg.dst_port,
                seg.seq,
                seg.ack,
                seg.flags,
                seg.window
            ),
            (58626, 8080, 100, 200, 0x12, 29200)
        );
        assert_eq!(
            (seg.payload_len, seg.payload_captured, seg.header_len),
            (3, 0, 56)
        );
    }

    #[test]
    fn malformed_option_lengths() {
        for (options, expected) in [
            (
                vec![2u8, 0, 0, 0],
                "TCP: option kind 2 at byte 20 has length 0, less than the minimum of 2.",
            ),
            (
                vec![1, 8, 1, 0],
                "TCP: option kind 8 at byte 21 has length 1, less than the minimum of 2.",
            ),
            (
                vec![1, 1, 1, 30],
                "TCP: option kind 30 at byte 23 has no length byte (the options end there).",
            ),
            (
                vec![8, 40, 0, 0],
                "TCP: option kind 8 at byte 20 claims 40 bytes but only 4 are left in the header.",
            ),
            (
                vec![2, 3, 0, 1],
                "TCP: option kind 2 (MSS) at byte 20 has length 3, expected 4.",
            ),
            (
                vec![5, 4, 0, 0],
                "TCP: option kind 5 (SACK) at byte 20 has length 4, not 2 plus a multiple of 8.",
            ),
        ] {
            let data = header(6, &options);
            let mut problems = Vec::new();
            let seg = decode_tcp(&data, 0, 24, &mut problems);
            assert!(seg.is_some());
            assert_eq!(problems, vec![expected.to_string()], "options {options:?}");
        }
    }

    #[test]
    fn bad_data_offsets() {
        let mut problems = Vec::new();
        assert!(decode_tcp(&header(4, &[]), 0, 20, &mut problems).is_none());
        assert!(problems[0].starts_with("TCP: data offset says the header is 16 bytes"));

        let mut problems = Vec::new();
        let seg =
            decode_tcp(&header(15, &[1, 1]), 0, 100, &mut problems).expect("fixed header is there");
        assert_eq!(
            problems[0],
            "TCP: header claims 60 bytes but only 22 were captured."
        );
        assert_eq!(
            (seg.options.len(), seg.payload_len, seg.payload_captured),
            (2, 40, 0)
        );

        let mut problems = Vec::new();
        assert!(decode_tcp(&header(8, &[0; 12]), 0, 24, &mut problems).is_none());
        assert!(problems[0].starts_with("TCP: header length 32 is more than the 24 bytes"));

        let mut problems = Vec::new();
        assert!(decode_tcp(&header(5, &[])[..13], 0, 20, &mut problems).is_none());
        assert_eq!(
            problems[0],
            "TCP: header needs 20 bytes but only 13 were captured."
        );
    }
}
