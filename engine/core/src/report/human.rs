//! Terminal output: findings as miette reports with the YAML excerpt underlined
//!
//! Writes to a `String` so the caller decides the stream: findings go to stdout, tool problems
//! to stderr.

use std::fmt::{self, Write as _};

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan};

use super::{Finding, Report};
use crate::diagnostic::{Problem, visible_span};
use crate::rule::Severity;

/// How to draw
#[derive(Clone, Copy, Debug)]
pub struct HumanOptions {
    /// ANSI colours
    pub color: bool,
    /// Terminal width
    pub width: usize,
}

impl Default for HumanOptions {
    fn default() -> Self {
        Self {
            color: false,
            width: 100,
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

/// Renders every finding
#[must_use]
pub fn render_findings(report: &Report, options: HumanOptions) -> String {
    let handler = handler(options);
    let mut out = String::new();
    for group in missing_groups(&report.findings) {
        let Some(finding) = group.first().copied() else {
            continue;
        };
        // A small group is shown finding by finding
        let diagnostics: Vec<FindingDiagnostic<'_>> = if group.len() >= GROUP_AT {
            vec![FindingDiagnostic { finding, group }]
        } else {
            group
                .into_iter()
                .map(|finding| FindingDiagnostic {
                    finding,
                    group: Vec::new(),
                })
                .collect()
        };
        for diagnostic in &diagnostics {
            let finding = diagnostic.finding;
            if handler.render_report(&mut out, diagnostic).is_err() {
                let _ = writeln!(
                    out,
                    "{}: {} [{}]",
                    finding.location.file, finding.message, finding.rule_id
                );
            }
        }
    }
    out
}

/// Rules that report the same missing field at the same place are shown as one diagnostic from
/// this many on: a submission without a section would otherwise print the same excerpt once per
/// rule. Only the human view groups; the report and every other format keep each finding.
const GROUP_AT: usize = 3;

/// Findings grouped by file, document, place and missing key, each group where its first
/// finding is (findings are sorted by place, so the order by place is kept); any other finding
/// is a group of one
fn missing_groups(findings: &[Finding]) -> Vec<Vec<&Finding>> {
    let mut groups: Vec<Vec<&Finding>> = Vec::new();
    for f in findings {
        let same_gap = |g: &&mut Vec<&Finding>| {
            g.first().is_some_and(|first| {
                first.missing.is_some()
                    && first.missing == f.missing
                    && first.location.file == f.location.file
                    && first.document == f.document
                    && first.location.span == f.location.span
            })
        };
        // Only groups at this very place can match, and they are at the end
        let existing = groups
            .iter_mut()
            .rev()
            .take_while(|g| {
                g.first().is_some_and(|first| {
                    first.location.file == f.location.file
                        && first.document == f.document
                        && first.location.span == f.location.span
                })
            })
            .find(same_gap);
        match existing {
            Some(group) if f.missing.is_some() => group.push(f),
            _ => groups.push(vec![f]),
        }
    }
    groups
}

/// Renders tool errors and warnings
#[must_use]
pub fn render_problems(problems: &[Problem], options: HumanOptions) -> String {
    let handler = handler(options);
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

/// One line per input that did not pass, then the totals
#[must_use]
pub fn render_summary(report: &Report) -> String {
    let s = &report.summary;
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
    let as_of = if let Some(d) = &report.as_of {
        format!(" as of {d}")
    } else {
        let mut dates: Vec<&str> = report
            .inputs
            .iter()
            .flat_map(|i| i.documents.iter().map(|d| d.as_of.as_str()))
            .collect();
        dates.sort_unstable();
        dates.dedup();
        match dates.as_slice() {
            [one] => format!(" as of {one}"),
            [] => String::new(),
            _ => " as of each submission's date".to_owned(),
        }
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
    /// When several rules report the same missing field here: all of them
    group: Vec<&'a Finding>,
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
        if self.group.is_empty() {
            return f.write_str(&self.finding.message);
        }
        // "`staffing` is missing. Expected: ..." of each rule, once
        let missing = self
            .finding
            .message
            .split(". Expected:")
            .next()
            .unwrap_or_default();
        write!(
            f,
            "{missing}, so {} rules cannot check what they expect:",
            self.group.len()
        )?;
        for g in &self.group {
            let title = g.message.split(". Expected: ").nth(1).unwrap_or_default();
            write!(f, "\n- {}: {title}", g.rule_id)?;
        }
        Ok(())
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        if !self.group.is_empty() {
            let worst = self.group.iter().map(|g| g.severity).max();
            return Some(Box::new(format!(
                "{} rules [{}] missing evidence",
                self.group.len(),
                worst.unwrap_or(Severity::Info)
            )));
        }
        let f = self.finding;
        let code = format!(
            "{} {} [{}] {}",
            f.rule_id,
            f.rule_name,
            f.severity,
            f.requirements.join(", ")
        );
        Some(Box::new(code.trim_end().to_owned()))
    }

    fn severity(&self) -> Option<miette::Severity> {
        let severity = self
            .group
            .iter()
            .map(|g| g.severity)
            .max()
            .unwrap_or(self.finding.severity);
        Some(match severity {
            Severity::Critical | Severity::High => miette::Severity::Error,
            Severity::Medium | Severity::Low => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        if !self.group.is_empty() {
            return Some(Box::new(
                "fill in this part of the submission (`tollgate init` shows every field); \
                 `tollgate explain ID` says what a rule needs",
            ));
        }
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
