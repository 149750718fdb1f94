//! A JSON-lines corpus on arbitrary bytes, read as `chiso run` reads one: never panics; every
//! line gives a record or an error naming that line; a record's document is NFC text with `\n`
//! line endings and no NUL; the whole file is counted. The same bytes compressed with gzip or
//! zstd give the same records; read as a `.jsonl.zst` or `.jsonl.gz` file (mostly a damaged
//! compressed file) they never panic and every error names a line.
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
    let origin = path.display().to_string();
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
                if let Ok((doc, _warnings)) =
                    r.into_document(&spec, &origin, CorpusFormat::JsonLines)
                {
                    assert!(is_nfc(&doc.text), "not NFC");
                    assert!(!doc.text.contains('\r') && !doc.text.contains('\0'));
                    assert!(!doc.source_id.is_empty());
                }
            }
            Err(e) => {
                // The line is kept as a number too (a failed document's origin is built from it).
                let at = e.corpus_position();
                assert!(
                    at.is_some_and(|at| at > last && at <= lines),
                    "{e}: {at:?} of {lines}"
                );
                last = at.unwrap_or(last);
                let e = e.to_string();
                assert!(e.contains("line "), "{e}");
            }
        }
    }
    let digest = reader.finish().expect("a file read to its end is hashed");
    assert_eq!(digest.bytes, data.len() as u64);

    let plain = read(&path, CorpusFormat::JsonLines, max);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let gz = std::io::Write::write_all(&mut gz, data)
        .and_then(|()| gz.finish())
        .expect("in memory");
    let (gz_path, raw_gz, raw_zst) = (
        dir.join("corpus.jsonl.gz"),
        dir.join("raw.jsonl.gz"),
        dir.join("raw.jsonl.zst"),
    );
    for (p, bytes) in [(&gz_path, &gz[..]), (&raw_gz, data), (&raw_zst, data)] {
        if std::fs::write(p, bytes).is_err() {
            return;
        }
    }
    let zst = zstd::encode_all(data, 1).expect("in memory");
    let zst_path = dir.join("corpus.jsonl.zst");
    if std::fs::write(&zst_path, zst).is_err() {
        return;
    }
    assert_eq!(
        read(&gz_path, CorpusFormat::JsonLinesGzip, max),
        plain,
        "gzip"
    );
    assert_eq!(
        read(&zst_path, CorpusFormat::JsonLinesZstd, max),
        plain,
        "zstd"
    );
    read(&raw_gz, CorpusFormat::JsonLinesGzip, max);
    read(&raw_zst, CorpusFormat::JsonLinesZstd, max);
});

/// The records of a corpus file (errors as the line they name), checking that every error
/// names a line and that the whole file is hashed.
fn read(
    path: &std::path::Path,
    format: CorpusFormat,
    max: u64,
) -> Vec<Result<chiso_extract::CorpusRecord, u64>> {
    let Ok(mut reader) = CorpusReader::open("news", path, format, &CorpusColumns::default(), max)
    else {
        return Vec::new();
    };
    let records = reader
        .by_ref()
        .map(|r| {
            r.map_err(|e| {
                let e = e.to_string();
                let at = e.split("at line ").nth(1).expect("an error names its line");
                at.split(':')
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("a line number")
            })
        })
        .collect();
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    assert_eq!(reader.finish().expect("hashed").bytes, size);
    records
}
