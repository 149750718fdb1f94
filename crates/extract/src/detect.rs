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

/// The kind of document a source is when it is one chiso does not read (PDF, Word, PowerPoint,
/// OpenDocument, RTF, EPUB), by its extension or its first bytes: read as text, such a file
/// would give garbage or a confusing error from the workbook reader (a `.docx` is a ZIP file,
/// as an `.xlsx` is).
pub fn unsupported_document(name: &str, bytes: &[u8]) -> Option<&'static str> {
    let by_name = extension(name).and_then(|e| match e.as_str() {
        "pdf" => Some("PDF"),
        "doc" | "docx" | "docm" | "dot" | "dotx" => Some("Word"),
        "ppt" | "pptx" => Some("PowerPoint"),
        "odt" | "odp" | "ods" | "odg" => Some("OpenDocument"),
        "rtf" => Some("RTF"),
        "epub" => Some("EPUB"),
        _ => None,
    });
    by_name.or_else(|| {
        if bytes.starts_with(b"%PDF-") {
            Some("PDF")
        } else if bytes.starts_with(b"{\\rtf") {
            Some("RTF")
        } else {
            None
        }
    })
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

    #[test]
    fn documents_chiso_does_not_read_are_named() {
        assert_eq!(
            unsupported_document("bao-cao.docx", b"PK\x03\x04"),
            Some("Word")
        );
        assert_eq!(
            unsupported_document("https://x.vn/a.PDF?x=1", b""),
            Some("PDF")
        );
        assert_eq!(unsupported_document("download", b"%PDF-1.7\n"), Some("PDF"));
        assert_eq!(unsupported_document("note", b"{\\rtf1\\ansi"), Some("RTF"));
        assert_eq!(unsupported_document("a.txt", "Năm 2022".as_bytes()), None);
        assert_eq!(unsupported_document("a.xlsx", b"PK\x03\x04"), None);
    }
}
