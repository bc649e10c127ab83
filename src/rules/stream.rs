//! A timeline read an item at a time (`yaml::parse_streaming`): each item
//! is decoded as soon as it is read, and stays in the tree only when a rule
//! that reads the tree could find something in it: a placeholder, a blame
//! phrase, a date in its prose, an unknown `kind`. Of the items it lets go,
//! it keeps only what those rules still need: their prose's word count and
//! where each item starts. The verdict is the one the whole tree gives
//! (`tests/streaming.rs` compares the two on every fixture).

use super::{FileScans, Settings, content, dates, writing};
use crate::diagnostic::Diagnostic;
use crate::incident::{self, EntryKind, StreamedTimeline};
use crate::source::Source;
use crate::yaml::{Node, Value};

/// What the rules need of the items that are not in the tree.
#[derive(Debug, Default)]
pub struct Dropped {
    /// The words of their prose, when the team bounds the word count.
    pub words: usize,
    /// Where each starts, in bytes: a scalar's text as written ends where
    /// the next node starts (`writing::node_starts`).
    pub starts: Vec<u32>,
}

/// Takes a timeline's items as they are read.
pub struct Items<'a> {
    source: &'a Source,
    counting: bool,
    timeline: StreamedTimeline,
    dropped: Dropped,
    scans: FileScans,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Items<'a> {
    pub fn new(source: &'a Source, settings: &Settings) -> Self {
        Items {
            source,
            counting: settings.words.is_some(),
            timeline: StreamedTimeline::default(),
            dropped: Dropped::default(),
            scans: FileScans::default(),
            diagnostics: Vec::new(),
        }
    }

    /// Decodes an item, and gives it back when the tree must keep it.
    pub fn take<'s>(&mut self, item: Node<'s>) -> Option<Node<'s>> {
        self.timeline.items += 1;
        if let Some(entry) = incident::decode_entry(&item, self.source, &mut self.diagnostics) {
            self.timeline.entries.push(entry);
        }
        if self.matters(&item) {
            return Some(item);
        }
        // A file of 4 GiB or more keeps its items (never taken), before
        // their words are counted here: the tree's walk counts them then.
        let Ok(start) = u32::try_from(self.source.byte_range(item.span).start) else {
            return Some(item);
        };
        self.dropped.starts.push(start);
        if self.counting {
            incident::format::each_item_prose(&item, &mut |text| {
                self.dropped.words += writing::word_count(text.value);
            });
        }
        None
    }

    /// Whether a rule over the tree could find something in the item.
    fn matters(&self, item: &Node) -> bool {
        let text = &self.source.text;
        let triggers = self.scans.triggers(text);
        let mut found = false;
        if self.scans.placeholders(text) {
            content::visit_text(item, &mut |_, text| {
                found |= incident::find_placeholder(text).is_some();
            });
        }
        incident::format::each_item_prose(item, &mut |text| {
            found = found
                || !writing::find_blame(text.value, triggers).is_empty()
                || dates::mentions_a_date(text.value);
        });
        found || has_unknown_kind(item)
    }

    /// The timeline for the decoder, what the rules need of the items let
    /// go, the passes over the file made so far, and what decoding the
    /// items found (as a draft's: see [`incident::missing_is_error`]).
    pub fn finish(self) -> (StreamedTimeline, Dropped, FileScans, Vec<Diagnostic>) {
        (self.timeline, self.dropped, self.scans, self.diagnostics)
    }
}

/// An entry whose `kind` is text but not one of the kinds.
pub(super) fn has_unknown_kind(item: &Node) -> bool {
    match &item.value {
        Value::Map(entries) => entries.iter().any(|(key, value)| {
            key.name == "kind"
                && matches!(&value.value, Value::Str(kind) if EntryKind::from_name(kind).is_none())
        }),
        _ => false,
    }
}
