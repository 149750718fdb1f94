//! End-to-end tests: the `chiso` binary on the pipelines under `pipelines/`.
#![allow(clippy::panic, clippy::unwrap_used)] // test and bench code: a failed expectation panics by design

mod util;

mod bad_inputs;
mod cli;
mod corpus;
mod dataset;
mod duplicates;
mod inspect;
mod lao_cai;
mod tables;
