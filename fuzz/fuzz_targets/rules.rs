//! The rules-file parser on arbitrary text: never panics; an error names the file.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(e) = chiso_validate::RuleSet::from_str(text, "fuzz-rules.toml") {
        assert!(
            e.to_string().contains("fuzz-rules.toml"),
            "error does not name the file: {e}"
        );
    }
});
