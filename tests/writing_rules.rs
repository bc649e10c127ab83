//! The writing rules (blame, word-count, unknown-severity, task-overdue)
//! through the binary: each on by default as a warning, raised to an error,
//! and turned off in pm.toml.

#[path = "fleet_common/mod.rs"]
mod common;

use common::{Run, VALID, pm, pm_on, rules, write};

/// Checks `yaml` (as a.yaml) with an optional pm.toml, on `today`.
fn check(yaml: &str, config: Option<&str>, today: &str) -> Run {
    let temp = tempfile::tempdir().expect("temp dir");
    write(temp.path(), &[("a.yaml", yaml)]);
    if let Some(config) = config {
        write(temp.path(), &[("pm.toml", config)]);
    }
    pm_on(temp.path(), &["check", "--format", "json", "a.yaml"], today)
}

fn json(yaml: &str, config: Option<&str>) -> Run {
    check(yaml, config, "2024-04-10")
}

#[test]
fn the_valid_postmortem_has_no_findings() {
    let run = json(VALID, None);
    assert_eq!((run.code, rules(&run)), (0, vec![]), "{}", run.stderr);
}

fn blaming() -> String {
    VALID.replace(
        "root_cause: The renewal job had been failing without an alert.",
        "root_cause: |\n  Human error: the on-call engineer was careless, and\n  should have known the renewal job was failing. It was Ada's fault.",
    )
}

#[test]
fn blame_is_a_warning_that_can_be_an_error_or_off() {
    let run = json(&blaming(), None);
    assert_eq!(run.code, 0);
    assert_eq!(rules(&run), ["warning:blame"; 4]);

    let run = json(&blaming(), Some("[rules]\nblame = \"error\"\n"));
    assert_eq!(run.code, 1);
    assert_eq!(rules(&run), ["error:blame"; 4]);

    let run = json(&blaming(), Some("[rules]\nblame = \"off\"\n"));
    assert_eq!((run.code, rules(&run)), (0, vec![]));
}

#[test]
fn blame_points_at_each_phrase_and_suggests_blameless_wording() {
    let temp = tempfile::tempdir().expect("temp dir");
    write(temp.path(), &[("a.yaml", &blaming())]);
    let run = pm(temp.path(), &["check", "--color", "never", "a.yaml"]);
    insta::assert_snapshot!("blame_human", run.stdout);
}

#[test]
fn blame_leaves_blameless_words_alone() {
    let yaml = VALID.replace(
        "root_cause: The renewal job had been failing without an alert.",
        "root_cause: The default retry policy hid a faulty token; the renewal job failed to start. We run blameless reviews.",
    );
    assert_eq!(rules(&json(&yaml, None)), Vec::<String>::new());
}

// VALID has 46 words of prose: impact 5, cause 3, timeline texts 4 + 5,
// root cause 9, resolution 6, the measure 6 and the task 8.

#[test]
fn word_count_checks_the_configured_bounds_inclusively() {
    assert_eq!(rules(&json(VALID, None)), Vec::<String>::new());
    let bounds = |words: &str| json(VALID, Some(&format!("[check]\nwords = {words}\n")));
    assert_eq!(rules(&bounds("[46, 46]")), Vec::<String>::new());

    let run = bounds("[47, 600]");
    assert_eq!(
        (run.code, rules(&run)),
        (0, vec!["warning:word-count".to_owned()])
    );
    assert!(
        run.stdout
            .contains("the prose is 46 words, fewer than the team's minimum of 47")
    );

    let run = bounds("[1, 45]");
    assert!(
        run.stdout
            .contains("the prose is 46 words, more than the team's maximum of 45")
    );

    let run = json(
        VALID,
        Some("[check]\nwords = [400, 600]\n[rules]\nword-count = \"error\"\n"),
    );
    assert_eq!(
        (run.code, rules(&run)),
        (1, vec!["error:word-count".to_owned()])
    );
    let run = json(
        VALID,
        Some("[check]\nwords = [400, 600]\n[rules]\nword-count = \"off\"\n"),
    );
    assert_eq!(rules(&run), Vec::<String>::new());
}

#[test]
fn unknown_severity_checks_the_configured_list() {
    let lower = VALID.replace("severity: SEV2", "severity: sev2");
    // Without a list, any severity goes.
    assert_eq!(rules(&json(&lower, None)), Vec::<String>::new());
    let list = "[check]\nseverities = [\"SEV1\", \"SEV2\", \"SEV3\"]\n";
    assert_eq!(rules(&json(VALID, Some(list))), Vec::<String>::new());

    let run = json(&lower, Some(list));
    assert_eq!(
        (run.code, rules(&run)),
        (0, vec!["warning:unknown-severity".to_owned()])
    );
    assert!(
        run.stdout
            .contains("severity `sev2` is not one of the team's severities")
    );
    let temp = tempfile::tempdir().expect("temp dir");
    write(temp.path(), &[("a.yaml", &lower), ("pm.toml", list)]);
    let human = pm(temp.path(), &["check", "--color", "never"]);
    insta::assert_snapshot!("unknown_severity_human", human.stdout);

    let error = format!("{list}[rules]\nunknown-severity = \"error\"\n");
    assert_eq!(json(&lower, Some(&error)).code, 1);
    let off = format!("{list}[rules]\nunknown-severity = \"off\"\n");
    assert_eq!(rules(&json(&lower, Some(&off))), Vec::<String>::new());
}

#[test]
fn task_overdue_follows_today_when_the_team_turns_it_on() {
    let on = Some("[rules]\ntask-overdue = \"warning\"\n");
    // Off by default: the verdict does not depend on the day.
    assert_eq!(
        rules(&check(VALID, None, "2024-06-01")),
        Vec::<String>::new()
    );
    // VALID's task is due 2024-05-01: not overdue on the day itself.
    assert_eq!(rules(&check(VALID, on, "2024-05-01")), Vec::<String>::new());
    let run = check(VALID, on, "2024-05-02");
    assert_eq!(
        (run.code, rules(&run)),
        (0, vec!["warning:task-overdue".to_owned()])
    );
    assert!(run.stdout.contains("it was due 2024-05-01, 1 day ago"));
    let run = check(VALID, on, "2024-06-01");
    assert!(run.stdout.contains("it was due 2024-05-01, 31 days ago"));

    // A done task is never overdue.
    let done = VALID.replace(
        "    due: 2024-05-01\n",
        "    due: 2024-05-01\n    done: true\n",
    );
    assert_eq!(rules(&check(&done, on, "2024-06-01")), Vec::<String>::new());

    let error = check(
        VALID,
        Some("[rules]\ntask-overdue = \"error\"\n"),
        "2024-06-01",
    );
    assert_eq!(
        (error.code, rules(&error)),
        (1, vec!["error:task-overdue".to_owned()])
    );
    let off = check(
        VALID,
        Some("[rules]\ntask-overdue = \"off\"\n"),
        "2024-06-01",
    );
    assert_eq!(rules(&off), Vec::<String>::new());
}

#[test]
fn every_writing_rule_is_documented() {
    let temp = tempfile::tempdir().expect("temp dir");
    for id in ["blame", "word-count", "unknown-severity", "task-overdue"] {
        let run = pm(temp.path(), &["check", "--explain", id]);
        assert_eq!(run.code, 0, "{id}: {}", run.stderr);
        for heading in [
            "## What it checks",
            "## Why",
            "## Example",
            "## How to fix it",
        ] {
            assert!(run.stdout.contains(heading), "{id} lacks {heading}");
        }
    }
}
