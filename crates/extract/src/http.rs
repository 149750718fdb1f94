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

/// The runtime and client of a batch of fetches, or why they could not be made.
pub(crate) fn runtime_and_client(
    opts: &ExtractOptions,
) -> std::result::Result<(tokio::runtime::Runtime, Client), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the HTTP runtime: {e}"))?;
    let client = client(opts).map_err(|e| format!("cannot build the HTTP client: {e}"))?;
    Ok((runtime, client))
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
    /// The body could not be stored (a disk error).
    Store(String),
    /// Connection refused, reset, closed early, or a protocol error.
    Transport(String),
}

impl Failure {
    fn retryable(&self) -> bool {
        match self {
            Failure::Status(s) => s.is_server_error(),
            Failure::Timeout | Failure::Transport(_) => true,
            Failure::TooLarge | Failure::Redirects | Failure::Store(_) => false,
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
}

impl Fetched {
    /// A 304: the cached body is current and nothing was written to the body.
    pub fn not_modified(&self) -> bool {
        self.status == StatusCode::NOT_MODIFIED.as_u16()
    }
}

/// Where a fetched body goes (a file, `download::FileBody`).
pub(crate) trait Body {
    /// Starts the body of a successful response (dropping what an earlier attempt wrote), whose
    /// length the server declares as `declared` and which it identifies by `validator` (a
    /// strong ETag, else Last-Modified), if any.
    fn restart(&mut self, declared: Option<u64>, validator: Option<String>) -> std::io::Result<()>;
    /// Where a retry may resume this body, and the validator to send with `If-Range`: `None`
    /// starts it again.
    fn resume_at(&self) -> Option<(u64, &str)>;
    /// Goes on with the body after a `206 Partial Content` answer to [`Body::resume_at`].
    fn resume(&mut self);
    /// Appends a chunk.
    fn append(&mut self, chunk: &[u8]) -> std::io::Result<()>;
    /// Bytes written so far.
    fn written(&self) -> u64;
}

/// How much a fetch may take.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// The largest body; `None` for no cap.
    pub max_bytes: Option<u64>,
    /// The longest one attempt may take, body included; `None` when only the client's
    /// connect and read timeouts apply (a corpus download of gigabytes takes minutes).
    pub attempt_timeout: Option<Duration>,
}

impl Limits {
    /// A corpus: no cap, and no timeout for the whole attempt (the client's read timeout
    /// between two arrivals of data applies).
    pub(crate) fn corpus() -> Limits {
        Limits {
            max_bytes: None,
            attempt_timeout: None,
        }
    }

    /// A page or table: the source cap and the HTTP timeout for the whole attempt.
    pub(crate) fn page(opts: &ExtractOptions) -> Limits {
        Limits {
            max_bytes: Some(opts.max_bytes),
            attempt_timeout: Some(opts.http_timeout),
        }
    }
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

/// One request, its body written to `body`.
async fn attempt(
    client: &Client,
    url: &Url,
    limits: Limits,
    validators: &Validators,
    body: &mut impl Body,
) -> Result<Fetched, Failure> {
    use reqwest::header::{
        CONTENT_RANGE, CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, IF_RANGE,
        LAST_MODIFIED, RANGE,
    };
    let mut request = client.get(url.clone());
    if let Some(etag) = &validators.etag {
        request = request.header(IF_NONE_MATCH, etag);
    }
    if let Some(date) = &validators.last_modified {
        request = request.header(IF_MODIFIED_SINCE, date);
    }
    // A body cut short is asked for from where it stopped, if it is still the same body.
    let resume_at = body
        .resume_at()
        .map(|(at, validator)| (at, validator.to_owned()));
    if let Some((at, validator)) = &resume_at {
        request = request
            .header(RANGE, format!("bytes={at}-"))
            .header(IF_RANGE, validator);
    }
    let mut response = request.send().await.map_err(classify)?;
    let status = response.status();
    let mut fetched = Fetched {
        status: status.as_u16(),
        final_url: response.url().to_string(),
        content_type: header(&response, CONTENT_TYPE),
        etag: header(&response, ETAG),
        last_modified: header(&response, LAST_MODIFIED),
    };
    if status == StatusCode::NOT_MODIFIED && validators.any() {
        return Ok(fetched);
    }
    if !status.is_success() {
        return Err(Failure::Status(status));
    }
    let max = limits.max_bytes.unwrap_or(u64::MAX);
    if response.content_length().is_some_and(|n| n > max) {
        return Err(Failure::TooLarge);
    }
    let store = |e: std::io::Error| Failure::Store(e.to_string());
    let resumed = match (status, resume_at) {
        (StatusCode::PARTIAL_CONTENT, Some((at, _))) => {
            // "bytes <first>-<last>/<length>": it must go on where the body stopped.
            let first = header(&response, CONTENT_RANGE).and_then(|r| {
                r.strip_prefix("bytes ")?
                    .split_once('-')?
                    .0
                    .parse::<u64>()
                    .ok()
            });
            if first != Some(at) {
                return Err(Failure::Transport(format!(
                    "asked to resume at byte {at}, the server answered {}",
                    header(&response, CONTENT_RANGE).unwrap_or_else(|| "no Content-Range".into())
                )));
            }
            true
        }
        // A range nobody asked for is not the body.
        (StatusCode::PARTIAL_CONTENT, None) => return Err(Failure::Status(status)),
        _ => false,
    };
    if resumed {
        // The body as a whole is the 200 it began as.
        fetched.status = StatusCode::OK.as_u16();
        body.resume();
    } else {
        // A strong ETag, else Last-Modified, names this body for a resumption.
        let validator = fetched
            .etag
            .clone()
            .filter(|e| !e.starts_with("W/"))
            .or_else(|| fetched.last_modified.clone());
        body.restart(response.content_length(), validator)
            .map_err(store)?;
    }
    while let Some(chunk) = response.chunk().await.map_err(classify)? {
        if body.written().saturating_add(chunk.len() as u64) > max {
            return Err(Failure::TooLarge);
        }
        body.append(&chunk).map_err(store)?;
    }
    Ok(fetched)
}

/// Fetches `url` into `body`, retrying on 5xx, timeouts and broken connections with
/// exponential backoff (each attempt starts the body afresh). With `validators` a 304 answer is
/// a success with nothing written ([`Fetched::not_modified`]).
pub(crate) async fn fetch(
    client: &Client,
    source_id: &str,
    url: &Url,
    opts: &ExtractOptions,
    limits: Limits,
    validators: &Validators,
    body: &mut impl Body,
) -> Result<Fetched> {
    let mut attempts = 0;
    let failure = loop {
        attempts += 1;
        let one = attempt(client, url, limits, validators, body);
        let outcome = match limits.attempt_timeout {
            Some(limit) => tokio::time::timeout(limit, one)
                .await
                .unwrap_or(Err(Failure::Timeout)),
            None => one.await,
        };
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
            limit: limits.max_bytes.unwrap_or(u64::MAX),
        },
        Failure::Redirects => Error::TooManyRedirects {
            source_id,
            url,
            max: MAX_REDIRECTS,
        },
        Failure::Store(reason) => Error::Cache {
            source_id,
            url,
            reason: format!("cannot store the download: {reason}"),
        },
        Failure::Transport(reason) => Error::Transport {
            source_id,
            url,
            reason,
            attempts,
        },
    })
}
