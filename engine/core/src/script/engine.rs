//! The hardened Rhai engine: construction, per-evaluation state, error mapping.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::time::Instant;

use rhai::packages::{
    ArithmeticPackage, BasicArrayPackage, BasicFnPackage, BasicIteratorPackage, BasicMapPackage,
    BasicMathPackage, BasicStringPackage, LogicPackage, MoreStringPackage, Package,
};
use rhai::{
    Array, Dynamic, Engine, EvalAltResult, FLOAT, INT, ImmutableString, Map, Module,
    OptimizationLevel, ParseError, ParseErrorType, Position, Scope,
};

use super::{CompileError, EvalError, EvalErrorKind, Limit, ScriptLimits, byte_offset, functions};

/// Operations between two wall-clock checks. Must be a power of two.
const CLOCK_CHECK_EVERY: u64 = 1024;

thread_local! {
    /// Deadline of the evaluation running on this thread, if any.
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
    /// Operations performed by the evaluation running on this thread.
    static TICKS: Cell<u64> = const { Cell::new(0) };
    /// Reference date of the evaluation running on this thread, if any.
    static AS_OF: Cell<Option<jiff::civil::Date>> = const { Cell::new(None) };
    /// Scratch scope reused across evaluations on this thread (keeps its allocation).
    static SCOPE: RefCell<Scope<'static>> = RefCell::new(Scope::new());
}

/// The reference date of the evaluation running on this thread.
pub(crate) fn current_as_of() -> Option<jiff::civil::Date> {
    AS_OF.with(Cell::get)
}

/// Installs the per-evaluation thread-local state; restores the previous state
/// on drop (also on unwinding).
#[allow(
    clippy::struct_field_names,
    reason = "each field is the previous value of one thread-local"
)]
struct EvalStateGuard {
    prev_deadline: Option<Instant>,
    prev_as_of: Option<jiff::civil::Date>,
    prev_ticks: u64,
}

impl EvalStateGuard {
    fn enter(deadline: Option<Instant>, as_of: jiff::civil::Date) -> Self {
        Self {
            prev_deadline: DEADLINE.with(|d| d.replace(deadline)),
            prev_as_of: AS_OF.with(|a| a.replace(Some(as_of))),
            prev_ticks: TICKS.with(|t| t.replace(0)),
        }
    }
}

impl Drop for EvalStateGuard {
    fn drop(&mut self) {
        DEADLINE.with(|d| d.set(self.prev_deadline));
        AS_OF.with(|a| a.set(self.prev_as_of));
        TICKS.with(|t| t.set(self.prev_ticks));
    }
}

/// Token returned by the progress callback when the deadline has passed.
#[derive(Debug, Clone, Copy)]
struct TimeoutToken;

/// Token returned by the progress callback when the operations budget is spent.
#[derive(Debug, Clone, Copy)]
struct OperationsToken;

/// Payload of `ErrorRuntime` for "a missing value (`()`) was used".
#[derive(Debug, Clone)]
pub(crate) struct MissingValue(pub(crate) String);

/// A run-time error meaning "`()` was used where a value is required".
pub(crate) fn missing_error(message: String) -> Box<EvalAltResult> {
    EvalAltResult::ErrorRuntime(Dynamic::from(MissingValue(message)), Position::NONE).into()
}

/// A plain run-time error with `message`.
pub(crate) fn runtime_error(message: String) -> Box<EvalAltResult> {
    EvalAltResult::ErrorRuntime(Dynamic::from(message), Position::NONE).into()
}

/// Build the hardened engine.
pub(crate) fn build(limits: &ScriptLimits) -> Engine {
    let mut engine = Engine::new_raw();

    // Only the packages rule expressions need. Deliberately absent:
    // LanguageCorePackage (`sleep`, `exit`, `parse_json`, `take`...),
    // BasicBlobPackage (raw byte buffers), BitFieldPackage.
    // Merged into one module: every operator call is resolved afresh in each
    // evaluation (see `set_fast_operators` below) by probing each global
    // module in turn, so fewer modules is measurably faster.
    let mut lib = Module::new();
    for package in [
        ArithmeticPackage::new().as_shared_module(),
        LogicPackage::new().as_shared_module(),
        BasicMathPackage::new().as_shared_module(),
        BasicStringPackage::new().as_shared_module(),
        MoreStringPackage::new().as_shared_module(),
        BasicArrayPackage::new().as_shared_module(),
        BasicMapPackage::new().as_shared_module(),
        BasicIteratorPackage::new().as_shared_module(),
        BasicFnPackage::new().as_shared_module(),
    ] {
        lib.fill_with(&package);
    }
    lib.build_index();
    engine.register_global_module(lib.into());

    // Nothing reaches stdout.
    engine.on_print(|_| {});
    engine.on_debug(|_, _, _| {});

    // Language surface.
    engine.disable_symbol("eval");
    engine.set_strict_variables(true);
    engine.set_allow_looping(false);
    engine.set_allow_statement_expression(false);
    engine.set_fail_on_invalid_map_property(false);
    // `Simple` never calls functions at compile time (`as_of()` must stay a call).
    engine.set_optimization_level(OptimizationLevel::Simple);
    // Registered operator overloads (the `()` guards below) must take
    // precedence over Rhai's built-in "different types compare false".
    // This costs ~0.1-0.2 µs per operator per evaluation (operators are then
    // resolved through the function tables instead of a direct built-in
    // call); the alternative is `item.missing <= 480` silently being `false`.
    engine.set_fast_operators(false);

    // Limits, all explicit (Rhai's defaults differ between debug and release).
    engine.set_max_operations(limits.max_operations);
    engine.set_max_expr_depths(limits.max_expr_depth, limits.max_expr_depth);
    engine.set_max_call_levels(limits.max_call_levels);
    engine.set_max_string_size(limits.max_string_bytes);
    engine.set_max_array_size(limits.max_array_len);
    engine.set_max_map_size(limits.max_map_len);
    // Expressions declare no variables except closure parameters, and define no
    // functions except closures: generous but finite.
    engine.set_max_variables(1024);
    engine.set_max_functions(1024);

    // Operations budget and wall-clock guard, counted in a thread-local.
    //
    // Rhai's own operation counter (`ops` below, and `set_max_operations`) is
    // NOT cumulative across closure calls made by native functions (`map`,
    // `filter`, `all`...): each such call runs on a clone of the evaluation
    // state and its count is discarded. `[..].map(|a| [..].map(|b| ...))` would
    // escape both limits. The progress callback itself runs on every
    // operation, so counting here is exact.
    let max_operations = limits.max_operations;
    engine.on_progress(move |_ops| {
        let ticks = TICKS.with(|t| {
            let n = t.get().wrapping_add(1);
            t.set(n);
            n
        });
        if max_operations != 0 && ticks > max_operations {
            return Some(Dynamic::from(OperationsToken));
        }
        if ticks & (CLOCK_CHECK_EVERY - 1) != 0 {
            return None;
        }
        let deadline = DEADLINE.with(Cell::get)?;
        (Instant::now() >= deadline).then(|| Dynamic::from(TimeoutToken))
    });

    register_missing_value_rules(&mut engine);
    functions::dates::register(&mut engine);
    functions::collections::register(&mut engine);
    functions::strings::register(&mut engine);
    engine
}

/// `()` semantics: any property or index of `()` is `()`; ordering
/// comparisons and `!` on `()` are [`MissingValue`] errors; ordering
/// comparisons between unrelated scalar types are run-time errors.
fn register_missing_value_rules(engine: &mut Engine) {
    engine.register_indexer_get(|(): &mut (), _: ImmutableString| ());
    engine.register_indexer_get(|(): &mut (), _: INT| ());
    engine.register_fn("!", |(): ()| -> Result<bool, Box<EvalAltResult>> {
        Err(missing_error("`!` applied to a missing value `()`".into()))
    });

    for op in ["<", "<=", ">", ">="] {
        engine.register_fn(
            op,
            move |(): (), (): ()| -> Result<bool, Box<EvalAltResult>> { Err(missing_operand(op)) },
        );
        unit_guard::<INT>(engine, op);
        unit_guard::<FLOAT>(engine, op);
        unit_guard::<ImmutableString>(engine, op);
        unit_guard::<bool>(engine, op);
        unit_guard::<char>(engine, op);
        unit_guard::<Array>(engine, op);
        unit_guard::<Map>(engine, op);

        mismatch_guard::<INT, ImmutableString>(engine, op, "int", "string");
        mismatch_guard::<FLOAT, ImmutableString>(engine, op, "float", "string");
        mismatch_guard::<INT, bool>(engine, op, "int", "bool");
        mismatch_guard::<FLOAT, bool>(engine, op, "float", "bool");
        mismatch_guard::<ImmutableString, bool>(engine, op, "string", "bool");
    }
}

fn missing_operand(op: &str) -> Box<EvalAltResult> {
    missing_error(format!("`{op}` compares a missing value `()`"))
}

fn unit_guard<T: Clone + Send + Sync + 'static>(engine: &mut Engine, op: &'static str) {
    engine.register_fn(
        op,
        move |(): (), _: T| -> Result<bool, Box<EvalAltResult>> { Err(missing_operand(op)) },
    );
    engine.register_fn(
        op,
        move |_: T, (): ()| -> Result<bool, Box<EvalAltResult>> { Err(missing_operand(op)) },
    );
}

fn mismatch_guard<A, B>(engine: &mut Engine, op: &'static str, a: &'static str, b: &'static str)
where
    A: Clone + Send + Sync + 'static,
    B: Clone + Send + Sync + 'static,
{
    engine.register_fn(op, move |_: A, _: B| -> Result<bool, Box<EvalAltResult>> {
        Err(runtime_error(format!(
            "cannot compare `{a}` with `{b}` using `{op}`"
        )))
    });
    engine.register_fn(op, move |_: B, _: A| -> Result<bool, Box<EvalAltResult>> {
        Err(runtime_error(format!(
            "cannot compare `{b}` with `{a}` using `{op}`"
        )))
    });
}

/// Evaluate `ast` with `entries` bound as read-only constants.
pub(crate) fn eval<'a>(
    engine: &Engine,
    ast: &rhai::AST,
    entries: impl Iterator<Item = (&'a str, &'a Dynamic)>,
    as_of: jiff::civil::Date,
    deadline: Option<Instant>,
) -> Result<Dynamic, Box<EvalAltResult>> {
    let _state = EvalStateGuard::enter(deadline, as_of);
    let run = |scope: &mut Scope<'static>| {
        scope.clear();
        for (name, value) in entries {
            scope.push_constant_dynamic(name, value.clone());
        }
        let result = engine.eval_ast_with_scope::<Dynamic>(scope, ast);
        scope.clear();
        result
    };
    // Safety net: Rhai has internal assertions (`unreachable!`, `unwrap`) that
    // a hostile expression might still reach; a panic must not take the
    // policy engine down with it.
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        SCOPE.with(|cell| match cell.try_borrow_mut() {
            Ok(mut scope) => run(&mut scope),
            // Re-entrant evaluation on this thread: use a fresh scope.
            Err(_) => run(&mut Scope::new()),
        })
    }));
    outcome.unwrap_or_else(|payload| {
        SCOPE.with(|cell| {
            if let Ok(mut scope) = cell.try_borrow_mut() {
                scope.clear();
            }
        });
        let detail = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(runtime_error(format!(
            "internal error in the script engine: {detail}"
        )))
    })
}

/// Map a Rhai parse error to a [`CompileError`].
pub(crate) fn compile_error(source: &str, err: &ParseError) -> CompileError {
    let offset = byte_offset(source, err.position()).unwrap_or(0);
    let message = match err.err_type() {
        ParseErrorType::VariableUndefined(name) => format!("unknown variable `{name}`"),
        ParseErrorType::ExprTooDeep => "expression is nested too deeply".to_owned(),
        other => other.to_string(),
    };
    CompileError { message, offset }
}

/// Map a Rhai evaluation error to an [`EvalError`].
pub(crate) fn eval_error(source: &str, mut err: EvalAltResult) -> EvalError {
    // Errors inside closures are wrapped; the innermost carries the precise
    // position (closures are part of the same source).
    let outer_pos = err.position();
    while let EvalAltResult::ErrorInFunctionCall(_, _, inner, _) = err {
        err = *inner;
    }
    let mut pos = err.take_position();
    if pos.is_none() {
        pos = outer_pos;
    }
    let offset = byte_offset(source, pos);

    let (kind, message) = match err {
        EvalAltResult::ErrorTerminated(ref token, ..) if token.is::<OperationsToken>() => (
            EvalErrorKind::LimitExceeded {
                which: Limit::Operations,
            },
            "expression exceeded the operations limit".to_owned(),
        ),
        EvalAltResult::ErrorTooManyOperations(..) => (
            EvalErrorKind::LimitExceeded {
                which: Limit::Operations,
            },
            "expression exceeded the operations limit".to_owned(),
        ),
        EvalAltResult::ErrorStackOverflow(..) => (
            EvalErrorKind::LimitExceeded {
                which: Limit::CallLevels,
            },
            "expression exceeded the call depth limit".to_owned(),
        ),
        EvalAltResult::ErrorDataTooLarge(ref what, ..) => {
            let which = if what.starts_with("Length of string") {
                Limit::StringSize
            } else if what.starts_with("Size of array") {
                Limit::ArraySize
            } else if what.starts_with("Size of object map") {
                Limit::MapSize
            } else {
                Limit::Other
            };
            (
                EvalErrorKind::LimitExceeded { which },
                format!("expression exceeded the {which} limit"),
            )
        }
        EvalAltResult::ErrorTerminated(ref token, ..) if token.is::<TimeoutToken>() => (
            EvalErrorKind::Timeout,
            "expression exceeded its time limit".to_owned(),
        ),
        EvalAltResult::ErrorRuntime(ref value, ..) if value.is::<MissingValue>() => {
            let message = value
                .read_lock::<MissingValue>()
                .map_or_else(|| "missing value `()`".to_owned(), |m| m.0.clone());
            (EvalErrorKind::MissingValue, message)
        }
        EvalAltResult::ErrorRuntime(ref value, ..) if value.is_string() => {
            (EvalErrorKind::Runtime, value.to_string())
        }
        EvalAltResult::ErrorFunctionNotFound(ref signature, ..)
            if signature_has_unit_arg(signature) =>
        {
            (
                EvalErrorKind::MissingValue,
                format!("missing value `()` passed to `{signature}`"),
            )
        }
        EvalAltResult::ErrorMismatchDataType(ref expected, ref actual, ..) if actual == "()" => (
            EvalErrorKind::MissingValue,
            format!("missing value `()` where `{expected}` is required"),
        ),
        EvalAltResult::ErrorDataRace(..) => (
            EvalErrorKind::Runtime,
            "a closure reads a value while a method call on that same value is running \
             (e.g. `x.tags.all(|t| x.ok)`); use the function form `all(x.tags, |t| x.ok)`"
                .to_owned(),
        ),
        EvalAltResult::ErrorNonPureMethodCallOnConstant(ref name, ..) => (
            EvalErrorKind::Runtime,
            format!("`{name}` would modify the data, which is read-only"),
        ),
        other => (EvalErrorKind::Runtime, other.to_string()),
    };
    EvalError {
        kind,
        message,
        offset,
    }
}

/// `name (t1, (), t3)`: does any argument type read `()`?
fn signature_has_unit_arg(signature: &str) -> bool {
    let Some(open) = signature.find('(') else {
        return false;
    };
    let args = signature.get(open + 1..).unwrap_or("");
    let args = args.strip_suffix(')').unwrap_or(args);
    args.split(',').any(|a| a.trim() == "()")
}

/// Run `f` on the value behind `d` (through the lock when shared). `None` when
/// the value is locked for writing by this thread (a re-entrant access).
pub(crate) fn with_inner<R>(d: &Dynamic, f: impl FnOnce(&Dynamic) -> R) -> Option<R> {
    if d.is_shared() {
        d.read_lock::<Dynamic>().map(|guard| f(&guard))
    } else {
        Some(f(d))
    }
}

/// Friendly type name, never panicking on a locked shared value.
pub(crate) fn friendly_type_name(d: &Dynamic) -> String {
    with_inner(d, |v| {
        match v.type_name() {
            "i64" | "i32" => "int",
            "f64" | "f32" => "float",
            "core::ops::range::Range<i64>" | "core::ops::range::RangeInclusive<i64>" => "range",
            other => other,
        }
        .to_owned()
    })
    .unwrap_or_else(|| "locked value".to_owned())
}

/// Rhai-like debug rendering: strings quoted, maps as `#{"k": v}`.
pub(crate) fn fmt_value(d: &Dynamic, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    with_inner(d, |v| {
        if v.is_unit() {
            f.write_str("()")
        } else if let Ok(b) = v.as_bool() {
            write!(f, "{b}")
        } else if let Ok(i) = v.as_int() {
            write!(f, "{i}")
        } else if let Ok(x) = v.as_float() {
            write!(f, "{x:?}")
        } else if let Some(s) = v.read_lock::<ImmutableString>() {
            write!(f, "{:?}", s.as_str())
        } else if let Some(a) = v.read_lock::<Array>() {
            f.write_str("[")?;
            for (i, item) in a.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                fmt_value(item, f)?;
            }
            f.write_str("]")
        } else if let Some(m) = v.read_lock::<Map>() {
            f.write_str("#{")?;
            for (i, (k, item)) in m.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{:?}: ", k.as_str())?;
                fmt_value(item, f)?;
            }
            f.write_str("}")
        } else {
            write!(f, "{v}")
        }
    })
    .unwrap_or_else(|| f.write_str("<locked>"))
}

/// Structural equality (through locks); ints and integral floats are equal.
pub(crate) fn values_equal(a: &Dynamic, b: &Dynamic) -> bool {
    functions::Key::of(a) == functions::Key::of(b)
}

/// `d` with no shared value left anywhere inside it.
pub(crate) fn unshare_deep(d: Dynamic) -> Dynamic {
    let mut d = d.flatten();
    if let Some(mut a) = d.write_lock::<Array>() {
        for item in a.iter_mut() {
            *item = unshare_deep(item.take());
        }
    } else if let Some(mut m) = d.write_lock::<Map>() {
        for item in m.values_mut() {
            *item = unshare_deep(item.take());
        }
    }
    d
}

/// A deep copy of the value behind `d`, not shared (containers nested in a
/// bound value are never shared, so cloning the inner value copies them).
pub(crate) fn plain_clone(d: &Dynamic) -> Dynamic {
    with_inner(d, Dynamic::clone).unwrap_or(Dynamic::UNIT)
}
