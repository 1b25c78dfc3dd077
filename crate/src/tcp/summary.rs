//! Connection verdicts: who is client and server, RFC 9293 states per frame, completeness,
//! Zeek's conn_state/history, handshake and close kinds.
//!
//! Promise: [`summarize`] reads only the events the tracker recorded and never panics.

use super::{ConnWork, Endpoint};
use serde::Serialize;

/// RFC 9293 connection states, plus `Unknown` before the first evidence when the capture
/// starts mid-connection.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
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

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct EndpointStates {
    pub client: State,
    pub server: State,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    #[default]
    Client,
    Server,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
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

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
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
    pub frames: Vec<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub irtt: Option<f64>,
    pub syn_retransmissions: u32,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct CloseSummary {
    pub kind: CloseKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub initiator: Option<Side>,
    pub frames: Vec<u32>,
    /// For resets: the state of the resetting side when it sent the RST.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reset_state: Option<State>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Completeness {
    /// tcp.completeness: 1 SYN, 2 SYN-ACK, 4 ACK, 8 DATA, 16 FIN, 32 RST.
    pub value: u8,
    /// Wireshark's flag string, RST first: "R·DASS"-style with "·" for absent bits.
    pub flags: String,
}

#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct Directional {
    pub client_to_server: u64,
    pub server_to_client: u64,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Connection {
    pub stream: u32,
    pub client: String,
    pub server: String,
    /// True when no SYN told who opened the connection and a port heuristic chose.
    pub roles_guessed: bool,
    pub packets: Directional,
    /// TCP payload bytes.
    pub bytes: Directional,
    /// First segment time, epoch seconds.
    pub start: f64,
    pub duration: f64,
    pub completeness: Completeness,
    pub conn_state: String,
    pub history: String,
    pub handshake: HandshakeSummary,
    pub close: CloseSummary,
}

pub struct Summary {
    pub connection: Connection,
    /// States after each of the connection's events, in event order.
    pub states: Vec<EndpointStates>,
}

pub fn summarize(conn: &ConnWork) -> Summary {
    let (client, server): (Endpoint, Endpoint) = (conn.a, conn.b);
    let connection = Connection {
        stream: conn.stream,
        client: client.to_string(),
        server: server.to_string(),
        ..Connection::default()
    };
    Summary {
        connection,
        states: vec![EndpointStates::default(); conn.events.len()],
    }
}
