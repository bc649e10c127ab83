//! The rules pm checks, as data: each has a stable id, a default severity and
//! its documentation, defined next to the code that checks it.

mod content;
mod file;
mod invisible;
mod policy;
pub(crate) mod secrets;
mod structure;
pub(crate) mod time;
mod timeline;
mod writing;

pub use content::{PLACEHOLDER, TASK_OWNER, is_placeholder};
pub use file::{FILE_TOO_LARGE, NOT_TEXT};
pub use invisible::INVISIBLE_CHARACTER;
pub use policy::{TASK_OVERDUE, UNKNOWN_SEVERITY};
pub use secrets::{PERSONAL_DATA, SECRET};
pub use structure::{INVALID_VALUE, MISSING_FIELD, UNKNOWN_FIELD, YAML_SYNTAX};
pub use time::{
    ABBREVIATION_MISMATCH, AMBIGUOUS_TIME, INVALID_TIME, MIXED_TIMEZONE, NONEXISTENT_TIME,
    UNKNOWN_TIMEZONE,
};
pub use timeline::{
    DETECTED_BEFORE_START, END_BEFORE_START, MISSING_MILESTONE, OUTSIDE_WINDOW,
    RESOLVED_END_MISMATCH, TIMELINE_ORDER,
};
pub use writing::{BLAME, WORD_COUNT, prose, word_count};

use crate::check::Settings;
use crate::diagnostic::{Diagnostic, Severity};
use crate::incident::Incident;
use crate::source::Source;
use crate::yaml::Node;
use chrono::NaiveDate;

/// A rule's identity and documentation. Ids are a public interface: CI
/// configs refer to them, so they never change once released.
#[derive(Debug)]
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    /// One line for `pm rules`.
    pub summary: &'static str,
    /// The full documentation for `pm check --explain`.
    pub docs: RuleDocs,
}

#[derive(Debug)]
pub struct RuleDocs {
    pub what: &'static str,
    pub why: &'static str,
    /// A YAML fragment that triggers the rule.
    pub example: &'static str,
    pub fix: &'static str,
}

impl PartialEq for Rule {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

/// Every rule, in the order `pm rules` lists them.
pub static ALL: &[&Rule] = &[
    &FILE_TOO_LARGE,
    &NOT_TEXT,
    &YAML_SYNTAX,
    &UNKNOWN_FIELD,
    &MISSING_FIELD,
    &INVALID_VALUE,
    &INVALID_TIME,
    &UNKNOWN_TIMEZONE,
    &ABBREVIATION_MISMATCH,
    &NONEXISTENT_TIME,
    &AMBIGUOUS_TIME,
    &END_BEFORE_START,
    &TIMELINE_ORDER,
    &DETECTED_BEFORE_START,
    &MIXED_TIMEZONE,
    &MISSING_MILESTONE,
    &RESOLVED_END_MISMATCH,
    &OUTSIDE_WINDOW,
    &PLACEHOLDER,
    &TASK_OWNER,
    &TASK_OVERDUE,
    &UNKNOWN_SEVERITY,
    &BLAME,
    &WORD_COUNT,
    &SECRET,
    &PERSONAL_DATA,
    &INVISIBLE_CHARACTER,
];

pub fn by_id(id: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|rule| rule.id == id)
}

/// The closest rule id to a misspelt one, for "did you mean".
pub fn suggest(id: &str) -> Option<&'static str> {
    crate::suggest::closest(id, ALL.iter().map(|rule| rule.id))
}

/// What a semantic rule sees: the decoded incident, the tree it came from
/// (for rules over all text), the source, and the injected "today".
pub struct Context<'a> {
    pub incident: &'a Incident,
    pub tree: &'a Node,
    pub source: &'a Source,
    pub today: NaiveDate,
    /// The team's settings (pm.toml) for the rules that depend on them.
    pub settings: &'a Settings,
}

/// Runs the semantic rules over a decoded incident. Structure and time rules
/// fire earlier, while the file is read.
pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    timeline::check(ctx, out);
    content::check(ctx, out);
    policy::check(ctx, out);
    writing::check(ctx, out);
    invisible::check(ctx.source, out);
}

impl Rule {
    /// The documentation as `pm check --explain` prints it (Markdown).
    pub fn explain(&self) -> String {
        let RuleDocs {
            what,
            why,
            example,
            fix,
        } = &self.docs;
        format!(
            "# {id}\n\nDefault severity: {severity}.\n\n## What it checks\n\n{what}\n\n## Why\n\n{why}\n\n## Example\n\n```yaml\n{example}\n```\n\n## How to fix it\n\n{fix}\n",
            id = self.id,
            severity = self.severity.as_str(),
            example = example.trim_end(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case_and_documented() {
        let mut seen = std::collections::HashSet::new();
        for rule in ALL {
            assert!(seen.insert(rule.id), "duplicate rule id {}", rule.id);
            assert!(
                rule.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{} is not kebab-case",
                rule.id
            );
            for text in [
                rule.summary,
                rule.docs.what,
                rule.docs.why,
                rule.docs.example,
                rule.docs.fix,
            ] {
                assert!(
                    !text.trim().is_empty(),
                    "{} has an empty doc field",
                    rule.id
                );
            }
        }
    }

    #[test]
    fn suggest_finds_near_misses() {
        assert_eq!(suggest("timeline-ordr"), Some("timeline-order"));
        assert_eq!(suggest("zzzz"), None);
    }
}
