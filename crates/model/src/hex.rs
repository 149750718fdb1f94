//! Lower-case hex of bytes: how every SHA-256 chiso records is written.

/// Lower-case hex of `bytes` (a digest), two digits a byte.
///
/// ```
/// assert_eq!(chiso_model::hex::lower_hex(&[0x0f, 0xa0]), "0fa0");
/// ```
pub fn lower_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}
