//! Results of validation rules, shared by the validate stage (which makes them) and the load
//! stage (which writes them).

use std::fmt;

/// How serious a failed rule is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Reported; fails the run only with `--fail-on warn`.
    Warn,
    /// Fails the run (exit code 1); outputs are still written.
    Error,
}

/// The outcome of one rule check.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The rule holds.
    Pass,
    /// The rule does not hold.
    Fail,
    /// The selection matched nothing, so nothing was checked.
    Skip,
    /// The rule could not be evaluated (a missing table, a type problem).
    Error,
}

impl Severity {
    /// The stable spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warn => "warn",
            Severity::Error => "error",
        }
    }
}

impl Status {
    /// The stable spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Skip => "skip",
            Status::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A row of the dataset that a rule result concerns, enough to find it and read its evidence.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ConcernedRow {
    /// Source id.
    pub source_id: String,
    /// Indicator id.
    pub indicator: String,
    /// Place code.
    pub geo_code: Option<String>,
    /// Period label.
    pub period_label: Option<String>,
    /// Low value.
    pub value_low: f64,
    /// High value.
    pub value_high: f64,
    /// The sentence it came from.
    pub quote: String,
}

/// One evaluated rule check: a row of `validation.parquet`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RuleResult {
    /// The rule's id from the rules file.
    pub rule_id: String,
    /// The rule kind: expect, range, rank, sum, ratio, consistent, reference, not_null, ...
    pub rule_kind: String,
    /// Severity declared in the rules file.
    pub severity: Severity,
    /// Outcome.
    pub status: Status,
    /// What was found, as a number when there is one.
    pub observed: Option<f64>,
    /// What was expected, as a number when there is one.
    pub expected: Option<f64>,
    /// One sentence for a person.
    pub message: String,
    /// The rows the result is about.
    pub rows: Vec<ConcernedRow>,
}
