//! `follow FILE`: one TCP stream's payload, as tshark's `-z follow,tcp` prints it.

use super::read::{frame_source, read};
use super::{exit_status, text::printable_lines};
use crate::follow::{format_bytes, FollowFormat};
use std::io::Write;
use std::process::ExitCode;

/// `follow FILE [--stream N] [--ascii|--hex|--raw]`, in tshark's `-z follow` layout (the
/// server's side indented by a tab).
pub fn run(args: &[String]) -> Result<ExitCode, String> {
    let mut file = None;
    let mut stream = 0u32;
    let mut format = FollowFormat::Ascii;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--ascii" => format = FollowFormat::Ascii,
            "--hex" => format = FollowFormat::Hex,
            "--raw" => format = FollowFormat::Raw,
            "--stream" => {
                let n = it.next().ok_or("--stream needs a number (see --help)")?;
                stream = n
                    .parse()
                    .map_err(|_| format!("--stream needs a number, not {n:?}"))?;
            }
            s if s.starts_with("--") => return Err(format!("unknown option {s} (see --help)")),
            s => {
                if file.replace(s.to_string()).is_some() {
                    return Err("follow takes one FILE (see --help)".to_string());
                }
            }
        }
    }
    let file = file.ok_or("follow needs a FILE (see --help)")?;
    let report = read(&file)?;
    let status = exit_status(&file, &report);
    let mut source = frame_source(&file, &report)?;
    let followed = crate::follow::follow(&report, stream, &mut *source)
        .map_err(|e| format!("{file}: {e}"))?
        .ok_or_else(|| format!("{file}: no TCP stream {stream}"))?;
    let name = match format {
        FollowFormat::Ascii => "ascii",
        FollowFormat::Hex => "hex",
        FollowFormat::Raw => "raw",
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let (first, second) = if followed.client_is_first {
        (&followed.client, &followed.server)
    } else {
        (&followed.server, &followed.client)
    };
    let mut text = format!(
        "\n===================================================================\nFollow: tcp,{name}\nFilter: tcp.stream eq {stream}\nNode 0: {first}\nNode 1: {second}\n"
    );
    for segment in &followed.segments {
        let indent = if segment.from_first { "" } else { "\t" };
        let body = format_bytes(&segment.bytes, segment.offset, format);
        match format {
            FollowFormat::Ascii => {
                text.push_str(&format!(
                    "{indent}{}\n{}\n",
                    segment.bytes.len(),
                    printable_lines(&body)
                ));
            }
            _ => {
                for line in body.lines() {
                    text.push_str(&format!("{indent}{line}\n"));
                }
            }
        }
    }
    text.push_str("===================================================================\n");
    out.write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .map_err(|e| format!("cannot write the output: {e}"))?;
    Ok(status)
}
