//! Reference tables: official CSV tables read into a long polars frame
//! (`geo_code`, `period_label`, `reference`, `table_line`).

use std::path::Path;

use polars::prelude::{Column, DataFrame};

use crate::EvalContext;
use crate::rules::{PeriodLayout, PlaceColumn, ReferenceTable};

/// A reference table in long form.
pub(crate) struct LoadedTable {
    /// Columns `geo_code`, `period_label`, `reference` (scaled to record units), `table_line`.
    pub frame: DataFrame,
    /// Place names the resolver did not know, in table order.
    pub unresolved: Vec<String>,
}

/// Cells that mean "no value" in statistical tables.
const MISSING: &[&str] = &["", "-", "..", "...", "…", "NA", "n/a"];

/// Reads the table a rule names. Errors are messages for an `error` result.
pub(crate) fn load(table: &ReferenceTable, ctx: &EvalContext) -> Result<LoadedTable, String> {
    let path = if table.path.is_absolute() {
        table.path.clone()
    } else {
        ctx.base_dir.join(&table.path)
    };
    let shown = path.display().to_string();
    if !path.is_file() {
        return Err(format!("reference table {shown} does not exist"));
    }
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(&path)
        .map_err(|e| format!("cannot read reference table {shown}: {e}"))?;
    let headers = reader
        .headers()
        .map_err(|e| format!("cannot read the header of {shown}: {e}"))?
        .clone();
    let find = |name: &str| {
        headers.iter().position(|h| h == name).ok_or_else(|| {
            format!(
                "{shown} has no column {name:?} (columns: {})",
                headers.iter().collect::<Vec<_>>().join(", ")
            )
        })
    };
    let place_index = match &table.place {
        PlaceColumn::Name(c) | PlaceColumn::Code(c) => find(c)?,
    };
    // (column index, period label) of every value column.
    let value_columns: Vec<(usize, Option<String>)> = match &table.layout {
        PeriodLayout::YearColumns => {
            let years: Vec<(usize, Option<String>)> = headers
                .iter()
                .enumerate()
                .filter(|(_, h)| h.len() == 4 && h.bytes().all(|b| b.is_ascii_digit()))
                .map(|(i, h)| (i, Some(h.to_owned())))
                .collect();
            if years.is_empty() {
                return Err(format!(
                    "{shown} has no year columns (headers like 2010, 2012)"
                ));
            }
            years
        }
        PeriodLayout::Long { value_column, .. } => vec![(find(value_column)?, None)],
    };
    let period_index = match &table.layout {
        PeriodLayout::Long { period_column, .. } => Some(find(period_column)?),
        PeriodLayout::YearColumns => None,
    };

    let (mut geo, mut period, mut reference, mut line_no) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut unresolved = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| format!("cannot read {shown}: {e}"))?;
        let line = record.position().map_or(0, |p| p.line());
        let cell = |i: usize| record.get(i).unwrap_or("");
        let place = cell(place_index);
        let code = match &table.place {
            PlaceColumn::Code(_) => Some(place.to_owned()),
            PlaceColumn::Name(_) => {
                let resolve = ctx
                    .resolve_place
                    .as_ref()
                    .ok_or_else(|| "`place_column` holds names, and no place resolver was given; use `place_code_column` or pass one".to_owned())?;
                resolve(place)
            }
        };
        let Some(code) = code.filter(|c| !c.is_empty()) else {
            if !place.is_empty() {
                unresolved.push(place.to_owned());
            }
            continue;
        };
        for (index, label) in &value_columns {
            let text = cell(*index);
            if MISSING.contains(&text) {
                continue;
            }
            let value: f64 = text.parse().map_err(|_| {
                format!(
                    "{shown} line {line}, column {:?}: {text:?} is not a number",
                    headers.get(*index).unwrap_or("")
                )
            })?;
            // A wide table labels every value column; a long one has a period column.
            let label = label
                .clone()
                .or_else(|| period_index.map(|p| cell(p).to_owned()))
                .unwrap_or_default();
            geo.push(code.clone());
            period.push(label);
            reference.push(value * table.scale);
            line_no.push(line as i64);
        }
    }
    let frame = DataFrame::new(
        geo.len(),
        vec![
            Column::new("geo_code".into(), geo),
            Column::new("period_label".into(), period),
            Column::new("reference".into(), reference),
            Column::new("table_line".into(), line_no),
        ],
    )
    .map_err(|e| format!("cannot build a frame from {shown}: {e}"))?;
    Ok(LoadedTable { frame, unresolved })
}

/// The file name of a table for messages.
pub(crate) fn file_name(path: &Path) -> String {
    path.display().to_string()
}
