//! One fact, one finding
//!
//! A single absent field is often needed by several rules (a patch without a description
//! stops every rule that reads it), and a value of the wrong type fails both the model check
//! and every rule that compares it. Reporting each would bury the one thing to fix under
//! copies of it. So after the rules of a document ran:
//!
//! - a finding on a value the model check already rejected (TG0001) is dropped, and its rule
//!   is *not checkable* because of that value;
//! - of the findings that report the same missing field at the same place, the first rule's
//!   (the lowest id) is kept and names the others in `needed_by`; the others are *not
//!   checkable* because of the missing fact.
//!
//! The per-requirement verdicts of those rules are `missing-evidence`, so no requirement
//! passes for want of a finding.

use std::collections::HashMap;

use super::OutcomeReason;
use crate::report::{Finding, FindingKind, RuleOutcome, RuleResult};
use crate::source::Span;

/// A value the model check rejected: where, its path, and the check that reports it
pub(crate) struct RejectedValue {
    pub(crate) span: Span,
    pub(crate) path: String,
    pub(crate) check: &'static str,
}

/// Applies "one fact, one finding" to one document's findings and rule results
pub(crate) fn one_finding_per_fact(
    findings: &mut Vec<Finding>,
    results: &mut [RuleResult],
    rejected: &[RejectedValue],
    is_model_check: impl Fn(usize) -> bool,
) {
    let rejected_at: HashMap<Span, &RejectedValue> = rejected.iter().map(|r| (r.span, r)).collect();
    // (file position, missing key) -> index of the kept finding in `kept`
    let mut owners: HashMap<(Span, String), usize> = HashMap::new();
    // rule index -> why its findings were dropped
    let mut dropped: HashMap<usize, Vec<OutcomeReason>> = HashMap::new();
    let mut kept: Vec<Finding> = Vec::with_capacity(findings.len());
    for finding in findings.drain(..) {
        if is_model_check(finding.rule_index) {
            kept.push(finding);
            continue;
        }
        if finding.kind == FindingKind::Violation
            && let Some(value) = rejected_at.get(&finding.location.span)
        {
            dropped
                .entry(finding.rule_index)
                .or_default()
                .push(OutcomeReason::InvalidValue {
                    reported_by: value.check.to_owned(),
                    path: value.path.clone(),
                });
            continue;
        }
        if let (FindingKind::Missing, Some(key)) = (finding.kind, &finding.missing) {
            let fact = (finding.location.span, key.clone());
            if let Some(&owner) = owners.get(&fact) {
                if let Some(owner) = kept.get_mut(owner)
                    && owner.rule_index != finding.rule_index
                {
                    if !owner.needed_by.contains(&finding.rule_id) {
                        owner.needed_by.push(finding.rule_id.clone());
                    }
                    dropped.entry(finding.rule_index).or_default().push(
                        OutcomeReason::MissingFact {
                            reported_by: owner.rule_id.clone(),
                            path: missing_path(&finding.location.path, key),
                        },
                    );
                }
                continue;
            }
            owners.insert(fact, kept.len());
        }
        kept.push(finding);
    }
    *findings = kept;
    if dropped.is_empty() {
        return;
    }
    // Outcomes of the rules that lost findings, from what they still report
    let mut left: HashMap<usize, (usize, bool)> = HashMap::new();
    for f in findings.iter() {
        let entry = left.entry(f.rule_index).or_insert((0, false));
        entry.0 += 1;
        entry.1 |= f.kind == FindingKind::Violation;
    }
    for result in results.iter_mut() {
        let Some(mut reasons) = dropped.remove(&result.rule) else {
            continue;
        };
        reasons.sort();
        reasons.dedup();
        let first = reasons.first().cloned();
        result.unchecked = reasons;
        if result.outcome == RuleOutcome::Error {
            continue;
        }
        if let Some(&(count, violation)) = left.get(&result.rule) {
            result.findings = count;
            result.outcome = if violation {
                RuleOutcome::Fail
            } else {
                RuleOutcome::MissingEvidence
            };
        } else {
            result.findings = 0;
            result.outcome = RuleOutcome::NotCheckable;
            result.reason = first;
        }
    }
}

/// The path of a missing field, from the path of the node that should hold it
fn missing_path(node_path: &str, key: &str) -> String {
    if node_path.is_empty() {
        return key.to_owned();
    }
    // A key written with no value is located at its own node
    let last = node_path.rsplit('.').next().unwrap_or(node_path);
    if last == key {
        node_path.to_owned()
    } else {
        format!("{node_path}.{key}")
    }
}

#[cfg(test)]
mod tests {
    use super::missing_path;

    #[test]
    fn missing_paths_name_the_field_once() {
        assert_eq!(missing_path("", "staffing"), "staffing");
        assert_eq!(
            missing_path("patch_management.patches[0]", "description"),
            "patch_management.patches[0].description"
        );
        assert_eq!(missing_path("submission.date", "date"), "submission.date");
    }
}
