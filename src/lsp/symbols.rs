//! The outline: the sections of a postmortem, and its timeline entries
//! named by time and kind.

use super::adapter::{Key, Node, Span, Value, normalised, parse_yaml};
use super::position::{Encoding, LineIndex};
use lsp_types::{DocumentSymbol, DocumentSymbolResponse, Range, SymbolKind};

/// A buffer that does not parse has no outline (the client keeps showing
/// the last one).
pub fn outline(text: &str, encoding: Encoding) -> DocumentSymbolResponse {
    let text = normalised(text);
    let index = LineIndex::new(&text, encoding);
    let symbols = match parse_yaml(index.text()) {
        Ok(Node {
            value: Value::Map(entries),
            ..
        }) => entries
            .iter()
            .map(|(key, node)| section(key, node, &index))
            .collect(),
        _ => Vec::new(),
    };
    DocumentSymbolResponse::Nested(symbols)
}

#[allow(deprecated)] // `deprecated` is a field every DocumentSymbol must have
fn symbol(
    name: String,
    detail: Option<String>,
    kind: SymbolKind,
    range: Range,
    selection: Range,
    children: Option<Vec<DocumentSymbol>>,
) -> DocumentSymbol {
    DocumentSymbol {
        name,
        detail,
        kind,
        tags: None,
        deprecated: None,
        range,
        selection_range: selection,
        children,
    }
}

fn section(key: &Key, node: &Node, index: &LineIndex) -> DocumentSymbol {
    let selection = index.range(key.span);
    let range = Range::new(selection.start, end(node, index).max(selection.end));
    let (kind, children) = match &node.value {
        Value::Map(_) => (SymbolKind::NAMESPACE, None),
        Value::Seq(items) if key.name == "timeline" => (
            SymbolKind::ARRAY,
            Some(items.iter().filter_map(|item| entry(item, index)).collect()),
        ),
        Value::Seq(items) if key.name == "tasks" => (
            SymbolKind::ARRAY,
            Some(items.iter().filter_map(|item| task(item, index)).collect()),
        ),
        Value::Seq(_) => (SymbolKind::ARRAY, None),
        _ => (SymbolKind::FIELD, None),
    };
    let detail = match &node.value {
        Value::Str(text)
            if key.name == "title" || key.name == "timezone" || key.name == "status" =>
        {
            Some(text.to_string())
        }
        _ => None,
    };
    symbol(
        key.name.to_string(),
        detail,
        kind,
        range,
        selection,
        children,
    )
}

/// "16:05 detected" for an entry, with its text as the detail.
fn entry(node: &Node, index: &LineIndex) -> Option<DocumentSymbol> {
    let Value::Map(fields) = &node.value else {
        return None;
    };
    let (first, _) = fields.first()?;
    let get = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k.name == name)
            .map(|(_, v)| match &v.value {
                Value::Str(text) => text.trim().to_owned(),
                _ => index_slice(index, v.span),
            })
    };
    let at = get("at").unwrap_or_else(|| "?".to_owned());
    let kind = get("kind").unwrap_or_else(|| "action".to_owned());
    let text = get("text").map(|t| {
        let line = t.lines().next().unwrap_or_default();
        let short: String = line.chars().take(60).collect();
        if short.len() < line.len() {
            format!("{short}…")
        } else {
            short
        }
    });
    let selection = index.range(first.span);
    let range = Range::new(selection.start, end(node, index).max(selection.end));
    Some(symbol(
        format!("{at} {kind}"),
        text,
        SymbolKind::EVENT,
        range,
        selection,
        None,
    ))
}

/// A task named by its text, with its owner and due date as the detail.
fn task(node: &Node, index: &LineIndex) -> Option<DocumentSymbol> {
    let Value::Map(fields) = &node.value else {
        return None;
    };
    let (first, _) = fields.first()?;
    let get = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k.name == name)
            .map(|(_, v)| index_slice(index, v.span))
            .filter(|text| !text.is_empty())
    };
    let text = get("text").map_or_else(|| "task".to_owned(), |t| short(&t));
    let detail = [get("owner"), get("due")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
    let selection = index.range(first.span);
    let range = Range::new(selection.start, end(node, index).max(selection.end));
    Some(symbol(
        text,
        (!detail.is_empty()).then_some(detail),
        SymbolKind::OBJECT,
        range,
        selection,
        None,
    ))
}

/// The first line of a text, at most 60 characters.
fn short(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default().trim();
    let cut: String = line.chars().take(60).collect();
    if cut.len() < line.len() {
        format!("{cut}…")
    } else {
        cut
    }
}

fn index_slice(index: &LineIndex, span: Span) -> String {
    let (start, end) = index.span_bytes(span);
    index.text()[start..end].trim().to_owned()
}

/// Where a value ends: its last scalar's end.
fn end(node: &Node, index: &LineIndex) -> lsp_types::Position {
    match &node.value {
        Value::Map(entries) => entries
            .iter()
            .map(|(key, value)| end(value, index).max(index.range(key.span).end))
            .max(),
        Value::Seq(items) => items.iter().map(|item| end(item, index)).max(),
        _ => None,
    }
    .unwrap_or_else(|| index.range(node.span).end)
}
