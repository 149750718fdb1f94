//! Reading files back: which table, columns as values, clear errors for what is not Parquet.

use std::fs;

use chiso_load::{ParquetFile, TableKind, read_parquet, write_indicators, write_validation};

use crate::support::{indicator_rows, meta, rule_results, scratch};

#[test]
fn tables_are_recognised_and_columns_read_as_values() {
    let tmp = scratch("read-tables");
    let dir = tmp.path();
    let ind = dir.join("indicators.parquet");
    write_indicators(&ind, &indicator_rows(), &meta()).expect("written");
    let t = read_parquet(&ind).expect("readable");
    assert_eq!(t.kind, Some(TableKind::Indicators));
    assert_eq!(t.rows, 3);
    assert_eq!(
        t.key_values.get("chiso.pipeline").map(String::as_str),
        Some("quang-ninh")
    );
    assert!(!t.key_values.contains_key("ARROW:schema"));
    assert_eq!(t.created_by.as_deref(), Some("chiso 0.1.0"));
    assert_eq!(
        t.strings("period_start").expect("dates"),
        [
            Some("2023-01-01".to_owned()),
            Some("2023-01-01".to_owned()),
            None
        ]
    );
    assert_eq!(
        t.floats("value_high").expect("floats"),
        [Some(7.35), Some(4.0), Some(7.5)]
    );
    let err = t.strings("nope").expect_err("no such column").to_string();
    assert!(
        err.contains("indicators.parquet") && err.contains("nope"),
        "{err}"
    );

    let val = dir.join("validation.parquet");
    write_validation(&val, &rule_results(), &meta()).expect("written");
    let t = read_parquet(&val).expect("readable");
    assert_eq!(t.kind, Some(TableKind::Validation));
    let quotes = t
        .list_field_strings("rows", "quote")
        .expect("list of structs");
    assert_eq!(quotes.iter().map(Vec::len).collect::<Vec<_>>(), [2, 0, 1]);
    assert!(quotes[2][0].contains("7,35%"));
}

/// A few columns read a batch at a time: the footer's header first, then every row once, only
/// the columns asked for; a column the file does not have is an error naming it.
#[test]
fn columns_are_read_batch_by_batch() {
    let tmp = scratch("read-columns");
    let ind = tmp.path().join("indicators.parquet");
    write_indicators(&ind, &indicator_rows(), &meta()).expect("written");
    let file = ParquetFile::open(&ind).expect("readable");
    assert_eq!(
        (file.header.kind, file.header.rows),
        (Some(TableKind::Indicators), 3)
    );
    assert_eq!(
        file.header
            .key_values
            .get("chiso.pipeline")
            .map(String::as_str),
        Some("quang-ninh")
    );
    let mut seen = Vec::new();
    file.read_columns(
        &["value_high", "period_start"],
        |chunk| -> chiso_load::Result<()> {
            assert_eq!(chunk.columns, ["value_high", "period_start"]);
            assert!(chunk.strings("indicator").is_err(), "not read");
            seen.extend(chunk.floats("value_high")?);
            Ok(())
        },
    )
    .expect("read");
    assert_eq!(seen, [Some(7.35), Some(4.0), Some(7.5)]);
    let err = ParquetFile::open(&ind)
        .expect("readable")
        .read_columns(&["nope"], |_| -> chiso_load::Result<()> { Ok(()) })
        .expect_err("no such column")
        .to_string();
    assert!(
        err.contains("indicators.parquet") && err.contains("nope"),
        "{err}"
    );
}

#[test]
fn missing_text_and_truncated_files_are_clear_errors() {
    let tmp = scratch("read-errors");
    let dir = tmp.path();
    let err = read_parquet(&dir.join("none.parquet"))
        .expect_err("missing")
        .to_string();
    assert!(
        err.contains("cannot open") && err.contains("none.parquet"),
        "{err}"
    );
    let text = dir.join("notes.parquet");
    fs::write(&text, "chỉ số, not Parquet\n").expect("writable");
    let err = read_parquet(&text).expect_err("text").to_string();
    assert!(err.contains("notes.parquet is not a Parquet file"), "{err}");
    let ind = dir.join("indicators.parquet");
    write_indicators(&ind, &indicator_rows(), &meta()).expect("written");
    let bytes = fs::read(&ind).expect("written");
    let cut = dir.join("cut.parquet");
    fs::write(&cut, &bytes[..bytes.len() / 2]).expect("writable");
    let err = read_parquet(&cut).expect_err("truncated").to_string();
    assert!(err.contains("truncated"), "{err}");
}
