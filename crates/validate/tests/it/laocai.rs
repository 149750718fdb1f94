use chiso_model::{IndicatorRecord, Kind, Measure, Period, Span, Status, Unit};
use chiso_validate::{EvalContext, MentionFact, RuleSet, evaluate};

use crate::{fixtures, record};

fn rank(
    indicator: &str,
    value: f64,
    total: Option<u32>,
    group: &str,
    at: usize,
) -> IndicatorRecord {
    IndicatorRecord {
        rank_total: total,
        rank_group: Some(group.into()),
        span: Span::new(at, at + 4),
        ..record(
            indicator,
            "VN-02",
            Period::Year(2022),
            Measure::Rank,
            Kind::Actual,
            value,
            value,
            Unit::Rank,
            "xếp thứ",
        )
    }
}

fn records() -> Vec<IndicatorRecord> {
    let q1 = Period::Quarter { year: 2023, q: 1 };
    vec![
        record(
            "poverty_rate",
            "VN-02",
            Period::Year(2023),
            Measure::Level,
            Kind::Actual,
            19.3,
            19.3,
            Unit::Percent,
            "tỷ lệ hộ nghèo còn 19,3%",
        ),
        record(
            "gdp_growth",
            "VN-02",
            Period::Year(2022),
            Measure::Level,
            Kind::Actual,
            9.02,
            9.02,
            Unit::Percent,
            "tăng trưởng kinh tế đạt 9,02%",
        ),
        rank(
            "gdp_growth_rank_region",
            4.0,
            Some(14),
            "north-midlands-mountains",
            10,
        ),
        rank("gdp_growth_rank", 26.0, Some(63), "VN-provinces", 20),
        rank(
            "grdp_per_capita_rank_region",
            4.0,
            None,
            "north-midlands-mountains",
            30,
        ),
        rank("pci_rank", 22.0, Some(63), "VN-provinces", 40),
        record(
            "gdp_growth",
            "VN",
            q1,
            Measure::Level,
            Kind::Actual,
            3.32,
            3.32,
            Unit::Percent,
            "cả nước tăng 3,32%",
        ),
        record(
            "gdp_growth",
            "VN-02",
            q1,
            Measure::Level,
            Kind::Estimate,
            6.9,
            6.9,
            Unit::Percent,
            "quý I ước tăng 6,9%, gấp hai lần bình quân cả nước",
        ),
        record(
            "poverty_reduction",
            "VN-02",
            Period::Year(2023),
            Measure::Change,
            Kind::Target,
            4.0,
            5.0,
            Unit::Pp,
            "giảm tỷ lệ hộ nghèo 4-5%",
        ),
        record(
            "gdp_growth",
            "VN-02",
            Period::Year(2023),
            Measure::Level,
            Kind::Target,
            11.0,
            12.0,
            Unit::Percent,
            "phấn đấu tăng trưởng 11-12%",
        ),
        record(
            "income_per_capita",
            "VN-02",
            Period::Year(2022),
            Measure::Level,
            Kind::Actual,
            2_960_000.0,
            2_960_000.0,
            Unit::VndPerPersonMonth,
            "thu nhập bình quân 2,96 triệu đồng/người/tháng",
        ),
    ]
}

fn mentions() -> Vec<MentionFact> {
    let targets = "Trong 24 chỉ tiêu chủ yếu, có 10 chỉ tiêu vượt kế hoạch, 11 chỉ tiêu đạt và 3 chỉ tiêu không đạt.";
    let count = |v: f64, at: i64| MentionFact {
        source_id: "laocai-2023".into(),
        kind: "count".into(),
        value_low: Some(v),
        value_high: Some(v),
        unit: Some("count".into()),
        counted_noun: Some("chỉ tiêu".into()),
        comparator: "eq".into(),
        sentence: targets.into(),
        char_start: at,
        indicator: None,
    };
    vec![
        count(24.0, 100),
        count(10.0, 130),
        count(11.0, 160),
        count(3.0, 180),
        MentionFact {
            kind: "multiplier".into(),
            unit: Some("times".into()),
            counted_noun: None,
            sentence: "quý I ước tăng 6,9%, gấp hai lần bình quân cả nước".into(),
            ..count(2.0, 300)
        },
    ]
}

fn context() -> EvalContext {
    let names = [
        ("Ha Noi", "VN-HN"),
        ("Lao Cai", "VN-02"),
        ("Ca Mau", "VN-59"),
    ];
    EvalContext {
        group_sizes: [
            ("VN-provinces".to_owned(), vec![(None, Some(63))]),
            (
                "north-midlands-mountains".to_owned(),
                vec![(None, Some(14))],
            ),
        ]
        .into(),
        resolve_place: Some(Box::new(move |name: &str| {
            names
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, c)| (*c).to_owned())
        })),
        base_dir: fixtures(),
    }
}

#[test]
fn every_rule_of_the_laocai_file() {
    let rules =
        RuleSet::from_path(&fixtures().join("laocai_rules.toml")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rules.len(), 15);
    let results = evaluate(&rules, &records(), &mentions(), &context());
    let got: Vec<(&str, Status)> = results
        .iter()
        .map(|r| (r.rule_id.as_str(), r.status))
        .collect();
    let want = [
        ("poverty-rate-2023", Status::Pass),
        ("grdp-growth-2022", Status::Pass),
        ("growth-target-2023", Status::Pass),
        ("poverty-reduction-target", Status::Pass),
        ("unemployment-2023", Status::Skip),
        ("percents-are-percents", Status::Pass),
        ("growth-is-plausible", Status::Fail),
        ("ranks-fit", Status::Pass),
        ("targets-add-up", Status::Pass),
        ("q1-growth-twice-national", Status::Pass),
        ("no-contradictions", Status::Skip),
        ("income-matches-gso", Status::Pass),
        ("geo-known", Status::Pass),
        ("one-statement-per-key", Status::Pass),
        ("units-known", Status::Pass),
    ];
    assert_eq!(got, want, "{results:#?}");

    let by_id = |id: &str| {
        results
            .iter()
            .find(|r| r.rule_id == id)
            .expect("every rule has a result")
    };
    let growth = by_id("growth-is-plausible");
    assert_eq!((growth.observed, growth.expected), (Some(9.02), Some(9.0)));
    assert_eq!(growth.rows.len(), 1);
    assert_eq!(growth.rows[0].quote, "tăng trưởng kinh tế đạt 9,02%");
    let ratio = by_id("q1-growth-twice-national");
    assert!((ratio.observed.unwrap_or_default() - 6.9 / 3.32).abs() < 1e-12);
    assert_eq!(ratio.expected, Some(2.0));
    let sum = by_id("targets-add-up");
    assert_eq!(
        (sum.observed, sum.expected, sum.rows.len()),
        (Some(24.0), Some(24.0), 4)
    );
    assert!(by_id("unemployment-2023").message.contains("matches no"));
    let income = by_id("income-matches-gso");
    assert!(
        income.message.contains("Atlantis"),
        "unresolved places are named: {}",
        income.message
    );

    // Reruns give identical results.
    assert_eq!(
        evaluate(&rules, &records(), &mentions(), &context()),
        results
    );
}

#[test]
fn a_changed_expectation_fails() {
    let text = std::fs::read_to_string(fixtures().join("laocai_rules.toml"))
        .expect("fixture is checked in");
    assert!(text.contains("value = 19.3\n"));
    let rules = RuleSet::from_str(
        &text.replacen("value = 19.3\n", "value = 19.4\n", 1),
        "laocai_rules.toml",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let results = evaluate(&rules, &records(), &mentions(), &context());
    let poverty = &results[0];
    assert_eq!(poverty.rule_id, "poverty-rate-2023");
    assert_eq!(poverty.status, Status::Fail);
    assert_eq!(
        (poverty.observed, poverty.expected),
        (Some(19.3), Some(19.4))
    );
    assert_eq!(poverty.rows[0].quote, "tỷ lệ hộ nghèo còn 19,3%");
}

#[test]
fn a_missed_target_breaks_the_sum_and_a_repeated_figure_contradicts() {
    let rules =
        RuleSet::from_path(&fixtures().join("laocai_rules.toml")).unwrap_or_else(|e| panic!("{e}"));
    let mut mentions = mentions();
    mentions[3].value_low = Some(4.0);
    mentions[3].value_high = Some(4.0);
    let mut records = records();
    let mut other = records[1].clone();
    other.source_id = "baolaocai-2023".into();
    other.value_low = 9.2;
    other.value_high = 9.2;
    records.push(other);
    let results = evaluate(&rules, &records, &mentions, &context());
    let status = |id: &str| results.iter().find(|r| r.rule_id == id).map(|r| r.status);
    assert_eq!(status("targets-add-up"), Some(Status::Fail));
    assert_eq!(status("no-contradictions"), Some(Status::Fail));
    let contradiction = results
        .iter()
        .find(|r| r.rule_id == "no-contradictions")
        .expect("rule is in the file");
    let sources: Vec<&str> = contradiction
        .rows
        .iter()
        .map(|r| r.source_id.as_str())
        .collect();
    assert_eq!(sources, ["baolaocai-2023", "laocai-2023"]);
}
