//! The four DST cases of issue 15 (tests/fixtures/dst/), through the real
//! binary: the finding as `pm check` prints it (snapshot), and its fix,
//! applied by `pm check --fix`, leaves no time finding behind.

mod common;

use common::run_in;
use std::fs;

/// Rules about times: none may remain after the fixes.
const TIME_RULES: [&str; 7] = [
    "invalid-time",
    "nonexistent-time",
    "ambiguous-time",
    "abbreviation-mismatch",
    "mixed-timezone",
    "unknown-timezone",
    "timeline-order",
];

fn copy(name: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(name);
    fs::copy(common::fixtures().join("dst").join(name), &path).expect("copy");
    (dir, path)
}

/// (rule, line, has a fix) of each time finding, from `--format json`.
fn time_findings(dir: &tempfile::TempDir, name: &str) -> Vec<(String, u64, bool)> {
    let out = run_in(dir.path(), &["check", "--format", "json", name], None);
    let value: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    value
        .as_array()
        .expect("an array")
        .iter()
        .filter(|f| TIME_RULES.contains(&f["rule"].as_str().unwrap_or_default()))
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_owned(),
                f["line"].as_u64().unwrap_or_default(),
                f.get("fix").is_some(),
            )
        })
        .collect()
}

/// Checks a fixture: its findings (snapshot, and as expected), then the
/// fixes applied with `flags`, then nothing about time is left.
fn case(name: &str, expected: &[(&str, u64)], flags: &[&str]) {
    let (dir, path) = copy(name);
    let before = run_in(dir.path(), &["check", "--color", "never", name], None);
    assert_eq!(before.code, 1, "{}", before.stdout);
    insta::assert_snapshot!(name.trim_end_matches(".yaml"), before.stdout);
    let found = time_findings(&dir, name);
    let wanted: Vec<(String, u64, bool)> = expected
        .iter()
        .map(|(rule, line)| ((*rule).to_owned(), *line, true))
        .collect();
    assert_eq!(found, wanted, "one finding per mistake, each with a fix");
    let original = fs::read_to_string(&path).expect("read");
    let mut args = vec!["check", "--fix"];
    args.extend_from_slice(flags);
    args.push(name);
    let fixed = run_in(dir.path(), &args, None);
    assert_eq!(fixed.code, 0, "{}\n{}", fixed.stdout, fixed.stderr);
    let text = fs::read_to_string(&path).expect("read");
    assert_ne!(text, original);
    assert_eq!(time_findings(&dir, name), [], "after the fix:\n{text}");
    // Only the edited lines changed: the comment and the rest are kept.
    let changed = original
        .lines()
        .zip(text.lines())
        .filter(|(a, b)| a != b)
        .count();
    assert_eq!(changed, expected.len(), "{text}");
    assert_eq!(original.lines().count(), text.lines().count());
    // A second run has nothing to do.
    let again = run_in(dir.path(), &args, None);
    assert_eq!(again.code, 0);
    assert_eq!(fs::read_to_string(&path).expect("read"), text);
}

/// Case 1: `02:30 CET` on the night Berlin skips 02:00-03:00 is a wall time
/// that does not exist (it used to say "CEST is in effect", and then, for
/// `CEST`, "CET is in effect"). CET is +01:00: the instant is 03:30 CEST.
#[test]
fn berlin_gap_with_cet_is_nonexistent_and_fixes_to_0330() {
    case(
        "berlin-gap-cet.yaml",
        &[("nonexistent-time", 20)],
        &["--unsafe-fixes"],
    );
    let (dir, path) = copy("berlin-gap-cet.yaml");
    run_in(
        dir.path(),
        &["check", "--fix", "--unsafe-fixes", "berlin-gap-cet.yaml"],
        None,
    );
    assert!(
        fs::read_to_string(&path)
            .expect("read")
            .contains("  - at: 03:30\n")
    );
}

/// Case 2: on New York's fall-back night `06:02 GMT` is `01:02 EST` (the
/// second 01:02: without EST it would be ambiguous), a safe fix; `01:34 PST`
/// is a standard-time abbreviation, so New York's standard reading, EST:
/// an unsafe fix, never the bare `01:34` that is ambiguous.
#[test]
fn new_york_fold_fixes_name_the_reading() {
    case(
        "ny-fall-back.yaml",
        &[("mixed-timezone", 20), ("abbreviation-mismatch", 23)],
        &["--unsafe-fixes"],
    );
    let (dir, path) = copy("ny-fall-back.yaml");
    run_in(dir.path(), &["check", "--fix", "ny-fall-back.yaml"], None);
    let text = fs::read_to_string(&path).expect("read");
    assert!(text.contains("  - at: 01:02 EST\n"), "{text}");
    assert!(text.contains("  - at: 01:34 PST\n"), "unsafe: not applied");
}

/// Case 3: after midnight, the next day's date is offered (unsafe) when it
/// makes the entry valid ...
#[test]
fn after_midnight_the_date_is_offered_when_it_makes_the_entry_valid() {
    case(
        "midnight.yaml",
        &[("timeline-order", 23)],
        &["--unsafe-fixes"],
    );
}

/// ... and not when the next day's wall time was skipped: `2025-03-30 02:30`
/// is in Berlin's gap, so the help says so and there is no fix.
#[test]
fn after_midnight_no_date_is_offered_into_a_gap() {
    let (dir, _path) = copy("midnight-gap.yaml");
    let out = run_in(
        dir.path(),
        &["check", "--color", "never", "midnight-gap.yaml"],
        None,
    );
    assert_eq!(out.code, 1);
    insta::assert_snapshot!("midnight-gap", out.stdout);
    assert_eq!(
        time_findings(&dir, "midnight-gap.yaml"),
        [("timeline-order".to_owned(), 23, false)]
    );
    assert!(!out.stdout.contains("write the date"), "{}", out.stdout);
}

/// Case 4: `02:30 EST` and `02:30 EDT` inside New York's spring gap are both
/// `nonexistent-time` (each used to name the other as in effect). Each
/// abbreviation's offset gives the instant: 03:30 EDT and 01:30 EST.
#[test]
fn est_and_edt_in_the_new_york_gap_are_both_nonexistent() {
    case(
        "ny-gap-est.yaml",
        &[("nonexistent-time", 20)],
        &["--unsafe-fixes"],
    );
    case(
        "ny-gap-edt.yaml",
        &[("nonexistent-time", 20)],
        &["--unsafe-fixes"],
    );
}

/// Issue 14's human forms: `invalid-time` gives the canonical text to write,
/// with a fix when that text then reads as one instant (unsafe when the year
/// came from the entry before); `09/06/2023` gives both readings, no fix;
/// `June 9, 2023, 10:00 AM (PST)` gets its rewrite in the help but no fix,
/// since PST in June is then an error of its own.
#[test]
fn human_forms_get_their_canonical_rewrite() {
    let (dir, path) = copy("human-forms.yaml");
    let out = run_in(
        dir.path(),
        &["check", "--color", "never", "human-forms.yaml"],
        None,
    );
    assert_eq!(out.code, 1);
    insta::assert_snapshot!("human-forms", out.stdout);
    assert_eq!(
        time_findings(&dir, "human-forms.yaml"),
        [
            ("invalid-time".to_owned(), 6, false),
            ("invalid-time".to_owned(), 20, true),
            ("invalid-time".to_owned(), 23, true),
            ("invalid-time".to_owned(), 25, true),
            ("invalid-time".to_owned(), 27, true),
            ("invalid-time".to_owned(), 29, false),
        ]
    );
    let fixed = run_in(dir.path(), &["check", "--fix", "human-forms.yaml"], None);
    assert_eq!(fixed.code, 1, "two remain: {}", fixed.stdout);
    let text = fs::read_to_string(&path).expect("read");
    // To a fixed point: `18:06 UTC`, once readable, is rewritten in the
    // document's zone by mixed-timezone's fix in the next round.
    for line in [
        "  - at: 11:06\n",
        "  - at: \"11:33\"\n",
        "  - at: 2023-06-09 12:00\n",
        "  - at: Jun 9 1917 UTC\n",
    ] {
        assert!(text.contains(line), "{line}: {text}");
    }
    run_in(
        dir.path(),
        &["check", "--fix", "--unsafe-fixes", "human-forms.yaml"],
        None,
    );
    let text = fs::read_to_string(&path).expect("read");
    assert!(text.contains("  - at: 2023-06-09 12:17\n"), "{text}");
    let left: Vec<u64> = time_findings(&dir, "human-forms.yaml")
        .into_iter()
        .filter(|(rule, ..)| rule == "invalid-time")
        .map(|(_, line, _)| line)
        .collect();
    assert_eq!(left, [6, 29]);
}
