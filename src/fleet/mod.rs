//! Working across many postmortems: the figures of the index and of
//! `pm stats`, the follow-up list of `pm tasks`, and the Markdown index.
//!
//! Files with errors never count in figures (their times cannot be trusted)
//! but are never dropped either: the index lists them with their errors, and
//! the commands name them.

pub mod index;
pub mod stats;
pub mod tasks;

use crate::check::Checked;
use crate::incident::Incident;
pub use crate::incident::Length;
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;

/// A finding that keeps a file out of the figures.
#[derive(Clone, Debug, Serialize)]
pub struct Problem {
    pub line: u32,
    pub column: u32,
    pub rule: &'static str,
    pub message: String,
    /// The message as Markdown: its `code` kept as code spans, the rest
    /// escaped. Safe to output unescaped.
    pub markdown: String,
}

/// A file that has errors, with them.
#[derive(Clone, Debug, Serialize)]
pub struct Invalid {
    pub file: String,
    pub errors: Vec<Problem>,
}

impl Invalid {
    /// The file's errors, if it has any.
    pub fn of(checked: &Checked) -> Option<Self> {
        let errors: Vec<Problem> = checked
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| Problem {
                line: d.span.line,
                column: d.span.column,
                rule: d.rule.id,
                message: d.message.clone(),
                markdown: index::inline_markdown(&d.message),
            })
            .collect();
        (!errors.is_empty()).then(|| Invalid {
            file: checked.source.name.clone(),
            errors,
        })
    }
}

/// The start of an incident as an instant, and its local date and month in
/// the document's zone.
pub(crate) fn local_start(incident: &Incident) -> Option<(DateTime<FixedOffset>, NaiveDate)> {
    let start = incident.start()?;
    let date = match incident.zone {
        Some(zone) => start.with_timezone(&zone).date_naive(),
        None => start.date_naive(),
    };
    Some((start, date))
}

/// The severity bucket of an incident in figures.
pub(crate) fn severity_of(incident: &Incident) -> String {
    incident
        .severity()
        .map_or_else(|| stats::UNSPECIFIED.to_owned(), |s| s.value.clone())
}
