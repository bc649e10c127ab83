//! The rules pm checks, as data: each has a stable id, a default severity and
//! its documentation, defined next to the code that checks it.

mod content;
mod dates;
mod file;
mod gates;
mod invisible;
mod policy;
pub(crate) mod secrets;
mod settings;
pub mod stream;
mod timeline;
mod writing;

pub use crate::incident::is_placeholder;
pub use crate::incident::{
    ABBREVIATION_MISMATCH, AMBIGUOUS_TIME, INVALID_TIME, LEGACY_TIMEZONE, MIXED_TIMEZONE,
    NONEXISTENT_TIME, UNKNOWN_TIMEZONE,
};
pub use crate::incident::{INVALID_VALUE, MISSING_FIELD, UNKNOWN_FIELD, YAML_SYNTAX};
pub use content::{PLACEHOLDER, TASK_OWNER};
pub use dates::PROSE_DATE;
pub use file::{FILE_TOO_LARGE, NOT_TEXT};
pub use invisible::INVISIBLE_CHARACTER;
pub use policy::{TASK_OVERDUE, UNKNOWN_SEVERITY};
pub use secrets::{PERSONAL_DATA, SECRET};
pub use settings::{Require, Settings};
pub use timeline::{
    DETECTED_BEFORE_START, DETECTION_DELAY, DURATION_MISMATCH, END_BEFORE_START, IMPACT_MISMATCH,
    MISSING_MILESTONE, OUTSIDE_WINDOW, RESOLVED_END_MISMATCH, TIMELINE_ORDER, TRIGGER_LONG_BEFORE,
};
pub use writing::{BLAME, WORD_COUNT, word_count};

use crate::diagnostic::Diagnostic;
pub use crate::diagnostic::{Rule, RuleDocs};
use crate::incident::Incident;
use crate::source::Source;
use crate::yaml::Node;
use chrono::NaiveDate;

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
    &LEGACY_TIMEZONE,
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
    &DURATION_MISMATCH,
    &IMPACT_MISMATCH,
    &DETECTION_DELAY,
    &TRIGGER_LONG_BEFORE,
    &PLACEHOLDER,
    &TASK_OWNER,
    &TASK_OVERDUE,
    &UNKNOWN_SEVERITY,
    &BLAME,
    &WORD_COUNT,
    &PROSE_DATE,
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
    pub tree: &'a Node<'a>,
    pub source: &'a Source,
    pub today: NaiveDate,
    /// The team's settings (pm.toml) for the rules that depend on them.
    pub settings: &'a Settings,
    /// What the rules need of timeline items the tree does not hold
    /// (`stream`); empty when it holds them all.
    pub dropped: &'a stream::Dropped,
    /// The passes over the file's text that the stream and the rules share.
    pub scans: &'a FileScans,
}

/// Passes over one file's whole text that both the timeline's stream and
/// the rules need, each made once, when first asked for.
#[derive(Debug, Default)]
pub struct FileScans {
    triggers: std::cell::OnceCell<Vec<&'static str>>,
    placeholders: std::cell::OnceCell<bool>,
}

impl FileScans {
    /// The blame rule's trigger words that occur in `text`, the file's.
    pub(crate) fn triggers(&self, text: &str) -> &[&'static str] {
        self.triggers.get_or_init(|| writing::triggers_in(text))
    }

    /// Whether any value of `text`, the file's, can hold a placeholder.
    pub(crate) fn placeholders(&self, text: &str) -> bool {
        *self
            .placeholders
            .get_or_init(|| content::could_hold_placeholder(text))
    }
}

/// Runs the semantic rules over a decoded incident. Structure and time rules
/// fire earlier, while the file is read.
pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    timeline::check(ctx, out);
    content::check(ctx, out);
    policy::check(ctx, out);
    writing::check(ctx, out);
    dates::check(ctx, out);
    invisible::check(ctx.source, out);
}

/// Findings with one cause become one finding: the first, with the others
/// as secondary labels. One wrong abbreviation on five entries is one
/// mistake; so are the entries one wrong `summary.end` leaves outside.
pub fn group(out: &mut Vec<Diagnostic>) {
    fn cause(d: &Diagnostic) -> Option<String> {
        match d.rule.id {
            "abbreviation-mismatch" => Some(d.message.clone()),
            "outside-window" => d
                .related
                .first()
                .map(|(span, _)| format!("{}:{}", span.line, span.column)),
            _ => None,
        }
    }
    let mut firsts: Vec<(&'static str, String, usize)> = Vec::new();
    let mut merged: Vec<Diagnostic> = Vec::with_capacity(out.len());
    let mut counts: Vec<usize> = Vec::new();
    crate::diagnostic::sort(out);
    for d in out.drain(..) {
        let Some(key) = cause(&d) else {
            merged.push(d);
            counts.push(1);
            continue;
        };
        if let Some((_, _, at)) = firsts
            .iter()
            .find(|(id, k, _)| *id == d.rule.id && *k == key)
        {
            let label = d
                .label
                .clone()
                .unwrap_or_else(|| "the same here".to_owned());
            let first = &mut merged[*at];
            first.related.push((d.span, label));
            // The fix of each is part of the fix of the mistake.
            if let (Some(fix), Some(more)) = (first.fix.as_mut(), d.fix)
                && fix.applicability == more.applicability
            {
                fix.edits.extend(more.edits);
            }
            counts[*at] += 1;
        } else {
            firsts.push((d.rule.id, key, merged.len()));
            merged.push(d);
            counts.push(1);
        }
    }
    for (d, count) in merged.iter_mut().zip(counts) {
        if count < 2 {
            continue;
        }
        d.message = if d.rule.id == "outside-window" {
            let side = if d.message.contains("before the start") {
                "before the start"
            } else {
                "after the end"
            };
            format!("{count} entries are {side} of the incident")
        } else {
            format!("{} ({count} entries)", d.message)
        };
    }
    *out = merged;
}

/// Whether a value's text can hold characters its source does not show as
/// written: escapes (`\x66ault`) and base64 (`!!binary`) spell text the
/// source lacks. A binary value needs a tag, so a `!`; its name can be
/// written with `%` escapes (`!!%62inary`) or split by a `%TAG` directive,
/// so a tag with `%` or `binary` anywhere counts. Without either, text a
/// rule looks for in the values is in the source too, so a search of the
/// whole file once can rule it out for all of them.
pub(crate) fn values_may_hide_text(source: &str) -> bool {
    let bytes = source.as_bytes();
    memchr::memchr(b'\\', bytes).is_some()
        || (memchr::memchr(b'!', bytes).is_some()
            && (memchr::memchr(b'%', bytes).is_some() || source.contains("binary")))
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

    /// Every rule declared anywhere in the source is in `ALL`, and `ALL`
    /// holds nothing else: `pm rules`, `--explain` and pm.toml see them all.
    #[test]
    fn all_lists_every_rule_defined() {
        fn walk(dir: &std::path::Path, ids: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).expect("src/") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    walk(&path, ids);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).expect("source");
                    let starts = text.match_indices("\npub static ").map(|(at, _)| at);
                    for at in starts {
                        let rest = &text[at..];
                        if !rest
                            .lines()
                            .nth(1)
                            .is_some_and(|l| l.ends_with(": Rule = Rule {"))
                        {
                            continue;
                        }
                        let id = rest
                            .split("id: \"")
                            .nth(1)
                            .and_then(|r| r.split('"').next())
                            .expect("an id");
                        ids.push(id.to_owned());
                    }
                }
            }
        }
        let mut defined = Vec::new();
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut defined,
        );
        defined.sort();
        let mut listed: Vec<String> = ALL.iter().map(|r| r.id.to_owned()).collect();
        listed.sort();
        assert_eq!(defined, listed);
    }

    #[test]
    fn suggest_finds_near_misses() {
        assert_eq!(suggest("timeline-ordr"), Some("timeline-order"));
        assert_eq!(suggest("zzzz"), None);
    }
}
