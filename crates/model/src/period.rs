use std::fmt;

use crate::Date;

/// The reference period of a statement.
///
/// Months are cumulative from January where the Vietnamese text says so ("9 tháng năm 2024" is
/// January to September), which is [`Period::Months`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Period {
    /// A calendar year: "năm 2022".
    Year(i32),
    /// A quarter: "quý I/2023".
    Quarter {
        /// Year.
        year: i32,
        /// Quarter 1..=4.
        q: u8,
    },
    /// One month: "tháng 10/2022".
    Month {
        /// Year.
        year: i32,
        /// Month 1..=12.
        month: u8,
    },
    /// A run of months within one year: "6 tháng đầu năm 2024" is months 1..=6.
    Months {
        /// Year.
        year: i32,
        /// First month 1..=12.
        from: u8,
        /// Last month 1..=12.
        to: u8,
    },
    /// A run of whole years: "giai đoạn 2021-2025".
    Years {
        /// First year.
        from: i32,
        /// Last year.
        to: i32,
    },
    /// One day: "ngày 30/6/2023" as a date mention names it.
    Day {
        /// Year.
        year: i32,
        /// Month 1..=12.
        month: u8,
        /// Day of the month, 1 to its last.
        day: u8,
    },
    /// From 1 January to a day of the same year, not a month's last: "tính đến ngày
    /// 15/11/2023". Made by [`Period::to_day`], which gives whole months for a month's last day.
    ToDay {
        /// Year.
        year: i32,
        /// Month 1..=12.
        month: u8,
        /// Day of the month, 1 to its last.
        day: u8,
    },
}

impl Period {
    /// Months `from` to `to` of `year`: the year itself when they are all twelve ("12 tháng
    /// năm 2022", "đến hết tháng 12/2022" are 2022).
    pub fn months(year: i32, from: u8, to: u8) -> Period {
        match (from, to) {
            (1, 12) => Period::Year(year),
            _ => Period::Months { year, from, to },
        }
    }

    /// From 1 January of `year` to a day of it (a day past the month's end is its last): the
    /// months from January when the day ends a month ("tính đến ngày 30/6/2023" is
    /// `2023-01/2023-06`, as "tính đến hết tháng 6/2023"; 31 December the year), those before
    /// it when the day starts one ("đến ngày 1/7/2023" is the first half, "đến ngày 1/1/2023"
    /// the year 2022: a count on the first day is the count at the end of the day before), else
    /// [`Period::ToDay`].
    pub fn to_day(year: i32, month: u8, day: u8) -> Period {
        let month = month.clamp(1, 12);
        let last = Date::end_of_month(year, month).day;
        match day.clamp(1, last) {
            d if d == last => Period::months(year, 1, month),
            1 if month == 1 => Period::Year(year - 1),
            1 => Period::months(year, 1, month - 1),
            day => Period::ToDay { year, month, day },
        }
    }

    /// One day of `year` (a day past the month's end is its last).
    pub fn day(year: i32, month: u8, day: u8) -> Period {
        let month = month.clamp(1, 12);
        let day = day.clamp(1, Date::end_of_month(year, month).day);
        Period::Day { year, month, day }
    }

    /// First day of the period.
    pub fn start(&self) -> Date {
        let d = |year, month| Date {
            year,
            month,
            day: 1,
        };
        match *self {
            Period::Year(y) => d(y, 1),
            Period::Quarter { year, q } => d(year, (q.clamp(1, 4) - 1) * 3 + 1),
            Period::Month { year, month } => d(year, month),
            Period::Months { year, from, .. } => d(year, from),
            Period::Years { from, .. } => d(from, 1),
            Period::Day { year, month, day } => Date { year, month, day },
            Period::ToDay { year, .. } => d(year, 1),
        }
    }

    /// Last day of the period.
    pub fn end(&self) -> Date {
        match *self {
            Period::Year(y) => Date::end_of_month(y, 12),
            Period::Quarter { year, q } => Date::end_of_month(year, q.clamp(1, 4) * 3),
            Period::Month { year, month } => Date::end_of_month(year, month),
            Period::Months { year, to, .. } => Date::end_of_month(year, to),
            Period::Years { to, .. } => Date::end_of_month(to, 12),
            Period::Day { year, month, day } | Period::ToDay { year, month, day } => {
                Date { year, month, day }
            }
        }
    }

    /// The last year the period touches.
    pub fn last_year(&self) -> i32 {
        self.end().year
    }

    /// The same period `years` years later (earlier when negative): the base of "so với cùng
    /// kỳ năm trước" is `shifted(-1)`.
    pub fn shifted(&self, years: i32) -> Period {
        match *self {
            Period::Year(y) => Period::Year(y + years),
            Period::Quarter { year, q } => Period::Quarter {
                year: year + years,
                q,
            },
            Period::Month { year, month } => Period::Month {
                year: year + years,
                month,
            },
            Period::Months { year, from, to } => Period::Months {
                year: year + years,
                from,
                to,
            },
            Period::Years { from, to } => Period::Years {
                from: from + years,
                to: to + years,
            },
            // 29 February a year later is the 28th.
            Period::Day { year, month, day } => Period::day(year + years, month, day),
            Period::ToDay { year, month, day } => Period::to_day(year + years, month, day),
        }
    }

    /// The period of the same length just before: the year, quarter or month before, the run
    /// of years before ("giai đoạn 2016-2020" before 2021-2025), the run of months before in
    /// the same year (months 1-6 before 7-12); `None` for a run of months from January and for
    /// days.
    pub fn previous(&self) -> Option<Period> {
        match *self {
            Period::Year(y) => Some(Period::Year(y - 1)),
            Period::Quarter { year, q: 1 } => Some(Period::Quarter {
                year: year - 1,
                q: 4,
            }),
            Period::Quarter { year, q } => Some(Period::Quarter { year, q: q - 1 }),
            Period::Month { year, month: 1 } => Some(Period::Month {
                year: year - 1,
                month: 12,
            }),
            Period::Month { year, month } => Some(Period::Month {
                year,
                month: month - 1,
            }),
            Period::Months { year, from, to } => {
                let len = to.checked_sub(from)? + 1;
                (from > len).then(|| Period::Months {
                    year,
                    from: from - len,
                    to: from - 1,
                })
            }
            Period::Years { from, to } => Some(Period::Years {
                from: from - (to - from + 1),
                to: from - 1,
            }),
            Period::Day { .. } | Period::ToDay { .. } => None,
        }
    }

    /// A short label: `2022`, `2023-Q1`, `2022-10`, `2023-01/2023-09`, `2021/2025`,
    /// `2023-06-30` (a day), `2023-01-01/2023-11-15` (to a day).
    pub fn label(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Period::Year(y) => write!(f, "{y}"),
            Period::Quarter { year, q } => write!(f, "{year}-Q{q}"),
            Period::Month { year, month } => write!(f, "{year}-{month:02}"),
            Period::Months { year, from, to } => write!(f, "{year}-{from:02}/{year}-{to:02}"),
            Period::Years { from, to } => write!(f, "{from}/{to}"),
            Period::Day { year, month, day } => write!(f, "{year}-{month:02}-{day:02}"),
            Period::ToDay { year, month, day } => {
                write!(f, "{year}-01-01/{year}-{month:02}-{day:02}")
            }
        }
    }
}

/// A period as a text names it, before the year is known from context.
///
/// "quý I/2023" is fixed; "quý III" alone names a quarter of a year that the sentence, the
/// paragraph or the document's date supplies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PeriodRef {
    /// A fully stated period.
    Fixed(Period),
    /// A quarter of a year given elsewhere.
    Quarter(u8),
    /// A month of a year given elsewhere.
    Month(u8),
    /// A run of months of a year given elsewhere ("6 tháng đầu năm" is months 1..=6).
    Months {
        /// First month.
        from: u8,
        /// Last month.
        to: u8,
    },
    /// A day of a year given elsewhere ("ngày 15/11").
    Day {
        /// Month 1..=12.
        month: u8,
        /// Day of the month.
        day: u8,
    },
    /// From 1 January to a day of a year given elsewhere ("tính đến ngày 15/11").
    ToDay {
        /// Month 1..=12.
        month: u8,
        /// Day of the month.
        day: u8,
    },
}

impl PeriodRef {
    /// The period, with `year` filling what the text left open.
    pub fn resolve(self, year: i32) -> Period {
        match self {
            PeriodRef::Fixed(p) => p,
            PeriodRef::Quarter(q) => Period::Quarter { year, q },
            PeriodRef::Month(month) => Period::Month { year, month },
            PeriodRef::Months { from, to } => Period::months(year, from, to),
            PeriodRef::Day { month, day } => Period::day(year, month, day),
            PeriodRef::ToDay { month, day } => Period::to_day(year, month, day),
        }
    }

    /// The same reference counted from 1 January to its day ("tính đến ngày 15/11"); other
    /// references as they are.
    pub fn to_day(self) -> PeriodRef {
        match self {
            PeriodRef::Fixed(Period::Day { year, month, day }) => {
                PeriodRef::Fixed(Period::to_day(year, month, day))
            }
            PeriodRef::Day { month, day } => PeriodRef::ToDay { month, day },
            other => other,
        }
    }

    /// The fixed period, when the text stated its year.
    pub fn fixed(self) -> Option<Period> {
        match self {
            PeriodRef::Fixed(p) => Some(p),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_and_labels() {
        let cases = [
            (Period::Year(2022), "2022-01-01", "2022-12-31", "2022"),
            (
                Period::Quarter { year: 2023, q: 1 },
                "2023-01-01",
                "2023-03-31",
                "2023-Q1",
            ),
            (
                Period::Quarter { year: 2023, q: 4 },
                "2023-10-01",
                "2023-12-31",
                "2023-Q4",
            ),
            (
                Period::Month {
                    year: 2024,
                    month: 2,
                },
                "2024-02-01",
                "2024-02-29",
                "2024-02",
            ),
            (
                Period::Months {
                    year: 2024,
                    from: 1,
                    to: 9,
                },
                "2024-01-01",
                "2024-09-30",
                "2024-01/2024-09",
            ),
            (
                Period::Years {
                    from: 2021,
                    to: 2025,
                },
                "2021-01-01",
                "2025-12-31",
                "2021/2025",
            ),
        ];
        let days = [
            (
                Period::day(2023, 6, 30),
                "2023-06-30",
                "2023-06-30",
                "2023-06-30",
            ),
            (
                Period::to_day(2023, 11, 15),
                "2023-01-01",
                "2023-11-15",
                "2023-01-01/2023-11-15",
            ),
            (
                Period::to_day(2023, 6, 30),
                "2023-01-01",
                "2023-06-30",
                "2023-01/2023-06",
            ),
            (
                Period::to_day(2022, 12, 31),
                "2022-01-01",
                "2022-12-31",
                "2022",
            ),
            (
                Period::to_day(2023, 1, 1),
                "2022-01-01",
                "2022-12-31",
                "2022",
            ),
            (
                Period::to_day(2023, 7, 1),
                "2023-01-01",
                "2023-06-30",
                "2023-01/2023-06",
            ),
            (
                Period::months(2022, 1, 12),
                "2022-01-01",
                "2022-12-31",
                "2022",
            ),
            (
                Period::to_day(2023, 2, 30),
                "2023-01-01",
                "2023-02-28",
                "2023-01/2023-02",
            ),
        ];
        for (p, s, e, l) in cases.into_iter().chain(days) {
            assert_eq!(p.start().to_string(), s, "{p:?}");
            assert_eq!(p.end().to_string(), e, "{p:?}");
            assert_eq!(p.label(), l);
        }
    }

    #[test]
    fn a_year_before_and_the_period_before() {
        let label = |p: Option<Period>| p.map(|p| p.label());
        let cases = [
            (Period::Year(2022), "2021", Some("2021")),
            (
                Period::Quarter { year: 2023, q: 1 },
                "2022-Q1",
                Some("2022-Q4"),
            ),
            (
                Period::Quarter { year: 2023, q: 3 },
                "2022-Q3",
                Some("2023-Q2"),
            ),
            (
                Period::Month {
                    year: 2023,
                    month: 1,
                },
                "2022-01",
                Some("2022-12"),
            ),
            (
                Period::Month {
                    year: 2023,
                    month: 10,
                },
                "2022-10",
                Some("2023-09"),
            ),
            (
                Period::Months {
                    year: 2024,
                    from: 1,
                    to: 6,
                },
                "2023-01/2023-06",
                None,
            ),
            (
                Period::Months {
                    year: 2024,
                    from: 7,
                    to: 12,
                },
                "2023-07/2023-12",
                Some("2024-01/2024-06"),
            ),
            (
                Period::Months {
                    year: 2024,
                    from: 4,
                    to: 9,
                },
                "2023-04/2023-09",
                None,
            ),
            (
                Period::Years {
                    from: 2021,
                    to: 2025,
                },
                "2020/2024",
                Some("2016/2020"),
            ),
        ];
        let days = [
            (Period::day(2024, 2, 29), "2023-02-28", None),
            (Period::to_day(2024, 2, 28), "2023-01/2023-02", None),
            (Period::to_day(2023, 11, 15), "2022-01-01/2022-11-15", None),
        ];
        for (p, year_ago, previous) in cases.into_iter().chain(days) {
            assert_eq!(p.shifted(-1).label(), year_ago, "{p:?}");
            assert_eq!(label(p.previous()).as_deref(), previous, "{p:?}");
        }
    }
}
