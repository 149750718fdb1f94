//! `consistent`: the same indicator, place, period, measure, kind and unit is not stated with
//! different values. Ranks in different rankings (rank group and size) are different statements.
//!
//! Evaluated as the rows stream past: each chunk's selected rows are grouped by statement
//! ([`Statements`]), and chunks merge in input order. What is kept grows with the number of
//! distinct statements, not with the rows: per statement, how often it is made and the rows
//! holding its lowest and highest values (a contradiction's evidence).

use std::collections::BTreeMap;
use std::sync::Arc;

use chiso_model::{ConcernedRow, IndicatorRecord, Status};

use super::rowwise::ROWS_LISTED;
use super::{EvalResult, Inputs, Outcome, count, natural_order};
use crate::rules::{Scope, Tolerance};
use crate::selection::{Input, Selection};

/// What makes two rows the same statement, in the order conflicts are reported.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    indicator: String,
    geo_code: String,
    period_label: String,
    measure: &'static str,
    kind: &'static str,
    unit: &'static str,
    rank_group: Option<String>,
    rank_total: Option<u32>,
    /// With `scope = "source"` only.
    source_id: Option<String>,
}

/// A row making a statement, as a result lists it.
struct Member {
    row: ConcernedRow,
    start: i64,
}

/// A row holding an extreme value of its statement (one row often holds several).
#[derive(Clone)]
struct Extreme {
    value: f64,
    /// Position of the row among all rows of the input (the chunk's until merged).
    seq: u64,
    member: Arc<Member>,
}

impl Extreme {
    /// Whether `self` should replace `other` as the lowest (`low`) or highest value: the more
    /// extreme value, then the earlier row.
    fn beats(&self, other: &Extreme, low: bool) -> bool {
        let by_value = if low {
            self.value.total_cmp(&other.value)
        } else {
            other.value.total_cmp(&self.value)
        };
        by_value.then(self.seq.cmp(&other.seq)).is_lt()
    }
}

/// One statement: how often it is made and its extreme rows.
struct Statement {
    n: u64,
    min_low: Extreme,
    max_low: Extreme,
    min_high: Extreme,
    max_high: Extreme,
}

impl Statement {
    fn extremes_mut(&mut self) -> [&mut Extreme; 4] {
        [
            &mut self.min_low,
            &mut self.max_low,
            &mut self.min_high,
            &mut self.max_high,
        ]
    }

    /// Adds a later part of the input's rows of the same statement.
    fn merge(&mut self, other: Statement) {
        self.n += other.n;
        for (mine, theirs, low) in [
            (&mut self.min_low, other.min_low, true),
            (&mut self.max_low, other.max_low, false),
            (&mut self.min_high, other.min_high, true),
            (&mut self.max_high, other.max_high, false),
        ] {
            if theirs.beats(mine, low) {
                *mine = theirs;
            }
        }
    }

    fn conflicts(&self, tolerance: Tolerance) -> bool {
        let tol = match tolerance {
            Tolerance::Absolute(t) => t,
            Tolerance::Percent(p) => self.min_low.value.abs() * p / 100.0,
        };
        self.max_low.value - self.min_low.value > tol
            || self.max_high.value - self.min_high.value > tol
    }
}

/// The statements of the rows seen so far, and how many rows were selected.
#[derive(Default)]
pub(crate) struct Statements {
    selected: u64,
    by_key: BTreeMap<Key, Statement>,
    error: Option<String>,
}

/// Conflicts a message spells out; the rest are counted.
const CONFLICTS_DESCRIBED: usize = 20;

impl Statements {
    /// Groups the selected rows of one chunk (those with a place and a period).
    pub fn of_chunk(inputs: &Inputs<'_>, select: &Selection, scope: Scope) -> Statements {
        match Self::group(inputs, select, scope) {
            Ok(s) => s,
            Err(e) => Statements {
                error: Some(super::message(e)),
                ..Statements::default()
            },
        }
    }

    fn group(inputs: &Inputs<'_>, select: &Selection, scope: Scope) -> EvalResult<Statements> {
        let (rows, _) = inputs.selected(std::iter::once(select))?;
        let mut out = Statements::default();
        for row in rows {
            let Some(r) = inputs.records.get(row as usize) else {
                continue;
            };
            let (Some(geo), Some(period)) = (&r.geo_code, r.period) else {
                continue;
            };
            let Some((concerned, start)) = inputs.concerned(Input::Records, row) else {
                continue;
            };
            out.selected += 1;
            let key = key(r, geo, period.label(), scope);
            let member = Arc::new(Member {
                row: concerned,
                start,
            });
            let at = |value| Extreme {
                value,
                seq: u64::from(row),
                member: Arc::clone(&member),
            };
            let statement = Statement {
                n: 1,
                min_low: at(r.value_low),
                max_low: at(r.value_low),
                min_high: at(r.value_high),
                max_high: at(r.value_high),
            };
            match out.by_key.entry(key) {
                std::collections::btree_map::Entry::Vacant(v) => {
                    v.insert(statement);
                }
                std::collections::btree_map::Entry::Occupied(mut o) => o.get_mut().merge(statement),
            }
        }
        Ok(out)
    }

    /// Adds the statements of the next chunk, whose rows start at `offset` in the input.
    pub fn merge(&mut self, mut next: Statements, offset: u64) {
        self.selected += next.selected;
        if self.error.is_none() {
            self.error = next.error.take();
        }
        next.shift(offset);
        for (key, statement) in next.by_key {
            match self.by_key.entry(key) {
                std::collections::btree_map::Entry::Vacant(v) => {
                    v.insert(statement);
                }
                std::collections::btree_map::Entry::Occupied(mut o) => o.get_mut().merge(statement),
            }
        }
    }

    /// Moves the chunk's row positions by `offset` (its place in the input).
    fn shift(&mut self, offset: u64) {
        for statement in self.by_key.values_mut() {
            for e in statement.extremes_mut() {
                e.seq += offset;
            }
        }
    }

    /// The result of the whole input, and the rows it lists.
    pub fn conclude(&self, tolerance: Tolerance) -> (Outcome, Vec<ConcernedRow>) {
        if let Some(e) = &self.error {
            return (Outcome::error(e.clone()), Vec::new());
        }
        let repeated: Vec<(&Key, &Statement)> =
            self.by_key.iter().filter(|(_, s)| s.n > 1).collect();
        if repeated.is_empty() {
            return (
                Outcome::skip(if self.selected == 0 {
                    "the selection matches no indicator row with a place and period".to_owned()
                } else {
                    format!(
                        "no statement among {} is repeated, so nothing was compared",
                        count(self.selected as usize, "row")
                    )
                }),
                Vec::new(),
            );
        }
        let conflicts: Vec<&(&Key, &Statement)> = repeated
            .iter()
            .filter(|(_, s)| s.conflicts(tolerance))
            .collect();
        let Some((_, first)) = conflicts.first() else {
            return (
                Outcome {
                    status: Status::Pass,
                    observed: None,
                    expected: None,
                    message: format!(
                        "{} stated more than once agree ({})",
                        count(repeated.len(), "statement"),
                        tolerance.describe()
                    ),
                    rows: Vec::new(),
                },
                Vec::new(),
            );
        };
        let mut described: Vec<String> = conflicts
            .iter()
            .take(CONFLICTS_DESCRIBED)
            .map(|(k, s)| {
                format!(
                    "{} {} {} ({} {}) is stated from {} to {}",
                    k.indicator,
                    k.geo_code,
                    k.period_label,
                    k.measure,
                    k.kind,
                    s.min_low.value,
                    s.max_low.value
                )
            })
            .collect();
        if conflicts.len() > CONFLICTS_DESCRIBED {
            described.push(format!(
                "and {} more",
                conflicts.len() - CONFLICTS_DESCRIBED
            ));
        }
        // The rows holding each conflict's extreme values, each once, in natural order.
        let mut rows: Vec<&Extreme> = conflicts
            .iter()
            .flat_map(|(_, s)| [&s.min_low, &s.max_low, &s.min_high, &s.max_high])
            .collect();
        rows.sort_by_key(|e| e.seq);
        rows.dedup_by_key(|e| e.seq);
        let total = rows.len();
        rows.sort_by(|a, b| {
            natural_order(
                (&a.member.row, a.member.start, a.seq),
                (&b.member.row, b.member.start, b.seq),
            )
        });
        rows.truncate(ROWS_LISTED);
        let note = if total > rows.len() {
            format!(" (rows lists {} of {total})", rows.len())
        } else {
            String::new()
        };
        (
            Outcome {
                status: Status::Fail,
                observed: Some(first.max_low.value),
                expected: Some(first.min_low.value),
                message: format!(
                    "{} of {} disagree: {}{note}",
                    conflicts.len(),
                    count(repeated.len(), "repeated statement"),
                    described.join("; ")
                ),
                rows: Vec::new(),
            },
            rows.into_iter().map(|e| e.member.row.clone()).collect(),
        )
    }
}

fn key(r: &IndicatorRecord, geo: &str, period_label: String, scope: Scope) -> Key {
    Key {
        indicator: r.indicator.clone(),
        geo_code: geo.to_owned(),
        period_label,
        measure: r.measure.as_str(),
        kind: r.kind.as_str(),
        unit: r.unit.as_str(),
        rank_group: r.rank_group.clone(),
        rank_total: r.rank_total,
        source_id: (scope == Scope::Source).then(|| r.source_id.clone()),
    }
}
