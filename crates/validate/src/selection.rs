//! Selections: which rows a rule looks at, checked at load time and evaluated as polars
//! filter expressions.

use std::str::FromStr;

use chiso_model::{Base, Comparator, Kind, Measure, MentionKind, Unit};
use polars::prelude::{Expr, col, lit};
use toml::Spanned;

use crate::Result;
use crate::frame::contains_column;
use crate::location::Source;
use crate::raw::{OneOrMany, RawSelection};

/// Which input a selection reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// Indicator records (the default).
    Records,
    /// Mention facts: numbers as the text states them, before they became indicator rows.
    Mentions,
}

impl Input {
    /// The spelling in rules files.
    pub fn as_str(self) -> &'static str {
        match self {
            Input::Records => "records",
            Input::Mentions => "mentions",
        }
    }
}

/// How to choose one row when a selection must give one value (`whole`, `numerator`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    /// The selection must match exactly one row.
    Only,
    /// The row stated first in its source (smallest character offset).
    First,
    /// The row stated last.
    Last,
    /// The row with the largest value.
    Max,
    /// The row with the smallest value.
    Min,
}

impl Pick {
    const SPELLINGS: &'static [(&'static str, Pick)] = &[
        ("only", Pick::Only),
        ("first", Pick::First),
        ("last", Pick::Last),
        ("max", Pick::Max),
        ("min", Pick::Min),
    ];
}

/// One condition of a selection.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Filter {
    /// The column equals one of the values.
    OneOf {
        column: &'static str,
        values: Vec<String>,
    },
    /// The period lies within this calendar year.
    Year(i32),
    /// The sentence (quote) contains this text.
    Contains(String),
}

/// A validated selection.
#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    pub(crate) input: Input,
    pub(crate) filters: Vec<Filter>,
    pub(crate) pick: Option<Pick>,
}

impl Selection {
    /// Every row of the input.
    pub(crate) fn all(input: Input) -> Selection {
        Selection {
            input,
            filters: Vec::new(),
            pick: None,
        }
    }

    /// Checks a raw selection. `key` is the rule key it sits under (`select`, `parts`, ...), and
    /// `pick_allowed` says whether that key selects one value.
    pub(crate) fn build(
        src: &Source<'_>,
        key: &str,
        raw: Spanned<RawSelection>,
        pick_allowed: bool,
    ) -> Result<Selection> {
        let raw = raw.into_inner();
        let input = match &raw.from {
            None => Input::Records,
            Some(f) => match f.get_ref().as_str() {
                "records" => Input::Records,
                "mentions" => Input::Mentions,
                other => {
                    return Err(src.error(
                        f.span(),
                        format!("{key}.from"),
                        format!("unknown input {other:?} (expected one of: records, mentions)"),
                    ));
                }
            },
        };
        let mut filters = Vec::new();
        let only_records = |name: &str, span: std::ops::Range<usize>| -> Result<()> {
            if input == Input::Mentions {
                return Err(src.error(span, format!("{key}.{name}"), format!("`{name}` selects indicator records; it is not available with from = \"mentions\"")));
            }
            Ok(())
        };
        let only_mentions = |name: &str, span: std::ops::Range<usize>| -> Result<()> {
            if input == Input::Records {
                return Err(src.error(
                    span,
                    format!("{key}.{name}"),
                    format!("`{name}` selects mentions; add from = \"mentions\" to use it"),
                ));
            }
            Ok(())
        };
        let mut one_of = |name: &'static str,
                          column: &'static str,
                          value: Option<Spanned<OneOrMany>>,
                          check: &dyn Fn(&str) -> std::result::Result<(), String>|
         -> Result<()> {
            let Some(value) = value else { return Ok(()) };
            let span = value.span();
            let values = value.into_inner().into_vec();
            if values.is_empty() {
                return Err(src.error(
                    span,
                    format!("{key}.{name}"),
                    "an empty list selects nothing",
                ));
            }
            for v in &values {
                check(v).map_err(|m| src.error(span.clone(), format!("{key}.{name}"), m))?;
            }
            filters.push(Filter::OneOf { column, values });
            Ok(())
        };
        let any = |_: &str| Ok(());
        let parsed = |f: fn(&str) -> std::result::Result<(), chiso_model::Error>| {
            move |s: &str| f(s).map_err(|e| e.to_string())
        };
        fn is<T: FromStr<Err = chiso_model::Error>>(
            s: &str,
        ) -> std::result::Result<(), chiso_model::Error> {
            s.parse::<T>().map(|_| ())
        }
        let mention_kind = |s: &str| {
            if MentionKind::ALL.iter().any(|k| k.as_str() == s) {
                Ok(())
            } else {
                let all: Vec<&str> = MentionKind::ALL.iter().map(|k| k.as_str()).collect();
                Err(format!(
                    "unknown mention kind {s:?} (expected one of: {})",
                    all.join(", ")
                ))
            }
        };

        one_of("indicator", "indicator", raw.indicator, src.terms.indicator)?;
        one_of("source", "source_id", raw.source, &any)?;
        one_of("unit", "unit", raw.unit, &parsed(is::<Unit>))?;
        one_of(
            "comparator",
            "comparator",
            raw.comparator,
            &parsed(is::<Comparator>),
        )?;
        match input {
            Input::Records => one_of("kind", "kind", raw.kind, &parsed(is::<Kind>))?,
            Input::Mentions => one_of("kind", "kind", raw.kind, &mention_kind)?,
        }
        if let Some(v) = &raw.geo {
            only_records("geo", v.span())?;
        }
        one_of("geo", "geo_code", raw.geo, src.terms.geo)?;
        if let Some(v) = &raw.period {
            only_records("period", v.span())?;
        }
        one_of("period", "period_label", raw.period, &any)?;
        if let Some(v) = &raw.measure {
            only_records("measure", v.span())?;
        }
        one_of("measure", "measure", raw.measure, &parsed(is::<Measure>))?;
        if let Some(v) = &raw.base {
            only_records("base", v.span())?;
        }
        one_of("base", "base", raw.base, &parsed(is::<Base>))?;
        if let Some(v) = &raw.rank_group {
            only_records("rank_group", v.span())?;
        }
        one_of("rank_group", "rank_group", raw.rank_group, &any)?;
        if let Some(v) = &raw.counted_noun {
            only_mentions("counted_noun", v.span())?;
        }
        one_of("counted_noun", "counted_noun", raw.counted_noun, &any)?;
        if let Some(year) = raw.year {
            only_records("year", year.span())?;
            let span = year.span();
            let y = i32::try_from(*year.get_ref())
                .ok()
                .filter(|y| (1000..=9999).contains(y))
                .ok_or_else(|| src.error(span, format!("{key}.year"), "a year has four digits"))?;
            filters.push(Filter::Year(y));
        }
        if let Some(needle) = raw.sentence_contains {
            if needle.get_ref().is_empty() {
                return Err(src.error(
                    needle.span(),
                    format!("{key}.sentence_contains"),
                    "an empty text matches every sentence; remove the key instead",
                ));
            }
            filters.push(Filter::Contains(needle.into_inner()));
        }
        let pick = match raw.pick {
            None => None,
            Some(p) if !pick_allowed => {
                return Err(src.error(
                    p.span(),
                    format!("{key}.pick"),
                    format!("`pick` chooses one value; `{key}` selects many rows"),
                ));
            }
            Some(p) => Some(
                Pick::SPELLINGS
                    .iter()
                    .find(|(s, _)| *s == p.get_ref())
                    .map(|(_, v)| *v)
                    .ok_or_else(|| {
                        src.error(
                            p.span(),
                            format!("{key}.pick"),
                            format!(
                                "unknown pick {:?} (expected one of: only, first, last, max, min)",
                                p.get_ref()
                            ),
                        )
                    })?,
            ),
        };
        Ok(Selection {
            input,
            filters,
            pick,
        })
    }

    /// The polars predicate of the selection (true when it has no condition).
    pub(crate) fn predicate(&self) -> Expr {
        let mut expr = lit(true);
        for f in &self.filters {
            let cond = match f {
                Filter::OneOf { column, values } => {
                    let mut any = lit(false);
                    for v in values {
                        any = any.or(col(*column).eq(lit(v.as_str())));
                    }
                    any
                }
                Filter::Year(y) => col("start_year")
                    .eq(lit(*y))
                    .and(col("end_year").eq(lit(*y))),
                Filter::Contains(needle) => col(contains_column(needle).as_str()),
            };
            expr = expr.and(cond);
        }
        expr
    }

    /// The substrings the selection looks for.
    pub(crate) fn needles(&self) -> impl Iterator<Item = &str> {
        self.filters.iter().filter_map(|f| match f {
            Filter::Contains(n) => Some(n.as_str()),
            _ => None,
        })
    }
}
