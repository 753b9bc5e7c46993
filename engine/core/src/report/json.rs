//! The JSON report, schema `tollgate-report/2` (documented in `docs/json-report.md`)
//!
//! Written as it is produced: the header, then each input with its documents, findings and
//! problems, then the summary, so a run over many files holds one input at a time. Fields are
//! only ever added within a schema version; removing or renaming one bumps it.

use std::io::{self, Write};

use serde::Serialize;

use super::{DocumentReport, Emitter, Finding, InputReport, Report, RunInfo, Summary};
use crate::contract::{OutcomeReason, RequirementVerdict};
use crate::diagnostic::{Problem, ProblemLevel};
use crate::report::RuleOutcome;
use crate::source::LineCol;

/// Identifier of this JSON layout
pub const SCHEMA: &str = "tollgate-report/2";

#[derive(Serialize)]
struct Tool<'a> {
    name: &'static str,
    version: &'a str,
}

#[derive(Serialize)]
struct JsonInput<'a> {
    path: &'a str,
    outcome: super::InputOutcome,
    documents: Vec<JsonDocument<'a>>,
    findings: &'a [Finding],
    errors: Vec<JsonProblem<'a>>,
}

#[derive(Serialize)]
struct JsonDocument<'a> {
    #[serde(flatten)]
    document: &'a DocumentReport,
    results: Vec<JsonResult<'a>>,
    verdicts: &'a [RequirementVerdict],
}

#[derive(Serialize)]
struct JsonResult<'a> {
    rule: &'a str,
    outcome: RuleOutcome,
    findings: usize,
    #[serde(skip_serializing_if = "Option::is_none", flatten)]
    reason: Option<&'a OutcomeReason>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    unchecked: &'a [OutcomeReason],
}

#[derive(Serialize)]
struct JsonProblem<'a> {
    code: &'static str,
    level: ProblemLevel,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start: Option<LineCol>,
    #[serde(skip_serializing_if = "Option::is_none")]
    offset: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    length: Option<usize>,
    /// Every labelled place, the primary first (a duplicate key has two)
    #[serde(skip_serializing_if = "Vec::is_empty")]
    labels: Vec<JsonLabel<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<JsonProblem<'a>>,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    start: LineCol,
    offset: usize,
    length: usize,
    #[serde(skip_serializing_if = "str::is_empty")]
    text: &'a str,
}

fn problem(p: &Problem) -> JsonProblem<'_> {
    let span = p.primary_span();
    JsonProblem {
        code: p.code,
        level: p.level,
        message: &p.message,
        file: p.path.as_deref(),
        start: match (&p.file, span) {
            (Some(f), Some(s)) => Some(f.line_col(s.start)),
            _ => None,
        },
        offset: span.map(|s| s.start),
        length: span.map(crate::source::Span::len),
        labels: match &p.file {
            Some(f) => p
                .labels
                .iter()
                .map(|l| JsonLabel {
                    start: f.line_col(l.span.start),
                    offset: l.span.start,
                    length: l.span.len(),
                    text: &l.text,
                })
                .collect(),
            None => Vec::new(),
        },
        help: p.help.as_deref(),
        related: p.related.iter().map(problem).collect(),
    }
}

fn input<'a>(run: &'a RunInfo, input: &'a InputReport) -> JsonInput<'a> {
    JsonInput {
        path: &input.path,
        outcome: input.outcome,
        documents: input
            .documents
            .iter()
            .map(|document| JsonDocument {
                document,
                results: document
                    .results
                    .iter()
                    .map(|r| JsonResult {
                        rule: run.rules.get(r.rule).map_or("", |rule| rule.id.as_str()),
                        outcome: r.outcome,
                        findings: r.findings,
                        reason: r.reason.as_ref(),
                        unchecked: &r.unchecked,
                    })
                    .collect(),
                verdicts: &document.verdicts,
            })
            .collect(),
        findings: &input.findings,
        errors: input.problems.iter().map(problem).collect(),
    }
}

/// Writes the report as pretty-printed JSON, input by input
#[derive(Debug)]
pub struct JsonEmitter<W: Write> {
    out: W,
    inputs: usize,
}

impl<W: Write> JsonEmitter<W> {
    /// An emitter writing to `out`
    pub const fn new(out: W) -> Self {
        Self { out, inputs: 0 }
    }

    /// The writer back
    pub fn into_inner(self) -> W {
        self.out
    }

    /// Writes `value` pretty-printed, every line after the first indented by `indent`
    fn value(&mut self, value: &impl Serialize, indent: &[u8]) -> io::Result<()> {
        let text = serde_json::to_vec_pretty(value).map_err(io::Error::other)?;
        // JSON strings cannot hold a raw line break, so every `\n` is between tokens
        let mut lines = text.split(|b| *b == b'\n');
        if let Some(first) = lines.next() {
            self.out.write_all(first)?;
        }
        for line in lines {
            self.out.write_all(b"\n")?;
            self.out.write_all(indent)?;
            self.out.write_all(line)?;
        }
        Ok(())
    }

    fn field(&mut self, key: &str, value: &impl Serialize) -> io::Result<()> {
        write!(self.out, "  \"{key}\": ")?;
        self.value(value, b"  ")?;
        self.out.write_all(b",\n")
    }
}

impl<W: Write> Emitter for JsonEmitter<W> {
    fn begin(&mut self, run: &RunInfo) -> io::Result<()> {
        self.out.write_all(b"{\n")?;
        self.field("schema", &SCHEMA)?;
        self.field(
            "tool",
            &Tool {
                name: "tollgate",
                version: &run.tool_version,
            },
        )?;
        if let Some(as_of) = &run.as_of {
            self.field("as_of", as_of)?;
        }
        self.field("rules", &run.rules)?;
        let errors: Vec<JsonProblem<'_>> = run.problems.iter().map(problem).collect();
        self.field("errors", &errors)?;
        self.out.write_all(b"  \"inputs\": [")
    }

    fn input(&mut self, run: &RunInfo, report: &InputReport) -> io::Result<()> {
        self.out.write_all(if self.inputs == 0 {
            b"\n    "
        } else {
            b",\n    "
        })?;
        self.inputs += 1;
        self.value(&input(run, report), b"    ")
    }

    fn end(&mut self, _run: &RunInfo, summary: &Summary) -> io::Result<()> {
        if self.inputs > 0 {
            self.out.write_all(b"\n  ")?;
        }
        self.out.write_all(b"],\n  \"summary\": ")?;
        self.value(summary, b"  ")?;
        self.out.write_all(b"\n}\n")?;
        self.out.flush()
    }
}

/// The whole report as a JSON text
///
/// # Errors
/// Serialization failures (none are expected for these types)
pub fn render(report: &Report) -> io::Result<String> {
    let mut emitter = JsonEmitter::new(Vec::new());
    report.emit(&mut emitter)?;
    String::from_utf8(emitter.into_inner()).map_err(io::Error::other)
}
