//! Decoding raw source bytes (BOMs, UTF-8, UTF-16 sniffing, Windows-1258) and the mojibake
//! check: never panics; a decoded text is NFC with `\n` line endings.
#![no_main]

use libfuzzer_sys::fuzz_target;
use unicode_normalization::is_nfc;

fuzz_target!(|data: &[u8]| {
    if let Ok(chiso_extract::Decoded { text, encoding, .. }) = chiso_extract::decode(data) {
        assert!(!encoding.is_empty());
        assert!(is_nfc(&text), "decoded text is not NFC ({encoding})");
        assert!(
            !text.contains('\r'),
            "decoded text keeps a carriage return ({encoding})"
        );
        let _ = chiso_extract::mojibake_warning(&text);
    }
});
