//! Fetching a URL through the HTTP cache into a file: the one way every URL source is fetched.
//! A page or table is then read from the file into memory (under the source cap); a corpus
//! (`https://…/news.jsonl.gz`, `…/news.parquet`) is read from the file as a stream, so a corpus
//! of gigabytes costs no more memory than a page.
//!
//! The body is written to disk as it arrives and hashed on the way; a transfer cut short is
//! resumed where it stopped (`Range` and `If-Range`) when the server named the body with a
//! strong ETag or a Last-Modified date, and is started again otherwise. With a cache directory it
//! goes into the cache (a download file renamed to `bodies/<sha256>` once whole) and a later run
//! revalidates it with ETag/Last-Modified: a 304 serves the cached file without downloading it.
//! `offline` reads the cache alone. Without a cache directory, or when the cache cannot be
//! written (a warning), the body is a temporary file removed when the [`FetchedFile`] is
//! dropped. A corpus download has no size cap (as a local corpus file has none; each document
//! is capped instead) and no timeout for the whole transfer: the client's connect timeout, and
//! its read timeout between two arrivals of data, apply.

use std::fs::File;
use std::io::{BufWriter, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use tempfile::TempPath;

use crate::hashed::Hashed;
use crate::{Error, ExtractOptions, FetchRecord, Location, Result, SourceSpec, cache, http};

/// A URL's body in a local file.
#[derive(Debug)]
pub struct FetchedFile {
    /// The file holding the body: the HTTP cache's copy, or a temporary file.
    path: PathBuf,
    /// How it was fetched, as for any URL source.
    pub fetch: FetchRecord,
    /// What went wrong without failing the source (the cache could not be written).
    pub warnings: Vec<String>,
    /// A temporary file outside the cache, removed when this is dropped.
    _temporary: Option<TempPath>,
}

impl FetchedFile {
    /// The local file holding the body; valid while `self` lives.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// How far a corpus download has come, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Downloaded {
    /// Bytes of the body written to disk so far (including what an earlier attempt left when
    /// the transfer was resumed).
    pub bytes: u64,
    /// The body's whole length, when the server declared it.
    pub of: Option<u64>,
}

/// Who watches a download: `stop` abandons it (the run has stopped), `progress` is told how far
/// it has come as the body arrives.
#[derive(Clone, Copy)]
pub(crate) struct Watch<'a> {
    pub stop: &'a AtomicBool,
    pub progress: &'a (dyn Fn(Downloaded) + Sync),
}

/// Downloads corpora at URLs into files, to be read with [`CorpusReader`](crate::CorpusReader),
/// over one HTTP runtime and client: the shards of a corpus on one host reuse its connections
/// instead of opening (and for https, negotiating) a new one per shard.
pub struct CorpusFetcher<'a> {
    opts: &'a ExtractOptions,
    runtime: tokio::runtime::Runtime,
    client: reqwest::Client,
}

impl<'a> CorpusFetcher<'a> {
    /// A fetcher with the limits, cache and offline mode of `opts`; the error says why the
    /// HTTP runtime or client could not be made.
    pub fn new(opts: &'a ExtractOptions) -> std::result::Result<CorpusFetcher<'a>, String> {
        let (runtime, client) = http::runtime_and_client(opts)?;
        Ok(CorpusFetcher {
            opts,
            runtime,
            client,
        })
    }

    /// Downloads the corpus at `spec`'s URL into a file: through the cache (revalidated when
    /// cached, read from it alone when `offline`), retried as any fetch is. Setting `stop`
    /// abandons the download (the run has stopped); `progress` is told how far it has come
    /// as the body arrives (not for a body the cache serves). An error names the source and
    /// the URL.
    pub fn fetch(
        &self,
        spec: &SourceSpec,
        stop: &AtomicBool,
        progress: &(dyn Fn(Downloaded) + Sync),
    ) -> Result<FetchedFile> {
        let Location::Url(given) = &spec.location else {
            return Err(Error::Runtime {
                source_id: spec.id.clone(),
                reason: "a corpus fetch needs a URL source".to_owned(),
            });
        };
        let url = http::parse_url(&spec.id, given)?;
        let watch = Watch { stop, progress };
        self.runtime.block_on(fetch_to_file(
            &self.client,
            spec,
            &url,
            given,
            self.opts,
            http::Limits::corpus(),
            Some(watch),
        ))
    }
}

/// Fetches `url` (given as `origin`) through the cache into a file, under `limits`.
pub(crate) async fn fetch_to_file(
    client: &reqwest::Client,
    spec: &SourceSpec,
    url: &reqwest::Url,
    origin: &str,
    opts: &ExtractOptions,
    limits: http::Limits,
    watch: Option<Watch<'_>>,
) -> Result<FetchedFile> {
    let cache = opts.cache_dir.as_deref().map(cache::Cache::new);
    let from_cache =
        |(entry, path, bytes): (cache::Entry, PathBuf, u64), status, warnings| FetchedFile {
            fetch: fetch_record(origin, &entry, status, bytes, true),
            path,
            warnings,
            _temporary: None,
        };
    if opts.offline {
        let cached = cache.as_ref().and_then(|c| c.get(url.as_str()));
        let cached = cached.ok_or_else(|| offline_miss(spec, origin, opts))?;
        return Ok(from_cache(cached, None, Vec::new()));
    }
    // A cached body is checked against its hash only when it can be revalidated: without
    // validators the answer is a new body anyway.
    let cached = cache.as_ref().and_then(|c| {
        let entry = c.entry(url.as_str())?;
        let validators = entry.etag.is_some() || entry.last_modified.is_some();
        validators.then(|| c.verified(entry)).flatten()
    });
    let mut warnings = Vec::new();
    // Into the cache when it takes the download, else into a temporary file.
    let ((file, temp), in_cache) = match cache.as_ref().map(cache::Cache::download_file) {
        Some(Ok(download)) => (download, true),
        other => {
            if let Some(Err(e)) = other {
                warnings.push(cache_warning(spec, origin, &e));
            }
            let temporary = tempfile::Builder::new()
                .prefix("chiso-download-")
                .suffix(".tmp")
                .tempfile()
                .map_err(|e| Error::Cache {
                    source_id: spec.id.clone(),
                    url: origin.to_owned(),
                    reason: format!("cannot create a file to download into: {e}"),
                })?;
            (temporary.into_parts(), false)
        }
    };
    let validators = validators_of(cached.as_ref().map(|(e, _, _)| e));
    let mut body = FileBody::new(file, temp, &spec.id, origin, watch);
    let fetched = http::fetch(client, &spec.id, url, opts, limits, &validators, &mut body).await?;
    if fetched.not_modified() {
        let (entry, path, bytes) = cached.ok_or_else(|| unasked_not_modified(spec, origin))?;
        // The 304's headers refresh the entry; what it does not repeat is kept.
        let entry = entry_of(url, fetched, entry.sha256.clone(), validators, entry);
        if let Some(c) = &cache
            && let Err(e) = c.put_entry(&entry)
        {
            warnings.push(cache_warning(spec, origin, &e));
        }
        return Ok(from_cache((entry, path, bytes), Some(304), warnings));
    }
    let status = fetched.status;
    let (sha256, bytes, temp) = body.finish().map_err(|e| Error::Cache {
        source_id: spec.id.clone(),
        url: origin.to_owned(),
        reason: format!("cannot store the download: {e}"),
    })?;
    let entry = entry_of(url, fetched, sha256, validators, cache::Entry::default());
    let (path, temporary) = match &cache {
        Some(c) if in_cache => match c.put_body(&entry, temp) {
            Ok(path) => {
                if let Err(e) = c.put_entry(&entry) {
                    warnings.push(cache_warning(spec, origin, &e));
                }
                (path, None)
            }
            Err(e) => {
                warnings.push(cache_warning(spec, origin, &e.error));
                (e.path.to_path_buf(), Some(e.path))
            }
        },
        _ => (temp.to_path_buf(), Some(temp)),
    };
    Ok(FetchedFile {
        fetch: fetch_record(origin, &entry, Some(status), bytes, false),
        path,
        warnings,
        _temporary: temporary,
    })
}

/// What a fetch records of `entry`, the cache's view of the body now in hand.
fn fetch_record(
    origin: &str,
    entry: &cache::Entry,
    status: Option<u16>,
    bytes: u64,
    from_cache: bool,
) -> FetchRecord {
    FetchRecord {
        url: origin.to_owned(),
        final_url: entry.final_url.clone(),
        status,
        bytes,
        sha256: entry.sha256.clone(),
        from_cache,
        content_type: entry.content_type.clone(),
    }
}

/// The error of an offline run whose URL is not in the cache.
fn offline_miss(spec: &SourceSpec, origin: &str, opts: &ExtractOptions) -> Error {
    Error::Cache {
        source_id: spec.id.clone(),
        url: origin.to_owned(),
        reason: match &opts.cache_dir {
            Some(dir) => format!("offline, and the URL is not in the cache {}", dir.display()),
            None => "offline, and no cache directory is set".to_owned(),
        },
    }
}

/// The error of a 304 answer when nothing cached was offered for revalidation.
fn unasked_not_modified(spec: &SourceSpec, origin: &str) -> Error {
    Error::Runtime {
        source_id: spec.id.clone(),
        reason: format!("{origin} answered 304 Not Modified to a request without validators"),
    }
}

/// The validators of a cached entry, sent to revalidate it.
fn validators_of(entry: Option<&cache::Entry>) -> http::Validators {
    entry
        .map(|e| http::Validators {
            etag: e.etag.clone(),
            last_modified: e.last_modified.clone(),
        })
        .unwrap_or_default()
}

/// The cache entry of a body with hash `sha256` just fetched (or revalidated): the response's
/// headers, else the validators sent, else what `earlier` (the cached entry) held.
fn entry_of(
    url: &reqwest::Url,
    fetched: http::Fetched,
    sha256: String,
    validators: http::Validators,
    earlier: cache::Entry,
) -> cache::Entry {
    cache::Entry {
        url: url.to_string(),
        final_url: fetched.final_url,
        sha256,
        content_type: fetched.content_type.or(earlier.content_type),
        etag: fetched.etag.or(validators.etag),
        last_modified: fetched.last_modified.or(validators.last_modified),
    }
}

/// Logs that the cache could not be written and returns the source's warning.
fn cache_warning(spec: &SourceSpec, origin: &str, e: &std::io::Error) -> String {
    tracing::warn!(source_id = %spec.id, url = %origin, error = %e, "Cannot write the HTTP cache.");
    format!("cannot write the HTTP cache: {e}")
}

/// How often a download reports how far it has come.
const REPORT_EVERY: Duration = Duration::from_secs(5);

/// A download's file: written through a buffer, hashed as it is written, emptied again when an
/// attempt is retried; how far it has come is logged every [`REPORT_EVERY`].
struct FileBody<'a> {
    file: File,
    temp: TempPath,
    out: Option<Hashed<BufWriter<File>>>,
    source_id: &'a str,
    url: &'a str,
    watch: Option<Watch<'a>>,
    declared: Option<u64>,
    /// What names the body being written, for resuming it (see [`http::Body::resume_at`]).
    validator: Option<String>,
    started: Instant,
    reported: Instant,
}

impl<'a> FileBody<'a> {
    fn new(
        file: File,
        temp: TempPath,
        source_id: &'a str,
        url: &'a str,
        watch: Option<Watch<'a>>,
    ) -> FileBody<'a> {
        let now = Instant::now();
        FileBody {
            file,
            temp,
            out: None,
            source_id,
            url,
            watch,
            declared: None,
            validator: None,
            started: now,
            reported: now,
        }
    }

    /// The hash and size of the body, and its file, flushed to disk.
    fn finish(mut self) -> std::io::Result<(String, u64, TempPath)> {
        let (sha256, bytes) = match self.out.take() {
            Some(out) => {
                let (sha256, bytes, writer) = out.finish();
                writer
                    .into_inner()
                    .map_err(|e| e.into_error())?
                    .sync_all()?;
                (sha256, bytes)
            }
            None => (crate::sha256_hex(b""), 0),
        };
        Ok((sha256, bytes, self.temp))
    }

    /// Tells the watcher, if any, that `written` bytes of the body are on disk.
    fn tell(&self, written: u64) {
        if let Some(w) = self.watch {
            (w.progress)(Downloaded {
                bytes: written,
                of: self.declared,
            });
        }
    }

    fn report(&self, written: u64) {
        const MIB: f64 = 1024.0 * 1024.0;
        let seconds = self.started.elapsed().as_secs_f64().max(1e-3);
        tracing::info!(
            source_id = %self.source_id,
            url = %self.url,
            mib = format!("{:.1}", written as f64 / MIB),
            of_mib = self.declared.map(|n| format!("{:.1}", n as f64 / MIB)),
            mib_per_s = format!("{:.1}", written as f64 / MIB / seconds),
            "Downloading."
        );
    }
}

impl http::Body for FileBody<'_> {
    fn restart(&mut self, declared: Option<u64>, validator: Option<String>) -> std::io::Result<()> {
        self.out = None;
        self.declared = declared;
        self.validator = validator;
        self.started = Instant::now();
        self.reported = self.started;
        let mut file = self.file.try_clone()?;
        file.set_len(0)?;
        file.rewind()?;
        self.out = Some(Hashed::new(BufWriter::with_capacity(1 << 20, file)));
        self.tell(0);
        Ok(())
    }

    fn resume_at(&self) -> Option<(u64, &str)> {
        let written = self.written();
        (written > 0).then_some((written, self.validator.as_deref()?))
    }

    fn resume(&mut self) {
        tracing::info!(
            source_id = %self.source_id,
            url = %self.url,
            at = self.written(),
            "Resuming the download."
        );
        self.tell(self.written());
    }

    fn append(&mut self, chunk: &[u8]) -> std::io::Result<()> {
        if self.watch.is_some_and(|w| w.stop.load(Ordering::Relaxed)) {
            return Err(std::io::Error::other("the run stopped"));
        }
        let Some(out) = &mut self.out else {
            return Err(std::io::Error::other("the download was not started"));
        };
        out.write_all(chunk)?;
        let written = out.bytes;
        self.tell(written);
        if self.reported.elapsed() >= REPORT_EVERY {
            self.reported = Instant::now();
            self.report(written);
        }
        Ok(())
    }

    fn written(&self) -> u64 {
        self.out.as_ref().map_or(0, |out| out.bytes)
    }
}
