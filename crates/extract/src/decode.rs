//! Bytes to clean text: encoding detection, line endings, NFC, and a mojibake check.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, WINDOWS_1258};
use unicode_normalization::UnicodeNormalization;

use crate::DecodeError;

/// How much of the start of the bytes is sniffed for UTF-16 and binary content.
const SNIFF: usize = 8 * 1024;

/// Decodes a source's bytes to NFC text with `\n` line endings, and names the encoding.
///
/// UTF-8 (with or without BOM), UTF-16 LE/BE with a BOM, or without one when the zero bytes
/// make it plain, then Windows-1258 for bytes that are not valid UTF-8. Windows-1258 writes
/// tone marks as combining characters, so the text is normalised to NFC afterwards. Bytes with a
/// NUL in the first 8 KiB that are not UTF-16 are rejected as binary.
///
/// ```
/// let (text, encoding) = chiso_extract::decode("Tăng trưởng\r\n7,35%".as_bytes())?;
/// assert_eq!((text.as_str(), encoding), ("Tăng trưởng\n7,35%", "utf-8"));
/// # Ok::<(), chiso_extract::DecodeError>(())
/// ```
pub fn decode(bytes: &[u8]) -> Result<(String, &'static str), DecodeError> {
    let (raw, encoding) = decode_raw(bytes)?;
    Ok((normalize(&raw), encoding))
}

fn decode_raw(bytes: &[u8]) -> Result<(Cow<'_, str>, &'static str), DecodeError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        let text =
            std::str::from_utf8(rest).map_err(|_| DecodeError::Malformed { encoding: "utf-8" })?;
        return Ok((Cow::Borrowed(text), "utf-8"));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return strict(UTF_16LE, rest, "utf-16le").ok_or(DecodeError::Malformed {
            encoding: "utf-16le",
        });
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return strict(UTF_16BE, rest, "utf-16be").ok_or(DecodeError::Malformed {
            encoding: "utf-16be",
        });
    }
    if let Some((encoding, name)) = sniff_utf16(bytes)
        && let Some(decoded) = strict(encoding, bytes, name).filter(|(t, _)| plausible_text(t))
    {
        return Ok(decoded);
    }
    let head = &bytes[..bytes.len().min(SNIFF)];
    if let Some(offset) = head.iter().position(|&b| b == 0) {
        return Err(DecodeError::Binary { offset });
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok((Cow::Borrowed(text), "utf-8")),
        // Windows-1258 maps every byte, so this never fails; malformed input shows as mojibake.
        Err(_) => Ok((
            WINDOWS_1258.decode_without_bom_handling(bytes).0,
            "windows-1258",
        )),
    }
}

fn strict<'a>(
    encoding: &'static Encoding,
    bytes: &'a [u8],
    name: &'static str,
) -> Option<(Cow<'a, str>, &'static str)> {
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|text| (text, name))
}

/// UTF-16 without a BOM: text with some ASCII (spaces, digits, punctuation) has zero high bytes,
/// all at odd offsets (little-endian) or all at even offsets (big-endian).
fn sniff_utf16(bytes: &[u8]) -> Option<(&'static Encoding, &'static str)> {
    let head = &bytes[..bytes.len().min(SNIFF)];
    if head.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let pairs = head.len() / 2;
    let zeros_even = head.iter().step_by(2).filter(|&&b| b == 0).count();
    let zeros_odd = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    // At least a fifth of the code units are ASCII and the other half of the pairs has no NUL.
    let clear = |many: usize, few: usize| many * 5 >= pairs && few * 50 <= pairs;
    if clear(zeros_odd, zeros_even) {
        Some((UTF_16LE, "utf-16le"))
    } else if clear(zeros_even, zeros_odd) {
        Some((UTF_16BE, "utf-16be"))
    } else {
        None
    }
}

/// Whether UTF-16 guessed without a BOM reads as Vietnamese or Latin text: no control
/// characters but tab and line breaks, and at least nine in ten characters from the Latin,
/// combining-mark, Vietnamese and punctuation blocks. Bytes that merely have zeros in a
/// pattern ("Năm 2023\0") decode to CJK or controls and fail this.
fn plausible_text(text: &str) -> bool {
    let mut total = 0usize;
    let mut latin = 0usize;
    for c in text.chars() {
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r') {
            return false;
        }
        total += 1;
        if matches!(c, '\0'..='\u{24F}' | '\u{300}'..='\u{36F}' | '\u{1E00}'..='\u{1EFF}' | '\u{2000}'..='\u{206F}' | '\u{20AB}' | '\u{20AC}')
        {
            latin += 1;
        }
    }
    latin * 10 >= total * 9
}

/// `\r\n` and lone `\r` to `\n`, then NFC.
fn normalize(text: &str) -> String {
    let unified: Cow<'_, str> = if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(text)
    };
    unified.nfc().collect()
}

/// Characters Windows-1252 (and Latin-1) give for the UTF-8 continuation bytes 0x80..=0x9F.
const CP1252_C1: &str = "€\u{81}‚ƒ„…†‡ˆ‰Š‹Œ\u{8D}Ž\u{8F}\u{90}‘’“”•–—˜™š›œ\u{9D}žŸ";

/// Whether `c` is what Windows-1252 or Latin-1 makes of a UTF-8 continuation byte.
fn is_continuation_char(c: char) -> bool {
    ('\u{80}'..='\u{BF}').contains(&c) || CP1252_C1.contains(c)
}

/// How many places in `text` look like UTF-8 read as Windows-1252/Latin-1: a lead character
/// ("Ã", "Ä", "Å", "Æ" for two-byte letters, "á" + "º"/"»" for the three-byte Vietnamese block)
/// followed by a continuation character ("Æ°" is "ư", "á»‡" is "ệ").
pub fn mojibake_count(text: &str) -> usize {
    let chars: Vec<char> = text.chars().collect();
    let mut count = 0;
    for (i, w) in chars.windows(2).enumerate() {
        let two_byte_lead = matches!(w[0], 'Ã' | 'Ä' | 'Å' | 'Æ');
        let three_byte_lead = w[0] == 'á'
            && matches!(w[1], 'º' | '»')
            && chars.get(i + 2).is_some_and(|&c| is_continuation_char(c));
        if (two_byte_lead && is_continuation_char(w[1])) || three_byte_lead {
            count += 1;
        }
    }
    count
}

/// A warning when the text looks like mojibake: at least three suspicious sequences.
pub fn mojibake_warning(text: &str) -> Option<String> {
    let n = mojibake_count(text);
    (n >= 3).then(|| {
        format!(
            "text looks like mojibake (UTF-8 bytes decoded as Windows-1252/Latin-1): \
             {n} sequences such as \"Æ°\" or \"á»‡\"; re-save the source as UTF-8"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_endings_become_newlines() {
        assert_eq!(normalize("a\r\nb\rc\nd\r"), "a\nb\nc\nd\n");
    }

    #[test]
    fn mojibake_is_counted_and_vietnamese_is_not() {
        let good = "Tăng trưởng kinh tế đạt 7,35%, NGÃ BA Ông Đồn, Ã là chữ cái.";
        assert_eq!(mojibake_count(good), 0);
        let bad: String = good.bytes().map(char::from).collect(); // UTF-8 read as Latin-1
        assert!(mojibake_count(&bad) >= 5, "{bad}");
        assert!(mojibake_warning(&bad).is_some());
        assert!(mojibake_warning(good).is_none());
    }

    #[test]
    fn utf16_sniffing_needs_a_clear_pattern() {
        let le: Vec<u8> = "Năm 2023 tăng 7%"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(sniff_utf16(&le).map(|(_, n)| n), Some("utf-16le"));
        let be: Vec<u8> = "Năm 2023 tăng 7%"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(sniff_utf16(&be).map(|(_, n)| n), Some("utf-16be"));
        assert_eq!(sniff_utf16(b"plain ascii text!"), None);
        assert_eq!(
            sniff_utf16(&[0u8; 64]),
            None,
            "all zeros is binary, not UTF-16"
        );
    }
}
