//! What happened to a rule on a document, and to an input

use serde::Serialize;

use crate::contract::OutcomeReason;

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

impl InputOutcome {
    /// The keyword, as JSON writes it
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::Error => "error",
        }
    }
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

impl AsOfSource {
    /// Where the date came from, for a summary line
    #[must_use]
    pub const fn describe(self) -> &'static str {
        match self {
            Self::CommandLine => "from --as-of",
            Self::Submission => "from submission.date",
            Self::Today => "today",
        }
    }
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
