//! `pm export`'s output: the resolved model of a postmortem as JSON, for
//! tools and dashboards, and its JSON Schema. docs/export.md documents both.
//!
//! Every field of the format is in it under its own name (a test walks
//! `format::paths()` over it), with every key always present (`null` or an
//! empty list when not written), lists of text-or-mapping items always as
//! mappings, and each time resolved: its text as written, its precision,
//! its day, and its instant in the document's zone and in UTC. Computed
//! lengths are in seconds. Nothing in it depends on the day pm runs.
//!
//! The schema is generated from the field table, like the format's own
//! (`incident::schema`): one property per field, from its shape, all of them
//! required and no others allowed, so a field missing from the export or an
//! undocumented key fails its validation (a test validates every example).

use crate::incident::format::{self, Field, Section, Shape};
use crate::incident::{Affected, Incident, Metrics, Sp, Texts, Time};
use chrono::{DateTime, FixedOffset, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use serde_json::{Map, Value, json};

/// One exported postmortem.
#[derive(Debug, Serialize)]
pub struct Document {
    /// The file it was read from, as pm names it in findings.
    pub file: String,
    /// Every text field of the document by its name (`title`, `id`,
    /// `severity`, `root_cause`, `resolution`, ...), `null` when not written.
    #[serde(flatten)]
    pub texts: Fields,
    pub status: &'static str,
    pub tags: Vec<String>,
    pub authors: Vec<String>,
    pub people: Vec<Person>,
    /// The zone as written.
    pub timezone: Option<String>,
    pub summary: Summary,
    pub timeline: Vec<Entry>,
    pub contributing_factors: Vec<Factor>,
    pub measures: Vec<Measure>,
    pub tasks: Vec<Task>,
    pub lessons: Option<Lessons>,
    pub links: Vec<Link>,
    pub notes: Vec<Note>,
    /// Lengths computed from the times, in seconds.
    pub metrics: Seconds,
}

#[derive(Debug, Serialize)]
pub struct Summary {
    /// `service`, `impact`, `cause`, ...: `null` when not written.
    #[serde(flatten)]
    pub texts: Fields,
    pub start: Option<When>,
    pub end: Option<When>,
    pub duration: Option<Stated>,
    /// A share in percent (a number), `{count, unit, of}`, or `"unknown"`.
    pub affected: Option<Value>,
}

/// Text fields by name, in the order of the format.
#[derive(Debug)]
pub struct Fields(pub Vec<(&'static str, Option<String>)>);

impl Serialize for Fields {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(name, value)| (name, value)))
    }
}

/// A time, resolved.
#[derive(Debug, Serialize)]
pub struct When {
    /// As written, `~` included.
    pub written: String,
    /// `exact`, `approximate`, `date` or `unknown`.
    pub precision: &'static str,
    /// The day in the document's zone (`YYYY-MM-DD`), when known.
    pub date: Option<String>,
    /// The instant in RFC 3339, at the document zone's offset then; `null`
    /// for a date alone, an unknown time, or one that could not be resolved.
    pub local: Option<String>,
    /// The same instant in UTC (`...Z`).
    pub utc: Option<String>,
}

/// A duration as the document states it.
#[derive(Debug, Serialize)]
pub struct Stated {
    pub written: String,
    pub seconds: i64,
}

#[derive(Debug, Serialize)]
pub struct Entry {
    pub at: Option<When>,
    pub kind: &'static str,
    pub how: Option<&'static str>,
    pub to: Option<String>,
    pub text: Option<String>,
    pub by: Option<String>,
    pub url: Option<String>,
}

use crate::render::context::owned;
/// The same views as the template context's, from the same conversions.
pub use crate::render::context::{Factor, Lessons, Link, Measure, Note, Person, Task};

/// `Incident::metrics()` in whole seconds; `null` where a time is missing.
#[derive(Debug, Serialize)]
pub struct Seconds {
    pub duration: Option<i64>,
    pub time_to_detect: Option<i64>,
    pub time_to_mitigate: Option<i64>,
    pub time_to_resolve: Option<i64>,
}

/// The computed values beside the format's fields: what the schema adds to
/// the table, and docs/export.md documents.
const METRICS: [(&str, &str); 4] = [
    (
        "duration",
        "`summary.end` minus `summary.start`, in seconds.",
    ),
    (
        "time_to_detect",
        "The earliest `detected` entry minus `summary.start`, in seconds.",
    ),
    (
        "time_to_mitigate",
        "The earliest `mitigated` entry minus `summary.start`, in seconds.",
    ),
    (
        "time_to_resolve",
        "`summary.end` minus the earliest `detected` entry, in seconds.",
    ),
];

/// Fields that always have a value in the model: a default applies, or an
/// item without them is not an item.
const NEVER_NULL: &[&str] = &[
    "status",
    "summary.affected.count",
    "timeline.kind",
    "contributing_factors.text",
    "measures.text",
    "tasks.done",
    "links.url",
    "people.name",
];

/// The export of one incident read from `file`.
pub fn document(file: &str, incident: &Incident) -> Document {
    let zone = incident.zone;
    let when = |t: &Option<Box<Time>>| t.as_deref().map(|t| When::new(t, zone));
    let metrics = incident.metrics();
    Document {
        file: file.to_owned(),
        texts: texts(&format::DOCUMENT, &incident.texts),
        status: incident.status.as_str(),
        tags: all(&incident.tags),
        authors: all(&incident.authors),
        people: incident.people.iter().map(Person::from).collect(),
        timezone: owned(incident.timezone.as_ref()),
        summary: Summary {
            texts: texts(&format::SUMMARY, &incident.summary.texts),
            start: when(&incident.summary.start),
            end: when(&incident.summary.end),
            duration: incident.summary.duration.as_ref().map(|d| Stated {
                written: d.value.written.clone(),
                seconds: d.value.duration.num_seconds(),
            }),
            affected: incident
                .summary
                .affected
                .as_ref()
                .map(|a| affected(&a.value)),
        },
        timeline: incident
            .timeline
            .iter()
            .map(|e| Entry {
                at: when(&e.at),
                kind: e.kind.value.as_str(),
                how: e.how.as_ref().map(|h| h.value.as_str()),
                to: owned(e.to.as_deref()),
                text: owned(e.text.as_ref()),
                by: owned(e.by.as_deref()),
                url: owned(e.url.as_deref()),
            })
            .collect(),
        contributing_factors: incident
            .contributing_factors
            .iter()
            .map(Factor::from)
            .collect(),
        measures: incident.measures.iter().map(Measure::from).collect(),
        tasks: incident.tasks.iter().map(Task::from).collect(),
        lessons: incident.lessons.as_ref().map(Lessons::from),
        links: incident.links.iter().map(Link::from).collect(),
        notes: incident.notes.iter().map(Note::from).collect(),
        metrics: seconds(&metrics),
    }
}

fn seconds(metrics: &Metrics) -> Seconds {
    let s = |d: Option<chrono::Duration>| d.map(|d| d.num_seconds());
    Seconds {
        duration: s(metrics.duration),
        time_to_detect: s(metrics.time_to_detect),
        time_to_mitigate: s(metrics.time_to_mitigate),
        time_to_resolve: s(metrics.time_to_resolve),
    }
}

fn all(values: &[Sp<String>]) -> Vec<String> {
    values.iter().map(|s| s.value.trim().to_owned()).collect()
}

/// Every text field the table declares for a section, written or not.
fn texts(section: &Section, written: &Texts) -> Fields {
    Fields(
        section
            .fields
            .iter()
            .filter(|f| matches!(f.shape, Shape::Text))
            .map(|f| (f.name, written.get(f.name).map(|t| t.value.clone())))
            .collect(),
    )
}

impl When {
    fn new(time: &Time, zone: Option<Tz>) -> Self {
        use crate::incident::Precision;
        // A date alone has no time of day, and an unknown time no instant.
        let at = match time.precision {
            Precision::Exact | Precision::Approximate => time.at,
            Precision::Date | Precision::Unknown => None,
        };
        let local = at.map(|at| in_zone(at, zone));
        let date = match time.precision {
            Precision::Unknown => None,
            Precision::Date => time.day,
            Precision::Exact | Precision::Approximate => local.map(|l| l.date_naive()),
        };
        When {
            written: time.written.value.trim().to_owned(),
            precision: time.precision.as_str(),
            date: date.map(|d| d.format("%Y-%m-%d").to_string()),
            local: local.map(|l| l.to_rfc3339()),
            utc: at.map(|at| {
                at.with_timezone(&Utc)
                    .format("%Y-%m-%dT%H:%M:%SZ")
                    .to_string()
            }),
        }
    }
}

/// The instant at the offset the document's zone has then (a time written
/// with another zone of its own is shown in the document's).
fn in_zone(at: DateTime<FixedOffset>, zone: Option<Tz>) -> DateTime<FixedOffset> {
    zone.map_or(at, |tz| at.with_timezone(&tz).fixed_offset())
}

fn affected(value: &Affected) -> Value {
    match value {
        Affected::Share(share) => {
            if share.fract() == 0.0 && share.abs() < 1e15 {
                Value::from(*share as i64)
            } else {
                Value::from(*share)
            }
        }
        Affected::Count { count, unit, of } => json!({ "count": count, "unit": unit, "of": of }),
        Affected::Unknown => Value::from("unknown"),
    }
}

/// The JSON Schema (draft 2020-12) of `pm export --format json`: an array
/// of documents. `--format jsonl` prints one document a line, each valid
/// against `$defs.document`.
pub fn schema() -> Value {
    let mut document = object(&format::DOCUMENT, "");
    if let Some(map) = document.as_object_mut() {
        map.insert("description".into(), json!("One exported postmortem."));
        insert_property(
            map,
            "file",
            json!({
                "type": "string",
                "description": "The file it was read from, as pm names it in findings (`<stdin>` for `-`).",
            }),
        );
        let metrics: Map<String, Value> = METRICS
            .iter()
            .map(|(name, docs)| {
                (
                    (*name).to_owned(),
                    json!({ "type": ["integer", "null"], "description": docs }),
                )
            })
            .collect();
        insert_property(
            map,
            "metrics",
            json!({
                "type": "object",
                "description": "Lengths computed from the times, in seconds; null where a time they need is missing. Differences between instants: an incident across a DST change has its true length.",
                "properties": metrics,
                "required": METRICS.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
                "additionalProperties": false,
            }),
        );
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "pm export",
        "description": "The output of `pm export --format json`: one object per postmortem without errors, in the order of the files. `--format jsonl` prints the same objects one a line.",
        "type": "array",
        "items": { "$ref": "#/$defs/document" },
        "$defs": {
            "document": document,
            "time": time_schema(),
        },
    })
}

fn insert_property(map: &mut Map<String, Value>, name: &str, schema: Value) {
    if let Some(Value::Object(properties)) = map.get_mut("properties") {
        properties.insert(name.to_owned(), schema);
    }
    if let Some(Value::Array(required)) = map.get_mut("required") {
        required.push(json!(name));
    }
}

/// A section as a closed object: every field a required property.
fn object(section: &'static Section, prefix: &str) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for field in section.fields {
        let path = if prefix.is_empty() {
            field.name.to_owned()
        } else {
            format!("{prefix}.{}", field.name)
        };
        let mut schema = property(field, &path);
        if let Some(map) = schema.as_object_mut() {
            map.insert("description".into(), json!(field.docs));
        }
        properties.insert(field.name.to_owned(), schema);
        required.push(json!(field.name));
    }
    json!({
        "type": "object",
        "description": section.docs,
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

/// The exported value of a field, from its shape.
fn property(field: &'static Field, path: &str) -> Value {
    let nullable = !NEVER_NULL.contains(&path);
    let scalar = |kind: &str| {
        if nullable {
            json!({ "type": [kind, "null"] })
        } else {
            json!({ "type": kind })
        }
    };
    let or_null = |schema: Value| {
        if nullable {
            json!({ "anyOf": [schema, { "type": "null" }] })
        } else {
            schema
        }
    };
    let strings = || json!({ "type": "array", "items": { "type": "string" } });
    match field.shape {
        Shape::Text | Shape::Zone | Shape::Url | Shape::Ticket => scalar("string"),
        Shape::TextList | Shape::Tags => strings(),
        Shape::Choice(names) => {
            let mut names: Vec<Value> = names.iter().map(|n| json!(n)).collect();
            if nullable {
                names.push(Value::Null);
            }
            json!({ "enum": names })
        }
        Shape::Time | Shape::EntryTime => or_null(json!({ "$ref": "#/$defs/time" })),
        Shape::Duration => or_null(json!({
            "type": "object",
            "properties": {
                "written": { "type": "string", "description": "As the document states it." },
                "seconds": { "type": "integer", "description": "In seconds." },
            },
            "required": ["written", "seconds"],
            "additionalProperties": false,
        })),
        Shape::Affected(section) => json!({
            "anyOf": [
                { "type": "number", "minimum": 0, "maximum": 100, "description": "A share of users, in percent." },
                object(section, path),
                { "const": "unknown" },
                { "type": "null" },
            ],
        }),
        Shape::Count => scalar("integer"),
        Shape::Date => or_null(json!({ "type": "string", "format": "date" })),
        Shape::Flag => scalar("boolean"),
        Shape::Map(section) => or_null(object(section, path)),
        Shape::List(section) | Shape::TextOrMapList(section) => {
            json!({ "type": "array", "items": object(section, path) })
        }
    }
}

fn time_schema() -> Value {
    json!({
        "type": "object",
        "description": "A time: as written, how precisely it is known, its day, and its instant in the document's zone and in UTC.",
        "properties": {
            "written": { "type": "string", "description": "The time as written, `~` included." },
            "precision": {
                "enum": ["exact", "approximate", "date", "unknown"],
                "description": "exact: a time of day; approximate: `~13:00`, about then; date: a date alone, the time of day not known; unknown: not known at all.",
            },
            "date": {
                "type": ["string", "null"],
                "format": "date",
                "description": "The day in the document's zone, YYYY-MM-DD; null when not known.",
            },
            "local": {
                "type": ["string", "null"],
                "format": "date-time",
                "description": "The instant, RFC 3339 at the document zone's offset; null for a date alone or an unknown time.",
            },
            "utc": {
                "type": ["string", "null"],
                "format": "date-time",
                "pattern": "Z$",
                "description": "The same instant in UTC; null when `local` is.",
            },
        },
        "required": ["written", "precision", "date", "local", "utc"],
        "additionalProperties": false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Settings, check};
    use crate::source::Source;
    use chrono::NaiveDate;

    fn export(yaml: &str) -> Value {
        let today = NaiveDate::from_ymd_opt(2026, 6, 1).expect("date");
        let checked = check(Source::new("t.yaml", yaml), &Settings::new(today));
        let errors: Vec<_> = checked
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.message.clone())
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
        let incident = checked.incident.expect("decoded");
        serde_json::to_value(document("t.yaml", &incident)).expect("serialises")
    }

    /// A final postmortem with every field of the format written.
    const EVERY_FIELD: &str = "title: T\nid: INC-1\nstatus: final\nseverity: SEV2\ntags: [db]\nauthors: [A]\npeople:\n  - {name: Ada, role: commander}\ntimezone: UTC\nsummary:\n  service: S\n  start: 2024-01-10 10:00\n  end: 2024-01-10 11:00\n  duration: 1h\n  impact: I\n  affected: {count: 3, unit: hosts, of: 9}\n  cause: C\ncontributing_factors:\n  - {text: F, kind: latent}\nlinks:\n  - {label: L, url: \"https://example.com\"}\nnotes:\n  - {heading: H, text: N}\ntimeline:\n  - at: 2024-01-10 10:00\n    kind: detected\n    how: monitoring\n    text: a\n    by: Ada\n    url: https://example.com/a\n  - at: \"10:10\"\n    kind: escalated\n    to: DB\n    text: b\n  - at: \"11:00\"\n    kind: resolved\n    text: c\nroot_cause: R\nresolution: R\nmeasures:\n  - kind: preventive\n    text: M\ntasks:\n  - text: T\n    owner: o\n    due: 2024-04-01\n    done: false\n    kind: prevent\n    ticket: OPS-1\nlessons:\n  went_well: [w]\n  went_wrong: [x]\n  lucky: [y]\n";

    /// The values at a dotted path, through every item of a list.
    fn values_at<'v>(value: &'v Value, path: &str) -> Vec<&'v Value> {
        let mut values = vec![value];
        for part in path.split('.') {
            values = values
                .into_iter()
                .flat_map(|v| match v.as_array() {
                    Some(items) => items.iter().collect(),
                    None => vec![v],
                })
                .map(|v| {
                    v.get(part)
                        .unwrap_or_else(|| panic!("`{path}` is not in the export: {v}"))
                })
                .collect();
        }
        values
    }

    /// Every field of the format is in the export under its own name, with
    /// the value written: a new field cannot silently miss it.
    #[test]
    fn every_field_of_the_format_is_in_the_export() {
        let exported = export(EVERY_FIELD);
        for (path, _) in format::paths() {
            let values = values_at(&exported, &path);
            assert!(
                values
                    .iter()
                    .any(|v| !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty())),
                "`{path}` is empty in the export"
            );
        }
        assert_eq!(values_at(&exported, "timeline.to")[1], "DB");
        assert_eq!(exported["summary"]["duration"]["seconds"], 3600);
        assert_eq!(exported["metrics"]["time_to_resolve"], 3600);
    }

    /// Every field of the table is a required property of the schema, at
    /// the same path: the schema comes from the table.
    #[test]
    fn the_schema_has_every_field_of_the_format() {
        let schema = schema();
        for (path, _) in format::paths() {
            let mut at = &schema["$defs"]["document"];
            for part in path.split('.') {
                // Through an array's items, and an `anyOf`'s object branch.
                if let Some(items) = at.get("items") {
                    at = items;
                }
                if let Some(branch) = at.get("anyOf").and_then(|b| {
                    b.as_array()
                        .and_then(|b| b.iter().find(|s| s.get("properties").is_some()))
                }) {
                    at = branch;
                }
                let required = at["required"].as_array().expect("required");
                assert!(required.contains(&json!(part)), "`{path}` is not required");
                at = &at["properties"][part];
                assert!(!at.is_null(), "`{path}` is not in the schema");
            }
        }
    }

    #[test]
    fn times_keep_their_precision_and_a_date_alone_has_no_instant() {
        let exported = export(
            "title: T\ntimezone: Europe/London\nsummary:\n  start: 2024-07-01 09:00\ntimeline:\n  - at: 2024-07-01 09:00\n    text: a\n  - at: \"~09:30\"\n    text: b\n  - at: unknown\n    text: c\n  - at: 2024-07-02\n    text: d\n  - at: \"10:00 UTC\"\n    text: e\n",
        );
        let at = |i: usize| &exported["timeline"][i]["at"];
        assert_eq!(
            at(0),
            &json!({"written": "2024-07-01 09:00", "precision": "exact", "date": "2024-07-01", "local": "2024-07-01T09:00:00+01:00", "utc": "2024-07-01T08:00:00Z"})
        );
        assert_eq!(at(1)["precision"], "approximate");
        assert_eq!(at(1)["written"], "~09:30");
        assert_eq!(at(1)["utc"], "2024-07-01T08:30:00Z");
        assert_eq!(
            at(2),
            &json!({"written": "unknown", "precision": "unknown", "date": null, "local": null, "utc": null})
        );
        assert_eq!(
            at(3),
            &json!({"written": "2024-07-02", "precision": "date", "date": "2024-07-02", "local": null, "utc": null})
        );
        // A time in a zone of its own is shown in the document's zone too.
        assert_eq!(at(4)["local"], "2024-07-02T11:00:00+01:00");
        assert_eq!(at(4)["utc"], "2024-07-02T10:00:00Z");
    }
}
