//! What a run records about each input it read: a row of `sources.parquet`, and (for the first
//! of them) an entry of run.json's `sources`.

use crate::PartialDate;

/// What an entry describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SourceKind {
    /// A file or URL read as one document (text, HTML, PDF, a table file).
    #[default]
    Source,
    /// A corpus file or URL (JSON lines, Parquet, CSV): its documents have entries of their own.
    Corpus,
    /// One document of a corpus.
    Document,
}

impl SourceKind {
    /// Every kind, in declaration order.
    pub const ALL: [SourceKind; 3] = [SourceKind::Source, SourceKind::Corpus, SourceKind::Document];

    /// The name written in `sources.parquet`.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Source => "source",
            SourceKind::Corpus => "corpus",
            SourceKind::Document => "document",
        }
    }
}

/// Whether an input was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SourceStatus {
    /// Read whole.
    #[default]
    Ok,
    /// A corpus some of whose documents could not be read.
    Partial,
    /// Not read: see the entry's `error`.
    Failed,
    /// Read, with the same text as an input before it in the run (the same `text_sha256`): not
    /// transformed again, so it gives no rows (`duplicates = "skip"`, the default).
    Duplicate,
}

impl SourceStatus {
    /// Every status, in declaration order.
    pub const ALL: [SourceStatus; 4] = [
        SourceStatus::Ok,
        SourceStatus::Partial,
        SourceStatus::Failed,
        SourceStatus::Duplicate,
    ];

    /// The status named `name` (as [`SourceStatus::as_str`] writes it).
    pub fn from_name(name: &str) -> Option<SourceStatus> {
        SourceStatus::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Whether an input of this status was read whole (a duplicate was, then set aside).
    pub fn read_whole(self) -> bool {
        matches!(self, SourceStatus::Ok | SourceStatus::Duplicate)
    }

    /// The name written in `sources.parquet` and run.json.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceStatus::Ok => "ok",
            SourceStatus::Partial => "partial",
            SourceStatus::Failed => "failed",
            SourceStatus::Duplicate => "duplicate",
        }
    }
}

/// How a URL source was fetched: what sources.parquet and run.json record about it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FetchRecord {
    /// The URL as the pipeline gives it.
    pub url: String,
    /// The URL after redirects.
    pub final_url: String,
    /// The HTTP status of the last response: 200, or 304 when the cached body was revalidated;
    /// `None` when no request was made (`offline`).
    pub status: Option<u16>,
    /// Size of the body in bytes.
    pub bytes: u64,
    /// Hex SHA-256 of the body.
    pub sha256: String,
    /// Whether the body came from the cache (a 304 revalidation or `offline`).
    pub from_cache: bool,
    /// The Content-Type the server gave.
    pub content_type: Option<String>,
}

/// One input of a run and what it gave. Fields that do not apply to its kind (a corpus's
/// `documents` for a file, a document's `sha256`) are `None`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SourceEntry {
    /// The id the rows read from it carry (`source_id` in the other tables); for a document
    /// whose record could not be read, its corpus's id.
    pub id: String,
    /// What the entry describes.
    pub kind: SourceKind,
    /// For a document, the id of its corpus.
    pub corpus_id: Option<String>,
    /// Path or URL; for a document, its url, else `<corpus origin>:<line or row>` (also when
    /// its record could not be read).
    pub origin: String,
    /// Whether it was read.
    pub status: SourceStatus,
    /// Why it was not read.
    pub error: Option<String>,
    /// The format it was read as: `text`, `html`, `csv`, `jsonl`, ...
    pub format: Option<String>,
    /// How its bytes were decoded.
    pub encoding: Option<String>,
    /// Hex SHA-256 of its bytes (not of a document: its corpus's hash is its provenance).
    pub sha256: Option<String>,
    /// Hex SHA-256 of the text read from it (UTF-8, as chiso reads it, trimmed of surrounding
    /// whitespace), for a file or URL read as one document and for a document of a corpus, when
    /// it has text: equal texts have equal hashes, whatever their files' encodings or markup.
    pub text_sha256: Option<String>,
    /// Size of its bytes (of a document: of its text as the corpus holds it).
    pub bytes: Option<u64>,
    /// Publication date, as far as known.
    pub published: Option<PartialDate>,
    /// ISO 3166-2:VN code the pipeline or corpus gives it.
    pub geo: Option<String>,
    /// Sentences kept, after repeated ones were merged.
    pub sentences: Option<u64>,
    /// Repeated sentences merged into one.
    pub repeats_merged: Option<u64>,
    /// Tables read.
    pub tables: Option<u64>,
    /// Numeric expressions found.
    pub mentions: Option<u64>,
    /// Indicator rows it gave.
    pub rows: Option<u64>,
    /// A corpus's documents.
    pub documents: Option<u64>,
    /// A corpus's documents that could not be read.
    pub documents_failed: Option<u64>,
    /// A corpus's documents with the text of an input before them (status `duplicate`).
    pub documents_duplicate: Option<u64>,
    /// A corpus's bytes of document text.
    pub text_bytes: Option<u64>,
    /// How it was fetched, for a URL.
    pub fetch: Option<FetchRecord>,
    /// A corpus's first document errors.
    pub errors: Vec<String>,
    /// Things a person should look at.
    pub warnings: Vec<String>,
}

impl SourceEntry {
    /// Whether it was read whole ([`SourceStatus::read_whole`]).
    pub fn is_ok(&self) -> bool {
        self.status.read_whole()
    }
}
