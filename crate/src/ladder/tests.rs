//! The ladder of the tutorial's capture, phase by phase; renderers' snapshots and escaping;
//! a long generated connection.

use super::model::{
    capture_point, AckMeaning, CaptureBasis, CapturePoint, Ladder, LadderOptions, PhaseKind,
    RowItem, TimeAxis,
};
use super::{mermaid, svg, text, words};
use crate::analysis::{analyze_bytes, Report};
use crate::explain::Lang;
use crate::tcp::{CloseKind, HandshakeKind, Side, State};

fn demo() -> Report {
    analyze_bytes(&crate::test_captures::demo())
}

#[test]
fn the_tutorials_ladder_phase_by_phase() {
    let report = demo();
    let ladder = Ladder::build(&report, 0).expect("stream 0");
    assert!(Ladder::build(&report, 1).is_none());
    assert_eq!(ladder.client.endpoint, "192.168.0.50:58626");
    assert_eq!(ladder.server.endpoint, "192.168.0.52:8080");
    // SLL packet type 4 (outgoing) on the server's segments: captured on the server.
    assert_eq!(ladder.capture_point, CapturePoint::At(Side::Server));
    assert_eq!(ladder.capture_basis, CaptureBasis::LinkPacketType);

    let phases: Vec<(PhaseKind, u32, u32)> = ladder
        .phases
        .iter()
        .map(|p| (p.kind, p.first_frame, p.last_frame))
        .collect();
    assert_eq!(
        phases,
        vec![
            (PhaseKind::Handshake, 1, 3),
            (PhaseKind::Data, 4, 7),
            (PhaseKind::Close, 8, 10)
        ]
    );
    assert_eq!(ladder.handshake.kind, HandshakeKind::ThreeWay);
    assert_eq!(ladder.close.kind, CloseKind::ThreeWay);
    assert_eq!(ladder.close.initiator, Some(Side::Client));
    let steps: Vec<(u32, Side, &str)> = ladder
        .close_steps
        .iter()
        .map(|s| (s.frame, s.from, s.role))
        .collect();
    assert_eq!(
        steps,
        vec![
            (8, Side::Client, "FIN"),
            (9, Side::Server, "FIN+ACK"),
            (10, Side::Client, "ACK")
        ]
    );
    let [x] = &ladder.exchanges[..] else {
        panic!("one exchange")
    };
    assert_eq!(
        (x.request_frame, x.request.as_str(), x.response_frame),
        (4, "GET /hello?name=world", Some(6))
    );
    assert_eq!(x.response.as_deref(), Some("200 text/plain"));
    assert_eq!(x.time, Some(0.002611));

    let arrows: Vec<(u32, Side, &str, u32, u32, u32)> = ladder
        .arrows
        .iter()
        .map(|a| (a.frame, a.from, a.flags_text.as_str(), a.seq, a.ack, a.len))
        .collect();
    use Side::{Client as C, Server as S};
    assert_eq!(
        arrows,
        vec![
            (1, C, "SYN", 0, 0, 0),
            (2, S, "SYN+ACK", 0, 1, 0),
            (3, C, "ACK", 1, 1, 0),
            (4, C, "PSH+ACK", 1, 1, 97),
            (5, S, "ACK", 1, 98, 0),
            (6, S, "PSH+ACK", 1, 98, 126),
            (7, C, "ACK", 98, 127, 0),
            (8, C, "FIN+ACK", 98, 127, 0),
            (9, S, "FIN+ACK", 127, 99, 0),
            (10, C, "ACK", 99, 128, 0),
        ]
    );
    let arrow = |f| ladder.arrow(f).expect("arrow");
    assert_eq!(arrow(4).http.as_deref(), Some("GET /hello?name=world"));
    assert_eq!(arrow(6).http.as_deref(), Some("200 text/plain"));
    assert!(arrow(1).ack_meaning == AckMeaning::None);
    assert!(
        matches!(arrow(5).ack_meaning, AckMeaning::New { segment } if segment.frame == 4 && segment.len == 97)
    );
    assert!(
        matches!(arrow(2).ack_meaning, AckMeaning::New { segment } if segment.frame == 1 && segment.syn)
    );
    assert!(
        matches!(arrow(9).ack_meaning, AckMeaning::New { segment } if segment.frame == 8 && segment.fin)
    );
    assert_eq!(arrow(8).ack_meaning, AckMeaning::Same { since_frame: 7 });
    assert!(ladder.arrows.iter().all(|a| a.marks.is_empty()));

    // The states on each lifeline, where they change.
    let on = |side| {
        ladder
            .state_changes
            .iter()
            .filter(|c| c.side == side)
            .map(|c| (c.frame, c.from, c.to))
            .collect::<Vec<_>>()
    };
    use State::*;
    assert_eq!(
        (ladder.client.initial_state, ladder.server.initial_state),
        (Closed, Listen)
    );
    assert_eq!(
        on(C),
        vec![
            (1, Closed, SynSent),
            (2, SynSent, Established),
            (8, Established, FinWait1),
            (9, FinWait1, TimeWait)
        ]
    );
    assert_eq!(
        on(S),
        vec![
            (1, Listen, SynReceived),
            (3, SynReceived, Established),
            (8, Established, CloseWait),
            (9, CloseWait, LastAck),
            (10, LastAck, Closed)
        ]
    );
    assert_eq!(
        (ladder.client.final_state, ladder.server.final_state),
        (TimeWait, Closed)
    );

    // Folded axis: one row per frame, no pause long enough to fold.
    assert_eq!(ladder.rows.len(), 10);
    assert!(ladder
        .rows
        .iter()
        .enumerate()
        .all(|(i, r)| r.y == i as f64 && r.item == RowItem::Arrow { index: i }));
    let proportional = Ladder::build_with(
        &report,
        0,
        LadderOptions {
            time_axis: TimeAxis::Proportional,
            ..LadderOptions::default()
        },
    )
    .expect("stream 0");
    let ys: Vec<f64> = proportional.rows.iter().map(|r| r.y).collect();
    assert!(ys.windows(2).all(|w| w[0] <= w[1]));
    // Frames 5 and 6 are 2.6 ms apart, frames 4 and 5 8 µs: proportional shows it.
    assert!(ys[5] - ys[4] > 100.0 * (ys[4] - ys[3]));
}

#[test]
fn capture_point_from_reply_times() {
    // The server answers in 0.1 ms, the client in 40 ms: captured next to the server.
    let delays = [vec![0.040, 0.041, 0.039], vec![0.0001, 0.0002, 0.0001]];
    assert_eq!(
        capture_point([0, 0], &delays),
        (CapturePoint::At(Side::Server), CaptureBasis::ReplyTimes)
    );
    let delays = [vec![0.0001], vec![0.030]];
    assert_eq!(
        capture_point([0, 0], &delays),
        (CapturePoint::At(Side::Client), CaptureBasis::ReplyTimes)
    );
    let similar = [vec![0.010], vec![0.011]];
    assert_eq!(
        capture_point([0, 0], &similar),
        (CapturePoint::Unknown, CaptureBasis::Nothing)
    );
    assert_eq!(
        capture_point([3, 4], &similar),
        (CapturePoint::BothEnds, CaptureBasis::LinkPacketType)
    );
}

#[test]
fn ascii_ladder_of_the_tutorial() {
    let report = demo();
    let ladder = Ladder::build(&report, 0).expect("stream 0");
    assert_eq!(
        text::render(&ladder, Lang::En),
        include_str!("testdata/demo.txt")
    );
    assert_eq!(
        text::render(&ladder, Lang::Zh),
        include_str!("testdata/demo.zh.txt")
    );
}

#[test]
fn mermaid_of_the_tutorial() {
    let report = demo();
    let ladder = Ladder::build(&report, 0).expect("stream 0");
    assert_eq!(
        mermaid::render(&ladder, Lang::En),
        include_str!("testdata/demo.mmd")
    );
}

#[test]
fn mermaid_escapes_its_syntax() {
    assert_eq!(
        mermaid::escape("a;b#c%%d<e>f:g\"h&i\nj{k}"),
        "a#59;b#35;c#37;#37;d#lt;e#gt;f#58;g#quot;h#amp;i j#123;k#125;"
    );
}

#[test]
fn xml_escape_handles_markup_quotes_and_invalid_characters() {
    assert_eq!(
        svg::xml_escape("<script>alert(\"x\" & 'y')</script>"),
        "&lt;script&gt;alert(&quot;x&quot; &amp; &apos;y&apos;)&lt;/script&gt;"
    );
    assert_eq!(
        svg::xml_escape("a\u{0}b\u{1b}c\u{fffe}d\te\u{ffff}"),
        "a\u{fffd}b\u{fffd}c\u{fffd}d\te\u{fffd}"
    );
    assert_eq!(svg::xml_escape("中文 ok"), "中文 ok");
}

use crate::fuzzing::check_xml;

#[test]
fn the_xml_check_catches_broken_documents() {
    assert!(check_xml("<a><b/></a>").is_ok());
    assert!(check_xml("<a><b></a>").is_err());
    assert!(check_xml("<a>x < y</a>").is_err());
    assert!(check_xml("<a>&nbsp;</a>").is_err());
    assert!(check_xml("<a x=1/>").is_err());
    assert!(check_xml("<a>\u{1}</a>").is_err());
}

#[test]
fn svg_of_the_tutorial_is_well_formed_and_labelled() {
    let report = demo();
    let ladder = Ladder::build(&report, 0).expect("stream 0");
    for lang in [Lang::En, Lang::Zh] {
        let doc = svg::render(&ladder, lang);
        let names = check_xml(&doc).unwrap_or_else(|e| panic!("{e}\n{doc}"));
        assert_eq!(names.first().map(String::as_str), Some("svg"));
        assert!(names.iter().any(|n| n == "title") && names.iter().any(|n| n == "desc"));
        assert!(doc.contains("<style>") && doc.contains("prefers-color-scheme: dark"));
        assert!(
            !doc.contains("href=\"http") && !doc.contains("@import") && !doc.contains("url(http")
        );
        for arrow in &ladder.arrows {
            assert!(doc.contains(&format!("data-frame=\"{}\"", arrow.frame)));
            assert!(
                doc.contains(&svg::xml_escape(&arrow.label())),
                "{}",
                arrow.label()
            );
        }
        assert_eq!(doc.matches("tabindex=\"0\"").count(), 10);
        assert_eq!(doc.matches("role=\"listitem\"").count(), 10);
        for label in [
            "GET /hello?name=world",
            "200 text/plain",
            "TIME-WAIT",
            "LAST-ACK",
            "CLOSE-WAIT",
            "SYN-RECEIVED",
            "class=\"tw\"",
        ] {
            assert!(doc.contains(label), "{label}");
        }
        for phase in &ladder.phases {
            let title = words::phase_title(&ladder, phase, lang);
            assert!(doc.contains(&svg::xml_escape(&title)), "{title}");
        }
    }
    let zh = svg::render(&ladder, Lang::Zh);
    assert!(zh.contains("三次握手") && zh.contains("三次挥手（客户端发起）：FIN、FIN+ACK、ACK"));
}

/// A capture of one connection, raw IPv4 (LINKTYPE_RAW): handshake, `data` segments of 100
/// bytes from the client with an ACK from the server after each, one retransmission,
/// then a three-way close.
fn generated_capture(data: u32) -> Vec<u8> {
    let mut out = Vec::new();
    for v in [0xa1b2c3d4u32, 0x0004_0002, 0, 0, 65535, 101] {
        if v == 0x0004_0002 {
            out.extend_from_slice(&2u16.to_le_bytes());
            out.extend_from_slice(&4u16.to_le_bytes());
        } else {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    let mut time_us: u64 = 0;
    let mut push =
        |out: &mut Vec<u8>, from_client: bool, seq: u32, ack: u32, flags: u8, len: u32| {
            let (src, dst, sport, dport) = if from_client {
                ([10, 0, 0, 1], [10, 0, 0, 2], 40000u16, 80u16)
            } else {
                ([10, 0, 0, 2], [10, 0, 0, 1], 80, 40000)
            };
            let total = 20 + 20 + len as usize;
            let mut p = Vec::with_capacity(total);
            p.extend_from_slice(&[0x45, 0]);
            p.extend_from_slice(&(total as u16).to_be_bytes());
            p.extend_from_slice(&[0, 0, 0x40, 0, 64, 6, 0, 0]);
            p.extend_from_slice(&src);
            p.extend_from_slice(&dst);
            p.extend_from_slice(&sport.to_be_bytes());
            p.extend_from_slice(&dport.to_be_bytes());
            p.extend_from_slice(&seq.to_be_bytes());
            p.extend_from_slice(&ack.to_be_bytes());
            p.extend_from_slice(&[0x50, flags]);
            p.extend_from_slice(&65535u16.to_be_bytes());
            p.extend_from_slice(&[0, 0, 0, 0]);
            p.resize(total, b'x');
            time_us += 1000;
            out.extend_from_slice(&((time_us / 1_000_000) as u32).to_le_bytes());
            out.extend_from_slice(&((time_us % 1_000_000) as u32).to_le_bytes());
            out.extend_from_slice(&(total as u32).to_le_bytes());
            out.extend_from_slice(&(total as u32).to_le_bytes());
            out.extend_from_slice(&p);
        };
    const FIN: u8 = 1;
    const SYN: u8 = 2;
    const PSH: u8 = 8;
    const ACK: u8 = 0x10;
    let (c0, s0) = (1000u32, 5000u32);
    push(&mut out, true, c0, 0, SYN, 0);
    push(&mut out, false, s0, c0 + 1, SYN | ACK, 0);
    push(&mut out, true, c0 + 1, s0 + 1, ACK, 0);
    let mut seq = c0 + 1;
    let mut sent = 0;
    while sent < data {
        push(&mut out, true, seq, s0 + 1, PSH | ACK, 100);
        sent += 1;
        if sent == 500 {
            // The same bytes again: a retransmission.
            push(&mut out, true, seq, s0 + 1, PSH | ACK, 100);
            sent += 1;
        }
        seq += 100;
        if sent % 2 == 0 && sent < data {
            push(&mut out, false, s0 + 1, seq, ACK, 0);
            sent += 1;
        }
    }
    push(&mut out, true, seq, s0 + 1, FIN | ACK, 0);
    push(&mut out, false, s0 + 1, seq + 1, FIN | ACK, 0);
    push(&mut out, true, seq + 1, s0 + 2, ACK, 0);
    out
}

#[test]
fn a_long_data_phase_folds_into_a_band() {
    let report = analyze_bytes(&generated_capture(99_994));
    assert_eq!(report.frames.len(), 100_000);
    let ladder = Ladder::build(&report, 0).expect("stream 0");
    assert_eq!(ladder.segments, 100_000);
    let band = ladder.band.as_ref().expect("a band");
    assert_eq!(band.segments, 99_994 - 6);
    assert_eq!(band.retransmissions, 1);
    assert!(band.bytes_client_to_server > 4_900_000, "{band:?}");
    assert_eq!(band.bytes_server_to_client, 0);
    // 3 handshake + 3 + 3 around the band + 3 close.
    assert_eq!(ladder.arrows.len(), 12);
    assert_eq!(
        ladder
            .rows
            .iter()
            .filter(|r| r.item == RowItem::Band)
            .count(),
        1
    );
    assert_eq!(ladder.close.kind, CloseKind::ThreeWay);
    let text = text::render(&ladder, Lang::En);
    assert!(text.contains("99988 data segments folded"), "{text}");
    check_xml(&svg::render(&ladder, Lang::Zh)).expect("well-formed");

    // Asked to draw every segment, the page gets at most MAX_EXPANDED one by one: beyond, the
    // band stays and says why (the command line can ask for all of them).
    let asked = LadderOptions {
        expand_data: true,
        ..LadderOptions::default()
    };
    let refused = Ladder::build_with(&report, 0, asked).expect("stream 0");
    assert_eq!(refused.arrows.len(), 12);
    let band = refused.band.as_ref().expect("still folded");
    assert_eq!(band.expand_limit, Some(crate::ladder::model::MAX_EXPANDED));
    assert!(
        words::band_text(band, Lang::En).ends_with("(too many to draw one by one: at most 5000)")
    );
    assert!(words::band_text(band, Lang::Zh).ends_with("（太多，无法逐个画出：最多 5000 个）"));
    let all = LadderOptions {
        max_expanded: usize::MAX,
        ..asked
    };
    assert_eq!(
        Ladder::build_with(&report, 0, all)
            .expect("stream 0")
            .arrows
            .len(),
        100_000
    );

    // Expanded on request, with the retransmission explained.
    let small = analyze_bytes(&generated_capture(600));
    let folded = Ladder::build(&small, 0).expect("stream 0");
    assert!(folded.band.is_some());
    let expanded = Ladder::build_with(
        &small,
        0,
        LadderOptions {
            expand_data: true,
            ..LadderOptions::default()
        },
    )
    .expect("stream 0");
    assert!(expanded.band.is_none());
    assert_eq!(expanded.arrows.len(), 606);
    let retransmitted = expanded
        .arrows
        .iter()
        .find(|a| !a.marks.is_empty())
        .expect("a marked arrow");
    let sentences = words::explain_arrow(&expanded, retransmitted, Lang::En).join(" ");
    let original = retransmitted.frame - 1;
    assert!(
        sentences.contains(&format!(
            "Retransmission: Seq {} was already sent in frame {original} and the peer had not acknowledged it",
            retransmitted.seq
        )),
        "{sentences}"
    );
}

/// A download whose capture missed segments of the body (the generator's lossy-download
/// shape: every other response's head is longer than a segment): each exchange names its
/// response (status, Content-Type), the frame where the head ended and the body bytes not
/// captured, as `analyze --json` writes them; and the ladder's data phase says so.
#[test]
fn a_download_with_gaps_in_its_body_names_its_response() {
    let report = analyze_bytes(&crate::synth::generate(crate::synth::Options {
        frames: 4_000,
        seed: 5,
        shape: crate::synth::Shape::LossyDownload,
        ..Default::default()
    }));
    let exchanges: Vec<_> = report.http.exchanges().collect();
    assert!(exchanges.len() >= 4, "{} downloads", exchanges.len());
    let mut long_heads = 0;
    for x in &exchanges {
        // What the capture holds of the server's side: the payload in order, and where each
        // frame's ends.
        let (mut payload, mut ends) = (Vec::new(), Vec::new());
        for f in report.numbered() {
            let Some(facts) = report.tcp_facts(&f) else {
                continue;
            };
            let bytes = report.frame_bytes(&f).expect("kept");
            let decoded = report.decode(&f, bytes);
            let tcp = decoded.tcp.as_ref().expect("TCP");
            if facts.stream != x.stream || tcp.src_port != 80 || tcp.payload_len == 0 {
                continue;
            }
            let at = tcp.payload_offset as usize;
            payload.extend_from_slice(&bytes[at..at + tcp.payload_captured as usize]);
            ends.push((f.number, payload.len()));
        }
        let head_len = payload
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a head")
            + 4;
        let length: u64 = x.uri.trim_start_matches("/bytes?n=").parse().expect("n");
        let head_frame = ends
            .iter()
            .find(|(_, end)| *end >= head_len)
            .expect("head")
            .0;
        long_heads += usize::from(ends[0].1 < head_len);
        let missing = length + head_len as u64 - payload.len() as u64;
        assert!(missing > 0);
        assert_eq!(
            (x.status, x.reason, x.content_type, x.response_frame),
            (
                Some(200),
                Some("OK"),
                Some("application/octet-stream"),
                None
            )
        );
        assert_eq!(
            x.response_incomplete,
            Some(crate::http::IncompleteResponse {
                frame: head_frame,
                head_complete: true,
                body_length: Some(length),
                missing_bytes: Some(missing),
            })
        );
        let json = serde_json::to_value(x).expect("JSON");
        assert_eq!(json["response_incomplete"]["missing_bytes"], missing);
        assert_eq!(json["status"], 200);

        let ladder = Ladder::build(&report, x.stream).expect("ladder");
        let data = ladder
            .phases
            .iter()
            .find(|p| p.kind == PhaseKind::Data)
            .expect("data phase");
        assert_eq!(
            words::phase_name(&ladder, data, Lang::En),
            format!(
                "data: GET /bytes?n={length} → 200 application/octet-stream, body incomplete: \
                 {missing} of {length} bytes not captured"
            )
        );
        assert!(words::phase_name(&ladder, data, Lang::Zh)
            .contains(&format!("{length} 字节中有 {missing} 字节没有抓到")));
    }
    assert!(long_heads > 0 && long_heads < exchanges.len());
}
