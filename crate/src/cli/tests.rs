//! The command line's number and text writers.

use super::text::fixed6;
use crate::ladder::text::printable;

#[test]
fn seconds_are_written_as_rust_formats_them() {
    let mut values = vec![
        0.0,
        -0.0,
        0.5e-6,
        1.5e-6,
        2.5e-6,
        1.0000005,
        0.999_999_5,
        999_999_999.999_999_5,
        1e9,
        1e300,
        -1.25,
        f64::MIN_POSITIVE,
        5e-324,
        f64::NAN,
        f64::INFINITY,
    ];
    // Exact ties: k/128 s is 7812.5 × k millionths, half a millionth over for odd k (Rust
    // rounds half to even).
    values.extend((1..2000).step_by(2).map(|k| f64::from(k) / 128.0));
    // Random bit patterns across the range (a fixed xorshift, so the test is the same
    // every run), and values near each millionth.
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    for _ in 0..200_000 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        values.push(f64::from_bits(state >> 2)); // from 0 to 2
        values.push(f64::from_bits(state >> 1)); // any non-negative, NaN and infinity
        let micro = (state % 1_000_000_000_000_000) as f64 / 1e6;
        values.push(micro + 5e-7);
        values.push(micro);
    }
    for x in values {
        let mut t = String::new();
        fixed6(&mut t, x);
        assert_eq!(t, format!("{x:.6}"), "{x:e}");
    }
}

#[test]
fn terminal_output_shows_control_characters_as_escapes() {
    assert_eq!(printable("GET / HTTP/1.1"), "GET / HTTP/1.1");
    assert_eq!(
        printable("GET /\u{1b}[2J HTTP/1.1"),
        "GET /\\u{1b}[2J HTTP/1.1"
    );
    assert_eq!(printable("a\rb\u{9b}c"), "a\\rb\\u{9b}c");
}
