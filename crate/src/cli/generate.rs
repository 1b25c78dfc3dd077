//! `generate OUT`: a synthetic capture (see [`crate::synth`]).

use std::process::ExitCode;

/// `generate OUT [--frames N] [--seed S] [--pcapng] [--shape ordinary|lossy-download]`.
pub fn run(args: &[String]) -> Result<ExitCode, String> {
    let mut options = crate::synth::Options::default();
    let mut out = None;
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        let mut number = |name: &str| -> Result<u64, String> {
            i += 1;
            args.get(i)
                .and_then(|v| v.parse().ok())
                .ok_or(format!("{name} needs a number"))
        };
        match arg.as_str() {
            "--frames" => options.frames = number("--frames")? as usize,
            "--seed" => options.seed = number("--seed")?,
            "--pcapng" => options.pcapng = true,
            "--shape" => {
                i += 1;
                let name = args.get(i).map(String::as_str).unwrap_or_default();
                options.shape = crate::synth::Shape::parse(name).ok_or(format!(
                    "--shape needs ordinary or lossy-download, not {name:?}"
                ))?;
            }
            s if s.starts_with("--") => return Err(format!("unknown option {s} (see --help)")),
            s => out = Some(s.to_string()),
        }
        i += 1;
    }
    let out = out.ok_or("generate needs an output file (see --help)")?;
    let bytes = crate::synth::generate(options);
    std::fs::write(&out, bytes).map_err(|e| format!("{out}: {e}"))?;
    Ok(ExitCode::SUCCESS)
}
