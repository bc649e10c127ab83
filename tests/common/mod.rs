//! Running the real `pm` binary from integration tests.

#![allow(dead_code)] // each test crate uses a different part

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// "Today" for every run, so output never depends on the clock.
pub const TODAY: &str = "2024-03-01";

/// The repository root, where `examples/` and `README.md` live.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixtures() -> PathBuf {
    root().join("tests/fixtures")
}

/// What a run of pm gave.
#[derive(Debug)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// `pm` with a fixed today and no colour from the environment.
pub fn pm() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pm"));
    command
        .env("PM_TODAY", TODAY)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE");
    command
}

/// Runs pm in `dir` with `args`, feeding `stdin`.
pub fn run_in(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    run(pm().current_dir(dir).args(args), stdin)
}

pub fn run(command: &mut Command, stdin: Option<&str>) -> Output {
    command
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("pm starts");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .expect("stdin is piped")
            .write_all(text.as_bytes())
            .expect("pm reads stdin");
    }
    let output = child.wait_with_output().expect("pm runs");
    Output {
        code: output
            .status
            .code()
            .expect("pm exits, not killed by a signal"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// One finding from `--format json`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Deserialize)]
pub struct Finding {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub severity: String,
    pub rule: String,
    pub message: String,
    pub label: Option<String>,
    pub help: Option<String>,
}

pub fn findings(json: &str) -> Vec<Finding> {
    serde_json::from_str(json).unwrap_or_else(|err| panic!("not JSON findings ({err}):\n{json}"))
}

/// Checks one file with `--format json` and returns its findings.
/// Checks a file from its own folder, so that a pm.toml beside it (as some
/// rule fixtures have, to turn a rule on) applies.
pub fn check_json(path: &Path) -> (Output, Vec<Finding>) {
    let path = root().join(path);
    let (dir, file) = (
        path.parent().expect("a folder"),
        path.file_name().expect("a file name"),
    );
    let out = run(
        pm().current_dir(dir)
            .args(["check", "--format", "json"])
            .arg(file),
        None,
    );
    assert_ne!(out.code, 2, "pm could not run: {}", out.stderr);
    let found = findings(&out.stdout);
    (out, found)
}

/// The names of the entries of a folder, sorted: what a command wrote there,
/// temporary files included.
pub fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// What a run printed on stdout, as text.
pub fn stdout(output: &std::process::Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 stdout")
}

/// What a run printed on stderr, as text.
pub fn stderr(output: &std::process::Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("UTF-8 stderr")
}

/// A run's exit code.
pub fn code(output: &std::process::Output) -> i32 {
    output.status.code().expect("exit code")
}

/// A finding as compared across edits that keep lines where they are: its
/// rule, line and message (the fix property tests).
pub fn key(d: &pm::diagnostic::Diagnostic) -> (&'static str, u32, String) {
    (d.rule.id, d.span.line, d.message.clone())
}

/// How many of a file's findings are `wanted`.
pub fn count(checked: &pm::check::Checked, wanted: &(&'static str, u32, String)) -> usize {
    checked
        .diagnostics
        .iter()
        .filter(|d| &key(d) == wanted)
        .count()
}
