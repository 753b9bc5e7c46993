//! The one result structure every output format reads
//!
//! [`Report`] holds every input with its outcome, every finding and every tool problem, sorted
//! deterministically, and a [`Summary`] computed once from them. Emitters (human, JSON, and
//! later SARIF, `JUnit`, HTML, OSCAL) only format it; none computes its own counts.

pub mod human;
pub mod json;

use std::sync::Arc;

use serde::Serialize;

use crate::contract::{OutcomeReason, RequirementVerdict, VerdictCounts};
use crate::diagnostic::Problem;
use crate::rule::{RuleStatus, ServiceKind, Severity};
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
    fn sort_key(&self) -> (&str, usize, usize, &str, &str) {
        (
            &self.location.file,
            self.document,
            self.location.span.start,
            &self.rule_id,
            &self.message,
        )
    }
}

/// Outcome of one rule on one document
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleOutcome {
    /// Checked, no finding
    Pass,
    /// At least one violation
    Fail,
    /// Findings, all about absent fields or records
    MissingEvidence,
    /// Could not check: a fact it needs is missing or invalid, and another rule (or the
    /// model check) reports it; see the result's reason
    NotCheckable,
    /// Nothing to check (another service or phase, no item selected, guard false)
    NotApplicable,
    /// The rule could not be evaluated
    Error,
}

impl RuleOutcome {
    /// The keyword, as JSON writes it
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::MissingEvidence => "missing-evidence",
            Self::NotCheckable => "not-checkable",
            Self::NotApplicable => "not-applicable",
            Self::Error => "error",
        }
    }
}

/// One rule's outcome on one document
#[derive(Clone, Debug, Serialize)]
pub struct RuleResult {
    /// Index of the rule in [`Report::rules`]
    #[serde(skip)]
    pub rule: usize,
    /// Outcome
    pub outcome: RuleOutcome,
    /// Number of findings
    pub findings: usize,
    /// Why the rule was not applicable or not checkable
    #[serde(skip_serializing_if = "Option::is_none", flatten)]
    pub reason: Option<OutcomeReason>,
    /// Facts the rule could not judge because they are missing or invalid and reported
    /// once by another rule or the model check (one fact, one finding)
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unchecked: Vec<OutcomeReason>,
}

/// Outcome of an input file
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InputOutcome {
    /// Every document checked, no finding
    Pass,
    /// At least one finding
    Fail,
    /// Could not be read, parsed or fully evaluated
    Error,
}

/// Where a document's reference date came from
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AsOfSource {
    /// `--as-of`
    CommandLine,
    /// The document's `submission.date`
    Submission,
    /// The day of the run
    Today,
}

/// One YAML document of an input
#[derive(Clone, Debug, Serialize)]
pub struct DocumentReport {
    /// Index in the file
    pub index: usize,
    /// Document kind
    pub kind: String,
    /// Service kind the document declares, if any
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<ServiceKind>,
    /// Reference date used for date rules
    pub as_of: String,
    /// Where the date came from
    pub as_of_source: AsOfSource,
    /// Findings in this document
    pub findings: usize,
    /// Rule outcomes, in the order of [`Report::rules`]
    #[serde(skip)]
    pub results: Vec<RuleResult>,
    /// Counts of rule outcomes
    pub rules: OutcomeCounts,
    /// One verdict per requirement id the rules evidence, in the standard's order
    #[serde(skip)]
    pub verdicts: Vec<RequirementVerdict>,
    /// Counts of requirement verdicts
    pub requirements: VerdictCounts,
}

/// How many rules ended each way
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq, Eq)]
pub struct OutcomeCounts {
    /// Passed
    pub passed: usize,
    /// Failed
    pub failed: usize,
    /// Found only missing evidence
    pub missing_evidence: usize,
    /// Could not check because another rule reports the fact they need
    pub not_checkable: usize,
    /// Not applicable
    pub not_applicable: usize,
    /// Errored
    pub errored: usize,
}

impl OutcomeCounts {
    pub(crate) fn from_results(results: &[RuleResult]) -> Self {
        let mut c = Self::default();
        for r in results {
            match r.outcome {
                RuleOutcome::Pass => c.passed += 1,
                RuleOutcome::Fail => c.failed += 1,
                RuleOutcome::MissingEvidence => c.missing_evidence += 1,
                RuleOutcome::NotCheckable => c.not_checkable += 1,
                RuleOutcome::NotApplicable => c.not_applicable += 1,
                RuleOutcome::Error => c.errored += 1,
            }
        }
        c
    }
}

/// One input file and what happened to it
#[derive(Clone, Debug, Serialize)]
pub struct InputReport {
    /// Display path
    pub path: String,
    /// Outcome
    pub outcome: InputOutcome,
    /// Its documents
    pub documents: Vec<DocumentReport>,
    /// Findings in this file
    pub findings: usize,
    /// Tool errors in this file
    pub errors: usize,
}

/// A rule that ran
#[derive(Clone, Debug, Serialize)]
pub struct RuleInfo {
    /// Stable id
    pub id: String,
    /// Name
    pub name: String,
    /// Title (first doc line)
    pub title: String,
    /// Requirement ids
    pub requirements: Vec<String>,
    /// Functional area of the primary requirement, e.g. `SP.07`
    pub area: String,
    /// `BR` or `RE`, of the primary requirement
    pub requirement_kind: &'static str,
    /// Topic, when the rule gives one
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    /// Subtopic, when the rule gives one
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subtopic: Option<String>,
    /// Whether the requirement is about documentation
    pub documentation: bool,
    /// Maturity level the rule evidences (1 to 4)
    pub maturity: u8,
    /// Service kinds the rule applies to
    pub applies: Vec<ServiceKind>,
    /// Severity
    pub severity: Severity,
    /// Status
    pub status: RuleStatus,
    /// Rule file
    pub file: String,
}

impl RuleInfo {
    /// The metadata of a loaded rule
    #[must_use]
    pub fn of(loaded: &crate::pack::LoadedRule) -> Self {
        let rule = loaded.rule();
        let primary = rule.requirements.first().map(|q| q.value);
        Self {
            id: rule.id.value.clone(),
            name: rule.name.value.clone(),
            title: rule.docs.title.value.clone(),
            requirements: rule
                .requirements
                .iter()
                .map(|q| q.value.to_string())
                .collect(),
            area: primary
                .map(crate::rule::RequirementId::area_code)
                .unwrap_or_default(),
            requirement_kind: primary.map_or("BR", |q| q.kind()),
            topic: rule.topic.as_ref().map(|t| t.value.topic.clone()),
            subtopic: rule.topic.as_ref().and_then(|t| t.value.subtopic.clone()),
            documentation: rule.documentation.value,
            maturity: rule.maturity.value,
            applies: rule.applies.value.clone(),
            severity: rule.severity.value,
            status: rule.status.value,
            file: loaded.file().name().to_owned(),
        }
    }
}

/// Counts over the whole run; computed once by [`Summary::compute`]
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Summary {
    /// Input files
    pub inputs: usize,
    /// Inputs that passed
    pub passed: usize,
    /// Inputs with findings
    pub failed: usize,
    /// Inputs with tool errors
    pub errored: usize,
    /// YAML documents checked
    pub documents: usize,
    /// Rules in the pack
    pub rules: usize,
    /// Findings
    pub findings: usize,
    /// Findings per severity, most serious first
    pub by_severity: Vec<SeverityCount>,
    /// Tool errors
    pub errors: usize,
    /// Tool warnings
    pub warnings: usize,
}

/// Findings of one severity
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct SeverityCount {
    /// Severity
    pub severity: Severity,
    /// How many findings
    pub count: usize,
}

impl Summary {
    /// Counts everything in a report
    #[must_use]
    pub fn compute(
        inputs: &[InputReport],
        findings: &[Finding],
        problems: &[Problem],
        rules: usize,
    ) -> Self {
        let count = |o: InputOutcome| inputs.iter().filter(|i| i.outcome == o).count();
        Self {
            inputs: inputs.len(),
            passed: count(InputOutcome::Pass),
            failed: count(InputOutcome::Fail),
            errored: count(InputOutcome::Error),
            documents: inputs.iter().map(|i| i.documents.len()).sum(),
            rules,
            findings: findings.len(),
            by_severity: Severity::ALL
                .iter()
                .rev()
                .map(|s| SeverityCount {
                    severity: *s,
                    count: findings.iter().filter(|f| f.severity == *s).count(),
                })
                .collect(),
            errors: problems.iter().filter(|p| p.is_error()).count(),
            warnings: problems.iter().filter(|p| !p.is_error()).count(),
        }
    }
}

/// Everything a run produced
#[derive(Clone, Debug)]
pub struct Report {
    /// Tool name and version
    pub tool_version: String,
    /// `--as-of`, when given
    pub as_of: Option<String>,
    /// Rules of the run, sorted by id
    pub rules: Vec<RuleInfo>,
    /// Every input, sorted by path
    pub inputs: Vec<InputReport>,
    /// Every finding, sorted by file, document, position, rule id
    pub findings: Vec<Finding>,
    /// Tool errors and warnings, sorted by file and position
    pub problems: Vec<Problem>,
    /// Counts
    pub summary: Summary,
}

impl Report {
    /// Builds a report: sorts everything and computes the summary
    #[must_use]
    pub fn new(
        as_of: Option<String>,
        rules: Vec<RuleInfo>,
        mut inputs: Vec<InputReport>,
        mut findings: Vec<Finding>,
        mut problems: Vec<Problem>,
    ) -> Self {
        inputs.sort_by(|a, b| a.path.cmp(&b.path));
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        problems.sort_by_key(Problem::sort_key);
        let summary = Summary::compute(&inputs, &findings, &problems, rules.len());
        Self {
            tool_version: env!("CARGO_PKG_VERSION").to_owned(),
            as_of,
            rules,
            inputs,
            findings,
            problems,
            summary,
        }
    }

    /// Findings at or above a severity
    #[must_use]
    pub fn findings_at_or_above(&self, threshold: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity >= threshold)
            .count()
    }

    /// Whether any tool error happened
    #[must_use]
    pub fn has_errors(&self) -> bool {
        self.summary.errors > 0
    }
}
