//! Atomic file replacement: write a temporary file in the target's directory, fsync it and
//! rename it over the target. A failed write removes the temporary file and leaves the old
//! target whole.
//!
//! Temporary files are named `.<name>.tmp-<pid>`: hidden, and not ending in `.parquet` or
//! `.json`, so no reader's glob (`*.parquet`, `**/*.parquet`) and no Hive discovery (which skips
//! names starting with `.` or `_`) mistakes one for output. A run that is killed leaves its
//! temporary file behind; the next write of the same file removes it once its process is gone.

use std::fs::{self, File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::{Error, Result};

const TEMP_MARK: &str = ".tmp-";

/// `.<name>.tmp-<pid>` next to `path`.
pub(crate) fn temp_path(path: &Path) -> PathBuf {
    let name = file_name(path);
    path.with_file_name(format!(".{name}{TEMP_MARK}{}", std::process::id()))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Whether `name` is a chiso temporary file name (`.<target>.tmp-<pid>`).
pub fn is_temp_name(name: &str) -> bool {
    temp_owner(name).is_some()
}

/// The target name and writer pid of a temporary file name.
fn temp_owner(name: &str) -> Option<(&str, u32)> {
    let rest = name.strip_prefix('.')?;
    let (target, pid) = rest.rsplit_once(TEMP_MARK)?;
    let pid = pid.parse().ok()?;
    (!target.is_empty()).then_some((target, pid))
}

/// Removes temporary files of `path` left by writers that were killed (`.<name>.tmp-<pid>` whose
/// process is gone). Best effort: a directory that cannot be listed has nothing to clean.
pub(crate) fn remove_stale_temps(path: &Path) {
    let Some(dir) = path.parent() else { return };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let target = file_name(path);
    let own = std::process::id();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if let Some((t, pid)) = temp_owner(name)
            && t == target
            && pid != own
            && !chiso_model::process::may_be_running(pid)
        {
            tracing::debug!(file = %entry.path().display(), "removing a temporary file of a killed run");
            let _ = fs::remove_file(entry.path());
        }
    }
}

pub(crate) fn io<'a>(
    action: &'static str,
    path: &'a Path,
) -> impl FnOnce(std::io::Error) -> Error + 'a {
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
    let tmp = write_temp(path, write)?;
    let result = rename_into_place(&tmp, path);
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Writes the content of `path` to its temporary file, flushed and fsynced, and returns the
/// temporary file's path. On failure the temporary file is removed.
pub(crate) fn write_temp(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> Result<()>,
) -> Result<PathBuf> {
    remove_stale_temps(path);
    let tmp = temp_path(path);
    let result = write_synced(&tmp, write);
    match result {
        Ok(()) => Ok(tmp),
        Err(e) => {
            // The temporary file may not exist (creation failed); nothing else to clean up.
            let _ = fs::remove_file(&tmp);
            Err(e)
        }
    }
}

fn write_synced(tmp: &Path, write: impl FnOnce(&mut BufWriter<File>) -> Result<()>) -> Result<()> {
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
    Ok(())
}

/// Renames a finished temporary file over `path` and makes the rename durable.
pub(crate) fn rename_into_place(tmp: &Path, path: &Path) -> Result<()> {
    fs::rename(tmp, path).map_err(io("rename a temporary file to", path))?;
    sync_parent(path);
    Ok(())
}

/// Makes a rename or removal durable where the platform allows fsync on a directory. Best
/// effort: the file itself is already whole, and some file systems refuse to open directories.
pub(crate) fn sync_parent(path: &Path) {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// The bytes of a JSON file: pretty-printed with a trailing newline.
pub(crate) fn json_bytes(path: &Path, value: &serde_json::Value) -> Result<Vec<u8>> {
    let mut text = serde_json::to_string_pretty(value).map_err(|source| Error::Json {
        path: path.to_owned(),
        source,
    })?;
    text.push('\n');
    Ok(text.into_bytes())
}

/// Writes a JSON value (run.json, datapackage.json) pretty-printed with a trailing newline,
/// atomically.
pub fn write_json_atomic(path: &Path, value: &serde_json::Value) -> Result<()> {
    let bytes = json_bytes(path, value)?;
    write_atomic(path, |out| out.write_all(&bytes).map_err(io("write", path)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> tempfile::TempDir {
        crate::test_support::scratch(&format!("atomic-{name}"))
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
        let tmp = scratch("fail");
        let dir = tmp.path();
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
        assert_eq!(entries(dir), ["indicators.parquet"]);
    }

    #[test]
    fn failing_rename_removes_temp() {
        let tmp = scratch("rename");
        let dir = tmp.path();
        // A non-empty directory cannot be replaced by a file.
        let target = dir.join("run.json");
        fs::create_dir_all(target.join("inner")).expect("scratch dir is writable");
        let err = write_json_atomic(&target, &serde_json::json!({"a": 1}))
            .expect_err("the case under test must fail");
        assert!(err.to_string().contains("rename"), "{err}");
        assert_eq!(entries(dir), ["run.json"]);
    }

    #[test]
    fn missing_directory_is_an_error_naming_the_file() {
        let tmp = scratch("missing");
        let dir = tmp.path();
        let path = dir.join("no-such-dir").join("x.json");
        let err = write_json_atomic(&path, &serde_json::json!(1))
            .expect_err("the case under test must fail")
            .to_string();
        assert!(
            err.contains("cannot create") && err.contains(".x.json.tmp-"),
            "{err}"
        );
    }

    #[test]
    fn json_is_pretty_with_trailing_newline_and_replaces_old() {
        let tmp = scratch("json");
        let dir = tmp.path();
        let path = dir.join("run.json");
        fs::write(&path, "old").expect("scratch dir is writable");
        write_json_atomic(&path, &serde_json::json!({"status": "ok"})).expect("writable");
        assert_eq!(
            fs::read_to_string(&path).expect("written"),
            "{\n  \"status\": \"ok\"\n}\n"
        );
        assert_eq!(entries(dir), ["run.json"]);
    }

    #[test]
    fn temp_names_are_recognised_and_hidden_from_globs() {
        let tmp = temp_path(Path::new("out/indicators.parquet"));
        let name = tmp
            .file_name()
            .and_then(|n| n.to_str())
            .expect("utf-8 name");
        assert!(
            name.starts_with('.') && !name.ends_with(".parquet"),
            "{name}"
        );
        assert!(is_temp_name(name));
        assert_eq!(
            temp_owner(name),
            Some(("indicators.parquet", std::process::id()))
        );
        for other in [
            "indicators.parquet",
            ".indicators.parquet",
            ".x.tmp-",
            ".tmp-12",
            ".x.tmp-12a",
        ] {
            assert!(!is_temp_name(other), "{other}");
        }
    }

    #[test]
    fn stale_temps_of_dead_writers_are_removed_and_live_ones_kept() {
        let tmp = scratch("stale");
        let dir = tmp.path();
        let path = dir.join("mentions.parquet");
        // A pid above the kernel's pid_max (4194304) cannot be running.
        let dead = dir.join(".mentions.parquet.tmp-999999999");
        let own = temp_path(&path);
        let other_file = dir.join(".indicators.parquet.tmp-999999999");
        for f in [&dead, &own, &other_file] {
            fs::write(f, b"partial").expect("scratch dir is writable");
        }
        remove_stale_temps(&path);
        let mut want = vec![".indicators.parquet.tmp-999999999".to_owned()];
        if !Path::new("/proc/self").exists() {
            want.push(".mentions.parquet.tmp-999999999".to_owned());
        }
        want.push(
            own.file_name()
                .and_then(|n| n.to_str())
                .expect("utf-8")
                .to_owned(),
        );
        want.sort();
        assert_eq!(entries(dir), want);
    }
}
