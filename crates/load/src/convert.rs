//! Checked conversions from the data model's integer types to the schema's column types.

use crate::{Error, Result};

/// A `u32` as an Arrow `int32`.
pub(crate) fn int32(table: &'static str, column: &'static str, value: u32) -> Result<i32> {
    i32::try_from(value).map_err(|_| Error::OutOfRange {
        table,
        column,
        value: value.to_string(),
        target: "int32",
    })
}

/// A `usize` (an offset or an index) as an Arrow `int64`.
pub(crate) fn int64(table: &'static str, column: &'static str, value: usize) -> Result<i64> {
    i64::try_from(value).map_err(|_| Error::OutOfRange {
        table,
        column,
        value: value.to_string(),
        target: "int64",
    })
}

/// A `usize` index as an Arrow `int32`.
pub(crate) fn index32(table: &'static str, column: &'static str, value: usize) -> Result<i32> {
    i32::try_from(value).map_err(|_| Error::OutOfRange {
        table,
        column,
        value: value.to_string(),
        target: "int32",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_large_values_are_errors_naming_the_column() {
        assert_eq!(int32("indicators", "rank_total", 63).ok(), Some(63));
        let err = int32("indicators", "rank_total", u32::MAX)
            .expect_err("the case under test must fail")
            .to_string();
        assert!(
            err.contains("indicators.rank_total") && err.contains("int32"),
            "{err}"
        );
        assert!(index32("mentions", "mention_index", usize::MAX).is_err());
        assert_eq!(int64("mentions", "char_start", 7).ok(), Some(7));
    }
}
