//! The rule-file corpus: `fixtures/dsl/ok` must load cleanly, `fixtures/dsl/err` must fail with
//! the rendered errors pinned in snapshots. Also: every `rule` block in `docs/dsl.md` parses.

mod common;

use std::sync::Arc;

use common::{files_with_extension, render, source};
use tollgate::{Engine, SourceFile};

#[test]
fn ok_corpus_loads_without_problems() {
    let files = files_with_extension("fixtures/dsl/ok", ".rule");
    assert!(files.len() >= 2, "the ok corpus is empty");
    for rel in files {
        let engine = Engine::new(&[source(&rel)]);
        assert!(
            engine.problems().is_empty(),
            "{rel}:\n{}",
            render(engine.problems())
        );
        assert!(!engine.pack().is_empty(), "{rel} loaded no rule");
    }
}

#[test]
fn err_corpus_fails_with_located_errors() {
    let files = files_with_extension("fixtures/dsl/err", ".rule");
    assert!(files.len() >= 10, "the err corpus is too small");
    for rel in files {
        let engine = Engine::new(&[source(&rel)]);
        let errors: Vec<_> = engine.problems().iter().filter(|p| p.is_error()).collect();
        assert!(!errors.is_empty(), "{rel} loaded without error");
        for e in &errors {
            assert!(
                e.primary_span().is_some(),
                "{rel}: error without location: {}",
                e.message
            );
            assert!(e.help.is_some(), "{rel}: error without help: {}", e.message);
        }
        let name = rel
            .trim_start_matches("fixtures/dsl/err/")
            .trim_end_matches(".rule")
            .to_owned();
        insta::assert_snapshot!(format!("err__{name}"), render(engine.problems()));
    }
}

#[test]
fn several_errors_in_one_file_are_reported_together() {
    let engine = Engine::new(&[source("fixtures/dsl/err/several-errors.rule")]);
    let count = engine.problems().iter().filter(|p| p.is_error()).count();
    assert!(
        count >= 6,
        "expected every error of the file, got {count}:\n{}",
        render(engine.problems())
    );
}

#[test]
fn rhai_errors_point_into_the_rule_file() {
    let file = source("fixtures/dsl/err/rhai-syntax.rule");
    let engine = Engine::new(&[Arc::clone(&file)]);
    let problem = engine
        .problems()
        .iter()
        .find(|p| p.code == "rule::condition")
        .expect("a condition error");
    let span = problem.primary_span().unwrap();
    let at = file.line_col(span.start);
    assert_eq!(at.line, 11, "{}", render(engine.problems()));
    assert_eq!(&file.text()[span.start..span.start + 2], "==");
}

/// Statement fragments in the docs are wrapped in a minimal rule so they parse in context
fn wrap_fragment(fragment: &str) -> String {
    format!(
        "/// Fragment from docs/dsl.md.\nrule docs-fragment {{\n  id TG0000\n  requirement \"SP.01.01 BR\"\n  documentation no\n  maturity 1\n  severity low\n  applies integration\n{fragment}\n  require doc.x == 1 else \"x\"\n}}\n"
    )
}

#[test]
fn every_rule_block_in_the_dsl_reference_parses() {
    let text = std::fs::read_to_string(common::repo_root().join("docs/dsl.md")).unwrap();
    let mut blocks = 0;
    let mut rest = text.as_str();
    while let Some(start) = rest.find("```rule\n") {
        let body = &rest[start + 8..];
        let end = body.find("\n```\n").expect("closed block");
        let block = &body[..=end];
        rest = &body[end..];
        blocks += 1;
        let complete = block.lines().any(|l| l.starts_with("rule "));
        let file = Arc::new(SourceFile::new(
            "docs/dsl.md",
            if complete {
                block.to_owned()
            } else {
                wrap_fragment(block)
            },
        ));
        if complete {
            let engine = Engine::new(&[file]);
            assert!(
                engine.problems().is_empty(),
                "block {blocks}:\n{block}\n{}",
                render(engine.problems())
            );
        } else {
            let parsed = tollgate::rule::parse_rule_file(&file);
            assert!(
                parsed.is_ok(),
                "block {blocks}:\n{block}\n{}",
                render(&parsed.err().unwrap())
            );
        }
    }
    assert!(blocks >= 4, "found only {blocks} rule blocks");
}
