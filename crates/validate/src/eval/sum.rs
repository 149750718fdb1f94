//! `sum`: parts add up to a whole, per group.

use chiso_model::Status;
use polars::prelude::*;

use super::{
    EvalError, EvalResult, Inputs, Outcome, abs, bools, count, f64s, join_args, show,
    sort_for_pick, u32s,
};
use crate::rules::Tolerance;
use crate::selection::{Pick, Selection};

/// The key column used when a rule has no `group_by`: every row is in one group.
const ONE_GROUP: &str = "_one_group";

pub(crate) fn eval(
    inputs: &Inputs<'_>,
    parts: &Selection,
    whole: &Selection,
    group_by: &[String],
    tolerance: Tolerance,
) -> EvalResult<Outcome> {
    let input = parts.input;
    let keyed = |lf: LazyFrame| {
        if group_by.is_empty() {
            lf.with_column(lit(true).alias(ONE_GROUP))
        } else {
            lf
        }
    };
    let keys: Vec<Expr> = if group_by.is_empty() {
        vec![col(ONE_GROUP)]
    } else {
        group_by.iter().map(|k| col(k.as_str())).collect()
    };

    // One whole per group: the row `pick` chooses, and how many rows were candidates.
    let wholes = sort_for_pick(keyed(inputs.select_valued(whole)), whole.pick)
        .group_by_stable(keys.clone())
        .agg([
            col("row").first().alias("whole_row"),
            col("value_low").first().alias("whole_low"),
            col("value_high").first().alias("whole_high"),
            len().alias("whole_n"),
        ])
        .with_row_index("group", None)
        .collect()?;
    if wholes.height() == 0 {
        return Ok(Outcome::skip("`whole` selects no value"));
    }
    if matches!(whole.pick, None | Some(Pick::Only)) {
        let n = u32s(&wholes, "whole_n")?;
        if let Some(many) = n.iter().find(|n| **n > 1) {
            return Err(EvalError::Message(format!(
                "`whole` selects {many} values in one group; narrow it or add pick = \"first\" | \"last\" | \"max\" | \"min\""
            )));
        }
    }

    // Each part row with its group, without the group's whole.
    let mut group_cols = keys.clone();
    group_cols.extend([col("group"), col("whole_row")]);
    let members = keyed(inputs.select_valued(parts))
        .join(
            wholes.clone().lazy().select(group_cols),
            keys.clone(),
            keys.clone(),
            join_args(JoinType::Inner),
        )
        .filter(col("row").neq(col("whole_row")))
        .select([
            col("group"),
            col("row"),
            col("value_low"),
            col("value_high"),
        ])
        .sort(["group", "row"], SortMultipleOptions::default())
        .collect()?;

    let tol = match tolerance {
        Tolerance::Absolute(t) => lit(t),
        Tolerance::Percent(p) => abs(col("whole_low")) * lit(p / 100.0),
    };
    let checked = wholes
        .clone()
        .lazy()
        .join(
            members.clone().lazy().group_by_stable([col("group")]).agg([
                col("value_low").sum().alias("parts_low"),
                col("value_high").sum().alias("parts_high"),
                len().alias("n_parts"),
            ]),
            [col("group")],
            [col("group")],
            JoinArgs::new(JoinType::Left),
        )
        .with_column(
            col("whole_low")
                .lt_eq(col("parts_high") + tol.clone())
                .and(col("whole_high").gt_eq(col("parts_low") - tol))
                .fill_null(lit(false))
                .alias("ok"),
        )
        .sort(["group"], SortMultipleOptions::default())
        .collect()?;

    let groups = u32s(&checked, "group")?;
    let whole_rows = u32s(&checked, "whole_row")?;
    let (whole_low, whole_high) = (f64s(&checked, "whole_low")?, f64s(&checked, "whole_high")?);
    let (parts_low, parts_high) = (f64s(&checked, "parts_low")?, f64s(&checked, "parts_high")?);
    let oks = bools(&checked, "ok")?;
    let member_groups = u32s(&members, "group")?;
    let member_rows = u32s(&members, "row")?;

    // (parts sum, whole, holds, rows) of every group that has parts.
    let mut outcomes = Vec::new();
    for i in 0..groups.len() {
        let (Some(pl), Some(ph)) = (parts_low[i], parts_high[i]) else {
            continue;
        };
        let (wl, wh) = (
            whole_low[i].unwrap_or(f64::NAN),
            whole_high[i].unwrap_or(f64::NAN),
        );
        let mut group_rows = vec![(input, whole_rows[i])];
        group_rows.extend(
            member_groups
                .iter()
                .zip(&member_rows)
                .filter(|(g, _)| **g == groups[i])
                .map(|(_, r)| (input, *r)),
        );
        outcomes.push(((pl, ph), (wl, wh), oks[i], group_rows));
    }
    let checked_groups = outcomes.len();
    let failing: Vec<_> = outcomes.iter().filter(|o| !o.2).collect();
    let reported = if failing.is_empty() {
        outcomes.iter().collect()
    } else {
        failing.clone()
    };
    let first = reported.first().map(|((pl, _), (wl, _), _, _)| (*pl, *wl));
    let rows: Vec<_> = reported.iter().flat_map(|o| o.3.iter().copied()).collect();
    let failures: Vec<String> = failing
        .iter()
        .map(|((pl, ph), (wl, wh), _, _)| {
            format!(
                "parts add up to {} but the whole is {}",
                show(*pl, *ph),
                show(*wl, *wh)
            )
        })
        .collect();
    if checked_groups == 0 {
        return Ok(Outcome::skip("`parts` selects no value besides the whole"));
    }
    let (observed, expected) = first.map_or((None, None), |(p, w)| (Some(p), Some(w)));
    if failures.is_empty() {
        return Ok(Outcome {
            status: Status::Pass,
            observed,
            expected,
            message: format!(
                "parts add up to the whole ({}) in {}",
                tolerance.describe(),
                count(checked_groups, "group")
            ),
            rows,
        });
    }
    Ok(Outcome {
        status: Status::Fail,
        observed,
        expected,
        message: format!(
            "{} of {}: {}",
            failures.len(),
            count(checked_groups, "group"),
            failures.join("; ")
        ),
        rows,
    })
}
