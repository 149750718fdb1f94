//! `validation.parquet`: one row per evaluated rule check, with the rows it concerns.

use std::path::Path;
use std::sync::Arc;

use arrow::array::{
    ArrayRef, Float64Builder, ListArray, RecordBatch, StringBuilder, StringDictionaryBuilder,
    StructArray,
};
use arrow::buffer::OffsetBuffer;
use arrow::datatypes::Int32Type;
use chiso_model::{ConcernedRow, RuleResult};

use crate::schema::{concerned_row_fields, concerned_row_item};
use crate::writer::{FileMeta, write_batch};
use crate::{Error, Result, validation_schema};

const TABLE: &str = "validation";

/// The concerned rows of all results, flattened, as the values of the `rows` list column.
fn concerned_rows_array<'a>(rows: impl Iterator<Item = &'a ConcernedRow>) -> Result<StructArray> {
    let mut source_id = StringBuilder::new();
    let mut indicator = StringBuilder::new();
    let mut geo_code = StringBuilder::new();
    let mut period_label = StringBuilder::new();
    let mut value_low = Float64Builder::new();
    let mut value_high = Float64Builder::new();
    let mut quote = StringBuilder::new();
    for r in rows {
        source_id.append_value(&r.source_id);
        indicator.append_value(&r.indicator);
        geo_code.append_option(r.geo_code.as_deref());
        period_label.append_option(r.period_label.as_deref());
        value_low.append_value(r.value_low);
        value_high.append_value(r.value_high);
        quote.append_value(&r.quote);
    }
    let children: Vec<ArrayRef> = vec![
        Arc::new(source_id.finish()),
        Arc::new(indicator.finish()),
        Arc::new(geo_code.finish()),
        Arc::new(period_label.finish()),
        Arc::new(value_low.finish()),
        Arc::new(value_high.finish()),
        Arc::new(quote.finish()),
    ];
    StructArray::try_new(concerned_row_fields(), children, None).map_err(|source| Error::Arrow {
        table: TABLE,
        source,
    })
}

/// Builds the record batch of `validation.parquet`, rows in the order given.
pub fn validation_batch(results: &[RuleResult]) -> Result<RecordBatch> {
    let n = results.len();
    let mut rule_id = StringBuilder::new();
    let mut rule_kind = StringDictionaryBuilder::<Int32Type>::new();
    let mut severity = StringDictionaryBuilder::<Int32Type>::new();
    let mut status = StringDictionaryBuilder::<Int32Type>::new();
    let mut observed = Float64Builder::with_capacity(n);
    let mut expected = Float64Builder::with_capacity(n);
    let mut message = StringBuilder::new();
    for r in results {
        rule_id.append_value(&r.rule_id);
        rule_kind.append_value(&r.rule_kind);
        severity.append_value(r.severity.as_str());
        status.append_value(r.status.as_str());
        observed.append_option(r.observed);
        expected.append_option(r.expected);
        message.append_value(&r.message);
    }
    let total: usize = results.iter().map(|r| r.rows.len()).sum();
    if i32::try_from(total).is_err() {
        return Err(Error::OutOfRange {
            table: TABLE,
            column: "rows",
            value: total.to_string(),
            target: "list<int32 offsets>",
        });
    }
    let values = concerned_rows_array(results.iter().flat_map(|r| r.rows.iter()))?;
    // `from_lengths` panics only when the lengths overflow i32, which was excluded above.
    let offsets = OffsetBuffer::<i32>::from_lengths(results.iter().map(|r| r.rows.len()));
    let rows = ListArray::try_new(concerned_row_item(), offsets, Arc::new(values), None).map_err(
        |source| Error::Arrow {
            table: TABLE,
            source,
        },
    )?;

    let columns: Vec<ArrayRef> = vec![
        Arc::new(rule_id.finish()),
        Arc::new(rule_kind.finish()),
        Arc::new(severity.finish()),
        Arc::new(status.finish()),
        Arc::new(observed.finish()),
        Arc::new(expected.finish()),
        Arc::new(message.finish()),
        Arc::new(rows),
    ];
    RecordBatch::try_new(validation_schema(), columns).map_err(|source| Error::Arrow {
        table: TABLE,
        source,
    })
}

/// Writes `validation.parquet` atomically, rows in the order given (the caller sorts).
pub fn write_validation(path: &Path, rows: &[RuleResult], meta: &FileMeta) -> Result<()> {
    let batch = validation_batch(rows)?;
    write_batch(path, validation_schema(), &batch, meta)
}
