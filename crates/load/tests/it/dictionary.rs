//! The data package and the Markdown data dictionary agree with the Arrow schemas.

use chiso_load::{
    data_dictionary_markdown, datapackage, indicators_schema, mentions_schema, validation_schema,
};
use chiso_model::{Comparator, Kind, Measure, Unit};
use serde_json::Value;

fn resource<'a>(package: &'a Value, name: &str) -> &'a Value {
    package["resources"]
        .as_array()
        .expect("resources is a list")
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("resource {name}"))
}

fn field<'a>(package: &'a Value, table: &str, column: &str) -> &'a Value {
    resource(package, table)["schema"]["fields"]
        .as_array()
        .expect("fields is a list")
        .iter()
        .find(|f| f["name"] == column)
        .unwrap_or_else(|| panic!("{table}.{column}"))
}

#[test]
fn datapackage_columns_match_the_arrow_schemas() {
    let package = datapackage();
    for (name, schema) in [
        ("indicators", indicators_schema()),
        ("mentions", mentions_schema()),
        ("validation", validation_schema()),
    ] {
        let r = resource(&package, name);
        assert_eq!(r["path"], format!("{name}.parquet"));
        let fields = r["schema"]["fields"].as_array().expect("fields");
        let documented: Vec<&str> = fields
            .iter()
            .map(|f| f["name"].as_str().expect("name"))
            .collect();
        let actual: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        assert_eq!(documented, actual, "{name}");
        for (f, arrow) in fields.iter().zip(schema.fields()) {
            let required = f["constraints"]["required"]
                .as_bool()
                .expect("required flag");
            assert_eq!(required, !arrow.is_nullable(), "{name}.{}", arrow.name());
            let description = f["description"].as_str().unwrap_or_default();
            assert!(
                !description.is_empty(),
                "{name}.{} has a description",
                arrow.name()
            );
            assert!(
                !f["example"].is_null(),
                "{name}.{} has an example",
                arrow.name()
            );
            assert!(f["type"].is_string() && f["arrowType"].is_string());
        }
    }
}

#[test]
fn datapackage_allowed_values_come_from_the_model() {
    let package = datapackage();
    let allowed = |t: &str, c: &str| -> Vec<String> {
        field(&package, t, c)["constraints"]["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{t}.{c} has allowed values"))
            .iter()
            .map(|v| v.as_str().expect("string").to_owned())
            .collect()
    };
    let spell = |xs: Vec<&str>| xs.into_iter().map(String::from).collect::<Vec<_>>();
    assert_eq!(
        allowed("indicators", "measure"),
        spell(Measure::ALL.iter().map(|m| m.as_str()).collect())
    );
    assert_eq!(
        allowed("indicators", "kind"),
        spell(Kind::ALL.iter().map(|m| m.as_str()).collect())
    );
    assert_eq!(
        allowed("indicators", "comparator"),
        spell(Comparator::ALL.iter().map(|m| m.as_str()).collect())
    );
    assert_eq!(
        allowed("mentions", "unit"),
        spell(Unit::ALL.iter().map(|m| m.as_str()).collect())
    );
    let kinds = allowed("mentions", "kind");
    assert_eq!(kinds.len(), 21);
    assert!(
        kinds.contains(&"document_number".to_owned()) && kinds.contains(&"slash_pair".to_owned())
    );
    assert_eq!(
        allowed("validation", "status"),
        ["pass", "fail", "skip", "error"]
    );
    assert_eq!(
        field(&package, "indicators", "source_id")["arrowType"],
        "dictionary<values=string, indices=int32>"
    );
    assert_eq!(
        field(&package, "indicators", "period_start")["type"],
        "date"
    );
}

/// `docs/data-dictionary.md` is generated; `CHISO_BLESS=1` rewrites it.
#[test]
fn data_dictionary_markdown_is_up_to_date() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/data-dictionary.md");
    let expected = data_dictionary_markdown();
    if std::env::var_os("CHISO_BLESS").is_some() {
        std::fs::write(&path, &expected).expect("docs/ is writable");
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/data-dictionary.md is stale; regenerate with CHISO_BLESS=1 cargo test -p chiso-load"
    );
    for column in [
        "value_high",
        "mention_index",
        "counted_noun",
        "rule_kind",
        "occurrences",
    ] {
        assert!(
            expected.contains(&format!("| `{column}` |")),
            "{column} documented"
        );
    }
}
