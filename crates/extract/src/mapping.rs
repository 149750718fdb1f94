//! `[sources.table]` in a pipeline file: how a table of places by year maps to an indicator.
//! The raw serde struct mirrors the TOML; [`TableMappingConfig::validate`] turns it into the
//! model's [`TableMapping`], which transform reads.
//!
//! ```toml
//! [[sources]]
//! id = "thu-nhap-2018"
//! path = "sources/thunhapbinhquan.csv"
//! [sources.table]
//! indicator = "income_per_capita"      # catalogue id
//! table = "M09+"                       # optional: only this sheet / table (`table-2` in HTML)
//! place_column = "Name_EN"             # the column naming the place
//! place_key = "name"                   # or "gso_code"
//! year = 2018                          # the table is about one year ...
//! value_column = "income_total_average"
//! # year_columns = true                # ... or wide: every column headed by a year
//! # year_columns = ["2013", "2014"]    #     or these columns
//! # year_column = "year"               # ... or long: a year column and value_column
//! unit = "vnd_per_person_month"        # unit after scaling (chiso_model::Unit spelling)
//! scale = 1000                         # "nghìn đồng" to đồng
//! unit_label = "nghìn đồng/người/tháng" # optional, for quotes
//! measure = "level"                    # optional (default level)
//! kind = "actual"                      # optional (default actual; "target" for a plan)
//! # rank_group = "VN-provinces"         # with measure = "rank": the ranking group (or a region id)
//! # rank_total = 63                     #   and how many places it ranks (the group's size if left out)
//! skip_places = ["Cả nước", "TỔNG SỐ"] # optional: totals and regions to leave out silently
//! ```

use chiso_model::{Kind, Measure, PlaceKey, TableMapping, Unit, YearLayout};
use serde::Deserialize;

use crate::{Error, Result};

/// `year_columns = true` or a list of column names.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum YearColumns {
    /// `true`: every column whose header is a year; `false` is the same as leaving it out.
    All(bool),
    /// These columns.
    Named(Vec<String>),
}

/// `[sources.table]` as written in the pipeline file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableMappingConfig {
    /// Catalogue id of the indicator.
    pub indicator: String,
    /// Only the table (sheet) of this name.
    #[serde(default)]
    pub table: Option<String>,
    /// The column naming the place.
    pub place_column: String,
    /// `"name"` (default) or `"gso_code"`.
    #[serde(default)]
    pub place_key: Option<String>,
    /// Wide layout: `true` or a list of columns.
    #[serde(default)]
    pub year_columns: Option<YearColumns>,
    /// Long layout: the column with the year.
    #[serde(default)]
    pub year_column: Option<String>,
    /// One year for the whole table.
    #[serde(default)]
    pub year: Option<i32>,
    /// Long and one-year layouts: the column with the value.
    #[serde(default)]
    pub value_column: Option<String>,
    /// Unit of the values after scaling.
    pub unit: Unit,
    /// Factor from the table's numbers to `unit` (default 1).
    #[serde(default)]
    pub scale: Option<f64>,
    /// The table's own unit in words, for quotes.
    #[serde(default)]
    pub unit_label: Option<String>,
    /// Measure of every value (default `level`).
    #[serde(default)]
    pub measure: Option<Measure>,
    /// Kind of every value (default `actual`).
    #[serde(default)]
    pub kind: Option<Kind>,
    /// With `measure = "rank"`: how many places the ranking has.
    #[serde(default)]
    pub rank_total: Option<u32>,
    /// With `measure = "rank"`: the ranking group (`VN-provinces`, a region id).
    #[serde(default)]
    pub rank_group: Option<String>,
    /// Places left out without a warning.
    #[serde(default)]
    pub skip_places: Vec<String>,
}

impl TableMappingConfig {
    /// Checks the keys against each other and builds the mapping. The indicator id and unit are
    /// checked against the catalogue by transform (`chiso_transform::tables::check_mapping`).
    /// Errors name the source and the key, e.g. `table.value_column`.
    pub fn validate(&self, source_id: &str) -> Result<TableMapping> {
        let err = |key: &'static str, reason: String| Error::Mapping {
            source_id: source_id.to_owned(),
            key,
            reason,
        };
        let non_empty = |key: &'static str, value: &str| {
            if value.trim().is_empty() {
                Err(err(key, "must not be empty".into()))
            } else {
                Ok(value.trim().to_owned())
            }
        };
        let indicator = non_empty("table.indicator", &self.indicator)?;
        let place_column = non_empty("table.place_column", &self.place_column)?;
        let place_key = match self.place_key.as_deref() {
            None | Some("name") => PlaceKey::Name,
            Some("gso_code") => PlaceKey::GsoCode,
            Some(other) => {
                return Err(err(
                    "table.place_key",
                    format!("{other:?} is not a place key; expected \"name\" or \"gso_code\""),
                ));
            }
        };
        let wide = match &self.year_columns {
            None | Some(YearColumns::All(false)) => None,
            Some(YearColumns::All(true)) => Some(Vec::new()),
            Some(YearColumns::Named(cols)) if cols.is_empty() => {
                return Err(err(
                    "table.year_columns",
                    "an empty list; use `true` for every column headed by a year".into(),
                ));
            }
            Some(YearColumns::Named(cols)) => Some(cols.clone()),
        };
        let value_column = self.value_column.as_deref().map(str::trim);
        let years = match (wide, &self.year_column, self.year) {
            (Some(columns), None, None) => {
                if value_column.is_some() {
                    return Err(err(
                        "table.value_column",
                        "not used with year_columns: the values are in the year columns".into(),
                    ));
                }
                YearLayout::YearColumns { columns }
            }
            (None, Some(year_column), None) => YearLayout::YearColumn {
                year_column: non_empty("table.year_column", year_column)?,
                value_column: non_empty(
                    "table.value_column",
                    value_column.ok_or_else(|| {
                        err("table.value_column", "needed with year_column".into())
                    })?,
                )?,
            },
            (None, None, Some(year)) => {
                if !(1900..=2100).contains(&year) {
                    return Err(err(
                        "table.year",
                        format!("{year} is not a year in 1900..=2100"),
                    ));
                }
                YearLayout::Fixed {
                    year,
                    value_column: non_empty(
                        "table.value_column",
                        value_column
                            .ok_or_else(|| err("table.value_column", "needed with year".into()))?,
                    )?,
                }
            }
            (None, None, None) => {
                return Err(err(
                    "table.year_columns",
                    "say where the years are: year_columns = true, year_column = \"…\" or year = 2020"
                        .into(),
                ));
            }
            _ => {
                return Err(err(
                    "table.year_columns",
                    "give only one of year_columns, year_column and year".into(),
                ));
            }
        };
        let scale = self.scale.unwrap_or(1.0);
        if !scale.is_finite() || scale <= 0.0 {
            return Err(err(
                "table.scale",
                format!("{scale} is not a positive number"),
            ));
        }
        let measure = self.measure.unwrap_or(Measure::Level);
        if self.rank_group.is_some() && measure != Measure::Rank {
            return Err(err(
                "table.rank_group",
                format!("only for a table of ranks (measure = \"rank\"), not of {measure}"),
            ));
        }
        let rank_group = match self.rank_group.as_deref() {
            Some(g) => Some(non_empty("table.rank_group", g)?),
            None => None,
        };
        match self.rank_total {
            Some(_) if measure != Measure::Rank => {
                return Err(err(
                    "table.rank_total",
                    format!("only for a table of ranks (measure = \"rank\"), not of {measure}"),
                ));
            }
            Some(0) => {
                return Err(err(
                    "table.rank_total",
                    "0 places: a ranking has at least one".into(),
                ));
            }
            _ => {}
        }
        Ok(TableMapping {
            indicator,
            table: self.table.as_ref().map(|t| t.trim().to_owned()),
            place_column,
            place_key,
            years,
            unit: self.unit,
            scale,
            unit_label: self.unit_label.clone(),
            measure,
            kind: self.kind.unwrap_or_default(),
            rank_total: self.rank_total,
            rank_group,
            skip_places: self.skip_places.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> std::result::Result<TableMappingConfig, toml::de::Error> {
        toml::from_str(text)
    }

    #[test]
    fn the_three_layouts() {
        let wide = parse(
            "indicator = \"aquaculture\"\nplace_column = \"Name\"\nyear_columns = true\nunit = \"tonne\"",
        )
        .expect("valid");
        let m = wide.validate("s").expect("valid");
        assert_eq!(m.years, YearLayout::YearColumns { columns: vec![] });
        assert_eq!(
            (m.scale, m.kind, m.measure),
            (1.0, Kind::Actual, Measure::Level)
        );
        let long = parse(
            "indicator = \"budget_revenue\"\nplace_column = \"prov\"\nyear_column = \"year\"\n\
             value_column = \"total.rev\"\nunit = \"vnd\"\nscale = 1e6\nkind = \"actual\"",
        )
        .expect("valid");
        assert_eq!(
            long.validate("s").expect("valid").years,
            YearLayout::YearColumn {
                year_column: "year".into(),
                value_column: "total.rev".into()
            }
        );
        let fixed = parse(
            "indicator = \"income_per_capita\"\nplace_column = \"Code\"\nplace_key = \"gso_code\"\n\
             year = 2018\nvalue_column = \"income_total_average\"\nunit = \"vnd_per_person_month\"\nscale = 1000",
        )
        .expect("valid");
        let m = fixed.validate("s").expect("valid");
        assert_eq!(m.place_key, PlaceKey::GsoCode);
        assert_eq!(m.scale, 1000.0);
    }

    #[test]
    fn bad_mappings_name_the_key() {
        let unknown = parse("indicator = \"x\"\nplace_column = \"p\"\nyear = 2020\nvalue_column = \"v\"\nunit = \"vnd\"\ncolour = 1")
            .expect_err("unknown key");
        assert!(unknown.to_string().contains("colour"), "{unknown}");
        let bad_unit =
            parse("indicator = \"x\"\nplace_column = \"p\"\nyear = 2020\nunit = \"dong\"")
                .expect_err("unknown unit");
        assert!(
            bad_unit.to_string().contains("vnd_per_person_month"),
            "{bad_unit}"
        );
        let cases = [
            (
                "indicator = \"x\"\nplace_column = \"p\"\nunit = \"vnd\"",
                "table.year_columns",
            ),
            (
                "indicator = \"x\"\nplace_column = \"p\"\nyear = 2020\nyear_column = \"y\"\nvalue_column = \"v\"\nunit = \"vnd\"",
                "table.year_columns",
            ),
            (
                "indicator = \"x\"\nplace_column = \"p\"\nyear = 2020\nunit = \"vnd\"",
                "table.value_column",
            ),
            (
                "indicator = \"x\"\nplace_column = \"p\"\nyear = 20\nvalue_column = \"v\"\nunit = \"vnd\"",
                "table.year",
            ),
            (
                "indicator = \"x\"\nplace_column = \"p\"\nyear_columns = true\nunit = \"vnd\"\nscale = -1",
                "table.scale",
            ),
            (
                "indicator = \"\"\nplace_column = \"p\"\nyear_columns = true\nunit = \"vnd\"",
                "table.indicator",
            ),
            (
                "indicator = \"x\"\nplace_column = \"p\"\nplace_key = \"iso\"\nyear_columns = true\nunit = \"vnd\"",
                "table.place_key",
            ),
            (
                "indicator = \"x\"\nplace_column = \"p\"\nyear_columns = true\nunit = \"score\"\nrank_total = 63",
                "table.rank_total",
            ),
            (
                "indicator = \"x\"\nplace_column = \"p\"\nyear_columns = true\nunit = \"rank\"\nmeasure = \"rank\"\nrank_total = 0",
                "table.rank_total",
            ),
        ];
        for (text, key) in cases {
            let e = parse(text).expect("parses").validate("src").expect_err(key);
            let msg = e.to_string();
            assert!(msg.contains(key) && msg.contains("src"), "{text}: {msg}");
        }
    }
}
