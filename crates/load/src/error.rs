use std::path::PathBuf;

use thiserror::Error;

/// Errors of the load stage.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Error {
    /// A file system operation on an output file failed.
    #[error("cannot {action} {path}: {source}")]
    Io {
        /// What was being done: "create", "write", "rename to", ...
        action: &'static str,
        /// The file concerned.
        path: PathBuf,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
    /// The rows could not be assembled into an Arrow record batch.
    #[error("cannot build the {table} table: {source}")]
    Arrow {
        /// Which table: "indicators", "mentions" or "validation".
        table: &'static str,
        /// Arrow's reason.
        #[source]
        source: arrow::error::ArrowError,
    },
    /// The Parquet encoder failed.
    #[error("cannot encode {path} as Parquet: {source}")]
    Parquet {
        /// The file being written.
        path: PathBuf,
        /// The encoder's reason.
        #[source]
        source: parquet::errors::ParquetError,
    },
    /// The thread writing a file or dataset stopped without saying why.
    #[error("cannot write {path}: {reason}")]
    WriterStopped {
        /// The file or dataset directory.
        path: PathBuf,
        /// What happened to the thread.
        reason: String,
    },
    /// A value does not fit the column type of the schema.
    #[error("{table}.{column}: value {value} does not fit the column type {target}")]
    OutOfRange {
        /// Which table.
        table: &'static str,
        /// Which column.
        column: &'static str,
        /// The value, printed.
        value: String,
        /// The column's Arrow type.
        target: &'static str,
    },
    /// A JSON value could not be serialised.
    #[error("cannot serialise JSON for {path}: {source}")]
    Json {
        /// The file being written.
        path: PathBuf,
        /// serde_json's reason.
        #[source]
        source: serde_json::Error,
    },
    /// The same output file was staged twice in one commit.
    #[error("{path} is staged twice in one run")]
    StagedTwice {
        /// The file.
        path: PathBuf,
    },
    /// A dataset already holds rows of another pipeline file with the same pipeline name.
    #[error(
        "dataset {dataset}: pipeline name `{name}` already belongs to {owner}, not {claimant}; \
         give one of the pipelines another `name`, or remove {manifest} and {dataset}/indicator=*/{name}.parquet \
         if the old pipeline is gone"
    )]
    NameTaken {
        /// The dataset directory.
        dataset: PathBuf,
        /// The pipeline name both files use.
        name: String,
        /// The pipeline file that wrote the rows already there.
        owner: String,
        /// The pipeline file that wants to write.
        claimant: String,
        /// The manifest recording the owner.
        manifest: PathBuf,
    },
    /// A name cannot be used in a dataset path (partition value or file name).
    #[error("{what} {value:?} cannot be used in a dataset path: {reason}")]
    BadName {
        /// "pipeline name" or "indicator id".
        what: &'static str,
        /// The name.
        value: String,
        /// Why.
        reason: &'static str,
    },
    /// A dataset manifest is not what chiso writes.
    #[error("{path}: not a chiso dataset manifest: {reason}")]
    BadManifest {
        /// The manifest file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// A file of a dataset has columns this chiso does not know: a newer chiso wrote it.
    #[error(
        "{path}: a dataset file of schema {version} with columns this chiso ({ours}) does not \
         know ({columns}): it was written by a newer chiso; run that version, or move the file \
         out of the dataset"
    )]
    NewerDatasetFile {
        /// The file.
        path: PathBuf,
        /// Its `chiso.schema_version`.
        version: String,
        /// This chiso's schema version.
        ours: &'static str,
        /// The columns not known.
        columns: String,
    },
    /// A file that should be Parquet is not.
    #[error("{path} is not a Parquet file ({reason})")]
    NotParquet {
        /// The file.
        path: PathBuf,
        /// What gave it away.
        reason: String,
    },
    /// A Parquet file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The reader's reason.
        #[source]
        source: parquet::errors::ParquetError,
    },
    /// A column could not be read as the type asked for.
    #[error("{path}: column {column}: {reason}")]
    Column {
        /// The file.
        path: PathBuf,
        /// The column.
        column: String,
        /// What is wrong.
        reason: String,
    },
}

/// Result alias of the load stage.
pub type Result<T, E = Error> = std::result::Result<T, E>;
