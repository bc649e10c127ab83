//! Reads YAML into a tree of values that each know their position.
//!
//! The tree is untyped on purpose: decoding into the incident model happens
//! afterwards, so that one file can report every problem it has, not just the
//! first one serde meets.

use crate::diagnostic::Span;
use std::borrow::Cow;

mod reader;
#[cfg(any(test, feature = "yaml-reference"))]
pub mod reference;
mod scalar;

/// A value and where it is. Text borrows from the source where the YAML
/// spells it as it reads (plain, most quoted text): a 100,000-entry
/// timeline would otherwise hold every word twice.
#[derive(Clone, Debug, PartialEq)]
pub struct Node<'s> {
    pub value: Value<'s>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value<'s> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Cow<'s, str>),
    /// Boxed slices, not vectors: a list is complete when read, and without
    /// a capacity a value is 24 bytes, not 32 (3 MB on a 100,000-entry
    /// timeline).
    Seq(Box<[Node<'s>]>),
    /// Keys are read as text whatever they look like (`no:` stays "no").
    Map(Box<[(Key<'s>, Node<'s>)]>),
}

// A long timeline is mostly nodes: keep one at 40 bytes (a `Vec` in
// `Value` would make it 48).
const _: () = assert!(std::mem::size_of::<Node<'static>>() <= 40);

#[derive(Clone, Debug, PartialEq)]
pub struct Key<'s> {
    pub name: Cow<'s, str>,
    pub span: Span,
}

impl Value<'_> {
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
/// Events (values and the ends of lists and mappings) that aliases may
/// stand for in all, counting an alias to an alias's expansion in full.
const MAX_REPLAYED: usize = 20_000;
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

/// Parses one YAML document with the limits of the default size limit.
/// An empty document is `Value::Null`.
pub fn parse(source: &str) -> Result<Node<'_>, SyntaxError> {
    parse_sized(source, crate::files::DEFAULT_MAX_FILE_SIZE)
}

/// Parses one YAML document, with a node budget that grows with the size
/// limit the file was read under (`--max-file-size`).
pub fn parse_sized(source: &str, max_file_size: u64) -> Result<Node<'_>, SyntaxError> {
    parse_budgeted(source, node_budget(max_file_size), max_file_size)
}

/// [`parse_sized`] for a check, which needs a long timeline's items one at
/// a time, not all at once: each item of the document's own `timeline`
/// list (a list without an anchor, the value of the top-level key) is
/// handed to `items` as soon as it is read, and stays in the tree only if
/// `items` gives it back. The tree of a 100,000-entry timeline is then
/// never whole (28 MB less at the peak of a check). Also says whether
/// that list was streamed: when it was not (no such list, or one behind
/// an anchor or a merge), the tree holds every item as `parse_sized` does.
pub fn parse_streaming<'s>(
    source: &'s str,
    max_file_size: u64,
    items: &mut dyn FnMut(Node<'s>) -> Option<Node<'s>>,
) -> Result<(Node<'s>, bool), SyntaxError> {
    reader::read_streaming(
        source,
        node_budget(max_file_size),
        max_file_size,
        Some(items),
    )
}

fn parse_budgeted(source: &str, nodes: usize, max_file_size: u64) -> Result<Node<'_>, SyntaxError> {
    reader::read(source, nodes, max_file_size)
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
        } else if message.contains("names no anchor") {
            "define the anchor (`&name`) on a value before the alias (`*name`), or write the value out"
        } else if message.contains("the value it stands in") {
            "an alias cannot repeat the list or mapping it is inside: write the value out"
        } else if message.contains("merge key") {
            "merge a mapping (`<<: *defaults`), or write its keys out"
        } else if message.contains("tag cannot stand") || message.contains("tag asks") {
            "remove the tag: pm reads the value as written"
        } else if message.contains("alias") || message.contains("anchor") {
            "write the values out instead of repeating aliases"
        } else if message.contains("nests deeper") {
            "a postmortem nests a few levels deep: check the brackets and indentation"
        } else {
            "fix the YAML here; quote text that contains `: ` or starts with a special character"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(source: &str) -> Vec<(Key<'_>, Node<'_>)> {
        match parse(source).map(|n| n.value) {
            Ok(Value::Map(entries)) => entries.into_vec(),
            other => panic!("expected a mapping, got {other:?}"),
        }
    }

    /// The items handed over by `parse_streaming`, as text, whether the
    /// list was streamed, and the items the tree kept.
    fn stream(source: &str, keep: &str) -> (Vec<String>, bool, usize) {
        let mut seen = Vec::new();
        let (tree, streamed) = parse_streaming(source, 1 << 20, &mut |item| {
            let text = format!("{:?}", item.value);
            let kept = text.contains(keep);
            seen.push(text);
            kept.then_some(item)
        })
        .expect("parses");
        let Value::Map(top) = &tree.value else {
            panic!("a mapping");
        };
        let kept = top
            .iter()
            .find(|(k, _)| k.name == "timeline")
            .map_or(0, |(_, v)| match &v.value {
                Value::Seq(items) => items.len(),
                _ => 0,
            });
        (seen, streamed, kept)
    }

    #[test]
    fn only_the_documents_own_timeline_list_is_streamed() {
        let (seen, streamed, kept) = stream(
            "a: 1\ntimeline:\n  - x: 1\n  - x: keep\n  - [2]\nb: 2\n",
            "keep",
        );
        assert_eq!(seen.len(), 3, "{seen:?}");
        assert!(streamed);
        assert_eq!(kept, 1, "the item given back stays in the tree");
        let (seen, streamed, _) = stream("timeline: [a, {b: 1}]\n", "");
        assert_eq!((seen.len(), streamed), (2, true), "a flow list too");
        for whole in [
            "timeline: &t\n  - x: 1\nagain: *t\n",
            "other:\n  timeline:\n    - x: 1\n",
            "base: &b\n  timeline:\n    - x: 1\n<<: *b\n",
            "- timeline:\n    - x: 1\n",
            "timeline: text\n",
        ] {
            let mut seen = 0;
            let result = parse_streaming(whole, 1 << 20, &mut |item| {
                seen += 1;
                Some(item)
            });
            let (tree, streamed) = match result {
                Ok(parsed) => parsed,
                Err(err) => panic!("{whole:?}: {err}"),
            };
            assert_eq!((seen, streamed), (0, false), "{whole:?} is read whole");
            assert_eq!(Ok(tree), parse(whole).map_err(|e| e.message), "{whole:?}");
        }
    }

    #[test]
    fn a_streamed_list_keeps_every_limit_and_error() {
        // Items count against the node budget as they do in the tree.
        let many: String = (0..300_000).map(|_| "- 1\n").collect();
        let doc = format!("timeline:\n{many}");
        let streamed = parse_streaming(&doc, 1 << 20, &mut |_| None).map(|_| ());
        assert_eq!(
            streamed.map_err(|e| e.message),
            parse(&doc).map(|_| ()).map_err(|e| e.message)
        );
        let duplicate = "timeline:\n  - a: 1\n    a: 2\n";
        assert!(parse_streaming(duplicate, 1 << 20, &mut Some).is_err());
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
    fn alias_and_merge_mistakes_are_told_apart() {
        let err = parse("title: *missing\n").expect_err("unknown anchor");
        assert_eq!(
            err.message,
            "the alias `*missing` names no anchor: define it (`&missing`) before the alias"
        );
        assert_eq!((err.span.column, err.span.len), (8, 8));
        assert!(
            err.help().starts_with("define the anchor"),
            "{}",
            err.help()
        );

        let err = parse("title: &a [*a]\n").expect_err("an alias inside its anchor");
        assert!(
            err.message
                .contains("`*a` refers to the value it stands in"),
            "{}",
            err.message
        );
        assert_eq!((err.span.column, err.span.len), (12, 2));
        assert!(err.help().contains("cannot repeat"), "{}", err.help());

        let err = parse("title: x\n<<: 5\n").expect_err("a merge of a number");
        assert!(
            err.message.starts_with("a merge key (`<<`)"),
            "{}",
            err.message
        );
        assert_eq!((err.span.line, err.span.column), (2, 5));
        assert!(err.help().contains("<<: *defaults"), "{}", err.help());

        let err = parse("title: !!int soon\n").expect_err("a tag pm cannot follow");
        assert!(err.help().starts_with("remove the tag"), "{}", err.help());
    }

    #[test]
    fn anchors_nested_around_a_large_value_are_bounded() {
        // 40 anchors, each around the next, around 30,000 values: each
        // anchor keeps a copy, 1.2 million values in all.
        let mut text = String::new();
        for depth in 0..40 {
            text.push_str(&format!("{}k{depth}: &a{depth}\n", "  ".repeat(depth)));
        }
        let values = vec!["1"; 30_000].join(",");
        text.push_str(&format!("{}k: [{values}]\n", "  ".repeat(40)));
        let err = parse(&text).expect_err("too much kept for aliases");
        assert!(
            err.message.contains("anchor size limit of 1,000,000"),
            "{}",
            err.message
        );
        // One anchor around the same values is fine.
        assert!(parse(&format!("k: &a [{values}]\nl: 1\n")).is_ok());
    }

    #[test]
    fn aliases_are_bounded_in_text_and_depth_too() {
        // 1,000 aliases of 70 KB of text: 70 MB repeated from a 70 KB file.
        let long = "x".repeat(70_000);
        let text = format!("a: &a {long}\nb: [{}]\n", vec!["*a"; 1_000].join(", "));
        let err = parse(&text).expect_err("too much text repeated");
        assert!(
            err.message.contains("alias text limit of 64.0 MiB"),
            "{}",
            err.message
        );

        // A 60-deep anchor under 10 more levels is 70 deep.
        let deep = |inner: &str| format!("{}{inner}{}", "[".repeat(60), "]".repeat(60));
        let nested = format!(
            "a: &a {}\nb: {}*a{}\n",
            deep("x"),
            "[".repeat(10),
            "]".repeat(10)
        );
        let err = parse(&nested).expect_err("nested through an alias");
        assert_eq!(err.message, "the YAML nests deeper than 64 levels");
        assert_eq!((err.span.line, err.span.column), (2, 14));
        assert!(parse(&format!("a: &a {}\nb: [*a]\n", deep("x"))).is_ok());
    }

    #[test]
    fn an_alias_to_a_key_is_the_keys_value() {
        let entries = map("&a 1: x\nb: *a\n&n ~: y\nc: *n\n");
        assert_eq!(entries[0].0.name, "1");
        assert_eq!(entries[1].1.value, Value::Int(1));
        assert_eq!(entries[2].0.name, "null");
        assert_eq!(entries[3].1.value, Value::Null);
    }

    #[test]
    fn merge_keys_merge_what_the_mapping_lacks() {
        let entries = map("d: &d {a: 1, b: 2}\nm:\n  b: 3\n  <<: [*d, {c: 4}, ~]\n");
        let Value::Map(m) = &entries[1].1.value else {
            panic!("m is a mapping")
        };
        let names: Vec<&str> = m.iter().map(|(k, _)| k.name.as_ref()).collect();
        assert_eq!(names, ["b", "a", "c"]);
        assert_eq!(m[0].1.value, Value::Int(3));
        // Merged entries are placed at what they came from: the alias.
        assert_eq!((m[1].0.span.line, m[1].0.span.column), (4, 8));
    }

    #[test]
    fn keys_are_text_and_one_text_is_one_key() {
        let err = parse("1: a\n\"1\": b\n").expect_err("the same key twice");
        assert_eq!(err.message, "duplicate mapping key: 1");
        assert_eq!((err.span.line, err.span.column), (2, 1));
        // A mapping of many keys is checked by a set, not pairwise.
        let many = (0..5_000).fold(String::new(), |mut text, i| {
            text.push_str(&format!("k{i}: {i}\n"));
            text
        });
        assert_eq!(map(&many).len(), 5_000);
        let err = parse(&format!("{many}k4999: again\n")).expect_err("a late duplicate");
        assert_eq!(err.span.line, 5_001);
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

#[cfg(test)]
mod differential;
