//! Splits a rule's `///` doc comment into title, summary and known sections
//!
//! The doc comment is the single source of a rule's documentation: `explain`, the generated
//! docs and SARIF help all read these sections, and the two YAML examples are executed by tests.

use super::ast::{RuleDocs, Spanned};
use super::parser::SyntaxError;
use crate::source::Span;

/// Section headings with a meaning; others are kept as they are
pub(crate) const RATIONALE: &str = "Why it matters";
pub(crate) const REMEDIATION: &str = "How to fix";
pub(crate) const NONCOMPLIANT: &str = "Non-compliant example";
pub(crate) const COMPLIANT: &str = "Compliant example";

pub(crate) fn parse_docs(
    lines: &[Spanned<String>],
    rule_span: Span,
    errors: &mut Vec<SyntaxError>,
) -> RuleDocs {
    let mut docs = RuleDocs {
        raw: lines.iter().map(|l| l.value.clone()).collect(),
        ..RuleDocs::default()
    };
    let mut iter = lines.iter().peekable();
    // Title: the first non-empty line
    while let Some(line) = iter.peek() {
        if line.value.trim().is_empty() {
            iter.next();
        } else {
            break;
        }
    }
    if let Some(line) = iter.next() {
        if line.value.starts_with('#') {
            errors.push(
                SyntaxError::spanning(
                    line.span,
                    "a rule's doc comment starts with its title, not a heading",
                )
                .label("heading where the title belongs")
                .help("write one sentence saying what the rule expects on the first `///` line")
                .code("rule::docs"),
            );
        }
        docs.title = Spanned::new(line.value.trim().to_owned(), line.span);
    }
    let mut current: Option<(String, Span)> = None;
    let mut body: Vec<&Spanned<String>> = Vec::new();
    let flush = |heading: Option<(String, Span)>,
                 body: &mut Vec<&Spanned<String>>,
                 docs: &mut RuleDocs,
                 errors: &mut Vec<SyntaxError>| {
        let text = join_body(body);
        match heading {
            None => docs.summary = text,
            Some((h, span)) => match h.as_str() {
                RATIONALE => docs.rationale = Some(text),
                REMEDIATION => docs.remediation = Some(text),
                NONCOMPLIANT | COMPLIANT => {
                    let example = yaml_block(body);
                    if example.is_none() {
                        errors.push(
                            SyntaxError::spanning(
                                span,
                                format!("section `{h}` has no ```yaml block"),
                            )
                            .label("example without YAML")
                            .help("put the example in a fenced block: ```yaml ... ```")
                            .code("rule::docs"),
                        );
                    }
                    if h == NONCOMPLIANT {
                        docs.noncompliant_example = example;
                    } else {
                        docs.compliant_example = example;
                    }
                }
                _ => docs.other_sections.push((h, text)),
            },
        }
        body.clear();
    };
    for line in iter {
        if let Some(heading) = line.value.strip_prefix("## ") {
            flush(current.take(), &mut body, &mut docs, errors);
            current = Some((heading.trim().to_owned(), line.span));
        } else {
            body.push(line);
        }
    }
    flush(current, &mut body, &mut docs, errors);
    let _ = rule_span;
    docs
}

fn join_body(body: &[&Spanned<String>]) -> String {
    let text: Vec<&str> = body.iter().map(|l| l.value.as_str()).collect();
    text.join("\n").trim().to_owned()
}

/// The content of the first fenced `yaml` block, with the span of its first to last line
fn yaml_block(body: &[&Spanned<String>]) -> Option<Spanned<String>> {
    let start = body.iter().position(|l| {
        let t = l.value.trim();
        t == "```yaml" || t == "```yml"
    })?;
    let rest = body.get(start + 1..)?;
    let len = rest.iter().position(|l| l.value.trim() == "```")?;
    let lines = rest.get(..len)?;
    let mut text = String::new();
    for line in lines {
        text.push_str(&line.value);
        text.push('\n');
    }
    let span = match (lines.first(), lines.last()) {
        (Some(first), Some(last)) => first.span.cover(last.span),
        _ => body.get(start).map(|l| l.span).unwrap_or_default(),
    };
    Some(Spanned::new(text, span))
}
