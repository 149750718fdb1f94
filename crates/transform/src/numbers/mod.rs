//! The Vietnamese number grammar: [`scan`] finds every numeric expression of a text and types
//! it ([`MentionKind`]): values (percents, money, counts, ranges, ranks, multipliers, slash
//! pairs) with their units and comparators, and the numbers that are never values (years,
//! periods, dates, document numbers, enumerators, footnotes, congress numbers, photo labels,
//! times of day, phone numbers).
//!
//! ```
//! use chiso_model::{MentionKind, Unit, Comparator};
//! let text = "10 chỉ tiêu đạt hơn 70% trở lên";
//! let found = chiso_transform::numbers::scan(text);
//! assert_eq!(found[0].kind, MentionKind::Count);
//! assert_eq!(found[0].counted_noun.as_deref(), Some("chỉ tiêu"));
//! assert_eq!(found[1].text_in(text), "70%");
//! assert_eq!((found[1].value_low, found[1].unit, found[1].comparator),
//!            (Some(70.0), Some(Unit::Percent), Comparator::Ge));
//! ```
//!
//! How it works: [`token`] splits the text once into words, digit runs and punctuation with
//! byte and code-point offsets, looking each word up in the [`lexicon`] (the word tables under
//! `data/numbers/`). The scanner then walks the tokens; at each token that can start an
//! expression it tries, in order, the forms that are not values ([`noise`], [`time`]), the
//! keyword-led forms ([`ranks`]: "thứ 4/14", "gấp hai lần") and finally a value: a number
//! ([`digits`] or [`words`]) with its scale and unit ([`units`]), joined to a second number as
//! a range or slash pair ([`ranges`]).
//!
//! Spans cover the expression with its scale words, unit, percent sign and range partner, but
//! not the comparator words before it nor the counted noun after it. Keyword-led forms include
//! their keyword ("thứ 4/14", "quý I/2023", "tháng 10/2022", "ngày 29/3/2023", "Đại hội XIII",
//! "ảnh 1", "gấp hai lần"); a bare year or span of years is its digits ("2022", "2021-2025").

// No panics on any input (issue 10): the grammar returns `None` where a form does not fit;
// the one proven exception is the embedded tables' load in `lexicon::get`. Arithmetic on
// parsed numbers goes through `digits::finite`: no mention carries `inf` or `NaN`.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod digits;
pub(crate) mod lexicon;
mod noise;
mod ranges;
mod ranks;
mod time;
mod token;
mod units;
mod words;

use chiso_model::{Comparator, Mention, MentionKind, PeriodRef, Span};

use lexicon::{Keyword, Lexicon, UnitInfo, UnitKind};
use token::{Tok, TokKind};

/// The largest piece [`scan`] tokenizes at once: token offsets are `u32`. Pieces are cut at
/// line ends (about [`PIECE_BYTES`] each); only a line longer than this (far above
/// chiso-extract's 64 MiB source cap) is cut within.
pub const MAX_PIECE_BYTES: usize = u32::MAX as usize;

/// Every numeric expression in `text` (which the caller has NFC-normalised), in text order,
/// non-overlapping.
pub fn scan(text: &str) -> Vec<Mention> {
    scan_folded(text, &crate::lexicon::fold_case(text))
}

/// [`scan`] given `folded`, the text through [`fold_case`](crate::lexicon::fold_case) (the
/// linker has it for every document): the tokenizer looks words up there.
pub(crate) fn scan_folded(text: &str, folded: &str) -> Vec<Mention> {
    scan_in_pieces(text, folded, PIECE_BYTES, MAX_PIECE_BYTES)
}

/// The text the grammar tokenizes at once, about: a longer document is read in pieces of whole
/// lines, so that its tokens (24 bytes for every 3–4 bytes of text) never exist for all of it
/// (a 27.7 MB document's took 222 MB).
const PIECE_BYTES: usize = 1 << 20;

/// [`scan`] over pieces of whole lines, about `piece` bytes each (a longer line is a piece of
/// its own, cut at a character boundary only past `max_piece` bytes), with offsets made
/// relative to the whole text again. `folded` has the same length and character boundaries as
/// `text`, so it is cut alike. No expression spans a line break, so none spans two pieces.
fn scan_in_pieces(text: &str, folded: &str, piece: usize, max_piece: usize) -> Vec<Mention> {
    if text.len() <= piece {
        return scan_piece(text, folded);
    }
    let mut out = Vec::new();
    let (mut byte0, mut char0) = (0usize, 0usize);
    let mut rest = text;
    while !rest.is_empty() {
        let boundary = |mut cut: usize| {
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            cut
        };
        let mut cut = boundary(rest.len().min(piece.max(4)));
        if cut < rest.len() {
            cut = match rest[..cut].rfind('\n') {
                Some(nl) => nl + 1,
                None => {
                    let limit = boundary(rest.len().min(max_piece.max(piece).max(4)));
                    rest[cut..limit].find('\n').map_or(limit, |nl| cut + nl + 1)
                }
            };
        }
        let (piece, tail) = rest.split_at(cut);
        let folded_piece = match folded.get(byte0..byte0 + piece.len()) {
            Some(f) => std::borrow::Cow::Borrowed(f),
            None => std::borrow::Cow::Owned(crate::lexicon::fold_case(piece)),
        };
        for mut m in scan_piece(piece, &folded_piece) {
            m.bytes = Span::new(m.bytes.start + byte0, m.bytes.end + byte0);
            m.span = Span::new(m.span.start + char0, m.span.end + char0);
            out.push(m);
        }
        byte0 += piece.len();
        char0 += piece.chars().count();
        rest = tail;
    }
    // The mentions live while the document is linked, beside what is made of them: no room
    // left over from growing (up to as much again; a 27.7 MB document's took 92 MB).
    out.shrink_to_fit();
    out
}

/// [`scan`] of a text of at most [`MAX_PIECE_BYTES`] bytes.
fn scan_piece(text: &str, folded: &str) -> Vec<Mention> {
    let lex = lexicon::get();
    // Vietnamese syllables are short: about one token per 3-4 bytes.
    let mut toks = Vec::with_capacity(text.len() / 3 + 8);
    token::tokenize_folded(text, folded, lex, &mut toks);
    // Line by line: a line break ends a paragraph, and no expression spans one ("… năm 2023" at
    // the end of a line and "Tỷ lệ hộ nghèo …" opening the next are not "2023 tỷ").
    let mut out = Vec::new();
    let mut first = 0;
    while first < toks.len() {
        let end = toks[first + 1..]
            .iter()
            .position(|t| t.flags & token::LINE != 0)
            .map_or(toks.len(), |n| first + 1 + n);
        let mut scanner = Scanner {
            text,
            toks: &toks[first..end],
            lex,
            out,
        };
        scanner.run();
        out = scanner.out;
        first = end;
    }
    out
}

/// What a bare number shares with the last value of its list ([`Scanner::list_unit`]): a scale,
/// and a unit or a counted noun (with its unit).
type ListUnit = (
    f64,
    Option<&'static UnitInfo>,
    Option<(chiso_model::Unit, String)>,
);

/// A number with its scale and unit, before it is typed.
#[derive(Debug, Clone)]
struct Value {
    /// First token (the minus sign of a negative number).
    start: usize,
    /// One past the number and its scale words.
    num_end: usize,
    /// One past the unit (or `num_end`).
    end: usize,
    /// The value in base units (scale applied).
    value: f64,
    /// Product of the scale words (1 when none).
    scale: f64,
    /// Digits after the decimal mark.
    frac_digits: u32,
    unit: Option<&'static UnitInfo>,
    reading: Option<&'static str>,
    /// A single digit run: its integer and digit count.
    plain: Option<(u64, usize)>,
    /// Spelled out in words.
    spelled: bool,
    /// A lone digit word ("ba", "sáu"), not a compound.
    lone_word: bool,
    /// A comma + 3 digits read as decimal (see `digits`).
    comma3: bool,
}

impl Value {
    /// A plain integer in `lo..=hi` with no scale and no unit.
    fn plain_in(&self, lo: u64, hi: u64) -> Option<u64> {
        match (self.plain, self.unit, self.scale == 1.0) {
            (Some((v, _)), None, true) if (lo..=hi).contains(&v) => Some(v),
            _ => None,
        }
    }

    /// A 4-digit year 1900..=2100 with no scale and no unit.
    fn year(&self) -> Option<i32> {
        match self.plain {
            Some((v, 4))
                if self.unit.is_none() && self.scale == 1.0 && (1900..=2100).contains(&v) =>
            {
                Some(v as i32)
            }
            _ => None,
        }
    }
}

struct Scanner<'a> {
    text: &'a str,
    toks: &'a [Tok],
    lex: &'static Lexicon,
    out: Vec<Mention>,
}

impl<'a> Scanner<'a> {
    fn run(&mut self) {
        let mut i = 0;
        while i < self.toks.len() {
            i = match self.at(i) {
                Some(next) if next > i => next,
                _ => i + 1,
            };
        }
    }

    /// Tries every form at token `i`; the token after what was read.
    fn at(&mut self, i: usize) -> Option<usize> {
        let t = self.toks[i];
        match t.kind {
            TokKind::Punct => {
                if t.is('[') {
                    return self.footnote(i);
                }
                if (t.is('(') || t.is('+'))
                    && let Some(n) = self.paren_enumerator(i).or_else(|| self.phone(i))
                {
                    return Some(n);
                }
                if t.is_dash() && self.toks.get(i + 1).is_some_and(|n| n.kind == TokKind::Num) {
                    return self.value_expr(i);
                }
                None
            }
            TokKind::Num => {
                if self.identifier_digits(i) {
                    return Some(self.glued_run_end(i));
                }
                self.line_enumerator(i)
                    .or_else(|| self.document_number(i))
                    .or_else(|| self.phone(i))
                    .or_else(|| self.time_of_day(i))
                    .or_else(|| self.numeric_date(i))
                    .or_else(|| self.word_date(i))
                    .or_else(|| self.year_span(i))
                    .or_else(|| self.value_expr(i))
            }
            TokKind::Word => {
                if !self.lex.is_starter(t.word) {
                    return None;
                }
                self.ordinal(i)
                    .or_else(|| self.photo_label(i))
                    .or_else(|| self.quarter(i))
                    .or_else(|| self.month(i))
                    .or_else(|| self.part_of_year(i))
                    .or_else(|| self.day_date(i))
                    .or_else(|| self.rank(i))
                    .or_else(|| self.first_place(i))
                    .or_else(|| self.multiplier(i))
                    .or_else(|| self.word_enumerator(i))
                    .or_else(|| self.value_expr(i))
            }
        }
    }

    // ----- small helpers shared by the concept files -----

    /// The text of token `j` ("" past the end).
    fn tok_text(&self, j: usize) -> &'a str {
        self.toks
            .get(j)
            .map_or("", |t| &self.text[t.b0 as usize..t.b1 as usize])
    }

    fn is_kw(&self, j: usize, kw: Keyword) -> bool {
        self.toks.get(j).is_some_and(|t| self.lex.is(t.word, kw))
    }

    fn punct(&self, j: usize, c: char) -> bool {
        self.toks.get(j).is_some_and(|t| t.is(c))
    }

    /// Whether token `j` joins two items of a list: "," or "và".
    fn joins_list(&self, j: usize) -> bool {
        self.punct(j, ',') || self.tok_text(j).eq_ignore_ascii_case("và")
    }

    /// Integer value of a `Num` token of at most `max_len` digits.
    fn small_int(&self, j: usize, max_len: usize) -> Option<u32> {
        let t = self
            .toks
            .get(j)
            .filter(|t| t.kind == TokKind::Num && t.len() <= max_len)?;
        self.text[t.b0 as usize..t.b1 as usize].parse().ok()
    }

    /// A 4-digit year 1900..=2100 at token `j`.
    fn year_tok(&self, j: usize) -> Option<i32> {
        let v = self.small_int(j, 4)?;
        (self.toks[j].len() == 4 && (1900..=2100).contains(&v)).then_some(v as i32)
    }

    /// Whether token `j` starts a sentence or a line (or follows an opening mark).
    fn sentence_start(&self, j: usize) -> bool {
        if j == 0 || self.toks[j].line_start() {
            return true;
        }
        let p = &self.toks[j - 1];
        p.kind == TokKind::Punct
            && matches!(
                p.ch,
                '.' | ';' | ':' | '!' | '?' | '"' | '“' | '(' | '-' | '–' | '…'
            )
    }

    /// Pushes a mention over tokens `a..b` and returns it for filling in.
    fn emit(&mut self, kind: MentionKind, a: usize, b: usize) -> &mut Mention {
        let (s, e) = (&self.toks[a], &self.toks[b - 1]);
        let bytes = Span::new(s.b0 as usize, e.b1 as usize);
        let span = Span::new(s.c0 as usize, e.c1 as usize);
        let m = Mention::new(kind, span, bytes);
        self.out.push(m);
        let last = self.out.len() - 1;
        &mut self.out[last]
    }

    /// Pushes a mention with no value.
    fn emit_plain(
        &mut self,
        kind: MentionKind,
        a: usize,
        b: usize,
        period: Option<PeriodRef>,
    ) -> usize {
        self.emit(kind, a, b).period = period;
        b
    }

    // ----- values -----

    /// A number at token `i` with its scale words and unit.
    fn value_at(&self, i: usize) -> Option<Value> {
        let t = self.toks.get(i)?;
        let (negative, num_i) = if t.is_dash() {
            let n = self.toks.get(i + 1)?;
            let prev_ok = i == 0
                || t.line_start()
                || (t.spaced()
                    && !self.toks[i - 1].is('%')
                    && self.toks[i - 1].kind != TokKind::Num)
                || self.toks[i - 1].is(':')
                || self.toks[i - 1].is('(');
            if n.kind != TokKind::Num || n.spaced() || !prev_ok {
                return None;
            }
            (true, i + 1)
        } else {
            (false, i)
        };
        let tok = &self.toks[num_i];
        let (mut value, mut j, reading, plain, spelled, lone_word, comma3, frac_digits) =
            match tok.kind {
                TokKind::Num => {
                    let lit = digits::literal(self.text, self.toks, num_i)?;
                    (
                        lit.value,
                        lit.end,
                        lit.reading,
                        lit.plain,
                        false,
                        false,
                        lit.comma3,
                        lit.frac_digits,
                    )
                }
                TokKind::Word => {
                    if self
                        .lex
                        .keyword_before(self.toks, i, Keyword::IdiomPrev)
                        .is_some()
                    {
                        return None;
                    }
                    let w = words::spelled(self.lex, self.toks, i, false)
                        .or_else(|| self.lone_five(i))?;
                    (w.value, w.end, None, None, true, !w.compound, false, 0)
                }
                TokKind::Punct => return None,
            };
        let scale = if spelled {
            1.0
        } else {
            let (scale, after) = units::scales(self.lex, self.toks, j);
            j = after;
            scale
        };
        value = digits::scaled(value, frac_digits, scale);
        let (mut value, scale, j) = if scale > 1.0 && frac_digits == 0 && !spelled {
            self.compound(value, scale, j)
        } else {
            (value, scale, j)
        };
        let mut j = j;
        let num_end = j;
        let mut unit = None;
        if let Some((end, info)) = units::unit_at(self.lex, self.toks, j) {
            unit = Some(info);
            j = end;
        }
        if negative {
            value = -value;
        }
        Some(Value {
            start: i,
            num_end,
            end: j,
            value: digits::finite(value)?,
            scale,
            frac_digits,
            unit,
            reading: reading.or_else(|| unit.and_then(|u| u.reading.as_deref())),
            plain: if negative || scale != 1.0 {
                None
            } else {
                plain
            },
            spelled,
            lone_word,
            comma3,
        })
    }

    /// A number of one scale continued by whole numbers of others, from token `j` after its
    /// scale words: "1 tỷ 250 triệu" (1 250 000 000), "1 triệu 200 nghìn", "2 tỷ 300 triệu 500
    /// nghìn"; and "10 nghìn 250 tỷ" (10 250 tỷ: the thousands of the larger scale after). Each
    /// part is smaller than the scale before it. The value, its largest scale and the token
    /// after the parts.
    fn compound(&self, mut value: f64, scale: f64, mut j: usize) -> (f64, f64, usize) {
        let (mut last, mut top) = (scale, scale);
        let mut first = true;
        while let Some(t) = self.toks.get(j) {
            if t.kind != TokKind::Num || !t.spaced() {
                break;
            }
            let Some(lit) = digits::literal(self.text, self.toks, j) else {
                break;
            };
            if lit.frac_digits != 0 || lit.plain.is_none() || lit.reading.is_some() {
                break;
            }
            let (next, after) = units::scales(self.lex, self.toks, lit.end);
            if next <= 1.0 {
                break;
            }
            let part = lit.value * next;
            if next < last && part < last {
                value += part;
                last = next;
            } else if first && last == 1e3 && next > last && lit.value < last {
                // "10 nghìn 250 tỷ": 10 250 of the larger scale.
                value = (value + lit.value) * next;
                last = next;
                top = next;
            } else {
                break;
            }
            first = false;
            j = after;
        }
        (value, top, j)
    }

    /// A value expression at token `i`: a single value, a range or a slash pair.
    fn value_expr(&mut self, i: usize) -> Option<usize> {
        let v = self.value_at(i)?;
        if v.spelled && !self.spelled_is_value(&v) {
            return None;
        }
        if let Some(next) = self.months_period(&v) {
            return Some(next);
        }
        if let Some(next) = self.range(&v) {
            return Some(next);
        }
        if let Some(next) = self.slash(&v) {
            return Some(next);
        }
        // "năm 2021 tỉnh đón …": after "năm" a year, whatever noun follows (not "mỗi năm 1950
        // hộ thoát nghèo", "Trong 5 năm 2000 hộ …": years counted).
        if let Some(y) = v.year()
            && (units::noun_at(self.lex, self.text, self.toks, v.end).is_none()
                || v.start.checked_sub(1).is_some_and(|k| {
                    self.is_kw(k, Keyword::Year)
                        && !k.checked_sub(1).is_some_and(|e| {
                            self.toks[e].kind == TokKind::Num
                                || self.lex.number(self.toks[e].word).is_some()
                                || matches!(
                                    self.tok_text(e).to_lowercase().as_str(),
                                    "mỗi" | "hằng" | "hàng" | "các" | "những"
                                )
                        })
                }))
        {
            let period = Some(PeriodRef::Fixed(chiso_model::Period::Year(y)));
            return Some(self.emit_plain(MentionKind::Year, v.start, v.end, period));
        }
        Some(self.single(v))
    }

    /// "năm" read as five: before a unit ("năm phần trăm") or a counted noun that is not a
    /// time noun ("năm tỉnh"); "năm 2022", "hai năm", "năm nay" are years.
    fn lone_five(&self, i: usize) -> Option<words::Spelled> {
        let t = &self.toks[i];
        if t.word != self.lex.id_of("năm") {
            return None;
        }
        let unit = units::unit_at(self.lex, self.toks, i + 1).is_some();
        let noun = units::noun_at(self.lex, self.text, self.toks, i + 1)
            .is_some_and(|(_, _, n)| !units::is_time_noun(&n));
        if !(unit || noun) || self.toks.get(i + 1).is_some_and(|n| n.glued()) {
            return None;
        }
        Some(words::Spelled {
            start: i,
            end: i + 1,
            value: 5.0,
            words: 1,
            compound: false,
            scaled: false,
        })
    }

    /// Whether a spelled-out number stands as a value here (see `words` for "năm").
    fn spelled_is_value(&self, v: &Value) -> bool {
        if self
            .lex
            .keyword_at(self.toks, v.num_end, Keyword::IdiomNext)
            .is_some()
        {
            return false;
        }
        if !v.lone_word {
            return true;
        }
        // A lone digit word: only with a unit or a counted noun, and never "một" alone.
        if self.tok_text(v.start).to_lowercase() == "một" {
            return false;
        }
        v.unit.is_some() || units::noun_at(self.lex, self.text, self.toks, v.end).is_some()
    }

    /// Types and emits a single value; the token after it (and its counted noun).
    fn single(&mut self, v: Value) -> usize {
        let mut end = v.end;
        let mut noun = None;
        if v.unit.is_none()
            && let Some((e, unit, n)) = units::noun_at(self.lex, self.text, self.toks, v.end)
        {
            noun = Some((unit, n));
            end = e;
        }
        let (mut value, mut reading) = (v.value, v.reading);
        // "lần lượt tăng 8,5 và 7,2%", "đạt 2,1 và 1,5 tỷ USD", "có 62.800 và 31.800 doanh
        // nghiệp": a bare number listed before a value with a unit or a counted noun shares its
        // scale and unit (or noun).
        let mut v = v;
        if v.unit.is_none()
            && noun.is_none()
            && let Some((scale, unit, shared)) = self.list_unit(&v)
        {
            value = digits::finite(digits::scaled(v.value, v.frac_digits, scale)).unwrap_or(value);
            v.unit = unit;
            noun = shared;
            reading = Some("scale and unit shared with the list's last value");
        }
        if v.comma3
            && noun.as_ref().is_some_and(|(_, n)| !units::is_time_noun(n))
            && let Some(thousands) = digits::finite((value * 1000.0).round())
        {
            value = thousands;
            reading = Some("comma read as thousands separator (a whole count follows)");
        }
        // "hai năm rưỡi": a half after a time noun.
        if noun.as_ref().is_some_and(|(_, n)| units::is_time_noun(n))
            && self
                .toks
                .get(end)
                .is_some_and(|t| matches!(self.lex.number(t.word), Some(lexicon::NumberRole::Half)))
        {
            value += 0.5;
            reading = Some("rưỡi after the noun adds a half");
            end += 1;
        }
        let (kind, unit) = match (v.unit, &noun) {
            (Some(u), _) => (unit_kind(u.kind), Some(u.unit)),
            (None, Some((u, _))) => (MentionKind::Count, Some(*u)),
            (None, None) => (MentionKind::Number, None),
        };
        if kind == MentionKind::RankChange
            && self
                .lex
                .keyword_before(self.toks, v.start, Keyword::RankDown)
                .is_some()
        {
            value = -value;
        }
        let comparator = self.comparator(v.start, end);
        let m = self.emit(kind, v.start, v.end);
        m.value_low = Some(value);
        m.value_high = Some(value);
        m.unit = unit;
        m.comparator = comparator.0;
        m.counted_noun = noun.map(|(_, n)| n.into_boxed_str());
        m.reading = reading;
        comparator.1
    }

    /// The scale, unit and counted noun a bare number `v` shares with the last value of the list
    /// it opens ("8,5 và 7,2%", "2,1, 1,8 và 1,5 tỷ USD", "62.800 và 31.800 doanh nghiệp"):
    /// values of digits joined by "," or "và", the last with a unit or a counted noun that is no
    /// time noun ("5 và 10 năm" are durations).
    fn list_unit(&self, v: &Value) -> Option<ListUnit> {
        if v.spelled || v.scale != 1.0 || v.year().is_some() {
            return None;
        }
        let mut at = v.end;
        for _ in 0..8 {
            if !self.joins_list(at) {
                return None;
            }
            let next = at + 1;
            if self.toks.get(next)?.kind != TokKind::Num {
                return None;
            }
            let w = self.value_at(next)?;
            if w.unit.is_some() {
                return Some((w.scale, w.unit, None));
            }
            if let Some((_, unit, n)) = units::noun_at(self.lex, self.text, self.toks, w.end) {
                return (w.scale == 1.0 && !units::is_time_noun(&n)).then_some((
                    1.0,
                    None,
                    Some((unit, n)),
                ));
            }
            if w.scale != 1.0 {
                return None;
            }
            at = w.end;
        }
        None
    }

    /// The comparator of an expression spanning tokens `start..end` (plus its noun): words
    /// before, overridden by "trở lên"/"trở xuống" after; and the token after those words.
    fn comparator(&self, start: usize, end: usize) -> (Comparator, usize) {
        let floor = start.saturating_sub(4);
        let mut c = self
            .lex
            .comparators_before
            .longest_ending_at(self.toks, start, floor)
            .map_or(Comparator::Eq, |(_, c)| *c);
        let mut after = end;
        if let Some((n, c2)) = self.lex.comparators_after.longest_at(self.toks, end) {
            c = *c2;
            after = end + n;
        }
        (c, after)
    }

    /// Whether the `Num` token `i` is part of a name or code glued to letters ("Covid-19",
    /// "GMT+7", "QH14").
    fn identifier_digits(&self, i: usize) -> bool {
        let t = &self.toks[i];
        if t.spaced() || i == 0 {
            return false;
        }
        let p = &self.toks[i - 1];
        if p.kind == TokKind::Word {
            return true;
        }
        p.kind == TokKind::Punct
            && (p.is_dash() || p.is('+'))
            && i >= 2
            && p.glued()
            && self.toks[i - 2].kind == TokKind::Word
    }

    /// The end of the run of tokens glued to token `i` (digits, letters, '-', '.', '/').
    fn glued_run_end(&self, i: usize) -> usize {
        let mut j = i + 1;
        while let Some(t) = self.toks.get(j) {
            let part = t.kind != TokKind::Punct || t.is_dash() || t.is('/') || t.is('.');
            if t.spaced() || !part {
                break;
            }
            // A trailing '.' or '-' ends the run.
            if t.kind == TokKind::Punct
                && !self
                    .toks
                    .get(j + 1)
                    .is_some_and(|n| n.glued() && n.kind != TokKind::Punct)
            {
                break;
            }
            j += 1;
        }
        j
    }
}

fn unit_kind(k: UnitKind) -> MentionKind {
    match k {
        UnitKind::Percent => MentionKind::Percent,
        UnitKind::PercentagePoints => MentionKind::PercentagePoints,
        UnitKind::Money => MentionKind::Money,
        UnitKind::Quantity => MentionKind::Quantity,
        UnitKind::Multiplier => MentionKind::Multiplier,
        UnitKind::RankChange => MentionKind::RankChange,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// No expression spans a line break: pieces of any size cut at line ends read as the
        /// whole text does. Lines of numbers, units, dates, ranges and the words that join them.
        #[test]
        fn no_expression_spans_a_line_break(
            lines in proptest::collection::vec(
                "([0-9]{1,4}|[0-9]{1,3}[.,][0-9]{1,3}| |-|–|/|%|,|\\.|:|\\(|\\)|năm|tháng|quý|I|II|tỷ|Tỷ lệ|triệu|đồng|USD|ha|tấn|lần|thứ|từ|đến|khoảng|hơn|ngày|giai đoạn|\u{a0}){0,14}",
                0..8,
            ),
            piece in 1usize..120,
        ) {
            let text = lines.join("\n");
            let folded = crate::lexicon::fold_case(&text);
            // Pieces hold whole lines, a line longer than a piece whole.
            let whole = scan_piece(&text, &folded);
            proptest::prop_assert!(whole.iter().all(|m| !m.text_in(&text).contains('\n')), "{:?}", whole);
            proptest::prop_assert_eq!(scan_in_pieces(&text, &folded, piece, MAX_PIECE_BYTES), whole);
        }
    }

    /// The words around a value are read on its line only, as its sentence is: a comparator
    /// ending the line above does not qualify it.
    #[test]
    fn a_value_takes_its_comparator_from_its_own_line() {
        let on_its_line = scan("Doanh thu đạt hơn 5 tỷ đồng.");
        let below = scan("Doanh thu đạt hơn\n5 tỷ đồng.");
        assert_eq!(on_its_line.len(), 1, "{on_its_line:?}");
        assert_eq!(below.len(), 1, "{below:?}");
        assert_eq!(on_its_line[0].comparator, Comparator::Gt);
        assert_eq!(below[0].comparator, Comparator::Eq);
        assert_eq!(below[0].value_low, on_its_line[0].value_low);
    }

    /// Reading in pieces cut at line ends gives the same mentions, at the same offsets of the
    /// whole text, as reading at once (the pieces are small here to exercise the cut).
    #[test]
    fn pieces_give_the_same_mentions_as_one_read() {
        let text = "Năm 2022 GRDP tăng 9,02%, thu ngân sách đạt 5.125 tỷ đồng.\n".repeat(40)
            + "Tỷ lệ hộ nghèo còn 19,3%; đứng thứ 4/14 tỉnh.\n";
        let whole = scan(&text);
        let folded = crate::lexicon::fold_case(&text);
        for piece in [10, 100, 200, 1000] {
            let pieces = scan_in_pieces(&text, &folded, piece, MAX_PIECE_BYTES);
            assert_eq!(pieces, whole, "pieces of {piece} bytes");
        }
        // A line longer than the grammar's limit is cut at a character boundary and never
        // panics: every mention's bytes are a slice of the text.
        let long = "tỷ lệ ".repeat(100);
        let found = scan_in_pieces(&long, &crate::lexicon::fold_case(&long), 7, 7);
        assert!(
            found
                .iter()
                .all(|m| long.get(m.bytes.start..m.bytes.end).is_some())
        );
    }
}
