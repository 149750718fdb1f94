//! `rank`: ranks lie between 1 and the ranking's size, and the size matches the known size of
//! the ranking group.

use chiso_model::Status;
use polars::prelude::*;

use super::{EvalResult, Inputs, Outcome, bools, count, f64s, strs, u32s};
use crate::EvalContext;
use crate::selection::{Input, Selection};

pub(crate) fn eval(
    inputs: &Inputs<'_>,
    select: &Selection,
    ctx: &EvalContext,
) -> EvalResult<Outcome> {
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
        .sort(["row"], SortMultipleOptions::default())
        .collect()?;
    if checked.height() == 0 {
        return Ok(Outcome::skip("the selection matches no rank row"));
    }
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
    let mut problems = Vec::new();
    let mut failing = Vec::new();
    let mut first: Option<(f64, Option<f64>)> = None;
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
        if !why.is_empty() {
            first.get_or_insert((r, totals[i].or(group_size[i])));
            failing.push(rows[i]);
            problems.push(why.join(", "));
        }
    }
    if failing.is_empty() {
        return Ok(Outcome {
            status: Status::Pass,
            observed: None,
            expected: None,
            message: format!("{} lie within their rankings", count(rows.len(), "rank")),
            rows: Vec::new(),
        });
    }
    let (observed, expected) = first.map_or((None, None), |(r, t)| (Some(r), t));
    Ok(Outcome {
        status: Status::Fail,
        observed,
        expected,
        message: format!(
            "{} of {} do not fit their ranking: {}",
            failing.len(),
            count(rows.len(), "rank"),
            problems.join("; ")
        ),
        rows: failing.into_iter().map(|r| (Input::Records, r)).collect(),
    })
}
