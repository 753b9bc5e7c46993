//! One verdict per requirement id, from the outcomes of the rules that evidence it
//!
//! An asset owner judges requirements, not rules. A requirement is evidenced by one or more
//! rules; its verdict is decided here and only here, in this order:
//!
//! 1. `error`: a rule could not be evaluated, so nothing can be said;
//! 2. `fail`: a rule found a violation;
//! 3. `missing-evidence`: a rule found a record or field missing, or could not check because a
//!    fact it needs is missing or invalid (reported once, by the rule that owns it);
//! 4. `pass`: at least one rule checked something and found nothing;
//! 5. `not-applicable`: no rule of the requirement applied, with the reasons why.

use std::collections::BTreeMap;

use serde::Serialize;

use super::OutcomeReason;
use crate::pack::LoadedRule;
use crate::report::{RuleOutcome, RuleResult};
use crate::rule::RequirementId;

/// The verdict on one requirement for one document
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Checked, nothing wrong
    Pass,
    /// A violation was found
    Fail,
    /// The submission lacks a record or a value the requirement needs
    MissingEvidence,
    /// No rule of the requirement applies to this document
    NotApplicable,
    /// A rule could not be evaluated
    Error,
}

impl Verdict {
    /// Every verdict, in the order summaries show them
    pub const ALL: [Self; 5] = [
        Self::Fail,
        Self::MissingEvidence,
        Self::Error,
        Self::Pass,
        Self::NotApplicable,
    ];

    /// The keyword, as JSON writes it
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::MissingEvidence => "missing-evidence",
            Self::NotApplicable => "not-applicable",
            Self::Error => "error",
        }
    }

    /// Precedence when several rules evidence one requirement: the higher wins
    const fn rank(self) -> u8 {
        match self {
            Self::NotApplicable => 0,
            Self::Pass => 1,
            Self::MissingEvidence => 2,
            Self::Fail => 3,
            Self::Error => 4,
        }
    }

    /// What a rule outcome says about the requirements the rule evidences
    #[must_use]
    pub const fn of_outcome(outcome: RuleOutcome) -> Self {
        match outcome {
            RuleOutcome::Pass => Self::Pass,
            RuleOutcome::Fail => Self::Fail,
            RuleOutcome::MissingEvidence | RuleOutcome::NotCheckable => Self::MissingEvidence,
            RuleOutcome::NotApplicable => Self::NotApplicable,
            RuleOutcome::Error => Self::Error,
        }
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The verdict on one requirement for one document, with the rules behind it
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RequirementVerdict {
    /// Requirement id, e.g. `SP.07.04 BR`
    pub requirement: String,
    /// The verdict
    pub verdict: Verdict,
    /// Ids of the rules that decided it (those whose outcome gave the verdict)
    pub rules: Vec<String>,
    /// Why, when the verdict is `not-applicable` or `missing-evidence` without a finding of
    /// its own: the distinct reasons of the deciding rules
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<OutcomeReason>,
}

/// Sort key of a requirement in the standard's order
pub(crate) type RequirementKey = RequirementId;

/// Computes the verdict of every requirement the given rules evidence, in the standard's
/// order. `results` are one document's rule results; results of rules that evidence no
/// requirement (the model checks) are ignored.
#[must_use]
pub(crate) fn requirement_verdicts(
    rules: &[LoadedRule],
    results: &[RuleResult],
) -> Vec<RequirementVerdict> {
    let mut by_requirement: BTreeMap<RequirementKey, Vec<&RuleResult>> = BTreeMap::new();
    for result in results {
        let Some(rule) = rules.get(result.rule) else {
            continue;
        };
        for requirement in &rule.rule().requirements {
            by_requirement
                .entry(requirement.value)
                .or_default()
                .push(result);
        }
    }
    by_requirement
        .into_iter()
        .map(|(requirement, results)| decide(requirement, &results, rules))
        .collect()
}

fn decide(
    requirement: RequirementKey,
    results: &[&RuleResult],
    rules: &[LoadedRule],
) -> RequirementVerdict {
    let verdict = results
        .iter()
        .map(|r| Verdict::of_outcome(r.outcome))
        .max_by_key(|v| v.rank())
        .unwrap_or(Verdict::NotApplicable);
    let deciding: Vec<&&RuleResult> = results
        .iter()
        .filter(|r| Verdict::of_outcome(r.outcome) == verdict)
        .collect();
    let mut reasons: Vec<OutcomeReason> = deciding
        .iter()
        .filter(|r| r.findings == 0)
        .filter_map(|r| r.reason.clone())
        .collect();
    reasons.sort();
    reasons.dedup();
    let mut ids: Vec<String> = deciding
        .iter()
        .filter_map(|r| rules.get(r.rule).map(|l| l.rule().id.value.clone()))
        .collect();
    ids.sort();
    ids.dedup();
    RequirementVerdict {
        requirement: requirement.to_string(),
        verdict,
        rules: ids,
        reasons,
    }
}

/// How many requirements ended with each verdict
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct VerdictCounts {
    /// Passed
    pub pass: usize,
    /// Failed
    pub fail: usize,
    /// Missing evidence
    pub missing_evidence: usize,
    /// Not applicable
    pub not_applicable: usize,
    /// Errored
    pub error: usize,
}

impl VerdictCounts {
    /// Counts verdicts
    #[must_use]
    pub fn of<'a>(verdicts: impl IntoIterator<Item = &'a RequirementVerdict>) -> Self {
        let mut counts = Self::default();
        for v in verdicts {
            counts.add(v.verdict);
        }
        counts
    }

    /// Adds one verdict
    pub fn add(&mut self, verdict: Verdict) {
        match verdict {
            Verdict::Pass => self.pass += 1,
            Verdict::Fail => self.fail += 1,
            Verdict::MissingEvidence => self.missing_evidence += 1,
            Verdict::NotApplicable => self.not_applicable += 1,
            Verdict::Error => self.error += 1,
        }
    }

    /// The count of one verdict
    #[must_use]
    pub const fn get(&self, verdict: Verdict) -> usize {
        match verdict {
            Verdict::Pass => self.pass,
            Verdict::Fail => self.fail,
            Verdict::MissingEvidence => self.missing_evidence,
            Verdict::NotApplicable => self.not_applicable,
            Verdict::Error => self.error,
        }
    }
}
