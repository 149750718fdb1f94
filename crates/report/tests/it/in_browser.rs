//! The report in headless Chromium: what a person opening the file gets.

use crate::browser::{Browser, browser};
use crate::fixtures::{self, FAILED_RULE, workspace_root};
use crate::{between, count, fold};

/// The values of the Value column, top to bottom, as the table shows them now.
fn value_column(dom: &str) -> Vec<f64> {
    let body = between(dom, "<table id=\"rows\"", "</table>").expect("the indicators table");
    body.split("<td class=\"num\" data-v=\"")
        .skip(1)
        .map(|s| s[..s.find('"').expect("quoted")].parse().expect("a number"))
        .collect()
}

#[test]
fn lao_cai_report_renders_sorts_and_filters_in_chromium() {
    let Some(b) = browser("lao_cai_report") else {
        return;
    };
    let run = fixtures::lao_cai();
    let html = chiso_report::render(&run.input());
    let page = b.page("lao-cai.html", &html);

    // For people: the report down to the start of the evidence, as a picture, and the page itself.
    let out = workspace_root().join("output");
    std::fs::create_dir_all(&out).expect("output/ can be made");
    std::fs::write(out.join("report-screenshot.html"), &html).expect("output/ is writable");
    b.screenshot(
        &Browser::url(&page, ""),
        &out.join("report-screenshot.png"),
        1280,
        3600,
    );

    let dom = b.dump_dom(&Browser::url(&page, ""));
    assert!(
        dom.contains("data-report=\"ready\""),
        "the page's script ran under its CSP: {}",
        &dom[..dom.len().min(400)]
    );
    assert!(
        !dom.contains("data-report-error=\""),
        "script error: {:?}",
        between(&dom, "data-report-error=\"", "\"")
    );
    assert_eq!(
        count(&dom, "<tr id=\"row-"),
        run.records.len(),
        "every row is in the table"
    );
    assert!(
        dom.contains(&format!("data-shown=\"{}\"", run.records.len())),
        "nothing filtered at first"
    );
    for r in &run.records {
        assert!(
            dom.contains(&format!(
                "<mark class=\"hl hl-v\" id=\"ev-0-{}-{}\"",
                r.span.start, r.span.end
            )),
            "{} highlighted",
            r.indicator
        );
    }
    let failed = between(&dom, &format!("data-rule=\"{FAILED_RULE}\""), "</article>")
        .expect("the failed rule is in the page");
    assert!(
        failed.contains(">FAIL<") && failed.contains("9,02%"),
        "{failed}"
    );

    // Sorting: ?sort=value&dir=desc is what clicking "Value" twice gives.
    let dom = b.dump_dom(&Browser::url(&page, "?sort=value&dir=desc"));
    assert!(
        dom.contains("data-sorted=\"value desc\""),
        "the script sorted"
    );
    assert!(
        dom.contains("aria-sort=\"descending\"><button type=\"button\" data-col=\"5\""),
        "the header says so"
    );
    let values = value_column(&dom);
    assert_eq!(values.len(), run.records.len());
    assert!(
        values.windows(2).all(|w| w[0] >= w[1]),
        "values descend: {values:?}"
    );

    // Filtering without accents finds accented words; the kind filter narrows further.
    let search = |r: &chiso_model::IndicatorRecord| {
        let label = run.labels.iter().find(|l| l.0 == r.indicator);
        let place = r
            .geo_name
            .as_deref()
            .or(r.geo_code.as_deref())
            .unwrap_or("—");
        let period = r.period.map(|p| p.label()).unwrap_or_else(|| "—".into());
        fold(
            &[
                r.indicator.as_str(),
                label.map(|l| l.2.as_str()).unwrap_or(&r.indicator),
                label.map(|l| l.1.as_str()).unwrap_or(""),
                place,
                r.geo_code.as_deref().unwrap_or(""),
                &period,
                r.kind.as_str(),
                r.measure.as_str(),
                r.unit.as_str(),
                &r.source_id,
                &r.quote,
            ]
            .join(" "),
        )
    };
    let expected = run
        .records
        .iter()
        .filter(|r| r.kind == chiso_model::Kind::Actual && search(r).contains("ngheo"))
        .count();
    assert!(
        expected > 0 && expected < run.records.len(),
        "a useful filter: {expected}"
    );
    let dom = b.dump_dom(&Browser::url(&page, "?q=NGHEO&kind=actual"));
    assert!(
        dom.contains(&format!("data-shown=\"{expected}\"")),
        "{expected} actual rows mention nghèo"
    );
    assert_eq!(
        count(&dom, "<tr id=\"row-") - count(&dom, "\" hidden=\"\""),
        expected,
        "the others are hidden"
    );
    assert!(
        dom.contains(&format!("{expected} of {} rows", run.records.len())),
        "the count says so"
    );
}

#[test]
fn hostile_source_runs_no_script_in_chromium() {
    let Some(b) = browser("hostile") else { return };
    let run = fixtures::hostile();
    let html = chiso_report::render(&run.input());
    let page = b.page("hostile.html", &html);
    let dom = b.dump_dom(&Browser::url(&page, ""));
    assert!(
        dom.contains("data-report=\"ready\""),
        "the page's own script still runs"
    );
    assert!(
        !dom.contains("pwned</title>") && !dom.contains("<title>pwned"),
        "no injected script set the title"
    );
    let title = between(&dom, "<title>", "</title>").expect("a title");
    assert_eq!(
        title,
        "chiso report · &lt;script&gt;document.title='pwned-name'&lt;/script&gt;"
    );
    assert!(
        !dom.contains("<img") && !dom.contains("<svg onload"),
        "no element made from input"
    );
    assert!(
        dom.contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;"),
        "the source text shows the script as text"
    );
    assert!(
        dom.contains("&lt;img src=x onerror=\"document.title='pwned-img'\"&gt;"),
        "and the onerror as text"
    );
}

#[test]
fn csp_blocks_script_that_escaping_missed() {
    let Some(b) = browser("csp") else { return };
    let run = fixtures::lao_cai();
    // Defence in depth: markup put into the page after rendering must not run either.
    let html = chiso_report::render(&run.input()).replace(
        "<main>",
        "<main><script>document.title='csp-failed'</script><img src=x onerror=\"document.title='csp-failed-img'\">",
    );
    let page = b.page("injected.html", &html);
    let dom = b.dump_dom(&Browser::url(&page, ""));
    assert!(
        dom.contains("<title>chiso report · lao-cai</title>"),
        "the injected script did not run"
    );
    assert!(
        dom.contains("data-report=\"ready\""),
        "the page's own script did"
    );
}
