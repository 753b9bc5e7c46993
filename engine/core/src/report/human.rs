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
    for finding in &report.findings {
        // Rules that need the same missing fact report it once; name them with their titles
        let needed_by: Vec<(&str, &str)> = finding
            .needed_by
            .iter()
            .map(|id| {
                let title = report
                    .rules
                    .iter()
                    .find(|r| r.id == *id)
                    .map_or("", |r| r.title.as_str());
                (id.as_str(), title)
            })
            .collect();
        let diagnostic = FindingDiagnostic { finding, needed_by };
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
    /// Other rules that need the same missing fact: id and title
    needed_by: Vec<(&'a str, &'a str)>,
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
