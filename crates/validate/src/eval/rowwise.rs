//! Row-wise rule kinds (`expect`, `range`, `rank`, `reference`, `not_null`,
//! `accepted_values`): each selected row passes or fails on its own, so the input can be checked
//! a chunk at a time (on the workers, as units stream past) and the chunks' tallies merged in
//! input order. What a tally keeps is bounded whatever the input size: counts, and the
//! [`ROWS_LISTED`] rows a result lists.

use std::cmp::Ordering;

use chiso_model::ConcernedRow;
use polars::prelude::{DataFrame, PolarsResult};

use super::{Inputs, bools, f64s, u32s};
use crate::selection::Input;

/// Rows a row-wise result lists at most: the failing rows farthest from passing (or, for the
/// kinds that list evidence on a pass, the checked rows farthest from the expected value). The
/// message still counts every row.
pub const ROWS_LISTED: usize = 1000;

/// What a row-wise kind says of one selected row.
pub(crate) struct RowCheck {
    /// Index of the row in its chunk.
    pub row: u32,
    /// Whether the row passes.
    pub ok: bool,
    /// How far from the expected value or bound (0 when not measured); larger is worse.
    pub score: f64,
    pub low: f64,
    pub high: f64,
    /// The value a result reports as `observed` when this row is the worst.
    pub observed: Option<f64>,
    /// The value a result reports as `expected` when this row is the worst.
    pub expected: Option<f64>,
    /// Why the row fails, for kinds that say it row by row (`rank`).
    pub problem: Option<String>,
}

/// The checks of kinds that measure a deviation from an expected value (`expect`,
/// `reference`), from a frame with the columns `row`, `ok`, `deviation`, `value_low`,
/// `value_high` and `expected`.
pub(crate) fn deviations(checked: &DataFrame) -> PolarsResult<Vec<RowCheck>> {
    let (rows, oks) = (u32s(checked, "row")?, bools(checked, "ok")?);
    let (lows, highs) = (f64s(checked, "value_low")?, f64s(checked, "value_high")?);
    let (deviations, expected) = (f64s(checked, "deviation")?, f64s(checked, "expected")?);
    Ok((0..rows.len())
        .map(|i| {
            let (low, high) = (lows[i].unwrap_or(f64::NAN), highs[i].unwrap_or(f64::NAN));
            RowCheck {
                row: rows[i],
                ok: oks[i],
                score: deviations[i].unwrap_or(f64::INFINITY),
                low,
                high,
                observed: (low == high).then_some(low),
                expected: expected[i],
                problem: None,
            }
        })
        .collect())
}

impl super::Outcome {
    /// A result that reports the worst row's observed and expected values.
    pub(crate) fn of_worst(
        status: chiso_model::Status,
        worst: &RowCheck,
        message: String,
    ) -> super::Outcome {
        super::Outcome {
            status,
            observed: worst.observed,
            expected: worst.expected,
            message,
        }
    }
}

/// A checked row kept for the result.
pub(crate) struct Kept {
    pub check: RowCheck,
    /// Position among all rows of the input (chunk offset + row).
    pub seq: u64,
    pub row: ConcernedRow,
    /// Code-point offset of the row's value in its text (the last key of the natural order).
    pub start: i64,
}

impl Kept {
    /// Failing rows first, then the farthest, then input order: a total order, so which rows
    /// are kept does not depend on how the input was cut into chunks.
    fn rank(&self, other: &Kept) -> Ordering {
        self.check
            .ok
            .cmp(&other.check.ok)
            .then_with(|| other.check.score.total_cmp(&self.check.score))
            .then_with(|| self.seq.cmp(&other.seq))
    }
}

/// What a row-wise rule has found so far.
#[derive(Default)]
pub(crate) struct Tally {
    /// Rows the selection matched (and the kind could check).
    pub checked: u64,
    /// Of which fail.
    pub failing: u64,
    /// The rows to list, worst first, at most [`ROWS_LISTED`].
    pub kept: Vec<Kept>,
    /// Why the rule could not be evaluated, from the first chunk that could not.
    pub error: Option<String>,
}

impl Tally {
    /// The tally of one chunk. Passing rows are kept only when the kind lists evidence.
    pub fn from_checks(inputs: &Inputs<'_>, mut checks: Vec<RowCheck>, evidence: bool) -> Tally {
        let checked = checks.len() as u64;
        let failing = checks.iter().filter(|c| !c.ok).count() as u64;
        if !evidence {
            checks.retain(|c| !c.ok);
        }
        let mut kept: Vec<Kept> = checks
            .into_iter()
            .filter_map(|check| {
                let (row, start) = inputs.concerned(Input::Records, check.row)?;
                Some(Kept {
                    seq: u64::from(check.row),
                    check,
                    row,
                    start,
                })
            })
            .collect();
        kept.sort_by(Kept::rank);
        kept.truncate(ROWS_LISTED);
        Tally {
            checked,
            failing,
            kept,
            error: None,
        }
    }

    /// A chunk that could not be checked.
    pub fn failed(message: String) -> Tally {
        Tally {
            error: Some(message),
            ..Tally::default()
        }
    }

    /// Adds the tally of the next chunk, whose rows start at `offset` in the input.
    pub fn merge(&mut self, mut next: Tally, offset: u64) {
        self.checked += next.checked;
        self.failing += next.failing;
        if self.error.is_none() {
            self.error = next.error.take();
        }
        for k in &mut next.kept {
            k.seq += offset;
        }
        self.kept.append(&mut next.kept);
        self.kept.sort_by(Kept::rank);
        self.kept.truncate(ROWS_LISTED);
    }

    /// The worst row: the farthest failing row, else the farthest checked row (when passing
    /// rows are kept).
    pub fn worst(&self) -> Option<&RowCheck> {
        self.kept.first().map(|k| &k.check)
    }

    /// The kept failing rows, in input order.
    pub fn failing_in_order(&self) -> Vec<&RowCheck> {
        let mut rows: Vec<&Kept> = self.kept.iter().filter(|k| !k.check.ok).collect();
        rows.sort_by_key(|k| k.seq);
        rows.into_iter().map(|k| &k.check).collect()
    }

    /// The rows a result lists, in natural order (source, indicator, place, period, position):
    /// the failing rows, or with none failing the kept evidence.
    pub fn listed(&self) -> Vec<ConcernedRow> {
        let mut rows: Vec<&Kept> = self
            .kept
            .iter()
            .filter(|k| self.failing == 0 || !k.check.ok)
            .collect();
        rows.sort_by(|a, b| {
            super::natural_order((&a.row, a.start, a.seq), (&b.row, b.start, b.seq))
        });
        rows.into_iter().map(|k| k.row.clone()).collect()
    }

    /// A note for the message when the result lists fewer rows than it concerns.
    pub fn listing_note(&self, listed: usize) -> String {
        let concerned = if self.failing > 0 {
            self.failing
        } else {
            self.checked
        };
        if (listed as u64) < concerned && listed > 0 {
            format!(" (rows lists {listed} of them, the farthest)")
        } else {
            String::new()
        }
    }
}
