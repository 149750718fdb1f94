//! Progress for long work: a bar on a terminal, nothing otherwise (the structured logs say
//! what happened, one line per source, and stay clean when piped or in CI).

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress bar, drawn on stderr only when it is a terminal: over sources, or over the bytes
/// of a run's files when it reads corpus files (one file can hold a year of news, so a bar of
/// sources would sit at 0/1 for the whole run).
#[derive(Default)]
pub struct Progress {
    bar: Option<ProgressBar>,
    /// Counting bytes: each source's size on disk by index (0 for a URL); `None` counts sources.
    sizes: Option<Vec<u64>>,
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
        let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
        Progress::drawn(bar, "{pos}/{len} {wide_msg} {elapsed}", what, None)
    }

    /// A bar over the bytes of the sources' files, `sizes` by source index (as stored, so a
    /// compressed corpus counts its compressed bytes); hidden as [`Progress::new`] is.
    pub fn bytes(sizes: Vec<u64>, what: &str, quiet: bool) -> Progress {
        let total = sizes.iter().sum();
        if total == 0 || !Progress::shown(quiet) {
            return Progress::default();
        }
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        let template = "{bytes}/{total_bytes} ({bytes_per_sec}, eta {eta}) {wide_msg}";
        Progress::drawn(bar, template, what, Some(sizes))
    }

    /// Whether a bar is drawn at all: not with `quiet`, and only on a terminal.
    pub fn shown(quiet: bool) -> bool {
        !quiet && std::io::stderr().is_terminal()
    }

    fn drawn(bar: ProgressBar, template: &str, what: &str, sizes: Option<Vec<u64>>) -> Progress {
        let style = ProgressStyle::with_template(&format!("{{prefix:>9}} [{{bar:30}}] {template}"))
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        bar.set_style(style);
        bar.set_prefix(what.to_owned());
        bar.enable_steady_tick(Duration::from_millis(120));
        Progress {
            bar: Some(bar),
            sizes,
            done: 0,
        }
    }

    /// Source `index` is done; `message` names it (a source id).
    pub fn done(&mut self, index: usize, message: &str) {
        let Some(bar) = &self.bar else { return };
        bar.set_message(message.to_owned());
        match &self.sizes {
            Some(sizes) => {
                self.done += sizes.get(index).copied().unwrap_or(0);
                bar.set_position(self.done);
            }
            None => bar.inc(1),
        }
    }

    /// Corpus source `index`, named `message`, is read up to byte `at` of its file.
    pub fn within(&self, index: usize, at: u64, message: &str) {
        if let (Some(bar), Some(sizes)) = (&self.bar, &self.sizes) {
            let size = sizes.get(index).copied().unwrap_or(0);
            bar.set_message(message.to_owned());
            bar.set_position(self.done + at.min(size));
        }
    }

    /// Removes the bar, so the summary that follows starts on a clean line.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
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
        Progress {
            bar: Some(bar),
            sizes,
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
        p.done(0, "article");
        assert_eq!(p.position(), 100);
        p.within(1, 400, "news");
        assert_eq!(p.position(), 500);
        assert_eq!(
            p.bar.as_ref().map(ProgressBar::message).as_deref(),
            Some("news")
        );
        p.within(1, 5_000, "news");
        assert_eq!(p.position(), 1_100);
        p.done(1, "news");
        assert_eq!(p.position(), 1_100);
    }

    #[test]
    fn source_progress_counts_sources_and_ignores_bytes() {
        let mut p = hidden(3, None);
        p.done(0, "a");
        p.within(1, 400, "news");
        p.done(1, "b");
        assert_eq!(p.position(), 2);
    }

    /// Not on a terminal (as under `cargo test`), nothing is drawn and nothing is counted.
    #[test]
    fn no_bar_off_a_terminal() {
        let mut p = Progress::bytes(vec![10, 20], "reading", false);
        p.done(0, "a");
        p.within(1, 5, "b");
        assert!(p.bar.is_none() || std::io::stderr().is_terminal());
        assert!(Progress::bytes(vec![10], "reading", true).bar.is_none());
    }
}
