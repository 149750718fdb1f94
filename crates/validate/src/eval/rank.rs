//! `rank`: ranks lie between 1 and the ranking's size, and the size matches the known size of
//! the ranking group.

use chiso_model::Status;
use polars::prelude::*;

use super::rowwise::{RowCheck, Tally};
use super::{EvalResult, Inputs, Outcome, bools, count, f64s, strs, u32s};
use crate::EvalContext;
use crate::selection::Selection;

/// Checks each selected rank row of a chunk.
pub(crate) fn check(
    inputs: &Inputs<'_>,
    select: &Selection,
    ctx: &EvalContext,
) -> EvalResult<Vec<RowCheck>> {
    let groups: Vec<String> = ctx.group_sizes.keys().cloned().collect();
    let sizes: Vec<f64> = ctx.group_sizes.values().map(|v| f64::from(*v)).collect();
    let group_sizes = DataFrame::new(
        groups.len(),
        vec![
            Column::new("rank_group".into(), groups),
            Column::new("group_size".into(), sizes),
        ],
    )?;
    let rank = col("value_low");
    let total = col("rank_total");
    let size = col("group_size");
    let checked = inputs
        .select(select)
        .filter(col("measure").eq(lit("rank")))
        .join(
            group_sizes.lazy(),
            [col("rank_group")],
            [col("rank_group")],
            JoinArgs::new(JoinType::Left),
        )
        .select([
            col("row"),
            rank.clone(),
            total.clone(),
            col("rank_group"),
            size.clone(),
            rank.clone()
                .lt(lit(1.0))
                .fill_null(lit(false))
                .alias("below_one"),
            total
                .clone()
                .is_not_null()
                .and(rank.clone().gt(total.clone()))
                .fill_null(lit(false))
                .alias("over_total"),
            size.clone()
                .is_not_null()
                .and(rank.clone().gt(size.clone()))
                .fill_null(lit(false))
                .alias("over_group"),
            size.clone()
                .is_not_null()
                .and(total.clone().is_not_null())
                .and(total.clone().neq(size.clone()))
                .fill_null(lit(false))
                .alias("total_mismatch"),
        ])
        .collect()?;
    let rows = u32s(&checked, "row")?;
    let ranks = f64s(&checked, "value_low")?;
    let totals = f64s(&checked, "rank_total")?;
    let group_names = strs(&checked, "rank_group")?;
    let group_size = f64s(&checked, "group_size")?;
    let (below_one, over_total, over_group, mismatch) = (
        bools(&checked, "below_one")?,
        bools(&checked, "over_total")?,
        bools(&checked, "over_group")?,
        bools(&checked, "total_mismatch")?,
    );
    let mut checks = Vec::with_capacity(rows.len());
    for i in 0..rows.len() {
        let r = ranks[i].unwrap_or(f64::NAN);
        let group = group_names[i].as_deref().unwrap_or("?");
        let mut why = Vec::new();
        if below_one[i] {
            why.push(format!("rank {r} is below 1"));
        }
        if over_total[i] {
            why.push(format!(
                "rank {r} exceeds the stated total {}",
                totals[i].unwrap_or(f64::NAN)
            ));
        }
        if mismatch[i] {
            why.push(format!(
                "stated total {} differs from {group}'s size {}",
                totals[i].unwrap_or(f64::NAN),
                group_size[i].unwrap_or(f64::NAN)
            ));
        }
        if over_group[i] {
            why.push(format!(
                "rank {r} exceeds {group}'s size {}",
                group_size[i].unwrap_or(f64::NAN)
            ));
        }
        let ok = why.is_empty();
        checks.push(RowCheck {
            row: rows[i],
            ok,
            // Every failing rank is as bad as another: the first in the input is the worst.
            score: if ok { 0.0 } else { 1.0 },
            low: r,
            high: r,
            observed: Some(r),
            expected: totals[i].or(group_size[i]),
            problem: (!ok).then(|| why.join(", ")),
        });
    }
    Ok(checks)
}

/// Problems a `rank` message spells out; the rest are counted.
const PROBLEMS_LISTED: usize = 20;

/// The result of the whole input.
pub(crate) fn conclude(t: &Tally) -> Outcome {
    if t.checked == 0 {
        return Outcome::skip("the selection matches no rank row");
    }
    let checked = count(t.checked as usize, "rank");
    let failing = t.failing_in_order();
    let Some(first) = failing.first().filter(|_| t.failing > 0) else {
        return Outcome {
            status: Status::Pass,
            observed: None,
            expected: None,
            message: format!("{checked} lie within their rankings"),
        };
    };
    let mut problems: Vec<&str> = failing
        .iter()
        .filter_map(|c| c.problem.as_deref())
        .take(PROBLEMS_LISTED)
        .collect();
    let more = t.failing.saturating_sub(problems.len() as u64);
    let more = (more > 0).then(|| format!("and {more} more"));
    problems.extend(more.as_deref());
    Outcome {
        status: Status::Fail,
        observed: first.observed,
        expected: first.expected,
        message: format!(
            "{} of {checked} do not fit their ranking: {}",
            t.failing,
            problems.join("; ")
        ),
    }
}
