//! One source spec with a glob (`corpus/**/*.html`) or a directory as its path becomes one spec
//! per file, sorted by path, with ids derived from the spec's id and the file's relative path.

use std::collections::HashMap;
use std::ffi::{OsStr, OsString};
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

/// Whether walking `spec`'s path (a directory, or a glob pattern) would reach `file`: a file in
/// the directory, or one the pattern matches, and in no hidden directory and not hidden itself
/// (walks leave those out). `file` is absolute with links resolved, and `resolve` puts the
/// walk's base in the same form. (A link inside the directory that leads to `file` is not
/// followed here.)
pub fn walk_reaches(spec: &SourceSpec, file: &Path, resolve: &dyn Fn(&Path) -> PathBuf) -> bool {
    let Location::Path(path) = &spec.location else {
        return false;
    };
    let shown = |relative: &Path| {
        !relative
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
    };
    if !is_pattern(path) {
        return path.is_dir() && file.strip_prefix(resolve(path)).is_ok_and(&shown);
    }
    let base = literal_base(path);
    let base_at = resolve(if base.as_os_str().is_empty() {
        Path::new(".")
    } else {
        &base
    });
    let (Ok(relative), Some(rest)) = (
        file.strip_prefix(&base_at),
        path.strip_prefix(&base).unwrap_or(path).to_str(),
    ) else {
        return false;
    };
    let options = glob::MatchOptions {
        case_sensitive: true,
        require_literal_separator: true,
        require_literal_leading_dot: true,
    };
    shown(relative)
        && glob::Pattern::new(rest).is_ok_and(|p| p.matches_path_with(relative, options))
}

/// A path component as a safe id piece: diacritics dropped ("bài" → "bai", "đ" → "d"), every
/// character other than ASCII letters, digits, '-', '_' and '.' made '_', and a '-' that would
/// begin or end the piece or stand beside another '-' made '_' too: the pieces of an id are
/// joined with "--", so no piece may hold one or begin or end with '-'. An id then splits
/// back into its pieces one way only, and two files give the same id only when two entries
/// of one directory give the same piece, which [`FileWalk`] checks as it reads each directory.
fn safe_piece(piece: &str) -> String {
    let mapped: Vec<char> = piece
        .nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' => 'D',
            c if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') => c,
            _ => '_',
        })
        .collect();
    let last = mapped.len().saturating_sub(1);
    (0..mapped.len())
        .map(|i| match mapped[i] {
            '-' if i == 0 || i == last || mapped[i - 1] == '-' || mapped[i + 1] == '-' => '_',
            c => c,
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

/// One component of a glob pattern, relative to its literal base.
enum Part {
    /// `**`: any number of components (none starting with '.').
    Any,
    /// One component matching this pattern.
    One(glob::Pattern),
}

/// How a glob is matched: what `glob::glob_with` does, component by component.
const MATCH: glob::MatchOptions = glob::MatchOptions {
    case_sensitive: true,
    require_literal_separator: true,
    require_literal_leading_dot: true,
};

/// What a walk keeps of the entries it reads.
enum Filter {
    /// Every file, hidden files and directories left out.
    Directory,
    /// The files a glob matches, by its components.
    Glob(Vec<Part>),
}

impl Filter {
    /// The parts of the pattern still to match after `name`, from each of `states` (indices of
    /// parts; `parts.len()` when the pattern is matched whole), with every `**` that may match
    /// nothing skipped.
    fn step(parts: &[Part], states: &[usize], name: &str) -> Vec<usize> {
        let mut next = Vec::new();
        for &i in states {
            match parts.get(i) {
                Some(Part::Any) if !name.starts_with('.') => next.push(i),
                Some(Part::One(p)) if p.matches_with(name, MATCH) => next.push(i + 1),
                _ => {}
            }
        }
        Filter::closure(parts, next)
    }

    /// `states` with every state at a `**` also moved past it (it may match no component).
    fn closure(parts: &[Part], mut states: Vec<usize>) -> Vec<usize> {
        let mut k = 0;
        while k < states.len() {
            if matches!(parts.get(states[k]), Some(Part::Any)) && !states.contains(&(states[k] + 1))
            {
                states.push(states[k] + 1);
            }
            k += 1;
        }
        states.sort_unstable();
        states.dedup();
        states
    }
}

/// The directory to list for `dir`: the empty base of a pattern such as `*.html` is the working
/// directory.
fn listed(dir: &Path) -> &Path {
    if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    }
}

/// A directory being read: its entries still to yield, smallest last.
struct Frame {
    dir: PathBuf,
    /// The id its files' ids start with: the spec's id and a piece for each directory below
    /// the walk's base ([`expanded_id`] of its path).
    id: String,
    /// Its device and inode, to tell a link back to it from below.
    inode: Option<(u64, u64)>,
    entries: Vec<Entry>,
    /// The id pieces that two or more of its directories give, each with the first of those
    /// directories found to hold a file: a second one that does is an error.
    shared: HashMap<String, Option<OsString>>,
    /// The directory being walked below it, when its piece is shared: the piece and its name.
    within: Option<(String, OsString)>,
}

/// The device and inode of directory `dir` (following links), where the platform has them.
fn dir_id(dir: &Path) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(dir).ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        None
    }
}

/// An entry of a directory being read that the walk keeps: a file it yields or a directory it
/// goes down into. A directory of millions of files is held whole, so an entry is kept small:
/// its name once, and its piece of an id only when that differs from its name.
struct Entry {
    name: Box<OsStr>,
    /// Its piece of an id ([`safe_piece`]), when it is not `name` itself.
    other_piece: Option<Box<str>>,
    is_dir: bool,
    /// For a directory: whether another directory beside it gives the same piece.
    shared: bool,
    /// For a glob: the parts still to match below a directory.
    states: Box<[usize]>,
}

impl Entry {
    fn new(name: OsString, is_dir: bool, states: Vec<usize>) -> Entry {
        let piece = safe_piece(&name.to_string_lossy());
        Entry {
            other_piece: (name.to_str() != Some(piece.as_str())).then(|| piece.into()),
            name: name.into_boxed_os_str(),
            is_dir,
            shared: false,
            states: states.into(),
        }
    }

    /// Its piece of an id ([`safe_piece`] of its name).
    fn piece(&self) -> &str {
        match &self.other_piece {
            Some(piece) => piece,
            // Only a name that is its own piece has none: valid UTF-8.
            None => self.name.to_str().unwrap_or_default(),
        }
    }
}

/// The files of a spec whose path is a directory or a glob pattern, one [`SourceSpec`] each,
/// in path order, read one directory at a time: the walk holds the directories on the way to
/// the file it is at, never the list of files, so a tree of millions of files takes the memory
/// of its largest directory. Ids are [`expanded_id`]s, so they stay the same from run to run
/// while the files do. Two files of one directory that give the same id piece are an error (they
/// have the same id), and so are two directories of one directory that give the same piece
/// once both are found to hold files (their files' ids could clash); so are a directory that
/// cannot be read, a link that leads back to a directory above it and a walk that finds no
/// file. After an error the walk ends.
pub struct FileWalk {
    spec: SourceSpec,
    filter: Filter,
    stack: Vec<Frame>,
    /// Files yielded so far.
    files: usize,
    /// After an error, or once a walk that found nothing has said so.
    ended: bool,
}

impl FileWalk {
    /// The walk over `spec`'s files when its path is a glob pattern or a directory, else
    /// `None` (a file, a URL).
    pub fn new(spec: &SourceSpec) -> Result<Option<FileWalk>> {
        let Location::Path(path) = &spec.location else {
            return Ok(None);
        };
        let (base, filter) = if is_pattern(path) {
            let pattern = path
                .to_str()
                .ok_or_else(|| expand_error(spec, "the pattern is not valid UTF-8".into()))?;
            glob::Pattern::new(pattern)
                .map_err(|e| expand_error(spec, format!("bad pattern: {e}")))?;
            let base = literal_base(path);
            let rest = path.strip_prefix(&base).unwrap_or(path);
            let mut parts = Vec::new();
            for c in rest.components() {
                let c = match c {
                    Component::Normal(c) => c.to_string_lossy(),
                    Component::CurDir => continue,
                    _ => {
                        return Err(expand_error(
                            spec,
                            "a pattern cannot go up (`..`) after a wildcard: write the path without it"
                                .into(),
                        ));
                    }
                };
                parts.push(if c == "**" {
                    Part::Any
                } else {
                    Part::One(
                        glob::Pattern::new(&c)
                            .map_err(|e| expand_error(spec, format!("bad pattern: {e}")))?,
                    )
                });
            }
            (base, Filter::Glob(parts))
        } else if path.is_dir() {
            (path.clone(), Filter::Directory)
        } else {
            return Ok(None);
        };
        let mut walk = FileWalk {
            spec: spec.clone(),
            filter,
            stack: Vec::new(),
            files: 0,
            ended: false,
        };
        let states = match &walk.filter {
            Filter::Glob(parts) => Filter::closure(parts, vec![0]),
            Filter::Directory => Vec::new(),
        };
        // A glob whose literal base is missing matches nothing.
        let missing = matches!(walk.filter, Filter::Glob(_)) && !listed(&base).is_dir();
        if !missing {
            let id = spec.id.clone();
            walk.enter(base, id, &states)?;
        }
        Ok(Some(walk))
    }

    /// Reads directory `dir` (`id` its files' ids start with; `states`: what a glob has left
    /// to match in it) and puts what it keeps on the stack.
    fn enter(&mut self, dir: PathBuf, id: String, states: &[usize]) -> Result<()> {
        let unreadable = |e: std::io::Error| {
            expand_error(
                &self.spec,
                format!("cannot read the directory {}: {e}", dir.display()),
            )
        };
        let listed = listed(&dir);
        let inode = dir_id(listed);
        if let Some(above) = self
            .stack
            .iter()
            .find(|f| inode.is_some() && f.inode == inode)
        {
            return Err(expand_error(
                &self.spec,
                format!(
                    "{} leads back to {}, which holds it (a link that makes a loop); remove the link",
                    dir.display(),
                    above.dir.display()
                ),
            ));
        }
        let mut entries = Vec::new();
        for entry in std::fs::read_dir(listed).map_err(unreadable)? {
            let entry = entry.map_err(unreadable)?;
            let name = entry.file_name();
            let kind = entry.file_type().map_err(unreadable)?;
            // A symbolic link is what it points to; a broken one is left out.
            let (is_dir, is_file) = if kind.is_symlink() {
                match std::fs::metadata(entry.path()) {
                    Ok(m) => (m.is_dir(), m.is_file()),
                    Err(_) => continue,
                }
            } else {
                (kind.is_dir(), kind.is_file())
            };
            if !is_dir && !is_file {
                continue;
            }
            let next = match &self.filter {
                Filter::Directory if name.to_string_lossy().starts_with('.') => continue,
                Filter::Directory => Vec::new(),
                Filter::Glob(parts) => {
                    let next = Filter::step(parts, states, &name.to_string_lossy());
                    let keep = if is_dir {
                        next.iter().any(|&i| i < parts.len())
                    } else {
                        next.contains(&parts.len())
                    };
                    if !keep {
                        continue;
                    }
                    next
                }
            };
            entries.push(Entry::new(name, is_dir, next));
        }
        entries.sort_unstable_by(|a, b| b.name.cmp(&a.name));
        let shared = self.check_pieces(&dir, &id, &mut entries)?;
        self.stack.push(Frame {
            dir,
            id,
            inode,
            entries,
            shared,
            within: None,
        });
        Ok(())
    }

    /// Two files of one directory with the same id piece have the same id: an error. Two
    /// directories with the same piece could give their files the same ids: the pieces they
    /// share are returned (and marked on their entries), and the walk fails if both turn out
    /// to hold files ([`FileWalk::holds_file`]).
    fn check_pieces(
        &self,
        dir: &Path,
        id: &str,
        entries: &mut [Entry],
    ) -> Result<HashMap<String, Option<OsString>>> {
        // The entries in order of their piece (files and directories apart), then of their
        // place: each one after another with its piece and kind is a clash with the last
        // before it. Indices sorted in place, rather than a table of every piece: a directory
        // of millions of files is listed whole.
        let key = |k: usize| (entries[k].piece(), entries[k].is_dir);
        let mut order: Vec<usize> = (0..entries.len()).collect();
        order.sort_unstable_by(|&a, &b| key(a).cmp(&key(b)).then(a.cmp(&b)));
        // Each clash as (the later entry, the one before it).
        let mut files: Option<(usize, usize)> = None;
        let mut dirs = Vec::new();
        for pair in order.windows(2) {
            let (other, k) = (pair[0], pair[1]);
            if key(other) != key(k) {
                continue;
            }
            if entries[k].is_dir {
                dirs.push((k, other));
            } else if files.is_none_or(|(first, _)| k < first) {
                files = Some((k, other));
            }
        }
        drop(order);
        // Two files with one piece: the first in the directory's order is named.
        if let Some((k, other)) = files {
            let e = &entries[k];
            return Err(expand_error(
                &self.spec,
                format!(
                    "{} and {} both give the source id \"{id}--{}\"; rename one",
                    dir.join(&*e.name).display(),
                    dir.join(&*entries[other].name).display(),
                    e.piece()
                ),
            ));
        }
        let mut shared = HashMap::new();
        for (k, other) in dirs {
            entries[k].shared = true;
            entries[other].shared = true;
            shared.insert(entries[k].piece().to_owned(), None);
        }
        Ok(shared)
    }

    /// A file is about to be yielded from the directory on top of the stack: every directory
    /// above it whose id piece is shared now holds a file, and two such directories with one
    /// piece are an error.
    fn holds_file(&mut self) -> Result<()> {
        let above = self.stack.len().saturating_sub(1);
        for frame in &mut self.stack[..above] {
            let Some((piece, name)) = &frame.within else {
                continue;
            };
            match frame.shared.get_mut(piece) {
                Some(Some(first)) if first != name => {
                    return Err(expand_error(
                        &self.spec,
                        format!(
                            "the directories {} and {} both give {piece:?} to their files' source ids; rename one",
                            frame.dir.join(&*first).display(),
                            frame.dir.join(name).display()
                        ),
                    ));
                }
                Some(slot @ None) => *slot = Some(name.clone()),
                _ => {}
            }
        }
        Ok(())
    }
}

impl Iterator for FileWalk {
    type Item = Result<SourceSpec>;

    fn next(&mut self) -> Option<Result<SourceSpec>> {
        if self.ended {
            return None;
        }
        loop {
            let Some(frame) = self.stack.last_mut() else {
                self.ended = true;
                return (self.files == 0)
                    .then(|| Err(expand_error(&self.spec, "no file matches".into())));
            };
            let Some(entry) = frame.entries.pop() else {
                self.stack.pop();
                continue;
            };
            let path = frame.dir.join(&*entry.name);
            let id = format!("{}--{}", frame.id, entry.piece());
            if entry.is_dir {
                if entry.shared {
                    frame.within = Some((entry.piece().to_owned(), entry.name.into_os_string()));
                } else {
                    frame.within = None;
                }
                if let Err(e) = self.enter(path, id, &entry.states) {
                    self.ended = true;
                    return Some(Err(e));
                }
                continue;
            }
            if let Err(e) = self.holds_file() {
                self.ended = true;
                return Some(Err(e));
            }
            self.files += 1;
            return Some(Ok(SourceSpec {
                id,
                location: Location::Path(path),
                ..self.spec.clone()
            }));
        }
    }
}

fn expand_error(spec: &SourceSpec, reason: String) -> Error {
    let pattern = match &spec.location {
        Location::Path(p) => p.display().to_string(),
        Location::Url(u) => u.clone(),
    };
    Error::Expand {
        source_id: spec.id.clone(),
        pattern,
        reason,
    }
}

/// Expands a spec whose path is a glob pattern or a directory into one spec per file, in path
/// order ([`FileWalk`], collected); any other spec (a file, a URL) is returned as it is. A
/// pattern that matches nothing, an unreadable directory or two files with the same id are
/// errors.
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
    let Some(walk) = FileWalk::new(spec)? else {
        return Ok(vec![spec.clone()]);
    };
    walk.collect()
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
