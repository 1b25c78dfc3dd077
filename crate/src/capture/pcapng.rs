//! pcapng: blocks of (type, length, body, length). Sections may change byte order; each
//! interface has its own link type and timestamp resolution.
//!
//! Blocks are parsed by pcap-file's `PcapNgParser`. Before a block is handed to it, its length
//! is checked here so that a damaged length is reported, not buffered; a block whose framing is
//! sound but whose content pcap-file rejects is skipped with a notice, and reading goes on.

use super::{CaptureInfo, CaptureProblem, Format, Interface, ProblemKind, RawFrame, Step, Timestamp};
use pcap_file::pcapng::blocks::interface_description::InterfaceDescriptionOption;
use pcap_file::pcapng::blocks::Block;
use pcap_file::pcapng::{PcapNgParseError, PcapNgParser};
use pcap_file::Endianness;

/// The largest block accepted (Wireshark's limit is 16 MiB of block body).
const MAX_BLOCK_LEN: u32 = 16 * 1024 * 1024 + 1024;

const SHB: u32 = 0x0A0D_0D0A;

#[derive(Default)]
pub(crate) struct PcapngState {
    parser: Option<PcapNgParser>,
    /// Index in `CaptureInfo::interfaces` of the current section's interface 0.
    section_base: usize,
    pub(crate) frames: u32,
}

impl PcapngState {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn step(
        &mut self,
        rest: &[u8],
        offset: u64,
        info: &mut Option<CaptureInfo>,
        on_frame: &mut dyn FnMut(&RawFrame),
        problems: &mut Vec<CaptureProblem>,
    ) -> Step {
        if rest.len() < 12 {
            return Step::NeedMore { needed: 12, what: self.next_what(rest) };
        }
        let block_type_le = u32::from_le_bytes([rest[0], rest[1], rest[2], rest[3]]);
        let big_endian = match (&self.parser, block_type_le) {
            // A section header says its own byte order with its byte-order magic.
            (_, SHB) => rest[8..12] == [0x1a, 0x2b, 0x3c, 0x4d],
            (Some(p), _) => matches!(p.section().endianness, Endianness::Big),
            (None, _) => false,
        };
        let read_u32 = |b: &[u8]| {
            let a = [b[0], b[1], b[2], b[3]];
            if big_endian {
                u32::from_be_bytes(a)
            } else {
                u32::from_le_bytes(a)
            }
        };
        let block_type = read_u32(&rest[0..4]);
        let block_len = read_u32(&rest[4..8]);
        if block_type == SHB && rest[8..12] != [0x1a, 0x2b, 0x3c, 0x4d] && rest[8..12] != [0x4d, 0x3c, 0x2b, 0x1a] {
            return Step::Fatal(corrupt(
                offset,
                None,
                format!(
                    "The section header at byte {offset} has the byte-order magic {:02x} {:02x} {:02x} {:02x}; a pcapng section header needs 1a 2b 3c 4d or 4d 3c 2b 1a.",
                    rest[8], rest[9], rest[10], rest[11]
                ),
            ));
        }
        if block_len < 12 || block_len % 4 != 0 || block_len > MAX_BLOCK_LEN {
            let why = if block_len < 12 {
                "smaller than the 12 bytes every block needs".to_string()
            } else if block_len % 4 != 0 {
                "not a multiple of 4".to_string()
            } else {
                format!("larger than any block can be ({MAX_BLOCK_LEN} bytes at most)")
            };
            return Step::Fatal(corrupt(
                offset,
                None,
                format!(
                    "The block at byte {offset} (type 0x{block_type:08x}) has length {block_len}, {why}; the file is damaged from there on, so reading stops."
                ),
            ));
        }
        if (rest.len() as u64) < u64::from(block_len) {
            return Step::NeedMore { needed: u64::from(block_len), what: self.next_what(rest) };
        }
        let block_bytes = &rest[..block_len as usize];
        let trailer = read_u32(&block_bytes[block_bytes.len() - 4..]);
        if trailer != block_len {
            return Step::Fatal(corrupt(
                offset,
                None,
                format!(
                    "The block at byte {offset} (type 0x{block_type:08x}) says it is {block_len} bytes long at its start but {trailer} at its end; the file is damaged from there on, so reading stops."
                ),
            ));
        }

        let parsed = match self.parser.as_mut() {
            None => match PcapNgParser::new(block_bytes) {
                Ok((_, parser)) => {
                    self.parser = Some(parser);
                    self.on_section(info, big_endian);
                    return Step::Consumed(block_len as usize);
                }
                Err(e) => Err(e),
            },
            Some(parser) => parser.next_block(block_bytes).map(|(_, b)| b),
        };
        let block = match parsed {
            Ok(b) => b,
            Err(PcapNgParseError::IncompleteBuffer(..)) => {
                // Framing was checked above, so the body is shorter than its block type needs.
                problems.push(skipped(
                    offset,
                    format!("The block at byte {offset} (type 0x{block_type:08x}) is too short for its type and was skipped."),
                ));
                return Step::Consumed(block_len as usize);
            }
            Err(e) if self.parser.is_none() => {
                return Step::Fatal(corrupt(offset, None, format!("The pcapng section header cannot be read: {e}.")));
            }
            Err(e) => {
                let is_packet = matches!(block_type, 2 | 3 | 6);
                let msg = if is_packet {
                    format!(
                        "The packet block at byte {offset} cannot be read ({}); it was skipped and is not counted as a frame.",
                        error_chain(&e)
                    )
                } else {
                    format!(
                        "The block at byte {offset} (type 0x{block_type:08x}) cannot be read ({}); it was skipped.",
                        error_chain(&e)
                    )
                };
                problems.push(skipped(offset, msg));
                return Step::Consumed(block_len as usize);
            }
        };
        let frame = self.frames + 1;
        let section_base = self.section_base;
        let interface_of = |id: u32, info: &Option<CaptureInfo>| -> Option<(u32, Interface)> {
            let global = section_base + id as usize;
            info.as_ref()?.interfaces.get(global).map(|i| (global as u32, i.clone()))
        };
        let emit = |iface: (u32, Interface), ts: Timestamp, orig_len: u32, data: &[u8], header: u64, on_frame: &mut dyn FnMut(&RawFrame)| {
            on_frame(&RawFrame {
                number: frame,
                ts,
                ts_digits: iface.1.ts_digits,
                link_type: iface.1.link_type,
                interface: iface.0,
                orig_len,
                offset: offset + header,
                data,
            });
        };
        match &block {
            Block::SectionHeader(_) => self.on_section(info, big_endian),
            Block::InterfaceDescription(idb) => {
                let mut digits = 6u8;
                let mut name = None;
                for opt in &idb.options {
                    match opt {
                        InterfaceDescriptionOption::IfTsResol(r) => digits = resolution_digits(r.is_bin(), r.resolution()),
                        InterfaceDescriptionOption::IfName(n) => name = Some(n.to_string()),
                        _ => {}
                    }
                }
                if let Some(info) = info.as_mut() {
                    info.interfaces.push(Interface { link_type: u32::from(idb.linktype), snaplen: idb.snaplen, ts_digits: digits, name });
                }
            }
            Block::EnhancedPacket(epb) => {
                let Some(iface) = interface_of(epb.interface_id, info) else {
                    return self.unknown_interface(offset, epb.interface_id, block_len, problems);
                };
                self.frames = frame;
                emit(iface, duration_ts(epb.timestamp), epb.original_len, &epb.data, 28, on_frame);
            }
            Block::SimplePacket(spb) => {
                let Some(iface) = interface_of(0, info) else {
                    return self.unknown_interface(offset, 0, block_len, problems);
                };
                // A simple packet block stores no timestamp and may be cut to the snaplen.
                let data: &[u8] = &spb.data;
                let data = if iface.1.snaplen > 0 && data.len() > iface.1.snaplen as usize {
                    &data[..iface.1.snaplen as usize]
                } else {
                    data
                };
                let data = &data[..data.len().min(spb.original_len as usize)];
                self.frames = frame;
                emit(iface, Timestamp::default(), spb.original_len, data, 12, on_frame);
            }
            Block::Packet(pb) => {
                let Some(iface) = interface_of(u32::from(pb.interface_id), info) else {
                    return self.unknown_interface(offset, u32::from(pb.interface_id), block_len, problems);
                };
                self.frames = frame;
                emit(iface, duration_ts(pb.timestamp), pb.original_len, &pb.data, 28, on_frame);
            }
            _ => {}
        }
        Step::Consumed(block_len as usize)
    }

    fn on_section(&mut self, info: &mut Option<CaptureInfo>, big_endian: bool) {
        match info.as_mut() {
            Some(i) => self.section_base = i.interfaces.len(),
            None => {
                *info = Some(CaptureInfo { format: Format::Pcapng, gzip: false, big_endian, interfaces: Vec::new() });
                self.section_base = 0;
            }
        }
    }

    fn unknown_interface(&mut self, offset: u64, id: u32, block_len: u32, problems: &mut Vec<CaptureProblem>) -> Step {
        problems.push(skipped(
            offset,
            format!(
                "The packet block at byte {offset} names interface {id}, which this section never described; it was skipped and is not counted as a frame."
            ),
        ));
        Step::Consumed(block_len as usize)
    }

    fn next_what(&self, rest: &[u8]) -> String {
        if self.parser.is_none() {
            return "the pcapng section header".into();
        }
        let t = if rest.len() >= 4 { u32::from_le_bytes([rest[0], rest[1], rest[2], rest[3]]) } else { 0 };
        let t_be = if rest.len() >= 4 { u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]) } else { 0 };
        if rest.len() >= 4 && [2, 3, 6].iter().any(|&k| k == t || k == t_be) {
            format!("frame {}'s packet block", self.frames + 1)
        } else {
            "the next block".into()
        }
    }
}

/// Decimal digits needed to show a resolution of 10^-r (decimal) or 2^-r (binary) seconds.
fn resolution_digits(is_bin: bool, r: u8) -> u8 {
    if !is_bin {
        return r.min(9);
    }
    let mut digits = 0u8;
    let mut pow10: u64 = 1;
    let target = 1u64 << r.min(40);
    while pow10 < target && digits < 9 {
        pow10 *= 10;
        digits += 1;
    }
    digits
}

fn duration_ts(d: std::time::Duration) -> Timestamp {
    Timestamp { secs: i64::try_from(d.as_secs()).unwrap_or(i64::MAX), nanos: d.subsec_nanos() }
}

fn corrupt(offset: u64, frame: Option<u32>, message: String) -> CaptureProblem {
    CaptureProblem { kind: ProblemKind::Corrupt, offset, frame, message }
}

fn skipped(offset: u64, message: String) -> CaptureProblem {
    CaptureProblem { kind: ProblemKind::Skipped, offset, frame: None, message }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(inner) = source {
        let text = inner.to_string();
        if !s.contains(&text) {
            s.push_str(": ");
            s.push_str(&text);
        }
        source = inner.source();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::resolution_digits;

    #[test]
    fn resolution_digits_follow_the_resolution() {
        assert_eq!(resolution_digits(false, 6), 6);
        assert_eq!(resolution_digits(false, 9), 9);
        assert_eq!(resolution_digits(false, 0), 0);
        assert_eq!(resolution_digits(true, 8), 3); // 1/256 s needs 3 digits
        assert_eq!(resolution_digits(true, 10), 4);
        assert_eq!(resolution_digits(true, 30), 9);
    }
}
