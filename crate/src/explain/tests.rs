//! The words of connections and captures, in both languages.

use super::*;

#[test]
fn languages_parse() {
    assert_eq!(Lang::parse("zh-CN"), Some(Lang::Zh));
    assert_eq!(Lang::parse("EN"), Some(Lang::En));
    assert_eq!(Lang::parse("fr"), None);
}

/// The conversations table's words for the tutorial's connection, in both languages.
#[test]
fn handshake_and_close_in_words() {
    let report = crate::analysis::analyze_bytes(&crate::test_captures::demo());
    let c = &report.connection(0).expect("one connection");
    assert_eq!(super::handshake_text(c, Lang::En), "three-way");
    assert_eq!(super::handshake_text(c, Lang::Zh), "三次握手");
    assert_eq!(
        super::close_text(c, Lang::En),
        "three-way close by client: FIN, FIN+ACK, ACK"
    );
    assert_eq!(
        super::close_text(c, Lang::Zh),
        "客户端发起的三次挥手：FIN、FIN+ACK、ACK"
    );
}

/// Every kind of capture problem is worded in both languages: the 简体中文 is Chinese and says
/// the same numbers as the English.
#[test]
fn every_capture_problem_in_both_languages() {
    use crate::capture::{BadLength, CaptureProblem, Part, ProblemDetail as D, ProblemKind};
    let parts = [
        Part::MagicNumber,
        Part::PcapHeader,
        Part::RecordHeader(7),
        Part::Record(7),
        Part::NextRecord,
        Part::SectionHeader,
        Part::PacketBlock(7),
        Part::NextBlock,
    ];
    let mut details: Vec<D> = parts
        .into_iter()
        .map(|part| D::CutShort {
            gzip: true,
            total: 911,
            part,
            at: 903,
            needed: 16,
            have: 8,
            frames: 6,
        })
        .collect();
    details.extend([
        D::Empty { gzip: true },
        D::Empty { gzip: false },
        D::NotACapture {
            gzip: false,
            head: b"%PDF-1.7".to_vec(),
        },
        D::HeaderCut { have: 11 },
        D::GzipEndsEarly { total: 911 },
        D::GzipDamaged {
            error: "corrupt deflate stream".into(),
        },
        D::PcapHeaderUnreadable {
            error: "bad magic".into(),
        },
        D::RecordTooLong {
            captured: 900_000,
            max: 262_144,
        },
        D::RecordUnreadable {
            error: "bad length".into(),
        },
        D::BeyondSnaplen {
            captured: 99,
            snaplen: 64,
        },
        D::CapturedBeyondWire {
            captured: 99,
            on_wire: 64,
        },
        D::TimeBackwards {
            earlier_ns: 1_500_000_000,
            digits: 6,
        },
        D::MoreWarnings { shown: 100 },
        D::ByteOrderMagic {
            found: [1, 2, 3, 4],
        },
        D::BlockTrailer {
            block_type: 6,
            length: 64,
            trailer: 60,
        },
        D::NoSectionHeader,
        D::PcapngVersion { major: 2, minor: 0 },
        D::PacketBlockShort,
        D::PacketBlockBeyond { captured: 99 },
        D::UnknownInterface { interface: 3 },
        D::SimpleBlockShort,
        D::SimpleBlockFirst,
        D::InterfaceShort,
        D::InterfaceOption { code: 9 },
        D::FrameLimit {
            frames_limit: true,
            limit: 4,
        },
        D::FrameLimit {
            frames_limit: false,
            limit: 1 << 39,
        },
    ]);
    for why in [
        BadLength::TooShort,
        BadLength::NotMultipleOf4,
        BadLength::TooLong(1 << 24),
    ] {
        details.push(D::BlockLength {
            block_type: 6,
            length: 13,
            why,
        });
    }
    let numbers = |text: &str| -> Vec<String> {
        let mut found: Vec<String> = text
            .split(|c: char| !c.is_ascii_hexdigit())
            .filter(|w| w.len() > 1 && w.bytes().all(|b| b.is_ascii_digit()))
            .map(str::to_string)
            .collect();
        found.sort();
        found.dedup();
        found
    };
    for detail in details {
        let problem = CaptureProblem {
            kind: ProblemKind::Corrupt,
            offset: 4096,
            frame: Some(7),
            detail: detail.clone(),
        };
        let en = capture::problem_text(&problem, Lang::En);
        let zh = capture::problem_text(&problem, Lang::Zh);
        assert!(
            en.is_ascii() || en.contains('“') || en.contains('µ'),
            "{en}"
        );
        assert!(
            zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{detail:?}: {zh}"
        );
        assert_eq!(numbers(&en), numbers(&zh), "{detail:?}:\n{en}\n{zh}");
    }
}
