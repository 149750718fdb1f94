//! Numbers spelled out in words: "hai mươi mốt nghìn không trăm mười một" = 21011,
//! "một triệu rưỡi" = 1 500 000.
//!
//! The reader is a small state machine over word roles (`data/numbers/words.toml`):
//! a digit waits for its multiplier (mươi x10, trăm x100); a scale word (nghìn, triệu, tỷ)
//! multiplies everything before it when it is larger than the scales already used
//! ("một nghìn tỷ" = 10^12) and adds otherwise ("hai tỷ ba trăm triệu"); "rưỡi" adds half of
//! the last unit. Bound digits exist only inside compounds: "mốt" (1) and "lăm"/"nhăm" (5)
//! after mươi/mười, "tư" (4) after mươi, "không" (0) before trăm, "linh"/"lẻ" between
//! hundreds and units.
//!
//! "năm" is five only where it cannot be "year": before a multiplier ("năm mươi", "năm trăm",
//! "năm triệu") or after "linh"/"lẻ"; "hai năm", "mười năm" and "năm 2022" are years. The
//! caller also accepts "năm" before a counted noun other than a time noun ("năm tỉnh").

use super::lexicon::{Lexicon, NumberRole};
use super::token::Tok;

/// A spelled-out number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Spelled {
    pub start: usize,
    pub end: usize,
    pub value: f64,
    /// Number of words read.
    pub words: usize,
    /// A multiplier word (mười, mươi, trăm, a scale) was read: the number is not a lone digit.
    pub compound: bool,
    /// The last role read was a scale word.
    pub scaled: bool,
}

fn is_multiplier(role: Option<NumberRole>) -> bool {
    matches!(
        role,
        Some(NumberRole::Tens | NumberRole::Hundred | NumberRole::Scale(_))
    )
}

/// Reads a spelled-out number starting at token `i`. `after_rank` allows "tư" and "năm" as
/// digits ("thứ tư", "thứ năm").
pub(crate) fn spelled(lex: &Lexicon, toks: &[Tok], i: usize, after_rank: bool) -> Option<Spelled> {
    let role_at = |j: usize| toks.get(j).and_then(|t| lex.number(t.word));
    let five = lex.id_of("năm");
    let mut total = 0.0f64;
    let mut chunk = 0.0f64;
    let mut pending: Option<f64> = None;
    let mut max_scale = 1.0f64;
    let mut last_unit = 1.0f64;
    let mut after_tens = false;
    let mut after_zero_tens = false;
    let mut compound = false;
    let mut scaled = false;
    let mut end = i;
    let mut j = i;
    let mut halved = false;
    while let Some(role) = role_at(j) {
        // After "rưỡi" only a scale word may follow ("hai trăm rưỡi nghìn" = 250 000).
        if halved && !matches!(role, NumberRole::Scale(_)) {
            break;
        }
        // Words of one number are separated by single spaces (not glued to punctuation).
        if j > i && toks[j].glued() {
            break;
        }
        // A capitalised word after the first is the start of a name ("Ba Vì", "Hai Bà Trưng").
        if j > i
            && toks[j].flags & super::token::UPPER != 0
            && toks[i].flags & super::token::CAPS == 0
        {
            break;
        }
        match role {
            NumberRole::Digit(d) => {
                if pending.is_some() {
                    break;
                }
                if toks[j].word == five {
                    let next_mult = is_multiplier(role_at(j + 1))
                        && !toks.get(j + 1).is_some_and(|t| t.glued());
                    if !(next_mult || after_zero_tens || (after_rank && j == i)) {
                        break;
                    }
                }
                pending = Some(f64::from(d));
                after_zero_tens = false;
            }
            NumberRole::BoundDigit(d) => {
                let ok = match d {
                    0 => matches!(role_at(j + 1), Some(NumberRole::Hundred)) && pending.is_none(),
                    4 => (after_tens && chunk % 100.0 >= 20.0) || (after_rank && j == i),
                    1 => after_tens && chunk % 100.0 >= 20.0,
                    5 => after_tens,
                    _ => false,
                };
                if !ok || pending.is_some() {
                    break;
                }
                pending = Some(f64::from(d));
            }
            NumberRole::Ten => {
                if pending.is_some() || after_tens || chunk % 100.0 != 0.0 {
                    break;
                }
                chunk += 10.0;
                after_tens = true;
                compound = true;
                last_unit = 1.0;
                j += 1;
                end = j;
                scaled = false;
                continue;
            }
            NumberRole::Tens => {
                match pending.take() {
                    Some(d) if d >= 2.0 && chunk % 100.0 == 0.0 => chunk += d * 10.0,
                    _ => break,
                }
                after_tens = true;
                compound = true;
                last_unit = 10.0;
                j += 1;
                end = j;
                scaled = false;
                continue;
            }
            NumberRole::Hundred => {
                let Some(d) = pending.take() else { break };
                if chunk != 0.0 {
                    break;
                }
                chunk = d * 100.0;
                compound = true;
                after_tens = false;
                last_unit = 100.0;
                j += 1;
                end = j;
                scaled = false;
                continue;
            }
            NumberRole::ZeroTens => {
                if pending.is_some()
                    || last_unit != 100.0
                    || !matches!(role_at(j + 1), Some(NumberRole::Digit(_)))
                {
                    break;
                }
                after_zero_tens = true;
                j += 1;
                continue;
            }
            NumberRole::Scale(s) => {
                // "năm tỷ lệ": "tỷ" opens another word.
                if super::units::other_word_at(lex, toks, j).is_some() {
                    break;
                }
                let v = chunk + pending.take().unwrap_or(0.0);
                if v == 0.0 && total == 0.0 {
                    break;
                }
                if s > max_scale {
                    total = (total + v) * s;
                    max_scale = s;
                } else {
                    total += v * s;
                }
                chunk = 0.0;
                after_tens = false;
                compound = true;
                scaled = true;
                last_unit = s;
                j += 1;
                end = j;
                continue;
            }
            NumberRole::Half => {
                if pending.is_some() || last_unit < 100.0 || j == i {
                    break;
                }
                if scaled {
                    total += last_unit / 2.0;
                } else {
                    chunk += last_unit / 2.0;
                }
                j += 1;
                end = j;
                halved = true;
                continue;
            }
            NumberRole::Ordinal(d) => {
                if !(after_rank && j == i) {
                    break;
                }
                pending = Some(f64::from(d));
                j += 1;
                end = j;
                break;
            }
        }
        after_tens = after_tens && matches!(role, NumberRole::Ten | NumberRole::Tens);
        j += 1;
        end = j;
        scaled = false;
    }
    // A dangling "linh" is not part of the number.
    if end == i {
        return None;
    }
    let value = total + chunk + pending.unwrap_or(0.0);
    let value = super::digits::finite(value)?;
    Some(Spelled {
        start: i,
        end,
        value,
        words: end - i,
        compound,
        scaled,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numbers::{lexicon, token};

    fn read(s: &str) -> Option<f64> {
        let mut toks = Vec::new();
        let lex = lexicon::get();
        token::tokenize(s, lex, &mut toks);
        spelled(lex, &toks, 0, false)
            .filter(|w| w.end == toks.len())
            .map(|w| w.value)
    }

    #[test]
    fn compounds() {
        assert_eq!(
            read("hai mươi mốt nghìn không trăm mười một"),
            Some(21011.0)
        );
        assert_eq!(read("một triệu rưỡi"), Some(1_500_000.0));
        assert_eq!(read("mười lăm"), Some(15.0));
        assert_eq!(read("hai mươi tư"), Some(24.0));
        assert_eq!(read("một trăm linh năm"), Some(105.0));
        assert_eq!(read("năm mươi"), Some(50.0));
        assert_eq!(read("một nghìn tỷ"), Some(1e12));
        assert_eq!(read("hai tỷ ba trăm triệu"), Some(2.3e9));
        assert_eq!(read("hai trăm rưỡi"), Some(250.0));
        assert_eq!(read("hai trăm rưỡi nghìn"), Some(250_000.0));
        assert_eq!(read("năm"), None);
        assert_eq!(read("tư"), None);
    }
}
