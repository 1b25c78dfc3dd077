//! Filter text → tokens, each with its span in characters.
//!
//! Like Wireshark 4.0's scanner, field names, numbers, addresses and byte strings are all
//! one kind of token here (a "word"); what a word means is decided later, from the field it
//! is compared with. Quoted strings are decoded here, escapes included.
//!
//! Promise: never panics; an error names the offending characters with Wireshark's wording.

use super::FilterError;

/// A relation between a field and a value, with its default quantifier over the field's
/// occurrences.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Rel {
    /// `==`, `eq`, `any_eq`
    AnyEq,
    /// `!=`, `ne`, `all_ne`
    AllNe,
    /// `===`, `all_eq`
    AllEq,
    /// `!==`, `any_ne`, `~=`
    AnyNe,
    Gt,
    Ge,
    Lt,
    Le,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Tok {
    LParen,
    RParen,
    LBrace,
    RBrace,
    Comma,
    DotDot,
    Rel(Rel),
    Contains,
    Matches,
    Not,
    And,
    Or,
    Xor,
    In,
    Any,
    All,
    /// A field name, number, address, byte string or bare word.
    Word,
    /// A double-quoted (or raw) string, decoded: it may hold any byte.
    Quoted(Vec<u8>),
    /// A character constant (`'a'`, `'\n'`), as its code.
    Char(u32),
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Token {
    pub kind: Tok,
    /// The token as written (quotes included).
    pub text: String,
    /// Character offsets: `[start, end)`.
    pub start: usize,
    pub end: usize,
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':' | '/' | '-')
}

fn keyword(word: &str) -> Option<Tok> {
    Some(match word {
        "eq" | "any_eq" => Tok::Rel(Rel::AnyEq),
        "ne" | "all_ne" => Tok::Rel(Rel::AllNe),
        "all_eq" => Tok::Rel(Rel::AllEq),
        "any_ne" => Tok::Rel(Rel::AnyNe),
        "gt" => Tok::Rel(Rel::Gt),
        "ge" => Tok::Rel(Rel::Ge),
        "lt" => Tok::Rel(Rel::Lt),
        "le" => Tok::Rel(Rel::Le),
        "contains" => Tok::Contains,
        "matches" => Tok::Matches,
        "not" => Tok::Not,
        "and" => Tok::And,
        "or" => Tok::Or,
        "xor" => Tok::Xor,
        "in" => Tok::In,
        "any" => Tok::Any,
        "all" => Tok::All,
        _ => return None,
    })
}

/// Symbols, longest first so that `===` is not read as `==` `=`.
const SYMBOLS: &[(&str, Tok)] = &[
    ("===", Tok::Rel(Rel::AllEq)),
    ("!==", Tok::Rel(Rel::AnyNe)),
    ("==", Tok::Rel(Rel::AnyEq)),
    ("!=", Tok::Rel(Rel::AllNe)),
    ("~=", Tok::Rel(Rel::AnyNe)),
    (">=", Tok::Rel(Rel::Ge)),
    ("<=", Tok::Rel(Rel::Le)),
    ("&&", Tok::And),
    ("||", Tok::Or),
    ("^^", Tok::Xor),
    ("..", Tok::DotDot),
    (">", Tok::Rel(Rel::Gt)),
    ("<", Tok::Rel(Rel::Lt)),
    ("!", Tok::Not),
    ("~", Tok::Matches),
    ("(", Tok::LParen),
    (")", Tok::RParen),
    ("{", Tok::LBrace),
    ("}", Tok::RBrace),
    (",", Tok::Comma),
];

/// The characters `[start, end)` as a string (empty if out of range).
fn collect(chars: &[char], start: usize, end: usize) -> String {
    chars.get(start..end).unwrap_or(&[]).iter().collect()
}

fn error(message: String, start: usize, end: usize) -> FilterError {
    FilterError {
        message,
        start,
        end,
    }
}

/// Splits `text` into tokens.
pub(crate) fn tokenize(text: &str) -> Result<Vec<Token>, FilterError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let next = chars.get(i + 1).copied();
        if c == '"' || (matches!(c, 'r' | 'R') && next == Some('"')) {
            let raw = c != '"';
            let (bytes, end) = quoted(&chars, if raw { i + 1 } else { i }, raw)?;
            tokens.push(Token {
                kind: Tok::Quoted(bytes),
                text: collect(&chars, start, end),
                start,
                end,
            });
            i = end;
            continue;
        }
        if c == '\'' {
            let (code, end) = char_constant(&chars, i)?;
            tokens.push(Token {
                kind: Tok::Char(code),
                text: collect(&chars, start, end),
                start,
                end,
            });
            i = end;
            continue;
        }
        if let Some((symbol, kind)) = SYMBOLS.iter().find(|(symbol, _)| {
            symbol
                .chars()
                .enumerate()
                .all(|(k, s)| chars.get(i + k) == Some(&s))
        }) {
            let end = i + symbol.chars().count();
            tokens.push(Token {
                kind: kind.clone(),
                text: (*symbol).to_string(),
                start,
                end,
            });
            i = end;
            continue;
        }
        if is_word_char(c) {
            let mut end = i;
            // A word never holds "..": `8000..8080` is a range of two words.
            while chars.get(end).is_some_and(|&w| is_word_char(w))
                && !(chars.get(end) == Some(&'.') && chars.get(end + 1) == Some(&'.'))
            {
                end += 1;
            }
            let word = collect(&chars, start, end);
            tokens.push(Token {
                kind: keyword(&word).unwrap_or(Tok::Word),
                text: word,
                start,
                end,
            });
            i = end;
            continue;
        }
        return Err(error(
            format!("\"{c}\" was unexpected in this context."),
            start,
            start + 1,
        ));
    }
    Ok(tokens)
}

/// Reads a quoted string whose opening quote is at `open`; returns its bytes and the index
/// after the closing quote. A raw string keeps its backslashes (`\"` does not end it).
fn quoted(chars: &[char], open: usize, raw: bool) -> Result<(Vec<u8>, usize), FilterError> {
    let mut out = Vec::new();
    let mut i = open + 1;
    loop {
        let Some(&c) = chars.get(i) else {
            return Err(error(
                "The final quote was missing from a quoted string.".into(),
                open,
                open + 1,
            ));
        };
        match c {
            '"' => return Ok((out, i + 1)),
            '\\' if raw => {
                out.push(b'\\');
                if let Some(&escaped @ ('"' | '\\')) = chars.get(i + 1) {
                    out.push(escaped as u8);
                    i += 2;
                } else {
                    i += 1;
                }
            }
            '\\' => {
                let (bytes, end) = escape(chars, i)?;
                out.extend_from_slice(&bytes);
                i = end;
            }
            _ => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                i += 1;
            }
        }
    }
}

/// Reads the escape sequence at `at` (a backslash); returns the bytes it stands for.
fn escape(chars: &[char], at: usize) -> Result<(Vec<u8>, usize), FilterError> {
    let Some(&c) = chars.get(at + 1) else {
        // A lone backslash before the end: the string is unterminated.
        return Err(error(
            "The final quote was missing from a quoted string.".into(),
            at,
            at + 1,
        ));
    };
    let simple = match c {
        '\'' => Some(b'\''),
        '"' => Some(b'"'),
        '\\' => Some(b'\\'),
        'a' => Some(0x07),
        'b' => Some(0x08),
        'f' => Some(0x0c),
        'n' => Some(b'\n'),
        'r' => Some(b'\r'),
        't' => Some(b'\t'),
        'v' => Some(0x0b),
        _ => None,
    };
    if let Some(byte) = simple {
        return Ok((vec![byte], at + 2));
    }
    let digits = |from: usize, max: usize, radix: u32| {
        let mut end = from;
        while end < from + max && chars.get(end).is_some_and(|d| d.is_digit(radix)) {
            end += 1;
        }
        end
    };
    let number = |from: usize, to: usize, radix: u32| {
        chars
            .get(from..to)
            .unwrap_or(&[])
            .iter()
            .fold(0u32, |n, d| n * radix + d.to_digit(radix).unwrap_or(0))
    };
    let sequence = |to: usize| collect(chars, at, to);
    match c {
        '0'..='7' => {
            let end = digits(at + 1, 3, 8);
            let value = number(at + 1, end, 8);
            match u8::try_from(value) {
                Ok(byte) => Ok((vec![byte], end)),
                Err(_) => Err(error(
                    format!("{} is larger than 255.", sequence(end)),
                    at,
                    end,
                )),
            }
        }
        'x' => {
            let end = digits(at + 2, 2, 16);
            if end == at + 2 {
                return Err(error(
                    "\\x is not a valid character escape sequence".into(),
                    at,
                    at + 2,
                ));
            }
            let byte = u8::try_from(number(at + 2, end, 16)).unwrap_or(u8::MAX);
            Ok((vec![byte], end))
        }
        'u' | 'U' => {
            let want = if c == 'u' { 4 } else { 8 };
            let end = digits(at + 2, want, 16);
            let code = char::from_u32(number(at + 2, end, 16));
            match code {
                Some(ch) if end == at + 2 + want => {
                    let mut buf = [0u8; 4];
                    Ok((ch.encode_utf8(&mut buf).as_bytes().to_vec(), end))
                }
                _ => Err(error(
                    format!("{} is not a valid universal character name", sequence(end)),
                    at,
                    end,
                )),
            }
        }
        other => Err(error(
            format!("\\{other} is not a valid character escape sequence"),
            at,
            at + 2,
        )),
    }
}

/// Reads a character constant (`'a'`, `'\n'`, `'\x41'`) at `open`.
fn char_constant(chars: &[char], open: usize) -> Result<(u32, usize), FilterError> {
    let mut k = open + 1;
    let close = loop {
        match chars.get(k) {
            None => {
                return Err(error(
                    "The final quote was missing from a character constant.".into(),
                    open,
                    open + 1,
                ))
            }
            Some('\\') => k += 2,
            Some('\'') => break k,
            Some(_) => k += 1,
        }
    };
    let text = collect(chars, open, close + 1);
    let too_long = || {
        error(
            format!("{text} is too long to be a valid character constant."),
            open,
            close + 1,
        )
    };
    let inner = chars.get(open + 1..close).unwrap_or(&[]);
    match inner {
        [c] if *c != '\\' => Ok((u32::from(*c), close + 1)),
        ['\\', ..] => {
            let (bytes, end) = escape(chars, open + 1)?;
            match bytes[..] {
                [byte] if end == close => Ok((u32::from(byte), close + 1)),
                _ => Err(too_long()),
            }
        }
        _ => Err(too_long()),
    }
}
