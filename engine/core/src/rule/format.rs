//! Canonical formatting of rule files (`tollgate fmt`)
//!
//! Prints the syntax tree in one layout: metadata in a fixed order, then parameters, bindings
//! and guards, then requirements, two-space indentation, one blank line between groups and
//! between rules. Conditions are Rhai and are printed as written. `//` comments are kept: a
//! comment on its own line is printed above the statement it preceded, a comment after code
//! stays at the end of that statement's code. The property `parse(format(parse(x))) == parse(x)` is tested on the built-in
//! pack and the parser corpus.

use std::fmt::Write as _;

use super::ast::{ParamValue, Path, RuleFile, RuleStatus, Step};

/// A `//` comment and the start of its line
struct Comment {
    line_start: usize,
    text: String,
    /// Written after code on the same line; stays at the end of that statement's line
    trailing: bool,
}

fn comments(source: &str) -> Vec<Comment> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim_start();
        if trimmed.starts_with("///") {
            continue;
        }
        if let Some(at) = comment_start(line) {
            let text = line.get(at..).unwrap_or_default().trim_end().to_owned();
            let trailing = !line.get(..at).unwrap_or_default().trim().is_empty();
            out.push(Comment {
                line_start: start,
                text,
                trailing,
            });
        }
    }
    out
}

/// Byte offset of `//` outside a string literal
fn comment_start(line: &str) -> Option<usize> {
    let mut in_string = false;
    let mut escaped = false;
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else if b == b'"' {
            in_string = true;
        } else if b == b'/' && bytes.get(i + 1) == Some(&b'/') {
            return Some(i);
        }
    }
    None
}

/// A string literal of the rule language
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn literal(value: &ParamValue) -> String {
    match value {
        ParamValue::Int(i) => i.to_string(),
        ParamValue::Float(f) => format!("{f:?}"),
        ParamValue::Bool(b) => b.to_string(),
        ParamValue::String(s) => quoted(s),
        ParamValue::List(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|s| quoted(s))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn path(p: &Path) -> String {
    p.to_string()
}

/// One printed piece: the source offset it came from (to place comments) and its lines
struct Piece {
    offset: usize,
    text: String,
    /// Blank line before this piece
    gap: bool,
    /// Where a trailing comment goes: the end of the statement's code (after a whole
    /// condition, which a comment would otherwise cut short)
    trailing_at: usize,
}

/// Formats a parsed rule file; `source` is the text it was parsed from (for comments)
#[must_use]
pub fn format_rule_file(file: &RuleFile, source: &str) -> String {
    let all_comments = comments(source);
    let mut used = vec![false; all_comments.len()];
    let mut out = String::new();
    for (index, rule) in file.rules.iter().enumerate() {
        let mut pieces: Vec<Piece> = Vec::new();
        let mut push = |offset: usize, text: String, gap: bool| {
            let trailing_at = text.len().saturating_sub(1);
            pieces.push(Piece {
                offset,
                text,
                gap,
                trailing_at,
            });
        };
        push(
            rule.id.span.start,
            format!("  id {}\n", rule.id.value),
            false,
        );
        let requirements: Vec<String> = rule
            .requirements
            .iter()
            .map(|r| quoted(&r.value.to_string()))
            .collect();
        let first_requirement = rule.requirements.first().map_or(0, |r| r.span.start);
        push(
            first_requirement,
            format!("  requirement {}\n", requirements.join(", ")),
            false,
        );
        if let Some(topic) = &rule.topic {
            let subtopic = topic
                .value
                .subtopic
                .as_ref()
                .map(|s| format!(" / {}", quoted(s)))
                .unwrap_or_default();
            push(
                topic.span.start,
                format!("  topic {}{subtopic}\n", quoted(&topic.value.topic)),
                false,
            );
        }
        push(
            rule.documentation.span.start,
            format!(
                "  documentation {}\n",
                if rule.documentation.value {
                    "yes"
                } else {
                    "no"
                }
            ),
            false,
        );
        push(
            rule.maturity.span.start,
            format!("  maturity {}\n", rule.maturity.value),
            false,
        );
        push(
            rule.severity.span.start,
            format!("  severity {}\n", rule.severity.value),
            false,
        );
        let applies: Vec<&str> = rule.applies.value.iter().map(|s| s.as_str()).collect();
        push(
            rule.applies.span.start,
            format!("  applies {}\n", applies.join(", ")),
            false,
        );
        if rule.status.value != RuleStatus::Stable {
            push(
                rule.status.span.start,
                format!("  status {}\n", rule.status.value.as_str()),
                false,
            );
        }
        if rule.document_kind.value != "delivery" {
            push(
                rule.document_kind.span.start,
                format!("  kind {}\n", rule.document_kind.value),
                false,
            );
        }
        for (i, p) in rule.params.iter().enumerate() {
            let doc = p
                .doc
                .as_ref()
                .map(|d| format!(" {}", quoted(&d.value)))
                .unwrap_or_default();
            push(
                p.name.span.start,
                format!(
                    "  param {}: {} = {}{doc}\n",
                    p.name.value,
                    p.ty.value.as_str(),
                    literal(&p.default.value)
                ),
                i == 0,
            );
        }
        for (i, step) in rule.steps.iter().enumerate() {
            let (offset, text) = match step {
                Step::For { name, path: p } => (
                    name.span.start,
                    format!("  for {} in {}\n", name.value, path(p)),
                ),
                Step::Let { name, path: p } => (
                    name.span.start,
                    format!("  let {} = {}\n", name.value, path(p)),
                ),
                Step::When(e) => (e.source.span.start, format!("  when {}\n", e.source.value)),
            };
            push(offset, text, i == 0);
        }
        if let Some(message) = &rule.if_none {
            push(
                message.span.start,
                format!("  none {}\n", quoted(&message.value)),
                rule.steps.is_empty(),
            );
        }
        for (i, r) in rule.requires.iter().enumerate() {
            let mut text = format!(
                "  require {}\n    else {}\n",
                r.condition.source.value,
                quoted(&r.message.value)
            );
            if let Some(at) = &r.at {
                let _ = writeln!(text, "    at {}", path(at));
            }
            for related in &r.related {
                let _ = writeln!(
                    text,
                    "    related {} {}",
                    path(&related.path),
                    quoted(&related.label.value)
                );
            }
            let trailing_at = "  require ".len() + r.condition.source.value.len();
            pieces.push(Piece {
                offset: r.span.start,
                text,
                gap: i == 0,
                trailing_at,
            });
        }

        // Comments before this rule (outside any rule) go above its doc comment; comments
        // inside it go above the next statement in source order, or before `}`
        let rule_start = rule.span.start;
        let rule_end = rule.span.end;
        let mut leading = String::new();
        for (c, done) in all_comments.iter().zip(used.iter_mut()) {
            if !*done && c.line_start < rule_start {
                *done = true;
                leading.push_str(&c.text);
                leading.push('\n');
            }
        }
        let mut attached: Vec<Vec<&str>> = vec![Vec::new(); pieces.len()];
        let mut trailing: Vec<Vec<&str>> = vec![Vec::new(); pieces.len()];
        let mut closing: Vec<&str> = Vec::new();
        for (c, done) in all_comments.iter().zip(used.iter_mut()) {
            if *done || c.line_start >= rule_end {
                continue;
            }
            *done = true;
            let next = pieces
                .iter()
                .enumerate()
                .filter(|(_, p)| p.offset >= c.line_start)
                .min_by_key(|(_, p)| p.offset)
                .map(|(i, _)| i);
            let slot = if c.trailing {
                next.and_then(|i| trailing.get_mut(i))
            } else {
                next.and_then(|i| attached.get_mut(i))
            };
            match slot {
                Some(list) => list.push(&c.text),
                None => closing.push(&c.text),
            }
        }

        if index > 0 {
            out.push('\n');
        }
        out.push_str(&leading);
        // The parser drops the one space after `///`
        for line in &rule.docs.raw {
            let line = line.trim_end();
            if line.is_empty() {
                out.push_str("///\n");
            } else {
                let _ = writeln!(out, "/// {line}");
            }
        }
        let _ = writeln!(out, "rule {} {{", rule.name.value);
        for ((piece, comments), after) in pieces.iter().zip(&attached).zip(&trailing) {
            if piece.gap {
                out.push('\n');
            }
            for c in comments {
                let _ = writeln!(out, "  {c}");
            }
            if after.is_empty() {
                out.push_str(&piece.text);
            } else {
                let (code, rest) = piece.text.split_at(piece.trailing_at.min(piece.text.len()));
                out.push_str(code);
                for c in after {
                    out.push_str("  ");
                    out.push_str(c);
                }
                out.push_str(rest);
            }
        }
        for c in closing {
            let _ = writeln!(out, "  {c}");
        }
        out.push_str("}\n");
    }
    let trailing: Vec<&str> = all_comments
        .iter()
        .zip(&used)
        .filter(|(_, done)| !**done)
        .map(|(c, _)| c.text.as_str())
        .collect();
    if !trailing.is_empty() {
        if !out.is_empty() {
            out.push('\n');
        }
        for c in trailing {
            out.push_str(c);
            out.push('\n');
        }
    }
    out
}
