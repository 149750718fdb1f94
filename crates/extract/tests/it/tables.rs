//! Tables: the real files in `pipelines/tables/sources/` (copies with provenance) and the broken
//! cases (ragged rows, unclosed quotes, corrupt and disguised workbooks, a zip bomb).

use std::io::Write;
use std::path::{Path, PathBuf};

use chiso_extract::{Error, ExtractOptions, Extracted, Format, Location, extract_all};
use chiso_model::Table;

use crate::local::spec;

fn sources() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../pipelines/tables/sources")
}

fn read(path: PathBuf, opts: &ExtractOptions) -> Result<Extracted, Error> {
    extract_all(&[spec("t", Location::Path(path))], opts).remove(0)
}

fn read_ok(name: &str) -> Extracted {
    read(sources().join(name), &ExtractOptions::default())
        .unwrap_or_else(|e| panic!("{name} reads: {e}"))
}

/// `bytes` written to `name` in a fresh directory: the directory's guard (it is removed when the
/// guard is dropped) and the file's path.
fn scratch_file(name: &str, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = crate::support::scratch("tables");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("writable");
    (dir, path)
}

fn sheet<'a>(tables: &'a [Table], name: &str) -> &'a Table {
    tables
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("a sheet {name:?}"))
}

#[test]
fn cr_only_budget_csv() {
    let got = read_ok("Vietnam_National_Budget_Final.csv");
    assert_eq!(got.format, Format::Csv);
    assert_eq!(
        got.document.text, "",
        "a table file's content is in its tables"
    );
    let t = &got.tables[0];
    assert_eq!(t.name, "Vietnam_National_Budget_Final");
    assert_eq!(t.header_row, Some(1));
    assert_eq!(t.columns.len(), 10);
    assert_eq!(&t.columns[..3], ["A", "prov", "total.rev"]);
    assert_eq!(
        t.rows.len(),
        633,
        "64 provinces in 2006-2008, 63 after Hà Tây joined Hà Nội"
    );
    let first = &t.rows[0];
    assert_eq!(first.line, 2);
    assert_eq!(first.cells[1].text, "Quang Ninh");
    assert_eq!(first.cells[2].number, Some(4_371_000.0));
    assert_eq!(first.cells[9].number, Some(2006.0));
    let ha_giang = &t.rows[1];
    assert_eq!(ha_giang.cells[4].number, Some(755_768.814), "a decimal dot");
    assert_eq!(ha_giang.cells[8].number, Some(-551_768.814));
}

#[test]
fn final_2014_xls_every_sheet() {
    let got = read_ok("Final_2014.xls");
    assert_eq!(got.format, Format::Xls);
    assert_eq!(got.document.meta.encoding, "binary");
    let names: Vec<&str> = got.tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names.len(), 9, "{names:?}");
    let m01 = sheet(&got.tables, "M01+");
    assert_eq!(m01.sheet.as_deref(), Some("M01+"));
    assert_eq!(m01.header_row, Some(9));
    assert_eq!(m01.columns[..3], ["STT", "Chỉ tiêu", "Quyết toán năm 2014"]);
    assert!(
        m01.title
            .iter()
            .any(|l| l.contains("QUYẾT TOÁN CÂN ĐỐI NGÂN SÁCH NHÀ NƯỚC NĂM 2014")),
        "{:?}",
        m01.title
    );
    assert!(m01.title.iter().any(|l| l.contains("Đơn vị tính: Tỷ đồng")));
    let a = &m01.rows[0];
    assert_eq!(a.line, 10);
    assert_eq!(
        a.cells[1].text,
        "THU CÂN ĐỐI NGÂN SÁCH NHÀ NƯỚC (A=I+II+III+IV+V+VI)"
    );
    assert_eq!(a.cells[3].number, Some(1_130_608.6));
    // The provinces annex: three header rows, then TỔNG SỐ and the regions and provinces.
    let m09 = sheet(&got.tables, "M09+");
    assert_eq!(m09.header_row, Some(10));
    assert_eq!(m09.columns[1], "TÊN TỈNH, THÀNH PHỐ");
    assert_eq!(m09.rows[0].cells[1].text, "TỔNG SỐ");
    assert_eq!(m09.rows[0].cells[2].number, Some(1_120_237_007.0));
}

#[test]
fn plan_2017_xls() {
    let got = read_ok("Plan_2017.xls");
    let m01 = sheet(&got.tables, "M01");
    assert_eq!(m01.header_row, Some(8));
    assert_eq!(m01.columns[2], "Dự toán / năm 2017");
    let total = &m01.rows[0];
    assert_eq!(total.cells[1].text, "TỔNG THU CÂN ĐỐI NGÂN SÁCH NHÀ NƯỚC");
    assert_eq!(total.cells[3].number, Some(1_212_180.0));
    assert!(got.tables.len() >= 6, "{}", got.tables.len());
}

#[test]
fn pci_2012_xlsx_three_header_rows() {
    let got = read_ok("PCI_2012.xlsx");
    assert_eq!(got.format, Format::Xlsx);
    let informal = sheet(&got.tables, "Chi phi khong chinh thuc");
    assert_eq!(informal.header_row, Some(1));
    assert_eq!(informal.columns.len(), 9);
    assert_eq!(
        informal.rows.len(),
        67,
        "63 provinces, a blank row left out, a repeated Gia Lai row, Median, Min, Max"
    );
    assert_eq!(
        informal
            .rows
            .last()
            .map(|r| (r.line, r.cells[1].text.as_str())),
        Some((71, "Max"))
    );
    assert_eq!(informal.column_index("pci_id"), Some(1));
    assert_eq!(informal.column_index("sub5_informal"), Some(2));
    let ha_noi = &informal.rows[0];
    assert_eq!(ha_noi.line, 4);
    assert_eq!(ha_noi.cells[1].text, "Hà Nội");
    assert_eq!(ha_noi.cells[2].number, Some(5.498546));
}

#[test]
fn broken_csvs_name_the_line() {
    let (_dir, ragged) = scratch_file(
        "ragged.csv",
        "Tỉnh,2021,2022\r\nLào Cai,7.5,9.02\r\nYên Bái,6.1\r\n".as_bytes(),
    );
    let e = read(ragged, &ExtractOptions::default()).expect_err("a ragged row");
    let msg = e.to_string();
    assert!(matches!(e, Error::Table { .. }), "{msg}");
    assert!(
        msg.contains("ragged.csv") && msg.contains("line 3") && msg.contains("2 fields"),
        "{msg}"
    );
    let (_dir, unclosed) = scratch_file("unclosed.csv", b"a;b\r1;2\r\"3;4\r5;6\r");
    let msg = read(unclosed, &ExtractOptions::default())
        .expect_err("unclosed")
        .to_string();
    assert!(
        msg.contains("line 3") && msg.contains("never closed"),
        "{msg}"
    );
}

#[test]
fn tsv_and_scientific_numbers() {
    let (_dir, path) = scratch_file(
        "sl.tsv",
        b"Province\tValue\nHa Noi\t3.00E+05\nLao Cai\t1.5e3\n",
    );
    let got = read(path, &ExtractOptions::default()).expect("a TSV");
    assert_eq!(got.format, Format::Tsv);
    let t = &got.tables[0];
    assert_eq!(t.rows[0].cells[1].number, Some(300_000.0));
    assert_eq!(t.rows[1].cells[1].number, Some(1_500.0));
}

#[test]
fn corrupt_and_disguised_workbooks_are_errors() {
    let (_dir, html) = scratch_file(
        "bao-cao.xls",
        "<html><body><table><tr><td>Tỉnh</td><td>2022</td></tr></table></body></html>".as_bytes(),
    );
    let msg = read(html, &ExtractOptions::default())
        .expect_err("HTML")
        .to_string();
    assert!(
        msg.contains("bao-cao.xls") && msg.contains("HTML page, not an Excel workbook"),
        "{msg}"
    );

    let mut truncated = std::fs::read(sources().join("Final_2014.xls")).expect("the copy");
    truncated.truncate(5_000);
    let (_dir, cut) = scratch_file("cut.xls", &truncated);
    let msg = read(cut, &ExtractOptions::default())
        .expect_err("truncated")
        .to_string();
    // The second FAT sector is past the cut: refused before calamine reads it.
    assert!(
        msg.contains("cut.xls")
            && msg
                .contains("not a valid Excel 97-2003 file: list of FAT sectors reaches sector 128"),
        "{msg}"
    );

    let (_dir, noise) = scratch_file("noise.xlsx", b"PK\x03\x04 not really a zip");
    let msg = read(noise, &ExtractOptions::default())
        .expect_err("noise")
        .to_string();
    assert!(
        msg.contains("noise.xlsx") && msg.contains("corrupt XLSX"),
        "{msg}"
    );

    let (_dir, text) = scratch_file("text.xlsx", "Tỉnh;Năm".as_bytes());
    let msg = read(text, &ExtractOptions::default())
        .expect_err("text")
        .to_string();
    assert!(msg.contains("not an Excel workbook"), "{msg}");
}

#[test]
fn zip_bomb_is_refused_before_parsing() {
    let mut bytes = Vec::new();
    {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(&mut bytes));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("xl/worksheets/sheet1.xml", options)
            .expect("an in-memory zip");
        let zeros = vec![b' '; 1024 * 1024];
        for _ in 0..4 {
            zip.write_all(&zeros).expect("an in-memory zip");
        }
        zip.finish().expect("an in-memory zip");
    }
    assert!(bytes.len() < 64 * 1024, "4 MiB of spaces compress well");
    let opts = ExtractOptions {
        max_unpacked_bytes: 1024 * 1024,
        ..ExtractOptions::default()
    };
    let (_dir, bomb) = scratch_file("bomb.xlsx", &bytes);
    let msg = read(bomb, &opts).expect_err("over the cap").to_string();
    assert!(
        msg.contains("bomb.xlsx")
            && msg.contains("sheet1.xml")
            && msg.contains("more than the cap"),
        "{msg}"
    );
}

/// Found by the `tables` fuzz target: a mutated copy of Plan_2017.xls makes calamine's XLS
/// reader slice out of range. It is a failed source with a reason, never a crash.
#[test]
fn a_workbook_that_crashes_the_excel_reader_is_a_failed_source() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad/calamine-panic.xls");
    let msg = read(path, &ExtractOptions::default())
        .expect_err("corrupt")
        .to_string();
    assert!(
        msg.contains("calamine-panic.xls") && msg.contains("corrupt workbook"),
        "{msg}"
    );
}

/// Found by the `tables` fuzz target: a mutated copy of Plan_2017.xls whose directory chain
/// loops back on itself. calamine follows the chain with no bound (its `Sectors::get_chain` asked
/// for 2 GiB); the chains are now checked before calamine sees the bytes, so the file is a failed
/// source at once, with the sector named, and real workbooks still read.
#[test]
fn a_workbook_whose_sector_chain_loops_is_refused_before_the_excel_reader() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad/calamine-cfb-oom.xls");
    let err = read(path, &ExtractOptions::default()).expect_err("a looping chain");
    assert_eq!(err.source_id(), "t");
    let msg = err.to_string();
    assert!(
        msg.contains("calamine-cfb-oom.xls")
            && msg.ends_with(
                "not a valid Excel 97-2003 file: FAT chain of the directory loops at sector 120"
            ),
        "{msg}"
    );
    for name in ["Final_2014.xls", "Plan_2017.xls"] {
        assert!(!read_ok(name).tables.is_empty(), "{name} still reads");
    }
}

/// Plan_2017.xls with one cell moved to row and column 65 535 (four bytes changed): calamine
/// would hold every cell between A1 and it, 2³² cells, and the failed 128 GiB allocation would
/// abort the process. The sheets' extent is measured from the records first.
#[test]
fn a_workbook_whose_cells_span_more_than_the_cap_is_refused_before_the_excel_reader() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad/calamine-huge-grid.xls");
    let msg = read(path, &ExtractOptions::default())
        .expect_err("a huge grid")
        .to_string();
    assert!(
        msg.contains("calamine-huge-grid.xls at sheet #1:")
            && msg.contains("more than the cap of 4194304"),
        "{msg}"
    );
}

/// A minimal XLSX: the package and workbook relationships, a workbook listing the sheets, each
/// sheet's `<sheetData>` as given, and any other parts (shared strings, styles).
fn xlsx(sheets: &[(&str, String)], parts: &[(&str, String)]) -> Vec<u8> {
    const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const RELS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let mut workbook = format!("<workbook xmlns=\"{MAIN}\" xmlns:r=\"{RELS}\"><sheets>");
    let mut workbook_rels = String::from(
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
    );
    let mut files = vec![(
        "_rels/.rels".to_owned(),
        format!(
            "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
             <Relationship Id=\"rId1\" Type=\"{RELS}/officeDocument\" Target=\"xl/workbook.xml\"/>\
             </Relationships>"
        ),
    )];
    for (i, (name, data)) in sheets.iter().enumerate() {
        let n = i + 1;
        workbook.push_str(&format!(
            "<sheet name=\"{name}\" sheetId=\"{n}\" r:id=\"rId{n}\"/>"
        ));
        workbook_rels.push_str(&format!(
            "<Relationship Id=\"rId{n}\" Type=\"{RELS}/worksheet\" Target=\"worksheets/sheet{n}.xml\"/>"
        ));
        files.push((
            format!("xl/worksheets/sheet{n}.xml"),
            format!("<worksheet xmlns=\"{MAIN}\"><sheetData>{data}</sheetData></worksheet>"),
        ));
    }
    workbook.push_str("</sheets></workbook>");
    workbook_rels.push_str("</Relationships>");
    files.push(("xl/workbook.xml".to_owned(), workbook));
    files.push(("xl/_rels/workbook.xml.rels".to_owned(), workbook_rels));
    files.extend(
        parts
            .iter()
            .map(|(name, xml)| ((*name).to_owned(), xml.clone())),
    );
    let mut bytes = Vec::new();
    {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(&mut bytes));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, xml) in files {
            zip.start_file(name, options).expect("an in-memory zip");
            zip.write_all(xml.as_bytes()).expect("an in-memory zip");
        }
        zip.finish().expect("an in-memory zip");
    }
    bytes
}

fn read_xlsx(name: &str, bytes: &[u8]) -> Result<Extracted, Error> {
    let (_dir, path) = scratch_file(name, bytes);
    read(path, &ExtractOptions::default())
}

/// Cells A1 and XFD1048576 in a 1 KB file: calamine would hold every cell between them, 2³⁴
/// cells of 32 bytes, and the failed 512 GiB allocation would abort the process. The extent is
/// measured as the cells come, so the second cell is refused before any grid is built.
#[test]
fn an_xlsx_whose_cells_are_far_apart_is_refused_at_once() {
    let sheet = "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>\
                 <row r=\"1048576\"><c r=\"XFD1048576\"><v>2</v></c></row>";
    let bytes = xlsx(&[("Sheet1", sheet.to_owned())], &[]);
    assert!(bytes.len() < 2_000, "{}", bytes.len());
    let started = std::time::Instant::now();
    let err = read_xlsx("far.xlsx", &bytes).expect_err("a grid of 2^34 cells");
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert_eq!(err.source_id(), "t");
    let msg = err.to_string();
    assert!(
        msg.contains(
            "far.xlsx at sheet \"Sheet1\": the sheet spans A1:XFD1048576, 17179869184 cells"
        ) && msg.contains("the limit is 4194304"),
        "{msg}"
    );
}

/// Cells without a reference are placed as calamine places them, by counting: the fifth cell
/// of row 1 048 576 is E1048576, five columns of a million rows.
#[test]
fn cells_without_a_reference_are_placed_by_counting() {
    let sheet = format!(
        "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"1048576\">{}</row>",
        "<c><v>2</v></c>".repeat(5)
    );
    let msg = read_xlsx("counted.xlsx", &xlsx(&[("Sheet1", sheet)], &[]))
        .expect_err("five columns of a million rows")
        .to_string();
    assert!(msg.contains("spans A1:E1048576, 5242880 cells"), "{msg}");
    // Four columns fit (4 194 304 cells exactly), but an empty styled cell far away is no cell
    // at all: calamine leaves empty cells out of the grid, and so does the measure.
    let sheet = "<row r=\"1\"><c r=\"A1\"><v>Tỉnh</v></c><c r=\"B1\" t=\"inlineStr\"><is><t>Năm</t></is></c></row>\
                 <row r=\"2\"><c r=\"A2\"><v>7</v></c><c r=\"B2\"><v>2022</v></c></row>\
                 <row r=\"1048576\"><c r=\"XFD1048576\" s=\"1\"/></row>";
    let got = read_xlsx("styled.xlsx", &xlsx(&[("Sheet1", sheet.to_owned())], &[]))
        .expect("two rows and an empty styled cell");
    assert_eq!(got.tables.len(), 1);
    assert_eq!(got.tables[0].columns, ["Tỉnh", "Năm"]);
}

/// The grids of all sheets are added up: two sheets of 135 rows × 16 384 columns (2.2 million
/// cells each) pass one at a time, not together.
#[test]
fn the_sheets_of_an_xlsx_share_one_cell_cap() {
    let wide = "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>\
                <row r=\"135\"><c r=\"XFD135\"><v>2</v></c></row>";
    let one = xlsx(&[("S1", wide.to_owned())], &[]);
    assert!(read_xlsx("one-wide.xlsx", &one).is_ok());
    let two = xlsx(&[("S1", wide.to_owned()), ("S2", wide.to_owned())], &[]);
    let msg = read_xlsx("two-wide.xlsx", &two)
        .expect_err("4.4 million cells")
        .to_string();
    assert!(
        msg.contains(
            "at sheet \"S2\": the sheet spans A1:XFD135, 4423680 cells with the sheets before it"
        ),
        "{msg}"
    );
}

/// `<sst uniqueCount="…">` is reserved as given when calamine opens the workbook: 10¹² strings
/// would be 24 TB. A count the part cannot hold is refused while the part is unpacked.
#[test]
fn a_shared_string_count_the_part_cannot_hold_is_refused() {
    let sst = "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" \
               count=\"1\" uniqueCount=\"1000000000000\"><si><t>Tỉnh</t></si></sst>";
    let sheet = "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>";
    let bytes = xlsx(
        &[("Sheet1", sheet.to_owned())],
        &[("xl/sharedStrings.xml", sst.to_owned())],
    );
    let msg = read_xlsx("sst.xlsx", &bytes)
        .expect_err("a 24 TB reservation")
        .to_string();
    assert!(
        msg.contains("sst.xlsx at zip entry \"xl/sharedStrings.xml\"")
            && msg.contains("uniqueCount=\"1000000000000\""),
        "{msg}"
    );
    // The honest count reads.
    let bytes = xlsx(
        &[("Sheet1", sheet.to_owned())],
        &[("xl/sharedStrings.xml", sst.replace("1000000000000", "1"))],
    );
    let got = read_xlsx("sst-ok.xlsx", &bytes).expect("an honest count");
    assert_eq!(got.tables[0].columns, ["Tỉnh"]);
}

/// Every cell showing a shared string gets its own copy: 300 cells showing one 1 MB string
/// would copy 300 MB. The text is counted as the cells come.
#[test]
fn cells_copying_a_long_shared_string_are_refused() {
    let long = "x".repeat(1 << 20);
    let sst = format!("<sst uniqueCount=\"1\"><si><t>{long}</t></si></sst>");
    let sheet: String = (1..=300)
        .map(|r| format!("<row r=\"{r}\"><c r=\"A{r}\" t=\"s\"><v>0</v></c></row>"))
        .collect();
    let bytes = xlsx(&[("Sheet1", sheet)], &[("xl/sharedStrings.xml", sst)]);
    let msg = read_xlsx("copies.xlsx", &bytes)
        .expect_err("300 MB of copies")
        .to_string();
    assert!(
        msg.contains("at sheet \"Sheet1\": the cells hold more than")
            && msg.contains("the limit is 268435456"),
        "{msg}"
    );
}

/// Every cell format of `styles.xml` gets its own copy of its number format code: ten thousand
/// formats sharing a 100 KB code would be a gigabyte.
#[test]
fn formats_copying_a_long_number_format_are_refused() {
    let styles = format!(
        "<styleSheet><numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"{}\"/></numFmts>\
         <cellXfs>{}</cellXfs></styleSheet>",
        "0".repeat(100_000),
        "<xf numFmtId=\"164\"/>".repeat(10_000)
    );
    let sheet = "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>";
    let bytes = xlsx(
        &[("Sheet1", sheet.to_owned())],
        &[("xl/styles.xml", styles)],
    );
    let msg = read_xlsx("styles.xlsx", &bytes)
        .expect_err("a gigabyte of format codes")
        .to_string();
    assert!(
        msg.contains("at zip entry \"xl/styles.xml\": the styles have 10000 <xf> formats"),
        "{msg}"
    );
}
