//! The CLI's JSON: a public interface, documented in the README. Field names never change
//! meaning; new fields may be added.

use crate::analysis::{Frame, FrameSource, Report};
use crate::decode::Decoded;
use crate::explain::capture::{summary, Summary};
use crate::explain::Lang;
use crate::tcp::TcpFrameFacts;
use serde::Serialize;
use std::io::Write;

/// One frame of `tcp-timeline frames FILE --json`.
#[derive(Serialize)]
pub struct FrameJson {
    pub number: u32,
    /// Epoch seconds as a string, with the capture's full precision (like tshark's frame.time_epoch);
    /// empty for records that carry no time.
    pub ts: String,
    /// Seconds since the first frame, as the Time column shows it.
    pub time: String,
    pub len: u32,
    pub cap_len: u32,
    pub link_type: u32,
    pub interface: u32,
    pub src: String,
    pub dst: String,
    pub protocol: String,
    pub info: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tcp: Option<TcpJson>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
}

#[derive(Serialize)]
pub struct TcpJson {
    pub src_port: u16,
    pub dst_port: u16,
    /// Wireshark's flag names joined by ", " ("SYN, ACK"); "\<None>" when no flag is set.
    pub flags: String,
    pub seq_raw: u32,
    pub ack_raw: u32,
    pub len: u32,
    /// The window field as sent (tshark's tcp.window_size_value).
    pub window: u16,
}

pub fn frame_json(report: &Report, frame: &Frame, decoded: &Decoded) -> FrameJson {
    let row = crate::row::build_decoded(report, frame, decoded);
    let link = report.link(frame);
    FrameJson {
        number: frame.number,
        ts: if frame.has_ts() {
            report.ts(frame).format_epoch(link.ts_digits)
        } else {
            String::new()
        },
        time: row.time,
        len: report.orig_len(frame),
        cap_len: frame.cap_len(),
        link_type: link.link_type,
        interface: link.interface,
        src: row.source,
        dst: row.destination,
        protocol: row.protocol,
        info: row.info,
        tcp: decoded.tcp.as_ref().map(|t| TcpJson {
            src_port: t.src_port,
            dst_port: t.dst_port,
            flags: crate::row::tcp_flags_text(t.flags),
            seq_raw: t.seq,
            ack_raw: t.ack,
            len: t.payload_len,
            window: t.window,
        }),
        problems: decoded.problems.clone(),
    }
}

/// One frame of `tcp-timeline analyze FILE --json`: the frame's fields plus, for TCP, the
/// tracker's facts in the same `tcp` object.
#[derive(Serialize)]
pub struct AnalyzedFrameJson {
    #[serde(flatten)]
    pub frame: FrameJson,
    #[serde(skip_serializing_if = "Option::is_none", rename = "tcp")]
    pub tcp_analysis: Option<AnalyzedTcpJson>,
}

#[derive(Serialize)]
pub struct AnalyzedTcpJson {
    pub src_port: u16,
    pub dst_port: u16,
    pub flags: String,
    pub seq_raw: u32,
    pub ack_raw: u32,
    /// stream, seq, ack (relative), next_seq, len, window, window_calc, analysis, dup_ack_num,
    /// dup_ack_of, irtt, acked_frame, ack_rtt, bytes_in_flight, state {client, server}.
    #[serde(flatten)]
    pub facts: TcpFrameFacts,
}

pub fn analyzed_frame_json(report: &Report, frame: &Frame, decoded: &Decoded) -> AnalyzedFrameJson {
    let mut json = frame_json(report, frame, decoded);
    let facts = report.tcp_facts(frame);
    // A TCP frame the tracker did not see (no IP layer) keeps its plain fields.
    let tcp_analysis = match facts {
        Some(facts) => json.tcp.take().map(|t| AnalyzedTcpJson {
            src_port: t.src_port,
            dst_port: t.dst_port,
            flags: t.flags,
            seq_raw: t.seq_raw,
            ack_raw: t.ack_raw,
            facts,
        }),
        None => None,
    };
    AnalyzedFrameJson {
        frame: json,
        tcp_analysis,
    }
}

/// Writes `{capture, frames, connections}` for `analyze --json`, frame by frame; frames'
/// bytes come from `source`.
pub fn write_analysis(
    out: &mut dyn Write,
    report: &Report,
    source: &mut dyn FrameSource,
) -> std::io::Result<()> {
    let summary: Summary = summary(report, Lang::En);
    let buf = &mut Vec::new();
    out.write_all(b"{\"capture\":")?;
    put(out, buf, &summary)?;
    out.write_all(b",\n\"frames\":[")?;
    for (i, frame) in report.numbered().enumerate() {
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        let decoded = report.decode(&frame, source.frame_bytes(&frame)?);
        put(out, buf, &analyzed_frame_json(report, &frame, &decoded))?;
    }
    out.write_all(b"\n],\n\"connections\":[")?;
    for (i, c) in crate::explain::connection::views(report).enumerate() {
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        put(out, buf, &c)?;
    }
    out.write_all(b"\n]}\n")
}

/// Writes `value` as JSON to `out`, made in `buf` first: serde_json writes a document in many
/// small pieces, and straight into a `dyn Write` each is a call through its vtable (a fifth of
/// `analyze --json`'s instructions went to them).
fn put<T: Serialize>(out: &mut dyn Write, buf: &mut Vec<u8>, value: &T) -> std::io::Result<()> {
    buf.clear();
    serde_json::to_writer(&mut *buf, value)?;
    out.write_all(buf)
}

/// Writes the frames as a JSON array, one frame per line, without building it all in memory.
pub fn write_frames(
    out: &mut dyn Write,
    report: &Report,
    source: &mut dyn FrameSource,
) -> std::io::Result<()> {
    let buf = &mut Vec::new();
    out.write_all(b"[")?;
    for (i, frame) in report.numbered().enumerate() {
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        let decoded = report.decode(&frame, source.frame_bytes(&frame)?);
        put(out, buf, &frame_json(report, &frame, &decoded))?;
    }
    out.write_all(b"\n]\n")
}
