//! Integration tests of chiso-load: round trips, metadata, determinism, the data dictionary.
#![allow(clippy::panic, clippy::unwrap_used)] // test and bench code: a failed expectation panics by design

mod dataset;
mod dictionary;
mod read;
mod roundtrip;
mod support;
