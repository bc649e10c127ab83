//! The serde-saphyr reader pm used before its own ([`super::reader`]),
//! kept while both exist so that a differential test and the
//! `yaml_paths` fuzz target can hold the two to the same verdicts.

use super::{Key, MAX_ALIASES, MAX_ANCHORS, MAX_DEPTH, Node, SyntaxError, Value, thousands};
use crate::diagnostic::Span;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Location, Spanned};
use std::fmt;

const MAX_REPLAYED: usize = super::MAX_REPLAYED;
const MAX_REPLAY_DEPTH: usize = 16;

/// How pm's reader and this one differ on `text`, if they do in a way
/// that matters: a different tree (spans included), one error and one
/// tree, or the same words at different places.
pub fn disagreement(text: &str) -> Option<String> {
    let limit = crate::files::DEFAULT_MAX_FILE_SIZE;
    let ours = super::parse_sized(text, limit);
    let theirs = parse_sized(text, limit);
    let verdict = compare(&ours, &theirs);
    verdict.err()
}

fn compare(
    ours: &Result<Node<'_>, SyntaxError>,
    theirs: &Result<Node<'_>, SyntaxError>,
) -> Result<(), String> {
    match (ours, theirs) {
        (Ok(a), Ok(b)) if a == b => Ok(()),
        // The same place; the words are pm's own now (the reference's were
        // the deserializer's, and wrong for an unknown anchor), pinned by
        // the unit tests and snapshots. Or two problems of one broken
        // document, each reported first by one reader: the reference read
        // a whole mapping with a `<<` in it before it judged the merge, pm
        // judges it when it meets it. The same words must be at the same
        // place.
        (Err(a), Err(b))
            if a.span == b.span
                || a.message.trim_end_matches('.') != b.message.trim_end_matches('.') =>
        {
            Ok(())
        }
        _ if intended(ours, theirs) => Ok(()),
        _ => Err(format!(
            "pm:        {}\nreference: {}",
            outcome(ours),
            outcome(theirs)
        )),
    }
}

fn outcome(result: &Result<Node<'_>, SyntaxError>) -> String {
    match result {
        Ok(node) => format!("{node:?}"),
        Err(err) => format!(
            "error at {}:{}: {}",
            err.span.line, err.span.column, err.message
        ),
    }
}

/// Differences on purpose:
/// - keys are text, so `1:` and `"1":` (or `!!null :` and `:`) in one
///   mapping are the same key to pm, and a duplicate; the reference kept
///   both, and read on (to the end, or to an error further on).
fn intended(ours: &Result<Node<'_>, SyntaxError>, theirs: &Result<Node<'_>, SyntaxError>) -> bool {
    let Err(err) = ours else {
        return false;
    };
    let Some(name) = err.message.strip_prefix("duplicate mapping key: ") else {
        return false;
    };
    match theirs {
        Ok(tree) => has_repeated_key(tree, name),
        Err(later) => (later.span.line, later.span.column) > (err.span.line, err.span.column),
    }
}

fn has_repeated_key(node: &Node<'_>, name: &str) -> bool {
    match &node.value {
        Value::Map(entries) => {
            entries.iter().filter(|(k, _)| k.name == name).count() > 1
                || entries.iter().any(|(_, v)| has_repeated_key(v, name))
        }
        Value::Seq(items) => items.iter().any(|n| has_repeated_key(n, name)),
        _ => false,
    }
}

/// Parses one document as [`super::parse_sized`] does, through serde-saphyr.
pub fn parse_sized(source: &str, max_file_size: u64) -> Result<Node<'static>, SyntaxError> {
    parse_budgeted(source, super::node_budget(max_file_size), max_file_size)
}

/// Limits that keep hostile input (alias bombs, deep nesting) cheap to reject.
fn options(nodes: usize, max_file_size: u64) -> serde_saphyr::Options {
    let bytes = usize::try_from(max_file_size).unwrap_or(usize::MAX);
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: MAX_DEPTH,
            flow_nesting_limit: MAX_DEPTH,
            max_aliases: MAX_ALIASES,
            max_anchors: MAX_ANCHORS,
            max_nodes: nodes,
            // Events are nodes and their ends: never the first to run out.
            max_events: nodes.saturating_mul(2).saturating_add(16).max(1_000_000),
            max_total_scalar_bytes: bytes.max(64 << 20),
            max_reader_input_bytes: Some(bytes.saturating_add(1).max(256 << 20)),
            max_documents: 1,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: MAX_REPLAYED,
            max_replay_stack_depth: MAX_REPLAY_DEPTH,
        },
        strict_booleans: true,
        // `.nan` and `.inf` stay text, for the field to judge in its own terms.
        non_finite_float_policy: serde_saphyr::NonFiniteFloatPolicy::AsString,
        with_snippet: false,
    }
}

fn parse_budgeted(
    source: &str,
    nodes: usize,
    max_file_size: u64,
) -> Result<Node<'static>, SyntaxError> {
    let options = options(nodes, max_file_size);
    match serde_saphyr::from_str_with_options::<Spanned<Value<'static>>>(source, options) {
        Ok(spanned) => Ok(Node {
            span: span_of(&spanned.referenced),
            value: spanned.value,
        }),
        Err(err) => {
            let span = err.location().map_or(Span::DOCUMENT, |loc| span_of(&loc));
            Err(SyntaxError {
                message: clean_message(&err.to_string(), nodes, max_file_size),
                span,
            })
        }
    }
}

/// serde-saphyr prefixes "error: line L column C: ", may append a snippet,
/// and repeats the position ("at line L, column C"); pm prints its own
/// position and snippet, so keep just the reason, in the user's terms.
fn clean_message(raw: &str, nodes: usize, max_file_size: u64) -> String {
    let first = raw.lines().next().unwrap_or(raw);
    let reason = first.strip_prefix("error: ").unwrap_or(first);
    let reason = match reason.split_once(": ") {
        Some((head, rest)) if head.starts_with("line ") => rest,
        _ => reason,
    };
    let reason = reason
        .split(", set DuplicateKeyPolicy")
        .next()
        .unwrap_or(reason);
    let reason = reason.split(" at line ").next().unwrap_or(reason).trim();
    if reason.starts_with("budget breached") || reason.starts_with("alias ") {
        budget_message(reason, nodes, max_file_size)
    } else if reason == "recursion limit exceeded" {
        format!("the YAML nests deeper than {MAX_DEPTH} levels")
    } else {
        reason.to_owned()
    }
}

/// Budgets are reported as Rust debug output (`budget breached: Nodes {
/// nodes: 200001 }`): say which limit it is, the figure that passed it, and
/// how to raise it where that is safe. Each message is distinct, and only
/// the alias budgets speak of aliases.
fn budget_message(reason: &str, nodes: usize, max_file_size: u64) -> String {
    let figure =
        first_number(reason).map_or_else(String::new, |n| format!(" ({} found)", thousands(n)));
    let kind = if reason.starts_with("alias replay stack depth") {
        "alias-depth"
    } else if reason.starts_with("alias replay limit") {
        "alias-replay"
    } else {
        reason
            .strip_prefix("budget breached: ")
            .unwrap_or(reason)
            .split([' ', '{'])
            .next()
            .unwrap_or("")
    };
    match kind {
        "Documents" => "a postmortem is one YAML document, but `---` starts another".to_owned(),
        "Depth" => format!("the YAML nests deeper than {MAX_DEPTH} levels"),
        "Nodes" | "Events" | "ScalarBytes" | "InputBytes" => format!(
            "the YAML has more values than the node limit of {}{figure}, which is set by the file size limit ({}); a larger --max-file-size (or `max_file_size` under `[check]` in pm.toml) raises it",
            thousands(nodes as u64),
            crate::files::human_size(max_file_size)
        ),
        "Aliases" => format!(
            "the YAML uses more aliases (`*name`) than the alias limit of {}{figure}; write the values out instead",
            thousands(MAX_ALIASES as u64)
        ),
        "Anchors" => format!(
            "the YAML defines more anchors (`&name`) than the anchor limit of {}{figure}; write the values out instead",
            thousands(MAX_ANCHORS as u64)
        ),
        "alias-depth" => format!(
            "the YAML's aliases refer to aliases more than {MAX_REPLAY_DEPTH} levels deep{figure}; write the values out instead"
        ),
        "alias-replay" => format!(
            "the YAML's aliases expand to more values than the alias expansion limit of {}{figure}: anchors and aliases repeated too often, as in an alias bomb; write the values out instead (this limit is fixed)",
            thousands(MAX_REPLAYED as u64)
        ),
        _ => format!(
            "the YAML expands to too much data through anchors and aliases ({reason}); write the values out instead"
        ),
    }
}

/// The first run of digits in `text`.
fn first_number(text: &str) -> Option<u64> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let digits: String = text[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

fn span_of(loc: &Location) -> Span {
    Span {
        line: u32::try_from(loc.line()).unwrap_or(u32::MAX).max(1),
        column: u32::try_from(loc.column()).unwrap_or(u32::MAX).max(1),
        len: u32::try_from(loc.span().len()).unwrap_or(0),
    }
}

fn node(spanned: Spanned<Value<'static>>) -> Node<'static> {
    Node {
        span: span_of(&spanned.referenced),
        value: spanned.value,
    }
}

impl<'de> Deserialize<'de> for Value<'static> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value<'static>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Value<'static>, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value<'static>, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value<'static>, D::Error> {
        Value::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value<'static>, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value<'static>, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value<'static>, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value<'static>, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value<'static>, E> {
        Ok(Value::Str(v.to_owned().into()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value<'static>, E> {
        Ok(Value::Str(v.into()))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<Value<'static>, E> {
        Ok(Value::Str(String::from_utf8_lossy(v).into_owned().into()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value<'static>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element::<Spanned<Value<'static>>>()? {
            items.push(node(item));
        }
        Ok(Value::Seq(items.into_boxed_slice()))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value<'static>, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
        while let Some(key) = map.next_key::<Spanned<KeyName>>()? {
            let value = map.next_value::<Spanned<Value<'static>>>()?;
            entries.push((
                Key {
                    name: key.value.0.into(),
                    span: span_of(&key.referenced),
                },
                node(value),
            ));
        }
        Ok(Value::Map(entries.into_boxed_slice()))
    }
}

/// A mapping key as text, whatever scalar it was written as (`~:` is
/// "null", `1:` is "1"); a list or mapping as a key is refused in words a
/// user knows.
struct KeyName(String);

impl<'de> Deserialize<'de> for KeyName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = KeyName;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key written as text")
    }
    fn visit_unit<E>(self) -> Result<KeyName, E> {
        Ok(KeyName("null".to_owned()))
    }
    fn visit_none<E>(self) -> Result<KeyName, E> {
        Ok(KeyName("null".to_owned()))
    }
    fn visit_bool<E>(self, v: bool) -> Result<KeyName, E> {
        Ok(KeyName(v.to_string()))
    }
    fn visit_i64<E>(self, v: i64) -> Result<KeyName, E> {
        Ok(KeyName(v.to_string()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<KeyName, E> {
        Ok(KeyName(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<KeyName, E> {
        Ok(KeyName(v.to_string()))
    }
    fn visit_str<E>(self, v: &str) -> Result<KeyName, E> {
        Ok(KeyName(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<KeyName, E> {
        Ok(KeyName(v))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<KeyName, E> {
        Ok(KeyName(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _seq: A) -> Result<KeyName, A::Error> {
        Err(serde::de::Error::custom(
            "a key must be text, but this is a list",
        ))
    }
    fn visit_map<A: MapAccess<'de>>(self, _map: A) -> Result<KeyName, A::Error> {
        Err(serde::de::Error::custom(
            "a key must be text, but this is a mapping",
        ))
    }
}
