use std::fmt::Write as _;

use super::*;
use crate::yaml::{YamlLimits, load};

fn issues(text: &str) -> Vec<(String, ModelIssueKind)> {
    let docs = load(text, &YamlLimits::default()).unwrap();
    let doc = &docs[0];
    validate(doc)
        .into_iter()
        .map(|i| (doc.path_of(i.node), i.kind))
        .collect()
}

#[test]
fn schema_names_every_section_and_is_draft_2020_12() {
    let schema = delivery_schema();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let properties = schema["properties"].as_object().unwrap();
    for section in [
        "submission",
        "staffing",
        "assurance",
        "architecture",
        "wireless",
        "sis",
        "configuration_management",
        "remote_access",
        "event_management",
        "accounts",
        "malware_protection",
        "patch_management",
        "backup_restore",
        "documents",
    ] {
        assert!(properties.contains_key(section), "{section} missing");
    }
    assert_eq!(schema["additionalProperties"], false);
}

#[test]
fn a_wrong_type_names_the_unit_and_the_value() {
    let found = issues("accounts:\n  password_policy:\n    max_age_days: two weeks\n");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, "accounts.password_policy.max_age_days");
    let ModelIssueKind::TypeMismatch {
        expected, found: f, ..
    } = &found[0].1
    else {
        panic!("{found:?}")
    };
    assert_eq!(expected, "a whole number of days");
    assert_eq!(f, "`two weeks`");
}

#[test]
fn an_unknown_key_suggests_the_closest_one() {
    let found = issues("remote_access:\n  methods:\n    - name: a\n      mfa_enabled: true\n");
    assert_eq!(found.len(), 1);
    let ModelIssueKind::UnknownKey {
        key, suggestion, ..
    } = &found[0].1
    else {
        panic!("{found:?}")
    };
    assert_eq!(key, "mfa_enabled");
    assert_eq!(suggestion.as_deref(), Some("mfa"));
}

#[test]
fn yes_is_not_a_boolean_and_the_help_says_so() {
    let found = issues("remote_access:\n  methods:\n    - mfa: yes\n");
    let ModelIssueKind::TypeMismatch { expected, help, .. } = &found[0].1 else {
        panic!("{found:?}")
    };
    assert_eq!(expected, "`true` or `false`");
    assert!(
        help.as_deref().unwrap().contains("write `true`"),
        "{help:?}"
    );
}

#[test]
fn enums_dates_and_lists_are_checked() {
    let found = issues(
        "submission:\n  service: maintainance\n  date: 02.11.2026\ndocuments: DOC-1\npatch_management:\n  patches:\n    - severity: severe\n",
    );
    let paths: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            "submission.service",
            "submission.date",
            "documents",
            "patch_management.patches[0].severity"
        ]
    );
    let ModelIssueKind::TypeMismatch { help, .. } = &found[0].1 else {
        panic!()
    };
    assert_eq!(help.as_deref(), Some("did you mean `maintenance`?"));
}

#[test]
fn keys_without_values_and_numbers_in_text_fields_are_fine() {
    assert!(issues("submission:\n  provider:\n  phase: sat\nconfiguration_management:\n  assets:\n    - serial: 12345\n").is_empty());
}

#[test]
fn a_decimal_in_a_text_field_is_flagged() {
    let found = issues("documents:\n  - version: 1.10\n");
    assert_eq!(found.len(), 1);
}

#[test]
fn paths_are_checked_through_lists() {
    assert!(check_path(root(), ["remote_access", "methods", "mfa"]).is_ok());
    let Err((at, known)) = check_path(root(), ["remote_access", "method", "mfa"]) else {
        panic!()
    };
    assert_eq!(at, 1);
    assert_eq!(known, ["methods"]);
}

#[test]
fn an_aliased_subtree_is_checked_once_however_often_it_is_used() {
    // One asset with 2,000 software entries, each with a decimal version (a type issue), used
    // 1,000 times through an alias: following every alias would check 2,000,000 entries
    let mut text = String::from(
        "configuration_management:\n  assets:\n    - &asset\n      id: a\n      software:\n",
    );
    for i in 0..2000 {
        let _ = writeln!(text, "        - {{name: p{i}, version: 1.10}}");
    }
    for _ in 0..1000 {
        text.push_str("    - *asset\n");
    }
    let docs = load(&text, &YamlLimits::default()).unwrap();
    let found = validate(&docs[0]);
    assert_eq!(found.len(), 2000);
}
