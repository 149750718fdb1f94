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
}

/// Result alias of the load stage.
pub type Result<T, E = Error> = std::result::Result<T, E>;
