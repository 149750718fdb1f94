use crate::PartialDate;

/// Where a document came from and what the pipeline says about it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SourceMeta {
    /// Publication date as far as known; resolves "năm nay", "hiện nay".
    pub published: Option<PartialDate>,
    /// ISO 3166-2:VN code of the subject area when the text does not say.
    pub geo: Option<String>,
    /// Path or URL it was read from.
    pub origin: String,
    /// Hex SHA-256 of the raw bytes.
    pub sha256: String,
    /// Size of the raw bytes.
    pub bytes: u64,
    /// How the bytes were decoded, e.g. "utf-8" or "windows-1258".
    pub encoding: String,
}

/// A source's text, NFC-normalised, ready for the transform stage.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The source id from the pipeline.
    pub source_id: String,
    /// The NFC text. Offsets everywhere in chiso are code points into it.
    pub text: String,
    /// Provenance.
    pub meta: SourceMeta,
}
