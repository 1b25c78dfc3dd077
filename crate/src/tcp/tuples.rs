//! The current connection of each 4-tuple, while a capture is read.
//!
//! A map from the tuple itself takes 44 bytes a slot (two addresses and ports, and the
//! stream); a capture of a hundred thousand connections spends 6 MB on it. Here a slot is a
//! 64-bit hash of the tuple and the stream, and the connection's own endpoints confirm a
//! match. A tuple whose hash another tuple already has goes to an exact map beside: that
//! never happens by chance, and a capture crafted for it is only read more slowly.
//!
//! The hash does not depend on which endpoint comes first (the sum of each endpoint's), so
//! that a segment's endpoints are looked up as they come, without being put in order: this
//! runs for every TCP segment.

use super::{ConnWork, Endpoint};
use rustc_hash::{FxBuildHasher, FxHashMap as HashMap};
use std::hash::BuildHasher;

/// Both endpoints of a connection, lower first.
pub type Tuple = (Endpoint, Endpoint);

/// `a` and `b` as a tuple, lower first.
pub fn tuple(a: Endpoint, b: Endpoint) -> Tuple {
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

#[derive(Default)]
pub struct Tuples {
    by_hash: HashMap<u64, u32>,
    /// Tuples whose hash belongs to another tuple.
    exact: HashMap<Tuple, u32>,
}

/// The hash of the endpoints `a` and `b`, the same both ways round.
fn hash(a: Endpoint, b: Endpoint) -> u64 {
    FxBuildHasher
        .hash_one(a)
        .wrapping_add(FxBuildHasher.hash_one(b))
}

/// Whether stream `stream` of `conns` is between `a` and `b` (either way round).
fn is_of(conns: &[ConnWork], stream: u32, a: Endpoint, b: Endpoint) -> bool {
    conns
        .get(stream as usize)
        .is_some_and(|c| (c.a == a && c.b == b) || (c.a == b && c.b == a))
}

impl Tuples {
    /// The stream that the endpoints `a` and `b` (either way round) now belong to (`conns`:
    /// the connections by stream).
    pub fn get(&self, a: Endpoint, b: Endpoint, conns: &[ConnWork]) -> Option<u32> {
        if !self.exact.is_empty() {
            if let Some(&stream) = self.exact.get(&tuple(a, b)) {
                return Some(stream);
            }
        }
        let &stream = self.by_hash.get(&hash(a, b))?;
        is_of(conns, stream, a, b).then_some(stream)
    }

    /// The endpoints `a` and `b` now belong to `stream` (whose connection in `conns` has
    /// them).
    pub fn insert(&mut self, a: Endpoint, b: Endpoint, stream: u32, conns: &[ConnWork]) {
        let slot = self.by_hash.entry(hash(a, b)).or_insert(stream);
        if is_of(conns, *slot, a, b) {
            *slot = stream;
        } else {
            self.exact.insert(tuple(a, b), stream);
        }
    }

    pub fn len(&self) -> usize {
        self.by_hash.len() + self.exact.len()
    }

    pub fn reserve(&mut self, more: usize) {
        self.by_hash.reserve(more);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn(stream: u32, a: Endpoint, b: Endpoint) -> ConnWork {
        ConnWork {
            stream,
            a,
            b,
            dirs: Default::default(),
            initial_rtt_ns: 0,
            last_syn_ns: 0,
            last_ns: 0,
            last_frame: 0,
        }
    }

    fn endpoint(port: u16) -> Endpoint {
        Endpoint {
            addr: std::net::Ipv4Addr::LOCALHOST.into(),
            port,
        }
    }

    #[test]
    fn a_tuple_finds_its_latest_stream_and_no_other() {
        let (x, y, z) = (endpoint(1), endpoint(2), endpoint(3));
        let conns = [conn(0, x, y), conn(1, y, x), conn(2, x, z)];
        let mut tuples = Tuples::default();
        tuples.insert(x, y, 0, &conns);
        assert_eq!(tuples.get(y, x, &conns), Some(0));
        tuples.insert(y, x, 1, &conns);
        assert_eq!(tuples.get(x, y, &conns), Some(1));
        assert_eq!(tuples.get(x, z, &conns), None);
        tuples.insert(z, x, 2, &conns);
        assert_eq!(tuples.get(x, z, &conns), Some(2));
        assert_eq!(tuples.len(), 2);
    }

    #[test]
    fn tuples_with_one_hash_are_kept_apart() {
        let (x, y, z) = (endpoint(1), endpoint(2), endpoint(3));
        let conns = [conn(0, x, y), conn(1, x, z)];
        let mut tuples = Tuples::default();
        // As if (x, z) hashed like (x, y): its slot holds stream 0, of another tuple.
        tuples.by_hash.insert(hash(x, z), 0);
        tuples.insert(x, y, 0, &conns);
        assert_eq!(tuples.get(x, z, &conns), None);
        tuples.insert(z, x, 1, &conns);
        assert_eq!(tuples.get(x, z, &conns), Some(1));
        assert_eq!(tuples.get(z, x, &conns), Some(1));
        assert_eq!(tuples.get(x, y, &conns), Some(0));
    }

    #[test]
    fn the_hash_is_the_same_both_ways_round() {
        let v6 = Endpoint {
            addr: std::net::Ipv6Addr::LOCALHOST.into(),
            port: 443,
        };
        for (a, b) in [(endpoint(1), endpoint(2)), (endpoint(80), v6), (v6, v6)] {
            assert_eq!(hash(a, b), hash(b, a));
        }
        assert_ne!(
            hash(endpoint(1), endpoint(2)),
            hash(endpoint(1), endpoint(3))
        );
    }
}
