//! CSV and TSV files: any line ending (the decoder already made CR-only and CRLF into `\n`),
//! delimiter sniffing, quoted fields; a ragged row or an unclosed quote is an error with its line.

use chiso_model::Table;

use crate::cell_number::DecimalMark;
use crate::table::{self, Origin, RawRow};

/// Delimiters tried when sniffing, most common first.
const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];
/// Lines looked at when sniffing.
const SNIFF_LINES: usize = 30;

/// Why a CSV text could not be read, with the 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CsvProblem {
    /// 1-based line of the problem.
    pub line: usize,
    /// What is wrong.
    pub reason: String,
}

/// Splits `text` into logical lines (quoted line breaks stay inside their field) and counts the
/// `delimiter`s outside quotes on each; `Err(line)` when a quote opened on `line` never closes.
fn count_per_line(text: &str, delimiter: u8, max_lines: usize) -> Result<Vec<usize>, usize> {
    let mut counts = Vec::new();
    let (mut in_quotes, mut count, mut line, mut quote_line) = (false, 0usize, 1usize, 0usize);
    let mut blank = true;
    for &b in text.as_bytes() {
        if b == b'"' {
            in_quotes = !in_quotes;
            if in_quotes {
                quote_line = line;
            }
        }
        if b == b'\n' {
            line += 1;
        }
        if in_quotes {
            continue;
        }
        if b == b'\n' {
            if !blank {
                counts.push(count);
                if counts.len() >= max_lines {
                    return Ok(counts);
                }
            }
            count = 0;
            blank = true;
        } else {
            blank = false;
            if b == delimiter {
                count += 1;
            }
        }
    }
    if in_quotes {
        return Err(quote_line);
    }
    if !blank {
        counts.push(count);
    }
    Ok(counts)
}

/// The delimiter that splits the first lines into the same, largest number of fields.
pub(crate) fn sniff_delimiter(text: &str) -> u8 {
    let mut best = (b',', 0usize);
    for d in CANDIDATES {
        let Ok(counts) = count_per_line(text, d, SNIFF_LINES) else {
            continue;
        };
        let Some(&first) = counts.first() else {
            continue;
        };
        // Lines agreeing with the first line's count, weighted by the count itself.
        let agreeing = counts.iter().filter(|&&c| c == first).count();
        let score = if first == 0 {
            0
        } else {
            agreeing * 100 + first
        };
        if score > best.1 {
            best = (d, score);
        }
    }
    best.0
}

/// Reads a CSV/TSV text into a table. `delimiter` `None` sniffs it.
pub(crate) fn read(
    text: &str,
    delimiter: Option<u8>,
    from: Origin<'_>,
) -> Result<Table, CsvProblem> {
    let delimiter = delimiter.unwrap_or_else(|| sniff_delimiter(text));
    if let Err(line) = count_per_line(text, delimiter, usize::MAX) {
        return Err(CsvProblem {
            line,
            reason: "a quoted field opened on this line is never closed".into(),
        });
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(false)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| problem(&e))?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        rows.push(RawRow {
            line,
            cells: record.iter().map(|c| c.trim().to_owned()).collect(),
            typed: Vec::new(),
            marked_header: false,
        });
    }
    Ok(table::build(rows, from, DecimalMark::Dot))
}

fn problem(e: &csv::Error) -> CsvProblem {
    let line = e.position().map_or(0, |p| p.line() as usize);
    let reason = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("this row has {len} fields but the rows before it have {expected_len}"),
        _ => e.to_string(),
    };
    CsvProblem { line, reason }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin() -> Origin<'static> {
        Origin {
            source_id: "s",
            origin: "s.csv",
            name: "s".into(),
            sheet: None,
        }
    }

    #[test]
    fn delimiters_are_sniffed_outside_quotes() {
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n"), b',');
        assert_eq!(sniff_delimiter("a;b;c\n\"1,5\";2;3\n"), b';');
        assert_eq!(sniff_delimiter("a\tb\n1,5\t2\n"), b'\t');
        assert_eq!(
            sniff_delimiter("Tỉnh|Năm|Giá trị\nHà Nội|2016|5.980\n"),
            b'|'
        );
    }

    #[test]
    fn semicolon_csv_with_vietnamese_decimals() {
        let text = "Tỉnh;2021;2022\n\"Lào Cai\";\"7,5\";\"9,02\"\nYên Bái;6,1;\"1.234,5\"\n";
        let t = read(text, None, origin()).expect("a valid CSV");
        assert_eq!(t.columns, ["Tỉnh", "2021", "2022"]);
        assert_eq!(t.rows[0].cells[2].number, Some(9.02));
        assert_eq!(t.rows[1].cells[2].number, Some(1234.5));
        assert_eq!(t.rows[1].line, 3);
    }

    #[test]
    fn ragged_rows_and_unclosed_quotes_name_the_line() {
        let e = read("a,b\n1,2\n3,4,5\n", None, origin()).expect_err("ragged");
        assert_eq!(e.line, 3);
        assert!(e.reason.contains("3 fields"), "{}", e.reason);
        let e = read("a,b\n1,2\n\"3,4\n5,6\n", None, origin()).expect_err("unclosed");
        assert_eq!(e.line, 3);
        assert!(e.reason.contains("never closed"), "{}", e.reason);
    }
}
