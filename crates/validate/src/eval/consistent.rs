//! `consistent`: the same indicator, place, period, measure (and base), kind and unit is not
//! stated with different values. Ranks in different rankings (rank group and size) are different statements.
//!
//! Evaluated as the rows stream past: each chunk's selected rows are grouped by statement
//! ([`Statements`]), and chunks merge in input order. What is kept is per distinct statement,
//! not per row: how often it is made and the rows holding its lowest and highest values (a
//! contradiction's evidence). Once the merged statements of a run pass
//! [`SPILL_AFTER`](super::spill::SPILL_AFTER) they move to disk, hash-partitioned by statement
//! ([`SpillMap`]), and the end of the run judges one partition at a time: memory stays bounded
//! however many statements a corpus makes.

use std::collections::hash_map::Entry;
use std::io;
use std::sync::Arc;

use chiso_model::{Base, ConcernedRow, IndicatorRecord, Kind, Measure, Status, Unit};

use super::spill::{Decoder, Encoder, Merge, Record, SpillMap};
use super::{EvalResult, Inputs, Listable, Outcome, add_listed, count, keep_first};
use crate::rules::{Scope, Tolerance};
use crate::selection::{Input, Selection};

/// What makes two rows the same statement, in the order conflicts are reported.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Key {
    indicator: String,
    /// The place: its unit of the map (`geo_id`), else its code.
    geo: String,
    period_label: String,
    measure: &'static str,
    /// What a change is measured against (`""` when the text does not say): a change on the
    /// month before and one on the year before are two statements.
    base: &'static str,
    /// The base's period label (`""` when not known): a change on 2015 and one on 2018 are two.
    base_period: String,
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

impl Listable for Extreme {
    fn natural_key(&self) -> (&ConcernedRow, i64, u64) {
        (&self.member.row, self.member.start, self.seq)
    }
}

impl Extreme {
    /// Whether `self` should replace `other` as the lowest (`low`) or highest value.
    fn beats(&self, other: &Extreme, low: bool) -> bool {
        beats(self.value, self.seq, other, low)
    }
}

/// Whether row `seq` with `value` should replace `other` as the lowest (`low`) or highest
/// value: the more extreme value, then the earlier row.
fn beats(value: f64, seq: u64, other: &Extreme, low: bool) -> bool {
    let by_value = if low {
        value.total_cmp(&other.value)
    } else {
        other.value.total_cmp(&value)
    };
    by_value.then(seq.cmp(&other.seq)).is_lt()
}

/// One statement: how often it is made and its extreme rows.
#[derive(Clone)]
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

    /// Whether row `seq` with these values would replace one of the extremes.
    fn taken_by(&self, low: f64, high: f64, seq: u64) -> bool {
        beats(low, seq, &self.min_low, true)
            || beats(low, seq, &self.max_low, false)
            || beats(high, seq, &self.min_high, true)
            || beats(high, seq, &self.max_high, false)
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
    by_key: SpillMap<Key, Statement>,
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
        let rows = inputs.selected(select)?;
        let mut out = Statements {
            by_key: SpillMap::with_capacity(rows.len()),
            ..Statements::default()
        };
        for row in rows {
            let Some(r) = inputs.records.get(row as usize) else {
                continue;
            };
            // The unit of the map, so that a province before the 2025 merger and the one after
            // it, of one code, are two places.
            let (Some(geo), Some(period)) = (r.geo_unit(), r.period) else {
                continue;
            };
            out.selected += 1;
            let key = key(r, geo, period.label(), scope);
            let seq = u64::from(row);
            let entry = out.by_key.entry(key);
            if let Entry::Occupied(o) = &entry {
                // Most repeated rows hold no extreme value: count them without copying them.
                if !o.get().taken_by(r.value_low, r.value_high, seq) {
                    entry.and_modify(|s| s.n += 1);
                    continue;
                }
            }
            let Some((concerned, start)) = inputs.concerned(Input::Records, row) else {
                continue;
            };
            let member = Arc::new(Member {
                row: concerned,
                start,
            });
            let at = |value| Extreme {
                value,
                seq,
                member: Arc::clone(&member),
            };
            let statement = Statement {
                n: 1,
                min_low: at(r.value_low),
                max_low: at(r.value_low),
                min_high: at(r.value_high),
                max_high: at(r.value_high),
            };
            match entry {
                Entry::Vacant(v) => {
                    v.insert(statement);
                }
                Entry::Occupied(mut o) => o.get_mut().merge(statement),
            }
        }
        Ok(out)
    }

    /// Adds the statements of the next chunk, whose rows start at `offset` in the input.
    pub fn merge(&mut self, mut next: Statements, offset: u64) {
        self.selected += next.selected;
        next.shift(offset);
        self.by_key
            .absorb(next.by_key, next.error, &mut self.error, "statements");
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
        let mut findings = Findings::default();
        if let Err(e) = self
            .by_key
            .for_each(|key, statement| findings.add(key, statement, tolerance))
        {
            let e = format!("cannot read statements back from a temporary file: {e}");
            return (Outcome::error(e), Vec::new());
        }
        findings.outcome(self.selected, tolerance)
    }
}

/// What the statements of a run (seen in any order of keys) come to: counts, the first
/// conflicts in key order and the first evidence rows in natural order, each bounded.
#[derive(Default)]
struct Findings {
    repeated: usize,
    conflicts: usize,
    /// The first conflicts by key (at most [`CONFLICTS_DESCRIBED`]): key, lowest and highest
    /// low value.
    first: Vec<(Key, f64, f64)>,
    /// Rows holding the conflicts' extreme values, each once; the first [`ROWS_LISTED`](super::rowwise::ROWS_LISTED) in
    /// natural order.
    rows: Vec<Extreme>,
    /// How many rows that is in all.
    rows_total: usize,
}

impl Findings {
    fn add(&mut self, key: &Key, statement: &Statement, tolerance: Tolerance) {
        if statement.n < 2 {
            return;
        }
        self.repeated += 1;
        if !statement.conflicts(tolerance) {
            return;
        }
        self.conflicts += 1;
        let at = self.first.partition_point(|(k, _, _)| k < key);
        if at < CONFLICTS_DESCRIBED {
            let described = (
                key.clone(),
                statement.min_low.value,
                statement.max_low.value,
            );
            self.first.insert(at, described);
            self.first.truncate(CONFLICTS_DESCRIBED);
        }
        // A row belongs to one statement, so rows are unique once unique within it.
        let mut extremes = [
            &statement.min_low,
            &statement.max_low,
            &statement.min_high,
            &statement.max_high,
        ];
        extremes.sort_by_key(|e| e.seq);
        let mut last = None;
        let distinct: Vec<Extreme> = extremes
            .into_iter()
            .filter(|e| last.replace(e.seq) != Some(e.seq))
            .cloned()
            .collect();
        self.rows_total += distinct.len();
        add_listed(&mut self.rows, distinct);
    }

    fn outcome(mut self, selected: u64, tolerance: Tolerance) -> (Outcome, Vec<ConcernedRow>) {
        if self.repeated == 0 {
            return (
                Outcome::skip(if selected == 0 {
                    "the selection matches no indicator row with a place and period".to_owned()
                } else {
                    format!(
                        "no statement among {} is repeated, so nothing was compared",
                        count(selected as usize, "row")
                    )
                }),
                Vec::new(),
            );
        }
        let Some(&(_, first_low, first_high)) = self.first.first() else {
            return (
                Outcome {
                    status: Status::Pass,
                    observed: None,
                    expected: None,
                    message: format!(
                        "{} stated more than once agree ({})",
                        count(self.repeated, "statement"),
                        tolerance.describe()
                    ),
                },
                Vec::new(),
            );
        };
        let mut described: Vec<String> = self
            .first
            .iter()
            .map(|(k, low, high)| {
                let measure = match (k.base, k.base_period.as_str()) {
                    ("", _) => k.measure.to_owned(),
                    (base, "") => format!("{} on {base}", k.measure),
                    (base, period) => format!("{} on {base} {period}", k.measure),
                };
                format!(
                    "{} {} {} ({measure} {}) is stated from {low} to {high}",
                    k.indicator, k.geo, k.period_label, k.kind,
                )
            })
            .collect();
        if self.conflicts > CONFLICTS_DESCRIBED {
            described.push(format!("and {} more", self.conflicts - CONFLICTS_DESCRIBED));
        }
        keep_first(&mut self.rows);
        let note = if self.rows_total > self.rows.len() {
            format!(" (rows lists {} of {})", self.rows.len(), self.rows_total)
        } else {
            String::new()
        };
        // The rows listed, statement by statement (each where its first row comes), so that the
        // values that disagree stand side by side: two series of one table are otherwise listed
        // one after the other.
        let rows: Vec<ConcernedRow> = self
            .rows
            .into_iter()
            .map(|e| e.member.row.clone())
            .collect();
        let groups: Vec<usize> = {
            let mut order: Vec<(&str, Option<&str>, Option<&str>)> = Vec::new();
            rows.iter()
                .map(|r| {
                    let key = (
                        r.indicator.as_str(),
                        r.geo_code.as_deref(),
                        r.period_label.as_deref(),
                    );
                    order.iter().position(|k| *k == key).unwrap_or_else(|| {
                        order.push(key);
                        order.len() - 1
                    })
                })
                .collect()
        };
        let mut paired: Vec<(usize, ConcernedRow)> = groups.into_iter().zip(rows).collect();
        // Stable: within a statement, rows stay in natural order.
        paired.sort_by_key(|(group, _)| *group);
        let rows = paired.into_iter().map(|(_, row)| row).collect();
        (
            Outcome {
                status: Status::Fail,
                observed: Some(first_high),
                expected: Some(first_low),
                message: format!(
                    "{} of {} disagree: {}{note}",
                    self.conflicts,
                    count(self.repeated, "repeated statement"),
                    described.join("; ")
                ),
            },
            rows,
        )
    }
}

/// A word of a vocabulary, as the `&'static str` its type gives.
fn word_of(
    decoder: &mut Decoder<'_>,
    words: impl IntoIterator<Item = &'static str>,
) -> io::Result<&'static str> {
    let word = decoder.str()?;
    words.into_iter().find(|w| *w == word).ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("spilled record: unknown word {word:?}"),
        )
    })
}

impl Record for Key {
    fn encode(&self, e: &mut Encoder<'_>) {
        e.str(&self.indicator);
        e.str(&self.geo);
        e.str(&self.period_label);
        e.str(self.measure);
        e.str(self.base);
        e.str(&self.base_period);
        e.str(self.kind);
        e.str(self.unit);
        e.opt_str(self.rank_group.as_deref());
        e.opt_u32(self.rank_total);
        e.opt_str(self.source_id.as_deref());
    }

    fn decode(d: &mut Decoder<'_>) -> io::Result<Key> {
        Ok(Key {
            indicator: d.str()?.to_owned(),
            geo: d.str()?.to_owned(),
            period_label: d.str()?.to_owned(),
            measure: word_of(d, Measure::ALL.iter().map(|w| w.as_str()))?,
            base: word_of(
                d,
                std::iter::once("").chain(Base::ALL.iter().map(|w| w.as_str())),
            )?,
            base_period: d.str()?.to_owned(),
            kind: word_of(d, Kind::ALL.iter().map(|w| w.as_str()))?,
            unit: word_of(d, Unit::ALL.iter().map(|w| w.as_str()))?,
            rank_group: d.opt_str()?.map(str::to_owned),
            rank_total: d.opt_u32()?,
            source_id: d.opt_str()?.map(str::to_owned),
        })
    }
}

impl Merge for Statement {
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
}

impl Record for Statement {
    /// The count, each distinct evidence row once, then the four extremes naming their rows.
    fn encode(&self, e: &mut Encoder<'_>) {
        e.u64(self.n);
        let extremes = [&self.min_low, &self.max_low, &self.min_high, &self.max_high];
        let mut members: Vec<&Arc<Member>> = Vec::with_capacity(4);
        let mut index = [0u8; 4];
        for (slot, x) in index.iter_mut().zip(extremes) {
            let at = members
                .iter()
                .position(|m| Arc::ptr_eq(m, &x.member))
                .unwrap_or_else(|| {
                    members.push(&x.member);
                    members.len() - 1
                });
            *slot = at as u8;
        }
        e.u8(members.len() as u8);
        for m in members {
            m.row.encode(e);
            e.u64(m.start as u64);
        }
        for (x, at) in extremes.into_iter().zip(index) {
            e.f64(x.value);
            e.u64(x.seq);
            e.u8(at);
        }
    }

    fn decode(d: &mut Decoder<'_>) -> io::Result<Statement> {
        let n = d.u64()?;
        let members = (0..d.u8()?)
            .map(|_| {
                Ok(Arc::new(Member {
                    row: ConcernedRow::decode(d)?,
                    start: d.u64()? as i64,
                }))
            })
            .collect::<io::Result<Vec<_>>>()?;
        let mut extreme = || -> io::Result<Extreme> {
            let value = d.f64()?;
            let seq = d.u64()?;
            let member = members.get(usize::from(d.u8()?)).ok_or_else(|| {
                io::Error::new(io::ErrorKind::InvalidData, "spilled record: bad row index")
            })?;
            Ok(Extreme {
                value,
                seq,
                member: Arc::clone(member),
            })
        };
        Ok(Statement {
            n,
            min_low: extreme()?,
            max_low: extreme()?,
            min_high: extreme()?,
            max_high: extreme()?,
        })
    }
}

fn key(r: &IndicatorRecord, geo: &str, period_label: String, scope: Scope) -> Key {
    Key {
        indicator: r.indicator.clone(),
        geo: geo.to_owned(),
        period_label,
        measure: r.measure.as_str(),
        base: r.base.map_or("", |b| b.as_str()),
        base_period: r.base_period.map(|p| p.label()).unwrap_or_default(),
        kind: r.kind.as_str(),
        unit: r.unit.as_str(),
        rank_group: r.rank_group.clone(),
        rank_total: r.rank_total,
        source_id: (scope == Scope::Source).then(|| r.source_id.clone()),
    }
}
