use thiserror::Error;

/// Errors of the model crate: values that do not make a valid domain object.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Error {
    /// A date or partial date that does not exist or cannot be read.
    #[error("invalid date {input:?}: {reason}")]
    InvalidDate {
        /// The text that was read.
        input: String,
        /// Why it is not a date.
        reason: &'static str,
    },
    /// A vocabulary word (measure, kind, unit, ...) that chiso does not know.
    #[error("unknown {what} {input:?} (expected one of: {expected})")]
    UnknownTerm {
        /// Which vocabulary, e.g. "measure".
        what: &'static str,
        /// The word that was read.
        input: String,
        /// The accepted words, comma separated.
        expected: String,
    },
}

/// Result alias of the model crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
