//! Throughput of `numbers::scan` over real Vietnamese news text (the Lào Cai interview and the
//! twelve development-corpus excerpts, copied into `benches/data/`).
#![allow(clippy::panic, clippy::unwrap_used)] // test and bench code: a failed expectation panics by design

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

#[path = "common/texts.rs"]
mod texts;
use texts::DOCS;

fn bench_scan(c: &mut Criterion) {
    let text = DOCS.join("\n\n");
    let mut group = c.benchmark_group("numbers");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("scan", |b| {
        b.iter(|| chiso_transform::numbers::scan(black_box(&text)))
    });
    group.finish();
}

criterion_group!(benches, bench_scan);
criterion_main!(benches);
