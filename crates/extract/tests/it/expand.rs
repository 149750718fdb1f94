//! Globs and directories: one source per file, sorted, with stable ids; errors name the pattern.

use chiso_extract::{Error, Location, SourceSpec, expand_source, expand_sources};

/// A small corpus in a fresh directory, removed when the guard is dropped.
fn corpus(name: &str) -> tempfile::TempDir {
    let dir = crate::support::scratch(&format!("expand-{name}"));
    for (path, text) in [
        ("2023/bài-2.html", "<p>b</p>"),
        ("2023/a.html", "<p>a</p>"),
        ("2022/x.html", "<p>x</p>"),
        ("2022/ghi-chú.txt", "y"),
        (".git/HEAD", "z"),
    ] {
        let file = dir.path().join(path);
        std::fs::create_dir_all(file.parent().expect("a parent")).expect("writable");
        std::fs::write(file, text).expect("writable");
    }
    dir
}

fn spec(id: &str, path: std::path::PathBuf) -> SourceSpec {
    SourceSpec {
        id: id.into(),
        location: Location::Path(path),
        published: None,
        geo: Some("VN-02".into()),
        format: None,
    }
}

#[test]
fn globs_and_directories_give_one_sorted_source_per_file() {
    let tmp = corpus("sorted");
    let dir = tmp.path();
    let got = expand_source(&spec("bao", dir.join("**/*.html"))).expect("three pages");
    let ids: Vec<&str> = got.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "bao--2022--x.html",
            "bao--2023--a.html",
            "bao--2023--bai-2.html"
        ]
    );
    assert!(
        got.iter().all(|s| s.geo.as_deref() == Some("VN-02")),
        "the rest of the spec is kept"
    );
    assert_eq!(got[0].location, Location::Path(dir.join("2022/x.html")));

    let all = expand_source(&spec("kho", dir.to_path_buf())).expect("a directory");
    let ids: Vec<&str> = all.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "kho--2022--ghi-chu.txt",
            "kho--2022--x.html",
            "kho--2023--a.html",
            "kho--2023--bai-2.html"
        ],
        "hidden files left out"
    );

    let plain = spec("one", dir.join("2022/x.html"));
    assert_eq!(
        expand_sources(std::slice::from_ref(&plain)).expect("a file"),
        [plain]
    );
}

#[test]
fn a_pattern_that_matches_nothing_is_an_error() {
    let tmp = corpus("nothing");
    let dir = tmp.path();
    let e = expand_source(&spec("bao", dir.join("**/*.pdf"))).expect_err("no pdf");
    assert!(matches!(e, Error::Expand { .. }));
    assert!(
        e.to_string().contains("no file matches") && e.to_string().contains("bao"),
        "{e}"
    );
    let e = expand_source(&spec("bao", dir.join("[.html"))).expect_err("bad pattern");
    assert!(e.to_string().contains("bad pattern"), "{e}");
}
