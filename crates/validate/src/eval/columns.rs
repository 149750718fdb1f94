//! Column tests as dbt has them: `not_null`, `unique`, `accepted_values`.

use chiso_model::Status;
use polars::prelude::*;

use super::rowwise::{RowCheck, Tally};
use super::{EvalResult, Inputs, Outcome, bools, count, u32s};
use crate::selection::{Input, Selection};

fn height(lf: LazyFrame) -> EvalResult<usize> {
    let n = lf.select([len().alias("n")]).collect()?;
    Ok(u32s(&n, "n")?.first().copied().unwrap_or(0) as usize)
}

fn outcome(checked: u64, bad: u64, pass: String, fail: String) -> Outcome {
    Outcome {
        status: if bad == 0 { Status::Pass } else { Status::Fail },
        observed: Some(bad as f64),
        expected: Some(0.0),
        message: if bad == 0 {
            pass
        } else {
            format!("{bad} of {}: {fail}", count(checked as usize, "row"))
        },
        rows: Vec::new(),
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

pub(crate) fn unique(
    inputs: &Inputs<'_>,
    select: &Selection,
    columns: &[String],
) -> EvalResult<Outcome> {
    let keys: Vec<Expr> = columns.iter().map(|c| col(c.as_str())).collect();
    // Like dbt, rows with an empty key column are not compared.
    let mut present = lit(true);
    for k in &keys {
        present = present.and(k.clone().is_not_null());
    }
    let selected = inputs.select(select).filter(present);
    let checked = height(selected.clone())?;
    if checked == 0 {
        return Ok(Outcome::skip(
            "the selection matches no indicator row with every key column set",
        ));
    }
    let duplicated = selected
        .clone()
        .group_by(keys.clone())
        .agg([len().alias("n")])
        .filter(col("n").gt(lit(1)))
        .select(keys.clone());
    let rows = selected
        .join(
            duplicated,
            keys.clone(),
            keys,
            JoinArgs::new(JoinType::Inner),
        )
        .select([col("row")])
        .sort(["row"], SortMultipleOptions::default())
        .collect()?;
    let what = columns.join(", ");
    let rows = u32s(&rows, "row")?;
    Ok(Outcome {
        rows: rows.iter().map(|&r| (Input::Records, r)).collect(),
        ..outcome(
            checked as u64,
            rows.len() as u64,
            format!("({what}) is unique over {}", count(checked, "row")),
            format!("({what}) repeats"),
        )
    })
}
