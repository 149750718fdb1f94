//! Throughput of the transform stages over real Vietnamese news text (the Lào Cai interview and
//! the twelve development-corpus excerpts in `benches/data/`): segmentation alone, and the whole
//! per-document transform (segmentation, number grammar, cues, places, linking).
//!
//! `cargo bench -p chiso-transform --bench stages`; the numbers are in docs/performance.md.

use chiso_model::{Document, PartialDate, SourceMeta};
use chiso_transform::link::Linker;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

const DOCS: &[&str] = &[
    include_str!("data/lao-cai-interview.txt"),
    include_str!("data/01-quangngai-tong-ket-2021.txt"),
    include_str!("data/05-nghean-thu-ngan-sach-2020.txt"),
    include_str!("data/07-bariavungtau-xuat-khau-7-thang-2022.txt"),
    include_str!("data/10-lamdong-xuat-khau-thang-10-2022.txt"),
    include_str!("data/13-yenbai-cucthongke-tctk-quy-i-2023.txt"),
    include_str!("data/18-baogialai-ktxh-6-thang-2024.txt"),
    include_str!("data/22-bariavungtau-du-lich-11-thang-2022.txt"),
    include_str!("data/28-baocamau-giam-ngheo-2023.txt"),
    include_str!("data/32-saigondautu-angiang-nghi-quyet-2020-2025.txt"),
    include_str!("data/34-baoapbac-tiengiang-nghi-quyet-dai-hoi-xi.txt"),
    include_str!("data/37-homehere-top-20-grdp-2021.txt"),
    include_str!("data/44-soha-bacninh-grdp-theo-quy-2022.txt"),
];

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
