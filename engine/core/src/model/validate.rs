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

/// The schema compiled once into the shapes the walk needs: no JSON lookups, no hashing per
/// node (the validator runs on every document, so it is on the hot path)
enum Shape {
    /// Fields and the shape of each; unknown keys are issues
    Object(Vec<(String, usize)>),
    /// The shape of every item
    Array(usize),
    Text,
    Date,
    Integer,
    Number,
    Boolean,
    Enum(Vec<String>),
    /// Anything goes
    Any,
}

struct Compiled {
    shapes: Vec<Shape>,
}

static COMPILED: std::sync::LazyLock<Compiled> = std::sync::LazyLock::new(|| {
    let mut compiled = Compiled { shapes: Vec::new() };
    let mut by_ref: Vec<(String, usize)> = Vec::new();
    compiled.add(root(), &mut by_ref);
    compiled
});

impl Compiled {
    /// Adds the shape of `schema` and returns its index; a `$ref` is compiled once
    fn add(&mut self, schema: &'static Json, by_ref: &mut Vec<(String, usize)>) -> usize {
        let name = schema.get("$ref").and_then(Json::as_str).map(str::to_owned);
        if let Some(name) = &name
            && let Some((_, index)) = by_ref.iter().find(|(n, _)| n == name)
        {
            return *index;
        }
        let index = self.shapes.len();
        self.shapes.push(Shape::Any);
        if let Some(name) = name {
            by_ref.push((name, index));
        }
        let schema = resolve(schema);
        let shape = if let Some(allowed) = enum_values(schema) {
            Shape::Enum(allowed)
        } else {
            match schema.get("type").and_then(Json::as_str) {
                Some("object") => {
                    let mut fields = Vec::new();
                    if let Some(properties) = schema.get("properties").and_then(Json::as_object) {
                        for (key, property) in properties {
                            let child = self.add(property, by_ref);
                            fields.push((key.clone(), child));
                        }
                    }
                    Shape::Object(fields)
                }
                Some("array") => match schema.get("items") {
                    Some(items) => Shape::Array(self.add(items, by_ref)),
                    None => Shape::Any,
                },
                Some("string") if schema.get("format").and_then(Json::as_str) == Some("date") => {
                    Shape::Date
                }
                Some("string") => Shape::Text,
                Some("integer") => Shape::Integer,
                Some("number") => Shape::Number,
                Some("boolean") => Shape::Boolean,
                _ => Shape::Any,
            }
        };
        if let Some(slot) = self.shapes.get_mut(index) {
            *slot = shape;
        }
        index
    }
}

/// Validates a whole document against the delivery model, in document order
pub(crate) fn validate(doc: &Document) -> Vec<ModelIssue> {
    let compiled = &*COMPILED;
    let mut issues = Vec::new();
    // (node, shape, name of the field that holds it)
    let mut stack: Vec<(NodeId, usize, &str)> = vec![(doc.root(), 0, "")];
    // An aliased node is shared by every place that uses it: checking it once keeps an alias
    // bomb (small file, huge expansion) from expanding here
    let mut visited = vec![false; doc.nodes().len()];
    while let Some((node, shape, field)) = stack.pop() {
        match visited.get_mut(node.index()) {
            Some(seen) if *seen => continue,
            Some(seen) => *seen = true,
            None => continue,
        }
        let Some(shape) = compiled.shapes.get(shape) else {
            continue;
        };
        let Some(n) = doc.node(node) else { continue };
        if matches!(n.value, Value::Null) {
            continue;
        }
        let mismatch = |expected: String, help: Option<String>| ModelIssue {
            node,
            span: n.span,
            kind: ModelIssueKind::TypeMismatch {
                expected,
                found: found(doc, node),
                help,
            },
        };
        match (shape, &n.value) {
            (Shape::Enum(allowed), Value::String(s)) if allowed.iter().any(|a| a == s.as_str()) => {
            }
            (Shape::Enum(allowed), value) => issues.push(mismatch(
                format!(
                    "one of {}",
                    allowed
                        .iter()
                        .map(|a| format!("`{a}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                closest(&scalar_text(value), allowed).map(|c| format!("did you mean `{c}`?")),
            )),
            (Shape::Object(fields), Value::Mapping(entries)) => {
                // Pushed in reverse so issues come out in document order
                for entry in entries.iter().rev() {
                    if let Some((name, child)) = fields.iter().find(|(k, _)| *k == *entry.key) {
                        stack.push((entry.value, *child, name.as_str()));
                    } else {
                        let known: Vec<String> = fields.iter().map(|(k, _)| k.clone()).collect();
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
            (Shape::Array(item), Value::Sequence(items)) => {
                for child in items.iter().rev() {
                    stack.push((*child, *item, field));
                }
            }
            (Shape::Date, Value::String(s)) if crate::parse_iso_date(s).is_none() => {
                issues.push(mismatch(
                    "a date written YYYY-MM-DD".to_owned(),
                    Some("write the date as `2026-11-23`".to_owned()),
                ));
            }
            // Numbers in text fields (serial numbers, phone numbers) read as text; a decimal
            // does not, since `1.10` would silently become `1.1`
            (Shape::Text | Shape::Date, Value::String(_))
            | (Shape::Text | Shape::Integer, Value::Int(_))
            | (Shape::Number, Value::Int(_) | Value::Float(_))
            | (Shape::Boolean, Value::Bool(_))
            | (Shape::Any, _) => {}
            (Shape::Text | Shape::Date, _) => issues.push(mismatch(
                "text".to_owned(),
                Some(
                    "put the value in quotes: unquoted, `1.10` reads as the number 1.1 and `true` \
                     as a boolean"
                        .to_owned(),
                ),
            )),
            (Shape::Integer | Shape::Number, _) => issues.push(mismatch(
                whole_number(field),
                Some("write digits only, e.g. `30`".to_owned()),
            )),
            (Shape::Boolean, value) => {
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
            (Shape::Array(_), _) => issues.push(mismatch(
                "a list".to_owned(),
                Some("write one `- item` per line, or `[a, b]`".to_owned()),
            )),
            (Shape::Object(_), _) => {
                issues.push(mismatch("a mapping of `key: value` lines".to_owned(), None));
            }
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
