//! The word tables of the grammar, loaded once from the data files under
//! `crates/transform/data/numbers/` (embedded at build time).
//!
//! Every word of every table gets a small integer id; the tokenizer looks each word of the text
//! up once (lower-cased), so the grammar compares ids, never strings. Multi-word phrases
//! ("điểm phần trăm", "trở lên") are sequences of ids matched by [`PhraseTable`].

use std::collections::HashMap;
use std::sync::OnceLock;

use chiso_model::{Comparator, Unit};
use serde::Deserialize;

use super::token::{self, Tok};
use chiso_model::fast_hash::FastHash;

const WORDS_TOML: &str = include_str!("../../data/numbers/words.toml");
const UNITS_TOML: &str = include_str!("../../data/numbers/units.toml");
const COMPARATORS_TOML: &str = include_str!("../../data/numbers/comparators.toml");
const KEYWORDS_TOML: &str = include_str!("../../data/numbers/keywords.toml");
const COUNTED_NOUNS_CSV: &str = include_str!("../../data/numbers/counted_nouns.csv");

/// Id of a word known to the grammar. `NONE` for every other word.
pub(crate) type WordId = u16;
/// The id of words the grammar does not know.
pub(crate) const NONE: WordId = u16::MAX;

/// What a number word does inside a spelled-out number (see `words.toml`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum NumberRole {
    /// A free-standing digit: một..chín.
    Digit(u8),
    /// A digit that only exists inside a compound: mốt, lăm, nhăm, tư, không.
    BoundDigit(u8),
    /// mười (10).
    Ten,
    /// mươi (x10).
    Tens,
    /// trăm (x100).
    Hundred,
    /// linh / lẻ.
    ZeroTens,
    /// nghìn, triệu, tỷ...
    Scale(f64),
    /// rưỡi.
    Half,
    /// nhất, nhì (after "thứ" only).
    Ordinal(u8),
}

/// The kind of value a unit phrase makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UnitKind {
    Percent,
    PercentagePoints,
    Money,
    Quantity,
    Multiplier,
    RankChange,
}

/// A unit phrase's meaning.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct UnitInfo {
    pub unit: Unit,
    pub kind: UnitKind,
    pub reading: Option<String>,
}

/// A grammar keyword role (the keys of `keywords.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Keyword {
    YearCue,
    SpanCue,
    Quarter,
    Month,
    Year,
    Day,
    DateCue,
    FirstPart,
    LastPart,
    NamedYear,
    MonthsCumulative,
    MonthsPast,
    MonthsDuration,
    MonthsStated,
    MonthsDurationBefore,
    PairCue,
    RangeFrom,
    RangeTo,
    Rank,
    Multiplier,
    Times,
    Double,
    RankUp,
    RankDown,
    EnumeratorIs,
    OrdinalCue,
    Photo,
    Hour,
    FirstPlace,
    FirstPlaceGroup,
    IdiomNext,
    IdiomPrev,
    Half,
}

impl Keyword {
    fn from_key(key: &str) -> Option<Keyword> {
        use Keyword::*;
        Some(match key {
            "year_cue" => YearCue,
            "span_cue" => SpanCue,
            "quarter" => Quarter,
            "month" => Month,
            "year" => Year,
            "day" => Day,
            "date_cue" => DateCue,
            "first_part" => FirstPart,
            "last_part" => LastPart,
            "named_year" => NamedYear,
            "months_cumulative" => MonthsCumulative,
            "months_past" => MonthsPast,
            "months_duration" => MonthsDuration,
            "months_stated" => MonthsStated,
            "months_duration_before" => MonthsDurationBefore,
            "pair_cue" => PairCue,
            "range_from" => RangeFrom,
            "range_to" => RangeTo,
            "rank" => Rank,
            "multiplier" => Multiplier,
            "times" => Times,
            "double" => Double,
            "rank_up" => RankUp,
            "rank_down" => RankDown,
            "enumerator_is" => EnumeratorIs,
            "first_place" => FirstPlace,
            "first_place_group" => FirstPlaceGroup,
            "ordinal_cue" => OrdinalCue,
            "photo" => Photo,
            "hour" => Hour,
            "idiom_next" => IdiomNext,
            "idiom_prev" => IdiomPrev,
            "half" => Half,
            _ => return None,
        })
    }

    fn bit(self) -> u64 {
        1 << (self as u8)
    }
}

// Keyword roles are bits of a `u32`: the last role must fit.
const _: () = assert!((Keyword::IdiomPrev as u8) < 32);

/// Phrases (sequences of word ids) with a payload, indexed by their first word.
#[derive(Debug)]
pub(crate) struct PhraseTable<T> {
    /// For each first word: the phrases starting with it, longest first.
    by_first: HashMap<WordId, Vec<(Vec<WordId>, T)>, FastHash>,
}

impl<T> PhraseTable<T> {
    fn new() -> Self {
        PhraseTable {
            by_first: HashMap::default(),
        }
    }

    fn insert(&mut self, ids: Vec<WordId>, value: T) {
        let Some(&first) = ids.first() else { return };
        let list = self.by_first.entry(first).or_default();
        list.push((ids, value));
        list.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
    }

    /// The longest phrase starting at token `i`: its length in tokens and payload.
    pub(crate) fn longest_at(&self, toks: &[Tok], i: usize) -> Option<(usize, &T)> {
        self.matches_at(toks, i).next()
    }

    /// Every phrase starting at token `i`, longest first. Tokens of a phrase must be
    /// contiguous; whitespace between them is allowed except before a glued-only token.
    pub(crate) fn matches_at<'a, 't>(
        &'a self,
        toks: &'t [Tok],
        i: usize,
    ) -> impl Iterator<Item = (usize, &'a T)> + use<'a, 't, T> {
        let first = toks.get(i).map_or(NONE, |t| t.word);
        let list = if first == NONE {
            None
        } else {
            self.by_first.get(&first)
        };
        list.into_iter().flatten().filter_map(move |(ids, v)| {
            let end = i + ids.len();
            if end > toks.len() {
                return None;
            }
            let same = ids.iter().zip(&toks[i..end]).all(|(id, t)| *id == t.word);
            same.then_some((ids.len(), v))
        })
    }

    /// The longest phrase that ends right before token `end` (exclusive) and starts after
    /// `floor`: its start index and payload.
    pub(crate) fn longest_ending_at(
        &self,
        toks: &[Tok],
        end: usize,
        floor: usize,
    ) -> Option<(usize, &T)> {
        let mut best: Option<(usize, &T)> = None;
        // Phrases are at most a few words: try each start.
        for len in 1..=4usize {
            if len > end - floor {
                break;
            }
            let start = end - len;
            for (n, v) in self.matches_at(toks, start) {
                if n == len && best.is_none_or(|(s, _)| start < s) {
                    best = Some((start, v));
                }
            }
        }
        best
    }
}

/// Every table of the grammar.
#[derive(Debug)]
pub(crate) struct Lexicon {
    ids: HashMap<Box<str>, WordId, FastHash>,
    /// Longest known word in bytes (longer words are not looked up).
    max_word_len: usize,
    /// For each byte length (up to 63), a bit set of the first letters (mod 64) of known words:
    /// most words of a text are rejected without hashing.
    first_letters: [u64; 64],
    /// The id of each one-byte ASCII word (a digit, a punctuation mark), and of each two-digit
    /// run ("05" at 5, "12" at 12, "00" to "09" apart from "0" to "9"): the tokenizer looks these
    /// up for every digit run and mark, so they are read from tables, not hashed.
    ascii_ids: [WordId; 128],
    two_digit_ids: [WordId; 100],
    /// Number role of each word id, if any.
    number: Vec<Option<NumberRole>>,
    /// Keyword bits of each single-word keyword.
    keyword_bits: Vec<u64>,
    /// Words that can start an expression led by a word (a number word or a leading keyword).
    starter: Vec<bool>,
    /// Keyword phrases (also the single-word ones).
    pub keywords: PhraseTable<Keyword>,
    pub units: PhraseTable<UnitInfo>,
    /// Phrases that start with a unit's words and are no unit ("lần lượt").
    pub not_units: PhraseTable<()>,
    /// Counted nouns with the unit of their count.
    pub nouns: PhraseTable<Unit>,
    pub comparators_before: PhraseTable<Comparator>,
    pub comparators_after: PhraseTable<Comparator>,
    /// The `before` comparator phrases as written (lower case, words one space apart), for the
    /// linker to skip between a movement and its value ("tăng không vượt quá 4%").
    comparator_phrases_before: std::collections::HashSet<String>,
}

/// The lexicon, built on first use.
// The tables are embedded at build time: they either always load or never do, and the unit
// test `embedded_tables_load` proves they do, so this panic cannot happen in a tested build.
#[allow(clippy::panic)]
pub(crate) fn get() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        Lexicon::from_data().unwrap_or_else(|e| {
            panic!(
                "the embedded number tables parse (unit test `embedded_tables_load` proves it): {}",
                e.0
            )
        })
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WordsFile {
    #[allow(dead_code)]
    version: u32,
    words: Vec<WordRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WordRow {
    word: String,
    value: f64,
    role: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitsFile {
    #[allow(dead_code)]
    version: u32,
    units: Vec<UnitRow>,
    not_units: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitRow {
    phrase: String,
    unit: String,
    kind: String,
    reading: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ComparatorsFile {
    #[allow(dead_code)]
    version: u32,
    before: Vec<ComparatorRow>,
    after: Vec<ComparatorRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ComparatorRow {
    phrase: String,
    comparator: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeywordsFile {
    #[allow(dead_code)]
    version: u32,
    keywords: HashMap<String, Vec<String>>,
}

#[derive(Deserialize)]
struct NounRow {
    noun: String,
    unit: String,
}

/// Why an embedded table did not load (a bug in a data file).
#[derive(Debug)]
pub(crate) struct TableError(pub String);

impl Lexicon {
    fn from_data() -> Result<Lexicon, TableError> {
        let err = |file: &str, e: &dyn std::fmt::Display| TableError(format!("{file}: {e}"));
        let words: WordsFile = toml::from_str(WORDS_TOML).map_err(|e| err("words.toml", &e))?;
        let units: UnitsFile = toml::from_str(UNITS_TOML).map_err(|e| err("units.toml", &e))?;
        let comps: ComparatorsFile =
            toml::from_str(COMPARATORS_TOML).map_err(|e| err("comparators.toml", &e))?;
        let kws: KeywordsFile =
            toml::from_str(KEYWORDS_TOML).map_err(|e| err("keywords.toml", &e))?;

        let mut lex = Lexicon {
            ids: HashMap::default(),
            max_word_len: 0,
            first_letters: [0; 64],
            ascii_ids: [NONE; 128],
            two_digit_ids: [NONE; 100],
            number: Vec::new(),
            keyword_bits: Vec::new(),
            starter: Vec::new(),
            keywords: PhraseTable::new(),
            units: PhraseTable::new(),
            not_units: PhraseTable::new(),
            nouns: PhraseTable::new(),
            comparators_before: PhraseTable::new(),
            comparators_after: PhraseTable::new(),
            comparator_phrases_before: comps.before.iter().map(|r| r.phrase.clone()).collect(),
        };

        for row in &words.words {
            let role = match row.role.as_str() {
                "digit" => NumberRole::Digit(row.value as u8),
                "bound_digit" => NumberRole::BoundDigit(row.value as u8),
                "ten" => NumberRole::Ten,
                "tens" => NumberRole::Tens,
                "hundred" => NumberRole::Hundred,
                "zero_tens" => NumberRole::ZeroTens,
                "scale" => NumberRole::Scale(row.value),
                "half" => NumberRole::Half,
                "ordinal" => NumberRole::Ordinal(row.value as u8),
                other => return Err(err("words.toml", &format!("unknown role {other:?}"))),
            };
            let id = lex.intern(&row.word);
            lex.number[id as usize] = Some(role);
        }
        for row in &units.units {
            let unit: Unit = row.unit.parse().map_err(|e| err("units.toml", &e))?;
            let kind = match row.kind.as_str() {
                "percent" => UnitKind::Percent,
                "percentage_points" => UnitKind::PercentagePoints,
                "money" => UnitKind::Money,
                "quantity" => UnitKind::Quantity,
                "multiplier" => UnitKind::Multiplier,
                "rank_change" => UnitKind::RankChange,
                other => return Err(err("units.toml", &format!("unknown kind {other:?}"))),
            };
            let ids = lex.phrase_ids(&row.phrase);
            lex.units.insert(
                ids,
                UnitInfo {
                    unit,
                    kind,
                    reading: row.reading.clone(),
                },
            );
        }
        for phrase in &units.not_units {
            let ids = lex.phrase_ids(phrase);
            lex.not_units.insert(ids, ());
        }
        for (rows, before) in [(&comps.before, true), (&comps.after, false)] {
            for row in rows {
                let c: Comparator = row
                    .comparator
                    .parse()
                    .map_err(|e| err("comparators.toml", &e))?;
                let ids = lex.phrase_ids(&row.phrase);
                if before {
                    lex.comparators_before.insert(ids, c);
                } else {
                    lex.comparators_after.insert(ids, c);
                }
            }
        }
        for (key, phrases) in &kws.keywords {
            let kw = Keyword::from_key(key)
                .ok_or_else(|| err("keywords.toml", &format!("unknown keyword role {key:?}")))?;
            for p in phrases {
                let ids = lex.phrase_ids(p);
                if let [single] = ids[..] {
                    lex.keyword_bits[single as usize] |= kw.bit();
                }
                lex.keywords.insert(ids, kw);
            }
        }
        const LEADING: [Keyword; 9] = [
            Keyword::Half,
            Keyword::FirstPlace,
            Keyword::OrdinalCue,
            Keyword::Photo,
            Keyword::Quarter,
            Keyword::Month,
            Keyword::Day,
            Keyword::Rank,
            Keyword::Multiplier,
        ];
        let mut reader = csv::Reader::from_reader(COUNTED_NOUNS_CSV.as_bytes());
        for row in reader.deserialize::<NounRow>() {
            let row = row.map_err(|e| err("counted_nouns.csv", &e))?;
            let unit: Unit = row.unit.parse().map_err(|e| err("counted_nouns.csv", &e))?;
            let ids = lex.phrase_ids(&row.noun);
            lex.nouns.insert(ids, unit);
        }
        lex.starter = vec![false; lex.ids.len()];
        for (first, phrases) in &lex.keywords.by_first {
            if phrases.iter().any(|(_, k)| LEADING.contains(k)) {
                lex.starter[*first as usize] = true;
            }
        }
        for (id, role) in lex.number.iter().enumerate() {
            if role.is_some() {
                lex.starter[id] = true;
            }
        }
        // Filled last, from the words interned above.
        lex.ascii_ids =
            std::array::from_fn(|b| lex.id_of(char::from(b as u8).encode_utf8(&mut [0; 4])));
        lex.two_digit_ids = std::array::from_fn(|n| lex.id_of(&format!("{n:02}")));
        Ok(lex)
    }

    fn intern(&mut self, word: &str) -> WordId {
        let key = word.to_lowercase();
        if let Some(&id) = self.ids.get(key.as_str()) {
            return id;
        }
        let id = self.ids.len() as WordId;
        self.max_word_len = self.max_word_len.max(key.len());
        if let Some(first) = key.chars().next() {
            self.first_letters[key.len().min(63)] |= 1 << (first as u32 % 64);
        }
        self.ids.insert(key.into_boxed_str(), id);
        self.number.push(None);
        self.keyword_bits.push(0);
        id
    }

    /// Tokenises a phrase of a data file and interns each token.
    fn phrase_ids(&mut self, phrase: &str) -> Vec<WordId> {
        token::split(phrase)
            .into_iter()
            .map(|w| self.intern(w))
            .collect()
    }

    /// The id of a lower-cased word.
    /// Whether `words` (lower case) are one of comparators.toml's `before` phrases.
    pub(crate) fn is_comparator_before(&self, words: &str) -> bool {
        let mut joined = String::with_capacity(words.len());
        for w in words.split_whitespace() {
            if !joined.is_empty() {
                joined.push(' ');
            }
            joined.push_str(w);
        }
        self.comparator_phrases_before.contains(&joined)
    }

    pub(crate) fn id_of(&self, lower: &str) -> WordId {
        if lower.len() > self.max_word_len {
            return NONE;
        }
        self.ids.get(lower).copied().unwrap_or(NONE)
    }

    /// [`Lexicon::id_of`] of a one-byte ASCII word (a digit, a punctuation mark).
    pub(crate) fn id_of_ascii(&self, b: u8) -> WordId {
        self.ascii_ids.get(usize::from(b)).copied().unwrap_or(NONE)
    }

    /// [`Lexicon::id_of`] of a run of two ASCII digits.
    pub(crate) fn id_of_two_digits(&self, tens: u8, ones: u8) -> WordId {
        let n = usize::from(tens.wrapping_sub(b'0')) * 10 + usize::from(ones.wrapping_sub(b'0'));
        self.two_digit_ids.get(n).copied().unwrap_or(NONE)
    }

    /// Whether a word of `len` bytes starting with the lower-case letter `first` may be known.
    pub(crate) fn may_know(&self, len: usize, first: char) -> bool {
        self.first_letters[len.min(63)] & (1 << (first as u32 % 64)) != 0
    }

    /// Longest word in the tables, in bytes.
    pub(crate) fn max_word_len(&self) -> usize {
        self.max_word_len
    }

    /// The number role of a word.
    pub(crate) fn number(&self, id: WordId) -> Option<NumberRole> {
        if id == NONE {
            None
        } else {
            self.number[id as usize]
        }
    }

    /// Whether a word can start a word-led expression.
    pub(crate) fn is_starter(&self, id: WordId) -> bool {
        id != NONE && self.starter[id as usize]
    }

    /// Whether a single word plays a keyword role.
    pub(crate) fn is(&self, id: WordId, kw: Keyword) -> bool {
        id != NONE && self.keyword_bits[id as usize] & kw.bit() != 0
    }

    /// Whether a keyword phrase starts at token `i`; its length in tokens.
    pub(crate) fn keyword_at(&self, toks: &[Tok], i: usize, kw: Keyword) -> Option<usize> {
        self.keywords
            .matches_at(toks, i)
            .find(|(_, k)| **k == kw)
            .map(|(n, _)| n)
    }

    /// Whether a keyword phrase ends right before token `end`; its first token.
    pub(crate) fn keyword_before(&self, toks: &[Tok], end: usize, kw: Keyword) -> Option<usize> {
        (1..=3usize).filter(|&n| n <= end).find_map(|n| {
            let start = end - n;
            self.keywords
                .matches_at(toks, start)
                .any(|(len, k)| len == n && *k == kw)
                .then_some(start)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_tables_load() {
        let lex = Lexicon::from_data().expect("tables load");
        assert!(matches!(
            lex.number(lex.id_of("mươi")),
            Some(NumberRole::Tens)
        ));
        assert!(lex.is(lex.id_of("quý"), Keyword::Quarter));
        assert_eq!(lex.id_of("bàn"), NONE);
    }

    /// The ids as the hash table alone gives them: the oracle of the small tables.
    fn id_by_hash(lex: &Lexicon, word: &str) -> WordId {
        lex.ids.get(word).copied().unwrap_or(NONE)
    }

    #[test]
    fn small_tables_give_the_hashed_ids() {
        let lex = get();
        for b in 0..128u8 {
            let word = char::from(b).to_string();
            assert_eq!(lex.id_of_ascii(b), id_by_hash(lex, &word), "{word:?}");
        }
        for n in 0..100 {
            let word = format!("{n:02}");
            let [tens, ones] = [word.as_bytes()[0], word.as_bytes()[1]];
            assert_eq!(
                lex.id_of_two_digits(tens, ones),
                id_by_hash(lex, &word),
                "{word}"
            );
        }
    }
}
