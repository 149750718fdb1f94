//! `reference`: values agree with an official table, joined on place and period.

use chiso_model::Status;
use polars::prelude::*;

use super::rowwise::{RowCheck, Tally, deviations};
use super::{EvalResult, Inputs, Outcome, abs, count, distance_to, show, strs};
use crate::EvalContext;
use crate::rules::{ReferenceTable, Tolerance};
use crate::selection::Selection;
use crate::table::{self, LoadedTable, file_name};

/// Reads the table once for the whole run; a table that gives two values for one place and
/// period cannot be used (the message says where).
pub(crate) fn prepare(table: &ReferenceTable, ctx: &EvalContext) -> Result<LoadedTable, String> {
    let loaded = table::load(table, ctx)?;
    let keys = [col("geo_code"), col("period_label")];
    let duplicates = loaded
        .frame
        .clone()
        .lazy()
        .group_by(keys)
        .agg([len().alias("n")])
        .filter(col("n").gt(lit(1)))
        .sort(["geo_code", "period_label"], SortMultipleOptions::default())
        .collect()
        .map_err(|e| format!("evaluation failed: {e}"))?;
    if duplicates.height() > 0 {
        let column = |name| strs(&duplicates, name).map_err(|e| format!("evaluation failed: {e}"));
        let (geo, period) = (column("geo_code")?, column("period_label")?);
        return Err(format!(
            "{} gives more than one value for {} {}",
            file_name(&table.path),
            geo[0].as_deref().unwrap_or(""),
            period[0].as_deref().unwrap_or("")
        ));
    }
    Ok(loaded)
}

/// Checks each selected row of a chunk that the table has a value for.
pub(crate) fn check(
    inputs: &Inputs<'_>,
    select: &Selection,
    loaded: &LoadedTable,
    tolerance: Tolerance,
) -> EvalResult<Vec<RowCheck>> {
    let keys = [col("geo_code"), col("period_label")];
    let tol = match tolerance {
        Tolerance::Absolute(t) => lit(t),
        Tolerance::Percent(p) => abs(col("reference")) * lit(p / 100.0),
    };
    let (low, high, reference) = (col("value_low"), col("value_high"), col("reference"));
    let checked = inputs
        .select(select)
        .join(
            loaded.frame.clone().lazy(),
            keys.clone(),
            keys,
            JoinArgs::new(JoinType::Inner),
        )
        .select([
            col("row"),
            low.clone(),
            high.clone(),
            low.clone()
                .lt_eq(reference.clone() + tol.clone())
                .and(high.clone().gt_eq(reference.clone() - tol))
                .alias("ok"),
            distance_to(low, high, reference.clone()).alias("deviation"),
            reference.alias("expected"),
        ])
        .collect()?;
    Ok(deviations(&checked)?)
}

/// The result of the whole input.
pub(crate) fn conclude(
    t: &Tally,
    table: &ReferenceTable,
    loaded: &LoadedTable,
    tolerance: Tolerance,
) -> Outcome {
    let name = file_name(&table.path);
    let unresolved = if loaded.unresolved.is_empty() {
        String::new()
    } else {
        format!(
            "; {} in {name} not resolved: {}",
            count(loaded.unresolved.len(), "place"),
            loaded.unresolved.join(", ")
        )
    };
    let (true, Some(worst)) = (t.checked > 0, t.worst()) else {
        return Outcome::skip(format!(
            "no selected row has a place and period found in {name}{unresolved}"
        ));
    };
    let checked = count(t.checked as usize, "row");
    let how = tolerance.describe();
    let (status, message) = if t.failing == 0 {
        (
            Status::Pass,
            format!("{checked} agree with {name} ({how}){unresolved}"),
        )
    } else {
        (
            Status::Fail,
            format!(
                "{} of {checked} differ from {name} ({how}); the farthest states {} where the table gives {}{unresolved}",
                t.failing,
                show(worst.low, worst.high),
                worst.expected.unwrap_or(f64::NAN)
            ),
        )
    };
    Outcome::of_worst(status, worst, message)
}
