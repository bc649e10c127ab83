//! The DST fix property (issue 15), over cases whose truth is Python's
//! zoneinfo, not pm: `scripts/dst_fix_cases.py` writes small postmortems
//! around DST transitions and midnight, each with one mistake, and the UTC
//! instant zoneinfo gives every timeline entry. For every case:
//!
//! - each fix pm proposes removes its finding and brings no new error, and
//!   what the fixed text proposes never brings the original back;
//! - no two findings propose different text for the same span;
//! - `--fix --unsafe-fixes` to a fixed point leaves no error (but the ones
//!   the case says have no fix, which must carry none), a second run
//!   changes nothing, and every entry is at zoneinfo's instant;
//! - safe fixes alone never add an error, and are idempotent too.
//!
//! The committed set (tests/fixtures/dst-fix/cases.jsonl, 200 cases, seed
//! 15) runs in `cargo test`; `.ci/run` generates thousands more. Any other
//! set: `PM_DST_CASES=FILE cargo test --test dst_fix_cases`.

mod common;

use common::{count, key};
use pm::check::{Checked, Settings, check_bytes};
use pm::diagnostic::Diagnostic;
use pm::fix;
use serde_json::Value;
use std::collections::BTreeSet;

struct Case {
    id: String,
    kind: String,
    yaml: String,
    expect: Vec<Option<String>>,
    remaining: Vec<String>,
}

fn cases() -> Vec<Case> {
    let path = std::env::var_os("PM_DST_CASES").map_or_else(
        || {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/dst-fix/cases.jsonl")
        },
        std::path::PathBuf::from,
    );
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let v: Value = serde_json::from_str(line).expect("a JSON case");
            let strings = |key: &str| -> Vec<Option<String>> {
                v[key]
                    .as_array()
                    .expect("a list")
                    .iter()
                    .map(|x| x.as_str().map(str::to_owned))
                    .collect()
            };
            Case {
                id: v["id"].as_str().expect("id").to_owned(),
                kind: v["kind"].as_str().expect("kind").to_owned(),
                yaml: v["yaml"].as_str().expect("yaml").to_owned(),
                expect: strings("expect"),
                remaining: strings("remaining").into_iter().flatten().collect(),
            }
        })
        .collect()
}

fn settings() -> Settings {
    Settings::new(chrono::NaiveDate::from_ymd_opt(2024, 3, 1).expect("a date"))
}

fn check(bytes: &[u8]) -> Checked {
    check_bytes("case.yaml", bytes, &settings())
}

fn errors(checked: &Checked) -> Vec<(&'static str, u32, String)> {
    checked
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(key)
        .collect()
}

/// Everything wrong with one case, as lines of a report.
fn failures(case: &Case) -> Vec<String> {
    let mut out = Vec::new();
    let original = case.yaml.as_bytes();
    let before = check(original);
    let proposed: Vec<&Diagnostic> = before
        .diagnostics
        .iter()
        .filter(|d| d.fix.is_some())
        .collect();
    for d in &proposed {
        let wanted = key(d);
        let (fixed, applied) = fix::apply(original, std::slice::from_ref(*d), true);
        if applied.len() != 1 || fixed == original {
            out.push(format!("the fix of {wanted:?} changes nothing"));
            continue;
        }
        let after = check(&fixed);
        if count(&after, &wanted) >= count(&before, &wanted) {
            out.push(format!("the fix of {wanted:?} left it in place"));
        }
        for e in errors(&after) {
            if count(&before, &e) == 0 {
                out.push(format!("the fix of {wanted:?} brought a new error {e:?}"));
            }
        }
        let (again, _) = fix::apply(&fixed, &after.diagnostics, true);
        if again == original {
            out.push(format!("a fix undoes the fix of {wanted:?}"));
        }
    }
    // Two findings proposing different text for the same place contradict.
    for (i, a) in proposed.iter().enumerate() {
        for b in &proposed[i + 1..] {
            for ea in &a.fix.as_ref().expect("a fix").edits {
                for eb in &b.fix.as_ref().expect("a fix").edits {
                    if ea.span.line == eb.span.line
                        && ea.span.column == eb.span.column
                        && ea.text != eb.text
                    {
                        out.push(format!(
                            "{:?} and {:?} propose different text",
                            key(a),
                            key(b)
                        ));
                    }
                }
            }
        }
    }
    // Safe fixes alone: no error added, and a second run changes nothing.
    let safe = fix::fix_to_fixed_point("case.yaml", original, &settings(), false);
    for e in errors(&safe.checked) {
        if count(&before, &e) == 0 {
            out.push(format!("safe fixes brought a new error {e:?}"));
        }
    }
    let again = fix::fix_to_fixed_point("case.yaml", &safe.bytes, &settings(), false);
    if again.bytes != safe.bytes || !again.applied.is_empty() {
        out.push("a second `--fix` changed the file".to_owned());
    }
    // All fixes: only the errors the case expects remain, with no fix.
    let all = fix::fix_to_fixed_point("case.yaml", original, &settings(), true);
    if all.looped {
        out.push("`--fix --unsafe-fixes` looped".to_owned());
    }
    let again = fix::fix_to_fixed_point("case.yaml", &all.bytes, &settings(), true);
    if again.bytes != all.bytes || !again.applied.is_empty() {
        out.push("a second `--fix --unsafe-fixes` changed the file".to_owned());
    }
    for d in all.checked.diagnostics.iter().filter(|d| d.is_error()) {
        if !case.remaining.iter().any(|r| r == d.rule.id) {
            out.push(format!("error left after the fixes: {:?}", key(d)));
        } else if d.fix.is_some() {
            out.push(format!("{:?} should have no fix", key(d)));
        }
    }
    let remaining: BTreeSet<&str> = all
        .checked
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.rule.id)
        .collect();
    for rule in &case.remaining {
        if !remaining.contains(rule.as_str()) {
            out.push(format!("expected `{rule}` to remain"));
        }
    }
    // Every entry where zoneinfo puts it.
    match all.checked.incident.as_ref() {
        None => out.push("the fixed file did not read".to_owned()),
        Some(incident) => {
            for (i, expect) in case.expect.iter().enumerate() {
                let Some(expect) = expect else { continue };
                let got = incident
                    .timeline
                    .get(i)
                    .and_then(pm::incident::Entry::instant)
                    .map(|at| at.to_utc().format("%Y-%m-%dT%H:%M:%SZ").to_string());
                if got.as_deref() != Some(expect.as_str()) {
                    out.push(format!("entry {i} is at {got:?}, zoneinfo says {expect}"));
                }
            }
        }
    }
    if !out.is_empty() {
        let fixed = String::from_utf8_lossy(&all.bytes);
        out.push(format!("--- case\n{}--- fixed\n{fixed}", case.yaml));
    }
    out
}

#[test]
fn every_generated_dst_case_fixes_to_zoneinfos_instants() {
    let cases = cases();
    assert!(!cases.is_empty(), "no cases");
    let mut failed = Vec::new();
    let mut fixed_cases = 0;
    for case in &cases {
        if check(case.yaml.as_bytes())
            .diagnostics
            .iter()
            .any(|d| d.fix.is_some())
        {
            fixed_cases += 1;
        }
        let problems = failures(case);
        if !problems.is_empty() {
            failed.push(format!(
                "{} ({}):\n  {}",
                case.id,
                case.kind,
                problems.join("\n  ")
            ));
        }
    }
    if let Some(path) = std::env::var_os("PM_DST_FAILURES") {
        std::fs::write(path, failed.join("\n")).expect("write the failures");
    }
    let shown: Vec<&String> = failed.iter().take(8).collect();
    assert!(
        failed.is_empty(),
        "{} of {} cases failed; the first:\n{}",
        failed.len(),
        cases.len(),
        shown
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    // The set does exercise the fixes: most cases with a mistake have one.
    assert!(
        fixed_cases * 3 >= cases.len(),
        "only {fixed_cases} of {} cases had a fix",
        cases.len()
    );
}

/// The committed set covers every kind of mistake and every zone the
/// generator knows, 30-minute and negative DST among them.
#[test]
fn the_committed_set_covers_every_kind_and_zone() {
    if std::env::var_os("PM_DST_CASES").is_some() {
        return;
    }
    let cases = cases();
    let kinds: BTreeSet<&str> = cases.iter().map(|c| c.kind.as_str()).collect();
    for kind in [
        "mixed",
        "wrong-abbr",
        "gap-abbr",
        "gap-plain",
        "never-abbr",
        "midnight",
        "midnight-gap",
        "human",
        "clean",
    ] {
        assert!(kinds.contains(kind), "no `{kind}` case");
    }
    for zone in ["Australia/Lord_Howe", "Europe/Dublin", "America/New_York"] {
        assert!(
            cases
                .iter()
                .any(|c| c.yaml.contains(&format!("timezone: {zone}\n"))),
            "no case in {zone}"
        );
    }
}
