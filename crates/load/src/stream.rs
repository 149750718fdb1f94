//! Parquet files written one row group at a time, for corpora too large to hold in memory.
//!
//! A [`ParquetStream`] is a Parquet file under its temporary name that grows by whole row
//! groups. The row groups are encoded by a [`RowGroupEncoder`], which any number of threads can
//! share: each thread turns a record batch into an [`EncodedRowGroup`] (dictionary encoding,
//! zstd, statistics: the expensive part), and the one thread that owns the stream appends them
//! in the order it chooses. The file is the same whichever thread encoded which row group, so a
//! caller that appends in input order gets byte-identical files run after run.
//! [`Staging::finish_stream`](crate::Staging::finish_stream) writes the footer (with the inputs,
//! known only at the end) and stages the file for the commit.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow::array::RecordBatch;
use arrow::datatypes::SchemaRef;
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_writer::{ArrowColumnChunk, ArrowRowGroupWriterFactory, compute_leaves};
use parquet::file::metadata::KeyValue;
use parquet::file::writer::SerializedFileWriter;

use crate::atomic::{io, remove_stale_temps, temp_path};
use crate::writer::{FileMeta, KEY_INPUTS};
use crate::{Error, Result};

/// Encodes record batches into row groups of one stream's file; cheap to clone and `Send + Sync`,
/// so worker threads encode in parallel.
#[derive(Debug, Clone)]
pub struct RowGroupEncoder {
    factory: Arc<ArrowRowGroupWriterFactory>,
    schema: SchemaRef,
    path: PathBuf,
}

/// One row group, encoded and compressed, waiting to be appended to its stream.
#[derive(Debug)]
pub struct EncodedRowGroup {
    chunks: Vec<ArrowColumnChunk>,
    rows: usize,
}

impl EncodedRowGroup {
    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.rows
    }
}

impl RowGroupEncoder {
    /// Encodes `batch` (which must have the stream's schema) as one row group.
    pub fn encode(&self, batch: &RecordBatch) -> Result<EncodedRowGroup> {
        let parquet_err = |source| Error::Parquet {
            path: self.path.clone(),
            source,
        };
        if batch.schema().fields() != self.schema.fields() {
            return Err(parquet_err(parquet::errors::ParquetError::General(
                "a record batch with another schema than the file's".to_owned(),
            )));
        }
        // The row group index only matters for encrypted files, which chiso does not write.
        let mut writers = self.factory.create_column_writers(0).map_err(parquet_err)?;
        let mut next = writers.iter_mut();
        for (field, column) in self.schema.fields().iter().zip(batch.columns()) {
            for leaf in compute_leaves(field, column).map_err(parquet_err)? {
                let writer = next.next().ok_or_else(|| {
                    parquet_err(parquet::errors::ParquetError::General(
                        "more leaf columns than column writers".to_owned(),
                    ))
                })?;
                writer.write(&leaf).map_err(parquet_err)?;
            }
        }
        let chunks = writers
            .into_iter()
            .map(|w| w.close())
            .collect::<parquet::errors::Result<Vec<_>>>()
            .map_err(parquet_err)?;
        Ok(EncodedRowGroup {
            chunks,
            rows: batch.num_rows(),
        })
    }
}

/// A Parquet file being written under its temporary name, one row group at a time.
pub struct ParquetStream {
    /// `None` once finished.
    writer: Option<SerializedFileWriter<BufWriter<File>>>,
    encoder: RowGroupEncoder,
    tmp: PathBuf,
    target: PathBuf,
    rows: u64,
    row_groups: usize,
}

impl std::fmt::Debug for ParquetStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParquetStream")
            .field("target", &self.target)
            .field("rows", &self.rows)
            .field("row_groups", &self.row_groups)
            .finish()
    }
}

impl ParquetStream {
    /// Starts the file of `path` under its temporary name, with `schema` and the key-value
    /// metadata of `meta` except the inputs (they are written with the footer), then `extra`.
    pub(crate) fn create(
        path: &Path,
        schema: SchemaRef,
        meta: &FileMeta,
        extra: &[(&str, String)],
    ) -> Result<ParquetStream> {
        remove_stale_temps(path);
        let tmp = temp_path(path);
        let file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&tmp)
            .map_err(io("create", &tmp))?;
        let props = meta.writer_properties_without_inputs(extra);
        let parquet_err = |source| Error::Parquet {
            path: path.to_owned(),
            source,
        };
        let arrow = ArrowWriter::try_new(BufWriter::new(file), Arc::clone(&schema), Some(props))
            .map_err(parquet_err)?;
        let (writer, factory) = arrow.into_serialized_writer().map_err(parquet_err)?;
        Ok(ParquetStream {
            writer: Some(writer),
            encoder: RowGroupEncoder {
                factory: Arc::new(factory),
                schema,
                path: path.to_owned(),
            },
            tmp,
            target: path.to_owned(),
            rows: 0,
            row_groups: 0,
        })
    }

    /// The encoder of this stream's row groups, for worker threads.
    pub fn encoder(&self) -> RowGroupEncoder {
        self.encoder.clone()
    }

    /// The file the stream becomes at the commit.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Rows appended so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Appends an encoded row group; an empty one is skipped.
    pub fn append(&mut self, group: EncodedRowGroup) -> Result<()> {
        if group.rows == 0 {
            return Ok(());
        }
        let rows = group.rows as u64;
        self.append_group(group)?;
        self.rows += rows;
        self.row_groups += 1;
        Ok(())
    }

    fn append_group(&mut self, group: EncodedRowGroup) -> Result<()> {
        let target = &self.target;
        let parquet_err = |source| Error::Parquet {
            path: target.clone(),
            source,
        };
        let writer = self.writer.as_mut().ok_or_else(|| {
            parquet_err(parquet::errors::ParquetError::General(
                "the file is already finished".to_owned(),
            ))
        })?;
        let mut row_group = writer.next_row_group().map_err(parquet_err)?;
        for chunk in group.chunks {
            chunk
                .append_to_row_group(&mut row_group)
                .map_err(parquet_err)?;
        }
        row_group.close().map_err(parquet_err)?;
        Ok(())
    }

    /// Encodes and appends a batch on the calling thread.
    pub fn write(&mut self, batch: &RecordBatch) -> Result<()> {
        let group = self.encoder.encode(batch)?;
        self.append(group)
    }

    /// Writes the footer with the inputs, flushes and fsyncs; returns the temporary file and
    /// the target. On an error the temporary file is removed.
    pub(crate) fn finish(mut self, inputs: &[(String, String)]) -> Result<(PathBuf, PathBuf)> {
        let result = self.write_footer(inputs);
        if result.is_err() {
            let _ = std::fs::remove_file(&self.tmp);
        }
        result.map(|()| (self.tmp.clone(), self.target.clone()))
    }

    fn write_footer(&mut self, inputs: &[(String, String)]) -> Result<()> {
        if self.row_groups == 0 {
            // One empty row group, as ArrowWriter writes for no rows: readers see the schema.
            let empty = RecordBatch::new_empty(Arc::clone(&self.encoder.schema));
            let group = self.encoder.encode(&empty)?;
            self.append_group(group)?;
        }
        let target = &self.target;
        let parquet_err = |source| Error::Parquet {
            path: target.clone(),
            source,
        };
        let Some(mut writer) = self.writer.take() else {
            return Err(parquet_err(parquet::errors::ParquetError::General(
                "the file is already finished".to_owned(),
            )));
        };
        writer.append_key_value_metadata(KeyValue::new(
            KEY_INPUTS.to_owned(),
            FileMeta::inputs_json(inputs),
        ));
        // Writes the footer and hands back the file.
        let mut out = writer.into_inner().map_err(parquet_err)?;
        out.flush().map_err(io("write", &self.tmp))?;
        out.get_ref().sync_all().map_err(io("fsync", &self.tmp))?;
        Ok(())
    }

    /// The temporary file, removed when the stream is dropped unfinished.
    #[cfg(test)]
    pub(crate) fn temp(&self) -> &Path {
        &self.tmp
    }
}

impl Drop for ParquetStream {
    fn drop(&mut self) {
        if self.writer.take().is_some() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FileMeta, Staging, indicators_schema, read_parquet};
    use chiso_model::{Comparator, IndicatorRecord, Kind, Measure, Span, Unit};

    fn record(source: &str, value: f64) -> IndicatorRecord {
        IndicatorRecord {
            source_id: source.into(),
            indicator: "gdp_growth".into(),
            geo_code: Some("VN-02".into()),
            geo_name: Some("Lào Cai".into()),
            period: None,
            measure: Measure::Level,
            kind: Kind::Actual,
            comparator: Comparator::Eq,
            value_low: value,
            value_high: value,
            unit: Unit::Percent,
            rank_total: None,
            rank_group: None,
            of_total: None,
            quote: format!("GRDP tăng {value}%."),
            span: Span { start: 10, end: 15 },
            occurrences: 1,
        }
    }

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("chiso-load-stream-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("the system temp dir is writable");
        dir
    }

    fn write_groups(path: &Path, groups: &[Vec<IndicatorRecord>], parallel: bool) -> Vec<u8> {
        let meta = FileMeta {
            tool_version: "0.1.0".into(),
            ..FileMeta::default()
        };
        let mut staging = Staging::new();
        let mut stream = staging
            .stream(path, indicators_schema(), &meta)
            .expect("created");
        let encoder = stream.encoder();
        let batches: Vec<_> = groups
            .iter()
            .map(|g| crate::indicators_batch(g).expect("batch"))
            .collect();
        let encoded: Vec<EncodedRowGroup> = if parallel {
            std::thread::scope(|s| {
                let handles: Vec<_> = batches
                    .iter()
                    .map(|b| {
                        let encoder = encoder.clone();
                        s.spawn(move || encoder.encode(b).expect("encoded"))
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().expect("no panic"))
                    .collect()
            })
        } else {
            batches
                .iter()
                .map(|b| encoder.encode(b).expect("encoded"))
                .collect()
        };
        for g in encoded {
            stream.append(g).expect("appended");
        }
        staging
            .finish_stream(stream, &[("corpus".into(), "ab".repeat(32))])
            .expect("finished");
        staging.commit().expect("committed");
        std::fs::read(path).expect("written")
    }

    #[test]
    fn row_groups_encoded_on_other_threads_give_the_same_bytes() {
        let dir = scratch("parallel");
        let groups = vec![
            (0..50)
                .map(|i| record("a", f64::from(i)))
                .collect::<Vec<_>>(),
            vec![],
            (0..7).map(|i| record("b", f64::from(i) / 2.0)).collect(),
        ];
        let serial = write_groups(&dir.join("serial.parquet"), &groups, false);
        let parallel = write_groups(&dir.join("parallel.parquet"), &groups, true);
        assert_eq!(serial, parallel);
        let table = read_parquet(&dir.join("parallel.parquet")).expect("readable");
        assert_eq!(table.rows, 57);
        let inputs = &table.key_values[KEY_INPUTS];
        assert!(inputs.contains("\"source_id\":\"corpus\""), "{inputs}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_stream_with_no_rows_is_a_readable_empty_file_and_a_dropped_one_leaves_nothing() {
        let dir = scratch("empty");
        let bytes = write_groups(&dir.join("empty.parquet"), &[], false);
        assert!(bytes.starts_with(b"PAR1"));
        assert_eq!(
            read_parquet(&dir.join("empty.parquet"))
                .expect("readable")
                .rows,
            0
        );
        let meta = FileMeta::default();
        let mut staging = Staging::new();
        let stream = staging
            .stream(&dir.join("dropped.parquet"), indicators_schema(), &meta)
            .expect("created");
        let tmp = stream.temp().to_owned();
        assert!(tmp.exists());
        drop(stream);
        drop(staging);
        assert!(!tmp.exists() && !dir.join("dropped.parquet").exists());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
