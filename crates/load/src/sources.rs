//! `sources.parquet`: one row per input a run read (each file or URL, each corpus, and each
//! document of a corpus), with what it gave. Its `source_id` is the one the indicator and
//! mention rows carry, so a row's origin, url and publication date are one join away.

use std::sync::Arc;

use arrow::array::{
    ArrayRef, BooleanBuilder, Date32Builder, Int32Builder, Int64Builder, ListBuilder, RecordBatch,
    StringBuilder, StringDictionaryBuilder,
};
use arrow::datatypes::{DataType, Field, Int32Type};
use chiso_model::SourceEntry;

use crate::{Error, Result, sources_schema};

const TABLE: &str = "sources";

/// Rows per row group of `sources.parquet`: a few MB of ids, origins and hashes.
pub const SOURCES_GROUP_ROWS: usize = 16 << 10;

/// The element field of the `errors` and `warnings` lists.
pub(crate) fn text_item() -> Arc<Field> {
    Arc::new(Field::new("item", DataType::Utf8, false))
}

/// A count as the `int64` its column holds.
fn count(column: &'static str, n: Option<u64>) -> Result<Option<i64>> {
    n.map(|n| {
        i64::try_from(n).map_err(|_| Error::OutOfRange {
            table: TABLE,
            column,
            value: n.to_string(),
            target: "int64",
        })
    })
    .transpose()
}

/// Builds a record batch of `sources.parquet`, rows in the order given.
pub fn sources_batch(entries: &[SourceEntry]) -> Result<RecordBatch> {
    let n = entries.len();
    let dict = StringDictionaryBuilder::<Int32Type>::new;
    let list = || ListBuilder::new(StringBuilder::new()).with_field(text_item());
    let mut source_id = dict();
    let mut kind = dict();
    let mut corpus_id = dict();
    let mut origin = StringBuilder::new();
    let mut status = dict();
    let mut error = StringBuilder::new();
    let mut format = dict();
    let mut encoding = dict();
    let mut sha256 = StringBuilder::new();
    let mut text_sha256 = StringBuilder::new();
    let mut published_start = Date32Builder::with_capacity(n);
    let mut published_end = Date32Builder::with_capacity(n);
    let mut geo_code = dict();
    // A column of counts, one pass over the entries each.
    let counts = |column: &'static str, get: fn(&SourceEntry) -> Option<u64>| -> Result<ArrayRef> {
        let mut b = Int64Builder::with_capacity(n);
        for e in entries {
            b.append_option(count(column, get(e))?);
        }
        Ok(Arc::new(b.finish()))
    };
    let mut fetch_url = StringBuilder::new();
    let mut fetch_final_url = StringBuilder::new();
    let mut fetch_status = Int32Builder::with_capacity(n);
    let mut fetch_sha256 = StringBuilder::new();
    let mut fetch_from_cache = BooleanBuilder::with_capacity(n);
    let mut errors = list();
    let mut warnings = list();
    for e in entries {
        source_id.append_value(&e.id);
        kind.append_value(e.kind.as_str());
        corpus_id.append_option(e.corpus_id.as_deref());
        origin.append_value(&e.origin);
        status.append_value(e.status.as_str());
        error.append_option(e.error.as_deref());
        format.append_option(e.format.as_deref());
        encoding.append_option(e.encoding.as_deref());
        sha256.append_option(e.sha256.as_deref());
        text_sha256.append_option(e.text_sha256.as_deref());
        published_start.append_option(e.published.map(|p| p.first_day().days_since_epoch()));
        published_end.append_option(e.published.map(|p| p.last_day().days_since_epoch()));
        geo_code.append_option(e.geo.as_deref());
        let fetch = e.fetch.as_ref();
        fetch_url.append_option(fetch.map(|f| &f.url));
        fetch_final_url.append_option(fetch.map(|f| &f.final_url));
        fetch_status.append_option(fetch.and_then(|f| f.status).map(i32::from));
        fetch_sha256.append_option(fetch.map(|f| &f.sha256));
        fetch_from_cache.append_option(fetch.map(|f| f.from_cache));
        for e in &e.errors {
            errors.values().append_value(e);
        }
        errors.append(true);
        for w in &e.warnings {
            warnings.values().append_value(w);
        }
        warnings.append(true);
    }
    let columns: Vec<ArrayRef> = vec![
        Arc::new(source_id.finish()),
        Arc::new(kind.finish()),
        Arc::new(corpus_id.finish()),
        Arc::new(origin.finish()),
        Arc::new(status.finish()),
        Arc::new(error.finish()),
        Arc::new(format.finish()),
        Arc::new(encoding.finish()),
        Arc::new(sha256.finish()),
        Arc::new(text_sha256.finish()),
        counts("bytes", |e| e.bytes)?,
        Arc::new(published_start.finish()),
        Arc::new(published_end.finish()),
        Arc::new(geo_code.finish()),
        counts("sentences", |e| e.sentences)?,
        counts("repeats_merged", |e| e.repeats_merged)?,
        counts("tables", |e| e.tables)?,
        counts("mentions", |e| e.mentions)?,
        counts("rows", |e| e.rows)?,
        counts("documents", |e| e.documents)?,
        counts("documents_failed", |e| e.documents_failed)?,
        counts("documents_duplicate", |e| e.documents_duplicate)?,
        counts("text_bytes", |e| e.text_bytes)?,
        Arc::new(fetch_url.finish()),
        Arc::new(fetch_final_url.finish()),
        Arc::new(fetch_status.finish()),
        counts("fetch_bytes", |e| e.fetch.as_ref().map(|f| f.bytes))?,
        Arc::new(fetch_sha256.finish()),
        Arc::new(fetch_from_cache.finish()),
        Arc::new(errors.finish()),
        Arc::new(warnings.finish()),
    ];
    RecordBatch::try_new(sources_schema(), columns).map_err(|source| Error::Arrow {
        table: TABLE,
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::{Array, AsArray};
    use arrow::datatypes::{Date32Type, Int64Type};
    use chiso_model::{FetchRecord, PartialDate, SourceKind, SourceStatus};

    fn entries() -> Vec<SourceEntry> {
        vec![
            SourceEntry {
                id: "lao-cai".into(),
                origin: "data/lao-cai.txt".into(),
                format: Some("text".into()),
                encoding: Some("utf-8".into()),
                sha256: Some("ab".repeat(32)),
                bytes: Some(12_345),
                published: Some(PartialDate::Month {
                    year: 2023,
                    month: 2,
                }),
                sentences: Some(40),
                rows: Some(10),
                warnings: vec!["mojibake?".into()],
                fetch: Some(FetchRecord {
                    url: "http://127.0.0.1/a".into(),
                    final_url: "http://127.0.0.1/b".into(),
                    status: Some(304),
                    bytes: 12_345,
                    sha256: "cd".repeat(32),
                    from_cache: true,
                    content_type: Some("text/plain".into()),
                }),
                ..SourceEntry::default()
            },
            SourceEntry {
                id: "news".into(),
                kind: SourceKind::Corpus,
                origin: "news.jsonl".into(),
                status: SourceStatus::Partial,
                documents: Some(2),
                documents_failed: Some(1),
                errors: vec!["line 2: not JSON".into(), "line 3: no text".into()],
                ..SourceEntry::default()
            },
            SourceEntry {
                id: "news-1".into(),
                kind: SourceKind::Document,
                corpus_id: Some("news".into()),
                origin: "https://baolaocai.vn/1".into(),
                published: Some(PartialDate::Year(2022)),
                geo: Some("VN-02".into()),
                ..SourceEntry::default()
            },
        ]
    }

    /// Every field lands in its column; what does not apply is null, lists are empty.
    #[test]
    fn entries_become_typed_rows() {
        let batch = sources_batch(&entries()).expect("a batch");
        assert_eq!(batch.num_rows(), 3);
        let col = |name: &str| batch.column_by_name(name).expect(name).clone();
        let text = |name: &str, i: usize| {
            let c = arrow::compute::cast(&col(name), &DataType::Utf8).expect("castable");
            let c = c.as_string::<i32>();
            c.is_valid(i).then(|| c.value(i).to_owned())
        };
        assert_eq!(text("kind", 1).as_deref(), Some("corpus"));
        assert_eq!(text("status", 1).as_deref(), Some("partial"));
        assert_eq!(text("corpus_id", 2).as_deref(), Some("news"));
        assert_eq!(text("corpus_id", 0), None);
        assert_eq!(
            text("fetch_final_url", 0).as_deref(),
            Some("http://127.0.0.1/b")
        );
        assert_eq!(text("fetch_url", 1), None);
        let ints = col("bytes");
        let ints = ints.as_primitive::<Int64Type>();
        assert_eq!((ints.value(0), ints.is_null(1)), (12_345, true));
        let starts = col("published_start");
        let ends = col("published_end");
        let (starts, ends) = (
            starts.as_primitive::<Date32Type>(),
            ends.as_primitive::<Date32Type>(),
        );
        let day = |y, m, d| {
            chiso_model::Date::new(y, m, d)
                .expect("a date")
                .days_since_epoch()
        };
        assert_eq!(
            (starts.value(0), ends.value(0)),
            (day(2023, 2, 1), day(2023, 2, 28))
        );
        assert_eq!(
            (starts.value(2), ends.value(2)),
            (day(2022, 1, 1), day(2022, 12, 31))
        );
        assert!(starts.is_null(1));
        let errors = col("errors");
        let errors = errors.as_list::<i32>();
        assert_eq!((errors.value_length(0), errors.value_length(1)), (0, 2));
        let cache = col("fetch_from_cache");
        assert!(cache.as_boolean().value(0));
        assert!(cache.is_null(2));
    }

    /// A count past `int64` is an error naming the column, not a wrapped number.
    #[test]
    fn a_count_past_int64_is_an_error() {
        let huge = SourceEntry {
            rows: Some(u64::MAX),
            ..SourceEntry::default()
        };
        let err = sources_batch(&[huge]).expect_err("out of range");
        assert!(err.to_string().contains("sources.rows"), "{err}");
    }
}
