//! Structural validation of a delivery document against the model's schema
//!
//! Walks the located YAML tree next to the schema (no JSON conversion, so every issue keeps its
//! exact span) and reports values of the wrong type and keys the model does not have. A key
//! written without a value is absent, never a type error: the rules that need it say so.

use serde_json::Value as Json;

use crate::source::Span;
use crate::yaml::{Document, NodeId, Value};

use super::{resolve, root};

/// What is wrong
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ModelIssueKind {
    /// The value has another type than the model says
    TypeMismatch {
        /// What the model expects, in words (`a whole number of days`)
        expected: String,
        /// What was written (`` `two weeks` ``)
        found: String,
        /// How to write it
        help: Option<String>,
    },
    /// A key the model does not have
    UnknownKey {
        /// The key
        key: String,
        /// The closest known key, when one is close
        suggestion: Option<String>,
        /// Keys allowed here
        known: Vec<String>,
    },
}

/// One structural issue
#[derive(Clone, Debug)]
pub(crate) struct ModelIssue {
    /// The offending value (for an unknown key: its value; the span is the key's)
    pub(crate) node: NodeId,
    /// Where to point
    pub(crate) span: Span,
    pub(crate) kind: ModelIssueKind,
}

/// Validates a whole document against the delivery model, in document order
pub(crate) fn validate(doc: &Document) -> Vec<ModelIssue> {
    let mut issues = Vec::new();
    // (node, schema, name of the field that holds it)
    let mut stack: Vec<(NodeId, &'static Json, String)> = vec![(doc.root(), root(), String::new())];
    while let Some((node, schema, field)) = stack.pop() {
        let schema = resolve(schema);
        let Some(n) = doc.node(node) else { continue };
        if matches!(n.value, Value::Null) {
            continue;
        }
        if let Some(allowed) = enum_values(schema) {
            match &n.value {
                Value::String(s) if allowed.iter().any(|a| a == s.as_str()) => {}
                _ => issues.push(ModelIssue {
                    node,
                    span: n.span,
                    kind: ModelIssueKind::TypeMismatch {
                        expected: format!(
                            "one of {}",
                            allowed
                                .iter()
                                .map(|a| format!("`{a}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        found: found(doc, node),
                        help: closest(&scalar_text(&n.value), &allowed)
                            .map(|c| format!("did you mean `{c}`?")),
                    },
                }),
            }
            continue;
        }
        let Some(ty) = schema.get("type").and_then(Json::as_str) else {
            continue;
        };
        let mismatch = |expected: String, help: Option<String>| ModelIssue {
            node,
            span: n.span,
            kind: ModelIssueKind::TypeMismatch {
                expected,
                found: found(doc, node),
                help,
            },
        };
        match (ty, &n.value) {
            ("object", Value::Mapping(entries)) => {
                let properties = schema.get("properties").and_then(Json::as_object);
                // Pushed in reverse so issues come out in document order
                for entry in entries.iter().rev() {
                    if let Some(child) = properties.and_then(|p| p.get(entry.key.as_str())) {
                        stack.push((entry.value, child, entry.key.to_string()));
                    } else {
                        {
                            let known: Vec<String> = properties
                                .map(|p| p.keys().cloned().collect())
                                .unwrap_or_default();
                            issues.push(ModelIssue {
                                node: entry.value,
                                span: entry.key_span,
                                kind: ModelIssueKind::UnknownKey {
                                    key: entry.key.to_string(),
                                    suggestion: closest(&entry.key, &known),
                                    known,
                                },
                            });
                        }
                    }
                }
            }
            ("array", Value::Sequence(items)) => {
                if let Some(item_schema) = schema.get("items") {
                    for item in items.iter().rev() {
                        stack.push((*item, item_schema, field.clone()));
                    }
                }
            }
            ("string", Value::String(s))
                if schema.get("format").and_then(Json::as_str) == Some("date")
                    && crate::parse_iso_date(s).is_none() =>
            {
                issues.push(mismatch(
                    "a date written YYYY-MM-DD".to_owned(),
                    Some("write the date as `2026-11-23`".to_owned()),
                ));
            }
            // Numbers in text fields (serial numbers, phone numbers) read as text; a decimal
            // does not, since `1.10` would silently become `1.1`
            ("string", Value::String(_) | Value::Int(_))
            | ("integer", Value::Int(_))
            | ("number", Value::Int(_) | Value::Float(_))
            | ("boolean", Value::Bool(_)) => {}
            ("string", _) => issues.push(mismatch(
                "text".to_owned(),
                Some(
                    "put the value in quotes: unquoted, `1.10` reads as the number 1.1 and `true` \
                     as a boolean"
                        .to_owned(),
                ),
            )),
            ("integer", _) => issues.push(mismatch(
                whole_number(&field),
                Some("write digits only, e.g. `30`".to_owned()),
            )),
            ("boolean", value) => {
                let help = match value {
                    Value::String(s) => {
                        yaml11_bool(s).map(|b| format!("YAML 1.2 reads `{s}` as text; write `{b}`"))
                    }
                    _ => None,
                };
                issues.push(mismatch(
                    "`true` or `false`".to_owned(),
                    help.or_else(|| Some("write `true` or `false`".to_owned())),
                ));
            }
            ("array", _) => issues.push(mismatch(
                "a list".to_owned(),
                Some("write one `- item` per line, or `[a, b]`".to_owned()),
            )),
            ("object", _) => {
                issues.push(mismatch("a mapping of `key: value` lines".to_owned(), None));
            }
            _ => {}
        }
    }
    issues
}

/// The allowed strings of an enum (`enum`, or `oneOf` of `const`s as generated for
/// documented variants)
fn enum_values(schema: &Json) -> Option<Vec<String>> {
    if let Some(values) = schema.get("enum").and_then(Json::as_array) {
        return Some(
            values
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
        );
    }
    let variants = schema
        .get("oneOf")
        .or_else(|| schema.get("anyOf"))
        .and_then(Json::as_array)?;
    variants
        .iter()
        .map(|v| {
            v.get("const")
                .and_then(Json::as_str)
                .map(str::to_owned)
                .or_else(|| {
                    v.get("enum")
                        .and_then(Json::as_array)
                        .and_then(|e| e.first())
                        .and_then(Json::as_str)
                        .map(str::to_owned)
                })
        })
        .collect()
}

fn whole_number(field: &str) -> String {
    let unit = [
        ("_days", " of days"),
        ("_minutes", " of minutes"),
        ("_hours", " of hours"),
        ("_length", " of characters"),
    ]
    .iter()
    .find(|(suffix, _)| field.ends_with(suffix))
    .map_or("", |(_, unit)| unit);
    format!("a whole number{unit}")
}

fn yaml11_bool(s: &str) -> Option<bool> {
    match s.to_ascii_lowercase().as_str() {
        "yes" | "y" | "on" => Some(true),
        "no" | "n" | "off" => Some(false),
        _ => None,
    }
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => String::new(),
        Value::Sequence(_) => "a list".to_owned(),
        Value::Mapping(_) => "a mapping".to_owned(),
    }
}

/// What was written, for a message
fn found(doc: &Document, node: NodeId) -> String {
    match doc.node(node).map(|n| &n.value) {
        Some(Value::Sequence(_)) => "a list".to_owned(),
        Some(Value::Mapping(_)) => "a mapping".to_owned(),
        Some(value) => {
            let text = scalar_text(value);
            let short: String = text.chars().take(60).collect();
            if short.len() < text.len() {
                format!("`{short}…`")
            } else {
                format!("`{short}`")
            }
        }
        None => "nothing".to_owned(),
    }
}

/// The closest candidate within a small edit distance
pub(crate) fn closest(word: &str, candidates: &[String]) -> Option<String> {
    let word_lower = word.to_lowercase().replace('-', "_");
    // `mfa_enabled` for `mfa`: a known key plus a qualifier counts as close
    let distance = |c: &str| {
        if word_lower.starts_with(&format!("{c}_")) || c.starts_with(&format!("{word_lower}_")) {
            1
        } else {
            strsim::damerau_levenshtein(&word_lower, c)
        }
    };
    candidates
        .iter()
        .map(|c| (distance(c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.clone())
}
