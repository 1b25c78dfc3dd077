//! The command-line shell: parses the command and hands it to [`tcp_timeline::cli`].

use std::process::ExitCode;
use tcp_timeline::cli::{self, USAGE};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("tcp-timeline: {message}");
            ExitCode::from(1)
        }
    }
}

fn run(args: &[String]) -> Result<ExitCode, String> {
    let Some(command) = args.first() else {
        eprint!("{USAGE}");
        return Ok(ExitCode::from(1));
    };
    let rest = &args[1..];
    match command.as_str() {
        "-h" | "--help" | "help" => {
            print!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        "-V" | "--version" => {
            println!("tcp-timeline {}", env!("CARGO_PKG_VERSION"));
            Ok(ExitCode::SUCCESS)
        }
        "frames" | "analyze" => cli::frames_or_analyze(command, rest),
        "memory" => cli::memory::run(rest),
        "generate" => cli::generate::run(rest),
        "ladder" => cli::ladder::run(rest),
        "follow" => cli::follow::run(rest),
        other => Err(format!("unknown command {other:?} (see --help)")),
    }
}
