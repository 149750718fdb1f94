//! Which format a source is: from its name's extension, then the HTTP Content-Type, then the
//! bytes themselves.

use crate::Format;
use crate::workbook::{is_workbook, looks_like_html};

/// The extension of a path or URL (its path part, without query or fragment), lower case.
fn extension(name: &str) -> Option<String> {
    let path = name.split(['?', '#']).next().unwrap_or(name);
    let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let (stem, ext) = file.rsplit_once('.')?;
    (!stem.is_empty() && !ext.is_empty()).then(|| ext.to_ascii_lowercase())
}

fn from_extension(ext: &str) -> Option<Format> {
    match ext {
        "html" | "htm" | "shtml" | "xhtml" => Some(Format::Html),
        "txt" | "text" => Some(Format::Text),
        other => Format::from_name(other),
    }
}

fn from_content_type(content_type: &str) -> Option<Format> {
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match mime.as_str() {
        "text/html" | "application/xhtml+xml" => Some(Format::Html),
        "text/csv" | "application/csv" => Some(Format::Csv),
        "text/tab-separated-values" => Some(Format::Tsv),
        "application/vnd.ms-excel" => Some(Format::Xls),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => Some(Format::Xlsx),
        "text/plain" => Some(Format::Text),
        _ => None,
    }
}

fn from_content(bytes: &[u8]) -> Format {
    if bytes.starts_with(b"PK\x03\x04") {
        Format::Xlsx
    } else if is_workbook(bytes) {
        Format::Xls
    } else if looks_like_html(bytes) {
        Format::Html
    } else {
        Format::Text
    }
}

/// The format of a source named `name` (a path or URL), served with `content_type` (HTTP), whose
/// bytes are `bytes`: the extension decides first (so an `.xls` file that is really HTML is
/// reported as such by the workbook reader), then the Content-Type, then the content (an Excel
/// signature, an HTML start), else plain text.
///
/// ```
/// use chiso_extract::{Format, detect_format};
/// assert_eq!(detect_format("corpus/bai-1.html", None, b""), Format::Html);
/// assert_eq!(detect_format("https://x.vn/tin/123", Some("text/html; charset=utf-8"), b""), Format::Html);
/// assert_eq!(detect_format("https://x.vn/download?id=7", None, b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), Format::Xls);
/// assert_eq!(detect_format("notes", None, "Năm 2022".as_bytes()), Format::Text);
/// ```
pub fn detect_format(name: &str, content_type: Option<&str>, bytes: &[u8]) -> Format {
    format_of_name(name)
        .or_else(|| content_type.and_then(from_content_type))
        .unwrap_or_else(|| from_content(bytes))
}

/// The format the extension of a path or URL names (`bai-1.html`, `x.csv?raw=1`), if it names
/// one: what [`detect_format`] decides first.
pub fn format_of_name(name: &str) -> Option<Format> {
    extension(name).and_then(|e| from_extension(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_content_types_and_content() {
        assert_eq!(detect_format("a/b/Final_2014.xls", None, b""), Format::Xls);
        assert_eq!(detect_format("PCI_2012.XLSX", None, b""), Format::Xlsx);
        assert_eq!(detect_format("x.tsv", None, b""), Format::Tsv);
        assert_eq!(detect_format("x.csv?raw=1", None, b""), Format::Csv);
        assert_eq!(
            detect_format("http://h/p", Some("text/csv"), b""),
            Format::Csv
        );
        assert_eq!(
            detect_format("http://h/p", None, b"  <!DOCTYPE html><html>"),
            Format::Html
        );
        assert_eq!(
            detect_format("http://h/p", None, b"PK\x03\x04rest"),
            Format::Xlsx
        );
        assert_eq!(detect_format(".hidden", None, b"text"), Format::Text);
    }
}
