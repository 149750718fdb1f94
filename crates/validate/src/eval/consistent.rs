//! `consistent`: the same indicator, place, period, measure, kind and unit is not stated with
//! different values. Ranks in different rankings (rank group and size) are different statements.

use chiso_model::Status;
use polars::prelude::*;

use super::{EvalResult, Inputs, Outcome, abs, count, f64s, join_args, strs, u32s};
use crate::rules::{Scope, Tolerance};
use crate::selection::{Input, Selection};

const KEY: &[&str] = &[
    "indicator",
    "geo_code",
    "period_label",
    "measure",
    "kind",
    "unit",
    "rank_group",
    "rank_total",
];

pub(crate) fn eval(
    inputs: &Inputs<'_>,
    select: &Selection,
    scope: Scope,
    tolerance: Tolerance,
) -> EvalResult<Outcome> {
    let mut key: Vec<&str> = KEY.to_vec();
    if scope == Scope::Source {
        key.push("source_id");
    }
    let keys: Vec<Expr> = key.iter().map(|k| col(*k)).collect();
    let selected = inputs.select(select).filter(
        col("geo_code")
            .is_not_null()
            .and(col("period_label").is_not_null()),
    );
    let tol = match tolerance {
        Tolerance::Absolute(t) => lit(t),
        Tolerance::Percent(p) => abs(col("min_low")) * lit(p / 100.0),
    };
    let groups = selected
        .clone()
        .group_by(keys.clone())
        .agg([
            col("value_low").min().alias("min_low"),
            col("value_low").max().alias("max_low"),
            col("value_high").min().alias("min_high"),
            col("value_high").max().alias("max_high"),
            len().alias("n"),
        ])
        .filter(col("n").gt(lit(1)))
        .with_column(
            (col("max_low") - col("min_low"))
                .gt(tol.clone())
                .or((col("max_high") - col("min_high")).gt(tol))
                .alias("conflict"),
        )
        .sort(
            key.iter().map(|k| PlSmallStr::from(*k)).collect::<Vec<_>>(),
            SortMultipleOptions::default(),
        )
        .with_row_index("group", None)
        .collect()?;
    if groups.height() == 0 {
        let n = selected.select([len().alias("n")]).collect()?;
        let n = u32s(&n, "n")?.first().copied().unwrap_or(0);
        return Ok(Outcome::skip(if n == 0 {
            "the selection matches no indicator row with a place and period".to_owned()
        } else {
            format!(
                "no statement among {} is repeated, so nothing was compared",
                count(n as usize, "row")
            )
        }));
    }
    let conflicts = groups.clone().lazy().filter(col("conflict")).collect()?;
    if conflicts.height() == 0 {
        return Ok(Outcome {
            status: Status::Pass,
            observed: None,
            expected: None,
            message: format!(
                "{} stated more than once agree ({})",
                count(groups.height(), "statement"),
                tolerance.describe()
            ),
            rows: Vec::new(),
        });
    }
    let mut group_cols = keys.clone();
    group_cols.push(col("group"));
    let members = selected
        .join(
            conflicts.clone().lazy().select(group_cols),
            keys.clone(),
            keys,
            join_args(JoinType::Inner),
        )
        .select([col("group"), col("row")])
        .sort(["group", "row"], SortMultipleOptions::default())
        .collect()?;
    let rows = u32s(&members, "row")?;
    let (min_low, max_low) = (f64s(&conflicts, "min_low")?, f64s(&conflicts, "max_low")?);
    let (indicator, geo, period) = (
        strs(&conflicts, "indicator")?,
        strs(&conflicts, "geo_code")?,
        strs(&conflicts, "period_label")?,
    );
    let (measure, kind) = (strs(&conflicts, "measure")?, strs(&conflicts, "kind")?);
    let described: Vec<String> = (0..conflicts.height())
        .map(|i| {
            format!(
                "{} {} {} ({} {}) is stated from {} to {}",
                indicator[i].as_deref().unwrap_or(""),
                geo[i].as_deref().unwrap_or(""),
                period[i].as_deref().unwrap_or(""),
                measure[i].as_deref().unwrap_or(""),
                kind[i].as_deref().unwrap_or(""),
                min_low[i].unwrap_or(f64::NAN),
                max_low[i].unwrap_or(f64::NAN),
            )
        })
        .collect();
    Ok(Outcome {
        status: Status::Fail,
        observed: max_low[0],
        expected: min_low[0],
        message: format!(
            "{} of {} disagree: {}",
            conflicts.height(),
            count(groups.height(), "repeated statement"),
            described.join("; ")
        ),
        rows: rows.into_iter().map(|r| (Input::Records, r)).collect(),
    })
}
