//! Two numbers read as one expression: ranges ("4-5%", "từ 50%-70%", "10,5 – 11,0",
//! "từ 7,0% đến 7,5%", "164.000-176.000 tỷ đồng") and slash pairs ("45.799/36.875 tỷ đồng",
//! "83,2%/50%", "7/10 chỉ tiêu").
//!
//! Both sides share the unit and the scale written on one of them: "164.000-176.000 tỷ đồng"
//! is 1.64e17..1.76e17 đồng. Two years joined by a dash are a span of years, not a range
//! (see `time`).
//!
//! A bare "a/b" with no unit and no counted noun after it is read as a day and month (a date,
//! no value) when all of these hold: it is a valid calendar day ("30/12", "29/2"; not "30/2",
//! "45/12", "7/13"), and either a side is zero-padded ("07/10") or no share cue stands before
//! it (`pair_cue` in `keywords.toml`: "đạt 7/10", "hoàn thành 7/10") and no comparator
//! ("hơn 7/10"). Otherwise it is a slash pair. News text writes dates without a year far more
//! often than shares without a noun, so the date wins when nothing says otherwise; with a
//! date word before it ("ngày 7/10", "sáng 7/10") it is always a date (see `time`).

use chiso_model::{Comparator, MentionKind, Unit};

use super::lexicon::{Keyword, UnitInfo};
use super::token::TokKind;
use super::{Scanner, Value, digits, units};

impl Scanner<'_> {
    /// A range starting with `a`; the token after it.
    pub(super) fn range(&mut self, a: &Value) -> Option<usize> {
        let j = a.end;
        let sep = self.toks.get(j)?;
        let b_start = if sep.is_dash() {
            // "4-5%" (glued) or "10,5 – 11,0" (spaced); a minus sign glued to the second
            // number after a space ("5 -3") is not a range.
            let next = self.toks.get(j + 1)?;
            if sep.spaced() && next.glued() {
                return None;
            }
            j + 1
        } else if let Some(n) = self.lex.keyword_at(self.toks, j, Keyword::RangeTo) {
            // "từ X đến Y" needs its "từ".
            self.lex
                .keyword_before(self.toks, a.start, Keyword::RangeFrom)?;
            j + n
        } else {
            return None;
        };
        if a.year().is_some() {
            return None;
        }
        let b = self.value_at(b_start)?;
        if b.spelled != a.spelled || b.value < 0.0 {
            return None;
        }
        // Followed by another dash or slash: a date or a code ("15-10-2020"), not a range.
        if self
            .toks
            .get(b.end)
            .is_some_and(|t| t.glued() && (t.is_dash() || t.is('/')))
        {
            return None;
        }
        let unit = shared_unit(a, &b)?;
        // The scale written on the second number applies to the first: checked, since a
        // 300-digit first number times "tỷ" is not finite.
        let low = digits::finite(if a.scale == 1.0 && a.unit.is_none() {
            digits::scaled(a.value, a.frac_digits, b.scale)
        } else {
            a.value
        })?;
        let high = b.value;
        if low > high && a.unit.is_none() {
            return None;
        }
        let (end, noun) = self.counted_after(unit, b.end);
        let reading = a.reading.or(b.reading);
        let comparator = self.comparator(a.start, end);
        let m = self.emit(MentionKind::Range, a.start, b.end);
        m.value_low = Some(low);
        m.value_high = Some(high);
        m.unit = unit.map(|u| u.unit).or(noun.as_ref().map(|(u, _)| *u));
        m.comparator = comparator.0;
        m.counted_noun = noun.map(|(_, n)| n.into_boxed_str());
        m.reading = reading;
        Some(comparator.1)
    }

    /// Without a unit, the counted noun right after token `end` ("7/10 chỉ tiêu"): the token
    /// after the expression and the noun's unit and text.
    fn counted_after(
        &self,
        unit: Option<&UnitInfo>,
        end: usize,
    ) -> (usize, Option<(Unit, String)>) {
        match unit {
            None => units::noun_at(self.lex, self.text, self.toks, end)
                .map_or((end, None), |(e, u, n)| (e, Some((u, n)))),
            Some(_) => (end, None),
        }
    }

    /// A slash pair starting with `a`; the token after it.
    pub(super) fn slash(&mut self, a: &Value) -> Option<usize> {
        let j = a.end;
        if !self.punct(j, '/') || self.toks[j].spaced() {
            return None;
        }
        let next = self.toks.get(j + 1)?;
        if next.kind != TokKind::Num || next.spaced() || a.spelled {
            return None;
        }
        let b = self.value_at(j + 1)?;
        // "29/3/2023" and "01/2021/NĐ-CP" are not pairs.
        if self
            .toks
            .get(b.end)
            .is_some_and(|t| t.glued() && (t.is('/') || t.is_dash()))
        {
            return None;
        }
        let unit = shared_unit(a, &b)?;
        let (end, noun) = self.counted_after(unit, b.end);
        // A bare a/b with nothing counted after it is a day and month ("Ngày 30/12",
        // "05/10") when it can be one, unless the words before say it is a share ("đạt
        // 7/10", "hơn 7/10"); "30/2" or "45/12" are pairs.
        if unit.is_none() && noun.is_none() && self.bare_pair_is_date(a, &b) {
            let period = a
                .plain_in(1, 31)
                .zip(b.plain_in(1, 12))
                .and_then(|(d, mo)| super::time::day_period(None, mo as u32, d as u32));
            let m = self.emit(MentionKind::Date, a.start, b.end);
            m.reading = Some("day/month without a year");
            m.period = period;
            return Some(b.end);
        }
        let first = digits::finite(if a.scale == 1.0 && a.unit.is_none() {
            digits::scaled(a.value, a.frac_digits, b.scale)
        } else {
            a.value
        })?;
        let unit_value = unit.map(|u| u.unit).or(noun.as_ref().map(|(u, _)| *u));
        let comparator = self.comparator(a.start, end);
        let m = self.emit(MentionKind::SlashPair, a.start, b.end);
        m.value_low = Some(first);
        m.value_high = Some(first);
        m.of_total = Some(b.value);
        m.unit = unit_value;
        m.comparator = comparator.0;
        m.counted_noun = noun.map(|(_, n)| n.into_boxed_str());
        m.reading = a.reading.or(b.reading);
        Some(comparator.1)
    }

    /// Whether a bare "a/b" (no unit, no counted noun) is a day and month: a valid calendar
    /// day (29/2 allowed, 30/2 not) and either written with a leading zero ("07/10") or not led
    /// by a share cue (`pair_cue` in `keywords.toml`) or a comparator ("hơn 7/10").
    fn bare_pair_is_date(&self, a: &Value, b: &Value) -> bool {
        let (Some(day), Some(month)) = (a.plain_in(1, 31), b.plain_in(1, 12)) else {
            return false;
        };
        if day > days_in_month(month) {
            return false;
        }
        let zero_padded = |v: &Value| v.plain.is_some_and(|(n, len)| len == 2 && n < 10);
        if zero_padded(a) || zero_padded(b) {
            return true;
        }
        let share_cue = self
            .lex
            .keyword_before(self.toks, a.start, Keyword::PairCue)
            .is_some();
        let compared = self.comparator(a.start, b.end).0 != Comparator::Eq;
        !(share_cue || compared)
    }
}

/// The most days month `month` (1..=12) can have (29 for February: the year is unknown).
fn days_in_month(month: u64) -> u64 {
    match month {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The unit both sides of a range or pair share: the one written on either (both when equal),
/// `Some(None)` when neither has one, `None` when they differ.
fn shared_unit(a: &Value, b: &Value) -> Option<Option<&'static UnitInfo>> {
    match (a.unit, b.unit) {
        (Some(x), Some(y)) if x.unit != y.unit => None,
        (Some(x), _) => Some(Some(x)),
        (None, y) => Some(y),
    }
}
