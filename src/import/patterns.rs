//! The line-pattern knowledge of `pm import`, in one place: how people write
//! times, dates and zones in postmortems, which words hint at an entry's
//! kind, and what they call the sections. Everything here reads a piece of
//! text; nothing here knows about Markdown or about the output.

use chrono::NaiveDate;
use chrono_tz::Tz;
use regex::Regex;
use std::sync::LazyLock;

/// Compiles one of the patterns below. They are literals, tested in this
/// module, so a failure is a programming error caught by the tests.
fn re(pattern: &str) -> Regex {
    match Regex::new(pattern) {
        Ok(regex) => regex,
        Err(err) => panic!("pattern {pattern}: {err}"),
    }
}

// ---------------------------------------------------------------- times

/// A time of day as a document wrote it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeTok {
    pub hour: u32,
    pub minute: u32,
    /// `~13:00`, `± 17:20`, "around 14:20".
    pub approx: bool,
    /// `??:??`: a step whose time nobody knows.
    pub unknown: bool,
    /// A zone written right after the time, as written (`UTC`, `EAT`,
    /// `PST/PDT`), or an offset turned into `+03:00` form.
    pub zone: Option<String>,
    /// How the reading was not literal ("Midnight" read as 00:00).
    pub note: Option<String>,
    /// Written with AM/PM.
    pub twelve_hour: bool,
}

impl TimeTok {
    fn at(hour: u32, minute: u32) -> Self {
        TimeTok {
            hour,
            minute,
            approx: false,
            unknown: false,
            zone: None,
            note: None,
            twelve_hour: false,
        }
    }

    /// `HH:MM`, with `~` when approximate, or `unknown`.
    pub fn clock(&self) -> String {
        if self.unknown {
            "unknown".to_owned()
        } else {
            format!("{:02}:{:02}", self.hour, self.minute)
        }
    }

    pub fn minutes(&self) -> u32 {
        self.hour * 60 + self.minute
    }
}

/// A time found in a text: where, and what it reads as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found<T> {
    pub start: usize,
    pub end: usize,
    pub value: T,
}

/// Zone abbreviations and labels pm import recognises after a time.
const ZONE_WORDS: &[&str] = &[
    "UTC", "GMT", "Z", "PST", "PDT", "PT", "EST", "EDT", "ET", "CST", "CDT", "CT", "MST", "MDT",
    "MT", "CET", "CEST", "WAT", "EAT", "CAT", "SAST", "BST", "IST", "JST", "KST", "AEST", "AEDT",
    "SGT", "HKT", "WET", "WEST", "EET", "EEST", "MSK", "NZST", "NZDT", "AKST", "AKDT", "HST",
];

static APPROX: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)^(?:~\s*|±\s*|\+/-\s*|(?:around|about|approx\.?|approximately|circa|ca\.|roughly)\s+)")
});
static TWELVE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?\s?m\b\.?"));
static TWENTY_FOUR: LazyLock<Regex> =
    LazyLock::new(|| re(r"^([01]?\d|2[0-3])[:h]([0-5]\d)(?::[0-5]\d(?:\.\d+)?)?"));
static MILITARY: LazyLock<Regex> = LazyLock::new(|| re(r"^([01]\d|2[0-3])([0-5]\d)\b"));
static WORDS: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^(midnight|noon|midday)\b"));
static UNKNOWN: LazyLock<Regex> = LazyLock::new(|| re(r"^\?\?[:.]?\?\?"));
static ZONE_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^\s*\(?((?:UTC|GMT)\s?[+\-−]\s?\d{1,2}(?::?\d{2})?|[A-Z]{1,5}(?:/[A-Z]{2,5})?|[A-Z][a-z]+/[A-Za-z_]+)\)?",
    )
});

/// Reads a time at the very start of `text` (after an approximation mark):
/// `9:03 AM`, `8:20 am`, `5pm`, `00:25 AM`, `14:05`, `0233`, `1506 UTC`,
/// "Midnight", `~13:00`, `± 17:20`, `??:??`. `military` allows the
/// four-digit `0233` form, which is only safe where a time is expected.
/// Returns the time and the length of text it took, zone included.
pub fn time_at(text: &str, military: bool) -> Option<(TimeTok, usize)> {
    // A time and its zone fit in a few dozen bytes. Looking at no more keeps
    // each call short however long the line, so `find_times` stays linear.
    let text = head(text, 64);
    let mut used = 0;
    let mut approx = false;
    if let Some(m) = APPROX.find(text) {
        approx = true;
        used = m.end();
    }
    let rest = &text[used..];
    let (mut tok, len) = if let Some(c) = UNKNOWN.find(rest) {
        let mut tok = TimeTok::at(0, 0);
        tok.unknown = true;
        (tok, c.end())
    } else if let Some(c) = TWELVE.captures(rest) {
        let hour: u32 = c[1].parse().ok()?;
        let minute: u32 = c.get(2).map_or(Some(0), |m| m.as_str().parse().ok())?;
        if hour > 12 || minute > 59 {
            return None;
        }
        let pm = c[3].eq_ignore_ascii_case("p");
        let mut tok = TimeTok::at(0, minute);
        tok.twelve_hour = true;
        tok.hour = match (hour, pm) {
            (12, false) => 0,
            (12 | 0, true) => 12,
            (h, true) => h + 12,
            (h, false) => h,
        };
        if hour == 0 {
            tok.note = Some(format!(
                "\"{}\" read as {:02}:{:02}",
                c[0].trim(),
                tok.hour,
                minute
            ));
        }
        (tok, c[0].len())
    } else if let Some(c) = TWENTY_FOUR.captures(rest) {
        let tok = TimeTok::at(c[1].parse().ok()?, c[2].parse().ok()?);
        (tok, c[0].len())
    } else if let Some(c) = MILITARY
        .captures(rest)
        .filter(|_| military || zone_follows(rest))
    {
        // Not a year or a count: `2024-`, `1400 students`.
        let after = &rest[4..];
        if after.starts_with(['-', '/', '.', ',']) && !after.starts_with(". ") {
            return None;
        }
        let tok = TimeTok::at(c[1].parse().ok()?, c[2].parse().ok()?);
        (tok, 4)
    } else if let Some(c) = WORDS.captures(rest) {
        let word = c[1].to_ascii_lowercase();
        let mut tok = if word == "midnight" {
            TimeTok::at(0, 0)
        } else {
            TimeTok::at(12, 0)
        };
        tok.note = Some(format!("\"{}\" read as {}", &c[1], tok.clock()));
        (tok, c[0].len())
    } else {
        return None;
    };
    used += len;
    // A digit or letter right after is not a time ("10:30am-ish" is, "12345" not).
    if text[used..].starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    if let Some((zone, zlen)) = zone_after(&text[used..]) {
        tok.zone = Some(zone);
        used += zlen;
    }
    tok.approx = approx;
    Some((tok, used))
}

/// The first `max` bytes of `text`, cut at a character boundary.
fn head(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn zone_follows(text: &str) -> bool {
    zone_after(&text[4..]).is_some()
}

/// A zone written right after a time: ` UTC`, ` (WAT)`, ` GMT+03:00`, ` PST/PDT`.
pub fn zone_after(text: &str) -> Option<(String, usize)> {
    let c = ZONE_AFTER.captures(text)?;
    let word = &c[1];
    if !text.starts_with([' ', '(']) && !text.starts_with(char::is_whitespace) {
        return None;
    }
    let known = word.split('/').all(|part| ZONE_WORDS.contains(&part))
        || word.parse::<Tz>().is_ok()
        || offset(word).is_some();
    if !known {
        return None;
    }
    // An opening parenthesis must close: `(WAT)`; a closing one alone is not ours.
    let opened = c[0].trim_start().starts_with('(');
    let closed = c[0].ends_with(')');
    if opened && !closed {
        return None;
    }
    let len = if closed && !opened {
        c[0].len() - 1
    } else {
        c[0].len()
    };
    let written = match offset(word) {
        Some(minutes) if !word.eq_ignore_ascii_case("UTC") && !word.eq_ignore_ascii_case("GMT") => {
            format_offset(minutes)
        }
        _ => word.to_owned(),
    };
    Some((written, len))
}

static OFFSET: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(?i:UTC|GMT)\s?([+\-−])\s?(\d{1,2})(?::?(\d{2}))?$"));

/// Minutes east of UTC for `GMT+1`, `UTC+0`, `GMT+03:00`, `UTC-05`.
pub fn offset(text: &str) -> Option<i32> {
    let c = OFFSET.captures(text.trim())?;
    let hours: i32 = c[2].parse().ok()?;
    let minutes: i32 = c.get(3).map_or(Some(0), |m| m.as_str().parse().ok())?;
    if hours > 14 || minutes > 59 {
        return None;
    }
    let sign = if &c[1] == "+" { 1 } else { -1 };
    Some(sign * (hours * 60 + minutes))
}

/// `+03:00`, `-05:00`.
pub fn format_offset(minutes: i32) -> String {
    let sign = if minutes < 0 { '-' } else { '+' };
    format!("{sign}{:02}:{:02}", minutes.abs() / 60, minutes.abs() % 60)
}

/// Every time in a prose text, left to right. Four-digit times count only
/// with a zone after them (`1425 UTC`), so years and counts are not times.
pub fn find_times(text: &str) -> Vec<Found<TimeTok>> {
    let mut found = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let boundary = at == 0
            || !text[..at].chars().next_back().is_some_and(|c| {
                c.is_alphanumeric() || c == ':' || c == '/' || c == '-' || c == '.' || c == ','
            });
        let rest = &text[at..];
        if boundary && let Some((tok, len)) = time_at(rest, false) {
            // "about 3 hours" is no time; an approximation word needs digits after it.
            if len > 0 {
                found.push(Found {
                    start: at,
                    end: at + len,
                    value: tok,
                });
                at += len;
                continue;
            }
        }
        at += rest.chars().next().map_or(1, char::len_utf8);
    }
    found
}

// ---------------------------------------------------------------- dates

/// A date as written. `year` is `None` when the text gave none (`Feb. 3`),
/// `day` is `None` for a month-only mention (not produced yet).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateTok {
    pub year: Option<i32>,
    pub month: u32,
    pub day: u32,
    /// `04/05/2024`: both readings are dates; `month`/`day` hold the
    /// DD/MM one and this flag says the order was not settled by the text.
    pub slashed: Option<(u32, u32)>,
    /// How the year was read when not literal ("94" as 1994).
    pub note: Option<String>,
}

impl DateTok {
    /// The calendar date, once a year is known.
    pub fn date(&self, year: i32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year.unwrap_or(year), self.month, self.day)
    }
}

const MONTHS: &str = "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";

/// The month a name or its abbreviation stands for.
pub fn month(name: &str) -> Option<u32> {
    crate::time::month_from_name(name)
}

// `2024-03-12`, also `2024-03-12T09:03` (the `T` is taken with the date).
static ISO: LazyLock<Regex> = LazyLock::new(|| re(r"\b(\d{4})-(\d{2})-(\d{2})(?:\b|T)"));
static ISO_MON: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"(?i)\b(\d{{4}})-({MONTHS})-(\d{{1,2}})\b")));
static MONTH_DAY: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\b({MONTHS})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}})\b)?"
    ))
});
static DAY_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({MONTHS})\b\.?(?:,?\s+(\d{{4}})\b)?"
    ))
});
static YEAR_MONTH_DAY: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"(?i)\b(\d{{4}})\s+({MONTHS})\.?\s+(\d{{1,2}})\b")));
static COMPACT: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"(?i)\b(\d{{1,2}})({MONTHS})(\d{{2}}|\d{{4}})\b")));
static SLASHED: LazyLock<Regex> = LazyLock::new(|| re(r"\b(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})\b"));
static DOTTED: LazyLock<Regex> = LazyLock::new(|| re(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b"));
static YMD_SLASHED: LazyLock<Regex> = LazyLock::new(|| re(r"\b(\d{4})/(\d{1,2})/(\d{1,2})\b"));
static ORDINAL: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\bthe\s+(\d{1,2})(?:st|nd|rd|th)\b"));

fn year_of(text: &str) -> Option<(i32, Option<String>)> {
    let year: i32 = text.parse().ok()?;
    if text.len() == 2 {
        let full = if year >= 50 { 1900 + year } else { 2000 + year };
        return Some((full, Some(format!("year {text} read as {full}"))));
    }
    Some((year, None))
}

/// Every date in a text, left to right: ISO `2024-03-12`, `2025-Feb-07`,
/// `Month D, YYYY`, `Mon D, YYYY`, `Feb. 3`, `January 14 2020`,
/// `3rd June 2023`, `March 31st`, `2018 October 21`, `15Sep94`, and
/// `DD/MM/YYYY` or `MM/DD/YYYY` (see `DateOrder`). "the 31st" gives a day
/// alone, with month 0.
pub fn find_dates(text: &str) -> Vec<Found<DateTok>> {
    let mut found: Vec<Found<DateTok>> = Vec::new();
    let mut push = |start: usize, end: usize, tok: Option<DateTok>| {
        let Some(tok) = tok else { return };
        if found.iter().any(|f| start < f.end && f.start < end) {
            return;
        }
        found.push(Found {
            start,
            end,
            value: tok,
        });
    };
    let make = |year: Option<(i32, Option<String>)>, month: u32, day: u32| {
        let (year, note) = match year {
            Some((y, note)) => (Some(y), note),
            None => (None, None),
        };
        // The day must exist in some year (February 29 does).
        NaiveDate::from_ymd_opt(year.unwrap_or(2024), month, day)?;
        Some(DateTok {
            year,
            month,
            day,
            slashed: None,
            note,
        })
    };
    for c in ISO.captures_iter(text) {
        let m = c.get(0).map_or(0..0, |m| m.range());
        push(
            m.start,
            m.end,
            make(
                year_of(&c[1]),
                c[2].parse().unwrap_or(0),
                c[3].parse().unwrap_or(0),
            ),
        );
    }
    for c in ISO_MON.captures_iter(text) {
        let m = c.get(0).map_or(0..0, |m| m.range());
        push(
            m.start,
            m.end,
            month(&c[2]).and_then(|mo| make(year_of(&c[1]), mo, c[3].parse().unwrap_or(0))),
        );
    }
    for c in YEAR_MONTH_DAY.captures_iter(text) {
        let m = c.get(0).map_or(0..0, |m| m.range());
        push(
            m.start,
            m.end,
            month(&c[2]).and_then(|mo| make(year_of(&c[1]), mo, c[3].parse().unwrap_or(0))),
        );
    }
    for c in COMPACT.captures_iter(text) {
        let m = c.get(0).map_or(0..0, |m| m.range());
        push(
            m.start,
            m.end,
            month(&c[2]).and_then(|mo| make(year_of(&c[3]), mo, c[1].parse().unwrap_or(0))),
        );
    }
    for c in MONTH_DAY.captures_iter(text) {
        let m = c.get(0).map_or(0..0, |m| m.range());
        // "may 3" in "it may 3 times" is rare; a lower-case "may" is a verb.
        if &c[1] == "may" {
            continue;
        }
        let year = c.get(3).and_then(|y| year_of(y.as_str()));
        push(
            m.start,
            m.end,
            month(&c[1]).and_then(|mo| make(year, mo, c[2].parse().unwrap_or(0))),
        );
    }
    for c in DAY_MONTH.captures_iter(text) {
        let m = c.get(0).map_or(0..0, |m| m.range());
        if &c[2] == "may" {
            continue;
        }
        let year = c.get(3).and_then(|y| year_of(y.as_str()));
        push(
            m.start,
            m.end,
            month(&c[2]).and_then(|mo| make(year, mo, c[1].parse().unwrap_or(0))),
        );
    }
    // `2023/06/13` is year first, `13.06.2023` day first (the European dotted form).
    for c in YMD_SLASHED.captures_iter(text) {
        let m = c.get(0).map_or(0..0, |m| m.range());
        push(
            m.start,
            m.end,
            make(
                year_of(&c[1]),
                c[2].parse().unwrap_or(0),
                c[3].parse().unwrap_or(0),
            ),
        );
    }
    for c in DOTTED.captures_iter(text) {
        let m = c.get(0).map_or(0..0, |m| m.range());
        push(
            m.start,
            m.end,
            make(
                year_of(&c[3]),
                c[2].parse().unwrap_or(0),
                c[1].parse().unwrap_or(0),
            ),
        );
    }
    for c in SLASHED.captures_iter(text) {
        let m = c.get(0).map_or(0..0, |m| m.range());
        let a: u32 = c[1].parse().unwrap_or(0);
        let b: u32 = c[2].parse().unwrap_or(0);
        let year = year_of(&c[3]);
        let tok = make(year.clone(), b, a)
            .or_else(|| make(year, a, b))
            .map(|mut tok| {
                tok.slashed = Some((a, b));
                tok
            });
        push(m.start, m.end, tok);
    }
    for c in ORDINAL.captures_iter(text) {
        let m = c.get(0).map_or(0..0, |m| m.range());
        let day: u32 = c[1].parse().unwrap_or(0);
        if (1..=31).contains(&day) {
            push(
                m.start,
                m.end,
                Some(DateTok {
                    year: None,
                    month: 0,
                    day,
                    slashed: None,
                    note: None,
                }),
            );
        }
    }
    found.sort_by_key(|f| f.start);
    found
}

/// Which way `04/05/2024` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateOrder {
    /// Day first: 4 May.
    Dmy,
    /// Month first: April 5.
    Mdy,
}

/// What the document itself says about the order of its slashed dates: a
/// part over 12 settles it. Returns the order and the date that settled it.
pub fn settled_order(dates: &[(u32, u32)]) -> Option<(DateOrder, (u32, u32))> {
    for &(a, b) in dates {
        if a > 12 && b <= 12 {
            return Some((DateOrder::Dmy, (a, b)));
        }
        if b > 12 && a <= 12 {
            return Some((DateOrder::Mdy, (a, b)));
        }
    }
    None
}

/// A slashed date read in the given order.
pub fn slashed_date(a: u32, b: u32, year: i32, order: DateOrder) -> Option<NaiveDate> {
    match order {
        DateOrder::Dmy => NaiveDate::from_ymd_opt(year, b, a),
        DateOrder::Mdy => NaiveDate::from_ymd_opt(year, a, b),
    }
}

// ---------------------------------------------------------------- zones

/// A zone a document names, and the IANA zone it is read as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZoneTok {
    /// As written: "Pacific time", "CET", "GMT+1", "PST/PDT".
    pub written: String,
    /// The IANA zone, when the words name one. An offset alone names none.
    pub zone: Option<Tz>,
    /// Minutes east of UTC, for an offset.
    pub offset: Option<i32>,
    /// The words do not name one zone: "CET" is Paris as much as Berlin.
    pub generic: bool,
}

/// Spelled-out zone names, abbreviations and generic labels, with the zone
/// each is read as, and whether another zone would read the same.
const ZONE_NAMES: &[(&str, &str, bool)] = &[
    ("pacific time", "America/Los_Angeles", false),
    ("pacific standard time", "America/Los_Angeles", false),
    ("pacific daylight time", "America/Los_Angeles", false),
    ("eastern standard time", "America/New_York", false),
    ("eastern daylight time", "America/New_York", false),
    ("central standard time", "America/Chicago", false),
    ("central daylight time", "America/Chicago", false),
    ("mountain standard time", "America/Denver", false),
    ("mountain daylight time", "America/Denver", false),
    ("coordinated universal time", "UTC", false),
    ("eastern european time", "Europe/Athens", true),
    ("singapore time", "Asia/Singapore", false),
    ("pacific", "America/Los_Angeles", false),
    ("pst/pdt", "America/Los_Angeles", false),
    ("pdt/pst", "America/Los_Angeles", false),
    ("eastern time", "America/New_York", false),
    ("est/edt", "America/New_York", false),
    ("central time", "America/Chicago", false),
    ("cst/cdt", "America/Chicago", false),
    ("mountain time", "America/Denver", false),
    ("mst/mdt", "America/Denver", false),
    ("west africa time", "Africa/Lagos", true),
    ("west african time", "Africa/Lagos", true),
    ("east africa time", "Africa/Nairobi", true),
    ("east african time", "Africa/Nairobi", true),
    ("central africa time", "Africa/Maputo", true),
    ("south african standard time", "Africa/Johannesburg", false),
    ("south africa standard time", "Africa/Johannesburg", false),
    ("central european time", "Europe/Berlin", true),
    ("central european summer time", "Europe/Berlin", true),
    ("british summer time", "Europe/London", false),
    ("india standard time", "Asia/Kolkata", false),
    ("japan standard time", "Asia/Tokyo", false),
    ("utc", "UTC", false),
    ("z", "UTC", false),
    ("pst", "America/Los_Angeles", false),
    ("pdt", "America/Los_Angeles", false),
    ("pt", "America/Los_Angeles", false),
    ("est", "America/New_York", false),
    ("edt", "America/New_York", false),
    ("et", "America/New_York", false),
    ("cst", "America/Chicago", true),
    ("cdt", "America/Chicago", false),
    ("ct", "America/Chicago", false),
    ("mst", "America/Denver", false),
    ("mdt", "America/Denver", false),
    ("mt", "America/Denver", false),
    ("cet", "Europe/Berlin", true),
    ("cest", "Europe/Berlin", true),
    ("wet", "Europe/Lisbon", true),
    ("west", "Europe/Lisbon", true),
    ("eet", "Europe/Athens", true),
    ("eest", "Europe/Athens", true),
    ("wat", "Africa/Lagos", true),
    ("eat", "Africa/Nairobi", true),
    ("cat", "Africa/Maputo", true),
    ("sast", "Africa/Johannesburg", false),
    ("bst", "Europe/London", false),
    ("ist", "Asia/Kolkata", true),
    ("jst", "Asia/Tokyo", false),
    ("kst", "Asia/Seoul", false),
    ("sgt", "Asia/Singapore", false),
    ("hkt", "Asia/Hong_Kong", false),
    ("aest", "Australia/Sydney", true),
    ("aedt", "Australia/Sydney", true),
    ("nzst", "Pacific/Auckland", false),
    ("nzdt", "Pacific/Auckland", false),
    ("msk", "Europe/Moscow", false),
    ("akst", "America/Anchorage", false),
    ("akdt", "America/Anchorage", false),
    ("hst", "Pacific/Honolulu", false),
];

static ZONE_IN_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    let mut names: Vec<&str> = ZONE_NAMES.iter().map(|(name, _, _)| *name).collect();
    names.sort_by_key(|name| std::cmp::Reverse(name.len()));
    let names = names
        .iter()
        .map(|name| regex::escape(name))
        .collect::<Vec<_>>()
        .join("|");
    re(&format!(
        r"(?i)(?:\b|\()((?:utc|gmt)\s?[+\-−]\s?\d{{1,2}}(?::?\d{{2}})?|[A-Z][a-z]+/[A-Z][A-Za-z_]+|{names}|gmt)(?:\b|\))"
    ))
});

/// Reads one zone phrase: "Pacific time", "CET", `GMT+1`, `UTC+0`,
/// `GMT+03:00`, `PST/PDT`, `Europe/Amsterdam`.
pub fn zone_phrase(text: &str) -> Option<ZoneTok> {
    let text = text.trim().trim_matches(|c| c == '(' || c == ')');
    if let Some(minutes) = offset(text) {
        return Some(ZoneTok {
            written: text.to_owned(),
            zone: (minutes == 0).then_some(chrono_tz::UTC),
            offset: Some(minutes),
            generic: minutes != 0,
        });
    }
    if text.contains('/')
        && let Ok(tz) = text.parse::<Tz>()
    {
        return Some(ZoneTok {
            written: text.to_owned(),
            zone: Some(tz),
            offset: None,
            generic: false,
        });
    }
    let lower = text.to_lowercase();
    if lower == "gmt" {
        // GMT is the UK's winter time and Ghana's all year; the caller decides.
        return Some(ZoneTok {
            written: text.to_owned(),
            zone: None,
            offset: Some(0),
            generic: true,
        });
    }
    let (_, zone, generic) = ZONE_NAMES.iter().find(|(name, _, _)| *name == lower)?;
    // Abbreviations are written in capitals: "et" or "cat" in prose are words.
    if lower.len() <= 5 && !lower.contains(' ') && text != text.to_uppercase() && lower != "pacific"
    {
        return None;
    }
    Some(ZoneTok {
        written: text.to_owned(),
        zone: zone.parse().ok(),
        offset: None,
        generic: *generic,
    })
}

/// Every zone phrase in a text, left to right.
pub fn find_zones(text: &str) -> Vec<Found<ZoneTok>> {
    ZONE_IN_TEXT
        .captures_iter(text)
        .filter_map(|c| {
            let m = c.get(1)?;
            // "Pacific" as a word after "South" or in "Pacific Ocean" is no zone;
            // keep it simple: a zone phrase is what `zone_phrase` accepts.
            let tok = zone_phrase(m.as_str())?;
            Some(Found {
                start: m.start(),
                end: m.end(),
                value: tok,
            })
        })
        .collect()
}

/// A line that only declares the zone: "All times UTC.", "Times in CET.",
/// "All times are in UTC-05 (Bogotá).", "(all times UTC)".
pub fn zone_declaration(line: &str) -> Option<ZoneTok> {
    let lower = line.to_lowercase();
    let declares = lower.contains("times")
        || lower.contains("time zone")
        || lower.contains("timezone")
        || lower.starts_with("zone");
    if !declares || line.split_whitespace().count() > 14 {
        return None;
    }
    find_zones(line).into_iter().next().map(|f| f.value)
}

/// The IANA zone for an offset, from a city the document names: `GMT+1`
/// with "Lagos" is Africa/Lagos. Accents are ignored ("Bogotá").
pub fn zone_for_offset(minutes: i32, text: &str, on: NaiveDate) -> Option<Tz> {
    use chrono::{Offset, TimeZone};
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .map(strip_accents)
        .collect();
    let noon = on.and_hms_opt(12, 0, 0)?;
    // Of the names for one city, the last: backward links such as
    // `Asia/Istanbul` sort before the zone itself, `Europe/Istanbul`.
    chrono_tz::TZ_VARIANTS.iter().copied().rfind(|tz| {
        let name = tz.name();
        let Some((region, city)) = name.rsplit_once('/') else {
            return false;
        };
        if region.starts_with("Etc") || region.contains("US") {
            return false;
        }
        words.iter().any(|w| w == city)
            && tz.offset_from_utc_datetime(&noon).fix().local_minus_utc() == minutes * 60
    })
}

fn strip_accents(word: &str) -> String {
    word.chars()
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            other => other,
        })
        .collect()
}

// ---------------------------------------------------------------- kinds

/// The SRE markers `<START OF OUTAGE>` and `<END OF OUTAGE>` (also escaped,
/// `&lt;…&gt;`, which the Markdown parser decodes).
pub fn outage_marker(text: &str) -> Option<&'static str> {
    let upper = text.to_uppercase();
    if upper.contains("START OF OUTAGE") {
        Some("impact-start")
    } else if upper.contains("END OF OUTAGE") {
        Some("impact-end")
    } else {
        None
    }
}

/// A label in front of an entry that names its kind: "Issue Detected:",
/// "Escalation:", "Misdirection:".
pub fn kind_label(label: &str) -> Option<&'static str> {
    let lower = label.trim().trim_end_matches(':').to_lowercase();
    let kind = match lower.as_str() {
        "issue detected" | "detected" | "detection" | "alert" => "detected",
        "escalation" | "escalated" => "escalated",
        "misdirection" | "red herring" => "misleading",
        "trigger" | "root cause" => "trigger",
        "mitigation" | "mitigated" => "mitigated",
        "resolution" | "resolved" | "recovery" => "resolved",
        "update" | "status update" | "status page" => "communication",
        _ => return None,
    };
    Some(kind)
}

/// Words that say someone or something noticed the problem.
pub const DETECTION_WORDS: &[&str] = &[
    "alert",
    "alarm",
    "paged",
    "pages ",
    "noticed",
    "notices",
    "complain",
    "complaint",
    "reports ",
    "reported",
    "report \"",
    "raised a ticket",
    "support ticket",
    "customer chat",
    "flags ",
    "abend",
    "portal shows",
    "monitoring",
    "detected",
    "discovered",
    "pagerduty",
];

/// Of the detection words, those that always mean detection, even after
/// something else was detected first (a second alert is still an alert).
pub const ALERT_WORDS: &[&str] = &["alert", "alarm", "monitoring"];

pub const ESCALATION_WORDS: &[&str] = &[
    "escalat",
    "paged the",
    "calls the",
    "called ",
    "calls in",
    "engaged the",
    "brought in",
];

pub const MISLEADING_WORDS: &[&str] = &[
    "assumed",
    "assuming",
    "we thought",
    "thought it was",
    "did not help",
    "didn't help",
    "no change",
    "crashed again",
    "fails again",
    "failed again",
    "showed nothing",
    "red herring",
    "mistakenly",
    "wrongly",
    "initially",
];

pub const MITIGATION_WORDS: &[&str] = &[
    "rerun",
    "re-ran",
    "rolled back",
    "rolls back",
    "rolling back",
    "reverted",
    "promotion of",
    "promoted",
    "patch deployed",
    "fix deployed",
    "hotfix",
    "processing again",
    "came back",
    "pointed back",
    "restored",
    "restart from",
    "resumes",
    "drains",
    "switched to",
    "failed over",
    "paused",
    "moves ",
    "raised from",
    "widened",
    "recovering",
    "recovers",
    "stops both",
    "disabled",
    "scaled up",
    "back online",
    "added the",
    "deployed a fix",
    "applied a fix",
    "fix applied",
    "fix was deployed",
    "workaround",
    "rollback complete",
    "mitigated",
    "restarted",
    "initiated failover",
    "shifted traffic",
    "traffic shifted",
];

/// Words that say the entry is an update to customers or the public.
pub const COMMUNICATION_WORDS: &[&str] = &[
    "status page",
    "statuspage",
    "posted an update",
    "public update",
    "customers were notified",
    "tweeted",
];

pub const IMPACT_START_WORDS: &[&str] = &[
    "starts returning",
    "started returning",
    "rises",
    "starts growing",
    "stops accepting",
    "started failing",
    "starts failing",
    "process killed",
    "ran out of memory",
    "expired",
    "went down",
    "outage began",
    "outage begins",
    "errors began",
    "began failing",
    "began returning",
    "error rate increased",
    "latency increased",
    "started to fail",
    "became unavailable",
    "went offline",
    "stopped responding",
    "stopped working",
];

pub const TRIGGER_WORDS: &[&str] = &[
    "deploy",
    "rolled out",
    "rolls out",
    "rollout",
    "publish",
    "released",
    "push",
    "cron",
    "job ran",
    "ran against",
    "swapped",
    "update was",
    "migration",
    "config change",
    "sent an order",
    "removed",
];

/// Where the detection came from, for `how:` on a detected entry.
pub fn detection_source(text: &str) -> &'static str {
    let lower = text.to_lowercase();
    if [
        "alert",
        "alarm",
        "monitor",
        "watchdog",
        "abend",
        "probe",
        "dashboard",
    ]
    .iter()
    .any(|w| lower.contains(w))
    {
        "monitoring"
    } else if [
        "customer", "support", "complain", "ticket", "chat", "user", "review", "shows",
    ]
    .iter()
    .any(|w| lower.contains(w))
    {
        "customer"
    } else {
        "engineer"
    }
}

/// The word of `text` that contains `stem` ("escalat" in "Support
/// escalated" is "escalated"), to quote it in a guess.
pub fn whole_word(text: &str, stem: &str) -> String {
    let lower = text.to_lowercase();
    let stem = stem.trim().trim_matches('"').trim();
    // Lower-casing can change byte offsets; quote the stem then.
    if lower.len() != text.len() {
        return stem.to_owned();
    }
    let Some(at) = lower.find(stem) else {
        return stem.to_owned();
    };
    let is_word = |c: char| c.is_alphanumeric() || c == '-' || c == '\'';
    let start = text[..at]
        .char_indices()
        .rev()
        .find(|(_, c)| !is_word(*c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = text[at + stem.len()..]
        .char_indices()
        .find(|(_, c)| !is_word(*c))
        .map_or(text.len(), |(i, _)| at + stem.len() + i);
    text[start.min(at)..end.max(at + stem.len())].to_owned()
}

/// The first of `words` that `text` contains, case-insensitively.
pub fn first_word<'a>(text: &str, words: &[&'a str]) -> Option<&'a str> {
    let lower = text.to_lowercase();
    words.iter().copied().find(|w| lower.contains(w))
}

// ---------------------------------------------------------------- entry lines

/// What may sit between an entry's time and its text: `TIME: text`,
/// `TIME - text`, `TIME — text`, `TIME | text`, `TIME text`.
pub const SEPARATORS: &[&str] = &[": ", " - ", " – ", " — ", " | ", "- ", "– ", "— ", ":", " "];

/// Between the two times of a range: `8:30 AM EAT - 8:50 AM EAT`.
pub const RANGE_DASHES: &[&str] = &[" - ", " – ", " — ", "-", "–", " to "];

/// Between the two times of a range in prose: "from 07:10 to 08:30",
/// "between 13:05 and 13:40".
pub const RANGE_WORDS: &[&str] = &["to", "-", "–", "—", "and", "until", "till"];

/// Between a date and its time: `January 4th, 2023 at 2:03pm`, `2023-01-04 @ 14:03`.
pub const DATE_TIME_JOINS: &[&str] = &["at ", "@ ", "- ", "– "];

/// Before a time at the start of an entry whose sentence is kept whole:
/// "At 14:03 UTC, the deploy began."
pub const ENTRY_LEADS: &[&str] = &["At ", "By "];

/// Status-update blocks: `**Update: 18:52**`.
pub const UPDATE_LABELS: &[&str] = &["Update:", "Update -", "Update", "UPDATE:"];

/// Words before a time that make it part of the sentence, not a new entry
/// ("retried at 10:30 AM" is one entry; "requested 11:05 AM approved" two).
pub const PREPOSITIONS: &[&str] = &[
    "at", "by", "until", "till", "before", "after", "from", "to", "since", "around", "about",
    "between", "and", "or", "of", "than", "past",
];

// ---------------------------------------------------------------- summary keys

/// What a `Key: value` line of a summary fills.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    Service,
    Start,
    End,
    Date,
    /// A time or a range: `Time: 10:00 GMT to 13:30 GMT`.
    Time,
    /// A duration, or a range (`Duration: 9:03 AM to 10:41 AM PST`).
    Duration,
    Impact,
    Affected,
    Cause,
    Severity,
    Zone,
    /// "Prepared by: R. OKONKWO, OPERATIONS": an author and more.
    Byline,
    Authors,
    /// A person with a role: "Incident lead: Elif Aksoy".
    Person,
    /// A link: "Ticket: [INFRA-8812](https://...)", "Dashboard: https://...".
    Link,
}

/// The key of a summary line, by its name ("Date/time", "Incident commander").
pub fn summary_key(name: &str) -> Option<Key> {
    let lower = name.trim().trim_matches('*').trim().to_lowercase();
    Some(match lower.as_str() {
        "service" | "services" | "system" | "component" => Key::Service,
        "start" | "started" | "start time" | "began" | "impact start" => Key::Start,
        "end" | "ended" | "end time" | "resolved" | "impact end" => Key::End,
        "date" | "date/time" | "when" | "incident date" | "day" => Key::Date,
        "time" | "times" | "window" => Key::Time,
        "duration" => Key::Duration,
        "impact" | "description" | "what happened" => Key::Impact,
        "affected" | "users affected" | "customers affected" | "scope" => Key::Affected,
        "cause" | "root cause" | "trigger" => Key::Cause,
        "severity" | "sev" | "priority" => Key::Severity,
        "time zone" | "timezone" | "zone" => Key::Zone,
        "written by" | "prepared by" => Key::Byline,
        "authors" | "author" => Key::Authors,
        "owner" | "incident lead" | "lead" | "incident commander" | "commander" | "ic"
        | "incident manager" | "on-call" => Key::Person,
        "ticket" | "dashboard" | "link" | "links" | "status page" | "url" | "issue" | "bug" => {
            Key::Link
        }
        _ => return None,
    })
}

/// A column of an action-item table, by its header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Owner,
    Ticket,
    Kind,
    Due,
    Status,
}

pub fn task_column(header: &str) -> Option<Column> {
    Some(match header.trim().to_lowercase().as_str() {
        "owner" | "assignee" | "who" => Column::Owner,
        "bug" | "ticket" | "issue" | "jira" => Column::Ticket,
        "type" | "kind" => Column::Kind,
        "due" | "due date" => Column::Due,
        "status" => Column::Status,
        _ => return None,
    })
}

/// Words at the start of a byline paragraph, which is not the impact.
pub const BYLINE_WORDS: &[&str] = &["written", "prepared", "author", "by ", "status", "date"];

/// How to read a bare "GMT": the UK's winter time or Ghana's all year, by
/// what the document mentions; else UTC.
pub fn gmt_reading(text: &str) -> (Tz, &'static str) {
    let uk = ["£", " UK", "United Kingdom", "London", "British", "England"]
        .iter()
        .any(|w| text.contains(w));
    let ghana = ["Ghana", "Accra"].iter().any(|w| text.contains(w));
    if uk {
        (
            chrono_tz::Europe::London,
            "GMT read as Europe/London (the document is about the UK)",
        )
    } else if ghana {
        (
            chrono_tz::Africa::Accra,
            "GMT read as Africa/Accra (the document is about Ghana)",
        )
    } else {
        (
            chrono_tz::UTC,
            "GMT read as UTC (pass --timezone Europe/London for UK time)",
        )
    }
}

// ---------------------------------------------------------------- sections

/// What a section holds, from its heading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SectionKind {
    Summary,
    Timeline,
    Impact,
    RootCause,
    RootCauseAndResolution,
    Resolution,
    Factors,
    /// Measures and tasks under one heading, split by sub-labels.
    Corrective,
    Measures,
    Tasks,
    Lessons,
    WentWell,
    WentWrong,
    Lucky,
    /// Prose about what happened: a timeline when it gives times.
    Narrative,
    /// Anything else: kept in `notes` under its heading.
    Other,
}

/// The section a heading names: "Issue Summary", "Issues summary:",
/// "What happened?", "Schedule or Timeline", "Follow-up", "Looking Forward",
/// "Mitigations", "Root Cause and Resolution", ...
pub fn section_kind(heading: &str) -> SectionKind {
    use SectionKind as K;
    let lower = heading
        .trim()
        .trim_start_matches('#')
        .trim()
        .trim_end_matches([':', '?', '.'])
        .to_lowercase();
    // "Timeline (all times UTC)": the words before the parenthesis.
    let lower = lower.split(" (").next().unwrap_or("").trim().to_owned();
    let has = |w: &str| lower.contains(w);
    if (has("root cause") || has("cause")) && (has("resolution") || has("fix")) {
        return K::RootCauseAndResolution;
    }
    if has("corrective") || has("preventative") || has("preventive") && has("measures") {
        return K::Corrective;
    }
    if has("contributing") || lower == "root causes" || has("causes") {
        return K::Factors;
    }
    match lower.as_str() {
        "summary" | "issue summary" | "issues summary" | "incident summary" | "overview"
        | "executive summary" | "tl;dr" | "tldr" => return K::Summary,
        "timeline"
        | "schedule"
        | "schedule or timeline"
        | "sequence"
        | "sequence of events"
        | "chronology"
        | "timeline of events"
        | "events" => return K::Timeline,
        "impact" | "customer impact" | "user impact" => return K::Impact,
        "root cause"
        | "cause"
        | "why"
        | "why it happened"
        | "what caused it"
        | "root cause analysis" => return K::RootCause,
        "resolution" | "how we fixed it" | "recovery" | "mitigation" | "mitigations" | "fix" => {
            return K::Resolution;
        }
        "measures"
        | "looking forward"
        | "what we are changing"
        | "prevention"
        | "improvements"
        | "preventive"
        | "lessons and measures" => return K::Measures,
        "tasks" | "task list" | "action items" | "action" | "actions" | "follow-up"
        | "follow up" | "followup" | "follow-ups" | "todo" | "to do" | "next steps"
        | "things to do" => return K::Tasks,
        "lessons learned" | "lessons" => return K::Lessons,
        "what went well" | "went well" => return K::WentWell,
        "what went wrong" | "went wrong" => return K::WentWrong,
        "where we got lucky" | "got lucky" | "lucky" => return K::Lucky,
        "what happened" | "description" | "details" => return K::Narrative,
        _ => {}
    }
    if has("timeline") || has("schedule") {
        return K::Timeline;
    }
    if has("summary") {
        return K::Summary;
    }
    K::Other
}

/// A sub-label inside a section that routes what follows: "Root Cause:",
/// "Resolution:", "Action Items:", "Task List:", "Measures:", "Improvements:".
pub fn sub_label(label: &str) -> Option<SectionKind> {
    use SectionKind as K;
    let lower = label.trim().trim_end_matches(':').to_lowercase();
    Some(match lower.as_str() {
        "root cause" | "cause" => K::RootCause,
        "resolution" | "fix" | "mitigation" => K::Resolution,
        "action items" | "tasks" | "task list" | "things to do" | "todo" | "follow-up"
        | "follow-ups" => K::Tasks,
        "measures" | "improvements" | "preventive" | "preventative" | "corrective" => K::Measures,
        _ => return None,
    })
}

/// A ticket key in a text: `INFRA-8815`, `SRCH-77`.
pub fn ticket(text: &str) -> Option<Found<String>> {
    static TICKET: LazyLock<Regex> = LazyLock::new(|| re(r"\b([A-Z][A-Z0-9]{1,9}-\d{2,})\b"));
    let m = TICKET.find(text)?;
    Some(Found {
        start: m.start(),
        end: m.end(),
        value: m.as_str().to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> (String, Option<String>, bool) {
        let (tok, _) = time_at(text, true).unwrap_or_else(|| panic!("no time in {text:?}"));
        (tok.clock(), tok.zone, tok.approx)
    }

    #[test]
    fn twelve_hour_forms() {
        assert_eq!(t("9:03 AM: x").0, "09:03");
        assert_eq!(t("8:20 am - x").0, "08:20");
        assert_eq!(t("5pm - x").0, "17:00");
        assert_eq!(t("11:50 PM x").0, "23:50");
        assert_eq!(t("12:30 PM").0, "12:30");
        assert_eq!(t("12:10 AM").0, "00:10");
        let (tok, _) = time_at("00:25 AM: x", true).expect("time");
        assert_eq!(tok.clock(), "00:25");
        assert!(tok.note.is_some_and(|n| n.contains("00:25 AM")));
    }

    #[test]
    fn twenty_four_hour_forms() {
        assert_eq!(t("14:05: x"), ("14:05".into(), None, false));
        assert_eq!(t("08:10"), ("08:10".into(), None, false));
        assert!(time_at("24:10", true).is_none());
    }

    #[test]
    fn four_digit_forms() {
        assert_eq!(t("0233 STEP 6 ABEND").0, "02:33");
        assert_eq!(
            t("1506 UTC Tomasz"),
            ("15:06".into(), Some("UTC".into()), false)
        );
        assert!(time_at("2024-03-12", true).is_none(), "a date, not a time");
        assert!(
            time_at("1400 students", false).is_none(),
            "no zone: a count"
        );
        assert_eq!(find_times("at 1425 UTC.")[0].value.clock(), "14:25");
    }

    #[test]
    fn words_for_times() {
        let (tok, _) = time_at("Midnight - Patch deployed", true).expect("time");
        assert_eq!(tok.clock(), "00:00");
        assert!(tok.note.is_some());
        assert_eq!(t("noon").0, "12:00");
    }

    #[test]
    fn approximate_and_unknown_times() {
        assert_eq!(t("~13:00: x"), ("13:00".into(), None, true));
        assert_eq!(
            t("± 17:20 UTC: x"),
            ("17:20".into(), Some("UTC".into()), true)
        );
        assert_eq!(t("Around 14:20 the"), ("14:20".into(), None, true));
        let (tok, len) = time_at("??:??: x", true).expect("unknown");
        assert!(tok.unknown);
        assert_eq!(len, 5);
    }

    #[test]
    fn zones_after_times() {
        assert_eq!(t("8:30 AM EAT - x").1.as_deref(), Some("EAT"));
        assert_eq!(t("11:50 PM (WAT)").1.as_deref(), Some("WAT"));
        assert_eq!(t("02:00 GMT+03:00").1.as_deref(), Some("+03:00"));
        assert_eq!(t("10:00 PST/PDT").1.as_deref(), Some("PST/PDT"));
        assert_eq!(t("0233 STEP 6").1, None, "STEP is no zone");
        assert_eq!(t("13:05 CET: x").1.as_deref(), Some("CET"));
        assert_eq!(t("10:00 UTC+0 x").1.as_deref(), Some("+00:00"));
        assert_eq!(t("10:00 UTC-05 x").1.as_deref(), Some("-05:00"));
        let (_, len) = time_at("10:00 UTC) x", true).expect("time");
        assert_eq!(len, 9, "the parenthesis is not the zone's");
        assert_eq!(offset("UTCa5"), None);
    }

    #[test]
    fn times_in_prose() {
        let found = find_times("At 2:10 PM ET the job ran; at 2:24 PM ET the alert fired.");
        let clocks: Vec<_> = found.iter().map(|f| f.value.clock()).collect();
        assert_eq!(clocks, ["14:10", "14:24"]);
        assert_eq!(found[0].value.zone.as_deref(), Some("ET"));
        assert!(find_times("version 5.4.1 at 2024-03-01 with 3,400 orders").is_empty());
        assert!(find_times("for about 3 hours").is_empty());
        let mid = find_times("the queue grew, and at ± 17:20 the relay failed");
        assert_eq!(mid.len(), 1);
        assert!(mid[0].value.approx, "± in the middle of prose");
        let range = find_times("8:30 AM EAT - 8:50 AM EAT: reboots");
        assert_eq!(range.len(), 2);
    }

    fn d(text: &str) -> (Option<i32>, u32, u32) {
        let found = find_dates(text);
        let tok = &found
            .first()
            .unwrap_or_else(|| panic!("no date in {text:?}"))
            .value;
        (tok.year, tok.month, tok.day)
    }

    #[test]
    fn date_forms() {
        assert_eq!(d("2024-05-21 08:10"), (Some(2024), 5, 21));
        assert_eq!(d("June 14, 2023"), (Some(2023), 6, 14));
        assert_eq!(d("Mar 4, 2024 10:15"), (Some(2024), 3, 4));
        assert_eq!(d("delayed - Feb. 3"), (None, 2, 3));
        assert_eq!(d("January 14 2020"), (Some(2020), 1, 14));
        assert_eq!(d("March 31st, 2023"), (Some(2023), 3, 31));
        assert_eq!(d("on the 31st"), (None, 0, 31));
        assert_eq!(d("3rd June 2023"), (Some(2023), 6, 3));
        assert_eq!(d("Thu, 18 Jul 2024"), (Some(2024), 7, 18));
        assert_eq!(d("2023 November 8"), (Some(2023), 11, 8));
        assert_eq!(d("### 2018 October 21 22:52 UTC"), (Some(2018), 10, 21));
        assert_eq!(d("(2025-Feb-07)"), (Some(2025), 2, 7));
        let found = find_dates("ABEND 15Sep94");
        assert_eq!(found[0].value.year, Some(1994));
        assert!(found[0].value.note.is_some());
        assert!(find_dates("February 30").is_empty(), "no such day");
        assert_eq!(d("2023/06/13 10:00"), (Some(2023), 6, 13));
        assert_eq!(d("am 13.06.2023 um 10:00"), (Some(2023), 6, 13));
        assert!(find_dates("it may 3 times").is_empty());
    }

    #[test]
    fn slashed_dates_and_their_order() {
        let found = find_dates("Date: 04/05/2024");
        assert_eq!(found[0].value.slashed, Some((4, 5)));
        assert_eq!(settled_order(&[(4, 5)]), None, "either reading");
        assert_eq!(
            settled_order(&[(4, 5), (23, 8)]).map(|o| o.0),
            Some(DateOrder::Dmy)
        );
        assert_eq!(settled_order(&[(4, 22)]).map(|o| o.0), Some(DateOrder::Mdy));
        assert_eq!(
            slashed_date(4, 22, 2024, DateOrder::Mdy),
            NaiveDate::from_ymd_opt(2024, 4, 22)
        );
        assert_eq!(
            slashed_date(4, 5, 2024, DateOrder::Dmy),
            NaiveDate::from_ymd_opt(2024, 5, 4)
        );
        assert_eq!(find_dates("22/04/2024")[0].value.slashed, Some((22, 4)));
    }

    fn z(text: &str) -> Option<String> {
        zone_phrase(text)
            .and_then(|z| z.zone)
            .map(|tz| tz.name().to_owned())
    }

    #[test]
    fn zone_phrases() {
        assert_eq!(z("Pacific time").as_deref(), Some("America/Los_Angeles"));
        assert_eq!(z("West Africa Time").as_deref(), Some("Africa/Lagos"));
        assert_eq!(z("West African Time").as_deref(), Some("Africa/Lagos"));
        assert_eq!(
            z("South African Standard Time").as_deref(),
            Some("Africa/Johannesburg")
        );
        assert_eq!(z("PST/PDT").as_deref(), Some("America/Los_Angeles"));
        assert_eq!(
            z("Eastern Standard Time").as_deref(),
            Some("America/New_York")
        );
        assert_eq!(
            find_zones("All times are Pacific Daylight Time (PDT).")[0]
                .value
                .zone,
            Some(chrono_tz::America::Los_Angeles)
        );
        assert!(
            zone_phrase("IST").is_some_and(|z| z.generic),
            "India, Israel or Ireland"
        );
        assert_eq!(z("Europe/Amsterdam").as_deref(), Some("Europe/Amsterdam"));
        assert_eq!(z("ET").as_deref(), Some("America/New_York"));
        assert_eq!(z("et"), None, "a word, not a zone");
        assert_eq!(zone_phrase("GMT+1").and_then(|z| z.offset), Some(60));
        assert_eq!(z("UTC+0").as_deref(), Some("UTC"));
        assert_eq!(zone_phrase("GMT+03:00").and_then(|z| z.offset), Some(180));
        assert_eq!(zone_phrase("UTC-05").and_then(|z| z.offset), Some(-300));
        assert_eq!(zone_phrase("GMT").and_then(|z| z.offset), Some(0));
    }

    #[test]
    fn zone_declarations() {
        let name = |line: &str| zone_declaration(line).map(|z| z.written);
        assert_eq!(name("Timeline (all times UTC)").as_deref(), Some("UTC"));
        assert_eq!(
            name("All times are in UTC-05 (Bogotá).").as_deref(),
            Some("UTC-05")
        );
        assert_eq!(name("Times in CET.").as_deref(), Some("CET"));
        assert_eq!(
            name("All times below are Pacific time.").as_deref(),
            Some("Pacific time")
        );
        assert_eq!(name("All times PST/PDT.").as_deref(), Some("PST/PDT"));
        assert_eq!(name("The deploy finished at noon."), None);
    }

    #[test]
    fn offsets_with_a_city() {
        let on = NaiveDate::from_ymd_opt(2024, 11, 8).expect("date");
        assert_eq!(
            zone_for_offset(60, "Times are GMT+1 (Lagos).", on),
            Some(chrono_tz::Africa::Lagos)
        );
        assert_eq!(
            zone_for_offset(-300, "All times are in UTC-05 (Bogotá).", on),
            Some(chrono_tz::America::Bogota)
        );
        assert_eq!(
            zone_for_offset(180, "Subscription billing (Istanbul region)", on),
            Some(chrono_tz::Europe::Istanbul)
        );
        assert_eq!(
            zone_for_offset(60, "Lagos", on.with_month0(6).unwrap_or(on)),
            Some(chrono_tz::Africa::Lagos)
        );
        assert_eq!(zone_for_offset(120, "Lagos", on), None, "wrong offset");
    }

    use chrono::Datelike as _;

    #[test]
    fn markers_and_labels() {
        assert_eq!(
            outage_marker("rolls out. <START OF OUTAGE>"),
            Some("impact-start")
        );
        assert_eq!(outage_marker("stable. <END OF OUTAGE>"), Some("impact-end"));
        assert_eq!(outage_marker("all fine"), None);
        assert_eq!(kind_label("Issue Detected:"), Some("detected"));
        assert_eq!(kind_label("Escalation:"), Some("escalated"));
        assert_eq!(kind_label("Misdirection:"), Some("misleading"));
    }

    #[test]
    fn kind_hint_words() {
        assert_eq!(
            first_word("Build failure rate alert fires.", DETECTION_WORDS),
            Some("alert")
        );
        assert_eq!(
            first_word(
                "Identity team assumed a clock skew problem",
                MISLEADING_WORDS
            ),
            Some("assumed")
        );
        assert_eq!(
            first_word(
                "We thought it was the database. it did not help",
                MISLEADING_WORDS
            ),
            Some("we thought")
        );
        assert_eq!(
            first_word("Power restored at the DC", MITIGATION_WORDS),
            Some("restored")
        );
        assert_eq!(
            first_word("Service back online", MITIGATION_WORDS),
            Some("back online")
        );
        assert_eq!(first_word("Rollback started.", MITIGATION_WORDS), None);
        assert_eq!(
            first_word("flag-service 3.2.0 deployed.", TRIGGER_WORDS),
            Some("deploy")
        );
        assert_eq!(
            whole_word("Support escalated to ops", "escalat"),
            "escalated"
        );
        assert_eq!(
            whole_word("Deploy rolled back.", "rolled back"),
            "rolled back"
        );
        assert_eq!(
            first_word("A customer reported errors", DETECTION_WORDS),
            Some("reported")
        );
        assert_eq!(
            first_word("Issue detected by a probe", DETECTION_WORDS),
            Some("detected")
        );
        assert_eq!(
            first_word("Deployed a fix to all regions", MITIGATION_WORDS),
            Some("deployed a fix")
        );
        assert_eq!(
            first_word("Status page updated", COMMUNICATION_WORDS),
            Some("status page")
        );
        assert_eq!(detection_source("Error rate alert fired."), "monitoring");
        assert_eq!(detection_source("First customer chat"), "customer");
        assert_eq!(
            detection_source("Tunde noticed the site was down"),
            "engineer"
        );
    }

    #[test]
    fn section_names() {
        use SectionKind as K;
        for (heading, kind) in [
            ("Issue Summary", K::Summary),
            ("Issues summary:", K::Summary),
            ("What happened?", K::Narrative),
            ("Schedule or Timeline", K::Timeline),
            ("Timeline (all times UTC)", K::Timeline),
            ("Sequence of events", K::Timeline),
            ("Follow-up", K::Tasks),
            ("Looking Forward", K::Measures),
            ("Mitigations", K::Resolution),
            ("Root Cause and Resolution", K::RootCauseAndResolution),
            ("Corrective and Preventative Measures", K::Corrective),
            ("Root Causes", K::Factors),
            ("Contributing factors", K::Factors),
            ("why", K::RootCause),
            ("todo", K::Tasks),
            ("Background", K::Other),
        ] {
            assert_eq!(section_kind(heading), kind, "{heading}");
        }
        assert_eq!(sub_label("Action Items:"), Some(K::Tasks));
        assert_eq!(sub_label("Task List:"), Some(K::Tasks));
        assert_eq!(sub_label("Improvements:"), Some(K::Measures));
        assert_eq!(sub_label("Root Cause:"), Some(K::RootCause));
        assert_eq!(sub_label("Owner:"), None);
    }

    #[test]
    fn summary_keys_and_task_columns() {
        assert_eq!(summary_key("Date/time"), Some(Key::Date));
        assert_eq!(summary_key("**Incident commander**"), Some(Key::Person));
        assert_eq!(summary_key("Duration"), Some(Key::Duration));
        assert_eq!(summary_key("PREPARED BY"), Some(Key::Byline));
        assert_eq!(summary_key("Weather"), None);
        assert_eq!(task_column("Bug"), Some(Column::Ticket));
        assert_eq!(task_column("Action item"), None);
    }

    #[test]
    fn gmt_by_what_the_document_is_about() {
        assert_eq!(gmt_reading("a £5 credit").0, chrono_tz::Europe::London);
        assert_eq!(
            gmt_reading("our school in Ghana").0,
            chrono_tz::Africa::Accra
        );
        assert_eq!(gmt_reading("nothing said").0, chrono_tz::UTC);
    }

    #[test]
    fn tickets() {
        assert_eq!(
            ticket("(search team, SRCH-77)").map(|t| t.value).as_deref(),
            Some("SRCH-77")
        );
        assert_eq!(ticket("no ticket here, UTF-8 aside"), None);
    }
}
