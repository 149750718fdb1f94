//! `chiso`: Vietnamese news and government text in, validated indicator Parquet out.
//!
//! Exit codes: 0 all good; 1 a rule of severity `error` failed (outputs are still written);
//! 2 usage or configuration error (nothing written); 3 a source could not be read (the others
//! are processed and written, the failure recorded in sources.parquet and run.json).

mod adhoc;
mod dedup;
mod inspect;
mod progress;
mod run;
mod score;
mod source_log;
mod stream;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
// The pipeline file's parser is a crate of its own (chiso-config, reachable from the fuzz
// targets without the stages); `crate::config::Pipeline` keeps naming it here.
use chiso_config as config;

/// mimalloc rather than the system allocator: the transform stage makes many small strings per
/// document on every worker thread (measured in docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit code: every rule of severity `error` passed and every source was read.
pub const EXIT_OK: u8 = 0;
/// Exit code: a rule of severity `error` failed; outputs are written.
pub const EXIT_RULE_FAILED: u8 = 1;
/// Exit code: usage or configuration error; nothing is written.
pub const EXIT_CONFIG: u8 = 2;
/// Exit code: a source could not be read; the others are processed and written.
pub const EXIT_SOURCE_FAILED: u8 = 3;

#[derive(Debug, Parser)]
#[command(
    name = "chiso",
    version,
    about = "Turn Vietnamese news and government text into validated indicator datasets in Parquet.",
    after_help = "Examples:\n  chiso run pipelines/lao-cai/pipeline.toml\n  chiso inspect output/lao-cai\n  chiso check pipelines/lao-cai/pipeline.toml\n  chiso extract article.txt --published 2023-04 --geo VN-02\n\nExit codes: 0 ok; 1 an error-severity rule failed (outputs written); 2 usage or configuration error; 3 a source could not be read."
)]
struct Cli {
    /// Log more (-v: debug, -vv: trace).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    verbose: u8,
    /// Log only errors.
    #[arg(short, long, global = true)]
    quiet: bool,
    /// Log format on stderr.
    #[arg(long, value_enum, default_value_t = LogFormat::Text, global = true)]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run pipelines end to end: extract, transform, validate, load.
    #[command(
        after_help = "Examples:\n  chiso run pipelines/lao-cai/pipeline.toml --out output/lao-cai\n  chiso run pipelines/*/pipeline.toml --dataset output/dataset"
    )]
    Run {
        /// Pipeline files; every one is checked before any is run.
        #[arg(required = true)]
        pipelines: Vec<PathBuf>,
        /// Output directory, with one pipeline only (default: output/<pipeline name>).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Also put every pipeline's indicator rows into this Hive-partitioned dataset
        /// (DIR/indicator=<id>/<pipeline>.parquet), replacing the rows of its earlier runs.
        #[arg(long, value_name = "DIR")]
        dataset: Option<PathBuf>,
        /// Also fail (exit 1) when a rule of severity `warn` fails.
        #[arg(long, value_enum, default_value_t = FailOn::Error)]
        fail_on: FailOn,
        /// Cache of fetched URL bodies, revalidated with ETag/Last-Modified.
        #[arg(long, value_name = "DIR", default_value = "output/.cache")]
        cache: PathBuf,
        /// Read URL sources from the cache only; a source not in it fails.
        #[arg(long)]
        offline: bool,
        /// Do not write report.html (one an earlier run left in the output directory is
        /// removed).
        #[arg(long)]
        no_report: bool,
        /// Do not write mentions.parquet (every number with its sentence): indicator rows only,
        /// about a quarter less time and a third less memory on a large corpus. A
        /// mentions.parquet left by an earlier run in the output directory is removed.
        #[arg(long)]
        no_mentions: bool,
        /// Worker threads (default: the CHISO_THREADS environment variable, else every core).
        /// The output is the same bytes whatever the number.
        #[arg(long, value_name = "N")]
        threads: Option<usize>,
    },
    /// Score indicators.parquet of output directories against hand-made golden records:
    /// precision, recall and F1 per document and overall.
    #[command(
        after_help = "Example:\n  chiso score output/dev-corpus --golden tests/golden/dev-corpus/expected --report docs/quality.md\n\nExit code 1 when --min-f1 is given and not reached."
    )]
    Score {
        /// Output directories holding indicators.parquet.
        #[arg(required = true)]
        outputs: Vec<PathBuf>,
        /// Golden records: a directory of SOURCE_ID.json files, or SOURCE_ID=FILE.json.
        #[arg(long, required = true)]
        golden: Vec<String>,
        /// Write the Markdown report here instead of standard output.
        #[arg(long)]
        report: Option<PathBuf>,
        /// List every missed golden record and every extra row.
        #[arg(long)]
        details: bool,
        /// Exit 1 when the overall F1 is below this.
        #[arg(long)]
        min_f1: Option<f64>,
    },
    /// Print a shell completion script: `chiso completions bash > /etc/bash_completion.d/chiso`.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Validate the pipeline file and its rules file without reading any source.
    #[command(after_help = "Example:\n  chiso check pipelines/lao-cai/pipeline.toml")]
    Check {
        /// Pipeline files.
        #[arg(required = true)]
        pipelines: Vec<PathBuf>,
    },
    /// Summarise an output: indicators.parquet, validation.parquet, mentions.parquet,
    /// sources.parquet, an output directory or a dataset directory.
    #[command(
        after_help = "Examples:\n  chiso inspect output/lao-cai\n  chiso inspect output/lao-cai/validation.parquet\n  chiso inspect output/dataset --top 5"
    )]
    Inspect {
        /// A Parquet file, an output directory or a dataset directory.
        path: PathBuf,
        /// How many values to list per column (places, periods, ...).
        #[arg(long, default_value_t = 10)]
        top: usize,
    },
    /// The HTTP cache of fetched URL bodies (`run --cache`).
    #[command(subcommand)]
    Cache(CacheCommand),
    /// Extract indicator statements from text files, for exploring a new source.
    #[command(
        after_help = "Examples:\n  chiso extract article.txt --published 2023-04 --geo VN-02\n  chiso extract a.txt b.txt --format json --out rows.json\n  chiso extract news.jsonl   # a corpus, each document under its own id, date and place"
    )]
    Extract {
        /// Text, HTML or table files, directories of them, or JSON-lines/Parquet corpora (read
        /// document by document).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Publication date of the texts (of a corpus's documents that give none): YYYY,
        /// YYYY-MM or YYYY-MM-DD.
        #[arg(long)]
        published: Option<String>,
        /// The place the texts are about when they do not say (ISO 3166-2:VN, e.g. VN-02).
        #[arg(long)]
        geo: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = adhoc::OutFormat::Table)]
        format: adhoc::OutFormat,
        /// Write to this file instead of standard output (required for parquet).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
enum CacheCommand {
    /// Remove the bodies no URL names any more (a URL whose body changed leaves its earlier
    /// one behind) and the downloads of killed runs; bodies written in the last ten minutes
    /// stay. Run it when no `chiso run` is using the cache.
    #[command(after_help = "Example:\n  chiso cache prune --cache output/.cache")]
    Prune {
        /// The cache directory.
        #[arg(long, value_name = "DIR", default_value = "output/.cache")]
        cache: PathBuf,
    },
}

/// `chiso cache prune`: what was removed and what is kept.
fn prune_cache(cache: &std::path::Path) -> anyhow::Result<u8> {
    use anyhow::Context as _;
    let p = chiso_extract::prune_cache(cache)
        .with_context(|| format!("cannot prune the cache {}", cache.display()))?;
    let mb = |bytes: u64| bytes as f64 / 1e6;
    println!(
        "chiso cache prune {}: removed {} bodies ({:.1} MB) that no URL names; kept {} ({:.1} MB) for {} URLs",
        cache.display(),
        p.removed,
        mb(p.removed_bytes),
        p.kept,
        mb(p.kept_bytes),
        p.urls
    );
    Ok(EXIT_OK)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    Error,
    Warn,
}

/// Whether logs are JSON lines (`--log-format json`): then an error that ends a command is one
/// too.
static JSON_LOGS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Tells of an error (most often one that ends the command) on stderr: `error: …`, or with
/// `--log-format json` a JSON line as the logs are (`{"level":"ERROR","fields":{"message":
/// "…"}}`), so that a program reading the logs sees it too.
pub fn fail(message: &str) {
    if JSON_LOGS.load(std::sync::atomic::Ordering::Relaxed) {
        let line = serde_json::json!({ "level": "ERROR", "fields": { "message": message } });
        eprintln!("{line}");
    } else {
        eprintln!("error: {message}");
    }
}

fn init_logging(cli: &Cli) {
    use tracing_subscriber::EnvFilter;
    let level = if cli.quiet {
        "error"
    } else {
        match cli.verbose {
            0 => "info",
            1 => "debug",
            _ => "trace",
        }
    };
    let filter = EnvFilter::try_from_env("CHISO_LOG").unwrap_or_else(|_| EnvFilter::new(level));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(|| crate::progress::LogWriter)
        .with_target(false);
    match cli.log_format {
        LogFormat::Json => {
            JSON_LOGS.store(true, std::sync::atomic::Ordering::Relaxed);
            builder.json().init()
        }
        LogFormat::Text => builder
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .without_time()
            .init(),
    }
}

/// `s` cut to `max` characters, with "…" when it was longer (summary and inspect tables).
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(max).collect();
        t.push('…');
        t
    }
}

/// An error and its causes on one line, as `{:#}` gives them, without a cause whose text the
/// line already ends with: many errors end their message with their cause's ("cannot read
/// rules file x.toml: No such file or directory (os error 2)") and give it as their source too.
pub fn error_text(e: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in e.chain() {
        let part = cause.to_string();
        if text.ends_with(&part) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&part);
    }
    text
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(&cli);
    // A panic inside a dependency's reader (calamine on a corrupt workbook) is caught where the
    // reader is called and reported as that source's failure; say nothing more of it here.
    // Anything else is a bug in chiso: say so plainly.
    std::panic::set_hook(Box::new(|info| {
        let in_dependency = info
            .location()
            .is_some_and(|l| l.file().contains("/.cargo/registry/"));
        if !in_dependency {
            eprintln!("internal error (a bug in chiso, please report it): {info}");
        }
    }));
    let quiet = cli.quiet;
    let result = match cli.command {
        Command::Run {
            pipelines,
            out,
            dataset,
            fail_on,
            cache,
            offline,
            no_report,
            no_mentions,
            threads,
        } => run::run(
            &pipelines,
            &run::RunOptions {
                out,
                dataset,
                fail_on_warn: fail_on == FailOn::Warn,
                cache: Some(cache),
                offline,
                no_report,
                no_mentions,
                threads,
                quiet,
            },
        ),
        Command::Inspect { path, top } => inspect::inspect(&path, top),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            clap_complete::generate(shell, &mut Cli::command(), "chiso", &mut std::io::stdout());
            Ok(EXIT_OK)
        }
        Command::Score {
            outputs,
            golden,
            report,
            details,
            min_f1,
        } => score::score(&outputs, &golden, report.as_deref(), details, min_f1),
        Command::Check { pipelines } => run::check(&pipelines),
        Command::Cache(CacheCommand::Prune { cache }) => prune_cache(&cache),
        Command::Extract {
            files,
            published,
            geo,
            format,
            out,
        } => adhoc::extract(
            &files,
            published.as_deref(),
            geo.as_deref(),
            format,
            out.as_deref(),
        ),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            fail(&error_text(&e));
            ExitCode::from(EXIT_CONFIG)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::error_text;

    #[test]
    fn an_error_line_names_each_cause_once() {
        let io = std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "No such file or directory (os error 2)",
        );
        // As thiserror errors that print their source and also return it do.
        #[derive(Debug)]
        struct Named(std::io::Error);
        impl std::fmt::Display for Named {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "cannot read rules file r.toml: {}", self.0)
            }
        }
        impl std::error::Error for Named {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                Some(&self.0)
            }
        }
        let e = anyhow::Error::new(Named(io)).context("pipeline p.toml");
        assert_eq!(
            error_text(&e),
            "pipeline p.toml: cannot read rules file r.toml: No such file or directory (os error 2)"
        );
        // Causes that add something are all kept.
        let e = anyhow::anyhow!("disk full")
            .context("cannot write a.parquet")
            .context("run p");
        assert_eq!(error_text(&e), "run p: cannot write a.parquet: disk full");
        // A cause whose text only happens to appear in the line is kept.
        let e = anyhow::anyhow!("a").context("cannot read a.toml");
        assert_eq!(error_text(&e), "cannot read a.toml: a");
    }
}
