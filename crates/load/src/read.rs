//! Reading chiso's Parquet files back, for summaries (`chiso inspect`) and checks: which of the
//! tables a file is, its key-value metadata, and its columns as plain Rust values.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use arrow::array::{Array, AsArray, RecordBatch};
use arrow::compute::cast;
use arrow::datatypes::{DataType, SchemaRef};
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use crate::atomic::io;
use crate::{
    Error, Result, dataset_schema, indicators_schema, mentions_schema, sources_schema,
    validation_schema,
};

/// Which chiso table a Parquet file holds, told by its columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TableKind {
    /// `indicators.parquet`.
    Indicators,
    /// `mentions.parquet`.
    Mentions,
    /// `validation.parquet`.
    Validation,
    /// `sources.parquet`.
    Sources,
    /// A file of the Hive-partitioned dataset: indicators without the `indicator` column.
    DatasetPart,
}

impl TableKind {
    /// The table's name: `indicators`, `mentions`, `validation`, `sources`, `dataset`.
    pub fn name(self) -> &'static str {
        match self {
            TableKind::Indicators => "indicators",
            TableKind::Mentions => "mentions",
            TableKind::Validation => "validation",
            TableKind::Sources => "sources",
            TableKind::DatasetPart => "dataset",
        }
    }

    /// Columns added to a table since schema 1.0.0 (`base` and `base_period` in 1.3.0, `geo_id`
    /// in 1.5.0): a file of an older schema lacks them and is still that table.
    const ADDED: &'static [&'static str] = &["base", "base_period", "geo_id"];

    fn of(columns: &[String]) -> Option<TableKind> {
        let names = |s: SchemaRef| -> Vec<String> {
            s.fields()
                .iter()
                .map(|f| f.name().clone())
                .filter(|n| columns.contains(n) || !Self::ADDED.contains(&n.as_str()))
                .collect()
        };
        [
            (TableKind::Indicators, indicators_schema()),
            (TableKind::Mentions, mentions_schema()),
            (TableKind::Validation, validation_schema()),
            (TableKind::Sources, sources_schema()),
            (TableKind::DatasetPart, dataset_schema()),
        ]
        .into_iter()
        .find(|(_, schema)| names(schema.clone()) == columns)
        .map(|(kind, _)| kind)
    }
}

/// A whole Parquet file in memory.
#[derive(Debug, Clone)]
pub struct ParquetTable {
    /// The file.
    pub path: PathBuf,
    /// The chiso table it holds, if it is one.
    pub kind: Option<TableKind>,
    /// Column names in file order.
    pub columns: Vec<String>,
    /// Number of rows.
    pub rows: usize,
    /// Key-value metadata (`chiso.schema_version`, `chiso.pipeline`, ...).
    pub key_values: BTreeMap<String, String>,
    /// `created_by` of the footer.
    pub created_by: Option<String>,
    batches: Vec<RecordBatch>,
}

const MAGIC: &[u8; 4] = b"PAR1";

/// Checks the `PAR1` magic at both ends of the file, so that a text or truncated file gets a
/// plain answer instead of a decoder error.
fn check_magic(path: &Path, file: &mut File) -> Result<()> {
    let len = file.metadata().map_err(io("read", path))?.len();
    let not = |reason: String| Error::NotParquet {
        path: path.to_owned(),
        reason,
    };
    if len < 12 {
        return Err(not(format!("{len} bytes, too short")));
    }
    let mut head = [0u8; 4];
    let mut tail = [0u8; 4];
    file.read_exact(&mut head).map_err(io("read", path))?;
    file.seek(SeekFrom::End(-4)).map_err(io("read", path))?;
    file.read_exact(&mut tail).map_err(io("read", path))?;
    file.seek(SeekFrom::Start(0)).map_err(io("read", path))?;
    if &head != MAGIC {
        return Err(not("it does not start with PAR1".into()));
    }
    if &tail != MAGIC {
        return Err(not(
            "it does not end with PAR1: truncated or still being written".into(),
        ));
    }
    Ok(())
}

/// A Parquet file opened: what its footer says, its values not yet read.
/// [`ParquetFile::read`] reads them all; [`ParquetFile::read_columns`] reads a few columns a
/// batch at a time, in the memory of one batch whatever the file's size.
pub struct ParquetFile {
    /// The footer's account of the file: path, kind, columns, rows and metadata. It holds no
    /// values (its columns read as empty) until the file is read.
    pub header: ParquetTable,
    pub(crate) builder: ParquetRecordBatchReaderBuilder<File>,
}

/// Rows per batch when reading a few columns of a large file.
const BATCH_ROWS: usize = 65_536;

impl ParquetFile {
    /// Opens a Parquet file and reads its footer. A missing file, a file that is not Parquet
    /// and a damaged footer are errors naming the file.
    pub fn open(path: &Path) -> Result<ParquetFile> {
        let mut file = File::open(path).map_err(io("open", path))?;
        check_magic(path, &mut file)?;
        let builder =
            ParquetRecordBatchReaderBuilder::try_new(file).map_err(|source| Error::Read {
                path: path.to_owned(),
                source,
            })?;
        let file_meta = builder.metadata().file_metadata();
        let key_values = file_meta
            .key_value_metadata()
            .map(|kvs| {
                kvs.iter()
                    .filter(|kv| kv.key != "ARROW:schema")
                    .map(|kv| (kv.key.clone(), kv.value.clone().unwrap_or_default()))
                    .collect()
            })
            .unwrap_or_default();
        let created_by = file_meta.created_by().map(str::to_owned);
        let rows = usize::try_from(file_meta.num_rows()).unwrap_or(0);
        let columns: Vec<String> = builder
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
        Ok(ParquetFile {
            header: ParquetTable {
                path: path.to_owned(),
                kind: TableKind::of(&columns),
                columns,
                rows,
                key_values,
                created_by,
                batches: Vec::new(),
            },
            builder,
        })
    }

    /// Reads every value of the file.
    pub fn read(self) -> Result<ParquetTable> {
        let mut table = self.header;
        let read_err = |source| Error::Read {
            path: table.path.clone(),
            source,
        };
        let batches = self
            .builder
            .build()
            .map_err(read_err)?
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| read_err(e.into()))?;
        table.rows = batches.iter().map(RecordBatch::num_rows).sum();
        table.batches = batches;
        Ok(table)
    }

    /// Reads `columns` (by name; a missing one is an error naming it) a batch at a time, each
    /// handed to `each` as a [`ParquetTable`] of its rows (its `rows` the batch's, its
    /// `key_values` empty), so that counting over a file of millions of rows holds one batch.
    pub fn read_columns<E: From<Error>>(
        self,
        columns: &[&str],
        mut each: impl FnMut(&ParquetTable) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let mut roots = Vec::with_capacity(columns.len());
        for &name in columns {
            let index = self
                .header
                .columns
                .iter()
                .position(|c| c == name)
                .ok_or_else(|| Error::Column {
                    path: self.header.path.clone(),
                    column: name.to_owned(),
                    reason: "no such column".into(),
                })?;
            roots.push(index);
        }
        let mask = ProjectionMask::roots(self.builder.parquet_schema(), roots);
        let (path, kind) = (self.header.path, self.header.kind);
        let read_err = |source| Error::Read {
            path: path.clone(),
            source,
        };
        let reader = self
            .builder
            .with_projection(mask)
            .with_batch_size(BATCH_ROWS)
            .build()
            .map_err(&read_err)?;
        for batch in reader {
            let batch = batch.map_err(|e| read_err(e.into()))?;
            let chunk = ParquetTable {
                path: path.clone(),
                kind,
                columns: columns.iter().map(|&c| c.to_owned()).collect(),
                rows: batch.num_rows(),
                key_values: BTreeMap::new(),
                created_by: None,
                batches: vec![batch],
            };
            each(&chunk)?;
        }
        Ok(())
    }
}

/// Reads a whole Parquet file ([`ParquetFile::open`], then [`ParquetFile::read`]). A missing
/// file, a file that is not Parquet and a damaged file are errors naming the file.
pub fn read_parquet(path: &Path) -> Result<ParquetTable> {
    ParquetFile::open(path)?.read()
}

impl ParquetTable {
    fn column_err(&self, column: &str, reason: String) -> Error {
        Error::Column {
            path: self.path.clone(),
            column: column.to_owned(),
            reason,
        }
    }

    fn arrays(&self, column: &str) -> Result<Vec<&dyn Array>> {
        self.batches
            .iter()
            .map(|b| {
                b.column_by_name(column)
                    .map(|c| c.as_ref())
                    .ok_or_else(|| self.column_err(column, "no such column".into()))
            })
            .collect()
    }

    /// A column's values as text (dates as `YYYY-MM-DD`, numbers as Arrow prints them), nulls
    /// as `None`.
    pub fn strings(&self, column: &str) -> Result<Vec<Option<String>>> {
        let mut out = Vec::with_capacity(self.rows);
        for array in self.arrays(column)? {
            let text =
                cast(array, &DataType::Utf8).map_err(|e| self.column_err(column, e.to_string()))?;
            out.extend(text.as_string::<i32>().iter().map(|v| v.map(str::to_owned)));
        }
        Ok(out)
    }

    /// A numeric column's values as `f64`, nulls as `None`.
    pub fn floats(&self, column: &str) -> Result<Vec<Option<f64>>> {
        let mut out = Vec::with_capacity(self.rows);
        for array in self.arrays(column)? {
            let values = cast(array, &DataType::Float64)
                .map_err(|e| self.column_err(column, e.to_string()))?;
            out.extend(
                values
                    .as_primitive::<arrow::datatypes::Float64Type>()
                    .iter(),
            );
        }
        Ok(out)
    }

    /// For a `list<struct>` column (validation's `rows`): per row, the text of `field` of every
    /// element.
    pub fn list_field_strings(&self, column: &str, field: &str) -> Result<Vec<Vec<String>>> {
        let mut out = Vec::with_capacity(self.rows);
        for array in self.arrays(column)? {
            let list = array
                .as_list_opt::<i32>()
                .ok_or_else(|| self.column_err(column, "not a list column".into()))?;
            for i in 0..list.len() {
                if list.is_null(i) {
                    out.push(Vec::new());
                    continue;
                }
                let items = list.value(i);
                let items = items
                    .as_struct_opt()
                    .ok_or_else(|| self.column_err(column, "not a list of structs".into()))?;
                let child = items.column_by_name(field).ok_or_else(|| {
                    self.column_err(column, format!("elements have no field {field}"))
                })?;
                let text = cast(child, &DataType::Utf8)
                    .map_err(|e| self.column_err(column, e.to_string()))?;
                out.push(
                    text.as_string::<i32>()
                        .iter()
                        .map(|v| v.unwrap_or_default().to_owned())
                        .collect(),
                );
            }
        }
        Ok(out)
    }
}
