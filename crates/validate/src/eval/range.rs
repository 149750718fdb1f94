//! `range`: the selected values lie within `min` and `max` (inclusive).

use chiso_model::Status;
use polars::prelude::*;

use super::rowwise::{RowCheck, Tally};
use super::{EvalResult, Inputs, Outcome, bools, count, f64s, show, u32s};
use crate::selection::Selection;

/// Checks each selected row of a chunk.
pub(crate) fn check(
    inputs: &Inputs<'_>,
    select: &Selection,
    min: Option<f64>,
    max: Option<f64>,
) -> EvalResult<Vec<RowCheck>> {
    let (low, high) = (col("value_low"), col("value_high"));
    let below = min.map_or(lit(false), |m| low.clone().lt(lit(m)));
    let above = max.map_or(lit(false), |m| high.clone().gt(lit(m)));
    let excess = min.map_or(lit(0.0), |m| {
        when(below.clone())
            .then(lit(m) - low.clone())
            .otherwise(lit(0.0))
    }) + max.map_or(lit(0.0), |m| {
        when(above.clone())
            .then(high.clone() - lit(m))
            .otherwise(lit(0.0))
    });
    let checked = inputs
        .select(select)
        .select([
            col("row"),
            low,
            high,
            below.alias("below"),
            above.alias("above"),
            excess.alias("excess"),
        ])
        .collect()?;
    let rows = u32s(&checked, "row")?;
    let (below, above) = (bools(&checked, "below")?, bools(&checked, "above")?);
    let (lows, highs) = (f64s(&checked, "value_low")?, f64s(&checked, "value_high")?);
    let excess = f64s(&checked, "excess")?;
    Ok((0..rows.len())
        .map(|i| {
            let (low, high) = (lows[i].unwrap_or(f64::NAN), highs[i].unwrap_or(f64::NAN));
            // The value and the bound it crosses.
            let (observed, expected) = if below[i] { (low, min) } else { (high, max) };
            RowCheck {
                row: rows[i],
                ok: !(below[i] || above[i]),
                score: excess[i].unwrap_or(f64::INFINITY),
                low,
                high,
                observed: Some(observed),
                expected,
                problem: None,
            }
        })
        .collect())
}

/// The result of the whole input.
pub(crate) fn conclude(t: &Tally, min: Option<f64>, max: Option<f64>) -> Outcome {
    if t.checked == 0 {
        return Outcome::skip("the selection matches no indicator row");
    }
    let bounds = match (min, max) {
        (Some(lo), Some(hi)) => format!("[{lo}, {hi}]"),
        (Some(lo), None) => format!(">= {lo}"),
        (None, Some(hi)) => format!("<= {hi}"),
        (None, None) => "any value".to_owned(),
    };
    let checked = count(t.checked as usize, "row");
    match t.worst() {
        // Sorted by how far outside the bounds, so the first row is the worst.
        Some(worst) if t.failing > 0 => Outcome::of_worst(
            Status::Fail,
            worst,
            format!(
                "{} of {checked} lie outside {bounds}; the farthest states {}",
                t.failing,
                show(worst.low, worst.high)
            ),
        ),
        _ => Outcome {
            status: Status::Pass,
            observed: None,
            expected: None,
            message: format!("{checked} lie within {bounds}"),
        },
    }
}
