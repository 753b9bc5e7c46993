//! Scalar resolution with the YAML 1.2 core schema.

use saphyr_parser::{ScalarStyle, Tag};

use super::Text;
use super::Value;

/// Prefix of the core schema tags once `!!` is resolved.
const CORE_PREFIX: &str = "tag:yaml.org,2002:";

/// What a node's tag asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TagKind {
    /// No tag: resolve by style and content.
    None,
    /// The non-specific tag `!`: a string for scalars, nothing for collections.
    NonSpecific,
    Str,
    Int,
    Float,
    Bool,
    Null,
    Map,
    Seq,
    /// Anything else: `!!set`, `!!omap`, `!local`, `tag:example.com,2000:x`...
    Unsupported,
}

impl TagKind {
    /// Classify a tag as resolved by the parser (handle prefix + suffix).
    #[inline]
    pub(crate) fn of(tag: Option<&Tag>) -> Self {
        let Some(tag) = tag else {
            return Self::None;
        };
        let suffix = if tag.handle == CORE_PREFIX {
            tag.suffix.as_str()
        } else if tag.handle.is_empty() {
            if tag.suffix == "!" {
                return Self::NonSpecific;
            }
            // Verbatim tags (`!<tag:yaml.org,2002:str>`) arrive whole in the suffix.
            match tag.suffix.strip_prefix(CORE_PREFIX) {
                Some(rest) => rest,
                None => return Self::Unsupported,
            }
        } else {
            return Self::Unsupported;
        };
        match suffix {
            "str" => Self::Str,
            "int" => Self::Int,
            "float" => Self::Float,
            "bool" => Self::Bool,
            "null" => Self::Null,
            "map" => Self::Map,
            "seq" => Self::Seq,
            _ => Self::Unsupported,
        }
    }
}

/// Why a tagged scalar could not be resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ScalarError {
    /// The tag is outside the core schema.
    Unsupported,
    /// The content does not fit the core tag (`!!int abc`, `!!map x`).
    Mismatch,
}

/// Resolve a scalar's value from its text, style and tag.
pub(crate) fn resolve(text: &str, style: ScalarStyle, tag: TagKind) -> Result<Value, ScalarError> {
    let value = match tag {
        TagKind::None if style == ScalarStyle::Plain => plain(text),
        TagKind::None | TagKind::NonSpecific | TagKind::Str => None,
        TagKind::Null => Some(null(text).ok_or(ScalarError::Mismatch)?),
        TagKind::Bool => Some(boolean(text).ok_or(ScalarError::Mismatch)?),
        TagKind::Int => Some(int(text).ok_or(ScalarError::Mismatch)?),
        TagKind::Float => Some(float(text).ok_or(ScalarError::Mismatch)?),
        TagKind::Map | TagKind::Seq => return Err(ScalarError::Mismatch),
        TagKind::Unsupported => return Err(ScalarError::Unsupported),
    };
    Ok(value.unwrap_or_else(|| Value::String(Text::from(text))))
}

/// Check that a scalar used as a mapping key fits its tag (keys keep their text).
pub(crate) fn check_key(text: &str, style: ScalarStyle, tag: TagKind) -> Result<(), ScalarError> {
    match tag {
        TagKind::None | TagKind::NonSpecific | TagKind::Str => Ok(()),
        _ => resolve(text, style, tag).map(|_| ()),
    }
}

/// Core schema resolution of an untagged plain scalar; `None` means string.
pub(crate) fn plain(text: &str) -> Option<Value> {
    let first = match text.as_bytes().first() {
        None => return Some(Value::Null),
        Some(&b) => b,
    };
    match first {
        b'~' | b'n' | b'N' => null(text),
        b't' | b'T' | b'f' | b'F' => boolean(text),
        b'0'..=b'9' | b'-' | b'+' | b'.' => number(text),
        _ => None,
    }
}

fn null(text: &str) -> Option<Value> {
    matches!(text, "" | "~" | "null" | "Null" | "NULL").then_some(Value::Null)
}

fn boolean(text: &str) -> Option<Value> {
    match text {
        "true" | "True" | "TRUE" => Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => Some(Value::Bool(false)),
        _ => None,
    }
}

/// An integer or a float, as the core schema reads it.
/// An integer literal that does not fit in `i64` stays a string.
fn number(text: &str) -> Option<Value> {
    if int_parts(text).is_some() {
        return int(text);
    }
    float(text)
}

/// `[-+]?[0-9]+`, `0o[0-7]+` or `0x[0-9a-fA-F]+`, when it fits in `i64`.
fn int(text: &str) -> Option<Value> {
    int_parts(text).and_then(|(digits, radix)| {
        let value = if radix == 10 {
            digits.parse::<i64>().ok()?
        } else {
            i64::from_str_radix(digits, radix).ok()?
        };
        Some(Value::Int(value))
    })
}

/// The digits (sign included for decimal) and radix of an integer literal.
fn int_parts(text: &str) -> Option<(&str, u32)> {
    if let Some(hex) = text.strip_prefix("0x") {
        return (!hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()))
            .then_some((hex, 16));
    }
    if let Some(oct) = text.strip_prefix("0o") {
        return (!oct.is_empty() && oct.bytes().all(|b| matches!(b, b'0'..=b'7')))
            .then_some((oct, 8));
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    (!unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit())).then_some((text, 10))
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, `[-+]?.inf`, `.nan`,
/// and (for `!!float`) any integer literal.
fn float(text: &str) -> Option<Value> {
    let (negative, unsigned) = match text.as_bytes().first() {
        Some(b'-') => (true, text.get(1..)?),
        Some(b'+') => (false, text.get(1..)?),
        _ => (false, text),
    };
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") {
        return Some(Value::Float(if negative {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        }));
    }
    if matches!(text, ".nan" | ".NaN" | ".NAN") {
        return Some(Value::Float(f64::NAN));
    }
    if is_float_literal(unsigned.as_bytes()) {
        return text.parse::<f64>().ok().map(Value::Float);
    }
    // `!!float 0x1F`: an integer literal read as a float.
    match int_parts(text)? {
        (digits, 10) => digits.parse::<f64>().ok().map(Value::Float),
        (digits, radix) => u64::from_str_radix(digits, radix).ok().map(|v| {
            #[allow(
                clippy::cast_precision_loss,
                reason = "YAML reads `!!float 0x1F` as the nearest float"
            )]
            let f = v as f64;
            Value::Float(f)
        }),
    }
}

/// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` on unsigned text.
fn is_float_literal(bytes: &[u8]) -> bool {
    let mut i = 0;
    let int_digits = count_digits(bytes, i);
    i += int_digits;
    let mut frac_digits = 0;
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = count_digits(bytes, i);
        i += frac_digits;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let exp_digits = count_digits(bytes, i);
        if exp_digits == 0 {
            return false;
        }
        i += exp_digits;
    }
    i == bytes.len()
}

fn count_digits(bytes: &[u8], from: usize) -> usize {
    bytes.get(from..).map_or(0, |rest| {
        rest.iter().take_while(|b| b.is_ascii_digit()).count()
    })
}
