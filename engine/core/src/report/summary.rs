//! Counts over a run, computed once, input by input

use std::collections::BTreeMap;

use serde::Serialize;

use super::{AsOfSource, InputOutcome, InputReport, RunInfo};
use crate::contract::VerdictCounts;
use crate::rule::Severity;

/// Counts over the whole run; built by [`SummaryBuilder`]
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
    /// Rules in the run (the pack's and the model checks)
    pub rules: usize,
    /// Findings
    pub findings: usize,
    /// Findings per severity, most serious first
    pub by_severity: Vec<SeverityCount>,
    /// Requirement verdicts over every document
    pub requirements: VerdictCounts,
    /// Requirement verdicts per functional area, in the standard's order
    pub areas: Vec<AreaCounts>,
    /// Tool errors
    pub errors: usize,
    /// Tool warnings
    pub warnings: usize,
    /// The reference dates the documents used
    #[serde(skip)]
    pub as_of: AsOfSeen,
}

/// Which reference dates a run's documents used
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum AsOfSeen {
    /// No document
    #[default]
    None,
    /// One date, from one source, for every document
    One(String, AsOfSource),
    /// Several dates or sources
    Many,
}

impl Summary {
    /// Findings at or above a severity
    #[must_use]
    pub fn findings_at_or_above(&self, threshold: Severity) -> usize {
        self.by_severity
            .iter()
            .filter(|c| c.severity >= threshold)
            .map(|c| c.count)
            .sum()
    }

    /// Whether any tool error happened
    #[must_use]
    pub fn has_errors(&self) -> bool {
        self.errors > 0
    }
}

/// Findings of one severity
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct SeverityCount {
    /// Severity
    pub severity: Severity,
    /// How many findings
    pub count: usize,
}

/// Requirement verdicts of one functional area, over every document
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct AreaCounts {
    /// Functional area, e.g. `SP.07`
    pub area: String,
    /// Verdicts
    pub requirements: VerdictCounts,
}

/// Accumulates a [`Summary`] one input at a time, so a streaming run needs no list of inputs
#[derive(Debug)]
pub struct SummaryBuilder {
    summary: Summary,
    severities: [usize; Severity::ALL.len()],
    areas: BTreeMap<String, VerdictCounts>,
}

impl SummaryBuilder {
    /// Starts counting a run; the run's own problems count from the start
    #[must_use]
    pub fn new(run: &RunInfo) -> Self {
        let errors = run.problems.iter().filter(|p| p.is_error()).count();
        Self {
            summary: Summary {
                inputs: 0,
                passed: 0,
                failed: 0,
                errored: 0,
                documents: 0,
                rules: run.rules.len(),
                findings: 0,
                by_severity: Vec::new(),
                requirements: VerdictCounts::default(),
                areas: Vec::new(),
                errors,
                warnings: run.problems.len() - errors,
                as_of: AsOfSeen::None,
            },
            severities: [0; Severity::ALL.len()],
            areas: BTreeMap::new(),
        }
    }

    /// Counts one input
    pub fn add(&mut self, input: &InputReport) {
        let s = &mut self.summary;
        s.inputs += 1;
        match input.outcome {
            InputOutcome::Pass => s.passed += 1,
            InputOutcome::Fail => s.failed += 1,
            InputOutcome::Error => s.errored += 1,
        }
        s.documents += input.documents.len();
        s.findings += input.findings.len();
        for f in &input.findings {
            if let Some(slot) = Severity::ALL
                .iter()
                .position(|s| *s == f.severity)
                .and_then(|i| self.severities.get_mut(i))
            {
                *slot += 1;
            }
        }
        let errors = input.errors();
        s.errors += errors;
        s.warnings += input.problems.len() - errors;
        for doc in &input.documents {
            s.as_of = match std::mem::take(&mut s.as_of) {
                AsOfSeen::None => AsOfSeen::One(doc.as_of.clone(), doc.as_of_source),
                AsOfSeen::One(date, source) if date == doc.as_of && source == doc.as_of_source => {
                    AsOfSeen::One(date, source)
                }
                _ => AsOfSeen::Many,
            };
            for v in &doc.verdicts {
                s.requirements.add(v.verdict);
                let area = v
                    .requirement
                    .split('.')
                    .take(2)
                    .collect::<Vec<_>>()
                    .join(".");
                self.areas.entry(area).or_default().add(v.verdict);
            }
        }
    }

    /// The summary
    #[must_use]
    pub fn finish(mut self) -> Summary {
        self.summary.by_severity = Severity::ALL
            .iter()
            .zip(self.severities)
            .rev()
            .map(|(severity, count)| SeverityCount {
                severity: *severity,
                count,
            })
            .collect();
        self.summary.areas = self
            .areas
            .into_iter()
            .map(|(area, requirements)| AreaCounts { area, requirements })
            .collect();
        self.summary
    }
}
