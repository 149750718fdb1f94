//! The command line's contract: exit codes, errors that point at the file, nothing lost.

use crate::util::{chiso, copy_lao_cai, read_rows, root, temp_dir};

#[test]
fn every_example_pipeline_passes_check() {
    let dir = root().join("pipelines");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("pipelines/") {
        let p = entry.expect("entry").path().join("pipeline.toml");
        if p.exists() {
            n += 1;
            let res = chiso(&["check", p.to_str().expect("utf-8")]);
            assert_eq!(
                res.status.code(),
                Some(0),
                "{}: {}",
                p.display(),
                String::from_utf8_lossy(&res.stderr)
            );
        }
    }
    assert!(n >= 1, "no pipeline found under pipelines/");
}

/// A rule that names an indicator the catalogue does not have, or a place by its name or its
/// id rather than its code, is an error at its line when the pipeline is checked: it would
/// select nothing. A region's code is a place rows can have.
#[test]
fn a_rule_naming_an_unknown_indicator_or_place_fails_check_at_its_line() {
    let dir = temp_dir("rule-terms");
    let pipeline = dir.join("pipeline.toml");
    std::fs::write(
        &pipeline,
        "version = 1\nname = \"terms\"\n[validation]\nrules = \"rules.toml\"\n\n[[sources]]\nid = \"a\"\npath = \"a.txt\"\n",
    )
    .expect("writable");
    let cases = [
        (
            "indicator = \"poverty_rat\"",
            "did you mean \"poverty_rate\"?",
        ),
        (
            "indicator = \"nothing_like_it\"",
            "its indicators: gdp_growth,",
        ),
        (
            "indicator = \"poverty_rate\", geo = \"Lào Cai\"",
            "write \"VN-02\" for \"Lào Cai\"",
        ),
        (
            "geo = [\"VN-02\", \"VN-99\"]",
            "\"VN-99\" is not a place chiso knows",
        ),
        ("geo = \"VN-02-2025\"", "write \"VN-02\" for \"VN-02-2025\""),
    ];
    for (select, expected) in cases {
        std::fs::write(
            dir.join("rules.toml"),
            format!("version = 1\n\n[[rule]]\nid = \"r\"\nkind = \"expect\"\nselect = {{ {select} }}\nvalue = 19.3\n"),
        )
        .expect("writable");
        let res = chiso(&["check", pipeline.to_str().expect("utf-8")]);
        let stderr = String::from_utf8_lossy(&res.stderr);
        assert_eq!(res.status.code(), Some(2), "{select}: {stderr}");
        assert!(stderr.contains("rules.toml:6:"), "{select}: {stderr}");
        assert!(stderr.contains(expected), "{select}: {stderr}");
    }
    std::fs::write(
        dir.join("rules.toml"),
        "version = 1\n\n[[rule]]\nid = \"r\"\nkind = \"expect\"\nselect = { indicator = \"poverty_rate\", geo = [\"VN-02\", \"VN\", \"VN-R-TDMNPB\"] }\nvalue = 19.3\n",
    )
    .expect("writable");
    let res = chiso(&["check", pipeline.to_str().expect("utf-8")]);
    assert_eq!(
        res.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
}

/// An output directory that is the dataset's, holds it or lies in it, or lies in a directory a
/// source reads, is refused before anything is written.
#[test]
fn an_output_directory_overlapping_the_dataset_or_a_source_is_refused() {
    let dir = temp_dir("out-overlap");
    let pipeline = dir.join("pipeline.toml");
    std::fs::create_dir_all(dir.join("txt")).expect("writable");
    std::fs::write(dir.join("txt/a.txt"), "Tỷ lệ hộ nghèo còn 3,1%.").expect("writable");
    std::fs::write(
        &pipeline,
        "version = 1\nname = \"overlap\"\n\n[[sources]]\nid = \"news\"\npath = \"txt\"\ngeo = \"VN-02\"\n",
    )
    .expect("writable");
    let p = pipeline.to_str().expect("utf-8");
    let at = |d: &str| dir.join(d).to_str().expect("utf-8").to_owned();
    let cases = [
        ("o", Some("o"), "overlap"),
        ("o", Some("o/ds"), "overlap"),
        ("ds/o", Some("ds"), "overlap"),
        ("txt/out", None, "source news would read"),
        ("txt/../txt/deeper/out", None, "source news would read"),
        ("o", Some("txt/ds"), "source news would read"),
    ];
    for (out, dataset, expected) in cases {
        let (out, dataset) = (at(out), dataset.map(at));
        let mut args = vec!["-q", "run", p, "--out", &out];
        if let Some(d) = &dataset {
            args.extend(["--dataset", d]);
        }
        let res = chiso(&args);
        let stderr = String::from_utf8_lossy(&res.stderr);
        assert_eq!(res.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(
            !dir.join("o").exists()
                && !dir.join("ds").exists()
                && !dir.join("txt/out").exists()
                && !dir.join("txt/ds").exists()
        );
    }
    // Walks leave hidden directories out.
    let res = chiso(&["-q", "run", p, "--out", &at("txt/.out")]);
    assert_eq!(
        res.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let res = chiso(&["-q", "run", p, "--out", &at("o"), "--dataset", &at("ds")]);
    assert_eq!(
        res.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    // A glob reads what it matches: `txt/*.txt` leaves an output in `txt/out` alone, `txt/**`
    // would read it.
    for (pattern, refused) in [("txt/*.txt", false), ("txt/**/*", true)] {
        std::fs::write(
            &pipeline,
            format!("version = 1\nname = \"overlap\"\n\n[[sources]]\nid = \"news\"\npath = \"{pattern}\"\ngeo = \"VN-02\"\n"),
        )
        .expect("writable");
        let res = chiso(&["-q", "run", p, "--out", &at("txt/out")]);
        let stderr = String::from_utf8_lossy(&res.stderr);
        assert_eq!(
            res.status.code(),
            Some(if refused { 2 } else { 0 }),
            "{pattern}: {stderr}"
        );
        assert_eq!(
            stderr.contains("txt/out/indicators.parquet and the other files this run writes"),
            refused,
            "{pattern}: {stderr}"
        );
        let _ = std::fs::remove_dir_all(dir.join("txt/out"));
    }
}

#[test]
fn a_config_error_names_file_line_and_key_and_writes_nothing() {
    let dir = temp_dir("bad-config");
    let pipeline = copy_lao_cai(&dir);
    let text = std::fs::read_to_string(&pipeline).expect("pipeline");
    std::fs::write(
        &pipeline,
        text.replace("geo = \"VN-02\"", "geo = \"VN-02\"\nlanguage = \"vi\""),
    )
    .expect("writable");
    let out = dir.join("out");
    let res = chiso(&[
        "run",
        pipeline.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(res.status.code(), Some(2));
    let err = String::from_utf8_lossy(&res.stderr);
    assert!(
        err.contains("pipeline.toml:") && err.contains("language"),
        "{err}"
    );
    let line = text
        .lines()
        .position(|l| l.starts_with("geo ="))
        .expect("geo line")
        + 2;
    assert!(
        err.contains(&format!("pipeline.toml:{line}:")),
        "line {line} in: {err}"
    );
    assert!(!out.exists(), "nothing is written on a configuration error");
    let res = chiso(&["check", pipeline.to_str().expect("utf-8")]);
    assert_eq!(res.status.code(), Some(2));
}

#[test]
fn a_missing_source_is_recorded_and_the_others_are_written() {
    let dir = temp_dir("missing-source");
    let pipeline = copy_lao_cai(&dir);
    let text = std::fs::read_to_string(&pipeline).expect("pipeline");
    let extra = "\n[[sources]]\nid = \"gone\"\npath = \"sources/does-not-exist.txt\"\n";
    let text = text.replace("\n[validation]", &format!("{extra}\n[validation]"));
    std::fs::write(&pipeline, text).expect("writable");
    let out = dir.join("out");
    let res = chiso(&[
        "-q",
        "run",
        pipeline.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(
        res.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let rows = read_rows(&out.join("indicators.parquet"));
    assert!(rows.len() >= 10, "the readable source's rows are written");
    let run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).expect("run.json"))
            .expect("json");
    let gone = run["sources"]
        .as_array()
        .expect("list")
        .iter()
        .find(|s| s["id"] == "gone")
        .expect("recorded");
    assert_eq!(gone["status"], "failed");
    assert!(
        gone["error"]
            .as_str()
            .expect("reason")
            .contains("does-not-exist.txt"),
        "{gone}"
    );
}

#[test]
fn extract_prints_rows_for_an_ad_hoc_file() {
    let dir = temp_dir("adhoc");
    let f = dir.join("tin.txt");
    std::fs::write(&f, "Năm 2022, tỷ lệ hộ nghèo của tỉnh Lào Cai còn 19,3%.\n").expect("writable");
    let res = chiso(&[
        "extract",
        f.to_str().expect("utf-8"),
        "--published",
        "2023-04",
        "--format",
        "json",
    ]);
    assert_eq!(
        res.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let rows: serde_json::Value = serde_json::from_slice(&res.stdout).expect("json");
    let row = &rows[0];
    assert_eq!(row["indicator"], "poverty_rate");
    assert_eq!(row["geo"], "VN-02");
    assert_eq!(row["period_start"], "2022-01-01");
    assert_eq!(row["value_low"], 19.3);
    let res = chiso(&[
        "extract",
        f.to_str().expect("utf-8"),
        "--published",
        "2023-4",
    ]);
    assert_eq!(res.status.code(), Some(2), "a bad date is a usage error");
}

#[test]
fn score_reads_indicators_parquet_against_golden_records() {
    let out = temp_dir("score");
    let o = out.to_str().expect("utf-8");
    assert_eq!(
        chiso(&[
            "-q",
            "run",
            "pipelines/lao-cai/pipeline.toml",
            "--out",
            o,
            "--no-report"
        ])
        .status
        .code(),
        Some(0)
    );
    let golden = "nhandan-2023-lao-cai=tests/golden/lao-cai-expected.json";
    let res = chiso(&["score", o, "--golden", golden, "--min-f1", "0.99"]);
    let stdout = String::from_utf8_lossy(&res.stdout);
    assert_eq!(
        res.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&res.stderr)
    );
    assert!(
        stdout.contains("10 of 10 golden records matched by 10 rows"),
        "{stdout}"
    );
    assert!(
        stdout.contains("| nhandan-2023-lao-cai | 10 | 10 | 10 | 1.00 | 1.00 | 1.00 |"),
        "{stdout}"
    );
    // Golden records below --min-f1 give exit code 1.
    let res = chiso(&[
        "score",
        o,
        "--golden",
        "nhandan-2023-lao-cai=tests/golden/dev-corpus/expected/28-baocamau-giam-ngheo-2023.json",
        "--min-f1",
        "0.9",
    ]);
    assert_eq!(
        res.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&res.stdout)
    );
    // Golden records named after no source of the outputs are an error (a misnamed file's
    // empty list would score a perfect 1), naming the sources there are.
    let res = chiso(&[
        "score",
        o,
        "--golden",
        "other-source=tests/golden/lao-cai-expected.json",
    ]);
    let stderr = String::from_utf8_lossy(&res.stderr);
    assert_eq!(res.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("other-source name no source of the outputs")
            && stderr.contains("nhandan-2023-lao-cai"),
        "{stderr}"
    );
    // `chiso extract --format json` writes records a golden file can be made of.
    let extracted = out.join("extracted.json");
    let res = chiso(&[
        "extract",
        "pipelines/lao-cai/sources/lao-cai-interview.txt",
        "--published",
        "2023-04",
        "--geo",
        "VN-02",
        "--format",
        "json",
        "--out",
        extracted.to_str().expect("utf-8"),
    ]);
    assert_eq!(
        res.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let from_extract = format!("nhandan-2023-lao-cai={}", extracted.display());
    let res = chiso(&["score", o, "--golden", &from_extract]);
    let stdout = String::from_utf8_lossy(&res.stdout);
    assert!(
        stdout.contains("10 of 10 golden records matched by 10 rows"),
        "{stdout}{}",
        String::from_utf8_lossy(&res.stderr)
    );
}

#[test]
fn limits_in_the_pipeline_file_bound_what_a_source_may_cost() {
    let dir = temp_dir("limits");
    let pipeline = copy_lao_cai(&dir);
    let text = std::fs::read_to_string(&pipeline).expect("pipeline");
    std::fs::write(
        &pipeline,
        format!("{text}\n[limits]\nmax_source_bytes = 1000\n"),
    )
    .expect("writable");
    let out = dir.join("out");
    let res = chiso(&[
        "-q",
        "run",
        pipeline.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
        "--no-report",
    ]);
    assert_eq!(
        res.status.code(),
        Some(3),
        "the 14 KB source is over the 1 000-byte cap"
    );
    let run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).expect("run.json"))
            .expect("json");
    let error = run["sources"][0]["error"]
        .as_str()
        .expect("a reason")
        .to_owned();
    assert!(error.contains("1000"), "{error}");
}

/// `chiso cache prune` removes an old body no URL names and says so; a cache it cannot read
/// through is an error naming the file, and nothing is removed.
#[test]
fn cache_prune_removes_old_bodies_no_url_names() {
    let cache = temp_dir("cache-prune");
    let bodies = cache.join("bodies");
    std::fs::create_dir_all(&bodies).expect("writable");
    let orphan = bodies.join(crate::util::sha256_hex(b"an old body"));
    std::fs::write(&orphan, b"an old body").expect("writable");
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&orphan)
        .and_then(|f| f.set_modified(hour_ago))
        .expect("settable");
    let dir = cache.to_str().expect("utf-8");
    let o = chiso(&["cache", "prune", "--cache", dir]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("removed 1 bodies (0.0 MB) that no URL names; kept 0 (0.0 MB) for 0 URLs"),
        "{stdout}"
    );
    assert!(!orphan.exists());

    std::fs::create_dir_all(cache.join("urls")).expect("writable");
    std::fs::write(cache.join("urls").join("x"), "not an entry").expect("writable");
    let o = chiso(&["cache", "prune", "--cache", dir]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_ne!(o.status.code(), Some(0));
    assert!(
        stderr.contains("cannot prune the cache") && stderr.contains("not a cache entry"),
        "{stderr}"
    );
}

/// With `--log-format json`, an error that ends the command is a JSON line as the logs are.
#[test]
fn a_fatal_error_is_a_json_line_with_json_logs() {
    let res = chiso(&["--log-format", "json", "run", "no/such/pipeline.toml"]);
    assert_eq!(res.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&res.stderr);
    let line: serde_json::Value = serde_json::from_str(stderr.trim()).expect("one JSON line");
    assert_eq!(line["level"], "ERROR");
    assert!(
        line["fields"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("no/such/pipeline.toml")),
        "{line}"
    );
    let res = chiso(&["run", "no/such/pipeline.toml"]);
    assert!(String::from_utf8_lossy(&res.stderr).starts_with("error: "));
}

/// `chiso extract` reads a JSON-lines corpus document by document, each under its own id with
/// its own date and place, and a table of rows from several sources names the source of each.
#[test]
fn extract_reads_a_corpus_file_document_by_document() {
    let dir = temp_dir("extract-corpus");
    let corpus = dir.join("news.jsonl");
    std::fs::write(
        &corpus,
        "{\"id\": \"a\", \"published\": \"2024-02\", \"geo\": \"Lào Cai\", \"text\": \"Năm nay, tỷ lệ hộ nghèo còn 3,1%.\"}\n\
         {\"id\": \"b\", \"geo\": \"VN-06\", \"text\": \"Năm 2023, tỷ lệ hộ nghèo còn 4,2%.\"}\n",
    )
    .expect("writable");
    let c = corpus.to_str().expect("utf-8");
    let res = chiso(&["extract", c, "--format", "json"]);
    assert_eq!(
        res.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let rows: serde_json::Value = serde_json::from_slice(&res.stdout).expect("JSON");
    let got: Vec<(&str, &str, &str, f64)> = rows
        .as_array()
        .expect("a list")
        .iter()
        .map(|r| {
            (
                r["source_id"].as_str().unwrap_or(""),
                r["geo"].as_str().unwrap_or(""),
                r["period_label"].as_str().unwrap_or(""),
                r["value_low"].as_f64().unwrap_or(f64::NAN),
            )
        })
        .collect();
    assert_eq!(
        got,
        [("a", "VN-02", "2024", 3.1), ("b", "VN-06", "2023", 4.2)]
    );
    let res = chiso(&["extract", c]);
    let table = String::from_utf8_lossy(&res.stdout);
    assert!(table.starts_with("source  indicator"), "{table}");
    // A directory is its files, each a source of its own, as `run` reads it.
    let texts = dir.join("texts");
    std::fs::create_dir_all(&texts).expect("writable");
    std::fs::write(
        texts.join("a.txt"),
        "Năm 2023, tỷ lệ hộ nghèo của tỉnh Lào Cai còn 3,1%.",
    )
    .expect("writable");
    std::fs::write(
        texts.join("b.txt"),
        "Năm 2022, GRDP tỉnh Yên Bái tăng 7,1%.",
    )
    .expect("writable");
    let res = chiso(&[
        "extract",
        texts.to_str().expect("utf-8"),
        "--format",
        "json",
    ]);
    let rows: serde_json::Value = serde_json::from_slice(&res.stdout).expect("JSON");
    let ids: Vec<&str> = rows
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|r| r["source_id"].as_str())
        .collect();
    assert_eq!(ids, ["texts--a.txt", "texts--b.txt"]);
    // Nothing read: an error, and no empty table.
    let res = chiso(&["extract", dir.join("nothing.txt").to_str().expect("utf-8")]);
    assert_eq!(res.status.code(), Some(2));
    assert!(
        res.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&res.stdout)
    );
}

/// A source's `geo` may name a place of the pipeline's gazetteer extension: it is kept as the
/// place's code; one neither knows is an error naming the source.
#[test]
fn a_source_place_from_the_gazetteer_extension_is_kept_as_its_code() {
    let dir = temp_dir("geo-extension");
    std::fs::write(dir.join("a.txt"), "Năm 2023, tỷ lệ hộ nghèo còn 3,1%.").expect("writable");
    std::fs::write(
        dir.join("places.toml"),
        "version = 1\n\n[[alias]]\nplace = \"VN-SG\"\nvariants = [\"Thành phố mang tên Bác\"]\n",
    )
    .expect("writable");
    let pipeline = |geo: &str| {
        std::fs::write(
            dir.join("pipeline.toml"),
            format!("version = 1\nname = \"ext\"\n\n[gazetteer]\nextend = \"places.toml\"\n\n[[sources]]\nid = \"a\"\npath = \"a.txt\"\ngeo = \"{geo}\"\n"),
        )
        .expect("writable");
        dir.join("pipeline.toml")
            .to_str()
            .expect("utf-8")
            .to_owned()
    };
    let out = dir.join("out");
    let p = pipeline("Thành phố mang tên Bác");
    let res = chiso(&[
        "-q",
        "run",
        &p,
        "--out",
        out.to_str().expect("utf-8"),
        "--no-report",
    ]);
    assert_eq!(
        res.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let rows = read_rows(&out.join("sources.parquet"));
    assert_eq!(rows[0]["geo_code"], "VN-SG");
    let p = pipeline("Nơi Không Có");
    let res = chiso(&["check", &p]);
    let stderr = String::from_utf8_lossy(&res.stderr);
    assert_eq!(res.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("source a: geo \"Nơi Không Có\""),
        "{stderr}"
    );
}
