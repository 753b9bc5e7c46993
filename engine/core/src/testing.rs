//! Rule test cases: `<rule>.tests.yaml` files next to each `.rule` file
//!
//! A case gives an input (inline YAML or a file), the expected outcome (`pass`, `fail`,
//! `not-applicable`) and, for failures, the expected findings (YAML path, and optionally line,
//! rule id and missing key). The format is strict: an unknown key is an error. The two YAML
//! examples in a rule's doc comment run as cases too, so documentation cannot drift from
//! behaviour. The built-in pack and third-party packs use this same code path.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use jiff::civil::Date;

use crate::check::{CheckOptions, Engine};
use crate::diagnostic::Problem;
use crate::report::{Finding, RuleOutcome};
use crate::source::{SourceFile, Span};
use crate::yaml::{self, Document, NodeId, Value, YamlLimits};

/// Expected outcome of a case
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// No finding, and at least one item was checked
    Pass,
    /// At least one finding
    Fail,
    /// Nothing to check
    NotApplicable,
}

impl Expect {
    fn as_str(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::NotApplicable => "not-applicable",
        }
    }
}

/// A finding a case expects
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExpectedFinding {
    /// YAML path of the blamed node
    pub path: Option<String>,
    /// 1-based line
    pub line: Option<usize>,
    /// Rule id
    pub rule: Option<String>,
    /// Missing key
    pub missing: Option<String>,
}

/// One test case
#[derive(Clone, Debug)]
pub struct TestCase {
    /// Name, unique in its file
    pub name: String,
    /// Input YAML
    pub input: Arc<SourceFile>,
    /// Expected outcome
    pub expect: Expect,
    /// Expected findings, when given
    pub findings: Option<Vec<ExpectedFinding>>,
    /// Reference date
    pub as_of: Date,
    /// Parameters set for this case, as a profile would set them
    pub params: Vec<(String, crate::rule::ParamValue)>,
}

/// Result of one case
#[derive(Clone, Debug)]
pub struct CaseResult {
    /// Case name
    pub name: String,
    /// Whether it matched its expectation
    pub passed: bool,
    /// What differed, one line each
    pub differences: Vec<String>,
    /// Findings it produced
    pub findings: Vec<Finding>,
}

/// Result of one rule file's tests
#[derive(Debug)]
pub struct RuleTestResult {
    /// The rule file
    pub rule_file: String,
    /// Case results, in file order (doc examples first)
    pub cases: Vec<CaseResult>,
    /// Problems loading the rule or the test file
    pub problems: Vec<Problem>,
}

impl RuleTestResult {
    /// Whether every case passed and nothing failed to load
    #[must_use]
    pub fn passed(&self) -> bool {
        self.problems.iter().all(|p| !p.is_error()) && self.cases.iter().all(|c| c.passed)
    }
}

/// Default reference date of test cases, so that date rules give the same verdict every day
pub const DEFAULT_TEST_DATE: &str = "2026-11-23";

/// Runs the doc examples of the rules in `rule_file` and the cases in `tests_file`
#[must_use]
pub fn run_rule_tests(
    rule_file: &Arc<SourceFile>,
    tests_file: Option<&Arc<SourceFile>>,
    base_dir: &Path,
) -> RuleTestResult {
    let engine = Engine::new(&[Arc::clone(rule_file)]);
    let mut problems: Vec<Problem> = engine.problems().to_vec();
    let mut cases = Vec::new();
    let default_date: Date = DEFAULT_TEST_DATE.parse().unwrap_or_default();
    for loaded in engine.pack().rules() {
        let docs = &loaded.rule().docs;
        for (label, example, expect) in [
            (
                "non-compliant example",
                &docs.noncompliant_example,
                Expect::Fail,
            ),
            ("compliant example", &docs.compliant_example, Expect::Pass),
        ] {
            if let Some(example) = example {
                cases.push(TestCase {
                    name: format!("{} {label}", loaded.rule().name.value),
                    input: Arc::new(SourceFile::new(
                        format!("{}#{label}", rule_file.name()),
                        example.value.clone(),
                    )),
                    expect,
                    findings: None,
                    as_of: default_date,
                    params: Vec::new(),
                });
            }
        }
    }
    if let Some(tests_file) = tests_file {
        match parse_tests(tests_file, base_dir, default_date) {
            Ok(parsed) => cases.extend(parsed),
            Err(errors) => problems.extend(errors),
        }
    }
    let results = if problems.iter().any(Problem::is_error) {
        Vec::new()
    } else {
        cases
            .iter()
            .map(|case| {
                if case.params.is_empty() {
                    return run_case(&engine, case);
                }
                // A case with parameters gets its own engine, so other cases keep the defaults
                let mut own = Engine::new(&[Arc::clone(rule_file)]);
                let rules: Vec<String> = own
                    .pack()
                    .rules()
                    .iter()
                    .map(|r| r.rule().id.value.clone())
                    .collect();
                let mut unknown = Vec::new();
                for (name, value) in &case.params {
                    let applied = rules
                        .iter()
                        .filter(|id| own.set_param(id, name, value.clone()).is_ok())
                        .count();
                    if applied == 0 {
                        // The error of the first rule says what is wrong (name or type)
                        let why = rules
                            .first()
                            .and_then(|id| own.set_param(id, name, value.clone()).err())
                            .unwrap_or_else(|| format!("no rule has a parameter `{name}`"));
                        unknown.push(format!("tool error: `params.{name}`: {why}"));
                    }
                }
                let mut result = run_case(&own, case);
                if !unknown.is_empty() {
                    result.passed = false;
                    result.differences.splice(0..0, unknown);
                }
                result
            })
            .collect()
    };
    RuleTestResult {
        rule_file: rule_file.name().to_owned(),
        cases: results,
        problems,
    }
}

fn run_case(engine: &Engine, case: &TestCase) -> CaseResult {
    let options = CheckOptions {
        as_of: Some(case.as_of),
        yaml_limits: YamlLimits::default(),
    };
    let mut outcome = engine.check_source(&case.input, &options);
    let mut differences = Vec::new();
    // The model's own checks follow the pack's rules. A case is about its rule, so a type
    // mismatch (often the very thing a case tests) is not its business; a key the model does not
    // have is: the rule would be reading a field no real submission can contain.
    let rules = engine.pack().rules().len();
    for f in outcome
        .findings
        .iter()
        .filter(|f| f.rule_id == crate::model::KEY_CHECK.id)
    {
        differences.push(format!(
            "input key at {} is not in the delivery model: {} ({})",
            display_path(&f.location.path),
            f.message,
            f.hint.as_deref().unwrap_or("see docs/model.md")
        ));
    }
    // A value of the wrong type is reported by the model check, not again by the rule (one
    // fact, one finding); for the rule's own cases that model finding is the rule's finding
    let rejected: Vec<(usize, String)> = outcome
        .documents
        .iter()
        .flat_map(|d| {
            d.results
                .iter()
                .filter(|r| r.rule < rules)
                .flat_map(|r| &r.unchecked)
                .filter_map(move |reason| match reason {
                    crate::contract::OutcomeReason::InvalidValue { path, .. } => {
                        Some((d.index, path.clone()))
                    }
                    _ => None,
                })
        })
        .collect();
    outcome.findings.retain(|f| {
        f.rule_index < rules
            || (f.rule_id == crate::model::TYPE_CHECK.id
                && rejected
                    .iter()
                    .any(|(doc, path)| *doc == f.document && *path == f.location.path))
    });
    for document in &mut outcome.documents {
        document.results.retain(|r| r.rule < rules);
    }
    for p in &outcome.problems {
        differences.push(format!(
            "tool {}: {}",
            if p.is_error() { "error" } else { "warning" },
            p.message
        ));
    }
    let results: Vec<RuleOutcome> = outcome
        .documents
        .iter()
        .flat_map(|d| d.results.iter().map(|r| r.outcome))
        .collect();
    let actual = if !outcome.findings.is_empty() {
        Some(Expect::Fail)
    } else if results.contains(&RuleOutcome::Pass) {
        Some(Expect::Pass)
    } else if results.iter().all(|r| *r == RuleOutcome::NotApplicable) && !results.is_empty() {
        Some(Expect::NotApplicable)
    } else {
        None
    };
    if actual != Some(case.expect) {
        differences.push(format!(
            "expected {}, got {}",
            case.expect.as_str(),
            actual.map_or("an error", Expect::as_str)
        ));
    }
    if let Some(expected) = &case.findings {
        let mut unmatched: Vec<&Finding> = outcome.findings.iter().collect();
        // The most specific expectations choose first, so a vague one cannot take the finding
        // a precise one needs
        let mut wants: Vec<_> = expected.iter().collect();
        wants.sort_by_key(|w| {
            std::cmp::Reverse(
                usize::from(w.path.is_some())
                    + usize::from(w.line.is_some())
                    + usize::from(w.rule.is_some())
                    + usize::from(w.missing.is_some()),
            )
        });
        for want in wants {
            let position = unmatched.iter().position(|f| {
                want.path.as_ref().is_none_or(|p| *p == f.location.path)
                    && want.line.is_none_or(|l| l == f.location.start.line)
                    && want.rule.as_ref().is_none_or(|r| *r == f.rule_id)
                    && want
                        .missing
                        .as_ref()
                        .is_none_or(|m| Some(m) == f.missing.as_ref())
            });
            match position {
                Some(i) => {
                    unmatched.remove(i);
                }
                None => differences.push(format!("- expected finding {}", describe_expected(want))),
            }
        }
        for f in unmatched {
            differences.push(format!(
                "+ unexpected finding at {} line {} ({}): {}",
                display_path(&f.location.path),
                f.location.start.line,
                f.rule_id,
                f.message
            ));
        }
    }
    CaseResult {
        name: case.name.clone(),
        passed: differences.is_empty(),
        differences,
        findings: outcome.findings,
    }
}

fn display_path(path: &str) -> &str {
    if path.is_empty() { "(document)" } else { path }
}

fn describe_expected(want: &ExpectedFinding) -> String {
    let mut text = String::new();
    if let Some(p) = &want.path {
        let _ = write!(text, "at {}", display_path(p));
    }
    if let Some(l) = want.line {
        let _ = write!(text, " line {l}");
    }
    if let Some(r) = &want.rule {
        let _ = write!(text, " ({r})");
    }
    if let Some(m) = &want.missing {
        let _ = write!(text, " missing `{m}`");
    }
    text.trim().to_owned()
}

/// Strict reader over a loaded YAML document: every key must be known
struct Reader<'a> {
    file: &'a Arc<SourceFile>,
    doc: &'a Document,
    problems: Vec<Problem>,
}

impl Reader<'_> {
    fn span(&self, node: NodeId) -> Span {
        self.doc.node(node).map(|n| n.span).unwrap_or_default()
    }

    fn error(&mut self, span: Span, message: String, help: String) {
        self.problems.push(
            Problem::error("test::invalid", message)
                .in_file(self.file)
                .with_label(span, "")
                .with_help(help),
        );
    }

    /// The entries of a mapping, refusing unknown keys
    fn mapping(&mut self, node: NodeId, known: &[&str], what: &str) -> Vec<(String, NodeId)> {
        let Some(Value::Mapping(entries)) = self.doc.node(node).map(|n| &n.value) else {
            self.error(
                self.span(node),
                format!("{what} must be a mapping"),
                format!("keys of {what}: {}", known.join(", ")),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for e in entries {
            if known.contains(&e.key.as_str()) {
                out.push((e.key.to_string(), e.value));
            } else {
                let close = known
                    .iter()
                    .map(|k| (strsim::damerau_levenshtein(&e.key, k), *k))
                    .filter(|(d, _)| *d <= 2)
                    .min_by_key(|(d, _)| *d);
                let help = match close {
                    Some((_, k)) => {
                        format!("did you mean `{k}`? keys of {what}: {}", known.join(", "))
                    }
                    None => format!("keys of {what}: {}", known.join(", ")),
                };
                self.problems.push(
                    Problem::error(
                        "test::unknown-key",
                        format!("unknown key `{}` in {what}", e.key),
                    )
                    .in_file(self.file)
                    .with_label(e.key_span, "unknown key")
                    .with_help(help),
                );
            }
        }
        out
    }

    /// `params: {name: value}`: scalars and lists of strings, as rule parameters take them
    fn params(&mut self, node: NodeId) -> Vec<(String, crate::rule::ParamValue)> {
        use crate::rule::ParamValue;
        let Some(Value::Mapping(entries)) = self.doc.node(node).map(|n| &n.value) else {
            self.error(
                self.span(node),
                "`params` must be a mapping".to_owned(),
                "write `params: {max_age_days: 30}`".to_owned(),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for e in entries {
            let value = match self.doc.node(e.value).map(|n| &n.value) {
                Some(Value::Int(i)) => Some(ParamValue::Int(*i)),
                Some(Value::Float(f)) => Some(ParamValue::Float(*f)),
                Some(Value::Bool(b)) => Some(ParamValue::Bool(*b)),
                Some(Value::String(s)) => Some(ParamValue::String(s.to_string())),
                Some(Value::Sequence(items)) => items
                    .iter()
                    .map(|i| match self.doc.node(*i).map(|n| &n.value) {
                        Some(Value::String(s)) => Some(s.to_string()),
                        _ => None,
                    })
                    .collect::<Option<Vec<String>>>()
                    .map(ParamValue::List),
                _ => None,
            };
            match value {
                Some(v) => out.push((e.key.to_string(), v)),
                None => self.error(
                    self.span(e.value),
                    format!("`params.{}` is not a parameter value", e.key),
                    "a parameter is a number, `true`/`false`, text, a date or a list of texts"
                        .to_owned(),
                ),
            }
        }
        out
    }

    fn string(&mut self, node: NodeId, what: &str) -> Option<String> {
        match self.doc.node(node).map(|n| &n.value) {
            Some(Value::String(s)) => Some(s.to_string()),
            Some(Value::Int(i)) => Some(i.to_string()),
            _ => {
                self.error(
                    self.span(node),
                    format!("{what} must be a string"),
                    format!("write {what} as text"),
                );
                None
            }
        }
    }

    fn date(&mut self, node: NodeId) -> Option<Date> {
        let text = self.string(node, "`as_of`")?;
        if let Some(d) = crate::parse_iso_date(&text) {
            Some(d)
        } else {
            self.error(
                self.span(node),
                format!("`{text}` is not an ISO date"),
                "write it as YYYY-MM-DD".to_owned(),
            );
            None
        }
    }
}

fn parse_tests(
    file: &Arc<SourceFile>,
    base_dir: &Path,
    default_date: Date,
) -> Result<Vec<TestCase>, Vec<Problem>> {
    let docs = yaml::load(file.text(), &YamlLimits::default()).map_err(|e| {
        vec![
            Problem::error(e.code(), e.message().to_owned())
                .in_file(file)
                .with_label(e.span(), e.label().to_owned()),
        ]
    })?;
    let Some(doc) = docs.first() else {
        return Err(vec![
            Problem::error("test::empty", format!("`{}` has no cases", file.name()))
                .at_path(file.name()),
        ]);
    };
    let mut r = Reader {
        file,
        doc,
        problems: Vec::new(),
    };
    let top = r.mapping(doc.root(), &["as_of", "cases"], "a test file");
    let mut file_date = default_date;
    let mut cases_node = None;
    for (key, node) in top {
        match key.as_str() {
            "as_of" => file_date = r.date(node).unwrap_or(default_date),
            _ => cases_node = Some(node),
        }
    }
    let mut cases = Vec::new();
    let items = if let Some(Value::Sequence(items)) =
        cases_node.and_then(|n| doc.node(n)).map(|n| &n.value)
    {
        items.clone()
    } else {
        r.error(
            doc.node(doc.root()).map(|n| n.span).unwrap_or_default(),
            "a test file needs a `cases` list".to_owned(),
            "add `cases:` with at least one `- name: ...` entry".to_owned(),
        );
        Vec::new()
    };
    for item in items {
        let entries = r.mapping(
            item,
            &[
                "name",
                "expect",
                "input",
                "input_file",
                "findings",
                "as_of",
                "params",
            ],
            "a test case",
        );
        let mut name = None;
        let mut expect = None;
        let mut input = None;
        let mut findings = None;
        let mut as_of = file_date;
        let mut params = Vec::new();
        for (key, node) in entries {
            match key.as_str() {
                "name" => name = r.string(node, "`name`"),
                "expect" => {
                    expect = match r.string(node, "`expect`").as_deref() {
                        Some("pass") => Some(Expect::Pass),
                        Some("fail") => Some(Expect::Fail),
                        Some("not-applicable") => Some(Expect::NotApplicable),
                        _ => {
                            r.error(
                                r.span(node),
                                "`expect` is `pass`, `fail` or `not-applicable`".to_owned(),
                                "say what the case expects".to_owned(),
                            );
                            None
                        }
                    }
                }
                "input" => {
                    if let Some(text) = r.string(node, "`input`") {
                        let label = format!("{}#{}", file.name(), name.clone().unwrap_or_default());
                        input = Some(Arc::new(SourceFile::new(label, text)));
                    }
                }
                "input_file" => {
                    if let Some(rel) = r.string(node, "`input_file`") {
                        let path = base_dir.join(&rel);
                        match std::fs::read_to_string(&path) {
                            Ok(text) => input = Some(Arc::new(SourceFile::new(rel, text))),
                            Err(e) => r.error(
                                r.span(node),
                                format!("cannot read `{}`: {e}", path.display()),
                                "paths are relative to the test file".to_owned(),
                            ),
                        }
                    }
                }
                "as_of" => as_of = r.date(node).unwrap_or(file_date),
                "params" => params = r.params(node),
                _ => {
                    let list =
                        if let Some(Value::Sequence(items)) = doc.node(node).map(|n| &n.value) {
                            items.clone()
                        } else {
                            r.error(
                                r.span(node),
                                "`findings` must be a list".to_owned(),
                                "list the expected findings: `- path: a.b[0].c`".to_owned(),
                            );
                            Vec::new()
                        };
                    let mut expected = Vec::new();
                    for f in list {
                        let mut want = ExpectedFinding::default();
                        for (k, v) in r.mapping(
                            f,
                            &["path", "line", "rule", "missing"],
                            "an expected finding",
                        ) {
                            match k.as_str() {
                                "path" => want.path = r.string(v, "`path`"),
                                "line" => {
                                    want.line = match doc.node(v).map(|n| &n.value) {
                                        Some(Value::Int(i)) => usize::try_from(*i).ok(),
                                        _ => None,
                                    };
                                    if want.line.is_none() {
                                        r.error(
                                            r.span(v),
                                            "`line` must be a positive whole number".to_owned(),
                                            "write the 1-based line".to_owned(),
                                        );
                                    }
                                }
                                "rule" => want.rule = r.string(v, "`rule`"),
                                _ => want.missing = r.string(v, "`missing`"),
                            }
                        }
                        expected.push(want);
                    }
                    findings = Some(expected);
                }
            }
        }
        let span = r.span(item);
        match (name, expect, input) {
            (Some(name), Some(expect), Some(input)) => {
                if cases.iter().any(|c: &TestCase| c.name == name) {
                    r.error(
                        span,
                        format!("two cases are named `{name}`"),
                        "give every case its own name".to_owned(),
                    );
                }
                cases.push(TestCase {
                    name,
                    input,
                    expect,
                    findings,
                    as_of,
                    params,
                });
            }
            (n, e, i) => {
                let mut missing = Vec::new();
                if n.is_none() {
                    missing.push("`name`");
                }
                if e.is_none() {
                    missing.push("`expect`");
                }
                if i.is_none() {
                    missing.push("`input` or `input_file`");
                }
                r.error(
                    span,
                    format!("test case is missing {}", missing.join(", ")),
                    "a case needs a name, an input and what it expects".to_owned(),
                );
            }
        }
    }
    if cases.is_empty() && r.problems.is_empty() {
        r.error(
            Span::default(),
            "the test file has no cases".to_owned(),
            "add at least one passing and one failing case".to_owned(),
        );
    }
    if r.problems.is_empty() {
        Ok(cases)
    } else {
        Err(r.problems)
    }
}
