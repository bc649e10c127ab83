//! `pm check` over many files runs on every core, yet prints exactly what
//! checking the files one by one prints, in the same order.

use std::path::Path;
use std::process::{Command, Output};

const POSTMORTEM: &str = include_str!("../examples/email-notification-outage.yaml");

fn pm(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pm"))
        .args(args)
        .current_dir(dir)
        .env("PM_TODAY", "2024-01-01")
        .env_remove("NO_COLOR")
        .output()
        .expect("pm runs")
}

/// 150 files (more than one batch), a few of them with an error or a
/// warning at a place of their own, so that a swap would show.
fn corpus(dir: &Path) -> Vec<String> {
    let mut names = Vec::new();
    for i in 0..150 {
        let text = match i % 7 {
            3 => POSTMORTEM.replacen("    owner: infra-team\n", "", 1),
            5 => format!("{POSTMORTEM}oops_{i}: true\n"),
            _ => POSTMORTEM.to_owned(),
        };
        let name = format!("pm-{i:03}.yaml");
        std::fs::write(dir.join(&name), text).expect("write a postmortem");
        names.push(name);
    }
    names
}

#[test]
fn many_files_print_as_one_by_one_in_order() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let names = corpus(dir.path());

    let all = pm(&["check", "--format", "github", "."], dir.path());
    assert_eq!(all.status.code(), Some(1), "some files have errors");
    let mut expected = String::new();
    for name in &names {
        let one = pm(&["check", "--format", "github", name], dir.path());
        let text = String::from_utf8(one.stdout).expect("UTF-8 output");
        expected.push_str(&text);
    }
    let actual = String::from_utf8(all.stdout).expect("UTF-8 output");
    // 21 files with a warning (i % 7 == 3), 21 with an error (i % 7 == 5).
    assert_eq!(actual.lines().count(), 42, "{actual}");
    assert_eq!(actual, expected);
}

#[test]
fn human_output_is_the_same_from_run_to_run() {
    let dir = tempfile::tempdir().expect("temporary folder");
    corpus(dir.path());
    let first = pm(&["check", "--color", "never", "."], dir.path());
    let text = String::from_utf8_lossy(&first.stdout);
    assert!(
        text.ends_with("failed: 21 errors and 21 warnings in 42 of 150 files checked\n"),
        "{text}"
    );
    for _ in 0..3 {
        let again = pm(&["check", "--color", "never", "."], dir.path());
        assert_eq!(again.stdout, first.stdout);
    }
}
