use super::*;

const HEADER: &str = "/// Title.\nrule r {\n  id TG0001\n  requirement \"SP.07.04 BR\"\n  documentation no\n  maturity 2\n  severity high\n  applies integration\n";

fn parse(body: &str) -> (RuleFile, Vec<SyntaxError>) {
    parse_rule_file_text(&format!("{HEADER}{body}}}\n"))
}

fn one_rule(body: &str) -> Rule {
    let (file, errors) = parse(body);
    assert!(errors.is_empty(), "{errors:#?}");
    file.rules.into_iter().next().unwrap()
}

#[test]
fn requirement_ids() {
    assert_eq!(
        parse_requirement_id("SP.07.04 BR"),
        Some(RequirementId {
            area: 7,
            number: 4,
            enhancement: None
        })
    );
    assert_eq!(
        parse_requirement_id("SP.11.02 RE(2)"),
        Some(RequirementId {
            area: 11,
            number: 2,
            enhancement: Some(2)
        })
    );
    for bad in [
        "SP.7.4 BR",
        "SP.13.01 BR",
        "SP.07.04",
        "SP.07.04 RE(0)",
        "SP.07.04 RE1",
        "SP.07.04  BR",
        "sp.07.04 BR",
        "SP.07.00 BR",
    ] {
        assert_eq!(parse_requirement_id(bad), None, "{bad}");
    }
    assert_eq!(
        parse_requirement_id("SP.07.04 RE(1)").unwrap().to_string(),
        "SP.07.04 RE(1)"
    );
}

#[test]
fn condition_ends_at_else_on_the_same_line() {
    let rule = one_rule("  require doc.a == 1 else \"m\"\n");
    assert_eq!(rule.requires[0].condition.source.value, "doc.a == 1");
    assert_eq!(rule.requires[0].message.value, "m");
}

#[test]
fn condition_continues_on_lines_that_do_not_start_with_a_keyword() {
    let rule = one_rule(
        "  when doc.a == 1\n    && doc.b == 2\n  require doc.c\n    || doc.d\n    else \"m\"\n    at doc.c\n",
    );
    let Step::When(e) = &rule.steps[0] else {
        panic!()
    };
    assert_eq!(e.source.value, "doc.a == 1\n    && doc.b == 2");
    assert_eq!(
        rule.requires[0].condition.source.value,
        "doc.c\n    || doc.d"
    );
    assert_eq!(rule.requires[0].at.as_ref().unwrap().to_string(), "doc.c");
}

#[test]
fn else_inside_brackets_and_strings_does_not_end_a_condition() {
    let rule = one_rule("  require (if doc.a { 1 } else { 2 }) == \"else\" else \"m\"\n");
    assert_eq!(
        rule.requires[0].condition.source.value,
        "(if doc.a { 1 } else { 2 }) == \"else\""
    );
    let rule = one_rule("  require doc.elsewhere == 1 else \"m\"\n");
    assert_eq!(
        rule.requires[0].condition.source.value,
        "doc.elsewhere == 1"
    );
}

#[test]
fn condition_span_covers_its_text() {
    let text = format!("{HEADER}  require doc.a == 1 else \"m\"\n}}\n");
    let (file, errors) = parse_rule_file_text(&text);
    assert!(errors.is_empty());
    let span = file.rules[0].requires[0].condition.source.span;
    assert_eq!(&text[span.start..span.end], "doc.a == 1");
}

#[test]
fn string_escapes() {
    let rule = one_rule("  require doc.a else \"a \\\"q\\\" \\\\ b\"\n");
    assert_eq!(rule.requires[0].message.value, "a \"q\" \\ b");
}

#[test]
fn params_of_every_type() {
    let rule = one_rule(
        "  param a: int = 1_000 \"d\"\n  param b: float = 0.5\n  param c: bool = true\n  param d: string = \"x\"\n  param e: date = \"2026-01-31\"\n  param f: list = [\"x\", \"y\"]\n  require doc.a > a || b > 0.0 || c || d == \"\" || e == \"\" || f.len() > 0 else \"m\"\n",
    );
    let values: Vec<_> = rule
        .params
        .iter()
        .map(|p| p.default.value.clone())
        .collect();
    assert_eq!(
        values,
        vec![
            ParamValue::Int(1000),
            ParamValue::Float(0.5),
            ParamValue::Bool(true),
            ParamValue::String("x".into()),
            ParamValue::String("2026-01-31".into()),
            ParamValue::List(vec!["x".into(), "y".into()]),
        ]
    );
}

#[test]
fn bad_date_param_is_an_error() {
    let (_, errors) = parse("  param e: date = \"31.01.2026\"\n  require doc.a else \"m\"\n");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].code, "rule::param-type");
}

#[test]
fn unknown_statement_suggests_the_closest_keyword() {
    let (_, errors) = parse("  requir doc.a else \"m\"\n  require doc.a else \"m\"\n");
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].help.as_deref(), Some("did you mean `require`?"));
}

#[test]
fn recovery_reports_errors_from_several_rules() {
    let text =
        "/// A.\nrule a {\n  severity fatal\n  maturity 9\n}\n/// B.\nrule b {\n  severity high\n";
    let (file, errors) = parse_rule_file_text(text);
    assert!(file.rules.is_empty());
    let codes: Vec<_> = errors.iter().map(|e| e.code).collect();
    assert!(codes.contains(&"rule::invalid-value"), "{codes:?}");
    assert!(codes.contains(&"rule::unterminated-block"), "{codes:?}");
    assert!(codes.contains(&"rule::missing-statement"), "{codes:?}");
}

#[test]
fn doc_sections_are_split() {
    let text = "/// Title line.\n///\n/// Summary.\n///\n/// ## Why it matters\n/// Because.\n///\n/// ## How to fix\n/// Fix it.\n///\n/// ## Compliant example\n/// ```yaml\n/// a: 1\n/// ```\nrule r {\n  id TG0001\n  requirement \"SP.07.04 BR\"\n  documentation no\n  maturity 2\n  severity high\n  applies integration\n  require doc.a == 1 else \"m\"\n}\n";
    let (file, errors) = parse_rule_file_text(text);
    assert!(errors.is_empty(), "{errors:#?}");
    let docs = &file.rules[0].docs;
    assert_eq!(docs.title.value, "Title line.");
    assert_eq!(docs.summary, "Summary.");
    assert_eq!(docs.rationale.as_deref(), Some("Because."));
    assert_eq!(docs.remediation.as_deref(), Some("Fix it."));
    assert_eq!(docs.compliant_example.as_ref().unwrap().value, "a: 1\n");
    assert!(docs.noncompliant_example.is_none());
}

#[test]
fn ast_equality_ignores_spans() {
    let a = one_rule("  require doc.a == 1 else \"m\"\n");
    let b = one_rule("\n\n  require   doc.a == 1   else   \"m\"\n");
    assert_eq!(a, b);
}
