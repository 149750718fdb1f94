//! `expect`: the selected rows state the expected value.

use polars::prelude::*;

use super::{
    EvalResult, Inputs, Outcome, abs_diff, bools, count, distance_to, f64s, show, u32s, worst_first,
};
use crate::rules::{Expected, Tolerance};
use crate::selection::{Input, Selection};

pub(crate) fn eval(
    inputs: &Inputs<'_>,
    select: &Selection,
    expected: Expected,
    tolerance: Tolerance,
) -> EvalResult<Outcome> {
    let (low, high) = (col("value_low"), col("value_high"));
    let (ok, deviation, expected_value, wanted) = match expected {
        Expected::Value(x) => {
            let t = tolerance.around(x);
            // A single value must be within t of x; a range must contain x (widened by t).
            let ok = low
                .clone()
                .lt_eq(lit(x + t))
                .and(high.clone().gt_eq(lit(x - t)));
            let deviation = distance_to(low.clone(), high.clone(), lit(x));
            (ok, deviation, x, format!("{x}"))
        }
        Expected::Range { low: lo, high: hi } => {
            let (tl, th) = (tolerance.around(lo), tolerance.around(hi));
            let ok = abs_diff(low.clone(), lit(lo))
                .lt_eq(lit(tl))
                .and(abs_diff(high.clone(), lit(hi)).lt_eq(lit(th)));
            let deviation = abs_diff(low.clone(), lit(lo)) + abs_diff(high.clone(), lit(hi));
            (ok, deviation, lo, show(lo, hi))
        }
    };
    let checked = worst_first(
        inputs.select(select).select([
            col("row"),
            low,
            high,
            ok.alias("ok"),
            deviation.alias("deviation"),
        ]),
        "deviation",
    )?;
    if checked.height() == 0 {
        return Ok(Outcome::skip("the selection matches no indicator row"));
    }
    let rows = u32s(&checked, "row")?;
    let oks = bools(&checked, "ok")?;
    let lows = f64s(&checked, "value_low")?;
    let highs = f64s(&checked, "value_high")?;
    // Sorted by deviation, so the first row is the worst.
    let (worst_low, worst_high) = (lows[0].unwrap_or(f64::NAN), highs[0].unwrap_or(f64::NAN));
    let observed = (worst_low == worst_high).then_some(worst_low);
    let failing: Vec<u32> = rows
        .iter()
        .zip(&oks)
        .filter(|(_, ok)| !**ok)
        .map(|(r, _)| *r)
        .collect();
    let how = tolerance.describe();
    if failing.is_empty() {
        return Ok(Outcome {
            status: chiso_model::Status::Pass,
            observed,
            expected: Some(expected_value),
            message: format!("{} state {wanted} ({how})", count(rows.len(), "row")),
            rows: rows.into_iter().map(|r| (Input::Records, r)).collect(),
        });
    }
    Ok(Outcome {
        status: chiso_model::Status::Fail,
        observed,
        expected: Some(expected_value),
        message: format!(
            "{} of {} differ from {wanted} ({how}); the farthest states {}",
            failing.len(),
            count(rows.len(), "row"),
            show(worst_low, worst_high)
        ),
        rows: failing.into_iter().map(|r| (Input::Records, r)).collect(),
    })
}
