//! Rule conditions run in a sandbox: a condition that runs away hits a limit and becomes a
//! located tool error (never a hang), and escapes like `eval` do not even load.

mod common;

use std::sync::Arc;

use common::render;
use tollgate::{CheckOptions, Engine, SourceFile};

fn rule(condition: &str) -> Arc<SourceFile> {
    Arc::new(SourceFile::new(
        "sandbox.rule",
        format!(
            "/// Sandbox probe.\nrule sandbox-probe {{\n  id TG9999\n  requirement \"SP.01.01 BR\"\n  documentation no\n  maturity 1\n  severity low\n  applies integration\n  for item in remote_access.methods\n  require {condition}\n    else \"probe failed\"\n}}\n"
        ),
    ))
}

fn check(condition: &str) -> tollgate::report::InputReport {
    let engine = Engine::new(&[rule(condition)]);
    assert!(
        engine.problems().is_empty(),
        "{}",
        render(engine.problems())
    );
    let input = Arc::new(SourceFile::new(
        "input.yaml",
        "remote_access:\n  methods:\n    - name: a\n",
    ));
    engine.check_source(&input, &CheckOptions::default())
}

#[test]
fn runaway_condition_hits_the_operation_limit() {
    let ten = "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]";
    let condition = format!(
        "{ten}.map(|a| {ten}.map(|b| {ten}.map(|c| {ten}.map(|d| {ten}.map(|e| {ten}.map(|f| a + b + c + d + e + f)))))).len() == 10 && item.name == \"a\""
    );
    let outcome = check(&condition);
    assert!(outcome.findings.is_empty());
    let problem = outcome.problems.first().expect("a limit error");
    assert_eq!(problem.code, "script::evaluation");
    assert!(problem.message.contains("TG9999"), "{}", problem.message);
    assert!(
        problem.help.as_deref().unwrap().contains("safety limit"),
        "{}",
        render(&outcome.problems)
    );
    let related = problem.related.first().expect("points at the rule");
    assert_eq!(related.path.as_deref(), Some("sandbox.rule"));
    assert_eq!(outcome.outcome, tollgate::report::InputOutcome::Error);
}

#[test]
fn eval_and_modules_do_not_load() {
    for condition in [
        "eval(\"1 + 1\") == 2",
        "import \"x\" as m; true",
        "{ let x = 1; x == 1 }",
    ] {
        let engine = Engine::new(&[rule(condition)]);
        let problem = engine
            .problems()
            .iter()
            .find(|p| p.is_error())
            .unwrap_or_else(|| panic!("`{condition}` loaded"));
        assert!(
            problem.primary_span().is_some(),
            "{}",
            render(engine.problems())
        );
    }
}
