//! A rule pack: parsed rule files, checked and compiled once, ready to evaluate many times
//!
//! Loading resolves every name a rule uses (bound names, parameters, paths, message holes),
//! compiles each condition once, and reports every problem with its location in the rule file.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::diagnostic::Problem;
use crate::rule::RHAI_RESERVED;
use crate::rule::{self, ParamValue, Rule, Spanned, Step};
use crate::script::{CompiledExpr, ReadPath, ScriptEngine, read_paths};
use crate::source::{SourceFile, Span};

/// Where a path starts
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PathRoot {
    /// The document root (`doc.x` or a top-level key `x`)
    Document,
    /// A bound name, by its index in the rule's bindings
    Binding(usize),
    /// A parameter, by index
    Param(usize),
}

/// A path with its root resolved
#[derive(Clone, Debug)]
pub(crate) struct ResolvedPath {
    pub(crate) root: PathRoot,
    /// Keys after the root
    pub(crate) segments: Vec<String>,
    /// The path as written
    pub(crate) text: String,
    pub(crate) span: Span,
}

#[derive(Debug)]
pub(crate) enum CompiledStep {
    For { binding: usize, path: ResolvedPath },
    Let { binding: usize, path: ResolvedPath },
    When(CompiledCondition),
}

#[derive(Debug)]
pub(crate) struct CompiledCondition {
    pub(crate) expr: CompiledExpr,
    /// Fields the condition reads, in source order, resolved
    pub(crate) reads: Vec<ResolvedPath>,
    /// The condition in the rule file
    pub(crate) span: Span,
    /// Whether it reads `doc` (converting the whole document is only done when needed)
    pub(crate) uses_doc: bool,
    /// The top-level sections it reads through `doc`, when `doc` is only ever used as
    /// `doc.section...`: Rhai then gets a `doc` holding just those sections instead of the
    /// whole document converted
    pub(crate) doc_sections: Option<Vec<String>>,
    /// The same condition for the native evaluator, when it is in the native subset
    pub(crate) native: Option<crate::native::NativeExpr>,
}

#[derive(Debug, Clone)]
pub(crate) enum TemplatePart {
    Text(String),
    Hole(ResolvedPath),
}

#[derive(Debug)]
pub(crate) struct CompiledRequire {
    pub(crate) condition: CompiledCondition,
    pub(crate) message: Vec<TemplatePart>,
    pub(crate) at: Option<ResolvedPath>,
    pub(crate) related: Vec<(ResolvedPath, String)>,
}

/// A rule ready to run
#[derive(Debug)]
pub struct LoadedRule {
    pub(crate) rule: Rule,
    pub(crate) file: Arc<SourceFile>,
    /// Names the rule binds, in order (`doc` is not one of them)
    pub(crate) bindings: Vec<String>,
    pub(crate) params: Vec<(String, ParamValue)>,
    pub(crate) steps: Vec<CompiledStep>,
    /// `none "message"`: reported when no binding passes the guards
    pub(crate) if_none: Option<Vec<TemplatePart>>,
    pub(crate) requires: Vec<CompiledRequire>,
}

impl LoadedRule {
    /// The parsed rule
    #[must_use]
    pub fn rule(&self) -> &Rule {
        &self.rule
    }

    /// The file it came from
    #[must_use]
    pub fn file(&self) -> &Arc<SourceFile> {
        &self.file
    }
}

/// The rules of one run
#[derive(Debug, Default)]
pub struct RulePack {
    rules: Vec<LoadedRule>,
}

impl RulePack {
    /// Overrides a parameter of a rule (named by id or name): what asset-owner profiles and test
    /// cases do. The value must have the parameter's declared type (a whole number is accepted
    /// for a decimal parameter).
    ///
    /// # Errors
    /// An unknown rule or parameter (with the closest names), or a value of another type
    pub fn set_param(&mut self, rule: &str, name: &str, value: ParamValue) -> Result<(), String> {
        let Some(loaded) = self
            .rules
            .iter_mut()
            .find(|r| r.rule.id.value == rule || r.rule.name.value == rule)
        else {
            return Err(format!("no rule `{rule}` in the pack"));
        };
        let declared: Vec<&crate::rule::Param> = loaded.rule.params.iter().collect();
        let Some(index) = declared.iter().position(|p| p.name.value == name) else {
            let names: Vec<&str> = declared.iter().map(|p| p.name.value.as_str()).collect();
            return Err(if names.is_empty() {
                format!("rule `{rule}` has no parameters")
            } else {
                format!(
                    "rule `{rule}` has no parameter `{name}`; its parameters: {}",
                    names.join(", ")
                )
            });
        };
        let ty = declared.get(index).map(|p| p.ty.value);
        let value = match (ty, value) {
            (Some(crate::rule::ParamType::Float), ParamValue::Int(i)) => {
                #[allow(
                    clippy::cast_precision_loss,
                    reason = "parameters are small whole numbers"
                )]
                let f = i as f64;
                ParamValue::Float(f)
            }
            (Some(ty), value) => {
                let fits = matches!(
                    (ty, &value),
                    (crate::rule::ParamType::Int, ParamValue::Int(_))
                        | (crate::rule::ParamType::Float, ParamValue::Float(_))
                        | (crate::rule::ParamType::Bool, ParamValue::Bool(_))
                        | (crate::rule::ParamType::String, ParamValue::String(_))
                        | (crate::rule::ParamType::List, ParamValue::List(_))
                ) || (ty == crate::rule::ParamType::Date
                    && matches!(&value, ParamValue::String(s) if crate::parse_iso_date(s).is_some()));
                if !fits {
                    return Err(format!(
                        "parameter `{name}` of `{rule}` is {}, not `{value}`",
                        ty.as_str()
                    ));
                }
                value
            }
            (None, value) => value,
        };
        if let Some(slot) = loaded.params.get_mut(index) {
            slot.1 = value;
        }
        Ok(())
    }

    /// Drops the native form of every condition, so that each one runs in Rhai. Results are the
    /// same either way (a differential test checks it); this exists for that test and for
    /// debugging a suspected difference.
    pub fn disable_native_conditions(&mut self) {
        for rule in &mut self.rules {
            for step in &mut rule.steps {
                if let CompiledStep::When(c) = step {
                    c.native = None;
                }
            }
            for require in &mut rule.requires {
                require.condition.native = None;
            }
        }
    }

    /// Every condition of the pack (guards and requirements) with its rule
    fn conditions(&self) -> impl Iterator<Item = (&LoadedRule, &CompiledCondition)> {
        self.rules.iter().flat_map(|r| {
            r.steps
                .iter()
                .filter_map(|s| match s {
                    CompiledStep::When(c) => Some(c),
                    _ => None,
                })
                .chain(r.requires.iter().map(|q| &q.condition))
                .map(move |c| (r, c))
        })
    }

    /// The conditions that run in Rhai, as `RULE-ID: condition`, for tuning the native subset
    #[must_use]
    pub fn non_native_conditions(&self) -> Vec<String> {
        self.conditions()
            .filter(|(_, c)| c.native.is_none())
            .map(|(r, c)| {
                let text = r
                    .file
                    .text()
                    .get(c.span.start..c.span.end)
                    .unwrap_or_default()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                format!("{}: {text}", r.rule.id.value)
            })
            .collect()
    }

    /// How many conditions run natively, and how many in all
    #[must_use]
    pub fn native_condition_count(&self) -> (usize, usize) {
        self.conditions().fold((0, 0), |(native, all), (_, c)| {
            (native + usize::from(c.native.is_some()), all + 1)
        })
    }
}

impl RulePack {
    /// Parses, checks and compiles rule files. Rules with errors are left out; every problem
    /// is returned.
    #[must_use]
    pub fn load(files: &[Arc<SourceFile>], engine: &ScriptEngine) -> (Self, Vec<Problem>) {
        let mut problems = Vec::new();
        let mut rules = Vec::new();
        for file in files {
            match rule::parse_rule_file(file) {
                Ok(parsed) => {
                    for rule in parsed.rules {
                        if let Some(loaded) = compile_rule(rule, file, engine, &mut problems) {
                            rules.push(loaded);
                        }
                    }
                }
                Err(errors) => problems.extend(errors),
            }
        }
        check_unique(&mut rules, &mut problems);
        rules.sort_by(|a, b| a.rule.id.value.cmp(&b.rule.id.value));
        (Self { rules }, problems)
    }

    /// The rules, sorted by id
    #[must_use]
    pub fn rules(&self) -> &[LoadedRule] {
        &self.rules
    }

    /// Number of rules
    #[must_use]
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Whether the pack has no rule
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}

/// Duplicate ids or names across files are errors; the later rule is dropped
fn check_unique(rules: &mut Vec<LoadedRule>, problems: &mut Vec<Problem>) {
    let mut seen_ids: BTreeMap<String, (Arc<SourceFile>, Span)> = BTreeMap::new();
    let mut seen_names: BTreeMap<String, (Arc<SourceFile>, Span)> = BTreeMap::new();
    rules.retain(|r| {
        let id = &r.rule.id;
        let name = &r.rule.name;
        for (key, spanned, seen, what) in [
            (id.value.clone(), id, &mut seen_ids, "rule id"),
            (name.value.clone(), name, &mut seen_names, "rule name"),
        ] {
            if let Some((first_file, first_span)) = seen.get(&key) {
                let first = first_file.line_col(first_span.start);
                problems.push(
                    Problem::error(
                        "rule::duplicate-id",
                        format!("{what} `{key}` is used by two rules"),
                    )
                    .in_file(&r.file)
                    .with_label(spanned.span, "used again here")
                    .with_help(format!(
                        "give every rule its own {what}; the first use is at {}:{first}",
                        first_file.name()
                    ))
                    .with_related(
                        Problem::warning("rule::duplicate-id", "first used here")
                            .in_file(first_file)
                            .with_label(*first_span, "first use"),
                    ),
                );
                return false;
            }
            seen.insert(key, (Arc::clone(&r.file), spanned.span));
        }
        true
    });
}

struct Scope<'a> {
    params: &'a [(String, ParamValue)],
    bindings: &'a [String],
    bound: usize,
}

impl Scope<'_> {
    fn resolve(
        &self,
        segments: &[Spanned<String>],
        text: String,
        span: Span,
    ) -> Result<ResolvedPath, (Span, String)> {
        let Some((first, rest)) = segments.split_first() else {
            return Err((span, "empty path".to_owned()));
        };
        let rest_keys = || rest.iter().map(|s| s.value.clone()).collect::<Vec<_>>();
        if first.value == "doc" {
            return Ok(ResolvedPath {
                root: PathRoot::Document,
                segments: rest_keys(),
                text,
                span,
            });
        }
        if let Some(i) = self
            .bindings
            .iter()
            .take(self.bound)
            .rposition(|b| *b == first.value)
        {
            return Ok(ResolvedPath {
                root: PathRoot::Binding(i),
                segments: rest_keys(),
                text,
                span,
            });
        }
        if let Some(i) = self.params.iter().position(|(n, _)| *n == first.value) {
            if !rest.is_empty() {
                return Err((
                    first.span,
                    format!("parameter `{}` has no fields", first.value),
                ));
            }
            return Ok(ResolvedPath {
                root: PathRoot::Param(i),
                segments: Vec::new(),
                text,
                span,
            });
        }
        if self
            .bindings
            .iter()
            .skip(self.bound)
            .any(|b| *b == first.value)
        {
            return Err((
                first.span,
                format!(
                    "`{}` is bound later in the rule; write `doc.{}` for the top-level key",
                    first.value, first.value
                ),
            ));
        }
        // A top-level key of the document
        Ok(ResolvedPath {
            root: PathRoot::Document,
            segments: segments.iter().map(|s| s.value.clone()).collect(),
            text,
            span,
        })
    }
}

fn compile_rule(
    rule: Rule,
    file: &Arc<SourceFile>,
    engine: &ScriptEngine,
    problems: &mut Vec<Problem>,
) -> Option<LoadedRule> {
    let before = problems.len();
    let err = |code: &'static str, span: Span, message: String, help: &str| {
        Problem::error(code, message)
            .in_file(file)
            .with_label(span, "")
            .with_help(help.to_owned())
    };
    let params: Vec<(String, ParamValue)> = rule
        .params
        .iter()
        .map(|p| (p.name.value.clone(), p.default.value.clone()))
        .collect();
    // Bound names, in order; each must be new
    let mut bindings: Vec<String> = Vec::new();
    for step in &rule.steps {
        if let Step::For { name, .. } | Step::Let { name, .. } = step {
            if bindings.contains(&name.value) || params.iter().any(|(p, _)| *p == name.value) {
                problems.push(err(
                    "rule::duplicate-name",
                    name.span,
                    format!("`{}` is already bound in this rule", name.value),
                    "choose a name that no parameter or earlier binding uses",
                ));
            }
            bindings.push(name.value.clone());
        }
    }
    let mut steps = Vec::new();
    let mut bound = 0;
    for step in &rule.steps {
        let scope = Scope {
            params: &params,
            bindings: &bindings,
            bound,
        };
        match step {
            Step::For { path, .. } | Step::Let { path, .. } => {
                match scope.resolve(&path.segments, path.to_string(), path.span) {
                    Ok(resolved) if matches!(resolved.root, PathRoot::Param(_)) => {
                        problems.push(err(
                            "rule::invalid-path",
                            path.span,
                            format!("`{path}` is a parameter, not a place in the document"),
                            "bind a path in the document, e.g. `remote_access.methods`",
                        ));
                    }
                    Ok(resolved) => steps.push(if matches!(step, Step::For { .. }) {
                        CompiledStep::For {
                            binding: bound,
                            path: resolved,
                        }
                    } else {
                        CompiledStep::Let {
                            binding: bound,
                            path: resolved,
                        }
                    }),
                    Err((span, message)) => problems.push(err(
                        "rule::invalid-path",
                        span,
                        message,
                        "bind names before using them",
                    )),
                }
                bound += 1;
            }
            Step::When(expr) => {
                if let Some(condition) = compile_condition(expr, &scope, file, engine, problems) {
                    steps.push(CompiledStep::When(condition));
                }
            }
        }
    }
    // Nothing is bound when no item passed the guards: the message may use parameters only
    let if_none = rule.if_none.as_ref().and_then(|message| {
        let scope = Scope {
            params: &params,
            bindings: &bindings,
            bound: 0,
        };
        compile_template(message, &scope, file, problems)
    });
    let scope = Scope {
        params: &params,
        bindings: &bindings,
        bound,
    };
    let mut requires = Vec::new();
    for require in &rule.requires {
        let condition = compile_condition(&require.condition, &scope, file, engine, problems);
        let message = compile_template(&require.message, &scope, file, problems);
        let at = require.at.as_ref().and_then(|p| {
            match scope.resolve(&p.segments, p.to_string(), p.span) {
                Ok(r) => Some(r),
                Err((span, message)) => {
                    problems.push(err(
                        "rule::invalid-path",
                        span,
                        message,
                        "point `at` a path in the document",
                    ));
                    None
                }
            }
        });
        let mut related = Vec::new();
        for rel in &require.related {
            match scope.resolve(&rel.path.segments, rel.path.to_string(), rel.path.span) {
                Ok(r) => related.push((r, rel.label.value.clone())),
                Err((span, message)) => problems.push(err(
                    "rule::invalid-path",
                    span,
                    message,
                    "point `related` at a path in the document",
                )),
            }
        }
        if let (Some(condition), Some(message)) = (condition, message) {
            requires.push(CompiledRequire {
                condition,
                message,
                at,
                related,
            });
        }
    }
    check_unused_params(&rule, problems, file);
    if rule.document_kind.value == "delivery" {
        check_model_paths(&steps, &requires, if_none.as_deref(), file, problems);
    }
    if problems
        .get(before..)
        .is_some_and(|new| new.iter().any(Problem::is_error))
    {
        return None;
    }
    Some(LoadedRule {
        rule,
        file: Arc::clone(file),
        bindings,
        params,
        steps,
        if_none,
        requires,
    })
}

/// Warns about paths that name no field of the delivery model: a typo in a path is otherwise a
/// rule that reports every submission as "missing" (or, under `when`, never applies)
fn check_model_paths(
    steps: &[CompiledStep],
    requires: &[CompiledRequire],
    if_none: Option<&[TemplatePart]>,
    file: &Arc<SourceFile>,
    problems: &mut Vec<Problem>,
) {
    use serde_json::Value as Json;
    // Schema of each bound name: a `for` binds one item of its list
    let mut bound: Vec<Option<&'static Json>> = Vec::new();
    let mut reported: Vec<Span> = Vec::new();
    let mut check = |path: &ResolvedPath,
                     bound: &[Option<&'static Json>]|
     -> Option<&'static Json> {
        let start = match path.root {
            PathRoot::Document => crate::model::root(),
            PathRoot::Binding(i) => (*bound.get(i)?)?,
            PathRoot::Param(_) => return None,
        };
        match crate::model::check_path(start, path.segments.iter().map(String::as_str)) {
            Ok(schema) => Some(schema),
            Err((at, known)) => {
                if !reported.contains(&path.span) {
                    reported.push(path.span);
                    let key = path.segments.get(at).cloned().unwrap_or_default();
                    let help = match crate::model::closest_key(&key, &known) {
                        Some(close) => format!("did you mean `{close}`? See docs/model.md"),
                        None if known.is_empty() => {
                            "this field holds a value, not a mapping; see docs/model.md".to_owned()
                        }
                        None => format!("fields here: {}", known.join(", ")),
                    };
                    problems.push(
                        Problem::warning(
                            "rule::unknown-field",
                            format!("`{}` is not a field of the delivery model", path.text),
                        )
                        .in_file(file)
                        .with_label(path.span, format!("no field `{key}` here"))
                        .with_help(help),
                    );
                }
                None
            }
        }
    };
    let holes = |parts: &[TemplatePart]| -> Vec<ResolvedPath> {
        parts
            .iter()
            .filter_map(|p| match p {
                TemplatePart::Hole(path) => Some(path.clone()),
                TemplatePart::Text(_) => None,
            })
            .collect()
    };
    for step in steps {
        match step {
            CompiledStep::For { binding, path } | CompiledStep::Let { binding, path } => {
                let schema = check(path, &bound);
                let schema = if matches!(step, CompiledStep::For { .. }) {
                    schema.map(crate::model::step_into_items)
                } else {
                    schema
                };
                bound.truncate(*binding);
                bound.push(schema);
            }
            CompiledStep::When(c) => {
                for read in &c.reads {
                    check(read, &bound);
                }
            }
        }
    }
    if let Some(parts) = if_none {
        for hole in holes(parts) {
            check(&hole, &bound);
        }
    }
    for require in requires {
        for read in &require.condition.reads {
            check(read, &bound);
        }
        for hole in holes(&require.message) {
            check(&hole, &bound);
        }
        if let Some(at) = &require.at {
            check(at, &bound);
        }
        for (path, _) in &require.related {
            check(path, &bound);
        }
    }
}

fn check_unused_params(rule: &Rule, problems: &mut Vec<Problem>, file: &Arc<SourceFile>) {
    for param in &rule.params {
        let name = &param.name.value;
        let used_in_expr = rule
            .steps
            .iter()
            .filter_map(|s| if let Step::When(e) = s { Some(e) } else { None })
            .chain(rule.requires.iter().map(|r| &r.condition))
            .any(|e| contains_word(&e.source.value, name));
        let used_in_message = rule
            .requires
            .iter()
            .map(|r| &r.message)
            .chain(&rule.if_none)
            .any(|m| m.value.contains(&format!("{{{name}}}")));
        if !used_in_expr && !used_in_message {
            problems.push(
                Problem::warning(
                    "rule::unused-param",
                    format!("parameter `{name}` is never used"),
                )
                .in_file(file)
                .with_label(param.name.span, "declared here")
                .with_help("use it in a condition or message, or remove it"),
            );
        }
    }
}

fn contains_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text.get(..i).and_then(|s| s.chars().next_back());
        let after = text.get(i + word.len()..).and_then(|s| s.chars().next());
        let ident = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        !ident(before) && !ident(after) && before != Some('.')
    })
}

/// The sections a condition reads as `doc.section`, or `None` when `doc` is used any other way
/// (passed whole, indexed, or with a method called on it)
fn doc_sections(text: &str) -> Option<Vec<String>> {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut sections = Vec::new();
    for (i, _) in text.match_indices("doc") {
        let before = text.get(..i).and_then(|s| s.chars().next_back());
        let rest = text.get(i + 3..).unwrap_or_default();
        if before.is_some_and(|c| ident(c) || c == '.') || rest.starts_with(ident) {
            continue; // part of another word, or a property named `doc`
        }
        let name_and_after = rest.strip_prefix('.')?;
        let len = name_and_after
            .find(|c: char| !ident(c))
            .unwrap_or(name_and_after.len());
        let name = name_and_after.get(..len)?;
        let after = name_and_after.get(len..).unwrap_or_default().trim_start();
        if name.is_empty() || after.starts_with('(') {
            return None;
        }
        sections.push(name.to_owned());
    }
    sections.sort();
    sections.dedup();
    Some(sections)
}

fn compile_condition(
    expr: &rule::Expr,
    scope: &Scope<'_>,
    file: &Arc<SourceFile>,
    engine: &ScriptEngine,
    problems: &mut Vec<Problem>,
) -> Option<CompiledCondition> {
    let source = &expr.source.value;
    let mut names: Vec<&str> = vec!["doc"];
    names.extend(scope.params.iter().map(|(n, _)| n.as_str()));
    names.extend(scope.bindings.iter().take(scope.bound).map(String::as_str));
    let (rewritten, edits) = quote_reserved_properties(source);
    match engine.compile(&rewritten, &names) {
        Ok(compiled) => {
            let mut roots: Vec<&str> = vec!["doc"];
            roots.extend(scope.bindings.iter().take(scope.bound).map(String::as_str));
            let reads = read_paths(source, &roots)
                .into_iter()
                .filter_map(|read: ReadPath| {
                    let span = Span::new(
                        expr.source.span.start + read.span.0,
                        expr.source.span.start + read.span.1,
                    );
                    let segments: Vec<Spanned<String>> = read
                        .segments
                        .iter()
                        .map(|s| Spanned::new(s.clone(), span))
                        .collect();
                    scope.resolve(&segments, read.segments.join("."), span).ok()
                })
                .collect();
            let native = crate::native::compile(source, |segments| {
                let spanned: Vec<Spanned<String>> = segments
                    .iter()
                    .map(|s| Spanned::new(s.clone(), expr.source.span))
                    .collect();
                scope
                    .resolve(&spanned, segments.join("."), expr.source.span)
                    .ok()
            });
            Some(CompiledCondition {
                expr: compiled,
                reads,
                span: expr.source.span,
                uses_doc: contains_word(source, "doc"),
                doc_sections: doc_sections(source),
                native,
            })
        }
        Err(mut e) => {
            e.offset = original_offset(&edits, e.offset);
            let at = expr.source.span.start + e.offset.min(source.len());
            let end = source
                .get(e.offset..)
                .and_then(|s| s.chars().next())
                .map_or(at, |c| at + c.len_utf8());
            let mut help =
                "conditions are single Rhai expressions over bound names, parameters and `doc`"
                    .to_owned();
            let unknown = e
                .message
                .strip_prefix("unknown variable `")
                .and_then(|rest| rest.split('`').next())
                .or_else(|| e.message.strip_prefix("Variable not found: "));
            if let Some(name) = unknown {
                let candidates: Vec<&str> = names.clone();
                help = match candidates
                    .iter()
                    .map(|c| (strsim::damerau_levenshtein(name, c), *c))
                    .filter(|(d, _)| *d <= 2)
                    .min_by_key(|(d, _)| *d)
                {
                    Some((_, close)) => format!(
                        "did you mean `{close}`? names in scope here: {}",
                        candidates.join(", ")
                    ),
                    None => format!("names in scope here: {}", candidates.join(", ")),
                };
            }
            problems.push(
                Problem::error(
                    "rule::condition",
                    format!(
                        "condition does not compile: {}",
                        lowercase_first(&e.message)
                    ),
                )
                .in_file(file)
                .with_label(Span::new(at, end), "here")
                .with_help(help),
            );
            None
        }
    }
}

/// One rewrite: at `offset` in the original, `removed` bytes became `added` bytes
#[derive(Debug, Clone, Copy)]
pub(crate) struct Edit {
    offset: usize,
    removed: usize,
    added: usize,
}

/// Rewrites `.reserved` property accesses as `["reserved"]`, outside string literals
pub(crate) fn quote_reserved_properties(source: &str) -> (String, Vec<Edit>) {
    let bytes = source.as_bytes();
    let mut out = String::with_capacity(source.len());
    let mut edits = Vec::new();
    let mut i = 0;
    let mut copied = 0;
    let mut quote: Option<u8> = None;
    while let Some(&b) = bytes.get(i) {
        if let Some(q) = quote {
            if b == b'\\' {
                i += 2;
                continue;
            }
            if b == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        match b {
            b'"' | b'\'' | b'`' => quote = Some(b),
            b'.' => {
                let rest = source.get(i + 1..).unwrap_or("");
                let len = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(rest.len());
                let word = rest.get(..len).unwrap_or("");
                let is_call = rest
                    .get(len..)
                    .is_some_and(|r| r.trim_start().starts_with('('));
                if !word.is_empty() && RHAI_RESERVED.contains(&word) && !is_call {
                    out.push_str(source.get(copied..i).unwrap_or(""));
                    out.push_str("[\"");
                    out.push_str(word);
                    out.push_str("\"]");
                    edits.push(Edit {
                        offset: i,
                        removed: 1 + len,
                        added: len + 4,
                    });
                    i += 1 + len;
                    copied = i;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    out.push_str(source.get(copied..).unwrap_or(""));
    (out, edits)
}

/// Maps an offset in rewritten text back to the original
pub(crate) fn original_offset(edits: &[Edit], rewritten: usize) -> usize {
    // Every edit lengthens the text (`.word` becomes `["word"]`), so the shift only grows
    let mut shift = 0usize;
    for e in edits {
        let start_new = e.offset + shift;
        if rewritten < start_new {
            break;
        }
        if rewritten < start_new + e.added {
            return e.offset;
        }
        shift += e.added.saturating_sub(e.removed);
    }
    rewritten.saturating_sub(shift)
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Parses `{name.path}` holes; `{{` and `}}` are literal braces
fn compile_template(
    message: &Spanned<String>,
    scope: &Scope<'_>,
    file: &Arc<SourceFile>,
    problems: &mut Vec<Problem>,
) -> Option<Vec<TemplatePart>> {
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut chars = message.value.chars().peekable();
    let mut ok = true;
    let bad = |problems: &mut Vec<Problem>, msg: String, help: &str| {
        problems.push(
            Problem::error("rule::message", msg)
                .in_file(file)
                .with_label(message.span, "in this message")
                .with_help(help.to_owned()),
        );
    };
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                text.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                text.push('}');
            }
            '{' => {
                let mut hole = String::new();
                let mut closed = false;
                for h in chars.by_ref() {
                    if h == '}' {
                        closed = true;
                        break;
                    }
                    hole.push(h);
                }
                if !closed {
                    bad(
                        problems,
                        "message has a `{` that is not closed".to_owned(),
                        "close the hole with `}` or write `{{` for a literal brace",
                    );
                    ok = false;
                    break;
                }
                let hole = hole.trim();
                let valid = !hole.is_empty()
                    && hole.split('.').all(|s| {
                        !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    });
                if !valid {
                    bad(
                        problems,
                        format!("`{{{hole}}}` is not a name or path"),
                        "holes name a bound value, a parameter or a path: `{method.name}`",
                    );
                    ok = false;
                    continue;
                }
                let segments: Vec<Spanned<String>> = hole
                    .split('.')
                    .map(|s| Spanned::new(s.to_owned(), message.span))
                    .collect();
                let first = segments.first().map_or("", |s| s.value.as_str());
                let known = first == "doc"
                    || scope.bindings.iter().take(scope.bound).any(|b| b == first)
                    || scope.params.iter().any(|(p, _)| p == first);
                if !known {
                    let mut names: Vec<&str> = scope
                        .bindings
                        .iter()
                        .take(scope.bound)
                        .map(String::as_str)
                        .collect();
                    names.extend(scope.params.iter().map(|(n, _)| n.as_str()));
                    names.push("doc");
                    bad(
                        problems,
                        format!("message uses `{{{hole}}}` but `{first}` is not bound"),
                        &format!("a hole starts with one of: {}", names.join(", ")),
                    );
                    ok = false;
                    continue;
                }
                match scope.resolve(&segments, hole.to_owned(), message.span) {
                    Ok(path) => {
                        if !text.is_empty() {
                            parts.push(TemplatePart::Text(std::mem::take(&mut text)));
                        }
                        parts.push(TemplatePart::Hole(path));
                    }
                    Err((_, m)) => {
                        bad(
                            problems,
                            m,
                            "holes name a bound value, a parameter or a path",
                        );
                        ok = false;
                    }
                }
            }
            '}' => {
                bad(
                    problems,
                    "message has a `}` that closes nothing".to_owned(),
                    "write `}}` for a literal brace",
                );
                ok = false;
            }
            other => text.push(other),
        }
    }
    if !text.is_empty() {
        parts.push(TemplatePart::Text(text));
    }
    ok.then_some(parts)
}

#[cfg(test)]
mod doc_view_tests {
    use super::doc_sections;

    #[test]
    fn sections_read_through_doc_are_found_and_other_uses_need_the_whole_document() {
        assert_eq!(
            doc_sections("doc.backup_restore.jobs.some(|j| j.online) && doc.sis.present"),
            Some(vec!["backup_restore".to_owned(), "sis".to_owned()])
        );
        assert_eq!(
            doc_sections("item.doc == 1 && document.id != ()"),
            Some(vec![])
        );
        assert_eq!(doc_sections("count(doc) > 2"), None);
        assert_eq!(doc_sections("doc[\"sis\"].present"), None);
        assert_eq!(doc_sections("doc.keys().len() > 0"), None);
    }
}
