//! Tables of places by year to indicator rows.
//!
//! A [`Table`] read by extract and the [`TableMapping`] of its source (the pipeline's
//! `[sources.table]`) give one [`IndicatorRecord`] per place × year cell: the place from the
//! place column through the [`Gazetteer`] (names in any spelling, or GSO codes), the year from
//! the column header (wide), a year column (long) or the mapping (one year), the value times the
//! mapping's scale in its unit.
//!
//! A table row has no sentence, so the record's `quote` is a rendering of the cell and its row,
//! `"Ha Noi, 2018: 6054 (nghìn đồng/người/tháng) [thunhapbinhquan.csv, row 2]"`, and its `span`
//! is `0..0`: an empty span at the start means "no offsets into a text" (the document text of a
//! table source is empty).
//!
//! ```
//! use chiso_model::{Cell, Kind, Measure, PlaceKey, Table, TableMapping, TableRow, Unit, YearLayout};
//! use chiso_transform::{catalogue::Catalogue, gazetteer::Gazetteer, tables::table_records};
//!
//! let table = Table {
//!     source_id: "thu-nhap".into(),
//!     origin: "sources/thunhap.csv".into(),
//!     name: "thunhap".into(),
//!     columns: vec!["Province".into(), "2016".into(), "2018".into()],
//!     rows: vec![TableRow { line: 2, cells: vec![Cell::text("Ha Noi"), Cell::number("5980", 5980.0), Cell::number("6054", 6054.0)] }],
//!     ..Table::default()
//! };
//! let mapping = TableMapping {
//!     indicator: "income_per_capita".into(),
//!     table: None,
//!     place_column: "Province".into(),
//!     place_key: PlaceKey::Name,
//!     years: YearLayout::YearColumns { columns: vec![] },
//!     unit: Unit::VndPerPersonMonth,
//!     scale: 1000.0,
//!     unit_label: Some("nghìn đồng/người/tháng".into()),
//!     measure: Measure::Level,
//!     kind: Kind::Actual,
//!     rank_total: None,
//!     rank_group: None,
//!     skip_places: vec![],
//! };
//! let out = table_records(&[table], &mapping, &Catalogue::builtin(), &Gazetteer::builtin())?;
//! assert_eq!(out.records.len(), 2);
//! let r = &out.records[0];
//! assert_eq!((r.geo_code.as_deref(), r.period.map(|p| p.label()), r.value_low), (Some("VN-HN"), Some("2016".into()), 5_980_000.0));
//! assert_eq!(&*r.quote, "Ha Noi, 2016: 5980 (nghìn đồng/người/tháng) [thunhap.csv, row 2]");
//! # Ok::<(), chiso_transform::gazetteer::Error>(())
//! ```

use chiso_model::{
    Comparator, Date, IndicatorRecord, Measure, Period, PlaceKey, Span, Table, TableMapping,
    TableRow, YearLayout,
};

use crate::catalogue::Catalogue;
use crate::gazetteer::{Error, Gazetteer, PlaceKind, Result};

/// The rows a mapping gives, and the rows it could not use.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TableRecords {
    /// One record per place × year with a number.
    pub records: Vec<IndicatorRecord>,
    /// Rows left out, with why: a place the gazetteer does not know, a value that is not a
    /// number, a year cell that is not a year. Places in `skip_places` and empty cells are left
    /// out without a note.
    pub skipped: Vec<String>,
}

fn err(table: &Table, line: usize, message: String) -> Error {
    let origin = match &table.sheet {
        Some(sheet) => format!(
            "source {} ({}, sheet {sheet:?})",
            table.source_id, table.origin
        ),
        None => format!("source {} ({})", table.source_id, table.origin),
    };
    Error::Data {
        origin,
        line,
        message,
    }
}

/// Checks a mapping against the catalogue and the gazetteer: the indicator exists and takes the
/// unit and measure, and a ranking group is one of the gazetteer's, of the size given.
pub fn check_mapping(
    mapping: &TableMapping,
    catalogue: &Catalogue,
    gazetteer: &Gazetteer,
) -> Result<()> {
    let fail = |message: String| Error::Data {
        origin: "[sources.table]".into(),
        line: 0,
        message,
    };
    let indicator = catalogue.get(&mapping.indicator).ok_or_else(|| {
        let ids = catalogue.indicators().iter().map(|i| i.id.as_str());
        let hint = match chiso_model::suggest::closest(&mapping.indicator, ids) {
            Some(near) => format!("; did you mean {near:?}?"),
            None => String::new(),
        };
        fail(format!(
            "key `table.indicator`: {:?} is not in the catalogue{hint}",
            mapping.indicator
        ))
    })?;
    if !indicator.units.contains(&mapping.unit) {
        let units: Vec<&str> = indicator.units.iter().map(|u| u.as_str()).collect();
        return Err(fail(format!(
            "key `table.unit`: {} does not take {}; expected one of {}",
            indicator.id,
            mapping.unit,
            units.join(", ")
        )));
    }
    if !indicator.measures.contains(&mapping.measure) {
        return Err(fail(format!(
            "key `table.measure`: {} does not take {}",
            indicator.id, mapping.measure
        )));
    }
    check_rank_group(mapping, gazetteer).map_err(fail)
}

/// Checks a mapping's ranking group: one of the gazetteer's, and of the size its `rank_total`
/// gives on one of the maps (a region's size after the 2025 merger is not known, and not
/// checked).
fn check_rank_group(
    mapping: &TableMapping,
    gazetteer: &Gazetteer,
) -> std::result::Result<(), String> {
    let Some(group) = &mapping.rank_group else {
        return Ok(());
    };
    let groups = gazetteer.group_sizes();
    let Some(sizes) = groups.get(group) else {
        let hint = match chiso_model::suggest::closest(group, groups.keys().map(String::as_str)) {
            Some(near) => format!("; did you mean {near:?}?"),
            None => String::new(),
        };
        return Err(format!(
            "key `table.rank_group`: {group:?} is not a ranking group or region of the gazetteer{hint}"
        ));
    };
    let known: Vec<u32> = sizes.iter().filter_map(|&(_, n)| n).collect();
    match mapping.rank_total {
        Some(total) if !known.contains(&total) => {
            let shown = sizes
                .iter()
                .filter_map(|&(from, n)| {
                    Some(match from {
                        None => n?.to_string(),
                        Some(day) => format!("{} from {day}", n?),
                    })
                })
                .collect::<Vec<_>>()
                .join(", ");
            Err(format!(
                "key `table.rank_total`: {total}, but {group} has {shown} places"
            ))
        }
        _ => Ok(()),
    }
}

/// `number × scale` without the binary noise the product picks up: a cell has at most 15
/// significant digits, so the product is rounded to 15 (1097245.823 × 10⁶ is 1097245823000, not
/// 1097245823000.0001).
fn scaled(number: f64, scale: f64) -> f64 {
    let product = number * scale;
    if !product.is_finite() || product == 0.0 {
        return product;
    }
    format!("{product:.14e}").parse().unwrap_or(product)
}

/// The year a header or cell names: a 4-digit year 1900..=2100, alone or as one " / " part of
/// a stacked header ("Năm / 2022").
fn year_of(text: &str) -> Option<i32> {
    text.split(" / ").map(str::trim).find_map(|part| {
        let y = part.strip_suffix(".0").unwrap_or(part);
        (y.len() == 4)
            .then(|| y.parse::<i32>().ok())
            .flatten()
            .filter(|y| (1900..=2100).contains(y))
    })
}

fn column(table: &Table, name: &str, key: &str) -> Result<usize> {
    table.column_index(name).ok_or_else(|| {
        err(
            table,
            table.header_row.unwrap_or(0),
            format!(
                "key `{key}`: no column {name:?} in table {:?}; its columns are: {}",
                table.name,
                table.columns.join(" | ")
            ),
        )
    })
}

/// (year, value column) pairs of a row, by layout.
enum Years {
    Columns(Vec<(i32, usize)>),
    Column { year: usize, value: usize },
    Fixed { year: i32, value: usize },
}

fn years(table: &Table, layout: &YearLayout) -> Result<Years> {
    Ok(match layout {
        YearLayout::YearColumns { columns } if columns.is_empty() => {
            let found: Vec<(i32, usize)> = table
                .columns
                .iter()
                .enumerate()
                .filter_map(|(i, c)| year_of(c).map(|y| (y, i)))
                .collect();
            if found.is_empty() {
                return Err(err(
                    table,
                    table.header_row.unwrap_or(0),
                    format!(
                        "key `table.year_columns`: no column of table {:?} is headed by a year; its columns are: {}",
                        table.name,
                        table.columns.join(" | ")
                    ),
                ));
            }
            Years::Columns(found)
        }
        YearLayout::YearColumns { columns } => {
            let mut found = Vec::new();
            for name in columns {
                let i = column(table, name, "table.year_columns")?;
                let year = year_of(name)
                    .or_else(|| year_of(&table.columns[i]))
                    .ok_or_else(|| {
                        err(
                            table,
                            0,
                            format!(
                                "key `table.year_columns`: column {name:?} is not headed by a year"
                            ),
                        )
                    })?;
                found.push((year, i));
            }
            Years::Columns(found)
        }
        YearLayout::YearColumn {
            year_column,
            value_column,
        } => Years::Column {
            year: column(table, year_column, "table.year_column")?,
            value: column(table, value_column, "table.value_column")?,
        },
        YearLayout::Fixed { year, value_column } => Years::Fixed {
            year: *year,
            value: column(table, value_column, "table.value_column")?,
        },
    })
}

/// The file name of an origin, for quotes that read the same on every machine.
fn file_name(origin: &str) -> &str {
    origin.rsplit(['/', '\\']).next().unwrap_or(origin)
}

fn quote(
    table: &Table,
    row: &TableRow,
    place: &str,
    year: i32,
    text: &str,
    mapping: &TableMapping,
) -> String {
    let unit = mapping
        .unit_label
        .as_deref()
        .map(|u| format!(" ({u})"))
        .unwrap_or_default();
    let sheet = table
        .sheet
        .as_deref()
        .map(|s| format!(", sheet {s}"))
        .unwrap_or_default();
    format!(
        "{place}, {year}: {text}{unit} [{}{sheet}, row {}]",
        file_name(&table.origin),
        row.line
    )
}

/// Turns the tables of one source into indicator rows following `mapping`. Every table is read,
/// or only the one `mapping.table` names. A missing column is an error naming the table and
/// its columns; a row that cannot be used is a note in [`TableRecords::skipped`].
pub fn table_records(
    tables: &[Table],
    mapping: &TableMapping,
    catalogue: &Catalogue,
    gazetteer: &Gazetteer,
) -> Result<TableRecords> {
    check_mapping(mapping, catalogue, gazetteer)?;
    let chosen: Vec<&Table> = tables
        .iter()
        .filter(|t| mapping.table.as_ref().is_none_or(|name| &t.name == name))
        .collect();
    if let (Some(name), true) = (&mapping.table, chosen.is_empty()) {
        let names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
        let origin = match tables.first() {
            Some(t) => format!("source {} ({}): [sources.table]", t.source_id, t.origin),
            None => "[sources.table]".into(),
        };
        return Err(Error::Data {
            origin,
            line: 0,
            message: format!(
                "key `table.table`: no table {name:?}; the source has: {}",
                names.join(", ")
            ),
        });
    }
    let skip: Vec<String> = mapping
        .skip_places
        .iter()
        .map(|p| crate::gazetteer::fold(p))
        .collect();
    let mut out = TableRecords::default();
    for table in chosen {
        let place_col = column(table, &mapping.place_column, "table.place_column")?;
        let layout = years(table, &mapping.years)?;
        for row in &table.rows {
            let place_text = row.cells[place_col].text.as_str();
            if place_text.is_empty() || skip.contains(&crate::gazetteer::fold(place_text)) {
                continue;
            }
            let cells: Vec<(i32, usize)> = match &layout {
                Years::Columns(cols) => cols.clone(),
                Years::Fixed { year, value } => vec![(*year, *value)],
                Years::Column { year, value } => {
                    let cell = &row.cells[*year];
                    match cell
                        .number
                        .map(|n| n as i32)
                        .filter(|y| (1900..=2100).contains(y))
                        .or_else(|| year_of(&cell.text))
                    {
                        Some(y) => vec![(y, *value)],
                        None => {
                            out.skipped.push(format!(
                                "{}: {:?} is not a year",
                                table.locate(row.line),
                                cell.text
                            ));
                            continue;
                        }
                    }
                }
            };
            for (year, value_col) in cells {
                let on = Date {
                    year,
                    month: 7,
                    day: 1,
                };
                let place = match mapping.place_key {
                    PlaceKey::Name => gazetteer.resolve(place_text, Some(on)),
                    PlaceKey::GsoCode => gazetteer.by_gso_code(place_text, Some(on)),
                }
                .filter(|p| p.kind != PlaceKind::RankingGroup);
                let Some(place) = place else {
                    out.skipped.push(format!(
                        "{}: place {place_text:?} is not in the gazetteer",
                        table.locate(row.line)
                    ));
                    break;
                };
                // A region's row is a subtotal of the provinces below it (as in the Ministry's
                // annexes), and rows hold provinces and the country only.
                if place.kind == PlaceKind::Region {
                    out.skipped.push(format!(
                        "{}: {place_text:?} is a region ({}), a subtotal: left out (skip_places \
                         leaves it out without this note)",
                        table.locate(row.line),
                        place.name
                    ));
                    break;
                }
                let cell = &row.cells[value_col];
                // A note on a cell that gives no value: "…, row 5: \"abc\" in column \"rev\" is
                // not a number".
                let cell_note = |what: &str| {
                    format!(
                        "{}: {:?} in column {:?} is {what}",
                        table.locate(row.line),
                        cell.text,
                        table.columns[value_col]
                    )
                };
                let Some(number) = cell.number else {
                    if !cell.text.is_empty() {
                        out.skipped.push(cell_note("not a number"));
                    }
                    continue;
                };
                // A unit that had ended before the row's year (Hà Tây after 2008): the table is
                // mislabelled or uses an old map, and its row would add a place that year never
                // had; a unit renamed under the same code (Thừa Thiên Huế, the city of Huế from
                // 2025) is its successor's. A unit's start is not checked: the gazetteer's units
                // start with the map of 2008, and statistics offices recompute past years on a
                // new map.
                let place = match place.valid_to.filter(|t| t.year < year) {
                    None => place,
                    Some(end) => {
                        let renamed = gazetteer
                            .resolve(&place.code, Some(on))
                            .filter(|p| p.code == place.code)
                            .filter(|p| p.valid_to.is_none_or(|t| t.year >= year));
                        match renamed {
                            Some(successor) => successor,
                            None => {
                                out.skipped.push(format!(
                                    "{}: {place_text:?} is {}, a unit until {end}, not in \
                                     {year}: its {year} value is left out",
                                    table.locate(row.line),
                                    place.name
                                ));
                                continue;
                            }
                        }
                    }
                };
                // A rank is a province's within its ranking group.
                if let Some(group) = &mapping.rank_group
                    && place.region.as_deref() != Some(group.as_str())
                    && !gazetteer
                        .place(group)
                        .is_some_and(|g| g.members.contains(&place.id))
                {
                    out.skipped.push(format!(
                        "{}: {place_text:?} is {}, not a member of the ranking group {group}: \
                         its rank is left out",
                        table.locate(row.line),
                        place.name
                    ));
                    continue;
                }
                // A code alone does not read; the quote names the place it stands for.
                let shown_place = match mapping.place_key {
                    PlaceKey::Name => place_text.to_owned(),
                    PlaceKey::GsoCode => format!("{} (GSO {place_text})", place.name),
                };
                let value = scaled(number, mapping.scale);
                // The ranking's size: given, or its group's in the row's year.
                let total = mapping.rank_total.or_else(|| {
                    let group = mapping.rank_group.as_deref()?;
                    gazetteer.group_size_on(group, on)
                });
                if mapping.measure == Measure::Rank
                    && !(value >= 1.0
                        && value.fract() == 0.0
                        && total.is_none_or(|t| value <= f64::from(t)))
                {
                    let of = total.map_or_else(String::new, |t| format!(" of 1 to {t}"));
                    out.skipped.push(cell_note(&format!("not a rank{of}")));
                    continue;
                }
                let record = IndicatorRecord {
                    source_id: table.source_id.clone(),
                    indicator: mapping.indicator.clone(),
                    geo_code: Some(place.code.clone()),
                    geo_id: Some(place.id.clone()),
                    geo_name: Some(place.name.clone()),
                    period: Some(Period::Year(year)),
                    measure: mapping.measure,
                    base: None,
                    base_period: None,
                    kind: mapping.kind,
                    comparator: Comparator::Eq,
                    value_low: value,
                    value_high: value,
                    unit: mapping.unit,
                    rank_total: total,
                    rank_group: mapping.rank_group.clone(),
                    of_total: None,
                    quote: quote(table, row, &shown_place, year, &cell.text, mapping).into(),
                    span: Span::new(0, 0),
                    occurrences: 1,
                };
                // The same place, year and value twice (a repeated row) is one statement.
                if let Some(same) = out.records.iter_mut().find(|r| {
                    r.geo_id == record.geo_id
                        && r.period == record.period
                        && r.value_low == record.value_low
                }) {
                    same.occurrences += 1;
                } else {
                    out.records.push(record);
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chiso_model::{Cell, Kind, Unit};

    /// A mapping's mistakes name the key, suggest the indicator meant, and name the source when
    /// a table is missing; no `:0` stands for a line.
    #[test]
    fn mapping_errors_name_the_key_and_suggest() {
        let wide = YearLayout::YearColumns { columns: vec![] };
        let mut mapping = TableMapping {
            table: Some("GRPD".into()),
            ..mapping("gdp_growht", "Province", wide, Unit::Percent)
        };
        let catalogue = Catalogue::builtin();
        let e = check_mapping(&mapping, &catalogue, &Gazetteer::builtin())
            .expect_err("a misspelt indicator")
            .to_string();
        assert_eq!(
            e,
            "[sources.table]: key `table.indicator`: \"gdp_growht\" is not in the catalogue; did you mean \"gdp_growth\"?"
        );
        mapping.indicator = "gdp_growth".into();
        let table = Table {
            source_id: "wide".into(),
            origin: "wide.xlsx".into(),
            name: "GRDP".into(),
            columns: vec!["Province".into(), "2022".into()],
            rows: vec![TableRow {
                line: 2,
                cells: vec![Cell::text("Lào Cai"), Cell::number("9,02", 9.02)],
            }],
            ..Table::default()
        };
        let e = table_records(&[table], &mapping, &catalogue, &Gazetteer::builtin())
            .expect_err("no such table")
            .to_string();
        assert_eq!(
            e,
            "source wide (wide.xlsx): [sources.table]: key `table.table`: no table \"GRPD\"; the source has: GRDP"
        );
    }

    /// A mapping of `indicator` in `unit`, its places in column `place` by name and its years
    /// as `years`, levels and actuals at scale 1; tests change what they need.
    fn mapping(indicator: &str, place: &str, years: YearLayout, unit: Unit) -> TableMapping {
        TableMapping {
            indicator: indicator.into(),
            table: None,
            place_column: place.into(),
            place_key: PlaceKey::Name,
            years,
            unit,
            scale: 1.0,
            unit_label: None,
            measure: Measure::Level,
            kind: Kind::Actual,
            rank_total: None,
            rank_group: None,
            skip_places: vec![],
        }
    }

    /// One year's values in column `column`.
    fn fixed(year: i32, column: &str) -> YearLayout {
        YearLayout::Fixed {
            year,
            value_column: column.into(),
        }
    }

    /// A row of a place and its numbers (`None`: an empty cell).
    fn row(line: usize, place: &str, values: &[Option<f64>]) -> TableRow {
        TableRow {
            line,
            cells: std::iter::once(Cell::text(place))
                .chain(values.iter().map(|v| match v {
                    Some(v) => Cell::number(v.to_string(), *v),
                    None => Cell::text(""),
                }))
                .collect(),
        }
    }

    /// The table of `origin` with these columns and rows, and what `mapping` makes of it with
    /// the built-in catalogue and gazetteer.
    fn records(
        origin: &str,
        columns: &[&str],
        rows: Vec<TableRow>,
        mapping: &TableMapping,
    ) -> TableRecords {
        let table = Table {
            source_id: "source".into(),
            origin: origin.into(),
            name: "sheet".into(),
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
            rows,
            ..Table::default()
        };
        table_records(
            &[table],
            mapping,
            &Catalogue::builtin(),
            &Gazetteer::builtin(),
        )
        .expect("maps")
    }

    /// A table of ranks gives each row the ranking's size, and a cell that is not a rank of 1 to
    /// that size (a score in the wrong column, a 0, a fraction) is left out with its place.
    #[test]
    fn a_table_of_ranks() {
        let mapping = TableMapping {
            measure: Measure::Rank,
            rank_group: Some("VN-provinces".into()),
            ..mapping("pci", "Tỉnh", fixed(2012, "Xếp hạng"), Unit::Rank)
        };
        let rows = [
            ("Đồng Tháp", 1.0),
            ("Hà Nội", 51.0),
            ("Lào Cai", 64.0),
            ("Yên Bái", 0.0),
            ("Sơn La", 53.4),
        ];
        let rows = (2..)
            .zip(rows)
            .map(|(line, (place, rank))| row(line, place, &[Some(rank)]));
        let out = records(
            "PCI_2012.xlsx",
            &["Tỉnh", "Xếp hạng"],
            rows.collect(),
            &mapping,
        );
        let got: Vec<_> = out
            .records
            .iter()
            .map(|r| (r.geo_code.as_deref(), r.measure, r.value_low, r.rank_total))
            .collect();
        assert_eq!(
            got,
            [
                (Some("VN-45"), Measure::Rank, 1.0, Some(63)),
                (Some("VN-HN"), Measure::Rank, 51.0, Some(63)),
            ]
        );
        assert_eq!(out.skipped.len(), 3, "{:?}", out.skipped);
        assert!(
            out.skipped[0].contains("row 4")
                && out.skipped[0].ends_with("is not a rank of 1 to 63"),
            "{:?}",
            out.skipped
        );
        assert!(
            out.records
                .iter()
                .all(|r| r.rank_group.as_deref() == Some("VN-provinces"))
        );

        // The group must be the gazetteer's, and a total given must be its size.
        let check = |group: &str, total: Option<u32>| {
            let mapping = TableMapping {
                rank_group: Some(group.into()),
                rank_total: total,
                ..mapping.clone()
            };
            check_mapping(&mapping, &Catalogue::builtin(), &Gazetteer::builtin())
                .err()
                .map(|e| e.to_string())
        };
        assert_eq!(check("VN-provinces", Some(63)), None);
        assert_eq!(
            check("VN-provinces", Some(64)).as_deref(),
            Some("[sources.table]: key `table.rank_total`: 64, but VN-provinces has 63 places")
        );
        let unknown = check("VN-province", None).expect("not a group");
        assert!(
            unknown.contains("key `table.rank_group`")
                && unknown.contains("did you mean \"VN-provinces\"?"),
            "{unknown}"
        );
    }

    /// A region's row in a table of provinces is a subtotal: left out with a note, and silently
    /// when `skip_places` names it.
    #[test]
    fn regional_subtotals_are_not_rows() {
        let mut mapping = TableMapping {
            kind: Kind::Target,
            ..mapping("budget_revenue", "TỈNH", fixed(2017, "THU"), Unit::Vnd)
        };
        let rows = || {
            vec![
                row(14, "MIỀN NÚI PHÍA BẮC", &[Some(46_598_500.0)]),
                row(15, "HÀ GIANG", &[Some(1_870_500.0)]),
                row(16, "TÂY NGUYÊN", &[Some(16_067_000.0)]),
                row(17, "KON TUM", &[Some(2_063_000.0)]),
            ]
        };
        let out = records("Plan_2017.xls", &["TỈNH", "THU"], rows(), &mapping);
        let codes: Vec<_> = out.records.iter().map(|r| r.geo_code.as_deref()).collect();
        assert_eq!(codes, [Some("VN-03"), Some("VN-28")]);
        assert_eq!(out.skipped.len(), 2, "{:?}", out.skipped);
        assert!(
            out.skipped[0].contains("row 14")
                && out.skipped[0]
                    .contains("is a region (Trung du và miền núi phía Bắc), a subtotal"),
            "{}",
            out.skipped[0]
        );
        mapping.skip_places = vec!["Miền núi phía Bắc".into(), "TÂY NGUYÊN".into()];
        let out = records("Plan_2017.xls", &["TỈNH", "THU"], rows(), &mapping);
        assert_eq!((out.records.len(), out.skipped.len()), (2, 0));
    }

    /// A unit's value for a year after it ended is left out with a note (not for an empty cell);
    /// the years it existed in, even in part (Hà Tây until August 2008), are kept, and a unit
    /// renamed under its code (Thừa Thiên Huế, the city of Huế from 2025) is its successor's.
    #[test]
    fn values_of_a_unit_outside_its_years_are_left_out() {
        let wide = YearLayout::YearColumns { columns: vec![] };
        let out = records(
            "budget.csv",
            &["prov", "2007", "2008", "2010", "2025"],
            vec![
                row(2, "Ha Tay", &[Some(100.0), Some(200.0), Some(300.0), None]),
                row(3, "Thừa Thiên Huế", &[None, None, Some(40.0), Some(50.0)]),
            ],
            &mapping("budget_revenue", "prov", wide, Unit::Vnd),
        );
        let got: Vec<_> = out
            .records
            .iter()
            .map(|r| (r.geo_name.as_deref(), r.period, r.value_low))
            .collect();
        let year = |y| Some(Period::Year(y));
        assert_eq!(
            got,
            [
                (Some("Hà Tây"), year(2007), 100.0),
                (Some("Hà Tây"), year(2008), 200.0),
                (Some("Thừa Thiên Huế"), year(2010), 40.0),
                (Some("Huế"), year(2025), 50.0),
            ]
        );
        assert!(out.records[3].geo_code.as_deref() == Some("VN-26"));
        assert_eq!(
            out.skipped,
            [
                "budget.csv, row 2: \"Ha Tay\" is Hà Tây, a unit until 2008-07-31, not in 2010: its 2010 value is left out"
            ]
        );
    }

    /// A rank of a place outside the ranking group (another region's province, the country) is
    /// left out with a note; a unit formed in 2025 is in its region's ranking by its own region.
    #[test]
    fn ranks_outside_their_group_are_left_out() {
        let in_region = |year| TableMapping {
            measure: Measure::Rank,
            rank_group: Some("VN-R-TDMNPB".into()),
            ..mapping("pci", "Tỉnh", fixed(year, "Hạng"), Unit::Rank)
        };
        let ranked = |places: &[&str]| -> Vec<TableRow> {
            (2..)
                .zip(places)
                .map(|(line, p)| row(line, p, &[Some(3.0)]))
                .collect()
        };
        let columns = ["Tỉnh", "Hạng"];
        let out = records(
            "pci.csv",
            &columns,
            ranked(&["Lào Cai", "Đồng Tháp", "Cả nước"]),
            &in_region(2012),
        );
        let got: Vec<_> = out
            .records
            .iter()
            .map(|r| (r.geo_code.as_deref(), r.rank_total))
            .collect();
        assert_eq!(got, [(Some("VN-02"), Some(14))]);
        assert_eq!(out.skipped.len(), 2, "{:?}", out.skipped);
        assert!(
            out.skipped[0].contains("not a member of the ranking group VN-R-TDMNPB"),
            "{:?}",
            out.skipped
        );
        let out = records(
            "pci.csv",
            &columns,
            ranked(&["Tuyên Quang"]),
            &in_region(2025),
        );
        assert_eq!(out.skipped, Vec::<String>::new());
        assert_eq!(
            out.records
                .iter()
                .map(|r| (r.geo_code.as_deref(), r.rank_total))
                .collect::<Vec<_>>(),
            [(Some("VN-07"), None)],
            "the region's size after the 2025 merger is not known"
        );
    }

    #[test]
    fn a_scaled_value_has_no_binary_noise() {
        assert_eq!(scaled(1097245.823, 1e6), 1_097_245_823_000.0);
        assert_eq!(scaled(4212366.4, 1e6), 4_212_366_400_000.0);
        assert_eq!(scaled(5980.0, 1000.0), 5_980_000.0);
        assert_eq!(scaled(0.55, 1.0), 0.55);
        assert_eq!(scaled(-3.2, 1e9), -3_200_000_000.0);
        assert_eq!(scaled(0.0, 1e6), 0.0);
    }

    #[test]
    fn years_in_headers() {
        assert_eq!(year_of("2022"), Some(2022));
        assert_eq!(year_of("Năm / 2021"), Some(2021));
        assert_eq!(year_of("2006.0"), Some(2006));
        assert_eq!(year_of("income_total_average"), None);
        assert_eq!(year_of("1234"), None);
    }
}
