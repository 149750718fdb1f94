//! Numbers that are never values, typed as what they are: document numbers ("316/QĐ-TTg",
//! "11-NQ/TW"), enumerators ("Một là", "(1)", "1." at a line start), footnote marks ("[1]"),
//! congress, term and session numbers ("Đại hội XIII", "khóa 16", "lần thứ XI"), photo labels
//! ("ảnh 1"), times of day ("17:38", "8h30") and phone numbers ("0912 345 678").

use chiso_model::MentionKind;

use super::Scanner;
use super::lexicon::{Keyword, NumberRole};
use super::time::roman;
use super::token::{CAPS, TokKind, UPPER};

impl Scanner<'_> {
    /// "[1]".
    pub(super) fn footnote(&mut self, i: usize) -> Option<usize> {
        self.small_int(i + 1, 3)?;
        if !self.punct(i + 2, ']') {
            return None;
        }
        Some(self.emit_plain(MentionKind::Footnote, i, i + 3, None))
    }

    /// "(1)" with one or two digits.
    pub(super) fn paren_enumerator(&mut self, i: usize) -> Option<usize> {
        if !self.punct(i, '(') {
            return None;
        }
        self.small_int(i + 1, 2)?;
        if !self.punct(i + 2, ')') {
            return None;
        }
        Some(self.emit_plain(MentionKind::Enumerator, i, i + 3, None))
    }

    /// "1." or "1)" at the start of a line, followed by a space.
    pub(super) fn line_enumerator(&mut self, i: usize) -> Option<usize> {
        if !(i == 0 || self.toks[i].line_start()) {
            return None;
        }
        self.small_int(i, 2)?;
        self.toks
            .get(i + 1)
            .filter(|t| t.glued() && (t.is('.') || t.is(')')))?;
        if self.toks.get(i + 2).is_some_and(|t| t.glued()) {
            return None;
        }
        Some(self.emit_plain(MentionKind::Enumerator, i, i + 2, None))
    }

    /// "Một là", "Năm là," ... : a number word and "là" opening a list item.
    pub(super) fn word_enumerator(&mut self, i: usize) -> Option<usize> {
        let role = self.lex.number(self.toks[i].word)?;
        if !matches!(role, NumberRole::Digit(_) | NumberRole::Ten)
            || !self.is_kw(i + 1, Keyword::EnumeratorIs)
        {
            return None;
        }
        let comma = self.toks.get(i + 2).is_some_and(|t| t.is(',') || t.is(':'));
        let opens = self.sentence_start(i) && self.toks[i].flags & UPPER != 0;
        if !(comma || opens) {
            return None;
        }
        Some(self.emit_plain(MentionKind::Enumerator, i, i + 2, None))
    }

    /// "Đại hội XIII", "khóa 16", "khóa XVI", "lần thứ XI", "kỳ họp thứ 5".
    pub(super) fn ordinal(&mut self, i: usize) -> Option<usize> {
        let n = self.lex.keyword_at(self.toks, i, Keyword::OrdinalCue)?;
        let j = i + n;
        let t = self.toks.get(j)?;
        let end = match t.kind {
            TokKind::Word if t.flags & CAPS != 0 && roman(self.tok_text(j)).is_some() => j + 1,
            TokKind::Num
                if t.len() <= 2
                    && !self
                        .toks
                        .get(j + 1)
                        .is_some_and(|n| n.glued() && (n.is('/') || n.is_dash())) =>
            {
                j + 1
            }
            TokKind::Word => super::words::spelled(self.lex, self.toks, j, true).map(|w| w.end)?,
            _ => return None,
        };
        Some(self.emit_plain(MentionKind::Ordinal, i, end, None))
    }

    /// "ảnh 1", "Ảnh 2".
    pub(super) fn photo_label(&mut self, i: usize) -> Option<usize> {
        if !self.is_kw(i, Keyword::Photo) {
            return None;
        }
        self.small_int(i + 1, 3)?;
        if self
            .toks
            .get(i + 2)
            .is_some_and(|t| t.glued() && !t.is('.') && !t.is(','))
        {
            return None;
        }
        Some(self.emit_plain(MentionKind::PhotoLabel, i, i + 2, None))
    }

    /// "17:38", "8h30", "8h".
    pub(super) fn time_of_day(&mut self, i: usize) -> Option<usize> {
        let h = self.small_int(i, 2)?;
        if h > 24 {
            return None;
        }
        let next = self.toks.get(i + 1).filter(|t| t.glued())?;
        if next.is(':') {
            let m = self
                .small_int(i + 2, 2)
                .filter(|_| self.toks[i + 2].len() == 2 && self.toks[i + 2].glued())?;
            if m >= 60 {
                return None;
            }
            return Some(self.emit_plain(MentionKind::Time, i, i + 3, None));
        }
        if next.kind == TokKind::Word && self.is_kw(i + 1, Keyword::Hour) {
            let mut end = i + 2;
            if let Some(m) = self.small_int(end, 2)
                && self.toks[end].glued()
                && m < 60
            {
                end += 1;
            }
            if self
                .toks
                .get(end)
                .is_some_and(|t| t.glued() && t.kind == TokKind::Word)
            {
                return None;
            }
            return Some(self.emit_plain(MentionKind::Time, i, end, None));
        }
        None
    }

    /// "0912 345 678", "(0214) 3840 123", "0912.345.678", "+84 912 345 678".
    pub(super) fn phone(&mut self, i: usize) -> Option<usize> {
        let mut j = i;
        let mut digits = 0usize;
        if self.punct(i, '(') {
            let t = self
                .toks
                .get(i + 1)
                .filter(|t| t.kind == TokKind::Num && t.glued())?;
            if !self.tok_text(i + 1).starts_with('0') || !self.punct(i + 2, ')') {
                return None;
            }
            digits += t.len();
            j = i + 3;
        } else if self.punct(i, '+') {
            if !self.tok_text(i + 1).starts_with("84")
                || !self.toks.get(i + 1).is_some_and(|t| t.glued())
            {
                return None;
            }
            digits += self.toks[i + 1].len();
            j = i + 2;
        } else {
            let t = self.toks.get(i).filter(|t| t.kind == TokKind::Num)?;
            if !self.tok_text(i).starts_with('0') || t.len() < 3 {
                return None;
            }
            digits += t.len();
            j += 1;
        }
        while let Some(t) = self.toks.get(j) {
            if t.kind == TokKind::Num && t.spaced() && t.len() >= 2 && j > i {
                digits += t.len();
                j += 1;
            } else if t.glued()
                && (t.is('.') || t.is_dash())
                && self
                    .toks
                    .get(j + 1)
                    .is_some_and(|n| n.kind == TokKind::Num && n.glued())
            {
                digits += self.toks[j + 1].len();
                j += 2;
            } else {
                break;
            }
            if digits > 12 {
                return None;
            }
        }
        if !(9..=12).contains(&digits) {
            return None;
        }
        Some(self.emit_plain(MentionKind::Phone, i, j, None))
    }

    /// "316/QĐ-TTg", "11-NQ/TW", "01/2021/NĐ-CP": digits glued to a code in capitals.
    pub(super) fn document_number(&mut self, i: usize) -> Option<usize> {
        let mut j = i + 1;
        let mut is_doc = false;
        while let Some(t) = self.toks.get(j) {
            if t.spaced() {
                break;
            }
            let sep = t.is('/') || t.is_dash();
            if sep {
                if let Some(n) = self.toks.get(j + 1).filter(|n| n.glued()) {
                    if n.kind == TokKind::Word
                        && n.flags & UPPER != 0
                        && super::units::unit_at(self.lex, self.toks, j + 1).is_none()
                    {
                        is_doc = true;
                    }
                    if n.kind == TokKind::Num || n.kind == TokKind::Word {
                        j += 2;
                        continue;
                    }
                }
                break;
            }
            if t.kind == TokKind::Word || t.kind == TokKind::Num {
                if j == i + 1 && t.kind == TokKind::Word {
                    // "10.370USD" is money, "8h30" a time: a code needs its separator first.
                    break;
                }
                j += 1;
                continue;
            }
            break;
        }
        if !is_doc {
            return None;
        }
        Some(self.emit_plain(MentionKind::DocumentNumber, i, j, None))
    }
}
