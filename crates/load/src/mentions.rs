//! `mentions.parquet`: every numeric expression found in every source, typed.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use arrow::array::{
    ArrayRef, Date32Builder, Float64Builder, Int32Builder, Int64Builder, RecordBatch, StringBuilder,
};
use chiso_model::{Mention, PeriodRef};

use crate::convert::{index32, int32, int64};
use crate::dict_column::DictColumn;
use crate::dict_column::{RunColumn, run_bytes};
use crate::writer::{FileMeta, write_batch};
use crate::{Error, Result, mentions_batch_schema, mentions_schema};
use chiso_model::fast_hash::FastHash;

const TABLE: &str = "mentions";

/// One row of `mentions.parquet`: a mention with the source and sentence it was found in.
#[derive(Debug, Clone, PartialEq)]
pub struct MentionRow {
    /// Id of the source the mention was found in.
    pub source_id: String,
    /// The mention.
    pub mention: Mention,
    /// The expression as written (the mention's text; see [`Mention::text_in`]).
    pub text: String,
    /// The indicator the mention was read as the value of, if any.
    pub indicator: Option<String>,
    /// The sentence around the mention.
    pub sentence: String,
}

/// The `period_label` of a period reference: the period's label when the text stated the year,
/// otherwise what the text said and a note that the year comes from context.
pub fn period_ref_label(period: PeriodRef) -> String {
    let mut label = String::new();
    write_period_ref_label(&mut label, period);
    label
}

/// [`period_ref_label`], appended to `out`.
fn write_period_ref_label(out: &mut String, period: PeriodRef) {
    // Writing to a `String` cannot fail.
    let _ = match period {
        PeriodRef::Fixed(p) => write!(out, "{p}"),
        PeriodRef::Quarter(q) => write!(out, "Q{q} (year from context)"),
        PeriodRef::Month(m) => write!(out, "month {m:02} (year from context)"),
        PeriodRef::Months { from, to } => {
            write!(out, "months {from:02}-{to:02} (year from context)")
        }
        PeriodRef::Day { month, day } => {
            write!(out, "month {month:02} day {day:02} (year from context)")
        }
        PeriodRef::ToDay { month, day } => {
            write!(out, "to month {month:02} day {day:02} (year from context)")
        }
    };
}

/// Builds the record batch of `mentions.parquet`, rows in the order given. Its schema is
/// [`crate::mentions_batch_schema`] (`sentence` once per run of rows): write it to a file of
/// [`crate::mentions_schema`].
///
/// `mention_index` is the 0-based position of a row among the rows of its source.
pub fn mentions_batch(rows: &[MentionRow]) -> Result<RecordBatch> {
    let mut builder = MentionsBuilder::with_capacity(
        rows.len(),
        rows.iter().map(|r| r.text.len()).sum(),
        run_bytes(rows.iter().map(|r| (r.sentence.as_str(), r.sentence.len()))),
    );
    for row in rows {
        builder.append(
            &row.source_id,
            &row.mention,
            &row.text,
            row.indicator.as_deref(),
            &row.sentence,
        )?;
    }
    builder.finish()
}

/// Builds a `mentions.parquet` batch row by row from borrowed parts, so a caller streaming
/// documents appends each mention without first copying it into a [`MentionRow`].
pub struct MentionsBuilder {
    rows: usize,
    source_id: DictColumn,
    mention_index: Int32Builder,
    kind: DictColumn,
    text: StringBuilder,
    char_start: Int64Builder,
    char_end: Int64Builder,
    value_low: Float64Builder,
    value_high: Float64Builder,
    unit: DictColumn,
    comparator: DictColumn,
    rank_total: Int32Builder,
    of_total: Float64Builder,
    counted_noun: StringBuilder,
    period_start: Date32Builder,
    period_end: Date32Builder,
    period_label: DictColumn,
    reading: StringBuilder,
    indicator: DictColumn,
    sentence: RunColumn,
    /// The next `mention_index` of each source but the current one.
    next_index: HashMap<String, usize, FastHash>,
    /// The source of the last row appended and its next `mention_index` (rows of one source
    /// come together).
    current: Option<(String, usize)>,
    /// Reused for each row's period label.
    label: String,
}

impl std::fmt::Debug for MentionsBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MentionsBuilder")
            .field("rows", &self.rows)
            .finish_non_exhaustive()
    }
}

impl Default for MentionsBuilder {
    fn default() -> Self {
        MentionsBuilder::with_capacity(0, 0, 0)
    }
}

impl MentionsBuilder {
    /// A builder with room for `n` rows, whose texts are `text_bytes` long and whose
    /// sentences `sentence_bytes` (a sentence counted once for a run of its mentions). Sized
    /// so, a long document's rows are built without growing (a column doubled as it filled
    /// takes up to twice its data: tens of megabytes for a document of tens of megabytes).
    pub fn with_capacity(n: usize, text_bytes: usize, sentence_bytes: usize) -> MentionsBuilder {
        MentionsBuilder {
            rows: 0,
            source_id: DictColumn::new(TABLE, "source_id", n),
            mention_index: Int32Builder::with_capacity(n),
            kind: DictColumn::new(TABLE, "kind", n),
            text: StringBuilder::with_capacity(n, text_bytes),
            char_start: Int64Builder::with_capacity(n),
            char_end: Int64Builder::with_capacity(n),
            value_low: Float64Builder::with_capacity(n),
            value_high: Float64Builder::with_capacity(n),
            unit: DictColumn::new(TABLE, "unit", n),
            comparator: DictColumn::new(TABLE, "comparator", n),
            rank_total: Int32Builder::with_capacity(n),
            of_total: Float64Builder::with_capacity(n),
            counted_noun: StringBuilder::with_capacity(n, 0),
            period_start: Date32Builder::with_capacity(n),
            period_end: Date32Builder::with_capacity(n),
            period_label: DictColumn::new(TABLE, "period_label", n),
            reading: StringBuilder::with_capacity(n, 0),
            indicator: DictColumn::new(TABLE, "indicator", n),
            sentence: RunColumn::new(TABLE, "sentence", n, sentence_bytes),
            next_index: HashMap::default(),
            current: None,
            label: String::new(),
        }
    }

    /// Appends one mention of `source_id`, written `text`, found in `sentence`, read as a value of
    /// `indicator`.
    pub fn append(
        &mut self,
        source_id: &str,
        m: &Mention,
        text: &str,
        indicator: Option<&str>,
        sentence: &str,
    ) -> Result<()> {
        let index = match &mut self.current {
            Some((current, next)) if current == source_id => next,
            current => {
                if let Some((other, next)) = current.take() {
                    self.next_index.insert(other, next);
                }
                let next = self.next_index.remove(source_id).unwrap_or(0);
                &mut current.insert((source_id.to_owned(), next)).1
            }
        };
        self.mention_index
            .append_value(index32(TABLE, "mention_index", *index)?);
        *index += 1;
        self.source_id.append(source_id)?;
        self.kind.append(m.kind.as_str())?;
        self.text.append_value(text);
        self.char_start
            .append_value(int64(TABLE, "char_start", m.span.start)?);
        self.char_end
            .append_value(int64(TABLE, "char_end", m.span.end)?);
        self.value_low.append_option(m.value_low);
        self.value_high.append_option(m.value_high);
        self.unit.append_option(m.unit.map(|u| u.as_str()))?;
        self.comparator.append(m.comparator.as_str())?;
        self.rank_total.append_option(
            m.rank_total
                .map(|t| int32(TABLE, "rank_total", t))
                .transpose()?,
        );
        self.of_total.append_option(m.of_total);
        self.counted_noun.append_option(m.counted_noun.as_deref());
        let fixed = m.period.and_then(PeriodRef::fixed);
        self.period_start
            .append_option(fixed.map(|p| p.start().days_since_epoch()));
        self.period_end
            .append_option(fixed.map(|p| p.end().days_since_epoch()));
        match m.period {
            Some(period) => {
                self.label.clear();
                write_period_ref_label(&mut self.label, period);
                self.period_label.append(&self.label)?;
            }
            None => self.period_label.append_option(None)?,
        }
        self.reading.append_option(m.reading);
        self.indicator.append_option(indicator)?;
        self.sentence.append(sentence)?;
        self.rows += 1;
        Ok(())
    }

    /// Rows appended so far.
    pub fn len(&self) -> usize {
        self.rows
    }

    /// Whether no row was appended.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The batch of the rows appended, in order ([`crate::mentions_batch_schema`]).
    pub fn finish(mut self) -> Result<RecordBatch> {
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.source_id.finish()?),
            Arc::new(self.mention_index.finish()),
            Arc::new(self.kind.finish()?),
            Arc::new(self.text.finish()),
            Arc::new(self.char_start.finish()),
            Arc::new(self.char_end.finish()),
            Arc::new(self.value_low.finish()),
            Arc::new(self.value_high.finish()),
            Arc::new(self.unit.finish()?),
            Arc::new(self.comparator.finish()?),
            Arc::new(self.rank_total.finish()),
            Arc::new(self.of_total.finish()),
            Arc::new(self.counted_noun.finish()),
            Arc::new(self.period_start.finish()),
            Arc::new(self.period_end.finish()),
            Arc::new(self.period_label.finish()?),
            Arc::new(self.reading.finish()),
            Arc::new(self.indicator.finish()?),
            Arc::new(self.sentence.finish()?),
        ];
        RecordBatch::try_new(mentions_batch_schema(), columns).map_err(|source| Error::Arrow {
            table: TABLE,
            source,
        })
    }
}

/// Writes `mentions.parquet` atomically, rows in the order given (the caller sorts).
pub fn write_mentions(path: &Path, rows: &[MentionRow], meta: &FileMeta) -> Result<()> {
    let batch = mentions_batch(rows)?;
    write_batch(path, mentions_schema(), &batch, meta)
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
            (PeriodRef::Fixed(Period::day(2023, 6, 30)), "2023-06-30"),
            (
                PeriodRef::Day { month: 11, day: 5 },
                "month 11 day 05 (year from context)",
            ),
        ];
        for (period, label) in cases {
            assert_eq!(period_ref_label(period), label);
        }
    }
}
