//! Wireshark display filters (`tcp.port == 80 && !tcp.analysis.flags`) for the fields this
//! project decodes: parsed, type-checked and compiled once, then evaluated on any number of
//! frames.
//!
//! Promises:
//! - [`compile`] accepts what Wireshark 4.0 accepts for these fields, and refuses the rest
//!   with Wireshark 4.0's message and the span (in characters) of what it is about; it never
//!   panics, whatever the text. It also reads a few things 4.0 does not: `xor`/`^^` (4.2),
//!   set members separated by spaces (3.x), `true`/`false` in any case, and `tcp.flags.ns`.
//!   A leading dot marks a field, as in 4.0 (`.tcp.port == 80`).
//! - [`Filter::matches`] gives Wireshark 4.0's verdict on a frame whose [`FieldSource`]
//!   reports the same occurrences as Wireshark's dissection; it never panics and allocates
//!   nothing per frame (one scratch buffer is reused).
//! - Field names are resolved at compile time; [`Filter::fields`] and
//!   [`Filter::needs_bytes`] say what a frame source must provide.
//!
//! Not supported (compile errors): slices (`eth.src[0:3]`), layers (`ip.addr#2`),
//! functions (`len()`, `upper()`), arithmetic and bitwise `&`, field references (`${..}`),
//! host names, absolute times.
//!
//! Layout: `lexer` (text → tokens) → `parser` (tokens → tree) → `check` (tree → typed
//! program, with `literal` reading values) → `eval` (program × frame → bool). `field` is the
//! table of names and types; `decoded` is the [`FieldSource`] of a fully decoded frame.

mod check;
mod decoded;
mod eval;
mod field;
mod index;
mod lexer;
mod literal;
mod parser;
mod value;

#[cfg(test)]
mod tests;

pub use decoded::{DecodedFrame, HttpMessage};
pub use field::Field;
pub use index::{http_messages, matches_bytes, matches_indexed, IndexedFrame};
pub use value::{Value, ValueKind};

use serde::Serialize;
use std::cell::RefCell;

/// Why a filter text was refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FilterError {
    /// Wireshark's message.
    pub message: String,
    /// The characters to underline, `[start, end)`, counted in characters (not bytes) of
    /// the filter text. An empty span (`start == end`) is a point: "unexpected end" points
    /// just after the last character.
    pub start: usize,
    pub end: usize,
}

impl std::fmt::Display for FilterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FilterError {}

/// Where a filter reads a frame's fields.
pub trait FieldSource {
    /// Pushes every occurrence of `field` in this frame onto `out` (nothing when absent), as
    /// the variant of [`Value`] that [`Field::kind`] names. Protocol fields push
    /// [`Value::Protocol`] when present, with the protocol's bytes where known.
    fn values<'a>(&'a self, field: Field, out: &mut Vec<Value<'a>>);
}

/// A compiled display filter.
#[derive(Debug)]
pub struct Filter {
    root: eval::Node,
    fields: Vec<Field>,
    needs_bytes: bool,
    /// Reused for every frame, so that evaluation does not allocate. Its values never
    /// outlive one call of `matches` (it is emptied before it is put back), hence 'static.
    scratch: RefCell<Vec<Value<'static>>>,
}

impl Clone for Filter {
    fn clone(&self) -> Self {
        Filter {
            root: self.root.clone(),
            fields: self.fields.clone(),
            needs_bytes: self.needs_bytes,
            scratch: RefCell::new(Vec::new()),
        }
    }
}

/// Compiles a display filter. An empty (or blank) text is the filter that matches every
/// frame, as an empty display filter shows every frame in Wireshark.
pub fn compile(text: &str) -> Result<Filter, FilterError> {
    let tokens = lexer::tokenize(text)?;
    let root = if tokens.is_empty() {
        eval::Node::True
    } else {
        let tree = parser::parse(&tokens, text.chars().count())?;
        check::check(&tree)?
    };
    let mut fields = Vec::new();
    let mut needs_bytes = false;
    visit(&root, &mut |field, existence_only| {
        if !fields.contains(&field) {
            fields.push(field);
        }
        // A protocol in an index is only a marker: comparing its bytes needs the frame.
        let bytes_compared = !existence_only && field.kind() == ValueKind::Protocol;
        needs_bytes |= !field.indexed() || bytes_compared;
    });
    Ok(Filter {
        root,
        fields,
        needs_bytes,
        scratch: RefCell::new(Vec::new()),
    })
}

/// Calls `f(field, existence_only)` for every field the program reads.
fn visit(node: &eval::Node, f: &mut impl FnMut(Field, bool)) {
    use eval::{Node, Rhs};
    match node {
        Node::True => {}
        Node::Not(inner) => visit(inner, f),
        Node::And(nodes) | Node::Or(nodes) | Node::Xor(nodes) => {
            nodes.iter().for_each(|n| visit(n, f))
        }
        Node::Exists(field) => f(*field, true),
        Node::Cmp { field, rhs, .. } | Node::Contains { field, rhs, .. } => {
            f(*field, false);
            if let Rhs::Field(other) = rhs {
                f(*other, false);
            }
        }
        Node::Matches { field, .. } | Node::In { field, .. } => f(*field, false),
    }
}

/// Reuses a vector's allocation for values of another lifetime. It is emptied first, and
/// `filter_map` over an empty `IntoIter` of a same-sized type collects in place, so the
/// capacity is kept without `unsafe`. (Clippy's `filter` would not change the lifetime.)
#[allow(clippy::unnecessary_filter_map)]
fn recycle<'from, 'to>(mut values: Vec<Value<'from>>) -> Vec<Value<'to>> {
    values.clear();
    values.into_iter().filter_map(|_| None).collect()
}

impl Filter {
    /// Whether the frame passes the filter.
    pub fn matches(&self, frame: &dyn FieldSource) -> bool {
        // Re-entrance (a source that runs this filter itself) gets a fresh buffer.
        let Ok(mut stash) = self.scratch.try_borrow_mut() else {
            return eval::eval(&self.root, frame, &mut Vec::new());
        };
        let mut buf = recycle(std::mem::take(&mut *stash));
        let result = eval::eval(&self.root, frame, &mut buf);
        *stash = recycle(buf);
        result
    }

    /// Fields referenced (deduplicated), in the order they appear.
    pub fn fields(&self) -> Vec<Field> {
        self.fields.clone()
    }

    /// Whether any referenced field is not in the per-frame index (see [`Field::indexed`]),
    /// or a protocol's bytes are compared (`frame contains "x"`): then the frame's bytes
    /// must be decoded to evaluate the filter.
    pub fn needs_bytes(&self) -> bool {
        self.needs_bytes
    }
}
