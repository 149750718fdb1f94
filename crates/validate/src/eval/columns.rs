//! Column tests as dbt has them: `not_null`, `unique`, `accepted_values`.

use chiso_model::Status;
use polars::prelude::*;

use super::{EvalResult, Inputs, Outcome, count, u32s};
use crate::selection::{Input, Selection};

fn height(lf: LazyFrame) -> EvalResult<usize> {
    let n = lf.select([len().alias("n")]).collect()?;
    Ok(u32s(&n, "n")?.first().copied().unwrap_or(0) as usize)
}

fn outcome(checked: usize, bad_rows: Vec<u32>, pass: String, fail: String) -> Outcome {
    let bad = bad_rows.len();
    Outcome {
        status: if bad == 0 { Status::Pass } else { Status::Fail },
        observed: Some(bad as f64),
        expected: Some(0.0),
        message: if bad == 0 {
            pass
        } else {
            format!("{} of {}: {fail}", bad, count(checked, "row"))
        },
        rows: bad_rows.into_iter().map(|r| (Input::Records, r)).collect(),
    }
}

pub(crate) fn not_null(
    inputs: &Inputs<'_>,
    select: &Selection,
    column: &str,
) -> EvalResult<Outcome> {
    let selected = inputs.select(select);
    let checked = height(selected.clone())?;
    if checked == 0 {
        return Ok(Outcome::skip("the selection matches no indicator row"));
    }
    let nulls = selected
        .filter(col(column).is_null())
        .select([col("row")])
        .sort(["row"], SortMultipleOptions::default())
        .collect()?;
    Ok(outcome(
        checked,
        u32s(&nulls, "row")?,
        format!("{column} has a value in {}", count(checked, "row")),
        format!("{column} is empty"),
    ))
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
    Ok(outcome(
        checked,
        u32s(&rows, "row")?,
        format!("({what}) is unique over {}", count(checked, "row")),
        format!("({what}) repeats"),
    ))
}

pub(crate) fn accepted_values(
    inputs: &Inputs<'_>,
    select: &Selection,
    column: &str,
    values: &[String],
) -> EvalResult<Outcome> {
    let selected = inputs.select(select);
    let checked = height(selected.clone())?;
    if checked == 0 {
        return Ok(Outcome::skip("the selection matches no indicator row"));
    }
    let mut accepted = lit(false);
    for v in values {
        accepted = accepted.or(col(column).eq(lit(v.as_str())));
    }
    // Like dbt, empty cells are for not_null to judge.
    let rows = selected
        .filter(col(column).is_not_null().and(accepted.not()))
        .select([col("row")])
        .sort(["row"], SortMultipleOptions::default())
        .collect()?;
    Ok(outcome(
        checked,
        u32s(&rows, "row")?,
        format!(
            "{column} takes accepted values in {}",
            count(checked, "row")
        ),
        format!("{column} is not one of {}", values.join(", ")),
    ))
}
