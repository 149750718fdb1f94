//! Paragraphs and sentences of a document, with page furniture removed and repeats counted once.
//!
//! Scraped articles repeat themselves: photo captions appear under every photo, a pull quote
//! repeats a sentence of the body, a paragraph is pasted twice. A statement must give one row,
//! so a sentence that repeats an earlier one word for word, or is contained in another
//! (compared case-insensitively with spaces collapsed), is dropped and counted as an occurrence
//! of the sentence that holds it. Lines that are page furniture ("back to top", "Theo dõi …
//! trên Google News") are not text; the patterns are data (`data/boilerplate.toml`).

use std::collections::HashMap;
use std::hash::BuildHasher as _;
use std::sync::{LazyLock, OnceLock};

use chiso_model::Span;
use hashbrown::HashTable;

use crate::lexicon::fold_case;
use chiso_model::fast_hash::FastHash;
use serde::Deserialize;

/// Longest document, in sentences, for which contained (not only identical) repeats are searched;
/// beyond it only identical repeats are merged, so the cost stays linear.
const CONTAINMENT_LIMIT: usize = 4000;
/// Shortest normalised sentence that can count as a repeat by containment.
const CONTAINMENT_MIN_CHARS: usize = 24;
/// How many leading bytes of a sentence key are searched for before the whole key is compared.
const NEEDLE_BYTES: usize = 16;
/// Most sentence keys searched for one by one; more are searched for together (see
/// [`containment_holders_by`]).
const SEARCH_PER_KEY_MAX: usize = 48;

/// One kept sentence of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Byte span in the document text.
    pub bytes: Span,
    /// Index of the paragraph (line) it belongs to, counted over the whole text.
    pub paragraph: usize,
    /// How many times the document states it (1 when it is not repeated).
    pub occurrences: u32,
}

/// A document cut into kept sentences.
#[derive(Debug, Clone, Default)]
pub struct Segmented {
    /// Sentences in text order, repeats and furniture removed.
    pub sentences: Vec<Sentence>,
    /// How many sentences were dropped as repeats.
    pub repeats_dropped: usize,
    /// How many lines were dropped or cut as page furniture.
    pub furniture_lines: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BoilerplateFile {
    #[allow(dead_code)]
    version: u32,
    lines: Vec<String>,
    trailing: Vec<String>,
    abbreviations: Vec<String>,
}

struct Boilerplate {
    lines: Vec<Vec<String>>,
    trailing: Vec<String>,
    abbreviations: Vec<String>,
}

fn boilerplate() -> &'static Boilerplate {
    static CELL: OnceLock<Boilerplate> = OnceLock::new();
    CELL.get_or_init(|| {
        let raw: BoilerplateFile = toml::from_str(include_str!("../data/boilerplate.toml"))
            .expect("embedded boilerplate.toml parses: tested by boilerplate_data_parses");
        Boilerplate {
            lines: raw
                .lines
                .iter()
                .map(|p| fold_case(p).split('*').map(str::to_owned).collect())
                .collect(),
            trailing: raw.trailing.iter().map(|t| fold_case(t)).collect(),
            abbreviations: raw.abbreviations,
        }
    })
}

/// Whether `line` (lower-cased, trimmed) matches a `*` pattern split into literal pieces.
fn matches_pattern(line: &str, pieces: &[String]) -> bool {
    let (Some(first), Some(last)) = (pieces.first(), pieces.last()) else {
        return false;
    };
    if pieces.len() == 1 {
        return line == first;
    }
    // The first and last pieces must not overlap ("a*a" does not match "a").
    if first.len() + last.len() > line.len()
        || !line.starts_with(first.as_str())
        || !line.ends_with(last.as_str())
    {
        return false;
    }
    let mut rest = &line[first.len()..line.len() - last.len()];
    for piece in &pieces[1..pieces.len() - 1] {
        match rest.find(piece.as_str()) {
            Some(i) => rest = &rest[i + piece.len()..],
            None => return false,
        }
    }
    true
}

/// The part of a line that is text: `None` for a furniture line, else the line with trailing
/// furniture cut, as a byte range relative to the line. `folded_line` is the line through
/// [`fold_case`] (same length, same whitespace).
fn text_part(line: &str, folded_line: &str) -> Option<(usize, usize)> {
    let bp = boilerplate();
    let trimmed = line.trim();
    if trimmed.is_empty() {
        return None;
    }
    let start = line.len() - line.trim_start().len();
    let mut end = start + trimmed.len();
    let lower = &folded_line[start..end];
    // Most lines start and end like no pattern.
    let might_be_furniture = bp
        .lines
        .iter()
        .any(|p| p.first().is_some_and(|f| lower.starts_with(f.as_str())))
        || bp.trailing.iter().any(|t| lower.ends_with(t.as_str()));
    if !might_be_furniture {
        return Some((start, end));
    }
    if bp.lines.iter().any(|p| matches_pattern(lower, p)) {
        return None;
    }
    for t in &bp.trailing {
        // `fold_case` keeps byte lengths, so the pattern's length in `lower` is its length in `line`.
        if lower.ends_with(t.as_str()) {
            end -= t.len();
            let kept = line[start..end].trim_end();
            end = start + kept.len();
        }
    }
    (end > start).then_some((start, end))
}

/// Whether the word before a dot at byte `dot` of `para` is an abbreviation ("TP.", "ThS.").
fn is_abbreviation(para: &str, dot: usize) -> bool {
    let before = &para[..dot];
    let word_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| c.is_whitespace() || c == '(' || c == ',')
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &before[word_start..];
    let abbreviations = &boilerplate().abbreviations;
    // Most words before a dot are lower-case already: looked up as they are, without a copy.
    let unchanged = |c: char| {
        let mut lower = c.to_lowercase();
        lower.next() == Some(c) && lower.next().is_none()
    };
    if word.chars().all(unchanged) {
        !word.is_empty() && abbreviations.iter().any(|a| a == word)
    } else {
        let word = word.to_lowercase();
        abbreviations.contains(&word)
    }
}

/// Byte ranges of the sentences of one paragraph, relative to it.
fn split_sentences(para: &str) -> Vec<(usize, usize)> {
    let mut marks = Marks::new(para);
    split_at_marks(para, |from| marks.next_from(from))
}

/// The sentence-ending marks of a paragraph, found with vectorised byte searches: '.', '!' and
/// '?' with one `memchr3`, '…' (the only mark led by byte 0xE2) with a search for 0xE2 whose
/// answer is kept until the search passes it, so no stretch of the paragraph is searched twice.
struct Marks<'a> {
    para: &'a str,
    /// The first '…' at or after byte `ellipsis_from` (`None`: there is none).
    ellipsis: Option<usize>,
    ellipsis_from: usize,
}

impl<'a> Marks<'a> {
    fn new(para: &'a str) -> Marks<'a> {
        let mut marks = Marks {
            para,
            ellipsis: None,
            ellipsis_from: 0,
        };
        marks.ellipsis = marks.find_ellipsis(0);
        marks
    }

    /// The first '…' at or after byte `from`.
    fn find_ellipsis(&self, mut from: usize) -> Option<usize> {
        let bytes = self.para.as_bytes();
        loop {
            let i = from + memchr::memchr(0xE2, bytes.get(from..)?)?;
            if self.para[i..].starts_with('…') {
                return Some(i);
            }
            // Another character led by 0xE2: its other bytes match nothing.
            from = i + 1;
        }
    }

    /// The next '.', '!', '?' or '…' at or after byte `from`.
    fn next_from(&mut self, from: usize) -> Option<(usize, char)> {
        let bytes = self.para.as_bytes();
        if from < self.ellipsis_from || self.ellipsis.is_some_and(|e| e < from) {
            self.ellipsis = self.find_ellipsis(from);
            self.ellipsis_from = from;
        }
        let stop = self.ellipsis.unwrap_or(bytes.len());
        let punct = bytes
            .get(from..stop)
            .and_then(|b| memchr::memchr3(b'.', b'!', b'?', b))
            .map(|k| (from + k, char::from(bytes[from + k])));
        punct.or(self.ellipsis.map(|e| (e, '…')))
    }
}

/// Splits a paragraph at the marks `next(from)` finds (each the next mark at or after `from`).
fn split_at_marks(
    para: &str,
    mut next: impl FnMut(usize) -> Option<(usize, char)>,
) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut pos = 0;
    while let Some((i, c)) = next(pos) {
        // A sentence ends at the punctuation (and any closing quotes or more dots) when what
        // follows is whitespace then an upper-case letter, a digit, a quote or a dash.
        let mut end = i + c.len_utf8();
        for d in para[end..].chars() {
            if !matches!(d, '.' | '!' | '?' | '…' | '"' | '”' | '\'' | ')') {
                break;
            }
            end += d.len_utf8();
        }
        pos = end;
        let rest = &para[end..];
        let after_space = rest.trim_start();
        if after_space.len() == rest.len() && !rest.is_empty() {
            continue; // "9.02", "v.v" inside a word: not an end
        }
        let next = after_space.chars().next();
        let starts_sentence = match next {
            None => true,
            Some(n) => {
                n.is_uppercase()
                    || n.is_ascii_digit()
                    || matches!(n, '"' | '“' | '-' | '–' | '(' | '[')
            }
        };
        // "1. Bà Rịa - Vũng Tàu ...", "II. NHIỆM VỤ": a list mark, not a sentence.
        let piece = para[start..i].trim();
        let list_mark = !piece.is_empty()
            && piece.len() <= 4
            && piece
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, 'I' | 'V' | 'X' | 'L'));
        if !starts_sentence || list_mark || (c == '.' && is_abbreviation(para, i)) {
            continue;
        }
        if para[start..end].trim().is_empty() {
            start = end;
            continue;
        }
        out.push((start, end));
        start = end;
    }
    if !para[start..].trim().is_empty() {
        out.push((start, para.len()));
    }
    // Trim leading whitespace of each piece.
    out.into_iter()
        .map(|(s, e)| {
            let piece = &para[s..e];
            let lead = piece.len() - piece.trim_start().len();
            let trail = piece.len() - piece.trim_end().len();
            (s + lead, e - trail)
        })
        .filter(|(s, e)| e > s)
        .collect()
}

/// The comparison key of a sentence, from the sentence through [`fold_case`] (so already lower
/// case): spaces collapsed, closing punctuation dropped.
fn normalise_folded(folded: &str) -> String {
    let text = folded.trim();
    let bytes = text.as_bytes();
    if lone_spaces_only(bytes) {
        return text
            .trim_end_matches(['.', '!', '?', '…', ';', ':', ',', ' '])
            .to_owned();
    }
    let mut key = String::with_capacity(text.len());
    // The key is `text` with each whitespace run but a lone ' ' made one ' ': unchanged
    // stretches are copied whole from `run`.
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b > b' ' && b < 0x80 {
            i += 1;
            continue;
        }
        if b >= 0x80 && !may_lead_whitespace(bytes, i) {
            i += utf8_len(b); // a letter or mark: most non-ASCII characters of a text
            continue;
        }
        let (c, len) = if b < 0x80 {
            (char::from(b), 1)
        } else {
            let Some(c) = text[i..].chars().next() else {
                break;
            };
            (c, c.len_utf8())
        };
        if c.is_whitespace() {
            let mut end = i + len;
            let mut lone_space = c == ' ';
            while let Some(d) = text[end..].chars().next().filter(|d| d.is_whitespace()) {
                end += d.len_utf8();
                lone_space = false;
            }
            if !lone_space {
                key.push_str(&text[run..i]);
                key.push(' ');
                run = end;
            }
            i = end;
            continue;
        }
        i += len;
    }
    key.push_str(&text[run..]);
    let trimmed = key
        .trim_end_matches(['.', '!', '?', '…', ';', ':', ',', ' '])
        .len();
    key.truncate(trimmed);
    key
}

/// Whether every whitespace character of `bytes` is a lone ' ' (as in most sentences), so that
/// [`normalise_folded`] has no run to collapse: a few vectorised passes instead of a walk that
/// stops at every space.
fn lone_spaces_only(bytes: &[u8]) -> bool {
    // Tab to carriage return, and the leads of U+0085 and U+00A0 (0xC2) and of U+3000 (0xE3).
    // Built once: `memmem::find` builds its searcher at every call, which cost as much as the
    // search on sentences of a few hundred bytes.
    static RUNS: LazyLock<[memchr::memmem::Finder<'static>; 2]> = LazyLock::new(|| {
        // Two spaces, and U+1680.
        [&b"  "[..], &[0xE1, 0x9A, 0x80]].map(memchr::memmem::Finder::new)
    });
    let other_space = bytes.iter().fold(false, |seen, &b| {
        seen | matches!(b, b'\t'..=b'\r' | 0xC2 | 0xE3)
    });
    !other_space
        && RUNS.iter().all(|f| f.find(bytes).is_none())
        // 0xE2 leads dashes, quotes and "…" as well as U+2000-U+200A, U+2028, U+2029, U+202F
        // and U+205F.
        && memchr::memchr_iter(0xE2, bytes).all(|i| {
            !matches!(
                bytes.get(i + 1..i + 3),
                Some([0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF] | [0x81, 0x9F])
            )
        })
}

/// Whether the character at byte `i` of `bytes` (led by a byte of 0x80 or more) may be
/// whitespace. The non-ASCII whitespace characters are U+0085 and U+00A0 (led by 0xC2), U+1680
/// (0xE1 0x9A), U+2000-U+200A, U+2028, U+2029, U+202F and U+205F (0xE2) and U+3000 (0xE3): the
/// Vietnamese letters (0xC3-0xC6, and 0xE1 0xBA/0xBB) never are.
fn may_lead_whitespace(bytes: &[u8], i: usize) -> bool {
    match bytes[i] {
        0xC2 | 0xE2 | 0xE3 => true,
        0xE1 => bytes.get(i + 1) == Some(&0x9A),
        _ => false,
    }
}

/// The length of the UTF-8 character led by byte `lead`.
fn utf8_len(lead: u8) -> usize {
    match lead {
        0..0x80 => 1,
        0x80..0xE0 => 2,
        0xE0..0xF0 => 3,
        _ => 4,
    }
}

/// For each sentence key (in order) long enough to be a repeat and held by a longer key, the
/// pairs `(i, j)`: key `i` is contained in key `j`, every `j` in order.
fn containment_holders(candidates: &[(Sentence, String)]) -> Vec<(usize, usize)> {
    containment_holders_by(candidates, SEARCH_PER_KEY_MAX)
}

/// [`containment_holders`], searching key by key when at most `per_key_max` keys are long
/// enough, else for all of them at once.
///
/// The keys are joined in one buffer by a byte no key holds, the first [`NEEDLE_BYTES`] of each
/// key are searched for in it, and each find compared with the whole key. One search per key
/// (a short needle is quick to prepare) is quadratic in the document: a 950 KB report spent a
/// third of its run there. One automaton of every needle makes one pass, but costs about as
/// much to build as 30 searches of a news article; so the few keys of an article are searched
/// one by one, and a long document's together.
fn containment_holders_by(
    candidates: &[(Sentence, String)],
    per_key_max: usize,
) -> Vec<(usize, usize)> {
    let mut all = String::with_capacity(candidates.iter().map(|(_, k)| k.len() + 1).sum());
    let mut starts = Vec::with_capacity(candidates.len());
    for (_, key) in candidates {
        starts.push(all.len());
        all.push_str(key);
        all.push('\n'); // keys have their whitespace collapsed to spaces: no newline
    }
    fn needle(key: &str) -> &[u8] {
        &key.as_bytes()[..key.len().min(NEEDLE_BYTES)]
    }
    let long_enough: Vec<usize> = (0..candidates.len())
        .filter(|&i| {
            let key = &candidates[i].1;
            key.len() >= CONTAINMENT_MIN_CHARS && key.chars().count() >= CONTAINMENT_MIN_CHARS
        })
        .collect();
    // Whether key `i`, found at byte `at` of `all`, is held by a longer key: that key's index.
    let holder = |i: usize, at: usize| {
        let j = starts.partition_point(|&s| s <= at) - 1;
        let key = &candidates[i].1;
        (j != i
            && candidates[j].1.len() > key.len()
            && all.as_bytes()[at..].starts_with(key.as_bytes()))
        .then_some(j)
    };
    let mut pairs = Vec::new();
    if long_enough.len() <= per_key_max {
        for &i in &long_enough {
            // Every occurrence, overlapping ones too: a holder may begin with the needle just
            // before the key itself ("x y" + " " + "x y z" holds "x y z" where "x y x" begins).
            let finder = memchr::memmem::Finder::new(needle(&candidates[i].1));
            let mut from = 0;
            while let Some(found) = finder.find(&all.as_bytes()[from..]) {
                let at = from + found;
                if let Some(j) = holder(i, at) {
                    pairs.push((i, j));
                }
                from = at + 1;
            }
        }
    } else {
        // Each distinct needle once, with the keys it begins.
        let mut needles: Vec<&[u8]> = Vec::new();
        let mut keys_of: Vec<Vec<usize>> = Vec::new();
        let mut needle_ids: HashMap<&[u8], usize, FastHash> = HashMap::default();
        for &i in &long_enough {
            let id = *needle_ids
                .entry(needle(&candidates[i].1))
                .or_insert_with(|| {
                    needles.push(needle(&candidates[i].1));
                    keys_of.push(Vec::new());
                    needles.len() - 1
                });
            keys_of[id].push(i);
        }
        // At most `CONTAINMENT_LIMIT` needles of `NEEDLE_BYTES` bytes: far below the
        // automaton's limits. Were it refused, the document would keep its contained
        // sentences, as a document over the limit does.
        let Ok(automaton) = aho_corasick::AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
            .build(&needles)
        else {
            return Vec::new();
        };
        for found in automaton.find_overlapping_iter(all.as_bytes()) {
            for &i in &keys_of[found.pattern().as_usize()] {
                if let Some(j) = holder(i, found.start()) {
                    pairs.push((i, j));
                }
            }
        }
    }
    // Key by key, holders in order, each once (a key may occur in its holder more than once).
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// Cuts `text` into sentences, drops page furniture, and merges repeated sentences.
pub fn segment(text: &str) -> Segmented {
    segment_folded(text, &fold_case(text))
}

/// Whether `c` ends a line: `\n`, and the rarer breaks text may hold (a vertical tab, a form
/// feed: the page break of `pdftotext`, NEL, U+2028, U+2029). Paragraphs end there, and the
/// number grammar reads line by line, so no sentence and no expression spans one.
pub(crate) fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\u{b}' | '\u{c}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// The lines of `text` (split at every [`is_line_break`]), each with its byte offset. Text
/// without the rare breaks (almost all of it: four `memchr` passes tell) is split at `\n` by
/// `memchr`, not character by character.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    // Built once: a `memmem::find` per document would build its searcher each time.
    static RARE: LazyLock<[memchr::memmem::Finder<'static>; 3]> = LazyLock::new(|| {
        ["\u{85}", "\u{2028}", "\u{2029}"].map(|b| memchr::memmem::Finder::new(b.as_bytes()))
    });
    let bytes = text.as_bytes();
    let rare = memchr::memchr2(0x0B, 0x0C, bytes).is_some()
        || RARE.iter().any(|f| f.find(bytes).is_some());
    let (plain, any) = if rare {
        (None, Some(text.split(is_line_break)))
    } else {
        (Some(text.split('\n')), None)
    };
    let base = text.as_ptr() as usize;
    plain
        .into_iter()
        .flatten()
        .chain(any.into_iter().flatten())
        .map(move |line| (line.as_ptr() as usize - base, line))
}

/// Words a line cannot end with where a title or a sentence ends: a line that ends with one goes
/// on on the next even when that opens with a capital ("… Sở Kế hoạch và\nĐầu tư").
const GOES_ON: [&str; 17] = [
    "và", "của", "tại", "với", "cho", "các", "những", "là", "ở", "từ", "đến", "trong", "theo",
    "về", "như", "so", "bằng",
];

/// Words a number follows in a sentence: a line that ends with one goes on on a next line that
/// opens with a number ("… tăng\n1,25 % so với …").
const NUMBER_AFTER: [&str; 30] = [
    "đạt", "tăng", "giảm", "còn", "là", "chiếm", "khoảng", "ước", "bằng", "từ", "đến", "mức",
    "gần", "hơn", "trên", "dưới", "với", "có", "thu", "đón", "lên", "xuống", "vượt", "gấp", "tới",
    "và", "được", "thứ", "cho", "số",
];

/// Units a range's second number takes ("0,3 –\n0,4 điểm phần trăm"), for [`wraps`].
const RANGE_UNITS: [&str; 13] = [
    "điểm", "tỷ", "triệu", "nghìn", "ngàn", "tấn", "lượt", "người", "hộ", "ha", "USD", "đồng",
    "lần",
];

/// `text` with the line breaks that wrap a sentence (text copied from a PDF or a fixed-width
/// report: "ước đạt 19.250 tỷ\nđồng, bằng 103,5% dự\ntoán") made spaces, or `None` when it has
/// none. Each `\n` (and the `\r` before it) becomes one space, so every byte keeps its offset
/// and the rows' positions are the document's own. Which breaks wrap: [`wraps`].
pub(crate) fn unwrap_lines(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut joins = Vec::new();
    let mut line_start = 0;
    // Whether a line with text came before the current one (the first is a title).
    let mut titled = false;
    for nl in memchr::memchr_iter(b'\n', bytes) {
        let prev = text[line_start..nl].trim_end();
        line_start = nl + 1;
        let first_line = !titled;
        titled |= !prev.trim_start().is_empty();
        let next_end = memchr::memchr(b'\n', &bytes[nl + 1..]).map_or(text.len(), |i| nl + 1 + i);
        let next = text[nl + 1..next_end].trim_start();
        if wraps(prev, next, first_line) {
            joins.push(nl);
        }
    }
    if joins.is_empty() {
        return None;
    }
    let mut out = text.as_bytes().to_vec();
    for nl in joins {
        out[nl] = b' ';
        if nl > 0 && out[nl - 1] == b'\r' {
            out[nl - 1] = b' ';
        }
    }
    // Only ASCII bytes were replaced by ASCII bytes.
    String::from_utf8(out).ok()
}

/// Whether the line break between lines `prev` and `next` (their spaces trimmed at the break)
/// wraps a sentence ([`unwrap_lines`]): `prev` does not end a sentence (`.`, `!`, `?`, `…`) and
/// `next` goes on with a lower-case word (after a clause's end, `:` or `;`, too; not a lettered
/// item "a)"); or with a number after a comma, a word a number follows ([`NUMBER_AFTER`]:
/// "tăng\n1,25%"; after "năm", "tháng", "quý", "ngày" only a year, month or day) or a range's
/// dash ("giảm 3 –\n4 %", "2021 –\n2025"), not a numbered item ("1. Tốc độ …"); or with a
/// capital after a comma or a word that cannot end a line ([`GOES_ON`]); or with a quarter's
/// numeral or a currency ("quý\nIII/2024", "1,46 tỷ\nUSD"). After a document's first line, its
/// title (`first_line`), no number or capital goes on ("Thu hút FDI tăng mạnh\n2,5 tỷ USD là
/// …"); a blank line or a list mark never does.
fn wraps(prev: &str, next: &str, first_line: bool) -> bool {
    let (Some(last), Some(first)) = (prev.chars().next_back(), next.chars().next()) else {
        return false;
    };
    if matches!(last, '.' | '!' | '?' | '…') {
        return false;
    }
    // After a clause's end, only a lower-case word goes on ("…, đạt 24,4% kế hoạch năm;\ntỷ lệ
    // thất nghiệp …"; not "Các chỉ tiêu chủ yếu:\n1. …").
    let clause_end = matches!(last, ':' | ';');
    let last_word = prev
        .rsplit(|c: char| c.is_whitespace())
        .next()
        .unwrap_or_default();
    if first.is_lowercase() {
        // Not an item lettered "a)", "b." under the line.
        let mut after = next[first.len_utf8()..].chars();
        return !(matches!(after.next(), Some(')' | '.'))
            && after.next().is_none_or(char::is_whitespace));
    }
    let lower_last = last_word.to_lowercase();
    if first.is_ascii_digit() {
        // Not a numbered item: "1. ", "2) ", "1.2. ".
        let item = next.split(char::is_whitespace).next().is_some_and(|w| {
            w.ends_with(['.', ')'])
                && w[..w.len() - 1]
                    .split('.')
                    .all(|n| (1..=2).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()))
        });
        // (Not after a title: "Thu hút FDI tăng mạnh\n2,5 tỷ USD là kim ngạch …", "… 6 tháng
        // đầu năm\n11 tháng, tỉnh đón …"; after a word of time, only its number: "năm\n2023",
        // "tháng\n12 năm trước", not "9 tháng\n70% doanh nghiệp …".)
        let digits = next.bytes().take_while(u8::is_ascii_digit).count();
        // (The number is a year's, a month's or a day's: no percent or decimals after it.)
        let rest = &next.as_bytes()[digits..];
        let number_ends = match rest {
            [b'%', ..] => false,
            [b',' | b'.', d, ..] => !d.is_ascii_digit(),
            _ => true,
        };
        let after = match lower_last.as_str() {
            "năm" => digits == 4 && number_ends,
            "tháng" | "quý" | "ngày" => digits <= 2 && number_ends,
            w => NUMBER_AFTER.contains(&w),
        };
        // (Or a range of a number and an amount: "giảm 3 –\n4 %", "0,3 –\n0,4 điểm phần trăm";
        // not a dash between clauses, "tăng 12% –\n2025, tỉnh …", "3,1% -\n2 huyện …".)
        let before_dash = prev[..prev.len() - last.len_utf8()].trim_end();
        let range = matches!(last, '-' | '–' | '—')
            && before_dash.ends_with(|c: char| c.is_ascii_digit())
            && {
                let number = next
                    .find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))
                    .unwrap_or(next.len());
                let unit = next[number..].trim_start();
                // (Or two years: "Giai đoạn 2021 –\n2025, …".)
                let year = |w: &str| w.len() == 4 && w.starts_with(['1', '2']);
                let first_year = before_dash
                    .rsplit(|c: char| !c.is_ascii_digit())
                    .next()
                    .is_some_and(year);
                (first_year && digits == 4 && year(&next[..4]))
                    || unit.starts_with('%')
                    || RANGE_UNITS.iter().any(|u| {
                        unit.strip_prefix(u)
                            .is_some_and(|r| !r.starts_with(char::is_alphanumeric))
                    })
            };
        return !item && !first_line && (last == ',' || range || after);
    }
    // A quarter's numeral, a currency after its amount: "quý\nIII/2024", "1,46 tỷ\nUSD".
    let first_word = next
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or_default();
    if (lower_last == "quý" && matches!(first_word, "I" | "II" | "III" | "IV"))
        || (matches!(lower_last.as_str(), "tỷ" | "triệu" | "nghìn" | "ngàn")
            && matches!(first_word, "USD" | "VND" | "VNĐ"))
    {
        return true;
    }
    !clause_end
        && !first_line
        && first.is_uppercase()
        && (last == ',' || GOES_ON.contains(&lower_last.as_str()))
}

/// [`segment`] given `folded`, the text through [`fold_case`]: the linker folds a document once
/// for all its word searches, and furniture patterns and sentence keys are read from it.
pub(crate) fn segment_folded(text: &str, folded: &str) -> Segmented {
    let mut seg = Segmented::default();
    let mut candidates: Vec<(Sentence, String)> = Vec::new();
    // Each candidate's index, found by its key: the key is kept once, in the candidate.
    // Sized for sentences of about 64 bytes, so the table rarely grows.
    let hasher = FastHash::default();
    let mut by_key: HashTable<usize> = HashTable::with_capacity(text.len() / 64 + 1);
    for (paragraph, (line_start, line)) in lines(text).enumerate() {
        let folded_line = &folded[line_start..line_start + line.len()];
        let Some((s, e)) = text_part(line, folded_line) else {
            if !line.trim().is_empty() {
                seg.furniture_lines += 1;
            }
            continue;
        };
        if e < line.trim_end().len() {
            seg.furniture_lines += 1;
        }
        let para = &line[s..e];
        for (ss, se) in split_sentences(para) {
            let bytes = Span::new(line_start + s + ss, line_start + s + se);
            let key = normalise_folded(&folded[bytes.start..bytes.end]);
            if key.is_empty() {
                continue;
            }
            let hash = hasher.hash_one(&key);
            if let Some(&first) = by_key.find(hash, |&i| candidates[i].1 == key) {
                candidates[first].0.occurrences += 1;
                seg.repeats_dropped += 1;
                continue;
            }
            by_key.insert_unique(hash, candidates.len(), |&i| {
                hasher.hash_one(&candidates[i].1)
            });
            candidates.push((
                Sentence {
                    bytes,
                    paragraph,
                    occurrences: 1,
                },
                key,
            ));
        }
    }
    // Sentences contained in a longer one (pull quotes, captions re-cut) count for the longer.
    let mut kept = vec![true; candidates.len()];
    if candidates.len() <= CONTAINMENT_LIMIT {
        for (i, j) in containment_holders(&candidates) {
            if kept[i] && kept[j] {
                kept[i] = false;
                let extra = candidates[i].0.occurrences;
                candidates[j].0.occurrences += extra;
                seg.repeats_dropped += extra as usize;
            }
        }
    }
    seg.sentences = candidates
        .into_iter()
        .zip(kept)
        .filter_map(|((s, _), k)| k.then_some(s))
        .collect();
    seg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::lower_same_len;

    fn texts(text: &str) -> Vec<(String, u32)> {
        segment(text)
            .sentences
            .iter()
            .map(|s| (text[s.bytes.start..s.bytes.end].to_owned(), s.occurrences))
            .collect()
    }

    /// [`normalise`] written plainly: split on whitespace, lower-case each word, join by spaces.
    fn normalise_reference(sentence: &str) -> String {
        let key = sentence
            .split_whitespace()
            .map(|w| w.chars().map(lower_same_len).collect::<String>())
            .collect::<Vec<_>>()
            .join(" ");
        key.trim_end_matches(['.', '!', '?', '…', ';', ':', ',', ' '])
            .to_owned()
    }

    /// [`split_sentences`] with the marks found by a walk over the characters, as first written.
    fn split_sentences_reference(para: &str) -> Vec<(usize, usize)> {
        split_at_marks(para, |from| {
            para[from..]
                .char_indices()
                .find(|&(_, c)| matches!(c, '.' | '!' | '?' | '…'))
                .map(|(j, c)| (from + j, c))
        })
    }

    /// The previous mark search, a byte at a time, kept as the oracle of [`Marks`].
    fn next_mark_by_bytes(para: &str, from: usize) -> Option<(usize, char)> {
        let bytes = para.as_bytes();
        let mut pos = from;
        loop {
            let i = pos
                + bytes
                    .get(pos..)?
                    .iter()
                    .position(|&b| matches!(b, b'.' | b'!' | b'?' | 0xE2))?;
            match bytes[i] {
                b'.' => return Some((i, '.')),
                b'!' => return Some((i, '!')),
                b'?' => return Some((i, '?')),
                _ if para[i..].starts_with('…') => return Some((i, '…')),
                // Another character led by 0xE2: its other bytes match nothing.
                _ => pos = i + 1,
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn marks_match_a_byte_scan(text in "[a-z .!?…“”–\u{2014}\u{a0}À-ỹ]{0,60}", steps in proptest::collection::vec(0usize..8, 0..12)) {
            let mut marks = Marks::new(&text);
            // Starting points in any order: the scanner must answer whatever it is asked.
            let mut from = 0;
            for step in steps {
                from = (from + step) % (text.len() + 2);
                while from < text.len() && !text.is_char_boundary(from) {
                    from += 1;
                }
                proptest::prop_assert_eq!(marks.next_from(from), next_mark_by_bytes(&text, from));
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn split_sentences_matches_its_reference(text in "[a-zA-Z0-9 .!?…\"”'()“\\-–\\[À-ỹIVXL,\u{a0}\u{2014}\u{201c}]{0,60}|(TP|ThS|Tp|v)\\. [A-Z0-9a-z.]{0,10}") {
            proptest::prop_assert_eq!(split_sentences(&text), split_sentences_reference(&text));
        }
    }

    /// The previous key, computed from the text as written (lower-casing as it goes), kept as
    /// the oracle of [`normalise_folded`].
    fn normalise(sentence: &str) -> String {
        let text = sentence.trim();
        let bytes = text.as_bytes();
        let mut key = String::with_capacity(text.len());
        let mut run = 0;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b > b' ' && b < 0x80 {
                i += 1;
                continue;
            }
            let (c, len) = if b < 0x80 {
                (char::from(b), 1)
            } else {
                let Some(c) = text[i..].chars().next() else {
                    break;
                };
                (c, c.len_utf8())
            };
            if c.is_whitespace() {
                let mut end = i + len;
                let mut lone_space = c == ' ';
                while let Some(d) = text[end..].chars().next().filter(|d| d.is_whitespace()) {
                    end += d.len_utf8();
                    lone_space = false;
                }
                if !lone_space {
                    key.push_str(&text[run..i]);
                    key.push(' ');
                    run = end;
                }
                i = end;
                continue;
            }
            let lower = lower_same_len(c);
            if lower != c {
                key.push_str(&text[run..i]);
                key.push(lower);
                run = i + len;
            }
            i += len;
        }
        key.push_str(&text[run..]);
        key.make_ascii_lowercase();
        let trimmed = key
            .trim_end_matches(['.', '!', '?', '…', ';', ':', ',', ' '])
            .len();
        key.truncate(trimmed);
        key
    }

    /// The shortcut over non-ASCII characters agrees with `char::is_whitespace` on every
    /// character.
    #[test]
    fn only_the_whitespace_leads_may_be_whitespace() {
        for c in (0x80..=0x10FFFFu32).filter_map(char::from_u32) {
            let mut buf = [0u8; 4];
            let bytes = c.encode_utf8(&mut buf).as_bytes();
            assert_eq!(utf8_len(bytes[0]), bytes.len(), "{c:?}");
            if c.is_whitespace() {
                assert!(may_lead_whitespace(bytes, 0), "{c:?} is whitespace");
            }
        }
    }

    /// The shortcut of [`normalise_folded`] is never taken past a whitespace character other
    /// than a lone ' ', and is taken past the letters and punctuation of Vietnamese text.
    #[test]
    fn only_lone_spaces_take_the_shortcut() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let text = format!("a {c}b");
            if c.is_whitespace() {
                assert!(!lone_spaces_only(text.as_bytes()), "{c:?}");
            }
        }
        let vietnamese = ('À'..='ỹ').filter(|c| !c.is_whitespace() && u32::from(*c) >= 0xC0);
        for c in vietnamese.chain("–—…“”‘’•%".chars()) {
            assert!(lone_spaces_only(format!("a {c}b").as_bytes()), "{c:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn normalise_matches_its_reference(text in "[a-zA-Z0-9 ,.;:!?…%À-ỹ\u{300}-\u{36f}\u{a0}\u{85}\u{1680}\u{2000}-\u{200b}\u{2028}\u{2029}\u{202f}\u{205f}\u{1681}\u{2060}\u{3000}\u{3001}\t\n\r\u{b}\u{c}\u{1c}İẞΣ\u{1E9E}ǄǅΩ가\u{1F600}-]{0,40}") {
            let key = normalise_folded(&fold_case(&text));
            proptest::prop_assert_eq!(&key, &normalise_reference(&text));
            proptest::prop_assert_eq!(&key, &normalise(&text));
        }
    }

    /// Keys are read from the folded text: folding twice must change nothing, or a sentence
    /// would get another key from its folded text than from its text.
    #[test]
    fn folding_is_idempotent_for_every_character() {
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            assert_eq!(
                lower_same_len(lower_same_len(c)),
                lower_same_len(c),
                "{c:?}"
            );
            assert_eq!(
                lower_same_len(c).is_whitespace(),
                c.is_whitespace(),
                "{c:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn furniture_is_found_in_the_folded_line(text in "(Theo dõi|THEO DÕI|theo dõi|Back to top|BACK TO TOP|Lên đầu trang|LÊN ĐẦU TRANG|Bước tới nội dung| |\u{a0}|x|Ấ|[.]|Google News|trên){0,8}") {
            let folded = fold_case(&text);
            proptest::prop_assert_eq!(text_part(&text, &folded), text_part_reference(&text));
        }
    }

    /// The previous [`text_part`], which compared each pattern's edge with the line as written.
    fn text_part_reference(line: &str) -> Option<(usize, usize)> {
        use crate::lexicon::eq_fold_case;
        let bp = boilerplate();
        let trimmed = line.trim();
        if trimmed.is_empty() {
            return None;
        }
        let folded_edge = |piece: &str, at_end: bool| {
            let at = if at_end {
                trimmed.len().wrapping_sub(piece.len())
            } else {
                0
            };
            trimmed
                .get(at..at.wrapping_add(piece.len()))
                .is_some_and(|edge| eq_fold_case(edge, piece))
        };
        let might_be_furniture = bp
            .lines
            .iter()
            .any(|p| p.first().is_some_and(|f| folded_edge(f, false)))
            || bp.trailing.iter().any(|t| folded_edge(t, true));
        let start = line.len() - line.trim_start().len();
        let mut end = start + trimmed.len();
        if !might_be_furniture {
            return Some((start, end));
        }
        let lower = fold_case(trimmed);
        if bp.lines.iter().any(|p| matches_pattern(&lower, p)) {
            return None;
        }
        for t in &bp.trailing {
            if lower.ends_with(t.as_str()) {
                end -= t.len();
                let kept = line[start..end].trim_end();
                end = start + kept.len();
            }
        }
        (end > start).then_some((start, end))
    }

    #[test]
    fn a_line_shorter_than_a_patterns_ends_is_not_furniture() {
        // Found by the segment fuzz target (session 3): the first and last pieces of a `*`
        // pattern overlapped in a short line and the middle was sliced backwards.
        assert!(!matches_pattern("ab", &["ab".to_owned(), "b".to_owned()]));
        assert!(matches_pattern("ab-b", &["ab".to_owned(), "b".to_owned()]));
        let got = texts("theo dõi trên google news");
        assert_eq!(got.len(), 1, "{got:?}");
    }

    #[test]
    fn boilerplate_data_parses() {
        assert!(!boilerplate().lines.is_empty());
    }

    /// An abbreviation is found whatever its case, lower-case words without a copy.
    #[test]
    fn abbreviations_in_any_case() {
        for (para, want) in [
            ("tại tp.", true),
            ("tại TP.", true),
            ("tại Tp.", true),
            ("tăng 3,1%.", false),
            ("tăng.", false),
            ("TĂNG.", false),
            (".", false),
        ] {
            assert_eq!(is_abbreviation(para, para.len() - 1), want, "{para}");
        }
    }

    #[test]
    fn decimals_and_abbreviations_do_not_end_sentences() {
        let got = texts("Năm 2022 đạt 9.02 điểm tại TP. Hồ Chí Minh. Quý I tăng 3,1%. tiếp");
        assert_eq!(
            got,
            vec![
                ("Năm 2022 đạt 9.02 điểm tại TP. Hồ Chí Minh.".to_owned(), 1),
                ("Quý I tăng 3,1%. tiếp".to_owned(), 1),
            ]
        );
    }

    #[test]
    fn a_wide_space_before_an_abbreviation_is_one_character() {
        // Found by the segment fuzz target: a no-break space is two bytes.
        assert_eq!(
            texts("Ông\u{a0}TP. Hà Nội."),
            vec![("Ông\u{a0}TP. Hà Nội.".to_owned(), 1)]
        );
    }

    #[test]
    fn list_marks_do_not_end_sentences() {
        let got = texts("1. Quảng Ninh 176 triệu đồng\nII. Nhiệm vụ. Tiếp theo.");
        assert_eq!(got[0].0, "1. Quảng Ninh 176 triệu đồng");
        assert_eq!(got[1].0, "II. Nhiệm vụ.");
    }

    #[test]
    fn lines_wrapped_inside_a_sentence_are_joined_in_place() {
        let text = "Tổng thu ngân sách ước đạt 19.250 tỷ\r\nđồng, bằng 103,5 % dự\ntoán; CPI tăng\n1,25 %, Sở Kế hoạch và\nĐầu tư cho biết";
        let joined = unwrap_lines(text).expect("wrapped");
        assert_eq!(
            joined,
            "Tổng thu ngân sách ước đạt 19.250 tỷ  đồng, bằng 103,5 % dự toán; CPI tăng 1,25 %, Sở Kế hoạch và Đầu tư cho biết"
        );
        assert_eq!(joined.len(), text.len());
        // Sentence and clause ends, titles, list marks, numbered and lettered items, blank
        // lines and capitals after a word that may end a line stay breaks.
        for text in [
            "GRDP tăng 7,2%.\ntăng",
            "Các chỉ tiêu chủ yếu:\n1. Tốc độ tăng trưởng 8%",
            "Các chỉ tiêu chủ yếu\n1. Tốc độ tăng trưởng 8%",
            "Các chỉ tiêu chủ yếu\n1.2. Tốc độ tăng trưởng 8%",
            "Các chỉ tiêu chủ yếu\na) Tốc độ tăng trưởng 8%",
            "Thu hút FDI 6 tháng đầu năm\nTheo Sở Kế hoạch",
            "trong đó\n- Thu nội địa",
            "GRDP tăng 7,2%;\nXuất khẩu tăng",
            "Các chỉ tiêu chủ yếu:\nTốc độ tăng trưởng 8%",
            "Kết quả năm 2024\n\nnăm 2025",
            "Tăng trưởng 8%\n2023 là năm",
        ] {
            assert_eq!(unwrap_lines(text), None, "{text:?}");
        }
        assert_eq!(
            unwrap_lines("Tin tức\nGiai đoạn 2021 –\n2025, GRDP").as_deref(),
            Some("Tin tức\nGiai đoạn 2021 – 2025, GRDP")
        );
        assert_eq!(
            unwrap_lines("đạt 24,4% kế hoạch năm;\ntỷ lệ thất nghiệp").as_deref(),
            Some("đạt 24,4% kế hoạch năm; tỷ lệ thất nghiệp")
        );
        for text in [
            "Thu hút FDI tăng mạnh\n2,5 tỷ USD là kim ngạch xuất khẩu",
            "Tin tức\nThu hút FDI 6 tháng đầu năm\n11 tháng, tỉnh đón 7 triệu lượt",
            "Tin tức\nKinh tế 9 tháng\n70% doanh nghiệp có lãi",
            "Lào Cai: tỷ lệ hộ nghèo còn\n5%",
            "Lào Cai: Sở Kế hoạch và\nĐầu tư",
            "Tin tức\nThu ngân sách tăng 12% –\n2025, tỉnh phấn đấu",
            "Tin tức\nTỷ lệ hộ nghèo còn 3,1% -\n2 huyện nghèo đã thoát",
            "Tin tức\nNăm 2024 thu ngân sách tăng 12 –\n2025, tỉnh phấn đấu",
        ] {
            assert_eq!(unwrap_lines(text), None, "{text:?}");
        }
        assert_eq!(
            unwrap_lines("Tin tức\nGRDP tăng 5% so với cùng kỳ năm\n2023, trong đó").as_deref(),
            Some("Tin tức\nGRDP tăng 5% so với cùng kỳ năm 2023, trong đó")
        );
        assert_eq!(
            unwrap_lines("Giá cả\nCPI tăng 3% so với tháng\n12 năm trước").as_deref(),
            Some("Giá cả\nCPI tăng 3% so với tháng 12 năm trước")
        );
    }

    /// Paragraphs end at every line break the number grammar reads lines by: a form feed (the
    /// page break of `pdftotext`) between a value and the next page's first line, NEL, U+2028.
    #[test]
    fn paragraphs_end_at_every_line_break() {
        for br in ["\n", "\u{b}", "\u{c}", "\u{85}", "\u{2028}", "\u{2029}"] {
            let text = format!("GRDP tăng 7,2%{br}Tỷ lệ hộ nghèo còn 3,1%.{br}{br}Hết.");
            let seg = segment(&text);
            let sentences: Vec<(&str, usize)> = seg
                .sentences
                .iter()
                .map(|s| (&text[s.bytes.start..s.bytes.end], s.paragraph))
                .collect();
            assert_eq!(
                sentences,
                [
                    ("GRDP tăng 7,2%", 0),
                    ("Tỷ lệ hộ nghèo còn 3,1%.", 1),
                    ("Hết.", 3)
                ],
                "{br:?}"
            );
        }
    }

    proptest::proptest! {
        /// No sentence holds a line break, and the lines found with the fast path for `\n` are
        /// those of a split at every break.
        #[test]
        fn no_sentence_spans_a_line_break(text in "[a-z .!?0-9,%À-ỹ\n\u{b}\u{c}\u{85}\u{2028}\u{2029}\u{2014}]{0,60}") {
            for s in segment(&text).sentences {
                proptest::prop_assert!(!text[s.bytes.start..s.bytes.end].contains(is_line_break));
            }
            let mut start = 0;
            let by_chars: Vec<(usize, &str)> = text
                .split(is_line_break)
                .map(|line| {
                    let at = start;
                    start += line.len() + text[at + line.len()..].chars().next().map_or(0, char::len_utf8);
                    (at, line)
                })
                .collect();
            proptest::prop_assert_eq!(lines(&text).collect::<Vec<_>>(), by_chars);
        }
    }

    #[test]
    fn repeats_and_pull_quotes_count_once() {
        let text = "Tỷ lệ hộ nghèo còn 19,3%.\n\nTỷ lệ hộ nghèo còn 19,3%.\n\
                    Đồng chí nói: Thực tiễn qua hơn 30 năm tái lập tỉnh, Lào Cai đã vươn lên, nhiệm kỳ 2020-2025, rồi tiếp.\n\
                    Qua hơn 30 năm tái lập tỉnh, Lào Cai đã vươn lên, nhiệm kỳ 2020-2025.\nback to top";
        let seg = segment(text);
        let got = texts(text);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].1, 2);
        assert_eq!(got[1].1, 2);
        assert_eq!(seg.furniture_lines, 1);
    }

    #[test]
    fn furniture_lines_and_trailing_furniture_are_not_text() {
        let text = "Bước tới nội dung\nTheo dõi Báo Lào Cai trên Google News\nXuất khẩu tăng 5%.back to top\nNhập khẩu giảm 2%. LÊN ĐẦU TRANG";
        assert_eq!(
            texts(text),
            vec![
                ("Xuất khẩu tăng 5%.".to_owned(), 1),
                ("Nhập khẩu giảm 2%.".to_owned(), 1)
            ]
        );
    }

    fn as_candidates(keys: &[String]) -> Vec<(Sentence, String)> {
        keys.iter()
            .map(|k| {
                let sentence = Sentence {
                    bytes: Span::new(0, k.len()),
                    paragraph: 0,
                    occurrences: 1,
                };
                (sentence, k.clone())
            })
            .collect()
    }

    proptest::proptest! {
        // Keys over two letters, a space and a two-byte letter, and keys joined from them, so
        // that keys hold one another (some more than once), share their first bytes, repeat,
        // or sit on both sides of the length limits.
        #[test]
        fn containment_matches_a_search_per_key(
            parts in proptest::collection::vec("[ab ầ]{0,36}", 1..8),
            joins in proptest::collection::vec(proptest::collection::vec(0usize..8, 1..4), 0..16),
        ) {
            let mut keys = parts.clone();
            for join in &joins {
                let joined: Vec<&str> = join.iter().map(|&p| parts[p % parts.len()].as_str()).collect();
                keys.push(joined.join(" "));
            }
            let candidates = as_candidates(&keys);
            let one_by_one = containment_holders_by(&candidates, usize::MAX);
            proptest::prop_assert_eq!(containment_holders_by(&candidates, 0), one_by_one.clone());
            proptest::prop_assert_eq!(containment_holders(&candidates), one_by_one);
        }
    }

    /// A holder that begins with the key's first bytes just before the key itself: the
    /// occurrences of the needle overlap, and the second is the one that holds the key (a
    /// search that resumed after the first find missed it).
    #[test]
    fn a_key_found_where_its_needle_overlaps_an_earlier_find() {
        let key = format!("{}c", "ab ".repeat(11));
        let holder = format!("ab {key}");
        let candidates = as_candidates(&[key, holder]);
        for per_key_max in [0, usize::MAX] {
            let pairs = containment_holders_by(&candidates, per_key_max);
            assert_eq!(pairs, vec![(0, 1)], "{per_key_max}");
        }
    }

    #[test]
    fn a_key_held_several_times_and_keys_sharing_a_needle_give_each_pair_once() {
        let short = "giá trị sản xuất công nghiệp tăng mạnh".to_owned();
        let other = "giá trị sản xuất công nghiệp giảm nhẹ".to_owned();
        let holder = format!("{short} trong quý, và {short} trong năm, còn {other} ở nơi khác");
        let candidates = as_candidates(&[short, other, holder]);
        for per_key_max in [0, usize::MAX] {
            let pairs = containment_holders_by(&candidates, per_key_max);
            assert_eq!(pairs, vec![(0, 2), (1, 2)], "{per_key_max}");
        }
    }
}
