//! Bytes to clean text: encoding detection, line endings, NFC, and a mojibake check.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, WINDOWS_1258};
use unicode_normalization::UnicodeNormalization;

use crate::DecodeError;

/// How much of the start of the bytes is sniffed for UTF-16 and binary content.
const SNIFF: usize = 8 * 1024;

/// A source's bytes as text ([`decode`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// NFC text with `\n` line endings.
    pub text: String,
    /// How the bytes were read: "utf-8", "utf-16le", "utf-16be" or "windows-1258".
    pub encoding: &'static str,
    /// Bytes that were not UTF-8 in a text that otherwise is, each sequence replaced by
    /// U+FFFD.
    pub replaced: Option<Replaced>,
}

/// Byte sequences that were not UTF-8 in a UTF-8 text, replaced by U+FFFD.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Replaced {
    /// How many sequences were replaced.
    pub count: usize,
    /// The byte offset of the first (in the bytes as read).
    pub first: usize,
}

impl Decoded {
    /// What a person should be told about the decoding: bytes that were replaced.
    pub fn warning(&self) -> Option<String> {
        self.replaced.map(|r| {
            let what = match r.count {
                1 => "1 byte sequence was".to_owned(),
                n => format!("{n} byte sequences were"),
            };
            format!(
                "{what} not UTF-8 in a text that otherwise is (the first at byte {}) and \
                 replaced by U+FFFD: stray bytes from another encoding; re-save the source as \
                 UTF-8 to keep them",
                r.first
            )
        })
    }
}

/// Decodes a source's bytes to NFC text with `\n` line endings, and names the encoding.
///
/// UTF-8 (with or without BOM), UTF-16 LE/BE with a BOM, or without one when the zero bytes
/// make it plain, then Windows-1258 for bytes that are not valid UTF-8. Windows-1258 writes
/// tone marks as combining characters, so the text is normalised to NFC afterwards. Bytes that
/// are UTF-8 but for a few stray sequences (a quote mark pasted from Windows-1252 into a UTF-8
/// file: at least [`UTF8_PER_STRAY`] multi-byte characters for each) are read as UTF-8 with
/// those replaced by U+FFFD, rather than the whole text as mojibake. Bytes with a NUL in the
/// first 8 KiB that are not UTF-16 are rejected as binary.
///
/// ```
/// let decoded = chiso_extract::decode("Tăng trưởng\r\n7,35%".as_bytes())?;
/// assert_eq!((decoded.text.as_str(), decoded.encoding), ("Tăng trưởng\n7,35%", "utf-8"));
/// let stray = chiso_extract::decode(b"T\xC4\x83ng tr\xC6\xB0\xE1\xBB\x9Fng 7,35% \x92 l\xE1\xBA\xA1i")?;
/// assert_eq!(stray.text, "Tăng trưởng 7,35% \u{FFFD} lại");
/// assert_eq!(stray.replaced.map(|r| (r.count, r.first)), Some((1, 22)));
/// # Ok::<(), chiso_extract::DecodeError>(())
/// ```
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    let (raw, encoding, replaced) = decode_raw(bytes)?;
    Ok(Decoded {
        text: normalize(raw),
        encoding,
        replaced,
    })
}

/// Multi-byte UTF-8 characters a text needs for each sequence that is not UTF-8 to be read as
/// UTF-8 with replacements. Windows-1258 Vietnamese (one byte for a letter, one for its tone
/// mark) almost never forms a valid multi-byte sequence, and UTF-8 Vietnamese has one in most
/// words.
pub const UTF8_PER_STRAY: usize = 4;

type Raw<'a> = (Cow<'a, str>, &'static str, Option<Replaced>);

fn decode_raw(bytes: &[u8]) -> Result<Raw<'_>, DecodeError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        // A stray byte in a file saved with a BOM (Notepad's UTF-8) is a stray byte too; the
        // offsets count the BOM.
        return utf8(rest, 3).ok_or(DecodeError::Malformed { encoding: "utf-8" });
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
        && let Some(decoded) = strict(encoding, bytes, name).filter(|(t, _, _)| plausible_text(t))
    {
        return Ok(decoded);
    }
    let head = &bytes[..bytes.len().min(SNIFF)];
    if let Some(offset) = head.iter().position(|&b| b == 0) {
        return Err(DecodeError::Binary { offset });
    }
    if let Some(raw) = utf8(bytes, 0) {
        return Ok(raw);
    }
    // Windows-1258 maps every byte, so this never fails; malformed input shows as mojibake.
    Ok((
        WINDOWS_1258.decode_without_bom_handling(bytes).0,
        "windows-1258",
        None,
    ))
}

/// `bytes` as UTF-8: whole, or with a few stray sequences replaced ([`stray_bytes`], their
/// offsets counted from `offset` bytes before `bytes`); `None` when they are no UTF-8 text.
fn utf8(bytes: &[u8], offset: usize) -> Option<Raw<'_>> {
    // The SIMD check: only whether the bytes are UTF-8 is needed, not where they stop being
    // (on a tree of 100 MB of news, 7 `perf` samples where `std::str::from_utf8` took 123).
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        return Some((Cow::Borrowed(text), "utf-8", None));
    }
    let replaced = stray_bytes(bytes)?;
    let replaced = Replaced {
        first: replaced.first + offset,
        ..replaced
    };
    Some((String::from_utf8_lossy(bytes), "utf-8", Some(replaced)))
}

/// The sequences of `bytes` (not valid UTF-8) that are not UTF-8, when the rest is UTF-8 text
/// with at least [`UTF8_PER_STRAY`] multi-byte characters for each of them; or, when every
/// stray byte is a Windows-1252 punctuation byte (0x80-0x9F: quote marks, dashes, "…"), at
/// least one Vietnamese letter ([`vietnamese_letter`]) for each. Windows-1258 text almost never
/// forms such a letter, and its own letters (0xC0 and up) are not such bytes: a short UTF-8 text
/// with a pasted quote mark ("GDP tăng 7% " and 0x92) is UTF-8, a UTF-8 title over a
/// Windows-1258 body is not.
fn stray_bytes(bytes: &[u8]) -> Option<Replaced> {
    let mut multi_byte = 0usize;
    let mut letters = 0usize;
    let mut punctuation_only = true;
    let mut count = 0usize;
    let mut first = None;
    let mut at = 0usize;
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid();
        let before = multi_byte;
        multi_byte += valid.bytes().filter(|&b| b >= 0xC0).count();
        if multi_byte > before {
            letters += valid.chars().filter(|&c| vietnamese_letter(c)).count();
        }
        at += valid.len();
        if !chunk.invalid().is_empty() {
            punctuation_only &= chunk.invalid().iter().all(|b| (0x80..=0x9F).contains(b));
            count += 1;
            first.get_or_insert(at);
        }
        at += chunk.invalid().len();
    }
    let first = first?;
    (multi_byte >= count.saturating_mul(UTF8_PER_STRAY) || (punctuation_only && letters >= count))
        .then_some(Replaced { count, first })
}

/// A letter of Vietnamese outside ASCII: "à", "ă", "đ", "ơ", "ư", "ạ" … "ỹ", either case.
fn vietnamese_letter(c: char) -> bool {
    matches!(c,
        'À'..='Ã' | 'È'..='Ê' | 'Ì' | 'Í' | 'Ò'..='Õ' | 'Ù' | 'Ú' | 'Ý'
        | 'à'..='ã' | 'è'..='ê' | 'ì' | 'í' | 'ò'..='õ' | 'ù' | 'ú' | 'ý'
        | 'Ă' | 'ă' | 'Đ' | 'đ' | 'Ĩ' | 'ĩ' | 'Ũ' | 'ũ' | 'Ơ' | 'ơ' | 'Ư' | 'ư'
        | '\u{1EA0}'..='\u{1EF9}')
}

fn strict<'a>(encoding: &'static Encoding, bytes: &'a [u8], name: &'static str) -> Option<Raw<'a>> {
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|text| (text, name, None))
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

/// `\r\n` and lone `\r` to `\n`, then NFC: the one normalisation of files and corpus texts.
/// Most news text is NFC with `\n` line endings already, which quick checks confirm without
/// decomposing it (a full normalisation of every text costs about a tenth of a run).
pub(crate) fn normalize(text: Cow<'_, str>) -> String {
    use unicode_normalization::{IsNormalized, is_nfc_quick};
    if plain_text(text.as_bytes()) {
        return text.into_owned();
    }
    let text = if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        text
    };
    if text.chars().all(plainly_nfc) {
        return text.into_owned();
    }
    match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => text.into_owned(),
        IsNormalized::No | IsNormalized::Maybe => text.nfc().collect(),
    }
}

/// Characters that are NFC whatever surrounds them (no decomposition, combining class 0, never
/// the second of a composition): Latin up to U+02FF, Vietnamese precomposed letters (Latin
/// Extended Additional), and the dashes, quotes and ellipsis of General Punctuation. Vietnamese
/// news text is made of these, so checking them is a range test instead of a table lookup.
/// `plain_characters_are_nfc` checks every one against the Unicode tables.
fn plainly_nfc(c: char) -> bool {
    matches!(c, '\0'..='\u{2FF}' | '\u{1E00}'..='\u{1EFF}' | '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205E}')
}

/// Whether `text` (valid UTF-8) has no NUL, no `\r` and only [`plainly_nfc`] characters: what
/// [`normalize`] leaves as it is, answered in one pass over the bytes instead of three (a NUL
/// search, a `\r` search and a decoding of every character). A lead byte and, for three-byte
/// characters, the byte after it tell the ranges apart; `plain_text_is_plainly_nfc` checks every
/// code point.
pub(crate) fn plain_text(text: &[u8]) -> bool {
    let mut i = 0;
    while i < text.len() {
        let b = text[i];
        i += match b {
            b'\0' | b'\r' => return false,
            0x01..=0x7F => 1,
            // U+0080..=U+02FF
            0xC2..=0xCB => 2,
            // U+1E00..=U+1EFF
            0xE1 if matches!(text.get(i + 1), Some(0xB8..=0xBB)) => 3,
            // U+2010..=U+2027, U+2030..=U+205E
            0xE2 => match (text.get(i + 1), text.get(i + 2)) {
                (Some(0x80), Some(0x90..=0xA7 | 0xB0..=0xBF)) | (Some(0x81), Some(0x80..=0x9E)) => {
                    3
                }
                _ => return false,
            },
            _ => return false,
        };
    }
    true
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
    if !has_mojibake_lead(text.as_bytes()) {
        return 0;
    }
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

/// Whether `text` holds a lead of [`mojibake_count`]: "Ã", "Ä", "Å", "Æ" (0xC3 0x83..=0x86) or
/// "á" + "º"/"»" (0xC3 0xA1 0xC2 0xBA/0xBB): every sequence the count finds starts with these
/// bytes. Most Vietnamese text has none (capitals such as "XÃ" do), and this look at its bytes
/// spares decoding every character of it.
fn has_mojibake_lead(bytes: &[u8]) -> bool {
    bytes.windows(2).enumerate().any(|(i, w)| match w {
        [0xC3, 0x83..=0x86] => true,
        [0xC3, 0xA1] => matches!(bytes.get(i + 2..i + 4), Some([0xC2, 0xBA | 0xBB])),
        _ => false,
    })
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
        assert_eq!(normalize("a\r\nb\rc\nd\r".into()), "a\nb\nc\nd\n");
    }

    /// The quick checks leave what full normalisation would: composed, decomposed and mixed
    /// Vietnamese, with and without `\r`, and the characters around the plain ranges' ends.
    #[test]
    fn normalize_gives_what_full_normalisation_gives() {
        let texts = [
            "Tăng trưởng 7,35%",
            "Ta\u{306}ng tru\u{31b}o\u{309}ng 7,35%\r\nhết\r",
            "Tăng trưởng\r\n–“”…",
            "\u{2FF}\u{300}a\u{301}\u{1E00}\u{1EFF}\u{2028}\u{2030}\u{205F}Å\u{212B}",
            "",
        ];
        for text in texts {
            let full: String = text
                .replace("\r\n", "\n")
                .replace('\r', "\n")
                .nfc()
                .collect();
            assert_eq!(normalize(text.into()), full, "{text:?}");
        }
    }

    #[test]
    fn plain_characters_are_nfc() {
        use unicode_normalization::{IsNormalized, is_nfc_quick};
        let plain = (0..=0x2FFFu32)
            .filter_map(char::from_u32)
            .filter(|&c| plainly_nfc(c));
        let mut n = 0;
        for c in plain {
            n += 1;
            // Alone, and after a letter it could compose with.
            for s in [c.to_string(), format!("a{c}"), format!("ơ{c}")] {
                assert_eq!(
                    is_nfc_quick(s.chars()),
                    IsNormalized::Yes,
                    "U+{:04X}",
                    c as u32
                );
            }
        }
        assert!(n > 1000, "{n}");
        assert!(!plainly_nfc('\u{300}') && !plainly_nfc('\u{2000}'));
    }

    #[test]
    fn plain_text_is_plainly_nfc() {
        let mut buf = [0u8; 4];
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let s = c.encode_utf8(&mut buf);
            let expected = plainly_nfc(c) && c != '\0' && c != '\r';
            assert_eq!(plain_text(s.as_bytes()), expected, "U+{:04X}", c as u32);
        }
        assert!(plain_text("Lào Cai – “chỉ số” 12,5%…".as_bytes()));
        assert!(!plain_text("a\r\nb".as_bytes()));
        assert!(!plain_text("Tie\u{301}ng".as_bytes()));
    }

    /// The byte test finds a lead wherever the characters are: every lead, alone and before
    /// a continuation character, at the start, middle and end of a text; and wherever the full
    /// count finds a sequence, in every pair of characters the count knows.
    #[test]
    fn mojibake_leads_are_found_in_the_bytes() {
        let leads = ['Ã', 'Ä', 'Å', 'Æ', 'á'];
        let seconds = CP1252_C1
            .chars()
            .chain('\u{80}'..='\u{BF}')
            .chain(['a', 'º', '»']);
        for lead in leads {
            for second in seconds.clone() {
                for third in ['°', 'a', '‡'] {
                    let text = format!("x{lead}{second}{third}");
                    if mojibake_count(&text) > 0 {
                        assert!(has_mojibake_lead(text.as_bytes()), "{text:?}");
                    }
                }
            }
        }
        for lead in ["Ã", "Ä", "Å", "Æ", "áº", "á»"] {
            for text in [lead.to_owned(), format!("a{lead}°"), format!("Tăng {lead}")] {
                assert!(has_mojibake_lead(text.as_bytes()), "{text:?}");
            }
        }
        for text in ["Tăng trưởng đạt 7,35% áo", "á", "áa»", "Â°", ""] {
            assert!(!has_mojibake_lead(text.as_bytes()), "{text:?}");
        }
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
