//! chiso-report's integration tests: the rendered page on its own (render) and in headless
//! Chromium (in_browser), built from the real Lào Cai interview and a hostile source.
#![allow(clippy::panic, clippy::unwrap_used)] // test and bench code: a failed expectation panics by design

mod browser;
mod fixtures;
mod in_browser;
mod render;

/// Accent folding as the page's filter does it: NFD, combining marks dropped, đ → d, lower case.
pub fn fold(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .map(|c| if c == 'đ' || c == 'Đ' { 'd' } else { c })
        .flat_map(char::to_lowercase)
        .collect()
}

/// How many times `needle` occurs in `hay`.
pub fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

/// The text between `start` (after it) and the next `end`, from the first `start`.
pub fn between<'a>(hay: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let at = hay.find(start)? + start.len();
    let len = hay[at..].find(end)?;
    Some(&hay[at..at + len])
}
