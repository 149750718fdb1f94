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

fn scratch_file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("chiso-extract-tables-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("the temp dir is writable");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("writable");
    path
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
    let ragged = scratch_file(
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
    let unclosed = scratch_file("unclosed.csv", b"a;b\r1;2\r\"3;4\r5;6\r");
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
    let path = scratch_file(
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
    let html = scratch_file(
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
    let msg = read(
        scratch_file("cut.xls", &truncated),
        &ExtractOptions::default(),
    )
    .expect_err("truncated")
    .to_string();
    // The second FAT sector is past the cut: refused before calamine reads it.
    assert!(
        msg.contains("cut.xls")
            && msg
                .contains("not a valid Excel 97-2003 file: list of FAT sectors reaches sector 128"),
        "{msg}"
    );

    let msg = read(
        scratch_file("noise.xlsx", b"PK\x03\x04 not really a zip"),
        &ExtractOptions::default(),
    )
    .expect_err("noise")
    .to_string();
    assert!(
        msg.contains("noise.xlsx") && msg.contains("corrupt XLSX"),
        "{msg}"
    );

    let msg = read(
        scratch_file("text.xlsx", "Tỉnh;Năm".as_bytes()),
        &ExtractOptions::default(),
    )
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
    let msg = read(scratch_file("bomb.xlsx", &bytes), &opts)
        .expect_err("over the cap")
        .to_string();
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
