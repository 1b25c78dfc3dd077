//! One direction of a TCP connection as a byte stream: its segments put back in sequence
//! order for what reads the bytes above TCP (HTTP pairing, following a stream).
//!
//! Promise: [`ByteStream`] never panics, whatever the sequence numbers, and gives every byte at
//! most once, in sequence order, never one that was not captured:
//! - [`ByteStream::accept`] gives the part of a segment beyond the bytes given so far (a
//!   retransmission or an overlap brings only what is new); the first segment sets where the
//!   stream starts;
//! - a segment that starts beyond the next expected byte is given nothing: the reader holds
//!   it ([`ByteStream::hold`]: its bytes, or only where it lies, within [`Limits`]) or gives
//!   the gap up ([`ByteStream::skip_to`]) and offers it again;
//! - once a gap is filled, [`ByteStream::take_following`] gives back, a piece at a time and only
//!   their new part, the held pieces that now follow on; [`ByteStream::drain_in_order`] ends
//!   the stream with the held bytes behind gaps never filled, in sequence order.
//!
//! Places are compared in sequence space ([`SeqNumber`]): a segment is ahead when it starts
//! less than 2^31 bytes beyond the next expected byte, and otherwise behind it. Among held
//! pieces that follow on at once, the first taken is the first found in a list kept in the
//! order held, from which a piece taken is replaced by the last one (a removal in constant
//! time); only overlapping pieces can tell the difference.

use super::SeqNumber;

#[cfg(test)]
mod tests;

/// One direction's byte stream in sequence space. `T` is what the reader keeps with a held
/// segment (the frame that brought it, say).
#[derive(Debug)]
pub struct ByteStream<T = ()> {
    /// The next byte expected (None before the first segment).
    next: Option<SeqNumber>,
    /// What lies beyond a gap (none, boxed, in the usual case).
    held: Option<Box<Held<T>>>,
}

impl<T> Default for ByteStream<T> {
    fn default() -> Self {
        ByteStream {
            next: None,
            held: None,
        }
    }
}

/// What lies beyond a gap: segments whose bytes are kept, in the order held (see the module's
/// promise); and ranges held by place only ([`Hold::Count`]), merged and in sequence order, so
/// that a long transfer after one hole is one range.
#[derive(Debug)]
struct Held<T> {
    segments: Vec<HeldSegment<T>>,
    /// The held segments' bytes in all.
    bytes: usize,
    counted: Vec<(SeqNumber, u32)>,
}

impl<T> Default for Held<T> {
    fn default() -> Self {
        Held {
            segments: Vec::new(),
            bytes: 0,
            counted: Vec::new(),
        }
    }
}

#[derive(Debug)]
struct HeldSegment<T> {
    seq: SeqNumber,
    tag: T,
    bytes: Vec<u8>,
}

/// What a segment brings, from [`ByteStream::accept`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arrival<'a> {
    /// Nothing beyond the bytes given before.
    Seen,
    /// These bytes, which follow on from those given before (the segment's new part).
    New(&'a [u8]),
    /// The segment starts `gap` bytes beyond the next expected byte (0 < gap < 2^31).
    Ahead { gap: u32 },
}

/// How a segment beyond a gap is held.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hold {
    /// Its bytes, given back by [`ByteStream::take_following`] once the gap is filled.
    Bytes,
    /// Only where it lies, for bytes the reader counts rather than reads (a body of known
    /// length): merged with the held ranges it touches, and given back as a count.
    Count,
}

/// The most a stream holds beyond a gap; what would go beyond is dropped, as if never
/// captured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Segments held by their bytes; and, apart, ranges held by count.
    pub segments: usize,
    /// The held segments' bytes in all.
    pub bytes: usize,
}

impl Limits {
    /// No limit: everything is held.
    pub const NONE: Limits = Limits {
        segments: usize::MAX,
        bytes: usize::MAX,
    };
}

/// A held piece that now follows on, from [`ByteStream::take_following`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Following<T> {
    /// The new part of a segment held by its bytes, with what it was held with.
    Bytes(T, Vec<u8>),
    /// So many bytes held by count ([`Hold::Count`]).
    Counted(u32),
}

impl<T> ByteStream<T> {
    /// The next byte expected, once a segment was accepted.
    pub fn next(&self) -> Option<SeqNumber> {
        self.next
    }

    /// Takes a segment starting at `seq`: gives its part beyond the bytes given so far, which
    /// then count as given; nothing when it starts beyond the next expected byte.
    #[inline]
    pub fn accept<'a>(&mut self, seq: SeqNumber, payload: &'a [u8]) -> Arrival<'a> {
        let next = *self.next.get_or_insert(seq);
        let ahead = seq - next;
        if ahead > 0 {
            return Arrival::Ahead {
                gap: ahead.unsigned_abs(),
            };
        }
        match payload.get(seen(next, seq)..).filter(|b| !b.is_empty()) {
            Some(new) => {
                self.next = Some(next + new.len());
                Arrival::New(new)
            }
            None => Arrival::Seen,
        }
    }

    /// Holds a segment beyond a gap, as `how` says, unless that would go beyond `limits`
    /// (then it is dropped). Whether it is held.
    pub fn hold(
        &mut self,
        seq: SeqNumber,
        tag: T,
        bytes: &[u8],
        how: Hold,
        limits: Limits,
    ) -> bool {
        let next = *self.next.get_or_insert(seq);
        let held = self.held.get_or_insert_with(Box::default);
        match how {
            Hold::Count => {
                let len = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
                held.count(next, seq, len, limits.segments)
            }
            Hold::Bytes => {
                if held.segments.len() >= limits.segments
                    || held.bytes.saturating_add(bytes.len()) > limits.bytes
                {
                    return false;
                }
                held.bytes += bytes.len();
                held.segments.push(HeldSegment {
                    seq,
                    tag,
                    bytes: bytes.to_vec(),
                });
                true
            }
        }
    }

    /// Sets where the stream starts, before any segment with bytes (a SYN tells it: the byte
    /// after its sequence number); nothing once it has started.
    pub fn start_at(&mut self, seq: SeqNumber) {
        self.next.get_or_insert(seq);
    }

    /// The lowest sequence number among the segments held by their bytes, as packet-tcp.c's
    /// follow finds it (the first held, then any before it).
    pub fn lowest_held(&self) -> Option<SeqNumber> {
        let held = self.held.as_ref()?;
        let mut segments = held.segments.iter();
        let mut lowest = segments.next()?.seq;
        for segment in segments {
            if lowest.is_after(segment.seq) {
                lowest = segment.seq;
            }
        }
        Some(lowest)
    }

    /// Gives a gap up: the next expected byte is `seq`'s (what is held stays held, and follows
    /// on from there as it can).
    pub fn skip_to(&mut self, seq: SeqNumber) {
        self.next = Some(seq);
    }

    /// A held piece that starts at or before the next expected byte and brings new bytes, its
    /// new part now given; those with nothing new are dropped on the way. None when none
    /// follows on.
    pub fn take_following(&mut self) -> Option<Following<T>> {
        let next = self.next?;
        let held = self.held.as_mut()?;
        while let Some(&(seq, len)) = held.counted.first().filter(|(s, _)| *s - next <= 0) {
            held.counted.remove(0);
            let new = i64::from(len) - seen(next, seq) as i64;
            if let Ok(new @ 1..) = u32::try_from(new) {
                self.next = Some(next + new);
                return Some(Following::Counted(new));
            }
        }
        loop {
            let Some(i) = held.segments.iter().position(|s| s.seq - next <= 0) else {
                if held.segments.is_empty() && held.counted.is_empty() {
                    self.held = None;
                }
                return None;
            };
            let HeldSegment {
                seq,
                tag,
                mut bytes,
            } = held.segments.swap_remove(i);
            held.bytes = held.bytes.saturating_sub(bytes.len());
            let seen = seen(next, seq);
            if seen < bytes.len() {
                bytes.drain(..seen);
                self.next = Some(next + bytes.len());
                return Some(Following::Bytes(tag, bytes));
            }
        }
    }

    /// Ends the stream: the held bytes behind gaps never filled, in sequence order, each gap
    /// before them skipped, with what they were held with. Ranges held by count have no bytes:
    /// they go.
    pub fn drain_in_order(&mut self) -> Vec<(T, Vec<u8>)> {
        let Some(held) = self.held.take() else {
            return Vec::new();
        };
        let mut segments = held.segments;
        let base = self.next.unwrap_or_default();
        // By distance beyond the next byte modulo 2^32 (stable): sequence order for those
        // ahead of it, which all are unless a gap was skipped.
        segments.sort_by_key(|s| s.seq.0.wrapping_sub(base.0));
        let mut out = Vec::new();
        for HeldSegment {
            seq,
            tag,
            mut bytes,
        } in segments
        {
            let next = match self.next {
                Some(next) if seq - next <= 0 => next,
                _ => seq,
            };
            let seen = seen(next, seq);
            if seen < bytes.len() {
                bytes.drain(..seen);
                self.next = Some(next + bytes.len());
                out.push((tag, bytes));
            } else {
                self.next = Some(next);
            }
        }
        out
    }

    /// How many of the `len` bytes from the next expected one are held, by their bytes or by
    /// count (each byte once).
    pub fn held_within(&self, len: u64) -> u64 {
        let (Some(held), Some(next)) = (&self.held, self.next) else {
            return 0;
        };
        let len = i64::try_from(len).unwrap_or(i64::MAX);
        let mut ranges: Vec<(i64, i64)> = held
            .segments
            .iter()
            .map(|s| (s.seq, s.bytes.len() as i64))
            .chain(held.counted.iter().map(|&(seq, l)| (seq, i64::from(l))))
            .map(|(seq, l)| {
                let from = i64::from(seq - next);
                (from.clamp(0, len), from.saturating_add(l).clamp(0, len))
            })
            .filter(|(from, to)| from < to)
            .collect();
        ranges.sort_unstable();
        let (mut total, mut reached) = (0i64, 0i64);
        for (from, to) in ranges {
            let from = from.max(reached);
            if to > from {
                total += to - from;
                reached = to;
            }
        }
        total as u64
    }

    /// What is held: segments by their bytes, and ranges by count.
    pub fn held_pieces(&self) -> (usize, usize) {
        self.held
            .as_ref()
            .map_or((0, 0), |held| (held.segments.len(), held.counted.len()))
    }
}

impl<T> Held<T> {
    /// Holds `len` bytes at `seq` by place, merged with the ranges they touch; a range of its
    /// own only while fewer than `max_ranges` are held. Whether they are held.
    fn count(&mut self, next: SeqNumber, seq: SeqNumber, len: u32, max_ranges: usize) -> bool {
        let off = |s: SeqNumber| i64::from(s - next);
        let (mut from, mut to) = (off(seq), off(seq) + i64::from(len));
        let first = self
            .counted
            .partition_point(|&(s, l)| off(s) + i64::from(l) < from);
        let mut last = first;
        while let Some(&(s, l)) = self.counted.get(last).filter(|&&(s, _)| off(s) <= to) {
            from = from.min(off(s));
            to = to.max(off(s) + i64::from(l));
            last += 1;
        }
        if first == last && self.counted.len() >= max_ranges {
            return false;
        }
        let merged = (
            SeqNumber(next.0.wrapping_add(from as u32)),
            u32::try_from(to - from).unwrap_or(u32::MAX),
        );
        self.counted.splice(first..last, [merged]);
        true
    }
}

/// How many bytes of a segment starting at `seq` (at or before `next`) were given before:
/// the distance from `seq` to `next` (2^31 when they are that far apart, more than any
/// segment holds).
#[inline]
fn seen(next: SeqNumber, seq: SeqNumber) -> usize {
    next.0.wrapping_sub(seq.0) as usize
}
