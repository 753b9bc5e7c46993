//! Tool errors: problems with the tool's inputs (rule files, YAML files, scripts), never findings
//!
//! A [`Problem`] is plain data (code, message, labelled spans, help) so that every output format
//! can use it; [`Problem::to_miette`] turns it into a miette report for the terminal.

use std::fmt;
use std::sync::Arc;

use crate::source::{SourceFile, Span};

/// How serious a tool problem is
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProblemLevel {
    /// The tool could not do what was asked; the run exits with code 2
    Error,
    /// Worth fixing, does not change the exit code
    Warning,
}

/// A labelled span inside the problem's file
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// Where
    pub span: Span,
    /// What the reader should notice there (may be empty)
    pub text: String,
}

/// One tool problem, located in one file (or in none, e.g. a missing directory)
#[derive(Clone, Debug)]
pub struct Problem {
    /// Stable machine-readable code, e.g. `rule::unknown-statement`
    pub code: &'static str,
    /// One lowercase sentence, no trailing period, user input in backticks
    pub message: String,
    /// Error or warning
    pub level: ProblemLevel,
    /// The file the labels point into
    pub file: Option<Arc<SourceFile>>,
    /// Display path of the file when its text is not held (unreadable file)
    pub path: Option<String>,
    /// Labelled spans; the first is the primary location
    pub labels: Vec<Label>,
    /// What to do about it
    pub help: Option<String>,
    /// Problems in other files that explain this one (e.g. the rule a script error comes from)
    pub related: Vec<Problem>,
}

impl Problem {
    /// A new error with no location
    #[must_use]
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            level: ProblemLevel::Error,
            file: None,
            path: None,
            labels: Vec::new(),
            help: None,
            related: Vec::new(),
        }
    }

    /// A new warning with no location
    #[must_use]
    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            level: ProblemLevel::Warning,
            ..Self::error(code, message)
        }
    }

    /// Points the problem into `file`
    #[must_use]
    pub fn in_file(mut self, file: &Arc<SourceFile>) -> Self {
        self.path = Some(file.name().to_owned());
        self.file = Some(Arc::clone(file));
        self
    }

    /// Names a file whose text is not available
    #[must_use]
    pub fn at_path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Adds a labelled span
    #[must_use]
    pub fn with_label(mut self, span: Span, text: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            text: text.into(),
        });
        self
    }

    /// Sets the help text
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a related problem
    #[must_use]
    pub fn with_related(mut self, related: Problem) -> Self {
        self.related.push(related);
        self
    }

    /// The primary span, if any
    #[must_use]
    pub fn primary_span(&self) -> Option<Span> {
        self.labels.first().map(|l| l.span)
    }

    /// Whether this is an error (as opposed to a warning)
    #[must_use]
    pub fn is_error(&self) -> bool {
        self.level == ProblemLevel::Error
    }

    /// A miette diagnostic view of this problem for rendering
    #[must_use]
    pub fn to_miette(&self) -> MietteProblem<'_> {
        MietteProblem {
            problem: self,
            related: self.related.iter().map(|r| r.to_miette()).collect(),
        }
    }

    /// Sort key: file, offset, code, message
    #[must_use]
    pub fn sort_key(&self) -> (String, usize, &'static str, String) {
        (
            self.path.clone().unwrap_or_default(),
            self.primary_span().map_or(0, |s| s.start),
            self.code,
            self.message.clone(),
        )
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Adapter implementing [`miette::Diagnostic`] for a [`Problem`]
#[derive(Debug)]
pub struct MietteProblem<'a> {
    problem: &'a Problem,
    related: Vec<MietteProblem<'a>>,
}

impl fmt::Display for MietteProblem<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.problem.message)
    }
}

impl std::error::Error for MietteProblem<'_> {}

impl miette::Diagnostic for MietteProblem<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.problem.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.problem.level {
            ProblemLevel::Error => miette::Severity::Error,
            ProblemLevel::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.problem
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.problem
            .file
            .as_ref()
            .map(|f| f as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let file = self.problem.file.as_ref()?;
        Some(Box::new(self.problem.labels.iter().enumerate().map(
            move |(i, label)| {
                let span = visible_span(label.span, file.text());
                let text = (!label.text.is_empty()).then(|| label.text.clone());
                if i == 0 {
                    miette::LabeledSpan::new_primary_with_span(text, span)
                } else {
                    miette::LabeledSpan::new_with_span(text, span)
                }
            },
        )))
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        if self.related.is_empty() {
            None
        } else {
            Some(Box::new(
                self.related.iter().map(|r| r as &dyn miette::Diagnostic),
            ))
        }
    }
}

/// miette does not draw a label that starts at the end of the text; move such a label onto
/// the last character so a "missing `}`" still points somewhere visible
pub(crate) fn visible_span(span: Span, text: &str) -> miette::SourceSpan {
    let len = text.len();
    if span.start < len {
        let end = span.end.clamp(span.start, len);
        return miette::SourceSpan::new(span.start.into(), end - span.start);
    }
    // Point at the last visible character instead
    let trimmed = text.trim_end();
    match trimmed.char_indices().next_back() {
        Some((i, c)) => miette::SourceSpan::new(i.into(), c.len_utf8()),
        None => miette::SourceSpan::new(0.into(), 0),
    }
}

impl miette::SourceCode for SourceFile {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let inner = self
            .text()
            .read_span(span, context_lines_before, context_lines_after)?;
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name().to_owned(),
            inner.data(),
            *inner.span(),
            inner.line(),
            inner.column(),
            inner.line_count(),
        )))
    }
}
