//! Numbers and IP addresses appended to a `String`, as their `Display` writes them.
//!
//! `write!` goes through `core::fmt`'s machinery: a few hundred instructions for one number and
//! about 1,300 for an IPv4 address. The per-frame outputs (the list's Info and address columns,
//! `frames`, `analyze --json`) write millions of them; `itoa` writes the same digits for a
//! fraction of that. IPv6 addresses keep `Display` (RFC 5952's compression is its job).

use std::fmt::Write as _;
use std::net::{IpAddr, Ipv4Addr};

/// `n` in decimal.
pub fn num(out: &mut String, n: impl itoa::Integer) {
    out.push_str(itoa::Buffer::new().format(n));
}

/// `n` in decimal, with leading zeros to `width` digits (a fraction's digits after the point).
pub fn zero_padded(out: &mut String, n: u32, width: usize) {
    let mut digits = itoa::Buffer::new();
    let digits = digits.format(n);
    out.extend(std::iter::repeat_n('0', width.saturating_sub(digits.len())));
    out.push_str(digits);
}

/// `addr` in dotted decimal.
pub fn ipv4(out: &mut String, addr: Ipv4Addr) {
    let mut digits = itoa::Buffer::new();
    for (i, octet) in addr.octets().into_iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        out.push_str(digits.format(octet));
    }
}

/// `addr` as its `Display` writes it.
pub fn ip(out: &mut String, addr: IpAddr) {
    match addr {
        IpAddr::V4(a) => ipv4(out, a),
        IpAddr::V6(a) => {
            let _ = write!(out, "{a}");
        }
    }
}

/// `addr` as its `to_string` gives it.
pub fn ip_string(addr: IpAddr) -> String {
    let mut out = String::with_capacity(15);
    ip(&mut out, addr);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_as_display_writes_them() {
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut addrs: Vec<IpAddr> = [0u32, 1, 0x0a00_0001, 0x7f00_0001, 0xc0a8_0034, u32::MAX]
            .into_iter()
            .map(|a| Ipv4Addr::from(a).into())
            .collect();
        addrs.extend((0..1000).map(|_| IpAddr::from(Ipv4Addr::from(next() as u32))));
        addrs.push(std::net::Ipv6Addr::LOCALHOST.into());
        addrs.push("2001:db8::1".parse().unwrap());
        for addr in addrs {
            assert_eq!(ip_string(addr), addr.to_string());
        }
        for n in [0u64, 7, 10, 99, 100, 65535, u32::MAX.into(), u64::MAX] {
            let mut out = String::from("x");
            num(&mut out, n);
            assert_eq!(out, format!("x{n}"));
        }
        for (n, width) in [(0, 0), (0, 6), (7, 3), (438, 6), (999_999, 6), (1234, 2)] {
            let mut out = String::new();
            zero_padded(&mut out, n, width);
            assert_eq!(out, format!("{n:0width$}"));
        }
    }
}
