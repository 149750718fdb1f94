//! Progress for long work: a bar on a terminal, nothing otherwise (the structured logs say
//! what happened, one line per source (one per directory of more than 100 files), and stay clean
//! when piped or in CI).

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// What a bar over bytes shows after the bar.
const BYTES: &str = "{bytes}/{total_bytes} ({bytes_per_sec}, eta {eta}) {wide_msg}";

/// The bars drawn on the terminal now, if any: log lines are written above them.
static DRAWN: Mutex<Option<MultiProgress>> = Mutex::new(None);

/// Where log lines go: stderr, and when bars are drawn there, above them (the bars are cleared
/// for the line and drawn again under it, so neither overwrites the other).
#[derive(Debug, Clone, Copy, Default)]
pub struct LogWriter;

impl Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let drawn = DRAWN.lock().ok().and_then(|d| d.clone());
        match drawn {
            Some(multi) => multi.suspend(|| std::io::stderr().write(buf)),
            None => std::io::stderr().write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        let drawn = DRAWN.lock().ok().and_then(|d| d.clone());
        match drawn {
            Some(multi) => multi.suspend(|| std::io::stderr().write_all(buf)),
            None => std::io::stderr().write_all(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}

/// A progress bar, drawn on stderr only when it is a terminal: over sources, or over the bytes
/// of a run's files when it reads corpus files (one file can hold a year of news, so a bar of
/// sources would sit at 0/1 for the whole run). A corpus at a URL counts once it is fetched
/// (its size is not known before), and while it downloads a line of its own under the bar
/// shows how far the download has come ([`Downloads`]).
#[derive(Default)]
pub struct Progress {
    bar: Option<ProgressBar>,
    /// The bar and the download lines under it.
    multi: Option<MultiProgress>,
    /// Counting bytes: each declared source's size on disk (its files' for a directory or
    /// glob; a corpus at a URL's is 0 until it is fetched); `None` counts sources.
    sizes: Option<Arc<[AtomicU64]>>,
    /// Bytes of the sources done.
    done: u64,
}

impl Progress {
    /// A bar of `len` sources labelled `what` ("reading"); hidden when `quiet` or when stderr is
    /// not a terminal.
    pub fn new(len: usize, what: &str, quiet: bool) -> Progress {
        if len < 2 || !Progress::shown(quiet) {
            return Progress::default();
        }
        let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::hidden());
        Progress::drawn(bar, "{pos}/{len} {wide_msg} {elapsed}", what, None)
    }

    /// A bar over the bytes of the sources' files, `sizes` by declared source (as stored, so a
    /// compressed corpus counts its compressed bytes; `None` for a URL, counted once it is
    /// fetched); hidden as [`Progress::new`] is, and when there is nothing to count.
    pub fn bytes(sizes: Vec<Option<u64>>, what: &str, quiet: bool) -> Progress {
        let total = sizes.iter().flatten().sum();
        let urls = sizes.iter().any(Option::is_none);
        if (total == 0 && !urls) || !Progress::shown(quiet) {
            return Progress::default();
        }
        // Hidden until it joins its `MultiProgress`, which draws it: drawn on its own before,
        // it would leave a line the multi does not know to clear.
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
        let sizes = sizes
            .into_iter()
            .map(|s| AtomicU64::new(s.unwrap_or(0)))
            .collect();
        if total == 0 {
            // Until a download says how long it is (a bar of 0 bytes would look full).
            bar.set_message("waiting for the first download");
            return Progress::drawn(bar, "", what, Some(sizes));
        }
        Progress::drawn(bar, BYTES, what, Some(sizes))
    }

    /// Whether a bar is drawn at all: not with `quiet`, and only on a terminal.
    pub fn shown(quiet: bool) -> bool {
        !quiet && std::io::stderr().is_terminal()
    }

    fn drawn(
        bar: ProgressBar,
        template: &str,
        what: &str,
        sizes: Option<Arc<[AtomicU64]>>,
    ) -> Progress {
        bar.set_style(Progress::style(template));
        bar.set_prefix(what.to_owned());
        let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
        let bar = multi.add(bar);
        bar.enable_steady_tick(Duration::from_millis(120));
        if let Ok(mut drawn) = DRAWN.lock() {
            *drawn = Some(multi.clone());
        }
        Progress {
            bar: Some(bar),
            multi: Some(multi),
            sizes,
            done: 0,
        }
    }

    /// The bar's style with `template` after the bar; an empty `template` has no bar, only
    /// the prefix and the message.
    fn style(template: &str) -> ProgressStyle {
        let template = match template {
            "" => "{prefix:>11} {wide_msg}".to_owned(),
            // 11 + 24 columns, and 40 for the bytes, speed and time: 80 columns hold it.
            t => format!("{{prefix:>11}} [{{bar:20}}] {t}"),
        };
        ProgressStyle::with_template(&template)
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ")
    }

    /// The size of declared source `index` as counted now.
    fn size(&self, index: usize) -> u64 {
        self.sizes
            .as_ref()
            .and_then(|s| s.get(index))
            .map_or(0, |s| s.load(Ordering::Relaxed))
    }

    /// A source of declared source `index` is done; `message` names it (a source id). On a
    /// bar of bytes it counts `own` bytes (a file of a directory or glob), else the declared
    /// source's.
    pub fn done(&mut self, index: usize, own: Option<u64>, message: &str) {
        let Some(bar) = &self.bar else { return };
        bar.set_message(message.to_owned());
        if self.sizes.is_some() {
            self.done += own.unwrap_or_else(|| self.size(index));
            bar.set_position(self.done);
        } else {
            bar.inc(1);
        }
    }

    /// Corpus source `index`, named `message`, is read up to byte `at` of its file.
    pub fn within(&self, index: usize, at: u64, message: &str) {
        if let (Some(bar), Some(_)) = (&self.bar, &self.sizes) {
            bar.set_message(message.to_owned());
            bar.set_position(self.done + at.min(self.size(index)));
        }
    }

    /// What the download thread needs to show its downloads and count what they fetched.
    pub fn downloads(&self) -> Downloads {
        Downloads {
            multi: self.multi.clone(),
            bar: self.bar.clone(),
            sizes: self.sizes.clone(),
        }
    }

    /// Removes the bar, so the summary that follows starts on a clean line.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            if let Ok(mut drawn) = DRAWN.lock() {
                *drawn = None;
            }
            bar.finish_and_clear();
        }
    }
}

/// The downloads of corpora at URLs, seen from the thread that downloads them: a line under the
/// run's bar per download in progress, and the size of each corpus added to the bar as soon as
/// it is known (the length its server declares, then its file's). Nothing is drawn or counted
/// when the run has no bar.
#[derive(Clone, Default)]
pub struct Downloads {
    multi: Option<MultiProgress>,
    bar: Option<ProgressBar>,
    sizes: Option<Arc<[AtomicU64]>>,
}

impl Downloads {
    /// A line for the download of source `index`, named `id`, removed when it is dropped.
    pub fn start(&self, index: usize, id: &str) -> DownloadLine<'_> {
        let Some(multi) = &self.multi else {
            return DownloadLine {
                line: None,
                downloads: self,
                index,
                id: String::new(),
            };
        };
        let line = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::hidden());
        // No bar until the first answer: one of 0 bytes would look full.
        line.set_style(Progress::style(""));
        line.set_prefix("downloading");
        line.set_message(format!("{id}: waiting for the server"));
        let line = match &self.bar {
            Some(bar) => multi.insert_after(bar, line),
            None => multi.add(line),
        };
        DownloadLine {
            line: Some(line),
            downloads: self,
            index,
            id: id.to_owned(),
        }
    }

    /// Source `index` is `bytes` long (a declared length, or its fetched file's size): the
    /// bar counts that from now on.
    pub fn sized(&self, index: usize, bytes: u64) {
        let Some(size) = self.sizes.as_ref().and_then(|s| s.get(index)) else {
            return;
        };
        let before = size.swap(bytes, Ordering::Relaxed);
        if let Some(bar) = self.bar.as_ref().filter(|_| before != bytes) {
            let length = bar.length().unwrap_or(0);
            bar.set_length((length + bytes).saturating_sub(before));
            if length == 0 {
                bar.set_style(Progress::style(BYTES));
                bar.set_message("");
            }
        }
    }
}

/// One download's line under the run's bar.
pub struct DownloadLine<'a> {
    line: Option<ProgressBar>,
    downloads: &'a Downloads,
    index: usize,
    id: String,
}

impl DownloadLine<'_> {
    /// The download has come this far (its length is the bytes so far when the server did
    /// not declare it; a declared length is counted by the run's bar at once).
    pub fn update(&self, at: chiso_extract::Downloaded) {
        if let Some(of) = at.of {
            self.downloads.sized(self.index, of);
        }
        if let Some(line) = &self.line {
            let first = line.length() == Some(0);
            line.set_length(at.of.unwrap_or(at.bytes).max(at.bytes));
            line.set_position(at.bytes);
            if first {
                line.set_style(Progress::style(BYTES));
                line.set_message(self.id.clone());
            }
        }
    }
}

impl Drop for DownloadLine<'_> {
    fn drop(&mut self) {
        if let (Some(line), Some(multi)) = (&self.line, &self.downloads.multi) {
            line.finish_and_clear();
            multi.remove(line);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A bar that is never drawn but counts as a drawn one does.
    fn hidden(len: u64, sizes: Option<Vec<u64>>) -> Progress {
        let bar = ProgressBar::hidden();
        bar.set_length(len);
        let multi = MultiProgress::with_draw_target(ProgressDrawTarget::hidden());
        Progress {
            bar: Some(multi.add(bar)),
            multi: Some(multi),
            sizes: sizes.map(|s| s.into_iter().map(AtomicU64::new).collect()),
            done: 0,
        }
    }

    impl Progress {
        fn position(&self) -> u64 {
            self.bar.as_ref().map_or(0, ProgressBar::position)
        }
    }

    /// Bytes: a file source counts its size when done; a corpus moves within its own file, never
    /// past its size (the reader's buffers run ahead), and counts it whole at its end.
    #[test]
    fn byte_progress_moves_within_a_corpus_and_by_whole_sources() {
        let mut p = hidden(1_100, Some(vec![100, 1_000]));
        p.done(0, None, "article");
        assert_eq!(p.position(), 100);
        p.within(1, 400, "news");
        assert_eq!(p.position(), 500);
        assert_eq!(
            p.bar.as_ref().map(ProgressBar::message).as_deref(),
            Some("news")
        );
        p.within(1, 5_000, "news");
        assert_eq!(p.position(), 1_100);
        p.done(1, None, "news");
        assert_eq!(p.position(), 1_100);
    }

    /// A directory's files count their own bytes, not the directory's total: declared source
    /// 0 is a directory of 300 bytes in two files, 1 a corpus in a glob of shards.
    #[test]
    fn files_of_a_directory_count_their_own_bytes() {
        let mut p = hidden(1_300, Some(vec![300, 1_000]));
        p.done(0, Some(100), "dir--a.txt");
        assert_eq!(p.position(), 100);
        p.done(0, Some(200), "dir--b.txt");
        assert_eq!(p.position(), 300);
        p.within(1, 250, "shards--1.jsonl");
        assert_eq!(p.position(), 550);
        p.done(1, Some(400), "shards--1.jsonl");
        p.within(1, 100, "shards--2.jsonl");
        assert_eq!(p.position(), 800);
        p.done(1, Some(600), "shards--2.jsonl");
        assert_eq!(p.position(), 1_300);
    }

    /// A corpus at a URL counts nothing until its length is known: the length its server
    /// declares as soon as its download starts, then its file's; its download has a line under
    /// the bar, which shows how far it has come.
    #[test]
    fn a_corpus_at_a_url_counts_once_its_length_is_known() {
        let mut p = hidden(100, Some(vec![100, 0, 0]));
        let downloads = p.downloads();
        let length = |p: &Progress| p.bar.as_ref().and_then(ProgressBar::length);
        p.done(0, None, "article");
        p.within(1, 500, "news");
        assert_eq!(p.position(), 100, "no length yet: nothing to count");
        {
            let line = downloads.start(1, "news");
            line.update(chiso_extract::Downloaded {
                bytes: 300,
                of: Some(1_000),
            });
            let bar = line.line.as_ref().expect("a line");
            assert_eq!((bar.position(), bar.length()), (300, Some(1_000)));
            assert_eq!(
                length(&p),
                Some(1_100),
                "the declared length counts at once"
            );
            line.update(chiso_extract::Downloaded {
                bytes: 1_000,
                of: Some(1_000),
            });
            assert_eq!(length(&p), Some(1_100), "counted once");
        }
        downloads.sized(1, 990); // the file is what counts in the end
        assert_eq!(length(&p), Some(1_090));
        p.within(1, 500, "news");
        assert_eq!(p.position(), 600);
        p.done(1, None, "news");
        assert_eq!(p.position(), 1_090);
        // A server that declares no length: the line's length is what has come so far.
        let line = downloads.start(2, "more");
        line.update(chiso_extract::Downloaded {
            bytes: 400,
            of: None,
        });
        let bar = line.line.as_ref().expect("a line");
        assert_eq!((bar.position(), bar.length()), (400, Some(400)));
        assert_eq!(length(&p), Some(1_090));
    }

    #[test]
    fn source_progress_counts_sources_and_ignores_bytes() {
        let mut p = hidden(3, None);
        p.done(0, None, "a");
        p.within(1, 400, "news");
        p.done(1, None, "b");
        assert_eq!(p.position(), 2);
    }

    /// Not on a terminal (as under `cargo test`), nothing is drawn and nothing is counted.
    #[test]
    fn no_bar_off_a_terminal() {
        let mut p = Progress::bytes(vec![Some(10), None], "reading", false);
        p.done(0, None, "a");
        p.within(1, 5, "b");
        let downloads = p.downloads();
        downloads.start(1, "b").update(chiso_extract::Downloaded {
            bytes: 5,
            of: Some(20),
        });
        downloads.sized(1, 20);
        assert!(p.bar.is_none() || std::io::stderr().is_terminal());
        // Quiet, there is no bar even on a terminal, and downloads draw and count nothing.
        let quiet = Progress::bytes(vec![Some(10), None], "reading", true);
        assert!(quiet.bar.is_none() && quiet.sizes.is_none());
        let downloads = quiet.downloads();
        let line = downloads.start(1, "b");
        line.update(chiso_extract::Downloaded {
            bytes: 5,
            of: Some(20),
        });
        assert!(line.line.is_none());
    }
}
