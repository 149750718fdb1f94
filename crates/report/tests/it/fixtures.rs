//! Report inputs: the real Lào Cai interview through the real linker, and a hostile source.

use std::path::PathBuf;

use chiso_model::{
    ConcernedRow, Document, Kind, PartialDate, RuleResult, Severity, SourceMeta, Status,
};
use chiso_report::{IndicatorLabel, MentionView, ReportInput, SourceReport};
use chiso_transform::link::{Linker, Transformed};
use unicode_normalization::UnicodeNormalization;

pub const LAO_CAI_ID: &str = "nhandan-2023-lao-cai";
pub const LAO_CAI_ORIGIN: &str = "pipelines/lao-cai/sources/lao-cai-interview.txt";
/// The failed rule every Lào Cai report shows.
pub const FAILED_RULE: &str = "grdp-growth-2022-above-9-5";

pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A source's NFC text and what the linker made of it, or why it could not be read.
pub type Outcome = Result<(String, Transformed), String>;

/// One run with everything the report borrows.
pub struct Run {
    pub name: String,
    /// Id, origin and outcome of each source.
    pub sources: Vec<(String, String, Outcome)>,
    pub labels: Vec<(String, String, String)>,
    pub results: Vec<RuleResult>,
    pub records: Vec<chiso_model::IndicatorRecord>,
}

impl Run {
    pub fn input(&self) -> ReportInput<'_> {
        let mut sources = Vec::new();
        let mut mentions = Vec::new();
        for (id, origin, outcome) in &self.sources {
            match outcome {
                Ok((text, t)) => {
                    sources.push(SourceReport::read(
                        id,
                        origin,
                        text,
                        &t.sentences,
                        t.repeats_dropped,
                    ));
                    mentions.extend(t.linked().map(|lm| MentionView {
                        source_id: id,
                        mention: lm.mention,
                        indicator: lm.indicator,
                    }));
                }
                Err(reason) => sources.push(SourceReport::failed(id, origin, reason)),
            }
        }
        ReportInput {
            pipeline_name: &self.name,
            tool_version: "0.1.0",
            sources,
            records: &self.records,
            mentions,
            results: &self.results,
            labels: self
                .labels
                .iter()
                .map(|(id, vi, en)| IndicatorLabel {
                    id,
                    label_vi: vi,
                    label_en: en,
                })
                .collect(),
        }
    }
}

fn transform(id: &str, raw: &str) -> (String, Transformed) {
    let text: String = raw.nfc().collect();
    let doc = Document {
        source_id: id.to_owned(),
        text: text.clone(),
        meta: SourceMeta {
            published: Some(PartialDate::Month {
                year: 2023,
                month: 4,
            }),
            geo: Some("VN-02".to_owned()),
            origin: id.to_owned(),
            ..SourceMeta::default()
        },
    };
    let t = Linker::builtin().transform(&doc);
    (text, t)
}

fn labels() -> Vec<(String, String, String)> {
    Linker::builtin()
        .catalogue()
        .indicators()
        .iter()
        .map(|i| (i.id.clone(), i.label_vi.clone(), i.label_en.clone()))
        .collect()
}

/// The Lào Cai interview with a failed rule about GRDP growth in 2022, a pass and a skip.
pub fn lao_cai() -> Run {
    let raw = std::fs::read_to_string(workspace_root().join(LAO_CAI_ORIGIN))
        .expect("the Lào Cai source is in the repository");
    let (text, t) = transform(LAO_CAI_ID, &raw);
    let records = t.records.clone();
    let growth = records
        .iter()
        .find(|r| {
            r.indicator == "gdp_growth"
                && r.period.map(|p| p.label()).as_deref() == Some("2022")
                && r.kind == Kind::Actual
        })
        .expect("the linker reads “năm 2022 đạt 9,02%” as gdp_growth 2022");
    let concerned = ConcernedRow {
        source_id: growth.source_id.clone(),
        indicator: growth.indicator.clone(),
        geo_code: growth.geo_code.clone(),
        period_label: growth.period.map(|p| p.label()),
        value_low: growth.value_low,
        value_high: growth.value_high,
        quote: growth.quote.to_string(),
    };
    let results = vec![
        RuleResult {
            rule_id: "poverty-rate-2023".into(),
            rule_kind: "expect".into(),
            severity: Severity::Error,
            status: Status::Pass,
            observed: Some(19.3),
            expected: Some(19.3),
            message: "poverty_rate VN-02 2023 is 19.3, as expected".into(),
            rows: vec![],
        },
        RuleResult {
            rule_id: FAILED_RULE.into(),
            rule_kind: "range".into(),
            severity: Severity::Error,
            status: Status::Fail,
            observed: Some(growth.value_low),
            expected: Some(9.5),
            message: "GRDP growth of Lào Cai in 2022 is 9.02%, below the 9.5% minimum".into(),
            rows: vec![concerned],
        },
        RuleResult {
            rule_id: "export-value-2025".into(),
            rule_kind: "expect".into(),
            severity: Severity::Warn,
            status: Status::Skip,
            observed: None,
            expected: Some(2.0e9),
            message: "no row matches the selection".into(),
            rows: vec![],
        },
    ];
    Run {
        name: "lao-cai".into(),
        sources: vec![(LAO_CAI_ID.into(), LAO_CAI_ORIGIN.into(), Ok((text, t)))],
        labels: labels(),
        results,
        records,
    }
}

/// Markup and script in every string a source or a rules file can put on the page.
pub const HOSTILE_TEXT: &str = "Tin nóng <script>document.title='pwned'</script> và <img src=x onerror=\"document.title='pwned-img'\">.\n\
    Năm 2022, tỷ lệ hộ nghèo của tỉnh Lào Cai còn 19,3% </textarea><svg onload=\"document.title='pwned-svg'\">.\n";

pub fn hostile() -> Run {
    let id = "evil<script>document.title='pwned-id'</script>";
    let (text, t) = transform(id, HOSTILE_TEXT);
    let records = t.records.clone();
    let results = vec![RuleResult {
        rule_id: "<img src=x onerror=\"document.title='pwned-rule'\">".into(),
        rule_kind: "expect".into(),
        severity: Severity::Error,
        status: Status::Fail,
        observed: Some(1.0),
        expected: Some(2.0),
        message: "<script>document.title='pwned-message'</script>".into(),
        rows: records
            .iter()
            .map(|r| ConcernedRow {
                source_id: r.source_id.clone(),
                indicator: r.indicator.clone(),
                geo_code: r.geo_code.clone(),
                period_label: r.period.map(|p| p.label()),
                value_low: r.value_low,
                value_high: r.value_high,
                quote: r.quote.to_string(),
            })
            .collect(),
    }];
    Run {
        name: "<script>document.title='pwned-name'</script>".into(),
        sources: vec![
            (id.into(), "<b>origin</b>".into(), Ok((text, t))),
            (
                "down".into(),
                "https://example.invalid/x".into(),
                Err("HTTP 500 <script>document.title='pwned-reason'</script>".into()),
            ),
        ],
        labels: vec![(
            "poverty_rate".into(),
            "<i>nghèo</i>".into(),
            "<script>document.title='pwned-label'</script>".into(),
        )],
        results,
        records,
    }
}

/// Consumer prices of three months, each month's change stated on the month before and on a
/// year before: two series of one indicator and measure.
pub fn cpi_bases() -> Run {
    let raw = "Chỉ số giá tiêu dùng (CPI) tháng 1/2023 tăng 0,52% so với tháng trước và tăng 4,89% so với cùng kỳ năm trước.\n\
               Chỉ số giá tiêu dùng (CPI) tháng 2/2023 tăng 0,45% so với tháng trước và tăng 4,31% so với cùng kỳ năm trước.\n\
               Chỉ số giá tiêu dùng (CPI) tháng 3/2023 giảm 0,23% so với tháng trước và tăng 3,35% so với cùng kỳ năm trước.\n";
    let (text, t) = transform("cpi", raw);
    let records = t.records.clone();
    Run {
        name: "cpi".into(),
        sources: vec![("cpi".into(), "cpi.txt".into(), Ok((text, t)))],
        labels: labels(),
        results: Vec::new(),
        records,
    }
}
