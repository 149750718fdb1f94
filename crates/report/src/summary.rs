//! The summary: sources, rows, rules at a glance.

use std::collections::{BTreeMap, BTreeSet};

use chiso_model::Status;

use crate::html::{Esc, w};
use crate::page::{Lookup, plural};
use crate::{ReportInput, SourceOutcome};

pub(crate) fn render(out: &mut String, input: &ReportInput<'_>, lookup: &Lookup<'_>) {
    let read = input
        .sources
        .iter()
        .filter(|s| matches!(s.outcome, SourceOutcome::Read { .. }))
        .count();
    let failed = input
        .sources
        .iter()
        .filter(|s| matches!(s.outcome, SourceOutcome::Failed { .. }))
        .count();
    let copies = input.sources.len() - read - failed;
    let rows = input.records.len();
    let indicators: BTreeSet<&str> = input.records.iter().map(|r| r.indicator.as_str()).collect();
    let places: BTreeSet<&str> = input
        .records
        .iter()
        .filter_map(|r| r.geo_code.as_deref())
        .collect();
    let periods: BTreeSet<String> = input
        .records
        .iter()
        .filter_map(|r| r.period.map(|p| p.label()))
        .collect();
    let n = |s: Status| input.results.iter().filter(|r| r.status == s).count();

    out.push_str("<section id=\"summary\" aria-labelledby=\"summary-h\"><h2 id=\"summary-h\">Summary</h2><div class=\"cards\">");
    card(
        out,
        "sources",
        read,
        &format!("source{} read", plural(read)),
        &match copies {
            0 => format!("{failed} failed"),
            n => format!("{failed} failed · {n} duplicate{} set aside", plural(n)),
        },
        if failed > 0 { "bad" } else { "" },
    );
    card(
        out,
        "rows",
        rows,
        &format!("row{}", plural(rows)),
        &format!(
            "{} indicators · {} places · {} periods",
            indicators.len(),
            places.len(),
            periods.len()
        ),
        "",
    );
    card(
        out,
        "mentions",
        input.mentions.len(),
        "numbers found",
        "highlighted under Evidence",
        "",
    );
    card(
        out,
        "pass",
        n(Status::Pass),
        "rules passed",
        "",
        if n(Status::Pass) > 0 { "good" } else { "" },
    );
    card(
        out,
        "fail",
        n(Status::Fail),
        "rules failed",
        "",
        if n(Status::Fail) > 0 { "bad" } else { "" },
    );
    card(
        out,
        "skip",
        n(Status::Skip),
        "rules skipped",
        &format!("{} could not be evaluated", n(Status::Error)),
        if n(Status::Error) > 0 { "bad" } else { "" },
    );
    out.push_str("</div><div class=\"two\">");
    sources(out, input);
    per_indicator(out, input, lookup);
    out.push_str("</div></section>\n");
}

fn card(out: &mut String, key: &str, big: usize, what: &str, small: &str, tone: &str) {
    w!(
        out,
        "<div class=\"card {tone}\" data-card=\"{key}\"><span class=\"big\">{big}</span><span class=\"what\">{}</span>",
        Esc(what)
    );
    if !small.is_empty() {
        w!(out, "<span class=\"small\">{}</span>", Esc(small));
    }
    out.push_str("</div>");
}

/// Warnings listed to look at, beneath the badge of a source read: up to
/// [`WARNINGS_LISTED`], then a count (sources.parquet has them all).
fn warnings(out: &mut String, warnings: &[String]) {
    if warnings.is_empty() {
        return;
    }
    w!(
        out,
        "<details class=\"warnings\"><summary>{} warning{}</summary><ul>",
        warnings.len(),
        if warnings.len() == 1 { "" } else { "s" }
    );
    for warning in warnings.iter().take(WARNINGS_LISTED) {
        w!(out, "<li>{}</li>", Esc(warning));
    }
    if warnings.len() > WARNINGS_LISTED {
        w!(
            out,
            "<li>… and {} more (sources.parquet lists them all)</li>",
            warnings.len() - WARNINGS_LISTED
        );
    }
    out.push_str("</ul></details>");
}

/// Warnings of one source listed in the report.
const WARNINGS_LISTED: usize = 10;

fn sources(out: &mut String, input: &ReportInput<'_>) {
    out.push_str(
        "<div><h3>Sources</h3><table class=\"data compact\"><thead><tr><th>Source</th><th>Status</th>\
         <th class=\"num\">Rows</th></tr></thead><tbody>",
    );
    for (si, s) in input.sources.iter().enumerate() {
        match s.outcome {
            SourceOutcome::Read { .. } => {
                let rows = input.records.iter().filter(|r| r.source_id == s.id).count();
                w!(
                    out,
                    "<tr><td><a href=\"#src-{si}\">{}</a><small>{}</small></td><td><span class=\"badge pass\">read</span>",
                    Esc(s.id),
                    Esc(s.origin)
                );
                warnings(out, s.warnings);
                w!(out, "</td><td class=\"num\">{rows}</td></tr>");
            }
            SourceOutcome::Failed { reason } => w!(
                out,
                "<tr class=\"failed\"><td>{}<small>{}</small></td><td><span class=\"badge fail\">failed</span>\
                 <p class=\"reason\">{}</p></td><td class=\"num\">—</td></tr>",
                Esc(s.id),
                Esc(s.origin),
                Esc(reason)
            ),
            SourceOutcome::Duplicate { text_sha256 } => w!(
                out,
                "<tr class=\"duplicate\"><td>{}<small>{}</small></td><td><span class=\"badge skip\">duplicate</span>\
                 <p class=\"reason\">The text of a source before it (text_sha256 {}…): set aside.</p></td>\
                 <td class=\"num\">—</td></tr>",
                Esc(s.id),
                Esc(s.origin),
                Esc(text_sha256.get(..12).unwrap_or(text_sha256))
            ),
        }
    }
    if input.sources.is_empty() {
        out.push_str("<tr><td colspan=\"3\">The pipeline has no sources.</td></tr>");
    }
    out.push_str("</tbody></table></div>");
}

fn per_indicator(out: &mut String, input: &ReportInput<'_>, lookup: &Lookup<'_>) {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for r in input.records {
        *counts.entry(r.indicator.as_str()).or_default() += 1;
    }
    let mut counts: Vec<(&str, usize)> = counts.into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let max = counts.first().map(|c| c.1).unwrap_or(1).max(1);
    out.push_str(
        "<div><h3>Rows per indicator</h3><table class=\"data compact\"><thead><tr><th>Indicator</th>\
         <th class=\"num\">Rows</th><th aria-hidden=\"true\"></th></tr></thead><tbody>",
    );
    for (id, c) in &counts {
        let width = 120.0 * (*c as f64) / (max as f64);
        w!(
            out,
            "<tr><td>{}<small>{}</small></td><td class=\"num\">{c}</td><td aria-hidden=\"true\">\
             <svg class=\"spark\" width=\"120\" height=\"10\" viewBox=\"0 0 120 10\"><rect x=\"0\" y=\"1\" width=\"{width:.1}\" height=\"8\" rx=\"2\"/></svg></td></tr>",
            Esc(lookup.label_en(id)),
            Esc(id)
        );
    }
    if counts.is_empty() {
        out.push_str("<tr><td colspan=\"3\">No rows.</td></tr>");
    }
    out.push_str("</tbody></table></div>");
}
