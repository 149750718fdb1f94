//! Acceptance on the source document: `pipelines/lao-cai`.

use std::path::Path;

use serde_json::Value;

use crate::util::{Row, chiso, copy_lao_cai, kv_metadata, read_rows, root, run_pipeline, temp_dir};

fn num(s: &str) -> f64 {
    s.parse().unwrap_or(f64::NAN)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 0.005 * a.abs().max(b.abs()).max(1e-9)
}

fn matches(row: &Row, exp: &Value) -> bool {
    let s = |k: &str| exp[k].as_str().unwrap_or("").to_owned();
    row["indicator"] == s("indicator")
        && row["geo_code"] == s("geo")
        && row["period_start"] == s("period_start")
        && row["period_end"] == s("period_end")
        && row["measure"] == s("measure")
        && close(
            num(&row["value_low"]),
            exp["value_low"].as_f64().unwrap_or(f64::NAN),
        )
        && close(
            num(&row["value_high"]),
            exp["value_high"].as_f64().unwrap_or(f64::NAN),
        )
}

fn run_default(out: &Path) -> std::process::Output {
    run_with(out, &[])
}

/// `chiso run` of the Lào Cai pipeline into `out` with `extra` arguments; exit 0 asserted.
fn run_with(out: &Path, extra: &[&str]) -> std::process::Output {
    run_pipeline(Path::new("pipelines/lao-cai/pipeline.toml"), out, extra, 0)
}

/// A run that writes no report removes the one an earlier run left, as run.json says.
#[test]
fn no_report_removes_an_earlier_report() {
    let out = temp_dir("lao-cai-no-report");
    run_with(&out, &[]);
    assert!(out.join("report.html").exists());
    run_with(&out, &["--no-report"]);
    assert!(
        !out.join("report.html").exists(),
        "the earlier report is removed"
    );
    let run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).expect("written"))
            .expect("JSON");
    assert!(run["files"]["report"].is_null(), "{run}");
}

#[test]
fn lao_cai_gives_the_ten_statements_exactly_once_and_nothing_else() {
    let out = temp_dir("lao-cai-acceptance");
    run_default(&out); // exit 0 asserted
    let rows = read_rows(&out.join("indicators.parquet"));
    let expected: Vec<Value> = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/golden/lao-cai-expected.json"))
            .expect("golden file"),
    )
    .expect("json");
    let mut problems = Vec::new();
    for exp in &expected {
        let found: Vec<&Row> = rows.iter().filter(|r| matches(r, exp)).collect();
        match found.as_slice() {
            [row] => {
                for (col, key) in [
                    ("kind", "kind"),
                    ("unit", "unit"),
                    ("comparator", "comparator"),
                ] {
                    let want = exp[key].as_str().unwrap_or("");
                    if row[col] != want {
                        problems.push(format!(
                            "{}: {col} is {:?}, expected {want:?}",
                            exp["quote"], row[col]
                        ));
                    }
                }
                let want_total = exp["rank_total"]
                    .as_u64()
                    .map(|t| t.to_string())
                    .unwrap_or_default();
                if row["rank_total"] != want_total {
                    problems.push(format!(
                        "{}: rank_total {:?}, expected {want_total:?}",
                        exp["quote"], row["rank_total"]
                    ));
                }
                let (start, end) = (
                    row["char_start"].parse::<usize>().expect("int"),
                    row["char_end"].parse::<usize>().expect("int"),
                );
                let text: String = std::fs::read_to_string(
                    root().join("pipelines/lao-cai/sources/lao-cai-interview.txt"),
                )
                .expect("source")
                .chars()
                .skip(start)
                .take(end - start)
                .collect();
                if !exp["quote"].as_str().unwrap_or("").contains(text.as_str()) || text.is_empty() {
                    problems.push(format!("{}: offsets slice {text:?}", exp["quote"]));
                }
            }
            [] => problems.push(format!("missing: {}", exp["quote"])),
            many => problems.push(format!("{} rows for: {}", many.len(), exp["quote"])),
        }
    }
    for row in &rows {
        if !expected.iter().any(|e| matches(row, e)) {
            problems.push(format!("unexpected row: {row:?}"));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn lao_cai_mentions_type_counts_and_non_values() {
    let out = temp_dir("lao-cai-mentions");
    run_default(&out); // exit 0 asserted
    let mentions = read_rows(&out.join("mentions.parquet"));
    let has = |kind: &str, text: &str, value: Option<f64>, noun: Option<&str>| {
        mentions.iter().any(|m| {
            m["kind"] == kind
                && m["text"].contains(text)
                && value.is_none_or(|v| close(num(&m["value_low"]), v))
                && noun.is_none_or(|n| m["counted_noun"].to_lowercase() == n)
        })
    };
    let mut missing = Vec::new();
    for (kind, text, value, noun) in [
        ("count", "24", Some(24.0), Some("chỉ tiêu")),
        ("count", "10", Some(10.0), Some("chỉ tiêu")),
        ("count", "11", Some(11.0), Some("chỉ tiêu")),
        ("count", "ba", Some(3.0), Some("chỉ tiêu")),
        ("count", "18", Some(18.0), Some("đề án")),
        ("multiplier", "hai", Some(2.0), None),
        ("count", "30", Some(30.0), None),
        ("count", "sáu", Some(6.0), Some("tỉnh")),
        ("document_number", "11-NQ/TW", None, None),
        ("document_number", "316/QĐ-TTg", None, None),
        ("date", "10/2/2022", None, None),
        ("date", "29/3/2023", None, None),
        ("period", "2020-2025", None, None),
        ("period", "2021-2030", None, None),
        ("period", "2011-2030", None, None),
    ] {
        if !has(kind, text, value, noun) {
            missing.push(format!("{kind} {text:?} {value:?} {noun:?}"));
        }
    }
    assert!(
        missing.is_empty(),
        "missing mentions: {missing:#?}\nall: {:#?}",
        mentions
            .iter()
            .map(|m| format!("{} {} {}", m["kind"], m["text"], m["value_low"]))
            .collect::<Vec<_>>()
    );
    let over_30 = mentions
        .iter()
        .find(|m| m["text"].contains("30") && m["kind"] == "count")
        .expect("hơn 30 năm");
    assert_eq!(over_30["comparator"], "gt");
    // Nothing that is not a value carries one, and none of them is linked to an indicator.
    for m in &mentions {
        let non_value = [
            "year",
            "period",
            "date",
            "document_number",
            "enumerator",
            "ordinal",
            "photo_label",
        ]
        .contains(&m["kind"].as_str());
        if non_value {
            assert!(m["value_low"].is_empty(), "non-value with a value: {m:?}");
            assert!(m["indicator"].is_empty(), "non-value linked: {m:?}");
        }
    }
    for text in ["Một là", "Hai là", "Ba là", "Bốn là", "Năm là", "Sáu là"] {
        assert!(
            mentions
                .iter()
                .any(|m| m["kind"] == "enumerator" && m["text"].contains(text)),
            "enumerator {text}"
        );
    }
    assert!(
        mentions
            .iter()
            .any(|m| m["kind"] == "ordinal" && m["text"].contains("XIII")),
        "Đại hội XIII"
    );
    assert!(
        mentions
            .iter()
            .any(|m| m["kind"] == "ordinal" && m["text"].contains("16")),
        "khóa 16"
    );
    // Offsets are code points into the NFC text.
    let text: Vec<char> =
        std::fs::read_to_string(root().join("pipelines/lao-cai/sources/lao-cai-interview.txt"))
            .expect("source")
            .chars()
            .collect();
    for m in &mentions {
        let (s, e) = (
            m["char_start"].parse::<usize>().expect("int"),
            m["char_end"].parse::<usize>().expect("int"),
        );
        assert_eq!(
            text[s..e].iter().collect::<String>(),
            m["text"],
            "offsets of {m:?}"
        );
    }
}

#[test]
fn lao_cai_rules_pass_and_a_wrong_expectation_fails_with_exit_1() {
    let out = temp_dir("lao-cai-rules");
    run_default(&out); // exit 0 asserted
    let results = read_rows(&out.join("validation.parquet"));
    assert!(results.len() >= 6, "{results:#?}");
    assert!(
        results
            .iter()
            .all(|r| r["status"] == "pass" || r["status"] == "skip"),
        "{results:#?}"
    );
    for kind in ["expect", "range", "rank", "sum", "ratio"] {
        assert!(
            results
                .iter()
                .any(|r| r["rule_kind"] == kind && r["status"] == "pass"),
            "no {kind} rule passed: {results:#?}"
        );
    }

    let dir = temp_dir("lao-cai-rules-wrong");
    let pipeline = copy_lao_cai(&dir);
    let rules = std::fs::read_to_string(dir.join("rules.toml")).expect("rules");
    assert!(
        rules.contains("value = 19.3\n"),
        "the rules file states the poverty rate"
    );
    std::fs::write(
        dir.join("rules.toml"),
        rules.replacen("value = 19.3\n", "value = 19.4\n", 1),
    )
    .expect("writable");
    let out2 = dir.join("out");
    let res = chiso(&[
        "-q",
        "run",
        pipeline.to_str().expect("utf-8"),
        "--out",
        out2.to_str().expect("utf-8"),
    ]);
    assert_eq!(
        res.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&res.stdout)
    );
    let results = read_rows(&out2.join("validation.parquet"));
    let failed: Vec<_> = results.iter().filter(|r| r["status"] == "fail").collect();
    assert_eq!(failed.len(), 1, "{results:#?}");
    assert_eq!(failed[0]["observed"], "19.3");
    assert_eq!(failed[0]["expected"], "19.4");
    assert!(
        String::from_utf8_lossy(&res.stdout).contains("19,3%"),
        "the summary quotes the sentence"
    );
}

#[test]
fn reruns_give_identical_bytes_and_files_carry_provenance() {
    let a = temp_dir("lao-cai-rerun-a");
    let b = temp_dir("lao-cai-rerun-b");
    assert_eq!(run_default(&a).status.code(), Some(0));
    // The second run writes no report: a worker then frees each file's transform itself, and
    // the rows, the rules' results (mention rules among them) and the sources are the same.
    assert_eq!(run_with(&b, &["--no-report"]).status.code(), Some(0));
    assert!(a.join("report.html").exists() && !b.join("report.html").exists());
    for f in [
        "indicators.parquet",
        "mentions.parquet",
        "validation.parquet",
        "sources.parquet",
    ] {
        let (x, y) = (
            std::fs::read(a.join(f)).expect("a"),
            std::fs::read(b.join(f)).expect("b"),
        );
        assert!(x == y, "{f} differs between two runs");
        let kv = kv_metadata(&a.join(f));
        assert_eq!(
            kv.get("chiso.schema_version").map(String::as_str),
            Some(chiso_model::SCHEMA_VERSION),
            "{f}: {kv:?}"
        );
        assert_eq!(
            kv.get("chiso.pipeline").map(String::as_str),
            Some("lao-cai")
        );
        assert!(
            kv.get("chiso.inputs")
                .is_some_and(|v| v
                    .contains("f88722921d1db6cca44ca06c31ee878d892ecb20dc088538a8fc656214d1bfe8")),
            "{kv:?}"
        );
    }
    let run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(a.join("run.json")).expect("run.json"))
            .expect("json");
    assert_eq!(run["sources"][0]["status"], "ok");
    assert_eq!(
        run["sources"][0]["sha256"],
        "f88722921d1db6cca44ca06c31ee878d892ecb20dc088538a8fc656214d1bfe8"
    );
    assert_eq!(run["schema_version"], chiso_model::SCHEMA_VERSION);
    // A relative origin is relative to where the run started, which run.json records.
    let origin = run["sources"][0]["origin"].as_str().expect("an origin");
    let cwd = run["working_directory"]
        .as_str()
        .expect("the working directory");
    assert!(
        std::path::Path::new(cwd).join(origin).is_file(),
        "{cwd} / {origin}"
    );
}
