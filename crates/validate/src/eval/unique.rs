//! `unique`: no two selected rows share the values of the key columns (rows with an empty key
//! column are not compared, as in dbt).
//!
//! Evaluated as the rows stream past, like `consistent`: each chunk's selected rows are grouped
//! by key ([`Keys`]) and the groups merge in input order, in a [`SpillMap`] that moves them to
//! disk past a size. Per key: how many rows have it and the first [`ROWS_LISTED`](super::rowwise::ROWS_LISTED) of them in
//! natural order (the evidence a result lists when the key repeats).

use std::io;

use chiso_model::ConcernedRow;
use polars::prelude::*;

use super::spill::{Decoder, Encoder, Merge, Record, SpillMap};
use super::{EvalResult, Inputs, Listable, Outcome, add_listed, count, keep_first, u32s};
use crate::selection::Selection;

/// A key: the values of the key columns, encoded (see [`encode_value`]).
#[derive(Clone, PartialEq, Eq, Hash)]
struct Key(Vec<u8>);

/// A selected row, as a result lists it.
#[derive(Clone)]
struct Listed {
    row: ConcernedRow,
    start: i64,
    /// Position of the row among all rows of the input (the chunk's until merged).
    seq: u64,
}

/// The rows of one key: how many, and the first [`ROWS_LISTED`](super::rowwise::ROWS_LISTED) in natural order.
#[derive(Clone)]
struct Group {
    n: u64,
    rows: Vec<Listed>,
}

impl Listable for Listed {
    fn natural_key(&self) -> (&ConcernedRow, i64, u64) {
        (&self.row, self.start, self.seq)
    }
}

impl Merge for Group {
    fn merge(&mut self, later: Group) {
        self.n += later.n;
        add_listed(&mut self.rows, later.rows);
    }
}

/// The keys of the rows seen so far.
#[derive(Default)]
pub(crate) struct Keys {
    /// Selected rows with every key column set.
    checked: u64,
    by_key: SpillMap<Key, Group>,
    error: Option<String>,
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
        picked.extend(
            columns
                .iter()
                .enumerate()
                .map(|(i, c)| col(c.as_str()).alias(format!("key{i}"))),
        );
        let frame = inputs
            .select(select)
            .filter(present)
            .select(picked)
            .collect()?;
        let rows = u32s(&frame, "row")?;
        let values = (0..columns.len())
            .map(|i| frame.column(&format!("key{i}")))
            .collect::<PolarsResult<Vec<_>>>()?;
        let mut out = Keys::default();
        for (i, &row) in rows.iter().enumerate() {
            let mut key = Vec::new();
            for column in &values {
                encode_value(&column.get(i)?, &mut key);
            }
            let Some((row_data, start)) = inputs.concerned(select.input, row) else {
                continue;
            };
            out.checked += 1;
            out.by_key.add(
                Key(key),
                Group {
                    n: 1,
                    rows: vec![Listed {
                        row: row_data,
                        start,
                        seq: u64::from(row),
                    }],
                },
            );
        }
        Ok(out)
    }

    /// Adds the keys of the next chunk, whose rows start at `offset` in the input.
    pub fn merge(&mut self, mut next: Keys, offset: u64) {
        self.checked += next.checked;
        for group in next.by_key.values_mut() {
            for listed in &mut group.rows {
                listed.seq += offset;
            }
        }
        self.by_key
            .absorb(next.by_key, next.error, &mut self.error, "keys");
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

/// Appends one value of a key column to `key`: a tag for its type, then the value, so that
/// values are equal exactly when their encodings are (as polars groups them: `-0.0` is `0.0`
/// and every NaN is one value).
fn encode_value(value: &AnyValue<'_>, key: &mut Vec<u8>) {
    let mut e = Encoder(key);
    match value {
        AnyValue::Null => e.u8(0),
        AnyValue::Boolean(b) => {
            e.u8(1);
            e.u8(u8::from(*b));
        }
        AnyValue::Float32(_) | AnyValue::Float64(_) => {
            let v = value.extract::<f64>().unwrap_or(f64::NAN);
            let v = if v == 0.0 {
                0.0
            } else if v.is_nan() {
                f64::NAN
            } else {
                v
            };
            e.u8(2);
            e.f64(v);
        }
        AnyValue::Int8(_)
        | AnyValue::Int16(_)
        | AnyValue::Int32(_)
        | AnyValue::Int64(_)
        | AnyValue::UInt8(_)
        | AnyValue::UInt16(_)
        | AnyValue::UInt32(_) => {
            e.u8(3);
            e.u64(value.extract::<i64>().unwrap_or_default() as u64);
        }
        AnyValue::UInt64(v) => {
            e.u8(4);
            e.u64(*v);
        }
        other => match other.get_str() {
            Some(s) => {
                e.u8(6);
                e.str(s);
            }
            // No other type is in the frames; its debug form tells values apart.
            None => {
                e.u8(7);
                e.str(&format!("{other:?}"));
            }
        },
    }
}

impl Record for Key {
    fn encode(&self, e: &mut Encoder<'_>) {
        e.u64(self.0.len() as u64);
        e.0.extend_from_slice(&self.0);
    }

    fn decode(d: &mut Decoder<'_>) -> io::Result<Key> {
        let len = usize::try_from(d.u64()?)
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "spilled key: bad length"))?;
        Ok(Key(d.bytes(len)?.to_vec()))
    }
}

impl Record for Group {
    fn encode(&self, e: &mut Encoder<'_>) {
        e.u64(self.n);
        e.u64(self.rows.len() as u64);
        for l in &self.rows {
            l.row.encode(e);
            e.u64(l.start as u64);
            e.u64(l.seq);
        }
    }

    fn decode(d: &mut Decoder<'_>) -> io::Result<Group> {
        let n = d.u64()?;
        let listed = d.u64()?;
        let rows = (0..listed)
            .map(|_| {
                Ok(Listed {
                    row: ConcernedRow::decode(d)?,
                    start: d.u64()? as i64,
                    seq: d.u64()?,
                })
            })
            .collect::<io::Result<Vec<_>>>()?;
        Ok(Group { n, rows })
    }
}
