//! Excel workbooks (XLS and XLSX) with calamine: every sheet a table.
//!
//! Before calamine sees the bytes they are checked: the file really is an OLE2 (XLS) or zip
//! (XLSX) container, not an HTML page saved with an `.xls` name (which Vietnamese portals
//! serve); an XLSX unpacks to no more than the cap (a zip bomb is refused before parsing); the
//! sector chains of an XLS end inside the file without looping ([`crate::cfb`]: calamine follows
//! them without a bound of its own), and its sheets span no more cells than a cap
//! ([`crate::xls_grid`]: calamine holds every cell from a sheet's first to its last).

use std::io::{Cursor, Read};

use calamine::{Data, Reader, open_workbook_auto_from_rs};
use chiso_model::Table;

use crate::cell_number::{DecimalMark, format_number};
use crate::table::{self, Origin, RawRow};

/// Start of an OLE2 compound file (XLS).
const OLE2_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
/// Start of a zip archive (XLSX).
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// Entries an XLSX may have.
const MAX_ENTRIES: usize = 10_000;

/// Why a workbook could not be read: where in it (a sheet, a zip entry), and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WorkbookProblem {
    /// `sheet "M01"`, `zip entry "xl/…"`, or `None` for the whole file.
    pub at: Option<String>,
    /// What is wrong.
    pub reason: String,
}

fn whole(reason: impl Into<String>) -> WorkbookProblem {
    WorkbookProblem {
        at: None,
        reason: reason.into(),
    }
}

/// Whether the bytes start like an HTML page (after a BOM and white space).
pub(crate) fn looks_like_html(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0);
    let head: Vec<u8> = bytes[start..]
        .iter()
        .take(64)
        .map(u8::to_ascii_lowercase)
        .collect();
    [
        "<!doctype html",
        "<html",
        "<table",
        "<?xml",
        "<meta",
        "<head",
        "<body",
    ]
    .iter()
    .any(|tag| head.starts_with(tag.as_bytes()))
        && !head.starts_with(b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<worksheet")
}

/// Whether the bytes are an Excel container (OLE2 or zip).
pub(crate) fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(OLE2_MAGIC) || bytes.starts_with(ZIP_MAGIC)
}

/// Unpacks every entry of a zip into nothing, counting bytes: more than `max_unpacked` in total
/// is refused, whatever sizes the archive declares.
fn check_unpacked_size(bytes: &[u8], max_unpacked: u64) -> Result<(), WorkbookProblem> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| whole(format!("corrupt XLSX (zip): {e}")))?;
    if archive.len() > MAX_ENTRIES {
        return Err(whole(format!(
            "the XLSX has {} zip entries, more than {MAX_ENTRIES}",
            archive.len()
        )));
    }
    let mut total = 0u64;
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .map_err(|e| whole(format!("corrupt XLSX (zip entry {i}): {e}")))?;
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        let at = || Some(format!("zip entry {name:?}"));
        let left = max_unpacked.saturating_sub(total);
        let copied = std::io::copy(&mut (&mut entry).take(left + 1), &mut std::io::sink())
            .map_err(|e| WorkbookProblem {
                at: at(),
                reason: format!("corrupt XLSX: {e}"),
            })?;
        total += copied;
        if total > max_unpacked {
            return Err(WorkbookProblem {
                at: at(),
                reason: format!(
                    "the XLSX unpacks to more than the cap of {max_unpacked} bytes (a zip bomb?)"
                ),
            });
        }
    }
    Ok(())
}

/// The text and, for number cells, the number of a cell.
fn cell(data: &Data) -> (String, Option<f64>) {
    match data {
        Data::Empty => (String::new(), None),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => (s.clone(), None),
        Data::Float(f) => (format_number(*f), Some(*f)),
        Data::Int(i) => (i.to_string(), Some(*i as f64)),
        Data::Bool(b) => ((if *b { "TRUE" } else { "FALSE" }).to_owned(), None),
        // Dates stay as Excel serial numbers in the text; they are not indicator values.
        Data::DateTime(d) => (format_number(d.as_f64()), None),
        Data::Error(e) => (format!("#{e}"), None),
    }
}

/// Reads every non-empty sheet of an XLS or XLSX workbook.
pub(crate) fn read(
    bytes: &[u8],
    source_id: &str,
    origin: &str,
    max_unpacked: u64,
) -> Result<Vec<Table>, WorkbookProblem> {
    if !is_workbook(bytes) {
        return Err(whole(if looks_like_html(bytes) {
            "the file is an HTML page, not an Excel workbook (portals often serve HTML tables \
             with an .xls name); set format = \"html\" to read its tables"
                .to_owned()
        } else {
            let head: Vec<String> = bytes.iter().take(8).map(|b| format!("{b:02X}")).collect();
            format!(
                "not an Excel workbook: it starts with bytes {} instead of an XLS or XLSX signature",
                head.join(" ")
            )
        }));
    }
    if bytes.starts_with(ZIP_MAGIC) {
        check_unpacked_size(bytes, max_unpacked)?;
    } else {
        let stream = crate::cfb::workbook_stream(bytes)
            .map_err(|defect| whole(format!("not a valid Excel 97-2003 file: {defect}")))?;
        if let Some(stream) = stream {
            crate::xls_grid::check(&stream).map_err(|problem| WorkbookProblem {
                at: problem.sheet().map(|n| format!("sheet #{n}")),
                reason: problem.to_string(),
            })?;
        }
    }
    // calamine can panic on a malformed workbook (an out-of-range slice in its XLS reader, found
    // by the `tables` fuzz target): a corrupt file is a failed source, never a crash.
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        read_sheets(bytes, source_id, origin)
    }));
    match read {
        Ok(result) => result,
        Err(payload) => {
            let what = payload
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| payload.downcast_ref::<&str>().copied())
                .unwrap_or("no message");
            Err(whole(format!(
                "corrupt workbook: the Excel reader failed on it ({what})"
            )))
        }
    }
}

/// The sheets of a workbook whose signature and size were checked.
fn read_sheets(bytes: &[u8], source_id: &str, origin: &str) -> Result<Vec<Table>, WorkbookProblem> {
    let mut workbook = open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| whole(format!("corrupt workbook: {e}")))?;
    let mut tables = Vec::new();
    for name in workbook.sheet_names() {
        let range = workbook
            .worksheet_range(&name)
            .map_err(|e| WorkbookProblem {
                at: Some(format!("sheet {name:?}")),
                reason: format!("corrupt sheet: {e}"),
            })?;
        let Some((first_row, first_col)) = range.start() else {
            continue;
        };
        let pad = first_col as usize;
        let rows: Vec<RawRow> = range
            .rows()
            .enumerate()
            .map(|(i, cells)| {
                let (mut texts, mut typed): (Vec<String>, Vec<Option<f64>>) =
                    cells.iter().map(cell).unzip();
                // Keep columns where the sheet has them: A is column 0 even when A is empty.
                texts.splice(0..0, std::iter::repeat_n(String::new(), pad));
                typed.splice(0..0, std::iter::repeat_n(None, pad));
                RawRow {
                    line: first_row as usize + i + 1,
                    cells: texts,
                    typed,
                    marked_header: false,
                }
            })
            .collect();
        let from = Origin {
            source_id,
            origin,
            name: name.clone(),
            sheet: Some(name.clone()),
        };
        let table = table::build(rows, from, DecimalMark::Dot);
        if !table.rows.is_empty() || table.header_row.is_some() {
            tables.push(table);
        }
    }
    Ok(tables)
}
