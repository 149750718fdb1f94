//! Writes the three output files and datapackage.json from the test fixtures into a directory,
//! for checking them with other readers:
//!
//! ```sh
//! cargo run -p chiso-load --example write_sample -- /tmp/sample
//! python3 tests/python/check_outputs.py /tmp/sample
//! ```
#![allow(clippy::panic, clippy::unwrap_used)] // test and bench code: a failed expectation panics by design

#[allow(dead_code)]
#[path = "../tests/it/support.rs"]
mod support;

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or("usage: write_sample OUTPUT_DIR")?,
    );
    std::fs::create_dir_all(&dir)?;
    let meta = support::meta();
    chiso_load::write_indicators(
        &dir.join("indicators.parquet"),
        &support::indicator_rows(),
        &meta,
    )?;
    chiso_load::write_mentions(
        &dir.join("mentions.parquet"),
        &support::mention_rows(),
        &meta,
    )?;
    chiso_load::write_validation(
        &dir.join("validation.parquet"),
        &support::rule_results(),
        &meta,
    )?;
    chiso_load::write_json_atomic(&dir.join("datapackage.json"), &chiso_load::datapackage())?;
    println!("wrote {}", dir.display());
    Ok(())
}
