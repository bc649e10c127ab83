//! The format, declared once: every field of a postmortem with its shape,
//! whether it is required, whether it is prose, and its documentation.
//!
//! Everything else that lists fields comes from this table or is tested
//! against it: the decoder's known keys, required fields and "add `x:` with
//! ..." hints (`decode`), the JSON Schema (`schema`, generated from it), the
//! prose the writing rules read (`prose`), the template context (a test
//! renders every field), the scaffold's order (`templates/new.yaml`, tested)
//! and docs/templates.md (tested). Adding a field means a row here, the
//! scaffold text, and a fixture.

use super::model::{Detection, EntryKind, FactorKind, MeasureKind, Sp, Status, TaskKind};
use crate::yaml::{Node, Value};

/// A mapping of the format: the document itself, `summary`, or the items
/// of a list.
#[derive(Debug)]
pub struct Section {
    /// Where it is, as messages name it: `None` for the document,
    /// `summary`, `timeline` (its items), ...
    pub name: Option<&'static str>,
    /// What it is, for the schema and for editors.
    pub docs: &'static str,
    pub fields: &'static [Field],
}

#[derive(Debug)]
pub struct Field {
    pub name: &'static str,
    pub shape: Shape,
    pub required: Required,
    /// Free text a person writes: what `blame` and `word-count` read.
    pub prose: bool,
    /// Text that stays one line in every output, whatever the YAML holds:
    /// a blank line and `# Heading` in a title must not become a heading.
    pub one_line: bool,
    /// What belongs there, for "add `name:` with ...".
    pub hint: &'static str,
    /// What an editor shows on hover, and the schema's description.
    pub docs: &'static str,
}

/// What a value is.
#[derive(Clone, Copy, Debug)]
pub enum Shape {
    /// Any scalar, read as text (`title: 2024` is the title "2024").
    Text,
    /// A list of text.
    TextList,
    /// One of a set of names.
    Choice(&'static [&'static str]),
    /// An IANA time zone name.
    Zone,
    /// A time as written, resolved in the document's zone; `~` before it
    /// makes it approximate.
    Time,
    /// A timeline entry's time: a time, a date alone, or `unknown`.
    EntryTime,
    /// A share of users, 0-100 (`20%`); a count (`{count, unit, of}`, the
    /// section); or `unknown`.
    Affected(&'static Section),
    /// A duration as the document states it: `2h 30m`, `90 minutes`, `PT2H30M`.
    Duration,
    /// An absolute `http(s)` URL.
    Url,
    /// An issue key (`OPS-1234`) or an `http(s)` URL.
    Ticket,
    /// A list of lowercase labels.
    Tags,
    /// A whole number, 0 or more.
    Count,
    /// A date, `YYYY-MM-DD`.
    Date,
    /// `true` or `false`.
    Flag,
    /// A nested mapping.
    Map(&'static Section),
    /// A list of mappings.
    List(&'static Section),
    /// A list whose items are text, or mappings.
    TextOrMapList(&'static Section),
}

/// When a field must be there. In a draft, missing fields are warnings
/// (`Yes`) or not reported (`OutsideDraft`); see `Required::severity`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Required {
    No,
    /// Required; a list must have an item. A warning in a draft.
    Yes,
    /// Required once the status is not `draft` (`summary.end`).
    OutsideDraft,
    /// Required (as `Yes`) unless the named list of the same section has an
    /// item: `root_cause` may give way to `contributing_factors`.
    Unless(&'static str),
}

impl Required {
    /// The severity of a missing field, or `None` when it is not reported:
    /// the one place "missing is a warning in a draft" is decided.
    pub fn severity(self, draft: bool) -> Option<crate::diagnostic::Severity> {
        use crate::diagnostic::Severity;
        match (self, draft) {
            (Required::No, _) | (Required::OutsideDraft, true) => None,
            (Required::Yes | Required::Unless(_), true) => Some(Severity::Warning),
            (Required::Yes | Required::Unless(_) | Required::OutsideDraft, false) => {
                Some(Severity::Error)
            }
        }
    }
}

impl Section {
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The keys, in the order of the format.
    pub fn keys(&self) -> impl Iterator<Item = &'static str> + Clone + use<> {
        self.fields.iter().map(|f| f.name)
    }

    /// The fields required outside a draft.
    pub fn required(&self) -> impl Iterator<Item = &'static Field> + use<> {
        self.fields.iter().filter(|f| f.required != Required::No)
    }
}

impl Field {
    /// The section a field holds, if it holds one.
    pub fn section(&self) -> Option<&'static Section> {
        match self.shape {
            Shape::Map(s) | Shape::List(s) | Shape::TextOrMapList(s) | Shape::Affected(s) => {
                Some(s)
            }
            _ => None,
        }
    }
}

const fn field(name: &'static str, shape: Shape, docs: &'static str) -> Field {
    Field {
        name,
        shape,
        required: Required::No,
        prose: false,
        one_line: false,
        hint: "",
        docs,
    }
}

impl Field {
    const fn required(mut self, hint: &'static str) -> Self {
        self.required = Required::Yes;
        self.hint = hint;
        self
    }

    const fn prose(mut self) -> Self {
        self.prose = true;
        self
    }

    const fn one_line(mut self) -> Self {
        self.one_line = true;
        self
    }
}

pub static DOCUMENT: Section = Section {
    name: None,
    docs: "An incident postmortem, checked by `pm check`. Fields marked required must be present once the status is `review` or `final`; a draft may leave them out.",
    fields: &[
        field(
            "title",
            Shape::Text,
            "Required. One line naming the incident, such as \"Email service outage\".",
        )
        .required("a title")
            .one_line(),
        field(
            "id",
            Shape::Text,
            "The team's own id for the incident, such as INC-2041.",
        )
            .one_line(),
        field(
            "status",
            Shape::Choice(Status::NAMES),
            "draft (the default), review or final. A draft may leave required fields out, and placeholders (TODO, `<...>`) in it are warnings; in a final postmortem they are errors.",
        ),
        field(
            "severity",
            Shape::Text,
            "The severity your team assigned, such as SEV2.",
        )
            .one_line(),
        field(
            "tags",
            Shape::Tags,
            "Lowercase labels for search and figures, such as database or config-change.",
        ),
        field("authors", Shape::TextList, "Who wrote the postmortem."),
        field(
            "people",
            Shape::List(&PERSON),
            "Who took part, and their role: incident commander, communications, subject expert.",
        ),
        field(
            "timezone",
            Shape::Zone,
            "Required. The IANA time zone that times without a zone of their own are in, such as Africa/Lagos or America/Los_Angeles. Not an abbreviation: WAT or PDT do not say when daylight saving applies.",
        )
        .required("the document's time zone"),
        field(
            "summary",
            Shape::Map(&SUMMARY),
            "Required. The incident in brief: what, when, who was affected, and why.",
        )
        .required("the summary"),
        field(
            "timeline",
            Shape::List(&ENTRY),
            "Required, at least one entry. What happened, in order: the trigger, detection, what was tried (misleading paths too), escalations, mitigation and resolution.",
        )
        .required("at least one timeline entry"),
        field(
            "contributing_factors",
            Shape::TextOrMapList(&FACTOR),
            "The conditions that together made the incident possible, each text, or `text` and `kind` (trigger, latent, detection, response, other). Incidents rarely have one cause.",
        ),
        Field {
            required: Required::Unless("contributing_factors"),
            ..field(
                "root_cause",
                Shape::Text,
                "Why it happened: the conditions in the system that allowed it, not who did what. Required unless `contributing_factors` has at least one item.",
            )
            .required("the root cause, or `contributing_factors`")
            .prose()
        },
        field(
            "resolution",
            Shape::Text,
            "Required. How service was restored.",
        )
        .required("the resolution")
        .prose(),
        field(
            "measures",
            Shape::TextOrMapList(&MEASURE),
            "Required, at least one. What will change so it does not happen again: text, or `kind` and `text`.",
        )
        .required("at least one measure"),
        field(
            "tasks",
            Shape::List(&TASK),
            "Required, at least one. Specific follow-up work, each with an owner.",
        )
        .required("at least one task"),
        field(
            "lessons",
            Shape::Map(&LESSONS),
            "What went well, what went wrong, and where the team was lucky.",
        ),
        field(
            "links",
            Shape::List(&LINK),
            "Dashboards, tickets, chat logs and status pages, each `label` and `url`.",
        ),
        field(
            "notes",
            Shape::List(&NOTE),
            "Sections with no other place (background, customer communication, ...), each `heading` and `text`, in order.",
        ),
    ],
};

pub static SUMMARY: Section = Section {
    name: Some("summary"),
    docs: "The incident in brief.",
    fields: &[
        field(
            "service",
            Shape::Text,
            "Required. What was down or slow, such as \"Cloud email (SMTP relay)\".",
        )
        .required("what was down or slow")
            .one_line(),
        field(
            "start",
            Shape::Time,
            "Required. When the impact began, with its date: 2023-09-10 16:00.",
        )
        .required("when the impact began"),
        Field {
            required: Required::OutsideDraft,
            hint: "the time service was fully restored",
            ..field(
                "end",
                Shape::Time,
                "When service was fully restored. Required unless the status is draft.",
            )
        },
        field(
            "duration",
            Shape::Duration,
            "The duration as the document states it, such as 45m, 2h 30m, 1d 4h, 90 minutes, 1 hour 30 minutes or PT2H30M. pm checks it against end minus start.",
        ),
        field("impact", Shape::Text, "Required. What users experienced.")
            .required("what users experienced")
            .prose(),
        field(
            "affected",
            Shape::Affected(&AFFECTED_COUNT),
            "Required. Who was affected: the share of users in percent (20% or 20); a count, `{count: 4, unit: validators, of: 150}`; or `unknown`.",
        )
        .required("the share of users affected, a count, or `unknown`"),
        field(
            "cause",
            Shape::Text,
            "Required. The cause in a sentence or two.",
        )
        .required("the cause in a sentence or two")
        .prose()
            .one_line(),
    ],
};

pub static ENTRY: Section = Section {
    name: Some("timeline"),
    docs: "One timeline entry.",
    fields: &[
        field(
            "at",
            Shape::EntryTime,
            "Required. When it happened. A time alone, such as \"16:15\", is on the date of the entry before it; write the date when it changes. `~16:15` is about then, a date alone (2023-03-26) a day whose time is not known, and `unknown` a time not known at all.",
        )
        .required("when it happened"),
        field(
            "kind",
            Shape::Choice(EntryKind::NAMES),
            "What the entry records: trigger (what set it off), detected, action, misleading (a path that turned out wrong), escalated, mitigated, resolved, or note. Defaults to action.",
        ),
        field(
            "how",
            Shape::Choice(Detection::NAMES),
            "How the incident was detected: monitoring, engineer, customer or other. Only on a `detected` entry.",
        ),
        field(
            "to",
            Shape::Text,
            "Who it was escalated to. Only on an `escalated` entry.",
        )
            .one_line(),
        field("text", Shape::Text, "Required. What happened.")
            .required("what happened")
            .prose(),
        field("by", Shape::Text, "Who did or saw it.")
            .one_line(),
        field(
            "url",
            Shape::Url,
            "A link for the entry: the alert, the status-page update, the deploy.",
        ),
    ],
};

pub static MEASURE: Section = Section {
    name: Some("measures"),
    docs: "A measure: its text, or its kind and text.",
    fields: &[
        field(
            "kind",
            Shape::Choice(MeasureKind::NAMES),
            "corrective (removes this incident's cause) or preventive (keeps the like from happening again).",
        ),
        field("text", Shape::Text, "Required. The measure.")
            .required("the measure")
            .prose(),
    ],
};

pub static TASK: Section = Section {
    name: Some("tasks"),
    docs: "A follow-up task.",
    fields: &[
        field(
            "text",
            Shape::Text,
            "Required. Specific work (\"add an index on messages(user_id)\"), not a wish (\"improve monitoring\").",
        )
        .required("the task")
        .prose(),
        field(
            "owner",
            Shape::Text,
            "The person or team who will do it. pm warns when it is missing.",
        )
            .one_line(),
        field("due", Shape::Date, "When it is due: YYYY-MM-DD."),
        field("done", Shape::Flag, "Whether it is done: true or false."),
        field(
            "kind",
            Shape::Choice(TaskKind::NAMES),
            "What the task does: prevent, mitigate, detect, process or other.",
        ),
        field(
            "ticket",
            Shape::Ticket,
            "Where the work is tracked: an issue key such as OPS-1234, or a URL.",
        )
            .one_line(),
    ],
};

pub static AFFECTED_COUNT: Section = Section {
    name: Some("summary.affected"),
    docs: "How many were affected, counted.",
    fields: &[
        field("count", Shape::Count, "Required. How many were affected.")
            .required("how many were affected"),
        field(
            "unit",
            Shape::Text,
            "What was counted: users, validators, orders, requests.",
        )
        .one_line(),
        field("of", Shape::Count, "How many there are in all."),
    ],
};

pub static FACTOR: Section = Section {
    name: Some("contributing_factors"),
    docs: "A contributing factor: its text, or its text and kind.",
    fields: &[
        field(
            "text",
            Shape::Text,
            "Required. The condition, as a sentence.",
        )
        .required("the condition")
        .prose(),
        field(
            "kind",
            Shape::Choice(FactorKind::NAMES),
            "The part it played: trigger (set it off), latent (was there all along), detection (delayed noticing), response (slowed the fix), or other.",
        ),
    ],
};

pub static LINK: Section = Section {
    name: Some("links"),
    docs: "A link.",
    fields: &[
        field(
            "label",
            Shape::Text,
            "What the link is, such as Error-rate dashboard.",
        )
        .one_line(),
        field(
            "url",
            Shape::Url,
            "Required. An absolute http or https URL.",
        )
        .required("the URL"),
    ],
};

pub static PERSON: Section = Section {
    name: Some("people"),
    docs: "Someone who took part.",
    fields: &[
        field("name", Shape::Text, "Required. Their name.")
            .required("their name")
            .one_line(),
        field(
            "role",
            Shape::Text,
            "Their role, such as incident commander or communications.",
        )
        .one_line(),
    ],
};

pub static NOTE: Section = Section {
    name: Some("notes"),
    docs: "A section with no other place in the format.",
    fields: &[
        field(
            "heading",
            Shape::Text,
            "Required. Its heading, such as Background.",
        )
        .required("its heading")
        .one_line(),
        field("text", Shape::Text, "Required. Its text.")
            .required("its text")
            .prose(),
    ],
};

pub static LESSONS: Section = Section {
    name: Some("lessons"),
    docs: "What went well, what went wrong, and where the team was lucky.",
    fields: &[
        field("went_well", Shape::TextList, "What went well.").prose(),
        field("went_wrong", Shape::TextList, "What went wrong.").prose(),
        field("lucky", Shape::TextList, "Where the team was lucky.").prose(),
    ],
};

/// Every section, the document first.
pub static SECTIONS: &[&Section] = &[
    &DOCUMENT,
    &SUMMARY,
    &AFFECTED_COUNT,
    &ENTRY,
    &FACTOR,
    &MEASURE,
    &TASK,
    &LESSONS,
    &LINK,
    &PERSON,
    &NOTE,
];

/// Every field with its dotted path (`summary.start`, `timeline.at`), in
/// the order of the format.
pub fn paths() -> Vec<(String, &'static Field)> {
    fn walk(section: &'static Section, prefix: &str, out: &mut Vec<(String, &'static Field)>) {
        for field in section.fields {
            let path = if prefix.is_empty() {
                field.name.to_owned()
            } else {
                format!("{prefix}.{}", field.name)
            };
            out.push((path.clone(), field));
            if let Some(inner) = field.section() {
                walk(inner, &path, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(&DOCUMENT, "", &mut out);
    out
}

/// The prose of a document, read from its tree by the table: every text of
/// a field marked prose, in document order. `blame` and `word-count` read
/// exactly this.
pub fn prose<'n>(root: &'n Node<'n>) -> Vec<Sp<&'n str>> {
    let mut out = Vec::new();
    each_prose(root, &mut |text| out.push(text));
    out
}

/// [`prose`] one text at a time, without a list of them all (a
/// 100,000-entry timeline's is 4 MB).
pub fn each_prose<'n>(root: &'n Node<'n>, out: &mut impl FnMut(Sp<&'n str>)) {
    prose_in(&DOCUMENT, root, out);
}

/// [`each_prose`] of one timeline item.
pub fn each_item_prose<'n>(item: &'n Node<'n>, out: &mut impl FnMut(Sp<&'n str>)) {
    prose_in(&ENTRY, item, out);
}

fn prose_in<'n>(section: &Section, node: &'n Node<'n>, out: &mut impl FnMut(Sp<&'n str>)) {
    let Value::Map(entries) = &node.value else {
        return;
    };
    for (key, value) in entries {
        let Some(field) = section.field(&key.name) else {
            continue;
        };
        match field.shape {
            Shape::Text if field.prose => push_text(value, out),
            Shape::TextList if field.prose => {
                if let Value::Seq(items) = &value.value {
                    for item in items {
                        push_text(item, out);
                    }
                }
            }
            Shape::Map(inner) | Shape::Affected(inner) => prose_in(inner, value, out),
            Shape::List(inner) | Shape::TextOrMapList(inner) => {
                if let Value::Seq(items) = &value.value {
                    for item in items {
                        if matches!(item.value, Value::Map(_)) {
                            prose_in(inner, item, out);
                        } else if matches!(field.shape, Shape::TextOrMapList(_))
                            && inner.field("text").is_some_and(|f| f.prose)
                        {
                            push_text(item, out);
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

fn push_text<'n>(node: &'n Node<'n>, out: &mut impl FnMut(Sp<&'n str>)) {
    if let Value::Str(text) = &node.value {
        out(Sp::new(text.as_ref(), node.span));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A streamed timeline item is decoded before the status is known, as
    /// a draft's (`decode::missing_is_error`): an entry field required only
    /// outside a draft would never be reported.
    #[test]
    fn an_entry_field_is_required_or_not_whatever_the_status() {
        for field in ENTRY.fields {
            assert!(
                matches!(field.required, Required::No | Required::Yes),
                "`{}` of a timeline entry",
                field.name
            );
        }
    }

    #[test]
    fn every_field_is_documented_and_every_required_one_has_a_hint() {
        for (path, field) in paths() {
            assert!(field.docs.len() > 8, "{path} has no documentation");
            if field.required != Required::No {
                assert!(!field.hint.is_empty(), "{path} is required but has no hint");
            }
            assert!(
                !field.prose || matches!(field.shape, Shape::Text | Shape::TextList),
                "{path} is prose but not text"
            );
        }
    }

    #[test]
    fn names_are_unique_in_each_section() {
        for section in SECTIONS {
            let mut seen = std::collections::HashSet::new();
            for key in section.keys() {
                assert!(seen.insert(key), "{key} twice in {:?}", section.name);
            }
        }
    }

    #[test]
    fn prose_is_read_by_the_table() {
        let tree = crate::yaml::parse(
            "title: T\nroot_cause: R\nsummary:\n  service: S\n  impact: I\ntimeline:\n  - at: x\n    text: E\nmeasures:\n  - M1\n  - text: M2\ntasks:\n  - text: K\n    owner: o\nlessons:\n  lucky: [L]\n",
        )
        .expect("valid YAML");
        let texts: Vec<&str> = prose(&tree).iter().map(|t| t.value).collect();
        assert_eq!(texts, ["R", "I", "E", "M1", "M2", "K", "L"]);
    }
}
