//! The rule parser and the YAML loader never panic, whatever the input, and every error they
//! report lies inside the input on character boundaries. Whatever parses survives `fmt`:
//! parse(format(parse(x))) == parse(x).

mod common;

use std::sync::Arc;

use proptest::prelude::*;
use tollgate::yaml::{YamlLimits, load};
use tollgate::{Engine, SourceFile};

fn check_rule_text(text: &str) {
    let file = Arc::new(SourceFile::new("prop.rule", text.to_owned()));
    // Whatever parses formats to text that parses to the same rules
    if let Ok(parsed) = tollgate::rule::parse_rule_file(&file) {
        let formatted = tollgate::rule::format_rule_file(&parsed, text);
        let reparsed = tollgate::rule::parse_rule_file(&Arc::new(SourceFile::new(
            "f.rule",
            formatted.clone(),
        )));
        assert_eq!(
            reparsed.as_ref().ok(),
            Some(&parsed),
            "{text}\n---\n{formatted}"
        );
    }
    let engine = Engine::new(&[file]);
    for p in engine.problems() {
        for label in &p.labels {
            assert!(
                label.span.start <= text.len() && label.span.end <= text.len(),
                "span out of bounds: {p:?}"
            );
            assert!(
                text.is_char_boundary(label.span.start) && text.is_char_boundary(label.span.end),
                "span not on a char boundary"
            );
        }
    }
}

/// Found by `parser_never_panics_on_mutated_rules`: trailing blanks in a doc comment line
/// were part of the example text, and `fmt` dropped them.
#[test]
fn trailing_blanks_in_doc_comments_survive_fmt() {
    check_rule_text(&SEED.replace("///   jobs:\n", "///   jobs: \t\n"));
    assert!(SEED.contains("///   jobs:\n"));
}

const SEED: &str = include_str!("../../fixtures/dsl/ok/everything.rule");

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn parser_never_panics_on_arbitrary_text(text in "\\PC{0,400}") {
        check_rule_text(&text);
    }

    #[test]
    fn parser_never_panics_on_rule_like_text(text in "(rule|\\{|\\}|///|//|\"|require|else|for|in|let|when|param|at|related|\\.|:|=|[a-z_]{1,8}|[0-9]{1,3}|\\(|\\)|\\[|\\]| |\n|é){0,120}") {
        check_rule_text(&text);
    }

    #[test]
    fn parser_never_panics_on_mutated_rules(cut in 0usize..SEED.len(), insert in "\\PC{0,5}") {
        let mut text = SEED.to_owned();
        let mut at = cut.min(text.len());
        while !text.is_char_boundary(at) { at -= 1; }
        text.insert_str(at, &insert);
        check_rule_text(&text);
        let truncated: String = SEED.chars().take(cut).collect();
        check_rule_text(&truncated);
    }

    #[test]
    fn yaml_loader_never_panics(text in "([\\[\\]{}:,\\-?&*!|>'\"#%@ \n]|[a-z]{1,3}|é){0,200}") {
        if let Ok(docs) = load(&text, &YamlLimits::default()) {
            for doc in docs {
                for node in doc.nodes() {
                    prop_assert!(node.span.end <= text.len());
                    prop_assert!(text.is_char_boundary(node.span.start) && text.is_char_boundary(node.span.end));
                }
            }
        }
    }
}
