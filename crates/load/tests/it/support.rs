//! Fixtures and helpers shared by the tests.

use std::fs::File;
use std::path::Path;

use arrow::array::RecordBatch;
use chiso_load::{FileMeta, MentionRow};
use chiso_model::{
    Comparator, ConcernedRow, IndicatorRecord, Kind, Measure, Mention, MentionKind, Period,
    PeriodRef, RuleResult, Severity, Span, Status, Unit,
};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::file::metadata::ParquetMetaData;

/// A fresh scratch directory for one test, removed when the returned guard is dropped.
pub fn scratch(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("chiso-load-it-{name}-"))
        .tempdir()
        .expect("the system temp dir is writable")
}

pub fn meta() -> FileMeta {
    FileMeta {
        tool_version: "0.1.0".into(),
        pipeline_name: "quang-ninh".into(),
        pipeline_sha256: "ab".repeat(32),
        inputs: vec![
            chiso_load::Input::one("qn-2023", "cd".repeat(32)),
            chiso_load::Input::one("hn-2024", "ef".repeat(32)),
        ],
    }
}

const QUOTE: &str = "Tăng trưởng GRDP quý I/2023 đạt 7,35%, đứng thứ 4/14 tỉnh.";

pub fn indicator_rows() -> Vec<IndicatorRecord> {
    let growth = IndicatorRecord {
        source_id: "qn-2023".into(),
        indicator: "gdp_growth".into(),
        geo_code: Some("VN-13".into()),
        geo_id: Some("VN-13".into()),
        geo_name: Some("Quảng Ninh".into()),
        period: Some(Period::Quarter { year: 2023, q: 1 }),
        measure: Measure::Level,
        base: None,
        base_period: None,
        kind: Kind::Actual,
        comparator: Comparator::Eq,
        value_low: 7.35,
        value_high: 7.35,
        unit: Unit::Percent,
        rank_total: None,
        rank_group: None,
        of_total: None,
        quote: QUOTE.into(),
        span: Span::new(32, 37),
        occurrences: 2,
    };
    let rank = IndicatorRecord {
        indicator: "gdp_growth".into(),
        measure: Measure::Rank,
        base: None,
        base_period: None,
        value_low: 4.0,
        value_high: 4.0,
        unit: Unit::Rank,
        rank_total: Some(14),
        rank_group: Some("VN-north".into()),
        span: Span::new(45, 53),
        occurrences: 1,
        ..growth.clone()
    };
    let target_range = IndicatorRecord {
        source_id: "hn-2024".into(),
        indicator: "gdp_growth".into(),
        geo_code: None,
        geo_id: None,
        geo_name: None,
        period: None,
        kind: Kind::Target,
        comparator: Comparator::Approx,
        value_low: 7.0,
        value_high: 7.5,
        quote: "Phấn đấu tăng trưởng khoảng 7-7,5%.".into(),
        span: Span::new(28, 34),
        occurrences: 1,
        ..growth.clone()
    };
    vec![growth, rank, target_range]
}

pub fn mention_rows() -> Vec<MentionRow> {
    let pct =
        Mention::new(MentionKind::Percent, Span::new(32, 37), Span::new(40, 45)).with_value(7.35);
    let pct = Mention {
        unit: Some(Unit::Percent),
        ..pct
    };
    let quarter = Mention {
        period: Some(PeriodRef::Fixed(Period::Quarter { year: 2023, q: 1 })),
        ..Mention::new(MentionKind::Period, Span::new(17, 27), Span::new(20, 31))
    };
    let yearless = Mention {
        period: Some(PeriodRef::Quarter(3)),
        ..Mention::new(MentionKind::Period, Span::new(0, 7), Span::new(0, 9))
    };
    let rank = Mention {
        rank_total: Some(14),
        unit: Some(Unit::Rank),
        comparator: Comparator::Eq,
        ..Mention::new(MentionKind::Rank, Span::new(45, 53), Span::new(50, 59)).with_value(4.0)
    };
    let count = Mention {
        counted_noun: Some("chỉ tiêu".into()),
        of_total: Some(25.0),
        unit: Some(Unit::Count),
        comparator: Comparator::Ge,
        reading: Some("slash read as part of whole"),
        ..Mention::new(MentionKind::SlashPair, Span::new(3, 17), Span::new(3, 20)).with_value(24.0)
    };
    let row = |source: &str, mention: Mention, text: &str, indicator: Option<&str>| MentionRow {
        source_id: source.into(),
        mention,
        text: text.into(),
        indicator: indicator.map(Into::into),
        sentence: QUOTE.into(),
    };
    vec![
        row("qn-2023", quarter, "quý I/2023", None),
        row("qn-2023", pct, "7,35%", Some("gdp_growth")),
        row("hn-2024", yearless, "quý III", None),
        row("qn-2023", rank, "thứ 4/14", Some("gdp_growth")),
        row("hn-2024", count, "24/25 chỉ tiêu", Some("targets_met")),
    ]
}

pub fn rule_results() -> Vec<RuleResult> {
    let concerned = |geo: Option<&str>, label: Option<&str>| ConcernedRow {
        source_id: "qn-2023".into(),
        indicator: "gdp_growth".into(),
        geo_code: geo.map(Into::into),
        period_label: label.map(Into::into),
        value_low: 7.35,
        value_high: 7.35,
        quote: QUOTE.into(),
    };
    vec![
        RuleResult {
            rule_id: "growth-range".into(),
            rule_kind: "range".into(),
            severity: Severity::Error,
            status: Status::Pass,
            observed: Some(7.35),
            expected: None,
            message: "gdp_growth is within [-10, 20].".into(),
            rows: vec![
                concerned(Some("VN-13"), Some("2023-Q1")),
                concerned(None, None),
            ],
        },
        RuleResult {
            rule_id: "has-population".into(),
            rule_kind: "expect".into(),
            severity: Severity::Warn,
            status: Status::Skip,
            observed: None,
            expected: Some(1.0),
            message: "No population row.".into(),
            rows: vec![],
        },
        RuleResult {
            rule_id: "rank-in-group".into(),
            rule_kind: "rank".into(),
            severity: Severity::Error,
            status: Status::Fail,
            observed: Some(4.0),
            expected: Some(14.0),
            message: "rank 4 of 14.".into(),
            rows: vec![concerned(Some("VN-13"), Some("2023-Q1"))],
        },
    ]
}

/// Reads a whole Parquet file back: its batches and its footer metadata.
pub fn read_back(path: &Path) -> (Vec<RecordBatch>, std::sync::Arc<ParquetMetaData>) {
    let file = File::open(path).expect("the file was just written");
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).expect("a valid Parquet file");
    let metadata = builder.metadata().clone();
    let batches = builder
        .build()
        .expect("a reader")
        .collect::<Result<Vec<_>, _>>()
        .expect("readable batches");
    (batches, metadata)
}

/// The key-value metadata of a file as pairs.
pub fn key_values(metadata: &ParquetMetaData) -> Vec<(String, Option<String>)> {
    metadata
        .file_metadata()
        .key_value_metadata()
        .map(|kvs| {
            kvs.iter()
                .map(|kv| (kv.key.clone(), kv.value.clone()))
                .collect()
        })
        .unwrap_or_default()
}
