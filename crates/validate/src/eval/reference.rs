//! `reference`: values agree with an official table, joined on place and period.

use chiso_model::Status;
use polars::prelude::*;

use super::{
    EvalError, EvalResult, Inputs, Outcome, abs, bools, count, distance_to, f64s, show, strs, u32s,
    worst_first,
};
use crate::EvalContext;
use crate::rules::{ReferenceTable, Tolerance};
use crate::selection::{Input, Selection};
use crate::table::{self, file_name};

pub(crate) fn eval(
    inputs: &Inputs<'_>,
    select: &Selection,
    table: &ReferenceTable,
    tolerance: Tolerance,
    ctx: &EvalContext,
) -> EvalResult<Outcome> {
    let loaded = table::load(table, ctx).map_err(EvalError::Message)?;
    let name = file_name(&table.path);
    let keys = [col("geo_code"), col("period_label")];
    let duplicates = loaded
        .frame
        .clone()
        .lazy()
        .group_by(keys.clone())
        .agg([len().alias("n")])
        .filter(col("n").gt(lit(1)))
        .sort(["geo_code", "period_label"], SortMultipleOptions::default())
        .collect()?;
    if duplicates.height() > 0 {
        let (geo, period) = (
            strs(&duplicates, "geo_code")?,
            strs(&duplicates, "period_label")?,
        );
        return Err(EvalError::Message(format!(
            "{name} gives more than one value for {} {}",
            geo[0].as_deref().unwrap_or(""),
            period[0].as_deref().unwrap_or("")
        )));
    }
    let tol = match tolerance {
        Tolerance::Absolute(t) => lit(t),
        Tolerance::Percent(p) => abs(col("reference")) * lit(p / 100.0),
    };
    let (low, high, reference) = (col("value_low"), col("value_high"), col("reference"));
    let joined = inputs
        .select(select)
        .join(
            loaded.frame.lazy(),
            keys.clone(),
            keys,
            JoinArgs::new(JoinType::Inner),
        )
        .select([
            col("row"),
            low.clone(),
            high.clone(),
            reference.clone(),
            low.clone()
                .lt_eq(reference.clone() + tol.clone())
                .and(high.clone().gt_eq(reference.clone() - tol))
                .alias("ok"),
            distance_to(low, high, reference).alias("deviation"),
        ]);
    let checked = worst_first(joined, "deviation")?;
    let unresolved = if loaded.unresolved.is_empty() {
        String::new()
    } else {
        format!(
            "; {} in {name} not resolved: {}",
            count(loaded.unresolved.len(), "place"),
            loaded.unresolved.join(", ")
        )
    };
    if checked.height() == 0 {
        return Ok(Outcome::skip(format!(
            "no selected row has a place and period found in {name}{unresolved}"
        )));
    }
    let rows = u32s(&checked, "row")?;
    let oks = bools(&checked, "ok")?;
    let (lows, highs, refs) = (
        f64s(&checked, "value_low")?,
        f64s(&checked, "value_high")?,
        f64s(&checked, "reference")?,
    );
    let failing: Vec<u32> = rows
        .iter()
        .zip(&oks)
        .filter(|(_, ok)| !**ok)
        .map(|(r, _)| *r)
        .collect();
    // Sorted by deviation: the first row is the farthest from the table.
    let (wl, wh) = (lows[0].unwrap_or(f64::NAN), highs[0].unwrap_or(f64::NAN));
    let observed = (wl == wh).then_some(wl);
    if failing.is_empty() {
        return Ok(Outcome {
            status: Status::Pass,
            observed,
            expected: refs[0],
            message: format!(
                "{} agree with {name} ({}){unresolved}",
                count(rows.len(), "row"),
                tolerance.describe()
            ),
            rows: rows.into_iter().map(|r| (Input::Records, r)).collect(),
        });
    }
    Ok(Outcome {
        status: Status::Fail,
        observed,
        expected: refs[0],
        message: format!(
            "{} of {} differ from {name} ({}); the farthest states {} where the table gives {}{unresolved}",
            failing.len(),
            count(rows.len(), "row"),
            tolerance.describe(),
            show(wl, wh),
            refs[0].unwrap_or(f64::NAN)
        ),
        rows: failing.into_iter().map(|r| (Input::Records, r)).collect(),
    })
}
