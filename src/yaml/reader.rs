//! pm's YAML reader: the tree built straight from granit-parser's events.
//!
//! It owns what a general deserializer did for pm before, at a fraction of
//! the cost (docs/performance.md): the budgets (values, depth, aliases,
//! anchors, alias expansion), one document, merge keys (`<<`), duplicate
//! keys, keys as text, and the scalar rules of [`super::scalar`]. Every error
//! is at the parser's line and column.
//!
//! An alias is a copy of its anchor's value, every part of it placed at the
//! alias; a merged entry is placed at what it was merged from.

use super::scalar;
use super::{Key, Node, SyntaxError, Value};
use super::{MAX_ALIASES, MAX_ANCHORS, MAX_DEPTH, MAX_REPLAYED, thousands};
use crate::diagnostic::Span;
use granit_parser::{ErrorKind, Event, Parser, ScanError, Span as ParserSpan};
use std::borrow::Cow;
use std::collections::HashSet;

/// Events that anchored values may hold in all: serde-saphyr's limit.
const MAX_RECORDED: usize = 1_000_000;

/// Up to this many keys, a mapping looks for a duplicate by comparing
/// names; above it, by a set of them (a hostile file can have 200,000).
const LINEAR_KEYS: usize = 16;

/// Reads one document with a budget of `nodes` values.
pub(super) fn read(
    source: &str,
    nodes: usize,
    max_file_size: u64,
) -> Result<Node<'_>, SyntaxError> {
    read_streaming(source, nodes, max_file_size, None).map(|(root, _)| root)
}

/// [`read`], handing each item of the document's own `timeline` list to
/// `items` as soon as it is read (see [`super::parse_streaming`]). Also
/// says whether that list was streamed.
pub(super) fn read_streaming<'s>(
    source: &'s str,
    nodes: usize,
    max_file_size: u64,
    items: Option<&mut dyn FnMut(Node<'s>) -> Option<Node<'s>>>,
) -> Result<(Node<'s>, bool), SyntaxError> {
    let options = granit_parser::options! {
        // pm's depth limit for brackets too: the parser counts them as it
        // scans, ahead of the events. Block nesting keeps the parser's
        // 255, so that pm's own check, at the 65th level, is what speaks.
        flow_nesting_limit: MAX_DEPTH,
        emit_comments: false,
    };
    let mut reader = Reader {
        source,
        budget: nodes,
        max_file_size,
        stack: Vec::new(),
        items: Vec::new(),
        entries: Vec::new(),
        anchors: Vec::new(),
        root: None,
        documents: 0,
        nodes: 0,
        aliases: 0,
        anchors_defined: 0,
        replayed: 0,
        recorded: 0,
        replayed_bytes: 0,
        // The file's size or 64 MiB, whichever is more, as serde-saphyr
        // bounded the text it read.
        max_replayed_bytes: usize::try_from(max_file_size)
            .unwrap_or(usize::MAX)
            .max(64 << 20),
        key_at: None,
        sink: items,
        streamed: false,
    };
    for event in Parser::new_from_str_with_options(source, options) {
        let (event, span) = event.map_err(|err| reader.scan_error(&err))?;
        reader.event(event, span)?;
    }
    let root = reader.root.unwrap_or(Node {
        value: Value::Null,
        span: Span::DOCUMENT,
    });
    Ok((root, reader.streamed))
}

struct Reader<'s, 'k> {
    source: &'s str,
    budget: usize,
    max_file_size: u64,
    stack: Vec<Open<'s>>,
    /// The items of every list open on the stack, and the entries of every
    /// open mapping, end to end: each list or mapping is copied out at its
    /// end into a vector of just its size (a timeline of 100,000 mappings
    /// of three keys would otherwise hold room for four in each).
    items: Vec<Node<'s>>,
    entries: Vec<(Key<'s>, Node<'s>)>,
    /// Finished anchored values, by anchor id, with their size in events.
    anchors: Vec<Option<(Node<'s>, Size)>>,
    root: Option<Node<'s>>,
    documents: usize,
    nodes: usize,
    aliases: usize,
    anchors_defined: usize,
    replayed: usize,
    /// Events held in anchors' copies, in all.
    recorded: usize,
    /// Text repeated by aliases, in bytes, and its limit.
    replayed_bytes: usize,
    max_replayed_bytes: usize,
    /// Where on the stack a list or mapping used as a key starts. It is
    /// refused once read, so that a syntax error inside it (`? [`) is the
    /// one reported; what is inside it is not read.
    key_at: Option<usize>,
    /// Where the items of the document's own `timeline` list go, if
    /// anywhere but the tree, and whether that list was found.
    sink: Option<&'k mut dyn FnMut(Node<'s>) -> Option<Node<'s>>>,
    streamed: bool,
}

/// A list or mapping being read.
struct Open<'s> {
    span: Span,
    anchor: usize,
    /// What it stands for so far: what an alias to it costs.
    size: Size,
    body: Body<'s>,
    /// Its items go to the reader's sink (the document's `timeline`).
    streams: bool,
}

enum Body<'s> {
    /// The list's items are `Reader::items` from this index on.
    Seq(usize),
    Map(Mapping<'s>),
}

struct Mapping<'s> {
    /// The mapping's entries are `Reader::entries` from this index on.
    first: usize,
    /// Names of its entries, once there are more than [`LINEAR_KEYS`].
    names: Option<HashSet<Cow<'s, str>>>,
    /// The key read, waiting for its value.
    key: Option<PendingKey<'s>>,
    /// What `<<` keys merge in, in order: each a mapping.
    merges: Vec<Node<'s>>,
}

/// What a value stands for, as aliases repeat it: events (values and the
/// ends of lists and mappings), bytes of text, and how deep it nests.
#[derive(Clone, Copy, Debug)]
struct Size {
    events: usize,
    bytes: usize,
    height: usize,
}

impl Size {
    /// A list or mapping with nothing in it yet: its start and end.
    const OPEN: Size = Size {
        events: 2,
        bytes: 0,
        height: 1,
    };

    fn scalar(bytes: usize) -> Self {
        Size {
            events: 1,
            bytes,
            height: 0,
        }
    }

    fn add(&mut self, part: Size) {
        self.events = self.events.saturating_add(part.events);
        self.bytes = self.bytes.saturating_add(part.bytes);
        self.height = self.height.max(part.height + 1);
    }
}

struct PendingKey<'s> {
    key: Key<'s>,
    merge: bool,
}

impl<'s> Reader<'s, '_> {
    fn event(&mut self, event: Event<'s>, span: ParserSpan) -> Result<(), SyntaxError> {
        let at = span_of(&span);
        match event {
            Event::StreamEnd => {
                if self.root.is_none() {
                    self.root = Some(Node {
                        value: Value::Null,
                        span: Span { len: 0, ..at },
                    });
                }
                Ok(())
            }
            Event::DocumentStart(..) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(error(
                        "a postmortem is one YAML document, but `---` starts another",
                        at,
                    ));
                }
                Ok(())
            }
            Event::Scalar(value, style, anchor, tag) => {
                self.count_node(at)?;
                self.define(anchor, at)?;
                if self.key_at.is_some() {
                    return Ok(());
                }
                let in_key = self.expects_key();
                let merge = in_key
                    && value == "<<"
                    && style == granit_parser::ScalarStyle::Plain
                    && tag
                        .as_deref()
                        .is_none_or(|t| scalar::core_suffix(t).is_some_and(|s| s == "merge"));
                let size = Size::scalar(value.len());
                let read = scalar::read(value, style, tag.as_deref()).map_err(|m| error(&m, at))?;
                if in_key {
                    if anchor != 0 {
                        // An alias to a key is its value (`&a 1:` makes
                        // `*a` the number 1), as a key it is its name.
                        let node = Node {
                            value: read.clone().into_value(),
                            span: at,
                        };
                        self.store(anchor, node, size)?;
                    }
                    let key = Key {
                        name: read.into_key_name(),
                        span: at,
                    };
                    return self.key(key, merge, size);
                }
                let node = Node {
                    value: read.into_value(),
                    span: at,
                };
                if anchor != 0 {
                    self.store(anchor, node.clone(), size)?;
                }
                self.value(node, size)
            }
            Event::SequenceStart(_, anchor, tag) => {
                collection_tag(tag.as_deref(), "seq", "list", at)?;
                self.open(at, anchor, Body::Seq(self.items.len()))
            }
            Event::MappingStart(_, anchor, tag) => {
                collection_tag(tag.as_deref(), "map", "mapping", at)?;
                let map = Mapping {
                    first: self.entries.len(),
                    names: None,
                    key: None,
                    merges: Vec::new(),
                };
                self.open(at, anchor, Body::Map(map))
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(),
            Event::Alias(id) => self.alias(id, at),
            // The stream's start, a document's end: nothing to read.
            _ => Ok(()),
        }
    }

    fn count_node(&mut self, at: Span) -> Result<(), SyntaxError> {
        self.nodes += 1;
        if self.nodes > self.budget {
            return Err(error(
                &format!(
                    "the YAML has more values than the node limit of {} ({} found), which is set by the file size limit ({}); a larger --max-file-size (or `max_file_size` under `[check]` in pm.toml) raises it",
                    thousands(self.budget as u64),
                    thousands(self.nodes as u64),
                    crate::files::human_size(self.max_file_size)
                ),
                at,
            ));
        }
        Ok(())
    }

    fn define(&mut self, anchor: usize, at: Span) -> Result<(), SyntaxError> {
        if anchor == 0 {
            return Ok(());
        }
        self.anchors_defined += 1;
        if self.anchors_defined > MAX_ANCHORS {
            return Err(error(
                &format!(
                    "the YAML defines more anchors (`&name`) than the anchor limit of {} ({} found); write the values out instead",
                    thousands(MAX_ANCHORS as u64),
                    thousands(self.anchors_defined as u64)
                ),
                at,
            ));
        }
        if self.anchors.len() <= anchor {
            self.anchors.resize_with(anchor + 1, || None);
        }
        // Redefined: the alias after this refers to the new value, and one
        // inside it to nothing finished.
        self.anchors[anchor] = None;
        Ok(())
    }

    /// Keeps a copy of an anchored value for its aliases. The copies are
    /// bounded in all (anchors nested around one large value would each
    /// copy it).
    fn store(&mut self, anchor: usize, node: Node<'s>, size: Size) -> Result<(), SyntaxError> {
        self.recorded = self.recorded.saturating_add(size.events);
        if self.recorded > MAX_RECORDED {
            return Err(error(
                &format!(
                    "the YAML's anchors (`&name`) hold more values than the anchor size limit of {} in all; write the values out instead",
                    thousands(MAX_RECORDED as u64)
                ),
                node.span,
            ));
        }
        if let Some(slot) = self.anchors.get_mut(anchor) {
            *slot = Some((node, size));
        }
        Ok(())
    }

    fn expects_key(&self) -> bool {
        matches!(self.stack.last(), Some(Open { body: Body::Map(map), .. }) if map.key.is_none())
    }

    fn open(&mut self, at: Span, anchor: usize, body: Body<'s>) -> Result<(), SyntaxError> {
        self.count_node(at)?;
        if self.key_at.is_none() && self.expects_key() {
            self.key_at = Some(self.stack.len());
        }
        if self.stack.len() >= MAX_DEPTH {
            return Err(too_deep(at));
        }
        self.define(anchor, at)?;
        // The value of the document's own `timeline:` key, when it is a
        // list nothing can refer to as a whole (no anchor).
        let streams = self.sink.is_some()
            && !self.streamed
            && anchor == 0
            && self.key_at.is_none()
            && matches!(body, Body::Seq(_))
            && matches!(
                self.stack.as_slice(),
                [Open { body: Body::Map(Mapping { key: Some(PendingKey { key, merge: false }), .. }), .. }]
                    if key.name == "timeline"
            );
        self.streamed |= streams;
        self.stack.push(Open {
            span: at,
            anchor,
            size: Size::OPEN,
            body,
            streams,
        });
        Ok(())
    }

    fn close(&mut self) -> Result<(), SyntaxError> {
        let Some(open) = self.stack.pop() else {
            return Ok(());
        };
        if let Some(at) = self.key_at {
            if self.stack.len() > at {
                return Ok(());
            }
            let what = match open.body {
                Body::Seq(_) => "a list",
                Body::Map(_) => "a mapping",
            };
            return Err(not_a_key(what, open.span));
        }
        let value = match open.body {
            Body::Seq(first) => Value::Seq(self.items.drain(first..).collect()),
            Body::Map(map) => {
                let own = self.entries.drain(map.first..).collect();
                Value::Map(merged(own, map.merges).into_boxed_slice())
            }
        };
        let node = Node {
            value,
            span: open.span,
        };
        if open.anchor != 0 {
            self.store(open.anchor, node.clone(), open.size)?;
        }
        self.value(node, open.size)
    }

    fn alias(&mut self, id: usize, at: Span) -> Result<(), SyntaxError> {
        self.aliases += 1;
        if self.aliases > MAX_ALIASES {
            return Err(error(
                &format!(
                    "the YAML uses more aliases (`*name`) than the alias limit of {} ({} found); write the values out instead",
                    thousands(MAX_ALIASES as u64),
                    thousands(self.aliases as u64)
                ),
                at,
            ));
        }
        if self.key_at.is_some() {
            return Ok(());
        }
        let Some((node, size)) = self.anchors.get(id).and_then(Option::as_ref) else {
            let name = self.text(at);
            return Err(error(
                &format!(
                    "the alias `{name}` refers to the value it stands in, which would never end; write the value out instead"
                ),
                at,
            ));
        };
        let size = *size;
        self.replayed = self.replayed.saturating_add(size.events);
        self.replayed_bytes = self.replayed_bytes.saturating_add(size.bytes);
        if self.replayed > MAX_REPLAYED {
            return Err(error(
                &format!(
                    "the YAML's aliases expand to more values than the alias expansion limit of {} ({} found): anchors and aliases repeated too often, as in an alias bomb; write the values out instead (this limit is fixed)",
                    thousands(MAX_REPLAYED as u64),
                    thousands(MAX_REPLAYED as u64 + 1)
                ),
                at,
            ));
        }
        if self.replayed_bytes > self.max_replayed_bytes {
            return Err(error(
                &format!(
                    "the YAML's aliases repeat more text than the alias text limit of {}: anchors on long text, repeated; write the text out instead",
                    crate::files::human_size(self.max_replayed_bytes as u64)
                ),
                at,
            ));
        }
        // The alias's value nests inside the lists and mappings open here.
        if self.stack.len() + size.height > MAX_DEPTH {
            return Err(too_deep(at));
        }
        let node = placed(node, at);
        if self.expects_key() {
            let name = match node.value {
                Value::Str(s) => s,
                Value::Null => Cow::Borrowed("null"),
                Value::Bool(b) => Cow::Borrowed(if b { "true" } else { "false" }),
                Value::Int(i) => i.to_string().into(),
                Value::Float(f) => f.to_string().into(),
                collection @ (Value::Seq(_) | Value::Map(_)) => {
                    return Err(not_a_key(collection.kind(), at));
                }
            };
            return self.key(Key { name, span: at }, false, size);
        }
        self.value(node, size)
    }

    /// A key read in the mapping on top: refused if the mapping has it.
    fn key(&mut self, key: Key<'s>, merge: bool, size: Size) -> Result<(), SyntaxError> {
        let Some(Open {
            body: Body::Map(map),
            size: open,
            ..
        }) = self.stack.last_mut()
        else {
            return Ok(());
        };
        open.add(size);
        if !merge {
            let seen = match &map.names {
                Some(names) => names.contains(&key.name),
                None => self.entries[map.first..]
                    .iter()
                    .any(|(k, _)| k.name == key.name),
            };
            if seen {
                return Err(error(
                    &format!("duplicate mapping key: {}", key.name),
                    key.span,
                ));
            }
        }
        map.key = Some(PendingKey { key, merge });
        Ok(())
    }

    /// A finished value of `size`: the document, a list item or a mapping
    /// value.
    fn value(&mut self, node: Node<'s>, size: Size) -> Result<(), SyntaxError> {
        let Some(open) = self.stack.last_mut() else {
            self.root = Some(node);
            return Ok(());
        };
        open.size.add(size);
        match &mut open.body {
            Body::Seq(_) if open.streams => {
                if let Some(kept) = self.sink.as_mut().and_then(|sink| sink(node)) {
                    self.items.push(kept);
                }
            }
            Body::Seq(_) => self.items.push(node),
            Body::Map(map) => {
                let Some(PendingKey { key, merge }) = map.key.take() else {
                    return Ok(());
                };
                if merge {
                    return merge_source(&mut map.merges, node);
                }
                if let Some(names) = &mut map.names {
                    names.insert(key.name.clone());
                } else if self.entries.len() - map.first >= LINEAR_KEYS {
                    let mut names: HashSet<Cow<'s, str>> = self.entries[map.first..]
                        .iter()
                        .map(|(k, _)| k.name.clone())
                        .collect();
                    names.insert(key.name.clone());
                    map.names = Some(names);
                }
                self.entries.push((key, node));
            }
        }
        Ok(())
    }

    /// The source text at `at`, for naming an alias.
    fn text(&self, at: Span) -> String {
        let line = self.source.lines().nth(at.line as usize - 1).unwrap_or("");
        line.chars()
            .skip(at.column as usize - 1)
            .take(at.len as usize)
            .collect()
    }

    fn scan_error(&self, err: &ScanError) -> SyntaxError {
        let mark = err.marker();
        let at = Span {
            line: u32::try_from(mark.line()).unwrap_or(u32::MAX).max(1),
            column: u32::try_from(mark.col() + 1).unwrap_or(u32::MAX),
            len: 1,
        };
        let mut at = at;
        let message = match err.kind() {
            ErrorKind::UnknownAnchor => {
                let name = self.alias_at(mark.index());
                at.len = u32::try_from(name.chars().count()).unwrap_or(1);
                format!(
                    "the alias `{name}` names no anchor: define it (`&{}`) before the alias",
                    name.trim_start_matches('*')
                )
            }
            ErrorKind::MultipleDocumentsUnsupported => {
                "a postmortem is one YAML document, but `---` starts another".to_owned()
            }
            _ => {
                let info = err.info();
                let first = info.lines().next().unwrap_or("").trim();
                if first.contains("recursion limit") || first.contains("nesting limit") {
                    too_deep(at).message
                } else {
                    first.to_owned()
                }
            }
        };
        error(&message, at)
    }

    /// The alias (`*name`) that starts at character `index`.
    fn alias_at(&self, index: usize) -> String {
        let rest: String = self.source.chars().skip(index).take(200).collect();
        let name: String = rest
            .chars()
            .enumerate()
            .take_while(|&(i, c)| {
                (i == 0 && c == '*') || !(c.is_whitespace() || ",[]{}".contains(c))
            })
            .map(|(_, c)| c)
            .collect();
        if name.len() > 1 { name } else { "*".to_owned() }
    }
}

/// A core tag on a list or mapping must be its own (`!!seq`, `!!map`); a
/// custom one, or a name YAML does not define, is ignored.
fn collection_tag(
    tag: Option<&granit_parser::Tag>,
    own: &str,
    what: &str,
    at: Span,
) -> Result<(), SyntaxError> {
    match tag.and_then(scalar::core_suffix) {
        Some(suffix) if suffix != own && scalar::is_known_core(&suffix) => Err(error(
            &format!("a `!!{suffix}` tag cannot stand on a {what}; remove the tag"),
            at,
        )),
        _ => Ok(()),
    }
}

/// A `<<` value: a mapping, a list of mappings (and nothings), or nothing.
fn merge_source<'s>(merges: &mut Vec<Node<'s>>, node: Node<'s>) -> Result<(), SyntaxError> {
    let refused = |at: Span| {
        error(
            "a merge key (`<<`) takes a mapping, or a list of mappings, to merge in",
            at,
        )
    };
    match node.value {
        Value::Null => Ok(()),
        Value::Map(_) => {
            merges.push(node);
            Ok(())
        }
        Value::Seq(items) => {
            for item in items {
                match item.value {
                    Value::Map(_) => merges.push(item),
                    Value::Null => {}
                    _ => return Err(refused(item.span)),
                }
            }
            Ok(())
        }
        _ => Err(refused(node.span)),
    }
}

/// A mapping's own entries, then each merged entry whose key it does not
/// have, in order, placed at what it was merged from.
fn merged<'s>(
    mut entries: Vec<(Key<'s>, Node<'s>)>,
    sources: Vec<Node<'s>>,
) -> Vec<(Key<'s>, Node<'s>)> {
    if sources.is_empty() {
        return entries;
    }
    let mut names: HashSet<Cow<'_, str>> = entries.iter().map(|(k, _)| k.name.clone()).collect();
    for source in sources {
        let at = source.span;
        let Value::Map(merged) = source.value else {
            continue;
        };
        for (key, value) in merged {
            if names.insert(key.name.clone()) {
                entries.push((
                    Key {
                        name: key.name,
                        span: at,
                    },
                    placed(&value, at),
                ));
            }
        }
    }
    entries
}

/// A copy of `node` with every part of it at `at`.
fn placed<'s>(node: &Node<'s>, at: Span) -> Node<'s> {
    let value = match &node.value {
        Value::Seq(items) => Value::Seq(items.iter().map(|n| placed(n, at)).collect()),
        Value::Map(entries) => Value::Map(
            entries
                .iter()
                .map(|(k, v)| {
                    (
                        Key {
                            name: k.name.clone(),
                            span: at,
                        },
                        placed(v, at),
                    )
                })
                .collect(),
        ),
        other => other.clone(),
    };
    Node { value, span: at }
}

fn too_deep(at: Span) -> SyntaxError {
    error(
        &format!("the YAML nests deeper than {MAX_DEPTH} levels"),
        at,
    )
}

/// A list or mapping (`what`, as [`Value::kind`] says it) where a key is.
fn not_a_key(what: &str, at: Span) -> SyntaxError {
    error(&format!("a key must be text, but this is {what}"), at)
}

fn error(message: &str, span: Span) -> SyntaxError {
    SyntaxError {
        message: message.to_owned(),
        span,
    }
}

fn span_of(span: &ParserSpan) -> Span {
    Span {
        line: u32::try_from(span.start.line()).unwrap_or(u32::MAX).max(1),
        column: u32::try_from(span.start.col() + 1).unwrap_or(u32::MAX),
        len: u32::try_from(span.len()).unwrap_or(0),
    }
}
