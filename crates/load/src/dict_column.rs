//! Dictionary-encoded string columns built row by row.
//!
//! [`DictColumn`] is for the columns that repeat a few values (source ids, kinds, units,
//! periods, indicators). It gives the same array as arrow's `StringDictionaryBuilder<Int32Type>`
//! (keys in order of first appearance, the same nulls) but compares each value with the
//! previous row's first, so a run of one value (every mention of a document has its source id)
//! costs a comparison instead of a hash.
//!
//! [`RunColumn`] is for long strings that repeat in runs: the sentence of each of a sentence's
//! mentions, the quote of each statement read from one sentence. It stores a value once per run
//! (no hashing), so a record batch holds each sentence once instead of once per number in it.
//! The files still store these columns as plain strings: the Parquet writer takes a dictionary
//! array for a string field and writes the same bytes as for the strings themselves.

use std::collections::HashMap;

use arrow::array::{ArrayBuilder, DictionaryArray, Int32Builder, StringBuilder};
use arrow::datatypes::Int32Type;

use crate::convert::index32;
use crate::{Error, Result};
use chiso_model::fast_hash::FastHash;

/// Up to this many distinct values, a value's key is found by comparing it with each.
const SCAN_VALUES: usize = 16;

/// See the module documentation.
#[derive(Debug, Default)]
pub(crate) struct DictColumn {
    table: &'static str,
    column: &'static str,
    keys: Int32Builder,
    values: StringBuilder,
    /// Key of each value, built once there are more than [`SCAN_VALUES`] (fewer are scanned).
    index: HashMap<String, i32, FastHash>,
    /// The key of the last value appended, if any.
    last: Option<i32>,
}

impl DictColumn {
    /// An empty column of `table.column` (named in errors), with room for the keys of `rows`
    /// rows.
    pub(crate) fn new(table: &'static str, column: &'static str, rows: usize) -> DictColumn {
        DictColumn {
            table,
            column,
            keys: Int32Builder::with_capacity(rows),
            ..DictColumn::default()
        }
    }

    /// The value of `key`.
    fn value(&self, key: i32) -> &[u8] {
        let offsets = self.values.offsets_slice();
        let k = key as usize;
        &self.values.values_slice()[offsets[k] as usize..offsets[k + 1] as usize]
    }

    /// Number of distinct values.
    fn len(&self) -> usize {
        self.values.len()
    }

    /// The key of `v`, if it was appended before.
    fn key_of(&self, v: &str) -> Option<i32> {
        if self.len() <= SCAN_VALUES {
            (0..self.len() as i32).find(|&k| self.value(k) == v.as_bytes())
        } else {
            self.index.get(v).copied()
        }
    }

    /// Appends a value.
    pub(crate) fn append(&mut self, v: &str) -> Result<()> {
        let key = match self.last {
            Some(k) if self.value(k) == v.as_bytes() => k,
            _ => match self.key_of(v) {
                Some(k) => k,
                None => {
                    let k = index32(self.table, self.column, self.len())?;
                    self.values.append_value(v);
                    if self.len() > SCAN_VALUES {
                        if self.index.is_empty() {
                            for old in 0..k {
                                let text = String::from_utf8_lossy(self.value(old)).into_owned();
                                self.index.insert(text, old);
                            }
                        }
                        self.index.insert(v.to_owned(), k);
                    }
                    k
                }
            },
        };
        self.keys.append_value(key);
        self.last = Some(key);
        Ok(())
    }

    /// Appends a value or a null.
    pub(crate) fn append_option(&mut self, v: Option<&str>) -> Result<()> {
        match v {
            Some(v) => self.append(v),
            None => {
                self.keys.append_null();
                Ok(())
            }
        }
    }

    /// The column's array.
    pub(crate) fn finish(mut self) -> Result<DictionaryArray<Int32Type>> {
        dictionary_array(self.table, &mut self.keys, &mut self.values)
    }
}

/// The dictionary array of `keys` into `values`, taken from the builders.
fn dictionary_array(
    table: &'static str,
    keys: &mut Int32Builder,
    values: &mut StringBuilder,
) -> Result<DictionaryArray<Int32Type>> {
    let values = std::sync::Arc::new(values.finish());
    DictionaryArray::try_new(keys.finish(), values).map_err(|source| Error::Arrow { table, source })
}

/// Bytes of the values a [`RunColumn`] keeps of `rows`, each a run key and its value's bytes:
/// each run's once. The key is the value itself, or whatever stands for it (a sentence's index),
/// so a caller need not compare long values to size a column.
pub fn run_bytes<K: PartialEq>(rows: impl Iterator<Item = (K, usize)>) -> usize {
    let mut last: Option<K> = None;
    rows.filter_map(|(key, bytes)| {
        let new_run = last.as_ref() != Some(&key);
        last = Some(key);
        new_run.then_some(bytes)
    })
    .sum()
}

/// See the module documentation.
#[derive(Debug, Default)]
pub(crate) struct RunColumn {
    table: &'static str,
    column: &'static str,
    keys: Int32Builder,
    values: StringBuilder,
}

impl RunColumn {
    /// An empty column of `table.column` (named in errors), with room for `rows` rows and
    /// `value_bytes` bytes of their values (each run's once).
    pub(crate) fn new(
        table: &'static str,
        column: &'static str,
        rows: usize,
        value_bytes: usize,
    ) -> RunColumn {
        RunColumn {
            table,
            column,
            keys: Int32Builder::with_capacity(rows),
            values: StringBuilder::with_capacity(0, value_bytes),
        }
    }

    /// Appends a value: a new one unless it repeats the previous row's.
    pub(crate) fn append(&mut self, v: &str) -> Result<()> {
        let offsets = self.values.offsets_slice();
        let repeats = offsets.len() > 1 && {
            let start = offsets[offsets.len() - 2] as usize;
            &self.values.values_slice()[start..] == v.as_bytes()
        };
        if !repeats {
            self.values.append_value(v);
        }
        let key = index32(self.table, self.column, self.values.len() - 1)?;
        self.keys.append_value(key);
        Ok(())
    }

    /// The column's array.
    pub(crate) fn finish(mut self) -> Result<DictionaryArray<Int32Type>> {
        dictionary_array(self.table, &mut self.keys, &mut self.values)
    }
}

#[cfg(test)]
mod tests {
    use arrow::array::{Array, AsArray, StringDictionaryBuilder};

    use super::*;

    #[test]
    fn gives_the_array_of_arrows_dictionary_builder() {
        let rows = [
            Some("doc-1"),
            Some("doc-1"),
            None,
            Some("doc-2"),
            Some("doc-1"),
            Some(""),
            Some(""),
            None,
            Some("doc-2"),
            Some("doc-3"),
        ];
        let many: Vec<String> = (0..40).map(|i| format!("v{}", i % 23)).collect();
        let rows = rows
            .into_iter()
            .chain(many.iter().map(|v| Some(v.as_str())));
        let mut ours = DictColumn::new("mentions", "source_id", 0);
        let mut arrows = StringDictionaryBuilder::<Int32Type>::new();
        for v in rows {
            ours.append_option(v).expect("few values fit int32 keys");
            arrows.append_option(v);
        }
        let ours = ours.finish().expect("keys index the values");
        assert_eq!(ours, arrows.finish());
        assert_eq!(ours.values().len(), 4 + 23);
    }

    #[test]
    fn a_run_column_stores_each_run_once_and_reads_back_every_row() {
        let rows = [
            "a long sentence",
            "a long sentence",
            "",
            "",
            "b",
            "a long sentence",
            "b",
        ];
        let bytes = run_bytes(rows.into_iter().map(|v| (v, v.len())));
        assert_eq!(
            bytes,
            "a long sentence".len() * 2 + 2,
            "each run's value once"
        );
        let mut column = RunColumn::new("mentions", "sentence", rows.len(), bytes);
        for v in rows {
            column.append(v).expect("few values fit int32 keys");
        }
        let array = column.finish().expect("keys index the values");
        assert_eq!(array.values().len(), 5, "one value per run");
        let values = array.values().as_string::<i32>();
        assert_eq!(
            values.values().len(),
            bytes,
            "the values are what was sized for"
        );
        let read: Vec<&str> = array
            .keys()
            .values()
            .iter()
            .map(|&k| values.value(k as usize))
            .collect();
        assert_eq!(read, rows);
        assert_eq!(array.null_count(), 0);
    }
}
