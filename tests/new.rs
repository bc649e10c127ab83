//! `pm new` through the real binary.

mod common;

use common::{files_in, stderr, stdout};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const PM: &str = env!("CARGO_BIN_EXE_pm");

/// pm in `dir`, with no terminal, a fixed "today" and a fixed machine zone.
fn pm(dir: &Path) -> Command {
    let mut command = Command::new(PM);
    command
        .current_dir(dir)
        .env("PM_TODAY", "2024-02-29")
        .env("TZ", "UTC")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    command
}

fn run(command: &mut Command) -> Output {
    command.output().expect("pm runs")
}

fn temp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// `pm check` on text through stdin: its exit code and JSON findings.
fn check(text: &str) -> (i32, Vec<serde_json::Value>) {
    let mut child = Command::new(PM)
        .args(["check", "--format", "json", "-"])
        .env("PM_TODAY", "2024-02-29")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("pm check runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(text.as_bytes())
        .expect("write stdin");
    let output = child.wait_with_output().expect("pm check ends");
    let findings: Vec<serde_json::Value> =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
            panic!(
                "JSON from pm check: {e}\n{}",
                String::from_utf8_lossy(&output.stdout)
            )
        });
    (output.status.code().expect("exit code"), findings)
}

fn severities(findings: &[serde_json::Value]) -> Vec<(String, String)> {
    findings
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_owned(),
                f["severity"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[test]
fn file_names_come_from_the_date_and_a_slug_of_the_title() {
    let long = "Database connection pool exhausted after a retry storm from the checkout service during the spring sale";
    let cases = [
        ("Café outage!", "2024-02-29-cafe-outage.yaml"),
        (
            "Überlast: Datenbank (Köln)",
            "2024-02-29-uberlast-datenbank-koln.yaml",
        ),
        (
            "API 5xx: /v2/orders & /v2/users?!",
            "2024-02-29-api-5xx-v2-orders-v2-users.yaml",
        ),
        ("数据库过载", "2024-02-29-shu-ju-ku-guo-zai.yaml"),
        ("🔥", "2024-02-29-fire.yaml"),
        ("!!! ???", "2024-02-29-incident.yaml"),
        (
            long,
            "2024-02-29-database-connection-pool-exhausted-after-a-retry-storm-from.yaml",
        ),
    ];
    for (title, expected) in cases {
        let dir = temp();
        let output = run(pm(dir.path()).args(["new", title]));
        assert_eq!(
            output.status.code(),
            Some(0),
            "{title}: {}",
            stderr(&output)
        );
        assert_eq!(stdout(&output), format!("{expected}\n"), "{title}");
        // With the schema the modeline points to, made on the first run.
        assert_eq!(files_in(dir.path()), [".pm", expected], "{title}");
        let slug = expected
            .strip_prefix("2024-02-29-")
            .and_then(|s| s.strip_suffix(".yaml"))
            .expect("shape");
        assert!(slug.len() <= 60, "{slug}");
        assert!(
            slug.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{slug}"
        );
        // The title itself is kept as written, whatever YAML makes of its characters.
        let text = std::fs::read_to_string(dir.path().join(expected)).expect("read");
        let tree = pm::yaml::parse(&text).expect("valid YAML");
        let pm::yaml::Value::Map(entries) = tree.value else {
            panic!("a mapping")
        };
        assert_eq!(
            entries[0].1.value,
            pm::yaml::Value::Str(title.to_owned().into()),
            "{title}"
        );
    }
}

#[test]
fn the_date_is_the_one_given_or_today() {
    let dir = temp();
    let output = run(pm(dir.path()).args(["new", "Leap day", "--date", "2028-02-29"]));
    assert_eq!(stdout(&output), "2028-02-29-leap-day.yaml\n");
    let output = run(pm(dir.path()).args(["new", "Today"]));
    assert_eq!(stdout(&output), "2024-02-29-today.yaml\n", "PM_TODAY");
    let output = run(pm(dir.path()).args([
        "new",
        "Night",
        "--timezone",
        "UTC",
        "--start",
        "2024-03-01 00:10",
    ]));
    assert_eq!(
        stdout(&output),
        "2024-03-01-night.yaml\n",
        "a start with a date dates the incident"
    );
    let output = run(pm(dir.path()).args(["new", "x", "--date", "2023-02-29"]));
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("not a calendar date"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn an_existing_file_is_never_overwritten_without_force() {
    let dir = temp();
    let path = dir.path().join("2024-02-29-email-outage.yaml");
    assert!(
        run(pm(dir.path()).args(["new", "Email outage"]))
            .status
            .success()
    );
    std::fs::write(&path, "title: my notes\n").expect("edit");

    let output = run(pm(dir.path()).args(["new", "Email outage", "--service", "Email"]));
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("`2024-02-29-email-outage.yaml` already exists"),
        "{}",
        stderr(&output)
    );
    assert!(stderr(&output).contains("--force"));
    assert_eq!(stdout(&output), "", "no path: nothing was written");
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        "title: my notes\n"
    );

    let output = run(pm(dir.path()).args(["new", "Email outage", "--service", "Email", "--force"]));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains("service: Email\n"), "replaced");
    assert_eq!(
        files_in(dir.path()),
        [".pm", "2024-02-29-email-outage.yaml"],
        "no temporary files left"
    );
}

#[test]
fn dir_is_created_and_stdout_writes_nothing() {
    let dir = temp();
    let output = run(pm(dir.path()).args(["new", "Disk full", "--dir", "postmortems/2024"]));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let expected = Path::new("postmortems/2024").join("2024-02-29-disk-full.yaml");
    assert_eq!(stdout(&output), format!("{}\n", expected.display()));
    assert!(dir.path().join(&expected).is_file());

    let dir = temp();
    let output = run(pm(dir.path()).args(["new", "Disk full", "--stdout"]));
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("title: Disk full\n"));
    assert!(files_in(dir.path()).is_empty(), "--stdout writes no file");
}

#[test]
fn a_fresh_scaffold_passes_as_a_draft_and_fails_as_final() {
    let dir = temp();
    let output = run(pm(dir.path()).args(["new", "Queue backlog", "--timezone", "Africa/Lagos"]));
    let path = dir.path().join(stdout(&output).trim());
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains("status: draft\n"));

    let checked = run(pm(dir.path()).args(["check"]).arg(&path));
    assert_eq!(checked.status.code(), Some(0), "{}", stdout(&checked));
    assert!(stdout(&checked).contains("warning[placeholder]"));
    assert!(!stdout(&checked).contains("error["), "{}", stdout(&checked));

    let (code, findings) = check(&text);
    assert_eq!(code, 0);
    assert!(!findings.is_empty());
    assert!(
        severities(&findings)
            .iter()
            .all(|(rule, severity)| rule == "placeholder" && severity == "warning"),
        "{findings:?}"
    );

    let final_text = text.replace("status: draft", "status: final");
    let (code, final_findings) = check(&final_text);
    assert_eq!(code, 1, "placeholders fail a final postmortem");
    assert_eq!(final_findings.len(), findings.len());
    assert!(
        severities(&final_findings)
            .iter()
            .all(|(rule, severity)| rule == "placeholder" && severity == "error")
    );
}

/// Fills every placeholder the way a person would, by the key it sits under:
/// times in order, a share, a date, a detection source, text.
fn fill_in(scaffold: &str) -> String {
    let times = [
        "16:00", "16:10", "16:20", "16:30", "16:40", "16:50", "17:00",
    ];
    let mut timeline = times.iter();
    let mut out = String::new();
    for line in scaffold.lines() {
        let (Some(open), Some(close)) = (line.find('<'), line.rfind('>')) else {
            out.push_str(line);
            out.push('\n');
            continue;
        };
        let key = line[..open]
            .trim()
            .trim_start_matches("- ")
            .trim_end_matches(|c: char| c.is_ascii_digit() || c == '-' || c == ' ')
            .trim_end_matches(':');
        let dated = line[..open]
            .trim_end()
            .ends_with(|c: char| c.is_ascii_digit());
        let value = match key {
            "start" => "16:00".to_owned(),
            "end" => "17:00".to_owned(),
            "at" => {
                let time = timeline.next().expect("seven entries");
                if dated {
                    (*time).to_owned()
                } else {
                    format!("\"{time}\"")
                }
            }
            "severity" => "SEV2".to_owned(),
            "affected" => "20%".to_owned(),
            "due" => "2024-03-15".to_owned(),
            "how" => "monitoring".to_owned(),
            "owner" => "sre-team".to_owned(),
            _ => "Real content written by the team.".to_owned(),
        };
        out.push_str(&line[..open]);
        out.push_str(&value);
        out.push_str(&line[close + 1..]);
        out.push('\n');
    }
    out
}

#[test]
fn once_every_placeholder_is_replaced_it_passes_as_final() {
    let dir = temp();
    let output = run(pm(dir.path()).args(["new", "Queue backlog", "--stdout"]));
    let filled = fill_in(&stdout(&output)).replace("status: draft", "status: final");
    assert!(!filled.contains('<'), "{filled}");
    let (code, findings) = check(&filled);
    assert_eq!(code, 0, "{findings:#?}\n{filled}");
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn an_abbreviation_is_refused_with_the_zones_that_use_it() {
    let dir = temp();
    let output = run(pm(dir.path()).args([
        "new",
        "Email outage",
        "--timezone",
        "WAT",
        "--date",
        "2023-09-10",
    ]));
    assert_eq!(output.status.code(), Some(2));
    assert!(files_in(dir.path()).is_empty(), "nothing written");
    insta::assert_snapshot!(stderr(&output));

    let output = run(pm(dir.path()).args(["new", "x", "--timezone", "africa/lagos"]));
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("did you mean `Africa/Lagos`?"),
        "{}",
        stderr(&output)
    );
    assert!(files_in(dir.path()).is_empty());
}

#[test]
fn without_a_terminal_a_title_is_required_and_nothing_is_asked() {
    let dir = temp();
    for args in [&["new"][..], &["new", "--no-input"][..]] {
        let output = run(pm(dir.path()).args(args));
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let message = stderr(&output);
        assert!(message.contains("pm new needs a title"), "{message}");
        assert!(
            message.contains("pm new \"Database overload\""),
            "{message}"
        );
        assert_eq!(stdout(&output), "", "no prompt on stdout");
    }
    assert!(files_in(dir.path()).is_empty());
    // With a title and no terminal, the rest are placeholders and the machine's zone.
    let output =
        run(pm(dir.path())
            .env("TZ", "Asia/Kathmandu")
            .args(["new", "Search slow", "--stdout"]));
    let text = stdout(&output);
    assert!(
        text.contains("timezone: Asia/Kathmandu\n"),
        "TZ is respected"
    );
    assert!(text.contains("service: <what was down or slow>\n"));
    assert!(text.contains("start: 2024-02-29 <HH:MM when impact began>\n"));
}

#[test]
fn scaffolds_pass_as_drafts_across_zones_and_dates() {
    let zones = [
        "UTC",
        "Pacific/Chatham",
        "Asia/Kathmandu",
        "America/St_Johns",
        "Europe/London",
        "Australia/Lord_Howe",
        "Pacific/Kiritimati",
    ];
    // A leap day, the DST changes of these zones in 2024, and the year's end.
    let dates = [
        "2024-02-29",
        "2024-03-10",
        "2024-03-31",
        "2024-04-07",
        "2024-09-29",
        "2024-10-06",
        "2024-10-27",
        "2024-11-03",
        "2024-12-31",
    ];
    let dir = temp();
    for zone in zones {
        for date in dates {
            for start in [None, Some("12:00")] {
                let mut command = pm(dir.path());
                command.args([
                    "new",
                    "Queue backlog",
                    "--stdout",
                    "--timezone",
                    zone,
                    "--date",
                    date,
                ]);
                if let Some(start) = start {
                    command.args(["--start", start]);
                }
                let output = run(&mut command);
                assert_eq!(
                    output.status.code(),
                    Some(0),
                    "{zone} {date}: {}",
                    stderr(&output)
                );
                let text = stdout(&output);
                assert!(text.contains(&format!("timezone: {zone}\n")));
                let start_line = match start {
                    Some(time) => format!("  start: {date} {time}\n"),
                    None => format!("  start: {date} <HH:MM when impact began>\n"),
                };
                assert!(text.contains(&start_line), "{zone} {date}: {start_line}");
                let (code, findings) = check(&text);
                assert_eq!(code, 0, "{zone} {date} {start:?}: {findings:#?}");
                assert!(
                    severities(&findings)
                        .iter()
                        .all(|(_, severity)| severity == "warning"),
                    "{zone} {date}: {findings:#?}"
                );
            }
        }
    }
}

#[test]
fn start_times_at_clock_changes_are_checked_at_once() {
    let dir = temp();
    let refused = [
        // Clocks went forward over 01:30.
        ("Europe/London", "2024-03-31", "01:30", "does not exist"),
        // Clocks went back: 01:30 happened twice.
        ("Europe/London", "2024-10-27", "01:30", "`01:30 BST`"),
        // Lord Howe moves by half an hour.
        (
            "Australia/Lord_Howe",
            "2024-04-07",
            "01:45",
            "happened twice",
        ),
        (
            "Australia/Lord_Howe",
            "2024-10-06",
            "02:15",
            "does not exist",
        ),
        ("Pacific/Chatham", "2024-09-29", "03:00", "does not exist"),
        ("America/St_Johns", "2024-11-03", "01:30", "happened twice"),
        ("America/St_Johns", "2024-07-01", "12:00 NST", "NDT"),
        ("UTC", "2024-02-29", "4ish", "HH:MM"),
    ];
    for (zone, date, start, expected) in refused {
        let output = run(pm(dir.path()).args([
            "new",
            "x",
            "--timezone",
            zone,
            "--date",
            date,
            "--start",
            start,
        ]));
        assert_eq!(output.status.code(), Some(2), "{zone} {date} {start}");
        assert!(
            stderr(&output).contains(expected),
            "{zone} {date} {start}: {}",
            stderr(&output)
        );
    }
    assert!(files_in(dir.path()).is_empty(), "nothing written");

    let accepted = [
        ("Europe/London", "2024-10-27", "01:30 BST"),
        ("Europe/London", "2024-10-27", "01:30 GMT"),
        ("Australia/Lord_Howe", "2024-04-07", "01:45 +11:00"),
        ("America/St_Johns", "2024-11-03", "01:30 NST"),
        ("Asia/Kathmandu", "2024-02-29", "4:05 PM"),
    ];
    for (zone, date, start) in accepted {
        let output = run(pm(dir.path()).args([
            "new",
            "x",
            "--stdout",
            "--timezone",
            zone,
            "--date",
            date,
            "--start",
            start,
        ]));
        assert_eq!(
            output.status.code(),
            Some(0),
            "{zone} {start}: {}",
            stderr(&output)
        );
        let (code, findings) = check(&stdout(&output));
        assert_eq!(code, 0, "{zone} {date} {start}: {findings:#?}");
    }
}

#[test]
fn one_scaffold_in_full() {
    let dir = temp();
    let output = run(pm(dir.path()).args([
        "new",
        "Email service outage",
        "--stdout",
        "--date",
        "2023-09-10",
        "--timezone",
        "Africa/Lagos",
        "--start",
        "16:00",
        "--severity",
        "SEV2",
        "--service",
        "Cloud email: EU",
    ]));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    insta::assert_snapshot!(stdout(&output));
}

// --- On a terminal ------------------------------------------------------

/// pm new on a pseudo-terminal, through util-linux `script`. Each step waits
/// for text to appear on the terminal, then types its keys. Returns the exit
/// code and what the terminal showed.
fn on_terminal(dir: &Path, args: &str, steps: &[(&str, &[u8])]) -> (i32, String) {
    let command = format!("'{PM}' new {args}");
    let mut child = Command::new("script")
        .args(["--quiet", "--return", "--command", &command, "/dev/null"])
        .current_dir(dir)
        .env("PM_TODAY", "2024-02-29")
        .env("TZ", "UTC")
        .env("NO_COLOR", "1")
        .env("SHELL", "/bin/sh")
        .env("TERM", "xterm")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("util-linux `script` runs pm on a pseudo-terminal");
    // stdin stays open until pm ends, as a person's would.
    let mut stdin = child.stdin.take().expect("stdin");
    let mut out = child.stdout.take().expect("stdout");
    let shown = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&shown);
    let reader = std::thread::spawn(move || {
        let mut buffer = [0; 4096];
        while let Ok(n) = out.read(&mut buffer) {
            if n == 0 {
                break;
            }
            sink.lock().expect("lock").extend_from_slice(&buffer[..n]);
        }
    });
    let text = |shown: &Arc<Mutex<Vec<u8>>>| {
        String::from_utf8_lossy(&shown.lock().expect("lock")).into_owned()
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut steps = steps.iter();
    let mut waiting = steps.next();
    let mut typed_from = 0;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if let Some((wait_for, keys)) = waiting {
            let seen = text(&shown);
            if let Some(at) = seen[typed_from..].find(wait_for) {
                typed_from += at + wait_for.len();
                // Let the prompt start reading keys.
                std::thread::sleep(Duration::from_millis(200));
                stdin.write_all(keys).expect("type");
                stdin.flush().expect("flush");
                waiting = steps.next();
            }
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("pm new did not finish on the terminal: {}", text(&shown));
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    drop(stdin);
    reader.join().expect("reader");
    assert!(
        waiting.is_none(),
        "pm ended before asking {waiting:?}: {}",
        text(&shown)
    );
    (status.code().expect("exit code"), text(&shown))
}

/// The postmortems written (not the `.pm` folder of the schema).
fn written(dir: &Path) -> Vec<PathBuf> {
    files_in(dir)
        .into_iter()
        .filter(|name| name != ".pm")
        .map(|name| dir.join(name))
        .collect()
}

#[test]
fn on_a_terminal_it_asks_for_what_is_missing() {
    let dir = temp();
    let (code, shown) = on_terminal(
        dir.path(),
        "",
        &[
            ("Title", "Café outage\r".as_bytes()),
            ("Service", b"Cloud email\r"),
            ("Time zone", b"WAT\r"),
            ("abbreviation", b"Africa/Lagos\r"),
            ("Start of impact", b"4ish\r"),
            ("does not start with a time", b"16:05\r"),
        ],
    );
    assert_eq!(code, 0, "{shown}");
    for prompt in [
        "Title",
        "Service",
        "Time zone (IANA) [UTC]",
        "Start of impact",
    ] {
        assert!(shown.contains(prompt), "asked for {prompt}: {shown}");
    }
    assert!(shown.contains("`WAT` is an abbreviation"), "{shown}");
    assert!(shown.contains("Africa/Lagos"), "{shown}");
    assert!(
        shown.contains("`4ish` does not start with a time"),
        "{shown}"
    );
    let files = written(dir.path());
    assert_eq!(files_in(dir.path()), [".pm", "2024-02-29-cafe-outage.yaml"]);
    let text = std::fs::read_to_string(&files[0]).expect("read");
    assert!(text.contains("title: Café outage\n"));
    assert!(text.contains("service: Cloud email\n"));
    assert!(text.contains("timezone: Africa/Lagos\n"));
    assert!(text.contains("start: 2024-02-29 16:05\n"));
    let (code, findings) = check(&text);
    assert_eq!(code, 0, "{findings:#?}");
}

#[test]
fn on_a_terminal_empty_answers_leave_placeholders_and_defaults() {
    let dir = temp();
    let (code, shown) = on_terminal(
        dir.path(),
        "'Disk full'",
        &[("Service", b"\r"), ("Time zone", b"\r"), ("Start", b"\r")],
    );
    assert_eq!(code, 0, "{shown}");
    assert!(!shown.contains("Title"), "the title was given: {shown}");
    let text =
        std::fs::read_to_string(dir.path().join("2024-02-29-disk-full.yaml")).expect("written");
    assert!(text.contains("service: <what was down or slow>\n"));
    assert!(text.contains("timezone: UTC\n"), "the default zone");
    assert!(text.contains("start: 2024-02-29 <HH:MM when impact began>\n"));
}

#[test]
fn on_a_terminal_no_input_and_interrupts_write_nothing() {
    let dir = temp();
    let (code, shown) = on_terminal(dir.path(), "--no-input", &[]);
    assert_eq!(code, 2, "{shown}");
    assert!(shown.contains("--no-input is set"), "{shown}");

    let (code, shown) = on_terminal(
        dir.path(),
        "",
        &[("Title", b"Half a tit"), ("Half a tit", b"\x03")],
    );
    assert_eq!(code, 130, "Ctrl-C stops pm as SIGINT: {shown}");
    assert!(files_in(dir.path()).is_empty(), "nothing written");

    let (code, shown) = on_terminal(
        dir.path(),
        "'All given' --service x --timezone UTC --start 10:00",
        &[],
    );
    assert_eq!(code, 0, "nothing missing, nothing asked: {shown}");
    assert_eq!(files_in(dir.path()), [".pm", "2024-02-29-all-given.yaml"]);
}

#[test]
fn today_is_the_date_in_the_incidents_zone() {
    // Kiritimati (UTC+14) is always one or two dates ahead of Pago Pago (UTC-11).
    let dir = temp();
    let date_in = |zone: &str| {
        let output = run(pm(dir.path()).env_remove("PM_TODAY").args([
            "new",
            "x",
            "--stdout",
            "--timezone",
            zone,
        ]));
        let text = stdout(&output);
        let line = text
            .lines()
            .find_map(|l| l.strip_prefix("  start: "))
            .expect("a start line");
        chrono::NaiveDate::parse_from_str(&line[..10], "%Y-%m-%d").expect("a date")
    };
    let ahead = date_in("Pacific/Kiritimati");
    let behind = date_in("Pacific/Pago_Pago");
    let days = (ahead - behind).num_days();
    assert!(days == 1 || days == 2, "{ahead} and {behind}");
}

#[test]
fn the_machine_zone_comes_from_tz_in_any_form() {
    let dir = temp();
    for (tz, expected) in [
        ("Europe/London", "Europe/London"),
        (":America/St_Johns", "America/St_Johns"),
        (":/usr/share/zoneinfo/Pacific/Chatham", "Pacific/Chatham"),
        ("Etc/UTC", "UTC"),
    ] {
        let output = run(pm(dir.path()).env("TZ", tz).args(["new", "x", "--stdout"]));
        assert!(
            stdout(&output).contains(&format!("\ntimezone: {expected}\n")),
            "TZ={tz}"
        );
    }
}

#[test]
fn pm_toml_sets_the_folder_and_zone_and_the_schema_line_finds_the_root() {
    let root = temp();
    std::fs::write(
        root.path().join("pm.toml"),
        "[defaults]\ntimezone = \"Asia/Kathmandu\"\ndir = \"postmortems\"\n",
    )
    .expect("pm.toml");
    let sub = root.path().join("team");
    std::fs::create_dir_all(&sub).expect("sub folder");
    // Run from a sub folder: pm.toml is found by walking up.
    let output = run(pm(&sub).args(["new", "Disk full", "--no-input"]));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let written = root.path().join("postmortems/2024-02-29-disk-full.yaml");
    assert_eq!(
        stdout(&output).trim(),
        "../postmortems/2024-02-29-disk-full.yaml"
    );
    let text = std::fs::read_to_string(&written).expect("written where pm.toml says");
    assert!(
        text.starts_with("# yaml-language-server: $schema=../.pm/schema.json\n"),
        "{text}"
    );
    assert!(text.contains("timezone: Asia/Kathmandu"), "{text}");
}

#[test]
fn the_schema_the_modeline_points_to_is_created_at_the_root_once() {
    let root = temp();
    std::fs::write(
        root.path().join("pm.toml"),
        "[defaults]\ndir = \"postmortems\"\n",
    )
    .expect("pm.toml");
    let sub = root.path().join("team");
    std::fs::create_dir_all(&sub).expect("sub folder");
    let output = run(pm(&sub).args(["new", "Disk full", "--no-input"]));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let schema = root.path().join(".pm/schema.json");
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&schema).expect("schema written"))
            .expect("JSON");
    assert_eq!(written, pm::incident::schema::schema());
    assert!(
        stderr(&output).contains("Created ../.pm/schema.json"),
        "{}",
        stderr(&output)
    );
    // The modeline resolves to it.
    let text = std::fs::read_to_string(root.path().join("postmortems/2024-02-29-disk-full.yaml"))
        .expect("postmortem");
    let line = text.lines().next().expect("modeline");
    let relative = line
        .strip_prefix("# yaml-language-server: $schema=")
        .expect("modeline");
    assert!(
        root.path().join("postmortems").join(relative).is_file(),
        "{line}"
    );
    // Once there, it is the user's: kept, and not mentioned again.
    std::fs::write(&schema, "{}").expect("edit");
    let output = run(pm(&sub).args(["new", "Disk full again", "--no-input"]));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(!stderr(&output).contains("schema"), "{}", stderr(&output));
    assert_eq!(std::fs::read_to_string(&schema).expect("schema"), "{}");
}
