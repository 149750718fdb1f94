//! Table-driven linker cases from `tests/data/link_cases.toml`: every row a text must give.

use chiso_model::{Document, IndicatorRecord, PartialDate, SourceMeta};
use chiso_transform::link::Linker;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Cases {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    text: String,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    geo: Option<String>,
    rows: Vec<String>,
}

fn fmt_value(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e16 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

fn row(r: &IndicatorRecord) -> String {
    let value = if r.value_low == r.value_high {
        fmt_value(r.value_low)
    } else {
        format!("{}..{}", fmt_value(r.value_low), fmt_value(r.value_high))
    };
    format!(
        "{} {} {} {} {} {} {value} {}",
        r.indicator,
        r.geo_code.as_deref().unwrap_or("-"),
        r.period.map(|p| p.label()).unwrap_or_else(|| "-".into()),
        r.measure,
        r.kind,
        r.comparator,
        r.unit
    )
}

#[test]
fn every_case_gives_exactly_its_rows() {
    let cases: Cases =
        toml::from_str(include_str!("../data/link_cases.toml")).expect("cases parse");
    let linker = Linker::builtin();
    let mut failures = Vec::new();
    for case in &cases.case {
        let doc = Document {
            source_id: "case".into(),
            text: case.text.clone(),
            meta: SourceMeta {
                published: case
                    .published
                    .as_deref()
                    .map(|p| p.parse::<PartialDate>().expect("date")),
                geo: case.geo.clone(),
                ..SourceMeta::default()
            },
        };
        let got: Vec<String> = linker.transform(&doc).records.iter().map(row).collect();
        if got != case.rows {
            failures.push(format!(
                "{}:\n  text: {}\n  want: {:#?}\n  got:  {:#?}",
                case.name, case.text, case.rows, got
            ));
        }
    }
    assert!(cases.case.len() >= 12);
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.case.len(),
        failures.join("\n")
    );
}
