//! HTML pages built like Vietnamese news and portal pages: the article text they must yield
//! (fixtures with `.expected.txt` next to them) and their tables.

use std::path::{Path, PathBuf};

use chiso_extract::{ExtractOptions, Format, Location, extract_all};

use crate::local::spec;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/html")
        .join(name)
}

fn expected(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).expect("the expected text is checked in")
}

#[test]
fn news_article_without_menus_share_bars_related_links_or_footer() {
    let got = extract_all(
        &[spec(
            "baolaocai",
            Location::Path(fixture("baolaocai-grdp-2022.html")),
        )],
        &ExtractOptions::default(),
    )
    .remove(0)
    .expect("the page reads");
    assert_eq!(got.format, Format::Html);
    assert_eq!(
        got.document.text,
        expected("baolaocai-grdp-2022.expected.txt")
    );
    for furniture in [
        "Trang chủ",
        "Chia sẻ",
        "Tin liên quan",
        "Xem nhiều",
        "Giấy phép",
        "dataLayer",
        "Hội chợ",
    ] {
        assert!(
            !got.document.text.contains(furniture),
            "{furniture:?} left in the text"
        );
    }
    assert!(got.tables.is_empty());
}

#[test]
fn portal_page_keeps_its_table_as_a_table() {
    let got = extract_all(
        &[spec(
            "yenbai",
            Location::Path(fixture("cucthongke-thu-nhap-2022.html")),
        )],
        &ExtractOptions::default(),
    )
    .remove(0)
    .expect("the page reads");
    assert_eq!(
        got.document.text,
        expected("cucthongke-thu-nhap-2022.expected.txt")
    );
    assert_eq!(
        got.tables.len(),
        1,
        "the banner layout table is furniture, not data"
    );
    let t = &got.tables[0];
    assert_eq!(t.name, "table-1");
    assert_eq!(
        t.title,
        ["Thu nhập bình quân đầu người một tháng (nghìn đồng)"]
    );
    assert_eq!(t.columns, ["Tỉnh", "Năm / 2021", "Năm / 2022"]);
    assert_eq!(t.header_row, Some(1));
    assert_eq!(t.rows.len(), 3);
    assert_eq!(t.rows[0].cells[0].text, "Yên Bái");
    assert_eq!(
        t.rows[0].cells[1].number,
        Some(2289.0),
        "a Vietnamese thousands dot"
    );
    assert_eq!(
        t.rows[0].cells[2].number,
        Some(2532.5),
        "a Vietnamese decimal comma"
    );
    assert_eq!(t.rows[2].line, 5);
}

#[test]
fn entities_breaks_and_hidden_blocks() {
    let html = "<body><p>Thu ng&acirc;n s&aacute;ch &#273;&#7841;t 1.234&nbsp;t&#7927; &amp; h&#417;n<br/>d&ograve;ng hai</p>\
                <div style='display: none'>ẩn</div><div hidden>ẩn</div><p aria-hidden='true'>ẩn</p>\
                <noscript>Bật JavaScript</noscript></body>";
    let page = chiso_extract::read_html(html, "s", "s.html");
    assert_eq!(page.text, "Thu ngân sách đạt 1.234 tỷ & hơn\ndòng hai\n");
}
