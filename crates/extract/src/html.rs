//! HTML pages: the article text as lines, and the data tables as [`Table`]s.
//!
//! The whole `<body>` is read, leaving out page furniture: tags that never hold article text
//! (`nav`, `script`, `style`, `form`, `aside`, `footer`, a `header` outside the article, …),
//! elements whose class, id or role names furniture (`data/html-boilerplate.txt`: menus,
//! breadcrumbs, share bars, related-link lists, ads, comments), hidden elements, and blocks that
//! are mostly links (lists of other articles). Each block (paragraph, heading, list item, figure
//! caption) becomes one line; entities are decoded by the parser, white space is collapsed.
//! A `<table>` with rows of two or more cells and no table inside becomes a [`Table`] (header
//! rows of `<th>`, `colspan` and `rowspan` placed in their columns) and leaves the text; a
//! layout table (one column, or tables inside) is read as text.

use std::sync::OnceLock;

use chiso_model::Table;
use scraper::{ElementRef, Html, Node};

use crate::cell_number::DecimalMark;
use crate::table::{self, Origin, RawRow, collapse};

const BOILERPLATE: &str = include_str!("../data/html-boilerplate.txt");

/// Tags whose content is never article text.
const SKIPPED_TAGS: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "aside", "form", "iframe", "button",
    "select", "svg", "canvas", "object", "embed", "input", "textarea", "menu", "dialog", "head",
    "footer",
];

/// Tags that end a line before and after them.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "figure",
    "figcaption",
    "pre",
    "address",
    "tr",
    "td",
    "th",
    "table",
    "caption",
    "hr",
    "center",
];

/// Share of a block's text in links above which a block with several links is a link list.
const LINK_DENSITY: f64 = 0.6;

fn boilerplate_words() -> &'static Vec<String> {
    static WORDS: OnceLock<Vec<String>> = OnceLock::new();
    WORDS.get_or_init(|| {
        BOILERPLATE
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_lowercase)
            .collect()
    })
}

/// The article text and tables of a page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HtmlPage {
    /// The `<title>`, when the page has one.
    pub title: Option<String>,
    /// The article text: one line per block.
    pub text: String,
    /// The data tables, in page order.
    pub tables: Vec<Table>,
    /// Things a person should look at: a page read in the degraded, tag-stripping mode.
    pub warnings: Vec<String>,
}

/// Pages nested deeper than this (by a quick count of open tags) are not parsed as a tree: the
/// HTML parser's scope checks cost time with the square of the depth. Their text is taken by
/// stripping tags, with a warning.
pub const MAX_PARSE_DEPTH: usize = 2_000;

/// The deepest nesting of elements, counted roughly from the tags (void elements and
/// self-closing tags do not nest).
fn rough_depth(html: &str) -> usize {
    const VOID: [&str; 14] = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr",
    ];
    let bytes = html.as_bytes();
    let (mut depth, mut max) = (0usize, 0usize);
    let mut i = 0;
    while let Some(off) = memchr_lt(&bytes[i..]) {
        let at = i + off;
        let rest = &html[at + 1..];
        let close = rest.starts_with('/');
        let name: String = rest
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        let end = rest.find('>').map_or(rest.len(), |e| e);
        let self_closing = rest[..end].ends_with('/');
        if !name.is_empty() {
            if close {
                depth = depth.saturating_sub(1);
            } else if !self_closing && !VOID.contains(&name.as_str()) {
                depth += 1;
                max = max.max(depth);
            }
        }
        i = at + 1 + end.min(rest.len());
        if i >= bytes.len() {
            break;
        }
    }
    max
}

fn memchr_lt(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'<')
}

/// The text of a page with its tags stripped, a line per block-ish break.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut in_tag = false;
    for c in html.chars() {
        match (in_tag, c) {
            (false, '<') => in_tag = true,
            (true, '>') => in_tag = false,
            (false, c) => out.push(c),
            _ => {}
        }
    }
    out.lines()
        .map(collapse)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether a class, id or role value names page furniture.
fn names_furniture(value: &str) -> bool {
    let words = boilerplate_words();
    value.split_whitespace().any(|token| {
        let token = token.to_lowercase();
        words.iter().any(|w| {
            if w.contains('-') {
                token.contains(w.as_str())
            } else {
                token.split(['-', '_']).any(|seg| seg == w)
            }
        })
    })
}

fn is_hidden(el: &ElementRef<'_>) -> bool {
    let v = el.value();
    v.attr("hidden").is_some()
        || v.attr("aria-hidden") == Some("true")
        || v.attr("style").is_some_and(|s| {
            let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
            s.to_lowercase().contains("display:none")
        })
}

/// Whether an element has an `<h1>` inside: a block holding the article title is kept even
/// when its class says "header".
fn holds_title(el: &ElementRef<'_>) -> bool {
    el.descendent_elements().any(|d| d.value().name() == "h1")
}

fn is_furniture(el: &ElementRef<'_>, inside_article: bool) -> bool {
    let v = el.value();
    let name = v.name();
    if SKIPPED_TAGS.contains(&name) || is_hidden(el) {
        return true;
    }
    if name == "header" && !inside_article && !holds_title(el) {
        return true;
    }
    let named = [v.attr("class"), v.attr("id"), v.attr("role")]
        .into_iter()
        .flatten()
        .any(names_furniture);
    named && !holds_title(el)
}

/// Text length, and the part of it inside links, of an element.
fn link_density(el: &ElementRef<'_>) -> (usize, usize, usize) {
    let total: usize = el.text().map(|t| t.trim().chars().count()).sum();
    let links: Vec<ElementRef<'_>> = el
        .descendent_elements()
        .filter(|d| d.value().name() == "a")
        .collect();
    let linked: usize = links
        .iter()
        .flat_map(|a| a.text())
        .map(|t| t.trim().chars().count())
        .sum();
    (total, linked, links.len())
}

fn is_link_list(el: &ElementRef<'_>) -> bool {
    if !matches!(
        el.value().name(),
        "ul" | "ol" | "div" | "section" | "p" | "dl" | "table"
    ) {
        return false;
    }
    let (total, linked, count) = link_density(el);
    count >= 2 && total > 0 && linked as f64 / total as f64 > LINK_DENSITY
}

/// Elements nested deeper than this are read as plain text (their text in document order,
/// without structure): real pages nest a few dozen levels, and the checks for furniture and link
/// lists look at whole subtrees, so a hostile page of 100 000 nested elements would cost
/// quadratic time and a deep recursion.
pub const MAX_HTML_DEPTH: usize = 256;

struct Walker<'p> {
    lines: Vec<String>,
    current: String,
    tables: Vec<Table>,
    source_id: &'p str,
    origin: &'p str,
}

impl Walker<'_> {
    fn end_line(&mut self) {
        let line = collapse(&self.current);
        if !line.is_empty() {
            self.lines.push(line);
        }
        self.current.clear();
    }

    fn walk(&mut self, el: ElementRef<'_>, inside_article: bool, depth: usize) {
        if depth >= MAX_HTML_DEPTH {
            // Iterative: `text()` walks the subtree without recursion.
            for t in el.text() {
                self.current.push_str(t);
            }
            return;
        }
        if is_furniture(&el, inside_article) || is_link_list(&el) {
            return;
        }
        let name = el.value().name();
        if name == "table"
            && let Some(rows) = data_table_rows(&el)
        {
            self.end_line();
            let n = self.tables.len() + 1;
            let from = Origin {
                source_id: self.source_id,
                origin: self.origin,
                name: format!("table-{n}"),
                sheet: None,
            };
            let mut t = table::build(rows, from, DecimalMark::Comma);
            if let Some(caption) = el.child_elements().find(|c| c.value().name() == "caption") {
                let caption = collapse(&caption.text().collect::<String>());
                if !caption.is_empty() {
                    t.title.insert(0, caption);
                }
            }
            self.tables.push(t);
            return;
        }
        let block = BLOCK_TAGS.contains(&name);
        if block {
            self.end_line();
        }
        let inside_article = inside_article || name == "article";
        for child in el.children() {
            match child.value() {
                Node::Text(t) => self.current.push_str(t),
                Node::Element(e) if e.name() == "br" => self.end_line(),
                Node::Element(_) => {
                    if let Some(child_el) = ElementRef::wrap(child) {
                        self.walk(child_el, inside_article, depth + 1);
                    }
                }
                _ => {}
            }
        }
        if block {
            self.end_line();
        }
    }
}

/// The text of a table cell on one line.
fn cell_text(el: &ElementRef<'_>) -> String {
    collapse(&el.text().collect::<Vec<_>>().join(" "))
}

fn span(el: &ElementRef<'_>, attr: &str) -> usize {
    el.value()
        .attr(attr)
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, 1000)
}

/// The rows of a data table, or `None` for a layout table (tables inside, or fewer than two
/// rows of two cells).
fn data_table_rows(el: &ElementRef<'_>) -> Option<Vec<RawRow>> {
    if el
        .descendent_elements()
        .skip(1)
        .any(|d| d.value().name() == "table")
    {
        return None;
    }
    let trs: Vec<ElementRef<'_>> = el
        .descendent_elements()
        .filter(|d| d.value().name() == "tr")
        .collect();
    // Columns still covered by a rowspan from a row above: how many more rows.
    let mut covered: Vec<usize> = Vec::new();
    let mut rows = Vec::new();
    for (i, tr) in trs.iter().enumerate() {
        let mut cells: Vec<String> = Vec::new();
        let mut all_th = true;
        let mut col = 0;
        let place = |cells: &mut Vec<String>, covered: &mut Vec<usize>, col: &mut usize| {
            while covered.get(*col).is_some_and(|&n| n > 0) {
                if cells.len() <= *col {
                    cells.resize(*col + 1, String::new());
                }
                *col += 1;
            }
        };
        for cell in tr
            .child_elements()
            .filter(|c| matches!(c.value().name(), "td" | "th"))
        {
            all_th &= cell.value().name() == "th";
            place(&mut cells, &mut covered, &mut col);
            let (cs, rs) = (span(&cell, "colspan"), span(&cell, "rowspan"));
            if cells.len() < col + cs {
                cells.resize(col + cs, String::new());
            }
            // A header cell names every column it spans; a data cell's value is in its first.
            let text = cell_text(&cell);
            let filled_to = if cell.value().name() == "th" {
                col + cs
            } else {
                col + 1
            };
            for c in &mut cells[col..filled_to] {
                c.clone_from(&text);
            }
            if covered.len() < col + cs {
                covered.resize(col + cs, 0);
            }
            for c in &mut covered[col..col + cs] {
                *c = rs;
            }
            col += cs;
        }
        place(&mut cells, &mut covered, &mut col);
        for c in &mut covered {
            *c = c.saturating_sub(1);
        }
        rows.push(RawRow {
            line: i + 1,
            marked_header: all_th && !cells.is_empty(),
            cells,
            typed: Vec::new(),
        });
    }
    let wide = rows
        .iter()
        .filter(|r| r.cells.iter().filter(|c| !c.is_empty()).count() >= 2)
        .count();
    (wide >= 2).then_some(rows)
}

/// Reads a page: its title, article text and data tables. `source_id` and `origin` go into the
/// tables' provenance.
///
/// ```
/// let html = "<html><body><nav><a href='/'>Trang chủ</a> <a href='/kt'>Kinh tế</a></nav>\
///     <article><h1>GRDP tăng 9,02%</h1><p>Năm 2022, GRDP của tỉnh&nbsp;tăng 9,02%.</p>\
///     <div class='social-share'>Chia sẻ Facebook</div></article>\
///     <footer>© Báo Lào Cai</footer></body></html>";
/// let page = chiso_extract::read_html(html, "lc", "lc.html");
/// assert_eq!(page.text, "GRDP tăng 9,02%\nNăm 2022, GRDP của tỉnh tăng 9,02%.\n");
/// ```
pub fn read_html(html: &str, source_id: &str, origin: &str) -> HtmlPage {
    let depth = rough_depth(html);
    if depth > MAX_PARSE_DEPTH {
        let mut text = strip_tags(html);
        if !text.is_empty() {
            text.push('\n');
        }
        return HtmlPage {
            title: None,
            text,
            tables: Vec::new(),
            warnings: vec![format!(
                "{origin}: elements nest {depth} deep (more than {MAX_PARSE_DEPTH}): read as text with its tags stripped, without removing menus or keeping tables"
            )],
        };
    }
    let doc = Html::parse_document(html);
    let root = doc.root_element();
    let title = root
        .descendent_elements()
        .find(|e| e.value().name() == "title")
        .map(|t| collapse(&t.text().collect::<String>()))
        .filter(|t| !t.is_empty());
    let body = root
        .child_elements()
        .find(|e| e.value().name() == "body")
        .unwrap_or(root);
    let mut walker = Walker {
        lines: Vec::new(),
        current: String::new(),
        tables: Vec::new(),
        source_id,
        origin,
    };
    walker.walk(body, false, 0);
    walker.end_line();
    let mut text = walker.lines.join("\n");
    if !text.is_empty() {
        text.push('\n');
    }
    HtmlPage {
        title,
        text,
        tables: walker.tables,
        warnings: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_is_read_as_text_in_bounded_time() {
        for depth in [1_000, 100_000] {
            let html = format!(
                "<html><body>{}Năm 2022 tăng 9,02%{}</body></html>",
                "<div>".repeat(depth),
                "</div>".repeat(depth)
            );
            let page = read_html(&html, "deep", "deep.html");
            assert_eq!(page.text, "Năm 2022 tăng 9,02%\n", "depth {depth}");
            assert_eq!(
                page.warnings.is_empty(),
                depth <= MAX_PARSE_DEPTH,
                "depth {depth}: {:?}",
                page.warnings
            );
        }
    }

    #[test]
    fn furniture_words_match_whole_segments() {
        assert!(names_furniture("box-share"));
        assert!(names_furniture("breadcrumb clearfix"));
        assert!(names_furniture("tin-lien-quan-bottom"));
        assert!(names_furniture("main_menu"));
        assert!(!names_furniture("content-detail"));
        assert!(
            !names_furniture("shareholder"),
            "a segment, not a substring"
        );
        assert!(!names_furniture("sapo"));
    }

    #[test]
    fn rowspan_and_colspan_keep_columns() {
        let html = "<table>\
            <tr><th rowspan=2>Tỉnh</th><th colspan=2>GRDP (%)</th></tr>\
            <tr><th>2021</th><th>2022</th></tr>\
            <tr><td>Lào Cai</td><td>7,5</td><td>9,02</td></tr>\
            <tr><td>Yên Bái</td><td>6,1</td><td>8,1</td></tr></table>";
        let page = read_html(html, "s", "s.html");
        let t = &page.tables[0];
        assert_eq!(t.columns, ["Tỉnh", "GRDP (%) / 2021", "GRDP (%) / 2022"]);
        assert_eq!(t.rows[0].cells[2].number, Some(9.02));
        assert_eq!(t.rows[1].line, 4);
        assert_eq!(page.text, "");
    }
}
