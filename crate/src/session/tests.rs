//! The page's session, natively: reading in chunks or in batches, rows by range from the
//! file's bytes, the filters, the conversations table, and errors for requests out of place.

use super::spans::{spans, Pieces, SPAN_GAP};
use super::table::{utf16_len, RowColumns, ROW_PIECES};
use super::*;
use crate::analysis::Window;
use crate::row::FrameRow;

fn demo() -> Vec<u8> {
    crate::test_captures::demo()
}

/// A finished session of `bytes`, pushed in chunks of `chunk` bytes.
fn read(bytes: &[u8], chunk: usize) -> (Session, PageSummary) {
    let mut session = Session::new();
    session.expect_bytes(bytes.len() as u64);
    for piece in bytes.chunks(chunk) {
        session.push(piece).expect("reading");
    }
    let summary = session.finish().expect("finished");
    (session, summary)
}

/// The bytes `spans` name, read from the file as the page reads them: concatenated.
fn read_spans(file: &[u8], spans: &[u64]) -> Vec<u8> {
    spans
        .chunks_exact(2)
        .flat_map(|pair| file[pair[0] as usize..pair[1] as usize].iter().copied())
        .collect()
}

fn rows(session: &Session, file: &[u8], start: u32, count: u32) -> Vec<FrameRow> {
    let spans = session.row_spans(start, count).expect("spans");
    let bytes = read_spans(file, &spans);
    session.rows(start, count, &spans, &bytes).expect("rows")
}

#[test]
fn the_tutorials_capture_read_in_any_chunking_lists_the_same_rows() {
    let file = demo();
    let (session, summary) = read(&file, 7);
    assert_eq!(summary.summary.frames, 10);
    assert_eq!(summary.zh.format.as_deref(), Some("pcap（小端序，微秒）"));
    assert_eq!(session.frames(), 10);
    assert!(session.stopped());
    let all = rows(&session, &file, 0, 100);
    assert_eq!(all.len(), 10);
    assert_eq!(all, crate::row::all(&crate::analysis::analyze_bytes(&file)));
    let (whole, _) = read(&file, file.len());
    assert_eq!(rows(&whole, &file, 3, 2), all[3..5]);
    // Rows as far as the capture has been read, while it is read.
    let mut reading = Session::new();
    reading.push(&file[..file.len() / 2]).expect("half");
    let so_far = rows(&reading, &file, 0, 100);
    assert!(!so_far.is_empty() && so_far.len() < 10);
    assert_eq!(so_far[0].info, all[0].info);
}

#[test]
fn spans_are_merged_when_near_and_pieces_serve_only_their_frames() {
    let file = demo();
    let report = crate::analysis::analyze_bytes(&file);
    let frames: Vec<_> = report.numbered().collect();
    // The tutorial's ten frames lie within a few hundred bytes: one range.
    let merged = spans(frames.iter().rev().copied());
    assert_eq!(merged, [frames[0].offset(), frames[9].end()]);
    // Ranges further apart than SPAN_GAP stay apart, in file order.
    let big = crate::analysis::analyze_bytes(&crate::synth::generate(crate::synth::Options {
        frames: 2_000,
        ..Default::default()
    }));
    let (first, last) = (big.frame(1).expect("1"), big.frame(2_000).expect("2000"));
    assert!(last.offset() > first.end() + SPAN_GAP);
    assert_eq!(
        spans([last, first].into_iter()),
        [first.offset(), first.end(), last.offset(), last.end()]
    );

    // Only frame 3's bytes were read: frame 3 is served, frame 4 is "not read".
    let three = spans(std::iter::once(frames[2]));
    let bytes = read_spans(&file, &three);
    let mut pieces = Pieces::new(None, &three, &bytes);
    assert_eq!(
        pieces.frame_bytes(&frames[2]).expect("frame 3"),
        &file[frames[2].offset() as usize..frames[2].end() as usize]
    );
    let missing = pieces
        .frame_bytes(&frames[3])
        .expect_err("frame 4 not read");
    assert!(missing.to_string().starts_with("frame 4's bytes"));
    // Spans that promise more bytes than were given, or an odd count: nothing, no panic.
    let mut short = Pieces::new(None, &[three[0], three[1], 5, 9, 100], &bytes[..3]);
    assert!(short.frame_bytes(&frames[2]).is_err());
    // The capture kept in memory serves every frame.
    let mut kept = Pieces::new(
        Some(Window {
            start: 0,
            bytes: &file,
        }),
        &[],
        &[],
    );
    assert!(kept.frame_bytes(&frames[9]).is_ok());
}

#[test]
fn filters_by_stream_by_records_and_by_bytes() {
    let file = demo();
    let (mut session, _) = read(&file, 4096);
    assert_eq!(session.set_stream_filter(Some(0)), Ok(10));
    assert_eq!(session.set_stream_filter(Some(7)), Ok(0));
    assert_eq!(session.set_stream_filter(None), Ok(10));

    // Answered by the records: at once.
    let answer = session
        .set_display_filter("tcp.flags.fin == 1")
        .expect("applied");
    assert_eq!(answer, filter::FilterAnswer::count(2));
    assert_eq!(
        rows(&session, &file, 0, 10)
            .iter()
            .map(|r| r.number)
            .collect::<Vec<_>>(),
        [8, 9]
    );
    assert_eq!(session.row_index(9), Ok(Some(1)));
    assert_eq!(session.row_index(4), Ok(None));

    // A refused filter leaves the list as it is.
    let refused = session.set_display_filter("tcp.port ==").expect("answered");
    assert!(refused.error.is_some() && refused.count.is_none());
    assert_eq!(session.row_index(9), Ok(Some(1)));

    // Read from the frames' bytes: in steps, the list unchanged until the last.
    let answer = session
        .set_display_filter("frame contains \"name=world\"")
        .expect("applied");
    assert_eq!(answer, filter::FilterAnswer::needs_bytes());
    let early = session.filter_finish().expect_err("not every frame read");
    assert!(early.to_string().contains("has not read every frame"));
    assert_eq!(
        session.filter_feed(&[], &[]).map_err(|e| e.to_string()),
        Err("the bytes given do not hold the next frame: read what filter_span asks".into())
    );
    loop {
        let span = session.filter_span(100).expect("span");
        if span.is_empty() {
            break;
        }
        let bytes = read_spans(&file, &span);
        session.filter_feed(&span, &bytes).expect("fed");
    }
    assert_eq!(session.filter_finish(), Ok(1));
    assert_eq!(rows(&session, &file, 0, 10)[0].number, 4);
    // Empty: every frame again.
    assert_eq!(
        session.set_display_filter(" "),
        Ok(filter::FilterAnswer::count(10))
    );
}

#[test]
fn the_conversations_table_in_columns_with_each_text_once_in_both_languages() {
    let file = crate::synth::generate(crate::synth::Options {
        frames: 2_000,
        seed: 3,
        ..Default::default()
    });
    let (session, _) = read(&file, 65_536);
    let report = session.report("test").expect("finished");
    let table = session.connection_table().expect("table");
    let n = report.tcp.connection_count();
    assert!(n > 20);
    for column in [
        table.stream.len(),
        table.packets_out.len(),
        table.bytes_in.len(),
        table.duration.len(),
        table.roles_guessed.len(),
        table.handshake_text.len(),
        table.close_text.len(),
        table.conn_state.len(),
        table.history.len(),
        table.handshake_start.len() - 1,
        table.close_start.len() - 1,
        table.client.split('\n').count(),
        table.server.split('\n').count(),
    ] {
        assert_eq!(column, n);
    }
    assert_eq!(table.texts.len(), table.texts_zh.len());
    let unique: std::collections::HashSet<_> = table.texts.iter().collect();
    assert_eq!(unique.len(), table.texts.len(), "each text once");
    for (i, c) in report.connections().enumerate() {
        assert_eq!(table.stream[i], c.stream);
        assert_eq!(table.packets_out[i], c.packets.client_to_server as f64);
        assert_eq!(
            table.texts[table.handshake_text[i] as usize],
            explain::handshake_text(&c, Lang::En)
        );
        assert_eq!(
            table.texts_zh[table.close_text[i] as usize],
            explain::close_text(&c, Lang::Zh)
        );
        assert_eq!(
            table.texts[table.conn_state[i] as usize],
            c.conn_state.as_str()
        );
        let frames =
            |start: &[u32], all: &[u32]| all[start[i] as usize..start[i + 1] as usize].to_vec();
        assert_eq!(
            frames(&table.handshake_start, &table.handshake_frames),
            c.handshake.frames.to_vec()
        );
        assert_eq!(
            frames(&table.close_start, &table.close_frames),
            c.close.frames.to_vec()
        );
    }
    assert_eq!(session.connections().expect("views").len(), n);
}

#[test]
fn rows_in_columns_end_where_javascript_counts() {
    let row = |number: u32, info: &str| FrameRow {
        number,
        time: "0.000000".into(),
        source: "a".into(),
        destination: "b".into(),
        protocol: "HTTP".into(),
        length: 60 + number,
        info: info.into(),
        color: "http",
    };
    let columns = RowColumns::of(&[row(1, "GET /é"), row(2, "😀 x")]);
    assert_eq!(columns.number, [1, 2]);
    assert_eq!(columns.frame_length, [61, 62]);
    assert_eq!(columns.ends.len(), 2 * ROW_PIECES);
    let utf16: Vec<u16> = columns.text.encode_utf16().collect();
    assert_eq!(*columns.ends.last().expect("ends") as usize, utf16.len());
    // Row 2's Info ("😀 x": 4 UTF-16 units) ends where its colour starts.
    let info_end = columns.ends[ROW_PIECES + 4] as usize;
    let info_start = columns.ends[ROW_PIECES + 3] as usize;
    assert_eq!(
        String::from_utf16_lossy(&utf16[info_start..info_end]),
        "😀 x"
    );
    assert_eq!(utf16_len("😀 x"), 4);
}

#[test]
fn requests_out_of_place_are_errors_that_say_so() {
    let file = demo();
    let mut session = Session::new();
    assert_eq!(
        session.rows(0, 1, &[], &[]).map(|r| r.len()),
        Ok(0),
        "no frame yet"
    );
    assert_eq!(
        session.set_display_filter("tcp").map_err(|e| e.to_string()),
        Err("Session.set_display_filter before finish".into())
    );
    assert_eq!(
        session
            .detail(1, false, &[], &[])
            .map_err(|e| e.to_string()),
        Err("Session.detail before finish".into())
    );
    session.push(&file).expect("read");
    session.finish().expect("finished");
    assert_eq!(
        session.push(&file).map_err(|e| e.to_string()),
        Err("Session.push after finish: start a new Session for a new file".into())
    );
    assert!(session.finish().is_err());
    assert_eq!(
        session.detail_spans(11).map_err(|e| e.to_string()),
        Err("there is no frame 11".into())
    );
    assert_eq!(
        session
            .ladder(3, false, false)
            .map(|_| ())
            .map_err(|e| e.to_string()),
        Err("there is no TCP stream 3".into())
    );
    assert_eq!(
        session
            .set_time_format("sideways", 0)
            .map_err(|e| e.to_string()),
        Err("unknown time format \"sideways\"".into())
    );
    assert_eq!(
        parse_lang("fr").map_err(|e| e.to_string()),
        Err("unknown language \"fr\": use \"en\" or \"zh\"".into())
    );
    assert!(session
        .explain(0, 99, Lang::En)
        .expect("stream 0")
        .is_none());
    let four = session
        .explain(0, 4, Lang::Zh)
        .expect("stream 0")
        .expect("frame 4");
    assert!(!four.lines.is_empty());
    // A frame's detail and bytes, from the bytes its spans name.
    let spans = session.detail_spans(6).expect("spans");
    let bytes = read_spans(&file, &spans);
    assert!(!session
        .detail(6, true, &spans, &bytes)
        .expect("tree")
        .is_empty());
    assert_eq!(
        session.frame_bytes(6, &spans, &bytes).expect("bytes").len(),
        session
            .report("t")
            .expect("r")
            .frame(6)
            .expect("6")
            .cap_len() as usize
    );
}

#[test]
fn read_in_two_halves_as_by_one() {
    let file = crate::synth::generate(crate::synth::Options {
        frames: 3_000,
        seed: 8,
        ..Default::default()
    });
    let (one, summary) = read(&file, 10_000);
    let mut reader = BatchReader::new();
    let mut keeping = Session::new();
    for chunk in file.chunks(10_000) {
        let batch = reader.push(chunk).to_vec();
        keeping.push_batch(&batch).expect("kept");
    }
    assert!(!reader.stopped());
    let two = keeping.finish_batches(reader.finish()).expect("finished");
    assert_eq!(two.summary.frames, summary.summary.frames);
    assert_eq!(rows(&keeping, &file, 0, 5_000), rows(&one, &file, 0, 5_000));
    assert_eq!(
        keeping.connection_table().expect("table"),
        one.connection_table().expect("table")
    );
    assert!(keeping.push_batch(&[1, 2, 3]).is_err());
}
