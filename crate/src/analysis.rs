//! The whole pipeline for one capture: chunks in, frame records and TCP analysis out.
//!
//! Promise: fed the same bytes in any chunking, [`Analysis`] produces the same [`Report`]; it
//! never panics on input; what the capture reader could not read is in `Report::capture`.

use crate::capture::{
    format_seconds, CaptureEnd, CaptureProblem, CaptureReader, ProblemKind, RawFrame, Timestamp,
};
use crate::colors;
use crate::decode::{self, Decoded, PayloadShown};
use crate::http::{FrameHttp, HttpExchange, HttpPairer, HttpPairs};
use crate::tcp::{
    CloseKind, Connection, Flag, HandshakeKind, SegmentIn, Side, TcpAnalysis, TcpFrameFacts,
    TcpTracker,
};
use serde::Serialize;

/// The most frames one analysis keeps: beyond it reading stops with a notice, so that a huge
/// capture cannot exhaust the memory of a browser tab (a frame's record costs about 1.5 KB today).
#[cfg(target_arch = "wasm32")]
pub const MAX_FRAMES: usize = 1_500_000;
/// The most frames one analysis keeps on the command line (see the wasm32 limit).
#[cfg(not(target_arch = "wasm32"))]
pub const MAX_FRAMES: usize = 20_000_000;

/// What is kept of one frame.
#[derive(Clone, Debug, Serialize)]
pub struct FrameRecord {
    pub number: u32,
    pub ts: Timestamp,
    /// False for records without a time (pcapng simple packet and custom blocks).
    pub has_ts: bool,
    pub ts_digits: u8,
    pub link_type: u32,
    pub interface: u32,
    pub orig_len: u32,
    pub cap_len: u32,
    /// Offset of the frame's bytes in the (decompressed) capture, to read them again on demand.
    pub offset: u64,
    pub decoded: Decoded,
    /// Index into `TcpAnalysis::frames` for TCP frames.
    pub tcp_index: Option<u32>,
}

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

/// Streaming analysis of one capture.
pub struct Analysis {
    reader: CaptureReader,
    frames: Vec<FrameRecord>,
    tracker: TcpTracker,
    http: HttpPairer,
    tcp_count: u32,
    /// Frames kept at most; [`MAX_FRAMES`] unless set by [`Analysis::with_max_frames`].
    max_frames: usize,
}

/// Everything known about a capture once it has been read to the end.
#[derive(Serialize)]
pub struct Report {
    pub capture: CaptureEnd,
    /// Time of the first frame that has one: the Time column's zero.
    pub first_ts: Timestamp,
    /// Digits shown in the Time column: the finest resolution among the frames.
    pub time_digits: u8,
    pub frames: Vec<FrameRecord>,
    pub tcp: TcpAnalysis,
    /// HTTP/1.x requests paired with their responses.
    pub http: HttpPairs,
}

impl Default for Analysis {
    fn default() -> Self {
        Self::new()
    }
}

impl Analysis {
    pub fn new() -> Self {
        Self::with_max_frames(MAX_FRAMES)
    }

    /// An analysis that keeps at most `max_frames` frames (reading stops there, with a notice).
    pub fn with_max_frames(max_frames: usize) -> Self {
        Analysis {
            reader: CaptureReader::new(),
            frames: Vec::new(),
            tracker: TcpTracker::new(),
            http: HttpPairer::new(),
            tcp_count: 0,
            max_frames,
        }
    }

    /// Feeds the next chunk of the file.
    pub fn push(&mut self, chunk: &[u8]) {
        let Analysis {
            reader,
            frames,
            tracker,
            http,
            tcp_count,
            max_frames,
        } = self;
        let max_frames = *max_frames;
        let mut over: Option<(u64, u32)> = None;
        reader.push(chunk, &mut |raw: &RawFrame| {
            if frames.len() >= max_frames {
                over.get_or_insert((raw.offset, raw.number));
                return;
            }
            frames.push(record(raw, tracker, http, tcp_count));
        });
        if let Some((offset, number)) = over {
            // `offset` is where the first frame not kept has its bytes.
            reader.stop_at_limit(
                offset,
                number,
                format!(
                    "Only the first {max_frames} frames are read: this tool keeps at most {max_frames} frames of a capture here, so reading stopped at frame {number} (byte {offset}). Split the capture (editcap -c) to see the rest."
                ),
            );
        }
    }

    pub fn frames(&self) -> &[FrameRecord] {
        &self.frames
    }

    pub fn reader(&self) -> &CaptureReader {
        &self.reader
    }

    /// Ends the input and computes the final results.
    pub fn finish(self) -> Report {
        let capture = self.reader.finish();
        let first_ts = self
            .frames
            .iter()
            .find(|f| f.has_ts)
            .map(|f| f.ts)
            .unwrap_or_default();
        let time_digits = self.frames.iter().map(|f| f.ts_digits).max().unwrap_or(6);
        Report {
            capture,
            first_ts,
            time_digits,
            frames: self.frames,
            tcp: self.tracker.finish(),
            http: self.http.finish(),
        }
    }
}

fn record(
    raw: &RawFrame,
    tracker: &mut TcpTracker,
    http: &mut HttpPairer,
    tcp_count: &mut u32,
) -> FrameRecord {
    let decoded = decode::decode_frame(raw.link_type, raw.data, Some(raw.orig_len));
    let mut tcp_index = None;
    if let (Some(ip), Some(seg)) = (decoded.transport_ip(), &decoded.tcp) {
        let start = (seg.payload_offset as usize).min(raw.data.len());
        let end = (start + seg.payload_captured as usize).min(raw.data.len());
        let payload = &raw.data[start..end];
        let facts = tracker.push(&SegmentIn {
            number: raw.number,
            ts: raw.ts,
            src: ip.src,
            dst: ip.dst,
            segment: seg,
            payload,
        });
        if !payload.is_empty() {
            http.push_at(
                facts.stream,
                raw.number,
                raw.ts,
                &endpoint(ip.src, seg.src_port),
                &endpoint(ip.dst, seg.dst_port),
                facts.relative_seq,
                payload,
                facts.analysis.has(Flag::Retransmission),
            );
        }
        if seg.flags & decode::tcp_flags::FIN != 0 {
            // A body without a length ends with its sender's FIN, where Wireshark places it.
            http.close(
                facts.stream,
                raw.number,
                raw.ts,
                &endpoint(ip.src, seg.src_port),
                &endpoint(ip.dst, seg.dst_port),
            );
        }
        tcp_index = Some(*tcp_count);
        *tcp_count += 1;
    }
    FrameRecord {
        number: raw.number,
        ts: raw.ts,
        has_ts: raw.has_ts,
        ts_digits: raw.ts_digits,
        link_type: raw.link_type,
        interface: raw.interface,
        orig_len: raw.orig_len,
        cap_len: raw.data.len() as u32,
        offset: raw.offset,
        decoded,
        tcp_index,
    }
}

/// "addr:port", IPv6 in brackets: how connections name their endpoints.
fn endpoint(addr: std::net::IpAddr, port: u16) -> String {
    std::net::SocketAddr::new(addr, port).to_string()
}

/// The Protocol column: HTTP where an HTTP message is shown, else the decoder's.
fn protocol_shown<'a>(frame: &'a FrameRecord, shown: &PayloadShown) -> &'a str {
    match (shown, frame.decoded.protocol.as_str()) {
        (PayloadShown::Http(_), _) => "HTTP",
        (PayloadShown::Tcp { .. }, "HTTP") => "TCP",
        (_, decoded) => decoded,
    }
}

/// Reads and analyses a whole capture held in memory.
pub fn analyze_bytes(bytes: &[u8]) -> Report {
    let mut analysis = Analysis::new();
    analysis.push(bytes);
    analysis.finish()
}

impl Report {
    pub fn tcp_facts(&self, frame: &FrameRecord) -> Option<&TcpFrameFacts> {
        frame
            .tcp_index
            .and_then(|i| self.tcp.frames.get(i as usize))
    }

    pub fn row(&self, frame: &FrameRecord) -> FrameRow {
        // Like Wireshark, times are relative to the first frame that has one.
        let first = self.first_ts;
        let ts = if frame.has_ts { frame.ts } else { first };
        let shown = self.payload_shown(frame);
        let facts = self.tcp_facts(frame);
        FrameRow {
            number: frame.number,
            time: format_seconds(ts.nanos_since(first), self.time_digits),
            source: frame.decoded.src.clone(),
            destination: frame.decoded.dst.clone(),
            protocol: protocol_shown(frame, &shown).to_string(),
            length: frame.orig_len,
            info: decode::info_text_shown(&frame.decoded, facts, &shown),
            color: colors::color_id(frame, facts, matches!(shown, PayloadShown::Http(_))),
        }
    }

    /// How a TCP frame's payload is shown: HTTP where a message completes (as Wireshark
    /// places a reassembled message), "segment of a reassembled PDU" for its other segments,
    /// plain TCP for an HTTP-looking segment that is no message of its own (a retransmission).
    pub fn payload_shown(&self, frame: &FrameRecord) -> PayloadShown<'_> {
        if frame.decoded.tcp.is_none() {
            return PayloadShown::AsDecoded;
        }
        match self.http.frame(frame.number) {
            Some(FrameHttp::Messages(views)) => PayloadShown::Http(
                views
                    .iter()
                    .map(|v| (v.line.as_str(), v.content_type.as_deref()))
                    .collect(),
            ),
            Some(FrameHttp::Segment) => PayloadShown::Tcp { reassembled: true },
            None if frame.decoded.http.is_some() => PayloadShown::Tcp { reassembled: false },
            None => PayloadShown::AsDecoded,
        }
    }

    /// The first of Wireshark's default colouring rules that the frame matches.
    pub fn color_rule(&self, frame: &FrameRecord) -> Option<colors::ColorRule> {
        let http_shown = matches!(self.payload_shown(frame), PayloadShown::Http(_));
        colors::color_rule(frame, self.tcp_facts(frame), http_shown)
    }

    pub fn rows(&self) -> Vec<FrameRow> {
        self.frames.iter().map(|f| self.row(f)).collect()
    }
}

/// A connection as the page's conversations table shows it: the tracker's verdicts (the same
/// fields as `analyze --json`), its HTTP exchanges, and the handshake and close in words.
#[derive(Serialize)]
pub struct ConnectionView<'a> {
    #[serde(flatten)]
    pub connection: &'a Connection,
    pub http: Vec<&'a HttpExchange>,
    /// "three-way", "refused (SYN answered by RST)", ...
    pub handshake_text: String,
    /// "three-way close by client: FIN, FIN+ACK, ACK", "reset by server in ESTABLISHED", ...
    pub close_text: String,
}

fn side_name(side: Option<Side>) -> &'static str {
    match side {
        Some(Side::Client) => "client",
        Some(Side::Server) => "server",
        None => "either side",
    }
}

/// The handshake in plain words.
pub fn handshake_text(c: &Connection) -> String {
    let h = &c.handshake;
    let mut text = match h.kind {
        HandshakeKind::ThreeWay => "three-way".to_string(),
        HandshakeKind::SimultaneousOpen => "simultaneous open".to_string(),
        HandshakeKind::Refused => "refused: SYN answered by RST".to_string(),
        HandshakeKind::NoAnswer => "no answer to SYN".to_string(),
        HandshakeKind::Incomplete => "incomplete: SYN, SYN+ACK, no ACK".to_string(),
        HandshakeKind::NotCaptured => "not captured (started before the capture)".to_string(),
    };
    match h.syn_retransmissions {
        0 => {}
        1 => text.push_str(", SYN sent twice"),
        n => text.push_str(&format!(", SYN sent {} times", n + 1)),
    }
    text
}

/// The close in plain words.
pub fn close_text(c: &Connection) -> String {
    let close = &c.close;
    let by = side_name(close.initiator);
    match close.kind {
        CloseKind::ThreeWay => format!("three-way close by {by}: FIN, FIN+ACK, ACK"),
        CloseKind::FourWay => format!("four-way close by {by}: FIN, ACK, FIN, ACK"),
        CloseKind::Simultaneous => "simultaneous close: both sent FIN at once".to_string(),
        CloseKind::HalfClosed => format!("half-closed by {by}: FIN, no FIN back"),
        CloseKind::Reset => {
            // The state's RFC 9293 name, as the JSON spells it.
            let state = close
                .reset_state
                .and_then(|s| serde_json::to_value(s).ok())
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_else(|| "UNKNOWN".to_string());
            if state == "UNKNOWN" {
                format!("reset by {by}")
            } else {
                format!("reset by {by} in {state}")
            }
        }
        CloseKind::Open => "still open: no FIN or RST seen".to_string(),
    }
}

impl Report {
    /// Every TCP connection with its HTTP exchanges, in stream order.
    pub fn connection_views(&self) -> Vec<ConnectionView<'_>> {
        let mut http: std::collections::HashMap<u32, Vec<&HttpExchange>> = Default::default();
        for x in &self.http.exchanges {
            http.entry(x.stream).or_default().push(x);
        }
        self.tcp
            .connections
            .iter()
            .map(|c| ConnectionView {
                connection: c,
                http: http.remove(&c.stream).unwrap_or_default(),
                handshake_text: handshake_text(c),
                close_text: close_text(c),
            })
            .collect()
    }

    /// Indices (into `frames`) of the frames of one TCP stream, in capture order.
    pub fn stream_frame_indices(&self, stream: u32) -> Vec<u32> {
        self.frames
            .iter()
            .enumerate()
            .filter(|(_, f)| self.tcp_facts(f).is_some_and(|t| t.stream == stream))
            .map(|(i, _)| i as u32)
            .collect()
    }
}

/// What the page shows above the frame list once a capture has been read (and the CLI's
/// `capture` object).
#[derive(Serialize)]
pub struct Summary {
    /// "pcap (little-endian, µs)", "pcapng, gzip"; None when the file is not a capture.
    pub format: Option<String>,
    pub gzip: bool,
    pub link_types: Vec<LinkType>,
    pub frames: u32,
    /// Bytes of capture read (decompressed, for gzip).
    pub bytes: u64,
    /// Epoch seconds, as text at the capture's precision (exact) and as a number (for dates).
    pub first_time: Option<String>,
    pub last_time: Option<String>,
    pub first_epoch: Option<f64>,
    pub last_epoch: Option<f64>,
    /// Seconds from the first to the last frame, at the capture's precision.
    pub time_span: Option<String>,
    pub problems: Vec<Problem>,
}

#[derive(Serialize)]
pub struct LinkType {
    pub code: u32,
    pub name: &'static str,
}

#[derive(Serialize)]
pub struct Problem {
    pub kind: ProblemKind,
    /// u64 offsets above 2^53 cannot be JS numbers; files that large are not read in a page.
    pub offset: f64,
    pub frame: Option<u32>,
    pub message: String,
    /// Whether reading stopped here (false: something was skipped and reading went on).
    pub fatal: bool,
}

impl From<&CaptureProblem> for Problem {
    fn from(p: &CaptureProblem) -> Self {
        Problem {
            kind: p.kind,
            offset: p.offset as f64,
            frame: p.frame,
            message: p.message.clone(),
            fatal: p.kind.is_fatal(),
        }
    }
}

impl Report {
    /// The capture's summary: format, link types, frame count, time span, problems.
    pub fn summary(&self) -> Summary {
        let report = self;
        let end = &report.capture;
        let digits = report.time_digits;
        // Records without a time (pcapng simple packets, custom blocks) do not bound the span.
        let first = report.frames.iter().find(|f| f.has_ts).map(|f| f.ts);
        let last = report.frames.iter().rev().find(|f| f.has_ts).map(|f| f.ts);
        let epoch = |t: Option<Timestamp>| t.map(|t| t.format_epoch(digits));
        Summary {
            format: end.info.as_ref().map(|i| i.describe()),
            gzip: end.info.as_ref().is_some_and(|i| i.gzip),
            link_types: end
                .info
                .as_ref()
                .map(|i| {
                    i.link_types()
                        .into_iter()
                        .map(|code| LinkType {
                            code,
                            name: decode::link_type_name(code),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            frames: end.frames,
            bytes: end.bytes,
            first_time: epoch(first),
            last_time: epoch(last),
            first_epoch: first.map(Timestamp::as_f64),
            last_epoch: last.map(Timestamp::as_f64),
            time_span: first
                .zip(last)
                .map(|(a, b)| format_seconds(b.nanos_since(a), digits)),
            problems: end.problems.iter().map(Problem::from).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::analyze_bytes;
    use crate::tcp::{CloseKind, HandshakeKind, Side, State};

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
        assert!(
            stop.message.starts_with("Only the first 4 frames are read"),
            "{}",
            stop.message
        );
        assert_eq!(report.rows().len(), 4);
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
        let [c] = &report.tcp.connections[..] else {
            panic!("one connection")
        };
        assert_eq!(
            (c.client.as_str(), c.server.as_str()),
            ("192.168.0.50:58626", "192.168.0.52:8080")
        );
        assert_eq!(c.handshake.kind, HandshakeKind::ThreeWay);
        assert_eq!(c.handshake.frames, vec![1, 2, 3]);
        assert_eq!(c.handshake.irtt, Some(0.000438));
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
        let [x] = &report.http.exchanges[..] else {
            panic!("one HTTP exchange")
        };
        assert_eq!(
            (x.request_frame, x.method.as_str(), x.uri.as_str()),
            (4, "GET", "/hello?name=world")
        );
        assert_eq!(
            (x.response_frame, x.status, x.time),
            (Some(6), Some(200), Some(0.002611))
        );
        let states: Vec<(State, State)> = report
            .frames
            .iter()
            .map(|f| {
                report
                    .tcp_facts(f)
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
        let rows = report.rows();
        assert_eq!(rows[0].info, "58626 → 8080 [SYN] Seq=0 Win=29200 Len=0 MSS=1460 SACK_PERM TSval=3433988 TSecr=0 WS=128");
        assert_eq!(rows[3].info, "GET /hello?name=world HTTP/1.1 ");
        assert_eq!(rows[5].info, "HTTP/1.1 200   (text/plain)");
        assert_eq!(rows[0].color, "tcp-syn-fin");
        assert_eq!(rows[3].color, "http");
        assert_eq!(rows[2].color, "tcp");
        let [view] = &report.connection_views()[..] else {
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
}
