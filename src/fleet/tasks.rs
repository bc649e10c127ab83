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
        .title()
        .map_or_else(|| file.to_owned(), |t| t.value.clone());
    incident
        .tasks
        .iter()
        .map(|task| {
            let due = task.due.as_ref().map(|d| d.value);
            let overdue = task.is_overdue(today);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn row(owner: Option<&str>, done: bool, overdue: bool) -> TaskRow {
        TaskRow {
            file: "a.yaml".into(),
            incident: "A".into(),
            task: "T".into(),
            owner: owner.map(Into::into),
            due: None,
            done,
            overdue,
            state: "open",
        }
    }

    #[test]
    fn filters_combine() {
        let all = Filter::default();
        let open = Filter {
            open: true,
            ..Filter::default()
        };
        let overdue = Filter {
            overdue: true,
            ..Filter::default()
        };
        let ada = Filter {
            owner: Some("ADA".into()),
            open: true,
            ..Filter::default()
        };
        let done = row(Some("ada"), true, false);
        let late = row(Some("Ada"), false, true);
        let unowned = row(None, false, false);
        assert!(all.keeps(&done) && all.keeps(&late) && all.keeps(&unowned));
        assert!(!open.keeps(&done) && open.keeps(&late) && open.keeps(&unowned));
        assert!(!overdue.keeps(&done) && overdue.keeps(&late) && !overdue.keeps(&unowned));
        assert!(!ada.keeps(&done) && ada.keeps(&late) && !ada.keeps(&unowned));
    }
}
