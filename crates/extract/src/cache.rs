//! The HTTP cache: bodies stored by their SHA-256 (`bodies/<sha256>`), and per URL a small
//! record (`urls/<sha256 of the URL>`) with the body's hash, the final URL, the Content-Type and
//! the validators (ETag, Last-Modified) for revalidation. Files are written to a temporary name
//! and renamed, so a run that dies never leaves half a body; a body whose hash does not match
//! its name is treated as absent.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::hashed::Hashed;
use crate::sha256_hex;

/// What the cache knows about one URL.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Entry {
    /// The URL as requested.
    pub url: String,
    /// The URL after redirects.
    pub final_url: String,
    /// SHA-256 of the body.
    pub sha256: String,
    /// The Content-Type the server gave.
    pub content_type: Option<String>,
    /// The ETag the server gave.
    pub etag: Option<String>,
    /// The Last-Modified the server gave.
    pub last_modified: Option<String>,
}

const FIELDS: [&str; 6] = [
    "url",
    "final_url",
    "sha256",
    "content_type",
    "etag",
    "last_modified",
];

impl Entry {
    fn to_text(&self) -> String {
        let values = [
            Some(&self.url),
            Some(&self.final_url),
            Some(&self.sha256),
            self.content_type.as_ref(),
            self.etag.as_ref(),
            self.last_modified.as_ref(),
        ];
        let mut out = String::new();
        for (key, value) in FIELDS.iter().zip(values) {
            if let Some(v) = value {
                // Header values have no line breaks; the URL is one token.
                out.push_str(&format!("{key}: {}\n", v.replace(['\r', '\n'], " ")));
            }
        }
        out
    }

    fn from_text(text: &str) -> Option<Entry> {
        let mut e = Entry::default();
        for line in text.lines() {
            let (key, value) = line.split_once(": ")?;
            let value = value.to_owned();
            match key {
                "url" => e.url = value,
                "final_url" => e.final_url = value,
                "sha256" => e.sha256 = value,
                "content_type" => e.content_type = Some(value),
                "etag" => e.etag = Some(value),
                "last_modified" => e.last_modified = Some(value),
                _ => {}
            }
        }
        (!e.url.is_empty() && e.sha256.len() == 64).then_some(e)
    }
}

/// A cache directory.
#[derive(Debug, Clone)]
pub(crate) struct Cache {
    dir: PathBuf,
}

/// Writes `bytes` to `path` through a temporary file in the same directory and a rename.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let mut file = fs::File::create(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    fs::rename(&tmp, path)
}

impl Cache {
    pub(crate) fn new(dir: &Path) -> Cache {
        Cache {
            dir: dir.to_owned(),
        }
    }

    fn entry_path(&self, url: &str) -> PathBuf {
        self.dir.join("urls").join(sha256_hex(url.as_bytes()))
    }

    fn body_path(&self, sha256: &str) -> PathBuf {
        self.dir.join("bodies").join(sha256)
    }

    fn entry(&self, url: &str) -> Option<Entry> {
        let text = fs::read_to_string(self.entry_path(url)).ok()?;
        Entry::from_text(&text).filter(|e| e.url == url)
    }

    /// The entry and body for `url`, when both are there and the body matches its hash.
    pub(crate) fn get(&self, url: &str) -> Option<(Entry, Vec<u8>)> {
        let entry = self.entry(url)?;
        let body = fs::read(self.body_path(&entry.sha256)).ok()?;
        (sha256_hex(&body) == entry.sha256).then_some((entry, body))
    }

    /// The entry for `url` and the path of its body, when both are there and the body matches
    /// its hash (read through once, not held in memory: a corpus body can be gigabytes).
    pub(crate) fn get_file(&self, url: &str) -> Option<(Entry, PathBuf, u64)> {
        let entry = self.entry(url)?;
        let path = self.body_path(&entry.sha256);
        let mut hashed = Hashed::new(std::io::sink());
        let mut file = std::io::BufReader::with_capacity(1 << 20, fs::File::open(&path).ok()?);
        std::io::copy(&mut file, &mut hashed).ok()?;
        let (sha256, bytes, _) = hashed.finish();
        (sha256 == entry.sha256).then_some((entry, path, bytes))
    }

    /// A file to download a body into, in the cache (so that [`Cache::put_file`] renames it
    /// into place); removed when dropped unless it is put.
    pub(crate) fn download_file(&self) -> std::io::Result<tempfile::NamedTempFile> {
        let dir = self.dir.join("bodies");
        fs::create_dir_all(&dir)?;
        tempfile::Builder::new()
            .prefix(".download-")
            .suffix(".tmp")
            .tempfile_in(dir)
    }

    /// Moves a downloaded body (whose hash is `entry.sha256`) into place; the path of the stored
    /// body. Its entry is written with [`Cache::put_entry`].
    pub(crate) fn put_file(
        &self,
        entry: &Entry,
        body: tempfile::NamedTempFile,
    ) -> Result<PathBuf, tempfile::PersistError> {
        let body_path = self.body_path(&entry.sha256);
        body.persist(&body_path)?;
        Ok(body_path)
    }

    /// Writes the entry of a body already stored.
    pub(crate) fn put_entry(&self, entry: &Entry) -> std::io::Result<()> {
        write_atomically(&self.entry_path(&entry.url), entry.to_text().as_bytes())
    }

    /// Stores a body and its entry.
    pub(crate) fn put(&self, entry: &Entry, body: &[u8]) -> std::io::Result<()> {
        let body_path = self.body_path(&entry.sha256);
        if !body_path.exists() {
            write_atomically(&body_path, body)?;
        }
        self.put_entry(entry)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_and_bad_bodies_are_absent() {
        let dir = tempfile::Builder::new()
            .prefix("chiso-cache-unit-")
            .tempdir()
            .expect("the system temp dir is writable");
        let cache = Cache::new(dir.path());
        let body = "Thu ngân sách đạt 1.234 tỷ đồng".as_bytes();
        let entry = Entry {
            url: "http://127.0.0.1/a".into(),
            final_url: "http://127.0.0.1/b".into(),
            sha256: sha256_hex(body),
            content_type: Some("text/plain; charset=utf-8".into()),
            etag: Some("\"v1\"".into()),
            last_modified: None,
        };
        cache.put(&entry, body).expect("a writable temp dir");
        assert_eq!(cache.get(&entry.url), Some((entry.clone(), body.to_vec())));
        assert_eq!(cache.get("http://127.0.0.1/other"), None);
        fs::write(cache.body_path(&entry.sha256), b"tampered").expect("writable");
        assert_eq!(
            cache.get(&entry.url),
            None,
            "a body that fails its hash is absent"
        );
    }
}
