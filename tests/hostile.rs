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

/// Far more than any case takes in a debug build (the slowest, one run over
/// the ~350 files of every wrong type in every field, takes 2 s of CPU), so
/// a busy machine does not fail, while a quadratic slip (minutes, before the
/// fixes) does.
const TIME_LIMIT: Duration = Duration::from_secs(15);

const FORMATS: [&str; 4] = ["json", "human", "github", "sarif"];

#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs pm with a time limit, feeding `stdin`, and checks it did not panic.
fn pm(args: &[&str], dir: &Path, stdin: Option<Vec<u8>>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pm"))
        .args(args)
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
