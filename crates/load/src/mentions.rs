//! `mentions.parquet`: every numeric expression found in every source, typed.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use arrow::array::{
    ArrayRef, Date32Builder, Float64Builder, Int32Builder, Int64Builder, RecordBatch,
    StringBuilder, StringDictionaryBuilder,
};
use arrow::datatypes::Int32Type;
use chiso_model::{Mention, PeriodRef};

use crate::convert::{index32, int32, int64};
use crate::writer::{FileMeta, write_batch};
use crate::{Error, Result, mentions_schema};

const TABLE: &str = "mentions";

/// One row of `mentions.parquet`: a mention with the source and sentence it was found in.
#[derive(Debug, Clone, PartialEq)]
pub struct MentionRow {
    /// Id of the source the mention was found in.
    pub source_id: String,
    /// The mention.
    pub mention: Mention,
    /// The indicator the mention was read as the value of, if any.
    pub indicator: Option<String>,
    /// The sentence around the mention.
    pub sentence: String,
}

/// The `period_label` of a period reference: the period's label when the text stated the year,
/// otherwise what the text said and a note that the year comes from context.
pub fn period_ref_label(period: PeriodRef) -> String {
    match period {
        PeriodRef::Fixed(p) => p.label(),
        PeriodRef::Quarter(q) => format!("Q{q} (year from context)"),
        PeriodRef::Month(m) => format!("month {m:02} (year from context)"),
        PeriodRef::Months { from, to } => {
            format!("months {from:02}-{to:02} (year from context)")
        }
    }
}

/// Builds the record batch of `mentions.parquet`, rows in the order given.
///
/// `mention_index` is the 0-based position of a row among the rows of its source.
pub fn mentions_batch(rows: &[MentionRow]) -> Result<RecordBatch> {
    let n = rows.len();
    let mut source_id = StringDictionaryBuilder::<Int32Type>::new();
    let mut mention_index = Int32Builder::with_capacity(n);
    let mut kind = StringDictionaryBuilder::<Int32Type>::new();
    let mut text = StringBuilder::new();
    let mut char_start = Int64Builder::with_capacity(n);
    let mut char_end = Int64Builder::with_capacity(n);
    let mut value_low = Float64Builder::with_capacity(n);
    let mut value_high = Float64Builder::with_capacity(n);
    let mut unit = StringDictionaryBuilder::<Int32Type>::new();
    let mut comparator = StringDictionaryBuilder::<Int32Type>::new();
    let mut rank_total = Int32Builder::with_capacity(n);
    let mut of_total = Float64Builder::with_capacity(n);
    let mut counted_noun = StringBuilder::new();
    let mut period_start = Date32Builder::with_capacity(n);
    let mut period_end = Date32Builder::with_capacity(n);
    let mut period_label = StringDictionaryBuilder::<Int32Type>::new();
    let mut reading = StringBuilder::new();
    let mut indicator = StringDictionaryBuilder::<Int32Type>::new();
    let mut sentence = StringBuilder::new();

    let mut next_index: HashMap<&str, usize> = HashMap::new();
    for row in rows {
        let m = &row.mention;
        let index = next_index.entry(row.source_id.as_str()).or_insert(0);
        source_id.append_value(&row.source_id);
        mention_index.append_value(index32(TABLE, "mention_index", *index)?);
        *index += 1;
        kind.append_value(m.kind.as_str());
        text.append_value(&m.text);
        char_start.append_value(int64(TABLE, "char_start", m.span.start)?);
        char_end.append_value(int64(TABLE, "char_end", m.span.end)?);
        value_low.append_option(m.value_low);
        value_high.append_option(m.value_high);
        unit.append_option(m.unit.map(|u| u.as_str()));
        comparator.append_value(m.comparator.as_str());
        rank_total.append_option(
            m.rank_total
                .map(|t| int32(TABLE, "rank_total", t))
                .transpose()?,
        );
        of_total.append_option(m.of_total);
        counted_noun.append_option(m.counted_noun.as_deref());
        let fixed = m.period.and_then(PeriodRef::fixed);
        period_start.append_option(fixed.map(|p| p.start().days_since_epoch()));
        period_end.append_option(fixed.map(|p| p.end().days_since_epoch()));
        period_label.append_option(m.period.map(period_ref_label));
        reading.append_option(m.reading.as_deref());
        indicator.append_option(row.indicator.as_deref());
        sentence.append_value(&row.sentence);
    }

    let columns: Vec<ArrayRef> = vec![
        Arc::new(source_id.finish()),
        Arc::new(mention_index.finish()),
        Arc::new(kind.finish()),
        Arc::new(text.finish()),
        Arc::new(char_start.finish()),
        Arc::new(char_end.finish()),
        Arc::new(value_low.finish()),
        Arc::new(value_high.finish()),
        Arc::new(unit.finish()),
        Arc::new(comparator.finish()),
        Arc::new(rank_total.finish()),
        Arc::new(of_total.finish()),
        Arc::new(counted_noun.finish()),
        Arc::new(period_start.finish()),
        Arc::new(period_end.finish()),
        Arc::new(period_label.finish()),
        Arc::new(reading.finish()),
        Arc::new(indicator.finish()),
        Arc::new(sentence.finish()),
    ];
    RecordBatch::try_new(mentions_schema(), columns).map_err(|source| Error::Arrow {
        table: TABLE,
        source,
    })
}

/// Writes `mentions.parquet` atomically, rows in the order given (the caller sorts).
pub fn write_mentions(path: &Path, rows: &[MentionRow], meta: &FileMeta) -> Result<()> {
    let batch = mentions_batch(rows)?;
    write_batch(path, &batch, meta)
}

#[cfg(test)]
mod tests {
    use chiso_model::Period;

    use super::*;

    #[test]
    fn yearless_periods_get_a_label_saying_so() {
        let cases = [
            (
                PeriodRef::Fixed(Period::Quarter { year: 2023, q: 1 }),
                "2023-Q1",
            ),
            (PeriodRef::Quarter(3), "Q3 (year from context)"),
            (PeriodRef::Month(10), "month 10 (year from context)"),
            (
                PeriodRef::Months { from: 1, to: 6 },
                "months 01-06 (year from context)",
            ),
        ];
        for (period, label) in cases {
            assert_eq!(period_ref_label(period), label);
        }
    }
}
