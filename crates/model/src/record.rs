use std::sync::Arc;

use crate::{Base, Comparator, Kind, Measure, Period, Span, Unit};

/// One indicator statement: the tidy row of `indicators.parquet`.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorRecord {
    /// Id of the source the statement was read from.
    pub source_id: String,
    /// Catalogue id, e.g. `gdp_growth`.
    pub indicator: String,
    /// ISO 3166-2:VN code, `VN` for the country.
    pub geo_code: Option<String>,
    /// The gazetteer's id of the place: its code for the units of 2008 to 2025 (`VN-02`), its
    /// code and `-2025` for a unit formed on 2025-07-01 (`VN-02-2025`, which keeps the code of
    /// the former unit whose name it keeps), a region's id. It tells the province before the
    /// merger from the one after where they share a code and a name.
    pub geo_id: Option<String>,
    /// Official name of the place.
    pub geo_name: Option<String>,
    /// Reference period.
    pub period: Option<Period>,
    /// What the value measures.
    pub measure: Measure,
    /// What a change or a growth rate is measured against, when the text says.
    pub base: Option<Base>,
    /// The base's period, when it is known: the period the text names, or the one `base`
    /// gives from `period` (`year_ago` of 2023-Q1 is 2022-Q1).
    pub base_period: Option<Period>,
    /// Achieved, estimated, targeted or forecast.
    pub kind: Kind,
    /// Relation of the stated value to the true one.
    pub comparator: Comparator,
    /// Low value in base units.
    pub value_low: f64,
    /// High value in base units (equal to `value_low` for a single value).
    pub value_high: f64,
    /// Unit.
    pub unit: Unit,
    /// For ranks: the size of the ranking.
    pub rank_total: Option<u32>,
    /// For ranks: the ranking group when chiso knows it (`VN-provinces`, a region id), so rules
    /// can check the rank against the group's size.
    pub rank_group: Option<String>,
    /// For counts of a whole ("24/25 chỉ tiêu"): the whole.
    pub of_total: Option<f64>,
    /// The sentence the statement comes from. Shared: the statements of one sentence hold one
    /// copy of it.
    pub quote: Arc<str>,
    /// Code-point span of the number expression in the source's NFC text.
    pub span: Span,
    /// How many times the source states it (repeated paragraphs count once).
    pub occurrences: u32,
}

impl IndicatorRecord {
    /// The single value, or `None` for a range.
    pub fn value(&self) -> Option<f64> {
        (self.value_low == self.value_high).then_some(self.value_low)
    }

    /// The place as one unit of the map, to tell places apart by: `geo_id`, else `geo_code`
    /// (the Lào Cai before the 2025 merger and the one after share `VN-02`).
    pub fn geo_unit(&self) -> Option<&str> {
        self.geo_id.as_deref().or(self.geo_code.as_deref())
    }
}
