//! `ladder FILE`: one TCP connection as a ladder diagram, as text, SVG or Mermaid.

use super::{exit_status, read::read};
use crate::explain::Lang;
use crate::ladder::{self, Ladder, LadderOptions, TimeAxis};
use std::io::Write;
use std::process::ExitCode;

/// `ladder FILE [--stream N] [--text|--svg|--mermaid] [--lang en|zh] [--proportional] [--expand]`
pub fn run(args: &[String]) -> Result<ExitCode, String> {
    #[derive(Clone, Copy)]
    enum Format {
        Text,
        Svg,
        Mermaid,
    }
    let mut file = None;
    let mut stream = 0u32;
    let mut format = Format::Text;
    let mut lang = Lang::En;
    let mut options = LadderOptions::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--text" => format = Format::Text,
            "--svg" => format = Format::Svg,
            "--mermaid" => format = Format::Mermaid,
            "--proportional" => options.time_axis = TimeAxis::Proportional,
            "--expand" => {
                // On the command line every segment is drawn, however many.
                options.expand_data = true;
                options.max_expanded = usize::MAX;
            }
            "--stream" => {
                let n = it.next().ok_or("--stream needs a number (see --help)")?;
                stream = n
                    .parse()
                    .map_err(|_| format!("--stream needs a number, not {n:?}"))?;
            }
            "--lang" => {
                let l = it.next().ok_or("--lang needs en or zh (see --help)")?;
                lang = Lang::parse(l).ok_or(format!("--lang needs en or zh, not {l:?}"))?;
            }
            s if s.starts_with("--") => return Err(format!("unknown option {s} (see --help)")),
            s => {
                if file.replace(s.to_string()).is_some() {
                    return Err("ladder takes one FILE (see --help)".to_string());
                }
            }
        }
    }
    let file = file.ok_or("ladder needs a FILE (see --help)")?;
    let report = read(&file)?;
    let status = exit_status(&file, &report);
    let Some(ladder) = Ladder::build_with(&report, stream, options) else {
        let count = report.tcp.connection_count();
        return Err(format!(
            "{file}: no TCP stream {stream} (the capture has {count} TCP stream{}{})",
            if count == 1 { "" } else { "s" },
            if count > 0 {
                format!(", 0 to {}", count - 1)
            } else {
                String::new()
            }
        ));
    };
    let text = match format {
        Format::Text => ladder::text::render(&ladder, lang),
        Format::Svg => ladder::svg::render(&ladder, lang),
        Format::Mermaid => ladder::mermaid::render(&ladder, lang),
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .map_err(|e| format!("cannot write the output: {e}"))?;
    Ok(status)
}
