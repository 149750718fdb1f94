//! What the integration tests share.

/// A fresh directory named after `name`, removed when the guard is dropped.
pub fn scratch(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("chiso-extract-{name}-"))
        .tempdir()
        .expect("the system temp dir is writable")
}
