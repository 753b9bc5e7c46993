//! The rule language's syntax tree: what a rule file says, with a span on every node
//!
//! Equality ignores spans ([`Spanned`] compares values only), so a formatted and re-parsed
//! rule compares equal to the original.

use std::fmt;

use crate::source::Span;

/// A value and where it was written
#[derive(Clone, Debug, Eq)]
pub struct Spanned<T> {
    /// The value
    pub value: T,
    /// Where it was written in the rule file
    pub span: Span,
}

impl<T> Spanned<T> {
    /// Wraps a value
    pub const fn new(value: T, span: Span) -> Self {
        Self { value, span }
    }
}

impl<T: PartialEq> PartialEq for Spanned<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

/// Everything one rule file declares
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct RuleFile {
    /// The rules, in file order
    pub rules: Vec<Rule>,
}

/// One rule: metadata, parameters, bindings, guards and assertions
#[derive(Clone, Debug, Eq)]
pub struct Rule {
    /// The rule's kebab-case name, naming the violation (`remote-access-without-mfa`)
    pub name: Spanned<String>,
    /// The whole rule, from its first doc comment to its closing brace
    pub span: Span,
    /// The doc comment above the rule
    pub docs: RuleDocs,
    /// Stable short code (`TG0701`)
    pub id: Spanned<String>,
    /// Requirement ids the rule evidences; the first one is the primary
    pub requirements: Vec<Spanned<RequirementId>>,
    /// Topic and optional subtopic in the standard's classification
    pub topic: Option<Spanned<Topic>>,
    /// Whether the requirement is about documentation (the standard's `Doc?` column)
    pub documentation: Spanned<bool>,
    /// Maturity level the rule evidences, 1 to 4
    pub maturity: Spanned<u8>,
    /// How serious a finding is
    pub severity: Spanned<Severity>,
    /// Kinds of service the rule applies to
    pub applies: Spanned<Vec<ServiceKind>>,
    /// Lifecycle of the rule itself
    pub status: Spanned<RuleStatus>,
    /// Kind of document the rule reads
    pub document_kind: Spanned<String>,
    /// Typed, named parameters
    pub params: Vec<Param>,
    /// Bindings and guards, in the order they are applied
    pub steps: Vec<Step>,
    /// `none "message"`: the finding reported when no item of the `for` lists passes the
    /// guards, for rules that need at least one record (a document, a test, a contact)
    pub if_none: Option<Spanned<String>>,
    /// Assertions checked for every binding that passes the guards
    pub requires: Vec<Require>,
}

/// Doc comment of a rule, split into its sections
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct RuleDocs {
    /// The first line: what the rule expects, as a short sentence
    pub title: Spanned<String>,
    /// Paragraphs between the title and the first heading
    pub summary: String,
    /// `## Why it matters`
    pub rationale: Option<String>,
    /// `## How to fix`
    pub remediation: Option<String>,
    /// The YAML block under `## Non-compliant example`
    pub noncompliant_example: Option<Spanned<String>>,
    /// The YAML block under `## Compliant example`
    pub compliant_example: Option<Spanned<String>>,
    /// Other sections, heading and body, in order (e.g. `References`)
    pub other_sections: Vec<(String, String)>,
    /// The raw doc text, one entry per `///` line without the marker
    pub raw: Vec<String>,
}

impl Default for Spanned<String> {
    fn default() -> Self {
        Self::new(String::new(), Span::default())
    }
}

/// A requirement id such as `SP.07.04 BR` or `SP.07.04 RE(1)`
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RequirementId {
    /// Functional area, `SP.07` is 7
    pub area: u8,
    /// Requirement number within the area, `SP.07.04` is 4
    pub number: u8,
    /// `None` for a base requirement, `Some(n)` for `RE(n)`
    pub enhancement: Option<u8>,
}

impl RequirementId {
    /// `SP.07`
    #[must_use]
    pub fn area_code(self) -> String {
        format!("SP.{:02}", self.area)
    }

    /// `BR` or `RE`
    #[must_use]
    pub fn kind(self) -> &'static str {
        if self.enhancement.is_some() {
            "RE"
        } else {
            "BR"
        }
    }
}

impl fmt::Display for RequirementId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SP.{:02}.{:02} ", self.area, self.number)?;
        match self.enhancement {
            None => f.write_str("BR"),
            Some(n) => write!(f, "RE({n})"),
        }
    }
}

/// Topic and subtopic
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Topic {
    /// Topic
    pub topic: String,
    /// Subtopic, if the rule narrows it
    pub subtopic: Option<String>,
}

/// Severity of a finding, ordered from least to most serious
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing, never fails a run by default
    Info,
    /// Low
    Low,
    /// Medium
    Medium,
    /// High
    High,
    /// Critical
    Critical,
}

impl Severity {
    /// All severities, least serious first
    pub const ALL: [Self; 5] = [
        Self::Info,
        Self::Low,
        Self::Medium,
        Self::High,
        Self::Critical,
    ];

    /// The keyword used in rule files and on the command line
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
            Self::Critical => "critical",
        }
    }

    /// Parses a keyword
    #[must_use]
    pub fn parse(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == word)
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kind of service a provider delivers
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ServiceKind {
    /// Designing and building the automation solution
    Integration,
    /// Maintaining it after handover
    Maintenance,
}

impl ServiceKind {
    /// The keyword
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Integration => "integration",
            Self::Maintenance => "maintenance",
        }
    }
}

/// Lifecycle of a rule
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleStatus {
    /// Stable: its id and behaviour change only in a major release
    #[default]
    Stable,
    /// New: may still change
    Preview,
    /// Kept for compatibility, will be removed
    Deprecated,
}

impl RuleStatus {
    /// The keyword
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Stable => "stable",
            Self::Preview => "preview",
            Self::Deprecated => "deprecated",
        }
    }
}

/// A typed, named parameter with a default
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Param {
    /// Name, as used in conditions and messages
    pub name: Spanned<String>,
    /// Declared type
    pub ty: Spanned<ParamType>,
    /// Default value
    pub default: Spanned<ParamValue>,
    /// What the parameter means, for `explain` and profiles
    pub doc: Option<Spanned<String>>,
}

/// Type of a parameter
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ParamType {
    /// Whole number
    Int,
    /// Decimal number
    Float,
    /// `true` or `false`
    Bool,
    /// Text
    String,
    /// ISO date `YYYY-MM-DD`
    Date,
    /// List of strings
    List,
}

impl ParamType {
    /// The keyword
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Int => "int",
            Self::Float => "float",
            Self::Bool => "bool",
            Self::String => "string",
            Self::Date => "date",
            Self::List => "list",
        }
    }
}

/// A parameter value
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum ParamValue {
    /// Whole number
    Int(i64),
    /// Decimal number
    Float(f64),
    /// Boolean
    Bool(bool),
    /// Text or an ISO date
    String(String),
    /// List of strings
    List(Vec<String>),
}

// Floats in rule files are finite literals, so equality is total in practice
impl Eq for ParamValue {}

impl ParamValue {
    /// The type this value has
    #[must_use]
    pub const fn type_name(&self) -> &'static str {
        match self {
            Self::Int(_) => "int",
            Self::Float(_) => "float",
            Self::Bool(_) => "bool",
            Self::String(_) => "string",
            Self::List(_) => "list",
        }
    }
}

impl fmt::Display for ParamValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Int(i) => write!(f, "{i}"),
            Self::Float(x) => write!(f, "{x:?}"),
            Self::Bool(b) => write!(f, "{b}"),
            Self::String(s) => write!(f, "{s:?}"),
            Self::List(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item:?}")?;
                }
                f.write_str("]")
            }
        }
    }
}

/// A dotted path into the document, starting at a bound name, `doc`, or a top-level key
#[derive(Clone, Debug, Eq)]
pub struct Path {
    /// The segments, e.g. `["remote_access", "methods"]`
    pub segments: Vec<Spanned<String>>,
    /// The whole path
    pub span: Span,
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.segments.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            f.write_str(&seg.value)?;
        }
        Ok(())
    }
}

/// A binding or guard
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// `for NAME in PATH`: each item of the list at PATH
    For {
        /// Bound name
        name: Spanned<String>,
        /// List to iterate
        path: Path,
    },
    /// `let NAME = PATH`: the node at PATH
    Let {
        /// Bound name
        name: Spanned<String>,
        /// Node to bind
        path: Path,
    },
    /// `when EXPR`: skip the binding (not applicable) unless EXPR is true
    When(Expr),
}

/// A Rhai expression as written in the rule file
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expr {
    /// The expression text, trimmed
    pub source: Spanned<String>,
}

/// `require EXPR else "message"` with optional blame and related locations
#[derive(Clone, Debug, Eq)]
pub struct Require {
    /// Condition that must hold
    pub condition: Expr,
    /// Message template; `{name.path}` interpolates bound values and parameters
    pub message: Spanned<String>,
    /// `at PATH`: where to point instead of the first field the condition reads
    pub at: Option<Path>,
    /// `related PATH "label"`: other places worth showing
    pub related: Vec<Related>,
    /// The whole statement
    pub span: Span,
}

/// A second location shown with a finding
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    /// Where
    pub path: Path,
    /// What it is
    pub label: Spanned<String>,
}

// Equality of the nodes that carry a raw span compares everything but the span

impl PartialEq for Rule {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
            && self.docs == other.docs
            && self.id == other.id
            && self.requirements == other.requirements
            && self.topic == other.topic
            && self.documentation == other.documentation
            && self.maturity == other.maturity
            && self.severity == other.severity
            && self.applies == other.applies
            && self.status == other.status
            && self.document_kind == other.document_kind
            && self.params == other.params
            && self.steps == other.steps
            && self.if_none == other.if_none
            && self.requires == other.requires
    }
}

impl PartialEq for Path {
    fn eq(&self, other: &Self) -> bool {
        self.segments == other.segments
    }
}

impl PartialEq for Require {
    fn eq(&self, other: &Self) -> bool {
        self.condition == other.condition
            && self.message == other.message
            && self.at == other.at
            && self.related == other.related
    }
}
