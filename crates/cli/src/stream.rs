//! The streaming engine of `chiso run`: sources and corpus documents flow through extract and
//! transform in bounded units on every core, and on to Parquet in input order.
//!
//! One reader thread walks the sources in pipeline order and cuts them into *units*: up to
//! [`FILES_PER_UNIT`] file or URL sources, or up to [`UNIT_TEXT_BYTES`] of a corpus file's
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
//! same batches, the same row groups, the same bytes, with one thread or many.

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
use chiso_model::{Document, IndicatorRecord, TableMapping};
use chiso_transform::link::{Linker, Transformed};
use chiso_validate::{Checked, MentionFact, Validator};

/// File or URL sources per unit.
pub const FILES_PER_UNIT: usize = 16;
/// Text per corpus unit (bytes as stored); a unit holds at least one document.
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
    /// Whether workers hand on each corpus document and its transform (for the report); the
    /// sink clears it when it gives the report up, and from then on workers free them
    /// themselves, on all cores, instead of the sink on one. The report needs the indicator
    /// rows too.
    pub keep_documents: &'a AtomicBool,
    /// Whether workers hand on the indicator rows whatever the report needs (`--dataset`).
    pub keep_records: bool,
    /// Where corpora at URLs show their downloads and, once fetched, their sizes.
    pub downloads: crate::progress::Downloads,
}

/// Which declared source (a `[[sources]]` of the pipeline) each source came from: a directory
/// of a million files is a million sources of one declared source, whose id, table mapping and
/// corpus fields they share (four bytes each, not a copy of those).
#[derive(Debug, Default)]
pub struct Declared<'a> {
    /// By source: the index of its declared source.
    of: Vec<u32>,
    /// By declared source: its id and how many sources it expanded to.
    sources: Vec<(&'a str, usize)>,
}

impl<'a> Declared<'a> {
    /// The declared source `id` expanded to `files` sources, which follow the ones before.
    pub fn push(&mut self, id: &'a str, files: usize) -> Result<()> {
        let index = u32::try_from(self.sources.len()).context("more than 2^32 declared sources")?;
        self.of.extend(std::iter::repeat_n(index, files));
        self.sources.push((id, files));
        Ok(())
    }

    /// The index of the declared source source `index` came from.
    pub fn index(&self, source: usize) -> Option<usize> {
        self.of.get(source).map(|&d| d as usize)
    }

    /// The id of the declared source source `index` came from ("" for no such source).
    pub fn id(&self, source: usize) -> &'a str {
        self.index(source)
            .and_then(|d| self.sources.get(d))
            .map_or("", |&(id, _)| id)
    }

    /// How many sources the declared source of source `index` expanded to.
    pub fn files(&self, source: usize) -> usize {
        self.index(source)
            .and_then(|d| self.sources.get(d))
            .map_or(1, |&(_, n)| n)
    }
}

impl Engine<'_> {
    /// The table mapping of source `index`.
    fn mapping(&self, index: usize) -> Option<&TableMapping> {
        self.mappings.get(self.declared.index(index)?)?.as_ref()
    }

    /// The corpus field names of source `index`.
    fn columns(&self, index: usize) -> Cow<'_, CorpusColumns> {
        match self.declared.index(index).and_then(|d| self.columns.get(d)) {
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
    /// File or URL sources (indices into the specs).
    Files(Vec<usize>),
    /// Documents of the corpus source `corpus` (of `format`), read up to byte `read_to` of its
    /// file.
    Documents {
        corpus: usize,
        format: CorpusFormat,
        records: Vec<chiso_extract::Result<CorpusRecord>>,
        read_to: u64,
    },
    /// A corpus source is read to its end (or could not be fetched or opened).
    CorpusEnd(CorpusEnd),
}

/// The end of a corpus source.
pub struct CorpusEnd {
    /// Index of the corpus source in the specs.
    pub corpus: usize,
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
        corpus: usize,
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
        /// Index of the corpus source in the specs.
        corpus: usize,
        /// What the document gave, or why it could not be read.
        outcome: std::result::Result<DocumentSummary, String>,
        /// The document and its transform (without its rows), while the sink keeps documents
        /// for the report ([`Engine::keep_documents`]).
        kept: Option<(Document, Transformed)>,
    },
    /// The end of a corpus source: the file's hash, or why it could not be read.
    CorpusEnd(CorpusEnd),
}

/// What one corpus document gave.
pub struct DocumentSummary {
    /// Its id.
    pub source_id: String,
    /// Its url, else `<path>:<line or row>`.
    pub origin: String,
    /// Bytes of text as stored.
    pub bytes: u64,
    /// Sentences kept.
    pub sentences: usize,
    /// Mentions found.
    pub mentions: usize,
    /// Indicator rows.
    pub rows: usize,
}

/// A file or URL source, transformed.
pub struct SourceOutcome {
    /// Index in the specs.
    pub index: usize,
    /// The path or URL.
    pub origin: String,
    /// What run.json says about it.
    pub report: serde_json::Value,
    /// What it gave, or why it failed.
    pub outcome: std::result::Result<(Document, Transformed), String>,
}

/// A finished unit, handed to the sink in input order.
pub struct UnitOut {
    /// Its sources and documents, in order. Their transforms keep the sentences and mentions
    /// (for the report); the sink drops what it does not keep.
    pub items: Vec<Item>,
    /// For a unit of corpus documents, its corpus (index in the specs) and how far into the
    /// corpus file reading had come when the unit was cut (for progress).
    pub read_to: Option<(usize, u64)>,
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
pub fn run(engine: &Engine<'_>, specs: &[SourceSpec], sink: &mut dyn UnitSink) -> Result<Duration> {
    anyhow::ensure!(
        engine.declared.of.len() == specs.len(),
        "{} sources but {} with a declared source",
        specs.len(),
        engine.declared.of.len()
    );
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
        let reader = scope.spawn(move || read_units(engine, specs, &work_tx, &credit_rx));
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
                    let out = work(engine, specs, unit);
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
    specs: &[SourceSpec],
    work: &SyncSender<(u64, Unit)>,
    credits: &Receiver<()>,
) -> Result<Duration> {
    let urls: Vec<usize> = (0..specs.len())
        .filter(|&i| {
            matches!(specs[i].location, Location::Url(_)) && corpus_format(&specs[i]).is_some()
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
            for index in urls {
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                let spec = &specs[index];
                tracing::info!(source_id = %spec.id, url = %origin(spec), "fetching the corpus");
                let fetched = match fetcher.get_or_insert_with(|| CorpusFetcher::new(engine.extract)) {
                    Ok(fetcher) => {
                        let line = engine.downloads.start(index, &spec.id);
                        fetcher.fetch(spec, stop, &|at| line.update(at))
                    }
                    Err(reason) => Err(chiso_extract::Error::Runtime {
                        source_id: spec.id.clone(),
                        reason: reason.clone(),
                    }),
                };
                if let Ok(f) = &fetched {
                    tracing::info!(source_id = %spec.id, bytes = f.fetch.bytes, from_cache = f.fetch.from_cache, "corpus fetched");
                    engine.downloads.sized(index, f.fetch.bytes);
                }
                if downloaded.send((index, fetched)).is_err() {
                    return; // the reading stopped
                }
            }
        });
        let read = read_in_order(engine, specs, work, credits, &downloads);
        stop.store(true, Ordering::Relaxed);
        read
    })
}

/// A corpus fetched from a URL (or why not), by the index of its source.
type Download = (usize, chiso_extract::Result<chiso_extract::FetchedFile>);

/// [`read_units`] once the corpora at URLs come from `downloads`, in order.
fn read_in_order(
    engine: &Engine<'_>,
    specs: &[SourceSpec],
    work: &SyncSender<(u64, Unit)>,
    credits: &Receiver<()>,
    downloads: &Receiver<Download>,
) -> Result<Duration> {
    let mut seq = 0u64;
    let mut reading = Duration::ZERO;
    // False when the sink has stopped: nothing more is read.
    let mut send = |unit: Unit| -> bool {
        if credits.recv().is_err() {
            return false;
        }
        let ok = work.send((seq, unit)).is_ok();
        seq += 1;
        ok
    };
    let mut files = Vec::new();
    for (index, spec) in specs.iter().enumerate() {
        let Some(format) = corpus_format(spec) else {
            files.push(index);
            if files.len() == FILES_PER_UNIT && !send(Unit::Files(std::mem::take(&mut files))) {
                return Ok(reading);
            }
            continue;
        };
        if !files.is_empty() && !send(Unit::Files(std::mem::take(&mut files))) {
            return Ok(reading);
        }
        let started = Instant::now();
        // A corpus at a URL is downloaded (through the cache) and read as a local file.
        let fetched = match &spec.location {
            Location::Path(_) => None,
            Location::Url(_) => {
                let outcome = match downloads.recv() {
                    Ok((i, Ok(f))) if i == index => Ok(f),
                    Ok((i, Err(e))) if i == index => Err(e.to_string()),
                    _ => Err(format!(
                        "source {}: {}: the download thread stopped",
                        spec.id,
                        origin(spec)
                    )),
                };
                match outcome {
                    Ok(f) => Some(f),
                    Err(e) => {
                        reading += started.elapsed();
                        if !send(Unit::CorpusEnd(CorpusEnd::new(index, Err(e), None))) {
                            return Ok(reading);
                        }
                        continue;
                    }
                }
            }
        };
        let path = match (&spec.location, &fetched) {
            (_, Some(f)) => f.path(),
            (Location::Path(p), None) => p.as_path(),
            // A corpus URL that could not be fetched has ended above.
            (Location::Url(_), None) => continue,
        };
        let opened = CorpusReader::open_as(
            &spec.id,
            path,
            &origin(spec),
            format,
            &engine.columns(index),
            engine.extract.max_bytes,
        );
        let mut reader = match opened {
            Ok(r) => r,
            Err(e) => {
                reading += started.elapsed();
                // A corpus fetched but not readable (a page where a file was expected) keeps
                // its fetch in run.json.
                let end = CorpusEnd::new(index, Err(e.to_string()), fetched);
                if !send(Unit::CorpusEnd(end)) {
                    return Ok(reading);
                }
                continue;
            }
        };
        let mut records = Vec::new();
        let mut bytes = 0usize;
        let mut started = Instant::now();
        while let Some(record) = reader.next() {
            bytes += record.as_ref().map_or(0, |r| r.text.len());
            records.push(record);
            if bytes >= UNIT_TEXT_BYTES || records.len() >= UNIT_DOCUMENTS {
                reading += started.elapsed();
                let unit = Unit::Documents {
                    corpus: index,
                    format,
                    records: std::mem::take(&mut records),
                    read_to: reader.bytes_read(),
                };
                if !send(unit) {
                    return Ok(reading);
                }
                bytes = 0;
                started = Instant::now();
            }
        }
        let read_to = reader.bytes_read();
        let digest = reader.finish().map_err(|e| e.to_string());
        reading += started.elapsed();
        if !records.is_empty()
            && !send(Unit::Documents {
                corpus: index,
                format,
                records,
                read_to,
            })
        {
            return Ok(reading);
        }
        if !send(Unit::CorpusEnd(CorpusEnd::new(index, digest, fetched))) {
            return Ok(reading);
        }
    }
    if !files.is_empty() {
        send(Unit::Files(files));
    }
    Ok(reading)
}

/// What a worker makes of one unit.
fn work(engine: &Engine<'_>, specs: &[SourceSpec], unit: Unit) -> Result<UnitOut> {
    let mut items = Vec::new();
    let mut read_to = None;
    let mut records = Vec::new();
    let mut mention_rows = MentionsBuilder::default();
    let mut facts = Vec::new();
    let mut extract = Duration::ZERO;
    let started = Instant::now();
    match unit {
        Unit::Files(indices) => {
            let unit_specs: Vec<SourceSpec> = indices.iter().map(|&i| specs[i].clone()).collect();
            let extracted = chiso_extract::extract_all(&unit_specs, engine.extract);
            extract = started.elapsed();
            for (&index, result) in indices.iter().zip(extracted) {
                let source = crate::run::transform_source(
                    &specs[index],
                    engine.mapping(index),
                    engine.linker,
                    result,
                );
                if let Ok((_, t)) = &source.outcome {
                    let id = &specs[index].id;
                    add_rows(engine, id, t, &mut mention_rows, &mut facts)?;
                    records.extend(t.records.iter().cloned());
                }
                records.extend(source.table_rows);
                items.push(Item::Source(SourceOutcome {
                    index,
                    origin: source.origin,
                    report: source.report,
                    outcome: source.outcome,
                }));
            }
        }
        Unit::Documents {
            corpus,
            format,
            records: docs,
            read_to: at,
        } => {
            read_to = Some((corpus, at));
            let spec = &specs[corpus];
            let corpus_origin = origin(spec);
            for record in docs {
                let t0 = Instant::now();
                let doc = record
                    .and_then(|r| r.into_document(spec, &corpus_origin, format))
                    .map_err(|e| e.to_string())
                    .and_then(|doc| check_geo(engine.linker, doc));
                extract += t0.elapsed();
                let (outcome, kept) = match doc {
                    Ok(doc) => {
                        let mut t = engine.linker.transform(&doc);
                        add_rows(engine, &doc.source_id, &t, &mut mention_rows, &mut facts)?;
                        let summary = DocumentSummary {
                            source_id: doc.source_id.clone(),
                            origin: doc.meta.origin.clone(),
                            bytes: doc.meta.bytes,
                            sentences: t.sentences.len(),
                            mentions: t.mentions.len(),
                            rows: t.records.len(),
                        };
                        records.append(&mut t.records);
                        let keep = engine.keep_documents.load(Ordering::Relaxed);
                        (Ok(summary), keep.then_some((doc, t)))
                    }
                    Err(e) => (Err(e), None),
                };
                items.push(Item::Document {
                    corpus,
                    outcome,
                    kept,
                });
            }
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

/// A document's `geo` must be a place chiso knows, as a source's must.
fn check_geo(linker: &Linker, doc: Document) -> std::result::Result<Document, String> {
    match &doc.meta.geo {
        Some(code) if linker.gazetteer().resolve(code, None).is_none() => Err(format!(
            "document {}: geo {code:?} is not a place chiso knows: use an ISO 3166-2:VN code such as \"VN-02\", or \"VN\"",
            doc.source_id
        )),
        _ => Ok(doc),
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
    for lm in &t.mentions {
        mention_rows.append(
            source_id,
            &lm.mention,
            lm.indicator.as_deref(),
            &t.quote_ref(lm),
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
