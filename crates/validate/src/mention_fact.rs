use std::sync::Arc;

/// A number as a text states it, for rules that check what a text says about itself
/// ("24 chỉ tiêu: 10 vượt, 11 đạt, 3 không đạt"; "gấp hai lần") rather than indicator rows.
///
/// The CLI builds these from the transform stage's mentions; `kind` is
/// [`chiso_model::MentionKind::as_str`].
#[derive(Debug, Clone, PartialEq)]
pub struct MentionFact {
    /// Id of the source the mention is in.
    pub source_id: String,
    /// Mention kind spelling: `count`, `multiplier`, `percent`, ...
    pub kind: String,
    /// Low value (equal to `value_high` for a single value).
    pub value_low: Option<f64>,
    /// High value.
    pub value_high: Option<f64>,
    /// Unit spelling ([`chiso_model::Unit::as_str`]).
    pub unit: Option<String>,
    /// The noun a count counts: "chỉ tiêu" in "24 chỉ tiêu".
    pub counted_noun: Option<String>,
    /// Comparator spelling ([`chiso_model::Comparator::as_str`]).
    pub comparator: String,
    /// The sentence the mention is in, as the transform quotes it (a very long sentence is cut
    /// around the number). The mentions of a sentence quoted whole share its text.
    pub sentence: Arc<str>,
    /// Code-point offset of the mention in the source's text.
    pub char_start: i64,
    /// The indicator the mention was attached to, when it was.
    pub indicator: Option<String>,
}
