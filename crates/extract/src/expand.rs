//! One source spec with a glob (`corpus/**/*.html`) or a directory as its path becomes one spec
//! per file, sorted by path, with ids derived from the spec's id and the file's relative path.

use std::path::{Component, Path, PathBuf};

use unicode_normalization::UnicodeNormalization;

use crate::{Error, Location, Result, SourceSpec};

/// Characters that make a path a glob pattern.
const GLOB_CHARS: &[char] = &['*', '?', '['];

/// Whether a path is a glob pattern.
fn is_pattern(path: &Path) -> bool {
    path.to_string_lossy().contains(GLOB_CHARS)
}

/// The leading components of a pattern that hold no glob character: where matches are
/// relative to.
fn literal_base(pattern: &Path) -> PathBuf {
    let mut base = PathBuf::new();
    for c in pattern.components() {
        if c.as_os_str().to_string_lossy().contains(GLOB_CHARS) {
            break;
        }
        base.push(c);
    }
    base
}

/// A path component as a safe id piece: diacritics dropped ("bài" → "bai", "đ" → "d"), every
/// character other than ASCII letters, digits, '-', '_' and '.' made '_'.
fn safe_piece(piece: &str) -> String {
    piece
        .nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' => 'D',
            c if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') => c,
            _ => '_',
        })
        .collect()
}

/// The id of a file matched by the spec `id`: `id--dir--file.html` for `dir/file.html`.
///
/// ```
/// use std::path::Path;
/// assert_eq!(chiso_extract::expanded_id("corpus", Path::new("2023/bài 1.html")), "corpus--2023--bai_1.html");
/// ```
pub fn expanded_id(id: &str, relative: &Path) -> String {
    let mut out = id.to_owned();
    for c in relative.components() {
        if let Component::Normal(part) = c {
            out.push_str("--");
            out.push_str(&safe_piece(&part.to_string_lossy()));
        }
    }
    out
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

/// Every regular file under `dir`, recursively, hidden files and directories left out.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if is_hidden(&path) {
            continue;
        }
        if path.is_dir() {
            walk(&path, out)?;
        } else if path.is_file() {
            out.push(path);
        }
    }
    Ok(())
}

/// Expands a spec whose path is a glob pattern or a directory into one spec per file, sorted
/// by path; any other spec (a file, a URL) is returned as it is. Ids are
/// [`expanded_id`]s, so they stay the same from run to run while the files do. A pattern that
/// matches nothing, an unreadable directory or two files with the same id are errors.
///
/// ```
/// use chiso_extract::{Location, SourceSpec, expand_source};
/// let dir = std::env::temp_dir().join(format!("chiso-expand-doc-{}", std::process::id()));
/// std::fs::create_dir_all(dir.join("2023"))?;
/// std::fs::write(dir.join("2023/b.html"), "<p>b</p>")?;
/// std::fs::write(dir.join("a.html"), "<p>a</p>")?;
/// std::fs::write(dir.join("notes.txt"), "x")?;
/// let spec = SourceSpec {
///     id: "corpus".into(),
///     location: Location::Path(dir.join("**/*.html")),
///     published: None, geo: None, format: None,
/// };
/// let ids: Vec<String> = expand_source(&spec).expect("two files").into_iter().map(|s| s.id).collect();
/// assert_eq!(ids, ["corpus--2023--b.html", "corpus--a.html"]);
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn expand_source(spec: &SourceSpec) -> Result<Vec<SourceSpec>> {
    let Location::Path(path) = &spec.location else {
        return Ok(vec![spec.clone()]);
    };
    let err = |reason: String| Error::Expand {
        source_id: spec.id.clone(),
        pattern: path.display().to_string(),
        reason,
    };
    let (base, mut files) = if is_pattern(path) {
        let pattern = path
            .to_str()
            .ok_or_else(|| err("the pattern is not valid UTF-8".into()))?;
        let options = glob::MatchOptions {
            case_sensitive: true,
            require_literal_separator: true,
            require_literal_leading_dot: true,
        };
        let paths =
            glob::glob_with(pattern, options).map_err(|e| err(format!("bad pattern: {e}")))?;
        let mut files = Vec::new();
        for p in paths {
            let p =
                p.map_err(|e| err(format!("cannot read {}: {}", e.path().display(), e.error())))?;
            if p.is_file() {
                files.push(p);
            }
        }
        (literal_base(path), files)
    } else if path.is_dir() {
        let mut files = Vec::new();
        walk(path, &mut files).map_err(|e| err(format!("cannot read the directory: {e}")))?;
        (path.clone(), files)
    } else {
        return Ok(vec![spec.clone()]);
    };
    if files.is_empty() {
        return Err(err("no file matches".into()));
    }
    files.sort();
    let mut specs: Vec<SourceSpec> = Vec::with_capacity(files.len());
    let mut seen: std::collections::HashMap<String, PathBuf> = std::collections::HashMap::new();
    for file in files {
        let relative = file.strip_prefix(&base).unwrap_or(&file);
        let id = expanded_id(&spec.id, relative);
        if let Some(other) = seen.insert(id.clone(), file.clone()) {
            return Err(err(format!(
                "{} and {} both give the source id {id:?}; rename one",
                other.display(),
                file.display()
            )));
        }
        specs.push(SourceSpec {
            id,
            location: Location::Path(file),
            ..spec.clone()
        });
    }
    Ok(specs)
}

/// [`expand_source`] for every spec, in order; the first error stops.
pub fn expand_sources(specs: &[SourceSpec]) -> Result<Vec<SourceSpec>> {
    let mut out = Vec::with_capacity(specs.len());
    for spec in specs {
        out.extend(expand_source(spec)?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bases_and_ids() {
        assert_eq!(
            literal_base(Path::new("corpus/**/*.html")),
            Path::new("corpus")
        );
        assert_eq!(literal_base(Path::new("/a/b/c?.txt")), Path::new("/a/b"));
        assert_eq!(
            expanded_id("bao", Path::new("Đắk Lắk/tin (1).html")),
            "bao--Dak_Lak--tin__1_.html"
        );
    }
}
