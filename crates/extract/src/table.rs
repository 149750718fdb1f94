//! From a grid of cell texts (a CSV file, a sheet, an HTML `<table>`) to a [`Table`]: header
//! detection, title lines, numbers.
//!
//! Government tables put a title, a decree reference and a unit line ("Đơn vị tính: Tỷ đồng")
//! above a header of one to three rows (merged cells, a row of column numbers). The header is the
//! block of rows with at least two cells just above the first data row; a data row has at least
//! half the table's width filled and a number that is not a year (so a header of years, "Code,
//! Name, 2013, 2014", stays a header). The lines above the header are the table's title.

use chiso_model::{Cell, Table, TableRow, column_letter};

use crate::cell_number::{DecimalMark, parse_number, sniff_decimal_mark};

/// One row of raw cell texts and its 1-based row number in the source.
#[derive(Debug, Clone, Default)]
pub(crate) struct RawRow {
    /// 1-based row number in the file, sheet or table.
    pub line: usize,
    /// Cell texts, trimmed.
    pub cells: Vec<String>,
    /// Numbers typed as such in the source (Excel number cells), by column; empty when the
    /// source has only text (CSV, HTML), whose numbers are read from the text.
    pub typed: Vec<Option<f64>>,
    /// Whether the source marks the row as a header (HTML rows of `<th>` only).
    pub marked_header: bool,
}

/// Where a table comes from.
pub(crate) struct Origin<'a> {
    pub source_id: &'a str,
    pub origin: &'a str,
    pub name: String,
    pub sheet: Option<String>,
}

/// Whether a text is a year such as a header of a wide table has: 1900..=2100.
pub(crate) fn is_year(text: &str) -> bool {
    text.len() == 4
        && text
            .parse::<u32>()
            .is_ok_and(|y| (1900..=2100).contains(&y))
}

fn filled(row: &RawRow) -> usize {
    row.cells.iter().filter(|c| !c.is_empty()).count()
}

/// Whitespace runs (line breaks in Excel headers, non-breaking spaces) to one space.
pub(crate) fn collapse(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c == '\u{a0}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Builds a table from raw rows; `default_mark` is the decimal mark when the cells do not show it.
pub(crate) fn build(rows: Vec<RawRow>, from: Origin<'_>, default_mark: DecimalMark) -> Table {
    // Blank rows stay until the header is found: they separate a title from the header.
    let rows: Vec<RawRow> = rows
        .into_iter()
        .map(|mut r| {
            r.cells = r.cells.iter().map(|c| collapse(c)).collect();
            r
        })
        .collect();
    let mark = sniff_decimal_mark(
        rows.iter().flat_map(|r| {
            r.cells
                .iter()
                .enumerate()
                .filter(|(col, _)| r.typed.get(*col).is_none_or(Option::is_none))
                .map(|(_, text)| text.as_str())
        }),
        default_mark,
    );
    let number_at = |r: &RawRow, col: usize| -> Option<f64> {
        let text = r.cells.get(col)?;
        r.typed
            .get(col)
            .copied()
            .flatten()
            .or_else(|| parse_number(text, mark))
    };
    let width = rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    let widest = rows.iter().map(filled).max().unwrap_or(0);
    let is_data = |r: &RawRow| {
        !r.marked_header
            && filled(r) * 2 >= widest
            && (0..r.cells.len()).any(|col| !is_year(&r.cells[col]) && number_at(r, col).is_some())
    };
    // The first data row, and the header block just above it: the rows up to the blank row
    // before it, less leading rows of one cell (a unit line such as "Đơn vị tính: Tỷ đồng").
    let first_data = rows.iter().position(is_data);
    let (header_start, data_start) = match first_data {
        Some(d) => {
            let mut h = d;
            while h > 0 && filled(&rows[h - 1]) > 0 {
                h -= 1;
            }
            while h < d && filled(&rows[h]) < 2.min(widest) {
                h += 1;
            }
            (h, d)
        }
        // No numbers: rows marked as header, else the first non-blank row, is the header.
        None => {
            let first = rows.iter().position(|r| filled(r) > 0).unwrap_or(0);
            let marked = rows[first..].iter().take_while(|r| r.marked_header).count();
            (first, (first + marked.max(1)).min(rows.len()))
        }
    };
    let title: Vec<String> = rows[..header_start]
        .iter()
        .filter(|r| filled(r) > 0)
        .map(|r| {
            r.cells
                .iter()
                .filter(|c| !c.is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    let header = &rows[header_start..data_start];
    let columns: Vec<String> = (0..width)
        .map(|col| {
            let mut parts: Vec<&str> = Vec::new();
            for r in header {
                if let Some(text) = r.cells.get(col).filter(|t| !t.is_empty())
                    && parts.last() != Some(&text.as_str())
                {
                    parts.push(text);
                }
            }
            if parts.is_empty() {
                column_letter(col)
            } else {
                parts.join(" / ")
            }
        })
        .collect();
    let data = rows[data_start..]
        .iter()
        .filter(|r| filled(r) > 0)
        .map(|r| TableRow {
            line: r.line,
            cells: (0..width)
                .map(|col| {
                    let text = r.cells.get(col).cloned().unwrap_or_default();
                    let number = number_at(r, col);
                    Cell { text, number }
                })
                .collect(),
        })
        .collect();
    Table {
        source_id: from.source_id.to_owned(),
        origin: from.origin.to_owned(),
        name: from.name,
        sheet: from.sheet,
        title,
        header_row: header.first().map(|r| r.line),
        columns,
        rows: data,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(rows: &[&[&str]]) -> Vec<RawRow> {
        rows.iter()
            .enumerate()
            .map(|(i, cells)| RawRow {
                line: i + 1,
                cells: cells.iter().map(|c| c.to_string()).collect(),
                typed: Vec::new(),
                marked_header: false,
            })
            .collect()
    }

    fn origin() -> Origin<'static> {
        Origin {
            source_id: "t",
            origin: "t.csv",
            name: "t".into(),
            sheet: None,
        }
    }

    #[test]
    fn title_header_and_data_of_a_ministry_sheet() {
        let rows = raw(&[
            &["BỘ TÀI CHÍNH", "", "Phụ lục số 01/CKTC-NSNN"],
            &["", "", ""],
            &["QUYẾT TOÁN NGÂN SÁCH NHÀ NƯỚC NĂM 2014", "", ""],
            &["", "", "Đơn vị tính: Tỷ đồng"],
            &["STT", "Chỉ tiêu", "Quyết toán\nnăm 2014"],
            &["A", "THU CÂN ĐỐI NSNN", "1130608.6"],
            &["1", "Thu nội địa", "593560"],
        ]);
        let t = build(rows, origin(), DecimalMark::Dot);
        assert_eq!(t.header_row, Some(5));
        assert_eq!(t.columns, ["STT", "Chỉ tiêu", "Quyết toán năm 2014"]);
        assert_eq!(t.title.len(), 3, "{:?}", t.title);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].line, 6);
        assert_eq!(t.rows[0].cells[2].number, Some(1130608.6));
    }

    #[test]
    fn a_header_of_years_stays_a_header() {
        let rows = raw(&[
            &["Code", "Name", "2013", "2014"],
            &["1", "Ha Noi", "72823", "79295"],
        ]);
        let t = build(rows, origin(), DecimalMark::Dot);
        assert_eq!(t.columns, ["Code", "Name", "2013", "2014"]);
        assert_eq!(t.rows.len(), 1);
    }

    #[test]
    fn stacked_header_rows_join_and_empty_names_get_letters() {
        let rows = raw(&[
            &["Mã PCI", "Tỉnh", "Chỉ số"],
            &["", "pci_id", "sub5"],
            &["1", "Hà Nội", "5,49"],
        ]);
        let t = build(rows, origin(), DecimalMark::Comma);
        assert_eq!(t.columns, ["Mã PCI", "Tỉnh / pci_id", "Chỉ số / sub5"]);
        assert_eq!(t.rows[0].cells[2].number, Some(5.49));
        let rows = raw(&[&["", "x", "y"], &["1", "2", "3"]]);
        assert_eq!(
            build(rows, origin(), DecimalMark::Dot).columns,
            ["A", "x", "y"]
        );
    }
}
