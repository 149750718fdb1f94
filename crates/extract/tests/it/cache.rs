//! The HTTP cache: a second run revalidates with ETag or Last-Modified and a 304 serves the
//! cached body; `offline` reads the cache alone; what is recorded about each fetch.

use std::path::Path;
use std::time::Duration;

use chiso_extract::{Error, ExtractOptions, Extracted, Format, Location, extract_all};

use crate::local::spec;
use crate::server::{PAGE_BODY, start};

/// A fresh cache directory, removed when the guard is dropped.
fn cache_dir(name: &str) -> tempfile::TempDir {
    crate::support::scratch(&format!("cache-{name}"))
}

fn opts(dir: &Path, offline: bool) -> ExtractOptions {
    ExtractOptions {
        http_timeout: Duration::from_millis(800),
        connect_timeout: Duration::from_millis(500),
        retries: 0,
        cache_dir: Some(dir.to_path_buf()),
        offline,
        ..ExtractOptions::default()
    }
}

fn fetch(url: &str, opts: &ExtractOptions) -> Result<Extracted, Error> {
    extract_all(&[spec("web", Location::Url(url.to_owned()))], opts).remove(0)
}

#[test]
fn revalidation_with_etag_and_last_modified_gives_304_and_the_cached_body() {
    for path in ["/etag", "/last-modified"] {
        let server = start();
        let tmp = cache_dir(&path[1..]);
        let dir = tmp.path();
        let url = server.url(path);
        let first = fetch(&url, &opts(dir, false)).expect("200");
        let record = first.fetch.clone().expect("a URL source records its fetch");
        assert_eq!((record.status, record.from_cache), (Some(200), false));
        assert_eq!(record.bytes, PAGE_BODY.len() as u64);
        assert_eq!(record.url, url);
        assert_eq!(record.final_url, url);
        assert_eq!(record.sha256, first.document.meta.sha256);
        assert_eq!(first.format, Format::Html, "from the Content-Type");
        assert_eq!(
            first.document.text,
            "Xuất khẩu tăng 12,4%\nKim ngạch xuất khẩu 9 tháng ước đạt 15,2 tỷ USD.\n"
        );

        let second = fetch(&url, &opts(dir, false)).expect("304 from the cache");
        let record = second.fetch.clone().expect("recorded");
        assert_eq!(
            (record.status, record.from_cache),
            (Some(304), true),
            "{path}"
        );
        assert_eq!(
            second.document, first.document,
            "the same body, byte for byte"
        );
        assert_eq!(server.hits(path), 2, "the second run asked the server");
    }
}

#[test]
fn offline_reads_the_cache_alone() {
    let server = start();
    let tmp = cache_dir("offline");
    let dir = tmp.path();
    let url = server.url("/etag");
    let missing = fetch(&url, &opts(dir, true)).expect_err("nothing cached yet");
    assert!(matches!(missing, Error::Cache { .. }), "{missing}");
    assert!(
        missing.to_string().contains("not in the cache"),
        "{missing}"
    );
    assert_eq!(server.hits("/etag"), 0, "offline never asks the server");

    let online = fetch(&url, &opts(dir, false)).expect("200");
    let offline = fetch(&url, &opts(dir, true)).expect("from the cache");
    assert_eq!(server.hits("/etag"), 1);
    let record = offline.fetch.clone().expect("recorded");
    assert_eq!((record.status, record.from_cache), (None, true));
    assert_eq!(offline.document.text, online.document.text);
}

#[test]
fn failures_are_not_cached() {
    let server = start();
    let tmp = cache_dir("failures");
    let dir = tmp.path();
    let url = server.url("/missing");
    assert!(fetch(&url, &opts(dir, false)).is_err());
    let offline = fetch(&url, &opts(dir, true)).expect_err("a 404 is not cached");
    assert!(matches!(offline, Error::Cache { .. }), "{offline}");
}
