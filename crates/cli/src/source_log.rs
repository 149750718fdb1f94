//! What a run records about each input, as the inputs are read: every entry goes to
//! `sources.parquet`, written in row groups as they fill (a directory of a million files, or a
//! corpus of a million documents, is a million rows and never all in memory), and run.json
//! lists up to [`RUN_JSON_SOURCES_LISTED`] files, URLs and corpora (every one not read whole,
//! up to the limit, then the first of the others, in reading order), with counts of them all.
//! It also counts the inputs whose id an input before them had (a corpus whose documents
//! repeat an id, or name a file of the run): their rows cannot be told apart by `source_id`,
//! and the run says so.

use std::path::Path;

use anyhow::Result;
use chiso_load::{FileMeta, Input, ParquetStream, Staging};
use chiso_model::{SourceEntry, SourceKind, SourceStatus};
use serde_json::{Value, json};

use crate::dedup::{MAX_KEYS, Seen};

/// Files, URLs and corpora listed in run.json: every one not read whole (up to this many), then
/// the first of the others; all in the order they were read. `sources.parquet` has them all,
/// and every corpus document.
pub const RUN_JSON_SOURCES_LISTED: usize = 1000;

/// Entries buffered before they are handed to the Parquet stream as one record batch.
const BATCH_ROWS: usize = 4096;

/// The entries of a run so far.
pub struct SourceLog {
    stream: ParquetStream,
    buffer: Vec<SourceEntry>,
    /// Entries seen (their sequence numbers), files, URLs and corpora seen.
    seen: u64,
    /// The first [`RUN_JSON_SOURCES_LISTED`] files, URLs and corpora read whole, and of those
    /// not, each with its sequence number.
    listed_ok: Vec<(u64, SourceEntry)>,
    listed_not_ok: Vec<(u64, SourceEntry)>,
    counts: Counts,
    /// The ids of the inputs so far, and the first that repeat one.
    ids: Seen,
    repeated: Vec<String>,
}

/// Repeated ids named in the warning; the rest are counted.
const REPEATED_IDS_NAMED: usize = 5;

/// How many entries of each kind and status.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Files, URLs and corpora (not their documents).
    pub sources: u64,
    /// Of those, read whole.
    pub ok: u64,
    /// Of those, corpora some of whose documents could not be read.
    pub partial: u64,
    /// Of those, not read.
    pub failed: u64,
    /// Of those, files or URLs with the text of an input before them.
    pub duplicate: u64,
    /// Corpus documents.
    pub documents: u64,
    /// Corpus documents that could not be read.
    pub documents_failed: u64,
    /// Corpus documents with the text of an input before them.
    pub documents_duplicate: u64,
    /// Inputs (files, URLs, corpus documents) with the id of an input before them.
    pub ids_repeated: u64,
    /// Documents whose text was not among those the run held once it held all it can
    /// ([`crate::dedup::MAX_KEYS`]; each copy counts): copies of those texts were read again,
    /// not set aside.
    pub texts_not_remembered: u64,
    /// Inputs whose id was not among those held once the set was full (each counts): inputs
    /// repeating those ids were not counted in `ids_repeated`.
    pub ids_not_remembered: u64,
}

impl SourceLog {
    /// Starts `sources.parquet` in `out_dir`, staged (under its temporary name until the
    /// commit).
    pub fn start(staging: &mut Staging, out_dir: &Path, meta: &FileMeta) -> Result<SourceLog> {
        let stream = staging.stream(
            &out_dir.join("sources.parquet"),
            chiso_load::sources_schema(),
            chiso_load::SOURCES_GROUP_ROWS,
            meta,
        )?;
        Ok(SourceLog {
            stream,
            buffer: Vec::with_capacity(BATCH_ROWS),
            seen: 0,
            listed_ok: Vec::new(),
            listed_not_ok: Vec::new(),
            counts: Counts::default(),
            ids: Seen::new(MAX_KEYS, "source ids to find repeated ones"),
            repeated: Vec::new(),
        })
    }

    /// Records the documents whose text the run could not remember
    /// ([`Counts::texts_not_remembered`]).
    pub fn texts_not_remembered(&mut self, n: u64) {
        self.counts.texts_not_remembered = n;
    }

    /// Adds an entry.
    pub fn push(&mut self, entry: SourceEntry) -> Result<()> {
        // A corpus row, and a document not read far enough to have an id of its own, carry
        // the corpus's id on purpose; a duplicate set aside gives no rows to tell apart.
        let own_id = entry.kind != SourceKind::Corpus
            && entry.status != SourceStatus::Duplicate
            && entry.corpus_id.as_deref() != Some(entry.id.as_str());
        if own_id && self.ids.repeats(entry.id.as_bytes()) {
            self.counts.ids_repeated += 1;
            if self.repeated.len() < REPEATED_IDS_NAMED {
                self.repeated.push(entry.id.clone());
            }
        }
        let c = &mut self.counts;
        if entry.kind == SourceKind::Document {
            c.documents += 1;
            c.documents_failed += u64::from(!entry.is_ok());
            c.documents_duplicate += u64::from(entry.status == SourceStatus::Duplicate);
        } else {
            c.sources += 1;
            match entry.status {
                SourceStatus::Ok => c.ok += 1,
                SourceStatus::Partial => c.partial += 1,
                SourceStatus::Failed => c.failed += 1,
                SourceStatus::Duplicate => c.duplicate += 1,
            }
            let listed = if entry.is_ok() {
                &mut self.listed_ok
            } else {
                &mut self.listed_not_ok
            };
            if listed.len() < RUN_JSON_SOURCES_LISTED {
                listed.push((self.seen, entry.clone()));
            }
            self.seen += 1;
        }
        self.buffer.push(entry);
        if self.buffer.len() >= BATCH_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if !self.buffer.is_empty() {
            let batch = chiso_load::sources_batch(&self.buffer)?;
            self.stream.write(&batch)?;
            self.buffer.clear();
        }
        Ok(())
    }

    /// Writes the last rows and the footer (with `inputs`) and stages `sources.parquet`;
    /// returns run.json's list of sources and the counts.
    pub fn finish(
        mut self,
        staging: &mut Staging,
        inputs: &[Input],
    ) -> Result<(Vec<Value>, Counts)> {
        self.flush()?;
        self.counts.ids_not_remembered = self.ids.forgotten();
        if self.counts.ids_repeated > 0 {
            tracing::warn!(
                inputs = self.counts.ids_repeated,
                first = %self.repeated.join(", "),
                "inputs have the id of an input before them: their rows share that source_id (give the corpus's documents ids of their own, or each corpus an id_prefix in [sources.corpus])"
            );
        }
        staging.finish_stream(self.stream, inputs)?;
        let not_ok = self.listed_not_ok.len();
        let mut listed = self.listed_not_ok;
        listed.extend(
            self.listed_ok
                .into_iter()
                .take(RUN_JSON_SOURCES_LISTED - not_ok),
        );
        listed.sort_unstable_by_key(|(seq, _)| *seq);
        let list = listed.iter().map(|(_, e)| run_json_entry(e)).collect();
        Ok((list, self.counts))
    }
}

impl Counts {
    /// run.json's `source_counts`, with the number of sources `listed` in its `sources`.
    pub fn json(&self, listed: usize) -> Value {
        json!({
            "sources": self.sources, "ok": self.ok, "partial": self.partial, "failed": self.failed,
            "duplicate": self.duplicate, "listed": listed, "documents": self.documents,
            "documents_failed": self.documents_failed,
            "documents_duplicate": self.documents_duplicate,
            "ids_repeated": self.ids_repeated,
            "texts_not_remembered": self.texts_not_remembered,
            "ids_not_remembered": self.ids_not_remembered,
        })
    }
}

/// ", N duplicate documents set aside" after a count of sources (`chiso run`'s summary,
/// `chiso inspect`), or nothing when none were.
pub fn set_aside_note(n: u64) -> String {
    match n {
        0 => String::new(),
        n => format!(", {n} duplicate documents set aside"),
    }
}

/// An entry as run.json lists it: the fields that apply to its kind and status.
pub fn run_json_entry(e: &SourceEntry) -> Value {
    let fetch = e.fetch.as_ref().map(|f| {
        json!({
            "url": f.url, "final_url": f.final_url, "status": f.status, "bytes": f.bytes,
            "sha256": f.sha256, "from_cache": f.from_cache,
        })
    });
    let (id, origin, status) = (&e.id, &e.origin, e.status.as_str());
    match (e.kind, e.status) {
        (SourceKind::Corpus, SourceStatus::Failed) => json!({
            "id": id, "origin": origin, "status": status, "format": e.format, "error": e.error,
            "documents": e.documents, "documents_failed": e.documents_failed, "errors": e.errors,
            "fetch": fetch, "warnings": e.warnings,
        }),
        (SourceKind::Corpus, _) => json!({
            "id": id, "origin": origin, "status": status, "format": e.format, "sha256": e.sha256,
            "bytes": e.bytes, "documents": e.documents, "documents_failed": e.documents_failed,
            "documents_duplicate": e.documents_duplicate, "errors": e.errors, "text_bytes": e.text_bytes, "sentences": e.sentences,
            "mentions": e.mentions, "rows": e.rows, "fetch": fetch, "warnings": e.warnings,
        }),
        (_, SourceStatus::Failed) => {
            json!({ "id": id, "origin": origin, "status": status, "error": e.error })
        }
        _ => json!({
            "id": id, "origin": origin, "status": status, "format": e.format,
            "sha256": e.sha256, "text_sha256": e.text_sha256, "bytes": e.bytes,
            "encoding": e.encoding, "published": e.published.map(|p| p.to_string()), "geo": e.geo,
            "sentences": e.sentences, "repeats_merged": e.repeats_merged, "tables": e.tables,
            "mentions": e.mentions, "rows": e.rows, "fetch": fetch, "warnings": e.warnings,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, kind: SourceKind, status: SourceStatus) -> SourceEntry {
        SourceEntry {
            id: id.to_owned(),
            kind,
            status,
            origin: format!("{id}.txt"),
            ..SourceEntry::default()
        }
    }

    /// run.json lists every source not read whole (up to the limit), then the first of the
    /// others, all in reading order; documents are only counted; sources.parquet gets
    /// every entry.
    #[test]
    fn run_json_lists_every_failure_then_the_first_others_and_sources_parquet_everything() {
        let dir = tempfile::Builder::new()
            .prefix("chiso-sources-")
            .tempdir()
            .expect("the system temp dir is writable");
        let mut staging = Staging::new();
        let mut log =
            SourceLog::start(&mut staging, dir.path(), &FileMeta::default()).expect("started");
        let n = RUN_JSON_SOURCES_LISTED + 500;
        for i in 0..n {
            let status = match i % 400 {
                399 => SourceStatus::Failed,
                199 => SourceStatus::Duplicate,
                _ => SourceStatus::Ok,
            };
            log.push(entry(&format!("f{i}"), SourceKind::Source, status))
                .expect("pushed");
        }
        log.push(entry("news", SourceKind::Corpus, SourceStatus::Partial))
            .expect("pushed");
        log.push(entry("news-1", SourceKind::Document, SourceStatus::Ok))
            .expect("pushed");
        log.push(entry("news", SourceKind::Document, SourceStatus::Failed))
            .expect("pushed");
        log.push(entry(
            "news-2",
            SourceKind::Document,
            SourceStatus::Duplicate,
        ))
        .expect("pushed");
        // A document with a file's id: counted, as rows of both would share it.
        log.push(entry("f3", SourceKind::Document, SourceStatus::Ok))
            .expect("pushed");
        let (list, counts) = log.finish(&mut staging, &[]).expect("finished");
        staging.commit().expect("committed");
        assert_eq!(
            counts,
            Counts {
                sources: n as u64 + 1,
                ok: n as u64 - 7,
                partial: 1,
                failed: 3,
                duplicate: 4,
                documents: 4,
                documents_failed: 1,
                documents_duplicate: 1,
                ids_repeated: 1,
                texts_not_remembered: 0,
                ids_not_remembered: 0,
            }
        );
        assert_eq!(list.len(), RUN_JSON_SOURCES_LISTED);
        let ids: Vec<&str> = list.iter().filter_map(|e| e["id"].as_str()).collect();
        // f399, f799 and f1199 (past the first thousand read) and the corpus are listed.
        for id in ["f399", "f799", "f1199", "news"] {
            assert!(ids.contains(&id), "{id} listed");
        }
        assert_eq!(ids[0], "f0");
        let position = |id| ids.iter().position(|i| *i == id).expect("listed");
        assert!(position("f399") < position("f400") && position("f799") < position("f1199"));
        // 996 read whole (a duplicate was) are listed: f0 to f997 but the two failures among
        // them.
        assert!(
            ids.contains(&"f997") && !ids.contains(&"f998"),
            "room for the failures"
        );
        assert_eq!(list[position("f399")]["error"], Value::Null);
        assert_eq!(list[position("news")]["status"], "partial");
        let file = chiso_load::ParquetFile::open(&dir.path().join("sources.parquet"))
            .expect("a Parquet file");
        assert_eq!(file.header.kind, Some(chiso_load::TableKind::Sources));
        assert_eq!(list[position("f199")]["status"], "duplicate");
        assert_eq!(file.header.rows, n + 5);
    }

    /// A file read whole lists what run.json always listed for it, and its text's hash; a failed
    /// one its reason.
    #[test]
    fn a_run_json_entry_has_the_fields_of_its_kind() {
        let ok = run_json_entry(&SourceEntry {
            format: Some("text".into()),
            rows: Some(3),
            ..entry("a", SourceKind::Source, SourceStatus::Ok)
        });
        let keys: Vec<&String> = ok.as_object().expect("an object").keys().collect();
        assert_eq!(
            keys,
            [
                "bytes",
                "encoding",
                "fetch",
                "format",
                "geo",
                "id",
                "mentions",
                "origin",
                "published",
                "repeats_merged",
                "rows",
                "sentences",
                "sha256",
                "status",
                "tables",
                "text_sha256",
                "warnings"
            ]
        );
        let failed = run_json_entry(&SourceEntry {
            error: Some("cannot read a.txt: no such file".into()),
            ..entry("a", SourceKind::Source, SourceStatus::Failed)
        });
        assert_eq!(
            failed,
            json!({"id": "a", "origin": "a.txt", "status": "failed", "error": "cannot read a.txt: no such file"})
        );
    }
}
