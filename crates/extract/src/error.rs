use std::path::PathBuf;
use std::time::Duration;

use thiserror::Error;

/// Why bytes could not be turned into text.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeError {
    /// A NUL byte in the first 8 KiB, and the bytes are not UTF-16.
    #[error("binary content (NUL byte at offset {offset}), not text")]
    Binary {
        /// Offset of the first NUL byte.
        offset: usize,
    },
    /// A document format chiso does not read (PDF, Word, …).
    #[error(
        "a {what} document, which chiso does not read: convert it to text or HTML first (for example with pdftotext or pandoc)"
    )]
    Unsupported {
        /// The format, as people name it ("PDF", "Word").
        what: &'static str,
    },
    /// The byte order mark names an encoding the bytes do not follow.
    #[error("the byte order mark says {encoding} but the bytes are not valid {encoding}")]
    Malformed {
        /// The encoding the BOM names.
        encoding: &'static str,
    },
}

/// Errors of the extract stage. Every variant names the source id, and the path or URL.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Error {
    /// A local file could not be read.
    #[error("source {source_id}: cannot read {}: {cause}", path.display())]
    Read {
        /// The source id.
        source_id: String,
        /// The path as given.
        path: PathBuf,
        /// The operating system's reason.
        #[source]
        cause: std::io::Error,
    },
    /// The file or HTTP body is larger than the configured cap.
    #[error("source {source_id}: {origin} is too large: more than the cap of {limit} bytes")]
    TooLarge {
        /// The source id.
        source_id: String,
        /// The path or URL.
        origin: String,
        /// The cap, `ExtractOptions::max_bytes`.
        limit: u64,
    },
    /// The location is not a URL chiso can fetch.
    #[error("source {source_id}: cannot fetch {url}: {reason}")]
    BadUrl {
        /// The source id.
        source_id: String,
        /// The URL as given.
        url: String,
        /// Why: not a URL, or a scheme other than http and https.
        reason: String,
    },
    /// The server answered with a status that is not success.
    #[error("source {source_id}: {url} answered HTTP {status} (after {attempts} attempt(s))")]
    Status {
        /// The source id.
        source_id: String,
        /// The URL.
        url: String,
        /// The HTTP status code.
        status: u16,
        /// How many requests were made.
        attempts: u32,
    },
    /// The request or the body did not complete within the timeout.
    #[error("source {source_id}: {url} timed out after {timeout:?} (after {attempts} attempt(s))")]
    Timeout {
        /// The source id.
        source_id: String,
        /// The URL.
        url: String,
        /// The per-attempt timeout.
        timeout: Duration,
        /// How many requests were made.
        attempts: u32,
    },
    /// The server redirected more often than allowed.
    #[error("source {source_id}: {url} redirected more than {max} times")]
    TooManyRedirects {
        /// The source id.
        source_id: String,
        /// The URL first requested.
        url: String,
        /// The redirect cap.
        max: usize,
    },
    /// The connection failed or broke, e.g. refused, reset, or closed before the body was
    /// complete. A partial body is never used.
    #[error("source {source_id}: {url}: {reason} (after {attempts} attempt(s))")]
    Transport {
        /// The source id.
        source_id: String,
        /// The URL.
        url: String,
        /// What happened, with the underlying causes.
        reason: String,
        /// How many requests were made.
        attempts: u32,
    },
    /// The bytes could not be decoded as text.
    #[error("source {source_id}: cannot decode {origin}: {cause}")]
    Decode {
        /// The source id.
        source_id: String,
        /// The path or URL.
        origin: String,
        /// Why.
        #[source]
        cause: DecodeError,
    },
    /// A corpus (JSON lines or Parquet, one document per line or row), or one of its
    /// documents, could not be read.
    #[error("source {source_id}: cannot read the corpus {origin}{}: {reason}", at.map(|(place, n)| format!(" at {place} {n}")).unwrap_or_default())]
    Corpus {
        /// The source id.
        source_id: String,
        /// The path or URL.
        origin: String,
        /// Where in it: (`"line"`, 7), (`"row"`, 12).
        at: Option<(&'static str, u64)>,
        /// Why.
        reason: String,
    },
    /// A table (CSV/TSV file, workbook, HTML table) could not be read.
    #[error("source {source_id}: cannot read the table in {origin}{}: {reason}", at.as_deref().map(|a| format!(" at {a}")).unwrap_or_default())]
    Table {
        /// The source id.
        source_id: String,
        /// The path or URL.
        origin: String,
        /// Where in it: `line 7`, `sheet "M01"`, `zip entry "xl/worksheets/sheet1.xml"`.
        at: Option<String>,
        /// What is wrong: a ragged row, an unclosed quote, a corrupt or disguised workbook, a
        /// workbook that unpacks to more than the cap.
        reason: String,
    },
    /// A `[sources.table]` mapping whose keys do not fit together.
    #[error("source {source_id}: key `{key}`: {reason}")]
    Mapping {
        /// The source id.
        source_id: String,
        /// The key, e.g. `table.value_column`.
        key: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// A `path` pattern or directory could not be expanded into sources.
    #[error("source {source_id}: cannot expand {pattern:?}: {reason}")]
    Expand {
        /// The source id of the pattern.
        source_id: String,
        /// The pattern or directory as given.
        pattern: String,
        /// Why: a bad pattern, an unreadable directory, nothing matched.
        reason: String,
    },
    /// The HTTP cache could not be used, `offline` is set and the URL is not in it, or a body
    /// could not be stored on disk (a disk error, a stopped run).
    #[error("source {source_id}: {url}: {reason}")]
    Cache {
        /// The source id.
        source_id: String,
        /// The URL.
        url: String,
        /// What failed.
        reason: String,
    },
    /// The HTTP machinery could not start or a fetch task died.
    #[error("source {source_id}: {reason}")]
    Runtime {
        /// The source id.
        source_id: String,
        /// What failed.
        reason: String,
    },
}

impl Error {
    /// The line or row of a corpus that could not be read, when the error is about one.
    pub fn corpus_position(&self) -> Option<u64> {
        match self {
            Error::Corpus { at, .. } => at.map(|(_, n)| n),
            _ => None,
        }
    }

    /// The id of the source the error is about.
    pub fn source_id(&self) -> &str {
        match self {
            Error::Read { source_id, .. }
            | Error::TooLarge { source_id, .. }
            | Error::BadUrl { source_id, .. }
            | Error::Status { source_id, .. }
            | Error::Timeout { source_id, .. }
            | Error::TooManyRedirects { source_id, .. }
            | Error::Transport { source_id, .. }
            | Error::Decode { source_id, .. }
            | Error::Corpus { source_id, .. }
            | Error::Table { source_id, .. }
            | Error::Expand { source_id, .. }
            | Error::Mapping { source_id, .. }
            | Error::Cache { source_id, .. }
            | Error::Runtime { source_id, .. } => source_id,
        }
    }
}

/// Result alias of the extract stage.
pub type Result<T, E = Error> = std::result::Result<T, E>;
