//! The HTTP cache: bodies stored by their SHA-256 (`bodies/<sha256>`), and per URL a small
//! record (`urls/<sha256 of the URL>`) with the body's hash, the final URL, the Content-Type and
//! the validators (ETag, Last-Modified) for revalidation. A body is downloaded into a file named
//! by the run's process (`bodies/.download-<pid>-<n>.tmp`) and renamed into place once whole, so
//! no body is ever half there; a run that is killed leaves its download behind, and the next
//! download removes it once that process is gone. A body whose hash does not match its name is
//! treated as absent (and replaced by the next download). The cache keeps every body it was
//! given; [`prune_cache`] (`chiso cache prune`) removes those no entry names any more, when no
//! run is using the cache. Removing the directory is always safe.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use tempfile::TempPath;

use crate::hashed::{Hashed, drain};
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

    /// What the cache knows about `url`, its body unchecked.
    pub(crate) fn entry(&self, url: &str) -> Option<Entry> {
        let text = fs::read_to_string(self.entry_path(url)).ok()?;
        Entry::from_text(&text).filter(|e| e.url == url)
    }

    /// `entry` with the path and size of its body, when the body is there and matches its hash
    /// (read through once, not held in memory: a corpus body can be gigabytes).
    pub(crate) fn verified(&self, entry: Entry) -> Option<(Entry, PathBuf, u64)> {
        let path = self.body_path(&entry.sha256);
        let mut hashed = Hashed::new(fs::File::open(&path).ok()?);
        drain(&mut hashed).ok()?;
        let (sha256, bytes, _) = hashed.finish();
        (sha256 == entry.sha256).then_some((entry, path, bytes))
    }

    /// The entry for `url` with the path and size of its body, when the body is there and
    /// matches its hash.
    pub(crate) fn get(&self, url: &str) -> Option<(Entry, PathBuf, u64)> {
        self.verified(self.entry(url)?)
    }

    /// A new file to download a body into, beside the bodies (so that [`Cache::put_body`]
    /// renames it into place), named by this process: the downloads of runs that were killed
    /// are removed first. The path is removed when dropped unless the body is put.
    pub(crate) fn download_file(&self) -> std::io::Result<(fs::File, TempPath)> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let dir = self.dir.join("bodies");
        fs::create_dir_all(&dir)?;
        remove_stale_downloads(&dir);
        loop {
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            let path = dir.join(format!(
                "{DOWNLOAD_PREFIX}{}-{n}{DOWNLOAD_SUFFIX}",
                std::process::id()
            ));
            match fs::File::create_new(&path) {
                Ok(file) => return Ok((file, TempPath::try_from_path(path)?)),
                // Left by an earlier process of the same id.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// Moves a downloaded body (whose hash is `entry.sha256`) into place, over an earlier copy
    /// that failed its hash; the path of the stored body. Its entry is written with
    /// [`Cache::put_entry`].
    pub(crate) fn put_body(
        &self,
        entry: &Entry,
        body: TempPath,
    ) -> Result<PathBuf, tempfile::PathPersistError> {
        let body_path = self.body_path(&entry.sha256);
        body.persist(&body_path)?;
        Ok(body_path)
    }

    /// Writes the entry of a body already stored.
    pub(crate) fn put_entry(&self, entry: &Entry) -> std::io::Result<()> {
        write_atomically(&self.entry_path(&entry.url), entry.to_text().as_bytes())
    }
}

/// What [`prune_cache`] did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Pruned {
    /// Bodies removed: no URL's entry names them (superseded by a newer body).
    pub removed: usize,
    /// Their bytes.
    pub removed_bytes: u64,
    /// Bodies kept: an entry names them, or they are too recent to tell.
    pub kept: usize,
    /// Their bytes.
    pub kept_bytes: u64,
    /// URLs the cache has an entry for.
    pub urls: usize,
}

/// A body written less than this long ago is kept: a run may have put it in place and not yet
/// written the entry that names it.
const PRUNE_GRACE: std::time::Duration = std::time::Duration::from_secs(600);

/// Removes from the cache in `dir` the bodies no URL's entry names (a URL whose body changed
/// leaves its earlier one behind) and the downloads of runs that were killed. Meant for when no
/// run is using the cache: a run reading a body that another run has just superseded would
/// lose it. Bodies written in the last ten minutes are kept. Nothing is removed when an entry
/// cannot be read (it might name any body).
pub fn prune_cache(dir: &Path) -> std::io::Result<Pruned> {
    let mut pruned = Pruned::default();
    let mut named = std::collections::HashSet::new();
    let entries = match fs::read_dir(dir.join("urls")) {
        Ok(entries) => Some(entries),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    for entry in entries.into_iter().flatten() {
        let path = entry?.path();
        if path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'))
        {
            continue; // an entry being written
        }
        let text = fs::read_to_string(&path)?;
        let parsed = Entry::from_text(&text).ok_or_else(|| {
            std::io::Error::other(format!("{} is not a cache entry", path.display()))
        })?;
        named.insert(parsed.sha256);
        pruned.urls += 1;
    }
    let bodies = dir.join("bodies");
    remove_stale_downloads(&bodies);
    let listed = match fs::read_dir(&bodies) {
        Ok(listed) => listed,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(pruned),
        Err(e) => return Err(e),
    };
    for body in listed {
        let body = body?;
        let name = body.file_name();
        let Some(sha) = name
            .to_str()
            .filter(|n| n.len() == 64 && n.bytes().all(|b| b.is_ascii_hexdigit()))
        else {
            continue; // a download in progress, or not the cache's
        };
        let meta = body.metadata()?;
        let recent = meta
            .modified()
            .ok()
            .and_then(|m| m.elapsed().ok())
            .is_none_or(|age| age < PRUNE_GRACE);
        if named.contains(sha) || recent {
            pruned.kept += 1;
            pruned.kept_bytes += meta.len();
        } else {
            fs::remove_file(body.path())?;
            pruned.removed += 1;
            pruned.removed_bytes += meta.len();
        }
    }
    Ok(pruned)
}

/// Downloads in progress are `.download-<pid>-<n>.tmp` among the bodies.
const DOWNLOAD_PREFIX: &str = ".download-";
const DOWNLOAD_SUFFIX: &str = ".tmp";

/// Removes the downloads in `dir` of runs that were killed (whose process is gone). Best
/// effort: a directory that cannot be listed has nothing to clean.
fn remove_stale_downloads(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let own = std::process::id();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let pid = name
            .to_str()
            .and_then(|n| {
                n.strip_prefix(DOWNLOAD_PREFIX)?
                    .strip_suffix(DOWNLOAD_SUFFIX)
            })
            .and_then(|rest| rest.split_once('-')?.0.parse::<u32>().ok());
        if let Some(pid) = pid
            && pid != own
            && !chiso_model::process::may_be_running(pid)
        {
            tracing::debug!(file = %entry.path().display(), "Removing the download of a killed run.");
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cache directory of its own, removed when dropped.
    fn scratch() -> tempfile::TempDir {
        tempfile::Builder::new()
            .prefix("chiso-cache-unit-")
            .tempdir()
            .expect("the system temp dir is writable")
    }

    #[test]
    fn entries_round_trip_and_bad_bodies_are_absent() {
        let dir = scratch();
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
        let (mut file, download) = cache.download_file().expect("a writable temp dir");
        file.write_all(body).expect("writable");
        let stored = cache
            .put_body(&entry, download)
            .expect("renamed into place");
        cache.put_entry(&entry).expect("writable");
        let size = body.len() as u64;
        assert_eq!(
            cache.get(&entry.url),
            Some((entry.clone(), stored.clone(), size))
        );
        assert_eq!(fs::read(&stored).expect("stored"), body);
        assert_eq!(cache.get("http://127.0.0.1/other"), None);
        let names: Vec<_> = fs::read_dir(dir.path().join("bodies"))
            .expect("listable")
            .map(|e| e.expect("an entry").file_name())
            .collect();
        assert_eq!(
            names,
            [entry.sha256.as_str()],
            "the download was renamed, not copied"
        );
        fs::write(cache.body_path(&entry.sha256), b"tampered").expect("writable");
        assert_eq!(
            cache.get(&entry.url),
            None,
            "a body that fails its hash is absent"
        );
    }

    /// Pruning removes the bodies no entry names once they are old enough, keeps the named
    /// ones and the recent ones, and removes nothing when an entry cannot be read.
    #[test]
    fn pruning_removes_the_bodies_no_entry_names() {
        let dir = scratch();
        let cache = Cache::new(dir.path());
        let store = |url: &str, body: &[u8]| {
            let entry = Entry {
                url: url.into(),
                final_url: url.into(),
                sha256: sha256_hex(body),
                ..Entry::default()
            };
            let (mut file, download) = cache.download_file().expect("writable");
            file.write_all(body).expect("writable");
            cache
                .put_body(&entry, download)
                .expect("renamed into place");
            cache.put_entry(&entry).expect("writable");
            entry
        };
        let old = store("http://127.0.0.1/a.jsonl", b"v1 of a");
        let new = store("http://127.0.0.1/a.jsonl", b"v2 of a"); // supersedes v1
        let other = store("http://127.0.0.1/b.jsonl", b"b");
        // v1 is old enough to go; a body nobody names written just now stays.
        let aged = fs::File::options()
            .write(true)
            .open(cache.body_path(&old.sha256))
            .expect("there");
        let long_ago = std::time::SystemTime::now() - 2 * PRUNE_GRACE;
        aged.set_modified(long_ago).expect("settable");
        fs::write(cache.body_path(&sha256_hex(b"just now")), b"just now").expect("writable");
        assert_eq!(
            prune_cache(dir.path()).expect("pruned"),
            Pruned {
                removed: 1,
                removed_bytes: 7,
                kept: 3,
                kept_bytes: 7 + 1 + 8,
                urls: 2,
            }
        );
        assert!(!cache.body_path(&old.sha256).exists());
        assert!(cache.get(&new.url).is_some() && cache.get(&other.url).is_some());
        // An entry that cannot be read: nothing is removed.
        fs::write(dir.path().join("urls").join("broken"), "not an entry").expect("writable");
        assert!(prune_cache(dir.path()).is_err());
        assert_eq!(
            prune_cache(&dir.path().join("none")).expect("empty"),
            Pruned::default()
        );
    }

    #[test]
    fn downloads_of_killed_runs_are_removed_and_live_ones_kept() {
        let dir = scratch();
        let bodies = dir.path().join("bodies");
        fs::create_dir_all(&bodies).expect("writable");
        // No process has id 4 000 000 000 (Linux's pid_max is at most 2^22); this one is alive.
        let dead = bodies.join(".download-4000000000-0.tmp");
        let alive = bodies.join(format!(".download-{}-999.tmp", std::process::id()));
        let other = bodies.join(".download-notes.txt");
        for path in [&dead, &alive, &other] {
            fs::write(path, b"half a body").expect("writable");
        }
        let cache = Cache::new(dir.path());
        let (_, download) = cache.download_file().expect("a new download");
        assert!(!dead.exists(), "the killed run's download is removed");
        assert!(alive.exists() && other.exists());
        assert!(download.exists() && *download != *alive, "{download:?}");
        drop(download);
        let left: Vec<_> = fs::read_dir(&bodies).expect("listable").collect();
        assert_eq!(left.len(), 2, "an unused download is removed when dropped");
    }
}
