//! From the YAML tree to the typed incident, reporting every structural
//! problem (unknown keys, missing sections, wrong types) along the way.

use super::format::{self, Required, Section, Shape};
use super::model::{
    Affected, AsWritten, Decoded, Detection, Entry, EntryKind, Factor, FactorKind, Lessons, Link,
    Measure, MeasureKind, Note, Person, Sp, Status, Summary, Task, TaskKind, Texts,
};
use super::placeholder::is_placeholder;
use super::structure::{INVALID_VALUE, MISSING_FIELD, UNKNOWN_FIELD};
use crate::diagnostic::{Diagnostic, Fix, Span};
use crate::source::{Shared, Source};
use crate::suggest;
use crate::yaml::{Key, Node, Value};
use chrono::NaiveDate;
use std::borrow::Cow;

/// The keys of each mapping in the format, in the order of the contract:
/// the field table's (`format`), under the names the decoder uses.
pub mod keys {
    use super::format::{DOCUMENT, ENTRY, LESSONS, MEASURE, SUMMARY, Section, TASK};

    pub fn of(section: &'static Section) -> Vec<&'static str> {
        section.keys().collect()
    }

    pub fn top() -> Vec<&'static str> {
        of(&DOCUMENT)
    }

    pub fn summary() -> Vec<&'static str> {
        of(&SUMMARY)
    }

    pub fn entry() -> Vec<&'static str> {
        of(&ENTRY)
    }

    pub fn measure() -> Vec<&'static str> {
        of(&MEASURE)
    }

    pub fn task() -> Vec<&'static str> {
        of(&TASK)
    }

    pub fn lessons() -> Vec<&'static str> {
        of(&LESSONS)
    }
}

/// Decodes a parsed document. Findings go to `out`.
pub fn decode(root: &Node, source: &Source, out: &mut Vec<Diagnostic>) -> Decoded {
    decode_streamed(root, source, out, None)
}

/// A timeline decoded an item at a time, as `yaml::parse_streaming` read
/// it: the entries, and how many items the list had (an item that is not a
/// mapping is no entry).
#[derive(Debug, Default)]
pub struct StreamedTimeline {
    pub entries: Vec<Entry<AsWritten>>,
    pub items: usize,
}

/// [`decode`] of a tree whose timeline was streamed: `timeline` stands for
/// the items of its `timeline` list, which are not decoded again.
pub fn decode_streamed(
    root: &Node,
    source: &Source,
    out: &mut Vec<Diagnostic>,
    timeline: Option<StreamedTimeline>,
) -> Decoded {
    let mut decoder = Decoder {
        source,
        out,
        draft: true,
        streamed: timeline,
    };
    decoder.incident(root)
}

/// Decodes one timeline item, as a draft's: a missing `at` or `text` is a
/// warning, which the caller makes an error once the status is known not
/// to be `draft` (see [`missing_is_error`]).
pub fn decode_entry(
    item: &Node,
    source: &Source,
    out: &mut Vec<Diagnostic>,
) -> Option<Entry<AsWritten>> {
    let mut decoder = Decoder {
        source,
        out,
        draft: true,
        streamed: None,
    };
    decoder.entry(item)
}

/// What [`decode_entry`] reported as a draft's, at the severity of a
/// document that is not a draft: what a timeline item lacks is an error.
/// (An entry's fields are required or not, never "outside a draft": a
/// test of the table keeps it so, since a draft's decoding would not
/// report those at all.)
pub fn missing_is_error(diagnostics: &mut [Diagnostic]) {
    let Some(severity) = Required::Yes.severity(false) else {
        return;
    };
    for d in diagnostics
        .iter_mut()
        .filter(|d| d.rule.id == MISSING_FIELD.id)
    {
        d.severity = severity;
    }
}

struct Decoder<'a> {
    source: &'a Source,
    out: &'a mut Vec<Diagnostic>,
    /// In a draft, what is missing is a warning, not an error.
    draft: bool,
    /// The timeline, when its items were decoded as they were read.
    streamed: Option<StreamedTimeline>,
}

/// A mapping's entries by name, after unknown keys were reported.
struct Fields<'n> {
    entries: Vec<(&'n Key<'n>, &'n Node<'n>)>,
    /// Where findings about what the mapping lacks point: the key that
    /// holds it, or its first key.
    span: Span,
    /// The section it is, or is an item of.
    section: &'static Section,
}

impl<'n> Fields<'n> {
    /// The value of a key, if present and not null.
    fn get(&self, name: &str) -> Option<&'n Node<'n>> {
        self.entries
            .iter()
            .find(|(key, _)| key.name == name)
            .map(|(_, node)| *node)
            .filter(|node| node.value != Value::Null)
    }

    /// Where a key is written, if it is.
    fn key_span(&self, name: &str) -> Option<Span> {
        self.entries
            .iter()
            .find(|(key, _)| key.name == name)
            .map(|(key, _)| key.span)
    }
}

impl Decoder<'_> {
    fn report(&mut self, diagnostic: Diagnostic) {
        self.out.push(diagnostic);
    }

    fn incident(&mut self, root: &Node) -> Decoded {
        let mut incident = Decoded::default();
        let Some(fields) = self.fields(root, &format::DOCUMENT) else {
            return incident;
        };
        // Status first: it decides how strict the rest is.
        if let Some(node) = fields.get("status")
            && let Some(status) = self.name(node, Status::NAMES, "status", Status::from_name)
        {
            incident.status = status.value;
        }
        self.draft = incident.status == Status::Draft;

        incident.texts = self.texts(&fields);
        incident.authors = fields
            .get("authors")
            .map(|n| self.text_list(n, "authors"))
            .unwrap_or_default();
        incident.timezone = self.required_text(&fields, "timezone");
        incident.summary = self.summary(&fields);
        incident.timeline = self.timeline(&fields);
        incident.measures = self.measures(&fields);
        incident.tags = fields.get("tags").map(|n| self.tags(n)).unwrap_or_default();
        incident.contributing_factors = self.factors(&fields);
        incident.links = self.links(&fields);
        incident.people = self.people(&fields);
        incident.notes = self.notes(&fields);
        incident.tasks = self.tasks(&fields);
        incident.lessons = fields.get("lessons").and_then(|n| self.lessons(n));
        incident
    }

    fn summary(&mut self, top: &Fields) -> Summary<AsWritten> {
        let Some(node) = self.required(top, "summary") else {
            return Summary::default();
        };
        let Some(mut fields) = self.fields(node, &format::SUMMARY) else {
            return Summary::default();
        };
        // What the summary lacks is reported at `summary:`, not at its first field.
        fields.span = top.key_span("summary").unwrap_or(fields.span);
        let texts = self.texts(&fields);
        let start = self
            .required(&fields, "start")
            .and_then(|n| self.time(n, "summary.start"));
        let end = self
            .required(&fields, "end")
            .and_then(|n| self.time(n, "summary.end"));
        let duration = fields.get("duration").and_then(|n| self.duration(n));
        let affected = self
            .required(&fields, "affected")
            .and_then(|n| self.affected(n));
        Summary {
            span: Some(fields.span),
            texts,
            start,
            end,
            duration,
            affected,
        }
    }

    fn timeline(&mut self, top: &Fields) -> Vec<Entry<AsWritten>> {
        let Some(node) = self.required(top, "timeline") else {
            return Vec::new();
        };
        let Some(items) = self.list(node, "timeline") else {
            return Vec::new();
        };
        let streamed = self.streamed.take();
        if streamed.as_ref().map_or(items.len(), |s| s.items) == 0 {
            self.missing_in(node.span, top.section, "timeline");
        }
        if let Some(streamed) = streamed {
            return streamed.entries;
        }
        // Sized up front: a filter_map collects by doubling, which for a
        // long timeline kept up to twice its size.
        let mut entries = Vec::with_capacity(items.len());
        entries.extend(items.iter().filter_map(|item| self.entry(item)));
        entries
    }

    fn entry(&mut self, node: &Node) -> Option<Entry<AsWritten>> {
        let fields = self.fields(node, &format::ENTRY)?;
        // An unknown kind is reported, and the entry still takes part in
        // the timeline checks as a plain action.
        let written_kind = fields.get("kind");
        let known_kind = written_kind
            .and_then(|node| self.name(node, EntryKind::NAMES, "kind", EntryKind::from_name));
        // With the kind itself wrong, `how` and `to` cannot be judged.
        let kind_is_wrong = written_kind.is_some() && known_kind.is_none();
        let kind = known_kind.unwrap_or(Sp::new(EntryKind::Action, fields.span));
        let how = fields
            .get("how")
            .and_then(|n| self.name(n, Detection::NAMES, "how", Detection::from_name));
        if let Some(how) = &how
            && !kind_is_wrong
            && kind.value != EntryKind::Detected
        {
            self.report(
                Diagnostic::new(
                    &INVALID_VALUE,
                    how.span,
                    "`how` applies only to `detected` entries",
                )
                .help("set `kind: detected`, or remove `how`"),
            );
        }
        let to = fields.get("to").and_then(|n| self.text(n, "to"));
        if let Some(to) = &to
            && !kind_is_wrong
            && kind.value != EntryKind::Escalated
        {
            self.report(
                Diagnostic::new(
                    &INVALID_VALUE,
                    to.span,
                    "`to` applies only to `escalated` entries",
                )
                .help("set `kind: escalated`, or remove `to`"),
            );
        }
        Some(Entry {
            span: fields.span,
            at: self
                .required(&fields, "at")
                .and_then(|n| self.time(n, "at")),
            kind,
            how,
            to: to.map(Box::new),
            text: self
                .required_text_ref(&fields, "text")
                .map(|text| self.shared(text)),
            by: fields
                .get("by")
                .and_then(|n| self.text(n, "by"))
                .map(Box::new),
            url: fields
                .get("url")
                .and_then(|n| self.url(n, "url"))
                .map(Box::new),
        })
    }

    fn measures(&mut self, top: &Fields) -> Vec<Measure> {
        let Some(node) = self.required(top, "measures") else {
            return Vec::new();
        };
        let Some(items) = self.list(node, "measures") else {
            return Vec::new();
        };
        if items.is_empty() {
            self.missing_in(node.span, top.section, "measures");
        }
        let mut measures = Vec::new();
        for item in items {
            if let Value::Map(_) = item.value {
                let Some(fields) = self.fields(item, &format::MEASURE) else {
                    continue;
                };
                let kind = fields
                    .get("kind")
                    .and_then(|n| self.name(n, MeasureKind::NAMES, "kind", MeasureKind::from_name));
                if let Some(text) = self.required_text(&fields, "text") {
                    measures.push(Measure { kind, text });
                }
            } else if let Some(text) = self.text(item, "a measure") {
                measures.push(Measure { kind: None, text });
            }
        }
        measures
    }

    fn tasks(&mut self, top: &Fields) -> Vec<Task> {
        let Some(node) = self.required(top, "tasks") else {
            return Vec::new();
        };
        let Some(items) = self.list(node, "tasks") else {
            return Vec::new();
        };
        if items.is_empty() {
            self.missing_in(node.span, top.section, "tasks");
        }
        let mut tasks = Vec::new();
        for item in items {
            let Some(fields) = self.fields(item, &format::TASK) else {
                continue;
            };
            tasks.push(Task {
                span: fields.span,
                text: self.required_text(&fields, "text"),
                owner: fields.get("owner").and_then(|n| self.text(n, "owner")),
                due: fields.get("due").and_then(|n| self.date(n)),
                done: fields.get("done").is_some_and(|n| self.boolean(n, "done")),
                kind: fields
                    .get("kind")
                    .and_then(|n| self.name(n, TaskKind::NAMES, "kind", TaskKind::from_name)),
                ticket: fields.get("ticket").and_then(|n| self.ticket(n)),
            });
        }
        tasks
    }

    /// The items of an optional list of mappings, each as its fields.
    fn items<'n>(&mut self, top: &Fields<'n>, name: &str) -> Vec<Fields<'n>> {
        let Some(node) = top.get(name) else {
            return Vec::new();
        };
        let Some(section) = top.section.field(name).and_then(format::Field::section) else {
            return Vec::new();
        };
        let Some(items) = self.list(node, name) else {
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|item| self.fields(item, section))
            .collect()
    }

    fn factors(&mut self, top: &Fields) -> Vec<Factor> {
        let Some(node) = top.get("contributing_factors") else {
            return Vec::new();
        };
        let Some(items) = self.list(node, "contributing_factors") else {
            return Vec::new();
        };
        let mut factors = Vec::new();
        for item in items {
            if let Value::Map(_) = item.value {
                let Some(fields) = self.fields(item, &format::FACTOR) else {
                    continue;
                };
                let kind = fields
                    .get("kind")
                    .and_then(|n| self.name(n, FactorKind::NAMES, "kind", FactorKind::from_name));
                if let Some(text) = self.required_text(&fields, "text") {
                    factors.push(Factor { text, kind });
                }
            } else if let Some(text) = self.text(item, "a contributing factor") {
                factors.push(Factor { text, kind: None });
            }
        }
        factors
    }

    fn links(&mut self, top: &Fields) -> Vec<Link> {
        let mut links = Vec::new();
        for fields in self.items(top, "links") {
            let label = fields.get("label").and_then(|n| self.text(n, "label"));
            if let Some(url) = self
                .required(&fields, "url")
                .and_then(|n| self.url(n, "url"))
            {
                links.push(Link { label, url });
            }
        }
        links
    }

    fn people(&mut self, top: &Fields) -> Vec<Person> {
        let mut people = Vec::new();
        for fields in self.items(top, "people") {
            let role = fields.get("role").and_then(|n| self.text(n, "role"));
            if let Some(name) = self.required_text(&fields, "name") {
                people.push(Person { name, role });
            }
        }
        people
    }

    fn notes(&mut self, top: &Fields) -> Vec<Note> {
        let mut notes = Vec::new();
        for fields in self.items(top, "notes") {
            let heading = self.required_text(&fields, "heading");
            let text = self.required_text(&fields, "text");
            notes.push(Note { heading, text });
        }
        notes
    }

    /// Lowercase labels: `Database` is reported with its lowercase form.
    fn tags(&mut self, node: &Node) -> Vec<Sp<String>> {
        let tags = self.text_list(node, "tags");
        for tag in &tags {
            let label = tag.value.trim();
            let valid = !label.is_empty()
                && label.chars().all(|c| {
                    c.is_lowercase() || c.is_numeric() || matches!(c, '-' | '_' | '.' | '/')
                });
            if valid {
                continue;
            }
            let lower: String = label
                .to_lowercase()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join("-");
            let mut diagnostic = Diagnostic::new(
                &INVALID_VALUE,
                tag.span,
                format!("`{label}` is not a tag: tags are lowercase labels"),
            );
            if !lower.is_empty()
                && lower.chars().all(|c| {
                    c.is_lowercase() || c.is_numeric() || matches!(c, '-' | '_' | '.' | '/')
                })
            {
                diagnostic = diagnostic
                    .help(format!("write `{lower}`"))
                    .fix(crate::diagnostic::Fix::safe(tag.span, lower));
            } else {
                diagnostic = diagnostic.help(
                    "write a lowercase label of letters, digits and `-`, such as `config-change`",
                );
            }
            self.report(diagnostic);
        }
        tags
    }

    /// An absolute `http(s)` URL.
    fn url(&mut self, node: &Node, what: &str) -> Option<Sp<String>> {
        if holds_placeholder(node) {
            return None;
        }
        let text = self.text(node, what)?;
        if is_web_url(&text.value) {
            return Some(text);
        }
        self.report(
            Diagnostic::new(
                &INVALID_VALUE,
                text.span,
                format!(
                    "`{}` is not an absolute http or https URL",
                    text.value.trim()
                ),
            )
            .help("write the whole address, starting with `https://`"),
        );
        None
    }

    /// An issue key (`OPS-1234`, any text without a scheme) or an `http(s)` URL.
    fn ticket(&mut self, node: &Node) -> Option<Sp<String>> {
        if holds_placeholder(node) {
            return None;
        }
        let text = self.text(node, "ticket")?;
        let value = text.value.trim();
        if value.contains("://") && !is_web_url(value) {
            self.report(
                Diagnostic::new(
                    &INVALID_VALUE,
                    text.span,
                    format!("`{value}` is not an issue key or an http or https URL"),
                )
                .help("write the issue key, such as `OPS-1234`, or the whole `https://` address"),
            );
            return None;
        }
        Some(text)
    }

    /// `summary.duration` as the document states it.
    fn duration(&mut self, node: &Node) -> Option<Sp<super::model::Stated>> {
        if holds_placeholder(node) {
            return None;
        }
        let text = self.text(node, "duration")?;
        if let Some(stated) = crate::time::parse_duration(&text.value) {
            return Some(Sp::new(stated, text.span));
        }
        self.report(
            Diagnostic::new(
                &INVALID_VALUE,
                text.span,
                format!("`{}` is not a duration pm can read", text.value.trim()),
            )
            .help(format!("write it as {}", crate::time::DURATION_FORMS)),
        );
        None
    }

    /// `affected`: a share, a count, or `unknown`.
    fn affected(&mut self, node: &Node) -> Option<Sp<Affected>> {
        match &node.value {
            Value::Str(text) if text.trim().eq_ignore_ascii_case("unknown") => {
                Some(Sp::new(Affected::Unknown, node.span))
            }
            Value::Map(_) => {
                let fields = self.fields(node, &format::AFFECTED_COUNT)?;
                let count = self
                    .required(&fields, "count")
                    .and_then(|n| self.count(n, "count"))?;
                let unit = fields
                    .get("unit")
                    .and_then(|n| self.text(n, "unit"))
                    .map(|u| u.value);
                let of = fields.get("of").and_then(|n| self.count(n, "of"));
                if let Some(of) = of
                    && of < count
                {
                    self.report(
                        Diagnostic::new(
                            &INVALID_VALUE,
                            node.span,
                            format!("`affected` counts {count} of {of}: more than all of them"),
                        )
                        .help("correct `count` or `of`: `of` is how many there are in all"),
                    );
                }
                Some(Sp::new(Affected::Count { count, unit, of }, node.span))
            }
            _ => self
                .share(node)
                .map(|share| Sp::new(Affected::Share(share.value), share.span)),
        }
    }

    /// A whole number, 0 or more.
    fn count(&mut self, node: &Node, what: &str) -> Option<u64> {
        let number = match &node.value {
            Value::Int(n) => u64::try_from(*n).ok(),
            Value::Str(text) => text.trim().replace([',', '_'], "").parse::<u64>().ok(),
            _ => None,
        };
        if number.is_none() && !holds_placeholder(node) {
            self.report(
                Diagnostic::new(
                    &INVALID_VALUE,
                    node.span,
                    format!(
                        "`{what}` must be a whole number, but this is {}",
                        node.value.kind()
                    ),
                )
                .help(format!("write `{what}:` as a number, such as `{what}: 31`")),
            );
        }
        number
    }

    fn lessons(&mut self, node: &Node) -> Option<Lessons> {
        let fields = self.fields(node, &format::LESSONS)?;
        let mut list = |name: &str| {
            fields
                .get(name)
                .map(|n| self.text_list(n, name))
                .unwrap_or_default()
        };
        Some(Lessons {
            went_well: list("went_well"),
            went_wrong: list("went_wrong"),
            lucky: list("lucky"),
        })
    }

    // --- Shapes ---------------------------------------------------------

    /// A mapping's fields, with unknown keys reported. `None` if it is not a mapping.
    fn fields<'n>(&mut self, node: &'n Node<'n>, table: &'static Section) -> Option<Fields<'n>> {
        let section = table.name;
        let Value::Map(entries) = &node.value else {
            let what = section.map_or_else(
                || "a postmortem".to_owned(),
                |s| format!("each item of `{s}`"),
            );
            let message = match (&node.value, section) {
                (Value::Null, None) => {
                    "the file is empty: a postmortem is a mapping of fields".to_owned()
                }
                _ => format!(
                    "{what} must be a mapping of fields, but this is {}",
                    node.value.kind()
                ),
            };
            let help = if section.is_none() {
                "start from `pm new \"Title\"`, which writes every section"
            } else {
                "write it as `key: value` lines"
            };
            self.report(Diagnostic::new(&INVALID_VALUE, node.span, message).help(help));
            return None;
        };
        for (key, _) in entries {
            if table.field(&key.name).is_none() {
                self.unknown_key(key, table);
            }
        }
        // A caret at the first key, not a key underlined, for what is absent.
        let span = entries
            .first()
            .map_or(node.span, |(key, _)| Span { len: 0, ..key.span });
        Some(Fields {
            entries: entries.iter().map(|(k, v)| (k, v)).collect(),
            span,
            section: table,
        })
    }

    fn unknown_key(&mut self, key: &Key, table: &'static Section) {
        let section = table.name;
        let place = section.map_or_else(|| "a postmortem".to_owned(), |s| format!("`{s}`"));
        let mut diagnostic = Diagnostic::new(
            &UNKNOWN_FIELD,
            key.span,
            format!("unknown field `{}` in {place}", key.name),
        );
        if let Some(close) = suggest::closest(&key.name, table.keys()) {
            diagnostic = diagnostic
                .label(format!("did you mean `{close}`?"))
                .help(format!("rename it to `{close}`"))
                .fix(Fix::safe(key.span, close));
        } else if let Some(home) = format::SECTIONS
            .iter()
            .filter(|s| s.name.is_some() && s.name != section)
            .find(|s| s.field(&key.name).is_some())
            .and_then(|s| s.name)
        {
            diagnostic = diagnostic.help(format!("`{}` belongs under `{home}`", key.name));
        } else {
            let known: Vec<&str> = table.keys().collect();
            diagnostic = diagnostic.help(format!("the fields here are: {}", known.join(", ")));
        }
        self.report(diagnostic);
    }

    fn list<'n>(&mut self, node: &'n Node<'n>, what: &str) -> Option<&'n [Node<'n>]> {
        if let Value::Seq(items) = &node.value {
            return Some(items);
        }
        self.report(
            Diagnostic::new(
                &INVALID_VALUE,
                node.span,
                format!("`{what}` must be a list, but this is {}", node.value.kind()),
            )
            .help("write each item on its own line starting with `- `"),
        );
        None
    }

    /// The value of a field, reporting it missing as the table requires.
    fn required<'n>(&mut self, fields: &Fields<'n>, name: &str) -> Option<&'n Node<'n>> {
        let node = fields.get(name);
        if node.is_none() && !Self::given_way(fields, name) {
            // A key with no value is reported at the key; an absent one at
            // the mapping that lacks it.
            let span = fields.key_span(name).unwrap_or(fields.span);
            self.missing_in(span, fields.section, name);
        }
        node
    }

    /// A field required `Unless` another list has an item, when it has one.
    fn given_way(fields: &Fields, name: &str) -> bool {
        let Some(field) = fields.section.field(name) else {
            return false;
        };
        let Required::Unless(other) = field.required else {
            return false;
        };
        fields
            .get(other)
            .is_some_and(|n| matches!(&n.value, Value::Seq(items) if !items.is_empty()))
    }

    fn required_text(&mut self, fields: &Fields, name: &str) -> Option<Sp<String>> {
        self.required_text_ref(fields, name).map(owned)
    }

    /// [`Self::required_text`], borrowed from the tree where it can be.
    fn required_text_ref<'n>(
        &mut self,
        fields: &Fields<'n>,
        name: &str,
    ) -> Option<Sp<Cow<'n, str>>> {
        let node = self.required(fields, name)?;
        let text = self.text_ref(node, name);
        if text.as_ref().is_some_and(|t| t.value.trim().is_empty())
            && !Self::given_way(fields, name)
        {
            self.missing_in(node.span, fields.section, name);
            return None;
        }
        text
    }

    /// Every text field of a section, as the table declares them.
    fn texts(&mut self, fields: &Fields) -> Texts {
        let mut texts = Texts::default();
        for field in fields.section.fields {
            if !matches!(field.shape, Shape::Text) {
                continue;
            }
            let text = if field.required == Required::No {
                fields
                    .get(field.name)
                    .and_then(|n| self.text(n, field.name))
            } else {
                self.required_text(fields, field.name)
            };
            if let Some(text) = text {
                texts.0.push((field.name, text));
            }
        }
        texts
    }

    /// Reports a field of `section` missing, at the severity its
    /// requirement has in this document (none at all if it is optional here).
    fn missing_in(&mut self, span: Span, section: &'static Section, name: &str) {
        let Some(field) = section.field(name) else {
            return;
        };
        let Some(severity) = field.required.severity(self.draft) else {
            return;
        };
        let (message, help) = match (section.name, field.required) {
            (Some("summary"), Required::OutsideDraft) => (
                format!("`summary.{name}` is missing"),
                format!(
                    "add `{name}:` with {}; only a draft may leave it out",
                    field.hint
                ),
            ),
            (None, _) => (
                format!("`{name}` is missing or empty"),
                format!("add `{name}:` with {}", field.hint),
            ),
            (Some("summary"), _) => (
                format!("`summary.{name}` is missing or empty"),
                format!("add `{name}:` under `summary:` with {}", field.hint),
            ),
            (Some(list), _) => (
                format!("`{name}` is missing or empty in this `{list}` item"),
                format!("add `{name}:` with {}", field.hint),
            ),
        };
        self.report(
            Diagnostic::new(&MISSING_FIELD, span, message)
                .severity(severity)
                .help(help),
        );
    }

    // --- Scalars --------------------------------------------------------

    /// Text, whatever the YAML type of a scalar: `title: 2024` is the text "2024".
    fn text(&mut self, node: &Node, what: &str) -> Option<Sp<String>> {
        self.text_ref(node, what).map(owned)
    }

    /// [`Self::text`], borrowed from the tree where it can be.
    fn text_ref<'n>(&mut self, node: &'n Node<'n>, what: &str) -> Option<Sp<Cow<'n, str>>> {
        let text = match &node.value {
            Value::Str(text) => Cow::Borrowed(text.as_ref()),
            Value::Bool(_) | Value::Int(_) | Value::Float(_) => Cow::Owned(
                self.source
                    .slice(node.span)
                    .trim_matches(['"', '\''])
                    .to_owned(),
            ),
            Value::Null => return None,
            Value::Seq(_) | Value::Map(_) => {
                self.report(
                    Diagnostic::new(
                        &INVALID_VALUE,
                        node.span,
                        format!("`{what}` must be text, but this is {}", node.value.kind()),
                    )
                    .help("write it on one line, or as a block after `|`"),
                );
                return None;
            }
        };
        Some(Sp::new(text, node.span))
    }

    fn text_list(&mut self, node: &Node, what: &str) -> Vec<Sp<String>> {
        if let Value::Seq(items) = &node.value {
            items
                .iter()
                .filter_map(|item| self.text(item, what))
                .collect()
        } else {
            self.report(
                Diagnostic::new(
                    &INVALID_VALUE,
                    node.span,
                    format!(
                        "`{what}` must be a list of text, but this is {}",
                        node.value.kind()
                    ),
                )
                .help(format!("write it as `{what}: [first, second]`")),
            );
            Vec::new()
        }
    }

    fn name<T>(
        &mut self,
        node: &Node,
        names: &[&str],
        what: &str,
        from_name: impl Fn(&str) -> Option<T>,
    ) -> Option<Sp<T>> {
        if holds_placeholder(node) {
            return None;
        }
        let text = self.text(node, what)?;
        if let Some(value) = from_name(&text.value) {
            return Some(Sp::new(value, text.span));
        }
        let mut diagnostic = Diagnostic::new(
            &INVALID_VALUE,
            text.span,
            format!("`{}` is not a valid `{what}`", text.value),
        )
        .help(format!("`{what}` is one of: {}", names.join(", ")));
        if let Some(close) = suggest::closest(&text.value, names.iter().copied()) {
            diagnostic = diagnostic
                .label(format!("did you mean `{close}`?"))
                .fix(Fix::safe(text.span, close));
        }
        self.report(diagnostic);
        None
    }

    fn time(&mut self, node: &Node, what: &str) -> Option<Sp<Shared>> {
        if holds_placeholder(node) {
            return None;
        }
        let text = self.text_ref(node, what)?;
        Some(self.shared(text))
    }

    /// A timeline's text, held as a slice of the file where it is written
    /// there as it reads: the most numerous text of a long file.
    fn shared(&self, text: Sp<Cow<'_, str>>) -> Sp<Shared> {
        let shared = match text.value {
            Cow::Borrowed(part) => self.source.share(part),
            Cow::Owned(owned) => Shared::from(owned),
        };
        Sp::new(shared, text.span)
    }

    /// `20%`, `20` or `20.5`, from 0 to 100.
    fn share(&mut self, node: &Node) -> Option<Sp<f64>> {
        if holds_placeholder(node) {
            return None;
        }
        let number = match &node.value {
            Value::Int(n) => Some(*n as f64),
            Value::Float(n) => Some(*n),
            Value::Str(text) => text.trim().trim_end_matches('%').trim().parse::<f64>().ok(),
            _ => None,
        };
        match number {
            Some(n) if (0.0..=100.0).contains(&n) => Some(Sp::new(n, node.span)),
            Some(_) => {
                self.report(
                    Diagnostic::new(
                        &INVALID_VALUE,
                        node.span,
                        "`affected` must be between 0 and 100",
                    )
                    .label("a share of users, in percent")
                    .help("write the share of users affected, such as `20%`"),
                );
                None
            }
            None => {
                let shown = match &node.value {
                    Value::Str(_) | Value::Int(_) | Value::Float(_) | Value::Bool(_) => {
                        format!("`{}`", self.source.slice(node.span))
                    }
                    other => other.kind().to_owned(),
                };
                self.report(
                    Diagnostic::new(
                        &INVALID_VALUE,
                        node.span,
                        format!("`affected` must be a percentage, but this is {shown}"),
                    )
                    .help("write the share of users affected, such as `20%` or `20`"),
                );
                None
            }
        }
    }

    fn date(&mut self, node: &Node) -> Option<Sp<NaiveDate>> {
        if holds_placeholder(node) {
            return None;
        }
        let text = self.text(node, "due")?;
        if let Ok(date) = NaiveDate::parse_from_str(text.value.trim(), "%Y-%m-%d") {
            Some(Sp::new(date, text.span))
        } else {
            self.report(
                Diagnostic::new(
                    &INVALID_VALUE,
                    text.span,
                    format!("`{}` is not a date", text.value),
                )
                .help("write the due date as `YYYY-MM-DD`, such as `2023-09-30`"),
            );
            None
        }
    }

    fn boolean(&mut self, node: &Node, what: &str) -> bool {
        if let Value::Bool(b) = &node.value {
            *b
        } else {
            self.report(
                Diagnostic::new(
                    &INVALID_VALUE,
                    node.span,
                    format!(
                        "`{what}` must be `true` or `false`, but this is {}",
                        node.value.kind()
                    ),
                )
                .help(format!("write `{what}: true` or `{what}: false`")),
            );
            false
        }
    }
}

/// A text read from the tree, as the model's own `String`.
fn owned(text: Sp<Cow<'_, str>>) -> Sp<String> {
    Sp::new(text.value.into_owned(), text.span)
}

/// An absolute `http` or `https` URL with a host.
pub fn is_web_url(text: &str) -> bool {
    let text = text.trim();
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    rest.is_some_and(|rest| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty() && !text.contains(char::is_whitespace)
    })
}

/// A typed value that still holds a placeholder is reported by the
/// placeholder rule alone, not as a wrong value too.
fn holds_placeholder(node: &Node) -> bool {
    matches!(&node.value, Value::Str(text) if is_placeholder(text))
}
