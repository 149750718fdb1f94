//! The pipeline-file parser on arbitrary bytes, read from a file as `chiso check` and `chiso run`
//! read it: never panics; an error names the file and, when it has a position, a line and column
//! that are in the file; a pipeline that loads has safe, distinct names.
#![no_main]

use chiso_config::{Pipeline, is_safe_name};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = std::env::temp_dir().join(format!("chiso-fuzz-pipeline-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join("pipeline.toml");
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let file = path.display().to_string();
    match Pipeline::load(&path) {
        Ok(pipeline) => {
            assert!(
                is_safe_name(&pipeline.name),
                "unsafe name {:?}",
                pipeline.name
            );
            let mut ids: Vec<&str> = pipeline.sources.iter().map(|s| s.id.as_str()).collect();
            assert!(
                !ids.is_empty() && ids.iter().all(|id| is_safe_name(id)),
                "{ids:?}"
            );
            ids.sort_unstable();
            ids.dedup();
            assert_eq!(ids.len(), pipeline.sources.len(), "source ids are distinct");
            assert_eq!(pipeline.tables.len(), pipeline.sources.len());
        }
        Err(e) => {
            let msg = e.to_string();
            assert!(msg.starts_with(&file), "the error names the file: {msg}");
            if let Some((line, col)) = e.position {
                let lines = data.iter().filter(|&&b| b == b'\n').count() + 1;
                assert!(
                    line >= 1 && line <= lines && col >= 1,
                    "{line}:{col} of {lines} lines: {msg}"
                );
                assert!(
                    msg.starts_with(&format!("{file}:{line}:{col}")),
                    "the error names the line: {msg}"
                );
            }
        }
    }
});
