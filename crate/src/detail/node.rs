//! The tree's node, and the small helpers every layer uses to make one: spans clamped to the
//! frame, Wireshark's bit-field labels (`0100 .... = Version: 4`), expert-info subtrees, hex.
//!
//! Promise: no helper here panics, whatever offsets and lengths it is given; a span that would
//! reach past the frame is cut to the frame, and one that starts past it is dropped.

use serde::Serialize;

/// One line of the packet-details pane.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Node {
    /// The text Wireshark shows, brackets included for generated fields.
    pub label: String,
    /// The display-filter field name ("tcp.srcport"), for "apply as filter".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'static str>,
    /// `[offset, length]` in the frame's bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<[u32; 2]>,
    /// Computed by the analysis, not read from the bytes. Wireshark brackets such lines, but
    /// not the bit lines under a computed value (conversation completeness).
    pub generated: bool,
    /// Severity and group of an expert-info line, for colouring.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expert: Option<Expert>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Node>,
}

/// Wireshark's expert-info severities.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Chat,
    Note,
    Warn,
    Error,
}

impl Severity {
    /// The word Wireshark prints ("Warning", not "Warn").
    pub fn word(self) -> &'static str {
        match self {
            Severity::Chat => "Chat",
            Severity::Note => "Note",
            Severity::Warn => "Warning",
            Severity::Error => "Error",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Expert {
    pub severity: Severity,
    /// Wireshark's group: "Sequence", "Checksum", "Malformed", "Protocol", ...
    pub group: &'static str,
}

impl Node {
    /// A line read from the bytes.
    pub fn field(label: impl Into<String>, field: &'static str, span: Option<[u32; 2]>) -> Node {
        Node {
            label: label.into(),
            field: Some(field),
            span,
            ..Node::default()
        }
    }

    /// A line with neither field name nor bytes (a subtree heading, say).
    pub fn text(label: impl Into<String>) -> Node {
        Node {
            label: label.into(),
            ..Node::default()
        }
    }

    /// A generated line: the brackets are added here.
    pub fn generated(label: impl AsRef<str>, field: Option<&'static str>) -> Node {
        Node {
            label: format!("[{}]", label.as_ref()),
            field,
            generated: true,
            ..Node::default()
        }
    }

    /// A computed line shown without brackets (the bits of a computed value).
    pub fn computed(label: impl Into<String>, field: &'static str) -> Node {
        Node {
            label: label.into(),
            field: Some(field),
            generated: true,
            ..Node::default()
        }
    }

    pub fn with_span(mut self, span: Option<[u32; 2]>) -> Node {
        self.span = span;
        self
    }

    pub fn child(mut self, child: Node) -> Node {
        self.children.push(child);
        self
    }

    pub fn push(&mut self, child: Node) {
        self.children.push(child);
    }

    /// Every node of the tree below and including this one, depth first.
    pub fn walk(&self, visit: &mut dyn FnMut(&Node, usize)) {
        fn go(node: &Node, depth: usize, visit: &mut dyn FnMut(&Node, usize)) {
            visit(node, depth);
            for child in &node.children {
                go(child, depth + 1, visit);
            }
        }
        go(self, 0, visit);
    }
}

/// Wireshark's expert-info subtree: `[Expert Info (Note/Sequence): message]` over the message,
/// its severity and its group.
pub fn expert(severity: Severity, group: &'static str, message: impl AsRef<str>) -> Node {
    let message = message.as_ref();
    let mut node = Node::generated(
        format!("Expert Info ({}/{group}): {message}", severity.word()),
        Some("_ws.expert"),
    );
    node.expert = Some(Expert { severity, group });
    node.children = vec![
        Node::generated(message, None),
        Node::generated(format!("Severity level: {}", severity.word()), None),
        Node::generated(format!("Group: {group}"), None),
    ];
    node
}

/// `[offset, len]` within a frame of `frame_len` bytes: cut at the frame's end, None when it
/// starts beyond it (a header the snaplen cut off has no bytes to highlight).
pub fn span(offset: usize, len: usize, frame_len: usize) -> Option<[u32; 2]> {
    if offset > frame_len || (offset == frame_len && len > 0) {
        return None;
    }
    let len = len.min(frame_len - offset);
    Some([u32::try_from(offset).ok()?, u32::try_from(len).ok()?])
}

/// Wireshark's bit picture of a field: `bits` bits of `value` (most significant first), the
/// ones in `mask` shown as 0/1 and the rest as dots, in groups of four.
pub fn bits(value: u64, mask: u64, bits: u32) -> String {
    let mut out = String::new();
    for i in (0..bits.min(64)).rev() {
        if i + 1 != bits && (i + 1) % 4 == 0 {
            out.push(' ');
        }
        let bit = 1u64 << i;
        out.push(if mask & bit == 0 {
            '.'
        } else if value & bit != 0 {
            '1'
        } else {
            '0'
        });
    }
    out
}

/// `bits(...) = label`: a bit-field line.
pub fn bit_label(value: u64, mask: u64, width: u32, label: impl AsRef<str>) -> String {
    format!("{} = {}", bits(value, mask, width), label.as_ref())
}

/// "Set" / "Not set", as Wireshark prints a flag.
pub fn set(on: bool) -> &'static str {
    if on {
        "Set"
    } else {
        "Not set"
    }
}

/// A label cut as Wireshark cuts its labels: at most 239 characters.
pub fn capped(label: String) -> String {
    cut(label, 239)
}

/// Wireshark's label for a long field, "Name: value": when it would pass 239 characters,
/// " [truncated]" goes after the name and the label is cut to 238 (tshark 4.0's form, which
/// steps back one character from its 239-byte limit).
pub fn named(name: &str, value: &str) -> String {
    let label = format!("{name}: {value}");
    if label.chars().count() <= 239 {
        return label;
    }
    cut(format!("{name} [truncated]: {value}"), 238)
}

/// Wireshark's label for a long line of text (a header line, a line of a text body): when it
/// would pass 239 characters, " [truncated]" goes first and the label is cut to 238.
pub fn text_line(text: String) -> String {
    if text.chars().count() <= 239 {
        return text;
    }
    cut(format!(" [truncated]{text}"), 238)
}

fn cut(mut label: String, chars: usize) -> String {
    if let Some((at, _)) = label.char_indices().nth(chars) {
        label.truncate(at);
    }
    label
}

/// Lower-case hex of the bytes, no separators.
pub fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    out
}

/// How Wireshark shows a long byte field: the first 36 bytes in hex, then "…".
pub fn hex_shown(bytes: &[u8]) -> String {
    const SHOWN: usize = 36;
    match bytes.get(..SHOWN) {
        Some(head) if bytes.len() > SHOWN => format!("{}…", hex(head)),
        _ => hex(bytes),
    }
}

/// Seconds with nine decimals, as Wireshark prints relative times ("0.000122000").
pub fn seconds(nanos: i128) -> String {
    crate::capture::format_seconds(nanos, 9)
}

/// Text from the packet as Wireshark shows it in a label: printable ASCII as is, CR, LF and
/// tab as `\r`, `\n`, `\t`, other bytes as `\xNN`. Valid UTF-8 beyond ASCII is kept.
pub fn escaped(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::with_capacity(bytes.len());
    for c in text.chars() {
        match c {
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// Big-endian reads that return None past the end (the decoder's readers are private to it).
pub fn u8_at(data: &[u8], offset: usize) -> Option<u8> {
    data.get(offset).copied()
}

pub fn be16_at(data: &[u8], offset: usize) -> Option<u16> {
    let bytes = data.get(offset..offset.checked_add(2)?)?;
    Some(u16::from_be_bytes([bytes[0], bytes[1]]))
}

pub fn be32_at(data: &[u8], offset: usize) -> Option<u32> {
    let bytes = data.get(offset..offset.checked_add(4)?)?;
    Some(u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_pictures_match_wireshark() {
        assert_eq!(bits(0x45, 0xf0, 8), "0100 ....");
        assert_eq!(bits(0x45, 0x0f, 8), ".... 0101");
        assert_eq!(bits(0x4000, 0x1fff, 16), "...0 0000 0000 0000");
        assert_eq!(bits(0x002, 0x002, 12), ".... .... ..1.");
        assert_eq!(bits(0x0e00, 0x0e00, 12), "111. .... ....");
        assert_eq!(bits(0x40, 0xe0, 8), "010. ....");
    }

    #[test]
    fn spans_stay_in_the_frame() {
        assert_eq!(span(0, 10, 20), Some([0, 10]));
        assert_eq!(span(15, 10, 20), Some([15, 5]));
        assert_eq!(span(20, 0, 20), Some([20, 0]));
        assert_eq!(span(20, 1, 20), None);
        assert_eq!(span(usize::MAX, 1, 20), None);
    }

    #[test]
    fn packet_text_is_escaped() {
        assert_eq!(escaped(b"GET / HTTP/1.1\r\n"), "GET / HTTP/1.1\\r\\n");
        assert_eq!(escaped(b"a\x01b"), "a\\x01b");
        assert_eq!(hex_shown(&[0xab; 40]).chars().count(), 73);
        let long = "x".repeat(300);
        assert_eq!(named("Request URI", "/short"), "Request URI: /short");
        let label = named("Request URI", &long);
        assert!(label.starts_with("Request URI [truncated]: xxx"));
        assert_eq!(label.chars().count(), 238);
        let label = text_line(long.clone());
        assert!(label.starts_with(" [truncated]xxx"));
        assert_eq!(label.chars().count(), 238);
        assert_eq!(capped(long).chars().count(), 239);
    }
}
