//! Follow TCP stream: both directions' payload in order, as Wireshark's "Follow › TCP Stream"
//! and `tshark -z follow,tcp,FORMAT,N` show it.
//!
//! Promise: each direction's bytes are given once and in sequence order, whatever the capture
//! did: a retransmitted or overlapping segment adds only the bytes not seen before, and a
//! segment that arrives ahead of a gap waits until the gap is filled, or until the peer
//! acknowledges bytes beyond the gap: then the bytes never captured are given as a note of
//! how many are missing ("[1448 bytes missing in capture file]", as Wireshark writes it), and
//! what waited follows. What still waits at the end is given then. Chunks follow the
//! capture's order otherwise.
//! Nothing here panics on input; payload text is returned as plain text for the caller to
//! insert as text.

use crate::analysis::{Frame, FrameSource, Report};
use crate::decode;
use crate::decode::tcp_flags::SYN;
use crate::tcp::stream::{Arrival, ByteStream, Following, Hold, Limits};
use crate::tcp::{SeqNumber, TcpRecord};
use serde::Serialize;

/// At most this many payload bytes per direction are followed (a notice says when more were
/// there): a page shows megabytes of text poorly, and the stream's frames are read again.
pub const MAX_FOLLOW_BYTES: u64 = 16 << 20;

/// How the payload is written out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FollowFormat {
    /// Printable ASCII, with line ends (CR, LF) kept and every other byte shown as '.'.
    Ascii,
    /// Offset, 16 bytes in hex, and the same as ASCII, per line; offsets count each
    /// direction's bytes.
    Hex,
    /// Every byte as two hex digits, one line per segment.
    Raw,
}

impl FollowFormat {
    pub fn parse(name: &str) -> Option<FollowFormat> {
        match name {
            "ascii" => Some(FollowFormat::Ascii),
            "hex" => Some(FollowFormat::Hex),
            "raw" => Some(FollowFormat::Raw),
            _ => None,
        }
    }
}

/// One segment's new bytes, in stream order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub from_client: bool,
    /// Sent by the stream's first sender (tshark's "Node 0").
    pub from_first: bool,
    pub frame: u32,
    /// Offset of `bytes` in its direction's byte stream.
    pub offset: u64,
    pub bytes: Vec<u8>,
}

/// A followed stream.
#[derive(Clone, Debug)]
pub struct Followed {
    pub stream: u32,
    /// "addr:port" of each side.
    pub client: String,
    pub server: String,
    pub segments: Vec<Segment>,
    /// Payload bytes each way that were followed.
    pub client_to_server: u64,
    pub server_to_client: u64,
    /// Bytes left out because a direction reached [`MAX_FOLLOW_BYTES`].
    pub left_out: u64,
    /// Whether the client sent the stream's first segment.
    pub client_is_first: bool,
}

/// One block of the page's follow view: consecutive segments of one direction, formatted.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Chunk {
    pub from_client: bool,
    /// The first frame of the block.
    pub frame: u32,
    pub text: String,
}

/// One direction: its bytes in sequence order, and how many were given.
#[derive(Default)]
struct Direction {
    /// Segments ahead of a gap are held with their frames, without limit (what follows a gap
    /// never filled waits in memory until the end).
    bytes: ByteStream<u32>,
    /// Bytes given so far (payload, and the notes of bytes missing).
    given: u64,
}

impl Direction {
    /// Takes a segment's captured payload at `seq` (`len` bytes long on the wire); returns
    /// what follows on from the bytes given so far, in order.
    fn take(&mut self, seq: u32, len: u32, frame: u32, payload: &[u8]) -> Vec<Given> {
        let seq = SeqNumber(seq);
        match self.bytes.accept(seq, payload) {
            Arrival::Seen => Vec::new(),
            Arrival::Ahead { .. } => {
                self.bytes
                    .hold(seq, frame, payload, Hold::Bytes, Limits::NONE);
                Vec::new()
            }
            Arrival::New(new) => {
                let mut out = vec![Given::Bytes(frame, new.to_vec())];
                // A segment cut by the snapshot length still takes the stream to its end, as
                // Wireshark's follow counts it: what the capture lacks of it is not a gap.
                let end = seq + len;
                if self.bytes.next().is_some_and(|next| end.is_after(next)) {
                    self.bytes.skip_to(end);
                }
                self.following(&mut out);
                out
            }
        }
    }

    /// The held segments that now follow on.
    fn following(&mut self, out: &mut Vec<Given>) {
        while let Some(following) = self.bytes.take_following() {
            if let Following::Bytes(frame, bytes) = following {
                out.push(Given::Bytes(frame, bytes));
            }
        }
    }

    /// The peer acknowledges everything before `ack` (in `frame`): bytes it acknowledges that
    /// the capture never held are given as a note of how many are missing, and what was held
    /// beyond them follows on, as Wireshark's follow does ("[1448 bytes missing in capture
    /// file]", with its NUL).
    fn acknowledged(&mut self, ack: SeqNumber, frame: u32) -> Vec<Given> {
        let mut out = Vec::new();
        self.following(&mut out);
        while let (Some(lowest), Some(next)) = (self.bytes.lowest_held(), self.bytes.next()) {
            if !ack.is_after(lowest) {
                break;
            }
            let missing = lowest - next;
            out.push(Given::Missing(frame, missing));
            self.bytes.skip_to(lowest);
            self.following(&mut out);
        }
        out
    }

    /// At the end: what waited behind a gap that was never filled, in sequence order.
    fn drain(&mut self) -> Vec<Given> {
        self.bytes
            .drain_in_order()
            .into_iter()
            .map(|(frame, bytes)| Given::Bytes(frame, bytes))
            .collect()
    }
}

/// What a direction gives: payload bytes, or a note that so many bytes the peer acknowledged
/// are missing from the capture; each with the frame it came with.
enum Given {
    Bytes(u32, Vec<u8>),
    Missing(u32, i32),
}

/// The segments of TCP stream `stream` that carry payload, with their frames, in capture
/// order: what following the stream reads.
pub fn payload_frames(
    report: &Report,
    stream: u32,
) -> impl Iterator<Item = (&TcpRecord, Frame)> + '_ {
    report
        .tcp
        .segments(stream)
        .iter()
        .filter(|r| report.tcp.segment_len(r) > 0)
        .filter_map(|r| Some((r, report.frame(r.frame)?)))
}

/// Follows TCP stream `stream`, reading its frames' bytes from `source`. None when there is
/// no such stream.
pub fn follow(
    report: &Report,
    stream: u32,
    source: &mut dyn FrameSource,
) -> std::io::Result<Option<Followed>> {
    let Some(conn) = report.connection(stream) else {
        return Ok(None);
    };
    let mut out = Followed {
        stream,
        client: conn.client.to_string(),
        server: conn.server.to_string(),
        segments: Vec::new(),
        client_to_server: 0,
        server_to_client: 0,
        left_out: 0,
        client_is_first: report
            .tcp
            .conns
            .get(stream as usize)
            .is_none_or(|c| c.client_is_a),
    };
    let mut directions = [Direction::default(), Direction::default()];
    // Every segment, as Wireshark's follow reads them: each one's Ack may tell that the other
    // direction's receiver had bytes the capture never held; a SYN tells where its
    // direction's bytes start.
    for record in report.tcp.segments(stream) {
        let from_client = report.tcp.from_client(stream, record);
        let (me, peer) = if from_client { (0, 1) } else { (1, 0) };
        let acknowledged = directions[peer].acknowledged(SeqNumber(record.ack), record.frame);
        out.add(&mut directions[peer], !from_client, acknowledged);
        let seq = if record.flags() & SYN != 0 {
            record.seq.wrapping_add(1)
        } else {
            record.seq
        };
        directions[me].bytes.start_at(SeqNumber(seq));
        if report.tcp.segment_len(record) == 0 {
            continue;
        }
        let Some(frame) = report.frame(record.frame) else {
            continue;
        };
        let bytes = source.frame_bytes(&frame)?;
        let decoded = decode::decode_headers(
            report.link(&frame).link_type,
            bytes,
            Some(report.orig_len(&frame)),
        );
        let Some(segment) = decoded.tcp.as_ref() else {
            continue;
        };
        let start = (segment.payload_offset as usize).min(bytes.len());
        let end = start
            .saturating_add(segment.payload_captured as usize)
            .min(bytes.len());
        // A segment whose payload was not captured (a short snapshot length) brings nothing,
        // and is not held.
        if start == end {
            continue;
        }
        let direction = &mut directions[me];
        let len = report.tcp.segment_len(record);
        let given = direction.take(seq, len, record.frame, &bytes[start..end]);
        out.add(direction, from_client, given);
    }
    for (direction, from_client) in directions.iter_mut().zip([true, false]) {
        let given = direction.drain();
        out.add(direction, from_client, given);
    }
    Ok(Some(out))
}

impl Followed {
    /// Records what a direction gives, up to [`MAX_FOLLOW_BYTES`]: its payload counted in the
    /// bytes followed, and a note of missing bytes as the text Wireshark writes.
    fn add(&mut self, direction: &mut Direction, from_client: bool, given: Vec<Given>) {
        for piece in given {
            let (frame, mut bytes, payload) = match piece {
                Given::Bytes(frame, bytes) => (frame, bytes, true),
                Given::Missing(frame, missing) => {
                    let mut note = format!("[{missing} bytes missing in capture file]");
                    note.push('\0');
                    (frame, note.into_bytes(), false)
                }
            };
            let room = MAX_FOLLOW_BYTES.saturating_sub(direction.given);
            let keep = bytes.len().min(usize::try_from(room).unwrap_or(usize::MAX));
            if payload {
                self.left_out += (bytes.len() - keep) as u64;
            }
            if keep == 0 {
                continue;
            }
            bytes.truncate(keep);
            let offset = direction.given;
            direction.given += keep as u64;
            if payload && from_client {
                self.client_to_server += keep as u64;
            } else if payload {
                self.server_to_client += keep as u64;
            }
            self.segments.push(Segment {
                from_client,
                from_first: from_client == self.client_is_first,
                frame,
                offset,
                bytes,
            });
        }
    }

    /// The segments as the page shows them: consecutive segments of one direction in one
    /// block, formatted.
    pub fn chunks(&self, format: FollowFormat) -> Vec<Chunk> {
        let mut chunks: Vec<Chunk> = Vec::new();
        for segment in &self.segments {
            let text = format_bytes(&segment.bytes, segment.offset, format);
            match chunks.last_mut() {
                Some(last) if last.from_client == segment.from_client => last.text.push_str(&text),
                _ => chunks.push(Chunk {
                    from_client: segment.from_client,
                    frame: segment.frame,
                    text,
                }),
            }
        }
        chunks
    }
}

/// One segment's bytes in `format`; `offset` is their place in the direction's stream (the
/// hex dump's offsets). Hex and raw text end with a line end.
pub fn format_bytes(bytes: &[u8], offset: u64, format: FollowFormat) -> String {
    match format {
        FollowFormat::Ascii => bytes
            .iter()
            .map(|&b| match b {
                b'\n' | b'\r' | 0x20..=0x7e => b as char,
                _ => '.',
            })
            .collect(),
        FollowFormat::Raw => {
            let mut s: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            s.push('\n');
            s
        }
        FollowFormat::Hex => {
            let mut s = String::new();
            for (i, line) in bytes.chunks(16).enumerate() {
                s.push_str(&format!("{:08X}  ", offset + 16 * i as u64));
                for k in 0..16 {
                    match line.get(k) {
                        Some(b) => s.push_str(&format!("{b:02x} ")),
                        None => s.push_str("   "),
                    }
                    if k == 7 {
                        s.push(' ');
                    }
                }
                s.push(' ');
                for (k, &b) in line.iter().enumerate() {
                    s.push(if (0x20..=0x7e).contains(&b) {
                        b as char
                    } else {
                        '.'
                    });
                    if k == 7 {
                        s.push(' ');
                    }
                }
                // As tshark writes the line: the gap after the eighth character is there even
                // when nothing follows it, and one space that ends the line is dropped
                // ("Ranges: " shows as "Ranges:", "ough.   " with its three spaces).
                if s.ends_with(' ') {
                    s.pop();
                }
                s.push('\n');
            }
            s
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze_bytes;

    fn demo() -> Followed {
        let report = analyze_bytes(&crate::test_captures::demo());
        let mut source = report.kept().expect("kept");
        follow(&report, 0, &mut source)
            .expect("read")
            .expect("stream 0")
    }

    #[test]
    fn the_tutorials_request_and_response() {
        let f = demo();
        assert_eq!(
            (f.client.as_str(), f.server.as_str()),
            ("192.168.0.50:58626", "192.168.0.52:8080")
        );
        assert_eq!((f.client_to_server, f.server_to_client), (97, 126));
        let chunks = f.chunks(FollowFormat::Ascii);
        assert_eq!(chunks.len(), 2);
        assert_eq!((chunks[0].from_client, chunks[0].frame), (true, 4));
        assert!(chunks[0]
            .text
            .starts_with("GET /hello?name=world HTTP/1.1\r\nUser-Agent: curl/7.29.0\r\n"));
        assert_eq!((chunks[1].from_client, chunks[1].frame), (false, 6));
        assert!(chunks[1].text.ends_with("\r\n\r\nhello, world"));
    }

    /// The same lines as `tshark -q -z follow,tcp,hex,0` (which indents the second node's).
    #[test]
    fn hex_dump_like_tshark() {
        let chunks = demo().chunks(FollowFormat::Hex);
        let first: Vec<&str> = chunks[0].text.lines().collect();
        assert_eq!(
            first[0],
            "00000000  47 45 54 20 2f 68 65 6c  6c 6f 3f 6e 61 6d 65 3d  GET /hel lo?name="
        );
        assert_eq!(
            first[6],
            "00000060  0a                                                ."
        );
        let last = chunks[1].text.lines().last().unwrap_or_default();
        assert_eq!(
            last,
            "00000070  0d 0a 68 65 6c 6c 6f 2c  20 77 6f 72 6c 64        ..hello,  world"
        );
        // A text column that ends in a space loses that one space, as tshark prints it.
        assert_eq!(
            format_bytes(b"Accept-Ranges: ", 0xa0, FollowFormat::Hex),
            "000000A0  41 63 63 65 70 74 2d 52  61 6e 67 65 73 3a 20     Accept-R anges:\n"
        );
        assert_eq!(
            format_bytes(b"rp</a>  0123456", 0, FollowFormat::Hex),
            "00000000  72 70 3c 2f 61 3e 20 20  30 31 32 33 34 35 36     rp</a>   0123456\n"
        );
        assert_eq!(
            format_bytes(b"ough\n   ", 0, FollowFormat::Hex),
            "00000000  6f 75 67 68 0a 20 20 20                           ough.   \n"
        );
        let raw = demo().chunks(FollowFormat::Raw);
        assert!(raw[0].text.starts_with("474554202f68656c6c6f3f"));
    }

    /// What a direction gave, as (frame, bytes) or (frame, -missing).
    fn given(given: Vec<Given>) -> Vec<(u32, Vec<u8>)> {
        given
            .into_iter()
            .map(|g| match g {
                Given::Bytes(frame, bytes) => (frame, bytes),
                Given::Missing(frame, n) => (frame, format!("-{n}").into_bytes()),
            })
            .collect()
    }

    /// A segment of a direction, as long on the wire as captured.
    fn take(d: &mut Direction, seq: u32, frame: u32, payload: &[u8]) -> Vec<(u32, Vec<u8>)> {
        given(d.take(seq, payload.len() as u32, frame, payload))
    }

    #[test]
    fn retransmissions_overlaps_and_gaps() {
        let mut d = Direction::default();
        assert_eq!(take(&mut d, 100, 1, b"abc"), vec![(1, b"abc".to_vec())]);
        // A retransmission gives nothing, an overlap only its new part.
        assert!(take(&mut d, 100, 2, b"abc").is_empty());
        assert_eq!(take(&mut d, 101, 3, b"bcde"), vec![(3, b"de".to_vec())]);
        // Ahead of a gap: waits; the gap filled, both follow in order.
        assert!(take(&mut d, 110, 4, b"jk").is_empty());
        assert_eq!(
            take(&mut d, 105, 5, b"fghi"),
            vec![(5, b"fghi".to_vec())],
            "still one byte missing"
        );
        assert_eq!(
            take(&mut d, 109, 6, b"i"),
            vec![(6, b"i".to_vec()), (4, b"jk".to_vec())]
        );
        // A gap never filled: what waited comes at the end.
        assert!(take(&mut d, 200, 7, b"zz").is_empty());
        assert_eq!(given(d.drain()), vec![(7, b"zz".to_vec())]);
        // Sequence numbers that wrap.
        let mut w = Direction::default();
        assert_eq!(
            take(&mut w, u32::MAX - 1, 1, b"ab"),
            vec![(1, b"ab".to_vec())]
        );
        assert_eq!(take(&mut w, 0, 2, b"cd"), vec![(2, b"cd".to_vec())]);
    }

    /// As Wireshark's follow: bytes the peer acknowledges that were never captured are a note
    /// of how many are missing, and what waited beyond them follows at once; a segment cut by
    /// the snapshot length takes the stream to its end on the wire.
    #[test]
    fn acknowledged_bytes_never_captured_are_noted_missing() {
        let mut d = Direction::default();
        d.bytes.start_at(SeqNumber(1));
        assert_eq!(take(&mut d, 1, 1, b"abc"), vec![(1, b"abc".to_vec())]);
        // Bytes 4..10 never captured; 10.. held.
        assert!(take(&mut d, 10, 2, b"jk").is_empty());
        // The peer acknowledges up to 4 only: nothing yet.
        assert!(given(d.acknowledged(SeqNumber(4), 3)).is_empty());
        // Beyond the held segment's start: 6 bytes are missing, then "jk" follows.
        assert_eq!(
            given(d.acknowledged(SeqNumber(12), 4)),
            vec![(4, b"-6".to_vec()), (2, b"jk".to_vec())]
        );
        assert!(given(d.acknowledged(SeqNumber(12), 5)).is_empty());
        // 100 bytes on the wire, 30 captured: the next segment at 112 follows on.
        assert_eq!(
            given(d.take(12, 100, 6, &[b'x'; 30])),
            vec![(6, vec![b'x'; 30])]
        );
        assert_eq!(take(&mut d, 112, 7, b"yz"), vec![(7, b"yz".to_vec())]);
    }

    /// A download whose capture missed segments of the body: following it notes each gap the
    /// client acknowledged, and the notes add up to the bytes the HTTP response lacks.
    #[test]
    fn the_notes_add_up_to_what_a_lossy_download_lacks() {
        let report = analyze_bytes(&crate::synth::generate(crate::synth::Options {
            frames: 2_000,
            seed: 4,
            shape: crate::synth::Shape::LossyDownload,
            ..Default::default()
        }));
        let mut source = report.kept().expect("kept");
        for x in report.http.exchanges() {
            let followed = follow(&report, x.stream, &mut source)
                .expect("read")
                .expect("stream");
            let missing: u64 = followed
                .segments
                .iter()
                .filter_map(|s| {
                    let text = std::str::from_utf8(&s.bytes).ok()?;
                    let n = text.strip_prefix('[')?.split(' ').next()?;
                    text.ends_with(" bytes missing in capture file]\0")
                        .then(|| n.parse::<u64>().ok())
                        .flatten()
                })
                .sum();
            let lacks = x.response_incomplete.and_then(|cut| cut.missing_bytes);
            assert_eq!(Some(missing), lacks, "stream {}", x.stream);
        }
    }
}
