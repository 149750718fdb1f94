use std::fmt;
use std::str::FromStr;

use crate::{Error, Result};

/// A calendar date (proleptic Gregorian), small and dependency-free.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, e.g. 2023.
    pub year: i32,
    /// Month 1..=12.
    pub month: u8,
    /// Day 1..=31.
    pub day: u8,
}

impl Date {
    /// A date, if it exists.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// The last day of a month (`month` must be 1..=12, else December is used).
    pub fn end_of_month(year: i32, month: u8) -> Date {
        let month = month.clamp(1, 12);
        Date {
            year,
            month,
            day: days_in_month(year, month),
        }
    }

    /// Days since 1970-01-01, the Arrow `date32` representation.
    pub fn days_since_epoch(self) -> i32 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        (era * 146_097 + doe - 719_468) as i32
    }
}

/// Whether `year` is a leap year.
fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = Error;
    fn from_str(s: &str) -> Result<Date> {
        match s.parse::<PartialDate>()? {
            PartialDate::Day(d) => Ok(d),
            _ => Err(Error::InvalidDate {
                input: s.to_owned(),
                reason: "expected YYYY-MM-DD",
            }),
        }
    }
}

/// A publication date as precise as the source knows it: `2023`, `2023-04` or `2023-04-15`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PartialDate {
    /// Only the year.
    Year(i32),
    /// Year and month.
    Month {
        /// Year.
        year: i32,
        /// Month 1..=12.
        month: u8,
    },
    /// A whole date.
    Day(Date),
}

impl PartialDate {
    /// The year.
    pub fn year(self) -> i32 {
        match self {
            PartialDate::Year(y) | PartialDate::Month { year: y, .. } => y,
            PartialDate::Day(d) => d.year,
        }
    }

    /// The month, when known.
    pub fn month(self) -> Option<u8> {
        match self {
            PartialDate::Year(_) => None,
            PartialDate::Month { month, .. } => Some(month),
            PartialDate::Day(d) => Some(d.month),
        }
    }

    /// The first day it may be: 1 January of a year, the 1st of a month (as the
    /// [`Period`](crate::Period) of that year or month starts).
    pub fn first_day(self) -> Date {
        match self {
            PartialDate::Year(year) => crate::Period::Year(year).start(),
            PartialDate::Month { year, month } => crate::Period::Month { year, month }.start(),
            PartialDate::Day(d) => d,
        }
    }

    /// The last day it may be: 31 December of a year, the end of a month.
    pub fn last_day(self) -> Date {
        match self {
            PartialDate::Year(year) => crate::Period::Year(year).end(),
            PartialDate::Month { year, month } => crate::Period::Month { year, month }.end(),
            PartialDate::Day(d) => d,
        }
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PartialDate::Year(y) => write!(f, "{y:04}"),
            PartialDate::Month { year, month } => write!(f, "{year:04}-{month:02}"),
            PartialDate::Day(d) => d.fmt(f),
        }
    }
}

impl FromStr for PartialDate {
    type Err = Error;
    fn from_str(s: &str) -> Result<PartialDate> {
        let bad = |reason| Error::InvalidDate {
            input: s.to_owned(),
            reason,
        };
        let parts: Vec<&str> = s.trim().split('-').collect();
        let num = |p: &str, len: usize| -> Result<u32> {
            if p.len() != len || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad("expected YYYY, YYYY-MM or YYYY-MM-DD"));
            }
            p.parse::<u32>().map_err(|_| bad("not a number"))
        };
        match parts.as_slice() {
            [y] => Ok(PartialDate::Year(num(y, 4)? as i32)),
            [y, m] => {
                let (year, month) = (num(y, 4)? as i32, num(m, 2)? as u8);
                if !(1..=12).contains(&month) {
                    return Err(bad("month out of range"));
                }
                Ok(PartialDate::Month { year, month })
            }
            [y, m, d] => Date::new(num(y, 4)? as i32, num(m, 2)? as u8, num(d, 2)? as u8)
                .map(PartialDate::Day)
                .ok_or_else(|| bad("no such day")),
            _ => Err(bad("expected YYYY, YYYY-MM or YYYY-MM-DD")),
        }
    }
}

impl serde::Serialize for PartialDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for PartialDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_days_match_arrow() {
        assert_eq!(Date::new(1970, 1, 1).unwrap().days_since_epoch(), 0);
        assert_eq!(Date::new(2022, 1, 1).unwrap().days_since_epoch(), 18993);
        assert_eq!(Date::new(2000, 3, 1).unwrap().days_since_epoch(), 11017);
        assert_eq!(Date::new(1969, 12, 31).unwrap().days_since_epoch(), -1);
    }

    #[test]
    fn partial_dates_parse_and_reject() {
        assert_eq!(
            "2023".parse::<PartialDate>().unwrap(),
            PartialDate::Year(2023)
        );
        assert_eq!(
            "2023-04".parse::<PartialDate>().unwrap(),
            PartialDate::Month {
                year: 2023,
                month: 4
            }
        );
        assert!("2023-02-30".parse::<PartialDate>().is_err());
        assert!("2023-13".parse::<PartialDate>().is_err());
        assert!("23-1".parse::<PartialDate>().is_err());
        assert_eq!(Date::end_of_month(2024, 2).day, 29);
    }

    #[test]
    fn a_partial_date_spans_its_days() {
        let span = |s: &str| {
            let p: PartialDate = s.parse().unwrap();
            (p.first_day().to_string(), p.last_day().to_string())
        };
        assert_eq!(span("2023"), ("2023-01-01".into(), "2023-12-31".into()));
        assert_eq!(span("2024-02"), ("2024-02-01".into(), "2024-02-29".into()));
        assert_eq!(
            span("2023-04-15"),
            ("2023-04-15".into(), "2023-04-15".into())
        );
    }
}
