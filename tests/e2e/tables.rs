//! `pipelines/tables`: official tables (GSO income, Ministry of Finance budgets as CSV and as
//! the legacy XLS workbook) become indicator rows, and the rules compare the two budget series.

use std::collections::BTreeSet;

use crate::util::{Row, chiso, read_rows, temp_dir};

#[test]
fn tables_pipeline_gives_rows_and_finds_where_the_budget_series_disagree() {
    let out = temp_dir("tables-pipeline");
    let res = chiso(&[
        "-q",
        "run",
        "pipelines/tables/pipeline.toml",
        "--out",
        out.to_str().expect("utf-8"),
        "--no-report",
    ]);
    let stdout = String::from_utf8_lossy(&res.stdout);
    assert_eq!(
        res.status.code(),
        Some(0),
        "warn rules do not fail the run: {stdout}\n{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let rows = read_rows(&out.join("indicators.parquet"));
    let of = |source: &str| {
        rows.iter()
            .filter(|r| r["source_id"] == source)
            .collect::<Vec<_>>()
    };

    let income = of("gso-thu-nhap-binh-quan-2018");
    assert_eq!(income.len(), 63, "one row per province");
    let ha_noi = income
        .iter()
        .find(|r| r["geo_code"] == "VN-HN")
        .expect("Hà Nội");
    assert_eq!(ha_noi["value_low"], "6054000.0");
    assert_eq!(ha_noi["unit"], "vnd_per_person_month");
    assert_eq!(
        ha_noi["quote"],
        "Hà Nội (GSO 1), 2018: 6054 (nghìn đồng/người/tháng) [thunhapbinhquan.csv, row 2]"
    );

    let revenue = of("mof-thu-ngan-sach-tinh-2006-2015");
    assert_eq!(
        revenue.len(),
        633,
        "every province-year row of the CR-only CSV"
    );
    let years: BTreeSet<&str> = revenue.iter().map(|r| r["period_label"].as_str()).collect();
    assert_eq!(years.len(), 10, "2006..=2015: {years:?}");
    assert!(
        revenue
            .iter()
            .any(|r| r["geo_name"] == "Hà Tây" && r["period_label"] == "2006"),
        "Hà Tây is a province of its own in 2006"
    );
    let quang_ninh = revenue
        .iter()
        .find(|r| r["geo_code"] == "VN-13" && r["period_label"] == "2006")
        .expect("Quảng Ninh 2006");
    assert_eq!(quang_ninh["value_low"], "4371000000000.0");
    assert_eq!(of("mof-chi-ngan-sach-tinh-2006-2015").len(), 633);

    let finals = of("mof-quyet-toan-2014-m09");
    let provinces: BTreeSet<&str> = finals.iter().map(|r| r["geo_code"].as_str()).collect();
    assert_eq!(
        (finals.len(), provinces.len()),
        (63, 63),
        "every province of the workbook's annex once, no subtotals"
    );
    let ha_giang = finals
        .iter()
        .find(|r| r["geo_code"] == "VN-03")
        .expect("Hà Giang");
    assert_eq!(ha_giang["value_low"], "1824866000000.0");
    assert!(
        ha_giang["quote"].contains("sheet M09+"),
        "{}",
        ha_giang["quote"]
    );

    // GSO aquaculture output, wide (a column per year), provinces by GSO code.
    let aquaculture = of("gso-nuoi-trong-thuy-san-2013-2018");
    assert_eq!(aquaculture.len(), 63 * 6, "63 provinces, 2013 to 2018");
    let dong_thap_2018 = aquaculture
        .iter()
        .find(|r| r["geo_code"] == "VN-45" && r["period_label"] == "2018")
        .expect("Đồng Tháp 2018");
    assert_eq!(
        (
            dong_thap_2018["value_low"].as_str(),
            dong_thap_2018["unit"].as_str()
        ),
        ("522707.0", "tonne")
    );

    // The 2017 plan: one target per province, its regional subtotals left out.
    let plan = of("mof-du-toan-2017-m09");
    assert_eq!(plan.len(), 63);
    assert!(plan.iter().all(|r| r["kind"] == "target"));
    assert_eq!(value_of(&plan, "VN-03"), "1870500000000.0");
    assert!(
        rows.iter().all(|r| !r["geo_code"].starts_with("VN-R")),
        "rows hold provinces and the country, never a region"
    );

    // PCI 2012: each score or rank column has its own province column beside it.
    let pci = of("vcci-pci-2012");
    let ranks = of("vcci-pci-2012-rank");
    assert_eq!((pci.len(), ranks.len()), (63, 63), "one row per province");
    // Đồng Tháp first with 63.79, Lào Cai third, Hà Nội 51st with 53.40: the paired columns,
    // not column B (whose first province, Bình Định, is fourth).
    assert_eq!(value_of(&pci, "VN-45"), "63.79096");
    assert_eq!(value_of(&ranks, "VN-45"), "1.0");
    assert_eq!(value_of(&ranks, "VN-02"), "3.0");
    assert_eq!(value_of(&ranks, "VN-31"), "4.0");
    assert_eq!(value_of(&pci, "VN-HN"), "53.39788");
    assert_eq!(value_of(&ranks, "VN-HN"), "51.0");
    assert!(
        ranks
            .iter()
            .all(|r| r["rank_total"] == "63" && r["rank_group"] == "VN-provinces"),
        "{:?}",
        ranks[0]
    );

    // The two Ministry series disagree on 2014: both rules say so, as warnings, with the rows.
    let results = read_rows(&out.join("validation.parquet"));
    for id in ["budget-series-agree", "final-accounts-match-series"] {
        let r = results
            .iter()
            .find(|r| r["rule_id"] == id)
            .expect("the rule ran");
        assert_eq!(
            (r["status"].as_str(), r["severity"].as_str()),
            ("fail", "warn"),
            "{r:?}"
        );
        assert!(
            r["rows"].contains("HÀ GIANG, 2014: 1824866"),
            "{}",
            r["rows"]
        );
    }
    for id in [
        "revenue-is-positive",
        "income-is-plausible",
        "aquaculture-is-positive",
        "pci-is-a-score",
        "pci-ranks-fit",
        "every-province-once-a-year",
    ] {
        let r = results
            .iter()
            .find(|r| r["rule_id"] == id)
            .expect("the rule ran");
        assert_eq!(r["status"], "pass", "{r:?}");
    }
    assert!(
        stdout.contains("FAIL [warn] budget-series-agree"),
        "{stdout}"
    );
}

/// The value of the row of place `code` among `rows`.
fn value_of(rows: &[&Row], code: &str) -> String {
    rows.iter()
        .find(|r| r["geo_code"] == code)
        .map(|r| r["value_low"].clone())
        .unwrap_or_else(|| panic!("no row of {code}"))
}
