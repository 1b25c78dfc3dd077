//! The compiled filter and its evaluation on one frame.
//!
//! Promise: [`Filter::matches`] never panics and allocates nothing per frame once its scratch
//! buffer has grown to the most occurrences one field has had (a `matches` on bytes that are
//! not UTF-8 is the exception: it converts them). Semantics are Wireshark 4.0's: a comparison
//! on an absent field is false; `==`, the orderings, `contains`, `matches` and `in` hold when
//! any occurrence does; `!=` when every occurrence differs (and there is one), `===` when
//! every occurrence is equal, `!==` when any differs; `any`/`all` before a field override.

use super::value::Value;
use super::{Field, FieldSource};
use regex_lite::Regex;
use std::cmp::Ordering;

/// A typed constant from the filter text.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Const {
    Uint(u64),
    Bool(bool),
    Time(f64),
    /// An address and the mask of its network (all ones for a single address).
    Ipv4 {
        addr: u32,
        mask: u32,
    },
    Ipv6 {
        addr: u128,
        mask: u128,
    },
    Mac([u8; 6]),
    /// Strings, byte strings and protocols compare as bytes.
    Bytes(Vec<u8>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CmpOp {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

impl CmpOp {
    fn holds(self, order: Option<Ordering>) -> bool {
        let Some(order) = order else {
            return false;
        };
        match self {
            CmpOp::Eq => order == Ordering::Equal,
            CmpOp::Ne => order != Ordering::Equal,
            CmpOp::Gt => order == Ordering::Greater,
            CmpOp::Ge => order != Ordering::Less,
            CmpOp::Lt => order == Ordering::Less,
            CmpOp::Le => order != Ordering::Greater,
        }
    }
}

/// What a comparison compares a field with.
#[derive(Clone, Debug)]
pub(crate) enum Rhs {
    Const(Const),
    Field(Field),
}

#[derive(Clone, Debug)]
pub(crate) enum Item {
    One(Const),
    Range(Const, Const),
}

#[derive(Clone, Debug)]
pub(crate) enum Node {
    /// The empty filter.
    True,
    Not(Box<Node>),
    And(Vec<Node>),
    Or(Vec<Node>),
    Xor(Vec<Node>),
    Exists(Field),
    /// `all`: every occurrence (of both fields) must pass, and there must be one; else any.
    Cmp {
        field: Field,
        all: bool,
        op: CmpOp,
        rhs: Rhs,
    },
    Contains {
        field: Field,
        all: bool,
        rhs: Rhs,
    },
    Matches {
        field: Field,
        all: bool,
        regex: Regex,
    },
    In {
        field: Field,
        all: bool,
        items: Vec<Item>,
    },
}

/// Orders a field's value against a constant; `None` when they cannot be compared.
fn order_const(value: &Value, constant: &Const) -> Option<Ordering> {
    match (value, constant) {
        (Value::Uint(a), Const::Uint(b)) => Some(a.cmp(b)),
        (Value::Bool(a), Const::Bool(b)) => Some(a.cmp(b)),
        (Value::Time(a), Const::Time(b)) => a.partial_cmp(b),
        (Value::Ipv4(a), Const::Ipv4 { addr, mask }) => {
            Some((u32::from(*a) & mask).cmp(&(addr & mask)))
        }
        (Value::Ipv6(a), Const::Ipv6 { addr, mask }) => {
            Some((u128::from(*a) & mask).cmp(&(addr & mask)))
        }
        (Value::Mac(a), Const::Mac(b)) => Some(a.cmp(b)),
        (value, Const::Bytes(b)) => value.as_bytes().map(|a| a.cmp(b.as_slice())),
        _ => None,
    }
}

/// Orders two field values (field-to-field comparisons).
fn order_values(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Uint(a), Value::Uint(b)) => Some(a.cmp(b)),
        (Value::Bool(a), Value::Bool(b)) => Some(a.cmp(b)),
        (Value::Time(a), Value::Time(b)) => a.partial_cmp(b),
        (Value::Ipv4(a), Value::Ipv4(b)) => Some(a.cmp(b)),
        (Value::Ipv6(a), Value::Ipv6(b)) => Some(a.cmp(b)),
        (Value::Mac(a), Value::Mac(b)) => Some(a.cmp(b)),
        (a, b) => Some(a.as_bytes()?.cmp(b.as_bytes()?)),
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}

/// Applies `test` to the occurrences: any of them, or all of them (and at least one).
fn quantify<'v, 'a: 'v>(
    values: &'v [Value<'a>],
    all: bool,
    test: impl FnMut(&'v Value<'a>) -> bool,
) -> bool {
    if all {
        !values.is_empty() && values.iter().all(test)
    } else {
        values.iter().any(test)
    }
}

/// Evaluates `node` on one frame; `buf` is scratch space, empty on entry and on return.
pub(crate) fn eval<'a>(node: &Node, frame: &'a dyn FieldSource, buf: &mut Vec<Value<'a>>) -> bool {
    match node {
        Node::True => true,
        Node::Not(inner) => !eval(inner, frame, buf),
        Node::And(nodes) => nodes.iter().all(|n| eval(n, frame, buf)),
        Node::Or(nodes) => nodes.iter().any(|n| eval(n, frame, buf)),
        Node::Xor(nodes) => nodes.iter().fold(false, |acc, n| acc ^ eval(n, frame, buf)),
        // Every frame has the frame protocol: no need to ask the source.
        Node::Exists(Field::Frame) => true,
        Node::Exists(field) => {
            frame.values(*field, buf);
            let present = !buf.is_empty();
            buf.clear();
            present
        }
        Node::Cmp {
            field,
            all,
            op,
            rhs,
        } => {
            frame.values(*field, buf);
            let result = match rhs {
                Rhs::Const(constant) => quantify(buf, *all, |v| op.holds(order_const(v, constant))),
                Rhs::Field(other) => pairs(frame, buf, *other, *all, |a, b| {
                    op.holds(order_values(a, b))
                }),
            };
            buf.clear();
            result
        }
        Node::Contains { field, all, rhs } => {
            frame.values(*field, buf);
            let result = match rhs {
                Rhs::Const(Const::Bytes(needle)) => quantify(buf, *all, |v| {
                    v.as_bytes().is_some_and(|h| contains(h, needle))
                }),
                Rhs::Const(_) => false,
                Rhs::Field(other) => pairs(frame, buf, *other, *all, |a, b| {
                    match (a.as_bytes(), b.as_bytes()) {
                        (Some(h), Some(n)) => contains(h, n),
                        _ => false,
                    }
                }),
            };
            buf.clear();
            result
        }
        Node::Matches { field, all, regex } => {
            frame.values(*field, buf);
            let result = quantify(buf, *all, |v| {
                v.as_bytes()
                    .is_some_and(|bytes| match std::str::from_utf8(bytes) {
                        Ok(text) => regex.is_match(text),
                        // Regular expressions run on text: other bytes read as U+FFFD.
                        Err(_) => regex.is_match(&String::from_utf8_lossy(bytes)),
                    })
            });
            buf.clear();
            result
        }
        Node::In { field, all, items } => {
            frame.values(*field, buf);
            let result = quantify(buf, *all, |v| {
                items.iter().any(|item| match item {
                    Item::One(c) => order_const(v, c) == Some(Ordering::Equal),
                    Item::Range(low, high) => {
                        CmpOp::Ge.holds(order_const(v, low))
                            && CmpOp::Le.holds(order_const(v, high))
                    }
                })
            });
            buf.clear();
            result
        }
    }
}

/// Field-to-field: `buf` holds the left field's occurrences; the right field's are added
/// after them. Any pair passes, or (with `all`) every pair, as Wireshark's two-register tests.
fn pairs<'a>(
    frame: &'a dyn FieldSource,
    buf: &mut Vec<Value<'a>>,
    other: Field,
    all: bool,
    mut test: impl FnMut(&Value, &Value) -> bool,
) -> bool {
    let split = buf.len();
    frame.values(other, buf);
    let (left, right) = buf.split_at(split);
    if left.is_empty() || right.is_empty() {
        return false;
    }
    if all {
        left.iter().all(|a| right.iter().all(|b| test(a, b)))
    } else {
        left.iter().any(|a| right.iter().any(|b| test(a, b)))
    }
}
