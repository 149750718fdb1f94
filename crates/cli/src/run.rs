//! `chiso run` and `chiso check`.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result};
use chiso_extract::{ExtractOptions, Location};
use chiso_load::{FileMeta, MentionRow};
use chiso_model::{IndicatorRecord, RuleResult, Severity, Status};
use chiso_transform::catalogue::Catalogue;
use chiso_transform::gazetteer::Gazetteer;
use chiso_transform::link::{Linker, Transformed};
use chiso_validate::{EvalContext, MentionFact, RuleSet};
use serde_json::json;
use tracing::{error, info, warn};

use crate::config::Pipeline;
use crate::{EXIT_CONFIG, EXIT_OK, EXIT_RULE_FAILED, EXIT_SOURCE_FAILED};

/// Everything a pipeline needs before it touches data: the pipeline, its rules and the linker.
pub struct Prepared {
    pub pipeline: Pipeline,
    pub rules: Option<RuleSet>,
    pub linker: Linker,
}

/// Loads and checks a pipeline, its rules and its catalogue and gazetteer extensions.
pub fn prepare(path: &Path) -> Result<Prepared> {
    let pipeline = Pipeline::load(path)?;
    let rules = match &pipeline.rules {
        Some(r) => Some(RuleSet::from_path(r).map_err(anyhow::Error::new)?),
        None => None,
    };
    let mut catalogue = Catalogue::builtin();
    if let Some(ext) = &pipeline.catalogue_extension {
        let text = std::fs::read_to_string(ext).with_context(|| format!("cannot read catalogue extension {}", ext.display()))?;
        catalogue.extend_from_str(&text, &ext.display().to_string())?;
    }
    let mut gazetteer = Gazetteer::builtin();
    if let Some(ext) = &pipeline.gazetteer_extension {
        let text = std::fs::read_to_string(ext).with_context(|| format!("cannot read gazetteer extension {}", ext.display()))?;
        gazetteer.extend_from_str(&text, &ext.display().to_string())?;
    }
    Ok(Prepared { pipeline, rules, linker: Linker::new(catalogue, gazetteer) })
}

/// `chiso check`: structural checks of pipeline and rule files, no source is read.
pub fn check(paths: &[PathBuf]) -> Result<u8> {
    let mut failed = false;
    for path in paths {
        match prepare(path) {
            Ok(p) => {
                let missing: Vec<_> = p
                    .pipeline
                    .sources
                    .iter()
                    .filter_map(|s| match &s.location {
                        Location::Path(f) if !f.exists() => Some(format!("{} ({})", s.id, f.display())),
                        _ => None,
                    })
                    .collect();
                for m in &missing {
                    warn!(source = %m, "source file does not exist yet");
                }
                println!(
                    "ok: {} ({} sources, {} rules)",
                    path.display(),
                    p.pipeline.sources.len(),
                    p.rules.as_ref().map_or(0, RuleSet::len)
                );
            }
            Err(e) => {
                failed = true;
                eprintln!("error: {e:#}");
            }
        }
    }
    Ok(if failed { EXIT_CONFIG } else { EXIT_OK })
}

/// The validation context: ranking-group sizes and place-name resolution from the gazetteer.
pub fn eval_context(gazetteer: &Gazetteer, base_dir: PathBuf) -> EvalContext {
    let shared = Arc::new(gazetteer.clone());
    let resolver = Arc::clone(&shared);
    EvalContext {
        group_sizes: shared.group_sizes(),
        resolve_place: Some(Box::new(move |name: &str| resolver.resolve(name, None).map(|p| p.code.clone()))),
        base_dir,
    }
}

/// Mention facts for rules that look at counts and multipliers.
pub fn mention_facts(source_id: &str, t: &Transformed) -> Vec<MentionFact> {
    t.mentions
        .iter()
        .map(|lm| MentionFact {
            source_id: source_id.to_owned(),
            kind: lm.mention.kind.as_str().to_owned(),
            value_low: lm.mention.value_low,
            value_high: lm.mention.value_high,
            unit: lm.mention.unit.map(|u| u.as_str().to_owned()),
            counted_noun: lm.mention.counted_noun.clone(),
            comparator: lm.mention.comparator.as_str().to_owned(),
            sentence: t.sentences[lm.sentence].clone(),
            char_start: lm.mention.span.start as i64,
            indicator: lm.indicator.clone(),
        })
        .collect()
}

/// `chiso run`.
pub fn run(path: &Path, out: Option<&Path>, fail_on_warn: bool) -> Result<u8> {
    let started = Instant::now();
    let prepared = match prepare(path) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e:#}");
            return Ok(EXIT_CONFIG);
        }
    };
    let Prepared { pipeline, rules, linker } = prepared;
    let out_dir = out.map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("output").join(&pipeline.name));
    info!(pipeline = %pipeline.name, sources = pipeline.sources.len(), "running pipeline");

    // Extract.
    let t0 = Instant::now();
    let extracted = chiso_extract::extract_all(&pipeline.sources, &ExtractOptions::default());
    let extract_ms = t0.elapsed().as_secs_f64() * 1e3;

    // Transform.
    let t1 = Instant::now();
    let mut records: Vec<IndicatorRecord> = Vec::new();
    let mut mention_rows: Vec<MentionRow> = Vec::new();
    let mut facts: Vec<MentionFact> = Vec::new();
    let mut source_reports = Vec::new();
    let mut inputs = Vec::new();
    let mut failed_sources = 0usize;
    for (spec, result) in pipeline.sources.iter().zip(extracted) {
        let origin = match &spec.location {
            Location::Path(p) => p.display().to_string(),
            Location::Url(u) => u.clone(),
        };
        match result {
            Ok(ex) => {
                let doc = ex.document;
                for w in &ex.warnings {
                    warn!(source_id = %spec.id, warning = %w, "source read with a warning");
                }
                let t = linker.transform(&doc);
                info!(source_id = %spec.id, sentences = t.sentences.len(), mentions = t.mentions.len(), rows = t.records.len(), "source read");
                inputs.push((spec.id.clone(), doc.meta.sha256.clone()));
                source_reports.push(json!({
                    "id": spec.id,
                    "origin": origin,
                    "status": "ok",
                    "sha256": doc.meta.sha256,
                    "bytes": doc.meta.bytes,
                    "encoding": doc.meta.encoding,
                    "published": doc.meta.published.map(|p| p.to_string()),
                    "geo": doc.meta.geo,
                    "sentences": t.sentences.len(),
                    "repeats_merged": t.repeats_dropped,
                    "mentions": t.mentions.len(),
                    "rows": t.records.len(),
                    "warnings": ex.warnings,
                }));
                facts.extend(mention_facts(&spec.id, &t));
                for lm in &t.mentions {
                    mention_rows.push(MentionRow {
                        source_id: spec.id.clone(),
                        mention: lm.mention.clone(),
                        indicator: lm.indicator.clone(),
                        sentence: t.sentences[lm.sentence].clone(),
                    });
                }
                records.extend(t.records);
            }
            Err(e) => {
                failed_sources += 1;
                error!(source_id = %spec.id, origin = %origin, error = %e, "source could not be read");
                source_reports.push(json!({ "id": spec.id, "origin": origin, "status": "failed", "error": e.to_string() }));
            }
        }
    }
    let transform_ms = t1.elapsed().as_secs_f64() * 1e3;

    // Validate.
    let t2 = Instant::now();
    let results: Vec<RuleResult> = match &rules {
        Some(r) => {
            let base = pipeline.rules.as_deref().and_then(Path::parent).map(Path::to_path_buf).unwrap_or_default();
            chiso_validate::evaluate(r, &records, &facts, &eval_context(linker.gazetteer(), base))
        }
        None => Vec::new(),
    };
    let validate_ms = t2.elapsed().as_secs_f64() * 1e3;

    // Load.
    let t3 = Instant::now();
    std::fs::create_dir_all(&out_dir).with_context(|| format!("cannot create output directory {}", out_dir.display()))?;
    let meta = FileMeta {
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
        pipeline_name: pipeline.name.clone(),
        pipeline_sha256: pipeline.sha256.clone(),
        inputs,
    };
    let indicators_path = out_dir.join("indicators.parquet");
    let mentions_path = out_dir.join("mentions.parquet");
    let validation_path = out_dir.join("validation.parquet");
    chiso_load::write_indicators(&indicators_path, &records, &meta)?;
    chiso_load::write_mentions(&mentions_path, &mention_rows, &meta)?;
    chiso_load::write_validation(&validation_path, &results, &meta)?;
    chiso_load::write_json_atomic(&out_dir.join("datapackage.json"), &chiso_load::datapackage())?;
    let load_ms = t3.elapsed().as_secs_f64() * 1e3;

    let count = |s: Status| results.iter().filter(|r| r.status == s).count();
    let blocking = results.iter().filter(|r| {
        r.status == Status::Fail || r.status == Status::Error
    }).filter(|r| r.severity == Severity::Error || fail_on_warn).count();
    let run_json = json!({
        "tool": "chiso",
        "tool_version": env!("CARGO_PKG_VERSION"),
        "schema_version": chiso_model::SCHEMA_VERSION,
        "pipeline": { "name": pipeline.name, "description": pipeline.description, "file": pipeline.file.display().to_string(), "sha256": pipeline.sha256 },
        "sources": source_reports,
        "rows": { "indicators": records.len(), "mentions": mention_rows.len(), "validation": results.len() },
        "rules": {
            "pass": count(Status::Pass), "fail": count(Status::Fail), "skip": count(Status::Skip), "error": count(Status::Error),
            "results": results,
        },
        "files": {
            "indicators": indicators_path.display().to_string(),
            "mentions": mentions_path.display().to_string(),
            "validation": validation_path.display().to_string(),
        },
        "timings_ms": { "extract": extract_ms, "transform": transform_ms, "validate": validate_ms, "load": load_ms, "total": started.elapsed().as_secs_f64() * 1e3 },
    });
    chiso_load::write_json_atomic(&out_dir.join("run.json"), &run_json)?;

    print_summary(&pipeline, &records, &results, failed_sources, &out_dir, started.elapsed().as_secs_f64());
    Ok(if failed_sources > 0 {
        EXIT_SOURCE_FAILED
    } else if blocking > 0 {
        EXIT_RULE_FAILED
    } else {
        EXIT_OK
    })
}

fn print_summary(p: &Pipeline, records: &[IndicatorRecord], results: &[RuleResult], failed_sources: usize, out: &Path, secs: f64) {
    use std::collections::BTreeSet;
    let set = |f: &dyn Fn(&IndicatorRecord) -> Option<String>| records.iter().filter_map(f).collect::<BTreeSet<_>>().len();
    let indicators = set(&|r| Some(r.indicator.clone()));
    let places = set(&|r| r.geo_code.clone());
    let periods = set(&|r| r.period.map(|p| p.label()));
    let n = |s: Status| results.iter().filter(|r| r.status == s).count();
    println!("chiso run {}: {} sources ({} failed) in {:.2} s", p.name, p.sources.len(), failed_sources, secs);
    println!("  rows        {:>6}   ({indicators} indicators, {places} places, {periods} periods)", records.len());
    println!("  rules       {:>6} pass, {} fail, {} skip, {} error", n(Status::Pass), n(Status::Fail), n(Status::Skip), n(Status::Error));
    for r in results.iter().filter(|r| matches!(r.status, Status::Fail | Status::Error)) {
        println!("  {} [{}] {}: {}", r.status.as_str().to_uppercase(), r.severity, r.rule_id, r.message);
        for row in r.rows.iter().take(3) {
            println!("      “{}”", truncate(&row.quote, 140));
        }
    }
    println!("  files       {}", out.join("indicators.parquet").display());
    println!("              {}", out.join("mentions.parquet").display());
    println!("              {}", out.join("validation.parquet").display());
    println!("              {}", out.join("run.json").display());
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(max).collect();
        t.push('…');
        t
    }
}
