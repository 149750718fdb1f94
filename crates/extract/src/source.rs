//! What to read and how: source specs and options.

use std::path::PathBuf;
use std::time::Duration;

use chiso_model::PartialDate;

/// Where a source's bytes are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A local file.
    Path(PathBuf),
    /// An `http` or `https` URL.
    Url(String),
}

/// How a source is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Format {
    /// Plain text.
    #[default]
    Text,
    /// An HTML page: the article text and its tables.
    Html,
    /// Comma-, semicolon- or pipe-separated values (the delimiter is sniffed).
    Csv,
    /// Tab-separated values.
    Tsv,
    /// An Excel 97-2003 workbook (`.xls`).
    Xls,
    /// An Excel 2007+ workbook (`.xlsx`).
    Xlsx,
}

impl Format {
    /// The names a pipeline file may give in `format = "…"`.
    pub const NAMES: &'static [&'static str] = &["text", "html", "csv", "tsv", "xls", "xlsx"];

    /// The format of a name from a pipeline file.
    pub fn from_name(name: &str) -> Option<Format> {
        match name.to_ascii_lowercase().as_str() {
            "text" | "txt" => Some(Format::Text),
            "html" | "htm" => Some(Format::Html),
            "csv" => Some(Format::Csv),
            "tsv" | "tab" => Some(Format::Tsv),
            "xls" => Some(Format::Xls),
            "xlsx" | "xlsm" => Some(Format::Xlsx),
            _ => None,
        }
    }

    /// The stable name, as in [`Format::NAMES`].
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "html",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Xls => "xls",
            Format::Xlsx => "xlsx",
        }
    }

    /// Whether the source is a table file (CSV, TSV, workbook): its content is in
    /// [`Extracted::tables`](crate::Extracted::tables) and its document text is empty.
    pub fn is_table(self) -> bool {
        matches!(self, Format::Csv | Format::Tsv | Format::Xls | Format::Xlsx)
    }
}

/// One source as the pipeline names it.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceSpec {
    /// The source id, unique in the pipeline.
    pub id: String,
    /// Where to read it.
    pub location: Location,
    /// Publication date, when the pipeline knows it.
    pub published: Option<PartialDate>,
    /// ISO 3166-2:VN code of the subject area when the text does not say.
    pub geo: Option<String>,
    /// Layout of the source; `None` detects it ([`detect_format`](crate::detect_format)).
    pub format: Option<Format>,
}

/// Where the HTTP cache is unless [`ExtractOptions::cache_dir`] says otherwise (relative to the
/// working directory).
pub const DEFAULT_CACHE_DIR: &str = "output/.cache";

/// Limits and HTTP behaviour of [`extract_all`](crate::extract_all).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractOptions {
    /// Largest source read, in bytes, for files and HTTP bodies alike.
    pub max_bytes: u64,
    /// Time one HTTP attempt may take, from request to the last body byte.
    pub http_timeout: Duration,
    /// Time to establish a connection.
    pub connect_timeout: Duration,
    /// Retries after the first attempt, on 5xx, timeouts and broken connections (never on 4xx).
    pub retries: u32,
    /// URLs fetched at the same time.
    pub concurrency: usize,
    /// The `User-Agent` header.
    pub user_agent: String,
    /// Largest size an XLSX workbook may unpack to, in bytes (a zip bomb is refused).
    pub max_unpacked_bytes: u64,
    /// Directory of the HTTP cache (bodies by SHA-256, with their ETag and Last-Modified for
    /// revalidation); `None` fetches without a cache.
    pub cache_dir: Option<PathBuf>,
    /// Read URLs from the cache alone, never from the network; a URL not in the cache fails.
    pub offline: bool,
}

impl Default for ExtractOptions {
    fn default() -> Self {
        ExtractOptions {
            max_bytes: 64 * 1024 * 1024,
            http_timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            retries: 2,
            concurrency: 4,
            user_agent: format!("chiso/{}", env!("CARGO_PKG_VERSION")),
            max_unpacked_bytes: 256 * 1024 * 1024,
            cache_dir: Some(PathBuf::from(DEFAULT_CACHE_DIR)),
            offline: false,
        }
    }
}
