//! `pm check` through the real binary: output formats, exit codes, inputs.

mod common;

use common::{Output, findings, fixtures, pm, run, run_in};
use std::fs;
use std::path::Path;

const CLEAN: &str = "tests/fixtures/rules/task-owner/passes.yaml";

fn in_fixtures(args: &[&str]) -> Output {
    run_in(&fixtures(), args, None)
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
    fs::write(path, text).expect("write");
}

fn clean_text() -> String {
    fs::read_to_string(common::root().join(CLEAN)).expect("clean fixture")
}

fn drift_text() -> String {
    fs::read_to_string(fixtures().join("drift.yaml")).expect("drift fixture")
}

// --- Output formats ----------------------------------------------------------

#[test]
fn human_format() {
    let out = in_fixtures(&["check", "--color", "never", "drift.yaml"]);
    assert_eq!(out.code, 1);
    insta::assert_snapshot!("human", out.stdout);
}

/// Issue 18: a value containing `\r\n` split the header line of human
/// output in two. The header stays one line, the break written as `\r\n`.
#[test]
fn a_line_break_in_a_value_keeps_the_header_on_one_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "crlf.yaml",
        &format!("{}\"bad\\r\\nkey\": 1\n", clean_text()),
    );
    let out = run_in(
        dir.path(),
        &["check", "--color", "never", "crlf.yaml"],
        None,
    );
    assert_eq!(out.code, 1, "{}", out.stdout);
    let header = out
        .stdout
        .lines()
        .find(|l| l.starts_with("error[unknown-field]"))
        .expect("the finding");
    assert_eq!(
        header,
        "error[unknown-field]: unknown field `bad\\r\\nkey` in a postmortem"
    );
    assert!(
        !out.stdout
            .lines()
            .any(|l| l.trim_start().starts_with("key`"))
    );
}

#[test]
fn json_format() {
    let out = in_fixtures(&["check", "--format", "json", "drift.yaml"]);
    assert_eq!(out.code, 1);
    insta::assert_snapshot!("json", out.stdout);
}

#[test]
fn github_format() {
    let out = in_fixtures(&["check", "--format", "github", "drift.yaml"]);
    assert_eq!(out.code, 1);
    insta::assert_snapshot!("github", out.stdout);
}

#[test]
fn explain_prints_a_rules_documentation() {
    let out = in_fixtures(&["check", "--explain", "ambiguous-time"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!("explain", out.stdout);
}

#[test]
fn explain_suggests_a_misspelt_rule() {
    let out = in_fixtures(&["check", "--explain", "timeline-ordr"]);
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "pm: error: no rule `timeline-ordr`; did you mean `timeline-order`? (`pm rules` lists them all)\n"
    );
    let out = in_fixtures(&["check", "--explain", "zzz"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("no rule `zzz`; `pm rules` lists them all"),
        "{}",
        out.stderr
    );
}

#[test]
fn every_rule_can_be_explained() {
    for rule in pm::rules::ALL {
        let out = in_fixtures(&["check", "--explain", rule.id]);
        assert_eq!(out.code, 0, "{}: {}", rule.id, out.stderr);
        assert!(
            out.stdout.starts_with(&format!("# {}\n", rule.id)),
            "{}",
            out.stdout
        );
    }
}

#[test]
fn json_has_the_documented_fields() {
    let out = in_fixtures(&["check", "--format", "json", "drift.yaml"]);
    let value: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    let items = value.as_array().expect("one array");
    assert!(!items.is_empty());
    for item in items {
        let object = item.as_object().expect("objects");
        for key in ["file", "line", "column", "severity", "rule", "message"] {
            assert!(object.contains_key(key), "{key} missing in {item}");
        }
        for key in object.keys() {
            assert!(
                [
                    "file", "line", "column", "severity", "rule", "message", "label", "help", "fix"
                ]
                .contains(&key.as_str()),
                "undocumented key {key}"
            );
        }
    }
}

#[test]
fn a_clean_file_gives_an_empty_json_array_and_no_github_commands() {
    let out = run(
        pm().args(["check", "--format", "json", CLEAN])
            .current_dir(common::root()),
        None,
    );
    assert_eq!((out.code, out.stdout.as_str()), (0, "[]\n"));
    let out = run(
        pm().args(["check", "--format", "github", CLEAN])
            .current_dir(common::root()),
        None,
    );
    assert_eq!((out.code, out.stdout.as_str()), (0, ""));
}

// --- Exit codes ----------------------------------------------------------

#[test]
fn exit_0_for_a_clean_file() {
    let out = run(
        pm().args(["check", CLEAN]).current_dir(common::root()),
        None,
    );
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert_eq!(out.stdout, "ok: 1 file checked, no problems found\n");
}

#[test]
fn exit_1_for_errors() {
    let out = in_fixtures(&["check", "drift.yaml"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout
            .ends_with("failed: 4 errors and 2 warnings in 1 of 1 file checked\n")
    );
}

#[test]
fn warnings_fail_only_with_strict() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "draft.yaml",
        &clean_text().replace("    owner: db-team\n", ""),
    );
    let out = run_in(dir.path(), &["check", "draft.yaml"], None);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(
        out.stdout
            .ends_with("passed with warnings: 1 warning in 1 of 1 file checked\n"),
        "{}",
        out.stdout
    );
    let out = run_in(dir.path(), &["check", "--strict", "draft.yaml"], None);
    assert_eq!(out.code, 1);
}

#[test]
fn exit_2_for_a_missing_path_after_checking_the_others() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "bad.yaml", &drift_text());
    let out = run_in(
        dir.path(),
        &["check", "--format", "json", "nope.yaml", "bad.yaml"],
        None,
    );
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "pm: error: cannot read `nope.yaml`: No such file or directory (os error 2)\n"
    );
    assert_eq!(findings(&out.stdout).len(), 6, "bad.yaml is still checked");
}

#[test]
fn exit_2_for_bad_arguments() {
    for args in [
        &["check", "--format", "xml"][..],
        &["check", "--no-such-flag"],
        &["check", "--explain", "timeline-order", "drift.yaml"],
        &["frobnicate"],
        &[],
    ] {
        let out = in_fixtures(args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?}");
    }
}

#[test]
fn help_and_version_are_not_failures() {
    for args in [&["--help"][..], &["check", "--help"], &["--version"]] {
        let out = in_fixtures(args);
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
        assert!(!out.stdout.is_empty());
    }
}

#[test]
fn exit_2_for_a_bad_pm_today() {
    let out = run(
        pm().env("PM_TODAY", "tomorrow")
            .args(["check", CLEAN])
            .current_dir(common::root()),
        None,
    );
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("PM_TODAY=`tomorrow`"), "{}", out.stderr);
}

// --- Inputs --------------------------------------------------------------

#[test]
fn stdin_checks_like_a_file() {
    let from_file = in_fixtures(&["check", "--format", "json", "drift.yaml"]);
    let from_stdin = run_in(
        &fixtures(),
        &["check", "--format", "json", "-"],
        Some(&drift_text()),
    );
    assert_eq!(from_stdin.code, 1);
    let strip = |out: &Output| {
        findings(&out.stdout)
            .into_iter()
            .map(|f| (f.line, f.column, f.rule, f.message))
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(&from_file), strip(&from_stdin));
    assert!(
        findings(&from_stdin.stdout)
            .iter()
            .all(|f| f.file == "<stdin>")
    );
}

#[test]
fn folders_are_searched_recursively_skipping_hidden_ones() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a.yaml", &clean_text());
    write(dir.path(), "sub/deeper/b.yml", &drift_text());
    write(dir.path(), "sub/notes.txt", "not: [yaml");
    write(dir.path(), ".hidden/c.yaml", "not: [yaml");
    write(dir.path(), "sub/.cache/d.yaml", "not: [yaml");
    let out = run_in(dir.path(), &["check", "--format", "json", "."], None);
    let mut files: Vec<String> = findings(&out.stdout).into_iter().map(|f| f.file).collect();
    files.dedup();
    assert_eq!(files, ["sub/deeper/b.yml"]);
    let out = run_in(dir.path(), &["check"], None);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.contains(" --> sub/deeper/b.yml:"),
        "no path means the current folder, named without `./`:\n{}",
        out.stdout
    );
    assert!(
        out.stdout.ends_with("in 1 of 2 files checked\n"),
        "{}",
        out.stdout
    );
}

#[test]
fn an_empty_folder_is_not_a_failure_but_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = run_in(dir.path(), &["check"], None);
    assert_eq!(out.code, 0);
    assert_eq!(
        out.stderr,
        "pm: warning: no postmortems (*.yaml, *.yml) found\n"
    );
}

#[test]
fn bom_and_crlf_check_exactly_like_the_plain_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plain = drift_text();
    write(dir.path(), "plain.yaml", &plain);
    write(
        dir.path(),
        "windows.yaml",
        &format!("\u{feff}{}", plain.replace('\n', "\r\n")),
    );
    for format in ["human", "json", "github"] {
        let a = run_in(
            dir.path(),
            &["check", "--format", format, "plain.yaml"],
            None,
        );
        let b = run_in(
            dir.path(),
            &["check", "--format", format, "windows.yaml"],
            None,
        );
        assert_eq!(a.code, b.code);
        assert_eq!(
            a.stdout,
            b.stdout.replace("windows.yaml", "plain.yaml"),
            "{format}"
        );
    }
}

#[test]
fn a_file_that_is_not_text_is_a_finding_not_a_crash() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(
        dir.path().join("binary.yaml"),
        b"title: ok\n\xff\xfe\x00junk",
    )
    .expect("write");
    let out = run_in(
        dir.path(),
        &["check", "--format", "json", "binary.yaml"],
        None,
    );
    assert_eq!(out.code, 1);
    let found = findings(&out.stdout);
    assert_eq!(
        (
            found[0].line,
            found[0].column,
            found[0].rule.as_str(),
            found[0].message.as_str()
        ),
        (2, 1, "not-text", "the file is not UTF-8 text")
    );
}

#[test]
fn hostile_yaml_is_refused_with_a_finding() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        bomb.push_str(&format!(
            "a{i}: &a{i} [{}]\n",
            vec![format!("*a{}", i - 1); 10].join(", ")
        ));
    }
    write(dir.path(), "bomb.yaml", &bomb);
    write(
        dir.path(),
        "deep.yaml",
        &format!("a: {}{}\n", "[".repeat(10_000), "]".repeat(10_000)),
    );
    for (name, message) in [
        (
            "bomb.yaml",
            "the YAML's aliases expand to more values than the alias expansion limit of 20,000 (20,001 found): anchors and aliases repeated too often, as in an alias bomb; write the values out instead (this limit is fixed)",
        ),
        ("deep.yaml", "the YAML nests deeper than 64 levels"),
    ] {
        let out = run_in(dir.path(), &["check", "--format", "json", name], None);
        assert_eq!(out.code, 1, "{name}: {}", out.stderr);
        let found = findings(&out.stdout);
        assert_eq!(found.len(), 1, "{name}");
        assert_eq!(
            (found[0].rule.as_str(), found[0].message.as_str()),
            ("yaml-syntax", message)
        );
    }
}

// --- Colour --------------------------------------------------------------

#[test]
fn colour_only_when_asked_and_never_with_no_color() {
    let has_escape = |out: &Output| out.stdout.contains('\x1b');
    // Piped stdout: no colour by default.
    assert!(!has_escape(&in_fixtures(&["check", "drift.yaml"])));
    assert!(!has_escape(&in_fixtures(&[
        "check",
        "--color",
        "never",
        "drift.yaml"
    ])));
    let no_color = run(
        pm().env("NO_COLOR", "1")
            .args(["check", "--color", "auto", "drift.yaml"])
            .current_dir(fixtures()),
        None,
    );
    assert!(!has_escape(&no_color));
    // The flag is what the user asked for, so it wins over the environment.
    assert!(has_escape(&in_fixtures(&[
        "check",
        "--color",
        "always",
        "drift.yaml"
    ])));
}

/// Parsing recurses per nesting level up to the depth budget; checking a
/// folder runs it on worker threads, which must have the stack for it.
#[test]
fn nesting_up_to_the_depth_budget_is_checked_on_every_worker() {
    let dir = tempfile::tempdir().expect("tempdir");
    for i in 0..8 {
        let mut block = String::from("title: x\n");
        for level in 0..63 {
            block.push_str(&format!("{}k{level}:\n", "  ".repeat(level)));
        }
        block.push_str(&format!("{}v\n", "  ".repeat(63)));
        write(dir.path(), &format!("block{i}.yaml"), &block);
        write(
            dir.path(),
            &format!("flow{i}.yaml"),
            &format!("title: x\nsummary: {}{}\n", "[".repeat(63), "]".repeat(63)),
        );
    }
    let out = run_in(dir.path(), &["check", "--format", "json", "."], None);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(!out.stderr.contains("overflow"), "{}", out.stderr);
    let files: std::collections::BTreeSet<String> =
        findings(&out.stdout).into_iter().map(|f| f.file).collect();
    assert_eq!(files.len(), 16, "every file has its findings");
}

/// `task-overdue` is off unless pm.toml turns it on: the verdict on an
/// unchanged file does not depend on the day it is checked.
#[test]
fn an_overdue_task_is_no_finding_without_a_pm_toml_that_asks() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let text = std::fs::read_to_string(common::fixtures().join("rules/task-overdue/fires.yaml"))
        .expect("fixture");
    std::fs::write(dir.path().join("late.yaml"), &text).expect("write");
    let out = common::run_in(
        dir.path(),
        &["check", "--format", "json", "late.yaml"],
        None,
    );
    assert!(!out.stdout.contains("task-overdue"), "{}", out.stdout);
    std::fs::write(
        dir.path().join("pm.toml"),
        "[rules]\ntask-overdue = \"warning\"\n",
    )
    .expect("write");
    let out = common::run_in(
        dir.path(),
        &["check", "--format", "json", "late.yaml"],
        None,
    );
    assert!(out.stdout.contains("task-overdue"), "{}", out.stdout);
}

/// One mistake, one finding: a repeated wrong abbreviation, tasks without an
/// owner and the entries one wrong end leaves outside are each grouped, the
/// first primary and the others secondary labels.
#[test]
fn findings_of_one_cause_are_grouped() {
    let dir = fixtures().join("rules");
    let mut shown = String::new();
    for file in [
        "abbreviation-mismatch/fires-repeated.yaml",
        "task-owner/fires-several.yaml",
        "outside-window/fires-one-end.yaml",
    ] {
        let out = run_in(&dir, &["check", "--color", "never", file], None);
        shown.push_str(&out.stdout);
    }
    insta::assert_snapshot!(shown);
}

/// Issue 14, no cascades: an unreadable start still gives its day, a
/// date and time joined by `/` is read as meant (and offered as a safe
/// fix), and a timeline with no date at all is one finding.
#[test]
fn an_unreadable_time_hides_nothing_around_it() {
    let dir = fixtures().join("rules");
    let mut shown = String::new();
    for file in [
        "invalid-time/fires-cascade.yaml",
        "invalid-time/fires-undated.yaml",
    ] {
        let out = run_in(&dir, &["check", "--color", "never", file], None);
        assert_eq!(out.code, 1, "{}", out.stdout);
        shown.push_str(&out.stdout);
    }
    insta::assert_snapshot!(shown);
}

#[test]
fn the_recovered_reading_is_a_safe_fix_that_checks_clean() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = clean_text().replacen(
        "  - at: 2023-09-10 16:15",
        "  - at: \"2023-09-10, 16:15\"",
        1,
    );
    assert_ne!(text, clean_text(), "the clean fixture changed");
    write(dir.path(), "joined.yaml", &text);
    let out = run_in(
        dir.path(),
        &["check", "--color", "never", "joined.yaml"],
        None,
    );
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stdout.contains("write it as `2023-09-10 16:15`"),
        "{}",
        out.stdout
    );
    let fixed = run_in(
        dir.path(),
        &["check", "--fix", "--color", "never", "joined.yaml"],
        None,
    );
    assert_eq!(fixed.code, 0, "{}{}", fixed.stdout, fixed.stderr);
    let after = fs::read_to_string(dir.path().join("joined.yaml")).expect("read");
    assert_eq!(
        after,
        text.replace("\"2023-09-10, 16:15\"", "\"2023-09-10 16:15\"")
    );
}

/// Issue 14: with nothing named and no pm.toml, YAML that is no postmortem
/// (a docker-compose.yml) is passed over, and pm says so.
#[test]
fn other_yaml_is_skipped_when_nothing_is_named_and_there_is_no_config() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "incident.yaml", &clean_text());
    write(
        dir.path(),
        "docker-compose.yml",
        "services:\n  web:\n    image: nginx\n",
    );
    write(
        dir.path(),
        ".github/workflows/ci.yml",
        "on: push\njobs: {}\n",
    );
    write(dir.path(), "ci/pipeline.yml", "stages: [build]\n");
    let out = run_in(dir.path(), &["check", "--color", "never"], None);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("1 file checked"), "{}", out.stdout);
    assert_eq!(
        out.stderr.trim(),
        "pm: note: skipped 2 YAML files with none of `title`, `summary` and `timeline`: \
         ci/pipeline.yml, docker-compose.yml; name them to check them, or add a pm.toml"
    );
    // Named, it is checked like any other file.
    let named = run_in(
        dir.path(),
        &["check", "--color", "never", "docker-compose.yml"],
        None,
    );
    assert_eq!(named.code, 1, "{}", named.stdout);
    // With a pm.toml, the team has said what the folder holds.
    write(dir.path(), "pm.toml", "");
    let configured = run_in(dir.path(), &["check", "--color", "never"], None);
    assert_eq!(configured.code, 1, "{}", configured.stdout);
    assert!(configured.stderr.is_empty(), "{}", configured.stderr);
}

/// Issue 14: abbreviations tzdata replaced with numbers in 2017 (ICT, SGT)
/// are read as the zone's own, and named where the zone is unknown.
#[test]
fn abbreviations_tzdata_dropped_are_still_understood() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bangkok = clean_text()
        .replace("timezone: Africa/Lagos", "timezone: Asia/Bangkok")
        .replacen(
            "  - at: 2023-09-10 16:15",
            "  - at: 2023-09-10 16:15 ICT",
            1,
        );
    assert!(bangkok.contains("16:15 ICT"), "the clean fixture changed");
    write(dir.path(), "bangkok.yaml", &bangkok);
    let out = run_in(
        dir.path(),
        &["check", "--color", "never", "bangkok.yaml"],
        None,
    );
    assert_eq!(out.code, 0, "{}", out.stdout);

    let named = bangkok.replace("timezone: Asia/Bangkok", "timezone: ICT");
    write(dir.path(), "named.yaml", &named);
    let out = run_in(
        dir.path(),
        &["check", "--color", "never", "named.yaml"],
        None,
    );
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stdout
            .contains("`ICT` is an abbreviation, used on 2023-09-10 by Asia/Bangkok"),
        "{}",
        out.stdout
    );
}

// --- The executable ----------------------------------------------------------

/// build.rs links pm at a fixed address on Linux with glibc, so that a
/// one-file check does not start by patching 47,000 relocations
/// (docs/performance.md, round eight). An ELF header's type is the 16-bit
/// word at byte 16: 2 is an executable at a fixed address, 3 a
/// position-independent one (or a shared library).
#[test]
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn the_executable_is_linked_at_a_fixed_address_unless_pie_is_asked_for() {
    let binary = fs::read(env!("CARGO_BIN_EXE_pm")).expect("the pm executable");
    assert_eq!(&binary[..4], b"\x7fELF");
    let kind = u16::from_le_bytes([binary[16], binary[17]]);
    let pie_asked = option_env!("PM_PIE").is_some_and(|value| !value.is_empty() && value != "0");
    assert_eq!(kind, if pie_asked { 3 } else { 2 }, "ELF type");
}
