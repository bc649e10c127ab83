//! Reads YAML into a tree of values that each know their position.
//!
//! The tree is untyped on purpose: decoding into the incident model happens
//! afterwards, so that one file can report every problem it has, not just the
//! first one serde meets.

use crate::diagnostic::Span;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Location, Spanned};
use std::fmt;

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Keys are read as text whatever they look like (`no:` stays "no").
    Map(Vec<(Key, Node)>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    pub name: String,
    pub span: Span,
}

impl Value {
    /// What the value is, as a user would call it in YAML terms.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "nothing",
            Value::Bool(_) => "a boolean",
            Value::Int(_) | Value::Float(_) => "a number",
            Value::Str(_) => "text",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

/// A YAML error with the parser's position.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct SyntaxError {
    pub message: String,
    pub span: Span,
}

const MAX_DEPTH: usize = 64;
const MAX_ALIASES: usize = 1_000;
const MAX_ANCHORS: usize = 1_000;
const MAX_REPLAYED: usize = 20_000;
const MAX_REPLAY_DEPTH: usize = 16;
/// Nodes (values, lists, mappings) at the default size limit and below.
const MIN_NODES: usize = 200_000;
/// Above the default size limit, one node is allowed per this many bytes of
/// the limit: YAML needs at least two bytes a node (`[a,a,…]`), a real
/// postmortem some fifty, so this only bounds memory by the size limit.
const BYTES_PER_NODE: u64 = 4;

/// The node budget for a size limit: 200,000 up to 800 KB, then one node
/// per 4 bytes of the limit (262,144 at the default 1 MiB).
pub fn node_budget(max_file_size: u64) -> usize {
    usize::try_from(max_file_size / BYTES_PER_NODE)
        .unwrap_or(usize::MAX)
        .max(MIN_NODES)
}

/// Limits that keep hostile input (alias bombs, deep nesting) cheap to reject.
fn options(nodes: usize, max_file_size: u64) -> serde_saphyr::Options {
    let bytes = usize::try_from(max_file_size).unwrap_or(usize::MAX);
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: MAX_DEPTH,
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

/// Parses one YAML document with the limits of the default size limit.
/// An empty document is `Value::Null`.
pub fn parse(source: &str) -> Result<Node, SyntaxError> {
    parse_sized(source, crate::files::DEFAULT_MAX_FILE_SIZE)
}

/// Parses one YAML document, with a node budget that grows with the size
/// limit the file was read under (`--max-file-size`).
pub fn parse_sized(source: &str, max_file_size: u64) -> Result<Node, SyntaxError> {
    parse_budgeted(source, node_budget(max_file_size), max_file_size)
}

fn parse_budgeted(source: &str, nodes: usize, max_file_size: u64) -> Result<Node, SyntaxError> {
    let options = options(nodes, max_file_size);
    match serde_saphyr::from_str_with_options::<Spanned<Value>>(source, options) {
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

/// 262144 as "262,144".
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl SyntaxError {
    /// How to fix the most common YAML mistakes; a general hint otherwise.
    pub fn help(&self) -> &'static str {
        let message = self.message.as_str();
        if message.starts_with("duplicate mapping key") {
            "each key may appear once in a mapping: remove one, or merge the two"
        } else if message.contains("tab") {
            "indent with spaces: YAML does not allow tabs for indentation"
        } else if message.starts_with("unclosed") {
            "close the bracket, or quote the text if the bracket is part of it"
        } else if message.contains("quoted scalar") {
            "close the quote; a quote opened here runs on to the lines below"
        } else if message.contains("one YAML document") {
            "remove the `---` and what follows, or put it in a file of its own"
        } else if message.contains("node limit") {
            "a postmortem has a few hundred values: check the file is the one you meant, or raise the size limit"
        } else if message.contains("alias") || message.contains("anchor") {
            "write the values out instead of repeating aliases"
        } else if message.contains("nests deeper") {
            "a postmortem nests a few levels deep: check the brackets and indentation"
        } else if message.contains("unknown anchor") {
            "define the anchor (`&name`) before using the alias (`*name`)"
        } else {
            "fix the YAML here; quote text that contains `: ` or starts with a special character"
        }
    }
}

fn span_of(loc: &Location) -> Span {
    Span {
        line: u32::try_from(loc.line()).unwrap_or(u32::MAX).max(1),
        column: u32::try_from(loc.column()).unwrap_or(u32::MAX).max(1),
        len: u32::try_from(loc.span().len()).unwrap_or(0),
    }
}

fn node(spanned: Spanned<Value>) -> Node {
    Node {
        span: span_of(&spanned.referenced),
        value: spanned.value,
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<Value, E> {
        Ok(Value::Str(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element::<Spanned<Value>>()? {
            items.push(node(item));
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
        while let Some(key) = map.next_key::<Spanned<KeyName>>()? {
            let value = map.next_value::<Spanned<Value>>()?;
            entries.push((
                Key {
                    name: key.value.0,
                    span: span_of(&key.referenced),
                },
                node(value),
            ));
        }
        Ok(Value::Map(entries))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn map(source: &str) -> Vec<(Key, Node)> {
        match parse(source).map(|n| n.value) {
            Ok(Value::Map(entries)) => entries,
            other => panic!("expected a mapping, got {other:?}"),
        }
    }

    #[test]
    fn times_and_yaml_11_words_stay_text() {
        let entries = map("at: 16:40\nn: yes\nno: 1\nd: 2023-09-10 16:00\n");
        assert_eq!(entries[0].1.value, Value::Str("16:40".into()));
        assert_eq!(entries[1].1.value, Value::Str("yes".into()));
        assert_eq!(entries[2].0.name, "no");
        assert_eq!(entries[3].1.value, Value::Str("2023-09-10 16:00".into()));
    }

    #[test]
    fn spans_point_at_values() {
        let entries = map("title: Email\nsummary:\n  start: \"16:00\"\n");
        assert_eq!((entries[0].1.span.line, entries[0].1.span.column), (1, 8));
        let Value::Map(summary) = &entries[1].1.value else {
            panic!("summary is a mapping")
        };
        assert_eq!(
            summary[0].1.span,
            Span {
                line: 3,
                column: 10,
                len: 7
            }
        );
    }

    #[test]
    fn duplicate_keys_and_bad_syntax_are_errors_with_positions() {
        let err = parse("a: 1\na: 2\n").expect_err("duplicate key");
        assert_eq!((err.span.line, err.span.column), (2, 1));
        assert!(
            err.message.contains("duplicate mapping key"),
            "{}",
            err.message
        );
        let err = parse("a: [1\nb: 2\n").expect_err("unclosed flow");
        assert_eq!(err.span.line, 2);
    }

    #[test]
    fn syntax_messages_are_in_the_users_terms() {
        let err = parse("a:\n\t- b\n").expect_err("tab indentation");
        assert!(!err.message.contains("at line"), "{}", err.message);
        assert!(err.help().contains("spaces"), "{}", err.help());
        let err = parse("a: 1\n---\nb: 2\n").expect_err("two documents");
        assert_eq!(
            err.message,
            "a postmortem is one YAML document, but `---` starts another"
        );
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let prev = format!("*a{}", i - 1);
            bomb.push_str(&format!("a{i}: &a{i} [{}]\n", vec![prev; 10].join(", ")));
        }
        let err = parse(&bomb).expect_err("alias bomb");
        assert!(
            err.message.contains("alias expansion limit"),
            "{}",
            err.message
        );
    }

    #[test]
    fn the_node_budget_grows_with_the_size_limit() {
        assert_eq!(node_budget(100_000), 200_000);
        assert_eq!(node_budget(1 << 20), 262_144);
        // A 255,000-item plain list (`- a`, 4 bytes an item) fits the
        // default budget: it is what it is, a list, not an alias problem.
        assert!(node_budget(crate::files::DEFAULT_MAX_FILE_SIZE) > 255_001);
        // A 100,000-entry timeline of 5 nodes an entry, under a 4 MiB limit.
        assert!(node_budget(4 << 20) > 500_001);
    }

    #[test]
    fn the_node_and_alias_budgets_have_messages_of_their_own() {
        // Plain values, no anchor: the node limit, named with its figure
        // and how to raise it, and no word of aliases. (A small budget, as
        // the default one takes many seconds to fill in a debug build.)
        let flow = format!("[{}]\n", vec!["a"; 1_500].join(","));
        let err = parse_budgeted(&flow, 1_000, 1 << 20).expect_err("node budget");
        assert_eq!(
            err.message,
            "the YAML has more values than the node limit of 1,000 (1,001 found), which is set by the file size limit (1.0 MiB); a larger --max-file-size (or `max_file_size` under `[check]` in pm.toml) raises it"
        );
        assert!(!err.message.contains("alias") && !err.help().contains("alias"));
        assert!(parse_budgeted(&flow, 2_000, 1 << 20).is_ok());

        let mut aliases = String::from("a: &a x\nb: [");
        aliases.push_str(&vec!["*a"; 1_001].join(", "));
        aliases.push_str("]\n");
        let err = parse(&aliases).expect_err("alias budget");
        assert!(
            err.message.contains("alias limit of 1,000") && err.message.contains("1,001 found"),
            "{}",
            err.message
        );
        assert!(!err.message.contains("node"), "{}", err.message);
        assert!(err.help().contains("aliases"), "{}", err.help());
    }
}
