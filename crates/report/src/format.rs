//! Numbers, units and terms as a reader of the report sees them.

use chiso_model::{Base, Comparator, IndicatorRecord, Kind, Measure, Mention, MentionKind, Unit};

/// A number for people: thousands grouped with commas, at most four decimals, trailing zeros
/// dropped; millions and billions (Vietnamese "triệu", "tỷ") shortened to `m` and `bn`.
pub(crate) fn number(v: f64) -> String {
    let a = v.abs();
    if a >= 1e9 {
        format!("{} bn", plain(v / 1e9))
    } else if a >= 1e6 {
        format!("{} m", plain(v / 1e6))
    } else {
        plain(v)
    }
}

/// A number in three significant digits, with a scale word: what fits over a bar ("2.69 bn",
/// "338 m", "9.02").
pub(crate) fn short(v: f64) -> String {
    let (scaled, word) = match v.abs() {
        a if a >= 1e9 => (v / 1e9, " bn"),
        a if a >= 1e6 => (v / 1e6, " m"),
        _ => (v, ""),
    };
    let digits = match scaled.abs() {
        a if a >= 100.0 => 0,
        a if a >= 10.0 => 1,
        _ => 2,
    };
    let text = format!("{scaled:.digits$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    };
    format!("{}{word}", plain(text.parse().unwrap_or(scaled)))
}

/// A number with grouped thousands and no scale word.
pub(crate) fn plain(v: f64) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    let text = format!("{:.4}", v.abs());
    let (int, frac) = text.split_once('.').unwrap_or((text.as_str(), ""));
    let frac = frac.trim_end_matches('0');
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    if v < 0.0 && out.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.insert(0, '-');
    }
    out
}

/// A short unit symbol to write after a value ("%", "VND", "ha"); empty for plain counts.
pub(crate) fn unit_symbol(u: Unit) -> &'static str {
    match u {
        Unit::Percent => "%",
        Unit::Pp => "pp",
        Unit::Vnd => "VND",
        Unit::Usd => "USD",
        Unit::Count => "",
        Unit::Household => "households",
        Unit::Person => "people",
        Unit::Visit => "visits",
        Unit::Tonne => "t",
        Unit::Ha => "ha",
        Unit::Km2 => "km²",
        Unit::Km => "km",
        Unit::Times => "×",
        Unit::Rank => "",
        Unit::Score => "points",
        Unit::VndPerPersonYear => "VND/person/year",
        Unit::VndPerPersonMonth => "VND/person/month",
        Unit::UsdPerPerson => "USD/person",
        Unit::PercentPerYear => "%/year",
        Unit::Per10kPeople => "per 10 000 people",
    }
}

/// What a base stands for, as a reader says it after "vs".
pub(crate) fn base_text(base: Base) -> &'static str {
    match base {
        Base::YearAgo => "a year before",
        Base::PreviousPeriod => "the period before",
        Base::YearStart => "December of the year before",
        Base::OtherPeriod => "another period",
    }
}

/// A measure with its base, when it has one: "change", "change vs a year before".
pub(crate) fn measure_text(measure: Measure, base: Option<Base>) -> String {
    match base {
        Some(b) => format!("{measure} vs {}", base_text(b)),
        None => measure.to_string(),
    }
}

/// A record's measure with its base's period when known: "change vs 2023-09".
pub(crate) fn record_measure(r: &IndicatorRecord) -> String {
    match (r.base, r.base_period) {
        (Some(_), Some(p)) => format!("{} vs {p}", r.measure),
        (base, _) => measure_text(r.measure, base),
    }
}

/// The symbol of a comparator, empty for "equal".
/// A row's place as a person reads it: its name (else its code), and for a unit the 2025 merger
/// formed, which keeps a former one's name, "(since 2025)": "Lào Cai (since 2025)" is Lào Cai
/// with Yên Bái, "Lào Cai" the province before. `None` for a row of no place.
pub(crate) fn place(r: &IndicatorRecord) -> Option<String> {
    let name = r.geo_name.as_deref().or(r.geo_code.as_deref())?;
    Some(match r.geo_id.as_deref() {
        Some(id) if id.ends_with("-2025") => format!("{name} (since 2025)"),
        _ => name.to_owned(),
    })
}

pub(crate) fn comparator_symbol(c: Comparator) -> &'static str {
    match c {
        Comparator::Eq => "",
        Comparator::Approx => "≈ ",
        Comparator::Gt => "> ",
        Comparator::Ge => "≥ ",
        Comparator::Lt => "< ",
        Comparator::Le => "≤ ",
    }
}

/// `low`, or `low–high` for a range, followed by the unit.
fn values(low: f64, high: f64, unit: Option<Unit>) -> String {
    let mut s = if low == high {
        number(low)
    } else {
        format!("{}–{}", number(low), number(high))
    };
    let sym = unit.map(unit_symbol).unwrap_or("");
    if !sym.is_empty() {
        if sym != "%" && sym != "×" {
            s.push(' ');
        }
        s.push_str(sym);
    }
    s
}

/// A record's value as a reader writes it: "≈ 68,000 bn VND", "4–5 %", "4 / 14", "24 / 25".
pub(crate) fn record_value(r: &IndicatorRecord) -> String {
    let mut s = comparator_symbol(r.comparator).to_owned();
    if r.measure == Measure::Rank || r.unit == Unit::Rank {
        s.push_str(&number(r.value_low));
        if r.value_high != r.value_low {
            s.push('–');
            s.push_str(&number(r.value_high));
        }
        if let Some(t) = r.rank_total {
            s.push_str(&format!(" / {t}"));
        }
        return s;
    }
    s.push_str(&values(r.value_low, r.value_high, Some(r.unit)));
    if let Some(of) = r.of_total {
        s.push_str(&format!(" / {}", number(of)));
    }
    s
}

/// What the number grammar read a mention as: "9.02%", "4–5%", "rank 4 of 14", "2023-Q1".
pub(crate) fn mention_reading(m: &Mention) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let (Some(lo), Some(hi)) = (m.value_low, m.value_high) {
        let mut s = comparator_symbol(m.comparator).to_owned();
        s.push_str(&values(lo, hi, m.unit));
        parts.push(s);
    }
    if let Some(t) = m.rank_total {
        parts.push(format!("of {t}"));
    }
    if let Some(of) = m.of_total {
        parts.push(format!("of {}", number(of)));
    }
    if let Some(noun) = &m.counted_noun {
        parts.push(format!("“{noun}”"));
    }
    if let Some(p) = m.period {
        match p.fixed() {
            Some(p) => parts.push(format!("period {}", p.label())),
            None => parts.push("a period whose year the context gives".to_owned()),
        }
    }
    if parts.is_empty() {
        parts.push("no value".to_owned());
    }
    parts.join(" ")
}

/// A mention kind for people: "percent", "document number".
pub(crate) fn mention_kind(k: MentionKind) -> String {
    k.as_str().replace('_', " ")
}

/// Which colour family a mention kind belongs to: values, time, or references that are
/// numbers but never values (document numbers, enumerators, footnotes…).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    /// A value that became an indicator row.
    Value,
    /// A value that no row came from.
    Unlinked,
    /// A year, period, date or time.
    Time,
    /// A document number, enumerator, footnote, ordinal, photo label or phone number.
    Reference,
}

impl Family {
    pub(crate) fn of(kind: Option<MentionKind>, has_rows: bool) -> Family {
        match kind {
            _ if has_rows => Family::Value,
            None => Family::Value,
            Some(k) if k.is_value() => Family::Unlinked,
            Some(
                MentionKind::Year | MentionKind::Period | MentionKind::Date | MentionKind::Time,
            ) => Family::Time,
            Some(_) => Family::Reference,
        }
    }

    /// The CSS class.
    pub(crate) fn class(self) -> &'static str {
        match self {
            Family::Value => "hl-v",
            Family::Unlinked => "hl-u",
            Family::Time => "hl-t",
            Family::Reference => "hl-r",
        }
    }
}

/// Sort position of a kind: actuals first, then estimates, targets, forecasts.
pub(crate) fn kind_order(k: Kind) -> usize {
    Kind::ALL
        .iter()
        .position(|x| *x == k)
        .unwrap_or(Kind::ALL.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_numbers_keep_three_significant_digits() {
        assert_eq!(short(2_688_373_900_000.0), "2,688 bn");
        assert_eq!(short(338_169_000_000.0), "338 bn");
        assert_eq!(short(1_097_245_823_000.0), "1,097 bn");
        assert_eq!(short(45_799_000_000_000.0), "45,799 bn");
        assert_eq!(short(72_000_000.0), "72 m");
        assert_eq!(short(4_500_000.0), "4.5 m");
        assert_eq!(short(9.02), "9.02");
        assert_eq!(short(12.345), "12.3");
        assert_eq!(short(-3.2), "-3.2");
        assert_eq!(short(0.0), "0");
    }

    #[test]
    fn numbers_read_like_english_figures() {
        let cases = [
            (9.02, "9.02"),
            (19.3, "19.3"),
            (6943.0, "6,943"),
            (123456.0, "123,456"),
            (-2.5, "-2.5"),
            (0.0, "0"),
            (-0.00001, "0"),
            (68_000e9, "68,000 bn"),
            (1.2e6, "1.2 m"),
            (3.0 / 7.0, "0.4286"),
        ];
        for (v, s) in cases {
            assert_eq!(number(v), s, "{v}");
        }
    }
}
