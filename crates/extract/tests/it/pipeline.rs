//! `pipelines/tables/pipeline.toml` end to end as far as this crate and transform's table
//! mapping go: its `[sources.table]` keys parse and validate, the real CSVs extract, and every
//! table row becomes an indicator row (the CLI does the same and writes them to Parquet).

use std::path::{Path, PathBuf};

use chiso_extract::{ExtractOptions, Location, SourceSpec, TableMappingConfig, extract_all};
use chiso_transform::catalogue::Catalogue;
use chiso_transform::gazetteer::Gazetteer;
use chiso_transform::tables::{TableRecords, table_records};
use serde::Deserialize;

/// The part of the pipeline file this test reads; the CLI owns the rest.
#[derive(Deserialize)]
struct Pipeline {
    sources: Vec<Source>,
}

#[derive(Deserialize)]
struct Source {
    id: String,
    path: PathBuf,
    table: TableMappingConfig,
}

fn pipeline_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../pipelines/tables")
}

fn run() -> Vec<(String, TableRecords)> {
    // `pipeline.pending.toml` until the CLI accepts `[sources.table]` (then it is renamed
    // `pipeline.toml`, which `chiso check` and the e2e test pick up).
    let file = ["pipeline.toml", "pipeline.pending.toml"]
        .iter()
        .map(|name| pipeline_dir().join(name))
        .find(|p| p.exists())
        .expect("pipelines/tables/pipeline.toml");
    let text = std::fs::read_to_string(file).expect("the pipeline");
    let pipeline: Pipeline = toml::from_str(&text).expect("the pipeline's sources parse");
    let (catalogue, gazetteer) = (Catalogue::builtin(), Gazetteer::builtin());
    pipeline
        .sources
        .iter()
        .map(|s| {
            let mapping = s.table.validate(&s.id).expect("a valid mapping");
            let spec = SourceSpec {
                id: s.id.clone(),
                location: Location::Path(pipeline_dir().join(&s.path)),
                published: None,
                geo: None,
                format: None,
            };
            let extracted = extract_all(&[spec], &ExtractOptions::default())
                .remove(0)
                .expect("the source reads");
            let out = table_records(&extracted.tables, &mapping, &catalogue, &gazetteer)
                .expect("the mapping fits the table");
            (s.id.clone(), out)
        })
        .collect()
}

#[test]
fn tables_pipeline_gives_indicator_rows() {
    let runs = run();
    assert_eq!(runs.len(), 3);

    let (id, income) = &runs[0];
    assert_eq!(id, "gso-thu-nhap-binh-quan-2018");
    assert_eq!(income.records.len(), 63, "{:?}", income.skipped);
    assert!(income.skipped.is_empty(), "{:?}", income.skipped);
    let ha_noi = &income.records[0];
    assert_eq!(ha_noi.geo_code.as_deref(), Some("VN-HN"));
    assert_eq!(ha_noi.value_low, 6_054_000.0);
    assert_eq!(ha_noi.unit.as_str(), "vnd_per_person_month");
    assert_eq!(
        ha_noi.quote,
        "Hà Nội (GSO 1), 2018: 6054 (nghìn đồng/người/tháng) [thunhapbinhquan.csv, row 2]"
    );

    let (_, revenue) = &runs[1];
    assert!(revenue.skipped.is_empty(), "{:?}", revenue.skipped);
    assert_eq!(
        revenue.records.len(),
        633,
        "every province-year row of the CR-only CSV"
    );
    let quang_ninh = &revenue.records[0];
    assert_eq!(quang_ninh.geo_code.as_deref(), Some("VN-13"));
    assert_eq!(
        quang_ninh.period.map(|p| p.label()).as_deref(),
        Some("2006")
    );
    assert_eq!(quang_ninh.value_low, 4_371_000.0 * 1e6);
    let years: std::collections::BTreeSet<String> = revenue
        .records
        .iter()
        .filter_map(|r| r.period.map(|p| p.label()))
        .collect();
    assert_eq!(years.len(), 10, "2006..=2015");
    let ha_tay_2006 = revenue.records.iter().any(|r| {
        r.geo_name.as_deref() == Some("Hà Tây")
            && r.period.map(|p| p.label()).as_deref() == Some("2006")
    });
    assert!(ha_tay_2006, "Hà Tây is a province of its own in 2006");

    let (_, spending) = &runs[2];
    assert_eq!(spending.records.len(), revenue.records.len());
    assert_eq!(spending.records[0].indicator, "budget_expenditure");
}
