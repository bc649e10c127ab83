//! `pm import` through the real binary: where drafts go, refusing to
//! overwrite, stdin, the account it prints, and its exit codes.

mod common;

use common::{files_in, fixtures, run_in};
use std::path::Path;

fn corpus(name: &str) -> String {
    fixtures()
        .join("import")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

const CLEAN: &str = "01-cdn-cache-purge.md";
const CLEAN_NAME: &str = "2024-05-21-postmortem-stale-product-images-after-cdn-purge-failure.yaml";

#[test]
fn writes_a_draft_named_as_pm_new_names_it_then_checks_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run_in(
        dir.path(),
        &["import", &corpus(CLEAN), "-o", "drafts"],
        None,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(files_in(&dir.path().join("drafts")), [CLEAN_NAME]);
    let written =
        std::fs::read_to_string(dir.path().join("drafts").join(CLEAN_NAME)).expect("draft");
    assert!(written.contains("status: draft"), "{written}");
    assert!(written.contains("# pm import: zone from"), "{written}");
    // The account: entries, guesses, findings, and the guesses listed.
    assert!(
        out.stdout
            .contains(&format!("drafts/{CLEAN_NAME}: 5 entries, ")),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("0 findings"), "{}", out.stdout);
    assert!(
        out.stdout.contains("  guess: timezone: zone from"),
        "{}",
        out.stdout
    );
    // What was written is what pm check reads.
    let check = run_in(
        dir.path(),
        &["check", &format!("drafts/{CLEAN_NAME}")],
        None,
    );
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
}

#[test]
fn prints_the_findings_of_the_check() {
    let dir = tempfile::tempdir().expect("temp dir");
    // PST in June: the document's own mistake, kept, and found.
    let out = run_in(
        dir.path(),
        &["import", &corpus("02-sso-login-outage.md")],
        None,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("error[abbreviation-mismatch]"),
        "{}",
        out.stdout
    );
    // PST on the start and the end is one mistake: one finding.
    assert!(out.stdout.contains("1 error"), "{}", out.stdout);
    assert_eq!(files_in(dir.path()).len(), 1);
}

#[test]
fn stdout_prints_the_draft_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run_in(dir.path(), &["import", "--stdout", &corpus(CLEAN)], None);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.starts_with("# Imported by `pm import`"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("timeline:"), "{}", out.stdout);
    // The account goes to stderr, so stdout is the YAML alone.
    assert!(out.stderr.contains("5 entries"), "{}", out.stderr);
    assert!(files_in(dir.path()).is_empty());
}

#[test]
fn dash_reads_stdin() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = "# Queue stall\n\nAll times UTC.\n\n## Timeline\n\n- 2024-02-01 10:00: deploy of 4.2 went out\n- 10:05: alert fired\n- 10:30: rolled back, queue normal\n";
    let out = run_in(dir.path(), &["import", "-", "--stdout"], Some(text));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("at: \"2024-02-01 10:00\""),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr.contains("<stdin> -> <stdout>: 3 entries"),
        "{}",
        out.stderr
    );
    let out = run_in(dir.path(), &["import", "-"], Some(text));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(files_in(dir.path()), ["2024-02-01-queue-stall.yaml"]);
}

#[test]
fn never_overwrites_without_force() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(CLEAN_NAME);
    std::fs::write(&path, "mine\n").expect("user's file");
    let out = run_in(dir.path(), &["import", &corpus(CLEAN)], None);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("--force"), "{}", out.stderr);
    assert_eq!(std::fs::read_to_string(&path).expect("kept"), "mine\n");

    let out = run_in(dir.path(), &["import", "--force", &corpus(CLEAN)], None);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = std::fs::read_to_string(&path).expect("replaced");
    assert!(text.contains("status: draft"), "{text}");
    assert_eq!(files_in(dir.path()), [CLEAN_NAME], "no temporary file left");
}

#[test]
fn an_unreadable_input_exits_2_and_the_others_are_still_imported() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run_in(dir.path(), &["import", "missing.md", &corpus(CLEAN)], None);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("cannot read `missing.md`"),
        "{}",
        out.stderr
    );
    assert_eq!(files_in(dir.path()), [CLEAN_NAME]);

    std::fs::write(dir.path().join("binary.md"), b"\xff\xfe\x00junk").expect("write");
    let out = run_in(dir.path(), &["import", "binary.md", "--stdout"], None);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("not UTF-8"), "{}", out.stderr);
}

#[test]
fn asks_for_the_flag_it_needs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run_in(
        dir.path(),
        &["import", "--stdout", &corpus("18-school-portal-results.md")],
        None,
    );
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("04/05/2024"), "{}", out.stderr);
    assert!(out.stderr.contains("--date-order dmy"), "{}", out.stderr);
    let out = run_in(
        dir.path(),
        &[
            "import",
            "--stdout",
            "--date-order",
            "dmy",
            &corpus("18-school-portal-results.md"),
        ],
        None,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("start: \"2024-05-04 10:00 GMT\""),
        "{}",
        out.stdout
    );

    let out = run_in(
        dir.path(),
        &[
            "import",
            "--stdout",
            &corpus("14-rate-limiter-misconfig.md"),
        ],
        None,
    );
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("--timezone"), "{}", out.stderr);
    let out = run_in(
        dir.path(),
        &[
            "import",
            "--stdout",
            "--timezone",
            "Europe/Lisbon",
            &corpus("14-rate-limiter-misconfig.md"),
        ],
        None,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("timezone: Europe/Lisbon"),
        "{}",
        out.stdout
    );

    let out = run_in(
        dir.path(),
        &["import", "--timezone", "WAT", &corpus(CLEAN)],
        None,
    );
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("Africa/Lagos"), "{}", out.stderr);
}

#[test]
fn several_files_in_one_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run_in(
        dir.path(),
        &[
            "import",
            &corpus(CLEAN),
            &corpus("22-feature-flag-rollback.md"),
            "-o",
            "out",
        ],
        None,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        files_in(&Path::new(dir.path()).join("out")),
        [
            "2024-05-21-postmortem-stale-product-images-after-cdn-purge-failure.yaml",
            "2025-04-03-feature-flag-service-outage.yaml"
        ]
    );
    assert_eq!(
        out.stdout.matches(" entries, ").count(),
        2,
        "{}",
        out.stdout
    );
}

#[test]
fn the_default_folder_is_pm_toml_s() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("pm.toml"),
        "[defaults]\ndir = \"postmortems\"\n",
    )
    .expect("pm.toml");
    let out = run_in(dir.path(), &["import", &corpus(CLEAN)], None);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(files_in(&dir.path().join("postmortems")), [CLEAN_NAME]);
}

#[test]
fn two_inputs_with_one_name_get_two_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run_in(
        dir.path(),
        &["import", &corpus(CLEAN), &corpus(CLEAN), "--force"],
        None,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let second = CLEAN_NAME.replace(".yaml", "-2.yaml");
    assert_eq!(files_in(dir.path()), [second.as_str(), CLEAN_NAME]);
}
