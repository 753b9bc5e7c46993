//! The built-in rule pack: every rule has tests with at least one passing and one failing case,
//! every case passes through the same code path as `tollgate test`, the doc examples behave as
//! labelled, and the rendered findings of failing cases are pinned in snapshots.

mod common;

use std::collections::BTreeSet;
use std::fmt::Write as _;

use common::{files_with_extension, render, repo_root, source};
use tollgate::report::human::{HumanOptions, render_finding_list};
use tollgate::testing::run_rule_tests;
use tollgate::{Engine, builtin_rule_files};

#[test]
fn every_builtin_rule_passes_its_tests() {
    let rule_files = files_with_extension("rules", ".rule");
    assert!(
        rule_files.len() >= 10,
        "expected the built-in rules, found {}",
        rule_files.len()
    );
    let mut failures = String::new();
    let mut cases_run = 0;
    for rel in &rule_files {
        let tests_rel = rel.replace(".rule", ".tests.yaml");
        assert!(
            repo_root().join(&tests_rel).exists(),
            "{rel} has no {tests_rel}"
        );
        let tests_text = std::fs::read_to_string(repo_root().join(&tests_rel)).unwrap();
        assert!(
            tests_text.contains("expect: pass") || tests_text.contains("expect: not-applicable"),
            "{tests_rel} has no passing case"
        );
        assert!(
            tests_text.contains("expect: fail"),
            "{tests_rel} has no failing case"
        );
        let rule = source(rel);
        let tests = source(&tests_rel);
        let base = repo_root().join(&tests_rel).parent().unwrap().to_path_buf();
        let result = run_rule_tests(&rule, Some(&tests), &base);
        if !result.problems.is_empty() {
            let _ = writeln!(failures, "{rel}:\n{}", render(&result.problems));
        }
        let mut rendered = String::new();
        for case in &result.cases {
            cases_run += 1;
            if !case.passed {
                let _ = writeln!(
                    failures,
                    "{rel} / {}:\n  {}",
                    case.name,
                    case.differences.join("\n  ")
                );
            }
            if !case.findings.is_empty() {
                let _ = writeln!(
                    rendered,
                    "=== {}\n{}",
                    case.name,
                    render_finding_list(
                        &case.findings,
                        HumanOptions {
                            color: false,
                            width: 100,
                            verdicts: false,
                        }
                    )
                );
            }
        }
        let name = rel
            .trim_start_matches("rules/")
            .trim_end_matches(".rule")
            .replace('/', "__");
        insta::assert_snapshot!(format!("rule__{name}"), rendered);
    }
    assert!(failures.is_empty(), "{failures}");
    assert!(cases_run >= 40, "only {cases_run} cases ran");
}

#[test]
fn builtin_pack_loads_cleanly_with_unique_ids_and_complete_docs() {
    let engine = Engine::new(&builtin_rule_files());
    assert!(
        engine.problems().is_empty(),
        "{}",
        render(engine.problems())
    );
    assert_eq!(
        engine.pack().len(),
        files_with_extension("rules", ".rule").len(),
        "one rule per file in the built-in pack"
    );
    let mut ids = BTreeSet::new();
    for loaded in engine.pack().rules() {
        let rule = loaded.rule();
        assert!(
            ids.insert(rule.id.value.clone()),
            "duplicate id {}",
            rule.id.value
        );
        let id = &rule.id.value;
        let area = rule.requirements[0].value.area;
        assert!(
            id.starts_with(&format!("TG{area:02}")),
            "{id}: built-in ids are TG + area + sequence"
        );
        assert!(
            rule.docs.rationale.as_deref().is_some_and(|t| t.len() > 40),
            "{id}: no `## Why it matters`"
        );
        assert!(
            rule.docs
                .remediation
                .as_deref()
                .is_some_and(|t| t.len() > 20),
            "{id}: no `## How to fix`"
        );
        assert!(
            rule.docs.noncompliant_example.is_some(),
            "{id}: no non-compliant example"
        );
        assert!(
            rule.docs.compliant_example.is_some(),
            "{id}: no compliant example"
        );
        assert!(rule.topic.is_some(), "{id}: no topic");
        for p in &rule.params {
            assert!(
                p.doc.is_some(),
                "{id}: parameter {} has no description",
                p.name.value
            );
        }
        let folder = loaded.file().name().split('/').nth(1).unwrap().to_owned();
        assert!(
            folder.starts_with(&format!("sp{area:02}-")),
            "{id} is in {folder}, not its area's folder"
        );
    }
}
