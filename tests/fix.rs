//! `pm check --fix`, `--diff` and `--unsafe-fixes` through the real binary.

mod common;

use common::{Output, pm, run, run_in};
use std::fs;

/// A postmortem with three safe fixes and an unsafe one, a comment on each
/// kind of line, quoting and CRLF to keep.
const BROKEN: &str = "\u{feff}# Kept.\r\ntitle: Email service outage\r\nstatus: final\r\ntimezone: US/Eastern   # legacy\r\nsummery:\r\n  service: Cloud email\r\n  start: 2023-09-10 16:00\r\n  end: 2023-09-10 18:30\r\n  impact: Email delivery was delayed.\r\n  affected: 20%\r\n  cause: Inefficient queries.\r\ntimeline:\r\n  - at: 2023-09-10 16:15\r\n    kind: detectd   # typo\r\n    how: monitoring\r\n    text: Alerts fired.\r\n  - at: '18:30'\r\n    kind: resolved\r\n    text: Service restored.\r\nroot_cause: Inefficient queries.\r\n\r\nresolution: Optimised the queries.\r\nmeasures:\r\n  - Automate scaling.\r\ntasks:\r\n  - text: Add an index.\r\n    owner: db-team\r\ntags: [Email]\r\n";

fn fixed_safe() -> String {
    BROKEN
        .replace("summery:", "summary:")
        .replace("kind: detectd", "kind: detected")
        .replace("[Email]", "[email]")
}

fn setup() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("p.yaml");
    fs::write(&path, BROKEN).expect("write");
    (dir, path)
}

fn in_dir(dir: &tempfile::TempDir, args: &[&str]) -> Output {
    run_in(dir.path(), args, None)
}

#[test]
fn fix_rewrites_only_the_edited_spans() {
    let (dir, path) = setup();
    let out = in_dir(&dir, &["check", "--color", "never", "--fix", "p.yaml"]);
    assert_eq!(fs::read_to_string(&path).expect("read"), fixed_safe());
    // The unsafe fix (legacy zone) remains, a warning: exit 0.
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!("fix_human", out.stdout);
    assert_eq!(
        common::files_in(dir.path()),
        ["p.yaml"],
        "no temporary left"
    );
}

#[test]
fn unsafe_fixes_apply_only_when_asked() {
    let (dir, path) = setup();
    let out = in_dir(&dir, &["check", "--fix", "--unsafe-fixes", "p.yaml"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = fs::read_to_string(&path).expect("read");
    assert_eq!(
        text,
        fixed_safe().replace("US/Eastern   #", "America/New_York   #")
    );
    assert!(
        out.stdout.contains("p.yaml:4: fixed legacy-timezone"),
        "{}",
        out.stdout
    );
    // Nothing left to do: a second run leaves the file as it is.
    let again = in_dir(&dir, &["check", "--fix", "--unsafe-fixes", "p.yaml"]);
    assert_eq!(again.code, 0);
    assert!(!again.stdout.contains("fixed"), "{}", again.stdout);
    assert_eq!(fs::read_to_string(&path).expect("read"), text);
}

#[test]
fn diff_prints_a_unified_diff_and_writes_nothing() {
    let (dir, path) = setup();
    let out = in_dir(&dir, &["check", "--color", "never", "--diff", "p.yaml"]);
    assert_eq!(fs::read_to_string(&path).expect("read"), BROKEN);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!("fix_diff", out.stdout.replace('\r', "␍"));
    assert!(
        out.stderr.contains("p.yaml:5: fixed unknown-field"),
        "{}",
        out.stderr
    );
}

#[test]
fn stdin_prints_the_fixed_text() {
    let out = run(pm().args(["check", "--fix", "-"]), Some(BROKEN));
    assert_eq!(out.stdout, fixed_safe());
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("<stdin>:14: fixed invalid-value"),
        "{}",
        out.stderr
    );
}

#[test]
fn remaining_errors_give_exit_1_and_json_stays_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("p.yaml");
    // `measures` is missing: no fix for that.
    let text = fixed_safe()
        .replace("BOGUS", "")
        .replace("measures:\r\n  - Automate scaling.\r\n", "");
    let text = text.replace("summary:", "summery:");
    fs::write(&path, &text).expect("write");
    let out = in_dir(&dir, &["check", "--fix", "--format", "json", "p.yaml"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let found = common::findings(&out.stdout);
    assert!(found.iter().any(|f| f.rule == "missing-field"));
    assert!(found.iter().all(|f| f.rule != "unknown-field"));
    assert!(out.stderr.contains("fixed unknown-field"), "{}", out.stderr);
}

#[test]
fn unsafe_fixes_alone_is_an_error() {
    let (dir, path) = setup();
    let out = in_dir(&dir, &["check", "--unsafe-fixes", "p.yaml"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--fix or --diff"), "{}", out.stderr);
    assert_eq!(fs::read_to_string(&path).expect("read"), BROKEN);
}

#[test]
fn json_and_sarif_carry_the_fixes() {
    let (dir, _) = setup();
    let out = in_dir(&dir, &["check", "--format", "json", "p.yaml"]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    let fixes: Vec<&serde_json::Value> = json
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|f| f.get("fix"))
        .collect();
    insta::assert_json_snapshot!("fix_json", fixes);
    let out = in_dir(&dir, &["check", "--format", "sarif", "p.yaml"]);
    let sarif: serde_json::Value = serde_json::from_str(&out.stdout).expect("SARIF");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let fixes: Vec<&serde_json::Value> = results.iter().filter_map(|r| r.get("fixes")).collect();
    assert_eq!(fixes.len(), 4);
    let replacement = &fixes[0][0]["artifactChanges"][0]["replacements"][0];
    assert_eq!(replacement["deletedRegion"]["startLine"], 4);
    assert_eq!(replacement["insertedContent"]["text"], "America/New_York");
}

#[test]
fn a_file_changed_since_it_was_read_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("p.yaml");
    fs::write(&path, "new: text\n").expect("write");
    let err =
        pm::output::replace_if_unchanged(&path, b"fixed\n", b"old: text\n").expect_err("refused");
    assert!(err.is_refusal());
    assert!(err.to_string().contains("changed on disk"), "{err}");
    assert_eq!(fs::read_to_string(&path).expect("read"), "new: text\n");
    assert_eq!(
        common::files_in(dir.path()),
        ["p.yaml"],
        "no temporary left"
    );
    pm::output::replace_if_unchanged(&path, b"fixed\n", b"new: text\n").expect("written");
    assert_eq!(fs::read_to_string(&path).expect("read"), "fixed\n");
}
