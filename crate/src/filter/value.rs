//! Field values as a frame source hands them to the filter, and the field types.
//!
//! A [`Value`] borrows its text and bytes from the source (`'a`), so that a per-frame store
//! can answer `http.request.method` from its own string table without allocating for every
//! frame: the filter only compares, it never keeps a value beyond one frame.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// A field's type, as Wireshark 4.0 types it (`tshark -G fields`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum ValueKind {
    /// FT_UINT8, FT_UINT16, FT_UINT32: [`Value::Uint`].
    Uint8,
    Uint16,
    Uint32,
    /// FT_FRAMENUM: [`Value::Uint`].
    FrameNumber,
    /// FT_BOOLEAN: [`Value::Bool`].
    Bool,
    /// FT_RELATIVE_TIME, in seconds: [`Value::Time`].
    Time,
    /// FT_IPv4: [`Value::Ipv4`].
    Ipv4,
    /// FT_IPv6: [`Value::Ipv6`].
    Ipv6,
    /// FT_ETHER: [`Value::Mac`].
    Mac,
    /// FT_STRING: [`Value::Str`].
    Str,
    /// FT_BYTES: [`Value::Bytes`].
    Bytes,
    /// FT_PROTOCOL: [`Value::Protocol`].
    Protocol,
    /// FT_NONE, a field that only exists or not: [`Value::Label`].
    Label,
}

impl ValueKind {
    /// Wireshark's name of the type, as its error messages spell it.
    pub fn wireshark_name(self) -> &'static str {
        match self {
            ValueKind::Uint8 => "Unsigned integer (1 byte)",
            ValueKind::Uint16 => "Unsigned integer (2 bytes)",
            ValueKind::Uint32 => "Unsigned integer (4 bytes)",
            ValueKind::FrameNumber => "Frame number",
            ValueKind::Bool => "Boolean",
            ValueKind::Time => "Time offset",
            ValueKind::Ipv4 => "IPv4 address",
            ValueKind::Ipv6 => "IPv6 address",
            ValueKind::Mac => "Ethernet or other MAC address",
            ValueKind::Str => "Character string",
            ValueKind::Bytes => "Byte sequence",
            ValueKind::Protocol => "Protocol",
            ValueKind::Label => "Label",
        }
    }

    /// The largest value of an unsigned type.
    pub(crate) fn max(self) -> Option<u64> {
        match self {
            ValueKind::Uint8 => Some(u64::from(u8::MAX)),
            ValueKind::Uint16 => Some(u64::from(u16::MAX)),
            ValueKind::Uint32 | ValueKind::FrameNumber => Some(u64::from(u32::MAX)),
            _ => None,
        }
    }

    /// Types whose values two fields can compare (Wireshark's "compatible types").
    pub(crate) fn family(self) -> u8 {
        match self {
            ValueKind::Uint8 | ValueKind::Uint16 | ValueKind::Uint32 | ValueKind::FrameNumber => 0,
            ValueKind::Bool => 1,
            ValueKind::Time => 2,
            ValueKind::Ipv4 => 3,
            ValueKind::Ipv6 => 4,
            ValueKind::Mac => 5,
            ValueKind::Str => 6,
            ValueKind::Bytes | ValueKind::Protocol => 7,
            ValueKind::Label => 8,
        }
    }

    /// Whether `contains` applies (Wireshark: byte- and string-like types).
    pub(crate) fn can_contain(self) -> bool {
        matches!(
            self,
            ValueKind::Str | ValueKind::Bytes | ValueKind::Protocol | ValueKind::Mac
        )
    }

    /// Whether `matches` applies.
    pub(crate) fn can_match(self) -> bool {
        matches!(
            self,
            ValueKind::Str | ValueKind::Bytes | ValueKind::Protocol
        )
    }
}

/// One occurrence of a field in a frame.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value<'a> {
    /// Unsigned integers and frame numbers.
    Uint(u64),
    Bool(bool),
    /// Seconds.
    Time(f64),
    Ipv4(Ipv4Addr),
    Ipv6(Ipv6Addr),
    Mac([u8; 6]),
    Str(&'a str),
    Bytes(&'a [u8]),
    /// A protocol is present; its bytes where the source has them (an index has none: a
    /// filter that compares a protocol's bytes says so with [`super::Filter::needs_bytes`]).
    Protocol(&'a [u8]),
    /// A field without a value is present (`tcp.analysis.retransmission`).
    Label,
}

impl From<IpAddr> for Value<'_> {
    fn from(addr: IpAddr) -> Self {
        match addr {
            IpAddr::V4(a) => Value::Ipv4(a),
            IpAddr::V6(a) => Value::Ipv6(a),
        }
    }
}

impl Value<'_> {
    /// The bytes a byte-like comparison (`contains`, `matches`, `==` on bytes) looks at.
    pub(crate) fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            Value::Str(s) => Some(s.as_bytes()),
            Value::Bytes(b) | Value::Protocol(b) => Some(b),
            Value::Mac(m) => Some(m),
            _ => None,
        }
    }
}
