//! TCP sequence numbers, compared in sequence space (modulo 2^32, RFC 9293 section 3.4).
//!
//! Promise: nothing here panics. Adding a length wraps, as the sequence space does; the
//! distance between two numbers is their difference as a signed 32-bit number; "before" and
//! "after" are packet-tcp.c's `LT_SEQ`, `LE_SEQ` and `GT_SEQ`, on which tshark's verdicts
//! rest. Two numbers exactly 2^31 apart are each before the other, as with those macros:
//! that is why the comparisons are methods and not `PartialOrd`, whose contract forbids it.

use std::ops::{Add, Sub};

#[cfg(test)]
mod tests;

/// A sequence or acknowledgement number (raw, or relative to a direction's first).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct SeqNumber(pub u32);

impl SeqNumber {
    /// `self` comes before `other` (packet-tcp.c's `LT_SEQ`).
    #[inline]
    pub fn is_before(self, other: SeqNumber) -> bool {
        self - other < 0
    }

    /// `self` comes before `other` or is `other` (`LE_SEQ`).
    #[inline]
    pub fn is_at_or_before(self, other: SeqNumber) -> bool {
        self - other <= 0
    }

    /// `self` comes after `other` (`GT_SEQ`: `other` comes before `self`).
    #[inline]
    pub fn is_after(self, other: SeqNumber) -> bool {
        other.is_before(self)
    }

    /// `self` comes after `other` or is `other` (`GE_SEQ`).
    #[inline]
    pub fn is_at_or_after(self, other: SeqNumber) -> bool {
        other.is_at_or_before(self)
    }
}

impl Add<u32> for SeqNumber {
    type Output = SeqNumber;

    /// The number `len` bytes further on.
    #[inline]
    fn add(self, len: u32) -> SeqNumber {
        SeqNumber(self.0.wrapping_add(len))
    }
}

impl Add<usize> for SeqNumber {
    type Output = SeqNumber;

    /// The number `len` bytes further on (a length of 2^32 or more wraps, as the sequence
    /// space does).
    #[inline]
    fn add(self, len: usize) -> SeqNumber {
        SeqNumber(self.0.wrapping_add(len as u32))
    }
}

impl Sub for SeqNumber {
    type Output = i32;

    /// How far `self` lies beyond `other` (negative: before it), modulo 2^32.
    #[inline]
    fn sub(self, other: SeqNumber) -> i32 {
        self.0.wrapping_sub(other.0) as i32
    }
}
