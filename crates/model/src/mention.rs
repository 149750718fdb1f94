use crate::{Comparator, PeriodRef, Unit};

/// A half-open range `[start, end)` into a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    /// First position.
    pub start: usize,
    /// One past the last position.
    pub end: usize,
}

impl Span {
    /// A span.
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// Length in positions.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// Whether the span is empty.
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    /// Whether `other` lies within this span.
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// What a numeric expression is. Only some kinds can be indicator values; the others are typed
/// so that nothing downstream mistakes a year or a decree number for a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MentionKind {
    /// A bare number with no unit: "18", "ba".
    Number,
    /// A number of things named after it: "24 chỉ tiêu", "sáu tỉnh".
    Count,
    /// A percent: "19,3%", "85,03 %", "5 phần trăm".
    Percent,
    /// Percentage points: "1,5 điểm phần trăm".
    PercentagePoints,
    /// An amount of money: "68.000 tỷ đồng", "1,5 tỷ USD".
    Money,
    /// A physical quantity: "73.467ha", "6.071km2", "1,2 triệu tấn".
    Quantity,
    /// A range of two values: "4-5%", "từ 7,0% đến 7,5%".
    Range,
    /// A position in a ranking: "thứ 4/14", "xếp thứ tư".
    Rank,
    /// A change of rank: "tăng 3 bậc".
    RankChange,
    /// A multiplier: "gấp hai lần", "tăng 5,6 lần".
    Multiplier,
    /// An actual/target pair or a part of a whole: "45.799/36.875 tỷ đồng", "7/10 chỉ tiêu".
    SlashPair,
    /// A calendar year on its own: "năm 2022".
    Year,
    /// A reference period: "quý I/2023", "6 tháng đầu năm", "giai đoạn 2021-2025".
    Period,
    /// A calendar date: "29/3/2023".
    Date,
    /// A time of day: "17:38".
    Time,
    /// A legal document number: "316/QĐ-TTg", "11-NQ/TW".
    DocumentNumber,
    /// A list enumerator: "Một là", "(1)", "thứ nhất," at a list start.
    Enumerator,
    /// A footnote mark: "[1]".
    Footnote,
    /// A congress, term or session number: "Đại hội XIII", "khóa 16".
    Ordinal,
    /// A photo label: "ảnh 1".
    PhotoLabel,
    /// A phone number.
    Phone,
}

impl MentionKind {
    /// Every kind, in declaration order.
    pub const ALL: &'static [MentionKind] = &[
        MentionKind::Number,
        MentionKind::Count,
        MentionKind::Percent,
        MentionKind::PercentagePoints,
        MentionKind::Money,
        MentionKind::Quantity,
        MentionKind::Range,
        MentionKind::Rank,
        MentionKind::RankChange,
        MentionKind::Multiplier,
        MentionKind::SlashPair,
        MentionKind::Year,
        MentionKind::Period,
        MentionKind::Date,
        MentionKind::Time,
        MentionKind::DocumentNumber,
        MentionKind::Enumerator,
        MentionKind::Footnote,
        MentionKind::Ordinal,
        MentionKind::PhotoLabel,
        MentionKind::Phone,
    ];

    /// The stable spelling used in `mentions.parquet`.
    pub fn as_str(self) -> &'static str {
        match self {
            MentionKind::Number => "number",
            MentionKind::Count => "count",
            MentionKind::Percent => "percent",
            MentionKind::PercentagePoints => "percentage_points",
            MentionKind::Money => "money",
            MentionKind::Quantity => "quantity",
            MentionKind::Range => "range",
            MentionKind::Rank => "rank",
            MentionKind::RankChange => "rank_change",
            MentionKind::Multiplier => "multiplier",
            MentionKind::SlashPair => "slash_pair",
            MentionKind::Year => "year",
            MentionKind::Period => "period",
            MentionKind::Date => "date",
            MentionKind::Time => "time",
            MentionKind::DocumentNumber => "document_number",
            MentionKind::Enumerator => "enumerator",
            MentionKind::Footnote => "footnote",
            MentionKind::Ordinal => "ordinal",
            MentionKind::PhotoLabel => "photo_label",
            MentionKind::Phone => "phone",
        }
    }

    /// Whether a mention of this kind can carry an indicator value.
    pub fn is_value(self) -> bool {
        matches!(
            self,
            MentionKind::Number
                | MentionKind::Count
                | MentionKind::Percent
                | MentionKind::PercentagePoints
                | MentionKind::Money
                | MentionKind::Quantity
                | MentionKind::Range
                | MentionKind::Rank
                | MentionKind::RankChange
                | MentionKind::Multiplier
                | MentionKind::SlashPair
        )
    }
}

/// One numeric expression found in a text, with its parsed value.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// Code-point offsets into the NFC text.
    pub span: Span,
    /// Byte offsets into the same text: the expression as written is `text[bytes]`
    /// ([`Mention::text_in`]). Not kept beside them: a long document has hundreds of thousands of
    /// mentions, and one allocation each for what its text already holds is most of their cost.
    pub bytes: Span,
    /// What it is.
    pub kind: MentionKind,
    /// Low value (equal to `value_high` for a single value), in base units.
    pub value_low: Option<f64>,
    /// High value, in base units.
    pub value_high: Option<f64>,
    /// Unit of the values.
    pub unit: Option<Unit>,
    /// Comparator words around the number ("hơn", "khoảng", "trở lên").
    pub comparator: Comparator,
    /// For ranks: the size of the ranking ("4/14" gives 14).
    pub rank_total: Option<u32>,
    /// For slash pairs: the second value ("7/10 chỉ tiêu" gives 10, "83,2%/50%" gives 50).
    pub of_total: Option<f64>,
    /// The noun a count counts ("24 chỉ tiêu" counts "chỉ tiêu").
    pub counted_noun: Option<Box<str>>,
    /// For periods, years and dates: the period they name.
    pub period: Option<PeriodRef>,
    /// How an ambiguous form was read, when it was ("dot read as thousands separator").
    pub reading: Option<&'static str>,
}

impl Mention {
    /// A mention with no value, of the given kind.
    pub fn new(kind: MentionKind, span: Span, bytes: Span) -> Mention {
        Mention {
            span,
            bytes,
            kind,
            value_low: None,
            value_high: None,
            unit: None,
            comparator: Comparator::Eq,
            rank_total: None,
            of_total: None,
            counted_noun: None,
            period: None,
            reading: None,
        }
    }

    /// The expression as written in `text`, the text it was found in: `text[bytes]`.
    ///
    /// # Panics
    ///
    /// If `bytes` is not a range of char boundaries of `text` (another text than the mention's).
    pub fn text_in<'a>(&self, text: &'a str) -> &'a str {
        &text[self.bytes.start..self.bytes.end]
    }

    /// Sets a single value.
    pub fn with_value(mut self, v: f64) -> Mention {
        self.value_low = Some(v);
        self.value_high = Some(v);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An exhaustive match: adding a kind without listing it in `ALL` fails to compile here.
    fn position(k: MentionKind) -> usize {
        use MentionKind::*;
        match k {
            Number => 0,
            Count => 1,
            Percent => 2,
            PercentagePoints => 3,
            Money => 4,
            Quantity => 5,
            Range => 6,
            Rank => 7,
            RankChange => 8,
            Multiplier => 9,
            SlashPair => 10,
            Year => 11,
            Period => 12,
            Date => 13,
            Time => 14,
            DocumentNumber => 15,
            Enumerator => 16,
            Footnote => 17,
            Ordinal => 18,
            PhotoLabel => 19,
            Phone => 20,
        }
    }

    #[test]
    fn all_lists_every_kind_once_in_order() {
        for (i, k) in MentionKind::ALL.iter().enumerate() {
            assert_eq!(position(*k), i, "{k:?}");
        }
        assert_eq!(MentionKind::ALL.len(), 21);
    }
}
