//! Completion: the keys valid where the cursor is, the values of the
//! fields that take a name, and zone names, canonical only, the
//! document's zone and the repository's first.
//!
//! It reads the lines around the cursor, not the YAML tree: a buffer being
//! typed into seldom parses.

use super::adapter::{CANONICAL_ZONES, format, is_canonical_zone, keys};
use super::position::{Encoding, LineIndex};
use super::workspace::Workspace;
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionList, CompletionTextEdit, Position, Range,
    TextEdit,
};
use std::path::Path;

pub struct Context<'a> {
    pub text: &'a str,
    pub encoding: Encoding,
    /// The team's severities (pm.toml), offered for `severity`.
    pub severities: Option<&'a [String]>,
    pub workspace: &'a mut Workspace,
    pub path: Option<&'a Path>,
}

/// A line of YAML as far as completion cares: where its key starts, the
/// key, and whether it opens a list item.
#[derive(Debug, PartialEq)]
struct Line<'t> {
    /// The column of the key (after any `- `), in bytes.
    column: usize,
    key: Option<&'t str>,
    item: bool,
}

fn read_line(line: &str) -> Option<Line<'_>> {
    let trimmed = line.trim_start();
    if trimmed.is_empty() || trimmed.starts_with('#') {
        return None;
    }
    let mut column = line.len() - trimmed.len();
    let mut rest = trimmed;
    let mut item = false;
    while let Some(after) = rest
        .strip_prefix('-')
        .filter(|a| a.is_empty() || a.starts_with(' '))
    {
        let after_blanks = after.trim_start();
        column += rest.len() - after_blanks.len();
        rest = after_blanks;
        item = true;
    }
    let key = rest
        .split_once(':')
        .map(|(key, _)| key.trim())
        .filter(|key| {
            !key.is_empty() && !key.contains(' ') && !key.starts_with(['"', '\'', '{', '['])
        });
    Some(Line { column, key, item })
}

/// The key of the mapping that holds a key at `column`, reading upward
/// from the line before the cursor's.
fn parent<'t>(above: &[&'t str], column: usize) -> Option<&'t str> {
    above
        .iter()
        .rev()
        .filter_map(|l| read_line(l))
        .find_map(|line| (line.column < column && line.key.is_some()).then_some(line.key))?
}

/// The keys already written in the mapping the cursor is in.
fn siblings<'t>(above: &[&'t str], below: &[&'t str], column: usize, item: bool) -> Vec<&'t str> {
    let mut found = Vec::new();
    for line in above.iter().rev().filter_map(|l| read_line(l)) {
        if line.column < column {
            break;
        }
        if line.column == column {
            found.extend(line.key);
            if line.item {
                break;
            }
        }
    }
    if !item {
        for line in below.iter().filter_map(|l| read_line(l)) {
            if line.column < column || (line.column == column && line.item) {
                break;
            }
            if line.column == column {
                found.extend(line.key);
            }
        }
    }
    found
}

/// The section of the format at a parent key, from the field table.
fn section(parent: Option<&str>) -> Option<&'static format::Section> {
    match parent {
        None => Some(&format::DOCUMENT),
        Some(name) => format::DOCUMENT
            .field(name)
            .and_then(format::Field::section),
    }
}

fn section_keys(parent: Option<&str>) -> Vec<&'static str> {
    section(parent).map(keys::of).unwrap_or_default()
}

pub fn complete(mut context: Context, at: Position) -> CompletionList {
    let index = LineIndex::new(context.text, context.encoding);
    let offset = index.offset(at);
    let text = context.text;
    let line_start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line_end = text[offset..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| offset + i);
    let before = &text[line_start..offset];
    let lines: Vec<&str> = text.lines().collect();
    let line_number = text[..line_start].lines().count().min(lines.len());
    let above = &lines[..line_number];
    let below = lines.get(line_number + 1..).unwrap_or_default();

    // The key being typed, or the key whose value is.
    let current = read_line(&text[line_start..line_end]);
    let column = current.as_ref().map_or(before.len(), |line| line.column);
    let item = current.as_ref().is_some_and(|line| line.item);
    let typed = before.get(column..).unwrap_or_default();
    let items = if let Some((key, value)) = typed.split_once(':') {
        let value_start = offset - value.trim_start().len();
        let range = Range::new(index.position(value_start), at);
        let prefix = value.trim_start().trim_start_matches(['"', '\'']);
        let parent = parent(above, column);
        values(&mut context, key.trim(), parent, prefix, range)
    } else if typed.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        let parent = parent(above, column);
        let present = siblings(above, below, column, item);
        let range = Range::new(index.position(line_start + column.min(before.len())), at);
        section_keys(parent)
            .iter()
            .filter(|key| !present.contains(key) && key.starts_with(typed))
            .enumerate()
            .map(|(rank, key)| CompletionItem {
                label: (*key).to_owned(),
                kind: Some(CompletionItemKind::FIELD),
                detail: super::hover::description(&path(parent, key))
                    .map(|d| d.split(". ").next().unwrap_or(&d).to_owned()),
                sort_text: Some(format!("{rank:03}")),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                    range,
                    format!("{key}: "),
                ))),
                ..CompletionItem::default()
            })
            .collect()
    } else {
        Vec::new()
    };
    CompletionList {
        is_incomplete: false,
        items,
    }
}

fn path(parent: Option<&str>, key: &str) -> Vec<String> {
    parent
        .into_iter()
        .chain(std::iter::once(key))
        .map(str::to_owned)
        .collect()
}

fn values(
    context: &mut Context,
    key: &str,
    parent: Option<&str>,
    prefix: &str,
    range: Range,
) -> Vec<CompletionItem> {
    // A choice's names and a flag's values come from the field table.
    let shape = section(parent).and_then(|s| s.field(key)).map(|f| f.shape);
    let names: Vec<String> = match (parent, key, shape) {
        (_, _, Some(format::Shape::Choice(names))) => strings(names),
        (_, _, Some(format::Shape::Flag)) => strings(&["true", "false"]),
        (None, "severity", _) => context
            .severities
            .map(<[String]>::to_vec)
            .unwrap_or_default(),
        (None, "timezone", _) => return zones(context, prefix, range),
        _ => Vec::new(),
    };
    names
        .into_iter()
        .filter(|name| name.starts_with(prefix))
        .enumerate()
        .map(|(rank, name)| CompletionItem {
            kind: Some(CompletionItemKind::ENUM_MEMBER),
            sort_text: Some(format!("{rank:03}")),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(range, name.clone()))),
            label: name,
            ..CompletionItem::default()
        })
        .collect()
}

fn strings(names: &[&str]) -> Vec<String> {
    names.iter().map(|&n| n.to_owned()).collect()
}

/// Canonical zones: the document's own, then those the repository uses
/// (most used first), then the rest alphabetically.
fn zones(context: &mut Context, prefix: &str, range: Range) -> Vec<CompletionItem> {
    let own = context
        .text
        .lines()
        .find_map(|line| line.strip_prefix("timezone:"))
        .map(|v| {
            v.split(" #")
                .next()
                .unwrap_or(v)
                .trim()
                .trim_matches(['"', '\''])
        })
        .filter(|zone| is_canonical_zone(zone));
    let dir = context.path.and_then(Path::parent);
    let used = context.workspace.zones(dir);
    let lower = prefix.to_ascii_lowercase();
    let mut items: Vec<(u8, usize, &str)> = CANONICAL_ZONES
        .iter()
        .filter(|zone| zone.to_ascii_lowercase().contains(&lower))
        .map(|&zone| {
            if Some(zone) == own {
                (0, 0, zone)
            } else if let Some(rank) = used.iter().position(|&u| u == zone) {
                (1, rank, zone)
            } else {
                (2, 0, zone)
            }
        })
        .collect();
    items.sort_unstable();
    items
        .into_iter()
        .enumerate()
        .map(|(rank, (group, _, zone))| CompletionItem {
            label: zone.to_owned(),
            kind: Some(CompletionItemKind::VALUE),
            detail: match group {
                0 => Some("this document's zone".to_owned()),
                1 => Some("used in this repository".to_owned()),
                _ => None,
            },
            sort_text: Some(format!("{rank:04}")),
            filter_text: Some(zone.to_owned()),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                range,
                zone.to_owned(),
            ))),
            ..CompletionItem::default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_read_as_keys_and_items() {
        assert_eq!(
            read_line("  - at: 16:00"),
            Some(Line {
                column: 4,
                key: Some("at"),
                item: true
            })
        );
        assert_eq!(
            read_line("    kind"),
            Some(Line {
                column: 4,
                key: None,
                item: false
            })
        );
        assert_eq!(read_line("# note"), None);
        assert_eq!(
            read_line("text: \"a: b\""),
            Some(Line {
                column: 0,
                key: Some("text"),
                item: false
            })
        );
    }
}
