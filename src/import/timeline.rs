//! Timeline entries from the lines of a timeline section, or from the
//! sentences of prose, and the kind each one's wording suggests.

use super::blocks::{Kind, Line};
use super::patterns::{self as p, DateTok, TimeTok};

/// An entry as read, before dates are carried and zones applied.
#[derive(Clone, Debug)]
pub struct Raw {
    /// A date written on the entry or on the day heading above it.
    pub date: Option<DateTok>,
    /// The date came from a day heading (`### 2024-10-02`), not the line.
    pub date_from_heading: bool,
    pub time: TimeTok,
    pub text: String,
    /// A kind the document states: a marker, a label, an update block.
    pub stated_kind: Option<&'static str>,
    /// Notes on how the line was read, as guesses.
    pub guesses: Vec<String>,
    /// The entry came from prose, not from a timeline line.
    pub from_prose: bool,
}

/// A line of a timeline section: a line, or a heading inside the section.
#[derive(Clone, Debug)]
pub enum TLine {
    Line(Line),
    Heading(String),
}

/// What a timeline section gave: entries, and text that belongs to none
/// (before the first entry), for `notes`.
#[derive(Debug, Default)]
pub struct Read {
    pub entries: Vec<Raw>,
    /// Text that is no entry's, with the heading it is under when that is
    /// a heading inside the section.
    pub leftover: Vec<(Option<String>, String)>,
}

/// Reads a timeline section.
pub fn read(lines: &[TLine]) -> Read {
    let mut read = Read::default();
    let mut day: Option<DateTok> = None;
    let mut last_block = None;
    // Under a heading that is no day or time ("### Background"), text without
    // a time is that heading's, not the entry before's.
    let mut under: Option<String> = None;
    for tline in lines {
        match tline {
            TLine::Heading(text) => {
                let dates = p::find_dates(text);
                if let Some(first) = dates.first().filter(|d| d.start <= 2) {
                    let rest = text[first.end..].trim_start_matches([',', ' ']);
                    if let Some((time, _)) = p::time_at(rest, true) {
                        read.entries.push(Raw {
                            date: Some(first.value.clone()),
                            date_from_heading: false,
                            time,
                            text: String::new(),
                            stated_kind: None,
                            guesses: Vec::new(),
                            from_prose: false,
                        });
                        day = None;
                    } else {
                        day = Some(first.value.clone());
                    }
                    under = None;
                } else if let Some((time, len)) = p::time_at(text, true) {
                    let rest = strip_separator(&text[len..]);
                    read.entries.push(entry(None, time, rest.to_owned()));
                    under = None;
                } else {
                    under = Some(text.clone());
                }
                last_block = None;
            }
            TLine::Line(line) => {
                if let Kind::Row { header } = line.kind {
                    if header {
                        continue;
                    }
                    row(line, day.as_ref(), &mut read);
                    continue;
                }
                // A wrapped line, or a sub-bullet with details, goes with the entry above.
                let continues = (matches!(line.kind, Kind::Text) && last_block == Some(line.block))
                    || matches!(line.kind, Kind::Item { depth, .. } if depth > 0);
                last_block = Some(line.block);
                let found = line_entries(&line.text, line.bold);
                if found.is_empty() {
                    match read.entries.last_mut() {
                        Some(last)
                            if under.is_none()
                                && (continues
                                    || last.text.is_empty()
                                    || line.kind == Kind::Text) =>
                        {
                            append(&mut last.text, &line.text);
                        }
                        _ => read.leftover.push((under.clone(), line.text.clone())),
                    }
                    continue;
                }
                under = None;
                for mut raw in found {
                    if raw.date.is_none() && day.is_some() {
                        raw.date.clone_from(&day);
                        raw.date_from_heading = true;
                    }
                    read.entries.push(raw);
                }
            }
        }
    }
    read
}

fn entry(date: Option<DateTok>, time: TimeTok, text: String) -> Raw {
    let mut guesses = Vec::new();
    if let Some(note) = &time.note {
        guesses.push(note.clone());
    }
    if time.approx && !time.unknown {
        guesses.push("read as approximate".to_owned());
    }
    let stated_kind = p::outage_marker(&text);
    Raw {
        date,
        date_from_heading: false,
        time,
        text,
        stated_kind,
        guesses,
        from_prose: false,
    }
}

fn append(text: &mut String, more: &str) {
    if !text.is_empty() {
        text.push(' ');
    }
    text.push_str(more.trim());
}

fn strip_separator(text: &str) -> &str {
    for sep in p::SEPARATORS {
        if let Some(rest) = text.strip_prefix(sep) {
            return rest.trim_start();
        }
    }
    text.trim_start()
}

/// A table row: the time in the first cell (a date may be there too).
fn row(line: &Line, day: Option<&DateTok>, read: &mut Read) {
    let Some(first) = line.cells.first() else {
        return;
    };
    let rest: Vec<&str> = line.cells[1..]
        .iter()
        .map(String::as_str)
        .filter(|c| !c.is_empty())
        .collect();
    let dates = p::find_dates(first);
    let (date, mut time_text) = match dates.first().filter(|d| d.start == 0) {
        Some(d) => (
            Some(d.value.clone()),
            first[d.end..].trim_start_matches([',', ' ']),
        ),
        None => (day.cloned(), first.as_str()),
    };
    let mut rest = rest;
    // `| Date | Time | Event |`: the time in the second column.
    if time_text.is_empty()
        && let Some(second) = line.cells.get(1)
        && p::time_at(second, true).is_some()
    {
        time_text = second;
        rest.retain(|c| !std::ptr::eq(*c, second.as_str()));
    }
    match p::time_at(time_text, true) {
        Some((time, _)) => {
            let mut raw = entry(date, time, rest.join(" — "));
            raw.date_from_heading = day.is_some();
            read.entries.push(raw);
        }
        None => match read.entries.last_mut() {
            Some(last) => append(&mut last.text, &line.text),
            None => read.leftover.push((None, line.text.clone())),
        },
    }
}

/// The entries a timeline line holds: `- TIME: text`, `**TIME** - text`,
/// `TIME - text`, `Update: TIME`, `DATE TIME text`, a range `TIME - TIME:
/// text`, and several entries on one line.
pub fn line_entries(text: &str, bold: bool) -> Vec<Raw> {
    let mut text = text
        .trim()
        .trim_start_matches(['*', '•', '·', '['])
        .trim_start();
    let mut stated = None;
    // `Update: 18:52` blocks are status updates.
    for label in p::UPDATE_LABELS {
        if let Some(rest) = text.strip_prefix(label)
            && p::time_at(rest.trim_start(), true).is_some()
        {
            stated = Some("communication");
            text = rest.trim_start();
        }
    }
    // "At 14:03 UTC, the deploy ...": the sentence is the entry's text, whole.
    for lead in p::ENTRY_LEADS {
        if let Some(after) = text.strip_prefix(lead)
            && let Some((time, _)) = p::time_at(after, true)
        {
            let mut raw = entry(None, time, text.to_owned());
            raw.stated_kind = stated.or(raw.stated_kind);
            return vec![raw];
        }
    }
    let dates = p::find_dates(text);
    let (date, rest) = match dates.first().filter(|d| d.start == 0) {
        Some(d) => {
            let rest = text[d.end..].trim_start_matches([',', ' ', 'T']);
            // `January 4th, 2023 at 2:03pm`, `2023-01-04 @ 14:03`.
            let rest = p::DATE_TIME_JOINS
                .iter()
                .find_map(|lead| rest.strip_prefix(lead))
                .filter(|r| p::time_at(r, true).is_some())
                .unwrap_or(rest);
            (Some(d.value.clone()), rest)
        }
        None => (None, text),
    };
    let Some((time, len)) = p::time_at(rest, true) else {
        return Vec::new();
    };
    let mut after = rest[len..].trim_start_matches(']');
    let mut guesses = Vec::new();
    // `2023-06-14T09:03:00Z`: the zone letter right after the time.
    let mut time = time;
    if time.zone.is_none()
        && let Some(tail) = after.strip_prefix('Z')
        && !tail.starts_with(char::is_alphanumeric)
    {
        time.zone = Some("Z".to_owned());
        after = tail;
    }
    // A range: `8:30 AM EAT - 8:50 AM EAT: text`. The start is kept, the end goes in the text.
    let mut until = None;
    for dash in p::RANGE_DASHES {
        if let Some(tail) = after.strip_prefix(dash)
            && let Some((end, elen)) = p::time_at(tail.trim_start(), true)
        {
            let skipped = tail.len() - tail.trim_start().len();
            let end_text = tail[skipped..skipped + elen].trim().to_owned();
            guesses.push(format!(
                "range {} to {end_text}; the start is kept, the end is in the text",
                rest[..len].trim()
            ));
            until = Some((end, end_text));
            after = &tail[skipped + elen..];
            break;
        }
    }
    // A bold `**Update: 09:20**` line has its text on the next lines.
    let body = if bold && after.trim().is_empty() {
        String::new()
    } else {
        strip_separator(after).to_owned()
    };
    let mut raw = entry(date, time, body);
    raw.guesses.splice(0..0, guesses);
    if let Some((_, end_text)) = until {
        raw.text = format!("Until {end_text}: {}", raw.text);
    }
    if stated.is_some() {
        raw.stated_kind = stated;
    }
    // A label naming the kind: `Issue Detected: ...`.
    if let Some((label, tail)) = raw.text.split_once(": ")
        && let Some(kind) = p::kind_label(label)
        && raw.stated_kind.is_none()
    {
        raw.stated_kind = Some(kind);
        #[allow(clippy::assigning_clones)] // `tail` borrows `raw.text`
        {
            raw.text = tail.to_owned();
        }
    }
    split_several(raw)
}

/// `10:45 AM quota requested 11:05 AM provider approves 80`: one entry at
/// each time that starts a new step (not one after "at" or "until").
fn split_several(first: Raw) -> Vec<Raw> {
    let mut out = Vec::new();
    let text = first.text.clone();
    let mut cuts = Vec::new();
    for found in p::find_times(&text) {
        let before = text[..found.start].trim_end();
        let word = before
            .rsplit(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("")
            .to_lowercase();
        let standalone = !before.is_empty()
            && !p::PREPOSITIONS.contains(&word.as_str())
            && !before.ends_with([',', '(', ':', '-', '–'])
            && (found.value.twelve_hour || found.value.zone.is_some() || found.value.approx)
            && found.value.twelve_hour == first.time.twelve_hour;
        if standalone {
            cuts.push(found);
        }
    }
    if cuts.is_empty() {
        return vec![first];
    }
    let mut head = first;
    text[..cuts[0].start].trim().clone_into(&mut head.text);
    out.push(head);
    for (i, cut) in cuts.iter().enumerate() {
        let end = cuts.get(i + 1).map_or(text.len(), |next| next.start);
        let body = strip_separator(&text[cut.end..end]).trim().to_owned();
        let mut raw = entry(None, cut.value.clone(), body);
        raw.guesses
            .push("several entries on one line; split at each time".to_owned());
        out.push(raw);
    }
    out
}

/// Sentences of prose, split after `.`, `!` or `?` and a space.
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        current.push(c);
        let ends =
            matches!(c, '.' | '!' | '?') && chars.get(i + 1).is_none_or(|n| n.is_whitespace());
        if ends {
            let sentence = current.trim().to_owned();
            if !sentence.is_empty() {
                out.push(sentence);
            }
            current.clear();
        }
    }
    let rest = current.trim();
    if !rest.is_empty() {
        out.push(rest.to_owned());
    }
    out
}

/// Entries from prose: each sentence with a time is an entry at its first
/// time; a sentence without one continues the entry before it. Sentences
/// before the first entry are returned as leftover.
pub fn from_prose(paragraph: &str) -> Read {
    let mut read = Read::default();
    for whole in sentences(paragraph) {
        for sentence in split_at_and(&whole) {
            let times = p::find_times(&sentence);
            let dated = times.iter().find(|t| !t.value.unknown);
            match dated {
                Some(found) => {
                    let mut raw = entry(None, found.value.clone(), sentence.clone());
                    raw.from_prose = true;
                    raw.guesses.push("time taken from the prose".to_owned());
                    read.entries.push(raw);
                }
                None => match read.entries.last_mut() {
                    Some(last) => append(&mut last.text, &sentence),
                    None => read.leftover.push((None, sentence)),
                },
            }
        }
    }
    read
}

/// "We added X at 10:30 and the bank confirmed Y at 10:35." is two steps:
/// split before " and " when each side has its own "at TIME".
fn split_at_and(sentence: &str) -> Vec<String> {
    let times = p::find_times(sentence);
    if times.len() == 2 {
        let between = &sentence[times[0].end..times[1].start];
        let before_second = sentence[..times[1].start].trim_end().to_lowercase();
        if let Some(and) = between.find(" and ")
            && before_second.ends_with(" at")
            && !between.contains("until")
        {
            let cut = times[0].end + and;
            return vec![
                sentence[..cut].trim().to_owned(),
                sentence[cut..].trim().to_owned(),
            ];
        }
    }
    vec![sentence.to_owned()]
}

/// The kind an entry's wording suggests, and the words that suggested it.
/// `index` and `count` place it in the timeline; `detected_before` and
/// `impact_before` say what earlier entries were.
pub fn infer_kind(
    text: &str,
    index: usize,
    count: usize,
    detected_before: bool,
    impact_before: bool,
) -> Option<(&'static str, String)> {
    if index + 1 == count && count > 1 {
        return Some(("resolved", "the last entry".to_owned()));
    }
    // The first entry is the trigger when its words say so, whatever else they say.
    if index == 0
        && let Some(word) = p::first_word(text, p::TRIGGER_WORDS)
    {
        return Some(("trigger", word.trim().to_owned()));
    }
    if let Some(word) = p::first_word(text, p::ALERT_WORDS)
        && (!detected_before || index > 0)
    {
        return Some(("detected", word.trim().to_owned()));
    }
    if let Some(word) = p::first_word(text, p::ESCALATION_WORDS) {
        return Some(("escalated", word.trim().to_owned()));
    }
    if let Some(word) = p::first_word(text, p::COMMUNICATION_WORDS) {
        return Some(("communication", word.trim().to_owned()));
    }
    if let Some(word) = p::first_word(text, p::MISLEADING_WORDS) {
        return Some(("misleading", word.trim().to_owned()));
    }
    if let Some(word) = p::first_word(text, p::DETECTION_WORDS)
        && !detected_before
    {
        return Some(("detected", word.trim().to_owned()));
    }
    if let Some(word) = p::first_word(text, p::MITIGATION_WORDS) {
        return Some(("mitigated", word.trim().to_owned()));
    }
    if !impact_before && let Some(word) = p::first_word(text, p::IMPACT_START_WORDS) {
        return Some(("impact-start", word.trim().to_owned()));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Raw {
        let mut found = line_entries(text, false);
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        found.remove(0)
    }

    #[test]
    fn timeline_line_shapes() {
        for (line, clock, text) in [
            (
                "08:10: The publish finished.",
                "08:10",
                "The publish finished.",
            ),
            ("9:03 AM: The job ran.", "09:03", "The job ran."),
            ("11:02 - Loop begins.", "11:02", "Loop begins."),
            (
                "8:20 am - A partner sent an order",
                "08:20",
                "A partner sent an order",
            ),
            (
                "* 8:05 AM EAT: Night shift hands over",
                "08:05",
                "Night shift hands over",
            ),
            (
                "07:02: notification deploy starts",
                "07:02",
                "notification deploy starts",
            ),
            (
                "22:40 Reconciliation job starts",
                "22:40",
                "Reconciliation job starts",
            ),
            (
                "1425 UTC Config push rolls out",
                "14:25",
                "Config push rolls out",
            ),
            ("0233 STEP 6 ABEND", "02:33", "STEP 6 ABEND"),
            (
                "± 06:40 UTC: a routine kernel update",
                "06:40",
                "a routine kernel update",
            ),
            ("Midnight - Patch deployed", "00:00", "Patch deployed"),
            ("??:??: Provider rejects", "unknown", "Provider rejects"),
            ("[09:03] pager fired", "09:03", "pager fired"),
            ("2023-06-14T09:03:00Z deploy", "09:03", "deploy"),
            ("June 14, 2023 9:03 AM PST - deploy", "09:03", "deploy"),
            ("January 4th, 2023 at 2:03pm: deploy", "14:03", "deploy"),
            (
                "At 14:03 UTC, the deploy began.",
                "14:03",
                "At 14:03 UTC, the deploy began.",
            ),
        ] {
            let raw = one(line);
            assert_eq!(raw.time.clock(), clock, "{line}");
            assert_eq!(raw.text, text, "{line}");
        }
    }

    #[test]
    fn ranges_keep_the_start() {
        let raw = one("8:30 AM EAT - 8:50 AM EAT: IT reboots scanners");
        assert_eq!(raw.time.clock(), "08:30");
        assert_eq!(raw.text, "Until 8:50 AM EAT: IT reboots scanners");
        assert!(raw.guesses.iter().any(|g| g.contains("range")));
    }

    #[test]
    fn several_entries_on_one_line() {
        let found = line_entries(
            "10:45 AM quota increase requested from the cloud provider 11:05 AM provider approves 80 11:10 AM autoscaler resumes",
            false,
        );
        let got: Vec<_> = found
            .iter()
            .map(|r| (r.time.clock(), r.text.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "10:45".to_owned(),
                    "quota increase requested from the cloud provider"
                ),
                ("11:05".to_owned(), "provider approves 80"),
                ("11:10".to_owned(), "autoscaler resumes"),
            ]
        );
        assert_eq!(
            line_entries("10:00 AM restarted, retried at 10:30 AM", false).len(),
            1
        );
    }

    #[test]
    fn update_blocks_and_markers() {
        let raw = line_entries("Update: 18:52", true).remove(0);
        assert_eq!(raw.stated_kind, Some("communication"));
        assert_eq!(raw.text, "");
        let raw = one("1512 UTC Rollback complete. <END OF OUTAGE>");
        assert_eq!(raw.stated_kind, Some("impact-end"));
        let raw = one("10:05: Issue Detected: pager fired");
        assert_eq!(raw.stated_kind, Some("detected"));
        assert_eq!(raw.text, "pager fired");
    }

    #[test]
    fn day_headings_and_continuations() {
        let line = |text: &str, block| {
            TLine::Line(Line {
                kind: Kind::Text,
                text: text.to_owned(),
                cells: Vec::new(),
                block,
                bold: false,
                links: Vec::new(),
            })
        };
        let read = read(&[
            TLine::Heading("2024-10-02".into()),
            line("00:10 Job paused;", 1),
            line("latency recovers.", 1),
            TLine::Heading("2018 October 21 22:52 UTC".into()),
            line("The cert expired.", 2),
        ]);
        assert_eq!(read.entries.len(), 2);
        assert_eq!(read.entries[0].text, "Job paused; latency recovers.");
        assert_eq!(read.entries[0].date.as_ref().map(|d| d.day), Some(2));
        assert_eq!(read.entries[1].text, "The cert expired.");
        assert_eq!(read.entries[1].time.zone.as_deref(), Some("UTC"));

        // Sub-bullets are details of the entry above.
        let item = |text: &str, depth| {
            TLine::Line(Line {
                kind: Kind::Item {
                    depth,
                    checked: None,
                },
                text: text.to_owned(),
                cells: Vec::new(),
                block: 5,
                bold: false,
                links: Vec::new(),
            })
        };
        let read_items = super::read(&[item("10:00 deploy", 0), item("to all regions", 1)]);
        assert_eq!(read_items.entries[0].text, "deploy to all regions");

        // A phase heading inside the timeline: its text is its own, not the entry's.
        let read = super::read(&[
            line("10:00 deploy", 1),
            TLine::Heading("Background".into()),
            line("The service is old.", 2),
            line("10:30 rolled back", 3),
        ]);
        assert_eq!(read.entries.len(), 2);
        assert_eq!(read.entries[0].text, "deploy");
        assert_eq!(
            read.leftover,
            [(
                Some("Background".to_owned()),
                "The service is old.".to_owned()
            )]
        );
    }

    #[test]
    fn tables_with_a_date_column() {
        let row = |cells: &[&str], header| {
            TLine::Line(Line {
                kind: Kind::Row { header },
                text: cells.join(" | "),
                cells: cells.iter().map(|c| (*c).to_owned()).collect(),
                block: 1,
                bold: false,
                links: Vec::new(),
            })
        };
        let read = read(&[
            row(&["Date", "Time", "Event"], true),
            row(&["2024-03-04", "10:09", "Disk alert"], false),
        ]);
        assert_eq!(read.entries.len(), 1);
        assert_eq!(read.entries[0].time.clock(), "10:09");
        assert_eq!(read.entries[0].text, "Disk alert");
        assert_eq!(read.entries[0].date.as_ref().map(|d| d.day), Some(4));
    }

    #[test]
    fn prose_timelines() {
        let read = from_prose(
            "At 2:10 PM ET the job swapped the alias. Queries hit the empty index. At 2:24 PM ET the alert fired.",
        );
        assert_eq!(read.entries.len(), 2);
        assert_eq!(
            read.entries[0].text,
            "At 2:10 PM ET the job swapped the alias. Queries hit the empty index."
        );
    }

    #[test]
    fn kinds_from_wording() {
        let k = |text, index, count, detected| {
            infer_kind(text, index, count, detected, false).map(|k| k.0)
        };
        assert_eq!(
            k("flag-service 3.2.0 deployed.", 0, 4, false),
            Some("trigger")
        );
        assert_eq!(k("Error rate alert fired.", 1, 4, false), Some("detected"));
        assert_eq!(k("Backend engineer noticed restarts", 2, 4, true), None);
        assert_eq!(k("Latency alert fires", 2, 4, true), Some("detected"));
        assert_eq!(k("Deploy rolled back.", 2, 4, true), Some("mitigated"));
        assert_eq!(k("Caches refreshed.", 3, 4, true), Some("resolved"));
        assert_eq!(
            k("Identity team assumed a clock skew", 2, 5, true),
            Some("misleading")
        );
        assert_eq!(
            k("Support escalated to the identity team", 2, 5, true),
            Some("escalated")
        );
        assert_eq!(k("queue starts growing", 0, 5, false), Some("impact-start"));
        assert_eq!(k("Rollback started.", 3, 5, true), None);
    }
}
