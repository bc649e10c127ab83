//! Generated documents with fixable findings: every fix pm proposes removes
//! its finding without a new error, `--fix` is idempotent, and no fix undoes
//! another.
//!
//! 256 cases by default; `PROPTEST_CASES=5000 cargo test --test fix_properties`
//! digs deeper.

mod common;

use common::{count, key};
use pm::check::{Checked, Settings, check_bytes};
use pm::fix;
use proptest::prelude::*;
use proptest::test_runner::Config;

fn settings() -> Settings {
    Settings::new(chrono::NaiveDate::from_ymd_opt(2024, 3, 1).expect("a date"))
}

fn check(bytes: &[u8]) -> Checked {
    check_bytes("p.yaml", bytes, &settings())
}

/// What a document is made of: each slot right or misspelt.
#[derive(Clone, Debug)]
struct Doc {
    status: &'static str,
    zone: &'static str,
    summary_key: &'static str,
    root_cause_key: &'static str,
    detected: &'static str,
    how: &'static str,
    escalated: &'static str,
    resolved: &'static str,
    tags: Vec<&'static str>,
    comments: Vec<bool>,
    newline: &'static str,
    bom: bool,
}

fn doc() -> impl Strategy<Value = Doc> {
    (
        (
            prop::sample::select(vec!["final", "fnal", "finl", "draft"]),
            prop::sample::select(vec![
                "Africa/Lagos",
                "US/Eastern",
                "US/Pacific",
                "GB",
                "Europe/Berlin",
            ]),
            prop::sample::select(vec!["summary", "summery", "sumary"]),
            prop::sample::select(vec!["root_cause", "root_casue", "rootcause", "root_cuase"]),
            prop::sample::select(vec!["detected", "detectd", "dtected"]),
            prop::sample::select(vec!["monitoring", "monitorin", "custmer", "customer"]),
        ),
        (
            prop::sample::select(vec!["escalated", "escalatd", "escalted"]),
            prop::sample::select(vec!["resolved", "reslved", "resolvd"]),
            prop::sample::subsequence(vec!["email", "Email", "DB", "db", "Queue-Lag"], 0..4),
            prop::collection::vec(any::<bool>(), 6),
            prop::sample::select(vec!["\n", "\r\n", "\r"]),
            any::<bool>(),
        ),
    )
        .prop_map(
            |(
                (status, zone, summary_key, root_cause_key, detected, how),
                (escalated, resolved, tags, comments, newline, bom),
            )| Doc {
                status,
                zone,
                summary_key,
                root_cause_key,
                detected,
                how,
                escalated,
                resolved,
                tags,
                comments,
                newline,
                bom,
            },
        )
}

fn render(doc: &Doc) -> Vec<u8> {
    let comment = |i: usize, text: &str| {
        if doc.comments[i] {
            format!("{text}\n")
        } else {
            String::new()
        }
    };
    let mut text = String::new();
    text.push_str(&comment(0, "# A generated postmortem."));
    text.push_str(&format!(
        "title: Email service outage\nstatus: {}\ntimezone: {}\n",
        doc.status, doc.zone
    ));
    text.push_str(&format!("{}:\n", doc.summary_key));
    text.push_str(&comment(1, "  # the summary"));
    text.push_str(
        "  service: Cloud email\n  start: 2023-09-10 16:00\n  end: 2023-09-10 18:30\n  impact: Email delivery was delayed.\n  affected: 20%\n  cause: Inefficient queries.\n",
    );
    text.push_str("timeline:\n");
    text.push_str(&format!(
        "  - at: 2023-09-10 16:15\n    kind: {}{}\n    how: {}\n    text: Alerts fired.\n",
        doc.detected,
        if doc.comments[2] { "   # first" } else { "" },
        doc.how
    ));
    text.push_str(&comment(3, "  # escalation"));
    text.push_str(&format!(
        "  - at: \"16:50\"\n    kind: {}\n    to: Database team\n    text: Escalated.\n",
        doc.escalated
    ));
    text.push_str(&format!(
        "  - at: '18:30'\n    kind: {}\n    text: Service restored.\n",
        doc.resolved
    ));
    text.push_str(&format!("{}: Inefficient queries.\n", doc.root_cause_key));
    text.push_str(&comment(4, ""));
    text.push_str("resolution: Optimised the queries.\nmeasures:\n  - Automate scaling.\ntasks:\n  - text: Add an index.\n    owner: db-team\n");
    if !doc.tags.is_empty() {
        text.push_str(&format!("tags: [{}]\n", doc.tags.join(", ")));
    }
    text.push_str(&comment(5, "# end"));
    let text = text.replace('\n', doc.newline);
    let mut bytes = if doc.bom {
        "\u{feff}".as_bytes().to_vec()
    } else {
        Vec::new()
    };
    bytes.extend_from_slice(text.as_bytes());
    bytes
}

fn config() -> Config {
    let config = Config::default();
    if std::env::var_os("PROPTEST_CASES").is_some() {
        return config;
    }
    Config {
        cases: 256,
        ..config
    }
}

/// The generator does produce fixable findings: one document with every
/// slot misspelt has a fix for each.
#[test]
fn the_generator_makes_fixable_findings() {
    let doc = Doc {
        status: "fnal",
        zone: "US/Eastern",
        summary_key: "summery",
        root_cause_key: "root_casue",
        detected: "detectd",
        how: "monitorin",
        escalated: "escalatd",
        resolved: "reslved",
        tags: vec!["Email", "DB"],
        comments: vec![true; 6],
        newline: "\r\n",
        bom: true,
    };
    let checked = check(&render(&doc));
    let fixable = checked
        .diagnostics
        .iter()
        .filter(|d| d.fix.is_some())
        .count();
    assert!(
        fixable >= 9,
        "only {fixable} fixes: {:?}",
        checked.diagnostics.iter().map(key).collect::<Vec<_>>()
    );
    let outcome = fix::fix_to_fixed_point("p.yaml", &render(&doc), &settings(), true);
    assert_eq!(
        outcome.checked.errors(),
        0,
        "{:?}",
        outcome
            .checked
            .diagnostics
            .iter()
            .map(key)
            .collect::<Vec<_>>()
    );
}

proptest! {
    #![proptest_config(config())]

    /// Each fix alone removes its finding and brings no error that was not
    /// there, and fixing what it leaves never brings the original back.
    #[test]
    fn every_fix_removes_its_finding_and_adds_no_error(doc in doc()) {
        let original = render(&doc);
        let before = check(&original);
        for d in before.diagnostics.iter().filter(|d| d.fix.is_some()) {
            let (fixed, applied) = fix::apply(&original, std::slice::from_ref(d), true);
            prop_assert_eq!(applied.len(), 1);
            prop_assert_ne!(&fixed, &original, "the fix of `{}` changes nothing", d.rule.id);
            let after = check(&fixed);
            let wanted = key(d);
            prop_assert!(
                count(&after, &wanted) < count(&before, &wanted),
                "the fix of {:?} left it in place", wanted
            );
            for e in after.diagnostics.iter().filter(|e| e.is_error()) {
                prop_assert!(
                    count(&before, &key(e)) > 0,
                    "the fix of {:?} brought a new error {:?}", wanted, key(e)
                );
            }
            let (again, _) = fix::apply(&fixed, &after.diagnostics, true);
            prop_assert_ne!(&again, &original, "a fix undoes the fix of {:?}", wanted);
        }
    }

    /// `--fix` to a fixed point keeps the BOM, the line breaks and the
    /// comments, and a second run changes nothing.
    #[test]
    fn fixing_twice_changes_nothing_the_second_time(doc in doc(), unsafe_fixes in any::<bool>()) {
        let original = render(&doc);
        let first = fix::fix_to_fixed_point("p.yaml", &original, &settings(), unsafe_fixes);
        prop_assert!(!first.looped);
        prop_assert!(first.rounds <= fix::MAX_ROUNDS);
        prop_assert!(
            first.checked.diagnostics.iter().all(|d| d.fix.as_ref().is_none_or(|f| !fix::allowed(f, unsafe_fixes))),
            "fixable findings remain: {:?}",
            first.checked.diagnostics.iter().filter(|d| d.fix.is_some()).map(key).collect::<Vec<_>>()
        );
        let second = fix::fix_to_fixed_point("p.yaml", &first.bytes, &settings(), unsafe_fixes);
        prop_assert_eq!(&second.bytes, &first.bytes);
        prop_assert!(second.applied.is_empty());
        let text = String::from_utf8(first.bytes.clone()).expect("UTF-8");
        prop_assert_eq!(text.starts_with('\u{feff}'), doc.bom);
        let breaks = |t: &str| (t.matches("\r\n").count(), t.matches('\r').count(), t.matches('\n').count());
        let old = String::from_utf8(original.clone()).expect("UTF-8");
        prop_assert_eq!(breaks(&text), breaks(&old));
        prop_assert_eq!(text.matches('#').count(), old.matches('#').count());
        prop_assert_eq!(first.checked.errors() <= check(&original).errors(), true);
    }
}
