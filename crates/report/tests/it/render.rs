//! The page as bytes: determinism, evidence offsets, escaping, problems shown rather than lost.

use std::time::Instant;

use chiso_model::{
    Comparator, IndicatorRecord, Kind, Measure, Mention, MentionKind, Period, Span, Unit,
};
use chiso_report::{IndicatorLabel, MentionView, ReportInput, SourceReport, render};

use crate::fixtures::{self, FAILED_RULE};
use crate::{between, count};

fn char_slice(text: &str, span: Span) -> String {
    text.chars().skip(span.start).take(span.len()).collect()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[test]
fn same_input_gives_the_same_bytes_quickly() {
    let run = fixtures::lao_cai();
    let input = run.input();
    let started = Instant::now();
    let a = render(&input);
    let elapsed = started.elapsed();
    let b = render(&run.input());
    assert_eq!(a, b);
    eprintln!(
        "rendered the Lào Cai report ({} bytes, {} rows) in {elapsed:?}",
        a.len(),
        run.records.len()
    );
    // Milliseconds in release; a debug build on a shared 2-core machine is given slack.
    assert!(elapsed.as_millis() < 1000, "rendering took {elapsed:?}");
}

#[test]
fn every_row_links_to_its_number_highlighted_in_the_text() {
    let run = fixtures::lao_cai();
    let html = render(&run.input());
    let Ok((text, _)) = &run.sources[0].2 else {
        panic!("the Lào Cai source is read")
    };
    eprintln!("{} rows", run.records.len());
    assert!(
        run.records.len() >= 8,
        "the linker finds the interview's statements"
    );
    assert_eq!(count(&html, "<tr id=\"row-"), run.records.len());
    for r in &run.records {
        let id = format!("ev-0-{}-{}", r.span.start, r.span.end);
        assert!(
            html.contains(&format!("href=\"#{id}\"")),
            "row {} {:?} has no evidence link",
            r.indicator,
            r.span
        );
        let mark = between(&html, &format!("id=\"{id}\""), "</mark>")
            .unwrap_or_else(|| panic!("no highlight {id}"));
        let inner = &mark[mark.find('>').expect("the mark tag closes") + 1..];
        assert_eq!(
            inner,
            escape(&char_slice(text, r.span)),
            "highlight {id} wraps the number's own words"
        );
        assert!(
            mark.contains(r.kind.as_str()),
            "the explanation of {id} names the kind"
        );
    }
    // "9,02%" is the 2022 growth, explained with indicator, place, period and kind.
    let growth = run
        .records
        .iter()
        .find(|r| r.indicator == "gdp_growth" && r.value_low == 9.02)
        .expect("9,02% is read");
    let mark = between(
        &html,
        &format!("id=\"ev-0-{}-{}\"", growth.span.start, growth.span.end),
        "</mark>",
    )
    .expect("highlighted");
    for want in [
        "“9,02%” · percent",
        "read as 9.02%",
        "Lào Cai",
        "2022",
        "actual",
        "level",
    ] {
        assert!(
            mark.contains(&escape(want)),
            "the 9,02% explanation lacks {want:?}: {mark}"
        );
    }
    let open = format!(
        "<mark class=\"hl hl-v\" id=\"ev-0-{}-{}\" tabindex=\"0\" aria-label=",
        growth.span.start, growth.span.end
    );
    assert!(html.contains(&open), "a focusable value highlight: {mark}");
}

#[test]
fn numbers_are_coloured_by_type_and_repeats_marked() {
    let run = fixtures::lao_cai();
    let html = render(&run.input());
    let evidence = &html[html.find("id=\"evidence\"").expect("evidence section")..];
    for (class, what) in [
        ("hl-v", "values with rows"),
        ("hl-t", "years and periods"),
        ("hl-r", "document numbers, enumerators"),
        ("hl-u", "values without rows"),
    ] {
        assert!(
            count(evidence, &format!("class=\"hl {class}\" id=")) > 0,
            "no {what} highlighted"
        );
    }
    let Ok((_, t)) = &run.sources[0].2 else {
        panic!("read")
    };
    assert!(t.repeats_dropped > 0, "the interview repeats a paragraph");
    let text = &evidence[evidence
        .find("<article class=\"source\"")
        .expect("the source")..];
    let repeat = between(text, "<span class=\"gap gap-rep\"", "</span>")
        .expect("a repeated passage is marked");
    assert!(
        repeat.contains("Tốc độ tăng trưởng kinh tế GRDP") || repeat.contains("Bí thư Tỉnh ủy"),
        "{repeat}"
    );
    // Every mention of the kept sentences is highlighted.
    assert_eq!(
        count(evidence, "<mark class=\"hl hl-") - 4,
        t.mentions.len(),
        "legend has 4 marks"
    );
}

#[test]
fn the_failed_rule_comes_first_with_its_row_and_quote() {
    let run = fixtures::lao_cai();
    let html = render(&run.input());
    let validation = between(&html, "id=\"validation\"", "</section>").expect("validation section");
    let failed = validation
        .find(&format!("data-rule=\"{FAILED_RULE}\""))
        .expect("the failed rule is shown");
    assert!(
        failed
            < validation
                .find("data-rule=\"poverty-rate-2023\"")
                .expect("passes are listed"),
        "failures first"
    );
    let article = between(
        validation,
        &format!("data-rule=\"{FAILED_RULE}\""),
        "</article>",
    )
    .expect("an article");
    assert!(
        article.contains("FAIL") && article.contains("observed <b>9.02</b> · expected <b>9.5</b>"),
        "{article}"
    );
    assert!(
        article.contains("<mark class=\"hl hl-v\">9,02%</mark>"),
        "the quote highlights the number: {article}"
    );
    assert!(
        article.contains("href=\"#ev-0-") && article.contains("href=\"#row-"),
        "links to the text and the row"
    );
    assert!(
        html.contains("verdict-bad\">1 rule failed"),
        "the header says it"
    );
    // A rule of severity `warn` fails without failing the run: the header is amber.
    let mut warned = fixtures::lao_cai();
    for r in &mut warned.results {
        r.severity = chiso_model::Severity::Warn;
    }
    let html = render(&warned.input());
    assert!(
        html.contains("verdict-warn\">1 warning rule failed"),
        "the header says it is a warning"
    );
}

#[test]
fn charts_draw_targets_and_estimates_apart_from_actuals() {
    let run = fixtures::lao_cai();
    let html = render(&run.input());
    let charts = between(&html, "id=\"charts\"", "</section>").expect("charts section");
    let figures = count(charts, "<figure class=\"chart\"");
    assert!(
        figures >= 2,
        "several indicators have several periods: {figures} charts"
    );
    let growth =
        between(charts, "data-indicator=\"gdp_growth\"", "</figure>").expect("a GRDP growth chart");
    assert!(growth.contains("class=\"bar k-actual\""), "actual bars");
    assert!(
        growth.contains("class=\"bar k-estimate\"") || growth.contains("class=\"bar k-target\""),
        "estimates or targets drawn apart"
    );
    assert!(
        growth.contains("class=\"axis\"") && growth.contains(">2022<"),
        "axis labels and periods"
    );
    for kind in ["actual", "estimate", "target", "forecast"] {
        assert!(
            charts.contains(&format!("class=\"bar k-{kind}\"/></svg>{kind}</li>")),
            "legend names {kind}"
        );
    }
}

#[test]
fn changes_on_different_bases_are_charted_apart_and_say_their_base() {
    let run = fixtures::cpi_bases();
    assert_eq!(run.records.len(), 6, "{:#?}", run.records);
    let html = render(&run.input());
    let charts = between(&html, "id=\"charts\"", "</section>").expect("charts section");
    assert_eq!(
        count(charts, "<figure class=\"chart\" data-indicator=\"cpi\""),
        2,
        "month on month and year on year are two charts"
    );
    assert!(
        charts.contains("change vs the period before, %"),
        "{charts}"
    );
    // A change on the year before is charted with the changes that name no base.
    assert!(charts.contains(">change, %<"), "{charts}");
    assert!(
        html.contains("change<small>vs 2022-12</small>")
            && html.contains("change<small>vs 2022-01</small>"),
        "the table names each change's base period"
    );
}

#[test]
fn hostile_text_stays_text() {
    let run = fixtures::hostile();
    let html = render(&run.input());
    assert_eq!(count(&html, "<script"), 1, "only the page's own script");
    assert!(
        !html.contains("<img") && !html.contains("<svg onload") && !html.contains("</textarea>"),
        "no markup from input"
    );
    assert!(
        html.contains("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;"),
        "the source shows the script as text"
    );
    assert!(
        html.contains("HTTP 500 &lt;script&gt;"),
        "the failure reason is escaped"
    );
    let csp = between(
        &html,
        "http-equiv=\"Content-Security-Policy\" content=\"",
        "\"",
    )
    .expect("a CSP meta tag");
    assert!(
        csp.starts_with("default-src 'none'; style-src 'sha256-")
            && csp.contains("script-src 'sha256-"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe"), "{csp}");
    assert!(
        !html.contains(" style=\""),
        "no inline style attributes: the CSP would block them"
    );
}

#[test]
fn offsets_count_code_points_and_bad_ones_are_listed() {
    // "ỷ", "ộ", "è", "ò" are two or three bytes each: byte and code-point offsets differ.
    let text = "Tỷ lệ hộ nghèo còn 19,3%, giảm 2,5 điểm so với năm 2021.";
    let at = |needle: &str| {
        let b = text.find(needle).expect("in the text");
        let start = text[..b].chars().count();
        (
            Span::new(start, start + needle.chars().count()),
            Span::new(b, b + needle.len()),
        )
    };
    let (pct, pct_b) = at("19,3%");
    let (year, year_b) = at("2021");
    let rec = |span: Span, v: f64, indicator: &str| IndicatorRecord {
        source_id: "s".into(),
        indicator: indicator.into(),
        geo_code: Some("VN-02".into()),
        geo_id: Some("VN-02".into()),
        geo_name: Some("Lào Cai".into()),
        period: Some(Period::Year(2022)),
        measure: Measure::Level,
        base: None,
        base_period: None,
        kind: Kind::Actual,
        comparator: Comparator::Eq,
        value_low: v,
        value_high: v,
        unit: Unit::Percent,
        rank_total: None,
        rank_group: None,
        of_total: None,
        quote: text.into(),
        span,
        occurrences: 1,
    };
    let records = vec![
        rec(pct, 19.3, "poverty_rate"),
        rec(Span::new(200, 205), 2.5, "poverty_reduction"),
    ];
    let m_pct = Mention::new(MentionKind::Percent, pct, pct_b).with_value(19.3);
    let m_year = Mention::new(MentionKind::Year, year, year_b);
    // Overlaps "19,3%": listed, not highlighted.
    let m_bad = Mention::new(
        MentionKind::Number,
        Span::new(pct.start + 3, pct.end),
        Span::new(pct_b.start + 3, pct_b.end),
    );
    // Its code points name "2,5", its bytes another text's: listed, highlighted where its code
    // points say.
    let (dec, _) = at("2,5");
    let m_foreign = Mention::new(MentionKind::Number, dec, Span::new(900, 903));
    let sentences = vec![std::sync::Arc::from(text)];
    let input = ReportInput {
        pipeline_name: "offsets",
        tool_version: "0",
        sources: vec![
            SourceReport::read("s", "s.txt", text, &sentences, 0),
            SourceReport::failed("t", "https://example.invalid/t", "HTTP 404"),
        ],
        records: &records,
        mentions: [&m_pct, &m_year, &m_bad, &m_foreign]
            .into_iter()
            .map(|m| MentionView {
                source_id: "s",
                mention: m,
                indicator: None,
            })
            .collect(),
        results: &[],
        labels: vec![IndicatorLabel {
            id: "poverty_rate",
            label_vi: "Tỷ lệ hộ nghèo",
            label_en: "Poverty rate",
        }],
    };
    let html = render(&input);
    assert!(html.contains(&format!("id=\"ev-0-{}-{}\"", pct.start, pct.end)));
    assert!(
        html.contains("hộ nghèo còn <mark class=\"hl hl-v\""),
        "the mark opens right before 19,3%"
    );
    assert!(
        html.contains(">19,3%</mark>, giảm"),
        "and closes right after it"
    );
    assert!(
        html.contains(">2021</mark>."),
        "the year is highlighted in place"
    );
    assert!(
        html.contains("offsets 200..205 lie outside the text"),
        "a row outside the text is listed"
    );
    assert!(
        html.contains("number “3%” at") && html.contains("overlaps"),
        "an overlapping mention is listed"
    );
    assert!(
        html.contains(&format!(
            "number at bytes 900..903: its byte offsets 900..903 are not a part of the text \
             (highlighted at {}..{} anyway)",
            dec.start, dec.end
        )),
        "a mention whose bytes lie outside the text is listed"
    );
    assert!(
        html.contains(">2,5</mark>"),
        "and highlighted at its code points"
    );
    assert!(
        html.contains("<span class=\"missing\""),
        "its row says it is not placed"
    );
    assert!(
        html.contains("<span class=\"badge fail\">failed</span><p class=\"reason\">HTTP 404</p>"),
        "the failed source and its reason"
    );
    assert!(html.contains("No rules were declared"), "no rules, said so");
}

#[test]
fn write_replaces_the_file_whole_or_names_the_path() {
    let run = fixtures::lao_cai();
    let tmp = tempfile::Builder::new()
        .prefix("chiso-report-write-")
        .tempdir()
        .expect("the system temp dir is writable");
    let dir = tmp.path();
    let path = dir.join("report.html");
    std::fs::write(&path, "old").expect("writable");
    chiso_report::write(&path, &run.input()).expect("the report is written");
    assert_eq!(
        std::fs::read_to_string(&path).expect("readable"),
        render(&run.input())
    );
    let names: Vec<_> = std::fs::read_dir(dir)
        .expect("listable")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(
        names,
        vec![std::ffi::OsString::from("report.html")],
        "no temporary file left"
    );
    let missing = dir.join("no-such-dir").join("report.html");
    let err = chiso_report::write(&missing, &run.input())
        .expect_err("the directory does not exist")
        .to_string();
    assert!(
        err.starts_with("cannot write ") && err.contains("no-such-dir"),
        "{err}"
    );
}

/// A source set aside as a copy of an earlier text is listed with its hash, muted, counted on
/// the sources card, and has no evidence section.
#[test]
fn a_duplicate_source_is_listed_with_its_hash_and_no_evidence() {
    let text = "Tỷ lệ hộ nghèo còn 19,3%.";
    let sentences = vec![std::sync::Arc::from(text)];
    let hash = "2d7b332934c66d25dd0d59f475f1dd9c8e101077e6b3458183d793d8acc845c0";
    let input = ReportInput {
        pipeline_name: "copies",
        tool_version: "0",
        sources: vec![
            SourceReport::read("s", "s.txt", text, &sentences, 0),
            SourceReport::duplicate("s2", "s2.txt", hash),
        ],
        records: &[],
        mentions: Vec::new(),
        results: &[],
        labels: Vec::new(),
    };
    let html = render(&input);
    assert!(
        html.contains("<tr class=\"duplicate\"><td>s2<small>s2.txt</small></td>")
            && html.contains("<span class=\"badge skip\">duplicate</span>")
            && html.contains("(text_sha256 2d7b332934c6…)"),
        "the copy is listed with its hash"
    );
    assert!(html.contains("0 failed · 1 duplicate set aside"));
    assert!(html.contains("id=\"src-0\"") && !html.contains("id=\"src-1\""));
}

/// A table's rows come from its cells: no text to highlight and nothing "not placed"; each row
/// shows its quote (file, sheet, row) where a text's row links to its number, and the rows the
/// table could not give are listed with the source.
#[test]
fn a_table_source_shows_its_rows_quotes_not_problems() {
    let sentences = Vec::new();
    let quote = "Lào Cai, 2021: 6.1 [g.xlsx, sheet GRDP, row 3]";
    let records = vec![IndicatorRecord {
        source_id: "grdp".into(),
        indicator: "gdp_growth".into(),
        geo_code: Some("VN-02".into()),
        geo_id: Some("VN-02".into()),
        geo_name: Some("Lào Cai".into()),
        period: Some(Period::Year(2021)),
        measure: Measure::Level,
        base: None,
        base_period: None,
        kind: Kind::Actual,
        comparator: Comparator::Eq,
        value_low: 6.1,
        value_high: 6.1,
        unit: Unit::Percent,
        rank_total: None,
        rank_group: None,
        of_total: None,
        quote: quote.into(),
        span: Span::new(0, 0),
        occurrences: 1,
    }];
    let warnings =
        vec!["g.xlsx, sheet \"GRDP\", row 9: place \"Median\" is not in the gazetteer".to_owned()];
    let input = ReportInput {
        pipeline_name: "tables",
        tool_version: "0",
        sources: vec![
            SourceReport::read("grdp", "g.xlsx", "", &sentences, 0).with_warnings(&warnings),
        ],
        records: &records,
        mentions: Vec::new(),
        results: &[],
        labels: Vec::new(),
    };
    let html = render(&input);
    assert!(!html.contains("could not be placed") && !html.contains("not placed"));
    assert!(html.contains("a table · 1 rows"), "the source is a table");
    assert!(
        html.contains(&format!(
            "<span class=\"cell-ref\">{}</span>",
            escape(quote)
        )),
        "the row shows where it came from"
    );
    assert!(
        html.contains(&format!(
            "<details class=\"warnings\"><summary>1 warning</summary><ul><li>{}</li>",
            escape(&warnings[0])
        )),
        "a row skipped is shown with its source"
    );
}
