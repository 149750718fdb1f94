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
//!     geo_code: Some("VN-02".into()), geo_id: Some("VN-02".into()),
//!     geo_name: Some("Lào Cai".into()),
//!     period: Some(Period::Year(2023)), measure: Measure::Level, base: None, base_period: None,
//!     kind: Kind::Actual,
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
pub use eval::rowwise::ROWS_LISTED;
pub use location::{TermCheck, Terms};
pub use mention_fact::MentionFact;
pub use rules::RuleSet;

/// What the evaluation may need beyond the rows.
#[derive(Default)]
pub struct EvalContext {
    /// Sizes of ranking groups ("VN-provinces" -> 63, region ids -> 14 ...): the size from the
    /// start (from `None`), then each later size with the day it holds from; a size not known
    /// (a region's after the 2025 merger) is `None` and not checked.
    #[allow(clippy::type_complexity)] // one map of eras, as the gazetteer gives it
    pub group_sizes: BTreeMap<String, Vec<(Option<chiso_model::Date>, Option<u32>)>>,
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

/// Makes polars run the queries of the calling thread on that thread, one at a time, instead
/// of handing each to polars' thread pool and waiting for it.
///
/// For threads that already run in parallel with others, as `chiso run`'s workers do (one unit
/// of rows each, on every core): without it each of the few queries a rule makes per unit is
/// moved to a pool thread and back, and the pool's threads compete with the workers for the
/// same cores. (Polars' own executor threads do the same: `ALLOW_RAYON_THREADS`, pinned to the
/// polars version in the workspace.)
pub fn keep_queries_on_this_thread() {
    polars_async::executor::ALLOW_RAYON_THREADS.set(false);
}

/// Evaluates every rule over the records and mention facts: one result per rule, in file
/// order. A rule that cannot be evaluated (a missing table, an ambiguous selection) gives a
/// result with status `error`; a selection that matches nothing gives `skip`.
///
/// This is [`Validator`] over one chunk; a caller whose rows arrive in pieces uses it directly.
pub fn evaluate(
    rules: &RuleSet,
    records: &[IndicatorRecord],
    mentions: &[MentionFact],
    ctx: &EvalContext,
) -> Vec<RuleResult> {
    let validator = Validator::new(rules, ctx);
    let mut evaluation = Evaluation::default();
    evaluation.add(validator.check(records, mentions));
    validator.finish(evaluation)
}

/// Rules evaluated as rows stream past, in bounded memory.
///
/// [`Validator::check`] judges a chunk of rows (on any thread) and [`Evaluation::add`] merges
/// what the chunks found in input order; [`Validator::finish`] gives the results. Row-wise rules
/// (`expect`, `range`, `rank`, `reference`, `not_null`, `accepted_values`) judge each row on
/// its own and keep counts and the rows a result lists (at most [`ROWS_LISTED`] per rule).
/// `consistent`, `unique` and `sum` group each chunk's rows by statement, key or group and
/// merge the groups; past 16 384 groups (or listed rows) they move to a temporary file.
/// `ratio` keeps the row each side chooses. Results do not depend on how the input is cut into
/// chunks.
///
/// ```
/// # use chiso_validate::{RuleSet, EvalContext, Validator, Evaluation};
/// let rules = RuleSet::from_str("version = 1\n[[rule]]\nid = \"r\"\nkind = \"range\"\nmin = 0\n", "rules.toml").unwrap();
/// let ctx = EvalContext::default();
/// let validator = Validator::new(&rules, &ctx);
/// let mut evaluation = Evaluation::default();
/// for chunk in [&[][..], &[][..]] {
///     evaluation.add(validator.check(chunk, &[]));
/// }
/// let results = validator.finish(evaluation);
/// assert_eq!(results[0].status, chiso_model::Status::Skip);
/// ```
pub struct Validator<'a> {
    rules: &'a RuleSet,
    ctx: &'a EvalContext,
    /// Each rule's reference table, read once (`None` for other kinds).
    tables: Vec<Option<std::result::Result<table::LoadedTable, String>>>,
    /// The substrings selections look for in sentences.
    needles: Vec<&'a str>,
    /// The optional frame columns the rules read.
    optional: frame::Optional,
}

/// What [`Validator::check`] found in one chunk of rows; [`Evaluation::add`] takes it.
pub struct Checked {
    /// Per rule, what it found.
    partials: Vec<eval::Partial>,
    /// Records and mention facts in the chunk.
    rows: eval::Offsets,
    /// Why the chunk could not be put into frames.
    error: Option<String>,
}

/// The merged findings of the chunks so far, in input order.
#[derive(Default)]
pub struct Evaluation {
    partials: Vec<eval::Partial>,
    /// Records and mention facts so far: where the next chunk's start.
    rows: eval::Offsets,
    error: Option<String>,
}

impl<'a> Validator<'a> {
    /// Prepares the rules: reads each reference table once.
    pub fn new(rules: &'a RuleSet, ctx: &'a EvalContext) -> Validator<'a> {
        let tables = rules
            .rules
            .iter()
            .map(|rule| match &rule.check {
                rules::Check::Reference { table, .. } => Some(eval::reference::prepare(table, ctx)),
                _ => None,
            })
            .collect();
        let needles: BTreeSet<&str> = rules
            .rules
            .iter()
            .flat_map(|r| r.check.selections())
            .flat_map(|s| s.needles())
            .collect();
        Validator {
            rules,
            ctx,
            tables,
            needles: needles.into_iter().collect(),
            optional: frame::Optional::of(rules),
        }
    }

    /// Judges one chunk of rows (the chunks of a run, in any order and on any thread; they are
    /// merged in input order by [`Evaluation::add`]).
    pub fn check(&self, records: &[IndicatorRecord], mentions: &[MentionFact]) -> Checked {
        let rules = &self.rules.rules;
        let mut checked = Checked {
            partials: Vec::new(),
            rows: eval::Offsets {
                records: records.len() as u64,
                mentions: mentions.len() as u64,
            },
            error: None,
        };
        let inputs = match self.inputs(records, mentions) {
            Ok(inputs) => inputs,
            Err(e) => {
                checked.error = Some(format!("cannot build the input frames: {e}"));
                return checked;
            }
        };
        checked.partials = rules
            .iter()
            .zip(&self.tables)
            .map(|(rule, table)| eval::check_chunk(rule, &inputs, self.ctx, table.as_ref()))
            .collect();
        checked
    }

    /// The results of the whole input: one per rule, in file order.
    pub fn finish(&self, evaluation: Evaluation) -> Vec<RuleResult> {
        let rules = &self.rules.rules;
        if let Some(message) = &evaluation.error {
            return rules
                .iter()
                .map(|rule| eval::failed(rule, message.clone()))
                .collect();
        }
        let table = |i: usize| self.tables.get(i).and_then(Option::as_ref);
        let mut partials = evaluation.partials;
        if partials.is_empty() {
            // No chunk was checked: judge an empty one.
            let empty = self.check(&[], &[]);
            if let Some(message) = empty.error {
                return self.finish(Evaluation {
                    error: Some(message),
                    ..Evaluation::default()
                });
            }
            partials = empty.partials;
        }
        rules
            .iter()
            .enumerate()
            .map(|(i, rule)| match partials.get(i) {
                Some(partial) => eval::conclude(rule, partial, table(i)),
                None => eval::failed(rule, "the rule was not evaluated".to_owned()),
            })
            .collect()
    }

    fn inputs<'r>(
        &self,
        records: &'r [IndicatorRecord],
        mentions: &'r [MentionFact],
    ) -> polars::prelude::PolarsResult<eval::Inputs<'r>> {
        Ok(eval::Inputs {
            records,
            mentions,
            record_frame: frame::records_frame(records, &self.needles, self.optional)?,
            mention_frame: frame::mentions_frame(mentions, &self.needles, self.optional)?,
        })
    }
}

impl Evaluation {
    /// Adds the next chunk (chunks must come in input order).
    pub fn add(&mut self, chunk: Checked) {
        if self.error.is_none() {
            self.error = chunk.error;
        }
        if self.partials.is_empty() {
            self.partials = chunk.partials.iter().map(eval::Partial::empty).collect();
        }
        for (total, partial) in self.partials.iter_mut().zip(chunk.partials) {
            total.merge(partial, self.rows);
        }
        self.rows.records += chunk.rows.records;
        self.rows.mentions += chunk.rows.mentions;
    }
}
