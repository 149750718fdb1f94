//! Numbers written with digits, and how their separators are read.
//!
//! Vietnamese writes a decimal comma and a thousands dot ("29.232,75"), but news and tables
//! also carry English-style numbers. A literal is a run of digit groups joined by `.` or `,`
//! with nothing in between, or by single spaces when every later group has three digits
//! ("9 513 327"). The rules, in order:
//!
//! 1. **Both `.` and `,`**: the mark that comes last, once, is the decimal mark and the other
//!    the thousands mark; every thousands group must have 3 digits. "29.232,75" = 29232.75;
//!    "1,234.5" = 1234.5 (reading noted: English style).
//! 2. **Dots only.** Several dots with 3-digit groups are thousands: "1.298.791". One dot
//!    followed by exactly 3 digits is a thousands dot: "68.000" = 68000 (reading noted, since
//!    "68.000" could be an English 68.0). One dot followed by 1, 2 or 4+ digits is a decimal
//!    point, as tables print it: "15.40" = 15.4, "1.5" = 1.5 (reading noted). Several dots with
//!    other group lengths are not a number ("1.2.3" is a section, "5.2015" a month).
//! 3. **Commas only.** One comma followed by 1, 2 or 4+ digits is the decimal comma: "9,02".
//!    One comma followed by exactly 3 digits is ambiguous ("32,435"): it is read the
//!    Vietnamese way, as a decimal comma (32.435), unless a counted noun follows (things are
//!    counted in whole numbers: "1,200 doanh nghiệp" = 1200). The reading is noted either way.
//!    Several commas with 3-digit groups are English thousands: "1,298,791" (reading noted).
//! 4. **Spaces.** "9 513 327": a group of 1-3 digits (not starting with 0) followed by groups of
//!    exactly 3 digits, each after one space, is one number.
//! 5. A result that is not finite (a 400-digit run) is not a number.

use super::token::{Tok, TokKind};

/// A number read from digits.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Literal {
    /// First token.
    pub start: usize,
    /// One past the last token.
    pub end: usize,
    pub value: f64,
    /// The integer and its digit count when the literal is a single digit run ("2022").
    pub plain: Option<(u64, usize)>,
    /// Number of digits after the decimal mark.
    pub frac_digits: u32,
    /// How an ambiguous form was read.
    pub reading: Option<&'static str>,
    /// The literal is a single comma + 3-digit group, read as decimal; a counted noun after it
    /// makes it thousands instead (see rule 3).
    pub comma3: bool,
}

/// Reads the literal starting at the `Num` token `i`.
pub(crate) fn literal(text: &str, toks: &[Tok], i: usize) -> Option<Literal> {
    let first = toks.get(i).filter(|t| t.kind == TokKind::Num)?;
    let digits = |t: &Tok| &text[t.b0 as usize..t.b1 as usize];
    // Groups joined by glued '.' or ',': group `k` is token `i + 2k`, separator `k` the token
    // between groups `k` and `k + 1`.
    let mut n_seps = 0;
    let mut j = i + 1;
    while j + 1 < toks.len() {
        let (s, g) = (&toks[j], &toks[j + 1]);
        if (s.is('.') || s.is(',')) && s.glued() && g.glued() && g.kind == TokKind::Num {
            n_seps += 1;
            j += 2;
        } else {
            break;
        }
    }
    if n_seps == 0 {
        // Rule 4: space-separated thousands.
        let lead = digits(first);
        let mut end = i + 1;
        if lead.len() <= 3 && !lead.starts_with('0') {
            let mut k = i + 1;
            while k < toks.len()
                && toks[k].kind == TokKind::Num
                && toks[k].len() == 3
                && single_space_before(text, &toks[k])
                && !toks
                    .get(k + 1)
                    .is_some_and(|t| t.glued() && (t.is('.') || t.is(',') || t.is('/')))
            {
                k += 1;
            }
            if k > i + 1 {
                end = k;
            }
        }
        let s: std::borrow::Cow<'_, str> = if end == i + 1 {
            lead.into()
        } else {
            toks[i..end].iter().map(digits).collect::<String>().into()
        };
        let value = finite(s.parse::<f64>().ok()?)?;
        let plain = (end == i + 1)
            .then(|| s.parse::<u64>().ok().map(|v| (v, s.len())))
            .flatten();
        return Some(Literal {
            start: i,
            end,
            value,
            plain,
            frac_digits: 0,
            reading: (end > i + 1).then_some("spaces read as thousands separators"),
            comma3: false,
        });
    }
    let n = n_seps + 1;
    let end = i + 2 * n_seps + 1;
    let glen = |k: usize| toks[i + 2 * k].len();
    let group_text = |k: usize| digits(&toks[i + 2 * k]);
    let sep = |k: usize| toks[i + 2 * k + 1].ch;
    let has_dot = (0..n_seps).any(|k| sep(k) == '.');
    let has_comma = (0..n_seps).any(|k| sep(k) == ',');
    // The integer part is groups `..int_end`; the fraction, when there is one, group `int_end`.
    let (int_end, has_frac, reading, comma3): (usize, bool, Option<&'static str>, bool) =
        if has_dot && has_comma {
            let last = sep(n_seps - 1);
            let count_last = (0..n_seps).filter(|&k| sep(k) == last).count();
            if count_last != 1 || (1..n - 1).any(|k| glen(k) != 3) || glen(0) > 3 {
                return None;
            }
            let reading =
                (last == '.').then_some("comma read as thousands separator, dot as decimal point");
            (n - 1, true, reading, false)
        } else if has_dot {
            if n_seps > 1 {
                if glen(0) > 3 || (1..n).any(|k| glen(k) != 3) {
                    return None;
                }
                (n, false, None, false)
            } else if glen(1) == 3 {
                (
                    2,
                    false,
                    Some("dot read as thousands separator (3-digit group)"),
                    false,
                )
            } else {
                (1, true, Some("dot read as decimal point"), false)
            }
        } else if n_seps > 1 {
            if glen(0) > 3 || (1..n).any(|k| glen(k) != 3) {
                return None;
            }
            (n, false, Some("commas read as thousands separators"), false)
        } else if glen(1) == 3 {
            (
                1,
                true,
                Some("comma before 3 digits read as decimal comma (Vietnamese style)"),
                true,
            )
        } else {
            (1, true, None, false)
        };
    // The number as Rust reads it: the groups, then "." and the fraction, on the stack (a
    // literal longer than the buffer, hundreds of digits, in a string).
    let frac = has_frac.then(|| group_text(int_end));
    let parts = (0..int_end)
        .map(group_text)
        .chain(frac.into_iter().flat_map(|f| [".", f]));
    let value = finite(parse_joined(parts)?)?;
    let frac_digits = frac.map_or(0, |f| f.len() as u32);
    Some(Literal {
        start: i,
        end,
        value,
        plain: None,
        frac_digits,
        reading,
        comma3,
    })
}

/// `parts` joined, read as an `f64`: in a buffer on the stack when they fit it, else (a
/// literal of dozens of digits) in a string. A number per few hundred bytes of text was one
/// allocation each.
fn parse_joined<'a>(parts: impl Iterator<Item = &'a str> + Clone) -> Option<f64> {
    let mut buf = [0u8; 64];
    let mut at = 0;
    for part in parts.clone() {
        let Some(room) = buf.get_mut(at..at + part.len()) else {
            return parts.collect::<String>().parse().ok();
        };
        room.copy_from_slice(part.as_bytes());
        at += part.len();
    }
    std::str::from_utf8(&buf[..at]).ok()?.parse().ok()
}

fn single_space_before(text: &str, t: &Tok) -> bool {
    let b0 = t.b0 as usize;
    b0 >= 2 && &text.as_bytes()[b0 - 1..b0] == b" " && text.as_bytes()[b0 - 2].is_ascii_digit()
}

/// `v` times a power-of-ten `scale`, rounded to the decimals the written number had, so that
/// "128,2 triệu" is 128 200 000 and not 128 199 999.99999999.
pub(crate) fn scaled(v: f64, frac_digits: u32, scale: f64) -> f64 {
    let s = v * scale;
    if scale <= 1.0 || !s.is_finite() {
        return s;
    }
    let keep = frac_digits as i32 - scale.log10().round() as i32;
    if keep < 0 {
        s.round()
    } else if keep < 15 {
        let p = 10f64.powi(keep);
        let r = (s * p).round() / p;
        if r.is_finite() { r } else { s }
    } else {
        s
    }
}

/// `Some(v)` when `v` is finite.
pub(crate) fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numbers::{lexicon, token};

    /// On the stack or in a string, the joined parts read as their concatenation does.
    #[test]
    fn joined_parts_read_as_their_concatenation() {
        let long = "9".repeat(70);
        for parts in [
            vec!["1", "234", ".", "5"],
            vec!["68", "000"],
            vec!["0", ".", "25"],
            vec![long.as_str(), ".", "5"],
            vec!["1"; 64],
            vec!["1"; 65],
        ] {
            let joined = parts.concat();
            assert_eq!(
                parse_joined(parts.into_iter()),
                joined.parse::<f64>().ok(),
                "{joined}"
            );
        }
    }

    fn read(s: &str) -> Option<(f64, Option<&'static str>)> {
        let mut toks = Vec::new();
        token::tokenize(s, lexicon::get(), &mut toks);
        literal(s, &toks, 0)
            .filter(|l| l.end == toks.len())
            .map(|l| (l.value, l.reading))
    }

    /// The previous [`literal`] (a string per part, joined with `format!`), kept as its oracle.
    fn literal_reference(text: &str, toks: &[Tok], i: usize) -> Option<Literal> {
        let first = toks.get(i).filter(|t| t.kind == TokKind::Num)?;
        let digits = |t: &Tok| &text[t.b0 as usize..t.b1 as usize];
        // Groups joined by glued '.' or ','.
        // Both stay unallocated for a lone digit run (the usual case).
        let mut seps: Vec<char> = Vec::new();
        let mut groups: Vec<usize> = Vec::new();
        let mut j = i + 1;
        while j + 1 < toks.len() {
            let (s, g) = (&toks[j], &toks[j + 1]);
            if (s.is('.') || s.is(',')) && s.glued() && g.glued() && g.kind == TokKind::Num {
                if groups.is_empty() {
                    groups.push(i);
                }
                seps.push(s.ch);
                groups.push(j + 1);
                j += 2;
            } else {
                break;
            }
        }
        if seps.is_empty() {
            // Rule 4: space-separated thousands.
            let lead = digits(first);
            let mut end = i + 1;
            if lead.len() <= 3 && !lead.starts_with('0') {
                let mut k = i + 1;
                while k < toks.len()
                    && toks[k].kind == TokKind::Num
                    && toks[k].len() == 3
                    && single_space_before(text, &toks[k])
                    && !toks
                        .get(k + 1)
                        .is_some_and(|t| t.glued() && (t.is('.') || t.is(',') || t.is('/')))
                {
                    k += 1;
                }
                if k > i + 1 {
                    end = k;
                }
            }
            let s: std::borrow::Cow<'_, str> = if end == i + 1 {
                lead.into()
            } else {
                toks[i..end].iter().map(digits).collect::<String>().into()
            };
            let value = finite(s.parse::<f64>().ok()?)?;
            let plain = (end == i + 1)
                .then(|| s.parse::<u64>().ok().map(|v| (v, s.len())))
                .flatten();
            return Some(Literal {
                start: i,
                end,
                value,
                plain,
                frac_digits: 0,
                reading: (end > i + 1).then_some("spaces read as thousands separators"),
                comma3: false,
            });
        }
        let end = groups[groups.len() - 1] + 1;
        let glen: Vec<usize> = groups.iter().map(|&g| toks[g].len()).collect();
        let has_dot = seps.contains(&'.');
        let has_comma = seps.contains(&',');
        let group_text = |k: usize| digits(&toks[groups[k]]);
        let join = |range: std::ops::Range<usize>| -> String { range.map(group_text).collect() };
        let (int_part, frac_part, reading, comma3): (String, String, Option<&'static str>, bool) =
            if has_dot && has_comma {
                let last = seps[seps.len() - 1];
                let count_last = seps.iter().filter(|&&c| c == last).count();
                if count_last != 1 || glen[1..glen.len() - 1].iter().any(|&l| l != 3) || glen[0] > 3
                {
                    return None;
                }
                let reading = (last == '.')
                    .then_some("comma read as thousands separator, dot as decimal point");
                (
                    join(0..groups.len() - 1),
                    group_text(groups.len() - 1).to_owned(),
                    reading,
                    false,
                )
            } else if has_dot {
                if seps.len() > 1 {
                    if glen[0] > 3 || glen[1..].iter().any(|&l| l != 3) {
                        return None;
                    }
                    (join(0..groups.len()), String::new(), None, false)
                } else if glen[1] == 3 {
                    (
                        join(0..2),
                        String::new(),
                        Some("dot read as thousands separator (3-digit group)"),
                        false,
                    )
                } else {
                    (
                        group_text(0).to_owned(),
                        group_text(1).to_owned(),
                        Some("dot read as decimal point"),
                        false,
                    )
                }
            } else if seps.len() > 1 {
                if glen[0] > 3 || glen[1..].iter().any(|&l| l != 3) {
                    return None;
                }
                (
                    join(0..groups.len()),
                    String::new(),
                    Some("commas read as thousands separators"),
                    false,
                )
            } else if glen[1] == 3 {
                (
                    group_text(0).to_owned(),
                    group_text(1).to_owned(),
                    Some("comma before 3 digits read as decimal comma (Vietnamese style)"),
                    true,
                )
            } else {
                (
                    group_text(0).to_owned(),
                    group_text(1).to_owned(),
                    None,
                    false,
                )
            };
        let s = if frac_part.is_empty() {
            int_part
        } else {
            format!("{int_part}.{frac_part}")
        };
        let value = finite(s.parse::<f64>().ok()?)?;
        Some(Literal {
            start: i,
            end,
            value,
            plain: None,
            frac_digits: frac_part.len() as u32,
            reading,
            comma3,
        })
    }

    proptest::proptest! {
        #[test]
        fn literal_matches_its_reference(text in "[0-9]{1,5}([.,][0-9]{1,5}){0,4}|[0-9]{1,3}( [0-9]{3}){0,3}[.,]?[0-9]{0,3}|[0-9.,/ %]{1,20}") {
            let mut toks = Vec::new();
            token::tokenize(&text, lexicon::get(), &mut toks);
            for i in 0..toks.len() {
                proptest::prop_assert_eq!(literal(&text, &toks, i), literal_reference(&text, &toks, i));
            }
        }
    }

    #[test]
    fn separator_rules() {
        assert_eq!(read("9,02").map(|r| r.0), Some(9.02));
        assert_eq!(
            read("68.000"),
            Some((
                68000.0,
                Some("dot read as thousands separator (3-digit group)")
            ))
        );
        assert_eq!(read("29.232,75").map(|r| r.0), Some(29232.75));
        assert_eq!(read("1.298.791").map(|r| r.0), Some(1298791.0));
        assert_eq!(read("9 513 327").map(|r| r.0), Some(9513327.0));
        assert_eq!(read("15.40").map(|r| r.0), Some(15.4));
        assert_eq!(read("32,435").map(|r| r.0), Some(32.435));
        assert_eq!(read("1,234.5").map(|r| r.0), Some(1234.5));
        assert_eq!(read("1.2.3"), None);
        assert_eq!(read(&"9".repeat(400)), None);
    }
}
