//! The development corpus: twelve real texts with hand-made expected rows. The linker must keep
//! its quality on them; `make quality` writes the per-document figures to docs/quality.md.

use std::path::{Path, PathBuf};

use chiso_model::{Document, PartialDate, SourceMeta};
use chiso_transform::golden::{GoldenRecord, Row, prf, score_document, totals};
use chiso_transform::link::Linker;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/golden/dev-corpus")
}

#[test]
fn dev_corpus_f1_stays_above_0_9() {
    let dir = corpus_dir();
    let sources = std::fs::read_to_string(dir.join("SOURCES.tsv")).expect("SOURCES.tsv");
    let linker = Linker::builtin();
    let mut scores = Vec::new();
    for line in sources.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (file, published, geo) = (
            cols[0],
            cols.get(2).copied().unwrap_or(""),
            cols.get(3).copied().unwrap_or(""),
        );
        let id = file.trim_end_matches(".txt");
        let text = std::fs::read_to_string(dir.join("docs").join(file)).expect("doc");
        let doc = Document {
            source_id: id.to_owned(),
            text,
            meta: SourceMeta {
                published: (!published.is_empty())
                    .then(|| published.parse::<PartialDate>().expect("date")),
                geo: (!geo.is_empty()).then(|| geo.to_owned()),
                ..SourceMeta::default()
            },
        };
        let golden: Vec<GoldenRecord> = serde_json::from_str(
            &std::fs::read_to_string(dir.join("expected").join(format!("{id}.json")))
                .expect("golden"),
        )
        .expect("json");
        let rows: Vec<Row> = linker
            .transform(&doc)
            .records
            .iter()
            .map(Row::from)
            .collect();
        scores.push(score_document(id, &rows, &golden));
    }
    assert_eq!(scores.len(), 12);
    let (g, rows, m) = totals(&scores);
    let (p, r, f) = prf(m, rows, g);
    let report = chiso_transform::golden::report_markdown(&scores, true);
    assert!(
        f >= 0.9 && p >= 0.9 && r >= 0.9,
        "precision {p:.2} recall {r:.2} F1 {f:.2}\n{report}"
    );
    // Attributes of matched rows: kinds and comparators almost always right.
    let kind_ok: usize = scores.iter().map(|s| s.attributes[0].1).sum();
    assert!(
        kind_ok as f64 >= 0.9 * m as f64,
        "kind right on {kind_ok} of {m}\n{report}"
    );
}
