//! Write then read back each file: schema, values, metadata, determinism, atomicity.

use std::fs;

use arrow::array::{
    Array, AsArray, Date32Array, Float64Array, Int32Array, Int64Array, RecordBatch, StringArray,
};
use arrow::compute::cast;
use arrow::datatypes::DataType;
use chiso_load::{
    KEY_INPUTS, KEY_PIPELINE, KEY_PIPELINE_SHA256, KEY_SCHEMA_VERSION, KEY_TOOL_VERSION,
    indicators_schema, mentions_schema, validation_schema, write_indicators, write_mentions,
    write_validation,
};
use parquet::basic::Compression;

use crate::support::*;

fn column<'a>(batch: &'a RecordBatch, name: &str) -> &'a dyn Array {
    batch
        .column_by_name(name)
        .unwrap_or_else(|| panic!("column {name} exists"))
        .as_ref()
}

/// A string or dictionary-of-string column as optional strings.
fn strings(batch: &RecordBatch, name: &str) -> Vec<Option<String>> {
    let plain = cast(column(batch, name), &DataType::Utf8).expect("castable to utf8");
    let plain = plain
        .as_any()
        .downcast_ref::<StringArray>()
        .expect("utf8 after cast");
    plain.iter().map(|s| s.map(str::to_owned)).collect()
}

fn s(v: &str) -> Option<String> {
    Some(v.to_owned())
}

fn f64s(batch: &RecordBatch, name: &str) -> Vec<Option<f64>> {
    let a = column(batch, name)
        .as_any()
        .downcast_ref::<Float64Array>()
        .expect("float64");
    a.iter().collect()
}

fn i32s(batch: &RecordBatch, name: &str) -> Vec<Option<i32>> {
    let a = column(batch, name)
        .as_any()
        .downcast_ref::<Int32Array>()
        .expect("int32");
    a.iter().collect()
}

fn i64s(batch: &RecordBatch, name: &str) -> Vec<Option<i64>> {
    let a = column(batch, name)
        .as_any()
        .downcast_ref::<Int64Array>()
        .expect("int64");
    a.iter().collect()
}

fn dates(batch: &RecordBatch, name: &str) -> Vec<Option<i32>> {
    let a = column(batch, name)
        .as_any()
        .downcast_ref::<Date32Array>()
        .expect("date32");
    a.iter().collect()
}

fn single_batch(batches: Vec<RecordBatch>) -> RecordBatch {
    assert_eq!(batches.len(), 1, "one batch for a small file");
    batches.into_iter().next().expect("length checked above")
}

#[test]
fn indicators_round_trip_with_exact_schema_and_values() {
    let tmp = scratch("indicators");
    let dir = tmp.path();
    let path = dir.join("indicators.parquet");
    write_indicators(&path, &indicator_rows(), &meta()).expect("writable");
    let (batches, metadata) = read_back(&path);
    let b = single_batch(batches);
    assert_eq!(
        b.schema(),
        indicators_schema(),
        "types and nullability survive the round trip"
    );
    assert_eq!(b.num_rows(), 3);
    assert!(matches!(
        column(&b, "indicator").data_type(),
        DataType::Dictionary(_, _)
    ));

    assert_eq!(
        strings(&b, "source_id"),
        [s("qn-2023"), s("qn-2023"), s("hn-2024")]
    );
    assert_eq!(
        strings(&b, "geo_name"),
        [s("Quảng Ninh"), s("Quảng Ninh"), None]
    );
    // 2023-01-01 and 2023-03-31 as days since 1970-01-01.
    assert_eq!(dates(&b, "period_start"), [Some(19358), Some(19358), None]);
    assert_eq!(dates(&b, "period_end"), [Some(19447), Some(19447), None]);
    assert_eq!(
        strings(&b, "period_label"),
        [s("2023-Q1"), s("2023-Q1"), None]
    );
    assert_eq!(strings(&b, "measure"), [s("level"), s("rank"), s("level")]);
    assert_eq!(strings(&b, "kind"), [s("actual"), s("actual"), s("target")]);
    assert_eq!(strings(&b, "comparator"), [s("eq"), s("eq"), s("approx")]);
    assert_eq!(
        f64s(&b, "value"),
        [Some(7.35), Some(4.0), None],
        "a range has no single value"
    );
    assert_eq!(f64s(&b, "value_low"), [Some(7.35), Some(4.0), Some(7.0)]);
    assert_eq!(f64s(&b, "value_high"), [Some(7.35), Some(4.0), Some(7.5)]);
    assert_eq!(strings(&b, "unit"), [s("percent"), s("rank"), s("percent")]);
    assert_eq!(i32s(&b, "rank_total"), [None, Some(14), None]);
    assert_eq!(strings(&b, "rank_group"), [None, s("VN-north"), None]);
    assert_eq!(
        strings(&b, "quote")[2],
        s("Phấn đấu tăng trưởng khoảng 7-7,5%.")
    );
    assert_eq!(i64s(&b, "char_start"), [Some(32), Some(45), Some(28)]);
    assert_eq!(i64s(&b, "char_end"), [Some(37), Some(53), Some(34)]);
    assert_eq!(i32s(&b, "occurrences"), [Some(2), Some(1), Some(1)]);

    let kv = key_values(&metadata);
    let get = |k: &str| {
        kv.iter()
            .find(|(key, _)| key == k)
            .and_then(|(_, v)| v.clone())
    };
    assert_eq!(
        get(KEY_SCHEMA_VERSION).as_deref(),
        Some(chiso_model::SCHEMA_VERSION)
    );
    assert_eq!(get(KEY_TOOL_VERSION).as_deref(), Some("0.1.0"));
    assert_eq!(get(KEY_PIPELINE).as_deref(), Some("quang-ninh"));
    assert_eq!(get(KEY_PIPELINE_SHA256), Some("ab".repeat(32)));
    let inputs: serde_json::Value =
        serde_json::from_str(&get(KEY_INPUTS).expect("inputs key")).expect("inputs are JSON");
    assert_eq!(
        inputs[1],
        serde_json::json!({"source_id": "hn-2024", "sha256": "ef".repeat(32)})
    );
    assert!(get("ARROW:schema").is_some(), "the Arrow schema is stored");
    assert_eq!(metadata.file_metadata().created_by(), Some("chiso 0.1.0"));

    // zstd everywhere; dictionary pages and statistics on the filter columns.
    let rg = metadata.row_group(0);
    for c in rg.columns() {
        assert!(
            matches!(c.compression(), Compression::ZSTD(_)),
            "{:?}",
            c.column_path()
        );
    }
    for name in ["indicator", "geo_code", "period_start", "value_low"] {
        let idx = indicators_schema().index_of(name).expect("a schema column");
        let c = rg.column(idx);
        assert!(c.statistics().is_some(), "statistics for {name}");
        assert!(c.column_index_offset().is_some(), "page index for {name}");
        if name == "indicator" {
            assert!(
                c.dictionary_page_offset().is_some(),
                "dictionary page for {name}"
            );
        }
    }
}

#[test]
fn mentions_round_trip_with_indices_periods_and_nulls() {
    let tmp = scratch("mentions");
    let dir = tmp.path();
    let path = dir.join("mentions.parquet");
    write_mentions(&path, &mention_rows(), &meta()).expect("writable");
    let (batches, _) = read_back(&path);
    let b = single_batch(batches);
    assert_eq!(b.schema(), mentions_schema());
    assert_eq!(
        i32s(&b, "mention_index"),
        [Some(0), Some(1), Some(0), Some(2), Some(1)]
    );
    assert_eq!(
        strings(&b, "kind"),
        [
            s("period"),
            s("percent"),
            s("period"),
            s("rank"),
            s("slash_pair")
        ]
    );
    assert_eq!(strings(&b, "text")[0], s("quý I/2023"));
    assert_eq!(
        dates(&b, "period_start"),
        [Some(19358), None, None, None, None]
    );
    assert_eq!(
        dates(&b, "period_end"),
        [Some(19447), None, None, None, None]
    );
    assert_eq!(
        strings(&b, "period_label"),
        [s("2023-Q1"), None, s("Q3 (year from context)"), None, None]
    );
    assert_eq!(
        f64s(&b, "value_low"),
        [None, Some(7.35), None, Some(4.0), Some(24.0)]
    );
    assert_eq!(
        strings(&b, "unit"),
        [None, s("percent"), None, s("rank"), s("count")]
    );
    assert_eq!(
        strings(&b, "comparator"),
        [s("eq"), s("eq"), s("eq"), s("eq"), s("ge")]
    );
    assert_eq!(i32s(&b, "rank_total"), [None, None, None, Some(14), None]);
    assert_eq!(f64s(&b, "of_total"), [None, None, None, None, Some(25.0)]);
    assert_eq!(strings(&b, "counted_noun")[4], s("chỉ tiêu"));
    assert_eq!(strings(&b, "reading")[4], s("slash read as part of whole"));
    assert_eq!(
        strings(&b, "indicator"),
        [
            None,
            s("gdp_growth"),
            None,
            s("gdp_growth"),
            s("targets_met")
        ]
    );
    assert_eq!(i64s(&b, "char_start")[1], Some(32));
    assert!(
        strings(&b, "sentence")
            .iter()
            .all(|x| x.as_deref().is_some_and(|t| t.contains("7,35%")))
    );
}

#[test]
fn validation_round_trip_with_nested_rows() {
    let tmp = scratch("validation");
    let dir = tmp.path();
    let path = dir.join("validation.parquet");
    write_validation(&path, &rule_results(), &meta()).expect("writable");
    let (batches, _) = read_back(&path);
    let b = single_batch(batches);
    assert_eq!(b.schema(), validation_schema());
    assert_eq!(
        strings(&b, "rule_id"),
        [s("growth-range"), s("has-population"), s("rank-in-group")]
    );
    assert_eq!(strings(&b, "severity"), [s("error"), s("warn"), s("error")]);
    assert_eq!(strings(&b, "status"), [s("pass"), s("skip"), s("fail")]);
    assert_eq!(f64s(&b, "observed"), [Some(7.35), None, Some(4.0)]);
    assert_eq!(f64s(&b, "expected"), [None, Some(1.0), Some(14.0)]);
    let rows = column(&b, "rows").as_list::<i32>();
    let lengths: Vec<usize> = (0..rows.len()).map(|i| rows.value(i).len()).collect();
    assert_eq!(lengths, [2, 0, 1]);
    let first = rows.value(0);
    let first = first.as_struct();
    let geo = first
        .column_by_name("geo_code")
        .expect("geo_code field")
        .as_string::<i32>();
    assert_eq!(geo.iter().collect::<Vec<_>>(), [Some("VN-13"), None]);
    let label = first
        .column_by_name("period_label")
        .expect("field")
        .as_string::<i32>();
    assert_eq!(label.value(0), "2023-Q1");
    let quote = first
        .column_by_name("quote")
        .expect("quote field")
        .as_string::<i32>();
    assert!(quote.value(1).starts_with("Tăng trưởng GRDP"));
}

#[test]
fn empty_rows_write_valid_files_with_the_schema() {
    let tmp = scratch("empty");
    let dir = tmp.path();
    let cases = [
        ("indicators.parquet", indicators_schema()),
        ("mentions.parquet", mentions_schema()),
        ("validation.parquet", validation_schema()),
    ];
    write_indicators(&dir.join(cases[0].0), &[], &meta()).expect("writable");
    write_mentions(&dir.join(cases[1].0), &[], &meta()).expect("writable");
    write_validation(&dir.join(cases[2].0), &[], &meta()).expect("writable");
    for (name, schema) in cases {
        let file = fs::File::open(dir.join(name)).expect("written");
        let builder = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
            .expect("a valid Parquet file");
        let shape = |s: &arrow::datatypes::Schema| -> Vec<(String, DataType, bool)> {
            s.fields()
                .iter()
                .map(|f| (f.name().clone(), f.data_type().clone(), f.is_nullable()))
                .collect()
        };
        assert_eq!(shape(builder.schema()), shape(&schema), "{name}");
        assert_eq!(builder.metadata().file_metadata().num_rows(), 0, "{name}");
        let kv = key_values(builder.metadata());
        assert!(kv.iter().any(|(k, _)| k == KEY_SCHEMA_VERSION), "{name}");
    }
}

#[test]
fn same_rows_give_byte_identical_files() {
    let tmp = scratch("determinism");
    let dir = tmp.path();
    let (a, b) = (dir.join("a.parquet"), dir.join("b.parquet"));
    write_indicators(&a, &indicator_rows(), &meta()).expect("writable");
    write_indicators(&b, &indicator_rows(), &meta()).expect("writable");
    assert_eq!(fs::read(&a).expect("a"), fs::read(&b).expect("b"));
    let before = fs::read(&a).expect("a");
    write_indicators(&a, &indicator_rows(), &meta()).expect("rewritable");
    assert_eq!(
        before,
        fs::read(&a).expect("a"),
        "rewriting in place gives the same bytes"
    );
    write_mentions(&a, &mention_rows(), &meta()).expect("writable");
    write_mentions(&b, &mention_rows(), &meta()).expect("writable");
    assert_eq!(fs::read(&a).expect("a"), fs::read(&b).expect("b"));
    write_validation(&a, &rule_results(), &meta()).expect("writable");
    write_validation(&b, &rule_results(), &meta()).expect("writable");
    assert_eq!(fs::read(&a).expect("a"), fs::read(&b).expect("b"));
}

#[test]
fn failed_write_leaves_previous_file_byte_identical() {
    let tmp = scratch("atomic");
    let dir = tmp.path();
    let path = dir.join("indicators.parquet");
    write_indicators(&path, &indicator_rows(), &meta()).expect("writable");
    let before = fs::read(&path).expect("written");

    let mut bad = indicator_rows();
    bad[1].rank_total = Some(u32::MAX);
    let err = write_indicators(&path, &bad, &meta())
        .expect_err("the case under test must fail")
        .to_string();
    assert!(err.contains("rank_total"), "{err}");
    assert_eq!(fs::read(&path).expect("still there"), before);

    let names: Vec<String> = fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        ["indicators.parquet"],
        "no temporary file is left behind"
    );

    // A different row set replaces the file whole.
    write_indicators(&path, &indicator_rows()[..1], &meta()).expect("writable");
    let (batches, _) = read_back(&path);
    assert_eq!(batches.iter().map(|b| b.num_rows()).sum::<usize>(), 1);
}

/// Record batches hold `quote` and `sentence` once per run of rows (dictionaries); the files
/// must be byte for byte what the same rows as plain strings give.
#[test]
fn run_columns_are_stored_as_the_strings_themselves() {
    use chiso_load::{indicators_batch, mentions_batch};
    let tmp = scratch("run-columns");
    let dir = tmp.path();
    let cases = [
        (
            "quote",
            indicators_batch(&indicator_rows()).expect("batch"),
            indicators_schema(),
        ),
        (
            "sentence",
            mentions_batch(&mention_rows()).expect("batch"),
            mentions_schema(),
        ),
    ];
    for (name, batch, schema) in cases {
        assert!(
            matches!(
                batch
                    .schema()
                    .field_with_name(name)
                    .expect("column")
                    .data_type(),
                DataType::Dictionary(_, _)
            ),
            "{name}"
        );
        let runs = batch
            .column_by_name(name)
            .expect("column")
            .as_any_dictionary();
        assert!(
            runs.values().len() < batch.num_rows(),
            "{name}: the rows repeat a value"
        );
        let plain_columns = batch
            .schema()
            .fields()
            .iter()
            .zip(schema.fields())
            .zip(batch.columns())
            .map(|((_, field), column)| cast(column, field.data_type()).expect("castable"))
            .collect();
        let plain = RecordBatch::try_new(schema.clone(), plain_columns).expect("the file's schema");
        let (a, b) = (dir.join("runs.parquet"), dir.join("plain.parquet"));
        for (path, batch) in [(&a, &batch), (&b, &plain)] {
            let file = fs::File::create(path).expect("writable");
            let props = meta().writer_properties();
            let mut writer =
                parquet::arrow::ArrowWriter::try_new(file, schema.clone(), Some(props))
                    .expect("writer");
            writer.write(batch).expect("written");
            writer.close().expect("closed");
        }
        assert_eq!(fs::read(&a).expect("a"), fs::read(&b).expect("b"), "{name}");
        let (read, _) = read_back(&a);
        assert_eq!(
            read[0]
                .schema()
                .field_with_name(name)
                .expect("column")
                .data_type(),
            &DataType::Utf8
        );
    }
}
