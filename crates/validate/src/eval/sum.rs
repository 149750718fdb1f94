//! `sum`: parts add up to a whole, per group.
//!
//! Evaluated as the rows stream past, like `unique`: each chunk's parts and wholes are grouped
//! by the `group_by` columns ([`Groups`]) and the groups merge in input order, in a
//! [`SpillMap`] that moves them to disk past a size. Per group: the whole `pick` chooses so far
//! ([`Picked`]), and the parts' count, exact sums ([`ExactSum`]: the same whatever the order of
//! the chunks) and first [`ROWS_LISTED`](super::rowwise::ROWS_LISTED) rows in natural order.
//! A row both selections select is a part until it is chosen as its group's whole: its values
//! are then taken out of the parts' sums.

use std::io;

use super::exact_sum::ExactSum;
use super::key::Key;
use super::pick::{Candidate, Picked, Valued};
use super::spill::{Decoder, Encoder, Merge, Record, SpillMap, decode_rows, encode_rows};
use super::{EvalResult, Inputs, Listed, Offsets, Outcome, add_listed, count, keep_first, show};
use crate::rules::Tolerance;
use crate::selection::{Input, Pick, Selection};
use chiso_model::{ConcernedRow, Status};

/// Failing groups a message describes; it counts the others.
const FAILURES_DESCRIBED: usize = 20;

/// One group: its whole and its parts.
#[derive(Clone)]
struct Group {
    whole: Picked,
    /// Part rows, the whole's included when the parts select it.
    parts: u64,
    low: ExactSum,
    high: ExactSum,
    /// The first part rows in natural order.
    rows: Vec<Listed>,
}

impl Group {
    fn new(pick: Option<Pick>) -> Group {
        Group {
            whole: Picked::new(pick),
            parts: 0,
            low: ExactSum::default(),
            high: ExactSum::default(),
            rows: Vec::new(),
        }
    }
}

impl Merge for Group {
    fn merge(&mut self, later: Group) {
        self.whole.merge(later.whole);
        self.parts += later.parts;
        self.low.merge(&later.low);
        self.high.merge(&later.high);
        add_listed(&mut self.rows, later.rows);
    }

    fn weight(&self) -> usize {
        1 + self.rows.len()
    }
}

/// The groups of the rows seen so far.
pub(crate) struct Groups {
    /// What `parts` and `whole` read.
    input: Input,
    by_key: SpillMap<Key, Group>,
    error: Option<String>,
}

impl Groups {
    /// No groups yet, of the same input.
    pub fn empty(&self) -> Groups {
        Groups {
            input: self.input,
            by_key: SpillMap::default(),
            error: None,
        }
    }

    /// Groups the parts and wholes of one chunk.
    pub fn of_chunk(
        inputs: &Inputs<'_>,
        parts: &Selection,
        whole: &Selection,
        group_by: &[String],
    ) -> Groups {
        let mut out = Groups {
            input: parts.input,
            by_key: SpillMap::default(),
            error: None,
        };
        if let Err(e) = out.group(inputs, parts, whole, group_by) {
            out.error = Some(super::message(e));
            out.by_key.clear();
        }
        out
    }

    fn group(
        &mut self,
        inputs: &Inputs<'_>,
        parts: &Selection,
        whole: &Selection,
        group_by: &[String],
    ) -> EvalResult<()> {
        let new = || Group::new(whole.pick);
        let mut part = Valued::of(inputs, parts, group_by)?;
        let keys = std::mem::take(&mut part.keys);
        self.by_key.reserve(keys.len());
        for (i, (key, &row)) in keys.into_iter().zip(&part.rows).enumerate() {
            let Some(listed) = inputs.listed(parts.input, row) else {
                continue;
            };
            let group = self.by_key.entry(key).or_insert_with(new);
            group.parts += 1;
            group.low.add(part.low(i));
            group.high.add(part.high(i));
            add_listed(&mut group.rows, [listed]);
        }
        let mut wholes = Valued::of(inputs, whole, group_by)?;
        let keys = std::mem::take(&mut wholes.keys);
        for (i, key) in keys.into_iter().enumerate() {
            let group = self.by_key.entry(key).or_insert_with(new);
            // Both selections read the same input, in input order.
            let in_parts = |row| part.rows.binary_search(&row).is_ok();
            group.whole.offer_row(inputs, &wholes, i, in_parts);
        }
        Ok(())
    }

    /// Adds the groups of the next chunk, whose rows start at `offsets` in the inputs.
    pub fn merge(&mut self, mut next: Groups, offsets: Offsets) {
        let offset = offsets.of(self.input);
        for group in next.by_key.values_mut() {
            group.whole.shift(offset);
            for listed in &mut group.rows {
                listed.seq += offset;
            }
        }
        self.by_key
            .absorb(next.by_key, next.error, &mut self.error, "groups");
    }

    /// The result of the whole input, and the rows it lists.
    pub fn conclude(&self, tolerance: Tolerance) -> (Outcome, Vec<ConcernedRow>) {
        if let Some(e) = &self.error {
            return (Outcome::error(e.clone()), Vec::new());
        }
        let mut findings = Findings::default();
        let visited = self
            .by_key
            .for_each(|_, group| findings.add(group, tolerance));
        if let Err(e) = visited {
            let e = format!("cannot read groups back from a temporary file: {e}");
            return (Outcome::error(e), Vec::new());
        }
        findings.conclude(tolerance)
    }
}

/// Groups reported one way (all checked groups, or the failing ones): how many, the first by
/// the whole's position in the input, and their rows.
#[derive(Default)]
struct Reported {
    groups: u64,
    /// The whole's position, the parts' low sum and the whole's low value of the first group.
    first: Option<(u64, f64, f64)>,
    /// The rows of every group (whole and parts), and the first of them in natural order.
    rows: u64,
    listed: Vec<Listed>,
}

impl Reported {
    fn add(
        &mut self,
        seq: u64,
        (parts_low, whole_low): (f64, f64),
        group: &Group,
        whole: &Candidate,
        parts: u64,
    ) {
        self.groups += 1;
        if self.first.is_none_or(|(s, _, _)| seq < s) {
            self.first = Some((seq, parts_low, whole_low));
        }
        self.rows += parts + 1;
        // A whole the parts select is among the group's rows already (or, cut from them,
        // after a thousand rows of the group, so not among the first listed).
        let whole = (!whole.in_parts).then(|| whole.listed.clone());
        add_listed(&mut self.listed, group.rows.iter().cloned().chain(whole));
    }
}

/// What the groups add up to, built one group at a time in any order.
#[derive(Default)]
struct Findings {
    /// Groups with a whole.
    wholes: u64,
    /// The first group (by its whole's position) whose whole is ambiguous, and why.
    ambiguous: Option<(u64, String)>,
    checked: Reported,
    failing: Reported,
    /// The first failing groups by their whole's position, described.
    failures: Vec<(u64, String)>,
}

impl Findings {
    fn add(&mut self, group: &Group, tolerance: Tolerance) {
        let Some(whole) = &group.whole.best else {
            // Parts without a whole are not a group.
            return;
        };
        self.wholes += 1;
        let seq = whole.listed.seq;
        if let Some(e) = group.whole.ambiguous("whole", " in one group") {
            if self.ambiguous.as_ref().is_none_or(|(s, _)| seq < *s) {
                self.ambiguous = Some((seq, e));
            }
            return;
        }
        let (mut low, mut high, mut parts) = (group.low.clone(), group.high.clone(), group.parts);
        if whole.in_parts {
            low.add(-whole.low);
            high.add(-whole.high);
            parts -= 1;
        }
        if parts == 0 {
            return;
        }
        let (pl, ph) = (low.value(), high.value());
        let (wl, wh) = (whole.low, whole.high);
        let tol = tolerance.around(wl);
        let holds = wl <= ph + tol && wh >= pl - tol;
        self.checked.add(seq, (pl, wl), group, whole, parts);
        if holds {
            return;
        }
        self.failing.add(seq, (pl, wl), group, whole, parts);
        self.failures.push((
            seq,
            format!(
                "parts add up to {} but the whole is {}",
                show(pl, ph),
                show(wl, wh)
            ),
        ));
        if self.failures.len() > 2 * FAILURES_DESCRIBED {
            self.keep_first_failures();
        }
    }

    fn keep_first_failures(&mut self) {
        self.failures.sort_by_key(|(seq, _)| *seq);
        self.failures.truncate(FAILURES_DESCRIBED);
    }

    fn conclude(mut self, tolerance: Tolerance) -> (Outcome, Vec<ConcernedRow>) {
        if self.wholes == 0 {
            return (Outcome::skip("`whole` selects no value"), Vec::new());
        }
        if let Some((_, e)) = self.ambiguous {
            return (Outcome::error(e), Vec::new());
        }
        if self.checked.groups == 0 {
            let skip = Outcome::skip("`parts` selects no value besides the whole");
            return (skip, Vec::new());
        }
        self.keep_first_failures();
        let checked = count(self.checked.groups as usize, "group");
        let (status, mut message, reported) = if self.failing.groups == 0 {
            let message = format!(
                "parts add up to the whole ({}) in {checked}",
                tolerance.describe()
            );
            (Status::Pass, message, self.checked)
        } else {
            let mut described: Vec<String> = self.failures.into_iter().map(|(_, d)| d).collect();
            let more = self.failing.groups.saturating_sub(described.len() as u64);
            if more > 0 {
                described.push(format!("and {more} more"));
            }
            let message = format!(
                "{} of {checked}: {}",
                self.failing.groups,
                described.join("; ")
            );
            (Status::Fail, message, self.failing)
        };
        let mut listed = reported.listed;
        keep_first(&mut listed);
        if (listed.len() as u64) < reported.rows {
            message.push_str(&format!(" (rows lists the first {} of them)", listed.len()));
        }
        let (observed, expected) = reported
            .first
            .map_or((None, None), |(_, p, w)| (Some(p), Some(w)));
        let outcome = Outcome {
            status,
            observed,
            expected,
            message,
        };
        (outcome, listed.into_iter().map(|l| l.row).collect())
    }
}

impl Record for Group {
    fn encode(&self, e: &mut Encoder<'_>) {
        self.whole.encode(e);
        e.u64(self.parts);
        self.low.encode(e);
        self.high.encode(e);
        encode_rows(&self.rows, e);
    }

    fn decode(d: &mut Decoder<'_>) -> io::Result<Group> {
        let whole = Picked::decode(d)?;
        let parts = d.u64()?;
        let low = ExactSum::decode(d)?;
        let high = ExactSum::decode(d)?;
        let rows = decode_rows(d)?;
        Ok(Group {
            whole,
            parts,
            low,
            high,
            rows,
        })
    }
}
