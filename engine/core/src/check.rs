//! The engine facade: load a rule pack once, check many inputs
//!
//! ```
//! use std::sync::Arc;
//! use tollgate::{CheckOptions, Engine, SourceFile};
//!
//! let rule = r#"
//! /// Remote access methods require multi-factor authentication.
//! rule remote-access-without-mfa {
//!   id TG9001
//!   requirement "SP.07.04 RE(1)"
//!   documentation no
//!   maturity 2
//!   severity high
//!   applies integration, maintenance
//!   for method in remote_access.methods
//!   require method.mfa == true else "`{method.name}` does not require MFA"
//! }
//! "#;
//! let engine = Engine::new(&[Arc::new(SourceFile::new("mfa.rule", rule))]);
//! assert!(engine.problems().is_empty());
//! let yaml = "remote_access:\n  methods:\n    - name: vendor-vpn\n      mfa: false\n";
//! let options = CheckOptions { as_of: Some("2026-11-23".parse().unwrap()), ..CheckOptions::default() };
//! let input = engine.check_source(&Arc::new(SourceFile::new("plant.yaml", yaml)), &options);
//! assert_eq!(input.findings.len(), 1);
//! assert_eq!(input.documents[0].verdicts[0].verdict, tollgate::contract::Verdict::Fail);
//! assert_eq!(input.findings[0].location.start.line, 4);
//! ```

use std::sync::Arc;

use jiff::civil::Date;
use rayon::prelude::*;

use crate::contract::facts::{self, RejectedValue};
use crate::contract::fingerprint;
use crate::contract::{DocumentContext, VerdictCounts, verdict};
use crate::diagnostic::Problem;
use crate::eval::{CONVERSION_BUDGET, DocumentOutput, DocumentRun, ITERATION_BUDGET};
use crate::input::{InputFile, read_input};
use crate::model::{self, MODEL_CHECKS, ModelIssueKind};
use crate::pack::RulePack;
use crate::parse_iso_date;
use crate::report::{
    AsOfSource, DocumentReport, Emitter, Finding, FindingKind, InputOutcome, InputReport, Located,
    OutcomeCounts, Report, RuleInfo, RuleLocation, RuleOutcome, RuleResult, RunInfo, Summary,
    SummaryBuilder,
};
use crate::rule::{DOCUMENT_KINDS, ServiceKind};
use crate::script::{ScriptEngine, ScriptLimits};
use crate::source::{SourceFile, Span};
use crate::yaml::{self, Document, Value, YamlLimits};

/// Options of a check run
#[derive(Clone, Debug, Default)]
pub struct CheckOptions {
    /// Reference date for date rules; else each submission's `submission.date`, else today
    pub as_of: Option<Date>,
    /// Limits for YAML inputs
    pub yaml_limits: YamlLimits,
}

/// A loaded rule pack with its script engine
#[derive(Debug)]
pub struct Engine {
    script: ScriptEngine,
    pack: RulePack,
    problems: Vec<Problem>,
}

impl Engine {
    /// Loads rule files with the default script limits
    #[must_use]
    pub fn new(rule_files: &[Arc<SourceFile>]) -> Self {
        Self::with_limits(rule_files, ScriptLimits::default())
    }

    /// Loads rule files with explicit script limits
    #[must_use]
    pub fn with_limits(rule_files: &[Arc<SourceFile>], limits: ScriptLimits) -> Self {
        let script = ScriptEngine::new(limits);
        let (pack, problems) = RulePack::load(rule_files, &script);
        Self {
            script,
            pack,
            problems,
        }
    }

    /// Problems found while loading the rules
    #[must_use]
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// The loaded rules
    #[must_use]
    pub fn pack(&self) -> &RulePack {
        &self.pack
    }

    /// Overrides a parameter of a rule; see [`RulePack::set_param`]
    ///
    /// # Errors
    /// An unknown rule or parameter, or a value of another type
    pub fn set_param(
        &mut self,
        rule: &str,
        name: &str,
        value: crate::rule::ParamValue,
    ) -> Result<(), String> {
        self.pack.set_param(rule, name, value)
    }

    /// Runs every condition in Rhai (see [`RulePack::disable_native_conditions`])
    pub fn disable_native_conditions(&mut self) {
        self.pack.disable_native_conditions();
    }

    fn rule_infos(&self) -> Vec<RuleInfo> {
        let model = MODEL_CHECKS.iter().map(|check| RuleInfo {
            id: check.id.to_owned(),
            name: check.name.to_owned(),
            title: check.title.to_owned(),
            requirements: Vec::new(),
            area: "model".to_owned(),
            requirement_kind: "model",
            topic: Some("Delivery model".to_owned()),
            subtopic: None,
            documentation: false,
            maturity: 1,
            applies: vec![ServiceKind::Integration, ServiceKind::Maintenance],
            severity: check.severity,
            status: crate::rule::RuleStatus::Stable,
            file: "docs/model.md".to_owned(),
        });
        self.pack
            .rules()
            .iter()
            .map(RuleInfo::of)
            .chain(model)
            .collect()
    }

    /// The run's header: the rules and the problems that belong to no input
    #[must_use]
    pub fn run_info(
        &self,
        inputs: &[InputFile],
        discovery_problems: Vec<Problem>,
        options: &CheckOptions,
    ) -> RunInfo {
        let mut problems = self.problems.clone();
        problems.extend(discovery_problems);
        if inputs.is_empty() {
            problems.push(
                Problem::error("input::none", "no input files to check")
                    .with_help("pass YAML files or directories that contain `*.yaml` or `*.yml` files, or `-` for standard input"),
            );
        }
        if self.pack.is_empty() {
            problems.push(
                Problem::error("rule::none", "no rules to run")
                    .with_help("keep the built-in pack, or pass `--rules DIR` with `.rule` files that load without errors"),
            );
        }
        problems.sort_by_key(Problem::sort_key);
        RunInfo {
            tool_version: env!("CARGO_PKG_VERSION").to_owned(),
            as_of: options.as_of.map(|d| d.to_string()),
            rules: self.rule_infos(),
            problems,
        }
    }

    /// Reads and checks every input in parallel and collects the report; the report is the
    /// same whatever the order or thread count. Discovery problems are passed in so they land
    /// in the same report.
    #[must_use]
    pub fn check(
        &self,
        inputs: &[InputFile],
        discovery_problems: Vec<Problem>,
        options: &CheckOptions,
    ) -> Report {
        let run = self.run_info(inputs, discovery_problems, options);
        let reports: Vec<InputReport> = inputs
            .par_iter()
            .map(|input| self.check_input(input, options))
            .collect();
        Report::new(run, reports)
    }

    /// Checks every input in parallel and hands each result to `emitter` in path order as
    /// soon as it and every input before it are done; memory holds one batch of inputs, not
    /// the run. `inputs` must be sorted by display path, as [`crate::input::discover`] returns
    /// them.
    ///
    /// # Errors
    /// The emitter could not write
    pub fn check_each(
        &self,
        inputs: &[InputFile],
        discovery_problems: Vec<Problem>,
        options: &CheckOptions,
        emitter: &mut dyn Emitter,
    ) -> std::io::Result<Summary> {
        let run = self.run_info(inputs, discovery_problems, options);
        emitter.begin(&run)?;
        let mut summary = SummaryBuilder::new(&run);
        // Enough inputs per batch to keep every thread busy, few enough to bound memory
        let batch = rayon::current_num_threads().saturating_mul(8).max(16);
        for chunk in inputs.chunks(batch) {
            let reports: Vec<InputReport> = chunk
                .par_iter()
                .map(|input| self.check_input(input, options))
                .collect();
            for report in &reports {
                summary.add(report);
                emitter.input(&run, report)?;
            }
        }
        let summary = summary.finish();
        emitter.end(&run, &summary)?;
        Ok(summary)
    }

    fn check_input(&self, input: &InputFile, options: &CheckOptions) -> InputReport {
        match read_input(input, options.yaml_limits.max_bytes) {
            Ok(source) => self.check_source(&source, options),
            Err(problem) => InputReport::failed(input.display.clone(), problem),
        }
    }

    /// Checks one source already in memory
    #[must_use]
    pub fn check_source(&self, source: &Arc<SourceFile>, options: &CheckOptions) -> InputReport {
        let mut findings = Vec::new();
        let mut problems = Vec::new();
        let mut documents = Vec::new();
        match yaml::load(source.text(), &options.yaml_limits) {
            Err(e) => problems.push(yaml_problem(source, &e)),
            Ok(docs) if docs.is_empty() => problems.push(
                Problem::error(
                    "input::no-document",
                    format!("`{}` contains no YAML document", source.name()),
                )
                .at_path(source.name())
                .with_help(
                    "an empty file is not a submission; describe the delivery configuration in it",
                ),
            ),
            Ok(docs) => {
                for (index, doc) in docs.iter().enumerate() {
                    if let Some(report) = self.check_document(
                        source,
                        doc,
                        index,
                        options,
                        &mut findings,
                        &mut problems,
                    ) {
                        documents.push(report);
                    }
                }
            }
        }
        let mut report = InputReport {
            path: source.name().to_owned(),
            outcome: InputOutcome::Pass,
            documents,
            findings,
            problems,
        };
        report.finish();
        fingerprint::assign(&mut report.findings);
        report
    }

    fn check_document(
        &self,
        source: &Arc<SourceFile>,
        doc: &Document,
        index: usize,
        options: &CheckOptions,
        findings: &mut Vec<Finding>,
        problems: &mut Vec<Problem>,
    ) -> Option<DocumentReport> {
        let root = doc.root();
        let Some(Value::Mapping(_)) = doc.node(root).map(|n| &n.value) else {
            problems.push(
                Problem::error(
                    "input::not-a-mapping",
                    "a submission document must be a mapping of sections",
                )
                .in_file(source)
                .with_label(
                    doc.node(root).map(|n| n.span).unwrap_or_default(),
                    "expected `key: value` sections here",
                )
                .with_help(
                    "start the document with sections such as `submission:` and `remote_access:`",
                ),
            );
            return None;
        };
        let kind = match doc.get(root, "kind").and_then(|k| doc.node(k)) {
            None => "delivery".to_owned(),
            Some(node) => match &node.value {
                Value::String(s) if DOCUMENT_KINDS.contains(&s.as_str()) => s.to_string(),
                other => {
                    let found = match other {
                        Value::String(s) => format!("`{s}`"),
                        _ => "a non-string value".to_owned(),
                    };
                    problems.push(
                        Problem::error(
                            "input::unknown-kind",
                            format!("unknown document kind {found}"),
                        )
                        .in_file(source)
                        .with_label(node.span, "unknown kind")
                        .with_help(format!(
                            "`kind` is one of: {} (or leave it out for `delivery`)",
                            DOCUMENT_KINDS.join(", ")
                        )),
                    );
                    return None;
                }
            },
        };
        let submission = doc.get(root, "submission");
        let service = submission
            .and_then(|s| doc.get(s, "service"))
            .and_then(|n| doc.node(n))
            .and_then(|n| match &n.value {
                Value::String(s) if s == "integration" => Some(ServiceKind::Integration),
                Value::String(s) if s == "maintenance" => Some(ServiceKind::Maintenance),
                _ => None,
            });
        let (as_of, as_of_source) = match options.as_of {
            Some(d) => (d, AsOfSource::CommandLine),
            None => match submission
                .and_then(|s| doc.get(s, "date"))
                .and_then(|n| doc.node(n))
            {
                Some(node) => match &node.value {
                    Value::String(s) => parse_iso_date(s),
                    _ => None,
                }
                .map_or_else(
                    || {
                        problems.push(
                            Problem::warning("input::invalid-date", "`submission.date` is not an ISO date")
                                .in_file(source)
                                .with_label(node.span, "expected YYYY-MM-DD")
                                .with_help("write the submission date as `2026-11-23`; date rules used today's date instead"),
                        );
                        (today(), AsOfSource::Today)
                    },
                    |date| (date, AsOfSource::Submission),
                ),
                None => (today(), AsOfSource::Today),
            },
        };
        let phase = submission
            .and_then(|s| doc.get(s, "phase"))
            .and_then(|n| doc.node(n))
            .and_then(|n| match &n.value {
                Value::String(s) => Some(s.to_string()),
                _ => None,
            });
        let run_phase = phase.clone();
        let context = DocumentContext { service, phase };
        let run = DocumentRun::new(source, doc, index, as_of, context);
        let mut out = DocumentOutput::default();
        for (i, rule) in self.pack.rules().iter().enumerate() {
            if rule.rule().document_kind.value == kind {
                run.run_rule(&self.script, rule, i, &mut out);
            }
        }
        let rejected = if kind == "delivery" {
            self.model_findings(source, doc, index, &mut out)
        } else {
            Vec::new()
        };
        let pack_len = self.pack.rules().len();
        facts::one_finding_per_fact(&mut out.findings, &mut out.results, &rejected, |rule| {
            rule >= pack_len
        });
        let verdicts = verdict::requirement_verdicts(self.pack.rules(), &out.results);
        if run.iterations_exhausted() {
            problems.push(
                Problem::error(
                    "input::expansion",
                    format!("the rules would visit more than {ITERATION_BUDGET} list items in document {index}, through its aliases"),
                )
                .in_file(source)
                .with_label(doc.node(root).map(|n| n.span).unwrap_or_default(), "this document")
                .with_help("write the lists out instead of repeating large aliased ones; the document was not fully checked"),
            );
        }
        if run.exhausted() {
            problems.push(
                Problem::error(
                    "input::expansion",
                    format!("document {index} expands to more than {CONVERSION_BUDGET} values through its aliases"),
                )
                .in_file(source)
                .with_label(doc.node(root).map(|n| n.span).unwrap_or_default(), "this document")
                .with_help("write the values out instead of nesting aliases; the document was not fully checked"),
            );
        }
        let count = out.findings.len();
        findings.append(&mut out.findings);
        problems.append(&mut out.problems);
        Some(DocumentReport {
            index,
            start: source.line_col(doc.span().start),
            kind,
            service,
            phase: run_phase,
            as_of: as_of.to_string(),
            as_of_source,
            findings: count,
            rules: OutcomeCounts::from_results(&out.results),
            results: out.results,
            requirements: VerdictCounts::of(&verdicts),
            verdicts,
        })
    }
}

impl Engine {
    /// Structural findings, reported as the two model checks that follow the pack's rules;
    /// returns the values with a wrong type, which rules then do not judge again
    fn model_findings(
        &self,
        source: &Arc<SourceFile>,
        doc: &Document,
        index: usize,
        out: &mut DocumentOutput,
    ) -> Vec<RejectedValue> {
        let base = self.pack.rules().len();
        let mut counts = [0usize; 2];
        let mut rejected = Vec::new();
        for issue in model::validate(doc) {
            let (slot, message, help) = match &issue.kind {
                ModelIssueKind::TypeMismatch {
                    expected,
                    found,
                    help,
                } => (0, format!("expected {expected}, got {found}"), help.clone()),
                ModelIssueKind::UnknownKey {
                    key,
                    suggestion,
                    known,
                } => (
                    1,
                    format!("unknown key `{key}`: no rule reads it"),
                    Some(match suggestion {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("keys here: {}", known.join(", ")),
                    }),
                ),
            };
            let Some(check) = MODEL_CHECKS.get(slot) else {
                continue;
            };
            if slot == 0 {
                rejected.push(RejectedValue {
                    span: issue.span,
                    path: doc.path_of(issue.node),
                    check: check.id,
                });
            }
            if let Some(count) = counts.get_mut(slot) {
                *count += 1;
            }
            out.findings.push(Finding {
                rule_id: check.id.to_owned(),
                rule_name: check.name.to_owned(),
                rule_index: base + slot,
                requirements: Vec::new(),
                severity: check.severity,
                message,
                document: index,
                location: Located::new(source, issue.span, doc.path_of(issue.node)),
                logical_path: fingerprint::logical_path(doc, issue.node),
                fingerprint: String::new(),
                missing: None,
                hint: help,
                related: Vec::new(),
                kind: FindingKind::Violation,
                needed_by: Vec::new(),
                rule_location: RuleLocation {
                    file: "docs/model.md".to_owned(),
                    start: crate::source::LineCol { line: 1, column: 1 },
                    span: Span::default(),
                },
            });
        }
        for (slot, count) in counts.iter().enumerate() {
            out.results.push(RuleResult {
                rule: base + slot,
                outcome: if *count > 0 {
                    RuleOutcome::Fail
                } else {
                    RuleOutcome::Pass
                },
                findings: *count,
                reason: None,
                unchecked: Vec::new(),
            });
        }
        rejected
    }
}

fn today() -> Date {
    jiff::Zoned::now().date()
}

fn yaml_problem(source: &Arc<SourceFile>, e: &yaml::YamlError) -> Problem {
    let mut p = Problem::error(e.code(), e.message().to_owned())
        .in_file(source)
        .with_label(e.span(), e.label().to_owned());
    if let Some((span, label)) = e.secondary() {
        p = p.with_label(span, label.to_owned());
    }
    if e.message().contains("mapping values are not allowed") {
        return p.with_help(
            "a plain value cannot contain `: ` (colon and space); put the value in quotes, e.g. \
             `title: \"Scanning: test report\"`"
                .to_owned(),
        );
    }
    p.with_help(e.help().map_or_else(
        || {
            "check the quotes, the indentation and the `:` after each key around here; the rest of \
             this file was not checked"
                .to_owned()
        },
        str::to_owned,
    ))
}
