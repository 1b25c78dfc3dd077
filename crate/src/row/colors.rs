//! Row colours after Wireshark's default colouring rules (`colorfilters`, Wireshark 4.0): the
//! first rule whose filter matches a frame names its colour.
//!
//! Promise: [`color_rule`] reads only what the decoder and the TCP tracker already found and
//! never panics. Rules whose protocols the decoder does not dissect are left out, so a frame
//! they would catch falls through to the next rule that we can evaluate:
//! - "HSRP State Change", "Spanning Tree Topology Change", "OSPF State Change" (no HSRP, STP
//!   or OSPF dissection; OSPF frames fall to "Routing" by IP protocol 89, hellos and changes alike);
//! - "SCTP ABORT" (no SCTP);
//! - "Checksum Errors": Wireshark does not verify checksums by default either, so with its
//!   default preferences this rule matches nothing;
//! - "DCERPC", "System Event";
//! - parts of others: "SMB" by ports (NBNS/NBDS on UDP 137/138, NBSS on TCP 139/445 with
//!   payload), "Routing" by IP protocol (IGMP, EIGRP, OSPF, VRRP/CARP), BGP on TCP 179 with
//!   payload and HSRP on UDP 1985; no CDP, GVRP, ISMP; "HTTP" without HTTP/2.

use crate::decode::{Decoded, IpHeader, LinkKind};
use crate::tcp::{Flag, TcpFrameFacts};
use serde::Serialize;
use std::net::IpAddr;

/// The default rules we evaluate, in Wireshark's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorRule {
    BadTcp,
    IcmpErrors,
    Arp,
    Icmp,
    TcpRst,
    TtlLow,
    Smb,
    Http,
    Routing,
    TcpSynFin,
    Tcp,
    Udp,
    Broadcast,
}

/// One rule as the page's legend shows it.
#[derive(Clone, Debug, Serialize)]
pub struct ColorRuleInfo {
    /// Stable id: the row's CSS class is `color-{id}`.
    pub id: &'static str,
    /// Wireshark's rule name.
    pub name: &'static str,
    /// Wireshark's display filter of the rule.
    pub filter: &'static str,
    /// What the colour says, in words.
    pub meaning: &'static str,
    /// Wireshark's colours as #rrggbb (its 16-bit components, high bytes).
    pub background: &'static str,
    pub foreground: &'static str,
}

impl ColorRule {
    pub const ALL: [ColorRule; 13] = [
        ColorRule::BadTcp,
        ColorRule::IcmpErrors,
        ColorRule::Arp,
        ColorRule::Icmp,
        ColorRule::TcpRst,
        ColorRule::TtlLow,
        ColorRule::Smb,
        ColorRule::Http,
        ColorRule::Routing,
        ColorRule::TcpSynFin,
        ColorRule::Tcp,
        ColorRule::Udp,
        ColorRule::Broadcast,
    ];

    pub fn id(self) -> &'static str {
        self.info().id
    }

    /// Wireshark's name for the rule (tshark's `frame.coloring_rule.name`).
    pub fn name(self) -> &'static str {
        self.info().name
    }

    pub fn info(self) -> ColorRuleInfo {
        // Colours from Wireshark 4.0's colorfilters: `[background][foreground]`, 16 bits each.
        let (id, name, filter, meaning, background, foreground) = match self {
            ColorRule::BadTcp => (
                "bad-tcp",
                "Bad TCP",
                "tcp.analysis.flags && !tcp.analysis.window_update && !tcp.analysis.keep_alive && !tcp.analysis.keep_alive_ack",
                "TCP trouble: retransmission, dup ACK, lost segment, zero window, ...",
                "#12272e",
                "#f78787",
            ),
            ColorRule::IcmpErrors => (
                "icmp-errors",
                "ICMP errors",
                "icmp.type in { 3..5, 11 } || icmpv6.type in { 1..4 }",
                "ICMP error: unreachable, time exceeded, packet too big",
                "#12272e",
                "#b7f774",
            ),
            ColorRule::Arp => ("arp", "ARP", "arp", "ARP", "#faf0d7", "#12272e"),
            ColorRule::Icmp => (
                "icmp",
                "ICMP",
                "icmp || icmpv6",
                "ICMP or ICMPv6 (ping, neighbour discovery)",
                "#fce0ff",
                "#12272e",
            ),
            ColorRule::TcpRst => (
                "tcp-rst",
                "TCP RST",
                "tcp.flags.reset eq 1",
                "TCP reset: the connection was aborted",
                "#a40000",
                "#fffc9c",
            ),
            ColorRule::TtlLow => (
                "ttl-low",
                "TTL low or unexpected",
                "(ip.dst != 224.0.0.0/4 && ip.ttl < 5 && !pim && !ospf) || (ip.dst == 224.0.0.0/24 && ip.dst != 224.0.0.251 && ip.ttl != 1 && !(vrrp || carp))",
                "IPv4 time-to-live below 5 (or unexpected on local multicast)",
                "#a40000",
                "#ecf0eb",
            ),
            ColorRule::Smb => (
                "smb",
                "SMB",
                "smb || nbss || nbns || netbios",
                "SMB and NetBIOS",
                "#feffd0",
                "#12272e",
            ),
            ColorRule::Http => (
                "http",
                "HTTP",
                "http || tcp.port == 80 || http2",
                "HTTP, or TCP on port 80",
                "#e4ffc7",
                "#12272e",
            ),
            ColorRule::Routing => (
                "routing",
                "Routing",
                "hsrp || eigrp || ospf || bgp || cdp || vrrp || carp || gvrp || igmp || ismp",
                "Routing protocols (IGMP, OSPF, BGP, VRRP, ...)",
                "#fef2d8",
                "#12272e",
            ),
            ColorRule::TcpSynFin => (
                "tcp-syn-fin",
                "TCP SYN/FIN",
                "tcp.flags & 0x02 || tcp.flags.fin == 1",
                "TCP connection opening (SYN) or closing (FIN)",
                "#a0a0a0",
                "#12272e",
            ),
            ColorRule::Tcp => ("tcp", "TCP", "tcp", "TCP", "#e7e6ff", "#12272e"),
            ColorRule::Udp => ("udp", "UDP", "udp", "UDP", "#daeeff", "#12272e"),
            ColorRule::Broadcast => (
                "broadcast",
                "Broadcast",
                "eth[0] & 1",
                "Ethernet broadcast or multicast",
                "#ffffff",
                "#babdb6",
            ),
        };
        ColorRuleInfo {
            id,
            name,
            filter,
            meaning,
            background,
            foreground,
        }
    }
}

/// Every rule, in order, for the legend.
pub fn legend() -> Vec<ColorRuleInfo> {
    ColorRule::ALL.iter().map(|r| r.info()).collect()
}

/// The first default rule that matches the frame, if any. `http_shown`: the frame shows an
/// HTTP message (Wireshark's `http` matches the frame that completes a reassembled message).
pub fn color_rule(
    decoded: &Decoded,
    tcp: Option<&TcpFrameFacts>,
    http_shown: bool,
) -> Option<ColorRule> {
    let facts = Facts::new(decoded, tcp, http_shown);
    ColorRule::ALL.into_iter().find(|rule| facts.matches(*rule))
}

/// The stable id of the frame's colour ("" when no rule matches).
pub fn color_id(decoded: &Decoded, tcp: Option<&TcpFrameFacts>, http_shown: bool) -> &'static str {
    color_rule(decoded, tcp, http_shown).map_or("", ColorRule::id)
}

const TCP_FIN: u16 = 0x01;
const TCP_SYN: u16 = 0x02;
const TCP_RST: u16 = 0x04;

struct Facts<'a> {
    decoded: &'a Decoded,
    tcp: Option<&'a TcpFrameFacts>,
    http_shown: bool,
    /// IPv4 headers (outer first, then a tunnel's inner one): `ip.*` matches any occurrence.
    ipv4: Vec<&'a IpHeader>,
}

impl<'a> Facts<'a> {
    fn new(decoded: &'a Decoded, tcp: Option<&'a TcpFrameFacts>, http_shown: bool) -> Self {
        let ipv4 = [decoded.ip.as_ref(), decoded.inner_ip.as_ref()]
            .into_iter()
            .flatten()
            .filter(|ip| ip.version == 4)
            .collect();
        Facts {
            decoded,
            tcp,
            http_shown,
            ipv4,
        }
    }

    fn ip_protocol(&self, protocol: u8) -> bool {
        [self.decoded.ip.as_ref(), self.decoded.inner_ip.as_ref()]
            .into_iter()
            .flatten()
            // A fragment after the first is not handed to the upper protocol's dissector.
            .any(|ip| ip.protocol == protocol && ip.fragment_offset == 0)
    }

    fn tcp_flags(&self) -> Option<u16> {
        self.decoded.tcp.as_ref().map(|t| t.flags)
    }

    fn tcp_port(&self, port: u16) -> bool {
        self.decoded
            .tcp
            .as_ref()
            .is_some_and(|t| t.src_port == port || t.dst_port == port)
    }

    /// TCP payload on one of the ports that Wireshark hands to the port's dissector (not the
    /// byte of a keep-alive or zero-window probe).
    fn tcp_payload_port(&self, ports: &[u16]) -> bool {
        let probe = self.tcp.is_some_and(|t| {
            t.analysis.has(Flag::KeepAlive) || t.analysis.has(Flag::ZeroWindowProbe)
        });
        !probe
            && self.decoded.tcp.as_ref().is_some_and(|t| {
                t.payload_len > 0 && (ports.contains(&t.src_port) || ports.contains(&t.dst_port))
            })
    }

    fn udp_port(&self, ports: &[u16]) -> bool {
        self.decoded
            .udp
            .as_ref()
            .is_some_and(|u| ports.contains(&u.src_port) || ports.contains(&u.dst_port))
    }

    fn matches(&self, rule: ColorRule) -> bool {
        let d = self.decoded;
        match rule {
            ColorRule::BadTcp => self.tcp.is_some_and(|t| {
                let flags = t.analysis;
                !flags.is_empty()
                    && !flags.has(Flag::WindowUpdate)
                    && !flags.has(Flag::KeepAlive)
                    && !flags.has(Flag::KeepAliveAck)
            }),
            ColorRule::IcmpErrors => d.icmp.as_ref().is_some_and(|m| match m.version {
                4 => matches!(m.icmp_type, 3..=5 | 11),
                _ => matches!(m.icmp_type, 1..=4),
            }),
            ColorRule::Arp => d.arp.is_some(),
            ColorRule::Icmp => d.icmp.is_some(),
            ColorRule::TcpRst => self.tcp_flags().is_some_and(|f| f & TCP_RST != 0),
            ColorRule::TtlLow => self.ttl_low(),
            ColorRule::Smb => self.udp_port(&[137, 138]) || self.tcp_payload_port(&[139, 445]),
            ColorRule::Http => self.http_shown || self.tcp_port(80),
            ColorRule::Routing => {
                // IGMP, EIGRP, OSPF, VRRP/CARP by IP protocol; BGP and HSRP by port.
                [2, 88, 89, 112].iter().any(|p| self.ip_protocol(*p))
                    || self.tcp_payload_port(&[179])
                    || self.udp_port(&[1985])
            }
            ColorRule::TcpSynFin => self
                .tcp_flags()
                .is_some_and(|f| f & (TCP_SYN | TCP_FIN) != 0),
            ColorRule::Tcp => d.tcp.is_some(),
            // A UDP tunnel (Teredo, VXLAN) keeps `udp` in Wireshark's tree under the inner packet.
            ColorRule::Udp => {
                d.udp.is_some()
                    || (!d.tunnels.is_empty()
                        && d.ip
                            .as_ref()
                            .is_some_and(|ip| ip.protocol == 17 && !ip.is_fragment()))
            }
            ColorRule::Broadcast => d.link.as_ref().is_some_and(|l| {
                l.kind == LinkKind::Ethernet && l.dst.is_some_and(|dst| dst[0] & 1 == 1)
            }),
        }
    }

    /// Wireshark 4.0 semantics over every `ip` occurrence: `==`, `<` hold for any occurrence,
    /// `!=` for all of them (it means `!(a == b)`).
    fn ttl_low(&self) -> bool {
        if self.ipv4.is_empty() {
            return false;
        }
        let in_net = |ip: &IpHeader, net: [u8; 4], bits: u32| match ip.dst {
            IpAddr::V4(a) => {
                let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
                u32::from(a) & mask == u32::from_be_bytes(net) & mask
            }
            IpAddr::V6(_) => false,
        };
        let pim = self.ip_protocol(103);
        let ospf = self.ip_protocol(89);
        let vrrp = self.ip_protocol(112);
        let unicast_low = self.ipv4.iter().all(|ip| !in_net(ip, [224, 0, 0, 0], 4))
            && self.ipv4.iter().any(|ip| ip.ttl < 5)
            && !pim
            && !ospf;
        let local_multicast_unexpected = self.ipv4.iter().any(|ip| in_net(ip, [224, 0, 0, 0], 24))
            && self
                .ipv4
                .iter()
                .all(|ip| ip.dst != IpAddr::from([224, 0, 0, 251]))
            && self.ipv4.iter().all(|ip| ip.ttl != 1)
            && !vrrp;
        unicast_low || local_multicast_unexpected
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze_bytes;

    fn names(path: &std::path::Path) -> Vec<&'static str> {
        let bytes = std::fs::read(path).expect("capture");
        let report = analyze_bytes(&bytes);
        report
            .numbered()
            .map(|f| {
                crate::row::color_rule(&report, &f, &report.decode_kept(&f))
                    .map_or("", ColorRule::name)
            })
            .collect()
    }

    #[test]
    fn the_tutorials_capture() {
        let path = std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../www/examples/demo.pcap"
        ));
        // The last ACK of the close carries no FIN: plain TCP, as tshark --color says.
        let syn_fin = "TCP SYN/FIN";
        assert_eq!(
            names(path),
            vec![syn_fin, syn_fin, "TCP", "HTTP", "TCP", "HTTP", "TCP", syn_fin, syn_fin, "TCP"]
        );
    }

    /// Dup ACKs and a fast retransmission are Bad TCP; the capture's IPv4 TTL is 0, so the
    /// rest is "TTL low or unexpected" (as tshark --color says), the final RST "TCP RST".
    #[test]
    fn a_lossy_capture() {
        let paths = crate::test_captures::capture_paths(&["public/zeek/retransmit-fast009.pcap"]);
        let Some(path) = paths.first() else {
            return;
        };
        let got = names(path);
        for n in 29..=36 {
            assert_eq!(got[n - 1], "Bad TCP", "frame {n}");
        }
        for n in [1, 2, 3, 28, 37, 38] {
            assert_eq!(got[n - 1], "TTL low or unexpected", "frame {n}");
        }
        assert_eq!(got[38], "TCP RST", "frame 39");
    }

    #[test]
    fn ids_are_unique_and_colours_are_hex() {
        let legend = legend();
        let mut ids: Vec<_> = legend.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), legend.len());
        for r in &legend {
            for c in [r.background, r.foreground] {
                assert!(c.len() == 7 && c.starts_with('#'), "{c}");
                assert!(c[1..].chars().all(|x| x.is_ascii_hexdigit()), "{c}");
            }
        }
    }

    /// Against `tshark --color -T fields -e frame.coloring_rule.name` on every shared
    /// capture; prints the differences and fails above a small share (the rules we skip).
    #[test]
    fn agrees_with_tshark() {
        use std::process::Command;
        if Command::new("tshark").arg("--version").output().is_err() {
            println!("note: tshark is absent; colour comparison skipped");
            return;
        }
        let (mut total, mut differ) = (0usize, 0usize);
        let mut kinds: std::collections::BTreeMap<(String, String), usize> = Default::default();
        for path in crate::test_captures::all_captures() {
            let Ok(out) = Command::new("tshark")
                .args([
                    "-n",
                    "--color",
                    "-T",
                    "fields",
                    "-e",
                    "frame.coloring_rule.name",
                    "-r",
                ])
                .arg(&path)
                .output()
            else {
                continue;
            };
            let text = String::from_utf8_lossy(&out.stdout);
            let expected: Vec<&str> = text.lines().collect();
            let got = names(&path);
            if expected.len() != got.len() {
                continue; // frame counts differ: the reader's tests speak to that
            }
            for (i, (e, g)) in expected.iter().zip(&got).enumerate() {
                total += 1;
                if e != g {
                    differ += 1;
                    let key = (e.to_string(), g.to_string());
                    if kinds.get(&key).copied().unwrap_or(0) < 4 {
                        println!(
                            "{}: frame {}: tshark {e:?}, ours {g:?}",
                            path.display(),
                            i + 1
                        );
                    }
                    *kinds.entry(key).or_default() += 1;
                }
            }
        }
        for ((e, g), n) in &kinds {
            println!("{n:6}  tshark {e:?} → ours {g:?}");
        }
        println!("{differ} of {total} frames differ");
        assert!(
            differ * 1000 <= total * 3,
            "{differ} of {total} frames coloured unlike tshark"
        );
    }
}
