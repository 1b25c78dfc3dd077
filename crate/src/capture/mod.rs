//! Capture files → raw frames.
//!
//! Promise: [`CaptureReader`] takes a capture in chunks of any size (one byte at a time, a
//! whole file, anything between) and calls back once per frame with the same frames, numbers,
//! timestamps and file offsets whatever the chunking. It never panics on input, never
//! allocates what a length field claims before the bytes are there, and never loses a frame it
//! has read: when it meets something it cannot read it stops, keeps everything before, and says
//! what it found and at which byte offset ([`CaptureProblem`]).
//!
//! Formats: classic pcap (both byte orders, µs and ns, and the "modified" Kuznetzov variant),
//! pcapng (any number of sections and interfaces, EPB/SPB/PB, custom blocks), each optionally
//! gzip-compressed.
//! Detection is by magic bytes only.

mod pcap;
mod pcapng;
mod problem;

pub use pcapng::LINKTYPE_PCAPNG_CUSTOM;
pub use problem::{BadLength, CaptureProblem, Part, ProblemDetail, ProblemKind};

use flate2::write::MultiGzDecoder;
use serde::{Deserialize, Serialize};
use std::io::Write;

/// Wireshark's largest accepted packet (WTAP_MAX_PACKET_SIZE_STANDARD); a record that claims
/// more is treated as corrupt rather than buffered.
pub const MAX_RECORD_LEN: u32 = 262_144;

/// Seconds and nanoseconds since the Unix epoch, as the capture recorded them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Timestamp {
    pub secs: i64,
    pub nanos: u32,
}

impl Timestamp {
    pub fn as_f64(self) -> f64 {
        self.secs as f64 + f64::from(self.nanos) / 1e9
    }

    /// Nanoseconds since the epoch.
    pub fn as_nanos(self) -> i128 {
        i128::from(self.secs) * 1_000_000_000 + i128::from(self.nanos)
    }

    /// Nanoseconds since the epoch in an i64: exact from 1677 to 2262, saturating beyond (an
    /// i128 would double the size, and the alignment, of every record of times).
    pub fn as_nanos_i64(self) -> i64 {
        // In i64 where it surely fits (any nanos, up to 4.3 s, included): i128 arithmetic, and
        // an overflow-checked i64 multiplication, are a library call in wasm (this runs for
        // every TCP segment).
        const SAFE_SECS: i64 = i64::MAX / 1_000_000_000 - 5;
        if (-SAFE_SECS..=SAFE_SECS).contains(&self.secs) {
            return self.secs * 1_000_000_000 + i64::from(self.nanos);
        }
        i64::try_from(self.as_nanos()).unwrap_or(if self.secs < 0 { i64::MIN } else { i64::MAX })
    }

    /// The time `ns` nanoseconds after the epoch.
    pub fn from_nanos_i64(ns: i64) -> Timestamp {
        Timestamp {
            secs: ns.div_euclid(1_000_000_000),
            nanos: ns.rem_euclid(1_000_000_000) as u32,
        }
    }

    /// `self - earlier` in nanoseconds (negative when time runs backwards).
    pub fn nanos_since(self, earlier: Timestamp) -> i128 {
        (i128::from(self.secs) - i128::from(earlier.secs)) * 1_000_000_000 + i128::from(self.nanos)
            - i128::from(earlier.nanos)
    }

    /// Epoch seconds with `digits` decimals (1 to 9), as tshark prints `frame.time_epoch`.
    pub fn format_epoch(self, digits: u8) -> String {
        format_seconds(
            i128::from(self.secs) * 1_000_000_000 + i128::from(self.nanos),
            digits,
        )
    }
}

/// A nanosecond count (a difference of two times) in an i64, saturating at its ends.
pub fn saturating_ns(ns: i128) -> i64 {
    ns.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

/// Formats a signed nanosecond count as seconds with `digits` decimals (truncated, as
/// Wireshark's own time columns are).
pub fn format_seconds(nanos: i128, digits: u8) -> String {
    let digits = digits.min(9);
    let abs = nanos.unsigned_abs();
    let mut out = String::with_capacity(24);
    if nanos < 0 {
        out.push('-');
    }
    // Digits through itoa, not `format!` (every listed frame's time column), and in u64 where
    // the count fits (any time within 584 years): 128-bit division is a library call in
    // WebAssembly.
    let frac = match u64::try_from(abs) {
        Ok(abs) => {
            crate::text::num(&mut out, abs / 1_000_000_000);
            (abs % 1_000_000_000) as u32
        }
        Err(_) => {
            crate::text::num(&mut out, abs / 1_000_000_000);
            (abs % 1_000_000_000) as u32
        }
    };
    if digits > 0 {
        out.push('.');
        let scaled = frac / 10u32.pow(9 - u32::from(digits));
        crate::text::zero_padded(&mut out, scaled, usize::from(digits));
    }
    out
}

/// A date and time of day, "2024-09-18 07:01:32.461594", for `nanos` since the epoch shifted
/// by `offset_minutes` (0 for UTC), with `digits` decimals (truncated).
pub fn format_date_time(nanos: i128, offset_minutes: i32, digits: u8) -> String {
    let local = nanos + i128::from(offset_minutes) * 60_000_000_000;
    let secs = local.div_euclid(1_000_000_000);
    let frac = local.rem_euclid(1_000_000_000);
    let days = secs.div_euclid(86_400);
    let of_day = secs.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let time = format_seconds(frac, digits);
    // `time` is "0.461594": keep its fraction.
    let fraction = time.strip_prefix('0').unwrap_or("");
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}{fraction}",
        of_day / 3600,
        of_day / 60 % 60,
        of_day % 60
    )
}

/// The proleptic Gregorian date (year, month 1-12, day) of a day count since 1970-01-01
/// (Howard Hinnant's algorithm; i128, so that no count an i64 of seconds gives overflows).
pub fn civil_from_days(days: i128) -> (i128, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i128::from(month <= 2);
    (year, month, day)
}

/// The container of a capture.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Pcap,
    Pcapng,
}

/// One interface (pcapng) or the single link of a pcap file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interface {
    pub link_type: u32,
    pub snaplen: u32,
    /// Decimal digits of the timestamps' resolution (6 for µs, 9 for ns).
    pub ts_digits: u8,
    pub name: Option<String>,
}

/// What is known about the file once its header has been read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaptureInfo {
    pub format: Format,
    pub gzip: bool,
    pub big_endian: bool,
    /// Every interface seen, in order (pcap: exactly one).
    pub interfaces: Vec<Interface>,
}

impl CaptureInfo {
    /// Link types in order of first appearance, without repeats.
    pub fn link_types(&self) -> Vec<u32> {
        let mut out: Vec<u32> = Vec::new();
        for i in &self.interfaces {
            if !out.contains(&i.link_type) {
                out.push(i.link_type);
            }
        }
        out
    }

    /// Whether a pcap file's timestamps are in nanoseconds (else microseconds).
    pub fn nanosecond_pcap(&self) -> bool {
        self.format == Format::Pcap && self.interfaces.first().map(|i| i.ts_digits) == Some(9)
    }
}

/// One record of the capture, borrowed from the reader's buffer for the duration of the callback.
#[derive(Clone, Copy, Debug)]
pub struct RawFrame<'a> {
    /// 1-based, in file order.
    pub number: u32,
    pub ts: Timestamp,
    /// False for records that carry no time (pcapng simple packet and custom blocks).
    pub has_ts: bool,
    /// Decimal digits the capture's clock records (6 for µs, 9 for ns).
    pub ts_digits: u8,
    pub link_type: u32,
    pub interface: u32,
    /// Length on the wire.
    pub orig_len: u32,
    /// Offset of the frame's first byte in the (decompressed) capture.
    pub offset: u64,
    pub data: &'a [u8],
}

/// Why reading stopped early, or what was skipped. Always says where.
/// How reading ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaptureEnd {
    pub info: Option<CaptureInfo>,
    pub frames: u32,
    /// Bytes of capture read (decompressed, for gzip).
    pub bytes: u64,
    /// Problems in file order; the last one, if fatal, says where reading stopped.
    pub problems: Vec<CaptureProblem>,
    /// The (decompressed) capture's bytes, when the reader was asked to keep them
    /// ([`CaptureReader::retain`]): frames' `offset`s index into it.
    #[serde(skip)]
    pub retained: Option<Vec<u8>>,
}

impl CaptureEnd {
    /// The problem that stopped reading, if one did.
    pub fn stopped_by(&self) -> Option<&CaptureProblem> {
        self.problems.iter().find(|p| p.kind.is_fatal())
    }
}

const PCAPNG_MAGIC: &[u8] = &[0x0a, 0x0d, 0x0d, 0x0a];

/// pcap (µs and ns, both byte orders, and the "modified" variant), then pcapng.
const MAGICS: [&[u8]; 7] = [
    &[0xa1, 0xb2, 0xc3, 0xd4],
    &[0xd4, 0xc3, 0xb2, 0xa1],
    &[0xa1, 0xb2, 0x3c, 0x4d],
    &[0x4d, 0x3c, 0xb2, 0xa1],
    &[0xa1, 0xb2, 0xcd, 0x34],
    &[0x34, 0xcd, 0xb2, 0xa1],
    PCAPNG_MAGIC,
];

/// The format-specific half of the reader: parses from a contiguous buffer.
enum Container {
    /// Not yet known: waiting for the first bytes.
    Undecided,
    Pcap(pcap::PcapState),
    Pcapng(pcapng::PcapngState),
    /// Stopped: a fatal problem was met; further input is ignored.
    Stopped,
}

/// Outcome of one parse step over the buffered bytes.
pub(crate) enum Step {
    /// A record or block of `consumed` bytes was handled.
    Consumed(usize),
    /// More bytes are needed; the record starting here needs `needed` bytes in all.
    NeedMore { needed: u64, what: Part },
    /// Reading must stop.
    Fatal(CaptureProblem),
}

/// Streaming capture reader. Feed it with [`push`](Self::push), end with [`finish`](Self::finish).
pub struct CaptureReader {
    container: Container,
    info: Option<CaptureInfo>,
    /// Some once the gzip magic was seen: decompresses every pushed chunk.
    gunzip: Option<MultiGzDecoder<Vec<u8>>>,
    /// Whether the first bytes were looked at for the gzip magic.
    sniffed_gzip: bool,
    /// Bytes not yet parsed (a partial record).
    pending: Vec<u8>,
    /// Offset of `pending[0]` in the (decompressed) capture.
    pending_offset: u64,
    frames: u32,
    problems: Vec<CaptureProblem>,
    /// What the partial record at the end of `pending` is waiting for.
    waiting_for: Option<(u64, Part)>,
    retain: Retain,
    /// Every byte of the (decompressed) capture parsed so far, while retaining.
    retained: Option<Vec<u8>>,
}

/// Which captures' bytes the reader keeps, so that frames can be read again later without
/// the file: a page can slice its File again, but not a gzip file's decompressed stream, and a
/// command reading standard input cannot read it twice.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Retain {
    #[default]
    Never,
    /// Only a gzip-compressed capture's decompressed bytes.
    Gzip,
    Always,
}

impl Default for CaptureReader {
    fn default() -> Self {
        Self::new()
    }
}

impl CaptureReader {
    pub fn new() -> Self {
        CaptureReader {
            container: Container::Undecided,
            info: None,
            gunzip: None,
            sniffed_gzip: false,
            pending: Vec::new(),
            pending_offset: 0,
            frames: 0,
            problems: Vec::new(),
            waiting_for: None,
            retain: Retain::Never,
            retained: None,
        }
    }

    /// Keeps the capture's bytes as they are read (see [`Retain`]); call before the first push.
    pub fn retain(&mut self, retain: Retain) {
        self.retain = retain;
        self.retained = (retain == Retain::Always).then(Vec::new);
    }

    /// Whether this reader keeps the bytes it reads.
    pub fn is_retaining(&self) -> bool {
        self.retained.is_some()
    }

    /// The bytes kept so far, while retaining.
    pub fn retained_bytes(&self) -> Option<&[u8]> {
        self.retained.as_deref()
    }

    /// What is known of the file so far (None until its header is read).
    pub fn info(&self) -> Option<&CaptureInfo> {
        self.info.as_ref()
    }

    pub fn frames_read(&self) -> u32 {
        self.frames
    }

    /// Whether reading has stopped on a fatal problem (further input is ignored).
    pub fn is_stopped(&self) -> bool {
        matches!(self.container, Container::Stopped)
    }

    /// Feeds the next chunk of the file; `on_frame` is called for every complete frame in it.
    pub fn push(&mut self, chunk: &[u8], on_frame: &mut dyn FnMut(&RawFrame)) {
        if self.is_stopped() || chunk.is_empty() {
            return;
        }
        if !self.sniffed_gzip {
            // The gzip magic is two bytes; wait for them (a one-byte first chunk is possible).
            self.pending.extend_from_slice(chunk);
            if self.pending.len() < 2 {
                return;
            }
            self.sniffed_gzip = true;
            let head = std::mem::take(&mut self.pending);
            if head[0] == 0x1f && head[1] == 0x8b {
                self.gunzip = Some(MultiGzDecoder::new(Vec::new()));
                if self.retain == Retain::Gzip {
                    self.retained = Some(Vec::new());
                }
                self.push_decompressed(&head, on_frame);
            } else {
                self.parse(&head, on_frame);
            }
            return;
        }
        if self.gunzip.is_some() {
            self.push_decompressed(chunk, on_frame);
        } else {
            self.parse(chunk, on_frame);
        }
    }

    fn push_decompressed(&mut self, chunk: &[u8], on_frame: &mut dyn FnMut(&RawFrame)) {
        let Some(gz) = self.gunzip.as_mut() else {
            return;
        };
        let result = gz.write_all(chunk).and_then(|_| gz.flush());
        let out = std::mem::take(gz.get_mut());
        if !out.is_empty() {
            self.parse(&out, on_frame);
        }
        if let Err(e) = result {
            let offset = self.pending_offset + self.pending.len() as u64;
            self.stop(CaptureProblem {
                kind: ProblemKind::Corrupt,
                offset,
                frame: None,
                detail: ProblemDetail::GzipDamaged {
                    error: e.to_string(),
                },
            });
        }
    }

    /// Stops reading: the caller reached a limit of its own (`detail` says which) at `frame`,
    /// whose bytes start at `offset`. Frames already delivered stay.
    pub fn stop_at_limit(&mut self, offset: u64, frame: u32, detail: ProblemDetail) {
        if !self.is_stopped() {
            self.stop(CaptureProblem {
                kind: ProblemKind::Limit,
                offset,
                frame: Some(frame),
                detail,
            });
        }
    }

    fn stop(&mut self, problem: CaptureProblem) {
        self.problems.push(problem);
        self.container = Container::Stopped;
        self.pending = Vec::new();
    }

    /// Parses as much of `pending ++ chunk` as possible, copying only the records that straddle
    /// chunks: a pending partial record takes from `chunk` just the bytes it still needs, and
    /// the rest of `chunk` is parsed where it lies.
    fn parse(&mut self, chunk: &[u8], on_frame: &mut dyn FnMut(&RawFrame)) {
        if let Some(kept) = self.retained.as_mut() {
            kept.extend_from_slice(chunk);
        }
        let mut at = 0;
        while !self.pending.is_empty() {
            let needed = self.waiting_for.as_ref().map_or(0, |(n, _)| *n);
            let want = usize::try_from(needed)
                .unwrap_or(usize::MAX)
                .saturating_sub(self.pending.len())
                .max(1);
            let take = want.min(chunk.len() - at);
            if take == 0 {
                return;
            }
            self.pending.extend_from_slice(&chunk[at..at + take]);
            at += take;
            let buf = std::mem::take(&mut self.pending);
            let used = self.parse_buffer(&buf, on_frame);
            if self.is_stopped() {
                return;
            }
            self.pending = buf;
            self.pending.drain(..used);
        }
        let rest = &chunk[at..];
        let used = self.parse_buffer(rest, on_frame);
        if !self.is_stopped() {
            self.pending.extend_from_slice(&rest[used..]);
        }
    }

    /// Parses whole records from `buf` (which starts at `pending_offset`); returns the bytes used.
    fn parse_buffer(&mut self, buf: &[u8], on_frame: &mut dyn FnMut(&RawFrame)) -> usize {
        let mut used = 0usize;
        loop {
            let offset = self.pending_offset;
            let rest = &buf[used..];
            let step = match &mut self.container {
                Container::Stopped => return used,
                Container::Undecided => {
                    if rest.len() < 4 {
                        self.waiting_for = Some((4, Part::MagicNumber));
                        return used;
                    }
                    match &rest[..4] {
                        m if m == PCAPNG_MAGIC => {
                            self.container = Container::Pcapng(pcapng::PcapngState::default());
                            continue;
                        }
                        m if MAGICS.contains(&m) => {
                            self.container = Container::Pcap(pcap::PcapState::default());
                            continue;
                        }
                        // Wait for 8 bytes (or the end) so the message names the same bytes
                        // however the file was chunked.
                        _ if rest.len() < 8 => {
                            self.waiting_for = Some((8, Part::MagicNumber));
                            return used;
                        }
                        _ => Step::Fatal(not_a_capture(rest, self.gunzip.is_some())),
                    }
                }
                Container::Pcap(state) => {
                    state.step(rest, offset, &mut self.info, on_frame, &mut self.problems)
                }
                Container::Pcapng(state) => {
                    state.step(rest, offset, &mut self.info, on_frame, &mut self.problems)
                }
            };
            if let Some(info) = self.info.as_mut() {
                info.gzip = self.gunzip.is_some();
            }
            match step {
                Step::Consumed(n) => {
                    used += n;
                    self.pending_offset += n as u64;
                    self.waiting_for = None;
                    if let Container::Pcap(s) = &self.container {
                        self.frames = s.frames;
                    } else if let Container::Pcapng(s) = &self.container {
                        self.frames = s.frames;
                    }
                }
                Step::NeedMore { needed, what } => {
                    self.waiting_for = Some((needed, what));
                    return used;
                }
                Step::Fatal(problem) => {
                    self.stop(problem);
                    return used;
                }
            }
        }
    }

    /// Ends the input: reports an empty file, or a record cut short, and returns the summary.
    pub fn finish(mut self) -> CaptureEnd {
        let total = self.pending_offset + self.pending.len() as u64;
        if let Some(gz) = self.gunzip.as_mut() {
            // A gzip stream that ends early leaves its decoder mid-member; what it produced
            // was already parsed, so the capture-level check below names the cut.
            if gz.try_finish().is_err() && self.problems.is_empty() && self.pending.is_empty() {
                self.problems.push(CaptureProblem {
                    kind: ProblemKind::Truncated,
                    offset: total,
                    frame: None,
                    detail: ProblemDetail::GzipEndsEarly { total },
                });
            }
        }
        if !self.is_stopped() {
            if matches!(self.container, Container::Undecided) && !self.pending.is_empty() {
                // Fewer than 8 bytes and no capture header: a capture cut inside its magic
                // number, or no capture at all.
                let head = &self.pending[..self.pending.len().min(4)];
                if MAGICS.iter().any(|m| m.starts_with(head)) {
                    let have = self.pending.len() as u64;
                    self.problems.push(CaptureProblem {
                        kind: ProblemKind::Truncated,
                        offset: 0,
                        frame: None,
                        detail: ProblemDetail::HeaderCut { have },
                    });
                } else {
                    let p = not_a_capture(&self.pending, self.gunzip.is_some());
                    self.problems.push(p);
                }
            } else if total == 0 && self.pending.is_empty() {
                self.problems.push(CaptureProblem {
                    kind: ProblemKind::Empty,
                    offset: 0,
                    frame: None,
                    detail: ProblemDetail::Empty {
                        gzip: self.gunzip.is_some(),
                    },
                });
            } else if !self.pending.is_empty() {
                let have = self.pending.len() as u64;
                let at = self.pending_offset;
                let (needed, part) = self.waiting_for.unwrap_or((have + 1, Part::NextRecord));
                let frame = if matches!(self.container, Container::Undecided) || self.info.is_none()
                {
                    None
                } else {
                    Some(self.frames + 1)
                };
                self.problems.push(CaptureProblem {
                    kind: ProblemKind::Truncated,
                    offset: at,
                    frame,
                    detail: ProblemDetail::CutShort {
                        gzip: self.gunzip.is_some(),
                        total,
                        part,
                        at,
                        needed,
                        have,
                        frames: self.frames,
                    },
                });
            }
        }
        CaptureEnd {
            info: self.info,
            frames: self.frames,
            bytes: total,
            problems: self.problems,
            retained: self.retained,
        }
    }
}

/// At most this many warnings are kept; the last one says how many more there were.
const MAX_WARNINGS: usize = 100;

/// Adds a warning unless the cap is reached (a capture with a million odd records gets 100
/// sentences, not a million).
fn warn(problems: &mut Vec<CaptureProblem>, problem: CaptureProblem) {
    let warnings = problems
        .iter()
        .filter(|p| p.kind == ProblemKind::Warning)
        .count();
    if warnings < MAX_WARNINGS {
        problems.push(problem);
    } else if warnings == MAX_WARNINGS {
        problems.push(CaptureProblem {
            detail: ProblemDetail::MoreWarnings {
                shown: MAX_WARNINGS,
            },
            ..problem
        });
    }
}

/// Warns when a frame is earlier than the one before it (negative times in the list are then
/// the file's, not ours).
fn check_time_order(
    last: &mut Option<Timestamp>,
    frame: u32,
    ts: Timestamp,
    digits: u8,
    offset: u64,
    problems: &mut Vec<CaptureProblem>,
) {
    if let Some(previous) = last.filter(|&previous| ts < previous) {
        warn(
            problems,
            CaptureProblem {
                kind: ProblemKind::Warning,
                offset,
                frame: Some(frame),
                detail: ProblemDetail::TimeBackwards {
                    earlier_ns: previous.nanos_since(ts),
                    digits,
                },
            },
        );
    }
    *last = Some(ts);
}

fn not_a_capture(bytes: &[u8], gzip: bool) -> CaptureProblem {
    CaptureProblem {
        kind: ProblemKind::NotACapture,
        offset: 0,
        frame: None,
        detail: ProblemDetail::NotACapture {
            gzip,
            head: bytes[..bytes.len().min(8)].to_vec(),
        },
    }
}

/// Reads a whole capture held in memory. Convenience for the CLI and tests.
pub fn read_all(bytes: &[u8], on_frame: &mut dyn FnMut(&RawFrame)) -> CaptureEnd {
    let mut reader = CaptureReader::new();
    reader.push(bytes, on_frame);
    reader.finish()
}

#[cfg(test)]
mod tests;
