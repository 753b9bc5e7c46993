//! Date helpers. Dates are ISO `YYYY-MM-DD` strings; the reference date is the
//! evaluation's `as_of` (never the wall clock).

use jiff::civil::Date;
use rhai::{Dynamic, Engine, INT, ImmutableString};

use super::{HelperResult, get_str};
use crate::script::engine::{current_as_of, runtime_error};

/// Register the date helpers:
///
/// * `as_of() -> string`: the evaluation's reference date, `"YYYY-MM-DD"`.
/// * `is_date(x) -> bool`: `x` is a string holding a valid ISO date
///   (`YYYY-MM-DD`, a real calendar day). Never fails: `()` and non-strings give
///   `false`.
/// * `days_between(a, b) -> int`: `b - a` in days (negative when `b` is earlier).
/// * `age_days(d) -> int`: days from `d` to `as_of()` (positive for past dates).
/// * `date_before(a, b) -> bool`: `a` is strictly earlier than `b`.
///
/// A string that is not an ISO date is a run-time error
/// ("`31-12-2026` is not an ISO date (YYYY-MM-DD)"); `()` is a missing value.
pub(crate) fn register(engine: &mut Engine) {
    engine.register_fn("as_of", as_of);
    engine.register_fn("is_date", is_date);
    engine.register_fn("days_between", days_between);
    engine.register_fn("age_days", age_days);
    engine.register_fn("date_before", date_before);
}

/// `as_of()`: the reference date of the evaluation, as `"YYYY-MM-DD"`.
fn as_of() -> HelperResult<ImmutableString> {
    reference_date().map(|d| d.to_string().into())
}

/// `is_date(x)`: is `x` an ISO `YYYY-MM-DD` string naming a real day?
fn is_date(x: Dynamic) -> bool {
    get_str(&x, "is_date", "x").is_ok_and(|s| parse_iso_date(&s).is_some())
}

/// `days_between(a, b)`: `b - a` in days.
fn days_between(a: Dynamic, b: Dynamic) -> HelperResult<INT> {
    let a = date_arg(&a, "days_between", "a")?;
    let b = date_arg(&b, "days_between", "b")?;
    diff_days(a, b)
}

/// `age_days(d)`: days from `d` to `as_of()`.
fn age_days(d: Dynamic) -> HelperResult<INT> {
    let d = date_arg(&d, "age_days", "d")?;
    diff_days(d, reference_date()?)
}

/// `date_before(a, b)`: `a < b`.
fn date_before(a: Dynamic, b: Dynamic) -> HelperResult<bool> {
    let a = date_arg(&a, "date_before", "a")?;
    let b = date_arg(&b, "date_before", "b")?;
    Ok(a < b)
}

fn reference_date() -> HelperResult<Date> {
    current_as_of()
        .ok_or_else(|| runtime_error("`as_of()` is only available while evaluating".into()))
}

fn diff_days(from: Date, to: Date) -> HelperResult<INT> {
    from.until((jiff::Unit::Day, to))
        .map(|span| INT::from(span.get_days()))
        .map_err(|e| runtime_error(format!("cannot compute days from {from} to {to}: {e}")))
}

fn date_arg(d: &Dynamic, func: &str, arg: &str) -> HelperResult<Date> {
    let s = get_str(d, func, arg)?;
    parse_iso_date(&s)
        .ok_or_else(|| runtime_error(format!("`{s}` is not an ISO date (YYYY-MM-DD)")))
}

/// Strict `YYYY-MM-DD` (exactly ten ASCII characters, a real calendar day).
pub(crate) fn parse_iso_date(s: &str) -> Option<Date> {
    let bytes = s.as_bytes();
    if bytes.len() != 10 || bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<i16> {
        let part = s.get(range)?;
        if !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let year = number(0..4)?;
    let month = i8::try_from(number(5..7)?).ok()?;
    let day = i8::try_from(number(8..10)?).ok()?;
    Date::new(year, month, day).ok()
}
