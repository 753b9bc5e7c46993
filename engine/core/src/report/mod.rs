//! The one result structure every output format reads
//!
//! A run produces a [`RunInfo`] (the tool, the rules, problems not tied to an input), then one
//! [`InputReport`] per input in path order, then a [`Summary`] computed from them by
//! [`SummaryBuilder`]. Emitters implement [`Emitter`] and receive exactly that sequence, so
//! they can stream: a run over 10,000 files never needs to hold every finding. [`Report`]
//! is the same sequence collected, for callers that want it whole. No emitter computes its
//! own counts.

pub mod finding;
pub mod human;
pub mod json;
pub mod outcome;
mod summary;

use std::io;

use serde::Serialize;

pub use finding::{Finding, FindingKind, Located, RelatedLocation, RuleLocation};
pub use outcome::{AsOfSource, InputOutcome, OutcomeCounts, RuleOutcome, RuleResult};
pub use summary::{AreaCounts, AsOfSeen, SeverityCount, Summary, SummaryBuilder};

use crate::contract::{RequirementVerdict, VerdictCounts};
use crate::diagnostic::Problem;
use crate::rule::{RuleStatus, ServiceKind, Severity};
use crate::source::LineCol;

/// One YAML document of an input
#[derive(Clone, Debug, Serialize)]
pub struct DocumentReport {
    /// Index in the file, from 0
    pub index: usize,
    /// Where the document starts (its `---`, or its first node)
    pub start: LineCol,
    /// Document kind
    pub kind: String,
    /// Service kind the document declares, if any
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<ServiceKind>,
    /// Lifecycle phase the document declares, if any
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
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

/// One input file and everything checking it produced
#[derive(Clone, Debug)]
pub struct InputReport {
    /// Display path
    pub path: String,
    /// Outcome
    pub outcome: InputOutcome,
    /// Its documents, in file order
    pub documents: Vec<DocumentReport>,
    /// Its findings, sorted by document, position, rule id and message
    pub findings: Vec<Finding>,
    /// Tool errors and warnings about this file, sorted by position
    pub problems: Vec<Problem>,
}

impl InputReport {
    /// A file that could not be read or parsed at all
    #[must_use]
    pub fn failed(path: String, problem: Problem) -> Self {
        Self {
            path,
            outcome: InputOutcome::Error,
            documents: Vec::new(),
            findings: Vec::new(),
            problems: vec![problem],
        }
    }

    /// Tool errors about this file
    #[must_use]
    pub fn errors(&self) -> usize {
        self.problems.iter().filter(|p| p.is_error()).count()
    }

    /// Sorts findings and problems and derives the outcome from them
    pub(crate) fn finish(&mut self) {
        self.findings
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.problems.sort_by_key(Problem::sort_key);
        self.outcome = if self.errors() > 0 {
            InputOutcome::Error
        } else if self.findings.is_empty() {
            InputOutcome::Pass
        } else {
            InputOutcome::Fail
        };
    }
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

/// What a run is: the tool, the rules, and problems that belong to no input
#[derive(Clone, Debug)]
pub struct RunInfo {
    /// Tool version
    pub tool_version: String,
    /// `--as-of`, when given
    pub as_of: Option<String>,
    /// Rules of the run, sorted by id; the model checks follow the pack's rules
    pub rules: Vec<RuleInfo>,
    /// Problems not tied to one input (rule files, discovery), sorted
    pub problems: Vec<Problem>,
}

/// Receives a run in order: [`Emitter::begin`], [`Emitter::input`] once per input in path
/// order, [`Emitter::end`]
pub trait Emitter {
    /// The run starts
    ///
    /// # Errors
    /// Writing failed
    fn begin(&mut self, run: &RunInfo) -> io::Result<()>;

    /// One input, with its findings and problems
    ///
    /// # Errors
    /// Writing failed
    fn input(&mut self, run: &RunInfo, input: &InputReport) -> io::Result<()>;

    /// The run ended; the summary counts everything that was passed to [`Emitter::input`]
    ///
    /// # Errors
    /// Writing failed
    fn end(&mut self, run: &RunInfo, summary: &Summary) -> io::Result<()>;
}

/// Everything a run produced, collected
#[derive(Clone, Debug)]
pub struct Report {
    /// The run
    pub run: RunInfo,
    /// Every input, sorted by path
    pub inputs: Vec<InputReport>,
    /// Counts
    pub summary: Summary,
}

impl Report {
    /// Collects a run; sorts the inputs by path and computes the summary
    #[must_use]
    pub fn new(run: RunInfo, mut inputs: Vec<InputReport>) -> Self {
        inputs.sort_by(|a, b| a.path.cmp(&b.path));
        let mut summary = SummaryBuilder::new(&run);
        for input in &inputs {
            summary.add(input);
        }
        Self {
            summary: summary.finish(),
            run,
            inputs,
        }
    }

    /// Sends the report to an emitter, as a run would have
    ///
    /// # Errors
    /// Writing failed
    pub fn emit(&self, emitter: &mut dyn Emitter) -> io::Result<()> {
        emitter.begin(&self.run)?;
        for input in &self.inputs {
            emitter.input(&self.run, input)?;
        }
        emitter.end(&self.run, &self.summary)
    }

    /// Every finding, in report order
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.inputs.iter().flat_map(|i| &i.findings)
    }

    /// Every problem: the run's, then each input's
    pub fn problems(&self) -> impl Iterator<Item = &Problem> {
        self.run
            .problems
            .iter()
            .chain(self.inputs.iter().flat_map(|i| &i.problems))
    }

    /// Rules of the run
    #[must_use]
    pub fn rules(&self) -> &[RuleInfo] {
        &self.run.rules
    }
}
