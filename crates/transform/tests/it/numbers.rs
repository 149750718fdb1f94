//! The number grammar against its corpus (`data/numbers/corpus.toml`), whole documents, and
//! property tests.

use chiso_model::{Comparator, Mention, MentionKind, PeriodRef};
use chiso_transform::numbers::scan;
use serde::Deserialize;

const CORPUS: &str = include_str!("../../data/numbers/corpus.toml");

fn period_label(p: PeriodRef) -> String {
    match p {
        PeriodRef::Fixed(p) => p.label(),
        PeriodRef::Quarter(q) => format!("Q{q}"),
        PeriodRef::Month(m) => format!("M{m}"),
        PeriodRef::Months { from, to } => format!("M{from}-{to}"),
        PeriodRef::Day { month, day } => format!("D{day}/{month}"),
        PeriodRef::ToDay { month, day } => format!("to D{day}/{month}"),
    }
}

/// A mention in the corpus notation: `SPAN | kind | v=.. | unit=.. | cmp=.. | total=.. |
/// of=.. | noun=.. | period=..` (fields at their default are left out; `reading=` is added by
/// `show` only).
fn notation(m: &Mention, text: &str) -> String {
    let mut s = format!("{} | {}", m.text_in(text), m.kind.as_str());
    if let (Some(lo), Some(hi)) = (m.value_low, m.value_high) {
        if lo == hi {
            s += &format!(" | v={lo}");
        } else {
            s += &format!(" | v={lo}..{hi}");
        }
    }
    if let Some(u) = m.unit {
        s += &format!(" | unit={u}");
    }
    if m.comparator != Comparator::Eq {
        s += &format!(" | cmp={}", m.comparator);
    }
    if let Some(t) = m.rank_total {
        s += &format!(" | total={t}");
    }
    if let Some(t) = m.of_total {
        s += &format!(" | of={t}");
    }
    if let Some(n) = &m.counted_noun {
        s += &format!(" | noun={n}");
    }
    if let Some(p) = m.period {
        s += &format!(" | period={}", period_label(p));
    }
    s
}

fn show(m: &Mention, text: &str) -> String {
    match &m.reading {
        Some(r) => format!("{} | reading={r}", notation(m, text)),
        None => notation(m, text),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Corpus {
    version: u32,
    #[serde(rename = "case")]
    cases: Vec<Case>,
    #[serde(rename = "negative")]
    negatives: Vec<Negative>,
}

/// A context sentence and every mention it must give, in order, and nothing else.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    text: String,
    expect: Vec<String>,
}

/// A sentence that must give no value; `kinds` lists the non-value kinds it gives, in order.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Negative {
    text: String,
    #[serde(default)]
    kinds: Vec<String>,
}

/// Compares one expected notation with a mention; the reason when they differ.
fn check(expected: &str, m: &Mention, text: &str) -> Result<(), String> {
    let mut fields = expected.split(" | ");
    let mut reading = None;
    let mut canon: Vec<String> = Vec::new();
    canon.push(fields.next().unwrap_or_default().to_owned());
    canon.push(fields.next().unwrap_or_default().to_owned());
    for f in fields {
        match f.split_once('=') {
            Some(("reading", r)) => reading = Some(r),
            Some(("v", v)) => {
                let (lo, hi) = v.split_once("..").unwrap_or((v, v));
                let lo: f64 = lo
                    .parse()
                    .map_err(|_| format!("bad value {v:?} in corpus"))?;
                let hi: f64 = hi
                    .parse()
                    .map_err(|_| format!("bad value {v:?} in corpus"))?;
                let close = |a: f64, b: Option<f64>| {
                    b.is_some_and(|b| (a - b).abs() <= 1e-9 * a.abs().max(1.0))
                };
                if !close(lo, m.value_low) || !close(hi, m.value_high) {
                    return Err(format!(
                        "value: want {v}, got {:?}..{:?}",
                        m.value_low, m.value_high
                    ));
                }
                canon.push(match (m.value_low, m.value_high) {
                    (Some(l), Some(h)) if l == h => format!("v={l}"),
                    (Some(l), Some(h)) => format!("v={l}..{h}"),
                    _ => "v=?".to_owned(),
                });
            }
            Some(("of", v)) => {
                let want: f64 = v
                    .parse()
                    .map_err(|_| format!("bad of_total {v:?} in corpus"))?;
                if m.of_total
                    .is_none_or(|o| (o - want).abs() > 1e-9 * want.abs().max(1.0))
                {
                    return Err(format!("of_total: want {v}, got {:?}", m.of_total));
                }
                canon.push(format!("of={}", m.of_total.unwrap_or_default()));
            }
            _ => canon.push(f.to_owned()),
        }
    }
    let want = canon.join(" | ");
    let got = notation(m, text);
    if want != got {
        return Err(format!("want `{expected}`, got `{}`", show(m, text)));
    }
    if let Some(r) = reading
        && !m.reading.is_some_and(|mr| mr.contains(r))
    {
        return Err(format!("reading: want {r:?}, got {:?}", m.reading));
    }
    Ok(())
}

fn load_corpus() -> Corpus {
    let corpus: Corpus = toml::from_str(CORPUS).expect("corpus.toml parses");
    assert_eq!(corpus.version, 1);
    corpus
}

#[test]
fn corpus_cases() {
    let corpus = load_corpus();
    assert!(
        corpus.cases.len() + corpus.negatives.len() >= 300,
        "the corpus keeps at least 300 cases"
    );
    let mut failures = Vec::new();
    for case in &corpus.cases {
        let found = scan(&case.text);
        let mut problems = Vec::new();
        for (k, want) in case.expect.iter().enumerate() {
            match found.get(k) {
                Some(m) => {
                    if let Err(e) = check(want, m, &case.text) {
                        problems.push(e);
                    }
                }
                None => problems.push(format!("missing `{want}`")),
            }
        }
        for m in found.iter().skip(case.expect.len()) {
            problems.push(format!("unexpected `{}`", show(m, &case.text)));
        }
        if !problems.is_empty() {
            failures.push(format!("{:?}\n    {}", case.text, problems.join("\n    ")));
        }
    }
    for neg in &corpus.negatives {
        let found = scan(&neg.text);
        let kinds: Vec<&str> = found.iter().map(|m| m.kind.as_str()).collect();
        if found.iter().any(|m| m.kind.is_value()) || kinds != neg.kinds {
            let got: Vec<String> = found.iter().map(|m| show(m, &neg.text)).collect();
            failures.push(format!(
                "negative {:?}: want kinds {:?}, got {got:?}",
                neg.text, neg.kinds
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} corpus cases fail:\n{}",
        failures.len(),
        corpus.cases.len() + corpus.negatives.len(),
        failures.join("\n")
    );
}

#[test]
fn corpus_covers_every_value_kind() {
    let corpus = load_corpus();
    let texts = corpus
        .cases
        .iter()
        .map(|c| &c.text)
        .chain(corpus.negatives.iter().map(|n| &n.text));
    let all: Vec<Mention> = texts.flat_map(|t| scan(t)).collect();
    for &kind in MentionKind::ALL {
        assert!(
            all.iter().any(|m| m.kind == kind),
            "no corpus case gives a {kind:?}"
        );
    }
}

/// Prints draft corpus entries for the lines of the file named by `DRAFT` (a development aid).
#[test]
#[ignore]
fn draft() {
    let path = std::env::var("DRAFT").expect("DRAFT=path");
    let text = std::fs::read_to_string(path).expect("utf-8");
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let found = scan(line);
        println!("[[case]]\ntext = {}", toml::Value::String(line.to_owned()));
        let items: Vec<String> = found
            .iter()
            .map(|m| format!("  {},", toml::Value::String(show(m, line))))
            .collect();
        println!("expect = [\n{}\n]\n", items.join("\n"));
    }
}

/// Prints what the scanner finds in the bench texts (a development aid:
/// `cargo test -p chiso-transform --test it dump -- --ignored --nocapture`).
#[test]
#[ignore]
fn dump() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/data");
    let only = std::env::var("DUMP").unwrap_or_default();
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .expect("bench data")
        .flatten()
        .map(|e| e.path())
        .collect();
    names.sort();
    for p in names
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
    {
        if !p.to_string_lossy().contains(&only) {
            continue;
        }
        let text = std::fs::read_to_string(p).expect("utf-8");
        println!("=== {}", p.display());
        for m in scan(&text) {
            println!("  {}", show(&m, &text));
        }
    }
}

#[path = "../../benches/common/texts.rs"]
mod texts;
use texts::DOCS;

/// Offsets are code points and bytes into the text; mentions are in order and do not overlap.
fn assert_spans(text: &str, found: &[Mention]) {
    let chars: Vec<char> = text.chars().collect();
    let mut last = 0;
    for m in found {
        let by_chars: String = chars[m.span.start..m.span.end].iter().collect();
        assert_eq!(by_chars, m.text_in(text), "code points and bytes of {m:?}");
        assert!(m.span.start >= last, "overlap or disorder at {m:?}");
        last = m.span.end;
        for v in [m.value_low, m.value_high, m.of_total]
            .into_iter()
            .flatten()
        {
            assert!(v.is_finite(), "non-finite value in {m:?}");
        }
        assert_eq!(
            m.kind.is_value(),
            m.value_low.is_some(),
            "values only on value kinds: {m:?}"
        );
    }
}

#[test]
fn whole_documents_slice_and_never_value_the_noise() {
    let mut total = 0;
    for doc in DOCS {
        let found = scan(doc);
        assert_spans(doc, &found);
        total += found.len();
        for m in &found {
            // Years, spans, dates, codes and list marks never come out as values.
            let written = m.text_in(doc);
            let looks_like_year = written.len() == 4
                && written
                    .parse::<u32>()
                    .is_ok_and(|y| (1900..=2100).contains(&y));
            assert!(
                !(looks_like_year && m.kind.is_value()),
                "a year read as a value: {m:?}"
            );
            assert!(
                !(written.contains("/QĐ") || written.contains("NQ/"))
                    || m.kind == MentionKind::DocumentNumber
            );
        }
    }
    assert!(
        total > 400,
        "the documents hold more than 400 numeric expressions, found {total}"
    );
}

#[test]
fn lao_cai_acceptance_sentences() {
    let doc = DOCS[0];
    let found = scan(doc);
    let has = |text: &str, kind: MentionKind| {
        found
            .iter()
            .any(|m| m.text_in(doc) == text && m.kind == kind)
    };
    for (text, kind) in [
        ("khóa 16", MentionKind::Ordinal),
        ("Đại hội XIII", MentionKind::Ordinal),
        ("11-NQ/TW", MentionKind::DocumentNumber),
        ("316/QĐ-TTg", MentionKind::DocumentNumber),
        ("ngày 10/2/2022", MentionKind::Date),
        ("ngày 29/3/2023", MentionKind::Date),
        ("2020-2025", MentionKind::Period),
        ("2021-2030", MentionKind::Period),
        ("2011-2030", MentionKind::Period),
        ("Một là", MentionKind::Enumerator),
        ("Năm là", MentionKind::Enumerator),
        ("Sáu là", MentionKind::Enumerator),
        ("ảnh 1", MentionKind::PhotoLabel),
        ("ảnh 2", MentionKind::PhotoLabel),
        ("thứ 4/14", MentionKind::Rank),
        ("gấp hai lần", MentionKind::Multiplier),
    ] {
        assert!(has(text, kind), "{text:?} as {kind:?}");
    }
    assert!(
        !found
            .iter()
            .any(|m| m.text_in(doc).contains("19") && m.text_in(doc).len() <= 2),
        "Covid-19 is a name"
    );
    let q1 = found
        .iter()
        .find(|m| m.text_in(doc) == "quý I/2023")
        .expect("quý I/2023");
    assert_eq!(
        q1.period,
        Some(PeriodRef::Fixed(chiso_model::Period::Quarter {
            year: 2023,
            q: 1
        }))
    );
    let est = found
        .iter()
        .find(|m| m.text_in(doc) == "6,9%")
        .expect("6,9%");
    assert_eq!(
        est.comparator,
        Comparator::Eq,
        "ước đạt is an estimate, not approx"
    );
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Formats a number the Vietnamese way: thousands dots and a decimal comma.
    fn vietnamese(int: u64, frac: u32, decimals: usize, dots: bool) -> String {
        let digits = int.to_string();
        let mut s = String::new();
        for (k, c) in digits.chars().enumerate() {
            if dots && k > 0 && (digits.len() - k).is_multiple_of(3) {
                s.push('.');
            }
            s.push(c);
        }
        if decimals > 0 {
            s.push(',');
            s += &format!("{frac:0decimals$}");
        }
        s
    }

    const UNITS: [&str; 10] = [
        "", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
    ];

    /// Spells 0..1000 out in words, the standard way ("một trăm linh năm", "hai mươi mốt").
    fn below_thousand(n: u64, inner: bool) -> Vec<&'static str> {
        let (h, t, u) = (n / 100, n / 10 % 10, n % 10);
        let mut w = Vec::new();
        if h > 0 || inner {
            w.push(if h == 0 { "không" } else { UNITS[h as usize] });
            w.push("trăm");
        }
        match t {
            0 if u > 0 && (h > 0 || inner) => w.push("linh"),
            0 => {}
            1 => w.push("mười"),
            _ => {
                w.push(UNITS[t as usize]);
                w.push("mươi");
            }
        }
        match u {
            0 => {}
            1 if t >= 2 => w.push("mốt"),
            5 if t >= 1 => w.push("lăm"),
            4 if t >= 2 => w.push("tư"),
            _ => w.push(UNITS[u as usize]),
        }
        w
    }

    fn to_words(n: u64) -> String {
        let groups = [(1_000_000, "triệu"), (1_000, "nghìn"), (1, "")];
        let mut words: Vec<&str> = Vec::new();
        let mut started = false;
        for (size, name) in groups {
            let g = n / size % 1000;
            if g == 0 {
                continue;
            }
            words.extend(below_thousand(g, started));
            if !name.is_empty() {
                words.push(name);
            }
            started = true;
        }
        words.join(" ")
    }

    fn fragment() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "năm ",
            "2022",
            " ",
            "9,02",
            "%",
            "-",
            "–",
            "/",
            ".",
            ",",
            "thứ ",
            "quý I",
            "tháng ",
            "gấp ",
            "hai ",
            "mươi ",
            "tỷ ",
            "triệu ",
            "đồng",
            "USD",
            "(",
            ")",
            "[1]",
            "\n",
            "Một là, ",
            "hơn ",
            "trở lên",
            "km2",
            "0912",
            "ngày ",
            "khóa ",
            "XIII",
            "Covid-19",
            "chỉ tiêu ",
            "rưỡi ",
            "lần ",
            "bậc ",
            "đến ",
            "từ ",
            "𝟘",
            "é",
            "\u{301}",
            "9".repeat(40).leak(),
        ])
        .prop_map(str::to_owned)
    }

    proptest! {
        #[test]
        fn vietnamese_numbers_read_back(int in 0u64..1_000_000_000_000, frac in 0u32..1000, decimals in 0usize..=3, dots: bool) {
            let frac = frac % 10u32.pow(decimals as u32);
            let written = vietnamese(int, frac, decimals, dots);
            let text = format!("đạt {written} tỷ đồng");
            let found = scan(&text);
            prop_assert_eq!(found.len(), 1, "{:?}: {:?}", text, found);
            let m = &found[0];
            prop_assert_eq!(m.text_in(&text), format!("{written} tỷ đồng"));
            let want = (int as f64 + f64::from(frac) / 10f64.powi(decimals as i32)) * 1e9;
            let got = m.value_low.unwrap_or(f64::NAN);
            prop_assert!((got - want).abs() <= want.abs() * 1e-12 + 1e-6, "{} gave {} want {}", text, got, want);
        }

        #[test]
        fn spelled_numbers_read_back(n in 2u64..1_000_000_000) {
            let text = format!("có {} người", to_words(n));
            let found = scan(&text);
            prop_assert_eq!(found.len(), 1, "{:?}: {:?}", text, found);
            prop_assert_eq!(found[0].value_low, Some(n as f64), "{}", text);
        }

        #[test]
        fn any_unicode_never_panics_and_slices(s in any::<String>()) {
            let found = scan(&s);
            assert_spans(&s, &found);
        }

        #[test]
        fn vietnamese_fragments_never_panic_and_slice(parts in prop::collection::vec(fragment(), 0..40)) {
            let s: String = parts.concat();
            let found = scan(&s);
            assert_spans(&s, &found);
        }
    }

    #[test]
    fn huge_digit_runs_are_not_values() {
        let text = format!("đạt {} tỷ đồng", "9".repeat(400));
        for m in scan(&text) {
            assert!(m.value_low.is_none_or(f64::is_finite), "{m:?}");
        }
        assert!(
            scan(&format!("{}%", "9".repeat(400)))
                .iter()
                .all(|m| m.value_low.is_none())
        );
    }

    #[test]
    fn to_words_spells_like_the_brief() {
        assert_eq!(to_words(21011), "hai mươi mốt nghìn không trăm mười một");
        assert_eq!(to_words(105), "một trăm linh năm");
        assert_eq!(to_words(1_000_025), "một triệu không trăm hai mươi lăm");
    }
}

/// Overflow review (issue 10): a number too big for an `f64` once the scale written on its
/// partner or a thousands reading applies is not a value; no mention ever carries `inf`.
#[test]
fn huge_numbers_never_give_non_finite_values() {
    let nines = |n: usize| "9".repeat(n);
    let texts = [
        // "a/b tỷ": the second number's scale would make the first infinite.
        format!("kết quả {}/5 tỷ đồng", nines(300)),
        // "X,123 doanh nghiệp" read as thousands would overflow.
        format!("có {},123 doanh nghiệp", nines(306)),
        format!("từ {} đến 5 tỷ tỷ đồng", nines(300)),
        format!("{}-5 tỷ đồng", nines(300)),
        format!("{} tỷ tỷ đồng", nines(300)),
        nines(400),
        format!("thứ {}/{}", nines(30), nines(30)),
        format!("gấp {} lần", nines(320)),
    ];
    for text in &texts {
        let found = scan(text);
        assert_spans(text, &found);
    }
    let pair = scan(&texts[0]);
    assert!(
        pair.iter().all(|m| m.kind != MentionKind::SlashPair),
        "an infinite first number is not a pair: {pair:?}"
    );
    let count = scan(&texts[1]);
    assert_eq!(count[0].kind, MentionKind::Count);
    assert!(count[0].value_low.is_some_and(f64::is_finite));
}
