//! `rank`: ranks lie between 1 and the ranking's size, and the size matches the known size of
//! the ranking group.

use chiso_model::Status;
use polars::prelude::*;

use super::rowwise::{RowCheck, Tally};
use super::{EvalResult, Inputs, Outcome, count, f64s, strs, u32s};
use crate::EvalContext;
use crate::selection::Selection;

/// Checks each selected rank row of a chunk.
pub(crate) fn check(
    inputs: &Inputs<'_>,
    select: &Selection,
    ctx: &EvalContext,
) -> EvalResult<Vec<RowCheck>> {
    let rank = col("value_low");
    let total = col("rank_total");
    let checked = inputs
        .select(select)
        .filter(col("measure").eq(lit("rank")))
        .select([col("row"), rank.clone(), total.clone(), col("rank_group")])
        .collect()?;
    let rows = u32s(&checked, "row")?;
    let ranks = f64s(&checked, "value_low")?;
    let totals = f64s(&checked, "rank_total")?;
    let group_names = strs(&checked, "rank_group")?;
    let mut checks = Vec::with_capacity(rows.len());
    for i in 0..rows.len() {
        let r = ranks[i].unwrap_or(f64::NAN);
        let total = totals[i];
        let group = group_names[i].as_deref().unwrap_or("?");
        // The group's size when the ranked period ends (a region's is not known after the
        // 2025 merger); every size it has had when the row has no period, and none to check
        // when one of them is not known.
        let ends = inputs
            .records
            .get(rows[i] as usize)
            .and_then(|rec| rec.period)
            .map(|p| p.end());
        let sizes: Vec<f64> = match ctx.group_sizes.get(group) {
            None => Vec::new(),
            Some(eras) => {
                let in_force: Vec<Option<u32>> = match ends {
                    Some(end) => eras
                        .iter()
                        .rev()
                        .find(|(from, _)| from.is_none_or(|f| f <= end))
                        .map(|&(_, n)| n)
                        .into_iter()
                        .collect(),
                    None => eras.iter().map(|&(_, n)| n).collect(),
                };
                in_force
                    .into_iter()
                    .collect::<Option<Vec<u32>>>()
                    .unwrap_or_default()
                    .into_iter()
                    .map(f64::from)
                    .collect()
            }
        };
        let size = sizes.iter().copied().reduce(f64::max);
        let shown = |sizes: &[f64]| {
            sizes
                .iter()
                .map(f64::to_string)
                .collect::<Vec<_>>()
                .join(" or ")
        };
        let mut why = Vec::new();
        if r < 1.0 {
            why.push(format!("rank {r} is below 1"));
        }
        if let Some(t) = total.filter(|t| r > *t) {
            why.push(format!("rank {r} exceeds the stated total {t}"));
        }
        if let Some(t) = total.filter(|t| !sizes.is_empty() && !sizes.contains(t)) {
            why.push(format!(
                "stated total {t} differs from {group}'s size {}",
                shown(&sizes)
            ));
        }
        if let Some(n) = size.filter(|n| r > *n) {
            why.push(format!("rank {r} exceeds {group}'s size {n}"));
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
            expected: total.or(size),
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
