//! The shipped fixtures: the compliant plant yields no finding, each non-compliant submission
//! yields exactly its expected findings (rule ids and lines), broken inputs are tool errors.

mod common;

use common::{render, source};
use tollgate::report::InputOutcome;
use tollgate::{CheckOptions, Engine, builtin_rule_files};

fn check(rel: &str) -> tollgate::FileOutcome {
    let engine = Engine::new(&builtin_rule_files());
    assert!(
        engine.problems().is_empty(),
        "{}",
        render(engine.problems())
    );
    engine.check_source(&source(rel), &CheckOptions::default())
}

fn findings(rel: &str) -> Vec<(String, usize)> {
    let outcome = check(rel);
    assert!(
        outcome.problems.is_empty(),
        "{rel}: {}",
        render(&outcome.problems)
    );
    outcome
        .findings
        .iter()
        .map(|f| (f.rule_id.clone(), f.location.start.line))
        .collect()
}

fn expect(rel: &str, expected: &[(&str, usize)]) {
    let mut actual = findings(rel);
    actual.sort();
    let mut expected: Vec<(String, usize)> = expected
        .iter()
        .map(|(r, l)| ((*r).to_owned(), *l))
        .collect();
    expected.sort();
    assert_eq!(actual, expected, "{rel}");
}

#[test]
fn compliant_plant_has_no_finding() {
    let outcome = check("fixtures/configs/compliant-chemical-plant.yaml");
    assert!(outcome.problems.is_empty(), "{}", render(&outcome.problems));
    assert!(outcome.findings.is_empty(), "{:#?}", outcome.findings);
    assert_eq!(outcome.input.outcome, InputOutcome::Pass);
    let counts = outcome.input.documents[0].rules;
    assert!(
        counts.passed >= 8,
        "most rules should run on the compliant plant: {counts:?}"
    );
}

#[test]
fn remote_access_fixture() {
    expect(
        "fixtures/configs/sp07-remote-access-noncompliant.yaml",
        &[("TG0703", 27), ("TG0701", 28), ("TG0702", 29)],
    );
}

#[test]
fn accounts_fixture() {
    expect(
        "fixtures/configs/sp09-accounts-noncompliant.yaml",
        &[("TG0901", 21), ("TG0903", 34), ("TG0902", 47)],
    );
}

#[test]
fn patching_fixture() {
    expect(
        "fixtures/configs/sp11-patching-noncompliant.yaml",
        &[("TG1101", 57), ("TG1102", 66)],
    );
}

#[test]
fn backup_fixture() {
    expect(
        "fixtures/configs/sp12-backup-noncompliant.yaml",
        &[("TG1202", 78), ("TG1201", 80)],
    );
}

#[test]
fn broken_inputs_are_located_tool_errors() {
    for (rel, line) in [
        ("fixtures/broken/duplicate-key.yaml", 8),
        ("fixtures/broken/syntax-error.yaml", 6),
    ] {
        let outcome = check(rel);
        assert_eq!(outcome.input.outcome, InputOutcome::Error, "{rel}");
        let problem = outcome.problems.first().expect("a problem");
        let file = problem.file.as_ref().expect("located");
        let at = file.line_col(problem.primary_span().unwrap().start);
        assert_eq!(at.line, line, "{rel}: {}", render(&outcome.problems));
        insta::assert_snapshot!(rel.replace('/', "__"), render(&outcome.problems));
    }
}

fn finding_keys(outcome: &tollgate::FileOutcome) -> Vec<(String, String, String)> {
    let mut keys: Vec<_> = outcome
        .findings
        .iter()
        .map(|f| {
            (
                f.rule_id.clone(),
                f.location.path.clone(),
                f.message.clone(),
            )
        })
        .collect();
    keys.sort();
    keys
}

#[test]
fn findings_do_not_depend_on_comments_section_order_or_rule_order() {
    let rel = "fixtures/configs/sp09-accounts-noncompliant.yaml";
    let original = source(rel);
    let engine = Engine::new(&builtin_rule_files());
    let base = finding_keys(&engine.check_source(&original, &CheckOptions::default()));
    assert_eq!(base.len(), 3);

    // Comments on every line and between sections
    let commented: String = original
        .text()
        .lines()
        .map(|l| {
            if l.trim().is_empty() {
                "# a comment\n".to_owned()
            } else {
                format!("{l}  # note\n")
            }
        })
        .collect();
    let commented = std::sync::Arc::new(tollgate::SourceFile::new(rel, commented));
    assert_eq!(
        finding_keys(&engine.check_source(&commented, &CheckOptions::default())),
        base
    );

    // Top-level sections in reverse order
    let text = original.text();
    let mut sections: Vec<String> = Vec::new();
    for line in text.lines() {
        if !line.starts_with(' ') && !line.starts_with('#') && !line.is_empty() {
            sections.push(String::new());
        }
        if let Some(last) = sections.last_mut() {
            last.push_str(line);
            last.push('\n');
        }
    }
    sections.reverse();
    let reordered = std::sync::Arc::new(tollgate::SourceFile::new(rel, sections.concat()));
    assert_eq!(
        finding_keys(&engine.check_source(&reordered, &CheckOptions::default())),
        base
    );

    // Rule files loaded in reverse order
    let mut files = builtin_rule_files();
    files.reverse();
    let reversed = Engine::new(&files);
    assert_eq!(
        finding_keys(&reversed.check_source(&original, &CheckOptions::default())),
        base
    );
}

#[test]
fn keys_without_values_are_reported_once_at_the_key() {
    let engine = Engine::new(&builtin_rule_files());
    let yaml = "remote_access:\n  methods:\n    - name: vpn\n      approval:\naccounts:\n";
    let source = std::sync::Arc::new(tollgate::SourceFile::new("empty.yaml", yaml));
    let outcome = engine.check_source(&source, &CheckOptions::default());
    let approval = outcome
        .findings
        .iter()
        .find(|f| f.rule_id == "TG0701")
        .expect("TG0701");
    assert_eq!(approval.location.path, "remote_access.methods[0].approval");
    assert_eq!(approval.location.start.line, 4);
    assert!(
        approval
            .message
            .starts_with("`remote_access.methods[0].approval` is missing"),
        "{}",
        approval.message
    );
    let policy = outcome
        .findings
        .iter()
        .find(|f| f.rule_id == "TG0903")
        .expect("TG0903");
    assert!(
        policy.message.starts_with("`accounts` is missing"),
        "{}",
        policy.message
    );
    assert_eq!(policy.location.start.line, 5);
}
