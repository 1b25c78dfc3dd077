//! Literal text → typed constants: integers, times, addresses, networks, byte strings.
//!
//! Each reader takes the word as written and returns `None` (or a reason) when it is not of
//! that type; the checker turns that into Wireshark's message. Nothing here panics.

use std::net::{Ipv4Addr, Ipv6Addr};

/// Why a word is not an unsigned integer.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum IntError {
    Invalid,
    Overflow,
}

/// An integer as Wireshark reads it: decimal, `0x` hex, `0b` binary, a leading `0` for
/// octal; a leading `-` wraps around as C's `strtoull` does (so `-1` matches nothing).
pub(crate) fn parse_uint(word: &str) -> Result<u64, IntError> {
    let (negative, digits) = match word.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, word),
    };
    let (radix, body) = if let Some(hex) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        (16, hex)
    } else if let Some(bin) = digits
        .strip_prefix("0b")
        .or_else(|| digits.strip_prefix("0B"))
    {
        (2, bin)
    } else if digits.len() > 1 && digits.starts_with('0') {
        (8, &digits[1..])
    } else {
        (10, digits)
    };
    if body.is_empty() || !body.chars().all(|c| c.is_digit(radix)) {
        return Err(IntError::Invalid);
    }
    let value = u64::from_str_radix(body, radix).map_err(|_| IntError::Overflow)?;
    Ok(if negative {
        value.wrapping_neg()
    } else {
        value
    })
}

/// Seconds, as a relative time is written: `1`, `0.5`, `-2.25` (no exponent, as 4.0).
pub(crate) fn parse_time(word: &str) -> Option<f64> {
    let digits = word.strip_prefix('-').unwrap_or(word);
    let (whole, fraction) = match digits.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (digits, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(whole) || fraction.is_some_and(|f| !all_digits(f)) {
        return None;
    }
    word.parse::<f64>().ok()
}

/// Why a word is not an address or network.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum NetError {
    Invalid,
    /// The prefix length is above the address's bits.
    Prefix(u32),
}

/// `a.b.c.d` or `a.b.c.d/n`: the address as a number and the mask of the network.
pub(crate) fn parse_ipv4_net(word: &str) -> Result<(u32, u32), NetError> {
    let (address, prefix) = split_prefix(word)?;
    let address: Ipv4Addr = address.parse().map_err(|_| NetError::Invalid)?;
    let bits = prefix.unwrap_or(32);
    if bits > 32 {
        return Err(NetError::Prefix(bits));
    }
    let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
    Ok((u32::from(address), mask))
}

/// An IPv6 address, optionally with `/n`: the address as a number and the network's mask.
pub(crate) fn parse_ipv6_net(word: &str) -> Result<(u128, u128), NetError> {
    let (address, prefix) = split_prefix(word)?;
    let address: Ipv6Addr = address.parse().map_err(|_| NetError::Invalid)?;
    let bits = prefix.unwrap_or(128);
    if bits > 128 {
        return Err(NetError::Prefix(bits));
    }
    let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
    Ok((u128::from(address), mask))
}

fn split_prefix(word: &str) -> Result<(&str, Option<u32>), NetError> {
    match word.split_once('/') {
        None => Ok((word, None)),
        Some((address, bits)) => {
            if bits.is_empty() || bits.len() > 3 || !bits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(NetError::Invalid);
            }
            let bits = bits.parse::<u32>().map_err(|_| NetError::Invalid)?;
            Ok((address, Some(bits)))
        }
    }
}

/// A byte string as Wireshark writes them: hex pairs separated by `:`, `-` or `.`
/// (`aa:bb:cc`, `aa-bb`, `aa.bb`, and `aabb.ccdd.eeff`), or unseparated hex digits
/// (`474554`). A group of one digit is one byte (`1:2` is 01 02).
pub(crate) fn parse_bytes(word: &str) -> Option<Vec<u8>> {
    if word.is_empty() {
        return None;
    }
    let hex = |group: &str| -> Option<Vec<u8>> {
        if group.is_empty() || !group.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        if group.len() <= 2 {
            return u8::from_str_radix(group, 16).ok().map(|b| vec![b]);
        }
        if group.len() % 2 != 0 {
            return None;
        }
        (0..group.len())
            .step_by(2)
            .map(|i| {
                group
                    .get(i..i + 2)
                    .and_then(|pair| u8::from_str_radix(pair, 16).ok())
            })
            .collect()
    };
    let separators: &[char] = &[':', '-', '.'];
    if !word.contains(separators) {
        return hex(word);
    }
    let mut out = Vec::new();
    for group in word.split(separators) {
        // Separated groups are one byte, or two (the dot-quad `aabb.ccdd.eeff`).
        if group.len() > 4 || group.len() == 3 {
            return None;
        }
        out.extend(hex(group)?);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_in_every_base() {
        assert_eq!(parse_uint("76"), Ok(76));
        assert_eq!(parse_uint("0x4c"), Ok(76));
        assert_eq!(parse_uint("0X4C"), Ok(76));
        assert_eq!(parse_uint("0114"), Ok(76));
        assert_eq!(parse_uint("0b1001100"), Ok(76));
        assert_eq!(parse_uint("0"), Ok(0));
        assert_eq!(parse_uint("-1"), Ok(u64::MAX));
        assert_eq!(parse_uint("09"), Err(IntError::Invalid));
        assert_eq!(parse_uint("0x"), Err(IntError::Invalid));
        assert_eq!(parse_uint("1e3"), Err(IntError::Invalid));
        assert_eq!(parse_uint("8080.0"), Err(IntError::Invalid));
        assert_eq!(parse_uint("99999999999999999999"), Err(IntError::Overflow));
    }

    #[test]
    fn times_networks_and_bytes() {
        assert_eq!(parse_time("0.003"), Some(0.003));
        assert_eq!(parse_time("1"), Some(1.0));
        assert_eq!(parse_time("3e-3"), None);
        assert_eq!(parse_time(".5"), None);
        assert_eq!(parse_ipv4_net("10.0.0.0/8"), Ok((0x0a00_0000, 0xff00_0000)));
        assert_eq!(parse_ipv4_net("10.0.0.1/0"), Ok((0x0a00_0001, 0)));
        assert_eq!(parse_ipv4_net("10.0.0.0/33"), Err(NetError::Prefix(33)));
        assert_eq!(parse_ipv4_net("300.1.1.1"), Err(NetError::Invalid));
        assert_eq!(parse_ipv4_net("192.168.000.052"), Err(NetError::Invalid));
        assert!(parse_ipv6_net("2001:db8::/32").is_ok());
        assert_eq!(parse_ipv6_net("fe80::1/129"), Err(NetError::Prefix(129)));
        assert_eq!(parse_bytes("47:45:54"), Some(vec![0x47, 0x45, 0x54]));
        assert_eq!(parse_bytes("47-45"), Some(vec![0x47, 0x45]));
        assert_eq!(parse_bytes("474554"), Some(vec![0x47, 0x45, 0x54]));
        assert_eq!(
            parse_bytes("aabb.ccdd.eeff"),
            Some(vec![0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff])
        );
        assert_eq!(parse_bytes("1"), Some(vec![1]));
        assert_eq!(parse_bytes("zz"), None);
        assert_eq!(parse_bytes("47:"), None);
        assert_eq!(parse_bytes("474"), None);
    }
}
