//! What a check needs from outside the file: the injected "today" and the
//! team's settings (pm.toml). The rules read them; `check` passes them on.

use crate::diagnostic::Severity;
use crate::files;
use chrono::NaiveDate;
use std::collections::HashMap;

/// What a check needs from outside the file.
#[derive(Clone, Debug)]
pub struct Settings {
    /// "Today", injected so output never depends on the clock.
    pub today: NaiveDate,
    /// Severity overrides by rule id; `None` turns the rule off.
    pub overrides: HashMap<&'static str, Option<Severity>>,
    /// The severities a postmortem may have (`unknown-severity`); `None`
    /// allows any.
    pub severities: Option<Vec<String>>,
    /// Inclusive bounds on the words of the prose (`word-count`); `None`
    /// checks no length.
    pub words: Option<(usize, usize)>,
    /// Optional parts of the format that the team requires.
    pub require: Vec<Require>,
    /// Files larger than this many bytes are refused unread (`file-too-large`).
    pub max_file_size: u64,
    /// Known false positives of `secret` and `personal-data`: each pattern is
    /// the flagged text exactly, or with `*` standing for any run of characters.
    pub allow: Vec<String>,
    /// Minutes from the start to the first detection past which
    /// `detection-delay` warns.
    pub detection_delay: u32,
}

impl Settings {
    pub fn new(today: NaiveDate) -> Self {
        Settings {
            today,
            overrides: off_by_default(),
            severities: None,
            words: None,
            require: Vec::new(),
            max_file_size: files::DEFAULT_MAX_FILE_SIZE,
            allow: Vec::new(),
            detection_delay: DEFAULT_DETECTION_DELAY,
        }
    }
}

/// Rules a check leaves off unless pm.toml turns them on (`[rules] ID =
/// "warning"`): `task-overdue`, whose verdict on an unchanged file would
/// otherwise depend on the day it runs. `pm tasks` and `pm index` still show
/// overdue tasks.
pub const OFF_BY_DEFAULT: &[&str] = &["task-overdue"];

fn off_by_default() -> HashMap<&'static str, Option<Severity>> {
    OFF_BY_DEFAULT.iter().map(|&id| (id, None)).collect()
}

/// `[check] detection_delay` unless pm.toml says otherwise, in minutes.
pub const DEFAULT_DETECTION_DELAY: u32 = 60;

/// An optional part of the format that `[check] require` makes required.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Require {
    Severity,
    Authors,
    Lessons,
    /// Every task has a `due` date.
    TaskDue,
}

impl Require {
    pub const NAMES: &[&str] = &["severity", "authors", "lessons", "tasks.due"];

    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "severity" => Some(Require::Severity),
            "authors" => Some(Require::Authors),
            "lessons" => Some(Require::Lessons),
            "tasks.due" => Some(Require::TaskDue),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}
