//! Connection verdicts: who is client and server, RFC 9293 states per frame, completeness,
//! Zeek's conn_state/history, handshake and close kinds.
//!
//! Promise: [`summarize`] reads only the events the tracker recorded and never panics.

use super::frame_list::FrameList;
use super::seq::{seq_le, ACK, FIN, RST, SYN};
use super::{Endpoint, Event, Events, Flag};
use serde::Serialize;
use std::borrow::Borrow;

/// RFC 9293 connection states, plus `Unknown` before the first evidence when the capture
/// starts mid-connection.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub enum State {
    #[default]
    #[serde(rename = "UNKNOWN")]
    Unknown,
    #[serde(rename = "CLOSED")]
    Closed,
    #[serde(rename = "LISTEN")]
    Listen,
    #[serde(rename = "SYN-SENT")]
    SynSent,
    #[serde(rename = "SYN-RECEIVED")]
    SynReceived,
    #[serde(rename = "ESTABLISHED")]
    Established,
    #[serde(rename = "FIN-WAIT-1")]
    FinWait1,
    #[serde(rename = "FIN-WAIT-2")]
    FinWait2,
    #[serde(rename = "CLOSE-WAIT")]
    CloseWait,
    #[serde(rename = "CLOSING")]
    Closing,
    #[serde(rename = "LAST-ACK")]
    LastAck,
    #[serde(rename = "TIME-WAIT")]
    TimeWait,
}

impl State {
    const ALL: [State; 12] = [
        State::Unknown,
        State::Closed,
        State::Listen,
        State::SynSent,
        State::SynReceived,
        State::Established,
        State::FinWait1,
        State::FinWait2,
        State::CloseWait,
        State::Closing,
        State::LastAck,
        State::TimeWait,
    ];

    /// The state whose discriminant (`state as u8`) is `index` (Unknown for none).
    pub fn from_index(index: u8) -> State {
        State::ALL
            .get(usize::from(index))
            .copied()
            .unwrap_or_default()
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct EndpointStates {
    pub client: State,
    pub server: State,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    #[default]
    Client,
    Server,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HandshakeKind {
    ThreeWay,
    SimultaneousOpen,
    Refused,
    NoAnswer,
    /// SYN and SYN/ACK seen, but not the client's ACK.
    Incomplete,
    #[default]
    NotCaptured,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CloseKind {
    FourWay,
    ThreeWay,
    Simultaneous,
    HalfClosed,
    Reset,
    #[default]
    Open,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct HandshakeSummary {
    pub kind: HandshakeKind,
    pub frames: FrameList,
    /// The iRTT in ns, 0 when not known ([`HandshakeSummary::irtt`]); serialised as `irtt`,
    /// in seconds, when known.
    #[serde(
        rename = "irtt",
        skip_serializing_if = "no_irtt",
        serialize_with = "irtt_seconds"
    )]
    pub irtt_ns: i64,
    pub syn_retransmissions: u32,
}

impl HandshakeSummary {
    /// tcp.analysis.initial_rtt in seconds, once the handshake's ACK has been seen.
    pub fn irtt(&self) -> Option<f64> {
        (self.irtt_ns != 0).then(|| self.irtt_ns as f64 / 1e9)
    }
}

fn no_irtt(ns: &i64) -> bool {
    *ns == 0
}

fn irtt_seconds<S: serde::Serializer>(ns: &i64, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64(*ns as f64 / 1e9)
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct CloseSummary {
    pub kind: CloseKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub initiator: Option<Side>,
    pub frames: FrameList,
    /// For resets: the state of the resetting side when it sent the RST.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reset_state: Option<State>,
}

/// tcp.completeness; serialised as `{value, flags}`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Completeness {
    /// 1 SYN, 2 SYN-ACK, 4 ACK, 8 DATA, 16 FIN, 32 RST.
    pub value: u8,
}

impl Completeness {
    /// Wireshark's flag string, RST first: "R·DASS"-style with "·" for absent bits.
    pub fn flags(&self) -> String {
        [(32, 'R'), (16, 'F'), (8, 'D'), (4, 'A'), (2, 'S'), (1, 'S')]
            .iter()
            .map(|(bit, c)| if self.value & bit != 0 { *c } else { '\u{b7}' })
            .collect()
    }
}

impl Serialize for Completeness {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Completeness", 2)?;
        s.serialize_field("value", &self.value)?;
        s.serialize_field("flags", &self.flags())?;
        s.end()
    }
}

/// Serialises an endpoint as its text, "192.168.0.52:8080" or "[2001:db8::1]:443".
fn endpoint_text<S: serde::Serializer>(e: &Endpoint, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(e)
}

/// Zeek's conn_state: how a connection went, in a word ([`ConnState::as_str`]: "SF", "REJ", ...).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ConnState {
    S0,
    S1,
    Sf,
    Rej,
    S2,
    S3,
    Rsto,
    Rstr,
    Rstos0,
    Rstrh,
    Sh,
    Shr,
    #[default]
    Oth,
}

impl ConnState {
    pub fn as_str(self) -> &'static str {
        match self {
            ConnState::S0 => "S0",
            ConnState::S1 => "S1",
            ConnState::Sf => "SF",
            ConnState::Rej => "REJ",
            ConnState::S2 => "S2",
            ConnState::S3 => "S3",
            ConnState::Rsto => "RSTO",
            ConnState::Rstr => "RSTR",
            ConnState::Rstos0 => "RSTOS0",
            ConnState::Rstrh => "RSTRH",
            ConnState::Sh => "SH",
            ConnState::Shr => "SHR",
            ConnState::Oth => "OTH",
        }
    }
}

impl std::fmt::Display for ConnState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ConnState {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl PartialEq<&str> for ConnState {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// A count each way: packets (a u32: no capture here has 4 billion frames) or bytes.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct Directional<T = u64> {
    pub client_to_server: T,
    pub server_to_client: T,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Connection {
    pub stream: u32,
    #[serde(serialize_with = "endpoint_text")]
    pub client: Endpoint,
    #[serde(serialize_with = "endpoint_text")]
    pub server: Endpoint,
    /// True when no SYN told who opened the connection and a port heuristic chose.
    pub roles_guessed: bool,
    pub packets: Directional<u32>,
    /// TCP payload bytes.
    pub bytes: Directional,
    /// First segment time, epoch seconds.
    pub start: f64,
    pub duration: f64,
    pub completeness: Completeness,
    /// Zeek's conn_state ("SF", "REJ", ...).
    pub conn_state: ConnState,
    pub history: String,
    pub handshake: HandshakeSummary,
    pub close: CloseSummary,
}

/// `a >= b` in sequence space.
fn seq_ge(a: u32, b: u32) -> bool {
    seq_le(b, a)
}

fn syn_only(e: impl Borrow<Event>) -> bool {
    e.borrow().flags & (SYN | ACK) == SYN
}
fn syn_ack(e: impl Borrow<Event>) -> bool {
    e.borrow().flags & (SYN | ACK) == (SYN | ACK)
}

/// Which of the connection's endpoints (`a`, the first sender, or `b`) is the client, and
/// whether a port heuristic had to decide.
fn client_is_a(a_port: u16, b_port: u16, events: &Events) -> (bool, bool) {
    for e in events.iter() {
        if syn_only(e) {
            return (e.from_a, false);
        }
        if syn_ack(e) {
            return (!e.from_a, false);
        }
    }
    // No SYN seen: the lower (usually well-known) port is the server's.
    (b_port <= a_port, true)
}

/// The sequence number after a SYN or FIN segment.
fn end_of(e: impl Borrow<Event>) -> u32 {
    let e = e.borrow();
    e.seq.wrapping_add(e.len).wrapping_add(1)
}

/// RFC 9293 states after each event, as the capture point saw it: a segment on the wire is
/// taken as sent by one endpoint and received by the other at once. Index 0 = client.
fn infer_states(events: &Events, client_a: bool, out: &mut Vec<EndpointStates>) {
    let starts_with_syn = events
        .first()
        .is_some_and(|e| syn_only(e) && e.from_a == client_a);
    let mut st = if starts_with_syn {
        [State::Closed, State::Listen]
    } else {
        [State::Unknown; 2]
    };
    let mut syn_end: [Option<u32>; 2] = [None; 2];
    let mut fin_end: [Option<u32>; 2] = [None; 2];
    out.clear();
    out.reserve(events.len());
    for e in events.iter() {
        let s = if e.from_a == client_a { 0 } else { 1 };
        let r = 1 - s;
        let (syn, ack, fin, rst) = (
            e.flags & SYN != 0,
            e.flags & ACK != 0,
            e.flags & FIN != 0,
            e.flags & RST != 0,
        );
        if rst {
            st = [State::Closed; 2];
            out.push(EndpointStates {
                client: st[0],
                server: st[1],
            });
            continue;
        }
        if syn {
            syn_end[s] = Some(end_of(e).wrapping_sub(e.len));
            let opening = matches!(st[s], State::Unknown | State::Closed | State::Listen);
            if !ack && opening {
                st[s] = State::SynSent;
            } else if ack && (opening || st[s] == State::SynSent) {
                st[s] = State::SynReceived;
            }
            st[r] = match (st[r], ack) {
                (State::Unknown | State::Closed | State::Listen | State::SynSent, false) => {
                    State::SynReceived
                }
                (State::Unknown | State::SynSent | State::SynReceived, true) => State::Established,
                (other, _) => other,
            };
        }
        if ack {
            if st[r] == State::SynReceived && syn_end[r].is_none_or(|end| seq_ge(e.ack, end)) {
                st[r] = State::Established;
            }
            if let Some(end) = fin_end[r] {
                if seq_ge(e.ack, end) {
                    st[r] = match st[r] {
                        State::FinWait1 => State::FinWait2,
                        State::Closing => State::TimeWait,
                        State::LastAck => State::Closed,
                        other => other,
                    };
                }
            }
            if !syn {
                // Mid-connection evidence: both ends are synchronised.
                for side in [s, r] {
                    if st[side] == State::Unknown {
                        st[side] = State::Established;
                    }
                }
            }
        }
        if fin {
            if fin_end[s].is_none() {
                fin_end[s] = Some(end_of(e));
            }
            // A FIN that does not acknowledge the peer's FIN was sent before that FIN arrived
            // (simultaneous close seen in the other order): the sender ends up CLOSING.
            let peer_fin_unacked = fin_end[r].is_some_and(|end| !(ack && seq_ge(e.ack, end)));
            st[s] = match st[s] {
                State::Unknown | State::SynReceived | State::Established => State::FinWait1,
                State::CloseWait if peer_fin_unacked => State::Closing,
                State::CloseWait => State::LastAck,
                other => other,
            };
            st[r] = match st[r] {
                State::Unknown | State::SynReceived | State::Established => State::CloseWait,
                State::FinWait1 => State::Closing,
                State::FinWait2 => State::TimeWait,
                other => other,
            };
        }
        out.push(EndpointStates {
            client: st[0],
            server: st[1],
        });
    }
}

/// tcp.completeness as tshark 4.0 shows it on a stream's last frame, rules found by comparing
/// with tshark on the shared captures (tests/analysis.test.mjs): the union of what the
/// segments showed, except that the SYN bit counts only when the stream starts with the SYN,
/// the ACK bit needs a segment without data, data on a SYN/ACK and a FIN without ACK do not
/// count, and a stream of a single segment shows at most its SYN bit (tshark adds the first
/// segment's other bits only while showing it in its second pass, so they appear from the
/// second frame on).
fn completeness(events: &Events) -> Completeness {
    let mut value = 0u8;
    if events.first().is_some_and(syn_only) {
        value |= 1;
    }
    if events.len() > 1 {
        for e in events.iter() {
            if syn_ack(e) {
                value |= 2;
            }
            if e.flags & (SYN | ACK) == ACK && e.len == 0 {
                value |= 4;
            }
            if e.len > 0 && !syn_ack(e) {
                value |= 8;
            }
            if e.flags & (FIN | ACK) == FIN | ACK {
                value |= 16;
            }
            if e.flags & RST != 0 {
                value |= 32;
            }
        }
    }
    Completeness { value }
}

/// Zeek's per-endpoint TCP states (TCP_ENDPOINT_*), enough for conn_state.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ZeekEndpoint {
    Inactive,
    SynSent,
    SynAckSent,
    Partial,
    Established,
    Closed,
    Reset,
}

/// What one pass over a connection's segments finds: Zeek's conn_state and history (the client
/// as Zeek's originator), the packets and payload bytes each way, and the segments the
/// handshake's and the close's verdicts start from.
struct Pass {
    conn_state: ConnState,
    history: String,
    packets: Directional<u32>,
    bytes: Directional<u64>,
    marks: Landmarks,
}

/// The segments [`handshake`] and [`close`] start from (found in the one pass that every
/// connection of a capture gets, rather than in a pass each).
#[derive(Default)]
struct Landmarks {
    /// The client's SYNs (without ACK): how many, the first.
    client_syns: u32,
    first_syn: Option<Event>,
    /// The server's first SYN without ACK (simultaneous open), and its first SYN/ACK.
    server_syn: Option<Event>,
    synack: Option<Event>,
    /// Each endpoint's first FIN without RST, by `from_a`.
    fins: [Option<Event>; 2],
    /// The position of the first RST.
    rst: Option<usize>,
}

fn zeek(conn: &Conn, client_a: bool) -> Pass {
    use ZeekEndpoint as Z;
    let mut ep = [Z::Inactive; 2];
    let mut size = [0u64; 2];
    let mut packets = [0u32; 2];
    let mut history = String::new();
    if conn.events.first().is_some_and(|e| e.from_a != client_a) {
        history.push('^');
    }
    let mut seen = [[false; 128]; 2];
    let mut repeats = [[0u32; 2]; 2]; // [side][T, W]
    let mut marks = Landmarks::default();
    for e in conn.events.iter() {
        let s = if e.from_a == client_a { 0 } else { 1 };
        let (syn, ack, fin, rst) = (
            e.flags & SYN != 0,
            e.flags & ACK != 0,
            e.flags & FIN != 0,
            e.flags & RST != 0,
        );
        if syn_only(e) {
            if s == 0 {
                marks.client_syns += 1;
                marks.first_syn.get_or_insert(e);
            } else {
                marks.server_syn.get_or_insert(e);
            }
        } else if syn_ack(e) && s == 1 {
            marks.synack.get_or_insert(e);
        }
        if rst {
            marks.rst.get_or_insert(e.index as usize);
        } else if fin {
            marks.fins[usize::from(e.from_a)].get_or_insert(e);
        }
        size[s] += u64::from(e.len);
        packets[s] = packets[s].saturating_add(1);
        // At most one of each, in Zeek's order (no allocation: this runs for every segment).
        let letters = [
            (syn && (fin || rst), 'Q'),
            (syn, if ack { 'H' } else { 'S' }),
            (fin, 'F'),
            (rst, 'R'),
            (e.len > 0, 'D'),
            (ack && e.len == 0 && !syn && !fin && !rst, 'A'),
        ];
        for letter in letters.into_iter().filter(|(hit, _)| *hit).map(|(_, l)| l) {
            if !std::mem::replace(&mut seen[s][letter as usize], true) {
                history.push(if s == 0 {
                    letter
                } else {
                    letter.to_ascii_lowercase()
                });
            }
        }
        // Retransmissions and zero windows repeat at 1, 10, 100, ... occurrences.
        let retransmitted = e.len > 0
            && (e.analysis.has(Flag::Retransmission)
                || e.analysis.has(Flag::FastRetransmission)
                || e.analysis.has(Flag::SpuriousRetransmission));
        let zero_window = e.window == 0 && !rst;
        for (k, (hit, letter)) in [(retransmitted, 'T'), (zero_window, 'W')]
            .into_iter()
            .enumerate()
        {
            if hit {
                repeats[s][k] += 1;
                let n = repeats[s][k];
                if n == 1 || n == 10 || n == 100 || n == 1000 || n == 10_000 || n == 100_000 {
                    history.push(if s == 0 {
                        letter
                    } else {
                        letter.to_ascii_lowercase()
                    });
                }
            }
        }
        let p = 1 - s;
        if rst {
            ep[s] = Z::Reset;
        } else if syn {
            if ep[s] == Z::Inactive {
                ep[s] = if ack { Z::SynAckSent } else { Z::SynSent };
            }
            if ack && ep[p] == Z::SynSent {
                ep[p] = Z::Established;
            }
        } else {
            if ep[s] == Z::Inactive {
                ep[s] = Z::Partial;
            }
            if ack && matches!(ep[s], Z::SynSent | Z::SynAckSent) {
                ep[s] = Z::Established;
            }
            if ack && matches!(ep[p], Z::SynSent | Z::SynAckSent) {
                ep[p] = Z::Established;
            }
        }
        if fin && ep[s] != Z::Reset {
            ep[s] = Z::Closed;
        }
    }
    let (os, rs) = (ep[0], ep[1]);
    let o_inactive = matches!(os, Z::Inactive | Z::Partial);
    let r_inactive = matches!(rs, Z::Inactive | Z::Partial);
    let state = if rs == Z::Reset {
        if matches!(os, Z::SynSent | Z::SynAckSent) || (os == Z::Reset && size == [0, 0]) {
            ConnState::Rej
        } else if o_inactive {
            ConnState::Rstrh
        } else {
            ConnState::Rstr
        }
    } else if os == Z::Reset {
        if r_inactive {
            // Zeek: history matches /^?S[^HAFGIQ]*R.*/
            let h = history.trim_start_matches('^');
            let after_s = h.strip_prefix('S');
            let rstos0 = after_s.is_some_and(|rest| {
                rest.find('R')
                    .is_some_and(|i| !rest[..i].contains(['H', 'A', 'F', 'G', 'I', 'Q']))
            });
            if rstos0 {
                ConnState::Rstos0
            } else {
                ConnState::Oth
            }
        } else {
            ConnState::Rsto
        }
    } else if rs == Z::Closed && os == Z::Closed {
        ConnState::Sf
    } else if os == Z::Closed {
        if r_inactive {
            ConnState::Sh
        } else {
            ConnState::S2
        }
    } else if rs == Z::Closed {
        if o_inactive {
            ConnState::Shr
        } else {
            ConnState::S3
        }
    } else if os == Z::SynSent && rs == Z::Inactive {
        ConnState::S0
    } else if os == Z::Established && rs == Z::Established {
        ConnState::S1
    } else {
        ConnState::Oth
    };
    Pass {
        conn_state: state,
        history,
        packets: Directional {
            client_to_server: packets[0],
            server_to_client: packets[1],
        },
        bytes: Directional {
            client_to_server: size[0],
            server_to_client: size[1],
        },
        marks,
    }
}

fn handshake(conn: &Conn, client_a: bool, marks: &Landmarks) -> HandshakeSummary {
    let is_client = |e: &Event| e.from_a == client_a;
    let client_syn = |e: &Event| syn_only(e) && is_client(e);
    let Landmarks {
        client_syns,
        first_syn,
        server_syn,
        synack,
        ..
    } = *marks;
    let mut out = HandshakeSummary {
        irtt_ns: conn.initial_rtt_ns,
        syn_retransmissions: client_syns.saturating_sub(1),
        ..HandshakeSummary::default()
    };
    let Some(first_syn) = first_syn else {
        out.kind = HandshakeKind::NotCaptured;
        out.frames = synack
            .map(|e| FrameList::from([e.frame]))
            .unwrap_or_default();
        return out;
    };
    if let Some(peer_syn) = server_syn {
        out.kind = HandshakeKind::SimultaneousOpen;
        out.frames = FrameList::from([first_syn.frame, peer_syn.frame]);
        out.frames.extend(
            conn.events
                .iter()
                .filter(|e| syn_ack(e))
                .map(|e| e.frame)
                .take(2),
        );
        return out;
    }
    if let Some(sa) = synack {
        // The SYN it answers: the last one sent before it.
        let syn = conn
            .events
            .iter()
            .take(sa.index as usize)
            .rev()
            .find(client_syn)
            .unwrap_or(first_syn);
        let ack = conn
            .events
            .from(sa.index as usize + 1)
            .find(|e| is_client(e) && e.flags & (SYN | ACK | RST) == ACK);
        match ack {
            Some(ack) => {
                out.kind = HandshakeKind::ThreeWay;
                out.frames = FrameList::from([syn.frame, sa.frame, ack.frame]);
            }
            None => {
                out.kind = HandshakeKind::Incomplete;
                out.frames = FrameList::from([syn.frame, sa.frame]);
            }
        }
        return out;
    }
    out.frames = conn
        .events
        .iter()
        .filter(client_syn)
        .map(|e| e.frame)
        .collect();
    if let Some(rst) = conn
        .events
        .iter()
        .find(|e| !is_client(e) && e.flags & RST != 0)
    {
        out.kind = HandshakeKind::Refused;
        out.frames.push(rst.frame);
    } else {
        out.kind = HandshakeKind::NoAnswer;
    }
    out
}

fn close(conn: &Conn, client_a: bool, marks: &Landmarks) -> CloseSummary {
    let side = |e: &Event| {
        if e.from_a == client_a {
            Side::Client
        } else {
            Side::Server
        }
    };
    // What is looked for after the first FINs starts from them.
    let Landmarks { fins, rst, .. } = *marks;
    let first_fin = match fins {
        [Some(b), Some(a)] => Some(if a.index < b.index { a } else { b }),
        [one, other] => one.or(other),
    };
    // The close is complete once the second FIN is acknowledged; a RST before that is the end.
    let mut completed_at: Option<u32> = None;
    let mut out = CloseSummary::default();
    if let Some(x_fin) = first_fin {
        let x = x_fin.from_a;
        // The peer's first FIN (after x's, which was the first).
        let y_fin = fins[usize::from(!x)];
        match y_fin {
            Some(y_fin) => {
                let x_end = end_of(x_fin);
                let y_end = end_of(y_fin);
                let final_ack = conn
                    .events
                    .from(y_fin.index as usize + 1)
                    .find(|e| e.from_a == x && e.flags & ACK != 0 && seq_ge(e.ack, y_end));
                completed_at = final_ack.map(|e| e.index);
                let y_acks_x = |e: &Event| e.flags & ACK != 0 && seq_ge(e.ack, x_end);
                let separate_ack = conn
                    .events
                    .from(x_fin.index as usize + 1)
                    .take_while(|e| e.index < y_fin.index)
                    .find(|e| e.from_a != x && y_acks_x(e));
                out.initiator = Some(side(&x_fin));
                if !y_acks_x(&y_fin) && separate_ack.is_none() {
                    out.kind = CloseKind::Simultaneous;
                    out.frames = FrameList::from([x_fin.frame, y_fin.frame]);
                } else if let Some(ack) = separate_ack {
                    out.kind = CloseKind::FourWay;
                    out.frames = FrameList::from([x_fin.frame, ack.frame, y_fin.frame]);
                } else {
                    out.kind = CloseKind::ThreeWay;
                    out.frames = FrameList::from([x_fin.frame, y_fin.frame]);
                }
                out.frames.extend(final_ack.map(|e| e.frame));
            }
            None => {
                out.kind = CloseKind::HalfClosed;
                out.initiator = Some(side(&x_fin));
                out.frames = FrameList::from([x_fin.frame]);
                let x_end = end_of(x_fin);
                if let Some(ack) = conn
                    .events
                    .from(x_fin.index as usize + 1)
                    .find(|e| e.from_a != x && e.flags & ACK != 0 && seq_ge(e.ack, x_end))
                {
                    out.frames.push(ack.frame);
                }
            }
        }
    }
    if let Some(pos) = rst {
        let Some(r) = conn.events.get(pos) else {
            return out;
        };
        if completed_at.is_none_or(|done| r.index < done) {
            let sender = side(&r);
            // The resetting side's state just before it sent the RST.
            let before = pos.checked_sub(1).and_then(|p| conn.events.states(p));
            let state = before.map(|s| {
                if sender == Side::Client {
                    s.client
                } else {
                    s.server
                }
            });
            return CloseSummary {
                kind: CloseKind::Reset,
                initiator: Some(sender),
                frames: FrameList::from([r.frame]),
                reset_state: Some(state.unwrap_or(State::Unknown)),
            };
        }
    }
    out
}

/// A connection with its segments, in capture order.
/// What a connection's summary is made from besides its segments.
#[derive(Clone, Copy, Debug)]
pub struct ConnInputs {
    pub stream: u32,
    /// Sender of the first segment, and its peer.
    pub a: Endpoint,
    pub b: Endpoint,
    /// iRTT in ns (0: not known).
    pub initial_rtt_ns: i64,
    /// tcp.completeness, as [`roles`] found it.
    pub completeness: Completeness,
    /// Times of its first segment and its latest one (the greatest: time can run backwards).
    pub first_ns: i64,
    pub last_ns: i64,
}

struct Conn<'a> {
    inputs: &'a ConnInputs,
    events: Events<'a>,
}

impl std::ops::Deref for Conn<'_> {
    type Target = ConnInputs;

    fn deref(&self) -> &ConnInputs {
        self.inputs
    }
}

/// What the segments' records keep of the summary besides their states: which endpoint is the
/// client, and tcp.completeness.
pub struct Roles {
    pub client_is_a: bool,
    pub completeness: Completeness,
}

/// The roles of a connection from its segments (`events`, in capture order), and in `states`
/// both endpoints' state after each of them; `a_port` and `b_port` are its endpoints' ports
/// (for a guess when no SYN was seen).
pub fn roles(a_port: u16, b_port: u16, events: Events, states: &mut Vec<EndpointStates>) -> Roles {
    let (client_a, _) = client_is_a(a_port, b_port, &events);
    infer_states(&events, client_a, states);
    Roles {
        client_is_a: client_a,
        completeness: completeness(&events),
    }
}

/// The verdicts on a connection from its segments (`events`, in capture order, each with the
/// states [`roles`] found).
pub fn summarize(inputs: &ConnInputs, events: Events) -> Connection {
    let conn = &Conn { inputs, events };
    let (client_a, roles_guessed) = client_is_a(conn.a.port, conn.b.port, &conn.events);
    let (client, server) = if client_a {
        (conn.a, conn.b)
    } else {
        (conn.b, conn.a)
    };
    let first = conn.first_ns;
    let last = conn.last_ns.max(first);
    let Pass {
        conn_state,
        history,
        packets,
        bytes,
        marks,
    } = zeek(conn, client_a);
    Connection {
        stream: conn.stream,
        client,
        server,
        roles_guessed,
        packets,
        bytes,
        start: first as f64 / 1e9,
        duration: last.saturating_sub(first).max(0) as f64 / 1e9,
        completeness: conn.completeness,
        conn_state,
        history,
        handshake: handshake(conn, client_a, &marks),
        close: close(conn, client_a, &marks),
    }
}
