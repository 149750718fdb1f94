//! How much a workbook's sheets may become in memory, whatever the workbook's size on disk.
//!
//! calamine keeps each sheet as a dense grid, every cell from the first to the last one used,
//! and chiso's table keeps every column from A: two cells far apart in a 1.5 KB file ask for
//! hundreds of GiB, and a failed allocation aborts the process (there is no panic to catch).
//! Text is copied into every cell that shows it, so one long shared string shown by millions of
//! cells multiplies too. The caps here are checked before the memory is asked for: from the
//! records of an XLS ([`crate::xls_grid`]) and while the cells of an XLSX sheet stream in
//! ([`crate::workbook`]); a [`GridBudget`] adds the sheets of one workbook up.

use std::fmt;

use chiso_model::column_letter;

/// Cells the sheets of one workbook may span in all, values and formulas: 4 194 304, e.g. 64
/// columns of 65 536 rows (about 130 MB in calamine, as much again in chiso's tables).
pub(crate) const MAX_GRID_CELLS: u64 = 1 << 22;

/// Bytes of text the cells of one workbook may hold in all, each cell counted with its own copy
/// of a shared string (as calamine copies it): 256 MiB, as much as the default unpacked-XLSX cap
/// (`ExtractOptions::max_unpacked_bytes`), far above what a statistics workbook shows.
pub(crate) const MAX_CELL_TEXT_BYTES: u64 = 256 << 20;

/// The first and last cell of a sheet's grid, 0-based (row, column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Extent {
    pub first: (u32, u32),
    pub last: (u32, u32),
}

impl Extent {
    /// The extent of one cell.
    pub(crate) fn at(row: u32, col: u32) -> Extent {
        Extent {
            first: (row, col),
            last: (row, col),
        }
    }

    /// The extent grown to take in a cell.
    pub(crate) fn with(self, row: u32, col: u32) -> Extent {
        Extent {
            first: (self.first.0.min(row), self.first.1.min(col)),
            last: (self.last.0.max(row), self.last.1.max(col)),
        }
    }

    /// Cells of the table chiso builds from the grid: its rows, each from column A to the last
    /// column (calamine's own grid, from the first column, is no larger).
    pub(crate) fn table_cells(&self) -> u64 {
        let rows = u64::from(self.last.0.saturating_sub(self.first.0)) + 1;
        rows * (u64::from(self.last.1) + 1)
    }
}

/// `A1:XFD1048576`, as Excel names a range.
impl fmt::Display for Extent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cell = |(row, col): (u32, u32)| {
            format!("{}{}", column_letter(col as usize), u64::from(row) + 1)
        };
        write!(f, "{}:{}", cell(self.first), cell(self.last))
    }
}

/// Why the sheets of a workbook are refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum OverBudget {
    /// The grids up to and with this sheet's span more cells than [`MAX_GRID_CELLS`].
    Cells {
        /// The sheet's extent (as far as it was read when refused).
        extent: Extent,
        /// Cells of the sheets before it and of this one.
        cells: u64,
    },
    /// A sheet lists more cells than [`MAX_GRID_CELLS`] (the same cells again and again).
    Listed {
        /// Cells read when refused.
        cells: u64,
    },
    /// The cells' text up to this sheet is more than [`MAX_CELL_TEXT_BYTES`].
    Text {
        /// Bytes of cell text so far.
        bytes: u64,
    },
}

impl fmt::Display for OverBudget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OverBudget::Cells { extent, cells } => write!(
                f,
                "the sheet spans {extent}, {cells} cells with the sheets before it (counted from \
                 column A); the limit is {MAX_GRID_CELLS} (the Excel reader would hold every one \
                 in memory)"
            ),
            OverBudget::Listed { cells } => write!(
                f,
                "the sheet lists {cells} cells, more than the limit of {MAX_GRID_CELLS} cells a \
                 grid may hold (the same cells again and again)"
            ),
            OverBudget::Text { bytes } => write!(
                f,
                "the cells hold more than {bytes} bytes of text, each cell with its own copy of \
                 its shared string; the limit is {MAX_CELL_TEXT_BYTES}"
            ),
        }
    }
}

/// Cells and cell text the sheets of one workbook have taken so far.
#[derive(Debug, Default)]
pub(crate) struct GridBudget {
    cells: u64,
    text: u64,
}

impl GridBudget {
    /// Whether a sheet of this extent still fits beside the sheets taken.
    pub(crate) fn fits(&self, extent: &Extent) -> Result<(), OverBudget> {
        let cells = self.cells.saturating_add(extent.table_cells());
        if cells > MAX_GRID_CELLS {
            return Err(OverBudget::Cells {
                extent: *extent,
                cells,
            });
        }
        Ok(())
    }

    /// Takes a sheet of this extent.
    pub(crate) fn take_sheet(&mut self, extent: &Extent) -> Result<(), OverBudget> {
        self.fits(extent)?;
        self.cells += extent.table_cells();
        Ok(())
    }

    /// Takes the text of a cell.
    pub(crate) fn take_text(&mut self, bytes: u64) -> Result<(), OverBudget> {
        self.text = self.text.saturating_add(bytes);
        if self.text > MAX_CELL_TEXT_BYTES {
            return Err(OverBudget::Text { bytes: self.text });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_extent_reads_as_excel_names_it_and_counts_from_column_a() {
        let far = Extent::at(0, 0).with(1_048_575, 16_383);
        assert_eq!(far.to_string(), "A1:XFD1048576");
        assert_eq!(far.table_cells(), 17_179_869_184);
        // Columns before the first are counted: chiso's table keeps column A.
        let right = Extent::at(4, 16_380).with(5, 16_383);
        assert_eq!(right.to_string(), "XFA5:XFD6");
        assert_eq!(right.table_cells(), 2 * 16_384);
    }

    #[test]
    fn the_budget_adds_up_the_sheets() {
        let mut budget = GridBudget::default();
        let half = Extent::at(0, 0).with((1 << 20) - 1, 1);
        budget.take_sheet(&half).unwrap();
        budget.take_sheet(&half).unwrap();
        let one = Extent::at(0, 0);
        assert_eq!(
            budget.take_sheet(&one),
            Err(OverBudget::Cells {
                extent: one,
                cells: MAX_GRID_CELLS + 1
            })
        );
        assert!(budget.take_text(MAX_CELL_TEXT_BYTES).is_ok());
        assert!(matches!(budget.take_text(1), Err(OverBudget::Text { .. })));
    }
}
