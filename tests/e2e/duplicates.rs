//! Copies of a text in one run (a crawl that saved an article twice, a corpus that repeats
//! files of a directory): the first copy in input order gives the rows, the others are set
//! aside with status `duplicate`, the same bytes whatever the threads; `duplicates = "keep"`
//! reads every copy.

use std::path::Path;

use crate::util::{chiso, read_rows, run_pipeline, run_pipeline_logged, sha256_hex, temp_dir};

/// Text `i`: one poverty rate of its own, so each text gives one indicator row.
fn text(i: usize) -> String {
    format!(
        "Tỷ lệ hộ nghèo của tỉnh Lào Cai năm {} còn {},{}%.\n",
        2000 + i % 20,
        10 + i,
        i % 10
    )
}

/// A directory of 120 files, the last 40 copies of the first 40 (one with other whitespace
/// around it, one in UTF-16 with a byte-order mark: the same text in other bytes), after it
/// a corpus of 20 documents, the first 10 copies of files, and a file with the text of a
/// corpus document. Units of 16 files: the copies are in other units than their first copies.
fn write_inputs(dir: &Path, duplicates: Option<&str>) {
    let files = dir.join("files");
    std::fs::create_dir_all(&files).expect("writable");
    for i in 0..120 {
        let t = text(i % 80);
        let bytes = match i {
            80 => format!("\n\n  {t}\n\n").into_bytes(),
            81 => {
                let mut b = vec![0xFF, 0xFE];
                b.extend(t.encode_utf16().flat_map(u16::to_le_bytes));
                b
            }
            _ => t.into_bytes(),
        };
        std::fs::write(files.join(format!("f{i:03}.txt")), bytes).expect("writable");
    }
    let lines: Vec<String> = (0..20)
        .map(|j| {
            let t = if j < 10 { text(j * 3) } else { text(200 + j) };
            serde_json::json!({ "id": format!("doc-{j:02}"), "text": t }).to_string()
        })
        .collect();
    std::fs::write(dir.join("news.jsonl"), lines.join("\n") + "\n").expect("writable");
    std::fs::write(dir.join("z.txt"), text(215)).expect("writable");
    let key = duplicates.map_or(String::new(), |d| format!("duplicates = \"{d}\"\n"));
    std::fs::write(
        dir.join("pipeline.toml"),
        format!(
            "version = 1\nname = \"dup\"\n{key}\n[[sources]]\nid = \"files\"\npath = \"files\"\ngeo = \"VN-02\"\n\n\
             [[sources]]\nid = \"news\"\npath = \"news.jsonl\"\n\n[[sources]]\nid = \"z\"\npath = \"z.txt\"\n"
        ),
    )
    .expect("writable");
}

#[test]
fn copies_of_a_text_are_set_aside_in_input_order_the_same_bytes_with_any_thread_count() {
    let dir = temp_dir("duplicates");
    write_inputs(&dir, None);
    let files = ["indicators", "mentions", "sources", "validation"];
    let mut first: Option<Vec<Vec<u8>>> = None;
    for threads in ["1", "2", "4"] {
        let out = dir.join(format!("out-{threads}"));
        let o = run_pipeline(
            &dir.join("pipeline.toml"),
            &out,
            &["--threads", threads, "--no-report"],
            0,
        );
        let summary = String::from_utf8_lossy(&o.stdout);
        assert!(
            summary.contains("122 sources (0 failed, 51 duplicate documents set aside)"),
            "{summary}"
        );
        let bytes: Vec<Vec<u8>> = files
            .iter()
            .map(|f| std::fs::read(out.join(format!("{f}.parquet"))).expect("written"))
            .collect();
        match &first {
            None => first = Some(bytes),
            Some(b) => assert!(*b == bytes, "{threads} threads: other bytes"),
        }
    }
    let out = dir.join("out-2");
    let sources = read_rows(&out.join("sources.parquet"));
    let status = |id: &str| {
        let row = sources
            .iter()
            .find(|r| r["source_id"] == id)
            .unwrap_or_else(|| panic!("{id} has a row"));
        (row["status"].as_str(), row["text_sha256"].as_str())
    };
    let hash = |i: usize| sha256_hex(text(i).trim().as_bytes());
    // The first copy in input order is read; the later ones are set aside, with its hash.
    assert_eq!(status("files--f005.txt"), ("ok", hash(5).as_str()));
    assert_eq!(status("files--f085.txt"), ("duplicate", hash(5).as_str()));
    assert_eq!(status("files--f080.txt"), ("duplicate", hash(0).as_str()));
    assert_eq!(status("files--f081.txt"), ("duplicate", hash(1).as_str()));
    assert_eq!(status("files--f079.txt"), ("ok", hash(79).as_str()));
    assert_eq!(status("doc-03"), ("duplicate", hash(9).as_str()));
    assert_eq!(status("doc-15"), ("ok", hash(215).as_str()));
    assert_eq!(status("z"), ("duplicate", hash(215).as_str()));
    let corpus = sources
        .iter()
        .find(|r| r["kind"] == "corpus")
        .expect("a corpus row");
    assert_eq!(
        (
            corpus["status"].as_str(),
            corpus["documents"].as_str(),
            corpus["documents_duplicate"].as_str(),
            corpus["rows"].as_str()
        ),
        ("ok", "20", "10", "10")
    );
    // A copy set aside gives no rows; its other counts are unknown.
    let copy = sources
        .iter()
        .find(|r| r["source_id"] == "files--f100.txt")
        .expect("a row");
    assert_eq!(
        (
            copy["rows"].as_str(),
            copy["mentions"].as_str(),
            copy["format"].as_str()
        ),
        ("0", "", "text")
    );
    let indicators = read_rows(&out.join("indicators.parquet"));
    assert_eq!(indicators.len(), 90, "80 files and 10 new documents");
    assert!(
        indicators
            .iter()
            .all(|r| !["files--f080.txt", "doc-03", "z"].contains(&r["source_id"].as_str()))
    );
    // The report lists each copy set aside, with its text's hash.
    let report_out = dir.join("out-report");
    run_pipeline(&dir.join("pipeline.toml"), &report_out, &[], 0);
    let html = std::fs::read_to_string(report_out.join("report.html")).expect("written");
    assert_eq!(html.matches("<tr class=\"duplicate\">").count(), 51);
    assert!(html.contains("0 failed · 51 duplicates set aside"));
    // inspect counts them, and lists the files set aside among those read.
    let inspect = chiso(&["inspect", out.to_str().expect("utf-8")]);
    let summary = String::from_utf8_lossy(&inspect.stdout);
    assert!(
        summary.contains("sources (122, 0 failed, 51 duplicate documents set aside)")
            && summary.contains("    dup     files--f080.txt  ")
            && summary.contains("status     ok 91 · duplicate 51"),
        "{summary}"
    );
    let run: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("run.json")).expect("written"))
            .expect("JSON");
    let counts = &run["source_counts"];
    assert_eq!(
        (
            &counts["duplicate"],
            &counts["documents_duplicate"],
            &counts["ok"]
        ),
        (&41.into(), &10.into(), &81.into())
    );
}

#[test]
fn duplicates_keep_reads_every_copy() {
    let dir = temp_dir("duplicates-keep");
    write_inputs(&dir, Some("keep"));
    let out = dir.join("out");
    let o = run_pipeline(&dir.join("pipeline.toml"), &out, &["--no-report"], 0);
    let summary = String::from_utf8_lossy(&o.stdout);
    assert!(summary.contains("122 sources (0 failed) in"), "{summary}");
    let sources = read_rows(&out.join("sources.parquet"));
    assert!(sources.iter().all(|r| r["status"] == "ok"));
    // Each copy still carries its text's hash: the copies are one group_by away.
    let f80 = sources
        .iter()
        .find(|r| r["source_id"] == "files--f080.txt")
        .expect("a row");
    assert_eq!(f80["text_sha256"], sha256_hex(text(0).trim().as_bytes()));
    assert_eq!(read_rows(&out.join("indicators.parquet")).len(), 141);
}

#[test]
fn an_id_used_twice_is_counted_and_warned_about() {
    let dir = temp_dir("repeated-ids");
    let lines = [("a", 1), ("b", 2), ("a", 3)].map(|(id, i)| {
        serde_json::json!({ "id": id, "geo": "VN-02", "text": text(i) }).to_string()
    });
    std::fs::write(dir.join("news.jsonl"), lines.join("\n") + "\n").expect("writable");
    std::fs::write(
        dir.join("pipeline.toml"),
        "version = 1\nname = \"ids\"\n\n[[sources]]\nid = \"news\"\npath = \"news.jsonl\"\n",
    )
    .expect("writable");
    let out = dir.join("out");
    let o = run_pipeline_logged(&dir.join("pipeline.toml"), &out, &["--no-report"], 0);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("inputs have the id of an input before them") && stderr.contains("first=a"),
        "{stderr}"
    );
    let run: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("run.json")).expect("written"))
            .expect("JSON");
    assert_eq!(run["source_counts"]["ids_repeated"], 1);
    // Both documents are read: their rows share the id, and their origins tell them apart.
    assert_eq!(read_rows(&out.join("indicators.parquet")).len(), 3);
    let inspect = chiso(&["inspect", out.to_str().expect("utf-8")]);
    let summary = String::from_utf8_lossy(&inspect.stdout);
    assert!(
        summary.contains("1 with the id of an input before them"),
        "{summary}"
    );
    assert_eq!(run["source_counts"]["texts_not_remembered"], 0);
    assert!(!summary.contains("memory of texts"), "{summary}");
    // A run past its memory of texts (3.67 million distinct ones, too many for a test) says so
    // in run.json, and inspect shows it.
    let mut past = run.clone();
    past["source_counts"]["texts_not_remembered"] = 2.into();
    past["source_counts"]["ids_not_remembered"] = 3.into();
    std::fs::write(out.join("run.json"), past.to_string()).expect("written");
    let inspect = chiso(&["inspect", out.to_str().expect("utf-8")]);
    let summary = String::from_utf8_lossy(&inspect.stdout);
    assert!(
        summary
            .contains("2 with a text past the run's memory of texts (copies of it not set aside)")
            && summary
                .contains("3 with an id past the run's memory of ids (repeats of it not counted)"),
        "{summary}"
    );
}

/// Two corpora of two papers number their articles alike: an `id_prefix` for each keeps their
/// rows apart, and nothing is repeated.
#[test]
fn an_id_prefix_keeps_two_corpora_with_the_same_ids_apart() {
    let dir = temp_dir("id-prefix");
    for (file, i) in [("a.jsonl", 1), ("b.jsonl", 2)] {
        let line = serde_json::json!({ "id": 7, "geo": "VN-02", "text": text(i) }).to_string();
        std::fs::write(dir.join(file), line + "\n").expect("writable");
    }
    std::fs::write(
        dir.join("pipeline.toml"),
        "version = 1\nname = \"prefixed\"\n\n\
         [[sources]]\nid = \"a\"\npath = \"a.jsonl\"\n[sources.corpus]\nid_prefix = \"baoa/\"\n\n\
         [[sources]]\nid = \"b\"\npath = \"b.jsonl\"\n[sources.corpus]\nid_prefix = \"baob/\"\n",
    )
    .expect("writable");
    let out = dir.join("out");
    let o = run_pipeline_logged(&dir.join("pipeline.toml"), &out, &["--no-report"], 0);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!stderr.contains("id of an input before them"), "{stderr}");
    let mut ids: Vec<String> = read_rows(&out.join("indicators.parquet"))
        .iter()
        .map(|r| r["source_id"].as_str().to_owned())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids, ["baoa/7", "baob/7"]);
    let documents: Vec<String> = read_rows(&out.join("sources.parquet"))
        .iter()
        .filter(|r| r["kind"] == "document")
        .map(|r| r["source_id"].as_str().to_owned())
        .collect();
    assert_eq!(documents, ["baoa/7", "baob/7"]);
}
