//! `pm import`: a Markdown or plain-text postmortem to a pm file in the
//! extended format, losing nothing. What has a field goes in it; what has
//! none goes in `notes` under its heading; every guess is marked with a
//! `# pm import: ...` comment on its line.
//!
//! The stages: `blocks` (Markdown to lines, through pulldown-cmark), the
//! sections here (which lines are headings, and what each section holds),
//! `timeline` (entries and their kinds), `patterns` (times, dates, zones and
//! words), `emit` (the YAML text).

mod blocks;
mod emit;
pub mod patterns;
mod timeline;

use blocks::{Kind, Line};
use chrono::NaiveDate;
use chrono_tz::Tz;
use patterns::{self as p, DateOrder, DateTok, SectionKind, TimeTok};
use timeline::{Raw, TLine};

/// What the command line adds to what the document says.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The zone to use when the document names none.
    pub timezone: Option<Tz>,
    /// How to read `04/05/2024` when the document does not settle it.
    pub date_order: Option<DateOrder>,
}

/// One guess the importer made, as marked in the output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Guess {
    /// The field it is on: `timezone`, `summary.start`, `timeline[3].kind`.
    pub field: String,
    pub message: String,
}

/// An imported postmortem.
#[derive(Clone, Debug)]
pub struct Imported {
    pub yaml: String,
    pub guesses: Vec<Guess>,
    /// Timeline entries written.
    pub entries: usize,
    pub title: String,
    /// The incident's date, for the file name.
    pub date: Option<NaiveDate>,
}

/// Why a document cannot be imported without help.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error(
        "the document names no time zone; pass --timezone with the zone its times are in, such as --timezone UTC or --timezone America/New_York"
    )]
    NoZone,
    #[error(
        "`{0}` can be read day first or month first, and nothing in the document settles which; pass --date-order dmy or --date-order mdy"
    )]
    DateOrder(String),
}

/// A value for the output, and the guesses made to get it.
#[derive(Clone, Debug, Default)]
struct Val {
    text: String,
    guesses: Vec<String>,
}

impl Val {
    fn new(text: impl Into<String>) -> Self {
        Val {
            text: text.into(),
            guesses: Vec::new(),
        }
    }

    fn guess(mut self, guess: impl Into<String>) -> Self {
        self.guesses.push(guess.into());
        self
    }
}

#[derive(Clone, Debug)]
enum Affected {
    Share(String),
    Count {
        count: u64,
        unit: String,
        of: Option<u64>,
    },
    Unknown,
}

#[derive(Clone, Debug, Default)]
struct Task {
    text: String,
    owner: Option<String>,
    ticket: Option<String>,
    due: Option<String>,
    done: Option<bool>,
    kind: Option<String>,
}

#[derive(Clone, Debug)]
struct Entry {
    at: Val,
    kind: Option<Val>,
    how: Option<&'static str>,
    /// Who did or saw it: a person the document names, when the text starts with them.
    by: Option<Val>,
    text: String,
}

/// A moment as read from the document: a time with the date it is on.
#[derive(Clone, Debug)]
struct Moment {
    date: Option<NaiveDate>,
    time: TimeTok,
    guesses: Vec<String>,
}

#[derive(Debug, Default)]
struct Doc {
    title: Option<Val>,
    id: Option<String>,
    severity: Option<String>,
    authors: Vec<String>,
    service: Option<String>,
    start_key: Option<String>,
    end_key: Option<String>,
    date_key: Option<String>,
    time_key: Option<String>,
    duration: Option<String>,
    impact: Option<String>,
    /// How the impact was found, when no summary said it.
    impact_guess: Option<String>,
    affected: Option<(Affected, Vec<String>)>,
    cause: Option<String>,
    zone_key: Option<String>,
    factors: Vec<String>,
    links: Vec<(String, String)>,
    people: Vec<(String, String)>,
    raw_entries: Vec<Raw>,
    /// Entries from prose outside a timeline section, used when there is none.
    prose_entries: Vec<Raw>,
    has_timeline: bool,
    root_cause: Vec<String>,
    resolution: Vec<String>,
    measures: Vec<String>,
    tasks: Vec<Task>,
    went_well: Vec<String>,
    went_wrong: Vec<String>,
    lucky: Vec<String>,
    notes: Vec<(String, String)>,
    /// Lines that declare the zone, in document order.
    zone_lines: Vec<String>,
    /// Prose of the summary, searched for a range and a date.
    summary_prose: Vec<String>,
}

/// A section: its heading, what it holds, and its lines.
#[derive(Debug)]
struct Section {
    heading: String,
    kind: SectionKind,
    lines: Vec<TLine>,
}

/// Imports one document.
pub fn import(text: &str, options: &Options) -> Result<Imported, Error> {
    let lines = blocks::lines(text);
    let (title, sections) = sections(lines);
    let mut doc = Doc {
        title: title.map(Val::new),
        ..Doc::default()
    };
    doc.has_timeline = sections.iter().any(|s| s.kind == SectionKind::Timeline);
    for section in &sections {
        read_section(&mut doc, section);
    }
    if doc.title.is_none() {
        doc.title = Some(Val::new("Imported postmortem").guess("the document has no title"));
    }
    impact_from_intro(&mut doc);
    if let Some(title) = &doc.title
        && let Some(id) = id_in(&title.text)
    {
        doc.id = Some(id);
    }
    finish(doc, text, options)
}

/// A document with no summary often says what happened in the paragraph
/// under its title: that is the impact, marked as a guess.
fn impact_from_intro(doc: &mut Doc) {
    // When the intro was read as the timeline, what is left of it is not the impact.
    if doc.impact.is_some() || !doc.prose_entries.is_empty() {
        return;
    }
    let title = doc
        .title
        .as_ref()
        .map(|t| t.text.clone())
        .unwrap_or_default();
    let found = doc.notes.iter().position(|(heading, text)| {
        let lower = text.to_lowercase();
        (heading.is_empty() || clean_title(heading) == title)
            && text.split_whitespace().count() >= 10
            && text.ends_with(['.', '!'])
            && !p::BYLINE_WORDS.iter().any(|b| lower.starts_with(b))
    });
    if let Some(at) = found {
        let (_, text) = doc.notes.remove(at);
        doc.impact = Some(text);
        doc.impact_guess = Some("impact taken from the paragraph under the title".to_owned());
    }
}

/// `Incident 2024-007: ...` or `INCIDENT REPORT 94-031`: the team's own id.
fn id_in(title: &str) -> Option<String> {
    let lower = title.to_lowercase();
    let at = lower.find("incident")?;
    let rest = title.get(at + "incident".len()..)?.trim_start();
    let rest = rest
        .strip_prefix("REPORT")
        .or_else(|| rest.strip_prefix("report"))
        .unwrap_or(rest)
        .trim_start();
    let id: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    (id.chars().any(|c| c.is_ascii_digit()) && id.len() >= 3).then_some(id)
}

// ------------------------------------------------------------ sections

/// What a line is for the structure: a heading (and its level), a heading
/// with text after it on the same line, or text.
enum Role {
    /// The level: 1-6 for `#` headings, 7 for bold or plain lines.
    Heading(u8, String),
    /// A heading followed on the same line by text: `summary: uploads ...`.
    HeadingWithText(String, String),
    Text,
}

/// `routing` is true inside a section that sub-labels route (root cause and
/// resolution, measures and tasks): there `Tasks:` is a label, elsewhere a heading.
fn role(line: &Line, first_of_block: bool, routing: bool) -> Role {
    let text = line.text.trim();
    if let Kind::Heading(level) = line.kind {
        return Role::Heading(level, text.to_owned());
    }
    if line.kind != Kind::Text {
        return Role::Text;
    }
    // `#Word`: a heading without its space.
    let hashes = text.chars().take_while(|c| *c == '#').count();
    if (1..=6).contains(&hashes) && text[hashes..].starts_with(char::is_alphabetic) {
        return Role::Heading(hashes as u8, text[hashes..].trim().to_owned());
    }
    let words = text.split_whitespace().count();
    let has_time =
        !p::find_times(text).is_empty() || p::UPDATE_LABELS.iter().any(|l| text.starts_with(l));
    if line.bold && !has_time && words <= 12 && !text.ends_with('.') {
        // `**Action Items:**` routes lines inside a section; `**Root cause**` is one.
        if routing && text.ends_with(':') && p::sub_label(text).is_some() {
            return Role::Text;
        }
        return Role::Heading(7, text.to_owned());
    }
    if !first_of_block {
        return Role::Text;
    }
    let kind = p::section_kind(text);
    if kind != SectionKind::Other && words <= 6 && !text.contains(". ") && !text.ends_with('.') {
        if routing && text.ends_with(':') && p::sub_label(text).is_some() {
            return Role::Text;
        }
        // "Impact: ..." in a summary is a key, not a heading.
        if !text.contains(": ") {
            return Role::Heading(7, text.to_owned());
        }
    }
    if let Some((label, rest)) = text.split_once(": ")
        && matches!(
            p::section_kind(label),
            SectionKind::Summary | SectionKind::Timeline
        )
        && label.split_whitespace().count() <= 3
    {
        return Role::HeadingWithText(label.to_owned(), rest.to_owned());
    }
    Role::Text
}

/// The title and the sections. The title is the document's first line when
/// it is a heading, a bold line or a short line that names no section.
fn sections(lines: Vec<Line>) -> (Option<String>, Vec<Section>) {
    let mut title = None;
    let mut out: Vec<Section> = Vec::new();
    let mut current = Section {
        heading: String::new(),
        kind: SectionKind::Other,
        lines: Vec::new(),
    };
    let mut current_level = 0u8;
    let mut last_block = None;
    for (i, line) in lines.into_iter().enumerate() {
        let first_of_block = last_block != Some(line.block);
        last_block = Some(line.block);
        let routing = matches!(
            current.kind,
            SectionKind::RootCause
                | SectionKind::RootCauseAndResolution
                | SectionKind::Resolution
                | SectionKind::Corrective
                | SectionKind::Measures
                | SectionKind::Tasks
        );
        let role = role(&line, first_of_block, routing);
        let (heading, level, rest) = match role {
            Role::Heading(level, text) => (text, level, None),
            Role::HeadingWithText(label, rest) => (label, 7, Some(rest)),
            Role::Text => {
                if i == 0 && line.kind == Kind::Text && line.text.split_whitespace().count() <= 15 {
                    title = Some(line.text.clone());
                    current.heading.clone_from(&line.text);
                    continue;
                }
                current.lines.push(TLine::Line(line));
                continue;
            }
        };
        let kind = p::section_kind(&heading);
        if i == 0 && kind == SectionKind::Other {
            title = Some(heading.clone());
            current.heading = heading;
            current_level = level;
            continue;
        }
        // A day or time heading inside a timeline stays in it.
        let dated = p::find_dates(&heading)
            .first()
            .is_some_and(|d| d.start <= 2)
            || p::time_at(&heading, true).is_some();
        // So does a phase heading below it ("### Detection" under "## Timeline").
        if current.kind == SectionKind::Timeline
            && kind == SectionKind::Other
            && (dated || level > current_level)
        {
            current.lines.push(TLine::Heading(heading));
            continue;
        }
        current_level = level;
        // The heading as written ("Issues summary:"), for notes under it.
        let done = std::mem::replace(
            &mut current,
            Section {
                heading,
                kind,
                lines: Vec::new(),
            },
        );
        if !done.lines.is_empty() || done.kind != SectionKind::Other {
            out.push(done);
        }
        if let Some(rest) = rest {
            current.lines.push(TLine::Line(Line {
                kind: Kind::Text,
                text: rest,
                cells: Vec::new(),
                block: usize::MAX,
                bold: false,
                links: Vec::new(),
            }));
        }
    }
    out.push(current);
    (title.map(|t| clean_title(&t)), out)
}

fn clean_title(title: &str) -> String {
    title.trim().trim_start_matches('#').trim().to_owned()
}

/// Text of the lines, a paragraph per block: lines of a block joined by a
/// space, list items as lines.
fn paragraphs(lines: &[&Line]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut last = None;
    for line in lines {
        let joins = line.kind == Kind::Text && last == Some(line.block);
        match out.last_mut() {
            Some(para) if joins => {
                para.push(' ');
                para.push_str(&line.text);
            }
            _ => out.push(line.text.clone()),
        }
        last = if line.kind == Kind::Text {
            Some(line.block)
        } else {
            None
        };
    }
    out
}

fn only_lines(section: &Section) -> Vec<&Line> {
    section
        .lines
        .iter()
        .filter_map(|l| match l {
            TLine::Line(line) => Some(line),
            TLine::Heading(_) => None,
        })
        .collect()
}

fn read_section(doc: &mut Doc, section: &Section) {
    use SectionKind as K;
    // Heading lines inside sections other than the timeline are notes.
    for line in &section.lines {
        if let TLine::Heading(text) = line
            && section.kind != K::Timeline
        {
            doc.notes.push((section.heading.clone(), text.clone()));
        }
    }
    if let Some(zone) = paren_zone(&section.heading) {
        doc.zone_lines.push(zone);
    }
    let lines = only_lines(section);
    match section.kind {
        K::Timeline => {
            let mut kept = Vec::new();
            for line in &section.lines {
                // `| Time (UTC) | Event |`: the zone in a column header.
                if let TLine::Line(l) = line
                    && l.kind == (Kind::Row { header: true })
                {
                    doc.zone_lines
                        .extend(l.cells.iter().filter_map(|c| paren_zone(c)));
                }
                if let TLine::Line(l) = line
                    && p::zone_declaration(&l.text).is_some()
                    && p::find_times(&l.text).is_empty()
                {
                    doc.zone_lines.push(l.text.clone());
                    if only_declares_zone(&l.text) {
                        continue;
                    }
                }
                kept.push(line.clone());
            }
            let read = timeline::read(&kept);
            doc.raw_entries.extend(read.entries);
            for (heading, text) in read.leftover {
                doc.notes
                    .push((heading.unwrap_or_else(|| section.heading.clone()), text));
            }
        }
        K::Summary => summary_lines(doc, &section.heading, &lines, true),
        K::Other if section.heading.is_empty() || is_title(doc, &section.heading) => {
            summary_lines(doc, &section.heading, &lines, false);
        }
        K::Impact => {
            for para in paragraphs(&lines) {
                if doc.impact.is_none() {
                    doc.impact = Some(para);
                } else {
                    doc.notes.push((section.heading.clone(), para));
                }
            }
        }
        // Sub-labels switch the target; these are where lines go before one.
        K::RootCause | K::RootCauseAndResolution => {
            routed(doc, &section.heading, &lines, K::RootCause);
        }
        K::Resolution | K::Measures => routed(doc, &section.heading, &lines, section.kind),
        K::Corrective | K::Tasks => routed(doc, &section.heading, &lines, K::Tasks),
        K::Factors => {
            for line in &lines {
                if matches!(line.kind, Kind::Item { .. }) {
                    doc.factors.push(line.text.clone());
                } else {
                    doc.root_cause.push(line.text.clone());
                }
            }
        }
        K::Lessons | K::WentWell | K::WentWrong | K::Lucky => {
            for line in &lines {
                let list = match section.kind {
                    K::WentWell => &mut doc.went_well,
                    K::WentWrong => &mut doc.went_wrong,
                    K::Lucky => &mut doc.lucky,
                    _ => {
                        doc.notes.push((section.heading.clone(), line.text.clone()));
                        continue;
                    }
                };
                list.push(line.text.clone());
            }
        }
        K::Narrative => {
            let mut leftover = Vec::new();
            for para in paragraphs(&lines) {
                let read = timeline::from_prose(&para);
                if !doc.has_timeline && !read.entries.is_empty() {
                    doc.prose_entries.extend(read.entries);
                    leftover.extend(read.leftover.into_iter().map(|(_, text)| text));
                } else {
                    leftover.push(para);
                }
            }
            for para in leftover {
                doc.summary_prose.push(para.clone());
                if doc.impact.is_none() {
                    doc.impact = Some(para);
                } else {
                    doc.notes.push((section.heading.clone(), para));
                }
            }
        }
        K::Other => other_lines(doc, &section.heading, &lines),
    }
}

/// "All times UTC.": one short sentence that only says the zone, carried
/// by `timezone:`. A longer line keeps its text in the notes.
fn only_declares_zone(text: &str) -> bool {
    timeline::sentences(text).len() == 1 && text.split_whitespace().count() <= 8
}

fn is_title(doc: &Doc, heading: &str) -> bool {
    doc.title
        .as_ref()
        .is_some_and(|t| clean_title(heading) == t.text)
}

/// `Timeline (CET)`, `timeline (Pacific)`: a zone in the heading.
fn paren_zone(heading: &str) -> Option<String> {
    let open = heading.find('(')?;
    let inner = heading[open + 1..].trim_end().trim_end_matches(')');
    if p::zone_phrase(inner).is_some() || p::zone_declaration(inner).is_some() {
        Some(inner.to_owned())
    } else {
        None
    }
}

/// A section whose lines go to root cause, resolution, measures or tasks,
/// switched by sub-labels ("Root Cause:", "Action Items:").
fn routed(doc: &mut Doc, heading: &str, lines: &[&Line], default: SectionKind) {
    let mut target = default;
    let mut rows_header: Option<Vec<String>> = None;
    let mut para: Vec<Line> = Vec::new();
    let flush = |doc: &mut Doc, target: SectionKind, para: &mut Vec<Line>| {
        let refs: Vec<&Line> = para.iter().collect();
        for text in paragraphs(&refs) {
            push_to(doc, heading, target, &text, None);
        }
        para.clear();
    };
    for line in lines {
        let text = line.text.trim();
        if line.kind == Kind::Text || matches!(line.kind, Kind::Item { .. }) {
            // A label alone: `Action Items:`.
            if let Some(kind) = p::sub_label(text).filter(|_| text.ends_with(':') || line.bold) {
                flush(doc, target, &mut para);
                target = kind;
                continue;
            }
            // A label with text: `Root Cause: The job ...`.
            if let Some((label, rest)) = text.split_once(':')
                && let Some(kind) = p::sub_label(label)
                && !rest.trim().is_empty()
            {
                flush(doc, target, &mut para);
                target = kind;
                para.push(Line {
                    text: rest.trim().to_owned(),
                    ..(*line).clone()
                });
                continue;
            }
        }
        match &line.kind {
            Kind::Text => para.push((*line).clone()),
            Kind::Item { checked, .. } => {
                flush(doc, target, &mut para);
                push_to(doc, heading, target, text, *checked);
            }
            Kind::Row { header: true } => {
                rows_header = Some(line.cells.iter().map(|c| c.to_lowercase()).collect());
            }
            Kind::Row { header: false } => {
                flush(doc, target, &mut para);
                row_task(doc, heading, target, rows_header.as_deref(), &line.cells);
            }
            Kind::Heading(_) => {}
        }
    }
    flush(doc, target, &mut para);
}

fn push_to(doc: &mut Doc, heading: &str, target: SectionKind, text: &str, checked: Option<bool>) {
    use SectionKind as K;
    match target {
        K::RootCause => doc.root_cause.push(text.to_owned()),
        K::Resolution => doc.resolution.push(text.to_owned()),
        K::Measures => doc.measures.push(text.to_owned()),
        K::Tasks => {
            let mut task = task(text);
            task.done = checked;
            doc.tasks.push(task);
        }
        _ => doc.notes.push((heading.to_owned(), text.to_owned())),
    }
}

/// An action-item table: the columns named by the header.
fn row_task(
    doc: &mut Doc,
    heading: &str,
    target: SectionKind,
    header: Option<&[String]>,
    cells: &[String],
) {
    let Some(header) = header else {
        push_to(doc, heading, target, &cells.join(" | "), None);
        return;
    };
    let mut task = Task::default();
    let mut rest = Vec::new();
    for (name, cell) in header.iter().zip(cells) {
        if cell.is_empty() {
            continue;
        }
        match p::task_column(name) {
            Some(p::Column::Owner) => task.owner = Some(cell.clone()),
            Some(p::Column::Ticket) => task.ticket = Some(cell.clone()),
            Some(p::Column::Kind) => task.kind = Some(cell.to_lowercase()),
            Some(p::Column::Due) => task.due = Some(cell.clone()),
            Some(p::Column::Status) => task.done = Some(cell.to_lowercase().contains("done")),
            None if task.text.is_empty() => task.text.clone_from(cell),
            None => rest.push(format!("{name}: {cell}")),
        }
    }
    // Cells past the header's columns are kept too.
    rest.extend(
        cells
            .iter()
            .skip(header.len())
            .filter(|c| !c.is_empty())
            .cloned(),
    );
    if !rest.is_empty() {
        task.text = format!("{} ({})", task.text, rest.join(", "));
    }
    if task.text.is_empty() {
        task.text = cells.join(" | ");
    }
    doc.tasks.push(task);
}

/// A task from its line: `Text (owner: x, due 2024-09-13)`, `Text (team)`,
/// `Text (team, TICKET-1)`, `TICKET-1 text (owner: x)`, `Text. Owner: x. TICKET-1`.
fn task(line: &str) -> Task {
    let mut task = Task::default();
    let mut text = line.trim().to_owned();
    // `(...)` at the end: owner, ticket, due.
    if text.ends_with(')')
        && let Some(open) = text.rfind('(')
    {
        let inner = text[open + 1..text.len() - 1].to_owned();
        let mut used = true;
        for part in inner.split(',') {
            let part = part.trim();
            // Offsets into `lower` are offsets into `part` only when lower-casing keeps lengths.
            let lower = Some(part.to_lowercase())
                .filter(|l| l.len() == part.len())
                .unwrap_or_default();
            if let Some(t) = p::ticket(part).filter(|t| t.start == 0 && t.end == part.len()) {
                task.ticket = Some(t.value);
            } else if let Some(owner) = lower.strip_prefix("owner") {
                let owner = part[part.len() - owner.len()..].trim_start_matches([':', ' ']);
                task.owner = Some(owner.trim().to_owned());
            } else if let Some(due) = lower.strip_prefix("due") {
                let due = part[part.len() - due.len()..].trim_start_matches([':', ' ']);
                task.due = Some(due.to_owned());
            } else if part.split_whitespace().count() <= 4
                && !part.is_empty()
                && task.owner.is_none()
            {
                task.owner = Some(part.to_owned());
            } else {
                used = false;
            }
        }
        if used {
            text = text[..open].trim_end().to_owned();
        } else {
            task = Task::default();
        }
    }
    // `Owner: x.` inside the text.
    if task.owner.is_none()
        && let lower = text.to_lowercase()
        && lower.len() == text.len()
        && let Some(at) = lower.find("owner:")
    {
        let after = text[at + 6..].trim();
        let end = after.find(". ").unwrap_or(after.len());
        let owner = after[..end].trim_end_matches('.').trim();
        if !owner.is_empty() {
            task.owner = Some(owner.to_owned());
            let tail = after[end..].trim_start_matches('.').trim();
            let joined = format!("{} {tail}", text[..at].trim_end());
            joined.trim().clone_into(&mut text);
        }
    }
    // A ticket at the start or the end.
    if task.ticket.is_none()
        && let Some(t) = p::ticket(&text)
        && (t.start == 0 || t.end == text.len())
    {
        task.ticket = Some(t.value.clone());
        let joined = format!("{}{}", &text[..t.start], &text[t.end..]);
        joined.trim().clone_into(&mut text);
    }
    text.trim().clone_into(&mut task.text);
    if task.text.is_empty() {
        // Nothing but metadata: keep the line as written.
        line.trim().clone_into(&mut task.text);
    }
    task
}

/// A section with no field: notes, under its heading.
fn other_lines(doc: &mut Doc, heading: &str, lines: &[&Line]) {
    let (updates, plain) = take_updates(lines);
    if !updates.is_empty() {
        let read = timeline::read(&updates);
        doc.raw_entries.extend(read.entries);
    }
    for para in paragraphs(&plain) {
        // A paragraph with times, in a document without a timeline, is one.
        if !doc.has_timeline && p::find_times(&para).len() >= 2 {
            let read = timeline::from_prose(&para);
            doc.prose_entries.extend(read.entries);
            for (_, text) in read.leftover {
                doc.notes.push((heading.to_owned(), text));
            }
            continue;
        }
        doc.notes.push((heading.to_owned(), para));
    }
}

/// `**Update: 09:20**` blocks: from the first, the update lines and the
/// paragraphs under them; the other lines are returned as they are.
fn take_updates<'a>(lines: &[&'a Line]) -> (Vec<TLine>, Vec<&'a Line>) {
    let mut updates = Vec::new();
    let mut rest = Vec::new();
    for line in lines {
        let is_update = p::UPDATE_LABELS.iter().any(|l| line.text.starts_with(l))
            && !timeline::line_entries(&line.text, line.bold).is_empty();
        if is_update || (!updates.is_empty() && line.kind == Kind::Text) {
            updates.push(TLine::Line((*line).clone()));
        } else {
            rest.push(*line);
        }
    }
    (updates, rest)
}

// ------------------------------------------------------------ summary

/// Lines of a summary (or of the text under the title): `Key: value` lines,
/// bold-key bullets, key/value tables, `<br>`-joined keys, and prose.
fn summary_lines(doc: &mut Doc, heading: &str, lines: &[&Line], is_summary: bool) {
    let mut prose: Vec<&Line> = Vec::new();
    let (updates, lines) = take_updates(lines);
    for line in lines {
        let text = line.text.trim();
        if p::zone_declaration(text).is_some()
            && p::find_times(text).is_empty()
            && !text.contains(": ")
        {
            doc.zone_lines.push(text.to_owned());
            if only_declares_zone(text) {
                continue;
            }
        }
        let pair = match &line.kind {
            Kind::Row { header } => {
                if *header && line.cells.len() == 2 && line.cells[0].eq_ignore_ascii_case("field") {
                    continue;
                }
                if line.cells.len() == 2 {
                    Some((line.cells[0].clone(), line.cells[1].clone()))
                } else {
                    None
                }
            }
            _ => text.split_once(':').and_then(|(k, v)| {
                let k = k.trim();
                let v = v.trim();
                (k.split_whitespace().count() <= 4
                    && !k.is_empty()
                    && !v.is_empty()
                    && k.chars().next().is_some_and(char::is_alphabetic)
                    && !k.chars().any(|c| c.is_ascii_digit()))
                .then(|| (k.to_owned(), v.to_owned()))
            }),
        };
        match pair {
            Some((key, value)) if summary_key(doc, heading, &key, &value, line) => {}
            _ => prose.push(line),
        }
    }
    if !updates.is_empty() {
        let read = timeline::read(&updates);
        doc.raw_entries.extend(read.entries);
    }
    for para in paragraphs(&prose) {
        if is_summary {
            doc.summary_prose.push(para.clone());
        }
        if !doc.has_timeline && p::find_times(&para).len() >= 2 && !is_summary {
            let read = timeline::from_prose(&para);
            doc.prose_entries.extend(read.entries);
            for (_, text) in read.leftover {
                doc.notes.push((heading.to_owned(), text));
            }
            continue;
        }
        if is_summary && doc.impact.is_none() {
            doc.impact = Some(para);
        } else {
            doc.notes.push((heading.to_owned(), para));
        }
    }
}

/// Places one `Key: value`; false when the key has no place (the line is
/// then kept as prose).
fn summary_key(doc: &mut Doc, heading: &str, key: &str, value: &str, line: &Line) -> bool {
    use p::Key;
    let Some(which) = p::summary_key(key) else {
        return false;
    };
    let value = value.trim().to_owned();
    match which {
        Key::Service => doc.service = Some(value),
        Key::Start => doc.start_key = Some(value),
        Key::End => doc.end_key = Some(value),
        Key::Date => doc.date_key = Some(value),
        Key::Time => doc.time_key = Some(value),
        Key::Duration => {
            if p::find_times(&value).len() >= 2 {
                doc.time_key = Some(value);
            } else {
                doc.duration = Some(value);
            }
        }
        Key::Impact => {
            if doc.impact.is_none() {
                doc.impact = Some(value);
            } else {
                doc.notes.push((heading.to_owned(), line.text.clone()));
            }
        }
        Key::Affected => {
            let (affected, complete) = affected(&value);
            if !complete {
                doc.notes
                    .push((heading.to_owned(), format!("{key}: {value}")));
            }
            doc.affected = Some(affected);
        }
        Key::Cause => doc.cause = Some(value),
        Key::Severity => doc.severity = Some(value),
        Key::Zone => doc.zone_key = Some(value),
        Key::Byline => {
            let name = value.split([',', ';']).next().unwrap_or("").trim();
            doc.authors.push(name.to_owned());
            doc.notes.push((heading.to_owned(), line.text.clone()));
        }
        Key::Authors => {
            for name in value.split([',', ';']) {
                let name = name.split(" (").next().unwrap_or("").trim();
                if !name.is_empty() {
                    doc.authors.push(name.to_owned());
                }
            }
            if value.contains('(') {
                doc.notes.push((heading.to_owned(), line.text.clone()));
            }
        }
        Key::Person => {
            let role = key.trim().trim_matches('*').trim().to_lowercase();
            doc.people.push((value, role));
        }
        Key::Link => {
            let url = line
                .links
                .first()
                .map(|(_, url)| url.clone())
                .or_else(|| value.starts_with("http").then(|| value.clone()));
            match url {
                Some(url) if url.starts_with("http") => {
                    let label = if value == url { key.to_owned() } else { value };
                    doc.links.push((label, url));
                }
                _ => return false,
            }
        }
    }
    true
}

/// `15%`, `roughly 70% of search requests`, `About half`, `31 of 140
/// services`, `1,930 merchants`, `unknown`. The flag says whether the value
/// was read whole (else the text is kept in notes too).
fn affected(value: &str) -> ((Affected, Vec<String>), bool) {
    let lower = value.to_lowercase();
    let trimmed = value.trim();
    if lower.contains("unknown") || lower.contains("not known") {
        return ((Affected::Unknown, Vec::new()), lower.trim() == "unknown");
    }
    if let Some(pct) = trimmed.strip_suffix('%')
        && pct.trim().parse::<f64>().is_ok()
    {
        return ((Affected::Share(trimmed.to_owned()), Vec::new()), true);
    }
    let words: Vec<&str> = trimmed.split_whitespace().collect();
    let number = |w: &str| w.replace(',', "").parse::<u64>().ok();
    if let Some(first) = words.first().and_then(|w| number(w)) {
        if words.get(1) == Some(&"of")
            && let Some(of) = words.get(2).and_then(|w| number(w))
        {
            let unit = unit_of(&words[3..]);
            return (
                (
                    Affected::Count {
                        count: first,
                        unit,
                        of: Some(of),
                    },
                    Vec::new(),
                ),
                !trimmed.contains('('),
            );
        }
        let unit = unit_of(&words[1..]);
        let complete = !trimmed.contains('(') && !trimmed.contains(", ");
        return (
            (
                Affected::Count {
                    count: first,
                    unit,
                    of: None,
                },
                Vec::new(),
            ),
            complete,
        );
    }
    for w in &words {
        if let Some(pct) = w.strip_suffix('%')
            && pct.parse::<f64>().is_ok()
        {
            return (
                (
                    Affected::Share(format!("{pct}%")),
                    vec![format!("\"{trimmed}\" read as {pct}%")],
                ),
                false,
            );
        }
    }
    if lower.contains("half") {
        return (
            (
                Affected::Share("50%".to_owned()),
                vec![format!("\"{trimmed}\" read as 50%")],
            ),
            false,
        );
    }
    (
        (
            Affected::Unknown,
            vec![format!("\"{trimmed}\" has no figure")],
        ),
        false,
    )
}

fn unit_of(words: &[&str]) -> String {
    let unit: Vec<&str> = words
        .iter()
        .take_while(|w| !w.starts_with('('))
        .copied()
        .collect();
    unit.join(" ").trim_end_matches([',', '.']).to_owned()
}

// ------------------------------------------------------------ finishing

/// How slashed dates read: the order, and why (when the document settled it).
type Order = Option<(DateOrder, Option<String>)>;

/// Resolves a written date: slashed dates in the settled order, a year
/// from elsewhere when it has none. Notes on how it was read go to `guesses`.
fn resolve_date(
    tok: &DateTok,
    written: &str,
    order: &Order,
    year_anywhere: Option<&(i32, String)>,
    guesses: &mut Vec<String>,
) -> Result<Option<NaiveDate>, Error> {
    if let Some(note) = &tok.note {
        guesses.push(note.clone());
    }
    if let Some((a, b)) = tok.slashed {
        let year = tok.year.unwrap_or(2000);
        let Some((order, why)) = order else {
            if a != b && a <= 12 && b <= 12 {
                return Err(Error::DateOrder(written.to_owned()));
            }
            return Ok(p::slashed_date(a, b, year, DateOrder::Dmy));
        };
        if let Some(why) = why {
            guesses.push(format!("{written} {why}"));
        }
        return Ok(p::slashed_date(a, b, year, *order));
    }
    if tok.month == 0 {
        return Ok(None);
    }
    match tok.year {
        Some(y) => Ok(tok.date(y)),
        None => match year_anywhere {
            Some((y, from)) => {
                guesses.push(format!("year taken from \"{from}\""));
                Ok(tok.date(*y))
            }
            None => Ok(None),
        },
    }
}

/// What the dates of a document need: the order of its slashed dates and
/// a year for dates written without one.
struct Dates {
    order: Order,
    year_anywhere: Option<(i32, String)>,
    /// The incident's date and where it came from.
    base: Option<(NaiveDate, String)>,
    /// How the base date was read.
    base_guesses: Vec<String>,
}

impl Dates {
    fn resolve(
        &self,
        tok: &DateTok,
        written: &str,
        guesses: &mut Vec<String>,
    ) -> Result<Option<NaiveDate>, Error> {
        resolve_date(
            tok,
            written,
            &self.order,
            self.year_anywhere.as_ref(),
            guesses,
        )
    }

    fn base_date(&self) -> Option<NaiveDate> {
        self.base.as_ref().map(|b| b.0)
    }
}

fn first_date(text: &str) -> Option<(DateTok, String)> {
    p::find_dates(text)
        .into_iter()
        .find(|f| f.value.month != 0)
        .map(|f| (f.value, text[f.start..f.end].to_owned()))
}

fn dates(doc: &Doc, all_text: &str, title: &str, options: &Options) -> Result<Dates, Error> {
    // The order of slashed dates, from the document itself where it can.
    let slashed: Vec<(u32, u32)> = p::find_dates(all_text)
        .into_iter()
        .filter_map(|f| f.value.slashed)
        .collect();
    let order = match p::settled_order(&slashed) {
        Some((order, (a, b))) => Some((
            order,
            Some(match order {
                DateOrder::Dmy => format!("read as DD/MM/YYYY ({a} is not a month)"),
                DateOrder::Mdy => format!("read as MM/DD/YYYY ({b} is not a month)"),
            }),
        )),
        None => options.date_order.map(|o| (o, None)),
    };
    // The year for dates written without one.
    let year_anywhere = p::find_dates(all_text).into_iter().find_map(|f| {
        f.value
            .year
            .map(|y| (y, all_text[f.start..f.end].to_owned()))
    });
    let mut dates = Dates {
        order,
        year_anywhere,
        base: None,
        base_guesses: Vec::new(),
    };
    // The incident's date: the summary's, else the title's, else the first in the text.
    for (source_text, from) in [
        (doc.start_key.clone(), "the summary's start"),
        (doc.date_key.clone(), "the summary's date"),
        (Some(doc.summary_prose.join(" ")), "the summary"),
        (Some(title.to_owned()), "the title"),
        (Some(all_text.to_owned()), "the text"),
    ] {
        let Some(text) = source_text else { continue };
        if let Some((tok, written)) = first_date(&text) {
            let mut guesses = Vec::new();
            if let Some(date) = dates.resolve(&tok, &written, &mut guesses)? {
                dates.base_guesses = guesses;
                let from = if from == "the text" {
                    format!("\"{written}\" in the text")
                } else {
                    from.to_owned()
                };
                dates.base = Some((date, from));
                break;
            }
        }
    }
    Ok(dates)
}

fn finish(mut doc: Doc, source: &str, options: &Options) -> Result<Imported, Error> {
    let title_text = doc
        .title
        .as_ref()
        .map(|t| t.text.clone())
        .unwrap_or_default();
    let dates = dates(&doc, source, &title_text, options)?;
    let (zone, zone_guess) = document_zone(&doc, source, dates.base_date(), options)?;

    // Timeline entries: the timeline's, else those from prose; updates and
    // prose merged in time order when both are there.
    let mut raws = std::mem::take(&mut doc.raw_entries);
    if !doc.has_timeline && !doc.prose_entries.is_empty() {
        let merge = !raws.is_empty();
        raws.extend(std::mem::take(&mut doc.prose_entries));
        if merge {
            raws.sort_by_key(|r| {
                if r.time.unknown {
                    u32::MAX
                } else {
                    r.time.minutes()
                }
            });
        }
    }
    let moments = moments(&raws, &dates)?;
    let mut entries = kinds(&raws, &moments);
    who(&mut entries, &doc);
    let (start, end) = window(&doc, &raws, &moments, &entries, &dates)?;
    notes_before_start(&mut entries, &moments, start.as_ref());

    let date = start
        .as_ref()
        .and_then(|s| s.date)
        .or_else(|| dates.base_date());
    let ctx = Emit {
        doc: &doc,
        zone: (zone, zone_guess),
        start: start.map(|s| s.val),
        end: end.map(|e| e.val),
        entries: &entries,
    };
    let (yaml, guesses) = ctx.write();
    Ok(Imported {
        yaml,
        guesses,
        entries: entries.len(),
        title: title_text,
        date,
    })
}

/// Each entry's date: its own, or its day heading's, or the one before
/// (advanced after midnight), or the incident's for the first.
fn moments(raws: &[Raw], dates: &Dates) -> Result<Vec<Moment>, Error> {
    let mut moments = Vec::new();
    let mut current: Option<NaiveDate> = None;
    let mut last_minutes: Option<u32> = None;
    for (i, raw) in raws.iter().enumerate() {
        let mut guesses = raw.guesses.clone();
        let own = match &raw.date {
            Some(tok) => {
                let written = format!("{}/{}", tok.day, tok.month);
                dates.resolve(tok, &written, &mut guesses)?
            }
            None => None,
        };
        let date = if let Some(date) = own {
            Some(date)
        } else if let Some(date) = current {
            let advance = !raw.time.unknown
                && last_minutes.is_some_and(|m| m >= 18 * 60)
                && raw.time.minutes() < 6 * 60;
            if advance {
                guesses.push("day advanced after midnight".to_owned());
                date.succ_opt()
            } else {
                Some(date)
            }
        } else if let Some((date, from)) = &dates.base {
            if i == 0 {
                guesses.push(format!("date carried from {from}"));
                guesses.extend(dates.base_guesses.iter().cloned());
            }
            Some(*date)
        } else {
            None
        };
        if !raw.time.unknown {
            last_minutes = Some(raw.time.minutes());
        }
        current = date.or(current);
        moments.push(Moment {
            date,
            time: raw.time.clone(),
            guesses,
        });
    }
    Ok(moments)
}

/// The entries with their kinds: stated, or inferred from the wording.
fn kinds(raws: &[Raw], moments: &[Moment]) -> Vec<Entry> {
    let count = raws.len();
    let mut detected_before = false;
    let mut impact_before = false;
    let mut entries = Vec::new();
    let mut previous_date: Option<NaiveDate> = None;
    for (i, (raw, moment)) in raws.iter().zip(moments).enumerate() {
        let kind = if let Some(kind) = raw.stated_kind {
            if kind == "communication"
                && i + 1 == count
                && raw.text.to_lowercase().contains("resolved")
            {
                Some(Val::new("resolved").guess("the last update says it is resolved"))
            } else {
                Some(Val::new(kind))
            }
        } else {
            // Prose entries: the sentence with the time says what happened.
            let wording = if raw.from_prose {
                timeline::sentences(&raw.text)
                    .into_iter()
                    .next()
                    .unwrap_or_default()
            } else {
                raw.text.clone()
            };
            timeline::infer_kind(&wording, i, count, detected_before, impact_before).map(
                |(kind, why)| {
                    let guess = if why == "the last entry" {
                        "the last entry read as the resolution".to_owned()
                    } else {
                        format!(
                            "kind inferred from wording (\"{}\")",
                            p::whole_word(&wording, &why)
                        )
                    };
                    Val::new(kind).guess(guess)
                },
            )
        };
        let kind_name = kind.as_ref().map(|k| k.text.clone());
        if kind_name.as_deref() == Some("detected") {
            detected_before = true;
        }
        if matches!(kind_name.as_deref(), Some("impact-start" | "trigger")) {
            impact_before = true;
        }
        let show_date = moment.date.is_some() && moment.date != previous_date;
        if moment.date.is_some() {
            previous_date = moment.date;
        }
        let at = at_text(moment, show_date);
        let how =
            (kind_name.as_deref() == Some("detected")).then(|| p::detection_source(&raw.text));
        let text = match raw.text.trim() {
            "" => "(no text)".to_owned(),
            text => text.to_owned(),
        };
        entries.push(Entry {
            at: Val {
                text: at,
                guesses: moment.guesses.clone(),
            },
            kind,
            how,
            by: None,
            text,
        });
    }
    entries
}

/// `by:` for an entry whose text starts with a person the document names
/// ("Elif stops both workers." with "Incident lead: Elif Aksoy").
fn who(entries: &mut [Entry], doc: &Doc) {
    let names: Vec<&str> = doc
        .people
        .iter()
        .map(|(name, _)| name.as_str())
        .chain(doc.authors.iter().map(String::as_str))
        .collect();
    for entry in entries {
        let first = entry
            .text
            .split(|c: char| !c.is_alphanumeric() && c != '-')
            .next()
            .unwrap_or("");
        if first.len() < 2 || !first.starts_with(char::is_uppercase) {
            continue;
        }
        if let Some(name) = names
            .iter()
            .find(|name| name.split_whitespace().next() == Some(first))
        {
            entry.by = Some(Val::new(*name).guess(format!("\"{first}\" read as {name}")));
        }
    }
}

/// An entry with no kind before the incident began is context (a shift
/// handover, a job starting late): a `note`, not an `action`.
fn notes_before_start(entries: &mut [Entry], moments: &[Moment], start: Option<&Summarised>) {
    let Some(Summarised {
        date: Some(start_date),
        minutes,
        ..
    }) = start
    else {
        return;
    };
    for (entry, moment) in entries.iter_mut().zip(moments) {
        let before = moment
            .date
            .is_some_and(|d| (d, moment.time.minutes()) < (*start_date, *minutes));
        if entry.kind.is_none() && !moment.time.unknown && before {
            entry.kind = Some(
                Val::new("note").guess("before the start and no step of the response: a note"),
            );
        }
    }
}

/// The `at:` text of an entry: `YYYY-MM-DD HH:MM` when the date is new,
/// `HH:MM` after; `~` when approximate, `unknown` when not known.
fn at_text(moment: &Moment, with_date: bool) -> String {
    if moment.time.unknown {
        return "unknown".to_owned();
    }
    let mut text = String::new();
    if moment.time.approx {
        text.push('~');
    }
    if with_date && let Some(date) = moment.date {
        text.push_str(&date.format("%Y-%m-%d ").to_string());
    }
    text.push_str(&moment.time.clock());
    if let Some(zone) = &moment.time.zone {
        text.push(' ');
        text.push_str(zone);
    }
    text
}

/// A written time with its own date, or `default_date`.
fn written_moment(
    text: &str,
    default_date: Option<NaiveDate>,
    dates: &Dates,
) -> Result<Option<Moment>, Error> {
    let found = p::find_dates(text);
    let mut guesses = Vec::new();
    let (date, rest) = if let Some(d) = found.first().filter(|d| d.value.month != 0) {
        let written = text[d.start..d.end].to_owned();
        (
            dates.resolve(&d.value, &written, &mut guesses)?,
            format!("{} {}", &text[..d.start], &text[d.end..]),
        )
    } else {
        if default_date.is_some()
            && let Some((_, from)) = &dates.base
        {
            guesses.push(format!("date carried from {from}"));
        }
        (default_date, text.to_owned())
    };
    let rest = rest.trim().trim_start_matches([',', ' ']);
    let Some(time) = p::find_times(rest)
        .first()
        .map(|t| t.value.clone())
        .or_else(|| p::time_at(rest, true).map(|t| t.0))
    else {
        return Ok(None);
    };
    if let Some(note) = &time.note {
        guesses.push(note.clone());
    }
    Ok(Some(Moment {
        date,
        time,
        guesses,
    }))
}

/// `summary.start` or `summary.end` as written, and the moment it means.
#[derive(Clone, Debug)]
struct Summarised {
    val: Val,
    date: Option<NaiveDate>,
    minutes: u32,
}

type Window = Option<Summarised>;

/// `summary.start` and `summary.end`, with the date each is on: the
/// summary's keys, a range in the summary, the outage markers, the
/// timeline's first entry that says what happened and its last.
fn window(
    doc: &Doc,
    raws: &[Raw],
    moments: &[Moment],
    entries: &[Entry],
    dates: &Dates,
) -> Result<(Window, Window), Error> {
    let base_date = dates.base_date();
    let mut start = match &doc.start_key {
        Some(text) => written_moment(text, base_date, dates)?,
        None => None,
    };
    let mut end = match &doc.end_key {
        Some(text) => written_moment(
            text,
            start.as_ref().and_then(|s| s.date).or(base_date),
            dates,
        )?,
        None => None,
    };
    // `Date/time: 04/22/2024, 2:10 PM ET`.
    if start.is_none()
        && let Some(text) = &doc.date_key
        && let Some(mut m) = written_moment(text, base_date, dates)?
    {
        m.guesses.clone_from(&dates.base_guesses);
        start = Some(m);
    }
    // A range: `Time: 10:00 GMT to 13:30 GMT`, `9:03 AM to 10:41 AM PST`,
    // or prose "from 07:10 to 08:30", "between 13:05 and 13:40 CET".
    let mut range_texts: Vec<String> = doc.time_key.iter().cloned().collect();
    range_texts.extend(doc.summary_prose.iter().cloned());
    range_texts.extend(doc.impact.iter().cloned());
    for text in &range_texts {
        if start.is_some() && end.is_some() {
            break;
        }
        let Some((a, b)) = range_in(text) else {
            continue;
        };
        let mut guesses = Vec::new();
        let on = if let Some((tok, written)) = first_date(text) {
            dates.resolve(&tok, &written, &mut guesses)?
        } else {
            guesses.clone_from(&dates.base_guesses);
            base_date
        };
        // The range's zone applies to both ends (`9:03 AM to 10:41 AM PST`).
        let mut a = a;
        if a.zone.is_none() {
            a.zone.clone_from(&b.zone);
        }
        if start.is_none() {
            let mut g = guesses.clone();
            g.push("start from the range in the summary".to_owned());
            g.extend(a.note.iter().cloned());
            start = Some(Moment {
                date: on,
                time: a.clone(),
                guesses: g,
            });
        }
        if end.is_none() {
            let mut g = guesses.clone();
            g.push("end from the range in the summary".to_owned());
            g.extend(b.note.iter().cloned());
            let mut date = on;
            if b.minutes() < a.minutes() {
                date = date.and_then(|d| d.succ_opt());
                g.push("day advanced after midnight".to_owned());
            }
            end = Some(Moment {
                date,
                time: b.clone(),
                guesses: g,
            });
        }
    }
    // Markers, then the timeline's first entry with a kind and its last.
    let marker = |kind: &str| {
        raws.iter()
            .zip(moments)
            .zip(entries)
            .find(|((raw, _), e)| {
                raw.stated_kind == Some(kind) || e.kind.as_ref().is_some_and(|k| k.text == kind)
            })
            .map(|((_, m), _)| m.clone())
    };
    if start.is_none() {
        if let Some(mut m) = marker("impact-start") {
            m.guesses = vec!["start from the impact-start entry".to_owned()];
            start = Some(m);
        } else if let Some((_, m)) = entries
            .iter()
            .zip(moments)
            .find(|(e, m)| !m.time.unknown && e.kind.as_ref().is_some_and(|k| k.text != "note"))
            .or_else(|| entries.iter().zip(moments).find(|(_, m)| !m.time.unknown))
        {
            let mut m = m.clone();
            m.guesses = vec![
                "start taken from the first timeline entry that says what happened".to_owned(),
            ];
            start = Some(m);
        }
    }
    if end.is_none() {
        if let Some(mut m) = marker("impact-end") {
            m.guesses = vec!["end from the impact-end entry".to_owned()];
            end = Some(m);
        } else if let Some(m) = moments.iter().rev().find(|m| !m.time.unknown) {
            let mut m = m.clone();
            m.guesses = vec!["end taken from the last timeline entry".to_owned()];
            end = Some(m);
        }
    }
    Ok((start.map(full_time), end.map(full_time)))
}

/// A summary time: always with its date, when one is known.
fn full_time(m: Moment) -> Summarised {
    let mut text = String::new();
    if m.time.approx {
        text.push('~');
    }
    let mut guesses = m.guesses;
    match m.date {
        Some(d) => text.push_str(&d.format("%Y-%m-%d ").to_string()),
        None => guesses.push("the document gives no date".to_owned()),
    }
    text.push_str(&m.time.clock());
    if let Some(zone) = &m.time.zone {
        text.push(' ');
        text.push_str(zone);
    }
    Summarised {
        val: Val { text, guesses },
        date: m.date,
        minutes: m.time.minutes(),
    }
}

/// Two times joined as a range: "X to Y", "from X to Y", "between X and Y", "X - Y".
fn range_in(text: &str) -> Option<(TimeTok, TimeTok)> {
    let times = p::find_times(text);
    for pair in times.windows(2) {
        let between = text[pair[0].end..pair[1].start].trim().to_lowercase();
        if p::RANGE_WORDS.contains(&between.as_str()) {
            return Some((pair[0].value.clone(), pair[1].value.clone()));
        }
    }
    None
}

/// The document's zone: a line that declares it, a zone key, the summary,
/// the times themselves, any zone named in the text; else `--timezone`.
fn document_zone(
    doc: &Doc,
    all_text: &str,
    on: Option<NaiveDate>,
    options: &Options,
) -> Result<(Tz, String), Error> {
    let on = on
        .or_else(|| NaiveDate::from_ymd_opt(2024, 1, 15))
        .unwrap_or_default();
    let mut candidates: Vec<(p::ZoneTok, String)> = Vec::new();
    for line in &doc.zone_lines {
        if let Some(tok) = p::zone_declaration(line).or_else(|| p::zone_phrase(line)) {
            candidates.push((tok, format!("zone from \"{line}\"")));
        }
    }
    if let Some(key) = &doc.zone_key
        && let Some(tok) =
            p::zone_phrase(key).or_else(|| p::find_zones(key).into_iter().next().map(|f| f.value))
    {
        candidates.push((tok, format!("zone from the summary's \"{key}\"")));
    }
    for text in doc
        .start_key
        .iter()
        .chain(&doc.time_key)
        .chain(&doc.date_key)
    {
        if let Some(found) = p::find_zones(text).into_iter().next() {
            candidates.push((found.value, format!("zone from the summary's \"{text}\"")));
        }
    }
    let entry_zone = doc
        .raw_entries
        .iter()
        .chain(&doc.prose_entries)
        .find_map(|r| r.time.zone.clone());
    if let Some(zone) = entry_zone
        && let Some(tok) = p::zone_phrase(&zone)
    {
        candidates.push((tok, format!("zone from \"{zone}\" on the timeline's times")));
    }
    for text in &doc.summary_prose {
        if let Some(found) = anchored_zone(text) {
            let why = format!("zone from \"{}\" in the summary", found.value.written);
            candidates.push((found.value, why));
        }
    }
    if let Some(found) = anchored_zone(all_text) {
        let why = format!("zone from \"{}\" in the text", found.value.written);
        candidates.push((found.value, why));
    }
    let Some((tok, why)) = candidates.into_iter().next() else {
        return options
            .timezone
            .map(|tz| (tz, String::new()))
            .ok_or(Error::NoZone);
    };
    if let Some(minutes) = tok.offset {
        if minutes == 0 && tok.written.eq_ignore_ascii_case("gmt") {
            let (tz, reading) = p::gmt_reading(all_text);
            return Ok((tz, format!("{why}; {reading}")));
        }
        if let Some(tz) = p::zone_for_offset(minutes, all_text, on) {
            return Ok((
                tz,
                format!(
                    "{why}; {} read as {} from the city named",
                    tok.written,
                    tz.name()
                ),
            ));
        }
        if minutes == 0 {
            return Ok((chrono_tz::UTC, why));
        }
        if let Some(tz) = options.timezone {
            return Ok((tz, String::new()));
        }
        if minutes % 60 == 0 {
            let name = format!("Etc/GMT{:+}", -minutes / 60);
            if let Ok(tz) = name.parse::<Tz>() {
                return Ok((
                    tz,
                    format!("{why}; a fixed offset with no city (pass --timezone for the place)"),
                ));
            }
        }
        return Err(Error::NoZone);
    }
    let Some(tz) = tok.zone else {
        return options
            .timezone
            .map(|tz| (tz, String::new()))
            .ok_or(Error::NoZone);
    };
    if tok.generic {
        return Ok((
            tz,
            format!(
                "{why}; {} read as {} (any zone on the same clock reads the same)",
                tok.written,
                tz.name()
            ),
        ));
    }
    Ok((tz, why))
}

/// The first zone in prose that is plainly a zone: a name of several words
/// ("West Africa Time"), an IANA name, an offset, or an abbreviation right
/// after a time or in parentheses ("11:50 PM (WAT)"). "EAT" or "WEST" in a
/// document written in capitals is a word.
fn anchored_zone(text: &str) -> Option<p::Found<p::ZoneTok>> {
    p::find_zones(text).into_iter().find(|found| {
        let written = &found.value.written;
        if written.contains([' ', '/']) || found.value.offset.is_some_and(|_| written.len() > 3) {
            return true;
        }
        let before = text[..found.start].trim_end();
        // The time, if any, is in the last few dozen bytes.
        let mut from = before.len().saturating_sub(40);
        while !before.is_char_boundary(from) {
            from -= 1;
        }
        let tail = &before[from..];
        before.ends_with('(')
            || p::find_times(tail)
                .last()
                .is_some_and(|t| t.end >= tail.len())
    })
}

// ------------------------------------------------------------ emitting

struct Emit<'a> {
    doc: &'a Doc,
    zone: (Tz, String),
    start: Option<Val>,
    end: Option<Val>,
    entries: &'a [Entry],
}

impl Emit<'_> {
    fn write(&self) -> (String, Vec<Guess>) {
        let mut w = emit::Writer::default();
        let mut guesses = Vec::new();
        let mut note = |field: &str, list: &[String]| {
            for g in list {
                guesses.push(Guess {
                    field: field.to_owned(),
                    message: g.clone(),
                });
            }
        };
        let doc = self.doc;
        if let Some(id) = &doc.id {
            w.field(0, "", "id", id, &[]);
        }
        if let Some(title) = &doc.title {
            w.field(0, "", "title", &title.text, &title.guesses);
            note("title", &title.guesses);
        }
        w.field(0, "", "status", "draft", &[]);
        if let Some(severity) = &doc.severity {
            w.field(0, "", "severity", severity, &[]);
        }
        if !doc.authors.is_empty() {
            w.raw(0, "", "authors", &flow(&doc.authors), &[]);
        }
        let zone_guess: Vec<String> = if self.zone.1.is_empty() {
            vec![]
        } else {
            vec![self.zone.1.clone()]
        };
        w.field(0, "", "timezone", self.zone.0.name(), &zone_guess);
        note("timezone", &zone_guess);

        w.line("summary:");
        if let Some(service) = &doc.service {
            w.field(2, "", "service", service, &[]);
        }
        if let Some(start) = &self.start {
            w.field(2, "", "start", &start.text, &start.guesses);
            note("summary.start", &start.guesses);
        }
        if let Some(end) = &self.end {
            w.field(2, "", "end", &end.text, &end.guesses);
            note("summary.end", &end.guesses);
        }
        if let Some(duration) = &doc.duration {
            w.field(2, "", "duration", duration, &[]);
        }
        if let Some(impact) = &doc.impact {
            let guesses: Vec<String> = doc.impact_guess.iter().cloned().collect();
            w.field(2, "", "impact", impact, &guesses);
            note("summary.impact", &guesses);
        }
        if let Some((affected, g)) = &doc.affected {
            match affected {
                Affected::Share(share) => w.field(2, "", "affected", share, g),
                Affected::Unknown => w.field(2, "", "affected", "unknown", g),
                Affected::Count { count, unit, of } => {
                    let mut raw = format!("{{count: {count}");
                    if !unit.is_empty() {
                        raw.push_str(&format!(", unit: {}", emit::quoted(unit)));
                    }
                    if let Some(of) = of {
                        raw.push_str(&format!(", of: {of}"));
                    }
                    raw.push('}');
                    w.raw(2, "", "affected", &raw, g);
                }
            }
            note("summary.affected", g);
        }
        if let Some(cause) = &doc.cause {
            w.field(2, "", "cause", cause, &[]);
        }
        if !doc.factors.is_empty() {
            w.line("contributing_factors:");
            for factor in &doc.factors {
                w.item(2, factor, &[]);
            }
        }
        if !doc.links.is_empty() {
            w.line("links:");
            for (label, url) in &doc.links {
                w.field(2, "- ", "label", label, &[]);
                w.field(4, "", "url", url, &[]);
            }
        }
        if !doc.people.is_empty() {
            w.line("people:");
            for (name, role) in &doc.people {
                w.field(2, "- ", "name", name, &[]);
                w.field(4, "", "role", role, &[]);
            }
        }
        if self.entries.is_empty() {
            w.raw(0, "", "timeline", "[]", &[]);
        } else {
            w.line("timeline:");
        }
        for (i, entry) in self.entries.iter().enumerate() {
            w.field(2, "- ", "at", &entry.at.text, &entry.at.guesses);
            note(&format!("timeline[{i}].at"), &entry.at.guesses);
            if let Some(kind) = &entry.kind {
                w.field(4, "", "kind", &kind.text, &kind.guesses);
                note(&format!("timeline[{i}].kind"), &kind.guesses);
            }
            if let Some(how) = entry.how {
                let g = vec![format!("detection source inferred as {how}")];
                w.field(4, "", "how", how, &g);
                note(&format!("timeline[{i}].how"), &g);
            }
            if let Some(by) = &entry.by {
                w.field(4, "", "by", &by.text, &by.guesses);
                note(&format!("timeline[{i}].by"), &by.guesses);
            }
            w.field(4, "", "text", &entry.text, &[]);
        }
        if !doc.root_cause.is_empty() {
            w.block(
                0,
                "",
                "root_cause",
                &format!("{}\n", doc.root_cause.join("\n\n")),
            );
        }
        if !doc.resolution.is_empty() {
            w.block(
                0,
                "",
                "resolution",
                &format!("{}\n", doc.resolution.join("\n\n")),
            );
        }
        if !doc.measures.is_empty() {
            w.line("measures:");
            for m in &doc.measures {
                w.item(2, m, &[]);
            }
        }
        if !doc.tasks.is_empty() {
            w.line("tasks:");
            for task in &doc.tasks {
                w.field(2, "- ", "text", &task.text, &[]);
                if let Some(kind) = &task.kind {
                    w.field(4, "", "kind", kind, &[]);
                }
                if let Some(owner) = &task.owner {
                    w.field(4, "", "owner", owner, &[]);
                }
                if let Some(ticket) = &task.ticket {
                    w.field(4, "", "ticket", ticket, &[]);
                }
                if let Some(due) = &task.due {
                    w.field(4, "", "due", due, &[]);
                }
                if let Some(done) = task.done {
                    w.raw(4, "", "done", if done { "true" } else { "false" }, &[]);
                }
            }
        }
        if !(doc.went_well.is_empty() && doc.went_wrong.is_empty() && doc.lucky.is_empty()) {
            w.line("lessons:");
            for (key, list) in [
                ("went_well", &doc.went_well),
                ("went_wrong", &doc.went_wrong),
                ("lucky", &doc.lucky),
            ] {
                if !list.is_empty() {
                    w.line(&format!("  {key}:"));
                    for item in list {
                        w.item(4, item, &[]);
                    }
                }
            }
        }
        if !doc.notes.is_empty() {
            w.line("notes:");
            for (heading, text) in &doc.notes {
                let heading = if heading.is_empty() {
                    "Untitled"
                } else {
                    heading
                };
                w.field(2, "- ", "heading", heading, &[]);
                w.field(4, "", "text", text, &[]);
            }
        }
        (w.finish(), guesses)
    }
}

fn flow(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| emit::quoted(i)).collect();
    format!("[{}]", quoted.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc() -> Options {
        Options {
            timezone: Some(chrono_tz::UTC),
            date_order: None,
        }
    }

    fn yaml(text: &str) -> serde_json::Value {
        let imported = import(text, &utc()).unwrap_or_else(|e| panic!("{e}"));
        serde_saphyr::from_str(&imported.yaml).unwrap_or_else(|e| panic!("{e}\n{}", imported.yaml))
    }

    fn at_texts(doc: &serde_json::Value) -> Vec<String> {
        doc["timeline"]
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .map(|e| {
                        format!(
                            "{} {}",
                            e["at"].as_str().unwrap_or("?"),
                            e["text"].as_str().unwrap_or("?")
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn headings_written_every_way() {
        for text in [
            "# Outage\n\n## Root cause\n\nThe disk filled.\n",
            "#Outage\n#Root cause\nThe disk filled.\n",
            "**Outage**\n\n**Root cause**\n\nThe disk filled.\n",
            "Outage\n\nRoot cause\nThe disk filled.\n",
            "Outage\n\nROOT CAUSE\nThe disk filled.\n",
        ] {
            let doc = yaml(text);
            assert_eq!(doc["title"], "Outage", "{text}");
            assert_eq!(doc["root_cause"], "The disk filled.\n", "{text}");
        }
    }

    #[test]
    fn summary_forms() {
        let forms = [
            "# X\n\n## Summary\n\nStart: 2024-05-21 08:10\nEnd: 2024-05-21 09:25\nImpact: Slow.\n",
            "# X\n\n## Summary\n\n- **Start:** 2024-05-21 08:10\n- **End:** 2024-05-21 09:25\n- **Impact:** Slow.\n",
            "# X\n\n## Summary\n\n| Field | Value |\n|---|---|\n| Start | 2024-05-21 08:10 |\n| End | 2024-05-21 09:25 |\n| Impact | Slow. |\n",
            "# X\n\n## Summary\n\nImpact: Slow.<br>Start: 2024-05-21 08:10<br>End: 2024-05-21 09:25\n",
            "# X\n\n## Summary\n\n**Start:** 2024-05-21 08:10\n**End:** 2024-05-21 09:25\n**Impact:** Slow.\n",
        ];
        for text in forms {
            let doc = yaml(text);
            assert_eq!(doc["summary"]["start"], "2024-05-21 08:10", "{text}");
            assert_eq!(doc["summary"]["end"], "2024-05-21 09:25", "{text}");
            assert_eq!(doc["summary"]["impact"], "Slow.", "{text}");
        }
    }

    #[test]
    fn timeline_shapes() {
        let doc = yaml(
            "# X\n\nDate: 2024-05-21\n\n## Timeline\n\n| Time | Event |\n|---|---|\n| 10:09 | Disk alert. |\n| 10:15 | Writes fail. |\n",
        );
        assert_eq!(
            at_texts(&doc),
            ["2024-05-21 10:09 Disk alert.", "10:15 Writes fail."]
        );

        let doc = yaml(
            "# X\n\n## Timeline\n\n### 2024-10-01\n- 23:40 Job starts\n\n### 2024-10-02\n- 00:10 Job paused\n",
        );
        assert_eq!(
            at_texts(&doc),
            ["2024-10-01 23:40 Job starts", "2024-10-02 00:10 Job paused"]
        );

        let doc = yaml(
            "# X\n\n## Timeline\n\n### 2018 October 21 22:52 UTC\n\nThe link failed.\n\n### 2018 October 21 23:10 UTC\n\nTraffic moved.\n",
        );
        assert_eq!(
            at_texts(&doc),
            [
                "2018-10-21 22:52 UTC The link failed.",
                "23:10 UTC Traffic moved."
            ]
        );

        let doc = yaml(
            "# X 2025-09-17\n\n## Timeline\n\n± 06:40 UTC: an update went out to\nrelay-03.\n\n± 07:05 UTC: alert.\n",
        );
        assert_eq!(
            at_texts(&doc),
            [
                "~2025-09-17 06:40 UTC an update went out to relay-03.",
                "~07:05 UTC alert."
            ]
        );

        let doc = yaml(
            "# Payouts\n\nDate: 2024-11-08\n\n**Update: 09:20**\nWe are investigating.\n\n**Update: 11:10**\nThis incident is resolved.\n",
        );
        assert_eq!(
            at_texts(&doc),
            [
                "2024-11-08 09:20 We are investigating.",
                "11:10 This incident is resolved."
            ]
        );
        assert_eq!(doc["timeline"][0]["kind"], "communication");
        assert_eq!(doc["timeline"][1]["kind"], "resolved");

        let doc = yaml(
            "# X\n\nDate: 2024-08-29\n\n## Timeline\n\n- **11:02** - Loop begins. &lt;START OF OUTAGE&gt;\n- **11:55** - Stable. <END OF OUTAGE>\n- **12:55** - Done.\n",
        );
        assert_eq!(doc["timeline"][0]["kind"], "impact-start");
        assert_eq!(doc["timeline"][1]["kind"], "impact-end");
        assert_eq!(
            doc["summary"]["start"], "2024-08-29 11:02",
            "from the marker"
        );
        assert_eq!(doc["summary"]["end"], "2024-08-29 11:55", "from the marker");
    }

    #[test]
    fn days_advance_after_midnight_and_midnight_reads_as_zero() {
        let doc = yaml(
            "# X\n\nDate: 3rd June 2023\n\n## Timeline\n\n11:45 pm - patch written\nMidnight - patch deployed\n1:15 am - drained\n",
        );
        assert_eq!(
            at_texts(&doc),
            [
                "2023-06-03 23:45 patch written",
                "2023-06-04 00:00 patch deployed",
                "01:15 drained"
            ]
        );
        assert_eq!(doc["summary"]["end"], "2023-06-04 01:15");
    }

    #[test]
    fn a_label_names_a_section_outside_routed_ones() {
        let doc = yaml(
            "Outage\n\nTimeline:\n2024-01-02 09:45 - back up\n\nFollow-up:\n* add canary (owner: payments)\n",
        );
        assert_eq!(at_texts(&doc), ["2024-01-02 09:45 back up"]);
        assert_eq!(doc["tasks"][0]["owner"], "payments");
    }

    #[test]
    fn sub_labels_route_to_their_fields() {
        let doc = yaml(
            "# X\n\n## Root Cause and Resolution\n\nRoot Cause: A bad key.\nResolution: Rotated it.\n\n## Corrective and Preventative Measures\n\nImprovements:\n- Test keys.\n\nAction Items:\n- Rotate monthly (sre, OPS-12)\n- [x] Add an alert (owner: ops)\n",
        );
        assert_eq!(doc["root_cause"], "A bad key.\n");
        assert_eq!(doc["resolution"], "Rotated it.\n");
        assert_eq!(doc["measures"][0], "Test keys.");
        assert_eq!(doc["tasks"][0]["text"], "Rotate monthly");
        assert_eq!(doc["tasks"][0]["owner"], "sre");
        assert_eq!(doc["tasks"][0]["ticket"], "OPS-12");
        assert_eq!(doc["tasks"][1]["owner"], "ops");
        assert_eq!(doc["tasks"][1]["done"], true);
    }

    #[test]
    fn every_guess_is_on_its_line() {
        let imported = import(
            "# X\n\nDate: 04/22/2024\n\nAll times ET.\n\n## Timeline\n\n- 2:10 PM: deploy went out\n- 2:24 PM: alert fired\n",
            &Options::default(),
        )
        .expect("imports");
        for guess in &imported.guesses {
            assert!(
                imported
                    .yaml
                    .lines()
                    .any(|l| l.contains("# pm import:") && l.contains(&guess.message)),
                "{guess:?} not marked in\n{}",
                imported.yaml
            );
        }
        assert!(
            imported
                .guesses
                .iter()
                .any(|g| g.message.contains("MM/DD/YYYY"))
        );
        assert!(imported.guesses.iter().any(|g| g.field == "timezone"));
    }

    #[test]
    fn unsettled_dates_and_missing_zones_ask_for_a_flag() {
        let err = import("# X\n\nDate: 04/05/2024 10:00 UTC\n", &Options::default())
            .expect_err("ambiguous");
        assert_eq!(err, Error::DateOrder("04/05/2024".to_owned()));
        let err = import("# X\n\n- 10:00: started\n", &Options::default()).expect_err("no zone");
        assert_eq!(err, Error::NoZone);
        let options = Options {
            date_order: Some(DateOrder::Mdy),
            ..utc()
        };
        let imported = import("# X\n\nDate: 04/05/2024 10:00 UTC\n", &options).expect("imports");
        assert!(
            imported.yaml.contains("2024-04-05 10:00"),
            "{}",
            imported.yaml
        );
    }

    #[test]
    fn a_capital_word_is_no_zone() {
        let err = import(
            "REPORT\n\nWE EAT LUNCH AT THE WEST GATE.\n\n0140 STARTED\n",
            &Options::default(),
        )
        .expect_err("no zone named");
        assert_eq!(err, Error::NoZone);
        let doc = yaml("# X\n\n## Summary\nDown from 11:50 PM to 00:40 AM (WAT).\n");
        assert_eq!(doc["timezone"], "Africa/Lagos");
    }

    #[test]
    fn a_person_the_document_names_did_it() {
        let doc = yaml(
            "# X\n\nIncident lead: Elif Aksoy\nDate: 2025-02-07\n\n## Timeline\n\n- 03:35: Elif stops both workers.\n- 03:40: Workers idle.\n",
        );
        assert_eq!(doc["timeline"][0]["by"], "Elif Aksoy");
        assert!(doc["timeline"][1].get("by").is_none());
    }

    #[test]
    fn odd_inputs_give_yaml() {
        for text in [
            "",
            "\n\n",
            "#",
            "|",
            "- ",
            "**",
            "??:??",
            "İİİ owner: x (owner: İ)",
            "\u{FEFF}\u{85}x: y",
        ] {
            let imported = import(text, &utc()).unwrap_or_else(|e| panic!("{text:?}: {e}"));
            let parsed: Result<serde_json::Value, _> = serde_saphyr::from_str(&imported.yaml);
            assert!(parsed.is_ok(), "{text:?}\n{}", imported.yaml);
        }
    }
}
