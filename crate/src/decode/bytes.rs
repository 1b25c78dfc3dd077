//! Bounds-checked big-endian reads over a frame. Every reader returns `None` past the end, so
//! the header parsers can never index out of range.

#[inline]
pub(crate) fn u8_at(data: &[u8], offset: usize) -> Option<u8> {
    data.get(offset).copied()
}

#[inline]
pub(crate) fn be16_at(data: &[u8], offset: usize) -> Option<u16> {
    let bytes = data.get(offset..offset.checked_add(2)?)?;
    Some(u16::from_be_bytes([bytes[0], bytes[1]]))
}

#[inline]
pub(crate) fn be32_at(data: &[u8], offset: usize) -> Option<u32> {
    let bytes = data.get(offset..offset.checked_add(4)?)?;
    Some(u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
}

#[inline]
pub(crate) fn le16_at(data: &[u8], offset: usize) -> Option<u16> {
    let bytes = data.get(offset..offset.checked_add(2)?)?;
    Some(u16::from_le_bytes([bytes[0], bytes[1]]))
}

#[inline]
pub(crate) fn le32_at(data: &[u8], offset: usize) -> Option<u32> {
    let bytes = data.get(offset..offset.checked_add(4)?)?;
    Some(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
}

/// `N` bytes starting at `offset`, copied into an array.
#[inline]
pub(crate) fn array_at<const N: usize>(data: &[u8], offset: usize) -> Option<[u8; N]> {
    let bytes = data.get(offset..offset.checked_add(N)?)?;
    <[u8; N]>::try_from(bytes).ok()
}

/// `aa:bb:cc:dd:ee:ff`, as `tshark -n` prints hardware addresses.
pub fn format_mac(mac: &[u8]) -> String {
    let mut out = String::with_capacity(mac.len() * 3);
    for (i, byte) in mac.iter().enumerate() {
        if i > 0 {
            out.push(':');
        }
        push_hex_byte(&mut out, *byte);
    }
    out
}

fn push_hex_byte(out: &mut String, byte: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(char::from(HEX[usize::from(byte >> 4)]));
    out.push(char::from(HEX[usize::from(byte & 0x0f)]));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_stop_at_the_end() {
        let data = [1u8, 2, 3, 4, 5];
        assert_eq!(be16_at(&data, 3), Some(0x0405));
        assert_eq!(be16_at(&data, 4), None);
        assert_eq!(be32_at(&data, 1), Some(0x0203_0405));
        assert_eq!(be32_at(&data, 2), None);
        assert_eq!(be32_at(&data, usize::MAX), None);
        assert_eq!(le32_at(&data, 0), Some(0x0403_0201));
        assert_eq!(array_at::<2>(&data, 4), None);
        assert_eq!(u8_at(&data, 5), None);
    }

    #[test]
    fn macs_print_as_tshark_does() {
        assert_eq!(
            format_mac(&[0, 0x0c, 0x29, 0xc2, 0x89, 0x0b]),
            "00:0c:29:c2:89:0b"
        );
        assert_eq!(format_mac(&[]), "");
    }
}
