//! Findings and the places they point at

use std::sync::Arc;

use serde::Serialize;

use crate::rule::Severity;
use crate::source::{LineCol, SourceFile, Span};

/// A place in an input file
#[derive(Clone, Debug, Serialize)]
pub struct Located {
    /// Display path of the file
    pub file: String,
    /// Start line and column (1-based; columns count characters)
    pub start: LineCol,
    /// End line and column (exclusive)
    pub end: LineCol,
    /// Byte span
    #[serde(serialize_with = "serialize_span")]
    pub span: Span,
    /// Path of the node in the document, e.g. `remote_access.methods[0].approval`
    pub path: String,
    #[serde(skip)]
    pub(crate) source: Option<Arc<SourceFile>>,
}

fn serialize_span<S: serde::Serializer>(span: &Span, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeStruct;
    let mut st = s.serialize_struct("Span", 2)?;
    st.serialize_field("offset", &span.start)?;
    st.serialize_field("length", &span.len())?;
    st.end()
}

impl Located {
    pub(crate) fn new(file: &Arc<SourceFile>, span: Span, path: String) -> Self {
        Self {
            file: file.name().to_owned(),
            start: file.line_col(span.start),
            end: file.line_col(span.end),
            span,
            path,
            source: Some(Arc::clone(file)),
        }
    }
}

/// Where the rule that produced a finding is written
#[derive(Clone, Debug, Serialize)]
pub struct RuleLocation {
    /// Rule file
    pub file: String,
    /// Line and column of the failing condition
    pub start: LineCol,
    /// Byte span of the failing condition
    #[serde(skip)]
    pub span: Span,
}

impl RuleLocation {
    pub(crate) fn new(file: &Arc<SourceFile>, span: Span) -> Self {
        Self {
            file: file.name().to_owned(),
            start: file.line_col(span.start),
            span,
        }
    }
}

/// A second location shown with a finding
#[derive(Clone, Debug, Serialize)]
pub struct RelatedLocation {
    /// What is there
    pub label: String,
    /// Where
    pub location: Located,
}

/// A rule violation found in an input
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    /// Stable rule id, e.g. `TG0701`
    pub rule_id: String,
    /// Rule name, e.g. `remote-access-without-session-approval`
    pub rule_name: String,
    /// Index of the rule in [`Report::rules`]
    #[serde(skip)]
    pub rule_index: usize,
    /// Requirement ids the rule evidences
    pub requirements: Vec<String>,
    /// Severity
    pub severity: Severity,
    /// What is wrong, about the user's configuration
    pub message: String,
    /// Index of the document in its file (0 for single-document files)
    pub document: usize,
    /// Where in the input
    pub location: Located,
    /// The place as a path in which list items are named by their `id` or `name`, e.g.
    /// `remote_access.methods[name=vendor-vpn].approval`: it stays the same when items are
    /// reordered or lines move, so waivers and baselines can refer to it
    pub logical_path: String,
    /// Stable identity of the finding across edits that move lines: a hash of the rule id,
    /// the file's display path, the document, the logical path and the missing key
    pub fingerprint: String,
    /// The key that is missing, when the finding is about an absent field
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing: Option<String>,
    /// A hint about the value itself, e.g. that `yes` is text, not a boolean, in YAML 1.2
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// Other places worth showing
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<RelatedLocation>,
    /// What kind of finding: a violation, a missing field, or no record at all
    pub kind: FindingKind,
    /// Other rules that need the same missing fact and therefore could not check it; they
    /// report no finding of their own (one fact, one finding)
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub needed_by: Vec<String>,
    /// The condition that failed
    pub rule_location: RuleLocation,
}

/// What a finding says about the submission
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    /// A value or record breaks the rule
    Violation,
    /// A field the rule needs is absent
    Missing,
    /// The rule needs at least one record of a kind and there is none (`none "..."`)
    NoRecord,
}

impl FindingKind {
    /// Whether the finding is about absent evidence rather than a wrong value
    #[must_use]
    pub const fn is_missing_evidence(self) -> bool {
        matches!(self, Self::Missing | Self::NoRecord)
    }
}

impl Finding {
    pub(crate) fn sort_key(&self) -> (usize, usize, &str, &str) {
        (
            self.document,
            self.location.span.start,
            &self.rule_id,
            &self.message,
        )
    }
}
