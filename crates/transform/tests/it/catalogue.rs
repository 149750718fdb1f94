//! The indicator catalogue: its data and `find_cues` on real sentences (copied from the Lào Cai
//! interview and the dev corpus).

use chiso_model::{Measure, Unit};
use chiso_transform::catalogue::Catalogue;

const IDS: [&str; 45] = [
    "gdp_growth",
    "gdp_growth_agriculture",
    "gdp_growth_industry",
    "gdp_growth_services",
    "gdp_value",
    "gdp_per_capita",
    "income_per_capita",
    "budget_revenue",
    "budget_expenditure",
    "export_value",
    "import_value",
    "trade_value",
    "fdi_capital",
    "investment_capital",
    "public_investment_disbursement",
    "tourist_arrivals",
    "tourism_revenue",
    "industrial_production_index",
    "industrial_production_value",
    "retail_sales",
    "cpi",
    "poverty_rate",
    "near_poverty_rate",
    "poverty_reduction",
    "poor_households",
    "unemployment_rate",
    "trained_labor_rate",
    "forest_cover",
    "new_rural_communes",
    "new_enterprises",
    "food_output",
    "aquaculture_output",
    "fisheries_output",
    "fisheries_capture",
    "health_insurance_coverage",
    "urbanization_rate",
    "doctors_per_10k",
    "hospital_beds_per_10k",
    "rural_clean_water_rate",
    "urban_clean_water_rate",
    "solid_waste_collection_rate",
    "standard_schools_rate",
    "electricity_access_rate",
    "targets_achieved",
    "pci",
];

#[test]
fn every_indicator_is_complete() {
    let c = Catalogue::builtin();
    assert_eq!(c.indicators().len(), IDS.len());
    for id in IDS {
        let ind = c.get(id).unwrap_or_else(|| panic!("{id} missing"));
        assert!(!ind.label_vi.is_empty() && !ind.label_en.is_empty(), "{id}");
        assert!(ind.units.contains(&ind.unit), "{id}");
        assert!(!ind.measures.is_empty(), "{id}");
        assert!(!ind.cues.is_empty(), "{id}");
    }
    assert_eq!(
        c.get("pci").map(|i| i.units.clone()),
        Some(vec![Unit::Score, Unit::Rank])
    );
    assert_eq!(
        c.get("targets_achieved").map(|i| i.measures.clone()),
        Some(vec![Measure::Level])
    );
    assert!(c.get("gdp_growth").is_some_and(|i| i.growth));
    assert!(c.get("cpi").is_some_and(|i| !i.growth));
}

/// (sentence, expected (cue as written, indicator id) in order)
const CASES: &[(&str, &[(&str, &str)])] = &[
    // lao-cai-interview.txt
    (
        "Tốc độ tăng trưởng kinh tế GRDP các năm 2021, 2022 và quý I/2023 đều đạt khá; trong đó, năm 2022 đạt 9,02%",
        &[("Tốc độ tăng trưởng kinh tế GRDP", "gdp_growth")],
    ),
    (
        "Tỷ lệ giảm nghèo đa chiều bình quân hằng năm đạt từ 4-5%, tỷ lệ hộ nghèo hiện còn 19,3%.",
        &[
            ("Tỷ lệ giảm nghèo", "poverty_reduction"),
            ("tỷ lệ hộ nghèo", "poverty_rate"),
        ],
    ),
    // dev-corpus 18-baogialai-ktxh-6-thang-2024.txt
    (
        "Trong đó, khu vực nông-lâm nghiệp và thủy sản tăng 4,26%; khu vực công nghiệp, xây dựng tăng 0,4%; khu vực dịch vụ tăng 3,84%.",
        &[
            (
                "khu vực nông-lâm nghiệp và thủy sản",
                "gdp_growth_agriculture",
            ),
            ("khu vực công nghiệp, xây dựng", "gdp_growth_industry"),
            ("khu vực dịch vụ tăng", "gdp_growth_services"),
        ],
    ),
    (
        "Bên cạnh đó, tổng doanh thu bán lẻ hàng hóa đạt 29.232,75 tỷ đồng, tăng 8,95% so với cùng kỳ năm 2023; kim ngạch xuất khẩu của tỉnh ước đạt 525 triệu USD",
        &[
            ("tổng doanh thu bán lẻ hàng hóa", "retail_sales"),
            ("kim ngạch xuất khẩu", "export_value"),
        ],
    ),
    (
        "Đáng chú ý, 6 tháng đầu năm có 500 doanh nghiệp thành lập mới, tăng 7,6% so với cùng kỳ; tổng vốn đăng ký là 5.125 tỷ đồng. Chỉ số giá tiêu dùng (CPI) tháng 6 tăng 0,55% so với tháng trước",
        &[
            ("doanh nghiệp thành lập mới", "new_enterprises"),
            ("Chỉ số giá tiêu dùng (CPI", "cpi"),
        ],
    ),
    // dev-corpus 44-soha-bacninh-grdp-theo-quy-2022.txt
    (
        "Đặc biệt, trong năm 2022 tổng kim ngạch xuất, nhập khẩu hàng hoá tháng 11 đạt khoảng 78,6 tỷ USD",
        &[("tổng kim ngạch xuất, nhập khẩu hàng hoá", "trade_value")],
    ),
    (
        "Quy mô GRDP (theo giá hiện hành) năm 2022 ước đạt 248.376 tỷ đồng.",
        &[("Quy mô GRDP", "gdp_value")],
    ),
    // dev-corpus 01-quangngai-tong-ket-2021.txt
    (
        "Chỉ số sản xuất công nghiệp ước tăng 7,5%. Giá trị sản xuất công nghiệp ước đạt 120.553 tỷ đồng. Tổng vốn đầu tư toàn xã hội trên địa bàn tỉnh ước đạt 22.610 tỷ đồng.",
        &[
            ("Chỉ số sản xuất công nghiệp", "industrial_production_index"),
            (
                "Giá trị sản xuất công nghiệp",
                "industrial_production_value",
            ),
            ("Tổng vốn đầu tư toàn xã hội", "investment_capital"),
        ],
    ),
    // dev-corpus 22-bariavungtau-du-lich-11-thang-2022.txt
    (
        "Đến hết tháng 11, tổng lượt khách du lịch về tỉnh đạt hơn 11,8 triệu lượt. Tổng thu từ khách du lịch 12.129 tỷ đồng.",
        &[
            ("tổng lượt khách du lịch", "tourist_arrivals"),
            ("Tổng thu từ khách du lịch", "tourism_revenue"),
        ],
    ),
    // dev-corpus 13-yenbai-cucthongke-tctk-quy-i-2023.txt
    (
        "Trong đó, khu vực nông, lâm nghiệp và thủy sản tăng 2,52%, đóng góp 8,85% vào mức tăng trưởng chung",
        &[
            (
                "khu vực nông, lâm nghiệp và thủy sản",
                "gdp_growth_agriculture",
            ),
            ("mức tăng trưởng", "gdp_growth"),
        ],
    ),
    // dev-corpus 32-saigondautu-angiang-nghi-quyet-2020-2025.txt
    (
        "An Giang đưa thu nhập bình quân đầu người đạt khoảng 72 triệu đồng",
        &[("thu nhập bình quân đầu người", "income_per_capita")],
    ),
    // Spellings: capitals at a sentence start, tỉ/tỷ, hoá/hóa, thuỷ/thủy, no diacritics.
    (
        "Tỷ lệ hộ nghèo còn 2,1%.",
        &[("Tỷ lệ hộ nghèo", "poverty_rate")],
    ),
    (
        "TỶ LỆ ĐÔ THỊ HOÁ đạt 40%; tỉ lệ che phủ rừng 65%",
        &[
            ("TỶ LỆ ĐÔ THỊ HOÁ", "urbanization_rate"),
            ("tỉ lệ che phủ rừng", "forest_cover"),
        ],
    ),
    (
        "khu vực nông, lâm nghiệp và thuỷ sản tăng 3%",
        &[(
            "khu vực nông, lâm nghiệp và thuỷ sản",
            "gdp_growth_agriculture",
        )],
    ),
    (
        "ty le ho ngheo con 2%",
        &[("ty le ho ngheo", "poverty_rate")],
    ),
    (
        "GRDP bình quân đầu người đạt 3.000 USD, thu nhập bình quân đầu người đạt 4 triệu đồng",
        &[
            ("GRDP bình quân đầu người", "gdp_per_capita"),
            ("thu nhập bình quân đầu người", "income_per_capita"),
        ],
    ),
];

#[test]
fn find_cues_on_real_sentences() {
    let c = Catalogue::builtin();
    for (text, want) in CASES {
        let got: Vec<(&str, &str)> = c
            .find_cues(text)
            .iter()
            .map(|m| {
                (
                    &text[m.span.start..m.span.end],
                    c.indicator_of(m).id.as_str(),
                )
            })
            .collect();
        assert_eq!(got, *want, "{text}");
    }
}

#[test]
fn find_cues_needs_whole_words_and_same_letters() {
    let c = Catalogue::builtin();
    // "cpi" inside a word, "giải ngân" with other tones, "tăng trưởng" split by a comma is fine,
    // but "tầng trượng" is not "tăng trưởng".
    for text in ["mã CPIX", "tầng trượng", "kế hoạch năm"] {
        assert!(
            c.find_cues(text).is_empty(),
            "{text}: {:?}",
            c.find_cues(text)
        );
    }
}

#[test]
fn extend_adds_cues_and_reports_errors() {
    let mut c = Catalogue::builtin();
    let extra = "version = 1\n\n[[cues]]\nindicator = \"cpi\"\ncues = [\"lạm phát\"]\n\n[[indicator]]\nid = \"rice_export\"\nlabel_vi = \"Xuất khẩu gạo\"\nlabel_en = \"Rice exports\"\nunit = \"tonne\"\nunits = [\"tonne\", \"usd\"]\nmeasures = [\"level\", \"change\"]\ncues = [\"xuất khẩu gạo\"]\n";
    c.extend_from_str(extra, "pipeline.toml")
        .expect("extension loads");
    let text = "Lạm phát 3%, xuất khẩu gạo tăng";
    let ids: Vec<&str> = c
        .find_cues(text)
        .iter()
        .map(|m| c.indicator_of(m).id.as_str())
        .collect();
    assert_eq!(ids, ["cpi", "rice_export"]);

    let ind = |body: &str| {
        format!(
            "version = 1\n\n[[indicator]]\nid = \"x\"\nlabel_vi = \"x\"\nlabel_en = \"x\"\n{body}\n"
        )
    };
    let bad = [
        (ind("unit = \"percent\"\nmeasures = [\"level\"]\ncues = [\"x\"]\ncolour = 1"), "bad.toml:", "colour"),
        (ind("unit = \"percents\"\nmeasures = [\"level\"]\ncues = [\"x\"]"), "bad.toml:3", "unit"),
        (ind("unit = \"percent\"\nmeasures = [\"levels\"]\ncues = [\"x\"]"), "bad.toml:3", "measures"),
        (ind("unit = \"percent\"\nmeasures = [\"level\"]\ncues = []"), "bad.toml:3", "cues"),
        (ind("unit = \"percent\"\nmeasures = [\"level\"]\ncues = [\"Hoa\"]"), "bad.toml:3", "lower-case"),
        (ind("unit = \"percent\"\nmeasures = [\"level\"]\ncues = [\"tỷ lệ hộ nghèo\"]"), "bad.toml", "poverty_rate"),
        ("version = 1\n[[indicator]]\nid = \"cpi\"\nlabel_vi = \"x\"\nlabel_en = \"x\"\nunit = \"percent\"\nmeasures = [\"level\"]\ncues = [\"x\"]\n".to_owned(), "bad.toml:2", "duplicate"),
        ("version = 1\n[[cues]]\nindicator = \"gdp\"\ncues = [\"x\"]\n".to_owned(), "bad.toml:2", "gdp"),
        ("version = 3\n".to_owned(), "bad.toml:1", "version"),
        ("version = 1\noutside = [\"tỷ lệ hộ nghèo\"]\n".to_owned(), "bad.toml", "poverty_rate"),
        ("version = 1\noutside = [\"Tín dụng\"]\n".to_owned(), "bad.toml", "lower-case"),
        (ind("unit = \"percent\"\nmeasures = [\"level\"]\ncues = [\"x\"]\nsub_groups = { \"đô thị\" = \"gdp\" }"), "bad.toml", "unknown indicator \"gdp\""),
        (ind("unit = \"percent\"\nmeasures = [\"level\"]\ncues = [\"x\"]\nsub_groups = { \"phường\" = \"cpi\" }"), "bad.toml:3", "breakdown"),
    ];
    for (text, at, what) in bad {
        let before = c.indicators().len();
        let err = c
            .extend_from_str(&text, "bad.toml")
            .expect_err(&text)
            .to_string();
        assert!(err.starts_with(at), "{err}");
        assert!(err.contains(what), "{err}");
        assert_eq!(c.indicators().len(), before, "unchanged on error");
    }
}

/// A phrase outside the catalogue hides the cues inside it and is never returned as a cue; a
/// pipeline adds its own.
#[test]
fn outside_phrases_hide_cues() {
    let mut c = Catalogue::builtin();
    let ids = |c: &Catalogue, text: &str| -> Vec<String> {
        c.find_cues(text)
            .iter()
            .map(|m| c.indicator_of(m).id.clone())
            .collect()
    };
    assert_eq!(
        ids(&c, "tăng trưởng tín dụng đạt 12%, tăng trưởng đạt 7%"),
        ["gdp_growth"]
    );
    assert_eq!(ids(&c, "tăng trưởng xanh đạt 5%"), ["gdp_growth"]);
    c.extend_from_str(
        "version = 1\noutside = [\"tăng trưởng xanh\"]\n",
        "pipeline.toml",
    )
    .expect("extension loads");
    assert!(ids(&c, "tăng trưởng xanh đạt 5%").is_empty());
    assert_eq!(
        ids(&c, "tăng trưởng tín dụng đạt 12%, tăng trưởng đạt 7%"),
        ["gdp_growth"]
    );
}
