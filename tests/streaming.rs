//! A check streams the timeline (`rules::stream`): each item is decoded as
//! it is read and stays in the tree only where a rule over the tree needs
//! it. Its verdict must be the one the whole tree gives. This compares the
//! two on every YAML file in the repository and on generated timelines
//! built to reach each rule that reads the tree.

use chrono::NaiveDate;
use pm::check::{self, Checked, Settings};
use pm::source::Source;
use proptest::prelude::*;
use std::path::{Path, PathBuf};

fn settings(words: Option<(usize, usize)>) -> Settings {
    let mut settings = Settings::new(NaiveDate::from_ymd_opt(2026, 1, 1).expect("a date"));
    settings.words = words;
    settings
}

/// Everything a user or a caller sees of a check.
fn verdict(checked: &Checked) -> String {
    format!("{:#?}\n{:#?}", checked.diagnostics, checked.incident)
}

fn compare(name: &str, text: &str, settings: &Settings) -> Result<(), String> {
    let streamed = check::check(Source::new(name, text), settings);
    let whole = check::check_whole_tree(Source::new(name, text), settings);
    let (streamed, whole) = (verdict(&streamed), verdict(&whole));
    if streamed == whole {
        return Ok(());
    }
    let diff = similar::TextDiff::from_lines(&whole, &streamed)
        .unified_diff()
        .header("whole tree", "streamed")
        .to_string();
    Err(format!("{name}: the streamed check differs\n{diff}"))
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if name == "target" || name == "node_modules" || name.to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

#[test]
fn every_yaml_file_in_the_repository_checks_the_same_streamed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    yaml_files(root, &mut files);
    files.sort();
    assert!(files.len() > 150, "found only {} files", files.len());
    let mut failures = Vec::new();
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        for words in [None, Some((5, 40))] {
            if let Err(failure) = compare(&file.display().to_string(), &text, &settings(words)) {
                failures.push(failure);
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Timeline items that reach every rule over the tree, and every way an
/// item can be written.
const ITEMS: &[&str] = &[
    "  - at: 2024-05-01 10:{m}\n    kind: action\n    text: The team restarted the workers.\n",
    "  - at: 2024-05-01 10:{m}\n    kind: detected\n    how: monitoring\n    text: An alert fired on error rates.\n",
    "  - at: 2024-05-01 10:{m}\n    kind: action\n    text: TODO fill in what happened.\n",
    "  - at: 2024-05-01 10:{m}\n    kind: action\n    text: It failed due to human error by Bob.\n",
    "  - at: 2024-05-01 10:{m}\n    kind: action\n    text: \"Bob made a mistake, caused by human\\x20error.\"\n",
    "  - at: 2024-05-01 10:{m}\n    kind: action\n    text: Rolled back on February 30 as planned.\n",
    "  - at: 2024-05-01 10:{m}\n    kind: action\n    text: On Tuesday, March 5 the patch shipped.\n",
    "  - at: 2024-05-01 10:{m}\n    kind: detection\n    text: A misspelt kind.\n",
    "  - at: 2024-05-01 10:{m}\n    kind: action\n",
    "  - at: 2024-05-01 10:{m}\n    kind: action\n    text: \"  \"\n",
    "  - kind: action\n    text: No time at all.\n",
    "  - just a line of text\n",
    "  - at: 2024-05-01 10:{m}\n    kind: action\n    text: >\n      Folded text, written\n      over two lines, <owner>.\n",
    "  - {at: \"2024-05-01 10:{m}\", kind: action, text: A flow mapping.}\n",
    "  - &item{m}\n    at: 2024-05-01 10:{m}\n    kind: action\n    text: An anchored item.\n",
    "  - at: 2024-05-01 10:{m}\n    kind: action\n    text: A reused anchor.\n    by: *who\n",
    "  - at: 2024-05-01 10:{m}\n    kind: action\n    text: 2024\n",
    "  - at: 2024-05-01 10:{m}\n    kind: action\n    text: [a, list]\n",
    "  - at: 2024-05-01 10:{m}\n    kind: resolved\n    text: Service was restored.\n    onwer: x\n",
    "  - at: 2024-05-01 10:{m}\n    kind: escalated\n    to: the database team\n    text: Paged the database team at 10:{m} UTC.\n",
    "  - at: 2024-05-01 25:{m}\n    kind: action\n    text: An hour that is not one.\n",
    "  - at: \"10:{m}\"\n    kind: action\n    text: A time alone, dated by the entry before.\n",
    "  - at: 2024-05-01 10:{m}\n    kind: action\n    # caused by human error, a comment says\n    text: Nothing to see.\n",
];

fn document(items: &[usize], status: &str, head_first: bool, how: usize) -> String {
    let mut timeline = String::new();
    for (n, &item) in items.iter().enumerate() {
        timeline.push_str(&ITEMS[item].replace("{m}", &format!("{:02}", n % 60)));
    }
    let head = format!(
        "title: Checkout errors\nstatus: {status}\nseverity: SEV2\ntimezone: UTC\nwho: &who Alice\n\
         summary:\n  start: 2024-05-01 10:00\n  end: 2024-05-01 11:00\n  impact: Checkouts failed on Wednesday, 2024-05-01.\n"
    );
    let timeline = match how {
        // The usual list.
        0 => format!("timeline:\n{timeline}"),
        // An anchored list, which is never streamed.
        1 => format!("timeline: &t\n{timeline}"),
        // A list that only a merge brings in.
        2 => format!("base: &base\n  timeline:\n{}<<: *base\n", indent(&timeline)),
        // A `timeline` that is not the document's own.
        _ => format!(
            "extra:\n  timeline:\n{}timeline:\n{timeline}",
            indent(&timeline)
        ),
    };
    let tail =
        "root_cause: A migration locked the table.\nresolution: The migration was reverted.\n";
    if head_first {
        format!("{head}{timeline}{tail}")
    } else {
        format!("{timeline}{tail}{head}")
    }
}

fn indent(text: &str) -> String {
    text.lines().flat_map(|l| ["  ", l, "\n"]).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn a_generated_timeline_checks_the_same_streamed(
        items in prop::collection::vec(0..ITEMS.len(), 0..12),
        final_status in any::<bool>(),
        head_first in any::<bool>(),
        how in 0usize..4,
        words in prop::option::of((0usize..60, 60usize..200)),
    ) {
        let status = if final_status { "final" } else { "draft" };
        let text = document(&items, status, head_first, how);
        if let Err(failure) = compare("generated.yaml", &text, &settings(words)) {
            prop_assert!(false, "{text}\n{failure}");
        }
    }
}

/// A blame phrase the file writes with an escape is looked for in the
/// scalar as written up to where the next node starts: here the next item,
/// which the tree does not keep, and whose comment has the phrase.
#[test]
fn a_phrase_is_looked_for_only_up_to_the_next_item_let_go() {
    let escaped = ITEMS
        .iter()
        .position(|i| i.contains("human\\x20error"))
        .expect("item");
    let comment = ITEMS
        .iter()
        .position(|i| i.contains("a comment says"))
        .expect("item");
    let text = document(&[0, escaped, comment, 0], "final", true, 0);
    compare("escaped.yaml", &text, &settings(None)).unwrap_or_else(|failure| panic!("{failure}"));
    let checked = check::check(Source::new("escaped.yaml", &text), &settings(None));
    let blame: Vec<u32> = checked
        .diagnostics
        .iter()
        .filter(|d| d.rule.id == "blame")
        .map(|d| d.span.line)
        .collect();
    let line = text
        .lines()
        .position(|l| l.contains("x20error"))
        .expect("line")
        + 1;
    assert!(
        blame.contains(&(line as u32)),
        "blame at {blame:?}, not line {line}"
    );
}

/// The generated documents reach what they are meant to: a streamed item
/// the tree keeps for each rule over the tree, and items it lets go.
#[test]
fn the_generated_items_reach_the_rules_over_the_tree() {
    let text = document(&(0..ITEMS.len()).collect::<Vec<_>>(), "final", true, 0);
    let checked = check::check(Source::new("all.yaml", &text), &settings(Some((5, 40))));
    let ids: Vec<&str> = checked.diagnostics.iter().map(|d| d.rule.id).collect();
    for id in [
        "placeholder",
        "blame",
        "prose-date",
        "invalid-value",
        "missing-field",
        "word-count",
        "unknown-field",
    ] {
        assert!(ids.contains(&id), "no `{id}` in {ids:?}");
    }
    let missing: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.rule.id == "missing-field")
        .map(|d| d.severity)
        .collect();
    assert!(
        missing
            .iter()
            .all(|s| *s == pm::diagnostic::Severity::Error),
        "a final postmortem's missing entry fields are errors: {missing:?}"
    );
}
