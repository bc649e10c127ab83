//! Properties over generated postmortems, through the library's check:
//! a valid incident checks clean; a shuffled timeline is out of order; and
//! writing every time in another zone, with explicit offsets, changes no
//! verdict and no instant.
//!
//! Case counts are modest (64 a property) so `cargo test` stays fast;
//! `PROPTEST_CASES=5000 cargo test --test properties` digs deeper.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use pm::check::{Checked, Settings, check};
use pm::source::Source;
use proptest::prelude::*;
use proptest::test_runner::Config;

/// Zones with DST in either hemisphere, half-hour and 45-minute offsets,
/// a 30-minute DST shift (Lord Howe), and none at all.
const ZONES: &[&str] = &[
    "Europe/London",
    "America/Los_Angeles",
    "America/St_Johns",
    "America/Sao_Paulo",
    "Australia/Lord_Howe",
    "Australia/Sydney",
    "Pacific/Chatham",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Africa/Lagos",
    "UTC",
];

const WORDS: &[&str] = &[
    "queue", "backlog", "database", "index", "deploy", "rollback", "cache", "alert", "page",
    "latency", "errors", "restored", "traffic", "replica", "failover", "query",
];

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2031, 1, 1).expect("a date")
}

/// A timeline entry before it is written: an instant and what happened.
#[derive(Clone, Debug)]
struct Event {
    at: DateTime<Utc>,
    kind: &'static str,
    text: String,
}

#[derive(Clone, Debug)]
struct Incident {
    zone: Tz,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    events: Vec<Event>,
    title: String,
}

fn sentence() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 2..6).prop_map(|words| {
        let mut text = words.join(" ");
        text[..1].make_ascii_uppercase();
        text + "."
    })
}

/// Incidents starting in the months where clocks change, so timelines
/// cross DST transitions often; minute-precision instants, strictly
/// increasing, the first a `trigger` at the start and the last `resolved`
/// at the end.
fn incident() -> impl Strategy<Value = Incident> {
    (
        prop::sample::select(ZONES),
        2000_i32..=2030,
        prop::sample::select(&[3_u32, 4, 9, 10, 11][..]),
        1_u32..=28,
        0_i64..24 * 60,
        prop::collection::btree_set(1_i64..3 * 24 * 60, 2..8),
        prop::collection::vec(
            prop::sample::select(&["action", "misleading", "mitigated", "note", "escalated"][..]),
            8,
        ),
        prop::collection::vec(sentence(), 10),
        sentence(),
    )
        .prop_map(
            |(zone, year, month, day, minute, offsets, kinds, texts, title)| {
                let zone: Tz = zone.parse().expect("a zone");
                let start = NaiveDate::from_ymd_opt(year, month, day)
                    .expect("a date")
                    .and_hms_opt(0, 0, 0)
                    .expect("midnight")
                    .and_utc()
                    + Duration::minutes(minute);
                let offsets: Vec<i64> = offsets.into_iter().collect();
                let end = start + Duration::minutes(*offsets.last().expect("two or more"));
                let mut events = vec![Event {
                    at: start,
                    kind: "trigger",
                    text: texts[0].clone(),
                }];
                for (i, offset) in offsets.iter().enumerate() {
                    let last = i == offsets.len() - 1;
                    let kind = if last {
                        "resolved"
                    } else if i == 0 {
                        "detected"
                    } else {
                        kinds[i]
                    };
                    // Detection within the hour: a later one is
                    // `detection-delay`, a warning about the document.
                    let offset = if i == 0 { (*offset).min(60) } else { *offset };
                    events.push(Event {
                        at: start + Duration::minutes(offset),
                        kind,
                        text: texts[i + 1].clone(),
                    });
                }
                Incident {
                    zone,
                    start,
                    end,
                    events,
                    title,
                }
            },
        )
}

/// How each time is written.
#[derive(Clone, Copy, Debug)]
enum Style {
    /// Local time in the document's zone: a date when the day changes or
    /// the reading is ambiguous (then with its offset), a time alone otherwise.
    Local,
    /// Date, time and explicit offset, in the given zone.
    Offset(Tz),
}

fn local(zone: Tz, at: DateTime<Utc>) -> NaiveDateTime {
    at.with_timezone(&zone).naive_local()
}

fn offset_text(zone: Tz, at: DateTime<Utc>) -> String {
    zone.offset_from_utc_datetime(&at.naive_utc())
        .fix()
        .to_string()
}

/// Writes the times of an incident, each on its own line.
fn write_times(incident: &Incident, style: Style) -> Vec<String> {
    let mut written = Vec::new();
    let mut previous_date: Option<NaiveDate> = None;
    for at in std::iter::once(incident.start)
        .chain(std::iter::once(incident.end))
        .chain(incident.events.iter().map(|e| e.at))
    {
        let text = match style {
            Style::Offset(zone) => format!(
                "{} {}",
                local(zone, at).format("%Y-%m-%d %H:%M"),
                offset_text(zone, at)
            ),
            Style::Local => {
                let zone = incident.zone;
                let reading = local(zone, at);
                let ambiguous = zone.from_local_datetime(&reading).single().is_none();
                if ambiguous {
                    format!(
                        "{} {}",
                        reading.format("%Y-%m-%d %H:%M"),
                        offset_text(zone, at)
                    )
                } else if previous_date == Some(reading.date()) && written.len() > 2 {
                    format!("\"{}\"", reading.format("%H:%M"))
                } else {
                    reading.format("%Y-%m-%d %H:%M").to_string()
                }
            }
        };
        // Summary times do not carry a date to the timeline's first entry.
        if written.len() >= 2 {
            previous_date = Some(local(incident.zone, at).date());
        }
        written.push(text);
    }
    written
}

fn yaml(incident: &Incident, events: &[Event], style: Style) -> String {
    let mut times = write_times(
        &Incident {
            events: events.to_vec(),
            ..incident.clone()
        },
        style,
    )
    .into_iter();
    let start = times.next().expect("start");
    let end = times.next().expect("end");
    let mut text = format!(
        "title: {}\nstatus: final\ntimezone: {}\nsummary:\n  service: Email\n  start: {start}\n  end: {end}\n  impact: Mail was late.\n  affected: 20%\n  cause: A slow query.\ntimeline:\n",
        incident.title,
        incident.zone.name()
    );
    for (event, at) in events.iter().zip(times) {
        text.push_str(&format!("  - at: {at}\n    kind: {}\n", event.kind));
        match event.kind {
            "detected" => text.push_str("    how: monitoring\n"),
            "escalated" => text.push_str("    to: Database team\n"),
            _ => {}
        }
        text.push_str(&format!("    text: {}\n", event.text));
    }
    text.push_str(
        "root_cause: A slow query.\nresolution: An index.\nmeasures:\n  - Add an index.\ntasks:\n  - text: Index the table.\n    owner: db-team\n",
    );
    text
}

fn run(text: &str) -> Checked {
    check(Source::new("p.yaml", text), &Settings::new(today()))
}

/// (rule, line) of every finding: what a verdict is made of.
fn verdicts(checked: &Checked, skip: &str) -> Vec<(&'static str, u32)> {
    checked
        .diagnostics
        .iter()
        .filter(|d| d.rule.id != skip)
        .map(|d| (d.rule.id, d.span.line))
        .collect()
}

fn config() -> Config {
    let config = Config::default();
    if std::env::var_os("PROPTEST_CASES").is_some() {
        return config;
    }
    Config {
        cases: 64,
        ..config
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn a_generated_valid_incident_checks_clean(incident in incident()) {
        let text = yaml(&incident, &incident.events, Style::Local);
        let checked = run(&text);
        prop_assert!(
            checked.diagnostics.is_empty(),
            "{text}\n{:#?}",
            checked.diagnostics.iter().map(|d| (d.rule.id, d.span.line, &d.message)).collect::<Vec<_>>()
        );
        let parsed = checked.incident.expect("an incident");
        prop_assert_eq!(parsed.summary.start.and_then(|t| t.at).map(|at| at.to_utc()), Some(incident.start));
        prop_assert_eq!(parsed.summary.end.and_then(|t| t.at).map(|at| at.to_utc()), Some(incident.end));
        let instants: Vec<_> = parsed.timeline.iter().map(|e| e.instant().map(|at| at.to_utc())).collect();
        let expected: Vec<_> = incident.events.iter().map(|e| Some(e.at)).collect();
        prop_assert_eq!(instants, expected);
    }

    #[test]
    fn shuffling_a_chronological_timeline_gives_timeline_order(
        (incident, order) in incident().prop_flat_map(|incident| {
            let n = incident.events.len();
            (Just(incident), Just((0..n).collect::<Vec<_>>()).prop_shuffle())
        })
    ) {
        prop_assume!(order.windows(2).any(|w| w[0] > w[1]), "the identity is no shuffle");
        let events: Vec<Event> = order.iter().map(|&i| incident.events[i].clone()).collect();
        // Explicit offsets: a time alone would take another entry's date.
        let text = yaml(&incident, &events, Style::Offset(incident.zone));
        let checked = run(&text);
        prop_assert!(
            checked.diagnostics.iter().any(|d| d.rule.id == "timeline-order"),
            "{text}\n{:?}",
            verdicts(&checked, "")
        );
    }

    #[test]
    fn other_zones_with_offsets_keep_verdicts_and_instants(
        incident in incident(),
        other in prop::sample::select(ZONES),
        swap in prop::option::of(0_usize..8),
    ) {
        // Some timelines out of order, so there are verdicts to keep.
        let mut events = incident.events.clone();
        if let Some(i) = swap {
            let i = i % (events.len() - 1);
            events.swap(i, i + 1);
        }
        let original = run(&yaml(&incident, &events, Style::Local));
        let other: Tz = other.parse().expect("a zone");
        let rewritten_text = yaml(&incident, &events, Style::Offset(other));
        let rewritten = run(&rewritten_text);
        // Other zones are readable but flagged as such: the only new finding.
        prop_assert_eq!(
            verdicts(&original, "mixed-timezone"),
            verdicts(&rewritten, "mixed-timezone"),
            "{}", rewritten_text
        );
        let a = original.incident.expect("an incident");
        let b = rewritten.incident.expect("an incident");
        let at = |t: &Option<Box<pm::incident::Time>>| t.as_deref().and_then(|t| t.at);
        prop_assert_eq!(at(&a.summary.start), at(&b.summary.start));
        prop_assert_eq!(at(&a.summary.end), at(&b.summary.end));
        let duration = |i: &pm::incident::Incident| Some(at(&i.summary.end)? - at(&i.summary.start)?);
        prop_assert_eq!(duration(&a), duration(&b));
        let instants = |i: &pm::incident::Incident| i.timeline.iter().map(pm::incident::Entry::instant).collect::<Vec<_>>();
        prop_assert_eq!(instants(&a), instants(&b));
    }
}
