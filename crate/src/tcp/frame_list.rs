//! A few frame numbers kept inline: a handshake's or a close's frames.
//!
//! Every connection has two such lists of one to four frames. As `Vec`s they were two small
//! heap blocks per connection (a capture of a hundred thousand connections: 200,000 blocks,
//! about 6 MB); here up to `INLINE` numbers live in the list itself (no larger than a `Vec`
//! and a tag: 32 bytes, 20 in wasm32), and only a longer list (retransmitted SYNs, a refused
//! connection's SYNs and RST) goes to the heap.

use serde::Serialize;

/// Numbers kept without a heap block.
const INLINE: usize = 4;

#[derive(Clone)]
enum Repr {
    Inline { len: u8, frames: [u32; INLINE] },
    Heap(Vec<u32>),
}

/// Frame numbers in order of appearance; derefs to `[u32]`, serialises as a list.
#[derive(Clone)]
pub struct FrameList(Repr);

const _: () = assert!(size_of::<FrameList>() <= 32);

impl FrameList {
    pub const fn new() -> Self {
        FrameList(Repr::Inline {
            len: 0,
            frames: [0; INLINE],
        })
    }

    pub fn push(&mut self, frame: u32) {
        match &mut self.0 {
            Repr::Inline { len, frames } if usize::from(*len) < INLINE => {
                frames[usize::from(*len)] = frame;
                *len += 1;
            }
            Repr::Inline { len, frames } => {
                let mut heap = frames[..usize::from(*len)].to_vec();
                heap.push(frame);
                self.0 = Repr::Heap(heap);
            }
            Repr::Heap(heap) => heap.push(frame),
        }
    }
}

impl Default for FrameList {
    fn default() -> Self {
        Self::new()
    }
}

impl std::ops::Deref for FrameList {
    type Target = [u32];

    fn deref(&self) -> &[u32] {
        match &self.0 {
            Repr::Inline { len, frames } => &frames[..usize::from(*len).min(INLINE)],
            Repr::Heap(heap) => heap,
        }
    }
}

impl Extend<u32> for FrameList {
    fn extend<I: IntoIterator<Item = u32>>(&mut self, frames: I) {
        for frame in frames {
            self.push(frame);
        }
    }
}

impl FromIterator<u32> for FrameList {
    fn from_iter<I: IntoIterator<Item = u32>>(frames: I) -> Self {
        let mut list = FrameList::new();
        list.extend(frames);
        list
    }
}

impl<const N: usize> From<[u32; N]> for FrameList {
    fn from(frames: [u32; N]) -> Self {
        frames.into_iter().collect()
    }
}

impl std::fmt::Debug for FrameList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl PartialEq for FrameList {
    fn eq(&self, other: &Self) -> bool {
        self[..] == other[..]
    }
}

impl Eq for FrameList {}

impl<const N: usize> PartialEq<[u32; N]> for FrameList {
    fn eq(&self, other: &[u32; N]) -> bool {
        self[..] == other[..]
    }
}

impl PartialEq<Vec<u32>> for FrameList {
    fn eq(&self, other: &Vec<u32>) -> bool {
        self[..] == other[..]
    }
}

impl Serialize for FrameList {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_list_stays_inline_and_a_long_one_moves_to_the_heap() {
        let mut list = FrameList::from([1, 2, 3]);
        assert!(matches!(list.0, Repr::Inline { len: 3, .. }));
        list.extend(4..=INLINE as u32);
        assert!(matches!(list.0, Repr::Inline { len, .. } if usize::from(len) == INLINE));
        list.extend(INLINE as u32 + 1..=7);
        assert!(matches!(list.0, Repr::Heap(_)));
        assert_eq!(list, [1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(list, (1..=7).collect::<FrameList>());
        assert_eq!(serde_json::to_string(&list).unwrap(), "[1,2,3,4,5,6,7]");
        assert_eq!(format!("{:?}", FrameList::from([7])), "[7]");
        assert!(FrameList::default().is_empty());
    }
}
