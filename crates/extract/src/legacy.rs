//! Text in the legacy Vietnamese font encodings of the 1990s and 2000s, which government files
//! still carry: VNI-Windows ("Vieät Nam": a letter, then a byte for its marks) and TCVN3/ABC
//! ("ViÖt Nam": one byte per accented lower-case letter). Neither has a charset label; both are
//! bytes that are not UTF-8 and that Windows-1258 decodes into nonsense. They are detected from
//! byte patterns and reported per source; they are not converted.

/// A legacy encoding found in a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegacyEncoding {
    /// VNI-Windows.
    Vni,
    /// TCVN3 (TCVN 5712:1993, "ABC").
    Tcvn3,
}

impl LegacyEncoding {
    /// The name used in warnings.
    pub fn name(self) -> &'static str {
        match self {
            LegacyEncoding::Vni => "VNI-Windows",
            LegacyEncoding::Tcvn3 => "TCVN3 (ABC)",
        }
    }
}

fn is_vowel(b: u8) -> bool {
    b"aeiouyAEIOUY".contains(&b)
}

/// VNI mark bytes after a vowel that Vietnamese in Windows-1258 never has there: ø ù û õ ï
/// (tones), ä ë ö (circumflex + dot, ơ/ư marks), å ã (circumflex + hook/tilde).
fn vni_mark(b: u8) -> bool {
    matches!(
        b,
        0xF8 | 0xF9 | 0xFB | 0xF5 | 0xEF | 0xE4 | 0xEB | 0xF6 | 0xE5 | 0xE3
    )
}

/// How many places look like VNI: a vowel and a VNI mark byte, or ñ/Ñ (đ/Đ) before a vowel.
fn vni_score(bytes: &[u8]) -> usize {
    bytes
        .windows(2)
        .filter(|w| {
            (is_vowel(w[0]) && vni_mark(w[1])) || (matches!(w[0], 0xF1 | 0xD1) && is_vowel(w[1]))
        })
        .count()
}

/// How many places look like TCVN3: a byte of 0xA1..=0xBF (where TCVN3 has ă â ê ô ơ ư đ and
/// the toned a's, and Windows-1258 only symbols) next to an ASCII letter.
fn tcvn3_score(bytes: &[u8]) -> usize {
    bytes
        .windows(2)
        .filter(|w| {
            let legacy = |b: u8| (0xA1..=0xBF).contains(&b);
            (w[0].is_ascii_alphabetic() && legacy(w[1]))
                || (legacy(w[0]) && w[1].is_ascii_alphabetic())
        })
        .count()
}

/// The legacy encoding bytes that are not UTF-8 look like, if any: at least three telling
/// places and at least a fifth of the non-ASCII bytes in them.
///
/// ```
/// use chiso_extract::{LegacyEncoding, detect_legacy};
/// // "Việt Nam" as VNI-Windows and TCVN3 bytes.
/// assert_eq!(detect_legacy(b"Vie\xE4t Nam, Vie\xE4t Nam, Vie\xE4t Nam"), Some(LegacyEncoding::Vni));
/// assert_eq!(detect_legacy(b"Vi\xD6t Nam c\xF1a t\xADnh Y\xAAn B\xB8i \xAE\xB9t"), Some(LegacyEncoding::Tcvn3));
/// assert_eq!(detect_legacy("Việt Nam".as_bytes()), None);
/// ```
pub fn detect_legacy(bytes: &[u8]) -> Option<LegacyEncoding> {
    let high = bytes.iter().filter(|b| !b.is_ascii()).count();
    let (vni, tcvn3) = (vni_score(bytes), tcvn3_score(bytes));
    let telling = |score: usize| score >= 3 && score * 5 >= high;
    if telling(vni) && vni >= tcvn3 {
        Some(LegacyEncoding::Vni)
    } else if telling(tcvn3) {
        Some(LegacyEncoding::Tcvn3)
    } else {
        None
    }
}
