//! The `tcp-timeline` command line: the same core as the page, for scripts and for testing
//! against tshark.

use std::io::{Read, Seek, SeekFrom, Write};
use std::process::ExitCode;
use tcp_timeline::analysis::{Analysis, Frame, FrameSource, Prepared, Reading, Report, Window};
use tcp_timeline::capture::{ProblemKind, Retain};
use tcp_timeline::cli_json;
use tcp_timeline::decode::media_type;
use tcp_timeline::explain::capture::{format_text, problem_text};
use tcp_timeline::explain::Lang;
use tcp_timeline::follow::{format_bytes, FollowFormat};
use tcp_timeline::ladder::text::printable;
use tcp_timeline::ladder::{self, Ladder, LadderOptions, TimeAxis};
use tcp_timeline::tcp::EndpointWriter;
use tcp_timeline::text::{num, zero_padded};

const USAGE: &str = "\
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
    match command.as_str() {
        "-h" | "--help" | "help" => {
            print!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        "-V" | "--version" => {
            println!("tcp-timeline {}", env!("CARGO_PKG_VERSION"));
            Ok(ExitCode::SUCCESS)
        }
        "frames" | "analyze" => {
            let mut file = None;
            let mut json = false;
            for a in &args[1..] {
                match a.as_str() {
                    "--json" => json = true,
                    s if s.starts_with("--") => {
                        return Err(format!("unknown option {s} (see --help)"))
                    }
                    s => {
                        if file.replace(s.to_string()).is_some() {
                            return Err(format!("{command} takes one FILE (see --help)"));
                        }
                    }
                }
            }
            let file = file.ok_or(format!("{command} needs a FILE (see --help)"))?;
            let report = read(&file)?;
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let written = match (command.as_str(), json) {
                (_, false) if command == "analyze" => write_connections(&mut out, &report),
                _ => {
                    let mut source = frame_source(&file, &report)?;
                    match (command.as_str(), json) {
                        ("frames", true) => cli_json::write_frames(&mut out, &report, &mut *source),
                        ("frames", false) => write_frame_lines(&mut out, &report, &mut *source),
                        _ => cli_json::write_analysis(&mut out, &report, &mut *source),
                    }
                }
            };
            written
                .and_then(|_| out.flush())
                .map_err(|e| format!("cannot write the output: {e}"))?;
            let status = exit_status(&file, &report);
            // The process ends here: freeing a million records one by one would only add
            // time (about 6 % of a run) for memory the system takes back at once.
            std::mem::forget(report);
            Ok(status)
        }
        "memory" => memory(&args[1..]),
        "generate" => generate(&args[1..]),
        "ladder" => ladder(&args[1..]),
        "follow" => follow(&args[1..]),
        other => Err(format!("unknown command {other:?} (see --help)")),
    }
}

/// `memory FILE`: the report's kept bytes, by part.
fn memory(args: &[String]) -> Result<ExitCode, String> {
    let [file] = args else {
        return Err("memory takes one FILE (see --help)".into());
    };
    let report = read(file)?;
    let kept = report.memory();
    let frames = report.frames.len().max(1) as f64;
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
    println!("{} frames\n{out}", report.frames.len());
    Ok(exit_status(file, &report))
}

/// `generate OUT [--frames N] [--seed S] [--pcapng] [--shape ordinary|lossy-download]`.
fn generate(args: &[String]) -> Result<ExitCode, String> {
    let mut options = tcp_timeline::synth::Options::default();
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
                options.shape = tcp_timeline::synth::Shape::parse(name).ok_or(format!(
                    "--shape needs ordinary or lossy-download, not {name:?}"
                ))?;
            }
            s if s.starts_with("--") => return Err(format!("unknown option {s} (see --help)")),
            s => out = Some(s.to_string()),
        }
        i += 1;
    }
    let out = out.ok_or("generate needs an output file (see --help)")?;
    let bytes = tcp_timeline::synth::generate(options);
    std::fs::write(&out, bytes).map_err(|e| format!("{out}: {e}"))?;
    Ok(ExitCode::SUCCESS)
}

/// `ladder FILE [--stream N] [--text|--svg|--mermaid] [--lang en|zh] [--proportional] [--expand]`
fn ladder(args: &[String]) -> Result<ExitCode, String> {
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

/// `follow FILE [--stream N] [--ascii|--hex|--raw]`, in tshark's `-z follow` layout (the
/// server's side indented by a tab).
fn follow(args: &[String]) -> Result<ExitCode, String> {
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
    let followed = tcp_timeline::follow::follow(&report, stream, &mut *source)
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

/// Payload text for a terminal: line ends (LF, and CR before LF) kept, other control
/// characters escaped, so that a payload cannot move the cursor or drive the terminal.
fn printable_lines(text: &str) -> String {
    text.split('\n')
        .map(|line| match line.strip_suffix('\r') {
            Some(body) => format!("{}\r", printable(body)),
            None => printable(line).into_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reads FILE (or standard input) in chunks through the streaming analysis. Frames' bytes are
/// read again from the file when they are shown; standard input cannot be read twice, nor a
/// gzip file's decompressed stream at an offset, so those captures are kept in memory.
fn read(path: &str) -> Result<Report, String> {
    let mut analysis = Analysis::new();
    let input: Box<dyn Read + Send> = if path == "-" {
        analysis.retain(Retain::Always);
        Box::new(std::io::stdin())
    } else {
        analysis.retain(Retain::Gzip);
        let file = std::fs::File::open(path).map_err(|e| format!("{path}: {e}"))?;
        if let Ok(meta) = file.metadata() {
            analysis.expect_bytes(meta.len());
        }
        Box::new(file)
    };
    // Two threads: this one keeps what the other has read (the file's chunks, their frames'
    // headers decoded), batch by batch, in order. Keeping (TCP and HTTP analysis) is the
    // larger half.
    let (reading, mut keeping) = analysis.into_halves();
    let (full, filled) = std::sync::mpsc::sync_channel::<Batch>(2);
    let (empty, emptied) = std::sync::mpsc::channel::<Batch>();
    let reading = std::thread::scope(|scope| {
        let reader = scope.spawn(move || read_batches(input, reading, &full, &emptied));
        for mut batch in filled {
            keeping.reserve();
            for (frame, payload) in batch.frames.drain(..) {
                keeping.keep(frame, &batch.payloads[payload]);
            }
            batch.payloads.clear();
            // Back for another chunk (if the reader has ended, it is simply dropped).
            let _ = empty.send(batch);
        }
        reader.join().expect("reading a capture does not panic")
    })
    .map_err(|e| format!("{path}: {e}"))?;
    Ok(Analysis::from_halves(reading, keeping).finish())
}

/// The frames read from one chunk of the input, their TCP payloads side by side.
#[derive(Default)]
struct Batch {
    frames: Vec<(Prepared, std::ops::Range<usize>)>,
    payloads: Vec<u8>,
}

/// Reads `input` chunk by chunk and sends each chunk's frames, read and prepared by
/// `reading`, to `full` (emptied batches come back on `emptied`), until the input ends,
/// reading stops at a problem or a limit, or nobody takes them.
fn read_batches(
    mut input: Box<dyn Read + Send>,
    mut reading: Reading,
    full: &std::sync::mpsc::SyncSender<Batch>,
    emptied: &std::sync::mpsc::Receiver<Batch>,
) -> std::io::Result<Reading> {
    let mut buf = vec![0u8; 1 << 20];
    let mut batch = Batch::default();
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        reading.read(&buf[..n], |frame, payload| {
            let start = batch.payloads.len();
            batch.payloads.extend_from_slice(payload);
            batch.frames.push((frame, start..batch.payloads.len()));
        });
        if !batch.frames.is_empty() {
            let next = emptied.try_recv().unwrap_or_default();
            if full.send(std::mem::replace(&mut batch, next)).is_err() {
                break;
            }
        }
        if reading.reader().is_stopped() {
            break;
        }
    }
    Ok(reading)
}

/// Where frames' bytes are read again: the capture kept in memory, or the file.
fn frame_source<'a>(path: &str, report: &'a Report) -> Result<Box<dyn FrameSource + 'a>, String> {
    match report.kept() {
        Some(window) => Ok(Box::new(window)),
        None => Ok(Box::new(FileFrames {
            file: std::fs::File::open(path).map_err(|e| format!("{path}: {e}"))?,
            window: Vec::new(),
            start: 0,
        })),
    }
}

/// Frames read again from the capture file through a window of a few MB, so that reading
/// them in file order costs one read per window rather than one per frame.
struct FileFrames {
    file: std::fs::File,
    window: Vec<u8>,
    /// File offset of `window[0]`.
    start: u64,
}

const FILE_WINDOW: usize = 4 << 20;

impl FrameSource for FileFrames {
    fn frame_bytes(&mut self, frame: &Frame) -> std::io::Result<&[u8]> {
        let len = frame.cap_len() as usize;
        let inside =
            frame.offset() >= self.start && frame.end() - self.start <= self.window.len() as u64;
        if !inside {
            self.file.seek(SeekFrom::Start(frame.offset()))?;
            self.window.clear();
            self.window.resize(FILE_WINDOW.max(len), 0);
            let mut filled = 0;
            while filled < self.window.len() {
                match self.file.read(&mut self.window[filled..]) {
                    Ok(0) => break,
                    Ok(n) => filled += n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                }
            }
            self.window.truncate(filled);
            self.start = frame.offset();
        }
        Window {
            start: self.start,
            bytes: &self.window,
        }
        .get(frame)
        .ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                format!(
                    "the file changed while it was read: frame {} is gone",
                    frame.number
                ),
            )
        })
    }
}

/// Reports capture problems on standard error and chooses the exit status.
fn exit_status(path: &str, report: &Report) -> ExitCode {
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

/// tshark's default one-line format: number, relative time, source → destination, protocol,
/// length, info.
fn write_frame_lines(
    out: &mut dyn Write,
    report: &Report,
    source: &mut dyn FrameSource,
) -> std::io::Result<()> {
    // Each line made in one buffer and written whole: `writeln!` into a `dyn Write` passes
    // every piece through core::fmt and a virtual call.
    let mut line = String::new();
    for frame in report.numbered() {
        let row = tcp_timeline::row::build(report, &frame, source.frame_bytes(&frame)?);
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
fn write_connections(out: &mut dyn Write, report: &Report) -> std::io::Result<()> {
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
        for view in streams
            .filter_map(|stream| tcp_timeline::explain::connection::view(self.report, stream))
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
fn fixed6(t: &mut String, x: f64) {
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
    view: &tcp_timeline::explain::connection::ConnectionView,
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
                    t.push_str(&tcp_timeline::explain::incomplete_text(cut, Lang::En));
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

#[cfg(test)]
mod tests {
    use super::{fixed6, printable};

    #[test]
    fn seconds_are_written_as_rust_formats_them() {
        let mut values = vec![
            0.0,
            -0.0,
            0.5e-6,
            1.5e-6,
            2.5e-6,
            1.0000005,
            0.999_999_5,
            999_999_999.999_999_5,
            1e9,
            1e300,
            -1.25,
            f64::MIN_POSITIVE,
            5e-324,
            f64::NAN,
            f64::INFINITY,
        ];
        // Exact ties: k/128 s is 7812.5 × k millionths, half a millionth over for odd k (Rust
        // rounds half to even).
        values.extend((1..2000).step_by(2).map(|k| f64::from(k) / 128.0));
        // Random bit patterns across the range (a fixed xorshift, so the test is the same
        // every run), and values near each millionth.
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            values.push(f64::from_bits(state >> 2)); // from 0 to 2
            values.push(f64::from_bits(state >> 1)); // any non-negative, NaN and infinity
            let micro = (state % 1_000_000_000_000_000) as f64 / 1e6;
            values.push(micro + 5e-7);
            values.push(micro);
        }
        for x in values {
            let mut t = String::new();
            fixed6(&mut t, x);
            assert_eq!(t, format!("{x:.6}"), "{x:e}");
        }
    }

    #[test]
    fn terminal_output_shows_control_characters_as_escapes() {
        assert_eq!(printable("GET / HTTP/1.1"), "GET / HTTP/1.1");
        assert_eq!(
            printable("GET /\u{1b}[2J HTTP/1.1"),
            "GET /\\u{1b}[2J HTTP/1.1"
        );
        assert_eq!(printable("a\rb\u{9b}c"), "a\\rb\\u{9b}c");
    }
}
