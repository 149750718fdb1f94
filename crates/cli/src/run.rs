//! `chiso run` and `chiso check`.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result};
use chiso_extract::{ExtractOptions, Location};
use chiso_load::{FileMeta, Staging, WriterThread};
use chiso_model::{
    IndicatorRecord, RuleResult, Severity, SourceEntry, SourceKind, SourceStatus, Status,
};
use chiso_transform::catalogue::Catalogue;
use chiso_transform::gazetteer::Gazetteer;
use chiso_transform::link::{Linker, Transformed};
use chiso_validate::{EvalContext, MentionFact, RuleSet};
use serde_json::json;
use tracing::{debug, error, info, warn};

use crate::config::Pipeline;
use crate::{EXIT_CONFIG, EXIT_OK, EXIT_RULE_FAILED, EXIT_SOURCE_FAILED, truncate};

/// Everything a pipeline needs before it touches data: the pipeline, its rules and the linker.
pub struct Prepared {
    pub pipeline: Pipeline,
    pub rules: Option<RuleSet>,
    pub linker: Linker,
}

/// Loads and checks a pipeline, its rules and its catalogue and gazetteer extensions.
pub fn prepare(path: &Path) -> Result<Prepared> {
    let mut pipeline = Pipeline::load(path)?;
    let mut catalogue = Catalogue::builtin();
    if let Some(ext) = &pipeline.catalogue_extension {
        let text = std::fs::read_to_string(ext)
            .with_context(|| format!("cannot read catalogue extension {}", ext.display()))?;
        catalogue.extend_from_str(&text, &ext.display().to_string())?;
    }
    let mut gazetteer = Gazetteer::builtin();
    if let Some(ext) = &pipeline.gazetteer_extension {
        let text = std::fs::read_to_string(ext)
            .with_context(|| format!("cannot read gazetteer extension {}", ext.display()))?;
        gazetteer.extend_from_str(&text, &ext.display().to_string())?;
        // A source's place may be one of the extension's: kept as its code too.
        for spec in &mut pipeline.sources {
            if let Some(geo) = &mut spec.geo {
                match gazetteer.code_of(geo) {
                    Ok(code) => *geo = code.to_owned(),
                    Err(why) => anyhow::bail!(
                        "{}: source {}: geo {why} (the gazetteer extension {} has none such either)",
                        pipeline.file.display(),
                        spec.id,
                        ext.display()
                    ),
                }
            }
        }
    }
    for (spec, mapping) in pipeline.sources.iter().zip(&pipeline.tables) {
        if let Some(m) = mapping {
            chiso_transform::tables::check_mapping(m, &catalogue, &gazetteer)
                .with_context(|| format!("{}: source {}", pipeline.file.display(), spec.id))?;
        }
    }
    let rules = match &pipeline.rules {
        Some(r) => Some(read_rules(r, &catalogue, &gazetteer)?),
        None => None,
    };
    Ok(Prepared {
        pipeline,
        rules,
        linker: Linker::new(catalogue, gazetteer),
    })
}

/// A pipeline's rules file, whose selections may name the indicators of its catalogue and the
/// places of its gazetteer, by the code rows hold (a place written by its name is told its code).
fn read_rules(path: &Path, catalogue: &Catalogue, gazetteer: &Gazetteer) -> Result<RuleSet> {
    let indicator = |id: &str| match catalogue.get(id) {
        Some(_) => Ok(()),
        None => {
            let ids = catalogue.indicators().iter().map(|i| i.id.as_str());
            Err(match chiso_model::suggest::closest(id, ids.clone()) {
                Some(near) => {
                    format!("{id:?} is not an indicator of the catalogue; did you mean {near:?}?")
                }
                None => format!(
                    "{id:?} is not an indicator of the catalogue; its indicators: {}",
                    ids.collect::<Vec<_>>().join(", ")
                ),
            })
        }
    };
    // Any code a row's geo_code can hold: a province's, the country's, or a region's (a
    // source about a region gives its rows the region's code).
    let geo = |code: &str| {
        if gazetteer.places().iter().any(|p| p.code == code) {
            return Ok(());
        }
        // An id ("VN-02-2025") or a name: told the code to write.
        let meant = match gazetteer.place(code) {
            Some(p) => Ok(p.code.as_str()),
            None => gazetteer.code_of(code),
        };
        Err(match meant {
            Ok(meant) => format!("rows name places by their code: write {meant:?} for {code:?}"),
            Err(why) => why,
        })
    };
    let terms = chiso_validate::Terms {
        indicator: &indicator,
        geo: &geo,
    };
    RuleSet::from_path_with(path, &terms).map_err(anyhow::Error::new)
}

/// `chiso check`: structural checks of pipeline and rule files, no source is read.
pub fn check(paths: &[PathBuf]) -> Result<u8> {
    let mut failed = false;
    for path in paths {
        match prepare(path) {
            Ok(p) => {
                let missing: Vec<_> = p
                    .pipeline
                    .sources
                    .iter()
                    .filter_map(|s| match &s.location {
                        Location::Path(f) if !f.exists() => {
                            Some(format!("{} ({})", s.id, f.display()))
                        }
                        _ => None,
                    })
                    .collect();
                for m in &missing {
                    warn!(source = %m, "source file does not exist yet");
                }
                println!(
                    "ok: {} ({} sources, {} rules)",
                    path.display(),
                    p.pipeline.sources.len(),
                    p.rules.as_ref().map_or(0, RuleSet::len)
                );
            }
            Err(e) => {
                failed = true;
                crate::fail(&crate::error_text(&e));
            }
        }
    }
    Ok(if failed { EXIT_CONFIG } else { EXIT_OK })
}

/// The validation context: ranking-group sizes and place-name resolution from the gazetteer.
pub fn eval_context(gazetteer: &Gazetteer, base_dir: PathBuf) -> EvalContext {
    let shared = Arc::new(gazetteer.clone());
    let resolver = Arc::clone(&shared);
    EvalContext {
        group_sizes: shared.group_sizes(),
        resolve_place: Some(Box::new(move |name: &str| {
            resolver.resolve(name, None).map(|p| p.code.clone())
        })),
        base_dir,
    }
}

/// Mention facts for rules that look at counts and multipliers. The mentions of one sentence
/// share its text (a quote cut around a long sentence's number is its own).
pub fn mention_facts(source_id: &str, t: &Transformed) -> Vec<MentionFact> {
    let mut whole: Option<(usize, Arc<str>)> = None;
    t.linked()
        .map(|lm| {
            let sentence = match t.quote_ref(&lm) {
                Cow::Borrowed(s) => match &whole {
                    Some((i, text)) if *i == lm.sentence => Arc::clone(text),
                    _ => Arc::clone(&whole.insert((lm.sentence, Arc::from(s))).1),
                },
                Cow::Owned(cut) => Arc::from(cut),
            };
            MentionFact {
                source_id: source_id.to_owned(),
                kind: lm.mention.kind.as_str().to_owned(),
                value_low: lm.mention.value_low,
                value_high: lm.mention.value_high,
                unit: lm.mention.unit.map(|u| u.as_str().to_owned()),
                counted_noun: lm.mention.counted_noun.as_deref().map(str::to_owned),
                comparator: lm.mention.comparator.as_str().to_owned(),
                sentence,
                char_start: lm.mention.span.start as i64,
                indicator: lm.indicator.map(str::to_owned),
            }
        })
        .collect()
}

/// What `chiso run` was asked to do besides running the pipelines.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Output directory; only with one pipeline (default: `output/<pipeline name>`).
    pub out: Option<PathBuf>,
    /// The shared Hive-partitioned dataset every pipeline's indicator rows go to.
    pub dataset: Option<PathBuf>,
    /// Exit 1 when a rule of severity `warn` fails, too.
    pub fail_on_warn: bool,
    /// Where fetched URL bodies are cached (default `output/.cache`).
    pub cache: Option<PathBuf>,
    /// Read URL sources from the cache only.
    pub offline: bool,
    /// Do not write report.html.
    pub no_report: bool,
    /// Do not write mentions.parquet (and remove one an earlier run left).
    pub no_mentions: bool,
    /// `-q`: no progress bar.
    pub quiet: bool,
    /// Worker threads (default: `CHISO_THREADS`, else every core).
    pub threads: Option<usize>,
}

/// Above this much source text the HTML report is not written (it would embed it all, and the
/// run would have to hold every document until the end).
const REPORT_MAX_TEXT_BYTES: usize = 16 << 20;
/// Above this many sources (and corpus documents) the HTML report is not written either: a
/// tree of empty or failing files would otherwise be kept one entry a file.
const REPORT_MAX_SOURCES: usize = 10_000;

/// `chiso run`: every pipeline is loaded and checked before any is run, so a configuration
/// error writes nothing. The exit code is the most serious of the pipelines' codes: a failed
/// source (3) over a failed rule (1) over success (0).
pub fn run(paths: &[PathBuf], opts: &RunOptions) -> Result<u8> {
    if opts.out.is_some() && paths.len() > 1 {
        crate::fail(&format!(
            "--out names the output of one pipeline; with {} pipelines each writes to output/<name> (use --dataset DIR to gather their rows)",
            paths.len()
        ));
        return Ok(EXIT_CONFIG);
    }
    let mut prepared = Vec::with_capacity(paths.len());
    for path in paths {
        match prepare(path) {
            Ok(p) => prepared.push(p),
            Err(e) => {
                crate::fail(&crate::error_text(&e));
                return Ok(EXIT_CONFIG);
            }
        }
    }
    let out_dir = |p: &Prepared| {
        opts.out
            .clone()
            .unwrap_or_else(|| PathBuf::from("output").join(&p.pipeline.name))
    };
    let checked = check_names(&prepared, opts.dataset.as_deref()).and_then(|()| {
        prepared
            .iter()
            .try_for_each(|p| check_directories(p, &out_dir(p), opts.dataset.as_deref()))
    });
    if let Err(e) = checked {
        crate::fail(&crate::error_text(&e));
        return Ok(EXIT_CONFIG);
    }
    let mut codes = Vec::with_capacity(prepared.len());
    for p in prepared {
        let out = out_dir(&p);
        codes.push(run_pipeline(p, &out, opts)?);
    }
    Ok(combine_exit_codes(&codes))
}

/// Two pipelines of one run may not share a name (they would share an output directory and
/// dataset files), and a dataset refuses a name another pipeline file already writes.
fn check_names(prepared: &[Prepared], dataset: Option<&Path>) -> Result<()> {
    let mut seen: HashMap<&str, &Path> = HashMap::new();
    for p in prepared {
        let (name, file) = (p.pipeline.name.as_str(), p.pipeline.file.as_path());
        if let Some(first) = seen.insert(name, file) {
            if resolved(first) == resolved(file) {
                anyhow::bail!("{} is given twice: run it once", file.display());
            }
            anyhow::bail!(
                "{} and {} are both named `{name}`: their outputs would overwrite each other; give one another `name`",
                first.display(),
                file.display()
            );
        }
        if let Some(dir) = dataset {
            chiso_load::check_dataset_owner(dir, name, file)?;
        }
    }
    Ok(())
}

/// A pipeline's output directory may not be its dataset's, nor hold it or lie in it (the
/// dataset's readers would read the output files as partitions), and neither may hold files a
/// directory or glob of its sources would read (the next run would read its own output as
/// sources).
fn check_directories(p: &Prepared, out: &Path, dataset: Option<&Path>) -> Result<()> {
    let out_at = resolved(out);
    if let Some(dataset) = dataset {
        let dataset_at = resolved(dataset);
        if out_at.starts_with(&dataset_at) || dataset_at.starts_with(&out_at) {
            anyhow::bail!(
                "the output directory {} and the dataset {} overlap: readers of the dataset would \
                 take the output's files for partitions; give them separate directories",
                out.display(),
                dataset.display()
            );
        }
    }
    let mut outputs: Vec<PathBuf> = OUTPUT_FILES.iter().map(|f| out_at.join(f)).collect();
    if let Some(dataset) = dataset {
        // What a dataset file is named like.
        let name = format!("{}.parquet", p.pipeline.name);
        outputs.push(resolved(dataset).join("indicator=x").join(name));
    }
    for spec in &p.pipeline.sources {
        if let Some(file) = outputs
            .iter()
            .find(|f| chiso_extract::walk_reaches(spec, f, &resolved))
        {
            anyhow::bail!(
                "{}: source {} would read {} and the other files this run writes there: the \
                 next run would read its own output; write it elsewhere (--out, --dataset)",
                p.pipeline.file.display(),
                spec.id,
                file.display()
            );
        }
    }
    Ok(())
}

/// The files a run writes in its output directory.
const OUTPUT_FILES: [&str; 7] = [
    "indicators.parquet",
    "mentions.parquet",
    "sources.parquet",
    "validation.parquet",
    "datapackage.json",
    "run.json",
    "report.html",
];

/// `path` made absolute with symbolic links resolved as far as it exists, and `.` and `..`
/// taken out of the rest (an output directory may not exist yet).
fn resolved(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut clean = PathBuf::new();
    for c in absolute.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                clean.pop();
            }
            c => clean.push(c),
        }
    }
    let mut existing = clean.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            return rest.iter().rev().fold(real, |at, c| at.join(c));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => return clean,
        }
    }
}

/// The most serious exit code: a failed source, then a failed rule, then success.
fn combine_exit_codes(codes: &[u8]) -> u8 {
    [EXIT_SOURCE_FAILED, EXIT_RULE_FAILED]
        .into_iter()
        .find(|c| codes.contains(c))
        .unwrap_or(EXIT_OK)
}

/// Wall-clock milliseconds of each stage, for run.json. With streaming the stages overlap:
/// `extract`, `transform` and `validate` are summed over the worker threads (CPU time, not wall
/// time; `validate` adds the final merge of the rules' results), `stream` is the wall time of
/// the whole streamed part, `load` the time the in-order thread spent handing rows to the
/// threads that write the streamed files, waiting for them to finish, and writing the other
/// files.
#[derive(Default)]
struct Timings {
    extract: f64,
    transform: f64,
    stream: f64,
    validate: f64,
    load: f64,
}

fn millis(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1e3
}

/// One pipeline end to end: extract, transform, validate, load, summary.
fn run_pipeline(prepared: Prepared, out_dir: &Path, opts: &RunOptions) -> Result<u8> {
    let started = Instant::now();
    let Prepared {
        pipeline,
        rules,
        linker,
    } = prepared;
    info!(pipeline = %pipeline.name, sources = pipeline.sources.len(), "running pipeline");
    let mut timings = Timings::default();
    let threads = crate::stream::threads(opts.threads)?;

    // `path = "corpus/**/*.html"` and directories: one source per file. Each is walked here
    // to check it and count its files (and, for the bar, their bytes), and again as it is read.
    let counted = count_sources(
        &pipeline.sources,
        crate::progress::Progress::shown(opts.quiet),
    );
    let mut declared = crate::stream::Declared::default();
    for (spec, c) in pipeline.sources.iter().zip(&counted) {
        declared.push(spec, c.walked, c.files);
    }
    let mut extract_opts = ExtractOptions {
        cache_dir: Some(
            opts.cache
                .clone()
                .unwrap_or_else(|| PathBuf::from("output/.cache")),
        ),
        offline: opts.offline,
        ..ExtractOptions::default()
    };
    pipeline.limits.apply(&mut extract_opts);

    std::fs::create_dir_all(out_dir).with_context(|| {
        format!(
            "cannot create output directory {} (--out DIR writes elsewhere)",
            out_dir.display()
        )
    })?;
    let meta = FileMeta {
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
        pipeline_name: pipeline.name.clone(),
        pipeline_sha256: pipeline.sha256.clone(),
        inputs: Vec::new(),
    };
    let mut staging = Staging::new();
    let indicators = staging.stream(
        &out_dir.join("indicators.parquet"),
        chiso_load::indicators_schema(),
        chiso_load::INDICATORS_GROUP_ROWS,
        &meta,
    )?;
    let mentions = if opts.no_mentions {
        None
    } else {
        Some(staging.stream(
            &out_dir.join("mentions.parquet"),
            chiso_load::mentions_schema(),
            chiso_load::MENTIONS_GROUP_ROWS,
            &meta,
        )?)
    };
    let eval_ctx = rules.as_ref().map(|_| {
        let base = pipeline
            .rules
            .as_deref()
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .unwrap_or_default();
        eval_context(linker.gazetteer(), base)
    });
    let validator = rules
        .as_ref()
        .zip(eval_ctx.as_ref())
        .map(|(rules, ctx)| chiso_validate::Validator::new(rules, ctx));
    let keep_documents = std::sync::atomic::AtomicBool::new(!opts.no_report);
    let mut sink = PipelineSink {
        indicators: Some(WriterThread::spawn(indicators)?),
        mentions: mentions.map(WriterThread::spawn).transpose()?,
        writes_mentions: !opts.no_mentions,
        keep_read: !opts.no_report,
        keep_documents: Some(&keep_documents),
        progress: reading_progress(&counted, opts.quiet),
        sources: Some(crate::source_log::SourceLog::start(
            &mut staging,
            out_dir,
            &meta,
        )?),
        declared: Some(&declared),
        dataset: match opts.dataset.as_deref() {
            Some(dir) => Some(WriterThread::spawn(staging.dataset_writer(
                dir,
                &pipeline.file,
                &meta,
            )?)?),
            None => None,
        },
        ..PipelineSink::default()
    };
    let texts = crate::dedup::Texts::default();
    let engine = crate::stream::Engine {
        linker: &linker,
        extract: &extract_opts,
        declared: &declared,
        mappings: &pipeline.tables,
        columns: &pipeline.corpora,
        threads,
        validator: validator.as_ref(),
        facts: rules.as_ref().is_some_and(RuleSet::reads_mentions),
        mention_rows: !opts.no_mentions,
        keep_documents: &keep_documents,
        keep_records: opts.dataset.is_some(),
        downloads: sink.progress.downloads(),
        texts: (pipeline.duplicates == chiso_config::Duplicates::Skip).then_some(&texts),
    };
    let t = Instant::now();
    let reading = crate::stream::run(&engine, &mut sink)?;
    if let Some(log) = sink.sources.as_mut() {
        log.texts_not_remembered(texts.forgotten());
    }
    sink.log_files_read();
    sink.progress.finish();
    timings.stream = millis(t);
    timings.extract = (reading + sink.extract).as_secs_f64() * 1e3;
    timings.transform = sink.transform.as_secs_f64() * 1e3;

    let t = Instant::now();
    let evaluation = std::mem::take(&mut sink.evaluation);
    let results = validator.map_or_else(Vec::new, |v| v.finish(evaluation));
    timings.validate = millis(t) + sink.validate.as_secs_f64() * 1e3;

    let report = if sink.keep_read {
        report_html(&pipeline, &linker, &sink, &results)
    } else {
        None
    };
    let written = write_outputs(
        &pipeline,
        sink,
        &results,
        report.as_deref(),
        out_dir,
        opts.dataset.as_deref(),
        staging,
        &mut timings,
        started,
    )?;

    print_summary(
        &pipeline,
        written.tally.sources,
        &written.tally,
        &results,
        &written,
        started.elapsed().as_secs_f64(),
    );
    let blocking = results
        .iter()
        .filter(|r| matches!(r.status, Status::Fail | Status::Error))
        .filter(|r| r.severity == Severity::Error || opts.fail_on_warn)
        .count();
    Ok(if written.tally.failed + written.tally.partial > 0 {
        EXIT_SOURCE_FAILED
    } else if blocking > 0 {
        EXIT_RULE_FAILED
    } else {
        EXIT_OK
    })
}

/// Counts for the summary and run.json, gathered as units stream past.
#[derive(Default)]
struct Tally {
    /// Sources read (or failed), corpora counted once.
    sources: usize,
    rows: u64,
    mentions: u64,
    /// Sources not read at all: a corpus none of whose documents could be read is one.
    failed: usize,
    /// Corpora some of whose documents could not be read.
    partial: usize,
    /// Files, URLs and corpus documents set aside: their text came before.
    duplicates: u64,
    indicators: BTreeSet<String>,
    places: BTreeSet<String>,
    periods: HashSet<chiso_model::Period>,
}

/// What one corpus source has given so far.
#[derive(Default)]
struct CorpusTally {
    documents: u64,
    failed: u64,
    duplicates: u64,
    /// The first errors, with their line or row; the rest are counted.
    errors: Vec<String>,
    text_bytes: u64,
    sentences: u64,
    mentions: u64,
    rows: u64,
}

/// Errors listed per corpus in run.json; the rest are counted.
const CORPUS_ERRORS_LISTED: usize = 20;

/// A source (or corpus document) kept for the report: id, origin, and what it gave.
type ReadSource = (String, String, Kept);

/// What a source kept for the report gave.
enum Kept {
    /// Its document and transform, and what a person should look at (rows of a table skipped).
    Read(Box<(chiso_model::Document, Transformed)>, Vec<String>),
    /// Why it could not be read.
    Failed(String),
    /// Set aside: the hash of its text, which a source before it had.
    Duplicate(String),
}

impl Kept {
    /// A source read, with its `warnings`, or why it failed.
    fn of(
        outcome: Result<(chiso_model::Document, Transformed), String>,
        warnings: Vec<String>,
    ) -> Kept {
        match outcome {
            Ok(read) => Kept::Read(Box::new(read), warnings),
            Err(e) => Kept::Failed(e),
        }
    }
}

/// What counting a declared source found before the run.
struct Counted {
    /// Whether its path is a directory or glob.
    walked: bool,
    /// Its sources: 1, or its files.
    files: usize,
    /// Whether it is, or any of its files is, a corpus.
    corpus: bool,
    /// The bytes of its files, when asked for: `None` for a corpus at a URL (its size is
    /// known once it is fetched), 0 for a page or table at a URL (fetched by the workers, it is
    /// counted as a source done) and for a file that cannot be read (its source fails).
    bytes: Option<u64>,
}

impl Counted {
    /// A directory or glob that could not be walked (no file matches, an unreadable directory,
    /// two files with one id): walked again as it is read, it fails as a source of its own.
    const UNWALKABLE: Counted = Counted {
        walked: true,
        // The failed source it gives.
        files: 1,
        corpus: false,
        bytes: Some(0),
    };
}

/// Counts the sources of declared source `spec` (walking a directory or glob: an unreadable
/// directory, two files with one id or no file at all are errors) and, with `sizes`, their
/// bytes.
fn count_source(spec: &chiso_extract::SourceSpec, sizes: bool) -> chiso_extract::Result<Counted> {
    use chiso_extract::Location;
    let size = |s: &chiso_extract::SourceSpec| match &s.location {
        Location::Path(p) if sizes => Some(std::fs::metadata(p).map_or(0, |m| m.len())),
        Location::Path(_) => Some(0),
        Location::Url(_) => crate::stream::corpus_format(s).is_none().then_some(0),
    };
    let Some(walk) = chiso_extract::FileWalk::new(spec)? else {
        return Ok(Counted {
            walked: false,
            files: 1,
            corpus: crate::stream::corpus_format(spec).is_some(),
            bytes: size(spec),
        });
    };
    let mut counted = Counted {
        walked: true,
        files: 0,
        corpus: false,
        bytes: Some(0),
    };
    for file in walk {
        let file = file?;
        counted.files += 1;
        counted.corpus |= crate::stream::corpus_format(&file).is_some();
        counted.bytes = counted.bytes.zip(size(&file)).map(|(a, b)| a + b);
    }
    Ok(counted)
}

/// Counts every declared source ([`count_source`]), logging how long a directory or glob took
/// (at info level past [`LOG_EACH_SOURCE_UP_TO`] files: a large tree is a pause before the bar).
/// Their bytes are counted too when the bar is `shown` and over bytes (some source is a
/// corpus): then each source is counted again with a `stat` a file, which a tree of text files
/// never needs.
fn count_sources(specs: &[chiso_extract::SourceSpec], shown: bool) -> Vec<Counted> {
    let mut counted = Vec::with_capacity(specs.len());
    for spec in specs {
        let t = Instant::now();
        let c = match count_source(spec, false) {
            Ok(c) => c,
            // Walked again as it is read, when it fails as a source of its own: the others are
            // still read and written.
            Err(e) => {
                debug!(source_id = %spec.id, error = %e, "source cannot be walked");
                counted.push(Counted::UNWALKABLE);
                continue;
            }
        };
        let ms = u64::try_from(t.elapsed().as_millis()).unwrap_or(u64::MAX);
        if c.walked && c.files > LOG_EACH_SOURCE_UP_TO {
            info!(source_id = %spec.id, files = c.files, ms, "files counted");
        } else if c.walked {
            debug!(source_id = %spec.id, files = c.files, ms, "files counted");
        }
        counted.push(c);
    }
    if shown && counted.iter().any(|c| c.corpus) {
        counted = specs
            .iter()
            .map(|spec| count_source(spec, true).unwrap_or(Counted::UNWALKABLE))
            .collect();
    }
    counted
}

/// The run's progress bar: over the bytes of its files when it reads a corpus file (the
/// documents of one file can be most of a run), else over its sources.
fn reading_progress(counted: &[Counted], quiet: bool) -> crate::progress::Progress {
    use crate::progress::Progress;
    if counted.iter().any(|c| c.corpus) {
        Progress::bytes(counted.iter().map(|c| c.bytes).collect(), "reading", quiet)
    } else {
        Progress::new(counted.iter().map(|c| c.files).sum(), "reading", quiet)
    }
}

/// A declared source (a directory or glob) of up to this many files logs a line per file; past
/// it, each at debug level and one line for all once the last is read (a tree of 400 000 files
/// would otherwise log 400 000 lines).
const LOG_EACH_SOURCE_UP_TO: usize = 100;

/// What the files of a large declared source gave so far.
#[derive(Default)]
struct FilesRead {
    files: usize,
    failed: usize,
    duplicates: usize,
    rows: u64,
}

/// Consumes the units of a pipeline in order: writes their rows to the files, keeps what validation,
/// the dataset and the report need, and counts the rest.
#[derive(Default)]
struct PipelineSink<'a> {
    indicators: Option<WriterThread<chiso_load::ParquetStream>>,
    mentions: Option<WriterThread<chiso_load::ParquetStream>>,
    /// Whether the run writes mentions.parquet (not with `--no-mentions`): its rows in run.json
    /// and its resource in datapackage.json follow.
    writes_mentions: bool,
    /// Sources are kept for the report while their text is under REPORT_MAX_TEXT_BYTES.
    keep_read: bool,
    /// Tells the workers whether to hand documents on, with their text and transform (cleared
    /// with `keep_read`).
    keep_documents: Option<&'a std::sync::atomic::AtomicBool>,
    /// Indicator rows, kept for the report.
    records: Vec<IndicatorRecord>,
    /// The pipeline's part of the shared dataset, written as the rows stream past.
    dataset: Option<WriterThread<chiso_load::DatasetWriter>>,
    /// What the rules found in the units so far.
    evaluation: chiso_validate::Evaluation,
    /// Every source's and corpus document's entry: sources.parquet, and run.json's list.
    sources: Option<crate::source_log::SourceLog>,
    /// The inputs read, for the footers.
    inputs: chiso_load::InputList,
    /// The declared source each source came from.
    declared: Option<&'a crate::stream::Declared<'a>>,
    /// The files of the declared source being read, when it has more than
    /// [`LOG_EACH_SOURCE_UP_TO`]: counted for the one line that sums them up, with its index.
    files_read: Option<(usize, FilesRead)>,
    tally: Tally,
    corpora: HashMap<usize, CorpusTally>,
    /// Each source's id, origin and what it gave (for the report), in order.
    read: Vec<ReadSource>,
    read_bytes: usize,
    extract: std::time::Duration,
    transform: std::time::Duration,
    validate: std::time::Duration,
    load: std::time::Duration,
    /// A bar over the sources (or their bytes) while they are read, on a terminal.
    progress: crate::progress::Progress,
}

impl<'a> PipelineSink<'a> {
    /// Logs that `source` was read: a line of its own, or, for a declared source of more
    /// than [`LOG_EACH_SOURCE_UP_TO`] files, a debug line, and one line for all once an item of
    /// the next declared source comes or the run ends ([`PipelineSink::log_files_read`]). A
    /// failure was logged where it happened.
    fn log_read(&mut self, source: &crate::stream::Source, entry: &SourceEntry) {
        let n = |count: Option<u64>| count.unwrap_or(0);
        let (sentences, mentions, rows) = (n(entry.sentences), n(entry.mentions), n(entry.rows));
        let (id, ok) = (&source.spec.id, entry.is_ok());
        let duplicate = entry.status == SourceStatus::Duplicate;
        let text_sha256 = entry.text_sha256.as_deref().unwrap_or_default();
        if self.declared.map_or(1, |d| d.files(source.declared)) <= LOG_EACH_SOURCE_UP_TO {
            if duplicate {
                info!(source_id = %id, text_sha256, "source set aside: the same text as an input before it");
            } else if ok {
                info!(source_id = %id, sentences, mentions, rows, "source read");
            }
            return;
        }
        if ok && !duplicate {
            debug!(source_id = %id, sentences, mentions, rows, "source read");
        }
        let (_, r) = self
            .files_read
            .get_or_insert_with(|| (source.declared, FilesRead::default()));
        r.files += 1;
        r.failed += usize::from(!ok);
        r.duplicates += usize::from(duplicate);
        r.rows += rows;
    }

    /// Logs the one line for the files of a large declared source read so far, if any.
    fn log_files_read(&mut self) {
        if let Some((d, r)) = self.files_read.take() {
            info!(source_id = %self.declared_id(d), files = r.files, failed = r.failed, duplicates = r.duplicates, rows = r.rows, "files read");
        }
    }

    /// Records a source's or corpus document's entry.
    fn log_source(&mut self, entry: SourceEntry) -> Result<()> {
        match &mut self.sources {
            Some(log) => log.push(entry),
            None => Ok(()),
        }
    }

    /// The id of declared source `index`.
    fn declared_id(&self, index: usize) -> &'a str {
        self.declared.map_or("", |d| d.id(index))
    }

    /// Whether declared source `index` is a directory or glob (whose files count on the bar
    /// one by one).
    fn walked(&self, index: usize) -> bool {
        self.declared.is_some_and(|d| d.walked(index))
    }

    fn count(&mut self, summary: crate::stream::RowSummary) {
        let t = &mut self.tally;
        t.rows += summary.rows;
        t.indicators.extend(summary.indicators);
        t.places.extend(summary.places);
        t.periods.extend(summary.periods);
    }

    /// Keeps a source for the report, until the report would be too large (more than
    /// [`REPORT_MAX_TEXT_BYTES`] of text or [`REPORT_MAX_SOURCES`] sources): then the report is
    /// given up and nothing more is kept for it.
    fn keep_for_report(&mut self, id: String, origin: String, outcome: Kept) {
        if !self.keep_read {
            return;
        }
        if let Kept::Read(read, _) = &outcome {
            self.read_bytes += read.0.text.len();
        }
        if self.read_bytes > REPORT_MAX_TEXT_BYTES || self.read.len() >= REPORT_MAX_SOURCES {
            warn!(
                bytes = self.read_bytes,
                sources = self.read.len() + 1,
                "sources too large or too many to embed in report.html: no report written"
            );
            self.keep_read = false;
            if let Some(flag) = self.keep_documents {
                flag.store(false, std::sync::atomic::Ordering::Relaxed);
            }
            self.read = Vec::new();
            self.records = Vec::new();
            return;
        }
        self.read.push((id, origin, outcome));
    }
}

impl crate::stream::UnitSink for PipelineSink<'_> {
    fn accept(&mut self, unit: crate::stream::UnitOut) -> Result<()> {
        let t = Instant::now();
        if let Some((corpus, at)) = &unit.read_to {
            self.progress.within(corpus.declared, *at, &corpus.spec.id);
        }
        self.extract += unit.extract;
        self.transform += unit.transform;
        self.validate += unit.validate;
        self.tally.mentions += unit.mentions.num_rows() as u64;
        if let Some(s) = self.indicators.as_mut() {
            s.write(unit.indicators)?;
        }
        if let Some(s) = self.mentions.as_mut() {
            s.write(unit.mentions)?;
        }
        self.count(unit.summary);
        // The rows go to the report or the dataset without a copy; only both need one.
        match (self.dataset.as_mut(), self.keep_read) {
            (Some(dataset), true) => {
                dataset.write(unit.records.clone())?;
                self.records.extend(unit.records);
            }
            (Some(dataset), false) => dataset.write(unit.records)?,
            (None, true) => self.records.extend(unit.records),
            (None, false) => {}
        }
        if let Some(checked) = unit.checked {
            self.evaluation.add(checked);
        }
        for item in unit.items {
            // The source the item ends, if it ends one.
            let (declared, done) = match &item {
                crate::stream::Item::Source(s) => (s.source.declared, Some(&s.source)),
                crate::stream::Item::Document { corpus, .. } => (corpus.declared, None),
                crate::stream::Item::CorpusEnd(end) => (end.corpus.declared, Some(&*end.corpus)),
            };
            // A file of a directory or glob counts its own size on disk (as the reader saw
            // it); any other source, the bytes counted for it before the run.
            if let Some(source) = done {
                let own = self.walked(declared).then_some(source.size);
                self.progress.done(declared, own, &source.spec.id);
            }
            // The one line for a large directory's files comes before anything of the next
            // declared source.
            if self
                .files_read
                .as_ref()
                .is_some_and(|(d, _)| *d != declared)
            {
                self.log_files_read();
            }
            match item {
                crate::stream::Item::Source(s) => {
                    let spec = &s.source.spec;
                    self.tally.sources += 1;
                    match &s.outcome {
                        Ok((doc, _)) => {
                            let declared = self.declared_id(s.source.declared);
                            self.inputs.push(declared, &spec.id, &doc.meta.sha256)
                        }
                        Err(_) => self.tally.failed += 1,
                    }
                    self.log_read(&s.source, &s.entry);
                    let origin = s.entry.origin.clone();
                    let kept = match (s.entry.status, &s.entry.text_sha256) {
                        (SourceStatus::Duplicate, Some(hash)) => {
                            self.tally.duplicates += 1;
                            Kept::Duplicate(hash.clone())
                        }
                        _ => Kept::of(s.outcome, s.entry.warnings.clone()),
                    };
                    self.log_source(s.entry)?;
                    self.keep_for_report(spec.id.clone(), origin, kept);
                }
                crate::stream::Item::Document {
                    corpus,
                    outcome,
                    kept,
                } => {
                    let c = self.corpora.entry(corpus.index).or_default();
                    c.documents += 1;
                    let (id, origin, outcome, warnings) = match outcome {
                        Ok(d) => {
                            let n = |count: Option<u64>| count.unwrap_or(0);
                            let (sentences, mentions, rows) =
                                (n(d.sentences), n(d.mentions), n(d.rows));
                            c.text_bytes += n(d.bytes);
                            for w in &d.warnings {
                                warn!(source_id = %d.id, warning = %w, "document read with a warning");
                            }
                            if let (SourceStatus::Duplicate, Some(hash)) =
                                (d.status, d.text_sha256.clone())
                            {
                                c.duplicates += 1;
                                self.tally.duplicates += 1;
                                debug!(source_id = %d.id, text_sha256 = %hash, "document set aside: the same text as an input before it");
                                let (id, origin) = (d.id.clone(), d.origin.clone());
                                self.log_source(d)?;
                                self.keep_for_report(id, origin, Kept::Duplicate(hash));
                                continue;
                            }
                            c.sentences += sentences;
                            c.mentions += mentions;
                            c.rows += rows;
                            debug!(source_id = %d.id, sentences, mentions, rows, "document read");
                            // Its id and origin are copied only while the report keeps documents.
                            let named = kept
                                .is_some()
                                .then(|| (d.id.clone(), d.origin.clone(), d.warnings.clone()));
                            self.log_source(d)?;
                            match kept.zip(named) {
                                Some((k, (id, origin, warnings))) => (id, origin, Ok(k), warnings),
                                // The workers stopped handing documents on: the report is given up.
                                None => continue,
                            }
                        }
                        Err(d) => {
                            let e = d.error.clone().unwrap_or_default();
                            c.failed += 1;
                            if c.errors.len() < CORPUS_ERRORS_LISTED {
                                c.errors.push(e.clone());
                            }
                            warn!(source_id = %d.id, error = %e, "document could not be read");
                            let (id, origin) = (d.id.clone(), d.origin.clone());
                            self.log_source(*d)?;
                            (id, origin, Err(e), Vec::new())
                        }
                    };
                    self.keep_for_report(id, origin, Kept::of(outcome, warnings));
                }
                crate::stream::Item::CorpusEnd(end) => {
                    let spec = &end.corpus.spec;
                    let origin = crate::stream::origin(spec);
                    let c = self.corpora.remove(&end.corpus.index).unwrap_or_default();
                    self.tally.sources += 1;
                    for w in &end.warnings {
                        warn!(source_id = %spec.id, warning = %w, "source read with a warning");
                    }
                    let mut entry = SourceEntry {
                        id: spec.id.clone(),
                        kind: SourceKind::Corpus,
                        origin: origin.clone(),
                        format: crate::stream::corpus_format(spec).map(|f| f.name().to_owned()),
                        documents: Some(c.documents),
                        documents_failed: Some(c.failed),
                        documents_duplicate: Some(c.duplicates),
                        fetch: end.fetch,
                        errors: c.errors,
                        warnings: end.warnings,
                        ..SourceEntry::default()
                    };
                    match end.digest {
                        Ok(d) => {
                            if c.failed > 0 && c.failed == c.documents {
                                self.tally.failed += 1;
                                entry.status = SourceStatus::Failed;
                                entry.error = Some(format!(
                                    "none of its {} documents could be read{}",
                                    c.documents,
                                    entry
                                        .errors
                                        .first()
                                        .map(|e| format!("; the first: {e}"))
                                        .unwrap_or_default()
                                ));
                            } else if c.failed > 0 {
                                self.tally.partial += 1;
                                entry.status = SourceStatus::Partial;
                            }
                            // A corpus none of whose documents could be read has failed, and
                            // is logged as a failed source is (the report lists its documents).
                            let failed = (entry.status == SourceStatus::Failed)
                                .then(|| entry.error.clone().unwrap_or_default());
                            match &failed {
                                Some(e) => {
                                    error!(source_id = %spec.id, origin = %origin, error = %e, "corpus could not be read");
                                }
                                None => {
                                    info!(source_id = %spec.id, documents = c.documents, failed = c.failed, duplicates = c.duplicates, rows = c.rows, "corpus read");
                                }
                            }
                            let declared = self.declared_id(end.corpus.declared);
                            self.inputs.push(declared, &spec.id, &d.sha256);
                            self.log_source(SourceEntry {
                                sha256: Some(d.sha256),
                                bytes: Some(d.bytes),
                                text_bytes: Some(c.text_bytes),
                                sentences: Some(c.sentences),
                                mentions: Some(c.mentions),
                                rows: Some(c.rows),
                                ..entry
                            })?;
                        }
                        Err(e) => {
                            self.tally.failed += 1;
                            error!(source_id = %spec.id, origin = %origin, error = %e, "corpus could not be read");
                            self.log_source(SourceEntry {
                                status: SourceStatus::Failed,
                                error: Some(e.clone()),
                                ..entry
                            })?;
                            self.keep_for_report(spec.id.clone(), origin, Kept::Failed(e));
                        }
                    }
                }
            }
        }
        self.load += t.elapsed();
        Ok(())
    }
}

/// What a file or URL source gave: its report entry, its document and transform (or why it
/// failed) and, for a table source, its rows.
pub struct SourceDone {
    /// The source's row of sources.parquet (and entry in run.json).
    pub entry: SourceEntry,
    /// The document and its transform, or why the source failed.
    pub outcome: Result<(chiso_model::Document, Transformed), String>,
    /// Rows of a table source's `[sources.table]` mapping.
    pub table_rows: Vec<IndicatorRecord>,
}

/// Turns one extracted source into rows; a source that could not be read is recorded. Text
/// goes through the linker; a table source with a `[sources.table]` mapping becomes one row per
/// place and year. `text` is its text's digest, and whether it is set aside as a copy of an
/// earlier text (then it is not transformed).
pub fn transform_source(
    spec: &chiso_extract::SourceSpec,
    mapping: Option<&chiso_model::TableMapping>,
    linker: &Linker,
    result: chiso_extract::Result<chiso_extract::Extracted>,
    text: Option<(crate::dedup::TextDigest, bool)>,
) -> SourceDone {
    let origin = crate::stream::origin(spec);
    let failed = |origin: String, e: String| SourceDone {
        entry: SourceEntry {
            id: spec.id.clone(),
            origin,
            status: SourceStatus::Failed,
            error: Some(e.clone()),
            ..SourceEntry::default()
        },
        outcome: Err(e),
        table_rows: Vec::new(),
    };
    let ex = match result {
        Ok(ex) => ex,
        Err(e) => {
            error!(source_id = %spec.id, origin = %origin, error = %e, "source could not be read");
            return failed(origin, e.to_string());
        }
    };
    let mut warnings = ex.warnings.clone();
    let doc = ex.document;
    if let Some((digest, true)) = &text {
        let entry = duplicate_entry(&doc, digest);
        return SourceDone {
            entry: file_entry(spec, origin, (ex.format, ex.fetch), &doc, warnings, entry),
            outcome: Ok((doc, Transformed::default())),
            table_rows: Vec::new(),
        };
    }
    let t = linker.transform(&doc);
    let mut table_rows = Vec::new();
    match mapping {
        Some(m) => match chiso_transform::tables::table_records(
            &ex.tables,
            m,
            linker.catalogue(),
            linker.gazetteer(),
        ) {
            Ok(tr) => {
                warnings.extend(tr.skipped);
                table_rows = tr.records;
            }
            Err(e) => {
                error!(source_id = %spec.id, origin = %origin, error = %e, "table could not be mapped to rows");
                return failed(origin, e.to_string());
            }
        },
        None if ex.format.is_table() => {
            warnings
                .push("a table source without [sources.table]: its tables give no rows".to_owned());
        }
        None => {}
    }
    for r in &mut table_rows {
        r.source_id = spec.id.clone();
    }
    let entry = SourceEntry {
        tables: Some(ex.tables.len() as u64),
        rows: Some((t.records.len() + table_rows.len()) as u64),
        text_sha256: text.map(|(d, _)| d.hex),
        ..document_entry(&doc, &t)
    };
    let entry = file_entry(spec, origin, (ex.format, ex.fetch), &doc, warnings, entry);
    SourceDone {
        entry,
        outcome: Ok((doc, t)),
        table_rows,
    }
}

/// `entry`, a document's, as that of file or URL source `spec` read as `format` (and fetched
/// so): its id, origin, format, encoding, hash and fetch, and `warnings`, which are logged.
fn file_entry(
    spec: &chiso_extract::SourceSpec,
    origin: String,
    (format, fetch): (chiso_extract::Format, Option<chiso_model::FetchRecord>),
    doc: &chiso_model::Document,
    warnings: Vec<String>,
    entry: SourceEntry,
) -> SourceEntry {
    for w in &warnings {
        warn!(source_id = %spec.id, warning = %w, "source read with a warning");
    }
    SourceEntry {
        id: spec.id.clone(),
        origin,
        format: Some(format.name().to_owned()),
        sha256: Some(doc.meta.sha256.clone()),
        encoding: Some(doc.meta.encoding.clone()),
        fetch,
        warnings,
        ..entry
    }
}

/// The entry of a document read and transformed (a file's, or a corpus document's): its id,
/// origin, size, publication date, place and counts.
pub fn document_entry(doc: &chiso_model::Document, t: &Transformed) -> SourceEntry {
    let count = |n: usize| Some(n as u64);
    SourceEntry {
        sentences: count(t.sentences.len()),
        repeats_merged: count(t.repeats_dropped),
        mentions: count(t.mentions.len()),
        rows: count(t.records.len()),
        ..document_read(doc)
    }
}

/// The entry of a document set aside as a copy of an earlier text (`digest`): what was read,
/// and no rows; its other counts are unknown (it was not read for numbers).
pub fn duplicate_entry(
    doc: &chiso_model::Document,
    digest: &crate::dedup::TextDigest,
) -> SourceEntry {
    SourceEntry {
        status: SourceStatus::Duplicate,
        text_sha256: Some(digest.hex.clone()),
        rows: Some(0),
        ..document_read(doc)
    }
}

/// What an entry says of a document whatever became of it: its id, origin, size, publication
/// date and place.
fn document_read(doc: &chiso_model::Document) -> SourceEntry {
    SourceEntry {
        id: doc.source_id.clone(),
        origin: doc.meta.origin.clone(),
        bytes: Some(doc.meta.bytes),
        published: doc.meta.published,
        geo: doc.meta.geo.clone(),
        ..SourceEntry::default()
    }
}

/// The HTML report, from the sources kept for it.
fn report_html(
    pipeline: &Pipeline,
    linker: &Linker,
    sink: &PipelineSink<'_>,
    results: &[RuleResult],
) -> Option<String> {
    let mut sources = Vec::new();
    let mut mentions = Vec::new();
    for (id, origin, outcome) in &sink.read {
        match outcome {
            Kept::Read(read, warnings) => {
                let (doc, t) = &**read;
                sources.push(
                    chiso_report::SourceReport::read(
                        id,
                        origin,
                        &doc.text,
                        &t.sentences,
                        t.repeats_dropped,
                    )
                    .with_warnings(warnings),
                );
                mentions.extend(t.linked().map(|lm| chiso_report::MentionView {
                    source_id: id,
                    mention: lm.mention,
                    indicator: lm.indicator,
                }));
            }
            Kept::Failed(reason) => {
                sources.push(chiso_report::SourceReport::failed(id, origin, reason))
            }
            Kept::Duplicate(hash) => {
                sources.push(chiso_report::SourceReport::duplicate(id, origin, hash))
            }
        }
    }
    let labels = linker
        .catalogue()
        .indicators()
        .iter()
        .map(|i| chiso_report::IndicatorLabel {
            id: &i.id,
            label_vi: &i.label_vi,
            label_en: &i.label_en,
        })
        .collect();
    Some(chiso_report::render(&chiso_report::ReportInput {
        pipeline_name: &pipeline.name,
        tool_version: env!("CARGO_PKG_VERSION"),
        sources,
        records: &sink.records,
        mentions,
        results,
        labels,
    }))
}

/// The files a run made visible, and what went into them.
struct Written {
    out_dir: PathBuf,
    files: Vec<PathBuf>,
    dataset: Option<(PathBuf, chiso_load::DatasetChanges)>,
    /// The dataset left as it was, and why: some source could not be read.
    dataset_kept: Option<(PathBuf, String)>,
    tally: Tally,
}

/// Finishes the pipeline's output directory (and its part of the dataset): the streamed Parquet
/// files get their footers, the rest is written whole under temporary names, then all are
/// renamed into place, run.json last.
#[allow(clippy::too_many_arguments)]
fn write_outputs(
    pipeline: &Pipeline,
    mut sink: PipelineSink<'_>,
    results: &[RuleResult],
    report: Option<&str>,
    out_dir: &Path,
    dataset: Option<&Path>,
    mut staging: Staging,
    timings: &mut Timings,
    started: Instant,
) -> Result<Written> {
    let t = Instant::now();
    let meta = FileMeta {
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
        pipeline_name: pipeline.name.clone(),
        pipeline_sha256: pipeline.sha256.clone(),
        inputs: std::mem::take(&mut sink.inputs).finish(),
    };
    let indicators_path = out_dir.join("indicators.parquet");
    let mentions_path = out_dir.join("mentions.parquet");
    let validation_path = out_dir.join("validation.parquet");
    let with_mentions = sink.writes_mentions;
    if !with_mentions {
        // `--no-mentions`: an earlier run's file would not be this run's.
        staging.remove(&mentions_path)?;
    }
    for thread in [sink.indicators.take(), sink.mentions.take()]
        .into_iter()
        .flatten()
    {
        staging.finish_stream(thread.finish()?, &meta.inputs)?;
    }
    let sources = match sink.sources.take() {
        Some(log) => log.finish(&mut staging, &meta.inputs)?,
        None => Default::default(),
    };
    staging.validation(&validation_path, results, &meta)?;
    staging.json(
        &out_dir.join("datapackage.json"),
        &chiso_load::datapackage_with(with_mentions),
    )?;
    // A shared dataset keeps the pipeline's earlier rows when a source could not be read (a
    // server down for the day): replacing them would drop that source's rows from it.
    let unread = sink.tally.failed + sink.tally.partial;
    let mut dataset_kept = None;
    let dataset_changes = match (dataset, sink.dataset.take()) {
        (Some(dir), Some(writer)) if unread == 0 => {
            let changes = staging.finish_dataset(writer.finish()?, &meta.inputs)?;
            for (file, why) in &changes.unreadable {
                warn!(file = %file.display(), reason = %why, "a dataset file of another pipeline could not be read: left as it is");
            }
            if !changes.upgraded.is_empty() {
                info!(
                    dataset = %dir.display(),
                    files = changes.upgraded.len(),
                    schema = chiso_model::SCHEMA_VERSION,
                    "files of other pipelines given the columns of this schema (null in their rows)"
                );
            }
            Some((dir.to_path_buf(), changes))
        }
        (Some(dir), Some(writer)) => {
            // Dropped unfinished: its temporary files and new directories go.
            drop(writer.finish()?);
            let why = format!(
                "{unread} source{} could not be read (whole); rerun once every source reads, or \
                 remove the source from the pipeline",
                if unread == 1 { "" } else { "s" }
            );
            warn!(dataset = %dir.display(), reason = %why, "dataset left as it was");
            dataset_kept = Some((dir.to_path_buf(), why));
            None
        }
        _ => None,
    };
    timings.load = (sink.load + t.elapsed()).as_secs_f64() * 1e3;
    let report_path = out_dir.join("report.html");
    match report {
        Some(html) => staging.text(&report_path, html)?,
        // `--no-report`, or too much text for one page: an earlier run's report would not be
        // this run's.
        None => staging.remove(&report_path)?,
    }
    let files = json!({
        "indicators": indicators_path.display().to_string(),
        "mentions": with_mentions.then(|| mentions_path.display().to_string()),
        "validation": validation_path.display().to_string(),
        "sources": out_dir.join("sources.parquet").display().to_string(),
        "report": report.map(|_| report_path.display().to_string()),
    });
    let mut run_json = run_json(
        pipeline,
        &sink,
        results,
        files,
        dataset_changes.as_ref(),
        timings,
        started,
    );
    if let Some((dir, why)) = &dataset_kept {
        run_json["dataset"] = json!({ "dir": dir.display().to_string(), "left_as_it_was": why });
    }
    let (listed, counts) = sources;
    run_json["source_counts"] = counts.json(listed.len());
    run_json["sources"] = listed.into();
    staging.json(&out_dir.join("run.json"), &run_json)?;
    let files = staging.commit()?;
    Ok(Written {
        out_dir: out_dir.to_path_buf(),
        files,
        dataset: dataset_changes,
        dataset_kept,
        tally: std::mem::take(&mut sink.tally),
    })
}

/// run.json: versions, row counts, rule results, files and timings; its `sources` and
/// `source_counts` are left for [`SourceLog::finish`](crate::source_log::SourceLog::finish)'s.
fn run_json(
    pipeline: &Pipeline,
    sink: &PipelineSink<'_>,
    results: &[RuleResult],
    files: serde_json::Value,
    dataset: Option<&(PathBuf, chiso_load::DatasetChanges)>,
    timings: &Timings,
    started: Instant,
) -> serde_json::Value {
    let count = |s: Status| results.iter().filter(|r| r.status == s).count();
    let dataset = dataset.map(|(dir, changes)| {
        json!({
            "dir": dir.display().to_string(),
            "partitioning": [chiso_load::PARTITION_COLUMN],
            "files": changes.written.iter().map(|(indicator, path, n)| json!({ "indicator": indicator, "path": path.display().to_string(), "rows": n })).collect::<Vec<_>>(),
            "removed": changes.removed.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
            "upgraded": changes.upgraded.iter().map(|(p, from)| json!({ "path": p.display().to_string(), "from_schema": from })).collect::<Vec<_>>(),
            "unreadable": changes.unreadable.iter().map(|(p, why)| json!({ "path": p.display().to_string(), "reason": why })).collect::<Vec<_>>(),
            "manifest": changes.manifest.display().to_string(),
        })
    });
    json!({
        "tool": "chiso",
        "tool_version": env!("CARGO_PKG_VERSION"),
        "schema_version": chiso_model::SCHEMA_VERSION,
        "pipeline": { "name": pipeline.name, "description": pipeline.description, "file": pipeline.file.display().to_string(), "sha256": pipeline.sha256 },
        // What a relative `pipeline.file` and `origin` (sources.parquet) are relative to.
        "working_directory": std::env::current_dir().map(|d| d.display().to_string()).ok(),
        "source_counts": null,
        "sources": [],
        "rows": { "indicators": sink.tally.rows, "mentions": sink.writes_mentions.then_some(sink.tally.mentions), "validation": results.len() },
        "rules": {
            "pass": count(Status::Pass), "fail": count(Status::Fail), "skip": count(Status::Skip), "error": count(Status::Error),
            "results": results,
        },
        "files": files,
        "dataset": dataset,
        "timings_ms": { "extract": timings.extract, "transform": timings.transform, "stream": timings.stream, "validate": timings.validate, "load": timings.load, "total": millis(started) },
    })
}

fn print_summary(
    p: &Pipeline,
    n_sources: usize,
    tally: &Tally,
    results: &[RuleResult],
    written: &Written,
    secs: f64,
) {
    let n = |s: Status| results.iter().filter(|r| r.status == s).count();
    let set_aside = crate::source_log::set_aside_note(tally.duplicates);
    let partial = match tally.partial {
        0 => String::new(),
        n => format!(", {n} partial"),
    };
    println!(
        "chiso run {}: {} sources ({} failed{partial}{set_aside}) in {:.2} s",
        p.name, n_sources, tally.failed, secs
    );
    println!(
        "  rows        {:>6}   ({} indicators, {} places, {} periods)",
        tally.rows,
        tally.indicators.len(),
        tally.places.len(),
        tally.periods.len()
    );
    println!(
        "  rules       {:>6} pass, {} fail, {} skip, {} error",
        n(Status::Pass),
        n(Status::Fail),
        n(Status::Skip),
        n(Status::Error)
    );
    for r in results
        .iter()
        .filter(|r| matches!(r.status, Status::Fail | Status::Error))
    {
        println!(
            "  {} [{}] {}: {}",
            r.status.as_str().to_uppercase(),
            r.severity,
            r.rule_id,
            truncate(&r.message, 300)
        );
        for row in r.rows.iter().take(3) {
            // The value too: two rows of one sentence show the same quote.
            let value = if row.value_low.is_nan() {
                String::new()
            } else {
                format!(
                    "{} ",
                    crate::adhoc::fmt_range(row.value_low, row.value_high)
                )
            };
            println!("      {value}“{}”", truncate(&row.quote, 140));
        }
    }
    let shown: Vec<&PathBuf> = written
        .files
        .iter()
        .filter(|f| f.starts_with(&written.out_dir))
        .collect();
    for (i, f) in shown.iter().enumerate() {
        println!(
            "  {:<11} {}",
            if i == 0 { "files" } else { "" },
            f.display()
        );
    }
    if let Some((dir, changes)) = &written.dataset {
        let rows: usize = changes.written.iter().map(|(_, _, n)| n).sum();
        println!(
            "  dataset     {} ({rows} rows in {} files, {} removed)",
            dir.display(),
            changes.written.len(),
            changes.removed.len()
        );
        if !changes.upgraded.is_empty() {
            println!(
                "              {} files of other pipelines given the columns of schema {} (null in their rows)",
                changes.upgraded.len(),
                chiso_model::SCHEMA_VERSION
            );
        }
        for (file, _) in &changes.unreadable {
            println!(
                "              {} could not be read: left as it is (run.json dataset.unreadable says why)",
                file.display()
            );
        }
    }
    if let Some((dir, why)) = &written.dataset_kept {
        println!("  dataset     {} left as it was: {why}", dir.display());
    }
}

#[cfg(test)]
mod tests {
    use super::mention_facts;
    use chiso_model::{Document, SourceMeta};
    use chiso_transform::link::Linker;
    use std::sync::Arc;

    /// A sentence's mentions share its text; each fact still quotes its own sentence.
    #[test]
    fn mention_facts_share_their_sentence() {
        let text =
            "Năm 2023, tỷ lệ hộ nghèo còn 19,3%, giảm 4,1% so với năm 2022.\nGRDP tăng 9,02%.";
        let doc = Document {
            source_id: "s".to_owned(),
            text: text.to_owned(),
            meta: SourceMeta::default(),
        };
        let t = Linker::builtin().transform(&doc);
        let facts = mention_facts("s", &t);
        assert_eq!(facts.len(), t.mentions.len());
        for (fact, lm) in facts.iter().zip(t.linked()) {
            assert_eq!(&*fact.sentence, t.quote(&lm));
            assert_eq!(fact.source_id, "s");
        }
        let first = &facts[0].sentence;
        let same: Vec<_> = facts
            .iter()
            .filter(|f| Arc::ptr_eq(&f.sentence, first))
            .collect();
        assert!(same.len() >= 3, "{facts:?}");
        let last = &facts[facts.len() - 1].sentence;
        assert_eq!(&**last, "GRDP tăng 9,02%.");
        assert!(!Arc::ptr_eq(first, last));
    }

    /// The report keeps at most [`super::REPORT_MAX_SOURCES`] sources, whatever their text: one
    /// more gives the report up and frees what it kept (a tree of empty or failing files).
    #[test]
    fn the_report_is_given_up_past_its_sources() {
        let mut sink = super::PipelineSink {
            keep_read: true,
            ..super::PipelineSink::default()
        };
        for i in 0..super::REPORT_MAX_SOURCES {
            sink.keep_for_report(
                format!("s{i}"),
                String::new(),
                super::Kept::Failed("empty".into()),
            );
        }
        assert!(sink.keep_read);
        assert_eq!(sink.read.len(), super::REPORT_MAX_SOURCES);
        sink.keep_for_report(
            "one more".into(),
            String::new(),
            super::Kept::Failed("empty".into()),
        );
        assert!(!sink.keep_read && sink.read.is_empty());
    }

    /// Counting before the run: a file or URL is one source; a directory or glob, its files,
    /// whose bytes add up; a file that is missing counts 0 bytes, a corpus at a URL is sized once
    /// fetched, a page counts as a source; a run whose sources hold a corpus counts bytes.
    #[test]
    fn sources_are_counted_before_the_run() {
        use chiso_extract::{Location, SourceSpec};
        let dir = tempfile::tempdir().expect("a temporary directory");
        std::fs::create_dir(dir.path().join("shards")).expect("writable");
        std::fs::write(dir.path().join("news.jsonl.gz"), [0u8; 40]).expect("writable");
        std::fs::write(dir.path().join("article.html"), [b'x'; 7]).expect("writable");
        std::fs::write(dir.path().join("shards/1.jsonl"), [b'{'; 11]).expect("writable");
        std::fs::write(dir.path().join("shards/2.jsonl"), [b'{'; 13]).expect("writable");
        let spec = |location: Location| SourceSpec {
            id: "s".into(),
            location,
            published: None,
            geo: None,
            format: None,
        };
        let path = |name: &str| spec(Location::Path(dir.path().join(name)));
        let count = |s: SourceSpec| {
            let c = super::count_source(&s, true).expect("countable");
            (c.walked, c.files, c.corpus, c.bytes)
        };
        assert_eq!(count(path("article.html")), (false, 1, false, Some(7)));
        assert_eq!(count(path("news.jsonl.gz")), (false, 1, true, Some(40)));
        assert_eq!(count(path("gone.jsonl")), (false, 1, true, Some(0)));
        assert_eq!(count(path("shards")), (true, 2, true, Some(24)));
        assert_eq!(count(path("*.html")), (true, 1, false, Some(7)));
        let url = spec(Location::Url("https://bao.example.vn/a.jsonl.gz".into()));
        assert_eq!(count(url), (false, 1, true, None), "sized once fetched");
        let page = spec(Location::Url("https://bao.example.vn/a".into()));
        assert_eq!(count(page), (false, 1, false, Some(0)), "a source done");
        let quiet = super::count_source(&path("shards"), false).expect("countable");
        assert_eq!(
            (quiet.files, quiet.bytes),
            (2, Some(0)),
            "sizes not asked for"
        );
        let e = super::count_source(&path("*.pdf"), true)
            .err()
            .expect("nothing matches");
        assert!(e.to_string().contains("no file matches"), "{e}");
        // A run counts bytes only for a bar over bytes: drawn, and with a corpus to read.
        let bytes = |specs: &[SourceSpec], shown: bool| -> Vec<Option<u64>> {
            let counted = super::count_sources(specs, shown);
            counted.iter().map(|c| c.bytes).collect()
        };
        let texts = [path("article.html"), path("*.html")];
        assert_eq!(
            bytes(&texts, true),
            [Some(0), Some(0)],
            "no corpus: no stat"
        );
        let mixed = [path("article.html"), path("shards")];
        assert_eq!(bytes(&mixed, false), [Some(0), Some(0)], "no bar");
        assert_eq!(bytes(&mixed, true), [Some(7), Some(24)]);
    }
}
