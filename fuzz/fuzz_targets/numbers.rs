//! The number grammar on arbitrary text: never panics, every mention's byte span slices the
//! text at char boundaries and its code-point span covers the same characters, mentions are in
//! order and do not overlap, and every value is finite.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let found = chiso_transform::numbers::scan(text);
    let mut last_byte = 0;
    let mut last_char = 0;
    for m in &found {
        assert!(m.bytes.start <= m.bytes.end && m.bytes.end <= text.len());
        let written = text
            .get(m.bytes.start..m.bytes.end)
            .expect("a mention's bytes lie on char boundaries");
        let chars_before = text[..m.bytes.start].chars().count();
        assert_eq!(m.span.start, chars_before, "code-point start of {m:?}");
        assert_eq!(
            m.span.end - m.span.start,
            written.chars().count(),
            "code-point length of {m:?}"
        );
        assert!(
            m.bytes.start >= last_byte && m.span.start >= last_char,
            "overlap at {m:?}"
        );
        last_byte = m.bytes.end;
        last_char = m.span.end;
        for v in [m.value_low, m.value_high, m.of_total]
            .into_iter()
            .flatten()
        {
            assert!(v.is_finite(), "non-finite value in {m:?}");
        }
        if let (Some(lo), Some(hi)) = (m.value_low, m.value_high) {
            assert!(!(lo.is_nan() || hi.is_nan()), "NaN in {m:?}");
        }
    }
});
