//! `memory FILE`: what the analysis keeps in memory, by part.

use super::{exit_status, read::read};
use std::process::ExitCode;

/// `memory FILE`: the report's kept bytes, by part.
pub fn run(args: &[String]) -> Result<ExitCode, String> {
    let [file] = args else {
        return Err("memory takes one FILE (see --help)".into());
    };
    let report = read(file)?;
    let kept = report.memory();
    let frames = report.frame_count().max(1) as f64;
    let mut out = String::new();
    let mut line = |part: &str, bytes: usize| {
        out += &format!(
            "{part:<32} {bytes:>13}  {:>7.2} bytes/frame\n",
            bytes as f64 / frames
        );
    };
    for &(part, bytes) in &kept.parts {
        line(part, bytes);
    }
    line("total", kept.total());
    println!("{} frames\n{out}", report.frame_count());
    Ok(exit_status(file, &report))
}
