//! `pm render` through the real binary.

mod common;

use common::{code, files_in, stderr, stdout};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The built-in report templates, from pm's registry.
fn templates() -> Vec<&'static str> {
    let names: Vec<&str> = pm::render::built_in().collect();
    assert!(names.len() >= 3, "{names:?}");
    names
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn pm_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pm"))
        .args(args)
        .current_dir(dir)
        .env("PM_TODAY", "2024-09-01")
        .env_remove("NO_COLOR")
        .output()
        .expect("pm runs")
}

fn pm(args: &[&str]) -> Output {
    pm_in(root(), args)
}

/// Renders and expects success.
fn render(args: &[&str]) -> String {
    let out = pm(args);
    assert_eq!(code(&out), 0, "pm {args:?} failed:\n{}", stderr(&out));
    stdout(&out)
}

fn examples() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .expect("examples/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= 4, "the examples are there");
    files
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .expect("under the project")
        .display()
        .to_string()
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .expect("stem")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn every_built_in_template_on_every_example() {
    for example in examples() {
        for template in templates() {
            let markdown = render(&["render", &relative(&example), "--template", template]);
            insta::assert_snapshot!(format!("{template}__{}", stem(&example)), markdown);
        }
    }
}

#[test]
fn a_dst_crossing_incident_has_its_true_length_and_both_abbreviations() {
    let markdown = render(&["render", "tests/fixtures/dst-crossing.yaml"]);
    assert!(
        markdown.contains("**Duration:** 2 h, from 2026-03-29 00:30 GMT to 2026-03-29 03:30 BST"),
        "{markdown}"
    );
    insta::assert_snapshot!("readme__dst-crossing", markdown);
}

#[test]
fn html_in_user_text_is_shown_not_interpreted() {
    for template in templates() {
        let markdown = render(&["render", "tests/fixtures/html-text.yaml", "-t", template]);
        assert!(!markdown.contains("<script>"), "{template}: {markdown}");
        assert!(!markdown.contains("<b>"), "{template}: {markdown}");
        if template != "brief" {
            // Code spans show text literally, so they are left alone.
            assert!(markdown.contains("`<widget>`"), "{template}: {markdown}");
        }
    }
    insta::assert_snapshot!(
        "sre__html-text",
        render(&["render", "tests/fixtures/html-text.yaml", "-t", "sre"])
    );
}

#[test]
fn a_draft_with_little_in_it_renders_with_every_template() {
    for template in templates() {
        let markdown = render(&[
            "render",
            "tests/fixtures/draft-minimal.yaml",
            "-t",
            template,
        ]);
        assert!(markdown.contains("# "), "{template}: {markdown}");
        assert!(!markdown.contains("\n\n\n"), "{template}: {markdown}");
    }
}

/// Text as a report shows it: HTML escaped, whitespace collapsed, table
/// pipes unescaped.
fn shown(text: &str) -> String {
    pm::template::filters::escape(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("\\|", "|")
}

fn load(path: &Path) -> pm::incident::Incident {
    let text = std::fs::read_to_string(path).expect("read");
    let today = chrono::NaiveDate::from_ymd_opt(2024, 9, 1).expect("date");
    let checked = pm::check::check(
        pm::source::Source::new(relative(path), &text),
        &pm::check::Settings::new(today),
    );
    assert_eq!(checked.errors(), 0, "{} checks clean", path.display());
    checked.incident.expect("decoded")
}

#[test]
fn nothing_of_the_yaml_is_lost_in_readme_and_sre() {
    for example in examples() {
        let incident = load(&example);
        let zone = incident.zone.expect("zone");
        for template in ["readme", "sre"] {
            // Table cells keep dates and owners together with non-breaking
            // hyphens; a reader reads them as hyphens.
            let markdown =
                render(&["render", &relative(&example), "-t", template]).replace('\u{2011}', "-");
            let lines: Vec<String> = markdown.lines().map(shown).collect();
            let all = shown(&markdown);
            let whose = format!("{template} of {}", stem(&example));
            let mut checked = 0;
            for entry in &incident.timeline {
                let text = entry.text.as_ref().expect("entry text");
                let first_line = shown(text.value.lines().next().expect("a line"));
                // A date alone or `unknown` shows as written.
                let at = entry.instant().map_or_else(
                    || entry.at.as_ref().expect("a time").written.value.to_string(),
                    |at| at.with_timezone(&zone).format("%H:%M").to_string(),
                );
                assert!(
                    lines
                        .iter()
                        .any(|l| l.contains(&at) && l.contains(&first_line)),
                    "{whose}: timeline entry at {at} `{first_line}` is missing"
                );
                assert!(
                    all.contains(&shown(&text.value)),
                    "{whose}: `{}`",
                    text.value
                );
                if let Some(to) = &entry.to {
                    assert!(
                        all.contains(&shown(&to.value)),
                        "{whose}: escalated to {}",
                        to.value
                    );
                }
                checked += 1;
            }
            for measure in &incident.measures {
                assert!(
                    all.contains(&shown(&measure.text.value)),
                    "{whose}: measure `{}` is missing",
                    measure.text.value
                );
                checked += 1;
            }
            for task in &incident.tasks {
                let text = shown(&task.text.as_ref().expect("task text").value);
                let owner = &task.owner.as_ref().expect("owner").value;
                let due = task.due.as_ref().expect("due").value.to_string();
                assert!(
                    lines.iter().any(|l| l.contains(&text)
                        && l.contains(owner.as_str())
                        && l.contains(&due)),
                    "{whose}: task `{text}` with its owner and due date is missing"
                );
                checked += 1;
            }
            if let Some(lessons) = &incident.lessons {
                for lesson in lessons
                    .went_well
                    .iter()
                    .chain(&lessons.went_wrong)
                    .chain(&lessons.lucky)
                {
                    assert!(
                        all.contains(&shown(&lesson.value)),
                        "{whose}: lesson `{}` is missing",
                        lesson.value
                    );
                    checked += 1;
                }
            }
            for text in [incident.root_cause(), incident.resolution()]
                .into_iter()
                .flatten()
            {
                assert!(
                    all.contains(&shown(&text.value)),
                    "{whose}: `{}`",
                    text.value
                );
            }
            assert!(checked > 10, "{whose}: the walk found the content");
        }
    }
}

#[test]
fn the_brief_names_no_one_and_keeps_misleading_paths_out() {
    for example in examples() {
        let incident = load(&example);
        let brief = render(&["render", &relative(&example), "-t", "brief"]);
        let mut internal: Vec<&str> = incident.authors.iter().map(|a| a.value.as_str()).collect();
        internal.extend(
            incident
                .tasks
                .iter()
                .filter_map(|t| t.owner.as_ref())
                .map(|o| o.value.as_str()),
        );
        for entry in &incident.timeline {
            internal.extend(entry.to.as_ref().map(|t| t.value.as_str()));
            // No timeline text at all: misleading paths included.
            internal.extend(entry.text.as_ref().map(|t| t.value.as_str()));
        }
        assert!(internal.len() > 5, "{}", stem(&example));
        for name in internal {
            assert!(
                !brief.contains(name),
                "{}: the brief mentions `{name}`:\n{brief}",
                stem(&example)
            );
        }
        for measure in &incident.measures {
            assert!(
                brief.contains(measure.text.value.trim()),
                "{}",
                measure.text.value
            );
        }
    }
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

/// Splits a report into its `## ` sections, by heading.
fn sections(markdown: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in markdown.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            out.push((heading.to_owned(), String::new()));
        } else if let Some((_, body)) = out.last_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    out
}

#[test]
fn a_user_template_extending_readme_replaces_one_block_and_keeps_the_rest() {
    let dir = tempfile::tempdir().expect("temp dir");
    let example = root().join("examples/payments-latency-multiday.yaml");
    let example = example.to_str().expect("UTF-8 path");
    write(
        dir.path(),
        "owners.md",
        "{% extends \"readme\" %}\n{% block tasks %}\n## Tasks by Owner\n{% for task in tasks %}\n- **{{ task.owner }}**: {{ task.text }}\n{%- endfor %}\n{% endblock tasks %}\n",
    );
    let builtin = stdout(&pm_in(dir.path(), &["render", example]));
    let out = pm_in(dir.path(), &["render", example, "--template", "owners.md"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let custom = stdout(&out);
    assert!(
        custom.contains("- **payments-platform**: Export active, idle"),
        "{custom}"
    );

    let mut expected = sections(&builtin);
    let tasks = expected
        .iter()
        .position(|(h, _)| h == "Tasks")
        .expect("readme has Tasks");
    let replaced = sections(&custom);
    assert_eq!(replaced[tasks].0, "Tasks by Owner");
    expected[tasks] = replaced[tasks].clone();
    assert_eq!(replaced, expected, "every other section is the built-in's");
    assert_eq!(
        builtin.lines().next(),
        custom.lines().next(),
        "the marker and title are kept"
    );
}

#[test]
fn a_user_template_can_drop_the_diagram() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "plain.md",
        "{% extends \"sre\" %}{% block diagram %}{% endblock diagram %}",
    );
    let example = root().join("examples/email-service-outage.yaml");
    let example = example.to_str().expect("UTF-8 path");
    let builtin = stdout(&pm_in(dir.path(), &["render", example, "-t", "sre"]));
    let out = pm_in(dir.path(), &["render", example, "-t", "plain.md"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let plain = stdout(&out);
    assert!(builtin.contains("```mermaid"));
    assert!(!plain.contains("```mermaid"), "{plain}");
    assert!(!plain.contains("\n\n\n"), "no gap is left: {plain}");
    let fence_start = builtin.find("```mermaid").expect("diagram");
    let fence_end = builtin[fence_start + 3..].find("```\n").expect("end") + fence_start + 3 + 5;
    let without = format!("{}{}", &builtin[..fence_start], &builtin[fence_end..]);
    assert_eq!(plain, without);
}

#[test]
fn a_templates_folder_overrides_built_ins_by_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    let templates = dir.path().join("tpl");
    std::fs::create_dir(&templates).expect("mkdir");
    write(&templates, "readme.md", "# Our format: {{ title }}\n");
    write(
        &templates,
        "short.md",
        "{% extends \"brief\" %}{% block closing %}Questions: support@example.com{% endblock closing %}",
    );
    let example = root().join("examples/email-service-outage.yaml");
    let example = example.to_str().expect("UTF-8 path");
    let out = pm_in(dir.path(), &["render", example, "--templates", "tpl"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).ends_with("\n\n# Our format: Email service outage\n"),
        "{}",
        stdout(&out)
    );
    // Other built-ins are still there, and the folder's own names too.
    let sre = pm_in(
        dir.path(),
        &["render", example, "--templates", "tpl", "-t", "sre"],
    );
    assert!(stdout(&sre).contains("## Action Items"));
    let short = pm_in(
        dir.path(),
        &["render", example, "--templates", "tpl", "-t", "short"],
    );
    assert_eq!(code(&short), 0, "{}", stderr(&short));
    assert!(stdout(&short).contains("## What Happened"));
    assert!(stdout(&short).ends_with("Questions: support@example.com\n"));
}

#[test]
fn only_the_template_in_use_is_parsed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let templates = dir.path().join("tpl");
    std::fs::create_dir(&templates).expect("mkdir");
    write(
        &templates,
        "broken.md",
        "# {{ title }}\n{% if title %}\nno end\n",
    );
    write(&templates, "short.md", "{% extends \"brief\" %}");
    let example = root().join("examples/email-service-outage.yaml");
    let example = example.to_str().expect("UTF-8 path");
    // A broken file of the folder does not stop the others...
    let brief = pm_in(dir.path(), &["render", example, "-t", "brief"]);
    let short = pm_in(
        dir.path(),
        &["render", example, "--templates", "tpl", "-t", "short"],
    );
    assert_eq!(code(&short), 0, "{}", stderr(&short));
    assert_eq!(stdout(&short), stdout(&brief));
    // ...and is reported when it is the one in use.
    let broken = pm_in(
        dir.path(),
        &["render", example, "--templates", "tpl", "-t", "broken"],
    );
    assert_eq!(code(&broken), 2);
    assert!(
        stderr(&broken).contains("broken.md:"),
        "{}",
        stderr(&broken)
    );
}

#[test]
fn template_errors_give_the_file_line_and_tera_s_reason() {
    let dir = tempfile::tempdir().expect("temp dir");
    let example = root().join("examples/email-service-outage.yaml");
    let example = example.to_str().expect("UTF-8 path");
    write(
        dir.path(),
        "typo.md",
        "{% extends \"readme\" %}\n{% block tasks %}\n## Tasks\n{{ summary.servce }}\n{% endblock tasks %}\n",
    );
    let out = pm_in(dir.path(), &["render", example, "-t", "typo.md"]);
    assert_eq!(code(&out), 2);
    assert!(out.stdout.is_empty());
    let err = stderr(&out);
    assert!(err.contains("--> typo.md:4:"), "{err}");
    assert!(err.contains("servce"), "{err}");
    insta::assert_snapshot!("template-error-undefined", err);

    write(
        dir.path(),
        "syntax.md",
        "# {{ title }}\n\n{% if title %}\nno end\n",
    );
    let out = pm_in(dir.path(), &["render", example, "-t", "syntax.md"]);
    assert_eq!(code(&out), 2);
    insta::assert_snapshot!("template-error-syntax", stderr(&out));

    write(
        dir.path(),
        "filter.md",
        "{{ summary.start | time(format=\"%Q\") }}\n",
    );
    let out = pm_in(dir.path(), &["render", example, "-t", "filter.md"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("filter.md:1:"), "{err}");
    assert!(err.contains("`%Q` is not a valid strftime format"), "{err}");

    // An override in --templates is reported at its file, not its name.
    let templates = dir.path().join("tpl");
    std::fs::create_dir(&templates).expect("mkdir");
    write(&templates, "readme.md", "# {{ title }}\n{{ nosuch }}\n");
    let out = pm_in(dir.path(), &["render", example, "--templates", "tpl"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "--> {}:2:",
            Path::new("tpl").join("readme.md").display()
        )),
        "{err}"
    );
    assert!(err.contains("Variable `nosuch` is not defined"), "{err}");
}

#[test]
fn an_unknown_template_names_the_ones_there_are() {
    let out = pm(&[
        "render",
        "examples/email-service-outage.yaml",
        "-t",
        "nosuch",
    ]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out)
            .contains("no template `nosuch`: it is not a template name (brief, readme, sre)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_file_with_errors_prints_its_findings_as_check_does_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("report.md");
    let target_arg = target.to_str().expect("UTF-8 path");
    let out = pm(&["render", "tests/fixtures/broken.yaml", "-o", target_arg]);
    assert_eq!(code(&out), 1);
    assert!(!target.exists(), "nothing is written");
    assert!(out.stdout.is_empty());
    let check = pm(&["check", "tests/fixtures/broken.yaml"]);
    assert_eq!(code(&check), 1);
    let err = stderr(&out);
    assert!(
        err.starts_with(&stdout(&check)),
        "render:\n{err}\ncheck:\n{}",
        stdout(&check)
    );
    assert!(err.contains("error[unknown-timezone]"), "{err}");
    assert!(
        err.ends_with("nothing was rendered; fix the errors above and run `pm render` again\n")
    );

    // One broken input among several: nothing is written at all.
    let folder = dir.path().join("out");
    let out = pm(&[
        "render",
        "examples/email-service-outage.yaml",
        "tests/fixtures/broken.yaml",
        "-o",
        folder.to_str().expect("UTF-8 path"),
    ]);
    assert_eq!(code(&out), 1);
    assert!(!folder.exists(), "not even the folder");
}

#[test]
fn stdout_and_output_file_get_the_same_bytes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("report.md");
    let target_arg = target.to_str().expect("UTF-8 path");
    let printed = pm(&[
        "render",
        "examples/payments-latency-multiday.yaml",
        "-t",
        "sre",
    ]);
    let out = pm(&[
        "render",
        "examples/payments-latency-multiday.yaml",
        "-t",
        "sre",
        "-o",
        target_arg,
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let written = std::fs::read(&target).expect("written");
    assert_eq!(written, printed.stdout);
    assert!(written.starts_with(
        b"<!-- generated by pm from examples/payments-latency-multiday.yaml; edit the source, not this file -->\n\n# "
    ));
}

#[test]
fn output_refuses_a_file_pm_did_not_generate_and_refreshes_its_own() {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("README.md");
    let target_arg = target.to_str().expect("UTF-8 path");
    std::fs::write(&target, "# My own notes\n").expect("write");
    let args = [
        "render",
        "examples/email-service-outage.yaml",
        "-o",
        target_arg,
    ];

    let out = pm(&args);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("was not generated by pm; pass --force"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(&target).expect("read"),
        "# My own notes\n"
    );

    let mut forced = args.to_vec();
    forced.push("--force");
    assert_eq!(code(&pm(&forced)), 0);
    let first = std::fs::read_to_string(&target).expect("read");
    assert!(first.starts_with("<!-- generated by pm from "));

    // A generated file is refreshed without --force.
    std::fs::write(&target, first.replace("Email service outage", "Stale")).expect("write");
    let out = pm(&args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&target).expect("read"), first);
}

#[test]
fn several_inputs_go_to_one_file_each_in_the_output_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("reports");
    let out = pm(&[
        "render",
        "examples",
        "-o",
        folder.to_str().expect("UTF-8 path"),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    for example in examples() {
        let written =
            std::fs::read(folder.join(format!("{}.md", stem(&example)))).expect("written");
        let printed = pm(&["render", &relative(&example)]);
        assert_eq!(written, printed.stdout, "{}", stem(&example));
    }
    let count = std::fs::read_dir(&folder).expect("list").count();
    assert_eq!(count, examples().len());
}

#[test]
fn an_output_folder_is_written_as_one_batch() {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("reports");
    let folder_arg = folder.to_str().expect("UTF-8 path");
    let expected: Vec<String> = {
        let mut names: Vec<String> = examples()
            .iter()
            .map(|e| format!("{}.md", stem(e)))
            .collect();
        names.sort();
        names
    };

    // A template that fails on one input only: no report is written at all,
    // not even those of the inputs rendered before it.
    write(
        dir.path(),
        "fails-once.md",
        "# {{ title }}\n{% if \"Payments\" in title %}{{ nosuch }}{% endif %}\n",
    );
    let template = dir.path().join("fails-once.md");
    let out = pm(&[
        "render",
        "examples",
        "-o",
        folder_arg,
        "-t",
        template.to_str().expect("UTF-8 path"),
    ]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("nosuch"), "{}", stderr(&out));
    assert!(
        !folder.exists() || files_in(&folder).is_empty(),
        "{:?}",
        files_in(&folder)
    );

    let out = pm(&["render", "examples", "-o", folder_arg]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(files_in(&folder), expected, "no temporary file is left");

    // An unchanged report is not rewritten: its time stamp stays.
    let first = folder.join(&expected[0]);
    let past = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
    std::fs::File::options()
        .write(true)
        .open(&first)
        .and_then(|file| file.set_modified(past))
        .expect("set mtime");
    // A stale report is; a file the user wrote is kept, and says so.
    let second = folder.join(&expected[1]);
    let fresh = std::fs::read_to_string(&second).expect("read");
    let stale = fresh.replacen("\n# ", "\n# Stale ", 1);
    assert_ne!(stale, fresh);
    std::fs::write(&second, &stale).expect("write");
    let third = folder.join(&expected[2]);
    std::fs::write(&third, "# My own notes\n").expect("write");

    let out = pm(&["render", "examples", "-o", folder_arg]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("was not generated by pm; pass --force"),
        "{}",
        stderr(&out)
    );
    let modified = std::fs::metadata(&first)
        .expect("stat")
        .modified()
        .expect("mtime");
    assert_eq!(modified, past, "an unchanged report is left alone");
    assert_eq!(std::fs::read_to_string(&second).expect("read"), fresh);
    assert_eq!(
        std::fs::read_to_string(&third).expect("read"),
        "# My own notes\n"
    );
    assert_eq!(files_in(&folder), expected);
}

#[test]
fn stdin_renders_to_stdout() {
    let text = std::fs::read(root().join("examples/email-service-outage.yaml")).expect("read");
    let mut child = Command::new(env!("CARGO_BIN_EXE_pm"))
        .args(["render", "-", "-t", "brief"])
        .current_dir(root())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), &text).expect("write");
    let out = child.wait_with_output().expect("wait");
    assert_eq!(code(&out), 0);
    let markdown = stdout(&out);
    assert!(
        markdown.starts_with("<!-- generated by pm from <stdin>;"),
        "{markdown}"
    );
    assert!(markdown.contains("## What Happened"));
}

#[test]
fn pm_toml_picks_the_default_template_and_the_flag_still_wins() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("pm.toml"),
        "[defaults]\ntemplate = \"brief\"\n",
    )
    .expect("pm.toml");
    let example = root().join("examples/email-service-outage.yaml");
    let example = example.to_str().expect("UTF-8 path");
    let configured = pm_in(dir.path(), &["render", example]);
    assert_eq!(code(&configured), 0, "{}", stderr(&configured));
    let brief = pm_in(dir.path(), &["render", example, "--template", "brief"]);
    let readme = pm_in(dir.path(), &["render", example, "--template", "readme"]);
    assert_eq!(stdout(&configured), stdout(&brief));
    assert_ne!(stdout(&configured), stdout(&readme));
}

/// One rounding rule for every command: an incident that starts at 09:00:40
/// and is detected at 09:01:10 was detected 30 s in, which the report, the
/// index and `pm stats` all show as 1 min (it once said 0 min in the report).
#[test]
fn render_index_and_stats_round_durations_alike() {
    let dir = tempfile::tempdir().expect("temporary folder");
    std::fs::write(
        dir.path().join("seconds.yaml"),
        "title: Seconds\nstatus: final\ntimezone: UTC\nsummary:\n  service: S\n  start: 2024-05-01 09:00:40\n  end: 2024-05-01 10:00:10\n  impact: I\n  affected: 5%\n  cause: C\ntimeline:\n  - at: 2024-05-01 09:01:10\n    kind: detected\n    how: monitoring\n    text: Alert.\n  - at: \"10:00:10\"\n    kind: resolved\n    text: Fixed.\nroot_cause: R\nresolution: R\nmeasures:\n  - M\ntasks:\n  - text: T\n    owner: o\n",
    )
    .expect("write");
    let report = stdout(&pm_in(dir.path(), &["render", "seconds.yaml"]));
    assert!(report.contains("**Time to detect:** 1 min"), "{report}");
    assert!(
        report.contains("**Time to resolve (from detection):** 59 min"),
        "{report}"
    );
    // The index keeps short cells whole with no-break spaces.
    let index = stdout(&pm_in(dir.path(), &["index", "seconds.yaml"])).replace('\u{a0}', " ");
    let row = index
        .lines()
        .find(|line| line.contains("Seconds"))
        .expect("the incident's row");
    // Duration 59 min 30 s rounds to 1 h; detection 30 s to 1 min.
    assert!(row.contains("| 1 h | 1 min |"), "{row}");
    let stats = stdout(&pm_in(
        dir.path(),
        &["stats", "seconds.yaml", "--format", "json"],
    ));
    assert!(
        stats.contains("\"minutes\":1,") || stats.contains("\"minutes\": 1,"),
        "{stats}"
    );
}

#[test]
fn list_templates_names_the_built_in_ones_and_those_of_a_folder() {
    let out = pm(&["render", "--list-templates"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().collect::<Vec<_>>(), templates());
    let dir = tempfile::tempdir().expect("temporary folder");
    std::fs::write(dir.path().join("readme.md"), "# {{ title }}\n").expect("write");
    std::fs::write(dir.path().join("team.md"), "# {{ title }}\n").expect("write");
    let folder = dir.path().to_str().expect("UTF-8 path");
    let out = pm(&["render", "--list-templates", "--templates", folder]);
    let mut expected = templates();
    expected.push("team");
    assert_eq!(stdout(&out).lines().collect::<Vec<_>>(), expected);
}

/// Issue 18: `pm render -o DIR` printed nothing, while `pm index -o` says
/// what it wrote. It names each report it wrote, and those it left alone.
#[test]
fn render_to_a_folder_says_what_it_wrote_and_what_it_left_alone() {
    let temp = tempfile::tempdir().expect("temp dir");
    let out_dir = temp.path().join("out");
    let out_arg = out_dir.to_str().expect("utf-8 path");
    let first = pm(&["render", "examples", "-o", out_arg]);
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    let said = stderr(&first);
    for example in examples() {
        let report = out_dir.join(format!("{}.md", stem(&example)));
        assert!(
            said.contains(&format!("pm: wrote {}\n", report.display())),
            "{said}"
        );
    }
    let again = pm(&["render", "examples", "-o", out_arg]);
    assert_eq!(
        stderr(&again),
        format!(
            "pm: {} reports are up to date, left alone\n",
            examples().len()
        )
    );
    assert!(stdout(&again).is_empty());
}

/// Issue 18: the brief said "About 100% of users were affected", the
/// readme's heading said "Preventative" over "Preventive" items, and the SRE
/// tables wrapped dates and owners at their hyphens in HTML.
#[test]
fn report_wording_and_unbreakable_table_cells() {
    let everyone = "examples/email-notification-outage.yaml";
    let brief = render(&["render", everyone, "--template", "brief"]);
    assert!(brief.contains("All users were affected."), "{brief}");
    assert!(!brief.contains("100%"), "{brief}");
    let some = render(&[
        "render",
        "examples/email-service-outage.yaml",
        "--template",
        "brief",
    ]);
    assert!(some.contains("About 20% of users were affected."), "{some}");
    for example in examples() {
        let path = relative(&example);
        let readme = render(&["render", &path, "--template", "readme"]);
        assert!(!readme.contains("Preventative"), "{path}");
        let sre = render(&["render", &path, "--template", "sre"]);
        for row in sre
            .lines()
            .filter(|l| l.ends_with("| done |") || l.ends_with("| open |"))
        {
            let cells: Vec<&str> = row.split(" | ").collect();
            let (owner, due) = (cells[cells.len() - 3], cells[cells.len() - 2]);
            assert!(!owner.contains('-') && !due.contains('-'), "{row}");
        }
    }
    let sre = render(&[
        "render",
        "examples/egwal-database-overload.yaml",
        "--template",
        "sre",
    ]);
    assert!(
        sre.contains("| infra\u{2011}team | 2023\u{2011}06\u{2011}02 | done |"),
        "{sre}"
    );
}

/// The brief states a count as a count, and an unknown share as unknown.
#[test]
fn the_brief_states_counts_and_unknowns() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = std::fs::read_to_string(root().join("examples/email-service-outage.yaml"))
        .expect("example");
    for (affected, said) in [
        (
            "{count: 31, unit: services, of: 140}",
            "Affected: 31 of 140 services.",
        ),
        ("unknown", "How many were affected is not known."),
        ("0%", "No users were affected."),
    ] {
        let yaml = text.replace("affected: 20%", &format!("affected: {affected}"));
        assert_ne!(yaml, text);
        let path = dir.path().join("a.yaml");
        std::fs::write(&path, yaml).expect("write");
        let out = pm(&[
            "render",
            path.to_str().expect("utf-8"),
            "--template",
            "brief",
        ]);
        assert!(
            stdout(&out).contains(said),
            "{affected}: {}{}",
            stdout(&out),
            stderr(&out)
        );
    }
}
