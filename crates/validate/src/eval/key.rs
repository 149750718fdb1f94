//! Group keys of the comparing rules (`unique`'s key columns, `sum`'s `group_by`): the values
//! of some columns of a row, encoded by type into bytes, so that two rows have the same key
//! exactly when polars would group them together.

use std::io;

use polars::prelude::*;

use super::spill::{Decoder, Encoder, Record};

/// A key: the values of the key columns, encoded (see [`encode_value`]).
#[derive(Clone, PartialEq, Eq, Hash)]
pub(crate) struct Key(Vec<u8>);

/// The key of every row of `frame` from its columns `key0`, `key1`, … (`columns` of them; no
/// column gives every row the empty key: one group).
pub(crate) fn keys_of(frame: &DataFrame, columns: usize) -> PolarsResult<Vec<Key>> {
    let values = (0..columns)
        .map(|i| frame.column(&format!("key{i}")))
        .collect::<PolarsResult<Vec<_>>>()?;
    (0..frame.height())
        .map(|i| {
            let mut key = Vec::new();
            for column in &values {
                encode_value(&column.get(i)?, &mut key);
            }
            Ok(Key(key))
        })
        .collect()
}

/// `columns` renamed `key0`, `key1`, … for [`keys_of`].
pub(crate) fn key_columns(columns: &[String]) -> Vec<Expr> {
    columns
        .iter()
        .enumerate()
        .map(|(i, c)| col(c.as_str()).alias(format!("key{i}")))
        .collect()
}

/// Appends one value of a key column to `key`: a tag for its type, then the value, so that
/// values are equal exactly when their encodings are (as polars groups them: `-0.0` is `0.0`
/// and every NaN is one value).
fn encode_value(value: &AnyValue<'_>, key: &mut Vec<u8>) {
    let mut e = Encoder(key);
    match value {
        AnyValue::Null => e.u8(0),
        AnyValue::Boolean(b) => {
            e.u8(1);
            e.u8(u8::from(*b));
        }
        AnyValue::Float32(_) | AnyValue::Float64(_) => {
            let v = value.extract::<f64>().unwrap_or(f64::NAN);
            let v = if v == 0.0 {
                0.0
            } else if v.is_nan() {
                f64::NAN
            } else {
                v
            };
            e.u8(2);
            e.f64(v);
        }
        AnyValue::Int8(_)
        | AnyValue::Int16(_)
        | AnyValue::Int32(_)
        | AnyValue::Int64(_)
        | AnyValue::UInt8(_)
        | AnyValue::UInt16(_)
        | AnyValue::UInt32(_) => {
            e.u8(3);
            e.u64(value.extract::<i64>().unwrap_or_default() as u64);
        }
        AnyValue::UInt64(v) => {
            e.u8(4);
            e.u64(*v);
        }
        other => match other.get_str() {
            Some(s) => {
                e.u8(6);
                e.str(s);
            }
            // No other type is in the frames; its debug form tells values apart.
            None => {
                e.u8(7);
                e.str(&format!("{other:?}"));
            }
        },
    }
}

impl Record for Key {
    fn encode(&self, e: &mut Encoder<'_>) {
        e.u64(self.0.len() as u64);
        e.0.extend_from_slice(&self.0);
    }

    fn decode(d: &mut Decoder<'_>) -> io::Result<Key> {
        let len = usize::try_from(d.u64()?)
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "spilled key: bad length"))?;
        Ok(Key(d.bytes(len)?.to_vec()))
    }
}
