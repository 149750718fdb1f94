//! chiso's load stage: writes the dataset as Parquet with an exact Arrow schema.
//!
//! It takes indicator records, mentions and rule results (the data model of `chiso-model`) and
//! gives four files, `indicators.parquet`, `mentions.parquet`, `validation.parquet` and
//! `sources.parquet` (what each input gave, [`sources_batch`]), plus JSON side files. Every
//! file is:
//!
//! - exact: the Arrow schemas of [`indicators_schema()`], [`mentions_schema()`],
//!   [`validation_schema()`] and [`sources_schema()`] (dictionary-encoded low-cardinality strings, `date32` periods,
//!   non-nullable columns declared so);
//! - self-describing: key-value metadata `chiso.schema_version`, `chiso.tool_version`,
//!   `chiso.pipeline`, `chiso.pipeline_sha256`, `chiso.inputs`, and [`datapackage()`] documents
//!   every column;
//! - reproducible: zstd, page statistics, no timestamps, a stable `created_by`, so the same rows
//!   give byte-identical files;
//! - atomic: written to `.<name>.tmp-<pid>`, fsynced and renamed over the target; a failed write
//!   leaves the previous file whole. [`Staging`] writes several files whole before renaming
//!   any of them, so a run killed while writing leaves the previous output in place.
//!
//! A corpus too large for memory is written with [`Staging::stream`]: a [`ParquetStream`] takes
//! record batches in input order and writes row groups of a fixed number of rows as they fill
//! ([`INDICATORS_GROUP_ROWS`], [`MENTIONS_GROUP_ROWS`], [`SOURCES_GROUP_ROWS`]), so the same batches give the same bytes
//! whatever the thread count; a [`WriterThread`] runs it (or a [`DatasetWriter`]) on a thread of
//! its own. Record batches hold the long repeated strings (`quote`, `sentence`) once per run of
//! rows, as dictionaries ([`indicators_batch_schema`], [`mentions_batch_schema`]); the files
//! store them as plain strings ([`indicators_schema`], [`mentions_schema`]).
//!
//! Many pipelines can also share one Hive-partitioned dataset of indicator rows,
//! `DIR/indicator=<id>/<pipeline>.parquet` ([`Staging::dataset`]), and [`read_parquet`] reads any
//! of these files back for summaries.
//!
//! ```
//! use chiso_load::{FileMeta, write_validation};
//! use chiso_model::{RuleResult, Severity, Status};
//! use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
//!
//! let dir = std::env::temp_dir().join(format!("chiso-load-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir)?;
//! let path = dir.join("validation.parquet");
//! let result = RuleResult {
//!     rule_id: "growth-range".into(),
//!     rule_kind: "range".into(),
//!     severity: Severity::Error,
//!     status: Status::Pass,
//!     observed: Some(7.35),
//!     expected: None,
//!     message: "within range".into(),
//!     rows: vec![],
//! };
//! let meta = FileMeta { tool_version: "0.1.0".into(), ..FileMeta::default() };
//! write_validation(&path, &[result], &meta)?;
//!
//! let reader = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(&path)?)?.build()?;
//! let rows: usize = reader.map(|b| b.map(|b| b.num_rows())).sum::<Result<_, _>>()?;
//! assert_eq!(rows, 1);
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![warn(missing_docs)]

mod atomic;
mod convert;
mod dataset;
mod dict_column;
mod dictionary;
mod error;
mod indicators;
mod mentions;
mod read;
mod schema;
mod sources;
mod staging;
mod stream;
mod validation;
mod writer;

pub use atomic::{is_temp_name, write_json_atomic};
pub use dataset::{
    DATASET_BUFFERED_ROWS, DatasetChanges, DatasetFile, DatasetWriter, KEY_PARTITION, MANIFEST_DIR,
    PARTITION_COLUMN, check_dataset_files, check_dataset_owner, dataset_batch, dataset_files,
    dataset_schema, manifest_path,
};
pub use dict_column::run_bytes;
pub use dictionary::{data_dictionary_markdown, datapackage, datapackage_with};
pub use error::{Error, Result};
pub use indicators::{indicators_batch, write_indicators};
pub use mentions::{MentionRow, MentionsBuilder, mentions_batch, period_ref_label, write_mentions};
pub use read::{ParquetFile, ParquetTable, TableKind, read_parquet};
pub use schema::{
    indicators_batch_schema, indicators_schema, mentions_batch_schema, mentions_schema,
    sources_schema, validation_schema,
};
pub use sources::{SOURCES_GROUP_ROWS, sources_batch};
pub use staging::{FileStamp, Staging};
pub use stream::{
    INDICATORS_GROUP_ROWS, InOrderWriter, MENTIONS_GROUP_ROWS, ParquetStream, WriterThread,
};
pub use validation::{validation_batch, write_validation};
pub use writer::{
    FileMeta, Input, InputList, KEY_INPUTS, KEY_PIPELINE, KEY_PIPELINE_SHA256, KEY_SCHEMA_VERSION,
    KEY_TOOL_VERSION, KEY_UPGRADED_FROM, MAX_LISTED_INPUTS,
};

/// What the unit tests share.
#[cfg(test)]
mod test_support {
    /// A fresh directory named after `name`, removed when the guard is dropped.
    pub fn scratch(name: &str) -> tempfile::TempDir {
        tempfile::Builder::new()
            .prefix(&format!("chiso-load-{name}-"))
            .tempdir()
            .expect("the system temp dir is writable")
    }
}
