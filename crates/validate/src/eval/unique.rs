//! `unique`: no two selected rows share the values of the key columns (rows with an empty key
//! column are not compared, as in dbt).
//!
//! Evaluated as the rows stream past, like `consistent`: each chunk's selected rows are grouped
//! by key ([`Keys`]) and the groups merge in input order, in a [`SpillMap`] that moves them to
//! disk past a size. Per key: how many rows have it and the first [`ROWS_LISTED`] of them in
//! natural order (the evidence a result lists when the key repeats).
//!
//! A result lists the first [`ROWS_LISTED`] offending rows in natural order, so once that many
//! rows are known to repeat a key, a row that comes after all of them is never listed: its key
//! is counted and its evidence dropped as it arrives. Over a broad selection, where many keys
//! repeat, most rows then reach memory and the temporary file as a key and a count only.

use std::io;

use chiso_model::ConcernedRow;
use polars::prelude::*;

use super::key::{Key, key_columns, keys_of};
use super::rowwise::ROWS_LISTED;
use super::spill::{Decoder, Encoder, Merge, Record, SpillMap, decode_rows, encode_rows};
use super::{
    EvalResult, Inputs, Listable, Listed, Outcome, add_listed, count, keep_first, natural_order,
    u32s,
};
use crate::selection::Selection;

/// The rows of one key: how many, and the first [`ROWS_LISTED`] in natural order (fewer once
/// rows are dropped as never listed, see the module).
#[derive(Clone)]
struct Group {
    n: u64,
    rows: Vec<Listed>,
}

impl Merge for Group {
    fn merge(&mut self, later: Group) {
        self.n += later.n;
        add_listed(&mut self.rows, later.rows);
    }

    fn weight(&self) -> usize {
        self.rows.len().max(1)
    }
}

/// The keys of the rows seen so far.
#[derive(Default)]
pub(crate) struct Keys {
    /// Selected rows with every key column set.
    checked: u64,
    by_key: SpillMap<Key, Group>,
    error: Option<String>,
    /// The first rows in natural order (at most [`ROWS_LISTED`], each once) of the keys known
    /// to repeat: once there are that many, a row after the last of them is never listed.
    known: Vec<Listed>,
}

impl Keys {
    /// Groups the selected rows of one chunk by key.
    pub fn of_chunk(inputs: &Inputs<'_>, select: &Selection, columns: &[String]) -> Keys {
        match Self::group(inputs, select, columns) {
            Ok(keys) => keys,
            Err(e) => Keys {
                error: Some(super::message(e)),
                ..Keys::default()
            },
        }
    }

    fn group(inputs: &Inputs<'_>, select: &Selection, columns: &[String]) -> EvalResult<Keys> {
        // Like dbt, rows with an empty key column are not compared.
        let mut present = lit(true);
        for c in columns {
            present = present.and(col(c.as_str()).is_not_null());
        }
        let mut picked = vec![col("row")];
        picked.extend(key_columns(columns));
        let frame = inputs
            .select(select)
            .filter(present)
            .select(picked)
            .collect()?;
        let rows = u32s(&frame, "row")?;
        let mut out = Keys {
            by_key: SpillMap::with_capacity(rows.len()),
            ..Keys::default()
        };
        for (key, row) in keys_of(&frame, columns.len())?.into_iter().zip(rows) {
            let Some(listed) = inputs.listed(select.input, row) else {
                continue;
            };
            out.checked += 1;
            out.by_key.add(
                key,
                Group {
                    n: 1,
                    rows: vec![listed],
                },
            );
        }
        Ok(out)
    }

    /// Adds the keys of the next chunk, whose rows start at `offset` in the input.
    pub fn merge(&mut self, mut next: Keys, offset: u64) {
        self.checked += next.checked;
        let mut repeating = Vec::new();
        for (key, group) in next.by_key.iter_mut() {
            for listed in &mut group.rows {
                listed.seq += offset;
            }
            // Rows known to be offending: a key repeated in the chunk, or already in memory.
            // A key repeated in memory already offered its earlier rows when it first repeated.
            let before = self.by_key.get(key);
            if group.n > 1 || before.is_some() {
                let earlier = before
                    .filter(|g| g.n == 1)
                    .map(|g| g.rows.as_slice())
                    .unwrap_or_default();
                repeating.extend(
                    earlier
                        .iter()
                        .chain(&group.rows)
                        .filter(|l| self.may_list(l)),
                );
            }
        }
        if !repeating.is_empty() {
            let mut known = std::mem::take(&mut self.known);
            known.extend(repeating.into_iter().cloned());
            known.sort_by(|a, b| natural_order(a.natural_key(), b.natural_key()));
            known.dedup_by_key(|l| l.seq);
            known.truncate(ROWS_LISTED);
            self.known = known;
        }
        for group in next.by_key.values_mut() {
            group.rows.retain(|l| self.may_list(l));
        }
        self.by_key
            .absorb(next.by_key, next.error, &mut self.error, "keys");
    }

    /// Whether row `l` may still be among the rows the result lists: not when
    /// [`ROWS_LISTED`] rows known to be offending come before it.
    fn may_list(&self, l: &Listed) -> bool {
        self.known.len() < ROWS_LISTED
            || self
                .known
                .last()
                .is_none_or(|last| natural_order(l.natural_key(), last.natural_key()).is_le())
    }

    /// Evidence rows held in memory (tests check that they stay few).
    #[cfg(test)]
    pub(crate) fn rows_held(&self) -> usize {
        let mut held = 0;
        let _ = self.by_key.for_each(|_, g| held += g.rows.len());
        held
    }

    /// The result of the whole input, and the rows it lists.
    pub fn conclude(&self, columns: &[String]) -> (Outcome, Vec<ConcernedRow>) {
        if let Some(e) = &self.error {
            return (Outcome::error(e.clone()), Vec::new());
        }
        if self.checked == 0 {
            return (
                Outcome::skip("the selection matches no indicator row with every key column set"),
                Vec::new(),
            );
        }
        let (mut repeated, mut listed) = (0u64, Vec::new());
        let visited = self.by_key.for_each(|_, group| {
            if group.n > 1 {
                repeated += group.n;
                add_listed(&mut listed, group.rows.iter().cloned());
            }
        });
        if let Err(e) = visited {
            let e = format!("cannot read keys back from a temporary file: {e}");
            return (Outcome::error(e), Vec::new());
        }
        keep_first(&mut listed);
        let what = columns.join(", ");
        let mut outcome = super::columns::outcome(
            self.checked,
            repeated,
            format!(
                "({what}) is unique over {}",
                count(self.checked as usize, "row")
            ),
            format!("({what}) repeats"),
        );
        if (listed.len() as u64) < repeated {
            outcome
                .message
                .push_str(&format!(" (rows lists the first {} of them)", listed.len()));
        }
        (outcome, listed.into_iter().map(|l| l.row).collect())
    }
}

impl Record for Group {
    fn encode(&self, e: &mut Encoder<'_>) {
        e.u64(self.n);
        encode_rows(&self.rows, e);
    }

    fn decode(d: &mut Decoder<'_>) -> io::Result<Group> {
        let n = d.u64()?;
        let rows = decode_rows(d)?;
        Ok(Group { n, rows })
    }
}
