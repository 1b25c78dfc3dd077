//! The command line: each command in a file of its own (`frames` and `analyze` share theirs),
//! reading the capture ([`read`]) and writing text ([`text`]) or JSON ([`json`]). `main.rs`
//! only dispatches: a new command is a file here and one line there.
//!
//! Promise: exit status 0 when the whole capture was read, 1 when nothing could be (with a
//! one-line message), 2 when it was read up to a problem (its frames printed, the problem on
//! standard error); packet-derived text never reaches the terminal as control characters.

pub mod follow;
pub mod generate;
pub mod json;
pub mod ladder;
pub mod memory;
pub mod read;
#[cfg(test)]
mod tests;
pub mod text;

use crate::analysis::Report;
use crate::capture::ProblemKind;
use crate::explain::capture::problem_text;
use crate::explain::Lang;
use std::io::Write;
use std::process::ExitCode;

pub const USAGE: &str = "\
tcp-timeline — read a pcap/pcapng capture and explain its TCP connections

USAGE:
    tcp-timeline frames FILE [--json]     one line per frame (like tshark), or a JSON array
    tcp-timeline analyze FILE [--json]    every TCP connection: handshake, close, states, HTTP;
                                          --json: {capture, frames, connections}
    tcp-timeline memory FILE              what the analysis keeps in memory, by part, in bytes
                                          and bytes per frame
    tcp-timeline generate OUT [--frames N] [--seed S] [--pcapng] [--shape SHAPE]
                                          write a synthetic capture of HTTP/1.1 traffic
                                          (deterministic; for benchmarks and tests); SHAPE:
                                          ordinary (the default mix) or lossy-download
                                          (downloads whose capture missed segments)
    tcp-timeline ladder FILE [--stream N] [--text|--svg|--mermaid] [--lang en|zh]
                                          [--proportional] [--expand]
                                          one connection as a ladder diagram (default: stream 0,
                                          ASCII text, English)
    tcp-timeline follow FILE [--stream N] [--ascii|--hex|--raw]
                                          one TCP stream's payload, both directions in order,
                                          as tshark -q -z follow,tcp,FORMAT,N prints it
    tcp-timeline --help | --version

FILE may be - for standard input. pcap, pcapng, and either one gzip-compressed are read.

EXIT STATUS:
    0  the whole capture was read
    1  nothing could be read (not a capture, empty, unreadable file, bad usage)
    2  the capture was read up to a problem (cut short or damaged); the frames before it
       are printed and the problem is on standard error
";

/// Reports capture problems on standard error and chooses the exit status.
pub fn exit_status(path: &str, report: &Report) -> ExitCode {
    for p in &report.capture.problems {
        eprintln!("tcp-timeline: {path}: {}", problem_text(p, Lang::En));
    }
    match report.capture.stopped_by().map(|p| p.kind) {
        None | Some(ProblemKind::Skipped | ProblemKind::Warning) => ExitCode::SUCCESS,
        Some(ProblemKind::Empty | ProblemKind::NotACapture) => ExitCode::from(1),
        Some(ProblemKind::Truncated | ProblemKind::Corrupt | ProblemKind::Limit) => {
            ExitCode::from(2)
        }
    }
}

/// `frames FILE [--json]` and `analyze FILE [--json]`: one line (or JSON object) per frame;
/// every TCP connection (with `--json`: the capture, every frame and every connection).
pub fn frames_or_analyze(command: &str, args: &[String]) -> Result<ExitCode, String> {
    let mut file = None;
    let mut as_json = false;
    for a in args {
        match a.as_str() {
            "--json" => as_json = true,
            s if s.starts_with("--") => return Err(format!("unknown option {s} (see --help)")),
            s => {
                if file.replace(s.to_string()).is_some() {
                    return Err(format!("{command} takes one FILE (see --help)"));
                }
            }
        }
    }
    let file = file.ok_or(format!("{command} needs a FILE (see --help)"))?;
    let report = read::read(&file)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written = if command == "analyze" && !as_json {
        text::write_connections(&mut out, &report)
    } else {
        let mut source = read::frame_source(&file, &report)?;
        match (command, as_json) {
            ("frames", true) => json::write_frames(&mut out, &report, &mut *source),
            ("frames", false) => text::write_frame_lines(&mut out, &report, &mut *source),
            _ => json::write_analysis(&mut out, &report, &mut *source),
        }
    };
    written
        .and_then(|_| out.flush())
        .map_err(|e| format!("cannot write the output: {e}"))?;
    let status = exit_status(&file, &report);
    // The process ends here: freeing a million records one by one would only add time (about
    // 6 % of a run) for memory the system takes back at once.
    std::mem::forget(report);
    Ok(status)
}
