//! Resolution: reading each time once and resolving it to an instant in the
//! document's zone, which turns a decoded file into an [`Incident`]. The
//! time rules fire here, and are declared here.

use super::model::{
    AsWritten, Decoded, Entry, Incident, Precision, Resolved, Shared, Sp, Summary, Time,
};
use crate::diagnostic::{Diagnostic, Edit, Fix, Rule, RuleDocs, Severity, Span};
use crate::time::{self, ACCEPTED_FORMS, Problem, Written, abbreviation_zones, list};
use chrono::{NaiveDate, TimeZone};
use chrono_tz::Tz;

pub static INVALID_TIME: Rule = Rule {
    id: "invalid-time",
    severity: Severity::Error,
    summary: "A time that cannot be read.",
    docs: RuleDocs {
        what: "A `start`, `end` or `at` value is not in a form pm reads: `YYYY-MM-DD HH:MM[:SS]` (or with `T`), a time alone `HH:MM[:SS]`, or `h:MM AM`/`PM`, each optionally followed by a zone (`Z`, `+01:00`, `Africa/Lagos`, `WAT`). Also a time alone with no earlier date to take, and a `summary.start` without a date.",
        why: "Free-form times (\"around 4ish\", \"5th May: 7:00am\") are where postmortem timelines drift: nobody can compute a duration or an order from them.",
        example: "summary:\n  start: 5th May, 2023 7:00am",
        fix: "Write the time as `2023-05-05 07:00`. A time alone such as `\"16:40\"` takes the date of the entry before it. When only the separator between a date and its time is off (`2023-01-04/11:34`, `2023-01-04, 11:34`, `2023-01-04 at 11:34`), pm reads the time as meant, so the checks around it still run, and offers the canonical text as a safe fix. A start whose hour cannot be read still dates the times after it, and a timeline with no date at all is one finding, on its first time.",
        fixes: "Safe: a date and a time joined by `/`, `,`, `@` or `at` get a space between them; a form people write with one reading becomes its canonical text, when that text then reads as one instant (`1506 UTC` to `15:06 UTC`, `0233` to `02:33`, `3rd June 2023 10:00 am GMT` to `2023-06-03 10:00 AM GMT`). Unsafe: the same when the year is taken from the date before it (`Feb 8 0117 UTC`). A date that could be day or month first (`12/02/2025`) gets both readings in the help and no fix; so does a rewrite that would be an error of its own (`June 9, 2023, 10:00 AM (PST)` in a Los Angeles document: PST in June).",
    },
};

pub static UNKNOWN_TIMEZONE: Rule = Rule {
    id: "unknown-timezone",
    severity: Severity::Error,
    summary: "A zone that is not an IANA time zone.",
    docs: RuleDocs {
        what: "The document's `timezone`, or the zone written after a time, is not an IANA zone name (such as `Africa/Lagos`) nor an abbreviation pm knows. When `timezone` is an abbreviation such as `WAT` or `PST`, pm lists the IANA zones that use it on the incident's date.",
        why: "Abbreviations are ambiguous (`IST` is India, Ireland and Israel) and do not say when daylight saving applies. An IANA zone carries the full history of a place's clock changes, which is what makes durations across DST correct.",
        example: "timezone: WAT",
        fix: "Use the IANA name of the place, such as `timezone: Africa/Lagos`, or `UTC`.",
        fixes: "Safe: a misspelt zone name becomes the one IANA name it is close to (`Europe/Berln` to `Europe/Berlin`). Unsafe: an abbreviation as `timezone` that exactly one zone uses becomes that zone, since the author may have meant the fixed offset. Abbreviations after a time, and abbreviations several zones use, have no fix.",
    },
};

pub static ABBREVIATION_MISMATCH: Rule = Rule {
    id: "abbreviation-mismatch",
    severity: Severity::Error,
    summary: "A zone abbreviation not in effect in the document's zone at that time (PST in June).",
    docs: RuleDocs {
        what: "A time carries a zone abbreviation that the document's zone does not use at that date and time, such as `PST` on a June date in America/Los_Angeles, where `PDT` is in effect; or an abbreviation the document's zone never uses at all; or an abbreviation and an offset that disagree (`12:00 PDT -05:00`: PDT is -07:00). An abbreviation with the offset it stands for (`12:00 PDT -07:00`, `12:00 -0700 (PDT)`) is accepted.",
        why: "Writing PST in summer is one of the most common errors in public postmortems. It shifts every time by an hour, and a reader cannot know which was meant: the wall clock or the abbreviation.",
        example: "timezone: America/Los_Angeles\nsummary:\n  start: 2023-06-10 3:00 PM PST",
        fix: "Write the abbreviation in effect (`PDT`), or drop it: a time without a zone is read in the document's zone, which knows when DST applies.",
        fixes: "Safe: an abbreviation the zone uses at other times of year becomes the one in effect at that wall time (`3:10 PM PST` in June to `3:10 PM PDT`): the wall time is kept, and the zone's own clock says which applies. Unsafe: an abbreviation the zone never uses becomes the zone's own at that wall time (`01:34 PST` on New York's fall-back night to `01:34 EST`, standard for standard, since a bare `01:34` happened twice); the time may have come from another zone's clock. An abbreviation and an offset that disagree have no fix: either may be the one the clock showed.",
    },
};

pub static NONEXISTENT_TIME: Rule = Rule {
    id: "nonexistent-time",
    severity: Severity::Error,
    summary: "A local time that was skipped when clocks went forward.",
    docs: RuleDocs {
        what: "A time without an explicit offset falls in a DST gap of the document's zone: the clock jumped over it, so it never happened there. pm names the clock change.",
        why: "Such a time is always a mistake: it was copied from a system clock in another zone, or an hour was added or dropped by hand. Any duration computed from it is wrong.",
        example: "timezone: Europe/London\ntimeline:\n  - at: 2026-03-29 01:30   # clocks went from 01:00 GMT to 02:00 BST",
        fix: "Write the time as the clock showed it (after the jump), or give the offset or zone it was recorded in, such as `2026-03-29 01:30 Z`.",
        fixes: "Unsafe: the time is rewritten at the instant its abbreviation's offset gives (`02:30 CET` in Berlin's gap is 01:30 UTC, written `03:30`), or, with no abbreviation, at the offset before the change, as a clock not yet moved shows (Python's `fold=0`). Unsafe because the wall time may be what was right and the offset wrong. A time with an IANA zone of its own has no fix.",
    },
};

pub static AMBIGUOUS_TIME: Rule = Rule {
    id: "ambiguous-time",
    severity: Severity::Error,
    summary: "A local time that happened twice when clocks went back, with nothing to choose.",
    docs: RuleDocs {
        what: "A time without an offset or abbreviation falls in a DST fold of the document's zone: the clock showed it twice, an hour apart. pm names both candidates.",
        why: "Without saying which, the order of the timeline and every duration around it can be off by an hour.",
        example: "timezone: Europe/London\ntimeline:\n  - at: 2026-10-25 01:30   # 01:30 BST, or 01:30 GMT an hour later?",
        fix: "Add the offset or abbreviation: `2026-10-25 01:30 BST` (or `+01:00`) for the first, `2026-10-25 01:30 GMT` (or `+00:00`) for the second.",
        fixes: "",
    },
};

pub static MIXED_TIMEZONE: Rule = Rule {
    id: "mixed-timezone",
    severity: Severity::Warning,
    summary: "A time written in a zone or offset other than the document's.",
    docs: RuleDocs {
        what: "A time has an explicit offset or zone that differs from the document's zone at that instant, such as `15:10Z` in an Africa/Lagos document. pm compares it correctly as an instant; this warning is about readability.",
        why: "Timelines that switch zones are hard to read and easy to misorder by eye: `15:10Z` comes after `16:05` in Lagos.",
        example: "timezone: Africa/Lagos\ntimeline:\n  - at: 2023-09-10 16:05\n  - at: 2023-09-10 15:10Z",
        fix: "Convert the time to the document's zone (the message shows the local time), or drop the suffix if it was the local time all along.",
        fixes: "Safe: the time is rewritten on the document's clock at the same instant, with its date when the day differs, and with the abbreviation (or the offset, where both readings share one) when that wall time happened twice (`06:02 GMT` on New York's fall-back night is `01:02 EST`). The instant does not change.",
    },
};

pub static LEGACY_TIMEZONE: Rule = Rule {
    id: "legacy-timezone",
    severity: Severity::Warning,
    summary: "`timezone` is a legacy or fixed zone (EST, US/Eastern, Etc/GMT+5), not the zone of a place.",
    docs: RuleDocs {
        what: "The document's `timezone` is a valid zone name, but one tzdata keeps only for compatibility: a POSIX-style legacy zone (`EST`, `MST`, `HST`, `EST5EDT`, `CET`, ...), a fixed offset (`Etc/GMT+5`, whose sign is inverted, or `GMT+5`), or an old alias (`US/Eastern`, `GB`). pm says what the name really means and, when it can tell, the zone of the place to write instead. Other old names with a slash (`Asia/Calcutta`) are not recognised as legacy.",
        why: "`EST` is fixed at UTC−05:00 all year: a New York incident in July written against it is an hour off, with no warning. Aliases work today but are what tzdata deprecates, and editors no longer offer them.",
        example: "timezone: EST",
        fix: "Write the IANA zone of the place, such as `America/New_York`. The fix is unsafe: a document that really meant a fixed offset reads differently afterwards.",
        fixes: "Unsafe: the legacy name becomes the zone of the place (`US/Eastern` to `America/New_York`), since a document that meant a fixed offset reads differently afterwards.",
    },
};

// The timeline is resolved in the memory of the decoded one (`collect` over
// `into_iter` reuses a buffer whose items are as large or larger, and as
// aligned): for a 100,000-entry timeline that is 32 MB less at the peak. A
// larger or differently aligned resolved entry would quietly give that up,
// so it does not compile.
const _: () = assert!(
    size_of::<Entry<Resolved>>() <= size_of::<Entry<AsWritten>>()
        && align_of::<Entry<Resolved>>() == align_of::<Entry<AsWritten>>()
);

/// Resolves the document's zone and every time in it, in document order:
/// a time alone takes the date of the time before it.
pub fn resolve(decoded: Decoded, out: &mut Vec<Diagnostic>) -> Incident {
    let Decoded {
        status,
        texts,
        authors,
        timezone,
        zone: (),
        summary,
        timeline,
        measures,
        tasks,
        lessons,
        tags,
        contributing_factors,
        links,
        people,
        notes,
    } = decoded;
    let start = summary.start.map(|t| read(t, false));
    // A start whose hour cannot be read still gives its day (`2023-01-04 25:10`).
    let start_date = start.as_ref().and_then(|t| match &t.parsed {
        Ok(written) => written.date,
        Err(_) => time::leading_date(&t.written.value),
    });
    let zone = timezone
        .as_ref()
        .and_then(|tz| document_zone(tz, start_date, out));

    let mut carried = None;
    let first_undated = out.len();
    let start = start.map(|mut start| {
        carried = resolve_time(&mut start, None, zone, out);
        start
    });
    let end = summary.end.map(|end| {
        let mut end = read(end, false);
        resolve_time(&mut end, carried, zone, out);
        end
    });
    let timeline = timeline
        .into_iter()
        .map(|entry: Entry<AsWritten>| {
            let at = entry.at.map(|at| {
                let mut at = read(at, true);
                carried = resolve_time(&mut at, carried, zone, out).or(carried);
                Box::new(at)
            });
            Entry {
                span: entry.span,
                at,
                kind: entry.kind,
                how: entry.how,
                to: entry.to,
                text: entry.text,
                by: entry.by,
                url: entry.url,
            }
        })
        .collect();
    one_root_for_undated(out, first_undated);
    Incident {
        status,
        texts,
        authors,
        timezone,
        zone,
        summary: Summary {
            span: summary.span,
            texts: summary.texts,
            start: start.map(Box::new),
            end: end.map(Box::new),
            duration: summary.duration,
            affected: summary.affected,
        },
        timeline,
        measures,
        tasks,
        lessons,
        tags,
        contributing_factors,
        links,
        people,
        notes,
    }
}

/// Reads a time's text, once; what it means is resolved later. A leading
/// `~` makes it approximate; in the timeline, `unknown` and a date alone
/// are times too.
fn read(written: Sp<Shared>, in_timeline: bool) -> Time {
    let text = written.value.trim();
    let (precision, parsed) = if let Some(about) = text.strip_prefix('~') {
        (Precision::Approximate, time::parse(about))
    } else if in_timeline && text.eq_ignore_ascii_case("unknown") {
        (
            Precision::Unknown,
            Err(time::SyntaxError("the time is not known".into())),
        )
    } else if let Some(date) = in_timeline
        .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .flatten()
    {
        (
            Precision::Date,
            Ok(time::Written {
                date: Some(date),
                time: chrono::NaiveTime::MIN,
                zone: None,
            }),
        )
    } else {
        (Precision::Exact, time::parse(text))
    };
    let day = match precision {
        Precision::Date => parsed.as_ref().ok().and_then(|w| w.date),
        _ => None,
    };
    Time {
        written,
        precision,
        day,
        parsed,
        at: None,
    }
}

fn document_zone(
    written: &Sp<String>,
    date: Option<NaiveDate>,
    out: &mut Vec<Diagnostic>,
) -> Option<Tz> {
    let name = written.value.trim();
    match time::parse_zone_name(name) {
        Ok(tz) => {
            if let Some(legacy) = time::legacy_zone(tz) {
                out.push(legacy_diagnostic(written, name, &legacy));
            }
            return Some(tz);
        }
        Err(Some(spelling)) => {
            out.push(
                Diagnostic::new(
                    &UNKNOWN_TIMEZONE,
                    written.span,
                    format!("`{name}` is not an IANA time zone"),
                )
                .label(format!("did you mean `{spelling}`?"))
                .help(format!("write `timezone: {spelling}`"))
                .fix(Fix::safe(written.span, spelling)),
            );
            return None;
        }
        Err(None) => {}
    }
    let mut diagnostic = Diagnostic::new(
        &UNKNOWN_TIMEZONE,
        written.span,
        format!("`{name}` is not an IANA time zone"),
    );
    let upper = name.to_ascii_uppercase();
    // On the incident's date first, then the rest of the year: `PST` in
    // June is Asia/Manila's, but the writer more likely meant Los Angeles.
    let on_date = date
        .map(|d| time::zones_using(&upper, d))
        .unwrap_or_default();
    let mut in_year = abbreviation_zones(&upper, date);
    in_year.retain(|zone| !on_date.contains(zone));
    let mut all = [on_date.as_slice(), in_year.as_slice()].concat();
    time::sort_zones(&mut all);
    if let Some(first) = all.first() {
        let label = match (date, on_date.is_empty(), in_year.is_empty()) {
            (Some(d), false, true) => format!(
                "`{upper}` is an abbreviation, used on {d} by {}",
                list(&on_date)
            ),
            (Some(d), false, false) => format!(
                "`{upper}` is an abbreviation, used on {d} by {}, and at other times of year by {}",
                list(&on_date),
                list(&in_year)
            ),
            _ => format!("`{upper}` is an abbreviation, used by {}", list(&in_year)),
        };
        diagnostic = diagnostic.label(label).help(format!(
            "write the IANA zone of the place, such as `timezone: {first}`: it knows when daylight saving applies"
        ));
        // One zone uses it: the place is likely, not certain (a fixed
        // offset may have been meant), so the fix is unsafe.
        if all.len() == 1 {
            diagnostic = diagnostic.fix(Fix::unsafe_(written.span, *first));
        }
    } else {
        diagnostic = diagnostic.help(
            "use an IANA zone name such as `Africa/Lagos` or `America/Los_Angeles`, or `UTC`",
        );
    }
    out.push(diagnostic);
    None
}

/// `legacy-timezone`, with an unsafe fix to the zone of the place.
fn legacy_diagnostic(written: &Sp<String>, name: &str, legacy: &time::Legacy) -> Diagnostic {
    let mut diagnostic = Diagnostic::new(
        &LEGACY_TIMEZONE,
        written.span,
        format!("`{name}` is a legacy zone: {}", legacy.what),
    );
    match legacy.instead {
        Some(zone) => {
            let place = zone.rsplit('/').next().unwrap_or(zone).replace('_', " ");
            diagnostic = diagnostic
                .help(format!(
                    "for {place} write `{zone}`, which knows when daylight saving applies"
                ))
                .fix(crate::diagnostic::Fix::unsafe_(written.span, zone));
        }
        None => {
            diagnostic = diagnostic.help(
                "write the IANA zone of the place, such as `America/Bogota`, or give each time its offset",
            );
        }
    }
    diagnostic
}

/// Resolves one time; returns the date it is on as written, to carry to the next.
fn resolve_time(
    time: &mut Time,
    carried: Option<NaiveDate>,
    zone: Option<Tz>,
    out: &mut Vec<Diagnostic>,
) -> Option<NaiveDate> {
    let span = time.written.span;
    let text = time.written.value.trim().to_owned();
    match time.precision {
        // Kept in its place, in no comparison, and no date to carry.
        Precision::Unknown => return None,
        // The day is what it says; the next time alone takes it.
        Precision::Date => return time.day,
        Precision::Exact | Precision::Approximate => {}
    }
    let written = match time.parsed.clone() {
        Ok(written) => written,
        Err(time::SyntaxError(reason)) => {
            let invalid = Diagnostic::new(
                &INVALID_TIME,
                span,
                format!("`{text}` is not a time pm can read"),
            );
            let body = text.strip_prefix('~').unwrap_or(&text);
            let Some((canonical, recovered)) = time::recover(body) else {
                out.push(on_text(
                    human_help(invalid.label(reason), &text, carried, zone),
                    &time.written,
                ));
                // Its day, when it starts with one, is still the day of the times after it.
                return time::leading_date(body).or(carried);
            };
            // No cascade: what is clearly meant is checked with the rest.
            out.push(on_text(
                invalid
                    .label(format!("read as `{canonical}` meanwhile"))
                    .help(format!(
                        "write it as `{canonical}`: a space goes between the date and the time"
                    ))
                    .fix(Fix::safe(span, canonical)),
                &time.written,
            ));
            time.parsed = Ok(recovered.clone());
            recovered
        }
    };
    let Some(date) = written.date.or(carried) else {
        out.push(
            Diagnostic::new(
                &INVALID_TIME,
                span,
                format!("`{text}` has no date, {UNDATED}"),
            )
            .help(format!(
                "write the date: `YYYY-MM-DD {}`",
                written.time.format("%H:%M")
            )),
        );
        return None;
    };
    time.day = Some(date);
    // A time with no zone of its own needs the document's.
    let zone_for_resolution = match (zone, &written.zone) {
        (Some(zone), _) => zone,
        (
            None,
            Some(
                time::WrittenZone::Utc(_)
                | time::WrittenZone::Offset(_)
                | time::WrittenZone::AbbreviationOffset(..)
                | time::WrittenZone::Iana(_),
            ),
        ) => chrono_tz::UTC,
        (None, _) => return Some(date),
    };
    match time::resolve(&written, date, zone_for_resolution) {
        Ok(resolved) => {
            time.at = Some(resolved.at);
            if let (Some(zone), Some(foreign)) = (zone, resolved.foreign_zone) {
                let local = resolved.at.with_timezone(&zone);
                let on = written.date.is_none().then_some(date);
                let instead = time::local_text(zone, resolved.at.to_utc(), on);
                out.push(on_text(
                    Diagnostic::new(
                        &MIXED_TIMEZONE,
                        span,
                        format!(
                            "this time is written in `{foreign}`, not in the document's zone {}",
                            zone.name()
                        ),
                    )
                    .label(format!(
                        "{} in {}",
                        time::format_in_zone(&local, "%Y-%m-%d %H:%M %Z"),
                        zone.name()
                    ))
                    .help(format!(
                        "write it as `{instead}` so the timeline reads in one zone"
                    ))
                    // The instant is kept: only how it is written changes.
                    .fix(Fix::safe(span, instead)),
                    &time.written,
                ));
            }
        }
        Err(problem) => out.push(on_text(
            problem_diagnostic(problem, &text, span, &written, date),
            &time.written,
        )),
    }
    Some(date)
}

/// One mistake, one finding: when the first time has no date, every time
/// after it that takes the date has none either. The first is the finding;
/// the others are its secondary labels.
fn one_root_for_undated(out: &mut Vec<Diagnostic>, from: usize) {
    let undated = |d: &Diagnostic| d.rule.id == INVALID_TIME.id && d.message.ends_with(UNDATED);
    let Some(root) = (from..out.len()).find(|&i| undated(&out[i])) else {
        return;
    };
    let mut index = root + 1;
    while index < out.len() {
        if undated(&out[index]) {
            let later = out.remove(index);
            out[root].related.push((
                later.span,
                "no date either: it takes the one before".to_owned(),
            ));
        } else {
            index += 1;
        }
    }
    let count = out[root].related.len();
    if count > 0 {
        let first = &mut out[root];
        first.help = Some(format!(
            "{}; the {} times after it take the date from it",
            first.help.take().unwrap_or_default(),
            count
        ));
    }
}

const UNDATED: &str = "and nothing before it has one";

/// Moves a finding's fix from the whole of a time's value (the span
/// `problem_diagnostic` sees) onto the time's text inside any quotes, and
/// keeps a leading `~`: the edit replaces the time and nothing around it.
/// The fix is dropped when the source is not a plain copy of the value.
fn on_text(mut diagnostic: Diagnostic, written: &Sp<Shared>) -> Diagnostic {
    diagnostic.fix = diagnostic.fix.take().and_then(|fix| retarget(fix, written));
    diagnostic
}

/// A fix that writes `text` in place of a time's text (quotes and a
/// leading `~` kept), for rules that suggest another time.
pub fn time_fix(
    written: &Sp<Shared>,
    applicability: crate::diagnostic::Applicability,
    text: impl Into<String>,
) -> Option<Fix> {
    let whole = Fix {
        applicability,
        edits: vec![Edit {
            span: written.span,
            text: text.into(),
        }],
    };
    retarget(whole, written)
}

fn retarget(fix: Fix, written: &Sp<Shared>) -> Option<Fix> {
    let inner = text_span(written)?;
    let approximate = written.value.trim().starts_with('~');
    let edits = fix
        .edits
        .into_iter()
        .map(|edit| {
            if edit.span == written.span {
                let prefix = if approximate { "~" } else { "" };
                Edit {
                    span: inner,
                    text: format!("{prefix}{}", edit.text),
                }
            } else {
                edit
            }
        })
        .collect();
    Some(Fix {
        applicability: fix.applicability,
        edits,
    })
}

/// The span of a one-line scalar's trimmed text, inside its quotes.
fn text_span(written: &Sp<Shared>) -> Option<Span> {
    let value = &written.value;
    if value.contains(['\n', '\\', '\'', '"']) {
        return None;
    }
    let chars = u32::try_from(value.chars().count()).ok()?;
    let span = written.span;
    let column = if span.len == chars {
        span.column
    } else if span.len == chars + 2 {
        span.column + 1
    } else {
        return None;
    };
    let lead = u32::try_from(value.chars().take_while(|c| c.is_whitespace()).count()).ok()?;
    Some(Span {
        line: span.line,
        column: column + lead,
        len: u32::try_from(value.trim().chars().count()).ok()?,
    })
}

/// The time's text with its last `abbr` (any case) replaced, without a
/// leading `~`: `02:30 PST` with `PDT` is `02:30 PDT`.
fn with_abbreviation(text: &str, abbr: &str, instead: &str) -> Option<String> {
    let bare = text.strip_prefix('~').unwrap_or(text).trim_start();
    let upper = bare.to_ascii_uppercase();
    let at = upper.rfind(&abbr.to_ascii_uppercase())?;
    let end = at + abbr.len();
    let rest = &bare[end..];
    if instead.is_empty() {
        // Dropping it: the space before, and parentheses around it.
        let head = bare[..at].trim_end_matches('(').trim_end();
        let tail = rest.strip_prefix(')').unwrap_or(rest);
        return Some(format!("{head}{tail}"));
    }
    Some(format!("{}{instead}{rest}", &bare[..at]))
}

/// `BST (+01:00)`, or `+02:00` alone where the zone has no abbreviation.
fn reading_label(reading: &time::ZoneReading) -> String {
    let offset = reading.offset.to_string();
    if reading.abbreviation == offset {
        offset
    } else {
        format!("{} ({offset})", reading.abbreviation)
    }
}

/// The help of `invalid-time` on a form people write (issue 14): the
/// canonical text, with a fix when it then reads as one instant (safe, or
/// unsafe when the year came from the date before); both readings of a
/// date that could be day or month first; else the forms pm accepts.
fn human_help(
    diagnostic: Diagnostic,
    text: &str,
    carried: Option<NaiveDate>,
    zone: Option<Tz>,
) -> Diagnostic {
    use chrono::Datelike;
    let bare = text.strip_prefix('~').unwrap_or(text).trim_start();
    match time::human_form(bare, carried.map(|d| d.year())) {
        Some(time::HumanForm::Canonical {
            text: instead,
            year_taken,
        }) => {
            let clean = time::parse(&instead).ok().is_some_and(|written| {
                written.date.or(carried).is_some_and(|date| {
                    zone.is_none_or(|zone| time::resolve(&written, date, zone).is_ok())
                })
            });
            let diagnostic = diagnostic.help(format!("write it as `{instead}`"));
            let span = diagnostic.span;
            match (clean, year_taken) {
                (false, _) => diagnostic,
                (true, false) => diagnostic.fix(Fix::safe(span, instead)),
                // The year is the date before's: likely, not certain.
                (true, true) => diagnostic.fix(Fix::unsafe_(span, instead)),
            }
        }
        Some(time::HumanForm::Either(readings)) => {
            let words: Vec<String> = readings.iter().map(|(_, w)| w.clone()).collect();
            let texts: Vec<String> = readings.iter().map(|(t, _)| format!("`{t}`")).collect();
            diagnostic.help(format!(
                "`{bare}` could be {}: write {}",
                words.join(" or "),
                texts.join(" or ")
            ))
        }
        None => diagnostic.help(format!("write it as {ACCEPTED_FORMS}")),
    }
}

/// A wall time in a gap, read at the offset its abbreviation stands for
/// (or, with none, the offset before the change, as a clock not yet moved
/// would show): why, and the text that writes that instant on the clock.
fn gap_reading(
    written: &Written,
    date: NaiveDate,
    zone: Tz,
    transition: &time::Transition,
) -> Option<(String, String)> {
    let local = written.date.unwrap_or(date).and_time(written.time);
    let (why, offset) = match &written.zone {
        None => (
            format!(
                "read at the offset before the change ({} {})",
                transition.before.abbreviation, transition.before.offset
            ),
            transition.before.offset,
        ),
        Some(time::WrittenZone::Abbreviation(abbr)) => {
            let offset = time::offset_named(zone, abbr, date)?;
            (format!("`{abbr}` is {offset}"), offset)
        }
        Some(_) => return None,
    };
    let at = offset.from_local_datetime(&local).single()?.to_utc();
    let on = written.date.is_none().then_some(date);
    let instead = time::local_text(zone, at, on);
    let shown = time::format_in_zone(&at.with_timezone(&zone), "%H:%M %Z");
    Some((format!("{why}, so this is {shown}"), instead))
}

/// An abbreviation the document's zone never uses, on a wall time its clock
/// did show: the same wall time on the zone's clock, with the abbreviation
/// of the zone's reading when it happened twice (the daylight one for a
/// daylight abbreviation, the standard one for a standard one).
fn own_clock(
    text: &str,
    abbr: &str,
    written: &Written,
    date: NaiveDate,
    zone: Tz,
) -> Option<(String, String)> {
    let local = written.date.unwrap_or(date).and_time(written.time);
    match time::resolve_local(zone, local) {
        time::Local::Single(at) => {
            let label = time::abbreviation_at(zone, at.to_utc());
            let instead = if label.starts_with(['+', '-']) {
                with_abbreviation(text, abbr, "")?
            } else {
                with_abbreviation(text, abbr, &label)?
            };
            Some((String::new(), instead))
        }
        time::Local::Fold(earlier, later) => {
            use chrono_tz::OffsetComponents;
            let daylight = time::is_daylight(abbr, zone, date)?;
            let pick = [earlier, later].into_iter().find(|at| {
                let offset = zone.offset_from_utc_datetime(&at.naive_utc());
                offset.dst_offset().is_zero() != daylight
            })?;
            let label = time::abbreviation_at(zone, pick.to_utc());
            if label.starts_with(['+', '-']) {
                return None;
            }
            let kind = if daylight { "daylight" } else { "standard" };
            Some((
                format!(
                    " ({kind} time, as `{abbr}` is: {} happened twice)",
                    written.time.format("%H:%M")
                ),
                with_abbreviation(text, abbr, &label)?,
            ))
        }
        time::Local::Gap(_) => None,
    }
}

/// `date` is the day the time is on: its own, or the one it took.
/// A time problem as a finding: what is wrong, the label under the time, and
/// the help. `pm new` words its refusals from this too.
pub fn problem_diagnostic(
    problem: Problem,
    text: &str,
    span: Span,
    written: &Written,
    date: NaiveDate,
) -> Diagnostic {
    let hm = written.time.format("%H:%M").to_string();
    match problem {
        Problem::Nonexistent { local, zone, transition } => {
            let diagnostic = Diagnostic::new(
                &NONEXISTENT_TIME,
                span,
                format!("{} does not exist in {}", local.format("%Y-%m-%d %H:%M"), zone.name()),
            )
            .label(format!("skipped: {}", transition.describe()));
            match gap_reading(written, date, zone, &transition) {
                Some((why, instead)) => diagnostic
                    .help(format!("{why}: write `{instead}`, or the time the clock showed"))
                    // Unsafe: it takes the offset to be right and the wall
                    // time wrong; the author may have meant the reverse.
                    .fix(Fix::unsafe_(span, instead)),
                None => diagnostic.help(
                    "write the time as the clock showed it, or add the offset it was recorded in",
                ),
            }
        }
        Problem::Ambiguous { local, zone, earlier, later } => Diagnostic::new(
            &AMBIGUOUS_TIME,
            span,
            format!("{} happened twice in {}", local.format("%Y-%m-%d %H:%M"), zone.name()),
        )
        .label(format!(
            "{hm} {} or, an hour later, {hm} {}",
            reading_label(&earlier),
            reading_label(&later)
        ))
        .help(format!(
            "say which: `{text} {}` for the first, `{text} {}` for the second",
            earlier.abbreviation, later.abbreviation
        )),
        Problem::AbbreviationMismatch { written: abbr, zone, in_effect, used_elsewhere_in_year, zones_using } => {
            if used_elsewhere_in_year {
                let diagnostic = Diagnostic::new(
                    &ABBREVIATION_MISMATCH,
                    span,
                    format!("`{abbr}` is not in effect in {} at this time: {in_effect} is", zone.name()),
                )
                .label(format!("{in_effect} is in effect on {date}"));
                match with_abbreviation(text, &abbr, &in_effect) {
                    // Safe: the wall time is kept and the abbreviation
                    // follows it, as the zone's own clock would.
                    Some(instead) => diagnostic
                        .help(format!(
                            "write `{instead}`, or drop the abbreviation: times without one are read in {}",
                            zone.name()
                        ))
                        .fix(Fix::safe(span, instead)),
                    None => diagnostic.help(format!(
                        "write `{in_effect}`, or drop the abbreviation: times without one are read in {}",
                        zone.name()
                    )),
                }
            } else {
                let mut diagnostic = Diagnostic::new(
                    &ABBREVIATION_MISMATCH,
                    span,
                    format!("{} never uses `{abbr}`", zone.name()),
                );
                if !zones_using.is_empty() {
                    diagnostic = diagnostic.label(format!("`{abbr}` is used by {}", list(&zones_using)));
                }
                let offset = zones_using
                    .first()
                    .and_then(|name| name.parse::<Tz>().ok())
                    .and_then(|tz| time::zone_offset_named(tz, &abbr, date));
                let foreign = offset.map_or_else(String::new, |offset| {
                    format!("; if the time is from a clock in another zone, write its offset: `{hm} {offset}`")
                });
                match own_clock(text, &abbr, written, date, zone) {
                    // Unsafe: the abbreviation may have been right and the
                    // clock another zone's.
                    Some((why, instead)) => diagnostic
                        .help(format!(
                            "if it was the clock in {}, write `{instead}`{why}{foreign}",
                            zone.name()
                        ))
                        .fix(Fix::unsafe_(span, instead)),
                    None => diagnostic.help(format!(
                        "the wall time {hm} does not exist or happened twice in {}{foreign}",
                        zone.name()
                    )),
                }
            }
        }
        Problem::AbbreviationOffsetMismatch { written: abbr, offset, means } => Diagnostic::new(
            &ABBREVIATION_MISMATCH,
            span,
            format!("`{abbr}` and `{offset}` disagree: {abbr} is {means}, not {offset}"),
        )
        .label(format!("{abbr} means {means}"))
        .help(format!(
            "keep the one the clock showed: `{hm} {offset}` or `{hm} {abbr}`"
        )),
        Problem::UnknownAbbreviation { written: abbr } => Diagnostic::new(
            &UNKNOWN_TIMEZONE,
            span,
            format!("`{abbr}` is not a time zone pm knows"),
        )
        .help("use an offset such as `+01:00`, an IANA zone such as `Africa/Lagos`, or no zone at all to use the document's"),
    }
}
