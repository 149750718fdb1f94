//! The gazetteer: its data, `resolve` against real table spellings and codes, `find_in` on
//! real sentences (copied from the Lào Cai interview and the dev corpus).

use std::collections::{BTreeSet, HashSet};

use chiso_model::Date;
use chiso_transform::gazetteer::{Gazetteer, PlaceKind, fold};

const PROVINCES_CSV: &str =
    include_str!("../../data/gazetteer/provenance/vietnamdata-Provinces.csv");
const INCOME_CSV: &str =
    include_str!("../../data/gazetteer/provenance/vietnam-development-map-thunhapbinhquan.csv");

fn date(s: &str) -> Date {
    s.parse().expect("test dates are valid")
}

const REGIONS: [(&str, u32); 6] = [
    ("VN-R-TDMNPB", 14),
    ("VN-R-DBSH", 11),
    ("VN-R-BTBDHMT", 14),
    ("VN-R-TN", 5),
    ("VN-R-DNB", 6),
    ("VN-R-DBSCL", 13),
];

#[test]
fn unit_counts_before_and_after_the_2025_merger() {
    let g = Gazetteer::builtin();
    assert_eq!(g.units_on(date("2008-08-01")).count(), 63);
    assert_eq!(g.units_on(date("2024-06-30")).count(), 63);
    assert_eq!(g.units_on(date("2025-06-30")).count(), 63);
    assert_eq!(g.units_on(date("2025-07-01")).count(), 34);
    assert_eq!(
        g.units_on(date("2008-07-31"))
            .filter(|p| p.id == "VN-15")
            .count(),
        1,
        "Hà Tây"
    );
    let regions: Vec<_> = g
        .places()
        .iter()
        .filter(|p| p.kind == PlaceKind::Region)
        .collect();
    assert_eq!(regions.len(), 6);
    assert_eq!(g.region_size("VN-provinces"), Some(63));
    assert_eq!(g.region_size("VN-provinces-2025"), Some(34));
    // A region's size on a day: its provinces on the 2008 map; after the 2025 merger, unknown
    // while units formed then have no region (they span two).
    let day = |y, m, d| chiso_model::Date::new(y, m, d).expect("a day");
    let before: u32 = REGIONS
        .iter()
        .map(|(id, _)| g.group_size_on(id, day(2025, 6, 30)).expect("a region"))
        .sum();
    assert_eq!(before, 63);
    assert_eq!(g.group_size_on("VN-R-TDMNPB", day(2025, 12, 31)), None);
    assert_eq!(g.group_size_on("VN-provinces", day(2025, 12, 31)), Some(63));
    assert_eq!(
        g.group_size_on("VN-provinces-2025", day(2025, 12, 31)),
        Some(34)
    );
    assert_eq!(
        g.group_sizes()["VN-R-TDMNPB"],
        [(None, Some(14)), (Some(day(2025, 7, 1)), None)]
    );
    assert_eq!(g.group_sizes()["VN-provinces"], [(None, Some(63))]);
}

#[test]
fn region_sizes_sum_to_the_63_provinces() {
    let g = Gazetteer::builtin();
    let mut all = BTreeSet::new();
    for (id, size) in REGIONS {
        assert_eq!(g.region_size(id), Some(size), "{id}");
        for m in &g.place(id).expect("region exists").members {
            let unit = g.place(m).expect("member exists");
            assert_eq!(unit.region.as_deref(), Some(id), "{m} names its region");
            assert!(all.insert(m.clone()), "{m} in two regions");
        }
    }
    assert_eq!(REGIONS.iter().map(|(_, n)| n).sum::<u32>(), 63);
    let on_2024: BTreeSet<String> = g
        .units_on(date("2024-06-30"))
        .map(|p| p.id.clone())
        .collect();
    assert_eq!(all, on_2024);
    let group: BTreeSet<String> = g
        .place("VN-provinces")
        .expect("group")
        .members
        .iter()
        .cloned()
        .collect();
    assert_eq!(group, on_2024);
    let group: BTreeSet<String> = g
        .place("VN-provinces-2025")
        .expect("group")
        .members
        .iter()
        .cloned()
        .collect();
    let on_2025: BTreeSet<String> = g
        .units_on(date("2025-07-01"))
        .map(|p| p.id.clone())
        .collect();
    assert_eq!(group, on_2025);
}

#[test]
fn merger_took_in_every_old_unit_once() {
    let g = Gazetteer::builtin();
    let new: Vec<_> = g.units_on(date("2025-07-01")).collect();
    let merger = date("2025-07-01");
    let merged: Vec<_> = new
        .iter()
        .filter(|p| p.valid_from == Some(merger) && !p.took_in.is_empty())
        .collect();
    assert_eq!(merged.len(), 23);
    let mut absorbed = HashSet::new();
    for p in &merged {
        for old in &p.took_in {
            let old_unit = g.place(old).expect("took_in exists");
            assert_eq!(old_unit.valid_to, Some(date("2025-06-30")), "{old}");
            assert!(absorbed.insert(old.clone()), "{old} taken in twice");
        }
        // The new unit keeps the ISO code of the old unit whose name it keeps.
        let namesake = p
            .took_in
            .iter()
            .filter_map(|o| g.place(o))
            .find(|o| o.name == p.name);
        assert_eq!(
            namesake.map(|o| o.code.as_str()),
            Some(p.code.as_str()),
            "{}",
            p.id
        );
    }
    let unchanged = new.len() - merged.len();
    assert_eq!(unchanged, 11);
    assert_eq!(absorbed.len() + unchanged, 63);
    let tq = g.place("VN-07-2025").expect("Tuyên Quang 2025");
    assert_eq!(tq.took_in, ["VN-07", "VN-03"]);
    assert_eq!(
        g.successor("VN-06").map(|p| p.id.as_str()),
        Some("VN-02-2025")
    );
    assert_eq!(g.successor("VN-15").map(|p| p.id.as_str()), Some("VN-HN"));
    // "Lào Cai (cũ)" and "Lào Cai (mới)": the unit whose name a merged one keeps, each way.
    let id = |p: &chiso_transform::gazetteer::Place| p.id.clone();
    let lao_cai = g.place("VN-02-2025").expect("Lào Cai 2025");
    assert_eq!(id(g.former(lao_cai)), "VN-02");
    assert_eq!(id(g.renewed(g.former(lao_cai))), "VN-02-2025");
    // Yên Bái gave its territory, not its name: it has no new unit of its name.
    let yen_bai = g.place("VN-06").expect("Yên Bái");
    assert_eq!(id(g.renewed(yen_bai)), "VN-06");
    // A unit the merger left as it was is its own former and new unit; so is Hà Nội, which
    // took Hà Tây in 2008 under its own name.
    for unchanged in ["VN-13", "VN-HN"] {
        let p = g.place(unchanged).expect("unit");
        assert_eq!(
            (id(g.former(p)), id(g.renewed(p))),
            (unchanged.into(), unchanged.into())
        );
    }
}

#[test]
fn iso_codes_are_unique_on_every_date() {
    let g = Gazetteer::builtin();
    for d in [
        "1995-01-01",
        "2008-07-31",
        "2008-08-01",
        "2020-01-01",
        "2025-01-01",
        "2025-06-30",
        "2025-07-01",
    ] {
        let mut seen = HashSet::new();
        for p in g.units_on(date(d)) {
            assert!(seen.insert(p.code.clone()), "{} twice on {d}", p.code);
        }
    }
}

#[test]
fn every_spelling_of_the_vietnamdata_table_resolves() {
    let g = Gazetteer::builtin();
    let mut reader = csv::Reader::from_reader(PROVINCES_CSV.as_bytes());
    let mut rows = 0;
    for record in reader.records() {
        let record = record.expect("fixture parses");
        let (original, fixed) = (&record[0], &record[1]);
        let want = fold(fixed.trim_end_matches(" City"));
        let got = g.resolve(original, None).map(|p| fold(&p.name));
        assert_eq!(got.as_deref(), Some(want.as_str()), "{original:?}");
        rows += 1;
    }
    assert_eq!(rows, 665);
}

#[test]
fn every_gso_code_of_the_income_table_is_its_province() {
    let g = Gazetteer::builtin();
    let mut reader = csv::Reader::from_reader(INCOME_CSV.as_bytes());
    let mut rows = 0;
    for record in reader.records() {
        let record = record.expect("fixture parses");
        let (code, name) = (&record[0], &record[1]);
        // The table is of 2008-2024 data: read it on a date of that map.
        let on = Some(date("2020-01-01"));
        let by_code = g
            .by_gso_code(code, on)
            .unwrap_or_else(|| panic!("GSO {code}"));
        let by_name = g.resolve(name, on).unwrap_or_else(|| panic!("{name}"));
        assert_eq!(by_code.id, by_name.id, "GSO {code} {name}");
        rows += 1;
    }
    assert_eq!(rows, 63);
    assert_eq!(
        g.by_gso_code("01", None).map(|p| p.name.as_str()),
        Some("Hà Nội")
    );
    // After the merger the GSO list changed: 15 is the new Lào Cai, not Yên Bái.
    assert_eq!(
        g.by_gso_code("15", Some(date("2025-07-01")))
            .map(|p| p.id.as_str()),
        Some("VN-02-2025")
    );
}

#[test]
fn resolve_is_tolerant() {
    let g = Gazetteer::builtin();
    let cases = [
        ("TP.HCM", "VN-SG"),
        ("TP HCM", "VN-SG"),
        ("TPHCM", "VN-SG"),
        ("Thành phố Hồ Chí Minh", "VN-SG"),
        ("Sài Gòn", "VN-SG"),
        ("HA NOI", "VN-HN"),
        ("Thủ đô Hà Nội", "VN-HN"),
        ("THUA THIEN HUE", "VN-26"),
        ("Thua Thien - Hue", "VN-26"),
        ("Bà Rịa–Vũng Tàu", "VN-43"),
        ("Ba Ria - Vung Tau", "VN-43"),
        ("BR-VT", "VN-43"),
        ("tỉnh Khánh Hoà", "VN-34"),
        ("Khánh Hòa", "VN-34"),
        ("Thanh Hoá", "VN-21"),
        ("Hoà Bình", "VN-14"),
        ("Đăk Lăk", "VN-33"),
        ("Dak Lak", "VN-33"),
        ("Đắk Nông", "VN-72"),
        ("TP. Cần Thơ", "VN-CT"),
        ("VN-44", "VN-44"),
        ("cả nước", "VN"),
        ("Vietnam", "VN"),
        ("trung du, miền núi Bắc Bộ", "VN-R-TDMNPB"),
        ("vùng Đồng bằng sông Cửu Long", "VN-R-DBSCL"),
        ("Hà Tây", "VN-15"),
        ("Hà Bắc", "ha-bac-1962"),
    ];
    for (name, id) in cases {
        assert_eq!(
            g.resolve(name, None).map(|p| p.id.as_str()),
            Some(id),
            "{name}"
        );
    }
    for name in ["Ninh", "Bình", "Quảng", "Nam", "", "Tỉnh"] {
        assert!(g.resolve(name, None).is_none(), "{name}");
    }
}

#[test]
fn names_shared_across_the_merger_resolve_by_date() {
    let g = Gazetteer::builtin();
    let id = |name, on: Option<&str>| g.resolve(name, on.map(date)).map(|p| p.id.clone());
    assert_eq!(id("Lào Cai", None).as_deref(), Some("VN-02"));
    assert_eq!(id("Lào Cai", Some("2023-03-31")).as_deref(), Some("VN-02"));
    assert_eq!(
        id("Lào Cai", Some("2025-07-01")).as_deref(),
        Some("VN-02-2025")
    );
    assert_eq!(
        id("VN-02", Some("2025-07-01")).as_deref(),
        Some("VN-02-2025")
    );
    assert_eq!(
        id("Hồ Chí Minh", Some("2025-12-31")).as_deref(),
        Some("VN-SG-2025")
    );
    // Yên Bái ended with the merger: still Yên Bái, its successor is the new Lào Cai.
    assert_eq!(id("Yên Bái", Some("2025-08-01")).as_deref(), Some("VN-06"));
    assert_eq!(id("Huế", Some("2020-01-01")).as_deref(), Some("VN-26"));
    assert_eq!(id("Huế", None).as_deref(), Some("VN-26-2025"));
    assert_eq!(
        g.resolve("Huế", None).map(|p| p.code.as_str()),
        Some("VN-26")
    );
}

/// (text, expected place ids in order, expected matched texts)
const FIND_CASES: &[(&str, &[&str], &[&str])] = &[
    // lao-cai-interview.txt
    (
        "Bí thư Tỉnh ủy Lào Cai Đặng Xuân Phong thị sát, kiểm tra cơ sở sản xuất chè chât lượng cao, phục vụ xuất khẩu, ở vùng cao huyện Mường Khương (Lào Cai). Ảnh: ĐỨC PHƯƠNG",
        &["VN-02", "VN-02"],
        &["Lào Cai", "Lào Cai"],
    ),
    (
        "Tốc độ tăng trưởng kinh tế GRDP các năm 2021, 2022 và quý I/2023 đều đạt khá; trong đó, năm 2022 đạt 9,02%, đứng thứ 4/14 tỉnh khu vực trung du, miền núi Bắc Bộ và thứ 26/63 tỉnh, thành phố; quý I/2023 tốc độ tăng trưởng kinh tế GRDP ước đạt 6,9%, cao gấp hai lần so với mức tăng trưởng chung toàn quốc (3,32%), xếp thứ tư các tỉnh trung du miền núi Bắc Bộ và đứng thứ 22/63 tỉnh, thành phố.",
        &[
            "VN-R-TDMNPB",
            "VN-provinces",
            "VN",
            "VN-R-TDMNPB",
            "VN-provinces",
        ],
        &[
            "trung du, miền núi Bắc Bộ",
            "tỉnh, thành phố",
            "toàn quốc",
            "trung du miền núi Bắc Bộ",
            "tỉnh, thành phố",
        ],
    ),
    // dev-corpus 37-homehere-top-20-grdp-2021.txt
    (
        "TOP 20 TỈNH, TP CÓ QUY MÔ KINH TẾ LỚN NHẤT VIỆT NAM 2021",
        &["VN-provinces", "VN"],
        &["TỈNH, TP", "VIỆT NAM"],
    ),
    (
        "1) TP. Hồ Chí Minh 1.298.791",
        &["VN-SG"],
        &["TP. Hồ Chí Minh"],
    ),
    (
        "5) Bà Rịa-Vũng Tàu 330.754",
        &["VN-43"],
        &["Bà Rịa-Vũng Tàu"],
    ),
    (
        "1. Bà Rịa Vũng Tàu 281,235 triệu đồng (cả dầu khí)",
        &["VN-43"],
        &["Bà Rịa Vũng Tàu"],
    ),
    ("9) Thanh Hóa 215.851", &["VN-21"], &["Thanh Hóa"]),
    // dev-corpus 44-soha-bacninh-grdp-theo-quy-2022.txt
    (
        "Ngày 30/12, Cục thống kê tỉnh Bắc Ninh đã tổ chức họp báo công bố số liệu kinh tế-xã hội quý IV và cả năm 2022.",
        &["VN-56"],
        &["Bắc Ninh"],
    ),
    // dev-corpus 13-yenbai-cucthongke-tctk-quy-i-2023.txt
    (
        "Sáng ngày 29/03/2023, tại Hà Nội, Tổng cục Thống kê (TCTK) tổ chức họp báo công bố số liệu thống kê Kinh tế – Xã hội quý I năm 2023. Tổng cục trưởng TCTK Nguyễn Thị Hương chủ trì họp báo.",
        &["VN-HN"],
        &["Hà Nội"],
    ),
    // dev-corpus 32-saigondautu-angiang-nghi-quyet-2020-2025.txt
    (
        "An Giang đưa thu nhập bình quân đầu người đạt khoảng 72 triệu đồng",
        &["VN-44"],
        &["An Giang"],
    ),
    // Longest match, tone placement, upper case, other spellings.
    (
        "Tỉnh Thừa Thiên Huế và thành phố Huế",
        &["VN-26", "VN-26-2025"],
        &["Thừa Thiên Huế", "thành phố Huế"],
    ),
    (
        "tỉnh Khánh Hoà, tỉnh Hoà Bình, TỈNH LÀO CAI",
        &["VN-34", "VN-14", "VN-02"],
        &["Khánh Hoà", "Hoà Bình", "LÀO CAI"],
    ),
    (
        "xuất khẩu của TP.HCM và Bà Rịa – Vũng Tàu",
        &["VN-SG", "VN-43"],
        &["TP.HCM", "Bà Rịa – Vũng Tàu"],
    ),
    (
        "các tỉnh Tây Nguyên và Đồng bằng sông Cửu Long",
        &["VN-R-TN", "VN-R-DBSCL"],
        &["Tây Nguyên", "Đồng bằng sông Cửu Long"],
    ),
    ("tỉnh Thanh Hóa", &["VN-21"], &["Thanh Hóa"]),
];

#[test]
fn find_in_real_sentences() {
    let g = Gazetteer::builtin();
    for (text, ids, matched) in FIND_CASES {
        let found = g.find_in(text);
        let got_ids: Vec<&str> = found.iter().map(|m| m.place.id.as_str()).collect();
        assert_eq!(got_ids, *ids, "{text}");
        let got: Vec<&str> = found.iter().map(|m| m.matched.as_str()).collect();
        assert_eq!(got, *matched, "{text}");
        for m in &found {
            assert_eq!(&text[m.span.start..m.span.end], m.matched, "byte span");
        }
    }
}

#[test]
fn find_in_ignores_fragments_and_common_words() {
    let g = Gazetteer::builtin();
    let texts = [
        "tỷ lệ hộ nghèo giảm còn 2,1%",
        "các tỉnh Bắc Bộ và Nam Bộ",
        "Ninh và Bình là hai từ; Quảng cũng vậy",
        "vì hòa bình và thái bình thịnh trị",
        "VÌ HÒA BÌNH",
        "khu vực châu Á - Thái Bình Dương",
        "ông Nguyễn Thái Bình phát biểu",
        "học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        "chiến thắng Điện Biên Phủ",
        "bà Nguyễn Thị Huệ",
        "năm nay",
    ];
    for text in texts {
        let found = g.find_in(text);
        assert!(found.is_empty(), "{text}: {found:?}");
    }
}

#[test]
fn find_in_on_a_date_reads_merged_names() {
    let g = Gazetteer::builtin();
    let text = "Lào Cai và Huế";
    let old: Vec<&str> = g
        .find_in_on(text, Some(date("2020-06-30")))
        .iter()
        .map(|m| m.place.id.as_str())
        .collect();
    assert_eq!(old, ["VN-02", "VN-26"]);
    let new: Vec<&str> = g
        .find_in_on(text, Some(date("2025-09-30")))
        .iter()
        .map(|m| m.place.id.as_str())
        .collect();
    assert_eq!(new, ["VN-02-2025", "VN-26-2025"]);
}

#[test]
fn ranking_groups_after_a_rank() {
    let g = Gazetteer::builtin();
    let cases = [
        (
            "tỉnh khu vực trung du, miền núi Bắc Bộ và thứ 26/63",
            Some("VN-R-TDMNPB"),
        ),
        ("tỉnh, thành phố; quý I/2023", Some("VN-provinces")),
        ("tỉnh, thành phố trong cả nước", Some("VN-provinces")),
        ("cả nước về chỉ số PCI", Some("VN-provinces")),
        ("địa phương", Some("VN-provinces")),
        ("các tỉnh vùng Đông Nam Bộ", Some("VN-R-DNB")),
        ("về thu ngân sách", None),
    ];
    for (text, want) in cases {
        assert_eq!(
            g.ranking_group_for(text).map(|p| p.id.as_str()),
            want,
            "{text}"
        );
    }
    assert_eq!(
        g.ranking_group_for_total("tỉnh, thành phố", Some(34))
            .map(|p| p.id.as_str()),
        Some("VN-provinces-2025")
    );
}

#[test]
fn extend_adds_places_and_reports_bad_lines() {
    let mut g = Gazetteer::builtin();
    let extra =
        "version = 1\n\n[[alias]]\nplace = \"VN-SG\"\nvariants = [\"Thành phố mang tên Bác\"]\n";
    g.extend_from_str(extra, "pipeline.toml")
        .expect("alias loads");
    assert_eq!(
        g.resolve("thành phố mang tên Bác", None)
            .map(|p| p.id.as_str()),
        Some("VN-SG")
    );
    let found = g.find_in("Thành phố mang tên Bác tăng trưởng");
    assert_eq!(found.first().map(|m| m.place.id.as_str()), Some("VN-SG"));

    let csv = "id,code,gso_code,name,kind,region,valid_from,valid_to,took_in,common_word,variants,resolve_only\n\
               VN-XX,VN-XX,,Thử Nghiệm,province,VN-R-DBSH,2030-01-01,,,,Thử Nghiệm,\n";
    g.extend_from_str(csv, "extra.csv").expect("csv loads");
    assert_eq!(
        g.resolve("THU NGHIEM", Some(date("2031-01-01")))
            .map(|p| p.id.as_str()),
        Some("VN-XX")
    );

    let bad = [
        (
            "version = 1\n[[place]]\nid = \"X\"\nname = \"X\"\nkind = \"planet\"\n",
            "bad.toml:2",
            "planet",
        ),
        (
            "version = 1\n\n[[place]]\nid = \"X\"\nname = \"X\"\nkind = \"region\"\ncolour = 1\n",
            "bad.toml:",
            "colour",
        ),
        ("version = 2\n", "bad.toml:1", "version"),
        (
            "version = 1\n[[alias]]\nplace = \"VN-99\"\n",
            "bad.toml:2",
            "VN-99",
        ),
        (
            "version = 1\n[[place]]\nid = \"VN-44\"\nname = \"An Giang\"\nkind = \"province\"\n",
            "bad.toml:2",
            "duplicate",
        ),
        (
            "id,code,gso_code,name,kind,region,valid_from,valid_to,took_in,common_word,variants,resolve_only\nY,Y,,Y,province,,2020-02-30,,,,,\n",
            "bad.toml:2",
            "valid_from",
        ),
        (
            "version = 1\n[[place]]\nid = \"Z\"\nname = \"Z\"\nkind = \"region\"\nmembers = [\"VN-00\"]\n",
            "bad.toml",
            "VN-00",
        ),
    ];
    for (text, at, what) in bad {
        let before = g.places().len();
        let err = g
            .extend_from_str(text, "bad.toml")
            .expect_err(text)
            .to_string();
        assert!(err.starts_with(at), "{err}");
        assert!(err.contains(what), "{err}");
        assert_eq!(g.places().len(), before, "unchanged on error");
    }
}

/// A place's code from any way of writing it, or the message a person is told.
#[test]
fn code_of_gives_the_code_or_why_not() {
    let g = Gazetteer::builtin();
    for name in ["VN-02", "Lào Cai", "tỉnh Lào Cai", "LAO CAI"] {
        assert_eq!(g.code_of(name), Ok("VN-02"), "{name}");
    }
    let why = g.code_of("VN-99").expect_err("no such place");
    assert!(
        why.starts_with("\"VN-99\" is not a place chiso knows") && why.contains("\"VN-02\""),
        "{why}"
    );
}
