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

/// How a source's text is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Format {
    /// Plain text.
    #[default]
    Text,
}

impl Format {
    /// The names a pipeline file may give in `format = "…"`.
    pub const NAMES: &'static [&'static str] = &["text"];

    /// The format of a name from a pipeline file.
    pub fn from_name(name: &str) -> Option<Format> {
        match name {
            "text" | "txt" => Some(Format::Text),
            _ => None,
        }
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
    /// Layout of the text; `None` is plain text.
    pub format: Option<Format>,
}

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
        }
    }
}
