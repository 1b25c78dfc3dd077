//! The capture in words, in English and 简体中文: its format, its link types, what could not be
//! read ([`CaptureProblem`]), and the summary the page shows above the frame list (the CLI's
//! `capture` object, in English).
//!
//! Promise: every sentence about a capture problem is made here, from the problem's facts, in
//! both languages; the English is what the CLI prints and `analyze --json` writes.

use super::Lang;
use crate::analysis::Report;
use crate::capture::{
    format_seconds, BadLength, CaptureInfo, CaptureProblem, Format, Part, ProblemDetail,
    ProblemKind, Timestamp,
};
use serde::Serialize;

/// What the page shows above the frame list once a capture has been read (and the CLI's
/// `capture` object), in one language.
#[derive(Serialize)]
pub struct Summary {
    /// "pcap (little-endian, µs)", "pcapng, gzip"; None when the file is not a capture.
    pub format: Option<String>,
    pub gzip: bool,
    pub link_types: Vec<LinkType>,
    pub frames: u32,
    /// Bytes of capture read (decompressed, for gzip).
    pub bytes: u64,
    /// Epoch seconds, as text at the capture's precision (exact) and as a number (for dates).
    pub first_time: Option<String>,
    pub last_time: Option<String>,
    pub first_epoch: Option<f64>,
    pub last_epoch: Option<f64>,
    /// Seconds from the first to the last frame, at the capture's precision.
    pub time_span: Option<String>,
    pub problems: Vec<Problem>,
}

#[derive(Serialize)]
pub struct LinkType {
    pub code: u32,
    pub name: &'static str,
}

#[derive(Serialize)]
pub struct Problem {
    pub kind: ProblemKind,
    /// u64 offsets above 2^53 cannot be JS numbers; files that large are not read in a page.
    pub offset: f64,
    pub frame: Option<u32>,
    pub message: String,
    /// Whether reading stopped here (false: something was skipped and reading went on).
    pub fatal: bool,
}

/// The summary's texts alone (format, link type names, problem messages, in the summary's
/// order), for a page that shows a second language without reading the capture again.
#[derive(Serialize)]
pub struct SummaryTexts {
    pub format: Option<String>,
    pub link_types: Vec<&'static str>,
    pub problems: Vec<String>,
}

/// The capture's summary in `lang`: format, link types, frame count, time span, problems.
pub fn summary(report: &Report, lang: Lang) -> Summary {
    let end = &report.capture;
    let digits = report.time_origin().digits;
    // Records without a time (pcapng simple packets, custom blocks) do not bound the span.
    let first = report
        .numbered()
        .find(|f| f.has_ts())
        .map(|f| report.ts(&f));
    let last = report
        .numbered()
        .rev()
        .find(|f| f.has_ts())
        .map(|f| report.ts(&f));
    let epoch = |t: Option<Timestamp>| t.map(|t| t.format_epoch(digits));
    let texts = summary_texts(report, lang);
    Summary {
        format: texts.format,
        gzip: end.info.as_ref().is_some_and(|i| i.gzip),
        link_types: end
            .info
            .as_ref()
            .map(|i| i.link_types())
            .unwrap_or_default()
            .into_iter()
            .zip(texts.link_types)
            .map(|(code, name)| LinkType { code, name })
            .collect(),
        frames: end.frames,
        bytes: end.bytes,
        first_time: epoch(first),
        last_time: epoch(last),
        first_epoch: first.map(Timestamp::as_f64),
        last_epoch: last.map(Timestamp::as_f64),
        time_span: first
            .zip(last)
            .map(|(a, b)| format_seconds(b.nanos_since(a), digits)),
        problems: end
            .problems
            .iter()
            .zip(texts.problems)
            .map(|(p, message)| Problem {
                kind: p.kind,
                offset: p.offset as f64,
                frame: p.frame,
                message,
                fatal: p.kind.is_fatal(),
            })
            .collect(),
    }
}

/// The texts of [`summary`] in `lang`.
pub fn summary_texts(report: &Report, lang: Lang) -> SummaryTexts {
    let end = &report.capture;
    SummaryTexts {
        format: end.info.as_ref().map(|i| format_text(i, lang)),
        link_types: end
            .info
            .as_ref()
            .map(|i| i.link_types())
            .unwrap_or_default()
            .into_iter()
            .map(|code| link_type_text(code, lang))
            .collect(),
        problems: end.problems.iter().map(|p| problem_text(p, lang)).collect(),
    }
}

/// "pcap (little-endian, µs)", "pcapng, gzip"; "pcap（小端序，微秒）", "pcapng，gzip 压缩".
pub fn format_text(info: &CaptureInfo, lang: Lang) -> String {
    let mut text = match (info.format, lang) {
        (Format::Pcap, Lang::En) => format!(
            "pcap ({}, {})",
            if info.big_endian {
                "big-endian"
            } else {
                "little-endian"
            },
            if info.nanosecond_pcap() { "ns" } else { "µs" }
        ),
        (Format::Pcap, Lang::Zh) => format!(
            "pcap（{}，{}）",
            if info.big_endian {
                "大端序"
            } else {
                "小端序"
            },
            if info.nanosecond_pcap() {
                "纳秒"
            } else {
                "微秒"
            }
        ),
        (Format::Pcapng, _) => "pcapng".to_string(),
    };
    if info.gzip {
        text.push_str(lang.pick(", gzip", "，gzip 压缩"));
    }
    text
}

/// A link type's name (LINKTYPE_*): Wireshark's, or its Chinese where one is in use.
pub fn link_type_text(code: u32, lang: Lang) -> &'static str {
    let english = crate::decode::link_type_name(code);
    if lang == Lang::En {
        return english;
    }
    match code {
        0 => "BSD 环回",
        1 => "以太网",
        6 => "IEEE 802.5 令牌环",
        12 | 14 | 101 => "原始 IP",
        50 => "HDLC 类帧中的 PPP",
        105 => "IEEE 802.11 无线局域网",
        108 => "OpenBSD 环回",
        113 => "Linux cooked 抓包 v1",
        119 => "Prism II 监听模式",
        127 => "IEEE 802.11 加 radiotap 头",
        147..=162 => "用户自定义 DLT",
        163 => "IEEE 802.11 加 AVS 头",
        201 => "带伪头部的蓝牙 HCI H4",
        215 => "IEEE 802.15.4（无 FCS）",
        220 => "Linux USB（mmap）",
        228 => "原始 IPv4",
        229 => "原始 IPv6",
        239 => "Linux netfilter 日志（NFLOG）",
        242 => "InfiniBand 上的 IP",
        252 => "Wireshark 上层 PDU",
        263 => "低功耗蓝牙链路层",
        274 => "Nordic BLE 嗅探器",
        276 => "Linux cooked 抓包 v2",
        _ if english == "Unknown link type" => "未知链路类型",
        // Names that read the same in Chinese texts (PPP, FDDI, SocketCAN, ...).
        _ => english,
    }
}

/// What was being read, for a sentence ("frame 3's record", "第 3 帧的记录").
fn part_text(part: Part, lang: Lang) -> String {
    match (part, lang) {
        (Part::MagicNumber, Lang::En) => "the file's magic number".into(),
        (Part::MagicNumber, Lang::Zh) => "文件的魔数".into(),
        (Part::PcapHeader, Lang::En) => "the pcap file header".into(),
        (Part::PcapHeader, Lang::Zh) => "pcap 文件头".into(),
        (Part::RecordHeader(f), Lang::En) => format!("the record header of frame {f}"),
        (Part::RecordHeader(f), Lang::Zh) => format!("第 {f} 帧的记录头"),
        (Part::Record(f), Lang::En) => format!("frame {f}'s record"),
        (Part::Record(f), Lang::Zh) => format!("第 {f} 帧的记录"),
        (Part::NextRecord, Lang::En) => "the next record".into(),
        (Part::NextRecord, Lang::Zh) => "下一条记录".into(),
        (Part::SectionHeader, Lang::En) => "the pcapng section header".into(),
        (Part::SectionHeader, Lang::Zh) => "pcapng 节头".into(),
        (Part::PacketBlock(f), Lang::En) => format!("frame {f}'s packet block"),
        (Part::PacketBlock(f), Lang::Zh) => format!("第 {f} 帧的数据包块"),
        (Part::NextBlock, Lang::En) => "the next block".into(),
        (Part::NextBlock, Lang::Zh) => "下一个块".into(),
    }
}

/// The first bytes of a file as hex and as text ("48 65 6c 6c", "Hell").
fn preview(head: &[u8]) -> (String, String) {
    let head = &head[..head.len().min(8)];
    let hex = head
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ");
    let text = head
        .iter()
        .map(|&b| {
            if (0x20..0x7f).contains(&b) {
                b as char
            } else {
                '.'
            }
        })
        .collect();
    (hex, text)
}

/// A hint for common non-capture files dropped by mistake.
fn file_kind(bytes: &[u8], lang: Lang) -> Option<&'static str> {
    let starts = |m: &[u8]| bytes.starts_with(m);
    let (en, zh) = if starts(b"%PDF") {
        ("a PDF document", "PDF 文档")
    } else if starts(b"PK\x03\x04") {
        (
            "a zip archive (unzip it and drop the capture inside)",
            "zip 压缩包（请解压后拖入其中的抓包文件）",
        )
    } else if starts(b"\x89PNG") {
        ("a PNG image", "PNG 图片")
    } else if starts(b"\xff\xd8\xff") {
        ("a JPEG image", "JPEG 图片")
    } else if starts(b"BZh") {
        (
            "a bzip2 file (decompress it first)",
            "bzip2 文件（请先解压）",
        )
    } else if starts(b"\xfd7zXZ") {
        ("an xz file (decompress it first)", "xz 文件（请先解压）")
    } else if starts(b"\x28\xb5\x2f\xfd") {
        ("a zstd file (decompress it first)", "zstd 文件（请先解压）")
    } else if starts(b"<") || starts(b"{") || starts(b"[") {
        (
            "a text, HTML, XML or JSON file",
            "文本、HTML、XML 或 JSON 文件",
        )
    } else if !bytes.is_empty()
        && bytes
            .iter()
            .take(8)
            .all(|&b| b == b'\n' || b == b'\r' || b == b'\t' || (0x20..0x7f).contains(&b))
    {
        ("a text file", "文本文件")
    } else {
        return None;
    };
    Some(lang.pick(en, zh))
}

/// A capture problem in plain words.
pub fn problem_text(problem: &CaptureProblem, lang: Lang) -> String {
    let offset = problem.offset;
    let frame = problem.frame.unwrap_or(0);
    let zh = lang == Lang::Zh;
    match &problem.detail {
        ProblemDetail::Empty { gzip: true } => lang
            .pick(
                "The gzip file holds nothing (0 bytes once decompressed).",
                "这个 gzip 文件里什么也没有（解压后为 0 字节）。",
            )
            .into(),
        ProblemDetail::Empty { gzip: false } => lang
            .pick("The file is empty (0 bytes).", "文件是空的（0 字节）。")
            .into(),
        ProblemDetail::NotACapture { gzip, head } => {
            let (hex, text) = preview(head);
            let guess = file_kind(head, lang);
            if zh {
                let what = if *gzip {
                    "这个 gzip 文件里不是抓包文件"
                } else {
                    "这不是抓包文件"
                };
                let guess = guess.map(|k| format!("看起来是{k}。")).unwrap_or_default();
                format!(
                    "{what}：它以字节 {hex}（“{text}”）开头。{guess}抓包文件应是 pcap（以 a1 b2 c3 d4 或 d4 c3 b2 a1 开头，纳秒精度为 a1 b2 3c 4d / 4d 3c b2 a1）、pcapng（0a 0d 0d 0a），或经 gzip 压缩的二者之一（1f 8b）。"
                )
            } else {
                let what = if *gzip {
                    "This gzip file does not hold a capture"
                } else {
                    "This is not a capture file"
                };
                let guess = guess
                    .map(|k| format!(" It looks like {k}."))
                    .unwrap_or_default();
                format!(
                    "{what}: it starts with the bytes {hex} (\"{text}\").{guess} Expected pcap (a1 b2 c3 d4, d4 c3 b2 a1, or a1 b2 3c 4d / 4d 3c b2 a1 for nanoseconds), pcapng (0a 0d 0d 0a), or either one compressed with gzip (1f 8b)."
                )
            }
        }
        ProblemDetail::HeaderCut { have } => if zh {
            format!("抓包文件在第 {have} 字节处被截断：它的文件头至少需要 24 字节，但只有 {have} 字节。")
        } else {
            format!("The capture is cut short at byte {have}: its file header needs at least 24 bytes, but only {have} are there.")
        },
        ProblemDetail::CutShort {
            gzip,
            total,
            part,
            at,
            needed,
            have,
            frames,
        } => {
            let what = part_text(*part, lang);
            if zh {
                let unit = if *gzip { "解压后数据的" } else { "" };
                let before = match frames {
                    0 => "在此之前没有读到任何帧。".to_string(),
                    n => format!("此前的 {n} 帧都已显示。"),
                };
                format!("抓包文件在{unit}第 {total} 字节处被截断：{what}从{unit}第 {at} 字节开始，需要 {needed} 字节，但只有 {have} 字节。{before}")
            } else {
                let unit = if *gzip {
                    "byte of the decompressed capture"
                } else {
                    "byte"
                };
                let before = match frames {
                    0 => "No frame could be read before it.".to_string(),
                    1 => "The 1 frame before it is shown.".to_string(),
                    n => format!("The {n} frames before it are shown."),
                };
                format!("The capture is cut short at {unit} {total}: {what} starts at {unit} {at} and needs {needed} bytes, but only {have} are there. {before}")
            }
        }
        ProblemDetail::GzipEndsEarly { total } => if zh {
            format!("gzip 文件提前结束，解压后只有 {total} 字节；此前的每一帧都已显示。")
        } else {
            format!("The gzip file ends early, after byte {total} of the decompressed capture; every frame before that is shown.")
        },
        ProblemDetail::GzipDamaged { error } => if zh {
            format!("gzip 压缩数据已损坏（{error}）；读取在解压后数据的第 {offset} 字节之后停止。")
        } else {
            format!("The gzip compression is damaged ({error}); reading stopped after byte {offset} of the decompressed capture.")
        },
        ProblemDetail::PcapHeaderUnreadable { error } => if zh {
            format!("无法读取 pcap 文件头：{error}。")
        } else {
            format!("The pcap file header cannot be read: {error}.")
        },
        ProblemDetail::RecordTooLong { captured, max } => if zh {
            format!("第 {frame} 帧的记录（位于第 {offset} 字节）声称抓到了 {captured} 字节，超过任何抓包所能容纳的上限（最多 {max} 字节）；文件从此处起已损坏，因此停止读取。")
        } else {
            format!("Frame {frame}'s record at byte {offset} claims {captured} captured bytes, more than any capture holds (at most {max}); the file is damaged from there on, so reading stops.")
        },
        ProblemDetail::RecordUnreadable { error } => if zh {
            format!("无法读取第 {frame} 帧的记录（位于第 {offset} 字节）：{error}。")
        } else {
            format!("Frame {frame}'s record at byte {offset} cannot be read: {error}.")
        },
        ProblemDetail::BeyondSnaplen { captured, snaplen } => if zh {
            format!("第 {frame} 帧包含 {captured} 个抓到的字节，超过了文件的快照长度 {snaplen}；按原样读取。")
        } else {
            format!("Frame {frame} holds {captured} captured bytes, more than the file's snapshot length of {snaplen}; it is read as it is.")
        },
        ProblemDetail::CapturedBeyondWire { captured, on_wire } => if zh {
            format!("第 {frame} 帧声称抓到了 {captured} 字节，但该数据包在线路上只有 {on_wire} 字节；两个长度都按文件所给的显示。")
        } else {
            format!("Frame {frame} says it captured {captured} bytes of a packet only {on_wire} bytes long on the wire; both lengths are shown as the file gives them.")
        },
        ProblemDetail::TimeBackwards { earlier_ns, digits } => {
            let by = format_seconds(*earlier_ns, *digits);
            let previous = frame.saturating_sub(1);
            if zh {
                format!("第 {frame} 帧比第 {previous} 帧早 {by} 秒：抓包的时间戳在这里倒退了。")
            } else {
                format!("Frame {frame} is {by} s earlier than frame {previous}: the capture's timestamps go backwards here.")
            }
        }
        ProblemDetail::MoreWarnings { shown } => if zh {
            format!("还有更多记录存在同样的异常；只描述了前 {shown} 条。")
        } else {
            format!("More records are odd in the same ways; only the first {shown} are described.")
        },
        ProblemDetail::ByteOrderMagic { found } => {
            let [a, b, c, d] = found;
            if zh {
                format!("第 {offset} 字节处的节头的字节序魔数是 {a:02x} {b:02x} {c:02x} {d:02x}；pcapng 节头需要 1a 2b 3c 4d 或 4d 3c 2b 1a。")
            } else {
                format!("The section header at byte {offset} has the byte-order magic {a:02x} {b:02x} {c:02x} {d:02x}; a pcapng section header needs 1a 2b 3c 4d or 4d 3c 2b 1a.")
            }
        }
        ProblemDetail::BlockLength {
            block_type,
            length,
            why,
        } => {
            let why = match (why, lang) {
                (BadLength::TooShort, Lang::En) => {
                    "smaller than the 12 bytes every block needs".to_string()
                }
                (BadLength::TooShort, Lang::Zh) => "小于每个块所需的 12 字节".to_string(),
                (BadLength::NotMultipleOf4, Lang::En) => "not a multiple of 4".to_string(),
                (BadLength::NotMultipleOf4, Lang::Zh) => "不是 4 的倍数".to_string(),
                (BadLength::TooLong(max), Lang::En) => {
                    format!("larger than any block can be ({max} bytes at most)")
                }
                (BadLength::TooLong(max), Lang::Zh) => {
                    format!("超过了块的最大长度（最多 {max} 字节）")
                }
            };
            if zh {
                format!("第 {offset} 字节处的块（类型 0x{block_type:08x}）长度为 {length}，{why}；文件从此处起已损坏，因此停止读取。")
            } else {
                format!("The block at byte {offset} (type 0x{block_type:08x}) has length {length}, {why}; the file is damaged from there on, so reading stops.")
            }
        }
        ProblemDetail::BlockTrailer {
            block_type,
            length,
            trailer,
        } => if zh {
            format!("第 {offset} 字节处的块（类型 0x{block_type:08x}）开头说长度为 {length} 字节，结尾却说是 {trailer} 字节；文件从此处起已损坏，因此停止读取。")
        } else {
            format!("The block at byte {offset} (type 0x{block_type:08x}) says it is {length} bytes long at its start but {trailer} at its end; the file is damaged from there on, so reading stops.")
        },
        ProblemDetail::NoSectionHeader => lang
            .pick(
                "The file does not start with a pcapng section header.",
                "文件不是以 pcapng 节头开始的。",
            )
            .into(),
        ProblemDetail::PcapngVersion { major, minor } => if zh {
            format!("第 {offset} 字节处的节头属于 pcapng {major}.{minor} 版；pcapng 只有第 1 版，因此在此停止读取。")
        } else {
            format!("The section header at byte {offset} is for pcapng version {major}.{minor}; only version 1 exists, so reading stops there.")
        },
        ProblemDetail::PacketBlockShort => if zh {
            format!("第 {offset} 字节处的数据包块太短，容不下它的字段；已跳过，不计为一帧。")
        } else {
            format!("The packet block at byte {offset} is too short for its fields; it was skipped and is not counted as a frame.")
        },
        ProblemDetail::PacketBlockBeyond { captured } => if zh {
            format!("第 {offset} 字节处的数据包块声称包含 {captured} 个抓到的字节，超过了块本身的大小；已跳过，不计为一帧。")
        } else {
            format!("The packet block at byte {offset} says it holds {captured} captured bytes, more than the block has; it was skipped and is not counted as a frame.")
        },
        ProblemDetail::UnknownInterface { interface } => if zh {
            format!("第 {offset} 字节处的数据包块指向接口 {interface}，但本节从未描述过这个接口；已跳过，不计为一帧。")
        } else {
            format!("The packet block at byte {offset} names interface {interface}, which this section never described; it was skipped and is not counted as a frame.")
        },
        ProblemDetail::SimpleBlockShort => if zh {
            format!("第 {offset} 字节处的简单数据包块太短；已跳过。")
        } else {
            format!("The simple packet block at byte {offset} is too short; it was skipped.")
        },
        ProblemDetail::SimpleBlockFirst => if zh {
            format!("第 {offset} 字节处的简单数据包块出现在任何接口描述之前；已跳过，不计为一帧。")
        } else {
            format!("The simple packet block at byte {offset} comes before any interface description; it was skipped and is not counted as a frame.")
        },
        ProblemDetail::InterfaceShort => if zh {
            format!("第 {offset} 字节处的接口描述太短；它的数据包以未知链路类型列出。")
        } else {
            format!("The interface description at byte {offset} is too short; its packets are listed with an unknown link type.")
        },
        ProblemDetail::InterfaceOption { code } => if zh {
            format!("第 {offset} 字节处的接口描述中有一个选项（代码 {code}）超出了块的长度；其余选项被忽略。")
        } else {
            format!("The interface description at byte {offset} has an option (code {code}) longer than the block; the rest of its options were ignored.")
        },
        ProblemDetail::FrameLimit {
            frames_limit,
            limit,
        } => match (frames_limit, lang) {
            (true, Lang::En) => format!("Only the first {limit} frames are read: this tool keeps at most {limit} frames of a capture here, so reading stopped at frame {frame} (byte {offset}). Split the capture (editcap -c) to see the rest."),
            (false, Lang::En) => format!("Only the frames in the first {limit} bytes of a capture are read, so reading stopped at frame {frame} (byte {offset}). Split the capture (editcap -c) to see the rest."),
            (true, Lang::Zh) => format!("只读取前 {limit} 帧：本工具在这里最多保留一个抓包文件的 {limit} 帧，因此在第 {frame} 帧（第 {offset} 字节）处停止读取。请拆分抓包文件（editcap -c）以查看其余部分。"),
            (false, Lang::Zh) => format!("只读取抓包文件前 {limit} 字节中的帧，因此在第 {frame} 帧（第 {offset} 字节）处停止读取。请拆分抓包文件（editcap -c）以查看其余部分。"),
        },
    }
}
