//! The text HTTP pairing keeps (start lines, Content-Types), in one string.
//!
//! A capture of a hundred thousand exchanges has as many request lines: a `String` each costs
//! an allocation and 24 bytes of header besides the text, and most responses repeat the same
//! few lines ("HTTP/1.1 200 OK") and media types. Here every text is appended to one arena and
//! named by an 8-byte handle; [`Interner`] gives a text that repeats one copy.

use crate::decode::http::StartKind;
use rustc_hash::FxHashMap;
use std::num::NonZeroU64;

/// Bits of a [`Text`] for its length.
const LEN_BITS: u32 = 16;

/// The longest text kept; a longer one is cut at a character boundary.
pub const MAX_TEXT: usize = (1 << LEN_BITS) - 1;

/// Where a text lies in its [`Texts`]: start << 17 | length << 1 | 1, so that it is never
/// zero and an `Option<Text>` is 8 bytes too.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Text(NonZeroU64);

impl Text {
    /// The empty text.
    pub const EMPTY: Text = Text(NonZeroU64::MIN);

    fn new(start: usize, len: usize) -> Option<Text> {
        let start = u64::try_from(start).ok()?;
        let len = u64::try_from(len).ok().filter(|&l| l <= MAX_TEXT as u64)?;
        if start >> (64 - LEN_BITS - 1) != 0 {
            return None;
        }
        NonZeroU64::new(start << (LEN_BITS + 1) | len << 1 | 1).map(Text)
    }

    fn start(self) -> usize {
        (self.0.get() >> (LEN_BITS + 1)) as usize
    }

    fn len(self) -> usize {
        ((self.0.get() >> 1) & MAX_TEXT as u64) as usize
    }
}

impl Default for Text {
    fn default() -> Self {
        Text::EMPTY
    }
}

/// Texts appended one after another.
#[derive(Clone, Debug, Default)]
pub struct Texts(String);

impl Texts {
    pub fn kept(&self) -> usize {
        self.0.capacity()
    }

    pub fn shrink_to_fit(&mut self) {
        self.0.shrink_to_fit();
    }

    /// Keeps `text`, cut to [`MAX_TEXT`] bytes at a character boundary.
    pub fn push(&mut self, text: &str) -> Text {
        let mut end = text.len().min(MAX_TEXT);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let Some(handle) = Text::new(self.0.len(), end) else {
            return Text::EMPTY;
        };
        self.0.push_str(&text[..end]);
        handle
    }

    /// The text of `handle` ("" for a handle of other texts that lies beyond these).
    pub fn get(&self, handle: Text) -> &str {
        let start = handle.start();
        self.0.get(start..start + handle.len()).unwrap_or("")
    }

    pub fn reserve(&mut self, more: usize) {
        self.0.reserve(more);
    }

    /// Bytes kept.
    pub fn len(&self) -> usize {
        self.0.len()
    }
}

/// Texts that recur kept once each: up to [`Interner::MAX_ENTRIES`] distinct short texts (a
/// capture of endless distinct ones then gets a copy each, as without the interner).
#[derive(Default)]
pub struct Interner(FxHashMap<Box<str>, Text>);

impl Interner {
    const MAX_ENTRIES: usize = 4096;
    const MAX_LEN: usize = 256;

    /// `text` in `texts`, as the copy kept before when there is one.
    pub fn intern(&mut self, texts: &mut Texts, text: &str) -> Text {
        if let Some(&handle) = self.0.get(text) {
            return handle;
        }
        let handle = texts.push(text);
        if text.len() <= Self::MAX_LEN && self.0.len() < Self::MAX_ENTRIES {
            self.0.insert(text.into(), handle);
        }
        handle
    }
}

/// The texts of messages, with one copy of those that recur (status lines, Content-Types).
#[derive(Default)]
pub struct Store {
    pub texts: Texts,
    interner: Interner,
}

impl Store {
    /// A start line: a request's is nearly always new, a response's nearly always seen before.
    pub fn line(&mut self, line: &str, start: StartKind) -> Text {
        match start {
            StartKind::Request { .. } => self.texts.push(line),
            StartKind::Response { .. } => self.interner.intern(&mut self.texts, line),
        }
    }

    pub fn intern(&mut self, text: &str) -> Text {
        self.interner.intern(&mut self.texts, text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_find_their_text() {
        let mut texts = Texts::default();
        let a = texts.push("GET / HTTP/1.1");
        let empty = texts.push("");
        let b = texts.push("HTTP/1.1 200 OK");
        assert_eq!(texts.get(a), "GET / HTTP/1.1");
        assert_eq!(texts.get(empty), "");
        assert_eq!(texts.get(b), "HTTP/1.1 200 OK");
        assert_eq!(texts.get(Text::EMPTY), "");
        assert_eq!(std::mem::size_of::<Option<Text>>(), 8);
    }

    #[test]
    fn a_long_text_is_cut_at_a_character_boundary() {
        let mut texts = Texts::default();
        let long = format!("a{}", "é".repeat(MAX_TEXT));
        let handle = texts.push(&long);
        let cut = texts.get(handle);
        assert!(cut.len() <= MAX_TEXT && cut.len() > MAX_TEXT - 2);
        assert!(long.starts_with(cut));
    }

    #[test]
    fn a_handle_from_elsewhere_reads_as_empty() {
        let mut big = Texts::default();
        big.push("some text");
        let far = big.push("more");
        assert_eq!(Texts::default().get(far), "");
        assert_eq!(Text::new(usize::MAX, 1), None);
        assert_eq!(Text::new(0, MAX_TEXT + 1), None);
    }

    #[test]
    fn recurring_texts_are_kept_once() {
        let mut texts = Texts::default();
        let mut interner = Interner::default();
        let a = interner.intern(&mut texts, "text/html");
        let b = interner.intern(&mut texts, "text/html");
        let c = interner.intern(&mut texts, "image/png");
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(texts.len(), "text/htmlimage/png".len());
        assert_eq!(texts.get(c), "image/png");
    }
}
