//! HTTP sources: bounded, timed, retried fetches with a streaming size cap.

use std::error::Error as _;
use std::time::Duration;

use reqwest::{Client, StatusCode, Url};

use crate::{Error, ExtractOptions, Result};

/// Redirects followed before giving up.
pub(crate) const MAX_REDIRECTS: usize = 5;

/// Delay before the first retry; doubled for each further one.
const BACKOFF: Duration = Duration::from_millis(200);
/// Longest delay between retries.
const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// The client every fetch of one `extract_all` call shares.
pub(crate) fn client(opts: &ExtractOptions) -> reqwest::Result<Client> {
    Client::builder()
        .user_agent(opts.user_agent.clone())
        .connect_timeout(opts.connect_timeout)
        .read_timeout(opts.http_timeout)
        .redirect(reqwest::redirect::Policy::limited(MAX_REDIRECTS))
        .build()
}

/// Checks that `url` is an http or https URL.
pub(crate) fn parse_url(source_id: &str, url: &str) -> Result<Url> {
    let bad = |reason: String| Error::BadUrl {
        source_id: source_id.to_owned(),
        url: url.to_owned(),
        reason,
    };
    let parsed = Url::parse(url).map_err(|e| bad(format!("not a URL ({e})")))?;
    match parsed.scheme() {
        "http" | "https" => Ok(parsed),
        other => Err(bad(format!(
            "scheme {other:?} is not supported (only http and https)"
        ))),
    }
}

/// Why one attempt failed.
enum Failure {
    /// A non-success status.
    Status(StatusCode),
    /// The attempt did not finish within the timeout.
    Timeout,
    /// The body is over the cap.
    TooLarge,
    /// Too many redirects.
    Redirects,
    /// Connection refused, reset, closed early, or a protocol error.
    Transport(String),
}

impl Failure {
    fn retryable(&self) -> bool {
        match self {
            Failure::Status(s) => s.is_server_error(),
            Failure::Timeout | Failure::Transport(_) => true,
            Failure::TooLarge | Failure::Redirects => false,
        }
    }
}

/// A reqwest error with its causes, e.g. "error decoding response body: connection closed
/// before message completed".
fn describe(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let s = c.to_string();
        if !text.contains(&s) {
            text.push_str(": ");
            text.push_str(&s);
        }
        cause = c.source();
    }
    text
}

fn classify(e: reqwest::Error) -> Failure {
    if e.is_redirect() {
        Failure::Redirects
    } else if e.is_timeout() {
        Failure::Timeout
    } else {
        Failure::Transport(describe(&e))
    }
}

/// What a successful fetch gave.
#[derive(Debug, Clone, Default)]
pub(crate) struct Fetched {
    /// The status of the last response: 200-299, or 304 when a revalidation says the cached
    /// body is current.
    pub status: u16,
    /// The URL after redirects.
    pub final_url: String,
    /// The `Content-Type` header.
    pub content_type: Option<String>,
    /// The `ETag` header.
    pub etag: Option<String>,
    /// The `Last-Modified` header.
    pub last_modified: Option<String>,
    /// The whole body; `None` for a 304.
    pub body: Option<Vec<u8>>,
}

/// Validators of a cached body, sent as `If-None-Match` and `If-Modified-Since`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl Validators {
    fn any(&self) -> bool {
        self.etag.is_some() || self.last_modified.is_some()
    }
}

fn header(response: &reqwest::Response, name: reqwest::header::HeaderName) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// One request and its whole body.
async fn attempt(
    client: &Client,
    url: &Url,
    max_bytes: u64,
    validators: &Validators,
) -> Result<Fetched, Failure> {
    use reqwest::header::{CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED};
    let mut request = client.get(url.clone());
    if let Some(etag) = &validators.etag {
        request = request.header(IF_NONE_MATCH, etag);
    }
    if let Some(date) = &validators.last_modified {
        request = request.header(IF_MODIFIED_SINCE, date);
    }
    let mut response = request.send().await.map_err(classify)?;
    let status = response.status();
    let mut fetched = Fetched {
        status: status.as_u16(),
        final_url: response.url().to_string(),
        content_type: header(&response, CONTENT_TYPE),
        etag: header(&response, ETAG),
        last_modified: header(&response, LAST_MODIFIED),
        body: None,
    };
    if status == StatusCode::NOT_MODIFIED && validators.any() {
        return Ok(fetched);
    }
    if !status.is_success() {
        return Err(Failure::Status(status));
    }
    if response.content_length().is_some_and(|n| n > max_bytes) {
        return Err(Failure::TooLarge);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(classify)? {
        if (body.len() + chunk.len()) as u64 > max_bytes {
            return Err(Failure::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    fetched.body = Some(body);
    Ok(fetched)
}

/// Fetches `url`, retrying on 5xx, timeouts and broken connections with exponential backoff.
/// With `validators` a 304 answer is a success without a body.
pub(crate) async fn fetch(
    client: &Client,
    source_id: &str,
    url: &Url,
    opts: &ExtractOptions,
    validators: &Validators,
) -> Result<Fetched> {
    let mut attempts = 0;
    let failure = loop {
        attempts += 1;
        let outcome = tokio::time::timeout(
            opts.http_timeout,
            attempt(client, url, opts.max_bytes, validators),
        )
        .await
        .unwrap_or(Err(Failure::Timeout));
        let failure = match outcome {
            Ok(fetched) => return Ok(fetched),
            Err(f) => f,
        };
        if !failure.retryable() || attempts > opts.retries {
            break failure;
        }
        let delay = BACKOFF
            .saturating_mul(1 << (attempts - 1).min(16))
            .min(MAX_BACKOFF);
        tracing::warn!(source_id, url = %url, attempt = attempts, ?delay, "Fetch failed; retrying.");
        tokio::time::sleep(delay).await;
    };
    let (source_id, url) = (source_id.to_owned(), url.to_string());
    Err(match failure {
        Failure::Status(s) => Error::Status {
            source_id,
            url,
            status: s.as_u16(),
            attempts,
        },
        Failure::Timeout => Error::Timeout {
            source_id,
            url,
            timeout: opts.http_timeout,
            attempts,
        },
        Failure::TooLarge => Error::TooLarge {
            source_id,
            origin: url,
            limit: opts.max_bytes,
        },
        Failure::Redirects => Error::TooManyRedirects {
            source_id,
            url,
            max: MAX_REDIRECTS,
        },
        Failure::Transport(reason) => Error::Transport {
            source_id,
            url,
            reason,
            attempts,
        },
    })
}
