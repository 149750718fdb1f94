//! chiso's extract stage: reads sources and hands on clean text and tables with provenance.
//!
//! It takes [`SourceSpec`]s (a local path or an http/https URL, plus what the pipeline knows
//! about the source; [`expand_sources`] turns a glob or directory into one spec per file) and
//! gives one [`Extracted`] per spec: a [`chiso_model::Document`] whose text is decoded
//! ([`decode`]: UTF-8, UTF-16, Windows-1258), NFC-normalised and has `\n` line endings, with the
//! SHA-256 of the raw bytes, their size and encoding, the [`Format`] it was read as
//! ([`detect_format`]), its [`chiso_model::Table`]s, how a URL was fetched ([`FetchRecord`]:
//! through the HTTP cache, with ETag/Last-Modified revalidation, or `offline`), and any warnings
//! (mojibake, a legacy VNI/TCVN3 encoding). A source that cannot be read is an [`Error`] naming
//! the source and the reason, in the same position of the result list; it never stops the
//! other sources.
//!
//! - HTML ([`read_html`]): the article text without menus, breadcrumbs, share bars, related
//!   links and footers, one line per block; data `<table>`s become tables.
//! - CSV/TSV: any line ending, sniffed delimiter, quoted fields; numbers like `3.00E+05`,
//!   `755768.814` or Vietnamese `9,02` and `68.000` ([`parse_number`], [`sniff_decimal_mark`]).
//! - XLS/XLSX (calamine): every sheet a table, title lines and multi-row headers found; HTML
//!   saved as `.xls`, corrupt workbooks, XLS files whose sector chains loop or leave the file,
//!   and zip bombs are errors.
//! - Corpora ([`CorpusReader`]): a JSON-lines (also `.jsonl.gz`, `.jsonl.zst`) or Parquet file
//!   of many documents, read one document at a time, each becoming its own
//!   [`chiso_model::Document`]; a corpus at a URL is downloaded to a file first
//!   ([`CorpusFetcher`], through the HTTP cache).
//! - [`TableMappingConfig`]: the pipeline's `[sources.table]`, validated into the model's
//!   [`chiso_model::TableMapping`] that transform turns into indicator rows.
//!
//! ```
//! use chiso_extract::{ExtractOptions, Location, SourceSpec, extract_all};
//!
//! let path = std::env::temp_dir().join(format!("chiso-extract-doc-{}.txt", std::process::id()));
//! std::fs::write(&path, "GRDP quý I/2023 tăng 7,35%.\r\n")?;
//! let spec = SourceSpec {
//!     id: "qn".into(),
//!     location: Location::Path(path.clone()),
//!     published: None,
//!     geo: Some("VN-13".into()),
//!     format: None,
//! };
//! let results = extract_all(&[spec], &ExtractOptions::default());
//! let doc = &results[0].as_ref().expect("a readable file").document;
//! assert_eq!(doc.text, "GRDP quý I/2023 tăng 7,35%.\n");
//! assert_eq!(doc.meta.encoding, "utf-8");
//! assert_eq!(doc.meta.sha256.len(), 64);
//! # std::fs::remove_file(&path)?;
//! # Ok::<(), std::io::Error>(())
//! ```
#![warn(missing_docs)]

mod cache;
mod cell_number;
mod cfb;
mod corpus;
mod csv_table;
mod decode;
mod detect;
mod download;
mod error;
mod expand;
mod grid;
mod hashed;
mod html;
mod http;
mod legacy;
mod local;
mod mapping;
mod source;
mod table;
mod workbook;
mod xls_grid;
mod xlsx_parts;

use std::path::Path;
use std::sync::Arc;

use chiso_model::{Document, SourceMeta, Table};
use sha2::{Digest, Sha256};

pub use cache::{Pruned, prune_cache};
pub use cell_number::{DecimalMark, parse_number, sniff_decimal_mark};
pub use corpus::{
    CorpusColumns, CorpusDigest, CorpusFormat, CorpusReader, CorpusRecord, PARQUET_BATCH_ROWS,
    Unread,
};
pub use decode::{Decoded, Replaced, UTF8_PER_STRAY, decode, mojibake_count, mojibake_warning};
pub use detect::{detect_format, format_of_name};
pub use download::{CorpusFetcher, Downloaded, FetchedFile};
pub use error::{DecodeError, Error, Result};
pub use expand::{FileWalk, expand_source, expand_sources, expanded_id, walk_reaches};
pub use html::{HtmlPage, read_html};
pub use legacy::{LegacyEncoding, detect_legacy};
pub use mapping::{TableMappingConfig, YearColumns};
pub use source::{DEFAULT_CACHE_DIR, ExtractOptions, Format, Location, SourceSpec};

pub use chiso_model::FetchRecord;

/// One source, read and decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct Extracted {
    /// The text and its provenance. For table files (CSV, TSV, XLS, XLSX) the text is empty and
    /// the content is in `tables`; for HTML it is the article text, without the tables.
    pub document: Document,
    /// Things a person should look at, e.g. text that looks like mojibake.
    pub warnings: Vec<String>,
    /// The format the source was read as (given, or detected).
    pub format: Format,
    /// The tables of the source: one per CSV/TSV file, one per non-empty sheet, one per HTML
    /// data table.
    pub tables: Vec<Table>,
    /// For URL sources: how the body was fetched.
    pub fetch: Option<FetchRecord>,
}

/// Hex SHA-256 of bytes.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    chiso_model::hex::lower_hex(&Sha256::digest(bytes))
}

/// Reads every source: one result per spec, in spec order. A failure is data (the error names
/// the source and why), never a panic. URLs are fetched concurrently on a runtime of its own.
pub fn extract_all(specs: &[SourceSpec], opts: &ExtractOptions) -> Vec<Result<Extracted>> {
    let mut results: Vec<Option<Result<Extracted>>> = specs.iter().map(|_| None).collect();
    let mut remote = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        match &spec.location {
            Location::Path(path) => {
                let origin = path.display().to_string();
                let read = local::read_capped(&spec.id, path, opts.max_bytes);
                results[i] = Some(read.and_then(|bytes| finish(spec, origin, &bytes, None, opts)));
            }
            Location::Url(url) => match http::parse_url(&spec.id, url) {
                Ok(parsed) => remote.push((i, parsed)),
                Err(e) => results[i] = Some(Err(e)),
            },
        }
    }
    if !remote.is_empty() {
        for (i, result) in fetch_all(specs, remote, opts) {
            results[i] = Some(result);
        }
    }
    results
        .into_iter()
        .zip(specs)
        .map(|(result, spec)| {
            result.unwrap_or_else(|| {
                Err(Error::Runtime {
                    source_id: spec.id.clone(),
                    reason: "no result was produced".into(),
                })
            })
        })
        .collect()
}

/// The file stem of a path or URL, for naming a CSV table.
fn stem(origin: &str) -> String {
    let path = origin.split(['?', '#']).next().unwrap_or(origin);
    let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
    Path::new(file)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "table".to_owned())
}

/// Hashes, decodes and parses the raw bytes of a source.
fn finish(
    spec: &SourceSpec,
    origin: String,
    bytes: &[u8],
    content_type: Option<&str>,
    opts: &ExtractOptions,
) -> Result<Extracted> {
    if spec.format.is_none()
        && let Some(what) = detect::unsupported_document(&origin, bytes)
    {
        return Err(Error::Decode {
            source_id: spec.id.clone(),
            origin,
            cause: DecodeError::Unsupported { what },
        });
    }
    let format = spec
        .format
        .unwrap_or_else(|| detect_format(&origin, content_type, bytes));
    let table_err = |at: Option<String>, reason: String| Error::Table {
        source_id: spec.id.clone(),
        origin: origin.clone(),
        at,
        reason,
    };
    let mut warnings = Vec::new();
    let mut tables = Vec::new();
    let (text, encoding) = if matches!(format, Format::Xls | Format::Xlsx) {
        tables = workbook::read(bytes, &spec.id, &origin, opts.max_unpacked_bytes)
            .map_err(|p| table_err(p.at, p.reason))?;
        (String::new(), "binary")
    } else {
        let decoded = decode(bytes).map_err(|cause| Error::Decode {
            source_id: spec.id.clone(),
            origin: origin.clone(),
            cause,
        })?;
        if let Some(w) = decoded.warning() {
            warnings.push(w);
        }
        let Decoded { text, encoding, .. } = decoded;
        if encoding == "windows-1258"
            && let Some(legacy) = detect_legacy(bytes)
        {
            warnings.push(format!(
                "the bytes look like the legacy Vietnamese encoding {}, not Unicode; the text \
                 is not usable as it is: convert the file to UTF-8 (e.g. with UniKey's converter)",
                legacy.name()
            ));
        }
        if let Some(w) = mojibake_warning(&text) {
            warnings.push(w);
        }
        match format {
            Format::Html => {
                let page = read_html(&text, &spec.id, &origin);
                tables = page.tables;
                warnings.extend(page.warnings);
                (page.text, encoding)
            }
            Format::Csv | Format::Tsv => {
                let delimiter = (format == Format::Tsv).then_some(b'\t');
                let from = table::Origin {
                    source_id: &spec.id,
                    origin: &origin,
                    name: stem(&origin),
                    sheet: None,
                };
                let t = csv_table::read(&text, delimiter, from)
                    .map_err(|p| table_err(Some(format!("line {}", p.line)), p.reason))?;
                tables.push(t);
                (String::new(), encoding)
            }
            _ => {
                let head = text
                    .trim_start()
                    .get(..64)
                    .unwrap_or(text.trim_start())
                    .to_ascii_lowercase();
                if head.starts_with("<!doctype html") || head.starts_with("<html") {
                    warnings.push("content looks like HTML but is read as plain text".to_owned());
                }
                (text, encoding)
            }
        }
    };
    if format.is_table() && tables.iter().all(|t| t.rows.is_empty()) {
        warnings.push(format!(
            "no table rows found in this {} source",
            format.name()
        ));
    }
    let meta = SourceMeta {
        published: spec.published,
        geo: spec.geo.clone(),
        origin,
        sha256: sha256_hex(bytes),
        bytes: bytes.len() as u64,
        encoding: encoding.to_owned(),
    };
    Ok(Extracted {
        document: Document {
            source_id: spec.id.clone(),
            text,
            meta,
        },
        warnings,
        format,
        tables,
        fetch: None,
    })
}

/// Fetches the URL sources on a runtime of their own, in a thread of its own so that a caller
/// already inside a tokio runtime is fine.
fn fetch_all(
    specs: &[SourceSpec],
    remote: Vec<(usize, reqwest::Url)>,
    opts: &ExtractOptions,
) -> Vec<(usize, Result<Extracted>)> {
    let fail_all =
        |remote: &[(usize, reqwest::Url)], reason: String| -> Vec<(usize, Result<Extracted>)> {
            remote
                .iter()
                .map(|(i, _)| {
                    (
                        *i,
                        Err(Error::Runtime {
                            source_id: specs[*i].id.clone(),
                            reason: reason.clone(),
                        }),
                    )
                })
                .collect()
        };
    let (runtime, client) = match http::runtime_and_client(opts) {
        Ok(both) => both,
        Err(reason) => return fail_all(&remote, reason),
    };
    let joined = std::thread::scope(|scope| {
        scope
            .spawn(|| runtime.block_on(fetch_concurrently(specs, &remote, client, opts)))
            .join()
    });
    joined.unwrap_or_else(|_| fail_all(&remote, "the HTTP thread panicked".into()))
}

async fn fetch_concurrently(
    specs: &[SourceSpec],
    remote: &[(usize, reqwest::Url)],
    client: reqwest::Client,
    opts: &ExtractOptions,
) -> Vec<(usize, Result<Extracted>)> {
    let permits = Arc::new(tokio::sync::Semaphore::new(opts.concurrency.max(1)));
    let opts = Arc::new(opts.clone());
    let tasks: Vec<_> = remote
        .iter()
        .map(|(i, url)| {
            let (spec, url, client) = (specs[*i].clone(), url.clone(), client.clone());
            let (permits, opts) = (Arc::clone(&permits), Arc::clone(&opts));
            let task = tokio::spawn(async move {
                let _permit = permits.acquire_owned().await.map_err(|e| Error::Runtime {
                    source_id: spec.id.clone(),
                    reason: format!("cannot schedule the fetch: {e}"),
                })?;
                tracing::debug!(source_id = %spec.id, url = %url, "Fetching.");
                let origin = match &spec.location {
                    Location::Url(given) => given.clone(),
                    Location::Path(_) => url.to_string(),
                };
                let (body, record, cache_warnings) =
                    fetch_cached(&client, &spec, &url, &origin, &opts).await?;
                let mut extracted =
                    finish(&spec, origin, &body, record.content_type.as_deref(), &opts)?;
                extracted.warnings.extend(cache_warnings);
                extracted.fetch = Some(record);
                Ok(extracted)
            });
            (*i, task)
        })
        .collect();
    let mut out = Vec::with_capacity(tasks.len());
    for (i, task) in tasks {
        let result = task.await.unwrap_or_else(|e| {
            Err(Error::Runtime {
                source_id: specs[i].id.clone(),
                reason: format!("the fetch task failed: {e}"),
            })
        });
        out.push((i, result));
    }
    out
}

/// Fetches one URL through the cache ([`download::fetch_to_file`]) and reads its body, under
/// the source cap. A cache that cannot be written is a warning, not a failure.
async fn fetch_cached(
    client: &reqwest::Client,
    spec: &SourceSpec,
    url: &reqwest::Url,
    origin: &str,
    opts: &ExtractOptions,
) -> Result<(Vec<u8>, FetchRecord, Vec<String>)> {
    let limits = http::Limits::page(opts);
    let file = download::fetch_to_file(client, spec, url, origin, opts, limits, None).await?;
    let body = std::fs::read(file.path()).map_err(|e| Error::Cache {
        source_id: spec.id.clone(),
        url: origin.to_owned(),
        reason: format!(
            "cannot read the fetched body {}: {e}",
            file.path().display()
        ),
    })?;
    Ok((body, file.fetch, file.warnings))
}
