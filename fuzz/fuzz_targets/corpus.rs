//! A JSON-lines corpus on arbitrary bytes, read as `chiso run` reads one: never panics; every
//! line gives a record or an error naming that line; a record's document is NFC text with `\n`
//! line endings and no NUL; the whole file is counted.
#![no_main]

use chiso_extract::{CorpusColumns, CorpusFormat, CorpusReader, Location, SourceSpec};
use libfuzzer_sys::fuzz_target;
use unicode_normalization::is_nfc;

fuzz_target!(|data: &[u8]| {
    let dir = std::env::temp_dir().join(format!("chiso-fuzz-corpus-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join("corpus.jsonl");
    if std::fs::write(&path, data).is_err() {
        return;
    }
    // A small cap, so that long documents and lines are exercised too.
    let max = 64 + (data.len() as u64 % 512);
    let Ok(mut reader) = CorpusReader::open(
        "news",
        &path,
        CorpusFormat::JsonLines,
        &CorpusColumns::default(),
        max,
    ) else {
        return;
    };
    let spec = SourceSpec {
        id: "news".into(),
        location: Location::Path(path.clone()),
        published: None,
        geo: None,
        format: None,
    };
    let lines = data.split(|&b| b == b'\n').count() as u64;
    let mut last = 0;
    for record in reader.by_ref() {
        match record {
            Ok(r) => {
                assert!(
                    r.position > last && r.position <= lines,
                    "{} of {lines}",
                    r.position
                );
                last = r.position;
                if let Ok(doc) = r.into_document(&spec, &path) {
                    assert!(is_nfc(&doc.text), "not NFC");
                    assert!(!doc.text.contains('\r') && !doc.text.contains('\0'));
                    assert!(!doc.source_id.is_empty());
                }
            }
            Err(e) => {
                let e = e.to_string();
                assert!(e.contains("line "), "{e}");
            }
        }
    }
    let digest = reader.finish().expect("a file read to its end is hashed");
    assert_eq!(digest.bytes, data.len() as u64);
});
