//! The "Frame" node: arrival times, time deltas, number, lengths, the protocols found and the
//! colouring rule, worded as Wireshark 4.x's frame dissector words them.
//!
//! Times are shown in UTC: the page cannot know the time zone Wireshark would have used, and
//! UTC reads the same everywhere.

use super::node::{seconds, span, Node};
use super::FrameContext;
use crate::capture::Timestamp;

/// Wireshark's encapsulation (WTAP_ENCAP) name and number for a LINKTYPE_ value.
pub fn encapsulation(link_type: u32) -> (String, u32) {
    let (name, number) = match link_type {
        0 => ("NULL/Loopback", 15),
        1 => ("Ethernet", 1),
        2 => ("Xerox 3MB Ethernet", 184),
        3 => ("Amateur Radio AX.25", 148),
        6 => ("Token Ring", 2),
        8 => ("SLIP", 3),
        9 | 50 => ("PPP", 4),
        10 => ("FDDI with bit-swapped MAC addresses", 6),
        12 | 14 | 101 => ("Raw IP", 7),
        51 => ("PPP-over-Ethernet session", 139),
        104 => ("Cisco HDLC", 28),
        105 => ("IEEE 802.11 Wireless LAN", 20),
        108 => ("OpenBSD loopback", 174),
        113 => ("Linux cooked-mode capture v1", 25),
        119 => ("IEEE 802.11 plus Prism II monitor mode radio header", 21),
        127 => ("IEEE 802.11 plus radiotap radio header", 23),
        129 => ("Linux ARCNET", 9),
        147..=162 => {
            let user = link_type - 147;
            return (format!("USER {user}"), 45 + user);
        }
        163 => ("IEEE 802.11 plus AVS radio header", 24),
        192 => ("Per-Packet Information header", 97),
        195 => ("IEEE 802.15.4 Wireless PAN", 104),
        201 => ("Bluetooth H4 with linux header", 99),
        215 => ("IEEE 802.15.4 Wireless PAN non-ASK PHY", 113),
        220 => ("USB packets with Linux header and padding", 115),
        227 => ("SocketCAN", 125),
        228 => ("Raw IPv4", 129),
        229 => ("Raw IPv6", 130),
        239 => ("NFLOG", 141),
        242 => ("IP over IB", 180),
        249 => ("USB packets with USBPcap header", 152),
        252 => ("Wireshark Upper PDU export", 155),
        274 => ("IEEE 802.3br mPackets", 198),
        276 => ("Linux cooked-mode capture v2", 210),
        // Wireshark refuses to open these files; say which link type it was.
        other => return (format!("Unknown (link type {other})"), 0),
    };
    (name.to_string(), number)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// (year, month 1-12, day) of a day count since 1970-01-01 (Howard Hinnant's algorithm, valid
/// for every i64 day count that fits).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// "Sep 18, 2024 07:01:32.461594000 UTC", as Wireshark shows an absolute time in UTC.
pub fn utc_time(ts: Timestamp) -> String {
    // Days are counted with i64 arithmetic that cannot overflow: |secs| / 86400 is small.
    let days = ts.secs.div_euclid(86_400);
    let in_day = ts.secs.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let month_name = MONTHS
        .get(month.saturating_sub(1) as usize)
        .copied()
        .unwrap_or("???");
    format!(
        "{month_name} {day:>2}, {year} {:02}:{:02}:{:02}.{:09} UTC",
        in_day / 3600,
        in_day % 3600 / 60,
        in_day % 60,
        ts.nanos.min(999_999_999)
    )
}

/// "1726642892.461594000": epoch seconds with nine decimals.
pub fn epoch_time(ts: Timestamp) -> String {
    ts.format_epoch(9)
}

/// The Frame node. `protocols` is what the layers below found ("sll:ethertype:ip:tcp").
pub fn frame_node(ctx: &FrameContext, protocols: &str) -> Node {
    let cap_len = ctx.bytes.len();
    let orig_len = ctx.orig_len as u64;
    let mut label = format!(
        "Frame {}: {} bytes on wire ({} bits), {} bytes captured ({} bits)",
        ctx.number,
        orig_len,
        orig_len * 8,
        cap_len,
        cap_len as u64 * 8
    );
    let mut frame = Node::field("", "frame", span(0, cap_len, cap_len));
    if ctx.link_type == crate::capture::LINKTYPE_PCAPNG_CUSTOM {
        // A pcapng custom block, which Wireshark lists as a frame of its own kind.
        frame.label = format!(
            "PCAPNG Custom Block {}: {cap_len} bytes ({} bits) of custom data and options",
            ctx.number,
            cap_len as u64 * 8
        );
        frame.push(Node::field(
            format!("Frame Number: {}", ctx.number),
            "frame.number",
            None,
        ));
        frame.push(Node::field(
            format!(
                "Frame Length: {cap_len} bytes ({} bits)",
                cap_len as u64 * 8
            ),
            "frame.len",
            None,
        ));
        frame.push(Node::field(
            format!(
                "Capture Length: {cap_len} bytes ({} bits)",
                cap_len as u64 * 8
            ),
            "frame.cap_len",
            None,
        ));
        frame.push(Node::generated(
            "Frame is marked: False",
            Some("frame.marked"),
        ));
        frame.push(Node::generated(
            "Frame is ignored: False",
            Some("frame.ignored"),
        ));
        frame.push(Node::generated(
            format!("Protocols in frame: {protocols}"),
            Some("frame.protocols"),
        ));
        return frame;
    }
    if ctx.pcapng {
        // Wireshark says "unknown" for an interface without a name.
        let name = ctx.interface_name.unwrap_or("unknown");
        label.push_str(&format!(" on interface {name}, id {}", ctx.interface));
        frame.push(
            Node::field(
                format!("Interface id: {} ({name})", ctx.interface),
                "frame.interface_id",
                None,
            )
            .child(Node::field(
                format!("Interface name: {name}"),
                "frame.interface_name",
                None,
            )),
        );
    }
    frame.label = label;
    let (encap, encap_number) = encapsulation(ctx.link_type);
    frame.push(Node::field(
        format!("Encapsulation type: {encap} ({encap_number})"),
        "frame.encap_type",
        None,
    ));
    if ctx.has_ts {
        // Wireshark shows the local time first; the page shows UTC in both lines.
        frame.push(Node::field(
            format!("Arrival Time: {}", utc_time(ctx.ts)),
            "frame.time",
            None,
        ));
        frame.push(Node::field(
            format!("UTC Arrival Time: {}", utc_time(ctx.ts)),
            "frame.time_utc",
            None,
        ));
        frame.push(Node::field(
            format!("Epoch Arrival Time: {}", epoch_time(ctx.ts)),
            "frame.time_epoch",
            None,
        ));
    }
    // Per-user state in Wireshark (time shifts, marks, ignores): shown with their defaults.
    frame.push(Node::generated(
        "Time shift for this packet: 0.000000000 seconds",
        Some("frame.offset_shift"),
    ));
    frame.push(Node::generated(
        format!(
            "Time delta from previous captured frame: {} seconds",
            seconds(ctx.time_delta_ns)
        ),
        Some("frame.time_delta"),
    ));
    frame.push(Node::generated(
        format!(
            "Time delta from previous displayed frame: {} seconds",
            seconds(ctx.time_delta_displayed_ns)
        ),
        Some("frame.time_delta_displayed"),
    ));
    frame.push(Node::generated(
        format!(
            "Time since reference or first frame: {} seconds",
            seconds(ctx.time_relative_ns)
        ),
        Some("frame.time_relative"),
    ));
    frame.push(Node::field(
        format!("Frame Number: {}", ctx.number),
        "frame.number",
        None,
    ));
    frame.push(Node::field(
        format!("Frame Length: {} bytes ({} bits)", orig_len, orig_len * 8),
        "frame.len",
        None,
    ));
    frame.push(Node::field(
        format!(
            "Capture Length: {} bytes ({} bits)",
            cap_len,
            cap_len as u64 * 8
        ),
        "frame.cap_len",
        None,
    ));
    frame.push(Node::generated(
        "Frame is marked: False",
        Some("frame.marked"),
    ));
    frame.push(Node::generated(
        "Frame is ignored: False",
        Some("frame.ignored"),
    ));
    frame.push(Node::generated(
        format!("Protocols in frame: {protocols}"),
        Some("frame.protocols"),
    ));
    if let Some((name, filter)) = ctx.color_rule {
        frame.push(Node::generated(
            format!("Coloring Rule Name: {name}"),
            Some("frame.coloring_rule.name"),
        ));
        frame.push(Node::generated(
            format!("Coloring Rule String: {filter}"),
            Some("frame.coloring_rule.string"),
        ));
    }
    frame
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_times_as_wireshark_prints_them() {
        let ts = Timestamp {
            secs: 1_726_642_892,
            nanos: 461_594_000,
        };
        assert_eq!(utc_time(ts), "Sep 18, 2024 07:01:32.461594000 UTC");
        assert_eq!(epoch_time(ts), "1726642892.461594000");
        let ts = Timestamp {
            secs: 1_767_663_089,
            nanos: 500_330_493,
        };
        assert_eq!(utc_time(ts), "Jan  6, 2026 01:31:29.500330493 UTC");
        assert_eq!(
            utc_time(Timestamp { secs: 0, nanos: 0 }),
            "Jan  1, 1970 00:00:00.000000000 UTC"
        );
        assert_eq!(
            utc_time(Timestamp { secs: -1, nanos: 0 }),
            "Dec 31, 1969 23:59:59.000000000 UTC"
        );
        // Extremes do not panic.
        let _ = utc_time(Timestamp {
            secs: i64::MAX,
            nanos: u32::MAX,
        });
        let _ = utc_time(Timestamp {
            secs: i64::MIN,
            nanos: 0,
        });
    }
}
