//! Filtering a [`Report`]'s frames: from the compact records alone when every field the
//! filter names is indexed ([`Field::indexed`]), else frame by frame from their bytes.
//!
//! Promise: both ways give the same answer for indexed fields (a test checks it on every
//! shared capture); neither allocates per frame beyond what an HTTP message's fields need.
//! Known difference from a full decode: a TCP frame the tracker did not see (no IP layer)
//! shows no `tcp.*` field but `tcp` itself in the indexed way.

use super::decoded::{analysis_values, http_values};
use super::{DecodedFrame, Field, FieldSource, Filter, HttpMessage, Value};
use crate::analysis::{bits, Frame, Report, NONE};
use crate::http::{parse_start_line, FrameHttp, StartLine};
use crate::tcp::{AnalysisFlags, TcpFrameFacts, TcpRecord};
use std::cell::OnceCell;
use std::net::IpAddr;

/// The HTTP messages frame `number` shows (completes), as the filter's fields see them.
pub fn http_messages(report: &Report, number: u32) -> Vec<HttpMessage> {
    let Some(FrameHttp::Messages(views)) = report.http.frame(number) else {
        return Vec::new();
    };
    views
        .iter()
        .filter_map(|view| {
            let content_type = view.content_type.map(str::to_string);
            Some(match parse_start_line(view.line.as_bytes())? {
                StartLine::Request {
                    method,
                    uri,
                    version,
                } => HttpMessage {
                    request: true,
                    method,
                    uri,
                    version,
                    content_type,
                    ..HttpMessage::default()
                },
                StartLine::Response {
                    version,
                    status,
                    reason,
                } => HttpMessage {
                    version,
                    code: Some(status),
                    phrase: reason,
                    content_type,
                    ..HttpMessage::default()
                },
            })
        })
        .collect()
}

/// Seconds since the first frame, since the previous frame captured, and since the epoch.
fn times(report: &Report, frame: &Frame) -> (f64, f64, f64) {
    let ts = report.shown_ts(frame);
    let seconds = |ns: i128| ns as f64 / 1e9;
    let previous = frame
        .number
        .checked_sub(1)
        .and_then(|n| report.frame(n))
        .map_or(ts, |p| report.shown_ts(&p));
    (
        seconds(ts.nanos_since(report.time_origin().first_ts)),
        seconds(ts.nanos_since(previous)),
        ts.as_f64(),
    )
}

/// A frame as its records know it: every indexed field, without its bytes.
pub struct IndexedFrame<'r> {
    report: &'r Report,
    frame: Frame,
    record: Option<&'r TcpRecord>,
    facts: OnceCell<Option<TcpFrameFacts>>,
    http: OnceCell<Vec<HttpMessage>>,
}

impl<'r> IndexedFrame<'r> {
    pub fn new(report: &'r Report, frame: &Frame) -> Self {
        IndexedFrame {
            report,
            frame: *frame,
            record: (frame.tcp() != NONE)
                .then(|| report.tcp_record(frame))
                .flatten(),
            facts: OnceCell::new(),
            http: OnceCell::new(),
        }
    }

    fn facts(&self) -> Option<&TcpFrameFacts> {
        self.facts
            .get_or_init(|| self.report.tcp_facts(&self.frame))
            .as_ref()
    }

    fn http(&self) -> &[HttpMessage] {
        self.http
            .get_or_init(|| http_messages(self.report, self.frame.number))
    }

    /// The IP headers' (version 4 or 6) source and destination addresses, outer first.
    fn addresses(&self, version: u8) -> impl Iterator<Item = (IpAddr, IpAddr)> + '_ {
        let set = self.report.address_set(&self.frame);
        set.into_iter()
            .flat_map(|s| std::iter::once((s.src, s.dst)).chain(s.inner))
            .filter(move |(a, _)| a.is_ipv4() == (version == 4))
    }
}

impl FieldSource for IndexedFrame<'_> {
    fn values<'s>(&'s self, field: Field, out: &mut Vec<Value<'s>>) {
        use Field as F;
        let f = self.frame;
        let uint = |out: &mut Vec<Value<'s>>, v: u64| out.push(Value::Uint(v));
        // Protocols are present or not; their bytes are not at hand (comparing them needs
        // the bytes, and the filter says so).
        let protocol = |out: &mut Vec<Value<'s>>, bit: u16| {
            if f.has(bit) {
                out.push(Value::Protocol(&[]));
            }
        };
        let tcp = f.has(bits::TCP).then_some(self.record).flatten();
        match field {
            F::Frame => out.push(Value::Protocol(&[])),
            F::FrameNumber => uint(out, u64::from(f.number)),
            F::FrameLen => uint(out, u64::from(self.report.orig_len(&f))),
            F::FrameCapLen => uint(out, u64::from(f.cap_len())),
            F::FrameTimeRelative => out.push(Value::Time(times(self.report, &f).0)),
            F::FrameTimeDelta => out.push(Value::Time(times(self.report, &f).1)),
            F::FrameTimeEpoch => out.push(Value::Time(times(self.report, &f).2)),
            F::Eth => protocol(out, bits::ETH),
            F::Sll => protocol(out, bits::SLL),
            F::Vlan => protocol(out, bits::VLAN),
            F::Arp => protocol(out, bits::ARP),
            F::Tcp => protocol(out, bits::TCP),
            F::Udp => protocol(out, bits::UDP),
            F::Icmp => protocol(out, bits::ICMP),
            F::Icmpv6 => protocol(out, bits::ICMPV6),
            F::Ip => out.extend(self.addresses(4).map(|_| Value::Protocol(&[]))),
            F::Ipv6 => out.extend(self.addresses(6).map(|_| Value::Protocol(&[]))),
            F::IpAddr | F::Ipv6Addr => {
                for (src, dst) in self.addresses(if field == F::IpAddr { 4 } else { 6 }) {
                    out.push(src.into());
                    out.push(dst.into());
                }
            }
            F::IpSrc => self.addresses(4).for_each(|(s, _)| out.push(s.into())),
            F::IpDst => self.addresses(4).for_each(|(_, d)| out.push(d.into())),
            F::Ipv6Src => self.addresses(6).for_each(|(s, _)| out.push(s.into())),
            F::Ipv6Dst => self.addresses(6).for_each(|(_, d)| out.push(d.into())),
            F::TcpPort
            | F::UdpPort
            | F::TcpSrcPort
            | F::TcpDstPort
            | F::UdpSrcPort
            | F::UdpDstPort => {
                let ports = match field {
                    F::TcpPort | F::TcpSrcPort | F::TcpDstPort => self.report.tcp_ports(&f),
                    _ => self.report.udp_ports(&f),
                };
                if let Some((src, dst)) = ports {
                    match field {
                        F::TcpSrcPort | F::UdpSrcPort => uint(out, u64::from(src)),
                        F::TcpDstPort | F::UdpDstPort => uint(out, u64::from(dst)),
                        _ => {
                            uint(out, u64::from(src));
                            uint(out, u64::from(dst));
                        }
                    }
                }
            }
            F::TcpSeqRaw => tcp.into_iter().for_each(|r| uint(out, u64::from(r.seq))),
            F::TcpAckRaw => tcp.into_iter().for_each(|r| uint(out, u64::from(r.ack))),
            F::TcpLen => tcp
                .into_iter()
                .for_each(|r| uint(out, u64::from(self.report.tcp.segment_len(r)))),
            F::TcpStream if tcp.is_some() => {
                let stream = self.report.tcp.stream_of(f.tcp());
                stream.into_iter().for_each(|s| uint(out, u64::from(s)));
            }
            F::TcpFlags => tcp
                .into_iter()
                .for_each(|r| uint(out, u64::from(r.flags()))),
            F::TcpWindowSizeValue => tcp.into_iter().for_each(|r| uint(out, u64::from(r.window))),
            F::TcpFlagsRes
            | F::TcpFlagsAe
            | F::TcpFlagsCwr
            | F::TcpFlagsEce
            | F::TcpFlagsUrg
            | F::TcpFlagsAck
            | F::TcpFlagsPush
            | F::TcpFlagsReset
            | F::TcpFlagsSyn
            | F::TcpFlagsFin => {
                if let (Some(r), Some(mask)) = (tcp, field.tcp_flag_mask()) {
                    out.push(Value::Bool(r.flags() & mask != 0));
                }
            }
            F::TcpSeq | F::TcpAck | F::TcpNxtSeq | F::TcpWindowSize => {
                if let (Some(_), Some(t)) = (tcp, self.facts()) {
                    uint(
                        out,
                        match field {
                            F::TcpSeq => u64::from(t.relative_seq),
                            F::TcpAck => u64::from(t.relative_ack),
                            F::TcpNxtSeq => u64::from(t.next_seq),
                            _ => t.window_calc,
                        },
                    );
                }
            }
            // The flags, whose presence is the value: they are in the record.
            f if f.analysis_present(AnalysisFlags::default()).is_some() => out.extend(
                (tcp.and_then(|r| f.analysis_present(self.report.tcp.analysis(r))) == Some(true))
                    .then_some(Value::Label),
            ),
            f if f.is_tcp_analysis() && tcp.is_some() => analysis_values(self.facts(), f, out),
            f if f.is_http() && f.indexed() && self.frame.has(bits::TCP) => {
                http_values(self.http(), &[], f, out)
            }
            // Not indexed: the filter reads these frames from their bytes.
            _ => {}
        }
    }
}

/// Whether `frame` passes `filter`, from its records (for filters that need no bytes).
pub fn matches_indexed(report: &Report, frame: &Frame, filter: &Filter) -> bool {
    filter.matches(&IndexedFrame::new(report, frame))
}

/// Whether `frame` passes `filter`, decoding it from its captured `bytes`.
pub fn matches_bytes(report: &Report, frame: &Frame, bytes: &[u8], filter: &Filter) -> bool {
    let decoded = report.decode(frame, bytes);
    let facts = report.tcp_facts(frame);
    let http = if decoded.tcp.is_some() {
        http_messages(report, frame.number)
    } else {
        Vec::new()
    };
    let (time_relative, time_delta, time_epoch) = times(report, frame);
    filter.matches(&DecodedFrame {
        number: frame.number,
        orig_len: report.orig_len(frame),
        cap_len: frame.cap_len(),
        time_relative,
        time_delta,
        time_epoch,
        bytes,
        decoded: &decoded,
        tcp: facts.as_ref(),
        http: &http,
    })
}
