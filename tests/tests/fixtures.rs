//! The shipped fixtures: the compliant plant yields no finding, each non-compliant submission
//! yields exactly its expected findings (rule ids and lines), broken inputs are tool errors.

mod common;

use std::fmt::Write as _;

use common::{render, source};
use tollgate::report::InputOutcome;
use tollgate::{CheckOptions, Engine, builtin_rule_files};

fn check(rel: &str) -> tollgate::report::InputReport {
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

/// `<fixture>.expected`: one `RULE-ID LINE` per expected finding
fn expected(rel: &str) -> Vec<(String, usize)> {
    let path = rel.replace(".yaml", ".expected");
    let text = std::fs::read_to_string(common::repo_root().join(&path))
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (rule, line) = l.split_once(' ').unwrap_or_else(|| panic!("{path}: `{l}`"));
            (rule.to_owned(), line.trim().parse().unwrap())
        })
        .collect()
}

#[test]
fn compliant_plant_has_no_finding() {
    let outcome = check("fixtures/configs/compliant-chemical-plant.yaml");
    assert!(outcome.problems.is_empty(), "{}", render(&outcome.problems));
    assert!(outcome.findings.is_empty(), "{:#?}", outcome.findings);
    assert_eq!(outcome.outcome, InputOutcome::Pass);
    let counts = outcome.documents[0].rules;
    // Nearly every rule has something to check in a complete submission; the few that do not
    // apply are maintenance-only rules
    assert!(
        counts.passed >= 140 && counts.failed == 0,
        "most rules should run on the compliant plant: {counts:?}"
    );
}

#[test]
fn maintenance_submission_has_no_finding() {
    let outcome = check("fixtures/configs/compliant-maintenance-visit.yaml");
    assert!(outcome.problems.is_empty(), "{}", render(&outcome.problems));
    assert!(outcome.findings.is_empty(), "{:#?}", outcome.findings);
    let document = &outcome.documents[0];
    assert_eq!(
        document.service,
        Some(tollgate::rule::ServiceKind::Maintenance)
    );
}

/// Every area has a non-compliant submission, and each yields exactly the findings listed in
/// its `.expected` file: the same rule ids at the same lines, all of rules of that area
#[test]
fn each_area_fixture_yields_exactly_its_expected_findings() {
    let mut areas_seen = Vec::new();
    let dir = common::repo_root().join("fixtures/configs");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with("-noncompliant.yaml"))
        .collect();
    names.sort();
    let mut failures = String::new();
    for name in &names {
        let rel = format!("fixtures/configs/{name}");
        let area: String = name.get(2..4).unwrap().to_owned();
        areas_seen.push(area.clone());
        let mut want = expected(&rel);
        assert!(
            want.len() >= 3,
            "{rel}: a fixture should show several violations"
        );
        for (rule, _) in &want {
            assert_eq!(
                &rule[2..4],
                area,
                "{rel}: {rule} is not a rule of SP.{area}"
            );
        }
        let mut got = findings(&rel);
        want.sort();
        got.sort();
        if got != want {
            let _ = writeln!(failures, "{rel}:\n  expected {want:?}\n  got      {got:?}");
        }
    }
    assert!(failures.is_empty(), "{failures}");
    let all: Vec<String> = (1..=12).map(|n| format!("{n:02}")).collect();
    assert_eq!(
        areas_seen, all,
        "one non-compliant fixture per functional area"
    );
}

#[test]
fn type_errors_are_findings_at_the_value() {
    let outcome = check("fixtures/broken/type-errors.yaml");
    assert!(
        outcome.problems.iter().all(|p| !p.is_error()),
        "{}",
        render(&outcome.problems)
    );
    let model: Vec<(String, usize)> = outcome
        .findings
        .iter()
        .filter(|f| f.rule_id == "TG0001" || f.rule_id == "TG0002")
        .map(|f| (f.rule_id.clone(), f.location.start.line))
        .collect();
    let mut want = expected("fixtures/broken/type-errors.yaml");
    want.sort();
    let mut got = model;
    got.sort();
    assert_eq!(got, want);
    insta::assert_snapshot!(
        "type-errors",
        outcome
            .findings
            .iter()
            .filter(|f| f.rule_id == "TG0001" || f.rule_id == "TG0002")
            .map(|f| format!(
                "{}:{} {} {} ({})",
                f.location.start.line,
                f.location.start.column,
                f.rule_id,
                f.message,
                f.hint.as_deref().unwrap_or("")
            ))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn broken_inputs_are_located_tool_errors() {
    for (rel, line) in [
        ("fixtures/broken/duplicate-key.yaml", 8),
        ("fixtures/broken/syntax-error.yaml", 6),
    ] {
        let outcome = check(rel);
        assert_eq!(outcome.outcome, InputOutcome::Error, "{rel}");
        let problem = outcome.problems.first().expect("a problem");
        let file = problem.file.as_ref().expect("located");
        let at = file.line_col(problem.primary_span().unwrap().start);
        assert_eq!(at.line, line, "{rel}: {}", render(&outcome.problems));
        insta::assert_snapshot!(rel.replace('/', "__"), render(&outcome.problems));
    }
}

fn finding_keys(outcome: &tollgate::report::InputReport) -> Vec<(String, String, String)> {
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
    let rel = "fixtures/configs/sp09-account-management-noncompliant.yaml";
    let original = source(rel);
    let engine = Engine::new(&builtin_rule_files());
    let base = finding_keys(&engine.check_source(&original, &CheckOptions::default()));
    assert_eq!(base.len(), expected(rel).len());

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
    // One fact, one finding: the empty `accounts` is reported once, naming the other rules
    let accounts: Vec<_> = outcome
        .findings
        .iter()
        .filter(|f| f.message.starts_with("`accounts` is missing"))
        .collect();
    assert_eq!(accounts.len(), 1, "{accounts:#?}");
    assert_eq!(accounts[0].location.start.line, 5);
    assert!(
        accounts[0].rule_id == "TG0903" || accounts[0].needed_by.iter().any(|r| r == "TG0903"),
        "{:?}",
        accounts[0]
    );
}

#[test]
fn parameters_can_be_overridden_by_name_with_their_declared_type() {
    let mut engine = Engine::new(&builtin_rule_files());
    let yaml = "remote_access:\n  methods:\n    - name: vpn\n      max_session_minutes: 540\n";
    let source = std::sync::Arc::new(tollgate::SourceFile::new("p.yaml", yaml));
    let has_tg0702 = |engine: &Engine| {
        engine
            .check_source(&source, &CheckOptions::default())
            .findings
            .iter()
            .any(|f| f.rule_id == "TG0702")
    };
    assert!(has_tg0702(&engine), "540 minutes exceed the default 480");
    let wrong = engine.set_param(
        "TG0702",
        "max_session_minutes",
        tollgate::rule::ParamValue::String("ten hours".into()),
    );
    assert_eq!(
        wrong.unwrap_err(),
        "parameter `max_session_minutes` of `TG0702` is int, not `\"ten hours\"`"
    );
    assert!(
        engine
            .set_param(
                "TG0702",
                "max_minutes",
                tollgate::rule::ParamValue::Int(600)
            )
            .unwrap_err()
            .contains("its parameters: max_session_minutes")
    );
    engine
        .set_param(
            "remote-session-too-long",
            "max_session_minutes",
            tollgate::rule::ParamValue::Int(600),
        )
        .unwrap();
    assert!(!has_tg0702(&engine), "the asset owner accepts 600 minutes");
}

#[test]
fn lists_multiplied_through_aliases_stop_at_the_iteration_budget() {
    // 1,100 aliases to one asset with 2,000 software entries: a rule over every asset's
    // software would visit 2.2 million items. The run stops at the budget with a located
    // error instead of running for minutes; a small file must never take that long
    let mut text = String::from(
        "configuration_management:\n  assets:\n    - &asset\n      id: a\n      software:\n",
    );
    for i in 0..2000 {
        let _ = writeln!(text, "        - {{name: p{i}, version: '1'}}");
    }
    for _ in 0..1100 {
        text.push_str("    - *asset\n");
    }
    let engine = Engine::new(&builtin_rule_files());
    let source = std::sync::Arc::new(tollgate::SourceFile::new("bomb.yaml", text));
    let outcome = engine.check_source(&source, &CheckOptions::default());
    assert_eq!(outcome.outcome, InputOutcome::Error);
    assert!(
        outcome
            .problems
            .iter()
            .any(|p| p.code == "input::expansion" && p.message.contains("list items")),
        "{}",
        render(&outcome.problems)
    );
}
