#![allow(
    clippy::needless_pass_by_value,
    reason = "rhai passes script arguments to registered functions by value"
)]
//! Helper functions for rule authors, and the argument plumbing they share.
//!
//! Every helper takes its arguments as `Dynamic` and reads containers through
//! their lock, so shared (reference-counted) values are never deep-copied, and
//! wrong types get a clear message instead of "function not found". A `()`
//! argument (a missing field) is a [`MissingValue`](super::engine::MissingValue)
//! error unless the helper documents otherwise.

pub(crate) mod collections;
pub(crate) mod dates;
pub(crate) mod strings;

use std::collections::HashSet;
use std::fmt;

use rhai::{Array, Dynamic, EvalAltResult, ImmutableString, Map};

use super::engine::{friendly_type_name, missing_error, runtime_error, with_inner};

/// Result type of the helpers.
pub(crate) type HelperResult<T> = Result<T, Box<EvalAltResult>>;

/// Error for a `()` argument.
pub(crate) fn missing_arg(func: &str, arg: &str) -> Box<EvalAltResult> {
    missing_error(format!("`{func}`: argument `{arg}` is missing (`()`)"))
}

/// Error for an argument of the wrong type.
pub(crate) fn wrong_type(func: &str, arg: &str, expected: &str, d: &Dynamic) -> Box<EvalAltResult> {
    runtime_error(format!(
        "`{func}`: argument `{arg}` must be {expected}, not `{}`",
        friendly_type_name(d)
    ))
}

fn locked(func: &str, arg: &str) -> Box<EvalAltResult> {
    runtime_error(format!(
        "`{func}`: argument `{arg}` is in use by an enclosing method call; \
         use the function form (e.g. `all(x, |v| ...)`) instead of `x.all(|v| ...)`"
    ))
}

/// Run `f` on the array in `d`.
pub(crate) fn with_array<R>(
    d: &Dynamic,
    func: &str,
    arg: &str,
    f: impl FnOnce(&Array) -> HelperResult<R>,
) -> HelperResult<R> {
    with_inner(d, |v| {
        if v.is_unit() {
            return Err(missing_arg(func, arg));
        }
        match v.read_lock::<Array>() {
            Some(a) => f(&a),
            None => Err(wrong_type(func, arg, "an array", v)),
        }
    })
    .unwrap_or_else(|| Err(locked(func, arg)))
}

/// Run `f` on the map in `d`.
pub(crate) fn with_map<R>(
    d: &Dynamic,
    func: &str,
    arg: &str,
    f: impl FnOnce(&Map) -> HelperResult<R>,
) -> HelperResult<R> {
    with_inner(d, |v| {
        if v.is_unit() {
            return Err(missing_arg(func, arg));
        }
        match v.read_lock::<Map>() {
            Some(m) => f(&m),
            None => Err(wrong_type(func, arg, "a map", v)),
        }
    })
    .unwrap_or_else(|| Err(locked(func, arg)))
}

/// The string in `d`.
pub(crate) fn get_str(d: &Dynamic, func: &str, arg: &str) -> HelperResult<ImmutableString> {
    with_inner(d, |v| {
        if v.is_unit() {
            return Err(missing_arg(func, arg));
        }
        match v.read_lock::<ImmutableString>() {
            Some(s) => Ok(s.clone()),
            None => Err(wrong_type(func, arg, "a string", v)),
        }
    })
    .unwrap_or_else(|| Err(locked(func, arg)))
}

/// Is `d` `()` (through the lock)?
pub(crate) fn is_unit(d: &Dynamic) -> bool {
    with_inner(d, Dynamic::is_unit).unwrap_or(false)
}

/// A hashable, comparable image of a value: how helpers compare values.
///
/// Strings, ints, bools and `()` compare by value; a float with an integral
/// value equals the same int (`3.0 == 3`, as YAML may give either); other
/// floats compare by exact value; arrays and maps compare structurally.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Key {
    Unit,
    Bool(bool),
    Int(i64),
    Float(u64),
    Str(ImmutableString),
    Char(char),
    Array(Vec<Key>),
    Map(Vec<(String, Key)>),
    Other(String),
}

impl Key {
    /// The key of `d` (through locks).
    pub(crate) fn of(d: &Dynamic) -> Key {
        with_inner(d, |v| {
            if v.is_unit() {
                Key::Unit
            } else if let Ok(b) = v.as_bool() {
                Key::Bool(b)
            } else if let Ok(i) = v.as_int() {
                Key::Int(i)
            } else if let Ok(x) = v.as_float() {
                float_key(x)
            } else if let Ok(c) = v.as_char() {
                Key::Char(c)
            } else if let Some(s) = v.read_lock::<ImmutableString>() {
                Key::Str(s.clone())
            } else if let Some(a) = v.read_lock::<Array>() {
                Key::Array(a.iter().map(Key::of).collect())
            } else if let Some(m) = v.read_lock::<Map>() {
                Key::Map(m.iter().map(|(k, x)| (k.to_string(), Key::of(x))).collect())
            } else {
                Key::Other(v.to_string())
            }
        })
        .unwrap_or_else(|| Key::Other("<locked>".to_owned()))
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Unit => f.write_str("()"),
            Key::Bool(b) => write!(f, "{b}"),
            Key::Int(i) => write!(f, "{i}"),
            Key::Float(bits) => write!(f, "{:?}", f64::from_bits(*bits)),
            Key::Str(s) => write!(f, "{:?}", s.as_str()),
            Key::Char(c) => write!(f, "{c:?}"),
            Key::Array(items) => {
                f.write_str("[")?;
                for (i, k) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k}")?;
                }
                f.write_str("]")
            }
            Key::Map(entries) => {
                f.write_str("#{")?;
                for (i, (name, k)) in entries.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{name:?}: {k}")?;
                }
                f.write_str("}")
            }
            Key::Other(s) => f.write_str(s),
        }
    }
}

#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_precision_loss,
    clippy::float_cmp,
    reason = "the round trip through i64 is the check that the float is a whole number"
)]
fn float_key(x: f64) -> Key {
    // Exact round trip through i64, away from the saturating edges.
    let i = x as i64;
    if x.abs() < 9.0e18 && i as f64 == x {
        Key::Int(i)
    } else {
        Key::Float(x.to_bits())
    }
}

/// The set of keys of the elements of `list`.
pub(crate) fn key_set(list: &Array) -> HashSet<Key> {
    list.iter().map(Key::of).collect()
}
