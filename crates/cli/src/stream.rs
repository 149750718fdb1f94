//! The streaming engine of `chiso run`: sources and corpus documents flow through extract and
//! transform in bounded units on every core, and on to Parquet in input order.
//!
//! One reader thread walks the sources in pipeline order and cuts them into *units*: file or
//! URL sources, up to [`files_per_unit`] files or [`UNIT_TEXT_BYTES`] of them (as their sizes
//! on disk say) or [`URLS_PER_UNIT`] URLs, or up to [`UNIT_TEXT_BYTES`] of a corpus file's
//! documents (JSON lines or Parquet rows, [`chiso_extract::CorpusReader`]); corpora at URLs are
//! downloaded for it by a thread of their own, one ahead of the reading. Worker threads take
//! units from a queue and do the work that costs: extract (for files), NFC, segmentation, the
//! number grammar, linking, and the Arrow record batches of the unit's indicator and mention
//! rows. The calling thread receives finished units, puts them back in input order (a unit that
//! finishes early waits for the ones before it) and hands each to a [`UnitSink`], which hands
//! the batches on to one thread per file ([`chiso_load::WriterThread`]) that encodes them into
//! row groups of a fixed number of rows, however many units they span.
//!
//! Memory is bounded: the reader takes a credit for every unit it sends and the sink gives it back
//! when it has handed the unit on, so at most [`in_flight`] units exist at any time, whatever
//! the corpus size; besides them, each writer thread holds at most three batches (two waiting,
//! one being encoded) and its file's open row group (compressed pages, and dictionaries of up to
//! 16 MiB for the sentence and quote columns). Output is deterministic: units are cut by counts
//! and sizes of the input (never by timing) and written in order, so the same input gives the
//! same batches, the same row groups, the same bytes, with one thread or many. Which of several
//! copies of a text is read is decided in input order too: units with documents take turns
//! ([`crate::dedup`]).

use std::borrow::Cow;
use std::collections::{BTreeSet, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, channel, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use arrow::array::RecordBatch;
use chiso_extract::{
    CorpusColumns, CorpusDigest, CorpusFetcher, CorpusFormat, CorpusReader, CorpusRecord,
    ExtractOptions, Location, SourceSpec,
};
use chiso_load::MentionsBuilder;
use chiso_model::{Document, IndicatorRecord, SourceEntry, SourceKind, SourceStatus, TableMapping};
use chiso_transform::link::{Linker, Transformed};
use chiso_validate::{Checked, MentionFact, Validator};

use crate::dedup::{TextDigest, Texts, Turn};

/// File sources per unit at most, for a declared source of `files` files: a sixteenth of them,
/// from 16 to 256. A large directory of small files makes units nearer the size of a corpus's
/// (256 news articles are ≈ 0.6 MB), with fewer hand-offs between the threads: units of 16
/// files (until session 12) took 7 % more wall time on a tree of 43 000 articles (3.46 against
/// 3.21 s, medians of five interleaved runs; 0–5 % at 440 000). A smaller one still makes 16
/// units or more, so that every worker has some (a worker extracts a unit's files one after
/// another). It depends on the input alone, never on the threads, so the output bytes do not
/// either; [`UNIT_TEXT_BYTES`] closes a unit of large files sooner.
pub fn files_per_unit(files: usize) -> usize {
    (files / 16).clamp(16, 256)
}
#[cfg(test)]
mod tests {
    /// Units of files: at least 16 files each, at most 256, and at least 16 units for a
    /// directory of 256 files or more.
    #[test]
    fn files_per_unit_keeps_every_worker_busy() {
        let caps = [1, 200, 256, 600, 4_096, 42_996].map(super::files_per_unit);
        assert_eq!(caps, [16, 16, 16, 37, 256, 256]);
    }
}

/// Page or table URLs per unit at most (a worker fetches a unit's URLs at once).
pub const URLS_PER_UNIT: usize = 16;
/// Text per unit (bytes as stored: a corpus's documents, or files as their sizes on disk
/// say); a unit holds at least one document or file.
pub const UNIT_TEXT_BYTES: usize = 2 << 20;
/// Documents per corpus unit at most.
pub const UNIT_DOCUMENTS: usize = 4096;

/// Units that may exist at once (queued, being worked on, or waiting for their turn): two per
/// worker and one more, so a worker never waits for work while the sink writes.
pub fn in_flight(threads: usize) -> usize {
    2 * threads + 1
}

/// The corpus format of a source, when it is a corpus file or URL read by its extension (a
/// `format = "…"` in the pipeline reads the file as that format instead).
pub fn corpus_format(spec: &SourceSpec) -> Option<CorpusFormat> {
    match (&spec.location, spec.format) {
        (Location::Path(p), None) => CorpusFormat::detect(p),
        (Location::Url(u), None) => CorpusFormat::detect_url(u),
        _ => None,
    }
}

/// What the engine needs besides the sources.
pub struct Engine<'a> {
    /// Reads documents into rows.
    pub linker: &'a Linker,
    /// Extract limits and the HTTP cache.
    pub extract: &'a ExtractOptions,
    /// The declared source each source came from.
    pub declared: &'a Declared<'a>,
    /// The table mapping of each declared source.
    pub mappings: &'a [Option<TableMapping>],
    /// The corpus field names of each declared source (`None`: the defaults).
    pub columns: &'a [Option<CorpusColumns>],
    /// Worker threads.
    pub threads: usize,
    /// Judges each unit's rows against the pipeline's rules, on the workers.
    pub validator: Option<&'a Validator<'a>>,
    /// Whether workers build mention facts (some rule reads `from = "mentions"`).
    pub facts: bool,
    /// Whether workers build the rows of mentions.parquet (not with `--no-mentions`).
    pub mention_rows: bool,
    /// Whether workers hand on each document's transform (for the report): a corpus document
    /// and its transform, a file's text, sentences and mentions. The sink clears it when it
    /// gives the report up, and from then on workers free them themselves, on all cores, instead
    /// of the sink on one. The report needs the indicator rows too.
    pub keep_documents: &'a AtomicBool,
    /// Whether workers hand on the indicator rows whatever the report needs (`--dataset`).
    pub keep_records: bool,
    /// Where corpora at URLs show their downloads and, once fetched, their sizes.
    pub downloads: crate::progress::Downloads,
    /// The texts read so far, when documents that repeat one are set aside (`duplicates =
    /// "skip"`, the default).
    pub texts: Option<&'a Texts>,
}

/// The pipeline's declared sources (its `[[sources]]`), as counted before the run: a directory
/// or glob is walked once to check it and count its files, and again as it is read
/// ([`chiso_extract::FileWalk`]), so a tree of a million files is never held as a list.
#[derive(Debug, Default)]
pub struct Declared<'a> {
    sources: Vec<DeclaredSource<'a>>,
}

/// One declared source.
#[derive(Debug)]
struct DeclaredSource<'a> {
    spec: &'a SourceSpec,
    /// Whether its path is a directory or a glob, whose files are its sources.
    walked: bool,
    /// How many sources it gave when it was counted.
    files: usize,
}

impl<'a> Declared<'a> {
    /// The declared source `spec`, which gave `files` sources when counted; `walked` when its
    /// path is a directory or glob.
    pub fn push(&mut self, spec: &'a SourceSpec, walked: bool, files: usize) {
        self.sources.push(DeclaredSource {
            spec,
            walked,
            files,
        });
    }

    /// The id of declared source `index` ("" for no such source).
    pub fn id(&self, index: usize) -> &'a str {
        self.sources.get(index).map_or("", |d| d.spec.id.as_str())
    }

    /// How many sources declared source `index` gave when it was counted.
    pub fn files(&self, index: usize) -> usize {
        self.sources.get(index).map_or(1, |d| d.files)
    }

    /// Whether declared source `index` is a directory or glob.
    pub fn walked(&self, index: usize) -> bool {
        self.sources.get(index).is_some_and(|d| d.walked)
    }
}

/// A source as the reader hands it on: a declared source itself, or one file of its directory
/// or glob.
#[derive(Debug)]
pub struct Source {
    /// Its place in the run, counted from 0 in input order.
    pub index: usize,
    /// The declared source it came from (index into the pipeline's sources).
    pub declared: usize,
    /// What to read.
    pub spec: SourceSpec,
    /// The size of its file on disk when the reader came to it (0 for a URL, or a file that
    /// cannot be read).
    pub size: u64,
}

impl Engine<'_> {
    /// The table mapping of declared source `declared`.
    fn mapping(&self, declared: usize) -> Option<&TableMapping> {
        self.mappings.get(declared)?.as_ref()
    }

    /// The corpus field names of declared source `declared`.
    fn columns(&self, declared: usize) -> Cow<'_, CorpusColumns> {
        match self.columns.get(declared) {
            Some(Some(columns)) => Cow::Borrowed(columns),
            _ => Cow::Owned(CorpusColumns::default()),
        }
    }
}

/// What the run summary counts of a unit's indicator rows, counted on the worker.
#[derive(Default)]
pub struct RowSummary {
    /// Rows.
    pub rows: u64,
    /// Distinct indicator ids.
    pub indicators: BTreeSet<String>,
    /// Distinct place codes.
    pub places: BTreeSet<String>,
    /// Distinct periods.
    pub periods: HashSet<chiso_model::Period>,
}

impl RowSummary {
    fn of(records: &[IndicatorRecord]) -> RowSummary {
        let mut s = RowSummary {
            rows: records.len() as u64,
            ..RowSummary::default()
        };
        for r in records {
            if !s.indicators.contains(&r.indicator) {
                s.indicators.insert(r.indicator.clone());
            }
            if let Some(g) = &r.geo_code
                && !s.places.contains(g)
            {
                s.places.insert(g.clone());
            }
            if let Some(p) = r.period {
                s.periods.insert(p);
            }
        }
        s
    }
}

/// A piece of work, cut by the reader thread.
enum Unit {
    /// File or URL sources, and the unit's turn among those with documents ([`crate::dedup`]).
    Files(Vec<Source>, u64),
    /// A directory or glob that could not be walked to its end (it changed after it was
    /// counted): recorded as a failed source.
    Unwalkable(Source, chiso_extract::Error),
    /// Documents of the corpus source `corpus` (of `format`), read up to byte `read_to` of its
    /// file; `turn` as for files.
    Documents {
        corpus: Arc<Source>,
        format: CorpusFormat,
        records: Vec<chiso_extract::Result<CorpusRecord>>,
        read_to: u64,
        turn: u64,
    },
    /// A corpus source is read to its end (or could not be fetched or opened).
    CorpusEnd(CorpusEnd),
}

/// The end of a corpus source.
pub struct CorpusEnd {
    /// The corpus source.
    pub corpus: Arc<Source>,
    /// The whole file's SHA-256 and size, or why it could not be fetched or read.
    pub digest: std::result::Result<CorpusDigest, String>,
    /// How a corpus at a URL was fetched.
    pub fetch: Option<chiso_extract::FetchRecord>,
    /// What went wrong in fetching it without failing it (the cache could not be written).
    pub warnings: Vec<String>,
}

impl CorpusEnd {
    /// The end of corpus source `corpus`, and how it was fetched if it is at a URL.
    fn new(
        corpus: Arc<Source>,
        digest: std::result::Result<CorpusDigest, String>,
        fetched: Option<chiso_extract::FetchedFile>,
    ) -> CorpusEnd {
        let (fetch, warnings) = match fetched {
            Some(f) => (Some(f.fetch), f.warnings),
            None => (None, Vec::new()),
        };
        CorpusEnd {
            corpus,
            digest,
            fetch,
            warnings,
        }
    }
}

/// One source or document as the sink sees it, in input order.
pub enum Item {
    /// A file or URL source.
    Source(SourceOutcome),
    /// A document of corpus source `corpus`.
    Document {
        /// The corpus source.
        corpus: Arc<Source>,
        /// Its row of sources.parquet: what it gave, or (`Err`) why it could not be read.
        outcome: std::result::Result<SourceEntry, Box<SourceEntry>>,
        /// The document and its transform (without its rows), while the sink keeps documents
        /// for the report ([`Engine::keep_documents`]).
        kept: Option<(Document, Transformed)>,
    },
    /// The end of a corpus source: the file's hash, or why it could not be read.
    CorpusEnd(CorpusEnd),
}

/// A file or URL source, transformed.
pub struct SourceOutcome {
    /// The source.
    pub source: Source,
    /// What sources.parquet and run.json say about it.
    pub entry: SourceEntry,
    /// What it gave, or why it failed. Its transform's rows are the unit's `records`, and the
    /// rest of it, and its document's text, are empty unless the report keeps them
    /// ([`Engine::keep_documents`]).
    pub outcome: std::result::Result<(Document, Transformed), String>,
}

/// A finished unit, handed to the sink in input order.
pub struct UnitOut {
    /// Its sources and documents, in order, with their transforms' sentences and mentions
    /// while the report keeps them ([`Engine::keep_documents`]).
    pub items: Vec<Item>,
    /// For a unit of corpus documents, its corpus and how far into the corpus file reading had
    /// come when the unit was cut (for progress).
    pub read_to: Option<(Arc<Source>, u64)>,
    /// Every indicator row of the unit, in order, when the sink keeps them (the report,
    /// `--dataset`); else empty, freed on the worker.
    pub records: Vec<IndicatorRecord>,
    /// What the summary counts of the unit's rows.
    pub summary: RowSummary,
    /// What the rules found in the unit's rows, when the pipeline has rules.
    pub checked: Option<Checked>,
    /// The unit's indicator rows ([`chiso_load::indicators_batch_schema`]).
    pub indicators: RecordBatch,
    /// The unit's mention rows ([`chiso_load::mentions_batch_schema`]).
    pub mentions: RecordBatch,
    /// Time spent extracting (files) or decoding (documents) in the worker.
    pub extract: Duration,
    /// Time spent transforming and building the record batches in the worker.
    pub transform: Duration,
    /// Time spent judging the unit's rows against the rules in the worker.
    pub validate: Duration,
}

/// Consumes finished units in input order.
pub trait UnitSink {
    /// Takes one unit; an error stops the run.
    fn accept(&mut self, unit: UnitOut) -> Result<()>;
}

/// Runs every source through the workers into `sink`, in input order. Returns the time the
/// reader spent reading corpus files.
pub fn run(engine: &Engine<'_>, sink: &mut dyn UnitSink) -> Result<Duration> {
    let threads = engine.threads.max(1);
    let max_in_flight = in_flight(threads);
    let (work_tx, work_rx) = sync_channel::<(u64, Unit)>(threads);
    let work_rx = Arc::new(Mutex::new(work_rx));
    let (done_tx, done_rx) = channel::<(u64, Result<UnitOut>)>();
    let (credit_tx, credit_rx) = sync_channel::<()>(max_in_flight);
    for _ in 0..max_in_flight {
        credit_tx
            .send(())
            .expect("the credit channel has room for every credit: its capacity is max_in_flight");
    }
    std::thread::scope(|scope| {
        let reader = scope.spawn(move || read_units(engine, &work_tx, &credit_rx));
        for _ in 0..threads {
            let work_rx = Arc::clone(&work_rx);
            let done_tx = done_tx.clone();
            scope.spawn(move || {
                // The workers are the parallelism: each runs its unit's rule queries itself.
                chiso_validate::keep_queries_on_this_thread();
                loop {
                    // The lock is held only to take the next unit.
                    let next = match work_rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => return,
                    };
                    let Ok((seq, unit)) = next else { return };
                    // A panic (a bug) fails the run with an error instead of leaving the sink
                    // waiting for this unit forever.
                    let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        work(engine, unit)
                    }))
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("a worker thread panicked")));
                    if done_tx.send((seq, out)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_tx);
        let consumed = consume(done_rx, credit_tx, sink);
        let read = reader.join();
        consumed?;
        match read {
            Ok(r) => r,
            Err(_) => anyhow::bail!("the reader thread panicked"),
        }
    })
}

/// The sink side: puts units back in order and hands them on, returning a credit for each.
fn consume(
    done: Receiver<(u64, Result<UnitOut>)>,
    credits: SyncSender<()>,
    sink: &mut dyn UnitSink,
) -> Result<()> {
    let mut waiting = std::collections::BTreeMap::new();
    let mut next = 0u64;
    for (seq, out) in done {
        waiting.insert(seq, out);
        while let Some(out) = waiting.remove(&next) {
            sink.accept(out?)?;
            next += 1;
            // The reader may have finished: a credit nobody takes is fine.
            let _ = credits.try_send(());
        }
    }
    anyhow::ensure!(
        waiting.is_empty(),
        "a unit of work was lost (a worker stopped early)"
    );
    Ok(())
}

/// The reader thread: cuts the sources into units, in order, one credit per unit.
fn read_units(
    engine: &Engine<'_>,
    work: &SyncSender<(u64, Unit)>,
    credits: &Receiver<()>,
) -> Result<Duration> {
    // Corpora at URLs (never a directory's files), by declared source.
    let urls: Vec<usize> = (0..engine.declared.sources.len())
        .filter(|&d| {
            let spec = engine.declared.sources[d].spec;
            matches!(spec.location, Location::Url(_)) && corpus_format(spec).is_some()
        })
        .collect();
    // Corpora at URLs are downloaded in order on a thread of their own (which has nothing to
    // do without them), one ahead of the reading (a rendezvous channel): the next shard
    // downloads while this one is read. When the reading stops, `stop` abandons the download
    // in progress.
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let (downloaded, downloads) = sync_channel(0);
        let stop = &stop;
        scope.spawn(move || {
            // One HTTP client for every shard: the connections to a host are reused.
            let mut fetcher = None;
            for declared in urls {
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                let spec = engine.declared.sources[declared].spec;
                tracing::info!(source_id = %spec.id, url = %origin(spec), "fetching the corpus");
                let fetched = match fetcher.get_or_insert_with(|| CorpusFetcher::new(engine.extract)) {
                    Ok(fetcher) => {
                        let line = engine.downloads.start(declared, &spec.id);
                        fetcher.fetch(spec, stop, &|at| line.update(at))
                    }
                    Err(reason) => Err(chiso_extract::Error::Runtime {
                        source_id: spec.id.clone(),
                        reason: reason.clone(),
                    }),
                };
                if let Ok(f) = &fetched {
                    tracing::info!(source_id = %spec.id, bytes = f.fetch.bytes, from_cache = f.fetch.from_cache, "corpus fetched");
                    engine.downloads.sized(declared, f.fetch.bytes);
                }
                if downloaded.send((declared, fetched)).is_err() {
                    return; // the reading stopped
                }
            }
        });
        let mut reader = Reader {
            engine,
            work,
            credits,
            downloads: &downloads,
            seq: 0,
            turns: 0,
            index: 0,
            reading: Duration::ZERO,
            files: Vec::new(),
            files_bytes: 0,
            urls: 0,
        };
        reader.read_all();
        stop.store(true, Ordering::Relaxed);
        Ok(reader.reading)
    })
}

/// A corpus fetched from a URL (or why not), by its declared source.
type Download = (usize, chiso_extract::Result<chiso_extract::FetchedFile>);

/// The reading side of [`read_units`], once the corpora at URLs come from `downloads`, in order.
struct Reader<'e, 'a> {
    engine: &'e Engine<'a>,
    work: &'e SyncSender<(u64, Unit)>,
    credits: &'e Receiver<()>,
    downloads: &'e Receiver<Download>,
    /// The next unit's number.
    seq: u64,
    /// The next turn of a unit with documents.
    turns: u64,
    /// The next source's index.
    index: usize,
    /// Time spent reading corpus files.
    reading: Duration,
    /// File or URL sources not yet sent.
    files: Vec<Source>,
    /// The bytes of those files on disk, and how many of them are URLs.
    files_bytes: u64,
    urls: usize,
}

impl Reader<'_, '_> {
    /// Sends `unit` once a credit allows it; false when the sink has stopped (nothing more is
    /// read).
    fn send(&mut self, unit: Unit) -> bool {
        if self.credits.recv().is_err() {
            return false;
        }
        let ok = self.work.send((self.seq, unit)).is_ok();
        self.seq += 1;
        ok
    }

    /// The next unit with documents' turn: units without (the end of a corpus, a directory
    /// that could not be walked) take none, so they never wait.
    fn next_turn(&mut self) -> u64 {
        self.turns += 1;
        self.turns - 1
    }

    /// Sends the file or URL sources gathered so far.
    fn flush(&mut self) -> bool {
        self.files.is_empty() || {
            let files = std::mem::take(&mut self.files);
            (self.files_bytes, self.urls) = (0, 0);
            let turn = self.next_turn();
            self.send(Unit::Files(files, turn))
        }
    }

    /// The next source of declared source `declared`.
    fn source(&mut self, declared: usize, spec: SourceSpec) -> Source {
        let index = self.index;
        self.index += 1;
        Source {
            index,
            declared,
            spec,
            size: 0,
        }
    }

    /// Reads every declared source in order, a directory or glob file by file as it is walked.
    fn read_all(&mut self) {
        let engine = self.engine;
        for (declared, d) in engine.declared.sources.iter().enumerate() {
            let walk = match d.walked.then(|| chiso_extract::FileWalk::new(d.spec)) {
                Some(Ok(Some(walk))) => walk,
                Some(Err(e)) => {
                    if !self.unwalkable(declared, e) {
                        return;
                    }
                    continue;
                }
                // A file or URL (or a directory that has become something else, read as such).
                Some(Ok(None)) | None => {
                    let source = self.source(declared, d.spec.clone());
                    if !self.read(source) {
                        return;
                    }
                    continue;
                }
            };
            for file in walk {
                let more = match file {
                    Ok(spec) => {
                        let source = self.source(declared, spec);
                        self.read(source)
                    }
                    Err(e) => self.unwalkable(declared, e),
                };
                if !more {
                    return;
                }
            }
        }
        self.flush();
    }

    /// Declared source `declared` could not be walked (to its end): a failed source, after the
    /// files before it.
    fn unwalkable(&mut self, declared: usize, e: chiso_extract::Error) -> bool {
        let spec = self.engine.declared.sources[declared].spec.clone();
        let source = self.source(declared, spec);
        self.flush() && self.send(Unit::Unwalkable(source, e))
    }

    /// Reads one source: a file or URL joins the next unit of files; a corpus is cut into
    /// units of documents. False when the sink has stopped.
    fn read(&mut self, mut source: Source) -> bool {
        let is_url = matches!(source.spec.location, Location::Url(_));
        if let Location::Path(p) = &source.spec.location {
            // A file that cannot be read counts nothing: its source fails.
            source.size = std::fs::metadata(p).map_or(0, |m| m.len());
        }
        let Some(format) = corpus_format(&source.spec) else {
            self.files_bytes += source.size;
            self.urls += usize::from(is_url);
            let cap = files_per_unit(self.engine.declared.files(source.declared));
            self.files.push(source);
            let full = self.files.len() >= cap
                || self.urls >= URLS_PER_UNIT
                || self.files_bytes >= UNIT_TEXT_BYTES as u64;
            return !full || self.flush();
        };
        if !self.flush() {
            return false;
        }
        let started = Instant::now();
        let corpus = Arc::new(source);
        let spec = &corpus.spec;
        // A corpus at a URL is downloaded (through the cache) and read as a local file.
        let fetched = match &spec.location {
            Location::Path(_) => None,
            Location::Url(_) => {
                let outcome = match self.downloads.recv() {
                    Ok((d, Ok(f))) if d == corpus.declared => Ok(f),
                    Ok((d, Err(e))) if d == corpus.declared => Err(e.to_string()),
                    _ => Err(format!(
                        "source {}: {}: the download thread stopped",
                        spec.id,
                        origin(spec)
                    )),
                };
                match outcome {
                    Ok(f) => Some(f),
                    Err(e) => {
                        self.reading += started.elapsed();
                        return self.send(Unit::CorpusEnd(CorpusEnd::new(corpus, Err(e), None)));
                    }
                }
            }
        };
        let path = match (&spec.location, &fetched) {
            (_, Some(f)) => f.path(),
            (Location::Path(p), None) => p.as_path(),
            // A corpus URL that could not be fetched has ended above.
            (Location::Url(_), None) => return true,
        };
        let opened = CorpusReader::open_as(
            &spec.id,
            path,
            &origin(spec),
            format,
            &self.engine.columns(corpus.declared),
            self.engine.extract.max_bytes,
        );
        let mut reader = match opened {
            Ok(r) => r,
            Err(e) => {
                self.reading += started.elapsed();
                // A corpus fetched but not readable (a page where a file was expected) keeps
                // its fetch in run.json.
                let end = CorpusEnd::new(corpus, Err(e.to_string()), fetched);
                return self.send(Unit::CorpusEnd(end));
            }
        };
        let mut records = Vec::new();
        let mut bytes = 0usize;
        let mut started = Instant::now();
        let mut fields = FieldsSeen::default();
        while let Some(record) = reader.next() {
            bytes += record.as_ref().map_or(0, |r| r.text.len());
            if let Ok(r) = &record {
                fields.saw(r);
            }
            records.push(record);
            if bytes >= UNIT_TEXT_BYTES || records.len() >= UNIT_DOCUMENTS {
                self.reading += started.elapsed();
                let unit = Unit::Documents {
                    corpus: Arc::clone(&corpus),
                    format,
                    records: std::mem::take(&mut records),
                    read_to: reader.bytes_read(),
                    turn: self.next_turn(),
                };
                if !self.send(unit) {
                    return false;
                }
                bytes = 0;
                started = Instant::now();
            }
        }
        let read_to = reader.bytes_read();
        let digest = reader.finish().map_err(|e| e.to_string());
        self.reading += started.elapsed();
        if !records.is_empty() {
            let unit = Unit::Documents {
                corpus: Arc::clone(&corpus),
                format,
                records,
                read_to,
                turn: self.next_turn(),
            };
            if !self.send(unit) {
                return false;
            }
        }
        let mut end = CorpusEnd::new(corpus, digest, fetched);
        end.warnings
            .extend(fields.unseen(&self.engine.columns(end.corpus.declared)));
        self.send(Unit::CorpusEnd(end))
    }
}

/// Which of a corpus's optional fields its documents had, so that a field named in
/// `[sources.corpus]` that no document has (a misspelt name) is told rather than silently
/// giving no ids, dates or places.
#[derive(Debug, Default)]
struct FieldsSeen {
    documents: u64,
    /// id, url, published, geo.
    seen: [bool; 4],
}

impl FieldsSeen {
    fn saw(&mut self, r: &CorpusRecord) {
        self.documents += 1;
        let present = [&r.id, &r.url, &r.published, &r.geo].map(Option::is_some);
        for (seen, present) in self.seen.iter_mut().zip(present) {
            *seen |= present;
        }
    }

    /// A warning for each field `columns` names otherwise than the default that no document
    /// had.
    fn unseen(&self, columns: &CorpusColumns) -> Vec<String> {
        if self.documents == 0 {
            return Vec::new();
        }
        let defaults = CorpusColumns::default();
        columns.names()[1..]
            .iter()
            .zip(&defaults.names()[1..])
            .zip(self.seen)
            .filter(|(((_, name), (_, default)), seen)| !seen && name != default)
            .map(|(((key, name), _), _)| {
                format!(
                    "[sources.corpus] {key} = {name:?}: none of its {} documents has that field; \
                     check its name",
                    self.documents
                )
            })
            .collect()
    }
}

/// Takes a unit's turn among the texts of the run ([`crate::dedup`]), when documents that
/// repeat a text are set aside: for each document, whether it is such a copy. `digests[i]` is
/// `None` for a document not read or without text; `candidate(i)` is false for one never set
/// aside.
fn duplicates(
    turn: Option<Turn<'_>>,
    digests: &[Option<TextDigest>],
    candidate: impl Fn(usize) -> bool,
) -> Vec<bool> {
    match turn {
        Some(turn) => {
            let keys: Vec<Option<&TextDigest>> = digests
                .iter()
                .enumerate()
                .map(|(i, d)| d.as_ref().filter(|_| candidate(i)))
                .collect();
            turn.take(&keys)
        }
        None => vec![false; digests.len()],
    }
}

/// What a worker makes of one unit.
fn work(engine: &Engine<'_>, unit: Unit) -> Result<UnitOut> {
    // A unit with documents takes its turn once they are hashed ([`crate::dedup`]). The turn
    // is held from the start, so that a panic on the way still gives it up.
    let turn = match &unit {
        Unit::Files(_, n) | Unit::Documents { turn: n, .. } => engine.texts.map(|t| t.turn(*n)),
        Unit::Unwalkable(..) | Unit::CorpusEnd(_) => None,
    };
    let mut items = Vec::new();
    let mut read_to = None;
    let mut records = Vec::new();
    let mut mention_rows = MentionsBuilder::default();
    let mut facts = Vec::new();
    let mut extract = Duration::ZERO;
    let started = Instant::now();
    match unit {
        Unit::Files(sources, _) => {
            let specs: Vec<SourceSpec> = sources.iter().map(|s| s.spec.clone()).collect();
            let extracted = chiso_extract::extract_all(&specs, engine.extract);
            let digests: Vec<Option<TextDigest>> = extracted
                .iter()
                .map(|r| {
                    r.as_ref()
                        .ok()
                        .and_then(|ex| TextDigest::of(&ex.document.text))
                })
                .collect();
            extract = started.elapsed();
            // A source with a table mapping gives rows from its tables, which its text does
            // not hold: it is never set aside.
            let set_aside = duplicates(turn, &digests, |i| {
                engine.mapping(sources[i].declared).is_none()
            });
            for (((source, result), digest), set_aside) in sources
                .into_iter()
                .zip(extracted)
                .zip(digests)
                .zip(set_aside)
            {
                let mut done = crate::run::transform_source(
                    &source.spec,
                    engine.mapping(source.declared),
                    engine.linker,
                    result,
                    digest.map(|d| (d, set_aside)),
                );
                if let Ok((doc, t)) = &mut done.outcome {
                    // Nothing after the transform reads the text, nor after the rows the
                    // transform, but the report: freed here, the text before the rows are
                    // built, rather than when the sink gets to the unit (which waits for the
                    // units before it).
                    let keep = engine.keep_documents.load(Ordering::Relaxed);
                    if !keep {
                        doc.text = String::new();
                    }
                    add_rows(engine, &source.spec.id, t, &mut mention_rows, &mut facts)?;
                    // The report reads the unit's rows, not the transform's.
                    move_rows(&mut records, &mut t.records);
                    if !keep {
                        *t = Transformed::default();
                    }
                }
                records.extend(done.table_rows);
                items.push(Item::Source(SourceOutcome {
                    source,
                    entry: done.entry,
                    outcome: done.outcome,
                }));
            }
        }
        Unit::Unwalkable(source, e) => {
            let done =
                crate::run::transform_source(&source.spec, None, engine.linker, Err(e), None);
            items.push(Item::Source(SourceOutcome {
                source,
                entry: done.entry,
                outcome: done.outcome,
            }));
        }
        Unit::Documents {
            corpus,
            format,
            records: docs,
            read_to: at,
            turn: _,
        } => {
            let spec = &corpus.spec;
            let corpus_origin = origin(spec);
            // A document's entry names its corpus.
            let of_corpus = |entry: SourceEntry| SourceEntry {
                kind: SourceKind::Document,
                corpus_id: Some(spec.id.clone()),
                ..entry
            };
            // Every document is read and hashed before the unit's turn, then transformed.
            let mut read = Vec::with_capacity(docs.len());
            let mut digests = Vec::with_capacity(docs.len());
            for record in docs {
                let t0 = Instant::now();
                // A document that cannot be read is an entry of its own: its own id and origin
                // when its record was read (a bad date, a place chiso does not know), else its
                // corpus's id and `<origin>:<line or row>`.
                let failed = |id: &str, origin: &str, e: String| {
                    Box::new(of_corpus(SourceEntry {
                        id: id.to_owned(),
                        origin: origin.to_owned(),
                        status: SourceStatus::Failed,
                        error: Some(e),
                        ..SourceEntry::default()
                    }))
                };
                // A date or place that cannot be read is a warning: the document is read
                // without it rather than lost.
                let doc = match record {
                    Ok(r) => corpus_document(engine.linker, spec, &corpus_origin, format, r)
                        .map_err(|f| failed(&f.1, &f.2, f.0.to_string())),
                    Err(e) => {
                        let origin = match e.corpus_position() {
                            Some(at) => format!("{corpus_origin}:{at}"),
                            None => corpus_origin.clone(),
                        };
                        Err(failed(&spec.id, &origin, e.to_string()))
                    }
                };
                digests.push(doc.as_ref().ok().and_then(|(d, _)| TextDigest::of(&d.text)));
                read.push(doc);
                extract += t0.elapsed();
            }
            let set_aside = duplicates(turn, &digests, |_| true);
            for ((doc, digest), set_aside) in read.into_iter().zip(digests).zip(set_aside) {
                let (outcome, kept) = match (doc, digest) {
                    (Ok((doc, warnings)), Some(digest)) if set_aside => {
                        let entry = of_corpus(SourceEntry {
                            warnings,
                            ..crate::run::duplicate_entry(&doc, &digest)
                        });
                        (Ok(entry), None)
                    }
                    (Ok((doc, warnings)), digest) => {
                        let mut t = engine.linker.transform(&doc);
                        add_rows(engine, &doc.source_id, &t, &mut mention_rows, &mut facts)?;
                        let summary = of_corpus(SourceEntry {
                            text_sha256: digest.map(|d| d.hex),
                            warnings,
                            ..crate::run::document_entry(&doc, &t)
                        });
                        move_rows(&mut records, &mut t.records);
                        let keep = engine.keep_documents.load(Ordering::Relaxed);
                        (Ok(summary), keep.then_some((doc, t)))
                    }
                    (Err(e), _) => (Err(e), None),
                };
                items.push(Item::Document {
                    corpus: Arc::clone(&corpus),
                    outcome,
                    kept,
                });
            }
            read_to = Some((corpus, at));
        }
        Unit::CorpusEnd(end) => items.push(Item::CorpusEnd(end)),
    }
    let indicators = chiso_load::indicators_batch(&records)?;
    let mentions = mention_rows.finish()?;
    let t = Instant::now();
    let checked = engine.validator.map(|v| v.check(&records, &facts));
    let validate = t.elapsed();
    let summary = RowSummary::of(&records);
    if !engine.keep_records && !engine.keep_documents.load(Ordering::Relaxed) {
        records = Vec::new();
    }
    Ok(UnitOut {
        items,
        read_to,
        records,
        summary,
        checked,
        indicators,
        mentions,
        extract,
        validate,
        transform: started
            .elapsed()
            .saturating_sub(extract)
            .saturating_sub(validate),
    })
}

/// Moves `from`'s rows to the end of `into`: the vector itself when `into` has none yet (the
/// first document of a unit to give rows; a long document's are tens of megabytes).
fn move_rows(into: &mut Vec<IndicatorRecord>, from: &mut Vec<IndicatorRecord>) {
    if into.is_empty() {
        std::mem::swap(into, from);
    } else {
        into.append(from);
    }
}

/// The document of a record of corpus `corpus` (of `format`, at `origin`), and what a person
/// should look at: a date or a place that could not be read and was left out. `run` and
/// `chiso extract` read corpora through here.
pub(crate) fn corpus_document(
    linker: &Linker,
    corpus: &SourceSpec,
    origin: &str,
    format: CorpusFormat,
    record: CorpusRecord,
) -> std::result::Result<(Document, Vec<String>), Box<chiso_extract::Unread>> {
    let (mut doc, mut warnings) = record.into_named_document(corpus, origin, format)?;
    warnings.extend(resolve_geo(linker, &mut doc, corpus));
    Ok((doc, warnings))
}

/// A document's `geo` is kept as the place's code, whichever way it was written ("Yên Bái"); one
/// that is not a place chiso knows is a warning, and the document is read with its corpus's
/// place instead.
fn resolve_geo(linker: &Linker, doc: &mut Document, corpus: &SourceSpec) -> Option<String> {
    let geo = doc.meta.geo.as_mut()?;
    match linker.gazetteer().code_of(geo) {
        Ok(code) => {
            if geo != code {
                *geo = code.to_owned();
            }
            None
        }
        Err(why) => {
            let instead = match &corpus.geo {
                Some(code) => format!("the source's place, {code}"),
                None => "no place".to_owned(),
            };
            doc.meta.geo = corpus.geo.clone();
            Some(format!("geo {why}; read with {instead}"))
        }
    }
}

fn add_rows(
    engine: &Engine<'_>,
    source_id: &str,
    t: &Transformed,
    mention_rows: &mut MentionsBuilder,
    facts: &mut Vec<MentionFact>,
) -> Result<()> {
    if engine.facts {
        facts.extend(crate::run::mention_facts(source_id, t));
    }
    if !engine.mention_rows {
        return Ok(());
    }
    if mention_rows.is_empty() && !t.mentions.is_empty() {
        // Sized by the unit's first document with numbers, so that a long document's columns
        // are built without doubling as they fill. Its sentences are counted once for their
        // run of mentions, whole (a long one's quotes are windows: the size is then a guess).
        *mention_rows = MentionsBuilder::with_capacity(
            t.mentions.len(),
            t.mentions.iter().map(|m| m.bytes.end - m.bytes.start).sum(),
            chiso_load::run_bytes(
                t.links
                    .iter()
                    .map(|l| (l.sentence, t.sentences[l.sentence].len())),
            ),
        );
    }
    for lm in t.linked() {
        mention_rows.append(
            source_id,
            lm.mention,
            t.mention_text(&lm),
            lm.indicator,
            &t.quote_ref(&lm),
        )?;
    }
    Ok(())
}

/// Worker threads: `--threads`, else `CHISO_THREADS`, else every core.
pub fn threads(flag: Option<usize>) -> Result<usize> {
    if let Some(n) = flag {
        anyhow::ensure!(n > 0, "--threads must be at least 1");
        return Ok(n);
    }
    match std::env::var("CHISO_THREADS") {
        Ok(v) => {
            let n: usize = v.trim().parse().ok().filter(|&n| n > 0).with_context(|| {
                format!("CHISO_THREADS={v:?} is not a number of threads (1 or more)")
            })?;
            Ok(n)
        }
        Err(_) => Ok(std::thread::available_parallelism().map_or(1, usize::from)),
    }
}

/// The path of a corpus spec, for messages.
pub fn origin(spec: &SourceSpec) -> String {
    match &spec.location {
        Location::Path(p) => p.display().to_string(),
        Location::Url(u) => u.clone(),
    }
}
