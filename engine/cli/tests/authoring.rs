//! The rule-authoring loop end to end: `test`, `list`, `explain`, `fmt`, `docs`, `init`,
//! `schema` and `completions`

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers fail loudly; the no-panic lints are for library code"
)]

mod common;

use common::{findings, repo_root, stderr, stdout, tollgate};

fn tollgate_in(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    common::tollgate_in(dir, args, None)
}

const GOOD_RULE: &str = r#"/// Every remote-access method asks for a second factor.
///
/// ## Why it matters
/// A stolen password alone must not open the plant.
///
/// ## How to fix
/// Turn on MFA for the method.
///
/// ## Non-compliant example
/// ```yaml
/// remote_access:
///   methods:
///     - { name: vpn, mfa: false }
/// ```
///
/// ## Compliant example
/// ```yaml
/// remote_access:
///   methods:
///     - { name: vpn, mfa: true }
/// ```
rule remote-access-without-mfa {
  id ACME001
  requirement "SP.07.04 RE(1)"
  documentation no
  maturity 2
  severity high
  applies integration, maintenance

  for method in remote_access.methods
  require method.mfa == true
    else "`{method.name}` does not ask for a second factor"
}
"#;

fn pack_with(tests: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("mfa.rule"), GOOD_RULE).unwrap();
    if let Some(tests) = tests {
        std::fs::write(dir.path().join("mfa.tests.yaml"), tests).unwrap();
    }
    dir
}

#[test]
fn test_runs_the_builtin_pack() {
    let out = tollgate(&["test", "--quiet"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let summary = stdout(&out);
    assert!(summary.contains("test result: ok."), "{summary}");
    assert!(summary.contains("0 without tests"), "{summary}");
}

#[test]
fn test_reports_a_diff_and_exits_1_on_a_failing_case() {
    let dir = pack_with(Some(
        "cases:\n  - name: a method with MFA passes\n    expect: pass\n    input: |\n      remote_access:\n        methods:\n          - { name: vpn, mfa: true }\n  - name: wrong expectation\n    expect: fail\n    findings:\n      - path: remote_access.methods[1].mfa\n    input: |\n      remote_access:\n        methods:\n          - { name: vpn, mfa: false }\n",
    ));
    let out = tollgate_in(dir.path(), &["test", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    insta::assert_snapshot!("test_failing_case", stdout(&out));
}

#[test]
fn test_strict_format_rejects_unknown_keys() {
    let dir = pack_with(Some(
        "cases:\n  - name: typo\n    expect: pass\n    inputs: |\n      remote_access: {}\n",
    ));
    let out = tollgate_in(dir.path(), &["test", "."]);
    assert_ne!(out.status.code(), Some(0));
    let err = stderr(&out);
    assert!(err.contains("unknown key `inputs`"), "{err}");
    assert!(err.contains("did you mean `input`"), "{err}");
}

#[test]
fn a_rule_without_tests_warns_or_fails_with_require_tests() {
    let dir = pack_with(None);
    // The doc examples still run as two cases, so the pack passes with a warning
    let out = tollgate_in(dir.path(), &["test", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("has no test file"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains('⚠') || stderr(&out).contains("warning"));
    let out = tollgate_in(dir.path(), &["test", "--require-tests", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn zero_cases_is_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    let undocumented = GOOD_RULE
        .split("rule remote-access-without-mfa")
        .nth(1)
        .unwrap();
    std::fs::write(
        dir.path().join("bare.rule"),
        format!("/// Every remote-access method asks for a second factor.\nrule remote-access-without-mfa{undocumented}"),
    )
    .unwrap();
    let out = tollgate_in(dir.path(), &["test", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("no test case ran"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn list_filters_and_sorts_by_the_standards_columns() {
    let out = tollgate(&["list", "--area", "SP.07", "--sort", "severity"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!("list_sp07_by_severity", stdout(&out));

    let out = tollgate(&["list", "--format", "json", "--re-only", "--area", "5"]);
    let rules: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!rules.is_empty());
    for rule in &rules {
        assert_eq!(rule["area"], "SP.05");
        assert_eq!(rule["requirement_kind"], "RE");
        for key in [
            "topic",
            "maturity",
            "severity",
            "applies",
            "documentation",
            "title",
        ] {
            assert!(rule.get(key).is_some(), "{key} missing in {rule}");
        }
    }

    let out = tollgate(&["list", "--documentation", "yes", "--format", "json"]);
    let rules: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        rules.len() >= 20,
        "every DOC requirement has a documentation rule"
    );
    assert!(rules.iter().all(|r| r["documentation"] == true));

    let out = tollgate(&["list", "--maturity", "4", "--severity", "high"]);
    assert!(
        stdout(&out)
            .lines()
            .skip(1)
            .take_while(|l| !l.is_empty())
            .all(|l| l.contains(" 4 ") && (l.contains("high") || l.contains("critical"))),
        "{}",
        stdout(&out)
    );
}

#[test]
fn list_csv_uses_the_standards_column_order() {
    let out = tollgate(&["list", "--format", "csv", "--area", "SP.12"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "Req ID,BR/RE,Functional area,Topic,Subtopic,Doc?,Rule ID,Rule name,Title,Maturity,Severity,Applies to,Also evidences,Rule file"
    );
    let first = lines.next().unwrap();
    assert!(first.starts_with("SP.12.01 BR,BR,SP.12,"), "{first}");
}

#[test]
fn coverage_lists_every_requirement_id_with_its_rules() {
    let out = tollgate(&["list", "--coverage"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(
        text.contains(
            "123 of 123 requirement ids have a rule (CFG 59/59, REC 44/44, DOC 20/20); 0 without"
        ),
        "{text}"
    );
    let out = tollgate(&["list", "--coverage", "--format", "json"]);
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.len(), 123);
    assert!(
        rows.iter()
            .all(|r| !r["rules"].as_array().unwrap().is_empty())
    );

    // A pack that covers one requirement leaves the others uncovered: exit 1
    let dir = pack_with(None);
    let out = tollgate(&[
        "list",
        "--coverage",
        "--no-builtin",
        "--rules",
        dir.path().to_str().unwrap(),
        "--area",
        "SP.07",
    ]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("coverage_partial_pack", stdout(&out));
}

#[test]
fn explain_prints_a_rule_and_a_requirement() {
    let out = tollgate(&["explain", "TG0702"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!("explain_tg0702", stdout(&out));

    let by_name = tollgate(&["explain", "remote-session-too-long"]);
    assert_eq!(stdout(&by_name), stdout(&out));

    let out = tollgate(&["explain", "SP.07.04 RE(1)"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.starts_with("# SP.07.04 RE(1)"), "{text}");
    assert!(text.contains("## TG0703"), "{text}");

    let out = tollgate(&["explain", "remote-session-to-long"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("did you mean `remote-session-too-long`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn generated_docs_are_current() {
    let out = tollgate(&["docs", "--check"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "run `cargo run -p tollgate-cli -- docs` and commit:\n{}",
        stderr(&out)
    );
}

#[test]
fn docs_check_fails_on_a_stale_page() {
    let dir = tempfile::tempdir().unwrap();
    let out = tollgate(&["docs", "--out", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = dir.path().join("rules/sp07-remote-access.md");
    std::fs::write(&page, "edited by hand\n").unwrap();
    std::fs::write(dir.path().join("rules/old-area.md"), "left over\n").unwrap();
    let out = tollgate(&["docs", "--check", "--out", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("stale:") && err.contains("sp07-remote-access.md"),
        "{err}"
    );
    assert!(
        err.contains("left over") && err.contains("old-area.md"),
        "{err}"
    );
}

#[test]
fn fmt_check_passes_on_the_builtin_pack_and_fixes_a_messy_file() {
    let out = tollgate(&["fmt", "--check", "rules"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));

    let dir = tempfile::tempdir().unwrap();
    let messy = GOOD_RULE
        .replace("  severity high\n", "")
        .replace(
            "  id ACME001\n",
            "  severity   high\n  id ACME001 // our numbering\n",
        )
        .replace(
            "  require method.mfa == true\n    else",
            "  require method.mfa == true else",
        );
    let path = dir.path().join("mfa.rule");
    std::fs::write(&path, &messy).unwrap();
    let out = tollgate_in(dir.path(), &["fmt", "--check", "."]);
    assert_eq!(out.status.code(), Some(1));
    let out = tollgate_in(dir.path(), &["fmt", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let formatted = std::fs::read_to_string(&path).unwrap();
    insta::assert_snapshot!("fmt_messy", formatted);
    let out = tollgate_in(dir.path(), &["fmt", "--check", "."]);
    assert_eq!(out.status.code(), Some(0), "formatting is idempotent");
}

#[test]
fn init_writes_a_skeleton_that_the_checker_reads() {
    let out = tollgate(&["init", "--service", "maintenance", "--date", "2026-11-23"]);
    assert_eq!(out.status.code(), Some(0));
    let skeleton = stdout(&out);
    insta::assert_snapshot!("init_maintenance", skeleton);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("submission.yaml");
    std::fs::write(&path, &skeleton).unwrap();
    let out = tollgate(&["check", "--format", "json", path.to_str().unwrap()]);
    // An empty skeleton is incomplete, never structurally wrong
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = findings(&report);
    assert!(findings.len() > 100, "the skeleton lists what to fill in");
    assert!(
        findings
            .iter()
            .all(|f| f["rule_id"] != "TG0001" && f["rule_id"] != "TG0002"),
        "a skeleton has no type or key errors"
    );
    assert_eq!(
        report["inputs"][0]["documents"][0]["service"],
        "maintenance"
    );

    // init into a file refuses to overwrite
    let out = tollgate(&["init", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--force"));
}

#[test]
fn schema_is_the_committed_one() {
    let out = tollgate(&["schema"]);
    assert_eq!(out.status.code(), Some(0));
    let committed =
        std::fs::read_to_string(repo_root().join("docs/schema/delivery.schema.json")).unwrap();
    assert_eq!(stdout(&out), committed);
}

#[test]
fn completions_are_generated_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = tollgate(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let text = stdout(&out);
        for word in ["check", "explain", "coverage"] {
            assert!(text.contains(word), "{shell} completion lacks {word}");
        }
    }
}

#[test]
fn pack_diagnostics_locate_model_typos_and_reserved_names() {
    let dir = tempfile::tempdir().unwrap();
    let typo = GOOD_RULE
        .replace(
            "for method in remote_access.methods",
            "for method in remote_access.method",
        )
        .replace("method.mfa == true", "method.mfa_enabled == true");
    std::fs::write(dir.path().join("typo.rule"), typo).unwrap();
    let reserved = GOOD_RULE
        .replace("rule remote-access-without-mfa", "rule reserved-name")
        .replace("id ACME001", "id ACME002")
        .replace("for method in", "for shared in")
        .replace("method.", "shared.");
    std::fs::write(dir.path().join("reserved.rule"), reserved).unwrap();
    let out = tollgate_in(dir.path(), &["list", "--no-builtin", "--rules", "."]);
    let err = stderr(&out);
    assert!(
        err.contains("`remote_access.method` is not a field of the delivery model"),
        "{err}"
    );
    assert!(err.contains("did you mean `methods`?"), "{err}");
    assert!(
        err.contains("`shared` is reserved and cannot be used as a name"),
        "{err}"
    );
    insta::assert_snapshot!("pack_diagnostics", err);
}

#[test]
fn a_case_can_set_parameters_and_a_wrong_one_fails_the_case() {
    let dir = pack_with(Some(
        "cases:\n  - name: a parameter the rule does not have\n    expect: pass\n    params:\n      max_minutes: 3\n    input: |\n      remote_access:\n        methods:\n          - { name: vpn, mfa: true }\n",
    ));
    let out = tollgate_in(dir.path(), &["test", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("`params.max_minutes`: rule `ACME001` has no parameters"),
        "{text}"
    );
}

#[test]
fn rules_missing_the_same_section_report_it_once() {
    let dir = tempfile::tempdir().unwrap();
    for (i, field) in ["owner", "type", "enabled"].iter().enumerate() {
        let rule = format!(
            "/// Every account says its {field}.\nrule account-{field}-check {{\n  id ACME10{i}\n  requirement \"SP.09.02 BR\"\n  documentation no\n  maturity 2\n  severity high\n  applies integration, maintenance\n\n  for account in accounts.inventory\n\n  require has(account, \"{field}\")\n    else \"`{{account.id}}` does not say its {field}\"\n}}\n"
        );
        std::fs::write(dir.path().join(format!("{field}.rule")), rule).unwrap();
    }
    let input = dir.path().join("submission.yaml");
    std::fs::write(
        &input,
        "submission:\n  service: integration\n  date: 2026-11-23\n",
    )
    .unwrap();
    let out = tollgate_in(
        dir.path(),
        &["check", "--no-builtin", "--rules", ".", "submission.yaml"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert_eq!(text.matches("is missing here").count(), 1, "{text}");
    assert!(text.contains("1 finding"), "one fact, one finding: {text}");
    assert!(text.contains("2 more rules cannot check"), "{text}");
    insta::assert_snapshot!("grouped_missing_section", text);

    let out = tollgate_in(
        dir.path(),
        &[
            "check",
            "--no-builtin",
            "--rules",
            ".",
            "--format",
            "json",
            "submission.yaml",
        ],
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = findings(&report);
    assert_eq!(findings.len(), 1, "one fact, one finding");
    assert_eq!(
        findings[0]["needed_by"],
        serde_json::json!(["ACME101", "ACME102"])
    );
    let outcomes = &report["inputs"][0]["documents"][0]["rules"];
    assert_eq!(outcomes["missing_evidence"], 1, "{outcomes}");
    assert_eq!(outcomes["not_checkable"], 2, "{outcomes}");
}
