//! Syntax tree → compiled filter: names resolved to fields, literals read as the type of the
//! field they are compared with, operators checked against field types.
//!
//! Promise: every error is Wireshark 4.0's message for the same mistake (checked against
//! tshark 4.0.17) with the span of the token it is about.

use super::eval::{CmpOp, Const, Item, Node, Rhs};
use super::lexer::{Rel, Tok};
use super::literal::{self, IntError, NetError};
use super::parser::{Expr, Modifier, Op, Operand, SetItem};
use super::value::ValueKind;
use super::{Field, FilterError};

fn error(message: String, operand: &Operand) -> FilterError {
    FilterError {
        message,
        start: operand.token.start,
        end: operand.token.end,
    }
}

/// The field an operand names: `Some` for a field, `None` for a literal. A word with a
/// leading dot (`.tcp.port`) is a field by Wireshark 4.0's syntax, and an error if unknown.
fn field_of(operand: &Operand) -> Result<Option<Field>, FilterError> {
    if operand.token.kind != Tok::Word {
        return Ok(None);
    }
    let text = operand.token.text.as_str();
    match text.strip_prefix('.') {
        Some(name) => Field::from_name(name).map(Some).ok_or_else(|| {
            error(
                format!("\"{name}\" is not a valid protocol or protocol field."),
                operand,
            )
        }),
        None => Ok(Field::from_name(text)),
    }
}

pub(crate) fn check(expr: &Expr) -> Result<Node, FilterError> {
    match expr {
        Expr::Not(inner) => Ok(Node::Not(Box::new(check(inner)?))),
        Expr::And(items) => Ok(Node::And(all(items)?)),
        Expr::Or(items) => Ok(Node::Or(all(items)?)),
        Expr::Xor(items) => Ok(Node::Xor(all(items)?)),
        Expr::Exists(operand) => field_of(operand)?.map(Node::Exists).ok_or_else(|| {
            error(
                format!(
                    "{} is neither a field nor a protocol name.",
                    operand.token.text
                ),
                operand,
            )
        }),
        Expr::Compare {
            modifier,
            left,
            op,
            op_text,
            right,
        } => compare(*modifier, left, *op, op_text, right),
        Expr::In {
            modifier,
            left,
            negated,
            items,
        } => {
            let node = membership(*modifier, left, items)?;
            Ok(if *negated {
                Node::Not(Box::new(node))
            } else {
                node
            })
        }
    }
}

fn all(items: &[Expr]) -> Result<Vec<Node>, FilterError> {
    items.iter().map(check).collect()
}

/// The left side of a test: a field that can take part in `op_text`.
fn left_field(left: &Operand, op_text: &str, quoted_op: bool) -> Result<Field, FilterError> {
    let Some(field) = field_of(left)? else {
        let op = if quoted_op {
            format!("\"{op_text}\"")
        } else {
            op_text.to_string()
        };
        return Err(error(
            format!(
                "Left side of {op} expression must be a field or function, not {}.",
                left.token.text
            ),
            left,
        ));
    };
    if field.kind() == ValueKind::Label {
        return Err(cannot_participate(field, left, op_text));
    }
    Ok(field)
}

fn cannot_participate(field: Field, left: &Operand, op_text: &str) -> FilterError {
    error(
        format!(
            "{} (type={}) cannot participate in {op_text} comparison.",
            left.token.text,
            field.kind().wireshark_name()
        ),
        left,
    )
}

fn compare(
    modifier: Option<Modifier>,
    left: &Operand,
    op: Op,
    op_text: &str,
    right: &Operand,
) -> Result<Node, FilterError> {
    let field = left_field(left, op_text, matches!(op, Op::Rel(_)))?;
    let kind = field.kind();
    let modifier_all = |default: bool| match modifier {
        Some(Modifier::All) => true,
        Some(Modifier::Any) => false,
        None => default,
    };
    match op {
        Op::Rel(rel) => {
            let (default_all, cmp) = match rel {
                Rel::AnyEq => (false, CmpOp::Eq),
                Rel::AllNe => (true, CmpOp::Ne),
                Rel::AllEq => (true, CmpOp::Eq),
                Rel::AnyNe => (false, CmpOp::Ne),
                Rel::Gt => (false, CmpOp::Gt),
                Rel::Ge => (false, CmpOp::Ge),
                Rel::Lt => (false, CmpOp::Lt),
                Rel::Le => (false, CmpOp::Le),
            };
            Ok(Node::Cmp {
                field,
                all: modifier_all(default_all),
                op: cmp,
                rhs: rhs(field, left, right, kind)?,
            })
        }
        Op::Contains => {
            if !kind.can_contain() {
                return Err(cannot_participate(field, left, op_text));
            }
            // A MAC address contains bytes: its right side is any byte string.
            let as_kind = if kind == ValueKind::Mac {
                ValueKind::Bytes
            } else {
                kind
            };
            Ok(Node::Contains {
                field,
                all: modifier_all(false),
                rhs: rhs(field, left, right, as_kind)?,
            })
        }
        Op::Matches => {
            if !kind.can_match() {
                return Err(cannot_participate(field, left, op_text));
            }
            let Tok::Quoted(pattern) = &right.token.kind else {
                return Err(error(
                    "Matches requires a double quoted string on the right side.".into(),
                    right,
                ));
            };
            let regex = std::str::from_utf8(pattern)
                .map_err(|_| "the pattern is not valid UTF-8".to_string())
                .and_then(|pattern| {
                    // Wireshark's matches are case-insensitive unless the pattern says (?-i).
                    regex_lite::RegexBuilder::new(pattern)
                        .case_insensitive(true)
                        .build()
                        .map_err(|e| e.to_string())
                })
                .map_err(|reason| error(format!("Regex compilation error: {reason}."), right))?;
            Ok(Node::Matches {
                field,
                all: modifier_all(false),
                regex,
            })
        }
    }
}

/// The right side of a comparison: another field of a compatible type, or a literal read
/// as `kind`.
fn rhs(field: Field, left: &Operand, right: &Operand, kind: ValueKind) -> Result<Rhs, FilterError> {
    if let Some(other) = field_of(right)? {
        if other.kind().family() != field.kind().family() {
            return Err(error(
                format!(
                    "{} and {} are not of compatible types.",
                    left.token.text, right.token.text
                ),
                right,
            ));
        }
        return Ok(Rhs::Field(other));
    }
    Ok(Rhs::Const(literal(field, kind, right)?))
}

fn membership(
    modifier: Option<Modifier>,
    left: &Operand,
    items: &[SetItem],
) -> Result<Node, FilterError> {
    let Some(field) = field_of(left)? else {
        return Err(error(
            "Only a field may be tested for membership in a set.".into(),
            left,
        ));
    };
    let kind = field.kind();
    if kind == ValueKind::Label {
        return Err(cannot_participate(field, left, "in"));
    }
    let items = items
        .iter()
        .map(|item| {
            Ok(match item {
                SetItem::One(value) => Item::One(literal(field, kind, value)?),
                SetItem::Range(low, high) => {
                    Item::Range(literal(field, kind, low)?, literal(field, kind, high)?)
                }
            })
        })
        .collect::<Result<Vec<_>, FilterError>>()?;
    Ok(Node::In {
        field,
        all: modifier == Some(Modifier::All),
        items,
    })
}

/// Reads a literal operand as a value of `kind`, with Wireshark's messages.
fn literal(field: Field, kind: ValueKind, operand: &Operand) -> Result<Const, FilterError> {
    let text = operand.token.text.as_str();
    let from_string = || {
        error(
            format!(
                "{} cannot be converted from a string ({text}).",
                kind.wireshark_name()
            ),
            operand,
        )
    };
    match (&operand.token.kind, kind) {
        (Tok::Quoted(bytes), ValueKind::Str | ValueKind::Bytes | ValueKind::Protocol) => {
            Ok(Const::Bytes(bytes.clone()))
        }
        (Tok::Char(code), ValueKind::Str | ValueKind::Bytes | ValueKind::Protocol) => {
            let ch = char::from_u32(*code).unwrap_or(char::REPLACEMENT_CHARACTER);
            Ok(Const::Bytes(ch.to_string().into_bytes()))
        }
        (Tok::Word, ValueKind::Str) => Ok(Const::Bytes(text.as_bytes().to_vec())),
        (Tok::Word, ValueKind::Bytes | ValueKind::Protocol) => {
            // A hex integer that fits one byte is that byte (`frame[4] == 0xff`).
            let one_byte = text
                .strip_prefix("0x")
                .or_else(|| text.strip_prefix("0X"))
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
                .map(|b| vec![b]);
            one_byte
                .or_else(|| literal::parse_bytes(text))
                .map(Const::Bytes)
                .ok_or_else(|| error(format!("\"{text}\" is not a valid byte string."), operand))
        }
        (
            Tok::Char(code),
            ValueKind::Uint8 | ValueKind::Uint16 | ValueKind::Uint32 | ValueKind::FrameNumber,
        ) => Ok(Const::Uint(u64::from(*code))),
        (
            Tok::Word,
            ValueKind::Uint8 | ValueKind::Uint16 | ValueKind::Uint32 | ValueKind::FrameNumber,
        ) => match literal::parse_uint(text) {
            Ok(value) if text.starts_with('-') => Ok(Const::Uint(value)),
            Ok(value) => match kind.max() {
                Some(max) if value > max => Err(error(
                    format!("\"{text}\" too big for this field, maximum {max}."),
                    operand,
                )),
                _ => Ok(Const::Uint(value)),
            },
            Err(IntError::Overflow) => Err(error(
                format!("\"{text}\" causes an integer overflow."),
                operand,
            )),
            Err(IntError::Invalid) => {
                Err(error(format!("\"{text}\" is not a valid number."), operand))
            }
        },
        (_, ValueKind::Bool) => {
            let shown = match &operand.token.kind {
                Tok::Quoted(bytes) => String::from_utf8_lossy(bytes).into_owned(),
                _ => text.to_string(),
            };
            let value = match &operand.token.kind {
                // Wireshark 4.0 spells them True/TRUE/False/FALSE; any case is read here.
                Tok::Word if text.eq_ignore_ascii_case("true") => Some(true),
                Tok::Word if text.eq_ignore_ascii_case("false") => Some(false),
                Tok::Word => literal::parse_uint(text).ok().map(|n| n != 0),
                Tok::Char(code) => Some(*code != 0),
                _ => None,
            };
            value.map(Const::Bool).ok_or_else(|| {
                error(
                    format!(
                        "\"{shown}\" cannot be found among the possible values for {}.",
                        field.name()
                    ),
                    operand,
                )
            })
        }
        (Tok::Word, ValueKind::Time) => literal::parse_time(text)
            .map(Const::Time)
            .ok_or_else(|| error(format!("\"{text}\" is not a valid time."), operand)),
        (Tok::Word, ValueKind::Ipv4) => match literal::parse_ipv4_net(text) {
            Ok((addr, mask)) => Ok(Const::Ipv4 { addr, mask }),
            Err(NetError::Prefix(bits)) => Err(error(
                format!("Netmask bits in a CIDR IPv4 address should be <= 32, not {bits}"),
                operand,
            )),
            Err(NetError::Invalid) => Err(error(
                format!("\"{text}\" is not a valid hostname or IPv4 address."),
                operand,
            )),
        },
        (Tok::Word, ValueKind::Ipv6) => match literal::parse_ipv6_net(text) {
            Ok((addr, mask)) => Ok(Const::Ipv6 { addr, mask }),
            Err(NetError::Prefix(bits)) => Err(error(
                format!("Prefix in a IPv6 address should be <= 128, not {bits}"),
                operand,
            )),
            Err(NetError::Invalid) => Err(error(
                format!("\"{text}\" is not a valid hostname or IPv6 address."),
                operand,
            )),
        },
        (Tok::Word, ValueKind::Mac) => match literal::parse_bytes(text) {
            Some(bytes) => match <[u8; 6]>::try_from(bytes.as_slice()) {
                Ok(mac) => Ok(Const::Mac(mac)),
                Err(_) => Err(error(
                    format!(
                        "\"{text}\" contains too {} bytes to be a valid Ethernet address.",
                        if bytes.len() < 6 { "few" } else { "many" }
                    ),
                    operand,
                )),
            },
            None => Err(error(
                format!("\"{text}\" is not a valid Ethernet address."),
                operand,
            )),
        },
        (Tok::Quoted(_), _) => Err(from_string()),
        // A character constant where no integer or string goes, or a label: nothing fits.
        _ => Err(error(
            format!(
                "\"{text}\" cannot be converted to {}.",
                kind.wireshark_name()
            ),
            operand,
        )),
    }
}
