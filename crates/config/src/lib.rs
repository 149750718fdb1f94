//! chiso's pipeline file: raw serde structs that mirror the TOML, then a validation step that
//! turns them into a [`Pipeline`] of domain types (sources as [`chiso_extract::SourceSpec`]s,
//! table mappings, the rules file, `[limits]`). Every error names the file and, when it has
//! one, the line, column and key, with the offending line underlined.
//!
//! Reading a pipeline reads no source and no rules file: `chiso check` and `chiso run` load the
//! rules themselves (chiso-validate).
//!
//! ```
//! use chiso_config::Pipeline;
//!
//! let dir = std::env::temp_dir().join(format!("chiso-config-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir)?;
//! let path = dir.join("pipeline.toml");
//! let good = "version = 1\nname = \"lao-cai\"\n\n[[sources]]\nid = \"report\"\npath = \"sources/report.txt\"\ngeo = \"VN-02\"\n";
//! std::fs::write(&path, good)?;
//! let pipeline = Pipeline::load(&path)?;
//! assert_eq!(pipeline.sources[0].id, "report");
//!
//! std::fs::write(&path, good.replace("VN-02", "VN-99"))?;
//! let err = Pipeline::load(&path).expect_err("VN-99 is no province");
//! assert_eq!(err.position, Some((7, 7)));
//! let expected = format!("{}:7:7: key `sources[0].geo`", path.display());
//! assert!(err.to_string().starts_with(&expected), "{err}");
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![warn(missing_docs)]

use std::collections::HashSet;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use chiso_extract::{Location, SourceSpec};
use chiso_model::PartialDate;
use serde::Deserialize;
use toml::Spanned;

/// The only pipeline file version this build reads.
pub const PIPELINE_VERSION: u32 = 1;

/// A configuration problem, located in its file.
#[derive(Debug)]
pub struct ConfigError {
    /// The file.
    pub file: PathBuf,
    /// 1-based line and column, when known.
    pub position: Option<(usize, usize)>,
    /// The key concerned, e.g. `sources[1].geo`.
    pub key: Option<String>,
    /// What is wrong and what to do.
    pub message: String,
    /// The offending line with a marker under the span, as compilers show it.
    pub snippet: Option<String>,
}

/// The line of `text` holding `span`, numbered, with `^` under the span (one line at most).
pub fn snippet(text: &str, span: &Range<usize>) -> String {
    let start = span.start.min(text.len());
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line = &text[line_start..line_end];
    let (number, _) = line_col(text, start);
    let pad = number.to_string().len();
    let col = text[line_start..start].chars().count();
    let width = text[start..span.end.clamp(start, line_end)]
        .chars()
        .count()
        .max(1);
    format!(
        "{blank:pad$} |\n{number} | {line}\n{blank:pad$} | {spaces}{carets}",
        blank = "",
        spaces = " ".repeat(col),
        carets = "^".repeat(width)
    )
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some((line, col)) = self.position {
            write!(f, ":{line}:{col}")?;
        }
        if let Some(key) = &self.key {
            write!(f, ": key `{key}`")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(snippet) = &self.snippet {
            write!(f, "\n{snippet}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}

/// 1-based line and column of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rfind('\n').map_or(before.chars().count(), |nl| {
        before[nl + 1..].chars().count()
    }) + 1;
    (line, col)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPipeline {
    version: Spanned<u32>,
    name: Spanned<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    sources: Vec<RawSource>,
    #[serde(default)]
    validation: Option<RawValidation>,
    #[serde(default)]
    catalogue: Option<RawExtension>,
    #[serde(default)]
    gazetteer: Option<RawExtension>,
    #[serde(default)]
    limits: Option<Spanned<Limits>>,
    #[serde(default)]
    duplicates: Duplicates,
}

/// `duplicates`: what a run does with a document whose text an input before it in the run
/// already had (the same article twice in a crawl, or in two corpora).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Duplicates {
    /// Read the first copy only: the others get a row of `sources.parquet` with status
    /// `duplicate` and give no rows.
    #[default]
    Skip,
    /// Read every copy.
    Keep,
}

/// `[limits]`: bounds on what reading a source may cost (docs/robustness.md). Unset keys keep
/// chiso's defaults.
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Largest source file or HTTP body, in bytes (default 64 MiB).
    pub max_source_bytes: Option<u64>,
    /// Largest unpacked XLSX workbook, in bytes (default 256 MiB).
    pub max_unpacked_bytes: Option<u64>,
    /// Seconds one HTTP attempt may take, request to last byte (default 30).
    pub http_timeout_secs: Option<u64>,
    /// Seconds to connect (default 10).
    pub connect_timeout_secs: Option<u64>,
    /// Retries of an HTTP fetch on 5xx, timeouts and broken connections (default 2).
    pub retries: Option<u32>,
    /// URLs fetched at once (default 4).
    pub concurrency: Option<usize>,
}

impl Limits {
    /// Applies the limits that are set to extraction options.
    pub fn apply(&self, opts: &mut chiso_extract::ExtractOptions) {
        if let Some(v) = self.max_source_bytes {
            opts.max_bytes = v;
        }
        if let Some(v) = self.max_unpacked_bytes {
            opts.max_unpacked_bytes = v;
        }
        if let Some(v) = self.http_timeout_secs {
            opts.http_timeout = std::time::Duration::from_secs(v);
        }
        if let Some(v) = self.connect_timeout_secs {
            opts.connect_timeout = std::time::Duration::from_secs(v);
        }
        if let Some(v) = self.retries {
            opts.retries = v;
        }
        if let Some(v) = self.concurrency {
            opts.concurrency = v;
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    id: Spanned<String>,
    #[serde(default)]
    path: Option<Spanned<String>>,
    #[serde(default)]
    url: Option<Spanned<String>>,
    #[serde(default)]
    published: Option<Spanned<String>>,
    #[serde(default)]
    geo: Option<Spanned<String>>,
    #[serde(default)]
    format: Option<Spanned<String>>,
    /// How a table source maps to indicator rows (`[sources.table]`).
    #[serde(default)]
    table: Option<Spanned<chiso_extract::TableMappingConfig>>,
    /// The field names of a corpus source (`[sources.corpus]`).
    #[serde(default)]
    corpus: Option<Spanned<chiso_extract::CorpusColumns>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawValidation {
    #[serde(default)]
    rules: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExtension {
    extend: Spanned<String>,
}

/// A validated pipeline.
#[derive(Debug, Clone)]
pub struct Pipeline {
    /// The pipeline file.
    pub file: PathBuf,
    /// Hex SHA-256 of the pipeline file's bytes.
    pub sha256: String,
    /// Name: also the default output directory under `output/`.
    pub name: String,
    /// Free text.
    pub description: Option<String>,
    /// Sources in file order.
    pub sources: Vec<SourceSpec>,
    /// For each source, how its tables map to indicator rows (`[sources.table]`).
    pub tables: Vec<Option<chiso_model::TableMapping>>,
    /// For each source, the field names of its corpus files when they are not the defaults
    /// (`[sources.corpus]`: `text`, `id`, `url`, `published`, `geo`).
    pub corpora: Vec<Option<chiso_extract::CorpusColumns>>,
    /// The rules file, resolved against the pipeline's directory.
    pub rules: Option<PathBuf>,
    /// A catalogue extension file.
    pub catalogue_extension: Option<PathBuf>,
    /// A gazetteer extension file.
    pub gazetteer_extension: Option<PathBuf>,
    /// `[limits]`.
    pub limits: Limits,
    /// `duplicates`.
    pub duplicates: Duplicates,
}

/// Why a source with `[sources.corpus]` cannot be a corpus, when that shows without reading it:
/// a `format` (which reads a corpus file as that format), or a file or URL named as another
/// format. A directory or a glob may hold corpus files.
fn not_a_corpus(location: &Location, format: Option<chiso_extract::Format>) -> Option<String> {
    if let Some(f) = format {
        return Some(format!(
            "`format = \"{}\"` reads the source as that format",
            f.name()
        ));
    }
    let (name, corpus) = match location {
        Location::Url(u) => (
            u.as_str(),
            chiso_extract::CorpusFormat::detect_url(u).is_some(),
        ),
        Location::Path(p) => {
            let text = p.to_str().unwrap_or_default();
            if text.contains(['*', '?', '[']) {
                return None;
            }
            (text, chiso_extract::CorpusFormat::detect(p).is_some())
        }
    };
    match (corpus, chiso_extract::format_of_name(name)) {
        (false, Some(f)) => Some(format!("{name} is read as {}", f.name())),
        _ => None,
    }
}

/// Hex SHA-256 of `bytes`.
fn hex_sha256(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    chiso_model::hex::lower_hex(&Sha256::digest(bytes))
}

/// Whether `s` is safe as a file or directory name component: it cannot leave the output dir.
pub fn is_safe_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 128
        && s != "."
        && s != ".."
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !s.starts_with('.')
}

impl Pipeline {
    /// Reads and validates a pipeline file without reading any source.
    pub fn load(path: &Path) -> Result<Pipeline, ConfigError> {
        let bytes = std::fs::read(path).map_err(|e| ConfigError {
            file: path.to_owned(),
            position: None,
            key: None,
            message: format!("cannot read the pipeline file: {e}"),
            snippet: None,
        })?;
        let text = String::from_utf8(bytes.clone()).map_err(|e| ConfigError {
            file: path.to_owned(),
            position: Some(line_col(
                &String::from_utf8_lossy(&bytes),
                e.utf8_error().valid_up_to(),
            )),
            key: None,
            message: "the pipeline file is not UTF-8".to_owned(),
            snippet: None,
        })?;
        let sha256 = hex_sha256(&bytes);
        Pipeline::parse(&text, path, sha256)
    }

    fn parse(text: &str, path: &Path, sha256: String) -> Result<Pipeline, ConfigError> {
        let err = |span: Option<Range<usize>>, key: Option<String>, message: String| ConfigError {
            file: path.to_owned(),
            position: span.as_ref().map(|s| line_col(text, s.start)),
            snippet: span.as_ref().map(|s| snippet(text, s)),
            key,
            message,
        };
        let raw: RawPipeline = toml::from_str(text).map_err(|e| {
            let mut message = e.message().to_owned();
            let line = e.span().map(|s| {
                let start = text[..s.start.min(text.len())]
                    .rfind('\n')
                    .map_or(0, |i| i + 1);
                let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
                text[start..end].trim()
            });
            // `[sources]` where a list of tables is meant.
            if let Some(header) = line
                .and_then(|l| l.strip_prefix('['))
                .and_then(|l| l.strip_suffix(']'))
                .filter(|h| !h.starts_with('[') && message.contains("expected a sequence"))
            {
                message = format!(
                    "{message}: `[{header}]` is one table; write `[[{header}]]` before each of them"
                );
            }
            // The key of a wrong value ("published = 2023"), when the message does not name it.
            let key = message
                .strip_prefix("unknown field `")
                .and_then(|rest| rest.split('`').next())
                .or_else(|| line.and_then(|l| l.split_once('=')).map(|(k, _)| k.trim()))
                .filter(|k| !k.is_empty() && !k.starts_with('['))
                .map(str::to_owned);
            err(e.span(), key, message)
        })?;
        if *raw.version.get_ref() != PIPELINE_VERSION {
            return Err(err(
                Some(raw.version.span()),
                Some("version".into()),
                format!(
                    "version {} is not supported; this chiso reads version {PIPELINE_VERSION}",
                    raw.version.get_ref()
                ),
            ));
        }
        let name = raw.name.get_ref().clone();
        if !is_safe_name(&name) {
            return Err(err(
                Some(raw.name.span()),
                Some("name".into()),
                format!(
                    "{name:?} is not a usable name: use letters, digits, '-', '_' or '.', not starting with '.'"
                ),
            ));
        }
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let resolve = |p: &str| -> PathBuf {
            let p = Path::new(p);
            if p.is_absolute() {
                p.to_owned()
            } else {
                base.join(p)
            }
        };
        if raw.sources.is_empty() {
            return Err(err(
                None,
                Some("sources".into()),
                "the pipeline has no [[sources]]: add at least one".into(),
            ));
        }
        let mut seen = HashSet::new();
        let mut sources = Vec::new();
        let mut tables = Vec::new();
        let mut corpora = Vec::new();
        for (i, s) in raw.sources.into_iter().enumerate() {
            let key = |k: &str| Some(format!("sources[{i}].{k}"));
            let id = s.id.get_ref().clone();
            if !is_safe_name(&id) {
                return Err(err(
                    Some(s.id.span()),
                    key("id"),
                    format!(
                        "{id:?} is not a usable source id: use letters, digits, '-', '_' or '.'"
                    ),
                ));
            }
            // The files of a directory or glob get `<id>--<dir>--<file>`, whose pieces hold no
            // "--": an id without one keeps every source id of the run apart.
            if id.contains("--") {
                return Err(err(
                    Some(s.id.span()),
                    key("id"),
                    format!(
                        "{id:?} is not a usable source id: \"--\" is kept for the files of a directory or glob (`<id>--<dir>--<file>`); use a single '-'"
                    ),
                ));
            }
            if !seen.insert(id.clone()) {
                return Err(err(
                    Some(s.id.span()),
                    key("id"),
                    format!("source id {id:?} is used twice"),
                ));
            }
            let location = match (&s.path, &s.url) {
                (Some(p), None) => Location::Path(resolve(p.get_ref())),
                (None, Some(u)) => {
                    let url = u.get_ref();
                    if !(url.starts_with("http://") || url.starts_with("https://")) {
                        return Err(err(
                            Some(u.span()),
                            key("url"),
                            format!("{url:?} is not an http or https URL"),
                        ));
                    }
                    Location::Url(url.clone())
                }
                (Some(p), Some(_)) => {
                    return Err(err(
                        Some(p.span()),
                        key("path"),
                        "give either `path` or `url`, not both".into(),
                    ));
                }
                (None, None) => {
                    return Err(err(
                        Some(s.id.span()),
                        Some(format!("sources[{i}]")),
                        "a source needs `path` or `url`".into(),
                    ));
                }
            };
            let published = match &s.published {
                Some(p) => Some(
                    p.get_ref()
                        .parse::<PartialDate>()
                        .map_err(|e| err(Some(p.span()), key("published"), e.to_string()))?,
                ),
                None => None,
            };
            let geo = match &s.geo {
                Some(g) => {
                    let code = g.get_ref();
                    // Kept as the place's code, whichever way it was written ("Lào Cai").
                    match chiso_transform::gazetteer::Gazetteer::builtin().code_of(code) {
                        Ok(place) => Some(place.to_owned()),
                        // A place of the pipeline's gazetteer extension, which is read later
                        // (and this checked against it then).
                        Err(_) if raw.gazetteer.is_some() => Some(code.clone()),
                        Err(why) => return Err(err(Some(g.span()), key("geo"), why)),
                    }
                }
                None => None,
            };
            let format = match &s.format {
                Some(f) => Some(chiso_extract::Format::from_name(f.get_ref()).ok_or_else(
                    || {
                        err(
                            Some(f.span()),
                            key("format"),
                            format!(
                                "unknown format {:?}; expected one of: {}",
                                f.get_ref(),
                                chiso_extract::Format::NAMES.join(", ")
                            ),
                        )
                    },
                )?),
                None => None,
            };
            let table = match &s.table {
                Some(t) => Some(t.get_ref().validate(&id).map_err(|e| {
                    let (key, reason) = match e {
                        chiso_extract::Error::Mapping { key, reason, .. } => {
                            (key.to_string(), reason)
                        }
                        other => ("table".to_owned(), other.to_string()),
                    };
                    err(Some(t.span()), Some(format!("sources[{i}].{key}")), reason)
                })?),
                None => None,
            };
            let corpus = match &s.corpus {
                Some(c) => {
                    let at = |k: &str| Some(format!("sources[{i}].corpus.{k}"));
                    let columns = c.get_ref();
                    if let Some(empty) = columns
                        .names()
                        .into_iter()
                        .find(|(_, n)| n.trim().is_empty())
                    {
                        return Err(err(
                            Some(c.span()),
                            at(empty.0),
                            "a field name must not be empty".into(),
                        ));
                    }
                    if let Some(why) = not_a_corpus(&location, format) {
                        return Err(err(
                            Some(c.span()),
                            Some(format!("sources[{i}].corpus")),
                            format!(
                                "[sources.corpus] names the fields of a corpus file (.jsonl, .ndjson, .jsonl.gz, .jsonl.zst or .parquet), and {why}"
                            ),
                        ));
                    }
                    Some(columns.clone())
                }
                None => None,
            };
            tables.push(table);
            corpora.push(corpus);
            sources.push(SourceSpec {
                id,
                location,
                published,
                geo,
                format,
            });
        }
        let limits = match &raw.limits {
            Some(l) => {
                let v = *l.get_ref();
                let zero = [
                    ("max_source_bytes", v.max_source_bytes == Some(0)),
                    ("max_unpacked_bytes", v.max_unpacked_bytes == Some(0)),
                    ("http_timeout_secs", v.http_timeout_secs == Some(0)),
                    ("connect_timeout_secs", v.connect_timeout_secs == Some(0)),
                    ("concurrency", v.concurrency == Some(0)),
                ];
                if let Some((key, _)) = zero.iter().find(|(_, z)| *z) {
                    return Err(err(
                        Some(l.span()),
                        Some(format!("limits.{key}")),
                        "must be greater than 0".into(),
                    ));
                }
                v
            }
            None => Limits::default(),
        };
        let rules = raw
            .validation
            .and_then(|v| v.rules)
            .map(|r| resolve(r.get_ref()));
        Ok(Pipeline {
            file: path.to_owned(),
            sha256,
            name,
            description: raw.description,
            sources,
            tables,
            corpora,
            rules,
            catalogue_extension: raw.catalogue.map(|c| resolve(c.extend.get_ref())),
            gazetteer_extension: raw.gazetteer.map(|g| resolve(g.extend.get_ref())),
            limits,
            duplicates: raw.duplicates,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Pipeline, ConfigError> {
        Pipeline::parse(text, Path::new("p/pipeline.toml"), String::new())
    }

    #[test]
    fn unknown_keys_name_file_line_and_key() {
        let e = parse("version = 1\nname = \"x\"\n[[sources]]\nid = \"a\"\npath = \"a.txt\"\npublishd = \"2023\"\n").unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.starts_with("p/pipeline.toml:6:1: key `publishd`"),
            "{msg}"
        );
    }

    #[test]
    fn corpus_fields_are_read_for_corpus_sources_alone() {
        let source = |location: &str, extra: &str| {
            format!(
                "version = 1\nname = \"x\"\n[[sources]]\nid = \"a\"\n{location}\n{extra}[sources.corpus]\ntext = \"content\"\nid = \"article_id\"\n"
            )
        };
        // Files, URLs, directories and globs that may hold corpus files.
        for location in [
            "path = \"news.jsonl.gz\"",
            "path = \"shards\"",
            "path = \"shards/*.parquet\"",
            "url = \"https://data.example.vn/news.parquet?download=1\"",
        ] {
            let p = parse(&source(location, "")).unwrap_or_else(|e| panic!("{location}: {e}"));
            let fields = p.corpora[0].clone().expect("given");
            assert_eq!(
                (
                    fields.text.as_str(),
                    fields.id.as_str(),
                    fields.url.as_str()
                ),
                ("content", "article_id", "url"),
                "the fields not given keep their default names"
            );
        }
        let html = parse(&format!(
            "{}html = false\n",
            source("path = \"a.jsonl\"", "")
        ));
        assert_eq!(
            html.expect("valid").corpora[0]
                .as_ref()
                .and_then(|c| c.html),
            Some(false)
        );
        let plain =
            parse("version = 1\nname = \"x\"\n[[sources]]\nid = \"a\"\npath = \"a.jsonl\"\n");
        assert_eq!(plain.expect("valid").corpora, [None]);
        for (location, extra, why) in [
            ("path = \"a.txt\"", "", "a.txt is read as text"),
            (
                "url = \"https://baolaocai.vn/a.html\"",
                "",
                "is read as html",
            ),
            (
                "path = \"a.jsonl\"",
                "format = \"text\"\n",
                "`format = \"text\"`",
            ),
        ] {
            let e = parse(&source(location, extra)).expect_err(location);
            let msg = e.to_string();
            assert!(
                msg.contains("key `sources[0].corpus`") && msg.contains(why),
                "{location}: {msg}"
            );
        }
        let e = parse(&source("path = \"a.jsonl\"", "").replace("\"content\"", "\" \""))
            .expect_err("an empty name");
        assert!(
            e.to_string().contains("key `sources[0].corpus.text`"),
            "{e}"
        );
        let e = parse(&source("path = \"a.jsonl\"", "").replace("text =", "body ="))
            .expect_err("an unknown field");
        assert!(e.to_string().contains("unknown field `body`"), "{e}");
    }

    /// "--" joins a directory's files' ids to their source's, so a source id holds none: the
    /// ids of a run's sources and files never meet.
    #[test]
    fn a_source_id_holds_no_double_dash() {
        let e =
            parse("version = 1\nname = \"x\"\n[[sources]]\nid = \"kho--2023\"\npath = \"a.txt\"\n")
                .unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("sources[0].id") && msg.contains("\"--\" is kept"),
            "{msg}"
        );
        assert!(
            parse("version = 1\nname = \"x\"\n[[sources]]\nid = \"kho-2023-\"\npath = \"a.txt\"\n")
                .is_ok()
        );
    }

    /// A source's place is kept as its code, whichever way the pipeline writes it.
    #[test]
    fn a_place_written_by_name_is_kept_as_its_code() {
        for geo in ["VN-02", "Lào Cai", "tỉnh Lào Cai"] {
            let p = parse(&format!(
                "version = 1\nname = \"x\"\n[[sources]]\nid = \"a\"\npath = \"a.txt\"\ngeo = \"{geo}\"\n"
            ))
            .unwrap_or_else(|e| panic!("{geo}: {e}"));
            assert_eq!(p.sources[0].geo.as_deref(), Some("VN-02"), "{geo}");
        }
    }

    /// A value of the wrong type names its key; a single `[sources]` table says to write
    /// `[[sources]]`.
    #[test]
    fn type_errors_name_the_key_and_a_single_table_gets_a_hint() {
        let e = parse("version = 1\nname = \"x\"\n[[sources]]\nid = \"a\"\npath = \"a.txt\"\npublished = 2023\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains(":6:13: key `published`: invalid type"), "{e}");
        let e = parse("version = 1\nname = \"x\"\n[sources]\nid = \"a\"\npath = \"a.txt\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("write `[[sources]]` before each of them"), "{e}");
    }

    #[test]
    fn errors_show_the_line_with_a_marker() {
        let e = parse("version = 1\nname = \"x\"\n[[sources]]\nid = \"a\"\npath = \"a.txt\"\ngeo = \"VN-99\"\n").unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("\n6 | geo = \"VN-99\"\n  |       ^^^^^^^"),
            "{msg}"
        );
    }

    #[test]
    fn limits_are_read_and_checked() {
        let base = "version = 1\nname = \"x\"\n[[sources]]\nid = \"a\"\npath = \"a.txt\"\n";
        let p = parse(&format!(
            "{base}[limits]\nmax_source_bytes = 1000\nretries = 0\n"
        ))
        .unwrap();
        assert_eq!(
            (p.limits.max_source_bytes, p.limits.retries),
            (Some(1000), Some(0))
        );
        let e = parse(&format!("{base}[limits]\nconcurrency = 0\n")).unwrap_err();
        assert!(
            e.to_string()
                .contains("key `limits.concurrency`: must be greater than 0"),
            "{e}"
        );
        let e = parse(&format!("{base}[limits]\nmax_bytes = 10\n")).unwrap_err();
        assert!(e.to_string().contains("max_bytes"), "{e}");
    }

    #[test]
    fn duplicates_are_skipped_unless_kept() {
        let sources = "[[sources]]\nid = \"a\"\npath = \"a.txt\"\n";
        let with = |key: &str| parse(&format!("version = 1\nname = \"x\"\n{key}{sources}"));
        assert_eq!(with("").unwrap().duplicates, Duplicates::Skip);
        assert_eq!(
            with("duplicates = \"keep\"\n").unwrap().duplicates,
            Duplicates::Keep
        );
        let e = with("duplicates = \"drop\"\n").unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains(":3:") && text.contains("`skip`") && text.contains("`keep`"),
            "{text}"
        );
    }

    #[test]
    fn bad_values_are_located() {
        let e = parse("version = 1\nname = \"x\"\n[[sources]]\nid = \"a\"\npath = \"a.txt\"\npublished = \"2023-13\"\n").unwrap_err();
        assert!(
            e.to_string().contains(":6:") && e.to_string().contains("sources[0].published"),
            "{e}"
        );
        let e = parse("version = 2\nname = \"x\"\n").unwrap_err();
        assert!(e.to_string().contains("key `version`"), "{e}");
        let e =
            parse("version = 1\nname = \"../x\"\n[[sources]]\nid=\"a\"\npath=\"a\"\n").unwrap_err();
        assert!(e.to_string().contains("key `name`"), "{e}");
        let e = parse("version = 1\nname = \"x\"\n[[sources]]\nid=\"a\"\n").unwrap_err();
        assert!(e.to_string().contains("needs `path` or `url`"), "{e}");
    }

    #[test]
    fn paths_resolve_against_the_pipeline_directory() {
        let p = parse("version = 1\nname = \"x\"\n[[sources]]\nid=\"a\"\npath=\"sources/a.txt\"\npublished=\"2023-04\"\n[validation]\nrules=\"rules.toml\"\n").unwrap();
        assert_eq!(p.rules.unwrap(), Path::new("p/rules.toml"));
        match &p.sources[0].location {
            Location::Path(path) => assert_eq!(path, Path::new("p/sources/a.txt")),
            other => panic!("{other:?}"),
        }
    }
}
