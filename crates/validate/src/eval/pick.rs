//! One row of a selection, chosen as the rows stream past (`pick`): `ratio`'s sides and `sum`'s
//! wholes. A [`Picked`] keeps how many rows were candidates and the one `pick` prefers so far;
//! two of them merge in any order to the same choice, since the order breaks every tie by the
//! row's position in the input.

use std::cmp::Ordering;
use std::io;

use polars::prelude::*;

use super::key::{Key, key_columns, keys_of};
use super::spill::{Decoder, Encoder, Record};
use super::{EvalResult, Inputs, Listed, f64s, i64s, u32s};
use crate::selection::{Input, Pick, Selection};

/// The rows of a chunk a selection selects that carry a value, in input order: their
/// positions in the chunk and in their text, their values and their keys (of the `group_by`
/// columns; all empty without).
pub(crate) struct Valued {
    pub input: Input,
    pub rows: Vec<u32>,
    pub starts: Vec<i64>,
    pub lows: Vec<Option<f64>>,
    pub highs: Vec<Option<f64>>,
    pub keys: Vec<Key>,
}

impl Valued {
    pub fn of(inputs: &Inputs<'_>, sel: &Selection, group_by: &[String]) -> EvalResult<Valued> {
        let mut columns = vec![
            col("row"),
            col("char_start"),
            col("value_low"),
            col("value_high"),
        ];
        columns.extend(key_columns(group_by));
        let frame = inputs.select_valued(sel).select(columns).collect()?;
        Ok(Valued {
            input: sel.input,
            rows: u32s(&frame, "row")?,
            starts: i64s(&frame, "char_start")?,
            lows: f64s(&frame, "value_low")?,
            highs: f64s(&frame, "value_high")?,
            keys: keys_of(&frame, group_by.len())?,
        })
    }

    pub fn low(&self, i: usize) -> f64 {
        self.lows.get(i).copied().flatten().unwrap_or(f64::NAN)
    }

    pub fn high(&self, i: usize) -> f64 {
        self.highs.get(i).copied().flatten().unwrap_or(f64::NAN)
    }
}

/// A row that may be a selection's one value.
#[derive(Clone)]
pub(crate) struct Candidate {
    pub low: f64,
    pub high: f64,
    /// The row as a result lists it (its position in the text and in the input included).
    pub listed: Listed,
    /// Whether `sum`'s parts select the row too (it is then not counted as a part when it is
    /// chosen as the whole). Always false for `ratio`.
    pub in_parts: bool,
}

/// The candidates of a selection seen so far: how many, and the one `pick` chooses.
#[derive(Clone)]
pub(crate) struct Picked {
    pub pick: Option<Pick>,
    pub n: u64,
    pub best: Option<Candidate>,
}

impl Picked {
    pub fn new(pick: Option<Pick>) -> Picked {
        Picked {
            pick,
            n: 0,
            best: None,
        }
    }

    /// Whether a row with this low value, position in the text and position in the input
    /// would be chosen over the best so far (ask before building its [`Candidate`]).
    pub fn takes(&self, low: f64, start: i64, seq: u64) -> bool {
        self.best
            .as_ref()
            .is_none_or(|b| self.precedes((low, start, seq), b).is_lt())
    }

    /// Counts a candidate, and keeps it when `pick` prefers it.
    #[cfg(test)]
    pub fn offer(&mut self, candidate: Candidate) {
        self.n += 1;
        self.consider(candidate);
    }

    /// Keeps `candidate` (already counted) when `pick` prefers it to the best so far.
    fn consider(&mut self, candidate: Candidate) {
        let l = &candidate.listed;
        if self.takes(candidate.low, l.start, l.seq) {
            self.best = Some(candidate);
        }
    }

    /// Offers row `i` of `valued` (`in_parts`: see [`Candidate`]); the row is built only
    /// when it is chosen.
    pub fn offer_row(
        &mut self,
        inputs: &Inputs<'_>,
        valued: &Valued,
        i: usize,
        in_parts: impl FnOnce(u32) -> bool,
    ) {
        let (Some(&row), Some(&start)) = (valued.rows.get(i), valued.starts.get(i)) else {
            return;
        };
        self.n += 1;
        let low = valued.low(i);
        if !self.takes(low, start, u64::from(row)) {
            return;
        }
        if let Some(listed) = inputs.listed(valued.input, row) {
            self.best = Some(Candidate {
                low,
                high: valued.high(i),
                listed,
                in_parts: in_parts(row),
            });
        }
    }

    /// Takes in the candidates of another part of the input.
    pub fn merge(&mut self, other: Picked) {
        self.n += other.n;
        if let Some(c) = other.best {
            self.consider(c);
        }
    }

    /// Moves the rows of a chunk to their positions in the input.
    pub fn shift(&mut self, offset: u64) {
        if let Some(c) = &mut self.best {
            c.listed.seq += offset;
        }
    }

    /// The order in which `pick` prefers rows (as `sort_for_pick` sorted them): the input's
    /// order for `only`, the text's for `first` and `last`, the value's for `max` and `min`;
    /// ties go to the earlier row (the later for `last`).
    fn precedes(&self, (low, start, seq): (f64, i64, u64), b: &Candidate) -> Ordering {
        let (b_low, b_start, b_seq) = (b.low, b.listed.start, b.listed.seq);
        match self.pick {
            None | Some(Pick::Only) => seq.cmp(&b_seq),
            Some(Pick::First) => (start, seq).cmp(&(b_start, b_seq)),
            Some(Pick::Last) => (b_start, b_seq).cmp(&(start, seq)),
            Some(Pick::Max) => value_order(b_low, low).then(seq.cmp(&b_seq)),
            Some(Pick::Min) => value_order(low, b_low).then(seq.cmp(&b_seq)),
        }
    }

    /// The error of selection `side` when it must give one value and gives several (`within`:
    /// where, as " in one group").
    pub fn ambiguous(&self, side: &str, within: &str) -> Option<String> {
        (matches!(self.pick, None | Some(Pick::Only)) && self.n > 1).then(|| {
            format!(
                "`{side}` selects {} values{within}; narrow it or add pick = \"first\" | \"last\" | \"max\" | \"min\"",
                self.n
            )
        })
    }
}

/// Values in increasing order, NaN the largest (as polars sorts them), `-0.0` equal to `0.0`.
fn value_order(a: f64, b: f64) -> Ordering {
    a.partial_cmp(&b)
        .unwrap_or_else(|| a.is_nan().cmp(&b.is_nan()))
}

fn pick_code(pick: Option<Pick>) -> u8 {
    match pick {
        None => 0,
        Some(Pick::Only) => 1,
        Some(Pick::First) => 2,
        Some(Pick::Last) => 3,
        Some(Pick::Max) => 4,
        Some(Pick::Min) => 5,
    }
}

impl Record for Picked {
    fn encode(&self, e: &mut Encoder<'_>) {
        e.u8(pick_code(self.pick));
        e.u64(self.n);
        match &self.best {
            None => e.u8(0),
            Some(c) => {
                e.u8(1 + u8::from(c.in_parts));
                e.f64(c.low);
                e.f64(c.high);
                c.listed.encode(e);
            }
        }
    }

    fn decode(d: &mut Decoder<'_>) -> io::Result<Picked> {
        let pick = match d.u8()? {
            0 => None,
            1 => Some(Pick::Only),
            2 => Some(Pick::First),
            3 => Some(Pick::Last),
            4 => Some(Pick::Max),
            5 => Some(Pick::Min),
            _ => return Err(io::Error::new(io::ErrorKind::InvalidData, "spilled pick")),
        };
        let n = d.u64()?;
        let best = match d.u8()? {
            0 => None,
            tag @ (1 | 2) => Some(Candidate {
                low: d.f64()?,
                high: d.f64()?,
                listed: Listed::decode(d)?,
                in_parts: tag == 2,
            }),
            _ => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "spilled candidate",
                ));
            }
        };
        Ok(Picked { pick, n, best })
    }
}

#[cfg(test)]
mod tests {
    use chiso_model::ConcernedRow;

    use super::*;

    fn candidate(low: f64, start: i64, seq: u64) -> Candidate {
        Candidate {
            low,
            high: low,
            listed: Listed {
                row: ConcernedRow {
                    source_id: "s".into(),
                    indicator: "i".into(),
                    geo_code: None,
                    period_label: None,
                    value_low: low,
                    value_high: low,
                    quote: String::new(),
                },
                start,
                seq,
            },
            in_parts: seq.is_multiple_of(2),
        }
    }

    /// (low, start, seq) of the rows; every pick chooses the same row however they are split.
    #[test]
    fn every_pick_chooses_the_same_row_in_any_order() {
        let rows = [
            (3.0, 40, 0),
            (7.0, 10, 1),
            (7.0, 50, 2),
            (-1.0, 50, 3),
            (f64::NAN, 20, 4),
            (-1.0, 10, 5),
        ];
        let want = [
            (None, 0),
            (Some(Pick::First), 1),
            (Some(Pick::Last), 3),
            (Some(Pick::Min), 3),
            (Some(Pick::Max), 4),
        ];
        for (pick, seq) in want {
            for cut in 0..=rows.len() {
                let (mut a, mut b) = (Picked::new(pick), Picked::new(pick));
                rows[..cut]
                    .iter()
                    .for_each(|&(l, s, q)| a.offer(candidate(l, s, q)));
                rows[cut..]
                    .iter()
                    .rev()
                    .for_each(|&(l, s, q)| b.offer(candidate(l, s, q)));
                b.merge(a);
                assert_eq!(b.n, 6);
                let chosen = b.best.as_ref().map(|c| c.listed.seq);
                assert_eq!(chosen, Some(seq), "{pick:?}, cut at {cut}");
                let mut bytes = Vec::new();
                b.encode(&mut Encoder(&mut bytes));
                let back = Picked::decode(&mut Decoder::new(&bytes)).expect("decoded");
                assert_eq!(back.pick, pick);
                assert_eq!(back.n, 6);
                let c = back.best.expect("a row");
                assert_eq!((c.listed.seq, c.in_parts), (seq, seq.is_multiple_of(2)));
            }
        }
    }

    #[test]
    fn only_reports_several_values() {
        let mut p = Picked::new(Some(Pick::Only));
        p.offer(candidate(1.0, 0, 0));
        assert_eq!(p.ambiguous("whole", " in one group"), None);
        p.offer(candidate(1.0, 0, 1));
        assert_eq!(
            p.ambiguous("whole", " in one group").as_deref(),
            Some(
                "`whole` selects 2 values in one group; narrow it or add pick = \"first\" | \"last\" | \"max\" | \"min\""
            )
        );
        let mut max = Picked::new(Some(Pick::Max));
        max.offer(candidate(1.0, 0, 0));
        max.offer(candidate(2.0, 0, 1));
        assert_eq!(max.ambiguous("whole", ""), None);
    }
}
