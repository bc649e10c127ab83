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
    /// Not done and due before today (`Task::is_overdue`). An overdue
    /// task is open: "open" counts every task not done.
    pub overdue: bool,
    /// `done`, `overdue` (open and past due) or `open`.
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
    /// Done tasks too; else only open ones (overdue among them).
    pub all: bool,
    /// Only tasks not done and past due.
    pub overdue: bool,
    /// Only tasks of this owner (compared without regard to case).
    pub owner: Option<String>,
}

impl Filter {
    /// Whether the row is of the owner asked for, whatever its state.
    pub fn owns(&self, row: &TaskRow) -> bool {
        self.owner.as_ref().is_none_or(|want| {
            row.owner
                .as_ref()
                .is_some_and(|owner| owner.to_lowercase() == want.to_lowercase())
        })
    }

    pub fn keeps(&self, row: &TaskRow) -> bool {
        (self.all || !row.done) && (!self.overdue || row.overdue) && self.owns(row)
    }
}

/// The order of `pm tasks`: overdue first, then open before done, then by
/// due date (undated last), then as found. The sort is stable, so rows given in file order
/// and task order keep that order among equals.
pub fn sort(rows: &mut [TaskRow]) {
    rows.sort_by(order);
}

/// The comparison `sort` uses, for lists that hold rows (`pm site`).
pub fn order(a: &TaskRow, b: &TaskRow) -> std::cmp::Ordering {
    b.overdue
        .cmp(&a.overdue)
        .then(a.done.cmp(&b.done))
        .then(a.due.is_none().cmp(&b.due.is_none()))
        .then(a.due.cmp(&b.due))
}

/// How many tasks there are in each state. `open` counts every task not
/// done, the overdue ones among them; `pm index` counts the same way.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub open: usize,
    pub overdue: usize,
    pub done: usize,
}

impl Tally {
    pub fn add(&mut self, row: &TaskRow) {
        if row.done {
            self.done += 1;
        } else {
            self.open += 1;
            self.overdue += usize::from(row.overdue);
        }
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
        let open = Filter::default();
        let all = Filter {
            all: true,
            ..Filter::default()
        };
        let overdue = Filter {
            overdue: true,
            ..Filter::default()
        };
        let ada = Filter {
            owner: Some("ADA".into()),
            ..Filter::default()
        };
        let done = row(Some("ada"), true, false);
        let late = row(Some("Ada"), false, true);
        let unowned = row(None, false, false);
        assert!(all.keeps(&done) && all.keeps(&late) && all.keeps(&unowned));
        assert!(!open.keeps(&done) && open.keeps(&late) && open.keeps(&unowned));
        assert!(!overdue.keeps(&done) && overdue.keeps(&late) && !overdue.keeps(&unowned));
        assert!(!ada.keeps(&done) && ada.keeps(&late) && !ada.keeps(&unowned));
        assert!(ada.owns(&done));
    }

    #[test]
    fn an_overdue_task_is_open() {
        let mut tally = Tally::default();
        tally.add(&row(None, false, true));
        for _ in 0..24 {
            tally.add(&row(None, true, false));
        }
        assert_eq!(
            tally,
            Tally {
                open: 1,
                overdue: 1,
                done: 24
            }
        );
    }

    #[test]
    fn overdue_first_then_by_due_date_then_as_found() {
        let day = |d: u32| NaiveDate::from_ymd_opt(2024, 1, d);
        let mut rows: Vec<TaskRow> = [
            ("a", None, false),
            ("b", day(9), false),
            ("c", day(2), true),
            ("d", day(3), false),
            ("e", day(1), true),
            ("f", None, false),
            ("g", day(3), false),
        ]
        .into_iter()
        .map(|(task, due, overdue)| TaskRow {
            task: task.into(),
            due,
            overdue,
            ..row(None, false, overdue)
        })
        .collect();
        sort(&mut rows);
        let order: String = rows.iter().map(|r| r.task.as_str()).collect();
        assert_eq!(order, "ecdgbaf");
    }
}
