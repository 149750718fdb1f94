//! The cell grids calamine will build for an Excel 97-2003 workbook, measured from the BIFF
//! records of its workbook stream before calamine builds them.
//!
//! calamine keeps each sheet as a dense grid: every cell between the first and the last one
//! used, 32 bytes each, however few the file holds. Two cells far apart (A1 and a cell at row
//! and column 65 535) make a grid of 2³² cells from a few kilobytes; the 128 GiB allocation
//! fails, and a failed allocation aborts the process: there is no panic to catch. calamine also
//! reserves room for as many cells as a sheet's DIMENSIONS record declares. [`check`] goes
//! through the records as calamine's `Xls::parse_workbook` does and refuses a workbook whose
//! grids hold more than [`MAX_GRID_CELLS`] cells in all, a sheet that declares more cells
//! than an Excel 97-2003 sheet has, or sheets that overlap so much that reading them would go
//! through the stream more than [`MAX_PASSES`] times (calamine reads each sheet from its offset
//! to its EOF record, whatever the other sheets are).
//!
//! calamine also gives every LABELSST cell its own copy of its shared string: four million
//! cells showing one 65 535-character string would be hundreds of GB. [`check`] reads the
//! shared-string table (SST) as calamine's `parse_sst` does, string by string through its
//! CONTINUE records, and refuses a workbook whose LABELSST cells would copy more than
//! [`MAX_CELL_TEXT_BYTES`] of text in all. A string's size is bounded from its characters: in
//! a UTF-16 workbook (code page 1200, what Excel writes) at most 2 bytes of UTF-8 for a
//! character stored in one byte and 3 for one stored in two; in any other code page at most 6
//! (calamine widens a one-byte character to two bytes before decoding, and a decoder gives at
//! most 3 bytes of UTF-8 for each byte).
//!
//! The measure errs on the large side where it is simpler: a record calamine would refuse
//! still counts (calamine then fails on the whole workbook anyway).

use std::fmt;

use crate::grid::{MAX_CELL_TEXT_BYTES, MAX_GRID_CELLS};
/// Cells of an Excel 97-2003 sheet: 65 536 rows of 256 columns.
const SHEET_CELLS: u64 = 65_536 * 256;
/// How many times over its workbook stream reading every sheet may go. Sheets are disjoint
/// runs of records, so a well-formed workbook goes through it about once; BOUNDSHEET records
/// that all point at the same place would make calamine read the stream once per record.
const MAX_PASSES: u64 = 8;

const CONTINUE: u16 = 0x003C;
const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const BOUNDSHEET: u16 = 0x0085;
const DIMENSIONS: u16 = 0x0200;
const FORMULA: u16 = 0x0006;
const STRING: u16 = 0x0207;
const MULRK: u16 = 0x00BD;
const CODEPAGE: u16 = 0x0042;
const SST: u16 = 0x00FC;
const LABELSST: u16 = 0x00FD;
/// Code pages calamine decodes as UTF-16 (little and big endian).
const UTF16_CODEPAGES: [u16; 2] = [1200, 1201];
/// Records of one cell whose data starts with its row and column (u16 each): NUMBER, LABEL,
/// RSTRING, BOOLERR, RK, LABELSST.
const CELLS: [u16; 6] = [0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD];

/// Why a workbook's grids are refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum GridProblem {
    /// A sheet's DIMENSIONS record declares more cells than a sheet has.
    Declared {
        /// 1-based, in BOUNDSHEET order.
        sheet: usize,
        /// Rows declared, as calamine computes them.
        rows: u64,
        /// Columns declared.
        columns: u64,
    },
    /// The grids of the sheets up to this one hold more than [`MAX_GRID_CELLS`].
    TooManyCells {
        /// 1-based, in BOUNDSHEET order.
        sheet: usize,
        /// Cells of the grids so far.
        cells: u64,
    },
    /// The LABELSST cells of the sheets up to this one would copy more than
    /// [`MAX_CELL_TEXT_BYTES`] of shared-string text.
    TooMuchText {
        /// 1-based, in BOUNDSHEET order.
        sheet: usize,
        /// Bytes of text (an upper bound) so far.
        bytes: u64,
    },
    /// Reading the sheets would go through the stream more than [`MAX_PASSES`] times.
    Overlapping {
        /// Sheets the workbook lists.
        sheets: usize,
        /// Bytes of the workbook stream.
        stream: usize,
    },
}

impl GridProblem {
    /// The sheet concerned, for the error's location.
    pub(crate) fn sheet(&self) -> Option<usize> {
        match self {
            GridProblem::Declared { sheet, .. }
            | GridProblem::TooManyCells { sheet, .. }
            | GridProblem::TooMuchText { sheet, .. } => Some(*sheet),
            GridProblem::Overlapping { .. } => None,
        }
    }
}

impl fmt::Display for GridProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GridProblem::Declared { rows, columns, .. } => write!(
                f,
                "the sheet declares {rows} rows × {columns} columns, more than an Excel 97-2003 \
                 sheet has (65536 × 256)"
            ),
            GridProblem::TooManyCells { cells, .. } => write!(
                f,
                "the sheets span {cells} cells from their first to their last cell, more than the \
                 cap of {MAX_GRID_CELLS} (the Excel reader would hold every one in memory)"
            ),
            GridProblem::TooMuchText { bytes, .. } => write!(
                f,
                "the sheets' cells would hold up to {bytes} bytes of shared-string text, each \
                 cell its own copy, more than the cap of {MAX_CELL_TEXT_BYTES}"
            ),
            GridProblem::Overlapping { sheets, stream } => write!(
                f,
                "the {sheets} sheets overlap: reading them would go through the {stream}-byte \
                 workbook stream more than {MAX_PASSES} times"
            ),
        }
    }
}

/// One BIFF record: its type and data, and the CONTINUE records after it (headers and all).
struct Record<'a> {
    typ: u16,
    data: &'a [u8],
    continues: &'a [u8],
}

/// The records of a stream from some offset, cut as calamine's `RecordIter` cuts them: a record
/// takes the CONTINUE records after it along. Ends where calamine would fail (a record longer
/// than the stream).
struct Records<'a> {
    rest: &'a [u8],
}

fn u16_at(bytes: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([bytes[at], bytes[at + 1]])
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

impl<'a> Iterator for Records<'a> {
    type Item = Record<'a>;

    fn next(&mut self) -> Option<Record<'a>> {
        let stream = self.rest;
        if stream.len() < 4 {
            return None;
        }
        let typ = u16_at(stream, 0);
        let len = usize::from(u16_at(stream, 2));
        let Some(data) = stream.get(4..4 + len) else {
            self.rest = &[];
            return None;
        };
        let after = &stream[4 + len..];
        let mut rest = after;
        while rest.len() > 4 && u16_at(rest, 0) == CONTINUE {
            let len = usize::from(u16_at(rest, 2));
            let Some(next) = rest.get(4 + len..) else {
                self.rest = &[];
                return None;
            };
            rest = next;
        }
        self.rest = rest;
        let continues = &after[..after.len() - rest.len()];
        Some(Record {
            typ,
            data,
            continues,
        })
    }
}

/// The extent of the cells of one grid.
#[derive(Default)]
struct Grid {
    /// First row, last row, first column, last column.
    bounds: Option<(u32, u32, u32, u32)>,
}

impl Grid {
    fn add(&mut self, row: u32, col: u32) {
        self.bounds = Some(match self.bounds {
            None => (row, row, col, col),
            Some((r0, r1, c0, c1)) => (r0.min(row), r1.max(row), c0.min(col), c1.max(col)),
        });
    }

    /// Cells from the first to the last, as calamine's `Range::from_sparse` allocates them.
    fn cells(&self) -> u64 {
        self.bounds.map_or(0, |(r0, r1, c0, c1)| {
            u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1)
        })
    }
}

/// Rows and columns a DIMENSIONS record declares, computed as calamine's `parse_dimensions` and
/// sheet loop compute them (in 32-bit arithmetic that wraps); `None` for a record of a length
/// calamine refuses.
fn declared(data: &[u8]) -> Option<(u64, u64)> {
    let (first_row, last_row, mut first_col, last_col) = match data.len() {
        10 => (
            u32::from(u16_at(data, 0)),
            u32::from(u16_at(data, 2)),
            u32::from(u16_at(data, 4)),
            u32::from(u16_at(data, 6)),
        ),
        14 | 16 => (
            u32_at(data, 0),
            u32_at(data, 4),
            u32::from(u16_at(data, 8)),
            u32::from(u16_at(data, 10)),
        ),
        _ => return None,
    };
    if first_col > 0xFF || last_col < first_col {
        first_col = 0;
    }
    let (end_row, end_col) = if last_row >= 1 && last_col >= 1 {
        (last_row - 1, last_col - 1)
    } else {
        (first_row, first_col)
    };
    let rows = end_row.wrapping_sub(first_row).wrapping_add(1);
    let cols = end_col.wrapping_sub(first_col).wrapping_add(1);
    Some((u64::from(rows), u64::from(cols)))
}

/// The data of an SST record and of its CONTINUE records, read as calamine's `Record` reads
/// them: one record's data at a time.
struct SstData<'a> {
    data: &'a [u8],
    continues: &'a [u8],
}

impl SstData<'_> {
    /// Moves to the next CONTINUE record's data; `false` when there is none.
    fn next_continue(&mut self) -> bool {
        if self.continues.len() < 4 {
            return false;
        }
        let len = usize::from(u16_at(self.continues, 2));
        let end = (4 + len).min(self.continues.len());
        self.data = &self.continues[4..end];
        self.continues = &self.continues[end..];
        true
    }

    /// Skips bytes across records as calamine's `Record::skip` does; `None` where it fails.
    fn skip(&mut self, mut len: usize) -> Option<()> {
        while len > 0 {
            if self.data.is_empty() && !self.next_continue() {
                return None;
            }
            let l = len.min(self.data.len());
            self.data = &self.data[l..];
            len -= l;
        }
        Some(())
    }

    /// The next string as calamine's `read_rich_extended_string` reads it: the characters
    /// stored in one byte and in two; `None` where calamine fails or panics.
    fn string(&mut self) -> Option<(u64, u64)> {
        if self.data.is_empty() {
            return Some((0, 0));
        }
        if self.data.len() < 3 {
            return None;
        }
        let mut len = usize::from(u16_at(self.data, 0));
        let flags = self.data[2];
        self.data = &self.data[3..];
        let mut runs = 0;
        if flags & 0x8 != 0 {
            runs = usize::from(u16_at(self.data.get(..2)?, 0));
            self.data = &self.data[2..];
        }
        let mut ext = 0;
        if flags & 0x4 != 0 {
            // calamine reads an i32 and casts it: a negative size skips past the end.
            ext = i32::from_le_bytes(self.data.get(..4)?.try_into().ok()?) as usize;
            self.data = &self.data[4..];
        }
        let mut high_byte = flags & 0x1 != 0;
        let (mut narrow, mut wide) = (0u64, 0u64);
        while len > 0 {
            let (chars, bytes) = if high_byte {
                let l = (self.data.len() / 2).min(len);
                wide += l as u64;
                (l, 2 * l)
            } else {
                let l = self.data.len().min(len);
                narrow += l as u64;
                (l, l)
            };
            self.data = &self.data[bytes..];
            len -= chars;
            if len > 0 {
                if !self.next_continue() {
                    return None;
                }
                high_byte = self.data.first()? & 0x1 != 0;
                self.data = &self.data[1..];
            }
        }
        self.skip(runs * 4)?;
        self.skip(ext)?;
        Some((narrow, wide))
    }
}

/// Upper bounds of the UTF-8 bytes of each string of an SST record, read as calamine's
/// `parse_sst` reads them, under a code page (see the module docs). Where calamine would fail,
/// the strings read so far (calamine then fails on the whole workbook).
fn shared_string_bytes(record: &Record<'_>, codepage: u16) -> Vec<u64> {
    let (per_narrow, per_wide) = if UTF16_CODEPAGES.contains(&codepage) {
        (2, 3)
    } else {
        (6, 6)
    };
    let mut strings = Vec::new();
    let Some(data) = record.data.get(8..) else {
        return strings;
    };
    let mut sst = SstData {
        data,
        continues: record.continues,
    };
    while !sst.data.is_empty() || sst.next_continue() {
        let Some((narrow, wide)) = sst.string() else {
            break;
        };
        strings.push(narrow * per_narrow + wide * per_wide);
    }
    strings
}

/// Measures the grids calamine will build from a workbook stream (see the module docs).
pub(crate) fn check(stream: &[u8]) -> Result<(), GridProblem> {
    // The globals: the offset of each sheet and the shared strings, up to the globals' EOF.
    let mut offsets = Vec::new();
    let mut codepage = 1200;
    let mut shared = Vec::new();
    for record in (Records { rest: stream }) {
        match record.typ {
            BOUNDSHEET if record.data.len() >= 4 => offsets.push(u32_at(record.data, 0) as usize),
            CODEPAGE if record.data.len() >= 2 => codepage = u16_at(record.data, 0),
            SST => shared = shared_string_bytes(&record, codepage),
            EOF => break,
            _ => {}
        }
    }
    let mut text = 0u64;
    let budget = MAX_PASSES * stream.len() as u64;
    let mut read = 0u64;
    let mut cells = 0u64;
    for (i, &offset) in offsets.iter().enumerate() {
        let sheet = i + 1;
        let Some(records) = stream.get(offset..) else {
            continue;
        };
        let mut values = Grid::default();
        let mut formulas = Grid::default();
        let mut formula_at = (0, 0);
        let mut seen_bof = false;
        let mut nested = 0usize;
        let mut records = Records { rest: records };
        let before = records.rest.len();
        for record in records.by_ref() {
            // Cells of an embedded substream (a chart) are skipped, as calamine skips them.
            if nested > 0 {
                match record.typ {
                    BOF => nested += 1,
                    EOF => nested -= 1,
                    _ => {}
                }
                continue;
            }
            let data = record.data;
            match record.typ {
                BOF if seen_bof => nested += 1,
                BOF => seen_bof = true,
                EOF => break,
                DIMENSIONS => {
                    if let Some((rows, columns)) = declared(data)
                        && rows.saturating_mul(columns) > SHEET_CELLS
                    {
                        return Err(GridProblem::Declared {
                            sheet,
                            rows,
                            columns,
                        });
                    }
                }
                typ if CELLS.contains(&typ) && data.len() >= 4 => {
                    values.add(u32::from(u16_at(data, 0)), u32::from(u16_at(data, 2)));
                    if typ == LABELSST && data.len() >= 10 {
                        let index = u32_at(data, 6) as usize;
                        text += shared.get(index).copied().unwrap_or(0);
                    }
                }
                STRING => values.add(formula_at.0, formula_at.1),
                FORMULA if data.len() >= 20 => {
                    formula_at = (u32::from(u16_at(data, 0)), u32::from(u16_at(data, 2)));
                    values.add(formula_at.0, formula_at.1);
                    formulas.add(formula_at.0, formula_at.1);
                }
                MULRK if data.len() >= 6 => {
                    // Columns from the first, one per 6-byte RK value.
                    let row = u32::from(u16_at(data, 0));
                    let first = u32::from(u16_at(data, 2));
                    let count = (data.len() - 6).div_ceil(6) as u32;
                    if count > 0 {
                        values.add(row, first);
                        values.add(row, first + count - 1);
                    }
                }
                _ => {}
            }
        }
        read += (before - records.rest.len()) as u64;
        if read > budget {
            return Err(GridProblem::Overlapping {
                sheets: offsets.len(),
                stream: stream.len(),
            });
        }
        cells += values.cells() + formulas.cells();
        if cells > MAX_GRID_CELLS {
            return Err(GridProblem::TooManyCells { sheet, cells });
        }
        if text > MAX_CELL_TEXT_BYTES {
            return Err(GridProblem::TooMuchText { sheet, bytes: text });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut out = typ.to_le_bytes().to_vec();
        out.extend((data.len() as u16).to_le_bytes());
        out.extend(data);
        out
    }

    /// A NUMBER record: row, column, format, value.
    fn number(row: u16, col: u16) -> Vec<u8> {
        let mut data = row.to_le_bytes().to_vec();
        data.extend(col.to_le_bytes());
        data.extend([0, 0]);
        data.extend(1.5f64.to_le_bytes());
        record(0x0203, &data)
    }

    fn dimensions(first_row: u32, last_row: u32, first_col: u16, last_col: u16) -> Vec<u8> {
        let mut data = first_row.to_le_bytes().to_vec();
        data.extend(last_row.to_le_bytes());
        data.extend(first_col.to_le_bytes());
        data.extend(last_col.to_le_bytes());
        data.extend([0, 0]);
        record(DIMENSIONS, &data)
    }

    /// A workbook stream: globals listing the sheets, then each sheet's records between BOF
    /// and EOF.
    fn workbook(sheets: &[Vec<Vec<u8>>]) -> Vec<u8> {
        let bof = record(BOF, &[0, 6, 0x10, 0]);
        let eof = record(EOF, &[]);
        // A BOUNDSHEET record: header, offset, visibility, kind, a one-letter name.
        let bound_len = 4 + 4 + 2 + 3;
        let globals_len = bof.len() + sheets.len() * bound_len + eof.len();
        let mut offset = globals_len;
        let mut out = bof.clone();
        let mut bodies = Vec::new();
        for (i, sheet) in sheets.iter().enumerate() {
            let mut body = bof.clone();
            body.extend(sheet.iter().flatten());
            body.extend(&eof);
            let mut data = (offset as u32).to_le_bytes().to_vec();
            data.extend([0, 0, 1, 0, b'A' + i as u8]);
            out.extend(record(BOUNDSHEET, &data));
            offset += body.len();
            bodies.push(body);
        }
        out.extend(&eof);
        assert_eq!(out.len(), globals_len);
        for body in bodies {
            out.extend(body);
        }
        out
    }

    #[test]
    fn an_ordinary_workbook_passes() {
        let sheet = vec![dimensions(0, 3, 0, 2), number(0, 0), number(2, 1)];
        assert_eq!(check(&workbook(&[sheet.clone(), sheet])), Ok(()));
    }

    #[test]
    fn the_real_workbooks_pass() {
        for (name, bytes) in crate::cfb::real_workbooks() {
            let stream = crate::cfb::workbook_stream(&bytes).unwrap().unwrap();
            assert_eq!(check(&stream), Ok(()), "{name}");
        }
    }

    #[test]
    fn two_cells_far_apart_are_a_grid_too_large() {
        // calamine would allocate 65 536 × 65 536 cells of 32 bytes: 128 GiB.
        let sheet = vec![number(0, 0), number(0xFFFF, 0xFFFF)];
        let problem = check(&workbook(&[sheet])).unwrap_err();
        assert_eq!(
            problem,
            GridProblem::TooManyCells {
                sheet: 1,
                cells: 1 << 32
            }
        );
        assert_eq!(problem.sheet(), Some(1));
        // Along one row the grid is as wide as the columns apart: 65 536 cells.
        assert_eq!(
            check(&workbook(&[vec![number(7, 0), number(7, 0xFFFF)]])),
            Ok(())
        );
    }

    #[test]
    fn grids_add_up_over_the_sheets_and_count_formulas() {
        // 2 048 × 256 = 524 288 cells a sheet; the ninth sheet passes 4 194 304.
        let sheet = vec![number(0, 0), number(2047, 255)];
        assert_eq!(check(&workbook(&vec![sheet.clone(); 8])), Ok(()));
        assert_eq!(
            check(&workbook(&vec![sheet; 9])),
            Err(GridProblem::TooManyCells {
                sheet: 9,
                cells: 9 * 524_288
            })
        );
        let mut formula = 4095u16.to_le_bytes().to_vec();
        formula.extend(255u16.to_le_bytes());
        formula.extend([0u8; 16]);
        let sheet = vec![
            number(0, 0),
            record(FORMULA, &formula),
            record(FORMULA, &[0; 20]),
        ];
        // Values and formulas both span 4 096 × 256 cells: 2 × 1 048 576.
        assert_eq!(check(&workbook(&vec![sheet.clone(); 2])), Ok(()));
        assert!(matches!(
            check(&workbook(&vec![sheet; 3])),
            Err(GridProblem::TooManyCells { sheet: 3, .. })
        ));
    }

    #[test]
    fn a_mulrk_record_spans_its_columns() {
        let mut data = 100u16.to_le_bytes().to_vec();
        data.extend(0u16.to_le_bytes());
        data.extend([0u8; 6 * 200]);
        data.extend(199u16.to_le_bytes());
        let sheet = vec![number(0, 0), record(MULRK, &data), number(0xFFFF, 0)];
        // 65 536 rows × 200 columns.
        assert_eq!(
            check(&workbook(&[sheet])),
            Err(GridProblem::TooManyCells {
                sheet: 1,
                cells: 65_536 * 200
            })
        );
    }

    #[test]
    fn a_sheet_declaring_more_than_a_sheet_has_is_refused() {
        let problem = check(&workbook(&[vec![dimensions(0, 1_000_000, 0, 256)]])).unwrap_err();
        assert_eq!(
            problem,
            GridProblem::Declared {
                sheet: 1,
                rows: 1_000_000,
                columns: 256
            }
        );
        // First row after the last: calamine's subtraction wraps to 2³² − 1 rows.
        assert!(matches!(
            check(&workbook(&[vec![dimensions(9, 3, 0, 2)]])),
            Err(GridProblem::Declared {
                rows: 4_294_967_290,
                ..
            })
        ));
        // The whole of a sheet is allowed.
        assert_eq!(
            check(&workbook(&[vec![dimensions(0, 65_536, 0, 256)]])),
            Ok(())
        );
    }

    #[test]
    fn cells_of_an_embedded_chart_are_not_counted() {
        let chart = [
            record(BOF, &[0, 6, 0x20, 0]),
            number(0xFFFF, 0xFFFF),
            record(EOF, &[]),
        ]
        .concat();
        assert_eq!(check(&workbook(&[vec![number(0, 0), chart]])), Ok(()));
    }

    #[test]
    fn sheets_that_all_start_at_the_same_place_are_refused() {
        let mut stream = workbook(&[vec![number(0, 0)]]);
        // Twenty more BOUNDSHEET records pointing at the start of the stream, whose globals
        // have no EOF now: each sheet would be read through the whole stream.
        let eof = record(EOF, &[]);
        let at = stream.windows(4).position(|w| w == eof.as_slice()).unwrap();
        stream.drain(at..at + 4);
        let bound = record(BOUNDSHEET, &[0; 8]);
        let extra: Vec<u8> = bound
            .iter()
            .copied()
            .cycle()
            .take(bound.len() * 20)
            .collect();
        stream.splice(at..at, extra);
        assert_eq!(
            check(&stream),
            Err(GridProblem::Overlapping {
                sheets: 21,
                stream: stream.len()
            })
        );
    }

    #[test]
    fn continue_records_go_with_the_record_before_them() {
        // A NUMBER record's CONTINUE holding what looks like a far cell is not a cell.
        let hidden = number(0xFFFF, 0xFFFF);
        let sheet = vec![number(0, 0), record(CONTINUE, &hidden)];
        assert_eq!(check(&workbook(&[sheet])), Ok(()));
    }

    /// A workbook stream whose globals hold records (an SST) before the sheets' BOUNDSHEETs.
    fn workbook_with_globals(globals: &[Vec<u8>], sheets: &[Vec<Vec<u8>>]) -> Vec<u8> {
        let plain = workbook(sheets);
        // The BOF of the globals is 8 bytes; the records go after it, the offsets move on.
        let extra: usize = globals.iter().map(Vec::len).sum();
        let mut out = plain[..8].to_vec();
        out.extend(globals.iter().flatten());
        let mut rest = plain[8..].to_vec();
        let mut at = 0;
        while at + 4 <= rest.len() && u16_at(&rest, at) == BOUNDSHEET {
            let offset = u32_at(&rest, at + 4) as usize + extra;
            rest[at + 4..at + 8].copy_from_slice(&(offset as u32).to_le_bytes());
            at += 4 + usize::from(u16_at(&rest, at + 2));
        }
        out.extend(rest);
        out
    }

    /// A string of `n` characters stored in two bytes each.
    fn wide(n: u16) -> Vec<u8> {
        let mut out = n.to_le_bytes().to_vec();
        out.push(1);
        out.extend(std::iter::repeat_n([0xA1, 0x1E], usize::from(n)).flatten());
        out
    }

    fn label_sst(row: u16, col: u16, index: u32) -> Vec<u8> {
        let mut data = row.to_le_bytes().to_vec();
        data.extend(col.to_le_bytes());
        data.extend([0, 0]);
        data.extend(index.to_le_bytes());
        record(LABELSST, &data)
    }

    #[test]
    fn shared_strings_are_measured_through_their_continue_records() {
        // Ten characters: four in one byte in the SST record, six in two bytes in a CONTINUE
        // record (whose first byte says so), then a rich-text run skipped across the records.
        let mut first = 10u16.to_le_bytes().to_vec();
        first.extend([0x8, 1, 0]); // flags: rich text; one run
        first.extend(b"abcd");
        let mut data = 2u32.to_le_bytes().to_vec();
        data.extend(2u32.to_le_bytes());
        data.extend(&first);
        let mut continued = vec![1];
        continued.extend([0x41, 0].repeat(6));
        continued.extend([0u8; 4]); // the run
        continued.extend(wide(3)); // a second string
        let mut bytes = record(SST, &data);
        bytes.extend(record(CONTINUE, &continued));
        let records: Vec<Record<'_>> = (Records { rest: &bytes }).collect();
        assert_eq!(records.len(), 1);
        assert_eq!(
            shared_string_bytes(&records[0], 1200),
            vec![4 * 2 + 6 * 3, 3 * 3]
        );
        assert_eq!(shared_string_bytes(&records[0], 1252), vec![10 * 6, 3 * 6]);
    }

    #[test]
    fn cells_copying_a_long_shared_string_are_refused() {
        // One string of 65 535 characters in two bytes: up to 196 605 bytes a copy; 1 400 cells
        // showing it would copy more than 256 MiB.
        let long = wide(u16::MAX);
        // The long string does not fit one record (8 224 bytes): CONTINUE records carry it,
        // each starting with the flag byte.
        let mut data = 2u32.to_le_bytes().to_vec();
        data.extend(2u32.to_le_bytes());
        data.extend(wide(2));
        data.extend(&long[..3 + 7998]);
        let mut table = record(SST, &data);
        for chunk in long[3 + 7998..].chunks(8000) {
            let mut part = vec![1];
            part.extend(chunk);
            table.extend(record(CONTINUE, &part));
        }
        let cells = |n: u16, index: u32| -> Vec<Vec<u8>> {
            (0..n).map(|row| label_sst(row, 0, index)).collect()
        };
        let problem = check(&workbook_with_globals(
            std::slice::from_ref(&table),
            &[cells(1_400, 1)],
        ))
        .unwrap_err();
        assert_eq!(
            problem,
            GridProblem::TooMuchText {
                sheet: 1,
                bytes: 1_400 * 196_605
            }
        );
        assert!(
            problem
                .to_string()
                .contains("more than the cap of 268435456")
        );
        // The same cells showing the short string, and a few showing the long one, pass.
        assert_eq!(
            check(&workbook_with_globals(
                std::slice::from_ref(&table),
                &[cells(1_400, 0), cells(100, 1)]
            )),
            Ok(())
        );
    }
}
