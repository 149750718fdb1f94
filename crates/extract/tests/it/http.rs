//! HTTP sources against the local test server: status codes, retries, timeouts, caps, resets,
//! redirects.

use std::time::{Duration, Instant};

use chiso_extract::{Error, ExtractOptions, Location, extract_all};

use crate::local::spec;
use crate::server::{OK_BODY, start};

fn opts() -> ExtractOptions {
    ExtractOptions {
        http_timeout: Duration::from_millis(800),
        connect_timeout: Duration::from_millis(500),
        retries: 1,
        cache_dir: None,
        ..ExtractOptions::default()
    }
}

fn fetch_one(url: String, opts: &ExtractOptions) -> Result<chiso_extract::Extracted, Error> {
    let mut results = extract_all(&[spec("web", Location::Url(url))], opts);
    assert_eq!(results.len(), 1);
    results.remove(0)
}

#[test]
fn ok_body_is_decoded_with_provenance() {
    let server = start();
    let url = server.url("/ok");
    let got = fetch_one(url.clone(), &opts()).expect("200 is read");
    assert_eq!(got.document.text, OK_BODY.replace("\r\n", "\n"));
    assert_eq!(got.document.meta.origin, url);
    assert_eq!(got.document.meta.bytes, OK_BODY.len() as u64);
    assert_eq!(got.document.meta.encoding, "utf-8");
    assert_eq!(server.hits("/ok"), 1);
}

#[test]
fn user_agent_names_chiso() {
    let server = start();
    let got = fetch_one(server.url("/user-agent"), &opts()).expect("200 is read");
    assert_eq!(
        got.document.text,
        format!("chiso/{}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn not_found_is_not_retried() {
    let server = start();
    let opts = ExtractOptions {
        retries: 3,
        ..opts()
    };
    let err = fetch_one(server.url("/missing"), &opts).expect_err("the case under test must fail");
    assert!(
        matches!(
            err,
            Error::Status {
                status: 404,
                attempts: 1,
                ..
            }
        ),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(
        text.contains("404") && text.contains("source web") && text.contains("/missing"),
        "{text}"
    );
    assert_eq!(server.hits("/missing"), 1);
}

#[test]
fn server_error_then_success_is_retried() {
    let server = start();
    let got = fetch_one(server.url("/flaky"), &opts()).expect("the retry succeeds");
    assert_eq!(got.document.text, "Đã khôi phục.");
    assert_eq!(server.hits("/flaky"), 2);
}

#[test]
fn persistent_server_error_gives_up_after_the_retries() {
    let server = start();
    let opts = ExtractOptions {
        retries: 2,
        ..opts()
    };
    let err =
        fetch_one(server.url("/always-503"), &opts).expect_err("the case under test must fail");
    assert!(
        matches!(
            err,
            Error::Status {
                status: 503,
                attempts: 3,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(server.hits("/always-503"), 3);
}

#[test]
fn slow_body_times_out() {
    let server = start();
    let opts = ExtractOptions {
        retries: 0,
        http_timeout: Duration::from_millis(300),
        ..opts()
    };
    let started = Instant::now();
    let err = fetch_one(server.url("/slow"), &opts).expect_err("the case under test must fail");
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert!(err.to_string().contains("timed out"), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "gave up promptly: {:?}",
        started.elapsed()
    );
}

#[test]
fn body_over_the_cap_is_an_error() {
    let server = start();
    let opts = ExtractOptions {
        max_bytes: 64 * 1024,
        ..opts()
    };
    for path in ["/big-declared", "/big-chunked"] {
        let err = fetch_one(server.url(path), &opts).expect_err("the case under test must fail");
        assert!(
            matches!(err, Error::TooLarge { limit: 65536, .. }),
            "{path}: {err:?}"
        );
        assert!(err.to_string().contains("too large"), "{err}");
        assert_eq!(
            server.hits(path),
            1,
            "{path}: a body over the cap is not retried"
        );
    }
}

#[test]
fn connection_closed_mid_body_is_an_error_not_a_short_text() {
    let server = start();
    let err = fetch_one(server.url("/reset"), &opts()).expect_err("the case under test must fail");
    assert!(
        matches!(err, Error::Transport { attempts: 2, .. }),
        "{err:?}"
    );
    assert_eq!(server.hits("/reset"), 2, "a broken body is retried");
}

#[test]
fn redirect_loop_is_capped() {
    let server = start();
    let err = fetch_one(server.url("/loop"), &opts()).expect_err("the case under test must fail");
    assert!(
        matches!(err, Error::TooManyRedirects { max: 5, .. }),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("redirected more than 5 times"),
        "{err}"
    );
    let got = fetch_one(server.url("/redirect-once"), &opts()).expect("one redirect is followed");
    assert_eq!(got.document.text, OK_BODY.replace("\r\n", "\n"));
}

#[test]
fn refused_connection_names_the_url() {
    // Bind then drop a listener to get a local port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free local port")
        .port();
    let url = format!("http://127.0.0.1:{port}/x");
    let err = fetch_one(
        url.clone(),
        &ExtractOptions {
            retries: 0,
            ..opts()
        },
    )
    .expect_err("the case under test must fail");
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(err.to_string().contains(&url), "{err}");
}

#[test]
fn many_sources_keep_their_order_under_bounded_concurrency() {
    let server = start();
    let paths = ["/ok", "/missing", "/flaky", "/ok", "/loop", "/ok"];
    let specs: Vec<_> = paths
        .iter()
        .enumerate()
        .map(|(i, p)| spec(&format!("s{i}"), Location::Url(server.url(p))))
        .collect();
    let opts = ExtractOptions {
        concurrency: 2,
        ..opts()
    };
    let results = extract_all(&specs, &opts);
    let outcome: Vec<bool> = results.iter().map(Result::is_ok).collect();
    assert_eq!(outcome, [true, false, true, true, false, true]);
    for (r, s) in results.iter().zip(&specs) {
        match r {
            Ok(x) => assert_eq!(x.document.source_id, s.id),
            Err(e) => assert_eq!(e.source_id(), s.id),
        }
    }
    assert_eq!(server.hits("/ok"), 3);
}
