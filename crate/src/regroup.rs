//! Grouping a list by a key in place, for the lists an analysis keeps: read in capture order,
//! then kept grouped (a TCP stream's segments, its HTTP exchanges side by side), so that a
//! group is a range rather than an index of its own.
//!
//! Promise: [`places`] is a stable counting sort (capture order within each group) and
//! [`permute`] moves the items with a bit of room per item, never a second copy of the list.

use std::ops::Range;

/// Where each item goes when grouped by `keys` (each below `groups`), and where each group
/// starts (`groups + 1` starts: the last is the end). The places take the keys' room. A key
/// of `groups` or more is taken as the last group's.
pub fn places(mut keys: Vec<u32>, groups: usize) -> (Vec<u32>, Vec<u32>) {
    // Room reserved ahead goes back (in place).
    keys.shrink_to_fit();
    let last = groups.saturating_sub(1) as u32;
    let mut starts = vec![0u32; groups + 1];
    for &key in &keys {
        if let Some(count) = starts.get_mut(key.min(last) as usize + 1) {
            *count += 1;
        }
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut next = starts.clone();
    for place in keys.iter_mut() {
        if let Some(slot) = next.get_mut((*place).min(last) as usize) {
            *place = *slot;
            *slot += 1;
        }
    }
    (keys, starts)
}

/// Where group `group`'s items are, given where each group starts (one more start than
/// groups: the end of the last).
pub fn range(starts: &[u32], group: u32) -> Range<usize> {
    let g = group as usize;
    match (starts.get(g), starts.get(g + 1)) {
        (Some(&start), Some(&end)) => start as usize..end as usize,
        _ => 0..0,
    }
}

/// Moves `items[i]` to `items[to[i]]` for every `i`, in place (`to` is a permutation), with
/// a bit per item to mark those in their place.
pub fn permute<T: Copy>(items: &mut [T], to: &[u32]) {
    let mut placed = vec![0u64; items.len().div_ceil(64)];
    let mut mark = |i: usize| {
        let (word, bit) = (i / 64, 1u64 << (i % 64));
        let was = placed.get(i / 64).is_some_and(|w| w & bit != 0);
        if let Some(w) = placed.get_mut(word) {
            *w |= bit;
        }
        was
    };
    for start in 0..items.len().min(to.len()) {
        if mark(start) {
            continue;
        }
        // Carry the item at `start` along its cycle until the cycle comes back to `start`.
        let mut carried = items[start];
        let mut at = to[start] as usize;
        while at != start && at < items.len() {
            std::mem::swap(&mut carried, &mut items[at]);
            mark(at);
            at = to[at] as usize;
        }
        items[start] = carried;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permute_moves_every_item_to_its_place() {
        for n in [0usize, 1, 2, 7, 64, 65, 1000] {
            // A permutation with cycles of many lengths: i -> (i * 7 + 3) mod n when that is
            // one, else the reverse.
            let to: Vec<u32> = if n % 7 == 0 {
                (0..n as u32).rev().collect()
            } else {
                (0..n).map(|i| ((i * 7 + 3) % n) as u32).collect()
            };
            let mut items: Vec<usize> = (0..n).collect();
            permute(&mut items, &to);
            for (i, &item) in items.iter().enumerate() {
                assert_eq!(to[item] as usize, i, "n={n}");
            }
        }
    }

    #[test]
    fn places_group_stably_by_key() {
        let keys = vec![2, 0, 1, 0, 2, 2, 7];
        let (to, starts) = places(keys.clone(), 3);
        // Group 0: items 1, 3; group 1: item 2; group 2: items 0, 4, 5 and 6 (key 7 is out
        // of range: taken as the last group's).
        assert_eq!(starts, vec![0, 2, 3, 7]);
        assert_eq!(to, vec![3, 0, 2, 1, 4, 5, 6]);
        let mut items: Vec<usize> = (0..keys.len()).collect();
        permute(&mut items, &to);
        assert_eq!(items, vec![1, 3, 2, 0, 4, 5, 6]);
        assert_eq!(range(&starts, 2), 3..7);
        assert_eq!(range(&starts, 3), 0..0);
        assert_eq!(places(Vec::new(), 0), (Vec::new(), vec![0]));
    }
}
