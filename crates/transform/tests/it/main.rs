#![allow(clippy::panic, clippy::unwrap_used)] // test and bench code: a failed expectation panics by design
mod numbers;
mod gazetteer;
mod catalogue;
mod golden;
mod link;
