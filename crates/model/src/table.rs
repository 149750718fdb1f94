//! Tables read from CSV/TSV files, Excel workbooks and HTML pages, and how a table maps to
//! indicator rows.
//!
//! Extract gives [`Table`]s: every cell as the source shows it plus its number when it is one,
//! with the source id, origin, sheet and source row of each row, so any value can be traced back.
//! Transform turns a table into [`IndicatorRecord`](crate::IndicatorRecord)s following a
//! [`TableMapping`] declared in the pipeline file.
//!
//! ```
//! use chiso_model::{Cell, Table, TableRow};
//! let table = Table {
//!     source_id: "thu-nhap".into(),
//!     origin: "sources/thunhapbinhquan.csv".into(),
//!     name: "thunhapbinhquan".into(),
//!     sheet: None,
//!     title: vec![],
//!     header_row: Some(1),
//!     columns: vec!["Name_EN".into(), "2016".into()],
//!     rows: vec![TableRow { line: 2, cells: vec![Cell::text("Ha Noi"), Cell::number("5980", 5980.0)] }],
//! };
//! assert_eq!(table.column_index("name_en"), Some(0));
//! assert_eq!(table.rows[0].cells[1].number, Some(5980.0));
//! ```

use crate::{Kind, Measure, Unit};

/// One cell: its text as shown, and its value when the text is a number.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cell {
    /// The text, trimmed; numbers as the source writes them ("3.00E+05", "9,02").
    pub text: String,
    /// The number the text denotes, read with the table's decimal mark; `None` for text cells
    /// and empty cells.
    pub number: Option<f64>,
}

impl Cell {
    /// A text cell.
    pub fn text(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            number: None,
        }
    }

    /// A number cell with the text it was read from.
    pub fn number(text: impl Into<String>, number: f64) -> Cell {
        Cell {
            text: text.into(),
            number: Some(number),
        }
    }

    /// Whether the cell holds nothing.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

/// One data row and where it is in the source.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TableRow {
    /// 1-based row number in the file or sheet (the CSV record number, the Excel row number,
    /// the `<tr>` number in the HTML table), counting the header and title rows.
    pub line: usize,
    /// One cell per column of [`Table::columns`]; shorter rows are padded with empty cells.
    pub cells: Vec<Cell>,
}

/// A table read from a source.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// Id of the source the table comes from.
    pub source_id: String,
    /// Path or URL of the source.
    pub origin: String,
    /// A name unique within the source: the sheet name, the file stem, or `table-2` for the
    /// second `<table>` of a page.
    pub name: String,
    /// The workbook sheet, for Excel sources.
    pub sheet: Option<String>,
    /// Lines above the header (a title such as "Biểu 1: Thu ngân sách …", a unit line), or an
    /// HTML table's `<caption>`.
    pub title: Vec<String>,
    /// 1-based row number of the header row; `None` when no row looks like a header (the columns
    /// are then named `A`, `B`, … as in a spreadsheet).
    pub header_row: Option<usize>,
    /// Column names, from the header row (empty names become `A`, `B`, … by position).
    pub columns: Vec<String>,
    /// The data rows below the header, blank rows left out.
    pub rows: Vec<TableRow>,
}

impl Table {
    /// The index of the column named `name`, ignoring case and surrounding space. A column
    /// whose header spans several rows is named by its rows joined with `" / "`
    /// ("Tỉnh / pci_id"); either the whole name or any one row of it matches, the whole name first.
    pub fn column_index(&self, name: &str) -> Option<usize> {
        let want = name.trim().to_lowercase();
        let same = |s: &str| s.trim().to_lowercase() == want;
        self.columns
            .iter()
            .position(|c| same(c))
            .or_else(|| self.columns.iter().position(|c| c.split(" / ").any(same)))
    }

    /// Where a row is, for messages and quotes: `origin, sheet "S", row 12`.
    pub fn locate(&self, line: usize) -> String {
        match &self.sheet {
            Some(sheet) => format!("{}, sheet {sheet:?}, row {line}", self.origin),
            None => format!("{}, row {line}", self.origin),
        }
    }
}

/// The spreadsheet name of a 0-based column index: `A`, …, `Z`, `AA`, ….
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.iter().rev().map(|&b| char::from(b)).collect()
}

/// How the places of a table are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PlaceKey {
    /// Names, in any spelling the gazetteer resolves ("Ha Noi", "Thua Thien - Hue", "TP. Hồ Chí Minh").
    #[default]
    Name,
    /// General Statistics Office codes ("1", "01" for Hà Nội).
    GsoCode,
}

/// Where the years of a table are.
#[derive(Debug, Clone, PartialEq)]
pub enum YearLayout {
    /// Wide: one column per year; every column whose header is a year (1900..=2100), or the
    /// listed columns.
    YearColumns {
        /// Column names to read; empty means every column whose header is a year.
        columns: Vec<String>,
    },
    /// Long: a column holds the year and another the value.
    YearColumn {
        /// The column with the year.
        year_column: String,
        /// The column with the value.
        value_column: String,
    },
    /// The whole table is about one year, stated in the pipeline; the value is in one column.
    Fixed {
        /// The year.
        year: i32,
        /// The column with the value.
        value_column: String,
    },
}

/// How a table of places by year becomes indicator rows: validated from the pipeline file.
#[derive(Debug, Clone, PartialEq)]
pub struct TableMapping {
    /// Catalogue id of the indicator the values are, e.g. `income_per_capita`.
    pub indicator: String,
    /// Only tables with this name (a sheet name, `table-2` for HTML); `None` reads every table
    /// of the source.
    pub table: Option<String>,
    /// The column that names the place.
    pub place_column: String,
    /// Whether that column holds names or GSO codes.
    pub place_key: PlaceKey,
    /// Where the years are.
    pub years: YearLayout,
    /// The unit of the values once multiplied by `scale`.
    pub unit: Unit,
    /// What a value in the table is multiplied by to be in `unit` (1000 for "nghìn đồng" read as
    /// đồng, 1e6 for "triệu đồng").
    pub scale: f64,
    /// How the table's own unit reads in quotes, e.g. "nghìn đồng/người/tháng".
    pub unit_label: Option<String>,
    /// The measure of every value (default `level`).
    pub measure: Measure,
    /// The kind of every value (default `actual`; `target` for a plan table).
    pub kind: Kind,
    /// For a table of ranks (`measure` rank): how many places are ranked ("63" for the
    /// provinces), each row's `rank_total`.
    pub rank_total: Option<u32>,
    /// For a table of ranks: the ranking group, `VN-provinces` or a region's id, each row's
    /// `rank_group` (and its size the rows' `rank_total` when that is not given).
    pub rank_group: Option<String>,
    /// Places to leave out silently: totals and regions such as "Cả nước", "Total".
    pub skip_places: Vec<String>,
}
