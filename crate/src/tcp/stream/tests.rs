//! The byte stream's rules: retransmissions and overlaps, out-of-order segments held and given
//! back, gaps never filled, ranges held by count, limits, wrap-around at 2^32, and a stream cut
//! at random checked against the bytes it was cut from.

use super::{Arrival, ByteStream, Following, Hold, Limits};
use crate::tcp::SeqNumber;

fn s(n: u32) -> SeqNumber {
    SeqNumber(n)
}

/// Holds by bytes without limit, tagged with a frame number.
fn hold(stream: &mut ByteStream<u32>, seq: u32, frame: u32, bytes: &[u8]) -> bool {
    stream.hold(s(seq), frame, bytes, Hold::Bytes, Limits::NONE)
}

/// Offers a segment as a reader that holds what is ahead: what it gives, with the frames.
fn take(stream: &mut ByteStream<u32>, seq: u32, frame: u32, bytes: &[u8]) -> Vec<(u32, Vec<u8>)> {
    match stream.accept(s(seq), bytes) {
        Arrival::Seen => Vec::new(),
        Arrival::Ahead { .. } => {
            hold(stream, seq, frame, bytes);
            Vec::new()
        }
        Arrival::New(new) => {
            let mut out = vec![(frame, new.to_vec())];
            while let Some(following) = stream.take_following() {
                match following {
                    Following::Bytes(frame, bytes) => out.push((frame, bytes)),
                    Following::Counted(len) => out.push((0, vec![0; len as usize])),
                }
            }
            out
        }
    }
}

fn piece(frame: u32, bytes: &[u8]) -> (u32, Vec<u8>) {
    (frame, bytes.to_vec())
}

#[test]
fn retransmissions_and_overlaps_bring_only_new_bytes() {
    let mut b = ByteStream::<()>::default();
    assert_eq!(b.next(), None);
    assert_eq!(b.accept(s(100), b"abc"), Arrival::New(b"abc"));
    assert_eq!(b.next(), Some(s(103)));
    assert_eq!(b.accept(s(100), b"abc"), Arrival::Seen);
    assert_eq!(b.accept(s(101), b"bc"), Arrival::Seen);
    assert_eq!(b.accept(s(101), b"bcde"), Arrival::New(b"de"));
    assert_eq!(b.accept(s(105), b""), Arrival::Seen);
    assert_eq!(b.accept(s(107), b"x"), Arrival::Ahead { gap: 2 });
    // Ahead gives nothing and moves nothing.
    assert_eq!(b.next(), Some(s(105)));
    // The first segment sets the start, even an empty one.
    let mut e = ByteStream::<()>::default();
    assert_eq!(e.accept(s(7), b""), Arrival::Seen);
    assert_eq!(e.next(), Some(s(7)));
}

#[test]
fn held_segments_follow_on_once_the_gap_is_filled() {
    let mut b = ByteStream::<u32>::default();
    assert_eq!(take(&mut b, 100, 1, b"abc"), [piece(1, b"abc")]);
    assert!(take(&mut b, 109, 2, b"jk").is_empty());
    assert!(take(&mut b, 106, 3, b"ghi").is_empty());
    assert_eq!(b.held_pieces(), (2, 0));
    // Still one byte short of the first held segment.
    assert_eq!(take(&mut b, 103, 4, b"de"), [piece(4, b"de")]);
    // The gap filled by a segment that overlaps the held one after it.
    assert_eq!(
        take(&mut b, 105, 5, b"fg"),
        [piece(5, b"fg"), piece(3, b"hi"), piece(2, b"jk")]
    );
    assert_eq!(b.held_pieces(), (0, 0));
    assert_eq!(b.next(), Some(s(111)));
}

#[test]
fn a_held_segment_behind_the_next_byte_goes() {
    let mut b = ByteStream::<u32>::default();
    take(&mut b, 0, 1, b"a");
    assert!(take(&mut b, 5, 2, b"fg").is_empty());
    assert!(take(&mut b, 3, 3, b"de").is_empty());
    // One segment covers both held ones: they bring nothing new and go.
    assert_eq!(take(&mut b, 1, 4, b"bcdefgh"), [piece(4, b"bcdefgh")]);
    assert_eq!(b.held_pieces(), (0, 0));
    // A held segment partly given comes back with its new part only.
    assert!(take(&mut b, 10, 5, b"klmn").is_empty());
    assert_eq!(
        take(&mut b, 8, 6, b"ijkl"),
        [piece(6, b"ijkl"), piece(5, b"mn")]
    );
}

/// Among held segments that follow on at once, the first found in the list is taken, and the
/// last held takes its place.
#[test]
fn the_order_among_segments_that_follow_on_at_once() {
    let mut b = ByteStream::<u32>::default();
    take(&mut b, 0, 1, b"a");
    hold(&mut b, 2, 2, b"cd"); // follows on first
    hold(&mut b, 50, 3, b"zz"); // never
    hold(&mut b, 2, 4, b"CDE"); // after 2 goes, not first: 5 moved into 2's place
    hold(&mut b, 2, 5, b"cdEF");
    assert_eq!(
        take(&mut b, 1, 6, b"b"),
        [piece(6, b"b"), piece(2, b"cd"), piece(5, b"EF")]
    );
    assert_eq!(b.held_pieces(), (1, 0));
}

#[test]
fn gaps_never_filled_are_skipped_at_the_end_in_sequence_order() {
    let mut b = ByteStream::<u32>::default();
    take(&mut b, 100, 1, b"ab");
    for (seq, frame, bytes) in [
        (130, 2, &b"uvw"[..]),
        (110, 3, b"klm"),
        (112, 4, b"mno"), // overlaps the one before it
        (120, 5, b""),    // captured empty (snaplen): its gap is still skipped
        (131, 6, b"v"),   // nothing new by then
    ] {
        assert!(take(&mut b, seq, frame, bytes).is_empty());
    }
    assert_eq!(
        b.drain_in_order(),
        [piece(3, b"klm"), piece(4, b"no"), piece(2, b"uvw")]
    );
    assert_eq!(b.next(), Some(s(133)));
    assert_eq!(b.held_pieces(), (0, 0));
    assert!(b.drain_in_order().is_empty());
}

#[test]
fn sequence_numbers_that_wrap() {
    let mut b = ByteStream::<u32>::default();
    assert_eq!(take(&mut b, u32::MAX - 1, 1, b"ab"), [piece(1, b"ab")]);
    assert_eq!(b.next(), Some(s(0)));
    assert_eq!(take(&mut b, 0, 2, b"cd"), [piece(2, b"cd")]);
    // Across the wrap: a segment held before it, filled after it.
    let mut w = ByteStream::<u32>::default();
    take(&mut w, u32::MAX - 3, 1, b"a");
    assert!(take(&mut w, 0, 2, b"ef").is_empty());
    assert_eq!(w.held_within(10), 2);
    assert_eq!(
        take(&mut w, u32::MAX - 2, 3, b"bcd"),
        [piece(3, b"bcd"), piece(2, b"ef")]
    );
    // Gaps on either side of the wrap skipped at the end.
    let mut d = ByteStream::<u32>::default();
    take(&mut d, u32::MAX - 3, 1, b"a");
    hold(&mut d, 3, 2, b"x");
    hold(&mut d, u32::MAX, 3, b"y");
    assert_eq!(d.drain_in_order(), [piece(3, b"y"), piece(2, b"x")]);
    assert_eq!(d.next(), Some(s(4)));
}

/// 2^31 - 1 bytes beyond is ahead; 2^31 away either way is behind, bringing nothing.
#[test]
fn the_two_to_the_31_boundary() {
    let mut b = ByteStream::<()>::default();
    b.accept(s(1000), b"x");
    let next = 1001u32;
    assert_eq!(
        b.accept(s(next.wrapping_add(0x7fff_ffff)), b"y"),
        Arrival::Ahead { gap: 0x7fff_ffff }
    );
    assert_eq!(
        b.accept(s(next.wrapping_add(0x8000_0000)), b"y"),
        Arrival::Seen
    );
    assert_eq!(
        b.accept(s(next.wrapping_add(0x8000_0001)), b"y"),
        Arrival::Seen
    );
    assert_eq!(b.next(), Some(s(next)));
}

#[test]
fn skipping_a_gap_keeps_what_is_held() {
    let mut b = ByteStream::<u32>::default();
    take(&mut b, 0, 1, b"ab");
    hold(&mut b, 5, 2, b"fgh");
    hold(&mut b, 20, 3, b"uv");
    b.skip_to(s(6));
    assert_eq!(b.accept(s(6), b"ghij"), Arrival::New(&b"ghij"[..]));
    // The held segment that straddled the skip brings nothing new now; the one beyond waits.
    assert_eq!(b.take_following(), None);
    assert_eq!(b.held_pieces(), (1, 0));
    assert_eq!(b.held_within(100), 2);
}

#[test]
fn ranges_held_by_count_merge_and_come_back_as_a_count() {
    let mut b = ByteStream::<()>::default();
    b.accept(s(0), b"head");
    let count = |b: &mut ByteStream, seq: u32, len: usize| {
        b.hold(s(seq), (), &vec![0; len], Hold::Count, Limits::NONE)
    };
    assert!(count(&mut b, 10, 10)); // 10..20
    assert!(count(&mut b, 30, 5)); // 30..35
    assert!(count(&mut b, 20, 5)); // touches 10..20: 10..25
    assert!(count(&mut b, 33, 10)); // overlaps 30..35: 30..43
    assert!(count(&mut b, 50, 1)); // 50..51
    assert_eq!(b.held_pieces(), (0, 3));
    assert_eq!(b.held_within(100), 15 + 13 + 1);
    assert_eq!(b.held_within(12), 6);
    assert!(count(&mut b, 24, 7)); // bridges 10..25 and 30..43: 10..43
    assert_eq!(b.held_pieces(), (0, 2));
    assert_eq!(b.held_within(100), 33 + 1);
    // Filling 4..12 makes 10..43 follow on, less the two bytes already given.
    assert_eq!(b.accept(s(4), &[1; 8]), Arrival::New(&[1; 8][..]));
    assert_eq!(b.take_following(), Some(Following::Counted(31)));
    assert_eq!(b.take_following(), None);
    assert_eq!(b.next(), Some(s(43)));
    // Counted ranges have no bytes to drain.
    assert!(b.drain_in_order().is_empty());
}

#[test]
fn counted_ranges_come_before_held_segments() {
    let mut b = ByteStream::<u32>::default();
    take(&mut b, 0, 1, b"a");
    hold(&mut b, 1, 2, b"bcd");
    b.hold(s(1), 3, b"xy", Hold::Count, Limits::NONE);
    b.skip_to(s(1));
    assert_eq!(b.take_following(), Some(Following::Counted(2)));
    assert_eq!(b.take_following(), Some(Following::Bytes(2, b"d".to_vec())));
    assert_eq!(b.take_following(), None);
}

#[test]
fn limits_drop_what_goes_beyond_them() {
    let limits = Limits {
        segments: 2,
        bytes: 5,
    };
    let mut b = ByteStream::<()>::default();
    b.accept(s(0), b"a");
    assert!(b.hold(s(10), (), b"abc", Hold::Bytes, limits));
    assert!(!b.hold(s(20), (), b"abc", Hold::Bytes, limits)); // 6 bytes
    assert!(b.hold(s(20), (), b"ab", Hold::Bytes, limits));
    assert!(!b.hold(s(30), (), b"", Hold::Bytes, limits)); // a third segment
    assert_eq!(b.held_pieces(), (2, 0));
    // Ranges held by count have their own limit of the same number, and a range that
    // touches one held is merged into it whatever the number.
    assert!(b.hold(s(40), (), b"xx", Hold::Count, limits));
    assert!(b.hold(s(50), (), b"xx", Hold::Count, limits));
    assert!(!b.hold(s(60), (), b"xx", Hold::Count, limits));
    assert!(b.hold(s(52), (), &[0; 100], Hold::Count, limits));
    assert_eq!(b.held_pieces(), (2, 2));
    assert_eq!(b.held_within(1000), 3 + 2 + 2 + 102);
    // What is taken back frees room.
    b.accept(s(1), &[0; 9]);
    assert!(matches!(b.take_following(), Some(Following::Bytes(..))));
    assert!(b.hold(s(70), (), b"abc", Hold::Bytes, limits));
}

#[test]
fn held_within_counts_each_byte_once() {
    let mut b = ByteStream::<u32>::default();
    take(&mut b, 1000, 1, b"x");
    assert_eq!(b.held_within(100), 0);
    hold(&mut b, 1011, 2, &[0; 10]); // 10..20
    hold(&mut b, 1016, 3, &[0; 10]); // 15..25
    hold(&mut b, 1041, 4, &[0; 10]); // 40..50
    b.hold(s(1019), 5, &[0; 3], Hold::Count, Limits::NONE); // 18..21
    assert_eq!(b.held_within(100), 15 + 10);
    assert_eq!(b.held_within(45), 15 + 5);
    assert_eq!(b.held_within(12), 2);
    assert_eq!(b.held_within(0), 0);
    assert_eq!(b.held_within(u64::MAX), 25);
}

/// Odd numbers and empty bytes never panic.
#[test]
fn survives_odd_numbers() {
    let mut b = ByteStream::<u32>::default();
    for (i, &seq) in [
        0,
        u32::MAX,
        0x8000_0000,
        0x7fff_ffff,
        1,
        0x8000_0001,
        u32::MAX - 5,
    ]
    .iter()
    .enumerate()
    {
        let frame = i as u32;
        take(&mut b, seq, frame, &[7; 3]);
        hold(&mut b, seq.wrapping_add(9), frame, &[]);
        b.hold(s(seq), frame, &[1; 5], Hold::Count, Limits::NONE);
        let _ = b.held_within(u64::MAX);
        b.skip_to(s(seq.wrapping_sub(2)));
        while b.take_following().is_some() {}
    }
    let _ = b.drain_in_order();
}

/// A small deterministic generator (xorshift), so that the test needs no crate.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// A stream of known bytes cut at random into segments that overlap, repeat, come out of order
/// or are never captured: what is given is always the stream's own bytes, each once and in
/// order: up to the first byte never captured as it comes, the rest at the end with the gaps
/// skipped.
#[test]
fn a_stream_cut_at_random_comes_back_whole() {
    for seed in 1..200u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let len = 1 + rng.below(3000) as usize;
        let data: Vec<u8> = (0..len).map(|i| (i * 7 + i / 251) as u8).collect();
        // Start anywhere, near the wrap in some.
        let isn = if seed % 3 == 0 {
            u32::MAX - rng.below(2000) as u32
        } else {
            rng.below(u64::from(u32::MAX)) as u32
        };
        let mut segments = Vec::new();
        let mut at = 0;
        while at < len {
            let l = (1 + rng.below(200) as usize).min(len - at);
            segments.push((at, l));
            // Sometimes a repeat or an overlap.
            if rng.below(5) == 0 {
                let back = rng.below(at as u64 + 1) as usize;
                segments.push((at - back, (l + back).min(len - (at - back))));
            }
            at += l;
        }
        let first = segments[0];
        let mut rest = segments.split_off(1);
        // Shuffle, and lose some.
        for i in (1..rest.len()).rev() {
            rest.swap(i, rng.below(i as u64 + 1) as usize);
        }
        rest.retain(|_| rng.below(12) != 0);
        let mut captured = vec![false; len];
        let mut b = ByteStream::<u32>::default();
        let mut given: Vec<(usize, Vec<u8>)> = Vec::new();
        let mut offset = 0usize;
        for (frame, &(from, l)) in std::iter::once(&first).chain(&rest).enumerate() {
            captured[from..from + l].iter_mut().for_each(|c| *c = true);
            let seq = isn.wrapping_add(from as u32);
            for (_, bytes) in take(&mut b, seq, frame as u32, &data[from..from + l]) {
                given.push((offset, bytes.clone()));
                offset += bytes.len();
            }
        }
        let whole = captured.iter().position(|c| !c).unwrap_or(len);
        assert_eq!(offset, whole, "seed {seed}: given as it came");
        let given_bytes: Vec<u8> = given.iter().flat_map(|(_, b)| b.clone()).collect();
        assert_eq!(given_bytes, data[..whole], "seed {seed}");
        // At the end: every captured byte beyond, once, in order.
        let drained: Vec<u8> = b
            .drain_in_order()
            .into_iter()
            .flat_map(|(_, b)| b)
            .collect();
        let beyond: Vec<u8> = (whole..len)
            .filter(|&i| captured[i])
            .map(|i| data[i])
            .collect();
        assert_eq!(drained, beyond, "seed {seed}: drained");
    }
}

/// A SYN sets where a stream starts; the lowest held segment is found in sequence space, as
/// packet-tcp.c's follow finds it.
#[test]
fn start_and_the_lowest_held_segment() {
    let mut s: ByteStream<u32> = ByteStream::default();
    assert_eq!(s.lowest_held(), None);
    s.start_at(SeqNumber(u32::MAX - 1));
    s.start_at(SeqNumber(7)); // started already: no change
    assert_eq!(s.next(), Some(SeqNumber(u32::MAX - 1)));
    assert_eq!(
        s.accept(SeqNumber(u32::MAX - 1), b"ab"),
        Arrival::New(b"ab")
    );
    for (seq, tag) in [(40u32, 1u32), (5, 2), (u32::MAX.wrapping_add(3), 3)] {
        assert!(matches!(
            s.accept(SeqNumber(seq), b"x"),
            Arrival::Ahead { .. }
        ));
        s.hold(SeqNumber(seq), tag, b"x", Hold::Bytes, Limits::NONE);
    }
    assert_eq!(s.lowest_held(), Some(SeqNumber(2)));
}
