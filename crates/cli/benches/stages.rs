//! Throughput of each stage of a corpus run, over the real Vietnamese texts of
//! `crates/transform/benches/data/` (the Lào Cai interview and the twelve development-corpus
//! excerpts) as a JSON-lines corpus, each stage timed alone on one core as the run's threads do
//! it (`crates/cli/src/stream.rs`):
//!
//! - `read`: JSON lines into `Document`s (`CorpusReader`, `CorpusRecord::into_document`: the
//!   reader thread's decoding and the workers' NFC check);
//! - `transform`: `Linker::transform` (segmentation, the number grammar, cues, places, linking);
//! - `rows`: the Arrow record batches of the indicator and mention rows (workers);
//! - `write`: encoding and compressing those batches into Parquet row groups (the writer
//!   threads);
//! - `validate`: `Validator::check` of the rows against `bench/rules.toml` (workers).
//!
//! Every throughput is in bytes of source text, so the stages add up: a run needs the sum of
//! their times per byte. `cargo bench -p chiso-cli --bench stages`; the numbers are in
//! docs/performance.md ("Per stage").
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // bench code: a failed expectation panics by design

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow::array::RecordBatch;
use chiso_extract::{CorpusColumns, CorpusFormat, CorpusReader, Location, SourceSpec};
use chiso_load::{FileMeta, MentionsBuilder, Staging};
use chiso_model::{Document, IndicatorRecord};
use chiso_transform::link::{Linker, Transformed};
use chiso_validate::{EvalContext, RuleSet, Validator};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};

#[path = "../../transform/benches/common/texts.rs"]
mod texts;
use texts::DOCS;

/// Copies of the texts in the corpus: about a quarter of a megabyte.
const COPIES: usize = 8;
/// Copies of the corpus's rows the `write` stage writes into one pair of streams: about 16 MB
/// of text.
const WRITE_COPIES: usize = 64;

fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("chiso-bench-stages-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The corpus as a JSON-lines file: one document per text and copy.
fn write_corpus(path: &Path) -> usize {
    let mut out = String::new();
    let mut bytes = 0;
    for copy in 0..COPIES {
        for (i, text) in DOCS.iter().enumerate() {
            let line = serde_json::json!({
                "id": format!("doc-{copy}-{i}"),
                "text": text,
                "published": "2023-04",
                "geo": "VN-02",
            });
            out.push_str(&line.to_string());
            out.push('\n');
            bytes += text.len();
        }
    }
    std::fs::write(path, out).unwrap();
    bytes
}

fn read(path: &Path, spec: &SourceSpec) -> Vec<Document> {
    let reader = CorpusReader::open(
        &spec.id,
        path,
        CorpusFormat::JsonLines,
        &CorpusColumns::default(),
        u64::MAX,
    )
    .unwrap();
    let origin = path.display().to_string();
    reader
        .map(|r| {
            r.unwrap()
                .into_document(spec, &origin, CorpusFormat::JsonLines)
                .unwrap()
                .0
        })
        .collect()
}

/// The record batches a worker builds from its documents' transforms (taking their indicator
/// rows, as the worker does).
fn batches(docs: &[Document], transformed: Vec<Transformed>) -> (RecordBatch, RecordBatch) {
    let mut mentions = MentionsBuilder::default();
    let mut records: Vec<IndicatorRecord> = Vec::new();
    for (doc, mut t) in docs.iter().zip(transformed) {
        for lm in t.linked() {
            mentions
                .append(
                    &doc.source_id,
                    lm.mention,
                    t.mention_text(&lm),
                    lm.indicator,
                    &t.quote_ref(&lm),
                )
                .unwrap();
        }
        records.append(&mut t.records);
    }
    (
        chiso_load::indicators_batch(&records).unwrap(),
        mentions.finish().unwrap(),
    )
}

/// The transforms with every quote and sentence made distinct per `copy`, so that the copies
/// written by the `write` stage do not repeat each other (a generated corpus repeats few
/// sentences).
fn marked(transformed: &[Transformed], copy: usize) -> Vec<Transformed> {
    let mut marked = transformed.to_vec();
    for t in &mut marked {
        for s in &mut t.sentences {
            *s = format!("{s} ({copy})").into();
        }
        for r in &mut t.records {
            r.quote = format!("{} ({copy})", r.quote).into();
        }
    }
    marked
}

fn bench_stages(c: &mut Criterion) {
    let dir = scratch();
    let corpus = dir.join("corpus.jsonl");
    let bytes = write_corpus(&corpus);
    let spec = SourceSpec {
        id: "news".into(),
        location: Location::Path(corpus.clone()),
        published: None,
        geo: None,
        format: None,
    };
    let docs = read(&corpus, &spec);
    let linker = Linker::builtin();
    let transformed: Vec<Transformed> = docs.iter().map(|d| linker.transform(d)).collect();
    let records: Vec<IndicatorRecord> = transformed
        .iter()
        .flat_map(|t| t.records.iter().cloned())
        .collect();
    let copies: Vec<(RecordBatch, RecordBatch)> = (0..WRITE_COPIES)
        .map(|copy| batches(&docs, marked(&transformed, copy)))
        .collect();
    let rules = RuleSet::from_str(
        include_str!("../../../bench/rules.toml"),
        "bench/rules.toml",
    )
    .unwrap();
    let gazetteer = Arc::new(linker.gazetteer().clone());
    let resolver = Arc::clone(&gazetteer);
    let ctx = EvalContext {
        group_sizes: gazetteer.group_sizes(),
        resolve_place: Some(Box::new(move |name: &str| {
            resolver.resolve(name, None).map(|p| p.code.clone())
        })),
        base_dir: PathBuf::new(),
    };
    let validator = Validator::new(&rules, &ctx);
    // As on the run's workers.
    chiso_validate::keep_queries_on_this_thread();
    let meta = FileMeta::default();

    let mut group = c.benchmark_group("run_stages");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("read", |b| b.iter(|| black_box(read(&corpus, &spec))));
    group.bench_function("transform", |b| {
        b.iter(|| {
            for d in &docs {
                black_box(linker.transform(black_box(d)));
            }
        })
    });
    group.bench_function("rows", |b| {
        b.iter_batched(
            || transformed.clone(),
            |t| black_box(batches(&docs, t)),
            BatchSize::LargeInput,
        )
    });
    group.finish();

    // A run opens its column writers (and their zstd contexts) once per row group of some
    // 15-25 MB of text: WRITE_COPIES copies of the rows (each with its own sentences and
    // quotes) go into one pair of streams, so that opening them weighs about as much as in a
    // run and the dictionaries see as many distinct sentences.
    let mut group = c.benchmark_group("run_stages");
    group.throughput(Throughput::Bytes((bytes * WRITE_COPIES) as u64));
    group.bench_function("write", |b| {
        b.iter(|| {
            // Row groups of the run's sizes; the streams are dropped unfinished (their
            // temporary files removed): the footer is written once per run, not per unit.
            let mut staging = Staging::new();
            for (file, name, schema, rows) in [
                (
                    0,
                    "indicators.parquet",
                    chiso_load::indicators_schema(),
                    chiso_load::INDICATORS_GROUP_ROWS,
                ),
                (
                    1,
                    "mentions.parquet",
                    chiso_load::mentions_schema(),
                    chiso_load::MENTIONS_GROUP_ROWS,
                ),
            ] {
                let mut stream = staging
                    .stream(&dir.join(name), schema, rows, &meta)
                    .unwrap();
                for copy in &copies {
                    let batch = if file == 0 { &copy.0 } else { &copy.1 };
                    stream.write(batch).unwrap();
                }
                stream.flush().unwrap();
                black_box(stream.rows());
            }
        })
    });
    group.finish();

    let mut group = c.benchmark_group("run_stages");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("validate", |b| {
        b.iter(|| black_box(validator.check(black_box(&records), &[])))
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench_stages);
criterion_main!(benches);
