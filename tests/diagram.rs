//! The phase diagram of the `readme` and `sre` reports, through the real
//! binary: the same for every reader whatever their browser's zone, bars of
//! true length across DST, and the times in the document's zone.
//! (`.ci/run` renders the same diagrams in Chromium under three zones:
//! scripts/mermaid-zones.mjs.)

mod common;

use chrono::DateTime;
use common::{Output, root, run_in};
use serde_json::Value;

/// The cases the diagram got wrong: New York's fall-back night, Berlin's
/// spring-forward, London's spring-forward, and an incident of three days.
const CASES: [&str; 4] = [
    "tests/fixtures/tls-fall-back.yaml",
    "tests/fixtures/berlin-spring-forward.yaml",
    "tests/fixtures/dst-crossing.yaml",
    "examples/payments-latency-multiday.yaml",
];

fn pm(args: &[&str]) -> Output {
    let out = run_in(&root(), args, None);
    assert_eq!(out.code, 0, "pm {args:?}: {}", out.stderr);
    out
}

/// The `mermaid` fenced block of a report.
fn diagram(report: &str) -> String {
    let start = report.find("```mermaid\n").expect("a diagram") + "```mermaid\n".len();
    let end = report[start..].find("\n```\n").expect("closed") + start;
    report[start..end].to_owned()
}

/// Milliseconds since the epoch of an RFC 3339 time from `pm export`.
fn millis(time: &Value) -> i64 {
    let utc = time["utc"].as_str().expect("resolved");
    DateTime::parse_from_rfc3339(utc)
        .expect("RFC 3339")
        .timestamp_millis()
}

/// `HH:MM` of a time from `pm export`, in the document's zone.
fn clock(time: &Value) -> String {
    time["local"].as_str().expect("resolved")[11..16].to_owned()
}

/// A bar or milestone: its label and its instants.
struct Bar {
    section: String,
    label: String,
    from: i64,
    to: Option<i64>,
}

fn bars(diagram: &str) -> Vec<Bar> {
    let mut section = String::new();
    let mut bars = Vec::new();
    for line in diagram.lines().map(str::trim) {
        if let Some(name) = line.strip_prefix("section ") {
            // `#58;` is Mermaid's code for a colon.
            section = name.replace("#58;", ":");
            continue;
        }
        let Some((label, data)) = line.split_once(" :") else {
            continue;
        };
        let numbers: Vec<i64> = data
            .split(',')
            .filter_map(|d| d.trim().parse().ok())
            .collect();
        let (from, to) = match (data.contains("milestone"), numbers.as_slice()) {
            (true, [at]) => (*at, None),
            (false, [from, to]) => (*from, Some(*to)),
            _ => panic!("a bar is two instants, a milestone one: {line}"),
        };
        bars.push(Bar {
            section: section.clone(),
            label: label.to_owned(),
            from,
            to,
        });
    }
    bars
}

#[test]
fn bars_are_instants_of_true_length_and_sections_give_local_clock_times() {
    let dates = regex::Regex::new(r"\d{4}-\d{2}-\d{2}").expect("regex");
    for case in CASES {
        let export: Value =
            serde_json::from_str(&pm(&["export", case]).stdout).expect("export is JSON");
        let incident = &export[0];
        let (start, end) = (&incident["summary"]["start"], &incident["summary"]["end"]);
        for template in ["readme", "sre"] {
            let report = pm(&["render", case, "--template", template]).stdout;
            let diagram = diagram(&report);
            // Instants: nothing Mermaid could read in the browser's zone.
            assert!(
                diagram.contains("\n    dateFormat x\n"),
                "{case}: {diagram}"
            );
            assert!(!dates.is_match(&diagram), "{case}: a local date: {diagram}");
            let bars = bars(&diagram);
            let (last, phases) = bars.split_last().expect("bars");
            assert_eq!(phases[0].from, millis(start), "{case} {template}");
            assert_eq!(last.from, millis(end), "{case} {template}");
            assert!(last.to.is_none() && last.label == "Impact ended", "{case}");
            // Each bar starts where the one before ends, so their true
            // lengths add up to the incident's.
            for pair in phases.windows(2) {
                assert_eq!(pair[0].to, Some(pair[1].from), "{case} {template}");
            }
            assert_eq!(phases[phases.len() - 1].to, Some(millis(end)), "{case}");
            // The start and end of impact as the document's clock reads them.
            assert!(
                phases[0].section.contains(&clock(start)),
                "{case}: {diagram}"
            );
            assert!(last.section.contains(&clock(end)), "{case}: {diagram}");
        }
    }
}

#[test]
fn the_diagrams_of_dst_nights_and_of_several_days() {
    for case in CASES {
        let report = pm(&["render", case]).stdout;
        let name = std::path::Path::new(case)
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .into_owned();
        insta::assert_snapshot!(name, diagram(&report));
    }
}

#[test]
fn an_hour_that_happened_twice_is_told_apart_by_its_abbreviation() {
    // 01:30 EDT to 01:18 EST on New York's fall-back night is 48 minutes.
    let report = pm(&["render", "tests/fixtures/tls-fall-back.yaml"]).stdout;
    let bars = bars(&diagram(&report));
    let sections: Vec<&str> = bars.iter().map(|b| b.section.as_str()).collect();
    assert_eq!(
        sections,
        ["00:40 EDT", "00:52 EDT", "01:30 EDT", "01:18 EST"]
    );
    let last_phase = &bars[bars.len() - 2];
    assert_eq!(
        last_phase.to.map(|to| to - last_phase.from),
        Some(48 * 60_000)
    );
    assert!(
        last_phase.label.ends_with("(48 min)"),
        "{}",
        last_phase.label
    );
}

#[test]
fn a_multi_day_incident_names_the_day_of_each_row() {
    let report = pm(&["render", "examples/payments-latency-multiday.yaml"]).stdout;
    let sections: Vec<String> = bars(&diagram(&report))
        .into_iter()
        .map(|b| b.section)
        .collect();
    assert_eq!(
        sections.first().map(String::as_str),
        Some("Mon 15 Jul 17:40")
    );
    assert_eq!(
        sections.last().map(String::as_str),
        Some("Wed 17 Jul 13:00")
    );
}

#[test]
fn a_draft_without_a_zone_renders_without_a_diagram() {
    let dir = tempfile::tempdir().expect("temp dir");
    let yaml = "title: T\nstatus: draft\nsummary:\n  start: 2025-11-02 00:40 -04:00\n  end: 2025-11-02 01:18 -05:00\ntimeline:\n  - at: 2025-11-02 00:52 -04:00\n    kind: detected\n    text: a\n";
    std::fs::write(dir.path().join("d.yaml"), yaml).expect("write");
    for template in ["readme", "sre"] {
        let out = run_in(dir.path(), &["render", "d.yaml", "-t", template], None);
        assert_eq!(out.code, 0, "{template}: {}", out.stderr);
        assert!(!out.stdout.contains("```mermaid"), "{}", out.stdout);
        assert!(out.stdout.contains("# T"), "{}", out.stdout);
    }
}
