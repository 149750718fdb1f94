//! The rules file as written: serde structs that reject unknown keys and keep spans, before
//! [`crate::rules`] turns them into checked rules.

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFile {
    pub version: Option<Spanned<i64>>,
    #[serde(default)]
    pub rule: Vec<Spanned<RawRule>>,
}

/// A string or a list of strings (`indicator = "a"` or `indicator = ["a", "b"]`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

/// One `[[rule]]` table. Every key any rule kind uses is here; which keys a kind accepts is
/// checked after parsing, so that the error can say "`min` is not a key of an `expect` rule".
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRule {
    pub id: Spanned<String>,
    pub kind: Spanned<String>,
    pub description: Option<Spanned<String>>,
    pub severity: Option<Spanned<String>>,
    pub select: Option<Spanned<RawSelection>>,
    pub value: Option<Spanned<f64>>,
    pub value_low: Option<Spanned<f64>>,
    pub value_high: Option<Spanned<f64>>,
    pub value_from: Option<Spanned<RawSelection>>,
    pub tolerance: Option<Spanned<f64>>,
    pub tolerance_pct: Option<Spanned<f64>>,
    pub min: Option<Spanned<f64>>,
    pub max: Option<Spanned<f64>>,
    pub parts: Option<Spanned<RawSelection>>,
    pub whole: Option<Spanned<RawSelection>>,
    pub group_by: Option<Spanned<Vec<Spanned<String>>>>,
    pub numerator: Option<Spanned<RawSelection>>,
    pub denominator: Option<Spanned<RawSelection>>,
    pub scope: Option<Spanned<String>>,
    pub table: Option<Spanned<String>>,
    pub place_column: Option<Spanned<String>>,
    pub place_code_column: Option<Spanned<String>>,
    pub period_column: Option<Spanned<String>>,
    pub year_columns: Option<Spanned<bool>>,
    pub value_column: Option<Spanned<String>>,
    pub scale: Option<Spanned<f64>>,
    pub column: Option<Spanned<String>>,
    pub columns: Option<Spanned<Vec<Spanned<String>>>>,
    pub values: Option<Spanned<Vec<Spanned<String>>>>,
}

impl RawRule {
    /// The optional keys present in the table, with the span of their values.
    pub fn present_keys(&self) -> Vec<(&'static str, Range<usize>)> {
        let mut keys = Vec::new();
        macro_rules! present {
            ($($field:ident),+) => {
                $(if let Some(v) = &self.$field { keys.push((stringify!($field), v.span())); })+
            };
        }
        present!(
            description,
            severity,
            select,
            value,
            value_low,
            value_high,
            value_from,
            tolerance,
            tolerance_pct,
            min,
            max,
            parts,
            whole,
            group_by,
            numerator,
            denominator,
            scope,
            table,
            place_column,
            place_code_column,
            period_column,
            year_columns,
            value_column,
            scale,
            column,
            columns,
            values
        );
        keys
    }
}

/// A selection table: `select = { indicator = "poverty_rate", geo = "VN-02" }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSelection {
    pub from: Option<Spanned<String>>,
    pub indicator: Option<Spanned<OneOrMany>>,
    pub geo: Option<Spanned<OneOrMany>>,
    pub period: Option<Spanned<OneOrMany>>,
    pub year: Option<Spanned<i64>>,
    pub measure: Option<Spanned<OneOrMany>>,
    pub base: Option<Spanned<OneOrMany>>,
    pub kind: Option<Spanned<OneOrMany>>,
    pub unit: Option<Spanned<OneOrMany>>,
    pub source: Option<Spanned<OneOrMany>>,
    pub comparator: Option<Spanned<OneOrMany>>,
    pub rank_group: Option<Spanned<OneOrMany>>,
    pub counted_noun: Option<Spanned<OneOrMany>>,
    pub sentence_contains: Option<Spanned<String>>,
    pub pick: Option<Spanned<String>>,
}
