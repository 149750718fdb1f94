//! Rules: the rules file checked into domain types.

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::{Path, PathBuf};

use chiso_model::Severity;
use toml::Spanned;

use crate::frame::RECORD_COLUMNS;
use crate::location::{Source, Terms};
use crate::raw::{RawFile, RawRule, RawSelection};
use crate::selection::{Input, Selection};
use crate::{Error, Result};

/// The rules of a rules file, checked: every key known, every selection value a real term,
/// every reference table present (when loaded from a path).
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub(crate) rules: Vec<Rule>,
}

/// One checked rule.
#[derive(Debug, Clone)]
pub(crate) struct Rule {
    pub id: String,
    pub severity: Severity,
    pub check: Check,
}

/// How far a value may be from the expected one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Tolerance {
    /// An absolute difference in the value's unit.
    Absolute(f64),
    /// A percentage of the expected (reference) value.
    Percent(f64),
}

/// Slack for float arithmetic when a rule gives no tolerance (10 + 11 + 3 must equal 24).
const EXACT: f64 = 1e-9;

impl Tolerance {
    /// The absolute tolerance around `expected`.
    pub fn around(self, expected: f64) -> f64 {
        match self {
            Tolerance::Absolute(t) => t,
            Tolerance::Percent(p) => expected.abs() * p / 100.0,
        }
    }

    /// How the tolerance reads in a message.
    pub fn describe(self) -> String {
        match self {
            Tolerance::Absolute(t) if t <= EXACT => "exactly".to_owned(),
            Tolerance::Absolute(t) => format!("within {t}"),
            Tolerance::Percent(p) => format!("within {p}%"),
        }
    }
}

/// What an `expect` rule expects.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Expected {
    /// One value: a single row must equal it, a range row must contain it.
    Value(f64),
    /// A range: the row's low and high must equal these.
    Range { low: f64, high: f64 },
}

/// Where a `ratio` rule's claimed ratio comes from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Claimed {
    Value(f64),
    From(Selection),
}

/// Whether `consistent` compares statements across sources or within each source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    All,
    Source,
}

/// How a reference table names places.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PlaceColumn {
    /// Names, resolved with the evaluation context's resolver.
    Name(String),
    /// Codes equal to the records' `geo_code`.
    Code(String),
}

/// How a reference table gives periods.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PeriodLayout {
    /// One column of period labels (`2022`, `2023-Q1`) and one value column.
    Long {
        period_column: String,
        value_column: String,
    },
    /// One column per year, named by the year.
    YearColumns,
}

/// A reference table as a rule names it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ReferenceTable {
    /// The path as written (relative paths resolve against the evaluation context's base dir).
    pub path: PathBuf,
    pub place: PlaceColumn,
    pub layout: PeriodLayout,
    /// Multiplier from table units to record units.
    pub scale: f64,
}

/// What a rule checks.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Check {
    Expect {
        select: Selection,
        expected: Expected,
        tolerance: Tolerance,
    },
    Range {
        select: Selection,
        min: Option<f64>,
        max: Option<f64>,
    },
    Rank {
        select: Selection,
    },
    Sum {
        parts: Selection,
        whole: Selection,
        group_by: Vec<String>,
        tolerance: Tolerance,
    },
    Ratio {
        numerator: Selection,
        denominator: Selection,
        claimed: Claimed,
        tolerance: Tolerance,
    },
    Consistent {
        select: Selection,
        scope: Scope,
        tolerance: Tolerance,
    },
    Reference {
        select: Selection,
        table: ReferenceTable,
        tolerance: Tolerance,
    },
    NotNull {
        select: Selection,
        column: String,
    },
    Unique {
        select: Selection,
        columns: Vec<String>,
    },
    AcceptedValues {
        select: Selection,
        column: String,
        values: Vec<String>,
    },
}

impl Check {
    /// The kind's spelling in rules files and results.
    pub fn kind(&self) -> &'static str {
        match self {
            Check::Expect { .. } => "expect",
            Check::Range { .. } => "range",
            Check::Rank { .. } => "rank",
            Check::Sum { .. } => "sum",
            Check::Ratio { .. } => "ratio",
            Check::Consistent { .. } => "consistent",
            Check::Reference { .. } => "reference",
            Check::NotNull { .. } => "not_null",
            Check::Unique { .. } => "unique",
            Check::AcceptedValues { .. } => "accepted_values",
        }
    }

    /// Every selection of the rule.
    pub fn selections(&self) -> Vec<&Selection> {
        match self {
            Check::Expect { select, .. }
            | Check::Range { select, .. }
            | Check::Rank { select }
            | Check::Consistent { select, .. }
            | Check::Reference { select, .. }
            | Check::NotNull { select, .. }
            | Check::Unique { select, .. }
            | Check::AcceptedValues { select, .. } => vec![select],
            Check::Sum { parts, whole, .. } => vec![parts, whole],
            Check::Ratio {
                numerator,
                denominator,
                claimed,
                ..
            } => {
                let mut v = vec![numerator, denominator];
                if let Claimed::From(s) = claimed {
                    v.push(s);
                }
                v
            }
        }
    }
}

/// The keys each rule kind accepts besides `id`, `kind`, `description` and `severity`.
const KINDS: &[(&str, &[&str])] = &[
    (
        "expect",
        &[
            "select",
            "value",
            "value_low",
            "value_high",
            "tolerance",
            "tolerance_pct",
        ],
    ),
    ("range", &["select", "min", "max"]),
    ("rank", &["select"]),
    (
        "sum",
        &["parts", "whole", "group_by", "tolerance", "tolerance_pct"],
    ),
    (
        "ratio",
        &[
            "numerator",
            "denominator",
            "value",
            "value_from",
            "tolerance",
            "tolerance_pct",
        ],
    ),
    (
        "consistent",
        &["select", "scope", "tolerance", "tolerance_pct"],
    ),
    (
        "reference",
        &[
            "select",
            "table",
            "place_column",
            "place_code_column",
            "period_column",
            "year_columns",
            "value_column",
            "scale",
            "tolerance",
            "tolerance_pct",
        ],
    ),
    ("not_null", &["select", "column"]),
    ("unique", &["select", "columns"]),
    ("accepted_values", &["select", "column", "values"]),
];

/// The columns `group_by` may name, per input.
const MENTION_GROUP_COLUMNS: &[&str] = &[
    "source_id",
    "sentence",
    "kind",
    "unit",
    "counted_noun",
    "indicator",
];
const RECORD_GROUP_COLUMNS: &[&str] = &[
    "source_id",
    "indicator",
    "geo_code",
    "period_label",
    "measure",
    "base",
    "kind",
    "unit",
    "rank_group",
];

impl RuleSet {
    /// Whether some rule reads mention facts (`from = "mentions"`): a caller builds them only then.
    pub fn reads_mentions(&self) -> bool {
        self.rules
            .iter()
            .flat_map(|r| r.check.selections())
            .any(|s| s.input == crate::selection::Input::Mentions)
    }

    /// Whether some `sum` rule over mentions groups them by the mention column `name`: the
    /// frame of mentions leaves out their sentences otherwise.
    pub(crate) fn groups_mentions_by(&self, name: &str) -> bool {
        self.rules.iter().any(|r| match &r.check {
            Check::Sum {
                parts,
                whole,
                group_by,
                ..
            } => {
                (parts.input == crate::selection::Input::Mentions
                    || whole.input == crate::selection::Input::Mentions)
                    && group_by.iter().any(|c| c == name)
            }
            _ => false,
        })
    }

    /// Whether some column rule names the record column `name` (`not_null`, `unique`,
    /// `accepted_values`): the frame of records leaves out its optional columns (the quotes,
    /// the period bounds) otherwise.
    pub(crate) fn names_record_column(&self, name: &str) -> bool {
        self.rules.iter().any(|r| match &r.check {
            Check::NotNull { column, .. } | Check::AcceptedValues { column, .. } => column == name,
            Check::Unique { columns, .. } => columns.iter().any(|c| c == name),
            _ => false,
        })
    }

    /// Parses and checks a rules file. Errors name the file, line and key. Reference tables
    /// are looked for relative to the file's directory. Indicators and places are not checked
    /// ([`RuleSet::from_path_with`] checks them).
    pub fn from_path(path: &Path) -> Result<RuleSet> {
        RuleSet::from_path_with(path, &Terms::ANY)
    }

    /// [`RuleSet::from_path`], with every indicator and place a selection names checked
    /// against `terms`.
    pub fn from_path_with(path: &Path, terms: &Terms<'_>) -> Result<RuleSet> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        })?;
        let origin = path.display().to_string();
        let base = path.parent().unwrap_or_else(|| Path::new(""));
        parse(
            &Source {
                origin: &origin,
                text: &text,
                terms,
            },
            Some(base),
        )
    }

    /// Parses and checks rules from text; `origin` is the file name used in errors. Reference
    /// tables are not looked for (there is no directory); a missing one is an `error` result
    /// at evaluation.
    #[allow(clippy::should_implement_trait)] // the API names it so; FromStr has no origin
    pub fn from_str(text: &str, origin: &str) -> Result<RuleSet> {
        parse(
            &Source {
                origin,
                text,
                terms: &Terms::ANY,
            },
            None,
        )
    }

    /// Number of rules.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Whether the file holds no rule.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Rule ids in file order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.rules.iter().map(|r| r.id.as_str())
    }
}

fn parse(src: &Source<'_>, base: Option<&Path>) -> Result<RuleSet> {
    let raw: RawFile = toml::from_str(src.text).map_err(|e| src.toml_error(&e))?;
    match &raw.version {
        None => {
            return Err(src.error(
                0..0,
                "version",
                "missing `version = 1` at the top of the rules file",
            ));
        }
        Some(v) if *v.get_ref() != 1 => {
            return Err(src.error(
                v.span(),
                "version",
                format!(
                    "unsupported version {} (this chiso reads version 1)",
                    v.get_ref()
                ),
            ));
        }
        Some(_) => {}
    }
    let mut seen = BTreeSet::new();
    let mut rules = Vec::with_capacity(raw.rule.len());
    for (i, raw_rule) in raw.rule.into_iter().enumerate() {
        let rule = build_rule(src, i, raw_rule.into_inner(), base)?;
        rules.push(rule);
    }
    for (rule, id_span) in &rules {
        if !seen.insert(rule.id.clone()) {
            return Err(src.error(
                id_span.clone(),
                "id",
                format!("rule id {:?} is used twice", rule.id),
            ));
        }
    }
    Ok(RuleSet {
        rules: rules.into_iter().map(|(r, _)| r).collect(),
    })
}

fn build_rule(
    src: &Source<'_>,
    index: usize,
    raw: RawRule,
    base: Option<&Path>,
) -> Result<(Rule, Range<usize>)> {
    let id_span = raw.id.span();
    let id = raw.id.get_ref().trim().to_owned();
    if id.is_empty() {
        return Err(src.error(id_span, "id", "a rule needs a non-empty id"));
    }
    let kind = raw.kind.get_ref().as_str();
    let Some((kind, allowed)) = KINDS.iter().find(|(k, _)| *k == kind) else {
        let known: Vec<&str> = KINDS.iter().map(|(k, _)| *k).collect();
        return Err(src.error(
            raw.kind.span(),
            "kind",
            format!(
                "unknown rule kind {kind:?} (expected one of: {})",
                known.join(", ")
            ),
        ));
    };
    for (key, span) in raw.present_keys() {
        if !["description", "severity"].contains(&key) && !allowed.contains(&key) {
            return Err(src.error(
                span,
                key,
                format!(
                    "`{key}` is not a key of rule kind `{kind}` (its keys: {})",
                    allowed.join(", ")
                ),
            ));
        }
    }
    let severity = match &raw.severity {
        None => Severity::Error,
        Some(s) => match s.get_ref().as_str() {
            "error" => Severity::Error,
            "warn" => Severity::Warn,
            other => {
                return Err(src.error(
                    s.span(),
                    "severity",
                    format!("unknown severity {other:?} (expected one of: error, warn)"),
                ));
            }
        },
    };
    let ctx = RuleBuilder {
        src,
        raw,
        rule_span_hint: id_span.clone(),
        index,
    };
    let check = ctx.check(kind, base)?;
    Ok((
        Rule {
            id,
            severity,
            check,
        },
        id_span,
    ))
}

struct RuleBuilder<'a> {
    src: &'a Source<'a>,
    raw: RawRule,
    /// Where to point when a required key is missing.
    rule_span_hint: Range<usize>,
    index: usize,
}

impl RuleBuilder<'_> {
    fn missing(&self, key: &str, why: &str) -> Error {
        self.src.error(
            self.rule_span_hint.clone(),
            key,
            format!("rule {} needs `{key}`: {why}", self.index + 1),
        )
    }

    fn selection(&mut self, key: &str, pick_allowed: bool) -> Result<Option<Selection>> {
        let raw = match key {
            "select" => self.raw.select.take(),
            "parts" => self.raw.parts.take(),
            "whole" => self.raw.whole.take(),
            "numerator" => self.raw.numerator.take(),
            "denominator" => self.raw.denominator.take(),
            "value_from" => self.raw.value_from.take(),
            _ => None,
        };
        raw.map(|r: Spanned<RawSelection>| Selection::build(self.src, key, r, pick_allowed))
            .transpose()
    }

    fn select_records(&mut self) -> Result<Selection> {
        let span = self
            .raw
            .select
            .as_ref()
            .map_or_else(|| self.rule_span_hint.clone(), |s| s.span());
        let select = self
            .selection("select", false)?
            .unwrap_or_else(|| Selection::all(Input::Records));
        if select.input == Input::Mentions {
            return Err(self.src.error(
                span,
                "select.from",
                "this rule kind reads indicator records only",
            ));
        }
        Ok(select)
    }

    fn finite(&self, key: &str, v: &Option<Spanned<f64>>) -> Result<Option<f64>> {
        match v {
            Some(s) if !s.get_ref().is_finite() => {
                Err(self.src.error(s.span(), key, "must be a finite number"))
            }
            Some(s) => Ok(Some(*s.get_ref())),
            None => Ok(None),
        }
    }

    fn tolerance(&self) -> Result<Tolerance> {
        match (&self.raw.tolerance, &self.raw.tolerance_pct) {
            (Some(_), Some(p)) => Err(self.src.error(
                p.span(),
                "tolerance_pct",
                "give `tolerance` (absolute) or `tolerance_pct` (relative), not both",
            )),
            (Some(t), None) => {
                let v = *t.get_ref();
                if !(v.is_finite() && v >= 0.0) {
                    return Err(self.src.error(
                        t.span(),
                        "tolerance",
                        "a tolerance is a number >= 0",
                    ));
                }
                Ok(Tolerance::Absolute(v.max(EXACT)))
            }
            (None, Some(p)) => {
                let v = *p.get_ref();
                if !(v.is_finite() && v >= 0.0) {
                    return Err(self.src.error(
                        p.span(),
                        "tolerance_pct",
                        "a tolerance is a number >= 0",
                    ));
                }
                Ok(Tolerance::Percent(v))
            }
            (None, None) => Ok(Tolerance::Absolute(EXACT)),
        }
    }

    fn string(&self, key: &str, v: &Option<Spanned<String>>) -> Result<Option<String>> {
        match v {
            Some(s) if s.get_ref().trim().is_empty() => {
                Err(self.src.error(s.span(), key, "must not be empty"))
            }
            Some(s) => Ok(Some(s.get_ref().clone())),
            None => Ok(None),
        }
    }

    fn record_column(
        &self,
        key: &str,
        span: Range<usize>,
        name: &str,
        text_only: bool,
    ) -> Result<String> {
        match RECORD_COLUMNS.iter().find(|(c, _)| *c == name) {
            Some((_, is_text)) if text_only && !is_text => Err(self.src.error(
                span,
                key,
                format!("column {name:?} holds numbers; accepted_values compares text columns"),
            )),
            Some(_) => Ok(name.to_owned()),
            None => {
                let all: Vec<&str> = RECORD_COLUMNS.iter().map(|(c, _)| *c).collect();
                Err(self.src.error(
                    span,
                    key,
                    format!(
                        "unknown column {name:?} (expected one of: {})",
                        all.join(", ")
                    ),
                ))
            }
        }
    }

    fn check(mut self, kind: &str, base: Option<&Path>) -> Result<Check> {
        match kind {
            "expect" => {
                let select = self.select_records()?;
                let value = self.finite("value", &self.raw.value)?;
                let low = self.finite("value_low", &self.raw.value_low)?;
                let high = self.finite("value_high", &self.raw.value_high)?;
                let expected = match (value, low, high) {
                    (Some(v), None, None) => Expected::Value(v),
                    (None, Some(low), Some(high)) if low <= high => Expected::Range { low, high },
                    (None, Some(_), Some(_)) => {
                        let span = self
                            .raw
                            .value_low
                            .as_ref()
                            .map(|s| s.span())
                            .unwrap_or_default();
                        return Err(self.src.error(
                            span,
                            "value_low",
                            "value_low must not exceed value_high",
                        ));
                    }
                    (Some(_), _, _) => {
                        let span = self
                            .raw
                            .value
                            .as_ref()
                            .map(|s| s.span())
                            .unwrap_or_default();
                        return Err(self.src.error(
                            span,
                            "value",
                            "give `value`, or `value_low` and `value_high`, not both",
                        ));
                    }
                    _ => {
                        return Err(self.missing(
                            "value",
                            "an expect rule needs `value`, or `value_low` and `value_high`",
                        ));
                    }
                };
                Ok(Check::Expect {
                    select,
                    expected,
                    tolerance: self.tolerance()?,
                })
            }
            "range" => {
                let select = self.select_records()?;
                let min = self.finite("min", &self.raw.min)?;
                let max = self.finite("max", &self.raw.max)?;
                match (min, max) {
                    (None, None) => {
                        Err(self.missing("min", "a range rule needs `min`, `max` or both"))
                    }
                    (Some(lo), Some(hi)) if lo > hi => {
                        let span = self.raw.min.as_ref().map(|s| s.span()).unwrap_or_default();
                        Err(self.src.error(span, "min", "min must not exceed max"))
                    }
                    _ => Ok(Check::Range { select, min, max }),
                }
            }
            "rank" => {
                let select = self.select_records()?;
                Ok(Check::Rank { select })
            }
            "sum" => {
                let parts = self
                    .selection("parts", false)?
                    .ok_or_else(|| self.missing("parts", "the rows that add up"))?;
                let whole_span = self.raw.whole.as_ref().map(|w| w.span());
                let whole = self
                    .selection("whole", true)?
                    .ok_or_else(|| self.missing("whole", "the row they add up to"))?;
                if whole.input != parts.input {
                    return Err(self.src.error(
                        whole_span.unwrap_or_default(),
                        "whole.from",
                        "`parts` and `whole` must read the same input",
                    ));
                }
                let allowed = match parts.input {
                    Input::Records => RECORD_GROUP_COLUMNS,
                    Input::Mentions => MENTION_GROUP_COLUMNS,
                };
                let mut group_by = Vec::new();
                if let Some(g) = &self.raw.group_by {
                    for c in g.get_ref() {
                        if !allowed.contains(&c.get_ref().as_str()) {
                            return Err(self.src.error(
                                c.span(),
                                "group_by",
                                format!(
                                    "cannot group {} by {:?} (expected some of: {})",
                                    parts.input.as_str(),
                                    c.get_ref(),
                                    allowed.join(", ")
                                ),
                            ));
                        }
                        group_by.push(c.get_ref().clone());
                    }
                }
                Ok(Check::Sum {
                    parts,
                    whole,
                    group_by,
                    tolerance: self.tolerance()?,
                })
            }
            "ratio" => {
                let numerator = self
                    .selection("numerator", true)?
                    .ok_or_else(|| self.missing("numerator", "the value divided"))?;
                let denominator = self
                    .selection("denominator", true)?
                    .ok_or_else(|| self.missing("denominator", "the value divided by"))?;
                let value = self.finite("value", &self.raw.value)?;
                let value_from_span = self.raw.value_from.as_ref().map(|v| v.span());
                let claimed = match (value, self.selection("value_from", true)?) {
                    (Some(v), None) => Claimed::Value(v),
                    (None, Some(s)) => Claimed::From(s),
                    (Some(_), Some(_)) => {
                        return Err(self.src.error(
                            value_from_span.unwrap_or_default(),
                            "value_from",
                            "give `value` or `value_from`, not both",
                        ));
                    }
                    (None, None) => {
                        return Err(
                            self.missing("value", "the claimed ratio, as `value` or `value_from`")
                        );
                    }
                };
                Ok(Check::Ratio {
                    numerator,
                    denominator,
                    claimed,
                    tolerance: self.tolerance()?,
                })
            }
            "consistent" => {
                let select = self.select_records()?;
                let scope = match &self.raw.scope {
                    None => Scope::All,
                    Some(s) => match s.get_ref().as_str() {
                        "all" => Scope::All,
                        "source" => Scope::Source,
                        other => {
                            return Err(self.src.error(
                                s.span(),
                                "scope",
                                format!("unknown scope {other:?} (expected one of: all, source)"),
                            ));
                        }
                    },
                };
                Ok(Check::Consistent {
                    select,
                    scope,
                    tolerance: self.tolerance()?,
                })
            }
            "reference" => {
                let select = self.select_records()?;
                let table = self.reference_table(base)?;
                Ok(Check::Reference {
                    select,
                    table,
                    tolerance: self.tolerance()?,
                })
            }
            "not_null" => {
                let select = self.select_records()?;
                let c =
                    self.raw.column.as_ref().ok_or_else(|| {
                        self.missing("column", "the column that must have values")
                    })?;
                let column = self.record_column("column", c.span(), c.get_ref(), false)?;
                Ok(Check::NotNull { select, column })
            }
            "unique" => {
                let select = self.select_records()?;
                let cs = self.raw.columns.as_ref().ok_or_else(|| {
                    self.missing("columns", "the columns whose combination must be unique")
                })?;
                if cs.get_ref().is_empty() {
                    return Err(self
                        .src
                        .error(cs.span(), "columns", "name at least one column"));
                }
                let columns = cs
                    .get_ref()
                    .iter()
                    .map(|c| self.record_column("columns", c.span(), c.get_ref(), false))
                    .collect::<Result<Vec<_>>>()?;
                Ok(Check::Unique { select, columns })
            }
            "accepted_values" => {
                let select = self.select_records()?;
                let c = self
                    .raw
                    .column
                    .as_ref()
                    .ok_or_else(|| self.missing("column", "the column to check"))?;
                let column = self.record_column("column", c.span(), c.get_ref(), true)?;
                let vs = self
                    .raw
                    .values
                    .as_ref()
                    .ok_or_else(|| self.missing("values", "the accepted values"))?;
                if vs.get_ref().is_empty() {
                    return Err(self.src.error(
                        vs.span(),
                        "values",
                        "name at least one accepted value",
                    ));
                }
                let values = vs.get_ref().iter().map(|v| v.get_ref().clone()).collect();
                Ok(Check::AcceptedValues {
                    select,
                    column,
                    values,
                })
            }
            other => unreachable!("kind {other:?} was checked against KINDS above"),
        }
    }

    fn reference_table(&self, base: Option<&Path>) -> Result<ReferenceTable> {
        let table = self
            .raw
            .table
            .as_ref()
            .ok_or_else(|| self.missing("table", "the CSV file of official values"))?;
        let path = PathBuf::from(table.get_ref());
        if let Some(base) = base {
            let full = if path.is_absolute() {
                path.clone()
            } else {
                base.join(&path)
            };
            if !full.is_file() {
                return Err(self.src.error(
                    table.span(),
                    "table",
                    format!("table {} does not exist", full.display()),
                ));
            }
        }
        let place = match (
            self.string("place_column", &self.raw.place_column)?,
            self.string("place_code_column", &self.raw.place_code_column)?,
        ) {
            (Some(n), None) => PlaceColumn::Name(n),
            (None, Some(c)) => PlaceColumn::Code(c),
            (Some(_), Some(_)) => {
                let span = self
                    .raw
                    .place_code_column
                    .as_ref()
                    .map(|s| s.span())
                    .unwrap_or_default();
                return Err(self.src.error(
                    span,
                    "place_code_column",
                    "give `place_column` (names) or `place_code_column` (codes), not both",
                ));
            }
            (None, None) => {
                return Err(self.missing(
                    "place_column",
                    "the table column naming places (or `place_code_column`)",
                ));
            }
        };
        let wide = self.raw.year_columns.as_ref().is_some_and(|w| *w.get_ref());
        let period = self.string("period_column", &self.raw.period_column)?;
        let value = self.string("value_column", &self.raw.value_column)?;
        let layout = match (wide, period, value) {
            (true, None, None) => PeriodLayout::YearColumns,
            (true, _, _) => {
                let span = self.raw.period_column.as_ref().or(self.raw.value_column.as_ref()).map(|s| s.span()).unwrap_or_default();
                return Err(self.src.error(span, "year_columns", "with `year_columns = true` the years are the columns; drop `period_column` and `value_column`"));
            }
            (false, Some(period_column), Some(value_column)) => PeriodLayout::Long { period_column, value_column },
            (false, _, _) => return Err(self.missing("period_column", "a long table needs `period_column` and `value_column` (or set `year_columns = true`)")),
        };
        let scale = match &self.raw.scale {
            None => 1.0,
            Some(s) if s.get_ref().is_finite() && *s.get_ref() != 0.0 => *s.get_ref(),
            Some(s) => {
                return Err(self.src.error(
                    s.span(),
                    "scale",
                    "scale is a finite, non-zero number",
                ));
            }
        };
        Ok(ReferenceTable {
            path,
            place,
            layout,
            scale,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name)
    }

    /// Each broken file is rejected with the file name, the line and the key in the message.
    #[test]
    fn broken_files_name_file_line_and_key() {
        let cases = [
            (
                "broken/unknown_kind.toml",
                5,
                "`kind`",
                "unknown rule kind \"expectt\"",
            ),
            ("broken/unknown_key.toml", 7, "colour", "unknown field"),
            (
                "broken/key_of_other_kind.toml",
                7,
                "`min`",
                "not a key of rule kind `expect`",
            ),
            (
                "broken/bad_selection.toml",
                6,
                "select.measure",
                "unknown measure \"levels\"",
            ),
            ("broken/missing_table.toml", 6, "`table`", "does not exist"),
            (
                "broken/missing_version.toml",
                1,
                "`version`",
                "missing `version = 1`",
            ),
        ];
        for (file, line, key, what) in cases {
            let err = RuleSet::from_path(&fixture(file))
                .expect_err(file)
                .to_string();
            assert!(
                err.contains(file.trim_start_matches("broken/")),
                "{file}: {err}"
            );
            assert!(
                err.contains(&format!(":{line}:")),
                "{file}: want line {line}: {err}"
            );
            assert!(err.contains(key), "{file}: want key {key}: {err}");
            assert!(err.contains(what), "{file}: want {what}: {err}");
        }
    }

    #[test]
    fn semantic_errors_point_at_the_value() {
        // The body starts on line 5 of the file.
        let bad = [
            ("select = { year = 23 }\nvalue = 1", "select.year", 5),
            (
                "select = { from = \"mentions\" }\nvalue = 1",
                "select.from",
                5,
            ),
            (
                "select = { counted_noun = \"chỉ tiêu\" }\nvalue = 1",
                "select.counted_noun",
                5,
            ),
            ("select = { pick = \"max\" }\nvalue = 1", "select.pick", 5),
            (
                "value = 1\ntolerance = 0.1\ntolerance_pct = 1",
                "tolerance_pct",
                7,
            ),
            ("value_low = 5\nvalue_high = 4", "value_low", 5),
            ("severity = \"fatal\"\nvalue = 1", "severity", 5),
            (
                "select = { unit = [\"percent\", \"percents\"] }\nvalue = 1",
                "select.unit",
                5,
            ),
        ];
        for (body, key, line) in bad {
            let text = format!("version = 1\n[[rule]]\nid = \"a\"\nkind = \"expect\"\n{body}\n");
            let err = RuleSet::from_str(&text, "inline.toml")
                .expect_err(body)
                .to_string();
            assert!(
                err.starts_with(&format!("inline.toml:{line}:")),
                "{body}: want line {line}: {err}"
            );
            assert!(
                err.contains(&format!("`{key}`")),
                "{body}: want {key}: {err}"
            );
        }
    }

    #[test]
    fn duplicate_ids_and_versions_are_rejected() {
        let two = "version = 1\n[[rule]]\nid = \"a\"\nkind = \"rank\"\n[[rule]]\nid = \"a\"\nkind = \"rank\"\n";
        let err = RuleSet::from_str(two, "r.toml")
            .expect_err("duplicate id")
            .to_string();
        assert!(
            err.starts_with("r.toml:6:") && err.contains("used twice"),
            "{err}"
        );
        let err = RuleSet::from_str("version = 2\n", "r.toml")
            .expect_err("version 2")
            .to_string();
        assert!(
            err.starts_with("r.toml:1:") && err.contains("`version`"),
            "{err}"
        );
    }

    /// The input the `rules` fuzz target found (fuzz/corpus/rules/regression-key-near-multibyte):
    /// a syntax error after `Lào=` once panicked while looking for the key; it is an error
    /// naming the file and line.
    #[test]
    fn a_syntax_error_after_a_multi_byte_letter_is_located() {
        let text = "# What must hold of the Lào= Cai datased\0\0\0\0\0\0\0 kind of rule is \
                    documen# Checks of ofted in docs/ru";
        let err = RuleSet::from_str(text, "r.toml")
            .expect_err("a NUL byte")
            .to_string();
        assert!(err.starts_with("r.toml:1:"), "{err}");
    }

    #[test]
    fn every_kind_loads() {
        let text =
            std::fs::read_to_string(fixture("laocai_rules.toml")).expect("fixture is checked in");
        let rules = RuleSet::from_str(&text, "laocai_rules.toml").unwrap_or_else(|e| panic!("{e}"));
        let kinds: BTreeSet<&str> = rules.rules.iter().map(|r| r.check.kind()).collect();
        for (kind, _) in KINDS {
            assert!(
                kinds.contains(kind),
                "the example rules use every kind; {kind} is missing"
            );
        }
    }
}
