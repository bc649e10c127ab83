//! Rules about the order and consistency of times, all compared as instants.

use super::{Context, Rule, RuleDocs};
use crate::diagnostic::{Applicability, Diagnostic, Severity, Span};
use crate::incident::{Entry, EntryKind, Incident};
use crate::time::human_duration;
use crate::yaml::{Node, Value};
use chrono::{DateTime, Duration, FixedOffset};

pub static END_BEFORE_START: Rule = Rule {
    id: "end-before-start",
    severity: Severity::Error,
    summary: "The summary's end is earlier than its start.",
    docs: RuleDocs {
        what: "`summary.end` is an earlier instant than `summary.start`.",
        why: "A negative duration is always a typo: a wrong date, AM for PM, or an end copied from another zone. It corrupts every figure computed from the incident (duration, MTTR).",
        example: "summary:\n  start: 2023-05-05 07:00\n  end: 2023-05-05 01:00   # meant the next day",
        fix: "Correct the end, usually its date: an incident that runs past midnight ends on the next day.",
        fixes: "",
    },
};

pub static TIMELINE_ORDER: Rule = Rule {
    id: "timeline-order",
    severity: Severity::Error,
    summary: "A timeline entry is earlier than the entry before it.",
    docs: RuleDocs {
        what: "An entry's time is an earlier instant than the entry before it. Times are compared as instants, so an entry with an explicit offset can be in order even when its wall-clock reading looks earlier, and out of order when it looks later. A time alone takes the date of the entry before it, so a timeline that crosses midnight needs the date written on the first entry of the new day. When the entry before lies outside the summary's window and this one inside it (`11:50 PM` written for 11:50 AM), the finding is on the entry before, which is the misplaced one, and it is not also an `outside-window` warning.",
        why: "A timeline is read top to bottom as the story of the incident. Out-of-order entries hide what happened when, and usually mean a wrong date or time.",
        example: "timeline:\n  - at: 2023-05-05 23:50\n    text: Fix deployed.\n  - at: \"00:10\"          # took the date 2023-05-05\n    text: Error rates back to normal.",
        fix: "Move the entry to its place, or correct its time. After midnight, write the date: `2023-05-06 00:10`.",
        fixes: "Unsafe, after midnight only: a time alone more than 12 hours before the entry above gets the next day's date, when on that day the time exists, is unambiguous (or names its reading), follows the entry above and precedes the next dated entry. The time itself may be what is wrong, so it is unsafe. No date is offered into a gap.",
    },
};

pub static DETECTED_BEFORE_START: Rule = Rule {
    id: "detected-before-start",
    severity: Severity::Error,
    summary: "A `detected` entry is earlier than `summary.start`.",
    docs: RuleDocs {
        what: "A timeline entry of kind `detected` is an earlier instant than `summary.start`.",
        why: "An alert cannot fire on impact that has not begun. Either the impact started earlier than the summary says, which understates the duration, or the detection time is wrong.",
        example: "summary:\n  start: 2023-09-10 16:15\ntimeline:\n  - at: 2023-09-10 16:00\n    kind: detected",
        fix: "Move `summary.start` back to when impact began, or correct the detection time.",
        fixes: "",
    },
};

pub static MISSING_MILESTONE: Rule = Rule {
    id: "missing-milestone",
    severity: Severity::Warning,
    summary: "The timeline has no `detected` entry, or no `resolved` entry.",
    docs: RuleDocs {
        what: "No timeline entry has `kind: detected`, or none has `kind: resolved`.",
        why: "Time to detect and time to resolve are the two figures every review asks for, and they are computed from these entries.",
        example: "timeline:\n  - at: 2023-09-10 16:15\n    text: Alerts fired.   # kind defaults to action",
        fix: "Mark the entry where the team learned of the problem `kind: detected` (with `how:`), and the one where service was restored `kind: resolved`.",
        fixes: "",
    },
};

pub static RESOLVED_END_MISMATCH: Rule = Rule {
    id: "resolved-end-mismatch",
    severity: Severity::Warning,
    summary: "The last `resolved` entry is not at `summary.end`.",
    docs: RuleDocs {
        what: "The last entry of kind `resolved` is a different instant from `summary.end`. When an `impact-end` entry is at `summary.end` (the SRE book's \"end of outage\"), the end is the end of impact, and a `resolved` entry after it, closing the incident, is not flagged.",
        why: "The summary's duration and the timeline then tell two stories. This is the \"summary says 2 hours, timeline says 2.5\" drift common in published postmortems.",
        example: "summary:\n  end: 2023-09-10 18:30\ntimeline:\n  - at: 2023-09-10 18:00\n    kind: resolved",
        fix: "Make them the same instant: correct `summary.end` or the resolved entry, whichever is wrong.",
        fixes: "",
    },
};

pub static OUTSIDE_WINDOW: Rule = Rule {
    id: "outside-window",
    severity: Severity::Warning,
    summary: "An entry other than `trigger` or `note` falls before the start or after the end.",
    docs: RuleDocs {
        what: "An entry whose kind is not `trigger` or `note` is earlier than `summary.start` or later than `summary.end`. (A `detected` entry before the start is the error `detected-before-start` instead, and the last `resolved` entry away from the end is `resolved-end-mismatch`. Entries already reported by `timeline-order`, and all entries when the end is before the start, are not judged against the window.)",
        why: "Work on the incident happens while it lasts. An action before the start or a mitigation after the end usually means the summary window is wrong, which skews the duration.",
        example: "summary:\n  start: 2023-09-10 16:00\n  end: 2023-09-10 18:30\ntimeline:\n  - at: 2023-09-10 19:00\n    kind: mitigated",
        fix: "Widen the summary window, correct the entry's time, or mark context that happened outside it as `kind: note` (or `trigger` for the change that set it off).",
        fixes: "",
    },
};

pub static DURATION_MISMATCH: Rule = Rule {
    id: "duration-mismatch",
    severity: Severity::Error,
    summary: "`summary.duration` disagrees with end minus start.",
    docs: RuleDocs {
        what: "`summary.duration`, the duration as the document states it, differs from `summary.end` minus `summary.start` by more than the rounding its own figure implies: half its smallest unit, at least a minute. \"2 hours\" agrees with 1 h 30 to 2 h 30; \"45m\" with 44 to 46 minutes; \"2h 30m\" with 2 h 29 to 2 h 31.",
        why: "A stated duration that disagrees with the start and end is the commonest real error in published postmortems (11 of 37 we read): one of the three figures is wrong, and readers quote whichever they see first.",
        example: "summary:\n  start: 2023-06-10 15:00\n  end: 2023-06-10 17:30\n  duration: 2h   # end - start is 2 h 30",
        fix: "Correct the figure that is wrong: the start, the end, or the stated duration.",
        fixes: "",
    },
};

pub static IMPACT_MISMATCH: Rule = Rule {
    id: "impact-mismatch",
    severity: Severity::Error,
    summary: "An `impact-start` or `impact-end` entry is not at `summary.start` or `summary.end`.",
    docs: RuleDocs {
        what: "A timeline entry of kind `impact-start` (the SRE \"start of outage\" marker) is a different instant from `summary.start`, or one of kind `impact-end` from `summary.end`.",
        why: "The markers and the summary window both say when impact began and ended. When they disagree, the duration and every figure computed from it is wrong in one of them.",
        example: "summary:\n  start: 2024-03-12 14:25\ntimeline:\n  - at: 2024-03-12 14:31\n    kind: impact-start",
        fix: "Make them the same instant: correct the summary or the marker, whichever is wrong.",
        fixes: "",
    },
};

pub static DETECTION_DELAY: Rule = Rule {
    id: "detection-delay",
    severity: Severity::Warning,
    summary: "The first `detected` entry comes long after the start (`[check] detection_delay`, 60 min).",
    docs: RuleDocs {
        what: "The earliest `detected` entry is more than `[check] detection_delay` minutes (60 unless pm.toml says otherwise) after `summary.start`.",
        why: "Either the start is wrong (it is when impact began, not when work started), or detection was slow, and then the report should say why: that is usually the most useful follow-up of the incident.",
        example: "summary:\n  start: 2025-03-07 01:00\ntimeline:\n  - at: 2025-03-07 02:20\n    kind: detected",
        fix: "Check `summary.start`. If it is right, say in the report why detection took so long, and add a task that shortens it; raise `[check] detection_delay` if your team's normal is longer.",
        fixes: "",
    },
};

pub static TRIGGER_LONG_BEFORE: Rule = Rule {
    id: "trigger-long-before",
    severity: Severity::Warning,
    summary: "A `trigger` entry more than 30 days before the start: often a wrong year.",
    docs: RuleDocs {
        what: "A timeline entry of kind `trigger` is more than 30 days before `summary.start`.",
        why: "Latent causes can be old, but a trigger that far back is usually a typo in the date, most often the year (a January incident with a December trigger written in the new year).",
        example: "summary:\n  start: 2024-01-04 09:00\ntimeline:\n  - at: 2023-01-03 17:00   # meant 2024-01-03\n    kind: trigger",
        fix: "Correct the date. If the change really was that old, it is a latent condition: describe it under `contributing_factors` with `kind: latent` and mark the entry `kind: note`.",
        fixes: "",
    },
};

/// Local time in the document's zone for messages: "16:05" or "2023-09-11 00:10".
fn show(incident: &Incident, at: DateTime<FixedOffset>) -> String {
    match incident.zone {
        Some(zone) => crate::time::format_in_zone(&at.with_timezone(&zone), "%Y-%m-%d %H:%M %Z"),
        None => at.format("%Y-%m-%d %H:%M %:z").to_string(),
    }
}

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let incident = ctx.incident;
    let summary = &incident.summary;
    let start = summary
        .start
        .as_ref()
        .and_then(|t| t.at.map(|at| (at, t.written.span)));
    let end = summary
        .end
        .as_ref()
        .and_then(|t| t.at.map(|at| (at, t.written.span)));

    let inverted = matches!((start, end), (Some((s, _)), Some((e, _))) if e < s);
    if let (Some((start_at, start_span)), Some((end_at, end_span))) = (start, end)
        && inverted
    {
        out.push(
            Diagnostic::new(
                &END_BEFORE_START,
                end_span,
                "the incident ends before it starts",
            )
            .label(format!(
                "{} is {} before the start",
                show(incident, end_at),
                human_duration(start_at - end_at)
            ))
            .related(
                start_span,
                format!("summary.start is {}", show(incident, start_at)),
            )
            .help("correct the end; an incident that runs past midnight ends on the next day"),
        );
    }

    let misordered = order(incident, out);
    let last_resolved = incident
        .timeline
        .iter()
        .rposition(|e| e.kind.value == EntryKind::Resolved);

    for (index, entry) in incident.timeline.iter().enumerate() {
        let Some(at) = entry.instant() else { continue };
        // An entry out of order, or a window that ends before it starts, is
        // already an error; "outside the window" would only repeat it.
        let judge_window = !inverted && misordered.binary_search(&index).is_err();
        // The last resolved entry away from the end is `resolved-end-mismatch`.
        let judge_window = judge_window && !(end.is_some() && Some(index) == last_resolved);
        let kind = entry.kind.value;
        if let Some((start_at, start_span)) = start {
            if at < start_at && kind == EntryKind::Detected {
                out.push(
                    Diagnostic::new(&DETECTED_BEFORE_START, entry.at_span(), "detected before the incident started")
                        .label(format!(
                            "{} is {} before the start",
                            show(incident, at),
                            human_duration(start_at - at)
                        ))
                        .related(start_span, format!("summary.start is {}", show(incident, start_at)))
                        .help("move `summary.start` back to when impact began, or correct the detection time"),
                );
                continue;
            }
            if judge_window
                && at < start_at
                && !matches!(kind, EntryKind::Trigger | EntryKind::Note)
            {
                out.push(outside(
                    incident,
                    entry,
                    at,
                    "before the start",
                    start_span,
                    start_at,
                ));
                continue;
            }
        }
        if let Some((end_at, end_span)) = end
            && judge_window
            && at > end_at
            && !matches!(kind, EntryKind::Trigger | EntryKind::Note)
        {
            out.push(outside(
                incident,
                entry,
                at,
                "after the end",
                end_span,
                end_at,
            ));
        }
    }

    milestones(ctx, end, out);
    stated_duration(ctx, start, end, out);
    impact_markers(incident, start, end, out);
    detection_delay(ctx, start, out);
    trigger_long_before(incident, start, out);
}

type Bound = Option<(DateTime<FixedOffset>, Span)>;

fn stated_duration(ctx: &Context, start: Bound, end: Bound, out: &mut Vec<Diagnostic>) {
    let Some(stated) = &ctx.incident.summary.duration else {
        return;
    };
    let (Some((start_at, _)), Some((end_at, end_span))) = (start, end) else {
        return;
    };
    let actual = end_at - start_at;
    let difference = (actual - stated.value.duration).abs();
    if difference <= stated.value.tolerance {
        return;
    }
    out.push(
        Diagnostic::new(
            &DURATION_MISMATCH,
            stated.span,
            format!(
                "the stated duration `{}` is {}, but end minus start is {}",
                stated.value.written,
                human_duration(stated.value.duration),
                human_duration(actual)
            ),
        )
        .label(format!(
            "{} {} than the summary's window",
            human_duration(difference),
            if stated.value.duration < actual {
                "shorter"
            } else {
                "longer"
            }
        ))
        .related(
            end_span,
            format!(
                "from {} to {}",
                show(ctx.incident, start_at),
                show(ctx.incident, end_at)
            ),
        )
        .help("correct the figure that is wrong: `start`, `end` or `duration`"),
    );
}

fn impact_markers(incident: &Incident, start: Bound, end: Bound, out: &mut Vec<Diagnostic>) {
    for entry in &incident.timeline {
        let (bound, name) = match entry.kind.value {
            EntryKind::ImpactStart => (start, "start"),
            EntryKind::ImpactEnd => (end, "end"),
            _ => continue,
        };
        let (Some(at), Some((bound_at, bound_span))) = (entry.instant(), bound) else {
            continue;
        };
        if at == bound_at {
            continue;
        }
        out.push(
            Diagnostic::new(
                &IMPACT_MISMATCH,
                entry.at_span(),
                format!(
                    "this `{}` entry is not at `summary.{name}`",
                    entry.kind.value.as_str()
                ),
            )
            .label(format!(
                "{} is {} {} it",
                show(incident, at),
                human_duration((at - bound_at).abs()),
                if at < bound_at { "before" } else { "after" }
            ))
            .related(
                bound_span,
                format!("summary.{name} is {}", show(incident, bound_at)),
            )
            .help(format!(
                "make them the same instant: correct `summary.{name}` or this entry, whichever is wrong"
            )),
        );
    }
}

fn detection_delay(ctx: &Context, start: Bound, out: &mut Vec<Diagnostic>) {
    let incident = ctx.incident;
    let Some((start_at, start_span)) = start else {
        return;
    };
    let first = incident
        .timeline
        .iter()
        .filter(|e| e.kind.value == EntryKind::Detected)
        .filter_map(|e| e.instant().map(|at| (at, e)))
        .min_by_key(|(at, _)| *at);
    let Some((at, entry)) = first else {
        return;
    };
    let limit = Duration::minutes(i64::from(ctx.settings.detection_delay));
    if at - start_at <= limit {
        return;
    }
    out.push(
        Diagnostic::new(
            &DETECTION_DELAY,
            entry.at_span(),
            format!(
                "detected {} after the start, more than the team's {}",
                human_duration(at - start_at),
                human_duration(limit)
            ),
        )
        .related(
            start_span,
            format!("summary.start is {}", show(incident, start_at)),
        )
        .help("check `summary.start`; if it is right, say why detection was slow, and add a task that shortens it (`[check] detection_delay` in pm.toml sets the limit)"),
    );
}

fn trigger_long_before(incident: &Incident, start: Bound, out: &mut Vec<Diagnostic>) {
    let Some((start_at, start_span)) = start else {
        return;
    };
    for entry in &incident.timeline {
        if entry.kind.value != EntryKind::Trigger {
            continue;
        }
        // A date alone counts from the start of its day.
        let at = entry.instant().or_else(|| {
            let day = entry.at.as_ref()?.day?;
            let midnight = day.and_hms_opt(0, 0, 0)?;
            Some(midnight.and_utc().fixed_offset())
        });
        let Some(at) = at else { continue };
        if start_at - at <= Duration::days(30) {
            continue;
        }
        out.push(
            Diagnostic::new(
                &TRIGGER_LONG_BEFORE,
                entry.at_span(),
                format!(
                    "this trigger is {} before the start: is the year right?",
                    human_duration(start_at - at)
                ),
            )
            .related(
                start_span,
                format!("summary.start is {}", show(incident, start_at)),
            )
            .help("correct the date; a condition that old is a latent factor: put it under `contributing_factors` with `kind: latent`"),
        );
    }
}

fn outside(
    incident: &Incident,
    entry: &Entry,
    at: DateTime<FixedOffset>,
    side: &str,
    bound_span: crate::diagnostic::Span,
    bound: DateTime<FixedOffset>,
) -> Diagnostic {
    Diagnostic::new(
        &OUTSIDE_WINDOW,
        entry.at_span(),
        format!(
            "`{}` entry {side} of the incident",
            entry.kind.value.as_str()
        ),
    )
    .label(format!(
        "{} is {} {side}",
        show(incident, at),
        human_duration((at - bound).abs())
    ))
    .related(
        bound_span,
        format!(
            "summary.{} is {}",
            if side.contains("before") {
                "start"
            } else {
                "end"
            },
            show(incident, bound)
        ),
    )
    .help("correct the time or the summary window, or mark context outside it as `kind: note`")
}

/// Reports entries earlier than the one before; returns their indices.
fn order(incident: &Incident, out: &mut Vec<Diagnostic>) -> Vec<usize> {
    let mut misordered = Vec::new();
    // For each entry, the instant of the next entry with a date of its own:
    // built once, the first time a time alone is out of order by more than
    // half a day (looking ahead from each such entry was quadratic).
    let mut next_dated: Option<Vec<Option<DateTime<FixedOffset>>>> = None;
    let mut previous: Option<(usize, &Entry, DateTime<FixedOffset>)> = None;
    let start = incident.summary.start.as_ref().and_then(|t| t.at);
    let end = incident.summary.end.as_ref().and_then(|t| t.at);
    // Outside the window the summary states, when it states one.
    let outside = |at: DateTime<FixedOffset>| match (start, end) {
        (Some(start), Some(end)) if start <= end => at < start || at > end,
        _ => false,
    };
    // The latest day known so far, from a date alone or a time: a date
    // alone compares by day.
    let mut latest_day: Option<(&Entry, chrono::NaiveDate)> = None;
    let local_day = |at: DateTime<FixedOffset>| {
        incident.zone.map_or_else(
            || at.date_naive(),
            |zone| at.with_timezone(&zone).date_naive(),
        )
    };
    for (index, entry) in incident.timeline.iter().enumerate() {
        let dated = entry
            .at
            .as_ref()
            .filter(|t| t.precision == crate::incident::Precision::Date)
            .and_then(|t| t.day);
        let day = dated.or_else(|| entry.instant().map(local_day));
        if let (Some(day), Some((before, before_day))) = (day, latest_day)
            && day < before_day
            && (dated.is_some() || before.instant().is_none())
        {
            out.push(
                Diagnostic::new(
                    &TIMELINE_ORDER,
                    entry.at_span(),
                    "this entry is on an earlier day than the one before it",
                )
                .label(format!("{day} is before {before_day}"))
                .related(
                    before.at_span(),
                    format!("the entry before is on {before_day}"),
                )
                .help("move the entry to its place in the timeline, or correct its date"),
            );
            misordered.push(index);
            continue;
        }
        if let Some(day) = day
            && latest_day.is_none_or(|(_, d)| day >= d)
        {
            latest_day = Some((entry, day));
        }
        let Some(at) = entry.instant() else { continue };
        if let Some((before_index, before, before_at)) = previous
            && at < before_at
            && outside(before_at)
            && !outside(at)
        {
            // The entry before jumped out of the incident (an AM/PM slip, a
            // wrong hour) and this one is in its place: the misplaced one is
            // the entry before, reported once, here rather than as an
            // order error on this one and a window warning on that one.
            out.push(
                Diagnostic::new(
                    &TIMELINE_ORDER,
                    before.at_span(),
                    "this entry is later than the one after it, and outside the incident",
                )
                .label(format!(
                    "{} is {} after the entry below",
                    show(incident, before_at),
                    human_duration(before_at - at)
                ))
                .related(
                    entry.at_span(),
                    format!("the entry after is at {}", show(incident, at)),
                )
                .help("correct its time (a 12-hour time may have AM and PM swapped), or move the entry to its place"),
            );
            misordered.push(before_index);
            previous = Some((index, entry, at));
            continue;
        }
        if let Some((_, before, before_at)) = previous
            && at < before_at
        {
            let time_alone = entry.at.as_ref().is_some_and(|t| !t.has_date());
            // The zone written on the entry, if any: then the offset, not a
            // change of day, is what puts it out of order.
            let written_zone = entry
                .at
                .as_ref()
                .and_then(|t| t.parsed.as_ref().ok())
                .and_then(|w| w.zone.clone());
            let mut fix = None;
            let help = if let Some(zone) = written_zone {
                format!(
                    "written in `{zone}`, this is {}: move the entry to its place, or correct its time or zone",
                    show(incident, at)
                )
            } else if time_alone && before_at - at > Duration::hours(12) {
                // Read on the next day it would follow within hours: the
                // day changed and the date was not written.
                let next = incident.zone.and_then(|zone| {
                    let after =
                        next_dated.get_or_insert_with(|| next_dated_instants(incident))[index];
                    next_day(zone, at, before_at, after)
                });
                match next {
                    Some(NextDay::Valid(text)) => {
                        fix = entry.at.as_ref().and_then(|t| {
                            crate::incident::time_fix(&t.written, Applicability::Unsafe, &text)
                        });
                        format!(
                            "a time alone takes the date of the entry before it; if the day changed, write the date: `{text}`"
                        )
                    }
                    Some(NextDay::Skipped(why)) => format!(
                        "a time alone takes the date of the entry before it, but on the next day {why}: correct the time"
                    ),
                    None => "move the entry to its place in the timeline, or correct its time"
                        .to_owned(),
                }
            } else {
                "move the entry to its place in the timeline, or correct its time".to_owned()
            };
            out.push(
                Diagnostic::new(
                    &TIMELINE_ORDER,
                    entry.at_span(),
                    "this entry is earlier than the one before it",
                )
                .label(format!(
                    "{} is {} before the entry above",
                    show(incident, at),
                    human_duration(before_at - at)
                ))
                .related(
                    before.at_span(),
                    format!("the entry before is at {}", show(incident, before_at)),
                )
                .help(help),
            );
            if let (Some(fix), Some(last)) = (fix, out.last_mut()) {
                last.fix = Some(fix);
            }
            misordered.push(index);
            // Keep comparing against the latest instant, so one misplaced
            // entry is reported once, not again for each entry after it.
            continue;
        }
        previous = Some((index, entry, at));
    }
    misordered.sort_unstable();
    misordered.dedup();
    misordered
}

/// What the next day's date would make of a time alone that is out of order.
enum NextDay {
    /// The text to write: on the next day it exists, is unambiguous (or
    /// says which), follows the entry before and precedes the next dated one.
    Valid(String),
    /// Why the next day does not serve: "02:30 on 2025-03-30 was skipped".
    Skipped(String),
}

/// For each entry, the instant of the first entry after it that has a date
/// of its own (`None` if there is none, or it has no instant).
fn next_dated_instants(incident: &Incident) -> Vec<Option<DateTime<FixedOffset>>> {
    let mut after = vec![None; incident.timeline.len()];
    let mut next = None;
    for (index, entry) in incident.timeline.iter().enumerate().rev() {
        after[index] = next;
        if entry
            .at
            .as_deref()
            .is_some_and(crate::incident::Time::has_date)
        {
            next = Some(entry.instant());
        }
    }
    after.into_iter().map(Option::flatten).collect()
}

/// `next_dated` is the instant of the next entry with a date of its own:
/// it keeps its instant, and the times alone after this one would take the
/// new date with it.
fn next_day(
    zone: chrono_tz::Tz,
    at: DateTime<FixedOffset>,
    before_at: DateTime<FixedOffset>,
    next_dated: Option<DateTime<FixedOffset>>,
) -> Option<NextDay> {
    let local = at.with_timezone(&zone).naive_local() + Duration::days(1);
    let candidates = match crate::time::resolve_local(zone, local) {
        crate::time::Local::Single(x) => vec![x],
        crate::time::Local::Fold(a, b) => vec![a, b],
        crate::time::Local::Gap(transition) => {
            return Some(NextDay::Skipped(format!(
                "{} was skipped ({})",
                local.format("%Y-%m-%d %H:%M"),
                transition.describe()
            )));
        }
    };
    candidates
        .into_iter()
        .find(|x| *x >= before_at && next_dated.is_none_or(|n| *x <= n))
        .map(|x| NextDay::Valid(crate::time::local_text(zone, x.to_utc(), None)))
}

fn milestones(
    ctx: &Context,
    end: Option<(DateTime<FixedOffset>, crate::diagnostic::Span)>,
    out: &mut Vec<Diagnostic>,
) {
    let incident = ctx.incident;
    if incident.timeline.is_empty() {
        return;
    }
    // What the timeline lacks is reported at `timeline:`.
    let Some(timeline) = key_span(ctx.tree, "timeline") else {
        return;
    };
    let has = |kind| incident.timeline.iter().any(|e| e.kind.value == kind);
    // A misspelt kind (`kind: detection`) is `invalid-value` already; the
    // milestone it meant is probably there.
    let misspelt = has_unknown_kind(ctx.tree);
    if !has(EntryKind::Detected) && !misspelt {
        out.push(
            Diagnostic::new(&MISSING_MILESTONE, timeline, "the timeline has no `detected` entry")
                .help("mark the entry where the team learned of the problem `kind: detected`, with `how:` (monitoring, engineer, customer, other)"),
        );
    }
    let last_resolved = incident
        .timeline
        .iter()
        .rev()
        .find(|e| e.kind.value == EntryKind::Resolved);
    let Some(resolved) = last_resolved else {
        if misspelt {
            return;
        }
        out.push(
            Diagnostic::new(
                &MISSING_MILESTONE,
                timeline,
                "the timeline has no `resolved` entry",
            )
            .help("mark the entry where service was fully restored `kind: resolved`"),
        );
        return;
    };
    if let (Some(at), Some((end_at, end_span))) = (resolved.instant(), end)
        && at != end_at
        && !(at > end_at && impact_ends_at(incident, end_at))
    {
        out.push(
            Diagnostic::new(
                &RESOLVED_END_MISMATCH,
                resolved.at_span(),
                "the last `resolved` entry is not at `summary.end`",
            )
            .label(format!(
                "resolved at {}, {} {} the end",
                show(incident, at),
                human_duration((at - end_at).abs()),
                if at < end_at { "before" } else { "after" }
            ))
            .related(
                end_span,
                format!("summary.end is {}", show(incident, end_at)),
            )
            .help("make them the same instant: the incident ends when it is resolved"),
        );
    }
}

/// Whether an `impact-end` entry marks `summary.end`: the SRE style ends
/// the incident at the end of impact and closes it (`resolved`) later.
fn impact_ends_at(incident: &Incident, end_at: DateTime<FixedOffset>) -> bool {
    incident
        .timeline
        .iter()
        .any(|e| e.kind.value == EntryKind::ImpactEnd && e.instant() == Some(end_at))
}

/// Whether a timeline entry has a `kind` that is not one of the kinds.
fn has_unknown_kind(tree: &Node) -> bool {
    let Value::Map(top) = &tree.value else {
        return false;
    };
    let Some((_, timeline)) = top.iter().find(|(key, _)| key.name == "timeline") else {
        return false;
    };
    let Value::Seq(items) = &timeline.value else {
        return false;
    };
    items.iter().any(super::stream::has_unknown_kind)
}

/// Where a top-level key is written.
fn key_span(tree: &Node, name: &str) -> Option<Span> {
    match &tree.value {
        Value::Map(entries) => entries
            .iter()
            .find(|(key, _)| key.name == name)
            .map(|(key, _)| key.span),
        _ => None,
    }
}
