//! `ratio`: one value divided by another is the claimed ratio.

use chiso_model::Status;
use polars::prelude::*;

use super::{EvalError, EvalResult, Inputs, Outcome, f64s, sort_for_pick, u32s};
use crate::rules::{Claimed, Tolerance};
use crate::selection::{Input, Pick, Selection};

/// The one value a selection gives: its row and value. `None` when it selects nothing.
fn one_value(
    inputs: &Inputs<'_>,
    sel: &Selection,
    side: &str,
) -> EvalResult<Option<(Input, u32, f64)>> {
    let picked = sort_for_pick(inputs.select_valued(sel), sel.pick)
        .select([col("row"), col("value_low"), col("value_high")])
        .collect()?;
    if picked.height() == 0 {
        return Ok(None);
    }
    if matches!(sel.pick, None | Some(Pick::Only)) && picked.height() > 1 {
        return Err(EvalError::Message(format!(
            "`{side}` selects {} values; narrow it or add pick = \"first\" | \"last\" | \"max\" | \"min\"",
            picked.height()
        )));
    }
    let row = u32s(&picked, "row")?[0];
    let (low, high) = (
        f64s(&picked, "value_low")?[0],
        f64s(&picked, "value_high")?[0],
    );
    match (low, high) {
        (Some(l), Some(h)) if l == h => Ok(Some((sel.input, row, l))),
        _ => Err(EvalError::Message(format!(
            "`{side}` selects a range; a ratio needs single values"
        ))),
    }
}

pub(crate) fn eval(
    inputs: &Inputs<'_>,
    numerator: &Selection,
    denominator: &Selection,
    claimed: &Claimed,
    tolerance: Tolerance,
) -> EvalResult<Outcome> {
    let Some((ni, nr, n)) = one_value(inputs, numerator, "numerator")? else {
        return Ok(Outcome::skip("`numerator` selects no value"));
    };
    let Some((di, dr, d)) = one_value(inputs, denominator, "denominator")? else {
        return Ok(Outcome::skip("`denominator` selects no value"));
    };
    let mut rows = vec![(ni, nr), (di, dr)];
    let claim = match claimed {
        Claimed::Value(v) => *v,
        Claimed::From(sel) => {
            let Some((ci, cr, c)) = one_value(inputs, sel, "value_from")? else {
                return Ok(Outcome::skip("`value_from` selects no value"));
            };
            rows.push((ci, cr));
            c
        }
    };
    if d == 0.0 {
        return Err(EvalError::Message("the denominator is 0".to_owned()));
    }
    let ratio = n / d;
    let holds = (ratio - claim).abs() <= tolerance.around(claim);
    let message = format!(
        "{n} / {d} = {ratio:.4}; the claimed ratio is {claim} ({})",
        tolerance.describe()
    );
    Ok(Outcome {
        status: if holds { Status::Pass } else { Status::Fail },
        observed: Some(ratio),
        expected: Some(claim),
        message,
        rows,
    })
}
