//! Differential test: conditions evaluated natively on the YAML tree give exactly the findings
//! and problems that the same conditions give in Rhai, on generated documents whose fields take
//! every kind of value (missing, null, booleans, YAML 1.1 words, numbers, strings, lists, maps).

mod common;

use std::fmt::Write as _;
use std::sync::Arc;

use proptest::prelude::*;
use tollgate::{CheckOptions, Engine, SourceFile};

const CONDITIONS: &[&str] = &[
    "item.a == true",
    "item.a != false",
    "item.a <= 480",
    "item.a < limit",
    "item.a >= -2",
    "item.a > 1.5",
    "item.a == \"x\"",
    "item.a != \"yes\"",
    "item.a > item.b",
    "item.a == item.b",
    "!item.a",
    "item.a && item.b",
    "item.a == true || item.b < 3",
    "(item.a == 1) && !(item.b != \"x\")",
    "item.a.b == 1",
    "item.c.d != 2 && item.a == 1",
    "item.a == label",
    "item.a < \"m\"",
    "flag || item.a == 0",
    "!(item.a == 1 || item.b == 2)",
    "age_days(item.a) <= 30",
    "days_between(item.a, item.b) > 0",
    "exists(doc.items, \"a\", item.b)",
    "exists(item.c, \"d\", 2) || item.a == 1",
    "age_days(item.b) > limit && exists(doc.items, \"b\", label)",
    "has(item, \"a\")",
    "has(item.c, \"d\") || !has(item.a, \"b\")",
    "is_one_of(item.a, item.c)",
    "is_one_of(\"x\", item.b)",
    "is_one_of(item.a, allowed)",
    "!is_one_of(item.b, allowed) && is_one_of(1, item.c)",
    "is_date(item.a)",
    "!is_date(item.b) || date_before(item.b, item.a)",
    "date_before(item.a, \"2026-06-01\")",
    "is_empty(item.a)",
    "!is_empty(item.c) && is_empty(label)",
    "count(item.c) >= 2",
    "count(item.a) == 0 || has(item, \"b\")",
    "item.a != () && item.b == ()",
    "is_one_of(item.a, [\"x\", \"m\", 1, true])",
    "is_one_of(lower(item.a), allowed)",
    "matches_any(lower(item.a), allowed) || matches_any(item.b, [\"x\", \"4\"])",
    "all_in(item.c, allowed) && !all_in(allowed, item.c)",
    "date_before(item.a, as_of())",
    "item.a <= (if item.b == 1 { limit } else if item.b == true { 2 } else { 480 })",
];

const VALUES: &[&str] = &[
    "", // missing
    "null",
    "true",
    "false",
    "yes",
    "0",
    "1",
    "480",
    "481",
    "-3",
    "1.5",
    "2.25",
    "\"x\"",
    "\"480\"",
    "m",
    "[1, 2]",
    "{b: 1}",
    "{d: 2}",
    "2026-01-01",
    "2026-12-31",
    "\"\"",
    "[]",
    "{}",
    "[x, 1]",
    "[m, true]",
    "[1.0, x]",
];

fn rule_file(condition: &str, index: usize) -> String {
    format!(
        "/// Generated rule {index}.\nrule generated-{index} {{\n  id TG9{index:03}\n  requirement \"SP.01.01 BR\"\n  documentation no\n  maturity 1\n  severity low\n  applies integration\n  param limit: int = 100 \"A limit\"\n  param label: string = \"x\" \"A label\"\n  param flag: bool = false \"A flag\"\n  param allowed: list = [\"x\", \"m\"] \"Allowed values\"\n  for item in items\n  when item.skip != true\n  require {condition}\n    else \"condition {index} failed on {{item.a}}\"\n}}\n"
    )
}

fn engines() -> (Engine, Engine) {
    let files: Vec<Arc<SourceFile>> = CONDITIONS
        .iter()
        .enumerate()
        .map(|(i, c)| {
            Arc::new(SourceFile::new(
                format!("generated-{i}.rule"),
                rule_file(c, i),
            ))
        })
        .collect();
    let native = Engine::new(&files);
    assert!(
        native.problems().iter().all(|p| !p.is_error()),
        "{}",
        common::render(native.problems())
    );
    let (count, all) = native.pack().native_condition_count();
    assert!(
        count >= 40 && all == 2 * CONDITIONS.len(),
        "{count} of {all} conditions are native"
    );
    let mut rhai = Engine::new(&files);
    rhai.disable_native_conditions();
    assert_eq!(rhai.pack().native_condition_count().0, 0);
    (native, rhai)
}

fn document(items: &[(usize, usize, usize)]) -> String {
    let mut yaml = String::from("items:\n");
    for (a, b, c) in items {
        yaml.push_str("  - name: n\n");
        for (key, v) in [("a", a), ("b", b), ("c", c)] {
            let value = VALUES[*v];
            if !value.is_empty() {
                let _ = writeln!(yaml, "    {key}: {value}");
            }
        }
    }
    yaml
}

fn summary(outcome: &tollgate::report::InputReport) -> Vec<String> {
    let mut lines: Vec<String> = outcome
        .findings
        .iter()
        .map(|f| {
            format!(
                "{} {} {} {:?} {}",
                f.rule_id, f.location.path, f.location.start, f.missing, f.message
            )
        })
        .collect();
    lines.extend(
        outcome
            .problems
            .iter()
            .map(|p| format!("problem {} {}", p.code, p.message)),
    );
    lines.sort();
    lines
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn native_and_rhai_agree(items in prop::collection::vec((0..VALUES.len(), 0..VALUES.len(), 0..VALUES.len()), 1..6)) {
        thread_local! {
            static ENGINES: (Engine, Engine) = engines();
        }
        let yaml = document(&items);
        let source = Arc::new(SourceFile::new("generated.yaml", yaml.clone()));
        let options = CheckOptions { as_of: Some("2026-11-23".parse().unwrap()), ..CheckOptions::default() };
        ENGINES.with(|(native, rhai)| {
            let a = summary(&native.check_source(&source, &options));
            let b = summary(&rhai.check_source(&source, &options));
            prop_assert_eq!(a, b, "document:\n{}", yaml);
            Ok(())
        })?;
    }
}
