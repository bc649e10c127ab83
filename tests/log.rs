//! `pm log` through the real binary, against a scaffold from `pm new`.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const PM: &str = env!("CARGO_BIN_EXE_pm");

fn pm(dir: &Path) -> Command {
    let mut command = Command::new(PM);
    command
        .current_dir(dir)
        .env("PM_TODAY", "2024-03-01")
        .env("PM_NOW", "2024-03-01T15:40:00Z")
        .env("TZ", "UTC")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    command
}

fn text(output: &[u8]) -> String {
    String::from_utf8(output.to_vec()).expect("UTF-8")
}

/// A scaffold in Berlin (UTC+1 in March), and its path.
fn scaffold() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = pm(dir.path())
        .args(["new", "DB down", "--timezone", "Europe/Berlin"])
        .output()
        .expect("pm new runs");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let path = dir.path().join("2024-03-01-db-down.yaml");
    assert!(path.exists());
    (dir, path)
}

/// The errors of `pm check` on the file: (rule, message).
fn errors(dir: &Path, path: &Path) -> Vec<(String, String)> {
    let out = pm(dir)
        .args(["check", "--format", "json"])
        .arg(path)
        .output()
        .expect("pm check runs");
    let found: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("JSON");
    found
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_owned(),
                f["message"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn log(dir: &Path, path: &Path, args: &[&str]) -> Output {
    pm(dir)
        .arg("log")
        .arg(path)
        .args(args)
        .output()
        .expect("pm log runs")
}

/// The timeline's `at:` lines, in file order.
fn ats(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .expect("read")
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- at: "))
        .map(str::to_owned)
        .collect()
}

#[test]
fn entries_land_in_time_order_and_the_file_keeps_checking() {
    let (dir, path) = scaffold();
    let dir = dir.path();
    let original = std::fs::read_to_string(&path).expect("read");
    let comments: Vec<&str> = original
        .lines()
        .filter(|l| l.trim_start().starts_with('#'))
        .collect();
    let baseline = errors(dir, &path);

    // Now: 15:40 UTC is 16:40 in Berlin.
    let out = log(dir, &path, &["--kind", "detected", "Alerts on the primary"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("at: \"2024-03-01 16:40\""),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(errors(dir, &path), baseline);

    let out = log(
        dir,
        &path,
        &[
            "--at",
            "17:05",
            "--by",
            "Ada",
            "Failed over: replica promoted",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(errors(dir, &path), baseline);

    // Earlier than both: it goes before them.
    let out = log(
        dir,
        &path,
        &["--at", "~16:20", "--kind", "trigger", "Deploy of v2.3"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(errors(dir, &path), baseline);

    // With a zone of its own, between the two.
    let out = log(
        dir,
        &path,
        &["--at", "2024-03-01 15:50 UTC", "Paged the DBA"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(errors(dir, &path), baseline);

    let timed: Vec<String> = ats(&path)
        .into_iter()
        .filter(|a| !a.contains('<'))
        .collect();
    assert_eq!(
        timed,
        [
            "\"~2024-03-01 16:20\"",
            "\"2024-03-01 16:40\"",
            "\"2024-03-01 15:50 UTC\"",
            "\"17:05\"",
        ]
    );
    let after = std::fs::read_to_string(&path).expect("read");
    for comment in comments {
        assert!(after.contains(comment), "lost the comment {comment:?}");
    }
    assert!(
        after.contains("    by: Ada\n    text: \"Failed over: replica promoted\"\n"),
        "{after}"
    );
    assert_eq!(
        common::files_in(dir)
            .iter()
            .filter(|f| f.starts_with(".pm-"))
            .count(),
        0
    );
}

#[test]
fn a_bad_at_changes_nothing() {
    let (dir, path) = scaffold();
    let dir = dir.path();
    let before = std::fs::read(&path).expect("read");
    for at in ["25:99", "2024-03-31 02:30", "16:40 PDT", "soon"] {
        let out = log(dir, &path, &["--at", at, "Something"]);
        assert_eq!(out.status.code(), Some(1), "{at}: {}", text(&out.stderr));
        assert!(
            text(&out.stderr).contains("nothing added"),
            "{at}: {}",
            text(&out.stderr)
        );
        assert_eq!(
            std::fs::read(&path).expect("read"),
            before,
            "{at} changed the file"
        );
    }
    // pm check's finding, on the `--at` text (the lead owns its wording).
    let out = log(dir, &path, &["--at", "2024-03-31 02:30", "x"]);
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with("error[nonexistent-time]: "), "{stderr}");
    assert!(stderr.contains(" --> --at:1:1\n"), "{stderr}");
    let out = log(dir, &path, &["--at", "soon", "x"]);
    assert!(text(&out.stderr).starts_with("error[invalid-time]: `soon` is not a time"));
}

#[test]
fn a_bad_kind_changes_nothing() {
    let (dir, path) = scaffold();
    let before = std::fs::read(&path).expect("read");
    let out = log(dir.path(), &path, &["--kind", "oops", "Something"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_eq!(std::fs::read(&path).expect("read"), before);
}

#[test]
fn a_file_without_a_zone_or_timeline_is_an_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("p.yaml");
    let text = "title: T\ntimeline: []\n";
    std::fs::write(&path, text).expect("write");
    let out = log(dir.path(), &path, &["--at", "16:40", "x"]);
    assert_eq!(out.status.code(), Some(2), "{}", text_of(&out.stderr));
    assert!(
        text_of(&out.stderr).contains("timezone"),
        "{}",
        text_of(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&path).expect("read"), text);
}

fn text_of(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
