//! Column tests as dbt has them: `not_null`, `accepted_values` (and `unique`, in
//! [`unique`](super::unique), which compares rows with each other).

use chiso_model::Status;
use polars::prelude::*;

use super::rowwise::{RowCheck, Tally};
use super::{EvalResult, Inputs, Outcome, bools, count, u32s};
use crate::selection::Selection;

/// A column test's outcome: `bad` of `checked` rows fail.
pub(crate) fn outcome(checked: u64, bad: u64, pass: String, fail: String) -> Outcome {
    Outcome {
        status: if bad == 0 { Status::Pass } else { Status::Fail },
        observed: Some(bad as f64),
        expected: Some(0.0),
        message: if bad == 0 {
            pass
        } else {
            format!("{bad} of {}: {fail}", count(checked as usize, "row"))
        },
    }
}

/// Checks each selected row of a chunk: `column` has a value.
pub(crate) fn not_null(
    inputs: &Inputs<'_>,
    select: &Selection,
    column: &str,
) -> EvalResult<Vec<RowCheck>> {
    flagged(inputs, select, col(column).is_null())
}

/// Checks each selected row of a chunk: `column` is empty or one of `values`.
pub(crate) fn accepted_values(
    inputs: &Inputs<'_>,
    select: &Selection,
    column: &str,
    values: &[String],
) -> EvalResult<Vec<RowCheck>> {
    let mut accepted = lit(false);
    for v in values {
        accepted = accepted.or(col(column).eq(lit(v.as_str())));
    }
    // Like dbt, empty cells are for not_null to judge.
    flagged(
        inputs,
        select,
        col(column).is_not_null().and(accepted.not()),
    )
}

/// The selected rows, failing where `bad` holds.
fn flagged(inputs: &Inputs<'_>, select: &Selection, bad: Expr) -> EvalResult<Vec<RowCheck>> {
    let checked = inputs
        .select(select)
        .select([col("row"), bad.fill_null(lit(false)).alias("bad")])
        .collect()?;
    let (rows, bad) = (u32s(&checked, "row")?, bools(&checked, "bad")?);
    Ok(rows
        .into_iter()
        .zip(bad)
        .map(|(row, bad)| RowCheck {
            row,
            ok: !bad,
            score: 0.0,
            low: f64::NAN,
            high: f64::NAN,
            observed: None,
            expected: None,
            problem: None,
        })
        .collect())
}

/// The result of a row-wise column test (`not_null`, `accepted_values`) over the whole input.
pub(crate) fn conclude(t: &Tally, pass: String, fail: String) -> Outcome {
    if t.checked == 0 {
        return Outcome::skip("the selection matches no indicator row");
    }
    outcome(t.checked, t.failing, pass, fail)
}
