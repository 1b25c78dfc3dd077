//! Pairing against tshark's http.request_in on real captures (skipped without tshark).

use super::HttpPairer;
use crate::capture::Timestamp;
use std::collections::HashMap;
use std::process::Command;

fn hex(text: &str) -> Vec<u8> {
    let clean: Vec<u8> = text.bytes().filter(|b| b.is_ascii_hexdigit()).collect();
    clean
        .chunks(2)
        .filter_map(|pair| {
            std::str::from_utf8(pair)
                .ok()
                .and_then(|s| u8::from_str_radix(s, 16).ok())
        })
        .collect()
}

fn tshark_available() -> bool {
    Command::new("tshark")
        .arg("-v")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn pairs_like_tshark() {
    if !tshark_available() {
        println!("SKIPPED: tshark not installed");
        return;
    }
    let paths = crate::test_captures::capture_paths(&[
        "seed/demo.pcap",
        "public/zeek/get.pcap",
        "public/zeek/pipelined-requests.pcap",
        "public/zeek/100-continue.pcap",
        "public/zeek/methods.pcap",
        "public/zeek/http-vlan-0.pcap",
    ]);
    let (agree, total) = agreement(&paths);
    println!("http.request_in agreement: {agree}/{total}");
    assert!(total == 0 || agree * 10 >= total * 9, "{agree}/{total}");
}

/// Every shared zeek capture (run with --ignored --nocapture).
#[test]
#[ignore]
fn pairs_like_tshark_everywhere() {
    if !tshark_available() {
        return;
    }
    let paths: Vec<_> = crate::test_captures::all_captures()
        .into_iter()
        .filter(|p| p.parent().is_some_and(|d| d.ends_with("public/zeek")))
        .collect();
    let (agree, total) = agreement(&paths);
    println!("http.request_in agreement: {agree}/{total}");
}

/// Feeds tshark's segments of each capture to a pairer; counts the responses whose
/// http.request_in we reproduce.
fn agreement(paths: &[std::path::PathBuf]) -> (u32, u32) {
    let (mut agree, mut total) = (0, 0);
    for path in paths {
        let file = path.display();
        let Ok(out) = Command::new("tshark")
            .args(["-2", "-n", "-r"])
            .arg(path)
            .args([
                "-Y",
                "tcp && !icmp",
                "-T",
                "fields",
                "-E",
                "separator=/t",
                "-E",
                "occurrence=f",
            ])
            .args([
                "-e",
                "frame.number",
                "-e",
                "frame.time_epoch",
                "-e",
                "tcp.stream",
            ])
            .args([
                "-e",
                "ip.src",
                "-e",
                "ipv6.src",
                "-e",
                "tcp.srcport",
                "-e",
                "ip.dst",
                "-e",
                "ipv6.dst",
            ])
            .args([
                "-e",
                "tcp.dstport",
                "-e",
                "tcp.analysis.retransmission",
                "-e",
                "http.request_in",
            ])
            .args(["-e", "tcp.payload"])
            .output()
        else {
            continue;
        };
        let mut pairer = HttpPairer::new();
        let mut expected = Vec::new();
        // Endpoints named by number: the pairer keys on small copyable names.
        let mut names: HashMap<String, u32> = HashMap::default();
        let mut name = |text: String| {
            let next = names.len() as u32;
            *names.entry(text).or_insert(next)
        };
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            let c: Vec<&str> = line.split('\t').collect();
            if c.len() < 12 {
                continue;
            }
            let frame: u32 = c[0].parse().unwrap_or(0);
            let (secs, frac) = c[1].split_once('.').unwrap_or((c[1], "0"));
            let ts = Timestamp {
                secs: secs.parse().unwrap_or(0),
                nanos: format!("{frac:0<9}")[..9].parse().unwrap_or(0),
            };
            let sender = name(format!("{}{}:{}", c[3], c[4], c[5]));
            let receiver = name(format!("{}{}:{}", c[6], c[7], c[8]));
            pairer.push(
                c[2].parse().unwrap_or(0),
                frame,
                ts,
                sender,
                receiver,
                &hex(c[11]),
                !c[9].is_empty(),
            );
            if let Ok(request) = c[10].parse::<u32>() {
                expected.push((frame, request));
            }
        }
        let pairs = pairer.finish();
        for (response, request) in expected {
            total += 1;
            let ours = pairs.exchanges().find(|e| {
                e.response_frame == Some(response) || e.interim_frames.contains(&response)
            });
            if ours.map(|e| e.request_frame) == Some(request) {
                agree += 1;
            } else {
                println!(
                    "{file}: response {response} tshark request_in {request}, ours {:?}",
                    ours.map(|e| e.request_frame)
                );
            }
        }
    }
    (agree, total)
}
