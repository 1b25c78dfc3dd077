//! Selective acknowledgements as the receiver reports them (RFC 2018) and what their blocks
//! say (RFC 2883).
//!
//! Promise: blocks are compared in sequence space (modulo 2^32), as packet-tcp.c compares them.

use super::seq::{seq_gt, seq_le};

/// The duplicate-SACK block of a SACK option (RFC 2883), where there is one: its first block
/// when it lies below the cumulative acknowledgement `ack`, or inside its second block.
/// Blocks are (left edge, right edge) as sent.
pub fn dsack(blocks: &[(u32, u32)], ack: Option<u32>) -> Option<(u32, u32)> {
    let &(left, right) = blocks.first()?;
    let below_ack = ack.is_some_and(|a| seq_gt(a, left));
    let inside_second = blocks
        .get(1)
        .is_some_and(|&(l2, r2)| seq_le(l2, left) && seq_le(right, r2));
    (below_ack || inside_second).then_some((left, right))
}

#[cfg(test)]
mod tests {
    use super::dsack;

    #[test]
    fn a_duplicate_sack_is_below_the_ack_or_inside_the_second_block() {
        // Below the cumulative ACK (RFC 2883 section 4.1.1).
        assert_eq!(dsack(&[(3000, 3500)], Some(4000)), Some((3000, 3500)));
        // Inside the second block (section 4.1.3).
        assert_eq!(
            dsack(&[(4500, 5000), (4000, 5500)], Some(3000)),
            Some((4500, 5000))
        );
        // An ordinary SACK.
        assert_eq!(dsack(&[(5000, 5500)], Some(4000)), None);
        assert_eq!(dsack(&[(5000, 6000), (7000, 8000)], None), None);
        assert_eq!(dsack(&[], Some(1)), None);
        // Across the wrap of sequence space.
        assert_eq!(
            dsack(&[(u32::MAX - 100, 50)], Some(200)),
            Some((u32::MAX - 100, 50))
        );
    }
}
