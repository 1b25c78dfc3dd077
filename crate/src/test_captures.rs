//! Where tests find the shared captures: `$TCP_TIMELINE_SHARED/captures` when set, else
//! `../shared/captures` beside the repository (as CI lays it out). Tests on real captures
//! skip with a printed note when the folder is absent.

use std::path::{Path, PathBuf};

/// The shared captures folder, if present.
pub fn captures_dir() -> Option<PathBuf> {
    let shared = std::env::var_os("TCP_TIMELINE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared"));
    let dir = shared.join("captures");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!(
            "note: {} is absent; tests on real captures skipped",
            dir.display()
        );
        None
    }
}

/// Paths below the captures folder that exist (`list` holds paths relative to it).
pub fn capture_paths(list: &[&str]) -> Vec<PathBuf> {
    let Some(dir) = captures_dir() else {
        return Vec::new();
    };
    list.iter()
        .map(|p| dir.join(p))
        .filter(|p| p.exists())
        .collect()
}

/// Every capture file below the captures folder (pcap, pcapng, cap), sorted.
pub fn all_captures() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path
                .extension()
                .is_some_and(|x| x == "pcap" || x == "pcapng" || x == "cap")
            {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    if let Some(dir) = captures_dir() {
        walk(&dir, &mut out);
    }
    out.sort();
    out
}

/// The tutorial's capture, as the repository ships it.
pub fn demo() -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../www/examples/demo.pcap"))
        .expect("www/examples/demo.pcap is in the repository")
}
