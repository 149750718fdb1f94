//! The closed vocabularies of an indicator record. Each has a stable lower-case spelling used
//! in Parquet columns, rule files and the data dictionary.

use std::fmt;
use std::str::FromStr;

use crate::Error;

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($(#[$vmeta:meta])* $variant:ident => $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The stable spelling used in files.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self, Error> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(Error::UnknownTerm {
                        what: $what,
                        input: s.to_owned(),
                        expected: [$($text),+].join(", "),
                    }),
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

vocabulary! {
    /// What a value measures about its indicator.
    Measure, "measure" {
        /// The indicator's own value: a growth rate for `gdp_growth`, an amount for revenue.
        Level => "level",
        /// A change against a base, usually the same period a year earlier ("tăng 12% so với cùng kỳ").
        Change => "change",
        /// Percent of a plan, estimate or target reached ("đạt 83,2% kế hoạch").
        PlanShare => "plan_share",
        /// A position in a ranking ("đứng thứ 4/14").
        Rank => "rank",
    }
}

vocabulary! {
    /// What a change or a growth rate is measured against, when the text says ("so với …").
    Base, "base" {
        /// The same period a year earlier: "so với cùng kỳ (năm trước)", "so với năm 2021" of a
        /// 2022 value, "so với cùng kỳ năm 2022" of a month of 2023.
        YearAgo => "year_ago",
        /// The period just before: "so với tháng trước", "so với quý trước", "so với tháng 9"
        /// of October.
        PreviousPeriod => "previous_period",
        /// The end of the year before (prices, credit): "so với tháng 12 năm trước", "so với
        /// đầu năm", "so với cuối năm trước".
        YearStart => "year_start",
        /// Another period the text names: "so với năm 2015", "so với cùng kỳ năm 2019".
        OtherPeriod => "other_period",
    }
}

vocabulary! {
    /// Whether a value was achieved, estimated, targeted or forecast.
    Kind, "kind" {
        /// Reported as achieved.
        Actual => "actual",
        /// "ước đạt", "ước tính": an estimate of a period not yet closed.
        Estimate => "estimate",
        /// "phấn đấu", "mục tiêu", "kế hoạch": a target.
        Target => "target",
        /// "dự báo", "dự kiến": a forecast about the future.
        Forecast => "forecast",
    }
}

vocabulary! {
    /// How the stated value relates to the true one.
    Comparator, "comparator" {
        /// Exactly.
        Eq => "eq",
        /// About: "khoảng", "gần", "xấp xỉ".
        Approx => "approx",
        /// More than: "hơn", "trên", "vượt".
        Gt => "gt",
        /// At least: "trở lên", "ít nhất", "không dưới".
        Ge => "ge",
        /// Less than: "dưới".
        Lt => "lt",
        /// At most: "không quá", "tối đa".
        Le => "le",
    }
}

vocabulary! {
    /// Units of values, in base units (money in whole currency units, percent as 19.3).
    Unit, "unit" {
        /// Percent, stored as 19.3 for 19,3%.
        Percent => "percent",
        /// Percentage points ("điểm phần trăm").
        Pp => "pp",
        /// Vietnamese đồng.
        Vnd => "vnd",
        /// US dollars.
        Usd => "usd",
        /// A plain count.
        Count => "count",
        /// Households ("hộ").
        Household => "household",
        /// People ("người").
        Person => "person",
        /// Visits, e.g. tourist arrivals ("lượt khách").
        Visit => "visit",
        /// Metric tonnes.
        Tonne => "tonne",
        /// Hectares.
        Ha => "ha",
        /// Square kilometres.
        Km2 => "km2",
        /// Kilometres.
        Km => "km",
        /// A multiplier ("gấp 2 lần").
        Times => "times",
        /// A position in a ranking.
        Rank => "rank",
        /// An index score (PCI).
        Score => "score",
        /// Vietnamese đồng per person per year (income).
        VndPerPersonYear => "vnd_per_person_year",
        /// Vietnamese đồng per person per month.
        VndPerPersonMonth => "vnd_per_person_month",
        /// US dollars per person (per year).
        UsdPerPerson => "usd_per_person",
        /// Percent per year ("%/năm").
        PercentPerYear => "percent_per_year",
        /// Per 10 000 people ("bác sĩ/vạn dân", "giường bệnh trên 1 vạn dân").
        Per10kPeople => "per_10k_people",
    }
}

#[allow(clippy::derivable_impls)] // the enum comes from vocabulary!, which cannot place #[default]
impl Default for Kind {
    fn default() -> Self {
        Kind::Actual
    }
}

#[allow(clippy::derivable_impls)] // the enum comes from vocabulary!, which cannot place #[default]
impl Default for Comparator {
    fn default() -> Self {
        Comparator::Eq
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_round_trip() {
        for u in Unit::ALL {
            assert_eq!(u.as_str().parse::<Unit>().unwrap(), *u);
        }
        for m in Measure::ALL {
            assert_eq!(m.as_str().parse::<Measure>().unwrap(), *m);
        }
        let err = "levels".parse::<Measure>().unwrap_err().to_string();
        assert!(err.contains("level, change, plan_share, rank"), "{err}");
    }
}
