//! What templates see: the document under its YAML field names, plus values
//! computed from it. docs/templates.md documents every field; keep the two in
//! step.

use crate::incident::format::{self, Section, Shape};
use crate::incident::{EntryKind, Incident, Length, Texts, Time};
use chrono::{DateTime, FixedOffset, Offset, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use std::collections::BTreeMap;

/// The whole context. Missing optional values serialize as `none`, so a
/// template can test them with `{% if %}`.
#[derive(Debug, Serialize)]
pub struct Document {
    /// Every text field of the document by its name (`title`, `severity`,
    /// `root_cause`, `resolution`, ...), `none` when not written.
    #[serde(flatten)]
    pub texts: BTreeMap<&'static str, Option<String>>,
    pub status: &'static str,
    pub authors: Vec<String>,
    pub timezone: Option<String>,
    pub summary: Summary,
    pub timeline: Vec<Entry>,
    pub measures: Vec<Measure>,
    pub tasks: Vec<Task>,
    pub lessons: Option<Lessons>,
    pub tags: Vec<String>,
    pub contributing_factors: Vec<Factor>,
    pub links: Vec<Link>,
    pub people: Vec<Person>,
    pub notes: Vec<Note>,
    // Computed.
    pub zone: Option<Zone>,
    pub duration: Option<Length>,
    pub time_to_detect: Option<Length>,
    pub time_to_mitigate: Option<Length>,
    pub time_to_resolve: Option<Length>,
    pub first: First,
    pub phases: Vec<Phase>,
}

#[derive(Debug, Serialize)]
pub struct Summary {
    /// Every text field of the summary by its name (`service`, `impact`,
    /// `cause`, ...), `none` when not written.
    #[serde(flatten)]
    pub texts: BTreeMap<&'static str, Option<String>>,
    pub start: Option<When>,
    pub end: Option<When>,
    /// The share of users, a whole number when it is one (`20` prints as
    /// `20`, not `20.0`); a count `{count, unit, of}`; or `"unknown"`.
    pub affected: Option<serde_json::Value>,
    /// As a reader sees it: `20%`, `31 of 140 services`, `unknown`.
    pub affected_text: Option<String>,
    /// As the document states it, and in minutes.
    pub duration: Option<StatedLength>,
}

/// A duration as the document states it.
#[derive(Debug, Serialize)]
pub struct StatedLength {
    pub written: String,
    pub minutes: i64,
}

/// A time: as written, and (once resolved) the instant in the document's
/// zone. The `time`, `date` and `datetime` filters format it.
#[derive(Clone, Debug, Serialize)]
pub struct When {
    pub written: String,
    /// RFC 3339 in the document's zone: `2023-09-10T16:00:00+01:00`.
    pub iso: Option<String>,
    pub utc: Option<String>,
    pub unix: Option<i64>,
    pub date: Option<String>,
    pub time: Option<String>,
    /// The abbreviation in effect at that instant (`WAT`, `PDT`, `BST`).
    pub zone: Option<String>,
    pub offset: Option<String>,
    /// The document's IANA zone, which the filters format in.
    pub timezone: Option<String>,
    /// `exact`, `approximate` (`~13:00`: the filters print "about 13:00"),
    /// `date` (a day whose time is not known) or `unknown`.
    pub precision: &'static str,
}

#[derive(Clone, Debug, Serialize)]
pub struct Entry {
    pub at: Option<When>,
    pub kind: &'static str,
    pub how: Option<&'static str>,
    pub to: Option<String>,
    pub text: Option<String>,
    /// Who did or saw it.
    pub by: Option<String>,
    pub url: Option<String>,
    /// The first timed entry, or one on another local date than the timed
    /// entry before it: where a report shows the date again.
    pub new_day: bool,
}

#[derive(Debug, Serialize)]
pub struct Measure {
    pub kind: Option<&'static str>,
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct Task {
    pub text: Option<String>,
    pub owner: Option<String>,
    pub due: Option<String>,
    pub done: bool,
    /// `prevent`, `mitigate`, `detect`, `process`, `other` or `none`.
    pub kind: Option<&'static str>,
    pub ticket: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Factor {
    pub text: String,
    /// `trigger`, `latent`, `detection`, `response`, `other` or `none`.
    pub kind: Option<&'static str>,
}

#[derive(Debug, Serialize)]
pub struct Link {
    pub label: Option<String>,
    pub url: String,
}

#[derive(Debug, Serialize)]
pub struct Person {
    pub name: String,
    pub role: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Note {
    pub heading: Option<String>,
    pub text: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Lessons {
    pub went_well: Vec<String>,
    pub went_wrong: Vec<String>,
    pub lucky: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Zone {
    pub name: String,
    /// Abbreviations in effect at the document's times, in order of first
    /// use: two when the incident crosses a DST change.
    pub abbreviations: Vec<String>,
}

/// The earliest entry of each milestone kind.
#[derive(Debug, Default, Serialize)]
pub struct First {
    pub trigger: Option<Entry>,
    pub detected: Option<Entry>,
    pub escalated: Option<Entry>,
    pub mitigated: Option<Entry>,
    pub resolved: Option<Entry>,
}

/// A stretch of the incident between two milestones, for the diagram.
#[derive(Debug, Serialize)]
pub struct Phase {
    /// `impact`, `investigation`, `escalated` or `recovery`.
    pub key: &'static str,
    pub label: &'static str,
    pub from: When,
    pub to: When,
    pub minutes: i64,
    pub duration: String,
}

/// Builds the context of a checked incident.
pub fn build(incident: &Incident) -> Document {
    let zone = incident.zone;
    let when = |t: &Option<Box<Time>>| t.as_deref().map(|t| When::new(t, zone));

    let mut previous_date: Option<String> = None;
    let timeline: Vec<Entry> = incident
        .timeline
        .iter()
        .map(|e| {
            let at = when(&e.at);
            let date = at.as_ref().and_then(|w| w.date.clone());
            let new_day = date.is_some() && date != previous_date;
            if date.is_some() {
                previous_date = date;
            }
            Entry {
                at,
                kind: e.kind.value.as_str(),
                how: e.how.as_ref().map(|h| h.value.as_str()),
                to: owned(e.to.as_deref()),
                text: owned(e.text.as_ref()),
                by: owned(e.by.as_deref()),
                url: owned(e.url.as_deref()),
                new_day,
            }
        })
        .collect();

    let start = incident.start();
    let end = incident.end();
    let metrics = incident.metrics();
    let earliest = |kind: EntryKind| earliest_of(incident, &timeline, kind);
    let first = First {
        trigger: earliest(EntryKind::Trigger),
        detected: earliest(EntryKind::Detected),
        escalated: earliest(EntryKind::Escalated),
        mitigated: earliest(EntryKind::Mitigated),
        resolved: earliest(EntryKind::Resolved),
    };
    let detected = incident.first(EntryKind::Detected);
    let mitigated = incident.first(EntryKind::Mitigated);

    Document {
        texts: texts(&format::DOCUMENT, &incident.texts),
        status: incident.status.as_str(),
        authors: incident.authors.iter().map(|a| a.value.clone()).collect(),
        timezone: owned(incident.timezone.as_ref()),
        summary: Summary {
            texts: texts(&format::SUMMARY, &incident.summary.texts),
            start: when(&incident.summary.start),
            end: when(&incident.summary.end),
            affected: incident
                .summary
                .affected
                .as_ref()
                .map(|a| affected(&a.value)),
            affected_text: incident
                .summary
                .affected
                .as_ref()
                .map(|a| a.value.describe()),
            duration: incident.summary.duration.as_ref().map(|d| StatedLength {
                written: d.value.written.clone(),
                minutes: d.value.duration.num_minutes(),
            }),
        },
        measures: incident.measures.iter().map(Measure::from).collect(),
        tasks: incident.tasks.iter().map(Task::from).collect(),
        lessons: incident.lessons.as_ref().map(Lessons::from),
        tags: incident
            .tags
            .iter()
            .map(|t| t.value.trim().to_owned())
            .collect(),
        contributing_factors: incident
            .contributing_factors
            .iter()
            .map(Factor::from)
            .collect(),
        links: incident.links.iter().map(Link::from).collect(),
        people: incident.people.iter().map(Person::from).collect(),
        notes: incident.notes.iter().map(Note::from).collect(),
        zone: zone.map(|tz| Zone {
            name: tz.name().to_owned(),
            abbreviations: abbreviations(incident, tz),
        }),
        duration: metrics.duration.map(Length::of),
        time_to_detect: metrics.time_to_detect.map(Length::of),
        time_to_mitigate: metrics.time_to_mitigate.map(Length::of),
        time_to_resolve: metrics.time_to_resolve.map(Length::of),
        phases: phases(
            start,
            detected,
            incident.first(EntryKind::Escalated),
            mitigated,
            end,
            zone,
        ),
        timeline,
        first,
    }
}

/// Every text field the table declares for a section, written or not.
fn texts(section: &Section, written: &Texts) -> BTreeMap<&'static str, Option<String>> {
    section
        .fields
        .iter()
        .filter(|f| matches!(f.shape, Shape::Text))
        .map(|f| {
            let value = written.get(f.name).map(|t| {
                if f.one_line {
                    crate::sanitize::one_line(&t.value)
                } else {
                    t.value.clone()
                }
            });
            (f.name, value)
        })
        .collect()
}

// The views of the model's lists, shared with `pm export`: one conversion
// each, so the report and the export cannot disagree on a value.
pub(crate) fn owned<T: AsRef<str>>(value: Option<&crate::incident::Sp<T>>) -> Option<String> {
    value.map(|s| s.value.as_ref().to_owned())
}

fn all(values: &[crate::incident::Sp<String>]) -> Vec<String> {
    values.iter().map(|s| s.value.clone()).collect()
}

impl From<&crate::incident::Lessons> for Lessons {
    fn from(l: &crate::incident::Lessons) -> Self {
        Lessons {
            went_well: all(&l.went_well),
            went_wrong: all(&l.went_wrong),
            lucky: all(&l.lucky),
        }
    }
}

impl From<&crate::incident::Measure> for Measure {
    fn from(m: &crate::incident::Measure) -> Self {
        Measure {
            kind: m.kind.as_ref().map(|k| k.value.as_str()),
            text: m.text.value.clone(),
        }
    }
}

impl From<&crate::incident::Task> for Task {
    fn from(t: &crate::incident::Task) -> Self {
        Task {
            text: owned(t.text.as_ref()),
            owner: owned(t.owner.as_ref()),
            due: t
                .due
                .as_ref()
                .map(|d| d.value.format("%Y-%m-%d").to_string()),
            done: t.done,
            kind: t.kind.as_ref().map(|k| k.value.as_str()),
            ticket: owned(t.ticket.as_ref()),
        }
    }
}

impl From<&crate::incident::Factor> for Factor {
    fn from(f: &crate::incident::Factor) -> Self {
        Factor {
            text: f.text.value.clone(),
            kind: f.kind.as_ref().map(|k| k.value.as_str()),
        }
    }
}

impl From<&crate::incident::Link> for Link {
    fn from(l: &crate::incident::Link) -> Self {
        Link {
            label: owned(l.label.as_ref()),
            url: l.url.value.trim().to_owned(),
        }
    }
}

impl From<&crate::incident::Person> for Person {
    fn from(p: &crate::incident::Person) -> Self {
        Person {
            name: p.name.value.clone(),
            role: owned(p.role.as_ref()),
        }
    }
}

impl From<&crate::incident::Note> for Note {
    fn from(n: &crate::incident::Note) -> Self {
        Note {
            heading: owned(n.heading.as_ref()),
            text: owned(n.text.as_ref()),
        }
    }
}

impl When {
    fn new(time: &Time, zone: Option<Tz>) -> Self {
        let mut when = When {
            written: time.written.value.to_string(),
            iso: None,
            utc: None,
            unix: None,
            date: None,
            time: None,
            zone: None,
            offset: None,
            timezone: zone.map(|tz| tz.name().to_owned()),
            precision: time.precision.as_str(),
        };
        if let Some((at, tz)) = time.at.zip(zone) {
            when.fill(at, tz);
        }
        when
    }

    fn at(at: DateTime<FixedOffset>, zone: Option<Tz>) -> Self {
        let mut when = When {
            written: at.format("%Y-%m-%d %H:%M").to_string(),
            iso: None,
            utc: None,
            unix: None,
            date: None,
            time: None,
            zone: None,
            offset: None,
            timezone: zone.map(|tz| tz.name().to_owned()),
            precision: "exact",
        };
        if let Some(tz) = zone {
            when.fill(at, tz);
        }
        when
    }

    fn fill(&mut self, at: DateTime<FixedOffset>, tz: Tz) {
        let local = at.with_timezone(&tz);
        self.iso = Some(local.fixed_offset().to_rfc3339());
        self.utc = Some(
            at.with_timezone(&Utc)
                .format("%Y-%m-%dT%H:%M:%SZ")
                .to_string(),
        );
        self.unix = Some(at.timestamp());
        self.date = Some(local.format("%Y-%m-%d").to_string());
        self.time = Some(local.format("%H:%M").to_string());
        self.zone = Some(abbreviation(tz, at));
        self.offset = Some(local.offset().fix().to_string());
    }
}

fn abbreviation(tz: Tz, at: DateTime<FixedOffset>) -> String {
    crate::time::abbreviation_at(tz, at.with_timezone(&Utc))
}

fn instant(time: Option<&Time>) -> Option<DateTime<FixedOffset>> {
    time.and_then(|t| t.at)
}

fn affected(value: &crate::incident::Affected) -> serde_json::Value {
    use crate::incident::Affected;
    match value {
        Affected::Share(share) => number(*share),
        Affected::Count { count, unit, of } => {
            serde_json::json!({ "count": count, "unit": unit, "of": of })
        }
        Affected::Unknown => serde_json::Value::from("unknown"),
    }
}

fn number(value: f64) -> serde_json::Value {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        serde_json::Value::from(value as i64)
    } else {
        serde_json::Value::from(value)
    }
}

fn earliest_of(incident: &Incident, timeline: &[Entry], kind: EntryKind) -> Option<Entry> {
    let of_kind = || {
        incident
            .timeline
            .iter()
            .zip(timeline)
            .filter(move |(e, _)| e.kind.value == kind)
    };
    of_kind()
        .filter_map(|(e, c)| e.instant().map(|at| (at, c)))
        .min_by_key(|(at, _)| *at)
        .map(|(_, c)| c)
        .or_else(|| of_kind().map(|(_, c)| c).next())
        .cloned()
}

fn abbreviations(incident: &Incident, tz: Tz) -> Vec<String> {
    let summary = [&incident.summary.start, &incident.summary.end];
    let mut instants: Vec<DateTime<FixedOffset>> = summary
        .into_iter()
        .filter_map(|t| instant(t.as_deref()))
        .chain(
            incident
                .timeline
                .iter()
                .filter_map(crate::incident::Entry::instant),
        )
        .collect();
    instants.sort();
    let mut seen: Vec<String> = Vec::new();
    for at in instants {
        let abbr = abbreviation(tz, at);
        if !seen.contains(&abbr) {
            seen.push(abbr);
        }
    }
    seen
}

/// The stretches between start, detection, escalation, mitigation and end,
/// in time order; empty ones are left out.
fn phases(
    start: Option<DateTime<FixedOffset>>,
    detected: Option<DateTime<FixedOffset>>,
    escalated: Option<DateTime<FixedOffset>>,
    mitigated: Option<DateTime<FixedOffset>>,
    end: Option<DateTime<FixedOffset>>,
    zone: Option<Tz>,
) -> Vec<Phase> {
    let (Some(start), Some(end)) = (start, end) else {
        return Vec::new();
    };
    if end <= start {
        return Vec::new();
    }
    let detected_in = detected.filter(|d| (start..end).contains(d));
    let impact_label = if detected_in.is_some_and(|d| d > start) {
        "Impact before detection"
    } else {
        "Impact"
    };
    let mut points: Vec<(DateTime<FixedOffset>, &'static str, &'static str)> =
        vec![(start, "impact", impact_label)];
    for (at, key, label) in [
        (detected_in, "investigation", "Detected, investigating"),
        (escalated, "escalated", "Escalated"),
        (mitigated, "recovery", "Mitigated, recovering"),
    ] {
        if let Some(at) = at.filter(|a| (start..end).contains(a)) {
            points.push((at, key, label));
        }
    }
    // Stable: milestones at the same instant keep the order above.
    points.sort_by_key(|(at, _, _)| *at);
    let mut phases = Vec::new();
    for (i, &(from, key, label)) in points.iter().enumerate() {
        let to = points.get(i + 1).map_or(end, |p| p.0);
        let length = Length::between(from, to);
        // Under a minute cannot be drawn (Mermaid lengths are in minutes).
        if length.minutes <= 0 {
            continue;
        }
        phases.push(Phase {
            key,
            label,
            from: When::at(from, zone),
            to: When::at(to, zone),
            minutes: length.minutes,
            duration: length.text,
        });
    }
    phases
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Settings, check};
    use crate::source::Source;
    use chrono::NaiveDate;

    fn incident(yaml: &str) -> Incident {
        let today = NaiveDate::from_ymd_opt(2026, 6, 1).expect("date");
        let checked = check(Source::new("t.yaml", yaml), &Settings::new(today));
        let errors: Vec<_> = checked
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.message.clone())
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
        checked.incident.expect("decoded")
    }

    fn doc(timezone: &str, start: &str, end: &str, timeline: &str) -> String {
        format!(
            "title: T\nstatus: final\ntimezone: {timezone}\nsummary:\n  service: S\n  start: {start}\n  end: {end}\n  impact: I\n  affected: 12.5\n  cause: C\ntimeline:\n{timeline}root_cause: R\nresolution: R\nmeasures:\n  - M\ntasks:\n  - text: T\n    owner: o\n    due: 2026-04-01\n"
        )
    }

    // London springs forward at 01:00 GMT on 2026-03-29: 00:30 GMT to 03:30
    // BST is 2 hours, not the 3 the wall clock suggests.
    const SPRING: &str = "  - at: 2026-03-29 00:30\n    kind: trigger\n    text: a\n  - at: \"00:50\"\n    kind: detected\n    how: monitoring\n    text: b\n  - at: \"02:30\"\n    kind: mitigated\n    text: c\n  - at: \"03:30\"\n    kind: resolved\n    text: d\n";

    #[test]
    fn durations_across_a_dst_change_are_true_lengths() {
        let d = build(&incident(&doc(
            "Europe/London",
            "2026-03-29 00:30",
            "2026-03-29 03:30",
            SPRING,
        )));
        let length = |l: &Option<Length>| l.as_ref().map(|l| (l.text.clone(), l.minutes));
        assert_eq!(length(&d.duration), Some(("2 h".into(), 120)));
        assert_eq!(length(&d.time_to_detect), Some(("20 min".into(), 20)));
        assert_eq!(length(&d.time_to_mitigate), Some(("1 h".into(), 60)));
        assert_eq!(length(&d.time_to_resolve), Some(("1 h 40 min".into(), 100)));
        let zone = d.zone.expect("zone");
        assert_eq!(zone.abbreviations, ["GMT", "BST"]);
        let start = d.summary.start.expect("start");
        let end = d.summary.end.expect("end");
        assert_eq!(
            (
                start.zone.as_deref(),
                start.offset.as_deref(),
                start.iso.as_deref()
            ),
            (
                Some("GMT"),
                Some("+00:00"),
                Some("2026-03-29T00:30:00+00:00")
            )
        );
        assert_eq!(
            (end.zone.as_deref(), end.time.as_deref(), end.utc.as_deref()),
            (Some("BST"), Some("03:30"), Some("2026-03-29T02:30:00Z"))
        );
        // The diagram's phases add up to the true length too.
        let phases: Vec<_> = d.phases.iter().map(|p| (p.key, p.minutes)).collect();
        assert_eq!(
            phases,
            [("impact", 20), ("investigation", 40), ("recovery", 60)]
        );
    }

    #[test]
    fn values_that_cannot_be_computed_are_none() {
        let timeline = "  - at: 2024-01-10 10:00\n    kind: action\n    text: a\n  - at: \"11:00\"\n    kind: resolved\n    text: b\n";
        let d = build(&incident(&doc(
            "UTC",
            "2024-01-10 10:00",
            "2024-01-10 11:00",
            timeline,
        )));
        assert!(d.time_to_detect.is_none() && d.time_to_mitigate.is_none());
        assert!(d.time_to_resolve.is_none() && d.first.detected.is_none());
        assert_eq!(d.duration.map(|l| l.minutes), Some(60));
        assert_eq!(d.summary.affected, Some(serde_json::json!(12.5)));
        let phases: Vec<_> = d.phases.iter().map(|p| (p.label, p.minutes)).collect();
        assert_eq!(phases, [("Impact", 60)]);
    }

    #[test]
    fn entries_mark_each_new_local_day_and_first_takes_the_earliest() {
        let timeline = "  - at: 2024-07-15 23:00\n    kind: detected\n    text: a\n  - at: \"23:30\"\n    kind: escalated\n    to: DB\n    text: b\n  - at: 2024-07-16 00:10\n    kind: escalated\n    to: Platform\n    text: c\n  - at: \"01:00\"\n    kind: resolved\n    text: d\n";
        let d = build(&incident(&doc(
            "America/Los_Angeles",
            "2024-07-15 23:00",
            "2024-07-16 01:00",
            timeline,
        )));
        let days: Vec<bool> = d.timeline.iter().map(|e| e.new_day).collect();
        assert_eq!(days, [true, false, true, false]);
        assert_eq!(d.first.escalated.and_then(|e| e.to).as_deref(), Some("DB"));
        assert_eq!(d.summary.affected, Some(serde_json::json!(12.5)));
    }

    /// A final postmortem with every field of the format written.
    const EVERY_FIELD: &str = "title: T\nid: INC-1\nstatus: final\nseverity: SEV2\ntags: [db]\nauthors: [A]\npeople:\n  - {name: Ada, role: commander}\ntimezone: UTC\nsummary:\n  service: S\n  start: 2024-01-10 10:00\n  end: 2024-01-10 11:00\n  duration: 1h\n  impact: I\n  affected: {count: 3, unit: hosts, of: 9}\n  cause: C\ncontributing_factors:\n  - {text: F, kind: latent}\nlinks:\n  - {label: L, url: \"https://example.com\"}\nnotes:\n  - {heading: H, text: N}\ntimeline:\n  - at: 2024-01-10 10:00\n    kind: detected\n    how: monitoring\n    text: a\n    by: Ada\n    url: https://example.com/a\n  - at: \"10:10\"\n    kind: escalated\n    to: DB\n    text: b\n  - at: \"11:00\"\n    kind: resolved\n    text: c\nroot_cause: R\nresolution: R\nmeasures:\n  - kind: preventive\n    text: M\ntasks:\n  - text: T\n    owner: o\n    due: 2024-04-01\n    done: false\n    kind: prevent\n    ticket: OPS-1\nlessons:\n  went_well: [w]\n  went_wrong: [x]\n  lucky: [y]\n";

    /// Every field of the format is in the template context, under its own
    /// name: a new field cannot silently miss the templates.
    #[test]
    fn every_field_of_the_format_is_in_the_context() {
        let context = serde_json::to_value(build(&incident(EVERY_FIELD))).expect("serialises");
        for (path, _) in format::paths() {
            let mut value = &context;
            for part in path.split('.') {
                // A list's fields are on its items.
                if let Some(first) = value.as_array().and_then(|items| items.first()) {
                    value = first;
                }
                value = value
                    .get(part)
                    .unwrap_or_else(|| panic!("`{path}` is not in the context: {value}"));
            }
        }
    }

    /// docs/templates.md documents every field: a row of its own, or in the
    /// row of the list or mapping that holds it.
    #[test]
    fn the_template_docs_name_every_field() {
        let docs = include_str!("../../docs/templates.md");
        let rows: Vec<&str> = docs.lines().filter(|l| l.starts_with("| `")).collect();
        let entries = &docs[docs.find("### Timeline entries").expect("entries section")..];
        for (path, field) in format::paths() {
            // A mapping is documented by its fields' rows (`summary.start`).
            if matches!(field.shape, Shape::Map(_)) {
                continue;
            }
            let quoted = format!("`{path}`");
            let documented = match path.rsplit_once('.') {
                None => rows.iter().any(|r| r.starts_with(&format!("| {quoted}"))),
                Some(("timeline", name)) => entries
                    .lines()
                    .any(|l| l.starts_with(&format!("| `{name}`"))),
                Some((parent, name)) => rows.iter().any(|r| {
                    r.contains(&quoted)
                        || (r.starts_with(&format!("| `{parent}`"))
                            && r.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                                .any(|w| w == name))
                }),
            };
            assert!(documented, "docs/templates.md does not document `{path}`");
        }
    }
}
