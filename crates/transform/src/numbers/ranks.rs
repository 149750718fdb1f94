//! Ranks and multipliers: "thứ 4/14", "đứng thứ 26/63", "xếp thứ tư", "thứ nhất" (but
//! "Thứ nhất," opening a list is an enumerator and "Thứ Năm," a weekday), and "gấp hai lần",
//! "gấp 3,29 lần", "gấp gần 2,5 lần", "gấp đôi", "gấp rưỡi". Rank changes ("tăng 3 bậc") and
//! "tăng 5,6 lần" are values with a unit (`units.toml`).

use chiso_model::{Comparator, MentionKind, Unit};

use super::Scanner;
use super::lexicon::{Keyword, NumberRole};
use super::token::{TokKind, UPPER};

impl Scanner<'_> {
    /// A rank after "thứ".
    pub(super) fn rank(&mut self, i: usize) -> Option<usize> {
        if !self.is_kw(i, Keyword::Rank) {
            return None;
        }
        let j = i + 1;
        let t = self.toks.get(j).filter(|t| t.spaced())?;
        // "Thứ Năm, 15/10/2020": a weekday.
        if self.toks[i].flags & UPPER != 0 && t.flags & UPPER != 0 {
            let end = super::words::spelled(self.lex, self.toks, j, true).map_or(j + 1, |w| w.end);
            return Some(end);
        }
        let (value, mut end, total) = match t.kind {
            TokKind::Num => {
                let v = self.small_int(j, 4)?;
                if self.punct(j + 1, '/')
                    && self.toks[j + 1].glued()
                    && self.toks.get(j + 2).is_some_and(|t| t.glued())
                {
                    let total = self.small_int(j + 2, 4)?;
                    (v, j + 3, Some(total))
                } else {
                    (v, j + 1, None)
                }
            }
            TokKind::Word => {
                let w = super::words::spelled(self.lex, self.toks, j, true)?;
                (w.value as u32, w.end, None)
            }
            TokKind::Punct => return None,
        };
        // "Thứ nhất," / "thứ hai:" opening a sentence: an enumerator.
        if t.kind == TokKind::Word
            && self.sentence_start(i)
            && self.toks.get(end).is_some_and(|n| n.is(',') || n.is(':'))
        {
            return Some(self.emit_plain(MentionKind::Enumerator, i, end, None));
        }
        if value == 0 {
            return None;
        }
        // "năm thứ 9 liên tiếp", "lần thứ 3": which time, not a place in a ranking.
        if i.checked_sub(1).is_some_and(|k| {
            matches!(
                self.tok_text(k).to_lowercase().as_str(),
                "năm" | "lần" | "tháng" | "quý" | "ngày" | "tuần" | "kỳ" | "khóa" | "khoá"
            )
        }) {
            return Some(self.emit_plain(MentionKind::Ordinal, i, end, None));
        }
        let comparator = self.comparator(i, end).0;
        let m = self.emit(MentionKind::Rank, i, end);
        m.value_low = Some(f64::from(value));
        m.value_high = Some(f64::from(value));
        m.unit = Some(Unit::Rank);
        m.rank_total = total;
        m.comparator = comparator;
        end = end.max(i + 1);
        Some(end)
    }

    /// A first place in words before its group: "dẫn đầu cả nước", "đứng đầu khu vực", "cao
    /// nhất toàn quốc" rank 1 (the words before the group; the group is read after the rank as
    /// for "đứng thứ 4").
    pub(super) fn first_place(&mut self, i: usize) -> Option<usize> {
        let n = self.lex.keyword_at(self.toks, i, Keyword::FirstPlace)?;
        // "10 tỉnh dẫn đầu cả nước", "các địa phương dẫn đầu": a group of places leads, none
        // is first.
        let plural = (i.saturating_sub(3)..i)
            .rev()
            .take_while(|&j| self.toks[j].kind != TokKind::Punct)
            .any(|j| {
                self.toks[j].kind == TokKind::Num
                    || matches!(
                        self.tok_text(j).to_lowercase().as_str(),
                        "các" | "những" | "nhóm"
                    )
            });
        // "người đứng đầu" is a leader, "từng dẫn đầu" a former place.
        let before = i.checked_sub(1).map(|j| self.tok_text(j).to_lowercase());
        if plural || matches!(before.as_deref(), Some("người" | "từng")) {
            return None;
        }
        // "dẫn đầu khu vực dịch vụ": a sector, not a region.
        if self
            .lex
            .keyword_at(self.toks, i + n, Keyword::FirstPlaceGroup)
            .is_some_and(|g| {
                matches!(
                    self.tok_text(i + n + g).to_lowercase().as_str(),
                    "dịch" | "công" | "nông" | "kinh" | "tư" | "nhà" | "fdi"
                )
            })
        {
            return None;
        }
        self.lex
            .keyword_at(self.toks, i + n, Keyword::FirstPlaceGroup)?;
        let m = self.emit(MentionKind::Rank, i, i + n);
        m.value_low = Some(1.0);
        m.value_high = Some(1.0);
        m.unit = Some(Unit::Rank);
        m.reading = Some("first place in words");
        Some(i + n)
    }

    /// A multiplier after "gấp".
    pub(super) fn multiplier(&mut self, i: usize) -> Option<usize> {
        if !self.is_kw(i, Keyword::Multiplier) {
            return None;
        }
        let j = i + 1;
        let t = self.toks.get(j)?;
        // "gấp đôi", "gấp rưỡi".
        let fixed = if self.is_kw(j, Keyword::Double) {
            Some(2.0)
        } else if matches!(self.lex.number(t.word), Some(NumberRole::Half)) {
            Some(1.5)
        } else {
            None
        };
        if let Some(v) = fixed {
            let m = self.emit(MentionKind::Multiplier, i, j + 1);
            m.value_low = Some(v);
            m.value_high = Some(v);
            m.unit = Some(Unit::Times);
            return Some(j + 1);
        }
        // "gấp gần 2,5 lần": the comparator sits between "gấp" and the number.
        let (comparator, start) = match self.lex.comparators_before.longest_at(self.toks, j) {
            Some((n, c)) => (*c, j + n),
            None => (Comparator::Eq, j),
        };
        let v = self.value_at(start)?;
        if v.unit.is_some_and(|u| u.unit != Unit::Times) {
            return None;
        }
        let mut end = v.end;
        if v.unit.is_none() {
            if self.is_kw(end, Keyword::Times) {
                end += 1;
            } else if v.spelled && v.lone_word {
                // "gấp ba" alone: fine, the number is a multiplier by position.
            }
        }
        let span_start = if start == j { i } else { start };
        let m = self.emit(MentionKind::Multiplier, span_start, end);
        m.value_low = Some(v.value);
        m.value_high = Some(v.value);
        m.unit = Some(Unit::Times);
        m.comparator = comparator;
        m.reading = v.reading;
        Some(end)
    }
}
