//! `pm log`: a timeline entry added to a postmortem's text, in time order,
//! keeping every other byte of the file.

use crate::diagnostic::{Diagnostic, Edit, Span};
use crate::incident::{self, Incident, Precision, problem_diagnostic};
use crate::source::Source;
use crate::time;
use crate::yaml::{self, Node, Value};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use chrono_tz::Tz;

/// The entry to add, as the command line gives it.
#[derive(Clone, Debug)]
pub struct Request<'a> {
    /// `--at` as written; `None` for now.
    pub at: Option<&'a str>,
    pub kind: &'a str,
    pub by: Option<&'a str>,
    pub text: &'a str,
    pub now: DateTime<Utc>,
}

/// Why no entry was added.
#[derive(Debug)]
pub enum Refusal {
    /// `--at` is not a time, or not one that exists: pm check's finding.
    Time(Box<Diagnostic>),
    /// The file cannot take an entry (no timeline list, no zone, ...).
    File(String),
}

/// The new text and the entry as written (LF line breaks).
#[derive(Debug)]
pub struct Added {
    pub bytes: Vec<u8>,
    pub entry: String,
    /// The 1-based line the entry starts on.
    pub line: u32,
}

/// Adds the entry to `bytes`, the file as read.
pub fn add(bytes: &[u8], request: &Request) -> Result<Added, Refusal> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| Refusal::File("the file is not UTF-8 text".into()))?;
    let source = Source::new("", text);
    let tree = yaml::parse(&source.text)
        .map_err(|err| Refusal::File(format!("the file is not valid YAML: {}", err.message)))?;
    let mut ignored = Vec::new();
    let incident = incident::read(&tree, &source, &mut ignored);
    let zone: Tz = incident.zone.ok_or_else(|| {
        Refusal::File("the file has no valid `timezone`; pm log writes times in it".into())
    })?;
    let entries = timeline(&tree)?;
    // Positions come from the tree, times from the incident: they must be
    // the same entries.
    if entries.len() != incident.timeline.len() {
        return Err(Refusal::File(
            "some timeline entries are not entries pm reads; `pm check` says which".into(),
        ));
    }
    let last_day = incident
        .timeline
        .iter()
        .rev()
        .find_map(|e| e.at.as_ref().and_then(|t| t.day));
    let (written, instant, day) = when(request, zone, last_day)?;
    let index = place(&incident, instant);
    // The date is written when the entry before it is on another day (or
    // has none), so a time alone never takes a wrong one.
    let before_day = index
        .checked_sub(1)
        .and_then(|i| incident.timeline.get(i))
        .and_then(|e| e.at.as_ref())
        .and_then(|t| t.day);
    let at_text = match (request.at, day) {
        (Some(at), _) if has_date(at) || day.is_none() => at.trim().to_owned(),
        (Some(at), Some(day)) if before_day != Some(day) => {
            let at = at.trim();
            match at.strip_prefix('~') {
                Some(bare) => format!("~{day} {}", bare.trim_start()),
                None => format!("{day} {at}"),
            }
        }
        (Some(at), _) => at.trim().to_owned(),
        (None, Some(day)) => {
            let hm = written.clone();
            if before_day == Some(day) {
                hm
            } else {
                format!("{day} {hm}")
            }
        }
        (None, None) => written.clone(),
    };
    let (offset, prefix) = insertion(&source, &tree, entries, index)?;
    let indent = " ".repeat(prefix.chars().count());
    let mut entry = format!("{prefix}at: {}\n", scalar(&at_text));
    entry.push_str(&format!("{indent}kind: {}\n", scalar(request.kind)));
    if let Some(by) = request.by {
        entry.push_str(&format!("{indent}by: {}\n", scalar(by)));
    }
    entry.push_str(&format!("{indent}text: {}\n", scalar(request.text)));
    let at = source.span_of(offset..offset);
    let edit = Edit {
        span: Span { len: 0, ..at },
        text: entry.clone(),
    };
    Ok(Added {
        bytes: crate::fix::apply_edits(bytes, &[edit]),
        entry,
        line: at.line,
    })
}

fn has_date(at: &str) -> bool {
    let at = at.trim().trim_start_matches('~');
    at.len() >= 10 && NaiveDate::parse_from_str(&at[..10], "%Y-%m-%d").is_ok()
}

/// The timeline's entries, which must be a block list.
fn timeline<'t>(tree: &'t Node<'t>) -> Result<&'t [Node<'t>], Refusal> {
    let Value::Map(pairs) = &tree.value else {
        return Err(Refusal::File(
            "the file is not a postmortem (a mapping)".into(),
        ));
    };
    match pairs.iter().find(|(key, _)| key.name == "timeline") {
        Some((
            _,
            Node {
                value: Value::Seq(entries),
                ..
            },
        )) if !entries.is_empty() => Ok(entries),
        _ => Err(Refusal::File(
            "the file has no `timeline:` list with an entry to add after".into(),
        )),
    }
}

/// What to write, the instant and the day.
type When = (String, Option<DateTime<FixedOffset>>, Option<NaiveDate>);

/// The entry's time: what to write when `--at` is left out, the instant
/// (none for `unknown`), and the day it is on.
fn when(request: &Request, zone: Tz, last_day: Option<NaiveDate>) -> Result<When, Refusal> {
    let Some(at) = request.at else {
        let now = request.now.with_timezone(&zone);
        let fixed = now.fixed_offset();
        return Ok((
            now.format("%H:%M").to_string(),
            Some(fixed),
            Some(now.date_naive()),
        ));
    };
    let text = at.trim();
    let span = Span {
        line: 1,
        column: 1,
        len: u32::try_from(text.chars().count()).unwrap_or(u32::MAX),
    };
    if text.eq_ignore_ascii_case("unknown") {
        return Ok((text.to_owned(), None, None));
    }
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        let start = date
            .and_hms_opt(0, 0, 0)
            .and_then(|local| time::resolve(&plain(local.time(), date), date, zone).ok())
            .map(|r| r.at);
        return Ok((text.to_owned(), start, Some(date)));
    }
    let bare = text.strip_prefix('~').unwrap_or(text);
    let written = time::parse(bare).map_err(|time::SyntaxError(reason)| {
        Refusal::Time(Box::new(
            Diagnostic::new(
                &incident::INVALID_TIME,
                span,
                format!("`{text}` is not a time pm can read"),
            )
            .label(reason)
            .help(format!("write it as {}", time::ACCEPTED_FORMS)),
        ))
    })?;
    let today = request.now.with_timezone(&zone).date_naive();
    let date = written.date.or(last_day).unwrap_or(today);
    let resolved = time::resolve(&written, date, zone).map_err(|problem| {
        Refusal::Time(Box::new(problem_diagnostic(
            problem, text, span, &written, date,
        )))
    })?;
    Ok((text.to_owned(), Some(resolved.at), Some(date)))
}

fn plain(time: chrono::NaiveTime, date: NaiveDate) -> time::Written {
    time::Written {
        date: Some(date),
        time,
        zone: None,
    }
}

/// Where in the timeline the entry goes: after the last entry at or before
/// it; before the first timed one when all are later; last when it has no
/// instant or no entry has one.
fn place(incident: &Incident, instant: Option<DateTime<FixedOffset>>) -> usize {
    let times: Vec<Option<DateTime<FixedOffset>>> = incident
        .timeline
        .iter()
        .map(|e| {
            e.at.as_ref()
                .filter(|t| t.precision != Precision::Unknown)
                .and_then(|t| t.at)
        })
        .collect();
    let Some(instant) = instant else {
        return times.len();
    };
    if let Some(last) = times.iter().rposition(|t| t.is_some_and(|t| t <= instant)) {
        return last + 1;
    }
    times
        .iter()
        .position(Option::is_some)
        .unwrap_or(times.len())
}

/// The byte offset (in the decoded text) where the entry goes, and the
/// prefix its first line takes (`  - `), from a neighbouring entry.
fn insertion(
    source: &Source,
    tree: &Node,
    entries: &[Node],
    index: usize,
) -> Result<(usize, String), Refusal> {
    let neighbour = &entries[index.min(entries.len() - 1)];
    let first = source.byte_range(neighbour.span).start;
    let line_start = source.line_start(first);
    let prefix = &source.text[line_start..first];
    if prefix.trim() != "-" {
        return Err(Refusal::File(
            "the timeline is not written as a block list (`- at: ...` a line); pm log adds only to those".into(),
        ));
    }
    let prefix = prefix.to_owned();
    // The line the entry goes above: the next entry's, the next key's, or
    // the end; then up past the comments and blank lines that lead into it.
    let below = if let Some(next) = entries.get(index) {
        source.line_start(source.byte_range(next.span).start)
    } else {
        next_key_line(source, tree).unwrap_or(source.text.len())
    };
    let mut offset = below;
    let floor = if index == 0 {
        0
    } else {
        source.byte_range(entries[index - 1].span).start
    };
    while offset > floor {
        let previous = source.line_start(offset - 1);
        if previous <= floor {
            break;
        }
        let line = source.text[previous..offset].trim();
        if line.is_empty() || line.starts_with('#') {
            offset = previous;
        } else {
            break;
        }
    }
    // A last line without its line break gets one first.
    if offset == source.text.len() && !source.text.ends_with('\n') {
        return Err(Refusal::File(
            "the file does not end with a line break".into(),
        ));
    }
    Ok((offset, prefix))
}

/// The start of the line of the top-level key after `timeline`.
fn next_key_line(source: &Source, tree: &Node) -> Option<usize> {
    let Value::Map(pairs) = &tree.value else {
        return None;
    };
    let at = pairs.iter().position(|(key, _)| key.name == "timeline")?;
    let (key, _) = pairs.get(at + 1)?;
    Some(source.line_start(source.byte_range(key.span).start))
}

/// A value as YAML reads it back unchanged: plain when that is safe, else
/// double-quoted.
pub fn scalar(text: &str) -> String {
    let plain = !text.is_empty()
        && text.chars().next().is_some_and(char::is_alphabetic)
        && text.chars().all(|c| !c.is_control())
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with(':')
        && !text.ends_with(' ')
        && !text.contains([
            '"', '\'', '{', '}', '[', ']', ',', '&', '*', '!', '|', '>', '%', '@', '`',
        ])
        && !matches!(
            text.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        );
    if plain {
        return text.to_owned();
    }
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "title: T\r\ntimezone: Europe/Berlin\r\ntimeline:\r\n    - at: 2024-03-01 16:00\r\n      kind: trigger\r\n      text: Deploy.\r\n    # the next one\r\n    - at: \"17:00\"\r\n      kind: resolved\r\n      text: Fixed.\r\n\r\n# after\r\nroot_cause: X\r\n";

    fn request(at: Option<&'static str>) -> Request<'static> {
        Request {
            at,
            kind: "note",
            by: None,
            text: "Looked",
            now: "2024-03-01T16:30:00Z".parse().expect("a time"),
        }
    }

    fn added(at: Option<&'static str>) -> String {
        let added = add(DOC.as_bytes(), &request(at)).expect("added");
        String::from_utf8(added.bytes).expect("UTF-8")
    }

    #[test]
    fn between_entries_above_the_comment_that_leads_into_the_next() {
        assert_eq!(
            added(Some("16:30")),
            DOC.replace(
                "Deploy.\r\n",
                "Deploy.\r\n    - at: \"16:30\"\r\n      kind: note\r\n      text: Looked\r\n"
            )
        );
    }

    #[test]
    fn now_in_the_documents_zone_last_and_before_the_next_key_comment() {
        // 16:30 UTC is 17:30 in Berlin: after the last entry.
        assert_eq!(
            added(None),
            DOC.replace(
                "Fixed.\r\n",
                "Fixed.\r\n    - at: \"17:30\"\r\n      kind: note\r\n      text: Looked\r\n"
            )
        );
    }

    #[test]
    fn before_every_entry_with_its_date() {
        let text = added(Some("2024-03-01 15:00"));
        assert!(
            text.contains("timeline:\r\n    - at: \"2024-03-01 15:00\"\r\n      kind: note\r\n      text: Looked\r\n    - at: 2024-03-01 16:00"),
            "{text}"
        );
    }

    #[test]
    fn impossible_times_are_refused_with_checks_finding() {
        for (at, rule) in [
            ("2024-03-31 02:30", "nonexistent-time"),
            ("16:30 CEST", "abbreviation-mismatch"),
            // PDT is in effect nowhere on 2024-03-01, but it is Los Angeles'.
            ("16:30 PDT", "abbreviation-mismatch"),
            ("16:30 XYZT", "unknown-timezone"),
            ("half past four", "invalid-time"),
        ] {
            match add(DOC.as_bytes(), &request(Some(at))) {
                Err(Refusal::Time(d)) => assert_eq!(d.rule.id, rule, "{at}"),
                other => panic!("{at}: {other:?}"),
            }
        }
    }

    #[test]
    fn values_yaml_would_misread_are_quoted() {
        assert_eq!(scalar("16:40"), "\"16:40\"");
        assert_eq!(scalar("2024-03-01 16:40"), "\"2024-03-01 16:40\"");
        assert_eq!(scalar("Rolled back"), "Rolled back");
        assert_eq!(scalar("yes"), "\"yes\"");
        assert_eq!(scalar("a: b # c \"d\""), "\"a: b # c \\\"d\\\"\"");
    }
}
