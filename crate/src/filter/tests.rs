//! Display filters: every form on hand-made frames, Wireshark's errors and spans, the
//! tutorial's capture, and a million frames.
//!
//! Expected verdicts and messages were taken from tshark 4.0.17 (`tshark -r demo.pcap -Y
//! FILTER`) where a capture shows them.

use super::*;
use crate::analysis::Report;
use std::net::{Ipv4Addr, Ipv6Addr};

/// A frame made of (field, value) pairs; a field may appear several times.
struct Frame(Vec<(Field, Value<'static>)>);

impl FieldSource for Frame {
    fn values<'a>(&'a self, field: Field, out: &mut Vec<Value<'a>>) {
        out.extend(self.0.iter().filter(|(f, _)| *f == field).map(|(_, v)| *v));
    }
}

fn v4(text: &str) -> Value<'static> {
    Value::Ipv4(text.parse::<Ipv4Addr>().expect("test address"))
}

/// Frame 4 of the tutorial's capture, as an index would describe it, plus a few fields.
fn request() -> Frame {
    use Field as F;
    Frame(vec![
        (F::Frame, Value::Protocol(&[])),
        (F::FrameNumber, Value::Uint(4)),
        (F::FrameLen, Value::Uint(165)),
        (F::FrameTimeRelative, Value::Time(0.0005)),
        (F::FrameTimeDelta, Value::Time(0.000062)),
        (F::Sll, Value::Protocol(&[])),
        (F::Ip, Value::Protocol(&[])),
        (F::IpAddr, v4("192.168.0.50")),
        (F::IpAddr, v4("192.168.0.52")),
        (F::IpSrc, v4("192.168.0.50")),
        (F::IpDst, v4("192.168.0.52")),
        (F::IpTtl, Value::Uint(64)),
        (F::IpFlagsDf, Value::Bool(true)),
        (F::Tcp, Value::Protocol(b"..GET /hello")),
        (F::TcpPort, Value::Uint(58626)),
        (F::TcpPort, Value::Uint(8080)),
        (F::TcpSrcPort, Value::Uint(58626)),
        (F::TcpDstPort, Value::Uint(8080)),
        (F::TcpStream, Value::Uint(0)),
        (F::TcpLen, Value::Uint(97)),
        (F::TcpFlags, Value::Uint(0x018)),
        (F::TcpFlagsSyn, Value::Bool(false)),
        (F::TcpFlagsAck, Value::Bool(true)),
        (F::TcpFlagsPush, Value::Bool(true)),
        (F::TcpFlagsFin, Value::Bool(false)),
        (
            F::TcpPayload,
            Value::Bytes(b"GET /hello?name=world HTTP/1.1\r\n"),
        ),
        (F::TcpAnalysisBytesInFlight, Value::Uint(97)),
        (F::TcpAnalysisInitialRtt, Value::Time(0.000438)),
        (F::Http, Value::Protocol(&[])),
        (F::HttpRequest, Value::Bool(true)),
        (F::HttpRequestMethod, Value::Str("GET")),
        (F::HttpRequestUri, Value::Str("/hello?name=world")),
        (F::HttpRequestVersion, Value::Str("HTTP/1.1")),
    ])
}

/// An ARP frame on Ethernet: no IP, no TCP.
fn arp() -> Frame {
    use Field as F;
    Frame(vec![
        (F::Frame, Value::Protocol(&[])),
        (F::FrameNumber, Value::Uint(1)),
        (F::Eth, Value::Protocol(&[])),
        (F::EthAddr, Value::Mac([0xff; 6])),
        (F::EthAddr, Value::Mac([0, 0x11, 0x22, 0x33, 0x44, 0x55])),
        (F::EthDst, Value::Mac([0xff; 6])),
        (F::EthSrc, Value::Mac([0, 0x11, 0x22, 0x33, 0x44, 0x55])),
        (F::Arp, Value::Protocol(&[])),
        (F::ArpOpcode, Value::Uint(1)),
        (F::ArpSrcProtoIpv4, v4("10.0.0.1")),
    ])
}

/// A TCP segment over IPv6 with a retransmission flag.
fn retransmission_v6() -> Frame {
    use Field as F;
    let a: Ipv6Addr = "2001:db8::1".parse().expect("address");
    let b: Ipv6Addr = "fe80::2".parse().expect("address");
    Frame(vec![
        (F::Frame, Value::Protocol(&[])),
        (F::FrameNumber, Value::Uint(9)),
        (F::Ipv6, Value::Protocol(&[])),
        (F::Ipv6Addr, Value::Ipv6(a)),
        (F::Ipv6Addr, Value::Ipv6(b)),
        (F::Ipv6Src, Value::Ipv6(a)),
        (F::Ipv6Dst, Value::Ipv6(b)),
        (F::Tcp, Value::Protocol(&[])),
        (F::TcpPort, Value::Uint(443)),
        (F::TcpPort, Value::Uint(50000)),
        (F::TcpFlags, Value::Uint(0x012)),
        (F::TcpFlagsSyn, Value::Bool(true)),
        (F::TcpFlagsAck, Value::Bool(true)),
        (F::TcpFlagsAe, Value::Bool(false)),
        (F::TcpAnalysisFlags, Value::Label),
        (F::TcpAnalysisRetransmission, Value::Label),
        (F::TcpAnalysisAckRtt, Value::Time(0.25)),
    ])
}

fn verdicts(filter: &str) -> [bool; 3] {
    let compiled = compile(filter).unwrap_or_else(|e| panic!("{filter}: {e:?}"));
    [request(), arp(), retransmission_v6()].map(|frame| compiled.matches(&frame))
}

#[test]
fn every_form_evaluates_as_wireshark() {
    let cases: &[(&str, [bool; 3])] = &[
        // Existence, protocols and fields.
        ("tcp", [true, false, true]),
        ("frame", [true, true, true]),
        ("eth", [false, true, false]),
        ("arp", [false, true, false]),
        ("tcp.analysis.retransmission", [false, false, true]),
        ("tcp.analysis.flags", [false, false, true]),
        ("http.request", [true, false, false]),
        ("tcp.flags.syn", [true, false, true]),
        // Comparisons in both spellings.
        ("tcp.port == 8080", [true, false, false]),
        ("tcp.port eq 8080", [true, false, false]),
        ("tcp.port any_eq 8080", [true, false, false]),
        ("tcp.port==8080", [true, false, false]),
        ("tcp.len > 0", [true, false, false]),
        ("tcp.len gt 96", [true, false, false]),
        ("tcp.len >= 97 && tcp.len <= 97", [true, false, false]),
        ("tcp.len ge 98 || tcp.len le 96", [false, false, false]),
        ("tcp.len < 98", [true, false, false]),
        ("tcp.len lt 97", [false, false, false]),
        // != is "all not equal", and false on an absent field (so not the same as !(==)).
        ("tcp.port != 8080", [false, false, true]),
        ("tcp.port ne 80", [true, false, true]),
        ("tcp.port all_ne 80", [true, false, true]),
        ("!(tcp.port == 8080)", [false, true, true]),
        ("tcp.port !== 8080", [true, false, true]),
        ("tcp.port any_ne 8080", [true, false, true]),
        ("tcp.port ~= 8080", [true, false, true]),
        ("tcp.port === 8080", [false, false, false]),
        ("tcp.port all_eq 443", [false, false, false]),
        ("tcp.srcport === 58626", [true, false, false]),
        ("all tcp.port > 400", [true, false, true]),
        ("all tcp.port > 1000", [true, false, false]),
        ("any tcp.port != 8080", [true, false, true]),
        ("all tcp.port == 8080", [false, false, false]),
        // Integers in every base; the flag word and its bits.
        ("tcp.flags == 0x018", [true, false, false]),
        ("tcp.flags == 0x12", [false, false, true]),
        ("tcp.flags == 18", [false, false, true]),
        ("tcp.flags == 022", [false, false, true]),
        ("tcp.flags == 0b10010", [false, false, true]),
        ("tcp.flags.syn == 1", [false, false, true]),
        ("tcp.flags.syn == 0", [true, false, false]),
        ("tcp.flags.syn == True", [false, false, true]),
        ("tcp.flags.syn == true", [false, false, true]),
        ("tcp.flags.syn == FALSE", [true, false, false]),
        ("tcp.flags.syn == 2", [false, false, true]),
        ("tcp.flags.syn > 0", [false, false, true]),
        ("tcp.flags.ns == 0", [false, false, true]),
        (
            "tcp.flags.push == 1 and tcp.flags.ack == 1",
            [true, false, false],
        ),
        ("frame.len > 'A'", [true, false, false]),
        // Times as seconds.
        ("frame.time_relative > 0.0004", [true, false, false]),
        ("frame.time_delta <= 0.0001", [true, false, false]),
        ("tcp.analysis.ack_rtt >= 0.25", [false, false, true]),
        ("tcp.analysis.initial_rtt == 0.000438", [true, false, false]),
        // Addresses, networks, MACs.
        ("ip.addr == 192.168.0.52", [true, false, false]),
        ("ip.src == 192.168.0.52", [false, false, false]),
        ("ip.addr == 192.168.0.0/24", [true, false, false]),
        ("ip.addr == 10.0.0.0/8", [false, false, false]),
        ("ip.addr != 192.168.0.50", [false, false, false]),
        ("ip.dst != 192.168.0.50", [true, false, false]),
        ("ip.src > 192.168.0.49", [true, false, false]),
        ("ip.addr > 10.0.0.0/8", [true, false, false]),
        ("ip.src == 192.168.0.50/32", [true, false, false]),
        ("ip.addr == 0.0.0.0/0", [true, false, false]),
        ("ipv6.addr == 2001:db8::/32", [false, false, true]),
        ("ipv6.src == 2001:db8::1", [false, false, true]),
        (
            "ipv6.addr == fe80::/10 && ipv6.dst == fe80::2",
            [false, false, true],
        ),
        ("ipv6.addr == ::1", [false, false, false]),
        ("eth.addr == ff:ff:ff:ff:ff:ff", [false, true, false]),
        ("eth.dst == ff-ff-ff-ff-ff-ff", [false, true, false]),
        ("eth.src == 0011.2233.4455", [false, true, false]),
        ("eth.src == 00.11.22.33.44.55", [false, true, false]),
        ("eth.addr contains 22:33", [false, true, false]),
        (
            "arp.src.proto_ipv4 == 10.0.0.1 and arp.opcode == 1",
            [false, true, false],
        ),
        // Strings, bytes, contains, matches.
        ("http.request.method == \"GET\"", [true, false, false]),
        ("http.request.method == GET", [true, false, false]),
        ("http.request.method == \"get\"", [false, false, false]),
        ("http.request.method == \"\\x47ET\"", [true, false, false]),
        ("http.request.method == \"\\107ET\"", [true, false, false]),
        ("http.request.method > \"A\"", [true, false, false]),
        ("http.request.uri contains \"name=\"", [true, false, false]),
        ("http.request.uri contains hello", [true, false, false]),
        ("http.request.uri matches \"HELLO\"", [true, false, false]),
        ("http.request.uri ~ \"^/h.*world$\"", [true, false, false]),
        (
            "http.request.uri matches \"(?-i)HELLO\"",
            [false, false, false],
        ),
        (
            "http.request.uri matches r\"^/h\\w+\\?\"",
            [true, false, false],
        ),
        ("http.request.version == \"HTTP/1.1\"", [true, false, false]),
        ("tcp.payload contains \"GET\"", [true, false, false]),
        ("tcp.payload contains 47:45:54", [true, false, false]),
        ("tcp.payload contains 47.45.54", [true, false, false]),
        ("tcp.payload contains 47-45-54", [true, false, false]),
        ("tcp.payload contains 474554", [true, false, false]),
        ("tcp.payload contains 0x47", [true, false, false]),
        ("tcp.payload > 47", [true, false, false]),
        ("tcp.payload == 47", [false, false, false]),
        ("tcp.payload matches \"^get /\"", [true, false, false]),
        ("tcp contains \"GET\"", [true, false, false]),
        // Membership.
        ("tcp.port in {80 443 8000..8080}", [true, false, true]),
        ("tcp.port in {80, 443}", [false, false, true]),
        ("tcp.port in {8000 .. 8079}", [false, false, false]),
        ("tcp.port in {80..70}", [false, false, false]),
        ("tcp.port not in {8080}", [false, true, true]),
        (
            "http.request.method in {\"HEAD\", \"GET\"}",
            [true, false, false],
        ),
        (
            "ip.addr in {192.168.0.49 .. 192.168.0.50}",
            [true, false, false],
        ),
        ("frame.time_delta in {0 .. 0.0001}", [true, false, false]),
        ("all tcp.port in {443, 50000}", [false, false, true]),
        // Field against field.
        ("tcp.srcport > tcp.dstport", [true, false, false]),
        (".tcp.srcport > .tcp.dstport", [true, false, false]),
        (".tcp", [true, false, true]),
        ("tcp.port == tcp.srcport", [true, false, false]),
        ("tcp.port != tcp.srcport", [false, false, false]),
        // Logic: precedence not > and > xor > or, left to right.
        ("not tcp", [false, true, false]),
        ("!tcp", [false, true, false]),
        ("not not tcp", [true, false, true]),
        (
            "frame.number == 1 or frame.number == 4 and frame.number == 9",
            [false, true, false],
        ),
        (
            "frame.number == 1 || frame.number == 4 && frame.number == 4",
            [true, true, false],
        ),
        (
            "(frame.number == 1 or frame.number == 4) and tcp",
            [true, false, false],
        ),
        (
            "not frame.number == 1 and frame.number == 4",
            [true, false, false],
        ),
        ("tcp xor ipv6", [true, false, false]),
        ("tcp ^^ ip ^^ frame", [true, true, false]),
        ("", [true, true, true]),
        ("   ", [true, true, true]),
    ];
    let mut failures = Vec::new();
    for (filter, expected) in cases {
        // The fuzz target's body, seeded with every valid form (it decodes real frames).
        crate::fuzzing::display_filter(filter.as_bytes());
        let got = verdicts(filter);
        if &got != expected {
            failures.push(format!("{filter}: expected {expected:?}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn errors_have_wiresharks_words_and_spans() {
    // (filter, message, start, end); spans are tshark 4.0.17's carets, end-of-text errors
    // point just after the last character.
    let cases: &[(&str, &str, usize, usize)] = &[
        (
            "tcp.flags.fin ==",
            "Unexpected end of filter expression.",
            16,
            16,
        ),
        ("(tcp", "Unexpected end of filter expression.", 4, 4),
        (
            "http.request.method > ",
            "Unexpected end of filter expression.",
            22,
            22,
        ),
        ("tcp and", "Unexpected end of filter expression.", 7, 7),
        ("not", "Unexpected end of filter expression.", 3, 3),
        (
            "tcp.port in {80, 443",
            "Unexpected end of filter expression.",
            20,
            20,
        ),
        (
            "foo.bar",
            "foo.bar is neither a field nor a protocol name.",
            0,
            7,
        ),
        (
            "not foo",
            "foo is neither a field nor a protocol name.",
            4,
            7,
        ),
        ("80", "80 is neither a field nor a protocol name.", 0, 2),
        (
            "\"abc\"",
            "\"abc\" is neither a field nor a protocol name.",
            0,
            5,
        ),
        (
            "tcp.flags.ecn",
            "tcp.flags.ecn is neither a field nor a protocol name.",
            0,
            13,
        ),
        (
            "tcp.prot == 80",
            "Left side of \"==\" expression must be a field or function, not tcp.prot.",
            0,
            8,
        ),
        (
            "tcp.prot eq 80",
            "Left side of \"eq\" expression must be a field or function, not tcp.prot.",
            0,
            8,
        ),
        (
            "tcp.prot contains 80",
            "Left side of contains expression must be a field or function, not tcp.prot.",
            0,
            8,
        ),
        (
            "80 == tcp.port",
            "Left side of \"==\" expression must be a field or function, not 80.",
            0,
            2,
        ),
        (
            "tcp.prot in {80}",
            "Only a field may be tested for membership in a set.",
            0,
            8,
        ),
        (
            "tcp.port == tcp.prot",
            "\"tcp.prot\" is not a valid number.",
            12,
            20,
        ),
        ("tcp.port == abc", "\"abc\" is not a valid number.", 12, 15),
        ("tcp.port == 1e3", "\"1e3\" is not a valid number.", 12, 15),
        (
            "tcp.port == 8080.0",
            "\"8080.0\" is not a valid number.",
            12,
            18,
        ),
        ("frame.len == 09", "\"09\" is not a valid number.", 13, 15),
        (
            "tcp.port == 65536",
            "\"65536\" too big for this field, maximum 65535.",
            12,
            17,
        ),
        (
            "tcp.port == 99999999999999999999",
            "\"99999999999999999999\" causes an integer overflow.",
            12,
            32,
        ),
        (
            "tcp.port == \"x\"",
            "Unsigned integer (2 bytes) cannot be converted from a string (\"x\").",
            12,
            15,
        ),
        (
            "tcp.port in {80, \"x\"}",
            "Unsigned integer (2 bytes) cannot be converted from a string (\"x\").",
            17,
            20,
        ),
        (
            "ip.addr == 300.1.1.1",
            "\"300.1.1.1\" is not a valid hostname or IPv4 address.",
            11,
            20,
        ),
        (
            "ip.addr == 192.168.000.052",
            "\"192.168.000.052\" is not a valid hostname or IPv4 address.",
            11,
            26,
        ),
        (
            "ip.addr == ::1",
            "\"::1\" is not a valid hostname or IPv4 address.",
            11,
            14,
        ),
        (
            "ip.addr == 10.0.0.0/33",
            "Netmask bits in a CIDR IPv4 address should be <= 32, not 33",
            11,
            22,
        ),
        (
            "ip.addr == \"192.168.0.50\"",
            "IPv4 address cannot be converted from a string (\"192.168.0.50\").",
            11,
            25,
        ),
        (
            "ipv6.addr == fe80::1/129",
            "Prefix in a IPv6 address should be <= 128, not 129",
            13,
            24,
        ),
        (
            "ipv6.addr == 1.2.3.4",
            "\"1.2.3.4\" is not a valid hostname or IPv6 address.",
            13,
            20,
        ),
        (
            "eth.addr == aa:bb",
            "\"aa:bb\" contains too few bytes to be a valid Ethernet address.",
            12,
            17,
        ),
        (
            "eth.addr == ff:ff:ff:ff:ff:ff:ff",
            "\"ff:ff:ff:ff:ff:ff:ff\" contains too many bytes to be a valid Ethernet address.",
            12,
            32,
        ),
        (
            "eth.addr == zz",
            "\"zz\" is not a valid Ethernet address.",
            12,
            14,
        ),
        (
            "eth.addr == \"aa\"",
            "Ethernet or other MAC address cannot be converted from a string (\"aa\").",
            12,
            16,
        ),
        (
            "frame.time_relative > 3e-3",
            "\"3e-3\" is not a valid time.",
            22,
            26,
        ),
        (
            "frame.time_relative == \"1\"",
            "Time offset cannot be converted from a string (\"1\").",
            23,
            26,
        ),
        (
            "tcp.flags.syn == 3.5",
            "\"3.5\" cannot be found among the possible values for tcp.flags.syn.",
            17,
            20,
        ),
        (
            "tcp.flags.syn == \"1\"",
            "\"1\" cannot be found among the possible values for tcp.flags.syn.",
            17,
            20,
        ),
        (
            "tcp.payload == zz",
            "\"zz\" is not a valid byte string.",
            15,
            17,
        ),
        (
            "tcp.payload contains 0x4745",
            "\"0x4745\" is not a valid byte string.",
            21,
            27,
        ),
        (
            "tcp.analysis.flags == 1",
            "tcp.analysis.flags (type=Label) cannot participate in == comparison.",
            0,
            18,
        ),
        (
            "tcp.analysis.flags in {1}",
            "tcp.analysis.flags (type=Label) cannot participate in in comparison.",
            0,
            18,
        ),
        (
            "tcp.port contains 80",
            "tcp.port (type=Unsigned integer (2 bytes)) cannot participate in contains comparison.",
            0,
            8,
        ),
        (
            "tcp.port ~ \"x\"",
            "tcp.port (type=Unsigned integer (2 bytes)) cannot participate in ~ comparison.",
            0,
            8,
        ),
        (
            "ip.addr contains 1",
            "ip.addr (type=IPv4 address) cannot participate in contains comparison.",
            0,
            7,
        ),
        (
            "frame.time_relative contains 1",
            "frame.time_relative (type=Time offset) cannot participate in contains comparison.",
            0,
            19,
        ),
        (
            "http.request.method matches GET",
            "Matches requires a double quoted string on the right side.",
            28,
            31,
        ),
        (
            "tcp.port == ip.src",
            "tcp.port and ip.src are not of compatible types.",
            12,
            18,
        ),
        (
            "tcp.port == tcp",
            "tcp.port and tcp are not of compatible types.",
            12,
            15,
        ),
        (
            "http.request.uri == \"abc",
            "The final quote was missing from a quoted string.",
            20,
            21,
        ),
        (
            "http.request.uri == \"\\q\"",
            "\\q is not a valid character escape sequence",
            21,
            23,
        ),
        (
            "http.request.uri == \"a\\xZZ\"",
            "\\x is not a valid character escape sequence",
            22,
            24,
        ),
        (
            "http.request.uri == \"a\\400\"",
            "\\400 is larger than 255.",
            22,
            26,
        ),
        (
            "http.request.method == 'GET'",
            "'GET' is too long to be a valid character constant.",
            23,
            28,
        ),
        ("and tcp", "\"and\" was unexpected in this context.", 0, 3),
        ("tcp tcp", "\"tcp\" was unexpected in this context.", 4, 7),
        ("tcp)", "\")\" was unexpected in this context.", 3, 4),
        ("()", "\")\" was unexpected in this context.", 1, 2),
        (
            "tcp.port = 80",
            "\"=\" was unexpected in this context.",
            9,
            10,
        ),
        (
            "tcp.port ==== 80",
            "\"=\" was unexpected in this context.",
            12,
            13,
        ),
        (
            "tcp.port eq80",
            "\"eq80\" was unexpected in this context.",
            9,
            13,
        ),
        (
            "tcp.port == 80 80",
            "\"80\" was unexpected in this context.",
            15,
            17,
        ),
        (
            "tcp.port == 80 )",
            "\")\" was unexpected in this context.",
            15,
            16,
        ),
        (
            "tcp.port in 80",
            "\"80\" was unexpected in this context.",
            12,
            14,
        ),
        (
            "tcp.port in {}",
            "\"}\" was unexpected in this context.",
            13,
            14,
        ),
        (
            "tcp.port in {80..}",
            "\"}\" was unexpected in this context.",
            17,
            18,
        ),
        (
            "frame.number in {,1}",
            "\",\" was unexpected in this context.",
            17,
            18,
        ),
        (
            "http.request.uri contains hello?name",
            "\"?\" was unexpected in this context.",
            31,
            32,
        ),
        (
            "ip.addr == 192.168.0.50 192",
            "\"192\" was unexpected in this context.",
            24,
            27,
        ),
        // A leading dot says "field" (Wireshark 4.0): then an unknown name is said so.
        (
            ".tcp.prot == 80",
            "\"tcp.prot\" is not a valid protocol or protocol field.",
            0,
            9,
        ),
        (
            "frame.time_relative > .003",
            "\"003\" is not a valid protocol or protocol field.",
            22,
            26,
        ),
        // Character offsets, not bytes: "é" is two bytes but one character.
        (
            "http.request.uri == \"é\" é",
            "\"é\" was unexpected in this context.",
            24,
            25,
        ),
    ];
    let mut failures = Vec::new();
    for (filter, message, start, end) in cases {
        match compile(filter) {
            Ok(_) => failures.push(format!("{filter}: compiled")),
            Err(e) => {
                let want = FilterError {
                    message: message.to_string(),
                    start: *start,
                    end: *end,
                };
                if e != want {
                    failures.push(format!("{filter}:\n  want {want:?}\n  got  {e:?}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let regex = compile("http.request.method matches \"(\"").expect_err("bad regex");
    assert!(
        regex.message.starts_with("Regex compilation error: "),
        "{regex:?}"
    );
    assert_eq!((regex.start, regex.end), (28, 31));
}

#[test]
fn fields_and_needs_bytes() {
    let filter = compile("tcp.port == 80 && ip.addr == 10.0.0.0/8 || tcp.port > tcp.srcport")
        .expect("compiles");
    assert_eq!(
        filter.fields(),
        vec![Field::TcpPort, Field::IpAddr, Field::TcpSrcPort]
    );
    assert!(!filter.needs_bytes());
    assert!(
        !compile("tcp and http.request.method == \"GET\" and tcp.analysis.flags")
            .expect("compiles")
            .needs_bytes()
    );
    assert!(!compile("frame").expect("compiles").needs_bytes());
    assert!(compile("ip.ttl == 64").expect("compiles").needs_bytes());
    assert!(compile("frame contains \"x\"")
        .expect("compiles")
        .needs_bytes());
    assert!(compile("tcp == 1").expect("compiles").needs_bytes());
    assert!(compile("tcp.payload").expect("compiles").needs_bytes());
    assert!(compile("eth").map(|f| !f.needs_bytes()).unwrap_or(false));
    assert!(compile("eth.src").expect("compiles").needs_bytes());
}

#[test]
fn field_table_round_trips() {
    for &field in Field::ALL {
        assert_eq!(Field::from_name(field.name()), Some(field), "{field}");
    }
    assert_eq!(Field::from_name("tcp.flags.ns"), Some(Field::TcpFlagsAe));
    assert_eq!(Field::from_name("tcp.prot"), None);
    let indexed: Vec<&str> = Field::ALL
        .iter()
        .filter(|f| f.indexed())
        .map(|f| f.name())
        .collect();
    for name in [
        "frame.number",
        "ip.addr",
        "ipv6.dst",
        "tcp.port",
        "udp.dstport",
        "tcp.flags.fin",
        "tcp.analysis.ack_rtt",
        "http.response.phrase",
        "icmpv6",
    ] {
        assert!(indexed.contains(&name), "{name} should be indexed");
    }
    for name in [
        "eth.addr",
        "ip.ttl",
        "ipv6.hlim",
        "tcp.hdr_len",
        "tcp.payload",
        "tcp.options.mss_val",
        "udp.length",
        "icmp.type",
        "arp.opcode",
        "http.host",
    ] {
        assert!(!indexed.contains(&name), "{name} should not be indexed");
    }
}

#[test]
fn no_panic_on_deep_or_long_filters() {
    let deep = format!("{}tcp{}", "(".repeat(10_000), ")".repeat(10_000));
    assert!(compile(&deep).is_err());
    let nots = format!("{}tcp", "!".repeat(10_000));
    assert!(compile(&nots).is_err());
    let fine = format!("{}tcp{}", "(".repeat(100), ")".repeat(100));
    assert!(compile(&fine).expect("100 levels").matches(&request()));
    let long = vec!["tcp.port == 1"; 20_000].join(" or ") + " or tcp";
    assert!(compile(&long).expect("long chain").matches(&request()));
    for text in [
        "\"\\",
        "'",
        "'\\",
        "r\"\\\"",
        "\"\\u12\"",
        "\"\\U0011ffff\"",
        "{",
        "..",
        "a..b",
    ] {
        let _ = compile(text);
    }
}

#[test]
fn the_scratch_buffer_keeps_its_allocation() {
    let filter = compile("tcp.port == 80 or ip.addr == 1.2.3.4").expect("compiles");
    let frame = request();
    assert!(!filter.matches(&frame));
    let capacity = filter.scratch.borrow().capacity();
    assert!(capacity >= 2);
    for _ in 0..10 {
        filter.matches(&frame);
    }
    assert_eq!(filter.scratch.borrow().capacity(), capacity);
}

/// Calls `each` with the `DecodedFrame` of every frame of `file` (a pcap held in memory):
/// the only glue between a [`Report`] and the filter, so that a change of the report's shape
/// is mended here.
fn for_each_decoded_frame(file: &[u8], mut each: impl FnMut(&DecodedFrame)) {
    let report: Report = crate::analysis::analyze_bytes(file);
    let mut previous = None;
    for record in report.numbered() {
        let record = &record;
        let messages = super::http_messages(&report, record.number);
        let seconds = |ns: i128| ns as f64 / 1e9;
        let ts = report.aside.ts(record);
        let decoded = report.decode_kept(record);
        let tcp = report.tcp_facts(record);
        each(&DecodedFrame {
            number: record.number,
            orig_len: report.orig_len(record),
            cap_len: record.cap_len(),
            time_relative: seconds(ts.nanos_since(report.first_ts)),
            time_delta: seconds(ts.nanos_since(previous.unwrap_or(ts))),
            time_epoch: ts.as_f64(),
            bytes: report.frame_bytes(record).unwrap_or(&[]),
            decoded: &decoded,
            tcp: tcp.as_ref(),
            http: &messages,
        });
        previous = Some(ts);
    }
}

/// Frame numbers of `file` that pass `filter`.
fn matching_frames(file: &[u8], filter: &str) -> Vec<u32> {
    let filter = compile(filter).unwrap_or_else(|e| panic!("{filter}: {e:?}"));
    let mut out = Vec::new();
    for_each_decoded_frame(file, |frame| {
        if filter.matches(frame) {
            out.push(frame.number);
        }
    });
    out
}

#[test]
fn the_tutorials_capture() {
    let demo = crate::test_captures::demo();
    let cases: &[(&str, &[u32])] = &[
        ("tcp.flags.fin == 1", &[8, 9]),
        ("http", &[4, 6]),
        ("tcp.analysis.flags", &[]),
        ("ip.addr == 192.168.0.0/24 && tcp.len > 0", &[4, 6]),
        ("http.request.method == \"GET\"", &[4]),
        ("http.response.code == 200", &[6]),
        ("tcp.stream == 0", &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
        ("frame.number >= 9", &[9, 10]),
        // More, each as tshark 4.0.17 answers on this capture.
        ("tcp.port != 8080", &[]),
        ("tcp.port !== 8080", &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
        ("tcp.flags == 0x012", &[2]),
        ("tcp.flags.syn == 0", &[3, 4, 5, 6, 7, 8, 9, 10]),
        ("ip.src == 192.168.0.52/32", &[2, 5, 6, 9]),
        ("tcp.dstport > tcp.srcport", &[2, 5, 6, 9]),
        ("frame contains \"hello\"", &[4, 6]),
        ("tcp contains \"GET\"", &[4]),
        ("tcp.payload contains \"HTTP/1.1\"", &[4, 6]),
        ("tcp.payload > 47", &[4, 6]),
        ("http.request.uri matches \"HELLO\"", &[4]),
        ("http.content_type contains \"text\"", &[6]),
        ("http.request.version == \"HTTP/1.1\"", &[4]),
        ("tcp.options.mss_val == 1460", &[1, 2]),
        ("tcp.options.wscale.shift == 7", &[1, 2]),
        ("tcp.options.sack_perm", &[1, 2]),
        ("tcp.window_size == 29312", &[3, 4, 7, 8, 10]),
        ("tcp.hdr_len == 32", &[3, 4, 5, 6, 7, 8, 9, 10]),
        ("ip.len > 60", &[4, 6]),
        (
            "ip.flags.df == 1 and ip.ttl == 64",
            &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
        ),
        ("tcp.analysis.acks_frame == 4", &[5]),
        ("tcp.analysis.bytes_in_flight", &[4, 6]),
        ("tcp.analysis.ack_rtt > 0.0001", &[2, 3, 7, 9, 10]),
        ("frame.time_relative > 0.003", &[6, 7, 8, 9, 10]),
        ("frame.time_delta in {0 .. 0.0002}", &[1, 2, 4, 5, 8]),
        ("frame.len == 0114", &[1, 2]),
        (
            "frame.cap_len == frame.len",
            &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
        ),
        ("sll and not eth", &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
        (
            "frame.number == 1 or frame.number == 2 and frame.number == 3",
            &[1],
        ),
    ];
    let mut failures = Vec::new();
    for (filter, expected) in cases {
        let got = matching_frames(&demo, filter);
        if got != *expected {
            failures.push(format!("{filter}: expected {expected:?}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A synthetic frame as a compact per-frame index would answer: numbers only, no bytes.
struct Synthetic {
    number: u32,
    src: Ipv4Addr,
    dst: Ipv4Addr,
    ports: [u16; 2],
    len: u32,
    flags: u16,
}

impl FieldSource for Synthetic {
    fn values<'a>(&'a self, field: Field, out: &mut Vec<Value<'a>>) {
        match field {
            Field::FrameNumber => out.push(Value::Uint(u64::from(self.number))),
            Field::Tcp => out.push(Value::Protocol(&[])),
            Field::IpAddr => out.extend([Value::Ipv4(self.src), Value::Ipv4(self.dst)]),
            Field::TcpPort => out.extend(self.ports.map(|p| Value::Uint(u64::from(p)))),
            Field::TcpLen => out.push(Value::Uint(u64::from(self.len))),
            Field::TcpFlags => out.push(Value::Uint(u64::from(self.flags))),
            Field::TcpFlagsSyn => out.push(Value::Bool(self.flags & 2 != 0)),
            Field::TcpAnalysisFlags if self.number % 97 == 0 => out.push(Value::Label),
            _ => {}
        }
    }
}

/// A million frames through one filter: not timed as an assertion (see `./build.sh bench`
/// for numbers), but it shows a regression in a profile and prints its time.
#[test]
fn a_million_frames() {
    let frames: Vec<Synthetic> = (0..1_000_000u32)
        .map(|n| Synthetic {
            number: n + 1,
            src: Ipv4Addr::from(0x0a00_0000 | (n % 4096)),
            dst: Ipv4Addr::new(192, 168, 1, (n % 200) as u8),
            ports: [(n % 60_000) as u16 + 1024, [80, 443, 8080][n as usize % 3]],
            len: n % 1500,
            flags: if n % 10 == 0 { 0x002 } else { 0x018 },
        })
        .collect();
    let filter = compile(
        "tcp && (tcp.port in {80, 8000..8080} || ip.addr == 192.168.1.0/28) && tcp.len > 100 && !tcp.analysis.flags && tcp.flags.syn == 0",
    )
    .expect("compiles");
    assert!(!filter.needs_bytes());
    let started = std::time::Instant::now();
    let count = frames.iter().filter(|f| filter.matches(*f)).count();
    let elapsed = started.elapsed();
    println!(
        "display filter over {} synthetic frames: {count} match, {elapsed:?}",
        frames.len()
    );
    let expected = frames
        .iter()
        .filter(|f| {
            let port = matches!(f.ports[1], 80 | 8080) || (8000..=8080).contains(&f.ports[0]);
            let net = f.dst.octets()[3] < 16 && f.dst.octets()[..3] == [192, 168, 1];
            (port || net) && f.len > 100 && f.number % 97 != 0 && f.flags & 2 == 0
        })
        .count();
    assert_eq!(count, expected);
}

/// Filters compared with tshark on real captures by [`agrees_with_tshark`].
const TSHARK_FILTERS: &[&str] = &[
    "tcp",
    "udp",
    "arp",
    "icmp",
    "ip",
    "ipv6",
    "eth",
    "vlan",
    "sll",
    "tcp.port == 80",
    "tcp.port != 80",
    "tcp.port !== 80",
    "tcp.port in {80, 443, 8000..8100}",
    "tcp.flags.syn == 1 && tcp.flags.ack == 0",
    "tcp.flags == 0x011",
    "tcp.flags.reset == 1",
    "tcp.flags.push == 1 and not tcp.flags.fin == 1",
    "tcp.len > 0",
    "tcp.len > 1000",
    "tcp.stream == 1",
    "tcp.seq == 1",
    "tcp.ack == 1",
    "tcp.seq_raw > 2147483648",
    "tcp.nxtseq > 1000",
    "tcp.window_size_value < 1000",
    "tcp.window_size > 65535",
    "tcp.analysis.flags",
    "tcp.analysis.retransmission",
    "tcp.analysis.duplicate_ack",
    "tcp.analysis.duplicate_ack_num == 1",
    "tcp.analysis.lost_segment",
    "tcp.analysis.ack_lost_segment",
    "tcp.analysis.out_of_order",
    "tcp.analysis.window_update",
    "tcp.analysis.keep_alive",
    "tcp.analysis.zero_window",
    "tcp.analysis.fast_retransmission",
    "tcp.analysis.bytes_in_flight > 1000",
    "tcp.analysis.acks_frame",
    "tcp.analysis.ack_rtt > 0.01",
    "ip.addr == 10.0.0.0/8",
    "ip.src == 192.168.0.0/16",
    "ip.ttl < 64",
    "ip.flags.df == 0",
    "ip.proto == 17",
    "ip.len > 1000",
    "ipv6.hlim == 64",
    "ipv6.addr == fe80::/10",
    "ipv6.nxt == 6",
    "udp.port == 53",
    "udp.length > 100",
    "icmp.type == 8",
    "icmpv6.type == 135",
    "arp.opcode == 2",
    "http",
    "http.request",
    "http.response",
    "http.request.method == \"GET\"",
    "http.request.method == \"POST\"",
    "http.response.code >= 300",
    "http.request.uri contains \"/\"",
    "http.request.version == \"HTTP/1.0\"",
    "tcp.payload contains \"HTTP\"",
    "frame contains \"HTTP\"",
    "tcp.options.mss_val",
    "tcp.options.wscale.shift > 5",
    "tcp.options.sack_perm",
    "tcp.hdr_len > 20",
    "tcp.checksum == 0",
    "tcp.urgent_pointer > 0",
    "eth.addr == ff:ff:ff:ff:ff:ff",
    "vlan.id",
    "frame.len > 1000",
    "frame.cap_len < frame.len",
    "frame.time_delta > 1",
    "frame.time_relative > 10",
];

/// Every filter of [`TSHARK_FILTERS`] on shared captures, against tshark's verdicts
/// (`tshark -r FILE -Y FILTER`). Slow (a tshark run per filter and capture), so run on
/// demand: `cargo test -p tcp-timeline --lib agrees_with_tshark -- --ignored --nocapture`.
#[test]
#[ignore]
fn agrees_with_tshark() {
    if std::process::Command::new("tshark")
        .arg("--version")
        .output()
        .is_err()
    {
        println!("note: tshark is absent; skipped");
        return;
    }
    // Varied link types, tunnels, VLANs, IPv6, ARP/ICMP/UDP, HTTP and TCP analysis.
    let captures = crate::test_captures::capture_paths(&[
        "seed/demo.pcap",
        "public/tcpdump/arcnet-rfc1201-arp-icmp-http.pcap",
        "public/zeek/vxlan-encapsulated-http.pcap",
        "public/zeek/http-qinq-0.pcap",
        "public/tcpdump/geneve.pcap",
        "public/zeek/ipv6-http-atomic-frag.pcap",
        "public/zeek/retransmit-fast009.pcap",
        "public/zeek/pipelined-requests.pcap",
        "public/zeek/100-continue.pcap",
        "public/zeek/window-scale-range.pcap",
        "public/zeek/fin_retransmission.pcap",
        "public/gopacket/test_ethernet.pcap",
        "public/zeek/pcapng-multi-interface.pcapng",
        "public/zeek/zero-length-bodies-with-drops.pcap",
        "public/tcpdump/accecn_handshake.pcap",
        "public/zeek/communityid__ipv6.pcap",
        "public/zeek/dns-inverse-query.pcap",
    ]);
    let mut compared = 0;
    let mut differences = Vec::new();
    for path in &captures {
        let Ok(file) = std::fs::read(path) else {
            continue;
        };
        if file.starts_with(&[0x1f, 0x8b]) {
            continue; // offsets are into the decompressed file
        }
        for filter in TSHARK_FILTERS {
            let Ok(compiled) = compile(filter) else {
                continue; // slices are not supported: tshark alone reads that filter
            };
            let ours = {
                let mut out = Vec::new();
                for_each_decoded_frame(&file, |frame| {
                    if compiled.matches(frame) {
                        out.push(frame.number);
                    }
                });
                out
            };
            let output = std::process::Command::new("tshark")
                .args(["-n", "-r"])
                .arg(path)
                .args(["-Y", filter, "-T", "fields", "-e", "frame.number"])
                .output()
                .expect("tshark runs");
            let theirs: Vec<u32> = String::from_utf8_lossy(&output.stdout)
                .lines()
                .filter_map(|l| l.trim().parse().ok())
                .collect();
            compared += 1;
            if ours != theirs {
                let only_ours: Vec<_> = ours.iter().filter(|n| !theirs.contains(n)).collect();
                let only_theirs: Vec<_> = theirs.iter().filter(|n| !ours.contains(n)).collect();
                differences.push(format!(
                    "{} | {filter} | only ours {:?} | only tshark {:?}",
                    path.display(),
                    &only_ours[..only_ours.len().min(8)],
                    &only_theirs[..only_theirs.len().min(8)]
                ));
            }
        }
    }
    println!(
        "{compared} (capture, filter) pairs compared, {} differ",
        differences.len()
    );
    for d in &differences {
        println!("{d}");
    }
    // The UDP header of a VXLAN or Geneve tunnel is not kept by the decoder.
    let known = |d: &&String| {
        (d.contains("vxlan-encapsulated-http.pcap") || d.contains("geneve.pcap"))
            && (d.contains(" | udp | ") || d.contains(" | udp.length > 100 | "))
    };
    let unexplained: Vec<&String> = differences.iter().filter(|d| !known(d)).collect();
    assert!(unexplained.is_empty(), "{unexplained:#?}");
}

#[test]
fn a_fast_or_spurious_retransmission_is_a_retransmission() {
    use crate::tcp::{AnalysisFlags, Flag};
    let mut flags = AnalysisFlags::default();
    assert_eq!(Field::TcpAnalysisFlags.analysis_present(flags), Some(false));
    flags.set(Flag::FastRetransmission);
    assert_eq!(
        Field::TcpAnalysisRetransmission.analysis_present(flags),
        Some(true)
    );
    assert_eq!(
        Field::TcpAnalysisFastRetransmission.analysis_present(flags),
        Some(true)
    );
    assert_eq!(Field::TcpAnalysisFlags.analysis_present(flags), Some(true));
    assert_eq!(
        Field::TcpAnalysisSpuriousRetransmission.analysis_present(flags),
        Some(false)
    );
    let mut spurious = AnalysisFlags::default();
    spurious.set(Flag::SpuriousRetransmission);
    assert_eq!(
        Field::TcpAnalysisRetransmission.analysis_present(spurious),
        Some(true)
    );
    assert_eq!(Field::TcpPort.analysis_present(spurious), None);
}

/// The indexed way (records only) and the decoded way (bytes) agree on every shared capture
/// for filters of indexed fields.
#[test]
fn indexed_frames_filter_as_decoded_frames_do() {
    let filters = [
        "tcp",
        "udp",
        "ip",
        "ipv6",
        "eth",
        "arp",
        "icmp || icmpv6",
        "vlan",
        "sll",
        "tcp.port == 80",
        "udp.port == 53",
        "udp.srcport == 53 || udp.dstport > 1024",
        "tcp.srcport > 1024 and tcp.dstport < 1024",
        "ip.addr == 10.0.0.0/8",
        "ipv6.src == 2001:db8::/32 || ipv6.dst == fe80::/10",
        "tcp.stream == 1",
        "tcp.flags.syn == 1 && tcp.flags.ack == 0",
        "tcp.flags == 0x012",
        "tcp.seq == 1 || tcp.ack == 1",
        "tcp.nxtseq > 1000",
        "tcp.len > 0",
        "tcp.window_size_value < 1000 || tcp.window_size > 65535",
        "tcp.analysis.flags",
        "tcp.analysis.retransmission",
        "tcp.analysis.duplicate_ack_num >= 2",
        "tcp.analysis.acks_frame",
        "tcp.analysis.ack_rtt > 0.001",
        "tcp.analysis.bytes_in_flight > 1000",
        "tcp.analysis.initial_rtt",
        "tcp.seq_raw > 2000000000",
        "http",
        "http.request.method == \"GET\"",
        "http.response.code >= 300",
        "http.request.uri contains \"/\"",
        "frame.len > 100 && frame.number < 50",
        "frame.time_relative > 1",
        "frame.time_delta > 0.1",
    ];
    let compiled: Vec<Filter> = filters
        .iter()
        .map(|f| {
            let filter = compile(f).unwrap_or_else(|e| panic!("{f}: {e:?}"));
            assert!(!filter.needs_bytes(), "{f} is indexed");
            filter
        })
        .collect();
    let mut compared = 0usize;
    for path in crate::test_captures::all_captures() {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let report = crate::analysis::analyze_bytes(&bytes);
        for frame in report.numbered() {
            let frame = &frame;
            let Some(frame_bytes) = report.frame_bytes(frame) else {
                continue;
            };
            // A TCP header the tracker never saw (no IP layer) is the documented difference.
            if frame.has(crate::analysis::bits::TCP) && frame.tcp() == crate::analysis::NONE {
                continue;
            }
            for (text, filter) in filters.iter().zip(&compiled) {
                compared += 1;
                assert_eq!(
                    super::matches_indexed(&report, frame, filter),
                    super::matches_bytes(&report, frame, frame_bytes, filter),
                    "{}: frame {}: {text}",
                    path.display(),
                    frame.number
                );
            }
        }
    }
    println!("{compared} frame-filter pairs agree");
}
