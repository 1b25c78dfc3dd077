//! Reading a capture file (or standard input) for a command: in chunks, on two threads (one
//! reads and decodes, the other keeps the analysis), and reading frames' bytes again later.
//!
//! Promise: the report is what [`crate::analysis::Analysis`] gives for the same bytes in one
//! thread; frames' bytes are read again from the file through a window, in file order, with
//! one read per window.

use crate::analysis::{Analysis, Frame, FrameSource, Prepared, Reading, Report, Window};
use crate::capture::Retain;
use std::io::{Read, Seek, SeekFrom};

/// Reads FILE (or standard input) in chunks through the streaming analysis. Frames' bytes are
/// read again from the file when they are shown; standard input cannot be read twice, nor a
/// gzip file's decompressed stream at an offset, so those captures are kept in memory.
pub fn read(path: &str) -> Result<Report, String> {
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
pub fn frame_source<'a>(
    path: &str,
    report: &'a Report,
) -> Result<Box<dyn FrameSource + 'a>, String> {
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
