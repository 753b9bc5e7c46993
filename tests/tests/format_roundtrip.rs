//! `tollgate fmt`: formatting never changes what a rule file means, is idempotent, and the
//! built-in pack is already formatted.
//! Property: parse(format(parse(x))) == parse(x), on the whole built-in pack and the parser corpus.

mod common;

use std::sync::Arc;

use common::{files_with_extension, source};
use tollgate::SourceFile;
use tollgate::rule::{format_rule_file, parse_rule_file};

fn roundtrip(rel: &str) -> (bool, String) {
    let original = source(rel);
    let parsed = parse_rule_file(&original).unwrap_or_else(|e| panic!("{rel}: {e:?}"));
    let formatted = format_rule_file(&parsed, original.text());
    let reparsed = parse_rule_file(&Arc::new(SourceFile::new(rel, formatted.clone())))
        .unwrap_or_else(|e| panic!("{rel}: the formatted file does not parse: {e:?}\n{formatted}"));
    assert_eq!(reparsed, parsed, "{rel}: formatting changed the meaning");
    let again = format_rule_file(&reparsed, &formatted);
    assert_eq!(again, formatted, "{rel}: formatting is not idempotent");
    // Every comment survives
    let comments = |text: &str| {
        text.lines()
            .filter(|l| l.contains("//") && !l.trim_start().starts_with("///"))
            .count()
    };
    assert_eq!(
        comments(&formatted),
        comments(original.text()),
        "{rel}: a comment was lost"
    );
    (formatted == original.text(), formatted)
}

#[test]
fn builtin_pack_roundtrips_and_is_formatted() {
    let files = files_with_extension("rules", ".rule");
    assert!(files.len() > 100);
    let unformatted: Vec<String> = files
        .iter()
        .filter(|rel| !roundtrip(rel).0)
        .cloned()
        .collect();
    assert!(
        unformatted.is_empty(),
        "run `tollgate fmt rules`: {unformatted:?}"
    );
}

#[test]
fn parser_corpus_roundtrips() {
    let files = files_with_extension("fixtures/dsl/ok", ".rule");
    assert!(!files.is_empty());
    for rel in &files {
        roundtrip(rel);
    }
}
