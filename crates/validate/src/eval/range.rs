//! `range`: the selected values lie within `min` and `max` (inclusive).

use chiso_model::Status;
use polars::prelude::*;

use super::{EvalResult, Inputs, Outcome, bools, count, f64s, show, u32s, worst_first};
use crate::selection::{Input, Selection};

pub(crate) fn eval(
    inputs: &Inputs<'_>,
    select: &Selection,
    min: Option<f64>,
    max: Option<f64>,
) -> EvalResult<Outcome> {
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
    let checked = worst_first(
        inputs.select(select).select([
            col("row"),
            low,
            high,
            below.alias("below"),
            above.alias("above"),
            excess.alias("excess"),
        ]),
        "excess",
    )?;
    if checked.height() == 0 {
        return Ok(Outcome::skip("the selection matches no indicator row"));
    }
    let rows = u32s(&checked, "row")?;
    let below = bools(&checked, "below")?;
    let above = bools(&checked, "above")?;
    let lows = f64s(&checked, "value_low")?;
    let highs = f64s(&checked, "value_high")?;
    let bounds = match (min, max) {
        (Some(lo), Some(hi)) => format!("[{lo}, {hi}]"),
        (Some(lo), None) => format!(">= {lo}"),
        (None, Some(hi)) => format!("<= {hi}"),
        (None, None) => "any value".to_owned(),
    };
    let failing: Vec<u32> = rows
        .iter()
        .enumerate()
        .filter(|(i, _)| below[*i] || above[*i])
        .map(|(_, r)| *r)
        .collect();
    if failing.is_empty() {
        return Ok(Outcome {
            status: Status::Pass,
            observed: None,
            expected: None,
            message: format!("{} lie within {bounds}", count(rows.len(), "row")),
            rows: Vec::new(),
        });
    }
    // Sorted by how far outside the bounds, so the first row is the worst.
    let (lo, hi) = (lows[0].unwrap_or(f64::NAN), highs[0].unwrap_or(f64::NAN));
    let (observed, expected) = if below[0] { (lo, min) } else { (hi, max) };
    Ok(Outcome {
        status: Status::Fail,
        observed: Some(observed),
        expected,
        message: format!(
            "{} of {} lie outside {bounds}; the farthest states {}",
            failing.len(),
            count(rows.len(), "row"),
            show(lo, hi)
        ),
        rows: failing.into_iter().map(|r| (Input::Records, r)).collect(),
    })
}
