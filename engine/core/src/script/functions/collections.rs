//! Collection helpers over arrays of maps (YAML sequences of mappings).
//!
//! Values are compared with [`Key`] semantics: strings, ints, bools by value,
//! `3.0 == 3`, containers structurally.

use std::collections::HashSet;

use rhai::{Array, Dynamic, Engine, INT};

use super::{HelperResult, Key, get_str, is_unit, key_set, missing_arg, with_array, with_map};

/// Register the collection helpers:
///
/// * `exists(list, key, value) -> bool`: some map in `list` has
///   `map[key] == value`. Elements that are not maps are ignored.
/// * `find(list, key, value) -> map or ()`: the first map in `list` with
///   `map[key] == value`, `()` when there is none, so `find(...).field` reads a
///   field of the matching record (a missing record reads as missing).
/// * `count(x) -> int`: number of elements of an array (or entries of a map).
/// * `has(map, key) -> bool`: `key` is present in `map` and its value is not
///   `()`. `has((), key)` is `false` (a missing map has no keys).
/// * `is_empty(x) -> bool`: `x` is `()`, `""`, `[]` or `#{}` (numbers and booleans
///   are values, never empty).
/// * `values(list, key) -> array`: `map[key]` for every map in `list` that has
///   `key` (not `()`), in order.
/// * `unique(list) -> bool`: no two elements of `list` are equal.
/// * `all_in(list, allowed) -> bool`: every element of `list` is in `allowed`
///   (true for an empty `list`).
/// * `any_in(list, allowed) -> bool`: some element of `list` is in `allowed`.
///
/// `()` for a `list` (or for `value` in `exists`) is a missing value.
pub(crate) fn register(engine: &mut Engine) {
    engine.register_fn("exists", exists);
    engine.register_fn("find", find);
    engine.register_fn("count", count);
    engine.register_fn("has", has);
    engine.register_fn("is_empty", is_empty);
    engine.register_fn("values", values);
    engine.register_fn("unique", unique);
    engine.register_fn("all_in", all_in);
    engine.register_fn("any_in", any_in);
}

/// `exists(list, key, value)`: some map in `list` has `map[key] == value`.
fn exists(list: Dynamic, key: Dynamic, value: Dynamic) -> HelperResult<bool> {
    let key = get_str(&key, "exists", "key")?;
    if is_unit(&value) {
        return Err(missing_arg("exists", "value"));
    }
    let wanted = Key::of(&value);
    with_array(&list, "exists", "list", |items| {
        Ok(items.iter().any(|item| {
            with_map(item, "exists", "list element", |m| {
                Ok(m.get(key.as_str()).is_some_and(|v| Key::of(v) == wanted))
            })
            .unwrap_or(false)
        }))
    })
}

/// `find(list, key, value)`: the first map in `list` with `map[key] == value`, else `()`.
fn find(list: Dynamic, key: Dynamic, value: Dynamic) -> HelperResult<Dynamic> {
    let key = get_str(&key, "find", "key")?;
    if is_unit(&value) {
        return Err(missing_arg("find", "value"));
    }
    let wanted = Key::of(&value);
    with_array(&list, "find", "list", |items| {
        Ok(items
            .iter()
            .find(|item| {
                with_map(item, "find", "list element", |m| {
                    Ok(m.get(key.as_str()).is_some_and(|v| Key::of(v) == wanted))
                })
                .unwrap_or(false)
            })
            .cloned()
            .unwrap_or(Dynamic::UNIT))
    })
}

/// `count(x)`: number of elements of an array or entries of a map.
fn count(x: Dynamic) -> HelperResult<INT> {
    let len = match with_array(&x, "count", "list", |a| Ok(a.len())) {
        Ok(n) => n,
        Err(array_err) => match with_map(&x, "count", "list", |m| Ok(m.len())) {
            Ok(n) => n,
            Err(_) => return Err(array_err),
        },
    };
    Ok(INT::try_from(len).unwrap_or(INT::MAX))
}

/// `has(map, key)`: `key` present in `map` with a value other than `()`.
fn has(map: Dynamic, key: Dynamic) -> HelperResult<bool> {
    let key = get_str(&key, "has", "key")?;
    if is_unit(&map) {
        return Ok(false);
    }
    with_map(&map, "has", "map", |m| {
        Ok(m.get(key.as_str()).is_some_and(|v| !is_unit(v)))
    })
}

/// `is_empty(x)`: `()`, `""`, `[]` or `#{}`.
fn is_empty(x: Dynamic) -> HelperResult<bool> {
    if is_unit(&x) {
        return Ok(true);
    }
    if let Ok(s) = get_str(&x, "is_empty", "x") {
        return Ok(s.is_empty());
    }
    if let Ok(n) = with_array(&x, "is_empty", "x", |a| Ok(a.len())) {
        return Ok(n == 0);
    }
    if x.is_int() || x.is_float() || x.is_bool() {
        // A number or a boolean is a value, so it is not empty
        return Ok(false);
    }
    with_map(&x, "is_empty", "x", |m| Ok(m.is_empty())).map_err(|_| {
        super::wrong_type(
            "is_empty",
            "x",
            "a string, a number, a boolean, an array, a map or `()`",
            &x,
        )
    })
}

/// `values(list, key)`: `map[key]` for each map in `list` that has it.
fn values(list: Dynamic, key: Dynamic) -> HelperResult<Array> {
    let key = get_str(&key, "values", "key")?;
    with_array(&list, "values", "list", |items| {
        Ok(items
            .iter()
            .filter_map(|item| {
                with_map(item, "values", "list element", |m| {
                    Ok(m.get(key.as_str()).filter(|v| !is_unit(v)).cloned())
                })
                .ok()
                .flatten()
            })
            .collect())
    })
}

/// `unique(list)`: no duplicate elements.
fn unique(list: Dynamic) -> HelperResult<bool> {
    with_array(&list, "unique", "list", |items| {
        let mut seen = HashSet::with_capacity(items.len());
        Ok(items.iter().all(|item| seen.insert(Key::of(item))))
    })
}

/// `all_in(list, allowed)`: every element of `list` is in `allowed`.
fn all_in(list: Dynamic, allowed: Dynamic) -> HelperResult<bool> {
    let allowed = with_array(&allowed, "all_in", "allowed", |a| Ok(key_set(a)))?;
    with_array(&list, "all_in", "list", |items| {
        Ok(items.iter().all(|item| allowed.contains(&Key::of(item))))
    })
}

/// `any_in(list, allowed)`: some element of `list` is in `allowed`.
fn any_in(list: Dynamic, allowed: Dynamic) -> HelperResult<bool> {
    let allowed = with_array(&allowed, "any_in", "allowed", |a| Ok(key_set(a)))?;
    with_array(&list, "any_in", "list", |items| {
        Ok(items.iter().any(|item| allowed.contains(&Key::of(item))))
    })
}
