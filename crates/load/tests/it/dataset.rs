//! The shared Hive-partitioned dataset: layout, reruns that replace, names that clash.

use std::fs;
use std::path::Path;

use chiso_load::{
    DatasetFile, FileMeta, KEY_PARTITION, Staging, dataset_files, dataset_schema, manifest_path,
};
use chiso_model::IndicatorRecord;

use crate::support::{indicator_rows, key_values, meta, read_back, scratch};

fn rows_of_two_indicators() -> Vec<IndicatorRecord> {
    let mut rows = indicator_rows();
    rows[2].indicator = "poverty_rate".into();
    rows
}

fn meta_named(name: &str) -> FileMeta {
    FileMeta {
        pipeline_name: name.into(),
        ..meta()
    }
}

fn write(
    dir: &Path,
    pipeline_file: &Path,
    rows: &[IndicatorRecord],
    name: &str,
) -> chiso_load::Result<()> {
    let mut staging = Staging::new();
    staging.dataset(dir, pipeline_file, rows, &meta_named(name))?;
    staging.commit()?;
    Ok(())
}

fn pipeline_file(dir: &Path, name: &str) -> std::path::PathBuf {
    let p = dir.join(name).join("pipeline.toml");
    fs::create_dir_all(p.parent().expect("has a parent")).expect("writable");
    fs::write(&p, format!("name = \"{name}\"\n")).expect("writable");
    p
}

fn listing(dir: &Path) -> Vec<(String, String)> {
    dataset_files(dir)
        .expect("listable")
        .into_iter()
        .map(
            |DatasetFile {
                 indicator,
                 pipeline,
                 ..
             }| (indicator, pipeline),
        )
        .collect()
}

#[test]
fn each_pipeline_gets_one_file_per_indicator_without_the_partition_column() {
    let tmp = scratch("dataset-layout");
    let root = tmp.path();
    let dir = root.join("dataset");
    let a = pipeline_file(root, "a");
    let b = pipeline_file(root, "b");
    write(&dir, &a, &rows_of_two_indicators(), "a").expect("a written");
    write(&dir, &b, &indicator_rows()[..1], "b").expect("b written");
    assert_eq!(
        listing(&dir),
        [
            ("gdp_growth".into(), "a".into()),
            ("gdp_growth".into(), "b".into()),
            ("poverty_rate".into(), "a".into())
        ]
    );
    let (batches, metadata) = read_back(&dir.join("indicator=gdp_growth/a.parquet"));
    assert_eq!(
        batches[0].schema(),
        dataset_schema(),
        "exact schema, no indicator column"
    );
    assert_eq!(batches.iter().map(|b| b.num_rows()).sum::<usize>(), 2);
    let kv = key_values(&metadata);
    assert!(
        kv.contains(&(KEY_PARTITION.into(), Some("indicator=gdp_growth".into()))),
        "{kv:?}"
    );
    assert!(
        kv.contains(&("chiso.pipeline".into(), Some("a".into()))),
        "{kv:?}"
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(manifest_path(&dir, "a")).expect("manifest"))
            .expect("json");
    assert_eq!(manifest["rows"], 3);
    assert_eq!(
        manifest["files"][1]["path"],
        "indicator=poverty_rate/a.parquet"
    );
}

#[test]
fn a_rerun_replaces_its_own_rows_and_drops_indicators_it_no_longer_yields() {
    let tmp = scratch("dataset-rerun");
    let root = tmp.path();
    let dir = root.join("dataset");
    let a = pipeline_file(root, "a");
    let b = pipeline_file(root, "b");
    write(&dir, &a, &rows_of_two_indicators(), "a").expect("a written");
    write(&dir, &b, &indicator_rows(), "b").expect("b written");
    let b_bytes = fs::read(dir.join("indicator=gdp_growth/b.parquet")).expect("b's file");
    let first = fs::read(dir.join("indicator=gdp_growth/a.parquet")).expect("a's file");

    write(&dir, &a, &rows_of_two_indicators(), "a").expect("a rewritten");
    assert_eq!(
        fs::read(dir.join("indicator=gdp_growth/a.parquet")).expect("a"),
        first,
        "same rows, same bytes"
    );

    write(&dir, &a, &indicator_rows()[..1], "a").expect("a shrinks");
    assert_eq!(
        listing(&dir),
        [
            ("gdp_growth".into(), "a".into()),
            ("gdp_growth".into(), "b".into())
        ]
    );
    assert!(
        !dir.join("indicator=poverty_rate").exists(),
        "the emptied partition is gone"
    );
    let (batches, _) = read_back(&dir.join("indicator=gdp_growth/a.parquet"));
    assert_eq!(batches.iter().map(|b| b.num_rows()).sum::<usize>(), 1);
    assert_eq!(
        fs::read(dir.join("indicator=gdp_growth/b.parquet")).expect("b"),
        b_bytes,
        "b untouched"
    );
    let names: Vec<_> = fs::read_dir(dir.join("indicator=gdp_growth"))
        .expect("partition")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.starts_with('.')),
        "no temporary file left: {names:?}"
    );
}

#[test]
fn a_second_pipeline_file_with_the_same_name_is_refused_and_changes_nothing() {
    let tmp = scratch("dataset-clash");
    let root = tmp.path();
    let dir = root.join("dataset");
    let first = pipeline_file(root, "first");
    let second = pipeline_file(root, "second");
    write(&dir, &first, &indicator_rows(), "shared").expect("first written");
    let before = fs::read(dir.join("indicator=gdp_growth/shared.parquet")).expect("file");
    let err = write(&dir, &second, &indicator_rows()[..1], "shared")
        .expect_err("the name is taken")
        .to_string();
    assert!(
        err.contains("`shared`") && err.contains("first") && err.contains("second"),
        "{err}"
    );
    assert_eq!(
        fs::read(dir.join("indicator=gdp_growth/shared.parquet")).expect("file"),
        before
    );
    let err = write(&dir, &first, &indicator_rows(), "_hidden")
        .expect_err("hidden name")
        .to_string();
    assert!(err.contains("pipeline name \"_hidden\""), "{err}");
}
