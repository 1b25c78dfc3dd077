//! What an analysis keeps in memory, by part: the measure behind the benchmark's bytes per
//! frame (wasm memory only ever grows, so its size is an upper bound, not this).
//!
//! Promise: [`Kept`] adds up the heap bytes of the lists a [`crate::analysis::Report`] holds,
//! by their capacity (what is taken, not what is used); the structs themselves and the
//! allocator's own overhead are not counted.

use serde::Serialize;

/// Heap bytes of a list: its capacity times its element's size.
pub fn vec<T>(list: &Vec<T>) -> usize {
    list.capacity() * std::mem::size_of::<T>()
}

/// The parts, each with its bytes.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Kept {
    pub parts: Vec<(&'static str, usize)>,
}

impl Kept {
    pub fn add(&mut self, part: &'static str, bytes: usize) {
        match self.parts.iter_mut().find(|(p, _)| *p == part) {
            Some((_, b)) => *b += bytes,
            None => self.parts.push((part, bytes)),
        }
    }

    pub fn total(&self) -> usize {
        self.parts.iter().map(|(_, b)| b).sum()
    }
}
