//! Hovers: what a time means (in the document's zone, in UTC, from the
//! start), what a key is for, and why a finding matters.

use super::Document;
use super::adapter::{
    Incident, Node, Problem, Time, Value, abbreviation_at, human_duration, parse_time, parse_yaml,
    resolve_time, schema,
};
use super::position::{self, Encoding, LineIndex};
use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};
use std::sync::OnceLock;

pub fn hover(document: &Document, at: Position, encoding: Encoding) -> Option<Hover> {
    let checked = document.checked.as_ref()?;
    let index = LineIndex::new(&checked.source.text, encoding);
    let mut parts = Vec::new();
    if let Some(incident) = &checked.incident {
        if let Some(text) = time_hover(incident, &index, at) {
            parts.push(text);
        } else if let Some(text) = key_hover(&index, at) {
            parts.push(text);
        }
    }
    let mut explained = Vec::new();
    for finding in &document.findings {
        if position::contains(finding.lsp.range, at) && !explained.contains(&finding.rule.id) {
            explained.push(finding.rule.id);
            parts.push(finding.rule.explain());
        }
    }
    if parts.is_empty() {
        return None;
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: parts.join("\n\n---\n\n"),
        }),
        range: None,
    })
}

/// The document's times in the order pm resolves them.
fn times(incident: &Incident) -> Vec<&Time> {
    let summary = [&incident.summary.start, &incident.summary.end];
    summary
        .into_iter()
        .filter_map(|time| time.as_deref())
        .chain(
            incident
                .timeline
                .iter()
                .filter_map(|entry| entry.at.as_deref()),
        )
        .collect()
}

fn time_hover(incident: &Incident, index: &LineIndex, at: Position) -> Option<String> {
    let times = times(incident);
    let position = times
        .iter()
        .position(|time| position::contains(index.range(time.written.span), at))?;
    let time = times[position];
    let start = incident.summary.start.as_ref().and_then(|t| t.at);
    let zone = incident.zone;
    let mut out = format!("**`{}`**\n\n", time.written.value.trim());
    if let Some(instant) = time.at {
        out.push_str(&readings(instant, zone, start));
        return Some(out);
    }
    // No single instant: say why, with both readings of a fold.
    let written = parse_time(&time.written.value).ok()?;
    let zone = zone?;
    // A time alone takes the date of the time before it.
    let carried = times[..position]
        .iter()
        .rev()
        .find_map(|t| t.at)
        .map(|t| t.with_timezone(&zone).date_naive());
    let date = written.date.or(carried)?;
    match resolve_time(&written, date, zone) {
        Err(Problem::Ambiguous {
            local,
            earlier,
            later,
            ..
        }) => {
            out.push_str("Ambiguous: the clock showed this time twice.\n\n");
            for (which, reading) in [("Earlier", earlier), ("Later", later)] {
                if let Some(instant) = reading.offset.from_local_datetime(&local).single() {
                    out.push_str(&format!("**{which}** ({}):\n\n", reading.abbreviation));
                    out.push_str(&readings(instant, Some(zone), start));
                    out.push_str("\n\n");
                }
            }
            Some(out.trim_end().to_owned())
        }
        Err(Problem::AbbreviationMismatch {
            written: abbreviation,
            in_effect,
            ..
        }) => {
            // PST in June: say what the wall clock reading would be.
            out.push_str(&format!(
                "`{abbreviation}` is not in effect in {} then: {in_effect} is. As the wall clock in {}:\n\n",
                zone.name(),
                zone.name()
            ));
            let local = date.and_time(written.time);
            let instant = zone.from_local_datetime(&local).earliest()?.fixed_offset();
            out.push_str(&readings(instant, Some(zone), start));
            Some(out)
        }
        Err(Problem::Nonexistent { transition, .. }) => {
            out.push_str(&format!(
                "Never happened in {}: {}.",
                zone.name(),
                transition.describe()
            ));
            Some(out)
        }
        _ => None,
    }
}

/// The instant in the document's zone, in UTC, and from `summary.start`.
fn readings(
    instant: DateTime<FixedOffset>,
    zone: Option<chrono_tz::Tz>,
    start: Option<DateTime<FixedOffset>>,
) -> String {
    let utc = instant.with_timezone(&Utc);
    let mut lines = Vec::new();
    if let Some(zone) = zone {
        let local = instant.with_timezone(&zone);
        lines.push(format!(
            "- {} {} ({})",
            local.format("%Y-%m-%d %H:%M"),
            abbreviation_at(zone, utc),
            zone.name()
        ));
    } else {
        lines.push(format!("- {}", instant.format("%Y-%m-%d %H:%M %:z")));
    }
    lines.push(format!("- {} UTC", utc.format("%Y-%m-%d %H:%M")));
    if let Some(start) = start {
        lines.push(format!(
            "- {} from `summary.start`",
            relative(instant - start)
        ));
    }
    lines.join("\n")
}

/// "T+12 min", "T-1 h 5 min", "T+0".
pub fn relative(delta: chrono::Duration) -> String {
    if delta.is_zero() {
        return "T+0".to_owned();
    }
    let sign = if delta < chrono::Duration::zero() {
        "-"
    } else {
        "+"
    };
    format!("T{sign}{}", human_duration(delta.abs()))
}

fn key_hover(index: &LineIndex, at: Position) -> Option<String> {
    let tree = parse_yaml(index.text()).ok()?;
    let mut path = Vec::new();
    if !key_path(&tree, index, at, &mut path) {
        return None;
    }
    let description = description(&path)?;
    Some(format!("**`{}`**\n\n{description}", path.join(".")))
}

/// The keys from the root to the key under the cursor (list items skipped).
fn key_path(node: &Node, index: &LineIndex, at: Position, path: &mut Vec<String>) -> bool {
    match &node.value {
        Value::Map(entries) => entries.iter().any(|(key, value)| {
            path.push(key.name.to_string());
            if position::contains(index.range(key.span), at) || key_path(value, index, at, path) {
                return true;
            }
            path.pop();
            false
        }),
        Value::Seq(items) => items.iter().any(|item| key_path(item, index, at, path)),
        _ => false,
    }
}

/// The schema's description of a key, by its path.
pub fn description(path: &[String]) -> Option<String> {
    static SCHEMA: OnceLock<serde_json::Value> = OnceLock::new();
    let mut here = SCHEMA.get_or_init(schema);
    for key in path {
        here = property(here, key)?;
    }
    find_description(here)
}

/// A property of an object schema, looking through `anyOf`, `oneOf`,
/// `allOf` and `items` (a list of such objects).
fn property<'s>(schema: &'s serde_json::Value, name: &str) -> Option<&'s serde_json::Value> {
    if let Some(found) = schema.get("properties").and_then(|p| p.get(name)) {
        return Some(found);
    }
    if let Some(items) = schema.get("items")
        && let Some(found) = property(items, name)
    {
        return Some(found);
    }
    ["anyOf", "oneOf", "allOf"]
        .iter()
        .filter_map(|k| schema.get(*k)?.as_array())
        .flatten()
        .find_map(|branch| property(branch, name))
}

fn find_description(schema: &serde_json::Value) -> Option<String> {
    if let Some(text) = schema
        .get("description")
        .and_then(serde_json::Value::as_str)
    {
        return Some(text.to_owned());
    }
    ["anyOf", "oneOf"]
        .iter()
        .filter_map(|k| schema.get(*k)?.as_array())
        .flatten()
        .find_map(find_description)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_have_their_schema_description() {
        let path = |keys: &[&str]| keys.iter().map(|k| (*k).to_owned()).collect::<Vec<_>>();
        let timezone = description(&path(&["timezone"])).expect("timezone");
        assert!(timezone.contains("IANA time zone"), "{timezone}");
        let start = description(&path(&["summary", "start"])).expect("summary.start");
        assert!(start.contains("When the impact began"), "{start}");
        let at = description(&path(&["timeline", "at"])).expect("timeline.at");
        assert!(at.contains("When it happened"), "{at}");
        assert_eq!(description(&path(&["nope"])), None);
    }

    #[test]
    fn offsets_from_the_start_read_as_t_plus() {
        assert_eq!(relative(chrono::Duration::minutes(12)), "T+12 min");
        assert_eq!(relative(chrono::Duration::minutes(-65)), "T-1 h 5 min");
        assert_eq!(relative(chrono::Duration::zero()), "T+0");
    }
}
