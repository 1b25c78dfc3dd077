//! Frames read in one place and kept in another, as bytes. The page reads a large capture in
//! two Workers: one reads the file and decodes each frame's headers ([`Reading`]), the other
//! keeps the analysis ([`Keeping`]). Workers share no memory, so what the first has read goes
//! to the second as a batch of bytes: each [`Prepared`] frame with its TCP payload.
//!
//! Written by hand rather than through serde: the frame's fields are few and fixed, no binary
//! serde format is among the dependencies, and this runs twice per frame on the page's
//! busiest path. Little-endian; a frame is
//!
//! ```text
//! number u32 · secs i64 · nanos u32 · ts_digits u8 · link_type u32 · interface u32 ·
//! orig_len u32 · offset u64 · cap_len u64 · bits u16 · parts u8 ·
//! [addresses: ip ip, [inner: ip ip]] · [ports: u16 u16] · [tcp: ip ip segment] ·
//! payload: len u32, bytes
//! ```
//!
//! where an ip is 4 and 4 bytes or 6 and 16 bytes, `parts` says which of the bracketed parts
//! follow, and a segment is its fixed fields (ports to the option count) and then each option,
//! a tag byte and its values.
//!
//! [`Reading`]: crate::analysis::Reading
//! [`Keeping`]: crate::analysis::Keeping

use crate::analysis::{AddressSet, Prepared};
use crate::capture::Timestamp;
use crate::decode::{TcpOption, TcpSegment};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

const ADDRESSES: u8 = 1;
const INNER: u8 = 2;
const PORTS: u8 = 4;
const TCP: u8 = 8;

/// Bytes of a frame's fixed fields (number to `parts`), and of a TCP segment's (ports to the
/// option count): each written and read as one array, with one bounds check for all.
const HEAD: usize = 48;
const SEGMENT: usize = 38;

/// Fixed fields written into, or read from, an array in order.
struct Fields<const N: usize> {
    bytes: [u8; N],
    at: usize,
}

impl<const N: usize> Fields<N> {
    fn new() -> Self {
        Fields {
            bytes: [0; N],
            at: 0,
        }
    }

    // The offsets are constants once inlined: the slices' checks go, and a miscounted `N`
    // would fail every test, whatever the batch.
    fn put<const M: usize>(&mut self, field: [u8; M]) {
        self.bytes[self.at..self.at + M].copy_from_slice(&field);
        self.at += M;
    }

    fn take<const M: usize>(&mut self) -> [u8; M] {
        let mut field = [0; M];
        field.copy_from_slice(&self.bytes[self.at..self.at + M]);
        self.at += M;
        field
    }
}

/// Appends `frame` and its TCP payload to `out`.
pub fn put(out: &mut Vec<u8>, frame: &Prepared, payload: &[u8]) {
    let parts = frame
        .addresses
        .map_or(0, |a| ADDRESSES | if a.inner.is_some() { INNER } else { 0 })
        | if frame.ports.is_some() { PORTS } else { 0 }
        | if frame.tcp.is_some() { TCP } else { 0 };
    let mut head = Fields::<HEAD>::new();
    head.put(frame.number.to_le_bytes());
    head.put(frame.ts.secs.to_le_bytes());
    head.put(frame.ts.nanos.to_le_bytes());
    head.put([frame.ts_digits]);
    head.put(frame.link_type.to_le_bytes());
    head.put(frame.interface.to_le_bytes());
    head.put(frame.orig_len.to_le_bytes());
    head.put(frame.offset.to_le_bytes());
    head.put(frame.cap_len.to_le_bytes());
    head.put(frame.bits.to_le_bytes());
    head.put([parts]);
    debug_assert_eq!(head.at, HEAD);
    out.extend_from_slice(&head.bytes);
    if let Some(set) = &frame.addresses {
        put_ip(out, set.src);
        put_ip(out, set.dst);
        if let Some((src, dst)) = set.inner {
            put_ip(out, src);
            put_ip(out, dst);
        }
    }
    if let Some((src, dst)) = frame.ports {
        out.extend_from_slice(&src.to_le_bytes());
        out.extend_from_slice(&dst.to_le_bytes());
    }
    if let Some((src, dst, segment)) = &frame.tcp {
        put_ip(out, *src);
        put_ip(out, *dst);
        put_segment(out, segment);
    }
    // A frame's bytes are far below 4 GiB (the reader refuses larger records).
    out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    out.extend_from_slice(payload);
}

fn put_ip(out: &mut Vec<u8>, ip: IpAddr) {
    match ip {
        IpAddr::V4(v4) => {
            out.push(4);
            out.extend_from_slice(&v4.octets());
        }
        IpAddr::V6(v6) => {
            out.push(6);
            out.extend_from_slice(&v6.octets());
        }
    }
}

fn put_segment(out: &mut Vec<u8>, s: &TcpSegment) {
    let mut head = Fields::<SEGMENT>::new();
    head.put(s.src_port.to_le_bytes());
    head.put(s.dst_port.to_le_bytes());
    head.put(s.seq.to_le_bytes());
    head.put(s.ack.to_le_bytes());
    head.put(s.flags.to_le_bytes());
    head.put(s.window.to_le_bytes());
    head.put([s.header_len]);
    head.put(s.payload_len.to_le_bytes());
    head.put(s.payload_offset.to_le_bytes());
    head.put(s.payload_captured.to_le_bytes());
    head.put(s.offset.to_le_bytes());
    head.put(s.checksum.to_le_bytes());
    head.put(s.urgent_pointer.to_le_bytes());
    // At most 40 bytes of options, so at most 40 options.
    head.put([s.options.len().min(usize::from(u8::MAX)) as u8]);
    debug_assert_eq!(head.at, SEGMENT);
    out.extend_from_slice(&head.bytes);
    for option in s.options.iter().take(usize::from(u8::MAX)) {
        match option {
            TcpOption::EndOfList => out.push(0),
            TcpOption::Nop => out.push(1),
            TcpOption::MaxSegmentSize(mss) => {
                out.push(2);
                out.extend_from_slice(&mss.to_le_bytes());
            }
            TcpOption::WindowScale(shift) => out.extend_from_slice(&[3, *shift]),
            TcpOption::SackPermitted => out.push(4),
            TcpOption::Sack(blocks) => {
                out.push(5);
                out.push(blocks.len().min(usize::from(u8::MAX)) as u8);
                for (left, right) in blocks.iter().take(usize::from(u8::MAX)) {
                    out.extend_from_slice(&left.to_le_bytes());
                    out.extend_from_slice(&right.to_le_bytes());
                }
            }
            TcpOption::Timestamp { value, echo } => {
                out.push(8);
                out.extend_from_slice(&value.to_le_bytes());
                out.extend_from_slice(&echo.to_le_bytes());
            }
            TcpOption::Unknown { kind, len } => out.extend_from_slice(&[255, *kind, *len]),
        }
    }
}

/// Bytes that are not a batch [`put`] wrote (cut short, or not one at all).
#[derive(Debug, PartialEq, Eq)]
pub struct BadBatch {
    /// Where in the batch the frame that could not be read starts.
    pub at: usize,
}

impl std::fmt::Display for BadBatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a batch of frames is damaged at byte {}", self.at)
    }
}

/// Each frame of `batch`, in order, with its TCP payload, to `keep`. Stops at the first frame
/// that cannot be read: the frames before it have been kept.
pub fn each(batch: &[u8], mut keep: impl FnMut(Prepared, &[u8])) -> Result<(), BadBatch> {
    let mut input = Input { bytes: batch };
    while !input.bytes.is_empty() {
        let at = batch.len() - input.bytes.len();
        let (frame, payload) = input.frame().ok_or(BadBatch { at })?;
        keep(frame, payload);
    }
    Ok(())
}

/// What is left of a batch to read.
struct Input<'a> {
    bytes: &'a [u8],
}

impl<'a> Input<'a> {
    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let (head, rest) = self.bytes.split_first_chunk::<N>()?;
        self.bytes = rest;
        Some(*head)
    }

    fn u8(&mut self) -> Option<u8> {
        Some(self.take::<1>()?[0])
    }

    fn u16(&mut self) -> Option<u16> {
        self.take().map(u16::from_le_bytes)
    }

    fn u32(&mut self) -> Option<u32> {
        self.take().map(u32::from_le_bytes)
    }

    fn ip(&mut self) -> Option<IpAddr> {
        match self.u8()? {
            4 => Some(IpAddr::V4(Ipv4Addr::from(self.take::<4>()?))),
            6 => Some(IpAddr::V6(Ipv6Addr::from(self.take::<16>()?))),
            _ => None,
        }
    }

    fn frame(&mut self) -> Option<(Prepared, &'a [u8])> {
        let mut head = Fields::<HEAD> {
            bytes: self.take()?,
            at: 0,
        };
        let number = u32::from_le_bytes(head.take());
        let secs = i64::from_le_bytes(head.take());
        let nanos = u32::from_le_bytes(head.take());
        let [ts_digits] = head.take();
        let link_type = u32::from_le_bytes(head.take());
        let interface = u32::from_le_bytes(head.take());
        let orig_len = u32::from_le_bytes(head.take());
        let offset = u64::from_le_bytes(head.take());
        let cap_len = u64::from_le_bytes(head.take());
        let bits = u16::from_le_bytes(head.take());
        let [parts] = head.take();
        if parts & !(ADDRESSES | INNER | PORTS | TCP) != 0 || parts & (ADDRESSES | INNER) == INNER {
            return None;
        }
        let addresses = if parts & ADDRESSES != 0 {
            let (src, dst) = (self.ip()?, self.ip()?);
            let inner = if parts & INNER != 0 {
                Some((self.ip()?, self.ip()?))
            } else {
                None
            };
            Some(AddressSet { src, dst, inner })
        } else {
            None
        };
        let ports = if parts & PORTS != 0 {
            Some((self.u16()?, self.u16()?))
        } else {
            None
        };
        let tcp = if parts & TCP != 0 {
            Some((self.ip()?, self.ip()?, self.segment()?))
        } else {
            None
        };
        let len = usize::try_from(self.u32()?).ok()?;
        let payload = self.bytes.get(..len)?;
        self.bytes = &self.bytes[len..];
        let frame = Prepared {
            number,
            ts: Timestamp { secs, nanos },
            ts_digits,
            link_type,
            interface,
            orig_len,
            offset,
            cap_len,
            bits,
            addresses,
            ports,
            tcp,
        };
        Some((frame, payload))
    }

    fn segment(&mut self) -> Option<TcpSegment> {
        let mut head = Fields::<SEGMENT> {
            bytes: self.take()?,
            at: 0,
        };
        let mut s = TcpSegment {
            src_port: u16::from_le_bytes(head.take()),
            dst_port: u16::from_le_bytes(head.take()),
            seq: u32::from_le_bytes(head.take()),
            ack: u32::from_le_bytes(head.take()),
            flags: u16::from_le_bytes(head.take()),
            window: u16::from_le_bytes(head.take()),
            header_len: head.take::<1>()[0],
            payload_len: u32::from_le_bytes(head.take()),
            payload_offset: u32::from_le_bytes(head.take()),
            payload_captured: u32::from_le_bytes(head.take()),
            offset: u32::from_le_bytes(head.take()),
            checksum: u16::from_le_bytes(head.take()),
            urgent_pointer: u16::from_le_bytes(head.take()),
            options: Vec::new(),
        };
        let [count] = head.take();
        // Each option takes at least a byte: a count the batch cannot hold is not trusted
        // with an allocation.
        s.options.reserve(usize::from(count).min(self.bytes.len()));
        for _ in 0..count {
            let option = match self.u8()? {
                0 => TcpOption::EndOfList,
                1 => TcpOption::Nop,
                2 => TcpOption::MaxSegmentSize(self.u16()?),
                3 => TcpOption::WindowScale(self.u8()?),
                4 => TcpOption::SackPermitted,
                5 => {
                    let blocks = self.u8()?;
                    let mut sack =
                        Vec::with_capacity(usize::from(blocks).min(self.bytes.len() / 8));
                    for _ in 0..blocks {
                        sack.push((self.u32()?, self.u32()?));
                    }
                    TcpOption::Sack(sack)
                }
                8 => TcpOption::Timestamp {
                    value: self.u32()?,
                    echo: self.u32()?,
                },
                255 => TcpOption::Unknown {
                    kind: self.u8()?,
                    len: self.u8()?,
                },
                _ => return None,
            };
            s.options.push(option);
        }
        Some(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Analysis;

    /// Every frame of `bytes` as read, with its payload.
    fn read_all(bytes: &[u8]) -> Vec<(Prepared, Vec<u8>)> {
        let (mut reading, _) = Analysis::new().into_halves();
        let mut read = Vec::new();
        reading.read(bytes, |frame, payload| read.push((frame, payload.to_vec())));
        read
    }

    /// Every shared capture's frames, and generated traffic (IPv4 and IPv6, loss, SACK,
    /// window scaling), come out of a batch as they went in.
    #[test]
    fn frames_come_out_as_they_went_in() {
        let mut captures: Vec<Vec<u8>> = crate::test_captures::all_captures()
            .iter()
            .filter_map(|path| std::fs::read(path).ok())
            .collect();
        captures.push(crate::test_captures::demo());
        captures.push(crate::synth::generate(crate::synth::Options {
            frames: 5000,
            seed: 4,
            pcapng: false,
            ..Default::default()
        }));
        let frames: usize = captures
            .iter()
            .map(|bytes| crate::fuzzing::capture_through_batch(bytes))
            .sum();
        assert!(frames > 10_000, "{frames} frames");
    }

    /// Bytes cut anywhere, or changed, are refused or read as other frames, never a panic;
    /// the frames before a damaged one are kept.
    #[test]
    fn damaged_batches_are_refused() {
        let read = read_all(&crate::test_captures::demo());
        let mut batch = Vec::new();
        let mut starts = Vec::new();
        for (frame, payload) in &read {
            starts.push(batch.len());
            put(&mut batch, frame, payload);
        }
        for cut in 0..batch.len() {
            let mut kept = 0;
            let result = each(&batch[..cut], |_, _| kept += 1);
            let whole = starts.iter().filter(|&&s| s < cut).count();
            match starts.binary_search(&cut) {
                Ok(_) => assert_eq!((result, kept), (Ok(()), whole)),
                Err(_) => {
                    assert_eq!(kept, whole - 1, "cut at {cut}");
                    assert_eq!(
                        result,
                        Err(BadBatch {
                            at: starts[whole - 1]
                        })
                    );
                }
            }
        }
        for i in 0..batch.len() {
            let mut changed = batch.clone();
            changed[i] ^= 0xa5;
            let _ = each(&changed, |_, _| {});
        }
    }
}
