//! A corpus at a URL: downloaded to a file (the cache's, or a temporary one), retried from the
//! start after a cut transfer, revalidated, read offline, and an error naming the URL.

use std::path::Path;
use std::time::Duration;

use chiso_extract::{
    CorpusColumns, CorpusFormat, CorpusReader, Error, ExtractOptions, Location, fetch_corpus,
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

#[test]
fn a_corpus_is_downloaded_into_the_cache_then_revalidated_or_read_offline() {
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
    assert!(
        first.path().starts_with(cache.join("bodies")),
        "{:?}",
        first.path()
    );
    let record = &first.fetch;
    assert_eq!((record.status, record.from_cache), (Some(200), false));
    assert_eq!(
        (record.url.as_str(), record.bytes),
        (url.as_str(), CORPUS_BODY.len() as u64)
    );
    assert_eq!(ids(first.path()), ["a1", "a2"]);
    let names: Vec<String> = std::fs::read_dir(cache.join("bodies"))
        .expect("listable")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(names, [record.sha256.clone()], "no download file is left");

    // The test server sends no validators: the second fetch downloads again, into the same
    // body file.
    let second = fetch_corpus(&source, &opts(Some(cache), 0, false)).expect("200 again");
    assert_eq!(
        (second.path(), second.fetch.from_cache),
        (first.path(), false)
    );
    let offline = fetch_corpus(&source, &opts(Some(cache), 0, true)).expect("from the cache");
    assert_eq!((offline.path(), offline.fetch.status), (first.path(), None));
    assert!(offline.fetch.from_cache);
    assert_eq!(server.hits("/corpus.jsonl"), 2, "offline asks nothing");

    // A cached body that no longer matches its hash is not used offline.
    std::fs::write(first.path(), b"{}\n").expect("writable");
    let err = fetch_corpus(&source, &opts(Some(cache), 0, true)).expect_err("tampered");
    assert!(matches!(err, Error::Cache { .. }), "{err}");
}

#[test]
fn a_cut_transfer_is_retried_from_the_start() {
    let server = start();
    let tmp = crate::support::scratch("corpus-url-cut");
    let source = spec("news", Location::Url(server.url("/cut-once.jsonl")));
    let fetched = fetch_corpus(&source, &opts(Some(tmp.path()), 1, false)).expect("the retry");
    assert_eq!(server.hits("/cut-once.jsonl"), 2);
    assert_eq!(
        std::fs::read(fetched.path()).expect("the file"),
        CORPUS_BODY.as_bytes(),
        "the half of the first attempt is not kept"
    );
    assert_eq!(fetched.fetch.bytes, CORPUS_BODY.len() as u64);

    let server = start();
    let source = spec("news", Location::Url(server.url("/cut-once.jsonl")));
    let err = fetch_corpus(&source, &opts(Some(tmp.path()), 0, false)).expect_err("no retry");
    let text = err.to_string();
    assert!(
        text.contains("/cut-once.jsonl") && text.contains("source news"),
        "{text}"
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
