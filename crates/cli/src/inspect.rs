//! `chiso inspect`: a readable summary of chiso's output without Python.
//!
//! - `indicators.parquet` or a dataset directory: rows per indicator, place and period (the top
//!   N), kinds and measures, sources (and pipelines for a dataset);
//! - `validation.parquet`: the rule results, failures first, with the quotes concerned;
//! - `mentions.parquet`: rows per mention kind and how many were linked to an indicator;
//! - `sources.parquet`: inputs per kind, status and format, and those not read, with why;
//! - an output directory: all of these plus run.json's sources and failures.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result, bail};
use chiso_load::{ParquetFile, ParquetTable, TableKind};

use crate::{EXIT_OK, truncate};

/// The files of an output directory, in the order they are summarised.
const OUTPUT_FILES: [&str; 4] = [
    "indicators.parquet",
    "validation.parquet",
    "mentions.parquet",
    "sources.parquet",
];

/// `chiso inspect PATH`: prints the summary; errors (missing path, not Parquet, not chiso
/// output) name the path and exit 2.
pub fn inspect(path: &Path, top: usize) -> Result<u8> {
    print!("{}", summarise(path, top.max(1))?);
    Ok(EXIT_OK)
}

/// The summary of `path` as text.
pub fn summarise(path: &Path, top: usize) -> Result<String> {
    let meta =
        std::fs::metadata(path).with_context(|| format!("cannot inspect {}", path.display()))?;
    let mut out = String::new();
    if meta.is_file() {
        summarise_file(&mut out, path, top)?;
        return Ok(out);
    }
    let is_output = OUTPUT_FILES
        .iter()
        .chain(&["run.json"])
        .any(|f| path.join(f).is_file());
    let dataset = chiso_load::dataset_files(path)?;
    if !is_output && dataset.is_empty() {
        bail!(
            "{} holds no chiso output: no indicators.parquet, validation.parquet, mentions.parquet, sources.parquet or run.json, and no indicator=*/ partitions",
            path.display()
        );
    }
    if is_output {
        summarise_output_dir(&mut out, path, top)?;
    }
    if !dataset.is_empty() {
        if is_output {
            out.push('\n');
        }
        summarise_dataset(&mut out, path, &dataset, top)?;
    }
    Ok(out)
}

fn summarise_file(out: &mut String, path: &Path, top: usize) -> Result<()> {
    let file = ParquetFile::open(path)?;
    match file.header.kind {
        Some(TableKind::Indicators) => {
            header(out, &file);
            indicator_rows(file, None)?.write(out, top);
        }
        Some(TableKind::DatasetPart) => {
            // The partition directory carries the indicator: `indicator=<id>/<pipeline>.parquet`.
            let indicator = path
                .parent()
                .and_then(Path::file_name)
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_prefix("indicator="))
                .map(str::to_owned)
                .or_else(|| {
                    file.header
                        .key_values
                        .get(chiso_load::KEY_PARTITION)
                        .and_then(|p| p.strip_prefix("indicator="))
                        .map(str::to_owned)
                })
                .unwrap_or_else(|| "(unknown)".to_owned());
            header(out, &file);
            indicator_rows(file, Some((&indicator, None)))?.write(out, top);
        }
        Some(TableKind::Validation) => {
            header(out, &file);
            write_validation(out, &file.read()?)?;
        }
        Some(TableKind::Mentions) => {
            header(out, &file);
            write_mentions(out, file, top)?;
        }
        Some(TableKind::Sources) => {
            header(out, &file);
            write_sources(out, file, top)?;
        }
        _ => {
            let _ = writeln!(
                out,
                "{}: {} rows, not a chiso table; columns: {}",
                path.display(),
                file.header.rows,
                file.header.columns.join(", ")
            );
        }
    }
    Ok(())
}

/// Counts an indicators or dataset file, reading the columns counted a batch at a time;
/// `partition` as [`IndicatorRows::from_table`] takes it.
fn indicator_rows(
    file: ParquetFile,
    partition: Option<(&str, Option<&str>)>,
) -> Result<IndicatorRows> {
    let mut columns = vec![
        "geo_code",
        "geo_name",
        "period_label",
        "kind",
        "measure",
        "unit",
        "source_id",
    ];
    if partition.is_none() {
        columns.insert(0, "indicator");
    }
    // A file of schema 1.2.0 or older has no base.
    if file.header.columns.iter().any(|c| c == "base") {
        columns.push("base");
    }
    let mut rows = IndicatorRows::default();
    file.read_columns(&columns, |chunk| -> Result<()> {
        rows.extend(IndicatorRows::from_table(chunk, partition)?);
        Ok(())
    })?;
    // An empty dataset file still names its indicator and pipeline, with no rows.
    if let Some((indicator, pipeline)) = partition.filter(|_| rows.rows == 0) {
        rows.indicator.add(indicator, 0);
        if let Some(p) = pipeline {
            rows.pipeline.add(p, 0);
        }
    }
    Ok(rows)
}

/// `path: N rows (table, schema …, chiso …, pipeline …)`.
fn header(out: &mut String, file: &ParquetFile) {
    let file = &file.header;
    let kv = |k: &str| file.key_values.get(k).map_or("?", String::as_str);
    let _ = writeln!(
        out,
        "{}: {} rows ({}; schema {}, chiso {}, pipeline {})",
        file.path.display(),
        file.rows,
        file.kind.map_or("unknown table", TableKind::name),
        kv(chiso_load::KEY_SCHEMA_VERSION),
        kv(chiso_load::KEY_TOOL_VERSION),
        kv(chiso_load::KEY_PIPELINE),
    );
}

fn summarise_output_dir(out: &mut String, dir: &Path, top: usize) -> Result<()> {
    let run = dir.join("run.json");
    // The files the run says it did not write (`null` in its `files`: `--no-mentions`).
    let mut not_written = Vec::new();
    if run.is_file() {
        let summary = write_run_json(out, &run)?;
        if let Some(files) = summary.files.as_object() {
            for (key, path) in files {
                if path.is_null() {
                    not_written.push(format!("{key}.parquet"));
                }
            }
        }
        out.push('\n');
    }
    for (i, name) in OUTPUT_FILES.iter().enumerate() {
        let path = dir.join(name);
        if !path.is_file() {
            if not_written.iter().any(|n| n == name) {
                let _ = writeln!(out, "{}: not written by this run", path.display());
            } else {
                let _ = writeln!(out, "{}: missing", path.display());
            }
            continue;
        }
        summarise_file(out, &path, top)?;
        if i + 1 < OUTPUT_FILES.len() {
            out.push('\n');
        }
    }
    Ok(())
}

fn summarise_dataset(
    out: &mut String,
    dir: &Path,
    files: &[chiso_load::DatasetFile],
    top: usize,
) -> Result<()> {
    let mut rows = IndicatorRows::default();
    let mut schema_versions = Counts::default();
    for f in files {
        let file = ParquetFile::open(&f.path)?;
        if file.header.kind != Some(TableKind::DatasetPart) {
            bail!(
                "{}: not a dataset file: its columns are {}",
                f.path.display(),
                file.header.columns.join(", ")
            );
        }
        schema_versions.add(
            file.header
                .key_values
                .get(chiso_load::KEY_SCHEMA_VERSION)
                .map_or("?", String::as_str),
            1,
        );
        rows.extend(indicator_rows(
            file,
            Some((&f.indicator, Some(&f.pipeline))),
        )?);
    }
    let _ = writeln!(
        out,
        "{}: dataset of {} rows in {} files, partitioned by {} (schema {})",
        dir.display(),
        rows.len(),
        files.len(),
        chiso_load::PARTITION_COLUMN,
        schema_versions.keys().join(", ")
    );
    rows.write(out, top);
    Ok(())
}

/// Values counted: printed most frequent first, ties by value.
#[derive(Default)]
struct Counts(HashMap<String, usize>);

impl Counts {
    fn add(&mut self, value: &str, n: usize) {
        *self.0.entry(value.to_owned()).or_default() += n;
    }

    fn sorted(&self) -> Vec<(&str, usize)> {
        let mut v: Vec<(&str, usize)> = self.0.iter().map(|(k, n)| (k.as_str(), *n)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        v
    }

    fn keys(&self) -> Vec<&str> {
        let mut k: Vec<&str> = self.0.keys().map(String::as_str).collect();
        k.sort_unstable();
        k
    }

    /// A block: a title line, then up to `top` values with their counts.
    fn write_block(&self, out: &mut String, title: &str, top: usize) {
        let sorted = self.sorted();
        // Rows without a value are listed as "(none)" but are not one of the values counted
        // (so "24 periods" here is the run summary's and the report's).
        let values = sorted.iter().filter(|(k, _)| *k != NONE).count();
        let shown = if sorted.len() > top {
            format!("top {top} of {values}")
        } else {
            values.to_string()
        };
        let _ = writeln!(out, "  {title} ({shown})");
        let width = sorted
            .iter()
            .take(top)
            .map(|(k, _)| k.chars().count())
            .max()
            .unwrap_or(0)
            .max(8);
        for (value, n) in sorted.iter().take(top) {
            let pad = width - value.chars().count();
            let _ = writeln!(out, "    {value}{}  {n:>6}", " ".repeat(pad));
        }
    }

    /// One line: `title  a 3 · b 2`.
    fn write_line(&self, out: &mut String, title: &str) {
        let parts: Vec<String> = self
            .sorted()
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect();
        let _ = writeln!(out, "  {title:<10} {}", parts.join(" · "));
    }
}

/// The columns of indicator rows that a summary counts.
#[derive(Default)]
struct IndicatorRows {
    indicator: Counts,
    place: Counts,
    period: Counts,
    kind: Counts,
    measure: Counts,
    /// What changes are measured against, of the rows that are changes or growth rates.
    base: Counts,
    unit: Counts,
    source: Counts,
    pipeline: Counts,
    rows: usize,
}

const NONE: &str = "(none)";

impl IndicatorRows {
    /// Counts a table; `partition` gives the indicator (and pipeline) of a dataset file, whose
    /// rows do not carry them.
    fn from_table(
        table: &ParquetTable,
        partition: Option<(&str, Option<&str>)>,
    ) -> Result<IndicatorRows> {
        let mut c = IndicatorRows {
            rows: table.rows,
            ..IndicatorRows::default()
        };
        match partition {
            Some((indicator, pipeline)) => {
                c.indicator.add(indicator, table.rows);
                if let Some(p) = pipeline {
                    c.pipeline.add(p, table.rows);
                }
            }
            None => count_column(&mut c.indicator, table, "indicator")?,
        }
        let codes = table.strings("geo_code")?;
        let names = table.strings("geo_name")?;
        for (code, name) in codes.iter().zip(&names) {
            let place = match (code, name) {
                (Some(code), Some(name)) => format!("{code} {name}"),
                (Some(code), None) => code.clone(),
                (None, _) => NONE.to_owned(),
            };
            c.place.add(&place, 1);
        }
        count_column(&mut c.period, table, "period_label")?;
        count_column(&mut c.kind, table, "kind")?;
        count_column(&mut c.measure, table, "measure")?;
        if table.columns.iter().any(|col| col == "base") {
            for v in table.strings("base")?.into_iter().flatten() {
                c.base.add(&v, 1);
            }
        }
        count_column(&mut c.unit, table, "unit")?;
        count_column(&mut c.source, table, "source_id")?;
        Ok(c)
    }

    fn len(&self) -> usize {
        self.rows
    }

    fn extend(&mut self, other: IndicatorRows) {
        for (mine, theirs) in [
            (&mut self.indicator, other.indicator),
            (&mut self.place, other.place),
            (&mut self.period, other.period),
            (&mut self.kind, other.kind),
            (&mut self.measure, other.measure),
            (&mut self.base, other.base),
            (&mut self.unit, other.unit),
            (&mut self.source, other.source),
            (&mut self.pipeline, other.pipeline),
        ] {
            for (k, n) in theirs.0 {
                mine.add(&k, n);
            }
        }
        self.rows += other.rows;
    }

    fn write(&self, out: &mut String, top: usize) {
        if self.rows == 0 {
            let _ = writeln!(out, "  no rows");
            return;
        }
        self.indicator.write_block(out, "rows per indicator", top);
        self.place.write_block(out, "rows per place", top);
        self.period.write_block(out, "rows per period", top);
        self.kind.write_line(out, "kind");
        self.measure.write_line(out, "measure");
        if !self.base.0.is_empty() {
            self.base.write_line(out, "base");
        }
        self.unit.write_line(out, "unit");
        if !self.pipeline.0.is_empty() {
            self.pipeline.write_block(out, "rows per pipeline", top);
        }
        self.source.write_block(out, "rows per source", top);
    }
}

fn count_column(counts: &mut Counts, table: &ParquetTable, column: &str) -> Result<()> {
    for v in table.strings(column)? {
        counts.add(v.as_deref().unwrap_or(NONE), 1);
    }
    Ok(())
}

/// Rule results, failures first (fail, error, skip, pass), each with up to two quotes.
fn write_validation(out: &mut String, table: &ParquetTable) -> Result<()> {
    let ids = table.strings("rule_id")?;
    let kinds = table.strings("rule_kind")?;
    let severities = table.strings("severity")?;
    let statuses = table.strings("status")?;
    let observed = table.floats("observed")?;
    let expected = table.floats("expected")?;
    let messages = table.strings("message")?;
    let quotes = table.list_field_strings("rows", "quote")?;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let mut status_counts = Counts::default();
    for s in &statuses {
        status_counts.add(&text(s), 1);
    }
    let n = |s: &str| status_counts.0.get(s).copied().unwrap_or(0);
    let _ = writeln!(
        out,
        "  rules: {} fail, {} error, {} skip, {} pass",
        n("fail"),
        n("error"),
        n("skip"),
        n("pass")
    );
    let rank = |s: &str| {
        ["fail", "error", "skip", "pass"]
            .iter()
            .position(|x| *x == s)
            .unwrap_or(4)
    };
    let mut order: Vec<usize> = (0..table.rows).collect();
    order.sort_by_key(|&i| rank(&text(&statuses[i])));
    for i in order {
        let status = text(&statuses[i]);
        let mut values = Vec::new();
        if let Some(o) = observed[i] {
            values.push(format!("observed {o}"));
        }
        if let Some(e) = expected[i] {
            values.push(format!("expected {e}"));
        }
        let values = if values.is_empty() {
            String::new()
        } else {
            format!(" [{}]", values.join(", "))
        };
        let _ = writeln!(
            out,
            "  {:<5} {:<5} {} ({}): {}{values}",
            status.to_uppercase(),
            text(&severities[i]),
            text(&ids[i]),
            text(&kinds[i]),
            text(&messages[i])
        );
        if matches!(status.as_str(), "fail" | "error") {
            for q in quotes[i].iter().take(2) {
                let _ = writeln!(out, "        “{}”", truncate(q, 120));
            }
            if quotes[i].len() > 2 {
                let _ = writeln!(out, "        … {} more rows", quotes[i].len() - 2);
            }
        }
    }
    Ok(())
}

fn write_mentions(out: &mut String, file: ParquetFile, top: usize) -> Result<()> {
    let total = file.header.rows;
    let mut kinds = Counts::default();
    let mut linked = 0;
    file.read_columns(&["kind", "indicator"], |chunk| -> Result<()> {
        count_column(&mut kinds, chunk, "kind")?;
        linked += chunk
            .strings("indicator")?
            .iter()
            .filter(|v| v.is_some())
            .count();
        Ok(())
    })?;
    let _ = writeln!(out, "  linked to an indicator: {linked} of {total}");
    kinds.write_block(out, "mentions per kind", top.max(kinds.0.len().min(20)));
    Ok(())
}

/// `sources.parquet`: rows per kind, status and format, and the first [`SOURCES_LISTED`] not
/// read (whole), with why.
fn write_sources(out: &mut String, file: ParquetFile, top: usize) -> Result<()> {
    let (mut kinds, mut statuses, mut formats) =
        (Counts::default(), Counts::default(), Counts::default());
    let mut not_read = Vec::new();
    let mut not_read_total = 0;
    let columns = ["source_id", "kind", "origin", "status", "error", "format"];
    file.read_columns(&columns, |chunk| -> Result<()> {
        count_column(&mut kinds, chunk, "kind")?;
        count_column(&mut statuses, chunk, "status")?;
        count_column(&mut formats, chunk, "format")?;
        let status = chunk.strings("status")?;
        // A duplicate was read whole, then set aside (the status line counts them).
        let read_whole = |s: &Option<String>| {
            s.as_deref()
                .and_then(chiso_model::SourceStatus::from_name)
                .is_some_and(chiso_model::SourceStatus::read_whole)
        };
        if status.iter().all(read_whole) {
            return Ok(());
        }
        let (ids, kind) = (chunk.strings("source_id")?, chunk.strings("kind")?);
        let (origins, errors) = (chunk.strings("origin")?, chunk.strings("error")?);
        for (i, s) in status.iter().enumerate() {
            if read_whole(s) {
                continue;
            }
            not_read_total += 1;
            if not_read.len() < SOURCES_LISTED {
                let text = |v: &[Option<String>]| v[i].clone().unwrap_or_default();
                not_read.push(format!(
                    "    {} {} {} ({}){}",
                    text(&status).to_uppercase(),
                    text(&kind),
                    text(&ids),
                    text(&origins),
                    errors[i]
                        .as_deref()
                        .map(|e| format!(": {e}"))
                        .unwrap_or_default(),
                ));
            }
        }
        Ok(())
    })?;
    kinds.write_line(out, "kind");
    statuses.write_line(out, "status");
    formats.write_block(out, "formats", top);
    if not_read_total > 0 {
        let _ = writeln!(out, "  not read whole ({not_read_total})");
        for line in &not_read {
            let _ = writeln!(out, "{line}");
        }
        if not_read_total > not_read.len() {
            let _ = writeln!(out, "    … and {} more", not_read_total - not_read.len());
        }
    }
    Ok(())
}

/// Sources listed by `inspect`, failed ones and the others each; the rest are counted.
const SOURCES_LISTED: usize = 100;

/// What `inspect` reads of run.json. Its `sources` are read one at a time as the file is
/// parsed ([`SourceList`]), so the run.json of a tree of a million files (half a gigabyte) is
/// summarised in the memory of the few sources listed.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct RunSummary {
    pipeline: serde_json::Value,
    tool_version: serde_json::Value,
    schema_version: serde_json::Value,
    sources: SourceList,
    /// The counts of all sources, when run.json lists only the first (schema 1.1.0 on).
    source_counts: serde_json::Value,
    rules: serde_json::Value,
    dataset: serde_json::Value,
    files: serde_json::Value,
}

/// run.json's sources: how many, how many not read whole (failed, or a corpus with documents
/// that could not be read: partial), and the first [`SOURCES_LISTED`] of each kind, each as its
/// JSON object (a few hundred bytes).
#[derive(Default)]
struct SourceList {
    total: usize,
    failed: usize,
    partial: usize,
    listed_failed: Vec<serde_json::Value>,
    listed_ok: Vec<serde_json::Value>,
}

impl<'de> serde::Deserialize<'de> for SourceList {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = SourceList;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of sources")
            }
            /// `"sources": null`: none.
            fn visit_unit<E: serde::de::Error>(self) -> std::result::Result<SourceList, E> {
                Ok(SourceList::default())
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<SourceList, A::Error> {
                let mut list = SourceList::default();
                while let Some(source) = seq.next_element::<serde_json::Value>()? {
                    list.total += 1;
                    // A duplicate was read whole, then set aside.
                    let ok = source["status"]
                        .as_str()
                        .and_then(chiso_model::SourceStatus::from_name)
                        .is_some_and(chiso_model::SourceStatus::read_whole);
                    let partial = source["status"] == "partial";
                    list.partial += usize::from(partial);
                    list.failed += usize::from(!ok && !partial);
                    let listed = if ok {
                        &mut list.listed_ok
                    } else {
                        &mut list.listed_failed
                    };
                    if listed.len() < SOURCES_LISTED {
                        listed.push(source);
                    }
                }
                Ok(list)
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// `… and N more <what> (<lists> lists every source)` when `listed` of `all` sources were
/// listed.
fn more(out: &mut String, all: usize, listed: usize, what: &str, lists: &str) {
    if all > listed {
        let _ = writeln!(
            out,
            "    … and {} more {what} ({lists} lists every source)",
            all - listed
        );
    }
}

/// run.json: pipeline, versions, each source (failed ones first, with their reason; the first
/// [`SOURCES_LISTED`] of each), rule counts.
fn write_run_json(out: &mut String, path: &Path) -> Result<RunSummary> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut run: RunSummary = serde_json::from_reader(std::io::BufReader::new(file))
        .with_context(|| format!("{} is not a chiso run.json", path.display()))?;
    let s = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => "?".to_owned(),
        other => other.to_string(),
    };
    let _ = writeln!(
        out,
        "{}: pipeline {} ({}), chiso {}, schema {}",
        path.display(),
        s(&run.pipeline["name"]),
        s(&run.pipeline["file"]),
        s(&run.tool_version),
        s(&run.schema_version)
    );
    let mut sources = std::mem::take(&mut run.sources);
    // Before schema 1.1.0, run.json listed every source and sources.parquet did not exist.
    let lists = if run.source_counts.is_null() {
        "run.json"
    } else {
        "sources.parquet"
    };
    // run.json lists the first sources; its counts are of all of them.
    let count = |key: &str| {
        run.source_counts[key]
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
    };
    if let (Some(total), Some(partial), Some(failed)) =
        (count("sources"), count("partial"), count("failed"))
    {
        sources.total = total;
        sources.failed = failed;
        sources.partial = partial;
    }
    let mut duplicates = crate::source_log::set_aside_note(
        (count("duplicate").unwrap_or(0) + count("documents_duplicate").unwrap_or(0)) as u64,
    );
    for (key, inputs) in [
        ("ids_repeated", "with the id of an input before them"),
        (
            "texts_not_remembered",
            "with a text past the run's memory of texts (copies of it not set aside)",
        ),
        (
            "ids_not_remembered",
            "with an id past the run's memory of ids (repeats of it not counted)",
        ),
    ] {
        if let Some(n @ 1..) = count(key) {
            let _ = write!(duplicates, ", {n} {inputs}");
        }
    }
    let partial = match sources.partial {
        0 => String::new(),
        n => format!(", {n} partial"),
    };
    let _ = writeln!(
        out,
        "  sources ({}, {} failed{partial}{duplicates})",
        sources.total, sources.failed
    );
    for src in &sources.listed_failed {
        if src["status"] == "partial" {
            let _ = writeln!(
                out,
                "    PARTIAL {} ({}): {} of {} documents could not be read",
                s(&src["id"]),
                s(&src["origin"]),
                s(&src["documents_failed"]),
                s(&src["documents"])
            );
        } else {
            let _ = writeln!(
                out,
                "    FAILED  {} ({}): {}",
                s(&src["id"]),
                s(&src["origin"]),
                s(&src["error"])
            );
        }
    }
    more(
        out,
        sources.failed + sources.partial,
        sources.listed_failed.len(),
        "not read whole",
        lists,
    );
    for src in &sources.listed_ok {
        if src["status"] == "duplicate" {
            let sha = s(&src["text_sha256"]);
            let _ = writeln!(
                out,
                "    dup     {}  {} bytes, the text of an input before it (text_sha256 {}…)",
                s(&src["id"]),
                s(&src["bytes"]),
                sha.get(..12).unwrap_or(&sha)
            );
            continue;
        }
        let sha = s(&src["sha256"]);
        let _ = writeln!(
            out,
            "    ok      {}  {} bytes, {} rows, sha256 {}…",
            s(&src["id"]),
            s(&src["bytes"]),
            s(&src["rows"]),
            sha.get(..12).unwrap_or(&sha)
        );
    }
    more(
        out,
        sources.total - sources.failed - sources.partial,
        sources.listed_ok.len(),
        "read",
        lists,
    );
    let rules = &run.rules;
    let _ = writeln!(
        out,
        "  rules   {} fail, {} error, {} skip, {} pass",
        s(&rules["fail"]),
        s(&rules["error"]),
        s(&rules["skip"]),
        s(&rules["pass"])
    );
    if let Some(results) = rules["results"].as_array() {
        for r in results
            .iter()
            .filter(|r| r["status"] == "fail" || r["status"] == "error")
        {
            let _ = writeln!(
                out,
                "    {} [{}] {}: {}",
                s(&r["status"]).to_uppercase(),
                s(&r["severity"]),
                s(&r["rule_id"]),
                s(&r["message"])
            );
        }
    }
    if let Some(dir) = run.dataset["dir"].as_str() {
        let files = run.dataset["files"].as_array().map_or(0, Vec::len);
        let _ = writeln!(out, "  dataset {dir} ({files} files)");
    }
    Ok(run)
}

#[cfg(test)]
mod tests {
    /// run.json's sources: `null` is none; a corpus with unreadable documents is PARTIAL,
    /// with its counts; a failed source is FAILED with its error, listed before those read.
    #[test]
    fn run_json_sources_null_partial_and_failed() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("run.json");
        let summary = |json: &str| {
            std::fs::write(&path, json).expect("writable");
            let mut out = String::new();
            super::write_run_json(&mut out, &path).expect("readable");
            out
        };
        let out = summary(r#"{"pipeline": {"name": "p"}, "sources": null}"#);
        assert!(out.contains("  sources (0, 0 failed)"), "{out}");
        let out = summary(
            r#"{"sources": [
                {"id": "a", "status": "ok", "bytes": 10, "rows": 2, "sha256": "0123456789abcdef"},
                {"id": "news", "status": "partial", "origin": "news.jsonl", "documents": 9, "documents_failed": 2},
                {"id": "b", "status": "failed", "origin": "b.txt", "error": "cannot read b.txt"},
                7
            ]}"#,
        );
        let lines: Vec<&str> = out.lines().skip(1).collect();
        assert_eq!(
            lines[..5],
            [
                "  sources (4, 2 failed, 1 partial)",
                "    PARTIAL news (news.jsonl): 2 of 9 documents could not be read",
                "    FAILED  b (b.txt): cannot read b.txt",
                "    FAILED  ? (?): ?",
                "    ok      a  10 bytes, 2 rows, sha256 0123456789ab…",
            ],
            "{out}"
        );
    }
}
