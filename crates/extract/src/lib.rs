//! chiso's extract stage: reads sources and hands on clean text with provenance.
//!
//! It takes [`SourceSpec`]s (a local path or an http/https URL, plus what the pipeline knows
//! about the source) and gives one [`Extracted`] per spec: a [`chiso_model::Document`] whose
//! text is decoded ([`decode`]: UTF-8, UTF-16, Windows-1258), NFC-normalised and has `\n` line
//! endings, with the SHA-256 of the raw bytes, their size and encoding, and any warnings (text
//! that looks like mojibake). A source that cannot be read is an [`Error`] naming the source and
//! the reason, in the same position of the result list; it never stops the other sources.
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

mod decode;
mod error;
mod http;
mod local;
mod source;

use std::sync::Arc;

use chiso_model::{Document, SourceMeta};
use sha2::{Digest, Sha256};

pub use decode::{decode, mojibake_count, mojibake_warning};
pub use error::{DecodeError, Error, Result};
pub use source::{ExtractOptions, Format, Location, SourceSpec};

/// One source, read and decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct Extracted {
    /// The text and its provenance.
    pub document: Document,
    /// Things a person should look at, e.g. text that looks like mojibake.
    pub warnings: Vec<String>,
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
                results[i] = Some(read.and_then(|bytes| finish(spec, origin, &bytes)));
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

/// Hashes, decodes and wraps the raw bytes of a source.
fn finish(spec: &SourceSpec, origin: String, bytes: &[u8]) -> Result<Extracted> {
    let (text, encoding) = decode(bytes).map_err(|cause| Error::Decode {
        source_id: spec.id.clone(),
        origin: origin.clone(),
        cause,
    })?;
    let sha256: String = Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let mut warnings = Vec::new();
    if let Some(w) = mojibake_warning(&text) {
        tracing::warn!(source_id = %spec.id, %origin, "Text looks like mojibake.");
        warnings.push(w);
    }
    let head = text
        .trim_start()
        .get(..64)
        .unwrap_or(text.trim_start())
        .to_ascii_lowercase();
    if matches!(spec.format, None | Some(Format::Text))
        && (head.starts_with("<!doctype html") || head.starts_with("<html"))
    {
        warnings.push("content looks like HTML but is read as plain text".to_owned());
    }
    let meta = SourceMeta {
        published: spec.published,
        geo: spec.geo.clone(),
        origin,
        sha256,
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
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return fail_all(&remote, format!("cannot start the HTTP runtime: {e}")),
    };
    let client = match http::client(opts) {
        Ok(c) => c,
        Err(e) => return fail_all(&remote, format!("cannot build the HTTP client: {e}")),
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
                let bytes = http::fetch(&client, &spec.id, &url, &opts).await?;
                let origin = match &spec.location {
                    Location::Url(given) => given.clone(),
                    Location::Path(_) => url.to_string(),
                };
                finish(&spec, origin, &bytes)
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
