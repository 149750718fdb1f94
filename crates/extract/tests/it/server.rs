//! A tiny HTTP/1.1 server on 127.0.0.1 for the tests, written by hand on tokio's TcpListener.
//! Each route plays one behaviour of a real server; every request closes its connection, but
//! those under `/keep-alive/`, which keep it open for the next request as most servers do.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The body of `/ok`.
pub const OK_BODY: &str =
    "Kim ngạch xuất khẩu 9 tháng năm 2024 ước đạt 15,2 tỷ USD, tăng 12,4%.\r\n";

/// The body of `/etag` and `/last-modified`: an HTML page (no extension in the URL; the
/// Content-Type says HTML).
pub const PAGE_BODY: &str = "<html><body><nav><a href='/'>Trang chủ</a> <a href='/kt'>Kinh tế</a></nav>\
    <article><h1>Xuất khẩu tăng 12,4%</h1><p>Kim ngạch xuất khẩu 9 tháng ước đạt 15,2 tỷ USD.</p></article>\
    <footer>Bản quyền thuộc Báo Bà Rịa - Vũng Tàu</footer></body></html>";
/// The ETag of `/etag`.
pub const ETAG: &str = "\"v1-2024\"";
/// The Last-Modified of `/last-modified`.
pub const LAST_MODIFIED: &str = "Tue, 01 Oct 2024 07:00:00 GMT";

/// The body of `/corpus.jsonl` and `/cut-once.jsonl`: a corpus of two documents.
pub const CORPUS_BODY: &str = concat!(
    r#"{"id": "a1", "text": "Tỷ lệ hộ nghèo của tỉnh còn 19,3%."}"#,
    "\n",
    r#"{"id": "a2", "text": "GRDP năm 2022 đạt 9,02%."}"#,
    "\n",
);

/// A running server: its base URL, how often each path was requested, and how many
/// connections it accepted.
pub struct TestServer {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    hits: Arc<Mutex<HashMap<String, usize>>>,
    connections: Arc<AtomicUsize>,
}

impl TestServer {
    /// The URL of a path.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// How many requests reached `path`.
    pub fn hits(&self, path: &str) -> usize {
        self.hits
            .lock()
            .expect("no test thread panics holding the lock")
            .get(path)
            .copied()
            .unwrap_or(0)
    }

    /// How many connections the server has accepted.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

/// Starts a server on its own thread and runtime; it lives until the test process ends.
pub fn start() -> TestServer {
    let std_listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free local port");
    std_listener
        .set_nonblocking(true)
        .expect("non-blocking listener");
    let base = format!(
        "http://{}",
        std_listener.local_addr().expect("bound address")
    );
    let hits: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
    let server_hits = Arc::clone(&hits);
    let connections: Arc<AtomicUsize> = Arc::default();
    let accepted = Arc::clone(&connections);
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let listener = TcpListener::from_std(std_listener).expect("tokio listener");
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                accepted.fetch_add(1, Ordering::SeqCst);
                let hits = Arc::clone(&server_hits);
                tokio::spawn(async move {
                    let _ = serve_connection(stream, hits).await;
                });
            }
        });
    });
    TestServer {
        base,
        hits,
        connections,
    }
}

async fn read_head(stream: &mut TcpStream) -> std::io::Result<String> {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&buf[..n]);
    }
    Ok(String::from_utf8_lossy(&head).into_owned())
}

fn response(status: &str, headers: &[(&str, String)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\nConnection: close\r\n");
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    let mut out = out.into_bytes();
    out.extend_from_slice(body);
    out
}

fn plain(status: &str, body: &[u8]) -> Vec<u8> {
    response(
        status,
        &[
            ("Content-Length", body.len().to_string()),
            ("Content-Type", "text/plain".into()),
        ],
        body,
    )
}

/// Serves one connection: requests under `/keep-alive/` (each answered with [`CORPUS_BODY`]) as
/// long as the client sends them, then the one request any other route answers before closing.
async fn serve_connection(
    mut stream: TcpStream,
    hits: Arc<Mutex<HashMap<String, usize>>>,
) -> std::io::Result<()> {
    loop {
        let head = read_head(&mut stream).await?;
        if head.is_empty() {
            return Ok(()); // the client closed it
        }
        let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
        if !path.starts_with("/keep-alive/") {
            return serve(stream, hits, head, path).await;
        }
        *hits
            .lock()
            .expect("no test thread panics holding the lock")
            .entry(path)
            .or_insert(0) += 1;
        let body = CORPUS_BODY.as_bytes();
        let head = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n", body.len());
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(body).await?;
    }
}

async fn serve(
    mut stream: TcpStream,
    hits: Arc<Mutex<HashMap<String, usize>>>,
    head: String,
    path: String,
) -> std::io::Result<()> {
    let hit = {
        let mut hits = hits.lock().expect("no test thread panics holding the lock");
        let n = hits.entry(path.clone()).or_insert(0);
        *n += 1;
        *n
    };
    match path.as_str() {
        "/ok" => {
            stream
                .write_all(&plain("200 OK", OK_BODY.as_bytes()))
                .await?
        }
        "/user-agent" => {
            let ua = head
                .lines()
                .find_map(|l| {
                    l.strip_prefix("user-agent: ")
                        .or_else(|| l.strip_prefix("User-Agent: "))
                })
                .unwrap_or("")
                .to_owned();
            stream.write_all(&plain("200 OK", ua.as_bytes())).await?;
        }
        "/missing" => {
            stream
                .write_all(&plain("404 Not Found", b"not here"))
                .await?
        }
        "/flaky" if hit == 1 => {
            stream
                .write_all(&plain("500 Internal Server Error", b"oops"))
                .await?
        }
        "/flaky" => {
            stream
                .write_all(&plain("200 OK", "Đã khôi phục.".as_bytes()))
                .await?
        }
        "/always-503" => {
            stream
                .write_all(&plain("503 Service Unavailable", b"busy"))
                .await?
        }
        "/slow" => {
            // Headers and a first part at once, then a stall far past the client's timeout.
            let headers = [("Content-Length", "100".to_string())];
            stream
                .write_all(&response("200 OK", &headers, b"0123456789"))
                .await?;
            tokio::time::sleep(Duration::from_secs(10)).await;
            stream.write_all(&[b'x'; 90]).await?;
        }
        "/big-declared" => {
            let headers = [("Content-Length", (1024 * 1024).to_string())];
            stream
                .write_all(&response("200 OK", &headers, &[b'a'; 4096]))
                .await?;
        }
        "/big-chunked" => {
            let headers = [("Transfer-Encoding", "chunked".to_string())];
            stream.write_all(&response("200 OK", &headers, b"")).await?;
            for _ in 0..64 {
                let chunk = [b'b'; 4096];
                stream
                    .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                    .await?;
                stream.write_all(&chunk).await?;
                stream.write_all(b"\r\n").await?;
            }
            stream.write_all(b"0\r\n\r\n").await?;
        }
        "/reset" => {
            // Promise 1000 bytes, send 100, close: the body is incomplete.
            let headers = [("Content-Length", "1000".to_string())];
            stream
                .write_all(&response("200 OK", &headers, &[b'r'; 100]))
                .await?;
            stream.flush().await?;
            return Ok(());
        }
        "/loop" => {
            let headers = [
                ("Location", "/loop".to_string()),
                ("Content-Length", "0".to_string()),
            ];
            stream
                .write_all(&response("302 Found", &headers, b""))
                .await?;
        }
        "/etag" | "/last-modified" => {
            // A news page with validators: a request that sends them back gets 304.
            let header = |name: &str| {
                head.lines().find_map(|l| {
                    let (k, v) = l.split_once(": ")?;
                    k.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
                })
            };
            let revalidated = if path == "/etag" {
                header("if-none-match").as_deref() == Some(ETAG)
            } else {
                header("if-modified-since").as_deref() == Some(LAST_MODIFIED)
            };
            let validator = if path == "/etag" {
                ("ETag", ETAG.to_string())
            } else {
                ("Last-Modified", LAST_MODIFIED.to_string())
            };
            if revalidated {
                let headers = [validator, ("Content-Length", "0".to_string())];
                stream
                    .write_all(&response("304 Not Modified", &headers, b""))
                    .await?;
            } else {
                let headers = [
                    validator,
                    ("Content-Length", PAGE_BODY.len().to_string()),
                    ("Content-Type", "text/html; charset=utf-8".to_string()),
                ];
                stream
                    .write_all(&response("200 OK", &headers, PAGE_BODY.as_bytes()))
                    .await?;
            }
        }
        "/corpus.jsonl" => {
            stream
                .write_all(&plain("200 OK", CORPUS_BODY.as_bytes()))
                .await?
        }
        "/cut-once.jsonl" if hit == 1 => {
            // Another, longer body promised, more bytes than the corpus has sent, then the
            // connection closed: a retry that does not empty the file keeps a tail of them.
            let headers = [("Content-Length", (CORPUS_BODY.len() + 200).to_string())];
            let junk = vec![b'x'; CORPUS_BODY.len() + 100];
            stream
                .write_all(&response("200 OK", &headers, &junk))
                .await?;
            stream.flush().await?;
            return Ok(());
        }
        "/cut-once.jsonl" => {
            stream
                .write_all(&plain("200 OK", CORPUS_BODY.as_bytes()))
                .await?
        }
        "/resumable.jsonl" => {
            // A strong ETag and ranges: a request without a range is cut after 30 bytes; one
            // for the rest of this body (If-Range: the ETag) gets it as 206 Partial Content.
            let header = |name: &str| {
                head.lines().find_map(|l| {
                    let (k, v) = l.split_once(": ")?;
                    k.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
                })
            };
            let body = CORPUS_BODY.as_bytes();
            let from = header("range")
                .filter(|_| header("if-range").as_deref() == Some("\"r1\""))
                .and_then(|r| {
                    r.strip_prefix("bytes=")?
                        .strip_suffix('-')?
                        .parse::<usize>()
                        .ok()
                });
            match from {
                Some(from) if from < body.len() => {
                    let headers = [
                        ("ETag", "\"r1\"".to_string()),
                        ("Content-Length", (body.len() - from).to_string()),
                        (
                            "Content-Range",
                            format!("bytes {from}-{}/{}", body.len() - 1, body.len()),
                        ),
                    ];
                    stream
                        .write_all(&response("206 Partial Content", &headers, &body[from..]))
                        .await?;
                }
                _ => {
                    let headers = [
                        ("ETag", "\"r1\"".to_string()),
                        ("Content-Length", body.len().to_string()),
                    ];
                    stream
                        .write_all(&response("200 OK", &headers, &body[..30]))
                        .await?;
                    stream.flush().await?;
                    return Ok(());
                }
            }
        }
        "/weak-etag.jsonl" if hit == 1 => {
            // A weak ETag names no exact bytes: the retry must ask for the whole body again.
            let headers = [
                ("ETag", "W/\"r1\"".to_string()),
                ("Content-Length", CORPUS_BODY.len().to_string()),
            ];
            stream
                .write_all(&response("200 OK", &headers, &CORPUS_BODY.as_bytes()[..30]))
                .await?;
            stream.flush().await?;
            return Ok(());
        }
        "/weak-etag.jsonl" if head.to_ascii_lowercase().contains("\r\nrange:") => {
            stream
                .write_all(&plain("416 Range Not Satisfiable", b"no ranges here"))
                .await?
        }
        "/weak-etag.jsonl" => {
            let headers = [
                ("ETag", "W/\"r1\"".to_string()),
                ("Content-Length", CORPUS_BODY.len().to_string()),
            ];
            stream
                .write_all(&response("200 OK", &headers, CORPUS_BODY.as_bytes()))
                .await?
        }
        "/redirect-once" => {
            let headers = [
                ("Location", "/ok".to_string()),
                ("Content-Length", "0".to_string()),
            ];
            stream
                .write_all(&response("301 Moved Permanently", &headers, b""))
                .await?;
        }
        _ => {
            stream
                .write_all(&plain("404 Not Found", b"no route"))
                .await?
        }
    }
    stream.shutdown().await
}
