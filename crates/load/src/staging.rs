//! Several output files made visible together: each is written whole to its temporary name
//! first, and only when every one of them is written are they renamed over their targets, in
//! the order they were staged. A run killed while writing leaves every previous file in place;
//! the rename phase that follows takes a few system calls.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use chiso_model::{IndicatorRecord, RuleResult};

use crate::atomic::{io, json_bytes, rename_into_place, sync_parent, write_temp};
use crate::stream::ParquetStream;
use crate::writer::{FileMeta, encode};
use crate::{Error, MentionRow, Result};

/// One pending change of the output.
#[derive(Debug)]
enum Change {
    /// Rename the finished temporary file `tmp` over `target`; with `unless_changed`, only if
    /// `target` is still the file it was then (a copy of another pipeline's file is not put
    /// back over what that pipeline's own run wrote meanwhile).
    Replace {
        tmp: PathBuf,
        target: PathBuf,
        unless_changed: Option<FileStamp>,
    },
    /// Remove `target` (a dataset file the pipeline no longer yields, a `mentions.parquet` a
    /// run with `--no-mentions` does not write) and, when that empties it, its directory.
    Remove { target: PathBuf },
}

/// What tells one version of a file from the next: its size and modification time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
}

impl FileStamp {
    /// The stamp of the file at `path` now; `None` when it cannot be read.
    pub fn of(path: &Path) -> Option<FileStamp> {
        let meta = fs::metadata(path).ok()?;
        Some(FileStamp {
            len: meta.len(),
            modified: meta.modified().ok(),
        })
    }
}

/// Output files staged under temporary names, made visible by [`Staging::commit`].
///
/// Dropping a `Staging` without committing removes its temporary files and changes nothing.
///
/// ```
/// use chiso_load::{FileMeta, Staging};
///
/// let dir = std::env::temp_dir().join(format!("chiso-load-staging-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let meta = FileMeta { tool_version: "0.1.0".into(), ..FileMeta::default() };
/// let mut staging = Staging::new();
/// staging.validation(&dir.join("validation.parquet"), &[], &meta)?;
/// staging.json(&dir.join("run.json"), &serde_json::json!({ "rows": 0 }))?;
/// assert!(!dir.join("run.json").exists(), "nothing is visible before the commit");
/// let written = staging.commit()?;
/// assert_eq!(written.len(), 2);
/// assert!(dir.join("validation.parquet").exists() && dir.join("run.json").exists());
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Default)]
pub struct Staging {
    changes: Vec<Change>,
}

impl Staging {
    /// An empty set of changes.
    pub fn new() -> Staging {
        Staging::default()
    }

    fn already_staged(&self, path: &Path) -> bool {
        self.changes.iter().any(|c| match c {
            Change::Replace { target, .. } | Change::Remove { target } => target == path,
        })
    }

    /// Writes the content of `path` to its temporary file and records the rename.
    fn stage(
        &mut self,
        path: &Path,
        write: impl FnOnce(&mut std::io::BufWriter<fs::File>) -> Result<()>,
    ) -> Result<()> {
        if self.already_staged(path) {
            return Err(Error::StagedTwice {
                path: path.to_owned(),
            });
        }
        let tmp = write_temp(path, write)?;
        self.changes.push(Change::Replace {
            tmp,
            target: path.to_owned(),
            unless_changed: None,
        });
        Ok(())
    }

    /// Stages a Parquet file of one record batch.
    pub(crate) fn parquet(
        &mut self,
        path: &Path,
        schema: arrow::datatypes::SchemaRef,
        batch: &arrow::array::RecordBatch,
        meta: &FileMeta,
    ) -> Result<()> {
        self.stage(path, |out| {
            encode(out, schema, batch, meta).map_err(|source| Error::Parquet {
                path: path.to_owned(),
                source,
            })
        })
    }

    /// Stages `indicators.parquet` (see [`crate::write_indicators`]).
    pub fn indicators(
        &mut self,
        path: &Path,
        rows: &[IndicatorRecord],
        meta: &FileMeta,
    ) -> Result<()> {
        let batch = crate::indicators_batch(rows)?;
        self.parquet(path, crate::indicators_schema(), &batch, meta)
    }

    /// Stages `mentions.parquet` (see [`crate::write_mentions`]).
    pub fn mentions(&mut self, path: &Path, rows: &[MentionRow], meta: &FileMeta) -> Result<()> {
        let batch = crate::mentions_batch(rows)?;
        self.parquet(path, crate::mentions_schema(), &batch, meta)
    }

    /// Stages `validation.parquet` (see [`crate::write_validation`]).
    pub fn validation(
        &mut self,
        path: &Path,
        results: &[RuleResult],
        meta: &FileMeta,
    ) -> Result<()> {
        let batch = crate::validation_batch(results)?;
        self.parquet(path, crate::validation_schema(), &batch, meta)
    }

    /// Starts a Parquet file of `schema` at `path` written as its rows come, in row groups of
    /// `group_rows` rows ([`ParquetStream`]); [`Staging::finish_stream`] stages it. Dropping the
    /// stream unfinished removes its temporary file.
    pub fn stream(
        &mut self,
        path: &Path,
        schema: arrow::datatypes::SchemaRef,
        group_rows: usize,
        meta: &FileMeta,
    ) -> Result<ParquetStream> {
        if self.already_staged(path) {
            return Err(Error::StagedTwice {
                path: path.to_owned(),
            });
        }
        ParquetStream::create(path, schema, Some(group_rows), meta, &[])
    }

    /// Writes the footer of a stream (with `inputs`, the inputs read: [`crate::InputList`]) and stages the file.
    pub fn finish_stream(&mut self, stream: ParquetStream, inputs: &[crate::Input]) -> Result<()> {
        if self.already_staged(stream.target()) {
            return Err(Error::StagedTwice {
                path: stream.target().to_owned(),
            });
        }
        let (tmp, target) = stream.finish(inputs)?;
        self.changes.push(Change::Replace {
            tmp,
            target,
            unless_changed: None,
        });
        Ok(())
    }

    /// Makes the change staged last apply only if its target is still as `stamp` says at the
    /// commit (see [`FileStamp`]).
    pub(crate) fn unless_changed(&mut self, stamp: FileStamp) {
        if let Some(Change::Replace { unless_changed, .. }) = self.changes.last_mut() {
            *unless_changed = Some(stamp);
        }
    }

    /// Stages a JSON file, pretty-printed with a trailing newline.
    pub fn json(&mut self, path: &Path, value: &serde_json::Value) -> Result<()> {
        let bytes = json_bytes(path, value)?;
        self.stage(path, |out| out.write_all(&bytes).map_err(io("write", path)))
    }

    /// Stages a text file (an HTML report, say) as it is.
    pub fn text(&mut self, path: &Path, contents: &str) -> Result<()> {
        self.stage(path, |out| {
            out.write_all(contents.as_bytes())
                .map_err(io("write", path))
        })
    }

    /// Records that `path` is to be removed at the commit, after every rename. Temporary files
    /// of `path` left by a killed run are removed now, as when a file is written.
    pub fn remove(&mut self, path: &Path) -> Result<()> {
        if self.already_staged(path) {
            return Err(Error::StagedTwice {
                path: path.to_owned(),
            });
        }
        crate::atomic::remove_stale_temps(path);
        self.changes.push(Change::Remove {
            target: path.to_owned(),
        });
        Ok(())
    }

    /// The files the commit will replace, in order.
    pub fn targets(&self) -> impl Iterator<Item = &Path> {
        self.changes.iter().filter_map(|c| match c {
            Change::Replace { target, .. } => Some(target.as_path()),
            Change::Remove { .. } => None,
        })
    }

    /// Renames every staged file over its target in the order staged, then removes the files
    /// marked for removal (and their directories when that empties them). Returns the files
    /// written. On an error the files already renamed stay, the rest are left as they were.
    pub fn commit(mut self) -> Result<Vec<PathBuf>> {
        let changes = std::mem::take(&mut self.changes);
        let mut written = Vec::new();
        let mut removals = Vec::new();
        let mut pending = changes.into_iter();
        while let Some(change) = pending.next() {
            match change {
                Change::Replace {
                    tmp,
                    target,
                    unless_changed: Some(stamp),
                } if FileStamp::of(&target) != Some(stamp) => {
                    // Rewritten (or removed) since it was read: the newer file stays.
                    tracing::info!(file = %target.display(), "changed by another run meanwhile: left as it is");
                    let _ = fs::remove_file(&tmp);
                }
                Change::Replace { tmp, target, .. } => {
                    if let Err(e) = rename_into_place(&tmp, &target) {
                        let _ = fs::remove_file(&tmp);
                        // Hand the rest back so that `drop` removes their temporary files.
                        self.changes = pending.collect();
                        return Err(e);
                    }
                    written.push(target);
                }
                Change::Remove { target } => removals.push(target),
            }
        }
        for target in removals {
            match fs::remove_file(&target) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io("remove", &target)(e)),
            }
            sync_parent(&target);
            if let Some(dir) = target.parent() {
                // Only succeeds when the directory is empty: another pipeline's file keeps it.
                let _ = fs::remove_dir(dir);
            }
        }
        Ok(written)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        for change in &self.changes {
            if let Change::Replace { tmp, .. } = change {
                let _ = fs::remove_file(tmp);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> tempfile::TempDir {
        crate::test_support::scratch(&format!("staging-{name}"))
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .expect("scratch dir exists")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn nothing_changes_until_commit_and_a_dropped_staging_leaves_no_temp() {
        let tmp = scratch("drop");
        let dir = tmp.path();
        let a = dir.join("a.json");
        fs::write(&a, "old\n").expect("writable");
        let mut s = Staging::new();
        s.json(&a, &serde_json::json!(1)).expect("staged");
        s.json(&dir.join("b.json"), &serde_json::json!(2))
            .expect("staged");
        assert_eq!(fs::read_to_string(&a).expect("a"), "old\n");
        assert_eq!(names(dir).len(), 3, "a.json and two temporary files");
        drop(s);
        assert_eq!(names(dir), ["a.json"]);
        assert_eq!(fs::read_to_string(&a).expect("a"), "old\n");
    }

    #[test]
    fn commit_renames_in_order_then_removes_and_prunes_empty_dirs() {
        let tmp = scratch("commit");
        let dir = tmp.path();
        let part = dir.join("indicator=x");
        fs::create_dir_all(&part).expect("writable");
        fs::write(part.join("p.parquet"), "old").expect("writable");
        let mut s = Staging::new();
        s.json(&dir.join("run.json"), &serde_json::json!({"ok": true}))
            .expect("staged");
        s.remove(&part.join("p.parquet")).expect("staged");
        let err = s
            .remove(&part.join("p.parquet"))
            .expect_err("twice is refused");
        assert!(err.to_string().contains("p.parquet"), "{err}");
        assert_eq!(
            s.targets().collect::<Vec<_>>(),
            [dir.join("run.json").as_path()]
        );
        let written = s.commit().expect("committed");
        assert_eq!(written, [dir.join("run.json")]);
        assert_eq!(names(dir), ["run.json"]);
    }

    #[test]
    fn a_failed_rename_keeps_later_targets_and_cleans_their_temps() {
        let tmp = scratch("fail");
        let dir = tmp.path();
        // A non-empty directory cannot be replaced by a file.
        fs::create_dir_all(dir.join("a.json/inner")).expect("writable");
        fs::write(dir.join("b.json"), "old b\n").expect("writable");
        let mut s = Staging::new();
        s.json(&dir.join("a.json"), &serde_json::json!(1))
            .expect("staged");
        s.json(&dir.join("b.json"), &serde_json::json!(2))
            .expect("staged");
        let err = s.commit().expect_err("a.json cannot be replaced");
        assert!(err.to_string().contains("a.json"), "{err}");
        assert_eq!(names(dir), ["a.json", "b.json"]);
        assert_eq!(
            fs::read_to_string(dir.join("b.json")).expect("b"),
            "old b\n"
        );
    }
}
