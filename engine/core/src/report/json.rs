//! The JSON report, schema `tollgate-report/1` (documented in `docs/json-report.md`)
//!
//! Fields are only ever added within a schema version; removing or renaming one bumps it.

use serde::Serialize;

use super::{Finding, InputReport, Report, RuleInfo, Summary};
use crate::diagnostic::{Problem, ProblemLevel};
use crate::source::LineCol;

/// Identifier of this JSON layout
pub const SCHEMA: &str = "tollgate-report/1";

#[derive(Serialize)]
struct JsonReport<'a> {
    schema: &'static str,
    tool: Tool<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    as_of: Option<&'a str>,
    summary: &'a Summary,
    inputs: &'a [InputReport],
    findings: &'a [Finding],
    errors: Vec<JsonProblem<'a>>,
    rules: &'a [RuleInfo],
}

#[derive(Serialize)]
struct Tool<'a> {
    name: &'static str,
    version: &'a str,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<JsonProblem<'a>>,
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
        length: span.map(super::super::source::Span::len),
        help: p.help.as_deref(),
        related: p.related.iter().map(problem).collect(),
    }
}

/// Writes the report as pretty-printed JSON followed by a newline
///
/// # Errors
/// Serialization failures (none are expected for these types)
pub fn render(report: &Report) -> Result<String, serde_json::Error> {
    let doc = JsonReport {
        schema: SCHEMA,
        tool: Tool {
            name: "tollgate",
            version: &report.tool_version,
        },
        as_of: report.as_of.as_deref(),
        summary: &report.summary,
        inputs: &report.inputs,
        findings: &report.findings,
        errors: report.problems.iter().map(problem).collect(),
        rules: &report.rules,
    };
    let mut text = serde_json::to_string_pretty(&doc)?;
    text.push('\n');
    Ok(text)
}
