//! The page: head with the Content-Security-Policy, the sections in reading order, the script.

use std::collections::BTreeMap;

use chiso_model::{IndicatorRecord, Severity, Status};

use crate::html::{Esc, csp_hash, w};
use crate::{
    IndicatorLabel, ReportInput, SourceOutcome, assets, chart, evidence, summary, table, validation,
};

/// What every section looks up: records, labels, source texts.
pub(crate) struct Lookup<'a> {
    /// The records, indexed as in the input.
    pub records: &'a [IndicatorRecord],
    labels: BTreeMap<&'a str, IndicatorLabel<'a>>,
    texts: BTreeMap<&'a str, &'a str>,
}

impl<'a> Lookup<'a> {
    fn new(input: &ReportInput<'a>) -> Lookup<'a> {
        let mut labels = BTreeMap::new();
        for l in &input.labels {
            labels.entry(l.id).or_insert(*l);
        }
        let mut texts = BTreeMap::new();
        for s in &input.sources {
            if let SourceOutcome::Read { text, .. } = s.outcome {
                texts.entry(s.id).or_insert(text);
            }
        }
        Lookup {
            records: input.records,
            labels,
            texts,
        }
    }

    /// The English label of an indicator, or its id when the catalogue has none.
    pub fn label_en<'s>(&'s self, id: &'s str) -> &'s str {
        self.labels
            .get(id)
            .map(|l| l.label_en)
            .filter(|l| !l.is_empty())
            .unwrap_or(id)
    }

    /// The Vietnamese label of an indicator.
    pub fn label_vi(&self, id: &str) -> Option<&'a str> {
        self.labels
            .get(id)
            .map(|l| l.label_vi)
            .filter(|l| !l.is_empty())
    }

    /// The words a record's number was written with, when its source text and offsets allow.
    pub fn written(&self, r: &IndicatorRecord) -> Option<String> {
        let text = self.texts.get(r.source_id.as_str())?;
        if r.span.start >= r.span.end {
            return None;
        }
        let s: String = text.chars().skip(r.span.start).take(r.span.len()).collect();
        (s.chars().count() == r.span.len()).then_some(s)
    }
}

pub(crate) fn render(input: &ReportInput<'_>) -> String {
    let lookup = Lookup::new(input);
    let evidence = evidence::build(input, &lookup);

    let mut body = String::with_capacity(64 * 1024 + evidence.html.len());
    header(&mut body, input);
    summary::render(&mut body, input, &lookup);
    validation::render(&mut body, input, &lookup, &evidence.record_anchor);
    chart::render(&mut body, input, &lookup);
    table::render(&mut body, input, &lookup, &evidence.record_anchor);
    body.push_str(&evidence.html);
    body.push_str("</main>\n");
    w!(
        body,
        "<footer><p>Made by chiso {} from pipeline <code>{}</code>. The page is self-contained: it loads nothing \
         and runs only its own script.</p></footer>",
        Esc(input.tool_version),
        Esc(input.pipeline_name)
    );

    let csp = format!(
        "default-src 'none'; style-src {}; script-src {}; img-src 'none'; base-uri 'none'; form-action 'none'",
        csp_hash(assets::CSS),
        csp_hash(assets::JS)
    );
    let mut html = String::with_capacity(body.len() + assets::CSS.len() + assets::JS.len() + 1024);
    w!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"chiso {}\">\n\
         <title>chiso report · {}</title>\n<style>{}</style>\n</head>\n<body>\n",
        Esc(input.tool_version),
        Esc(input.pipeline_name),
        assets::CSS,
    );
    html.push_str(&body);
    w!(
        html,
        "\n<script>{}</script>\n</body>\n</html>\n",
        assets::JS
    );
    html
}

fn header(out: &mut String, input: &ReportInput<'_>) {
    let failed = input
        .results
        .iter()
        .filter(|r| matches!(r.status, Status::Fail | Status::Error))
        .count();
    let failed_sources = input
        .sources
        .iter()
        .filter(|s| matches!(s.outcome, SourceOutcome::Failed { .. }))
        .count();
    // Rules of severity `warn` fail without failing the run: amber, not red.
    let only_warnings = input
        .results
        .iter()
        .filter(|r| matches!(r.status, Status::Fail | Status::Error))
        .all(|r| r.severity == Severity::Warn);
    let verdict = match (failed, failed_sources) {
        (0, 0) if input.results.is_empty() => ("neutral", "No rules declared".to_owned()),
        (0, 0) => ("good", "Every rule holds".to_owned()),
        (f, 0) if only_warnings => ("warn", format!("{f} warning rule{} failed", plural(f))),
        (f, 0) => ("bad", format!("{f} rule{} failed", plural(f))),
        (0, s) => ("bad", format!("{s} source{} could not be read", plural(s))),
        (f, s) => (
            "bad",
            format!(
                "{f} rule{} failed · {s} source{} could not be read",
                plural(f),
                plural(s)
            ),
        ),
    };
    w!(
        out,
        "<header class=\"top\"><div><p class=\"eyebrow\">chiso report</p><h1>{}</h1></div>\
         <p class=\"verdict verdict-{}\">{}</p>\
         <nav aria-label=\"Sections\"><a href=\"#summary\">Summary</a><a href=\"#validation\">Validation</a>\
         <a href=\"#charts\">Charts</a><a href=\"#indicators\">Indicators</a><a href=\"#evidence\">Evidence</a></nav></header>\n<main>",
        Esc(input.pipeline_name),
        verdict.0,
        Esc(&verdict.1),
    );
}

/// "s" unless there is exactly one.
pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
