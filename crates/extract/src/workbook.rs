//! Excel workbooks (XLS and XLSX) with calamine: every sheet a table.
//!
//! Before calamine sees the bytes they are checked: the file really is an OLE2 (XLS) or zip
//! (XLSX) container, not an HTML page saved with an `.xls` name (which Vietnamese portals
//! serve); an XLSX unpacks to no more than the cap (a zip bomb is refused before parsing); the
//! sector chains of an XLS end inside the file without looping ([`crate::cfb`]: calamine follows
//! them without a bound of its own), and its sheets span no more cells than a cap
//! ([`crate::xls_grid`]: calamine holds every cell from a sheet's first to its last, and a
//! copy of a shared string in every cell showing it). While an XLSX is unpacked, the counts
//! calamine reserves or copies by when it opens it are checked ([`crate::xlsx_parts`]); its
//! sheets are then read cell by cell, the grid and text measured against the caps of
//! [`crate::grid`] before calamine's dense grid is asked for.

use std::io::{BufReader, Cursor, Read};

use calamine::{Cell, Data, DataRef, Range, Reader, Xls, Xlsx, XlsxError};
use chiso_model::Table;

use crate::cell_number::{DecimalMark, format_number};
use crate::grid::{Extent, GridBudget, MAX_GRID_CELLS, OverBudget};
use crate::table::{self, Origin, RawRow};
use crate::xlsx_parts;

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

/// A reader that counts the bytes read through it.
struct Counted<R> {
    inner: R,
    bytes: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }
}

/// Unpacks every entry of a zip into nothing, counting bytes: more than `max_unpacked` in total
/// is refused, whatever sizes the archive declares. The shared strings and styles are read on
/// the way ([`crate::xlsx_parts`]): counts in them that would make calamine ask for more memory
/// than the part can justify are refused too.
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
        let mut unpacked = Counted {
            inner: (&mut entry).take(left + 1),
            bytes: 0,
        };
        let part = xlsx_parts::Part::of(&name);
        let counts = part.map(|part| xlsx_parts::count(part, BufReader::new(&mut unpacked)));
        std::io::copy(&mut unpacked, &mut std::io::sink()).map_err(|e| WorkbookProblem {
            at: at(),
            reason: format!("corrupt XLSX: {e}"),
        })?;
        total += unpacked.bytes;
        if total > max_unpacked {
            return Err(WorkbookProblem {
                at: at(),
                reason: format!(
                    "the XLSX unpacks to more than the cap of {max_unpacked} bytes (a zip bomb?)"
                ),
            });
        }
        if let (Some(part), Some(counts)) = (part, counts)
            && let Some(reason) = counts.problem(part, unpacked.bytes)
        {
            return Err(WorkbookProblem { at: at(), reason });
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

/// The sheets of a workbook whose signature and size were checked: an XLSX (a zip) with
/// calamine's XLSX reader, cell by cell within the grid budget; an XLS with its XLS reader. No
/// other format calamine knows (XLSB, ODS) is tried: their readers have limits of their own
/// that nothing here checks.
fn read_sheets(bytes: &[u8], source_id: &str, origin: &str) -> Result<Vec<Table>, WorkbookProblem> {
    let corrupt = |e: &dyn std::fmt::Display| whole(format!("corrupt workbook: {e}"));
    let mut budget = GridBudget::default();
    let mut tables = Vec::new();
    if bytes.starts_with(ZIP_MAGIC) {
        let mut workbook: Xlsx<_> = Reader::new(Cursor::new(bytes)).map_err(|e| corrupt(&e))?;
        for name in workbook.sheet_names() {
            let range = xlsx_sheet(&mut workbook, &name, &mut budget)?;
            push_table(&mut tables, &range, &name, source_id, origin);
        }
    } else {
        let mut workbook: Xls<_> = Reader::new(Cursor::new(bytes)).map_err(|e| corrupt(&e))?;
        for name in workbook.sheet_names() {
            let at = || Some(format!("sheet {name:?}"));
            let range = workbook
                .worksheet_range(&name)
                .map_err(|e| WorkbookProblem {
                    at: at(),
                    reason: format!("corrupt sheet: {e}"),
                })?;
            // calamine holds these cells already (`xls_grid` bounded them); chiso's table of them
            // is taken from the same budget as an XLSX sheet's.
            xls_sheet_budget(&range, &mut budget).map_err(|over| WorkbookProblem {
                at: at(),
                reason: over.to_string(),
            })?;
            push_table(&mut tables, &range, &name, source_id, origin);
        }
    }
    Ok(tables)
}

/// Takes an XLS sheet's cells and text from the budget.
fn xls_sheet_budget(range: &Range<Data>, budget: &mut GridBudget) -> Result<(), OverBudget> {
    let (Some(first), Some(last)) = (range.start(), range.end()) else {
        return Ok(());
    };
    budget.take_sheet(&Extent { first, last })?;
    for data in range.used_cells().map(|(_, _, data)| data) {
        if let Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) = data {
            budget.take_text(s.len() as u64)?;
        }
    }
    Ok(())
}

/// Reads an XLSX sheet as calamine's `worksheet_range` does (the cells that are not empty, then
/// a dense grid from the first to the last), but measures the grid and the text as the cells
/// come: a sheet that would take more than the budget left is refused before its grid is asked
/// for, e.g. one with cells A1 and XFD1048576 after reading two cells.
fn xlsx_sheet(
    workbook: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
    budget: &mut GridBudget,
) -> Result<Range<Data>, WorkbookProblem> {
    let at = || Some(format!("sheet {name:?}"));
    let corrupt = |e: XlsxError| WorkbookProblem {
        at: at(),
        reason: format!("corrupt sheet: {e}"),
    };
    let over = |over: OverBudget| WorkbookProblem {
        at: at(),
        reason: over.to_string(),
    };
    let mut reader = match workbook.worksheet_cells_reader(name) {
        Ok(reader) => reader,
        // A chart sheet: `worksheet_range` gives an empty range for it.
        Err(XlsxError::NotAWorksheet(_)) => return Ok(Range::default()),
        Err(e) => return Err(corrupt(e)),
    };
    let mut cells = Vec::new();
    let mut extent: Option<Extent> = None;
    while let Some(cell) = reader.next_cell().map_err(corrupt)? {
        let (row, col) = cell.get_position();
        if matches!(cell.get_value(), DataRef::Empty) {
            continue;
        }
        let grown = extent.map_or(Extent::at(row, col), |e| e.with(row, col));
        budget.fits(&grown).map_err(over)?;
        extent = Some(grown);
        let data = Data::from(cell.get_value().clone());
        if let Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) = &data {
            budget.take_text(s.len() as u64).map_err(over)?;
        }
        cells.push(Cell::new((row, col), data));
        // More cells than the grid may hold: the same cells again and again.
        if cells.len() as u64 > MAX_GRID_CELLS {
            return Err(over(OverBudget::Listed {
                cells: cells.len() as u64,
            }));
        }
    }
    if let Some(extent) = extent {
        budget.take_sheet(&extent).map_err(over)?;
    }
    Ok(Range::from_sparse(cells))
}

/// Adds a sheet's table, unless the sheet is empty.
fn push_table(
    tables: &mut Vec<Table>,
    range: &Range<Data>,
    name: &str,
    source_id: &str,
    origin: &str,
) {
    let Some((first_row, first_col)) = range.start() else {
        return;
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
        name: name.to_owned(),
        sheet: Some(name.to_owned()),
    };
    let table = table::build(rows, from, DecimalMark::Dot);
    if !table.rows.is_empty() || table.header_row.is_some() {
        tables.push(table);
    }
}
