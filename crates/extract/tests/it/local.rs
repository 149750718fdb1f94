//! Local files: provenance, size cap, errors that name the source.

use chiso_extract::{Error, ExtractOptions, Location, SourceSpec, extract_all};
use chiso_model::PartialDate;

use crate::support::scratch;

pub fn spec(id: &str, location: Location) -> SourceSpec {
    SourceSpec {
        id: id.into(),
        location,
        published: None,
        geo: None,
        format: None,
    }
}

#[test]
fn file_is_read_with_provenance() {
    let tmp = scratch("provenance");
    let dir = tmp.path();
    let path = dir.join("bao-cao.txt");
    std::fs::write(&path, "abc").expect("writable");
    let spec = SourceSpec {
        published: Some(PartialDate::Month {
            year: 2023,
            month: 4,
        }),
        geo: Some("VN-13".into()),
        ..spec("qn-2023", Location::Path(path.clone()))
    };
    let results = extract_all(&[spec], &ExtractOptions::default());
    let got = results
        .into_iter()
        .next()
        .expect("one result")
        .expect("readable");
    let doc = got.document;
    assert_eq!(doc.source_id, "qn-2023");
    assert_eq!(doc.text, "abc");
    assert_eq!(doc.meta.origin, path.display().to_string());
    // sha256("abc"), the FIPS 180-2 test vector.
    assert_eq!(
        doc.meta.sha256,
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(doc.meta.bytes, 3);
    assert_eq!(doc.meta.encoding, "utf-8");
    assert_eq!(
        doc.meta.published,
        Some(PartialDate::Month {
            year: 2023,
            month: 4
        })
    );
    assert_eq!(doc.meta.geo.as_deref(), Some("VN-13"));
    assert!(got.warnings.is_empty());
}

#[test]
fn failures_are_per_source_and_in_order() {
    let tmp = scratch("failures");
    let dir = tmp.path();
    let good = dir.join("good.txt");
    std::fs::write(&good, "Dân số 1,3 triệu người.").expect("writable");
    let big = dir.join("big.txt");
    std::fs::write(&big, "x".repeat(2000)).expect("writable");
    let binary = dir.join("image.bin");
    std::fs::write(&binary, b"GIF89a\0\0\x01\0").expect("writable");
    let mojibake = dir.join("mojibake.txt");
    let garbled: String = "Tăng trưởng kinh tế ước đạt 7,35%"
        .bytes()
        .map(char::from)
        .collect();
    std::fs::write(&mojibake, garbled).expect("writable");
    let specs = [
        spec("missing", Location::Path(dir.join("no-such-file.txt"))),
        spec("good", Location::Path(good)),
        spec("big", Location::Path(big.clone())),
        spec("binary", Location::Path(binary)),
        spec("ftp", Location::Url("ftp://example.invalid/a.txt".into())),
        spec("mojibake", Location::Path(mojibake)),
    ];
    let opts = ExtractOptions {
        max_bytes: 1000,
        ..ExtractOptions::default()
    };
    let results = extract_all(&specs, &opts);
    assert_eq!(results.len(), specs.len());

    let err = |i: usize| results[i].as_ref().expect_err("a failure").to_string();
    assert!(matches!(results[0], Err(Error::Read { .. })));
    assert!(
        err(0).contains("source missing") && err(0).contains("no-such-file.txt"),
        "{}",
        err(0)
    );
    assert_eq!(
        results[1].as_ref().expect("readable").document.text,
        "Dân số 1,3 triệu người."
    );
    assert!(matches!(
        results[2],
        Err(Error::TooLarge { limit: 1000, .. })
    ));
    assert!(
        err(2).contains("big.txt") && err(2).contains("1000 bytes"),
        "{}",
        err(2)
    );
    assert!(
        err(3).contains("source binary") && err(3).contains("binary content"),
        "{}",
        err(3)
    );
    assert!(
        err(4).contains("source ftp") && err(4).contains("\"ftp\""),
        "{}",
        err(4)
    );
    let warned = results[5].as_ref().expect("mojibake is decoded");
    assert_eq!(warned.warnings.len(), 1, "{:?}", warned.warnings);
    assert!(warned.warnings[0].contains("mojibake"));
    for (r, s) in results.iter().zip(&specs) {
        if let Err(e) = r {
            assert_eq!(e.source_id(), s.id);
        }
    }
}

#[test]
fn file_at_the_cap_is_read() {
    let tmp = scratch("cap");
    let dir = tmp.path();
    let path = dir.join("exact.txt");
    std::fs::write(&path, "y".repeat(1000)).expect("writable");
    let opts = ExtractOptions {
        max_bytes: 1000,
        ..ExtractOptions::default()
    };
    let results = extract_all(&[spec("exact", Location::Path(path))], &opts);
    assert_eq!(
        results[0]
            .as_ref()
            .expect("at the cap is fine")
            .document
            .meta
            .bytes,
        1000
    );
}

/// A PDF or Word file is a failed source that says so and what to do; named as text
/// (`format = "text"`), it is read as text.
#[test]
fn documents_chiso_does_not_read_fail_with_a_hint_unless_a_format_is_given() {
    let tmp = scratch("unsupported");
    let dir = tmp.path();
    let pdf = dir.join("bao-cao.pdf");
    std::fs::write(&pdf, "%PDF-1.7\nGRDP tăng 7%").expect("writable");
    let docx = dir.join("bao-cao.docx");
    std::fs::write(&docx, b"PK\x03\x04 a Word file").expect("writable");
    let specs = [
        spec("pdf", Location::Path(pdf.clone())),
        spec("docx", Location::Path(docx)),
    ];
    for (result, what) in extract_all(&specs, &ExtractOptions::default())
        .into_iter()
        .zip(["a PDF document", "a Word document"])
    {
        let e = result.expect_err("not read").to_string();
        assert!(
            e.contains(what) && e.contains("convert it to text or HTML first"),
            "{e}"
        );
    }
    let as_text = SourceSpec {
        format: Some(chiso_extract::Format::Text),
        ..spec("pdf", Location::Path(pdf))
    };
    let read = extract_all(&[as_text], &ExtractOptions::default())
        .into_iter()
        .next()
        .expect("one result")
        .expect("read as text when told to");
    assert!(read.document.text.contains("GRDP tăng 7%"));
}
