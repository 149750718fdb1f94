//! Decoding: every supported encoding gives the same NFC text.

use chiso_extract::{DecodeError, decode};
use encoding_rs::WINDOWS_1258;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::compose;

const SENTENCES: [&str; 3] = [
    "Tổng sản phẩm trên địa bàn (GRDP) quý I/2023 ước tăng 7,35% so với cùng kỳ năm trước.",
    "Thu ngân sách nhà nước đạt 45.799 tỷ đồng, bằng 124,2% dự toán; xếp thứ 4/63 tỉnh, thành phố.",
    "Tỷ lệ hộ nghèo giảm còn 1,5%; thu nhập bình quân đầu người ước đạt 98,7 triệu đồng/người/năm.",
];

fn text() -> String {
    SENTENCES.join("\n")
}

/// The text in the form Windows-1258 can hold: letters with circumflex, breve and horn
/// precomposed ("â", "ư"), tone marks as combining characters unless the code page has the toned
/// letter ("à", "á"), as Vietnamese text in that code page is written.
fn windows_1258_bytes(text: &str) -> Vec<u8> {
    let encodable = |c: char| !WINDOWS_1258.encode(&c.to_string()).2;
    let mut clusters: Vec<Vec<char>> = Vec::new();
    for c in text.nfd() {
        match clusters.last_mut() {
            Some(cluster) if unicode_normalization::char::canonical_combining_class(c) != 0 => {
                cluster.push(c)
            }
            _ => clusters.push(vec![c]),
        }
    }
    let mut out = String::new();
    for cluster in clusters {
        let (mut base, marks) = (cluster[0], &cluster[1..]);
        let mut tones = Vec::new();
        for &m in marks {
            match compose(base, m) {
                Some(k) if matches!(m, '\u{302}' | '\u{306}' | '\u{31B}') => base = k,
                _ => tones.push(m),
            }
        }
        if let [tone] = tones[..]
            && let Some(k) = compose(base, tone).filter(|&k| encodable(k))
        {
            base = k;
            tones.clear();
        }
        out.push(base);
        out.extend(tones);
    }
    let (bytes, _, unmappable) = WINDOWS_1258.encode(&out);
    assert!(!unmappable, "the test text fits Windows-1258: {out:?}");
    bytes.into_owned()
}

fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let units = bom.then_some(0xFEFF).into_iter().chain(text.encode_utf16());
    for u in units {
        out.extend(if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    out
}

#[test]
fn every_encoding_gives_the_same_nfc_text() {
    let expected = text();
    let mut bom_utf8 = b"\xEF\xBB\xBF".to_vec();
    bom_utf8.extend(expected.as_bytes());
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("utf-8", expected.as_bytes().to_vec(), "utf-8"),
        ("utf-8 with BOM", bom_utf8, "utf-8"),
        (
            "utf-16le with BOM",
            utf16(&expected, false, true),
            "utf-16le",
        ),
        (
            "utf-16be with BOM",
            utf16(&expected, true, true),
            "utf-16be",
        ),
        (
            "utf-16le without BOM",
            utf16(&expected, false, false),
            "utf-16le",
        ),
        (
            "utf-16be without BOM",
            utf16(&expected, true, false),
            "utf-16be",
        ),
        (
            "windows-1258",
            windows_1258_bytes(&expected),
            "windows-1258",
        ),
        (
            "utf-8 NFD",
            expected.nfd().collect::<String>().into_bytes(),
            "utf-8",
        ),
    ];
    for (name, bytes, encoding) in cases {
        let decoded = decode(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(decoded.encoding, encoding, "{name}");
        assert_eq!(decoded.text, expected, "{name}");
        assert_eq!(decoded.replaced, None, "{name}");
    }
}

/// A UTF-8 text with a few stray bytes of another encoding (a Windows-1252 quote mark pasted
/// in, a cut sequence) is read as UTF-8 with each replaced, and says where the first was; a
/// Windows-1258 text, whose letters almost never form UTF-8 sequences, is still read as one,
/// with or without stray UTF-8 in it.
#[test]
fn stray_bytes_in_utf8_are_replaced_not_read_as_another_encoding() {
    let good = text();
    let mut bytes = good.as_bytes().to_vec();
    let at = good.find("45.799").expect("in the text");
    bytes.insert(at, 0x92);
    let cut = good.find("Tỷ lệ").expect("in the text") + 1;
    bytes.insert(cut + 1, b'\xE1'); // a lead byte with no continuation
    let decoded = decode(&bytes).expect("decodable");
    assert_eq!(decoded.encoding, "utf-8");
    let expected =
        good.replacen("45.799", "\u{FFFD}45.799", 1)
            .replacen("Tỷ lệ", "T\u{FFFD}ỷ lệ", 1);
    assert_eq!(decoded.text, expected);
    let replaced = decoded.replaced.expect("two sequences replaced");
    assert_eq!((replaced.count, replaced.first), (2, at));
    let warning = decoded.warning().expect("a warning");
    assert!(
        warning.contains("2 byte sequences") && warning.contains(&format!("byte {at}")),
        "{warning}"
    );

    // The same with a byte order mark: the offsets count it.
    let mut with_bom = b"\xEF\xBB\xBF".to_vec();
    with_bom.extend(&bytes);
    let decoded = decode(&with_bom).expect("decodable");
    assert_eq!(
        (decoded.encoding, decoded.text.as_str()),
        ("utf-8", expected.as_str())
    );
    assert_eq!(
        decoded.replaced.map(|r| (r.count, r.first)),
        Some((2, at + 3))
    );

    // More stray sequences than letters is not a UTF-8 text any more.
    let mostly_stray: Vec<u8> = ["Tăng", "trưởng", "7%"]
        .iter()
        .flat_map(|w| w.bytes().chain([b' ', 0x92, b' ', 0x93, b' ']))
        .collect();
    assert_ne!(decode(&mostly_stray).expect("decodable").encoding, "utf-8");
    // A UTF-8 title over a Windows-1258 body is Windows-1258: the body's letters are not
    // punctuation bytes.
    let mut mixed = "Tình hình kinh tế tỉnh Yên Bái năm 2023 được cải thiện rõ rệt\n"
        .as_bytes()
        .to_vec();
    mixed.extend(windows_1258_bytes(
        "GRDP năm 2023 tăng 7,24% so với năm 2022. Thu ngân sách đạt 6.200 tỷ đồng.",
    ));
    let decoded = decode(&mixed).expect("decodable");
    assert_eq!(decoded.encoding, "windows-1258");
    assert!(
        decoded.text.ends_with("Thu ngân sách đạt 6.200 tỷ đồng."),
        "{}",
        decoded.text
    );
    // A short text with a letter for its one stray byte is.
    let short = decode(b"GDP t\xC4\x83ng 7% \x92").expect("decodable");
    assert_eq!(
        (short.encoding, short.text.as_str()),
        ("utf-8", "GDP tăng 7% \u{FFFD}")
    );

    // Windows-1258 text forms no Vietnamese letter of UTF-8 by chance: the sentences above and
    // the twelve texts of the development corpus.
    let docs =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/golden/dev-corpus/docs");
    let mut texts: Vec<String> = SENTENCES.iter().map(|s| (*s).to_owned()).collect();
    for entry in std::fs::read_dir(&docs).expect("the development corpus") {
        texts.push(std::fs::read_to_string(entry.expect("listed").path()).expect("UTF-8 text"));
    }
    assert!(texts.len() >= 15, "{}", texts.len());
    for sentence in &texts {
        let bytes = windows_1258_bytes(sentence);
        let letters: String = bytes
            .utf8_chunks()
            .flat_map(|c| c.valid().chars())
            .filter(|c| !c.is_ascii())
            .collect();
        assert_eq!(letters, "", "{sentence}");
    }
    let mut legacy = windows_1258_bytes(&good);
    legacy.extend("ước tăng".as_bytes());
    let decoded = decode(&legacy).expect("decodable");
    assert_eq!((decoded.encoding, decoded.replaced), ("windows-1258", None));
    assert!(decoded.text.starts_with(&good), "{}", decoded.text);
}

#[test]
fn windows_1258_really_is_decomposed_before_nfc() {
    let bytes = windows_1258_bytes("ước tăng");
    let (raw, _, _) = WINDOWS_1258.decode(&bytes);
    assert_ne!(
        raw, "ước tăng",
        "the code page holds tone marks as combining characters"
    );
    assert_eq!(decode(&bytes).expect("decodable").text, "ước tăng");
}

#[test]
fn line_endings_are_normalised() {
    let cases: [(&[u8], &str); 4] = [
        (b"a\r\nb\r\n", "a\nb\n"),
        (b"a\rb\rc", "a\nb\nc"),
        (b"a\r\n\r\nb\rc\n", "a\n\nb\nc\n"),
        (b"no newline", "no newline"),
    ];
    for (bytes, want) in cases {
        assert_eq!(decode(bytes).expect("ascii").text, want);
    }
    let crlf_utf16 = utf16("dòng 1\r\ndòng 2\rdòng 3", false, true);
    assert_eq!(
        decode(&crlf_utf16).expect("utf-16").text,
        "dòng 1\ndòng 2\ndòng 3"
    );
}

#[test]
fn binary_is_rejected() {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend([0u8, 1, 2, 3, 255, 254, 0, 0, 0, 7]);
    assert!(matches!(
        decode(&png),
        Err(DecodeError::Binary { offset: 8 })
    ));
    let zeros = vec![0u8; 1024];
    assert!(matches!(
        decode(&zeros),
        Err(DecodeError::Binary { offset: 0 })
    ));
    let mut text_then_nul = "Năm 2023".as_bytes().to_vec();
    text_then_nul.push(0);
    let err = decode(&text_then_nul)
        .expect_err("the case under test must fail")
        .to_string();
    assert!(err.contains("binary content"), "{err}");
}

#[test]
fn broken_bom_encodings_are_errors() {
    let mut bad_utf8 = b"\xEF\xBB\xBFT\xE1\xBB".to_vec(); // cut in the middle of "ổ"
    bad_utf8.push(b'x');
    assert_eq!(
        decode(&bad_utf8),
        Err(DecodeError::Malformed { encoding: "utf-8" })
    );
    let odd_utf16 = [0xFF, 0xFE, b'a', 0, b'b'];
    assert_eq!(
        decode(&odd_utf16),
        Err(DecodeError::Malformed {
            encoding: "utf-16le"
        })
    );
}

#[test]
fn empty_input_is_empty_text() {
    let empty = decode(b"").expect("empty");
    assert_eq!((empty.text.as_str(), empty.encoding), ("", "utf-8"));
}

/// Real sentences written in the legacy encodings by hand, letter by letter: VNI-Windows writes
/// a base letter then a mark byte ("ố" is "o" + 0xE1), TCVN3 one byte per accented letter.
/// Both are given here as the Windows-1252 characters their bytes show as.
#[test]
fn legacy_vietnamese_encodings_are_reported() {
    use chiso_extract::{LegacyEncoding, detect_legacy};
    let cp1252 = |s: &str| encoding_rs::WINDOWS_1252.encode(s).0.into_owned();
    // (0xAD, ư in TCVN3, is a soft hyphen in Windows-1252: written as an escape.)
    // "Tốc độ tăng trưởng kinh tế đạt 9,02%; Cộng hòa xã hội chủ nghĩa Việt Nam"
    let vni = cp1252(
        "Toác ñoä taêng tröôûng kinh teá ñaït 9,02%; Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam",
    );
    let tcvn3 =
        cp1252("Tèc ®é t¨ng tr\u{AD}ëng kinh tÕ ®¹t 9,02%; Céng hoµ x· héi chñ nghÜa ViÖt Nam");
    assert_eq!(detect_legacy(&vni), Some(LegacyEncoding::Vni));
    assert_eq!(detect_legacy(&tcvn3), Some(LegacyEncoding::Tcvn3));
    for clean in [text().into_bytes(), windows_1258_bytes(&text())] {
        assert_eq!(
            detect_legacy(&clean),
            None,
            "Unicode and Windows-1258 text is not legacy"
        );
    }
    let dir = crate::support::scratch("legacy");
    for (name, bytes, label) in [
        ("vni.txt", &vni, "VNI-Windows"),
        ("tcvn3.txt", &tcvn3, "TCVN3"),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("writable");
        let spec = crate::local::spec(name, chiso_extract::Location::Path(path));
        let got = chiso_extract::extract_all(&[spec], &chiso_extract::ExtractOptions::default())
            .remove(0)
            .expect("read, with a warning");
        assert!(
            got.warnings.iter().any(|w| w.contains(label)),
            "{name}: {:?}",
            got.warnings
        );
    }
}
