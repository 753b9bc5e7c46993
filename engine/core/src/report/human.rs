//! Terminal output: findings as miette reports with the YAML excerpt underlined
//!
//! [`HumanEmitter`] writes findings and the summary to one stream and tool problems to
//! another, input by input; the caller decides the streams (stdout and stderr).

use std::fmt::{self, Write as _};
use std::io::{self, Write};

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan};

use super::{Emitter, Finding, InputReport, Report, RuleInfo, RunInfo, Summary};
use crate::contract::{Verdict, VerdictCounts};
use crate::diagnostic::{Problem, visible_span};
use crate::rule::Severity;

/// How to draw
#[derive(Clone, Copy, Debug)]
pub struct HumanOptions {
    /// ANSI colours
    pub color: bool,
    /// Terminal width
    pub width: usize,
    /// After each input, its per-requirement verdicts
    pub verdicts: bool,
}

impl Default for HumanOptions {
    fn default() -> Self {
        Self {
            color: false,
            width: 100,
            verdicts: false,
        }
    }
}

fn handler(options: HumanOptions) -> GraphicalReportHandler {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(options.width)
        .with_links(false)
}

/// Writes findings and the summary to `out`, tool problems to `err`
pub struct HumanEmitter<O: Write, E: Write> {
    out: O,
    err: E,
    options: HumanOptions,
    handler: GraphicalReportHandler,
}

impl<O: Write, E: Write> fmt::Debug for HumanEmitter<O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HumanEmitter")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<O: Write, E: Write> HumanEmitter<O, E> {
    /// An emitter writing findings to `out` and problems to `err`
    pub fn new(out: O, err: E, options: HumanOptions) -> Self {
        Self {
            out,
            err,
            options,
            handler: handler(options),
        }
    }

    /// The two writers back
    pub fn into_inner(self) -> (O, E) {
        (self.out, self.err)
    }
}

impl<O: Write, E: Write> Emitter for HumanEmitter<O, E> {
    fn begin(&mut self, run: &RunInfo) -> io::Result<()> {
        let text = problems_text(&run.problems, &self.handler);
        self.err.write_all(text.as_bytes())
    }

    fn input(&mut self, run: &RunInfo, input: &InputReport) -> io::Result<()> {
        let problems = problems_text(&input.problems, &self.handler);
        self.err.write_all(problems.as_bytes())?;
        let mut text = findings_text(&run.rules, input, &self.handler);
        if self.options.verdicts {
            text.push_str(&verdicts_text(input));
        } else {
            text.push_str(&input_line(input));
        }
        self.out.write_all(text.as_bytes())
    }

    fn end(&mut self, run: &RunInfo, summary: &Summary) -> io::Result<()> {
        self.out.write_all(summary_text(run, summary).as_bytes())?;
        self.out.flush()?;
        self.err.flush()
    }
}

fn findings_text(
    rules: &[RuleInfo],
    input: &InputReport,
    handler: &GraphicalReportHandler,
) -> String {
    let mut out = String::new();
    let documents = input.documents.len();
    for finding in &input.findings {
        // Rules that need the same missing fact report it once; name them with their titles
        let needed_by: Vec<(&str, &str)> = finding
            .needed_by
            .iter()
            .map(|id| {
                let title = rules
                    .iter()
                    .find(|r| r.id == *id)
                    .map_or("", |r| r.title.as_str());
                (id.as_str(), title)
            })
            .collect();
        let document = (documents > 1).then(|| {
            let line = input
                .documents
                .iter()
                .find(|d| d.index == finding.document)
                .map_or(0, |d| d.start.line);
            (finding.document + 1, documents, line)
        });
        let diagnostic = FindingDiagnostic {
            finding,
            needed_by,
            document,
        };
        if handler.render_report(&mut out, &diagnostic).is_err() {
            let _ = writeln!(
                out,
                "{}: {} [{}]",
                finding.location.file, finding.message, finding.rule_id
            );
        }
    }
    out
}

/// Renders every finding of a report
#[must_use]
pub fn render_findings(report: &Report, options: HumanOptions) -> String {
    let handler = handler(options);
    report
        .inputs
        .iter()
        .map(|input| findings_text(&report.run.rules, input, &handler))
        .collect()
}

/// Renders findings that are not part of a report (a rule test case's, say)
#[must_use]
pub fn render_finding_list(findings: &[Finding], options: HumanOptions) -> String {
    let input = InputReport {
        path: String::new(),
        outcome: super::InputOutcome::Fail,
        documents: Vec::new(),
        findings: findings.to_vec(),
        problems: Vec::new(),
    };
    findings_text(&[], &input, &handler(options))
}

/// Renders tool errors and warnings
#[must_use]
pub fn render_problems(problems: &[Problem], options: HumanOptions) -> String {
    problems_text(problems, &handler(options))
}

fn problems_text(problems: &[Problem], handler: &GraphicalReportHandler) -> String {
    let mut out = String::new();
    for problem in problems {
        let diagnostic = problem.to_miette();
        if handler.render_report(&mut out, &diagnostic).is_err() {
            let _ = writeln!(
                out,
                "{}: {}",
                problem.path.as_deref().unwrap_or("tollgate"),
                problem.message
            );
        } else if problem.file.is_none() {
            // miette shows no file name without a source: say which file
            if let Some(path) = &problem.path {
                let _ = writeln!(out, "  (in `{path}`)\n");
            }
        }
    }
    out
}

/// "3 fail, 2 missing evidence, 80 pass, 38 not applicable", leaving out zeros
fn verdict_counts(counts: &VerdictCounts) -> String {
    let parts: Vec<String> = Verdict::ALL
        .iter()
        .filter(|v| counts.get(**v) > 0)
        .map(|v| format!("{} {}", counts.get(*v), v.as_str().replace('-', " ")))
        .collect();
    if parts.is_empty() {
        "none".to_owned()
    } else {
        parts.join(", ")
    }
}

/// One line per document of an input that did not pass: its requirement verdicts
fn input_line(input: &InputReport) -> String {
    let mut out = String::new();
    if input.outcome == super::InputOutcome::Pass {
        return out;
    }
    let count = input.documents.len();
    for doc in &input.documents {
        let place = if count > 1 {
            format!(
                "{} (document {} of {count}, line {})",
                input.path,
                doc.index + 1,
                doc.start.line
            )
        } else {
            input.path.clone()
        };
        let _ = writeln!(
            out,
            "{place}: {} finding{}; requirements: {}\n",
            doc.findings,
            plural(doc.findings),
            verdict_counts(&doc.requirements)
        );
    }
    out
}

/// Every requirement's verdict, per document, with the rules that decided it and why
fn verdicts_text(input: &InputReport) -> String {
    let mut out = String::new();
    let count = input.documents.len();
    for doc in &input.documents {
        if count > 1 {
            let _ = writeln!(
                out,
                "{} (document {} of {count}, line {}): requirements",
                input.path,
                doc.index + 1,
                doc.start.line
            );
        } else {
            let _ = writeln!(out, "{}: requirements", input.path);
        }
        for v in &doc.verdicts {
            let why: Vec<String> = v
                .reasons
                .iter()
                .map(crate::contract::OutcomeReason::describe)
                .collect();
            let _ = write!(
                out,
                "  {:<16} {:<16} {}",
                v.requirement,
                v.verdict.as_str(),
                v.rules.join(", ")
            );
            if !why.is_empty() {
                let _ = write!(out, " ({})", why.join("; "));
            }
            out.push('\n');
        }
        let _ = writeln!(out, "  {}\n", verdict_counts(&doc.requirements));
    }
    out
}

/// The totals of a report
#[must_use]
pub fn render_summary(report: &Report) -> String {
    summary_text(&report.run, &report.summary)
}

fn summary_text(run: &RunInfo, s: &Summary) -> String {
    let mut out = String::new();
    let severities: Vec<String> = s
        .by_severity
        .iter()
        .filter(|c| c.count > 0)
        .map(|c| format!("{} {}", c.count, c.severity))
        .collect();
    let findings = if s.findings == 0 {
        "no findings".to_owned()
    } else {
        format!(
            "{} finding{} ({})",
            s.findings,
            plural(s.findings),
            severities.join(", ")
        )
    };
    let as_of = match (&run.as_of, &s.as_of) {
        (Some(d), _) => format!(" as of {d} (from --as-of)"),
        (None, super::AsOfSeen::One(date, source)) => {
            format!(" as of {date} ({})", source.describe())
        }
        (None, super::AsOfSeen::Many) => " as of each submission's date".to_owned(),
        (None, super::AsOfSeen::None) => String::new(),
    };
    let _ = writeln!(
        out,
        "checked {} file{} ({} document{}) against {} rule{}{as_of}: {findings}; {} passed, {} failed, {} errored",
        s.inputs,
        plural(s.inputs),
        s.documents,
        plural(s.documents),
        s.rules,
        plural(s.rules),
        s.passed,
        s.failed,
        s.errored,
    );
    if s.documents > 0 {
        let _ = writeln!(
            out,
            "requirement verdicts: {}",
            verdict_counts(&s.requirements)
        );
    }
    if s.errors > 0 || s.warnings > 0 {
        let _ = writeln!(
            out,
            "{} tool error{} and {} warning{} (see stderr)",
            s.errors,
            plural(s.errors),
            s.warnings,
            plural(s.warnings)
        );
    }
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    /// Other rules that need the same missing fact: id and title
    needed_by: Vec<(&'a str, &'a str)>,
    /// In a stream of several documents: which one (1-based), of how many, and its line
    document: Option<(usize, usize, usize)>,
}

impl fmt::Debug for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FindingDiagnostic")
            .field("rule", &self.finding.rule_id)
            .finish()
    }
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)?;
        if !self.needed_by.is_empty() {
            write!(
                f,
                "\nwithout it, {} more rule{} cannot check:",
                self.needed_by.len(),
                plural(self.needed_by.len())
            )?;
            for (id, title) in &self.needed_by {
                write!(f, "\n- {id}: {title}")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let f = self.finding;
        let mut code = format!(
            "{} {} [{}] {}",
            f.rule_id,
            f.rule_name,
            f.severity,
            f.requirements.join(", ")
        )
        .trim_end()
        .to_owned();
        if let Some((n, of, line)) = self.document {
            let _ = write!(code, " (document {n} of {of}, from line {line})");
        }
        Some(Box::new(code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Critical | Severity::High => miette::Severity::Error,
            Severity::Medium | Severity::Low => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let r = &self.finding.rule_location;
        // The model checks have no rule file: point at the field reference instead
        let place = if self.finding.requirements.is_empty() && r.file == "docs/model.md" {
            format!("fields and types: {}", r.file)
        } else {
            format!("rule defined at {}:{}", r.file, r.start)
        };
        Some(Box::new(match &self.finding.hint {
            Some(hint) => format!("{hint}\n{place}"),
            None => place,
        }))
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.finding
            .location
            .source
            .as_deref()
            .map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let f = self.finding;
        let text = f.location.source.as_ref()?.text();
        let primary_label = match &f.missing {
            Some(key) => format!("`{key}` is missing here"),
            None if f.location.path.is_empty() => "here".to_owned(),
            None => f.location.path.clone(),
        };
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            Some(primary_label),
            visible_span(f.location.span, text),
        )];
        for rel in &f.related {
            if rel.location.file == f.location.file {
                labels.push(LabeledSpan::new_with_span(
                    Some(rel.label.clone()),
                    visible_span(rel.location.span, text),
                ));
            }
        }
        Some(Box::new(labels.into_iter()))
    }
}
