use std::path::PathBuf;

/// Errors of the validate stage: rules files that cannot be read or do not make valid rules.
///
/// Evaluation itself does not fail: a rule that cannot be evaluated gives a
/// [`chiso_model::RuleResult`] with status `error`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The rules file could not be read.
    #[error("cannot read rules file {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The rules file is not valid: bad TOML, an unknown key or rule kind, a bad value.
    #[error("{origin}:{line}:{column}: `{key}`: {message}")]
    Config {
        /// The file name (or the origin given to [`crate::RuleSet::from_str`]).
        origin: String,
        /// 1-based line of the offending key or value.
        line: usize,
        /// 1-based column (in characters) of the offending key or value.
        column: usize,
        /// The key concerned, e.g. `rule[2].select.measure`.
        key: String,
        /// What is wrong.
        message: String,
    },
}

/// Result alias of the validate crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
