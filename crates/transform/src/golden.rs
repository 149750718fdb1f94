//! Scoring indicator rows against hand-made golden records.
//!
//! A golden file is a JSON list of records in the development corpus' format
//! (`tests/golden/dev-corpus/README.md`). A golden record matches a row when indicator, place,
//! period start and end, measure and the values agree (values within 0.5%); kind, comparator,
//! unit and rank size are then scored as attributes of the matched rows. Each row matches at
//! most one golden record.

use std::fmt::Write as _;

use chiso_model::IndicatorRecord;
use serde::Deserialize;

/// Relative tolerance for values to agree.
pub const VALUE_TOLERANCE: f64 = 0.005;

/// One hand-made record.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoldenRecord {
    /// Catalogue id.
    pub indicator: String,
    /// ISO 3166-2:VN code, or null.
    pub geo: Option<String>,
    /// `YYYY-MM-DD`, or null.
    pub period_start: Option<String>,
    /// `YYYY-MM-DD`, or null.
    pub period_end: Option<String>,
    /// level, change, plan_share, rank.
    pub measure: String,
    /// actual, estimate, target, forecast.
    pub kind: Option<String>,
    /// eq, approx, gt, ge, lt, le.
    pub comparator: Option<String>,
    /// Low value in base units.
    pub value_low: f64,
    /// High value in base units.
    pub value_high: f64,
    /// Unit spelling.
    pub unit: Option<String>,
    /// Ranking size.
    pub rank_total: Option<u32>,
    /// The whole a count is of ("24/25 chỉ tiêu").
    #[serde(default)]
    pub of_total: Option<f64>,
    /// The words of the statement.
    pub quote: String,
    /// What `chiso extract --format json` adds to a record, so that its output can be edited
    /// into a golden file: read and ignored.
    #[serde(default, rename = "source_id")]
    _source_id: Option<serde::de::IgnoredAny>,
    #[serde(default, rename = "geo_name")]
    _geo_name: Option<serde::de::IgnoredAny>,
    /// The unit of the map (schema 1.5.0): read and ignored; the link cases test it.
    #[serde(default, rename = "geo_id")]
    _geo_id: Option<serde::de::IgnoredAny>,
    #[serde(default, rename = "period_label")]
    _period_label: Option<serde::de::IgnoredAny>,
    #[serde(default, rename = "char_start")]
    _char_start: Option<serde::de::IgnoredAny>,
    #[serde(default, rename = "char_end")]
    _char_end: Option<serde::de::IgnoredAny>,
    #[serde(default, rename = "occurrences")]
    _occurrences: Option<serde::de::IgnoredAny>,
    /// A change's base (schema 1.3.0): read and ignored, since the golden files do not state
    /// it (the link cases test it).
    #[serde(default, rename = "base")]
    _base: Option<serde::de::IgnoredAny>,
    #[serde(default, rename = "base_period")]
    _base_period: Option<serde::de::IgnoredAny>,
}

/// A row as scoring sees it: built from an [`IndicatorRecord`], or read back from
/// `indicators.parquet` by the CLI's `chiso score`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row {
    /// Source id.
    pub source_id: String,
    /// Catalogue id.
    pub indicator: String,
    /// Place code.
    pub geo: Option<String>,
    /// `YYYY-MM-DD`.
    pub period_start: Option<String>,
    /// `YYYY-MM-DD`.
    pub period_end: Option<String>,
    /// Period label, for reports.
    pub period_label: Option<String>,
    /// Measure spelling.
    pub measure: String,
    /// Kind spelling.
    pub kind: String,
    /// Comparator spelling.
    pub comparator: String,
    /// Low value.
    pub value_low: f64,
    /// High value.
    pub value_high: f64,
    /// Unit spelling.
    pub unit: String,
    /// Ranking size.
    pub rank_total: Option<u32>,
    /// The sentence.
    pub quote: String,
}

impl From<&IndicatorRecord> for Row {
    fn from(r: &IndicatorRecord) -> Row {
        Row {
            source_id: r.source_id.clone(),
            indicator: r.indicator.clone(),
            geo: r.geo_code.clone(),
            period_start: r.period.map(|p| p.start().to_string()),
            period_end: r.period.map(|p| p.end().to_string()),
            period_label: r.period.map(|p| p.label()),
            measure: r.measure.as_str().to_owned(),
            kind: r.kind.as_str().to_owned(),
            comparator: r.comparator.as_str().to_owned(),
            value_low: r.value_low,
            value_high: r.value_high,
            unit: r.unit.as_str().to_owned(),
            rank_total: r.rank_total,
            quote: r.quote.to_string(),
        }
    }
}

/// How one document scored.
#[derive(Debug, Clone)]
pub struct DocScore {
    /// Source id.
    pub source_id: String,
    /// Number of golden records.
    pub golden: usize,
    /// Number of rows chiso gave.
    pub rows: usize,
    /// Golden records matched by a row.
    pub matched: usize,
    /// Per attribute: (name, matched rows where it agrees).
    pub attributes: Vec<(&'static str, usize)>,
    /// Golden records no row matched.
    pub missed: Vec<GoldenRecord>,
    /// Rows that matched no golden record.
    pub extra: Vec<Row>,
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= VALUE_TOLERANCE * a.abs().max(b.abs()).max(1e-9)
}

fn keys_match(row: &Row, g: &GoldenRecord) -> bool {
    row.indicator == g.indicator
        && row.geo == g.geo
        && row.period_start == g.period_start
        && row.period_end == g.period_end
        && row.measure == g.measure
        && close(row.value_low, g.value_low)
        && close(row.value_high, g.value_high)
}

/// Scores one document's rows against its golden records.
pub fn score_document(source_id: &str, rows: &[Row], golden: &[GoldenRecord]) -> DocScore {
    let mut used = vec![false; rows.len()];
    let mut pairs = Vec::new();
    let mut missed = Vec::new();
    for g in golden {
        match (0..rows.len()).find(|&i| !used[i] && keys_match(&rows[i], g)) {
            Some(i) => {
                used[i] = true;
                pairs.push((&rows[i], g));
            }
            None => missed.push(g.clone()),
        }
    }
    let count =
        |f: &dyn Fn(&Row, &GoldenRecord) -> bool| pairs.iter().filter(|(r, g)| f(r, g)).count();
    let attributes = vec![
        (
            "kind",
            count(&|r, g| g.kind.as_deref() == Some(r.kind.as_str())),
        ),
        (
            "comparator",
            count(&|r, g| g.comparator.as_deref() == Some(r.comparator.as_str())),
        ),
        (
            "unit",
            count(&|r, g| g.unit.as_deref() == Some(r.unit.as_str())),
        ),
        ("rank_total", count(&|r, g| g.rank_total == r.rank_total)),
    ];
    DocScore {
        source_id: source_id.to_owned(),
        golden: golden.len(),
        rows: rows.len(),
        matched: pairs.len(),
        attributes,
        missed,
        extra: rows
            .iter()
            .zip(&used)
            .filter(|(_, u)| !**u)
            .map(|(r, _)| r.clone())
            .collect(),
    }
}

/// Precision, recall and F1 of matched rows over rows and golden records.
pub fn prf(matched: usize, rows: usize, golden: usize) -> (f64, f64, f64) {
    let p = if rows == 0 {
        if golden == 0 { 1.0 } else { 0.0 }
    } else {
        matched as f64 / rows as f64
    };
    let r = if golden == 0 {
        1.0
    } else {
        matched as f64 / golden as f64
    };
    let f = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    (p, r, f)
}

impl DocScore {
    /// (precision, recall, F1).
    pub fn prf(&self) -> (f64, f64, f64) {
        prf(self.matched, self.rows, self.golden)
    }
}

/// Totals over documents: (golden, rows, matched).
pub fn totals(scores: &[DocScore]) -> (usize, usize, usize) {
    scores.iter().fold((0, 0, 0), |(g, r, m), s| {
        (g + s.golden, r + s.rows, m + s.matched)
    })
}

/// A Markdown report: a table per document and overall, attribute accuracy, and with `details`
/// every miss and extra row.
pub fn report_markdown(scores: &[DocScore], details: bool) -> String {
    let mut md = String::from(
        "| document | golden | rows | matched | precision | recall | F1 |\n|---|---|---|---|---|---|---|\n",
    );
    for s in scores {
        let (p, r, f) = s.prf();
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {p:.2} | {r:.2} | {f:.2} |",
            s.source_id, s.golden, s.rows, s.matched
        );
    }
    let (g, rows, m) = totals(scores);
    let (p, r, f) = prf(m, rows, g);
    let _ = writeln!(
        md,
        "| **all** | {g} | {rows} | {m} | **{p:.2}** | **{r:.2}** | **{f:.2}** |"
    );
    md.push_str("\nAttributes of matched rows:\n\n| attribute | correct | of |\n|---|---|---|\n");
    for (i, (name, _)) in scores
        .first()
        .map(|s| s.attributes.clone())
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let ok: usize = scores.iter().map(|s| s.attributes[i].1).sum();
        let _ = writeln!(md, "| {name} | {ok} | {m} |");
    }
    if details {
        md.push_str("\n## Misses and extra rows\n\n");
        for s in scores {
            for g in &s.missed {
                let _ = writeln!(
                    md,
                    "- {}: MISSED {} {} {}..{} {} {}..{} — “{}”",
                    s.source_id,
                    g.indicator,
                    g.geo.as_deref().unwrap_or("-"),
                    g.period_start.as_deref().unwrap_or("-"),
                    g.period_end.as_deref().unwrap_or("-"),
                    g.measure,
                    g.value_low,
                    g.value_high,
                    g.quote
                );
            }
            for r in &s.extra {
                let quote: String = r.quote.chars().take(120).collect();
                let _ = writeln!(
                    md,
                    "- {}: EXTRA {} {} {} {} {} {}..{} {} — “{quote}”",
                    s.source_id,
                    r.indicator,
                    r.geo.as_deref().unwrap_or("-"),
                    r.period_label.as_deref().unwrap_or("-"),
                    r.measure,
                    r.kind,
                    r.value_low,
                    r.value_high,
                    r.unit
                );
            }
        }
    }
    md
}
