//! Each rule kind passing, failing and skipping on small hand-built inputs.

use chiso_model::{
    Comparator, Date, IndicatorRecord, Kind, Measure, Period, RuleResult, Span, Status, Unit,
};

use crate::{EvalContext, MentionFact, RuleSet, evaluate};

fn rec(
    indicator: &str,
    geo: &str,
    period: Period,
    low: f64,
    high: f64,
    unit: Unit,
) -> IndicatorRecord {
    IndicatorRecord {
        source_id: "src-a".into(),
        indicator: indicator.into(),
        geo_code: Some(geo.into()),
        geo_id: Some(geo.into()),
        geo_name: None,
        period: Some(period),
        measure: Measure::Level,
        base: None,
        base_period: None,
        kind: Kind::Actual,
        comparator: Comparator::Eq,
        value_low: low,
        value_high: high,
        unit,
        rank_total: None,
        rank_group: None,
        of_total: None,
        quote: format!("{indicator} {geo} {low}").into(),
        span: Span::new(0, 4),
        occurrences: 1,
    }
}

fn rank(value: f64, total: Option<u32>, group: Option<&str>) -> IndicatorRecord {
    IndicatorRecord {
        measure: Measure::Rank,
        base: None,
        base_period: None,
        rank_total: total,
        rank_group: group.map(str::to_owned),
        ..rec(
            "pci_rank",
            "VN-02",
            Period::Year(2022),
            value,
            value,
            Unit::Rank,
        )
    }
}

fn count_mention(value: f64, start: i64, sentence: &str) -> MentionFact {
    MentionFact {
        source_id: "src-a".into(),
        kind: "count".into(),
        value_low: Some(value),
        value_high: Some(value),
        unit: Some("count".into()),
        counted_noun: Some("chỉ tiêu".into()),
        comparator: "eq".into(),
        sentence: sentence.into(),
        char_start: start,
        indicator: None,
    }
}

/// One rule, evaluated: `body` is the rule table without its header.
fn run(
    body: &str,
    records: &[IndicatorRecord],
    mentions: &[MentionFact],
    ctx: &EvalContext,
) -> RuleResult {
    let text = format!("version = 1\n[[rule]]\nid = \"r\"\n{body}\n");
    let rules = RuleSet::from_str(&text, "unit.toml").unwrap_or_else(|e| panic!("{e}"));
    let mut results = evaluate(&rules, records, mentions, ctx);
    assert_eq!(results.len(), 1);
    results.remove(0)
}

fn statuses(body: &str, cases: &[(&[IndicatorRecord], Status)]) {
    for (records, want) in cases {
        let r = run(body, records, &[], &EvalContext::default());
        assert_eq!(r.status, *want, "{body}\n{r:?}");
        assert!(!r.message.is_empty());
    }
}

#[test]
fn expect_passes_fails_and_skips() {
    let body = r#"kind = "expect"
select = { indicator = "poverty_rate", geo = "VN-02", year = 2023 }
value = 19.3
tolerance = 0.05"#;
    let ok = [rec(
        "poverty_rate",
        "VN-02",
        Period::Year(2023),
        19.32,
        19.32,
        Unit::Percent,
    )];
    let bad = [
        rec(
            "poverty_rate",
            "VN-02",
            Period::Year(2023),
            19.3,
            19.3,
            Unit::Percent,
        ),
        rec(
            "poverty_rate",
            "VN-02",
            Period::Quarter { year: 2023, q: 2 },
            19.4,
            19.4,
            Unit::Percent,
        ),
    ];
    let other_year = [rec(
        "poverty_rate",
        "VN-02",
        Period::Year(2022),
        19.3,
        19.3,
        Unit::Percent,
    )];
    statuses(
        body,
        &[
            (&ok, Status::Pass),
            (&bad, Status::Fail),
            (&other_year, Status::Skip),
            (&[], Status::Skip),
        ],
    );
    let r = run(body, &bad, &[], &EvalContext::default());
    assert_eq!(r.rows.len(), 1, "only the differing row is reported");
    assert_eq!(r.rows[0].value_low, 19.4);
    assert_eq!(r.observed, Some(19.4));
}

#[test]
fn expect_reads_ranges() {
    let range = [rec(
        "poverty_reduction",
        "VN-02",
        Period::Year(2023),
        4.0,
        5.0,
        Unit::Pp,
    )];
    let inside = "kind = \"expect\"\nselect = { indicator = \"poverty_reduction\" }\nvalue = 4.5";
    let outside = "kind = \"expect\"\nselect = { indicator = \"poverty_reduction\" }\nvalue = 5.5";
    let exact = "kind = \"expect\"\nselect = { indicator = \"poverty_reduction\" }\nvalue_low = 4\nvalue_high = 5";
    let wrong = "kind = \"expect\"\nselect = { indicator = \"poverty_reduction\" }\nvalue_low = 4\nvalue_high = 6";
    statuses(inside, &[(&range, Status::Pass)]);
    statuses(outside, &[(&range, Status::Fail)]);
    statuses(exact, &[(&range, Status::Pass)]);
    statuses(wrong, &[(&range, Status::Fail)]);
}

#[test]
fn range_reports_every_violating_row() {
    let body = "kind = \"range\"\nselect = { unit = \"percent\", measure = \"level\" }\nmin = 0\nmax = 100";
    let ok = [rec(
        "a",
        "VN-02",
        Period::Year(2023),
        19.3,
        19.3,
        Unit::Percent,
    )];
    let bad = [
        rec(
            "a",
            "VN-02",
            Period::Year(2023),
            130.0,
            130.0,
            Unit::Percent,
        ),
        rec("b", "VN-02", Period::Year(2023), -2.0, -2.0, Unit::Percent),
        rec("c", "VN-02", Period::Year(2023), 50.0, 50.0, Unit::Percent),
    ];
    let no_percent = [rec(
        "a",
        "VN-02",
        Period::Year(2023),
        300.0,
        300.0,
        Unit::Vnd,
    )];
    statuses(
        body,
        &[
            (&ok, Status::Pass),
            (&bad, Status::Fail),
            (&no_percent, Status::Skip),
        ],
    );
    let r = run(body, &bad, &[], &EvalContext::default());
    assert_eq!(r.rows.len(), 2);
    assert_eq!(
        (r.observed, r.expected),
        (Some(130.0), Some(100.0)),
        "the farthest row and the bound it crosses"
    );
}

#[test]
fn rank_checks_totals_and_group_sizes() {
    let ctx = EvalContext {
        group_sizes: [
            ("VN-provinces".to_owned(), vec![(None, Some(63))]),
            // A region of 14 provinces, of 9 from 2025-07-01.
            (
                "north-west".to_owned(),
                vec![
                    (None, Some(14)),
                    (Some(Date::new(2025, 7, 1).expect("a day")), Some(9)),
                ],
            ),
            // A region whose size after the merger is not known.
            (
                "south".to_owned(),
                vec![
                    (None, Some(13)),
                    (Some(Date::new(2025, 7, 1).expect("a day")), None),
                ],
            ),
        ]
        .into(),
        ..Default::default()
    };
    let body = "kind = \"rank\"";
    let cases: &[(Vec<IndicatorRecord>, Status)] = &[
        (
            vec![
                rank(4.0, Some(14), Some("north-west")),
                rank(26.0, Some(63), Some("VN-provinces")),
                rank(4.0, None, Some("north-west")),
            ],
            Status::Pass,
        ),
        (
            vec![rank(26.0, Some(64), Some("VN-provinces"))],
            Status::Fail,
        ),
        (vec![rank(15.0, None, Some("north-west"))], Status::Fail),
        // 3 of 9 in 2025: the region's size when the year ends.
        (
            vec![IndicatorRecord {
                period: Some(Period::Year(2025)),
                ..rank(3.0, Some(9), Some("north-west"))
            }],
            Status::Pass,
        ),
        (
            vec![IndicatorRecord {
                period: Some(Period::Year(2025)),
                ..rank(3.0, Some(14), Some("north-west"))
            }],
            Status::Fail,
        ),
        // No period: either size.
        (
            vec![IndicatorRecord {
                period: None,
                ..rank(3.0, Some(9), Some("north-west"))
            }],
            Status::Pass,
        ),
        // A size not known is not checked; the one before the merger is.
        (
            vec![IndicatorRecord {
                period: Some(Period::Year(2025)),
                ..rank(3.0, Some(6), Some("south"))
            }],
            Status::Pass,
        ),
        (vec![rank(3.0, Some(6), Some("south"))], Status::Fail),
        (vec![rank(0.0, Some(63), None)], Status::Fail),
        (vec![rank(70.0, Some(63), None)], Status::Fail),
        (
            vec![rec(
                "a",
                "VN-02",
                Period::Year(2023),
                3.0,
                3.0,
                Unit::Percent,
            )],
            Status::Skip,
        ),
    ];
    for (records, want) in cases {
        let r = run(body, records, &[], &ctx);
        assert_eq!(r.status, *want, "{records:?}\n{r:?}");
    }
    let r = run(
        body,
        &[rank(26.0, Some(64), Some("VN-provinces"))],
        &[],
        &ctx,
    );
    assert!(
        r.message.contains("differs from VN-provinces's size 63"),
        "{}",
        r.message
    );
}

/// The frame of mentions holds their sentences only for a rule that groups by them; a rule
/// that does not still quotes each listed mention's sentence.
#[test]
fn mentions_are_quoted_whether_or_not_the_frame_holds_their_sentences() {
    let s = "Trong 24 chỉ tiêu, có 10 chỉ tiêu vượt, 11 chỉ tiêu đạt và 3 chỉ tiêu không đạt.";
    let t = "Năm nay có 7 chỉ tiêu vượt và 2 chỉ tiêu đạt trong 9 chỉ tiêu.";
    let mentions = [
        count_mention(24.0, 6, s),
        count_mention(10.0, 22, s),
        count_mention(11.0, 40, s),
        count_mention(4.0, 59, s),
        count_mention(7.0, 100, t),
        count_mention(2.0, 120, t),
        count_mention(9.0, 140, t),
    ];
    let rule = |group_by: &str| {
        format!(
            "kind = \"sum\"\nparts = {{ from = \"mentions\", counted_noun = \"chỉ tiêu\" }}\nwhole = {{ from = \"mentions\", counted_noun = \"chỉ tiêu\", pick = \"max\" }}\ngroup_by = {group_by}"
        )
    };
    let rules = |body: &str| {
        RuleSet::from_str(
            &format!("version = 1\n[[rule]]\nid = \"r\"\n{body}\n"),
            "unit.toml",
        )
        .unwrap_or_else(|e| panic!("{e}"))
    };
    let by_sentence = rule(r#"["source_id", "sentence"]"#);
    let by_source = rule(r#"["source_id"]"#);
    assert!(rules(&by_sentence).groups_mentions_by("sentence"));
    assert!(!rules(&by_source).groups_mentions_by("sentence"));

    // By sentence: 10 + 11 + 4 = 25 against 24 fails, 7 + 2 = 9 passes.
    let r = run(&by_sentence, &[], &mentions, &EvalContext::default());
    assert_eq!(r.status, Status::Fail, "{r:?}");
    assert_eq!((r.observed, r.expected), (Some(25.0), Some(24.0)));
    // By source: the largest count (24) is the whole of all the others (43).
    let r = run(&by_source, &[], &mentions, &EvalContext::default());
    assert_eq!(r.status, Status::Fail, "{r:?}");
    assert_eq!((r.observed, r.expected), (Some(43.0), Some(24.0)));
    assert_eq!(r.rows.len(), mentions.len());
    for row in &r.rows {
        assert!(row.quote == s || row.quote == t, "{row:?}");
    }
    assert_eq!(r.rows.iter().filter(|row| row.quote == t).count(), 3);
}

#[test]
fn sum_over_mentions_excludes_the_whole() {
    let s = "Trong 24 chỉ tiêu, có 10 chỉ tiêu vượt, 11 chỉ tiêu đạt và 3 chỉ tiêu không đạt.";
    let body = r#"kind = "sum"
parts = { from = "mentions", counted_noun = "chỉ tiêu", sentence_contains = "không đạt" }
whole = { from = "mentions", counted_noun = "chỉ tiêu", sentence_contains = "không đạt", pick = "max" }
group_by = ["source_id", "sentence"]"#;
    let good = [
        count_mention(24.0, 6, s),
        count_mention(10.0, 22, s),
        count_mention(11.0, 40, s),
        count_mention(3.0, 59, s),
    ];
    let r = run(body, &[], &good, &EvalContext::default());
    assert_eq!(r.status, Status::Pass, "{r:?}");
    assert_eq!((r.observed, r.expected), (Some(24.0), Some(24.0)));
    assert_eq!(r.rows.len(), 4);
    let mut bad = good.clone();
    bad[3].value_low = Some(4.0);
    bad[3].value_high = Some(4.0);
    let r = run(body, &[], &bad, &EvalContext::default());
    assert_eq!(r.status, Status::Fail, "{r:?}");
    assert_eq!(r.observed, Some(25.0));
    let only_whole = [count_mention(24.0, 6, s)];
    assert_eq!(
        run(body, &[], &only_whole, &EvalContext::default()).status,
        Status::Skip
    );
    assert_eq!(
        run(body, &[], &[], &EvalContext::default()).status,
        Status::Skip
    );
}

#[test]
fn sum_over_records_by_group_and_ambiguous_whole() {
    let body = r#"kind = "sum"
parts = { indicator = "gdp_part" }
whole = { indicator = "gdp_total" }
group_by = ["geo_code"]
tolerance_pct = 1"#;
    let y = Period::Year(2022);
    let good = [
        rec("gdp_part", "VN-02", y, 40.0, 40.0, Unit::Vnd),
        rec("gdp_part", "VN-02", y, 60.5, 60.5, Unit::Vnd),
        rec("gdp_total", "VN-02", y, 100.0, 100.0, Unit::Vnd),
        rec("gdp_part", "VN-HN", y, 10.0, 10.0, Unit::Vnd),
        rec("gdp_total", "VN-HN", y, 10.0, 10.0, Unit::Vnd),
    ];
    statuses(body, &[(&good, Status::Pass)]);
    let mut bad = good.clone();
    bad[4].value_low = 20.0;
    bad[4].value_high = 20.0;
    let r = run(body, &bad, &[], &EvalContext::default());
    assert_eq!(r.status, Status::Fail);
    assert_eq!((r.observed, r.expected), (Some(10.0), Some(20.0)));
    assert!(
        r.rows
            .iter()
            .all(|row| row.geo_code.as_deref() == Some("VN-HN")),
        "{:?}",
        r.rows
    );
    let mut two_wholes = good.to_vec();
    two_wholes.push(rec("gdp_total", "VN-02", y, 101.0, 101.0, Unit::Vnd));
    statuses(body, &[(&two_wholes, Status::Error)]);
}

#[test]
fn ratio_with_claimed_value_and_value_from_text() {
    let q1 = Period::Quarter { year: 2023, q: 1 };
    let records = [
        rec("gdp_growth", "VN-02", q1, 6.9, 6.9, Unit::Percent),
        rec("gdp_growth", "VN", q1, 3.32, 3.32, Unit::Percent),
    ];
    let sides = "numerator = { indicator = \"gdp_growth\", geo = \"VN-02\" }\ndenominator = { indicator = \"gdp_growth\", geo = \"VN\" }";
    let pass = format!("kind = \"ratio\"\n{sides}\nvalue = 2.0\ntolerance_pct = 10");
    let fail = format!("kind = \"ratio\"\n{sides}\nvalue = 3.0\ntolerance_pct = 10");
    statuses(
        &pass,
        &[(&records, Status::Pass), (&records[..1], Status::Skip)],
    );
    statuses(&fail, &[(&records, Status::Fail)]);
    let from_text = format!(
        "kind = \"ratio\"\n{sides}\nvalue_from = {{ from = \"mentions\", kind = \"multiplier\", sentence_contains = \"gấp\" }}\ntolerance_pct = 10"
    );
    let multiplier = MentionFact {
        kind: "multiplier".into(),
        unit: Some("times".into()),
        counted_noun: None,
        sentence: "tăng trưởng gấp hai lần bình quân cả nước".into(),
        ..count_mention(2.0, 30, "")
    };
    let r = run(&from_text, &records, &[multiplier], &EvalContext::default());
    assert_eq!(r.status, Status::Pass, "{r:?}");
    assert_eq!(r.rows.len(), 3);
    assert_eq!(
        run(&from_text, &records, &[], &EvalContext::default()).status,
        Status::Skip
    );
}

#[test]
fn consistent_finds_contradictions_across_sources() {
    let y = Period::Year(2022);
    let a = rec("gdp_growth", "VN-02", y, 9.02, 9.02, Unit::Percent);
    let same = IndicatorRecord {
        source_id: "src-b".into(),
        ..a.clone()
    };
    let other = IndicatorRecord {
        source_id: "src-b".into(),
        value_low: 9.2,
        value_high: 9.2,
        ..a.clone()
    };
    let body = "kind = \"consistent\"";
    statuses(
        body,
        &[
            (&[a.clone(), same], Status::Pass),
            (&[a.clone(), other.clone()], Status::Fail),
            (std::slice::from_ref(&a), Status::Skip),
        ],
    );
    let within_source = "kind = \"consistent\"\nscope = \"source\"";
    statuses(
        within_source,
        &[(&[a.clone(), other.clone()], Status::Skip)],
    );
    let r = run(
        body,
        &[a.clone(), other.clone()],
        &[],
        &EvalContext::default(),
    );
    assert_eq!(r.rows.len(), 2, "both statements with their quotes");
    assert!(r.message.contains("9.02 to 9.2"), "{}", r.message);

    // The Lào Cai before the 2025 merger and the one after (Lào Cai with Yên Bái) share the
    // code VN-02 and are two places: their 2024 figures do not contradict each other.
    let y24 = Period::Year(2024);
    let former = rec("poverty_rate", "VN-02", y24, 10.5, 10.5, Unit::Percent);
    let merged = IndicatorRecord {
        source_id: "src-b".into(),
        geo_id: Some("VN-02-2025".into()),
        value_low: 8.0,
        value_high: 8.0,
        ..former.clone()
    };
    let merged_again = IndicatorRecord {
        source_id: "src-c".into(),
        value_low: 8.4,
        value_high: 8.4,
        ..merged.clone()
    };
    statuses(
        body,
        &[
            (&[former.clone(), merged.clone()], Status::Skip),
            (&[former, merged.clone(), merged_again], Status::Fail),
        ],
    );
    let r = run(
        body,
        &[
            merged.clone(),
            IndicatorRecord {
                value_low: 8.4,
                value_high: 8.4,
                source_id: "src-c".into(),
                ..merged
            },
        ],
        &[],
        &EvalContext::default(),
    );
    assert!(r.message.contains("VN-02-2025"), "{}", r.message);

    // A change on the month before and one on the year before are two statements; two
    // changes on the year before that differ contradict each other.
    let cpi = |value: f64, base: Option<chiso_model::Base>| IndicatorRecord {
        indicator: "cpi".into(),
        measure: chiso_model::Measure::Change,
        base,
        base_period: match base {
            Some(chiso_model::Base::YearAgo) => Some(Period::Month {
                year: 2022,
                month: 10,
            }),
            _ => None,
        },
        ..rec(
            "cpi",
            "VN-02",
            Period::Month {
                year: 2023,
                month: 10,
            },
            value,
            value,
            Unit::Percent,
        )
    };
    let (mom, yoy) = (
        cpi(0.08, Some(chiso_model::Base::PreviousPeriod)),
        cpi(3.59, Some(chiso_model::Base::YearAgo)),
    );
    let yoy_other = IndicatorRecord {
        source_id: "src-b".into(),
        ..cpi(3.7, Some(chiso_model::Base::YearAgo))
    };
    statuses(
        body,
        &[
            (&[mom.clone(), yoy.clone()], Status::Skip),
            (&[mom.clone(), yoy.clone(), yoy_other.clone()], Status::Fail),
        ],
    );
    let r = run(
        body,
        &[mom.clone(), yoy.clone(), yoy_other],
        &[],
        &EvalContext::default(),
    );
    assert!(
        r.message.contains("(change on year_ago 2022-10 actual)"),
        "{}",
        r.message
    );

    // Two changes on two named years are two statements, not a contradiction.
    let on = |value: f64, year: i32| IndicatorRecord {
        base: Some(chiso_model::Base::OtherPeriod),
        base_period: Some(Period::Year(year)),
        ..cpi(value, None)
    };
    statuses(body, &[(&[on(50.0, 2015), on(30.0, 2018)], Status::Skip)]);

    // A selection by base: the month-on-month change is in range, the year-on-year one is not.
    let by_base = |base: &str| {
        format!(
            "kind = \"range\"\nselect = {{ indicator = \"cpi\", base = \"{base}\" }}\nmin = -1\nmax = 1"
        )
    };
    statuses(
        &by_base("previous_period"),
        &[(&[mom.clone(), yoy.clone()], Status::Pass)],
    );
    statuses(
        &by_base("year_ago"),
        &[(&[mom.clone(), yoy.clone()], Status::Fail)],
    );
    statuses(&by_base("year_start"), &[(&[mom, yoy], Status::Skip)]);
    let text = format!(
        "version = 1\n[[rule]]\nid = \"r\"\n{}\n",
        by_base("last_year")
    );
    let err = RuleSet::from_str(&text, "unit.toml")
        .expect_err("unknown base")
        .to_string();
    assert!(
        err.contains("select.base") && err.contains("year_ago"),
        "{err}"
    );

    // Two series, one source after the other, disagreeing place by place: the rows are listed
    // statement by statement, each place's two values side by side.
    let place = |r: &IndicatorRecord, geo: &str| IndicatorRecord {
        geo_code: Some(geo.into()),
        geo_id: Some(geo.into()),
        ..r.clone()
    };
    let series = [
        place(&a, "VN-02"),
        place(&a, "VN-06"),
        place(&other, "VN-02"),
        place(&other, "VN-06"),
    ];
    let r = run(body, &series, &[], &EvalContext::default());
    let listed: Vec<(Option<&str>, f64)> = r
        .rows
        .iter()
        .map(|c| (c.geo_code.as_deref(), c.value_low))
        .collect();
    assert_eq!(
        listed,
        [
            (Some("VN-02"), 9.02),
            (Some("VN-02"), 9.2),
            (Some("VN-06"), 9.02),
            (Some("VN-06"), 9.2),
        ]
    );
}

#[test]
fn column_tests_like_dbt() {
    let y = Period::Year(2022);
    let a = rec("gdp_growth", "VN-02", y, 9.02, 9.02, Unit::Percent);
    let no_geo = IndicatorRecord {
        geo_code: None,
        geo_id: None,
        ..a.clone()
    };
    let b = rec("poverty_rate", "VN-02", y, 19.3, 19.3, Unit::Percent);
    statuses(
        "kind = \"not_null\"\ncolumn = \"geo_code\"",
        &[
            (&[a.clone(), b.clone()], Status::Pass),
            (&[a.clone(), no_geo.clone()], Status::Fail),
            (&[], Status::Skip),
        ],
    );
    // The frame holds quotes only when a rule names the column: these rules do.
    let no_quote = IndicatorRecord {
        quote: "".into(),
        ..a.clone()
    };
    statuses(
        "kind = \"accepted_values\"\ncolumn = \"quote\"\nvalues = [\"\"]",
        &[
            (std::slice::from_ref(&no_quote), Status::Pass),
            (std::slice::from_ref(&a), Status::Fail),
        ],
    );
    statuses(
        "kind = \"unique\"\ncolumns = [\"quote\"]",
        &[
            (&[a.clone(), b.clone()], Status::Pass),
            (&[a.clone(), a.clone()], Status::Fail),
        ],
    );
    // And the period bounds, as ISO dates.
    let no_period = IndicatorRecord {
        period: None,
        ..a.clone()
    };
    statuses(
        "kind = \"not_null\"\ncolumn = \"period_end\"",
        &[
            (&[a.clone(), b.clone()], Status::Pass),
            (&[a.clone(), no_period.clone()], Status::Fail),
        ],
    );
    let q2 = rec(
        "gdp_growth",
        "VN-02",
        Period::Quarter { year: 2022, q: 2 },
        6.0,
        6.0,
        Unit::Percent,
    );
    statuses(
        "kind = \"accepted_values\"\ncolumn = \"period_start\"\nvalues = [\"2022-01-01\"]",
        &[
            (&[a.clone(), b.clone()], Status::Pass),
            (&[a.clone(), q2], Status::Fail),
        ],
    );
    let unique = "kind = \"unique\"\ncolumns = [\"indicator\", \"geo_code\", \"period_label\", \"source_id\"]";
    statuses(
        unique,
        &[
            (&[a.clone(), b.clone(), no_geo.clone()], Status::Pass),
            (&[a.clone(), a.clone(), b.clone()], Status::Fail),
            (std::slice::from_ref(&no_geo), Status::Skip),
        ],
    );
    let accepted = "kind = \"accepted_values\"\ncolumn = \"indicator\"\nvalues = [\"gdp_growth\", \"poverty_rate\"]";
    let odd = rec("gdp_grwth", "VN-02", y, 1.0, 1.0, Unit::Percent);
    statuses(
        accepted,
        &[
            (&[a.clone(), b.clone()], Status::Pass),
            (&[a.clone(), odd], Status::Fail),
            (&[], Status::Skip),
        ],
    );
    let r = run(
        "kind = \"unique\"\ncolumns = [\"indicator\", \"geo_code\"]",
        &[a.clone(), a, b],
        &[],
        &EvalContext::default(),
    );
    assert_eq!((r.observed, r.rows.len()), (Some(2.0), 2));
}

#[test]
fn results_are_identical_on_rerun() {
    let y = Period::Year(2022);
    let records = [
        rec("gdp_growth", "VN-02", y, 9.02, 9.02, Unit::Percent),
        IndicatorRecord {
            source_id: "src-b".into(),
            ..rec("gdp_growth", "VN-02", y, 9.5, 9.5, Unit::Percent)
        },
        IndicatorRecord {
            source_id: "src-0".into(),
            ..rec("gdp_growth", "VN-02", y, 8.0, 8.0, Unit::Percent)
        },
    ];
    let first = run(
        "kind = \"consistent\"",
        &records,
        &[],
        &EvalContext::default(),
    );
    for _ in 0..5 {
        assert_eq!(
            run(
                "kind = \"consistent\"",
                &records,
                &[],
                &EvalContext::default()
            ),
            first
        );
    }
    let sources: Vec<&str> = first.rows.iter().map(|r| r.source_id.as_str()).collect();
    assert_eq!(
        sources,
        ["src-0", "src-b"],
        "the lowest and the highest statement (9.02 lies between), in natural order"
    );
}

/// Rows for the chunking tests: values, places, ranks and gaps of every kind.
fn mixed_rows(n: usize) -> Vec<IndicatorRecord> {
    (0..n)
        .map(|i| {
            let geo = ["VN-02", "VN-01", "VN-HN"][i % 3];
            let value = (i * 37 % 130) as f64 - 10.0;
            let mut r = rec(
                ["poverty_rate", "gdp_growth"][i % 2],
                geo,
                Period::Year(2020 + (i % 4) as i32),
                value,
                if i % 5 == 0 { value + 1.0 } else { value },
                Unit::Percent,
            );
            r.source_id = format!("doc-{:03}", (i * 7) % 5);
            r.span = Span::new(i, i + 2);
            if i % 8 == 1 {
                r.geo_code = None;
            }
            if i % 9 == 0 {
                r = IndicatorRecord {
                    source_id: r.source_id.clone(),
                    ..rank((i % 70) as f64, Some(63), Some("VN-provinces"))
                };
            }
            r
        })
        .collect()
}

const MIXED_RULES: &str = r#"version = 1
[[rule]]
id = "expect"
kind = "expect"
select = { indicator = "poverty_rate", geo = "VN-02" }
value = 20
tolerance = 15
[[rule]]
id = "expect-pass"
kind = "expect"
select = { indicator = "gdp_growth", measure = "level" }
value = 50
tolerance = 100
[[rule]]
id = "range"
kind = "range"
select = { unit = "percent", measure = "level" }
min = 0
max = 100
[[rule]]
id = "rank"
kind = "rank"
[[rule]]
id = "not-null"
kind = "not_null"
column = "geo_code"
[[rule]]
id = "accepted"
kind = "accepted_values"
column = "geo_code"
values = ["VN-02", "VN-HN"]
[[rule]]
id = "unique"
kind = "unique"
columns = ["indicator", "geo_code", "period_label", "source_id"]
[[rule]]
id = "consistent"
kind = "consistent"
select = { geo = "VN-HN" }
"#;

fn evaluate_in_chunks(
    rules: &RuleSet,
    records: &[IndicatorRecord],
    size: usize,
) -> Vec<RuleResult> {
    let ctx = EvalContext {
        group_sizes: [("VN-provinces".to_owned(), vec![(None, Some(63))])].into(),
        ..EvalContext::default()
    };
    let validator = crate::Validator::new(rules, &ctx);
    let mut evaluation = crate::Evaluation::default();
    for chunk in records.chunks(size) {
        evaluation.add(validator.check(chunk, &[]));
    }
    validator.finish(evaluation)
}

#[test]
fn results_do_not_depend_on_how_the_rows_are_chunked() {
    let rules = RuleSet::from_str(MIXED_RULES, "mixed.toml").unwrap_or_else(|e| panic!("{e}"));
    let records = mixed_rows(200);
    let whole = evaluate_in_chunks(&rules, &records, records.len());
    let statuses: Vec<Status> = whole.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        [
            Status::Fail,
            Status::Pass,
            Status::Fail,
            Status::Fail,
            Status::Fail,
            Status::Fail,
            Status::Fail,
            Status::Fail
        ],
        "{whole:#?}"
    );
    assert!(whole.iter().all(|r| !r.rows.is_empty()));
    for size in [1, 2, 3, 7, 64, 199] {
        assert_eq!(
            evaluate_in_chunks(&rules, &records, size),
            whole,
            "chunks of {size}"
        );
    }
}

#[test]
fn long_listings_keep_the_farthest_rows_and_count_all() {
    let body = "kind = \"range\"\nmax = 100";
    let records: Vec<IndicatorRecord> = (0..2500)
        .map(|i| {
            let v = 101.0 + f64::from(i % 1700);
            rec("a", "VN-02", Period::Year(2023), v, v, Unit::Percent)
        })
        .collect();
    let text = format!("version = 1\n[[rule]]\nid = \"r\"\n{body}\n");
    let rules = RuleSet::from_str(&text, "unit.toml").unwrap_or_else(|e| panic!("{e}"));
    for size in [2500, 333] {
        let r = evaluate_in_chunks(&rules, &records, size).remove(0);
        assert_eq!(r.status, Status::Fail);
        assert_eq!(r.rows.len(), crate::ROWS_LISTED);
        assert_eq!(r.observed, Some(1800.0), "the farthest value");
        assert!(
            r.message
                .starts_with("2500 of 2500 rows lie outside <= 100")
                && r.message
                    .ends_with("(rows lists 1000 of them, the farthest)"),
            "{}",
            r.message
        );
        let smallest = r
            .rows
            .iter()
            .map(|c| c.value_low)
            .fold(f64::INFINITY, f64::min);
        assert!(smallest >= 101.0 + 1700.0 - 1000.0 - 1.0, "{smallest}");
    }
}

#[test]
fn queries_kept_on_the_calling_thread_give_the_same_results() {
    let rules = RuleSet::from_str(MIXED_RULES, "mixed.toml").unwrap_or_else(|e| panic!("{e}"));
    let records = mixed_rows(200);
    let pooled = evaluate_in_chunks(&rules, &records, 64);
    let inline = std::thread::scope(|s| {
        s.spawn(|| {
            crate::keep_queries_on_this_thread();
            evaluate_in_chunks(&rules, &records, 64)
        })
        .join()
        .unwrap_or_else(|_| panic!("the evaluating thread panicked"))
    });
    assert_eq!(inline, pooled);
}

/// Rows making 600 statements ten times each, most of them with different values, from five
/// sources.
fn repeated_statements() -> Vec<IndicatorRecord> {
    (0..6000)
        .map(|i| {
            let statement = i % 600;
            let value = if statement % 7 == 0 {
                1.0
            } else {
                (i * 31 % 97) as f64
            };
            let mut r = rec(
                ["poverty_rate", "gdp_growth"][statement % 2],
                ["VN-02", "VN-01", "VN-HN"][statement / 2 % 3],
                Period::Year(1990 + (statement / 6) as i32),
                value,
                value + (i * 7 % 11) as f64,
                Unit::Percent,
            );
            r.source_id = format!("doc-{}", i % 5);
            r.span = Span::new(i, i + 2);
            r
        })
        .collect()
}

#[test]
fn consistent_and_unique_moved_to_disk_judge_the_same() {
    use super::spill::{TEST_SPILL_AFTER as SPILL_AFTER, TEST_SPILLS as SPILLS};
    let rules = RuleSet::from_str(
        "version = 1\n[[rule]]\nid = \"all\"\nkind = \"consistent\"\n\
         [[rule]]\nid = \"per-source\"\nkind = \"consistent\"\nscope = \"source\"\n\
         [[rule]]\nid = \"agree\"\nkind = \"consistent\"\ntolerance = 1000\n\
         [[rule]]\nid = \"unique\"\nkind = \"unique\"\n\
         columns = [\"indicator\", \"geo_code\", \"period_label\", \"source_id\"]\n\
         [[rule]]\nid = \"unique-values\"\nkind = \"unique\"\n\
         columns = [\"indicator\", \"geo_code\", \"value_low\"]\n\
         [[rule]]\nid = \"unique-quote\"\nkind = \"unique\"\ncolumns = [\"quote\"]\n",
        "spill.toml",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let records = repeated_statements();
    let in_memory = evaluate_in_chunks(&rules, &records, 64);
    assert_eq!(SPILLS.with(std::cell::Cell::get), 0);
    let statuses: Vec<Status> = in_memory.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        [
            Status::Fail,
            Status::Fail,
            Status::Pass,
            Status::Fail,
            Status::Fail,
            Status::Fail
        ]
    );
    assert_eq!(in_memory[0].rows.len(), 1000, "{}", in_memory[0].message);
    assert!(
        in_memory[3].message.starts_with("6000 of 6000 rows: (indicator, geo_code, period_label, source_id) repeats (rows lists the first 1000 of them)"),
        "{}",
        in_memory[3].message
    );
    assert_eq!(in_memory[3].rows.len(), 1000);
    let sources: Vec<&str> = in_memory[3]
        .rows
        .iter()
        .map(|r| r.source_id.as_str())
        .collect();
    assert!(sources.windows(2).all(|w| w[0] <= w[1]), "natural order");
    // The rows sharing (indicator, place, low value), counted plainly.
    let mut seen: std::collections::HashMap<(&str, &str, u64), usize> = Default::default();
    for r in &records {
        let geo = r.geo_code.as_deref().unwrap_or_default();
        *seen
            .entry((r.indicator.as_str(), geo, r.value_low.to_bits()))
            .or_default() += 1;
    }
    let repeated: usize = seen.values().filter(|&&n| n > 1).sum();
    assert!(
        in_memory[4]
            .message
            .starts_with(&format!("{repeated} of 6000 rows: ")),
        "{} (expected {repeated})",
        in_memory[4].message
    );
    assert!(
        in_memory[5].message.contains("(quote) repeats"),
        "{}",
        in_memory[5].message
    );
    assert!(
        in_memory[0].message.contains(" more (rows lists 1000 of "),
        "{}",
        in_memory[0].message
    );
    for (after, chunk) in [(1, 64), (50, 7), (599, 1000)] {
        SPILL_AFTER.with(|n| n.set(after));
        SPILLS.with(|n| n.set(0));
        let spilled = evaluate_in_chunks(&rules, &records, chunk);
        SPILL_AFTER.with(|n| n.set(usize::MAX));
        assert!(
            SPILLS.with(std::cell::Cell::get) > 0,
            "spilled after {after}"
        );
        assert_eq!(
            spilled, in_memory,
            "spilled after {after} statements, chunks of {chunk}"
        );
    }
}

/// Mention facts of `groups` sentences, each a whole and three parts ("Trong N chỉ tiêu, có a
/// vượt, b đạt, c không đạt"), from two sources: the whole of every third sentence is one more
/// than its parts, and every fifth sentence states its whole twice (once too many, the second
/// statement then counted as a part).
fn target_sentences(groups: usize) -> Vec<MentionFact> {
    let mut facts = Vec::new();
    for g in 0..groups {
        let sentence = format!("Trong số chỉ tiêu của năm {g}: vượt, đạt, không đạt.");
        let parts = [(g % 7) as f64, 0.1 * (g % 10) as f64, 0.2 + (g % 3) as f64];
        let sum: f64 = parts.iter().sum();
        let whole = if g % 3 == 0 { sum + 1.0 } else { sum };
        let mut fact = |value: f64, start: i64| {
            let mut f = count_mention(value, start, &sentence);
            f.source_id = format!("doc-{}", g % 2);
            facts.push(f);
        };
        fact(whole, 6);
        for (i, p) in parts.iter().enumerate() {
            fact(*p, 20 + 10 * i as i64);
        }
        if g % 5 == 0 {
            fact(whole, 60);
        }
    }
    facts
}

/// Records for `ratio`: growth of Lào Cai and of the country, stated in several places.
fn growth_records(n: usize) -> Vec<IndicatorRecord> {
    (0..n)
        .map(|i| {
            let geo = if i % 2 == 0 { "VN-02" } else { "VN" };
            let value = 3.0 + (i * 13 % 29) as f64 / 4.0;
            let mut r = rec(
                "gdp_growth",
                geo,
                Period::Quarter { year: 2023, q: 1 },
                value,
                value,
                Unit::Percent,
            );
            r.source_id = format!("doc-{:02}", i % 11);
            r.span = Span::new(i * 3 % 50, i * 3 % 50 + 4);
            r
        })
        .collect()
}

const SUM_AND_RATIO_RULES: &str = r#"version = 1
[[rule]]
id = "targets-add-up"
kind = "sum"
parts = { from = "mentions", counted_noun = "chỉ tiêu" }
whole = { from = "mentions", counted_noun = "chỉ tiêu", pick = "max" }
group_by = ["source_id", "sentence"]
[[rule]]
id = "all-parts"
kind = "sum"
parts = { from = "mentions", counted_noun = "chỉ tiêu" }
whole = { from = "mentions", counted_noun = "chỉ tiêu", pick = "first" }
[[rule]]
id = "ambiguous-whole"
kind = "sum"
parts = { from = "mentions", counted_noun = "chỉ tiêu" }
whole = { from = "mentions", counted_noun = "chỉ tiêu" }
group_by = ["source_id", "sentence"]
[[rule]]
id = "ratio-max-over-first"
kind = "ratio"
numerator = { indicator = "gdp_growth", geo = "VN-02", pick = "max" }
denominator = { indicator = "gdp_growth", geo = "VN", pick = "first" }
value_from = { from = "mentions", counted_noun = "chỉ tiêu", pick = "last" }
tolerance_pct = 1
[[rule]]
id = "ratio-min-over-last"
kind = "ratio"
numerator = { indicator = "gdp_growth", geo = "VN-02", pick = "min" }
denominator = { indicator = "gdp_growth", geo = "VN", pick = "last" }
value = 1.0
tolerance_pct = 50
"#;

/// Evaluates records and mention facts cut into chunks of `records` and `mentions` rows (the
/// last chunks of the shorter input empty).
fn evaluate_both_in_chunks(
    rules: &RuleSet,
    records: &[IndicatorRecord],
    mentions: &[MentionFact],
    (by_records, by_mentions): (usize, usize),
) -> Vec<RuleResult> {
    let ctx = EvalContext::default();
    let validator = crate::Validator::new(rules, &ctx);
    let mut evaluation = crate::Evaluation::default();
    let (mut r, mut m) = (records.chunks(by_records), mentions.chunks(by_mentions));
    loop {
        let (a, b) = (r.next(), m.next());
        if a.is_none() && b.is_none() {
            break;
        }
        evaluation.add(validator.check(a.unwrap_or_default(), b.unwrap_or_default()));
    }
    validator.finish(evaluation)
}

#[test]
fn sum_and_ratio_stream_and_do_not_depend_on_chunks_or_spills() {
    use super::spill::{TEST_SPILL_AFTER as SPILL_AFTER, TEST_SPILLS as SPILLS};
    let rules =
        RuleSet::from_str(SUM_AND_RATIO_RULES, "sums.toml").unwrap_or_else(|e| panic!("{e}"));
    let groups = 300;
    let facts = target_sentences(groups);
    let records = growth_records(101);
    let whole = evaluate_both_in_chunks(&rules, &records, &facts, (records.len(), facts.len()));
    assert_eq!(SPILLS.with(std::cell::Cell::get), 0);

    // Counted plainly: every third and every fifth sentence fails.
    let failing = (0..groups).filter(|g| g % 3 == 0 || g % 5 == 0).count();
    let r = &whole[0];
    assert_eq!(r.status, Status::Fail, "{r:?}");
    assert!(
        r.message.starts_with(&format!(
            "{failing} of {groups} groups: parts add up to 1.4 but the whole is 1.2; "
        )),
        "{}",
        r.message
    );
    assert!(
        r.message.contains(&format!("; and {} more", failing - 20)),
        "twenty described, the rest counted: {}",
        r.message
    );
    // Sentence 0: parts 0 + 0 + 0.2 and the whole stated again, 1.2 (only one row is the
    // whole).
    assert_eq!((r.observed, r.expected), (Some(1.4), Some(1.2)));
    let sentences: std::collections::BTreeSet<&str> =
        r.rows.iter().map(|c| c.quote.as_str()).collect();
    assert!(sentences.len() <= failing);
    // One group of every row, the first (in text order) its whole: the parts add up exactly,
    // not in the order the chunks came.
    let all = &whole[1];
    assert_eq!(all.status, Status::Fail, "{all:?}");
    assert!(
        all.message.ends_with("(rows lists the first 1000 of them)"),
        "{}",
        all.message
    );
    assert_eq!(all.rows.len(), crate::ROWS_LISTED);
    assert_eq!(whole[2].status, Status::Error);
    assert_eq!(
        whole[2].message,
        "`whole` selects 5 values in one group; narrow it or add pick = \"first\" | \"last\" | \"max\" | \"min\"",
        "the first group: sentence 0, its whole stated twice and three parts"
    );
    // The ratio's sides, picked plainly.
    let (lao_cai, country): (Vec<&IndicatorRecord>, Vec<&IndicatorRecord>) = records
        .iter()
        .partition(|r| r.geo_code.as_deref() == Some("VN-02"));
    let max = lao_cai.iter().map(|r| r.value_low).fold(f64::MIN, f64::max);
    let min = lao_cai.iter().map(|r| r.value_low).fold(f64::MAX, f64::min);
    // `first`: the smallest offset, the earliest row; `last`: the largest, the latest row.
    let first = country
        .iter()
        .min_by_key(|r| r.span.start)
        .map_or(f64::NAN, |r| r.value_low);
    let last = country
        .iter()
        .max_by_key(|r| r.span.start)
        .map_or(f64::NAN, |r| r.value_low);
    let claim = facts
        .iter()
        .max_by_key(|f| f.char_start)
        .and_then(|f| f.value_low);
    assert_eq!(whole[3].observed, Some(max / first), "{:?}", whole[3]);
    assert_eq!(whole[3].expected, claim);
    assert_eq!(whole[3].rows.len(), 3);
    assert_eq!(whole[4].observed, Some(min / last), "{:?}", whole[4]);
    assert_eq!(whole[4].rows.len(), 2);

    for (chunks, spill_after) in [
        ((1, 400), usize::MAX),
        ((5, 11), 5),
        ((40, 29), 1),
        ((101, 64), 50),
    ] {
        SPILL_AFTER.with(|n| n.set(spill_after));
        SPILLS.with(|n| n.set(0));
        let chunked = evaluate_both_in_chunks(&rules, &records, &facts, chunks);
        SPILL_AFTER.with(|n| n.set(usize::MAX));
        if spill_after < usize::MAX {
            assert!(SPILLS.with(std::cell::Cell::get) > 0, "{chunks:?}");
        }
        assert_eq!(
            chunked, whole,
            "chunks of {chunks:?}, spill after {spill_after}"
        );
    }
}

/// `unique` drops the evidence of rows that come after the first 1 000 rows known to repeat a
/// key, and still lists exactly the first 1 000 offending rows in natural order.
#[test]
fn unique_keeps_little_evidence_and_lists_the_first_offending_rows() {
    let rules = RuleSet::from_str(
        "version = 1\n[[rule]]\nid = \"u\"\nkind = \"unique\"\n\
         columns = [\"indicator\", \"geo_code\", \"value_low\"]\n",
        "unique.toml",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let ctx = EvalContext::default();
    let validator = crate::Validator::new(&rules, &ctx);
    let evaluate = |records: &[IndicatorRecord]| {
        let mut evaluation = crate::Evaluation::default();
        for chunk in records.chunks(64) {
            evaluation.add(validator.check(chunk, &[]));
        }
        let Some(super::Partial::Keys(keys)) = evaluation.partials.first() else {
            panic!("a unique rule gives keys");
        };
        let held = keys.rows_held();
        (held, validator.finish(evaluation).remove(0))
    };
    // As a corpus comes, each source's rows together: once 1 000 rows of the first source are
    // known to repeat, the rest of the input is counted without its evidence.
    let mut by_source = repeated_statements();
    by_source.sort_by(|a, b| a.source_id.cmp(&b.source_id));
    let (held, _) = evaluate(&by_source);
    assert!(held < 1500, "{held} evidence rows held for 6000 rows");
    // Sources interleaved: the first rows in natural order come until the end, and more is
    // held; what is listed is still exact.
    let records = repeated_statements();
    let (_, result) = evaluate(&records);

    // Plainly: the rows whose key repeats, in natural order, the first 1 000.
    let key = |r: &IndicatorRecord| {
        (
            r.indicator.clone(),
            r.geo_code.clone(),
            r.value_low.to_bits(),
        )
    };
    let mut n: std::collections::HashMap<_, usize> = Default::default();
    for r in &records {
        *n.entry(key(r)).or_default() += 1;
    }
    let mut offending: Vec<(usize, &IndicatorRecord)> = records
        .iter()
        .enumerate()
        .filter(|(_, r)| n[&key(r)] > 1)
        .collect();
    offending.sort_by(|(i, a), (j, b)| {
        let order = |r: &IndicatorRecord, i: usize| {
            (
                r.source_id.clone(),
                r.indicator.clone(),
                r.geo_code.clone(),
                r.period.map(|p| p.label()),
                r.span.start,
                i,
            )
        };
        order(a, *i).cmp(&order(b, *j))
    });
    assert!(offending.len() > crate::ROWS_LISTED);
    let want: Vec<(&str, f64, &str)> = offending[..crate::ROWS_LISTED]
        .iter()
        .map(|(_, r)| (r.source_id.as_str(), r.value_low, &*r.quote))
        .collect();
    let got: Vec<(&str, f64, &str)> = result
        .rows
        .iter()
        .map(|c| (c.source_id.as_str(), c.value_low, c.quote.as_str()))
        .collect();
    assert_eq!(got, want);
    assert!(
        result.message.starts_with(&format!(
            "{} of 6000 rows: (indicator, geo_code, value_low) repeats",
            offending.len()
        )),
        "{}",
        result.message
    );
}
