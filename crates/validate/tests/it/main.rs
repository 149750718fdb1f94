//! Integration tests of chiso-validate: a realistic rules file over records that mirror a
//! Lào Cai report, and a reference table.
#![allow(clippy::panic, clippy::unwrap_used)] // test and bench code: a failed expectation panics by design

mod laocai;
mod reference;

use std::path::{Path, PathBuf};

use chiso_model::{Comparator, IndicatorRecord, Kind, Measure, Period, Span, Unit};

/// The crate's fixtures directory (never /work/shared).
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A record of the Lào Cai source with the fields a rule looks at.
#[allow(clippy::too_many_arguments)] // a row literal: each argument is a column
pub fn record(
    indicator: &str,
    geo: &str,
    period: Period,
    measure: Measure,
    kind: Kind,
    low: f64,
    high: f64,
    unit: Unit,
    quote: &str,
) -> IndicatorRecord {
    IndicatorRecord {
        source_id: "laocai-2023".into(),
        indicator: indicator.into(),
        geo_code: Some(geo.into()),
        geo_id: Some(geo.into()),
        geo_name: None,
        period: Some(period),
        measure,
        base: None,
        base_period: None,
        kind,
        comparator: Comparator::Eq,
        value_low: low,
        value_high: high,
        unit,
        rank_total: None,
        rank_group: None,
        of_total: None,
        quote: quote.into(),
        span: Span::new(0, 0),
        occurrences: 1,
    }
}
