//! Chunked transfer coding (RFC 9112 section 7.1): where a chunked body ends.
//!
//! Promise: [`ChunkState::advance`] never panics and looks at each byte once, whatever the
//! sizes say (they saturate); chunk data is counted, not kept; a bare LF is taken where CR LF
//! belongs, and the body ends at the blank line after the last chunk and its trailer lines.

/// Where a chunked body is.
#[derive(Clone, Copy, Debug)]
pub(super) enum ChunkState {
    /// Reading a chunk-size line (value so far, whether a ';' extension started).
    Size(u64, bool),
    Data(u64),
    /// The CRLF after a chunk's data.
    DataEnd(u8),
    /// Trailer lines after the last chunk; the count is the current line's length.
    Trailer(usize),
}

impl ChunkState {
    /// Where a chunked body starts: its first chunk-size line.
    pub(super) const START: ChunkState = ChunkState::Size(0, false);

    /// Advances a chunked body over `bytes`; returns how many were used and whether it ended.
    pub(super) fn advance(&mut self, bytes: &[u8]) -> (usize, bool) {
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            match *self {
                ChunkState::Size(size, in_extension) => {
                    i += 1;
                    if b == b'\n' {
                        *self = if size == 0 {
                            ChunkState::Trailer(0)
                        } else {
                            ChunkState::Data(size)
                        };
                    } else if b == b';' {
                        *self = ChunkState::Size(size, true);
                    } else if !in_extension {
                        if let Some(d) = (b as char).to_digit(16) {
                            *self = ChunkState::Size(
                                size.saturating_mul(16).saturating_add(u64::from(d)),
                                false,
                            );
                        }
                    }
                }
                ChunkState::Data(left) => {
                    let take = (bytes.len() - i).min(usize::try_from(left).unwrap_or(usize::MAX));
                    i += take;
                    let left = left - take as u64;
                    *self = if left == 0 {
                        ChunkState::DataEnd(2)
                    } else {
                        ChunkState::Data(left)
                    };
                }
                ChunkState::DataEnd(left) => {
                    i += 1;
                    // Tolerate a bare LF: a '\n' always ends the chunk's trailing line.
                    *self = if b == b'\n' || left <= 1 {
                        ChunkState::Size(0, false)
                    } else {
                        ChunkState::DataEnd(left - 1)
                    };
                }
                ChunkState::Trailer(line_len) => {
                    i += 1;
                    if b == b'\n' {
                        if line_len == 0 {
                            return (i, true);
                        }
                        *self = ChunkState::Trailer(0);
                    } else if b != b'\r' {
                        *self = ChunkState::Trailer(line_len + 1);
                    }
                }
            }
        }
        (i, false)
    }
}
