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

/// Writes `files` (relative paths) under a fresh directory.
fn tree(name: &str, files: &[&str]) -> tempfile::TempDir {
    let dir = crate::support::scratch(&format!("expand-{name}"));
    for path in files {
        let file = dir.path().join(path);
        std::fs::create_dir_all(file.parent().expect("a parent")).expect("writable");
        std::fs::write(file, path.as_bytes()).expect("writable");
    }
    dir
}

fn paths(specs: &[SourceSpec]) -> Vec<std::path::PathBuf> {
    specs
        .iter()
        .map(|s| match &s.location {
            Location::Path(p) => p.clone(),
            Location::Url(u) => panic!("a URL: {u}"),
        })
        .collect()
}

/// The walk reads one directory at a time, yet gives the files in the order of their whole
/// paths sorted, as collecting and sorting them did: a directory's files come before a file
/// whose name extends the directory's ("a/…" before "a.txt"), capitals before small letters.
#[test]
fn the_walk_gives_files_in_path_order() {
    let files = [
        "a.txt",
        "a/z.txt",
        "a/b/c.txt",
        "a-b.txt",
        "B.txt",
        "b/a.txt",
        "b.txt",
        "ab/x.txt",
        "a/b.txt",
        "0/9/8.txt",
        "Z/z.txt",
    ];
    let tmp = tree("order", &files);
    let mut sorted: Vec<_> = files.iter().map(|f| tmp.path().join(f)).collect();
    sorted.sort();
    let got = expand_source(&spec("kho", tmp.path().to_path_buf())).expect("a directory");
    assert_eq!(paths(&got), sorted);
    let walked: Vec<_> = chiso_extract::FileWalk::new(&spec("kho", tmp.path().join("**/*.txt")))
        .expect("a pattern")
        .expect("walked")
        .map(|s| s.expect("readable").location)
        .collect();
    assert_eq!(walked.len(), files.len());
    assert_eq!(
        paths(&got),
        paths(&expand_source(&spec("kho", tmp.path().join("**/*.txt"))).expect("a pattern"))
    );
}

/// Globs are matched component by component as `glob` matches them: `*` stays within one
/// directory, `**` spans any number of them but no hidden one, and a hidden directory is read
/// only when the pattern names it.
#[test]
fn globs_match_component_by_component() {
    let tmp = tree(
        "glob",
        &[
            "2023/01/a.html",
            "2023/b.html",
            "2022/01/c.html",
            "2022/notes/d.html",
            ".cache/2023/e.html",
            "f.html",
        ],
    );
    let ids = |pattern: &str| -> Vec<String> {
        expand_source(&spec("bao", tmp.path().join(pattern)))
            .expect("matches")
            .into_iter()
            .map(|s| s.id)
            .collect()
    };
    assert_eq!(
        ids("*/01/*.html"),
        ["bao--2022--01--c.html", "bao--2023--01--a.html"]
    );
    assert_eq!(ids("2023/*.html"), ["bao--b.html"]);
    assert_eq!(
        ids("**/*.html"),
        [
            "bao--2022--01--c.html",
            "bao--2022--notes--d.html",
            "bao--2023--01--a.html",
            "bao--2023--b.html",
            "bao--f.html"
        ]
    );
    assert_eq!(ids("20[2-3]?/**/a.html"), ["bao--2023--01--a.html"]);
    assert_eq!(ids(".cache/**/*.html"), ["bao--2023--e.html"]);
    assert_eq!(ids("2022/**"), ["bao--01--c.html", "bao--notes--d.html"]);
    assert_eq!(ids("./2023/./*.html"), ["bao--b.html"]);
    let e = expand_source(&spec("bao", tmp.path().join("*/../f.html"))).expect_err("up");
    assert!(e.to_string().contains("cannot go up"), "{e}");
}

/// Two files of one directory whose names give the same id are an error naming both, as are
/// two directories whose names give the same piece (their files' ids could clash); the same
/// name in two directories, or a file and a directory that give one piece, are not. A '-' that
/// would make "--" or begin or end a piece becomes '_', so "a--x.txt" and "a/x.txt" keep
/// apart.
#[test]
fn names_that_give_one_id_are_an_error() {
    let tmp = tree("clash", &["2023/bài 1.txt", "2023/bai_1.txt"]);
    let e = expand_source(&spec("bao", tmp.path().to_path_buf())).expect_err("one id");
    let text = e.to_string();
    assert!(
        text.contains("bài 1.txt")
            && text.contains("bai_1.txt")
            && text.contains("\"bao--2023--bai_1.txt\""),
        "{text}"
    );

    let tmp = tree("dirs", &["Đà Lạt/a.txt", "Da Lat/b.txt"]);
    let e = expand_source(&spec("bao", tmp.path().to_path_buf())).expect_err("one piece");
    let text = e.to_string();
    assert!(
        text.contains("Đà Lạt") && text.contains("Da Lat") && text.contains("\"Da_Lat\""),
        "{text}"
    );
    // Two directories with one piece are fine while only one of them holds a file (that the
    // glob matches).
    let tmp = tree(
        "one-holds",
        &["x y/1.txt", "x_y/sub/notes.md", "z/x y/2.txt"],
    );
    std::fs::create_dir_all(tmp.path().join("z/x_y")).expect("writable");
    let ids: Vec<String> = expand_source(&spec("bao", tmp.path().join("**/*.txt")))
        .expect("no clash")
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(ids, ["bao--x_y--1.txt", "bao--z--x_y--2.txt"]);
    let e = expand_source(&spec("bao", tmp.path().to_path_buf())).expect_err("both hold files");
    assert!(
        e.to_string().contains("/x y and ") && e.to_string().contains("/x_y both give \"x_y\""),
        "{e}"
    );

    let tmp = tree(
        "apart",
        &[
            "a--x.txt",
            "a/x.txt",
            "b/x.txt",
            "bài/y.txt",
            "bai",
            "-c-.txt",
            "d---e.txt",
        ],
    );
    let ids: Vec<String> = expand_source(&spec("bao", tmp.path().to_path_buf()))
        .expect("no clash")
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(
        ids,
        [
            "bao--_c-.txt",
            "bao--a--x.txt",
            "bao--a__x.txt",
            "bao--b--x.txt",
            "bao--bai",
            "bao--bai--y.txt",
            "bao--d___e.txt"
        ]
    );
}

/// A link to a directory is followed, but one that leads back to a directory holding it is an
/// error naming it (else the walk would go round until the path grew too long).
#[cfg(unix)]
#[test]
fn a_link_that_makes_a_loop_is_an_error() {
    let tmp = tree("loop", &["2023/a.txt", "shared/b.txt"]);
    std::os::unix::fs::symlink(tmp.path().join("shared"), tmp.path().join("2023/linked"))
        .expect("a link");
    let ids: Vec<String> = expand_source(&spec("bao", tmp.path().to_path_buf()))
        .expect("a link elsewhere is followed")
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(
        ids,
        [
            "bao--2023--a.txt",
            "bao--2023--linked--b.txt",
            "bao--shared--b.txt"
        ]
    );
    std::os::unix::fs::symlink(tmp.path(), tmp.path().join("shared/up")).expect("a link");
    let e = expand_source(&spec("bao", tmp.path().to_path_buf())).expect_err("a loop");
    assert!(
        e.to_string().contains("2023/linked/up leads back") && e.to_string().contains("loop"),
        "{e}"
    );
}
