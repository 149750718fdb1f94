//! Whole-word, case-insensitive phrase search over Vietnamese text, shared by the linker's word
//! lists. One Aho-Corasick automaton per list set; each phrase carries the tags of every list it
//! is in ("kế hoạch" is both a target word and a plan-share word).

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

/// Lower-cases `text` character by character where that keeps the UTF-8 length (true for
/// ASCII and the Vietnamese letters), so byte offsets into the result are offsets into `text`.
pub fn fold_case(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    out.extend(text.chars().map(lower_same_len));
    out
}

/// Whether [`fold_case`] of `text` is `folded`, without building it.
pub(crate) fn eq_fold_case(text: &str, folded: &str) -> bool {
    text.len() == folded.len() && text.chars().map(lower_same_len).eq(folded.chars())
}

/// `c` lower-cased when that is one character of the same UTF-8 length, else `c`. A table
/// answers for the first 0x2000 code points (every Vietnamese letter), built once from
/// [`char::to_lowercase`].
#[inline]
pub(crate) fn lower_same_len(c: char) -> char {
    const TABLE_LEN: u32 = 0x2000;
    fn compute(c: char) -> char {
        let mut lower = c.to_lowercase();
        match (lower.next(), lower.next()) {
            (Some(l), None) if l.len_utf8() == c.len_utf8() => l,
            _ => c,
        }
    }
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    static TABLE: std::sync::OnceLock<Vec<char>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        (0..TABLE_LEN)
            .map(|cp| char::from_u32(cp).map_or('\0', compute))
            .collect()
    });
    table.get(c as usize).copied().unwrap_or_else(|| compute(c))
}

/// Whether `text[start..end]` is a whole word run: no letter or digit touches it on either side.
pub fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// A phrase found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit<'a, T> {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// The tags of the phrase.
    pub tags: &'a [T],
}

/// A set of tagged phrases.
#[derive(Debug, Clone)]
pub struct Lexicon<T> {
    automaton: AhoCorasick,
    tags: Vec<Vec<T>>,
}

impl<T: Copy + PartialEq> Lexicon<T> {
    /// Builds the lexicon; phrases are folded to lower case, duplicates merge their tags.
    pub fn new(entries: impl IntoIterator<Item = (String, T)>) -> Lexicon<T> {
        let mut phrases: Vec<String> = Vec::new();
        let mut tags: Vec<Vec<T>> = Vec::new();
        for (phrase, tag) in entries {
            let phrase = fold_case(phrase.trim());
            if phrase.is_empty() {
                continue;
            }
            match phrases.iter().position(|p| *p == phrase) {
                Some(i) if !tags[i].contains(&tag) => tags[i].push(tag),
                Some(_) => {}
                None => {
                    phrases.push(phrase);
                    tags.push(vec![tag]);
                }
            }
        }
        let automaton = AhoCorasickBuilder::new()
            .kind(Some(AhoCorasickKind::DFA)) // built once, searched in every document
            .match_kind(MatchKind::LeftmostLongest)
            .build(&phrases)
            .expect("word lists are small literal sets: building cannot exceed automaton limits");
        Lexicon { automaton, tags }
    }

    /// Every whole-word phrase in `folded` (text already passed through [`fold_case`]), leftmost-longest.
    pub fn find<'a>(&'a self, folded: &str) -> Vec<Hit<'a, T>> {
        self.automaton
            .find_iter(folded)
            .filter(|m| is_whole_word(folded, m.start(), m.end()))
            .map(|m| Hit {
                start: m.start(),
                end: m.end(),
                tags: &self.tags[m.pattern().as_usize()],
            })
            .collect()
    }

    /// Whether `folded` contains any phrase carrying `tag`.
    pub fn contains_tag(&self, folded: &str, tag: T) -> bool {
        self.find(folded).iter().any(|h| h.tags.contains(&tag))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_case_keeps_offsets_for_vietnamese() {
        let text = "Tỷ Lệ HỘ NGHÈO Đạt";
        let folded = fold_case(text);
        assert_eq!(folded, "tỷ lệ hộ nghèo đạt");
        assert_eq!(folded.len(), text.len());
        for c in ['İ', 'ẞ', 'Σ', 'Ω', 'Ǆ', '가', '\u{10400}'] {
            let s = c.to_string();
            assert_eq!(fold_case(&s).len(), s.len(), "{c}");
        }
        assert_eq!(fold_case("ẞΣǄ\u{10400}"), "ẞσǆ\u{10428}");
    }

    #[test]
    fn finds_whole_words_only_and_merges_tags() {
        let lex = Lexicon::new([
            ("ước".to_owned(), 1),
            ("ước đạt".to_owned(), 1),
            ("kế hoạch".to_owned(), 2),
            ("kế hoạch".to_owned(), 3),
        ]);
        let text = fold_case("GRDP ước đạt 6,9%, bằng 80% Kế hoạch; cước phí");
        let hits = lex.find(&text);
        assert_eq!(hits.len(), 2, "{hits:?}");
        assert_eq!(&text[hits[0].start..hits[0].end], "ước đạt");
        assert_eq!(hits[1].tags, &[2, 3]);
    }
}
