//! `chiso inspect`: summaries a data engineer reads without Python, and clear refusals.

use std::path::Path;

use crate::util::{chiso, copy_lao_cai, run_pipeline, temp_dir, write_poverty_files};

/// A fresh directory of this test process (the suite may run twice at once on a shared target/).
fn scratch(name: &str) -> std::path::PathBuf {
    temp_dir(&format!("{name}-{}", std::process::id()))
}

fn text(p: &Path) -> &str {
    p.to_str().expect("test paths are UTF-8")
}

fn stdout_of(args: &[&str]) -> String {
    let res = chiso(args);
    assert_eq!(
        res.status.code(),
        Some(0),
        "chiso {args:?}: {}",
        String::from_utf8_lossy(&res.stderr)
    );
    String::from_utf8(res.stdout).expect("UTF-8 output")
}

/// The lines of `block` (a title line and its indented values) in `out`.
fn block<'a>(out: &'a str, title: &str) -> Vec<&'a str> {
    let mut lines = out
        .lines()
        .skip_while(|l| !l.trim_start().starts_with(title));
    let head = lines
        .next()
        .unwrap_or_else(|| panic!("no block {title:?} in:\n{out}"));
    std::iter::once(head)
        .chain(lines.take_while(|l| l.starts_with("    ")))
        .collect()
}

#[test]
fn an_output_dir_is_summarised_with_counts_sources_and_failures_first() {
    let dir = scratch("inspect-out");
    let pipeline = copy_lao_cai(&dir);
    let rules = std::fs::read_to_string(dir.join("rules.toml")).expect("rules");
    std::fs::write(
        dir.join("rules.toml"),
        rules.replacen("value = 19.3\n", "value = 19.4\n", 1),
    )
    .expect("writable");
    let out = dir.join("out");
    let res = chiso(&["-q", "run", text(&pipeline), "--out", text(&out)]);
    assert_eq!(
        res.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );

    let summary = stdout_of(&["inspect", text(&out)]);
    // run.json: the source with its hash prefix, the failed rule.
    assert!(summary.contains("pipeline lao-cai"), "{summary}");
    assert!(
        summary
            .contains("ok      nhandan-2023-lao-cai  14418 bytes, 10 rows, sha256 f88722921d1d…"),
        "{summary}"
    );
    assert!(
        summary.contains("FAIL [error] poverty-rate-2023"),
        "{summary}"
    );
    // indicators: ten rows, gdp_growth first with 8, the place with its name.
    assert!(
        summary.contains(&format!(
            "indicators.parquet: 10 rows (indicators; schema {}",
            chiso_model::SCHEMA_VERSION
        )),
        "{summary}"
    );
    let indicators = block(&summary, "rows per indicator");
    assert_eq!(indicators[0], "  rows per indicator (3)");
    assert!(
        indicators[1].contains("gdp_growth") && indicators[1].trim_end().ends_with(" 8"),
        "{indicators:?}"
    );
    let places = block(&summary, "rows per place");
    assert!(
        places[1].contains("VN-02 Lào Cai") && places[1].trim_end().ends_with(" 9"),
        "{places:?}"
    );
    assert!(
        summary.contains("kind       actual 5 · estimate 4 · target 1"),
        "{summary}"
    );
    // validation: the failure first, with its quote, before any pass.
    let rules: Vec<&str> = summary
        .lines()
        .skip_while(|l| !l.starts_with("  rules: "))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .collect();
    assert!(
        rules[0].starts_with("  FAIL  error poverty-rate-2023 (expect)"),
        "{rules:?}"
    );
    assert!(
        rules[0].contains("[observed 19.3, expected 19.4]"),
        "{rules:?}"
    );
    assert!(
        rules[1].contains("19,3%"),
        "the quote follows the failure: {rules:?}"
    );
    let first_pass = rules
        .iter()
        .position(|l| l.starts_with("  PASS"))
        .expect("passes listed");
    assert!(
        rules[first_pass..].iter().all(|l| !l.starts_with("  FAIL")),
        "{rules:?}"
    );
    // mentions.
    assert!(
        summary.contains("linked to an indicator: 10 of 66"),
        "{summary}"
    );

    // One file, and --top.
    let top = stdout_of(&[
        "inspect",
        text(&out.join("indicators.parquet")),
        "--top",
        "1",
    ]);
    let periods = block(&top, "rows per period");
    assert_eq!(periods.len(), 2, "{periods:?}");
    assert!(
        periods[0].contains("top 1 of 5") && periods[1].contains("2023-Q1"),
        "{periods:?}"
    );
    assert!(
        !top.contains("rules:"),
        "a single file is summarised alone: {top}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_dataset_dir_is_summarised_per_pipeline() {
    let dir = scratch("inspect-dataset");
    let pipeline = copy_lao_cai(&dir);
    let (out, ds) = (dir.join("out"), dir.join("ds"));
    let res = chiso(&[
        "-q",
        "run",
        text(&pipeline),
        "--out",
        text(&out),
        "--dataset",
        text(&ds),
    ]);
    assert_eq!(
        res.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let summary = stdout_of(&["inspect", text(&ds)]);
    assert!(
        summary.contains(&format!(
            "dataset of 10 rows in 3 files, partitioned by indicator (schema {})",
            chiso_model::SCHEMA_VERSION
        )),
        "{summary}"
    );
    let pipelines = block(&summary, "rows per pipeline");
    assert!(
        pipelines[1].contains("lao-cai") && pipelines[1].trim_end().ends_with(" 10"),
        "{pipelines:?}"
    );
    let part = stdout_of(&[
        "inspect",
        text(&ds.join("indicator=gdp_growth/lao-cai.parquet")),
    ]);
    assert!(
        part.contains("8 rows (dataset;")
            && block(&part, "rows per indicator")[1].contains("gdp_growth"),
        "{part}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn missing_paths_text_files_and_empty_dirs_are_usage_errors() {
    let dir = scratch("inspect-errors");
    let notes = dir.join("notes.parquet");
    std::fs::write(&notes, "not Parquet at all\n").expect("writable");
    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).expect("writable");
    for (path, says) in [
        (dir.join("missing"), "cannot inspect"),
        (notes, "is not a Parquet file (it does not start with PAR1)"),
        (empty, "holds no chiso output"),
    ] {
        let res = chiso(&["inspect", text(&path)]);
        assert_eq!(res.status.code(), Some(2), "{}", path.display());
        let err = String::from_utf8_lossy(&res.stderr);
        assert!(err.contains(text(&path)) && err.contains(says), "{err}");
        assert!(
            res.stdout.is_empty(),
            "nothing half-printed: {}",
            String::from_utf8_lossy(&res.stdout)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The output of a directory of many files: run.json is read one source at a time, and the
/// summary lists the failed sources and the first hundred read, and counts the rest.
#[test]
fn an_output_of_many_sources_lists_a_hundred_and_counts_the_rest() {
    let dir = scratch("inspect-many");
    let news = dir.join("news");
    write_poverty_files(&news, 150);
    // Two files that cannot be read: binary bytes where text is expected.
    for name in ["900.txt", "901.txt"] {
        std::fs::write(news.join(name), b"\x00\x01\x02binary").expect("writable");
    }
    let pipeline = dir.join("pipeline.toml");
    std::fs::write(
        &pipeline,
        "version = 1\nname = \"many\"\n\n[[sources]]\nid = \"news\"\npath = \"news\"\n",
    )
    .expect("writable");
    let out = dir.join("out");
    run_pipeline(&pipeline, &out, &["--no-report"], 3);
    let summary = stdout_of(&["inspect", text(&out)]);
    assert!(summary.contains("  sources (152, 2 failed)"), "{summary}");
    let failed: Vec<&str> = summary
        .lines()
        .filter(|l| l.starts_with("    FAILED  "))
        .collect();
    assert_eq!(failed.len(), 2, "{summary}");
    assert!(failed[0].contains("news--900.txt"), "{summary}");
    let ok = summary
        .lines()
        .filter(|l| l.starts_with("    ok      "))
        .count();
    assert_eq!(ok, 100, "{summary}");
    assert!(
        summary.contains("    … and 50 more read (sources.parquet lists every source)"),
        "{summary}"
    );
    assert!(
        summary.contains("indicators.parquet: 150 rows"),
        "{summary}"
    );
    // sources.parquet: every file, and the two not read with why.
    assert!(
        summary.contains(&format!(
            "sources.parquet: 152 rows (sources; schema {}",
            chiso_model::SCHEMA_VERSION
        )),
        "{summary}"
    );
    assert!(
        summary.contains("  status     ok 150 · failed 2"),
        "{summary}"
    );
    let not_read: Vec<&str> = summary
        .lines()
        .skip_while(|l| *l != "  not read whole (2)")
        .skip(1)
        .take(2)
        .collect();
    assert!(
        not_read[0].starts_with("    FAILED source news--900.txt (")
            && not_read[0].contains("binary content (NUL byte at offset 0)"),
        "{summary}"
    );
}

/// The bases of changes are counted (equal counts by name).
#[test]
fn bases_are_counted_where_the_file_has_them() {
    let dir = temp_dir("inspect-bases");
    std::fs::write(
        dir.join("cpi.txt"),
        "Chỉ số giá tiêu dùng (CPI) tháng 10/2023 tăng 0,08% so với tháng trước, tăng 2,86% so với tháng 12 năm trước và tăng 3,59% so với cùng kỳ năm trước.\n",
    )
    .expect("writable");
    std::fs::write(
        dir.join("pipeline.toml"),
        "version = 1\nname = \"cpi\"\n\n[[sources]]\nid = \"cpi\"\npath = \"cpi.txt\"\npublished = \"2023-11\"\ngeo = \"VN-01\"\n",
    )
    .expect("writable");
    let out = dir.join("out");
    run_pipeline(&dir.join("pipeline.toml"), &out, &["--no-report"], 0);
    let summary = stdout_of(&["inspect", text(&out.join("indicators.parquet"))]);
    assert!(
        summary.contains("base       previous_period 1 · year_ago 1 · year_start 1"),
        "{summary}"
    );
}
