//! The page's only style and script, inlined; the Content-Security-Policy allows exactly these
//! by their SHA-256.

/// The stylesheet (screen and print).
pub(crate) const CSS: &str = include_str!("assets/report.css");
/// The script: table sorting and filtering, nothing else.
pub(crate) const JS: &str = include_str!("assets/report.js");
