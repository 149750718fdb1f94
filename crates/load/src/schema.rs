//! The exact Arrow schemas of the four output files.
//!
//! Low-cardinality strings are `Dictionary(Int32, Utf8)`; every column the data model always
//! fills is declared non-nullable.

use std::sync::{Arc, LazyLock};

use arrow::datatypes::{DataType, Field, Fields, Schema, SchemaRef};

/// `Dictionary(Int32, Utf8)`: a string column with few distinct values.
pub(crate) fn dict_utf8() -> DataType {
    DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8))
}

fn dict(name: &str, nullable: bool) -> Field {
    Field::new(name, dict_utf8(), nullable)
}

fn utf8(name: &str, nullable: bool) -> Field {
    Field::new(name, DataType::Utf8, nullable)
}

fn f64_(name: &str, nullable: bool) -> Field {
    Field::new(name, DataType::Float64, nullable)
}

fn i32_(name: &str, nullable: bool) -> Field {
    Field::new(name, DataType::Int32, nullable)
}

fn i64_(name: &str, nullable: bool) -> Field {
    Field::new(name, DataType::Int64, nullable)
}

fn date(name: &str, nullable: bool) -> Field {
    Field::new(name, DataType::Date32, nullable)
}

static INDICATORS: LazyLock<SchemaRef> = LazyLock::new(|| {
    Arc::new(Schema::new(vec![
        dict("source_id", false),
        dict("indicator", false),
        dict("geo_code", true),
        dict("geo_id", true),
        dict("geo_name", true),
        date("period_start", true),
        date("period_end", true),
        dict("period_label", true),
        dict("measure", false),
        dict("base", true),
        dict("base_period", true),
        dict("kind", false),
        dict("comparator", false),
        f64_("value", true),
        f64_("value_low", false),
        f64_("value_high", false),
        dict("unit", false),
        i32_("rank_total", true),
        f64_("of_total", true),
        utf8("rank_group", true),
        utf8("quote", false),
        i64_("char_start", false),
        i64_("char_end", false),
        i32_("occurrences", false),
    ]))
});

static MENTIONS: LazyLock<SchemaRef> = LazyLock::new(|| {
    Arc::new(Schema::new(vec![
        dict("source_id", false),
        i32_("mention_index", false),
        dict("kind", false),
        utf8("text", false),
        i64_("char_start", false),
        i64_("char_end", false),
        f64_("value_low", true),
        f64_("value_high", true),
        dict("unit", true),
        dict("comparator", false),
        i32_("rank_total", true),
        f64_("of_total", true),
        utf8("counted_noun", true),
        date("period_start", true),
        date("period_end", true),
        dict("period_label", true),
        utf8("reading", true),
        dict("indicator", true),
        utf8("sentence", false),
    ]))
});

/// `schema` with the long repeated string columns of record batches ([`crate::dict_column`]'s
/// `RunColumn`: the indicators' `quote`, the mentions' `sentence`) as dictionaries; the files
/// store them as plain strings.
fn batch_schema(schema: &Schema, run_column: &str) -> SchemaRef {
    let fields: Vec<Field> = schema
        .fields()
        .iter()
        .map(|f| {
            if f.name() == run_column {
                f.as_ref().clone().with_data_type(dict_utf8())
            } else {
                f.as_ref().clone()
            }
        })
        .collect();
    Arc::new(Schema::new(fields))
}

static INDICATORS_BATCH: LazyLock<SchemaRef> = LazyLock::new(|| batch_schema(&INDICATORS, "quote"));

static MENTIONS_BATCH: LazyLock<SchemaRef> = LazyLock::new(|| batch_schema(&MENTIONS, "sentence"));

/// The fields of one element of `validation.rows`.
pub(crate) fn concerned_row_fields() -> Fields {
    Fields::from(vec![
        utf8("source_id", false),
        utf8("indicator", false),
        utf8("geo_code", true),
        utf8("period_label", true),
        f64_("value_low", false),
        f64_("value_high", false),
        utf8("quote", false),
    ])
}

/// The element field of the `validation.rows` list.
pub(crate) fn concerned_row_item() -> Arc<Field> {
    Arc::new(Field::new(
        "item",
        DataType::Struct(concerned_row_fields()),
        false,
    ))
}

static VALIDATION: LazyLock<SchemaRef> = LazyLock::new(|| {
    Arc::new(Schema::new(vec![
        utf8("rule_id", false),
        dict("rule_kind", false),
        dict("severity", false),
        dict("status", false),
        f64_("observed", true),
        f64_("expected", true),
        utf8("message", false),
        Field::new("rows", DataType::List(concerned_row_item()), false),
    ]))
});

static SOURCES: LazyLock<SchemaRef> = LazyLock::new(|| {
    let int = |name: &str| i64_(name, true);
    let list = |name: &str| Field::new(name, DataType::List(crate::sources::text_item()), false);
    Arc::new(Schema::new(vec![
        dict("source_id", false),
        dict("kind", false),
        dict("corpus_id", true),
        utf8("origin", false),
        dict("status", false),
        utf8("error", true),
        dict("format", true),
        dict("encoding", true),
        utf8("sha256", true),
        utf8("text_sha256", true),
        int("bytes"),
        date("published_start", true),
        date("published_end", true),
        dict("geo_code", true),
        int("sentences"),
        int("repeats_merged"),
        int("tables"),
        int("mentions"),
        int("rows"),
        int("documents"),
        int("documents_failed"),
        int("documents_duplicate"),
        int("text_bytes"),
        utf8("fetch_url", true),
        utf8("fetch_final_url", true),
        i32_("fetch_status", true),
        int("fetch_bytes"),
        utf8("fetch_sha256", true),
        Field::new("fetch_from_cache", DataType::Boolean, true),
        list("errors"),
        list("warnings"),
    ]))
});

/// Schema of `indicators.parquet`: one row per indicator statement.
pub fn indicators_schema() -> SchemaRef {
    Arc::clone(&INDICATORS)
}

/// Schema of `mentions.parquet`: one row per numeric expression found in a source.
pub fn mentions_schema() -> SchemaRef {
    Arc::clone(&MENTIONS)
}

/// Schema of the record batches of [`crate::indicators_batch`]: [`indicators_schema`] with
/// `quote` as a dictionary (a quote is stored once for the statements read from one sentence).
pub fn indicators_batch_schema() -> SchemaRef {
    Arc::clone(&INDICATORS_BATCH)
}

/// Schema of the record batches of [`crate::mentions_batch`] and [`crate::MentionsBuilder`]:
/// [`mentions_schema`] with `sentence` as a dictionary (stored once for its mentions).
pub fn mentions_batch_schema() -> SchemaRef {
    Arc::clone(&MENTIONS_BATCH)
}

/// Schema of `validation.parquet`: one row per evaluated rule check.
pub fn validation_schema() -> SchemaRef {
    Arc::clone(&VALIDATION)
}

/// Schema of `sources.parquet`: one row per input read (file, URL, corpus, corpus document).
pub fn sources_schema() -> SchemaRef {
    Arc::clone(&SOURCES)
}
