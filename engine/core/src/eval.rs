//! Evaluates a rule pack against one YAML document
//!
//! Selectors walk the located tree directly, so every finding points at a node with a span:
//! the field the failing condition reads, or the nearest enclosing node when that field is
//! missing. Conditions in the native subset are evaluated on the tree too; the others run in
//! Rhai, on script values converted lazily, once per bound node, and cached for the document.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::sync::Arc;

use jiff::civil::Date;

use crate::contract::{DocumentContext, OutcomeReason, applies};
use crate::diagnostic::Problem;
use crate::native::{self, Function, Literal, NativeValue, Operand};
use crate::pack::{
    CompiledCondition, CompiledStep, LoadedRule, PathRoot, ResolvedPath, TemplatePart,
};
use crate::report::{
    Finding, FindingKind, Located, RelatedLocation, RuleLocation, RuleOutcome, RuleResult,
};
use crate::rule::ParamValue;
use crate::script::functions::dates::parse_iso_date;
use crate::script::{Bindings, EvalContext, EvalErrorKind, ScriptEngine, ScriptValue};
use crate::source::{SourceFile, Span};
use crate::yaml::{Document, NodeId, Value};

/// One document being checked
pub(crate) struct DocumentRun<'a> {
    pub(crate) file: &'a Arc<SourceFile>,
    pub(crate) doc: &'a Document,
    pub(crate) index: usize,
    pub(crate) as_of: Date,
    /// `as_of()` as the helper returns it
    as_of_text: String,
    pub(crate) context: DocumentContext,
    /// Script values of the nodes bound so far
    cache: RefCell<HashMap<NodeId, ScriptValue>>,
    /// Partial `doc` values by the sections they hold
    doc_views: RefCell<Vec<(Vec<String>, ScriptValue)>>,
    /// How many more nodes may be converted
    budget: Cell<usize>,
    /// How many more list items the rules may visit
    iterations: Cell<usize>,
}

/// Most script values one document may expand to (aliases included)
pub(crate) const CONVERSION_BUDGET: usize = 2_000_000;

/// Most list items all rules together may visit in one document. A normal submission needs a
/// few thousand; a list of aliases to a node with a long list of its own multiplies them
pub(crate) const ITERATION_BUDGET: usize = 2_000_000;

/// What walking a path found
enum Resolution {
    Found(NodeId),
    /// The path stops at `deepest`; `missing` names the first absent key
    Missing {
        deepest: NodeId,
        missing: String,
    },
    Param(usize),
}

/// Findings and problems of one document
#[derive(Default)]
pub(crate) struct DocumentOutput {
    pub(crate) findings: Vec<Finding>,
    pub(crate) problems: Vec<Problem>,
    pub(crate) results: Vec<RuleResult>,
}

impl<'a> DocumentRun<'a> {
    pub(crate) fn new(
        file: &'a Arc<SourceFile>,
        doc: &'a Document,
        index: usize,
        as_of: Date,
        context: DocumentContext,
    ) -> Self {
        Self {
            file,
            doc,
            index,
            as_of,
            as_of_text: as_of.to_string(),
            context,
            cache: RefCell::new(HashMap::new()),
            doc_views: RefCell::new(Vec::new()),
            budget: Cell::new(CONVERSION_BUDGET),
            iterations: Cell::new(ITERATION_BUDGET),
        }
    }

    /// Whether the document expanded past the conversion budget
    pub(crate) fn exhausted(&self) -> bool {
        self.budget.get() == 0
    }

    /// Whether the rules stopped early because they visited too many list items
    pub(crate) fn iterations_exhausted(&self) -> bool {
        self.iterations.get() == 0
    }

    /// Takes one list item from the budget; `false` once it is spent
    fn take_iteration(&self) -> bool {
        let left = self.iterations.get();
        if left == 0 {
            return false;
        }
        self.iterations.set(left - 1);
        true
    }

    fn value_of(&self, node: NodeId) -> ScriptValue {
        if let Some(v) = self.cache.borrow().get(&node) {
            return v.clone();
        }
        let mut budget = self.budget.get();
        let value = convert(self.doc, node, &mut budget);
        self.budget.set(budget);
        if let Some(v) = value {
            self.cache.borrow_mut().insert(node, v.clone());
            v
        } else {
            self.budget.set(0);
            ScriptValue::null()
        }
    }

    /// `doc` holding only the named top-level sections, converted once per document and set of
    /// sections: a condition that reads `doc.backup_restore.jobs` needs no other section
    fn doc_view(&self, sections: &[String]) -> ScriptValue {
        if let Some((_, v)) = self
            .doc_views
            .borrow()
            .iter()
            .find(|(names, _)| names.as_slice() == sections)
        {
            return v.clone();
        }
        let root = self.doc.root();
        let entries: Vec<(String, ScriptValue)> = sections
            .iter()
            .filter_map(|key| {
                self.doc
                    .get(root, key)
                    .map(|node| (key.clone(), self.value_of(node)))
            })
            .collect();
        let view = ScriptValue::map(entries);
        self.doc_views
            .borrow_mut()
            .push((sections.to_vec(), view.clone()));
        view
    }

    fn is_absent(&self, node: NodeId) -> bool {
        self.doc
            .node(node)
            .is_none_or(|n| matches!(n.value, Value::Null))
    }

    fn resolve(&self, path: &ResolvedPath, env: &[NodeId]) -> Resolution {
        let mut current = match path.root {
            PathRoot::Document => self.doc.root(),
            PathRoot::Binding(i) => match env.get(i) {
                Some(node) => *node,
                None => self.doc.root(),
            },
            PathRoot::Param(i) => return Resolution::Param(i),
        };
        for (i, key) in path.segments.iter().enumerate() {
            match self.doc.get(current, key) {
                Some(next) if !(self.is_absent(next) && i + 1 < path.segments.len()) => {
                    current = next;
                }
                Some(next) if self.is_absent(next) => {
                    return Resolution::Missing {
                        deepest: next,
                        missing: key.clone(),
                    };
                }
                _ => {
                    return Resolution::Missing {
                        deepest: current,
                        missing: key.clone(),
                    };
                }
            }
        }
        if self.is_absent(current) && !path.segments.is_empty() {
            let missing = path.segments.last().cloned().unwrap_or_default();
            return Resolution::Missing {
                deepest: current,
                missing,
            };
        }
        Resolution::Found(current)
    }

    /// Evaluates one rule
    pub(crate) fn run_rule(
        &self,
        engine: &ScriptEngine,
        rule: &LoadedRule,
        rule_index: usize,
        out: &mut DocumentOutput,
    ) {
        let mut state = RuleRun {
            run: self,
            engine,
            rule,
            rule_index,
            env: Vec::new(),
            bindings: Bindings::default(),
            params: None,
            checked: 0,
            reached_list: false,
            findings: 0,
            violations: 0,
            errors: 0,
        };
        if let Err(reason) = applies(&rule.rule, &self.context) {
            out.results.push(RuleResult {
                rule: rule_index,
                outcome: RuleOutcome::NotApplicable,
                findings: 0,
                reason: Some(reason),
                unchecked: Vec::new(),
            });
            return;
        }
        state.steps(0, out);
        if state.checked == 0 && state.findings == 0 && state.errors == 0 && state.reached_list {
            state.report_none(out);
        }
        let (outcome, reason) = if state.errors > 0 {
            (RuleOutcome::Error, None)
        } else if state.violations > 0 {
            (RuleOutcome::Fail, None)
        } else if state.findings > 0 {
            (RuleOutcome::MissingEvidence, None)
        } else if state.checked > 0 {
            (RuleOutcome::Pass, None)
        } else {
            (
                RuleOutcome::NotApplicable,
                Some(OutcomeReason::NothingToCheck),
            )
        };
        out.results.push(RuleResult {
            rule: rule_index,
            outcome,
            findings: state.findings,
            reason,
            unchecked: Vec::new(),
        });
    }

    fn located(&self, span: Span, node: Option<NodeId>) -> Located {
        Located::new(
            self.file,
            span,
            node.map(|n| self.doc.path_of(n)).unwrap_or_default(),
        )
    }

    fn node_span(&self, node: NodeId) -> Span {
        // The root mapping spans the whole document: point at its first key instead
        if node == self.doc.root()
            && let Some(Value::Mapping(entries)) = self.doc.node(node).map(|n| &n.value)
            && let Some(first) = entries.first()
        {
            return first.key_span;
        }
        match self.doc.node(node).map(|n| &n.value) {
            Some(Value::Mapping(_) | Value::Sequence(_)) => self.doc.label_span(node),
            Some(_) => self.doc.node(node).map(|n| n.span).unwrap_or_default(),
            None => Span::default(),
        }
    }

    /// Text for a message hole
    fn display(&self, node: NodeId) -> String {
        match self.doc.node(node).map(|n| &n.value) {
            Some(Value::String(s)) => s.to_string(),
            Some(Value::Int(i)) => i.to_string(),
            Some(Value::Float(f)) => f.to_string(),
            Some(Value::Bool(b)) => b.to_string(),
            Some(Value::Null) | None => "(missing)".to_owned(),
            Some(Value::Sequence(items)) => {
                // A short list of plain values reads best written out
                let scalars: Option<Vec<String>> = items
                    .iter()
                    .map(|i| match self.doc.node(*i).map(|n| &n.value) {
                        Some(Value::String(s)) => Some(s.to_string()),
                        Some(Value::Int(i)) => Some(i.to_string()),
                        Some(Value::Float(f)) => Some(f.to_string()),
                        Some(Value::Bool(b)) => Some(b.to_string()),
                        _ => None,
                    })
                    .collect();
                match scalars {
                    Some(values) if values.is_empty() => "(an empty list)".to_owned(),
                    Some(values) if values.len() <= 12 => values.join(", "),
                    _ => format!("(a list of {})", items.len()),
                }
            }
            Some(Value::Mapping(_)) => "(a mapping)".to_owned(),
        }
    }
}

struct RuleRun<'r, 'a> {
    run: &'r DocumentRun<'a>,
    engine: &'r ScriptEngine,
    rule: &'r LoadedRule,
    rule_index: usize,
    env: Vec<NodeId>,
    bindings: Bindings,
    params: Option<Vec<ScriptValue>>,
    checked: usize,
    /// Whether a `for` was reached: `none` only speaks when the guards above it passed
    reached_list: bool,
    findings: usize,
    /// Findings about a wrong value, as opposed to absent evidence
    violations: usize,
    errors: usize,
}

/// Where to point a finding
struct Blame {
    node: NodeId,
    missing: Option<String>,
}

impl<'r, 'a> RuleRun<'r, 'a> {
    fn steps(&mut self, index: usize, out: &mut DocumentOutput) {
        let rule = self.rule;
        let Some(step) = rule.steps.get(index) else {
            self.requires(out);
            return;
        };
        match step {
            CompiledStep::For { binding, path } => match self.run.resolve(path, &self.env) {
                Resolution::Found(node) => {
                    self.reached_list = true;
                    // The document outlives this run, so its items are read in place
                    let doc: &'a Document = self.run.doc;
                    if let Some(Value::Sequence(items)) = doc.node(node).map(|n| &n.value) {
                        for &item in items {
                            if !self.run.take_iteration() {
                                break;
                            }
                            self.env.truncate(*binding);
                            self.env.push(item);
                            self.steps(index + 1, out);
                        }
                        self.env.truncate(*binding);
                    } else {
                        let message = format!(
                            "`{}` should be a list, found {}",
                            path.text,
                            kind_name(self.run.doc, node)
                        );
                        let blame = Blame {
                            node,
                            missing: None,
                        };
                        self.push_finding(out, message, blame, Vec::new(), path.span);
                    }
                }
                Resolution::Missing { deepest, missing } => {
                    let blame = Blame {
                        node: deepest,
                        missing: Some(missing),
                    };
                    self.push_finding(out, String::new(), blame, Vec::new(), path.span);
                }
                Resolution::Param(_) => {}
            },
            CompiledStep::Let { binding, path } => match self.run.resolve(path, &self.env) {
                Resolution::Found(node) => {
                    self.env.truncate(*binding);
                    self.env.push(node);
                    self.steps(index + 1, out);
                    self.env.truncate(*binding);
                }
                Resolution::Missing { deepest, missing } => {
                    let blame = Blame {
                        node: deepest,
                        missing: Some(missing),
                    };
                    self.push_finding(out, String::new(), blame, Vec::new(), path.span);
                }
                Resolution::Param(_) => {}
            },
            CompiledStep::When(condition) => match self.eval(condition) {
                Ok(true) => self.steps(index + 1, out),
                Ok(false) => {}
                Err(error) => self.eval_failure(out, condition, &error),
            },
        }
    }

    /// `none "message"`: no item of the rule's lists passed the guards. The finding points at
    /// the first list, or at the document when that list hangs off a binding.
    fn report_none(&mut self, out: &mut DocumentOutput) {
        let rule = self.rule;
        let Some(template) = &rule.if_none else {
            return;
        };
        self.env.clear();
        let node = rule
            .steps
            .iter()
            .find_map(|step| match step {
                CompiledStep::For { path, .. } if matches!(path.root, PathRoot::Document) => {
                    Some(path)
                }
                _ => None,
            })
            .and_then(|path| match self.run.resolve(path, &self.env) {
                Resolution::Found(node) => Some(node),
                _ => None,
            })
            .unwrap_or_else(|| self.run.doc.root());
        let message = self.message(template);
        let span = rule
            .rule
            .if_none
            .as_ref()
            .map(|m| m.span)
            .unwrap_or_default();
        let blame = Blame {
            node,
            missing: None,
        };
        self.push_finding_of_kind(out, message, blame, Vec::new(), span, FindingKind::NoRecord);
    }

    fn bind(&mut self, condition: &CompiledCondition) {
        self.bindings.clear();
        if condition.uses_doc {
            let doc = match &condition.doc_sections {
                Some(sections) => self.run.doc_view(sections),
                None => self.run.value_of(self.run.doc.root()),
            };
            self.bindings.push("doc", doc);
        }
        // Parameters become script values only when a condition needs Rhai
        let rule = self.rule;
        let params = self
            .params
            .get_or_insert_with(|| rule.params.iter().map(|(_, v)| param_value(v)).collect());
        for ((name, _), value) in rule.params.iter().zip(params.iter()) {
            self.bindings.push(name, value.clone());
        }
        for (name, node) in self.rule.bindings.iter().zip(&self.env) {
            self.bindings.push(name, self.run.value_of(*node));
        }
    }

    fn eval(&mut self, condition: &'r CompiledCondition) -> Result<bool, crate::script::EvalError> {
        if let Some(native) = &condition.native {
            let result = native::eval(native, &mut |operand| self.native_value(operand));
            if let Some(result) = result {
                return Ok(result);
            }
        }
        self.bind(condition);
        let ctx = EvalContext {
            as_of: self.run.as_of,
        };
        self.engine.eval_bool(&condition.expr, &self.bindings, &ctx)
    }

    /// The value of an operand for the native evaluator; `None` hands the condition to Rhai
    fn native_value(&self, operand: &'r Operand) -> Option<NativeValue<'r>> {
        let path = match operand {
            Operand::Literal(Literal::Bool(b)) => return Some(NativeValue::Bool(*b)),
            Operand::Literal(Literal::Int(i)) => return Some(NativeValue::Int(*i)),
            Operand::Literal(Literal::Float(f)) => return Some(NativeValue::Float(*f)),
            Operand::Literal(Literal::Str(s)) => return Some(NativeValue::Str(s)),
            Operand::Literal(Literal::Unit) => return Some(NativeValue::Unit),
            Operand::List(_) => return Some(NativeValue::Collection),
            Operand::If(condition, then, otherwise) => {
                let chosen = if native::eval(condition, &mut |o| self.native_value(o))? {
                    then
                } else {
                    otherwise
                };
                return self.native_value(chosen);
            }
            Operand::Call(function, args) => return self.native_call(*function, args),
            Operand::Path(path) => path,
        };
        let node = match self.native_node(path)? {
            Ok(node) => node,
            Err(value) => return Some(value),
        };
        Some(match &self.run.doc.node(node)?.value {
            Value::Null => NativeValue::Unit,
            Value::Bool(b) => NativeValue::Bool(*b),
            Value::Int(n) => NativeValue::Int(*n),
            Value::Float(f) => NativeValue::Float(*f),
            Value::String(s) => NativeValue::Str(s),
            Value::Sequence(_) | Value::Mapping(_) => NativeValue::Collection,
        })
    }

    /// The items of a list operand (a YAML sequence, a list parameter or a list literal) as
    /// scalars; `None` for anything else, `Some(None)` for `()`
    #[allow(
        clippy::option_option,
        reason = "absent list and not-a-list are different answers"
    )]
    fn native_list(&self, operand: &'r Operand) -> Option<Option<Vec<NativeValue<'r>>>> {
        let scalar = |literal: &'r Literal| match literal {
            Literal::Bool(b) => NativeValue::Bool(*b),
            Literal::Int(i) => NativeValue::Int(*i),
            Literal::Float(f) => NativeValue::Float(*f),
            Literal::Str(s) => NativeValue::Str(s),
            Literal::Unit => NativeValue::Unit,
        };
        match operand {
            Operand::List(items) => Some(Some(items.iter().map(scalar).collect())),
            Operand::Path(path) => match self.native_node(path)? {
                Err(NativeValue::Unit) => Some(None),
                Err(_) => match path.root {
                    PathRoot::Param(i) => match self.rule.params.get(i).map(|(_, v)| v)? {
                        ParamValue::List(items) => {
                            Some(Some(items.iter().map(|s| NativeValue::Str(s)).collect()))
                        }
                        _ => None,
                    },
                    _ => None,
                },
                Ok(node) => {
                    let doc: &'r Document = self.run.doc;
                    match &doc.node(node)?.value {
                        Value::Sequence(items) => Some(Some(
                            items
                                .iter()
                                .map(|item| match doc.node(*item).map(|n| &n.value) {
                                    Some(Value::String(s)) => NativeValue::Str(s),
                                    Some(Value::Int(i)) => NativeValue::Int(*i),
                                    Some(Value::Float(f)) => NativeValue::Float(*f),
                                    Some(Value::Bool(b)) => NativeValue::Bool(*b),
                                    Some(Value::Null) | None => NativeValue::Unit,
                                    Some(_) => NativeValue::Collection,
                                })
                                .collect(),
                        )),
                        Value::Null => Some(None),
                        _ => None,
                    }
                }
            },
            _ => None,
        }
    }

    /// A text argument, lower-cased when it is written `lower(x)`
    fn native_text(&self, operand: &'r Operand) -> Option<std::borrow::Cow<'r, str>> {
        if let Operand::Call(Function::Lower, args) = operand {
            let [inner] = args.as_slice() else {
                return None;
            };
            return match self.native_value(inner)? {
                NativeValue::Str(s) => Some(std::borrow::Cow::Owned(s.to_lowercase())),
                _ => None,
            };
        }
        match self.native_value(operand)? {
            NativeValue::Str(s) => Some(std::borrow::Cow::Borrowed(s)),
            _ => None,
        }
    }

    /// A helper call, computed as the script helper computes it; anything unusual (a value
    /// that is not a date, a list that is not a list) goes to Rhai for its exact error
    fn native_call(&self, function: Function, args: &'r [Operand]) -> Option<NativeValue<'r>> {
        let date = |operand: &'r Operand| match self.native_value(operand)? {
            NativeValue::Str(s) => parse_iso_date(s),
            _ => None,
        };
        let days = |from: Date, to: Date| {
            from.until((jiff::Unit::Day, to))
                .ok()
                .map(|span| i64::from(span.get_days()))
        };
        let doc = self.run.doc;
        // The node of a path operand: `Ok(node)`, or `Err(value)` for a parameter or `()`
        let node_of = |operand: &'r Operand| match operand {
            Operand::Path(path) => self.native_node(path),
            _ => None,
        };
        match (function, args) {
            (Function::AgeDays, [d]) => days(date(d)?, self.run.as_of).map(NativeValue::Int),
            (Function::DaysBetween, [a, b]) => days(date(a)?, date(b)?).map(NativeValue::Int),
            (Function::DateBefore, [a, b]) => Some(NativeValue::Bool(date(a)? < date(b)?)),
            // `is_date` never fails: anything but a date string is not a date
            (Function::IsDate, [x]) => Some(NativeValue::Bool(match self.native_value(x) {
                Some(NativeValue::Str(s)) => parse_iso_date(s).is_some(),
                Some(_) => false,
                None => match node_of(x)? {
                    Ok(_) => false,
                    Err(_) => return None,
                },
            })),
            (Function::Has, [map, key]) => {
                let Operand::Literal(Literal::Str(key)) = key else {
                    return None;
                };
                match node_of(map)? {
                    Err(NativeValue::Unit) => Some(NativeValue::Bool(false)),
                    Err(_) => None,
                    Ok(node) => match &doc.node(node)?.value {
                        Value::Mapping(_) => Some(NativeValue::Bool(
                            doc.get(node, key)
                                .and_then(|v| doc.node(v))
                                .is_some_and(|v| !matches!(v.value, Value::Null)),
                        )),
                        Value::Null => Some(NativeValue::Bool(false)),
                        _ => None,
                    },
                }
            }
            (Function::IsOneOf, [value, list]) => {
                let items = self.native_list(list)??;
                // `3.0 == 3` in Rhai's comparison: a list with decimals is its call
                if items.iter().any(|i| matches!(i, NativeValue::Float(_))) {
                    return None;
                }
                // Text compared as text; numbers and booleans by value; anything else is Rhai's
                if let Some(text) = self.native_text(value) {
                    let found = items
                        .iter()
                        .any(|i| matches!(i, NativeValue::Str(s) if *s == text.as_ref()));
                    return Some(NativeValue::Bool(found));
                }
                let wanted = self.native_value(value)?;
                if !matches!(wanted, NativeValue::Int(_) | NativeValue::Bool(_)) {
                    return None;
                }
                Some(NativeValue::Bool(items.contains(&wanted)))
            }
            (Function::MatchesAny, [text, prefixes]) => {
                let text = self.native_text(text)?;
                let prefixes = self.native_list(prefixes)??;
                let mut found = false;
                for prefix in prefixes {
                    // A prefix that is not text is an error in the helper: Rhai's to report
                    let NativeValue::Str(prefix) = prefix else {
                        return None;
                    };
                    found |= text.starts_with(prefix);
                }
                Some(NativeValue::Bool(found))
            }
            (Function::AllIn, [list, allowed]) => {
                let items = self.native_list(list)??;
                let allowed = self.native_list(allowed)??;
                let plain = |v: &NativeValue<'_>| {
                    matches!(
                        v,
                        NativeValue::Str(_) | NativeValue::Int(_) | NativeValue::Bool(_)
                    )
                };
                if !items.iter().chain(&allowed).all(plain) {
                    return None;
                }
                Some(NativeValue::Bool(items.iter().all(|i| allowed.contains(i))))
            }
            (Function::AsOf, []) => Some(NativeValue::Str(&self.run.as_of_text)),
            (Function::IsEmpty, [x]) => match node_of(x) {
                Some(Ok(node)) => Some(NativeValue::Bool(match &doc.node(node)?.value {
                    Value::Null => true,
                    Value::String(s) => s.is_empty(),
                    Value::Sequence(items) => items.is_empty(),
                    Value::Mapping(entries) => entries.is_empty(),
                    Value::Int(_) | Value::Float(_) | Value::Bool(_) => false,
                })),
                Some(Err(NativeValue::Unit)) => Some(NativeValue::Bool(true)),
                _ => match self.native_value(x)? {
                    NativeValue::Str(s) => Some(NativeValue::Bool(s.is_empty())),
                    NativeValue::Int(_) | NativeValue::Float(_) | NativeValue::Bool(_) => {
                        Some(NativeValue::Bool(false))
                    }
                    NativeValue::Unit => Some(NativeValue::Bool(true)),
                    NativeValue::Collection => None,
                },
            },
            (Function::Count, [x]) => match node_of(x)? {
                Ok(node) => match &doc.node(node)?.value {
                    Value::Sequence(items) => i64::try_from(items.len()).ok().map(NativeValue::Int),
                    Value::Mapping(entries) => {
                        i64::try_from(entries.len()).ok().map(NativeValue::Int)
                    }
                    _ => None,
                },
                Err(_) => None,
            },
            (Function::Exists, [list, key, wanted]) => {
                let Operand::Path(list) = list else {
                    return None;
                };
                let Ok(list) = self.native_node(list)? else {
                    return None;
                };
                let NativeValue::Str(key) = self.native_value(key)? else {
                    return None;
                };
                let wanted = self.native_value(wanted)?;
                if !matches!(
                    wanted,
                    NativeValue::Str(_) | NativeValue::Int(_) | NativeValue::Bool(_)
                ) {
                    return None;
                }
                let doc = self.run.doc;
                let Value::Sequence(items) = &doc.node(list)?.value else {
                    return None;
                };
                let found = items.iter().any(|item| {
                    let Some(Value::Mapping(_)) = doc.node(*item).map(|n| &n.value) else {
                        return false;
                    };
                    let value = doc
                        .get(*item, key)
                        .and_then(|v| doc.node(v))
                        .map(|n| &n.value);
                    match (value, wanted) {
                        (Some(Value::String(s)), NativeValue::Str(w)) => s == w,
                        (Some(Value::Int(i)), NativeValue::Int(w)) => *i == w,
                        (Some(Value::Bool(b)), NativeValue::Bool(w)) => *b == w,
                        _ => false,
                    }
                });
                Some(NativeValue::Bool(found))
            }
            _ => None,
        }
    }

    /// The node a path reaches, or the plain value when it reaches a parameter or `()`
    /// (Rhai's reading of a path, unlike [`DocumentRun::resolve`], which finds what to blame:
    /// a property of `()` is `()`, and a property of a scalar is left to Rhai to report)
    fn native_node(&self, path: &'r ResolvedPath) -> Option<Result<NodeId, NativeValue<'r>>> {
        let doc: &'r Document = self.run.doc;
        let mut node = match path.root {
            PathRoot::Param(i) => {
                return Some(Err(match self.rule.params.get(i).map(|(_, v)| v)? {
                    ParamValue::Int(n) => NativeValue::Int(*n),
                    ParamValue::Float(f) => NativeValue::Float(*f),
                    ParamValue::Bool(b) => NativeValue::Bool(*b),
                    ParamValue::String(s) => NativeValue::Str(s),
                    ParamValue::List(_) => NativeValue::Collection,
                }));
            }
            PathRoot::Document => doc.root(),
            PathRoot::Binding(i) => *self.env.get(i)?,
        };
        for key in &path.segments {
            match &doc.node(node)?.value {
                Value::Mapping(_) => match doc.get(node, key) {
                    Some(next) => node = next,
                    None => return Some(Err(NativeValue::Unit)),
                },
                // Any property of `()` is `()` in Rhai
                Value::Null => return Some(Err(NativeValue::Unit)),
                _ => return None,
            }
        }
        Some(Ok(node))
    }

    fn requires(&mut self, out: &mut DocumentOutput) {
        self.checked += 1;
        let rule = self.rule;
        for require in &rule.requires {
            match self.eval(&require.condition) {
                Ok(true) => {}
                Ok(false) => {
                    let blame = self.blame(&require.condition, require.at.as_ref());
                    let message = self.message(&require.message);
                    let related = require
                        .related
                        .iter()
                        .filter_map(|(path, label)| match self.run.resolve(path, &self.env) {
                            Resolution::Found(node) => Some(RelatedLocation {
                                label: label.clone(),
                                location: self.run.located(self.run.node_span(node), Some(node)),
                            }),
                            _ => None,
                        })
                        .collect();
                    self.push_finding(out, message, blame, related, require.condition.span);
                }
                Err(error) => self.eval_failure(out, &require.condition, &error),
            }
        }
    }

    /// A condition that could not be evaluated: a finding when a field it reads is missing
    /// (that is what the condition choked on), otherwise a tool error
    fn eval_failure(
        &mut self,
        out: &mut DocumentOutput,
        condition: &CompiledCondition,
        error: &crate::script::EvalError,
    ) {
        let blame = self.blame(condition, None);
        let data_problem = matches!(
            error.kind,
            EvalErrorKind::Runtime | EvalErrorKind::NotBool { .. } | EvalErrorKind::MissingValue
        );
        if blame.missing.is_some() && data_problem {
            // The message names the missing field; see `push_finding`
            self.push_finding(out, String::new(), blame, Vec::new(), condition.span);
            return;
        }
        // A value of the wrong form (`pending` where a date belongs) is the input's problem,
        // not the tool's: report it where it is written
        let scalar = self.run.doc.node(blame.node).is_some_and(|n| {
            !matches!(
                n.value,
                Value::Mapping(_) | Value::Sequence(_) | Value::Null
            )
        });
        if scalar && matches!(error.kind, EvalErrorKind::Runtime) {
            let message = format!(
                "`{}` cannot be checked: {}",
                self.run.display(blame.node),
                error.message
            );
            self.push_finding(out, message, blame, Vec::new(), condition.span);
            return;
        }
        self.errors += 1;
        let span = self.run.node_span(blame.node);
        let rule_file = &self.rule.file;
        let at = condition.span.start + error.offset.unwrap_or(0);
        let rule_span = if error.offset.is_some() {
            Span::new(at, at + 1)
        } else {
            condition.span
        };
        out.problems.push(
            Problem::error(
                "script::evaluation",
                format!(
                    "rule `{}` could not evaluate its condition: {}",
                    self.rule.rule.id.value, error.message
                ),
            )
            .in_file(self.run.file)
            .with_label(span, "while checking this")
            .with_help(match error.kind {
                EvalErrorKind::Timeout | EvalErrorKind::LimitExceeded { .. } => {
                    "the condition hit a safety limit; simplify it or report the rule to its author"
                }
                _ => "check the value's type here, or fix the rule's condition",
            })
            .with_related(
                Problem::warning("script::evaluation", "condition defined here")
                    .in_file(rule_file)
                    .with_label(rule_span, "this condition"),
            ),
        );
    }

    /// Missing data the condition reads explains a failure best; then `at`; then the first
    /// field the condition reads; then the innermost bound item
    fn blame(&self, condition: &CompiledCondition, at: Option<&ResolvedPath>) -> Blame {
        let mut first_found = None;
        for read in &condition.reads {
            match self.run.resolve(read, &self.env) {
                Resolution::Missing { deepest, missing } => {
                    return Blame {
                        node: deepest,
                        missing: Some(missing),
                    };
                }
                Resolution::Found(node) if first_found.is_none() => first_found = Some(node),
                _ => {}
            }
        }
        if let Some(path) = at {
            match self.run.resolve(path, &self.env) {
                Resolution::Found(node) => {
                    return Blame {
                        node,
                        missing: None,
                    };
                }
                Resolution::Missing { deepest, missing } => {
                    return Blame {
                        node: deepest,
                        missing: Some(missing),
                    };
                }
                Resolution::Param(_) => {}
            }
        }
        let node = first_found
            .or_else(|| self.env.last().copied())
            .unwrap_or_else(|| self.run.doc.root());
        Blame {
            node,
            missing: None,
        }
    }

    fn message(&self, template: &[TemplatePart]) -> String {
        let mut text = String::new();
        for part in template {
            match part {
                TemplatePart::Text(t) => text.push_str(t),
                TemplatePart::Hole(path) => match self.run.resolve(path, &self.env) {
                    Resolution::Found(node) => text.push_str(&self.run.display(node)),
                    Resolution::Missing { .. } => text.push_str("(missing)"),
                    Resolution::Param(i) => {
                        if let Some((_, value)) = self.rule.params.get(i) {
                            text.push_str(&param_display(value));
                        }
                    }
                },
            }
        }
        text
    }

    /// Records a finding at the blamed node. When a field is missing, `message` is replaced by
    /// one sentence naming it: the rule's own message would interpolate the absent value.
    fn push_finding(
        &mut self,
        out: &mut DocumentOutput,
        message: String,
        blame: Blame,
        related: Vec<RelatedLocation>,
        rule_span: Span,
    ) {
        let kind = if blame.missing.is_some() {
            FindingKind::Missing
        } else {
            FindingKind::Violation
        };
        self.push_finding_of_kind(out, message, blame, related, rule_span, kind);
    }

    fn push_finding_of_kind(
        &mut self,
        out: &mut DocumentOutput,
        message: String,
        blame: Blame,
        related: Vec<RelatedLocation>,
        rule_span: Span,
        kind: FindingKind,
    ) {
        let rule = &self.rule.rule;
        let Blame { node, missing } = blame;
        let location = self.run.located(self.run.node_span(node), Some(node));
        // A missing field gets one plain sentence: the rule's own message would interpolate
        // the absent value
        let message = match &missing {
            Some(key) => {
                // A key written with no value is located at its own (null) node; an absent key
                // at the node that should hold it
                let doc = self.run.doc;
                let is_the_empty_key = doc
                    .node(node)
                    .is_some_and(|v| matches!(v.value, Value::Null))
                    && doc.key_of(node) == Some(key.as_str());
                let full = if is_the_empty_key || location.path.is_empty() {
                    if is_the_empty_key {
                        location.path.clone()
                    } else {
                        key.clone()
                    }
                } else {
                    format!("{}.{key}", location.path)
                };
                format!("`{full}` is missing. Expected: {}", rule.docs.title.value)
            }
            None => message,
        };
        // The same field missing under every item of a list is one finding, not one per item
        let duplicate = out
            .findings
            .iter()
            .rev()
            .take_while(|f| f.rule_index == self.rule_index)
            .any(|f| f.location.span == location.span && f.message == message);
        if duplicate {
            return;
        }
        self.findings += 1;
        if kind == FindingKind::Violation {
            self.violations += 1;
        }
        let hint = yaml11_hint(self.run.doc, node);
        out.findings.push(Finding {
            rule_id: rule.id.value.clone(),
            rule_name: rule.name.value.clone(),
            rule_index: self.rule_index,
            requirements: rule
                .requirements
                .iter()
                .map(|r| r.value.to_string())
                .collect(),
            severity: rule.severity.value,
            message,
            document: self.run.index,
            location,
            logical_path: crate::contract::fingerprint::logical_path(self.run.doc, node),
            fingerprint: String::new(),
            missing,
            hint,
            related,
            kind,
            needed_by: Vec::new(),
            rule_location: RuleLocation::new(&self.rule.file, rule_span),
        });
    }
}

/// Words YAML 1.1 read as booleans; YAML 1.2, which tollgate reads, keeps them as text
const YAML11_BOOLEANS: &[&str] = &[
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off",
    "OFF",
];

/// Explains a finding on a plain `yes`/`no`/`on`/`off`: the author almost certainly meant a boolean
fn yaml11_hint(doc: &Document, node: NodeId) -> Option<String> {
    let n = doc.node(node)?;
    match &n.value {
        Value::String(s) if n.plain && YAML11_BOOLEANS.contains(&s.as_str()) => {
            let meant = matches!(s.to_ascii_lowercase().as_str(), "y" | "yes" | "on");
            Some(format!(
                "`{s}` is text, not a boolean: YAML 1.2 has only `true` and `false`; write `{meant}`"
            ))
        }
        _ => None,
    }
}

fn kind_name(doc: &Document, node: NodeId) -> &'static str {
    match doc.node(node).map(|n| &n.value) {
        Some(Value::Mapping(_)) => "a mapping",
        Some(Value::Sequence(_)) => "a list",
        Some(Value::String(_)) => "a string",
        Some(Value::Int(_) | Value::Float(_)) => "a number",
        Some(Value::Bool(_)) => "a boolean",
        Some(Value::Null) | None => "nothing",
    }
}

fn param_value(value: &ParamValue) -> ScriptValue {
    match value {
        ParamValue::Int(i) => ScriptValue::int(*i),
        ParamValue::Float(f) => ScriptValue::float(*f),
        ParamValue::Bool(b) => ScriptValue::bool(*b),
        ParamValue::String(s) => ScriptValue::string(s),
        ParamValue::List(items) => {
            ScriptValue::array(items.iter().map(|s| ScriptValue::string(s)).collect())
        }
    }
}

fn param_display(value: &ParamValue) -> String {
    match value {
        ParamValue::String(s) => s.clone(),
        ParamValue::List(items) => items.join(", "),
        other => other.to_string(),
    }
}

/// Converts the subtree at `root` into one script value. Nested containers are moved into
/// their parents (Rhai does not allow shared values inside shared values), so a subtree reached
/// through several aliases is converted once per alias; `budget` bounds the total so an alias
/// bomb cannot expand. An alias back into an open ancestor (a cycle) becomes `()`.
fn convert(doc: &Document, root: NodeId, budget: &mut usize) -> Option<ScriptValue> {
    enum Frame {
        Enter(NodeId),
        Exit(NodeId),
    }
    let mut open: Vec<NodeId> = Vec::new();
    let mut done: Vec<ScriptValue> = Vec::new();
    let mut stack = vec![Frame::Enter(root)];
    while let Some(frame) = stack.pop() {
        match frame {
            Frame::Enter(id) => {
                *budget = budget.checked_sub(1)?;
                let Some(node) = doc.node(id) else {
                    done.push(ScriptValue::null());
                    continue;
                };
                if open.contains(&id) {
                    done.push(ScriptValue::null());
                    continue;
                }
                match &node.value {
                    Value::Null => done.push(ScriptValue::null()),
                    Value::Bool(b) => done.push(ScriptValue::bool(*b)),
                    Value::Int(n) => done.push(ScriptValue::int(*n)),
                    Value::Float(f) => done.push(ScriptValue::float(*f)),
                    Value::String(s) => done.push(ScriptValue::string(s)),
                    Value::Sequence(items) => {
                        open.push(id);
                        stack.push(Frame::Exit(id));
                        stack.extend(items.iter().rev().map(|c| Frame::Enter(*c)));
                    }
                    Value::Mapping(entries) => {
                        open.push(id);
                        stack.push(Frame::Exit(id));
                        stack.extend(entries.iter().rev().map(|e| Frame::Enter(e.value)));
                    }
                }
            }
            Frame::Exit(id) => {
                open.pop();
                let value = match doc.node(id).map(|n| &n.value) {
                    Some(Value::Sequence(items)) => {
                        let children = done.split_off(done.len().saturating_sub(items.len()));
                        ScriptValue::array(children)
                    }
                    Some(Value::Mapping(entries)) => {
                        let children = done.split_off(done.len().saturating_sub(entries.len()));
                        ScriptValue::map(
                            entries
                                .iter()
                                .map(|e| e.key.to_string())
                                .zip(children)
                                .collect(),
                        )
                    }
                    _ => ScriptValue::null(),
                };
                done.push(value);
            }
        }
    }
    done.pop()
}
