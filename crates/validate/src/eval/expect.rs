//! `expect`: the selected rows state the expected value.

use polars::prelude::*;

use super::rowwise::{RowCheck, Tally, deviations};
use super::{EvalResult, Inputs, Outcome, abs_diff, count, distance_to, show};
use crate::rules::{Expected, Tolerance};
use crate::selection::Selection;

/// Checks each selected row of a chunk.
pub(crate) fn check(
    inputs: &Inputs<'_>,
    select: &Selection,
    expected: Expected,
    tolerance: Tolerance,
) -> EvalResult<Vec<RowCheck>> {
    let (low, high) = (col("value_low"), col("value_high"));
    let (ok, deviation, expected_value) = match expected {
        Expected::Value(x) => {
            let t = tolerance.around(x);
            // A single value must be within t of x; a range must contain x (widened by t).
            let ok = low
                .clone()
                .lt_eq(lit(x + t))
                .and(high.clone().gt_eq(lit(x - t)));
            let deviation = distance_to(low.clone(), high.clone(), lit(x));
            (ok, deviation, x)
        }
        Expected::Range { low: lo, high: hi } => {
            let (tl, th) = (tolerance.around(lo), tolerance.around(hi));
            let ok = abs_diff(low.clone(), lit(lo))
                .lt_eq(lit(tl))
                .and(abs_diff(high.clone(), lit(hi)).lt_eq(lit(th)));
            let deviation = abs_diff(low.clone(), lit(lo)) + abs_diff(high.clone(), lit(hi));
            (ok, deviation, lo)
        }
    };
    let checked = inputs
        .select(select)
        .select([
            col("row"),
            low,
            high,
            ok.alias("ok"),
            deviation.alias("deviation"),
            lit(expected_value).alias("expected"),
        ])
        .collect()?;
    Ok(deviations(&checked)?)
}

/// The result of the whole input.
pub(crate) fn conclude(t: &Tally, expected: Expected, tolerance: Tolerance) -> Outcome {
    let (true, Some(worst)) = (t.checked > 0, t.worst()) else {
        return Outcome::skip("the selection matches no indicator row");
    };
    let wanted = match expected {
        Expected::Value(x) => format!("{x}"),
        Expected::Range { low, high } => show(low, high),
    };
    let how = tolerance.describe();
    let checked = count(t.checked as usize, "row");
    let (status, message) = if t.failing == 0 {
        (
            chiso_model::Status::Pass,
            format!("{checked} state {wanted} ({how})"),
        )
    } else {
        (
            chiso_model::Status::Fail,
            format!(
                "{} of {checked} differ from {wanted} ({how}); the farthest states {}",
                t.failing,
                show(worst.low, worst.high)
            ),
        )
    };
    Outcome::of_worst(status, worst, message)
}
