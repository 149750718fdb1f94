//! Sums of floats that do not depend on the order of the terms: `sum`'s parts arrive chunk by
//! chunk, and the chunks of a run depend on how the input was cut. Adding floats one after
//! another rounds at every step, so `(a + b) + c` and `a + (b + c)` can differ in the last bit
//! (and a message then says "0.6000000000000001"). [`ExactSum`] keeps the exact sum as a few
//! non-overlapping floats (Shewchuk's partials, as Python's `math.fsum`) and rounds once at the
//! end: the correctly rounded sum of every term, however they were grouped.

use std::io;

use super::spill::{Decoder, Encoder, Record};

/// The exact sum of the terms added so far.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct ExactSum {
    /// Non-overlapping floats, increasing in magnitude, whose exact sum is the sum of the
    /// finite terms.
    partials: Vec<f64>,
    /// The sum of the infinite and NaN terms (and of a partial that overflowed), if any: the
    /// result whatever the finite terms add up to.
    special: Option<f64>,
}

impl ExactSum {
    /// Adds one term.
    pub fn add(&mut self, x: f64) {
        if !x.is_finite() {
            self.add_special(x);
            return;
        }
        let mut x = x;
        let mut kept = 0;
        for j in 0..self.partials.len() {
            let mut y = self.partials[j];
            if x.abs() < y.abs() {
                std::mem::swap(&mut x, &mut y);
            }
            let hi = x + y;
            if !hi.is_finite() {
                // Past f64's range: the sum is infinite (Python raises here).
                self.partials.truncate(kept);
                self.add_special(hi);
                return;
            }
            let lo = y - (hi - x);
            if lo != 0.0 {
                self.partials[kept] = lo;
                kept += 1;
            }
            x = hi;
        }
        self.partials.truncate(kept);
        // As CPython's `fsum`: no zero partial (parts of `-0.0` add up to `0`, as polars sums).
        if x != 0.0 {
            self.partials.push(x);
        }
    }

    fn add_special(&mut self, x: f64) {
        self.special = Some(self.special.map_or(x, |s| s + x));
    }

    /// Adds every term of `other`.
    pub fn merge(&mut self, other: &ExactSum) {
        for &p in &other.partials {
            self.add(p);
        }
        if let Some(s) = other.special {
            self.add_special(s);
        }
    }

    /// The sum, rounded once (to nearest, ties to even).
    pub fn value(&self) -> f64 {
        if let Some(s) = self.special {
            return s;
        }
        let p = &self.partials;
        let Some(&last) = p.last() else {
            return 0.0;
        };
        // Add from the largest partial down until a step is inexact.
        let (mut hi, mut lo, mut n) = (last, 0.0, p.len() - 1);
        while n > 0 {
            n -= 1;
            let (x, y) = (hi, p[n]);
            hi = x + y;
            lo = y - (hi - x);
            if lo != 0.0 {
                break;
            }
        }
        // Half-way cases: the next partial decides which way `hi + lo` rounds.
        if n > 0 && ((lo < 0.0 && p[n - 1] < 0.0) || (lo > 0.0 && p[n - 1] > 0.0)) {
            let y = lo * 2.0;
            let x = hi + y;
            if y == x - hi {
                hi = x;
            }
        }
        hi
    }
}

impl Record for ExactSum {
    fn encode(&self, e: &mut Encoder<'_>) {
        e.u64(self.partials.len() as u64);
        for &p in &self.partials {
            e.f64(p);
        }
        match self.special {
            None => e.u8(0),
            Some(s) => {
                e.u8(1);
                e.f64(s);
            }
        }
    }

    fn decode(d: &mut Decoder<'_>) -> io::Result<ExactSum> {
        let n = d.u64()?;
        let partials = (0..n).map(|_| d.f64()).collect::<io::Result<Vec<_>>>()?;
        let special = match d.u8()? {
            0 => None,
            _ => Some(d.f64()?),
        };
        Ok(ExactSum { partials, special })
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn sum(terms: &[f64]) -> f64 {
        let mut s = ExactSum::default();
        terms.iter().for_each(|&t| s.add(t));
        s.value()
    }

    #[test]
    fn rounds_once() {
        assert_eq!(sum(&[0.1, 0.2, 0.3]), 0.6);
        assert_eq!(
            0.1 + 0.2 + 0.3,
            0.6000000000000001,
            "what adding in turn gives"
        );
        assert_eq!(sum(&[1e100, 1.0, -1e100]), 1.0);
        assert_eq!(sum(&[]), 0.0);
        assert_eq!(sum(&[2.5]), 2.5);
        assert_eq!(sum(&[-0.0, -0.0]).to_bits(), 0.0f64.to_bits());
        // A half-way case: 1 + 2^-53 lies half-way between two floats; the third term decides.
        let half = f64::EPSILON / 2.0;
        assert_eq!(sum(&[1.0, half, half * 1e-10]), 1.0 + f64::EPSILON);
        assert_eq!(sum(&[1.0, half, -half * 1e-10]), 1.0);
        assert_eq!(sum(&[1.0, half]), 1.0, "ties to even");
    }

    #[test]
    fn infinities_and_nan_win_and_overflow_is_infinite() {
        assert_eq!(sum(&[1.0, f64::INFINITY, 2.0]), f64::INFINITY);
        assert!(sum(&[f64::INFINITY, f64::NEG_INFINITY]).is_nan());
        assert!(sum(&[1.0, f64::NAN]).is_nan());
        assert_eq!(sum(&[f64::MAX, f64::MAX]), f64::INFINITY);
    }

    #[test]
    fn round_trips_through_a_spill() {
        let mut s = ExactSum::default();
        for t in [1e100, 1.0, -3.5, 0.1] {
            s.add(t);
        }
        let mut bytes = Vec::new();
        s.encode(&mut Encoder(&mut bytes));
        let back = ExactSum::decode(&mut Decoder::new(&bytes)).expect("decoded");
        assert_eq!(back, s);
        let mut inf = ExactSum::default();
        inf.add(f64::NEG_INFINITY);
        bytes.clear();
        inf.encode(&mut Encoder(&mut bytes));
        assert_eq!(
            ExactSum::decode(&mut Decoder::new(&bytes)).expect("decoded"),
            inf
        );
    }

    proptest! {
        /// However the terms are split and merged, the sum is the same, and it is the sum of
        /// the terms computed exactly (as integers: every term a multiple of 2^-20 here).
        #[test]
        fn the_sum_does_not_depend_on_grouping(
            ints in proptest::collection::vec(-(1i64 << 52)..(1i64 << 52), 0..40),
            cut in 0usize..40,
        ) {
            let terms: Vec<f64> = ints.iter().map(|&i| i as f64 / (1u64 << 20) as f64).collect();
            let exact: i128 = ints.iter().map(|&i| i128::from(i)).sum();
            let want = exact as f64 / (1u64 << 20) as f64;
            let cut = cut.min(terms.len());
            let (mut a, mut b) = (ExactSum::default(), ExactSum::default());
            terms[..cut].iter().for_each(|&t| a.add(t));
            terms[cut..].iter().rev().for_each(|&t| b.add(t));
            let mut ab = a.clone();
            ab.merge(&b);
            b.merge(&a);
            prop_assert_eq!(ab.value(), b.value());
            prop_assert_eq!(ab.value(), want);
        }
    }
}
