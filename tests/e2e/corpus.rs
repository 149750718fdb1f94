//! A JSON-lines corpus through `chiso run`: one document per line, each with its own id,
//! publication date and place; streamed on several threads, the output is the same bytes.

use std::collections::BTreeMap;
use std::path::Path;

use crate::util::{
    chiso, kv_metadata, read_rows, run_pipeline, run_pipeline_logged, sha256_hex, temp_dir,
    write_poverty_files,
};

const PLACES: &[&str] = &["VN-02", "VN-HN", "VN-SG", "VN-13", "VN-29", "VN-44"];
const DOCS: usize = 300;

/// Document `i`: its id, place, publication year, and a text stating this year's growth and
/// poverty rate ("năm nay": the year comes from `published`, the place from `geo`).
fn document(i: usize) -> (String, &'static str, i32, String) {
    let id = format!("bai-{i:04}");
    let geo = PLACES[i % PLACES.len()];
    let year = 2015 + (i % 9) as i32;
    let growth = format!("{},{:02}", 3 + i % 7, i % 100);
    let text = format!(
        "Kinh tế địa phương năm nay\nNăm nay, tốc độ tăng trưởng kinh tế (GRDP) ước đạt {growth}%. \
         Tỷ lệ hộ nghèo giảm còn {},{}%; thu hút {} lượt khách du lịch.\r\nBài {i}.",
        1 + i % 20,
        i % 10,
        1000 + i
    );
    (id, geo, year, text)
}

fn write_corpus(dir: &Path) {
    let mut lines = String::new();
    for i in 0..DOCS {
        let (id, geo, year, text) = document(i);
        let line = serde_json::json!({ "id": id, "geo": geo, "published": format!("{year}-06-15"), "url": format!("https://bao.example.vn/{i}"), "text": text });
        lines.push_str(&line.to_string());
        lines.push('\n');
        if i == 7 {
            lines.push_str("{\"id\": \"broken\", \"text\": \n");
        }
    }
    std::fs::write(dir.join("corpus.jsonl"), lines).expect("writable");
    std::fs::write(
        dir.join("pipeline.toml"),
        "version = 1\nname = \"corpus\"\n\n[[sources]]\nid = \"news\"\npath = \"corpus.jsonl\"\n",
    )
    .expect("writable");
}

/// The end of the first line that ends after the middle of `corpus`: where it splits into two
/// shards of whole lines.
fn cut_after_middle(corpus: &[u8]) -> usize {
    let middle = corpus.len() / 2;
    middle
        + corpus[middle..]
            .iter()
            .position(|&b| b == b'\n')
            .expect("a line ends after the middle")
        + 1
}

/// `bytes` as one gzip member.
fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write as _;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).expect("in memory");
    e.finish().expect("in memory")
}

/// `chiso run` of the corpus pipeline into `out` with `extra` arguments. The broken line is a
/// failed document: exit 3, everything else written.
fn run_corpus(pipeline: &Path, out: &Path, extra: &[&str]) {
    run_pipeline(pipeline, out, extra, 3);
}

#[test]
fn a_jsonl_corpus_gives_each_document_its_own_rows_the_same_bytes_with_any_thread_count() {
    let dir = temp_dir("corpus");
    write_corpus(&dir);
    let pipeline = dir.join("pipeline.toml");
    let run = |out: &str, threads: &str| {
        let out = dir.join(out);
        run_corpus(&pipeline, &out, &["--threads", threads]);
        out
    };
    let one = run("one", "1");
    let two = run("two", "2");
    let four = run("four", "4");
    for file in [
        "indicators.parquet",
        "mentions.parquet",
        "validation.parquet",
        "sources.parquet",
    ] {
        let a = std::fs::read(one.join(file)).expect("written");
        assert_eq!(
            a,
            std::fs::read(two.join(file)).expect("written"),
            "{file}: 1 and 2 threads differ"
        );
        assert_eq!(
            a,
            std::fs::read(four.join(file)).expect("written"),
            "{file}: 1 and 4 threads differ"
        );
    }

    let rows = read_rows(&two.join("indicators.parquet"));
    let mut by_doc: BTreeMap<String, Vec<_>> = BTreeMap::new();
    for r in &rows {
        by_doc.entry(r["source_id"].clone()).or_default().push(r);
    }
    assert_eq!(
        by_doc.len(),
        DOCS,
        "every document gives rows under its own id"
    );
    for i in 0..DOCS {
        let (id, geo, year, _) = document(i);
        let doc_rows = &by_doc[&id];
        let growth: Vec<_> = doc_rows
            .iter()
            .filter(|r| r["indicator"] == "gdp_growth")
            .collect();
        assert_eq!(growth.len(), 1, "{id}: {doc_rows:?}");
        let g = growth[0];
        assert_eq!(g["geo_code"], geo, "{id}: the document's geo");
        assert_eq!(
            g["period_label"],
            year.to_string(),
            "{id}: 'năm nay' is the document's published year"
        );
        let expected: f64 = format!("{}.{:02}", 3 + i % 7, i % 100)
            .parse()
            .expect("a number");
        assert_eq!(
            g["value_low"].parse::<f64>().expect("a number"),
            expected,
            "{id}"
        );
        assert!(
            doc_rows
                .iter()
                .any(|r| r["indicator"] == "poverty_rate" && r["geo_code"] == geo),
            "{id}: {doc_rows:?}"
        );
    }
    // Rows come in input order: documents are written in the order of the file.
    let order: Vec<&str> = rows.iter().map(|r| r["source_id"].as_str()).collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted, "bai-NNNN ids are in file order");

    let mentions = read_rows(&two.join("mentions.parquet"));
    assert!(
        mentions
            .iter()
            .all(|m| !m["sentence"].is_empty() && by_doc.contains_key(&m["source_id"]))
    );
    assert_eq!(
        mentions
            .iter()
            .filter(|m| m["source_id"] == "bai-0000" && m["mention_index"] == "0")
            .count(),
        1
    );

    let kv = kv_metadata(&two.join("indicators.parquet"));
    let inputs: serde_json::Value =
        serde_json::from_str(&kv["chiso.inputs"]).expect("inputs are JSON");
    assert_eq!(inputs[0]["source_id"], "news");
    assert_eq!(
        inputs[0]["sha256"].as_str().map(str::len),
        Some(64),
        "the corpus file's hash: {inputs}"
    );

    let run_json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(two.join("run.json")).expect("run.json"))
            .expect("JSON");
    let source = &run_json["sources"][0];
    assert_eq!(source["status"], "partial", "{source}");
    assert_eq!(source["documents"], DOCS + 1);
    assert_eq!(source["documents_failed"], 1);
    let error = source["errors"][0].as_str().expect("the error is listed");
    assert!(
        error.contains("corpus.jsonl at line 9") && error.contains("not a JSON object"),
        "{error}"
    );
    assert_eq!(run_json["rows"]["indicators"], rows.len());
    assert_eq!(
        run_json["source_counts"],
        serde_json::json!({"sources": 1, "ok": 0, "partial": 1, "failed": 0, "duplicate": 0,
                           "listed": 1, "documents": DOCS + 1, "documents_failed": 1,
                           "documents_duplicate": 0, "ids_repeated": 0,
                           "texts_not_remembered": 0, "ids_not_remembered": 0})
    );
    assert!(
        two.join("report.html").exists(),
        "a small corpus still gets its report"
    );

    // sources.parquet: a row per document, in file order, the broken line where it was, then
    // the corpus; every indicator row joins its document's url, date and place.
    let sources = read_rows(&two.join("sources.parquet"));
    assert_eq!(sources.len(), DOCS + 2);
    let broken = &sources[8];
    assert_eq!(
        (broken["kind"].as_str(), broken["status"].as_str()),
        ("document", "failed")
    );
    assert_eq!(broken["source_id"], "news");
    assert!(broken["error"].contains("at line 9"), "{broken:?}");
    let corpus = &sources[DOCS + 1];
    assert_eq!(
        (corpus["kind"].as_str(), corpus["status"].as_str()),
        ("corpus", "partial")
    );
    assert_eq!(
        (
            corpus["documents"].as_str(),
            corpus["documents_failed"].as_str()
        ),
        ("301", "1")
    );
    assert_eq!(
        corpus["sha256"],
        inputs[0]["sha256"].as_str().expect("a hash")
    );
    assert!(corpus["errors"].contains("not a JSON object"), "{corpus:?}");
    let docs: BTreeMap<&str, _> = sources
        .iter()
        .filter(|r| r["kind"] == "document" && r["status"] == "ok")
        .map(|r| (r["source_id"].as_str(), r))
        .collect();
    assert_eq!(docs.len(), DOCS);
    for i in 0..DOCS {
        let (id, geo, year, _) = document(i);
        let d = docs[id.as_str()];
        assert_eq!(d["corpus_id"], "news");
        assert_eq!(d["origin"], format!("https://bao.example.vn/{i}"));
        assert_eq!(d["geo_code"], geo);
        assert_eq!(
            (d["published_start"].as_str(), d["published_end"].as_str()),
            (
                format!("{year}-06-15").as_str(),
                format!("{year}-06-15").as_str()
            )
        );
        assert_eq!(d["rows"], by_doc[&id].len().to_string(), "{id}");
        assert!(d["sha256"].is_empty() && d["format"].is_empty(), "{d:?}");
    }
}

/// A directory of compressed shards, as news corpora are shared: a `.jsonl.gz` of two gzip
/// members and a `.jsonl.zst`, holding the lines of the plain corpus between them. They give the
/// plain corpus's rows, each shard its own source in run.json with its format, and the digest
/// of each file as stored.
#[test]
fn compressed_shards_give_the_rows_of_the_plain_corpus() {
    let dir = temp_dir("corpus-shards");
    write_corpus(&dir);
    let plain = std::fs::read(dir.join("corpus.jsonl")).expect("written");
    // The files split at a line; the gzip members anywhere (here in the middle of a line).
    let cut = cut_after_middle(&plain);
    let gz = [gzip(&plain[..cut / 2]), gzip(&plain[cut / 2..cut])].concat();
    let zst = zstd::encode_all(&plain[cut..], 3).expect("in memory");
    let shards = dir.join("shards");
    std::fs::create_dir_all(&shards).expect("writable");
    std::fs::write(shards.join("part-1.jsonl.gz"), &gz).expect("writable");
    std::fs::write(shards.join("part-2.jsonl.zst"), &zst).expect("writable");
    let pipeline = dir.join("shards.toml");
    std::fs::write(
        &pipeline,
        "version = 1\nname = \"corpus\"\n\n[[sources]]\nid = \"news\"\npath = \"shards\"\n",
    )
    .expect("writable");
    run_corpus(&dir.join("pipeline.toml"), &dir.join("plain"), &[]);
    run_corpus(&pipeline, &dir.join("compressed"), &[]);

    for file in ["indicators.parquet", "mentions.parquet"] {
        let want = read_rows(&dir.join("plain").join(file));
        assert!(!want.is_empty());
        assert!(
            read_rows(&dir.join("compressed").join(file)) == want,
            "{file}: the shards give other rows than the plain corpus"
        );
    }
    let run_json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("compressed/run.json")).expect("run.json"),
    )
    .expect("JSON");
    let sources = run_json["sources"].as_array().expect("sources");
    assert_eq!(sources.len(), 2, "{sources:?}");
    for (source, format, bytes) in [
        (&sources[0], "jsonl.gz", &gz),
        (&sources[1], "jsonl.zst", &zst),
    ] {
        assert_eq!(source["format"], format, "{source}");
        assert_eq!(source["bytes"], bytes.len(), "{source}");
        let sha = sha256_hex(bytes);
        assert_eq!(source["sha256"], sha, "{source}: the file as stored");
    }
    let kv = kv_metadata(&dir.join("compressed/indicators.parquet"));
    let inputs: serde_json::Value =
        serde_json::from_str(&kv["chiso.inputs"]).expect("inputs are JSON");
    let inputs = inputs.as_array().expect("a list");
    assert_eq!(inputs.len(), sources.len(), "{inputs:?}");
    for (input, source) in inputs.iter().zip(sources) {
        assert_eq!(
            input["sha256"], source["sha256"],
            "the footer records {input}"
        );
    }
    assert_eq!(
        sources[0]["documents_failed"], 1,
        "the broken line is in the first shard"
    );
}

/// Files of one source glob, a sixteenth of them to a unit: 600 files are 17 units of 37 files
/// or fewer, judged by the rules on the workers and merged in order.
#[test]
fn rules_over_many_units_give_the_same_results_with_any_thread_count() {
    let dir = temp_dir("corpus-rules");
    std::fs::create_dir_all(dir.join("docs")).expect("writable");
    const FILES: usize = 600;
    for i in 0..FILES {
        // Growth of Lào Cai in 2022: three files disagree with the rest; poverty rates above
        // 100% in every tenth file.
        let growth = if i % 20 == 3 { "12,5" } else { "9,02" };
        let poverty = if i % 10 == 0 { 130 + i } else { 10 + i % 9 };
        let text = format!(
            "Năm 2022, tốc độ tăng trưởng kinh tế (GRDP) của tỉnh Lào Cai đạt {growth}%. \
             Tỷ lệ hộ nghèo năm 2022 của tỉnh Lào Cai còn {poverty}%.\n"
        );
        std::fs::write(dir.join(format!("docs/bai-{i:03}.txt")), text).expect("writable");
    }
    std::fs::write(
        dir.join("rules.toml"),
        r#"version = 1

[[rule]]
id = "percents"
kind = "range"
select = { indicator = "poverty_rate" }
min = 0
max = 100

[[rule]]
id = "growth-2022"
kind = "expect"
select = { indicator = "gdp_growth", geo = "VN-02", year = 2022 }
value = 9.02

[[rule]]
id = "no-contradictions"
kind = "consistent"
select = { indicator = "gdp_growth" }
"#,
    )
    .expect("writable");
    std::fs::write(
        dir.join("pipeline.toml"),
        // Many files say the same on purpose (the rules need every row): every copy is read.
        "version = 1\nname = \"files\"\nduplicates = \"keep\"\n\n[[sources]]\nid = \"bai\"\npath = \"docs/*.txt\"\n\n[validation]\nrules = \"rules.toml\"\n",
    )
    .expect("writable");
    let run = |out: &str, threads: &str| {
        let out = dir.join(out);
        let o = chiso(&[
            "-q",
            "run",
            dir.join("pipeline.toml").to_str().expect("utf-8 path"),
            "--out",
            out.to_str().expect("utf-8 path"),
            "--threads",
            threads,
            "--no-report",
        ]);
        assert_eq!(
            o.status.code(),
            Some(1),
            "rules fail: stdout: {}\nstderr: {}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        out
    };
    let one = run("one", "1");
    let two = run("two", "2");
    assert_eq!(
        std::fs::read(one.join("validation.parquet")).expect("written"),
        std::fs::read(two.join("validation.parquet")).expect("written"),
        "validation.parquet: 1 and 2 threads differ"
    );
    let results = read_rows(&two.join("validation.parquet"));
    let by_id: BTreeMap<&str, _> = results.iter().map(|r| (r["rule_id"].as_str(), r)).collect();
    let percents = by_id["percents"];
    assert_eq!(percents["status"], "fail");
    assert!(
        percents["message"]
            .starts_with("60 of 600 rows lie outside [0, 100]; the farthest states 720"),
        "every unit's rows counted: {}",
        percents["message"]
    );
    let growth = by_id["growth-2022"];
    assert!(
        growth["message"].starts_with("30 of 600 rows differ from 9.02"),
        "{}",
        growth["message"]
    );
    let consistent = by_id["no-contradictions"];
    assert!(
        consistent["message"].starts_with("1 of 1 repeated statement disagree")
            && consistent["message"].contains("is stated from 9.02 to 12.5"),
        "statements from different units compared: {}",
        consistent["message"]
    );
}

/// More documents than `unique` and `consistent` hold in memory (16 384 keys or listed rows): a
/// `unique` rule over every document moves its keys to a temporary file and still judges them
/// all; when that file cannot be written, the rule's result is an error naming the directory,
/// and the run judges the other rules and writes everything else.
#[test]
fn a_unique_rule_over_a_large_corpus_spills_and_a_missing_tmpdir_is_an_error_result() {
    const MANY: usize = 17_000;
    let dir = temp_dir("corpus-spill");
    let mut lines = String::new();
    for i in 0..MANY {
        let text = format!(
            "Tỷ lệ hộ nghèo năm 2022 giảm còn {},{}%.",
            1 + i % 40,
            i % 10
        );
        let line = serde_json::json!({ "id": format!("doc-{i:05}"), "geo": "VN-02", "text": text });
        lines.push_str(&line.to_string());
        lines.push('\n');
    }
    std::fs::write(dir.join("corpus.jsonl"), lines).expect("writable");
    std::fs::write(
        dir.join("rules.toml"),
        "version = 1\n[[rule]]\nid = \"one-row-per-document\"\nkind = \"unique\"\nseverity = \"warn\"\ncolumns = [\"source_id\"]\n\
         [[rule]]\nid = \"rates-below-30\"\nkind = \"range\"\nseverity = \"warn\"\nmax = 30\n",
    )
    .expect("writable");
    std::fs::write(
        dir.join("pipeline.toml"),
        // 400 texts for 17 000 documents on purpose (the rule needs every row): every copy is
        // read.
        "version = 1\nname = \"spill\"\nduplicates = \"keep\"\n\n[[sources]]\nid = \"news\"\npath = \"corpus.jsonl\"\n\n[validation]\nrules = \"rules.toml\"\n",
    )
    .expect("writable");
    let run = |out: &str, tmp: &Path| {
        let out = dir.join(out);
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_chiso"))
            .args(["-q", "run", "pipeline.toml", "--no-report", "--out"])
            .arg(&out)
            .current_dir(&dir)
            .env("TMPDIR", tmp)
            .output()
            .expect("chiso runs");
        assert!(
            o.status.success(),
            "stderr: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let results = read_rows(&out.join("validation.parquet"));
        assert_eq!(read_rows(&out.join("indicators.parquet")).len(), MANY);
        results
    };
    let results = run("out", &std::env::temp_dir());
    assert_eq!(results[0]["status"], "pass", "{}", results[0]["message"]);
    assert!(
        results[0]["message"].contains("is unique over 17000 rows"),
        "{}",
        results[0]["message"]
    );
    // A row-wise rule, which never spills: the rates above 30, counted plainly.
    let above = (0..MANY)
        .filter(|i| (1 + i % 40) as f64 + (i % 10) as f64 / 10.0 > 30.0)
        .count();
    assert_eq!(results[1]["status"], "fail");
    assert!(
        results[1]["message"].starts_with(&format!("{above} of {MANY} rows lie outside <= 30")),
        "{}",
        results[1]["message"]
    );

    // The rule that spills fails to; the other is judged as before.
    let missing = dir.join("no-such-dir");
    let without = run("no-tmp", &missing);
    assert_eq!(without[0]["status"], "error", "{}", without[0]["message"]);
    assert!(
        without[0]["message"].contains(&format!(
            "cannot move keys to a temporary file in {}",
            missing.display()
        )),
        "{}",
        without[0]["message"]
    );
    assert_eq!(without[1], results[1]);
}

/// `--no-mentions`: the same indicator rows and rule results without mentions.parquet (a rule
/// reading mentions still sees them), an earlier run's file removed, and the data package and
/// run.json say so.
#[test]
fn no_mentions_writes_the_same_indicators_and_results_without_the_mentions_file() {
    let dir = temp_dir("corpus-no-mentions");
    write_corpus(&dir);
    std::fs::write(
        dir.join("rules.toml"),
        r#"version = 1

[[rule]]
id = "visitors-counted"
kind = "sum"
severity = "warn"
parts = { from = "mentions", kind = "count", counted_noun = "lượt khách" }
whole = { from = "mentions", kind = "count", counted_noun = "lượt khách", pick = "max" }

[[rule]]
id = "growth-in-range"
kind = "range"
select = { indicator = "gdp_growth" }
min = 0
max = 20
"#,
    )
    .expect("writable");
    let pipeline = dir.join("pipeline.toml");
    let text = std::fs::read_to_string(&pipeline).expect("written");
    std::fs::write(
        &pipeline,
        format!("{text}\n[validation]\nrules = \"rules.toml\"\n"),
    )
    .expect("writable");
    let run = |out: &Path, extra: &[&str]| {
        run_corpus(&pipeline, out, &[&["--no-report"], extra].concat());
    };
    let all = dir.join("all");
    run(&all, &[]);
    // Into a directory that holds an earlier run's mentions.parquet.
    let lean = dir.join("lean");
    run(&lean, &[]);
    assert!(lean.join("mentions.parquet").exists());
    // And the temporary file of a killed run writing it (no process has this id).
    let stale = lean.join(".mentions.parquet.tmp-999999999");
    std::fs::write(&stale, b"half a file").expect("writable");
    run(&lean, &["--no-mentions"]);

    assert!(
        !lean.join("mentions.parquet").exists(),
        "the earlier run's mentions.parquet is removed"
    );
    assert!(!stale.exists(), "a killed run's temporary file is removed");
    let inspect = chiso(&["inspect", lean.to_str().expect("utf-8 path")]);
    let text = String::from_utf8_lossy(&inspect.stdout);
    assert!(inspect.status.success(), "{text}");
    assert!(
        text.contains("mentions.parquet: not written by this run"),
        "{text}"
    );
    for file in ["indicators.parquet", "validation.parquet"] {
        assert_eq!(
            std::fs::read(all.join(file)).expect("written"),
            std::fs::read(lean.join(file)).expect("written"),
            "{file} differs with --no-mentions"
        );
    }
    let results = read_rows(&lean.join("validation.parquet"));
    let visitors = results
        .iter()
        .find(|r| r["rule_id"] == "visitors-counted")
        .expect("the mentions rule has a result");
    // One group of every document's count: the largest is not the sum of the others.
    assert_eq!(visitors["status"], "fail", "{visitors:?}");

    let json = |path: &Path| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(path).expect("written")).expect("JSON")
    };
    let names = |package: &serde_json::Value| -> Vec<String> {
        package["resources"]
            .as_array()
            .expect("resources")
            .iter()
            .map(|r| r["name"].as_str().expect("a name").to_owned())
            .collect()
    };
    assert_eq!(
        names(&json(&all.join("datapackage.json"))),
        ["indicators", "mentions", "validation", "sources"]
    );
    assert_eq!(
        names(&json(&lean.join("datapackage.json"))),
        ["indicators", "validation", "sources"]
    );
    let run_json = json(&lean.join("run.json"));
    assert!(run_json["files"]["mentions"].is_null(), "{run_json}");
    assert!(run_json["rows"]["mentions"].is_null(), "{run_json}");
    assert!(json(&all.join("run.json"))["rows"]["mentions"].as_u64() > Some(DOCS as u64));
}

/// Serves each `(path, body)` of `routes` (the query aside) from a thread on 127.0.0.1, with an
/// ETag: a request that sends it back gets 304; any other path is a 404. Records the answers'
/// statuses in order. Lives until the test process ends.
fn serve(
    routes: Vec<(&'static str, Vec<u8>)>,
) -> (String, std::sync::Arc<std::sync::Mutex<Vec<u16>>>) {
    use std::io::{BufRead as _, BufReader, Write as _};
    const ETAG: &str = "\"corpus-v1\"";
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free local port");
    let base = format!("http://{}", listener.local_addr().expect("bound"));
    let answers = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = std::sync::Arc::clone(&answers);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().expect("a socket clones"));
            let mut revalidated = false;
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            let target = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
            let path = target.split('?').next().unwrap_or("/");
            let body = routes.iter().find(|(p, _)| *p == path).map(|(_, b)| b);
            line.clear();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                let lower = line.to_ascii_lowercase();
                revalidated |= lower.starts_with("if-none-match:") && line.contains(ETAG);
                line.clear();
            }
            let (status, reason, payload): (u16, &str, &[u8]) = match body {
                None => (404, "Not Found", b"no such corpus"),
                Some(_) if revalidated => (304, "Not Modified", b""),
                Some(body) => (200, "OK", body),
            };
            let head = format!(
                "HTTP/1.1 {status} {reason}\r\nETag: {ETAG}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                payload.len()
            );
            let _ = stream
                .write_all(head.as_bytes())
                .and_then(|()| stream.write_all(payload));
            seen.lock().expect("no panic holding the lock").push(status);
        }
    });
    (base, answers)
}

/// A corpus at a URL (gzip-compressed JSON lines, a query string after the file name) is
/// downloaded through the cache and gives the rows of the same corpus read from disk; run.json
/// records the fetch; a second run revalidates (304) and an offline run reads the cache, both
/// writing the same bytes.
#[test]
fn a_corpus_at_a_url_gives_the_rows_of_the_local_file_and_is_cached() {
    let dir = temp_dir("corpus-url");
    write_corpus(&dir);
    let plain = std::fs::read(dir.join("corpus.jsonl")).expect("written");
    let gz = gzip(&plain);
    let (base, answers) = serve(vec![("/exports/corpus.jsonl.gz", gz.clone())]);
    let url = format!("{base}/exports/corpus.jsonl.gz?download=1");
    let pipeline = dir.join("url.toml");
    std::fs::write(
        &pipeline,
        format!("version = 1\nname = \"corpus\"\n\n[[sources]]\nid = \"news\"\nurl = \"{url}\"\n"),
    )
    .expect("writable");
    let cache = dir.join("cache");
    let cache_arg = cache.to_str().expect("utf-8");
    run_corpus(&dir.join("pipeline.toml"), &dir.join("plain"), &[]);
    run_corpus(&pipeline, &dir.join("url"), &["--cache", cache_arg]);
    for file in ["indicators.parquet", "mentions.parquet"] {
        let want = read_rows(&dir.join("plain").join(file));
        assert!(!want.is_empty());
        assert!(
            read_rows(&dir.join("url").join(file)) == want,
            "{file}: the corpus at a URL gives other rows than the local file"
        );
    }
    let source = |out: &str| -> serde_json::Value {
        let text = std::fs::read_to_string(dir.join(out).join("run.json")).expect("run.json");
        let run: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        run["sources"][0].clone()
    };
    let first = source("url");
    let sha = sha256_hex(&gz);
    assert_eq!(first["origin"], url.as_str(), "{first}");
    assert_eq!(first["format"], "jsonl.gz", "{first}");
    assert_eq!(
        (&first["sha256"], &first["bytes"]),
        (&sha.clone().into(), &gz.len().into())
    );
    assert_eq!(
        (&first["documents"], &first["documents_failed"]),
        (&301.into(), &1.into())
    );
    assert!(
        first["errors"][0]
            .as_str()
            .is_some_and(|e| e.contains(&url) && e.contains("line 9")),
        "a line's error names the URL, not the cached copy: {first}"
    );
    assert_eq!(first["fetch"]["status"], 200, "{first}");
    assert_eq!(first["fetch"]["from_cache"], false, "{first}");
    assert_eq!(first["fetch"]["sha256"], sha.as_str(), "{first}");
    let bodies: Vec<String> = std::fs::read_dir(cache.join("bodies"))
        .expect("the cache holds the body")
        .map(|e| {
            e.expect("listable")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(
        bodies,
        std::slice::from_ref(&sha),
        "the body alone, no download left over"
    );

    run_corpus(&pipeline, &dir.join("again"), &["--cache", cache_arg]);
    assert_eq!(source("again")["fetch"]["status"], 304);
    assert_eq!(source("again")["fetch"]["from_cache"], true);
    run_corpus(
        &pipeline,
        &dir.join("offline"),
        &["--cache", cache_arg, "--offline"],
    );
    assert_eq!(source("offline")["fetch"]["from_cache"], true);
    // sources.parquet records the fetches as run.json does, in columns.
    let fetches: Vec<_> = ["url", "again", "offline"]
        .iter()
        .map(|out| {
            let rows = read_rows(&dir.join(out).join("sources.parquet"));
            let corpus = rows.last().expect("the corpus row").clone();
            let get = |c: &str| corpus[c].clone();
            (
                get("fetch_status"),
                get("fetch_from_cache"),
                get("fetch_url"),
                get("fetch_sha256"),
            )
        })
        .collect();
    assert_eq!(
        fetches[0],
        ("200".into(), "false".into(), url.clone(), sha.clone())
    );
    assert_eq!(
        fetches[1],
        ("304".into(), "true".into(), url.clone(), sha.clone())
    );
    assert_eq!(
        fetches[2],
        (String::new(), "true".into(), url.clone(), sha.clone())
    );
    for out in ["again", "offline"] {
        for file in ["indicators.parquet", "mentions.parquet"] {
            assert!(
                std::fs::read(dir.join(out).join(file)).ok()
                    == std::fs::read(dir.join("url").join(file)).ok(),
                "{out}/{file}: not the first run's bytes"
            );
        }
    }
    assert_eq!(
        *answers.lock().expect("no panic holding the lock"),
        [200, 304],
        "one download, one revalidation, nothing offline"
    );
}

/// Shards at URLs are fetched one ahead of the reading and read in the order of the pipeline: a
/// gzip and a zstd shard give the rows of the whole corpus read from disk; a missing shard
/// between them fails alone, and so does a "Parquet" URL that serves a page, with its fetch
/// recorded.
#[test]
fn shards_at_urls_give_the_rows_of_the_whole_corpus_and_a_missing_one_fails_alone() {
    let dir = temp_dir("corpus-url-shards");
    write_corpus(&dir);
    let plain = std::fs::read(dir.join("corpus.jsonl")).expect("written");
    let cut = cut_after_middle(&plain);
    let gz = gzip(&plain[..cut]);
    let zst = zstd::encode_all(&plain[cut..], 3).expect("in memory");
    let (base, answers) = serve(vec![
        ("/part-1.jsonl.gz", gz),
        ("/part-3.jsonl.zst", zst),
        ("/login.parquet", b"<html>Please log in</html>".to_vec()),
    ]);
    let mut toml = "version = 1\nname = \"corpus\"\n".to_owned();
    for (id, file) in [
        ("p1", "part-1.jsonl.gz"),
        ("p2", "part-2.jsonl.gz"),
        ("p3", "part-3.jsonl.zst"),
        ("p4", "login.parquet"),
    ] {
        toml.push_str(&format!(
            "\n[[sources]]\nid = \"{id}\"\nurl = \"{base}/{file}\"\n"
        ));
    }
    std::fs::write(dir.join("shards.toml"), toml).expect("writable");
    let cache = dir.join("cache");
    run_corpus(&dir.join("pipeline.toml"), &dir.join("plain"), &[]);
    run_corpus(
        &dir.join("shards.toml"),
        &dir.join("shards"),
        &["--cache", cache.to_str().expect("utf-8")],
    );
    for file in ["indicators.parquet", "mentions.parquet"] {
        let want = read_rows(&dir.join("plain").join(file));
        assert!(
            read_rows(&dir.join("shards").join(file)) == want,
            "{file}: the shards at URLs give other rows than the local file"
        );
    }
    let text = std::fs::read_to_string(dir.join("shards/run.json")).expect("run.json");
    let run: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let statuses: Vec<&str> = (0..4)
        .map(|i| run["sources"][i]["status"].as_str().expect("a status"))
        .collect();
    assert_eq!(statuses, ["partial", "failed", "ok", "failed"], "{text}");
    let page = &run["sources"][3];
    assert_eq!(page["fetch"]["status"], 200, "{page}");
    assert!(
        page["error"]
            .as_str()
            .is_some_and(|e| e.contains("login.parquet")),
        "{page}"
    );
    let error = run["sources"][1]["error"].as_str().expect("an error");
    assert!(
        error.contains("source p2") && error.contains("part-2.jsonl.gz") && error.contains("404"),
        "{error}"
    );
    assert_eq!(
        *answers.lock().expect("no panic holding the lock"),
        [200, 404, 200, 200]
    );
}

/// A corpus whose fields have other names (`content`, `article_id`, `date`, `province`, as
/// crawls export them) is read with `[sources.corpus]`; without it every line is an error that
/// says how to name the text field.
#[test]
fn corpus_fields_with_other_names_are_read_with_sources_corpus() {
    let dir = temp_dir("corpus-fields");
    let mut lines = String::new();
    for i in 0..DOCS {
        let (id, geo, year, text) = document(i);
        let line = serde_json::json!({ "article_id": id, "province": geo, "date": format!("{year}-06-15"), "link": format!("https://bao.example.vn/{i}"), "content": text });
        lines.push_str(&line.to_string());
        lines.push('\n');
    }
    std::fs::write(dir.join("export.jsonl"), lines).expect("writable");
    write_corpus(&dir);
    std::fs::write(
        dir.join("renamed.toml"),
        "version = 1\nname = \"corpus\"\n\n[[sources]]\nid = \"news\"\npath = \"export.jsonl\"\n\n\
         [sources.corpus]\ntext = \"content\"\nid = \"article_id\"\nurl = \"link\"\npublished = \"date\"\ngeo = \"province\"\n",
    )
    .expect("writable");
    std::fs::write(
        dir.join("unnamed.toml"),
        "version = 1\nname = \"corpus\"\n\n[[sources]]\nid = \"news\"\npath = \"export.jsonl\"\n",
    )
    .expect("writable");
    run_corpus(&dir.join("pipeline.toml"), &dir.join("plain"), &[]);
    run_pipeline(&dir.join("renamed.toml"), &dir.join("renamed"), &[], 0);
    for file in ["indicators.parquet", "mentions.parquet"] {
        let want = read_rows(&dir.join("plain").join(file));
        assert!(!want.is_empty());
        assert!(
            read_rows(&dir.join("renamed").join(file)) == want,
            "{file}: the renamed fields give other rows than the default names"
        );
    }
    run_pipeline(&dir.join("unnamed.toml"), &dir.join("unnamed"), &[], 3);
    let text = std::fs::read_to_string(dir.join("unnamed/run.json")).expect("run.json");
    let run: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let source = &run["sources"][0];
    assert_eq!(source["documents_failed"], DOCS, "{source}");
    assert!(
        source["errors"][0]
            .as_str()
            .is_some_and(|e| e.contains("line 1") && e.contains("[sources.corpus] text =")),
        "{source}"
    );
}

/// A directory of more files than the footers list one by one: sources.parquet lists every
/// file, in order, with its hash, and run.json the first thousand; the footers give each
/// pipeline source one entry, with the number of its inputs and the SHA-256 of their
/// `<source id> <sha256>` lines in that order.
#[test]
fn a_tree_of_many_files_is_one_footer_entry_per_pipeline_source() {
    let dir = temp_dir("many-files");
    let news = dir.join("news");
    let files = chiso_load::MAX_LISTED_INPUTS + 1;
    for i in 0..files {
        let sub = news.join(format!("{:02}", i / 100));
        std::fs::create_dir_all(&sub).expect("writable");
        let text = format!("Tỷ lệ hộ nghèo của mẫu {i} còn {},{}%.\n", i % 40, i % 10);
        std::fs::write(sub.join(format!("{i:04}.txt")), text).expect("writable");
    }
    std::fs::write(dir.join("extra.txt"), "GRDP năm 2022 tăng 9,02%.\n").expect("writable");
    let pipeline = dir.join("pipeline.toml");
    std::fs::write(
        &pipeline,
        "version = 1\nname = \"many\"\n\n[[sources]]\nid = \"news\"\npath = \"news\"\n\n\
         [[sources]]\nid = \"extra\"\npath = \"extra.txt\"\n",
    )
    .expect("writable");
    let out = dir.join("out");
    run_pipeline(&pipeline, &out, &["--no-report"], 0);

    let run_json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).expect("run.json"))
            .expect("JSON");
    // run.json lists the first thousand and counts them all; sources.parquet has every one.
    let listed = run_json["sources"].as_array().expect("a list");
    assert_eq!(listed.len(), 1000);
    assert_eq!(run_json["source_counts"]["sources"], files + 1);
    assert_eq!(run_json["source_counts"]["listed"], 1000);
    let sources = read_rows(&out.join("sources.parquet"));
    assert_eq!(sources.len(), files + 1);
    let mut lines: BTreeMap<&str, String> = BTreeMap::new();
    for s in &sources {
        let id = s["source_id"].as_str();
        let declared = if id == "extra" { "extra" } else { "news" };
        lines
            .entry(declared)
            .or_default()
            .push_str(&format!("{id} {}\n", s["sha256"]));
    }
    assert!(sources[0]["source_id"].starts_with("news--00--0000"));
    assert_eq!(
        listed[0]["id"].as_str(),
        Some(sources[0]["source_id"].as_str())
    );
    let want = serde_json::json!([
        {"source_id": "news", "inputs": files, "sha256": sha256_hex(lines["news"].as_bytes())},
        {"source_id": "extra", "inputs": 1, "sha256": sha256_hex(lines["extra"].as_bytes())},
    ]);
    for file in [
        "indicators.parquet",
        "mentions.parquet",
        "validation.parquet",
        "sources.parquet",
    ] {
        let kv = kv_metadata(&out.join(file));
        let inputs: serde_json::Value =
            serde_json::from_str(&kv["chiso.inputs"]).expect("inputs are JSON");
        assert_eq!(inputs, want, "{file}");
    }
    assert_eq!(
        read_rows(&out.join("indicators.parquet"))
            .iter()
            .filter(|r| r["indicator"] == "poverty_rate")
            .count(),
        files
    );

    // The log: one line for the directory's files, one for the file of its own.
    let logged = chiso(&[
        "run",
        pipeline.to_str().expect("utf-8"),
        "--out",
        dir.join("out-logged").to_str().expect("utf-8"),
        "--no-report",
        "--log-format",
        "json",
    ]);
    assert_eq!(logged.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&logged.stderr);
    let lines: Vec<serde_json::Value> = stderr
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let message = |l: &serde_json::Value| l["fields"]["message"].as_str().unwrap_or("").to_owned();
    let read: Vec<&serde_json::Value> = lines
        .iter()
        .filter(|l| matches!(message(l).as_str(), "source read" | "files read"))
        .collect();
    assert_eq!(read.len(), 2, "{stderr}");
    assert_eq!(message(read[0]), "files read");
    assert_eq!(read[0]["fields"]["source_id"], "news");
    assert_eq!(read[0]["fields"]["files"], files);
    assert_eq!(read[0]["fields"]["failed"], 0);
    assert_eq!(read[1]["fields"]["source_id"], "extra");
}

/// A pipeline run from its own directory with a glob of bare names (`*.txt`: its literal base
/// is empty, the working directory) reads the files; a directory of more than 100 files logs its
/// one "files read" line before the corpus that follows it logs anything.
#[test]
fn a_bare_glob_and_the_log_of_a_directory_before_a_corpus() {
    let dir = temp_dir("bare-glob");
    let news = dir.join("news");
    write_poverty_files(&news, 101);
    std::fs::write(dir.join("a.txt"), "GRDP năm 2022 tăng 9,02%.\n").expect("writable");
    std::fs::write(
        dir.join("tin.jsonl"),
        "{\"id\": \"t1\", \"text\": \"Tỷ lệ hộ nghèo còn 19,3%.\"}\n{\"id\": \"t2\"}\n",
    )
    .expect("writable");
    std::fs::write(
        dir.join("pipeline.toml"),
        "version = 1\nname = \"bare\"\n\n[[sources]]\nid = \"bare\"\npath = \"*.txt\"\n\n\
         [[sources]]\nid = \"news\"\npath = \"news\"\n\n\
         [[sources]]\nid = \"tin\"\npath = \"tin.jsonl\"\n",
    )
    .expect("writable");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_chiso"))
        .args([
            "run",
            "pipeline.toml",
            "--out",
            "out",
            "--no-report",
            "--log-format",
            "json",
        ])
        .current_dir(&dir)
        .output()
        .expect("the chiso binary runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(3),
        "one corpus line has no text:\n{stderr}"
    );
    let message = |l: &serde_json::Value| l["fields"]["message"].as_str().unwrap_or("").to_owned();
    let logged: Vec<(String, String)> = stderr
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|l| {
            matches!(
                message(l).as_str(),
                "source read" | "files read" | "corpus read" | "document could not be read"
            )
        })
        .map(|l| {
            (
                message(&l),
                l["fields"]["source_id"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    let want = [
        ("source read", "bare--a.txt"),
        ("files read", "news"),
        ("document could not be read", "tin"),
        ("corpus read", "tin"),
    ];
    assert_eq!(
        logged,
        want.map(|(m, s)| (m.to_owned(), s.to_owned())),
        "{stderr}"
    );
}

/// A corpus document that cannot be read has a row of sources.parquet of its own, with its
/// corpus's id and `<origin>:<line>`, as a document without a url has. The documents read have
/// theirs, the corpus its own. A place chiso does not know or a date it cannot read is a
/// warning of the document, which is read without it rather than lost. A document's place
/// written by its name is kept as its code.
#[test]
fn each_corpus_document_read_or_not_has_its_row_in_sources_parquet() {
    let dir = temp_dir("corpus-sources");
    let lines = [
        r#"{"id": "a", "url": "https://bao.example.vn/a", "geo": "Lào Cai", "text": "Tỷ lệ hộ nghèo còn 3,1%."}"#,
        r#"{"id": "b", "url": "https://bao.example.vn/b", "geo": "VN-99", "text": "Tỷ lệ hộ nghèo còn 4,2%."}"#,
        r#"{"id": "c", "text": "#,
        r#"{"text": "GRDP năm 2022 tăng 9,02%.", "published": "2023"}"#,
        r#"{"id": "d", "url": "https://bao.example.vn/d", "published": "hôm qua", "text": "Tỷ lệ hộ nghèo còn 2%."}"#,
    ];
    std::fs::write(dir.join("c.jsonl"), lines.join("\n") + "\n").expect("writable");
    std::fs::write(
        dir.join("pipeline.toml"),
        "version = 1\nname = \"c\"\n\n[[sources]]\nid = \"news\"\npath = \"c.jsonl\"\n",
    )
    .expect("writable");
    let out = dir.join("out");
    run_pipeline(&dir.join("pipeline.toml"), &out, &[], 3);
    let rows = read_rows(&out.join("sources.parquet"));
    let got: Vec<[&str; 5]> = rows
        .iter()
        .map(|r| {
            [
                r["source_id"].as_str(),
                r["kind"].as_str(),
                r["status"].as_str(),
                r["corpus_id"].as_str(),
                r["published_start"].as_str(),
            ]
        })
        .collect();
    assert_eq!(
        got,
        [
            ["a", "document", "ok", "news", ""],
            ["b", "document", "ok", "news", ""],
            ["news", "document", "failed", "news", ""],
            ["news-4", "document", "ok", "news", "2023-01-01"],
            ["d", "document", "ok", "news", ""],
            ["news", "corpus", "partial", "", ""],
        ]
    );
    assert_eq!(rows[1]["origin"], "https://bao.example.vn/b");
    assert!(
        rows[1]["warnings"].contains("geo \"VN-99\" is not a place chiso knows")
            && rows[1]["warnings"].contains("read with no place"),
        "{:?}",
        rows[1]
    );
    assert_eq!(
        (rows[1]["geo_code"].as_str(), rows[1]["rows"].as_str()),
        ("", "1")
    );
    assert!(rows[2]["origin"].ends_with("c.jsonl:3"), "{:?}", rows[2]);
    assert!(rows[3]["origin"].ends_with("c.jsonl:4"), "{:?}", rows[3]);
    assert!(rows[2]["error"].contains("line 3"), "{:?}", rows[2]);
    // A record read but for a date chiso cannot read keeps its id, url and text.
    assert_eq!(rows[4]["origin"], "https://bao.example.vn/d");
    assert!(
        rows[4]["warnings"].contains("line 5: published \"hôm qua\"")
            && rows[4]["warnings"].contains("read with no date"),
        "{:?}",
        rows[4]
    );
    assert_eq!(rows[4]["rows"], "1");
    assert_eq!(rows[0]["rows"], "1");
    // A place written by its name is kept as its code.
    assert_eq!(rows[0]["geo_code"], "VN-02");
    assert_eq!(rows[5]["documents_failed"], "1");
}

/// A corpus none of whose documents can be read is `failed`, with the first error; one that
/// lost some is `partial`; the summary and `chiso inspect` count them apart.
#[test]
fn a_corpus_with_no_document_read_is_failed_and_one_that_lost_some_partial() {
    let dir = temp_dir("corpus-failed-partial");
    std::fs::write(dir.join("bad.jsonl"), "not json\n{\"text\": \n").expect("writable");
    std::fs::write(
        dir.join("some.jsonl"),
        "{\"id\": \"a\", \"text\": \"Tỷ lệ hộ nghèo còn 3,1%.\"}\nnot json\n",
    )
    .expect("writable");
    std::fs::write(
        dir.join("pipeline.toml"),
        "version = 1\nname = \"fp\"\n\n[[sources]]\nid = \"bad\"\npath = \"bad.jsonl\"\n\n[[sources]]\nid = \"some\"\npath = \"some.jsonl\"\n",
    )
    .expect("writable");
    let out = dir.join("out");
    let o = run_pipeline(&dir.join("pipeline.toml"), &out, &["--no-report"], 3);
    let summary = String::from_utf8_lossy(&o.stdout);
    assert!(
        summary.contains("2 sources (1 failed, 1 partial)"),
        "{summary}"
    );
    let rows = read_rows(&out.join("sources.parquet"));
    let corpora: Vec<&crate::util::Row> = rows.iter().filter(|r| r["kind"] == "corpus").collect();
    assert_eq!(corpora[0]["source_id"], "bad");
    assert_eq!(corpora[0]["status"], "failed");
    assert!(
        corpora[0]["error"].starts_with("none of its 2 documents could be read; the first: ")
            && corpora[0]["error"].contains("bad.jsonl at line 1"),
        "{:?}",
        corpora[0]
    );
    assert_eq!(corpora[1]["status"], "partial");
    let inspected = chiso(&["inspect", out.to_str().expect("utf-8")]);
    let text = String::from_utf8_lossy(&inspected.stdout);
    assert!(
        text.contains("  sources (2, 1 failed, 1 partial)"),
        "{text}"
    );
}

/// A field named in `[sources.corpus]` that none of the documents has (a misspelt name) is a
/// warning of the corpus, in run.json and the log; fields that are there, or left at their
/// default names, are not.
#[test]
fn a_corpus_field_named_but_in_no_document_is_a_warning() {
    let dir = temp_dir("corpus-unseen-field");
    std::fs::write(
        dir.join("c.jsonl"),
        "{\"article_id\": \"a\", \"link\": \"https://bao.example.vn/a\", \"text\": \"Tỷ lệ hộ nghèo còn 3,1%.\"}\n",
    )
    .expect("writable");
    std::fs::write(
        dir.join("pipeline.toml"),
        "version = 1\nname = \"unseen\"\n\n[[sources]]\nid = \"c\"\npath = \"c.jsonl\"\n\
         [sources.corpus]\nid = \"article_id\"\nurl = \"lnk\"\npublished = \"date\"\n",
    )
    .expect("writable");
    let out = dir.join("out");
    let o = run_pipeline_logged(&dir.join("pipeline.toml"), &out, &["--no-report"], 0);
    let run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).expect("run.json"))
            .expect("JSON");
    let warnings: Vec<&str> = run["sources"][0]["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter_map(|w| w.as_str())
        .collect();
    assert_eq!(
        warnings,
        [
            "[sources.corpus] url = \"lnk\": none of its 1 documents has that field; check its name",
            "[sources.corpus] published = \"date\": none of its 1 documents has that field; check its name",
        ]
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("url = \"lnk\": none of its 1 documents"),
        "logged: {stderr}"
    );
}
