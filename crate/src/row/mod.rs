//! The frame list's rows, as Wireshark's default columns show them: number, time, source,
//! destination, protocol, length, Info, and the row's colour.
//!
//! Promise: a row is made from the analysis's facts about a frame ([`FrameFacts`]) and its
//! decoded headers, the same whether the capture is still being read ([`so_far`]) or finished
//! ([`build`]); nothing here computes a TCP or HTTP fact.
//!
//! - [`info`]: the Info column, in Wireshark's words;
//! - [`colors`]: Wireshark's default colouring rules.

pub mod colors;
mod info;

pub use info::{info_text, info_text_shown, tcp_flags_text, PayloadShown};

use crate::analysis::{Analysis, Frame, FrameFacts, Report, TimeOrigin};
use crate::capture::format_seconds;
use crate::decode::{self, Decoded};
use crate::http::FrameHttp;
use serde::Serialize;

/// One row of the frame list, as Wireshark's default columns show it.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct FrameRow {
    pub number: u32,
    /// Seconds since the first frame, at the capture's precision.
    pub time: String,
    pub source: String,
    pub destination: String,
    pub protocol: String,
    pub length: u32,
    pub info: String,
    /// The row's colour: the id of the first matching Wireshark default colouring rule
    /// ([`colors::ColorRule::id`]), "" when none matches.
    pub color: &'static str,
}

/// What the Time column shows (Wireshark's View › Time Display Format).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TimeFormat {
    /// Seconds since the first frame.
    #[default]
    Relative,
    /// Seconds since the previous frame listed (with a filter: the previous one shown).
    SincePreviousDisplayed,
    /// Seconds since the frame before it in the capture.
    SincePreviousCaptured,
    /// Date and time of day, at this offset from UTC (minutes).
    DateTime { offset_minutes: i32 },
    /// Date and time of day in UTC.
    Utc,
    /// Seconds since 1970-01-01 00:00:00 UTC.
    Epoch,
}

impl TimeFormat {
    /// From the page's names: "relative", "delta", "delta_captured", "absolute" (with the
    /// viewer's offset from UTC), "utc", "epoch".
    pub fn parse(name: &str, offset_minutes: i32) -> Option<TimeFormat> {
        Some(match name {
            "relative" => TimeFormat::Relative,
            "delta" => TimeFormat::SincePreviousDisplayed,
            "delta_captured" => TimeFormat::SincePreviousCaptured,
            "absolute" => TimeFormat::DateTime { offset_minutes },
            "utc" => TimeFormat::Utc,
            "epoch" => TimeFormat::Epoch,
            _ => return None,
        })
    }
}

/// A frame's row from the analysis's facts about it and its decoded headers; times relative
/// to `origin` (the first frame that has a time, as Wireshark's Time column).
pub fn from_facts(facts: &FrameFacts, origin: TimeOrigin, decoded: &Decoded) -> FrameRow {
    let shown = shown_payload(decoded, facts.http);
    FrameRow {
        number: facts.frame.number,
        time: format_seconds(facts.ts.nanos_since(origin.first_ts), origin.digits),
        source: decoded.src.clone(),
        destination: decoded.dst.clone(),
        protocol: protocol_shown(decoded, &shown).to_string(),
        length: facts.orig_len,
        info: info_text_shown(decoded, facts.tcp.as_ref(), &shown),
        color: colors::color_id(
            decoded,
            facts.tcp.as_ref(),
            matches!(shown, PayloadShown::Http(_)),
        ),
    }
}

/// How a TCP frame's payload is shown: HTTP where a message completes (as Wireshark places a
/// reassembled message), "segment of a reassembled PDU" for its other segments, plain TCP
/// for an HTTP-looking segment that is no message of its own (a retransmission).
pub fn shown_payload<'a>(decoded: &Decoded, http: Option<FrameHttp<'a>>) -> PayloadShown<'a> {
    if decoded.tcp.is_none() {
        return PayloadShown::AsDecoded;
    }
    match http {
        Some(FrameHttp::Messages(views)) => {
            PayloadShown::Http(views.iter().map(|v| (v.line, v.content_type)).collect())
        }
        Some(FrameHttp::Segment) => PayloadShown::Tcp { reassembled: true },
        None if decoded.http.is_some() => PayloadShown::Tcp { reassembled: false },
        None => PayloadShown::AsDecoded,
    }
}

/// The Protocol column: HTTP where an HTTP message is shown, else the decoder's.
fn protocol_shown<'a>(decoded: &'a Decoded, shown: &PayloadShown) -> &'a str {
    match (shown, decoded.protocol) {
        (PayloadShown::Http(_), _) => "HTTP",
        (PayloadShown::Tcp { .. }, "HTTP") => "TCP",
        (_, protocol) => protocol,
    }
}

/// The frame's row, from its bytes (read again from the file or from
/// [`Report::frame_bytes`]).
pub fn build(report: &Report, frame: &Frame, bytes: &[u8]) -> FrameRow {
    let decoded = report.decode(frame, bytes);
    build_decoded(report, frame, &decoded)
}

/// The frame's row from its decoded headers.
pub fn build_decoded(report: &Report, frame: &Frame, decoded: &Decoded) -> FrameRow {
    from_facts(&report.frame_facts(frame), report.time_origin(), decoded)
}

/// Frame `index`'s row as far as the capture has been read, from its captured `bytes`: the
/// list can be shown while a large capture is still being read. The TCP analysis and HTTP
/// messages of a frame can still change with later frames; the finished report's rows are
/// final.
pub fn so_far(analysis: &Analysis, index: usize, bytes: &[u8]) -> Option<FrameRow> {
    let (facts, origin) = analysis.facts_so_far(index)?;
    let decoded = decode::decode_frame(facts.link_type, bytes, Some(facts.orig_len));
    Some(from_facts(&facts, origin, &decoded))
}

/// Every row, from the capture kept in memory (frames whose bytes are not kept decode as
/// empty). For tests and small captures; the page asks for rows by range.
pub fn all(report: &Report) -> Vec<FrameRow> {
    report
        .numbered()
        .map(|f| build(report, &f, report.frame_bytes(&f).unwrap_or(&[])))
        .collect()
}

/// The Time column of `frame` in `format`; `previous_shown` is the frame listed before it
/// (for [`TimeFormat::SincePreviousDisplayed`]).
pub fn time_text(
    report: &Report,
    frame: &Frame,
    previous_shown: Option<&Frame>,
    format: TimeFormat,
) -> String {
    let ts = report.shown_ts(frame);
    let origin = report.time_origin();
    let digits = origin.digits;
    let since = |other: Option<&Frame>| {
        let base = other.map_or(ts, |o| report.shown_ts(o));
        format_seconds(ts.nanos_since(base), digits)
    };
    match format {
        TimeFormat::Relative => format_seconds(ts.nanos_since(origin.first_ts), digits),
        TimeFormat::SincePreviousDisplayed => since(previous_shown),
        TimeFormat::SincePreviousCaptured => since(
            frame
                .number
                .checked_sub(1)
                .and_then(|n| report.frame(n))
                .as_ref(),
        ),
        TimeFormat::DateTime { offset_minutes } => {
            crate::capture::format_date_time(ts.as_nanos(), offset_minutes, digits)
        }
        TimeFormat::Utc => crate::capture::format_date_time(ts.as_nanos(), 0, digits),
        TimeFormat::Epoch => ts.format_epoch(digits),
    }
}

/// The first of Wireshark's default colouring rules that the frame matches.
pub fn color_rule(report: &Report, frame: &Frame, decoded: &Decoded) -> Option<colors::ColorRule> {
    let shown = shown_payload(decoded, report.http.frame(frame.number));
    let http_shown = matches!(shown, PayloadShown::Http(_));
    colors::color_rule(decoded, report.tcp_facts(frame).as_ref(), http_shown)
}
