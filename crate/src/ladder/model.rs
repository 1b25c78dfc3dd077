//! The ladder model: one TCP connection as lifelines, arrows, state changes, phases and a
//! time axis, computed once from a [`Report`] so every renderer draws the same picture.
//!
//! Promise: [`Ladder::build`] reads only the analysis (never packet bytes), never panics on
//! input, and is linear in the stream's segments (plus a log factor for the retransmission
//! look-ups): a long data phase is folded into a [`DataBand`] without building its arrows.

use crate::analysis::{bits, Frame, Report};
use crate::capture::format_seconds;
use crate::decode::{media_type, tcp_flags};
use crate::http::IncompleteResponse;
use crate::tcp::walk::{self, SegmentRelations};
pub use crate::tcp::walk::{AckMeaning, SegmentRef};
use crate::tcp::{
    CloseKind, CloseSummary, EndpointStates, Flag, HandshakeKind, HandshakeSummary, Side, State,
    TcpFrameFacts,
};
use serde::Serialize;
use std::collections::HashMap;

/// How the vertical axis maps time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeAxis {
    /// One row per segment; long pauses become a labelled break.
    #[default]
    Folded,
    /// Distance proportional to time.
    Proportional,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct LadderOptions {
    pub time_axis: TimeAxis,
    /// A data phase with more segments than this is folded into a band.
    pub fold_over: usize,
    /// Show every data segment even beyond `fold_over`...
    pub expand_data: bool,
    /// ...as long as there are at most this many: a drawing of a hundred thousand arrows
    /// would freeze a page, so beyond it the data phase stays folded and its band says why.
    pub max_expanded: usize,
}

/// The most data segments a page draws one by one.
pub const MAX_EXPANDED: usize = 5_000;

impl Default for LadderOptions {
    fn default() -> Self {
        LadderOptions {
            time_axis: TimeAxis::Folded,
            fold_over: 40,
            expand_data: false,
            max_expanded: MAX_EXPANDED,
        }
    }
}

/// Data segments kept on each side of a folded band, so its edges still show real arrows.
const KEEP_AROUND_BAND: usize = 3;

/// One endpoint's vertical line.
#[derive(Clone, Debug, Serialize)]
pub struct Lifeline {
    pub side: Side,
    /// "addr:port", IPv6 in brackets.
    pub endpoint: String,
    /// The state before the first segment (CLOSED / LISTEN when the SYN is captured).
    pub initial_state: State,
    pub final_state: State,
}

/// Where the capture was taken, as far as the capture tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CapturePoint {
    /// On this endpoint's host.
    At(Side),
    /// Both endpoints on the capturing host (loopback).
    BothEnds,
    Unknown,
}

/// What the capture point was inferred from (it is always an inference).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CaptureBasis {
    /// Linux cooked capture's packet type: "outgoing" vs "to us".
    LinkPacketType,
    /// The side that answers fastest is the one next to the capture point: its replies do
    /// not travel the network before the capture sees them.
    ReplyTimes,
    Nothing,
}

/// An analysis verdict on an arrow, with what the explanation needs.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Mark {
    #[serde(serialize_with = "flag_name")]
    pub flag: Flag,
    /// For the retransmission family: the frame that first sent this sequence number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_frame: Option<u32>,
    /// For the retransmission family: the highest Ack the peer had sent before it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub peer_acked: Option<u32>,
    /// For duplicate ACKs: (n, frame repeated).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dup_ack: Option<(u32, u32)>,
}

fn flag_name<S: serde::Serializer>(flag: &Flag, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(flag.name())
}

/// One segment, drawn from its sender's lifeline to the other.
#[derive(Clone, Debug, Serialize)]
pub struct Arrow {
    pub frame: u32,
    pub from: Side,
    /// Seconds since the capture's first frame (the Time column).
    pub time: f64,
    /// The same at the capture's precision.
    pub time_text: String,
    pub flags: u16,
    /// "SYN", "SYN+ACK", "PSH+ACK", "FIN+ACK", "RST", "\<none>".
    pub flags_text: String,
    pub seq: u32,
    pub ack: u32,
    pub has_ack: bool,
    pub len: u32,
    pub next_seq: u32,
    /// The receive window it announces, scaled.
    pub window: u64,
    pub marks: Vec<Mark>,
    /// "GET /hello?name=world", "200 text/plain": the HTTP message this segment completes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http: Option<String>,
    pub ack_meaning: AckMeaning,
    /// Each endpoint's state after this segment.
    pub states: EndpointStates,
    pub phase: PhaseKind,
}

impl Arrow {
    pub fn is(&self, flag: u16) -> bool {
        self.flags & flag != 0
    }

    /// "SYN Seq=0 Len=0", "PSH+ACK Seq=1 Ack=1 Len=97": the label on the arrow.
    pub fn label(&self) -> String {
        let ack = if self.has_ack {
            format!(" Ack={}", self.ack)
        } else {
            String::new()
        };
        format!("{} Seq={}{ack} Len={}", self.flags_text, self.seq, self.len)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PhaseKind {
    Handshake,
    Data,
    Close,
}

/// A bracket on the diagram: which frames belong to the handshake, the data, the close.
#[derive(Clone, Debug, Serialize)]
pub struct Phase {
    pub kind: PhaseKind,
    pub first_frame: u32,
    pub last_frame: u32,
    pub segments: u32,
}

/// A request and its response, as the data phase names them.
#[derive(Clone, Debug, Serialize)]
pub struct Exchange {
    pub request_frame: u32,
    /// "GET /hello?name=world"
    pub request: String,
    pub response_frame: Option<u32>,
    /// "200 text/plain"
    pub response: Option<String>,
    /// Seconds from request to response.
    pub time: Option<f64>,
    /// The response, when its head (or its start line) was captured but not all of it.
    pub response_incomplete: Option<IncompleteResponse>,
}

/// One step of the close as the lesson names it: "FIN", "FIN+ACK" (a FIN that also
/// acknowledges the peer's FIN), "ACK", "RST".
#[derive(Clone, Debug, Serialize)]
pub struct CloseStep {
    pub frame: u32,
    pub from: Side,
    pub role: &'static str,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct StateChange {
    pub frame: u32,
    pub side: Side,
    pub from: State,
    pub to: State,
}

/// A folded stretch of the data phase.
#[derive(Clone, Debug, Default, Serialize)]
pub struct DataBand {
    pub first_frame: u32,
    pub last_frame: u32,
    pub segments: u32,
    pub bytes_client_to_server: u64,
    pub bytes_server_to_client: u64,
    pub retransmissions: u32,
    /// Seconds from its first to its last segment.
    pub duration: f64,
    /// Time of its first segment (seconds since the capture's first frame).
    pub start: f64,
    /// Set when every segment was asked for but there were more than this many.
    pub expand_limit: Option<usize>,
}

/// What sits on one row of the time axis.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum RowItem {
    /// Index into `Ladder::arrows`.
    Arrow {
        index: usize,
    },
    Band,
    /// A long pause, folded.
    Gap {
        seconds: f64,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Row {
    /// Position in row units from the top (0 = first row); renderers multiply by their
    /// row height.
    pub y: f64,
    pub item: RowItem,
}

/// One connection as a timeline.
#[derive(Clone, Debug, Serialize)]
pub struct Ladder {
    pub stream: u32,
    pub client: Lifeline,
    pub server: Lifeline,
    /// No SYN seen: the port decided which side is the client.
    pub roles_guessed: bool,
    pub capture_point: CapturePoint,
    pub capture_basis: CaptureBasis,
    /// The arrows drawn, in frame order (a folded band's segments are not among them).
    pub arrows: Vec<Arrow>,
    pub band: Option<DataBand>,
    pub rows: Vec<Row>,
    /// Height of the axis in row units.
    pub height: f64,
    pub time_axis: TimeAxis,
    pub phases: Vec<Phase>,
    pub handshake: HandshakeSummary,
    pub close: CloseSummary,
    pub close_steps: Vec<CloseStep>,
    pub exchanges: Vec<Exchange>,
    pub state_changes: Vec<StateChange>,
    /// Seconds from the stream's first to its last segment.
    pub duration: f64,
    pub segments: u32,
}

fn flags_text(flags: u16) -> String {
    const NAMES: [(u16, &str); 9] = [
        (tcp_flags::SYN, "SYN"),
        (tcp_flags::FIN, "FIN"),
        (tcp_flags::RST, "RST"),
        (tcp_flags::PSH, "PSH"),
        (tcp_flags::URG, "URG"),
        (tcp_flags::ECE, "ECE"),
        (tcp_flags::CWR, "CWR"),
        (tcp_flags::AE, "AE"),
        (tcp_flags::ACK, "ACK"),
    ];
    let names: Vec<&str> = NAMES
        .iter()
        .filter(|(bit, _)| flags & bit != 0)
        .map(|(_, n)| *n)
        .collect();
    if names.is_empty() {
        "<none>".to_string()
    } else {
        names.join("+")
    }
}

fn phase_of(number: u32, handshake_end: Option<u32>, close_start: Option<u32>) -> PhaseKind {
    if handshake_end.is_some_and(|end| number <= end) {
        PhaseKind::Handshake
    } else if close_start.is_some_and(|start| number >= start) {
        PhaseKind::Close
    } else {
        PhaseKind::Data
    }
}

impl Ladder {
    /// The ladder of TCP stream `stream` with the default options; None when there is no
    /// such stream.
    pub fn build(report: &Report, stream: u32) -> Option<Ladder> {
        Self::build_with(report, stream, LadderOptions::default())
    }

    pub fn build_with(report: &Report, stream: u32, options: LadderOptions) -> Option<Ladder> {
        let conn = report.connection(stream)?;
        // What the tracker found each segment refers to (what its Ack acknowledges, ...).
        let contexts: HashMap<u32, SegmentRelations> = walk::relations(&report.tcp, stream)
            .into_iter()
            .map(|c| (c.frame, c))
            .collect();
        // (frame, its facts, sent by the client, what it refers to)
        let frames: Vec<(Frame, TcpFrameFacts, bool, SegmentRelations)> = report
            .tcp
            .segments(stream)
            .iter()
            .filter_map(|r| {
                let frame = report.frame(r.frame)?;
                let facts = report.tcp_facts(&frame)?;
                let context = *contexts.get(&r.frame)?;
                Some((frame, facts, report.tcp.from_client(stream, r), context))
            })
            .collect();
        let (first, _, _, _) = frames.first()?;
        let (last, _, _, _) = frames.last()?;

        let handshake_end = (conn.handshake.kind != HandshakeKind::NotCaptured)
            .then(|| conn.handshake.frames.iter().max().copied())
            .flatten();
        let close_start = (conn.close.kind != CloseKind::Open)
            .then(|| conn.close.frames.iter().min().copied())
            .flatten();
        let data_count = frames
            .iter()
            .filter(|(f, _, _, _)| {
                phase_of(f.number, handshake_end, close_start) == PhaseKind::Data
            })
            .count();
        let fold = data_count > options.fold_over
            && (!options.expand_data || data_count > options.max_expanded);
        // Asked to draw every segment, but there are too many: the band says so.
        let expand_limit = (options.expand_data && fold).then_some(options.max_expanded);
        let mut data_seen = 0usize;

        // HTTP labels by frame.
        let mut http_labels: HashMap<u32, String> = HashMap::new();
        let mut exchanges = Vec::new();
        for x in report.http.exchanges_of_stream(stream) {
            let request = format!("{} {}", x.method, x.uri);
            let response = x.status.map(|status| match x.content_type.map(media_type) {
                Some(media) if !media.is_empty() => format!("{status} {media}"),
                _ => status.to_string(),
            });
            http_labels.insert(x.request_frame, request.clone());
            // A response cut by the capture is named on the frame of its head.
            let response_at = x
                .response_frame
                .or(x.response_incomplete.map(|cut| cut.frame));
            if let (Some(frame), Some(text)) = (response_at, &response) {
                http_labels.insert(frame, text.clone());
            }
            exchanges.push(Exchange {
                request_frame: x.request_frame,
                request,
                response_frame: x.response_frame,
                response,
                time: x.time,
                response_incomplete: x.response_incomplete,
            });
        }

        let first_ts = report.time_origin().first_ts;
        let seconds = |f: &Frame| {
            let ts = report.shown_ts(f);
            (ts.nanos_since(first_ts) as f64 / 1e9, ts)
        };
        let mut arrows = Vec::new();
        let mut band: Option<DataBand> = None;
        let mut states_seen: Vec<(u32, EndpointStates)> = Vec::new();
        let mut initial = EndpointStates {
            client: State::Unknown,
            server: State::Unknown,
        };
        let mut link_votes = [0u32; 2]; // capture host is [client, server]
        let mut reply_delays: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
        let mut previous: Option<(Side, f64)> = None;

        for (i, (frame, facts, from_client, context)) in frames.iter().enumerate() {
            let from = if *from_client {
                Side::Client
            } else {
                Side::Server
            };
            let (send, recv) = match from {
                Side::Client => (0, 1),
                Side::Server => (1, 0),
            };
            let flags = report
                .tcp
                .records
                .get(frame.tcp() as usize)
                .map_or(0, |r| r.flags());
            let (time, ts) = seconds(frame);
            let syn = flags & tcp_flags::SYN != 0;
            let has_ack = flags & tcp_flags::ACK != 0;

            if i == 0 && syn && !has_ack && from == Side::Client {
                initial = EndpointStates {
                    client: State::Closed,
                    server: State::Listen,
                };
            }
            if states_seen.last().map(|(_, s)| *s) != Some(facts.state) {
                states_seen.push((frame.number, facts.state));
            }

            // Capture point evidence.
            if frame.has(bits::SLL_OUTGOING) {
                link_votes[send] += 1; // outgoing: sent by the capturing host
            } else if frame.has(bits::SLL_TO_US) {
                link_votes[recv] += 1; // to us: received by it
            }
            if let Some((prev_side, prev_time)) = previous {
                if prev_side != from && time >= prev_time {
                    reply_delays[send].push(time - prev_time);
                }
            }
            previous = Some((from, time));

            let ack_meaning = context.ack_meaning;

            let mut marks = Vec::new();
            for flag in facts.analysis.iter() {
                let mut mark = Mark {
                    flag,
                    original_frame: None,
                    peer_acked: None,
                    dup_ack: None,
                };
                match flag {
                    Flag::Retransmission
                    | Flag::FastRetransmission
                    | Flag::SpuriousRetransmission => {
                        mark.original_frame = context.repeats;
                        mark.peer_acked = context.peer_acked;
                    }
                    Flag::DuplicateAck => {
                        mark.dup_ack = facts.dup_ack_num.zip(facts.dup_ack_of);
                    }
                    _ => {}
                }
                marks.push(mark);
            }

            let phase = phase_of(frame.number, handshake_end, close_start);
            if fold && phase == PhaseKind::Data {
                data_seen += 1;
                if data_seen > KEEP_AROUND_BAND
                    && data_seen <= data_count.saturating_sub(KEEP_AROUND_BAND)
                {
                    let b = band.get_or_insert_with(|| DataBand {
                        first_frame: frame.number,
                        start: time,
                        expand_limit,
                        ..DataBand::default()
                    });
                    b.last_frame = frame.number;
                    b.segments += 1;
                    match from {
                        Side::Client => b.bytes_client_to_server += u64::from(facts.segment_len),
                        Side::Server => b.bytes_server_to_client += u64::from(facts.segment_len),
                    }
                    if marks.iter().any(|m| {
                        matches!(
                            m.flag,
                            Flag::Retransmission
                                | Flag::FastRetransmission
                                | Flag::SpuriousRetransmission
                        )
                    }) {
                        b.retransmissions += 1;
                    }
                    b.duration = time - b.start;
                    continue;
                }
            }
            arrows.push(Arrow {
                frame: frame.number,
                from,
                time,
                time_text: format_seconds(ts.nanos_since(first_ts), report.time_origin().digits),
                flags,
                flags_text: flags_text(flags),
                seq: facts.relative_seq,
                ack: facts.relative_ack,
                has_ack,
                len: facts.segment_len,
                next_seq: facts.next_seq,
                window: facts.window_calc,
                marks,
                http: http_labels.remove(&frame.number),
                ack_meaning,
                states: facts.state,
                phase,
            });
        }

        // State changes on each lifeline.
        let mut state_changes = Vec::new();
        let mut before = initial;
        for (frame, states) in &states_seen {
            for (side, from, to) in [
                (Side::Client, before.client, states.client),
                (Side::Server, before.server, states.server),
            ] {
                if from != to {
                    state_changes.push(StateChange {
                        frame: *frame,
                        side,
                        from,
                        to,
                    });
                }
            }
            before = *states;
        }

        let (first_time, _) = seconds(first);
        let (last_time, _) = seconds(last);
        let mut phases = Vec::new();
        for kind in [PhaseKind::Handshake, PhaseKind::Data, PhaseKind::Close] {
            let mut numbers = frames
                .iter()
                .map(|(f, _, _, _)| f.number)
                .filter(|n| phase_of(*n, handshake_end, close_start) == kind);
            if let Some(first_frame) = numbers.next() {
                let (count, last_frame) = numbers.fold((1u32, first_frame), |(c, _), n| (c + 1, n));
                phases.push(Phase {
                    kind,
                    first_frame,
                    last_frame,
                    segments: count,
                });
            }
        }

        let close_steps = close_steps(&arrows, &conn.close);
        let rows = rows(
            &arrows,
            band.as_ref(),
            options.time_axis,
            first_time,
            last_time,
        );
        let height = rows.last().map(|r| r.y + 1.0).unwrap_or(0.0);
        let (capture_point, capture_basis) = capture_point(link_votes, &reply_delays);
        Some(Ladder {
            stream,
            client: Lifeline {
                side: Side::Client,
                endpoint: conn.client.to_string(),
                initial_state: initial.client,
                final_state: before.client,
            },
            server: Lifeline {
                side: Side::Server,
                endpoint: conn.server.to_string(),
                initial_state: initial.server,
                final_state: before.server,
            },
            roles_guessed: conn.roles_guessed,
            capture_point,
            capture_basis,
            arrows,
            band,
            rows,
            height,
            time_axis: options.time_axis,
            phases,
            handshake: conn.handshake.clone(),
            close: conn.close.clone(),
            close_steps,
            exchanges,
            state_changes,
            duration: last_time - first_time,
            segments: frames.len() as u32,
        })
    }

    pub fn arrow(&self, frame: u32) -> Option<&Arrow> {
        self.arrows
            .binary_search_by_key(&frame, |a| a.frame)
            .ok()
            .and_then(|i| self.arrows.get(i))
    }

    pub fn phase(&self, kind: PhaseKind) -> Option<&Phase> {
        self.phases.iter().find(|p| p.kind == kind)
    }

    pub fn lifeline(&self, side: Side) -> &Lifeline {
        match side {
            Side::Client => &self.client,
            Side::Server => &self.server,
        }
    }

    /// State changes caused by this frame.
    pub fn changes_at(&self, frame: u32) -> impl Iterator<Item = &StateChange> {
        self.state_changes.iter().filter(move |c| c.frame == frame)
    }

    /// Row position of a frame's arrow, or of the band holding it.
    pub fn row_of(&self, frame: u32) -> Option<f64> {
        self.rows.iter().find_map(|r| match r.item {
            RowItem::Arrow { index } if self.arrows.get(index)?.frame == frame => Some(r.y),
            RowItem::Band
                if self
                    .band
                    .as_ref()
                    .is_some_and(|b| (b.first_frame..=b.last_frame).contains(&frame)) =>
            {
                Some(r.y)
            }
            _ => None,
        })
    }
}

/// The close as the lesson names its steps, from the close frames that are drawn.
fn close_steps(arrows: &[Arrow], close: &CloseSummary) -> Vec<CloseStep> {
    close
        .frames
        .iter()
        .filter_map(|frame| {
            let arrow = arrows.iter().rev().find(|a| a.frame == *frame)?;
            let role = if arrow.is(tcp_flags::RST) {
                "RST"
            } else if arrow.is(tcp_flags::FIN) {
                let acks_fin =
                    matches!(arrow.ack_meaning, AckMeaning::New { segment } if segment.fin);
                if acks_fin {
                    "FIN+ACK"
                } else {
                    "FIN"
                }
            } else {
                "ACK"
            };
            Some(CloseStep {
                frame: *frame,
                from: arrow.from,
                role,
            })
        })
        .collect()
}

/// Pauses longer than this (and much longer than the usual spacing) are folded.
const LONG_GAP_SECONDS: f64 = 1.0;
/// Height of a folded pause, in rows.
const GAP_ROW: f64 = 0.6;
/// Height of a data band, in rows.
const BAND_ROWS: f64 = 2.0;

fn rows(
    arrows: &[Arrow],
    band: Option<&DataBand>,
    axis: TimeAxis,
    first_time: f64,
    last_time: f64,
) -> Vec<Row> {
    // Arrows and the band in time order (the band sits where its first frame was).
    let mut items: Vec<(u32, f64, RowItem)> = arrows
        .iter()
        .enumerate()
        .map(|(index, a)| (a.frame, a.time, RowItem::Arrow { index }))
        .collect();
    if let Some(b) = band {
        let at = items.partition_point(|(frame, _, _)| *frame < b.first_frame);
        items.insert(at, (b.first_frame, b.start, RowItem::Band));
    }
    let mut rows = Vec::with_capacity(items.len() + 4);
    match axis {
        TimeAxis::Proportional => {
            let span = (last_time - first_time).max(f64::EPSILON);
            let scale = (items.len().max(2) - 1) as f64 * 1.5 / span;
            for (_, time, item) in items {
                rows.push(Row {
                    y: ((time - first_time) * scale).max(0.0),
                    item,
                });
            }
        }
        TimeAxis::Folded => {
            let mut gaps: Vec<f64> = items.windows(2).map(|w| w[1].1 - w[0].1).collect();
            gaps.sort_by(f64::total_cmp);
            let median = gaps.get(gaps.len() / 2).copied().unwrap_or(0.0);
            let long = LONG_GAP_SECONDS.max(median * 20.0);
            let mut y = 0.0;
            let mut previous: Option<(f64, RowItem)> = None;
            for (_, time, item) in items {
                if let Some((before, before_item)) = previous {
                    let end_of_before = match (before_item, band) {
                        (RowItem::Band, Some(b)) => b.start + b.duration,
                        _ => before,
                    };
                    let gap = time - end_of_before;
                    if gap > long {
                        rows.push(Row {
                            y,
                            item: RowItem::Gap { seconds: gap },
                        });
                        y += GAP_ROW;
                    }
                }
                rows.push(Row { y, item });
                y += if item == RowItem::Band {
                    BAND_ROWS
                } else {
                    1.0
                };
                previous = Some((time, item));
            }
        }
    }
    rows
}

/// Decides the capture point from the link layer's packet types, else from reply times.
pub(crate) fn capture_point(
    link_votes: [u32; 2],
    reply_delays: &[Vec<f64>; 2],
) -> (CapturePoint, CaptureBasis) {
    match link_votes {
        [0, 0] => {}
        [_, 0] => return (CapturePoint::At(Side::Client), CaptureBasis::LinkPacketType),
        [0, _] => return (CapturePoint::At(Side::Server), CaptureBasis::LinkPacketType),
        _ => return (CapturePoint::BothEnds, CaptureBasis::LinkPacketType),
    }
    let median = |v: &Vec<f64>| {
        let mut v = v.clone();
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied()
    };
    match (median(&reply_delays[0]), median(&reply_delays[1])) {
        (Some(client), Some(server)) if client * 1.5 < server => {
            (CapturePoint::At(Side::Client), CaptureBasis::ReplyTimes)
        }
        (Some(client), Some(server)) if server * 1.5 < client => {
            (CapturePoint::At(Side::Server), CaptureBasis::ReplyTimes)
        }
        _ => (CapturePoint::Unknown, CaptureBasis::Nothing),
    }
}
