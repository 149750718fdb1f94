//! chiso's transform stage: from a [`Document`](chiso_model::Document)'s NFC text to typed
//! numeric [`Mention`](chiso_model::Mention)s and tidy
//! [`IndicatorRecord`](chiso_model::IndicatorRecord)s.
//!
//! - [`numbers`]: the Vietnamese number grammar: every numeric expression, typed, with offsets.
//! - [`segment`]: sentences, page furniture, repeated passages counted once.
//! - [`catalogue`] and [`gazetteer`]: the indicators and places chiso knows (data files).
//! - [`link`]: numbers to indicator statements (indicator, place, period, measure, kind).
//!
//! ```
//! use chiso_model::{Document, PartialDate, SourceMeta};
//! use chiso_transform::link::Linker;
//!
//! let doc = Document {
//!     source_id: "demo".into(),
//!     text: "Năm 2022, tỷ lệ hộ nghèo của tỉnh Lào Cai còn 19,3%.".into(),
//!     meta: SourceMeta { published: Some(PartialDate::Year(2023)), ..SourceMeta::default() },
//! };
//! let out = Linker::builtin().transform(&doc);
//! let row = &out.records[0];
//! assert_eq!((row.indicator.as_str(), row.geo_code.as_deref(), row.value_low), ("poverty_rate", Some("VN-02"), 19.3));
//! assert_eq!(row.period.unwrap().label(), "2022");
//! ```
#![warn(missing_docs)]

pub mod catalogue;
pub mod gazetteer;
pub mod golden;
pub mod lexicon;
pub mod link;
pub mod numbers;
pub mod segment;
pub mod tables;
