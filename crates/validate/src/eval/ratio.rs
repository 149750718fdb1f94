//! `ratio`: one value divided by another is the claimed ratio.
//!
//! Evaluated as the rows stream past: each side (numerator, denominator and, with
//! `value_from`, the claim) keeps how many rows it selected and the one its `pick` chooses
//! ([`Picked`]), so memory does not grow with the rows selected.

use chiso_model::{ConcernedRow, Status};

use super::pick::{Picked, Valued};
use super::{EvalResult, Inputs, Listable, Listed, Offsets, Outcome};
use crate::rules::{Check, Claimed};
use crate::selection::{Input, Selection};

/// One side of the rule: which input it reads and what it picked.
struct Side {
    name: &'static str,
    input: Input,
    picked: Picked,
}

/// What the rule's sides selected in the rows seen so far.
pub(crate) struct Sides {
    sides: Vec<Side>,
    error: Option<String>,
}

/// The sides of a rule with what they read: numerator, denominator, then `value_from`.
fn selections(check: &Check) -> Vec<(&'static str, &Selection)> {
    let Check::Ratio {
        numerator,
        denominator,
        claimed,
        ..
    } = check
    else {
        return Vec::new();
    };
    let mut sides = vec![("numerator", numerator), ("denominator", denominator)];
    if let Claimed::From(sel) = claimed {
        sides.push(("value_from", sel));
    }
    sides
}

impl Sides {
    /// Nothing selected yet.
    pub fn empty(check: &Check) -> Sides {
        Sides {
            sides: selections(check)
                .into_iter()
                .map(|(name, sel)| Side {
                    name,
                    input: sel.input,
                    picked: Picked::new(sel.pick),
                })
                .collect(),
            error: None,
        }
    }

    /// Nothing selected yet, with the same sides.
    pub fn empty_like(&self) -> Sides {
        Sides {
            sides: self
                .sides
                .iter()
                .map(|s| Side {
                    name: s.name,
                    input: s.input,
                    picked: Picked::new(s.picked.pick),
                })
                .collect(),
            error: None,
        }
    }

    /// What each side selects in one chunk.
    pub fn of_chunk(inputs: &Inputs<'_>, check: &Check) -> Sides {
        let mut out = Sides::empty(check);
        let picked = selections(check)
            .into_iter()
            .zip(&mut out.sides)
            .try_for_each(|((_, sel), side)| pick(inputs, sel, &mut side.picked));
        if let Err(e) = picked {
            out.error = Some(super::message(e));
        }
        out
    }

    /// Adds what the next chunk selected, whose rows start at `offsets` in the input.
    pub fn merge(&mut self, next: Sides, offsets: Offsets) {
        if self.error.is_none() {
            self.error = next.error;
        }
        for (side, mut later) in self.sides.iter_mut().zip(next.sides) {
            later.picked.shift(offsets.of(later.input));
            side.picked.merge(later.picked);
        }
    }

    /// The result of the whole input, and the rows it lists.
    pub fn conclude(&self, check: &Check) -> (Outcome, Vec<ConcernedRow>) {
        match self.judge(check) {
            Ok(done) => done,
            Err(message) => (Outcome::error(message), Vec::new()),
        }
    }

    fn judge(&self, check: &Check) -> Result<(Outcome, Vec<ConcernedRow>), String> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        let Check::Ratio {
            claimed, tolerance, ..
        } = check
        else {
            return Err(format!("{} is not a ratio", check.kind()));
        };
        // Each side's one value, in order; the first side that selects nothing skips the rule.
        let mut values = Vec::with_capacity(3);
        for side in &self.sides {
            let Some(c) = &side.picked.best else {
                let skip = Outcome::skip(format!("`{}` selects no value", side.name));
                return Ok((skip, Vec::new()));
            };
            if let Some(e) = side.picked.ambiguous(side.name, "") {
                return Err(e);
            }
            if c.low != c.high {
                return Err(format!(
                    "`{}` selects a range; a ratio needs single values",
                    side.name
                ));
            }
            values.push((side.input, c));
        }
        let value = |i: usize| values.get(i).map_or(f64::NAN, |(_, c)| c.low);
        let (n, d) = (value(0), value(1));
        let claim = match claimed {
            Claimed::Value(v) => *v,
            Claimed::From(_) => value(2),
        };
        if d == 0.0 {
            return Err("the denominator is 0".to_owned());
        }
        let ratio = n / d;
        let holds = (ratio - claim).abs() <= tolerance.around(claim);
        let message = format!(
            "{n} / {d} = {ratio:.4}; the claimed ratio is {claim} ({})",
            tolerance.describe()
        );
        // The rows in natural order, each once (both sides may pick the same row).
        let mut rows: Vec<(Input, &Listed)> = values
            .iter()
            .map(|(input, c)| (*input, &c.listed))
            .collect();
        rows.sort_by_key(|(input, l)| (*input as u8, l.seq));
        rows.dedup_by_key(|(input, l)| (*input as u8, l.seq));
        rows.sort_by(|a, b| super::natural_order(a.1.natural_key(), b.1.natural_key()));
        let outcome = Outcome {
            status: if holds { Status::Pass } else { Status::Fail },
            observed: Some(ratio),
            expected: Some(claim),
            message,
        };
        Ok((
            outcome,
            rows.into_iter().map(|(_, l)| l.row.clone()).collect(),
        ))
    }
}

/// Offers every valued row `sel` selects in a chunk to `picked`.
fn pick(inputs: &Inputs<'_>, sel: &Selection, picked: &mut Picked) -> EvalResult<()> {
    let valued = Valued::of(inputs, sel, &[])?;
    for i in 0..valued.rows.len() {
        picked.offer_row(inputs, &valued, i, |_| false);
    }
    Ok(())
}
