//! The inputs of evaluation as polars frames: one row per indicator record or mention fact,
//! with a `row` column pointing back into the input slice.

use chiso_model::IndicatorRecord;
use polars::prelude::{Column, DataFrame, PolarsResult};

use crate::{MentionFact, RuleSet};

/// The columns a frame holds only when some rule reads them: the long texts, and the period
/// bounds as ISO dates (three strings built per row).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Optional {
    /// Records' `quote` (a column rule names it).
    pub quote: bool,
    /// Records' `period_start` and `period_end` (a column rule names one).
    pub period_bounds: bool,
    /// Mentions' `sentence` (a `sum` over mentions groups by it).
    pub sentence: bool,
}

impl Optional {
    /// The optional columns the rules of `rules` read.
    pub fn of(rules: &RuleSet) -> Optional {
        Optional {
            quote: rules.names_record_column("quote"),
            period_bounds: rules.names_record_column("period_start")
                || rules.names_record_column("period_end"),
            sentence: rules.groups_mentions_by("sentence"),
        }
    }
}

/// The name of the boolean column that says whether a row's sentence contains `needle`.
///
/// polars' string functions need its `strings` + `temporal` features (a large rebuild), so
/// the substrings a rule set asks for are tested once when the frame is built; selections then
/// filter on these columns like any other.
pub(crate) fn contains_column(needle: &str) -> String {
    format!("contains:{needle}")
}

/// Row indices are stored as u32 (polars' index size).
fn row_indices(n: usize) -> Vec<u32> {
    (0..n)
        .map(|i| u32::try_from(i).unwrap_or(u32::MAX))
        .collect()
}

fn needle_columns<'a>(
    needles: &[&str],
    sentences: impl Iterator<Item = &'a str> + Clone,
) -> Vec<Column> {
    needles
        .iter()
        .map(|n| {
            let flags: Vec<bool> = sentences.clone().map(|s| s.contains(n)).collect();
            Column::new(contains_column(n).into(), flags)
        })
        .collect()
}

/// The frame of indicator records.
///
/// Columns: `row`, `source_id`, `indicator`, `geo_code`, `geo_id`, `geo_name`, `period_label`,
/// `start_year`, `end_year`, `measure`, `base`, `kind`, `comparator`, `unit`, `value_low`,
/// `value_high`, `rank_total`, `rank_group`, `of_total`, `char_start`, `occurrences`, the
/// [`Optional`] ones the rules read (`period_start` and `period_end` as ISO dates, `quote`), and
/// one `contains:…` column per needle.
pub(crate) fn records_frame(
    records: &[IndicatorRecord],
    needles: &[&str],
    optional: Optional,
) -> PolarsResult<DataFrame> {
    // Text columns are built from borrowed strings: polars copies them once into its buffers,
    // so a run with many rows holds no second owned copy while the frame is built.
    let s = |f: for<'r> fn(&'r IndicatorRecord) -> &'r str| {
        records.iter().map(f).collect::<Vec<&str>>()
    };
    let opt_ref = |f: for<'r> fn(&'r IndicatorRecord) -> Option<&'r str>| {
        records.iter().map(f).collect::<Vec<Option<&str>>>()
    };
    let opt = |f: fn(&IndicatorRecord) -> Option<String>| {
        records.iter().map(f).collect::<Vec<Option<String>>>()
    };
    let mut columns = vec![
        Column::new("row".into(), row_indices(records.len())),
        Column::new("source_id".into(), s(|r| r.source_id.as_str())),
        Column::new("indicator".into(), s(|r| r.indicator.as_str())),
        Column::new("geo_code".into(), opt_ref(|r| r.geo_code.as_deref())),
        Column::new("geo_id".into(), opt_ref(|r| r.geo_id.as_deref())),
        Column::new("geo_name".into(), opt_ref(|r| r.geo_name.as_deref())),
        Column::new("period_label".into(), opt(|r| r.period.map(|p| p.label()))),
        Column::new(
            "start_year".into(),
            records
                .iter()
                .map(|r| r.period.map(|p| p.start().year))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "end_year".into(),
            records
                .iter()
                .map(|r| r.period.map(|p| p.end().year))
                .collect::<Vec<_>>(),
        ),
        Column::new("measure".into(), s(|r| r.measure.as_str())),
        Column::new(
            "base".into(),
            records
                .iter()
                .map(|r| r.base.map(|b| b.as_str()))
                .collect::<Vec<Option<&str>>>(),
        ),
        Column::new("kind".into(), s(|r| r.kind.as_str())),
        Column::new("comparator".into(), s(|r| r.comparator.as_str())),
        Column::new("unit".into(), s(|r| r.unit.as_str())),
        Column::new(
            "value_low".into(),
            records.iter().map(|r| r.value_low).collect::<Vec<f64>>(),
        ),
        Column::new(
            "value_high".into(),
            records.iter().map(|r| r.value_high).collect::<Vec<f64>>(),
        ),
        Column::new(
            "rank_total".into(),
            records
                .iter()
                .map(|r| r.rank_total.map(f64::from))
                .collect::<Vec<_>>(),
        ),
        Column::new("rank_group".into(), opt_ref(|r| r.rank_group.as_deref())),
        Column::new(
            "of_total".into(),
            records.iter().map(|r| r.of_total).collect::<Vec<_>>(),
        ),
        Column::new(
            "char_start".into(),
            records
                .iter()
                .map(|r| r.span.start as i64)
                .collect::<Vec<i64>>(),
        ),
        Column::new(
            "occurrences".into(),
            records
                .iter()
                .map(|r| i64::from(r.occurrences))
                .collect::<Vec<i64>>(),
        ),
    ];
    // Three strings built per row: only for a column rule that names one of them.
    if optional.period_bounds {
        columns.push(Column::new(
            "period_start".into(),
            opt(|r| r.period.map(|p| p.start().to_string())),
        ));
        columns.push(Column::new(
            "period_end".into(),
            opt(|r| r.period.map(|p| p.end().to_string())),
        ));
    }
    // Quotes are most of a row's bytes; results take them from the records by `row`, so the
    // frame holds them only for a column rule that names `quote`.
    if optional.quote {
        columns.push(Column::new("quote".into(), s(|r| &*r.quote)));
    }
    columns.extend(needle_columns(needles, records.iter().map(|r| &*r.quote)));
    DataFrame::new(records.len(), columns)
}

/// The record columns a column rule (`not_null`, `unique`, `accepted_values`) may name, and
/// whether each holds text.
pub(crate) const RECORD_COLUMNS: &[(&str, bool)] = &[
    ("source_id", true),
    ("indicator", true),
    ("geo_code", true),
    ("geo_id", true),
    ("geo_name", true),
    ("period_label", true),
    ("period_start", true),
    ("period_end", true),
    ("measure", true),
    ("base", true),
    ("kind", true),
    ("comparator", true),
    ("unit", true),
    ("value_low", false),
    ("value_high", false),
    ("rank_total", false),
    ("rank_group", true),
    ("of_total", false),
    ("quote", true),
];

/// The frame of mention facts.
///
/// Columns: `row`, `source_id`, `kind`, `value_low`, `value_high`, `unit`, `counted_noun`,
/// `comparator`, `char_start`, `indicator`, `sentence` (when [`Optional`] says a rule reads
/// it), and one `contains:…` column per needle.
pub(crate) fn mentions_frame(
    mentions: &[MentionFact],
    needles: &[&str],
    optional: Optional,
) -> PolarsResult<DataFrame> {
    // Borrowed, as in `records_frame`: polars copies each text once into its buffers.
    let s =
        |f: for<'m> fn(&'m MentionFact) -> &'m str| mentions.iter().map(f).collect::<Vec<&str>>();
    let opt = |f: for<'m> fn(&'m MentionFact) -> Option<&'m str>| {
        mentions.iter().map(f).collect::<Vec<Option<&str>>>()
    };
    let mut columns = vec![
        Column::new("row".into(), row_indices(mentions.len())),
        Column::new("source_id".into(), s(|m| m.source_id.as_str())),
        Column::new("kind".into(), s(|m| m.kind.as_str())),
        Column::new(
            "value_low".into(),
            mentions.iter().map(|m| m.value_low).collect::<Vec<_>>(),
        ),
        Column::new(
            "value_high".into(),
            mentions.iter().map(|m| m.value_high).collect::<Vec<_>>(),
        ),
        Column::new("unit".into(), opt(|m| m.unit.as_deref())),
        Column::new("counted_noun".into(), opt(|m| m.counted_noun.as_deref())),
        Column::new("comparator".into(), s(|m| m.comparator.as_str())),
        Column::new(
            "char_start".into(),
            mentions.iter().map(|m| m.char_start).collect::<Vec<_>>(),
        ),
        Column::new("indicator".into(), opt(|m| m.indicator.as_deref())),
    ];
    // A sentence is most of a row's bytes and repeated for each of its numbers; results take
    // it from the facts by `row`, so the frame holds it only for a rule that groups by it.
    if optional.sentence {
        columns.push(Column::new("sentence".into(), s(|m| &m.sentence)));
    }
    columns.extend(needle_columns(
        needles,
        mentions.iter().map(|m| &*m.sentence),
    ));
    DataFrame::new(mentions.len(), columns)
}
