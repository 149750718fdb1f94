//! chiso's transform stage: from a [`Document`](chiso_model::Document)'s NFC text to typed
//! numeric [`Mention`](chiso_model::Mention)s and tidy
//! [`IndicatorRecord`](chiso_model::IndicatorRecord)s.
#![warn(missing_docs)]

pub mod gazetteer;
pub mod numbers;
