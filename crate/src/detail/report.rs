//! One frame's detail tree from a [`Report`]: everything [`FrameContext`] needs beyond the
//! frame's bytes, computed when the frame is opened from the compact records (nothing per
//! frame is kept for the tree): stream positions and times, pushed bytes, the closing side,
//! IP and UDP conversation numbers, the HTTP message a frame completes and its earlier
//! segments.
//!
//! Promise: [`needed_frames`] names every frame whose bytes [`frame_detail`] reads; the work
//! for one frame is proportional to its stream (and, for UDP and IP conversation numbers, to
//! the frames before it), never to a copy of the capture.

use super::{build, http_host, DetailOptions, FrameContext, FrameExtras, Node, WindowScaleShown};
use crate::analysis::{bits, Frame, FrameSource, Report};
use crate::capture::{saturating_ns, Format};
use crate::decode::{self, Decoded};
use crate::http::HttpExchange;
use crate::tcp::{walk, TcpRecord, WindowScale};

/// The frames whose bytes the tree of `frame` needs: the frame; for a frame that completes
/// an HTTP message begun earlier, that message's earlier segments; for a response, the
/// frame of its request (for the request's Host).
pub fn needed_frames(report: &Report, frame: &Frame) -> Vec<Frame> {
    let mut numbers = vec![frame.number];
    numbers.extend(report.http_message_pieces(frame));
    numbers.extend(
        exchanges_of(report, frame)
            .iter()
            .filter(|x| x.request_frame != frame.number)
            .map(|x| x.request_frame),
    );
    numbers.sort_unstable();
    numbers.dedup();
    numbers
        .into_iter()
        .filter_map(|n| report.frame(n))
        .collect()
}

/// The detail tree of `frame`, reading the frames [`needed_frames`] names from `source`.
/// `previous_displayed`: the frame listed before it (for "[Time delta from previous
/// displayed frame]").
pub fn frame_detail(
    report: &Report,
    frame: &Frame,
    source: &mut dyn FrameSource,
    previous_displayed: Option<&Frame>,
    options: &DetailOptions,
) -> std::io::Result<Vec<Node>> {
    with_context(report, frame, source, previous_displayed, &mut |ctx| {
        build(ctx, options)
    })
}

/// Builds `frame`'s [`FrameContext`] (see [`frame_detail`]) and hands it to `visit`.
pub fn with_context<R>(
    report: &Report,
    frame: &Frame,
    source: &mut dyn FrameSource,
    previous_displayed: Option<&Frame>,
    visit: &mut dyn FnMut(&FrameContext) -> R,
) -> std::io::Result<R> {
    let bytes = source.frame_bytes(frame)?.to_vec();
    let link = report.link(frame);
    let orig_len = report.orig_len(frame);
    let decoded = decode::decode_frame(link.link_type, &bytes, Some(orig_len));
    let facts = report.tcp_facts(frame);
    let record = report.tcp_record(frame);
    let http = report.http.frame(frame.number);
    let exchanges = exchanges_of(report, frame);

    // An HTTP message that began in earlier segments: its bytes, from each piece's payload.
    let mut pieces: Vec<(u32, Vec<u8>)> = Vec::new();
    for number in report.http_message_pieces(frame) {
        if let Some(earlier) = report.frame(number) {
            let earlier_bytes = source.frame_bytes(&earlier)?;
            pieces.push((number, payload(report, &earlier, earlier_bytes)));
        }
    }
    if !pieces.is_empty() {
        pieces.push((frame.number, payload(report, frame, &bytes)));
    }
    let reassembled: Vec<u8> = pieces.iter().flat_map(|(_, p)| p.iter().copied()).collect();
    let segments: Vec<(u32, u32)> = pieces.iter().map(|(n, p)| (*n, p.len() as u32)).collect();

    // The Host of the requests this frame answers, for "[Full request URI]".
    let mut hosts: Vec<(u32, String)> = Vec::new();
    for x in exchanges.iter().filter(|x| x.request_frame != frame.number) {
        if let Some(request) = report.frame(x.request_frame) {
            let request_bytes = source.frame_bytes(&request)?;
            let request_decoded = report.decode(&request, request_bytes);
            if let Some(host) = http_host(request_bytes, &request_decoded) {
                hosts.push((x.request_frame, host.to_string()));
            }
        }
    }
    let hosts: Vec<(u32, &str)> = hosts.iter().map(|(n, h)| (*n, h.as_str())).collect();

    let extras = extras(report, frame, record);
    let ts = report.shown_ts(frame);
    let since = |other: Option<&Frame>| other.map_or(0, |o| ts.nanos_since(report.shown_ts(o)));
    let info = report.capture.info.as_ref();
    let interface_name = info
        .and_then(|i| i.interfaces.get(link.interface as usize))
        .and_then(|i| i.name.as_deref());
    let color =
        crate::row::color_rule(report, frame, &decoded).map(|r| (r.name(), r.info().filter));
    let ctx = FrameContext {
        number: frame.number,
        ts: report.ts(frame),
        has_ts: frame.has_ts(),
        ts_digits: link.ts_digits,
        time_relative_ns: ts.nanos_since(report.time_origin().first_ts),
        time_delta_ns: since(
            frame
                .number
                .checked_sub(1)
                .and_then(|n| report.frame(n))
                .as_ref(),
        ),
        time_delta_displayed_ns: since(previous_displayed),
        orig_len,
        link_type: link.link_type,
        interface: link.interface,
        pcapng: info.is_some_and(|i| i.format == Format::Pcapng),
        interface_name,
        bytes: &bytes,
        decoded: &decoded,
        tcp: facts.as_ref(),
        completeness: facts
            .as_ref()
            .and_then(|t| report.tcp.completeness(t.stream)),
        tcp_stream_times: extras
            .tcp_times
            .map(|(a, b)| (i128::from(a), i128::from(b))),
        extras,
        http,
        http_exchanges: &exchanges,
        http_request_hosts: &hosts,
        http_bytes: (!pieces.is_empty()).then_some(reassembled.as_slice()),
        http_segments: &segments,
        http_reassembled_in: report.http_reassembled_in(frame),
        color_rule: color,
    };
    Ok(visit(&ctx))
}

/// The exchanges whose request, response or interim response is in `frame`.
fn exchanges_of<'a>(report: &'a Report, frame: &Frame) -> Vec<HttpExchange<'a>> {
    match report.tcp.stream_of(frame.tcp()) {
        Some(stream) => report.http.exchanges_in_frame(stream, frame.number),
        None => Vec::new(),
    }
}

/// The captured TCP payload of a frame.
fn payload(report: &Report, frame: &Frame, bytes: &[u8]) -> Vec<u8> {
    let decoded: Decoded = report.decode(frame, bytes);
    let Some(seg) = decoded.tcp.as_ref() else {
        return Vec::new();
    };
    let at = seg.payload_offset as usize;
    bytes
        .get(at..at.saturating_add(seg.payload_captured as usize))
        .unwrap_or_default()
        .to_vec()
}

/// What Wireshark shows of a frame beyond its own headers and the tracker's verdicts.
pub fn extras(report: &Report, frame: &Frame, record: Option<&TcpRecord>) -> FrameExtras {
    let mut extras = FrameExtras::default();
    (extras.ip_stream, extras.inner_ip_stream) = report.ip_streams(frame);
    if frame.has(bits::UDP) {
        (extras.udp_stream, extras.udp_times) = report.udp_stream(frame).unzip();
    }
    if let (Some(record), Some((stream, group, at))) = (record, report.stream_position(frame)) {
        tcp_extras(report, (stream, record), group, at, &mut extras);
    }
    extras
}

/// The TCP stream's packet number and times, pushed bytes, the closing side and the window
/// scaling, from the tracker's walk of the stream up to this segment.
fn tcp_extras(
    report: &Report,
    (stream, record): (u32, &TcpRecord),
    group: &[TcpRecord],
    at: usize,
    extras: &mut FrameExtras,
) {
    let ns = |r: &TcpRecord| report.ts_ns(r.frame);
    let first = group.first();
    let previous = at.checked_sub(1).and_then(|p| group.get(p));
    let now = ns(record);
    extras.tcp_times = Some((
        saturating_ns(now - first.map_or(now, ns)),
        saturating_ns(now - previous.map_or(now, ns)),
    ));
    if let Some(place) = walk::place(&report.tcp, stream, at) {
        extras.tcp_stream_packet = Some(place.packet_number);
        extras.push_bytes_sent = place.push_bytes_sent;
        extras.closing = place.closing;
    }
    extras.window_scale =
        report
            .tcp
            .window_scale(stream, record.from_a())
            .map(|scale| match scale {
                WindowScale::Unknown => WindowScaleShown::Unknown,
                WindowScale::NotUsed => WindowScaleShown::NotUsed,
                WindowScale::Shift(s) => WindowScaleShown::Multiplier(1 << u32::from(s.min(14))),
            });
}
