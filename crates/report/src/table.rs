//! The indicators table: one row per record, sortable and filterable by the page's script, each
//! row linking to its number in the evidence.

use chiso_model::{IndicatorRecord, Kind};

use crate::ReportInput;
use crate::format;
use crate::html::{Esc, w};
use crate::page::Lookup;

/// Longest quote kept in a row's link title, in characters.
const QUOTE_TITLE_CHARS: usize = 280;

/// The order rows are written in before any sorting: indicator, period, place, kind, value.
pub(crate) fn default_order(records: &[IndicatorRecord]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..records.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&records[a], &records[b]);
        x.indicator
            .cmp(&y.indicator)
            .then_with(|| {
                x.period
                    .map(|p| (p.start(), p.end()))
                    .cmp(&y.period.map(|p| (p.start(), p.end())))
            })
            .then_with(|| x.geo_code.cmp(&y.geo_code))
            .then_with(|| x.geo_id.cmp(&y.geo_id))
            .then_with(|| format::kind_order(x.kind).cmp(&format::kind_order(y.kind)))
            .then_with(|| x.measure.cmp(&y.measure))
            .then_with(|| x.value_low.total_cmp(&y.value_low))
            .then_with(|| x.source_id.cmp(&y.source_id))
            .then_with(|| x.span.cmp(&y.span))
    });
    order
}

pub(crate) fn render(
    out: &mut String,
    input: &ReportInput<'_>,
    lookup: &Lookup<'_>,
    anchors: &[Option<String>],
) {
    let n = input.records.len();
    let several_sources = input.sources.len() > 1;
    w!(
        out,
        "<section id=\"indicators\" aria-labelledby=\"indicators-h\"><h2 id=\"indicators-h\">Indicators</h2>\
         <p class=\"lede\">One row per statement. Click a column to sort; type to filter (accents optional); \
         follow <em>text</em> to the number in its source.</p>\
         <div class=\"controls\"><label>Filter <input id=\"q\" type=\"search\" autocomplete=\"off\" \
         placeholder=\"indicator, place, period, words of the quote…\"></label>\
         <label>Kind <select id=\"kind\"><option value=\"\">all</option>"
    );
    for k in Kind::ALL {
        w!(out, "<option value=\"{k}\">{k}</option>");
    }
    w!(
        out,
        "</select></label><output id=\"count\" for=\"q kind\" aria-live=\"polite\">{n} rows</output></div>\
         <div class=\"scroll\"><table id=\"rows\" class=\"data sortable\"><thead><tr>"
    );
    let mut columns = vec![
        ("Indicator", "text"),
        ("Place", "text"),
        ("Period", "text"),
        ("Measure", "text"),
        ("Kind", "text"),
        ("Value", "num"),
        ("Unit", "text"),
    ];
    if several_sources {
        columns.push(("Source", "text"));
    }
    for (i, (name, ty)) in columns.iter().enumerate() {
        let class = if *ty == "num" { " class=\"num\"" } else { "" };
        w!(
            out,
            "<th{class} aria-sort=\"none\"><button type=\"button\" data-col=\"{i}\" data-type=\"{ty}\">{name}</button></th>"
        );
    }
    out.push_str("<th>Evidence</th></tr></thead><tbody>");

    for i in default_order(input.records) {
        let r = &input.records[i];
        let place = format::place(r).unwrap_or_else(|| "—".into());
        let period = r.period.map(|p| p.label()).unwrap_or_else(|| "—".into());
        let period_key = r
            .period
            .map(|p| format!("{}/{}", p.start(), p.end()))
            .unwrap_or_default();
        let label = lookup.label_en(&r.indicator);
        let vi = lookup.label_vi(&r.indicator).unwrap_or("");
        // "change vs 2023-09": the measure, and what a change is measured against.
        let measure = format::record_measure(r);
        let measure_html = match measure.split_once(" vs ") {
            Some((m, vs)) => format!("{m}<small>vs {}</small>", Esc(vs)),
            None => measure.clone(),
        };
        let search = [
            r.indicator.as_str(),
            label,
            vi,
            &place,
            r.geo_code.as_deref().unwrap_or(""),
            &period,
            r.kind.as_str(),
            &measure,
            r.unit.as_str(),
            &r.source_id,
            &r.quote,
        ]
        .join(" ")
        .to_lowercase();
        w!(
            out,
            "<tr id=\"row-{i}\" data-kind=\"{}\" data-search=\"{}\"><td data-v=\"{}\">{}<small>{}{}{}</small></td>\
             <td data-v=\"{}\">{}<small>{}</small></td><td data-v=\"{}\">{}</td><td data-v=\"{}\">{}</td>\
             <td data-v=\"{}\"><span class=\"kind kind-{}\">{}</span></td><td class=\"num\" data-v=\"{}\">{}</td><td data-v=\"{}\">{}</td>",
            r.kind,
            Esc(&search),
            Esc(&r.indicator),
            Esc(label),
            Esc(&r.indicator),
            if vi.is_empty() { "" } else { " · " },
            Esc(vi),
            Esc(&place),
            Esc(&place),
            Esc(r.geo_code.as_deref().unwrap_or("")),
            Esc(&period_key),
            Esc(&period),
            r.measure,
            measure_html,
            format::kind_order(r.kind),
            r.kind,
            r.kind,
            r.value_low,
            Esc(&format::record_value(r)),
            r.unit,
            r.unit,
        );
        if several_sources {
            w!(
                out,
                "<td data-v=\"{}\">{}</td>",
                Esc(&r.source_id),
                Esc(&r.source_id)
            );
        }
        let quote: String = r.quote.chars().take(QUOTE_TITLE_CHARS).collect();
        let ellipsis = if quote.len() < r.quote.len() {
            "…"
        } else {
            ""
        };
        let times = if r.occurrences > 1 {
            format!(
                " <span class=\"times\" title=\"stated {} times\">×{}</span>",
                r.occurrences, r.occurrences
            )
        } else {
            String::new()
        };
        match &anchors[i] {
            Some(a) => w!(
                out,
                "<td><a class=\"ev\" href=\"#{a}\" title=\"{}{ellipsis}\">text</a>{times}</td></tr>",
                Esc(&quote)
            ),
            // A table's row: its quote is where it came from (file, sheet, row).
            None if r.span.is_empty() => w!(
                out,
                "<td><span class=\"cell-ref\">{}{ellipsis}</span>{times}</td></tr>",
                Esc(&quote)
            ),
            None => w!(
                out,
                "<td><span class=\"missing\" title=\"{}{ellipsis}\">not placed</span>{times}</td></tr>",
                Esc(&quote)
            ),
        }
    }
    if n == 0 {
        w!(
            out,
            "<tr><td colspan=\"{}\">No rows.</td></tr>",
            columns.len() + 1
        );
    }
    out.push_str("</tbody></table></div></section>\n");
}
