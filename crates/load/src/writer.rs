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
/// Key of the schema version a dataset file had before chiso added the columns of a newer
/// one to it ([`crate::Staging::finish_dataset`]); absent from a file written as it is.
pub const KEY_UPGRADED_FROM: &str = "chiso.upgraded_from";
/// Key of the inputs: a JSON list of `{"source_id": ..., "sha256": ...}` (see [`InputList`]).
pub const KEY_INPUTS: &str = "chiso.inputs";

/// Past this many inputs, a file's footer lists each pipeline source's inputs as one entry
/// (their number and a digest): a directory of 440 000 files would otherwise put 53 MB in
/// every footer. `sources.parquet` lists every input whatever their number.
pub const MAX_LISTED_INPUTS: usize = 1000;

/// One entry of a file's input list ([`KEY_INPUTS`]): an input read (a file, a URL, a corpus
/// file), or, past [`MAX_LISTED_INPUTS`] inputs, all those of one pipeline source.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Input {
    /// How many inputs the entry stands for: `None` for one input; for a pipeline source's
    /// inputs, their number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inputs: Option<u64>,
    /// Hex SHA-256 of the input's raw bytes; for a pipeline source's inputs, of the lines
    /// `<source id> <sha256>\n` of each, in the order they were read.
    pub sha256: String,
    /// The input's source id; for a pipeline source's inputs, the pipeline source's id.
    pub source_id: String,
}

impl Input {
    /// One input read.
    pub fn one(source_id: impl Into<String>, sha256: impl Into<String>) -> Input {
        Input {
            inputs: None,
            sha256: sha256.into(),
            source_id: source_id.into(),
        }
    }
}

/// A run's inputs, gathered as they are read, for the footers: each one while there are at most
/// [`MAX_LISTED_INPUTS`], else one entry per pipeline source. Memory stays bounded however
/// many there are: the first ones, and a running digest per pipeline source.
#[derive(Debug, Default)]
pub struct InputList {
    listed: Vec<Input>,
    /// Per pipeline source, in order of its first input: its id, its inputs' digest so far,
    /// their number.
    sources: Vec<(String, sha2::Sha256, u64)>,
    total: usize,
}

impl InputList {
    /// An input read: source `source_id` of the pipeline source `declared` (its id, as the
    /// pipeline file names it), whose raw bytes hash to `sha256`.
    pub fn push(&mut self, declared: &str, source_id: &str, sha256: &str) {
        use sha2::Digest;
        self.total += 1;
        if self.total <= MAX_LISTED_INPUTS {
            self.listed.push(Input::one(source_id, sha256));
        } else if !self.listed.is_empty() {
            // Too many to list one by one: the entries per pipeline source stand for them.
            self.listed = Vec::new();
        }
        let at = match self.sources.iter().position(|(id, _, _)| id == declared) {
            Some(at) => at,
            None => {
                self.sources
                    .push((declared.to_owned(), sha2::Sha256::new(), 0));
                self.sources.len() - 1
            }
        };
        let (_, digest, n) = &mut self.sources[at];
        for part in [source_id, " ", sha256, "\n"] {
            digest.update(part.as_bytes());
        }
        *n += 1;
    }

    /// The entries of the footers' list.
    pub fn finish(self) -> Vec<Input> {
        use sha2::Digest;
        if self.total <= MAX_LISTED_INPUTS {
            return self.listed;
        }
        self.sources
            .into_iter()
            .map(|(id, digest, n)| Input {
                inputs: Some(n),
                sha256: chiso_model::hex::lower_hex(&digest.finalize()),
                source_id: id,
            })
            .collect()
    }
}

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
    /// The inputs read (see [`InputList`]).
    pub inputs: Vec<Input>,
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

    /// The value of [`KEY_INPUTS`]: a JSON list of `{"sha256": ..., "source_id": ...}` (and
    /// `"inputs"` first in an entry that stands for several), keys in the order `serde_json`'s
    /// maps write them, written straight from `inputs`.
    pub fn inputs_json(inputs: &[Input]) -> String {
        // Serialising strings and numbers to a string cannot fail.
        serde_json::to_string(inputs).unwrap_or_default()
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
        // Positions are nearly all distinct: a dictionary would hash every value only to fill
        // up and fall back to plain pages, and its pages compress worse than plain ones.
        for column in ["char_start", "char_end", "mention_index"] {
            builder = builder.set_column_dictionary_enabled(ColumnPath::from(column), false);
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
            Input::one("news--000--a.txt", "ab".repeat(32)),
            Input::one("Lào \"Cai\"\n\\", ""),
            Input {
                inputs: Some(3),
                sha256: "cd".repeat(32),
                source_id: "news".into(),
            },
        ];
        let values: Vec<serde_json::Value> = inputs
            .iter()
            .map(|i| match i.inputs {
                None => serde_json::json!({ "source_id": i.source_id, "sha256": i.sha256 }),
                Some(n) => {
                    serde_json::json!({ "source_id": i.source_id, "sha256": i.sha256, "inputs": n })
                }
            })
            .collect();
        assert_eq!(
            FileMeta::inputs_json(&inputs),
            serde_json::Value::Array(values).to_string()
        );
        assert_eq!(FileMeta::inputs_json(&[]), "[]");
    }

    /// Up to the limit every input is listed; past it, each pipeline source is one entry with
    /// its inputs' number and the digest of their lines.
    #[test]
    fn inputs_are_listed_up_to_the_limit_then_by_pipeline_source() {
        use sha2::Digest;
        let sha = |i: usize| format!("{i:064x}");
        let mut few = InputList::default();
        for i in 0..MAX_LISTED_INPUTS {
            few.push("news", &format!("news--{i}.txt"), &sha(i));
        }
        let few = few.finish();
        assert_eq!(few.len(), MAX_LISTED_INPUTS);
        assert_eq!(few[7], Input::one("news--7.txt", sha(7)));

        let mut many = InputList::default();
        let mut lines = [String::new(), String::new()];
        for i in 0..=MAX_LISTED_INPUTS {
            let (declared, k) = if i % 3 == 0 { ("laws", 1) } else { ("news", 0) };
            let id = format!("{declared}--{i}.txt");
            many.push(declared, &id, &sha(i));
            lines[k].push_str(&format!("{id} {}\n", sha(i)));
        }
        let digest = |text: &str| chiso_model::hex::lower_hex(&sha2::Sha256::digest(text));
        assert_eq!(
            many.finish(),
            [
                Input {
                    inputs: Some(334),
                    sha256: digest(&lines[1]),
                    source_id: "laws".into(),
                },
                Input {
                    inputs: Some(667),
                    sha256: digest(&lines[0]),
                    source_id: "news".into(),
                },
            ]
        );
    }
}
