use super::analyze_bytes;
use crate::tcp::{CloseKind, HandshakeKind, Side, State};

/// A frame's HTTP exchanges, looked for among its TCP stream's only, are those a scan of
/// every exchange finds (every frame of every shared capture with HTTP).
#[test]
fn a_frames_exchanges_are_found_in_its_stream() {
    let captures = crate::test_captures::all_captures();
    let mut frames_with_http = 0;
    for path in &captures {
        let report = analyze_bytes(&std::fs::read(path).unwrap_or_default());
        if report.http.exchange_count() == 0 {
            continue;
        }
        for number in 1..=report.frames.len() as u32 {
            let Some(frame) = report.frame(number) else {
                continue;
            };
            let scanned: Vec<_> = report
                .http
                .exchanges()
                .filter(|x| {
                    x.request_frame == number
                        || x.response_frame == Some(number)
                        || x.interim_frames.contains(&number)
                })
                .collect();
            let found = match report.tcp.stream_of(frame.tcp()) {
                Some(stream) => report.http.exchanges_in_frame(stream, number),
                None => Vec::new(),
            };
            assert_eq!(found, scanned, "{} frame {number}", path.display());
            frames_with_http += usize::from(!found.is_empty());
        }
    }
    assert!(
        captures.is_empty() || frames_with_http > 100,
        "{frames_with_http} frames with exchanges"
    );
}

/// A record keeps the offset of a frame far into a large capture and the length of the
/// largest record, side by side in one word; the number is its place.
#[test]
fn a_record_keeps_large_offsets_and_lengths() {
    use super::record::{frame_at, FrameRecord, CAP_LEN_BITS, MAX_OFFSET};
    let far = MAX_OFFSET - 1;
    let longest = (1u64 << CAP_LEN_BITS) - 1;
    let mut records = [FrameRecord::default(); 2];
    records[1].set_place(far, longest);
    let frame = frame_at(&records, 1).expect("frame 2");
    assert_eq!((frame.number, frame.offset()), (2, far));
    assert_eq!(u64::from(frame.cap_len()), longest);
    assert!(longest > 16 << 20, "a pcapng block's packet fits");
    assert_eq!(frame_at(&records, 2), None);
}

/// A frame not captured whole keeps its length on the wire aside; the others' is their
/// captured length. A TCP segment's ports are its connection's.
#[test]
fn lengths_on_the_wire_and_ports_kept_aside() {
    let mut bytes = crate::test_captures::demo();
    // Frame 1's record header starts after the file header: say it was 1000 bytes long.
    bytes[24 + 12..24 + 16].copy_from_slice(&1000u32.to_le_bytes());
    let report = analyze_bytes(&bytes);
    let frame = |n| report.frame(n).expect("frame");
    assert!(frame(1).has(super::bits::CUT));
    assert_eq!(report.orig_len(&frame(1)), 1000);
    assert_eq!(crate::row::all(&report)[0].length, 1000);
    assert!(!frame(2).has(super::bits::CUT));
    assert_eq!(report.orig_len(&frame(2)), frame(2).cap_len());
    assert_eq!(report.tcp_ports(&frame(1)), Some((58626, 8080)));
    assert_eq!(report.tcp_ports(&frame(2)), Some((8080, 58626)));
    assert_eq!(report.udp_ports(&frame(1)), None);
}

/// Times are kept in 4 bytes from their block's first frame, in microseconds for a
/// microsecond capture and nanoseconds for a finer one; the rest (too far from the base,
/// not in its unit, beyond an i64 of ns) aside: every time comes back as it was.
#[test]
fn times_come_back_as_they_were() {
    use super::record::{Aside, Frame, FrameRecord, LOOSE_TIME, TIME_BLOCK};
    use crate::capture::Timestamp;
    let us = |t: i64| Timestamp::from_nanos_i64(t * 1000);
    let ns = Timestamp::from_nanos_i64;
    let s = 1_000_000_000i64;
    // (time, resolution digits, kept in the record)
    let mut times = vec![
        (us(1_700_000_000_000_000), 6, true),
        (us(1_700_000_000_000_001), 6, true),
        // Backwards in time, and 30 minutes later: still within an i32 of microseconds.
        (us(1_699_999_999_000_000), 6, true),
        (us(1_700_001_800_000_000), 6, true),
        // Two hours later: aside.
        (us(1_700_007_200_000_000), 6, false),
        // A nanosecond time in a microsecond block: aside.
        (ns(1_700_000_000 * s + 7), 9, false),
        // Beyond what an i64 of ns can say.
        (
            Timestamp {
                secs: 10_000_000_000,
                nanos: 5,
            },
            9,
            false,
        ),
    ];
    times.resize(TIME_BLOCK, (us(1_700_000_000_000_002), 6, true));
    // The next block is nanoseconds: a second apart fits, three do not.
    times.push((ns(1_700_000_100 * s + 1), 9, true));
    times.push((ns(1_700_000_101 * s + 2), 9, true));
    times.push((ns(1_700_000_103 * s + 3), 9, false));
    let mut aside = Aside::default();
    let records: Vec<FrameRecord> = (1..)
        .zip(&times)
        .map(|(number, &(ts, digits, _))| FrameRecord {
            ts: aside.keep_ts(number, ts, digits),
            ..FrameRecord::default()
        })
        .collect();
    assert_eq!(aside.bases.len(), 2);
    for ((number, record), &(ts, _, in_record)) in (1..).zip(records).zip(&times) {
        assert_eq!(record.ts != LOOSE_TIME, in_record, "frame {number}");
        assert_eq!(aside.ts(&Frame { number, record }), ts, "frame {number}");
    }
}

#[test]
fn a_frame_limit_stops_reading_with_a_notice() {
    let bytes = crate::test_captures::demo();
    let mut analysis = super::Analysis::with_max_frames(4);
    for chunk in bytes.chunks(100) {
        analysis.push(chunk);
    }
    let report = analysis.finish();
    assert_eq!(report.frames.len(), 4);
    let stop = report.capture.stopped_by().expect("a notice");
    assert_eq!(stop.kind, crate::capture::ProblemKind::Limit);
    assert_eq!(stop.frame, Some(5));
    assert_eq!(stop.offset, 24 + 92 + 92 + 84 + 181 + 16);
    let message = crate::explain::capture::problem_text(stop, crate::explain::Lang::En);
    assert!(
        message.starts_with("Only the first 4 frames are read"),
        "{message}"
    );
    assert_eq!(crate::row::all(&report).len(), 4);
}

/// The memory report counts every list the report keeps: each frame's record, each TCP
/// segment's record, the connections, and HTTP's messages and texts.
#[test]
fn the_memory_report_counts_what_is_kept() {
    let bytes = crate::synth::generate(crate::synth::Options {
        frames: 5000,
        seed: 3,
        pcapng: false,
        ..Default::default()
    });
    let report = super::analyze_bytes(&bytes);
    let kept = report.memory();
    let part = |name: &str| {
        kept.parts
            .iter()
            .find(|(p, _)| *p == name)
            .map(|&(_, b)| b)
            .unwrap_or_else(|| panic!("no part {name:?} in {kept:?}"))
    };
    let frames = report.frames.len();
    assert!(frames >= 5000);
    assert!(part("frame records") >= frames * size_of::<super::FrameRecord>());
    let segments = report.tcp.records.len();
    assert!(segments > frames * 9 / 10, "nearly every frame is TCP");
    assert!(part("TCP segment records") >= segments * size_of::<crate::tcp::TcpRecord>());
    let connections = report.tcp.connection_count();
    assert!(part("TCP connections") >= connections * size_of::<crate::tcp::ConnFacts>());
    let exchanges = report.http.exchanges().len();
    assert!(exchanges > 100);
    // At least a request line of "GET / HTTP/1.1" and a status line per exchange.
    assert!(part("HTTP") > exchanges * 30);
    assert_eq!(kept.total(), kept.parts.iter().map(|p| p.1).sum::<usize>());
}

/// Everything the analysis gives, as text: rows, every TCP frame's facts, connections,
/// HTTP exchanges and the summary.
fn everything(report: &super::Report) -> String {
    let facts: Vec<_> = report.numbered().map(|f| report.tcp_facts(&f)).collect();
    serde_json::json!({
        "rows": crate::row::all(report),
        "facts": facts,
        "connections": crate::explain::connection::views(report).collect::<Vec<_>>(),
        "summary": crate::explain::capture::summary(report, crate::explain::Lang::En),
    })
    .to_string()
}

/// The same capture fed in chunks of 1 byte, 7 bytes, 64 KiB or whole gives the same
/// analysis: pcap and pcapng, the tutorial's capture and generated traffic with loss,
/// zero windows, resets and port reuse.
#[test]
fn any_chunking_gives_the_same_analysis() {
    let mut captures = vec![crate::test_captures::demo()];
    for pcapng in [false, true] {
        captures.push(crate::synth::generate(crate::synth::Options {
            frames: 3000,
            seed: 7,
            pcapng,
            ..Default::default()
        }));
    }
    for bytes in &captures {
        let whole = everything(&super::analyze_bytes(bytes));
        for size in [1, 7, 64 * 1024] {
            let mut analysis = super::Analysis::new();
            analysis.retain(crate::capture::Retain::Always);
            analysis.expect_bytes(bytes.len() as u64);
            for chunk in bytes.chunks(size) {
                analysis.push(chunk);
            }
            assert!(
                everything(&analysis.finish()) == whole,
                "chunks of {size} bytes changed the analysis"
            );
        }
    }
}

/// A frame's time in nanoseconds is its time's, for every frame of the tutorial's and the
/// shared captures (times kept as offsets, loose and far ones alike).
#[test]
fn times_in_nanoseconds_are_the_times() {
    let mut captures = vec![crate::test_captures::demo()];
    for path in crate::test_captures::all_captures() {
        captures.push(std::fs::read(&path).expect("a shared capture is readable"));
    }
    for bytes in &captures {
        let report = super::analyze_bytes(bytes);
        for f in report.numbered() {
            assert_eq!(report.aside.ts_ns(&f), report.aside.ts(&f).as_nanos());
        }
    }
}

/// Read by one half and kept by the other after the whole capture has been read (as two
/// threads may, with the payloads copied out of the chunks), or kept from batches of bytes
/// chunk by chunk (as the page's second Worker keeps them), a capture gives the same
/// analysis as pushed chunk by chunk; with a frame limit too.
#[test]
fn reading_and_keeping_apart_give_the_same_analysis() {
    let bytes = crate::synth::generate(crate::synth::Options {
        frames: 3000,
        seed: 11,
        pcapng: true,
        ..Default::default()
    });
    for max_frames in [super::MAX_FRAMES, 1234] {
        let pushed = {
            let mut analysis = super::Analysis::with_max_frames(max_frames);
            analysis.retain(crate::capture::Retain::Always);
            for chunk in bytes.chunks(4096) {
                analysis.push(chunk);
            }
            everything(&analysis.finish())
        };
        let mut analysis = super::Analysis::with_max_frames(max_frames);
        analysis.retain(crate::capture::Retain::Always);
        let (mut reading, mut keeping) = analysis.into_halves();
        let mut read = Vec::new();
        for chunk in bytes.chunks(4096) {
            reading.read(chunk, |frame, payload| read.push((frame, payload.to_vec())));
        }
        if max_frames == 1234 {
            assert_eq!(read.len(), 1234, "reading stops at the limit");
        } else {
            assert!(read.len() >= 3000);
        }
        for (frame, payload) in read {
            keeping.keep(frame, &payload);
        }
        let apart = super::Analysis::from_halves(reading, keeping).finish();
        assert!(everything(&apart) == pushed, "limit {max_frames}");

        let mut analysis = super::Analysis::with_max_frames(max_frames);
        analysis.retain(crate::capture::Retain::Always);
        let (mut reading, _) = analysis.into_halves();
        let mut batched = super::Analysis::with_max_frames(max_frames);
        for chunk in bytes.chunks(4096) {
            let mut batch = Vec::new();
            reading.read(chunk, |frame, payload| {
                super::batch::put(&mut batch, &frame, payload)
            });
            batched.keep_batch(&batch).expect("a batch");
        }
        let batched = batched.finish_with(reading.finish());
        assert!(
            everything(&batched) == pushed,
            "limit {max_frames}, in batches"
        );
    }
}

/// While a capture is read, the rows of the frames read so far: for the tutorial's
/// capture they are already the final ones (nothing later changes them), frame by frame.
#[test]
fn rows_while_reading() {
    let bytes = crate::test_captures::demo();
    let finished = crate::row::all(&super::analyze_bytes(&bytes));
    let mut analysis = super::Analysis::new();
    analysis.retain(crate::capture::Retain::Always);
    let mut seen = 0;
    for chunk in bytes.chunks(60) {
        analysis.push(chunk);
        let kept = analysis.kept().expect("kept");
        for (i, frame) in super::numbered(analysis.frames()).enumerate().skip(seen) {
            let row =
                crate::row::so_far(&analysis, i, kept.get(&frame).expect("bytes")).expect("a row");
            assert_eq!(row, finished[i], "frame {}", i + 1);
        }
        seen = analysis.frame_count();
    }
    assert_eq!(seen, 10);
    assert!(crate::row::so_far(&analysis, 10, &[]).is_none());
}

/// The tutorial's capture, end to end through the real decoder: what the lesson teaches.
#[test]
fn the_tutorials_connection() {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../www/examples/demo.pcap"
    ))
    .expect("example");
    let report = analyze_bytes(&bytes);
    assert_eq!(report.frames.len(), 10);
    let [c] = &report.connections().collect::<Vec<_>>()[..] else {
        panic!("one connection")
    };
    assert_eq!(
        (c.client.to_string(), c.server.to_string()),
        (
            "192.168.0.50:58626".to_string(),
            "192.168.0.52:8080".to_string()
        )
    );
    assert_eq!(c.handshake.kind, HandshakeKind::ThreeWay);
    assert_eq!(c.handshake.frames, vec![1, 2, 3]);
    assert_eq!(c.handshake.irtt(), Some(0.000438));
    assert_eq!(c.close.kind, CloseKind::ThreeWay);
    assert_eq!(c.close.initiator, Some(Side::Client));
    assert_eq!(c.close.frames, vec![8, 9, 10]);
    assert_eq!(
        (
            c.completeness.value,
            c.conn_state.as_str(),
            c.history.as_str()
        ),
        (31, "SF", "ShADadFf")
    );
    let exchanges: Vec<_> = report.http.exchanges().collect();
    let [x] = &exchanges[..] else {
        panic!("one HTTP exchange")
    };
    assert_eq!(
        (x.request_frame, x.method, x.uri),
        (4, "GET", "/hello?name=world")
    );
    assert_eq!(
        (x.response_frame, x.status, x.time),
        (Some(6), Some(200), Some(0.002611))
    );
    let states: Vec<(State, State)> = report
        .numbered()
        .map(|f| {
            report
                .tcp_facts(&f)
                .map(|t| (t.state.client, t.state.server))
                .expect("TCP")
        })
        .collect();
    use State::*;
    assert_eq!(
        states,
        vec![
            (SynSent, SynReceived),
            (Established, SynReceived),
            (Established, Established),
            (Established, Established),
            (Established, Established),
            (Established, Established),
            (Established, Established),
            (FinWait1, CloseWait),
            (TimeWait, LastAck),
            (TimeWait, Closed),
        ]
    );
    let rows = crate::row::all(&report);
    assert_eq!(
        rows[0].info,
        "58626 → 8080 [SYN] Seq=0 Win=29200 Len=0 MSS=1460 SACK_PERM TSval=3433988 TSecr=0 WS=128"
    );
    assert_eq!(rows[3].info, "GET /hello?name=world HTTP/1.1 ");
    assert_eq!(rows[5].info, "HTTP/1.1 200   (text/plain)");
    assert_eq!(rows[0].color, "tcp-syn-fin");
    assert_eq!(rows[3].color, "http");
    assert_eq!(rows[2].color, "tcp");
    let views: Vec<_> = crate::explain::connection::views(&report).collect();
    let [view] = &views[..] else {
        panic!("one connection view")
    };
    assert_eq!(view.handshake_text, "three-way");
    assert_eq!(
        view.close_text,
        "three-way close by client: FIN, FIN+ACK, ACK"
    );
    assert_eq!(view.http.len(), 1);
    assert_eq!(
        report.stream_frame_indices(0),
        (0..10).collect::<Vec<u32>>()
    );
    assert!(report.stream_frame_indices(1).is_empty());
}

mod conversations {
    use super::super::conversations::ordered;
    use crate::analysis::{analyze_bytes, AddressSet};
    use rustc_hash::FxHashMap as HashMap;
    use std::net::IpAddr;
    /// The addresses a frame is given (kept, or its TCP connection's) are those its headers
    /// hold, and ip.stream numbers the address pairs in order of first appearance, on every
    /// shared capture (up to a few thousand frames each: each frame's number is found anew).
    #[test]
    fn addresses_and_ip_streams_match_the_frames_headers() {
        let mut checked = 0;
        for path in crate::test_captures::all_captures() {
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            let report = analyze_bytes(&bytes);
            if report.frames.len() > 3000 {
                continue;
            }
            let mut numbers: HashMap<(IpAddr, IpAddr), u32> = HashMap::default();
            let mut number = |pair: (IpAddr, IpAddr)| {
                let next = numbers.len() as u32;
                *numbers.entry(ordered(pair.0, pair.1)).or_insert(next)
            };
            for frame in report.numbered() {
                let frame = &frame;
                let decoded = report.decode_kept(frame);
                let expected = decoded.ip.as_ref().map(|ip| AddressSet {
                    src: ip.src,
                    dst: ip.dst,
                    inner: decoded.inner_ip.as_ref().map(|i| (i.src, i.dst)),
                });
                let at = format!("{} frame {}", path.display(), frame.number);
                assert_eq!(report.address_set(frame), expected, "{at}");
                let streams = expected.map_or((None, None), |set| {
                    (Some(number((set.src, set.dst))), set.inner.map(&mut number))
                });
                assert_eq!(report.ip_streams(frame), streams, "{at}");
                checked += 1;
            }
        }
        println!("{checked} frames checked");
    }
}
