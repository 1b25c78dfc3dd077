//! A connection as `analyze --json` and the page list it: the tracker's verdicts, its HTTP
//! exchanges, and its handshake and close in words.

use super::Lang;
use crate::analysis::Report;
use crate::http::HttpExchange;
use crate::tcp::Connection;
use serde::Serialize;

/// A connection as the page's conversations table shows it: the tracker's verdicts (the same
/// fields as `analyze --json`), its HTTP exchanges, and the handshake and close in words.
#[derive(Serialize)]
pub struct ConnectionView<'a> {
    #[serde(flatten)]
    pub connection: Connection,
    pub http: Vec<HttpExchange<'a>>,
    /// "three-way", "refused (SYN answered by RST)", ...
    pub handshake_text: String,
    /// "three-way close by client: FIN, FIN+ACK, ACK", "reset by server in ESTABLISHED", ...
    pub close_text: String,
}

/// Every TCP connection with its HTTP exchanges, in stream order (each made when reached: a
/// capture of a hundred thousand connections is written without holding them all).
pub fn views(report: &Report) -> impl Iterator<Item = ConnectionView<'_>> {
    (0..report.tcp.connection_count() as u32).filter_map(|stream| view(report, stream))
}

/// TCP stream `stream` with its HTTP exchanges, its handshake and close in English words.
pub fn view(report: &Report, stream: u32) -> Option<ConnectionView<'_>> {
    let c = report.connection(stream)?;
    Some(ConnectionView {
        http: report.http.exchanges_of_stream(c.stream).collect(),
        handshake_text: super::handshake_text(&c, Lang::En),
        close_text: super::close_text(&c, Lang::En),
        connection: c,
    })
}
