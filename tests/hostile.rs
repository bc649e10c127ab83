//! Hostile and broken input, through the real binary: the committed corpus
//! in `tests/hostile/` (with its expectations in `expected.tsv`, `times.tsv`
//! and `zones.tsv`), files too large to commit, written here, and every
//! wrong type in every field, generated from the format's key lists.
//!
//! Every run has a time limit, and must exit 0 or 1 with findings that name
//! the file, never panic, never print a backtrace.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Far more than any case takes in a debug build (the slowest: one run over
/// the ~350 files of every wrong type in every field, 2 s of CPU; 5,000
/// unknown keys or 3,000 secrets in the human format, up to 2.4 s on the
/// project's 2 shared cores under a load of 6, and over 5 s with the other
/// tests running beside them), so a busy machine does not fail, while a
/// quadratic slip (minutes, before the fixes) does.
const TIME_LIMIT: Duration = Duration::from_secs(30);

const FORMATS: [&str; 4] = ["json", "human", "github", "sarif"];

#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs pm with a time limit, feeding `stdin`, and checks it did not panic.
fn pm(args: &[&str], dir: &Path, stdin: Option<Vec<u8>>) -> Run {
    pm_env(args, dir, stdin, &[])
}

/// `pm` with extra environment variables.
fn pm_env(args: &[&str], dir: &Path, stdin: Option<Vec<u8>>, envs: &[(&str, &str)]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pm"))
        .args(args)
        .envs(envs.iter().copied())
        .current_dir(dir)
        .env("PM_TODAY", "2024-03-01")
        // A panic would print a backtrace, which the check below looks for.
        .env("RUST_BACKTRACE", "1")
        .env_remove("NO_COLOR")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("pm starts");
    let feeder = stdin.map(|bytes| {
        let mut pipe = child.stdin.take().expect("piped stdin");
        // pm may stop reading early (a file over the limit): a broken pipe is fine.
        std::thread::spawn(move || {
            let _ = pipe.write_all(&bytes);
        })
    });
    let mut stdout = child.stdout.take().expect("piped stdout");
    let mut stderr = child.stderr.take().expect("piped stderr");
    let out = std::thread::spawn(move || {
        let mut text = Vec::new();
        stdout.read_to_end(&mut text).expect("read stdout");
        text
    });
    let err = std::thread::spawn(move || {
        let mut text = Vec::new();
        stderr.read_to_end(&mut text).expect("read stderr");
        text
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for pm") {
            break status;
        }
        if started.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            panic!("pm {args:?} in {} ran over {TIME_LIMIT:?}", dir.display());
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    if let Some(feeder) = feeder {
        feeder.join().expect("stdin writer");
    }
    let run = Run {
        code: status.code().expect("pm exits, not killed by a signal"),
        stdout: String::from_utf8(out.join().expect("stdout reader")).expect("UTF-8 stdout"),
        stderr: String::from_utf8(err.join().expect("stderr reader")).expect("UTF-8 stderr"),
    };
    for bad in ["panicked", "internal error", "backtrace", "RUST_BACKTRACE"] {
        assert!(
            !run.stderr.contains(bad) && !run.stdout.contains(bad),
            "pm {args:?} panicked:\n{}",
            run.stderr
        );
    }
    run
}

#[derive(Clone, Debug, Deserialize)]
struct Finding {
    file: String,
    line: u32,
    column: u32,
    rule: String,
    message: String,
}

fn findings(run: &Run) -> Vec<Finding> {
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|err| panic!("not JSON findings ({err}):\n{}", run.stdout))
}

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/hostile")
}

/// Lines of a tab-separated manifest, without comments and blank lines.
fn manifest(name: &str) -> Vec<Vec<String>> {
    std::fs::read_to_string(corpus().join(name))
        .expect("manifest")
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| line.split('\t').map(str::to_owned).collect())
        .collect()
}

/// Checks one file in every format: the exit code, the file named in each,
/// and the expected finding among those in the JSON.
fn check_case(dir: &Path, file: &str, code: i32, rule: &str, at: Option<(u32, u32)>) {
    for format in FORMATS {
        let run = pm(
            &["check", "--format", format, "--color", "never", file],
            dir,
            None,
        );
        assert_eq!(
            run.code, code,
            "{file} --format {format}: exit {}\n{}{}",
            run.code, run.stdout, run.stderr
        );
        assert!(
            run.stderr.is_empty(),
            "{file}: a bad file is a finding, not an error:\n{}",
            run.stderr
        );
        match format {
            "json" => {
                let found = findings(&run);
                assert!(found.iter().all(|f| f.file == file), "{file}: {found:?}");
                assert!(
                    found.iter().any(|f| f.rule == rule
                        && at.is_none_or(|(line, column)| (f.line, f.column) == (line, column))),
                    "{file}: expected {rule} at {at:?}, got {found:#?}"
                );
            }
            "human" => assert!(
                run.stdout.contains(&format!("--> {file}:"))
                    && run.stdout.contains(&format!("[{rule}]")),
                "{file}: the human format names the file and the rule:\n{}",
                run.stdout
            ),
            "sarif" => {
                let sarif: serde_json::Value =
                    serde_json::from_str(&run.stdout).expect("SARIF is JSON");
                let named = |r: &serde_json::Value| {
                    r["ruleId"] == rule
                        && r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                            .as_str()
                            .is_some_and(|uri| uri.ends_with(file))
                };
                assert!(
                    sarif["runs"][0]["results"]
                        .as_array()
                        .is_some_and(|results| results.iter().any(named)),
                    "{file}: the sarif format names the file and the rule:\n{}",
                    run.stdout
                );
            }
            _ => assert!(
                run.stdout.contains(&format!("file={file},"))
                    && run.stdout.contains(&format!("pm ({rule})")),
                "{file}: the github format names the file and the rule:\n{}",
                run.stdout
            ),
        }
    }
}

#[test]
fn the_committed_corpus_gives_the_expected_findings() {
    let cases = manifest("expected.tsv");
    let listed: Vec<&str> = cases.iter().map(|c| c[0].as_str()).collect();
    let mut on_disk: Vec<String> = std::fs::read_dir(corpus())
        .expect("tests/hostile")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| Path::new(name).extension().is_some_and(|e| e == "yaml"))
        .collect();
    on_disk.sort();
    let mut sorted = listed.clone();
    sorted.sort_unstable();
    assert_eq!(
        on_disk, sorted,
        "expected.tsv lists exactly the files in tests/hostile"
    );
    for case in &cases {
        let [file, code, rule, at] = &case[..] else {
            panic!("expected.tsv: `{case:?}` is not file, exit, rule, line:col")
        };
        let (line, column) = at.split_once(':').expect("line:col");
        let at = (line.parse().expect("line"), column.parse().expect("column"));
        check_case(
            &corpus(),
            file,
            code.parse().expect("exit code"),
            rule,
            Some(at),
        );
    }
}

#[test]
fn the_size_limit_refuses_a_30_mib_file_unread() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Valid YAML all the way, so only the limit can refuse it.
    let line = "# padding that makes the file large\n";
    let big = line.repeat(30 * 1024 * 1024 / line.len() + 1);
    std::fs::write(dir.path().join("big.yaml"), &big).expect("write");
    check_case(dir.path(), "big.yaml", 1, "file-too-large", Some((1, 1)));

    let run = pm(&["check", "--format", "json", "big.yaml"], dir.path(), None);
    let found = findings(&run);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].message,
        "the file is 30.0 MiB, more than the limit of 1.0 MiB"
    );

    // From stdin pm stops reading past the limit.
    let run = pm(
        &["check", "--format", "json", "-"],
        dir.path(),
        Some(big.into_bytes()),
    );
    assert_eq!(run.code, 1);
    let found = findings(&run);
    assert_eq!(
        (found[0].file.as_str(), found[0].rule.as_str()),
        ("<stdin>", "file-too-large")
    );

    // The limit is configurable, both ways.
    let padded = line.repeat(1536 * 1024 / line.len());
    std::fs::write(dir.path().join("padded.yaml"), padded).expect("write");
    let run = pm(
        &["check", "--format", "json", "padded.yaml"],
        dir.path(),
        None,
    );
    assert_eq!(findings(&run)[0].rule, "file-too-large");
    let run = pm(
        &[
            "check",
            "--format",
            "json",
            "--max-file-size",
            "2M",
            "padded.yaml",
        ],
        dir.path(),
        None,
    );
    assert_eq!(
        findings(&run)[0].message,
        "the file is empty: a postmortem is a mapping of fields"
    );
    std::fs::write(dir.path().join("small.yaml"), "title: x\n").expect("write");
    let run = pm(
        &[
            "check",
            "--format",
            "json",
            "--max-file-size",
            "8",
            "small.yaml",
        ],
        dir.path(),
        None,
    );
    assert_eq!(findings(&run)[0].rule, "file-too-large");
    let run = pm(
        &["check", "--max-file-size", "lots", "small.yaml"],
        dir.path(),
        None,
    );
    assert_eq!(run.code, 2, "a bad flag means pm cannot run");
    assert!(
        run.stderr.contains("`lots` is not a size"),
        "{}",
        run.stderr
    );
}

/// `count` lines made by `line`, each ended by a newline.
fn lines(count: usize, line: impl Fn(usize) -> String) -> String {
    let mut text = String::new();
    for i in 0..count {
        text.push_str(&line(i));
        text.push('\n');
    }
    text
}

#[test]
fn large_generated_files_are_handled_within_the_limit() {
    let dir = tempfile::tempdir().expect("temp dir");
    // The worst cases of docs/hardening.md at about a tenth of the size
    // limit, so a debug build stays well inside the time limit.
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "deep-block-mapping.yaml",
            lines(400, |i| format!("{}k:", " ".repeat(i))),
            "yaml-syntax",
        ),
        (
            "many-unknown-keys.yaml",
            lines(5000, |i| format!("k{i:06}: v")),
            "unknown-field",
        ),
        (
            "long-line.yaml",
            format!("status: final\ntitle: {}\n", "word ".repeat(20_000)),
            "missing-field",
        ),
        (
            "many-bad-abbreviations.yaml",
            format!(
                "status: final\ntimezone: Europe/London\ntimeline:\n{}",
                lines(2000, |i| format!(
                    "  - {{at: 2023-09-10 16:{:02} QQQ, text: x}}",
                    i % 60
                ))
            ),
            "unknown-timezone",
        ),
        (
            "many-secrets.yaml",
            format!(
                "title: |\n{}",
                lines(3000, |i| format!(
                    "  key AKIAZ7VRSQ5TLP{i:06} and jane.doe{i}@gmail.com"
                ))
            ),
            "secret",
        ),
    ];
    for (name, text, rule) in cases {
        std::fs::write(dir.path().join(name), text).expect("write");
        check_case(dir.path(), name, 1, rule, None);
    }
}

/// Replaces one line's value in a postmortem, with the rest kept.
struct Doc {
    lines: Vec<String>,
}

/// A clean, final postmortem that every generated case starts from.
const BASE: &str = "\
title: Hostile base
id: INC-1
status: final
severity: SEV2
tags: [database]
authors: [ada]
people:
  - name: Ada
    role: commander
timezone: Europe/London
summary:
  service: Email
  start: 2023-09-10 16:00
  end: 2023-09-10 18:30
  duration: 2h 30m
  impact: Mail was late.
  affected: 20%
  cause: A slow query.
timeline:
  - at: 2023-09-10 16:00
    kind: trigger
    text: Deploy.
    by: ada
    url: https://example.com/deploy
  - at: \"16:15\"
    kind: detected
    how: monitoring
    text: Alerts.
  - at: \"16:50\"
    kind: escalated
    to: DB team
    text: Escalated.
  - at: \"18:30\"
    kind: resolved
    text: Restored.
contributing_factors:
  - text: Slow queries went unnoticed.
    kind: latent
root_cause: A slow query.
resolution: An index.
measures:
  - kind: corrective
    text: Add an index.
tasks:
  - text: Index the table.
    owner: db-team
    due: 2024-03-31
    done: false
    kind: prevent
    ticket: OPS-1
lessons:
  went_well: [Alerts fired.]
  went_wrong: [Slow escalation.]
  lucky: [Low traffic.]
links:
  - label: Dashboard
    url: https://example.com/dash
notes:
  - heading: Background
    text: Some background.
";

impl Doc {
    fn base() -> Self {
        Doc {
            lines: BASE.lines().map(str::to_owned).collect(),
        }
    }

    /// Sets the value of the first line starting with `find`, which is
    /// rewritten as `key value`; a block under it goes. Returns the 1-based line.
    fn set(&mut self, (find, key): (&str, &str), value: &str) -> u32 {
        let index = self
            .lines
            .iter()
            .position(|l| l.starts_with(find))
            .unwrap_or_else(|| panic!("`{find}` is not in the base document"));
        let indent = |l: &str| l.len() - l.trim_start().len();
        let own = indent(&self.lines[index]);
        let block_end = self.lines[index + 1..]
            .iter()
            .position(|l| indent(l) <= own)
            .map_or(self.lines.len(), |i| index + 1 + i);
        if self.lines[index].ends_with(':') {
            self.lines.drain(index + 1..block_end);
        }
        self.lines[index] = format!("{key} {value}");
        u32::try_from(index + 1).expect("small")
    }

    fn text(&self) -> String {
        self.lines.join("\n") + "\n"
    }
}

/// What a field holds, which decides what a wrong value gives.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Text {
        required: bool,
    },
    /// An IANA zone name.
    Zone,
    Choice,
    Time,
    Share,
    Date,
    Bool,
    TextList,
    /// A list whose items must be mappings (timeline, tasks).
    MappingList {
        required: bool,
    },
    /// A list of text or mappings (measures).
    Measures {
        required: bool,
    },
    /// A value that must be of one form when written: a duration, a URL.
    Form {
        required: bool,
    },
    Mapping {
        required: bool,
    },
}

/// Every key of the format, from its field table: its kind, and the
/// section whose line prefix locates it in `BASE`.
fn fields() -> Vec<(&'static str, &'static str, Kind)> {
    use pm::incident::format::{Required, SECTIONS, Shape};
    let mut fields = Vec::new();
    for section in SECTIONS {
        // A count is one form of `affected`, which the base writes as a share.
        if section.name == Some("summary.affected") {
            continue;
        }
        for field in section.fields {
            // `root_cause` gives way to the base's `contributing_factors`.
            let required = matches!(field.required, Required::Yes | Required::OutsideDraft);
            let kind = match field.shape {
                Shape::Text | Shape::Ticket => Kind::Text { required },
                Shape::TextList | Shape::Tags => Kind::TextList,
                Shape::Duration | Shape::Url | Shape::Count => Kind::Form { required },
                Shape::Choice(_) => Kind::Choice,
                Shape::Zone => Kind::Zone,
                Shape::Time | Shape::EntryTime => Kind::Time,
                Shape::Affected(_) => Kind::Share,
                Shape::Date => Kind::Date,
                Shape::Flag => Kind::Bool,
                Shape::Map(_) => Kind::Mapping { required },
                Shape::List(_) => Kind::MappingList { required },
                Shape::TextOrMapList(_) => Kind::Measures { required },
            };
            fields.push((field.name, section.name.unwrap_or(""), kind));
        }
    }
    fields
}

/// Where a field's line is in `BASE`: the prefix that finds it (the first
/// line starting with it), and the key as the line writes it.
fn locator(section: &str, key: &str) -> (String, String) {
    let key_prefix = match (section, key) {
        ("", _) => format!("{key}:"),
        ("timeline", "at") => "  - at:".to_owned(),
        ("measures", "kind") => "  - kind:".to_owned(),
        ("tasks" | "contributing_factors", "text") => "  - text:".to_owned(),
        ("people", "name") => "  - name:".to_owned(),
        ("links", "label") => "  - label:".to_owned(),
        ("notes", "heading") => "  - heading:".to_owned(),
        ("summary" | "lessons", _) => format!("  {key}:"),
        _ => format!("    {key}:"),
    };
    let find = match (section, key) {
        // The first `text:` at this depth is the timeline's.
        ("measures", "text") => "    text: Add an index.".to_owned(),
        ("notes", "text") => "    text: Some background.".to_owned(),
        ("tasks", "text") => "  - text: Index the table.".to_owned(),
        ("contributing_factors", "kind") => "    kind: latent".to_owned(),
        ("tasks", "kind") => "    kind: prevent".to_owned(),
        ("links", "url") => "    url: https://example.com/dash".to_owned(),
        _ => key_prefix.clone(),
    };
    (find, key_prefix)
}

/// The wrong values tried in every field: `(name, YAML)`.
const VALUES: &[(&str, &str)] = &[
    ("list", "[a, b]"),
    ("mapping", "{a: 1}"),
    ("bool", "true"),
    ("int", "42"),
    ("float", "4.5"),
    ("word", "hello"),
    ("null", "~"),
];

/// The rule a value gives in a field of a kind, at the field's line; `None`
/// when the value is accepted, `Some((rule, false))` when the finding is
/// elsewhere (a missing field is reported where its mapping starts).
#[allow(clippy::match_same_arms)] // the order of the arms is the table
fn expected(kind: Kind, value: &str) -> Option<(&'static str, bool)> {
    use Kind::{
        Bool, Choice, Date, Form, Mapping, MappingList, Measures, Share, Text, TextList, Time, Zone,
    };
    let invalid = Some(("invalid-value", true));
    let missing = Some(("missing-field", false));
    match (kind, value) {
        (
            Text { required: true }
            | Zone
            | Time
            | Share
            | MappingList { required: true }
            | Measures { required: true }
            | Form { required: true }
            | Mapping { required: true },
            "null",
        ) => missing,
        (_, "null") => None,
        // A mapping is a count of who was affected, whose fields it lacks.
        (Mapping { .. } | Share, "mapping") => Some(("unknown-field", true)),
        (_, "list" | "mapping")
            if !matches!(kind, TextList | Measures { .. } | MappingList { .. }) =>
        {
            invalid
        }
        (Text { .. }, _) => None,
        (Zone, _) => Some(("unknown-timezone", true)),
        (Time, _) => Some(("invalid-time", true)),
        (Share, "int" | "float") => None,
        (Bool, "bool") => None,
        (TextList | Measures { .. }, "list") => None,
        (
            Choice
            | Share
            | Date
            | Bool
            | TextList
            | MappingList { .. }
            | Measures { .. }
            | Mapping { .. }
            | Form { .. },
            _,
        ) => invalid,
    }
}

#[test]
fn every_wrong_type_in_every_field_is_a_finding_at_that_field() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut cases = BTreeMap::new();
    for (key, section, kind) in fields() {
        for (name, value) in VALUES {
            let mut doc = Doc::base();
            let (find, key_prefix) = locator(section, key);
            let line = doc.set((&find, &key_prefix), value);
            let file = format!(
                "{}-{key}-{name}.yaml",
                if section.is_empty() { "top" } else { section }
            );
            std::fs::write(dir.path().join(&file), doc.text()).expect("write");
            cases.insert(file, (line, kind, *name));
        }
    }
    let run = pm(&["check", "--format", "json", "."], dir.path(), None);
    let found = findings(&run);
    let mut failures = Vec::new();
    for (file, (line, kind, value)) in &cases {
        let mine: Vec<&Finding> = found
            .iter()
            .filter(|f| f.file.trim_start_matches("./") == file)
            .collect();
        let on_line: Vec<&&Finding> = mine.iter().filter(|f| f.line == *line).collect();
        match expected(*kind, value) {
            None => {
                if !on_line.is_empty() {
                    failures.push(format!(
                        "{file}: {value} is fine in a {kind:?} field, got {on_line:?}"
                    ));
                }
            }
            Some((rule, here)) => {
                let hit = if here {
                    on_line.iter().any(|f| f.rule == rule)
                } else {
                    mine.iter().any(|f| f.rule == rule)
                };
                if !hit {
                    failures.push(format!(
                        "{file}: expected {rule} (line {line}), got {mine:?}"
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        cases.len() >= 32 * VALUES.len(),
        "every key of the format is tried"
    );
}

/// Writes each value of a manifest into `BASE` at `locate` and checks the
/// expected rule fires there, all in one run.
fn malformed(manifest_name: &str, locate: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut cases = Vec::new();
    for (index, case) in manifest(manifest_name).iter().enumerate() {
        let [rule, text] = &case[..] else {
            panic!("{manifest_name}: `{case:?}` is not rule, text")
        };
        let mut doc = Doc::base();
        // Single-quoted, so any text is a YAML string.
        let line = doc.set((locate, locate), &format!("'{}'", text.replace('\'', "''")));
        let file = format!("case-{index:03}.yaml");
        std::fs::write(dir.path().join(&file), doc.text()).expect("write");
        cases.push((file, line, rule.clone(), text.clone()));
    }
    let run = pm(&["check", "--format", "json", "."], dir.path(), None);
    let found = findings(&run);
    let mut failures = Vec::new();
    for (file, line, rule, text) in &cases {
        let mine: Vec<&Finding> = found
            .iter()
            .filter(|f| f.file.trim_start_matches("./") == file)
            .collect();
        let hit = mine
            .iter()
            .any(|f| &f.rule == rule && (f.line == *line || rule == "missing-field"));
        if !hit {
            failures.push(format!(
                "`{text}`: expected {rule} on line {line}, got {mine:?}"
            ));
        }
        assert!(
            mine.iter().all(|f| f.message.len() < 2000),
            "`{text}`: messages stay short"
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn malformed_times_are_findings_at_the_time() {
    malformed("times.tsv", "  - at:");
}

#[test]
fn malformed_zones_are_findings_at_the_zone() {
    malformed("zones.tsv", "timezone:");
}

/// A UTF-8 BOM and CRLF line endings change nothing: the same findings, at
/// the same places, byte for byte, in every format.
#[test]
fn bom_and_crlf_check_exactly_like_plain_text() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut sources: Vec<PathBuf> = Vec::new();
    for dir in [root.join("examples"), corpus()] {
        for entry in std::fs::read_dir(dir).expect("folder") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "yaml") {
                sources.push(path);
            }
        }
    }
    sources.sort();
    let plain = tempfile::tempdir().expect("temp dir");
    let windows = tempfile::tempdir().expect("temp dir");
    let mut compared = 0;
    for path in &sources {
        let bytes = std::fs::read(path).expect("read");
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue; // not text: nothing to convert
        };
        if text.contains('\r') || text.starts_with('\u{feff}') {
            continue;
        }
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        std::fs::write(plain.path().join(&name), text).expect("write");
        let converted = format!("\u{feff}{}", text.replace('\n', "\r\n"));
        std::fs::write(windows.path().join(&name), converted).expect("write");
        compared += 1;
    }
    // One run per folder and format: every file's findings, in order.
    for format in FORMATS {
        let args = ["check", "--format", format, "--color", "never", "."];
        let a = pm(&args, plain.path(), None);
        let b = pm(&args, windows.path(), None);
        assert_eq!(a.code, b.code, "--format {format}");
        assert_eq!(a.stdout, b.stdout, "--format {format}");
        assert!(a.stdout.len() > 1000, "the files have findings to compare");
    }
    assert!(compared >= 30, "only {compared} files compared");
}

/// A secret is never printed whole, in any format: not in messages, not in
/// the source lines the human format shows, not in a file that is not YAML.
#[test]
fn secrets_never_appear_whole_in_any_output() {
    let dir = tempfile::tempdir().expect("temp dir");
    let secrets = [
        // Not the values in the rules' own docs, which SARIF carries.
        "AKIAQ3X7PLM2RT8WZ5NV",
        "ghp_R8x2Lq9ZcVb4Nw7Ty1Ks5Pd3Fg6Hj0Mn2Xa8",
        "S3cr3tP4ss",
        "kwame.mensah@yahoo.com",
    ];
    let valid = format!(
        "title: Leak\nstatus: draft\nsummary:\n  impact: The runner logged {} and {}.\n  cause: \"postgres://app:{}@db.internal/app\"\n# paged {}\n",
        secrets[0], secrets[1], secrets[2], secrets[3]
    );
    std::fs::write(dir.path().join("leak.yaml"), &valid).expect("write");
    // The same, in a file that does not parse.
    std::fs::write(dir.path().join("broken.yaml"), format!("{valid}: [\n")).expect("write");
    for file in ["leak.yaml", "broken.yaml"] {
        for format in FORMATS {
            let run = pm(
                &["check", "--format", format, "--color", "never", file],
                dir.path(),
                None,
            );
            assert!(
                run.stdout.contains("secret"),
                "{file} {format}: {}",
                run.stdout
            );
            for secret in secrets {
                assert!(
                    !run.stdout.contains(secret) && !run.stderr.contains(secret),
                    "{file} --format {format} shows `{secret}`:\n{}",
                    run.stdout
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Output targets, batches and temporary files (issue 13).

/// A folder holding copies of the examples, all valid postmortems.
fn examples_copy() -> (tempfile::TempDir, Vec<String>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let examples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(examples).expect("examples") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let name = path
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            std::fs::copy(&path, dir.path().join(&name)).expect("copy");
            names.push(name);
        }
    }
    names.sort();
    (dir, names)
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success(), "mkfifo {}", path.display());
}

/// A FIFO, a folder, a socket or a device as the output is refused at once,
/// `--force` or not, and left as it is; nothing blocks on a FIFO.
#[cfg(unix)]
#[test]
fn outputs_that_are_not_regular_files_are_refused_even_with_force() {
    use std::os::unix::fs::FileTypeExt;
    let (dir, names) = examples_copy();
    let source = names[0].as_str();
    mkfifo(&dir.path().join("ff.md"));
    std::fs::create_dir(dir.path().join("folder.yaml")).expect("mkdir");
    let _socket =
        std::os::unix::net::UnixListener::bind(dir.path().join("sock.md")).expect("socket");
    let cases: [(&[&str], &str, &str); 5] = [
        (&["render", source, "-o", "ff.md"], "ff.md", "a FIFO"),
        (&["index", "-o", "ff.md"], "ff.md", "a FIFO"),
        (&["render", source, "-o", "sock.md"], "sock.md", "a socket"),
        (
            &["index", "-o", "/dev/null"],
            "/dev/null",
            "a character device",
        ),
        (
            &["render", source, "-o", "/dev/null"],
            "/dev/null",
            "a character device",
        ),
    ];
    for (args, target, kind) in cases {
        for force in [false, true] {
            let mut args = args.to_vec();
            if force {
                args.push("--force");
            }
            let run = pm(&args, dir.path(), None);
            assert_eq!(run.code, 1, "pm {args:?}: {}", run.stderr);
            assert!(
                run.stderr.contains(&format!("`{target}` is {kind}"))
                    && run.stderr.contains("not a regular file"),
                "pm {args:?}: {}",
                run.stderr
            );
        }
    }
    let ff = std::fs::symlink_metadata(dir.path().join("ff.md")).expect("ff.md");
    assert!(ff.file_type().is_fifo(), "the FIFO is still a FIFO");
    assert!(
        std::fs::metadata("/dev/null")
            .expect("/dev/null")
            .file_type()
            .is_char_device()
    );
    // `pm new` onto a folder of its file's name.
    let run = pm(
        &[
            "new",
            "Folder",
            "--date",
            "2024-03-01",
            "--no-input",
            "--force",
        ],
        dir.path(),
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let made = run.stdout.trim().to_owned();
    std::fs::remove_file(dir.path().join(&made)).expect("remove");
    std::fs::create_dir(dir.path().join(&made)).expect("mkdir");
    let run = pm(
        &[
            "new",
            "Folder",
            "--date",
            "2024-03-01",
            "--no-input",
            "--force",
        ],
        dir.path(),
        None,
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("is a folder, not a regular file"),
        "{}",
        run.stderr
    );
    assert!(dir.path().join(&made).is_dir());
    assert!(entries(dir.path()).iter().all(|n| !is_temp(n)));
}

/// A symlink at the target keeps its documented behaviour: `--force`
/// replaces the link, and what it points at, even a FIFO, is never opened.
#[cfg(unix)]
#[test]
fn a_symlink_to_a_fifo_is_replaced_with_force_and_never_opened() {
    let (dir, names) = examples_copy();
    mkfifo(&dir.path().join("ff"));
    std::os::unix::fs::symlink("ff", dir.path().join("link.md")).expect("symlink");
    let run = pm(&["render", &names[0], "-o", "link.md"], dir.path(), None);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("not generated by pm"), "{}", run.stderr);
    let run = pm(
        &["render", &names[0], "-o", "link.md", "--force"],
        dir.path(),
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let link = std::fs::symlink_metadata(dir.path().join("link.md")).expect("link.md");
    assert!(link.is_file(), "the link was replaced by the report");
}

/// A full disk while staging one report of a batch writes none of them and
/// leaves no temporary file. The full disk is injected (`PM_FAULT_WRITE`,
/// in debug builds only), so the test needs no root mount.
#[cfg(debug_assertions)]
#[test]
fn a_batch_that_cannot_be_staged_whole_writes_nothing() {
    let (dir, names) = examples_copy();
    std::fs::create_dir(dir.path().join("out")).expect("mkdir");
    let failing = names[1].replace(".yaml", ".md");
    let mut args = vec!["render"];
    args.extend(names.iter().map(String::as_str));
    args.extend(["-o", "out"]);
    let run = pm_env(&args, dir.path(), None, &[("PM_FAULT_WRITE", &failing)]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains(&failing), "{}", run.stderr);
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    assert_eq!(entries(&dir.path().join("out")), Vec::<String>::new());
    // And then, with room again, all of them.
    let run = pm(&args, dir.path(), None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(entries(&dir.path().join("out")).len(), names.len());
}

/// A full disk is reported once, not "No space left: No space left".
#[cfg(debug_assertions)]
#[test]
fn a_full_disk_is_reported_once_by_pm_new() {
    let dir = tempfile::tempdir().expect("temp dir");
    let name = "2024-03-01-full-disk.yaml";
    let run = pm_env(
        &["new", "Full disk", "--date", "2024-03-01", "--no-input"],
        dir.path(),
        None,
        &[("PM_FAULT_WRITE", name)],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    let reason = std::io::Error::from(std::io::ErrorKind::StorageFull).to_string();
    assert_eq!(run.stderr.matches(&reason).count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains(name), "{}", run.stderr);
    assert_eq!(entries(dir.path()), Vec::<String>::new());
}

/// The PID of a process that has exited.
fn dead_pid() -> u32 {
    let mut child = Command::new("true").spawn().expect("true runs");
    let pid = child.id();
    child.wait().expect("true exits");
    pid
}

/// Temporary files left by a pm killed with `kill -9` (a dead PID in the
/// name) are removed by the next run in that folder; those of a live
/// process, and files pm did not name, are kept.
#[cfg(target_os = "linux")]
#[test]
fn stale_temporaries_of_dead_processes_are_cleaned_by_the_next_run() {
    let (dir, names) = examples_copy();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).expect("mkdir");
    let dead = dead_pid();
    let stale = format!(".pm-{dead}-a1B2c3.tmp");
    let live = format!(".pm-{}-d4E5f6.tmp", std::process::id());
    let foreign = ".pm-notapid.tmp".to_owned();
    for name in [&stale, &live, &foreign] {
        std::fs::write(out.join(name), "half a report").expect("write");
        std::fs::write(dir.path().join(name), "half a scaffold").expect("write");
    }
    let mut args = vec!["render"];
    args.extend(names.iter().map(String::as_str));
    args.extend(["-o", "out"]);
    let run = pm(&args, dir.path(), None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let left = entries(&out);
    assert!(!left.contains(&stale), "{left:?}");
    assert!(left.contains(&live) && left.contains(&foreign), "{left:?}");
    // A second run with nothing to rewrite cleans too.
    std::fs::write(out.join(&stale), "again").expect("write");
    let run = pm(&args, dir.path(), None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!entries(&out).contains(&stale));

    // `pm new --force` in its folder.
    let run = pm(
        &[
            "new",
            "Stale",
            "--date",
            "2024-03-01",
            "--no-input",
            "--force",
        ],
        dir.path(),
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let left = entries(dir.path());
    assert!(!left.contains(&stale), "{left:?}");
    assert!(left.contains(&live) && left.contains(&foreign), "{left:?}");
}

/// Killed with `kill -9` in the middle of a batch, pm may leave temporary
/// files; the next run leaves none.
#[cfg(target_os = "linux")]
#[test]
fn a_run_killed_mid_batch_leaves_nothing_after_the_next_run() {
    let (dir, names) = examples_copy();
    let text = std::fs::read_to_string(dir.path().join(&names[0])).expect("read");
    let src = dir.path().join("src");
    std::fs::create_dir(&src).expect("mkdir");
    for n in 0..30 {
        std::fs::write(src.join(format!("p{n:03}.yaml")), &text).expect("write");
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_pm"))
        .args(["render", "src", "-o", "out"])
        .current_dir(dir.path())
        .env("PM_TODAY", "2024-03-01")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("pm starts");
    // Kill it as soon as it has staged something, or when it is done.
    let out = dir.path().join("out");
    let started = Instant::now();
    while started.elapsed() < TIME_LIMIT {
        let staged = out.is_dir() && entries(&out).iter().any(|n| is_temp(n));
        if staged || child.try_wait().expect("wait").is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let _ = child.kill();
    let _ = child.wait();
    let run = pm(&["render", "src", "-o", "out"], dir.path(), None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let left = entries(&out);
    assert_eq!(left.len(), 30, "{:?}", &left[..left.len().min(10)]);
    assert!(
        left.iter()
            .all(|n| Path::new(n).extension().is_some_and(|e| e == "md")),
        "{left:?}"
    );
}

/// `/dev/zero` is not a 1 MiB file but a device; a folder-free path to a
/// device is refused as such, while a FIFO (`pm check <(cat a.yaml)`) is
/// read as stdin is.
#[cfg(unix)]
#[test]
fn a_device_as_input_is_not_a_regular_file_and_a_fifo_is_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = pm(&["check", "/dev/zero"], dir.path(), None);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("`/dev/zero`: it is a character device, not a regular file"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("MiB") && !run.stdout.contains("MiB"));

    let example =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/email-service-outage.yaml");
    let fifo = dir.path().join("in.yaml");
    mkfifo(&fifo);
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let text = std::fs::read(example).expect("example");
            std::fs::write(fifo, text).expect("write the FIFO");
        })
    };
    let run = pm(&["check", "--format", "json", "in.yaml"], dir.path(), None);
    writer.join().expect("writer");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.trim(), "[]");
}

/// A temporary file of pm's, `.pm-*.tmp`.
fn is_temp(name: &str) -> bool {
    name.starts_with(".pm-") && Path::new(name).extension().is_some_and(|e| e == "tmp")
}

/// A postmortem of `BASE` with its first timeline time and zone replaced.
fn with_first_time(zone: &str, at: &str) -> String {
    BASE.replacen("timezone: Europe/London", &format!("timezone: {zone}"), 1)
        .replacen("  - at: 2023-09-10 16:00", &format!("  - at: {at}"), 1)
}

/// An abbreviation with the offset it stands for is read; one that
/// disagrees is `abbreviation-mismatch`, naming both.
#[test]
fn an_abbreviation_and_an_offset_must_agree() {
    let dir = tempfile::tempdir().expect("temp dir");
    let zone = "America/Los_Angeles";
    let agreeing = [
        "2023-09-10 16:00 PDT -07:00",
        "2023-09-10 16:00 -0700 (PDT)",
    ];
    for at in agreeing {
        std::fs::write(dir.path().join("ok.yaml"), with_first_time(zone, at)).expect("write");
        let run = pm(&["check", "--format", "json", "ok.yaml"], dir.path(), None);
        let found = findings(&run);
        assert!(
            found
                .iter()
                .all(|f| f.rule != "invalid-time" && f.rule != "abbreviation-mismatch"),
            "{at}: {found:?}"
        );
    }
    std::fs::write(
        dir.path().join("bad.yaml"),
        with_first_time(zone, "2023-09-10 16:00 PDT -05:00"),
    )
    .expect("write");
    let run = pm(&["check", "--format", "json", "bad.yaml"], dir.path(), None);
    let found = findings(&run);
    let mismatch: Vec<&Finding> = found
        .iter()
        .filter(|f| f.rule == "abbreviation-mismatch")
        .collect();
    assert_eq!(mismatch.len(), 1, "{found:?}");
    assert_eq!(
        mismatch[0].message,
        "`PDT` and `-05:00` disagree: PDT is -07:00, not -05:00"
    );
    assert_eq!((mismatch[0].line, mismatch[0].column), (20, 9));
    assert!(found.iter().all(|f| f.rule != "invalid-time"), "{found:?}");
}

/// Zones whose tzdata abbreviations are numbers (Antarctica/Troll's `+00`
/// and `+02`) print them as offsets, `+00:00`, like every other zone.
#[test]
fn numeric_zone_labels_print_as_offsets_in_gap_and_fold_messages() {
    let dir = tempfile::tempdir().expect("temp dir");
    let zone = "Antarctica/Troll";
    let bare = regex::Regex::new(r"[+-]0[02]\b[^:]").expect("regex");
    let cases = [
        ("gap.yaml", "2024-03-31 01:30", "nonexistent-time"),
        ("fold.yaml", "2024-10-27 02:30", "ambiguous-time"),
    ];
    for (name, at, rule) in cases {
        std::fs::write(dir.path().join(name), with_first_time(zone, at)).expect("write");
        for format in FORMATS {
            let run = pm(
                &["check", "--format", format, "--color", "never", name],
                dir.path(),
                None,
            );
            assert!(run.stdout.contains(rule), "{name} {format}: {}", run.stdout);
            assert!(
                run.stdout.contains("+00:00") && run.stdout.contains("+02:00"),
                "{name} {format}: {}",
                run.stdout
            );
            assert!(
                !bare.is_match(&run.stdout),
                "{name} {format} prints a bare `+00`/`+02`: {}",
                run.stdout
            );
        }
    }
}

/// User text cannot be turned against readers: links to schemes other than
/// http, https and mailto come out as text, a one-line field stays one
/// line, and bidi controls and zero-width characters show as code points,
/// in every format of `pm check`, in every built-in report and in the index.
#[test]
fn user_text_cannot_turn_outputs_against_readers() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = BASE
        .replacen(
            "title: Hostile base",
            "title: \"Hostile \u{202E}txet\u{202C} base\u{200B}\"",
            1,
        )
        .replacen(
            "  cause: A slow query.",
            "  cause: \"A slow query.\\n\\n# Injected heading\\n\\n[x](javascript:alert(1))\"",
            1,
        )
        .replacen(
            "root_cause: A slow query.",
            "root_cause: \"See [runbook](javascript:alert(1)), ![i](data:text/html,x) and [ok](https://ok.test).\"",
            1,
        )
        .replacen(
            "  - kind: corrective\n    text: Add an index.",
            "  - kind: corrective\n    text: \"Add an index \u{2066}now\u{2069}.\"",
            1,
        );
    std::fs::write(dir.path().join("hostile.yaml"), &text).expect("write");
    let raw = ['\u{202E}', '\u{202C}', '\u{200B}', '\u{2066}', '\u{2069}'];

    // `pm check`: a warning in prose, and the characters shown, never raw.
    for format in FORMATS {
        let run = pm(
            &[
                "check",
                "--format",
                format,
                "--color",
                "never",
                "hostile.yaml",
            ],
            dir.path(),
            None,
        );
        assert_eq!(run.code, 0, "{format}: {}", run.stderr);
        assert!(
            run.stdout.contains("invisible-character"),
            "{format}: {}",
            run.stdout
        );
        assert!(run.stdout.contains("<U+202E>"), "{format}: {}", run.stdout);
        assert!(
            !run.stdout.contains(raw),
            "{format} shows an invisible character raw:\n{}",
            run.stdout
        );
    }
    let found = findings(&pm(
        &["check", "--format", "json", "hostile.yaml"],
        dir.path(),
        None,
    ));
    let lines: Vec<u32> = found
        .iter()
        .filter(|f| f.rule == "invisible-character")
        .map(|f| f.line)
        .collect();
    assert_eq!(lines, [1, 1, 1, 43, 43], "{found:?}");

    // Reports and the index.
    let mut outputs = Vec::new();
    for template in pm::render::built_in() {
        let run = pm(
            &["render", "hostile.yaml", "--template", template],
            dir.path(),
            None,
        );
        assert_eq!(run.code, 0, "{template}: {}", run.stderr);
        outputs.push((template, run.stdout));
    }
    let run = pm(&["index", "."], dir.path(), None);
    assert_eq!(run.code, 0, "index: {}", run.stderr);
    outputs.push(("index", run.stdout));
    let live_link = regex::Regex::new(r"\]\(\s*<?\s*(?i:javascript|data):").expect("regex");
    for (name, output) in &outputs {
        assert!(
            !output.contains(raw),
            "{name} shows an invisible character raw:\n{output}"
        );
        assert!(output.contains("U+202E"), "{name}:\n{output}");
        assert!(
            !live_link.is_match(output),
            "{name} has a live unsafe link:\n{output}"
        );
        for line in output.lines() {
            assert!(
                !line.trim_start().starts_with("# Injected"),
                "{name} turned the cause into a heading:\n{output}"
            );
        }
    }
    // Safe links stay links; the cause stays on the line it is part of.
    let readme = &outputs[0].1;
    assert!(readme.contains("[ok](https://ok.test)"), "{readme}");
    assert!(
        readme.contains("A slow query. # Injected heading [x]\\(javascript:alert(1))"),
        "{readme}"
    );
}

/// A tmpfs mounted for a test, unmounted when dropped.
#[cfg(target_os = "linux")]
struct Tmpfs(PathBuf);

#[cfg(target_os = "linux")]
impl Tmpfs {
    /// `None` where mounting is not allowed (not root, or a container
    /// without the right): the injected-fault tests cover that case.
    fn mount(at: &Path, size: &str) -> Option<Tmpfs> {
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Tmpfs(at.to_path_buf()))
    }
}

#[cfg(target_os = "linux")]
impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// The case of issue 13 on a real full disk, where pm may mount one: new
/// reports that do not all fit in a 64 KiB tmpfs write none (20 used to
/// leave 3), and
/// `pm new` on a full disk reports the error once.
#[cfg(target_os = "linux")]
#[test]
fn a_full_tmpfs_gets_no_part_of_a_batch() {
    let (dir, _) = examples_copy();
    let text = std::fs::read_to_string(dir.path().join("email-service-outage.yaml")).expect("read");
    let mut args = vec!["render".to_owned()];
    // 40 reports of some 5 KiB: more than 64 KiB holds.
    for n in 0..40 {
        let name = format!("in{n:02}.yaml");
        std::fs::write(dir.path().join(&name), &text).expect("write");
        args.push(name);
    }
    let out = dir.path().join("out");
    std::fs::create_dir(&out).expect("mkdir");
    let Some(_tmpfs) = Tmpfs::mount(&out, "64k") else {
        eprintln!("no tmpfs could be mounted: covered by the injected faults");
        return;
    };
    args.extend(["-o".to_owned(), "out".to_owned()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = pm(&args, dir.path(), None);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("No space left"), "{}", run.stderr);
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    assert_eq!(entries(&out), Vec::<String>::new());

    // Fills the disk: the write stops when it is full.
    std::fs::write(out.join("fill"), vec![0_u8; 128 * 1024]).ok();
    let run = pm(
        &["new", "Full disk", "--date", "2024-03-01", "--no-input"],
        &out,
        None,
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr.matches("No space left").count(),
        1,
        "{}",
        run.stderr
    );
    assert_eq!(entries(&out), ["fill"]);
}
