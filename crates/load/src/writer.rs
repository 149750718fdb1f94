//! Parquet writer settings and the per-file metadata every output carries.

use std::io::Write;
use std::path::Path;

use arrow::array::RecordBatch;
use arrow::datatypes::SchemaRef;
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::{EnabledStatistics, WriterProperties, WriterVersion};
use parquet::schema::types::ColumnPath;

/// Dictionary page limit of the sentence and quote columns (see `FileMeta::properties`).
const SENTENCE_DICTIONARY_BYTES: usize = 16 << 20;

use crate::atomic::write_atomic;
use crate::{Error, Result};

/// Key of the schema version in the Parquet key-value metadata.
pub const KEY_SCHEMA_VERSION: &str = "chiso.schema_version";
/// Key of the tool version.
pub const KEY_TOOL_VERSION: &str = "chiso.tool_version";
/// Key of the pipeline name.
pub const KEY_PIPELINE: &str = "chiso.pipeline";
/// Key of the pipeline file's SHA-256.
pub const KEY_PIPELINE_SHA256: &str = "chiso.pipeline_sha256";
/// Key of the inputs: a JSON list of `{"source_id": ..., "sha256": ...}`.
pub const KEY_INPUTS: &str = "chiso.inputs";

/// What every output file records about the run that made it. Nothing time-dependent, so that
/// the same inputs give byte-identical files.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FileMeta {
    /// chiso's version, e.g. `0.1.0`.
    pub tool_version: String,
    /// The pipeline's name.
    pub pipeline_name: String,
    /// Hex SHA-256 of the pipeline file.
    pub pipeline_sha256: String,
    /// `(source id, hex SHA-256 of its raw bytes)` for every input.
    pub inputs: Vec<(String, String)>,
}

impl FileMeta {
    /// The Parquet key-value pairs, in a fixed order (the inputs last).
    pub fn key_values(&self) -> Vec<KeyValue> {
        let mut pairs = self.key_values_without_inputs();
        pairs.push(KeyValue::new(
            KEY_INPUTS.to_owned(),
            FileMeta::inputs_json(&self.inputs),
        ));
        pairs
    }

    /// The value of [`KEY_INPUTS`]: a JSON list of `{"sha256": ..., "source_id": ...}`, written
    /// straight from `inputs` (a directory of 100 000 files has as many; as JSON values they
    /// would take 40 MB more at the end of the run than their text).
    pub fn inputs_json(inputs: &[(String, String)]) -> String {
        /// One input, its fields in the order they have always been written (sorted, as
        /// `serde_json`'s maps write them).
        #[derive(serde::Serialize)]
        struct Input<'a> {
            sha256: &'a str,
            source_id: &'a str,
        }
        let inputs: Vec<Input<'_>> = inputs
            .iter()
            .map(|(id, sha)| Input {
                sha256: sha,
                source_id: id,
            })
            .collect();
        // Serialising strings to a string cannot fail.
        serde_json::to_string(&inputs).unwrap_or_default()
    }

    fn key_values_without_inputs(&self) -> Vec<KeyValue> {
        let pairs = [
            (KEY_SCHEMA_VERSION, chiso_model::SCHEMA_VERSION.to_owned()),
            (KEY_TOOL_VERSION, self.tool_version.clone()),
            (KEY_PIPELINE, self.pipeline_name.clone()),
            (KEY_PIPELINE_SHA256, self.pipeline_sha256.clone()),
        ];
        pairs
            .into_iter()
            .map(|(k, v)| KeyValue::new(k.to_owned(), v))
            .collect()
    }

    /// The writer properties of every chiso Parquet file: zstd, dictionary encoding, page
    /// statistics (so filters on indicator, place and period skip pages), a stable `created_by`.
    pub fn writer_properties(&self) -> WriterProperties {
        Self::properties(self.key_values(), &self.tool_version)
    }

    /// The writer properties of a streamed file, with `extra` key-value pairs after the
    /// standard ones (a dataset file records its partition this way): the inputs are appended
    /// to the footer when the stream finishes.
    pub(crate) fn writer_properties_without_inputs(
        &self,
        extra: &[(&str, String)],
    ) -> WriterProperties {
        let mut key_values = self.key_values_without_inputs();
        key_values.extend(
            extra
                .iter()
                .map(|(k, v)| KeyValue::new((*k).to_owned(), v.clone())),
        );
        Self::properties(key_values, &self.tool_version)
    }

    fn properties(key_values: Vec<KeyValue>, tool_version: &str) -> WriterProperties {
        let mut builder = WriterProperties::builder()
            .set_writer_version(WriterVersion::PARQUET_1_0)
            .set_compression(Compression::ZSTD(ZstdLevel::default()))
            .set_dictionary_enabled(true)
            .set_statistics_enabled(EnabledStatistics::Page)
            .set_created_by(format!("chiso {tool_version}"))
            .set_key_value_metadata(Some(key_values));
        // A sentence is repeated for each of its numbers (and a quote for each statement): a
        // dictionary the size of a row group's distinct sentences keeps them dictionary-encoded
        // (the default 1 MiB fills up and falls back to plain pages, after hashing every value).
        //
        // No statistics for these: min/max sentences filter nothing, cost a comparison per
        // value, and would sit in the footer (held in memory until a streamed file ends) for
        // every row group.
        for column in ["sentence", "quote"] {
            builder = builder
                .set_column_dictionary_page_size_limit(
                    ColumnPath::from(column),
                    SENTENCE_DICTIONARY_BYTES,
                )
                .set_column_statistics_enabled(ColumnPath::from(column), EnabledStatistics::None);
        }
        builder.build()
    }
}

/// Encodes one record batch as a whole Parquet file of `schema` into `out` (the batch's own
/// schema may hold dictionaries where the file's has strings, see `indicators_batch_schema`).
pub(crate) fn encode<W: Write + Send>(
    out: W,
    schema: SchemaRef,
    batch: &RecordBatch,
    meta: &FileMeta,
) -> parquet::errors::Result<()> {
    let props = meta.writer_properties();
    let mut writer = ArrowWriter::try_new(out, schema, Some(props))?;
    writer.write(batch)?;
    writer.close()?;
    Ok(())
}

/// Writes one record batch as a Parquet file at `path`, atomically.
pub(crate) fn write_batch(
    path: &Path,
    schema: SchemaRef,
    batch: &RecordBatch,
    meta: &FileMeta,
) -> Result<()> {
    write_atomic(path, |file| {
        encode(file, schema, batch, meta).map_err(|source| Error::Parquet {
            path: path.to_owned(),
            source,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The inputs are written as their JSON values always were: keys sorted, strings escaped.
    #[test]
    fn inputs_json_is_the_list_of_their_json_values() {
        let inputs = vec![
            ("news--000--a.txt".to_owned(), "ab".repeat(32)),
            ("Lào \"Cai\"\n\\".to_owned(), String::new()),
        ];
        let values: Vec<serde_json::Value> = inputs
            .iter()
            .map(|(id, sha)| serde_json::json!({ "source_id": id, "sha256": sha }))
            .collect();
        assert_eq!(
            FileMeta::inputs_json(&inputs),
            serde_json::Value::Array(values).to_string()
        );
        assert_eq!(FileMeta::inputs_json(&[]), "[]");
    }
}
