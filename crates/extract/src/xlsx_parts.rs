//! Counts in the parts of an XLSX that calamine turns into memory when it opens the workbook,
//! read while the unpacked-size check inflates each part, before calamine sees the file.
//!
//! When calamine opens an XLSX (`Xlsx::new`) it reads two parts whole, whatever sheets are read
//! later:
//!
//! - the shared strings (`xl/sharedStrings.xml`): it reserves room for as many strings as the
//!   `<sst uniqueCount="…">` attribute says, before reading one. A count of 10¹² in a 300-byte
//!   part is a 24 TB reservation, and a failed allocation aborts the process. A shared string
//!   takes at least 5 bytes of the part (`<si/>`), so a count above the part's size / 5 (and
//!   above [`SLACK_STRINGS`]) cannot be honest and is refused.
//! - the styles (`xl/styles.xml`): every `<xf>` of `cellXfs` becomes a `Style` holding its own
//!   copy of its font's name and number format code. One 1 MB format code shown by a million
//!   20-byte `<xf>` elements would be a terabyte of copies. The part's `<xf>` elements times
//!   (a `Style` plus twice its longest attribute list or text) must stay under
//!   [`MAX_STYLE_BYTES`]: an upper bound of what calamine builds (it counts the `<xf>` of
//!   `cellStyleXfs` too, and a font name or format code is never longer than the tag or text
//!   it is read from).
//!
//! The parts are found as calamine finds them: `sharedStrings.xml` and `styles.xml` under the
//! workbook's folder, whatever the case of the entry's name. Any entry whose name ends so is
//! checked, whatever folder `_rels/.rels` points calamine to. The XML is read with quick-xml,
//! configured as calamine configures it, one event at a time.

use std::io::BufRead;

use quick_xml::Reader;
use quick_xml::events::Event;

/// Bytes the styles calamine builds from a workbook's `styles.xml` may take: 64 MiB, room for
/// 65 536 cell formats (more than Excel allows, 65 490) with long font names and format codes.
pub(crate) const MAX_STYLE_BYTES: u64 = 64 << 20;
/// Strings any `uniqueCount` may declare whatever the part's size: a reservation of 24 KiB.
const SLACK_STRINGS: u64 = 1024;
/// Bytes of the smallest shared string, `<si/>`.
const MIN_SHARED_STRING_BYTES: u64 = 5;

/// A part calamine reads when it opens a workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    SharedStrings,
    Styles,
}

impl Part {
    /// The part a zip entry may be, by its name, as calamine looks names up (case-insensitive,
    /// `\` read as `/`).
    pub(crate) fn of(entry: &str) -> Option<Part> {
        let name = entry.replace('\\', "/").to_ascii_lowercase();
        if name.ends_with("sharedstrings.xml") {
            Some(Part::SharedStrings)
        } else if name.ends_with("styles.xml") {
            Some(Part::Styles)
        } else {
            None
        }
    }
}

/// What a part says of the memory calamine will take for it.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Counts {
    /// The `uniqueCount` of the first `<sst>` (the largest, if it has the attribute twice).
    pub unique_count: Option<u64>,
    /// `<xf>` elements.
    pub xf: u64,
    /// Bytes of the longest attribute list or text of the part.
    pub longest: u64,
}

impl Counts {
    /// Why the counts, of a part of `bytes` unpacked bytes, are refused.
    pub(crate) fn problem(&self, part: Part, bytes: u64) -> Option<String> {
        match part {
            Part::SharedStrings => {
                let declared = self.unique_count?;
                let most = bytes / MIN_SHARED_STRING_BYTES + SLACK_STRINGS;
                (declared > most).then(|| {
                    format!(
                        "the shared strings declare uniqueCount=\"{declared}\", more than the \
                         {bytes}-byte part can hold ({most}); the Excel reader would reserve \
                         room for every one"
                    )
                })
            }
            Part::Styles => {
                let style = std::mem::size_of::<calamine::Style>() as u64;
                let built = self
                    .xf
                    .saturating_mul(style.saturating_add(self.longest.saturating_mul(2)));
                (built > MAX_STYLE_BYTES).then(|| {
                    format!(
                        "the styles have {} <xf> formats with names or codes up to {} bytes: the \
                         Excel reader would copy them into up to {built} bytes, more than the \
                         limit of {MAX_STYLE_BYTES}",
                        self.xf, self.longest
                    )
                })
            }
        }
    }
}

/// The value of every `uniqueCount="…"` in a tag's attributes (a superset of the attribute
/// calamine's `raw_attr` finds), the largest; a value that is not all digits is skipped, as
/// calamine skips it.
fn unique_count(attributes: &str) -> Option<u64> {
    const KEY: &str = "uniqueCount";
    let mut largest = None;
    for (at, _) in attributes.match_indices(KEY) {
        let rest = attributes[at + KEY.len()..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(quote) = rest.chars().next().filter(|q| *q == '"' || *q == '\'') else {
            continue;
        };
        let value = rest[1..].split(quote).next().unwrap_or_default();
        if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        // More digits than a u64 holds: calamine's parse fails too, and reserves nothing.
        if let Ok(n) = value.parse::<u64>() {
            largest = largest.max(Some(n));
        }
    }
    largest
}

/// Reads a part's counts. Reading stops at the first `<sst>` of the shared strings (calamine
/// reserves there) and at the first XML error (calamine stops there too); the caller reads the
/// rest of the entry.
pub(crate) fn count(part: Part, input: impl BufRead) -> Counts {
    let mut xml = Reader::from_reader(input);
    let config = xml.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    let mut counts = Counts::default();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => {
                let local = e.local_name();
                match part {
                    Part::SharedStrings if local.as_ref() == "sst" => {
                        counts.unique_count = unique_count(e.attributes_raw());
                        return counts;
                    }
                    Part::SharedStrings => {}
                    Part::Styles => {
                        if local.as_ref() == "xf" {
                            counts.xf += 1;
                        }
                        counts.longest = counts.longest.max(e.attributes_raw().len() as u64);
                    }
                }
            }
            Ok(Event::Text(t)) => counts.longest = counts.longest.max(t.len() as u64),
            Ok(Event::CData(t)) => counts.longest = counts.longest.max(t.len() as u64),
            Ok(Event::Eof) | Err(_) => return counts,
            Ok(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_found_by_the_end_of_their_name_in_any_case() {
        assert_eq!(Part::of("xl/sharedStrings.xml"), Some(Part::SharedStrings));
        assert_eq!(
            Part::of("other\\SHAREDSTRINGS.XML"),
            Some(Part::SharedStrings)
        );
        assert_eq!(Part::of("xl/styles.xml"), Some(Part::Styles));
        assert_eq!(Part::of("xl/worksheets/sheet1.xml"), None);
    }

    #[test]
    fn the_unique_count_is_read_as_calamine_reads_it() {
        let sst = |attrs: &str| {
            let xml = format!("<?xml version=\"1.0\"?><sst {attrs}><si><t>a</t></si></sst>");
            count(Part::SharedStrings, xml.as_bytes()).unique_count
        };
        assert_eq!(sst(r#"count="9" uniqueCount="3""#), Some(3));
        assert_eq!(sst(r#"uniqueCount = '0007'"#), Some(7));
        assert_eq!(sst(r#"uniqueCount="1e9""#), None);
        assert_eq!(sst(r#"uniqueCount="+5""#), None);
        assert_eq!(sst(r#"uniqueCount="99999999999999999999999""#), None);
        assert_eq!(sst(r#"uniqueCount="2" x:uniqueCount="5""#), Some(5));
        assert_eq!(sst(r#"count="9""#), None);
    }

    #[test]
    fn a_unique_count_the_part_cannot_hold_is_refused() {
        let counts = Counts {
            unique_count: Some(1_000_000_000_000),
            ..Counts::default()
        };
        let problem = counts.problem(Part::SharedStrings, 300).unwrap();
        assert!(
            problem.contains("uniqueCount=\"1000000000000\""),
            "{problem}"
        );
        // An honest count, and a small lie, pass.
        for declared in [3, 1_000] {
            let counts = Counts {
                unique_count: Some(declared),
                ..Counts::default()
            };
            assert_eq!(counts.problem(Part::SharedStrings, 300), None);
        }
    }

    #[test]
    fn many_formats_sharing_a_long_code_are_refused() {
        let code = "0".repeat(100_000);
        let mut xml = format!(
            "<styleSheet><numFmts><numFmt numFmtId=\"164\" formatCode=\"{code}\"/></numFmts><cellXfs>"
        );
        for _ in 0..1_000 {
            xml.push_str("<xf numFmtId=\"164\"/>");
        }
        xml.push_str("</cellXfs></styleSheet>");
        let counts = count(Part::Styles, xml.as_bytes());
        assert_eq!(counts.xf, 1_000);
        assert!(counts.longest > 100_000);
        assert!(counts.problem(Part::Styles, xml.len() as u64).is_some());
        // A hundred formats with short codes pass.
        let xml = format!(
            "<styleSheet><cellXfs>{}</cellXfs></styleSheet>",
            "<xf numFmtId=\"0\" fontId=\"0\"/>".repeat(100)
        );
        let counts = count(Part::Styles, xml.as_bytes());
        assert_eq!(counts.xf, 100);
        assert_eq!(counts.problem(Part::Styles, xml.len() as u64), None);
    }
}
