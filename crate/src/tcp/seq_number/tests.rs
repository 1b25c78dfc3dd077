//! Sequence-space arithmetic at the edges: wrap-around at 2^32 and the 2^31 boundary.

use super::SeqNumber;

const fn s(n: u32) -> SeqNumber {
    SeqNumber(n)
}

#[test]
fn distance_is_signed_and_wraps() {
    assert_eq!(s(10) - s(3), 7);
    assert_eq!(s(3) - s(10), -7);
    assert_eq!(s(2) - s(u32::MAX - 1), 4);
    assert_eq!(s(u32::MAX - 1) - s(2), -4);
    assert_eq!(s(0x7fff_ffff) - s(0), i32::MAX);
    assert_eq!(s(0x8000_0000) - s(0), i32::MIN);
    assert_eq!(s(0) - s(0x8000_0000), i32::MIN);
}

#[test]
fn adding_wraps() {
    assert_eq!(s(u32::MAX) + 1u32, s(0));
    assert_eq!(s(u32::MAX - 1) + 5usize, s(3));
    assert_eq!(s(7) + 0usize, s(7));
    // A length of 2^32 or more goes round the whole space.
    #[cfg(target_pointer_width = "64")]
    assert_eq!(s(7) + ((1usize << 32) + 2), s(9));
}

#[test]
fn before_and_after_across_the_wrap() {
    assert!(s(u32::MAX).is_before(s(0)));
    assert!(s(0).is_after(s(u32::MAX)));
    assert!(s(u32::MAX - 10).is_before(s(5)));
    assert!(!s(5).is_before(s(u32::MAX - 10)));
    assert!(s(5).is_at_or_before(s(5)) && s(5).is_at_or_after(s(5)));
    assert!(!s(5).is_before(s(5)) && !s(5).is_after(s(5)));
    assert!(s(4).is_at_or_before(s(5)) && !s(6).is_at_or_before(s(5)));
    assert!(s(6).is_at_or_after(s(5)) && !s(4).is_at_or_after(s(5)));
}

/// Within 2^31 the order is the plain one; 2^31 - 1 ahead is still after; exactly 2^31
/// apart each is before the other, as packet-tcp.c's `LT_SEQ` has it.
#[test]
fn the_two_to_the_31_boundary() {
    let a = s(1000);
    assert!(a.is_before(a + 0x7fff_ffffu32));
    assert!((a + 0x7fff_ffffu32).is_after(a));
    assert!(!(a + 0x7fff_ffffu32).is_before(a));
    let b = a + 0x8000_0000u32;
    assert!(a.is_before(b) && b.is_before(a));
    assert!(a.is_after(b) && b.is_after(a));
    assert!(a.is_at_or_before(b) && b.is_at_or_before(a));
    // One past the boundary, the order turns round.
    let c = a + 0x8000_0001u32;
    assert!(c.is_before(a) && !a.is_before(c));
}

/// The comparisons are the tracker's: `seq_gt`, `seq_lt` and `seq_le` are them.
#[test]
fn the_trackers_comparisons_are_these() {
    use crate::tcp::seq::{seq_gt, seq_le, seq_lt};
    let edges = [
        0,
        1,
        2,
        0x7fff_fffe,
        0x7fff_ffff,
        0x8000_0000,
        0x8000_0001,
        u32::MAX - 1,
        u32::MAX,
    ];
    for &x in &edges {
        for &y in &edges {
            let (a, b) = (x.wrapping_add(12345), y.wrapping_add(12345));
            assert_eq!(seq_lt(a, b), (a.wrapping_sub(b) as i32) < 0);
            assert_eq!(seq_le(a, b), (a.wrapping_sub(b) as i32) <= 0);
            assert_eq!(seq_gt(a, b), (b.wrapping_sub(a) as i32) < 0);
            assert_eq!(s(a).is_before(s(b)), seq_lt(a, b));
            assert_eq!(s(a).is_at_or_before(s(b)), seq_le(a, b));
            assert_eq!(s(a).is_after(s(b)), seq_gt(a, b));
        }
    }
}
