//! End-to-end tests: the `chiso` binary on the pipelines under `pipelines/`.

mod util;

mod cli;
mod lao_cai;
