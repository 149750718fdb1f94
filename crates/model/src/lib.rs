//! The data model every chiso stage speaks.
//!
//! Extract produces [`Document`]s (NFC text with provenance), transform turns them into
//! [`Mention`]s (every numeric expression, typed) and [`IndicatorRecord`]s (one tidy row per
//! indicator statement), validate checks records against rules and load writes them to Parquet.
//! Stages depend on this crate, never on each other.
//!
//! ```
//! use chiso_model::{Period, Date};
//! let q1 = Period::Quarter { year: 2023, q: 1 };
//! assert_eq!(q1.label(), "2023-Q1");
//! assert_eq!(q1.end(), Date::new(2023, 3, 31).unwrap());
//! ```
#![warn(missing_docs)]

mod date;
mod document;
mod error;
pub mod fast_hash;
pub mod hex;
mod mention;
mod period;
pub mod process;
mod record;
mod source;
pub mod suggest;
mod table;
mod validation;
mod vocab;

pub use date::{Date, PartialDate};
pub use document::{Document, SourceMeta};
pub use error::{Error, Result};
pub use mention::{Mention, MentionKind, Span};
pub use period::{Period, PeriodRef};
pub use record::IndicatorRecord;
pub use source::{FetchRecord, SourceEntry, SourceKind, SourceStatus};
pub use table::{Cell, PlaceKey, Table, TableMapping, TableRow, YearLayout, column_letter};
pub use validation::{ConcernedRow, RuleResult, Severity, Status};
pub use vocab::{Base, Comparator, Kind, Measure, Unit};

/// Version of the output schema written into Parquet metadata and run.json.
pub const SCHEMA_VERSION: &str = "1.6.0";
