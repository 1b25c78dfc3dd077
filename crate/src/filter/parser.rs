//! Tokens → syntax tree, by recursive descent.
//!
//! Grammar (lowest precedence first, as Wireshark: `or`, then `xor`, then `and`, then `not`;
//! binary operators associate to the left):
//!
//! ```text
//! expr    = xor { ("or" | "||") xor }
//! xor     = and { ("xor" | "^^") and }
//! and     = unary { ("and" | "&&") unary }
//! unary   = ("not" | "!") unary | "(" expr ")" | test
//! test    = ["any" | "all"] operand [ relation operand | ["not"] "in" set ]
//! set     = "{" item { [","] item } "}"          item = operand [".." operand]
//! ```
//!
//! Promise: never panics; recursion is bounded by [`MAX_DEPTH`] so that a filter of ten
//! thousand parentheses is an error, not a stack overflow. Errors use Wireshark's wording:
//! `"x" was unexpected in this context.` on the token, `Unexpected end of filter
//! expression.` as an empty span at the end.

use super::lexer::{Rel, Tok, Token};
use super::FilterError;

/// Deepest nesting of parentheses and `not`s accepted.
pub(crate) const MAX_DEPTH: usize = 200;

/// A value position in the filter: a word (field or literal), a string or a character.
#[derive(Clone, Debug)]
pub(crate) struct Operand {
    pub token: Token,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    Rel(Rel),
    Contains,
    Matches,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Modifier {
    Any,
    All,
}

#[derive(Clone, Debug)]
pub(crate) enum SetItem {
    One(Operand),
    Range(Operand, Operand),
}

#[derive(Clone, Debug)]
pub(crate) enum Expr {
    Not(Box<Expr>),
    /// Two or more operands; n-ary so that a long chain of `and`s does not nest.
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Xor(Vec<Expr>),
    Exists(Operand),
    Compare {
        modifier: Option<Modifier>,
        left: Operand,
        op: Op,
        /// The operator as written (for messages).
        op_text: String,
        right: Operand,
    },
    In {
        modifier: Option<Modifier>,
        left: Operand,
        negated: bool,
        items: Vec<SetItem>,
    },
}

struct Parser<'t> {
    tokens: &'t [Token],
    pos: usize,
    /// Characters in the filter: where "unexpected end" points.
    end: usize,
    depth: usize,
}

/// Parses a whole filter (which must not be empty).
pub(crate) fn parse(tokens: &[Token], char_len: usize) -> Result<Expr, FilterError> {
    let mut parser = Parser {
        tokens,
        pos: 0,
        end: char_len,
        depth: 0,
    };
    let expr = parser.or()?;
    match parser.peek() {
        None => Ok(expr),
        Some(token) => Err(unexpected(token)),
    }
}

fn unexpected(token: &Token) -> FilterError {
    FilterError {
        message: format!("\"{}\" was unexpected in this context.", token.text),
        start: token.start,
        end: token.end,
    }
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn peek_kind(&self) -> Option<&Tok> {
        self.peek().map(|t| &t.kind)
    }

    fn end_error(&self) -> FilterError {
        FilterError {
            message: "Unexpected end of filter expression.".into(),
            start: self.end,
            end: self.end,
        }
    }

    /// The next token, or the end-of-filter error.
    fn next(&mut self) -> Result<&Token, FilterError> {
        let token = self.tokens.get(self.pos).ok_or_else(|| self.end_error())?;
        self.pos += 1;
        Ok(token)
    }

    fn expect(&mut self, kind: &Tok) -> Result<(), FilterError> {
        let token = self.next()?;
        if &token.kind == kind {
            Ok(())
        } else {
            Err(unexpected(token))
        }
    }

    fn or(&mut self) -> Result<Expr, FilterError> {
        let first = self.xor()?;
        if self.peek_kind() != Some(&Tok::Or) {
            return Ok(first);
        }
        let mut operands = vec![first];
        while self.peek_kind() == Some(&Tok::Or) {
            self.pos += 1;
            operands.push(self.xor()?);
        }
        Ok(Expr::Or(operands))
    }

    fn xor(&mut self) -> Result<Expr, FilterError> {
        let first = self.and()?;
        if self.peek_kind() != Some(&Tok::Xor) {
            return Ok(first);
        }
        let mut operands = vec![first];
        while self.peek_kind() == Some(&Tok::Xor) {
            self.pos += 1;
            operands.push(self.and()?);
        }
        Ok(Expr::Xor(operands))
    }

    fn and(&mut self) -> Result<Expr, FilterError> {
        let first = self.unary()?;
        if self.peek_kind() != Some(&Tok::And) {
            return Ok(first);
        }
        let mut operands = vec![first];
        while self.peek_kind() == Some(&Tok::And) {
            self.pos += 1;
            operands.push(self.unary()?);
        }
        Ok(Expr::And(operands))
    }

    fn unary(&mut self) -> Result<Expr, FilterError> {
        let token = self.peek().ok_or_else(|| self.end_error())?;
        match token.kind {
            Tok::Not | Tok::LParen => {
                if self.depth >= MAX_DEPTH {
                    return Err(FilterError {
                        message: format!(
                            "The filter nests parentheses and \"not\" more than {MAX_DEPTH} deep."
                        ),
                        start: token.start,
                        end: token.end,
                    });
                }
                let open = token.kind == Tok::LParen;
                self.pos += 1;
                self.depth += 1;
                let inner = if open {
                    let inner = self.or()?;
                    self.expect(&Tok::RParen)?;
                    inner
                } else {
                    Expr::Not(Box::new(self.unary()?))
                };
                self.depth -= 1;
                Ok(inner)
            }
            _ => self.test(),
        }
    }

    fn operand(&mut self) -> Result<Operand, FilterError> {
        let token = self.next()?;
        match token.kind {
            Tok::Word | Tok::Quoted(_) | Tok::Char(_) => Ok(Operand {
                token: token.clone(),
            }),
            _ => Err(unexpected(token)),
        }
    }

    fn test(&mut self) -> Result<Expr, FilterError> {
        let modifier = match self.peek_kind() {
            Some(Tok::Any) => Some(Modifier::Any),
            Some(Tok::All) => Some(Modifier::All),
            _ => None,
        };
        if modifier.is_some() {
            self.pos += 1;
        }
        let left = self.operand()?;
        let op = match self.peek_kind() {
            Some(Tok::Rel(rel)) => Some(Op::Rel(*rel)),
            Some(Tok::Contains) => Some(Op::Contains),
            Some(Tok::Matches) => Some(Op::Matches),
            _ => None,
        };
        if let Some(op) = op {
            let op_text = self.next()?.text.clone();
            let right = self.operand()?;
            return Ok(Expr::Compare {
                modifier,
                left,
                op,
                op_text,
                right,
            });
        }
        let negated = self.peek_kind() == Some(&Tok::Not)
            && self.tokens.get(self.pos + 1).map(|t| &t.kind) == Some(&Tok::In);
        if negated {
            self.pos += 1;
        }
        if self.peek_kind() == Some(&Tok::In) {
            self.pos += 1;
            let items = self.set()?;
            return Ok(Expr::In {
                modifier,
                left,
                negated,
                items,
            });
        }
        if modifier.is_some() {
            // "any"/"all" only qualify a comparison.
            return Err(match self.peek() {
                Some(token) => unexpected(token),
                None => self.end_error(),
            });
        }
        Ok(Expr::Exists(left))
    }

    fn set(&mut self) -> Result<Vec<SetItem>, FilterError> {
        self.expect(&Tok::LBrace)?;
        let mut items = vec![self.item()?];
        loop {
            match self.peek_kind() {
                Some(Tok::RBrace) => {
                    self.pos += 1;
                    return Ok(items);
                }
                // Wireshark 4.0 separates items with commas; 3.x with spaces: both are read.
                Some(Tok::Comma) => {
                    self.pos += 1;
                    items.push(self.item()?);
                }
                Some(_) => items.push(self.item()?),
                None => return Err(self.end_error()),
            }
        }
    }

    fn item(&mut self) -> Result<SetItem, FilterError> {
        let low = self.operand()?;
        if self.peek_kind() == Some(&Tok::DotDot) {
            self.pos += 1;
            let high = self.operand()?;
            return Ok(SetItem::Range(low, high));
        }
        Ok(SetItem::One(low))
    }
}
