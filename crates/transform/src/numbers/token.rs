//! The tokenizer: words, digit runs and single punctuation marks, with byte and code-point
//! offsets computed in one pass.
//!
//! Whitespace is not a token; each token records whether whitespace (or a line break) came
//! before it, which is how the grammar tells "68.000" (glued) from "68 . 000". Each word is
//! looked up in the [`Lexicon`](super::lexicon::Lexicon) once, lower-cased.

use super::lexicon::{Lexicon, NONE, WordId};
use crate::lexicon::lower_same_len;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokKind {
    /// Letters (with their combining marks).
    Word,
    /// ASCII digits.
    Num,
    /// One other character.
    Punct,
}

/// Whitespace came before the token.
pub(crate) const SPACE: u8 = 1;
/// A line break came before the token (or it starts the text).
pub(crate) const LINE: u8 = 2;
/// The word starts with an upper-case letter.
pub(crate) const UPPER: u8 = 4;
/// Every letter of the word is upper-case.
pub(crate) const CAPS: u8 = 8;

/// One token.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tok {
    pub kind: TokKind,
    /// Byte offsets.
    pub b0: u32,
    pub b1: u32,
    /// Code-point offsets.
    pub c0: u32,
    pub c1: u32,
    /// Lexicon id of the lower-cased text, or `NONE`.
    pub word: WordId,
    /// `SPACE`, `LINE`, `UPPER`, `CAPS`.
    pub flags: u8,
    /// The character of a `Punct` token (else `'\0'`).
    pub ch: char,
}

impl Tok {
    /// Whether whitespace came before the token.
    pub(crate) fn spaced(&self) -> bool {
        self.flags & SPACE != 0
    }

    /// Whether the token touches the one before it.
    pub(crate) fn glued(&self) -> bool {
        self.flags & SPACE == 0
    }

    /// Whether the token starts a line.
    pub(crate) fn line_start(&self) -> bool {
        self.flags & LINE != 0
    }

    /// Whether the token is this punctuation mark.
    pub(crate) fn is(&self, ch: char) -> bool {
        self.kind == TokKind::Punct && self.ch == ch
    }

    /// Whether the token is a dash (hyphen-minus, en dash, em dash, minus sign).
    pub(crate) fn is_dash(&self) -> bool {
        self.kind == TokKind::Punct && matches!(self.ch, '-' | '–' | '—' | '−')
    }

    /// Number of digits of a `Num` token.
    pub(crate) fn len(&self) -> usize {
        (self.b1 - self.b0) as usize
    }
}

fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x300..=0x36F)
}

/// Whether `c` is a letter, with a fast path for the Latin blocks Vietnamese uses.
fn is_letter(c: char) -> bool {
    match c as u32 {
        0x41..=0x5A | 0x61..=0x7A => true,
        0..=0x7F => false,
        0xD7 | 0xF7 => false,
        0xC0..=0x24F | 0x1E00..=0x1EFF => true,
        _ => c.is_alphabetic(),
    }
}

/// The lower-case form of one letter and whether it was upper-case.
#[inline]
fn lower_letter(c: char) -> (char, bool) {
    let (l, up, _) = letter_case(c);
    (l, up)
}

/// [`lower_letter`] of `c`, and whether that lower-case form is also [`lower_same_len`]'s (the
/// one the document's folded text holds): ASCII directly, the first 0x2000 code points (every
/// Vietnamese letter) from a table built once with [`lower_letter_plain`].
#[inline]
fn letter_case(c: char) -> (char, bool, bool) {
    const TABLE_LEN: usize = 0x2000;
    if c.is_ascii() {
        return (c.to_ascii_lowercase(), c.is_ascii_uppercase(), true);
    }
    static TABLE: std::sync::OnceLock<Vec<(char, bool, bool)>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        (0..TABLE_LEN as u32)
            .map(|cp| char::from_u32(cp).map_or(('\0', false, true), letter_case_plain))
            .collect()
    });
    match table.get(c as usize) {
        Some(&found) => found,
        None => letter_case_plain(c),
    }
}

/// [`letter_case`] computed.
fn letter_case_plain(c: char) -> (char, bool, bool) {
    let (l, up) = lower_letter_plain(c);
    (l, up, l == lower_same_len(c))
}

/// [`lower_letter`] computed, with a fast path for the Vietnamese letters (Latin-1, Latin
/// Extended-A/B, Latin Extended Additional).
fn lower_letter_plain(c: char) -> (char, bool) {
    let u = c as u32;
    let simple = match u {
        0x41..=0x5A => Some(u + 0x20),
        0x61..=0x7A | 0xDF..=0xFF => Some(u),
        0xC0..=0xDE if u != 0xD7 => Some(u + 0x20),
        0x100..=0x137 | 0x14A..=0x177 | 0x1E00..=0x1E95 | 0x1EA0..=0x1EFF => Some(u | 1),
        0x1A0 | 0x1A1 => Some(0x1A1),
        0x1AF | 0x1B0 => Some(0x1B0),
        _ => None,
    };
    match simple.and_then(char::from_u32) {
        Some(l) => (l, l != c),
        None => {
            let l = c.to_lowercase().next().unwrap_or(c);
            (l, c.is_uppercase())
        }
    }
}

/// Splits text into tokens, appending to `out`.
#[cfg(test)]
pub(crate) fn tokenize(text: &str, lex: &Lexicon, out: &mut Vec<Tok>) {
    tokenize_folded(text, &crate::lexicon::fold_case(text), lex, out);
}

/// [`tokenize`] given `folded`, the text through [`fold_case`](crate::lexicon::fold_case): the
/// linker folds each document anyway, and a word whose letters all lower-case there as the
/// lexicon wants (every Vietnamese word) is looked up as its stretch of `folded`, so the word
/// loop only finds its extent and case.
pub(crate) fn tokenize_folded(text: &str, folded: &str, lex: &Lexicon, out: &mut Vec<Tok>) {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let max_word = lex.max_word_len();
    let mut i = 0usize;
    let mut ci = 0u32;
    let mut flags = SPACE | LINE;
    while i < n {
        let b = bytes[i];
        if b.is_ascii_digit() {
            let (s, cs) = (i, ci);
            while i < n && bytes[i].is_ascii_digit() {
                i += 1;
            }
            ci += (i - s) as u32;
            let word = match &bytes[s..i] {
                [d] => lex.id_of_ascii(*d),
                [tens, ones] => lex.id_of_two_digits(*tens, *ones),
                _ => NONE,
            };
            out.push(Tok {
                kind: TokKind::Num,
                b0: s as u32,
                b1: i as u32,
                c0: cs,
                c1: ci,
                word,
                flags,
                ch: '\0',
            });
            flags = 0;
            continue;
        }
        if b == b' ' || b == b'\t' || b == b'\r' {
            i += 1;
            ci += 1;
            flags |= SPACE;
            continue;
        }
        if b == b'\n' {
            i += 1;
            ci += 1;
            flags |= SPACE | LINE;
            continue;
        }
        // Decode one character (ASCII fast path). `i` is always on a char boundary: we only
        // ever advance by whole characters.
        let c = if b < 0x80 {
            b as char
        } else {
            text[i..].chars().next().unwrap_or('\u{FFFD}')
        };
        if is_letter(c) {
            let (s, cs) = (i, ci);
            // One pass: the word's extent and its case. Every letter upper-case, marks allowed
            // (CAPS of a looked-up word); every character upper-case (CAPS of a word too long
            // to look up); every character lower-cased in `folded` as the lexicon wants.
            let (mut upper_or_mark, mut all_upper, mut folds_alike) = (true, true, true);
            while i < n {
                let b = bytes[i];
                if b < 0x80 {
                    if !b.is_ascii_alphabetic() {
                        break;
                    }
                    let up = b.is_ascii_uppercase();
                    upper_or_mark &= up;
                    all_upper &= up;
                    i += 1;
                } else {
                    let c = text[i..].chars().next().unwrap_or('\u{FFFD}');
                    let mark = is_mark(c);
                    if !(mark || is_letter(c)) {
                        break;
                    }
                    let (_, up, alike) = letter_case(c);
                    upper_or_mark &= up || mark;
                    all_upper &= up;
                    folds_alike &= alike;
                    i += c.len_utf8();
                }
                ci += 1;
            }
            let w_len = i - s;
            let mut f = flags;
            let (first_lower, first_upper) = lower_letter(c);
            if first_upper {
                f |= UPPER;
            }
            let mut word = NONE;
            if w_len <= max_word && lex.may_know(w_len, first_lower) {
                if upper_or_mark {
                    f |= CAPS;
                }
                word = match folded.get(s..i) {
                    Some(lower) if folds_alike => lex.id_of(lower),
                    // A letter `fold_case` leaves as it is ('İ', 'K' the Kelvin sign): the
                    // word lower-cased here.
                    _ => lex.id_of(
                        &text[s..i]
                            .chars()
                            .map(|c| lower_letter(c).0)
                            .collect::<String>(),
                    ),
                };
            } else if w_len <= 8 && all_upper {
                f |= CAPS;
            }
            out.push(Tok {
                kind: TokKind::Word,
                b0: s as u32,
                b1: i as u32,
                c0: cs,
                c1: ci,
                word,
                flags: f,
                ch: '\0',
            });
            flags = 0;
            continue;
        }
        let len = c.len_utf8();
        if c.is_whitespace() {
            i += len;
            ci += 1;
            flags |= SPACE;
            if crate::segment::is_line_break(c) {
                flags |= LINE;
            }
            continue;
        }
        let word = if c.is_ascii_punctuation() {
            lex.id_of_ascii(b)
        } else if matches!(c, '²' | '–' | '—' | '−') {
            let mut buf = [0u8; 4];
            lex.id_of(c.encode_utf8(&mut buf))
        } else {
            NONE
        };
        out.push(Tok {
            kind: TokKind::Punct,
            b0: i as u32,
            b1: (i + len) as u32,
            c0: ci,
            c1: ci + 1,
            word,
            flags,
            ch: c,
        });
        flags = 0;
        i += len;
        ci += 1;
    }
}

/// The token texts of a phrase from a data file (used to intern phrases the way the text is
/// tokenised).
pub(crate) fn split(phrase: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start: Option<(usize, u8)> = None; // (byte start, class)
    for (i, c) in phrase.char_indices() {
        let class = if c.is_ascii_digit() {
            1
        } else if c.is_alphabetic() || is_mark(c) {
            2
        } else if c.is_whitespace() {
            0
        } else {
            3
        };
        match start {
            Some((s, k)) if k == class && class != 3 => {
                let _ = s;
            }
            Some((s, _)) => {
                parts.push(&phrase[s..i]);
                start = (class != 0).then_some((i, class));
            }
            None => start = (class != 0).then_some((i, class)),
        }
    }
    if let Some((s, _)) = start {
        parts.push(&phrase[s..]);
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The previous [`tokenize`] (lower-casing each short word into a buffer as it reads it),
    /// kept as the oracle of [`tokenize_folded`].
    fn tokenize_lowering(text: &str, lex: &Lexicon, out: &mut Vec<Tok>) {
        let bytes = text.as_bytes();
        let n = bytes.len();
        let max_word = lex.max_word_len();
        let mut lower = String::with_capacity(32);
        let mut i = 0usize;
        let mut ci = 0u32;
        let mut flags = SPACE | LINE;
        while i < n {
            let b = bytes[i];
            if b.is_ascii_digit() {
                let (s, cs) = (i, ci);
                while i < n && bytes[i].is_ascii_digit() {
                    i += 1;
                }
                ci += (i - s) as u32;
                let word = match &bytes[s..i] {
                    [d] => lex.id_of_ascii(*d),
                    [tens, ones] => lex.id_of_two_digits(*tens, *ones),
                    _ => NONE,
                };
                out.push(Tok {
                    kind: TokKind::Num,
                    b0: s as u32,
                    b1: i as u32,
                    c0: cs,
                    c1: ci,
                    word,
                    flags,
                    ch: '\0',
                });
                flags = 0;
                continue;
            }
            if b == b' ' || b == b'\t' || b == b'\r' {
                i += 1;
                ci += 1;
                flags |= SPACE;
                continue;
            }
            if b == b'\n' {
                i += 1;
                ci += 1;
                flags |= SPACE | LINE;
                continue;
            }
            // Decode one character (ASCII fast path). `i` is always on a char boundary: we only
            // ever advance by whole characters.
            let c = if b < 0x80 {
                b as char
            } else {
                text[i..].chars().next().unwrap_or('\u{FFFD}')
            };
            if is_letter(c) {
                let (s, cs) = (i, ci);
                // One pass: the word's extent, its case, and (while it is short enough to be in
                // the lexicon) its lower-case form, so no character is decoded twice.
                lower.clear();
                // Every letter upper-case, marks allowed (CAPS of a looked-up word); every character
                // upper-case (CAPS of a word too long to look up).
                let (mut upper_or_mark, mut all_upper) = (true, true);
                while i < n {
                    let b = bytes[i];
                    let (l, up, len) = if b < 0x80 {
                        if !b.is_ascii_alphabetic() {
                            break;
                        }
                        (
                            char::from(b.to_ascii_lowercase()),
                            b.is_ascii_uppercase(),
                            1,
                        )
                    } else {
                        let c = text[i..].chars().next().unwrap_or('\u{FFFD}');
                        let mark = is_mark(c);
                        if !(mark || is_letter(c)) {
                            break;
                        }
                        let (l, up) = lower_letter(c);
                        upper_or_mark &= up || mark;
                        (l, up, c.len_utf8())
                    };
                    if b < 0x80 {
                        upper_or_mark &= up;
                    }
                    all_upper &= up;
                    if i - s < max_word {
                        lower.push(l);
                    }
                    i += len;
                    ci += 1;
                }
                let w_len = i - s;
                let mut f = flags;
                let (first_lower, first_upper) = lower_letter(c);
                if first_upper {
                    f |= UPPER;
                }
                let mut word = NONE;
                if w_len <= max_word && lex.may_know(w_len, first_lower) {
                    if upper_or_mark {
                        f |= CAPS;
                    }
                    word = lex.id_of(&lower);
                } else if w_len <= 8 && all_upper {
                    f |= CAPS;
                }
                out.push(Tok {
                    kind: TokKind::Word,
                    b0: s as u32,
                    b1: i as u32,
                    c0: cs,
                    c1: ci,
                    word,
                    flags: f,
                    ch: '\0',
                });
                flags = 0;
                continue;
            }
            let len = c.len_utf8();
            if c.is_whitespace() {
                i += len;
                ci += 1;
                flags |= SPACE;
                if crate::segment::is_line_break(c) {
                    flags |= LINE;
                }
                continue;
            }
            let word = if c.is_ascii_punctuation() {
                lex.id_of_ascii(b)
            } else if matches!(c, '²' | '–' | '—' | '−') {
                let mut buf = [0u8; 4];
                lex.id_of(c.encode_utf8(&mut buf))
            } else {
                NONE
            };
            out.push(Tok {
                kind: TokKind::Punct,
                b0: i as u32,
                b1: (i + len) as u32,
                c0: ci,
                c1: ci + 1,
                word,
                flags,
                ch: c,
            });
            flags = 0;
            i += len;
            ci += 1;
        }
    }

    /// The previous [`tokenize`] (a second pass over each short word to lower-case it), kept as
    /// the oracle of the one-pass version.
    fn tokenize_two_pass(text: &str, lex: &Lexicon, out: &mut Vec<Tok>) {
        let bytes = text.as_bytes();
        let n = bytes.len();
        let max_word = lex.max_word_len();
        let mut lower = String::with_capacity(32);
        let mut i = 0usize;
        let mut ci = 0u32;
        let mut flags = SPACE | LINE;
        while i < n {
            let b = bytes[i];
            if b.is_ascii_digit() {
                let (s, cs) = (i, ci);
                while i < n && bytes[i].is_ascii_digit() {
                    i += 1;
                }
                ci += (i - s) as u32;
                let word = if i - s <= 2 {
                    lex.id_of(&text[s..i])
                } else {
                    NONE
                };
                out.push(Tok {
                    kind: TokKind::Num,
                    b0: s as u32,
                    b1: i as u32,
                    c0: cs,
                    c1: ci,
                    word,
                    flags,
                    ch: '\0',
                });
                flags = 0;
                continue;
            }
            if b == b' ' || b == b'\t' || b == b'\r' {
                i += 1;
                ci += 1;
                flags |= SPACE;
                continue;
            }
            if b == b'\n' {
                i += 1;
                ci += 1;
                flags |= SPACE | LINE;
                continue;
            }
            // Decode one character (ASCII fast path). `i` is always on a char boundary: we only
            // ever advance by whole characters.
            let c = if b < 0x80 {
                b as char
            } else {
                text[i..].chars().next().unwrap_or('\u{FFFD}')
            };
            if is_letter(c) {
                let (s, cs) = (i, ci);
                // First pass: the word's extent.
                while i < n {
                    let b = bytes[i];
                    if b < 0x80 {
                        if !b.is_ascii_alphabetic() {
                            break;
                        }
                        i += 1;
                    } else {
                        let c = text[i..].chars().next().unwrap_or('\u{FFFD}');
                        if !(is_letter(c) || is_mark(c)) {
                            break;
                        }
                        i += c.len_utf8();
                    }
                    ci += 1;
                }
                let w = &text[s..i];
                let mut f = flags;
                let (_, first_upper) = lower_letter(c);
                if first_upper {
                    f |= UPPER;
                }
                let mut word = NONE;
                if w.len() <= max_word && lex.may_know(w.len(), lower_letter(c).0) {
                    // Second pass, short words only: lower-case for the lexicon and case flags.
                    lower.clear();
                    let mut all_upper = true;
                    for c in w.chars() {
                        let (l, up) = lower_letter(c);
                        all_upper &= up || is_mark(c);
                        lower.push(l);
                    }
                    if all_upper {
                        f |= CAPS;
                    }
                    word = lex.id_of(&lower);
                } else if w.len() <= 8 && w.chars().all(|c| lower_letter(c).1) {
                    f |= CAPS;
                }
                out.push(Tok {
                    kind: TokKind::Word,
                    b0: s as u32,
                    b1: i as u32,
                    c0: cs,
                    c1: ci,
                    word,
                    flags: f,
                    ch: '\0',
                });
                flags = 0;
                continue;
            }
            let len = c.len_utf8();
            if c.is_whitespace() {
                i += len;
                ci += 1;
                flags |= SPACE;
                if crate::segment::is_line_break(c) {
                    flags |= LINE;
                }
                continue;
            }
            let word = if c.is_ascii_punctuation() || matches!(c, '²' | '–' | '—' | '−') {
                let mut buf = [0u8; 4];
                lex.id_of(c.encode_utf8(&mut buf))
            } else {
                NONE
            };
            out.push(Tok {
                kind: TokKind::Punct,
                b0: i as u32,
                b1: (i + len) as u32,
                c0: ci,
                c1: ci + 1,
                word,
                flags,
                ch: c,
            });
            flags = 0;
            i += len;
            ci += 1;
        }
    }

    /// A token as a comparable tuple.
    fn fields(t: &Tok) -> (TokKind, u32, u32, u32, u32, WordId, u8, char) {
        (t.kind, t.b0, t.b1, t.c0, t.c1, t.word, t.flags, t.ch)
    }

    proptest::proptest! {
        #[test]
        fn one_pass_tokenize_matches_two_pass(text in "([a-zA-Z0-9 ,.%/():;+²–—−\n\u{a0}À-ỹ\u{300}-\u{36f}ĐđİẞΣ가😀-]|tỷ|TỶ|Tỷ|triệu|TRIỆU|nghìn|năm|NĂM|đồng|phần trăm|USD|usd|ha|tấn|Km|quý|I|II|IV){0,30}") {
            let lex = super::super::lexicon::get();
            let (mut fast, mut old) = (Vec::new(), Vec::new());
            tokenize(&text, lex, &mut fast);
            tokenize_two_pass(&text, lex, &mut old);
            let fast: Vec<_> = fast.iter().map(fields).collect();
            let old: Vec<_> = old.iter().map(fields).collect();
            proptest::prop_assert_eq!(fast, old);
        }
    }

    proptest::proptest! {
        /// Words looked up as their stretch of the folded text get the ids of words lower-cased
        /// as they are read, letters `fold_case` keeps as they are ('İ', the Kelvin sign 'K',
        /// 'ẞ') included.
        #[test]
        fn tokenize_folded_matches_lowering_as_it_reads(text in "([a-zA-Z0-9 ,.%/():;+²–—−\n\u{a0}À-ỹ\u{300}-\u{36f}ĐđİẞΣǄ\u{212a}\u{2126}가😀-]|tỷ|TỶ|Tỷ|triệu|TRIỆU|nghìn|năm|NĂM|đồng|phần trăm|USD|usd|ha|tấn|Km|\u{212a}m|quý|I|II|IV){0,30}") {
            let lex = super::super::lexicon::get();
            let (mut folded, mut lowering) = (Vec::new(), Vec::new());
            tokenize(&text, lex, &mut folded);
            tokenize_lowering(&text, lex, &mut lowering);
            let folded: Vec<_> = folded.iter().map(fields).collect();
            let lowering: Vec<_> = lowering.iter().map(fields).collect();
            proptest::prop_assert_eq!(folded, lowering);
        }
    }

    #[test]
    fn lower_letter_table_matches_the_rules() {
        for c in (0..0x3000).filter_map(char::from_u32) {
            assert_eq!(lower_letter(c), lower_letter_plain(c), "{c:?}");
            assert_eq!(letter_case(c), letter_case_plain(c), "{c:?}");
        }
    }

    /// The Kelvin sign lower-cases to 'k' (one byte shorter), so `fold_case` keeps it: the word
    /// is lower-cased as it is read, and "\u{212a}m" is still the unit "km".
    #[test]
    fn a_letter_fold_case_keeps_is_lowered_for_the_lexicon() {
        let lex = super::super::lexicon::get();
        let (mut toks, mut plain) = (Vec::new(), Vec::new());
        tokenize("\u{212a}m", lex, &mut toks);
        tokenize("km", lex, &mut plain);
        assert_ne!(plain[0].word, NONE);
        assert_eq!(toks[0].word, plain[0].word);
    }

    #[test]
    fn split_phrases_like_text() {
        assert_eq!(split("đồng/người/năm"), ["đồng", "/", "người", "/", "năm"]);
        assert_eq!(split("km2"), ["km", "2"]);
        assert_eq!(split("điểm phần trăm"), ["điểm", "phần", "trăm"]);
        assert_eq!(split("%/năm"), ["%", "/", "năm"]);
    }

    #[test]
    fn offsets_are_bytes_and_code_points() {
        let lex = super::super::lexicon::get();
        let text = "Tăng 9,02% năm\n2022";
        let mut toks = Vec::new();
        tokenize(text, lex, &mut toks);
        let texts: Vec<&str> = toks
            .iter()
            .map(|t| &text[t.b0 as usize..t.b1 as usize])
            .collect();
        assert_eq!(texts, ["Tăng", "9", ",", "02", "%", "năm", "2022"]);
        let chars: Vec<char> = text.chars().collect();
        for t in &toks {
            let by_chars: String = chars[t.c0 as usize..t.c1 as usize].iter().collect();
            assert_eq!(by_chars, &text[t.b0 as usize..t.b1 as usize]);
        }
        assert!(toks[6].line_start());
        assert!(toks[2].glued() && toks[5].spaced());
    }
}
