//! Every rule, through the real binary: a fixture where it fires and one
//! where it does not, for each rule in `rules::ALL`.
//!
//! Fixtures live in `tests/fixtures/rules/<rule-id>/`, named `fires*.yaml`
//! and `passes*.yaml`. Each states every finding it expects, as a comment
//! line with a caret under the position, like a compiler's UI tests:
//!
//! ```yaml
//!   - at: "00:10"
//! #         ^ error[timeline-order]
//! ```
//!
//! The finding is on the nearest line above that is not such a comment, at
//! the caret's column; `#^` stands for column 1, where the `#` itself is.
//! A fixture's findings must be exactly those it states, no more, no fewer.

mod common;

use common::{Finding, check_json, fixtures, run};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// `(line, column, severity, rule)`
type Expected = (u32, u32, String, String);

fn expectations(text: &str) -> Vec<Expected> {
    let mut expected = Vec::new();
    let mut target_line = 0;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let Some(after_hash) = trimmed.strip_prefix('#') else {
            target_line = index + 1;
            continue;
        };
        let Some(caret) = line.find('^') else {
            if target_line > 0 {
                target_line = index + 1;
            }
            continue;
        };
        if !after_hash.trim_start().starts_with('^') {
            target_line = index + 1;
            continue;
        }
        let column = if caret == line.find('#').expect("a comment") + 1 {
            1
        } else {
            caret + 1
        };
        let annotation = line[caret + 1..].trim();
        let (severity, rest) = annotation
            .split_once('[')
            .unwrap_or_else(|| panic!("annotation `{line}` is not `^ severity[rule]`"));
        let rule = rest
            .strip_suffix(']')
            .unwrap_or_else(|| panic!("annotation `{line}` is not `^ severity[rule]`"));
        assert!(target_line > 0, "annotation `{line}` has no line above it");
        expected.push((
            u32::try_from(target_line).expect("small"),
            u32::try_from(column).expect("small"),
            severity.to_owned(),
            rule.to_owned(),
        ));
    }
    expected.sort();
    expected
}

fn fixture_files() -> BTreeMap<String, Vec<PathBuf>> {
    let mut by_rule = BTreeMap::new();
    for dir in std::fs::read_dir(fixtures().join("rules")).expect("fixtures/rules") {
        let dir = dir.expect("entry").path();
        let rule = dir
            .file_name()
            .and_then(|n| n.to_str())
            .expect("UTF-8 name")
            .to_owned();
        // A pm.toml beside the fixtures is their team's policy, not a case.
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("rule folder")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect();
        files.sort();
        by_rule.insert(rule, files);
    }
    by_rule
}

fn actual(findings: &[Finding]) -> Vec<Expected> {
    let mut actual: Vec<Expected> = findings
        .iter()
        .map(|f| (f.line, f.column, f.severity.clone(), f.rule.clone()))
        .collect();
    actual.sort();
    actual
}

fn human(path: &Path) -> String {
    run(
        common::pm().args(["check", "--color", "never"]).arg(path),
        None,
    )
    .stdout
}

#[test]
fn every_fixture_reports_exactly_what_it_states() {
    let mut failures = Vec::new();
    for files in fixture_files().values() {
        for path in files {
            let text = std::fs::read_to_string(path).expect("fixture");
            let expected = expectations(&text);
            let (out, found) = check_json(path);
            let got = actual(&found);
            let errors = found.iter().filter(|f| f.severity == "error").count();
            let want_code = i32::from(errors > 0);
            if got != expected || out.code != want_code {
                failures.push(format!(
                    "{}\n  expected {expected:?}\n  got      {got:?} (exit {})\n{}",
                    path.display(),
                    out.code,
                    human(path)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_rule_has_a_case_that_fires_and_one_that_does_not() {
    let by_rule = fixture_files();
    // These fire only under a pm.toml setting (tests/writing_rules.rs covers
    // them on and off), or on files over 1 MiB, too large to commit as a
    // fixture (tests/hostile.rs writes one). `not-text` has fixtures: a NUL
    // byte is UTF-8 that YAML refuses.
    let configured = ["word-count", "unknown-severity", "file-too-large"];
    for rule in pm::rules::ALL
        .iter()
        .filter(|r| !configured.contains(&r.id))
    {
        let files = by_rule
            .get(rule.id)
            .unwrap_or_else(|| panic!("no fixtures for `{}` in tests/fixtures/rules", rule.id));
        let name = |path: &PathBuf| {
            path.file_name()
                .and_then(|n| n.to_str())
                .expect("UTF-8 name")
                .to_owned()
        };
        let states = |path: &PathBuf| {
            let text = std::fs::read_to_string(path).expect("fixture");
            expectations(&text).iter().any(|(_, _, _, r)| r == rule.id)
        };
        let firing: Vec<_> = files
            .iter()
            .filter(|p| name(p).starts_with("fires"))
            .collect();
        let passes: Vec<_> = files
            .iter()
            .filter(|p| name(p).starts_with("passes"))
            .collect();
        assert!(
            firing.iter().any(|p| states(p)),
            "`{}` has no fires*.yaml fixture stating it",
            rule.id
        );
        assert!(
            !passes.is_empty() && passes.iter().all(|p| !states(p)),
            "`{}` needs passes*.yaml fixtures where it does not fire",
            rule.id
        );
    }
    for rule in by_rule.keys() {
        assert!(
            pm::rules::by_id(rule).is_some(),
            "tests/fixtures/rules/{rule} is not a rule"
        );
    }
}

fn only(path: &str, rule: &str) -> Finding {
    let (_, found) = check_json(&fixtures().join("rules").join(path));
    let mut matching = found.into_iter().filter(|f| f.rule == rule);
    let finding = matching.next().expect("the rule fires");
    assert!(matching.next().is_none(), "`{rule}` fires once in {path}");
    finding
}

#[test]
fn an_abbreviation_as_timezone_lists_the_zones_that_use_it() {
    let finding = only(
        "unknown-timezone/fires-abbreviation.yaml",
        "unknown-timezone",
    );
    let label = finding.label.expect("a label listing zones");
    assert!(
        label.starts_with("`WAT` is an abbreviation, used on 2023-09-10 by Africa/Lagos,"),
        "{label}"
    );
    assert_eq!(
        finding.help.as_deref(),
        Some(
            "write the IANA zone of the place, such as `timezone: Africa/Lagos`: it knows when daylight saving applies"
        )
    );
}

#[test]
fn a_misspelt_zone_gets_its_spelling() {
    let finding = only("unknown-timezone/fires-misspelt.yaml", "unknown-timezone");
    assert_eq!(
        finding.label.as_deref(),
        Some("did you mean `Africa/Lagos`?")
    );
}

#[test]
fn pst_in_june_says_pdt_is_in_effect() {
    let finding = only(
        "abbreviation-mismatch/fires-pst-in-june.yaml",
        "abbreviation-mismatch",
    );
    assert_eq!(
        finding.message,
        "`PST` is not in effect in America/Los_Angeles at this time: PDT is"
    );
    assert_eq!(
        finding.label.as_deref(),
        Some("PDT is in effect on 2023-06-10")
    );
}

#[test]
fn a_dst_gap_names_the_clock_change() {
    let finding = only("nonexistent-time/fires.yaml", "nonexistent-time");
    assert_eq!(
        finding.message,
        "2026-03-29 01:30 does not exist in Europe/London"
    );
    assert_eq!(
        finding.label.as_deref(),
        Some("skipped: clocks went forward from 01:00 GMT to 02:00 BST on 2026-03-29")
    );
}

#[test]
fn a_dst_fold_names_both_candidates() {
    let finding = only("ambiguous-time/fires.yaml", "ambiguous-time");
    assert_eq!(
        finding.label.as_deref(),
        Some("01:30 BST (+01:00) or, an hour later, 01:30 GMT (+00:00)")
    );
    assert_eq!(
        finding.help.as_deref(),
        Some(
            "say which: `2026-10-25 01:30 BST` for the first, `2026-10-25 01:30 GMT` for the second"
        )
    );
}

#[test]
fn a_time_alone_after_midnight_is_told_to_write_the_date() {
    let finding = only("timeline-order/fires-midnight.yaml", "timeline-order");
    assert_eq!(
        finding.help.as_deref(),
        Some(
            "a time alone takes the date of the entry before it; if the day changed, write the date: `2023-09-11 00:10`"
        )
    );
}

#[test]
fn an_offset_that_reorders_shows_the_local_time() {
    let finding = only(
        "timeline-order/fires-offset-looks-later.yaml",
        "timeline-order",
    );
    assert_eq!(
        finding.label.as_deref(),
        Some("2023-09-10 15:30 WAT is 50 min before the entry above")
    );
}

#[test]
fn an_unknown_key_suggests_the_known_one() {
    let finding = only("unknown-field/fires-typo.yaml", "unknown-field");
    assert_eq!(finding.message, "unknown field `severty` in a postmortem");
    assert_eq!(finding.label.as_deref(), Some("did you mean `severity`?"));
}

#[test]
fn an_invalid_time_says_which_forms_are_accepted() {
    let (_, found) = check_json(&fixtures().join("rules/invalid-time/fires.yaml"));
    let help = found[0].help.as_deref().expect("help");
    for form in ["YYYY-MM-DD HH:MM", "HH:MM", "h:MM AM", "+01:00", "WAT"] {
        assert!(help.contains(form), "{help}");
    }
}

#[test]
fn an_entry_out_of_order_by_its_offset_is_not_told_the_day_changed() {
    let finding = only(
        "timeline-order/fires-offset-looks-later.yaml",
        "timeline-order",
    );
    assert_eq!(
        finding.help.as_deref(),
        Some(
            "written in `+02:00`, this is 2023-09-10 15:30 WAT: move the entry to its place, or correct its time or zone"
        )
    );
}

#[test]
fn an_unknown_kind_does_not_also_report_the_fields_of_other_kinds() {
    let (_, found) = check_json(&fixtures().join("rules/invalid-value/fires.yaml"));
    assert!(
        !found
            .iter()
            .any(|f| f.message.contains("`to` applies only")),
        "{found:#?}"
    );
}
