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

/// The schema version before `base` and `base_period`.
const OLDER: &str = "1.2.0";

/// A dataset under `tmp` with the rows of pipeline "old"; the pipeline files of "old" and "new".
fn two_pipelines(
    tmp: &tempfile::TempDir,
) -> (std::path::PathBuf, std::path::PathBuf, std::path::PathBuf) {
    let dir = tmp.path().join("dataset");
    let (old_file, new_file) = (
        pipeline_file(tmp.path(), "old"),
        pipeline_file(tmp.path(), "new"),
    );
    write(&dir, &old_file, &rows_of_two_indicators(), "old").expect("written");
    (dir, old_file, new_file)
}

/// Rewrites a pipeline's dataset file as an older chiso wrote it: without the columns `added`
/// and with `version` as its schema version (every other key-value pair kept).
fn make_older(path: &Path, added: &[&str], version: &str) {
    use parquet::arrow::ArrowWriter;
    use parquet::file::metadata::KeyValue;
    use parquet::file::properties::WriterProperties;

    let (batches, metadata) = read_back(path);
    let kvs: Vec<KeyValue> = key_values(&metadata)
        .into_iter()
        .filter(|(k, _)| k != "ARROW:schema")
        .map(|(k, v)| {
            let v = if k == "chiso.schema_version" {
                Some(version.to_owned())
            } else {
                v
            };
            KeyValue { key: k, value: v }
        })
        .collect();
    let keep: Vec<usize> = (0..batches[0].num_columns())
        .filter(|&i| !added.contains(&batches[0].schema().field(i).name().as_str()))
        .collect();
    let old: Vec<_> = batches
        .iter()
        .map(|b| b.project(&keep).expect("columns"))
        .collect();
    let props = WriterProperties::builder()
        .set_key_value_metadata(Some(kvs))
        .build();
    let file = fs::File::create(path).expect("writable");
    let mut writer = ArrowWriter::try_new(file, old[0].schema(), Some(props)).expect("writer");
    for b in &old {
        writer.write(b).expect("written");
    }
    writer.close().expect("closed");
}

#[test]
fn another_pipelines_older_files_are_given_the_new_columns_null_rows_and_provenance_kept() {
    let tmp = scratch("dataset-upgrade");
    let (dir, _, new_file) = two_pipelines(&tmp);
    let older = dir.join("indicator=gdp_growth/old.parquet");
    make_older(&older, &["base", "base_period"], OLDER);
    assert_eq!(
        chiso_load::ParquetFile::open(&older)
            .expect("readable")
            .header
            .kind,
        Some(chiso_load::TableKind::DatasetPart),
        "a file of an older schema is still a dataset file"
    );
    let (before, before_meta) = read_back(&older);
    let mut manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(manifest_path(&dir, "old")).expect("manifest"))
            .expect("json");
    manifest["schema_version"] = "1.2.0".into();
    fs::write(manifest_path(&dir, "old"), manifest.to_string()).expect("writable");

    let mut staging = Staging::new();
    let changes = staging
        .dataset(&dir, &new_file, &indicator_rows(), &meta_named("new"))
        .expect("staged");
    assert!(
        before.iter().all(|b| b.column_by_name("base").is_none()),
        "nothing changes before the commit"
    );
    staging.commit().expect("committed");
    assert_eq!(changes.upgraded, [(older.clone(), "1.2.0".to_owned())]);

    let (after, after_meta) = read_back(&older);
    assert_eq!(after[0].schema().fields(), dataset_schema().fields());
    let rows = |bs: &[arrow::array::RecordBatch]| bs.iter().map(|b| b.num_rows()).sum::<usize>();
    assert_eq!(rows(&after), rows(&before));
    assert!(rows(&after) > 0);
    for name in before[0].schema().fields().iter().map(|f| f.name()) {
        let col = |bs: &[arrow::array::RecordBatch]| {
            arrow::compute::concat(
                &bs.iter()
                    .map(|b| b.column_by_name(name).expect("column").as_ref())
                    .collect::<Vec<_>>(),
            )
            .expect("concatenated")
        };
        assert_eq!(col(&after).to_data(), col(&before).to_data(), "{name}");
    }
    for b in &after {
        assert_eq!(
            b.column_by_name("base").expect("base").null_count(),
            b.num_rows()
        );
        assert_eq!(
            b.column_by_name("base_period")
                .expect("base_period")
                .null_count(),
            b.num_rows()
        );
    }
    let kv = key_values(&after_meta);
    let get = |k: &str| {
        kv.iter()
            .find(|(key, _)| key == k)
            .and_then(|(_, v)| v.clone())
    };
    assert_eq!(
        get("chiso.schema_version").as_deref(),
        Some(chiso_model::SCHEMA_VERSION)
    );
    assert_eq!(get("chiso.upgraded_from").as_deref(), Some("1.2.0"));
    for kept in [
        KEY_PARTITION,
        "chiso.pipeline",
        "chiso.pipeline_sha256",
        "chiso.tool_version",
        "chiso.inputs",
    ] {
        let was = key_values(&before_meta)
            .into_iter()
            .find(|(k, _)| k == kept)
            .and_then(|(_, v)| v);
        assert_eq!(get(kept), was, "{kept}");
        assert!(was.is_some(), "{kept}");
    }
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(manifest_path(&dir, "old")).expect("manifest"))
            .expect("json");
    assert_eq!(manifest["schema_version"], chiso_model::SCHEMA_VERSION);
    assert_eq!(manifest["upgraded_from"], "1.2.0");
    // The other file of the old pipeline was up to date: not rewritten.
    assert_eq!(changes.upgraded.len(), 1, "{:?}", changes.upgraded);

    // A second run finds nothing to upgrade.
    let mut staging = Staging::new();
    let again = staging
        .dataset(&dir, &new_file, &indicator_rows(), &meta_named("new"))
        .expect("staged");
    staging.commit().expect("committed");
    assert!(again.upgraded.is_empty(), "{:?}", again.upgraded);
}

#[test]
fn a_file_of_a_newer_schema_stops_the_dataset_and_changes_nothing() {
    let tmp = scratch("dataset-newer");
    let dir = tmp.path().join("dataset");
    let (old_file, new_file) = (
        pipeline_file(tmp.path(), "other"),
        pipeline_file(tmp.path(), "mine"),
    );
    write(&dir, &old_file, &rows_of_two_indicators(), "other").expect("written");
    let newer = dir.join("indicator=gdp_growth/other.parquet");
    // A newer chiso's file: one column more than this one knows.
    {
        use parquet::arrow::ArrowWriter;
        let (batches, metadata) = read_back(&newer);
        let b = &batches[0];
        let mut fields: Vec<_> = b.schema().fields().iter().cloned().collect();
        fields.push(std::sync::Arc::new(arrow::datatypes::Field::new(
            "confidence",
            arrow::datatypes::DataType::Float64,
            true,
        )));
        let mut columns = b.columns().to_vec();
        columns.push(arrow::array::new_null_array(
            &arrow::datatypes::DataType::Float64,
            b.num_rows(),
        ));
        let wider = arrow::array::RecordBatch::try_new(
            std::sync::Arc::new(arrow::datatypes::Schema::new(fields)),
            columns,
        )
        .expect("batch");
        let kvs = key_values(&metadata)
            .into_iter()
            .filter(|(k, _)| k != "ARROW:schema")
            .map(|(key, value)| parquet::file::metadata::KeyValue { key, value })
            .collect();
        let props = parquet::file::properties::WriterProperties::builder()
            .set_key_value_metadata(Some(kvs))
            .build();
        let mut w = ArrowWriter::try_new(
            fs::File::create(&newer).expect("w"),
            wider.schema(),
            Some(props),
        )
        .expect("writer");
        w.write(&wider).expect("written");
        w.close().expect("closed");
    }
    let bytes = fs::read(&newer).expect("readable");
    let mut staging = Staging::new();
    let err = staging
        .dataset(&dir, &new_file, &indicator_rows(), &meta_named("mine"))
        .expect_err("refused")
        .to_string();
    drop(staging);
    assert!(
        err.contains("confidence") && err.contains("newer chiso"),
        "{err}"
    );
    assert!(err.contains("other.parquet"), "{err}");
    assert_eq!(fs::read(&newer).expect("readable"), bytes);
    assert!(
        listing(&dir).iter().all(|(_, p)| p == "other"),
        "{:?}",
        listing(&dir)
    );
}

/// Another run of the older pipeline, committing between this run's upgrade of its file and
/// this run's commit, keeps its rows: the copy is not put back over them.
#[test]
fn an_upgrade_never_overwrites_what_the_pipelines_own_run_wrote_meanwhile() {
    let tmp = scratch("dataset-upgrade-race");
    let (dir, old_file, new_file) = two_pipelines(&tmp);
    let older = dir.join("indicator=gdp_growth/old.parquet");
    make_older(&older, &["base", "base_period"], OLDER);

    let mut staging = Staging::new();
    let changes = staging
        .dataset(&dir, &new_file, &indicator_rows(), &meta_named("new"))
        .expect("staged");
    assert_eq!(changes.upgraded.len(), 1);
    // Meanwhile the old pipeline's own run (by a chiso of this schema) commits new rows.
    let mut rerun = rows_of_two_indicators();
    rerun[0].value_low = 77.0;
    rerun[0].value_high = 77.0;
    std::thread::sleep(std::time::Duration::from_millis(20));
    write(&dir, &old_file, &rerun, "old").expect("written");
    let theirs = fs::read(&older).expect("readable");
    staging.commit().expect("committed");
    assert_eq!(
        fs::read(&older).expect("readable"),
        theirs,
        "their rows stay"
    );
    assert!(
        fs::read_dir(older.parent().expect("a partition"))
            .expect("listable")
            .all(|e| !chiso_load::is_temp_name(&e.expect("entry").file_name().to_string_lossy())),
        "no temporary file is left"
    );
}

/// A damaged file of another pipeline is no reason to refuse this pipeline's rows: it is left
/// as it is, and said.
#[test]
fn a_damaged_file_of_another_pipeline_is_left_and_reported() {
    let tmp = scratch("dataset-damaged");
    let (dir, _, new_file) = two_pipelines(&tmp);
    let damaged = dir.join("indicator=gdp_growth/old.parquet");
    let bytes = fs::read(&damaged).expect("readable");
    fs::write(&damaged, &bytes[..bytes.len() / 2]).expect("writable");
    let mut staging = Staging::new();
    let changes = staging
        .dataset(&dir, &new_file, &indicator_rows(), &meta_named("new"))
        .expect("staged");
    staging.commit().expect("committed");
    assert!(changes.upgraded.is_empty());
    assert_eq!(changes.unreadable.len(), 1, "{:?}", changes.unreadable);
    assert_eq!(changes.unreadable[0].0, damaged);
    assert!(
        changes.unreadable[0].1.contains("PAR1"),
        "{:?}",
        changes.unreadable
    );
    assert_eq!(
        fs::read(&damaged).expect("readable"),
        &bytes[..bytes.len() / 2]
    );
    assert!(listing(&dir).iter().any(|(_, p)| p == "new"));
}
