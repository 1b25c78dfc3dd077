//! The command line's text outputs: `frames` (tshark's one-line format) and `analyze` (a block
//! per TCP connection), and payload text made safe for a terminal.
//!
//! Promise: packet-derived text never reaches the terminal as control characters; numbers and
//! times are written as `format!` would write them, without its cost.

use crate::analysis::{FrameSource, Report};
use crate::decode::media_type;
use crate::explain::capture::format_text;
use crate::explain::Lang;
use crate::ladder::text::printable;
use crate::tcp::EndpointWriter;
use crate::text::{num, zero_padded};
use std::io::Write;
/// tshark's default one-line format: number, relative time, source → destination, protocol,
/// length, info.
pub fn write_frame_lines(
    out: &mut dyn Write,
    report: &Report,
    source: &mut dyn FrameSource,
) -> std::io::Result<()> {
    // Each line made in one buffer and written whole: `writeln!` into a `dyn Write` passes
    // every piece through core::fmt and a virtual call.
    let mut line = String::new();
    for frame in report.numbered() {
        let row = crate::row::build(report, &frame, source.frame_bytes(&frame)?);
        line.clear();
        right_aligned(&mut line, itoa::Buffer::new().format(row.number), 5);
        line.push(' ');
        right_aligned(&mut line, &row.time, 11);
        for (before, text) in [
            (" ", row.source.as_str()),
            (" → ", &row.destination),
            (" ", &row.protocol),
        ] {
            line.push_str(before);
            line.push_str(text);
        }
        line.push(' ');
        num(&mut line, row.length);
        line.push(' ');
        line.push_str(&printable(&row.info));
        line.push('\n');
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}

/// `text` right-aligned in `width` characters, as `{:>width$}` pads it.
fn right_aligned(out: &mut String, text: &str, width: usize) {
    out.extend(std::iter::repeat_n(
        ' ',
        width.saturating_sub(text.chars().count()),
    ));
    out.push_str(text);
}

/// One block per TCP connection: endpoints, counts, completeness, handshake and close.
pub fn write_connections(out: &mut dyn Write, report: &Report) -> std::io::Result<()> {
    let format = report
        .capture
        .info
        .as_ref()
        .map(|i| format_text(i, Lang::En));
    let format = format.as_deref().unwrap_or("not a capture");
    writeln!(out, "{} frames, {format}", report.capture.frames)?;
    // Connections are written in blocks, each into a buffer handed over whole (formatting
    // straight into the output would pass every piece through io::Write's adapter). A
    // second thread makes and writes every other block: a summary and its text depend only
    // on the finished report, and the two together are a third of the command's time.
    let count = report.tcp.connection_count() as u32;
    let block = |first: u32| first..count.min(first.saturating_add(BLOCK));
    let (mut even, mut odd) = (Block::new(report), Block::new(report));
    let mut first = 0;
    while first < count {
        let second = first.saturating_add(BLOCK);
        std::thread::scope(|scope| {
            let other = (second < count).then(|| scope.spawn(|| odd.write(block(second))));
            even.write(block(first));
            if let Some(other) = other {
                other
                    .join()
                    .expect("a block's text is made without panicking");
            }
        });
        out.write_all(even.text.as_bytes())?;
        if second < count {
            out.write_all(odd.text.as_bytes())?;
        }
        first = second.saturating_add(BLOCK);
    }
    Ok(())
}

/// Connections per block of `analyze`'s text (a few MB of text).
const BLOCK: u32 = 8192;

/// A block of `analyze`'s text, and what it reuses from one block to the next.
struct Block<'a> {
    report: &'a Report,
    text: String,
    endpoints: EndpointWriter<'a>,
}

impl<'a> Block<'a> {
    fn new(report: &'a Report) -> Self {
        Block {
            report,
            text: String::new(),
            endpoints: EndpointWriter::new(&report.tcp),
        }
    }

    fn write(&mut self, streams: std::ops::Range<u32>) {
        self.text.clear();
        for view in
            streams.filter_map(|stream| crate::explain::connection::view(self.report, stream))
        {
            let places = self.report.tcp.endpoint_places(view.connection.stream);
            write_connection(&mut self.text, &mut self.endpoints, places, &view);
        }
    }
}

/// `x` as `format!("{x:.6}")` writes it. Rust's float formatting is exact but slow (600
/// instructions a number, a twentieth of `analyze`); a time in seconds is a non-negative
/// number well below 2^53 millionths, which is scaled exactly in 128-bit integers and rounded
/// half to even, as Rust rounds the exact binary value. Anything else goes to `format!`.
pub(crate) fn fixed6(t: &mut String, x: f64) {
    const MILLION: u128 = 1_000_000;
    if !(x.is_finite() && x.is_sign_positive() && x < 1e9) {
        use std::fmt::Write as _;
        write!(t, "{x:.6}").expect("writing to a String does not fail");
        return;
    }
    let bits = x.to_bits();
    let (exponent, fraction) = ((bits >> 52) as i32, bits & ((1 << 52) - 1));
    // x = mantissa × 2^power
    let (mantissa, power) = match exponent {
        0 => (fraction, -1074),
        _ => (fraction | 1 << 52, exponent - 1075),
    };
    let scaled = u128::from(mantissa) * MILLION; // < 2^73
    let millionths = if power >= 0 {
        scaled << power // x < 1e9: at most 2^50 × 2^20
    } else if power < -100 {
        0 // below a two-millionth: rounds to 0
    } else {
        let shift = power.unsigned_abs();
        let (whole, rest) = (scaled >> shift, scaled & ((1 << shift) - 1));
        let half = 1 << (shift - 1);
        whole + u128::from(rest > half || (rest == half && whole & 1 == 1))
    };
    num(t, (millionths / MILLION) as u64);
    t.push('.');
    zero_padded(t, (millionths % MILLION) as u32, 6);
}

/// One connection's lines of `analyze`, after a blank line. Numbers go through `itoa` and
/// endpoints through an [`EndpointWriter`]: `write!` took most of the command's time spent
/// on text.
fn write_connection(
    t: &mut String,
    endpoints: &mut EndpointWriter,
    places: Option<[(u32, u16); 2]>,
    view: &crate::explain::connection::ConnectionView,
) {
    let c = &view.connection;
    t.push_str("\nTCP stream ");
    num(t, c.stream);
    t.push_str(": ");
    let [client, server] = places.unwrap_or_default();
    endpoints.write(t, client);
    t.push_str(" → ");
    endpoints.write(t, server);
    if c.roles_guessed {
        t.push_str(" (roles guessed from the ports: no SYN seen)");
    }
    t.push_str("\n  packets  ");
    num(t, c.packets.client_to_server);
    t.push_str(" → / ");
    num(t, c.packets.server_to_client);
    t.push_str(" ←    bytes ");
    num(t, c.bytes.client_to_server);
    t.push_str(" → / ");
    num(t, c.bytes.server_to_client);
    t.push_str(" ←    duration ");
    fixed6(t, c.duration);
    t.push_str(" s\n  completeness ");
    num(t, c.completeness.value);
    t.push_str(" (");
    t.push_str(&c.completeness.flags());
    t.push_str(")    conn_state ");
    t.push_str(c.conn_state.as_str());
    t.push_str("    history ");
    t.push_str(&c.history);
    t.push_str("\n  handshake: ");
    t.push_str(&view.handshake_text);
    t.push_str(" (frames ");
    let frames = |t: &mut String, list: &[u32]| {
        for (i, f) in list.iter().enumerate() {
            if i > 0 {
                t.push_str(", ");
            }
            num(t, *f);
        }
    };
    frames(t, &c.handshake.frames);
    if let Some(irtt) = c.handshake.irtt() {
        t.push_str(", iRTT ");
        fixed6(t, irtt);
        t.push_str(" s");
    }
    t.push_str(")\n");
    for x in &view.http {
        t.push_str("  HTTP ");
        t.push_str(&printable(x.method));
        t.push(' ');
        t.push_str(&printable(x.uri));
        t.push_str(" (frame ");
        num(t, x.request_frame);
        t.push(')');
        match (x.response_frame, x.status, x.time) {
            (Some(frame), Some(status), Some(time)) => {
                t.push_str(" → ");
                num(t, status);
                if let Some(media) = x.content_type {
                    t.push(' ');
                    t.push_str(&printable(&media_type(media)));
                }
                t.push_str(" (frame ");
                num(t, frame);
                t.push_str(") after ");
                fixed6(t, time);
                t.push_str(" s\n");
            }
            (None, Some(status), _) => {
                // A response cut by the capture: what came back, and what is missing.
                t.push_str(" → ");
                num(t, status);
                if let Some(media) = x.content_type {
                    t.push(' ');
                    t.push_str(&printable(&media_type(media)));
                }
                if let Some(cut) = &x.response_incomplete {
                    t.push_str(if cut.head_complete {
                        " (head in frame "
                    } else {
                        " (start line in frame "
                    });
                    num(t, cut.frame);
                    t.push_str("; ");
                    t.push_str(&crate::explain::incomplete_text(cut, Lang::En));
                    t.push(')');
                }
                t.push('\n');
            }
            _ => t.push_str(" → no response captured\n"),
        }
    }
    t.push_str("  close: ");
    t.push_str(&view.close_text);
    t.push_str(" (frames ");
    frames(t, &c.close.frames);
    t.push_str(")\n");
}

/// Payload text for a terminal: line ends (LF, and CR before LF) kept, other control
/// characters escaped, so that a payload cannot move the cursor or drive the terminal.
pub fn printable_lines(text: &str) -> String {
    text.split('\n')
        .map(|line| match line.strip_suffix('\r') {
            Some(body) => format!("{}\r", printable(body)),
            None => printable(line).into_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}
