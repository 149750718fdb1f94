//! run.json's entry of each source, kept on disk while the run goes: a directory of a million
//! files gives a million entries, which memory must not hold (about 2 KB each as JSON values,
//! 0.4 KB as text). They are appended as compact JSON lines to an anonymous file beside the
//! outputs (removed by the system when the run ends, however it ends) and read back, in order,
//! when run.json is written. The entries hold strings, integers, booleans and nulls, which come
//! back from their text exactly (a float might not, to the last bit: one added to an entry
//! would need its text kept as it is instead).

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Seek, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// The source entries of a run, in the order they were added.
#[derive(Default)]
pub struct SourceReports {
    /// Where the file is made: the output directory (not the system's temporary directory,
    /// which may be memory).
    dir: PathBuf,
    /// The entries so far, once there is one.
    file: Option<BufWriter<File>>,
}

impl SourceReports {
    /// No entries yet; the file will be made in `dir`.
    pub fn new(dir: &Path) -> SourceReports {
        SourceReports {
            dir: dir.to_owned(),
            file: None,
        }
    }

    /// Adds an entry.
    pub fn push(&mut self, entry: &serde_json::Value) -> Result<()> {
        let file = match &mut self.file {
            Some(file) => file,
            None => {
                let file = tempfile::tempfile_in(&self.dir).with_context(|| {
                    format!(
                        "cannot make a temporary file for run.json's sources in {}",
                        self.dir.display()
                    )
                })?;
                self.file.insert(BufWriter::with_capacity(1 << 16, file))
            }
        };
        serde_json::to_writer(&mut *file, entry)
            .map_err(std::io::Error::from)
            .and_then(|()| file.write_all(b"\n"))
            .context("cannot keep run.json's source entries on disk")
    }

    /// The entries, in order, read back one at a time.
    pub fn into_entries(self) -> Result<impl Iterator<Item = std::io::Result<serde_json::Value>>> {
        let lines = match self.file {
            None => None,
            Some(file) => {
                let mut file = file
                    .into_inner()
                    .map_err(|e| e.into_error())
                    .context("cannot keep run.json's source entries on disk")?;
                file.rewind()
                    .context("cannot read run.json's source entries back")?;
                Some(BufReader::with_capacity(1 << 16, file).lines())
            }
        };
        Ok(lines
            .into_iter()
            .flatten()
            .map(|line| serde_json::from_str(&line?).map_err(std::io::Error::from)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Entries come back as they went in, in order, and leave no file behind.
    #[test]
    fn entries_come_back_in_order_and_leave_no_file() {
        let dir = tempfile::Builder::new()
            .prefix("chiso-reports-")
            .tempdir()
            .expect("the system temp dir is writable");
        let entries = [
            json!({"id": "a", "warnings": ["dòng 2\nxuống dòng"], "rows": 3}),
            json!({"id": "b", "fetch": null, "errors": []}),
        ];
        let mut reports = SourceReports::new(dir.path());
        for e in &entries {
            reports.push(e).expect("written");
        }
        let back: Vec<_> = reports
            .into_entries()
            .expect("read back")
            .map(|e| e.expect("an entry"))
            .collect();
        assert_eq!(back, entries);
        assert_eq!(std::fs::read_dir(dir.path()).expect("listable").count(), 0);
        let none = SourceReports::new(dir.path()).into_entries().expect("none");
        assert_eq!(none.count(), 0);
    }
}
