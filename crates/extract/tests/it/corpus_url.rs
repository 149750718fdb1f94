//! A corpus at a URL: downloaded to a file (the cache's, or a temporary one), resumed where it
//! stopped after a cut transfer (or retried from the start when the body cannot be named), revalidated, read offline, repaired when its cached copy is
//! damaged, kept as a temporary file when the cache cannot take it, abandoned when the run
//! stops, and an error naming the URL.

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use chiso_extract::{
    CorpusColumns, CorpusFetcher, CorpusFormat, CorpusReader, Downloaded, Error, ExtractOptions,
    FetchedFile, Location, SourceSpec,
};

use crate::local::spec;
use crate::server::{CORPUS_BODY, start};

fn opts(cache: Option<&Path>, retries: u32, offline: bool) -> ExtractOptions {
    ExtractOptions {
        http_timeout: Duration::from_millis(800),
        connect_timeout: Duration::from_millis(500),
        retries,
        cache_dir: cache.map(Path::to_path_buf),
        offline,
        ..ExtractOptions::default()
    }
}

/// A fetch by a [`CorpusFetcher`] of its own, in a run that goes on.
fn fetch_corpus(spec: &SourceSpec, opts: &ExtractOptions) -> Result<FetchedFile, Error> {
    let fetcher = CorpusFetcher::new(opts).expect("an HTTP runtime and client");
    fetcher.fetch(spec, &AtomicBool::new(false), &|_| {})
}

/// The ids of the documents of the corpus file at `path`.
fn ids(path: &Path) -> Vec<String> {
    let reader = CorpusReader::open(
        "news",
        path,
        CorpusFormat::JsonLines,
        &CorpusColumns::default(),
        1 << 20,
    )
    .expect("the downloaded file opens");
    reader
        .map(|r| r.expect("a good line").id.expect("an id"))
        .collect()
}

/// The names of the files among the cache's bodies.
fn bodies(cache: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(cache.join("bodies"))
        .expect("listable")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    chiso_model::hex::lower_hex(&sha2::Sha256::digest(bytes))
}

#[test]
fn a_corpus_is_downloaded_into_the_cache_then_read_offline_and_repaired() {
    let server = start();
    let tmp = crate::support::scratch("corpus-url-cache");
    let cache = tmp.path();
    let url = server.url("/corpus.jsonl");
    let source = spec("news", Location::Url(url.clone()));
    let first = fetch_corpus(&source, &opts(Some(cache), 0, false)).expect("200");
    assert_eq!(
        std::fs::read(first.path()).expect("the file"),
        CORPUS_BODY.as_bytes()
    );
    let sha = sha256_hex(CORPUS_BODY.as_bytes());
    assert_eq!(first.path(), cache.join("bodies").join(&sha));
    let record = &first.fetch;
    assert_eq!((record.status, record.from_cache), (Some(200), false));
    assert_eq!(
        (record.url.as_str(), record.bytes),
        (url.as_str(), CORPUS_BODY.len() as u64)
    );
    assert_eq!(record.sha256, sha);
    assert_eq!(ids(first.path()), ["a1", "a2"]);
    assert_eq!(bodies(cache), [sha.as_str()], "no download file is left");

    let offline = fetch_corpus(&source, &opts(Some(cache), 0, true)).expect("from the cache");
    assert_eq!((offline.path(), offline.fetch.status), (first.path(), None));
    assert!(offline.fetch.from_cache);
    assert_eq!(server.hits("/corpus.jsonl"), 1, "offline asks nothing");

    // A cached copy that no longer matches its hash is not used offline; online, it is
    // downloaded again (the test server sends no validators) and replaced where it was.
    std::fs::write(first.path(), b"{}\n").expect("writable");
    let err = fetch_corpus(&source, &opts(Some(cache), 0, true)).expect_err("tampered");
    assert!(matches!(err, Error::Cache { .. }), "{err}");
    let again = fetch_corpus(&source, &opts(Some(cache), 0, false)).expect("200 again");
    assert_eq!(
        (again.path(), again.fetch.from_cache),
        (first.path(), false)
    );
    assert_eq!(
        std::fs::read(again.path()).expect("the file"),
        CORPUS_BODY.as_bytes()
    );
    assert_eq!(bodies(cache), [sha]);
    fetch_corpus(&source, &opts(Some(cache), 0, true)).expect("offline works again");
}

#[test]
fn a_cut_transfer_is_retried_from_an_empty_file() {
    let server = start();
    let tmp = crate::support::scratch("corpus-url-cut");
    let cache = tmp.path();
    let source = spec("news", Location::Url(server.url("/cut-once.jsonl")));
    let fetched = fetch_corpus(&source, &opts(Some(cache), 1, false)).expect("the retry");
    assert_eq!(server.hits("/cut-once.jsonl"), 2);
    assert_eq!(
        std::fs::read(fetched.path()).expect("the file"),
        CORPUS_BODY.as_bytes(),
        "nothing of the first attempt is kept"
    );
    let sha = sha256_hex(CORPUS_BODY.as_bytes());
    assert_eq!(
        (fetched.fetch.sha256.as_str(), fetched.fetch.bytes),
        (sha.as_str(), CORPUS_BODY.len() as u64)
    );
    assert_eq!(bodies(cache), [sha.as_str()]);

    let server = start();
    let source = spec("news", Location::Url(server.url("/cut-once.jsonl")));
    let err = fetch_corpus(&source, &opts(Some(cache), 0, false)).expect_err("no retry");
    let text = err.to_string();
    assert!(
        text.contains("/cut-once.jsonl") && text.contains("source news"),
        "{text}"
    );
    let missing = spec("news", Location::Url(server.url("/missing.jsonl")));
    fetch_corpus(&missing, &opts(Some(cache), 0, false)).expect_err("404");
    assert_eq!(bodies(cache), [sha], "a failed download leaves no file");
}

#[test]
fn a_cut_transfer_resumes_where_it_stopped_when_the_body_has_a_strong_etag() {
    let server = start();
    let tmp = crate::support::scratch("corpus-url-resume");
    let source = spec("news", Location::Url(server.url("/resumable.jsonl")));
    // The server cuts every request without a range: only a resumption can succeed.
    let fetched = fetch_corpus(&source, &opts(Some(tmp.path()), 1, false)).expect("resumed");
    assert_eq!(server.hits("/resumable.jsonl"), 2);
    assert_eq!(
        std::fs::read(fetched.path()).expect("the file"),
        CORPUS_BODY.as_bytes()
    );
    let sha = sha256_hex(CORPUS_BODY.as_bytes());
    assert_eq!(fetched.fetch.sha256, sha, "the digest covers both parts");
    assert_eq!(
        (fetched.fetch.bytes, fetched.fetch.status),
        (CORPUS_BODY.len() as u64, Some(200))
    );
    assert_eq!(ids(fetched.path()), ["a1", "a2"]);

    // With a weak ETag the retry asks for the whole body (the server refuses ranges).
    let source = spec("news", Location::Url(server.url("/weak-etag.jsonl")));
    let fetched = fetch_corpus(&source, &opts(Some(tmp.path()), 1, false)).expect("restarted");
    assert_eq!(server.hits("/weak-etag.jsonl"), 2);
    assert_eq!(
        std::fs::read(fetched.path()).expect("the file"),
        CORPUS_BODY.as_bytes()
    );
}

#[test]
fn without_a_cache_the_download_is_a_temporary_file_removed_with_it() {
    let server = start();
    let source = spec("news", Location::Url(server.url("/corpus.jsonl")));
    let fetched = fetch_corpus(&source, &opts(None, 0, false)).expect("200");
    let path = fetched.path().to_path_buf();
    assert_eq!(ids(&path), ["a1", "a2"]);
    drop(fetched);
    assert!(!path.exists(), "{path:?} is removed");
    let err = fetch_corpus(&source, &opts(None, 0, true)).expect_err("offline, no cache");
    assert!(err.to_string().contains("no cache directory"), "{err}");
}

#[test]
fn a_cache_that_cannot_take_the_body_is_a_warning_and_the_download_is_read_anyway() {
    let server = start();
    let tmp = crate::support::scratch("corpus-url-full");
    let cache = tmp.path();
    // A directory where the body would go: the rename into place fails.
    let sha = sha256_hex(CORPUS_BODY.as_bytes());
    std::fs::create_dir_all(cache.join("bodies").join(&sha).join("x")).expect("writable");
    let source = spec("news", Location::Url(server.url("/corpus.jsonl")));
    let fetched = fetch_corpus(&source, &opts(Some(cache), 0, false)).expect("read anyway");
    assert!(
        fetched
            .warnings
            .iter()
            .any(|w| w.contains("cannot write the HTTP cache")),
        "{:?}",
        fetched.warnings
    );
    let path = fetched.path().to_path_buf();
    assert_eq!(ids(&path), ["a1", "a2"]);
    drop(fetched);
    assert!(!path.exists(), "the download is removed with it");
    assert_eq!(bodies(cache), [sha]);
}

#[test]
fn a_stopped_run_abandons_the_download() {
    let server = start();
    let source = spec("news", Location::Url(server.url("/corpus.jsonl")));
    let opts = opts(None, 2, false);
    let fetcher = CorpusFetcher::new(&opts).expect("an HTTP runtime and client");
    let err = fetcher
        .fetch(&source, &AtomicBool::new(true), &|_| {})
        .expect_err("stopped");
    assert!(err.to_string().contains("the run stopped"), "{err}");
    assert_eq!(server.hits("/corpus.jsonl"), 1, "not retried");
}

#[test]
fn a_missing_corpus_is_an_error_naming_the_url() {
    let server = start();
    let url = server.url("/missing");
    let err = fetch_corpus(
        &spec("news", Location::Url(url.clone())),
        &opts(None, 0, false),
    )
    .expect_err("404");
    assert!(matches!(err, Error::Status { status: 404, .. }), "{err}");
    assert!(err.to_string().contains(&url), "{err}");
}

/// One fetcher downloads shard after shard over the connection the first one opened, and tells
/// how far each download has come: from 0 to the whole body, whose length the server declared.
#[test]
fn shards_reuse_the_connection_and_report_their_progress() {
    let server = start();
    let opts = opts(None, 0, false);
    let fetcher = CorpusFetcher::new(&opts).expect("an HTTP runtime and client");
    let body = CORPUS_BODY.len() as u64;
    for shard in ["a", "b", "c"] {
        let source = spec(
            shard,
            Location::Url(server.url(&format!("/keep-alive/{shard}.jsonl"))),
        );
        let seen = std::sync::Mutex::new(Vec::new());
        let fetched = fetcher
            .fetch(&source, &AtomicBool::new(false), &|d| {
                seen.lock().expect("not poisoned").push(d);
            })
            .expect("200");
        assert_eq!(ids(fetched.path()), ["a1", "a2"]);
        let seen = seen.into_inner().expect("not poisoned");
        assert_eq!(
            seen.first(),
            Some(&Downloaded {
                bytes: 0,
                of: Some(body)
            })
        );
        assert_eq!(
            seen.last(),
            Some(&Downloaded {
                bytes: body,
                of: Some(body)
            })
        );
        assert!(
            seen.windows(2).all(|w| w[0].bytes <= w[1].bytes),
            "{seen:?}"
        );
    }
    assert_eq!(
        server.connections(),
        1,
        "one connection for the three shards"
    );
}
