//! The ladder in plain words, in English and 简体中文: its title and capture point, each
//! phase's name, what each segment is, why its numbers are what they are, and which RFC 9293
//! state change it causes.
//!
//! Promise: every function here only reads a [`Ladder`]; the texts are plain strings (not
//! escaped: each renderer escapes for its own format). RFC state names (ESTABLISHED, ...)
//! and flag names (SYN, ACK, ...) stay as the RFC spells them in both languages, as Chinese
//! textbooks write them.

use super::model::{
    AckMeaning, Arrow, CaptureBasis, CapturePoint, DataBand, Ladder, Mark, Phase, PhaseKind,
    StateChange,
};
use crate::decode::tcp_flags::{FIN, PSH, RST, SYN};
use crate::explain::{duration_text, incomplete_text, other, side_name, state_name, Lang};
use crate::tcp::{CloseKind, Flag, HandshakeKind, Side, State};

fn frames_text(first: u32, last: u32, lang: Lang) -> String {
    match (lang, first == last) {
        (Lang::En, true) => format!("frame {first}"),
        (Lang::En, false) => format!("frames {first}–{last}"),
        (Lang::Zh, true) => format!("第 {first} 帧"),
        (Lang::Zh, false) => format!("第 {first}–{last} 帧"),
    }
}

/// "TCP stream 0: 192.168.0.50:58626 → 192.168.0.52:8080"
pub fn title(ladder: &Ladder, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "TCP stream {}: {} → {}",
            ladder.stream, ladder.client.endpoint, ladder.server.endpoint
        ),
        Lang::Zh => format!(
            "TCP 流 {}：{} → {}",
            ladder.stream, ladder.client.endpoint, ladder.server.endpoint
        ),
    }
}

/// The whole connection in a few sentences: the phases in order and where it was captured.
pub fn description(ladder: &Ladder, lang: Lang) -> String {
    let mut parts: Vec<String> = vec![format!(
        "{} {}, {} {}",
        lang.pick("client", "客户端"),
        ladder.client.endpoint,
        lang.pick("server", "服务器"),
        ladder.server.endpoint
    )];
    for phase in &ladder.phases {
        parts.push(format!(
            "{} ({})",
            phase_name(ladder, phase, lang),
            frames_text(phase.first_frame, phase.last_frame, lang)
        ));
    }
    parts.push(capture_text(ladder, lang));
    let sep = lang.pick(". ", "。");
    let mut text = parts.join(sep);
    text.push_str(lang.pick(".", "。"));
    text
}

/// Where the capture was taken, and that it is an inference.
pub fn capture_text(ladder: &Ladder, lang: Lang) -> String {
    let basis = match (ladder.capture_basis, lang) {
        (CaptureBasis::LinkPacketType, Lang::En) => {
            "inferred from the Linux cooked capture's packet types"
        }
        (CaptureBasis::LinkPacketType, Lang::Zh) => "根据 Linux cooked 抓包记录的数据包类型推断",
        (CaptureBasis::ReplyTimes, Lang::En) => {
            "inferred from reply times: the side next to the capture answers fastest"
        }
        (CaptureBasis::ReplyTimes, Lang::Zh) => "根据应答时间推断：靠近抓包点的一方应答最快",
        (CaptureBasis::Nothing, _) => "",
    };
    match (ladder.capture_point, lang) {
        (CapturePoint::At(side), Lang::En) => {
            format!("captured at the {} ({basis})", side_name(side, lang))
        }
        (CapturePoint::At(side), Lang::Zh) => {
            format!("抓包位置：{}（{basis}）", side_name(side, lang))
        }
        (CapturePoint::BothEnds, Lang::En) => {
            format!("both ends are on the capturing host ({basis})")
        }
        (CapturePoint::BothEnds, Lang::Zh) => format!("两端都在抓包主机上（{basis}）"),
        (CapturePoint::Unknown, Lang::En) => "capture point unknown".to_string(),
        (CapturePoint::Unknown, Lang::Zh) => "无法判断抓包位置".to_string(),
    }
}

/// A phase's name with what it shows: "three-way handshake", "GET /hello?name=world →
/// 200 text/plain after 2.611 ms", "three-way close by the client: FIN, FIN+ACK, ACK".
pub fn phase_name(ladder: &Ladder, phase: &Phase, lang: Lang) -> String {
    match phase.kind {
        PhaseKind::Handshake => handshake_name(ladder, lang),
        PhaseKind::Data => data_name(ladder, phase, lang),
        PhaseKind::Close => close_name(ladder, lang),
    }
}

/// The phase's name and its frames, as the bracket on the diagram says it.
pub fn phase_title(ladder: &Ladder, phase: &Phase, lang: Lang) -> String {
    let frames = frames_text(phase.first_frame, phase.last_frame, lang);
    match lang {
        Lang::En => format!("{} ({frames})", phase_name(ladder, phase, lang)),
        Lang::Zh => format!("{}（{frames}）", phase_name(ladder, phase, lang)),
    }
}

/// The phase kind alone: "handshake", "data", "close" / "握手", "数据传输", "挥手".
pub fn phase_kind_name(kind: PhaseKind, lang: Lang) -> &'static str {
    match kind {
        PhaseKind::Handshake => lang.pick("handshake", "握手"),
        PhaseKind::Data => lang.pick("data", "数据传输"),
        PhaseKind::Close => lang.pick("close", "挥手"),
    }
}

fn handshake_name(ladder: &Ladder, lang: Lang) -> String {
    let h = &ladder.handshake;
    let mut text = match h.kind {
        HandshakeKind::ThreeWay => lang.pick("three-way handshake", "三次握手"),
        HandshakeKind::SimultaneousOpen => lang.pick("simultaneous open", "同时打开"),
        HandshakeKind::Refused => lang.pick(
            "connection refused: SYN answered by RST",
            "连接被拒绝：SYN 收到 RST",
        ),
        HandshakeKind::NoAnswer => lang.pick("SYN without an answer", "SYN 没有应答"),
        HandshakeKind::Incomplete => lang.pick(
            "handshake without its last ACK",
            "握手不完整：缺少最后的 ACK",
        ),
        HandshakeKind::NotCaptured => lang.pick("handshake not captured", "握手未被抓到"),
    }
    .to_string();
    if h.syn_retransmissions > 0 {
        match lang {
            Lang::En => text.push_str(&format!(", SYN sent {} times", h.syn_retransmissions + 1)),
            Lang::Zh => text.push_str(&format!("，SYN 发送了 {} 次", h.syn_retransmissions + 1)),
        }
    }
    text
}

fn data_name(ladder: &Ladder, phase: &Phase, lang: Lang) -> String {
    let in_phase: Vec<_> = ladder
        .exchanges
        .iter()
        .filter(|x| (phase.first_frame..=phase.last_frame).contains(&x.request_frame))
        .collect();
    let Some(x) = in_phase.first() else {
        return match lang {
            Lang::En => format!("data: {} segments", phase.segments),
            Lang::Zh => format!("数据传输：{} 个报文段", phase.segments),
        };
    };
    let mut text = match (&x.response, x.time) {
        (Some(response), Some(time)) => match lang {
            Lang::En => format!(
                "{} → {response} after {}",
                x.request,
                duration_text(time, lang)
            ),
            Lang::Zh => format!(
                "{} → {response}，用时 {}",
                x.request,
                duration_text(time, lang)
            ),
        },
        (Some(response), None) => match x.response_incomplete {
            Some(cut) => format!(
                "{} → {response}{}{}",
                x.request,
                lang.pick(", ", "，"),
                incomplete_text(&cut, lang)
            ),
            None => format!("{} → {response}", x.request),
        },
        _ => match lang {
            Lang::En => format!("{} → no response captured", x.request),
            Lang::Zh => format!("{} → 未抓到响应", x.request),
        },
    };
    text.insert_str(0, lang.pick("data: ", "数据传输："));
    if in_phase.len() > 1 {
        match lang {
            Lang::En => text.push_str(&format!(" and {} more requests", in_phase.len() - 1)),
            Lang::Zh => text.push_str(&format!("，另有 {} 个请求", in_phase.len() - 1)),
        }
    }
    text
}

fn close_name(ladder: &Ladder, lang: Lang) -> String {
    let close = &ladder.close;
    let by = close.initiator.map(|s| side_name(s, lang)).unwrap_or("?");
    let steps = ladder
        .close_steps
        .iter()
        .map(|s| s.role)
        .collect::<Vec<_>>()
        .join(lang.pick(", ", "、"));
    match (close.kind, lang) {
        (CloseKind::ThreeWay, Lang::En) => format!("three-way close by the {by}: {steps}"),
        (CloseKind::ThreeWay, Lang::Zh) => format!("三次挥手（{by}发起）：{steps}"),
        (CloseKind::FourWay, Lang::En) => format!("four-way close by the {by}: {steps}"),
        (CloseKind::FourWay, Lang::Zh) => format!("四次挥手（{by}发起）：{steps}"),
        (CloseKind::Simultaneous, Lang::En) => {
            format!("simultaneous close: both sent FIN at once: {steps}")
        }
        (CloseKind::Simultaneous, Lang::Zh) => format!("同时关闭：双方同时发送 FIN：{steps}"),
        (CloseKind::HalfClosed, Lang::En) => {
            format!("half-closed by the {by}: FIN, no FIN back")
        }
        (CloseKind::HalfClosed, Lang::Zh) => format!("半关闭（{by}发起）：只有一方发送了 FIN"),
        (CloseKind::Reset, Lang::En) => format!("reset by the {by}"),
        (CloseKind::Reset, Lang::Zh) => format!("{by}发送 RST 重置连接"),
        (CloseKind::Open, Lang::En) => "still open".to_string(),
        (CloseKind::Open, Lang::Zh) => "连接仍未关闭".to_string(),
    }
}

/// Why the close has as many segments as it has: the lesson's "four-way wave" against what
/// this capture shows.
pub fn close_explanation(ladder: &Ladder, lang: Lang) -> String {
    let by = ladder.close.initiator.unwrap_or(Side::Client);
    let peer = side_name(other(by), lang);
    let by = side_name(by, lang);
    let merged = ladder
        .close_steps
        .iter()
        .find(|s| s.role == "FIN+ACK")
        .map(|s| s.frame);
    match (ladder.close.kind, lang) {
        (CloseKind::ThreeWay, Lang::En) => format!(
            "The close is often taught as a four-way wave (FIN, ACK, FIN, ACK). Here the {peer} \
             sent its own FIN together with the ACK of the {by}'s FIN{}, so the close took three \
             segments: FIN, FIN+ACK, ACK.",
            merged.map(|f| format!(" in frame {f}")).unwrap_or_default()
        ),
        (CloseKind::ThreeWay, Lang::Zh) => format!(
            "关闭过程常被称为「四次挥手」（FIN、ACK、FIN、ACK）。这里{peer}把对{by} FIN 的确认和自己的 \
             FIN 合并在同一个报文段{}里发出，所以只用了三次：FIN、FIN+ACK、ACK。",
            merged.map(|f| format!("（第 {f} 帧）")).unwrap_or_default()
        ),
        (CloseKind::FourWay, Lang::En) => format!(
            "Four-way close: the {by} sent FIN, the {peer} acknowledged it, later sent its own \
             FIN, and the {by} acknowledged that. Each direction is closed on its own."
        ),
        (CloseKind::FourWay, Lang::Zh) => format!(
            "四次挥手：{by}发送 FIN，{peer}先确认，稍后再发送自己的 FIN，{by}最后确认。\
             两个方向各自独立关闭。"
        ),
        (CloseKind::Simultaneous, Lang::En) => {
            "Both sides sent FIN before seeing the other's: each goes through CLOSING to \
             TIME-WAIT."
                .to_string()
        }
        (CloseKind::Simultaneous, Lang::Zh) => {
            "双方在收到对方 FIN 之前都发出了自己的 FIN：两端都经过 CLOSING 进入 TIME-WAIT。"
                .to_string()
        }
        (CloseKind::HalfClosed, Lang::En) => format!(
            "Only the {by} closed its direction; the {peer} could still send (a half-close)."
        ),
        (CloseKind::HalfClosed, Lang::Zh) => {
            format!("只有{by}关闭了自己的发送方向；{peer}仍然可以继续发送（半关闭）。")
        }
        (CloseKind::Reset, Lang::En) => format!(
            "The {by} aborted the connection with RST: no FIN exchange, no TIME-WAIT, and data \
             still in flight is discarded."
        ),
        (CloseKind::Reset, Lang::Zh) => format!(
            "{by}用 RST 中止了连接：没有 FIN 交换，也没有 TIME-WAIT，尚在传输的数据被丢弃。"
        ),
        (CloseKind::Open, Lang::En) => "The capture ends before the connection closes.".into(),
        (CloseKind::Open, Lang::Zh) => "抓包在连接关闭之前就结束了。".into(),
    }
}

/// "retransmission of frame 12", "dup ACK 28#1": the short mark written beside an arrow.
pub fn mark_label(mark: &Mark, lang: Lang) -> String {
    let of = |f: Option<u32>| match (f, lang) {
        (Some(f), Lang::En) => format!(" of frame {f}"),
        (Some(f), Lang::Zh) => format!("（第 {f} 帧）"),
        (None, _) => String::new(),
    };
    match mark.flag {
        Flag::Retransmission => format!(
            "{}{}",
            lang.pick("retransmission", "重传"),
            of(mark.original_frame)
        ),
        Flag::FastRetransmission => format!(
            "{}{}",
            lang.pick("fast retransmission", "快速重传"),
            of(mark.original_frame)
        ),
        Flag::SpuriousRetransmission => format!(
            "{}{}",
            lang.pick("spurious retransmission", "虚假重传"),
            of(mark.original_frame)
        ),
        Flag::DuplicateAck => match mark.dup_ack {
            Some((n, frame)) => format!("{} {frame}#{n}", lang.pick("dup ACK", "重复 ACK")),
            None => lang.pick("dup ACK", "重复 ACK").to_string(),
        },
        Flag::OutOfOrder => lang.pick("out of order", "乱序").into(),
        Flag::LostSegment => lang
            .pick("previous segment not captured", "前一报文段未抓到")
            .into(),
        Flag::AckLostSegment => lang
            .pick("ACKed unseen segment", "确认了未抓到的报文段")
            .into(),
        Flag::ZeroWindow => lang.pick("zero window", "零窗口").into(),
        Flag::WindowFull => lang.pick("window full", "窗口已满").into(),
        Flag::WindowUpdate => lang.pick("window update", "窗口更新").into(),
        Flag::KeepAlive => lang.pick("keep-alive", "保活").into(),
        Flag::KeepAliveAck => lang.pick("keep-alive ACK", "保活确认").into(),
        Flag::ZeroWindowProbe => lang.pick("zero-window probe", "零窗口探测").into(),
        Flag::ZeroWindowProbeAck => lang.pick("zero-window probe ACK", "零窗口探测确认").into(),
        Flag::ReusedPorts => lang.pick("ports reused", "端口复用").into(),
    }
}

fn mark_sentence(arrow: &Arrow, mark: &Mark, lang: Lang) -> String {
    let seq = arrow.seq;
    let original = |lang: Lang| match (mark.original_frame, lang) {
        (Some(f), Lang::En) => format!("Seq {seq} was already sent in frame {f}"),
        (Some(f), Lang::Zh) => format!("Seq {seq} 已在第 {f} 帧发送过"),
        (None, Lang::En) => format!("Seq {seq} was already sent"),
        (None, Lang::Zh) => format!("Seq {seq} 之前已经发送过"),
    };
    let unacked = match (mark.peer_acked, lang) {
        (Some(a), Lang::En) => {
            format!(" and the peer had not acknowledged it (its Ack was still {a})")
        }
        (Some(a), Lang::Zh) => format!("，而对方尚未确认它（对方的 Ack 仍为 {a}）"),
        (None, Lang::En) => " and the peer had not acknowledged it".into(),
        (None, Lang::Zh) => "，而对方尚未确认它".into(),
    };
    match (mark.flag, lang) {
        (Flag::Retransmission, Lang::En) => format!("Retransmission: {}{unacked}.", original(lang)),
        (Flag::Retransmission, Lang::Zh) => format!("重传：{}{unacked}。", original(lang)),
        (Flag::FastRetransmission, Lang::En) => format!(
            "Fast retransmission: {}{unacked}; duplicate ACKs made the sender resend it without \
             waiting for its timer.",
            original(lang)
        ),
        (Flag::FastRetransmission, Lang::Zh) => format!(
            "快速重传：{}{unacked}；发送方收到重复 ACK 后立即重发，没有等待超时。",
            original(lang)
        ),
        (Flag::SpuriousRetransmission, Lang::En) => format!(
            "Spurious retransmission: {}, but the peer had already acknowledged these bytes.",
            original(lang)
        ),
        (Flag::SpuriousRetransmission, Lang::Zh) => {
            format!(
                "虚假重传：{}，但对方其实已经确认过这些字节。",
                original(lang)
            )
        }
        (Flag::OutOfOrder, Lang::En) => {
            "Out of order: a lower sequence number than already seen, sent too soon after the \
             other to be a retransmission."
                .into()
        }
        (Flag::OutOfOrder, Lang::Zh) => "乱序：序号比之前见过的低，但间隔太短，不是重传。".into(),
        (Flag::LostSegment, Lang::En) => format!(
            "Previous segment not captured: Seq {seq} skips bytes this capture never saw (lost \
             on the way, or missed by the capture)."
        ),
        (Flag::LostSegment, Lang::Zh) => {
            format!("前一报文段未抓到：Seq {seq} 跳过了抓包中没有出现的字节（途中丢失，或抓包漏掉了）。")
        }
        (Flag::AckLostSegment, Lang::En) => {
            "It acknowledges bytes of a segment the capture did not see.".into()
        }
        (Flag::AckLostSegment, Lang::Zh) => "它确认了抓包中没有出现的报文段的字节。".into(),
        (Flag::DuplicateAck, Lang::En) => {
            let (n, f) = mark.dup_ack.unwrap_or((0, 0));
            format!(
                "Duplicate ACK {n} of frame {f}: the same Ack {} again, a sign that later \
                 segments arrive while an earlier one is missing.",
                arrow.ack
            )
        }
        (Flag::DuplicateAck, Lang::Zh) => {
            let (n, f) = mark.dup_ack.unwrap_or((0, 0));
            format!(
                "重复 ACK（第 {f} 帧的第 {n} 次重复）：再次发送相同的 Ack {}，说明后面的报文段到了，\
                 但前面有一段缺失。",
                arrow.ack
            )
        }
        (Flag::ZeroWindow, Lang::En) => {
            "Zero window: the receiver's buffer is full; the sender must stop and wait.".into()
        }
        (Flag::ZeroWindow, Lang::Zh) => "零窗口：接收方缓冲区已满，发送方必须停下来等待。".into(),
        (Flag::WindowFull, Lang::En) => {
            "Window full: this segment fills the peer's whole receive window.".into()
        }
        (Flag::WindowFull, Lang::Zh) => "窗口已满：这个报文段用满了对方的整个接收窗口。".into(),
        (Flag::WindowUpdate, Lang::En) => format!(
            "Window update: nothing new but the receive window, now {} bytes.",
            arrow.window
        ),
        (Flag::WindowUpdate, Lang::Zh) => {
            format!(
                "窗口更新：只通告新的接收窗口，现在是 {} 字节。",
                arrow.window
            )
        }
        (Flag::KeepAlive, Lang::En) => {
            "Keep-alive: a probe one byte before the next sequence number, to check that the \
             peer is still there."
                .into()
        }
        (Flag::KeepAlive, Lang::Zh) => "保活：用比下一个序号小 1 的序号探测对方是否还在。".into(),
        (Flag::KeepAliveAck, Lang::En) => "The answer to a keep-alive.".into(),
        (Flag::KeepAliveAck, Lang::Zh) => "对保活探测的应答。".into(),
        (Flag::ZeroWindowProbe, Lang::En) => {
            "Zero-window probe: asks whether the peer's window has opened again.".into()
        }
        (Flag::ZeroWindowProbe, Lang::Zh) => "零窗口探测：询问对方的窗口是否重新打开。".into(),
        (Flag::ZeroWindowProbeAck, Lang::En) => "The answer to a zero-window probe.".into(),
        (Flag::ZeroWindowProbeAck, Lang::Zh) => "对零窗口探测的应答。".into(),
        (Flag::ReusedPorts, Lang::En) => {
            "Ports reused: a new connection on the same addresses and ports.".into()
        }
        (Flag::ReusedPorts, Lang::Zh) => "端口复用：相同地址和端口上的一个新连接。".into(),
    }
}

/// Why a state changed, per RFC 9293's state diagram.
fn state_reason(change: &StateChange, lang: Lang) -> &'static str {
    use State::*;
    match (change.from, change.to) {
        (Closed | Unknown, SynSent) => lang.pick("it sent SYN", "发送了 SYN"),
        (Listen | Unknown, SynReceived) => lang.pick("it received SYN", "收到了 SYN"),
        (SynSent, SynReceived) => lang.pick(
            "it received SYN (simultaneous open)",
            "收到了 SYN（同时打开）",
        ),
        (SynSent, Established) => lang.pick(
            "it received SYN+ACK and answers with ACK",
            "收到 SYN+ACK，并以 ACK 回应",
        ),
        (SynReceived, Established) => lang.pick("its SYN was acknowledged", "自己的 SYN 已被确认"),
        (Established, FinWait1) => lang.pick("it sent FIN", "发送了 FIN"),
        (Established, CloseWait) => lang.pick("it received FIN", "收到了 FIN"),
        (FinWait1, FinWait2) => lang.pick("its FIN was acknowledged", "自己的 FIN 已被确认"),
        (FinWait1, TimeWait) => lang.pick(
            "it received the peer's FIN together with the ACK of its own FIN",
            "收到对方的 FIN，同时自己的 FIN 也已被确认",
        ),
        (FinWait1, Closing) => lang.pick(
            "it received FIN before its own FIN was acknowledged",
            "自己的 FIN 还未被确认时就收到了对方的 FIN",
        ),
        (FinWait2, TimeWait) => lang.pick("it received FIN", "收到了 FIN"),
        (CloseWait, LastAck) => lang.pick("it sent FIN", "发送了 FIN"),
        (Closing, TimeWait) => lang.pick("its FIN was acknowledged", "自己的 FIN 已被确认"),
        (LastAck, Closed) => lang.pick("its FIN was acknowledged", "自己的 FIN 已被确认"),
        (_, Closed) => lang.pick("the connection was reset", "连接被重置"),
        _ => "",
    }
}

/// "client: ESTABLISHED → FIN-WAIT-1 (it sent FIN)"
pub fn state_change_text(ladder: &Ladder, change: &StateChange, lang: Lang) -> String {
    let _ = ladder;
    let reason = state_reason(change, lang);
    let side = side_name(change.side, lang);
    let (from, to) = (state_name(change.from), state_name(change.to));
    match (lang, reason.is_empty()) {
        (Lang::En, false) => format!("{side}: {from} → {to} ({reason})"),
        (Lang::Zh, false) => format!("{side}：{from} → {to}（{reason}）"),
        (Lang::En, true) => format!("{side}: {from} → {to}"),
        (Lang::Zh, true) => format!("{side}：{from} → {to}"),
    }
}

/// What TIME-WAIT is for, said where it starts.
pub fn time_wait_text(side: Side, lang: Lang) -> String {
    let side = side_name(side, lang);
    match lang {
        Lang::En => format!(
            "The {side} stays in TIME-WAIT for 2×MSL before CLOSED, so that a lost last ACK can \
             be sent again and late segments of this connection die out."
        ),
        Lang::Zh => format!(
            "{side}在 TIME-WAIT 停留 2×MSL 后才进入 CLOSED：这样最后的 ACK 丢失时还能重发，本连接迟到的报文段也会消失。"
        ),
    }
}

/// "Frame 4, 0.000500 s, client → server: PSH+ACK Seq=1 Ack=1 Len=97, GET /hello?name=world":
/// the text alternative of an arrow.
pub fn arrow_summary(arrow: &Arrow, lang: Lang) -> String {
    let from = side_name(arrow.from, lang);
    let to = side_name(other(arrow.from), lang);
    let mut text = match lang {
        Lang::En => format!(
            "Frame {}, {} s, {from} → {to}: {}",
            arrow.frame,
            arrow.time_text,
            arrow.label()
        ),
        Lang::Zh => format!(
            "第 {} 帧，{} 秒，{from} → {to}：{}",
            arrow.frame,
            arrow.time_text,
            arrow.label()
        ),
    };
    let sep = lang.pick(", ", "，");
    if let Some(http) = &arrow.http {
        text.push_str(sep);
        text.push_str(http);
    }
    for mark in &arrow.marks {
        text.push_str(sep);
        text.push_str(&mark_label(mark, lang));
    }
    text
}

/// Every sentence that explains one arrow: what it is, its Seq, its Ack, its analysis marks
/// and the state changes it causes.
pub fn explain_arrow(ladder: &Ladder, arrow: &Arrow, lang: Lang) -> Vec<String> {
    let mut out = vec![what_it_is(ladder, arrow, lang), seq_sentence(arrow, lang)];
    if let Some(ack) = ack_sentence(arrow, lang) {
        out.push(ack);
    }
    for mark in &arrow.marks {
        out.push(mark_sentence(arrow, mark, lang));
    }
    for change in ladder.changes_at(arrow.frame) {
        out.push(match lang {
            Lang::En => format!("{} (RFC 9293).", state_change_text(ladder, change, lang)),
            Lang::Zh => format!("{}（RFC 9293）。", state_change_text(ladder, change, lang)),
        });
        if change.to == State::TimeWait {
            out.push(time_wait_text(change.side, lang));
        }
    }
    out
}

fn what_it_is(ladder: &Ladder, arrow: &Arrow, lang: Lang) -> String {
    let side = side_name(arrow.from, lang);
    let peer = side_name(other(arrow.from), lang);
    let flags = &arrow.flags_text;
    let acks_fin = matches!(arrow.ack_meaning, AckMeaning::New { segment } if segment.fin);
    if arrow.is(RST) {
        return match lang {
            Lang::En => format!("{flags}: the {side} aborts the connection at once."),
            Lang::Zh => format!("{flags}：{side}立即中止（重置）连接。"),
        };
    }
    if arrow.is(SYN) && !arrow.has_ack {
        return match lang {
            Lang::En => format!(
                "{flags}: the {side} asks to open a connection and announces its initial \
                 sequence number."
            ),
            Lang::Zh => format!("{flags}：{side}请求建立连接，并告知自己的初始序号（ISN）。"),
        };
    }
    if arrow.is(SYN) {
        return match lang {
            Lang::En => format!(
                "{flags}: the {side} accepts, announces its own initial sequence number and \
                 acknowledges the {peer}'s SYN."
            ),
            Lang::Zh => {
                format!("{flags}：{side}同意建立连接，告知自己的初始序号，并确认{peer}的 SYN。")
            }
        };
    }
    if arrow.is(FIN) {
        let mut text = match lang {
            Lang::En => {
                format!("{flags}: the {side} has no more data to send and closes its direction.")
            }
            Lang::Zh => format!("{flags}：{side}已没有数据要发送，关闭自己这一方向。"),
        };
        if acks_fin {
            text.push_str(&match lang {
                Lang::En => format!(
                    " It also acknowledges the {peer}'s FIN: two steps of the close in one segment."
                ),
                Lang::Zh => format!("它同时确认了{peer}的 FIN：一个报文段完成了挥手中的两步。"),
            });
        } else if arrow.has_ack {
            text.push_str(lang.pick(
                " The ACK flag is on in every segment after the handshake; what is new here is FIN.",
                "握手之后的每个报文段都带 ACK 标志；这里新出现的是 FIN。",
            ));
        }
        return text;
    }
    if arrow.len > 0 {
        let http = arrow
            .http
            .as_ref()
            .map(|h| match lang {
                Lang::En => format!(": {h}"),
                Lang::Zh => format!("：{h}"),
            })
            .unwrap_or_default();
        let mut text = match lang {
            Lang::En => format!("{flags}: the {side} sends {} bytes{http}.", arrow.len),
            Lang::Zh => format!("{flags}：{side}发送 {} 字节数据{http}。", arrow.len),
        };
        if arrow.is(PSH) {
            text.push_str(lang.pick(
                " PSH asks the receiver to hand the data to the application now.",
                "PSH 表示请接收方立即把数据交给应用程序。",
            ));
        }
        return text;
    }
    let completes_handshake = arrow.phase == PhaseKind::Handshake
        && matches!(arrow.ack_meaning, AckMeaning::New { segment } if segment.syn)
        && ladder.handshake.kind == HandshakeKind::ThreeWay;
    if completes_handshake {
        return match lang {
            Lang::En => format!(
                "{flags}: the {side} acknowledges the {peer}'s SYN; the three-way handshake is \
                 complete."
            ),
            Lang::Zh => format!("{flags}：{side}确认{peer}的 SYN，三次握手完成。"),
        };
    }
    match lang {
        Lang::En => format!("{flags}: the {side} acknowledges what it received, without data."),
        Lang::Zh => format!("{flags}：{side}确认收到的数据，本身不携带数据。"),
    }
}

fn seq_sentence(arrow: &Arrow, lang: Lang) -> String {
    let seq = arrow.seq;
    let len = arrow.len;
    if arrow.is(SYN) {
        return match lang {
            Lang::En => format!(
                "Seq {seq}: sequence numbers are shown relative to the initial sequence number, \
                 which counts as 0. The SYN consumes one sequence number, so the first data byte \
                 will be Seq {}.",
                seq.wrapping_add(1)
            ),
            Lang::Zh => format!(
                "Seq {seq}：序号以初始序号为 0 的相对值显示。SYN 本身占用一个序号，所以第一个数据字节的序号是 {}。",
                seq.wrapping_add(1)
            ),
        };
    }
    let data = if len > 0 {
        let last = seq.wrapping_add(len - 1);
        match lang {
            Lang::En => {
                format!("Seq {seq}, Len {len}: this segment carries bytes {seq} to {last}. ")
            }
            Lang::Zh => format!("Seq {seq}、Len {len}：本报文段携带第 {seq} 到第 {last} 字节。"),
        }
    } else {
        String::new()
    };
    if arrow.is(FIN) {
        let fin_seq = seq.wrapping_add(len);
        return match lang {
            Lang::En => format!(
                "{data}Seq {fin_seq}: the FIN consumes one sequence number, like the SYN, so that \
                 it can be acknowledged: the peer answers Ack {}.",
                fin_seq.wrapping_add(1)
            ),
            Lang::Zh => format!(
                "{data}Seq {fin_seq}：FIN 和 SYN 一样占用一个序号，这样它才能被确认：对方会回复 Ack {}。",
                fin_seq.wrapping_add(1)
            ),
        };
    }
    if len > 0 {
        return match lang {
            Lang::En => format!("{data}The next segment starts at Seq {}.", arrow.next_seq),
            Lang::Zh => format!("{data}下一个报文段从 Seq {} 开始。", arrow.next_seq),
        };
    }
    match lang {
        Lang::En => format!(
            "Seq {seq}, Len 0: the next byte this side would send; an empty segment consumes no \
             sequence number."
        ),
        Lang::Zh => format!(
            "Seq {seq}、Len 0：这是本方下一个要发送的字节序号；不带数据的报文段不占用序号。"
        ),
    }
}

fn ack_sentence(arrow: &Arrow, lang: Lang) -> Option<String> {
    let ack = arrow.ack;
    let side = side_name(arrow.from, lang);
    let peer = side_name(other(arrow.from), lang);
    Some(match arrow.ack_meaning {
        AckMeaning::None => {
            if !arrow.is(SYN) {
                return None;
            }
            match lang {
                Lang::En => format!(
                    "No Ack: the {side} has nothing to acknowledge yet (the ACK flag is off)."
                ),
                Lang::Zh => format!("没有 Ack：{side}还没有可以确认的内容（ACK 标志未置位）。"),
            }
        }
        AckMeaning::New { segment } => {
            let frame = segment.frame;
            let seq = segment.seq;
            let len = segment.len;
            let what = match (segment.syn, segment.fin, len, lang) {
                (true, _, _, Lang::En) => format!("Seq {seq} + 1 for the SYN of frame {frame}"),
                (true, _, _, Lang::Zh) => format!("第 {frame} 帧 SYN 的 Seq {seq} + 1"),
                (_, true, 0, Lang::En) => format!("Seq {seq} + 1 for the FIN of frame {frame}"),
                (_, true, 0, Lang::Zh) => format!("第 {frame} 帧 FIN 的 Seq {seq} + 1"),
                (_, true, _, Lang::En) => {
                    format!("Seq {seq} + Len {len} + 1 for the FIN of frame {frame}")
                }
                (_, true, _, Lang::Zh) => {
                    format!("第 {frame} 帧的 Seq {seq} + Len {len} + FIN 的 1")
                }
                (_, _, _, Lang::En) => format!("Seq {seq} + Len {len} of frame {frame}"),
                (_, _, _, Lang::Zh) => format!("第 {frame} 帧的 Seq {seq} + Len {len}"),
            };
            let has = match (segment.syn, segment.fin, lang) {
                (true, _, Lang::En) => format!("the {side} has the {peer}'s SYN"),
                (true, _, Lang::Zh) => format!("{side}已收到{peer}的 SYN"),
                (_, true, Lang::En) => format!("the {side} has the {peer}'s FIN"),
                (_, true, Lang::Zh) => format!("{side}已收到{peer}的 FIN"),
                (_, _, Lang::En) => format!("the {side} has every byte before {ack}"),
                (_, _, Lang::Zh) => format!("{side}已收到 {ack} 之前的全部字节"),
            };
            match lang {
                Lang::En => format!("Ack {ack} = {what}: {has}."),
                Lang::Zh => format!("Ack {ack} = {what}：{has}。"),
            }
        }
        AckMeaning::NewUncaptured => match lang {
            Lang::En => format!(
                "Ack {ack}: the {side} has every byte before {ack} (the segment it acknowledges \
                 is not in the capture)."
            ),
            Lang::Zh => format!(
                "Ack {ack}：{side}已收到 {ack} 之前的全部字节（被确认的报文段不在抓包中）。"
            ),
        },
        AckMeaning::Same { since_frame } => match lang {
            Lang::En => format!(
                "Ack {ack}: the same as in frame {since_frame}; nothing new has arrived from the \
                 {peer}."
            ),
            Lang::Zh => format!("Ack {ack}：与第 {since_frame} 帧相同，{peer}没有新的数据到达。"),
        },
    })
}

/// A folded data band in words.
pub fn band_text(band: &DataBand, lang: Lang) -> String {
    let mut text = match lang {
        Lang::En => format!(
            "{} data segments folded (frames {}–{}): {} bytes client → server, {} bytes server → \
             client, {} retransmissions, {}",
            band.segments,
            band.first_frame,
            band.last_frame,
            band.bytes_client_to_server,
            band.bytes_server_to_client,
            band.retransmissions,
            duration_text(band.duration, lang)
        ),
        Lang::Zh => format!(
            "已折叠 {} 个数据报文段（第 {}–{} 帧）：客户端 → 服务器 {} 字节，服务器 → 客户端 {} 字节，重传 {} 次，历时 {}",
            band.segments,
            band.first_frame,
            band.last_frame,
            band.bytes_client_to_server,
            band.bytes_server_to_client,
            band.retransmissions,
            duration_text(band.duration, lang)
        ),
    };
    if let Some(limit) = band.expand_limit {
        text.push_str(&match lang {
            Lang::En => format!(" (too many to draw one by one: at most {limit})"),
            Lang::Zh => format!("（太多，无法逐个画出：最多 {limit} 个）"),
        });
    }
    text
}

/// A folded pause: "… 2.500 s later".
pub fn gap_text(seconds: f64, lang: Lang) -> String {
    match lang {
        Lang::En => format!("… {} later", duration_text(seconds, lang)),
        Lang::Zh => format!("…… {} 之后", duration_text(seconds, lang)),
    }
}

/// Labels of the diagram itself.
pub fn label(key: Label, lang: Lang) -> &'static str {
    match key {
        Label::Frame => lang.pick("frame", "帧"),
        Label::Time => lang.pick("time (s)", "时间（秒）"),
        Label::RolesGuessed => lang.pick(
            "roles guessed from the ports: no SYN seen",
            "未见 SYN：角色根据端口猜测",
        ),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Label {
    Frame,
    Time,
    RolesGuessed,
}
