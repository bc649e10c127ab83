//! The incident format as a JSON Schema (draft 2020-12), for editors and
//! other validators.
//!
//! The decoder is written by hand so that it can report every problem in a
//! file at once, so the schema comes from a mirror of its shape: schemars
//! types that exist only to be described. Their doc comments are the
//! descriptions editors show on hover. Tests keep the mirror honest: its
//! property names against `keys::*`, its required fields against what the
//! decoder reports missing, and its patterns against `time::parse` and the
//! decoder's own reading of shares, dates and placeholders.
//!
//! The schema uses only keywords that mean the same in draft 7 (what the
//! YAML language server implements) and draft 2020-12, and no `$ref`.

// The mirror's types are never built, only described, and their doc
// comments are written for the people who read them in an editor.
#![allow(dead_code, clippy::doc_markdown)]

use super::model::{Detection, EntryKind, MeasureKind, Status};
use crate::time::ACCEPTED_FORMS;
use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde_json::{Value, json};
use std::borrow::Cow;

/// The schema of a postmortem file.
pub fn schema() -> Value {
    let generator = SchemaSettings::draft2020_12()
        .with(|s| s.inline_subschemas = true)
        .into_generator();
    let mut schema = generator.into_root_schema_for::<Postmortem>().to_value();
    tidy(&mut schema);
    if let Some(root) = schema.as_object_mut() {
        // Only a postmortem in review or final must be complete: in a draft,
        // pm reports what is missing as warnings, which do not fail a check.
        root.insert(
            "if".into(),
            json!({
                "properties": { "status": { "enum": ["review", "final"] } },
                "required": ["status"],
            }),
        );
        root.insert("then".into(), complete());
    }
    schema
}

/// Joins the lines of doc comments, which editors would otherwise show
/// broken where the source wrapped them, names the forms a time takes
/// wherever one is expected, and titles each property with its key.
///
/// The titles are for yaml-language-server's hovers: a schema without a
/// title of its own inherits the nearest one above it, so every hover used
/// to be titled "pm postmortem", and twice or three times over
/// ("pm postmortem || pm postmortem") where a property is an `anyOf` whose
/// branches, all untitled and undescribed, looked alike to its test of
/// which branches matched. Each property now has its own title, the
/// branches that hold a value its description, and the placeholder and
/// empty branches descriptions of their own.
fn tidy(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(properties)) = map.get_mut("properties") {
                for (name, property) in properties.iter_mut() {
                    if let Some(property) = property.as_object_mut() {
                        property
                            .entry("title")
                            .or_insert_with(|| Value::String(name.clone()));
                    }
                }
            }
            let is_time = map
                .get("anyOf")
                .is_some_and(|any| any.to_string().contains(&json!(TIME_PATTERN).to_string()));
            if let Some(Value::String(text)) = map.get_mut("description") {
                *text = text
                    .split("\n\n")
                    .map(|paragraph| paragraph.replace('\n', " "))
                    .collect::<Vec<_>>()
                    .join("\n\n");
                if is_time {
                    text.push_str(&format!(" Written as {}.", ACCEPTED_FORMS.replace('`', "")));
                }
            }
            // The branches that hold a value say what the property does:
            // yaml-language-server shows the description of the branch that
            // matched before the property's own.
            if let Some(Value::String(text)) = map.get("description").cloned()
                && let Some(Value::Array(branches)) = map.get_mut("anyOf")
            {
                for branch in branches.iter_mut().filter_map(Value::as_object_mut) {
                    branch
                        .entry("description")
                        .or_insert_with(|| Value::String(text.clone()));
                }
            }
            map.values_mut().for_each(tidy);
        }
        Value::Array(items) => items.iter_mut().for_each(tidy),
        _ => {}
    }
}

/// Which fields pm requires outside a draft, in the order of `keys`.
pub mod required {
    pub const TOP: &[&str] = &[
        "title",
        "timezone",
        "summary",
        "timeline",
        "root_cause",
        "resolution",
        "measures",
        "tasks",
    ];
    pub const SUMMARY: &[&str] = &["service", "start", "end", "impact", "affected", "cause"];
    pub const ENTRY: &[&str] = &["at", "text"];
    pub const MEASURE: &[&str] = &["text"];
    pub const TASK: &[&str] = &["text"];
    /// The lists that must have at least one item.
    pub const NON_EMPTY: &[&str] = &["timeline", "measures", "tasks"];
}

/// What a postmortem in review or final must have: every required field
/// present, not null, and text not blank.
fn complete() -> Value {
    let present = json!({ "not": { "type": "null" } });
    let text = json!({ "not": { "type": "null" }, "pattern": "\\S" });
    let fields = |names: &[&str]| -> Value {
        names
            .iter()
            .map(|name| {
                let shape = match *name {
                    "start" | "end" | "affected" | "at" | "timezone" => present.clone(),
                    _ => text.clone(),
                };
                ((*name).to_owned(), shape)
            })
            .collect::<serde_json::Map<_, _>>()
            .into()
    };
    let non_empty = json!({ "type": "array", "minItems": 1 });
    json!({
        "required": required::TOP,
        "properties": {
            "title": text,
            "timezone": present,
            "root_cause": text,
            "resolution": text,
            "summary": {
                "type": "object",
                "required": required::SUMMARY,
                "properties": fields(required::SUMMARY),
            },
            "timeline": merge(&non_empty, &json!({
                "items": { "required": required::ENTRY, "properties": fields(required::ENTRY) },
            })),
            "measures": merge(&non_empty, &json!({
                "items": {
                    "if": { "type": "object" },
                    "then": { "required": required::MEASURE, "properties": fields(required::MEASURE) },
                },
            })),
            "tasks": merge(&non_empty, &json!({
                "items": { "required": required::TASK, "properties": fields(required::TASK) },
            })),
        },
    })
}

fn merge(a: &Value, b: &Value) -> Value {
    let mut merged = a.as_object().cloned().unwrap_or_default();
    if let Some(b) = b.as_object() {
        merged.extend(b.clone());
    }
    merged.into()
}

// --- Value patterns -------------------------------------------------------
// ECMA-262 and Rust's regex agree on all of these; tests run them with the
// latter against pm's own parsing.

/// A time as `time::parse` reads it. Looser than pm where only pm can tell
/// (an hour past 12 with PM, a zone name that does not exist): pm reports
/// those with a precise message.
pub const TIME_PATTERN: &str = r"^\s*([0-9]{4}-[0-9]{2}-[0-9]{2}[Tt\s]*)?[0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(\s*([aApP]\.[mM]\.|[aApP][mM]))?\s*([A-Za-z0-9_+/:-]+|\(\s*[A-Za-z0-9_+/:-]+\s*\))?\s*$";

/// A share of users written as text: `20%`, `20`, `12.5 %`, from 0 to 100.
pub const SHARE_PATTERN: &str =
    r"^\s*\+?(0*(100(\.0*)?|[0-9]{1,2}(\.[0-9]*)?)|0*\.[0-9]+)\s*%*\s*$";

/// A due date, `YYYY-MM-DD` (chrono also reads a sign and longer years).
pub const DATE_PATTERN: &str = r"^\s*[+-]?[0-9]{4,}-[0-9]{1,2}-[0-9]{1,2}\s*$";

/// Placeholder text as the `placeholder` rule finds it: TODO, TBD or FIXME
/// as words, or `<...>` / `<words with spaces>`. In a typed field pm leaves
/// a placeholder to that rule, so the schema accepts it there too.
pub const PLACEHOLDER_PATTERN: &str = r#"(^|[^A-Za-z0-9_])(TODO|TBD|FIXME)([^A-Za-z0-9_]|$)|<(\.\.\.|…|[^<>\n=/"\s][^<>\n=/"]* [^<>\n=/"]*)>"#;

fn placeholder() -> Value {
    json!({
        "type": "string",
        "pattern": PLACEHOLDER_PATTERN,
        "description": "A placeholder still to be replaced.",
    })
}

/// Left empty, which only a draft may do.
fn empty() -> Value {
    json!({ "type": "null", "description": "Left empty, which only a draft may do." })
}

/// One of a set of names, or a placeholder still to be replaced.
fn choice(names: &[&str]) -> Schema {
    json_schema!({
        "anyOf": [{ "enum": names }, placeholder(), empty()],
    })
}

/// The shape of a zone name pm may accept: `Area/Place` (any depth), or one
/// of the zone database's names without a slash (`UTC`, `EST5EDT`). Only pm
/// can tell a real zone from one that looks like it (`Europe/Lo`); the
/// pattern refuses what no zone looks like, such as the abbreviation `PDT`.
fn zone_pattern() -> String {
    let bare: Vec<String> = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|tz| tz.name())
        .filter(|name| !name.contains('/'))
        .map(regex_escape)
        .collect();
    format!(
        r"^([A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)+|{})$",
        bare.join("|")
    )
}

fn regex_escape(name: &str) -> String {
    name.chars()
        .flat_map(|c| {
            let escape = matches!(c, '+' | '.').then_some('\\');
            escape.into_iter().chain(std::iter::once(c))
        })
        .collect()
}

// --- Value types ----------------------------------------------------------

macro_rules! schema_type {
    ($name:ident, $schema:expr) => {
        struct $name;

        impl JsonSchema for $name {
            fn inline_schema() -> bool {
                true
            }

            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                $schema
            }
        }
    };
}

// Any scalar is text to pm: `title: 2024` is the title "2024". Null is a
// field left empty, which only a draft may do.
schema_type!(
    Text,
    json_schema!({ "type": ["string", "number", "boolean", "null"] })
);

schema_type!(
    WrittenTime,
    json_schema!({
        "anyOf": [
            { "type": "string", "pattern": TIME_PATTERN },
            placeholder(),
            empty(),
        ],
    })
);

schema_type!(
    Share,
    json_schema!({
        "anyOf": [
            { "type": "number", "minimum": 0, "maximum": 100 },
            { "type": "string", "pattern": SHARE_PATTERN },
            placeholder(),
            empty(),
        ],
    })
);

schema_type!(
    DueDate,
    json_schema!({
        "anyOf": [
            { "type": "string", "pattern": DATE_PATTERN },
            placeholder(),
            empty(),
        ],
    })
);

// Not an `enum` of the zones: yaml-language-server would print all of them
// in every hover ("Allowed Values") and in the error for a wrong one. The
// pattern refuses what is no zone name, with a message that names none;
// completion offers the canonical zones (`crate::zones`) as
// `defaultSnippets`, which hovers and errors do not show.
schema_type!(
    Zone,
    json_schema!({
        "type": ["string", "null"],
        "pattern": zone_pattern(),
        "errorMessage": "not an IANA time zone name: write the zone of the place, such as Africa/Lagos or America/Los_Angeles (`pm check` names the one an abbreviation stands for)",
        "defaultSnippets": crate::zones::CANONICAL
            .iter()
            .map(|zone| json!({ "label": zone, "body": zone }))
            .collect::<Vec<_>>(),
    })
);

schema_type!(Flag, json_schema!({ "type": ["boolean", "null"] }));

schema_type!(StatusName, choice(Status::NAMES));

schema_type!(EntryKindName, choice(EntryKind::NAMES));

schema_type!(DetectionName, choice(Detection::NAMES));

schema_type!(MeasureKindName, choice(MeasureKind::NAMES));

// --- The format -----------------------------------------------------------

/// An incident postmortem, checked by `pm check`. Fields marked required must
/// be present once the status is `review` or `final`; a draft may leave them
/// out.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields, title = "pm postmortem")]
struct Postmortem {
    /// Required. One line naming the incident, such as "Email service outage".
    title: Option<Text>,
    /// draft (the default), review or final. A draft may leave required fields
    /// out, and placeholders (TODO, `<...>`) in it are warnings; in a final
    /// postmortem they are errors.
    status: Option<StatusName>,
    /// The severity your team assigned, such as SEV2.
    severity: Option<Text>,
    /// Who wrote the postmortem.
    authors: Option<Vec<Text>>,
    /// Required. The IANA time zone that times without a zone of their own are
    /// in, such as Africa/Lagos or America/Los_Angeles. Not an abbreviation:
    /// WAT or PDT do not say when daylight saving applies.
    timezone: Option<Zone>,
    /// Required. The incident in brief: what, when, who was affected, and why.
    summary: Option<Summary>,
    /// Required, at least one entry. What happened, in order: the trigger,
    /// detection, what was tried (misleading paths too), escalations,
    /// mitigation and resolution.
    timeline: Option<Vec<Entry>>,
    /// Required. Why it happened: the conditions in the system that allowed it,
    /// not who did what.
    root_cause: Option<Text>,
    /// Required. How service was restored.
    resolution: Option<Text>,
    /// Required, at least one. What will change so it does not happen again:
    /// text, or `kind` and `text`.
    measures: Option<Vec<MeasureItem>>,
    /// Required, at least one. Specific follow-up work, each with an owner.
    tasks: Option<Vec<Task>>,
    /// What went well, what went wrong, and where the team was lucky.
    lessons: Option<Lessons>,
}

/// The incident in brief.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Summary {
    /// Required. What was down or slow, such as "Cloud email (SMTP relay)".
    service: Option<Text>,
    /// Required. When the impact began, with its date: 2023-09-10 16:00.
    start: Option<WrittenTime>,
    /// When service was fully restored. Required unless the status is draft.
    end: Option<WrittenTime>,
    /// Required. What users experienced.
    impact: Option<Text>,
    /// Required. The share of users affected, in percent: 20% or 20.
    affected: Option<Share>,
    /// Required. The cause in a sentence or two.
    cause: Option<Text>,
}

/// One timeline entry.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields, transform = entry_rules)]
struct Entry {
    /// Required. When it happened. A time alone, such as "16:15", is on the
    /// date of the entry before it; write the date when it changes.
    at: Option<WrittenTime>,
    /// What the entry records: trigger (what set it off), detected, action,
    /// misleading (a path that turned out wrong), escalated, mitigated,
    /// resolved, or note. Defaults to action.
    kind: Option<EntryKindName>,
    /// How the incident was detected: monitoring, engineer, customer or
    /// other. Only on a `detected` entry.
    how: Option<DetectionName>,
    /// Who it was escalated to. Only on an `escalated` entry.
    to: Option<Text>,
    /// Required. What happened.
    text: Option<Text>,
}

/// `how` belongs to `detected` entries and `to` to `escalated` ones.
fn entry_rules(schema: &mut Schema) {
    schema.insert(
        "allOf".into(),
        json!([
            {
                "if": { "properties": { "how": { "enum": Detection::NAMES } }, "required": ["how"] },
                "then": { "properties": { "kind": { "const": "detected" } }, "required": ["kind"] },
            },
            {
                "if": { "properties": { "to": { "not": { "type": "null" } } }, "required": ["to"] },
                "then": { "properties": { "kind": { "const": "escalated" } }, "required": ["kind"] },
            },
        ]),
    );
}

/// A measure: its text, or its kind and text.
#[derive(JsonSchema)]
#[schemars(untagged)]
enum MeasureItem {
    Text(Text),
    Typed(Measure),
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Measure {
    /// corrective (removes this incident's cause) or preventive (keeps the
    /// like from happening again).
    kind: Option<MeasureKindName>,
    /// Required. The measure.
    text: Option<Text>,
}

/// A follow-up task.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Task {
    /// Required. Specific work ("add an index on messages(user_id)"), not a
    /// wish ("improve monitoring").
    text: Option<Text>,
    /// The person or team who will do it. pm warns when it is missing.
    owner: Option<Text>,
    /// When it is due: YYYY-MM-DD.
    due: Option<DueDate>,
    /// Whether it is done: true or false.
    done: Option<Flag>,
}

#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Lessons {
    /// What went well.
    went_well: Option<Vec<Text>>,
    /// What went wrong.
    went_wrong: Option<Vec<Text>>,
    /// Where the team was lucky.
    lucky: Option<Vec<Text>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Settings, check};
    use crate::diagnostic::Severity;
    use crate::incident::keys;
    use crate::source::Source;
    use chrono::NaiveDate;
    use regex::Regex;
    use std::collections::BTreeSet;

    fn names(object: &Value) -> BTreeSet<String> {
        object["properties"]
            .as_object()
            .expect("properties")
            .keys()
            .cloned()
            .collect()
    }

    fn set(keys: &[&str]) -> BTreeSet<String> {
        keys.iter().map(|&k| k.to_owned()).collect()
    }

    /// The object branch of a nullable object, or of a measure.
    fn object(schema: &Value) -> &Value {
        if schema.get("properties").is_some() {
            return schema;
        }
        schema["anyOf"]
            .as_array()
            .and_then(|any| any.iter().find(|s| s.get("properties").is_some()))
            .expect("an object branch")
    }

    #[test]
    fn properties_are_the_decoders_keys() {
        let schema = schema();
        let top = &schema["properties"];
        assert_eq!(names(&schema), set(keys::TOP));
        assert_eq!(names(object(&top["summary"])), set(keys::SUMMARY));
        assert_eq!(names(object(&top["timeline"]["items"])), set(keys::ENTRY));
        assert_eq!(names(object(&top["measures"]["items"])), set(keys::MEASURE));
        assert_eq!(names(object(&top["tasks"]["items"])), set(keys::TASK));
        assert_eq!(names(object(&top["lessons"])), set(keys::LESSONS));
    }

    #[test]
    fn every_object_refuses_unknown_keys_and_every_property_is_described() {
        fn visit(value: &Value, path: &str) {
            match value {
                Value::Object(map) => {
                    if let Some(Value::Object(properties)) = map.get("properties")
                        && map.get("type").is_some()
                    {
                        assert_eq!(
                            map.get("additionalProperties"),
                            Some(&Value::Bool(false)),
                            "{path} allows unknown keys"
                        );
                        for (name, property) in properties {
                            let described = property["description"]
                                .as_str()
                                .is_some_and(|d| d.len() > 8);
                            assert!(described, "{path}.{name} has no description");
                        }
                    }
                    for (key, child) in map {
                        visit(child, &format!("{path}/{key}"));
                    }
                }
                Value::Array(items) => items.iter().for_each(|item| visit(item, path)),
                _ => {}
            }
        }
        let schema = schema();
        // The `then` clause only narrows properties described above it.
        let mut described = schema.clone();
        described.as_object_mut().expect("object").remove("then");
        visit(&described, "");
    }

    /// Keywords that mean the same in draft 7 and 2020-12, so editors that
    /// implement draft 7 read the schema as pm means it.
    #[test]
    fn only_keywords_shared_by_draft_7_and_2020_12() {
        const KEYWORDS: &[&str] = &[
            "$schema",
            "title",
            "description",
            "type",
            "enum",
            "const",
            "pattern",
            "minimum",
            "maximum",
            "minItems",
            "required",
            "additionalProperties",
            "properties",
            "items",
            "anyOf",
            "allOf",
            "not",
            "if",
            "then",
            // Annotations of yaml-language-server (and VS Code's JSON
            // service), which validators ignore in either draft.
            "errorMessage",
            "defaultSnippets",
        ];
        fn visit(schema: &Value, path: &str) {
            let Value::Object(map) = schema else {
                assert!(schema.is_boolean(), "{path} is not a schema");
                return;
            };
            for (key, value) in map {
                assert!(KEYWORDS.contains(&key.as_str()), "{path} uses `{key}`");
                let here = format!("{path}/{key}");
                match key.as_str() {
                    "properties" => value
                        .as_object()
                        .expect("properties")
                        .iter()
                        .for_each(|(name, s)| visit(s, &format!("{here}/{name}"))),
                    "anyOf" | "allOf" => value
                        .as_array()
                        .expect("list")
                        .iter()
                        .for_each(|s| visit(s, &here)),
                    "items" | "not" | "if" | "then" | "additionalProperties" => visit(value, &here),
                    _ => {}
                }
            }
        }
        visit(&schema(), "");
    }

    // --- Agreement with the decoder ----------------------------------

    /// A final postmortem with every key the format has. JSON is YAML.
    fn complete() -> Value {
        json!({
            "title": "Queue backlog",
            "status": "final",
            "severity": "SEV2",
            "authors": ["Ada"],
            "timezone": "Africa/Lagos",
            "summary": {
                "service": "Notification queue",
                "start": "2024-03-01 09:00",
                "end": "2024-03-01 11:30",
                "impact": "Notifications were delayed.",
                "affected": "20%",
                "cause": "A consumer deadlock.",
            },
            "timeline": [
                { "at": "2024-03-01 09:00", "kind": "trigger", "text": "Deployed." },
                { "at": "09:12", "kind": "detected", "how": "monitoring", "text": "Alert." },
                { "at": "09:30", "kind": "escalated", "to": "Platform", "text": "Escalated." },
                { "at": "11:30", "kind": "resolved", "text": "Drained." },
            ],
            "root_cause": "A lock held while waiting.",
            "resolution": "Rolled back.",
            "measures": [{ "kind": "preventive", "text": "Soak test upgrades." }],
            "tasks": [{ "text": "Add a soak test.", "owner": "ops", "due": "2024-04-01", "done": false }],
            "lessons": { "went_well": ["Alerts."], "went_wrong": ["Restarts."], "lucky": ["Off-peak."] },
        })
    }

    /// The rules of the errors pm reports for a document.
    fn errors(doc: &Value) -> Vec<&'static str> {
        let date = NaiveDate::from_ymd_opt(2024, 5, 1).expect("date");
        let checked = check(
            Source::new("t.yaml", &doc.to_string()),
            &Settings::new(date),
        );
        checked
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| d.rule.id)
            .collect()
    }

    /// The nested sections and their keys.
    const SECTIONS: &[(&str, &[&str])] = &[
        ("summary", keys::SUMMARY),
        ("timeline", keys::ENTRY),
        ("measures", keys::MEASURE),
        ("tasks", keys::TASK),
    ];

    /// The mappings of a nested section: `summary` itself, or a list's items.
    fn items<'a>(doc: &'a mut Value, section: &str) -> Vec<&'a mut Value> {
        match &mut doc[section] {
            Value::Array(items) => items.iter_mut().collect(),
            other => vec![other],
        }
    }

    #[test]
    fn the_complete_document_is_complete_and_passes() {
        let mut doc = complete();
        assert_eq!(errors(&doc), Vec::<&str>::new());
        assert_eq!(names(&json!({ "properties": doc })), set(keys::TOP));
        for (name, keys) in SECTIONS {
            let present: BTreeSet<String> = items(&mut doc, name)
                .iter()
                .flat_map(|item| item.as_object().expect("map").keys().cloned())
                .collect();
            assert_eq!(present, set(keys), "{name} lacks keys");
        }
    }

    /// Removing a key is an error outside a draft exactly when the schema's
    /// `then` requires it, and never an error in a draft.
    #[test]
    fn required_fields_are_the_ones_pm_reports_missing() {
        let schema = schema();
        let then = &schema["then"];
        let required = |clause: &Value| -> BTreeSet<String> {
            clause["required"]
                .as_array()
                .map(|r| {
                    r.iter()
                        .filter_map(|k| k.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default()
        };
        for status in ["final", "review", "draft"] {
            let expect = |required: bool| required && status != "draft";
            for key in keys::TOP.iter().filter(|&&k| k != "status") {
                let mut doc = complete();
                doc["status"] = json!(status);
                doc.as_object_mut().expect("map").remove(*key);
                assert_eq!(
                    errors(&doc).contains(&"missing-field"),
                    expect(required(then).contains(*key)),
                    "{status}: without `{key}`"
                );
            }
            let nested = [
                ("summary", &then["properties"]["summary"]),
                ("timeline", &then["properties"]["timeline"]["items"]),
                ("measures", &then["properties"]["measures"]["items"]["then"]),
                ("tasks", &then["properties"]["tasks"]["items"]),
            ];
            for ((section, section_keys), (_, clause)) in SECTIONS.iter().zip(nested) {
                for &key in *section_keys {
                    let mut doc = complete();
                    doc["status"] = json!(status);
                    let removed = items(&mut doc, section)
                        .into_iter()
                        .filter_map(|item| item.as_object_mut()?.remove(key))
                        .count();
                    assert!(removed > 0, "{section}.{key} is in no item");
                    let mut found = errors(&doc);
                    // An entry without `kind` is an action, so `how` and `to` then misplace.
                    if key == "kind" {
                        found.retain(|&rule| rule != "invalid-value");
                    }
                    assert_eq!(
                        found.contains(&"missing-field"),
                        expect(required(clause).contains(key)),
                        "{status}: {section} without `{key}`"
                    );
                }
            }
        }
    }

    #[test]
    fn lists_that_must_not_be_empty_are_the_ones_pm_reports() {
        let schema = schema();
        for key in ["authors", "timeline", "measures", "tasks"] {
            let mut doc = complete();
            doc[key] = json!([]);
            let must = schema["then"]["properties"][key]["minItems"] == json!(1);
            assert_eq!(
                errors(&doc).contains(&"missing-field"),
                must,
                "empty `{key}`"
            );
        }
    }

    #[test]
    fn blank_or_null_required_values_are_missing() {
        let schema = schema();
        let then = &schema["then"]["properties"];
        let text = |clause: &Value, key: &str| clause[key]["pattern"] == json!("\\S");
        for key in required::TOP {
            let mut doc = complete();
            doc[key] = Value::Null;
            assert!(errors(&doc).contains(&"missing-field"), "null `{key}`");
            if text(then, key) {
                doc[key] = json!("  ");
                assert!(errors(&doc).contains(&"missing-field"), "blank `{key}`");
            }
        }
        for key in required::SUMMARY {
            let mut doc = complete();
            doc["summary"][key] = Value::Null;
            assert!(
                errors(&doc).contains(&"missing-field"),
                "null summary.{key}"
            );
            if text(&then["summary"]["properties"], key) {
                doc["summary"][key] = json!(" ");
                assert!(
                    errors(&doc).contains(&"missing-field"),
                    "blank summary.{key}"
                );
            }
        }
        for (section, clause) in [
            ("timeline", &then["timeline"]["items"]["properties"]),
            ("measures", &then["measures"]["items"]["then"]["properties"]),
            ("tasks", &then["tasks"]["items"]["properties"]),
        ] {
            let mut doc = complete();
            doc[section][0]["text"] = json!(" ");
            assert!(text(clause, "text"), "{section}");
            assert!(
                errors(&doc).contains(&"missing-field"),
                "blank {section} text"
            );
        }
    }

    // --- Patterns against pm's parsing --------------------------------

    fn regex(pattern: &str) -> Regex {
        Regex::new(pattern).expect("pattern compiles")
    }

    #[test]
    fn every_time_pm_reads_matches_the_time_pattern() {
        let pattern = regex(TIME_PATTERN);
        let dates = [
            "",
            "2024-03-01 ",
            "2024-03-01T",
            "2024-03-01t",
            "2024-03-01  ",
            "2024-03-01",
            "2024-13-01 ",
            "2024-3-01 ",
            "24-03-01 ",
        ];
        let times = [
            "9:05",
            "09:05",
            "23:59",
            "24:00",
            "9:5",
            "09:05:07",
            "09:05:07.123",
            "09:05:7",
            "9",
            "09:05:07.",
            "123:00",
        ];
        let meridiems = [
            "", " am", "AM", " p.m.", " P.M.", "pm", " a.m", " amx", " pmZ",
        ];
        let zones = [
            "",
            "Z",
            " Z",
            " z",
            " UTC",
            " GMT",
            " +01:00",
            "+0100",
            " -3:30",
            " +01",
            " UTC+1",
            " GMT-03:00",
            " Africa/Lagos",
            " America/Port-au-Prince",
            " Etc/GMT+5",
            " EST5EDT",
            " WAT",
            " (WAT)",
            " ( PDT )",
            " (WAT",
            " Not/AZone",
            " +25:00",
            " W",
            " UTC +01:00",
            " 5",
            " WAT extra",
        ];
        let (mut read, mut refused) = (0, 0);
        for date in dates {
            for time in times {
                for meridiem in meridiems {
                    for zone in zones {
                        let text = format!(" {date}{time}{meridiem}{zone} ");
                        if crate::time::parse(&text).is_ok() {
                            read += 1;
                            assert!(
                                pattern.is_match(&text),
                                "pm reads `{text}`; the schema refuses it"
                            );
                        } else if !pattern.is_match(&text) {
                            refused += 1;
                        }
                    }
                }
            }
        }
        // Both sides of the corpus are exercised.
        assert!(
            read > 1000 && refused > 1000,
            "read {read}, refused {refused}"
        );
        for text in [
            "yesterday",
            "half past eleven",
            "2024-03-01",
            "",
            "noon",
            "9.30",
            "0930",
        ] {
            assert!(crate::time::parse(text).is_err(), "{text}");
            assert!(!pattern.is_match(text), "the schema accepts `{text}`");
        }
    }

    /// Whether pm reads a text share, through the decoder.
    fn pm_reads_share(text: &str) -> bool {
        let mut doc = complete();
        doc["summary"]["affected"] = json!(text);
        !errors(&doc).contains(&"invalid-value")
    }

    #[test]
    fn the_share_pattern_agrees_with_pm() {
        let pattern = regex(SHARE_PATTERN);
        for text in [
            "20%",
            "20",
            "20.5",
            "20.5 %",
            " 20 % ",
            "100",
            "100%",
            "100.0",
            "100.00%",
            "0",
            "0%",
            "0.0",
            ".5",
            "5.",
            "007",
            "+5",
            "20%%",
            "101",
            "100.1",
            "-1",
            "-0.5",
            "abc",
            "20 percent",
            "%",
            "",
            "twenty",
            "1,5",
            "50% of users",
            "200%",
        ] {
            assert_eq!(
                pattern.is_match(text),
                pm_reads_share(text),
                "`{text}`: schema and pm disagree"
            );
        }
    }

    #[test]
    fn every_due_date_pm_reads_matches_the_date_pattern() {
        let pattern = regex(DATE_PATTERN);
        let reads = |text: &str| {
            let mut doc = complete();
            doc["tasks"][0]["due"] = json!(text);
            !errors(&doc).contains(&"invalid-value")
        };
        for text in [
            "2024-04-01",
            " 2024-04-01 ",
            "2024-4-1",
            "2024-04-1",
            "2024-02-30",
            "2024/04/01",
            "01-04-2024",
            "2024-04-01T00:00",
            "next week",
            "20240401",
            "+2024-04-01",
            "12024-04-01",
        ] {
            if reads(text) {
                assert!(
                    pattern.is_match(text),
                    "pm reads `{text}`; the schema refuses it"
                );
            }
        }
        for text in [
            "2024/04/01",
            "01-04-2024",
            "2024-04-01T00:00",
            "next week",
            "20240401",
        ] {
            assert!(!reads(text), "{text}");
            assert!(!pattern.is_match(text), "the schema accepts `{text}`");
        }
    }

    #[test]
    fn the_placeholder_pattern_agrees_with_pm() {
        let pattern = regex(PLACEHOLDER_PATTERN);
        for text in [
            "TODO",
            "x TODO y",
            "(TBD)",
            "FIXME:",
            "<what users experienced>",
            "<...>",
            "<…>",
            "see <the thing here> now",
            "<b and c>",
            "a todo list",
            "TODOS are fine",
            "Tbd",
            "use <br> here",
            "<a href=\"x\">link</a>",
            "latency <= 5 ms and > 2 ms",
            "STODO",
            "FIXMEs",
            "<kind>",
            "<YYYY-MM-DD>",
            "< leading space>",
        ] {
            assert_eq!(
                pattern.is_match(text),
                crate::rules::is_placeholder(text),
                "`{text}`: schema and pm disagree"
            );
        }
    }

    #[test]
    fn time_zones_pm_accepts_match_and_abbreviations_do_not() {
        let schema = schema();
        let timezone = &schema["properties"]["timezone"];
        let pattern = regex(timezone["pattern"].as_str().expect("pattern"));
        for tz in chrono_tz::TZ_VARIANTS {
            assert!(crate::time::parse_zone_name(tz.name()).is_ok());
            assert!(pattern.is_match(tz.name()), "{}", tz.name());
        }
        for text in [
            "WAT",
            "PDT",
            "BST",
            "pst",
            "Africa/",
            "/Lagos",
            "Africa Lagos",
            "",
        ] {
            assert!(crate::time::parse_zone_name(text).is_err(), "{text}");
            assert!(!pattern.is_match(text), "the schema accepts `{text}`");
        }
        // Completion offers the canonical zones only, and no text lists them.
        let offered: Vec<&str> = timezone["defaultSnippets"]
            .as_array()
            .expect("snippets")
            .iter()
            .map(|s| s["body"].as_str().expect("body"))
            .collect();
        assert_eq!(offered, crate::zones::CANONICAL);
        assert!(!offered.contains(&"Asia/Calcutta") && !offered.contains(&"US/Pacific"));
        for text in [&timezone["description"], &timezone["errorMessage"]] {
            let text = text.as_str().expect("text");
            let named = offered.iter().filter(|zone| text.contains(*zone)).count();
            assert!(named <= 2, "{text}");
        }
    }

    /// yaml-language-server titles a hover with the nearest title, and
    /// joins the titles of an `anyOf`'s branches when it takes them all to
    /// match: each property has its own, and no two branches look alike.
    #[test]
    fn titles_are_the_keys_and_branches_differ() {
        fn visit(value: &Value, path: &str) {
            let Value::Object(map) = value else { return };
            if let Some(Value::Object(properties)) = map.get("properties")
                && map.contains_key("type")
            {
                for (name, property) in properties {
                    assert_eq!(property["title"], json!(name), "{path}.{name}");
                }
            }
            if let (Some(Value::Array(branches)), Some(own)) =
                (map.get("anyOf"), map.get("description"))
            {
                let described: Vec<&Value> = branches.iter().map(|b| &b["description"]).collect();
                assert!(
                    described.iter().all(|d| d.is_string()),
                    "{path}: a branch undescribed"
                );
                // A value branch shows the property's description; the
                // placeholder and empty ones are each told apart.
                for branch in branches {
                    let d = &branch["description"];
                    let alike = described.iter().filter(|other| **other == d).count();
                    assert!(d == own || alike == 1, "{path}: two branches alike");
                }
            }
            for (key, child) in map {
                visit(child, &format!("{path}/{key}"));
            }
        }
        let schema = schema();
        assert_eq!(schema["title"], "pm postmortem");
        visit(&schema["properties"], "");
    }
}
