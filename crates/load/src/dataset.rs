//! The dataset many pipelines share: indicator rows partitioned Hive-style by indicator,
//! `DIR/indicator=<id>/<pipeline>.parquet`.
//!
//! - One file per (indicator, pipeline): a rerun of a pipeline replaces its own files and never
//!   adds a second copy of a row; an indicator it no longer yields loses its file.
//! - The partition column `indicator` is not stored inside the files (the directory name carries
//!   it), so polars, DuckDB and pyarrow read it once, as a string column, from the path.
//! - `DIR/_pipelines/<pipeline>.json` records which pipeline file owns a pipeline name, so two
//!   different pipelines with the same name cannot overwrite each other's rows. Names starting
//!   with `_` or `.` are skipped by Hive discovery, so the manifests are never read as data.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use arrow::array::RecordBatch;
use arrow::datatypes::{Schema, SchemaRef};
use chiso_model::IndicatorRecord;
use serde_json::{Value, json};

use crate::atomic::{io, is_temp_name};
use crate::writer::FileMeta;
use crate::{Error, ParquetStream, Result, Staging, indicators_batch, indicators_schema};

/// The column the dataset is partitioned by.
pub const PARTITION_COLUMN: &str = "indicator";
/// The directory, under the dataset, of the per-pipeline manifests.
pub const MANIFEST_DIR: &str = "_pipelines";
/// Key-value metadata key of a dataset file's partition, e.g. `indicator=gdp_growth`.
pub const KEY_PARTITION: &str = "chiso.partition";

static DATASET: LazyLock<SchemaRef> = LazyLock::new(|| {
    let fields: Vec<_> = indicators_schema()
        .fields()
        .iter()
        .filter(|f| f.name() != PARTITION_COLUMN)
        .cloned()
        .collect();
    Arc::new(Schema::new(fields))
});

/// Schema of a dataset file: the columns of `indicators.parquet` without `indicator`, which the
/// partition directory carries.
pub fn dataset_schema() -> SchemaRef {
    Arc::clone(&DATASET)
}

/// Checks that `value` can be a dataset path component without escaping: letters, digits,
/// `-`, `_`, `.`, not starting with `.` or `_` (Hive discovery skips those).
fn check_name(what: &'static str, value: &str) -> Result<()> {
    let reason = if value.is_empty() {
        Some("it is empty")
    } else if value.len() > 128 {
        Some("it is longer than 128 bytes")
    } else if value.starts_with(['.', '_']) {
        Some("readers skip names starting with '.' or '_'")
    } else if !value
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        Some("use letters, digits, '-', '_' or '.'")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(Error::BadName {
            what,
            value: value.to_owned(),
            reason,
        }),
        None => Ok(()),
    }
}

/// One file of a dataset.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct DatasetFile {
    /// The partition: the indicator id.
    pub indicator: String,
    /// The pipeline that wrote the file (its name without `.parquet`).
    pub pipeline: String,
    /// The file.
    pub path: PathBuf,
}

/// Every data file of the dataset under `dir`, sorted by indicator and pipeline. Temporary
/// files of unfinished writes and hidden files are not data and are not listed.
pub fn dataset_files(dir: &Path) -> Result<Vec<DatasetFile>> {
    let mut files = Vec::new();
    for part in fs::read_dir(dir).map_err(io("list", dir))? {
        let part = part.map_err(io("list", dir))?;
        let name = part.file_name();
        let Some(indicator) = name.to_str().and_then(|n| n.strip_prefix("indicator=")) else {
            continue;
        };
        let part_dir = part.path();
        if !part_dir.is_dir() {
            continue;
        }
        for file in fs::read_dir(&part_dir).map_err(io("list", &part_dir))? {
            let file = file.map_err(io("list", &part_dir))?;
            let file_name = file.file_name();
            let Some(file_name) = file_name.to_str() else {
                continue;
            };
            if file_name.starts_with(['.', '_']) || is_temp_name(file_name) {
                continue;
            }
            if let Some(pipeline) = file_name.strip_suffix(".parquet") {
                files.push(DatasetFile {
                    indicator: indicator.to_owned(),
                    pipeline: pipeline.to_owned(),
                    path: file.path(),
                });
            }
        }
    }
    files.sort();
    Ok(files)
}

/// `DIR/_pipelines/<pipeline>.json`.
pub fn manifest_path(dir: &Path, pipeline: &str) -> PathBuf {
    dir.join(MANIFEST_DIR).join(format!("{pipeline}.json"))
}

/// How a pipeline file is recorded as the owner of its name: its canonical path.
fn owner_id(pipeline_file: &Path) -> String {
    fs::canonicalize(pipeline_file)
        .unwrap_or_else(|_| pipeline_file.to_owned())
        .display()
        .to_string()
}

/// Checks, before anything is written, that pipeline `name` from `pipeline_file` may write to
/// the dataset under `dir`: the name is usable in a path, and the dataset holds no rows of
/// another pipeline file with the same name.
pub fn check_dataset_owner(dir: &Path, name: &str, pipeline_file: &Path) -> Result<()> {
    check_name("pipeline name", name)?;
    let manifest = manifest_path(dir, name);
    let text = match fs::read_to_string(&manifest) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io("read", &manifest)(e)),
    };
    let bad = |reason: String| Error::BadManifest {
        path: manifest.clone(),
        reason,
    };
    let value: Value = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
    let owner = value["pipeline_file"]
        .as_str()
        .ok_or_else(|| bad("no `pipeline_file` string".into()))?;
    let claimant = owner_id(pipeline_file);
    if owner == claimant {
        Ok(())
    } else {
        Err(Error::NameTaken {
            dataset: dir.to_owned(),
            name: name.to_owned(),
            owner: owner.to_owned(),
            claimant,
            manifest,
        })
    }
}

/// The record batch of one dataset file: indicator rows without the partition column (`quote`
/// as a dictionary, see [`crate::indicators_batch`]).
pub fn dataset_batch(rows: &[IndicatorRecord]) -> Result<RecordBatch> {
    let batch = indicators_batch(rows)?;
    let schema = indicators_schema();
    let keep: Vec<usize> = (0..schema.fields().len())
        .filter(|&i| schema.field(i).name() != PARTITION_COLUMN)
        .collect();
    batch.project(&keep).map_err(|source| Error::Arrow {
        table: "dataset",
        source,
    })
}

/// What [`Staging::dataset`] will change in a dataset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatasetChanges {
    /// `(indicator, file, rows)` for every file written.
    pub written: Vec<(String, PathBuf, usize)>,
    /// Files of indicators the pipeline no longer yields, removed at the commit.
    pub removed: Vec<PathBuf>,
    /// The pipeline's manifest.
    pub manifest: PathBuf,
    /// Other pipelines' files of an older schema, rewritten with the columns added since
    /// (null in their rows), and the schema version each had.
    pub upgraded: Vec<(PathBuf, String)>,
    /// Other pipelines' files that could not be read to be checked (damaged, not Parquet), and
    /// why: left as they are.
    pub unreadable: Vec<(PathBuf, String)>,
}

/// Rows a [`DatasetWriter`] holds, over all indicators, before it writes the largest buffer as
/// a row group: memory stays bounded whatever the size of the run.
pub const DATASET_BUFFERED_ROWS: usize = 65_536;

/// One dataset file being written: its stream and the rows not yet written.
struct PartFile {
    stream: ParquetStream,
    pending: Vec<IndicatorRecord>,
}

/// A pipeline's part of the dataset, written as its rows stream past: one Parquet file per
/// indicator, `indicator=<id>/<pipeline>.parquet`, started when the indicator's first row
/// arrives, rows in the order given. Rows wait in per-indicator buffers; when more than
/// [`DATASET_BUFFERED_ROWS`] wait, the largest buffer is written as a row group. Nothing is
/// visible until [`Staging::finish_dataset`] stages the files and the staging commits; a writer
/// dropped unfinished (a failed run) removes its temporary files and the directories it
/// created, so a failed run leaves the dataset as it was.
pub struct DatasetWriter {
    dir: PathBuf,
    meta: FileMeta,
    pipeline_file: PathBuf,
    files: BTreeMap<String, PartFile>,
    pending: usize,
    rows: u64,
    /// Directories this writer created, parents first; removed (when empty) if it is dropped
    /// unfinished.
    created: Vec<PathBuf>,
}

impl Drop for DatasetWriter {
    fn drop(&mut self) {
        // The streams first: each removes its temporary file.
        self.files.clear();
        for dir in self.created.iter().rev() {
            // Only empty directories go: anything else in them is not this run's.
            let _ = fs::remove_dir(dir);
        }
    }
}

/// `fs::create_dir_all`, noting in `created` each directory it had to create (parents first).
fn create_dirs(path: &Path, created: &mut Vec<PathBuf>) -> Result<()> {
    let missing: Vec<&Path> = path
        .ancestors()
        .take_while(|a| !a.as_os_str().is_empty() && !a.exists())
        .collect();
    fs::create_dir_all(path).map_err(io("create", path))?;
    created.extend(missing.into_iter().rev().map(Path::to_owned));
    Ok(())
}

impl std::fmt::Debug for DatasetWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatasetWriter")
            .field("dir", &self.dir)
            .field("files", &self.files.len())
            .field("rows", &self.rows)
            .finish()
    }
}

impl crate::InOrderWriter for DatasetWriter {
    type Input = Vec<IndicatorRecord>;

    fn consume(&mut self, rows: Vec<IndicatorRecord>) -> Result<()> {
        self.push(rows)
    }

    fn target(&self) -> &Path {
        &self.dir
    }
}

impl DatasetWriter {
    /// Adds rows (in order); writes row groups as the buffers fill. Rows are taken, not copied:
    /// a caller that keeps them passes clones.
    pub fn push(&mut self, rows: impl IntoIterator<Item = IndicatorRecord>) -> Result<()> {
        for row in rows {
            let file = match self.files.get_mut(&row.indicator) {
                Some(file) => file,
                None => {
                    let stream = self.start(&row.indicator)?;
                    self.files.entry(row.indicator.clone()).or_insert(PartFile {
                        stream,
                        pending: Vec::new(),
                    })
                }
            };
            file.pending.push(row);
            self.pending += 1;
            self.rows += 1;
        }
        while self.pending > DATASET_BUFFERED_ROWS {
            // The largest buffer (the first indicator among equals), so row groups stay large.
            let Some(file) = self
                .files
                .values_mut()
                .rev()
                .max_by_key(|f| f.pending.len())
            else {
                break;
            };
            self.pending -= file.pending.len();
            write_pending(file)?;
        }
        Ok(())
    }

    fn start(&mut self, indicator: &str) -> Result<ParquetStream> {
        check_name("indicator id", indicator)?;
        let partition = format!("{PARTITION_COLUMN}={indicator}");
        let part_dir = self.dir.join(&partition);
        create_dirs(&part_dir, &mut self.created)?;
        let path = part_dir.join(format!("{}.parquet", self.meta.pipeline_name));
        // Row groups are the buffers written (see `write_pending`), never cut by the stream.
        ParquetStream::create(
            &path,
            dataset_schema(),
            None,
            &self.meta,
            &[(KEY_PARTITION, partition)],
        )
    }
}

/// Writes a file's waiting rows as one row group.
fn write_pending(file: &mut PartFile) -> Result<()> {
    if file.pending.is_empty() {
        return Ok(());
    }
    let batch = dataset_batch(&file.pending)?;
    file.pending.clear();
    file.stream.write(&batch)?;
    file.stream.flush()
}

/// What [`Staging::finish_dataset`] did to other pipelines' files.
#[derive(Debug, Default)]
struct Upgrades {
    upgraded: Vec<(PathBuf, String)>,
    unreadable: Vec<(PathBuf, String)>,
}

/// Whether a dataset file (its footer read) lacks columns of this schema: the schema version it
/// was written with, or `None` when it has this schema's columns. A column this chiso does not
/// know is an error ([`Error::NewerDatasetFile`]).
fn columns_unknown(header: &crate::ParquetTable) -> Result<Option<String>> {
    let schema = dataset_schema();
    let ours: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    let theirs: Vec<&str> = header.columns.iter().map(String::as_str).collect();
    if theirs == ours {
        return Ok(None);
    }
    let version = header
        .key_values
        .get(crate::KEY_SCHEMA_VERSION)
        .cloned()
        .unwrap_or_else(|| "unknown".to_owned());
    let unknown: Vec<&str> = theirs
        .iter()
        .copied()
        .filter(|c| !ours.contains(c))
        .collect();
    if !unknown.is_empty() {
        return Err(Error::NewerDatasetFile {
            path: header.path.clone(),
            version,
            ours: chiso_model::SCHEMA_VERSION,
            columns: unknown.join(", "),
        });
    }
    Ok(Some(version))
}

/// Checks, before a run writes to the dataset under `dir`, that no file of another pipeline has
/// columns this chiso does not know (a newer chiso wrote it): such a file would stop the run at
/// its end. Files that cannot be read are left to [`Staging::finish_dataset`], which says so.
pub fn check_dataset_files(dir: &Path, name: &str) -> Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    for file in dataset_files(dir)? {
        if file.pipeline == name {
            continue;
        }
        if let Ok(opened) = crate::ParquetFile::open(&file.path) {
            columns_unknown(&opened.header)?;
        }
    }
    Ok(())
}

impl Staging {
    /// Starts a pipeline's part of the dataset under `dir` (created if missing); rows go in with
    /// [`DatasetWriter::push`], and [`Staging::finish_dataset`] stages the files.
    ///
    /// Refuses (before writing) a pipeline name that another pipeline file already uses in
    /// this dataset, see [`check_dataset_owner`].
    pub fn dataset_writer(
        &self,
        dir: &Path,
        pipeline_file: &Path,
        meta: &FileMeta,
    ) -> Result<DatasetWriter> {
        check_dataset_owner(dir, &meta.pipeline_name, pipeline_file)?;
        check_dataset_files(dir, &meta.pipeline_name)?;
        let mut created = Vec::new();
        create_dirs(&dir.join(MANIFEST_DIR), &mut created)?;
        Ok(DatasetWriter {
            dir: dir.to_owned(),
            meta: meta.clone(),
            pipeline_file: pipeline_file.to_owned(),
            files: BTreeMap::new(),
            pending: 0,
            rows: 0,
            created,
        })
    }

    /// Stages the files of a dataset writer (with `inputs`, the inputs read ([`crate::InputList`]),
    /// in their footers); the removal of the pipeline's files for indicators it no
    /// longer yields; and its manifest.
    pub fn finish_dataset(
        &mut self,
        mut writer: DatasetWriter,
        inputs: &[crate::Input],
    ) -> Result<DatasetChanges> {
        // Other pipelines' files first: should that fail, the writer is dropped unfinished and
        // takes its temporary files and new directories with it.
        let others =
            self.upgrade_others(&writer.dir.clone(), &writer.meta.pipeline_name.clone())?;
        let files = std::mem::take(&mut writer.files);
        let (dir, meta, pipeline_file, rows) = (
            writer.dir.clone(),
            writer.meta.clone(),
            writer.pipeline_file.clone(),
            writer.rows,
        );
        // From here the staging owns the files, and its rollback their directories' contents.
        writer.created.clear();
        let name = meta.pipeline_name.as_str();
        let mut written = Vec::new();
        for (indicator, mut file) in files {
            write_pending(&mut file)?;
            let path = file.stream.target().to_owned();
            let file_rows = file.stream.rows() as usize;
            self.finish_stream(file.stream, inputs)?;
            written.push((indicator, path, file_rows));
        }

        let mut removed = Vec::new();
        for old in dataset_files(&dir)? {
            if old.pipeline == name && !written.iter().any(|(i, _, _)| *i == old.indicator) {
                self.remove(&old.path)?;
                removed.push(old.path);
            }
        }

        let manifest = manifest_path(&dir, name);
        let files: Vec<Value> = written
            .iter()
            .map(|(indicator, path, rows)| {
                let relative = path.strip_prefix(&dir).unwrap_or(path);
                json!({ "indicator": indicator, "path": relative.display().to_string(), "rows": rows })
            })
            .collect();
        let value = json!({
            "pipeline": name,
            "pipeline_file": owner_id(&pipeline_file),
            "pipeline_sha256": meta.pipeline_sha256,
            "tool_version": meta.tool_version,
            "schema_version": chiso_model::SCHEMA_VERSION,
            "partitioning": [PARTITION_COLUMN],
            "rows": rows,
            "files": files,
        });
        self.json(&manifest, &value)?;
        Ok(DatasetChanges {
            written,
            removed,
            manifest,
            upgraded: others.upgraded,
            unreadable: others.unreadable,
        })
    }

    /// Brings the files other pipelines wrote with an older schema up to this one, so that
    /// every file of the dataset has the same columns (polars and DuckDB refuse a scan of
    /// files whose columns differ, and pyarrow takes the first file's): the columns added since
    /// are inserted, null in every row; the rows, their order and row groups, and the files'
    /// provenance stay. Each upgraded file records the version it had
    /// ([`crate::KEY_UPGRADED_FROM`]), and so does its pipeline's manifest. A copy replaces its
    /// file at the commit only if the file is still the one read ([`crate::FileStamp`]): a run
    /// of that pipeline meanwhile keeps its rows. A file that cannot be read is left as it is,
    /// and said ([`DatasetChanges::unreadable`]).
    fn upgrade_others(&mut self, dir: &Path, name: &str) -> Result<Upgrades> {
        let mut done = Upgrades::default();
        let mut pipelines: BTreeMap<String, String> = BTreeMap::new();
        let mut damaged: Vec<String> = Vec::new();
        for file in dataset_files(dir)? {
            if file.pipeline == name {
                continue;
            }
            match self.upgrade_file(&file)? {
                Ok(Some(version)) => {
                    pipelines.insert(file.pipeline.clone(), version.clone());
                    done.upgraded.push((file.path, version));
                }
                Ok(None) => {}
                Err(e @ Error::NewerDatasetFile { .. }) => return Err(e),
                Err(e) => {
                    damaged.push(file.pipeline.clone());
                    done.unreadable.push((file.path, e.to_string()));
                }
            }
        }
        // A manifest says its pipeline's schema only when every file of it has that schema.
        pipelines.retain(|p, _| !damaged.contains(p));
        for (pipeline, version) in pipelines {
            let path = manifest_path(dir, &pipeline);
            let stamp = crate::staging::FileStamp::of(&path);
            let Ok(text) = fs::read_to_string(&path) else {
                continue;
            };
            let Ok(mut value) = serde_json::from_str::<Value>(&text) else {
                continue;
            };
            if let Some(fields) = value.as_object_mut() {
                fields.insert("schema_version".into(), json!(chiso_model::SCHEMA_VERSION));
                fields
                    .entry("upgraded_from")
                    .or_insert_with(|| json!(version));
            }
            self.json(&path, &value)?;
            if let Some(stamp) = stamp {
                self.unless_changed(stamp);
            }
        }
        Ok(done)
    }

    /// Stages `file` rewritten with the dataset schema's columns, when it lacks some: gives
    /// the schema version it had, or `None` when it is up to date; the inner error when `file`
    /// cannot be read (or has columns this chiso does not know), the outer one when its copy
    /// cannot be written.
    fn upgrade_file(&mut self, file: &DatasetFile) -> Result<Result<Option<String>>> {
        // Reading the file: its errors are the inner ones.
        macro_rules! read {
            ($e:expr) => {
                match $e {
                    Ok(v) => v,
                    Err(e) => return Ok(Err(e)),
                }
            };
        }
        let stamp = crate::staging::FileStamp::of(&file.path);
        let opened = read!(crate::ParquetFile::open(&file.path));
        let groups = opened.builder.metadata().row_groups().len();
        let header = opened.header;
        let version = match read!(columns_unknown(&header)) {
            Some(version) => version,
            None => return Ok(Ok(None)),
        };
        let kv = |key: &str| header.key_values.get(key).cloned().unwrap_or_default();
        let inputs: Vec<crate::Input> = read!(
            serde_json::from_str(&kv(crate::KEY_INPUTS)).map_err(|e| Error::NotParquet {
                path: file.path.clone(),
                reason: format!("its `{}` metadata is not chiso's: {e}", crate::KEY_INPUTS),
            })
        );
        let meta = FileMeta {
            tool_version: kv(crate::KEY_TOOL_VERSION),
            pipeline_name: kv(crate::KEY_PIPELINE),
            pipeline_sha256: kv(crate::KEY_PIPELINE_SHA256),
            inputs: Vec::new(),
        };
        let extra = [
            (KEY_PARTITION, kv(KEY_PARTITION)),
            (crate::KEY_UPGRADED_FROM, version.clone()),
        ];
        let schema = dataset_schema();
        let mut stream =
            ParquetStream::create(&file.path, Arc::clone(&schema), None, &meta, &extra)?;
        let read_err = |source| Error::Read {
            path: file.path.clone(),
            source,
        };
        // One row group at a time, each written as one: the file keeps its row groups.
        for group in 0..groups {
            let builder = read!(crate::ParquetFile::open(&file.path)).builder;
            let rows = builder.metadata().row_group(group).num_rows();
            let reader = read!(
                builder
                    .with_row_groups(vec![group])
                    .with_batch_size(usize::try_from(rows).unwrap_or(usize::MAX).max(1))
                    .build()
                    .map_err(read_err)
            );
            for batch in reader {
                let batch = read!(batch.map_err(|e| read_err(e.into())));
                let columns = schema
                    .fields()
                    .iter()
                    .map(|f| match batch.column_by_name(f.name()) {
                        Some(c) => Arc::clone(c),
                        None => arrow::array::new_null_array(f.data_type(), batch.num_rows()),
                    })
                    .collect();
                let batch =
                    RecordBatch::try_new(Arc::clone(&schema), columns).map_err(|source| {
                        Error::Arrow {
                            table: "dataset",
                            source,
                        }
                    })?;
                stream.write(&batch)?;
            }
            stream.flush()?;
        }
        self.finish_stream(stream, &inputs)?;
        if let Some(stamp) = stamp {
            self.unless_changed(stamp);
        }
        Ok(Ok(Some(version)))
    }

    /// Stages a pipeline's indicator rows into the dataset under `dir` at once: a
    /// [`DatasetWriter`] given every row (see [`Staging::dataset_writer`]).
    pub fn dataset(
        &mut self,
        dir: &Path,
        pipeline_file: &Path,
        rows: &[IndicatorRecord],
        meta: &FileMeta,
    ) -> Result<DatasetChanges> {
        let mut writer = self.dataset_writer(dir, pipeline_file, meta)?;
        writer.push(rows.iter().cloned())?;
        self.finish_dataset(writer, &meta.inputs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_need_escaping_or_hide_from_readers_are_refused() {
        for ok in ["gdp_growth", "lao-cai", "v1.2", "lào-cai"] {
            assert!(check_name("pipeline name", ok).is_ok(), "{ok}");
        }
        for bad in ["", "_x", ".x", "a/b", "a=b", "a b", "50%"] {
            let err = check_name("indicator id", bad).expect_err(bad).to_string();
            assert!(err.contains("indicator id"), "{err}");
        }
    }

    fn row(indicator: &str, i: usize) -> IndicatorRecord {
        use chiso_model::{Comparator, Kind, Measure, Span, Unit};
        IndicatorRecord {
            source_id: format!("doc-{i}"),
            indicator: indicator.into(),
            geo_code: Some("VN-02".into()),
            geo_id: Some("VN-02".into()),
            geo_name: None,
            period: None,
            measure: Measure::Level,
            base: None,
            base_period: None,
            kind: Kind::Actual,
            comparator: Comparator::Eq,
            value_low: i as f64,
            value_high: i as f64,
            unit: Unit::Percent,
            rank_total: None,
            rank_group: None,
            of_total: None,
            quote: "q".into(),
            span: Span { start: 0, end: 1 },
            occurrences: 1,
        }
    }

    fn scratch(name: &str) -> tempfile::TempDir {
        crate::test_support::scratch(&format!("dataset-{name}"))
    }

    /// Every path under `dir`, sorted.
    fn tree(dir: &Path) -> Vec<PathBuf> {
        let mut paths = Vec::new();
        let mut todo = vec![dir.to_owned()];
        while let Some(d) = todo.pop() {
            for entry in fs::read_dir(&d).expect("readable").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    todo.push(path.clone());
                }
                paths.push(path);
            }
        }
        paths.sort();
        paths
    }

    #[test]
    fn a_writer_dropped_unfinished_leaves_the_dataset_as_it_was() {
        let tmp = scratch("dropped");
        let root = tmp.path();
        let dir = root.join("data").join("indicators");
        let meta = FileMeta {
            tool_version: "0.1.0".into(),
            pipeline_name: "p".into(),
            ..FileMeta::default()
        };
        let rows = [row("gdp_growth", 1), row("poverty_rate", 2)];

        // A new dataset: the failed run leaves no directory behind, up to the first it created.
        let mut writer = Staging::new()
            .dataset_writer(&dir, Path::new("p.toml"), &meta)
            .expect("started");
        writer.push(rows.iter().cloned()).expect("pushed");
        assert!(dir.join("indicator=gdp_growth").is_dir());
        drop(writer);
        assert!(!root.join("data").exists(), "{:?}", tree(root));

        // An existing dataset: its files stay, the new indicator's directory goes.
        let mut staging = Staging::new();
        staging
            .dataset(&dir, Path::new("p.toml"), &rows[..1], &meta)
            .expect("staged");
        staging.commit().expect("committed");
        let before = tree(root);
        let mut writer = Staging::new()
            .dataset_writer(&dir, Path::new("p.toml"), &meta)
            .expect("started");
        writer
            .push([row("gdp_growth", 3), row("unemployment_rate", 4)])
            .expect("pushed");
        assert!(dir.join("indicator=unemployment_rate").is_dir());
        drop(writer);
        assert_eq!(tree(root), before);
    }

    #[test]
    fn a_streamed_dataset_writes_row_groups_as_buffers_fill_rows_in_order() {
        let tmp = scratch("stream");
        let dir = tmp.path().join("indicators");
        // 3 of 4 rows are growth: its buffer is the one written when too many rows wait.
        let total = DATASET_BUFFERED_ROWS * 2;
        let rows: Vec<IndicatorRecord> = (0..total)
            .map(|i| {
                row(
                    if i % 4 == 0 {
                        "poverty_rate"
                    } else {
                        "gdp_growth"
                    },
                    i,
                )
            })
            .collect();
        let meta = FileMeta {
            tool_version: "0.1.0".into(),
            pipeline_name: "p".into(),
            ..FileMeta::default()
        };
        let mut staging = Staging::new();
        let mut writer = staging
            .dataset_writer(&dir, Path::new("p.toml"), &meta)
            .expect("started");
        for chunk in rows.chunks(10_000) {
            writer.push(chunk.iter().cloned()).expect("pushed");
        }
        let changes = staging.finish_dataset(writer, &[]).expect("staged");
        staging.commit().expect("committed");
        let counts: Vec<(String, usize)> = changes
            .written
            .iter()
            .map(|(i, _, n)| (i.clone(), *n))
            .collect();
        assert_eq!(
            counts,
            [
                ("gdp_growth".to_owned(), total * 3 / 4),
                ("poverty_rate".to_owned(), total / 4)
            ]
        );
        let growth = &changes.written[0].1;
        let file = fs::File::open(growth).expect("written");
        let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
            .expect("parquet");
        assert!(
            reader.metadata().num_row_groups() > 1,
            "row groups written while streaming"
        );
        let mut values = Vec::new();
        for batch in reader.build().expect("reader") {
            let batch = batch.expect("batch");
            let column = batch
                .column_by_name("value_low")
                .expect("value_low")
                .as_any()
                .downcast_ref::<arrow::array::Float64Array>()
                .expect("f64")
                .clone();
            values.extend(column.values().iter().copied());
        }
        let expected: Vec<f64> = (0..total)
            .filter(|i| i % 4 != 0)
            .map(|i| i as f64)
            .collect();
        assert_eq!(values, expected, "rows in the order given");
    }

    #[test]
    fn dataset_schema_is_indicators_without_the_partition_column() {
        let names: Vec<_> = dataset_schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
        assert_eq!(names.len() + 1, indicators_schema().fields().len());
        assert!(!names.iter().any(|n| n == PARTITION_COLUMN));
        assert_eq!(names[0], "source_id");
        assert_eq!(names[1], "geo_code");
    }
}
