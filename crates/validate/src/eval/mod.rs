//! Evaluation: each rule kind as polars lazy queries over the input frames of a chunk of rows,
//! and what the chunks found merged in input order ([`Partial`]).

mod columns;
pub(crate) mod consistent;
mod exact_sum;
mod expect;
mod key;
mod pick;
mod range;
mod rank;
mod ratio;
pub(crate) mod reference;
pub(crate) mod rowwise;
mod spill;
mod sum;
mod unique;

use std::cmp::Ordering;

use chiso_model::{ConcernedRow, IndicatorRecord, RuleResult, Status};
use polars::prelude::*;

use crate::rules::{Check, Rule};
use crate::selection::{Input, Selection};
use crate::table::LoadedTable;
use crate::{EvalContext, MentionFact};
use rowwise::{RowCheck, Tally};

/// What a rule found, before it becomes a [`RuleResult`].
pub(crate) struct Outcome {
    pub status: Status,
    pub observed: Option<f64>,
    pub expected: Option<f64>,
    pub message: String,
}

impl Outcome {
    pub fn skip(message: impl Into<String>) -> Outcome {
        Outcome {
            status: Status::Skip,
            observed: None,
            expected: None,
            message: message.into(),
        }
    }

    pub fn error(message: impl Into<String>) -> Outcome {
        Outcome {
            status: Status::Error,
            observed: None,
            expected: None,
            message: message.into(),
        }
    }
}

/// Why a rule could not be evaluated.
pub(crate) enum EvalError {
    Polars(PolarsError),
    Message(String),
}

impl From<PolarsError> for EvalError {
    fn from(e: PolarsError) -> Self {
        EvalError::Polars(e)
    }
}

pub(crate) type EvalResult<T> = std::result::Result<T, EvalError>;

/// The inputs of one evaluation: the slices and their frames.
pub(crate) struct Inputs<'a> {
    pub records: &'a [IndicatorRecord],
    pub mentions: &'a [MentionFact],
    pub record_frame: DataFrame,
    pub mention_frame: DataFrame,
}

impl Inputs<'_> {
    /// The rows a selection selects, as a lazy frame.
    pub fn select(&self, sel: &Selection) -> LazyFrame {
        let frame = match sel.input {
            Input::Records => &self.record_frame,
            Input::Mentions => &self.mention_frame,
        };
        frame.clone().lazy().filter(sel.predicate())
    }

    /// The rows of its input a selection selects, in input order.
    pub fn selected(&self, sel: &Selection) -> PolarsResult<Vec<u32>> {
        u32s(&self.select(sel).select([col("row")]).collect()?, "row")
    }

    /// The selected rows that carry a value (mentions may have none).
    pub fn select_valued(&self, sel: &Selection) -> LazyFrame {
        self.select(sel).filter(
            col("value_low")
                .is_not_null()
                .and(col("value_high").is_not_null()),
        )
    }

    /// A row of the input as a result lists it, with its position in its text.
    pub(crate) fn concerned(&self, input: Input, row: u32) -> Option<(ConcernedRow, i64)> {
        let i = row as usize;
        match input {
            Input::Records => self.records.get(i).map(|r| {
                (
                    ConcernedRow {
                        source_id: r.source_id.clone(),
                        indicator: r.indicator.clone(),
                        geo_code: r.geo_code.clone(),
                        period_label: r.period.map(|p| p.label()),
                        value_low: r.value_low,
                        value_high: r.value_high,
                        quote: r.quote.to_string(),
                    },
                    r.span.start as i64,
                )
            }),
            Input::Mentions => self.mentions.get(i).map(|m| {
                (
                    ConcernedRow {
                        source_id: m.source_id.clone(),
                        indicator: m
                            .indicator
                            .clone()
                            .or_else(|| m.counted_noun.clone())
                            .unwrap_or_default(),
                        geo_code: None,
                        period_label: None,
                        // Mentions reach rows only through `select_valued`, so both are present.
                        value_low: m.value_low.unwrap_or(f64::NAN),
                        value_high: m.value_high.unwrap_or(f64::NAN),
                        quote: m.sentence.to_string(),
                    },
                    m.char_start,
                )
            }),
        }
    }

    /// A row of the input as a result lists it, its position in the input that of the chunk.
    pub(crate) fn listed(&self, input: Input, row: u32) -> Option<Listed> {
        let (row_data, start) = self.concerned(input, row)?;
        Some(Listed {
            row: row_data,
            start,
            seq: u64::from(row),
        })
    }
}

/// The natural order of concerned rows: source, indicator, place, period, position in the
/// text, then `tie` (the row's place in the input).
pub(crate) fn natural_order(
    a: (&ConcernedRow, i64, u64),
    b: (&ConcernedRow, i64, u64),
) -> Ordering {
    let ((a, sa, ta), (b, sb, tb)) = (a, b);
    (
        &a.source_id,
        &a.indicator,
        &a.geo_code,
        &a.period_label,
        sa,
        ta,
    )
        .partial_cmp(&(
            &b.source_id,
            &b.indicator,
            &b.geo_code,
            &b.period_label,
            sb,
            tb,
        ))
        .unwrap_or(Ordering::Equal)
}

/// A row a result may list, with what orders it naturally: the row, its position in the text
/// and its position in the input.
pub(crate) trait Listable {
    fn natural_key(&self) -> (&ConcernedRow, i64, u64);
}

/// A row a result lists, with what orders it naturally.
#[derive(Clone)]
pub(crate) struct Listed {
    pub row: ConcernedRow,
    /// Position of the row in its text.
    pub start: i64,
    /// Position of the row among all rows of its input (the chunk's until merged).
    pub seq: u64,
}

impl Listable for Listed {
    fn natural_key(&self) -> (&ConcernedRow, i64, u64) {
        (&self.row, self.start, self.seq)
    }
}

/// Adds `more` to `rows`, which keep (once they grow past twice that) only the first
/// [`ROWS_LISTED`](rowwise::ROWS_LISTED) in natural order: a bounded list however many rows
/// a streamed rule sees. [`keep_first`] finishes it.
pub(crate) fn add_listed<T: Listable>(rows: &mut Vec<T>, more: impl IntoIterator<Item = T>) {
    rows.extend(more);
    if rows.len() > 2 * rowwise::ROWS_LISTED {
        keep_first(rows);
    }
}

/// Sorts `rows` in natural order and keeps the first [`ROWS_LISTED`](rowwise::ROWS_LISTED).
pub(crate) fn keep_first<T: Listable>(rows: &mut Vec<T>) {
    rows.sort_by(|a, b| natural_order(a.natural_key(), b.natural_key()));
    rows.truncate(rowwise::ROWS_LISTED);
}

/// Where a chunk's rows start among all rows of each input.
#[derive(Clone, Copy, Default)]
pub(crate) struct Offsets {
    pub records: u64,
    pub mentions: u64,
}

impl Offsets {
    pub fn of(self, input: Input) -> u64 {
        match input {
            Input::Records => self.records,
            Input::Mentions => self.mentions,
        }
    }
}

/// What a rule found in some chunks of the input. Every kind is judged as the rows stream
/// past: the row-wise kinds keep a tally ([`rowwise`]); `consistent`, `unique` and `sum` group
/// rows by statement, key or group (moved to disk past a size, [`spill`]); `ratio` keeps each
/// side's chosen row ([`pick`]).
pub(crate) enum Partial {
    /// A row-wise rule's tally.
    Rows(Tally),
    /// `consistent`'s statements.
    Statements(consistent::Statements),
    /// `unique`'s keys.
    Keys(unique::Keys),
    /// `sum`'s groups.
    Groups(sum::Groups),
    /// `ratio`'s sides.
    Sides(ratio::Sides),
}

impl Partial {
    /// Adds the partial of the next chunk, whose rows start at `offsets` in the inputs.
    pub fn merge(&mut self, next: Partial, offsets: Offsets) {
        // `consistent` and `unique` read records only, and `sum` one input.
        match (self, next) {
            (Partial::Rows(a), Partial::Rows(b)) => a.merge(b, offsets.records),
            (Partial::Statements(a), Partial::Statements(b)) => a.merge(b, offsets.records),
            (Partial::Keys(a), Partial::Keys(b)) => a.merge(b, offsets.records),
            (Partial::Groups(a), Partial::Groups(b)) => a.merge(b, offsets),
            (Partial::Sides(a), Partial::Sides(b)) => a.merge(b, offsets),
            // One rule gives one kind of partial.
            _ => {}
        }
    }

    /// The partial of no rows, of the same kind (the total the chunks are merged into, so that
    /// every chunk, the first included, goes through the same merge).
    pub fn empty(&self) -> Partial {
        match self {
            Partial::Rows(_) => Partial::Rows(Tally::default()),
            Partial::Statements(_) => Partial::Statements(consistent::Statements::default()),
            Partial::Keys(_) => Partial::Keys(unique::Keys::default()),
            Partial::Groups(g) => Partial::Groups(g.empty()),
            Partial::Sides(s) => Partial::Sides(s.empty_like()),
        }
    }
}

/// Judges one chunk of the input for a rule: the rows grouped (`consistent`, `unique`, `sum`),
/// each side's pick (`ratio`), or each row on its own (the others). `table` is the rule's
/// reference table, read once for the run.
pub(crate) fn check_chunk(
    rule: &Rule,
    inputs: &Inputs<'_>,
    ctx: &EvalContext,
    table: Option<&Result<LoadedTable, String>>,
) -> Partial {
    let checks: EvalResult<Vec<RowCheck>> = match &rule.check {
        Check::Consistent { select, scope, .. } => {
            let statements = consistent::Statements::of_chunk(inputs, select, *scope);
            return Partial::Statements(statements);
        }
        Check::Unique { select, columns } => {
            return Partial::Keys(unique::Keys::of_chunk(inputs, select, columns));
        }
        Check::Sum {
            parts,
            whole,
            group_by,
            ..
        } => return Partial::Groups(sum::Groups::of_chunk(inputs, parts, whole, group_by)),
        Check::Ratio { .. } => return Partial::Sides(ratio::Sides::of_chunk(inputs, &rule.check)),
        Check::Expect {
            select,
            expected,
            tolerance,
        } => expect::check(inputs, select, *expected, *tolerance),
        Check::Range { select, min, max } => range::check(inputs, select, *min, *max),
        Check::Rank { select } => rank::check(inputs, select, ctx),
        Check::Reference {
            select, tolerance, ..
        } => match table {
            Some(Ok(loaded)) => reference::check(inputs, select, loaded, *tolerance),
            Some(Err(m)) => Err(EvalError::Message(m.clone())),
            None => Err(EvalError::Message(
                "the reference table was not read".into(),
            )),
        },
        Check::NotNull { select, column } => columns::not_null(inputs, select, column),
        Check::AcceptedValues {
            select,
            column,
            values,
        } => columns::accepted_values(inputs, select, column, values),
    };
    Partial::Rows(match checks {
        // `expect` and `reference` list the rows they checked when all pass (evidence).
        Ok(checks) => Tally::from_checks(
            inputs,
            checks,
            matches!(rule.check, Check::Expect { .. } | Check::Reference { .. }),
        ),
        Err(e) => Tally::failed(message(e)),
    })
}

/// The result of a streamed rule from the partial of the whole input.
pub(crate) fn conclude(
    rule: &Rule,
    partial: &Partial,
    table: Option<&Result<LoadedTable, String>>,
) -> RuleResult {
    let tally = match (partial, &rule.check) {
        (Partial::Rows(tally), _) => tally,
        (Partial::Statements(statements), Check::Consistent { tolerance, .. }) => {
            let (outcome, rows) = statements.conclude(*tolerance);
            return result(rule, outcome, rows);
        }
        (Partial::Keys(keys), Check::Unique { columns, .. }) => {
            let (outcome, rows) = keys.conclude(columns);
            return result(rule, outcome, rows);
        }
        (Partial::Groups(groups), Check::Sum { tolerance, .. }) => {
            let (outcome, rows) = groups.conclude(*tolerance);
            return result(rule, outcome, rows);
        }
        (Partial::Sides(sides), _) => {
            let (outcome, rows) = sides.conclude(&rule.check);
            return result(rule, outcome, rows);
        }
        (Partial::Statements(_) | Partial::Keys(_) | Partial::Groups(_), _) => {
            let outcome = Outcome::error(format!("{} does not group rows", rule.check.kind()));
            return result(rule, outcome, Vec::new());
        }
    };
    let outcome = match (&tally.error, &rule.check) {
        (Some(m), _) => Outcome::error(m.clone()),
        (
            None,
            Check::Expect {
                expected,
                tolerance,
                ..
            },
        ) => expect::conclude(tally, *expected, *tolerance),
        (None, Check::Range { min, max, .. }) => range::conclude(tally, *min, *max),
        (None, Check::Rank { .. }) => rank::conclude(tally),
        (
            None,
            Check::Reference {
                table: spec,
                tolerance,
                ..
            },
        ) => match table {
            Some(Ok(loaded)) => reference::conclude(tally, spec, loaded, *tolerance),
            Some(Err(m)) => Outcome::error(m.clone()),
            None => Outcome::error("the reference table was not read"),
        },
        (None, Check::NotNull { column, .. }) => columns::conclude(
            tally,
            format!(
                "{column} has a value in {}",
                count(tally.checked as usize, "row")
            ),
            format!("{column} is empty"),
        ),
        (None, Check::AcceptedValues { column, values, .. }) => columns::conclude(
            tally,
            format!(
                "{column} takes accepted values in {}",
                count(tally.checked as usize, "row")
            ),
            format!("{column} is not one of {}", values.join(", ")),
        ),
        (None, _) => Outcome::error(format!("{} is not a row-wise rule", rule.check.kind())),
    };
    let rows = tally.listed();
    let mut outcome = outcome;
    if outcome.status != Status::Error {
        outcome.message.push_str(&tally.listing_note(rows.len()));
    }
    result(rule, outcome, rows)
}

pub(crate) fn message(e: EvalError) -> String {
    match e {
        EvalError::Polars(e) => format!("evaluation failed: {e}"),
        EvalError::Message(m) => m,
    }
}

/// The result of a rule that could not be evaluated.
pub(crate) fn failed(rule: &Rule, message: String) -> RuleResult {
    result(rule, Outcome::error(message), Vec::new())
}

fn result(rule: &Rule, outcome: Outcome, rows: Vec<ConcernedRow>) -> RuleResult {
    tracing::debug!(rule_id = %rule.id, status = %outcome.status, "Rule evaluated.");
    RuleResult {
        rule_id: rule.id.clone(),
        rule_kind: rule.check.kind().to_owned(),
        severity: rule.severity,
        status: outcome.status,
        observed: outcome.observed,
        expected: outcome.expected,
        message: outcome.message,
        rows,
    }
}

/// `|a - b|` as an expression (polars' `abs` needs a feature this crate does without).
pub(crate) fn abs_diff(a: Expr, b: Expr) -> Expr {
    when(a.clone().gt_eq(b.clone()))
        .then(a.clone() - b.clone())
        .otherwise(b - a)
}

/// How far the values `[low, high]` lie from `x`: 0 when they contain it.
pub(crate) fn distance_to(low: Expr, high: Expr, x: Expr) -> Expr {
    when(low.clone().gt(x.clone()))
        .then(low - x.clone())
        .otherwise(
            when(high.clone().lt(x.clone()))
                .then(x - high)
                .otherwise(lit(0.0)),
        )
}

/// `|a|` as an expression.
pub(crate) fn abs(a: Expr) -> Expr {
    when(a.clone().gt_eq(lit(0.0)))
        .then(a.clone())
        .otherwise(lit(0.0) - a)
}

/// A u32 column as values (nulls dropped).
pub(crate) fn u32s(df: &DataFrame, name: &str) -> PolarsResult<Vec<u32>> {
    Ok(df.column(name)?.u32()?.iter().flatten().collect())
}

/// An i64 column (nulls dropped).
pub(crate) fn i64s(df: &DataFrame, name: &str) -> PolarsResult<Vec<i64>> {
    Ok(df.column(name)?.i64()?.iter().flatten().collect())
}

/// An f64 column.
pub(crate) fn f64s(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<f64>>> {
    Ok(df.column(name)?.f64()?.iter().collect())
}

/// A boolean column, nulls read as false.
pub(crate) fn bools(df: &DataFrame, name: &str) -> PolarsResult<Vec<bool>> {
    Ok(df
        .column(name)?
        .bool()?
        .iter()
        .map(|b| b.unwrap_or(false))
        .collect())
}

/// A string column.
pub(crate) fn strs(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<String>>> {
    Ok(df
        .column(name)?
        .str()?
        .iter()
        .map(|s| s.map(str::to_owned))
        .collect())
}

/// A value or a range as a person reads it: `19.3`, `4–5`.
pub(crate) fn show(low: f64, high: f64) -> String {
    if low == high {
        format!("{low}")
    } else {
        format!("{low}–{high}")
    }
}

/// "1 row", "3 rows".
pub(crate) fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

#[cfg(test)]
mod tests;
