#![allow(
    clippy::format_push_string,
    clippy::cast_possible_truncation,
    reason = "generating test data"
)]

use std::time::{Duration, Instant};

use proptest::prelude::*;

use super::offsets::Offsets;
use super::*;

fn load_ok(text: &str) -> Vec<Document> {
    match load(text, &YamlLimits::default()) {
        Ok(docs) => docs,
        Err(e) => panic!(
            "load failed: {:?} {} at {:?}",
            e.kind(),
            e.message(),
            e.span()
        ),
    }
}

fn load_one(text: &str) -> Document {
    let mut docs = load_ok(text);
    assert_eq!(docs.len(), 1, "expected one document");
    docs.pop().unwrap()
}

fn load_err(text: &str) -> YamlError {
    load_err_with(text, &YamlLimits::default())
}

fn load_err_with(text: &str, limits: &YamlLimits) -> YamlError {
    match load(text, limits) {
        Ok(docs) => panic!("expected an error, got {} documents", docs.len()),
        Err(e) => e,
    }
}

/// The node at a `.`-separated key path from the root (digits index sequences).
fn at(doc: &Document, path: &str) -> NodeId {
    let mut id = doc.root();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        id = match (&doc.node(id).unwrap().value, part.parse::<usize>()) {
            (Value::Sequence(items), Ok(i)) => items[i],
            _ => doc.get(id, part).unwrap_or_else(|| panic!("no key {part}")),
        };
    }
    id
}

fn value<'d>(doc: &'d Document, path: &str) -> &'d Value {
    &doc.node(at(doc, path)).unwrap().value
}

fn slice(text: &str, span: Span) -> &str {
    text.get(span.range())
        .unwrap_or_else(|| panic!("bad span {span:?}"))
}

/// Every node, key and document span is inside `text` on character boundaries.
fn assert_spans_valid(text: &str, docs: &[Document]) {
    for doc in docs {
        assert!(
            text.get(doc.span().range()).is_some(),
            "doc {:?}",
            doc.span()
        );
        for id in doc.node_ids() {
            let node = doc.node(id).unwrap();
            assert!(node.span.start <= node.span.end, "{:?}", node.span);
            assert!(
                text.get(node.span.range()).is_some(),
                "node {:?}",
                node.span
            );
            assert!(text.get(doc.label_span(id).range()).is_some());
            if let Value::Mapping(entries) = &node.value {
                for e in entries {
                    assert!(
                        text.get(e.key_span.range()).is_some(),
                        "key {:?}",
                        e.key_span
                    );
                }
            }
        }
    }
}

// ----- 1. byte spans, non-ASCII -----

#[test]
fn spans_are_bytes_for_non_ascii_text() {
    let text = "svc:\n  name: \"héllo wörld\"\n  mfa: false\n";
    let doc = load_one(text);
    let mfa = doc.node(at(&doc, "svc.mfa")).unwrap();
    assert_eq!(mfa.span, Span::new(36, 41));
    assert_eq!(slice(text, mfa.span), "false");
    let name = doc.node(at(&doc, "svc.name")).unwrap();
    assert_eq!(slice(text, name.span), "\"héllo wörld\"");
    let Value::Mapping(entries) = &doc.node(at(&doc, "svc")).unwrap().value else {
        panic!("mapping");
    };
    assert_eq!(slice(text, entries[1].key_span), "mfa");
}

#[test]
fn spans_stay_exact_far_into_multibyte_text() {
    // Many multi-byte characters so conversions cross many checkpoints.
    let mut text = String::new();
    for i in 0..300 {
        text.push_str(&format!("k{i}: \"ü€😀 {i}\"\nplain{i}: wört{i}\n"));
    }
    let doc = load_one(&text);
    for i in [0, 1, 63, 64, 65, 150, 299] {
        let quoted = doc.node(at(&doc, &format!("k{i}"))).unwrap();
        assert_eq!(slice(&text, quoted.span), format!("\"ü€😀 {i}\""));
        let plain = doc.node(at(&doc, &format!("plain{i}"))).unwrap();
        assert_eq!(slice(&text, plain.span), format!("wört{i}"));
    }
    assert_spans_valid(&text, &[doc]);
}

#[test]
fn offsets_match_char_indices() {
    let text = "aé€😀b".repeat(100);
    let offsets = Offsets::new(&text, 0);
    for (index, (byte, _)) in text.char_indices().enumerate() {
        assert_eq!(offsets.byte(index), byte, "char {index}");
    }
    let count = text.chars().count();
    assert_eq!(offsets.byte(count), text.len());
    assert_eq!(offsets.byte(count + 10), text.len());
    // Out of order, as error positions and look-behinds come.
    let expected: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    for index in (0..count).rev().step_by(7).chain((0..count).step_by(13)) {
        assert_eq!(offsets.byte(index), expected[index], "char {index}");
    }
    let shifted = Offsets::new("abc", 3);
    assert_eq!(shifted.byte(2), 5);
}

// ----- 2. byte order mark -----

#[test]
fn leading_bom_is_accepted_and_spans_use_the_original_text() {
    let text = "\u{feff}name: wörld\nmfa: true\n";
    let doc = load_one(text);
    assert_eq!(doc.node(doc.root()).unwrap().span.start, 3);
    let mfa = doc.node(at(&doc, "mfa")).unwrap();
    assert_eq!(slice(text, mfa.span), "true");
    assert_eq!(mfa.span, Span::new(21, 25));
    let ascii = "\u{feff}a: 1\n";
    let doc = load_one(ascii);
    assert_eq!(doc.node(at(&doc, "a")).unwrap().span, Span::new(6, 7));
}

// ----- 3. core schema -----

#[test]
fn plain_scalars_follow_the_yaml_1_2_core_schema() {
    let cases: &[(&str, Value)] = &[
        ("~", Value::Null),
        ("null", Value::Null),
        ("Null", Value::Null),
        ("NULL", Value::Null),
        ("true", Value::Bool(true)),
        ("True", Value::Bool(true)),
        ("TRUE", Value::Bool(true)),
        ("false", Value::Bool(false)),
        ("False", Value::Bool(false)),
        ("FALSE", Value::Bool(false)),
        ("0", Value::Int(0)),
        ("-17", Value::Int(-17)),
        ("+17", Value::Int(17)),
        ("0o17", Value::Int(15)),
        ("0x1F", Value::Int(31)),
        ("0xff", Value::Int(255)),
        ("1.5", Value::Float(1.5)),
        ("-.5", Value::Float(-0.5)),
        ("1.", Value::Float(1.0)),
        ("1e3", Value::Float(1000.0)),
        ("6.02E+23", Value::Float(6.02e23)),
        (".inf", Value::Float(f64::INFINITY)),
        ("-.Inf", Value::Float(f64::NEG_INFINITY)),
        ("+.INF", Value::Float(f64::INFINITY)),
        // Not core schema: stays a string.
        ("yes", Value::String("yes".into())),
        ("no", Value::String("no".into())),
        ("NO", Value::String("NO".into())),
        ("on", Value::String("on".into())),
        ("off", Value::String("off".into())),
        ("y", Value::String("y".into())),
        ("n", Value::String("n".into())),
        ("nULL", Value::String("nULL".into())),
        ("tRUE", Value::String("tRUE".into())),
        ("2026-01-31", Value::String("2026-01-31".into())),
        ("12:30", Value::String("12:30".into())),
        ("0b101", Value::String("0b101".into())),
        ("0o8", Value::String("0o8".into())),
        ("1_000", Value::String("1_000".into())),
        ("-.nan", Value::String("-.nan".into())),
        (".", Value::String(".".into())),
        ("1e", Value::String("1e".into())),
        // Out of i64 range: kept as the string written.
        (
            "9223372036854775808",
            Value::String("9223372036854775808".into()),
        ),
        (
            "0x1FFFFFFFFFFFFFFFF",
            Value::String("0x1FFFFFFFFFFFFFFFF".into()),
        ),
        ("9223372036854775807", Value::Int(i64::MAX)),
        ("-9223372036854775808", Value::Int(i64::MIN)),
    ];
    for (plain, expected) in cases {
        let doc = load_one(&format!("v: {plain}\n"));
        let node = doc.node(at(&doc, "v")).unwrap();
        assert_eq!(&node.value, expected, "plain scalar `{plain}`");
        assert!(node.plain, "`{plain}` is plain");
    }
    for nan in [".nan", ".NaN", ".NAN"] {
        let doc = load_one(&format!("v: {nan}"));
        assert!(
            matches!(value(&doc, "v"), Value::Float(f) if f.is_nan()),
            "{nan}"
        );
    }
    let doc = load_one("v:\n");
    assert_eq!(value(&doc, "v"), &Value::Null);
}

#[test]
fn quoted_and_block_scalars_are_strings() {
    let doc = load_one("a: 'true'\nb: \"12\"\nc: |\n  null\nd: >-\n  yes\ne: ''\n");
    assert_eq!(value(&doc, "a"), &Value::String("true".into()));
    assert_eq!(value(&doc, "b"), &Value::String("12".into()));
    assert_eq!(value(&doc, "c"), &Value::String("null\n".into()));
    assert_eq!(value(&doc, "d"), &Value::String("yes".into()));
    assert_eq!(value(&doc, "e"), &Value::String(Text::default()));
    for key in ["a", "b", "c", "d", "e"] {
        assert!(
            !doc.node(at(&doc, key)).unwrap().plain,
            "{key} is not plain"
        );
    }
}

#[test]
fn core_tags_are_honoured() {
    let text = "a: !!str 123\nb: !!int \"42\"\nc: !!float 3\nd: !!bool \"true\"\n\
                e: !!null ''\nf: !!map {x: 1}\ng: !!seq [1]\nh: ! 12\n\
                i: !<tag:yaml.org,2002:int> 0x10\nj: !!str\n";
    let doc = load_one(text);
    assert_eq!(value(&doc, "a"), &Value::String("123".into()));
    assert_eq!(value(&doc, "b"), &Value::Int(42));
    assert_eq!(value(&doc, "c"), &Value::Float(3.0));
    assert_eq!(value(&doc, "d"), &Value::Bool(true));
    assert_eq!(value(&doc, "e"), &Value::Null);
    assert_eq!(value(&doc, "f.x"), &Value::Int(1));
    assert_eq!(value(&doc, "g.0"), &Value::Int(1));
    assert_eq!(value(&doc, "h"), &Value::String("12".into()));
    assert_eq!(value(&doc, "i"), &Value::Int(16));
    assert_eq!(value(&doc, "j"), &Value::String(Text::default()));
    // Spans exclude the tag.
    assert_eq!(slice(text, doc.node(at(&doc, "a")).unwrap().span), "123");
    assert_eq!(slice(text, doc.node(at(&doc, "f")).unwrap().span), "{x: 1}");
}

#[test]
fn core_tag_mismatch_is_an_error_at_the_tag() {
    for (text, tag) in [
        ("v: !!int abc", "!!int"),
        ("v: !!bool yes", "!!bool"),
        ("v: !!null 0", "!!null"),
        ("v: !!float x", "!!float"),
        ("v: !!map x", "!!map"),
        ("v: !!str {a: 1}", "!!str"),
        ("v: !!seq {a: 1}", "!!seq"),
        ("v: !!map [1]", "!!map"),
    ] {
        let err = load_err(text);
        assert_eq!(err.kind(), YamlErrorKind::TagMismatch, "{text}");
        assert_eq!(slice(text, err.span()), tag, "{text}");
    }
    let err = load_err("v: !!int abc");
    assert_eq!(err.message(), "`abc` is not a valid `!!int` value");
}

#[test]
fn unsupported_tags_are_errors_at_the_tag() {
    for (text, tag) in [
        ("v: !!set {a, b}", "!!set"),
        ("v: !!omap [a: 1]", "!!omap"),
        ("v: !!binary aGk=", "!!binary"),
        ("v: !!timestamp 2026-01-31", "!!timestamp"),
        ("v: !foo x", "!foo"),
        ("v: &a !foo x", "!foo"),
        ("- !local {a: 1}", "!local"),
        ("!foo\na: 1", "!foo"),
        (
            "v: !<tag:example.com,2000:x> 1",
            "!<tag:example.com,2000:x>",
        ),
        ("%TAG !! tag:example.com,2000:\n---\nv: !!int 1", "!!int"),
        ("!foo key: v", "!foo"),
    ] {
        let err = load_err(text);
        assert_eq!(err.kind(), YamlErrorKind::UnsupportedTag, "{text}");
        assert_eq!(slice(text, err.span()), tag, "{text}");
        assert_eq!(err.message(), format!("unsupported tag `{tag}`"));
        assert!(err.help().unwrap().contains("!!str"));
    }
}

// ----- 4. duplicate keys -----

#[test]
fn duplicate_keys_report_both_locations() {
    let text = "svc:\n  mfa: true\n  name: x\n  mfa: false\n";
    let err = load_err(text);
    assert_eq!(err.kind(), YamlErrorKind::DuplicateKey);
    assert_eq!(err.message(), "duplicate key `mfa` in this mapping");
    assert_eq!(err.span(), Span::new(29, 32));
    let (first, label) = err.secondary().unwrap();
    assert_eq!(first, Span::new(7, 10));
    assert_eq!(label, "first defined here");
    assert_eq!(
        err.help(),
        Some("remove one of the two entries; YAML keeps only one value per key")
    );
    assert_eq!(err.code(), "tollgate::yaml::duplicate_key");
}

#[test]
fn duplicate_keys_compare_scalar_text() {
    // Different spellings of the same text collide; different text does not.
    assert_eq!(load_err("1: a\n'1': b").kind(), YamlErrorKind::DuplicateKey);
    assert_eq!(load_err("{a: 1, a: 2}").kind(), YamlErrorKind::DuplicateKey);
    load_one("1: a\n01: b\ntrue: c\nTrue: d\n");
    load_one("a: {x: 1}\nb: {x: 1}\n");
}

#[test]
fn duplicate_keys_in_large_mappings() {
    let mut text = String::new();
    for i in 0..100 {
        text.push_str(&format!("key{i}: {i}\n"));
    }
    let doc = load_one(&text);
    assert_eq!(value(&doc, "key99"), &Value::Int(99));
    text.push_str("key42: again\n");
    let err = load_err(&text);
    assert_eq!(err.kind(), YamlErrorKind::DuplicateKey);
    assert_eq!(slice(&text, err.secondary().unwrap().0), "key42");
    assert_eq!(err.span().start, text.len() - "key42: again\n".len());
}

#[test]
fn errors_render_with_miette() {
    use miette::Diagnostic;
    let text = "a: 1\nb: 2\na: 3\n";
    let err = load_err(text);
    let labels: Vec<_> = err.labels().unwrap().collect();
    assert_eq!(labels.len(), 2);
    assert!(labels[0].primary());
    assert_eq!(labels[0].offset(), 10);
    assert_eq!(labels[0].len(), 1);
    assert_eq!(labels[1].offset(), 0);
    assert_eq!(labels[1].label(), Some("first defined here"));
    assert_eq!(
        Diagnostic::code(&err).unwrap().to_string(),
        "tollgate::yaml::duplicate_key"
    );
    let report = miette::Report::new(err).with_source_code(text.to_owned());
    let mut out = String::new();
    miette::NarratableReportHandler::new()
        .render_report(&mut out, report.as_ref())
        .unwrap();
    assert!(out.contains("duplicate key `a` in this mapping"), "{out}");
    assert!(out.contains("first defined here"), "{out}");
    assert!(out.contains("a: 3"), "{out}");
    assert!(out.contains("remove one of the two entries"), "{out}");
}

// ----- 5. aliases and merge keys -----

#[test]
fn aliases_share_the_anchored_node() {
    let text = "base: &b\n  mfa: true\ncopy: *b\nlist: [*b, *b]\n";
    let doc = load_one(text);
    let base = at(&doc, "base");
    assert_eq!(at(&doc, "copy"), base);
    assert_eq!(at(&doc, "list.0"), base);
    assert_eq!(at(&doc, "list.1"), base);
    // The first parent is kept.
    assert_eq!(doc.path_of(base), "base");
    assert_eq!(doc.path_of(at(&doc, "copy.mfa")), "base.mfa");
    // root, base, mfa value, list: aliases add no node.
    assert_eq!(doc.nodes().len(), 4);
}

#[test]
fn billion_laughs_stays_small() {
    let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..10 {
        let prev = level - 1;
        text.push_str(&format!(
            "a{level}: &a{level} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, \
             *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
        ));
    }
    let start = Instant::now();
    let doc = load_one(&text);
    assert!(start.elapsed() < Duration::from_secs(1));
    assert!(doc.nodes().len() < 30, "{} nodes", doc.nodes().len());
}

#[test]
fn aliases_are_counted_against_the_limit() {
    let limits = YamlLimits {
        max_aliases: 3,
        ..YamlLimits::default()
    };
    let ok = "a: &a 1\nb: [*a, *a, *a]\n";
    assert!(load(ok, &limits).is_ok());
    let text = "a: &a 1\nb: [*a, *a, *a, *a]\n";
    let err = load_err_with(text, &limits);
    assert_eq!(err.kind(), YamlErrorKind::TooManyAliases);
    assert_eq!(err.span(), Span::new(24, 26));
    assert_eq!(slice(text, err.span()), "*a");
}

#[test]
fn unknown_anchors_are_errors() {
    let text = "a: 1\nb: *nope\n";
    let err = load_err(text);
    assert_eq!(err.kind(), YamlErrorKind::UnknownAnchor);
    assert_eq!(slice(text, err.span()), "*nope");
    assert_eq!(err.message(), "alias `*nope` refers to an unknown anchor");
    // Anchors do not carry over to the next document.
    let text = "a: &x 1\n---\nb: *x\n";
    let err = load_err(text);
    assert_eq!(err.kind(), YamlErrorKind::UnknownAnchor);
    assert_eq!(slice(text, err.span()), "*x");
}

#[test]
fn recursive_aliases_are_errors() {
    for text in ["&a [*a]", "a: &x\n  b: *x\n", "&m {k: [1, *m]}"] {
        let err = load_err(text);
        assert_eq!(err.kind(), YamlErrorKind::RecursiveAlias, "{text}");
    }
}

#[test]
fn anchors_can_be_redefined() {
    let doc = load_one("a: &x 1\nb: *x\nc: &x 2\nd: *x\n");
    assert_eq!(value(&doc, "b"), &Value::Int(1));
    assert_eq!(value(&doc, "d"), &Value::Int(2));
}

#[test]
fn merge_keys_are_rejected() {
    let text = "base: &b {x: 1}\nother:\n  <<: *b\n";
    let err = load_err(text);
    assert_eq!(err.kind(), YamlErrorKind::MergeKey);
    assert_eq!(slice(text, err.span()), "<<");
    assert_eq!(
        err.help(),
        Some("write the fields out; merge keys are a YAML 1.1 feature tollgate does not apply")
    );
    // A quoted `<<` is an ordinary key.
    let doc = load_one("'<<': 1\n");
    assert_eq!(value(&doc, "<<"), &Value::Int(1));
}

// ----- 6. keys -----

#[test]
fn non_scalar_keys_are_errors() {
    for (text, at_text) in [
        ("? [a, b]\n: x\n", "["),
        ("{[a]: 1}", "["),
        ("? {a: 1}\n: x\n", "{"),
        ("[{a: 1}: x]", "{"),
        ("s: &s [1]\nm:\n  *s : x\n", "*s"),
    ] {
        let err = load_err(text);
        assert_eq!(err.kind(), YamlErrorKind::ComplexKey, "{text}");
        assert_eq!(slice(text, err.span()), at_text, "{text}");
    }
}

#[test]
fn scalar_keys_become_their_text() {
    let text = "1: a\ntrue: b\n~: c\n\"q k\": d\n0x1F: e\n1.50: f\n: g\n!!str 7: h\n";
    let doc = load_one(text);
    let Value::Mapping(entries) = &doc.node(doc.root()).unwrap().value else {
        panic!("mapping");
    };
    let keys: Vec<&str> = entries.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(keys, ["1", "true", "~", "q k", "0x1F", "1.50", "", "7"]);
    assert_eq!(slice(text, entries[3].key_span), "\"q k\"");
    assert_eq!(slice(text, entries[7].key_span), "7");
    // An anchored key can be reused as a value and as a key.
    let doc = load_one("&k name: 1\nother: *k\nm: {*k : 2}\n");
    assert_eq!(value(&doc, "other"), &Value::String("name".into()));
    assert_eq!(value(&doc, "m.name"), &Value::Int(2));
    assert_eq!(doc.path_of(at(&doc, "other")), "other");
    // Tags on keys are checked too.
    assert_eq!(load_err("!!int x: 1").kind(), YamlErrorKind::TagMismatch);
}

// ----- 7. streams -----

#[test]
fn multi_document_streams_return_every_document() {
    let text = "a: 1\n---\nb: 2\n...\n--- x\n---\n...\n";
    let docs = load_ok(text);
    assert_eq!(docs.len(), 4);
    assert_eq!(value(&docs[0], "a"), &Value::Int(1));
    assert_eq!(value(&docs[1], "b"), &Value::Int(2));
    assert_eq!(value(&docs[2], ""), &Value::String("x".into()));
    assert_eq!(value(&docs[3], ""), &Value::Null);
    assert_eq!(slice(text, docs[0].span()), "a: 1");
    assert_eq!(slice(text, docs[1].span()), "---\nb: 2\n...");
    assert_eq!(slice(text, docs[2].span()), "--- x");
    assert_spans_valid(text, &docs);
}

#[test]
fn empty_and_comment_only_streams_have_no_document() {
    assert!(load_ok("").is_empty());
    assert!(load_ok("\n\n  \n").is_empty());
    assert!(load_ok("# just a comment\n# and another\n").is_empty());
    assert!(load_ok("\u{feff}# bom and comment\n").is_empty());
    // An explicit empty document is one null document.
    let docs = load_ok("# c\n---\n# c\n");
    assert_eq!(docs.len(), 1);
    assert_eq!(value(&docs[0], ""), &Value::Null);
}

// ----- 8. limits -----

#[test]
fn max_bytes_is_checked_first() {
    let limits = YamlLimits {
        max_bytes: 8,
        ..YamlLimits::default()
    };
    let err = load_err_with("a: [1, 2, 3", &limits);
    assert_eq!(err.kind(), YamlErrorKind::TooLarge);
    assert_eq!(err.span(), Span::new(8, 9));
    assert!(load("a: [1]", &limits).is_ok());
    // The span stays on a character boundary.
    let limits = YamlLimits {
        max_bytes: 7,
        ..YamlLimits::default()
    };
    let err = load_err_with("é: ééééé", &limits);
    assert_eq!(err.span(), Span::new(6, 8));
}

#[test]
fn max_depth_counts_collection_nesting() {
    let limits = YamlLimits {
        max_depth: 3,
        ..YamlLimits::default()
    };
    assert!(load("[[[1]]]", &limits).is_ok());
    assert!(load("a:\n  b:\n    c: 1\n", &limits).is_ok());
    let err = load_err_with("[[[[1]]]]", &limits);
    assert_eq!(err.kind(), YamlErrorKind::TooDeep);
    assert_eq!(err.span(), Span::new(3, 4));
    let text = "a:\n  b:\n    c:\n      d: 1\n";
    let err = load_err_with(text, &limits);
    assert_eq!(err.kind(), YamlErrorKind::TooDeep);
    assert_eq!(slice(text, err.span()), "d");
    assert!(load(&"[".repeat(128), &YamlLimits::default()).is_err());
    let ok = format!("{}{}", "[".repeat(128), "]".repeat(128));
    assert!(load(&ok, &YamlLimits::default()).is_ok());
    let deep = format!("{}{}", "[".repeat(129), "]".repeat(129));
    assert_eq!(load_err(&deep).kind(), YamlErrorKind::TooDeep);
}

#[test]
fn very_deep_nesting_fails_fast_on_a_small_stack() {
    let handle = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(|| {
            let inputs = [
                "[".repeat(100_000),
                format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
                "- ".repeat(100_000) + "x\n",
                "{a: ".repeat(100_000),
                (0..100_000).fold(String::new(), |mut s, i| {
                    s.push_str(&" ".repeat(i % 200));
                    s.push_str("k:\n");
                    s
                }),
            ];
            for text in &inputs {
                let start = Instant::now();
                let err = load(text, &YamlLimits::default()).expect_err("too deep");
                assert_eq!(err.kind(), YamlErrorKind::TooDeep, "{}", err.message());
                assert!(
                    start.elapsed() < Duration::from_secs(2),
                    "{:?}",
                    start.elapsed()
                );
            }
            // Without the depth limit the loader itself still does not recurse.
            let limits = YamlLimits {
                max_depth: usize::MAX,
                ..YamlLimits::default()
            };
            let text = "- ".repeat(100_000) + "x\n";
            let docs = load(&text, &limits).expect("loads");
            assert_eq!(docs[0].nodes().len(), 100_001);
            let deepest = docs[0].node_ids().last().unwrap();
            assert_eq!(docs[0].path_of(deepest).len(), 3 * 100_000);
            // Flow nesting beyond the parser's own limit (255) is too deep as well.
            let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
            assert_eq!(load_err_with(&text, &limits).kind(), YamlErrorKind::TooDeep);
        })
        .unwrap();
    handle.join().unwrap();
}

#[test]
fn max_nodes_counts_the_whole_stream() {
    let limits = YamlLimits {
        max_nodes: 4,
        ..YamlLimits::default()
    };
    assert!(load("[1, 2, 3]", &limits).is_ok());
    let text = "[1, 2, 3, 4]";
    let err = load_err_with(text, &limits);
    assert_eq!(err.kind(), YamlErrorKind::TooManyNodes);
    assert_eq!(slice(text, err.span()), "4");
    assert_eq!(
        load_err_with("[1, 2]\n---\n[3]", &limits).kind(),
        YamlErrorKind::TooManyNodes
    );
}

#[test]
fn max_scalar_bytes_applies_to_keys_and_values() {
    let limits = YamlLimits {
        max_scalar_bytes: 5,
        ..YamlLimits::default()
    };
    assert!(load("abcde: vwxyz", &limits).is_ok());
    let text = "a: \"123456\"";
    let err = load_err_with(text, &limits);
    assert_eq!(err.kind(), YamlErrorKind::ScalarTooLarge);
    assert_eq!(slice(text, err.span()), "\"123456\"");
    assert_eq!(
        load_err_with("abcdef: 1", &limits).kind(),
        YamlErrorKind::ScalarTooLarge
    );
}

#[test]
fn max_documents_limits_the_stream() {
    let limits = YamlLimits {
        max_documents: 2,
        ..YamlLimits::default()
    };
    assert_eq!(load("--- 1\n--- 2\n", &limits).unwrap().len(), 2);
    let text = "--- 1\n--- 2\n--- 3\n";
    let err = load_err_with(text, &limits);
    assert_eq!(err.kind(), YamlErrorKind::TooManyDocuments);
    assert_eq!(err.span().start, 12);
}

// ----- 9. syntax errors -----

#[test]
fn syntax_errors_point_at_one_character() {
    let text = "a: [1, 2\nb: é: c\n";
    let err = load_err(text);
    assert_eq!(err.kind(), YamlErrorKind::Syntax);
    assert!(err.span().len() <= 4);
    assert!(text.get(err.span().range()).is_some());
    let text = "key: \"ü\" x\n";
    let err = load_err(text);
    assert_eq!(err.kind(), YamlErrorKind::Syntax);
    assert_eq!(err.span(), Span::new(10, 11));
    assert_eq!(slice(text, err.span()), "x");
    let first = err.message().chars().next().unwrap();
    assert!(!first.is_uppercase(), "{}", err.message());
    assert!(!err.message().ends_with('.'));
    // An error at the very end has an empty span at the end.
    let text = "a: [1";
    let err = load_err(text);
    assert_eq!(err.span(), Span::new(5, 5));
    assert_eq!(err.code(), "tollgate::yaml::syntax");
}

// ----- 10. panics -----

#[test]
fn panics_become_syntax_errors() {
    let err = load::guarded(|| panic!("boom")).unwrap_err();
    assert_eq!(err.kind(), YamlErrorKind::Syntax);
    assert_eq!(err.message(), "internal yaml parser error");
}

fn assert_no_panic_and_valid_spans(text: &str) {
    match load(text, &YamlLimits::default()) {
        Ok(docs) => assert_spans_valid(text, &docs),
        Err(e) => {
            assert_ne!(
                e.message(),
                "internal yaml parser error",
                "panic on {text:?}"
            );
            assert!(
                !e.message().starts_with("internal yaml loader error"),
                "{} on {text:?}",
                e.message()
            );
            assert!(text.get(e.span().range()).is_some(), "{:?}", e.span());
            if let Some((span, _)) = e.secondary() {
                assert!(text.get(span.range()).is_some(), "{span:?}");
            }
        }
    }
}

fn yaml_soup() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "[",
        "]",
        "{",
        "}",
        ":",
        "-",
        "?",
        "&",
        "*",
        "!",
        "|",
        ">",
        "'",
        "\"",
        "#",
        "%",
        "@",
        ",",
        "\n",
        " ",
        "  ",
        "a",
        "b",
        "é",
        "---",
        "...",
        "!!",
        "\t",
        "\u{feff}",
        "1",
        "<<",
        "a: ",
        "- ",
        "\n  ",
        "&a ",
        "*a",
        "!!str ",
        "!!int ",
        "? ",
        "|\n",
        "\\",
        "%YAML 1.2\n",
    ]);
    prop::collection::vec(pieces, 0..120).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_strings_never_panic(text in "\\PC*") {
        assert_no_panic_and_valid_spans(&text);
    }

    #[test]
    fn yaml_punctuation_soup_never_panics(text in yaml_soup()) {
        assert_no_panic_and_valid_spans(&text);
    }
}

// ----- paths and labels -----

#[test]
fn path_of_renders_keys_and_indexes() {
    let text =
        "remote_access:\n  methods:\n    - approval: manager\n      \"a key\": {\"q\\\"\": 1}\n";
    let doc = load_one(text);
    assert_eq!(doc.path_of(doc.root()), "");
    let approval = at(&doc, "remote_access.methods.0.approval");
    assert_eq!(doc.path_of(approval), "remote_access.methods[0].approval");
    let quoted = at(&doc, "remote_access.methods.0.a key.q\"");
    assert_eq!(
        doc.path_of(quoted),
        "remote_access.methods[0][\"a key\"][\"q\\\"\"]"
    );
    let doc = load_one("- [a, {b.c: 1}]\n");
    let dotted = doc.get(at(&doc, "0.1"), "b.c").unwrap();
    assert_eq!(doc.path_of(dotted), "[0][1][\"b.c\"]");
}

#[test]
fn label_spans_point_at_keys() {
    let text = "svc:\n  methods:\n    - name: a\n      mfa: true\n    - x\n";
    let doc = load_one(text);
    // A collection under a key: the key.
    assert_eq!(slice(text, doc.label_span(at(&doc, "svc"))), "svc");
    assert_eq!(
        slice(text, doc.label_span(at(&doc, "svc.methods"))),
        "methods"
    );
    // A mapping in a sequence: its first key.
    assert_eq!(
        slice(text, doc.label_span(at(&doc, "svc.methods.0"))),
        "name"
    );
    // Scalars: themselves.
    assert_eq!(
        slice(text, doc.label_span(at(&doc, "svc.methods.0.mfa"))),
        "true"
    );
    assert_eq!(slice(text, doc.label_span(at(&doc, "svc.methods.1"))), "x");
}

#[test]
fn collection_spans_cover_the_collection() {
    let text = "a:\n  b: 1\n  c: [x, y]  # note\nd:\n- 1\n- 2\ne: &x\n  f: g\n";
    let doc = load_one(text);
    assert_eq!(
        slice(text, doc.node(at(&doc, "a")).unwrap().span),
        "b: 1\n  c: [x, y]"
    );
    assert_eq!(
        slice(text, doc.node(at(&doc, "a.c")).unwrap().span),
        "[x, y]"
    );
    assert_eq!(
        slice(text, doc.node(at(&doc, "d")).unwrap().span),
        "- 1\n- 2"
    );
    assert_eq!(slice(text, doc.node(at(&doc, "e")).unwrap().span), "f: g");
    assert_eq!(
        slice(text, doc.node(doc.root()).unwrap().span),
        text.trim_end()
    );
    assert_eq!(slice(text, doc.span()), text.trim_end());
    let node = doc.node(at(&doc, "a.b")).unwrap();
    assert_eq!(node.parent, Some(at(&doc, "a")));
    assert_eq!(node.key, Some(ParentSlot::Entry(0)));
    assert_eq!(doc.key_of(at(&doc, "a.c")), Some("c"));
    assert_eq!(
        doc.segment(at(&doc, "a.c")),
        Some(PathSegment::Key("c".into()))
    );
    assert_eq!(
        doc.entry_of(at(&doc, "a.c")).unwrap().key_span,
        Span::new(12, 13)
    );
    assert_eq!(doc.segment(at(&doc, "d.1")), Some(PathSegment::Index(1)));
    assert_eq!(doc.segment(doc.root()), None);
    let item = doc.node(at(&doc, "d.1")).unwrap();
    assert_eq!(item.key, Some(ParentSlot::Item(1)));
}

#[test]
fn get_looks_up_mapping_keys() {
    let doc = load_one("a: 1\nb: [2]\n");
    assert!(doc.get(doc.root(), "a").is_some());
    assert!(doc.get(doc.root(), "z").is_none());
    assert!(doc.get(at(&doc, "b"), "a").is_none());
    assert!(doc.node(NodeId(99)).is_none());
}
