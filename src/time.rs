//! Times as people write them in postmortems, and the instants they mean.
//!
//! Parsing (`parse`) only reads the text. Resolving (`resolve`) turns it into
//! an instant using the document's zone, and is where DST gaps, folds and
//! wrong abbreviations are found. Every comparison pm makes is between
//! instants, never between wall-clock readings.

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime,
    Offset, TimeZone, Timelike, Utc,
};
use chrono_tz::{OffsetName, TZ_VARIANTS, Tz};
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;

/// The forms pm accepts, for error messages.
pub const ACCEPTED_FORMS: &str = "`YYYY-MM-DD HH:MM[:SS]` (or with `T`), `HH:MM[:SS]`, or `h:MM AM`/`PM`, optionally followed by a zone: `Z`, an offset such as `+01:00`, an IANA name such as `Africa/Lagos`, or an abbreviation such as `WAT`";

/// A time as written, before any zone is applied.
#[derive(Clone, Debug, PartialEq)]
pub struct Written {
    pub date: Option<NaiveDate>,
    pub time: NaiveTime,
    pub zone: Option<WrittenZone>,
}

/// The zone part of a written time.
#[derive(Clone, Debug, PartialEq)]
pub enum WrittenZone {
    /// `Z`, `UTC` or `GMT`: always +00:00.
    Utc(String),
    Offset(FixedOffset),
    Iana(Tz),
    /// Letters that are not an IANA name: `WAT`, `PDT`, `BST`.
    Abbreviation(String),
    /// An abbreviation and an offset together (`12:00 PDT -07:00`, or
    /// `-0700 (PDT)` as mail headers write it): the offset fixes the
    /// instant, and the abbreviation must agree with it.
    AbbreviationOffset(String, FixedOffset),
}

impl fmt::Display for WrittenZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WrittenZone::Utc(text) | WrittenZone::Abbreviation(text) => f.write_str(text),
            WrittenZone::Offset(offset) => write!(f, "{offset}"),
            WrittenZone::Iana(tz) => f.write_str(tz.name()),
            WrittenZone::AbbreviationOffset(abbr, offset) => write!(f, "{abbr} {offset}"),
        }
    }
}

/// Why a text is not a time.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct SyntaxError(pub String);

/// Reads a written time. Accepts a trailing zone in parentheses (`4:00 PM (WAT)`).
pub fn parse(text: &str) -> Result<Written, SyntaxError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(SyntaxError("the time is empty".into()));
    }
    let (date, rest) = split_date(text)?;
    let rest = rest.trim_start_matches(|c: char| c == 'T' || c == 't' || c.is_whitespace());
    if date.is_some() && rest.is_empty() {
        return Err(SyntaxError(
            "a date alone is not a time: add `HH:MM`".into(),
        ));
    }
    let (time, rest) = split_time(rest)?;
    let zone = parse_zone(rest.trim())?;
    Ok(Written { date, time, zone })
}

/// The English month names, January first.
const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A month by its English name or abbreviation, in any case, with or
/// without a dot (`Jan`, `jan.`, `Sept`, `September`): 1 to 12.
pub fn month_from_name(name: &str) -> Option<u32> {
    let name = name.trim_end_matches('.');
    let prefix = name.get(..3)?;
    let index = MONTHS
        .iter()
        .position(|full| full[..3].eq_ignore_ascii_case(prefix))?;
    // A start of the full name (`Sept`), not a longer word (`Mayday`).
    let full = MONTHS[index];
    (name.len() == 3 || (name.len() <= full.len() && full[..name.len()].eq_ignore_ascii_case(name)))
        .then_some(index as u32 + 1)
}

/// The `YYYY-MM-DD` a text starts with, when it is a calendar date, whatever
/// follows: `2023-01-04 25:10` cannot be read, but its day can, and the times
/// after it take that day rather than having none.
pub fn leading_date(text: &str) -> Option<NaiveDate> {
    match split_date(text.trim()) {
        Ok((date, _)) => date,
        Err(_) => None,
    }
}

/// What a time pm cannot read clearly means, when only the separator between
/// its date and its time is off (`2023-01-04/11:34`, `2023-01-04, 11:34`,
/// `2023-01-04 at 11:34`, `2023-01-04@11:34`): the canonical text and its
/// reading. The written form stays invalid; this is what the timeline is
/// ordered by meanwhile, and what the help offers.
pub fn recover(text: &str) -> Option<(String, Written)> {
    let text = text.trim();
    let (Some(_), rest) = split_date(text).ok()? else {
        return None;
    };
    let date = &text[..10];
    let after = rest
        .trim_start()
        .strip_prefix(['/', ',', '@', '_', '|', ';'])
        .or_else(|| {
            let word = rest.trim_start();
            word.get(..3)
                .filter(|head| head.eq_ignore_ascii_case("at "))
                .map(|_| &word[3..])
        })?
        .trim_start();
    let canonical = format!("{date} {after}");
    let written = parse(&canonical).ok()?;
    Some((canonical, written))
}

fn split_date(text: &str) -> Result<(Option<NaiveDate>, &str), SyntaxError> {
    let bytes = text.as_bytes();
    // Every byte of `YYYY-MM-DD` is ASCII, so splitting after it is on a
    // character boundary whatever follows.
    let looks_like_date = bytes.len() >= 10
        && bytes[..10].iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !looks_like_date {
        if text.len() >= 5 && bytes[..4].iter().all(u8::is_ascii_digit) && bytes[4] == b'-' {
            return Err(SyntaxError(format!(
                "`{text}` has a date that is not `YYYY-MM-DD`"
            )));
        }
        return Ok((None, text));
    }
    let (date_text, rest) = text.split_at(10);
    // The digits are checked above: read them as numbers (chrono's format
    // parser took 2,000 instructions a date).
    let number = |range: std::ops::Range<usize>| {
        bytes[range]
            .iter()
            .fold(0u32, |n, b| n * 10 + u32::from(b - b'0'))
    };
    let year = i32::try_from(number(0..4)).unwrap_or(0);
    let date = NaiveDate::from_ymd_opt(year, number(5..7), number(8..10))
        .ok_or_else(|| SyntaxError(format!("`{date_text}` is not a calendar date")))?;
    Ok((Some(date), rest))
}

fn split_time(text: &str) -> Result<(NaiveTime, &str), SyntaxError> {
    let digits_end = |s: &str| s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let hour_len = digits_end(text);
    if hour_len == 0 || hour_len > 2 || !text[hour_len..].starts_with(':') {
        return Err(SyntaxError(format!(
            "`{text}` does not start with a time `HH:MM`"
        )));
    }
    let hour: u32 = text[..hour_len].parse().map_err(|_| bad_time(text))?;
    let mut rest = &text[hour_len + 1..];
    let minute_len = digits_end(rest);
    if minute_len != 2 {
        return Err(SyntaxError(format!(
            "`{text}`: minutes must have two digits"
        )));
    }
    let minute: u32 = rest[..2].parse().map_err(|_| bad_time(text))?;
    rest = &rest[2..];
    let mut second = 0;
    if let Some(after) = rest.strip_prefix(':') {
        if digits_end(after) != 2 {
            return Err(SyntaxError(format!(
                "`{text}`: seconds must have two digits"
            )));
        }
        second = after[..2].parse().map_err(|_| bad_time(text))?;
        rest = &after[2..];
        // Fractions of a second add nothing to a postmortem; accept and drop them.
        if let Some(fraction) = rest.strip_prefix('.') {
            let len = digits_end(fraction);
            if len == 0 {
                return Err(bad_time(text));
            }
            rest = &fraction[len..];
        }
    }
    let (hour, rest) = match meridiem(rest) {
        Some((pm, after)) => {
            if !(1..=12).contains(&hour) {
                return Err(SyntaxError(format!(
                    "`{text}`: in 12-hour form the hour is 1 to 12"
                )));
            }
            ((hour % 12) + if pm { 12 } else { 0 }, after)
        }
        None => (hour, rest),
    };
    let time = NaiveTime::from_hms_opt(hour, minute, second).ok_or_else(|| {
        SyntaxError(format!(
            "`{text}` is not a time of day: hours run 0-23 and minutes 0-59"
        ))
    })?;
    Ok((time, rest))
}

fn bad_time(text: &str) -> SyntaxError {
    SyntaxError(format!("`{text}` is not a time"))
}

/// `AM`/`PM` in any case, with or without dots and a space before.
fn meridiem(text: &str) -> Option<(bool, &str)> {
    let trimmed = text.trim_start();
    for (word, pm) in [("a.m.", false), ("p.m.", true), ("am", false), ("pm", true)] {
        // `get` rather than slicing: the text may be anything, `16:00 aé` included.
        if let Some(head) = trimmed.get(..word.len())
            && head.eq_ignore_ascii_case(word)
        {
            let after = &trimmed[word.len()..];
            if after.is_empty() || !after.starts_with(|c: char| c.is_ascii_alphanumeric()) {
                return Some((pm, after));
            }
        }
    }
    None
}

fn parse_zone(text: &str) -> Result<Option<WrittenZone>, SyntaxError> {
    let text = text
        .strip_prefix('(')
        .and_then(|t| t.strip_suffix(')'))
        .map_or(text, str::trim);
    if text.is_empty() {
        return Ok(None);
    }
    if let Some(pair) = abbreviation_and_offset(text) {
        return pair.map(Some);
    }
    if text.eq_ignore_ascii_case("Z") || text == "UTC" || text == "GMT" {
        return Ok(Some(WrittenZone::Utc(text.to_owned())));
    }
    if let Some(offset) = parse_offset(text) {
        return offset.map(|o| Some(WrittenZone::Offset(o)));
    }
    for prefix in ["UTC", "GMT"] {
        if let Some(offset) = text.strip_prefix(prefix).and_then(parse_offset) {
            return offset.map(|o| Some(WrittenZone::Offset(o)));
        }
    }
    // `CET`, `EST`, `MST` are both IANA names and abbreviations: read them as
    // abbreviations, which the document's zone may use (`08:23 CET` in
    // Europe/Berlin); resolving falls back to the IANA zone otherwise.
    let abbreviation_like =
        text.len() >= 2 && text.len() <= 6 && text.chars().all(|c| c.is_ascii_alphabetic());
    if !(abbreviation_like && text.chars().all(|c| c.is_ascii_uppercase()))
        && let Ok(tz) = text.parse::<Tz>()
    {
        return Ok(Some(WrittenZone::Iana(tz)));
    }
    if abbreviation_like {
        return Ok(Some(WrittenZone::Abbreviation(text.to_ascii_uppercase())));
    }
    // A pair, `PST/PDT`: whichever of the two is in effect.
    if let Some((a, b)) = text.split_once('/')
        && [a, b].iter().all(|part| {
            (3..=5).contains(&part.len()) && part.chars().all(|c| c.is_ascii_uppercase())
        })
    {
        return Ok(Some(WrittenZone::Abbreviation(text.to_owned())));
    }
    if text.contains('/') {
        return Err(SyntaxError(format!("`{text}` is not an IANA time zone")));
    }
    Err(SyntaxError(format!(
        "`{text}` after the time is not a zone"
    )))
}

/// `PDT -07:00`, `-07:00 PDT`, `-0700 (PDT)`: an abbreviation and an
/// offset, in either order. `None` when the text is not two such words.
fn abbreviation_and_offset(text: &str) -> Option<Result<WrittenZone, SyntaxError>> {
    let (first, second) = text.split_once(char::is_whitespace)?;
    let second = second.trim();
    let unwrap = |word: &str| -> String {
        word.strip_prefix('(')
            .and_then(|w| w.strip_suffix(')'))
            .unwrap_or(word)
            .to_owned()
    };
    let is_abbreviation =
        |word: &str| (2..=6).contains(&word.len()) && word.chars().all(|c| c.is_ascii_uppercase());
    let (abbr, offset) = if first.starts_with(['+', '-']) {
        (unwrap(second), first)
    } else {
        (unwrap(first), second)
    };
    // `UTC +01:00` is no pair: UTC is never anything but +00:00.
    if !is_abbreviation(&abbr) || abbr == "UTC" || abbr == "GMT" {
        return None;
    }
    let offset = parse_offset(offset)?;
    Some(offset.map(|offset| WrittenZone::AbbreviationOffset(abbr, offset)))
}

/// `+01:00`, `+0100`, `+01`, `-3:30`. `None` when the text is not offset-shaped.
fn parse_offset(text: &str) -> Option<Result<FixedOffset, SyntaxError>> {
    let sign = match text.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let body = &text[1..];
    if !body.is_ascii() {
        return Some(Err(SyntaxError(format!(
            "`{text}` is not an offset: write it as `+HH:MM`"
        ))));
    }
    let (hours, minutes) = match body.split_once(':') {
        Some((h, m)) => (h, m),
        None if body.len() == 4 => body.split_at(2),
        None => (body, "0"),
    };
    let valid = !hours.is_empty()
        && hours.len() <= 2
        && minutes.len() <= 2
        && hours
            .chars()
            .chain(minutes.chars())
            .all(|c| c.is_ascii_digit());
    if !valid {
        return Some(Err(SyntaxError(format!(
            "`{text}` is not an offset: write it as `+HH:MM`"
        ))));
    }
    let hours: i32 = hours.parse().unwrap_or(99);
    let minutes: i32 = minutes.parse().unwrap_or(99);
    if hours > 18 || minutes > 59 {
        return Some(Err(SyntaxError(format!(
            "`{text}` is out of range: offsets run from -18:00 to +18:00"
        ))));
    }
    Some(
        FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
            .ok_or_else(|| SyntaxError(format!("`{text}` is out of range"))),
    )
}

/// An IANA zone name exactly as written, or the spelling it was probably meant to have.
pub fn parse_zone_name(name: &str) -> Result<Tz, Option<&'static str>> {
    if let Ok(tz) = name.parse::<Tz>() {
        return Ok(tz);
    }
    if let Some(tz) = TZ_VARIANTS
        .iter()
        .find(|tz| tz.name().eq_ignore_ascii_case(name))
    {
        return Err(Some(tz.name()));
    }
    Err(crate::suggest::closest(
        name,
        TZ_VARIANTS
            .iter()
            .map(|tz| tz.name())
            .filter(|n| n.contains('/')),
    ))
}

/// What pm reads in a human form of a time it does not accept
/// (`June 9, 2023, 10:00 AM (PST)`, `1506 UTC`, `12/02/2025`), for the help
/// of `invalid-time`: the canonical text to write instead, or the readings
/// to choose between. The human forms stay invalid; this only says how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HumanForm {
    /// One reading. `year_taken` when the text had no year and it came
    /// from the date before it: then the rewrite is a guess.
    Canonical { text: String, year_taken: bool },
    /// `12/02/2025`: day first or month first, each as text and in words.
    Either(Vec<(String, String)>),
}

fn human_patterns() -> Option<&'static [regex::Regex; 8]> {
    static PATTERNS: std::sync::LazyLock<Option<[regex::Regex; 8]>> = std::sync::LazyLock::new(
        || {
            let months = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?";
            let sources = [
                // Month day[, year]
                format!(r"(?i)^({months})\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+((?:19|20)\d{{2}}))?\b"),
                // day month [year]
                format!(r"(?i)^(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({months})(?:,?\s+((?:19|20)\d{{2}}))?\b"),
                r"^(\d{1,2})/(\d{1,2})/(\d{4})\b".to_owned(),
                r"^(\d{4})-(\d{2})-(\d{2})\b".to_owned(),
                // h:MM[:SS] AM, h AM
                r"(?i)^(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?\s*([ap])\.?\s?m\b\.?".to_owned(),
                r"^(\d{1,2}):(\d{2})(?::(\d{2}))?\b".to_owned(),
                // 0233, 1506: four digits, a time where one is expected
                r"^([01]\d|2[0-3])([0-5]\d)\b".to_owned(),
                // what is left: a zone, bare or in parentheses
                r"^\(?\s*([A-Za-z][A-Za-z_/]*(?:[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2}|Z)\s*\)?$"
                    .to_owned(),
            ];
            let compiled: Option<Vec<regex::Regex>> =
                sources.iter().map(|s| regex::Regex::new(s).ok()).collect();
            compiled.and_then(|v| v.try_into().ok())
        },
    );
    PATTERNS.as_ref()
}

/// Reads a human form of a time (see [`HumanForm`]); `year` is the year of
/// the date before it, for forms without one (`Feb 8 0117 UTC`). `None`
/// when the text is no such form, or when the rewrite would not read.
pub fn human_form(text: &str, year: Option<i32>) -> Option<HumanForm> {
    let [
        month_day,
        day_month,
        slashed,
        iso,
        twelve,
        clock,
        military,
        zone,
    ] = human_patterns()?;
    let text = text.trim();
    // The date: each reading as (year, month, day), and whether the year was taken.
    let mut dates: Vec<(i32, u32, u32)> = Vec::new();
    let mut year_taken = false;
    let mut rest = text;
    let mut named = |m: &str, d: &str, y: Option<regex::Match>| -> Option<(i32, u32, u32)> {
        let y = if let Some(y) = y {
            y.as_str().parse().ok()?
        } else {
            year_taken = true;
            year?
        };
        Some((y, month_from_name(m)?, d.parse().ok()?))
    };
    // `Jun 9 1917 UTC`: four digits and no time after them are the time.
    let time_follows = |after: &str| {
        let after = after.trim_start_matches(|c: char| c == ',' || c.is_whitespace());
        twelve.is_match(after) || clock.is_match(after) || military.is_match(after)
    };
    let mut month_and_day = |c: regex::Captures, month: usize, day: usize| match c.get(3) {
        Some(y) if !time_follows(&rest[c[0].len()..]) && military.is_match(y.as_str()) => {
            let date = named(&c[month], &c[day], None);
            (date, &rest[y.start()..])
        }
        year => (named(&c[month], &c[day], year), &rest[c[0].len()..]),
    };
    if let Some(c) = month_day.captures(rest) {
        let (date, after) = month_and_day(c, 1, 2);
        dates.push(date?);
        rest = after;
    } else if let Some(c) = day_month.captures(rest) {
        let (date, after) = month_and_day(c, 2, 1);
        dates.push(date?);
        rest = after;
    } else if let Some(c) = slashed.captures(rest) {
        let (a, b, y): (u32, u32, i32) =
            (c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?);
        dates.push((y, b, a));
        if a != b {
            dates.push((y, a, b));
        }
        rest = &rest[c[0].len()..];
    } else if let Some(c) = iso.captures(rest) {
        dates.push((c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?));
        rest = &rest[c[0].len()..];
    }
    let written = dates.len();
    let dates: Vec<NaiveDate> = dates
        .iter()
        .filter_map(|(y, m, d)| NaiveDate::from_ymd_opt(*y, *m, *d))
        .collect();
    // A date that is no date (February 30) is not rewritten away.
    if written > 0 && dates.is_empty() {
        return None;
    }
    rest = rest.trim_start_matches(|c: char| c == ',' || c.is_whitespace());
    if let Some(after) = rest.strip_prefix("at ") {
        rest = after.trim_start();
    }
    // The time of day.
    let time = if let Some(c) = twelve.captures(rest) {
        let hour: u32 = c[1].parse().ok()?;
        let minute = c.get(2).map_or("00", |m| m.as_str());
        let second = c
            .get(3)
            .map(|s| format!(":{}", s.as_str()))
            .unwrap_or_default();
        if !(1..=12).contains(&hour) {
            return None;
        }
        let meridiem = if c[4].eq_ignore_ascii_case("p") {
            "PM"
        } else {
            "AM"
        };
        rest = &rest[c[0].len()..];
        Some(format!("{hour}:{minute}{second} {meridiem}"))
    } else if let Some(c) = clock.captures(rest) {
        let second = c
            .get(3)
            .map(|s| format!(":{}", s.as_str()))
            .unwrap_or_default();
        let hour: u32 = c[1].parse().ok()?;
        rest = &rest[c[0].len()..];
        Some(format!("{hour:02}:{}{second}", &c[2]))
    } else if let Some(c) = military.captures(rest) {
        rest = &rest[c[0].len()..];
        Some(format!("{}:{}", &c[1], &c[2]))
    } else {
        None
    };
    let rest = rest.trim();
    let zone = if rest.is_empty() {
        None
    } else {
        let c = zone.captures(rest)?;
        let z = &c[1];
        Some(if z.contains('/') {
            z.to_owned()
        } else {
            z.to_ascii_uppercase()
        })
    };
    let compose = |date: Option<NaiveDate>| {
        let mut out = date
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default();
        for part in [time.as_deref(), zone.as_deref()].into_iter().flatten() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(part);
        }
        out
    };
    match (dates.as_slice(), &time) {
        // Day first or month first: both, in words, and no rewrite.
        ([a, b], _) => Some(HumanForm::Either(
            [a, b]
                .iter()
                .map(|d| (compose(Some(**d)), d.format("%-d %B %Y").to_string()))
                .collect(),
        )),
        (_, None) => None,
        (dates, Some(_)) => {
            let text = compose(dates.first().copied());
            // Only what pm reads: the rewrite must never be a new error.
            parse(&text)
                .is_ok()
                .then_some(HumanForm::Canonical { text, year_taken })
        }
    }
}

/// How a local wall-clock time maps to instants in a zone.
#[derive(Clone, Debug, PartialEq)]
pub enum Local {
    Single(DateTime<FixedOffset>),
    /// The time was skipped when clocks went forward.
    Gap(Transition),
    /// The time happened twice when clocks went back: earlier, then later.
    Fold(DateTime<FixedOffset>, DateTime<FixedOffset>),
}

/// A change of a zone's offset.
#[derive(Clone, Debug, PartialEq)]
pub struct Transition {
    pub at: DateTime<Utc>,
    pub before: ZoneReading,
    pub after: ZoneReading,
}

/// An offset in a zone with the abbreviation it goes by (`+01:00`, `BST`).
#[derive(Clone, Debug, PartialEq)]
pub struct ZoneReading {
    pub offset: FixedOffset,
    pub abbreviation: String,
}

impl Transition {
    /// "clocks went forward from 01:00 GMT to 02:00 BST".
    pub fn describe(&self) -> String {
        let direction =
            if self.after.offset.local_minus_utc() > self.before.offset.local_minus_utc() {
                "forward"
            } else {
                "back"
            };
        let before = self.at.with_timezone(&self.before.offset);
        let after = self.at.with_timezone(&self.after.offset);
        format!(
            "clocks went {direction} from {} {} to {} {} on {}",
            before.format("%H:%M"),
            self.before.abbreviation,
            after.format("%H:%M"),
            self.after.abbreviation,
            after.format("%Y-%m-%d"),
        )
    }
}

/// Maps a local time in a zone to its instant(s).
pub fn resolve_local(tz: Tz, local: NaiveDateTime) -> Local {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(dt) => Local::Single(dt.fixed_offset()),
        LocalResult::Ambiguous(a, b) => {
            let (a, b) = (a.fixed_offset(), b.fixed_offset());
            if a <= b {
                Local::Fold(a, b)
            } else {
                Local::Fold(b, a)
            }
        }
        LocalResult::None => Local::Gap(transition_near(tz, local)),
    }
}

fn reading(tz: Tz, at: DateTime<Utc>) -> ZoneReading {
    let offset = tz.offset_from_utc_datetime(&at.naive_utc());
    ZoneReading {
        offset: offset.fix(),
        abbreviation: abbreviation_of(&offset),
    }
}

/// The abbreviation, or the offset (`+02:00`) where tzdata has none, or
/// writes a number instead (`+02` in Antarctica/Troll, `-03` in much of
/// South America): one form for every offset, in every message.
fn abbreviation_of(offset: &chrono_tz::TzOffset) -> String {
    match offset.abbreviation() {
        Some(abbr) if !abbr.starts_with(['+', '-']) => abbr.to_owned(),
        _ => offset.fix().to_string(),
    }
}

/// Whether a zone's clock at an offset goes by an abbreviation: tzdata's
/// own, or the one tzdata used before it wrote a number instead (`ICT` for
/// Asia/Bangkok's `+07`; see `crate::abbreviations`).
fn goes_by(tz: Tz, offset: &chrono_tz::TzOffset, abbr: &str) -> bool {
    if abbreviation_of(offset).eq_ignore_ascii_case(abbr) {
        return true;
    }
    let numeric = offset
        .abbreviation()
        .is_none_or(|label| label.starts_with(['+', '-']));
    numeric
        && crate::abbreviations::former(tz.name(), offset.fix().local_minus_utc())
            .any(|former| former.eq_ignore_ascii_case(abbr))
}

/// The abbreviation a zone goes by at an instant.
pub fn abbreviation_at(tz: Tz, at: DateTime<Utc>) -> String {
    abbreviation_of(&tz.offset_from_utc_datetime(&at.naive_utc()))
}

/// A strftime format with `%Z` replaced by the zone's label as pm writes it
/// (`BST`, or `+02:00` where tzdata writes `+02`), since chrono's `%Z` gives
/// tzdata's numbers as they are. `%%` stays a literal `%`.
pub fn with_zone_label(format: &str, label: &str) -> String {
    let mut out = String::with_capacity(format.len() + label.len());
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('Z') => out.push_str(&label.replace('%', "%%")),
            Some(next) => {
                out.push('%');
                out.push(next);
            }
            None => out.push('%'),
        }
    }
    out
}

/// Formats a time in a zone, `%Z` being the zone's label as pm writes it.
pub fn format_in_zone(at: &DateTime<Tz>, format: &str) -> String {
    let label = abbreviation_at(at.timezone(), at.to_utc());
    at.format(&with_zone_label(format, &label)).to_string()
}

/// The offset change closest to a local time that fell in a gap.
fn transition_near(tz: Tz, local: NaiveDateTime) -> Transition {
    let mut lo = (local - Duration::days(1)).and_utc();
    let mut hi = (local + Duration::days(1)).and_utc();
    let before = reading(tz, lo);
    // Bisect on seconds for the first instant with the new offset.
    while hi - lo > Duration::seconds(1) {
        let mid = lo + (hi - lo) / 2;
        if reading(tz, mid).offset == before.offset {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Transition {
        at: hi,
        before,
        after: reading(tz, hi),
    }
}

/// The outcome of resolving a written time in a document.
#[derive(Clone, Debug, PartialEq)]
pub struct Resolved {
    /// The instant, with the offset it was written in (or the document zone's).
    pub at: DateTime<FixedOffset>,
    /// The time names a zone or offset other than the document's.
    pub foreign_zone: Option<String>,
}

/// Why a written time has no single instant.
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    Nonexistent {
        local: NaiveDateTime,
        zone: Tz,
        transition: Transition,
    },
    Ambiguous {
        local: NaiveDateTime,
        zone: Tz,
        earlier: ZoneReading,
        later: ZoneReading,
    },
    /// An abbreviation the zone does not use at that time (`PST` in June).
    AbbreviationMismatch {
        written: String,
        zone: Tz,
        /// What the zone goes by at that time.
        in_effect: String,
        /// The zone uses the abbreviation at other times of year.
        used_elsewhere_in_year: bool,
        /// IANA zones that do use it on that date.
        zones_using: Vec<&'static str>,
    },
    UnknownAbbreviation {
        written: String,
    },
    /// An abbreviation and an offset that disagree (`12:00 PDT -05:00`).
    AbbreviationOffsetMismatch {
        written: String,
        offset: FixedOffset,
        /// The offset the abbreviation stands for, in the document's zone
        /// or in the zones that use it.
        means: FixedOffset,
    },
}

/// Resolves a written time. `date` supplies the date when the text has none.
pub fn resolve(written: &Written, date: NaiveDate, doc_zone: Tz) -> Result<Resolved, Problem> {
    let local = written.date.unwrap_or(date).and_time(written.time);
    match &written.zone {
        None => in_zone(doc_zone, local).map(|at| Resolved {
            at,
            foreign_zone: None,
        }),
        Some(WrittenZone::Utc(text)) => {
            let at = Utc.from_utc_datetime(&local).fixed_offset();
            Ok(Resolved {
                foreign_zone: foreign_offset(doc_zone, &at).then(|| text.clone()),
                at,
            })
        }
        Some(WrittenZone::Offset(offset)) => {
            let at = offset
                .from_local_datetime(&local)
                .single()
                .unwrap_or_else(|| Utc.from_utc_datetime(&local).fixed_offset());
            Ok(Resolved {
                foreign_zone: foreign_offset(doc_zone, &at).then(|| offset.to_string()),
                at,
            })
        }
        Some(WrittenZone::Iana(tz)) => in_zone(*tz, local).map(|at| Resolved {
            foreign_zone: (*tz != doc_zone).then(|| tz.name().to_owned()),
            at,
        }),
        Some(WrittenZone::Abbreviation(abbr)) => by_abbreviation(abbr, local, doc_zone),
        Some(WrittenZone::AbbreviationOffset(abbr, offset)) => {
            by_abbreviation_and_offset(abbr, *offset, local, doc_zone)
        }
    }
}

/// The offset settles the instant; the abbreviation must be one in effect
/// at that instant with that offset, in the document's zone or another.
fn by_abbreviation_and_offset(
    abbr: &str,
    offset: FixedOffset,
    local: NaiveDateTime,
    doc_zone: Tz,
) -> Result<Resolved, Problem> {
    let at = offset
        .from_local_datetime(&local)
        .single()
        .unwrap_or_else(|| Utc.from_utc_datetime(&local).fixed_offset());
    let instant = at.to_utc();
    let names = |tz: Tz| {
        let here = tz.offset_from_utc_datetime(&instant.naive_utc());
        here.fix() == offset && goes_by(tz, &here, abbr)
    };
    let zones = zones_using_cached(abbr, local.date());
    let agrees = names(doc_zone)
        || zones
            .iter()
            .filter_map(|name| name.parse::<Tz>().ok())
            .any(names)
        || abbr.parse::<Tz>().is_ok_and(names);
    if agrees {
        return Ok(Resolved {
            foreign_zone: foreign_offset(doc_zone, &at).then(|| format!("{abbr} {offset}")),
            at,
        });
    }
    let means = zone_offset_named(doc_zone, abbr, local.date())
        .or_else(|| {
            zones
                .iter()
                .filter_map(|name| name.parse::<Tz>().ok())
                .find_map(|tz| zone_offset_named(tz, abbr, local.date()))
        })
        .or_else(|| {
            abbr.parse::<Tz>()
                .ok()
                .map(|tz| tz.offset_from_utc_datetime(&instant.naive_utc()).fix())
        });
    match means {
        Some(means) => Err(Problem::AbbreviationOffsetMismatch {
            written: abbr.to_owned(),
            offset,
            means,
        }),
        None => Err(Problem::UnknownAbbreviation {
            written: abbr.to_owned(),
        }),
    }
}

fn foreign_offset(doc_zone: Tz, at: &DateTime<FixedOffset>) -> bool {
    doc_zone.offset_from_utc_datetime(&at.naive_utc()).fix() != *at.offset()
}

fn in_zone(tz: Tz, local: NaiveDateTime) -> Result<DateTime<FixedOffset>, Problem> {
    match resolve_local(tz, local) {
        Local::Single(at) => Ok(at),
        Local::Gap(transition) => Err(Problem::Nonexistent {
            local,
            zone: tz,
            transition,
        }),
        Local::Fold(a, b) => Err(Problem::Ambiguous {
            local,
            zone: tz,
            earlier: reading(tz, a.to_utc()),
            later: reading(tz, b.to_utc()),
        }),
    }
}

/// An abbreviation settles folds (`01:30 BST`) and must be the one in effect.
/// The abbreviations a generic label stands for, when the document's zone
/// uses one of them within a year of `date`: `PT` is `PST` or `PDT`, `AKT`
/// `AKST` or `AKDT`, and a pair `PST/PDT` its two members. Derived from the
/// zone's own tzdata abbreviations, so no table of labels is kept.
fn generic_members(label: &str, doc_zone: Tz, date: NaiveDate) -> Option<Vec<String>> {
    let members: Vec<String> = if let Some((a, b)) = label.split_once('/') {
        vec![a.to_owned(), b.to_owned()]
    } else {
        let stem = label.strip_suffix('T').filter(|s| !s.is_empty())?;
        vec![format!("{stem}ST"), format!("{stem}DT")]
    };
    members
        .iter()
        .any(|member| zone_uses_in_year(doc_zone, member, date))
        .then_some(members)
}

fn by_abbreviation(abbr: &str, local: NaiveDateTime, doc_zone: Tz) -> Result<Resolved, Problem> {
    // A generic label or a pair is the document's own clock, whichever of
    // its abbreviations is in effect: read as if no zone were written.
    if !zone_uses_in_year(doc_zone, abbr, local.date())
        && generic_members(abbr, doc_zone, local.date()).is_some()
    {
        return in_zone(doc_zone, local).map(|at| Resolved {
            at,
            foreign_zone: None,
        });
    }
    let candidates: Vec<DateTime<FixedOffset>> = match resolve_local(doc_zone, local) {
        Local::Single(at) => vec![at],
        Local::Fold(a, b) => vec![a, b],
        Local::Gap(t) => [t.before.offset, t.after.offset]
            .iter()
            .filter_map(|o| o.from_local_datetime(&local).single())
            .collect(),
    };
    // In a gap neither candidate's offset is the one in effect at its
    // instant, so only a fold or a plain time can match.
    let consistent = |at: &DateTime<FixedOffset>| {
        doc_zone.offset_from_utc_datetime(&at.naive_utc()).fix() == *at.offset()
    };
    for at in &candidates {
        if consistent(at)
            && goes_by(
                doc_zone,
                &doc_zone.offset_from_utc_datetime(&at.naive_utc()),
                abbr,
            )
        {
            return Ok(Resolved {
                at: *at,
                foreign_zone: None,
            });
        }
    }
    // What is in effect when the time is read with the offset the
    // abbreviation stands for (`01:30 BST` in the spring gap is 00:30 GMT).
    let probe = candidates
        .iter()
        .find(|at| zone_offset_named(doc_zone, abbr, local.date()) == Some(*at.offset()))
        .or(candidates.first())
        .map_or_else(|| local.and_utc(), DateTime::to_utc);
    let zones_using = zones_using_cached(abbr, local.date());
    let used_elsewhere_in_year = zone_uses_in_year(doc_zone, abbr, local.date());
    // One of the zone's own abbreviations on a wall time its clock skipped:
    // the wall time is what is wrong, whichever abbreviation is written.
    if used_elsewhere_in_year && let Local::Gap(transition) = resolve_local(doc_zone, local) {
        return Err(Problem::Nonexistent {
            local,
            zone: doc_zone,
            transition,
        });
    }
    if !used_elsewhere_in_year && let Ok(tz) = abbr.parse::<Tz>() {
        // Not an abbreviation of the document's zone, but an IANA zone
        // of its own (`14:00 EST` in a London document): a foreign zone.
        return in_zone(tz, local).map(|at| Resolved {
            foreign_zone: (tz != doc_zone).then(|| tz.name().to_owned()),
            at,
        });
    }
    // Known when some zone uses it at some time of year: `BST` in January
    // is London's summer abbreviation, not an unknown one.
    let mut zones_using = zones_using;
    for zone in abbreviation_zones(abbr, Some(local.date())) {
        if !zones_using.contains(&zone) {
            zones_using.push(zone);
        }
    }
    sort_zones(&mut zones_using);
    if zones_using.is_empty() && !used_elsewhere_in_year {
        return Err(Problem::UnknownAbbreviation {
            written: abbr.to_owned(),
        });
    }
    Err(Problem::AbbreviationMismatch {
        written: abbr.to_owned(),
        zone: doc_zone,
        in_effect: abbreviation_at(doc_zone, probe),
        used_elsewhere_in_year,
        zones_using,
    })
}

/// The offset a zone goes by under an abbreviation within a year of `date`
/// (`CET` is +01:00 in Europe/Berlin), or the offset the abbreviation stands
/// for in the zones that use it on that date.
pub fn offset_named(doc_zone: Tz, abbr: &str, date: NaiveDate) -> Option<FixedOffset> {
    zone_offset_named(doc_zone, abbr, date).or_else(|| {
        let noon = date.and_hms_opt(12, 0, 0)?;
        zones_using_cached(abbr, date)
            .first()
            .and_then(|name| name.parse::<Tz>().ok())
            .map(|tz| tz.offset_from_utc_datetime(&noon).fix())
    })
}

/// Whether an abbreviation is a daylight-saving one where it is used on
/// `date` (`PDT`, `BST`: yes; `PST`, `EST`: no), when pm can tell.
pub fn is_daylight(abbr: &str, doc_zone: Tz, date: NaiveDate) -> Option<bool> {
    use chrono_tz::OffsetComponents;
    let zones = zones_using_cached(abbr, date);
    let own = zone_uses_in_year(doc_zone, abbr, date).then_some(doc_zone);
    let tz = own.or_else(|| zones.first().and_then(|name| name.parse::<Tz>().ok()))?;
    (-13..=13).find_map(|fortnight| {
        let probe = date.and_time(NaiveTime::MIN).and_utc() + Duration::days(14 * fortnight);
        let offset = tz.offset_from_utc_datetime(&probe.naive_utc());
        abbreviation_of(&offset)
            .eq_ignore_ascii_case(abbr)
            .then(|| !offset.dst_offset().is_zero())
    })
}

/// An instant as pm writes it on the document's clock, for suggestions:
/// the wall time, with its date when `on` is `None` or another day, seconds
/// when it has them, and the abbreviation (or the offset, where both
/// readings share one) when that wall time happened twice. Reading the text
/// back in `zone` gives the same instant.
pub fn local_text(zone: Tz, at: DateTime<Utc>, on: Option<NaiveDate>) -> String {
    let local = at.with_timezone(&zone).naive_local();
    let clock = if local.second() == 0 {
        "%H:%M"
    } else {
        "%H:%M:%S"
    };
    let mut text = if on == Some(local.date()) {
        local.format(clock).to_string()
    } else {
        local.format(&format!("%Y-%m-%d {clock}")).to_string()
    };
    if let Local::Fold(a, b) = resolve_local(zone, local) {
        let (first, second) = (
            abbreviation_at(zone, a.to_utc()),
            abbreviation_at(zone, b.to_utc()),
        );
        let label = if first == second || first.starts_with(['+', '-']) {
            at.with_timezone(&zone).offset().fix().to_string()
        } else {
            abbreviation_at(zone, at)
        };
        text.push(' ');
        text.push_str(&label);
    }
    text
}

fn zone_uses_in_year(tz: Tz, abbr: &str, date: NaiveDate) -> bool {
    zone_offset_named(tz, abbr, date).is_some()
}

/// The offset a zone uses under an abbreviation within a year of a date.
pub fn zone_offset_named(tz: Tz, abbr: &str, date: NaiveDate) -> Option<FixedOffset> {
    (-13..=13).find_map(|fortnight| {
        let probe = date.and_time(NaiveTime::MIN).and_utc() + Duration::days(14 * fortnight);
        let offset = tz.offset_from_utc_datetime(&probe.naive_utc());
        goes_by(tz, &offset, abbr).then(|| offset.fix())
    })
}

/// Zone names that are aliases kept for compatibility, left out of suggestions.
fn is_canonical_name(name: &str) -> bool {
    name == "UTC"
        || (name.contains('/')
            && ![
                "Etc/", "US/", "Canada/", "Mexico/", "Brazil/", "Chile/", "SystemV/",
            ]
            .iter()
            .any(|prefix| name.starts_with(prefix)))
}

/// Zones most people mean by a shared abbreviation, listed first in
/// suggestions. The zone database has no notion of a main zone, and
/// alphabetical order alone would offer `Africa/Bangui` for `WAT`.
const MAIN_ZONES: &[&str] = &[
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Halifax",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Athens",
    "Europe/Moscow",
    "Africa/Lagos",
    "Africa/Johannesburg",
    "Africa/Nairobi",
    "Africa/Cairo",
    "Asia/Kolkata",
    "Asia/Karachi",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Asia/Manila",
    "Asia/Jakarta",
    "Asia/Jerusalem",
    "Australia/Sydney",
    "Australia/Adelaide",
    "Australia/Perth",
    "Pacific/Auckland",
];

/// Sorts zone names with the main zones first, then alphabetically.
pub fn sort_zones(zones: &mut Vec<&'static str>) {
    zones.sort_unstable_by_key(|name| {
        (
            MAIN_ZONES
                .iter()
                .position(|main| main == name)
                .unwrap_or(usize::MAX),
            *name,
        )
    });
    zones.dedup();
}

/// IANA zones that go by an abbreviation on a date (at noon UTC), main
/// zones first.
pub fn zones_using(abbr: &str, date: NaiveDate) -> Vec<&'static str> {
    let noon = date.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc();
    let mut zones: Vec<&'static str> = TZ_VARIANTS
        .iter()
        .filter(|tz| is_canonical_name(tz.name()))
        .filter(|tz| goes_by(**tz, &tz.offset_from_utc_datetime(&noon.naive_utc()), abbr))
        .map(|tz| tz.name())
        .collect();
    sort_zones(&mut zones);
    zones
}

/// `zones_using`, remembered: it reads every zone, and a hostile timeline
/// repeats one wrong abbreviation on one day thousands of times.
fn zones_using_cached(abbr: &str, date: NaiveDate) -> Vec<&'static str> {
    type Seen = HashMap<(String, NaiveDate), Vec<&'static str>>;
    thread_local! {
        static SEEN: RefCell<Seen> = RefCell::default();
    }
    let key = (abbr.to_ascii_uppercase(), date);
    if let Some(zones) = SEEN.with(|seen| seen.borrow().get(&key).cloned()) {
        return zones;
    }
    let zones = zones_using(abbr, date);
    SEEN.with(|seen| {
        let mut seen = seen.borrow_mut();
        if seen.len() >= 4096 {
            seen.clear();
        }
        seen.insert(key, zones.clone());
    });
    zones
}

/// "2 h 30 min", "45 min", "3 d 4 h".
pub fn human_duration(duration: Duration) -> String {
    let total = duration.num_minutes();
    let sign = if total < 0 { "-" } else { "" };
    let total = total.abs();
    let (days, hours, minutes) = (total / 1440, (total % 1440) / 60, total % 60);
    let mut parts = Vec::new();
    if days > 0 {
        parts.push(format!("{days} d"));
    }
    if hours > 0 {
        parts.push(format!("{hours} h"));
    }
    if minutes > 0 || parts.is_empty() {
        parts.push(format!("{minutes} min"));
    }
    format!("{sign}{}", parts.join(" "))
}

/// Zones using an abbreviation in January or July of the date's year.
pub fn abbreviation_zones(abbr: &str, date: Option<NaiveDate>) -> Vec<&'static str> {
    let year = date.map_or(2024, |d| d.year());
    let mut zones = Vec::new();
    for (month, day) in [(1, 15), (7, 15)] {
        if let Some(date) = NaiveDate::from_ymd_opt(year, month, day) {
            zones.extend(zones_using_cached(abbr, date));
        }
    }
    sort_zones(&mut zones);
    zones
}

/// "A, B, C and 4 more".
pub fn list(names: &[&str]) -> String {
    const SHOWN: usize = 5;
    let mut text = names
        .iter()
        .take(SHOWN)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    text
}

/// A duration as the document states it (`2h`, `90 minutes`, `PT2H30M`),
/// with the precision its own figure implies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stated {
    /// As written, trimmed.
    pub written: String,
    pub duration: Duration,
    /// How far the true length may be from it and still agree: half its
    /// smallest unit, at least a minute ("2 hours" ±30 min, "45m" ±1 min).
    pub tolerance: Duration,
}

/// Why a valid zone name is a poor `timezone:`: a legacy zone or alias kept
/// by tzdata for compatibility, or a fixed offset with no daylight saving.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Legacy {
    /// What the name is, as a sentence part: "fixed at UTC−05:00 with no
    /// daylight saving time", "an old name of `America/New_York`".
    pub what: String,
    /// The zone of the place to write instead, when there is one to name.
    pub instead: Option<&'static str>,
}

/// tzdata's legacy zones in the POSIX style (its `northamerica` and `europe`
/// files keep them "for backward compatibility"): fixed, or with the US or EU
/// rules of the 1970s, but tied to no place.
const POSIX_LEGACY: &[&str] = &[
    "EST", "MST", "HST", "EST5EDT", "CST6CDT", "MST7MDT", "PST8PDT", "CET", "MET", "EET", "WET",
];

/// Names tzdata keeps only as links (its `backward` file): the country folders
/// and the old single-word names. `UTC` is the one plain name that is current.
const ALIAS_FOLDERS: &[&str] = &["US/", "Canada/", "Mexico/", "Brazil/", "Chile/", "SystemV/"];

/// Whether a zone name is legacy, and what to say about it. `UTC` and the
/// `Region/City` names in current use are not.
pub fn legacy_zone(tz: Tz) -> Option<Legacy> {
    let name = tz.name();
    if matches!(name, "UTC" | "Etc/UTC") {
        return None;
    }
    let fixed = fixed_offset(tz);
    if let Some(offset) = fixed
        && (name.starts_with("Etc/") || name.starts_with("GMT") || POSIX_LEGACY.contains(&name))
    {
        let inverted = name.starts_with("Etc/GMT") && name.len() > "Etc/GMT".len();
        let what = format!(
            "fixed at UTC{} with no daylight saving time{}",
            sign_offset(offset),
            if inverted {
                " (the sign of Etc/GMT names is inverted)"
            } else {
                ""
            }
        );
        return Some(Legacy {
            what,
            instead: same_abbreviation_with_dst(tz),
        });
    }
    let is_alias = POSIX_LEGACY.contains(&name)
        || ALIAS_FOLDERS.iter().any(|folder| name.starts_with(folder))
        || !name.contains('/');
    if !is_alias {
        return None;
    }
    let instead = equivalent_zone(tz);
    let what = match instead {
        Some(target) => format!("an old name kept for compatibility; the zone is {target}"),
        None => "a legacy zone tied to no place, kept for compatibility".to_owned(),
    };
    Some(Legacy { what, instead })
}

/// `+05:30` written with the minus sign people read: `−05:00`.
fn sign_offset(offset: FixedOffset) -> String {
    offset.to_string().replace('-', "−")
}

/// The one offset a zone has had since 1970, if it never changed.
fn fixed_offset(tz: Tz) -> Option<FixedOffset> {
    let mut seen = None;
    for year in (1970..=2037).step_by(1) {
        for month in [1, 7] {
            let at = NaiveDate::from_ymd_opt(year, month, 1)?.and_hms_opt(0, 0, 0)?;
            let offset = tz.offset_from_utc_datetime(&at).fix();
            match seen {
                None => seen = Some(offset),
                Some(first) if first != offset => return None,
                Some(_) => {}
            }
        }
    }
    seen
}

/// For `EST`, the place most people mean: the main zone that uses the same
/// abbreviation, with daylight saving (`America/New_York`).
fn same_abbreviation_with_dst(tz: Tz) -> Option<&'static str> {
    let probe = NaiveDate::from_ymd_opt(2024, 1, 15)?.and_hms_opt(12, 0, 0)?;
    let abbreviation = abbreviation_of(&tz.offset_from_utc_datetime(&probe));
    if abbreviation.starts_with(['+', '-']) {
        return None;
    }
    let mut zones = abbreviation_zones(&abbreviation, Some(probe.date()));
    zones.retain(|name| is_canonical_name(name) && legacy_name_free(name));
    let main = zones.iter().find(|z| MAIN_ZONES.contains(z)).copied();
    main.or_else(|| zones.first().copied())
}

fn legacy_name_free(name: &str) -> bool {
    !POSIX_LEGACY.contains(&name)
}

/// The current zone that has kept the same clock as an alias since 1970:
/// `US/Eastern` is `America/New_York`. The main zones are tried first, since
/// several places can share a clock.
fn equivalent_zone(tz: Tz) -> Option<&'static str> {
    let mut instants = Vec::new();
    for year in 1970..=2037 {
        for month in 1..=12 {
            let at = NaiveDate::from_ymd_opt(year, month, 1)?.and_hms_opt(0, 0, 0)?;
            instants.push(at);
        }
    }
    let same = |other: Tz| {
        instants.iter().all(|at| {
            let a = tz.offset_from_utc_datetime(at);
            let b = other.offset_from_utc_datetime(at);
            a.fix() == b.fix() && abbreviation_of(&a) == abbreviation_of(&b)
        })
    };
    let candidates = MAIN_ZONES
        .iter()
        .filter_map(|name| name.parse::<Tz>().ok())
        .chain(TZ_VARIANTS.iter().copied())
        .filter(|other| {
            let name = other.name();
            name != tz.name()
                && is_canonical_name(name)
                && legacy_name_free(name)
                && name.contains('/')
        });
    for other in candidates {
        if same(other) {
            return Some(other.name());
        }
    }
    None
}

/// The forms `summary.duration` takes, for messages.
pub const DURATION_FORMS: &str = "`45m`, `2h`, `2h 30m`, `1d 4h`, `90 minutes`, `2 hours`, `1 hour 30 minutes` or ISO 8601 `PT2H30M`";

/// Reads a duration as people state it: `45m`, `2h 30m`, `2h30m`, `1d 4h`,
/// `90 minutes`, `1 hour and 30 minutes`, `PT2H30M`. Its tolerance is half
/// its smallest unit, and at least a minute: "2 hours" agrees with 1 h 30
/// to 2 h 30, "45m" with 44 to 46 minutes.
pub fn parse_duration(text: &str) -> Option<Stated> {
    let text = text.trim();
    let lower = text.to_ascii_lowercase();
    let parts = if let Some(iso) = lower.strip_prefix("pt") {
        iso_parts(iso, true)?
    } else if let Some(iso) = lower.strip_prefix('p') {
        iso_parts(iso, false)?
    } else {
        word_parts(&lower)?
    };
    if parts.is_empty() {
        return None;
    }
    let mut total = 0i64;
    let mut smallest = i64::MAX;
    for (amount, unit) in parts {
        total = total.checked_add(amount.checked_mul(unit)?)?;
        smallest = smallest.min(unit);
    }
    let tolerance = (smallest / 2).max(60);
    Some(Stated {
        written: text.to_owned(),
        duration: Duration::try_seconds(total)?,
        tolerance: Duration::try_seconds(tolerance)?,
    })
}

/// Seconds in a unit as written: `d`, `day(s)`, `h`, `hr(s)`, `hour(s)`,
/// `m`, `min(s)`, `minute(s)`, `s`, `sec(s)`, `second(s)`.
fn unit_seconds(unit: &str) -> Option<i64> {
    Some(match unit {
        "d" | "day" | "days" => 86_400,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3_600,
        "m" | "min" | "mins" | "minute" | "minutes" => 60,
        "s" | "sec" | "secs" | "second" | "seconds" => 1,
        _ => return None,
    })
}

/// `2h 30m`, `2h30m`, `1 hour and 30 minutes`, `90 minutes`: numbers each
/// followed by a unit, separated by spaces, commas or "and".
fn word_parts(text: &str) -> Option<Vec<(i64, i64)>> {
    let mut parts = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        rest = rest.trim_start_matches([' ', ',']);
        if let Some(after) = rest.strip_prefix("and ") {
            rest = after.trim_start();
            continue;
        }
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 {
            return None;
        }
        let amount: i64 = rest[..digits].parse().ok()?;
        rest = rest[digits..].trim_start();
        let unit_len = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        let unit = unit_seconds(&rest[..unit_len])?;
        parts.push((amount, unit));
        rest = rest[unit_len..].trim_start();
    }
    Some(parts)
}

/// The `2h30m` of ISO 8601 `PT2H30M` (and `P1DT2H`), lowercased.
fn iso_parts(text: &str, mut in_time: bool) -> Option<Vec<(i64, i64)>> {
    let mut parts = Vec::new();
    let mut number = String::new();
    for c in text.chars() {
        match c {
            '0'..='9' => number.push(c),
            't' if number.is_empty() && !in_time => in_time = true,
            'd' | 'h' | 'm' | 's' if !number.is_empty() => {
                if (c == 'd') == in_time {
                    return None;
                }
                parts.push((number.parse().ok()?, unit_seconds(&c.to_string())?));
                number.clear();
            }
            _ => return None,
        }
    }
    number.is_empty().then_some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `month_from_name` as first written, through a lowercased copy.
    fn month_by_lowercase_copy(name: &str) -> Option<u32> {
        let name = name.to_ascii_lowercase();
        let name = name.trim_end_matches('.');
        let prefix = name.get(..3)?;
        let index = MONTHS.iter().position(|m| m[..3] == *prefix)?;
        (name.len() == 3 || MONTHS[index].starts_with(name)).then_some(index as u32 + 1)
    }

    proptest::proptest! {
        #[test]
        fn month_names_read_as_through_a_lowercased_copy(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "j", "J", "an", "AN", "uary", "UaRy", "Sep", "t", "ember", "Marc", "h", "may", ".",
                "é", "ß", "x", "Dec", "e", "mber",
            ]), 0..5)
        ) {
            let name = pieces.concat();
            proptest::prop_assert_eq!(month_from_name(&name), month_by_lowercase_copy(&name));
        }
    }

    #[test]
    fn month_names_in_every_written_form() {
        for (name, month) in [
            ("Jan", Some(1)),
            ("jan.", Some(1)),
            ("Sept", Some(9)),
            ("SEPTEMBER", Some(9)),
            ("Marc", Some(3)),
            ("Mayday", None),
            ("Ma", None),
        ] {
            assert_eq!(month_from_name(name), month, "{name}");
        }
    }

    #[test]
    fn a_date_joined_to_its_time_by_a_stray_separator_is_recovered() {
        let read = |text: &str| recover(text).map(|(canonical, _)| canonical);
        assert_eq!(
            read("2023-01-04/11:34").as_deref(),
            Some("2023-01-04 11:34")
        );
        assert_eq!(
            read("2023-01-04, 11:34 UTC").as_deref(),
            Some("2023-01-04 11:34 UTC")
        );
        assert_eq!(
            read("2023-01-04 at 9:05 PM").as_deref(),
            Some("2023-01-04 9:05 PM")
        );
        assert_eq!(
            read("2023-01-04@11:34").as_deref(),
            Some("2023-01-04 11:34")
        );
        // Nothing clearly meant: no reading.
        assert_eq!(read("2023-01-04 25:10"), None);
        assert_eq!(read("2023-02-30/11:34"), None);
        assert_eq!(read("around 4ish"), None);
        assert_eq!(
            leading_date("2023-01-04 25:10"),
            NaiveDate::from_ymd_opt(2023, 1, 4)
        );
        assert_eq!(leading_date("4 Jan"), None);
    }

    /// Each row of the generated table still holds in today's tzdata: the
    /// zone exists, keeps the offset, and tzdata labels it with a number.
    #[test]
    fn the_dropped_abbreviations_agree_with_todays_tzdata() {
        assert!(crate::abbreviations::FORMER.len() > 50);
        for (abbr, zone, offset) in crate::abbreviations::FORMER {
            let tz: Tz = zone.parse().unwrap_or_else(|_| panic!("{zone} is no zone"));
            let held = (2020..=2026)
                .flat_map(|y| (1..=12).map(move |m| (y, m)))
                .any(|(y, m)| {
                    let at = NaiveDate::from_ymd_opt(y, m, 15)
                        .and_then(|d| d.and_hms_opt(12, 0, 0))
                        .expect("a date");
                    let here = tz.offset_from_utc_datetime(&at);
                    here.fix().local_minus_utc() == *offset
                        && here
                            .abbreviation()
                            .is_none_or(|a| a.starts_with(['+', '-']))
                });
            assert!(held, "{abbr} {zone} {offset}");
        }
        for (abbr, zone) in [
            ("ICT", "Asia/Bangkok"),
            ("SGT", "Asia/Singapore"),
            ("ART", "America/Argentina/Buenos_Aires"),
            ("IRST", "Asia/Tehran"),
        ] {
            let date = NaiveDate::from_ymd_opt(2023, 1, 15).expect("a date");
            assert!(zones_using(abbr, date).contains(&zone), "{abbr}");
        }
    }

    #[test]
    fn a_dropped_abbreviation_reads_as_the_zones_own_clock() {
        let bangkok: Tz = "Asia/Bangkok".parse().expect("zone");
        let written = parse("2023-06-01 10:00 ICT").expect("parses");
        let resolved = resolve(
            &written,
            NaiveDate::from_ymd_opt(2023, 6, 1).expect("date"),
            bangkok,
        )
        .expect("resolves");
        assert_eq!(resolved.at.to_rfc3339(), "2023-06-01T10:00:00+07:00");
        assert_eq!(resolved.foreign_zone, None);
        // In another zone it is a foreign clock, never an unknown one.
        let lagos: Tz = "Africa/Lagos".parse().expect("zone");
        let problem = resolve(
            &written,
            NaiveDate::from_ymd_opt(2023, 6, 1).expect("date"),
            lagos,
        );
        assert!(
            matches!(problem, Err(Problem::AbbreviationMismatch { .. })),
            "{problem:?}"
        );
    }

    /// `BST` in January, when London is on GMT, is still London's
    /// abbreviation: a mismatch naming London, as in July.
    #[test]
    fn bst_is_known_all_year() {
        let dhaka: Tz = "Asia/Dhaka".parse().expect("zone");
        for date in ["2026-01-10", "2026-07-10"] {
            let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").expect("date");
            let written = parse("10:00 BST").expect("parses");
            match resolve(&written, date, dhaka) {
                Err(Problem::AbbreviationMismatch { zones_using, .. }) => {
                    assert_eq!(zones_using.first(), Some(&"Europe/London"), "{date}");
                }
                other => panic!("{date}: {other:?}"),
            }
        }
    }

    #[test]
    fn generic_labels_and_pairs_mean_the_clock_in_effect() {
        let la: Tz = "America/Los_Angeles".parse().expect("zone");
        let at = |text: &str| {
            let written = parse(text).expect("reads");
            resolve(&written, written.date.expect("a date"), la).map(|r| r.at.to_rfc3339())
        };
        // June: PDT (-07:00); December: PST (-08:00).
        assert_eq!(
            at("2023-06-10 15:00 PT"),
            Ok("2023-06-10T15:00:00-07:00".into())
        );
        assert_eq!(
            at("2023-12-10 15:00 PT"),
            Ok("2023-12-10T15:00:00-08:00".into())
        );
        assert_eq!(
            at("2023-06-10 15:00 PST/PDT"),
            Ok("2023-06-10T15:00:00-07:00".into())
        );
        // A generic label cannot pick a side of the fold.
        assert!(matches!(
            at("2023-11-05 01:30 PT"),
            Err(Problem::Ambiguous { .. })
        ));
        // ET is not Los Angeles' clock.
        assert!(at("2023-06-10 15:00 ET").is_err());
        let ny: Tz = "America/New_York".parse().expect("zone");
        let written = parse("2023-06-10 15:00 ET").expect("reads");
        assert_eq!(
            resolve(&written, written.date.expect("a date"), ny).map(|r| r.at.to_rfc3339()),
            Ok("2023-06-10T15:00:00-04:00".into())
        );
    }

    #[test]
    fn legacy_zones_are_told_apart_and_named_with_their_place() {
        let legacy = |name: &str| legacy_zone(name.parse().expect("a zone"));
        let est = legacy("EST").expect("EST is legacy");
        assert_eq!(est.what, "fixed at UTC−05:00 with no daylight saving time");
        assert_eq!(est.instead, Some("America/New_York"));
        assert_eq!(
            legacy("HST").and_then(|l| l.instead),
            Some("Pacific/Honolulu")
        );
        let eastern = legacy("US/Eastern").expect("an alias");
        assert_eq!(eastern.instead, Some("America/New_York"));
        let gmt5 = legacy("Etc/GMT+5").expect("fixed");
        assert!(
            gmt5.what.contains("UTC−05:00") && gmt5.what.contains("inverted"),
            "{}",
            gmt5.what
        );
        assert!(legacy("EST5EDT").is_some());
        assert!(legacy("GB").is_some_and(|l| l.instead == Some("Europe/London")));
        for current in [
            "UTC",
            "America/New_York",
            "Europe/Berlin",
            "Asia/Kolkata",
            "Africa/Lagos",
        ] {
            assert_eq!(legacy(current), None, "{current}");
        }
    }

    #[test]
    fn durations_read_as_people_state_them() {
        let minutes = |text: &str| {
            parse_duration(text).map(|s| (s.duration.num_minutes(), s.tolerance.num_minutes()))
        };
        assert_eq!(minutes("45m"), Some((45, 1)));
        assert_eq!(minutes("2h"), Some((120, 30)));
        assert_eq!(minutes("2h 30m"), Some((150, 1)));
        assert_eq!(minutes("2h30m"), Some((150, 1)));
        assert_eq!(minutes("1d 4h"), Some((1680, 30)));
        assert_eq!(minutes("90 minutes"), Some((90, 1)));
        assert_eq!(minutes("2 hours"), Some((120, 30)));
        assert_eq!(minutes("1 hour 30 minutes"), Some((90, 1)));
        assert_eq!(minutes("2 hours and 40 minutes"), Some((160, 1)));
        assert_eq!(minutes("PT2H30M"), Some((150, 1)));
        assert_eq!(minutes("P1DT2H"), Some((1560, 30)));
        assert_eq!(minutes("3 Days"), Some((4320, 720)));
        for bad in [
            "",
            "2",
            "two hours",
            "2 fortnights",
            "PT",
            "PT2X",
            "h2",
            "P2H",
            "-5m",
        ] {
            assert_eq!(minutes(bad), None, "{bad}");
        }
    }

    fn written(text: &str) -> Written {
        parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    #[test]
    fn reads_every_accepted_form() {
        let w = written("2023-09-10 16:00");
        assert_eq!(
            (w.date, w.time.to_string()),
            (Some(date(2023, 9, 10)), "16:00:00".into())
        );
        assert_eq!(written("2023-09-10T16:00:30").time.to_string(), "16:00:30");
        assert_eq!(written("16:40").date, None);
        assert_eq!(written("3:30 PM").time.to_string(), "15:30:00");
        assert_eq!(written("12:05 am").time.to_string(), "00:05:00");
        assert_eq!(written("12:05PM").time.to_string(), "12:05:00");
        assert_eq!(
            written("2023-06-10 3:00 PM PST").zone,
            Some(WrittenZone::Abbreviation("PST".into()))
        );
        assert_eq!(
            written("3:30 PM (WAT)").zone,
            Some(WrittenZone::Abbreviation("WAT".into()))
        );
        assert_eq!(written("16:00Z").zone, Some(WrittenZone::Utc("Z".into())));
        assert_eq!(
            written("16:00 UTC").zone,
            Some(WrittenZone::Utc("UTC".into()))
        );
        assert_eq!(
            written("16:00 +05:30").zone,
            Some(WrittenZone::Offset(
                FixedOffset::east_opt(19800).expect("offset")
            ))
        );
        assert_eq!(
            written("16:00 -0800").zone,
            Some(WrittenZone::Offset(
                FixedOffset::west_opt(28800).expect("offset")
            ))
        );
        assert_eq!(
            written("16:00 Europe/London").zone,
            Some(WrittenZone::Iana(chrono_tz::Europe::London))
        );
    }

    #[test]
    fn refuses_malformed_times_with_a_reason() {
        for bad in [
            "",
            "16",
            "16h30",
            "25:00",
            "16:60",
            "16:5",
            "13:00 PM",
            "0:30 AM",
            "2023-13-01 10:00",
            "2023-02-30 10:00",
            "2023-09-10",
            "16:00 +25:00",
            "16:00 Mars/Olympus",
            "16:00 !!",
            "yesterday",
            "2023/09/10 16:00",
            // Multibyte text where ASCII was expected: these panicked.
            "2023-09-0é 10:00",
            "16:00 aé",
            "16:00 +a€",
            "2023-09-10 16:00 pé",
            "１６:００",
        ] {
            assert!(parse(bad).is_err(), "`{bad}` should be refused");
        }
    }

    #[test]
    fn london_spring_gap_and_autumn_fold() {
        let london = chrono_tz::Europe::London;
        let gap = resolve(&written("2026-03-29 01:30"), date(2000, 1, 1), london);
        let Err(Problem::Nonexistent { transition, .. }) = gap else {
            panic!("01:30 on 2026-03-29 is in the gap: {gap:?}")
        };
        assert_eq!(
            transition.describe(),
            "clocks went forward from 01:00 GMT to 02:00 BST on 2026-03-29"
        );

        let fold = resolve(&written("2026-10-25 01:30"), date(2000, 1, 1), london);
        let Err(Problem::Ambiguous { earlier, later, .. }) = fold else {
            panic!("01:30 on 2026-10-25 is in the fold: {fold:?}")
        };
        assert_eq!(
            (earlier.abbreviation.as_str(), later.abbreviation.as_str()),
            ("BST", "GMT")
        );

        let bst = resolve(&written("2026-10-25 01:30 BST"), date(2000, 1, 1), london)
            .expect("BST settles it");
        let gmt = resolve(&written("2026-10-25 01:30 GMT"), date(2000, 1, 1), london)
            .expect("GMT settles it");
        let offset = resolve(
            &written("2026-10-25 01:30 +01:00"),
            date(2000, 1, 1),
            london,
        )
        .expect("offset settles it");
        assert_eq!(gmt.at - bst.at, Duration::hours(1));
        assert_eq!(offset.at, bst.at);
        assert_eq!(
            offset.foreign_zone, None,
            "+01:00 is London's own offset then"
        );
    }

    #[test]
    fn human_forms_get_their_canonical_rewrite() {
        let canonical = |text: &str, year: Option<i32>| match human_form(text, year) {
            Some(HumanForm::Canonical { text, year_taken }) => Some((text, year_taken)),
            _ => None,
        };
        // Issue 14's forms.
        assert_eq!(
            canonical("June 9, 2023, 10:00 AM (PST)", None),
            Some(("2023-06-09 10:00 AM PST".into(), false))
        );
        assert_eq!(
            canonical("1506 UTC", None),
            Some(("15:06 UTC".into(), false))
        );
        assert_eq!(canonical("0233", None), Some(("02:33".into(), false)));
        assert_eq!(
            canonical("3rd June 2023 10:00 am GMT", None),
            Some(("2023-06-03 10:00 AM GMT".into(), false))
        );
        assert_eq!(
            canonical("Feb 8 0117 UTC", Some(2023)),
            Some(("2023-02-08 01:17 UTC".into(), true))
        );
        // Four digits with no time after them are the time, not a year.
        assert_eq!(
            canonical("Jun 9 1917 UTC", Some(2023)),
            Some(("2023-06-09 19:17 UTC".into(), true))
        );
        assert_eq!(
            canonical("Jun 9 2023 1917 UTC", Some(2020)),
            Some(("2023-06-09 19:17 UTC".into(), false))
        );
        // No year to take: no rewrite.
        assert_eq!(human_form("Feb 8 0117 UTC", None), None);
        assert_eq!(
            human_form("12/02/2025", None),
            Some(HumanForm::Either(vec![
                ("2025-02-12".into(), "12 February 2025".into()),
                ("2025-12-02".into(), "2 December 2025".into()),
            ]))
        );
        // One reading when the day is over 12; nothing for a date alone.
        assert_eq!(
            canonical("25/02/2025 14:00", None),
            Some(("2025-02-25 14:00".into(), false))
        );
        assert_eq!(human_form("June 9, 2023", None), None);
        // Not a time at all, or a rewrite pm would not read.
        assert_eq!(human_form("around 4ish", None), None);
        assert_eq!(human_form("2500 UTC", None), None);
        assert_eq!(human_form("Feb 30 2023 10:00", None), None);
    }

    #[test]
    fn a_wall_time_in_a_gap_is_nonexistent_whatever_abbreviation_is_written() {
        // Issue 15: `02:30 EST` and `02:30 EDT` in New York's gap used to
        // name each other as the one in effect; the wall time is what is wrong.
        let ny = chrono_tz::America::New_York;
        for text in [
            "2023-03-12 02:30 EST",
            "2023-03-12 02:30 EDT",
            "2023-03-12 02:30",
        ] {
            let result = resolve(&written(text), date(2000, 1, 1), ny);
            assert!(
                matches!(result, Err(Problem::Nonexistent { .. })),
                "{text}: {result:?}"
            );
        }
        let london = chrono_tz::Europe::London;
        let result = resolve(&written("2026-03-29 01:30 BST"), date(2000, 1, 1), london);
        assert!(
            matches!(result, Err(Problem::Nonexistent { .. })),
            "{result:?}"
        );
        // An abbreviation the zone never uses keeps its own finding.
        let result = resolve(&written("2026-03-29 01:30 PST"), date(2000, 1, 1), london);
        assert!(
            matches!(
                result,
                Err(Problem::AbbreviationMismatch {
                    used_elsewhere_in_year: false,
                    ..
                })
            ),
            "{result:?}"
        );
    }

    #[test]
    fn offset_named_and_is_daylight_read_the_zone_first() {
        let berlin = chrono_tz::Europe::Berlin;
        let day = date(2025, 3, 30);
        assert_eq!(
            offset_named(berlin, "CET", day).map(|o| o.local_minus_utc()),
            Some(3600)
        );
        assert_eq!(
            offset_named(berlin, "CEST", day).map(|o| o.local_minus_utc()),
            Some(7200)
        );
        let ny = chrono_tz::America::New_York;
        assert_eq!(is_daylight("PST", ny, date(2025, 11, 2)), Some(false));
        assert_eq!(is_daylight("PDT", ny, date(2025, 7, 2)), Some(true));
        assert_eq!(is_daylight("EDT", ny, date(2025, 11, 2)), Some(true));
    }

    #[test]
    fn local_text_names_the_reading_in_a_fold_and_the_date_when_it_changes() {
        let ny = chrono_tz::America::New_York;
        let at = |s: &str| DateTime::parse_from_rfc3339(s).map(|d| d.to_utc());
        let day = date(2025, 11, 2);
        // 06:02 UTC is 01:02 EST, the second 01:02 of the night.
        assert_eq!(
            at("2025-11-02T06:02:00Z").map(|a| local_text(ny, a, Some(day))),
            Ok("01:02 EST".into())
        );
        assert_eq!(
            at("2025-11-02T05:02:00Z").map(|a| local_text(ny, a, Some(day))),
            Ok("01:02 EDT".into())
        );
        assert_eq!(
            at("2025-11-02T08:00:30Z").map(|a| local_text(ny, a, None)),
            Ok("2025-11-02 03:00:30".into())
        );
        // The day changed from the one the time would take: the date is written.
        assert_eq!(
            at("2025-11-03T05:10:00Z").map(|a| local_text(ny, a, Some(day))),
            Ok("2025-11-03 00:10".into())
        );
        // Both readings of a Lord Howe fold have numeric labels: the offset says which.
        let lh = chrono_tz::Australia::Lord_Howe;
        assert_eq!(
            at("2025-04-05T14:45:00Z").map(|a| local_text(lh, a, Some(date(2025, 4, 6)))),
            Ok("01:45 +11:00".into())
        );
        assert_eq!(
            at("2025-04-05T15:15:00Z").map(|a| local_text(lh, a, Some(date(2025, 4, 6)))),
            Ok("01:45 +10:30".into())
        );
    }

    #[test]
    fn pst_in_june_names_pdt() {
        let la = chrono_tz::America::Los_Angeles;
        let result = resolve(&written("2023-06-10 3:00 PM PST"), date(2000, 1, 1), la);
        let Err(Problem::AbbreviationMismatch {
            in_effect,
            used_elsewhere_in_year,
            ..
        }) = result
        else {
            panic!("PST in June is wrong: {result:?}")
        };
        assert_eq!(in_effect, "PDT");
        assert!(used_elsewhere_in_year);
        let ok = resolve(&written("2023-06-10 3:00 PM PDT"), date(2000, 1, 1), la)
            .expect("PDT is right");
        assert_eq!(ok.at.to_utc().to_rfc3339(), "2023-06-10T22:00:00+00:00");
    }

    #[test]
    fn abbreviations_are_looked_up_on_the_date() {
        let lagos = zones_using("WAT", date(2023, 9, 10));
        assert_eq!(lagos.first(), Some(&"Africa/Lagos"), "{lagos:?}");
        assert!(!lagos.contains(&"Europe/London"));
        let result = resolve(
            &written("2023-09-10 16:00 WAT"),
            date(2000, 1, 1),
            chrono_tz::UTC,
        );
        assert!(
            matches!(result, Err(Problem::AbbreviationMismatch { .. })),
            "{result:?}"
        );
        let result = resolve(
            &written("2023-09-10 16:00 QQQ"),
            date(2000, 1, 1),
            chrono_tz::UTC,
        );
        assert!(
            matches!(result, Err(Problem::UnknownAbbreviation { .. })),
            "{result:?}"
        );
    }

    #[test]
    fn abbreviations_that_are_also_zone_names() {
        let berlin = chrono_tz::Europe::Berlin;
        let cet = resolve(&written("2024-01-10 08:23 CET"), date(2000, 1, 1), berlin)
            .expect("CET is Berlin's winter abbreviation");
        assert_eq!(cet.foreign_zone, None);
        assert_eq!(cet.at.to_utc().to_rfc3339(), "2024-01-10T07:23:00+00:00");
        let summer = resolve(&written("2024-07-10 08:23 CET"), date(2000, 1, 1), berlin);
        assert!(
            matches!(summer, Err(Problem::AbbreviationMismatch { .. })),
            "CEST is in effect in July: {summer:?}"
        );
        let london = chrono_tz::Europe::London;
        let est = resolve(&written("2024-07-10 09:00 EST"), date(2000, 1, 1), london)
            .expect("EST is an IANA zone London never uses");
        assert_eq!(est.foreign_zone.as_deref(), Some("EST"));
        assert_eq!(est.at.to_utc().to_rfc3339(), "2024-07-10T14:00:00+00:00");
    }

    #[test]
    fn foreign_zones_are_noticed() {
        let lagos = chrono_tz::Africa::Lagos;
        let same =
            resolve(&written("2023-09-10 16:00 +01:00"), date(2000, 1, 1), lagos).expect("valid");
        assert_eq!(same.foreign_zone, None);
        let other =
            resolve(&written("2023-09-10 15:00 Z"), date(2000, 1, 1), lagos).expect("valid");
        assert_eq!(other.foreign_zone.as_deref(), Some("Z"));
        assert_eq!(same.at, other.at);
    }

    #[test]
    fn zone_names_suggest_their_spelling() {
        assert_eq!(
            parse_zone_name("Africa/Lagos"),
            Ok(chrono_tz::Africa::Lagos)
        );
        assert_eq!(parse_zone_name("africa/lagos"), Err(Some("Africa/Lagos")));
        assert_eq!(parse_zone_name("Africa/Lagoss"), Err(Some("Africa/Lagos")));
    }

    #[test]
    fn durations_read_like_people_write_them() {
        assert_eq!(human_duration(Duration::minutes(150)), "2 h 30 min");
        assert_eq!(human_duration(Duration::minutes(45)), "45 min");
        assert_eq!(human_duration(Duration::minutes(0)), "0 min");
        assert_eq!(human_duration(Duration::minutes(60 * 27)), "1 d 3 h");
    }

    #[test]
    fn an_abbreviation_with_an_offset_must_agree_with_it() {
        let la = chrono_tz::America::Los_Angeles;
        let pdt = FixedOffset::west_opt(7 * 3600).expect("offset");
        for text in [
            "2023-06-10 12:00 PDT -07:00",
            "2023-06-10 12:00 -0700 (PDT)",
            "2023-06-10 12:00 -07:00 PDT",
        ] {
            assert_eq!(
                written(text).zone,
                Some(WrittenZone::AbbreviationOffset("PDT".into(), pdt)),
                "{text}"
            );
            let ok = resolve(&written(text), date(2000, 1, 1), la).expect("agrees");
            assert_eq!(
                ok.at.to_utc().to_rfc3339(),
                "2023-06-10T19:00:00+00:00",
                "{text}"
            );
            assert_eq!(ok.foreign_zone, None, "{text}");
        }
        // Agreeing in another zone: a foreign time, not a mismatch.
        let ok = resolve(
            &written("2023-06-10 12:00 CDT -05:00"),
            date(2000, 1, 1),
            la,
        )
        .expect("CDT is -05:00 in June");
        assert_eq!(ok.foreign_zone.as_deref(), Some("CDT -05:00"));
        let result = resolve(
            &written("2023-06-10 12:00 PDT -05:00"),
            date(2000, 1, 1),
            la,
        );
        assert_eq!(
            result,
            Err(Problem::AbbreviationOffsetMismatch {
                written: "PDT".into(),
                offset: FixedOffset::west_opt(5 * 3600).expect("offset"),
                means: pdt,
            })
        );
    }

    #[test]
    fn numeric_abbreviations_are_written_as_offsets() {
        let troll = chrono_tz::Antarctica::Troll;
        let gap = resolve(&written("2024-03-31 01:30"), date(2000, 1, 1), troll);
        let Err(Problem::Nonexistent { transition, .. }) = gap else {
            panic!("in the gap: {gap:?}")
        };
        assert_eq!(
            transition.describe(),
            "clocks went forward from 01:00 +00:00 to 03:00 +02:00 on 2024-03-31"
        );
        let fold = resolve(&written("2024-10-27 02:30"), date(2000, 1, 1), troll);
        let Err(Problem::Ambiguous { earlier, later, .. }) = fold else {
            panic!("in the fold: {fold:?}")
        };
        assert_eq!(
            (earlier.abbreviation.as_str(), later.abbreviation.as_str()),
            ("+02:00", "+00:00")
        );
    }

    #[test]
    fn zone_labels_replace_percent_z_only() {
        assert_eq!(with_zone_label("%H:%M %Z", "+02:00"), "%H:%M +02:00");
        assert_eq!(with_zone_label("100%% %Z%", "BST"), "100%% BST%");
        let troll = chrono_tz::Antarctica::Troll;
        let at = troll.from_utc_datetime(&date(2024, 6, 1).and_hms_opt(12, 0, 0).expect("time"));
        assert_eq!(format_in_zone(&at, "%H:%M %Z"), "14:00 +02:00");
    }
}
