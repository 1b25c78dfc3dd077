//! Our results against tshark's on real captures.
//!
//! The decoder is written in parallel, so the input side here is a small test-only reader
//! that builds [`SegmentIn`]s from tshark's raw header fields; the expected side is tshark's
//! own `-2` analysis of the same frames. Tests skip (with a printed note) when tshark or the
//! shared captures are missing.

use super::{Flag, SegmentIn, TcpTracker};
use crate::capture::Timestamp;
use crate::decode::{TcpOption, TcpSegment};
use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::Path;
use std::process::Command;

use crate::test_captures::{all_captures, capture_paths, captures_dir};

/// Input fields, then expected fields; Info last because it is free text.
const FIELDS: &[&str] = &[
    "frame.number",
    "frame.time_epoch",
    "ip.src",
    "ip.dst",
    "ipv6.src",
    "ipv6.dst",
    "tcp.srcport",
    "tcp.dstport",
    "tcp.seq_raw",
    "tcp.ack_raw",
    "tcp.flags",
    "tcp.window_size_value",
    "tcp.len",
    "tcp.options.wscale.shift",
    "tcp.options.sack_le",
    "tcp.options.sack_re",
    // expected
    "tcp.stream",
    "tcp.seq",
    "tcp.ack",
    "tcp.nxtseq",
    "tcp.window_size",
    "tcp.analysis.acks_frame",
    "tcp.analysis.ack_rtt",
    "tcp.analysis.bytes_in_flight",
    "tcp.analysis.duplicate_ack_num",
    "tcp.analysis.duplicate_ack_frame",
    "tcp.analysis.initial_rtt",
    "_ws.col.Info",
];

/// tshark's per-flag fields, in [`Flag::ALL`] order (asked after Info, as their own run of
/// columns would shift Info's free text otherwise).
const FLAG_FIELDS: [&str; 15] = [
    "tcp.analysis.retransmission",
    "tcp.analysis.fast_retransmission",
    "tcp.analysis.spurious_retransmission",
    "tcp.analysis.out_of_order",
    "tcp.analysis.lost_segment",
    "tcp.analysis.ack_lost_segment",
    "tcp.analysis.duplicate_ack",
    "tcp.analysis.zero_window",
    "tcp.analysis.window_full",
    "tcp.analysis.window_update",
    "tcp.analysis.keep_alive",
    "tcp.analysis.keep_alive_ack",
    "tcp.analysis.zero_window_probe",
    "tcp.analysis.zero_window_probe_ack",
    "tcp.analysis.reused_ports",
];

/// One frame as tshark saw it.
#[derive(Clone, Debug, Default)]
pub struct TsharkFrame {
    pub number: u32,
    pub ts: Timestamp,
    pub src: Option<IpAddr>,
    pub dst: Option<IpAddr>,
    pub segment: TcpSegment,
    pub stream: String,
    pub seq: String,
    pub ack: String,
    pub next_seq: String,
    pub window_calc: String,
    pub acked_frame: String,
    pub ack_rtt: String,
    pub bytes_in_flight: String,
    pub dup_ack_num: String,
    pub dup_ack_frame: String,
    pub irtt: String,
    pub info_prefix: String,
    pub flags: super::AnalysisFlags,
}

/// A fast or spurious retransmission also carries tshark's plain retransmission expert field;
/// only the most specific one is ours.
fn flags_from_fields(cols: &[&str]) -> super::AnalysisFlags {
    let mut flags = super::AnalysisFlags::default();
    for (flag, col) in Flag::ALL.iter().zip(cols) {
        if !col.is_empty() {
            flags.set(*flag);
        }
    }
    if flags.has(Flag::FastRetransmission) || flags.has(Flag::SpuriousRetransmission) {
        flags.clear(Flag::Retransmission);
    }
    flags
}

pub fn tshark_available() -> bool {
    Command::new("tshark")
        .arg("-v")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// The first of several values: the IP header that carries the TCP header (an OpenFlow or
/// ICMP payload can hold further IP headers after it).
fn first_value(field: &str) -> &str {
    field.split(',').next().unwrap_or("")
}

fn parse_epoch(text: &str) -> Timestamp {
    let (secs, frac) = text.split_once('.').unwrap_or((text, "0"));
    let mut frac = frac.to_string();
    frac.truncate(9);
    while frac.len() < 9 {
        frac.push('0');
    }
    Timestamp {
        secs: secs.parse().unwrap_or(0),
        nanos: frac.parse().unwrap_or(0),
    }
}

/// The analysis "[TCP ...] " items of an Info column, in order. They are usually a prefix,
/// but a dissector that set a column fence first ("Client: ") has them after its text.
pub fn tcp_prefix(info: &str) -> String {
    const KNOWN: [&str; 15] = [
        "[TCP Retransmission] ",
        "[TCP Fast Retransmission] ",
        "[TCP Spurious Retransmission] ",
        "[TCP Out-Of-Order] ",
        "[TCP Previous segment not captured] ",
        "[TCP ACKed unseen segment] ",
        "[TCP Dup ACK ",
        "[TCP ZeroWindow] ",
        "[TCP Window Full] ",
        "[TCP Window Update] ",
        "[TCP Keep-Alive] ",
        "[TCP Keep-Alive ACK] ",
        "[TCP ZeroWindowProbe] ",
        "[TCP ZeroWindowProbeAck] ",
        "[TCP Port numbers reused] ",
    ];
    let mut out = String::new();
    let mut rest = info;
    while let Some(start) = rest.find("[TCP ") {
        let tail = &rest[start..];
        let Some(close) = tail.find("] ") else { break };
        let item = &tail[..close + 2];
        if KNOWN.iter().any(|k| item.starts_with(k)) {
            out.push_str(item);
        }
        rest = &tail[close + 2..];
    }
    out
}

/// Runs tshark on `path`: one entry per frame that carries exactly one TCP header outside
/// ICMP errors (the frames our decoder hands to the tracker).
pub fn tshark_frames(path: &Path) -> Option<Vec<TsharkFrame>> {
    let mut cmd = Command::new("tshark");
    cmd.args(["-2", "-n", "-r"])
        .arg(path)
        .args([
            "-o",
            "tcp.relative_sequence_numbers:TRUE",
            "-o",
            "tcp.analyze_sequence_numbers:TRUE",
        ])
        .args([
            "-Y",
            "tcp && !icmp && !icmpv6",
            "-T",
            "fields",
            "-E",
            "separator=/t",
            "-E",
            "occurrence=a",
        ]);
    let info = FIELDS.len() - 1;
    for f in FIELDS[..info]
        .iter()
        .chain(FLAG_FIELDS.iter())
        .chain(FIELDS[info..].iter())
    {
        cmd.args(["-e", f]);
    }
    let columns = FIELDS.len() + FLAG_FIELDS.len();
    let out = cmd.output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut frames = Vec::new();
    for line in text.lines() {
        let cols: Vec<&str> = line.splitn(columns, '\t').collect();
        if cols.len() < columns || cols[6].contains(',') || cols[6].is_empty() {
            continue;
        }
        let ip = |v4: &str, v6: &str| -> Option<IpAddr> {
            let v = if !v4.is_empty() {
                first_value(v4)
            } else {
                first_value(v6)
            };
            v.parse().ok()
        };
        let flags = u16::from_str_radix(cols[10].trim_start_matches("0x"), 16).unwrap_or(0);
        let mut options = Vec::new();
        if let Ok(shift) = cols[13].split(',').next().unwrap_or("").parse::<u8>() {
            options.push(TcpOption::WindowScale(shift));
        }
        let edges =
            |col: &str| -> Vec<u32> { col.split(',').filter_map(|v| v.parse().ok()).collect() };
        let blocks: Vec<(u32, u32)> = edges(cols[14]).into_iter().zip(edges(cols[15])).collect();
        if !blocks.is_empty() {
            options.push(TcpOption::Sack(blocks));
        }
        let segment = TcpSegment {
            src_port: cols[6].parse().unwrap_or(0),
            dst_port: cols[7].parse().unwrap_or(0),
            seq: cols[8].parse().unwrap_or(0),
            ack: cols[9].parse().unwrap_or(0),
            flags,
            window: cols[11].parse().unwrap_or(0),
            payload_len: cols[12].parse().unwrap_or(0),
            options,
            ..TcpSegment::default()
        };
        frames.push(TsharkFrame {
            number: cols[0].parse().unwrap_or(0),
            ts: parse_epoch(cols[1]),
            src: ip(cols[2], cols[4]),
            dst: ip(cols[3], cols[5]),
            segment,
            stream: cols[16].into(),
            seq: cols[17].into(),
            ack: cols[18].into(),
            next_seq: cols[19].into(),
            window_calc: cols[20].into(),
            acked_frame: cols[21].into(),
            ack_rtt: cols[22].into(),
            bytes_in_flight: cols[23].into(),
            dup_ack_num: cols[24].into(),
            dup_ack_frame: cols[25].into(),
            irtt: cols[26].into(),
            info_prefix: tcp_prefix(cols[columns - 1]),
            flags: flags_from_fields(&cols[27..27 + FLAG_FIELDS.len()]),
        });
    }
    Some(frames)
}

/// Field → (agree, total), and per flag (true positives, false positives, false negatives).
#[derive(Default, Debug)]
pub struct Agreement {
    pub fields: BTreeMap<&'static str, (u64, u64)>,
    pub flags: BTreeMap<&'static str, (u64, u64, u64)>,
    pub mismatches: Vec<String>,
}

impl Agreement {
    fn field(&mut self, name: &'static str, ours: String, theirs: &str, frame: u32, file: &str) {
        let entry = self.fields.entry(name).or_default();
        entry.1 += 1;
        if ours == theirs {
            entry.0 += 1;
        } else if self.mismatches.len() < 400 {
            self.mismatches.push(format!(
                "{file} #{frame} {name}: ours {ours:?} tshark {theirs:?}"
            ));
        }
    }

    pub fn field_rate(&self, name: &str) -> f64 {
        self.fields
            .get(name)
            .map(|(a, t)| *a as f64 / (*t).max(1) as f64)
            .unwrap_or(1.0)
    }
}

fn opt_string<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// Feeds tshark's frames of `path` through our tracker and compares, adding to `agreement`.
pub fn compare_capture(path: &Path, agreement: &mut Agreement) -> Option<usize> {
    let frames = tshark_frames(path)?;
    let mut tracker = TcpTracker::new();
    let mut fed = Vec::new();
    for f in &frames {
        let (Some(src), Some(dst)) = (f.src, f.dst) else {
            continue;
        };
        tracker.push(&SegmentIn {
            number: f.number,
            ts: f.ts,
            src,
            dst,
            segment: &f.segment,
            payload: &[],
        });
        fed.push(f);
    }
    let times: std::collections::HashMap<u32, i128> =
        fed.iter().map(|f| (f.number, f.ts.as_nanos())).collect();
    let ts_of = |number: u32| times.get(&number).copied().unwrap_or(0);
    let (analysis, _) = tracker.finish();
    let facts = analysis.all_facts(&ts_of);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    for (ours, theirs) in facts.iter().zip(fed.iter()) {
        let n = theirs.number;
        agreement.field("stream", ours.stream.to_string(), &theirs.stream, n, &name);
        agreement.field("seq", ours.relative_seq.to_string(), &theirs.seq, n, &name);
        agreement.field("ack", ours.relative_ack.to_string(), &theirs.ack, n, &name);
        agreement.field(
            "next_seq",
            ours.next_seq.to_string(),
            &theirs.next_seq,
            n,
            &name,
        );
        agreement.field(
            "window_calc",
            ours.window_calc.to_string(),
            &theirs.window_calc,
            n,
            &name,
        );
        agreement.field(
            "acked_frame",
            opt_string(ours.acked_frame),
            &theirs.acked_frame,
            n,
            &name,
        );
        // tshark prints the RTT only when it is not zero.
        let rtt = ours
            .ack_rtt
            .filter(|r| *r != 0.0)
            .map(|r| format!("{r:.9}"));
        agreement.field("ack_rtt", opt_string(rtt), &theirs.ack_rtt, n, &name);
        agreement.field(
            "bytes_in_flight",
            opt_string(ours.bytes_in_flight),
            &theirs.bytes_in_flight,
            n,
            &name,
        );
        agreement.field(
            "dup_ack_num",
            opt_string(ours.dup_ack_num),
            &theirs.dup_ack_num,
            n,
            &name,
        );
        agreement.field(
            "dup_ack_of",
            opt_string(ours.dup_ack_of),
            &theirs.dup_ack_frame,
            n,
            &name,
        );
        agreement.field(
            "info_prefix",
            ours.info_prefix(),
            &theirs.info_prefix,
            n,
            &name,
        );
        // tshark shows the iRTT only on frames with an analysis subtree; compare there.
        if !theirs.irtt.is_empty() {
            agreement.field(
                "irtt",
                opt_string(ours.irtt.map(|r| format!("{r:.9}"))),
                &theirs.irtt,
                n,
                &name,
            );
        }
        for flag in Flag::ALL {
            let theirs_has = theirs.flags.has(flag);
            let ours_has = ours.analysis.has(flag);
            let e = agreement.flags.entry(flag.name()).or_default();
            match (ours_has, theirs_has) {
                (true, true) => e.0 += 1,
                (true, false) => e.1 += 1,
                (false, true) => e.2 += 1,
                _ => {}
            }
        }
    }
    compare_connections(path, &analysis, agreement, &name);
    Some(fed.len())
}

/// Per stream: tshark's tcp.completeness and iRTT against our connection summaries.
fn compare_connections(
    path: &Path,
    ours: &super::TcpAnalysis,
    agreement: &mut Agreement,
    name: &str,
) {
    let Ok(out) = Command::new("tshark")
        .args(["-2", "-n", "-r"])
        .arg(path)
        .args([
            "-Y",
            "tcp && !icmp && !icmpv6",
            "-T",
            "fields",
            "-E",
            "separator=/t",
        ])
        .args([
            "-e",
            "tcp.stream",
            "-e",
            "tcp.completeness",
            "-e",
            "tcp.analysis.initial_rtt",
        ])
        .output()
    else {
        return;
    };
    let mut seen = std::collections::BTreeMap::<u32, (String, String)>::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        let Some(stream) = cols.first().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        let entry = seen.entry(stream).or_default();
        if let Some(c) = cols.get(1).filter(|c| !c.is_empty()) {
            entry.0 = c.to_string();
        }
        if let Some(r) = cols.get(2).filter(|r| !r.is_empty()) {
            entry.1 = r.to_string();
        }
    }
    for (stream, (completeness, irtt)) in seen {
        // Neither the completeness nor the iRTT reads the frames' times.
        let Some(conn) = ours.connection(stream, &|_| 0) else {
            continue;
        };
        agreement.field(
            "conn.completeness",
            conn.completeness.value.to_string(),
            &completeness,
            stream,
            name,
        );
        let our_irtt = conn
            .handshake
            .irtt()
            .map(|r| format!("{r:.9}"))
            .unwrap_or_default();
        agreement.field("conn.irtt", our_irtt, &irtt, stream, name);
    }
}

fn report(agreement: &Agreement) {
    println!("field agreement:");
    for (name, (agree, total)) in &agreement.fields {
        println!(
            "  {name:16} {agree}/{total} ({:.2}%)",
            100.0 * *agree as f64 / (*total).max(1) as f64
        );
    }
    println!("flag agreement (both / only ours / only tshark):");
    for (name, (tp, fp, fneg)) in &agreement.flags {
        println!("  {name:24} {tp} / {fp} / {fneg}");
    }
    for m in agreement
        .mismatches
        .iter()
        .filter(|m| !m.contains("bytes_in_flight"))
        .take(40)
    {
        println!("  mismatch: {m}");
    }
}

#[test]
fn agrees_with_tshark_on_target_captures() {
    if !tshark_available() {
        println!("SKIPPED: tshark not installed");
        return;
    }
    let paths = capture_paths(&[
        "seed/demo.pcap",
        "public/zeek/retransmit-fast009.pcap",
        "public/zeek/206_example_b.pcap",
        "public/zeek/handshake-reorder.pcap",
        "public/zeek/syn-then-rst.pcap",
        "public/zeek/fin_retransmission.pcap",
        "public/zeek/option-sack.pcap",
        "public/tcpdump/dns_tcp.pcap",
        "public/zeek/missing-syn.pcap",
        "public/zeek/ssh-dups.pcap",
    ]);
    if paths.is_empty() {
        println!("SKIPPED: shared captures not found");
        return;
    }
    let mut agreement = Agreement::default();
    for p in &paths {
        compare_capture(p, &mut agreement);
    }
    report(&agreement);
    for name in ["stream", "seq", "ack", "next_seq", "window_calc"] {
        assert!(
            agreement.field_rate(name) >= 0.999,
            "{name} agreement {}",
            agreement.field_rate(name)
        );
    }
}

/// Every shared capture; prints the agreement rates (run with --ignored --nocapture).
#[test]
#[ignore]
fn agreement_report_all_captures() {
    if !tshark_available() {
        println!("SKIPPED: tshark not installed");
        return;
    }
    let mut agreement = Agreement::default();
    for p in all_captures() {
        compare_capture(&p, &mut agreement);
    }
    report(&agreement);
}

/// Prints our connection summaries for the capture named in $CAPTURE (a path under the shared
/// captures), for eyeballing: `CAPTURE=public/zeek/get.pcap cargo test print_connections -- --ignored --nocapture`.
#[test]
#[ignore]
fn print_connections() {
    let Ok(rel) = std::env::var("CAPTURE") else {
        println!("SKIPPED: set CAPTURE");
        return;
    };
    let Some(frames) = captures_dir().and_then(|dir| tshark_frames(&dir.join(rel))) else {
        return;
    };
    let mut tracker = TcpTracker::new();
    for f in &frames {
        let (Some(src), Some(dst)) = (f.src, f.dst) else {
            continue;
        };
        tracker.push(&SegmentIn {
            number: f.number,
            ts: f.ts,
            src,
            dst,
            segment: &f.segment,
            payload: &[],
        });
    }
    let (analysis, _) = tracker.finish();
    for c in analysis.connections(&|_| 0) {
        println!(
            "{} {} -> {} guessed={} hs={:?} {:?} close={:?} {:?} {:?} {:?} compl={} {} {} {}",
            c.stream,
            c.client,
            c.server,
            c.roles_guessed,
            c.handshake.kind,
            c.handshake.frames,
            c.close.kind,
            c.close.initiator,
            c.close.frames,
            c.close.reset_state,
            c.completeness.value,
            c.completeness.flags(),
            c.conn_state,
            c.history
        );
    }
}
