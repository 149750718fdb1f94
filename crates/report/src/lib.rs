//! chiso's report: one self-contained HTML page that shows what a run found, whether it holds,
//! and where each number came from.
//!
//! It takes what the other stages made (each source's NFC text and kept sentences, the
//! [`IndicatorRecord`]s, the typed [`Mention`]s, the [`RuleResult`]s and the catalogue's labels)
//! and gives `report.html`: a summary, the validation results with failures first, small SVG
//! charts, a sortable and filterable table of the rows, and every source's text with each
//! number highlighted, coloured by type and explained on hover or focus. Each table row links
//! to its number in the text.
//!
//! The page needs no network: style, script and charts are inline, and a strict
//! Content-Security-Policy allows only the style and script it ships (by their SHA-256), so a
//! source containing `<script>` or `onerror=` shows as text and runs nothing; all source text is
//! escaped besides. Rendering is deterministic: the same input gives the same bytes.
//!
//! ```
//! use chiso_model::{IndicatorRecord, Kind, Measure, Comparator, Period, Span, Unit};
//! use chiso_report::{IndicatorLabel, ReportInput, SourceReport, render};
//!
//! let text = "Năm 2022, tỷ lệ hộ nghèo của tỉnh Lào Cai còn 19,3%.";
//! let sentences = vec![std::sync::Arc::from(text)];
//! let record = IndicatorRecord {
//!     source_id: "demo".into(),
//!     indicator: "poverty_rate".into(),
//!     geo_code: Some("VN-02".into()),
//!     geo_id: Some("VN-02".into()),
//!     geo_name: Some("Lào Cai".into()),
//!     period: Some(Period::Year(2022)),
//!     measure: Measure::Level,
//!     base: None,
//!     base_period: None,
//!     kind: Kind::Actual,
//!     comparator: Comparator::Eq,
//!     value_low: 19.3,
//!     value_high: 19.3,
//!     unit: Unit::Percent,
//!     rank_total: None,
//!     rank_group: None,
//!     of_total: None,
//!     quote: text.into(),
//!     span: Span::new(46, 51), // code points of "19,3%"
//!     occurrences: 1,
//! };
//! let input = ReportInput {
//!     pipeline_name: "demo",
//!     tool_version: "0.1.0",
//!     sources: vec![SourceReport::read("demo", "demo.txt", text, &sentences, 0)],
//!     records: std::slice::from_ref(&record),
//!     mentions: vec![],
//!     results: &[],
//!     labels: vec![IndicatorLabel { id: "poverty_rate", label_vi: "Tỷ lệ hộ nghèo", label_en: "Poverty rate" }],
//! };
//! let html = render(&input);
//! assert!(html.contains(r#"id="ev-0-46-51""#));        // the number, highlighted in the text
//! assert!(html.contains(r##"href="#ev-0-46-51""##));   // and the table row that links to it
//! assert_eq!(html, render(&input));                     // same input, same bytes
//! ```
#![warn(missing_docs)]

mod assets;
mod chart;
mod error;
mod evidence;
mod format;
mod html;
mod page;
mod summary;
mod table;
mod validation;

use std::path::Path;
use std::sync::Arc;

pub use chiso_model::{IndicatorRecord, Mention, RuleResult};
pub use error::{Error, Result};

/// Everything a report shows about one run.
#[derive(Debug, Clone)]
pub struct ReportInput<'a> {
    /// The pipeline's name (`lao-cai`).
    pub pipeline_name: &'a str,
    /// The version of the tool that made the run.
    pub tool_version: &'a str,
    /// Every source of the pipeline, read or failed, in pipeline order.
    pub sources: Vec<SourceReport<'a>>,
    /// The indicator rows of all sources.
    pub records: &'a [IndicatorRecord],
    /// Every typed numeric expression of the kept sentences, with the indicator it was linked to.
    pub mentions: Vec<MentionView<'a>>,
    /// The rule results, in rules-file order.
    pub results: &'a [RuleResult],
    /// Labels of the indicators from the catalogue; ids without a label show as the id.
    pub labels: Vec<IndicatorLabel<'a>>,
}

/// One source of the pipeline as the report shows it.
#[derive(Debug, Clone, Copy)]
pub struct SourceReport<'a> {
    /// The source's id in the pipeline.
    pub id: &'a str,
    /// The path or URL it was read from.
    pub origin: &'a str,
    /// Whether it was read, and what it said.
    pub outcome: SourceOutcome<'a>,
    /// What a person should look at, though it was read (rows of a table skipped, a date left
    /// out).
    pub warnings: &'a [String],
}

/// What became of a source.
#[derive(Debug, Clone, Copy)]
pub enum SourceOutcome<'a> {
    /// Read and transformed.
    Read {
        /// The NFC text; every offset of mentions and records counts code points into it.
        text: &'a str,
        /// The sentences the transform stage kept, in text order, each a slice of `text`
        /// (`Transformed::sentences`). Text outside them (repeated passages, page furniture) is
        /// marked as not read; pass an empty slice to mark nothing.
        sentences: &'a [Arc<str>],
        /// How many repeated sentences were merged into earlier ones.
        repeats_merged: usize,
    },
    /// Could not be read.
    Failed {
        /// Why, as the extract stage said it.
        reason: &'a str,
    },
    /// Read, with the text of a source before it: set aside, it gives no rows.
    Duplicate {
        /// Hex SHA-256 of the text (`text_sha256` in sources.parquet).
        text_sha256: &'a str,
    },
}

impl<'a> SourceReport<'a> {
    /// A source that was read.
    pub fn read(
        id: &'a str,
        origin: &'a str,
        text: &'a str,
        sentences: &'a [Arc<str>],
        repeats_merged: usize,
    ) -> SourceReport<'a> {
        SourceReport {
            id,
            origin,
            outcome: SourceOutcome::Read {
                text,
                sentences,
                repeats_merged,
            },
            warnings: &[],
        }
    }

    /// A source that could not be read.
    pub fn failed(id: &'a str, origin: &'a str, reason: &'a str) -> SourceReport<'a> {
        SourceReport {
            id,
            origin,
            outcome: SourceOutcome::Failed { reason },
            warnings: &[],
        }
    }

    /// A source set aside: its text, of hash `text_sha256`, came before.
    pub fn duplicate(id: &'a str, origin: &'a str, text_sha256: &'a str) -> SourceReport<'a> {
        SourceReport {
            id,
            origin,
            outcome: SourceOutcome::Duplicate { text_sha256 },
            warnings: &[],
        }
    }

    /// The same, with the warnings its reading gave.
    pub fn with_warnings(self, warnings: &'a [String]) -> SourceReport<'a> {
        SourceReport { warnings, ..self }
    }
}

/// A mention of a source's text and the indicator the linker gave it.
#[derive(Debug, Clone, Copy)]
pub struct MentionView<'a> {
    /// The id of the source it was found in.
    pub source_id: &'a str,
    /// The mention, with code-point offsets into the source's NFC text.
    pub mention: &'a Mention,
    /// The indicator it was linked to, if any (`LinkedMention::indicator`).
    pub indicator: Option<&'a str>,
}

/// The labels of one catalogue indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndicatorLabel<'a> {
    /// Catalogue id, e.g. `gdp_growth`.
    pub id: &'a str,
    /// Vietnamese label.
    pub label_vi: &'a str,
    /// English label.
    pub label_en: &'a str,
}

/// Renders the report as one self-contained HTML document.
///
/// Deterministic: the same input gives the same bytes (no timestamps, no hash-map order).
/// Nothing in the input can break the page: text is escaped, offsets outside a text or
/// overlapping another highlight are listed in the evidence section instead of highlighted.
pub fn render(input: &ReportInput<'_>) -> String {
    page::render(input)
}

/// Renders the report and writes it to `path` atomically (a temporary file in the same
/// directory, renamed over the target), so a reader never sees half a page.
pub fn write(path: &Path, input: &ReportInput<'_>) -> Result<()> {
    let html = render(input);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    let io = |action: &'static str, p: &Path| {
        let path = p.to_owned();
        move |source| Error::Io {
            action,
            path,
            source,
        }
    };
    let result = std::fs::write(&tmp, html.as_bytes())
        .map_err(io("write", &tmp))
        .and_then(|()| std::fs::rename(&tmp, path).map_err(io("rename a temporary file to", path)));
    if result.is_err() {
        // The temporary file may not exist (the write failed before creating it).
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
