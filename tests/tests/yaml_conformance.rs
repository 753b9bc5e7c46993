//! YAML test suite conformance for the located loader.
//!
//! Data: `tests/yaml-test-suite/` holds `<ID>.yaml` inputs, `expected-json/<ID>.json`
//! for the valid cases that have a JSON form, and `manifest.tsv` (`fail=true`
//! marks inputs that are not valid YAML 1.2).
mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::to_json;
use serde_json::Value as Json;
use tollgate::yaml::{Document, Value, YamlErrorKind, YamlLimits, load};

/// Valid cases with expected JSON that tollgate rejects or reads differently on
/// purpose. Each must still differ; a skipped case that starts passing fails the
/// test so that the list stays exact.
const SKIPPED: &[(&str, &str)] = &[
    ("2XXW", YAML11_TYPE),
    ("565N", YAML11_TYPE),
    ("J7PZ", YAML11_TYPE),
    ("5TYM", APP_TAG),
    ("6CK3", APP_TAG),
    ("6WLZ", APP_TAG),
    ("7FWL", APP_TAG),
    ("9WXW", APP_TAG),
    ("C4HZ", APP_TAG),
    ("CC74", APP_TAG),
    ("CUP7", APP_TAG),
    ("M5C3", APP_TAG),
    ("P76L", APP_TAG),
    ("UGM3", APP_TAG),
    ("Z67P", APP_TAG),
    ("Z9M4", APP_TAG),
];

const YAML11_TYPE: &str =
    "YAML 1.1 type tag (!!set, !!omap, !!binary): rejected on purpose as UnsupportedTag";
const APP_TAG: &str = "application tag (local !foo, %TAG handle, verbatim !<...>, redefined !!): \
     rejected on purpose as UnsupportedTag";

/// Valid cases without JSON that tollgate rejects on purpose (they all use keys
/// that are collections or appear twice). Any other outcome is a load.
const REJECTED_NO_JSON: &[(&str, YamlErrorKind)] = &[
    ("2JQS", YamlErrorKind::DuplicateKey),
    ("4FJ6", YamlErrorKind::ComplexKey),
    ("6BFJ", YamlErrorKind::ComplexKey),
    ("6PBE", YamlErrorKind::ComplexKey),
    ("9MMW", YamlErrorKind::ComplexKey),
    ("KK5P", YamlErrorKind::ComplexKey),
    ("LX3P", YamlErrorKind::ComplexKey),
    ("M2N8-00", YamlErrorKind::ComplexKey),
    ("M2N8-01", YamlErrorKind::ComplexKey),
    ("M5DY", YamlErrorKind::ComplexKey),
    ("Q9WF", YamlErrorKind::ComplexKey),
    ("RZP5", YamlErrorKind::ComplexKey),
    ("SBG9", YamlErrorKind::ComplexKey),
    ("V9D5", YamlErrorKind::ComplexKey),
    ("X38W", YamlErrorKind::ComplexKey),
    ("XW4D", YamlErrorKind::ComplexKey),
];

/// Invalid inputs (`fail=true`) that saphyr-parser accepts anyway.
const ACCEPTED_INVALID: &[(&str, &str)] = &[];

fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("yaml-test-suite")
}

struct Case {
    id: String,
    fail: bool,
    has_json: bool,
    name: String,
}

fn manifest() -> Vec<Case> {
    let text = std::fs::read_to_string(suite_dir().join("manifest.tsv")).unwrap();
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            Case {
                id: cols[0].to_owned(),
                fail: cols[1] == "true",
                has_json: cols[2] == "true",
                name: cols.get(4).copied().unwrap_or("").to_owned(),
            }
        })
        .collect()
}

/// JSON equality where numbers compare by value (`1.0` equals `1`).
#[allow(
    clippy::float_cmp,
    reason = "values parsed from the same literal compare exactly"
)]
fn same(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => {
            x == y || x.as_f64().zip(y.as_f64()).is_some_and(|(x, y)| x == y)
        }
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

enum Outcome {
    Pass,
    Rejected(YamlErrorKind, String),
    Mismatch(String),
}

fn run_case(id: &str) -> Outcome {
    let dir = suite_dir();
    let text = std::fs::read_to_string(dir.join(format!("{id}.yaml"))).unwrap();
    let expected_text =
        std::fs::read_to_string(dir.join("expected-json").join(format!("{id}.json"))).unwrap();
    let expected: Vec<Json> = serde_json::Deserializer::from_str(&expected_text)
        .into_iter::<Json>()
        .collect::<Result<_, _>>()
        .unwrap();
    let docs = match load(&text, &YamlLimits::default()) {
        Ok(docs) => docs,
        Err(e) => return Outcome::Rejected(e.kind(), e.message().to_owned()),
    };
    let actual: Vec<Json> = docs.iter().map(|d| to_json(d, d.root())).collect();
    let equal =
        actual.len() == expected.len() && actual.iter().zip(&expected).all(|(a, b)| same(a, b));
    if equal {
        check_spans(&text, &docs);
        Outcome::Pass
    } else {
        Outcome::Mismatch(format!(
            "expected {}\n     got {}",
            serde_json::to_string(&expected).unwrap(),
            serde_json::to_string(&actual).unwrap()
        ))
    }
}

/// Every span of every node lies within the text, on character boundaries.
fn check_spans(text: &str, docs: &[Document]) {
    for doc in docs {
        assert!(
            text.get(doc.span().range()).is_some(),
            "document span {:?}",
            doc.span()
        );
        for node in doc.nodes() {
            assert!(
                text.get(node.span.range()).is_some(),
                "node span {:?}",
                node.span
            );
            if let Value::Mapping(entries) = &node.value {
                for e in entries {
                    assert!(
                        text.get(e.key_span.range()).is_some(),
                        "key span {:?}",
                        e.key_span
                    );
                }
            }
        }
    }
}

#[test]
fn yaml_test_suite_expected_json() {
    let skipped: BTreeMap<&str, &str> = SKIPPED.iter().copied().collect();
    let (mut passed, mut failed) = (0, Vec::new());
    let mut skip_reasons: BTreeMap<&str, usize> = BTreeMap::new();
    // Three `fail=true` cases also ship a JSON file from another variant; they
    // are checked as invalid input instead.
    for case in manifest().iter().filter(|c| c.has_json && !c.fail) {
        let outcome = run_case(&case.id);
        match (skipped.get(case.id.as_str()), outcome) {
            (None, Outcome::Pass) => passed += 1,
            (Some(_), Outcome::Pass) => failed.push(format!(
                "{} ({}) passes now: remove it from SKIPPED",
                case.id, case.name
            )),
            (Some(reason), _) => *skip_reasons.entry(reason).or_default() += 1,
            (None, Outcome::Rejected(kind, message)) => failed.push(format!(
                "{} ({}): rejected {kind:?}: {message}",
                case.id, case.name
            )),
            (None, Outcome::Mismatch(diff)) => {
                failed.push(format!("{} ({}): {diff}", case.id, case.name));
            }
        }
    }
    let skipped_total: usize = skip_reasons.values().sum();
    for f in &failed {
        eprintln!("FAIL {f}");
    }
    println!(
        "expected-json cases: {passed} passed, {skipped_total} skipped, {} failed",
        failed.len()
    );
    for (reason, count) in &skip_reasons {
        println!("  skipped {count}: {reason}");
    }
    assert!(failed.is_empty(), "{} conformance failures", failed.len());
    assert_eq!(
        skipped_total,
        SKIPPED.len(),
        "every skip entry is a case with JSON"
    );
}

#[test]
fn yaml_test_suite_invalid_inputs_are_rejected() {
    let dir = suite_dir();
    let accepted: BTreeMap<&str, &str> = ACCEPTED_INVALID.iter().copied().collect();
    let (mut rejected, mut known, mut failed) = (0, 0, Vec::new());
    for case in manifest().iter().filter(|c| c.fail) {
        let text = std::fs::read_to_string(dir.join(format!("{}.yaml", case.id))).unwrap();
        let result = load(&text, &YamlLimits::default());
        match (result.is_err(), accepted.contains_key(case.id.as_str())) {
            (true, false) => rejected += 1,
            (false, true) => known += 1,
            (true, true) => failed.push(format!(
                "{} ({}) is rejected now: remove it from ACCEPTED_INVALID",
                case.id, case.name
            )),
            (false, false) => failed.push(format!("{} ({}) is accepted", case.id, case.name)),
        }
    }
    for f in &failed {
        eprintln!("FAIL {f}");
    }
    println!(
        "invalid cases: {rejected} rejected, {known} accepted by the parser (known), {} failed",
        failed.len()
    );
    assert!(failed.is_empty(), "{} invalid-input failures", failed.len());
}

#[test]
fn yaml_test_suite_valid_inputs_without_json() {
    let dir = suite_dir();
    let expected: BTreeMap<&str, YamlErrorKind> = REJECTED_NO_JSON.iter().copied().collect();
    let (mut loaded, mut rejected, mut failed) = (0, 0, Vec::new());
    for case in manifest().iter().filter(|c| !c.fail && !c.has_json) {
        let text = std::fs::read_to_string(dir.join(format!("{}.yaml", case.id))).unwrap();
        match (
            load(&text, &YamlLimits::default()),
            expected.get(case.id.as_str()),
        ) {
            (Ok(docs), None) => {
                check_spans(&text, &docs);
                loaded += 1;
            }
            (Err(e), Some(&kind)) if e.kind() == kind => rejected += 1,
            (Ok(_), Some(kind)) => {
                failed.push(format!(
                    "{} ({}) loads, expected {kind:?}",
                    case.id, case.name
                ));
            }
            (Err(e), _) => failed.push(format!(
                "{} ({}): {:?} {}",
                case.id,
                case.name,
                e.kind(),
                e.message()
            )),
        }
    }
    for f in &failed {
        eprintln!("FAIL {f}");
    }
    println!(
        "valid cases without json: {loaded} loaded, {rejected} rejected on purpose, {} failed",
        failed.len()
    );
    assert!(failed.is_empty(), "{} failures", failed.len());
}
