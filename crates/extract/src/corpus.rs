//! Corpus files: many documents in one file, one per JSON line or Parquet row, read as a stream.
//!
//! News corpora are shared as JSON lines (`{"id": …, "url": …, "published": …, "text": …}` per
//! line), often compressed (`.jsonl.gz`, `.jsonl.zst`, read as they are decompressed), or as a
//! Parquet table with a text column. A [`CorpusReader`] reads such a file one
//! [`CorpusRecord`] at a time, holding one line (JSON lines) or one record batch of at most
//! [`PARQUET_BATCH_ROWS`] rows (Parquet) in memory, and computes the SHA-256 of the whole file as
//! stored (compressed or not) for provenance. [`CorpusRecord::into_document`] turns a record
//! into a [`Document`] the way [`decode`](crate::decode()) treats a file: NFC text with `\n`
//! line endings.
//!
//! A line or row that cannot be read (not JSON, no text, a bad date) is an [`Error::Corpus`]
//! naming the corpus and the line or row; the reader goes on with the next one. A file that
//! cannot be read on (a disk error, a compressed file cut short or damaged) is an error of the
//! line where reading stopped, which says that the rest of the file is not read; nothing
//! follows it.
//!
//! ```
//! use chiso_extract::{CorpusColumns, CorpusFormat, CorpusReader};
//!
//! let path = std::env::temp_dir().join(format!("chiso-corpus-doc-{}.jsonl", std::process::id()));
//! std::fs::write(&path, concat!(
//!     r#"{"id": "a1", "published": "2023-04-02", "text": "GRDP quý I/2023 tăng 7,35%."}"#, "\n",
//!     r#"{"id": 2, "geo": "VN-02", "text": "Tỷ lệ hộ nghèo còn 19,3%."}"#, "\n",
//! ))?;
//! let format = CorpusFormat::detect(&path).expect("a .jsonl file");
//! let mut reader = CorpusReader::open("news", &path, format, &CorpusColumns::default(), 1 << 20)?;
//! let first = reader.next().expect("a first line")?;
//! assert_eq!((first.position, first.id.as_deref()), (1, Some("a1")));
//! let second = reader.next().expect("a second line")?;
//! assert_eq!((second.id.as_deref(), second.geo.as_deref()), (Some("2"), Some("VN-02")));
//! assert!(reader.next().is_none());
//! assert_eq!(reader.finish()?.sha256.len(), 64);
//! # std::fs::remove_file(&path)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use arrow::array::{Array, AsArray, RecordBatch, StringArray};
use arrow::datatypes::DataType;
use chiso_model::{Document, PartialDate, SourceMeta};
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use serde::Deserialize;
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, Visitor};

use crate::hashed::Hashed;
use crate::{Error, Result, SourceSpec};

/// Rows per record batch read from a Parquet corpus.
pub const PARQUET_BATCH_ROWS: usize = 256;

/// How a corpus file stores its documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CorpusFormat {
    /// One JSON object per line (`.jsonl`, `.ndjson`).
    JsonLines,
    /// JSON lines compressed with gzip (`.jsonl.gz`, `.ndjson.gz`; several gzip members one
    /// after the other, as `cat a.gz b.gz` makes, are one stream).
    JsonLinesGzip,
    /// JSON lines compressed with zstd (`.jsonl.zst`, `.ndjson.zst`; several frames are one
    /// stream).
    JsonLinesZstd,
    /// A Parquet table, one document per row (`.parquet`).
    Parquet,
}

impl CorpusFormat {
    /// The corpus format of a path, from its extension (`.gz` or `.zst` after `.jsonl` or
    /// `.ndjson` for compressed JSON lines); `None` for any other file.
    pub fn detect(path: &Path) -> Option<CorpusFormat> {
        let lower = |ext: Option<&std::ffi::OsStr>| ext?.to_str().map(str::to_ascii_lowercase);
        let json_lines = || {
            let inner = lower(Path::new(path.file_stem()?).extension())?;
            Some(matches!(inner.as_str(), "jsonl" | "ndjson"))
        };
        match lower(path.extension())?.as_str() {
            "jsonl" | "ndjson" => Some(CorpusFormat::JsonLines),
            "gz" if json_lines()? => Some(CorpusFormat::JsonLinesGzip),
            "zst" if json_lines()? => Some(CorpusFormat::JsonLinesZstd),
            "parquet" | "pq" => Some(CorpusFormat::Parquet),
            _ => None,
        }
    }

    /// The corpus format of a URL, from the extension of its path (its query and fragment
    /// aside): `https://…/news.jsonl.gz?download=1` is gzip-compressed JSON lines.
    pub fn detect_url(url: &str) -> Option<CorpusFormat> {
        let url = reqwest::Url::parse(url).ok()?;
        if !matches!(url.scheme(), "http" | "https") {
            return None;
        }
        // The last segment of the path: none for the host alone, empty after a final '/'.
        let file = url.path_segments()?.next_back()?;
        CorpusFormat::detect(Path::new(file))
    }

    /// What a document's place in a corpus of this format is called: a Parquet row, a line.
    pub fn place(self) -> &'static str {
        match self {
            CorpusFormat::Parquet => "row",
            _ => "line",
        }
    }

    /// The stable name: `jsonl`, `jsonl.gz`, `jsonl.zst` or `parquet`.
    pub fn name(self) -> &'static str {
        match self {
            CorpusFormat::JsonLines => "jsonl",
            CorpusFormat::JsonLinesGzip => "jsonl.gz",
            CorpusFormat::JsonLinesZstd => "jsonl.zst",
            CorpusFormat::Parquet => "parquet",
        }
    }
}

/// The names of a corpus's fields (JSON keys or Parquet columns). Only `text` is required in the
/// data; a missing `id` gives `<source id>-<line or row>`, a missing `published` or `geo` the
/// source's own.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CorpusColumns {
    /// The document text (default `text`).
    pub text: String,
    /// A document id (default `id`): text or an integer.
    pub id: String,
    /// Where the document was published (default `url`).
    pub url: String,
    /// Publication date (default `published`): `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or a timestamp
    /// starting with one, a date written day first (`02/04/2023`), or a Parquet date or
    /// timestamp (its local date).
    pub published: String,
    /// ISO 3166-2:VN code of the place the document is about (default `geo`).
    pub geo: String,
    /// Whether each document's text is HTML (a crawled page or an article's markup), read as an
    /// HTML source is: the article's blocks, without menus, share bars and footers. `None`
    /// (the default) reads a text as HTML when it starts with a tag.
    pub html: Option<bool>,
    /// Written before each id the documents give (`"baolaocai/"` makes `123` `baolaocai/123`):
    /// two corpora whose ids overlap (article numbers of two papers) then give rows with
    /// `source_id`s of their own. Ids chiso makes (`<source id>-<line>`) are unique already.
    pub id_prefix: Option<String>,
}

impl CorpusColumns {
    /// Each field's key and the name it is given, in order: text, id, url, published, geo.
    pub fn names(&self) -> [(&'static str, &str); 5] {
        [
            ("text", &self.text),
            ("id", &self.id),
            ("url", &self.url),
            ("published", &self.published),
            ("geo", &self.geo),
        ]
    }
}

impl Default for CorpusColumns {
    fn default() -> Self {
        CorpusColumns {
            text: "text".into(),
            id: "id".into(),
            url: "url".into(),
            published: "published".into(),
            geo: "geo".into(),
            html: None,
            id_prefix: None,
        }
    }
}

/// One document of a corpus, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CorpusRecord {
    /// 1-based line (JSON lines) or row (Parquet) in the file.
    pub position: u64,
    /// The id field, if the document has one.
    pub id: Option<String>,
    /// The url field.
    pub url: Option<String>,
    /// The published field, unparsed.
    pub published: Option<String>,
    /// The geo field.
    pub geo: Option<String>,
    /// The text as stored (not yet normalised).
    pub text: String,
    /// Whether the text is HTML ([`CorpusColumns::html`]), to be read as a page is.
    pub html: bool,
}

/// What the whole corpus file was, once read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusDigest {
    /// Hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// Size of the file in bytes.
    pub bytes: u64,
}

/// Reads a corpus file one document at a time ([`Iterator`] of [`Result<CorpusRecord>`]).
pub struct CorpusReader {
    source_id: String,
    path: PathBuf,
    /// What errors name: the path, or the URL the file was fetched from.
    origin: String,
    format: CorpusFormat,
    columns: CorpusColumns,
    max_document_bytes: u64,
    inner: Inner,
}

enum Inner {
    Lines {
        reader: BufReader<Lines>,
        line: u64,
        buf: Vec<u8>,
        /// A read error ends the file: nothing after it can be trusted.
        failed: bool,
    },
    Parquet {
        batches: ParquetRecordBatchReader,
        /// The current batch's columns, cast to text: text, id, url, published, geo.
        current: Option<Box<[Option<StringArray>; 5]>>,
        next_row: usize,
        row: u64,
        failed: bool,
        /// The file's size and row count, for [`CorpusReader::bytes_read`].
        file_bytes: u64,
        rows: u64,
    },
}

impl fmt::Debug for CorpusReader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CorpusReader")
            .field("source_id", &self.source_id)
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl CorpusReader {
    /// Opens the corpus of source `source_id` at `path`. A document longer than
    /// `max_document_bytes` is an error for that document alone. A Parquet file without the
    /// text column, or whose columns are not text, is an error here.
    pub fn open(
        source_id: &str,
        path: &Path,
        format: CorpusFormat,
        columns: &CorpusColumns,
        max_document_bytes: u64,
    ) -> Result<CorpusReader> {
        let origin = path.display().to_string();
        CorpusReader::open_as(
            source_id,
            path,
            &origin,
            format,
            columns,
            max_document_bytes,
        )
    }

    /// [`CorpusReader::open`] for a file that stands for `origin` (the URL a corpus was
    /// downloaded from): errors of lines and rows name `origin`, not the local copy.
    pub fn open_as(
        source_id: &str,
        path: &Path,
        origin: &str,
        format: CorpusFormat,
        columns: &CorpusColumns,
        max_document_bytes: u64,
    ) -> Result<CorpusReader> {
        let read_err = |cause| read_error(source_id, path, origin, cause);
        let file = File::open(path).map_err(read_err)?;
        let json_lines = |lines| Inner::Lines {
            reader: BufReader::with_capacity(1 << 20, lines),
            line: 0,
            buf: Vec::new(),
            failed: false,
        };
        // An empty file holds no documents, whatever its extension promises (a decoder would
        // call it cut short).
        let size = file.metadata().map_err(read_err)?.len();
        let inner = match format {
            CorpusFormat::JsonLines => json_lines(Lines::Plain(Hashed::new(file))),
            CorpusFormat::JsonLinesGzip | CorpusFormat::JsonLinesZstd if size == 0 => {
                json_lines(Lines::Plain(Hashed::new(file)))
            }
            CorpusFormat::JsonLinesGzip => {
                json_lines(Lines::Gzip(Box::new(GzipMembers::new(Hashed::new(file)))))
            }
            CorpusFormat::JsonLinesZstd => {
                let decoder =
                    zstd::stream::read::Decoder::new(Hashed::new(file)).map_err(read_err)?;
                json_lines(Lines::Zstd(Box::new(decoder)))
            }
            CorpusFormat::Parquet => {
                let (batches, rows) = open_parquet(source_id, origin, file, columns)?;
                Inner::Parquet {
                    batches,
                    current: None,
                    next_row: 0,
                    row: 0,
                    failed: false,
                    file_bytes: size,
                    rows,
                }
            }
        };
        Ok(CorpusReader {
            source_id: source_id.to_owned(),
            path: path.to_owned(),
            origin: origin.to_owned(),
            format,
            columns: columns.clone(),
            max_document_bytes,
            inner,
        })
    }

    /// Why line or row `at` could not be read.
    fn error(&self, at: u64, reason: String) -> Error {
        Error::Corpus {
            source_id: self.source_id.clone(),
            origin: self.origin.clone(),
            at: Some((self.format.place(), at)),
            reason,
        }
    }

    /// How far into the file reading has come, in bytes of the file as stored, for progress:
    /// for JSON lines the bytes taken from the file so far (compressed or not; the buffers read
    /// up to a MiB ahead of the records handed out), for Parquet the share of the rows read.
    pub fn bytes_read(&self) -> u64 {
        match &self.inner {
            Inner::Lines { reader, .. } => reader.get_ref().hashed().map_or(0, |h| h.bytes),
            Inner::Parquet {
                row,
                rows,
                file_bytes,
                ..
            } => match *rows {
                0 => 0,
                // u128: a file of 2^40 bytes and 2^30 rows must not overflow.
                rows => {
                    (u128::from(*file_bytes) * u128::from((*row).min(rows)) / u128::from(rows))
                        as u64
                }
            },
        }
    }

    /// The hash and size of the whole file. For JSON lines they were computed while reading (the
    /// rest of the file is read now if the caller stopped early); a Parquet file is hashed here.
    pub fn finish(self) -> Result<CorpusDigest> {
        let read_err = |cause| read_error(&self.source_id, &self.path, &self.origin, cause);
        let read_so_far = match self.inner {
            // The bytes the decoder and the buffers took from the file are hashed already; the
            // rest of the file is read from where they stopped.
            Inner::Lines { reader, .. } => reader.into_inner().into_hashed(),
            Inner::Parquet { .. } => None,
        };
        // A Parquet file is hashed whole here.
        let mut hashed = match read_so_far {
            Some(hashed) => hashed,
            None => Hashed::new(File::open(&self.path).map_err(read_err)?),
        };
        crate::hashed::drain(&mut hashed).map_err(read_err)?;
        let (sha256, bytes, _) = hashed.finish();
        Ok(CorpusDigest { sha256, bytes })
    }

    fn next_line(&mut self) -> Option<Result<CorpusRecord>> {
        let max = self.max_document_bytes;
        loop {
            let format = self.format;
            let Inner::Lines {
                reader,
                line,
                buf,
                failed,
            } = &mut self.inner
            else {
                return None;
            };
            if *failed {
                return None;
            }
            buf.clear();
            let read = reader
                .by_ref()
                .take(max.saturating_add(2))
                .read_until(b'\n', buf);
            *line += 1;
            let at = *line;
            match read {
                Err(e) => {
                    *failed = true;
                    let reason = cannot_read(format, &e);
                    return Some(Err(self.error(at, reason)));
                }
                Ok(0) => return None,
                Ok(_) => {}
            }
            if buf.last() != Some(&b'\n') && buf.len() as u64 > max {
                // Too long: skip to the end of the line.
                if let Err(e) = skip_line(reader) {
                    *failed = true;
                    let reason = cannot_read(format, &e);
                    return Some(Err(self.error(at, reason)));
                }
                let reason = format!("the line is longer than the cap of {max} bytes");
                return Some(Err(self.error(at, reason)));
            }
            let mut body: &[u8] = buf;
            if at == 1 {
                body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
            }
            if body.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            // The line's UTF-8 checked at once (SIMD) lets the parser take its strings as they
            // are; a line that is not UTF-8 goes to the byte parser, whose error says where.
            let fields = match simdutf8::basic::from_utf8(body) {
                Ok(line) => {
                    parse_line(&mut serde_json::Deserializer::from_str(line), &self.columns)
                }
                Err(_) => parse_line(
                    &mut serde_json::Deserializer::from_slice(body),
                    &self.columns,
                ),
            };
            let record = match fields {
                Ok(f) => f.into_record(at),
                Err(e) => Err(format!("not a JSON object: {}", json_error_in_line(&e))),
            };
            let record = record.and_then(|r| {
                if r.text.len() as u64 > max {
                    Err(format!("the text is longer than the cap of {max} bytes"))
                } else {
                    Ok(r)
                }
            });
            return Some(record.map_err(|reason| self.error(at, reason)));
        }
    }

    fn next_row(&mut self) -> Option<Result<CorpusRecord>> {
        loop {
            let Inner::Parquet {
                batches,
                current,
                next_row,
                row,
                failed,
                ..
            } = &mut self.inner
            else {
                return None;
            };
            if *failed {
                return None;
            }
            if let Some(cols) = current
                && *next_row < cols[0].as_ref().map_or(0, Array::len)
            {
                let i = *next_row;
                *next_row += 1;
                *row += 1;
                let at = *row;
                let get = |k: usize| {
                    cols[k]
                        .as_ref()
                        .filter(|c| c.is_valid(i))
                        .map(|c| c.value(i).to_owned())
                };
                let record = match get(0) {
                    Some(text) if text.len() as u64 > self.max_document_bytes => Err(format!(
                        "the text is longer than the cap of {} bytes",
                        self.max_document_bytes
                    )),
                    Some(text) => Ok(CorpusRecord {
                        position: at,
                        id: get(1),
                        url: get(2),
                        published: get(3),
                        geo: get(4),
                        text,
                        html: false,
                    }),
                    None => Err(format!("column {:?} is null", self.columns.text)),
                };
                return Some(record.map_err(|reason| self.error(at, reason)));
            }
            match batches.next() {
                None => return None,
                Some(Err(e)) => {
                    *failed = true;
                    let at = *row + 1;
                    return Some(Err(self.error(at, format!("cannot decode: {e}"))));
                }
                Some(Ok(batch)) => match text_columns(&batch, &self.columns) {
                    Ok(cols) => {
                        *current = Some(Box::new(cols));
                        *next_row = 0;
                    }
                    Err(reason) => {
                        *failed = true;
                        let at = *row + 1;
                        return Some(Err(self.error(at, reason)));
                    }
                },
            }
        }
    }
}

impl Iterator for CorpusReader {
    type Item = Result<CorpusRecord>;

    fn next(&mut self) -> Option<Self::Item> {
        let record = match self.inner {
            Inner::Lines { .. } => self.next_line(),
            Inner::Parquet { .. } => self.next_row(),
        };
        Some(record?.map(|mut r| {
            r.html = self
                .columns
                .html
                .unwrap_or_else(|| starts_with_tag(&r.text));
            if let (Some(prefix), Some(id)) = (&self.columns.id_prefix, &mut r.id)
                && !id.trim().is_empty()
            {
                id.insert_str(0, prefix);
            }
            r
        }))
    }
}

/// A document that could not be read: why, and the id and origin it is recorded under.
pub type Unread = (Error, String, String);

impl CorpusRecord {
    /// The id and origin of this record's document in corpus `corpus_id` at `origin`: its id,
    /// else `<corpus id>-<position>`; its url, else `<origin>:<position>`.
    pub fn names(&self, corpus_id: &str, origin: &str) -> (String, String) {
        let given = |v: &Option<String>| v.as_ref().filter(|v| !v.trim().is_empty()).cloned();
        (
            given(&self.id).unwrap_or_else(|| format!("{corpus_id}-{}", self.position)),
            given(&self.url).unwrap_or_else(|| format!("{origin}:{}", self.position)),
        )
    }

    /// The document of this record in corpus source `corpus`, a corpus of `format` at `origin`
    /// (its path or URL): its id (else `<source id>-<position>`), its `published` and `geo`
    /// (else the source's), NFC text with `\n` line endings. The document's origin is the
    /// record's url, else `<origin>:<position>`. `meta.sha256` is empty: the corpus file's hash
    /// is the provenance of its documents. A `published` that is not a date is no reason to
    /// lose the text: the document is read with the source's date instead, and a warning.
    pub fn into_document(
        self,
        corpus: &SourceSpec,
        origin: &str,
        format: CorpusFormat,
    ) -> Result<(Document, Vec<String>)> {
        self.into_named_document(corpus, origin, format)
            .map_err(|failed| failed.0)
    }

    /// [`CorpusRecord::into_document`], which on failure also gives the document's id and
    /// origin ([`CorpusRecord::names`]): a document that cannot be read is recorded under them.
    pub fn into_named_document(
        self,
        corpus: &SourceSpec,
        origin: &str,
        format: CorpusFormat,
    ) -> std::result::Result<(Document, Vec<String>), Box<Unread>> {
        let (source_id, document_origin) = self.names(&corpus.id, origin);
        let err = |reason: String| {
            let e = Error::Corpus {
                source_id: corpus.id.clone(),
                origin: origin.to_owned(),
                at: Some((format.place(), self.position)),
                reason,
            };
            Box::new((e, source_id.clone(), document_origin.clone()))
        };
        let mut warnings = Vec::new();
        let published = match self.published.as_deref().map(str::trim) {
            Some(p) if !p.is_empty() => match parse_published(p) {
                Ok(date) => Some(date),
                Err(e) => {
                    let instead = match corpus.published {
                        Some(d) => format!("the source's date, {d}"),
                        None => "no date".to_owned(),
                    };
                    warnings.push(format!(
                        "{} {}: published {p:?}: {e}; read with {instead}",
                        format.place(),
                        self.position
                    ));
                    corpus.published
                }
            },
            _ => corpus.published,
        };
        let bytes = self.text.len() as u64;
        let text = normalize(self.text).map_err(|e| err(format!("text: {e}")))?;
        // As an HTML file is read: decoded to NFC first, then its article's blocks.
        let text = if self.html {
            crate::read_html(&text, &corpus.id, origin).text
        } else {
            text
        };
        let geo = self
            .geo
            .filter(|g| !g.trim().is_empty())
            .or_else(|| corpus.geo.clone());
        let document = Document {
            source_id,
            text,
            meta: SourceMeta {
                published,
                geo,
                origin: document_origin,
                sha256: String::new(),
                bytes,
                encoding: "utf-8".to_owned(),
            },
        };
        Ok((document, warnings))
    }
}

/// A corpus text as [`decode`](crate::decode()) leaves a file's: `\n` line endings, NFC, and no
/// NUL (binary content). The text is UTF-8 already, and most news text is plainly NFC with `\n`
/// line endings too, which one pass over its bytes confirms (`decode::plain_text`).
fn normalize(text: String) -> std::result::Result<String, crate::DecodeError> {
    // Plain text (the usual case) is checked once; other text a second time in `normalize`.
    if crate::decode::plain_text(text.as_bytes()) {
        return Ok(text);
    }
    if let Some(offset) = text.bytes().position(|b| b == 0) {
        return Err(crate::DecodeError::Binary { offset });
    }
    Ok(crate::decode::normalize(std::borrow::Cow::Owned(text)))
}

/// `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or a timestamp that starts with a date
/// (`2023-04-02T08:15:00+07:00`, `2023-04-02 08:15`); or a date written day first, as
/// Vietnamese pages write it (`02/04/2023`, `2/4/2023 08:15`, `02-04-2023`, `02.04.2023`).
fn parse_published(s: &str) -> std::result::Result<PartialDate, chiso_model::Error> {
    if let Some(date) = day_first(s) {
        return date;
    }
    let date = match s.char_indices().nth(10) {
        Some((i, 'T' | ' ')) => &s[..i],
        _ => s,
    };
    date.parse().map_err(|e| match e {
        chiso_model::Error::InvalidDate { input, reason } if reason.starts_with("expected") => {
            chiso_model::Error::InvalidDate {
                input,
                reason: "expected YYYY, YYYY-MM, YYYY-MM-DD or DD/MM/YYYY",
            }
        }
        other => other,
    })
}

/// Whether `text` starts with a tag (`<p>`, `<div …>`, `<!DOCTYPE html>`), as a document stored
/// as HTML does; "<5%" or "< 10" do not.
fn starts_with_tag(text: &str) -> bool {
    let t = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    t.strip_prefix('<')
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_alphabetic() || c == '!'))
}

/// A date written day first (`D/M/YYYY`, with '/', '-' or '.' between the parts, then the end,
/// a space or a comma), or `None` when `s` does not start so.
fn day_first(s: &str) -> Option<std::result::Result<PartialDate, chiso_model::Error>> {
    let s = s.trim();
    let sep = s.bytes().find(|b| !b.is_ascii_digit())?;
    if !matches!(sep, b'/' | b'-' | b'.') {
        return None;
    }
    let mut parts = s.splitn(3, char::from(sep));
    let (day, month, rest) = (parts.next()?, parts.next()?, parts.next()?);
    let year_len = rest.bytes().take_while(u8::is_ascii_digit).count();
    let tail = &rest[year_len..];
    let short = |p: &str| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    if !short(day)
        || !short(month)
        || year_len != 4
        || !(tail.is_empty() || tail.starts_with([' ', ',']))
    {
        return None;
    }
    let iso = format!("{}-{month:0>2}-{day:0>2}", &rest[..year_len]);
    Some(iso.parse().map_err(|e| match e {
        chiso_model::Error::InvalidDate { .. } => chiso_model::Error::InvalidDate {
            input: s.to_owned(),
            reason: "no such day (read day first: DD/MM/YYYY)",
        },
        other => other,
    }))
}

/// An error reading the file at `path`, which stands for `origin`: a local file is named, a
/// downloaded copy beside the URL it came from.
fn read_error(source_id: &str, path: &Path, origin: &str, cause: std::io::Error) -> Error {
    if path.display().to_string() == origin {
        return Error::Read {
            source_id: source_id.to_owned(),
            path: path.to_owned(),
            cause,
        };
    }
    Error::Corpus {
        source_id: source_id.to_owned(),
        origin: origin.to_owned(),
        at: None,
        reason: format!(
            "cannot read its downloaded copy {}: {cause}",
            path.display()
        ),
    }
}

/// Why a line could not be read: the file, or for a compressed file its decompression.
fn cannot_read(format: CorpusFormat, e: &std::io::Error) -> String {
    let what = match format {
        CorpusFormat::JsonLinesGzip => "cannot read or decompress the gzip file",
        CorpusFormat::JsonLinesZstd => "cannot read or decompress the zstd file",
        _ => "cannot read",
    };
    format!("{what}: {e}; the rest of the file is not read")
}

/// Skips to the end of the line.
fn skip_line(reader: &mut impl BufRead) -> std::io::Result<()> {
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            return Ok(());
        }
        let (n, done) = match chunk.iter().position(|&b| b == b'\n') {
            Some(p) => (p + 1, true),
            None => (chunk.len(), false),
        };
        reader.consume(n);
        if done {
            return Ok(());
        }
    }
}

/// The text of a JSON lines corpus: the file itself or its decompression.
enum Lines {
    Plain(Hashed<File>),
    Gzip(Box<GzipMembers>),
    Zstd(Box<zstd::stream::read::Decoder<'static, BufReader<Hashed<File>>>>),
}

impl Lines {
    /// The file under the decoder (`None` only while a gzip decoder moves on to the next member,
    /// which a read never leaves half done).
    fn hashed(&self) -> Option<&Hashed<File>> {
        match self {
            Lines::Plain(hashed) => Some(hashed),
            Lines::Gzip(members) => members.hashed(),
            Lines::Zstd(decoder) => Some(decoder.get_ref().get_ref()),
        }
    }

    /// The file under the decoder, where reading stopped (`None` as for [`Lines::hashed`]).
    fn into_hashed(self) -> Option<Hashed<File>> {
        match self {
            Lines::Plain(hashed) => Some(hashed),
            Lines::Gzip(members) => members.into_hashed(),
            Lines::Zstd(decoder) => Some(decoder.finish().into_inner()),
        }
    }
}

impl Read for Lines {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Lines::Plain(hashed) => hashed.read(buf),
            Lines::Gzip(members) => members.read(buf),
            Lines::Zstd(decoder) => decoder.read(buf),
        }
    }
}

/// The decompression of a gzip file: its members one after another (as `cat a.gz b.gz` makes),
/// then, as gzip(1) allows, zero bytes to the end of the file (a file padded to a block size
/// by a tape or archive tool). Anything else after a member is read as the next member, and
/// fails as such when it is not one.
struct GzipMembers {
    /// The member being read (`None` only while the decoder moves on to the next one, within
    /// one call of `read`).
    decoder: Option<flate2::bufread::GzDecoder<BufReader<Hashed<File>>>>,
    /// Where the zero padding began, once reading has reached it.
    padding_at: Option<u64>,
}

impl GzipMembers {
    fn new(file: Hashed<File>) -> GzipMembers {
        let input = BufReader::with_capacity(1 << 16, file);
        GzipMembers {
            decoder: Some(flate2::bufread::GzDecoder::new(input)),
            padding_at: None,
        }
    }

    /// The file under the decoder.
    fn hashed(&self) -> Option<&Hashed<File>> {
        Some(self.decoder.as_ref()?.get_ref().get_ref())
    }

    /// The file under the decoder, where reading stopped.
    fn into_hashed(self) -> Option<Hashed<File>> {
        Some(self.decoder?.into_inner().into_inner())
    }

    /// After a member: whether another one follows (else the input is at its end, past any
    /// zero padding).
    fn next_member_follows(&mut self) -> std::io::Result<bool> {
        let Some(decoder) = &mut self.decoder else {
            return Ok(false);
        };
        let input = decoder.get_mut();
        loop {
            let unread = input.buffer().len() as u64;
            let at = input.get_ref().bytes - unread;
            let peek = input.fill_buf()?;
            let Some(&first) = peek.first() else {
                return Ok(false);
            };
            let zeros = peek.iter().take_while(|&&b| b == 0).count();
            if zeros == 0 {
                return match self.padding_at {
                    None => Ok(true),
                    Some(start) => Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!(
                            "byte {at} ({first:#04x}) follows zero padding from byte {start}: \
                             only zeros may follow the last gzip member"
                        ),
                    )),
                };
            }
            self.padding_at.get_or_insert(at);
            input.consume(zeros);
        }
    }
}

impl Read for GzipMembers {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            let Some(decoder) = &mut self.decoder else {
                return Ok(0);
            };
            let n = decoder.read(buf)?;
            if n > 0 || buf.is_empty() || !self.next_member_follows()? {
                return Ok(n);
            }
            self.decoder = self
                .decoder
                .take()
                .map(|done| flate2::bufread::GzDecoder::new(done.into_inner()));
        }
    }
}

/// The fields of one JSON line that the columns name.
#[derive(Default)]
struct LineFields {
    text: Option<String>,
    id: Option<String>,
    url: Option<String>,
    published: Option<String>,
    geo: Option<String>,
    text_key: String,
}

impl LineFields {
    fn into_record(self, position: u64) -> std::result::Result<CorpusRecord, String> {
        let text = self.text.ok_or_else(|| {
            format!(
                "no text: the object has no string field {:?} (another name is given with [sources.corpus] text = \"…\")",
                self.text_key
            )
        })?;
        Ok(CorpusRecord {
            position,
            id: self.id,
            url: self.url,
            published: self.published,
            geo: self.geo,
            text,
            html: false,
        })
    }
}

/// Which field a JSON key is.
#[derive(Clone, Copy)]
enum Slot {
    Text,
    Id,
    Url,
    Published,
    Geo,
    Other,
}

/// One JSON line's fields, the whole line consumed (from bytes or from checked text).
fn parse_line<'de, R: serde_json::de::Read<'de>>(
    de: &mut serde_json::Deserializer<R>,
    columns: &CorpusColumns,
) -> serde_json::Result<LineFields> {
    let fields = LineSeed(columns).deserialize(&mut *de)?;
    de.end()?;
    Ok(fields)
}

struct LineSeed<'a>(&'a CorpusColumns);

impl<'de> DeserializeSeed<'de> for LineSeed<'_> {
    type Value = LineFields;
    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<LineFields, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for LineSeed<'_> {
    type Value = LineFields;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<LineFields, A::Error> {
        use serde::de::Error as _;
        let mut fields = LineFields {
            text_key: self.0.text.clone(),
            ..LineFields::default()
        };
        while let Some(slot) = map.next_key_seed(KeySeed(self.0))? {
            match slot {
                Slot::Text => {
                    let text: Option<String> = map.next_value()?;
                    fields.text = Some(text.ok_or_else(|| {
                        A::Error::custom(format!("field {:?} is null", self.0.text))
                    })?);
                }
                Slot::Id => fields.id = map.next_value::<Option<Scalar>>()?.map(|s| s.0),
                Slot::Url => fields.url = map.next_value::<Option<Scalar>>()?.map(|s| s.0),
                Slot::Published => {
                    fields.published = map.next_value::<Option<Scalar>>()?.map(|s| s.0)
                }
                Slot::Geo => fields.geo = map.next_value::<Option<Scalar>>()?.map(|s| s.0),
                Slot::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(fields)
    }
}

struct KeySeed<'a>(&'a CorpusColumns);

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Slot;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<Slot, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for KeySeed<'_> {
    type Value = Slot;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: serde::de::Error>(self, key: &str) -> std::result::Result<Slot, E> {
        let c = self.0;
        Ok(if key == c.text {
            Slot::Text
        } else if key == c.id {
            Slot::Id
        } else if key == c.url {
            Slot::Url
        } else if key == c.published {
            Slot::Published
        } else if key == c.geo {
            Slot::Geo
        } else {
            Slot::Other
        })
    }
}

/// A string or a number, as text (ids are often integers).
struct Scalar(String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Scalar, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a number")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Scalar, E> {
                Ok(Scalar(v.to_owned()))
            }
            fn visit_string<E: serde::de::Error>(
                self,
                v: String,
            ) -> std::result::Result<Scalar, E> {
                Ok(Scalar(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

fn open_parquet(
    source_id: &str,
    origin: &str,
    file: File,
    columns: &CorpusColumns,
) -> Result<(ParquetRecordBatchReader, u64)> {
    let err = |reason: String| Error::Corpus {
        source_id: source_id.to_owned(),
        origin: origin.to_owned(),
        at: None,
        reason,
    };
    let builder = ParquetRecordBatchReaderBuilder::try_new(file)
        .map_err(|e| err(format!("not a readable Parquet file: {e}")))?;
    let schema = builder.schema().clone();
    let wanted = columns.names().map(|(_, name)| name);
    let mut roots = Vec::new();
    for (k, name) in wanted.iter().enumerate() {
        match schema.index_of(name) {
            Ok(i) => {
                let field = schema.field(i);
                if !castable_to_text(field.data_type()) {
                    return Err(err(format!(
                        "column {name:?} is {}, not text, a number or a date",
                        field.data_type()
                    )));
                }
                roots.push(i);
            }
            Err(_) if k == 0 => {
                let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
                return Err(err(format!(
                    "no text column {name:?} (columns: {}); name it with [sources.corpus] text = \"…\"",
                    names.join(", ")
                )));
            }
            Err(_) => {}
        }
    }
    // A codec this build cannot decompress would fail at the first row of its row group: say so
    // now, with the way out.
    let names: Vec<&str> = roots
        .iter()
        .map(|&i| schema.field(i).name().as_str())
        .collect();
    for group in builder.metadata().row_groups() {
        for chunk in group.columns() {
            let column = chunk
                .column_path()
                .parts()
                .first()
                .map_or("", String::as_str);
            if let Some(codec) = unreadable_codec(chunk.compression())
                && names.contains(&column)
            {
                return Err(err(format!(
                    "column {column:?} is compressed with {codec}, which chiso does not read: \
                     write the file with zstd, snappy, gzip or lz4 (pyarrow: \
                     pq.write_table(table, path, compression=\"zstd\"))"
                )));
            }
        }
    }
    let mask = ProjectionMask::roots(builder.parquet_schema(), roots);
    let rows = u64::try_from(builder.metadata().file_metadata().num_rows()).unwrap_or(0);
    let batches = builder
        .with_projection(mask)
        .with_batch_size(PARQUET_BATCH_ROWS)
        .build()
        .map_err(|e| err(format!("cannot read the columns: {e}")))?;
    Ok((batches, rows))
}

/// The name of a Parquet codec this build cannot decompress (the `parquet` features of the root
/// Cargo.toml), `None` for one it can.
fn unreadable_codec(codec: parquet::basic::Compression) -> Option<&'static str> {
    use parquet::basic::Compression;
    match codec {
        Compression::BROTLI(_) => Some("brotli"),
        Compression::LZO => Some("LZO"),
        Compression::UNCOMPRESSED
        | Compression::SNAPPY
        | Compression::GZIP(_)
        | Compression::LZ4
        | Compression::LZ4_RAW
        | Compression::ZSTD(_) => None,
    }
}

fn castable_to_text(t: &DataType) -> bool {
    matches!(
        t,
        DataType::Utf8
            | DataType::LargeUtf8
            | DataType::Utf8View
            | DataType::Int8
            | DataType::Int16
            | DataType::Int32
            | DataType::Int64
            | DataType::UInt8
            | DataType::UInt16
            | DataType::UInt32
            | DataType::UInt64
            | DataType::Date32
            | DataType::Date64
            | DataType::Timestamp(..)
    ) || matches!(t, DataType::Dictionary(_, v) if castable_to_text(v))
}

/// The batch's text, id, url, published and geo columns, cast to UTF-8 text (`None` for a
/// column the file does not have).
fn text_columns(
    batch: &RecordBatch,
    columns: &CorpusColumns,
) -> std::result::Result<[Option<StringArray>; 5], String> {
    let names = [
        &columns.text,
        &columns.id,
        &columns.url,
        &columns.published,
        &columns.geo,
    ];
    let mut out: [Option<StringArray>; 5] = Default::default();
    for (slot, name) in out.iter_mut().zip(names) {
        if let Some(column) = batch.column_by_name(name) {
            let text = arrow::compute::cast(column, &DataType::Utf8)
                .map_err(|e| format!("column {name:?} cannot be read as text: {e}"))?;
            *slot = Some(text.as_string::<i32>().clone());
        }
    }
    Ok(out)
}

/// A JSON parser's error on one line of a corpus, placed within that line: serde's "at line 2
/// column 0" counts the line's own newline as a second line, where the reader names the line
/// of the file already.
fn json_error_in_line(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let place = format!(" at line {} column {}", e.line(), e.column());
    let Some(message) = full.strip_suffix(&place) else {
        return full;
    };
    if e.line() > 1 {
        // What the line left open, when the parser says.
        let open = if message.contains("while parsing a string") {
            " (a string is left open)"
        } else if message.starts_with("EOF while parsing") {
            " (an object or a list is left open)"
        } else {
            ""
        };
        format!("{message}, at the end of the line{open}")
    } else {
        format!("{message}, at byte {} of the line", e.column())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Location;
    use std::sync::Arc;

    /// A fresh directory, removed when the guard is dropped.
    fn scratch_dir() -> tempfile::TempDir {
        tempfile::Builder::new()
            .prefix("chiso-corpus-")
            .tempdir()
            .expect("the system temp dir is writable")
    }

    /// `contents` written to `name` in a fresh directory: the directory's guard and the path.
    fn scratch(name: &str, contents: &[u8]) -> (tempfile::TempDir, PathBuf) {
        let dir = scratch_dir();
        let path = dir.path().join(name);
        std::fs::write(&path, contents).expect("writable");
        (dir, path)
    }

    fn spec(path: &Path) -> SourceSpec {
        SourceSpec {
            id: "news".into(),
            location: Location::Path(path.to_owned()),
            published: Some(PartialDate::Year(2020)),
            geo: Some("VN-01".into()),
            format: None,
        }
    }

    fn read_all(
        path: &Path,
        columns: &CorpusColumns,
        max: u64,
    ) -> (Vec<Result<CorpusRecord>>, CorpusDigest) {
        let format = CorpusFormat::detect(path).expect("a corpus extension");
        let mut reader = CorpusReader::open("news", path, format, columns, max).expect("opened");
        // Progress only grows, and reaches the file's size when the file is read to its end.
        let mut records = Vec::new();
        let mut progress = reader.bytes_read();
        while let Some(record) = reader.next() {
            records.push(record);
            let now = reader.bytes_read();
            assert!(now >= progress, "{}: progress went back", path.display());
            progress = now;
        }
        // The end may have been found past bytes no record holds (a gzip file's zero padding).
        let end = reader.bytes_read();
        assert!(end >= progress, "{}: progress went back", path.display());
        progress = end;
        let digest = reader.finish().expect("hashed");
        assert!(progress <= digest.bytes, "{}", path.display());
        if records.last().is_none_or(Result::is_ok) {
            assert_eq!(
                progress,
                digest.bytes,
                "{}: read to its end",
                path.display()
            );
        }
        (records, digest)
    }

    /// Lines are checked as UTF-8 before they are parsed; a line that is not names its line
    /// and where the bad byte is, and the lines around it read.
    #[test]
    fn a_line_that_is_not_utf8_is_an_error_of_that_line() {
        let mut text = b"{\"text\":\"T\\u1ec9 l\\u1ec7 19,3%\"}\n".to_vec();
        text.extend_from_slice(b"{\"text\":\"gi\xe1m\"}\n{\"text\":\"c\xc3\xb2n\"}\n");
        let (_dir, path) = scratch("not-utf8.jsonl", &text);
        let (records, _) = read_all(&path, &CorpusColumns::default(), 200);
        assert_eq!(records.len(), 3);
        let first = records[0].as_ref().expect("line 1 reads");
        assert_eq!(first.text, "Tỉ lệ 19,3%", "escapes decoded");
        let error = records[1]
            .as_ref()
            .map(|_| ())
            .expect_err("line 2 fails")
            .to_string();
        assert!(
            error.contains("at line 2") && error.contains("invalid unicode code point"),
            "{error}"
        );
        assert_eq!(records[2].as_ref().expect("line 3 reads").text, "còn");
    }

    #[test]
    fn a_json_error_is_placed_in_its_line_not_in_a_second_line() {
        let error = |line: &str| {
            let e = serde_json::from_str::<serde_json::Value>(line).expect_err("not JSON");
            json_error_in_line(&e)
        };
        // The reader keeps a line's newline: an open string runs into it.
        assert_eq!(
            error("{\"text\": \"mở\n"),
            "control character (\\u0000-\\u001F) found while parsing a string, at the end of \
             the line (a string is left open)"
        );
        assert_eq!(
            error("[1,\n"),
            "EOF while parsing a value, at the end of the line (an object or a list is left open)"
        );
        assert_eq!(
            error("{\"text\": tru\n"),
            "expected ident, at the end of the line"
        );
        assert_eq!(
            error("{\"text\": \"Năm\" \"x\"}\n"),
            "expected `,` or `}`, at byte 17 of the line"
        );
    }

    #[test]
    fn json_lines_give_one_record_per_line_and_bad_lines_name_their_line() {
        let long = "x".repeat(300);
        let text = format!(
            "\u{FEFF}{{\"id\":\"a\",\"text\":\"Năm 2022 tăng 9,02%.\\r\\nHết.\",\"extra\":[1,{{\"y\":2}}]}}\n\
             \n\
             not json\n\
             {{\"id\":7,\"body\":\"no text field\"}}\n\
             {{\"text\":\"{long}\"}}\n\
             {{\"id\":null,\"published\":\"2023-04-02T08:00:00+07:00\",\"geo\":\"VN-02\",\"url\":\"https://x.vn/1\",\"text\":\"Tăng 5%.\"}}\r\n\
             {{\"text\":\"cuối\"}}"
        );
        let (_dir, path) = scratch("lines.jsonl", text.as_bytes());
        let (records, digest) = read_all(&path, &CorpusColumns::default(), 200);
        assert_eq!(records.len(), 6, "the blank line is skipped");
        let first = records[0].as_ref().expect("line 1 reads");
        assert_eq!((first.position, first.id.as_deref()), (1, Some("a")));
        let errors: Vec<String> = records
            .iter()
            .filter_map(|r| r.as_ref().err())
            .map(ToString::to_string)
            .collect();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(
            errors[0].contains("at line 3")
                && errors[0].contains("not a JSON object: expected ident, at byte 2 of the line"),
            "{}",
            errors[0]
        );
        assert!(
            errors[1].contains("at line 4") && errors[1].contains("no string field \"text\""),
            "{}",
            errors[1]
        );
        assert!(
            errors[2].contains("at line 5") && errors[2].contains("longer than the cap"),
            "{}",
            errors[2]
        );
        let sixth = records[4].as_ref().expect("line 6 reads");
        assert_eq!(sixth.position, 6);
        assert_eq!(sixth.id, None);
        let last = records[5]
            .as_ref()
            .expect("a last line without a newline reads");
        assert_eq!((last.position, last.text.as_str()), (7, "cuối"));
        assert_eq!(digest.bytes, text.len() as u64);
        assert_eq!(digest.sha256, crate::sha256_hex(text.as_bytes()));

        let doc = records[0]
            .as_ref()
            .expect("line 1")
            .clone()
            .into_document(
                &spec(&path),
                &path.display().to_string(),
                CorpusFormat::JsonLines,
            )
            .expect("a document")
            .0;
        assert_eq!(doc.source_id, "a");
        assert_eq!(doc.text, "Năm 2022 tăng 9,02%.\nHết.");
        assert_eq!(
            doc.meta.published,
            Some(PartialDate::Year(2020)),
            "the source's date when the line has none"
        );
        assert_eq!(doc.meta.geo.as_deref(), Some("VN-01"));
        assert!(
            doc.meta.origin.ends_with("lines.jsonl:1"),
            "{}",
            doc.meta.origin
        );
        let doc = records[4]
            .as_ref()
            .expect("line 6")
            .clone()
            .into_document(
                &spec(&path),
                &path.display().to_string(),
                CorpusFormat::JsonLines,
            )
            .expect("a document")
            .0;
        assert_eq!(doc.source_id, "news-6");
        assert_eq!(
            doc.meta.published,
            Some(PartialDate::Day(
                chiso_model::Date::new(2023, 4, 2).expect("a day")
            ))
        );
        assert_eq!(
            (doc.meta.geo.as_deref(), doc.meta.origin.as_str()),
            (Some("VN-02"), "https://x.vn/1")
        );
    }

    #[test]
    fn a_bad_date_is_a_warning_of_its_line_and_columns_can_be_renamed() {
        let (_dir, path) = scratch(
            "renamed.ndjson",
            "{\"body\":\"a\",\"ngay\":\"2023-13\",\"ma\":5}\n".as_bytes(),
        );
        let columns = CorpusColumns {
            text: "body".into(),
            id: "ma".into(),
            published: "ngay".into(),
            ..CorpusColumns::default()
        };
        let (records, _) = read_all(&path, &columns, 1 << 20);
        let record = records
            .into_iter()
            .next()
            .expect("one line")
            .expect("it reads");
        assert_eq!(record.id.as_deref(), Some("5"));
        let (doc, warnings) = record
            .into_document(
                &spec(&path),
                &path.display().to_string(),
                CorpusFormat::JsonLines,
            )
            .expect("read without the date");
        assert_eq!(
            doc.meta.published,
            Some(PartialDate::Year(2020)),
            "the source's date instead"
        );
        assert_eq!(doc.text, "a");
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].starts_with("line 1: published \"2023-13\": ")
                && warnings[0].ends_with("; read with the source's date, 2020"),
            "{warnings:?}"
        );
    }

    fn parquet_corpus(path: &Path, compression: parquet::basic::Compression) {
        use arrow::array::{Date32Array, Int64Array, StringArray};
        use arrow::datatypes::{Field, Schema};
        let schema = Arc::new(Schema::new(vec![
            Field::new("doc_id", DataType::Int64, false),
            Field::new("content", DataType::Utf8, true),
            Field::new("published", DataType::Date32, true),
        ]));
        let n = PARQUET_BATCH_ROWS + 3;
        let ids = Int64Array::from_iter_values(0..n as i64);
        let texts = StringArray::from_iter(
            (0..n).map(|i| (i != 5).then(|| format!("Văn bản {i}: tăng {i},5%."))),
        );
        // 19449 days after 1970-01-01 is 2023-04-02.
        let dates = Date32Array::from_iter((0..n).map(|i| (i % 2 == 0).then_some(19449)));
        let batch = RecordBatch::try_new(
            schema.clone(),
            vec![Arc::new(ids), Arc::new(texts), Arc::new(dates)],
        )
        .expect("a batch");
        let props = parquet::file::properties::WriterProperties::builder()
            .set_compression(compression)
            .build();
        let file = File::create(path).expect("writable");
        let mut w =
            parquet::arrow::ArrowWriter::try_new(file, schema, Some(props)).expect("a writer");
        w.write(&batch).expect("written");
        w.close().expect("closed");
    }

    #[test]
    fn parquet_rows_stream_in_batches_with_named_columns_and_snappy() {
        let dir = scratch_dir();
        let path = dir.path().join("c.parquet");
        parquet_corpus(&path, parquet::basic::Compression::SNAPPY);
        let columns = CorpusColumns {
            text: "content".into(),
            id: "doc_id".into(),
            ..CorpusColumns::default()
        };
        let (records, digest) = read_all(&path, &columns, 1 << 20);
        assert_eq!(records.len(), PARQUET_BATCH_ROWS + 3);
        let err = records[5].as_ref().expect_err("a null text");
        assert!(
            err.to_string().contains("at row 6") && err.to_string().contains("is null"),
            "{err}"
        );
        let last = records[PARQUET_BATCH_ROWS + 2]
            .as_ref()
            .expect("the last row");
        assert_eq!(last.position, PARQUET_BATCH_ROWS as u64 + 3);
        assert_eq!(
            last.id.as_deref(),
            Some(&*(PARQUET_BATCH_ROWS + 2).to_string())
        );
        let first = records[0].as_ref().expect("row 1");
        assert_eq!(first.published.as_deref(), Some("2023-04-02"));
        assert_eq!(
            digest.sha256,
            crate::sha256_hex(&std::fs::read(&path).expect("readable"))
        );

        let err = CorpusReader::open(
            "news",
            &path,
            CorpusFormat::Parquet,
            &CorpusColumns::default(),
            100,
        )
        .expect_err("no column `text`");
        assert!(
            err.to_string()
                .contains("no text column \"text\" (columns: doc_id, content, published)"),
            "{err}"
        );
        let (_bad_dir, bad) = scratch("bad.parquet", b"PAR1 not really");
        let err = CorpusReader::open(
            "news",
            &bad,
            CorpusFormat::Parquet,
            &CorpusColumns::default(),
            100,
        )
        .expect_err("not Parquet");
        assert!(
            err.to_string().contains("not a readable Parquet file"),
            "{err}"
        );
    }

    /// Crawls store pages or article markup as a document's text: read as an HTML source is,
    /// one line per block, without the markup's numbers (sizes, dates in image paths).
    #[test]
    fn html_documents_are_read_as_pages_are() {
        let page = "<div class=\"article\"><h1>GRDP tăng 9,02%</h1><p style=\"font-size:14px\">Tỷ lệ hộ nghèo còn 19,3%.</p>\
                    <img src=\"https://img.example.vn/2023/04/01/a-1200x800.jpg\" width=\"1200\"><p>Theo dõi Báo Lào Cai trên Google News</p></div>";
        let lines = [
            serde_json::json!({ "id": "html", "text": page }),
            serde_json::json!({ "id": "less", "text": "<5% hộ còn nghèo." }),
            serde_json::json!({ "id": "doctype", "text": "\n <!DOCTYPE html><html><body><p>Tăng 7,35%.</p></body></html>" }),
        ]
        .map(|l| l.to_string() + "\n")
        .concat();
        let (_dir, path) = scratch("html.jsonl", lines.as_bytes());
        let docs = |html: Option<bool>| -> Vec<String> {
            let columns = CorpusColumns {
                html,
                ..CorpusColumns::default()
            };
            let origin = path.display().to_string();
            read_all(&path, &columns, 1 << 20)
                .0
                .into_iter()
                .map(|r| {
                    let r = r.expect("a good line");
                    r.into_document(&spec(&path), &origin, CorpusFormat::JsonLines)
                        .expect("a document")
                        .0
                        .text
                })
                .collect()
        };
        assert_eq!(
            docs(None),
            [
                // (The last line is page furniture that segmentation drops, as for any text.)
                "GRDP tăng 9,02%\nTỷ lệ hộ nghèo còn 19,3%.\nTheo dõi Báo Lào Cai trên Google News\n",
                "<5% hộ còn nghèo.",
                "Tăng 7,35%.\n"
            ],
            "HTML found by its first tag"
        );
        assert!(
            docs(Some(false))[0].starts_with("<div class="),
            "markup kept as text"
        );
        assert_eq!(docs(Some(true))[1], "<5% hộ còn nghèo.\n", "read as HTML");
    }

    #[test]
    fn published_dates_are_read_iso_or_day_first() {
        for (text, want) in [
            ("2023", "2023"),
            ("2023-04", "2023-04"),
            ("2023-04-02", "2023-04-02"),
            ("2023-04-02T08:15:00+07:00", "2023-04-02"),
            ("2023-04-02 08:15", "2023-04-02"),
            // Day first, as Vietnamese pages write dates.
            ("02/04/2023", "2023-04-02"),
            ("2/4/2023", "2023-04-02"),
            (" 02/04/2023 08:15 ", "2023-04-02"),
            ("02/04/2023, 08:15 (GMT+7)", "2023-04-02"),
            ("02-04-2023", "2023-04-02"),
            ("31.12.2022", "2022-12-31"),
        ] {
            let date = parse_published(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
            assert_eq!(date.to_string(), want, "{text:?}");
        }
        for (text, reason) in [
            ("31/02/2023", "no such day (read day first: DD/MM/YYYY)"),
            ("02/13/2023", "no such day (read day first: DD/MM/YYYY)"),
            (
                "1680307200",
                "expected YYYY, YYYY-MM, YYYY-MM-DD or DD/MM/YYYY",
            ),
            (
                "02/04/23",
                "expected YYYY, YYYY-MM, YYYY-MM-DD or DD/MM/YYYY",
            ),
            (
                "Thứ Hai, 03/04/2023",
                "expected YYYY, YYYY-MM, YYYY-MM-DD or DD/MM/YYYY",
            ),
            (
                "2023/04/02",
                "expected YYYY, YYYY-MM, YYYY-MM-DD or DD/MM/YYYY",
            ),
        ] {
            let err = parse_published(text).expect_err(text).to_string();
            assert!(
                err.contains(reason) && err.contains(text.trim()),
                "{text:?}: {err}"
            );
        }
    }

    /// pandas writes a timezone-aware `published` as a timestamp in a named zone: the date is
    /// the local one (05:00 on 1 January in Hanoi is still 31 December in UTC).
    #[test]
    fn parquet_timestamps_in_a_named_zone_give_their_local_date() {
        use arrow::array::{StringArray, TimestampMicrosecondArray};
        use arrow::datatypes::{Field, Schema, TimeUnit};
        let dir = scratch_dir();
        let path = dir.path().join("tz.parquet");
        let zones: [Option<&str>; 4] =
            [Some("Asia/Ho_Chi_Minh"), Some("+07:00"), Some("UTC"), None];
        // 2022-12-31T22:00:00Z, in microseconds.
        let instant = 1_672_524_000_000_000i64;
        let mut fields = vec![Field::new("text", DataType::Utf8, false)];
        let mut arrays: Vec<Arc<dyn Array>> =
            vec![Arc::new(StringArray::from(vec!["Tăng 7,35%."]))];
        for (k, zone) in zones.iter().enumerate() {
            let unit = DataType::Timestamp(TimeUnit::Microsecond, zone.map(Into::into));
            fields.push(Field::new(format!("p{k}"), unit, false));
            let column = TimestampMicrosecondArray::from(vec![instant]);
            arrays.push(Arc::new(match zone {
                Some(z) => column.with_timezone(*z),
                None => column,
            }));
        }
        let schema = Arc::new(Schema::new(fields));
        let batch = RecordBatch::try_new(schema.clone(), arrays).expect("a batch");
        let file = File::create(&path).expect("writable");
        let mut w = parquet::arrow::ArrowWriter::try_new(file, schema, None).expect("a writer");
        w.write(&batch).expect("written");
        w.close().expect("closed");
        for (k, want) in ["2023-01-01", "2023-01-01", "2022-12-31", "2022-12-31"]
            .iter()
            .enumerate()
        {
            let columns = CorpusColumns {
                published: format!("p{k}"),
                ..CorpusColumns::default()
            };
            let (records, _) = read_all(&path, &columns, 1 << 20);
            let record = records[0].as_ref().expect("the row reads");
            let published = record.published.as_deref().expect("a date");
            assert_eq!(
                parse_published(published).expect("a date").to_string(),
                *want,
                "{:?}",
                zones[k]
            );
        }
    }

    #[test]
    fn texts_are_normalised_as_decode_normalises_files() {
        for text in [
            "Ta\u{306}ng tru\u{31b}o\u{309}ng 7,35%\r\nhết\r",
            "Tăng trưởng\n",
            "plain",
            "",
        ] {
            let expected = crate::decode(text.as_bytes()).expect("decodes").text;
            assert_eq!(
                normalize(text.to_owned()).expect("normalises"),
                expected,
                "{text:?}"
            );
        }
        assert!(matches!(
            normalize("a\0b".to_owned()),
            Err(crate::DecodeError::Binary { offset: 1 })
        ));
    }

    /// `bytes` as one gzip member and as one zstd frame.
    fn gzip_and_zstd(bytes: &[u8]) -> (Vec<u8>, Vec<u8>) {
        use std::io::Write as _;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(bytes).expect("in memory");
        let gz = gz.finish().expect("in memory");
        (gz, zstd::encode_all(bytes, 3).expect("in memory"))
    }

    /// Numbered JSON lines of Vietnamese text.
    fn numbered_lines(n: usize) -> String {
        (1..=n)
            .map(|i| format!("{{\"id\":{i},\"text\":\"Tỷ lệ hộ nghèo của xã {i} còn {i},3%.\"}}\n"))
            .collect()
    }

    /// A gzip corpus of two members (as `cat a.gz b.gz` makes) and a zstd corpus of two frames,
    /// cut in the middle of a line: the records of the plain file, and the digest of the file as
    /// stored, also when the caller stops reading early.
    #[test]
    fn compressed_json_lines_read_as_the_plain_file_and_hash_as_stored() {
        let lines = numbered_lines(300);
        let (head, tail) = lines.as_bytes().split_at(lines.len() / 2 + 7);
        let ((gz_head, zst_head), (gz_tail, zst_tail)) = (gzip_and_zstd(head), gzip_and_zstd(tail));
        let dir = scratch_dir();
        let plain_path = dir.path().join("c.jsonl");
        std::fs::write(&plain_path, &lines).expect("writable");
        let (plain, _) = read_all(&plain_path, &CorpusColumns::default(), 1 << 20);
        assert_eq!(plain.len(), 300);
        for (name, bytes) in [
            ("c.jsonl.gz", [gz_head, gz_tail].concat()),
            ("c.NDJSON.zst", [zst_head, zst_tail].concat()),
        ] {
            let path = dir.path().join(name);
            std::fs::write(&path, &bytes).expect("writable");
            let (records, digest) = read_all(&path, &CorpusColumns::default(), 1 << 20);
            assert_eq!(records.len(), plain.len(), "{name}");
            for (got, want) in records.iter().zip(&plain) {
                let (got, want) = (got.as_ref().expect(name), want.as_ref().expect("plain"));
                assert_eq!(got, want, "{name}");
            }
            assert_eq!(digest.bytes, bytes.len() as u64, "{name}");
            assert_eq!(digest.sha256, crate::sha256_hex(&bytes), "{name}");

            let format = CorpusFormat::detect(&path).expect("a corpus extension");
            let mut reader =
                CorpusReader::open("news", &path, format, &CorpusColumns::default(), 1 << 20)
                    .expect("opened");
            assert!(reader.next().is_some_and(|r| r.is_ok()), "{name}");
            assert_eq!(
                reader.finish().expect("hashed"),
                digest,
                "{name}: stopped early"
            );
        }
    }

    /// A gzip corpus padded with zeros to a block size (as tape and archive tools leave it, and
    /// gzip(1) reads): the records of the plain file, the whole file hashed. Anything but zeros
    /// after the padding is an error naming where it is.
    #[test]
    fn zero_padding_after_the_last_gzip_member_is_read_as_gzip_reads_it() {
        let lines = numbered_lines(300);
        let (head, tail) = lines.as_bytes().split_at(lines.len() / 3);
        let ((gz_head, _), (gz_tail, _)) = (gzip_and_zstd(head), gzip_and_zstd(tail));
        let dir = scratch_dir();
        let plain_path = dir.path().join("c.jsonl");
        std::fs::write(&plain_path, &lines).expect("writable");
        let (plain, _) = read_all(&plain_path, &CorpusColumns::default(), 1 << 20);
        let plain: Vec<CorpusRecord> = plain.into_iter().map(|r| r.expect("plain")).collect();
        // Padding longer than the reader's buffer, too.
        for padding in [1, 512, 200_000] {
            let bytes = [gz_head.clone(), gz_tail.clone(), vec![0; padding]].concat();
            let path = dir.path().join("padded.jsonl.gz");
            std::fs::write(&path, &bytes).expect("writable");
            let (records, digest) = read_all(&path, &CorpusColumns::default(), 1 << 20);
            let records: Vec<CorpusRecord> =
                records.into_iter().map(|r| r.expect("padded")).collect();
            assert_eq!(records, plain, "{padding} zeros");
            assert_eq!(digest.bytes, bytes.len() as u64);
            assert_eq!(digest.sha256, crate::sha256_hex(&bytes));
        }
        let members = gz_head.len() + gz_tail.len();
        for (name, after) in [
            (
                "garbage.jsonl.gz",
                [vec![0; 100], b"more".to_vec()].concat(),
            ),
            ("member.jsonl.gz", [vec![0; 100], gz_tail.clone()].concat()),
        ] {
            let bytes = [gz_head.clone(), gz_tail.clone(), after].concat();
            let path = dir.path().join(name);
            std::fs::write(&path, &bytes).expect("writable");
            let (records, digest) = read_all(&path, &CorpusColumns::default(), 1 << 20);
            let (last, read) = records.split_last().expect("at least the error");
            let read: Vec<&CorpusRecord> = read.iter().map(|r| r.as_ref().expect(name)).collect();
            assert_eq!(read, plain.iter().collect::<Vec<_>>(), "{name}: every line");
            let error = last.as_ref().expect_err(name).to_string();
            assert!(
                error.contains(&format!(
                    "byte {} ({:#04x}) follows zero padding from byte {members}",
                    members + 100,
                    bytes[members + 100]
                )),
                "{name}: {error}"
            );
            assert_eq!(digest.sha256, crate::sha256_hex(&bytes), "{name}");
        }
    }

    /// A compressed corpus cut short, or not compressed at all: the lines before the damage
    /// read, the damage is an error of the line where reading stopped that names the
    /// compression, nothing after it is read, and the whole file is still hashed.
    #[test]
    fn a_damaged_compressed_corpus_is_an_error_of_the_line_where_reading_stopped() {
        let lines = numbered_lines(5000);
        let (gz, zst) = gzip_and_zstd(lines.as_bytes());
        let dir = scratch_dir();
        for (name, bytes, compression) in [
            ("cut.jsonl.gz", &gz[..gz.len() / 2], "gzip"),
            ("cut.jsonl.zst", &zst[..zst.len() / 2], "zstd"),
            ("plain.jsonl.gz", lines.as_bytes(), "gzip"),
            ("plain.jsonl.zst", lines.as_bytes(), "zstd"),
        ] {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).expect("writable");
            let (records, digest) = read_all(&path, &CorpusColumns::default(), 1 << 20);
            let (last, read) = records.split_last().expect("at least the error");
            assert!(
                read.iter().all(Result::is_ok),
                "{name}: only the last is an error"
            );
            assert!(read.len() < 5000, "{name}");
            let error = last.as_ref().expect_err(name).to_string();
            assert!(
                error.contains(&format!("at line {}", read.len() + 1))
                    && error.contains(&format!("decompress the {compression} file"))
                    && error.ends_with("the rest of the file is not read"),
                "{name}: {error}"
            );
            assert_eq!(digest.bytes, bytes.len() as u64, "{name}");
            assert_eq!(digest.sha256, crate::sha256_hex(bytes), "{name}");
        }
    }

    /// Parquet corpora in every codec the build reads give the same records; one in brotli is
    /// refused when it is opened, with the way out.
    #[test]
    fn parquet_corpora_read_in_every_codec_the_build_has_and_refuse_brotli() {
        use parquet::basic::{Compression, GzipLevel, ZstdLevel};
        let dir = scratch_dir();
        let columns = CorpusColumns {
            text: "content".into(),
            id: "doc_id".into(),
            ..CorpusColumns::default()
        };
        let read = |codec: Compression| {
            let path = dir
                .path()
                .join(format!("{codec:?}.parquet").replace(['(', ')'], "-"));
            parquet_corpus(&path, codec);
            let (records, _) = read_all(&path, &columns, 1 << 20);
            records
                .into_iter()
                .map(|r| r.map_err(|e| e.to_string()))
                .collect::<Vec<_>>()
        };
        let snappy = read(Compression::SNAPPY);
        assert_eq!(snappy.len(), PARQUET_BATCH_ROWS + 3);
        for codec in [
            Compression::UNCOMPRESSED,
            Compression::GZIP(GzipLevel::default()),
            Compression::LZ4,
            Compression::LZ4_RAW,
            Compression::ZSTD(ZstdLevel::default()),
        ] {
            let records = read(codec);
            assert_eq!(records.len(), snappy.len(), "{codec:?}");
            for (got, want) in records.iter().zip(&snappy) {
                match (got, want) {
                    (Ok(got), Ok(want)) => assert_eq!(got, want, "{codec:?}"),
                    (Err(_), Err(_)) => {}
                    _ => panic!("{codec:?}: {got:?} against {want:?}"),
                }
            }
        }

        let brotli =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus/brotli.parquet");
        let err = CorpusReader::open(
            "news",
            &brotli,
            CorpusFormat::Parquet,
            &CorpusColumns::default(),
            1 << 20,
        )
        .expect_err("brotli is refused")
        .to_string();
        assert!(
            err.contains("is compressed with brotli, which chiso does not read")
                && err.contains("zstd, snappy, gzip or lz4"),
            "{err}"
        );
    }

    /// An empty compressed file holds no documents, as an empty `.jsonl` does.
    #[test]
    fn an_empty_compressed_corpus_has_no_documents() {
        for name in ["empty.jsonl.gz", "empty.jsonl.zst"] {
            let (_dir, path) = scratch(name, b"");
            let (records, digest) = read_all(&path, &CorpusColumns::default(), 1 << 20);
            assert!(records.is_empty(), "{name}: {records:?}");
            assert_eq!(digest.bytes, 0, "{name}");
            assert_eq!(digest.sha256, crate::sha256_hex(b""), "{name}");
        }
    }

    #[test]
    fn formats_are_detected_by_extension() {
        for (path, format) in [
            ("a/b.jsonl.gz", Some(CorpusFormat::JsonLinesGzip)),
            ("B.NDJSON.GZ", Some(CorpusFormat::JsonLinesGzip)),
            ("part-0001.jsonl.zst", Some(CorpusFormat::JsonLinesZstd)),
            ("b.ndjson.zst", Some(CorpusFormat::JsonLinesZstd)),
            ("b.gz", None),
            (".jsonl.gz", None),
            ("b.txt.gz", None),
            ("b.parquet.gz", None),
            ("b.jsonl.bz2", None),
        ] {
            assert_eq!(CorpusFormat::detect(Path::new(path)), format, "{path}");
        }
        assert_eq!(
            CorpusFormat::detect(Path::new("a/b.JSONL")),
            Some(CorpusFormat::JsonLines)
        );
        assert_eq!(
            CorpusFormat::detect(Path::new("b.ndjson")),
            Some(CorpusFormat::JsonLines)
        );
        assert_eq!(
            CorpusFormat::detect(Path::new("b.parquet")),
            Some(CorpusFormat::Parquet)
        );
        assert_eq!(CorpusFormat::detect(Path::new("b.json")), None);
        assert_eq!(CorpusFormat::detect(Path::new("b.txt")), None);
    }

    #[test]
    fn corpus_urls_are_detected_by_the_extension_of_their_path() {
        for (url, format) in [
            (
                "https://data.example.vn/news.jsonl",
                Some(CorpusFormat::JsonLines),
            ),
            (
                "https://data.example.vn/x/news.JSONL.GZ?download=1",
                Some(CorpusFormat::JsonLinesGzip),
            ),
            (
                "http://127.0.0.1:8080/a.ndjson.zst#top",
                Some(CorpusFormat::JsonLinesZstd),
            ),
            (
                "HTTPS://hf.example/d/resolve/main/train.parquet",
                Some(CorpusFormat::Parquet),
            ),
            // Not a corpus: a page, a query that names a file, the host alone, other schemes.
            ("https://baolaocai.vn/bai-viet.html", None),
            ("https://example.vn/get?file=news.jsonl", None),
            ("https://news.jsonl", None),
            ("https://example.vn/news.jsonl/", None),
            ("ftp://example.vn/news.jsonl", None),
            ("news.jsonl", None),
        ] {
            assert_eq!(CorpusFormat::detect_url(url), format, "{url}");
        }
    }
}
