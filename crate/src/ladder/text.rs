//! The ladder as plain text, for terminals and plain-text posts: one line per segment between
//! two lifelines drawn with `|`, states written where they change, phases as header lines.
//!
//! Control characters from packets are shown as escapes, so a capture cannot drive the
//! terminal.

use super::model::{Arrow, Ladder, PhaseKind, RowItem};
use super::words::{self, Label};
use crate::explain::{self, Lang};
use crate::tcp::Side;
use std::fmt::Write;

const MIN_LANE: usize = 40;
const MAX_LANE: usize = 72;
const STATE_COLUMN: usize = 13;

/// Display width in a terminal: East Asian wide characters take two columns.
fn width(text: &str) -> usize {
    text.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115f
            | 0x2e80..=0xa4cf
            | 0xac00..=0xd7a3
            | 0xf900..=0xfaff
            | 0xfe30..=0xfe4f
            | 0xff00..=0xff60
            | 0xffe0..=0xffe6 => 2,
            _ => 1,
        })
        .sum()
}

/// Packet-derived text for a terminal: control characters (which could move the cursor or
/// recolour the terminal) are shown as escapes instead. Used by the CLI's other outputs too.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

/// Cuts `text` to at most `max` columns, ending with "…" when cut.
fn fit(text: &str, max: usize) -> String {
    if width(text) <= max {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        if width(&out) + width(&c.to_string()) + 1 > max {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

fn pad_left(text: &str, columns: usize) -> String {
    format!("{}{text}", " ".repeat(columns.saturating_sub(width(text))))
}

fn pad_right(text: &str, columns: usize) -> String {
    format!("{text}{}", " ".repeat(columns.saturating_sub(width(text))))
}

fn center(text: &str, columns: usize) -> String {
    let free = columns.saturating_sub(width(text));
    format!(
        "{}{text}{}",
        " ".repeat(free / 2),
        " ".repeat(free - free / 2)
    )
}

struct Layout {
    lane: usize,
}

impl Layout {
    /// "    1  0.000000   SYN-SENT |---- SYN ---->| SYN-RECEIVED"
    fn line(&self, frame: &str, time: &str, client: &str, lane: &str, server: &str) -> String {
        let line = format!(
            "{}  {} {} |{}| {}",
            pad_left(frame, 5),
            pad_right(time, 10),
            pad_left(client, STATE_COLUMN),
            lane,
            server
        );
        line.trim_end().to_string()
    }

    fn arrow_lane(&self, arrow: &Arrow) -> String {
        let label = fit(&arrow.label(), self.lane - 6);
        let fill = self.lane - 4 - width(&label);
        match arrow.from {
            Side::Client => format!("-- {label} {}>", "-".repeat(fill - 1)),
            Side::Server => format!("<{} {label} --", "-".repeat(fill - 1)),
        }
    }
}

/// The ASCII ladder of one connection.
pub fn render(ladder: &Ladder, lang: Lang) -> String {
    let labels = ladder.arrows.iter().map(|a| width(&a.label()) + 6);
    let lane = labels.max().unwrap_or(0).clamp(MIN_LANE, MAX_LANE);
    let layout = Layout { lane };
    let mut out = String::new();
    let _ = writeln!(out, "{}", printable(&words::title(ladder, lang)));
    let _ = writeln!(out, "{}", words::capture_text(ladder, lang));
    if ladder.roles_guessed {
        let _ = writeln!(out, "{}", words::label(Label::RolesGuessed, lang));
    }
    let _ = writeln!(out);

    // Two header lines: the column names and sides, then the endpoints.
    for (left, (client, server)) in [
        (
            format!(
                "{}  {}",
                pad_left(words::label(Label::Frame, lang), 5),
                pad_right(words::label(Label::Time, lang), 10)
            ),
            (
                explain::side_name(Side::Client, lang).to_string(),
                explain::side_name(Side::Server, lang).to_string(),
            ),
        ),
        (
            String::new(),
            (
                ladder.client.endpoint.clone(),
                ladder.server.endpoint.clone(),
            ),
        ),
    ] {
        let free = (lane + 2).saturating_sub(width(&client) + width(&server));
        let line = format!(
            "{}{client}{}{server}",
            pad_right(&left, 5 + 2 + 10 + 1 + STATE_COLUMN + 1),
            " ".repeat(free.max(1))
        );
        let _ = writeln!(out, "{}", line.trim_end());
    }
    let _ = writeln!(
        out,
        "{}",
        layout.line(
            "",
            "",
            explain::state_name(ladder.client.initial_state),
            &" ".repeat(lane),
            explain::state_name(ladder.server.initial_state)
        )
    );

    let mut phase: Option<PhaseKind> = None;
    let phase_header = |out: &mut String, kind: PhaseKind| {
        if let Some(p) = ladder.phase(kind) {
            let _ = writeln!(
                out,
                "== {} ==",
                printable(&words::phase_title(ladder, p, lang))
            );
        }
    };
    for row in &ladder.rows {
        match row.item {
            RowItem::Arrow { index } => {
                let Some(arrow) = ladder.arrows.get(index) else {
                    continue;
                };
                if phase != Some(arrow.phase) {
                    phase = Some(arrow.phase);
                    phase_header(&mut out, arrow.phase);
                }
                let state = |side: Side| {
                    ladder
                        .changes_at(arrow.frame)
                        .find(|c| c.side == side)
                        .map(|c| explain::state_name(c.to))
                        .unwrap_or("")
                };
                let _ = writeln!(
                    out,
                    "{}",
                    layout.line(
                        &arrow.frame.to_string(),
                        &arrow.time_text,
                        state(Side::Client),
                        &layout.arrow_lane(arrow),
                        state(Side::Server),
                    )
                );
                let mut notes: Vec<String> = arrow
                    .http
                    .iter()
                    .map(|h| printable(h).into_owned())
                    .collect();
                notes.extend(
                    arrow
                        .marks
                        .iter()
                        .map(|m| format!("[{}]", words::mark_label(m, lang))),
                );
                if !notes.is_empty() {
                    let note = fit(&notes.join(" "), lane - 2);
                    let _ = writeln!(out, "{}", layout.line("", "", "", &center(&note, lane), ""));
                }
            }
            RowItem::Band => {
                if phase != Some(PhaseKind::Data) {
                    phase = Some(PhaseKind::Data);
                    phase_header(&mut out, PhaseKind::Data);
                }
                if let Some(band) = &ladder.band {
                    let _ = writeln!(out, "{}", layout.line("", "", "", &"=".repeat(lane), ""));
                    let _ = writeln!(
                        out,
                        "{}{}",
                        " ".repeat(5 + 2 + 10 + 1 + STATE_COLUMN + 1),
                        words::band_text(band, lang)
                    );
                    let _ = writeln!(out, "{}", layout.line("", "", "", &"=".repeat(lane), ""));
                }
            }
            RowItem::Gap { seconds } => {
                let text = words::gap_text(seconds, lang);
                let _ = writeln!(out, "{}", layout.line("", "", "", &center(&text, lane), ""));
            }
        }
    }
    if ladder.phase(PhaseKind::Close).is_some() {
        let _ = writeln!(out);
        let _ = writeln!(out, "{}", words::close_explanation(ladder, lang));
    }
    out
}
