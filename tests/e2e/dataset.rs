//! Many pipelines, one Hive-partitioned dataset (`chiso run A B --dataset DIR`), and what a run
//! killed at any moment leaves behind.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::util::{copy_lao_cai, read_rows, temp_dir};

/// A fresh directory of this test process: the e2e suite may run twice at once on a shared
/// target/ (two engineers, two checkouts of CI), and a kill test must not see another run's files.
fn scratch(name: &str) -> PathBuf {
    temp_dir(&format!("{name}-{}", std::process::id()))
}

/// Runs `chiso` with `args` from `dir`, so that default output directories land there.
fn chiso_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chiso"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the chiso binary built by cargo test runs")
}

fn text(p: &Path) -> &str {
    p.to_str().expect("test paths are UTF-8")
}

fn report(res: &Output) -> String {
    format!(
        "status {:?}\nstdout: {}\nstderr: {}",
        res.status.code(),
        String::from_utf8_lossy(&res.stdout),
        String::from_utf8_lossy(&res.stderr)
    )
}

/// A copy of lao-cai under `dir` named `name`, without its rules, and without the poverty
/// sentence when `poverty` is false (then it yields gdp_growth rows only).
fn variant(dir: &Path, name: &str, poverty: bool) -> PathBuf {
    let pipeline = copy_lao_cai(dir);
    let toml = std::fs::read_to_string(&pipeline).expect("pipeline");
    let toml = toml.replace("name = \"lao-cai\"", &format!("name = \"{name}\""));
    let toml = toml
        .split("[validation]")
        .next()
        .expect("split gives a first part")
        .to_owned();
    std::fs::write(&pipeline, toml).expect("writable");
    if !poverty {
        let source = dir.join("sources/lao-cai-interview.txt");
        drop_poverty_sentence(&source);
    }
    pipeline
}

/// Removes the line stating the poverty rate (and the poverty reduction) from a source.
fn drop_poverty_sentence(source: &Path) {
    let text = std::fs::read_to_string(source).expect("source");
    let kept: Vec<&str> = text.lines().filter(|l| !l.contains("hộ nghèo")).collect();
    assert!(
        kept.len() < text.lines().count(),
        "the source states the poverty rate"
    );
    std::fs::write(source, kept.join("\n")).expect("writable");
}

/// `(indicator, pipeline)` of every data file under the dataset, and each file's row count.
fn dataset_listing(ds: &Path) -> BTreeMap<(String, String), usize> {
    let mut out = BTreeMap::new();
    for part in std::fs::read_dir(ds).expect("dataset dir") {
        let part = part.expect("entry").path();
        let Some(indicator) = part
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_prefix("indicator="))
            .map(str::to_owned)
        else {
            continue;
        };
        for f in std::fs::read_dir(&part).expect("partition") {
            let f = f.expect("entry").path();
            let name = f
                .file_name()
                .and_then(|n| n.to_str())
                .expect("UTF-8 name")
                .to_owned();
            let pipeline = name
                .strip_suffix(".parquet")
                .unwrap_or_else(|| panic!("only Parquet files in a partition: {}", f.display()));
            let rows = read_rows(&f);
            assert!(
                rows.iter().all(|r| !r.contains_key("indicator")),
                "{}: the partition column is not stored in the file",
                f.display()
            );
            out.insert((indicator.clone(), pipeline.to_owned()), rows.len());
        }
    }
    out
}

/// Rows per indicator of an output directory's indicators.parquet.
fn per_indicator(out: &Path) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for r in read_rows(&out.join("indicators.parquet")) {
        *m.entry(r["indicator"].clone()).or_default() += 1;
    }
    m
}

#[test]
fn two_pipelines_share_one_dataset_and_a_rerun_replaces_only_its_own_rows() {
    let root = scratch("dataset-two");
    let a = variant(&root.join("a"), "alpha", true);
    let b = variant(&root.join("b"), "beta", true);
    let ds = root.join("dataset");
    let res = chiso_in(
        &root,
        &["-q", "run", text(&a), text(&b), "--dataset", text(&ds)],
    );
    assert_eq!(res.status.code(), Some(0), "{}", report(&res));
    for name in ["alpha", "beta"] {
        for f in [
            "indicators.parquet",
            "mentions.parquet",
            "validation.parquet",
            "run.json",
        ] {
            assert!(
                root.join("output").join(name).join(f).is_file(),
                "each pipeline keeps its output dir: {name}/{f}"
            );
        }
    }
    let alpha = per_indicator(&root.join("output/alpha"));
    assert!(
        alpha.len() >= 3 && alpha.contains_key("poverty_rate"),
        "{alpha:?}"
    );
    let mut want = BTreeMap::new();
    for (pipeline, counts) in [
        ("alpha", &alpha),
        ("beta", &per_indicator(&root.join("output/beta"))),
    ] {
        for (indicator, n) in counts {
            want.insert((indicator.clone(), pipeline.to_owned()), *n);
        }
    }
    assert_eq!(
        dataset_listing(&ds),
        want,
        "one file per (indicator, pipeline) with that pipeline's rows"
    );
    let run: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("output/alpha/run.json")).expect("run.json"),
    )
    .expect("json");
    assert_eq!(
        run["dataset"]["files"].as_array().map(Vec::len),
        Some(alpha.len()),
        "{}",
        run["dataset"]
    );

    // Rerunning alpha gives the same bytes and no second copy of any row.
    let before =
        std::fs::read(ds.join("indicator=gdp_growth/alpha.parquet")).expect("alpha's file");
    let res = chiso_in(&root, &["-q", "run", text(&a), "--dataset", text(&ds)]);
    assert_eq!(res.status.code(), Some(0), "{}", report(&res));
    assert_eq!(
        std::fs::read(ds.join("indicator=gdp_growth/alpha.parquet")).expect("alpha's file"),
        before
    );
    assert_eq!(dataset_listing(&ds), want);

    // Beta loses its poverty sentence: its poverty files go, alpha's stay.
    drop_poverty_sentence(&root.join("b/sources/lao-cai-interview.txt"));
    let res = chiso_in(&root, &["-q", "run", text(&b), "--dataset", text(&ds)]);
    assert_eq!(res.status.code(), Some(0), "{}", report(&res));
    let now = dataset_listing(&ds);
    let beta_now: BTreeSet<&str> = now
        .keys()
        .filter(|(_, p)| p == "beta")
        .map(|(i, _)| i.as_str())
        .collect();
    assert_eq!(beta_now, BTreeSet::from(["gdp_growth"]), "{now:?}");
    assert!(
        now.contains_key(&("poverty_rate".into(), "alpha".into())),
        "{now:?}"
    );
    assert_eq!(
        now.values().sum::<usize>(),
        alpha.values().sum::<usize>()
            + per_indicator(&root.join("output/beta"))
                .values()
                .sum::<usize>()
    );
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_taken_pipeline_name_or_a_misused_out_is_refused_and_nothing_is_written() {
    let root = scratch("dataset-clash");
    let first = variant(&root.join("first"), "same", true);
    let second = variant(&root.join("second"), "same", false);
    let ds = root.join("dataset");

    let res = chiso_in(
        &root,
        &[
            "-q",
            "run",
            text(&first),
            text(&second),
            "--dataset",
            text(&ds),
        ],
    );
    assert_eq!(res.status.code(), Some(2), "{}", report(&res));
    assert!(
        String::from_utf8_lossy(&res.stderr).contains("are both named `same`"),
        "{}",
        report(&res)
    );
    assert!(
        !ds.exists() && !root.join("output").exists(),
        "a refused run writes nothing"
    );

    let res = chiso_in(&root, &["-q", "run", text(&first), "--dataset", text(&ds)]);
    assert_eq!(res.status.code(), Some(0), "{}", report(&res));
    let before = dataset_listing(&ds);
    let bytes = std::fs::read(ds.join("indicator=gdp_growth/same.parquet")).expect("file");
    let out2 = root.join("out-second");
    let res = chiso_in(
        &root,
        &[
            "-q",
            "run",
            text(&second),
            "--out",
            text(&out2),
            "--dataset",
            text(&ds),
        ],
    );
    assert_eq!(res.status.code(), Some(2), "{}", report(&res));
    let err = String::from_utf8_lossy(&res.stderr);
    assert!(
        err.contains("pipeline name `same` already belongs to")
            && err.contains("first")
            && err.contains("second"),
        "{err}"
    );
    assert_eq!(dataset_listing(&ds), before);
    assert_eq!(
        std::fs::read(ds.join("indicator=gdp_growth/same.parquet")).expect("file"),
        bytes
    );
    assert!(!out2.exists(), "a refused run writes no output dir either");

    let res = chiso_in(
        &root,
        &["run", text(&first), text(&second), "--out", text(&out2)],
    );
    assert_eq!(res.status.code(), Some(2), "{}", report(&res));
    assert!(
        String::from_utf8_lossy(&res.stderr).contains("--out"),
        "{}",
        report(&res)
    );
    let _ = std::fs::remove_dir_all(&root);
}

/// Every file under `dir` (relative path to bytes).
fn snapshot(dir: &Path) -> Files {
    fn walk(base: &Path, dir: &Path, out: &mut Files) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries {
            let p = e.expect("entry").path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                out.insert(
                    p.strip_prefix(base).expect("under base").to_path_buf(),
                    std::fs::read(&p).expect("readable"),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn restore(dir: &Path, files: &Files) {
    let _ = std::fs::remove_dir_all(dir);
    for (rel, bytes) in files {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().expect("a file has a parent")).expect("writable");
        std::fs::write(p, bytes).expect("writable");
    }
}

/// A temporary file of an unfinished write: hidden, and no reader's `*.parquet` glob takes it.
fn is_temp(rel: &Path) -> bool {
    let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.starts_with('.')
        && name.contains(".tmp-")
        && !name.ends_with(".parquet")
        && !name.ends_with(".json")
}

/// The Lào Cai text `copies` times, the decimals of copy k suffixed with k's digits so that the
/// copies are different statements and not merged as repeats.
fn big_source(copies: usize) -> String {
    let text = std::fs::read_to_string(
        crate::util::root().join("pipelines/lao-cai/sources/lao-cai-interview.txt"),
    )
    .expect("source");
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() * copies);
    for k in 1..=copies {
        let mut i = 0;
        while i < chars.len() {
            out.push(chars[i]);
            let decimal_comma = chars[i] == ','
                && i > 0
                && chars[i - 1].is_ascii_digit()
                && chars.get(i + 1).is_some_and(char::is_ascii_digit);
            i += 1;
            if decimal_comma {
                while i < chars.len() && chars[i].is_ascii_digit() {
                    out.push(chars[i]);
                    i += 1;
                }
                out.push_str(&k.to_string());
            }
        }
        out.push_str("\n\n");
    }
    out
}

/// What a killed run left, compared with the state before it and the state a finished run makes.
#[derive(Debug, Default)]
struct Tally {
    all_old: usize,
    all_new: usize,
    mixed: usize,
    old_with_temps: usize,
    finished: usize,
}

/// What a kill left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Killed {
    /// Only the previous files.
    Old,
    /// The previous files and temporary files of the unfinished write.
    OldWithTemps,
    /// Some files previous, some new: killed among the renames.
    Mixed,
    /// Only new files: killed after the renames.
    New,
    /// The run ended before the kill.
    Finished,
}

type Files = BTreeMap<PathBuf, Vec<u8>>;

/// Restores the previous output, starts `chiso args`, SIGKILLs it after `delay`, and checks
/// that every file left is whole: byte for byte the previous file or the new one.
fn kill_and_check(
    args: &[String],
    delay: Duration,
    (out, ds): (&Path, &Path),
    old: &(Files, Files),
    new: &(Files, Files),
) -> Killed {
    restore(out, &old.0);
    restore(ds, &old.1);
    let mut child = Command::new(env!("CARGO_BIN_EXE_chiso"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chiso starts");
    std::thread::sleep(delay);
    let finished = child.try_wait().expect("waitable").is_some();
    if !finished {
        child.kill().expect("SIGKILL is delivered");
    }
    child.wait().expect("reaped");

    let (mut seen_old, mut seen_new, mut seen_temp) = (false, false, false);
    for (dir, before, after) in [(out, &old.0, &new.0), (ds, &old.1, &new.1)] {
        let now = snapshot(dir);
        for (rel, bytes) in &now {
            if is_temp(rel) {
                seen_temp = true;
                continue;
            }
            let is_old = before.get(rel) == Some(bytes);
            // run.json carries timings: the new one is any whole run.json of the new run.
            let is_new_run_json = rel == Path::new("run.json")
                && !is_old
                && serde_json::from_slice::<serde_json::Value>(bytes)
                    .is_ok_and(|v| v["rows"]["indicators"].as_u64() > Some(10));
            let is_new = after.get(rel) == Some(bytes) || is_new_run_json;
            assert!(
                is_old || is_new,
                "after a kill at {delay:?}: {} is neither the previous file nor a whole new one",
                dir.join(rel).display()
            );
            if rel.extension().is_some_and(|e| e == "parquet") {
                let _ = read_rows(&dir.join(rel)); // panics if a reader cannot open it
            }
            seen_old |= is_old && after.get(rel) != Some(bytes);
            seen_new |= is_new && !is_old;
        }
        for rel in before.keys() {
            assert!(
                now.contains_key(rel) || !after.contains_key(rel),
                "after a kill at {delay:?}: {} vanished",
                dir.join(rel).display()
            );
        }
    }
    match (finished, seen_old, seen_new, seen_temp) {
        (true, ..) => Killed::Finished,
        (_, true, true, _) => Killed::Mixed,
        (_, false, true, _) => Killed::New,
        (_, _, false, true) => Killed::OldWithTemps,
        _ => Killed::Old,
    }
}

#[test]
fn a_run_killed_at_any_moment_leaves_the_previous_files_whole() {
    let root = scratch("dataset-kill");
    let pipeline = copy_lao_cai(&root);
    let (out, ds) = (root.join("out"), root.join("ds"));
    let args = |out: &Path, ds: &Path| -> Vec<String> {
        vec![
            "-q".to_owned(),
            "run".into(),
            text(&pipeline).into(),
            "--out".into(),
            text(out).into(),
            "--dataset".into(),
            text(ds).into(),
        ]
    };
    let run = |out: &Path, ds: &Path| -> Output {
        Command::new(env!("CARGO_BIN_EXE_chiso"))
            .args(args(out, ds))
            .output()
            .expect("chiso runs")
    };

    // The previous output: the interview as it is.
    let res = run(&out, &ds);
    assert_eq!(res.status.code(), Some(0), "{}", report(&res));
    let old = (snapshot(&out), snapshot(&ds));

    // The new input: ~0.9 MB of varied copies, a second or two in a debug build. Run it to the
    // end twice: the files a finished run makes (the same both times), and a warm timing.
    std::fs::write(root.join("sources/lao-cai-interview.txt"), big_source(60)).expect("writable");
    let (ref_out, ref_ds) = (root.join("ref-out"), root.join("ref-ds"));
    let res = run(&ref_out, &ref_ds);
    assert!(matches!(res.status.code(), Some(0 | 1)), "{}", report(&res));
    let new = (snapshot(&ref_out), snapshot(&ref_ds));
    assert_ne!(
        old.0[Path::new("indicators.parquet")],
        new.0[Path::new("indicators.parquet")],
        "the big input gives other rows"
    );
    let t = Instant::now();
    let res = run(&ref_out, &ref_ds);
    let full = t.elapsed();
    assert!(matches!(res.status.code(), Some(0 | 1)), "{}", report(&res));
    let again = (snapshot(&ref_out), snapshot(&ref_ds));
    for (a, b) in [(&new.0, &again.0), (&new.1, &again.1)] {
        for (rel, bytes) in a {
            assert!(
                rel == Path::new("run.json") || b.get(rel) == Some(bytes),
                "{} differs between two runs",
                rel.display()
            );
        }
    }
    let timings: serde_json::Value =
        serde_json::from_slice(&again.0[Path::new("run.json")]).expect("run.json");
    let load_ms = timings["timings_ms"]["load"].as_f64().expect("load timing");
    let total_ms = timings["timings_ms"]["total"]
        .as_f64()
        .expect("total timing");
    let load_start = (total_ms - load_ms) / total_ms;

    // Kill points: early (reading sources), then a bisection over the end of the run that
    // closes in on the load phase, where files are written and renamed: a kill that found only
    // the previous files moves the next one later, a kill after the run finished moves it earlier.
    let early = [50, 150, 400].map(Duration::from_millis);
    let (mut lo, mut hi) = (full.mul_f64((load_start - 0.1).max(0.3)), full.mul_f64(1.5));
    let mut tally = Tally::default();
    for probe in 0..early.len() + 8 {
        let delay = early.get(probe).copied().unwrap_or((lo + hi) / 2);
        let state = kill_and_check(&args(&out, &ds), delay, (&out, &ds), &old, &new);
        match state {
            Killed::Old => tally.all_old += 1,
            Killed::OldWithTemps => tally.old_with_temps += 1,
            Killed::Mixed => tally.mixed += 1,
            Killed::New => tally.all_new += 1,
            Killed::Finished => tally.finished += 1,
        }
        if probe >= early.len() {
            match state {
                Killed::Old | Killed::OldWithTemps => lo = delay,
                Killed::New | Killed::Finished => hi = delay,
                Killed::Mixed => {}
            }
        }
    }
    eprintln!(
        "kill test ({full:?} per run, load from {:.0}%): {tally:?}",
        load_start * 100.0
    );

    // A temporary file left by a killed run is no output: the dataset listing and a reader's
    // glob skip it, and the next run removes it.
    restore(&out, &old.0);
    restore(&ds, &old.1);
    let stray = [
        out.join(".indicators.parquet.tmp-999999999"),
        ds.join("indicator=gdp_growth/.lao-cai.parquet.tmp-999999999"),
    ];
    for s in &stray {
        std::fs::write(s, &new.0[Path::new("indicators.parquet")][..100]).expect("writable");
    }
    let res = Command::new(env!("CARGO_BIN_EXE_chiso"))
        .args(["inspect", text(&ds)])
        .output()
        .expect("chiso runs");
    assert_eq!(res.status.code(), Some(0), "{}", report(&res));
    assert!(
        String::from_utf8_lossy(&res.stdout).contains("dataset of 10 rows in 3 files"),
        "{}",
        report(&res)
    );
    let res = run(&out, &ds);
    assert!(matches!(res.status.code(), Some(0 | 1)), "{}", report(&res));
    for (dir, reference) in [(&out, &new.0), (&ds, &new.1)] {
        let now = snapshot(dir);
        let temps: Vec<_> = now.keys().filter(|r| is_temp(r)).collect();
        assert!(
            temps.is_empty(),
            "temporary files of killed runs are removed by the next run: {temps:?}"
        );
        let names = |m: &Files| m.keys().cloned().collect::<BTreeSet<_>>();
        assert_eq!(
            names(&now),
            names(reference),
            "a finished run leaves exactly the new files"
        );
        for (rel, bytes) in reference {
            if rel != Path::new("run.json") {
                assert!(&now[rel] == bytes, "{} is the new file", rel.display());
            }
        }
    }
    let _ = std::fs::remove_dir_all(&root);
}

/// A run in which a source could not be read (a file gone for the day) leaves the dataset as it
/// was, byte for byte, and says so in the summary and run.json: replacing the pipeline's rows
/// would drop that source's. Its own output directory is written as usual.
#[test]
fn a_run_with_a_source_not_read_leaves_the_dataset_as_it_was() {
    let dir = scratch("dataset-kept");
    let pipeline = variant(&dir, "kept", true);
    let ds = dir.join("ds");
    let first = chiso_in(
        &dir,
        &[
            "-q",
            "run",
            text(&pipeline),
            "--out",
            "out",
            "--dataset",
            text(&ds),
        ],
    );
    assert_eq!(first.status.code(), Some(0), "{}", report(&first));
    let before = snapshot(&ds);
    assert!(!before.is_empty());
    let toml = std::fs::read_to_string(&pipeline).expect("pipeline");
    std::fs::write(
        &pipeline,
        format!("{toml}\n[[sources]]\nid = \"gone\"\npath = \"sources/gone.txt\"\n"),
    )
    .expect("writable");
    let second = chiso_in(
        &dir,
        &[
            "run",
            text(&pipeline),
            "--out",
            "out",
            "--dataset",
            text(&ds),
        ],
    );
    assert_eq!(second.status.code(), Some(3), "{}", report(&second));
    assert_eq!(snapshot(&ds), before, "the dataset is as it was");
    let stdout = String::from_utf8_lossy(&second.stdout);
    assert!(
        stdout.contains("left as it was: 1 source could not be read"),
        "{}",
        report(&second)
    );
    let run: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("out/run.json")).expect("run.json is written"),
    )
    .expect("JSON");
    assert!(
        run["dataset"]["left_as_it_was"]
            .as_str()
            .is_some_and(|w| w.starts_with("1 source could not be read")),
        "{run}"
    );
}
