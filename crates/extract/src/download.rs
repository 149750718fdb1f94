//! A corpus at a URL (`https://…/news.jsonl.gz`, `…/news.parquet`): downloaded to a file, then
//! read like a local corpus file. The body is streamed to disk as it arrives and hashed on the
//! way, never held in memory, so a corpus of gigabytes costs no more memory than a page.
//!
//! With a cache directory the download goes into the cache (`bodies/<sha256>`, renamed into
//! place once complete) and a later run revalidates it with ETag/Last-Modified like any URL
//! source: a 304 reads the cached file again without downloading it. `offline` reads the cache
//! alone. Without a cache directory the download is a temporary file, removed when the
//! [`FetchedCorpus`] is dropped. A corpus download has no size cap (as a local corpus file has
//! none; each document is capped instead) and no timeout for the whole transfer: the client's
//! connect timeout, and its read timeout between two arrivals of data, apply.

use std::fs::File;
use std::io::{BufWriter, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tempfile::{NamedTempFile, TempPath};

use crate::hashed::Hashed;
use crate::{Error, ExtractOptions, FetchRecord, Location, Result, SourceSpec, cache, http};

/// A corpus fetched from a URL into a local file, to be read with
/// [`CorpusReader`](crate::CorpusReader).
#[derive(Debug)]
pub struct FetchedCorpus {
    /// The file holding the body: the HTTP cache's copy, or a temporary file.
    path: PathBuf,
    /// How it was fetched, as for any URL source.
    pub fetch: FetchRecord,
    /// What went wrong without failing the source (the cache could not be written).
    pub warnings: Vec<String>,
    /// A temporary file outside the cache, removed when this is dropped.
    _temporary: Option<TempPath>,
}

impl FetchedCorpus {
    /// The local file holding the corpus; valid while `self` lives.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Downloads the corpus at `spec`'s URL (through the cache of `opts`: revalidated when cached,
/// read from it alone when `offline`), retrying as any fetch does. An error names the source and
/// the URL.
pub fn fetch_corpus(spec: &SourceSpec, opts: &ExtractOptions) -> Result<FetchedCorpus> {
    let Location::Url(given) = &spec.location else {
        return Err(Error::Runtime {
            source_id: spec.id.clone(),
            reason: "fetch_corpus needs a URL source".to_owned(),
        });
    };
    let url = http::parse_url(&spec.id, given)?;
    let (runtime, client) = http::runtime_and_client(opts).map_err(|reason| Error::Runtime {
        source_id: spec.id.clone(),
        reason,
    })?;
    runtime.block_on(download(&client, spec, &url, given, opts))
}

async fn download(
    client: &reqwest::Client,
    spec: &SourceSpec,
    url: &reqwest::Url,
    origin: &str,
    opts: &ExtractOptions,
) -> Result<FetchedCorpus> {
    let cache = opts.cache_dir.as_deref().map(cache::Cache::new);
    let cached = cache.as_ref().and_then(|c| c.get_file(url.as_str()));
    let from_cache = |(entry, path, bytes): (cache::Entry, PathBuf, u64), status| FetchedCorpus {
        fetch: crate::fetch_record(origin, &entry, status, bytes, true),
        path,
        warnings: Vec::new(),
        _temporary: None,
    };
    if opts.offline {
        let cached = cached.ok_or_else(|| crate::offline_miss(spec, origin, opts))?;
        return Ok(from_cache(cached, None));
    }
    let store_err = |e: std::io::Error| Error::Cache {
        source_id: spec.id.clone(),
        url: origin.to_owned(),
        reason: format!("cannot create a file to download into: {e}"),
    };
    let file = match &cache {
        Some(c) => c.download_file(),
        None => tempfile::Builder::new()
            .prefix("chiso-download-")
            .suffix(".tmp")
            .tempfile(),
    }
    .map_err(store_err)?;
    let mut body = FileBody::new(file, &spec.id, origin);
    let validators = crate::validators_of(cached.as_ref().map(|(e, _, _)| e));
    let limits = http::Limits {
        max_bytes: None,
        attempt_timeout: None,
    };
    let fetched = http::fetch(client, &spec.id, url, opts, limits, &validators, &mut body).await?;
    if fetched.not_modified() {
        let cached = cached.ok_or_else(|| crate::unasked_not_modified(spec, origin))?;
        return Ok(from_cache(cached, Some(fetched.status)));
    }
    let status = fetched.status;
    let (sha256, bytes, file) = body.finish().map_err(|e| Error::Cache {
        source_id: spec.id.clone(),
        url: origin.to_owned(),
        reason: format!("cannot store the download: {e}"),
    })?;
    let entry = crate::entry_of(url, fetched, sha256, validators);
    let mut warnings = Vec::new();
    let (path, temporary) = match &cache {
        Some(c) => match c.put_file(&entry, file) {
            Ok(path) => (path, None),
            Err(e) => {
                warnings.push(crate::cache_warning(spec, origin, &e.error));
                let temporary = e.file.into_temp_path();
                (temporary.to_path_buf(), Some(temporary))
            }
        },
        None => {
            let temporary = file.into_temp_path();
            (temporary.to_path_buf(), Some(temporary))
        }
    };
    if temporary.is_none()
        && let Some(c) = &cache
        && let Err(e) = c.put_entry(&entry)
    {
        warnings.push(crate::cache_warning(spec, origin, &e));
    }
    Ok(FetchedCorpus {
        fetch: crate::fetch_record(origin, &entry, Some(status), bytes, false),
        path,
        warnings,
        _temporary: temporary,
    })
}

/// How often a download reports how far it has come.
const REPORT_EVERY: Duration = Duration::from_secs(5);

/// A download's file: written through a buffer, hashed as it is written, emptied again when an
/// attempt is retried; how far it has come is logged every [`REPORT_EVERY`].
struct FileBody {
    temp: NamedTempFile,
    out: Option<Hashed<BufWriter<File>>>,
    source_id: String,
    url: String,
    declared: Option<u64>,
    started: Instant,
    reported: Instant,
}

impl FileBody {
    fn new(temp: NamedTempFile, source_id: &str, url: &str) -> FileBody {
        let now = Instant::now();
        FileBody {
            temp,
            out: None,
            source_id: source_id.to_owned(),
            url: url.to_owned(),
            declared: None,
            started: now,
            reported: now,
        }
    }

    fn report(&self, written: u64) {
        const MIB: f64 = 1024.0 * 1024.0;
        let seconds = self.started.elapsed().as_secs_f64().max(1e-3);
        let of = self
            .declared
            .map(|n| format!(" of {:.1}", n as f64 / MIB))
            .unwrap_or_default();
        tracing::info!(
            source_id = %self.source_id,
            url = %self.url,
            "downloading the corpus: {:.1}{of} MiB ({:.1} MiB/s)",
            written as f64 / MIB,
            written as f64 / MIB / seconds,
        );
    }

    /// The hash and size of the body, and its file, flushed to disk.
    fn finish(mut self) -> std::io::Result<(String, u64, NamedTempFile)> {
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
}

impl http::Body for FileBody {
    fn restart(&mut self, declared: Option<u64>) -> std::io::Result<()> {
        self.out = None;
        self.declared = declared;
        self.started = Instant::now();
        self.reported = self.started;
        let mut file = self.temp.as_file().try_clone()?;
        file.set_len(0)?;
        file.rewind()?;
        self.out = Some(Hashed::new(BufWriter::with_capacity(1 << 20, file)));
        Ok(())
    }

    fn append(&mut self, chunk: &[u8]) -> std::io::Result<()> {
        let Some(out) = &mut self.out else {
            return Err(std::io::Error::other("the download was not started"));
        };
        out.write_all(chunk)?;
        let written = out.bytes;
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
