//! pcapng: blocks of (type, length, body, length). Sections may change byte order; each
//! interface has its own link type and timestamp resolution.
//!
//! Read here rather than with pcap-file's `PcapNgParser`, which falls short on real captures:
//! it rejects a whole interface description when one option has a wrong size (Wireshark reads
//! such files: gopacket/test008.pcapng), its interface table then no longer matches the file's
//! interface numbers, and it allocates a vector of options for every packet. The block layouts
//! are small and fixed; options are walked tolerantly and only the ones we use are read.
//!
//! Records Wireshark lists as frames are listed as frames here too, so frame numbers agree:
//! packet blocks (EPB, SPB, the obsolete PB) and custom blocks.

use super::{
    BadLength, CaptureInfo, CaptureProblem, Format, Interface, Part, ProblemDetail, ProblemKind,
    RawFrame, Step, Timestamp,
};

/// The largest block accepted (Wireshark's limit is 16 MiB of block body).
const MAX_BLOCK_LEN: u32 = 16 * 1024 * 1024 + 1024;

const SHB: u32 = 0x0A0D_0D0A;
const IDB: u32 = 0x0000_0001;
const PB: u32 = 0x0000_0002;
const SPB: u32 = 0x0000_0003;
const EPB: u32 = 0x0000_0006;
const CB_COPY: u32 = 0x0000_0BAD;
const CB_NO_COPY: u32 = 0x4000_0BAD;

/// Pseudo link type of custom-block records (no link layer: the body is the record).
pub const LINKTYPE_PCAPNG_CUSTOM: u32 = 0xFFFF_0BAD;

/// Timestamp parameters of one interface.
#[derive(Clone, Copy)]
struct Clock {
    /// if_tsresol: true for 2^-resol, false for 10^-resol.
    binary: bool,
    resol: u8,
    /// if_tsoffset, seconds.
    offset_secs: i64,
}

/// 10^0 to 10^9: the units of the decimal clocks that need no more than nanoseconds.
const POW10: [u64; 10] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
    1_000_000_000,
];

impl Clock {
    const MICRO: Clock = Clock {
        binary: false,
        resol: 6,
        offset_secs: 0,
    };

    fn timestamp(self, raw: u64) -> Timestamp {
        // The usual clocks (micro- or nanoseconds, any decimal resolution down to 1 ns) in
        // u64 arithmetic: what the general form below gives, without 128-bit multiplication
        // and division, which are library calls in WebAssembly and run for every frame.
        if !self.binary {
            if let Some(&unit) = POW10.get(usize::from(self.resol)) {
                let secs = i64::try_from(raw / unit).unwrap_or(i64::MAX);
                return Timestamp {
                    secs: secs.saturating_add(self.offset_secs),
                    nanos: ((raw % unit) * (1_000_000_000 / unit)) as u32,
                };
            }
        }
        self.timestamp_any(raw)
    }

    /// [`Clock::timestamp`] for any resolution, in 128-bit arithmetic.
    fn timestamp_any(self, raw: u64) -> Timestamp {
        let nanos: u128 = if self.binary {
            (u128::from(raw) * 1_000_000_000) >> self.resol.min(127)
        } else if self.resol <= 9 {
            u128::from(raw) * 10u128.pow(9 - u32::from(self.resol))
        } else {
            u128::from(raw) / 10u128.pow(u32::from(self.resol.min(38)) - 9)
        };
        let secs = i64::try_from(nanos / 1_000_000_000)
            .unwrap_or(i64::MAX)
            .saturating_add(self.offset_secs);
        Timestamp {
            secs,
            nanos: (nanos % 1_000_000_000) as u32,
        }
    }

    /// Decimal digits worth printing: the resolution's own for decimal clocks; binary
    /// fractions are printed in full (nanoseconds), as tshark does.
    fn digits(self) -> u8 {
        if self.binary {
            9
        } else {
            self.resol.min(9)
        }
    }
}

#[derive(Default)]
pub(crate) struct PcapngState {
    started: bool,
    big_endian: bool,
    /// The current section's interfaces: index in `CaptureInfo::interfaces`, and clock.
    section: Vec<(u32, Clock)>,
    last_ts: Option<Timestamp>,
    pub(crate) frames: u32,
}

impl PcapngState {
    #[inline(always)]
    fn u16_at(&self, b: &[u8], i: usize) -> Option<u16> {
        let s = b.get(i..i + 2)?;
        let a = [s[0], s[1]];
        Some(if self.big_endian {
            u16::from_be_bytes(a)
        } else {
            u16::from_le_bytes(a)
        })
    }

    // Called several times for every packet block; not inlined otherwise (natively nor in
    // WebAssembly), 7 % of reading a pcapng file.
    #[inline(always)]
    fn u32_at(&self, b: &[u8], i: usize) -> Option<u32> {
        let s = b.get(i..i + 4)?;
        let a = [s[0], s[1], s[2], s[3]];
        Some(if self.big_endian {
            u32::from_be_bytes(a)
        } else {
            u32::from_le_bytes(a)
        })
    }

    pub(crate) fn step(
        &mut self,
        rest: &[u8],
        offset: u64,
        info: &mut Option<CaptureInfo>,
        on_frame: &mut dyn FnMut(&RawFrame),
        problems: &mut Vec<CaptureProblem>,
    ) -> Step {
        if rest.len() < 12 {
            return Step::NeedMore {
                needed: 12,
                what: self.next_what(rest),
            };
        }
        let is_shb = rest[0..4] == [0x0a, 0x0d, 0x0d, 0x0a];
        if is_shb {
            // A section header says its own byte order with its byte-order magic.
            self.big_endian = match rest[8..12] {
                [0x1a, 0x2b, 0x3c, 0x4d] => true,
                [0x4d, 0x3c, 0x2b, 0x1a] => false,
                _ => {
                    return Step::Fatal(corrupt(
                        offset,
                        ProblemDetail::ByteOrderMagic {
                            found: [rest[8], rest[9], rest[10], rest[11]],
                        },
                    ))
                }
            };
        }
        let block_type = self.u32_at(rest, 0).unwrap_or(0);
        let block_len = self.u32_at(rest, 4).unwrap_or(0);
        if block_len < 12 || block_len % 4 != 0 || block_len > MAX_BLOCK_LEN {
            let why = if block_len < 12 {
                BadLength::TooShort
            } else if block_len % 4 != 0 {
                BadLength::NotMultipleOf4
            } else {
                BadLength::TooLong(MAX_BLOCK_LEN)
            };
            return Step::Fatal(corrupt(
                offset,
                ProblemDetail::BlockLength {
                    block_type,
                    length: block_len,
                    why,
                },
            ));
        }
        if (rest.len() as u64) < u64::from(block_len) {
            return Step::NeedMore {
                needed: u64::from(block_len),
                what: self.next_what(rest),
            };
        }
        let block = &rest[..block_len as usize];
        let trailer = self.u32_at(block, block.len() - 4).unwrap_or(0);
        if trailer != block_len {
            return Step::Fatal(corrupt(
                offset,
                ProblemDetail::BlockTrailer {
                    block_type,
                    length: block_len,
                    trailer,
                },
            ));
        }
        let body = &block[8..block.len() - 4];
        let consumed = Step::Consumed(block_len as usize);

        if block_type == SHB {
            return self.section_header(body, offset, info).unwrap_or(consumed);
        }
        if !self.started {
            return Step::Fatal(corrupt(offset, ProblemDetail::NoSectionHeader));
        }
        let frame = self.frames + 1;
        match block_type {
            IDB => {
                if let Some(problem) = self.interface_description(body, offset, info) {
                    problems.push(problem);
                }
            }
            EPB | PB => {
                // EPB: interface u32, timestamp (high, low), captured length, original length.
                // PB:  interface u16, drops u16, then the same.
                let interface = if block_type == EPB {
                    self.u32_at(body, 0)
                } else {
                    self.u16_at(body, 0).map(u32::from)
                };
                let fields = (
                    interface,
                    self.u32_at(body, 4),
                    self.u32_at(body, 8),
                    self.u32_at(body, 12),
                    self.u32_at(body, 16),
                );
                let (Some(interface), Some(high), Some(low), Some(cap_len), Some(orig_len)) =
                    fields
                else {
                    problems.push(skipped(offset, ProblemDetail::PacketBlockShort));
                    return consumed;
                };
                let Some(data) = body.get(20..20 + cap_len as usize) else {
                    problems.push(skipped(
                        offset,
                        ProblemDetail::PacketBlockBeyond { captured: cap_len },
                    ));
                    return consumed;
                };
                let Some(&(global, clock)) = self.section.get(interface as usize) else {
                    problems.push(skipped(
                        offset,
                        ProblemDetail::UnknownInterface { interface },
                    ));
                    return consumed;
                };
                let link_type = interface_link_type(info, global);
                let ts = clock.timestamp((u64::from(high) << 32) | u64::from(low));
                super::check_time_order(
                    &mut self.last_ts,
                    frame,
                    ts,
                    clock.digits(),
                    offset,
                    problems,
                );
                self.frames = frame;
                on_frame(&RawFrame {
                    number: frame,
                    ts,
                    has_ts: true,
                    ts_digits: clock.digits(),
                    link_type,
                    interface: global,
                    orig_len,
                    offset: offset + 28,
                    data,
                });
            }
            SPB => {
                let Some(orig_len) = self.u32_at(body, 0) else {
                    problems.push(skipped(offset, ProblemDetail::SimpleBlockShort));
                    return consumed;
                };
                let Some(&(global, clock)) = self.section.first() else {
                    problems.push(skipped(offset, ProblemDetail::SimpleBlockFirst));
                    return consumed;
                };
                // No captured length is stored: the packet is its original length, cut to the
                // snaplen, within the block.
                let snaplen = info
                    .as_ref()
                    .and_then(|i| i.interfaces.get(global as usize))
                    .map_or(0, |i| i.snaplen);
                let mut len = (orig_len as usize).min(body.len() - 4);
                if snaplen > 0 {
                    len = len.min(snaplen as usize);
                }
                self.frames = frame;
                on_frame(&RawFrame {
                    number: frame,
                    ts: Timestamp::default(),
                    has_ts: false,
                    ts_digits: clock.digits(),
                    link_type: interface_link_type(info, global),
                    interface: global,
                    orig_len,
                    offset: offset + 12,
                    data: &body[4..4 + len],
                });
            }
            CB_COPY | CB_NO_COPY => {
                // Wireshark lists a custom block as a frame: its data after the 4-byte PEN.
                let data = body.get(4..).unwrap_or_default();
                self.frames = frame;
                on_frame(&RawFrame {
                    number: frame,
                    ts: Timestamp::default(),
                    has_ts: false,
                    ts_digits: 9,
                    link_type: LINKTYPE_PCAPNG_CUSTOM,
                    interface: 0,
                    orig_len: data.len() as u32,
                    offset: offset + 12,
                    data,
                });
            }
            // Name resolution, interface statistics, decryption secrets, ...: not frames.
            _ => {}
        }
        consumed
    }

    fn section_header(
        &mut self,
        body: &[u8],
        offset: u64,
        info: &mut Option<CaptureInfo>,
    ) -> Option<Step> {
        let major = self.u16_at(body, 4)?;
        if major != 1 {
            let minor = self.u16_at(body, 6).unwrap_or(0);
            return Some(Step::Fatal(corrupt(
                offset,
                ProblemDetail::PcapngVersion { major, minor },
            )));
        }
        self.started = true;
        self.section.clear();
        if info.is_none() {
            *info = Some(CaptureInfo {
                format: Format::Pcapng,
                gzip: false,
                big_endian: self.big_endian,
                interfaces: Vec::new(),
            });
        }
        None
    }

    /// Reads an interface description; options that are malformed are ignored (with a notice),
    /// the interface itself is always kept so packet blocks keep their interface numbers.
    fn interface_description(
        &mut self,
        body: &[u8],
        offset: u64,
        info: &mut Option<CaptureInfo>,
    ) -> Option<CaptureProblem> {
        let info = info.as_mut()?;
        let (Some(link_type), Some(snaplen)) = (self.u16_at(body, 0), self.u32_at(body, 4)) else {
            // Too short to describe anything; keep the numbering with an unknown link type.
            let global = info.interfaces.len() as u32;
            info.interfaces.push(Interface {
                link_type: u32::MAX,
                snaplen: 0,
                ts_digits: 6,
                name: None,
            });
            self.section.push((global, Clock::MICRO));
            return Some(skipped(offset, ProblemDetail::InterfaceShort));
        };
        let mut clock = Clock::MICRO;
        let mut name = None;
        let mut problem = None;
        let mut at = 8usize;
        while let (Some(code), Some(len)) = (self.u16_at(body, at), self.u16_at(body, at + 2)) {
            let len = usize::from(len);
            let Some(value) = body.get(at + 4..at + 4 + len) else {
                problem = Some(skipped(offset, ProblemDetail::InterfaceOption { code }));
                break;
            };
            match (code, value) {
                (0, _) => break,
                (2, v) => {
                    name = Some(
                        String::from_utf8_lossy(v)
                            .trim_end_matches('\0')
                            .to_string(),
                    )
                }
                (9, [r]) => {
                    clock = Clock {
                        binary: r & 0x80 != 0,
                        resol: r & 0x7f,
                        ..clock
                    }
                }
                (14, v) if v.len() == 8 => {
                    let a = [v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]];
                    clock.offset_secs = if self.big_endian {
                        i64::from_be_bytes(a)
                    } else {
                        i64::from_le_bytes(a)
                    };
                }
                _ => {}
            }
            at += 4 + len.div_ceil(4) * 4;
        }
        let global = info.interfaces.len() as u32;
        info.interfaces.push(Interface {
            link_type: u32::from(link_type),
            snaplen,
            ts_digits: clock.digits(),
            name,
        });
        self.section.push((global, clock));
        problem
    }

    fn next_what(&self, rest: &[u8]) -> Part {
        if !self.started {
            return Part::SectionHeader;
        }
        match self.u32_at(rest, 0) {
            Some(EPB | SPB | PB) => Part::PacketBlock(self.frames + 1),
            _ => Part::NextBlock,
        }
    }
}

fn interface_link_type(info: &Option<CaptureInfo>, global: u32) -> u32 {
    info.as_ref()
        .and_then(|i| i.interfaces.get(global as usize))
        .map_or(u32::MAX, |i| i.link_type)
}

fn corrupt(offset: u64, detail: ProblemDetail) -> CaptureProblem {
    CaptureProblem {
        kind: ProblemKind::Corrupt,
        offset,
        frame: None,
        detail,
    }
}

fn skipped(offset: u64, detail: ProblemDetail) -> CaptureProblem {
    CaptureProblem {
        kind: ProblemKind::Skipped,
        offset,
        frame: None,
        detail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks_convert_every_resolution() {
        let micro = Clock::MICRO;
        assert_eq!(micro.timestamp(1_500_000).secs, 1);
        assert_eq!(micro.timestamp(1_500_000).nanos, 500_000_000);
        let binary8 = Clock {
            binary: true,
            resol: 8,
            offset_secs: 0,
        };
        // 1/256 s = 3.90625 ms
        assert_eq!(binary8.timestamp(1).nanos, 3_906_250);
        assert_eq!(binary8.digits(), 9);
        let pico = Clock {
            binary: false,
            resol: 12,
            offset_secs: 10,
        };
        assert_eq!(pico.timestamp(2_000_000_000_000).secs, 12);
        let huge = Clock {
            binary: false,
            resol: 0,
            offset_secs: i64::MAX,
        };
        assert_eq!(huge.timestamp(u64::MAX).secs, i64::MAX);
    }

    #[test]
    fn decimal_clocks_read_as_the_general_form_reads_them() {
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let mut raws = vec![0, 1, 999, 1_000, 999_999, 1_000_000, u64::MAX, u64::MAX - 1];
        raws.extend((0..10).flat_map(|p| {
            let unit = 10u64.pow(p);
            [
                unit - 1,
                unit,
                unit + 1,
                (i64::MAX as u64).saturating_mul(unit),
            ]
        }));
        raws.extend((0..2000).map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x >> (x % 40)
        }));
        for resol in 0..=9 {
            for offset_secs in [0, -3600, 1 << 40, i64::MAX, i64::MIN] {
                let clock = Clock {
                    binary: false,
                    resol,
                    offset_secs,
                };
                for &raw in &raws {
                    assert_eq!(
                        clock.timestamp(raw),
                        clock.timestamp_any(raw),
                        "10^-{resol}, {raw}, offset {offset_secs}"
                    );
                }
            }
        }
    }
}
