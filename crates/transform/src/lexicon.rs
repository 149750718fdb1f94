//! Whole-word, case-insensitive phrase search over Vietnamese text, shared by the linker's word
//! lists. One Aho-Corasick automaton per list set; each phrase carries the tags of every list it
//! is in ("kế hoạch" is both a target word and a plan-share word).

use aho_corasick::automaton::Automaton;
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, Match, MatchKind};

/// An Aho-Corasick DFA for searching documents, built without a prefilter (the searches below
/// walk every byte) for [`leftmost_matches`] or [`overlapping_matches`].
pub(crate) fn build_dfa<P: AsRef<[u8]>>(
    patterns: &[P],
    kind: MatchKind,
) -> Result<DFA, aho_corasick::BuildError> {
    DFA::builder()
        .match_kind(kind)
        .prefilter(false)
        .build(patterns)
}

/// Two keyword sets searched in one walk of a text: one standard DFA over the first set's
/// patterns and then the second's. The overlapping matches of both sets, as each set's own
/// DFA would give them (every occurrence of every pattern), with pattern ids within their set.
#[derive(Debug, Clone)]
pub(crate) struct JointSearch {
    dfa: DFA,
    /// Patterns of the first set.
    first: usize,
}

impl JointSearch {
    pub fn new<P: AsRef<[u8]>>(
        first: &[P],
        second: &[P],
    ) -> Result<JointSearch, aho_corasick::BuildError> {
        let patterns: Vec<&[u8]> = first.iter().chain(second).map(AsRef::as_ref).collect();
        Ok(JointSearch {
            dfa: build_dfa(&patterns, MatchKind::Standard)?,
            first: first.len(),
        })
    }

    /// The matches in `haystack` of each set, as `(start, end, pattern in its set)`, in the
    /// order the walk finds them.
    pub fn find(&self, haystack: &[u8]) -> (Vec<Found>, Vec<Found>) {
        let (mut first, mut second) = (Vec::new(), Vec::new());
        for m in overlapping_matches(&self.dfa, haystack) {
            let p = m.pattern().as_usize();
            match p.checked_sub(self.first) {
                None => first.push((m.start(), m.end(), p)),
                Some(q) => second.push((m.start(), m.end(), q)),
            }
        }
        (first, second)
    }
}

/// A match of a pattern: its start and end in the haystack and the pattern's index.
pub(crate) type Found = (usize, usize, usize);

/// [`overlapping_matches`] as [`Found`]s.
pub(crate) fn overlapping_found<'a>(
    dfa: &'a DFA,
    haystack: &'a [u8],
) -> impl Iterator<Item = Found> + 'a {
    overlapping_matches(dfa, haystack).map(|m| (m.start(), m.end(), m.pattern().as_usize()))
}

/// The start state of an unanchored search.
fn unanchored_start(dfa: &DFA) -> aho_corasick::automaton::StateID {
    dfa.start_state(Anchored::No)
        .expect("the DFAs of `build_dfa` are built for unanchored searches")
}

/// The `index`-th match of match state `sid`, ending at `end`.
fn match_at(dfa: &DFA, sid: aho_corasick::automaton::StateID, index: usize, end: usize) -> Match {
    let pattern = dfa.match_pattern(sid, index);
    Match::new(pattern, end - dfa.pattern_len(pattern)..end)
}

/// The non-overlapping matches of a leftmost DFA in `haystack` from byte `from` on, as
/// `AhoCorasick::find_iter` gives them on `Input::new(haystack).range(from..)`; the walk is
/// written here so it is compiled with this crate's optimisations (the dependencies are built
/// at a lower level). Patterns must be non-empty.
pub(crate) fn leftmost_matches<'a, 'h>(
    dfa: &'a DFA,
    haystack: &'h [u8],
    from: usize,
) -> impl Iterator<Item = Match> + use<'a, 'h> {
    let start = unanchored_start(dfa);
    let mut at = from;
    std::iter::from_fn(move || {
        let mut sid = start;
        let mut found = None;
        let mut i = at;
        while i < haystack.len() {
            sid = dfa.next_state(Anchored::No, sid, haystack[i]);
            i += 1;
            if dfa.is_special(sid) {
                if dfa.is_dead(sid) {
                    break;
                }
                if dfa.is_match(sid) {
                    found = Some(match_at(dfa, sid, 0, i));
                }
            }
        }
        let m: Match = found?;
        at = m.end().max(at + 1);
        Some(m)
    })
}

/// Every match of a standard DFA in `haystack`, overlapping, in the order of
/// `AhoCorasick::find_overlapping_iter` (by end, then by the state's match order). Patterns
/// must be non-empty.
pub(crate) fn overlapping_matches<'a>(
    dfa: &'a DFA,
    haystack: &'a [u8],
) -> impl Iterator<Item = Match> + 'a {
    let mut sid = unanchored_start(dfa);
    let mut at = 0;
    let (mut next, mut len) = (0, 0);
    std::iter::from_fn(move || {
        loop {
            if next < len {
                next += 1;
                return Some(match_at(dfa, sid, next - 1, at));
            }
            // Walk the bytes to the next special (match or dead) state in a tight loop.
            loop {
                sid = dfa.next_state(Anchored::No, sid, *haystack.get(at)?);
                at += 1;
                if dfa.is_special(sid) {
                    break;
                }
            }
            if dfa.is_dead(sid) {
                at = haystack.len();
                len = 0;
            } else if dfa.is_match(sid) {
                (next, len) = (0, dfa.match_len(sid));
            }
        }
    })
}

/// Lower-cases `text` character by character where that keeps the UTF-8 length (true for
/// ASCII and the Vietnamese letters), so byte offsets into the result are offsets into `text`.
pub fn fold_case(text: &str) -> String {
    // ASCII in one vectorised pass; then only the non-ASCII characters that change (upper-case
    // letters, rare in running text) are rewritten in place, at the same length.
    let mut out = text.to_ascii_lowercase();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] < 0x80 {
            i += 1;
            continue;
        }
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        lower_in_place(&mut out, i, c);
        i += c.len_utf8();
    }
    out
}

/// Rewrites the non-ASCII character `c` at byte `at` of `out` (a copy of the text with its ASCII
/// lower-cased) as [`fold_case`] does: lower-cased when that keeps its length. Inlined: it is
/// called for every non-ASCII character of a document, and most of them (lower-case letters)
/// are left as they are after one table lookup.
#[inline]
pub(crate) fn lower_in_place(out: &mut String, at: usize, c: char) {
    let lower = lower_same_len(c);
    if lower != c {
        out.replace_range(at..at + c.len_utf8(), lower.encode_utf8(&mut [0; 4]));
    }
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

/// [`char::is_alphabetic`], answered without a table search for ASCII and the Latin letter
/// blocks Vietnamese is written in (Latin-1 letters, Latin Extended-A/B, Latin Extended
/// Additional: every code point of these ranges is a letter).
#[inline]
pub(crate) fn is_alphabetic(c: char) -> bool {
    match c as u32 {
        0x41..=0x5A | 0x61..=0x7A => true,
        0..=0x7F => false,
        0xC0..=0xD6 | 0xD8..=0xF6 | 0xF8..=0x24F | 0x1E00..=0x1EFF => true,
        _ => c.is_alphabetic(),
    }
}

/// [`char::is_alphanumeric`] with the fast paths of [`is_alphabetic`].
#[inline]
pub(crate) fn is_alphanumeric(c: char) -> bool {
    c.is_ascii_digit() || is_alphabetic(c) || (!c.is_ascii() && c.is_numeric())
}

/// Whether `text[start..end]` is a whole word run: no letter or digit touches it on either side.
pub fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(is_alphanumeric) && !after.is_some_and(is_alphanumeric)
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
    /// Searched through [`Automaton`] so the search loop is compiled with this crate (the
    /// release profile optimises dependencies less).
    automaton: DFA,
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
        let automaton = build_dfa(&phrases, MatchKind::LeftmostLongest)
            .expect("word lists are small literal sets: building cannot exceed automaton limits");
        Lexicon { automaton, tags }
    }

    /// Every whole-word phrase in `folded` (text already passed through [`fold_case`]), leftmost-longest.
    pub fn find<'a>(&'a self, folded: &str) -> Vec<Hit<'a, T>> {
        self.hits(folded).collect()
    }

    /// [`Lexicon::find`] as an iterator, for callers that stop at the first hit they want.
    pub fn hits<'a, 'h>(
        &'a self,
        folded: &'h str,
    ) -> impl Iterator<Item = Hit<'a, T>> + use<'a, 'h, T> {
        self.hits_from(folded, 0)
    }

    /// [`Lexicon::hits`] of the search started at byte `from` of `folded` (a character
    /// boundary), with the whole-word test made against all of `folded`. These are the hits of
    /// [`Lexicon::find`] that start at or after `from` when no phrase occurrence crosses `from`
    /// (starts before it and ends after it).
    pub(crate) fn hits_from<'a, 'h>(
        &'a self,
        folded: &'h str,
        from: usize,
    ) -> impl Iterator<Item = Hit<'a, T>> + use<'a, 'h, T> {
        let mut at = from;
        std::iter::from_fn(move || {
            loop {
                let m = leftmost_matches(&self.automaton, folded.as_bytes(), at).next()?;
                if is_whole_word(folded, m.start(), m.end()) {
                    at = m.end();
                    return Some(Hit {
                        start: m.start(),
                        end: m.end(),
                        tags: &self.tags[m.pattern().as_usize()],
                    });
                }
                // A phrase that starts inside a word ("hiệp ước" in "công nghiệp ước tăng")
                // must not hide a whole word within it ("ước"): search again from the next
                // character.
                at = m.start() + folded[m.start()..].chars().next().map_or(1, char::len_utf8);
            }
        })
    }

    /// Whether `folded` contains any phrase carrying `tag`.
    pub fn contains_tag(&self, folded: &str, tag: T) -> bool {
        self.hits(folded).any(|h| h.tags.contains(&tag))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phrase_inside_a_word_hides_no_whole_word() {
        let lex = Lexicon::new(
            [
                ("hiệp ước", 1),
                ("ước", 2),
                ("hương ước", 3),
                ("ước tính", 4),
            ]
            .map(|(p, t)| (p.to_string(), t)),
        );
        let found = |text: &str| -> Vec<(String, i32)> {
            lex.find(text)
                .iter()
                .map(|h| (text[h.start..h.end].to_string(), h.tags[0]))
                .collect()
        };
        let expect = |pairs: &[(&str, i32)]| -> Vec<(String, i32)> {
            pairs.iter().map(|&(p, t)| (p.to_string(), t)).collect()
        };
        assert_eq!(found("công nghiệp ước tăng"), expect(&[("ước", 2)]));
        assert_eq!(found("các địa phương ước tính"), expect(&[("ước tính", 4)]));
        assert_eq!(
            found("hiệp ước và hương ước"),
            expect(&[("hiệp ước", 1), ("hương ước", 3)])
        );
        assert_eq!(found("được tính"), expect(&[]));
    }

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

    proptest::proptest! {
        #[test]
        fn fold_case_is_lower_same_len_of_each_char(text in "[a-zA-Z0-9 ,.%À-ỹ\u{300}-\u{36f}\u{a0}İẞΣǄ가-각\u{10400}\u{1F600}-]{0,40}") {
            let plain: String = text.chars().map(lower_same_len).collect();
            proptest::prop_assert_eq!(fold_case(&text), plain);
        }
    }

    proptest::proptest! {
        /// The catalogue compares a cue with the document's `fold_case` text where it compared
        /// with `eq_fold_case`: the two must agree.
        #[test]
        fn eq_fold_case_is_comparing_fold_case(text in "[a-zA-Z ,À-ỹĐđ\u{300}İẞΣ]{0,12}", other in "[a-z ,à-ỹđ\u{300}]{0,12}") {
            proptest::prop_assert!(eq_fold_case(&text, &fold_case(&text)));
            proptest::prop_assert_eq!(eq_fold_case(&text, &other), fold_case(&text) == other);
        }
    }

    #[test]
    fn letter_classes_match_the_standard_library() {
        for c in (0..0x3000)
            .chain(0x1_0000..0x1_0500)
            .filter_map(char::from_u32)
        {
            assert_eq!(is_alphabetic(c), c.is_alphabetic(), "{c:?}");
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn dfa_walks_match_aho_corasick(text in "[abc ]{0,60}") {
            let patterns = ["a", "ab", "abc", "b", "bc", "bca", "ca", "cab", "c a", "aaa", "ba"];
            let spans = |it: &mut dyn Iterator<Item = Match>| {
                it.map(|m| (m.pattern().as_usize(), m.start(), m.end())).collect::<Vec<_>>()
            };
            for kind in [MatchKind::LeftmostLongest, MatchKind::LeftmostFirst] {
                let ac = aho_corasick::AhoCorasick::builder().match_kind(kind).build(patterns).unwrap();
                let dfa = build_dfa(&patterns, kind).unwrap();
                proptest::prop_assert_eq!(
                    spans(&mut leftmost_matches(&dfa, text.as_bytes(), 0)),
                    spans(&mut ac.find_iter(&text))
                );
                let from = text.len() / 2;
                let input = aho_corasick::Input::new(&text).range(from..);
                proptest::prop_assert_eq!(
                    spans(&mut leftmost_matches(&dfa, text.as_bytes(), from)),
                    spans(&mut ac.find_iter(input))
                );
            }
            let ac = aho_corasick::AhoCorasick::new(patterns).unwrap();
            let dfa = build_dfa(&patterns, MatchKind::Standard).unwrap();
            proptest::prop_assert_eq!(
                spans(&mut overlapping_matches(&dfa, text.as_bytes())),
                spans(&mut ac.find_overlapping_iter(&text))
            );
        }
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
