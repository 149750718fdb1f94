//! The sentence splitter and de-duplication on arbitrary text: never panics, every kept
//! sentence is a valid byte span of the text on character boundaries, in order.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let seg = chiso_transform::segment::segment(text);
    let mut last = 0;
    for s in &seg.sentences {
        assert!(s.bytes.start <= s.bytes.end, "inverted span {s:?}");
        assert!(
            text.get(s.bytes.start..s.bytes.end).is_some(),
            "span {s:?} does not slice the text"
        );
        assert!(s.bytes.start >= last, "sentences out of order at {s:?}");
        assert!(
            s.occurrences >= 1,
            "a kept sentence occurs at least once: {s:?}"
        );
        last = s.bytes.end;
    }
});
