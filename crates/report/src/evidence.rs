//! The evidence section: each source's text with every number highlighted.
//!
//! Offsets in chiso count code points of the NFC text; HTML is written from byte slices, so each
//! span goes through a code-point → byte table built once per text. A span outside the text, or
//! one overlapping a longer highlight, is listed under the text instead of highlighted.
//!
//! Text outside the sentences the transform stage kept is marked: a line whose words all appear
//! in a kept sentence is a repeated passage (merged, counted in its statements' occurrences),
//! anything else was not read (page furniture such as captions and navigation).

use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::sync::Arc;

use chiso_model::{IndicatorRecord, Mention};

use crate::format::{self, Family};
use crate::html::{Esc, esc, w};
use crate::page::Lookup;
use crate::{MentionView, ReportInput, SourceOutcome};

/// Above this many bytes scanned in the kept text, repeated lines are no longer told apart from
/// furniture, so marking stays fast on very long texts.
const REPEAT_SEARCH_BUDGET: usize = 200_000_000;

/// The rendered section and where each record's number ended up.
pub(crate) struct Evidence {
    /// The `<section>`.
    pub html: String,
    /// The anchor of each record's highlighted number, by index into `ReportInput::records`.
    pub record_anchor: Vec<Option<String>>,
}

/// One number to highlight, gathered from mentions and records sharing a span.
struct Candidate<'a> {
    mention: Option<&'a MentionView<'a>>,
    records: Vec<usize>,
}

/// A placed highlight, in bytes.
struct Placed<'a> {
    bytes: (usize, usize),
    id: String,
    candidate: Candidate<'a>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Gap {
    Repeat,
    NotRead,
}

pub(crate) fn build(input: &ReportInput<'_>, lookup: &Lookup<'_>) -> Evidence {
    let mut record_anchor = vec![None; input.records.len()];
    let mut html = String::new();
    w!(
        html,
        "<section id=\"evidence\" aria-labelledby=\"evidence-h\"><h2 id=\"evidence-h\">Evidence</h2>"
    );
    html.push_str(
        "<p class=\"lede\">Every number chiso found in each source, in place. Hover or focus a number \
         (Tab) to see how it was read and which row it gave.</p>",
    );
    legend(&mut html);

    let mut read_ids = Vec::new();
    for (si, source) in input.sources.iter().enumerate() {
        let SourceOutcome::Read {
            text,
            sentences,
            repeats_merged,
        } = source.outcome
        else {
            continue;
        };
        if read_ids.contains(&source.id) {
            continue; // a repeated id: its rows belong to the first source with that id
        }
        read_ids.push(source.id);
        let mentions: Vec<&MentionView<'_>> = input
            .mentions
            .iter()
            .filter(|m| m.source_id == source.id)
            .collect();
        let records: Vec<(usize, &IndicatorRecord)> = input
            .records
            .iter()
            .enumerate()
            .filter(|(_, r)| r.source_id == source.id)
            .collect();
        // A table's rows come from its cells, not from a text: each row's quote names its file,
        // sheet and row, and there is nothing to highlight.
        if text.is_empty() && !records.is_empty() && records.iter().all(|(_, r)| r.span.is_empty())
        {
            w!(
                html,
                "<article class=\"source\" id=\"src-{si}\"><header><h3>{}</h3><p class=\"meta\"><span>{}</span> · \
                 a table · {} rows</p></header><p class=\"note\">Its rows come from the table's cells: \
                 each row's quote in the Indicators table names its file, sheet and row.</p></article>",
                Esc(source.id),
                Esc(source.origin),
                records.len(),
            );
            continue;
        }
        w!(
            html,
            "<article class=\"source\" id=\"src-{si}\"><header><h3>{}</h3><p class=\"meta\"><span>{}</span> · \
             {} characters · {} sentences kept · {} repeats merged · {} numbers · {} rows</p></header>",
            Esc(source.id),
            Esc(source.origin),
            text.chars().count(),
            sentences.len(),
            repeats_merged,
            mentions.len(),
            records.len(),
        );
        source_text(
            &mut html,
            si,
            text,
            sentences,
            &mentions,
            &records,
            lookup,
            &mut record_anchor,
        );
        html.push_str("</article>");
    }
    let orphans: Vec<&IndicatorRecord> = input
        .records
        .iter()
        .filter(|r| !read_ids.contains(&r.source_id.as_str()))
        .collect();
    if !orphans.is_empty() {
        w!(
            html,
            "<p class=\"problem\">{} rows name a source that is not among the sources read ({}); their numbers \
             cannot be shown.</p>",
            orphans.len(),
            Esc(&distinct(orphans.iter().map(|r| r.source_id.as_str())).join(", ")),
        );
    }
    html.push_str("</section>");
    Evidence {
        html,
        record_anchor,
    }
}

fn distinct<'a>(it: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut v: Vec<&str> = it.collect();
    v.sort_unstable();
    v.dedup();
    v
}

fn legend(html: &mut String) {
    html.push_str(
        "<ul class=\"legend\" aria-label=\"Legend\">\
         <li><mark class=\"hl hl-v\">9,02%</mark> value that gave a row</li>\
         <li><mark class=\"hl hl-u\">18</mark> value that gave no row</li>\
         <li><mark class=\"hl hl-t\">quý I/2023</mark> year, period or date</li>\
         <li><mark class=\"hl hl-r\">316/QĐ-TTg</mark> document number, enumerator, footnote…</li>\
         <li><span class=\"gap gap-rep\">repeated passage</span> merged, counted in its statements' occurrences</li>\
         <li><span class=\"gap gap-skip\">not read</span> captions, page furniture</li></ul>",
    );
}

#[allow(clippy::too_many_arguments)]
fn source_text<'a>(
    html: &mut String,
    si: usize,
    text: &str,
    sentences: &[Arc<str>],
    mentions: &[&'a MentionView<'a>],
    records: &[(usize, &IndicatorRecord)],
    lookup: &Lookup<'_>,
    record_anchor: &mut [Option<String>],
) {
    // Byte offset of every code point, and of the end.
    let starts: Vec<usize> = text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()))
        .collect();
    let chars = starts.len() - 1;
    let mut problems: Vec<String> = Vec::new();

    let mut by_span: BTreeMap<(usize, usize), Candidate<'a>> = BTreeMap::new();
    for m in mentions {
        let s = m.mention.span;
        by_span.entry((s.start, s.end)).or_insert(Candidate {
            mention: Some(m),
            records: Vec::new(),
        });
    }
    // A row read from a table's cells (an empty span) has no place in the text.
    for (ri, r) in records.iter().filter(|(_, r)| !r.span.is_empty()) {
        by_span
            .entry((r.span.start, r.span.end))
            .or_insert(Candidate {
                mention: None,
                records: Vec::new(),
            })
            .records
            .push(*ri);
    }

    let mut ordered: Vec<((usize, usize), Candidate<'a>)> = by_span.into_iter().collect();
    ordered.sort_by_key(|((s, e), _)| (*s, Reverse(*e)));
    let mut placed: Vec<Placed<'a>> = Vec::new();
    for ((s, e), cand) in ordered {
        let what = describe(&cand, lookup, text);
        if s >= e || e > chars {
            problems.push(format!(
                "{what}: offsets {s}..{e} lie outside the text ({chars} code points)"
            ));
            continue;
        }
        let bytes = (starts[s], starts[e]);
        if let Some(m) = cand.mention {
            let at = &text[bytes.0..bytes.1];
            match written(m.mention, text) {
                Some(written) if written == at => {}
                Some(written) => problems.push(format!(
                    "{what}: the text at {s}..{e} is “{at}”, not “{written}” (highlighted anyway)"
                )),
                None => problems.push(format!(
                    "{what}: its byte offsets {}..{} are not a part of the text (highlighted at \
                     {s}..{e} anyway)",
                    m.mention.bytes.start, m.mention.bytes.end
                )),
            }
        }
        if let Some(prev) = placed.last()
            && bytes.0 < prev.bytes.1
        {
            problems.push(format!(
                "{what} at {s}..{e} overlaps the number highlighted before it"
            ));
            continue;
        }
        let id = format!("ev-{si}-{s}-{e}");
        for ri in &cand.records {
            record_anchor[*ri] = Some(id.clone());
        }
        placed.push(Placed {
            bytes,
            id,
            candidate: cand,
        });
    }

    let gaps = gaps(text, sentences, &placed, &mut problems);
    let placed_count = placed.len();

    // Events at byte positions; at one position closes come before opens, and a highlight nests
    // inside a gap (gaps that cut a highlight were dropped).
    #[derive(PartialEq, Eq, PartialOrd, Ord)]
    enum Ev {
        MarkClose,
        GapClose,
        GapOpen(usize),
        MarkOpen(usize),
    }
    let mut events: Vec<(usize, Ev)> = Vec::with_capacity(2 * (placed.len() + gaps.len()));
    for (i, p) in placed.iter().enumerate() {
        events.push((p.bytes.0, Ev::MarkOpen(i)));
        events.push((p.bytes.1, Ev::MarkClose));
    }
    for (i, g) in gaps.iter().enumerate() {
        events.push((g.0, Ev::GapOpen(i)));
        events.push((g.1, Ev::GapClose));
    }
    events.sort();

    html.push_str("<div class=\"text\">");
    let mut at = 0;
    for (pos, ev) in events {
        w!(html, "{}", Esc(&text[at..pos]));
        at = pos;
        match ev {
            Ev::MarkOpen(i) => open_mark(html, &placed[i], text, lookup),
            Ev::MarkClose => html.push_str("</mark>"),
            Ev::GapOpen(i) => {
                let (class, title) = match gaps[i].2 {
                    Gap::Repeat => (
                        "gap gap-rep",
                        "Repeated passage: merged into the earlier sentence that says the same, counted in its statements' occurrences",
                    ),
                    Gap::NotRead => (
                        "gap gap-skip",
                        "Not read: page furniture such as a caption, a byline or navigation",
                    ),
                };
                w!(html, "<span class=\"{class}\" title=\"{title}\">");
            }
            Ev::GapClose => html.push_str("</span>"),
        }
    }
    w!(html, "{}</div>", Esc(&text[at..]));
    if !problems.is_empty() {
        w!(
            html,
            "<details class=\"problems\" open><summary>{} of {} numbers could not be placed as given</summary><ul>",
            problems.len(),
            problems.len() + placed_count,
        );
        for p in &problems {
            w!(html, "<li>{}</li>", Esc(p));
        }
        html.push_str("</ul></details>");
    }
}

/// The expression of a mention as written in `text`, its source's text; `None` when its byte
/// offsets are not a part of it (a mention of another text).
fn written<'t>(m: &Mention, text: &'t str) -> Option<&'t str> {
    text.get(m.bytes.start..m.bytes.end)
}

/// A name for a candidate in problem messages.
fn describe(c: &Candidate<'_>, lookup: &Lookup<'_>, text: &str) -> String {
    match (c.mention, c.records.first()) {
        (Some(m), _) => {
            let kind = format::mention_kind(m.mention.kind);
            match written(m.mention, text) {
                Some(written) => format!("the {kind} “{written}”"),
                None => format!(
                    "the {kind} at bytes {}..{}",
                    m.mention.bytes.start, m.mention.bytes.end
                ),
            }
        }
        (None, Some(ri)) => {
            let r = &lookup.records[*ri];
            format!(
                "the {} row of {}",
                r.indicator,
                r.period
                    .map(|p| p.label())
                    .unwrap_or_else(|| "no period".into())
            )
        }
        (None, None) => "a number".to_owned(),
    }
}

fn open_mark(html: &mut String, p: &Placed<'_>, text: &str, lookup: &Lookup<'_>) {
    let c = &p.candidate;
    let family = Family::of(c.mention.map(|m| m.mention.kind), !c.records.is_empty());
    let written = &text[p.bytes.0..p.bytes.1];
    let mut tip: Vec<String> = Vec::new();
    match c.mention {
        Some(m) => {
            tip.push(format!(
                "“{written}” · {}",
                format::mention_kind(m.mention.kind)
            ));
            tip.push(format!("read as {}", format::mention_reading(m.mention)));
            if let Some(reading) = &m.mention.reading {
                tip.push(format!("({reading})"));
            }
        }
        None => tip.push(format!("“{written}”")),
    }
    for ri in &c.records {
        let r = &lookup.records[*ri];
        tip.push(format!(
            "→ {} · {} · {} · {} · {} · {}",
            lookup.label_en(&r.indicator),
            format::place(r).unwrap_or_else(|| "no place".into()),
            r.period
                .map(|p| p.label())
                .unwrap_or_else(|| "no period".into()),
            r.kind,
            format::record_measure(r),
            format::record_value(r),
        ));
    }
    if let (true, Some(m)) = (c.records.is_empty(), c.mention) {
        match m.indicator {
            Some(ind) if m.mention.kind.is_value() => tip.push(format!(
                "linked to {}, but gave no row",
                lookup.label_en(ind)
            )),
            _ if m.mention.kind.is_value() => tip.push("not an indicator value: no row".to_owned()),
            _ => {}
        }
    }
    let tip: Vec<String> = tip.iter().map(|t| esc(t)).collect();
    w!(
        html,
        "<mark class=\"hl {}\" id=\"{}\" tabindex=\"0\" aria-label=\"{}\">",
        family.class(),
        p.id,
        tip.join("&#10;"),
    );
}

/// Byte ranges of text outside the kept sentences, one per line, classified; empty when the
/// sentences cannot be found in order in the text (then nothing is marked).
fn gaps(
    text: &str,
    sentences: &[Arc<str>],
    placed: &[Placed<'_>],
    problems: &mut Vec<String>,
) -> Vec<(usize, usize, Gap)> {
    if sentences.is_empty() {
        return Vec::new();
    }
    debug_assert!(placed.windows(2).all(|w| w[0].bytes.1 <= w[1].bytes.0));
    let mut kept: Vec<(usize, usize)> = Vec::with_capacity(sentences.len());
    let mut from = 0;
    for s in sentences {
        match text[from..].find(&**s) {
            Some(p) => {
                kept.push((from + p, from + p + s.len()));
                from += p + s.len();
            }
            None => {
                problems.push("the kept sentences do not appear in order in the text: repeated passages are not marked".to_owned());
                return Vec::new();
            }
        }
    }
    let kept_norm = normalise(&sentences.join(" "));
    let mut between: Vec<(usize, usize)> = Vec::new();
    let mut last = 0;
    for &(s, e) in &kept {
        if s > last {
            between.push((last, s));
        }
        last = e;
    }
    if last < text.len() {
        between.push((last, text.len()));
    }
    let mut out = Vec::new();
    let mut budget = REPEAT_SEARCH_BUDGET;
    for (a, b) in between {
        let mut line_start = a;
        for line in text[a..b].split_inclusive('\n') {
            let (ls, le) = (line_start, line_start + line.len());
            line_start = le;
            let trimmed_start = ls + (line.len() - line.trim_start().len());
            let trimmed_end = ls + line.trim_end().len();
            if trimmed_start >= trimmed_end
                || !text[trimmed_start..trimmed_end]
                    .chars()
                    .any(char::is_alphanumeric)
            {
                continue;
            }
            // A gap may hold a highlight whole, never cut one. The highlights are in text order
            // and do not overlap, so those that reach into the line are found by binary search
            // (a walk over all of them for every line was quadratic in a long document).
            let first = placed.partition_point(|p| p.bytes.1 <= trimmed_start);
            if placed[first..]
                .iter()
                .take_while(|p| p.bytes.0 < trimmed_end)
                .any(|p| !(trimmed_start <= p.bytes.0 && p.bytes.1 <= trimmed_end))
            {
                continue;
            }
            let piece = normalise(&text[trimmed_start..trimmed_end]);
            let cost = piece.len() + kept_norm.len();
            let kind = if cost <= budget {
                budget -= cost;
                if kept_norm.contains(piece.as_str()) {
                    Gap::Repeat
                } else {
                    Gap::NotRead
                }
            } else {
                Gap::NotRead
            };
            out.push((trimmed_start, trimmed_end, kind));
        }
    }
    out
}

/// Lower case with runs of white space collapsed to one space, as the segmenter compares.
fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}
