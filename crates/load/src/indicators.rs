//! `indicators.parquet`: one row per indicator statement.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use arrow::array::{
    ArrayRef, Date32Builder, Float64Builder, Int32Builder, Int64Builder, RecordBatch, StringBuilder,
};
use chiso_model::IndicatorRecord;

use crate::convert::{int32, int64};
use crate::dict_column::DictColumn;
use crate::dict_column::{RunColumn, run_bytes};
use crate::writer::{FileMeta, write_batch};
use crate::{Error, Result, indicators_batch_schema, indicators_schema};

const TABLE: &str = "indicators";

/// Builds the record batch of `indicators.parquet`, rows in the order given. Its schema is
/// [`crate::indicators_batch_schema`] (`quote` once per run of rows): write it to a file of
/// [`crate::indicators_schema`].
pub fn indicators_batch(rows: &[IndicatorRecord]) -> Result<RecordBatch> {
    let n = rows.len();
    let mut source_id = DictColumn::new(TABLE, "source_id", n);
    let mut indicator = DictColumn::new(TABLE, "indicator", n);
    let mut geo_code = DictColumn::new(TABLE, "geo_code", n);
    let mut geo_id = DictColumn::new(TABLE, "geo_id", n);
    let mut geo_name = DictColumn::new(TABLE, "geo_name", n);
    let mut period_start = Date32Builder::with_capacity(n);
    let mut period_end = Date32Builder::with_capacity(n);
    let mut period_label = DictColumn::new(TABLE, "period_label", n);
    let mut measure = DictColumn::new(TABLE, "measure", n);
    let mut base = DictColumn::new(TABLE, "base", n);
    let mut base_period = DictColumn::new(TABLE, "base_period", n);
    let mut kind = DictColumn::new(TABLE, "kind", n);
    let mut comparator = DictColumn::new(TABLE, "comparator", n);
    let mut value = Float64Builder::with_capacity(n);
    let mut value_low = Float64Builder::with_capacity(n);
    let mut value_high = Float64Builder::with_capacity(n);
    let mut unit = DictColumn::new(TABLE, "unit", n);
    let mut rank_total = Int32Builder::with_capacity(n);
    let mut of_total = Float64Builder::with_capacity(n);
    let mut rank_group = StringBuilder::new();
    let mut quote = RunColumn::new(
        TABLE,
        "quote",
        n,
        run_bytes(rows.iter().map(|r| (&*r.quote, r.quote.len()))),
    );
    let mut char_start = Int64Builder::with_capacity(n);
    let mut char_end = Int64Builder::with_capacity(n);
    let mut occurrences = Int32Builder::with_capacity(n);

    // A period's label ([`chiso_model::Period::label`]) without a new string for each.
    let mut label = String::new();
    let mut append_label =
        |column: &mut DictColumn, period: Option<chiso_model::Period>| -> Result<()> {
            match period {
                Some(p) => {
                    label.clear();
                    let _ = write!(label, "{p}");
                    column.append(&label)
                }
                None => column.append_option(None),
            }
        };

    for r in rows {
        source_id.append(&r.source_id)?;
        indicator.append(&r.indicator)?;
        geo_code.append_option(r.geo_code.as_deref())?;
        geo_id.append_option(r.geo_id.as_deref())?;
        geo_name.append_option(r.geo_name.as_deref())?;
        period_start.append_option(r.period.map(|p| p.start().days_since_epoch()));
        period_end.append_option(r.period.map(|p| p.end().days_since_epoch()));
        append_label(&mut period_label, r.period)?;
        measure.append(r.measure.as_str())?;
        base.append_option(r.base.map(|b| b.as_str()))?;
        append_label(&mut base_period, r.base_period)?;
        kind.append(r.kind.as_str())?;
        comparator.append(r.comparator.as_str())?;
        value.append_option(r.value());
        value_low.append_value(r.value_low);
        value_high.append_value(r.value_high);
        unit.append(r.unit.as_str())?;
        rank_total.append_option(
            r.rank_total
                .map(|t| int32(TABLE, "rank_total", t))
                .transpose()?,
        );
        of_total.append_option(r.of_total);
        rank_group.append_option(r.rank_group.as_deref());
        quote.append(&r.quote)?;
        char_start.append_value(int64(TABLE, "char_start", r.span.start)?);
        char_end.append_value(int64(TABLE, "char_end", r.span.end)?);
        occurrences.append_value(int32(TABLE, "occurrences", r.occurrences)?);
    }

    let columns: Vec<ArrayRef> = vec![
        Arc::new(source_id.finish()?),
        Arc::new(indicator.finish()?),
        Arc::new(geo_code.finish()?),
        Arc::new(geo_id.finish()?),
        Arc::new(geo_name.finish()?),
        Arc::new(period_start.finish()),
        Arc::new(period_end.finish()),
        Arc::new(period_label.finish()?),
        Arc::new(measure.finish()?),
        Arc::new(base.finish()?),
        Arc::new(base_period.finish()?),
        Arc::new(kind.finish()?),
        Arc::new(comparator.finish()?),
        Arc::new(value.finish()),
        Arc::new(value_low.finish()),
        Arc::new(value_high.finish()),
        Arc::new(unit.finish()?),
        Arc::new(rank_total.finish()),
        Arc::new(of_total.finish()),
        Arc::new(rank_group.finish()),
        Arc::new(quote.finish()?),
        Arc::new(char_start.finish()),
        Arc::new(char_end.finish()),
        Arc::new(occurrences.finish()),
    ];
    RecordBatch::try_new(indicators_batch_schema(), columns).map_err(|source| Error::Arrow {
        table: TABLE,
        source,
    })
}

/// Writes `indicators.parquet` atomically, rows in the order given (the caller sorts).
pub fn write_indicators(path: &Path, rows: &[IndicatorRecord], meta: &FileMeta) -> Result<()> {
    let batch = indicators_batch(rows)?;
    write_batch(path, indicators_schema(), &batch, meta)
}
