//! The validation section: failed rules first, each with the rows and quotes concerned.

use std::collections::BTreeMap;

use chiso_model::{ConcernedRow, RuleResult, Severity, Status};

use crate::ReportInput;
use crate::format;
use crate::html::{Esc, w};
use crate::page::{Lookup, plural};

/// The record a concerned row is about: same source, indicator, place, period, values, quote.
type RowKey<'a> = (
    &'a str,
    &'a str,
    Option<&'a str>,
    Option<String>,
    u64,
    u64,
    &'a str,
);

pub(crate) fn render(
    out: &mut String,
    input: &ReportInput<'_>,
    lookup: &Lookup<'_>,
    anchors: &[Option<String>],
) {
    out.push_str("<section id=\"validation\" aria-labelledby=\"validation-h\"><h2 id=\"validation-h\">Validation</h2>");
    if input.results.is_empty() {
        out.push_str("<p class=\"lede\">No rules were declared for this pipeline, so nothing was checked.</p></section>\n");
        return;
    }
    let mut index: BTreeMap<RowKey<'_>, usize> = BTreeMap::new();
    for (i, r) in input.records.iter().enumerate() {
        let key = (
            r.source_id.as_str(),
            r.indicator.as_str(),
            r.geo_code.as_deref(),
            r.period.map(|p| p.label()),
            r.value_low.to_bits(),
            r.value_high.to_bits(),
            &*r.quote,
        );
        index.entry(key).or_insert(i);
    }
    let find = |c: &ConcernedRow| -> Option<usize> {
        let key = (
            c.source_id.as_str(),
            c.indicator.as_str(),
            c.geo_code.as_deref(),
            c.period_label.clone(),
            c.value_low.to_bits(),
            c.value_high.to_bits(),
            c.quote.as_str(),
        );
        index.get(&key).copied()
    };

    // Failures first (errors of evaluation next), severe ones first, then rules-file order.
    let mut bad: Vec<&RuleResult> = input
        .results
        .iter()
        .filter(|r| matches!(r.status, Status::Fail | Status::Error))
        .collect();
    bad.sort_by_key(|r| (r.status != Status::Fail, r.severity != Severity::Error));
    if bad.is_empty() {
        w!(
            out,
            "<p class=\"lede good\">All {} rules hold or had nothing to check.</p>",
            input.results.len()
        );
    } else {
        w!(
            out,
            "<p class=\"lede\">{} of {} rule{} need attention.</p>",
            bad.len(),
            input.results.len(),
            plural(input.results.len())
        );
    }
    for r in &bad {
        w!(
            out,
            "<article class=\"rule rule-{}\" data-rule=\"{}\"><h3><span class=\"badge {}\">{}</span> \
             <span class=\"sev sev-{}\">{}</span> <code>{}</code> <small>{}</small></h3><p>{}</p>",
            r.status,
            Esc(&r.rule_id),
            r.status,
            r.status.as_str().to_uppercase(),
            r.severity,
            r.severity,
            Esc(&r.rule_id),
            Esc(&r.rule_kind),
            Esc(&r.message),
        );
        if r.observed.is_some() || r.expected.is_some() {
            let show = |v: Option<f64>| v.map(format::number).unwrap_or_else(|| "—".into());
            w!(
                out,
                "<p class=\"oe\">observed <b>{}</b> · expected <b>{}</b></p>",
                show(r.observed),
                show(r.expected)
            );
        }
        if !r.rows.is_empty() {
            concerned(out, &r.rows, &find, lookup, anchors);
        }
        out.push_str("</article>");
    }

    let rest: Vec<&RuleResult> = input
        .results
        .iter()
        .filter(|r| !matches!(r.status, Status::Fail | Status::Error))
        .collect();
    if !rest.is_empty() {
        let pass = rest.iter().filter(|r| r.status == Status::Pass).count();
        w!(
            out,
            "<details class=\"rest\"><summary>{pass} passed, {} skipped</summary><table class=\"data compact\">\
             <thead><tr><th>Rule</th><th>Kind</th><th>Severity</th><th>Status</th><th>Message</th></tr></thead><tbody>",
            rest.len() - pass
        );
        for r in rest {
            w!(
                out,
                "<tr data-rule=\"{}\"><td><code>{}</code></td><td>{}</td><td>{}</td><td><span class=\"badge {}\">{}</span></td><td>{}</td></tr>",
                Esc(&r.rule_id),
                Esc(&r.rule_id),
                Esc(&r.rule_kind),
                r.severity,
                r.status,
                r.status,
                Esc(&r.message)
            );
        }
        out.push_str("</tbody></table></details>");
    }
    out.push_str("</section>\n");
}

fn concerned(
    out: &mut String,
    rows: &[ConcernedRow],
    find: &dyn Fn(&ConcernedRow) -> Option<usize>,
    lookup: &Lookup<'_>,
    anchors: &[Option<String>],
) {
    out.push_str(
        "<table class=\"data concerned\"><thead><tr><th>Indicator</th><th>Place</th><th>Period</th>\
         <th class=\"num\">Value</th><th>Quote</th></tr></thead><tbody>",
    );
    for c in rows {
        let record = find(c);
        let value = match record {
            Some(i) => format::record_value(&lookup.records[i]),
            None if c.value_low == c.value_high => format::number(c.value_low),
            None => format!(
                "{}–{}",
                format::number(c.value_low),
                format::number(c.value_high)
            ),
        };
        w!(
            out,
            "<tr><td>{}<small>{}</small></td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"quote\">",
            Esc(lookup.label_en(&c.indicator)),
            Esc(&c.indicator),
            Esc(c.geo_code.as_deref().unwrap_or("—")),
            Esc(c.period_label.as_deref().unwrap_or("—")),
            Esc(&value),
        );
        let written = record.and_then(|i| lookup.written(&lookup.records[i]));
        match written
            .as_deref()
            .and_then(|wr| c.quote.find(wr).map(|at| (at, wr)))
        {
            Some((at, wr)) => w!(
                out,
                "{}<mark class=\"hl hl-v\">{}</mark>{}",
                Esc(&c.quote[..at]),
                Esc(wr),
                Esc(&c.quote[at + wr.len()..])
            ),
            None => w!(out, "{}", Esc(&c.quote)),
        }
        let links = record
            .map(|i| {
                let ev = anchors[i]
                    .as_ref()
                    .map(|a| format!(" <a href=\"#{a}\">in the text</a>"))
                    .unwrap_or_default();
                format!("<a href=\"#row-{i}\">row</a>{ev}")
            })
            .unwrap_or_default();
        w!(out, "<span class=\"links\">{links}</span></td></tr>");
    }
    out.push_str("</tbody></table>");
}
