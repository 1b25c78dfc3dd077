//! The ladder as a self-contained SVG: inline `<style>` (light, dark via
//! `prefers-color-scheme`, and print), no external fonts or resources, `<title>` and `<desc>`,
//! each arrow a focusable `<g>` with a text alternative and its frame number.
//!
//! Every string that may come from a packet goes through [`xml_escape`].

use super::model::{Ladder, PhaseKind, RowItem};
use super::words::{self, Label};
use crate::explain::{self, Lang};
use crate::tcp::{Side, State};
use std::fmt::Write;

/// Text safe inside XML character data and attribute values: `& < > " '` as entities, and
/// characters XML 1.0 forbids (most C0 controls, U+FFFE, U+FFFF) as U+FFFD.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

const WIDTH: f64 = 900.0;
const CLIENT_X: f64 = 250.0;
const SERVER_X: f64 = 630.0;
const TOP: f64 = 150.0;
const ROW: f64 = 52.0;
const PHASE_GAP: f64 = 34.0;
const SLANT: f64 = 14.0;

const STYLE: &str = "
.tl{--fg:#1f2328;--muted:#59636e;--line:#8c959f;--accent:#0969da;--warn:#cf222e;--tw:#fff1b8;--band:#eef1f4;--bg:#ffffff;--phase:#8250df}
@media (prefers-color-scheme: dark){.tl{--fg:#e6edf3;--muted:#9198a1;--line:#6e7681;--accent:#4493f8;--warn:#ff7b72;--tw:#4b3a00;--band:#1c2128;--bg:#0d1117;--phase:#ab7df8}}
@media print{.tl{--fg:#000;--muted:#333;--line:#666;--accent:#000;--warn:#000;--tw:#e8e8e8;--band:#f2f2f2;--bg:#fff;--phase:#000}}
.tl text{fill:var(--fg);font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans','PingFang SC','Microsoft YaHei',sans-serif;font-size:13px}
.tl .bg{fill:var(--bg)}
.tl .muted{fill:var(--muted);font-size:11px}
.tl .mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
.tl .title{font-size:16px;font-weight:600}
.tl .lifeline{stroke:var(--line);stroke-width:2}
.tl .box{fill:var(--band);stroke:var(--line)}
.tl .seg line{stroke:var(--accent);stroke-width:1.6}
.tl .seg.flagged line{stroke:var(--warn);stroke-dasharray:6 3}
.tl .seg .mark{fill:var(--warn);font-size:11px}
.tl .seg .http{font-weight:600}
.tl .seg .hit{fill:transparent}
.tl .seg:focus{outline:none}
.tl .seg:focus .hit,.tl .seg:hover .hit{fill:var(--band);stroke:var(--accent)}
.tl .head{fill:var(--accent)}
.tl .head.warn{fill:var(--warn)}
.tl .state{font-size:11px;font-weight:600}
.tl .tw{fill:var(--tw)}
.tl .band{fill:var(--band);stroke:var(--line);stroke-dasharray:4 3}
.tl .phase{stroke:var(--phase);fill:none;stroke-width:1.5}
.tl .phase-name{fill:var(--phase);font-weight:600}
.tl .gap{fill:var(--muted);font-style:italic;font-size:12px}
";

fn side_x(side: Side) -> f64 {
    match side {
        Side::Client => CLIENT_X,
        Side::Server => SERVER_X,
    }
}

/// One drawn row: its top in pixels.
struct Placed {
    y: f64,
    item: RowItem,
    phase: Option<PhaseKind>,
}

/// Rows in pixels, with room above each phase for its name.
fn place(ladder: &Ladder) -> (Vec<Placed>, Vec<(PhaseKind, f64)>) {
    let mut placed = Vec::with_capacity(ladder.rows.len());
    let mut phase_starts = Vec::new();
    let mut offset = 0.0;
    let mut current: Option<PhaseKind> = None;
    for (i, row) in ladder.rows.iter().enumerate() {
        // A gap belongs to the phase of what follows it.
        let kind = match row.item {
            RowItem::Arrow { index } => ladder.arrows.get(index).map(|a| a.phase),
            RowItem::Band => Some(PhaseKind::Data),
            RowItem::Gap { .. } => ladder.rows.get(i + 1).and_then(|next| match next.item {
                RowItem::Arrow { index } => ladder.arrows.get(index).map(|a| a.phase),
                RowItem::Band => Some(PhaseKind::Data),
                RowItem::Gap { .. } => None,
            }),
        };
        if kind.is_some() && kind != current {
            current = kind;
            offset += PHASE_GAP;
            if let Some(k) = kind {
                phase_starts.push((k, TOP + row.y * ROW + offset));
            }
        }
        placed.push(Placed {
            y: TOP + row.y * ROW + offset,
            item: row.item,
            phase: current,
        });
    }
    (placed, phase_starts)
}

/// The SVG document of one connection.
pub fn render(ladder: &Ladder, lang: Lang) -> String {
    let (placed, phase_starts) = place(ladder);
    let bottom = placed.last().map(|p| p.y + ROW * 1.5).unwrap_or(TOP) + 20.0;
    let height = bottom + 20.0;
    let e = xml_escape;
    let title = words::title(ladder, lang);
    let desc = words::description(ladder, lang);
    let mut s = String::with_capacity(4096 + 700 * ladder.arrows.len());
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"tl\" viewBox=\"0 0 {WIDTH} {height}\" \
         width=\"{WIDTH}\" height=\"{height}\" role=\"group\" aria-labelledby=\"tl-title-{n}\" \
         aria-describedby=\"tl-desc-{n}\" lang=\"{lang}\">\n<title id=\"tl-title-{n}\">{}</title>\n\
         <desc id=\"tl-desc-{n}\">{}</desc>\n<style>{STYLE}</style>\n",
        e(&title),
        e(&desc),
        n = ladder.stream,
        lang = match lang {
            Lang::En => "en",
            Lang::Zh => "zh-Hans",
        },
    );
    let _ = writeln!(
        s,
        "<defs><marker id=\"tl-head-{n}\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" \
         markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\"><path class=\"head\" \
         d=\"M0,0L10,5L0,10z\"/></marker><marker id=\"tl-head-warn-{n}\" viewBox=\"0 0 10 10\" \
         refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" \
         orient=\"auto-start-reverse\"><path class=\"head warn\" d=\"M0,0L10,5L0,10z\"/></marker></defs>",
        n = ladder.stream
    );
    let _ = writeln!(
        s,
        "<rect class=\"bg\" x=\"0\" y=\"0\" width=\"{WIDTH}\" height=\"{height}\"/>"
    );
    let _ = writeln!(
        s,
        "<text class=\"title\" x=\"20\" y=\"28\">{}</text>",
        e(&title)
    );
    let mut note = words::capture_text(ladder, lang);
    if ladder.roles_guessed {
        note.push_str(" · ");
        note.push_str(words::label(Label::RolesGuessed, lang));
    }
    let _ = writeln!(
        s,
        "<text class=\"muted\" x=\"20\" y=\"48\">{}</text>",
        e(&note)
    );

    // Lifeline heads, initial states, lifelines.
    for line in [&ladder.client, &ladder.server] {
        let x = side_x(line.side);
        let _ = writeln!(
            s,
            "<rect class=\"box\" x=\"{}\" y=\"64\" width=\"200\" height=\"42\" rx=\"6\"/>\
             <text x=\"{x}\" y=\"82\" text-anchor=\"middle\">{}</text>\
             <text class=\"mono\" x=\"{x}\" y=\"99\" text-anchor=\"middle\">{}</text>",
            x - 100.0,
            e(explain::side_name(line.side, lang)),
            e(&line.endpoint)
        );
        let _ = writeln!(
            s,
            "<line class=\"lifeline\" x1=\"{x}\" y1=\"106\" x2=\"{x}\" y2=\"{bottom}\"/>"
        );
        if ladder.capture_point == super::model::CapturePoint::At(line.side) {
            let _ = writeln!(
                s,
                "<circle class=\"head\" cx=\"{}\" cy=\"72\" r=\"4\"><title>{}</title></circle>",
                x + 88.0,
                e(&words::capture_text(ladder, lang))
            );
        }
    }
    state_label(&mut s, Side::Client, ladder.client.initial_state, 128.0);
    state_label(&mut s, Side::Server, ladder.server.initial_state, 128.0);

    // TIME-WAIT shading, under the arrows.
    for change in ladder
        .state_changes
        .iter()
        .filter(|c| c.to == State::TimeWait)
    {
        if let Some(y) = row_y(ladder, &placed, change.frame) {
            let x = side_x(change.side);
            let _ = writeln!(
                s,
                "<rect class=\"tw\" x=\"{}\" y=\"{}\" width=\"14\" height=\"{}\"><title>{}</title></rect>",
                x - 7.0,
                y + SLANT,
                (bottom - y - SLANT).max(0.0),
                e(&words::time_wait_text(change.side, lang))
            );
        }
    }

    // Phases: name above, bracket on the right.
    for (i, (kind, start)) in phase_starts.iter().enumerate() {
        let Some(phase) = ladder.phase(*kind) else {
            continue;
        };
        let end = phase_starts
            .get(i + 1)
            .map(|(_, next)| next - PHASE_GAP)
            .unwrap_or(bottom - 20.0);
        let _ = writeln!(
            s,
            "<g role=\"note\"><text class=\"phase-name\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\
             <path class=\"phase\" d=\"M800,{start}H810V{end}H800\"/>\
             <text class=\"phase-name\" x=\"818\" y=\"{}\">{}</text></g>",
            (CLIENT_X + SERVER_X) / 2.0,
            start - 26.0,
            e(&words::phase_title(ladder, phase, lang)),
            (start + end) / 2.0 + 4.0,
            e(words::phase_kind_name(*kind, lang))
        );
    }

    let _ = writeln!(s, "<g role=\"list\">");
    for p in &placed {
        match p.item {
            RowItem::Arrow { index } => {
                let Some(arrow) = ladder.arrows.get(index) else {
                    continue;
                };
                let y = p.y;
                let (x1, x2) = match arrow.from {
                    Side::Client => (CLIENT_X, SERVER_X),
                    Side::Server => (SERVER_X, CLIENT_X),
                };
                let flagged = !arrow.marks.is_empty();
                let summary = words::arrow_summary(arrow, lang);
                let explanation = words::explain_arrow(ladder, arrow, lang).join(" ");
                let _ = write!(
                    s,
                    "<g class=\"seg{}\" role=\"listitem\" tabindex=\"0\" data-frame=\"{}\" aria-label=\"{}\">\
                     <title>{}</title>\
                     <rect class=\"hit\" x=\"10\" y=\"{}\" width=\"780\" height=\"{}\" rx=\"4\"/>\
                     <text class=\"mono muted\" x=\"40\" y=\"{}\" text-anchor=\"end\">{}</text>\
                     <text class=\"mono muted\" x=\"120\" y=\"{}\" text-anchor=\"end\">{}</text>\
                     <line x1=\"{x1}\" y1=\"{y}\" x2=\"{x2}\" y2=\"{}\" marker-end=\"url(#tl-head{}-{})\"/>\
                     <text class=\"mono\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                    if flagged { " flagged" } else { "" },
                    arrow.frame,
                    e(&summary),
                    e(&explanation),
                    y - 20.0,
                    ROW - 2.0,
                    y + 4.0,
                    arrow.frame,
                    y + 4.0,
                    e(&arrow.time_text),
                    y + SLANT,
                    if flagged { "-warn" } else { "" },
                    ladder.stream,
                    (CLIENT_X + SERVER_X) / 2.0,
                    y - 5.0,
                    e(&arrow.label())
                );
                let mut below = Vec::new();
                if let Some(http) = &arrow.http {
                    below.push(format!("<tspan class=\"http\">{}</tspan>", e(http)));
                }
                for mark in &arrow.marks {
                    below.push(format!(
                        "<tspan class=\"mark\">[{}]</tspan>",
                        e(&words::mark_label(mark, lang))
                    ));
                }
                if !below.is_empty() {
                    let _ = write!(
                        s,
                        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                        (CLIENT_X + SERVER_X) / 2.0,
                        y + SLANT + 14.0,
                        below.join(" ")
                    );
                }
                for change in ladder.changes_at(arrow.frame) {
                    let text = words::state_change_text(ladder, change, lang);
                    let _ = write!(
                        s,
                        "<text class=\"state\" x=\"{}\" y=\"{}\" text-anchor=\"{}\">{}<title>{}</title></text>",
                        match change.side {
                            Side::Client => CLIENT_X - 10.0,
                            Side::Server => SERVER_X + 10.0,
                        },
                        y + SLANT + 4.0,
                        match change.side {
                            Side::Client => "end",
                            Side::Server => "start",
                        },
                        explain::state_name(change.to),
                        e(&text)
                    );
                }
                let _ = writeln!(s, "</g>");
            }
            RowItem::Band => {
                let Some(band) = &ladder.band else { continue };
                let text = words::band_text(band, lang);
                let (first, rest) = split_band(&text);
                let _ = writeln!(
                    s,
                    "<g role=\"listitem\" tabindex=\"0\" data-frame=\"{}\" data-last-frame=\"{}\" aria-label=\"{}\">\
                     <rect class=\"band\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\"/>\
                     <text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\
                     <text class=\"muted\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text></g>",
                    band.first_frame,
                    band.last_frame,
                    e(&text),
                    CLIENT_X - 60.0,
                    p.y - 16.0,
                    SERVER_X - CLIENT_X + 120.0,
                    ROW * 2.0 - 12.0,
                    (CLIENT_X + SERVER_X) / 2.0,
                    p.y + 10.0,
                    e(first),
                    (CLIENT_X + SERVER_X) / 2.0,
                    p.y + 30.0,
                    e(rest)
                );
            }
            RowItem::Gap { seconds } => {
                let _ = writeln!(
                    s,
                    "<text class=\"gap\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                    (CLIENT_X + SERVER_X) / 2.0,
                    p.y,
                    e(&words::gap_text(seconds, lang))
                );
            }
        }
        let _ = p.phase;
    }
    let _ = writeln!(s, "</g>");
    let _ = writeln!(
        s,
        "<text class=\"mono muted\" x=\"40\" y=\"{}\" text-anchor=\"end\">{}</text>\
         <text class=\"mono muted\" x=\"120\" y=\"{}\" text-anchor=\"end\">{}</text>",
        TOP - 22.0,
        e(words::label(Label::Frame, lang)),
        TOP - 22.0,
        e(words::label(Label::Time, lang)),
    );
    s.push_str("</svg>\n");
    s
}

fn state_label(s: &mut String, side: Side, state: State, y: f64) {
    let (x, anchor) = match side {
        Side::Client => (CLIENT_X - 10.0, "end"),
        Side::Server => (SERVER_X + 10.0, "start"),
    };
    let _ = writeln!(
        s,
        "<text class=\"state\" x=\"{x}\" y=\"{y}\" text-anchor=\"{anchor}\">{}</text>",
        explain::state_name(state)
    );
}

/// The pixel row of a frame's arrow.
fn row_y(ladder: &Ladder, placed: &[Placed], frame: u32) -> Option<f64> {
    placed.iter().find_map(|p| match p.item {
        RowItem::Arrow { index } if ladder.arrows.get(index)?.frame == frame => Some(p.y),
        _ => None,
    })
}

/// The band's text on two lines: the count, then the figures.
fn split_band(text: &str) -> (&str, &str) {
    for sep in ["：", ": "] {
        if let Some(i) = text.find(sep) {
            return (&text[..i], &text[i + sep.len()..]);
        }
    }
    (text, "")
}
