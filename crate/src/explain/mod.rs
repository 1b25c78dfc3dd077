//! The words of what the pipeline found, in English and 简体中文: a connection's handshake and
//! close, RFC 9293 states, durations, an HTTP response the capture cut ([`capture`]: the
//! capture's format and problems; [`connection`]: a connection as `analyze --json` lists it).
//! The ladder's own sentences (what each segment is, why its numbers are what they are) are
//! `crate::ladder::words`, which builds on these.
//!
//! Promise: every function here only reads facts; the texts are plain strings (not escaped:
//! each renderer escapes for its own format). RFC state names (ESTABLISHED, ...) and flag
//! names (SYN, ACK, ...) stay as the RFC spells them in both languages, as Chinese textbooks
//! write them.

use crate::http::IncompleteResponse;
use crate::tcp::{CloseKind, Connection, HandshakeKind, Side, State};

pub mod capture;
pub mod connection;
#[cfg(test)]
mod tests;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// "en", "zh", "zh-CN", "zh-Hans" ...
    pub fn parse(text: &str) -> Option<Lang> {
        let lower = text.to_ascii_lowercase();
        if lower == "en" || lower.starts_with("en-") {
            Some(Lang::En)
        } else if lower == "zh" || lower.starts_with("zh-") {
            Some(Lang::Zh)
        } else {
            None
        }
    }

    /// `en` or `zh`, whichever is this language's.
    pub fn pick<'a>(self, en: &'a str, zh: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }
}

pub fn side_name(side: Side, lang: Lang) -> &'static str {
    match (side, lang) {
        (Side::Client, Lang::En) => "client",
        (Side::Server, Lang::En) => "server",
        (Side::Client, Lang::Zh) => "客户端",
        (Side::Server, Lang::Zh) => "服务器",
    }
}

/// How a connection opened, in plain words: "three-way", "refused: SYN answered by RST", ...
pub fn handshake_text(c: &Connection, lang: Lang) -> String {
    handshake_words(c.handshake.kind, c.handshake.syn_retransmissions, lang)
}

/// [`handshake_text`] from all it depends on: a table of many connections words each
/// different handshake once.
pub fn handshake_words(kind: HandshakeKind, syn_retransmissions: u32, lang: Lang) -> String {
    let mut text = match kind {
        HandshakeKind::ThreeWay => lang.pick("three-way", "三次握手"),
        HandshakeKind::SimultaneousOpen => lang.pick("simultaneous open", "同时打开"),
        HandshakeKind::Refused => lang.pick(
            "refused: SYN answered by RST",
            "被拒绝：SYN 得到的回答是 RST",
        ),
        HandshakeKind::NoAnswer => lang.pick("no answer to SYN", "SYN 没有得到回答"),
        HandshakeKind::Incomplete => lang.pick(
            "incomplete: SYN, SYN+ACK, no ACK",
            "不完整：SYN、SYN+ACK，没有 ACK",
        ),
        HandshakeKind::NotCaptured => lang.pick(
            "not captured (started before the capture)",
            "没有抓到（连接在抓包开始前已建立）",
        ),
    }
    .to_string();
    match (syn_retransmissions, lang) {
        (0, _) => {}
        (1, Lang::En) => text.push_str(", SYN sent twice"),
        (n, Lang::En) => text.push_str(&format!(", SYN sent {} times", n + 1)),
        (n, Lang::Zh) => text.push_str(&format!("，SYN 发送了 {} 次", n + 1)),
    }
    text
}

/// How a connection closed, in plain words: "three-way close by client: FIN, FIN+ACK, ACK",
/// "reset by server in ESTABLISHED", ...
pub fn close_text(c: &Connection, lang: Lang) -> String {
    close_words(c.close.kind, c.close.initiator, c.close.reset_state, lang)
}

/// [`close_text`] from all it depends on: a table of many connections words each different
/// close once.
pub fn close_words(
    kind: CloseKind,
    initiator: Option<Side>,
    reset_state: Option<State>,
    lang: Lang,
) -> String {
    let by = match (initiator, lang) {
        (Some(side), _) => side_name(side, lang),
        (None, Lang::En) => "either side",
        (None, Lang::Zh) => "某一方",
    };
    let state = reset_state.filter(|s| *s != State::Unknown).map(state_name);
    match (kind, lang) {
        (CloseKind::ThreeWay, Lang::En) => format!("three-way close by {by}: FIN, FIN+ACK, ACK"),
        (CloseKind::ThreeWay, Lang::Zh) => format!("{by}发起的三次挥手：FIN、FIN+ACK、ACK"),
        (CloseKind::FourWay, Lang::En) => format!("four-way close by {by}: FIN, ACK, FIN, ACK"),
        (CloseKind::FourWay, Lang::Zh) => format!("{by}发起的四次挥手：FIN、ACK、FIN、ACK"),
        (CloseKind::Simultaneous, Lang::En) => "simultaneous close: both sent FIN at once".into(),
        (CloseKind::Simultaneous, Lang::Zh) => "同时关闭：双方同时发送 FIN".into(),
        (CloseKind::HalfClosed, Lang::En) => format!("half-closed by {by}: FIN, no FIN back"),
        (CloseKind::HalfClosed, Lang::Zh) => format!("{by}半关闭：发出 FIN，对方没有回 FIN"),
        (CloseKind::Reset, Lang::En) => match state {
            Some(state) => format!("reset by {by} in {state}"),
            None => format!("reset by {by}"),
        },
        (CloseKind::Reset, Lang::Zh) => match state {
            Some(state) => format!("{by}在 {state} 状态发送 RST 重置"),
            None => format!("{by}发送 RST 重置"),
        },
        (CloseKind::Open, Lang::En) => "still open: no FIN or RST seen".into(),
        (CloseKind::Open, Lang::Zh) => "仍未关闭：没有看到 FIN 或 RST".into(),
    }
}

/// The other end of a connection.
pub fn other(side: Side) -> Side {
    match side {
        Side::Client => Side::Server,
        Side::Server => Side::Client,
    }
}

/// The RFC 9293 name ("FIN-WAIT-1"), in both languages.
pub fn state_name(state: State) -> &'static str {
    match state {
        State::Unknown => "?",
        State::Closed => "CLOSED",
        State::Listen => "LISTEN",
        State::SynSent => "SYN-SENT",
        State::SynReceived => "SYN-RECEIVED",
        State::Established => "ESTABLISHED",
        State::FinWait1 => "FIN-WAIT-1",
        State::FinWait2 => "FIN-WAIT-2",
        State::CloseWait => "CLOSE-WAIT",
        State::Closing => "CLOSING",
        State::LastAck => "LAST-ACK",
        State::TimeWait => "TIME-WAIT",
    }
}

/// A duration as people read it: "2.611 ms", "1.500 s".
pub fn duration_text(seconds: f64, lang: Lang) -> String {
    if seconds < 1.0 {
        format!("{:.3} ms", seconds * 1000.0)
    } else {
        match lang {
            Lang::En => format!("{seconds:.3} s"),
            Lang::Zh => format!("{seconds:.3} 秒"),
        }
    }
}

/// What a response cut by the capture lacks: "body incomplete: 2896 of 5000000 bytes not
/// captured", "head incomplete: the rest of the response was not captured".
pub fn incomplete_text(cut: &IncompleteResponse, lang: Lang) -> String {
    match (cut.head_complete, cut.body_length, cut.missing_bytes, lang) {
        (false, _, _, Lang::En) => {
            "head incomplete: the rest of the response was not captured".into()
        }
        (false, _, _, Lang::Zh) => "响应头不完整：响应的其余部分没有抓到".into(),
        (true, Some(length), Some(missing), Lang::En) => {
            format!("body incomplete: {missing} of {length} bytes not captured")
        }
        (true, Some(length), Some(missing), Lang::Zh) => {
            format!("响应体不完整：{length} 字节中有 {missing} 字节没有抓到")
        }
        (true, _, _, Lang::En) => "body incomplete: not all of it was captured".into(),
        (true, _, _, Lang::Zh) => "响应体不完整：没有全部抓到".into(),
    }
}
