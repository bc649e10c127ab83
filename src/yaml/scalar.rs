//! What a scalar is: YAML 1.2's core schema, with pm's rules on top.
//!
//! - Only `true` and `false` (in three spellings) are booleans: `no`, `yes`,
//!   `on` and `off` stay text.
//! - `16:40` is text, not a sexagesimal number, and `2023-09-10` is text,
//!   not a timestamp: times are pm's to read.
//! - `.nan`, `.inf` and a number too large for a float stay text, for the
//!   field to judge in its own terms.
//! - `!!str`, `!!null`, `!!bool`, `!!int`, `!!float` and `!!binary` mean
//!   what YAML says; another core tag on a scalar is an error, and a custom
//!   tag (`!note`) is ignored.

use super::Value;
use granit_parser::{ScalarStyle, Tag};
use std::borrow::Cow;

/// A scalar's value, before it is a value or a key: keys keep an unsigned
/// number's digits, which a value stores as a float above `i64::MAX`.
#[derive(Clone, Debug)]
pub(super) enum Scalar<'s> {
    Null,
    Bool(bool),
    Int(i64),
    Unsigned(u64),
    Float(f64),
    Text(Cow<'s, str>),
}

impl<'s> Scalar<'s> {
    pub(super) fn into_value(self) -> Value<'s> {
        match self {
            Scalar::Null => Value::Null,
            Scalar::Bool(b) => Value::Bool(b),
            Scalar::Int(i) => Value::Int(i),
            Scalar::Unsigned(u) => i64::try_from(u).map_or(Value::Float(u as f64), Value::Int),
            Scalar::Float(f) => Value::Float(f),
            Scalar::Text(s) => Value::Str(s),
        }
    }

    /// The key's name: its text, with typed scalars written the one way
    /// (`~` and `null` are "null", `0x1` is "1").
    pub(super) fn into_key_name(self) -> Cow<'s, str> {
        match self {
            Scalar::Null => Cow::Borrowed("null"),
            Scalar::Bool(b) => Cow::Borrowed(if b { "true" } else { "false" }),
            Scalar::Int(i) => i.to_string().into(),
            Scalar::Unsigned(u) => u.to_string().into(),
            Scalar::Float(f) => f.to_string().into(),
            Scalar::Text(s) => s,
        }
    }
}

/// The YAML tags pm gives a meaning to.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Typed {
    None,
    Text,
    Null,
    Bool,
    Int,
    Float,
    Binary,
}

const CORE: &str = "tag:yaml.org,2002:";

/// What a tag asks for, or the error for a core tag pm does not read on a
/// scalar (`!!timestamp`, `!!map`).
fn typed(tag: Option<&Tag>) -> Result<Typed, String> {
    let Some(tag) = tag else {
        return Ok(Typed::None);
    };
    if tag.parts() == ("", "!") {
        // The non-specific tag `! 12`: text.
        return Ok(Typed::Text);
    }
    let Some(suffix) = core_suffix(tag) else {
        return Ok(Typed::None);
    };
    Ok(match suffix.as_ref() {
        "str" => Typed::Text,
        "null" => Typed::Null,
        "bool" => Typed::Bool,
        "int" => Typed::Int,
        "float" => Typed::Float,
        "binary" => Typed::Binary,
        // Types for a list or a mapping, or for a value pm reads as text
        // (a time is pm's to read, not YAML's).
        "seq" | "map" | "timestamp" | "time" | "degrees" | "radians" => {
            return Err(format!(
                "a `!!{suffix}` tag cannot stand on a single value; remove the tag"
            ));
        }
        // `!!merge`, `!!value`, and names YAML does not define: ignored,
        // like a custom tag.
        _ => Typed::None,
    })
}

/// Whether YAML (or a common extension of it) gives `!!suffix` a type.
pub(super) fn is_known_core(suffix: &str) -> bool {
    matches!(
        suffix,
        "str"
            | "null"
            | "bool"
            | "int"
            | "float"
            | "binary"
            | "seq"
            | "map"
            | "timestamp"
            | "time"
            | "degrees"
            | "radians"
    )
}

/// The name in YAML's core namespace (`str` for `!!str` and
/// `!<tag:yaml.org,2002:str>`), or `None` for a custom tag.
pub(super) fn core_suffix(tag: &Tag) -> Option<Cow<'_, str>> {
    tag.suffix_in_namespace(CORE)
}

/// Reads one scalar. The error is a message for the scalar's position.
pub(super) fn read<'s>(
    value: Cow<'s, str>,
    style: ScalarStyle,
    tag: Option<&Tag>,
) -> Result<Scalar<'s>, String> {
    let plain = style == ScalarStyle::Plain;
    match typed(tag)? {
        Typed::Text => Ok(Scalar::Text(value)),
        Typed::Null => Ok(Scalar::Null),
        Typed::Bool => boolean(&value)
            .map(Scalar::Bool)
            .ok_or_else(|| "a `!!bool` value must be `true` or `false`".to_owned()),
        Typed::Int => integer(&value).ok_or_else(|| {
            format!(
                "`{}` is not a whole number, but the `!!int` tag asks for one",
                trim(&value)
            )
        }),
        Typed::Float => float(&value).ok_or_else(|| {
            format!(
                "`{}` is not a number, but the `!!float` tag asks for one",
                trim(&value)
            )
        }),
        Typed::Binary => binary(&value).map(|text| Scalar::Text(text.into())),
        Typed::None if !plain => Ok(Scalar::Text(value)),
        Typed::None => Ok(untagged(value)),
    }
}

/// A plain scalar with no tag: null, a boolean, a number or text.
fn untagged(value: Cow<'_, str>) -> Scalar<'_> {
    if matches!(value.as_ref(), "" | "~" | "null" | "Null" | "NULL") {
        return Scalar::Null;
    }
    // Text starts with a letter far more often than not: skip the number
    // readers unless the first byte could start a number.
    let first = trim(&value).bytes().next();
    if let Some(b) = boolean(&value) {
        return Scalar::Bool(b);
    }
    if first.is_some_and(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.'))
        && let Some(number) = integer(&value).or_else(|| float(&value))
    {
        return number;
    }
    Scalar::Text(value)
}

fn trim(s: &str) -> &str {
    let blank = |b: &u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    // A plain scalar never starts or ends with a blank: no search then.
    if !s.as_bytes().first().is_some_and(blank) && !s.as_bytes().last().is_some_and(blank) {
        return s;
    }
    s.trim_matches([' ', '\t', '\r', '\n'])
}

fn boolean(s: &str) -> Option<bool> {
    match trim(s) {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// A YAML 1.2 integer: decimal (no leading zero), `0x`, `0o` or `0b`, with
/// an optional sign and single underscores between digits. Too large for
/// 64 bits is not an integer (it may still be a float).
fn integer(s: &str) -> Option<Scalar<'static>> {
    let t = trim(s);
    let (negative, rest) = match t.as_bytes().first()? {
        b'-' => (true, &t[1..]),
        b'+' => (false, &t[1..]),
        _ => (false, t),
    };
    let (radix, digits) = if let Some(d) = rest.strip_prefix("0x").or(rest.strip_prefix("0X")) {
        (16, d)
    } else if let Some(d) = rest.strip_prefix("0o").or(rest.strip_prefix("0O")) {
        (8, d)
    } else if let Some(d) = rest.strip_prefix("0b").or(rest.strip_prefix("0B")) {
        (2, d)
    } else {
        if rest.starts_with('0') && rest != "0" {
            return None;
        }
        (10, rest)
    };
    let magnitude = digits_value(digits, radix)?;
    if negative {
        let value = 0i128.checked_sub(i128::try_from(magnitude).ok()?)?;
        i64::try_from(value).ok().map(Scalar::Int)
    } else {
        u64::try_from(magnitude).ok().map(Scalar::Unsigned)
    }
}

/// Digits in `radix`, with underscores allowed only between digits.
fn digits_value(digits: &str, radix: u32) -> Option<u128> {
    let bytes = digits.as_bytes();
    let mut value: u128 = 0;
    let mut any = false;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'_' {
            if i == 0 || bytes[i - 1] == b'_' || bytes.get(i + 1).is_none_or(|&n| n == b'_') {
                return None;
            }
            continue;
        }
        let digit = char::from(b).to_digit(radix)?;
        value = value
            .checked_mul(u128::from(radix))?
            .checked_add(u128::from(digit))?;
        any = true;
    }
    any.then_some(value)
}

/// A float as Rust reads one (`1.5`, `1e5`, `.5`, `012`), finite; one too
/// large for a float (`1e999`) and YAML's `.inf` and `.nan` are text, in
/// YAML's canonical spelling (`.inf`, `-.inf`, `.nan`).
fn float(s: &str) -> Option<Scalar<'static>> {
    let t = trim(s);
    let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
    let negative = t.starts_with('-');
    match unsigned {
        ".nan" | ".NaN" | ".NAN" => return Some(Scalar::Text(".nan".into())),
        ".inf" | ".Inf" | ".INF" if negative => return Some(Scalar::Text("-.inf".into())),
        ".inf" | ".Inf" | ".INF" => return Some(Scalar::Text(".inf".into())),
        _ => {}
    }
    let value: f64 = t.parse().ok()?;
    if value.is_finite() {
        Some(Scalar::Float(value))
    } else if unsigned.as_bytes().first().is_some_and(u8::is_ascii_digit) && value.is_infinite() {
        let canonical = if value.is_sign_negative() {
            "-.inf"
        } else {
            ".inf"
        };
        Some(Scalar::Text(canonical.into()))
    } else {
        None
    }
}

/// `!!binary`: canonical base64 (RFC 4648: whole groups of four, `=` only
/// at the end, no stray bits before it; whitespace allowed), which must
/// decode to UTF-8 text since every field pm has is text.
fn binary(s: &str) -> Result<String, String> {
    let invalid = || "a `!!binary` value must be base64".to_owned();
    let sextet = |b: u8| match b {
        b'A'..=b'Z' => Some(b - b'A'),
        b'a'..=b'z' => Some(b - b'a' + 26),
        b'0'..=b'9' => Some(b - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let cleaned: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if !cleaned.len().is_multiple_of(4) {
        return Err(invalid());
    }
    let groups = cleaned.len() / 4;
    let mut bytes = Vec::with_capacity(groups * 3);
    for (index, group) in cleaned.chunks_exact(4).enumerate() {
        let pad = group.iter().rev().take_while(|&&b| b == b'=').count();
        if pad > 2 || (pad > 0 && index + 1 != groups) {
            return Err(invalid());
        }
        let mut value: u32 = 0;
        for &b in &group[..4 - pad] {
            value = (value << 6) | u32::from(sextet(b).ok_or_else(invalid)?);
        }
        value <<= 6 * pad;
        // The bits a padded group leaves over must be zero.
        if (pad == 2 && value & 0xFFFF != 0) || (pad == 1 && value & 0xFF != 0) {
            return Err(invalid());
        }
        let [_, first, second, third] = value.to_be_bytes();
        bytes.extend_from_slice(&[first, second, third][..3 - pad]);
    }
    String::from_utf8(bytes).map_err(|_| {
        "a `!!binary` value here must decode to text (UTF-8), as every pm field is text".to_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(s: &str) -> Value<'_> {
        read(Cow::Borrowed(s), ScalarStyle::Plain, None)
            .expect("an untagged scalar always reads")
            .into_value()
    }

    #[test]
    fn plain_scalars_follow_yaml_1_2_with_pms_rules() {
        assert_eq!(plain("16:40"), Value::Str("16:40".into()));
        assert_eq!(plain("no"), Value::Str("no".into()));
        assert_eq!(plain("True"), Value::Bool(true));
        assert_eq!(plain("~"), Value::Null);
        assert_eq!(plain(""), Value::Null);
        assert_eq!(plain("0x1F"), Value::Int(31));
        assert_eq!(plain("-0o17"), Value::Int(-15));
        assert_eq!(plain("1_000"), Value::Int(1000));
        assert_eq!(plain("1__0"), Value::Str("1__0".into()));
        assert_eq!(plain("012"), Value::Float(12.0));
        assert_eq!(plain("99999999999999999999"), Value::Float(1e20));
        assert_eq!(plain("1e999"), Value::Str(".inf".into()));
        assert_eq!(plain("-.inf"), Value::Str("-.inf".into()));
        assert_eq!(plain(".5"), Value::Float(0.5));
        assert_eq!(plain("inf"), Value::Str("inf".into()));
        assert_eq!(plain("2023-09-10"), Value::Str("2023-09-10".into()));
    }

    #[test]
    fn tags_are_read_or_refused_in_words() {
        let core = |suffix: &str| Tag::new(CORE, suffix);
        let read_tagged = |s: &'static str, suffix: &str| {
            read(
                Cow::Borrowed(s),
                ScalarStyle::DoubleQuoted,
                Some(&core(suffix)),
            )
        };
        assert!(matches!(read_tagged("12", "int"), Ok(Scalar::Unsigned(12))));
        assert!(matches!(read_tagged("x", "null"), Ok(Scalar::Null)));
        assert!(matches!(read_tagged("aGVsbG8=", "binary"), Ok(Scalar::Text(t)) if t == "hello"));
        assert!(read_tagged("/w==", "binary").is_err());
        assert!(read_tagged("%%", "binary").is_err());
        // Stray bits before the padding, a short group, `=` in the middle.
        assert!(read_tagged("aGVsbG6=", "binary").is_err());
        assert!(read_tagged("aGVsbG8", "binary").is_err());
        assert!(read_tagged("aG=sbG8=", "binary").is_err());
        assert!(matches!(read_tagged("aGVs\nbG8=", "binary"), Ok(Scalar::Text(t)) if t == "hello"));
        assert!(matches!(read_tagged("aGk=", "binary"), Ok(Scalar::Text(t)) if t == "hi"));
        assert!(read_tagged("yes", "bool").is_err());
        let err = read_tagged("2023", "timestamp").expect_err("not read");
        assert!(err.contains("!!timestamp"), "{err}");
        // A misspelt core tag is no type: ignored, as a custom tag is.
        let plain_tagged = read(
            Cow::Borrowed("12"),
            ScalarStyle::Plain,
            Some(&core("binarq")),
        );
        assert!(matches!(plain_tagged, Ok(Scalar::Unsigned(12))));
    }
}
