use chiso_model::{Kind, Measure, Period, Status, Unit};
use chiso_validate::{EvalContext, RuleSet, evaluate};

use crate::{fixtures, record};

const RULE: &str = r#"version = 1

[[rule]]
id = "income"
kind = "reference"
select = { indicator = "income_per_capita" }
table = "tables/income_per_capita.csv"
place_column = "Province"
year_columns = true
scale = 1000
tolerance_pct = 0.5
"#;

fn context() -> EvalContext {
    EvalContext {
        resolve_place: Some(Box::new(|name: &str| match name {
            "Ha Noi" => Some("VN-HN".to_owned()),
            "Lao Cai" => Some("VN-02".to_owned()),
            "Ca Mau" => Some("VN-59".to_owned()),
            _ => None,
        })),
        base_dir: fixtures(),
        ..Default::default()
    }
}

fn income(geo: &str, year: i32, thousand_vnd: f64) -> chiso_model::IndicatorRecord {
    let v = thousand_vnd * 1000.0;
    record(
        "income_per_capita",
        geo,
        Period::Year(year),
        Measure::Level,
        Kind::Actual,
        v,
        v,
        Unit::VndPerPersonMonth,
        "thu nhập bình quân",
    )
}

#[test]
fn wide_year_columns_join_on_place_and_year() {
    let rules = RuleSet::from_str(RULE, "reference.toml").unwrap_or_else(|e| panic!("{e}"));
    let run = |records: &[chiso_model::IndicatorRecord]| {
        evaluate(&rules, records, &[], &context()).remove(0)
    };

    let agree = run(&[income("VN-02", 2022, 2960.0), income("VN-HN", 2016, 5140.0)]);
    assert_eq!(agree.status, Status::Pass, "{agree:?}");
    assert!(agree.message.contains("2 rows agree"), "{}", agree.message);

    let differ = run(&[income("VN-02", 2022, 2960.0), income("VN-HN", 2020, 6500.0)]);
    assert_eq!(differ.status, Status::Fail, "{differ:?}");
    assert_eq!(
        (differ.observed, differ.expected),
        (Some(6_500_000.0), Some(6_150_000.0))
    );
    assert_eq!(differ.rows.len(), 1);

    // Ca Mau 2022 is empty in the table; 2021 is not a column; VN-31 is not in the table.
    let unmatched = run(&[
        income("VN-59", 2022, 3100.0),
        income("VN-02", 2021, 2500.0),
        income("VN-31", 2020, 4000.0),
    ]);
    assert_eq!(unmatched.status, Status::Skip, "{unmatched:?}");
}

#[test]
fn a_missing_table_or_resolver_is_an_error_result() {
    let text = RULE.replace("income_per_capita.csv", "gone.csv");
    let rules = RuleSet::from_str(&text, "reference.toml").unwrap_or_else(|e| panic!("{e}"));
    let result = evaluate(&rules, &[income("VN-02", 2022, 2960.0)], &[], &context()).remove(0);
    assert_eq!(result.status, Status::Error);
    assert!(
        result.message.contains("gone.csv") && result.message.contains("does not exist"),
        "{}",
        result.message
    );

    let names_without_resolver = evaluate(
        &RuleSet::from_str(RULE, "r.toml").unwrap_or_else(|e| panic!("{e}")),
        &[income("VN-02", 2022, 2960.0)],
        &[],
        &EvalContext {
            base_dir: fixtures(),
            ..Default::default()
        },
    )
    .remove(0);
    assert_eq!(names_without_resolver.status, Status::Error);
    assert!(
        names_without_resolver.message.contains("resolver"),
        "{}",
        names_without_resolver.message
    );
}
