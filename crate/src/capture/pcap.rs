//! Classic pcap: a 24-byte file header, then 16-byte record headers each followed by its bytes.
//!
//! Records are parsed by pcap-file's `PcapParser::next_raw_packet`; the checks pcap-file does
//! not make (a record length no capture could hold, so it is never buffered) are made here
//! before it is called. The "modified" pcap of old Red Hat tcpdump (magic a1b2cd34, 24-byte
//! record headers) is not known to pcap-file and is read here directly.

use super::{
    CaptureInfo, CaptureProblem, Format, Interface, Part, ProblemDetail, ProblemKind, RawFrame,
    Step, Timestamp, MAX_RECORD_LEN,
};
use pcap_file::pcap::{PcapParseError, PcapParser};

#[derive(Default)]
pub(crate) struct PcapState {
    parser: Option<PcapParser>,
    /// Set for the Kuznetzov "modified" format, whose records carry 8 more header bytes.
    modified: bool,
    big_endian: bool,
    nanos: bool,
    link_type: u32,
    snaplen: u32,
    last_ts: Option<Timestamp>,
    pub(crate) frames: u32,
}

/// Wireshark keeps only these bits of the link-type field; the upper ones carry FCS
/// information (LT_LINKTYPE in pcap/pcap.h).
const LINKTYPE_MASK: u32 = 0x03FF_FFFF;

impl PcapState {
    pub(crate) fn step(
        &mut self,
        rest: &[u8],
        offset: u64,
        info: &mut Option<CaptureInfo>,
        on_frame: &mut dyn FnMut(&RawFrame),
        problems: &mut Vec<CaptureProblem>,
    ) -> Step {
        if info.is_none() {
            return self.read_header(rest, info);
        }
        let header_len = if self.modified { 24 } else { 16 };
        let frame = self.frames + 1;
        if rest.len() < header_len {
            return Step::NeedMore {
                needed: header_len as u64,
                what: Part::RecordHeader(frame),
            };
        }
        let u32_at = |i: usize| {
            let b = [rest[i], rest[i + 1], rest[i + 2], rest[i + 3]];
            if self.big_endian {
                u32::from_be_bytes(b)
            } else {
                u32::from_le_bytes(b)
            }
        };
        let (ts_sec, ts_frac, incl_len, orig_len) = (u32_at(0), u32_at(4), u32_at(8), u32_at(12));
        if incl_len > MAX_RECORD_LEN {
            return Step::Fatal(CaptureProblem {
                kind: ProblemKind::Corrupt,
                offset,
                frame: Some(frame),
                detail: ProblemDetail::RecordTooLong {
                    captured: incl_len,
                    max: MAX_RECORD_LEN,
                },
            });
        }
        let total = header_len + incl_len as usize;
        if rest.len() < total {
            return Step::NeedMore {
                needed: total as u64,
                what: Part::Record(frame),
            };
        }
        let data: &[u8] = if self.modified {
            &rest[header_len..total]
        } else {
            let Some(parser) = self.parser.as_ref() else {
                return Step::NeedMore {
                    needed: 24,
                    what: Part::PcapHeader,
                };
            };
            match parser.next_raw_packet(rest) {
                Ok((_, raw)) => match raw.data {
                    std::borrow::Cow::Borrowed(d) => d,
                    // pcap-file borrows from the slice it is given; an owned copy is unexpected
                    // but harmless: take the same bytes from the slice.
                    std::borrow::Cow::Owned(_) => &rest[header_len..total],
                },
                Err(PcapParseError::IncompleteBuffer(needed, _)) => {
                    return Step::NeedMore {
                        needed: needed as u64,
                        what: Part::Record(frame),
                    }
                }
                Err(e) => {
                    return Step::Fatal(CaptureProblem {
                        kind: ProblemKind::Corrupt,
                        offset,
                        frame: Some(frame),
                        detail: ProblemDetail::RecordUnreadable {
                            error: e.to_string(),
                        },
                    })
                }
            }
        };
        // pcap's seconds are unsigned 32-bit (good until 2106); a fraction at or past one
        // second is kept as the file says, carried into the seconds.
        let frac_nanos = if self.nanos {
            u64::from(ts_frac)
        } else {
            u64::from(ts_frac) * 1000
        };
        let ts = Timestamp {
            secs: i64::from(ts_sec) + (frac_nanos / 1_000_000_000) as i64,
            nanos: (frac_nanos % 1_000_000_000) as u32,
        };
        self.frames = frame;
        self.note_oddities(frame, offset, incl_len, orig_len, ts, problems);
        on_frame(&RawFrame {
            number: frame,
            ts,
            has_ts: true,
            ts_digits: if self.nanos { 9 } else { 6 },
            link_type: self.link_type,
            interface: 0,
            orig_len,
            offset: offset + header_len as u64,
            data,
        });
        Step::Consumed(total)
    }

    /// Records that are odd but readable are read as they are, with a warning that says why
    /// the frame looks the way it does.
    fn note_oddities(
        &mut self,
        frame: u32,
        offset: u64,
        incl_len: u32,
        orig_len: u32,
        ts: Timestamp,
        problems: &mut Vec<CaptureProblem>,
    ) {
        let mut warn = |detail: ProblemDetail| {
            super::warn(
                problems,
                CaptureProblem {
                    kind: ProblemKind::Warning,
                    offset,
                    frame: Some(frame),
                    detail,
                },
            )
        };
        if self.snaplen != 0 && incl_len > self.snaplen {
            warn(ProblemDetail::BeyondSnaplen {
                captured: incl_len,
                snaplen: self.snaplen,
            });
        }
        if incl_len > orig_len {
            warn(ProblemDetail::CapturedBeyondWire {
                captured: incl_len,
                on_wire: orig_len,
            });
        }
        let digits = if self.nanos { 9 } else { 6 };
        super::check_time_order(&mut self.last_ts, frame, ts, digits, offset, problems);
    }

    fn read_header(&mut self, rest: &[u8], info: &mut Option<CaptureInfo>) -> Step {
        if rest.len() < 24 {
            return Step::NeedMore {
                needed: 24,
                what: Part::PcapHeader,
            };
        }
        let magic = [rest[0], rest[1], rest[2], rest[3]];
        let (big_endian, nanos, modified) = match magic {
            [0xa1, 0xb2, 0xc3, 0xd4] => (true, false, false),
            [0xd4, 0xc3, 0xb2, 0xa1] => (false, false, false),
            [0xa1, 0xb2, 0x3c, 0x4d] => (true, true, false),
            [0x4d, 0x3c, 0xb2, 0xa1] => (false, true, false),
            [0xa1, 0xb2, 0xcd, 0x34] => (true, false, true),
            _ => (false, false, true), // 34 cd b2 a1: the only other magic routed here
        };
        let u32_at = |i: usize| {
            let b = [rest[i], rest[i + 1], rest[i + 2], rest[i + 3]];
            if big_endian {
                u32::from_be_bytes(b)
            } else {
                u32::from_le_bytes(b)
            }
        };
        let snaplen = u32_at(16);
        self.snaplen = snaplen;
        self.link_type = u32_at(20) & LINKTYPE_MASK;
        self.big_endian = big_endian;
        self.nanos = nanos;
        self.modified = modified;
        if !modified {
            match PcapParser::new(rest) {
                Ok((_, parser)) => self.parser = Some(parser),
                Err(e) => {
                    return Step::Fatal(CaptureProblem {
                        kind: ProblemKind::Corrupt,
                        offset: 0,
                        frame: None,
                        detail: ProblemDetail::PcapHeaderUnreadable {
                            error: e.to_string(),
                        },
                    })
                }
            }
        }
        *info = Some(CaptureInfo {
            format: Format::Pcap,
            gzip: false,
            big_endian,
            interfaces: vec![Interface {
                link_type: self.link_type,
                snaplen,
                ts_digits: if nanos { 9 } else { 6 },
                name: None,
            }],
        });
        Step::Consumed(24)
    }
}
