//! TCP header and options. The header is read by etherparse's `TcpHeaderSlice` and
//! well-formed options by its `TcpOptionsIterator`; what they reject (a header cut by the
//! snaplen, unknown or malformed options) is read here so that every malformed length becomes
//! a problem sentence (and the options before and after it are kept), never a panic.

use super::bytes::{array_at, be16_at, be32_at, u8_at};
use super::{TcpOption, TcpSegment};
use etherparse::err::tcp::{HeaderError, HeaderSliceError};
use etherparse::{TcpHeaderSlice, TcpOptionElement, TcpOptionsIterator};

/// Reads the TCP header at `offset`. `ip_payload_len` is the segment length per the IP header
/// (tshark's tcp.len is that minus the TCP header length).
#[cfg(test)]
pub(crate) fn decode_tcp(
    data: &[u8],
    offset: usize,
    ip_payload_len: u32,
    problems: &mut Vec<String>,
) -> Option<TcpSegment> {
    decode_tcp_with(data, offset, ip_payload_len, problems, true)
}

/// [`decode_tcp`]; with `all_options` false only the options the TCP tracker reads (window
/// scale, SACK) are kept, so that reading a capture does not allocate a list per segment.
pub(crate) fn decode_tcp_with(
    data: &[u8],
    offset: usize,
    ip_payload_len: u32,
    problems: &mut Vec<String>,
    all_options: bool,
) -> Option<TcpSegment> {
    let rest = data.get(offset..).unwrap_or_default();
    let captured = rest.len();
    let header_len = match TcpHeaderSlice::from_slice(rest) {
        Ok(header) => header.slice().len(),
        Err(HeaderSliceError::Content(HeaderError::DataOffsetTooSmall { data_offset })) => {
            problems.push(format!(
                "TCP: data offset says the header is {} bytes, less than the minimum of 20; the segment is not decoded.",
                usize::from(data_offset) * 4
            ));
            return None;
        }
        Err(HeaderSliceError::Len(error)) if error.required_len > 20 => error.required_len,
        Err(HeaderSliceError::Len(_)) => {
            problems.push(format!(
                "TCP: header needs 20 bytes but only {captured} were captured."
            ));
            return None;
        }
    };
    if header_len as u64 > u64::from(ip_payload_len) {
        problems.push(format!(
            "TCP: header length {header_len} is more than the {ip_payload_len} bytes the IP header gives the segment; the segment is not decoded."
        ));
        return None;
    }
    // etherparse wants the whole header; when the snaplen cut its options, its fixed 20 bytes
    // are parsed from a copy whose data offset says 5, and the captured options read below.
    let mut fixed = array_at::<20>(rest, 0)?;
    let whole = rest.get(..header_len);
    if whole.is_none() {
        problems.push(format!(
            "TCP: header claims {header_len} bytes but only {captured} were captured."
        ));
        fixed[12] = 0x50 | (fixed[12] & 0x0f);
    }
    let header = TcpHeaderSlice::from_slice(whole.unwrap_or(&fixed)).ok()?;
    let option_bytes = rest.get(20..header_len.min(captured)).unwrap_or_default();
    let options = parse_options(option_bytes, offset + 20, problems, all_options);
    Some(segment(
        &header,
        header_len,
        data,
        offset,
        ip_payload_len,
        options,
    ))
}

/// The segment whose header `header` (read whole, or from its fixed 20 bytes when the snaplen
/// cut it) starts at `offset` in `data` and claims `header_len` bytes, no more than
/// `ip_payload_len`.
pub(crate) fn segment(
    header: &TcpHeaderSlice,
    header_len: usize,
    data: &[u8],
    offset: usize,
    ip_payload_len: u32,
    options: Vec<TcpOption>,
) -> TcpSegment {
    let payload_offset = offset + header_len;
    let payload_len = ip_payload_len - header_len as u32;
    let payload_captured =
        (data.len().saturating_sub(payload_offset) as u64).min(u64::from(payload_len)) as u32;
    // etherparse has accessors for the named flags but not the 3 reserved bits: take all 12.
    let flags = be16_at(header.slice(), 12).unwrap_or(0) & 0x0fff;
    TcpSegment {
        src_port: header.source_port(),
        dst_port: header.destination_port(),
        seq: header.sequence_number(),
        ack: header.acknowledgment_number(),
        flags,
        window: header.window_size(),
        header_len: header_len as u8,
        payload_len,
        payload_offset: payload_offset as u32,
        payload_captured,
        options,
        offset: offset as u32,
        checksum: header.checksum(),
        urgent_pointer: header.urgent_pointer(),
    }
}

/// Bytes an option etherparse accepted took in the header.
fn element_len(element: &TcpOptionElement) -> usize {
    match element {
        TcpOptionElement::Noop => 1,
        TcpOptionElement::MaximumSegmentSize(_) => 4,
        TcpOptionElement::WindowScale(_) => 3,
        TcpOptionElement::SelectiveAcknowledgementPermitted => 2,
        TcpOptionElement::SelectiveAcknowledgement(_, more) => {
            10 + 8 * more.iter().flatten().count()
        }
        TcpOptionElement::Timestamp(..) => 10,
    }
}

fn from_element(element: TcpOptionElement) -> TcpOption {
    match element {
        TcpOptionElement::Noop => TcpOption::Nop,
        TcpOptionElement::MaximumSegmentSize(mss) => TcpOption::MaxSegmentSize(mss),
        TcpOptionElement::WindowScale(shift) => TcpOption::WindowScale(shift),
        TcpOptionElement::SelectiveAcknowledgementPermitted => TcpOption::SackPermitted,
        TcpOptionElement::SelectiveAcknowledgement(first, more) => TcpOption::Sack(
            std::iter::once(first)
                .chain(more.into_iter().flatten())
                .collect(),
        ),
        TcpOptionElement::Timestamp(value, echo) => TcpOption::Timestamp { value, echo },
    }
}

/// Parses the option bytes of a TCP header (`base` is their offset in the frame, for the
/// problem sentences). Stops at End of Option List or at the first malformed option.
pub(crate) fn parse_options(
    bytes: &[u8],
    base: usize,
    problems: &mut Vec<String>,
    all: bool,
) -> Vec<TcpOption> {
    let mut options = Vec::new();
    let mut push = |option: TcpOption| {
        if all || matches!(option, TcpOption::WindowScale(_) | TcpOption::Sack(_)) {
            options.push(option);
        }
    };
    let mut cursor = 0usize;
    loop {
        // etherparse reads the well-formed options it knows; it stops silently at End of
        // Option List and gives up for good at an unknown kind or a bad length, so each of
        // those is read by hand below and its iterator started again after it.
        let mut iterator = TcpOptionsIterator::from_slice(bytes.get(cursor..).unwrap_or_default());
        while let Some(Ok(element)) = iterator.next() {
            cursor += element_len(&element);
            push(from_element(element));
        }
        match option_by_hand(bytes, cursor, base, problems) {
            Some((option, len)) => {
                let end = matches!(option, TcpOption::EndOfList);
                push(option);
                cursor += len;
                if end {
                    break;
                }
            }
            None => break,
        }
    }
    options
}

/// One option etherparse does not read: End of Option List, an unknown kind, or a malformed
/// one. None at the end of the bytes or after a malformed length (the rest cannot be framed).
fn option_by_hand(
    bytes: &[u8],
    cursor: usize,
    base: usize,
    problems: &mut Vec<String>,
) -> Option<(TcpOption, usize)> {
    let kind = u8_at(bytes, cursor)?;
    match kind {
        0 => return Some((TcpOption::EndOfList, 1)),
        1 => return Some((TcpOption::Nop, 1)),
        _ => {}
    }
    let at = base + cursor;
    let Some(len_byte) = u8_at(bytes, cursor + 1) else {
        problems.push(format!(
            "TCP: option kind {kind} at byte {at} has no length byte (the options end there)."
        ));
        return None;
    };
    let len = usize::from(len_byte);
    if len < 2 {
        problems.push(format!(
            "TCP: option kind {kind} at byte {at} has length {len}, less than the minimum of 2."
        ));
        return None;
    }
    let Some(body) = bytes.get(cursor + 2..cursor + len) else {
        problems.push(format!(
            "TCP: option kind {kind} at byte {at} claims {len} bytes but only {} are left in the header.",
            bytes.len() - cursor
        ));
        return None;
    };
    let expected = fixed_len(kind);
    let unknown = TcpOption::Unknown {
        kind,
        len: len_byte,
    };
    let option = match (kind, expected) {
        (_, Some(expected)) if expected != len => {
            problems.push(format!(
                "TCP: option kind {kind} ({}) at byte {at} has length {len}, expected {expected}.",
                option_name(kind)
            ));
            unknown
        }
        // A SACK etherparse refused for its length: without blocks, or more than 4.
        (5, _) if body.len() % 8 == 0 => TcpOption::Sack(sack_blocks(body)),
        (5, _) => {
            problems.push(format!(
                "TCP: option kind 5 (SACK) at byte {at} has length {len}, not 2 plus a multiple of 8."
            ));
            unknown
        }
        _ => unknown,
    };
    Some((option, len))
}

/// The length an option of `kind` must have, for the kinds of one fixed length (MSS, window
/// scale, SACK permitted, timestamps).
pub(super) fn fixed_len(kind: u8) -> Option<usize> {
    match kind {
        2 => Some(4),
        3 => Some(3),
        4 => Some(2),
        8 => Some(10),
        _ => None,
    }
}

/// The (left edge, right edge) blocks of a SACK option's body (a multiple of 8 bytes).
pub(super) fn sack_blocks(body: &[u8]) -> Vec<(u32, u32)> {
    body.chunks_exact(8)
        .map(|block| {
            (
                be32_at(block, 0).unwrap_or(0),
                be32_at(block, 4).unwrap_or(0),
            )
        })
        .collect()
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
    fn options_after_one_etherparse_rejects_are_still_read() {
        // etherparse's iterator gives up at the unknown kind 30 and at a SACK without blocks;
        // the options after each are read by starting it again.
        let options = [2, 4, 0x05, 0xb4, 30, 3, 0, 5, 2, 3, 3, 7, 1, 0];
        let mut problems = Vec::new();
        let parsed = parse_options(&options, 20, &mut problems, true);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            parsed,
            vec![
                TcpOption::MaxSegmentSize(1460),
                TcpOption::Unknown { kind: 30, len: 3 },
                TcpOption::Sack(Vec::new()),
                TcpOption::WindowScale(7),
                TcpOption::Nop,
                TcpOption::EndOfList,
            ]
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
