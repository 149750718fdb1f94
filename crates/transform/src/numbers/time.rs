//! Years, quarters, months, dates and spans of years: what a value is *about*, never a value.
//!
//! - A 4-digit number 1900..=2100 with no unit or counted noun is a year ("năm 2022",
//!   "các năm 2021, 2022"); two joined by a dash are a span ("giai đoạn 2021-2025",
//!   "2020 - 2025").
//! - "quý I/2023", "quý 1/2022", "quý I năm 2023" are fixed quarters; "Quý III" alone is a
//!   quarter of a year given elsewhere.
//! - "tháng 10/2022", "tháng 10-2012", "tháng 5.2015", "tháng 10 năm 2022" are fixed months;
//!   "tháng 10" alone is a month of a year given elsewhere.
//! - "6 tháng đầu năm [2024]" is months 1..6, "6 tháng cuối năm" months 7..12, "9 tháng năm
//!   2024" and "10 tháng 2025" months 1..n of that year (cumulative, as statistics offices
//!   report). So are "7 tháng qua" / "9 tháng vừa qua" (the months just past) and "N tháng"
//!   after a cumulative cue ("bình quân 6 tháng", "trong 9 tháng", "lũy kế 10 tháng") unless
//!   a duration word follows ("trong 3 tháng tới", "6 tháng liên tiếp"), and "N tháng" before
//!   "của" ("6 tháng của Lào Cai") or opening a sentence before a comma ("9 tháng, …"); the cue
//!   words are `months_*` in `keywords.toml`. "3 tháng" alone is a count of months.
//! - "nửa đầu năm [2024]" is months 1..6, "nửa cuối năm" months 7..12, "quý đầu năm" and
//!   "quý cuối năm" the first and fourth quarters, "tháng đầu năm" January (not "những tháng
//!   đầu năm", the first months).
//! - "29/3/2023", "ngày 29/03/2023", "ngày 15 tháng 10 năm 2020", "ngày 15-10", "Chiều 25-9"
//!   are dates (no value, no period).

use chiso_model::{MentionKind, Period, PeriodRef};

use super::lexicon::{Keyword, NumberRole};
use super::token::{TokKind, UPPER};
use super::{Scanner, Value};

/// Roman numerals I..=XXXIX (quarters, congresses, terms).
pub(crate) fn roman(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 8 {
        return None;
    }
    let mut total = 0u32;
    let mut prev = 0u32;
    for c in s.chars().rev() {
        let v = match c {
            'I' => 1,
            'V' => 5,
            'X' => 10,
            'L' => 50,
            'C' => 100,
            _ => return None,
        };
        if v < prev {
            total = total.checked_sub(v)?;
        } else {
            total += v;
            prev = v;
        }
    }
    Some(total)
}

impl Scanner<'_> {
    /// A date written with digits at token `i`: "29/3/2023", "09/04/2024", "15.10.2020"; and
    /// "25-9" or "30/12" after a date word ("Chiều 25-9", "Ngày 30/12").
    pub(super) fn numeric_date(&mut self, i: usize) -> Option<usize> {
        let d = self.small_int(i, 2)?;
        let sep = self
            .toks
            .get(i + 1)
            .filter(|t| t.glued() && (t.is('/') || t.is_dash() || t.is('.')))?;
        let sep_ch = sep.ch;
        let mo = self
            .small_int(i + 2, 2)
            .filter(|_| self.toks[i + 2].glued())?;
        if !(1..=31).contains(&d) || !(1..=12).contains(&mo) {
            return None;
        }
        let has_year = self
            .toks
            .get(i + 3)
            .is_some_and(|t| t.glued() && t.ch == sep_ch && t.kind == TokKind::Punct)
            && self.toks.get(i + 4).is_some_and(|t| {
                t.glued() && t.kind == TokKind::Num && (t.len() == 4 || t.len() == 2)
            });
        if has_year {
            // "30/6/23": a two-digit year is not guessed, so the day has no period.
            let period = self
                .year_tok(i + 4)
                .and_then(|year| day_period(Some(year), mo, d));
            return Some(self.emit_plain(MentionKind::Date, i, i + 5, period));
        }
        // d/m or d-m without a year: only after a date word.
        if sep_ch != '.'
            && self
                .lex
                .keyword_before(self.toks, i, Keyword::DateCue)
                .is_some()
        {
            let period = day_period(None, mo, d);
            return Some(self.emit_plain(MentionKind::Date, i, i + 3, period));
        }
        None
    }

    /// A date in words without "ngày" before it: "31 tháng 12 năm 2022", "30 tháng 6/2023" (a
    /// day of a month of a year; without the year it stays a count and a month: "30 tháng 6"
    /// may be thirty months).
    pub(super) fn word_date(&mut self, i: usize) -> Option<usize> {
        if !self.is_kw(i + 1, Keyword::Month)
            || !self.toks.get(i + 2).is_some_and(|t| t.spaced())
            || (self.toks[i].glued() && i > 0)
        {
            return None;
        }
        let d = self.small_int(i, 2).filter(|d| (1..=31).contains(d))?;
        let mo = self.small_int(i + 2, 2).filter(|m| (1..=12).contains(m))?;
        let (year, end) = self.year_suffix(i + 3)?;
        let period = day_period(Some(year), mo, d)?;
        Some(self.emit_plain(MentionKind::Date, i, end, Some(period)))
    }

    /// "2021-2025", "2020 - 2025": a span of years.
    pub(super) fn year_span(&mut self, i: usize) -> Option<usize> {
        let from = self.year_tok(i)?;
        if !self.toks.get(i + 1).is_some_and(|t| t.is_dash()) {
            return None;
        }
        let to = self.year_tok(i + 2)?;
        if to <= from
            || self
                .toks
                .get(i + 3)
                .is_some_and(|t| t.glued() && (t.is('/') || t.is_dash()))
        {
            return None;
        }
        let period = Some(PeriodRef::Fixed(Period::Years { from, to }));
        Some(self.emit_plain(MentionKind::Period, i, i + 3, period))
    }

    /// "6 tháng đầu năm 2024", "9 tháng năm 2024", "10 tháng 2025", "6 tháng cuối năm".
    pub(super) fn months_period(&mut self, v: &Value) -> Option<usize> {
        let n = if v.spelled {
            (v.unit.is_none() && v.value.fract() == 0.0).then_some(v.value as u64)
        } else {
            v.plain_in(1, 12)
        }?;
        if !(1..=12).contains(&n) || v.unit.is_some() {
            return None;
        }
        let n = n as u8;
        let mut j = v.num_end;
        if !self.is_kw(j, Keyword::Month) {
            return None;
        }
        j += 1;
        let mut part = None; // Some(true) = first n months, Some(false) = last n
        if self.is_kw(j, Keyword::FirstPart) && self.is_kw(j + 1, Keyword::Year) {
            part = Some(true);
            j += 2;
        } else if self.is_kw(j, Keyword::LastPart) && self.is_kw(j + 1, Keyword::Year) {
            part = Some(false);
            j += 2;
        } else if self.is_kw(j, Keyword::Year)
            && (self.year_tok(j + 1).is_some() || self.is_kw(j + 1, Keyword::NamedYear))
        {
            j += 1;
        } else if let Some(n) = self.lex.keyword_at(self.toks, j, Keyword::MonthsPast) {
            // "7 tháng qua": the months just past.
            part = Some(true);
            j += n;
        } else if self.year_tok(j).is_none() {
            // "bình quân 6 tháng", "trong 9 tháng", "… 10 tháng ước đạt": months 1..n unless a
            // duration is meant ("trong 3 tháng tới").
            let cumulative = self
                .lex
                .keyword_before(self.toks, v.start, Keyword::MonthsCumulative)
                .is_some()
                || self.listed_after_period(v.start)
                // "9 tháng, thu ngân sách …".
                || (self.sentence_start(v.start) && self.punct(j, ','))
                || (self
                    .lex
                    .keyword_at(self.toks, j, Keyword::MonthsStated)
                    // "có 3 tháng tăng liên tiếp": a count of months.
                    .is_some_and(|n| {
                        self.lex
                            .keyword_at(self.toks, j + n, Keyword::MonthsDuration)
                            .is_none()
                    })
                    && self
                        .lex
                        .keyword_before(self.toks, v.start, Keyword::MonthsDurationBefore)
                        .is_none());
            if !cumulative
                || self
                    .lex
                    .keyword_at(self.toks, j, Keyword::MonthsDuration)
                    .is_some()
            {
                return None;
            }
            part = Some(true);
        }
        let (from, to) = if part == Some(false) {
            (13 - n, 12)
        } else {
            (1, n)
        };
        let mut period = PeriodRef::Months { from, to };
        if let Some(year) = self.year_tok(j) {
            period = PeriodRef::Fixed(Period::months(year, from, to));
            j += 1;
        } else if self.is_kw(j, Keyword::NamedYear) && part.is_none() {
            j += 1;
        }
        Some(self.emit_plain(MentionKind::Period, v.start, j, Some(period)))
    }

    /// Whether token `i` follows a period in a list: "quý III và 9 tháng", "tháng 10, 10 tháng
    /// và cả năm" (a "," or "và" right after a period or year read just before).
    fn listed_after_period(&self, i: usize) -> bool {
        let Some(sep) = i.checked_sub(1).and_then(|j| self.toks.get(j)) else {
            return false;
        };
        if !self.joins_list(i - 1) {
            return false;
        }
        self.out.last().is_some_and(|p| {
            matches!(p.kind, MentionKind::Period | MentionKind::Year)
                && p.period.is_some()
                && self
                    .text
                    .get(p.bytes.end..sep.b0 as usize)
                    .is_some_and(|gap| gap.trim().is_empty())
        })
    }

    /// A year after token `j`: "/2023", "-2012", ".2015" (glued) or "năm 2023"; its value and
    /// the token after it.
    fn year_suffix(&self, j: usize) -> Option<(i32, usize)> {
        let t = self.toks.get(j)?;
        if t.glued()
            && (t.is('/') || t.is_dash() || t.is('.'))
            && self.toks.get(j + 1).is_some_and(|n| n.glued())
        {
            return self.year_tok(j + 1).map(|y| (y, j + 2));
        }
        if self.is_kw(j, Keyword::Year) {
            return self.year_tok(j + 1).map(|y| (y, j + 2));
        }
        None
    }

    /// "quý I/2023", "quý 1/2022", "quý I năm 2023", "Quý III".
    pub(super) fn quarter(&mut self, i: usize) -> Option<usize> {
        if !self.is_kw(i, Keyword::Quarter) {
            return None;
        }
        let t = self.toks.get(i + 1)?;
        let q = match t.kind {
            TokKind::Word if t.flags & super::token::CAPS != 0 => roman(self.tok_text(i + 1))?,
            TokKind::Num if t.len() == 1 => self.small_int(i + 1, 1)?,
            _ => return None,
        };
        if !(1..=4).contains(&q) {
            return None;
        }
        let q = q as u8;
        let (period, end) = match self.year_suffix(i + 2) {
            Some((year, end)) => (PeriodRef::Fixed(Period::Quarter { year, q }), end),
            None => (PeriodRef::Quarter(q), i + 2),
        };
        Some(self.emit_plain(MentionKind::Period, i, end, Some(period)))
    }

    /// "tháng 10/2022", "tháng 10-2012", "tháng 5.2015", "tháng 10 năm 2022", "tháng 10".
    pub(super) fn month(&mut self, i: usize) -> Option<usize> {
        if !self.is_kw(i, Keyword::Month) || !self.toks.get(i + 1).is_some_and(|t| t.spaced()) {
            return None;
        }
        let (month, after) = match self.small_int(i + 1, 2) {
            Some(m) => ((1..=12).contains(&m).then_some(m as u8)?, i + 2),
            None => self.month_word(i + 1)?,
        };
        let (period, end) = match self.year_suffix(after) {
            Some((year, end)) => (PeriodRef::Fixed(Period::Month { year, month }), end),
            None => (PeriodRef::Month(month), after),
        };
        Some(self.emit_plain(MentionKind::Period, i, end, Some(period)))
    }

    /// "nửa đầu năm" or "nửa năm đầu" (months 1..6), "nửa cuối năm" (7..12), "quý đầu năm" (the
    /// first quarter), "quý cuối năm" (the fourth), "tháng đầu năm" (January), "tháng cuối năm"
    /// (December), with their year when it follows ("nửa đầu năm 2024"); not "những tháng đầu năm", "các quý đầu
    /// năm", the first months or quarters.
    pub(super) fn part_of_year(&mut self, i: usize) -> Option<usize> {
        // "nửa đầu năm", or "nửa năm đầu" (a half only).
        let part = if self.is_kw(i + 2, Keyword::Year) {
            i + 1
        } else if self.is_kw(i, Keyword::Half) && self.is_kw(i + 1, Keyword::Year) {
            i + 2
        } else {
            return None;
        };
        let first = if self.is_kw(part, Keyword::FirstPart) {
            true
        } else if self.is_kw(part, Keyword::LastPart) {
            false
        } else {
            return None;
        };
        // "những tháng đầu năm", "các quý đầu năm": the first months or quarters.
        let plural = i.checked_sub(1).is_some_and(|j| {
            matches!(
                self.tok_text(j).to_lowercase().as_str(),
                "những" | "các" | "mấy" | "vài" | "mọi" | "nhiều"
            ) || self.toks[j].kind == TokKind::Num
        });
        let period = if self.is_kw(i, Keyword::Half) {
            if first {
                PeriodRef::Months { from: 1, to: 6 }
            } else {
                PeriodRef::Months { from: 7, to: 12 }
            }
        } else if plural {
            return None;
        } else if self.is_kw(i, Keyword::Quarter) {
            PeriodRef::Quarter(if first { 1 } else { 4 })
        } else if self.is_kw(i, Keyword::Month) {
            PeriodRef::Month(if first { 1 } else { 12 })
        } else {
            return None;
        };
        let (period, end) = match self.year_tok(i + 3) {
            Some(year) => (PeriodRef::Fixed(period.resolve(year)), i + 4),
            None => (period, i + 3),
        };
        Some(self.emit_plain(MentionKind::Period, i, end, Some(period)))
    }

    /// A month named in words after "tháng", and the token after it: capitalised numbers,
    /// "Sáu", "Tư", "Mười Hai" ("tháng năm 2024" is months and a year, "tháng Năm" May), and
    /// "Giêng" with its year ("tháng Giêng năm 2024"; alone, and "tháng Chạp", the lunar
    /// months of Tết are meant as often).
    fn month_word(&self, j: usize) -> Option<(u8, usize)> {
        let text = self.tok_text(j);
        if matches!(text, "giêng" | "Giêng" | "GIÊNG") {
            return self.year_suffix(j + 1).map(|_| (1, j + 1));
        }
        // Most words after "tháng" are lower case ("tháng trước", "tháng này"): no copy for them.
        if self.toks.get(j)?.flags & UPPER == 0 {
            return None;
        }
        let n = match text.to_lowercase().as_str() {
            "một" => 1,
            "hai" => 2,
            "ba" => 3,
            "tư" => 4,
            "năm" => 5,
            "sáu" => 6,
            "bảy" | "bẩy" => 7,
            "tám" => 8,
            "chín" => 9,
            "mười" => 10,
            _ => return None,
        };
        if n == 10 {
            match self.tok_text(j + 1).to_lowercase().as_str() {
                "một" => return Some((11, j + 2)),
                "hai" => return Some((12, j + 2)),
                _ => {}
            }
        }
        Some((n, j + 1))
    }

    /// "ngày 29/03/2023", "ngày 15-10", "ngày 15 tháng 10 năm 2020", "ngày 12".
    pub(super) fn day_date(&mut self, i: usize) -> Option<usize> {
        if !self.is_kw(i, Keyword::Day) || !self.toks.get(i + 1).is_some_and(|t| t.spaced()) {
            return None;
        }
        let d = self.small_int(i + 1, 2).filter(|d| (1..=31).contains(d))?;
        // "ngày 29/03/2023", "ngày 15-10", "ngày 30/12".
        let sep = self
            .toks
            .get(i + 2)
            .filter(|t| t.glued() && (t.is('/') || t.is_dash() || t.is('.')));
        if sep.is_some() {
            let mo = self
                .small_int(i + 3, 2)
                .filter(|m| (1..=12).contains(m) && self.toks[i + 3].glued())?;
            let mut end = i + 4;
            let mut year = None;
            let sep_ch = self.toks[i + 2].ch;
            if self
                .toks
                .get(end)
                .is_some_and(|t| t.glued() && t.ch == sep_ch && t.kind == TokKind::Punct)
                && self.toks.get(end + 1).is_some_and(|t| {
                    t.glued() && t.kind == TokKind::Num && (t.len() == 4 || t.len() == 2)
                })
            {
                // A two-digit year is not guessed: no period.
                year = Some(self.year_tok(end + 1));
                end += 2;
            }
            let period = match year {
                None => day_period(None, mo, d),
                Some(year) => year.and_then(|y| day_period(Some(y), mo, d)),
            };
            return Some(self.emit_plain(MentionKind::Date, i, end, period));
        }
        let mut end = i + 2;
        let mut period = None;
        if self.is_kw(end, Keyword::Month)
            && let Some(mo) = self.small_int(end + 1, 2).filter(|m| (1..=12).contains(m))
        {
            end += 2;
            let mut year = None;
            if let Some((y, e)) = self.year_suffix(end) {
                end = e;
                year = Some(y);
            }
            period = day_period(year, mo, d);
        }
        // "ngày 12" alone (before "đến ngày 15 tháng 10") is a date too, unless a unit or noun
        // follows ("ngày 12 tỷ" does not happen; "ngày 3 lần" might).
        if end == i + 2
            && self
                .toks
                .get(end)
                .is_some_and(|t| matches!(self.lex.number(t.word), Some(NumberRole::Scale(_))))
        {
            return None;
        }
        Some(self.emit_plain(MentionKind::Date, i, end, period))
    }
}

/// The day `d` of month `mo` (a date mention's period), of `year` when the text states it (a
/// four-digit year; "30/6/23" gives none): `None` for a day the month does not have ("31/4",
/// "29/2/2023").
pub(super) fn day_period(year: Option<i32>, mo: u32, d: u32) -> Option<PeriodRef> {
    let (mo, d) = (u8::try_from(mo).ok()?, u8::try_from(d).ok()?);
    match year {
        // 2024 is a leap year: "29/2" stands until its year is known.
        None => chiso_model::Date::new(2024, mo, d).map(|_| PeriodRef::Day { month: mo, day: d }),
        Some(y) => {
            chiso_model::Date::new(y, mo, d).map(|_| PeriodRef::Fixed(Period::day(y, mo, d)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::roman;

    #[test]
    fn roman_numerals() {
        assert_eq!(roman("XIII"), Some(13));
        assert_eq!(roman("IV"), Some(4));
        assert_eq!(roman("XVI"), Some(16));
        assert_eq!(roman("QĐ"), None);
    }
}
