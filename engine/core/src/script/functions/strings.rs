//! String helpers. Rhai's own non-mutating string methods (`contains`,
//! `starts_with`, `ends_with`, `len`, `to_lower`, `to_upper`, `sub_string`,
//! `index_of`, `split`...) are available too; these add the ones rule authors
//! ask for. (Mutating methods such as `trim` fail: bound data is read-only.)

use rhai::{Dynamic, Engine, ImmutableString};

use super::{HelperResult, Key, get_str, is_unit, missing_arg, with_array, wrong_type};

/// Register the string helpers:
///
/// * `lower(s) -> string`: `s` in lower case (Unicode).
/// * `matches_any(s, prefixes) -> bool`: `s` starts with at least one of the
///   strings in the array `prefixes`.
/// * `is_one_of(value, list) -> bool`: `value` equals some element of `list`
///   (strings, ints, bools by value; `3.0` equals `3`).
/// * `words(s) -> array`: the words of `s` in lower case, split at every
///   character that is not a letter or a digit (`"Rheinwerk Chemie AG, C4"` is
///   `["rheinwerk", "chemie", "ag", "c4"]`).
///
/// `()` for `s`/`value`/`list` is a missing value.
pub(crate) fn register(engine: &mut Engine) {
    engine.register_fn("lower", lower);
    engine.register_fn("matches_any", matches_any);
    engine.register_fn("is_one_of", is_one_of);
    engine.register_fn("words", words);
}

/// `words(s)`: lower-case words of `s`.
fn words(s: Dynamic) -> HelperResult<rhai::Array> {
    let s = get_str(&s, "words", "s")?;
    Ok(s.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| Dynamic::from(ImmutableString::from(w)))
        .collect())
}

/// `lower(s)`: lower-case copy of `s`.
fn lower(s: Dynamic) -> HelperResult<ImmutableString> {
    let s = get_str(&s, "lower", "s")?;
    Ok(s.to_lowercase().into())
}

/// `matches_any(s, prefixes)`: `s` starts with one of `prefixes`.
fn matches_any(s: Dynamic, prefixes: Dynamic) -> HelperResult<bool> {
    let s = get_str(&s, "matches_any", "s")?;
    with_array(&prefixes, "matches_any", "prefixes", |items| {
        for item in items {
            let prefix = get_str(item, "matches_any", "prefixes element")
                .map_err(|_| wrong_type("matches_any", "prefixes element", "a string", item))?;
            if s.starts_with(prefix.as_str()) {
                return Ok(true);
            }
        }
        Ok(false)
    })
}

/// `is_one_of(value, list)`: `value` is an element of `list`.
fn is_one_of(value: Dynamic, list: Dynamic) -> HelperResult<bool> {
    if is_unit(&value) {
        return Err(missing_arg("is_one_of", "value"));
    }
    let wanted = Key::of(&value);
    with_array(&list, "is_one_of", "list", |items| {
        Ok(items.iter().any(|item| Key::of(item) == wanted))
    })
}
