//! `chiso extract`: indicator statements from text files, without a pipeline file.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};
use chiso_extract::{ExtractOptions, Location, SourceSpec};
use chiso_model::{IndicatorRecord, PartialDate};
use chiso_transform::link::Linker;
use clap::ValueEnum;
use serde_json::{Value, json};

use crate::{EXIT_CONFIG, EXIT_OK, EXIT_SOURCE_FAILED};

/// Output formats of `chiso extract`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum OutFormat {
    /// A readable table.
    Table,
    /// A JSON array of records (the development corpus' record format plus provenance).
    Json,
    /// indicators.parquet's schema.
    Parquet,
}

/// A record as JSON, in the record format of the golden files.
pub fn record_json(r: &IndicatorRecord) -> Value {
    json!({
        "source_id": r.source_id,
        "indicator": r.indicator,
        "geo": r.geo_code,
        "geo_id": r.geo_id,
        "geo_name": r.geo_name,
        "period_start": r.period.map(|p| p.start().to_string()),
        "period_end": r.period.map(|p| p.end().to_string()),
        "period_label": r.period.map(|p| p.label()),
        "measure": r.measure.as_str(),
        "base": r.base.map(|b| b.as_str()),
        "base_period": r.base_period.map(|p| p.label()),
        "kind": r.kind.as_str(),
        "comparator": r.comparator.as_str(),
        "value_low": r.value_low,
        "value_high": r.value_high,
        "unit": r.unit.as_str(),
        "rank_total": r.rank_total,
        "of_total": r.of_total,
        "quote": &*r.quote,
        "char_start": r.span.start,
        "char_end": r.span.end,
        "occurrences": r.occurrences,
    })
}

/// Source ids for ad-hoc files: the file stem, made unique and safe.
fn source_id(path: &Path, taken: &mut Vec<String>) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut id: String = stem
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if id.is_empty() || id.starts_with('.') {
        id = format!("source{}", taken.len() + 1);
    }
    let base = id.clone();
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    taken.push(id.clone());
    id
}

/// `chiso extract`.
pub fn extract(
    files: &[std::path::PathBuf],
    published: Option<&str>,
    geo: Option<&str>,
    format: OutFormat,
    out: Option<&Path>,
) -> Result<u8> {
    let published = match published {
        Some(p) => match p.parse::<PartialDate>() {
            Ok(d) => Some(d),
            Err(e) => {
                crate::fail(&format!("--published: {e}"));
                return Ok(EXIT_CONFIG);
            }
        },
        None => None,
    };
    let linker = Linker::builtin();
    // The place's code, whichever way it was written.
    let geo = match geo.map(|g| linker.gazetteer().code_of(g)) {
        None => None,
        Some(Ok(code)) => Some(code.to_owned()),
        Some(Err(why)) => {
            crate::fail(&format!("--geo: {why}"));
            return Ok(EXIT_CONFIG);
        }
    };
    if matches!(format, OutFormat::Parquet) && out.is_none() {
        crate::fail("--format parquet needs --out FILE");
        return Ok(EXIT_CONFIG);
    }
    let mut taken = Vec::new();
    let specs: Vec<SourceSpec> = files
        .iter()
        .map(|f| SourceSpec {
            id: source_id(f, &mut taken),
            location: Location::Path(f.clone()),
            published,
            geo: geo.clone(),
            format: None,
        })
        .collect();
    let mut records = Vec::new();
    let mut failed = 0;
    let mut inputs = chiso_load::InputList::default();
    let options = ExtractOptions::default();
    // A directory (or a glob the shell left alone) is its files, each a source of its own, as
    // `run` reads one.
    let mut walked = Vec::with_capacity(specs.len());
    for spec in specs {
        match chiso_extract::FileWalk::new(&spec) {
            Ok(Some(walk)) => {
                for file in walk {
                    match file {
                        Ok(file) => walked.push(file),
                        Err(e) => {
                            failed += 1;
                            crate::fail(&e.to_string());
                        }
                    }
                }
            }
            Ok(None) => walked.push(spec),
            Err(e) => {
                failed += 1;
                crate::fail(&e.to_string());
            }
        }
    }
    for spec in &walked {
        // A JSON-lines or Parquet corpus is read document by document, as `run` reads it.
        if let Some(corpus) = crate::stream::corpus_format(spec) {
            match corpus_records(spec, corpus, &linker, &options, &mut records) {
                Ok((sha256, unread)) => {
                    inputs.push(&spec.id, &spec.id, &sha256);
                    // A corpus that lost documents is a source that failed in part.
                    failed += usize::from(unread > 0);
                }
                Err(e) => {
                    failed += 1;
                    crate::fail(&e);
                }
            }
            continue;
        }
        let extracted = chiso_extract::extract_all(std::slice::from_ref(spec), &options);
        for result in extracted {
            match result {
                Ok(ex) => {
                    for w in &ex.warnings {
                        tracing::warn!(source_id = %spec.id, warning = %w, "source read with a warning");
                    }
                    inputs.push(&spec.id, &spec.id, &ex.document.meta.sha256);
                    records.extend(linker.transform(&ex.document).records);
                }
                Err(e) => {
                    failed += 1;
                    crate::fail(&e.to_string());
                }
            }
        }
    }
    // Nothing read: no empty table or file either.
    if records.is_empty() && failed > 0 && failed >= walked.len() {
        bail!("no file could be read");
    }
    match format {
        OutFormat::Parquet => {
            let meta = chiso_load::FileMeta {
                tool_version: env!("CARGO_PKG_VERSION").to_owned(),
                pipeline_name: "chiso-extract".to_owned(),
                pipeline_sha256: String::new(),
                inputs: inputs.finish(),
            };
            let path = out.context("--format parquet needs --out")?;
            chiso_load::write_indicators(path, &records, &meta)?;
        }
        OutFormat::Json => {
            let value = Value::Array(records.iter().map(record_json).collect());
            let mut text = serde_json::to_string_pretty(&value)?;
            text.push('\n');
            emit(out, &text)?;
        }
        OutFormat::Table => emit(out, &table(&records))?,
    }

    Ok(if failed > 0 {
        EXIT_SOURCE_FAILED
    } else {
        EXIT_OK
    })
}

/// The rows of every document of corpus file `spec` (each under its own id); the file's SHA-256
/// and how many documents could not be read (each told and skipped; a date or place that cannot
/// be read is a warning, and left out).
fn corpus_records(
    spec: &SourceSpec,
    format: chiso_extract::CorpusFormat,
    linker: &Linker,
    options: &ExtractOptions,
    records: &mut Vec<IndicatorRecord>,
) -> std::result::Result<(String, usize), String> {
    let Location::Path(path) = &spec.location else {
        return Err(format!("source {}: a corpus is read from a file", spec.id));
    };
    let columns = chiso_extract::CorpusColumns::default();
    let mut reader =
        chiso_extract::CorpusReader::open(&spec.id, path, format, &columns, options.max_bytes)
            .map_err(|e| e.to_string())?;
    let origin = path.display().to_string();
    let mut unread = 0;
    for record in reader.by_ref() {
        let read = record.map_err(|e| e.to_string()).and_then(|r| {
            crate::stream::corpus_document(linker, spec, &origin, format, r)
                .map_err(|unread| unread.0.to_string())
        });
        match read {
            Ok((doc, warnings)) => {
                for w in warnings {
                    tracing::warn!(source_id = %doc.source_id, warning = %w, "document read with a warning");
                }
                records.extend(linker.transform(&doc).records);
            }
            Err(e) => {
                unread += 1;
                crate::fail(&e);
            }
        }
    }
    let digest = reader.finish().map_err(|e| e.to_string())?;
    Ok((digest.sha256, unread))
}

fn emit(out: Option<&Path>, text: &str) -> Result<()> {
    match out {
        Some(p) => std::fs::write(p, text).with_context(|| format!("cannot write {}", p.display())),
        None => std::io::stdout()
            .write_all(text.as_bytes())
            .context("cannot write to standard output"),
    }
}

fn fmt_value(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

/// A value or range as the command line shows it: `19.3`, `11..12`.
pub fn fmt_range(low: f64, high: f64) -> String {
    if low == high {
        fmt_value(low)
    } else {
        format!("{}..{}", fmt_value(low), fmt_value(high))
    }
}

/// A plain-text table of records; with the source of each when they come from more than one.
pub fn table(records: &[IndicatorRecord]) -> String {
    let sources = records
        .first()
        .is_some_and(|first| records.iter().any(|r| r.source_id != first.source_id));
    let mut header = vec![
        "indicator",
        "geo",
        "period",
        "measure",
        "base",
        "kind",
        "value",
        "unit",
        "quote",
    ];
    if sources {
        header.insert(0, "source");
    }
    let rows: Vec<Vec<String>> = records
        .iter()
        .map(|r| {
            let value = fmt_range(r.value_low, r.value_high);
            let value = match (r.comparator, r.rank_total) {
                (_, Some(t)) => format!("{value}/{t}"),
                (chiso_model::Comparator::Eq, None) => value,
                (c, None) => format!("{c} {value}"),
            };
            let quote: String = r.quote.chars().take(60).collect();
            let mut row = vec![
                r.indicator.clone(),
                r.geo_code.clone().unwrap_or_default(),
                r.period.map(|p| p.label()).unwrap_or_default(),
                r.measure.to_string(),
                match (r.base, r.base_period) {
                    (Some(b), Some(p)) => format!("{b} {p}"),
                    (Some(b), None) => b.to_string(),
                    (None, _) => String::new(),
                },
                r.kind.to_string(),
                value,
                r.unit.to_string(),
                quote,
            ];
            if sources {
                row.insert(0, r.source_id.clone());
            }
            row
        })
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let mut s = String::new();
        for (i, (c, w)) in cells.iter().zip(&widths).enumerate() {
            if i > 0 {
                s.push_str("  ");
            }
            s.push_str(c);
            if i + 1 < cells.len() {
                s.extend(std::iter::repeat_n(' ', w - c.chars().count()));
            }
        }
        s.push('\n');
        s
    };
    let header: Vec<String> = header.iter().map(|h| (*h).to_owned()).collect();
    let mut out = line(&header);
    for row in &rows {
        out.push_str(&line(row));
    }
    out.push_str(&format!("{} rows\n", rows.len()));
    out
}
