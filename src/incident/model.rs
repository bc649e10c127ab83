//! The typed postmortem. Every value keeps the span it was read from, and
//! every field a user may get wrong is optional, so that a broken file still
//! decodes far enough for all its problems to be reported at once.

use crate::diagnostic::Span;
pub use crate::source::Shared;
use chrono::{DateTime, FixedOffset, NaiveDate};
use chrono_tz::Tz;

/// A value and where it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Sp<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Sp<T> {
    pub fn new(value: T, span: Span) -> Self {
        Sp { value, span }
    }
}

/// What a stage of reading a file knows about its times and zone: the
/// decoder's output has times as written; resolution turns each into an
/// instant. One model for both, so a stage cannot be mistaken for the other.
pub trait Stage: Clone + std::fmt::Debug + Default {
    type Time: Clone + std::fmt::Debug + PartialEq;
    type Zone: Clone + Copy + std::fmt::Debug + Default + PartialEq;
    fn time_span(time: &Self::Time) -> Span;
}

/// Decoded, not resolved: times are the text as written.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct AsWritten;

impl Stage for AsWritten {
    type Time = Sp<Shared>;
    type Zone = ();
    fn time_span(time: &Sp<Shared>) -> Span {
        time.span
    }
}

/// Resolved: every time read once, and the document's zone applied.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Resolved;

impl Stage for Resolved {
    /// Boxed: a resolved time is three times the size of the text it was
    /// read from, and a boxed one lets the timeline be resolved in the
    /// decoded entries' own memory (a 100,000-entry timeline is 32 MB less).
    type Time = Box<Time>;
    type Zone = Option<Tz>;
    fn time_span(time: &Box<Time>) -> Span {
        time.written.span
    }
}

/// A file as the decoder read it, before its times are resolved
/// (`incident::resolve` makes it an [`Incident`]).
pub type Decoded = Incident<AsWritten>;

/// The text fields of a section, by the format's name for them (`title`,
/// `root_cause`, `summary`'s `service` ...): every field the table declares
/// as `Shape::Text` at that level is here when written, so a new one needs
/// no code to be read, checked and rendered.
#[derive(Clone, Debug, Default)]
pub struct Texts(pub Vec<(&'static str, Sp<String>)>);

impl Texts {
    pub fn get(&self, name: &str) -> Option<&Sp<String>> {
        self.0.iter().find(|(n, _)| *n == name).map(|(_, t)| t)
    }
}

#[derive(Clone, Debug, Default)]
pub struct Incident<S: Stage = Resolved> {
    pub status: Status,
    /// `title`, `severity`, `root_cause`, `resolution`, and any other text
    /// field of the document.
    pub texts: Texts,
    pub authors: Vec<Sp<String>>,
    /// The zone as written; see `zone` for the parsed one.
    pub timezone: Option<Sp<String>>,
    /// The document's zone, once `timezone` was found valid.
    pub zone: S::Zone,
    pub summary: Summary<S>,
    pub timeline: Vec<Entry<S>>,
    pub measures: Vec<Measure>,
    pub tasks: Vec<Task>,
    pub lessons: Option<Lessons>,
    /// Lowercase labels, for search and figures.
    pub tags: Vec<Sp<String>>,
    pub contributing_factors: Vec<Factor>,
    pub links: Vec<Link>,
    pub people: Vec<Person>,
    /// Sections with no other place, in order.
    pub notes: Vec<Note>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Status {
    #[default]
    Draft,
    Review,
    Final,
}

impl Status {
    pub const NAMES: &[&str] = &["draft", "review", "final"];

    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "draft" => Some(Status::Draft),
            "review" => Some(Status::Review),
            "final" => Some(Status::Final),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

#[derive(Clone, Debug)]
pub struct Summary<S: Stage = Resolved> {
    /// Where `summary:` was written, for findings about what it lacks.
    pub span: Option<Span>,
    /// `service`, `impact`, `cause`, and any other text field of the summary.
    pub texts: Texts,
    pub start: Option<S::Time>,
    pub end: Option<S::Time>,
    /// The duration as the document states it.
    pub duration: Option<Sp<Stated>>,
    pub affected: Option<Sp<Affected>>,
}

/// Who or what was affected.
#[derive(Clone, Debug, PartialEq)]
pub enum Affected {
    /// A share of users, 0-100.
    Share(f64),
    /// A count: `{count: 31, unit: services, of: 140}`.
    Count {
        count: u64,
        unit: Option<String>,
        of: Option<u64>,
    },
    /// Not known.
    Unknown,
}

impl Affected {
    pub fn share(&self) -> Option<f64> {
        match self {
            Affected::Share(share) => Some(*share),
            _ => None,
        }
    }

    /// As a reader sees it: `20%`, `31 of 140 services`, `1200 users`, `unknown`.
    pub fn describe(&self) -> String {
        match self {
            Affected::Share(share) => {
                let text = format!("{share:.2}");
                let text = text.trim_end_matches('0').trim_end_matches('.');
                format!("{text}%")
            }
            Affected::Count { count, unit, of } => {
                let mut text = count.to_string();
                if let Some(of) = of {
                    text.push_str(&format!(" of {of}"));
                }
                if let Some(unit) = unit {
                    text.push(' ');
                    text.push_str(unit.trim());
                }
                text
            }
            Affected::Unknown => "unknown".to_owned(),
        }
    }
}

pub use crate::time::Stated;

/// A contributing factor: what it was, and the part it played.
#[derive(Clone, Debug)]
pub struct Factor {
    pub text: Sp<String>,
    pub kind: Option<Sp<FactorKind>>,
}

#[derive(Clone, Debug)]
pub struct Link {
    pub label: Option<Sp<String>>,
    pub url: Sp<String>,
}

#[derive(Clone, Debug)]
pub struct Person {
    pub name: Sp<String>,
    pub role: Option<Sp<String>>,
}

#[derive(Clone, Debug)]
pub struct Note {
    pub heading: Option<Sp<String>>,
    pub text: Option<Sp<String>>,
}

impl<S: Stage> Incident<S> {
    pub fn title(&self) -> Option<&Sp<String>> {
        self.texts.get("title")
    }

    pub fn severity(&self) -> Option<&Sp<String>> {
        self.texts.get("severity")
    }

    pub fn root_cause(&self) -> Option<&Sp<String>> {
        self.texts.get("root_cause")
    }

    pub fn resolution(&self) -> Option<&Sp<String>> {
        self.texts.get("resolution")
    }
}

impl<S: Stage> Summary<S> {
    pub fn service(&self) -> Option<&Sp<String>> {
        self.texts.get("service")
    }

    pub fn impact(&self) -> Option<&Sp<String>> {
        self.texts.get("impact")
    }

    pub fn cause(&self) -> Option<&Sp<String>> {
        self.texts.get("cause")
    }
}

// By hand: a derive would ask for `S::Time: Default`, which no time needs.
impl<S: Stage> Default for Summary<S> {
    fn default() -> Self {
        Summary {
            span: None,
            texts: Texts::default(),
            start: None,
            end: None,
            duration: None,
            affected: None,
        }
    }
}

/// How precisely a time is known.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Precision {
    /// A time of day (with a date written or carried).
    #[default]
    Exact,
    /// `~13:00`: about then; ordered and compared like the others.
    Approximate,
    /// `2023-03-26`: the day is known, the time of day is not; compared by day.
    Date,
    /// `unknown`: kept in place, in no comparison.
    Unknown,
}

impl Precision {
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Exact => "exact",
            Precision::Approximate => "approximate",
            Precision::Date => "date",
            Precision::Unknown => "unknown",
        }
    }
}

/// A time as written, read once, and the instant it means.
#[derive(Clone, Debug, PartialEq)]
pub struct Time {
    pub written: Sp<Shared>,
    pub precision: Precision,
    /// The day it is on in the document's zone, written or carried.
    pub day: Option<NaiveDate>,
    /// The text read as a time, or why it is not one pm reads.
    pub parsed: Result<crate::time::Written, crate::time::SyntaxError>,
    /// The instant, in the offset it was written in. `None` when the text is
    /// not a valid time, or no zone could be applied.
    pub at: Option<DateTime<FixedOffset>>,
}

impl Time {
    /// The text has a date of its own (not a time alone).
    pub fn has_date(&self) -> bool {
        self.precision == Precision::Date || self.parsed.as_ref().is_ok_and(|w| w.date.is_some())
    }
}

#[derive(Clone, Debug)]
pub struct Entry<S: Stage = Resolved> {
    /// The entry as a whole (its first key).
    pub span: Span,
    pub at: Option<S::Time>,
    pub kind: Sp<EntryKind>,
    pub how: Option<Sp<Detection>>,
    /// `to`, `by` and `url` are boxed: few entries have them, and a boxed
    /// absent one is 8 bytes, not 40 (a 100,000-entry timeline 9.6 MB less).
    pub to: Option<Box<Sp<String>>>,
    /// A slice of the file's text where it can be (see [`Shared`]).
    pub text: Option<Sp<Shared>>,
    /// Who did or saw it.
    pub by: Option<Box<Sp<String>>>,
    pub url: Option<Box<Sp<String>>>,
}

impl<S: Stage> Entry<S> {
    /// Where findings about this entry's time point: its `at:` value.
    pub fn at_span(&self) -> Span {
        self.at.as_ref().map_or(self.span, S::time_span)
    }
}

impl Entry {
    pub fn instant(&self) -> Option<DateTime<FixedOffset>> {
        self.at.as_ref().and_then(|t| t.at)
    }
}

macro_rules! name_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const NAMES: &[&str] = &[$($text),+];

            pub fn from_name(name: &str) -> Option<Self> {
                match name {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }
        }
    };
}

name_enum!(
    /// What a timeline entry records.
    EntryKind {
        Trigger = "trigger",
        Detected = "detected",
        Action = "action",
        Misleading = "misleading",
        Escalated = "escalated",
        Mitigated = "mitigated",
        Resolved = "resolved",
        Note = "note",
        ImpactStart = "impact-start",
        ImpactEnd = "impact-end",
        Communication = "communication",
    }
);

name_enum!(
    /// What a follow-up task does.
    TaskKind {
        Prevent = "prevent",
        Mitigate = "mitigate",
        Detect = "detect",
        Process = "process",
        Other = "other",
    }
);

name_enum!(
    /// What part a contributing factor played.
    FactorKind {
        Trigger = "trigger",
        Latent = "latent",
        Detection = "detection",
        Response = "response",
        Other = "other",
    }
);

name_enum!(
    /// How an incident was detected.
    Detection {
        Monitoring = "monitoring",
        Engineer = "engineer",
        Customer = "customer",
        Other = "other",
    }
);

name_enum!(
    MeasureKind {
        Corrective = "corrective",
        Preventive = "preventive",
    }
);

#[derive(Clone, Debug)]
pub struct Measure {
    pub kind: Option<Sp<MeasureKind>>,
    pub text: Sp<String>,
}

#[derive(Clone, Debug)]
pub struct Task {
    pub span: Span,
    pub text: Option<Sp<String>>,
    pub owner: Option<Sp<String>>,
    pub due: Option<Sp<NaiveDate>>,
    pub done: bool,
    pub kind: Option<Sp<TaskKind>>,
    /// An issue key (`OPS-1234`) or a URL.
    pub ticket: Option<Sp<String>>,
}

impl Task {
    /// Not done, and due before `today`: the one definition of overdue for
    /// the `task-overdue` rule, `pm tasks` and `pm index`.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        !self.done && self.due.as_ref().is_some_and(|due| due.value < today)
    }
}

#[derive(Clone, Debug, Default)]
pub struct Lessons {
    pub went_well: Vec<Sp<String>>,
    pub went_wrong: Vec<Sp<String>>,
    pub lucky: Vec<Sp<String>>,
}
