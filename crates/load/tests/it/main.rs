//! Integration tests of chiso-load: round trips, metadata, determinism, the data dictionary.

mod dictionary;
mod roundtrip;
mod support;
