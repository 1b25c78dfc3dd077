//! Start lines as the rest of the crate reads them (the display filter's fields, the packet
//! details): [`parse_start_line`], over the one recogniser, [`crate::decode::http::start_line`].
//!
//! Promise: [`parse_start_line`] never panics and gives a line's parts as pairing reads them:
//! a request's first three words, a status line's version, code and reason phrase.

use crate::decode::http::{request_parts, response_reason, start_line, StartKind};

/// What a payload's first line is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StartLine {
    Request {
        method: String,
        uri: String,
        version: String,
    },
    Response {
        version: String,
        status: u16,
        reason: String,
    },
}

/// Reads the first line of `payload` as an HTTP/1.x start line, if it is one.
pub fn parse_start_line(payload: &[u8]) -> Option<StartLine> {
    let (line, start) = start_line(payload)?;
    Some(match start {
        StartKind::Request { .. } => {
            let (method, uri, version) = request_parts(line);
            StartLine::Request {
                method: method.into(),
                uri: uri.into(),
                version: version.into(),
            }
        }
        StartKind::Response { status } => StartLine::Response {
            version: line.get(..8).unwrap_or(line).into(),
            status,
            reason: response_reason(line).into(),
        },
    })
}
