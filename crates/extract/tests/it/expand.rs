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

/// A tiny xorshift64 generator: the random trees are the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Names whose byte order differs from what a naive sort might expect: capitals before small
/// letters, ' ', '!', '+' and '-' before '.' and '/', names that extend one another, letters
/// with diacritics, a glob character. Some give one id piece ("a b", "a_b", "a+b"; "bài.txt",
/// "bai.txt"): the trees never put two of those beside each other as two files or two
/// directories.
const NAMES: &[&str] = &[
    "a", "a.txt", "a-b", "a_b", "a b", "a+b", "a!", "A", "B.txt", "b", "0", "z9", "ab", "a.b",
    "x.html", "x.HTML", "tin.txt", "bài.txt", "bai.txt", "đ.txt", "Z", "-a.txt", "[a]",
];

/// The names of directories: fewer, so that files meet in them; some are names of files too
/// (a directory "a" beside a file "a.txt", a directory "a.txt" beside a file "a").
const DIR_NAMES: &[&str] = &[
    "a", "a.txt", "a-b", "a b", "a_b", "A", "b", "0", "ab", "bài.txt", "[a]",
];

/// Hidden names, in a few trees only: the walk and the globs must leave them out.
const HIDDEN: &[&str] = &[".git", ".a.txt", ".x.html"];

/// A random tree as the walker sees it: its files and (possibly empty) directories, relative.
#[derive(Default)]
struct Model {
    files: std::collections::BTreeSet<std::path::PathBuf>,
    dirs: std::collections::BTreeSet<std::path::PathBuf>,
}

impl Model {
    /// Whether `path` (a file when `is_file`) may join the tree: its parent holds no other
    /// entry of its kind with the same id piece.
    fn piece_free(&self, path: &std::path::Path, is_file: bool) -> bool {
        let piece = |p: &std::path::Path| {
            chiso_extract::expanded_id("", std::path::Path::new(p.file_name().expect("a name")))
        };
        let mine = piece(path);
        let same_kind = if is_file { &self.files } else { &self.dirs };
        !same_kind
            .iter()
            .any(|p| p.parent() == path.parent() && p != path && piece(p) == mine)
    }

    /// Adds the file (or the directory, when `!is_file`) at `components` with its directories,
    /// unless it would clash with what is there (a file where a directory is, the same piece).
    fn add(&mut self, components: &[&str], is_file: bool) {
        let mut path = std::path::PathBuf::new();
        let mut new_dirs = Vec::new();
        for (k, c) in components.iter().enumerate() {
            path.push(c);
            let last = k + 1 == components.len();
            if last && is_file {
                if self.files.contains(&path)
                    || self.dirs.contains(&path)
                    || !self.piece_free(&path, true)
                {
                    return;
                }
            } else if self.files.contains(&path) || !self.piece_free(&path, false) {
                return;
            } else if !self.dirs.contains(&path) {
                new_dirs.push(path.clone());
            }
        }
        self.dirs.extend(new_dirs);
        if is_file {
            self.files.insert(path);
        }
    }

    fn random(rng: &mut Rng, with_hidden: bool) -> Model {
        let mut model = Model::default();
        let wanted = 1 + rng.below(60);
        for _ in 0..wanted * 2 {
            if model.files.len() >= wanted {
                break;
            }
            // Mostly shallow, with few directory names: files meet in directories, and the tree
            // stays quick to write and remove.
            let depth = [1, 1, 2, 2, 2, 3, 3, 4][rng.below(8)];
            let components: Vec<&str> = (0..depth)
                .map(|k| {
                    if with_hidden && rng.below(12) == 0 {
                        HIDDEN[rng.below(HIDDEN.len())]
                    } else if k + 1 < depth {
                        DIR_NAMES[rng.below(DIR_NAMES.len())]
                    } else {
                        NAMES[rng.below(NAMES.len())]
                    }
                })
                .collect();
            // Now and then an empty directory: a glob may match it, the walk must not yield it.
            let is_file = rng.below(10) != 0;
            model.add(&components, is_file);
        }
        model
    }

    /// Makes the tree at `root`, which holds `before`: what only `before` has is removed, what
    /// both have is kept (making and removing directories is what takes the time).
    fn write_over(&self, before: &Model, root: &std::path::Path) {
        for file in before.files.difference(&self.files) {
            std::fs::remove_file(root.join(file)).expect("removable");
        }
        // A directory sorts after the one that holds it: backwards, it is empty when reached.
        for dir in before.dirs.iter().rev().filter(|d| !self.dirs.contains(*d)) {
            std::fs::remove_dir(root.join(dir)).expect("removable");
        }
        for dir in self.dirs.difference(&before.dirs) {
            std::fs::create_dir_all(root.join(dir)).expect("writable");
        }
        for file in self.files.difference(&before.files) {
            std::fs::write(root.join(file), file.to_string_lossy().as_bytes()).expect("writable");
        }
    }

    /// The tree, one entry a line, for a failed assertion.
    fn describe(&self) -> String {
        let dirs = self.dirs.iter().map(|d| format!("  {}/", d.display()));
        let files = self.files.iter().map(|f| format!("  {}", f.display()));
        dirs.chain(files).collect::<Vec<_>>().join("\n")
    }
}

/// The files below `dir` as a naive recursive listing finds them, hidden entries left out, in
/// no particular order.
fn naive_listing(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable") {
        let entry = entry.expect("readable");
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            naive_listing(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// The specs the walker gives for `pattern` (a glob or a directory); "no file matches" is none.
fn walked(pattern: std::path::PathBuf, tree: &str) -> Vec<SourceSpec> {
    let shown = pattern.display().to_string();
    match expand_source(&spec("t", pattern)) {
        Ok(specs) => specs,
        Err(e) if e.to_string().contains("no file matches") => Vec::new(),
        Err(e) => panic!("{shown}: {e}\ntree:\n{tree}"),
    }
}

/// Patterns over the random trees. None ends in `**` (the walker gives the files below, `glob`
/// the directories) or starts a component with '.' after a wildcard (`glob` leaves every
/// hidden name out of a wildcard's listing).
const PATTERNS: &[&str] = &[
    "**/*.txt",
    "*/*.txt",
    "*/**/x.html",
    "**/[ab]*",
    "*.txt",
    "**/a/*",
    "a*/**/*",
    "**/*",
    "*",
    "?",
    "**/?",
    "**/[!a]*.txt",
    "**/x.[hH]*",
    "*/*/*",
    "*/*/*/*",
    "**/a/**/*.txt",
    "**/a/**/a",
    "*/**/*/*.txt",
    "[A-Z]*/**/*",
    "**/*b*",
    "**/bài.txt",
    "**/*.HTML",
    "a/**/*",
    "**/**/*.txt",
    "**/a b/*",
    ".git/**/*",
    "**/?.txt",
    "*/a/*",
    "a*",
    "**/[[]a]",
    "**/a.txt/*",
    "*/a.txt/**/*",
];

/// Random trees of names that sort in surprising ways: a directory gives exactly the files a
/// naive recursive listing finds, in the order of their paths sorted, with their ids; a glob
/// gives the files `glob::glob_with` finds (with the walker's options), in the same order, each
/// once (`glob` gives a file once for each way the pattern matches it: `**/a/**/*.txt` gives
/// `a/a/x.txt` twice, `**` matching "" then "a", or "a" then "").
#[test]
fn random_trees_walk_as_a_listing_and_glob_as_the_glob_crate() {
    let started = std::time::Instant::now();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let options = glob::MatchOptions {
        case_sensitive: true,
        require_literal_separator: true,
        require_literal_leading_dot: true,
    };
    let (mut compared, mut nonempty, mut glob_twice, mut hidden) = (0, 0, 0, 0);
    let tmp = crate::support::scratch("expand-random");
    let root = tmp.path();
    let mut before = Model::default();
    for round in 0..20 {
        let model = Model::random(&mut rng, round % 5 == 0);
        model.write_over(&before, root);
        let tree = model.describe();

        let mut listed = Vec::new();
        naive_listing(root, &mut listed);
        listed.sort();
        let is_hidden = |f: &&std::path::PathBuf| {
            f.components()
                .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        };
        hidden += model.files.iter().filter(is_hidden).count();
        let visible: Vec<_> = model
            .files
            .iter()
            .filter(|f| !is_hidden(f))
            .map(|f| root.join(f))
            .collect();
        assert_eq!(
            listed, visible,
            "round {round}: the listing finds the tree's files\ntree:\n{tree}"
        );
        let got = walked(root.to_path_buf(), &tree);
        assert_eq!(
            paths(&got),
            listed,
            "round {round}: the directory walk gives the listing, sorted\ntree:\n{tree}"
        );
        let ids: Vec<_> = listed
            .iter()
            .map(|p| chiso_extract::expanded_id("t", p.strip_prefix(root).expect("below")))
            .collect();
        assert!(
            got.iter().map(|s| &s.id).eq(&ids),
            "round {round}: ids\ntree:\n{tree}"
        );

        for pattern in PATTERNS {
            let full = root.join(pattern);
            let mut want: Vec<_> = glob::glob_with(full.to_str().expect("UTF-8"), options)
                .expect("a valid pattern")
                .map(|p| p.expect("readable"))
                .filter(|p| p.is_file())
                .collect();
            want.sort();
            let found = want.len();
            want.dedup();
            glob_twice += found - want.len();
            assert_eq!(
                paths(&walked(full, &tree)),
                want,
                "round {round}, pattern {pattern:?}: the walker (left) against glob (right)\ntree:\n{tree}"
            );
            compared += 1;
            nonempty += usize::from(!want.is_empty());
        }
        before = model;
    }
    assert!(
        nonempty * 2 > compared && hidden > 0,
        "most comparisons match files ({nonempty} of {compared}), some files are hidden ({hidden})"
    );
    eprintln!(
        "20 trees, {compared} glob comparisons ({nonempty} matching files, {glob_twice} files glob gave more than once), {hidden} hidden files, in {:?}",
        started.elapsed()
    );
}

/// Three files of one directory with one id piece: the error names the first clash in the
/// walk's order of the directory (names from last to first), as before the walk stopped
/// keeping a table of every piece.
#[test]
fn three_files_with_one_piece_name_the_first_clash() {
    let tmp = tree("three", &["a b.txt", "a_b.txt", "a+b.txt", "c.txt"]);
    let e = expand_source(&spec("bao", tmp.path().to_path_buf())).expect_err("one id");
    let text = e.to_string();
    assert!(
        text.contains("a+b.txt and ")
            && text.contains("a_b.txt both give the source id \"bao--a_b.txt\""),
        "{text}"
    );
}

/// A name that is not UTF-8 gets a piece of its own (its bytes read lossily), and its file is
/// read from its own name.
#[cfg(unix)]
#[test]
fn a_name_that_is_not_utf8_keeps_its_bytes() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = tree("bytes", &["b.txt"]);
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
    std::fs::write(tmp.path().join(name), "x").expect("writable");
    let specs = expand_source(&spec("bao", tmp.path().to_path_buf())).expect("walked");
    let ids: Vec<&str> = specs.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["bao--b.txt", "bao--caf_.txt"]);
    assert_eq!(paths(&specs)[1].file_name(), Some(name));
}
