//! Rule conditions: sandboxed Rhai expressions evaluated against YAML data.
//!
//! This module is the only place in the crate that knows about Rhai. Everything
//! it exposes is a wrapper: [`ScriptEngine`], [`CompiledExpr`], [`ScriptValue`],
//! [`Bindings`], [`EvalContext`] and the two error types. No Rhai type appears in
//! a public signature.
//!
//! # Language as seen by rule authors
//!
//! A condition is **one expression** (Rhai's expression mode): no `let`, no
//! statements, no loops, no `fn` definitions, no `eval`, no `import`. `if`/`else`
//! and `switch` expressions are allowed, as are anonymous functions (closures)
//! passed to array methods, e.g. `item.tags.all(|t| t != "")`.
//!
//! Variables are checked at compile time: an expression may only read the names
//! given to [`ScriptEngine::compile`] (strict variables). Values bound to those
//! names are read-only constants: mutating methods (`push`, `trim`, `clear`...)
//! fail at run time instead of changing the shared document.
//!
//! Missing data: reading a property that a map does not have (`item.mfaa`), or
//! any property of `()` (`item.missing.deeper`), yields `()`. Equality with `()`
//! is an ordinary comparison (`() == true` is `false`, `() != 1` is `true`), but
//! ordering comparisons (`<`, `<=`, `>`, `>=`), `!`, and the helper functions
//! refuse `()` with [`EvalErrorKind::MissingValue`], which the caller reports as a
//! missing field. Ordering comparisons between unrelated types (`"480" <= 480`)
//! are a [`EvalErrorKind::Runtime`] error rather than Rhai's default silent `false`.
//!
//! A known Rhai limitation: a closure must not read a variable while a method
//! call on that same variable is running, e.g.
//! `item.tags.all(|t| item.allowed.contains(t))` fails (Rhai reports a data race
//! after ~50 ms of retries). Use the function-call form
//! `all(item.tags, |t| item.allowed.contains(t))` or a helper
//! (`all_in(item.tags, item.allowed)`).
//!
//! # Hardening
//!
//! Raw engine with only the needed packages (no `sleep`, `exit`, `parse_json`,
//! blobs), `print`/`debug` silenced, `eval` disabled, no modules, no loops, every
//! [`ScriptLimits`] limit set explicitly. The operations budget and the
//! wall-clock deadline are counted by this module in a thread-local, because
//! Rhai's own operation counter restarts inside every closure called by a
//! native function (`map`, `filter`, ...) and would let nested closures run
//! unbounded. A panic inside Rhai is caught and reported as a
//! [`EvalErrorKind::Runtime`] error.

#![allow(
    clippy::unnecessary_box_returns,
    reason = "rhai's API takes and returns Box<EvalAltResult>"
)]
#![allow(
    clippy::trivially_copy_pass_by_ref,
    reason = "the evaluation context will carry more than a date"
)]

mod engine;
pub(crate) mod functions;
pub mod reads;

#[cfg(test)]
#[path = "tests.rs"]
mod tests;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use rhai::{Dynamic, Position};

pub use reads::{ReadPath, read_paths};

/// Resource limits applied to every compilation and evaluation.
///
/// All limits are set explicitly on the engine (Rhai's own defaults differ
/// between debug and release builds). A value of `0` means "unlimited" for the
/// counting limits; do not use that in production.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptLimits {
    /// Maximum number of Rhai operations per evaluation.
    pub max_operations: u64,
    /// Maximum nesting depth of an expression (checked when compiling).
    pub max_expr_depth: usize,
    /// Maximum depth of nested function/closure calls.
    pub max_call_levels: usize,
    /// Maximum length in bytes of any string built during evaluation.
    pub max_string_bytes: usize,
    /// Maximum number of elements of any array built during evaluation.
    pub max_array_len: usize,
    /// Maximum number of properties of any map built during evaluation.
    pub max_map_len: usize,
    /// Wall-clock budget of one evaluation (zero: no wall-clock limit). The
    /// clock is read every 1024 operations, so one slow operation (a helper on
    /// a 100 000-element list) may overrun it by that operation's duration.
    pub timeout: Duration,
}

impl Default for ScriptLimits {
    fn default() -> Self {
        Self {
            max_operations: 200_000,
            max_expr_depth: 64,
            max_call_levels: 16,
            max_string_bytes: 1024 * 1024,
            max_array_len: 100_000,
            max_map_len: 100_000,
            timeout: Duration::from_millis(100),
        }
    }
}

/// The hardened expression engine. Build it once and share it by reference
/// (it is `Send + Sync`); every method takes `&self`.
pub struct ScriptEngine {
    engine: rhai::Engine,
    limits: ScriptLimits,
}

impl fmt::Debug for ScriptEngine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScriptEngine")
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

/// A compiled condition. Cheap to clone (reference counted), `Send + Sync`.
#[derive(Clone)]
pub struct CompiledExpr {
    inner: Arc<CompiledInner>,
}

struct CompiledInner {
    ast: rhai::AST,
    source: Box<str>,
    names: Box<[Box<str>]>,
}

impl CompiledExpr {
    /// The source text the expression was compiled from.
    #[must_use]
    pub fn source(&self) -> &str {
        &self.inner.source
    }

    /// The variable names the expression was allowed to read.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.inner.names.iter().map(AsRef::as_ref)
    }
}

impl fmt::Debug for CompiledExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CompiledExpr")
            .field("source", &self.inner.source)
            .field("names", &self.inner.names)
            .finish_non_exhaustive()
    }
}

/// An expression that does not compile.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct CompileError {
    /// Human-readable description, without position information.
    pub message: String,
    /// Byte offset within the compiled `source` where the problem was found.
    pub offset: usize,
}

/// Which resource limit an evaluation ran into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// [`ScriptLimits::max_operations`].
    Operations,
    /// [`ScriptLimits::max_call_levels`].
    CallLevels,
    /// [`ScriptLimits::max_string_bytes`].
    StringSize,
    /// [`ScriptLimits::max_array_len`].
    ArraySize,
    /// [`ScriptLimits::max_map_len`].
    MapSize,
    /// Any other size limit Rhai enforces.
    Other,
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Operations => "operations",
            Self::CallLevels => "call depth",
            Self::StringSize => "string size",
            Self::ArraySize => "array size",
            Self::MapSize => "map size",
            Self::Other => "data size",
        })
    }
}

/// Classification of an [`EvalError`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvalErrorKind {
    /// A [`ScriptLimits`] limit was exceeded.
    LimitExceeded {
        /// The limit.
        which: Limit,
    },
    /// The evaluation ran longer than [`ScriptLimits::timeout`].
    Timeout,
    /// `()` (typically a field missing from the YAML) was used where a value is
    /// required: ordering comparison, `!`, a helper function, a method call.
    MissingValue,
    /// Any other run-time error (type mismatch, unknown function, bad date...).
    Runtime,
    /// [`ScriptEngine::eval_bool`] produced a value that is not a bool.
    NotBool {
        /// Friendly type name of the value produced (`()`, `int`, `string`...).
        type_name: String,
    },
}

/// An evaluation that failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct EvalError {
    /// Classification.
    pub kind: EvalErrorKind,
    /// Human-readable description, without position information.
    pub message: String,
    /// Byte offset within the expression's source, when known.
    pub offset: Option<usize>,
}

/// Per-evaluation context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EvalContext {
    /// Reference date of the date helpers (`as_of()`, `age_days`). Never the
    /// wall clock, so evaluations are reproducible.
    pub as_of: jiff::civil::Date,
}

/// A value pushed into a script. Build it once per YAML document and reuse it.
///
/// Representation: a container (array or map) is one reference-counted,
/// read-only Rhai value, so cloning a `ScriptValue` (or binding it) is a
/// reference-count increment, never a deep copy. Only the *outermost*
/// container is shared: the containers nested in it are plain values inside
/// it. (Rhai 1.27 panics — `unreachable!("shared values discovered within
/// data")` in its data-size checks — when a shared value is nested inside
/// another value, e.g. on `doc.items.len()`; so [`ScriptValue::array`] and
/// [`ScriptValue::map`] move their elements in, and copy an element only if
/// the caller still holds another clone of it.)
///
/// Thread use: values are `Send + Sync`, but Rhai guards a shared container
/// with a lock that it only *tries* for a short while (five 10 ms back-offs,
/// then a data-race error). Two threads evaluating against the *same* value at
/// the same instant therefore slow each other down badly. Parallelise over
/// documents (each thread its own values), not over the rules of one
/// document; or give each thread its own [`ScriptValue::deep_copy`].
#[derive(Clone)]
pub struct ScriptValue(Dynamic);

impl ScriptValue {
    /// `()`: absent / YAML `null`.
    #[must_use]
    pub fn null() -> Self {
        Self(Dynamic::UNIT.into_read_only())
    }

    /// A boolean.
    #[must_use]
    pub fn bool(value: bool) -> Self {
        Self(Dynamic::from_bool(value).into_read_only())
    }

    /// An integer.
    #[must_use]
    pub fn int(value: i64) -> Self {
        Self(Dynamic::from_int(value).into_read_only())
    }

    /// A float.
    #[must_use]
    pub fn float(value: f64) -> Self {
        Self(Dynamic::from_float(value).into_read_only())
    }

    /// A string.
    #[must_use]
    pub fn string(value: &str) -> Self {
        Self(Dynamic::from(rhai::ImmutableString::from(value)).into_read_only())
    }

    /// An array (shared, read-only).
    #[must_use]
    pub fn array(items: Vec<ScriptValue>) -> Self {
        let array: rhai::Array = items.into_iter().map(ScriptValue::into_plain).collect();
        Self::from_plain(Dynamic::from_array(array))
    }

    /// A map (shared, read-only). A later duplicate key replaces an earlier one.
    #[must_use]
    pub fn map(entries: Vec<(String, ScriptValue)>) -> Self {
        let map: rhai::Map = entries
            .into_iter()
            .map(|(k, v)| (k.into(), v.into_plain()))
            .collect();
        Self::from_plain(Dynamic::from_map(map))
    }

    /// A copy that shares nothing with `self` (new reference count, new lock),
    /// for a thread that evaluates against the document at the same time as
    /// another.
    #[must_use]
    pub fn deep_copy(&self) -> Self {
        Self::from_plain(engine::plain_clone(&self.0))
    }

    /// Wrap a value that contains no shared value: containers get shared.
    fn from_plain(value: Dynamic) -> Self {
        let value = value.into_read_only();
        if value.is_array() || value.is_map() {
            Self(value.into_shared())
        } else {
            Self(value)
        }
    }

    /// The value without the outer sharing (moved out when `self` holds the
    /// only reference).
    fn into_plain(self) -> Dynamic {
        self.0.flatten()
    }

    /// Is this `()`?
    #[must_use]
    pub fn is_null(&self) -> bool {
        functions::is_unit(&self.0)
    }

    /// The bool, if this is one.
    #[must_use]
    pub fn as_bool(&self) -> Option<bool> {
        self.0.as_bool().ok()
    }

    /// The integer, if this is one.
    #[must_use]
    pub fn as_int(&self) -> Option<i64> {
        self.0.as_int().ok()
    }

    /// The float, if this is one.
    #[must_use]
    pub fn as_float(&self) -> Option<f64> {
        self.0.as_float().ok()
    }

    /// The string, if this is one.
    #[must_use]
    pub fn as_string(&self) -> Option<String> {
        self.0
            .read_lock::<rhai::ImmutableString>()
            .map(|s| s.as_str().to_owned())
    }

    /// The elements (copied), if this is an array.
    #[must_use]
    pub fn as_array(&self) -> Option<Vec<ScriptValue>> {
        self.0.read_lock::<rhai::Array>().map(|a| {
            a.iter()
                .map(|v| ScriptValue::from_plain(v.clone()))
                .collect()
        })
    }

    /// The entries (copied, sorted by key), if this is a map.
    #[must_use]
    pub fn as_map(&self) -> Option<Vec<(String, ScriptValue)>> {
        self.0.read_lock::<rhai::Map>().map(|m| {
            m.iter()
                .map(|(k, v)| (k.to_string(), ScriptValue::from_plain(v.clone())))
                .collect()
        })
    }

    /// Friendly type name: `()`, `bool`, `int`, `float`, `string`, `array`,
    /// `map`, ...
    #[must_use]
    pub fn type_name(&self) -> String {
        engine::friendly_type_name(&self.0)
    }
}

impl fmt::Debug for ScriptValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ScriptValue({self})")
    }
}

impl fmt::Display for ScriptValue {
    /// Rhai's `to_debug` style rendering (strings quoted).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        engine::fmt_value(&self.0, f)
    }
}

impl PartialEq for ScriptValue {
    fn eq(&self, other: &Self) -> bool {
        engine::values_equal(&self.0, &other.0)
    }
}

/// Ordered `(name, value)` pairs bound for one evaluation. Reuse one instance
/// with [`Bindings::clear`]: it keeps its allocations, including the name
/// buffers, so rebinding the same names allocates nothing.
#[derive(Debug, Clone, Default)]
pub struct Bindings {
    /// Name buffers; only the first `values.len()` are live.
    names: Vec<String>,
    values: Vec<ScriptValue>,
}

impl Bindings {
    /// No bindings.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Bind `name` to `value` (a later binding of the same name wins).
    pub fn push(&mut self, name: &str, value: ScriptValue) -> &mut Self {
        match self.names.get_mut(self.values.len()) {
            Some(buffer) => {
                buffer.clear();
                buffer.push_str(name);
            }
            None => self.names.push(name.to_owned()),
        }
        self.values.push(value);
        self
    }

    /// Remove every binding (releasing the values), keeping the allocations.
    pub fn clear(&mut self) {
        self.values.clear();
    }

    /// Number of bindings.
    #[must_use]
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// No bindings?
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    fn iter(&self) -> impl Iterator<Item = (&str, &Dynamic)> {
        self.names
            .iter()
            .zip(&self.values)
            .map(|(n, v)| (n.as_str(), &v.0))
    }
}

impl ScriptEngine {
    /// Build the hardened engine.
    #[must_use]
    pub fn new(limits: ScriptLimits) -> Self {
        Self {
            engine: engine::build(&limits),
            limits,
        }
    }

    /// The limits in force.
    #[must_use]
    pub fn limits(&self) -> &ScriptLimits {
        &self.limits
    }

    /// Compile one expression. `names` are the variables it may read (params
    /// and bound names); any other variable is a compile error.
    pub fn compile(&self, source: &str, names: &[&str]) -> Result<CompiledExpr, CompileError> {
        let mut scope = rhai::Scope::new();
        for name in names {
            // Plain (non-constant) placeholders: the optimizer must not fold them.
            scope.push_dynamic(*name, Dynamic::UNIT);
        }
        let ast = self
            .engine
            .compile_expression_with_scope(&scope, source)
            .map_err(|err| engine::compile_error(source, &err))?;
        Ok(CompiledExpr {
            inner: Arc::new(CompiledInner {
                ast,
                source: source.into(),
                names: names.iter().map(|n| Box::<str>::from(*n)).collect(),
            }),
        })
    }

    /// Evaluate to a bool. `bindings` must give a value for every name the
    /// expression reads; `ctx.as_of` is the reference date of the date helpers.
    pub fn eval_bool(
        &self,
        expr: &CompiledExpr,
        bindings: &Bindings,
        ctx: &EvalContext,
    ) -> Result<bool, EvalError> {
        let value = self.eval_dynamic(expr, bindings, ctx)?;
        if let Ok(b) = value.as_bool() {
            Ok(b)
        } else {
            let type_name = engine::friendly_type_name(&value);
            Err(EvalError {
                kind: EvalErrorKind::NotBool {
                    type_name: type_name.clone(),
                },
                message: format!("condition must produce a bool, but produced `{type_name}`"),
                offset: None,
            })
        }
    }

    /// Evaluate to any value (e.g. for message interpolation).
    pub fn eval_value(
        &self,
        expr: &CompiledExpr,
        bindings: &Bindings,
        ctx: &EvalContext,
    ) -> Result<ScriptValue, EvalError> {
        self.eval_dynamic(expr, bindings, ctx)
            .map(|v| ScriptValue::from_plain(engine::unshare_deep(v)))
    }

    fn eval_dynamic(
        &self,
        expr: &CompiledExpr,
        bindings: &Bindings,
        ctx: &EvalContext,
    ) -> Result<Dynamic, EvalError> {
        let deadline = if self.limits.timeout.is_zero() {
            None
        } else {
            std::time::Instant::now().checked_add(self.limits.timeout)
        };
        engine::eval(
            &self.engine,
            &expr.inner.ast,
            bindings.iter(),
            ctx.as_of,
            deadline,
        )
        .map_err(|err| engine::eval_error(&expr.inner.source, *err))
    }
}

/// Byte offset within `source` of a Rhai position (1-based line, 1-based
/// column counted in chars). `None` for [`Position::NONE`].
fn byte_offset(source: &str, pos: Position) -> Option<usize> {
    let line = pos.line()?;
    let mut start = 0usize;
    for _ in 1..line {
        match source.get(start..).and_then(|rest| rest.find('\n')) {
            Some(nl) => start += nl + 1,
            None => return Some(source.len()),
        }
    }
    let column = pos.position().unwrap_or(0);
    let rest = source.get(start..).unwrap_or("");
    let line_text = rest.split('\n').next().unwrap_or("");
    let within = line_text
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line_text.len(), |(i, _)| i);
    Some(start + within)
}
