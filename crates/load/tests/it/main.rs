//! Integration tests of chiso-load: round trips, metadata, determinism, the data dictionary.

mod dataset;
mod dictionary;
mod read;
mod roundtrip;
mod support;
