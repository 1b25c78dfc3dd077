use super::*;
use crate::test_captures::{all_captures, captures_dir, demo};
use std::path::PathBuf;

/// A problem as the CLI words it (the English of [`crate::explain::capture::problem_text`]).
trait Message {
    fn message(&self) -> String;
}

impl Message for CaptureProblem {
    fn message(&self) -> String {
        crate::explain::capture::problem_text(self, crate::explain::Lang::En)
    }
}

/// One frame as a comparable tuple.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Seen {
    number: u32,
    ts: Timestamp,
    has_ts: bool,
    link_type: u32,
    interface: u32,
    orig_len: u32,
    offset: u64,
    data: Vec<u8>,
}

fn read_chunked(bytes: &[u8], chunk: usize) -> (Vec<Seen>, CaptureEnd) {
    let mut seen = Vec::new();
    let mut reader = CaptureReader::new();
    for part in bytes.chunks(chunk.max(1)) {
        reader.push(part, &mut |f: &RawFrame| {
            seen.push(Seen {
                number: f.number,
                ts: f.ts,
                has_ts: f.has_ts,
                link_type: f.link_type,
                interface: f.interface,
                orig_len: f.orig_len,
                offset: f.offset,
                data: f.data.to_vec(),
            })
        });
    }
    (seen, reader.finish())
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use flate2::write::GzEncoder;
    let mut enc = GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).expect("in-memory write");
    enc.finish().expect("in-memory write")
}

#[test]
fn reads_the_tutorials_capture() {
    let (frames, end) = read_chunked(&demo(), usize::MAX);
    assert_eq!(frames.len(), 10);
    assert!(end.problems.is_empty(), "{:?}", end.problems);
    let info = end.info.expect("header read");
    assert_eq!(info.format, Format::Pcap);
    assert_eq!(info.link_types(), vec![113]);
    assert_eq!(
        crate::explain::capture::format_text(&info, crate::explain::Lang::En),
        "pcap (little-endian, µs)"
    );
    assert_eq!(
        frames[0].ts,
        Timestamp {
            secs: 1_726_642_892,
            nanos: 461_594_000
        }
    );
    assert_eq!(frames[0].offset, 40);
    assert_eq!(frames[0].orig_len, 76);
    assert_eq!(frames[3].orig_len, 165);
    assert_eq!(frames[0].ts.format_epoch(6), "1726642892.461594");
}

#[test]
fn any_chunking_gives_the_same_frames() {
    for path in all_captures()
        .into_iter()
        .chain(std::iter::once(PathBuf::from("demo")))
    {
        let bytes = if path.as_os_str() == "demo" {
            demo()
        } else {
            std::fs::read(&path).expect("capture readable")
        };
        let (whole, whole_end) = read_chunked(&bytes, usize::MAX);
        let sizes: &[usize] = if bytes.len() > 200_000 {
            &[65_536, 4093]
        } else {
            &[1, 7, 65_536]
        };
        for &size in sizes {
            let (parts, end) = read_chunked(&bytes, size);
            assert_eq!(parts, whole, "{} in chunks of {size}", path.display());
            assert_eq!(end, whole_end, "{} in chunks of {size}", path.display());
        }
        // The same capture gzip-compressed gives the same frames, with offsets in the
        // decompressed stream.
        let (gz, gz_end) = read_chunked(&gzip(&bytes), 4096);
        assert_eq!(gz, whole, "{} gzip", path.display());
        assert_eq!(gz_end.frames, whole_end.frames);
        if let (Some(a), Some(b)) = (&gz_end.info, &whole_end.info) {
            assert!(a.gzip && !b.gzip);
            assert_eq!(a.interfaces, b.interfaces);
        }
    }
}

#[test]
fn every_cut_of_the_demo_keeps_the_frames_before_it_and_names_the_cut() {
    let bytes = demo();
    let (all, _) = read_chunked(&bytes, usize::MAX);
    // Where each record ends (the header is 24 bytes, records 16 + data).
    let ends: Vec<u64> = all
        .iter()
        .map(|f| f.offset + u64::from(f.orig_len))
        .collect();
    for cut in 0..bytes.len() {
        let (frames, end) = read_chunked(&bytes[..cut], 13);
        let complete = ends.iter().filter(|&&e| e <= cut as u64).count();
        assert_eq!(frames.len(), complete, "cut at {cut}");
        assert_eq!(frames[..], all[..complete], "cut at {cut}");
        if cut == 24 || ends.contains(&(cut as u64)) {
            // Cut exactly between records: a whole, shorter capture.
            assert!(end.problems.is_empty(), "cut at {cut}: {:?}", end.problems);
            continue;
        }
        let problem = end.stopped_by().expect("a cut is reported");
        if cut == 0 {
            assert_eq!(problem.kind, ProblemKind::Empty);
            assert_eq!(problem.message(), "The file is empty (0 bytes).");
            continue;
        }
        if cut < 4 {
            assert_eq!(problem.message(), format!("The capture is cut short at byte {cut}: its file header needs at least 24 bytes, but only {cut} are there."));
            continue;
        }
        assert_eq!(
            problem.kind,
            ProblemKind::Truncated,
            "cut at {cut}: {}",
            problem.message()
        );
        assert!(
            problem
                .message()
                .contains(&format!("cut short at byte {cut}")),
            "cut at {cut}: {}",
            problem.message()
        );
        let record_start = if complete == 0 {
            if cut < 24 {
                0
            } else {
                24
            }
        } else {
            ends[complete - 1]
        };
        assert_eq!(
            problem.offset,
            record_start,
            "cut at {cut}: {}",
            problem.message()
        );
        if cut >= 24 {
            assert_eq!(problem.frame, Some(complete as u32 + 1), "cut at {cut}");
            assert!(
                problem
                    .message()
                    .contains(&format!("frame {}", complete + 1)),
                "cut at {cut}: {}",
                problem.message()
            );
        }
    }
}

#[test]
fn gzip_that_ends_early_keeps_what_was_decompressed() {
    let bytes = demo();
    let gz = gzip(&bytes);
    let (frames, end) = read_chunked(&gz[..gz.len() - 8], 64);
    // The deflate stream is whole but for its 8-byte trailer; every frame decompresses.
    assert_eq!(frames.len(), 10);
    let problem = end.stopped_by().expect("the early end is reported");
    assert_eq!(problem.kind, ProblemKind::Truncated);
    assert!(
        problem.message().contains("gzip file ends early"),
        "{}",
        problem.message()
    );
    let (frames, end) = read_chunked(&gz[..gz.len() / 2], 64);
    assert!(frames.len() < 10);
    assert!(end.stopped_by().is_some());
}

#[test]
fn a_text_file_is_named_as_not_a_capture() {
    let (frames, end) = read_chunked(b"Hello, world!\nThis is text.\n", 5);
    assert!(frames.is_empty());
    let p = end.stopped_by().expect("reported");
    assert_eq!(p.kind, ProblemKind::NotACapture);
    assert!(p.message().starts_with("This is not a capture file: it starts with the bytes 48 65 6c 6c 6f 2c 20 77 (\"Hello, w\"). It looks like a text file."), "{}", p.message());
    assert!(p.message().contains("pcapng (0a 0d 0d 0a)"));
    let (_, end) = read_chunked(b"%PDF-1.7 ...", 1024);
    assert!(end.problems[0].message().contains("a PDF document"));
    let (_, end) = read_chunked(&gzip(b"just text inside gzip"), 1024);
    assert!(end.problems[0]
        .message()
        .starts_with("This gzip file does not hold a capture"));
}

#[test]
fn an_absurd_record_length_stops_without_allocating_it() {
    let mut bytes = demo()[..24 + 16 + 76].to_vec();
    // A second record claiming 4 GiB of captured bytes.
    bytes.extend_from_slice(&[
        0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    ]);
    bytes.extend_from_slice(&[0u8; 100]);
    let (frames, end) = read_chunked(&bytes, 1 << 20);
    assert_eq!(frames.len(), 1);
    let p = end.stopped_by().expect("reported");
    assert_eq!(p.kind, ProblemKind::Corrupt);
    assert_eq!(p.offset, 116);
    assert_eq!(p.frame, Some(2));
    assert!(
        p.message().contains("claims 4294967295 captured bytes"),
        "{}",
        p.message()
    );
}

#[test]
fn big_endian_and_nanosecond_pcap() {
    // Rewrite the demo as big-endian nanosecond pcap by hand.
    let le = demo();
    let mut be = vec![0xa1, 0xb2, 0x3c, 0x4d];
    for field in [(4, 2), (6, 2), (8, 4), (12, 4), (16, 4), (20, 4)] {
        let mut v = le[field.0..field.0 + field.1].to_vec();
        v.reverse();
        be.extend(v);
    }
    let mut at = 24;
    while at + 16 <= le.len() {
        let word = |i: usize| u32::from_le_bytes([le[i], le[i + 1], le[i + 2], le[i + 3]]);
        let (secs, micros, incl, orig) = (word(at), word(at + 4), word(at + 8), word(at + 12));
        for v in [secs, micros * 1000, incl, orig] {
            be.extend(v.to_be_bytes());
        }
        be.extend_from_slice(&le[at + 16..at + 16 + incl as usize]);
        at += 16 + incl as usize;
    }
    let (a, _) = read_chunked(&le, 1 << 20);
    let (b, end) = read_chunked(&be, 3);
    assert_eq!(a, b);
    let info = end.info.expect("read");
    assert!(info.big_endian);
    assert_eq!(info.interfaces[0].ts_digits, 9);
    assert_eq!(
        crate::explain::capture::format_text(&info, crate::explain::Lang::En),
        "pcap (big-endian, ns)"
    );
}

#[test]
fn pcapng_with_several_interfaces_and_resolutions() {
    let Some(dir) = captures_dir() else { return };
    let bytes =
        std::fs::read(dir.join("public/zeek/pcapng-multi-interface.pcapng")).expect("capture");
    let (frames, end) = read_chunked(&bytes, 1000);
    let info = end.info.expect("read");
    assert_eq!(info.format, Format::Pcapng);
    assert!(info.interfaces.len() >= 2, "{:?}", info.interfaces);
    assert!(frames.iter().any(|f| f.interface == 1));
    assert!(end.problems.is_empty(), "{:?}", end.problems);
    // Interface options with wrong sizes do not lose the interface (Wireshark reads the file).
    let bytes = std::fs::read(dir.join("public/gopacket/test008.pcapng")).expect("capture");
    let (frames, end) = read_chunked(&bytes, 1 << 20);
    assert_eq!(frames.len(), 4);
    assert!(end.stopped_by().is_none(), "{:?}", end.problems);
}

#[test]
fn timestamps_format_like_tshark() {
    let t = Timestamp {
        secs: 1_726_642_892,
        nanos: 461_594_000,
    };
    assert_eq!(t.format_epoch(6), "1726642892.461594");
    assert_eq!(t.format_epoch(9), "1726642892.461594000");
    assert_eq!(format_seconds(438_000, 6), "0.000438");
    assert_eq!(format_seconds(-1_500_000_000, 3), "-1.500");
    // As `format!` writes them, for every resolution, both signs, beyond 64 bits too.
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    let mut values: Vec<i128> = vec![0, 1, -1, 999_999_999, 1_000_000_000, i128::MAX, i128::MIN];
    values.extend([u64::MAX, u64::MAX - 1].map(i128::from));
    values.extend((0..500).map(|_| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        i128::from(x >> (x % 64)) * if x & 1 == 0 { 1 } else { -1 }
    }));
    for nanos in values {
        for digits in 0..=12u8 {
            let d = digits.min(9);
            let abs = nanos.unsigned_abs();
            let (secs, frac) = (abs / 1_000_000_000, abs % 1_000_000_000);
            let sign = if nanos < 0 { "-" } else { "" };
            let expected = if d == 0 {
                format!("{sign}{secs}")
            } else {
                let scaled = frac / 10u128.pow(9 - u32::from(d));
                format!("{sign}{secs}.{scaled:0width$}", width = usize::from(d))
            };
            assert_eq!(format_seconds(nanos, digits), expected, "{nanos} {digits}");
        }
    }
    assert_eq!(format_seconds(5_000_000_000, 0), "5");
}

/// Cut positions for a file: every byte of small files, else a sample that includes the
/// bytes around each record boundary.
fn cuts(len: usize, boundaries: &[u64]) -> Vec<usize> {
    if len <= 4096 {
        return (0..len).collect();
    }
    let mut out: Vec<usize> = (0..len).step_by(len / 200 + 1).collect();
    for &b in boundaries.iter().take(400) {
        let b = b as usize;
        out.extend(
            [b.saturating_sub(1), b, b + 1]
                .into_iter()
                .filter(|&c| c < len),
        );
    }
    out.sort_unstable();
    out.dedup();
    out
}

#[test]
fn every_shared_capture_survives_every_cut() {
    for path in all_captures() {
        let bytes = std::fs::read(&path).expect("capture readable");
        let (all, whole_end) = read_chunked(&bytes, 1 << 20);
        if whole_end.info.is_none() {
            continue; // not readable even whole (e.g. an empty file)
        }
        let ends: Vec<u64> = all.iter().map(|f| f.offset + f.data.len() as u64).collect();
        let is_pcap = whole_end
            .info
            .as_ref()
            .is_some_and(|i| i.format == Format::Pcap);
        for cut in cuts(bytes.len(), &ends) {
            let name = format!("{} cut at {cut}", path.display());
            let (frames, end) = read_chunked(&bytes[..cut], 4093);
            // Every frame kept is the same frame as in the whole file, in order.
            assert!(frames.len() <= all.len(), "{name}");
            assert_eq!(frames[..], all[..frames.len()], "{name}");
            // Every frame whose record lies wholly before the cut is kept (pcap records end
            // with their data; pcapng blocks may carry options after it).
            let complete = ends.iter().filter(|&&e| e <= cut as u64).count();
            if is_pcap {
                assert_eq!(frames.len(), complete, "{name}");
            } else {
                assert!(
                    frames.len() + 1 >= complete,
                    "{name}: kept {} of {complete}",
                    frames.len()
                );
            }
            if let Some(p) = end.stopped_by() {
                assert!(p.offset <= cut as u64, "{name}: {}", p.message());
                if p.kind == ProblemKind::Truncated && cut > 0 {
                    assert!(
                        p.message().contains(&format!("cut short at byte {cut}")),
                        "{name}: {}",
                        p.message()
                    );
                }
            }
            // What remains analyses and renders.
            let report = crate::analysis::analyze_bytes(&bytes[..cut]);
            assert_eq!(crate::row::all(&report).len(), frames.len(), "{name}");
            let _ = crate::explain::capture::summary(&report, crate::explain::Lang::Zh);
        }
    }
}

/// Malformed and odd files, built byte by byte: each gives a clear message and keeps going.
mod malformed {
    use super::*;
    use crate::analysis::analyze_bytes;

    /// A little-endian µs pcap with the given snaplen and records (ts_sec, ts_usec, data, orig_len).
    fn pcap(snaplen: u32, records: &[(u32, u32, &[u8], u32)]) -> Vec<u8> {
        let mut out = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        out.extend(snaplen.to_le_bytes());
        out.extend(101u32.to_le_bytes()); // raw IP
        for (secs, usecs, data, orig) in records {
            for v in [*secs, *usecs, data.len() as u32, *orig] {
                out.extend(v.to_le_bytes());
            }
            out.extend_from_slice(data);
        }
        out
    }

    fn block(big: bool, kind: u32, body: &[u8]) -> Vec<u8> {
        let pad = (4 - body.len() % 4) % 4;
        let len = (12 + body.len() + pad) as u32;
        let word = |v: u32| {
            if big {
                v.to_be_bytes()
            } else {
                v.to_le_bytes()
            }
        };
        let mut out = Vec::new();
        out.extend(word(kind));
        out.extend(word(len));
        out.extend_from_slice(body);
        out.extend(std::iter::repeat_n(0u8, pad));
        out.extend(word(len));
        out
    }

    fn shb(big: bool) -> Vec<u8> {
        let mut body = if big {
            vec![0x1a, 0x2b, 0x3c, 0x4d, 0, 1, 0, 0]
        } else {
            vec![0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0]
        };
        body.extend([0xff; 8]); // section length unknown
        block(big, 0x0A0D_0D0A, &body)
    }

    /// An interface description for raw IP with an optional if_tsresol.
    fn idb(big: bool, tsresol: Option<u8>) -> Vec<u8> {
        let (h, w) = (
            |v: u16| {
                if big {
                    v.to_be_bytes()
                } else {
                    v.to_le_bytes()
                }
            },
            |v: u32| {
                if big {
                    v.to_be_bytes()
                } else {
                    v.to_le_bytes()
                }
            },
        );
        let mut body = Vec::new();
        body.extend(h(101));
        body.extend(h(0));
        body.extend(w(65535));
        if let Some(r) = tsresol {
            body.extend(h(9));
            body.extend(h(1));
            body.extend([r, 0, 0, 0]);
        }
        block(big, 1, &body)
    }

    fn epb(big: bool, interface: u32, ts: u64, data: &[u8]) -> Vec<u8> {
        let w = |v: u32| {
            if big {
                v.to_be_bytes()
            } else {
                v.to_le_bytes()
            }
        };
        let mut body = Vec::new();
        for v in [
            interface,
            (ts >> 32) as u32,
            ts as u32,
            data.len() as u32,
            data.len() as u32,
        ] {
            body.extend(w(v));
        }
        body.extend_from_slice(data);
        block(big, 6, &body)
    }

    const PACKET: &[u8] = &[
        0x45, 0, 0, 20, 0, 0, 0, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
    ];

    fn warnings(end: &CaptureEnd) -> Vec<String> {
        end.problems
            .iter()
            .filter(|p| p.kind == ProblemKind::Warning)
            .map(|p| p.message())
            .collect()
    }

    #[test]
    fn pcap_snaplen_zero_and_all_ones_read_normally() {
        for snaplen in [0, u32::MAX] {
            let (frames, end) =
                read_chunked(&pcap(snaplen, &[(1, 0, PACKET, 20), (2, 0, PACKET, 20)]), 5);
            assert_eq!(frames.len(), 2);
            assert!(
                end.problems.is_empty(),
                "snaplen {snaplen}: {:?}",
                end.problems
            );
        }
    }

    #[test]
    fn pcap_odd_records_are_read_with_a_warning_naming_the_frame() {
        let bytes = pcap(
            16,
            &[
                (5, 0, PACKET, 20),
                (6, 0, &PACKET[..10], 4),
                (4, 500_000, &[], 0),
                (7, 0, PACKET, 20),
            ],
        );
        let (frames, end) = read_chunked(&bytes, 3);
        assert_eq!(frames.len(), 4, "every record is kept");
        assert_eq!(frames[2].data.len(), 0, "a zero-length record is a frame");
        assert!(end.stopped_by().is_none());
        let w = warnings(&end);
        assert!(w.iter().any(|m| m == "Frame 1 holds 20 captured bytes, more than the file's snapshot length of 16; it is read as it is."), "{w:?}");
        assert!(w.iter().any(|m| m == "Frame 2 says it captured 10 bytes of a packet only 4 bytes long on the wire; both lengths are shown as the file gives them."), "{w:?}");
        assert!(w.iter().any(|m| m == "Frame 3 is 1.500000 s earlier than frame 2: the capture's timestamps go backwards here."), "{w:?}");
        assert_eq!(
            end.problems
                .iter()
                .find(|p| p.frame == Some(3))
                .map(|p| p.offset),
            Some(24 + 36 + 26)
        );
        // Analysis goes on: the time column shows the file's order, negative where it goes back.
        let report = analyze_bytes(&bytes);
        let times: Vec<String> = crate::row::all(&report)
            .into_iter()
            .map(|r| r.time)
            .collect();
        assert_eq!(times, ["0.000000", "1.000000", "-0.500000", "2.000000"]);
    }

    #[test]
    fn warnings_are_capped() {
        let records: Vec<(u32, u32, &[u8], u32)> =
            (0..300).map(|i| (1000 - i, 0, PACKET, 20)).collect();
        let (frames, end) = read_chunked(&pcap(0, &records), 4096);
        assert_eq!(frames.len(), 300);
        assert_eq!(end.problems.len(), 101);
        assert!(end.problems[100]
            .message()
            .starts_with("More records are odd"));
    }

    #[test]
    fn pcapng_block_lengths_that_cannot_be() {
        let good = [
            shb(false),
            idb(false, None),
            epb(false, 0, 1_000_000, PACKET),
        ]
        .concat();
        for (len, why) in [
            (30u32, "not a multiple of 4"),
            (8, "smaller than the 12 bytes every block needs"),
        ] {
            let mut bad = good.clone();
            bad.extend(6u32.to_le_bytes());
            bad.extend(len.to_le_bytes());
            bad.extend([0u8; 40]);
            let (frames, end) = read_chunked(&bad, 7);
            assert_eq!(frames.len(), 1, "the frame before is kept");
            let p = end.stopped_by().expect("reported");
            assert_eq!(
                (p.kind, p.offset),
                (ProblemKind::Corrupt, good.len() as u64)
            );
            assert!(p.message().contains(why), "{}", p.message());
        }
        // A block longer than the file: the file was cut inside it.
        let mut cut = good.clone();
        cut.extend(epb(false, 0, 2_000_000, PACKET));
        cut.truncate(good.len() + 30);
        let (frames, end) = read_chunked(&cut, 7);
        assert_eq!(frames.len(), 1);
        let p = end.stopped_by().expect("reported");
        assert_eq!(p.kind, ProblemKind::Truncated);
        assert!(
            p.message()
                .contains("frame 2's packet block starts at byte"),
            "{}",
            p.message()
        );
    }

    #[test]
    fn pcapng_unknown_interface_and_unknown_blocks() {
        let bytes = [
            shb(false),
            idb(false, None),
            epb(false, 3, 1, PACKET), // interface 3 was never described
            block(false, 0x0000_0F00, b"hi"), // a block type nobody knows
            epb(false, 0, 2, PACKET),
        ]
        .concat();
        let (frames, end) = read_chunked(&bytes, 11);
        assert_eq!(
            frames.len(),
            1,
            "the packet of the described interface is read"
        );
        assert_eq!(frames[0].number, 1);
        assert!(end.stopped_by().is_none());
        assert_eq!(end.problems.len(), 1, "{:?}", end.problems);
        assert_eq!(end.problems[0].kind, ProblemKind::Skipped);
        assert!(end.problems[0]
            .message()
            .contains("names interface 3, which this section never described"));
    }

    /// A frame record keeps its time as i64 nanoseconds; a time beyond what they can hold
    /// (after 2262) is kept aside, exactly, and shown as tshark shows it.
    #[test]
    fn times_beyond_2262_are_kept_exactly() {
        // Microsecond ticks: 1 s, then about year 5138, then 2262-04-11 23:47:16.854775 (the
        // last whole microsecond an i64 of nanoseconds holds).
        let far = 100_000_000_000_000_123u64;
        let edge = 9_223_372_036_854_775u64;
        let bytes = [
            shb(false),
            idb(false, None),
            epb(false, 0, 1_000_000, PACKET),
            epb(false, 0, far, PACKET),
            epb(false, 0, edge, PACKET),
            epb(false, 0, edge + 1, PACKET),
        ]
        .concat();
        let report = analyze_bytes(&bytes);
        let times: Vec<Timestamp> = report.numbered().map(|f| report.aside.ts(&f)).collect();
        let micros = |t: u64| Timestamp {
            secs: (t / 1_000_000) as i64,
            nanos: (t % 1_000_000) as u32 * 1000,
        };
        assert_eq!(
            times,
            vec![
                micros(1_000_000),
                micros(far),
                micros(edge),
                micros(edge + 1)
            ]
        );
        assert_eq!(
            report
                .aside
                .ts(&report.frame(2).expect("frame 2"))
                .format_epoch(6),
            "100000000000.000123"
        );
        let rows = crate::row::all(&report);
        assert_eq!(rows[1].time, "99999999999.000123");
    }

    #[test]
    fn pcapng_sections_of_both_byte_orders_and_unusual_resolutions() {
        let bytes = [
            shb(false),
            idb(false, Some(3)), // milliseconds
            epb(false, 0, 1_500, PACKET),
            shb(true),
            idb(true, Some(0x80 | 10)), // 2^-10 s
            epb(true, 0, 3 * 1024 + 512, PACKET),
        ]
        .concat();
        let (frames, end) = read_chunked(&bytes, 9);
        assert!(end.problems.is_empty(), "{:?}", end.problems);
        assert_eq!(frames.len(), 2);
        assert_eq!(
            frames[0].ts,
            Timestamp {
                secs: 1,
                nanos: 500_000_000
            }
        );
        assert_eq!(
            frames[1].ts,
            Timestamp {
                secs: 3,
                nanos: 500_000_000
            }
        );
        assert_eq!(
            frames[1].interface, 1,
            "interfaces are numbered across sections"
        );
        let info = end.info.expect("read");
        assert_eq!(info.interfaces.len(), 2);
        assert_eq!(
            (info.interfaces[0].ts_digits, info.interfaces[1].ts_digits),
            (3, 9)
        );
    }
}

#[test]
fn dates_and_times_of_day() {
    use super::format_date_time;
    // The tutorial's first frame: 1726642892.461594 is 15:01:32 in China (UTC+8).
    let ns = 1_726_642_892_461_594_000i128;
    assert_eq!(format_date_time(ns, 0, 6), "2024-09-18 07:01:32.461594");
    assert_eq!(format_date_time(ns, 480, 6), "2024-09-18 15:01:32.461594");
    assert_eq!(
        format_date_time(ns, -480, 9),
        "2024-09-17 23:01:32.461594000"
    );
    assert_eq!(format_date_time(0, 0, 0), "1970-01-01 00:00:00");
    assert_eq!(format_date_time(-1, 0, 3), "1969-12-31 23:59:59.999");
    // Leap day, and the end of a century that is not a leap year.
    assert_eq!(
        format_date_time(951_782_400_000_000_000, 0, 0),
        "2000-02-29 00:00:00"
    );
    assert_eq!(
        format_date_time(4_107_542_400_000_000_000, 0, 0),
        "2100-03-01 00:00:00"
    );
}

/// Nanoseconds in an i64 are the exact i128 value where it fits, saturated where it does not,
/// at the edges of both (nanos beyond a second, as a damaged record may have, included).
#[test]
fn nanoseconds_in_an_i64_are_exact_or_saturated() {
    let secs = [
        0,
        1,
        -1,
        9_223_372_031,
        9_223_372_032,
        -9_223_372_031,
        -9_223_372_032,
        9_223_372_035,
        9_223_372_036,
        9_223_372_037,
        -9_223_372_036,
        -9_223_372_037,
        -9_223_372_038,
        i64::MAX,
        i64::MIN,
    ];
    let nanos = [
        0,
        1,
        145_224_191,
        145_224_192,
        854_775_807,
        854_775_808,
        999_999_999,
        u32::MAX,
    ];
    for secs in secs {
        for nanos in nanos {
            let ts = Timestamp { secs, nanos };
            let exact = i128::from(secs) * 1_000_000_000 + i128::from(nanos);
            let expected =
                i64::try_from(exact).unwrap_or(if secs < 0 { i64::MIN } else { i64::MAX });
            assert_eq!(ts.as_nanos_i64(), expected, "{secs} s {nanos} ns");
        }
    }
}
