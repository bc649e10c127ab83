//! The incident format as a JSON Schema (draft 2020-12), for editors and
//! other validators, generated from the field table (`format`): every
//! property, its description, what is required outside a draft and which
//! lists must not be empty come from there. Tests keep it honest against the
//! decoder: its required fields against what the decoder reports missing,
//! and its patterns against `time::parse` and the decoder's own reading of
//! shares, dates and placeholders.
//!
//! The schema uses only keywords that mean the same in draft 7 (what the
//! YAML language server implements) and draft 2020-12, and no `$ref`.

use super::format::{self, Field, Required, Section, Shape};
use super::model::Detection;
use crate::time::ACCEPTED_FORMS;
use serde_json::{Map, Value, json};

/// The schema of a postmortem file.
pub fn schema() -> Value {
    let mut root = object(&format::DOCUMENT);
    if let Some(root) = root.as_object_mut() {
        root.insert(
            "$schema".into(),
            json!("https://json-schema.org/draft/2020-12/schema"),
        );
        root.insert("title".into(), json!("pm postmortem"));
        root.insert("description".into(), json!(format::DOCUMENT.docs));
        // Only a postmortem in review or final must be complete: in a draft,
        // pm reports what is missing as warnings, which do not fail a check.
        root.insert(
            "if".into(),
            json!({
                "properties": { "status": { "enum": ["review", "final"] } },
                "required": ["status"],
            }),
        );
        root.insert("then".into(), complete(&format::DOCUMENT));
    }
    root
}

/// A section as a closed object: its properties, described.
fn object(section: &'static Section) -> Value {
    let properties: Map<String, Value> = section
        .fields
        .iter()
        .map(|field| (field.name.to_owned(), property(field)))
        .collect();
    let mut object = json!({
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
    });
    if section.name == Some("timeline") {
        entry_rules(&mut object);
    }
    object
}

/// A field's schema, with its title and description.
///
/// The titles are for yaml-language-server's hovers: a schema without a
/// title of its own inherits the nearest one above it, so every hover used
/// to be titled "pm postmortem", and twice or three times over
/// ("pm postmortem || pm postmortem") where a property is an `anyOf` whose
/// branches, all untitled and undescribed, looked alike to its test of
/// which branches matched. Each property has its own title, the branches
/// that hold a value its description, and the placeholder and empty
/// branches descriptions of their own.
fn property(field: &Field) -> Value {
    let mut schema = shape(field.shape);
    let mut description = field.docs.to_owned();
    if matches!(field.shape, Shape::Time | Shape::EntryTime) {
        description.push_str(&format!(" Written as {}.", ACCEPTED_FORMS.replace('`', "")));
    }
    if let Some(map) = schema.as_object_mut() {
        map.insert("title".into(), json!(field.name));
        if let Some(Value::Array(branches)) = map.get_mut("anyOf") {
            for branch in branches.iter_mut().filter_map(Value::as_object_mut) {
                branch
                    .entry("description")
                    .or_insert_with(|| Value::String(description.clone()));
            }
        }
        map.insert("description".into(), json!(description));
    }
    schema
}

fn shape(shape: Shape) -> Value {
    // Any scalar is text to pm: `title: 2024` is the title "2024". Null is a
    // field left empty, which only a draft may do.
    let text = json!({ "type": ["string", "number", "boolean", "null"] });
    match shape {
        Shape::Text => text,
        Shape::TextList => json!({ "type": ["array", "null"], "items": text }),
        Shape::Choice(names) => choice(names),
        // Not an `enum` of the zones: yaml-language-server would print all of
        // them in every hover ("Allowed Values") and in the error for a wrong
        // one. The pattern refuses what is no zone name, with a message that
        // names none; completion offers the canonical zones
        // (`crate::zones`) as `defaultSnippets`, which hovers and errors do
        // not show.
        Shape::Zone => json!({
            "type": ["string", "null"],
            "pattern": zone_pattern(),
            "errorMessage": "not an IANA time zone name: write the zone of the place, such as Africa/Lagos or America/Los_Angeles (`pm check` names the one an abbreviation stands for)",
            "defaultSnippets": crate::zones::CANONICAL
                .iter()
                .map(|zone| json!({ "label": zone, "body": zone }))
                .collect::<Vec<_>>(),
        }),
        Shape::Time => json!({
            "anyOf": [
                { "type": "string", "pattern": TIME_PATTERN },
                placeholder(),
                empty(),
            ],
        }),
        Shape::EntryTime => json!({
            "anyOf": [
                { "type": "string", "pattern": TIME_PATTERN },
                { "type": "string", "pattern": ENTRY_TIME_PATTERN },
                placeholder(),
                empty(),
            ],
        }),
        Shape::Affected(count) => json!({
            "anyOf": [
                { "type": "number", "minimum": 0, "maximum": 100 },
                { "type": "string", "pattern": SHARE_PATTERN },
                { "const": "unknown" },
                object(count),
                placeholder(),
                empty(),
            ],
        }),
        Shape::Duration => json!({
            "anyOf": [
                { "type": "string", "pattern": DURATION_PATTERN },
                placeholder(),
                empty(),
            ],
        }),
        Shape::Url => json!({
            "anyOf": [
                { "type": "string", "pattern": URL_PATTERN },
                placeholder(),
                empty(),
            ],
        }),
        // An issue key or a URL: pm tells a URL of another scheme apart.
        Shape::Ticket => json!({ "type": ["string", "number", "null"] }),
        Shape::Tags => json!({
            "type": ["array", "null"],
            "items": { "type": "string", "pattern": TAG_PATTERN },
        }),
        Shape::Count => json!({ "type": "integer", "minimum": 0 }),
        Shape::Date => json!({
            "anyOf": [
                { "type": "string", "pattern": DATE_PATTERN },
                placeholder(),
                empty(),
            ],
        }),
        Shape::Flag => json!({ "type": ["boolean", "null"] }),
        Shape::Map(section) => {
            let mut schema = object(section);
            schema["type"] = json!(["object", "null"]);
            schema
        }
        Shape::List(section) => json!({ "type": ["array", "null"], "items": item(section) }),
        Shape::TextOrMapList(section) => {
            let mut text = text;
            text["description"] = json!(section.docs);
            let mut map = object(section);
            map["description"] = json!(section.docs);
            json!({
                "type": ["array", "null"],
                "items": { "anyOf": [text, map], "description": section.docs },
            })
        }
    }
}

/// The object schema of a list's items, described.
fn item(section: &'static Section) -> Value {
    let mut schema = object(section);
    schema["description"] = json!(section.docs);
    schema
}

/// `how` belongs to `detected` entries and `to` to `escalated` ones.
fn entry_rules(schema: &mut Value) {
    schema["allOf"] = json!([
        {
            "if": { "properties": { "how": { "enum": Detection::NAMES } }, "required": ["how"] },
            "then": { "properties": { "kind": { "const": "detected" } }, "required": ["kind"] },
        },
        {
            "if": { "properties": { "to": { "not": { "type": "null" } } }, "required": ["to"] },
            "then": { "properties": { "kind": { "const": "escalated" } }, "required": ["kind"] },
        },
    ]);
}

/// What a section must have outside a draft: every required field present,
/// not null, and text not blank; required lists not empty; and the same
/// within nested sections.
fn complete(section: &'static Section) -> Value {
    let required: Vec<&str> = section
        .required()
        .filter(|f| !matches!(f.required, Required::Unless(_)))
        .map(|f| f.name)
        .collect();
    // `root_cause` unless `contributing_factors` has an item: one or the other.
    let either: Vec<Value> = section
        .required()
        .filter_map(|f| match f.required {
            Required::Unless(other) => Some(json!({
                "anyOf": [
                    {
                        "required": [f.name],
                        "properties": { f.name: { "not": { "type": "null" }, "pattern": "\\S" } },
                    },
                    {
                        "required": [other],
                        "properties": { other: { "type": "array", "minItems": 1 } },
                    },
                ],
            })),
            _ => None,
        })
        .collect();
    let mut properties = Map::new();
    for field in section
        .required()
        .filter(|f| !matches!(f.required, Required::Unless(_)))
    {
        let mut clause = Map::new();
        clause.insert("not".into(), json!({ "type": "null" }));
        if matches!(field.shape, Shape::Text) {
            clause.insert("pattern".into(), json!("\\S"));
        }
        match field.shape {
            Shape::Map(inner) => {
                clause = complete(inner).as_object().cloned().unwrap_or_default();
                clause.insert("type".into(), json!("object"));
            }
            Shape::List(inner) | Shape::TextOrMapList(inner) => {
                clause.remove("not");
                clause.insert("type".into(), json!("array"));
                clause.insert("minItems".into(), json!(1));
                let items = complete(inner);
                let items = if matches!(field.shape, Shape::TextOrMapList(_)) {
                    // Only a mapping item has fields to require.
                    json!({ "if": { "type": "object" }, "then": items })
                } else {
                    items
                };
                clause.insert("items".into(), items);
            }
            _ => {}
        }
        properties.insert(field.name.to_owned(), clause.into());
    }
    let mut out = Map::new();
    if !required.is_empty() {
        out.insert("required".into(), json!(required));
    }
    out.insert("properties".into(), properties.into());
    if !either.is_empty() {
        out.insert("allOf".into(), either.into());
    }
    out.into()
}

// --- Value patterns -------------------------------------------------------
// ECMA-262 and Rust's regex agree on all of these; tests run them with the
// latter against pm's own parsing.

/// A time as `time::parse` reads it, or approximate (`~13:00`). Looser than pm where only pm can tell
/// (an hour past 12 with PM, a zone name that does not exist): pm reports
/// those with a precise message.
pub const TIME_PATTERN: &str = r"^\s*(~\s*)?([0-9]{4}-[0-9]{2}-[0-9]{2}[Tt\s]*)?[0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(\s*([aApP]\.[mM]\.|[aApP][mM]))?\s*([A-Za-z0-9_+/:-]+|\(\s*[A-Za-z0-9_+/:-]+\s*\))?(\s+([+-][0-9:]+|\(?\s*[A-Z]{2,6}\s*\)?))?\s*$";

/// A timeline entry's time: a time as above, a date alone (`2023-03-26`),
/// or `unknown`.
pub const ENTRY_TIME_PATTERN: &str =
    r"^\s*([0-9]{4}-[0-9]{2}-[0-9]{2}|[Uu][Nn][Kk][Nn][Oo][Ww][Nn])\s*$";

/// A share of users written as text: `20%`, `20`, `12.5 %`, from 0 to 100.
pub const SHARE_PATTERN: &str =
    r"^\s*\+?(0*(100(\.0*)?|[0-9]{1,2}(\.[0-9]*)?)|0*\.[0-9]+)\s*%*\s*$";

/// A duration as `time::parse_duration` reads it.
pub const DURATION_PATTERN: &str = r"^\s*([Pp]([0-9]+[Dd])?([Tt]([0-9]+[HhMmSs])+)?|[0-9]+\s*[A-Za-z]+(\s*(,|and)?\s*[0-9]+\s*[A-Za-z]+)*)\s*$";

/// An absolute `http(s)` URL.
pub const URL_PATTERN: &str = r"^\s*[Hh][Tt][Tt][Pp][Ss]?://[^/?#\s]+\S*\s*$";

/// A label with no capital letter or space (pm reads Unicode case).
pub const TAG_PATTERN: &str = r"^\s*[^A-Z\s]+\s*$";

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
fn choice(names: &[&str]) -> Value {
    json!({
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

    /// The names of the fields of a section required outside a draft,
    /// whatever else the document has.
    fn required(section: &'static format::Section) -> Vec<&'static str> {
        section
            .required()
            .filter(|f| !matches!(f.required, format::Required::Unless(_)))
            .map(|f| f.name)
            .collect()
    }

    /// `root_cause` is required unless `contributing_factors` has an item,
    /// in pm and in the schema's `then`.
    #[test]
    fn root_cause_gives_way_to_contributing_factors() {
        let mut doc = complete();
        doc.as_object_mut().expect("map").remove("root_cause");
        assert!(!errors(&doc).contains(&"missing-field"), "factors stand in");
        doc["contributing_factors"] = json!([]);
        assert!(
            errors(&doc).contains(&"missing-field"),
            "no factors, no cause"
        );
        doc.as_object_mut()
            .expect("map")
            .remove("contributing_factors");
        assert!(errors(&doc).contains(&"missing-field"), "neither");
        let then = schema()["then"].clone();
        let either = then["allOf"][0]["anyOf"].clone();
        assert_eq!(either[0]["required"], json!(["root_cause"]));
        assert_eq!(either[1]["required"], json!(["contributing_factors"]));
        assert_eq!(
            either[1]["properties"]["contributing_factors"]["minItems"],
            json!(1)
        );
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
        assert_eq!(names(&schema), set(&keys::top()));
        assert_eq!(names(object(&top["summary"])), set(&keys::summary()));
        assert_eq!(
            names(object(&top["timeline"]["items"])),
            set(&keys::entry())
        );
        assert_eq!(
            names(object(&top["measures"]["items"])),
            set(&keys::measure())
        );
        assert_eq!(names(object(&top["tasks"]["items"])), set(&keys::task()));
        assert_eq!(names(object(&top["lessons"])), set(&keys::lessons()));
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
            "id": "INC-7",
            "status": "final",
            "severity": "SEV2",
            "tags": ["queue"],
            "authors": ["Ada"],
            "people": [{ "name": "Ada", "role": "incident commander" }],
            "timezone": "Africa/Lagos",
            "summary": {
                "service": "Notification queue",
                "start": "2024-03-01 09:00",
                "end": "2024-03-01 11:30",
                "duration": "2h 30m",
                "impact": "Notifications were delayed.",
                "affected": "20%",
                "cause": "A consumer deadlock.",
            },
            "timeline": [
                { "at": "2024-03-01 09:00", "kind": "trigger", "text": "Deployed.", "by": "Ada", "url": "https://ci.example.com/1" },
                { "at": "09:12", "kind": "detected", "how": "monitoring", "text": "Alert." },
                { "at": "09:30", "kind": "escalated", "to": "Platform", "text": "Escalated." },
                { "at": "11:30", "kind": "resolved", "text": "Drained." },
            ],
            "root_cause": "A lock held while waiting.",
            "resolution": "Rolled back.",
            "measures": [{ "kind": "preventive", "text": "Soak test upgrades." }],
            "tasks": [{ "text": "Add a soak test.", "owner": "ops", "due": "2024-04-01", "done": false, "kind": "prevent", "ticket": "OPS-1" }],
            "lessons": { "went_well": ["Alerts."], "went_wrong": ["Restarts."], "lucky": ["Off-peak."] },
            "contributing_factors": [{ "text": "A lock held while waiting.", "kind": "latent" }],
            "links": [{ "label": "Dashboard", "url": "https://grafana.example.com/d/1" }],
            "notes": [{ "heading": "Background", "text": "The queue moved last week." }],
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
    const SECTIONS: &[(&str, &format::Section)] = &[
        ("summary", &format::SUMMARY),
        ("timeline", &format::ENTRY),
        ("measures", &format::MEASURE),
        ("tasks", &format::TASK),
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
        assert_eq!(names(&json!({ "properties": doc })), set(&keys::top()));
        for (name, section) in SECTIONS {
            let present: BTreeSet<String> = items(&mut doc, name)
                .iter()
                .flat_map(|item| item.as_object().expect("map").keys().cloned())
                .collect();
            assert_eq!(present, set(&keys::of(section)), "{name} lacks keys");
        }
    }

    /// Removing a key is an error outside a draft exactly when the schema's
    /// `then` requires it, and never an error in a draft.
    #[test]
    fn required_fields_are_the_ones_pm_reports_missing() {
        let schema = schema();
        let then = &schema["then"];
        let required_in = |clause: &Value| -> BTreeSet<String> {
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
            for key in keys::top().into_iter().filter(|&k| k != "status") {
                let mut doc = complete();
                doc["status"] = json!(status);
                doc.as_object_mut().expect("map").remove(key);
                assert_eq!(
                    errors(&doc).contains(&"missing-field"),
                    expect(required_in(then).contains(key)),
                    "{status}: without `{key}`"
                );
            }
            let nested = [
                ("summary", &then["properties"]["summary"]),
                ("timeline", &then["properties"]["timeline"]["items"]),
                ("measures", &then["properties"]["measures"]["items"]["then"]),
                ("tasks", &then["properties"]["tasks"]["items"]),
            ];
            for ((section, table), (_, clause)) in SECTIONS.iter().zip(nested) {
                for key in table.keys() {
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
                        expect(required_in(clause).contains(key)),
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
        for key in required(&format::DOCUMENT) {
            let mut doc = complete();
            doc[key] = Value::Null;
            assert!(errors(&doc).contains(&"missing-field"), "null `{key}`");
            if text(then, key) {
                doc[key] = json!("  ");
                assert!(errors(&doc).contains(&"missing-field"), "blank `{key}`");
            }
        }
        for key in required(&format::SUMMARY) {
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
            " PDT -07:00",
            " -0700 (PDT)",
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
