//! Throughput of the transform stages over real Vietnamese news text (the Lào Cai interview and
//! the twelve development-corpus excerpts in `benches/data/`): segmentation alone, and the whole
//! per-document transform (segmentation, number grammar, cues, places, linking).
//!
//! `cargo bench -p chiso-transform --bench stages`; the numbers are in docs/performance.md.
#![allow(clippy::panic, clippy::unwrap_used)] // test and bench code: a failed expectation panics by design

use chiso_model::{Document, PartialDate, SourceMeta};
use chiso_transform::link::Linker;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

#[path = "common/texts.rs"]
mod texts;
use texts::DOCS;

fn documents() -> Vec<Document> {
    DOCS.iter()
        .enumerate()
        .map(|(i, text)| Document {
            source_id: format!("doc-{i}"),
            text: (*text).to_owned(),
            meta: SourceMeta {
                published: Some(PartialDate::Month {
                    year: 2023,
                    month: 4,
                }),
                geo: Some("VN-02".into()),
                ..SourceMeta::default()
            },
        })
        .collect()
}

fn bench_stages(c: &mut Criterion) {
    let docs = documents();
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let linker = Linker::builtin();
    let mut group = c.benchmark_group("stages");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("segment", |b| {
        b.iter(|| {
            for d in &docs {
                black_box(chiso_transform::segment::segment(black_box(&d.text)));
            }
        })
    });
    group.bench_function("transform", |b| {
        b.iter(|| {
            for d in &docs {
                black_box(linker.transform(black_box(d)));
            }
        })
    });
    group.finish();
    c.bench_function("linker_builtin", |b| b.iter(Linker::builtin));
}

criterion_group!(benches, bench_stages);
criterion_main!(benches);
