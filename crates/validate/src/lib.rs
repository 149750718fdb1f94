//! chiso's validate stage: rules files checked at load time, evaluated with polars over
//! indicator records (and, for claims a text makes about its own numbers, mention facts).
//!
//! It takes a `rules.toml` ([`RuleSet`]), the stage's [`IndicatorRecord`]s and
//! [`MentionFact`]s, and gives one [`RuleResult`] per rule, in file order, with the rows
//! concerned in their natural order, so reruns give identical results. Rule kinds and their
//! keys are documented in `docs/rules.md`.
//!
//! ```
//! use chiso_model::{IndicatorRecord, Measure, Kind, Comparator, Unit, Period, Span, Status};
//! use chiso_validate::{RuleSet, EvalContext, evaluate};
//!
//! let rules = RuleSet::from_str(r#"
//! version = 1
//!
//! [[rule]]
//! id = "poverty-rate-2023"
//! kind = "expect"
//! select = { indicator = "poverty_rate", geo = "VN-02", period = "2023" }
//! value = 19.3
//! "#, "rules.toml").unwrap();
//!
//! let record = IndicatorRecord {
//!     source_id: "laocai".into(), indicator: "poverty_rate".into(),
//!     geo_code: Some("VN-02".into()), geo_name: Some("Lào Cai".into()),
//!     period: Some(Period::Year(2023)), measure: Measure::Level, kind: Kind::Actual,
//!     comparator: Comparator::Eq, value_low: 19.3, value_high: 19.3, unit: Unit::Percent,
//!     rank_total: None, rank_group: None, of_total: None,
//!     quote: "tỷ lệ hộ nghèo còn 19,3%".into(), span: Span::new(20, 25), occurrences: 1,
//! };
//! let results = evaluate(&rules, &[record], &[], &EvalContext::default());
//! assert_eq!(results[0].status, Status::Pass);
//! ```
#![warn(missing_docs)]

mod error;
mod eval;
mod frame;
mod location;
mod mention_fact;
mod raw;
mod rules;
mod selection;
mod table;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use chiso_model::{IndicatorRecord, RuleResult};

pub use error::{Error, Result};
pub use mention_fact::MentionFact;
pub use rules::RuleSet;

/// What the evaluation may need beyond the rows.
#[derive(Default)]
pub struct EvalContext {
    /// Sizes of ranking groups ("VN-provinces" -> 63, region ids -> 14 ...).
    pub group_sizes: BTreeMap<String, u32>,
    /// Resolves a place name from a reference table to an ISO code ("Ha Noi" -> "VN-HN").
    #[allow(clippy::type_complexity)] // the API's shape: a plain boxed closure
    pub resolve_place: Option<Box<dyn Fn(&str) -> Option<String> + Send + Sync>>,
    /// Directory that relative table paths in rules are resolved against (the rules file's
    /// directory).
    pub base_dir: PathBuf,
}

impl std::fmt::Debug for EvalContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EvalContext")
            .field("group_sizes", &self.group_sizes)
            .field(
                "resolve_place",
                &self.resolve_place.as_ref().map(|_| "<fn>"),
            )
            .field("base_dir", &self.base_dir)
            .finish()
    }
}

/// Evaluates every rule over the records and mention facts: one result per rule, in file
/// order. A rule that cannot be evaluated (a missing table, an ambiguous selection) gives a
/// result with status `error`; a selection that matches nothing gives `skip`.
pub fn evaluate(
    rules: &RuleSet,
    records: &[IndicatorRecord],
    mentions: &[MentionFact],
    ctx: &EvalContext,
) -> Vec<RuleResult> {
    let needles: BTreeSet<&str> = rules
        .rules
        .iter()
        .flat_map(|r| r.check.selections())
        .flat_map(|s| s.needles())
        .collect();
    let needles: Vec<&str> = needles.into_iter().collect();
    let frames = frame::records_frame(records, &needles, rules.names_record_column("quote"))
        .and_then(|r| frame::mentions_frame(mentions, &needles).map(|m| (r, m)));
    let (record_frame, mention_frame) = match frames {
        Ok(frames) => frames,
        Err(e) => {
            let message = format!("cannot build the input frames: {e}");
            return rules
                .rules
                .iter()
                .map(|rule| RuleResult {
                    rule_id: rule.id.clone(),
                    rule_kind: rule.check.kind().to_owned(),
                    severity: rule.severity,
                    status: chiso_model::Status::Error,
                    observed: None,
                    expected: None,
                    message: message.clone(),
                    rows: Vec::new(),
                })
                .collect();
        }
    };
    let inputs = eval::Inputs {
        records,
        mentions,
        record_frame,
        mention_frame,
    };
    rules
        .rules
        .iter()
        .map(|rule| eval::run(rule, &inputs, ctx))
        .collect()
}
