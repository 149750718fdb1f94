#![allow(clippy::panic, clippy::unwrap_used)] // test and bench code: a failed expectation panics by design
mod catalogue;
mod gazetteer;
mod golden;
mod link;
mod numbers;
