//! The data dictionary: what every column of the four files means. [`datapackage()`] and
//! `docs/data-dictionary.md` are both generated from it, and a test checks that its column
//! lists are the Arrow schemas'.

use arrow::datatypes::{DataType, Field, SchemaRef};
use chiso_model::{Base, Comparator, Kind, Measure, MentionKind, SourceKind, SourceStatus, Unit};
use serde_json::{Value, json};

use crate::{indicators_schema, mentions_schema, sources_schema, validation_schema};

/// The documentation of one column.
struct ColumnDoc {
    name: &'static str,
    description: &'static str,
    unit: Option<&'static str>,
    allowed: Vec<&'static str>,
    example: Value,
}

fn col(name: &'static str, description: &'static str, example: Value) -> ColumnDoc {
    ColumnDoc {
        name,
        description,
        unit: None,
        allowed: Vec::new(),
        example,
    }
}

impl ColumnDoc {
    fn unit(mut self, unit: &'static str) -> ColumnDoc {
        self.unit = Some(unit);
        self
    }

    fn allowed(mut self, values: impl IntoIterator<Item = &'static str>) -> ColumnDoc {
        self.allowed = values.into_iter().collect();
        self
    }
}

fn measures() -> impl Iterator<Item = &'static str> {
    Measure::ALL.iter().map(|m| m.as_str())
}
fn bases() -> impl Iterator<Item = &'static str> {
    Base::ALL.iter().map(|b| b.as_str())
}
fn kinds() -> impl Iterator<Item = &'static str> {
    Kind::ALL.iter().map(|k| k.as_str())
}
fn comparators() -> impl Iterator<Item = &'static str> {
    Comparator::ALL.iter().map(|c| c.as_str())
}
fn units() -> impl Iterator<Item = &'static str> {
    Unit::ALL.iter().map(|u| u.as_str())
}

const VALUE_UNIT: &str = "the row's `unit`";
const CODE_POINTS: &str = "Unicode code points into the source's NFC text";

fn indicator_docs() -> Vec<ColumnDoc> {
    vec![
        col("source_id", "Id of the source (from the pipeline file) the statement was read from.", json!("qn-kt-xh-2023")),
        col("indicator", "Catalogue id of the indicator.", json!("gdp_growth")),
        col("geo_code", "ISO 3166-2:VN code of the place, `VN` for the whole country; null when unknown. A province or city formed by the merger of 2025-07-01 keeps the code of the former one whose name it keeps (the Lào Cai of 2025, Lào Cai and Yên Bái, is `VN-02` as the Lào Cai before it was): `geo_id` tells them apart.", json!("VN-13")),
        col("geo_id", "The place as one unit of the map: `geo_code` for the country, the 63 provinces and cities of 2008-08-01 to 2025-06-30 and the 10 the 2025 merger left as they were; `geo_code` and `-2025` for the 23 it formed on 2025-07-01 (`VN-02-2025`, Lào Cai with Yên Bái) and for Huế, a centrally-run city from 2025-01-01 (`VN-26-2025`); a region's id. A place a text names is the unit in force when the text was published, unless the text writes it as the former one (\"tỉnh Lào Cai (cũ)\", \"Lào Cai cũ\": `VN-02`) or the new one (\"(mới)\"); a table's place is the unit in force on 1 July of the row's year (for 2025, the 34). Null when geo_code is.", json!("VN-13")),
        col("geo_name", "Official name of the place; null when unknown.", json!("Quảng Ninh")),
        col("period_start", "First day of the reference period; null when the text gives none.", json!("2023-01-01")),
        col("period_end", "Last day of the reference period; null when the text gives none.", json!("2023-03-31")),
        col("period_label", "Short label of the period: `2022`, `2023-Q1`, `2022-10`, `2023-01/2023-09` (cumulative months), `2021/2025` (run of years), `2023-01-01/2023-11-15` (from 1 January to a day the text counts to: \"tính đến ngày 15/11/2023\", or to the publication day for \"từ đầu năm đến nay\"; counted to a month's last day it is the months, to its first day the months before it, and the twelve months are the year).", json!("2023-Q1")),
        col("measure", "What the value measures about the indicator: `level` its value; `change` how much it moved, in `percent` (\"tăng 12%\"), `pp` or the indicator's own unit (\"tăng 5 tỷ USD\"); `plan_share` the share of a plan reached; `rank` its place in a ranking.", json!("level")).allowed(measures()),
        col("base", "What a change (or a growth rate) is measured against, when the text says (\"so với …\"): `year_ago` the same period a year before (\"so với cùng kỳ\"), `previous_period` the one just before (\"so với tháng trước\"), `year_start` December of the year before (\"so với tháng 12 năm trước\", \"so với đầu năm\"), `other_period` another period the text names (\"so với năm 2015\"); when the base's period is known it decides (December of the year before is `year_ago` of a December). Null when the text names no base, and for plan shares, ranks and levels other than a growth rate's (`gdp_growth` \"tăng 7,3% so với năm 2021\" has one).", json!("year_ago")).allowed(bases()),
        col("base_period", "Label of the base's period, as `period_label`, when it is known: the period named, or the one `base` gives from the row's period (`year_ago` of `2023-Q1` is `2022-Q1`); null otherwise.", json!("2022-Q1")),
        col("kind", "Whether the value was achieved, estimated, targeted or forecast.", json!("actual")).allowed(kinds()),
        col("comparator", "How the stated value relates to the true one (`gt` for \"hơn\", `approx` for \"khoảng\").", json!("eq")).allowed(comparators()),
        col("value", "The single value; null for a range (then see value_low and value_high).", json!(7.35)).unit(VALUE_UNIT),
        col("value_low", "Low end of the value, in base units (equal to value_high for a single value).", json!(7.35)).unit(VALUE_UNIT),
        col("value_high", "High end of the value, in base units.", json!(7.35)).unit(VALUE_UNIT),
        col("unit", "Unit of value, value_low and value_high; money in whole currency units, percent as 19.3 for 19,3%.", json!("percent")).allowed(units()),
        col("rank_total", "For ranks: the size of the ranking (\"thứ 4/14\" gives 14), else its group's size when the ranked period ends (a region's is not known after the 2025 merger: null); a table's from its mapping's `rank_total` or `rank_group`; null otherwise.", json!(63)).unit("count"),
        col("of_total", "For parts of a whole (\"24/25 chỉ tiêu\"): the whole; null otherwise.", json!(25.0)).unit(VALUE_UNIT),
        col("rank_group", "For ranks: the ranking group when known (`VN-provinces`, the 63 provinces; `VN-provinces-2025`, the 34 after the 2025 merger; a region id); null otherwise.", json!("VN-provinces")),
        col("quote", "The sentence the statement comes from, verbatim from the NFC text.", json!("Tăng trưởng GRDP quý I/2023 đạt 7,35%.")),
        col("char_start", "Start of the number expression (inclusive).", json!(31)).unit(CODE_POINTS),
        col("char_end", "End of the number expression (exclusive).", json!(36)).unit(CODE_POINTS),
        col("occurrences", "How many times the source states it: a sentence repeated word for word, or contained in a longer one (a pull quote, a repeated paragraph), gives one row, and each time it is stated counts here.", json!(1)).unit("count"),
    ]
}

fn mention_docs() -> Vec<ColumnDoc> {
    vec![
        col("source_id", "Id of the source the mention was found in.", json!("qn-kt-xh-2023")),
        col("mention_index", "0-based position of the mention among its source's mentions in this file.", json!(0)),
        col("kind", "What the numeric expression is; only value kinds can become indicator values, the others are typed so nothing mistakes a year or a decree number for a value.", json!("percent")).allowed(MentionKind::ALL.iter().map(|k| k.as_str())),
        col("text", "The expression as written.", json!("7,35%")),
        col("char_start", "Start of the expression (inclusive).", json!(31)).unit(CODE_POINTS),
        col("char_end", "End of the expression (exclusive).", json!(36)).unit(CODE_POINTS),
        col("value_low", "Parsed low value in base units; null when the mention has no value.", json!(7.35)).unit(VALUE_UNIT),
        col("value_high", "Parsed high value in base units (equal to value_low for a single value).", json!(7.35)).unit(VALUE_UNIT),
        col("unit", "Unit of the values; null when the mention has none.", json!("percent")).allowed(units()),
        col("comparator", "Comparator words around the number.", json!("eq")).allowed(comparators()),
        col("rank_total", "For ranks: the size of the ranking; null otherwise.", json!(14)).unit("count"),
        col("of_total", "For slash pairs: the second value (\"7/10 chỉ tiêu\" gives 10); null otherwise.", json!(10.0)).unit(VALUE_UNIT),
        col("counted_noun", "For counts: the noun counted (\"24 chỉ tiêu\" gives \"chỉ tiêu\"); null otherwise.", json!("chỉ tiêu")),
        col("period_start", "For periods, years and dates whose year the text states: first day (a date's own day: \"ngày 29/03/2023\" is 2023-03-29); null otherwise (also for yearless references).", json!("2023-01-01")),
        col("period_end", "Last day of that period; null as period_start.", json!("2023-03-31")),
        col("period_label", "Label of the named period (`2023-Q1`); for a reference whose year comes from context, what was named and a note, e.g. `Q3 (year from context)`, `months 01-06 (year from context)`, `month 11 day 15 (year from context)`; a date's label is its day (`2023-03-29`).", json!("2023-Q1")),
        col("reading", "How an ambiguous form was read, when it was.", json!("dot read as thousands separator")),
        col("indicator", "Catalogue id of the indicator the mention was read as the value of; null when none.", json!("gdp_growth")),
        col("sentence", "The sentence around the mention.", json!("Tăng trưởng GRDP quý I/2023 đạt 7,35%.")),
    ]
}

fn validation_docs() -> Vec<ColumnDoc> {
    vec![
        col("rule_id", "Id of the rule in the rules file.", json!("gdp-growth-range")),
        col("rule_kind", "Kind of rule: expect, range, rank, sum, ratio, consistent, reference, not_null, ...", json!("range")),
        col("severity", "Declared severity: `error` fails the run, `warn` only with `--fail-on warn`.", json!("error")).allowed(["warn", "error"]),
        col("status", "Outcome: `skip` when the selection matched nothing, `error` when the rule could not be evaluated.", json!("pass")).allowed(["pass", "fail", "skip", "error"]),
        col("observed", "What was found, when it is a number (for a failed `consistent` rule, the highest value of the first statement that disagrees, in key order; its message names that statement).", json!(7.35)),
        col("expected", "What was expected, when it is a number (for a failed `consistent` rule, the lowest value of that statement).", json!(6.5)),
        col("message", "One sentence for a person.", json!("gdp_growth 2023-Q1 VN-13 is 7.35, within [-10, 20].")),
        col("rows", "The dataset rows the result concerns: a list of {source_id, indicator, geo_code, period_label, value_low, value_high, quote}, at most 1 000 per result (the message counts them all; docs/rules.md says which are listed). A mention fact (a rule with `from = \"mentions\"`) is listed with its sentence as the quote, its indicator when it was linked to one, else its counted noun (`chỉ tiêu`), else an empty string, and no geo_code or period_label.", json!([{"source_id": "qn-kt-xh-2023", "indicator": "gdp_growth", "geo_code": "VN-13", "period_label": "2023-Q1", "value_low": 7.35, "value_high": 7.35, "quote": "Tăng trưởng GRDP quý I/2023 đạt 7,35%."}])),
    ]
}

fn source_docs() -> Vec<ColumnDoc> {
    vec![
        col("source_id", "Id the rows read from it carry (`source_id` of indicators and mentions): the pipeline's source id, a directory's file id, or a corpus document's id (after its corpus's `id_prefix`, when the pipeline gives one). For a corpus document that could not be read (a line that is not JSON, has no text or is too long), its corpus's id.", json!("lao-cai-2023")),
        col("kind", "What the row describes: a file or URL read as one document (`source`), a corpus file or URL (`corpus`), or one document of a corpus (`document`).", json!("source")).allowed(SourceKind::ALL.iter().map(|k| k.as_str())),
        col("corpus_id", "For a corpus document: the id of its corpus (the `source_id` of the corpus row); null otherwise.", json!(null)),
        col("origin", "Path (the pipeline file's directory joined with its `path`: absolute when the pipeline was named by an absolute path, else relative to the directory `chiso run` ran in, run.json's `working_directory`) or URL it was read from; for a corpus document, its url, else `<corpus origin>:<line or row>` (so also for a document whose record could not be read).", json!("pipelines/lao-cai/sources/lao-cai-interview.txt")),
        col("status", "`ok`: read whole; `partial`: a corpus some of whose documents could not be read (see errors); `failed`: not read (see error), or a corpus none of whose documents could be read; `duplicate`: read, with the same text as an input before it in the run (the same text_sha256), so not read for indicators again: it gives no rows (the pipeline's `duplicates = \"keep\"` reads every copy).", json!("ok")).allowed(SourceStatus::ALL.iter().map(|s| s.as_str())),
        col("error", "Why it was not read, naming the place; null when it was.", json!(null)),
        col("format", "The format it was read as; null for a corpus document and a file or URL that could not be read.", json!("text")),
        col("encoding", "How its bytes were decoded, for a source read as one document: utf-8, utf-16le, utf-16be, or windows-1258 for bytes that are not UTF-8. A UTF-8 text with a few stray bytes of another encoding is utf-8, each stray sequence replaced by U+FFFD, and its warning says where the first was.", json!("utf-8")),
        col("sha256", "Hex SHA-256 of its bytes; null for a corpus document (its corpus's hash is its provenance).", json!("88b17a8f905aedff2c0895168b42ea17995c32715e871c2e6f8a4d350366da32")),
        col("text_sha256", "Hex SHA-256 of the text read from it (UTF-8, NFC, lines ending in \\n), trimmed of surrounding whitespace, for a file or URL read as one document and for a corpus document; null for a corpus, for what could not be read and for a document without text (a table file). Equal texts have equal hashes whatever their files' encodings or markup: a `duplicate`'s statements are the rows of the first input with its text_sha256, read with that input's place and date.", json!("f88722921d1db6cca44ca06c31ee878d892ecb20dc088538a8fc656214d1bfe8")),
        col("bytes", "Size of its bytes as read; for a corpus document, of its text as the corpus holds it.", json!(3250)).unit("bytes"),
        col("published_start", "First day of its publication date as far as known (a year gives 1 January); null when unknown.", json!("2023-02-01")),
        col("published_end", "Last day of its publication date as far as known (a year gives 31 December).", json!("2023-02-28")),
        col("geo_code", "ISO 3166-2:VN code the pipeline or the corpus gives it, used where the text names no place.", json!("VN-02")),
        col("sentences", "Sentences kept, after repeated ones were merged; for a corpus, of all its documents; null for a duplicate (not read for numbers) and what could not be read.", json!(17)).unit("count"),
        col("repeats_merged", "Repeated sentences merged into one, for a source read as one document.", json!(0)).unit("count"),
        col("tables", "Tables read, for a source read as one document.", json!(0)).unit("count"),
        col("mentions", "Numeric expressions found; for a corpus, in all its documents; null for a duplicate and what could not be read.", json!(43)).unit("count"),
        col("rows", "Indicator rows it gave (0 for a duplicate); for a corpus, all its documents gave.", json!(16)).unit("count"),
        col("documents", "For a corpus: its documents, read or not.", json!(null)).unit("count"),
        col("documents_failed", "For a corpus: its documents that could not be read.", json!(null)).unit("count"),
        col("documents_duplicate", "For a corpus: its documents with the text of an input before them (status `duplicate`).", json!(null)).unit("count"),
        col("text_bytes", "For a corpus: bytes of text of the documents read, duplicates included.", json!(null)).unit("bytes"),
        col("fetch_url", "For a URL: the URL as the pipeline gives it; null for a file.", json!(null)),
        col("fetch_final_url", "For a URL: the URL after redirects.", json!(null)),
        col("fetch_status", "For a URL: the HTTP status of the last response (304 when the cached body was revalidated); null when no request was made (offline).", json!(null)),
        col("fetch_bytes", "For a URL: size of the body.", json!(null)).unit("bytes"),
        col("fetch_sha256", "For a URL: hex SHA-256 of the body.", json!(null)),
        col("fetch_from_cache", "For a URL: whether the body came from the cache.", json!(null)),
        col("errors", "For a corpus: the first document errors (the count is documents_failed); empty otherwise.", json!([])),
        col("warnings", "Things a person should look at (text that looks like mojibake, bytes that were not UTF-8, rows of a table skipped, a corpus document's date or place that could not be read and was left out, a corpus field named in [sources.corpus] that no document has).", json!([])),
    ]
}

/// The exact Arrow type, spelled as pyarrow prints it.
fn arrow_type(t: &DataType) -> String {
    match t {
        DataType::Dictionary(k, v) => format!(
            "dictionary<values={}, indices={}>",
            arrow_type(v),
            arrow_type(k)
        ),
        DataType::Utf8 => "string".into(),
        DataType::Date32 => "date32[day]".into(),
        DataType::Float64 => "double".into(),
        DataType::Int32 => "int32".into(),
        DataType::Int64 => "int64".into(),
        DataType::Boolean => "bool".into(),
        DataType::List(f) => format!("list<{}: {}>", f.name(), arrow_type(f.data_type())),
        DataType::Struct(fields) => {
            let inner: Vec<String> = fields
                .iter()
                .map(|f| format!("{}: {}", f.name(), arrow_type(f.data_type())))
                .collect();
            format!("struct<{}>", inner.join(", "))
        }
        other => other.to_string(),
    }
}

/// The Frictionless table-schema type of an Arrow type.
fn frictionless_type(t: &DataType) -> &'static str {
    match t {
        DataType::Dictionary(_, v) => frictionless_type(v),
        DataType::Utf8 => "string",
        DataType::Date32 => "date",
        DataType::Float64 => "number",
        DataType::Int32 | DataType::Int64 => "integer",
        DataType::Boolean => "boolean",
        DataType::List(_) => "array",
        DataType::Struct(_) => "object",
        _ => "any",
    }
}

fn field_json(field: &Field, doc: Option<&ColumnDoc>) -> Value {
    let mut constraints = serde_json::Map::new();
    constraints.insert("required".into(), json!(!field.is_nullable()));
    let mut out = serde_json::Map::new();
    out.insert("name".into(), json!(field.name()));
    out.insert("type".into(), json!(frictionless_type(field.data_type())));
    out.insert("arrowType".into(), json!(arrow_type(field.data_type())));
    if let Some(doc) = doc {
        out.insert("description".into(), json!(doc.description));
        if let Some(unit) = doc.unit {
            out.insert("unit".into(), json!(unit));
        }
        if !doc.allowed.is_empty() {
            constraints.insert("enum".into(), json!(doc.allowed));
        }
        out.insert("example".into(), doc.example.clone());
    }
    out.insert("constraints".into(), Value::Object(constraints));
    Value::Object(out)
}

fn resource(name: &str, title: &str, schema: &SchemaRef, docs: &[ColumnDoc]) -> Value {
    let fields: Vec<Value> = schema
        .fields()
        .iter()
        .map(|f| field_json(f, docs.iter().find(|d| d.name == f.name())))
        .collect();
    json!({
        "name": name,
        "path": format!("{name}.parquet"),
        "format": "parquet",
        "mediatype": "application/vnd.apache.parquet",
        "title": title,
        "schema": { "fields": fields },
    })
}

/// A Frictionless-style data package describing the four files: every column's name, type,
/// exact Arrow type, description, unit, allowed values and an example.
pub fn datapackage() -> Value {
    datapackage_with(true)
}

/// [`datapackage()`] of an output with or without `mentions.parquet` (`chiso run
/// --no-mentions` leaves it out).
pub fn datapackage_with(mentions: bool) -> Value {
    let mut resources = vec![resource(
        "indicators",
        "One row per indicator statement.",
        &indicators_schema(),
        &indicator_docs(),
    )];
    if mentions {
        resources.push(resource(
            "mentions",
            "Every numeric expression found in every source, typed.",
            &mentions_schema(),
            &mention_docs(),
        ));
    }
    resources.push(resource(
        "validation",
        "One row per evaluated rule check, with the rows it concerns.",
        &validation_schema(),
        &validation_docs(),
    ));
    resources.push(resource(
        "sources",
        "One row per input read: each file or URL, each corpus and each document of a corpus, with what it gave.",
        &sources_schema(),
        &source_docs(),
    ));
    json!({
        "profile": "tabular-data-package",
        "name": "chiso",
        "title": "chiso: socio-economic indicators read from Vietnamese news and government text",
        "chiso_schema_version": chiso_model::SCHEMA_VERSION,
        "resources": resources,
    })
}

/// The names of the documented columns of each table, in order, for the consistency test.
#[cfg(test)]
pub(crate) fn documented_columns() -> [(&'static str, Vec<&'static str>); 4] {
    let names = |docs: Vec<ColumnDoc>| docs.into_iter().map(|d| d.name).collect();
    [
        ("indicators", names(indicator_docs())),
        ("mentions", names(mention_docs())),
        ("validation", names(validation_docs())),
        ("sources", names(source_docs())),
    ]
}

fn cell(v: &Value) -> String {
    let s = match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    s.replace('|', "\\|").replace('\n', " ")
}

/// The data dictionary as Markdown, generated from [`datapackage()`]; `docs/data-dictionary.md`
/// is this text.
pub fn data_dictionary_markdown() -> String {
    let package = datapackage();
    let mut md = String::new();
    md.push_str("# chiso data dictionary\n\n");
    md.push_str("<!-- Generated from chiso_load::data_dictionary_markdown(); regenerate with\n");
    md.push_str(
        "     CHISO_BLESS=1 cargo test -p chiso-load data_dictionary. Do not edit by hand. -->\n\n",
    );
    md.push_str(&format!(
        "Schema version {}. Every file is Parquet (zstd, dictionary-encoded low-cardinality strings, page statistics except on the sentence and quote columns) \
         with the key-value metadata `chiso.schema_version`, `chiso.tool_version`, `chiso.pipeline`, \
         `chiso.pipeline_sha256` and `chiso.inputs` (a JSON list of `{{source_id, sha256}}`, one per input read; \
         past {} inputs, one per pipeline source, `{{source_id, sha256, inputs}}`: its id, the SHA-256 of the lines \
         `<source id> <sha256>` of its inputs in the order they were read, and their number; `sources.parquet` lists every input). \
         `datapackage.json` next to the files holds this dictionary as JSON (a Frictionless tabular data package); \
         the run's own record (its sources, counts, rules and timings) is `run.json`.\n\n",
        chiso_model::SCHEMA_VERSION,
        crate::MAX_LISTED_INPUTS,
    ));
    md.push_str("Types are Arrow types, as pyarrow prints them but for two details it adds \
                 (`dictionary<values=string, indices=int32, ordered=0>`, `list<item: string not null>`); \
                 `dictionary<values=string, indices=int32>` reads as a string \
                 (categorical in polars). \"Null\" says whether the column may hold nulls.\n");
    let empty = Vec::new();
    let resources = package["resources"].as_array().unwrap_or(&empty);
    for r in resources {
        md.push_str(&format!(
            "\n## {}\n\n{}\n\n",
            cell(&r["path"]),
            cell(&r["title"])
        ));
        md.push_str("| Column | Type | Null | Meaning | Unit | Allowed values | Example |\n");
        md.push_str("|---|---|---|---|---|---|---|\n");
        let fields = r["schema"]["fields"].as_array().unwrap_or(&empty);
        for f in fields {
            let allowed = f["constraints"]["enum"]
                .as_array()
                .map(|vs| {
                    vs.iter()
                        .map(|v| format!("`{}`", cell(v)))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            let nullable = if f["constraints"]["required"] == json!(true) {
                "no"
            } else {
                "yes"
            };
            md.push_str(&format!(
                "| `{}` | `{}` | {} | {} | {} | {} | `{}` |\n",
                cell(&f["name"]),
                cell(&f["arrowType"]),
                nullable,
                cell(&f["description"]),
                cell(&f["unit"]),
                allowed,
                cell(&f["example"]),
            ));
        }
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_columns_are_the_schema_columns() {
        let schemas = [
            indicators_schema(),
            mentions_schema(),
            validation_schema(),
            sources_schema(),
        ];
        for ((table, documented), schema) in documented_columns().into_iter().zip(schemas) {
            let actual: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
            assert_eq!(documented, actual, "{table}");
        }
    }
}
