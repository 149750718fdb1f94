//! Helpers: run the binary, read Parquet files back as rows of strings.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use arrow::util::display::{ArrayFormatter, FormatOptions};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root exists: this file is in it")
}

/// Runs `chiso` with `args` from the workspace root.
pub fn chiso(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chiso"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the chiso binary built by cargo test runs")
}

/// `chiso -q run PIPELINE --out OUT EXTRA…`, asserting the exit code `code`.
pub fn run_pipeline(pipeline: &Path, out: &Path, extra: &[&str], code: i32) -> Output {
    run_with(&["-q"], pipeline, out, extra, code)
}

/// [`run_pipeline`] with its warnings and progress logged on stderr (no `-q`).
pub fn run_pipeline_logged(pipeline: &Path, out: &Path, extra: &[&str], code: i32) -> Output {
    run_with(&[], pipeline, out, extra, code)
}

fn run_with(before: &[&str], pipeline: &Path, out: &Path, extra: &[&str], code: i32) -> Output {
    let mut args = before.to_vec();
    args.extend([
        "run",
        pipeline.to_str().expect("utf-8 path"),
        "--out",
        out.to_str().expect("utf-8 path"),
    ]);
    args.extend(extra);
    let o = chiso(&args);
    assert_eq!(
        o.status.code(),
        Some(code),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// A fresh temporary directory under target/, removed and recreated.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = root().join("target/e2e-tmp").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("target/ is writable");
    dir
}

/// Lower-case hex SHA-256 of `bytes`, as run.json and the Parquet footers give it.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    chiso_model::hex::lower_hex(&sha2::Sha256::digest(bytes))
}

/// One row: column name to its value formatted as text ("" for null).
pub type Row = BTreeMap<String, String>;

/// Every row of a Parquet file, values formatted by Arrow's display (nulls as "").
pub fn read_rows(path: &Path) -> Vec<Row> {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("open {}: {e}", path.display()));
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .expect("valid parquet")
        .build()
        .expect("reader");
    let mut rows = Vec::new();
    let opts = FormatOptions::default();
    for batch in reader {
        let batch = batch.expect("batch reads");
        let schema = batch.schema();
        let formatters: Vec<_> = batch
            .columns()
            .iter()
            .map(|c| ArrayFormatter::try_new(c.as_ref(), &opts).expect("formattable"))
            .collect();
        for i in 0..batch.num_rows() {
            let mut row = Row::new();
            for (f, field) in formatters.iter().zip(schema.fields()) {
                let col = batch.column(schema.index_of(field.name()).expect("own field"));
                let v = if col.is_null(i) {
                    String::new()
                } else {
                    f.value(i).to_string()
                };
                row.insert(field.name().clone(), v);
            }
            rows.push(row);
        }
    }
    rows
}

/// Key-value metadata of a Parquet file.
pub fn kv_metadata(path: &Path) -> BTreeMap<String, String> {
    let file = std::fs::File::open(path).expect("file exists");
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).expect("valid parquet");
    builder
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .map(|kv| {
            kv.iter()
                .map(|k| (k.key.clone(), k.value.clone().unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default()
}

/// Copies the lao-cai pipeline into `dir` so a test may change it.
pub fn copy_lao_cai(dir: &Path) -> PathBuf {
    let src = root().join("pipelines/lao-cai");
    std::fs::create_dir_all(dir.join("sources")).expect("writable");
    for f in [
        "pipeline.toml",
        "rules.toml",
        "sources/lao-cai-interview.txt",
    ] {
        std::fs::copy(src.join(f), dir.join(f)).unwrap_or_else(|e| panic!("copy {f}: {e}"));
    }
    dir.join("pipeline.toml")
}

/// `n` small articles in `dir` (created), `000.txt`, `001.txt`, …: one poverty rate each.
pub fn write_poverty_files(dir: &Path, n: usize) {
    std::fs::create_dir_all(dir).expect("target/ is writable");
    for i in 0..n {
        let text = format!("Tỷ lệ hộ nghèo của mẫu {i} còn {},5%.\n", i % 40);
        std::fs::write(dir.join(format!("{i:03}.txt")), text).expect("target/ is writable");
    }
}
