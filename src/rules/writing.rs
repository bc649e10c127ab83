//! Rules about how the postmortem is written: blameless language, and a
//! length the team agreed on.

use super::gates::Gates;
use super::{Context, Rule, RuleDocs};
use crate::diagnostic::{Diagnostic, Severity, Span};
use crate::incident::Sp;
use crate::incident::format::each_prose;
use crate::source::Source;
use crate::yaml::{Node, Value};
use regex::Regex;
use std::sync::{LazyLock, OnceLock};

pub static BLAME: Rule = Rule {
    id: "blame",
    severity: Severity::Warning,
    summary: "Blame language in the prose (\"human error\", \"careless\", \"X's fault\", \"should have known\").",
    docs: RuleDocs {
        what: "The prose uses words that put the cause in a person rather than in the system: \"human error\" (and operator or pilot error), \"careless\", \"negligent\", \"reckless\", \"sloppy\", \"lazy\", \"incompetent\", \"X's fault\", \"at fault\", \"to blame\", \"should have known\" (noticed, caught, checked, seen, realised), \"forgot to\", \"neglected to\", \"dropped the ball\", \"messed up\", \"fat-fingered\", \"made a mistake\", and \"failed to\" after a person (\"the engineer failed to\", \"she failed to\"). \"failed to\" after a system (\"the job failed to start\") is not blame and is not flagged. Matching is by whole words and ignores case, so \"default\" or \"blameless\" do not match. The prose is the fields listed under `word-count`.",
        why: "Blameless writing is the core rule of postmortem culture (Google SRE, PagerDuty): people who fear blame stop reporting what really happened, and \"human error\" ends the analysis exactly where it should start. The action was possible because something in the system allowed it; that is what a follow-up can fix.",
        example: "root_cause: Human error. The on-call engineer carelessly ran the migration against production and should have known better.",
        fix: "Describe the condition of the system that allowed the action, not the person: \"the migration tool ran against production without a confirmation step, and staging and production differ only by one flag\". Then add a task to change that condition.",
        fixes: "",
    },
};

pub static WORD_COUNT: Rule = Rule {
    id: "word-count",
    severity: Severity::Warning,
    summary: "Prose shorter or longer than the team's bounds (`[check] words` in pm.toml).",
    docs: RuleDocs {
        what: "The prose has fewer or more words than `[check] words = [MIN, MAX]` in pm.toml (both inclusive). The prose is every field the format marks as prose: `summary.impact`, `summary.cause`, `timeline.text`, `contributing_factors.text` (or a factor written as text alone), `root_cause`, `resolution`, `measures.text` (or a measure written as text alone), `tasks.text`, `lessons.went_well`, `lessons.went_wrong`, `lessons.lucky` and `notes.text`; names, times and other short values are not. A word is a run of characters between spaces that holds at least one letter or digit. Without configured bounds the length is not checked.",
        why: "A two-line postmortem explains nothing to the next team that meets the same failure, and a ten-page one is not read. Teams agree on a range to keep reports useful.",
        example: "# pm.toml: [check] words = [400, 600]\nroot_cause: The database was slow.\nresolution: We fixed it.",
        fix: "Below the range: explain the root cause (why it happened, why it was not caught earlier) and the resolution in full. Above it: keep the timeline to the events that changed the course of the incident, and link to long material instead of pasting it.",
        fixes: "",
    },
};

/// Words in a text: runs between whitespace with a letter or digit ("—" and
/// "-" alone are not words).
pub fn word_count(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// A family of blame phrases and the blameless rewording its help suggests.
struct Phrases {
    pattern: &'static str,
    /// Lowercase literals one of which every match contains, its words one
    /// space apart (`gate_text` folds case and runs of whitespace the way
    /// the pattern does): a text with none of them skips the pattern, which
    /// then need not even be compiled. Phrases, not single words: "failed"
    /// alone is common prose, "engineer failed to" is not.
    gates: &'static [&'static str],
    help: &'static str,
}

static PHRASES: &[Phrases] = &[
    Phrases {
        pattern: r"\b(?:human|operator|pilot) errors?\b",
        gates: &["human error", "operator error", "pilot error"],
        help: "describe the condition of the system that allowed the action instead, e.g. \"the deploy tool accepted a production change without review\"",
    },
    Phrases {
        pattern: r"\b(?:careless(?:ly|ness)?|negligen(?:t|tly|ce)|reckless(?:ly|ness)?|sloppy|sloppily|sloppiness|lazy|laziness|incompeten(?:t|tly|ce))\b",
        gates: &[
            "careless",
            "negligen",
            "reckless",
            "sloppi",
            "sloppy",
            "lazy",
            "lazi",
            "incompeten",
        ],
        help: "describe what the system made easy to get wrong, not the person, e.g. \"the two commands differ by one flag and nothing asks for confirmation on production\"",
    },
    Phrases {
        pattern: r"(?:\b\w+(?:'|’)s fault\b|\b(?:my|our|your|his|her|their|whose) fault\b|\bat fault\b|\bfault of\b|\bto blame\b|\bblam(?:e|ed|es|ing)\b)",
        gates: &[
            "'s fault",
            "’s fault",
            "my fault",
            "our fault",
            "your fault",
            "his fault",
            "her fault",
            "their fault",
            "whose fault",
            "at fault",
            "fault of",
            "blam",
        ],
        help: "say what the system allowed, not who is to blame, e.g. \"the script accepted a production target without confirmation\"",
    },
    Phrases {
        pattern: r"\bshould(?:'ve| have) (?:known|noticed|caught|checked|double-checked|seen|spotted|realized|realised|tested|asked|been more careful)\b",
        gates: &[
            "should've known",
            "should've noticed",
            "should've caught",
            "should've checked",
            "should've double-checked",
            "should've seen",
            "should've spotted",
            "should've realized",
            "should've realised",
            "should've tested",
            "should've asked",
            "should've been more careful",
            "should have known",
            "should have noticed",
            "should have caught",
            "should have checked",
            "should have double-checked",
            "should have seen",
            "should have spotted",
            "should have realized",
            "should have realised",
            "should have tested",
            "should have asked",
            "should have been more careful",
        ],
        help: "hindsight reads as blame; say what was known at the time and why the signal was not visible, e.g. \"the alert that showed it went to a channel nobody watched\"",
    },
    Phrases {
        pattern: r"\b(?:forgot to|neglected to|did(?: not|n't) bother|dropped the ball|screwed up|messed up|fat[- ]?finger(?:ed|s)?|made (?:a|an|the) (?:mistake|error|blunder)|(?:he|she|they|we|i|you|someone|somebody|nobody|engineer|developer|admin|administrator|on-?call|team) failed to)\b",
        gates: &[
            "forgot to",
            "neglected to",
            "did not bother",
            "didn't bother",
            "dropped the ball",
            "screwed up",
            "messed up",
            // `[- ]` becomes `[-\s+]` with the rest of the spaces.
            "fatfinger",
            "fat-finger",
            "fat finger",
            "fat+finger",
            "made a mistake",
            "made a error",
            "made a blunder",
            "made an mistake",
            "made an error",
            "made an blunder",
            "made the mistake",
            "made the error",
            "made the blunder",
            "he failed to",
            "she failed to",
            "they failed to",
            "we failed to",
            "i failed to",
            "you failed to",
            "someone failed to",
            "somebody failed to",
            "nobody failed to",
            "engineer failed to",
            "developer failed to",
            "admin failed to",
            "administrator failed to",
            "oncall failed to",
            "on-call failed to",
            "team failed to",
        ],
        help: "describe the step the process left to memory or chance, e.g. \"the runbook has no step to drain traffic before a restart\"",
    },
];

/// Each phrase's pattern, compiled the first time a text has one of its
/// gates.
static COMPILED: [OnceLock<Option<Regex>>; PHRASES.len()] =
    [const { OnceLock::new() }; PHRASES.len()];

#[cfg(test)]
thread_local! {
    /// Patterns asked for on this thread, by index: a test-only count of
    /// the patterns a text made pm compile (or reuse).
    static REQUESTED: std::cell::RefCell<Vec<usize>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn compiled(index: usize) -> Option<&'static Regex> {
    #[cfg(test)]
    REQUESTED.with(|r| r.borrow_mut().push(index));
    COMPILED[index]
        .get_or_init(|| {
            let p = &PHRASES[index];
            // The patterns are constants covered by tests; one that did not
            // compile would only make the rule find less.
            // A phrase may wrap onto the next line of a block.
            // ASCII word boundaries and spaces: the phrases are English, and
            // Unicode classes make these patterns several times costlier to
            // compile, which a one-file check in a pre-commit hook pays.
            Regex::new(&format!("(?i-u){}", p.pattern.replace(' ', r"\s+"))).ok()
        })
        .as_ref()
}

/// Every family's gates, found in one pass over a text.
static GATES: LazyLock<Gates> = LazyLock::new(|| {
    Gates::new(
        PHRASES
            .iter()
            .enumerate()
            .flat_map(|(family, p)| p.gates.iter().map(move |g| (*g, family))),
        PHRASES.len(),
    )
});

/// The text as the gates read it: ASCII lowercase (the patterns ignore
/// ASCII case) and every run of ASCII whitespace one space (a space in a
/// pattern is `\s+`, ASCII in `-u` mode: space, \t, \n, \v, \f, \r).
fn gate_text(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut space = false;
    for &b in text.as_bytes() {
        if matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') {
            space = true;
            continue;
        }
        if space {
            out.push(b' ');
            space = false;
        }
        out.push(b.to_ascii_lowercase());
    }
    if space {
        out.push(b' ');
    }
    out
}

/// Lowercase words one of which each family's gates contain: most texts
/// have none, and a search for each is cheaper than folding the text for
/// the gates (measured over the 1,000-file corpus).
const TRIGGERS: &[&str] = &[
    "human",
    "operator",
    "pilot",
    "careless",
    "negligen",
    "reckless",
    "sloppi",
    "sloppy",
    "lazy",
    "lazi",
    "incompeten",
    "fault",
    "blam",
    "should",
    "forgot",
    "neglected",
    "bother",
    "dropped",
    "screwed",
    "messed",
    "finger",
    "made",
    "failed",
];

/// The families whose gates occur in a text, at the start of a word (every
/// pattern starts with `\b`): one pass over it for all, if it has a
/// trigger word at all.
fn gated(text: &str, triggers: &[&str]) -> Vec<bool> {
    let mut hit = vec![false; PHRASES.len()];
    if triggers.is_empty() {
        return hit;
    }
    // Every gate holds a trigger word, so a gate lies within its longest
    // length of a trigger: only those windows are read for gates, not the
    // whole text (a long description is most of a check otherwise).
    let gate = gate_text(text);
    let reach = *LONGEST_GATE;
    for trigger in triggers {
        for at in memchr::memmem::find_iter(&gate, trigger.as_bytes()) {
            let window =
                &gate[at.saturating_sub(reach)..(at + trigger.len() + reach).min(gate.len())];
            for (all, here) in hit.iter_mut().zip(GATES.hits(window, true)) {
                *all |= here;
            }
        }
    }
    hit
}

/// The length of the longest gate, in bytes.
static LONGEST_GATE: LazyLock<usize> = LazyLock::new(|| {
    PHRASES
        .iter()
        .flat_map(|p| p.gates.iter().map(|g| g.len()))
        .max()
        .unwrap_or(0)
});

/// The trigger words that occur in the whole file, in any case: a text
/// can only have those. Searched for once a file instead of once a text
/// (23 searches for each of a postmortem's 30 or so texts were 6% of a
/// 1,000-file check), and in one pass for all once Teddy is built. A value can hold letters its source writes as
/// escapes (`\x66ault`) or as base64 (`!!binary`): with a backslash or a
/// `binary` tag in the file, every word counts.
pub(super) fn triggers_in(source: &str) -> Vec<&'static str> {
    if super::values_may_hide_text(source) {
        return TRIGGERS.to_vec();
    }
    triggers_by_window(source, LOWERCASE_WINDOW)
}

fn triggers_by_window(source: &str, window: usize) -> Vec<&'static str> {
    let bytes = source.as_bytes();
    // Lowercased a window at a time, so that a 12 MB file is not copied
    // whole; windows overlap by a trigger's length, less one, so that a
    // word across the seam is in the next one.
    let overlap = TRIGGERS.iter().map(|t| t.len()).max().unwrap_or(1) - 1;
    let mut hit = vec![false; TRIGGERS.len()];
    let mut lower = Vec::with_capacity(window.min(bytes.len()) + overlap);
    let mut start = 0;
    while start < bytes.len() && !hit.iter().all(|h| *h) {
        let end = (start + window + overlap).min(bytes.len());
        lower.clear();
        lower.extend(bytes[start..end].iter().map(u8::to_ascii_lowercase));
        for (all, here) in hit.iter_mut().zip(TRIGGER_GATES.hits(&lower, false)) {
            *all |= here;
        }
        start += window;
    }
    TRIGGERS
        .iter()
        .zip(hit)
        .filter_map(|(trigger, hit)| hit.then_some(*trigger))
        .collect()
}

/// How much of a file is lowercased at once to look for trigger words.
const LOWERCASE_WINDOW: usize = 64 << 10;

/// The trigger words, found in one pass over a file.
static TRIGGER_GATES: LazyLock<Gates> = LazyLock::new(|| {
    Gates::new(
        TRIGGERS.iter().enumerate().map(|(id, t)| (*t, id)),
        TRIGGERS.len(),
    )
});

/// Blame phrases in a text: byte range and help, in order, not overlapping.
pub(super) fn find_blame(
    text: &str,
    triggers: &[&str],
) -> Vec<(std::ops::Range<usize>, &'static str)> {
    let hit = gated(text, triggers);
    if !hit.contains(&true) {
        return Vec::new();
    }
    let mut found: Vec<(std::ops::Range<usize>, &'static str)> = PHRASES
        .iter()
        .enumerate()
        .filter(|(index, _)| hit[*index])
        .filter_map(|(index, p)| compiled(index).map(|regex| (regex, p.help)))
        .flat_map(|(regex, help)| regex.find_iter(text).map(move |m| (m.range(), help)))
        .collect();
    found.sort_by_key(|(range, _)| (range.start, std::cmp::Reverse(range.end)));
    let mut kept: Vec<(std::ops::Range<usize>, &'static str)> = Vec::new();
    for (range, help) in found {
        if kept.last().is_none_or(|(last, _)| range.start >= last.end) {
            kept.push((range, help));
        }
    }
    kept
}

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let triggers = ctx.scans.triggers(&ctx.source.text);
    let counting = ctx.settings.words.is_some();
    let mut starts: Option<Vec<usize>> = None;
    let mut words = 0;
    each_prose(ctx.tree, &mut |text| {
        for (range, help) in find_blame(text.value, triggers) {
            let starts = starts.get_or_insert_with(|| node_starts(ctx));
            let phrase = &text.value[range.clone()];
            let span = locate(ctx.source, starts, &text, range.start, phrase);
            let shown = phrase.split_whitespace().collect::<Vec<_>>().join(" ");
            out.push(
                Diagnostic::new(&BLAME, span, format!("blame language: \"{shown}\"")).help(help),
            );
        }
        if counting {
            words += word_count(text.value);
        }
    });
    words += ctx.dropped.words;

    if let Some((min, max)) = ctx.settings.words {
        let span = ctx
            .incident
            .title()
            .as_ref()
            .map_or(Span::DOCUMENT, |t| t.span);
        if words < min {
            out.push(
                Diagnostic::new(
                    &WORD_COUNT,
                    span,
                    format!("the prose is {words} words, fewer than the team's minimum of {min}"),
                )
                .help("explain the root cause (why it happened, why it was not caught sooner) and the resolution in full; the bounds are `[check] words` in pm.toml"),
            );
        } else if words > max {
            out.push(
                Diagnostic::new(
                    &WORD_COUNT,
                    span,
                    format!("the prose is {words} words, more than the team's maximum of {max}"),
                )
                .help("keep the timeline to the events that changed the course of the incident, and link to long material; the bounds are `[check] words` in pm.toml"),
            );
        }
    }
}

/// Byte offsets where each key and value of the document starts, sorted: the
/// text of a scalar as written lies between its start and the next one.
pub(super) fn node_starts(ctx: &Context) -> Vec<usize> {
    let mut starts = tree_starts(ctx.tree, ctx.source);
    // The timeline items not kept in the tree start there too.
    starts.extend(ctx.dropped.starts.iter().map(|&s| s as usize));
    starts.sort_unstable();
    starts.dedup();
    starts
}

fn tree_starts(tree: &Node, source: &Source) -> Vec<usize> {
    fn walk(node: &Node, source: &Source, out: &mut Vec<usize>) {
        out.push(source.byte_range(node.span).start);
        match &node.value {
            Value::Seq(items) => items.iter().for_each(|n| walk(n, source, out)),
            Value::Map(entries) => {
                for (key, value) in entries {
                    out.push(source.byte_range(key.span).start);
                    walk(value, source, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(tree, source, &mut out);
    out.sort_unstable();
    out.dedup();
    out
}

/// The span of a phrase inside a scalar, found in the scalar's text as
/// written. Block and quoted scalars are not a copy of their value (indents,
/// folded lines), so the phrase is looked up, its words separated by any
/// whitespace; if it is not there (escapes), the whole value is the span.
pub(super) fn locate(
    source: &Source,
    starts: &[usize],
    text: &Sp<&str>,
    at: usize,
    phrase: &str,
) -> Span {
    let from = source.byte_range(text.span).start;
    let to = starts
        .iter()
        .copied()
        .find(|&s| s > from)
        .unwrap_or(source.text.len());
    let words: Vec<String> = phrase.split_whitespace().map(regex::escape).collect();
    let Ok(pattern) = Regex::new(&words.join(r"\s+")) else {
        return text.span;
    };
    let nth = pattern.find_iter(&text.value[..at]).count();
    let Some(found) = pattern.find_iter(&source.text[from..to]).nth(nth) else {
        return text.span;
    };
    let absolute = from + found.start();
    let line_start = source.text[..absolute].rfind('\n').map_or(0, |i| i + 1);
    Span {
        line: u32::try_from(source.text[..absolute].matches('\n').count() + 1).unwrap_or(u32::MAX),
        column: u32::try_from(source.text[line_start..absolute].chars().count() + 1)
            .unwrap_or(u32::MAX),
        len: u32::try_from(found.as_str().chars().count()).unwrap_or(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The docs name the prose exactly as the format's table marks it.
    #[test]
    fn the_docs_list_every_prose_field_of_the_format() {
        let listed: Vec<&str> = WORD_COUNT
            .docs
            .what
            .split('`')
            .skip(1)
            .step_by(2)
            .filter(|name| {
                name.chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.')
            })
            .collect();
        let prose: Vec<String> = crate::incident::format::paths()
            .into_iter()
            .filter(|(_, field)| field.prose)
            .map(|(path, _)| path)
            .collect();
        let mut listed_sorted: Vec<String> = listed.iter().map(|s| (*s).to_owned()).collect();
        listed_sorted.sort();
        let mut prose_sorted = prose.clone();
        prose_sorted.sort();
        assert_eq!(listed_sorted, prose_sorted);
    }

    fn phrases(text: &str) -> Vec<&str> {
        find_blame(text, &triggers_in(text))
            .into_iter()
            .map(|(range, _)| &text[range])
            .collect()
    }

    #[test]
    fn the_files_trigger_words_bound_its_texts() {
        assert_eq!(
            triggers_in("Bob FORGOT the flag; it was made so"),
            ["forgot", "made"]
        );
        assert!(triggers_in("the disk filled").is_empty());
        // A value can spell in escapes what the file does not.
        assert_eq!(triggers_in(r#"text: "\x66ault""#).len(), TRIGGERS.len());
        let binary = "impact: !!binary SXQgd2FzIGh1bWFuIGVycm9yLg==";
        assert_eq!(triggers_in(binary).len(), TRIGGERS.len());
        // The tag named with a percent escape (found in review).
        let escaped = "impact: !!%62inary SXQgd2FzIHlvdXIgZmF1bHQu";
        assert_eq!(triggers_in(escaped).len(), TRIGGERS.len());
        let text = "it was the operator's fault";
        assert!(find_blame(text, &[]).is_empty());
        assert_eq!(find_blame(text, &triggers_in(text)).len(), 1);
    }

    #[test]
    fn every_pattern_compiles() {
        assert_eq!(COMPILED.len(), PHRASES.len());
    }

    #[test]
    fn blame_phrases_are_found() {
        assert_eq!(phrases("Root cause: Human error."), ["Human error"]);
        assert_eq!(phrases("It was Bob's fault"), ["Bob's fault"]);
        assert_eq!(phrases("It was Bob’s fault"), ["Bob’s fault"]);
        assert_eq!(
            phrases("She carelessly ran it and should have known."),
            ["carelessly", "should have known"]
        );
        assert_eq!(
            phrases("The engineer failed to drain traffic."),
            ["engineer failed to"]
        );
        assert_eq!(phrases("Nobody is to blame."), ["to blame"]);
        // "our fault" is no gate for it: it starts inside a word (found by
        // the gates' property test).
        assert_eq!(phrases("It was your fault, not ours."), ["your fault"]);
        assert_eq!(
            phrases("the engineer\nfailed to check"),
            ["engineer\nfailed to"]
        );
        assert_eq!(phrases("He forgot to run the migration"), ["forgot to"]);
        assert_eq!(phrases("a fat-fingered command"), ["fat-fingered"]);
        assert_eq!(phrases("negligent handling"), ["negligent"]);
    }

    #[test]
    fn blameless_text_is_not_flagged() {
        for text in [
            "The default timeout was 30 s.",
            "A faulty disk in rack 4.",
            "We run blameless postmortems.",
            "The health check failed to detect the hung process.",
            "The job failed to start.",
            "Error rates rose for human-facing pages.",
            "Fault injection found it.",
            "Users saw errors.",
        ] {
            assert_eq!(phrases(text), Vec::<&str>::new(), "{text}");
        }
    }

    /// The patterns asked for while finding the phrases of `text`.
    fn requested(text: &str) -> (Vec<&str>, Vec<usize>) {
        REQUESTED.with(|r| r.borrow_mut().clear());
        let found = phrases(text);
        (found, REQUESTED.with(|r| r.borrow().clone()))
    }

    #[test]
    fn a_gate_word_without_its_phrase_compiles_nothing() {
        for text in [
            "The job failed to start and the health check failed.",
            "The decision is made to scale up the database.",
            "We should have alerting on the queue depth.",
            "A faulty disk; fault injection found it.",
            "Error rates rose for human-facing pages.",
            "The on-call engineer drained traffic.",
        ] {
            assert_eq!(requested(text), (vec![], vec![]), "{text}");
        }
        // The phrase itself, even wrapped onto the next line and in
        // capitals, still compiles its family's pattern, and only that one.
        assert_eq!(
            requested("The ENGINEER\n  failed to drain traffic."),
            (vec!["ENGINEER\n  failed to"], vec![4])
        );
        assert_eq!(
            requested("Nobody is to blame."),
            (vec!["to blame"], vec![2])
        );
        assert_eq!(
            requested("She should've\tknown."),
            (vec!["should've\tknown"], vec![3])
        );
    }

    #[test]
    fn gates_are_written_as_the_folded_text_reads() {
        for p in PHRASES {
            assert!(!p.gates.is_empty());
            for gate in p.gates {
                // Lowercase with single spaces, as `gate_text` makes the
                // text they are looked for in.
                assert_eq!(gate_text(gate), gate.as_bytes(), "{gate}");
                assert!(!gate.starts_with(' ') && !gate.ends_with(' '), "{gate}");
                assert!(TRIGGERS.iter().any(|t| gate.contains(t)), "{gate}");
            }
        }
    }

    /// Pieces of the patterns and of ordinary prose, for the gate property.
    const PIECES: &[&str] = &[
        "human",
        "operator",
        "pilot",
        "error",
        "errors",
        "careless",
        "carelessly",
        "negligent",
        "negligence",
        "reckless",
        "sloppy",
        "sloppily",
        "lazy",
        "laziness",
        "incompetent",
        "bob's",
        "bob’s",
        "fault",
        "faulty",
        "my",
        "our",
        "your",
        "his",
        "her",
        "their",
        "whose",
        "at",
        "of",
        "to",
        "blame",
        "blamed",
        "blameless",
        "should",
        "should've",
        "have",
        "known",
        "noticed",
        "double-checked",
        "been",
        "more",
        "careful",
        "forgot",
        "neglected",
        "did",
        "not",
        "didn't",
        "bother",
        "dropped",
        "the",
        "ball",
        "screwed",
        "messed",
        "up",
        "fat",
        "finger",
        "fingered",
        "fat-fingered",
        "fatfingers",
        "made",
        "a",
        "an",
        "mistake",
        "blunder",
        "he",
        "she",
        "they",
        "we",
        "i",
        "you",
        "someone",
        "nobody",
        "engineer",
        "admin",
        "administrator",
        "on-call",
        "oncall",
        "team",
        "failed",
        "job",
        "start",
        ".",
        ",",
        "engineer failed to",
        "at fault",
        "should have known",
        "made a mistake",
        "fat finger",
        "human error",
    ];

    /// The pieces, each in upper case or as written, each followed by its
    /// separator.
    fn joined(words: &[(usize, usize, bool)], separators: &[&str]) -> String {
        let mut text = String::new();
        for &(piece, separator, upper) in words {
            let piece = PIECES[piece];
            if upper {
                text.push_str(&piece.to_ascii_uppercase());
            } else {
                text.push_str(piece);
            }
            text.push_str(separators[separator]);
        }
        text
    }

    proptest::proptest! {
        /// A gate may let a text through that has no phrase, never the
        /// other way: wherever a family's pattern matches, one of its gates
        /// occurs, in any case and with any whitespace between words.
        #[test]
        fn a_pattern_never_matches_where_its_gates_do_not(
            words in proptest::collection::vec(
                (0..PIECES.len(), 0..6usize, proptest::bool::ANY), 1..12),
        ) {
            const SEPARATORS: &[&str] = &[" ", "\n", "\t ", "  \n  ", "-", ""];
            let text = joined(&words, SEPARATORS);
            let hit = gated(&text, &triggers_in(&text));
            for (index, gated) in hit.iter().enumerate() {
                let regex = compiled(index).expect("the pattern compiles");
                if regex.is_match(&text) {
                    proptest::prop_assert!(*gated, "family {} matches {:?}", index, text);
                }
            }
        }

        /// Lowercasing a window at a time finds the trigger words the whole
        /// lowercased file has, wherever the windows' seams fall: windows
        /// under 256 bytes are searched by the table, larger ones by Teddy.
        #[test]
        fn windows_find_the_trigger_words_of_the_whole_file(
            words in proptest::collection::vec(
                (0..PIECES.len(), 0..4usize, proptest::bool::ANY), 1..120),
            window in proptest::prop_oneof![1..64usize, 256..700usize],
        ) {
            const SEPARATORS: &[&str] = &[" ", "\n", "", "é "];
            let text = joined(&words, SEPARATORS);
            let lower = text.to_ascii_lowercase();
            let whole: Vec<&str> = TRIGGERS
                .iter()
                .zip(TRIGGER_GATES.hits(lower.as_bytes(), false))
                .filter_map(|(trigger, hit)| hit.then_some(*trigger))
                .collect();
            proptest::prop_assert_eq!(triggers_by_window(&text, window), whole);
        }
    }

    #[test]
    fn words_are_counted_between_spaces() {
        assert_eq!(word_count("The database — slow, again.\n\nFixed it"), 6);
        assert_eq!(word_count(""), 0);
        assert_eq!(word_count("  - "), 0);
    }
}
