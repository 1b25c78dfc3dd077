//! What the capture reader could not read, as facts: the kind, where it is, and what was found
//! against what was expected.
//!
//! Promise: a [`CaptureProblem`] holds no sentence; every fact a sentence needs is in its
//! [`ProblemDetail`], and [`crate::explain::capture::problem_text`] words it in English or
//! 简体中文 (the CLI, the JSON and the page say the same thing).

use serde::{Deserialize, Serialize};

/// One thing the reader could not read, or read with a warning.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaptureProblem {
    pub kind: ProblemKind,
    /// Byte offset in the (decompressed) capture where the problem starts.
    pub offset: u64,
    /// The frame that could not be read (the number it would have had), where one was under way.
    pub frame: Option<u32>,
    pub detail: ProblemDetail,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// The file is empty.
    Empty,
    /// Neither pcap nor pcapng (nor gzip of either).
    NotACapture,
    /// The file ends inside a header or a record.
    Truncated,
    /// A structure is malformed; reading stops here.
    Corrupt,
    /// Something was skipped, reading went on.
    Skipped,
    /// A documented limit was reached (too many frames to keep); reading stopped there.
    Limit,
    /// A record is odd but was read (longer than the snapshot length, captured more than
    /// was on the wire, earlier than the frame before it); reading went on.
    Warning,
}

impl ProblemKind {
    /// Whether reading stopped at this problem.
    pub fn is_fatal(self) -> bool {
        !matches!(self, ProblemKind::Skipped | ProblemKind::Warning)
    }
}

/// The part of a capture the reader was reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Part {
    /// The first bytes, which say what the file is.
    MagicNumber,
    PcapHeader,
    /// A pcap record's header, of the frame numbered so.
    RecordHeader(u32),
    /// A pcap record (header and data).
    Record(u32),
    NextRecord,
    SectionHeader,
    /// A pcapng packet block (enhanced, simple or obsolete).
    PacketBlock(u32),
    NextBlock,
}

/// Why a pcapng block's length cannot be.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BadLength {
    /// Below the 12 bytes every block needs.
    TooShort,
    NotMultipleOf4,
    /// Above the largest block read (the limit is in the detail).
    TooLong(u32),
}

/// What was found, with what a sentence about it needs. Texts in it (`error`) are the words of
/// the library that failed (gzip, pcap-file), in English.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProblemDetail {
    /// Nothing at all (`gzip`: nothing once decompressed).
    Empty {
        gzip: bool,
    },
    /// The first bytes are no capture's: they are kept (at most 8) to be shown.
    NotACapture {
        gzip: bool,
        head: Vec<u8>,
    },
    /// A capture's magic number, but fewer bytes than its file header needs.
    HeaderCut {
        have: u64,
    },
    /// The file ends inside `part`, which starts at `at` and needs `needed` bytes of which
    /// `have` are there; `total` bytes were read, `frames` frames before it.
    CutShort {
        gzip: bool,
        total: u64,
        part: Part,
        at: u64,
        needed: u64,
        have: u64,
        frames: u32,
    },
    GzipEndsEarly {
        total: u64,
    },
    GzipDamaged {
        error: String,
    },
    PcapHeaderUnreadable {
        error: String,
    },
    /// A pcap record claims more captured bytes than any capture holds (`max`).
    RecordTooLong {
        captured: u32,
        max: u32,
    },
    RecordUnreadable {
        error: String,
    },
    /// A record holds more bytes than the file's snapshot length.
    BeyondSnaplen {
        captured: u32,
        snaplen: u32,
    },
    /// A record says it captured more than was on the wire.
    CapturedBeyondWire {
        captured: u32,
        on_wire: u32,
    },
    /// A frame is earlier than the one before it, by `earlier_ns` (shown with `digits`).
    TimeBackwards {
        earlier_ns: i128,
        digits: u8,
    },
    /// The warnings stop here: `shown` were described.
    MoreWarnings {
        shown: usize,
    },
    /// A pcapng section header's byte-order magic is neither order's.
    ByteOrderMagic {
        found: [u8; 4],
    },
    BlockLength {
        block_type: u32,
        length: u32,
        why: BadLength,
    },
    /// A block's length at its start and at its end differ.
    BlockTrailer {
        block_type: u32,
        length: u32,
        trailer: u32,
    },
    NoSectionHeader,
    PcapngVersion {
        major: u16,
        minor: u16,
    },
    PacketBlockShort,
    /// A packet block claims more captured bytes than it holds.
    PacketBlockBeyond {
        captured: u32,
    },
    /// A packet block names an interface its section never described.
    UnknownInterface {
        interface: u32,
    },
    SimpleBlockShort,
    /// A simple packet block comes before any interface description.
    SimpleBlockFirst,
    InterfaceShort,
    /// An interface description's option runs past the block.
    InterfaceOption {
        code: u16,
    },
    /// The reader's user stopped reading at `limit` frames, or at the largest offset a frame
    /// record can hold (`frames_limit` false).
    FrameLimit {
        frames_limit: bool,
        limit: u64,
    },
}
