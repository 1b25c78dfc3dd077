//! The ladder as Mermaid `sequenceDiagram` text, for Markdown that renders Mermaid (GitHub,
//! many blogs): participants, one message per segment, notes for states and phases.
//!
//! Every text goes through [`escape`]: Mermaid reads `;` and `#` as syntax, `%%` starts a
//! comment and `<`/`>` would be taken as HTML, so they become Mermaid's `#code;` entities.

use super::model::{Ladder, PhaseKind, RowItem};
use super::words;
use crate::explain::{self, Lang};
use crate::tcp::Side;
use std::fmt::Write;

/// Text made safe for a Mermaid label: special characters as `#code;` entities, line breaks
/// and other control characters as spaces.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '#' => out.push_str("#35;"),
            ';' => out.push_str("#59;"),
            '%' => out.push_str("#37;"),
            ':' => out.push_str("#58;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '"' => out.push_str("#quot;"),
            '{' => out.push_str("#123;"),
            '}' => out.push_str("#125;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn id(side: Side) -> &'static str {
    match side {
        Side::Client => "C",
        Side::Server => "S",
    }
}

/// The Mermaid text of one connection.
pub fn render(ladder: &Ladder, lang: Lang) -> String {
    let mut out = String::from("sequenceDiagram\n");
    let _ = writeln!(out, "    %% {}", escape(&words::title(ladder, lang)));
    for (side, line) in [
        (Side::Client, &ladder.client),
        (Side::Server, &ladder.server),
    ] {
        let _ = writeln!(
            out,
            "    participant {} as {} {}",
            id(side),
            explain::side_name(side, lang),
            escape(&line.endpoint)
        );
    }
    let _ = writeln!(
        out,
        "    Note over C,S: {}",
        escape(&words::capture_text(ladder, lang))
    );
    let _ = writeln!(
        out,
        "    Note left of C: {}",
        explain::state_name(ladder.client.initial_state)
    );
    let _ = writeln!(
        out,
        "    Note right of S: {}",
        explain::state_name(ladder.server.initial_state)
    );
    let mut phase: Option<PhaseKind> = None;
    let mut enter = |out: &mut String, kind: PhaseKind| {
        if phase != Some(kind) {
            phase = Some(kind);
            if let Some(p) = ladder.phase(kind) {
                let _ = writeln!(
                    out,
                    "    Note over C,S: {}",
                    escape(&words::phase_title(ladder, p, lang))
                );
            }
        }
    };
    for row in &ladder.rows {
        match row.item {
            RowItem::Arrow { index } => {
                let Some(arrow) = ladder.arrows.get(index) else {
                    continue;
                };
                enter(&mut out, arrow.phase);
                let to = match arrow.from {
                    Side::Client => Side::Server,
                    Side::Server => Side::Client,
                };
                let mut label = format!("{}. {}", arrow.frame, escape(&arrow.label()));
                if let Some(http) = &arrow.http {
                    label.push_str("<br/>");
                    label.push_str(&escape(http));
                }
                for mark in &arrow.marks {
                    label.push_str(" [");
                    label.push_str(&escape(&words::mark_label(mark, lang)));
                    label.push(']');
                }
                let _ = writeln!(out, "    {}->>{}: {label}", id(arrow.from), id(to));
                for change in ladder.changes_at(arrow.frame) {
                    let place = match change.side {
                        Side::Client => "left of C",
                        Side::Server => "right of S",
                    };
                    let _ = writeln!(out, "    Note {place}: {}", explain::state_name(change.to));
                }
            }
            RowItem::Band => {
                enter(&mut out, PhaseKind::Data);
                if let Some(band) = &ladder.band {
                    let _ = writeln!(
                        out,
                        "    Note over C,S: {}",
                        escape(&words::band_text(band, lang))
                    );
                }
            }
            RowItem::Gap { seconds } => {
                let _ = writeln!(
                    out,
                    "    Note over C,S: {}",
                    escape(&words::gap_text(seconds, lang))
                );
            }
        }
    }
    out
}
