//! End-to-end tests: the `chiso` binary on the pipelines under `pipelines/`.

mod util;

mod bad_inputs;
mod cli;
mod corpus;
mod dataset;
mod inspect;
mod lao_cai;
mod tables;
