//! Scale words and units after a number: "1,5 triệu", "20 nghìn tỷ đồng", "2,37triệu",
//! "10.370USD", "6.071km2", "triệu đồng/người/năm", "%/năm", "điểm phần trăm"; and the
//! counted nouns of counts ("24 chỉ tiêu", "350 hộ").
//!
//! The tables are `data/numbers/units.toml` and `data/numbers/counted_nouns.csv`.

use chiso_model::Unit;

use super::lexicon::{Keyword, Lexicon, NumberRole, UnitInfo};
use super::token::{Tok, TokKind};

/// Scale words from token `j`: their product and the token after them. Scales multiply in
/// sequence: "nghìn tỷ" is 10^12.
pub(crate) fn scales(lex: &Lexicon, toks: &[Tok], mut j: usize) -> (f64, usize) {
    let mut product = 1.0;
    while let Some(t) = toks.get(j) {
        match lex.number(t.word) {
            Some(NumberRole::Scale(s))
                if t.kind == TokKind::Word && other_word_at(lex, toks, j).is_none() =>
            {
                product *= s;
                j += 1;
            }
            _ => break,
        }
    }
    (product, j)
}

/// The length in tokens of a phrase at token `j` that starts with a unit's or a scale's word but
/// is another word (units.toml's `not_units`: "lần lượt", "tỷ lệ"), if one starts there.
pub(crate) fn other_word_at(lex: &Lexicon, toks: &[Tok], j: usize) -> Option<usize> {
    lex.not_units.longest_at(toks, j).map(|(n, _)| n)
}

/// The unit phrase at token `j`, if any: its end and meaning.
pub(crate) fn unit_at<'a>(
    lex: &'a Lexicon,
    toks: &[Tok],
    j: usize,
) -> Option<(usize, &'a UnitInfo)> {
    let (n, info) = lex.units.longest_at(toks, j)?;
    // "lần lượt" (respectively) is no "lần" (times).
    if other_word_at(lex, toks, j).is_some_and(|m| m >= n) {
        return None;
    }
    let end = j + n;
    if toks[j..end].iter().any(|t| t.line_start()) {
        return None;
    }
    // The tokens of a unit are glued together or single words: "km2" must not be "km 2 lần".
    if n > 1
        && toks[j + 1..end]
            .iter()
            .any(|t| t.kind == TokKind::Num && t.spaced())
    {
        return None;
    }
    // A unit word glued to letters after it is another word ("ha" in "haha" cannot happen, but
    // "đ" before "ồng" in broken text can): require a boundary.
    if toks
        .get(end)
        .is_some_and(|t| t.glued() && t.kind != TokKind::Punct)
    {
        return None;
    }
    // "lần thứ" is an ordinal, not "times".
    if info.unit == Unit::Times && toks.get(end).is_some_and(|t| lex.is(t.word, Keyword::Rank)) {
        return None;
    }
    Some((end, info))
}

/// A counted noun at token `j`: its end, the unit of the count and the noun, lower-cased.
pub(crate) fn noun_at(
    lex: &Lexicon,
    text: &str,
    toks: &[Tok],
    j: usize,
) -> Option<(usize, Unit, String)> {
    let t = toks.get(j)?;
    if t.kind != TokKind::Word || t.glued() || t.line_start() {
        return None;
    }
    let (n, unit) = lex.nouns.longest_at(toks, j)?;
    if toks[j + 1..j + n].iter().any(|t| t.line_start()) {
        return None;
    }
    let end = j + n;
    let mut noun = String::new();
    for (k, t) in toks[j..end].iter().enumerate() {
        if k > 0 && t.spaced() {
            noun.push(' ');
        }
        noun.push_str(&text[t.b0 as usize..t.b1 as usize].to_lowercase());
    }
    Some((end, *unit, noun))
}

/// Whether a counted noun is a time noun (năm, tháng, ngày...): a duration, not things.
pub(crate) fn is_time_noun(noun: &str) -> bool {
    matches!(noun, "năm" | "tháng" | "ngày" | "tuần" | "quý" | "giờ")
}
