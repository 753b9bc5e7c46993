//! The delivery model: its committed JSON Schema is what the types generate, real submissions
//! validate against it with an independent JSON Schema validator, and it rejects what the
//! structural check rejects.

mod common;

use common::{repo_root, to_json};
use tollgate::yaml::{YamlLimits, load};

fn schema() -> serde_json::Value {
    serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("docs/schema/delivery.schema.json")).unwrap(),
    )
    .unwrap()
}

fn as_json(rel: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(repo_root().join(rel)).unwrap();
    let docs = load(&text, &YamlLimits::default()).unwrap();
    to_json(&docs[0], docs[0].root())
}

#[test]
fn committed_schema_is_generated_from_the_types() {
    assert_eq!(
        std::fs::read_to_string(repo_root().join("docs/schema/delivery.schema.json")).unwrap(),
        tollgate::model::delivery_schema_text(),
        "run `cargo run -p tollgate-cli -- docs` and commit"
    );
}

#[test]
fn shipped_submissions_validate_against_the_schema() {
    let validator = jsonschema::validator_for(&schema()).unwrap();
    let mut checked = 0;
    for rel in common::files_with_extension("fixtures/configs", ".yaml") {
        // Fixtures are written by hand and keep dates as text, which the schema asks for
        let instance = as_json(&rel);
        let errors: Vec<String> = validator
            .iter_errors(&instance)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{rel}: {errors:#?}");
        checked += 1;
    }
    assert!(checked >= 14, "{checked}");
}

#[test]
fn the_schema_rejects_what_the_structural_check_rejects() {
    let validator = jsonschema::validator_for(&schema()).unwrap();
    let instance = as_json("fixtures/broken/type-errors.yaml");
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|e| e.instance_path().to_string())
        .collect();
    for path in [
        "/submission/service",
        "/remote_access/methods/0/mfa",
        "/remote_access/methods/0/max_session_minutes",
        "/accounts/password_policy/max_age_days",
    ] {
        assert!(
            errors.iter().any(|e| e == path),
            "{path} not rejected: {errors:#?}"
        );
    }
    // Unknown keys are rejected by `additionalProperties: false`
    assert!(
        errors.iter().any(|e| e == "/remote_access/methods/0"),
        "{errors:#?}"
    );
}
