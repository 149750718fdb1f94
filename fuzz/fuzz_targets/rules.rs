//! The rules-file parser on arbitrary text: never panics; an error names the file. A rules file
//! that parses is evaluated over a fixed set of rows, whole and in chunks: evaluation never
//! panics, and the results do not depend on how the rows were cut (as `chiso run` cuts them
//! into units).
#![no_main]

use chiso_model::{Comparator, IndicatorRecord, Kind, Measure, Period, Span, Unit};
use chiso_validate::{EvalContext, Evaluation, MentionFact, RuleSet, Validator};
use libfuzzer_sys::fuzz_target;

fn rows() -> Vec<IndicatorRecord> {
    let places = [Some("VN-02"), Some("VN-HN"), None];
    let units = [Unit::Percent, Unit::Rank, Unit::Vnd];
    (0..12u32)
        .map(|i| {
            let value = f64::from(i * 37 % 23) - 3.5;
            let rank = i % 4 == 1;
            IndicatorRecord {
                source_id: format!("doc-{}", i % 5),
                indicator: ["gdp_growth", "poverty_rate", "pci_rank"][(i % 3) as usize].into(),
                geo_code: places[(i % 3) as usize].map(str::to_owned),
                geo_name: None,
                period: (i % 4 != 3).then_some(Period::Year(2020 + (i % 3) as i32)),
                measure: if rank { Measure::Rank } else { Measure::Level },
                base: None,
                base_period: None,
                kind: if i % 5 == 0 {
                    Kind::Target
                } else {
                    Kind::Actual
                },
                comparator: Comparator::Eq,
                value_low: value,
                value_high: if i % 6 == 0 { value + 1.0 } else { value },
                unit: units[(i % 3) as usize],
                rank_total: rank.then_some(14),
                rank_group: rank.then(|| "VN-provinces".to_owned()),
                of_total: None,
                quote: format!("câu {i}: gấp {value} lần").into(),
                span: Span::new(i as usize, i as usize + 3),
                occurrences: 1,
            }
        })
        .collect()
}

fn facts() -> Vec<MentionFact> {
    (0..6u32)
        .map(|i| MentionFact {
            source_id: format!("doc-{}", i % 2),
            kind: ["count", "multiplier", "percent"][(i % 3) as usize].into(),
            value_low: Some(f64::from(i * 5)),
            value_high: Some(f64::from(i * 5)),
            unit: Some("count".into()),
            counted_noun: Some("chỉ tiêu".into()),
            comparator: "eq".into(),
            sentence: format!("24 chỉ tiêu: {i} vượt").into(),
            char_start: i64::from(i),
            indicator: None,
        })
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let rules = match RuleSet::from_str(text, "fuzz-rules.toml") {
        Ok(rules) => rules,
        Err(e) => {
            assert!(
                e.to_string().contains("fuzz-rules.toml"),
                "error does not name the file: {e}"
            );
            return;
        }
    };
    let ctx = EvalContext {
        group_sizes: [("VN-provinces".to_owned(), vec![(None, Some(63))])].into(),
        ..EvalContext::default()
    };
    let (records, facts) = (rows(), facts());
    let validator = Validator::new(&rules, &ctx);
    let whole = chiso_validate::evaluate(&rules, &records, &facts, &ctx);
    let size = 1 + data.len() % 5;
    let fact_size = 1 + data.len() % 3;
    let mut evaluation = Evaluation::default();
    let (mut r, mut f) = (records.chunks(size), facts.chunks(fact_size));
    loop {
        // Records and mention facts cut differently; the shorter runs out first.
        let (chunk, chunk_facts) = (r.next(), f.next());
        if chunk.is_none() && chunk_facts.is_none() {
            break;
        }
        evaluation.add(validator.check(chunk.unwrap_or_default(), chunk_facts.unwrap_or_default()));
    }
    let chunked = validator.finish(evaluation);
    assert_eq!(whole.len(), rules.len());
    for (a, b) in whole.iter().zip(&chunked) {
        // NaN values compare unequal; compare what a person reads.
        assert_eq!(
            (&a.rule_id, a.status, &a.message, a.rows.len()),
            (&b.rule_id, b.status, &b.message, b.rows.len()),
            "chunks of {size} differ"
        );
    }
});
