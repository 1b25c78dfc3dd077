//! Wireshark's TCP analysis flags (`tcp.analysis.*`) as a compact set, with the Info column
//! prefixes in the order tshark 4.0 prints them.
//!
//! Promise: serialises as an array of the snake_case names of the fields tshark sets on the
//! frame (without the `tcp.analysis.` prefix; see [`AnalysisFlags::shows`]), the same set the
//! display filter matches; [`AnalysisFlags::info_prefix`] reproduces the Info column prefix
//! byte for byte.

use serde::ser::{Serialize, SerializeSeq, Serializer};

/// One analysis verdict. The discriminant is the bit in [`AnalysisFlags`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Flag {
    Retransmission,
    FastRetransmission,
    SpuriousRetransmission,
    OutOfOrder,
    LostSegment,
    AckLostSegment,
    DuplicateAck,
    ZeroWindow,
    WindowFull,
    WindowUpdate,
    KeepAlive,
    KeepAliveAck,
    ZeroWindowProbe,
    ZeroWindowProbeAck,
    ReusedPorts,
}

impl Flag {
    pub const ALL: [Flag; 15] = [
        Flag::Retransmission,
        Flag::FastRetransmission,
        Flag::SpuriousRetransmission,
        Flag::OutOfOrder,
        Flag::LostSegment,
        Flag::AckLostSegment,
        Flag::DuplicateAck,
        Flag::ZeroWindow,
        Flag::WindowFull,
        Flag::WindowUpdate,
        Flag::KeepAlive,
        Flag::KeepAliveAck,
        Flag::ZeroWindowProbe,
        Flag::ZeroWindowProbeAck,
        Flag::ReusedPorts,
    ];

    /// tshark's field name without "tcp.analysis.".
    pub fn name(self) -> &'static str {
        match self {
            Flag::Retransmission => "retransmission",
            Flag::FastRetransmission => "fast_retransmission",
            Flag::SpuriousRetransmission => "spurious_retransmission",
            Flag::OutOfOrder => "out_of_order",
            Flag::LostSegment => "lost_segment",
            Flag::AckLostSegment => "ack_lost_segment",
            Flag::DuplicateAck => "duplicate_ack",
            Flag::ZeroWindow => "zero_window",
            Flag::WindowFull => "window_full",
            Flag::WindowUpdate => "window_update",
            Flag::KeepAlive => "keep_alive",
            Flag::KeepAliveAck => "keep_alive_ack",
            Flag::ZeroWindowProbe => "zero_window_probe",
            Flag::ZeroWindowProbeAck => "zero_window_probe_ack",
            Flag::ReusedPorts => "reused_ports",
        }
    }

    fn bit(self) -> u16 {
        1 << (self as u8)
    }
}

/// Info column order. packet-tcp.c prints the flags in the order reused ports, the
/// retransmission family, lost, window, keep-alive, dup ACK, zero window, each one *prepended*
/// to the column — so the column shows them in the reverse of that order.
const INFO_ORDER: [Flag; 15] = [
    Flag::ZeroWindowProbeAck,
    Flag::ZeroWindow,
    Flag::ZeroWindowProbe,
    Flag::DuplicateAck,
    Flag::KeepAliveAck,
    Flag::KeepAlive,
    Flag::WindowFull,
    Flag::WindowUpdate,
    Flag::AckLostSegment,
    Flag::LostSegment,
    Flag::OutOfOrder,
    Flag::SpuriousRetransmission,
    Flag::FastRetransmission,
    Flag::Retransmission,
    Flag::ReusedPorts,
];

/// A set of [`Flag`]s in two bytes (one per frame, so it stays small).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AnalysisFlags(u16);

impl AnalysisFlags {
    pub fn set(&mut self, flag: Flag) {
        self.0 |= flag.bit();
    }
    pub fn clear(&mut self, flag: Flag) {
        self.0 &= !flag.bit();
    }
    pub fn has(self, flag: Flag) -> bool {
        self.0 & flag.bit() != 0
    }
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    pub fn iter(self) -> impl Iterator<Item = Flag> {
        Flag::ALL.into_iter().filter(move |f| self.has(*f))
    }

    /// Whether tshark sets the field `tcp.analysis.<flag>` on the frame: the flag itself, and
    /// for `retransmission` also a fast or spurious retransmission (packet-tcp.c adds the
    /// plain retransmission item under both).
    pub fn shows(self, flag: Flag) -> bool {
        self.has(flag)
            || (flag == Flag::Retransmission
                && (self.has(Flag::FastRetransmission) || self.has(Flag::SpuriousRetransmission)))
    }

    /// The fields tshark sets on the frame ([`Self::shows`]), in [`Flag::ALL`]'s order.
    pub fn shown(self) -> impl Iterator<Item = Flag> {
        Flag::ALL.into_iter().filter(move |f| self.shows(*f))
    }

    /// The Info column prefix, e.g. "[TCP Dup ACK 12#1] ". `dup_ack` is (frame, number).
    pub fn info_prefix(self, dup_ack: (u32, u32)) -> String {
        let mut out = String::new();
        for flag in INFO_ORDER {
            if !self.has(flag) {
                continue;
            }
            let text = match flag {
                Flag::Retransmission => "[TCP Retransmission] ",
                Flag::FastRetransmission => "[TCP Fast Retransmission] ",
                Flag::SpuriousRetransmission => "[TCP Spurious Retransmission] ",
                Flag::OutOfOrder => "[TCP Out-Of-Order] ",
                Flag::LostSegment => "[TCP Previous segment not captured] ",
                Flag::AckLostSegment => "[TCP ACKed unseen segment] ",
                Flag::DuplicateAck => {
                    out.push_str(&format!("[TCP Dup ACK {}#{}] ", dup_ack.0, dup_ack.1));
                    continue;
                }
                Flag::ZeroWindow => "[TCP ZeroWindow] ",
                Flag::WindowFull => "[TCP Window Full] ",
                Flag::WindowUpdate => "[TCP Window Update] ",
                Flag::KeepAlive => "[TCP Keep-Alive] ",
                Flag::KeepAliveAck => "[TCP Keep-Alive ACK] ",
                Flag::ZeroWindowProbe => "[TCP ZeroWindowProbe] ",
                Flag::ZeroWindowProbeAck => "[TCP ZeroWindowProbeAck] ",
                Flag::ReusedPorts => "[TCP Port numbers reused] ",
            };
            out.push_str(text);
        }
        out
    }
}

impl Serialize for AnalysisFlags {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(None)?;
        for flag in self.shown() {
            seq.serialize_element(flag.name())?;
        }
        seq.end()
    }
}
