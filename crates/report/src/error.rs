use std::path::PathBuf;

/// Errors of the report stage. Rendering cannot fail; writing the file can.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file system operation on the report file failed.
    #[error("cannot {action} {path}: {source}")]
    Io {
        /// What was being done: "write", "rename a temporary file to".
        action: &'static str,
        /// The file concerned.
        path: PathBuf,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
}

/// The report stage's result.
pub type Result<T, E = Error> = std::result::Result<T, E>;
