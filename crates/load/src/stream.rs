//! Parquet files written row group by row group, for corpora too large to hold in memory.
//!
//! A [`ParquetStream`] is a Parquet file under its temporary name that grows as record batches
//! come: the rows go into an open row group (encoded and compressed page by page as they come)
//! until it holds the stream's row-group size, and the row group is then written out. Row
//! groups are cut by row counts, so the same batches in the same order give the same bytes
//! (pages are cut within each batch, so other batches of the same rows may page differently).
//! Only the footer stays in memory until the end (one entry per row group and column, which is
//! why the row groups are large). [`Staging::finish_stream`](crate::Staging::finish_stream)
//! writes the footer (with the inputs, known only at the end) and stages the file for the
//! commit. A [`WriterThread`] runs a stream (or any [`InOrderWriter`]) on a thread of its own.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use arrow::array::RecordBatch;
use arrow::datatypes::{DataType, Field, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::file::metadata::KeyValue;

use crate::atomic::{io, remove_stale_temps, temp_path};
use crate::writer::{FileMeta, KEY_INPUTS};
use crate::{Error, Result};

/// Rows per row group of `indicators.parquet` when streamed: about 25 MB of news text, whose
/// distinct quotes fit the quote column's dictionary (see `FileMeta::properties`).
pub const INDICATORS_GROUP_ROWS: usize = 128 << 10;
/// Rows per row group of `mentions.parquet` when streamed: about 15 MB of news text, whose
/// distinct sentences fit the sentence column's dictionary.
pub const MENTIONS_GROUP_ROWS: usize = 256 << 10;

/// A Parquet file being written under its temporary name, row group by row group.
pub struct ParquetStream {
    /// `None` once finished.
    writer: Option<ArrowWriter<BufWriter<File>>>,
    schema: SchemaRef,
    /// Set when a write failed: the open row group may hold part of a batch, so nothing more
    /// is written.
    failed: bool,
    tmp: PathBuf,
    target: PathBuf,
    rows: u64,
}

impl std::fmt::Debug for ParquetStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParquetStream")
            .field("target", &self.target)
            .field("rows", &self.rows)
            .field("failed", &self.failed)
            .finish()
    }
}

/// Whether a batch column of `batch` can be written as the file's column `file`: the same
/// name and type, or a dictionary of the file's type (the Parquet writer stores its values).
fn writes_as(batch: &Field, file: &Field) -> bool {
    batch.name() == file.name()
        && (batch.data_type() == file.data_type()
            || matches!(batch.data_type(), DataType::Dictionary(_, values) if values.as_ref() == file.data_type()))
}

impl ParquetStream {
    /// Starts the file of `path` under its temporary name, with `schema`, row groups of
    /// `group_rows` rows (`None`: only [`ParquetStream::flush`] ends a row group), and the
    /// key-value metadata of `meta` except the inputs (they are written with the footer), then
    /// `extra`.
    pub(crate) fn create(
        path: &Path,
        schema: SchemaRef,
        group_rows: Option<usize>,
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
        let props = meta
            .writer_properties_without_inputs(extra)
            .into_builder()
            .set_max_row_group_row_count(group_rows.map(|n| n.max(1)))
            .set_max_row_group_bytes(None)
            .build();
        let writer = ArrowWriter::try_new(BufWriter::new(file), schema.clone(), Some(props))
            .map_err(|source| Error::Parquet {
                path: path.to_owned(),
                source,
            });
        let writer = match writer {
            Ok(w) => w,
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                return Err(e);
            }
        };
        Ok(ParquetStream {
            writer: Some(writer),
            schema,
            failed: false,
            tmp,
            target: path.to_owned(),
            rows: 0,
        })
    }

    /// The file the stream becomes at the commit.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Rows written so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Row groups written out so far (not counting the open one).
    pub fn row_groups(&self) -> usize {
        self.writer
            .as_ref()
            .map_or(0, |w| w.flushed_row_groups().len())
    }

    fn general(&self, message: &str) -> Error {
        Error::Parquet {
            path: self.target.clone(),
            source: parquet::errors::ParquetError::General(message.to_owned()),
        }
    }

    /// The writer, unless the stream is finished or a write failed.
    fn writer(&mut self) -> Result<&mut ArrowWriter<BufWriter<File>>> {
        if self.failed {
            return Err(self.general("an earlier write to the file failed"));
        }
        let target = &self.target;
        self.writer.as_mut().ok_or_else(|| Error::Parquet {
            path: target.clone(),
            source: parquet::errors::ParquetError::General(
                "the file is already finished".to_owned(),
            ),
        })
    }

    /// Adds the rows of `batch`, writing out each row group as it fills. The batch has the
    /// stream's columns, by name and in order, of the file's types or dictionaries of them.
    pub fn write(&mut self, batch: &RecordBatch) -> Result<()> {
        let batch_schema = batch.schema();
        let fits = batch_schema.fields().len() == self.schema.fields().len()
            && batch_schema
                .fields()
                .iter()
                .zip(self.schema.fields())
                .all(|(b, f)| writes_as(b, f));
        if !fits {
            return Err(self.general("a record batch with other columns than the file's"));
        }
        let written = self.writer()?.write(batch);
        self.settle(written)?;
        self.rows += batch.num_rows() as u64;
        Ok(())
    }

    /// Writes out the open row group, if it holds rows; the next rows start a new one.
    pub fn flush(&mut self) -> Result<()> {
        let flushed = self.writer()?.flush();
        self.settle(flushed)
    }

    /// Marks the stream failed on an error, naming the file.
    fn settle(&mut self, result: parquet::errors::Result<()>) -> Result<()> {
        result.map_err(|source| {
            self.failed = true;
            Error::Parquet {
                path: self.target.clone(),
                source,
            }
        })
    }

    /// Writes the footer with the inputs, flushes and fsyncs; returns the temporary file and
    /// the target. On an error the temporary file is removed.
    pub(crate) fn finish(mut self, inputs: &[crate::Input]) -> Result<(PathBuf, PathBuf)> {
        let result = self.write_footer(inputs);
        if result.is_err() {
            let _ = std::fs::remove_file(&self.tmp);
        }
        result.map(|()| (self.tmp.clone(), self.target.clone()))
    }

    fn write_footer(&mut self, inputs: &[crate::Input]) -> Result<()> {
        self.writer()?;
        let Some(mut writer) = self.writer.take() else {
            return Err(self.general("the file is already finished"));
        };
        writer.append_key_value_metadata(KeyValue::new(
            KEY_INPUTS.to_owned(),
            FileMeta::inputs_json(inputs),
        ));
        // Writes out the open row group and the footer, and hands back the file.
        let mut out = writer.into_inner().map_err(|source| Error::Parquet {
            path: self.target.clone(),
            source,
        })?;
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

/// Inputs a [`WriterThread`] may have waiting.
const THREAD_QUEUE: usize = 2;

/// A writer that takes its inputs in order, and can run on a [`WriterThread`].
pub trait InOrderWriter: Send + 'static {
    /// What it takes.
    type Input: Send + 'static;
    /// Writes the next input.
    fn consume(&mut self, input: Self::Input) -> Result<()>;
    /// The file or directory it writes, for messages.
    fn target(&self) -> &Path;
}

impl InOrderWriter for ParquetStream {
    type Input = RecordBatch;

    fn consume(&mut self, batch: RecordBatch) -> Result<()> {
        self.write(&batch)
    }

    fn target(&self) -> &Path {
        ParquetStream::target(self)
    }
}

/// A writer ([`ParquetStream`], [`crate::DatasetWriter`]) run on a thread of its own: the caller
/// hands over inputs in order and goes on while they are encoded and compressed. A run writes
/// its indicators, its mentions and its part of a dataset on such threads, so encoding (a fifth
/// of the work) neither waits for the in-order thread nor becomes a serial step that more cores
/// cannot speed up.
#[derive(Debug)]
pub struct WriterThread<W: InOrderWriter> {
    target: PathBuf,
    inputs: Option<std::sync::mpsc::SyncSender<W::Input>>,
    thread: Option<std::thread::JoinHandle<Result<W>>>,
}

impl<W: InOrderWriter> WriterThread<W> {
    /// Starts the thread that runs `writer`.
    pub fn spawn(mut writer: W) -> Result<WriterThread<W>> {
        let target = writer.target().to_owned();
        let (tx, rx) = std::sync::mpsc::sync_channel::<W::Input>(THREAD_QUEUE);
        let name = match target.file_name() {
            Some(n) => format!("write {}", n.to_string_lossy()),
            None => "write".to_owned(),
        };
        let thread = std::thread::Builder::new()
            .name(name)
            .spawn(move || {
                for input in rx {
                    writer.consume(input)?;
                }
                Ok(writer)
            })
            .map_err(io("start a thread to write", &target))?;
        Ok(WriterThread {
            target,
            inputs: Some(tx),
            thread: Some(thread),
        })
    }

    /// Hands `input` to the thread; waits while it has two inputs waiting. An
    /// error of the thread's is returned here (or by [`WriterThread::finish`]).
    pub fn write(&mut self, input: W::Input) -> Result<()> {
        let sent = match &self.inputs {
            Some(tx) => tx.send(input).is_ok(),
            None => false,
        };
        if sent {
            return Ok(());
        }
        // The thread stopped: its error says why.
        self.inputs = None;
        self.join()?;
        Err(self.stopped("the thread writing it has stopped"))
    }

    /// Waits for the thread to take every input and hands back the writer, to be finished
    /// (`Staging::finish_stream`, `Staging::finish_dataset`).
    pub fn finish(mut self) -> Result<W> {
        self.inputs = None;
        self.join()
    }

    fn join(&mut self) -> Result<W> {
        let Some(thread) = self.thread.take() else {
            return Err(self.stopped("the thread writing it has stopped"));
        };
        match thread.join() {
            Ok(result) => result,
            Err(panic) => {
                let why = panic
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                Err(Error::WriterStopped {
                    path: self.target.clone(),
                    reason: format!("the thread writing it panicked: {why}"),
                })
            }
        }
    }

    fn stopped(&self, reason: &str) -> Error {
        Error::WriterStopped {
            path: self.target.clone(),
            reason: reason.to_owned(),
        }
    }
}

impl<W: InOrderWriter> Drop for WriterThread<W> {
    fn drop(&mut self) {
        // Closing the queue ends the thread; its writer, dropped unfinished, removes its
        // temporary files.
        self.inputs = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
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
            geo_id: Some("VN-02".into()),
            geo_name: Some("Lào Cai".into()),
            period: None,
            measure: Measure::Level,
            base: None,
            base_period: None,
            kind: Kind::Actual,
            comparator: Comparator::Eq,
            value_low: value,
            value_high: value,
            unit: Unit::Percent,
            rank_total: None,
            rank_group: None,
            of_total: None,
            quote: format!("GRDP tăng {value}%.").into(),
            span: Span { start: 10, end: 15 },
            occurrences: 1,
        }
    }

    fn scratch(name: &str) -> tempfile::TempDir {
        crate::test_support::scratch(&format!("stream-{name}"))
    }

    /// Writes `batches` (rows of `record("a", i)`, i counting up across batches) to a stream
    /// of `group_rows` rows per row group, and returns the file's bytes.
    fn write_batches(path: &Path, batches: &[usize], group_rows: usize) -> Vec<u8> {
        let meta = FileMeta {
            tool_version: "0.1.0".into(),
            ..FileMeta::default()
        };
        let mut staging = Staging::new();
        let mut stream = staging
            .stream(path, indicators_schema(), group_rows, &meta)
            .expect("created");
        let mut next = 0;
        for &rows in batches {
            let records: Vec<_> = (next..next + rows)
                .map(|i| record(if i % 3 == 0 { "a" } else { "b" }, i as f64))
                .collect();
            next += rows;
            stream
                .write(&crate::indicators_batch(&records).expect("batch"))
                .expect("written");
        }
        assert_eq!(stream.rows(), next as u64);
        staging
            .finish_stream(stream, &[crate::Input::one("corpus", "ab".repeat(32))])
            .expect("finished");
        staging.commit().expect("committed");
        std::fs::read(path).expect("written")
    }

    fn row_group_sizes(path: &Path) -> Vec<i64> {
        let file = File::open(path).expect("readable");
        let reader = parquet::file::reader::SerializedFileReader::new(file).expect("parquet");
        use parquet::file::reader::FileReader;
        reader
            .metadata()
            .row_groups()
            .iter()
            .map(|g| g.num_rows())
            .collect()
    }

    #[test]
    fn row_groups_are_cut_by_row_counts_whatever_the_batches() {
        let tmp = scratch("batches");
        let dir = tmp.path();
        let whole = dir.join("whole.parquet");
        let pieces = dir.join("pieces.parquet");
        write_batches(&whole, &[57], 10);
        let first = write_batches(&pieces, &[3, 0, 20, 1, 9, 24], 10);
        let again = write_batches(&dir.join("again.parquet"), &[3, 0, 20, 1, 9, 24], 10);
        assert_eq!(first, again, "the same batches give the same bytes");
        for path in [&whole, &pieces] {
            assert_eq!(row_group_sizes(path), vec![10, 10, 10, 10, 10, 7]);
        }
        let (whole, pieces) = (
            read_parquet(&whole).expect("readable"),
            read_parquet(&pieces).expect("readable"),
        );
        assert_eq!(pieces.rows, 57);
        for column in ["source_id", "quote"] {
            assert_eq!(
                whole.strings(column).expect("a column"),
                pieces.strings(column).expect("a column"),
                "the same rows, in order"
            );
        }
        assert_eq!(
            whole.floats("value").expect("a column"),
            pieces.floats("value").expect("a column")
        );
        let inputs = &pieces.key_values[KEY_INPUTS];
        assert!(inputs.contains("\"source_id\":\"corpus\""), "{inputs}");
    }

    #[test]
    fn a_batch_of_other_columns_is_refused_and_the_stream_goes_on() {
        let tmp = scratch("refused");
        let dir = tmp.path();
        let path = dir.join("refused.parquet");
        let mut staging = Staging::new();
        let mut stream = staging
            .stream(&path, indicators_schema(), 10, &FileMeta::default())
            .expect("created");
        let other = crate::validation_batch(&[]).expect("batch");
        let refused = stream.write(&other).expect_err("other columns");
        assert!(refused.to_string().contains("refused.parquet"), "{refused}");
        let records: Vec<_> = (0..4).map(|i| record("a", f64::from(i))).collect();
        stream
            .write(&crate::indicators_batch(&records).expect("batch"))
            .expect("the file's columns");
        staging.finish_stream(stream, &[]).expect("finished");
        staging.commit().expect("committed");
        assert_eq!(read_parquet(&path).expect("readable").rows, 4);
    }

    #[test]
    fn a_stream_written_on_its_own_thread_gives_the_same_bytes() {
        let tmp = scratch("thread");
        let dir = tmp.path();
        let direct = write_batches(&dir.join("direct.parquet"), &[3, 20, 9, 24], 10);
        let path = dir.join("thread.parquet");
        let meta = FileMeta {
            tool_version: "0.1.0".into(),
            ..FileMeta::default()
        };
        let mut staging = Staging::new();
        let stream = staging
            .stream(&path, indicators_schema(), 10, &meta)
            .expect("created");
        let mut thread = WriterThread::spawn(stream).expect("started");
        let mut next = 0;
        for rows in [3, 20, 9, 24] {
            let records: Vec<_> = (next..next + rows)
                .map(|i| record(if i % 3 == 0 { "a" } else { "b" }, i as f64))
                .collect();
            next += rows;
            thread
                .write(crate::indicators_batch(&records).expect("batch"))
                .expect("handed over");
        }
        let stream = thread.finish().expect("written");
        staging
            .finish_stream(stream, &[crate::Input::one("corpus", "ab".repeat(32))])
            .expect("finished");
        staging.commit().expect("committed");
        assert_eq!(std::fs::read(&path).expect("written"), direct);

        // A batch the file cannot take stops the thread; the error comes back to the caller
        // and the temporary file goes.
        let mut staging = Staging::new();
        let stream = staging
            .stream(&dir.join("bad.parquet"), indicators_schema(), 10, &meta)
            .expect("created");
        let tmp = stream.temp().to_owned();
        let mut thread = WriterThread::spawn(stream).expect("started");
        let other = crate::validation_batch(&[]).expect("batch");
        let mut failed = None;
        for _ in 0..2 * THREAD_QUEUE + 2 {
            if let Err(e) = thread.write(other.clone()) {
                failed = Some(e);
                break;
            }
        }
        let failed = failed.expect("the thread's error comes back");
        assert!(failed.to_string().contains("bad.parquet"), "{failed}");
        drop(thread);
        assert!(!tmp.exists());
    }

    #[test]
    fn flush_writes_out_the_open_row_group() {
        let tmp = scratch("flush");
        let dir = tmp.path();
        let path = dir.join("flushed.parquet");
        let meta = FileMeta::default();
        let mut staging = Staging::new();
        let mut stream = staging
            .stream(&path, indicators_schema(), 100, &meta)
            .expect("created");
        for rows in [4, 5] {
            let records: Vec<_> = (0..rows).map(|i| record("a", f64::from(i))).collect();
            stream
                .write(&crate::indicators_batch(&records).expect("batch"))
                .expect("written");
            stream.flush().expect("flushed");
            stream.flush().expect("a second flush writes nothing");
        }
        assert_eq!(stream.row_groups(), 2);
        staging.finish_stream(stream, &[]).expect("finished");
        staging.commit().expect("committed");
        assert_eq!(row_group_sizes(&path), vec![4, 5]);
    }

    #[test]
    fn a_stream_with_no_rows_is_a_readable_empty_file_and_a_dropped_one_leaves_nothing() {
        let tmp = scratch("empty");
        let dir = tmp.path();
        let bytes = write_batches(&dir.join("empty.parquet"), &[], 10);
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
            .stream(&dir.join("dropped.parquet"), indicators_schema(), 10, &meta)
            .expect("created");
        let tmp = stream.temp().to_owned();
        assert!(tmp.exists());
        drop(stream);
        drop(staging);
        assert!(!tmp.exists() && !dir.join("dropped.parquet").exists());
    }
}
