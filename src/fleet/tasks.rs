//! Follow-up tasks across postmortems, for `pm tasks`.

use crate::incident::Incident;
use chrono::NaiveDate;
use serde::Serialize;

/// One follow-up and the incident it came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TaskRow {
    /// The postmortem file, as found.
    pub file: String,
    /// The incident's title.
    pub incident: String,
    pub task: String,
    pub owner: Option<String>,
    #[serde(serialize_with = "date")]
    pub due: Option<NaiveDate>,
    pub done: bool,
    /// Not done and due before today.
    pub overdue: bool,
    /// `done`, `overdue` or `open`.
    pub state: &'static str,
}

/// `YYYY-MM-DD` (chrono's serde support is not enabled).
#[allow(clippy::ref_option, clippy::trivially_copy_pass_by_ref)] // serde's signature
fn date<S: serde::Serializer>(date: &Option<NaiveDate>, serializer: S) -> Result<S::Ok, S::Error> {
    match date {
        Some(date) => serializer.collect_str(date),
        None => serializer.serialize_none(),
    }
}

/// Which tasks to list.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Only tasks not done.
    pub open: bool,
    /// Only tasks not done and past due (implies `open`).
    pub overdue: bool,
    /// Only tasks of this owner (compared without regard to case).
    pub owner: Option<String>,
}

impl Filter {
    pub fn keeps(&self, row: &TaskRow) -> bool {
        (!self.open || !row.done)
            && (!self.overdue || row.overdue)
            && self.owner.as_ref().is_none_or(|want| {
                row.owner
                    .as_ref()
                    .is_some_and(|owner| owner.to_lowercase() == want.to_lowercase())
            })
    }
}

/// The tasks of one incident, in the order written. "Overdue" is judged
/// against `today`, as the `task-overdue` rule does.
pub fn rows(file: &str, incident: &Incident, today: NaiveDate) -> Vec<TaskRow> {
    let title = incident
        .title
        .as_ref()
        .map_or_else(|| file.to_owned(), |t| t.value.clone());
    incident
        .tasks
        .iter()
        .map(|task| {
            let due = task.due.as_ref().map(|d| d.value);
            let overdue = !task.done && due.is_some_and(|due| due < today);
            TaskRow {
                file: file.to_owned(),
                incident: title.clone(),
                task: task
                    .text
                    .as_ref()
                    .map(|t| t.value.trim().to_owned())
                    .unwrap_or_default(),
                owner: task.owner.as_ref().map(|o| o.value.clone()),
                due,
                done: task.done,
                overdue,
                state: if task.done {
                    "done"
                } else if overdue {
                    "overdue"
                } else {
                    "open"
                },
            }
        })
        .collect()
}
