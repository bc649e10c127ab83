//! The typed postmortem. Every value keeps the span it was read from, and
//! every field a user may get wrong is optional, so that a broken file still
//! decodes far enough for all its problems to be reported at once.

use crate::diagnostic::Span;
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

#[derive(Clone, Debug, Default)]
pub struct Incident {
    pub title: Option<Sp<String>>,
    pub status: Status,
    pub severity: Option<Sp<String>>,
    pub authors: Vec<Sp<String>>,
    /// The zone as written; see `zone` for the parsed one.
    pub timezone: Option<Sp<String>>,
    /// The document's zone, once `timezone` was found valid.
    pub zone: Option<Tz>,
    pub summary: Summary,
    pub timeline: Vec<Entry>,
    pub root_cause: Option<Sp<String>>,
    pub resolution: Option<Sp<String>>,
    pub measures: Vec<Measure>,
    pub tasks: Vec<Task>,
    pub lessons: Option<Lessons>,
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

#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// Where `summary:` was written, for findings about what it lacks.
    pub span: Option<Span>,
    pub service: Option<Sp<String>>,
    pub start: Option<Time>,
    pub end: Option<Time>,
    pub impact: Option<Sp<String>>,
    /// Share of users affected, 0-100.
    pub affected: Option<Sp<f64>>,
    pub cause: Option<Sp<String>>,
}

/// A time as written, and the instant it means once resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct Time {
    pub written: Sp<String>,
    /// The instant, in the offset it was written in. `None` when the text is
    /// not a valid time, or no zone could be applied.
    pub at: Option<DateTime<FixedOffset>>,
    /// The text has a date of its own (not a time alone).
    pub has_date: bool,
}

impl Time {
    pub fn new(written: Sp<String>) -> Self {
        Time {
            written,
            at: None,
            has_date: false,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Entry {
    /// The entry as a whole (its first key).
    pub span: Span,
    pub at: Option<Time>,
    pub kind: Sp<EntryKind>,
    pub how: Option<Sp<Detection>>,
    pub to: Option<Sp<String>>,
    pub text: Option<Sp<String>>,
}

impl Entry {
    /// Where findings about this entry's time point: its `at:` value.
    pub fn at_span(&self) -> Span {
        self.at.as_ref().map_or(self.span, |t| t.written.span)
    }

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
}

#[derive(Clone, Debug, Default)]
pub struct Lessons {
    pub went_well: Vec<Sp<String>>,
    pub went_wrong: Vec<Sp<String>>,
    pub lucky: Vec<Sp<String>>,
}
