//! The whole transform stage (segmentation, number grammar, catalogue, gazetteer, linking) on
//! arbitrary NFC text, as the extract stage hands it on: never panics, every record's quote
//! and offsets point back into the text and its values are finite.
#![no_main]

use chiso_model::{Document, PartialDate, SourceMeta};
use chiso_transform::link::Linker;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

fn linker() -> &'static Linker {
    static LINKER: OnceLock<Linker> = OnceLock::new();
    LINKER.get_or_init(Linker::builtin)
}

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    let text: String = raw.nfc().collect();
    let doc = Document {
        source_id: "fuzz".into(),
        text,
        meta: SourceMeta {
            published: Some(PartialDate::Year(2023)),
            ..SourceMeta::default()
        },
    };
    let out = linker().transform(&doc);
    let chars = doc.text.chars().count();
    for r in &out.records {
        for v in [Some(r.value_low), Some(r.value_high), r.of_total]
            .into_iter()
            .flatten()
        {
            assert!(v.is_finite(), "non-finite value in {r:?}");
        }
        assert!(
            r.span.start <= r.span.end && r.span.end <= chars,
            "offsets of {r:?}"
        );
    }
    assert_eq!(out.mentions.len(), out.links.len(), "a link for every mention");
    for m in out.linked() {
        assert!(m.sentence < out.sentences.len(), "sentence index of {m:?}");
        // Each link stays with its own mention: the mention lies within its sentence.
        let start = out.sentence_starts[m.sentence];
        assert!(
            start <= m.mention.bytes.start
                && m.mention.bytes.end <= start + out.sentences[m.sentence].len(),
            "{m:?} outside its sentence"
        );
    }
});
