//! End-to-end tests: the `chiso` binary on the pipelines under `pipelines/`.

mod util;

mod cli;
mod dataset;
mod inspect;
mod lao_cai;
mod tables;
