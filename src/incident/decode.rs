//! From the YAML tree to the typed incident, reporting every structural
//! problem (unknown keys, missing sections, wrong types) along the way.

use super::model::{
    Detection, Entry, EntryKind, Incident, Lessons, Measure, MeasureKind, Sp, Status, Summary,
    Task, Time,
};
use crate::diagnostic::{Diagnostic, Fix, Severity, Span};
use crate::rules::{INVALID_VALUE, MISSING_FIELD, UNKNOWN_FIELD, is_placeholder};
use crate::source::Source;
use crate::suggest;
use crate::yaml::{Key, Node, Value};
use chrono::NaiveDate;

/// The keys of each mapping in the format, in the order of the contract.
pub mod keys {
    pub const TOP: &[&str] = &[
        "title",
        "status",
        "severity",
        "authors",
        "timezone",
        "summary",
        "timeline",
        "root_cause",
        "resolution",
        "measures",
        "tasks",
        "lessons",
    ];
    pub const SUMMARY: &[&str] = &["service", "start", "end", "impact", "affected", "cause"];
    pub const ENTRY: &[&str] = &["at", "kind", "how", "to", "text"];
    pub const MEASURE: &[&str] = &["kind", "text"];
    pub const TASK: &[&str] = &["text", "owner", "due", "done"];
    pub const LESSONS: &[&str] = &["went_well", "went_wrong", "lucky"];

    /// Where each section's keys belong, for "move it under `summary:`".
    pub const SECTIONS: &[(&str, &[&str])] = &[
        ("summary", SUMMARY),
        ("timeline", ENTRY),
        ("tasks", TASK),
        ("lessons", LESSONS),
    ];
}

/// Decodes a parsed document. Findings go to `out`.
pub fn decode(root: &Node, source: &Source, out: &mut Vec<Diagnostic>) -> Incident {
    let mut decoder = Decoder {
        source,
        out,
        draft: true,
    };
    decoder.incident(root)
}

struct Decoder<'a> {
    source: &'a Source,
    out: &'a mut Vec<Diagnostic>,
    /// In a draft, what is missing is a warning, not an error.
    draft: bool,
}

/// A mapping's entries by name, after unknown keys were reported.
struct Fields<'n> {
    entries: Vec<(&'n Key, &'n Node)>,
    /// Where findings about what the mapping lacks point: the key that
    /// holds it, or its first key.
    span: Span,
    /// The section it is, or is an item of, to name fields in messages.
    section: Option<&'static str>,
}

impl<'n> Fields<'n> {
    /// The value of a key, if present and not null.
    fn get(&self, name: &str) -> Option<&'n Node> {
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

    fn incident(&mut self, root: &Node) -> Incident {
        let mut incident = Incident::default();
        let Some(fields) = self.fields(root, keys::TOP, None) else {
            return incident;
        };
        // Status first: it decides how strict the rest is.
        if let Some(node) = fields.get("status")
            && let Some(status) = self.name(node, Status::NAMES, "status", Status::from_name)
        {
            incident.status = status.value;
        }
        self.draft = incident.status == Status::Draft;

        incident.title = self.required_text(&fields, "title", "a title");
        incident.severity = fields
            .get("severity")
            .and_then(|n| self.text(n, "severity"));
        incident.authors = fields
            .get("authors")
            .map(|n| self.text_list(n, "authors"))
            .unwrap_or_default();
        incident.timezone = self.required_text(&fields, "timezone", "the document's time zone");
        incident.summary = self.summary(&fields);
        incident.timeline = self.timeline(&fields);
        incident.root_cause = self.required_text(&fields, "root_cause", "the root cause");
        incident.resolution = self.required_text(&fields, "resolution", "the resolution");
        incident.measures = self.measures(&fields);
        incident.tasks = self.tasks(&fields);
        incident.lessons = fields.get("lessons").and_then(|n| self.lessons(n));
        incident
    }

    fn summary(&mut self, top: &Fields) -> Summary {
        let Some(node) = self.required(top, "summary", "the summary") else {
            return Summary::default();
        };
        let Some(mut fields) = self.fields(node, keys::SUMMARY, Some("summary")) else {
            return Summary::default();
        };
        // What the summary lacks is reported at `summary:`, not at its first field.
        fields.span = top.key_span("summary").unwrap_or(fields.span);
        let end = if let Some(node) = fields.get("end") {
            self.time(node, "summary.end")
        } else {
            if !self.draft {
                self.report(
                    Diagnostic::new(&MISSING_FIELD, fields.key_span("end").unwrap_or(fields.span), "`summary.end` is missing")
                        .help("add `end:` with the time service was fully restored; only a draft may leave it out"),
                );
            }
            None
        };
        Summary {
            span: Some(fields.span),
            service: self.required_text(&fields, "service", "what was down or slow"),
            start: self
                .required(&fields, "start", "when the impact began")
                .and_then(|n| self.time(n, "summary.start")),
            end,
            impact: self.required_text(&fields, "impact", "what users experienced"),
            affected: self
                .required(&fields, "affected", "the share of users affected")
                .and_then(|n| self.share(n)),
            cause: self.required_text(&fields, "cause", "the cause in a sentence or two"),
        }
    }

    fn timeline(&mut self, top: &Fields) -> Vec<Entry> {
        let Some(node) = self.required(top, "timeline", "at least one timeline entry") else {
            return Vec::new();
        };
        let Some(items) = self.list(node, "timeline") else {
            return Vec::new();
        };
        if items.is_empty() {
            self.missing(node.span, None, "timeline", "at least one timeline entry");
        }
        items.iter().filter_map(|item| self.entry(item)).collect()
    }

    fn entry(&mut self, node: &Node) -> Option<Entry> {
        let fields = self.fields(node, keys::ENTRY, Some("timeline"))?;
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
                .required(&fields, "at", "when it happened")
                .and_then(|n| self.time(n, "at")),
            kind,
            how,
            to,
            text: self.required_text(&fields, "text", "what happened"),
        })
    }

    fn measures(&mut self, top: &Fields) -> Vec<Measure> {
        let Some(node) = self.required(top, "measures", "at least one measure") else {
            return Vec::new();
        };
        let Some(items) = self.list(node, "measures") else {
            return Vec::new();
        };
        if items.is_empty() {
            self.missing(node.span, None, "measures", "at least one measure");
        }
        let mut measures = Vec::new();
        for item in items {
            if let Value::Map(_) = item.value {
                let Some(fields) = self.fields(item, keys::MEASURE, Some("measures")) else {
                    continue;
                };
                let kind = fields
                    .get("kind")
                    .and_then(|n| self.name(n, MeasureKind::NAMES, "kind", MeasureKind::from_name));
                if let Some(text) = self.required_text(&fields, "text", "the measure") {
                    measures.push(Measure { kind, text });
                }
            } else if let Some(text) = self.text(item, "a measure") {
                measures.push(Measure { kind: None, text });
            }
        }
        measures
    }

    fn tasks(&mut self, top: &Fields) -> Vec<Task> {
        let Some(node) = self.required(top, "tasks", "at least one task") else {
            return Vec::new();
        };
        let Some(items) = self.list(node, "tasks") else {
            return Vec::new();
        };
        if items.is_empty() {
            self.missing(node.span, None, "tasks", "at least one task");
        }
        let mut tasks = Vec::new();
        for item in items {
            let Some(fields) = self.fields(item, keys::TASK, Some("tasks")) else {
                continue;
            };
            tasks.push(Task {
                span: fields.span,
                text: self.required_text(&fields, "text", "the task"),
                owner: fields.get("owner").and_then(|n| self.text(n, "owner")),
                due: fields.get("due").and_then(|n| self.date(n)),
                done: fields.get("done").is_some_and(|n| self.boolean(n, "done")),
            });
        }
        tasks
    }

    fn lessons(&mut self, node: &Node) -> Option<Lessons> {
        let fields = self.fields(node, keys::LESSONS, Some("lessons"))?;
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
    fn fields<'n>(
        &mut self,
        node: &'n Node,
        known: &[&str],
        section: Option<&'static str>,
    ) -> Option<Fields<'n>> {
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
            if !known.contains(&key.name.as_str()) {
                self.unknown_key(key, known, section);
            }
        }
        // A caret at the first key, not a key underlined, for what is absent.
        let span = entries
            .first()
            .map_or(node.span, |(key, _)| Span { len: 0, ..key.span });
        Some(Fields {
            entries: entries.iter().map(|(k, v)| (k, v)).collect(),
            span,
            section,
        })
    }

    fn unknown_key(&mut self, key: &Key, known: &[&str], section: Option<&str>) {
        let place = section.map_or_else(|| "a postmortem".to_owned(), |s| format!("`{s}`"));
        let mut diagnostic = Diagnostic::new(
            &UNKNOWN_FIELD,
            key.span,
            format!("unknown field `{}` in {place}", key.name),
        );
        if let Some(close) = suggest::closest(&key.name, known.iter().copied()) {
            diagnostic = diagnostic
                .label(format!("did you mean `{close}`?"))
                .help(format!("rename it to `{close}`"))
                .fix(Fix::safe(key.span, close));
        } else if let Some((home, _)) = keys::SECTIONS
            .iter()
            .find(|(home, names)| Some(*home) != section && names.contains(&key.name.as_str()))
        {
            diagnostic = diagnostic.help(format!("`{}` belongs under `{home}`", key.name));
        } else {
            diagnostic = diagnostic.help(format!("the fields here are: {}", known.join(", ")));
        }
        self.report(diagnostic);
    }

    fn list<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n [Node]> {
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

    fn required<'n>(&mut self, fields: &Fields<'n>, name: &str, what: &str) -> Option<&'n Node> {
        let node = fields.get(name);
        if node.is_none() {
            // A key with no value is reported at the key; an absent one at
            // the mapping that lacks it.
            let span = fields.key_span(name).unwrap_or(fields.span);
            self.missing(span, fields.section, name, what);
        }
        node
    }

    fn required_text(&mut self, fields: &Fields, name: &str, what: &str) -> Option<Sp<String>> {
        let node = self.required(fields, name, what)?;
        let text = self.text(node, name);
        if text.as_ref().is_some_and(|t| t.value.trim().is_empty()) {
            self.missing(node.span, fields.section, name, what);
            return None;
        }
        text
    }

    fn missing(&mut self, span: Span, section: Option<&str>, name: &str, what: &str) {
        let severity = if self.draft {
            Severity::Warning
        } else {
            Severity::Error
        };
        let (message, help) = match section {
            None => (
                format!("`{name}` is missing or empty"),
                format!("add `{name}:` with {what}"),
            ),
            Some("summary") => (
                format!("`summary.{name}` is missing or empty"),
                format!("add `{name}:` under `summary:` with {what}"),
            ),
            Some(list) => (
                format!("`{name}` is missing or empty in this `{list}` item"),
                format!("add `{name}:` with {what}"),
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
        let text = match &node.value {
            Value::Str(text) => text.clone(),
            Value::Bool(_) | Value::Int(_) | Value::Float(_) => self
                .source
                .slice(node.span)
                .trim_matches(['"', '\''])
                .to_owned(),
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

    fn time(&mut self, node: &Node, what: &str) -> Option<Time> {
        if holds_placeholder(node) {
            return None;
        }
        self.text(node, what).map(Time::new)
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

/// A typed value that still holds a placeholder is reported by the
/// placeholder rule alone, not as a wrong value too.
fn holds_placeholder(node: &Node) -> bool {
    matches!(&node.value, Value::Str(text) if is_placeholder(text))
}
