//! Table files on arbitrary bytes: the first byte picks the format (CSV, TSV, XLS, XLSX), the
//! rest is the file, read through `extract_all` as a pipeline would. Never panics; a failure is
//! an error naming the source.
#![no_main]

use chiso_extract::{ExtractOptions, Format, Location, SourceSpec, extract_all};
use libfuzzer_sys::fuzz_target;

/// A panic inside calamine is caught by chiso-extract and becomes a failed source; libFuzzer's
/// hook would abort on it, so this hook lets those unwind to chiso's `catch_unwind` and aborts on
/// every other panic.
fn install_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            if !info
                .location()
                .is_some_and(|l| l.file().contains("calamine"))
            {
                eprintln!("{info}");
                std::process::abort();
            }
        }));
    });
}

fuzz_target!(|data: &[u8]| {
    install_hook();
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let (format, ext) = match pick % 4 {
        0 => (Format::Csv, "csv"),
        1 => (Format::Tsv, "tsv"),
        2 => (Format::Xls, "xls"),
        _ => (Format::Xlsx, "xlsx"),
    };
    let dir = std::env::temp_dir().join(format!("chiso-fuzz-tables-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(format!("input.{ext}"));
    if std::fs::write(&path, body).is_err() {
        return;
    }
    let spec = SourceSpec {
        id: "fuzz".into(),
        location: Location::Path(path),
        published: None,
        geo: None,
        format: Some(format),
    };
    let opts = ExtractOptions {
        max_unpacked_bytes: 16 << 20,
        ..ExtractOptions::default()
    };
    for result in extract_all(&[spec], &opts) {
        if let Err(e) = result {
            assert!(
                e.to_string().contains("fuzz"),
                "the error names the source: {e}"
            );
        }
    }
});
