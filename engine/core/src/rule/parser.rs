//! nom parser for rule files
//!
//! The grammar is line-oriented: a statement starts with a keyword and ends at the end of its
//! line, except that a condition may continue on the following lines (until a line starts with
//! a keyword or `}`) and a `require` takes its `else`, `at` and `related` clauses on following
//! lines. The parser recovers at statement and rule boundaries, so one run reports every error
//! in a file.

use std::sync::Arc;

use nom::branch::alt;
use nom::bytes::complete::{tag, take_while, take_while1};
use nom::character::complete::{char, digit1, space0};
use nom::combinator::recognize;
use nom::{IResult, Input as _, Parser};
use nom_locate::LocatedSpan;

use super::ast::{
    Expr, Param, ParamType, ParamValue, Path, Related, Require, RequirementId, Rule, RuleDocs,
    RuleFile, RuleStatus, ServiceKind, Severity, Spanned, Step, Topic,
};
use super::docs::parse_docs;
use crate::diagnostic::Problem;
use crate::source::{SourceFile, Span};

pub(crate) type In<'a> = LocatedSpan<&'a str>;

/// A parse failure at one offset: what was expected there
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub(crate) span: Span,
    pub(crate) message: String,
    pub(crate) label: String,
    pub(crate) help: Option<String>,
    pub(crate) code: &'static str,
    /// Other places worth pointing at (e.g. where a duplicate was first set)
    pub(crate) secondary: Vec<(Span, String)>,
}

impl SyntaxError {
    pub(crate) fn at(input: In<'_>, message: impl Into<String>) -> Self {
        let start = input.location_offset();
        let width = input.fragment().chars().next().map_or(0, char::len_utf8);
        Self {
            span: Span::new(start, start + width),
            message: message.into(),
            label: String::new(),
            help: None,
            code: "rule::syntax",
            secondary: Vec::new(),
        }
    }

    pub(crate) fn spanning(span: Span, message: impl Into<String>) -> Self {
        Self {
            span,
            message: message.into(),
            label: String::new(),
            help: None,
            code: "rule::syntax",
            secondary: Vec::new(),
        }
    }

    pub(crate) fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub(crate) fn also(mut self, span: Span, label: impl Into<String>) -> Self {
        self.secondary.push((span, label.into()));
        self
    }

    pub(crate) fn code(mut self, code: &'static str) -> Self {
        self.code = code;
        self
    }
}

impl<'a> nom::error::ParseError<In<'a>> for SyntaxError {
    fn from_error_kind(input: In<'a>, kind: nom::error::ErrorKind) -> Self {
        Self::at(input, format!("unexpected input ({})", kind.description()))
    }

    fn append(_input: In<'a>, _kind: nom::error::ErrorKind, other: Self) -> Self {
        other
    }

    fn or(self, other: Self) -> Self {
        // Keep the error that got further
        if other.span.start >= self.span.start {
            other
        } else {
            self
        }
    }
}

type PResult<'a, T> = IResult<In<'a>, T, SyntaxError>;

fn fail<T>(err: SyntaxError) -> PResult<'static, T> {
    Err(nom::Err::Failure(err))
}

/// Statement keywords, in the canonical order the formatter writes them
pub(crate) const STATEMENT_KEYWORDS: &[&str] = &[
    "id",
    "requirement",
    "topic",
    "documentation",
    "maturity",
    "severity",
    "applies",
    "status",
    "kind",
    "param",
    "for",
    "let",
    "when",
    "none",
    "require",
];

/// Words that end a multi-line condition when they start a line
const LINE_STARTERS: &[&str] = &[
    "id",
    "requirement",
    "topic",
    "documentation",
    "maturity",
    "severity",
    "applies",
    "status",
    "kind",
    "param",
    "for",
    "let",
    "when",
    "none",
    "require",
    "else",
    "at",
    "related",
    "rule",
];

/// The first character of the input, or an empty span at the end of the text
fn first_char_span(input: In<'_>) -> Span {
    let start = input.location_offset();
    Span::new(
        start,
        start + input.fragment().chars().next().map_or(0, char::len_utf8),
    )
}

fn span_of(input: In<'_>) -> Span {
    let start = input.location_offset();
    Span::new(start, start + input.fragment().len())
}

fn spanned_str(input: In<'_>) -> Spanned<String> {
    Spanned::new((*input.fragment()).to_owned(), span_of(input))
}

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn identifier(input: In<'_>) -> PResult<'_, In<'_>> {
    recognize((take_while1(is_ident_start), take_while(is_ident_char))).parse(input)
}

/// Spaces, tabs, newlines and `//` comments (but not `///` doc comments)
fn skip_trivia(mut input: In<'_>) -> In<'_> {
    loop {
        let trimmed = input.fragment().trim_start_matches([' ', '\t', '\r', '\n']);
        let skipped = input.fragment().len() - trimmed.len();
        input = input.take_from(skipped);
        if input.fragment().starts_with("//") && !input.fragment().starts_with("///") {
            let line_len = input
                .fragment()
                .find('\n')
                .unwrap_or(input.fragment().len());
            input = input.take_from(line_len);
        } else {
            return input;
        }
    }
}

/// Spaces and tabs, then optionally a `//` comment, up to (not including) the newline
fn skip_line_trivia(input: In<'_>) -> In<'_> {
    let trimmed = input.fragment().trim_start_matches([' ', '\t', '\r']);
    let input = input.take_from(input.fragment().len() - trimmed.len());
    if input.fragment().starts_with("//") {
        let line_len = input
            .fragment()
            .find('\n')
            .unwrap_or(input.fragment().len());
        input.take_from(line_len)
    } else {
        input
    }
}

/// Moves past the rest of the current line
fn skip_line(input: In<'_>) -> In<'_> {
    match input.fragment().find('\n') {
        Some(i) => input.take_from(i + 1),
        None => input.take_from(input.fragment().len()),
    }
}

fn first_word(text: &str) -> &str {
    let end = text
        .char_indices()
        .find(|&(_, c)| !is_ident_char(c))
        .map_or(text.len(), |(i, _)| i);
    text.get(..end).unwrap_or("")
}

/// Parses a rule file. Returns the rules that parsed and every syntax error found.
pub(crate) fn parse_rule_file_text(text: &str) -> (RuleFile, Vec<SyntaxError>) {
    let mut rules = Vec::new();
    let mut errors = Vec::new();
    let mut input = In::new(text);
    loop {
        input = skip_trivia(input);
        if input.fragment().is_empty() {
            break;
        }
        let start = input;
        let (after_docs, doc_lines) = doc_comment_lines(input);
        let after_docs = skip_trivia(after_docs);
        if first_word(after_docs.fragment()) == "rule" {
            match rule(after_docs, start, &doc_lines, &mut errors) {
                Ok((rest, parsed)) => {
                    if let Some(parsed) = parsed {
                        rules.push(parsed);
                    }
                    input = rest;
                }
                Err(nom::Err::Error(e) | nom::Err::Failure(e)) => {
                    errors.push(e);
                    input = recover_to_next_rule(skip_line(after_docs));
                }
                Err(nom::Err::Incomplete(_)) => break,
            }
        } else if after_docs.fragment().is_empty() {
            errors.push(
                SyntaxError::spanning(
                    Span::new(start.location_offset(), start.location_offset() + 3),
                    "doc comment is not followed by a rule",
                )
                .label("documents nothing")
                .help("put the `rule name { ... }` block right after its `///` comment"),
            );
            break;
        } else {
            let word = first_word(after_docs.fragment());
            let mut err = SyntaxError::at(after_docs, "expected a rule")
                .label("expected `rule` or a `///` doc comment here")
                .help("a rule file holds rules: `rule name-of-violation { ... }`");
            if !word.is_empty() {
                let width = word.len();
                err.span = Span::new(
                    after_docs.location_offset(),
                    after_docs.location_offset() + width,
                );
                err.message = format!("expected a rule, found `{word}`");
                if let Some(close) = did_you_mean(word, &["rule"]) {
                    err = err.help(format!("did you mean `{close}`?"));
                }
            }
            errors.push(err);
            input = recover_to_next_rule(skip_line(after_docs));
        }
    }
    (RuleFile { rules }, errors)
}

/// Skips to the next line that starts with `rule` or `///`
fn recover_to_next_rule(mut input: In<'_>) -> In<'_> {
    loop {
        let trimmed = input.fragment().trim_start_matches([' ', '\t']);
        if trimmed.is_empty() || trimmed.starts_with("///") || first_word(trimmed) == "rule" {
            return input;
        }
        input = skip_line(input);
    }
}

fn doc_comment_lines(mut input: In<'_>) -> (In<'_>, Vec<Spanned<String>>) {
    let mut lines = Vec::new();
    loop {
        let trimmed = input.fragment().trim_start_matches([' ', '\t']);
        let indent = input.fragment().len() - trimmed.len();
        if !trimmed.starts_with("///") {
            return (input, lines);
        }
        let line_start = input.take_from(indent + 3);
        let line_len = line_start
            .fragment()
            .find('\n')
            .unwrap_or(line_start.fragment().len());
        let (rest, content) = line_start.take_split(line_len);
        // Trailing blanks are not part of the text: `fmt` drops them, and a rule must mean
        // the same before and after formatting
        let mut text = content.fragment().trim_end();
        let mut start = content.location_offset();
        if let Some(stripped) = text.strip_prefix(' ') {
            text = stripped;
            start += 1;
        }
        lines.push(Spanned::new(
            text.to_owned(),
            Span::new(start, start + text.len()),
        ));
        input = match rest.fragment().strip_prefix('\n') {
            Some(_) => rest.take_from(1),
            None => rest,
        };
    }
}

/// What a statement produced
enum Statement {
    Id(Spanned<String>),
    Requirement(Vec<Spanned<RequirementId>>),
    Topic(Spanned<Topic>),
    Documentation(Spanned<bool>),
    Maturity(Spanned<u8>),
    Severity(Spanned<Severity>),
    Applies(Spanned<Vec<ServiceKind>>),
    Status(Spanned<RuleStatus>),
    Kind(Spanned<String>),
    Param(Param),
    Step(Step),
    IfNone(Spanned<String>),
    Require(Require),
}

/// Collects statements of one rule while remembering where each was first set
#[derive(Default)]
struct RuleBuilder {
    id: Option<Spanned<String>>,
    requirements: Option<(Span, Vec<Spanned<RequirementId>>)>,
    topic: Option<Spanned<Topic>>,
    documentation: Option<Spanned<bool>>,
    maturity: Option<Spanned<u8>>,
    severity: Option<Spanned<Severity>>,
    applies: Option<Spanned<Vec<ServiceKind>>>,
    status: Option<Spanned<RuleStatus>>,
    kind: Option<Spanned<String>>,
    params: Vec<Param>,
    steps: Vec<Step>,
    if_none: Option<(Span, Spanned<String>)>,
    requires: Vec<Require>,
    /// Keywords of statements that failed to parse: not reported again as missing
    attempted: Vec<String>,
}

fn set_once<T>(
    slot: &mut Option<T>,
    value: T,
    keyword: &str,
    span: Span,
    first: impl Fn(&T) -> Span,
    errors: &mut Vec<SyntaxError>,
) {
    if let Some(existing) = slot {
        let first_span = first(existing);
        errors.push(
            SyntaxError::spanning(span, format!("`{keyword}` is set twice in this rule"))
                .label("second value")
                .also(first_span, "first value")
                .help(format!("remove one of the two `{keyword}` lines"))
                .code("rule::duplicate-statement"),
        );
    } else {
        *slot = Some(value);
    }
}

impl RuleBuilder {
    fn add(&mut self, statement: Statement, span: Span, errors: &mut Vec<SyntaxError>) {
        match statement {
            Statement::Id(v) => set_once(&mut self.id, v, "id", span, |s| s.span, errors),
            Statement::Requirement(v) => {
                set_once(
                    &mut self.requirements,
                    (span, v),
                    "requirement",
                    span,
                    |s| s.0,
                    errors,
                );
            }
            Statement::Topic(v) => set_once(&mut self.topic, v, "topic", span, |s| s.span, errors),
            Statement::Documentation(v) => {
                set_once(
                    &mut self.documentation,
                    v,
                    "documentation",
                    span,
                    |s| s.span,
                    errors,
                );
            }
            Statement::Maturity(v) => {
                set_once(&mut self.maturity, v, "maturity", span, |s| s.span, errors);
            }
            Statement::Severity(v) => {
                set_once(&mut self.severity, v, "severity", span, |s| s.span, errors);
            }
            Statement::Applies(v) => {
                set_once(&mut self.applies, v, "applies", span, |s| s.span, errors);
            }
            Statement::Status(v) => {
                set_once(&mut self.status, v, "status", span, |s| s.span, errors);
            }
            Statement::Kind(v) => set_once(&mut self.kind, v, "kind", span, |s| s.span, errors),
            Statement::Param(p) => {
                if let Some(first) = self.params.iter().find(|q| q.name.value == p.name.value) {
                    errors.push(
                        SyntaxError::spanning(
                            p.name.span,
                            format!("parameter `{}` is declared twice", p.name.value),
                        )
                        .label("second declaration")
                        .also(first.name.span, "first declaration")
                        .help("rename or remove one of them")
                        .code("rule::duplicate-param"),
                    );
                } else {
                    self.params.push(p);
                }
            }
            Statement::Step(step) => {
                if let Some(first_require) = self.requires.first() {
                    errors.push(
                        SyntaxError::spanning(
                            span,
                            "bindings and guards must come before the first `require`",
                        )
                        .label("after a `require`")
                        .also(first_require.span, "first `require`")
                        .help("move this line above the first `require`")
                        .code("rule::statement-order"),
                    );
                } else {
                    self.steps.push(step);
                }
            }
            Statement::IfNone(message) => {
                if let Some(first_require) = self.requires.first() {
                    errors.push(
                        SyntaxError::spanning(span, "`none` must come before the first `require`")
                            .label("after a `require`")
                            .also(first_require.span, "first `require`")
                            .help("move this line above the first `require`")
                            .code("rule::statement-order"),
                    );
                } else if !self.steps.iter().any(|s| matches!(s, Step::For { .. })) {
                    errors.push(
                        SyntaxError::spanning(span, "`none` needs a `for` above it")
                            .label("nothing is iterated here")
                            .help(
                                "`none \"message\"` reports a finding when no item of a `for` \
                                 passes the guards; add the `for` first",
                            )
                            .code("rule::none-without-for"),
                    );
                } else {
                    set_once(
                        &mut self.if_none,
                        (span, message),
                        "none",
                        span,
                        |s| s.0,
                        errors,
                    );
                }
            }
            Statement::Require(r) => self.requires.push(r),
        }
    }

    fn finish(
        self,
        name: Spanned<String>,
        span: Span,
        docs: RuleDocs,
        errors: &mut Vec<SyntaxError>,
    ) -> Option<Rule> {
        let mut missing = Vec::new();
        if self.id.is_none() {
            missing.push("id");
        }
        if self.requirements.is_none() {
            missing.push("requirement");
        }
        if self.documentation.is_none() {
            missing.push("documentation");
        }
        if self.maturity.is_none() {
            missing.push("maturity");
        }
        if self.severity.is_none() {
            missing.push("severity");
        }
        if self.applies.is_none() {
            missing.push("applies");
        }
        if self.requires.is_empty() {
            missing.push("require");
        }
        if docs.title.value.is_empty() {
            errors.push(
                SyntaxError::spanning(
                    name.span,
                    format!("rule `{}` has no doc comment", name.value),
                )
                .label("undocumented rule")
                .help("start the rule with `/// One sentence saying what the rule expects.`")
                .code("rule::missing-docs"),
            );
        }
        missing.retain(|m| !self.attempted.iter().any(|a| a == m));
        if !missing.is_empty() {
            let list = missing
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ");
            errors.push(
                SyntaxError::spanning(
                    name.span,
                    format!("rule `{}` is missing {list}", name.value),
                )
                .label("incomplete rule")
                .help(missing_help(&missing))
                .code("rule::missing-statement"),
            );
        }
        if !self.attempted.is_empty() || !missing.is_empty() {
            return None;
        }
        let (
            Some(id),
            Some((_, requirements)),
            Some(documentation),
            Some(maturity),
            Some(severity),
            Some(applies),
        ) = (
            self.id,
            self.requirements,
            self.documentation,
            self.maturity,
            self.severity,
            self.applies,
        )
        else {
            return None;
        };
        Some(Rule {
            name,
            span,
            docs,
            id,
            requirements,
            topic: self.topic,
            documentation,
            maturity,
            severity,
            applies,
            status: self
                .status
                .unwrap_or_else(|| Spanned::new(RuleStatus::Stable, Span::default())),
            document_kind: self
                .kind
                .unwrap_or_else(|| Spanned::new("delivery".to_owned(), Span::default())),
            params: self.params,
            steps: self.steps,
            if_none: self.if_none.map(|(_, message)| message),
            requires: self.requires,
        })
    }
}

fn missing_help(missing: &[&str]) -> String {
    let examples: Vec<&str> = missing
        .iter()
        .map(|m| match *m {
            "id" => "id TG0701",
            "requirement" => "requirement \"SP.07.04 BR\"",
            "documentation" => "documentation no",
            "maturity" => "maturity 2",
            "severity" => "severity high",
            "applies" => "applies integration, maintenance",
            _ => "require <condition> else \"<message>\"",
        })
        .collect();
    format!("add: {}", examples.join("; "))
}

fn rule<'a>(
    input: In<'a>,
    start: In<'a>,
    doc_lines: &[Spanned<String>],
    errors: &mut Vec<SyntaxError>,
) -> PResult<'a, Option<Rule>> {
    let (input, _) = tag("rule").parse(input)?;
    let (input, _) = space0.parse(input)?;
    let (input, name) = rule_name(input)?;
    let (input, _) = space0.parse(input)?;
    let open = input;
    let (mut input, _) = char::<In<'a>, SyntaxError>('{').parse(input).map_err(|_| {
        nom::Err::Failure(
            SyntaxError::at(
                open,
                format!("expected `{{` after the rule name `{}`", name.value),
            )
            .label("expected `{` here")
            .help("a rule's body is a block: `rule name { ... }`"),
        )
    })?;
    let open_span = Span::new(open.location_offset(), open.location_offset() + 1);
    let mut builder = RuleBuilder::default();
    loop {
        input = skip_trivia(input);
        let fragment = *input.fragment();
        if fragment.is_empty() {
            return fail(
                SyntaxError::spanning(open_span, format!("rule `{}` is not closed", name.value))
                    .label("this block has no closing `}`")
                    .help("add `}` after the rule's last statement")
                    .code("rule::unterminated-block"),
            );
        }
        if let Some(rest) = fragment.strip_prefix('}') {
            let _ = rest;
            let close = input.take_from(1);
            let end = close.location_offset();
            let span = Span::new(start.location_offset(), end);
            let docs = parse_docs(doc_lines, name.span, errors);
            let after = skip_line_trivia(close);
            let after = if after.fragment().is_empty() || after.fragment().starts_with('\n') {
                after
            } else {
                errors.push(
                    SyntaxError::at(after, "unexpected text after the rule's closing `}`")
                        .help("start the next rule on its own line"),
                );
                skip_line(after)
            };
            return Ok((after, builder.finish(name, span, docs, errors)));
        }
        if fragment.starts_with("///") {
            errors.push(
                SyntaxError::spanning(
                    Span::new(input.location_offset(), input.location_offset() + 3),
                    "doc comments belong above the rule, not inside it",
                )
                .help("use `//` for a comment inside a rule, or move the text above `rule`")
                .code("rule::misplaced-doc"),
            );
            input = skip_line(input);
            continue;
        }
        if first_word(fragment) == "rule" {
            // A new rule starts: the current one was never closed
            return fail(
                SyntaxError::spanning(open_span, format!("rule `{}` is not closed", name.value))
                    .label("this block has no closing `}`")
                    .help("add `}` before the next `rule`")
                    .code("rule::unterminated-block"),
            );
        }
        let statement_start = input.location_offset();
        match statement(input) {
            Ok((rest, parsed)) => {
                let span = Span::new(statement_start, rest.location_offset());
                builder.add(parsed, span, errors);
                let after = skip_line_trivia(rest);
                let f = after.fragment();
                if f.is_empty() || f.starts_with('\n') || f.starts_with('}') {
                    input = after;
                } else {
                    errors.push(
                        SyntaxError::at(
                            after,
                            format!(
                                "unexpected `{}` at the end of the statement",
                                first_token(f)
                            ),
                        )
                        .label("unexpected")
                        .help("put one statement on each line"),
                    );
                    input = skip_line(after);
                }
            }
            Err(nom::Err::Error(e) | nom::Err::Failure(e)) => {
                errors.push(e);
                builder.attempted.push(first_word(fragment).to_owned());
                input = skip_statement(skip_line(input));
            }
            Err(nom::Err::Incomplete(_)) => {
                return fail(SyntaxError::at(input, "unexpected end of file"));
            }
        }
    }
}

/// After an error, skips continuation lines until a line starts with a keyword or `}`
fn skip_statement(mut input: In<'_>) -> In<'_> {
    loop {
        let trimmed = input.fragment().trim_start_matches([' ', '\t', '\r', '\n']);
        if trimmed.is_empty()
            || trimmed.starts_with('}')
            || trimmed.starts_with("//")
            || STATEMENT_KEYWORDS.contains(&first_word(trimmed))
            || first_word(trimmed) == "rule"
        {
            return input;
        }
        input = skip_line(input);
    }
}

fn first_token(text: &str) -> &str {
    if let Some(body) = text.strip_prefix('"') {
        let end = body.find(['"', '\n']).map_or(text.len(), |i| i + 2);
        return text.get(..end.min(text.len())).unwrap_or(text);
    }
    let word = first_word(text);
    if word.is_empty() {
        text.get(..text.chars().next().map_or(0, char::len_utf8))
            .unwrap_or("")
    } else {
        word
    }
}

fn rule_name(input: In<'_>) -> PResult<'_, Spanned<String>> {
    let (rest, name) =
        take_while(|c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_').parse(input)?;
    let text = *name.fragment();
    if text.is_empty() {
        return fail(
            SyntaxError::at(input, "expected a rule name after `rule`")
                .label("expected a name like `remote-access-without-mfa`")
                .help("name the violation in kebab-case: lowercase words joined by `-`"),
        );
    }
    let valid = text.starts_with(|c: char| c.is_ascii_lowercase())
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !text.ends_with('-')
        && !text.contains("--");
    if !valid {
        let suggestion = text.to_ascii_lowercase().replace('_', "-");
        return fail(
            SyntaxError::spanning(
                span_of(name),
                format!("rule name `{text}` is not kebab-case"),
            )
            .label("invalid name")
            .help(format!(
                "use lowercase words joined by `-`, e.g. `{suggestion}`"
            ))
            .code("rule::invalid-name"),
        );
    }
    Ok((rest, spanned_str(name)))
}

fn did_you_mean<'k>(word: &str, candidates: &[&'k str]) -> Option<&'k str> {
    candidates
        .iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn statement(input: In<'_>) -> PResult<'_, Statement> {
    let (rest, keyword) = identifier(input).map_err(|_: nom::Err<SyntaxError>| {
        nom::Err::Failure(
            SyntaxError::at(
                input,
                format!(
                    "expected a statement, found `{}`",
                    first_token(input.fragment())
                ),
            )
            .label("expected a keyword such as `severity` or `require`")
            .help(format!(
                "statements start with one of: {}",
                STATEMENT_KEYWORDS.join(", ")
            )),
        )
    })?;
    let kw = *keyword.fragment();
    let (rest, _) = space0.parse(rest)?;
    match kw {
        "id" => rule_id(rest).map(|(r, v)| (r, Statement::Id(v))),
        "requirement" => requirement_list(rest).map(|(r, v)| (r, Statement::Requirement(v))),
        "topic" => topic(rest).map(|(r, v)| (r, Statement::Topic(v))),
        "documentation" => yes_no(rest).map(|(r, v)| (r, Statement::Documentation(v))),
        "maturity" => maturity(rest).map(|(r, v)| (r, Statement::Maturity(v))),
        "severity" => severity(rest).map(|(r, v)| (r, Statement::Severity(v))),
        "applies" => applies(rest).map(|(r, v)| (r, Statement::Applies(v))),
        "status" => status(rest).map(|(r, v)| (r, Statement::Status(v))),
        "kind" => document_kind(rest).map(|(r, v)| (r, Statement::Kind(v))),
        "param" => param(rest).map(|(r, v)| (r, Statement::Param(v))),
        "for" => for_step(rest).map(|(r, v)| (r, Statement::Step(v))),
        "let" => let_step(rest).map(|(r, v)| (r, Statement::Step(v))),
        "when" => {
            let (r, e) = expression(rest, "when", false)?;
            Ok((r, Statement::Step(Step::When(e))))
        }
        "none" => string_literal(rest).map(|(r, v)| (r, Statement::IfNone(v))),
        "require" => {
            require(rest, input.location_offset()).map(|(r, v)| (r, Statement::Require(v)))
        }
        other => {
            let mut err =
                SyntaxError::spanning(span_of(keyword), format!("unknown statement `{other}`"))
                    .label("not a rule statement")
                    .code("rule::unknown-statement");
            err = match did_you_mean(other, STATEMENT_KEYWORDS) {
                Some(close) => err.help(format!("did you mean `{close}`?")),
                None => err.help(format!(
                    "statements start with one of: {}",
                    STATEMENT_KEYWORDS.join(", ")
                )),
            };
            fail(err)
        }
    }
}

fn word_value<'a>(input: In<'a>, what: &str, expected: &str) -> PResult<'a, In<'a>> {
    let (rest, word) =
        take_while(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
            .parse(input)?;
    if word.fragment().is_empty() {
        return fail(
            SyntaxError::at(input, format!("expected {what}"))
                .label(format!("expected {expected}"))
                .help(format!("write {expected}")),
        );
    }
    Ok((rest, word))
}

fn bad_word(word: In<'_>, what: &str, options: &[&str]) -> SyntaxError {
    let text = *word.fragment();
    let list = options
        .iter()
        .map(|o| format!("`{o}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut err = SyntaxError::spanning(span_of(word), format!("unknown {what} `{text}`"))
        .label(format!("expected one of {list}"))
        .code("rule::invalid-value");
    err = match did_you_mean(text, options) {
        Some(close) => err.help(format!("did you mean `{close}`? {what} is one of {list}")),
        None => err.help(format!("{what} is one of {list}")),
    };
    err
}

fn rule_id(input: In<'_>) -> PResult<'_, Spanned<String>> {
    let (rest, word) = word_value(input, "a rule id", "an id like `TG0701`")?;
    let text = *word.fragment();
    let valid = text.len() >= 3
        && text.len() <= 16
        && text.starts_with(|c: char| c.is_ascii_uppercase())
        && text
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if !valid {
        return fail(
            SyntaxError::spanning(span_of(word), format!("invalid rule id `{text}`"))
                .label("expected uppercase letters then digits")
                .help("a rule id is a short stable code such as `TG0701` (3 to 16 uppercase letters and digits)")
                .code("rule::invalid-id"),
        );
    }
    Ok((rest, spanned_str(word)))
}

/// A double-quoted string with `\"`, `\\`, `\n` and `\t` escapes
pub(crate) fn string_literal(input: In<'_>) -> PResult<'_, Spanned<String>> {
    let start = input.location_offset();
    let Some(body) = input.fragment().strip_prefix('"') else {
        return Err(nom::Err::Error(
            SyntaxError::at(input, "expected a double-quoted string").label("expected `\"`"),
        ));
    };
    let mut value = String::new();
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                let consumed = 1 + i + 1;
                let rest = input.take_from(consumed);
                return Ok((
                    rest,
                    Spanned::new(value, Span::new(start, start + consumed)),
                ));
            }
            '\\' => match chars.next() {
                Some((_, '"')) => value.push('"'),
                Some((_, '\\')) => value.push('\\'),
                Some((_, 'n')) => value.push('\n'),
                Some((_, 't')) => value.push('\t'),
                Some((j, other)) => {
                    let at = start + 1 + j;
                    return fail(
                        SyntaxError::spanning(
                            Span::new(at - 1, at + other.len_utf8()),
                            format!("unknown escape `\\{other}` in string"),
                        )
                        .label("unknown escape")
                        .help("strings support `\\\"`, `\\\\`, `\\n` and `\\t`"),
                    );
                }
                None => break,
            },
            '\n' => {
                return fail(
                    SyntaxError::spanning(
                        Span::new(start, start + 1 + i),
                        "string is not closed on its line",
                    )
                    .label("this string has no closing `\"`")
                    .help("close the string with `\"` before the end of the line")
                    .code("rule::unterminated-string"),
                );
            }
            other => value.push(other),
        }
    }
    fail(
        SyntaxError::spanning(Span::new(start, start + 1), "string is not closed")
            .label("this string has no closing `\"`")
            .help("close the string with `\"`")
            .code("rule::unterminated-string"),
    )
}

fn requirement_list(input: In<'_>) -> PResult<'_, Vec<Spanned<RequirementId>>> {
    let mut out = Vec::new();
    let mut input = input;
    loop {
        let (rest, text) = string_literal(input).map_err(|_| {
            nom::Err::Failure(
                SyntaxError::at(input, "expected a quoted requirement id")
                    .label("expected a string like \"SP.07.04 BR\"")
                    .help("write the requirement ids as quoted strings: requirement \"SP.07.04 BR\", \"SP.07.04 RE(1)\""),
            )
        })?;
        let id = parse_requirement_id(&text.value).ok_or_else(|| {
            nom::Err::Failure(
                SyntaxError::spanning(text.span, format!("invalid requirement id `{}`", text.value))
                    .label("not a requirement id")
                    .help("write `SP.aa.bb BR` for a base requirement or `SP.aa.bb RE(n)` for an enhancement, e.g. `SP.07.04 RE(1)`")
                    .code("rule::invalid-requirement"),
            )
        })?;
        out.push(Spanned::new(id, text.span));
        let (rest, _) = space0.parse(rest)?;
        match rest.fragment().strip_prefix(',') {
            Some(_) => {
                let (rest, _) = space0.parse(rest.take_from(1))?;
                input = rest;
            }
            None => return Ok((rest, out)),
        }
    }
}

/// Parses `SP.07.04 BR` / `SP.07.04 RE(1)`
pub(crate) fn parse_requirement_id(text: &str) -> Option<RequirementId> {
    fn two_digits(input: In<'_>) -> PResult<'_, u8> {
        let (rest, digits) = digit1(input)?;
        if digits.fragment().len() != 2 {
            return Err(nom::Err::Error(SyntaxError::at(
                input,
                "expected two digits",
            )));
        }
        let value = digits
            .fragment()
            .parse::<u8>()
            .map_err(|_| nom::Err::Error(SyntaxError::at(input, "number")))?;
        Ok((rest, value))
    }
    let parsed: PResult<'_, (u8, u8, Option<u8>)> = (
        tag("SP."),
        two_digits,
        char('.'),
        two_digits,
        char(' '),
        alt((
            tag("BR").map(|_| None),
            (tag("RE("), digit1, char(')'))
                .map(|(_, n, _): (In<'_>, In<'_>, char)| n.fragment().parse::<u8>().ok()),
        )),
    )
        .map(|(_, area, _, number, _, enhancement)| (area, number, enhancement))
        .parse(In::new(text));
    match parsed {
        Ok((rest, (area, number, enhancement))) if rest.fragment().is_empty() => {
            let in_range = (1..=12).contains(&area) && number >= 1 && enhancement != Some(0);
            in_range.then_some(RequirementId {
                area,
                number,
                enhancement,
            })
        }
        _ => None,
    }
}

fn topic(input: In<'_>) -> PResult<'_, Spanned<Topic>> {
    let start = input.location_offset();
    let (rest, topic) =
        string_literal(input).map_err(|_| {
            nom::Err::Failure(SyntaxError::at(input, "expected a quoted topic").help(
                "write `topic \"Remote access\"` or `topic \"Remote access\" / \"Approval\"`",
            ))
        })?;
    let (after_space, _) = space0.parse(rest)?;
    if after_space.fragment().strip_prefix('/').is_some() {
        let (r, _) = space0.parse(after_space.take_from(1))?;
        let (r, subtopic) = string_literal(r).map_err(|_| {
            nom::Err::Failure(
                SyntaxError::at(r, "expected a quoted subtopic after `/`")
                    .help("write `topic \"Topic\" / \"Subtopic\"`"),
            )
        })?;
        let span = Span::new(start, r.location_offset());
        return Ok((
            r,
            Spanned::new(
                Topic {
                    topic: topic.value,
                    subtopic: Some(subtopic.value),
                },
                span,
            ),
        ));
    }
    Ok((
        rest,
        Spanned::new(
            Topic {
                topic: topic.value,
                subtopic: None,
            },
            topic.span,
        ),
    ))
}

fn yes_no(input: In<'_>) -> PResult<'_, Spanned<bool>> {
    let (rest, word) = word_value(input, "`yes` or `no`", "`yes` or `no`")?;
    match *word.fragment() {
        "yes" => Ok((rest, Spanned::new(true, span_of(word)))),
        "no" => Ok((rest, Spanned::new(false, span_of(word)))),
        _ => fail(bad_word(word, "documentation flag", &["yes", "no"])),
    }
}

fn maturity(input: In<'_>) -> PResult<'_, Spanned<u8>> {
    let (rest, word) = word_value(input, "a maturity level", "a level from 1 to 4")?;
    match word.fragment().parse::<u8>() {
        Ok(level @ 1..=4) => Ok((rest, Spanned::new(level, span_of(word)))),
        _ => fail(
            SyntaxError::spanning(span_of(word), format!("invalid maturity level `{}`", word.fragment()))
                .label("expected 1, 2, 3 or 4")
                .help("maturity levels are 1 (initial), 2 (managed), 3 (defined/practiced) and 4 (improving)")
                .code("rule::invalid-value"),
        ),
    }
}

fn severity(input: In<'_>) -> PResult<'_, Spanned<Severity>> {
    let (rest, word) = word_value(input, "a severity", "a severity such as `high`")?;
    match Severity::parse(word.fragment()) {
        Some(s) => Ok((rest, Spanned::new(s, span_of(word)))),
        None => fail(bad_word(
            word,
            "severity",
            &["info", "low", "medium", "high", "critical"],
        )),
    }
}

fn applies(input: In<'_>) -> PResult<'_, Spanned<Vec<ServiceKind>>> {
    let start = input.location_offset();
    let mut kinds = Vec::new();
    let mut input = input;
    loop {
        let (rest, word) = word_value(input, "a service kind", "`integration` or `maintenance`")?;
        let kind = match *word.fragment() {
            "integration" => ServiceKind::Integration,
            "maintenance" => ServiceKind::Maintenance,
            _ => {
                return fail(bad_word(
                    word,
                    "service kind",
                    &["integration", "maintenance"],
                ));
            }
        };
        if kinds.contains(&kind) {
            return fail(
                SyntaxError::spanning(
                    span_of(word),
                    format!("`{}` is listed twice", word.fragment()),
                )
                .help("list each service kind once"),
            );
        }
        kinds.push(kind);
        let (rest, _) = space0.parse(rest)?;
        if rest.fragment().strip_prefix(',').is_some() {
            let (r, _) = space0.parse(rest.take_from(1))?;
            input = r;
        } else {
            let end = word.location_offset() + word.fragment().len();
            return Ok((rest, Spanned::new(kinds, Span::new(start, end))));
        }
    }
}

fn status(input: In<'_>) -> PResult<'_, Spanned<RuleStatus>> {
    let (rest, word) = word_value(
        input,
        "a rule status",
        "`stable`, `preview` or `deprecated`",
    )?;
    let value = match *word.fragment() {
        "stable" => RuleStatus::Stable,
        "preview" => RuleStatus::Preview,
        "deprecated" => RuleStatus::Deprecated,
        _ => {
            return fail(bad_word(
                word,
                "status",
                &["stable", "preview", "deprecated"],
            ));
        }
    };
    Ok((rest, Spanned::new(value, span_of(word))))
}

/// Document kinds the engine knows; a rule for another kind is an error
pub(crate) const DOCUMENT_KINDS: &[&str] = &["delivery"];

fn document_kind(input: In<'_>) -> PResult<'_, Spanned<String>> {
    let (rest, word) = word_value(input, "a document kind", "`delivery`")?;
    if !DOCUMENT_KINDS.contains(word.fragment()) {
        return fail(bad_word(word, "document kind", DOCUMENT_KINDS));
    }
    Ok((rest, spanned_str(word)))
}

fn name_token<'a>(input: In<'a>, what: &str) -> PResult<'a, Spanned<String>> {
    let (rest, name) = identifier(input).map_err(|_: nom::Err<SyntaxError>| {
        nom::Err::Failure(
            SyntaxError::at(input, format!("expected {what}"))
                .label("expected a name like `max_session_minutes`")
                .help("names start with a letter or `_` and use letters, digits and `_`"),
        )
    })?;
    if RESERVED_NAMES.contains(name.fragment()) || RHAI_RESERVED.contains(name.fragment()) {
        return fail(
            SyntaxError::spanning(
                span_of(name),
                format!(
                    "`{}` is reserved and cannot be used as a name",
                    name.fragment()
                ),
            )
            .label("reserved")
            .help("choose another name")
            .code("rule::reserved-name"),
        );
    }
    Ok((rest, spanned_str(name)))
}

/// Names that conditions cannot bind: Rhai keywords and the engine's own
/// Words Rhai reserves: a YAML key spelled like one (`shared`, `default`, `new`, `for`...) cannot
/// follow a `.` in Rhai, so the condition is compiled with `x.shared` rewritten to `x["shared"]`
pub(crate) const RHAI_RESERVED: &[&str] = &[
    "as",
    "async",
    "await",
    "break",
    "call",
    "case",
    "catch",
    "const",
    "continue",
    "curry",
    "debug",
    "default",
    "do",
    "else",
    "eval",
    "exit",
    "export",
    "false",
    "fn",
    "Fn",
    "for",
    "global",
    "goto",
    "if",
    "import",
    "in",
    "is",
    "is_def_fn",
    "is_def_var",
    "is_shared",
    "let",
    "loop",
    "match",
    "module",
    "new",
    "nil",
    "null",
    "package",
    "print",
    "private",
    "protected",
    "public",
    "return",
    "shared",
    "spawn",
    "static",
    "super",
    "switch",
    "sync",
    "this",
    "thread",
    "throw",
    "true",
    "try",
    "type_of",
    "until",
    "use",
    "var",
    "void",
    "while",
    "with",
    "yield",
];

const RESERVED_NAMES: &[&str] = &[
    "doc",
    "true",
    "false",
    "if",
    "else",
    "switch",
    "do",
    "while",
    "loop",
    "until",
    "for",
    "in",
    "let",
    "const",
    "fn",
    "return",
    "throw",
    "try",
    "catch",
    "import",
    "export",
    "as",
    "private",
    "this",
    "global",
    "is",
    "eval",
    "print",
    "debug",
    "type_of",
    "is_shared",
    "Fn",
    "call",
    "curry",
];

fn param(input: In<'_>) -> PResult<'_, Param> {
    let (rest, name) = name_token(input, "a parameter name")?;
    let (rest, _) = space0.parse(rest)?;
    let (rest, _) = char::<In<'_>, SyntaxError>(':').parse(rest).map_err(|_| {
        nom::Err::Failure(
            SyntaxError::at(rest, "expected `:` and a type after the parameter name").help(
                format!("write `param {}: int = 480 \"what it means\"`", name.value),
            ),
        )
    })?;
    let (rest, _) = space0.parse(rest)?;
    let (rest, ty_word) = word_value(rest, "a parameter type", "a type such as `int`")?;
    let ty = match *ty_word.fragment() {
        "int" => ParamType::Int,
        "float" => ParamType::Float,
        "bool" => ParamType::Bool,
        "string" => ParamType::String,
        "date" => ParamType::Date,
        "list" => ParamType::List,
        _ => {
            return fail(bad_word(
                ty_word,
                "parameter type",
                &["int", "float", "bool", "string", "date", "list"],
            ));
        }
    };
    let (rest, _) = space0.parse(rest)?;
    let (rest, _) = char::<In<'_>, SyntaxError>('=').parse(rest).map_err(|_| {
        nom::Err::Failure(
            SyntaxError::at(rest, "expected `=` and a default value")
                .help("every parameter has a default: `param max_days: int = 30`"),
        )
    })?;
    let (rest, _) = space0.parse(rest)?;
    let (rest, default) = param_literal(rest, ty)?;
    let (after, _) = space0.parse(rest)?;
    let (rest, doc) = if after.fragment().starts_with('"') {
        let (r, s) = string_literal(after)?;
        (r, Some(s))
    } else {
        (rest, None)
    };
    Ok((
        rest,
        Param {
            name,
            ty: Spanned::new(ty, span_of(ty_word)),
            default,
            doc,
        },
    ))
}

fn param_literal(input: In<'_>, ty: ParamType) -> PResult<'_, Spanned<ParamValue>> {
    let start = input.location_offset();
    let mismatch = |span: Span, found: &str| {
        nom::Err::Failure(
            SyntaxError::spanning(
                span,
                format!("default value `{found}` is not of type `{}`", ty.as_str()),
            )
            .label(format!("expected {}", type_example(ty)))
            .help(format!("write {} or change the type", type_example(ty)))
            .code("rule::param-type"),
        )
    };
    match ty {
        ParamType::String | ParamType::Date => {
            let (rest, s) = string_literal(input)
                .map_err(|_| mismatch(first_char_span(input), first_token(input.fragment())))?;
            if ty == ParamType::Date && crate::parse_iso_date(&s.value).is_none() {
                return Err(mismatch(s.span, &s.value));
            }
            Ok((rest, Spanned::new(ParamValue::String(s.value), s.span)))
        }
        ParamType::List => {
            let Some(_) = input.fragment().strip_prefix('[') else {
                return Err(mismatch(
                    first_char_span(input),
                    first_token(input.fragment()),
                ));
            };
            let mut items = Vec::new();
            let mut rest = skip_trivia(input.take_from(1));
            loop {
                if rest.fragment().starts_with(']') {
                    let r = rest.take_from(1);
                    return Ok((
                        r,
                        Spanned::new(
                            ParamValue::List(items),
                            Span::new(start, r.location_offset()),
                        ),
                    ));
                }
                let (r, s) = string_literal(rest).map_err(|_| {
                    nom::Err::Failure(
                        SyntaxError::at(rest, "expected a quoted string or `]` in the list")
                            .help("write a list as `[\"a\", \"b\"]`"),
                    )
                })?;
                items.push(s.value);
                let r = skip_trivia(r);
                rest = match r.fragment().strip_prefix(',') {
                    Some(_) => skip_trivia(r.take_from(1)),
                    None if r.fragment().starts_with(']') => r,
                    None => {
                        return fail(
                            SyntaxError::at(r, "expected `,` or `]` in the list")
                                .help("separate list items with `,` and close the list with `]`"),
                        );
                    }
                };
            }
        }
        ParamType::Bool | ParamType::Int | ParamType::Float => {
            let (rest, word) = take_while1::<_, _, SyntaxError>(|c: char| {
                c.is_ascii_alphanumeric() || c == '-' || c == '+' || c == '.' || c == '_'
            })
            .parse(input)
            .map_err(|_| mismatch(first_char_span(input), first_token(input.fragment())))?;
            let text = word.fragment().replace('_', "");
            let value = match ty {
                ParamType::Bool => match text.as_str() {
                    "true" => Some(ParamValue::Bool(true)),
                    "false" => Some(ParamValue::Bool(false)),
                    _ => None,
                },
                ParamType::Int => text.parse::<i64>().ok().map(ParamValue::Int),
                _ => text
                    .parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite())
                    .map(ParamValue::Float),
            };
            match value {
                Some(v) => Ok((rest, Spanned::new(v, span_of(word)))),
                None => Err(mismatch(span_of(word), word.fragment())),
            }
        }
    }
}

fn type_example(ty: ParamType) -> &'static str {
    match ty {
        ParamType::Int => "a whole number such as `30`",
        ParamType::Float => "a number such as `0.5`",
        ParamType::Bool => "`true` or `false`",
        ParamType::String => "a quoted string",
        ParamType::Date => "a quoted ISO date such as \"2026-01-31\"",
        ParamType::List => "a list of quoted strings such as `[\"a\", \"b\"]`",
    }
}

fn path(input: In<'_>) -> PResult<'_, Path> {
    let start = input.location_offset();
    let (mut rest, first) = identifier(input).map_err(|_: nom::Err<SyntaxError>| {
        nom::Err::Failure(
            SyntaxError::at(input, "expected a path such as `remote_access.methods`")
                .label("expected a path")
                .help(
                    "a path is a bound name, `doc` or a top-level key, followed by `.key` segments",
                ),
        )
    })?;
    let mut segments = vec![spanned_str(first)];
    while rest.fragment().starts_with('.') {
        let after_dot = rest.take_from(1);
        let (r, seg) = identifier(after_dot).map_err(|_: nom::Err<SyntaxError>| {
            nom::Err::Failure(
                SyntaxError::at(after_dot, "expected a key after `.`")
                    .help("remove the trailing `.` or add the key name"),
            )
        })?;
        segments.push(spanned_str(seg));
        rest = r;
    }
    Ok((
        rest,
        Path {
            segments,
            span: Span::new(start, rest.location_offset()),
        },
    ))
}

fn for_step(input: In<'_>) -> PResult<'_, Step> {
    let (rest, name) = name_token(input, "a name to bind each item to")?;
    let (rest, _) = space0.parse(rest)?;
    let (rest, _) = tag::<_, _, SyntaxError>("in").parse(rest).map_err(|_| {
        nom::Err::Failure(
            SyntaxError::at(rest, "expected `in` after the bound name").help(format!(
                "write `for {} in remote_access.methods`",
                name.value
            )),
        )
    })?;
    let (rest, _) = space0.parse(rest)?;
    let (rest, path) = path(rest)?;
    Ok((rest, Step::For { name, path }))
}

fn let_step(input: In<'_>) -> PResult<'_, Step> {
    let (rest, name) = name_token(input, "a name to bind")?;
    let (rest, _) = space0.parse(rest)?;
    let (rest, _) = char::<In<'_>, SyntaxError>('=').parse(rest).map_err(|_| {
        nom::Err::Failure(
            SyntaxError::at(rest, "expected `=` after the bound name").help(format!(
                "write `let {} = accounts.password_policy`",
                name.value
            )),
        )
    })?;
    let (rest, _) = space0.parse(rest)?;
    let (rest, path) = path(rest)?;
    Ok((rest, Step::Let { name, path }))
}

/// Scans a Rhai condition. It ends at `else` (when `stop_at_else`), at a `//` comment, at a
/// closing bracket that was not opened in it, or at a line break after which the next line
/// starts with a statement keyword, a clause keyword or `}`.
fn expression<'a>(input: In<'a>, keyword: &str, stop_at_else: bool) -> PResult<'a, Expr> {
    let text = *input.fragment();
    let bytes = text.as_bytes();
    let mut depth: usize = 0;
    let mut i = 0;
    let mut end = text.len();
    let mut in_string: Option<u8> = None;
    while let Some(&b) = bytes.get(i) {
        if let Some(quote) = in_string {
            if b == b'\\' {
                i += 2;
                continue;
            }
            if b == quote {
                in_string = None;
            } else if b == b'\n' && quote != b'`' {
                // An unclosed string: let Rhai report it at its position
                in_string = None;
            }
            i += 1;
            continue;
        }
        match b {
            b'"' | b'\'' | b'`' => in_string = Some(b),
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                if depth == 0 {
                    end = i;
                    break;
                }
                depth -= 1;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') && depth == 0 => {
                end = i;
                break;
            }
            b'\n' if depth == 0 => {
                let rest = text.get(i + 1..).unwrap_or("");
                let next = rest.trim_start_matches([' ', '\t', '\r', '\n']);
                let word = first_word(next);
                if next.is_empty()
                    || next.starts_with('}')
                    || next.starts_with("//")
                    || LINE_STARTERS.contains(&word)
                {
                    end = i;
                    break;
                }
            }
            b'e' if stop_at_else && depth == 0 => {
                let before_ok = i == 0
                    || bytes
                        .get(i - 1)
                        .is_some_and(|c| !(c.is_ascii_alphanumeric() || *c == b'_'));
                if before_ok && text.get(i..).is_some_and(|r| first_word(r) == "else") {
                    end = i;
                    break;
                }
            }
            _ => {}
        }
        i += 1;
    }
    let raw = text.get(..end).unwrap_or("");
    let trimmed = raw.trim_end();
    if trimmed.is_empty() {
        return fail(
            SyntaxError::at(input, format!("expected a condition after `{keyword}`"))
                .label("expected a Rhai expression")
                .help(format!("write `{keyword} method.mfa == true`")),
        );
    }
    let start = input.location_offset();
    let rest = input.take_from(raw.len());
    Ok((
        rest,
        Expr {
            source: Spanned::new(trimmed.to_owned(), Span::new(start, start + trimmed.len())),
        },
    ))
}

/// Skips spaces, newlines and comments, and returns the next word if it is one of `words`
fn peek_clause<'a>(input: In<'a>, words: &[&'static str]) -> Option<(In<'a>, &'static str)> {
    let after = skip_trivia(input);
    let word = first_word(after.fragment());
    words
        .iter()
        .find(|w| **w == word)
        .map(|w| (after.take_from(w.len()), *w))
}

fn require(input: In<'_>, statement_start: usize) -> PResult<'_, Require> {
    let (rest, condition) = expression(input, "require", true)?;
    let Some((after_else, _)) = peek_clause(rest, &["else"]) else {
        return fail(
            SyntaxError::spanning(condition.source.span, "`require` needs an `else` message")
                .label("condition without a message")
                .help("add the message a user sees when the condition fails: `else \"`{method.name}` does not use MFA\"`")
                .code("rule::missing-message"),
        );
    };
    let (after_else, _) = space0.parse(after_else)?;
    let (mut rest, message) = string_literal(after_else).map_err(|e| match e {
        nom::Err::Error(_) => nom::Err::Failure(
            SyntaxError::at(after_else, "expected a quoted message after `else`")
                .label("expected `\"`")
                .help("write `else \"what is wrong, with {bound.values}\"`"),
        ),
        other => other,
    })?;
    let mut at = None;
    let mut related = Vec::new();
    while let Some((after_word, word)) = peek_clause(rest, &["at", "related"]) {
        let (after_word, _) = space0.parse(after_word)?;
        if word == "at" {
            let (r, p) = path(after_word)?;
            if at.is_some() {
                return fail(
                    SyntaxError::spanning(p.span, "`at` is given twice for this `require`")
                        .help("keep one `at` clause"),
                );
            }
            at = Some(p);
            rest = r;
        } else {
            let (r, p) = path(after_word)?;
            let (r, _) = space0.parse(r)?;
            let (r, label) = string_literal(r).map_err(|_| {
                nom::Err::Failure(
                    SyntaxError::at(r, "expected a quoted label after the related path")
                        .help("write `related accounts.inventory \"the account inventory\"`"),
                )
            })?;
            related.push(Related { path: p, label });
            rest = r;
        }
    }
    let span = Span::new(statement_start, rest.location_offset());
    Ok((
        rest,
        Require {
            condition,
            message,
            at,
            related,
            span,
        },
    ))
}

/// Turns syntax errors into located problems
pub(crate) fn problems(file: &Arc<SourceFile>, errors: Vec<SyntaxError>) -> Vec<Problem> {
    errors
        .into_iter()
        .map(|e| {
            let mut p = Problem::error(e.code, e.message)
                .in_file(file)
                .with_label(e.span, e.label);
            for (span, label) in e.secondary {
                p = p.with_label(span, label);
            }
            if let Some(help) = e.help {
                p = p.with_help(help);
            }
            p
        })
        .collect()
}

#[cfg(test)]
#[path = "parser_tests.rs"]
mod tests;
