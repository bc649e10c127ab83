//! `prose-date`: dates in the prose that are no real date, weekdays that do
//! not match the date beside them, and dates or times in the summary's prose
//! outside the incident's window.
//!
//! The prose is read with a small tokenizer rather than regexes: the rule
//! runs on every file, and most prose holds no date at all.

use super::{Context, Rule, RuleDocs};
use crate::diagnostic::{Diagnostic, Severity};
use crate::incident::Sp;
use crate::incident::format::each_prose;
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Weekday};
use chrono_tz::Tz;

pub static PROSE_DATE: Rule = Rule {
    id: "prose-date",
    severity: Severity::Warning,
    summary: "A date in the prose that is no real date, a weekday that does not match its date, or a summary time outside the incident.",
    docs: RuleDocs {
        what: "The prose holds a date that does not exist (`2023-04-31`, `February 30`, `31/04/2023`, `203/2025`), a weekday next to a date that falls on another day (\"Tuesday, 2023-01-04\": it was a Wednesday), or, in `summary.impact` and `summary.cause`, a date or time of day that falls outside the incident: before `summary.start` (before the earliest `trigger` entry for the cause) or after `summary.end`. A date without a year takes the year of `summary.start`; a time of day alone is compared on each day the incident spans. Prose times are read like the file's own, with their zone (`14:05 UTC`) or in the document's zone.",
        why: "Prose is copied from chat logs and older drafts, and it drifts from the structured times: a summary that says the outage ended at 16:30 when `summary.end` says 16:00, or a weekday that contradicts the date, leaves the reader unsure which to believe. Impossible dates are typos that no reader can correct alone.",
        example: "summary:\n  start: 2023-01-04 14:00\n  end: 2023-01-04 16:00\n  impact: On Tuesday, 2023-01-04, from 14:00 to 16:30 UTC, checkouts failed.",
        fix: "Correct the prose or the field it disagrees with: here 2023-01-04 was a Wednesday, and 16:30 is after `summary.end`. pm cannot tell which side is wrong, so there is no automatic fix.",
        fixes: "",
    },
};

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let incident = ctx.incident;
    let start = incident.summary.start.as_ref();
    let year = start.and_then(|t| t.day).map(|d| d.year());
    let mut starts: Option<Vec<usize>> = None;
    let mut report = |text: &Sp<&str>, at: usize, phrase: &str, message: String, help: &str| {
        let starts = starts.get_or_insert_with(|| super::writing::node_starts(ctx));
        let span = super::writing::locate(ctx.source, starts, text, at, phrase);
        out.push(Diagnostic::new(&PROSE_DATE, span, message).help(help.to_owned()));
    };
    each_prose(ctx.tree, &mut |text| {
        for found in scan(text.value, year) {
            if let Some((message, help)) = found.problem() {
                report(
                    &text,
                    found.start,
                    &text.value[found.start..found.end],
                    message,
                    help,
                );
            }
        }
    });
    let (Some(zone), Some(from), Some(to)) = (
        incident.zone,
        start.and_then(|t| t.at),
        incident.summary.end.as_ref().and_then(|t| t.at),
    ) else {
        return;
    };
    if to < from {
        return;
    }
    let earliest_trigger = incident
        .timeline
        .iter()
        .filter(|e| e.kind.value == crate::incident::EntryKind::Trigger)
        .filter_map(crate::incident::Entry::instant)
        .min();
    let window = Window { zone, from, to };
    for (field, texts) in [
        ("summary.impact", incident.summary.impact()),
        ("summary.cause", incident.summary.cause()),
    ] {
        let Some(written) = texts else { continue };
        let text = Sp::new(written.value.as_str(), written.span);
        let window = if field == "summary.cause" {
            Window {
                from: earliest_trigger.map_or(from, |t| t.min(from)),
                ..window
            }
        } else {
            window
        };
        for found in scan(text.value, year) {
            if found.problem().is_some() {
                continue;
            }
            let phrase = &text.value[found.start..found.end];
            if let Some(side) = window.outside(&found) {
                let (bound, name) = match side {
                    Side::Before => (window.from, "summary.start"),
                    Side::After => (window.to, "summary.end"),
                };
                let bound =
                    crate::time::format_in_zone(&bound.with_timezone(&zone), "%Y-%m-%d %H:%M %Z");
                let relation = if side == Side::Before {
                    "before"
                } else {
                    "after"
                };
                let message = format!("`{phrase}` in {field} is {relation} {name} ({bound})");
                report(
                    &text,
                    found.start,
                    phrase,
                    message,
                    "correct the prose, or the field it disagrees with: the summary should describe the same window as `start` and `end`",
                );
            }
        }
    }
}

#[derive(Clone, Copy)]
struct Window {
    zone: Tz,
    from: DateTime<FixedOffset>,
    to: DateTime<FixedOffset>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Before,
    After,
}

impl Window {
    fn days(&self) -> Vec<NaiveDate> {
        let first = self.from.with_timezone(&self.zone).date_naive();
        let last = self.to.with_timezone(&self.zone).date_naive();
        first
            .iter_days()
            .take_while(|d| *d <= last)
            .take(31)
            .collect()
    }

    /// Which side of the window a found date or time lies on, if outside.
    fn outside(&self, found: &Found) -> Option<Side> {
        match &found.what {
            What::Date {
                date: Some(date), ..
            } => {
                let days = self.days();
                if days.first().is_some_and(|first| date < first) {
                    Some(Side::Before)
                } else if days.last().is_some_and(|last| date > last) {
                    Some(Side::After)
                } else {
                    None
                }
            }
            What::Time { text, date } => {
                let written = crate::time::parse(text).ok()?;
                let days = match date.or(written.date) {
                    Some(day) => vec![day],
                    None => self.days(),
                };
                let mut side = None;
                for day in days {
                    let at = crate::time::resolve(&written, day, self.zone).ok()?.at;
                    if at < self.from {
                        side = side.or(Some(Side::Before));
                    } else if at > self.to {
                        side = Some(Side::After);
                    } else {
                        return None;
                    }
                }
                side
            }
            What::Date { .. } => None,
        }
    }
}

/// A date or time found in prose, as byte offsets into the text.
#[derive(Debug, PartialEq)]
struct Found {
    start: usize,
    end: usize,
    what: What,
}

#[derive(Debug, PartialEq)]
enum What {
    /// A date; `None` when it does not exist, with why.
    Date {
        date: Option<NaiveDate>,
        invalid: Option<String>,
        weekday: Option<Weekday>,
    },
    /// A time of day, as pm would read it, and the date written before it.
    Time {
        text: String,
        date: Option<NaiveDate>,
    },
}

impl Found {
    fn problem(&self) -> Option<(String, &'static str)> {
        let What::Date {
            date,
            invalid,
            weekday,
        } = &self.what
        else {
            return None;
        };
        if let Some(why) = invalid {
            return Some((
                why.clone(),
                "correct the date, and write it as `YYYY-MM-DD` so nobody has to guess the order of day and month",
            ));
        }
        match (date, weekday) {
            (Some(date), Some(weekday)) if date.weekday() != *weekday => Some((
                format!(
                    "{date} was a {}, not a {}",
                    weekday_name(date.weekday()),
                    weekday_name(*weekday)
                ),
                "correct the weekday or the date: one of them is wrong",
            )),
            _ => None,
        }
    }
}

fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Word,
    Number,
    Punct(char),
}

#[derive(Clone, Copy, Debug)]
struct Token<'a> {
    kind: Kind,
    text: &'a str,
    start: usize,
    end: usize,
    /// Whitespace comes before it.
    spaced: bool,
}

/// The text as words, numbers and single punctuation characters. ASCII is
/// read a byte at a time and only other characters are decoded: decoding
/// every character was half the rule's cost.
fn tokens(text: &str) -> Vec<Token<'_>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len() / 4 + 1);
    let mut at = 0;
    let mut spaced = true;
    while at < bytes.len() {
        let (c, len) = char_at(text, at);
        if c.is_whitespace() {
            spaced = true;
            at += len;
            continue;
        }
        let start = at;
        at += len;
        let kind = if c.is_ascii_digit() {
            while bytes.get(at).is_some_and(u8::is_ascii_digit) {
                at += 1;
            }
            Kind::Number
        } else if c.is_alphabetic() {
            while let Some(&b) = bytes.get(at) {
                if b.is_ascii_alphabetic() {
                    at += 1;
                    continue;
                }
                let (next, len) = char_at(text, at);
                if b.is_ascii() || !next.is_alphabetic() {
                    break;
                }
                at += len;
            }
            Kind::Word
        } else {
            Kind::Punct(c)
        };
        out.push(Token {
            kind,
            text: &text[start..at],
            start,
            end: at,
            spaced,
        });
        spaced = false;
    }
    out
}

/// Whether the bytes hold an ASCII digit: 16 bytes at a time, with no
/// early exit inside a block, so that the compiler can use SIMD for it.
fn has_digit(bytes: &[u8]) -> bool {
    let blocks = bytes.chunks_exact(16);
    let rest = blocks.remainder();
    blocks
        .into_iter()
        .any(|block| block.iter().fold(false, |any, b| any | b.is_ascii_digit()))
        || rest.iter().any(u8::is_ascii_digit)
}

/// The character at byte `at`, which starts one, and its length.
#[inline]
fn char_at(text: &str, at: usize) -> (char, usize) {
    let byte = text.as_bytes()[at];
    if byte.is_ascii() {
        return (char::from(byte), 1);
    }
    let c = text[at..]
        .chars()
        .next()
        .unwrap_or(char::REPLACEMENT_CHARACTER);
    (c, c.len_utf8())
}

/// A capitalised month name or its abbreviation (`May` the month, `may`
/// the verb).
fn month(word: &str) -> Option<u32> {
    if !(3..=10).contains(&word.len()) || !word.starts_with(|c: char| c.is_ascii_uppercase()) {
        return None;
    }
    crate::time::month_from_name(word)
}

fn weekday(word: &str) -> Option<Weekday> {
    if !(3..=9).contains(&word.len()) || !word.starts_with(|c: char| c.is_ascii_uppercase()) {
        return None;
    }
    [
        ("monday", Weekday::Mon),
        ("tuesday", Weekday::Tue),
        ("wednesday", Weekday::Wed),
        ("thursday", Weekday::Thu),
        ("friday", Weekday::Fri),
        ("saturday", Weekday::Sat),
        ("sunday", Weekday::Sun),
    ]
    .into_iter()
    .find(|(name, _)| {
        word.eq_ignore_ascii_case(name)
            || (word.len() == 3 && word.eq_ignore_ascii_case(&name[..3]))
    })
    .map(|(_, day)| day)
}

fn number(token: Option<&Token>, digits: std::ops::RangeInclusive<usize>) -> Option<u32> {
    let token = token?;
    (token.kind == Kind::Number && digits.contains(&token.text.len()))
        .then(|| token.text.parse().ok())
        .flatten()
}

fn is(token: Option<&Token>, c: char) -> bool {
    token.is_some_and(|t| t.kind == Kind::Punct(c) && !t.spaced)
}

fn days_in(month: u32, year: Option<i32>) -> u32 {
    let year = year.unwrap_or(2024); // a leap year: `February 29` alone may be real
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    next.and_then(|n| n.pred_opt()).map_or(31, |d| d.day())
}

/// A date read at `at`: where it ends (token index past it), the date and why it is invalid.
fn date_at(
    tokens: &[Token],
    at: usize,
    year: Option<i32>,
) -> Option<(usize, Option<NaiveDate>, Option<String>)> {
    let tok = |pos: usize| tokens.get(pos);
    // YYYY-MM-DD
    if let (Some(year_n), true, Some(month_n), true, Some(day_n)) = (
        number(tok(at), 4..=4),
        is(tok(at + 1), '-'),
        number(tok(at + 2), 2..=2),
        is(tok(at + 3), '-'),
        number(tok(at + 4), 2..=2),
    ) {
        let written = &tokens[at].text;
        let year_n = i32::try_from(year_n).ok()?;
        return Some(match NaiveDate::from_ymd_opt(year_n, month_n, day_n) {
            Some(date) => (at + 5, Some(date), None),
            None => (
                at + 5,
                None,
                Some(format!(
                    "`{written}-{month_n:02}-{day_n:02}` is not a date: {}",
                    invalid_reason(month_n, Some(year_n))
                )),
            ),
        });
    }
    // Slashes: D/M/Y, M/D/Y, Y/M/D, or M/Y.
    if let (Some(first), true, Some(second)) = (
        number(tok(at), 1..=4),
        is(tok(at + 1), '/'),
        number(tok(at + 2), 1..=4),
    ) {
        let three = is(tok(at + 3), '/')
            .then(|| number(tok(at + 4), 2..=4))
            .flatten();
        let text_end = if three.is_some() { at + 5 } else { at + 3 };
        let written: String = tokens[at..text_end].iter().map(|tok| tok.text).collect();
        if let Some(third) = three {
            let full_year = |year_n: u32| if year_n < 100 { 2000 + year_n } else { year_n };
            let readings = [
                (full_year(third), second, first), // D/M/Y
                (full_year(third), first, second), // M/D/Y
                (first, second, third),            // Y/M/D
            ];
            let valid: Vec<NaiveDate> = readings
                .iter()
                .filter(|(year_n, _, _)| (1900..=2100).contains(year_n))
                .filter_map(|&(year_n, month_n, day_n)| {
                    NaiveDate::from_ymd_opt(i32::try_from(year_n).ok()?, month_n, day_n)
                })
                .collect();
            return Some(if valid.is_empty() {
                (
                    text_end,
                    None,
                    Some(format!(
                        "`{written}` is not a date in any order of day, month and year"
                    )),
                )
            } else {
                // Several readings: it exists, but which day is not known.
                (text_end, (valid.len() == 1).then(|| valid[0]), None)
            });
        }
        // Two parts: a month and a four-digit year, or nothing of ours.
        let (year_part, other, other_len) = if tokens[at + 2].text.len() == 4 {
            (second, first, tokens[at].text.len())
        } else if tokens[at].text.len() == 4 {
            (first, second, tokens[at + 2].text.len())
        } else {
            return None;
        };
        if !(1900..=2100).contains(&year_part) {
            return None;
        }
        if other_len > 2 || !(1..=12).contains(&other) {
            return Some((
                text_end,
                None,
                Some(format!("`{written}` is not a date: `{other}` is no month")),
            ));
        }
        return None;
    }
    // Month D[st][,] [YYYY]
    if let Some(month_n) = tok(at)
        .filter(|tok| tok.kind == Kind::Word)
        .and_then(|tok| month(tok.text))
    {
        let mut pos = at + 1;
        if is(tok(pos), '.') {
            pos += 1;
        }
        let day_n = number(tok(pos), 1..=2)?;
        let (pos, year_n) = year_after(tokens, ordinal(tokens, pos + 1));
        return Some(day_month(
            pos,
            day_n,
            month_n,
            year_n.or(year),
            year_n.is_some(),
            &tokens[at..pos],
        ));
    }
    // D[st] [of] Month[,] [YYYY]
    if let Some(day_n) = number(tok(at), 1..=2) {
        let mut pos = ordinal(tokens, at + 1);
        if tok(pos).is_some_and(|tok| tok.text == "of") {
            pos += 1;
        }
        let month_n = tok(pos)
            .filter(|tok| tok.kind == Kind::Word && tok.spaced)
            .and_then(|tok| month(tok.text))?;
        let (pos, year_n) = year_after(tokens, pos + 1);
        return Some(day_month(
            pos,
            day_n,
            month_n,
            year_n.or(year),
            year_n.is_some(),
            &tokens[at..pos],
        ));
    }
    None
}

/// Past an ordinal suffix glued to a day (`3rd`), if there is one.
fn ordinal(tokens: &[Token], pos: usize) -> usize {
    let suffix = tokens
        .get(pos)
        .is_some_and(|tok| !tok.spaced && ["st", "nd", "rd", "th"].contains(&tok.text));
    pos + usize::from(suffix)
}

/// A four-digit year after a day and month (`, 2023` or ` 2023`), and where it ends.
fn year_after(tokens: &[Token], pos: usize) -> (usize, Option<i32>) {
    let comma = usize::from(is(tokens.get(pos), ','));
    match number(tokens.get(pos + comma), 4..=4).and_then(|y| i32::try_from(y).ok()) {
        Some(year) => (pos + comma + 1, Some(year)),
        None => (pos, None),
    }
}

fn day_month(
    end: usize,
    d: u32,
    m: u32,
    year: Option<i32>,
    year_written: bool,
    tokens: &[Token],
) -> (usize, Option<NaiveDate>, Option<String>) {
    if d == 0 || d > days_in(m, year_written.then_some(year).flatten()) {
        let written = join(tokens);
        return (
            end,
            None,
            Some(format!(
                "`{written}` is not a date: {}",
                invalid_reason(m, year_written.then_some(year).flatten())
            )),
        );
    }
    (
        end,
        year.and_then(|y| NaiveDate::from_ymd_opt(y, m, d)),
        None,
    )
}

fn join(tokens: &[Token]) -> String {
    let mut out = String::new();
    for t in tokens {
        if t.spaced && !out.is_empty() {
            out.push(' ');
        }
        out.push_str(t.text);
    }
    out
}

fn invalid_reason(m: u32, year: Option<i32>) -> String {
    if !(1..=12).contains(&m) {
        return format!("there is no month {m}");
    }
    let name = NaiveDate::from_ymd_opt(2024, m, 1)
        .map_or_else(String::new, |d| d.format("%B").to_string());
    match year {
        Some(y) => format!("{name} {y} has {} days", days_in(m, Some(y))),
        None if m == 2 => "February has at most 29 days".to_owned(),
        None => format!("{name} has {} days", days_in(m, None)),
    }
}

/// Whether a text mentions a date, in any year: the year only changes
/// what is wrong with a date, never whether it is one. Only a date can be
/// wrong in prose outside the summary (a time of day alone never is).
pub(super) fn mentions_a_date(text: &str) -> bool {
    scan(text, None)
        .iter()
        .any(|found| matches!(found.what, What::Date { .. }))
}

/// Every date and time of day in a text.
fn scan(text: &str, year: Option<i32>) -> Vec<Found> {
    // Most prose has no digit at all; it then holds no date either.
    if !has_digit(text.as_bytes()) {
        return Vec::new();
    }
    let tokens = tokens(text);
    let mut out = Vec::new();
    let mut i = 0;
    let mut last_date: Option<(usize, NaiveDate)> = None;
    while i < tokens.len() {
        // Dates and times start with a number or a capitalised word.
        let starts = match tokens[i].kind {
            Kind::Number => true,
            Kind::Word => tokens[i].text.starts_with(|c: char| c.is_ascii_uppercase()),
            Kind::Punct(_) => false,
        };
        if !starts {
            i += 1;
            continue;
        }
        // A weekday and the date right after it (`Tuesday, 4 January`).
        if let Some(day) = tokens[i]
            .kind
            .eq(&Kind::Word)
            .then(|| weekday(tokens[i].text))
            .flatten()
        {
            let mut k = i + 1;
            if is(tokens.get(k), ',') {
                k += 1;
            }
            if tokens.get(k).is_some_and(|t| t.text == "the") {
                k += 1;
            }
            if let Some((end, date, invalid)) = date_at(&tokens, k, year) {
                out.push(Found {
                    start: tokens[i].start,
                    end: tokens[end - 1].end,
                    what: What::Date {
                        date,
                        invalid,
                        weekday: Some(day),
                    },
                });
                if let Some(date) = date {
                    last_date = Some((end, date));
                }
                i = end;
                continue;
            }
        }
        if let Some((end, date, invalid)) = date_at(&tokens, i, year) {
            out.push(Found {
                start: tokens[i].start,
                end: tokens[end - 1].end,
                what: What::Date {
                    date,
                    invalid,
                    weekday: None,
                },
            });
            if let Some(date) = date {
                last_date = Some((end, date));
            }
            i = end;
            continue;
        }
        if let Some((end, found)) = time_at(&tokens, i, text) {
            // A time right after a date is on that date (`2023-01-04 14:05`).
            let date = last_date.filter(|(e, _)| *e == i).map(|(_, d)| d);
            out.push(Found {
                start: tokens[i].start,
                end: tokens[end - 1].end,
                what: What::Time { text: found, date },
            });
            i = end;
            continue;
        }
        i += 1;
    }
    out
}

/// `14:05`, `2:05 pm`, `14:05:30 UTC`, `14:05 +01:00`, `14:05Z`: the end
/// (token index past it) and the text to read it from.
fn time_at(tokens: &[Token], i: usize, text: &str) -> Option<(usize, String)> {
    let t = |k: usize| tokens.get(k);
    number(t(i), 1..=2)?;
    if !is(t(i + 1), ':') || number(t(i + 2), 2..=2).is_none() {
        return None;
    }
    // Not a ratio or a clock in a version string (`1:10:3`).
    if i > 0
        && tokens[i].spaced.eq(&false)
        && matches!(tokens[i - 1].kind, Kind::Number | Kind::Punct(':'))
    {
        return None;
    }
    let mut k = i + 3;
    if is(t(k), ':') && number(t(k + 1), 2..=2).is_some() {
        k += 2;
    }
    let mut end = k;
    // am / pm / a.m.
    if let Some(word) = t(k).filter(|t| t.kind == Kind::Word) {
        let lower = word.text.to_ascii_lowercase();
        if lower == "am" || lower == "pm" {
            k += 1;
            end = k;
        } else if (lower == "a" || lower == "p")
            && is(t(k + 1), '.')
            && t(k + 2).is_some_and(|t| t.text.eq_ignore_ascii_case("m"))
        {
            k += 3;
            if is(t(k), '.') {
                k += 1;
            }
            end = k;
        }
    }
    // A zone: `UTC`, `PDT`, `Z`, `(WAT)` or an offset.
    let zone_end = zone_at(tokens, k);
    if let Some(z) = zone_end {
        end = z;
    }
    let clock = text[tokens[i].start..tokens[end - 1].end].to_owned();
    if crate::time::parse(&clock).is_ok() {
        return Some((end, clock));
    }
    // A zone pm does not read: the time of day alone, in the document's zone.
    let plain = text[tokens[i].start..tokens[k - 1].end].to_owned();
    crate::time::parse(&plain).is_ok().then_some((k, plain))
}

fn zone_at(tokens: &[Token], k: usize) -> Option<usize> {
    let t = |k: usize| tokens.get(k);
    let word = |token: Option<&Token>| {
        token.is_some_and(|t| {
            t.kind == Kind::Word
                && (1..=5).contains(&t.text.len())
                && t.text.chars().all(|c| c.is_ascii_uppercase())
        })
    };
    if word(t(k)) {
        return Some(k + 1);
    }
    if t(k).is_some_and(|t| t.kind == Kind::Punct('(')) && word(t(k + 1)) && is(t(k + 2), ')') {
        return Some(k + 3);
    }
    if t(k).is_some_and(|t| matches!(t.kind, Kind::Punct('+' | '-')))
        && number(t(k + 1), 2..=4).is_some()
    {
        if is(t(k + 2), ':') && number(t(k + 3), 2..=2).is_some() {
            return Some(k + 4);
        }
        return Some(k + 2);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// What `rules::stream` relies on to let a timeline item go before
        /// the year is known: the dates found do not depend on the year,
        /// and a text without one has no problem in any year.
        #[test]
        fn the_dates_in_a_text_are_found_whatever_the_year(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "Tuesday,", "Wed", "March 5", "5 March", "the 5th of March", "Feb 29",
                "February 30", "2024-02-30", "2023-02-29", "31/04/2023", "12/02", "203/2025",
                "10:05", "10:05 UTC", "on", "at", "2024", "5", "29", "March", "of", ",",
                "Sunday 2024-05-05", "Monday, 2024-05-05", "14:00 to 16:30", "Jan 1st",
            ]), 0..8),
            year in 1999i32..2031,
        ) {
            let text = parts.join(" ");
            let dates = |year| -> Vec<(usize, usize)> {
                scan(&text, year)
                    .iter()
                    .filter(|f| matches!(f.what, What::Date { .. }))
                    .map(|f| (f.start, f.end))
                    .collect()
            };
            proptest::prop_assert_eq!(dates(None), dates(Some(year)), "{}", text);
            if !mentions_a_date(&text) {
                proptest::prop_assert!(problems(&text, Some(year)).is_empty(), "{}", text);
            }
        }
    }

    fn problems(text: &str, year: Option<i32>) -> Vec<String> {
        scan(text, year)
            .iter()
            .filter_map(|f| f.problem().map(|(m, _)| m))
            .collect()
    }

    /// The tokenizer as first written, a character at a time: the oracle.
    fn tokens_by_char(text: &str) -> Vec<(Kind, usize, usize, bool)> {
        let mut out = Vec::new();
        let mut chars = text.char_indices().peekable();
        let mut spaced = true;
        while let Some((start, c)) = chars.next() {
            if c.is_whitespace() {
                spaced = true;
                continue;
            }
            let kind = if c.is_ascii_digit() {
                Kind::Number
            } else if c.is_alphabetic() {
                Kind::Word
            } else {
                Kind::Punct(c)
            };
            let mut end = start + c.len_utf8();
            if kind != Kind::Punct(c) {
                while let Some(&(i, next)) = chars.peek() {
                    let same = match kind {
                        Kind::Number => next.is_ascii_digit(),
                        _ => next.is_alphabetic(),
                    };
                    if !same {
                        break;
                    }
                    end = i + next.len_utf8();
                    chars.next();
                }
            }
            out.push((kind, start, end, spaced));
            spaced = false;
        }
        out
    }

    #[test]
    fn digits_are_found_in_any_block() {
        let text = "x".repeat(40);
        assert!(!has_digit(text.as_bytes()));
        for at in 0..40 {
            let mut bytes = text.clone().into_bytes();
            bytes[at] = b'7';
            assert!(has_digit(&bytes), "{at}");
        }
        assert!(!has_digit(b"/:"), "the bytes around the digits");
    }

    proptest::proptest! {
        #[test]
        fn tokens_are_those_a_character_at_a_time_gives(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "a", "Z", "7", "42", " ", "\t", "\n", "\u{a0}", "\u{2003}", ":", "-", "/", ",", ".",
                "é", "ß", "→", "٣", "Ⅻ", "😀", "中", "\u{301}",
            ]), 0..40)
        ) {
            let text = pieces.concat();
            let fast: Vec<(Kind, usize, usize, bool)> = tokens(&text)
                .iter()
                .map(|t| {
                    assert_eq!(t.text, &text[t.start..t.end]);
                    (t.kind, t.start, t.end, t.spaced)
                })
                .collect();
            proptest::prop_assert_eq!(fast, tokens_by_char(&text));
        }
    }

    #[test]
    fn impossible_dates_are_found_in_every_written_form() {
        assert_eq!(
            problems("On 2023-02-30 the job ran.", None),
            ["`2023-02-30` is not a date: February 2023 has 28 days"]
        );
        assert_eq!(
            problems("Since February 30 we saw it.", Some(2023)),
            ["`February 30` is not a date: February has at most 29 days"]
        );
        assert_eq!(
            problems("on 31st April 2023", None),
            ["`31st April 2023` is not a date: April 2023 has 30 days"]
        );
        assert_eq!(
            problems("the report of 203/2025", None),
            ["`203/2025` is not a date: `203` is no month"]
        );
        assert_eq!(
            problems("the 31/31/2023 deploy", None),
            ["`31/31/2023` is not a date in any order of day, month and year"]
        );
    }

    #[test]
    fn real_dates_and_other_numbers_pass() {
        for text in [
            "On 2023-02-28 at 14:05 UTC, and on 29 February 2024.",
            "Up 24/7, split 50/50, 3/4 of hosts, version 1.2.3, 99.9% of requests.",
            "On 12/02/2025 (either order), in 3/2025, and May 5.",
            "We may 2 hosts later; Sun 5 was a host name.",
            "Tuesday, 2023-01-03 and Wed 4 January 2023.",
        ] {
            assert_eq!(problems(text, Some(2023)), Vec::<String>::new(), "{text}");
        }
    }

    #[test]
    fn a_weekday_must_match_its_date() {
        assert_eq!(
            problems("Tuesday, 2023-01-04", None),
            ["2023-01-04 was a Wednesday, not a Tuesday"]
        );
        assert_eq!(
            problems("on Friday 6 January", Some(2023)),
            Vec::<String>::new()
        );
        assert_eq!(
            problems("on Monday, January 6", Some(2023)),
            ["2023-01-06 was a Friday, not a Monday"]
        );
    }

    #[test]
    fn times_are_read_with_their_zone() {
        let found = scan(
            "from 14:05 UTC to 4:10 pm (WAT), then 2023-01-04 16:30",
            None,
        );
        let times: Vec<(&str, Option<NaiveDate>)> = found
            .iter()
            .filter_map(|f| match &f.what {
                What::Time { text, date } => Some((text.as_str(), *date)),
                What::Date { .. } => None,
            })
            .collect();
        assert_eq!(
            times,
            [
                ("14:05 UTC", None),
                ("4:10 pm (WAT)", None),
                ("16:30", NaiveDate::from_ymd_opt(2023, 1, 4))
            ]
        );
    }
}
