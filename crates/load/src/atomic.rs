//! Atomic file replacement: write a temporary file in the target's directory, fsync it and
//! rename it over the target. A failed write removes the temporary file and leaves the old
//! target whole.

use std::fs::{self, File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::{Error, Result};

/// `.<name>.tmp-<pid>` next to `path`.
fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

fn io<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(std::io::Error) -> Error + 'a {
    move |source| Error::Io {
        action,
        path: path.to_owned(),
        source,
    }
}

/// Runs `write` against a buffered temporary file and, if it succeeds, makes the result the
/// content of `path`.
pub(crate) fn write_atomic(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> Result<()>,
) -> Result<()> {
    let tmp = temp_path(path);
    let result = write_then_rename(path, &tmp, write);
    if result.is_err() {
        // The temporary file may not exist (creation failed); nothing else to clean up.
        let _ = fs::remove_file(&tmp);
    }
    result
}

fn write_then_rename(
    path: &Path,
    tmp: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> Result<()>,
) -> Result<()> {
    let file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(tmp)
        .map_err(io("create", tmp))?;
    let mut out = BufWriter::new(file);
    write(&mut out)?;
    out.flush().map_err(io("write", tmp))?;
    out.get_ref().sync_all().map_err(io("fsync", tmp))?;
    drop(out);
    fs::rename(tmp, path).map_err(io("rename a temporary file to", path))?;
    sync_parent(path);
    Ok(())
}

/// Makes the rename durable where the platform allows fsync on a directory. Best effort: the
/// file itself is already whole, and some file systems refuse to open directories.
fn sync_parent(path: &Path) {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Writes a JSON value (run.json, datapackage.json) pretty-printed with a trailing newline,
/// atomically.
pub fn write_json_atomic(path: &Path, value: &serde_json::Value) -> Result<()> {
    let mut text = serde_json::to_string_pretty(value).map_err(|source| Error::Json {
        path: path.to_owned(),
        source,
    })?;
    text.push('\n');
    write_atomic(path, |out| {
        out.write_all(text.as_bytes()).map_err(io("write", path))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("chiso-load-atomic-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("the system temp dir is writable");
        dir
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .expect("scratch dir exists")
            .map(|e| {
                e.expect("readable entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        names
    }

    #[test]
    fn failing_write_leaves_old_file_and_no_temp() {
        let dir = scratch("fail");
        let path = dir.join("indicators.parquet");
        fs::write(&path, b"old content").expect("scratch dir is writable");
        let err = write_atomic(&path, |out| {
            out.write_all(&[0u8; 100_000]).map_err(io("write", &path))?;
            Err(Error::Io {
                action: "write",
                path: path.clone(),
                source: std::io::Error::other("disk full (injected)"),
            })
        })
        .expect_err("the case under test must fail");
        assert!(err.to_string().contains("injected"), "{err}");
        assert_eq!(fs::read(&path).expect("old file kept"), b"old content");
        assert_eq!(entries(&dir), ["indicators.parquet"]);
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn failing_rename_removes_temp() {
        let dir = scratch("rename");
        // A non-empty directory cannot be replaced by a file.
        let target = dir.join("run.json");
        fs::create_dir_all(target.join("inner")).expect("scratch dir is writable");
        let err = write_json_atomic(&target, &serde_json::json!({"a": 1}))
            .expect_err("the case under test must fail");
        assert!(err.to_string().contains("rename"), "{err}");
        assert_eq!(entries(&dir), ["run.json"]);
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn missing_directory_is_an_error_naming_the_file() {
        let dir = scratch("missing");
        let path = dir.join("no-such-dir").join("x.json");
        let err = write_json_atomic(&path, &serde_json::json!(1))
            .expect_err("the case under test must fail")
            .to_string();
        assert!(
            err.contains("cannot create") && err.contains(".x.json.tmp-"),
            "{err}"
        );
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn json_is_pretty_with_trailing_newline_and_replaces_old() {
        let dir = scratch("json");
        let path = dir.join("run.json");
        fs::write(&path, "old").expect("scratch dir is writable");
        write_json_atomic(&path, &serde_json::json!({"status": "ok"})).expect("writable");
        assert_eq!(
            fs::read_to_string(&path).expect("written"),
            "{\n  \"status\": \"ok\"\n}\n"
        );
        assert_eq!(entries(&dir), ["run.json"]);
        let _ = fs::remove_dir_all(&dir);
    }
}
