//! The crate's layers, checked: data flows one way, from the capture's bytes to the shells,
//! and a module never uses one above it (so no two modules use each other).
//!
//! Every `crate::X` path in the crate's non-test source (comments and test code left out) is
//! read; `X` must come before the module that names it in [`LAYERS`], and every top-level
//! module must be in [`LAYERS`] (a new module takes its place there on purpose).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The top-level modules, lowest first. A module may use those before it, never those after.
const LAYERS: &[&str] = &[
    // Small tools of their own, used anywhere.
    "text",
    "kept",
    "regroup",
    "synth",
    // The pipeline: bytes → frames → facts.
    "capture",
    "decode",
    "tcp",
    "http",
    "analysis",
    // Views: they word and draw the facts, and compute none.
    "row",
    "explain",
    "filter",
    "detail",
    "follow",
    "ladder",
    // Shells over the views: the page's state, the command line, WebAssembly.
    "session",
    "cli",
    "wasm",
    // Test support.
    "fuzzing",
    "test_captures",
    "layering_tests",
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The top-level modules lib.rs declares.
fn declared_modules() -> BTreeSet<String> {
    let lib = std::fs::read_to_string(src().join("lib.rs")).expect("lib.rs");
    lib.lines()
        .filter_map(|line| {
            let line = line.trim();
            let rest = line
                .strip_prefix("pub mod ")
                .or_else(|| line.strip_prefix("mod "))?;
            Some(rest.trim_end_matches(';').to_string())
        })
        .collect()
}

/// The source files of the crate's library (not its tests: `tests.rs`, `*_tests.rs`).
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            if name != "testdata" {
                sources(&path, out);
            }
        } else if name.ends_with(".rs")
            && name != "tests.rs"
            && !name.ends_with("_tests.rs")
            && name != "main.rs"
        {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to ("analysis" for `analysis/report.rs`).
fn module_of(path: &Path) -> String {
    let relative = path.strip_prefix(src()).unwrap_or(path);
    let first = relative
        .components()
        .next()
        .and_then(|c| c.as_os_str().to_str())
        .unwrap_or("");
    first.trim_end_matches(".rs").to_string()
}

/// The code of a file without its comments, its string literals' contents and its test
/// module (`#[cfg(test)] mod tests { ... }`, which comes last).
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests {") {
        Some(at) => &text[..at],
        None => text,
    };
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut depth = 0usize; // block comments nest in Rust
    while let Some(c) = chars.next() {
        if depth > 0 {
            if c == '*' && chars.peek() == Some(&'/') {
                chars.next();
                depth -= 1;
            } else if c == '/' && chars.peek() == Some(&'*') {
                chars.next();
                depth += 1;
            }
            continue;
        }
        match (c, chars.peek()) {
            ('/', Some('/')) => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            ('/', Some('*')) => {
                chars.next();
                depth = 1;
            }
            ('"', _) => {
                // A string's contents are text, not paths.
                let mut escaped = false;
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                    }
                    if escaped {
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == '"' {
                        break;
                    }
                }
                out.push_str("\"\"");
            }
            _ => out.push(c),
        }
    }
    out
}

/// Every `crate::X` the code names, with its line.
fn uses(code: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (number, line) in code.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            if rest[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                rest = after;
                continue;
            }
            let name: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if name.is_empty() {
                // `crate::{a, b}`: each name in the braces.
                if let Some(group) = after.strip_prefix('{') {
                    let group = group.split('}').next().unwrap_or("");
                    for part in group.split(',') {
                        let name = part.trim().split("::").next().unwrap_or("").trim();
                        if !name.is_empty() {
                            found.push((number + 1, name.to_string()));
                        }
                    }
                }
            } else {
                found.push((number + 1, name));
            }
            rest = after;
        }
    }
    found
}

#[test]
fn every_module_has_a_layer() {
    let declared = declared_modules();
    let missing: Vec<_> = declared
        .iter()
        .filter(|m| !LAYERS.contains(&m.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "modules without a layer in LAYERS: {missing:?}"
    );
    assert!(declared.contains("analysis") && declared.contains("capture"));
}

#[test]
fn no_module_uses_one_above_it() {
    let rank = |name: &str| LAYERS.iter().position(|m| *m == name);
    let mut files = Vec::new();
    sources(&src(), &mut files);
    assert!(files.len() > 50, "the crate's sources are found");
    let mut against = Vec::new();
    let mut checked = 0;
    for file in files {
        let module = module_of(&file);
        if module == "lib" {
            continue;
        }
        let Some(own) = rank(&module) else {
            against.push(format!("{}: module {module} has no layer", file.display()));
            continue;
        };
        let code = code_of(&std::fs::read_to_string(&file).expect("readable"));
        for (line, used) in uses(&code) {
            checked += 1;
            if used == module {
                continue;
            }
            match rank(&used) {
                Some(r) if r < own => {}
                _ => against.push(format!(
                    "{}:{line}: {module} uses crate::{used}, which is not below it",
                    file.strip_prefix(src()).unwrap_or(&file).display()
                )),
            }
        }
    }
    assert!(checked > 100, "paths were read ({checked})");
    assert!(
        against.is_empty(),
        "uses against the layers:\n{}",
        against.join("\n")
    );
}

/// The reading of paths itself: comments, strings and tests are not code; groups count each
/// name.
#[test]
fn paths_are_read_from_code_only() {
    let code = code_of(
        "use crate::tcp::X; // crate::wasm\n/* crate::cli /* nested crate::row */ */\n\
         let s = \"crate::ladder\";\nuse crate::{decode::Y, http};\n\
         #[cfg(test)]\nmod tests {\n    use crate::detail;\n}\n",
    );
    let names: Vec<String> = uses(&code).into_iter().map(|(_, n)| n).collect();
    assert_eq!(names, ["tcp", "decode", "http"]);
}
