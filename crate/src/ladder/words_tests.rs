//! The tutorial's ladder in words, in both languages.

use super::model::{Ladder, PhaseKind};
use super::words::*;
use crate::analysis::analyze_bytes;
use crate::explain::Lang;

fn ladder() -> Ladder {
    let report = analyze_bytes(&crate::test_captures::demo());
    Ladder::build(&report, 0).expect("stream 0")
}

fn explained(ladder: &Ladder, frame: u32, lang: Lang) -> Vec<String> {
    explain_arrow(ladder, ladder.arrow(frame).expect("arrow"), lang)
}

#[test]
fn acks_say_which_bytes_they_cover() {
    let l = ladder();
    let en = explained(&l, 5, Lang::En);
    assert!(
        en.contains(
            &"Ack 98 = Seq 1 + Len 97 of frame 4: the server has every byte before 98.".to_string()
        ),
        "{en:?}"
    );
    let zh = explained(&l, 5, Lang::Zh);
    assert!(
        zh.contains(
            &"Ack 98 = 第 4 帧的 Seq 1 + Len 97：服务器已收到 98 之前的全部字节。".to_string()
        ),
        "{zh:?}"
    );
    // Frame 4's own Ack repeats frame 3's: nothing new from the server yet.
    let zh4 = explained(&l, 4, Lang::Zh);
    assert!(
        zh4.contains(&"Ack 1：与第 3 帧相同，服务器没有新的数据到达。".to_string()),
        "{zh4:?}"
    );
    assert!(zh4
        .iter()
        .any(|s| s.contains("GET /hello?name=world") && s.contains("97 字节")));
    let zh2 = explained(&l, 2, Lang::Zh);
    assert!(
        zh2.contains(&"Ack 1 = 第 1 帧 SYN 的 Seq 0 + 1：服务器已收到客户端的 SYN。".to_string()),
        "{zh2:?}"
    );
}

#[test]
fn syn_and_fin_consume_one_sequence_number() {
    let l = ladder();
    let syn = explained(&l, 1, Lang::En).join(" ");
    assert!(
        syn.contains("The SYN consumes one sequence number, so the first data byte will be Seq 1."),
        "{syn}"
    );
    let fin = explained(&l, 8, Lang::Zh).join(" ");
    assert!(fin.contains("Seq 98：FIN 和 SYN 一样占用一个序号"), "{fin}");
    assert!(fin.contains("对方会回复 Ack 99"), "{fin}");
}

#[test]
fn state_changes_per_rfc_9293() {
    let l = ladder();
    let en = explained(&l, 8, Lang::En);
    assert!(
        en.contains(&"client: ESTABLISHED → FIN-WAIT-1 (it sent FIN) (RFC 9293).".to_string()),
        "{en:?}"
    );
    assert!(
        en.contains(&"server: ESTABLISHED → CLOSE-WAIT (it received FIN) (RFC 9293).".to_string()),
        "{en:?}"
    );
    let zh = explained(&l, 9, Lang::Zh);
    assert!(zh.contains(&"客户端：FIN-WAIT-1 → TIME-WAIT（收到对方的 FIN，同时自己的 FIN 也已被确认）（RFC 9293）。".to_string()), "{zh:?}");
    assert!(zh.iter().any(|s| s.contains("2×MSL")));
    let zh10 = explained(&l, 10, Lang::Zh);
    assert!(
        zh10.contains(
            &"服务器：LAST-ACK → CLOSED（自己的 FIN 已被确认）（RFC 9293）。".to_string()
        ),
        "{zh10:?}"
    );
}

#[test]
fn the_close_in_chinese_is_three_segments() {
    let l = ladder();
    let close = l.phase(PhaseKind::Close).expect("close");
    assert_eq!(
        phase_title(&l, close, Lang::Zh),
        "三次挥手（客户端发起）：FIN、FIN+ACK、ACK（第 8–10 帧）"
    );
    assert_eq!(
        close_explanation(&l, Lang::Zh),
        "关闭过程常被称为「四次挥手」（FIN、ACK、FIN、ACK）。这里服务器把对客户端 FIN 的确认和自己的 FIN 合并在同一个报文段（第 9 帧）里发出，所以只用了三次：FIN、FIN+ACK、ACK。"
    );
    let handshake = l.phase(PhaseKind::Handshake).expect("handshake");
    assert_eq!(
        phase_title(&l, handshake, Lang::Zh),
        "三次握手（第 1–3 帧）"
    );
    let data = l.phase(PhaseKind::Data).expect("data");
    assert_eq!(
        phase_title(&l, data, Lang::En),
        "data: GET /hello?name=world → 200 text/plain after 2.611 ms (frames 4–7)"
    );
    let fin_ack = explained(&l, 9, Lang::Zh).join("");
    assert!(fin_ack.contains("它同时确认了客户端的 FIN"), "{fin_ack}");
}
