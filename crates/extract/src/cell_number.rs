//! Numbers in table cells: `3.00E+05`, `755768.814`, Vietnamese `9,02` and `68.000`, `1,234.5`,
//! `12%`, `(1.500)` for a negative amount.
//!
//! A cell like `1.234` is a thousand and more in a Vietnamese table and one and a bit in an
//! English one, so a table's decimal mark is sniffed from its unambiguous cells first
//! ([`sniff_decimal_mark`]), then every cell is read with it ([`parse_number`]).

/// Which character separates the integer part from the fraction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalMark {
    /// `1,234.5` (English, most CSV exports).
    Dot,
    /// `1.234,5` (Vietnamese).
    Comma,
}

/// The pieces of a numeric-looking cell: sign, digits with separators, exponent.
struct Pieces<'a> {
    negative: bool,
    body: &'a str,
    exponent: Option<i32>,
}

/// Splits a trimmed cell into sign, body and exponent, or `None` when it is not numeric-looking.
/// Accounting negatives `(1.500)` and a trailing `%` are accepted (the number is the same).
fn pieces(text: &str) -> Option<Pieces<'_>> {
    let mut s = text.trim();
    let mut negative = false;
    if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        negative = true;
        s = inner.trim();
    }
    s = s.strip_suffix('%').map_or(s, str::trim_end);
    if let Some(rest) = s.strip_prefix(['-', '\u{2212}']) {
        negative = !negative;
        s = rest.trim_start();
    } else if let Some(rest) = s.strip_prefix('+') {
        s = rest.trim_start();
    }
    let (body, exponent) = match s.find(['e', 'E']) {
        Some(i) => {
            let exp = s[i + 1..].strip_prefix('+').unwrap_or(&s[i + 1..]);
            (&s[..i], Some(exp.parse::<i32>().ok()?))
        }
        None => (s, None),
    };
    let first = body.chars().next()?;
    let ok_chars = body
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == ',' || c == ' ' || c == '\u{a0}');
    if !ok_chars || !first.is_ascii_digit() || !body.ends_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some(Pieces {
        negative,
        body,
        exponent,
    })
}

/// Whether `groups` (the parts after the first, split at the thousands separator) are all three
/// digits and the first part one to three digits.
fn grouped(parts: &[&str]) -> bool {
    parts.len() >= 2 && (1..=3).contains(&parts[0].len()) && parts[1..].iter().all(|g| g.len() == 3)
}

/// Reads `body` (digits and separators, no sign) with `mark`; `None` when the separators do not
/// fit (`1.2.3` with a dot mark).
fn read_body(body: &str, mark: DecimalMark) -> Option<f64> {
    let body: String = body
        .chars()
        .filter(|c| *c != ' ' && *c != '\u{a0}')
        .collect();
    let (decimal, thousands) = match mark {
        DecimalMark::Dot => ('.', ','),
        DecimalMark::Comma => (',', '.'),
    };
    let (int_part, frac) = match body.split_once(decimal) {
        Some((i, f)) => {
            if f.contains(decimal) || f.contains(thousands) {
                return None;
            }
            (i, Some(f))
        }
        None => (body.as_str(), None),
    };
    let parts: Vec<&str> = int_part.split(thousands).collect();
    if parts.len() > 1 && !grouped(&parts) {
        return None;
    }
    let mut plain: String = parts.concat();
    if let Some(f) = frac {
        plain.push('.');
        plain.push_str(f);
    }
    plain.parse().ok()
}

/// The number a cell's text denotes, or `None` for text, empty cells and placeholders ("-", "..").
///
/// ```
/// use chiso_extract::{DecimalMark, parse_number};
/// assert_eq!(parse_number("3.00E+05", DecimalMark::Dot), Some(300000.0));
/// assert_eq!(parse_number("9,02", DecimalMark::Comma), Some(9.02));
/// assert_eq!(parse_number("68.000", DecimalMark::Comma), Some(68000.0));
/// assert_eq!(parse_number("755768.814", DecimalMark::Dot), Some(755768.814));
/// assert_eq!(parse_number("(1.500)", DecimalMark::Comma), Some(-1500.0));
/// assert_eq!(parse_number("Hà Nội", DecimalMark::Comma), None);
/// ```
pub fn parse_number(text: &str, mark: DecimalMark) -> Option<f64> {
    let p = pieces(text)?;
    let mantissa = if p.exponent.is_some() {
        // Scientific notation never has thousands separators: the one mark is the decimal one.
        let plain = p.body.replace(',', ".");
        if plain.matches('.').count() > 1 {
            return None;
        }
        plain.parse::<f64>().ok()?
    } else {
        read_body(p.body, mark)?
    };
    let value = mantissa * 10f64.powi(p.exponent.unwrap_or(0));
    Some(if p.negative { -value } else { value })
}

/// Evidence one cell gives about the decimal mark: `Some(mark)` when only that mark reads it.
fn evidence(text: &str) -> Option<DecimalMark> {
    let p = pieces(text)?;
    if p.exponent.is_some() {
        return None;
    }
    let dot = read_body(p.body, DecimalMark::Dot);
    let comma = read_body(p.body, DecimalMark::Comma);
    match (dot, comma) {
        (Some(_), None) => Some(DecimalMark::Dot),
        (None, Some(_)) => Some(DecimalMark::Comma),
        // Both read it: "1.234" or "1,234" (ambiguous) or "12" (no separator); but "12.5" with
        // fewer than three fraction digits cannot be a thousands group.
        (Some(a), Some(b)) if a != b => {
            let body = p.body;
            let last = body.rfind(['.', ','])?;
            let fraction_digits = body.len() - last - 1;
            if fraction_digits != 3 {
                Some(if body[last..].starts_with('.') {
                    DecimalMark::Dot
                } else {
                    DecimalMark::Comma
                })
            } else {
                None
            }
        }
        _ => None,
    }
}

/// The decimal mark most unambiguous cells of `texts` agree on, or `default` when none decides.
///
/// ```
/// use chiso_extract::{DecimalMark, sniff_decimal_mark};
/// assert_eq!(sniff_decimal_mark(["68.000", "9,02"], DecimalMark::Dot), DecimalMark::Comma);
/// assert_eq!(sniff_decimal_mark(["1.234", "5"], DecimalMark::Comma), DecimalMark::Comma);
/// assert_eq!(sniff_decimal_mark(["755768.814", "12.5"], DecimalMark::Comma), DecimalMark::Dot);
/// ```
pub fn sniff_decimal_mark<'a>(
    texts: impl IntoIterator<Item = &'a str>,
    default: DecimalMark,
) -> DecimalMark {
    let (mut dot, mut comma) = (0usize, 0usize);
    for t in texts {
        match evidence(t) {
            Some(DecimalMark::Dot) => dot += 1,
            Some(DecimalMark::Comma) => comma += 1,
            None => {}
        }
    }
    match dot.cmp(&comma) {
        std::cmp::Ordering::Greater => DecimalMark::Dot,
        std::cmp::Ordering::Less => DecimalMark::Comma,
        std::cmp::Ordering::Equal => default,
    }
}

/// The text Excel's "General" format would show for a number cell: whole numbers without a
/// fraction, others with the shortest digits that read back to the same value.
pub(crate) fn format_number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        format!("{value}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DecimalMark::{Comma, Dot};

    #[test]
    fn corpus_of_cells() {
        let cases: &[(&str, DecimalMark, Option<f64>)] = &[
            ("3.00E+05", Dot, Some(3.0e5)),
            ("3,00E+05", Comma, Some(3.0e5)),
            ("1.5e-3", Dot, Some(0.0015)),
            ("-551768.814", Dot, Some(-551768.814)),
            ("1,234,567.5", Dot, Some(1234567.5)),
            ("1.234.567,5", Comma, Some(1234567.5)),
            ("19,3%", Comma, Some(19.3)),
            ("68 000", Comma, Some(68000.0)),
            ("0", Comma, Some(0.0)),
            ("(2.000)", Comma, Some(-2000.0)),
            ("1.2.3", Dot, None),
            ("12,34,5", Comma, None),
            ("-", Comma, None),
            ("..", Dot, None),
            ("", Dot, None),
            ("2041/QĐ-BTC", Dot, None),
            ("E+05", Dot, None),
            ("1=2+7", Dot, None),
        ];
        for (text, mark, want) in cases {
            assert_eq!(parse_number(text, *mark), *want, "{text:?} with {mark:?}");
        }
    }

    #[test]
    fn sniffing_uses_unambiguous_cells() {
        assert_eq!(sniff_decimal_mark(["1.234", "2.345"], Dot), Dot);
        assert_eq!(sniff_decimal_mark(["1.234", "2.345"], Comma), Comma);
        assert_eq!(sniff_decimal_mark(["9,02", "7,5", "1.234"], Dot), Comma);
        assert_eq!(sniff_decimal_mark(["1.234,5"], Dot), Comma);
        assert_eq!(sniff_decimal_mark(["1,234.5", "3.00E+05"], Comma), Dot);
    }

    #[test]
    fn general_format() {
        assert_eq!(format_number(1130608.6), "1130608.6");
        assert_eq!(format_number(877697.0), "877697");
        assert_eq!(format_number(-0.25), "-0.25");
    }
}
