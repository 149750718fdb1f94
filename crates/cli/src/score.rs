//! `chiso score`: precision, recall and F1 of indicators.parquet against hand-made golden records.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chiso_transform::golden::{GoldenRecord, Row, prf, report_markdown, score_document, totals};

use crate::{EXIT_OK, EXIT_RULE_FAILED};

/// Golden files: `SOURCE_ID=FILE.json` pairs, or directories of `SOURCE_ID.json` files.
fn load_goldens(specs: &[String]) -> Result<BTreeMap<String, Vec<GoldenRecord>>> {
    let mut out = BTreeMap::new();
    let read = |path: &Path| -> Result<Vec<GoldenRecord>> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read golden file {}", path.display()))?;
        serde_json::from_str(&text)
            .with_context(|| format!("{} is not a list of golden records", path.display()))
    };
    for spec in specs {
        if let Some((id, file)) = spec.split_once('=') {
            out.insert(id.to_owned(), read(Path::new(file))?);
            continue;
        }
        let dir = Path::new(spec);
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .with_context(|| {
                format!("--golden {spec}: not SOURCE_ID=FILE nor a readable directory")
            })?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        for f in files {
            let id = f
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            out.insert(id, read(&f)?);
        }
    }
    if out.is_empty() {
        bail!("no golden records found in {specs:?}");
    }
    Ok(out)
}

/// The rows of `DIR/indicators.parquet`, as scoring sees them.
fn read_rows(dir: &Path) -> Result<Vec<Row>> {
    let path = dir.join("indicators.parquet");
    let t = chiso_load::read_parquet(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let s = |c: &str| {
        t.strings(c)
            .with_context(|| format!("{}: column {c}", path.display()))
    };
    let f = |c: &str| {
        t.floats(c)
            .with_context(|| format!("{}: column {c}", path.display()))
    };
    let (source, indicator, geo, start, end, label) = (
        s("source_id")?,
        s("indicator")?,
        s("geo_code")?,
        s("period_start")?,
        s("period_end")?,
        s("period_label")?,
    );
    let (measure, kind, comparator, unit, quote) = (
        s("measure")?,
        s("kind")?,
        s("comparator")?,
        s("unit")?,
        s("quote")?,
    );
    let (low, high, total) = (f("value_low")?, f("value_high")?, f("rank_total")?);
    Ok((0..t.rows)
        .map(|i| Row {
            source_id: source[i].clone().unwrap_or_default(),
            indicator: indicator[i].clone().unwrap_or_default(),
            geo: geo[i].clone(),
            period_start: start[i].clone(),
            period_end: end[i].clone(),
            period_label: label[i].clone(),
            measure: measure[i].clone().unwrap_or_default(),
            kind: kind[i].clone().unwrap_or_default(),
            comparator: comparator[i].clone().unwrap_or_default(),
            value_low: low[i].unwrap_or(f64::NAN),
            value_high: high[i].unwrap_or(f64::NAN),
            unit: unit[i].clone().unwrap_or_default(),
            rank_total: total[i].map(|v| v as u32),
            quote: quote[i].clone().unwrap_or_default(),
        })
        .collect())
}

/// The source ids of `DIR/sources.parquet` (every input, with rows or not); none when an
/// older run wrote no such file.
fn source_ids(dir: &Path) -> Result<Vec<String>> {
    let path = dir.join("sources.parquet");
    if !path.exists() {
        return Ok(Vec::new());
    }
    let t = chiso_load::read_parquet(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(t.strings("source_id")
        .with_context(|| format!("{}: column source_id", path.display()))?
        .into_iter()
        .flatten()
        .collect())
}

/// `chiso score`.
pub fn score(
    outputs: &[PathBuf],
    goldens: &[String],
    report: Option<&Path>,
    details: bool,
    min_f1: Option<f64>,
) -> Result<u8> {
    let goldens = load_goldens(goldens)?;
    let mut by_source: BTreeMap<String, Vec<Row>> = BTreeMap::new();
    let mut sources = std::collections::BTreeSet::new();
    for dir in outputs {
        for row in read_rows(dir)? {
            by_source
                .entry(row.source_id.clone())
                .or_default()
                .push(row);
        }
        sources.extend(source_ids(dir)?);
    }
    // A golden file named after no source scores its records against nothing: most likely a
    // misnamed file, whose empty list would otherwise score a perfect 1.
    let unknown: Vec<&str> = goldens
        .keys()
        .filter(|id| !sources.contains(*id) && !by_source.contains_key(*id))
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() {
        let known: Vec<&str> = sources.iter().map(String::as_str).take(10).collect();
        bail!(
            "golden records for {} name no source of the outputs; their sources are: {}{} \
             (a golden file is named SOURCE_ID.json, or given as SOURCE_ID=FILE)",
            unknown.join(", "),
            known.join(", "),
            if sources.len() > known.len() {
                ", …"
            } else {
                ""
            }
        );
    }
    let scores: Vec<_> = goldens
        .iter()
        .map(|(id, golden)| {
            score_document(id, by_source.get(id).map_or(&[][..], Vec::as_slice), golden)
        })
        .collect();
    let (g, rows, m) = totals(&scores);
    let (p, r, f) = prf(m, rows, g);
    let mut md = String::from("# Extraction quality\n\n");
    let _ = writeln!(
        md,
        "Written by `chiso score` (in this repository, `make quality`): chiso's `indicators.parquet` scored\n\
         against hand-made golden records. A golden record matches a row when indicator, geo, period, measure\n\
         and values agree (values within 0.5%); kind, comparator, unit and rank_total are scored on matched\n\
         rows. Texts used to develop chiso (this repository's development corpus, whose precision and recall a\n\
         test keeps above 0.9) score higher than texts it has never seen.\n"
    );
    md.push_str(&report_markdown(&scores, details));
    match report {
        Some(path) => {
            std::fs::write(path, &md).with_context(|| format!("cannot write {}", path.display()))?
        }
        None => print!("{md}"),
    }
    println!(
        "score: {m} of {g} golden records matched by {rows} rows: precision {p:.3}, recall {r:.3}, F1 {f:.3}"
    );
    Ok(match min_f1 {
        Some(min) if f < min => EXIT_RULE_FAILED,
        _ => EXIT_OK,
    })
}
