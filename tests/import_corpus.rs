//! `pm import` on the development corpus (tests/fixtures/import, copied from
//! the shared import corpus): a snapshot of every output, the no-loss
//! property, accuracy against the YAML a careful person wrote, and `pm
//! check` on the cases that use no extended field.

use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;
use pm::import::patterns::{self, DateOrder};
use pm::import::{Imported, Options, import};
use serde_json::Value;
use std::path::PathBuf;

fn corpus() -> Vec<(String, String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import");
    let mut cases = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("corpus folder") {
        let path = entry.expect("entry").path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if path.extension().and_then(|e| e.to_str()) != Some("md")
            || !name.starts_with(|c: char| c.is_ascii_digit())
        {
            continue;
        }
        let stem = name.trim_end_matches(".md").to_owned();
        let md = std::fs::read_to_string(&path).expect("markdown");
        let yaml = std::fs::read_to_string(path.with_extension("yaml")).expect("expected yaml");
        cases.push((stem, md, yaml));
    }
    cases.sort();
    assert_eq!(cases.len(), 24, "the corpus has 24 cases");
    cases
}

/// What a person would pass on the command line for the cases that do not
/// say: 13 and 14 name no zone (the corpus assumes UTC), 18's 04/05/2024 is
/// settled by nothing (the corpus reads it day first).
fn options(stem: &str) -> Options {
    let mut options = Options::default();
    if stem.starts_with("13-") || stem.starts_with("14-") {
        options.timezone = Some(chrono_tz::UTC);
    }
    if stem.starts_with("18-") {
        options.date_order = Some(DateOrder::Dmy);
    }
    options
}

fn run(stem: &str, md: &str) -> Imported {
    import(md, &options(stem)).unwrap_or_else(|e| panic!("{stem}: {e}"))
}

fn load(yaml: &str) -> Value {
    serde_saphyr::from_str(yaml).unwrap_or_else(|e| panic!("not YAML ({e}):\n{yaml}"))
}

#[test]
fn snapshots_of_every_document() {
    for (stem, md, _) in corpus() {
        let imported = run(&stem, &md);
        load(&imported.yaml);
        insta::assert_snapshot!(format!("import_{stem}"), imported.yaml);
    }
}

#[test]
fn cases_without_extended_fields_check_clean() {
    let settings = pm::check::Settings::new(NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"));
    for (stem, md, _) in corpus() {
        if !["01-", "17-", "18-", "22-"]
            .iter()
            .any(|p| stem.starts_with(p))
        {
            continue;
        }
        let imported = run(&stem, &md);
        let checked = pm::check::check_bytes(stem.clone(), imported.yaml.as_bytes(), &settings);
        let errors: Vec<_> = checked
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| format!("{}: {}", d.rule.id, d.message))
            .collect();
        assert!(errors.is_empty(), "{stem}: {errors:#?}\n{}", imported.yaml);
    }
}

#[test]
fn cannot_tell_asks_for_the_flag() {
    let (_, md, _) = corpus()
        .into_iter()
        .find(|c| c.0.starts_with("18-"))
        .expect("case 18");
    let err = import(&md, &Options::default()).expect_err("ambiguous");
    assert!(err.to_string().contains("--date-order"), "{err}");
    let (_, md, _) = corpus()
        .into_iter()
        .find(|c| c.0.starts_with("13-"))
        .expect("case 13");
    let err = import(&md, &Options::default()).expect_err("no zone");
    assert!(err.to_string().contains("--timezone"), "{err}");
}

// ------------------------------------------------------------ no loss

fn normalise(text: &str) -> String {
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
        .replace(['*', '`'], "")
        .replace("__", "");
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        Value::Object(map) => map.values().for_each(|v| strings(v, out)),
        Value::Number(n) => out.push(n.to_string()),
        _ => {}
    }
}

/// A raw line without its Markdown: heading marks, list markers, bold,
/// code marks, entities, links (label and URL).
fn clean(raw: &str) -> String {
    let link = regex::Regex::new(r"\[([^\]]*)\]\(([^)]*)\)").expect("regex");
    let marker = regex::Regex::new(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?").expect("regex");
    let linked = link.replace_all(raw, "$1 $2").to_string();
    let unmarked = marker.replace(&linked, "").to_string();
    unmarked
        .replace("**", "")
        .replace('`', "")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
        .trim()
        .trim_start_matches('#')
        .trim()
        .to_owned()
}

fn starts_with_time(line: &str) -> bool {
    patterns::time_at(line, true).is_some()
}

fn is_key_line(line: &str) -> bool {
    line.split_once(':').is_some_and(|(k, v)| {
        k.split_whitespace().count() <= 4
            && !v.trim().is_empty()
            && !k.chars().any(|c| c.is_ascii_digit())
    })
}

/// Units of the input, with whether each is structural (a heading, a bold
/// line, a table header). A paragraph's hard-wrapped lines are joined,
/// unless a line is a `Key: value` line or starts with a time.
fn units(md: &str) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = Vec::new();
    let mut joinable = false;
    let item = regex::Regex::new(r"^\s*(?:[-*+]|\d+[.)])\s+").expect("regex");
    let lines: Vec<&str> = md.lines().collect();
    for (i, raw) in lines.iter().enumerate() {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            joinable = false;
            continue;
        }
        let structural = trimmed.starts_with('#')
            || (trimmed.starts_with("**")
                && trimmed.ends_with("**")
                && trimmed.matches("**").count() == 2);
        if trimmed.starts_with('|') {
            joinable = false;
            let header = lines.get(i + 1).is_some_and(|next| {
                next.trim().starts_with("|-") || next.trim().starts_with("| -")
            });
            if trimmed.chars().all(|c| "|-: ".contains(c)) {
                continue;
            }
            let cells: Vec<String> = trimmed
                .split('|')
                .map(clean)
                .filter(|c| !c.is_empty())
                .collect();
            if cells.len() == 2 && !header {
                out.push((format!("{}: {}", cells[0], cells[1]), false));
            } else {
                for cell in cells {
                    out.push((cell, header));
                }
            }
            continue;
        }
        let is_item = item.is_match(raw);
        for piece in raw.split("<br>") {
            let line = clean(piece);
            if line.is_empty() {
                continue;
            }
            let label = line.ends_with(':') && line.split_whitespace().count() <= 5;
            let own =
                structural || is_item || label || is_key_line(&line) || starts_with_time(&line);
            let count = out.len();
            match out.last_mut() {
                Some((last, false))
                    if joinable
                        && !own
                        && count > 1
                        && !last.ends_with(['.', ':', '!', '?'])
                        && !(patterns::section_kind(last) != patterns::SectionKind::Other
                            && last.split_whitespace().count() <= 6) =>
                {
                    last.push(' ');
                    last.push_str(&line);
                }
                _ => out.push((line, structural)),
            }
        }
        joinable = !structural;
    }
    out
}

/// Keys whose values are carried by typed fields (dates, times, figures).
const CARRIED_KEYS: &[&str] = &[
    "start",
    "end",
    "date",
    "time",
    "date/time",
    "duration",
    "affected",
    "time zone",
    "severity",
];

/// The pieces of a sentence that must appear in the output: split at times,
/// tickets, owner labels and parentheses, which fields carry.
fn pieces(sentence: &str) -> Vec<String> {
    let mut cuts = vec![];
    for t in patterns::find_times(sentence) {
        cuts.push((t.start, t.end));
    }
    if let Some((t, len)) = patterns::time_at(sentence, true) {
        cuts.push((0, len.min(sentence.len())));
        let _ = t;
    }
    let splitter =
        regex::Regex::new(r"(?i)\b[A-Z][A-Z0-9]{1,9}-\d{2,}\b|owner:?|\(|\)|, due|until")
            .expect("regex");
    for m in splitter.find_iter(sentence) {
        cuts.push((m.start(), m.end()));
    }
    cuts.sort_unstable();
    let mut out = Vec::new();
    let mut at = 0;
    for (start, end) in cuts {
        if start > at {
            out.push(sentence[at..start].to_owned());
        }
        at = at.max(end);
    }
    out.push(sentence[at.min(sentence.len())..].to_owned());
    out.into_iter()
        .map(|p| {
            p.trim_matches(|c: char| c.is_whitespace() || ":-–—|,;.".contains(c))
                .to_owned()
        })
        .filter(|p| p.chars().filter(|c| c.is_alphabetic()).count() >= 3)
        .filter(|p| patterns::zone_phrase(p).is_none())
        .collect()
}

fn sentences(text: &str) -> Vec<String> {
    let re = regex::Regex::new(r"[.!?]\s+").expect("regex");
    re.split(text).map(str::to_owned).collect()
}

#[test]
fn nothing_is_lost() {
    let mut failures = Vec::new();
    for (stem, md, _) in corpus() {
        let imported = run(&stem, &md);
        let mut values = Vec::new();
        strings(&load(&imported.yaml), &mut values);
        let haystack = normalise(&values.join(" \u{1} "));
        for (unit, structural) in units(&md) {
            if structural
                || patterns::section_kind(&unit) != patterns::SectionKind::Other
                    && unit.split_whitespace().count() <= 6
                || patterns::zone_declaration(&unit).is_some()
                    && unit.split_whitespace().count() <= 8
                || unit.ends_with(':') && unit.split_whitespace().count() <= 5
            {
                continue;
            }
            // `Key: value`: the value must be there, unless a typed field carries it.
            let mut text = unit.as_str();
            if let Some((key, value)) = unit.split_once(':')
                && is_key_line(&unit)
                && !starts_with_time(&unit)
            {
                if CARRIED_KEYS.contains(&key.trim().to_lowercase().as_str()) {
                    continue;
                }
                text = value;
            }
            for sentence in sentences(text) {
                for piece in pieces(&sentence) {
                    let needle = normalise(&piece);
                    if !haystack.contains(&needle) {
                        failures.push(format!("{stem}: {needle:?} (from {sentence:?})"));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "lost:\n{}", failures.join("\n"));
}

// ------------------------------------------------------------ accuracy

#[derive(Clone, Debug, PartialEq)]
enum Instant {
    Unknown,
    Day(NaiveDate),
    /// UTC, when the zone applies cleanly.
    At(chrono::DateTime<chrono::Utc>),
    /// The local reading and the zone written, when it does not (PST in June).
    Local(Option<NaiveDate>, NaiveTime, String),
}

fn zone_of(doc: &Value) -> Tz {
    doc["timezone"]
        .as_str()
        .and_then(|z| z.parse().ok())
        .unwrap_or(chrono_tz::UTC)
}

fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Reads `at` text, carrying the date of the entry before.
fn instant(text: &str, carried: &mut Option<NaiveDate>, zone: Tz) -> Instant {
    let text = text.trim().trim_start_matches('~').trim();
    if text == "unknown" {
        return Instant::Unknown;
    }
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Instant::Day(day);
    }
    let Ok(written) = pm::time::parse(text) else {
        return Instant::Local(None, NaiveTime::MIN, format!("unreadable {text}"));
    };
    if written.date.is_some() {
        *carried = written.date;
    }
    let date = written.date.or(*carried);
    let zone_text = written
        .zone
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    match date {
        Some(day) => match pm::time::resolve(&written, day, zone) {
            Ok(resolved) => Instant::At(resolved.at.with_timezone(&chrono::Utc)),
            // A generic label pm does not know yet (`ET`) means the document's zone.
            Err(pm::time::Problem::UnknownAbbreviation { .. }) => {
                let bare = pm::time::Written {
                    zone: None,
                    ..written.clone()
                };
                match pm::time::resolve(&bare, day, zone) {
                    Ok(resolved) => Instant::At(resolved.at.with_timezone(&chrono::Utc)),
                    Err(_) => Instant::Local(Some(day), written.time, zone_text),
                }
            }
            Err(_) => Instant::Local(Some(day), written.time, zone_text),
        },
        None => Instant::Local(None, written.time, zone_text),
    }
}

fn entries(doc: &Value) -> Vec<(Instant, String)> {
    let zone = zone_of(doc);
    // Like pm, the first entries take the date of `summary.start`.
    let mut carried = text_of(&doc["summary"]["start"])
        .and_then(|s| pm::time::parse(s.trim_start_matches('~')).ok())
        .and_then(|w| w.date);
    doc["timeline"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|e| {
                    let at = text_of(&e["at"]).unwrap_or_default();
                    // An entry without a kind is an action (the format's default).
                    let kind = e["kind"].as_str().unwrap_or("action").to_owned();
                    (instant(&at, &mut carried, zone), kind)
                })
                .collect()
        })
        .unwrap_or_default()
}

fn window(doc: &Value, key: &str) -> Option<Instant> {
    let text = text_of(&doc["summary"][key])?;
    Some(instant(&text, &mut None, zone_of(doc)))
}

#[test]
fn accuracy_on_the_corpus() {
    let (mut right, mut total, mut produced): (u32, u32, usize) = (0, 0, 0);
    let mut windows_right: u32 = 0;
    let mut lines = Vec::new();
    let cases = corpus();
    for (stem, md, expected) in &cases {
        let imported = run(stem, md);
        let got = load(&imported.yaml);
        let want = load(expected);
        let mut mine = entries(&got);
        let theirs = entries(&want);
        produced += mine.len();
        let mut doc_right: u32 = 0;
        let mut misses = Vec::new();
        for entry in &theirs {
            if let Some(i) = mine.iter().position(|m| m == entry) {
                mine.remove(i);
                doc_right += 1;
            } else {
                misses.push(format!("{entry:?}"));
            }
        }
        right += doc_right;
        total += u32::try_from(theirs.len()).expect("a few entries");
        let start_ok = window(&got, "start") == window(&want, "start");
        let end_ok = window(&got, "end") == window(&want, "end");
        if start_ok && end_ok {
            windows_right += 1;
        }
        lines.push(format!(
            "{stem}: entries {doc_right}/{}, start {}, end {}{}",
            theirs.len(),
            if start_ok { "ok" } else { "WRONG" },
            if end_ok { "ok" } else { "WRONG" },
            if misses.is_empty() {
                String::new()
            } else {
                format!("\n    missed: {}\n    left: {mine:?}", misses.join("; "))
            }
        ));
    }
    let entry_share = f64::from(right) / f64::from(total);
    let window_share = f64::from(windows_right) / cases.len() as f64;
    println!("{}", lines.join("\n"));
    println!(
        "entries right: {right}/{total} ({:.1}%), {produced} written; start and end right: {windows_right}/{} ({:.1}%)",
        entry_share * 100.0,
        cases.len(),
        window_share * 100.0
    );
    assert!(entry_share >= 0.90, "entries right {right}/{total}");
    assert!(
        window_share >= 0.90,
        "start/end right {windows_right}/{}",
        cases.len()
    );
}

// ------------------------------------------------------------ robustness

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn line() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            "[#*>|~± -]{0,3}[A-Za-z0-9 :./()?~±&;<>\"'#|*_-]{0,40}",
            "(- |\\* |\\d\\. )?\\*{0,2}[0-9]{1,2}:[0-9]{2} ?(AM|pm|UTC|EAT)?\\*{0,2}:? [a-z ]{0,20}",
            "#{0,3} ?(Summary|Timeline|Root Cause and Resolution|Tasks|Impact|Action Items:)",
            "(Start|End|Date|Duration|Affected|Impact): [0-9A-Za-z/:, %-]{0,20}",
            "\\| [0-9:]{0,5} \\| [a-z ]{0,10} \\|",
            any::<String>(),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn any_text_imports_to_yaml_or_a_clear_error(lines in proptest::collection::vec(line(), 0..25)) {
            let text = lines.join("\n");
            let options = Options { timezone: Some(chrono_tz::UTC), date_order: None };
            match import(&text, &options) {
                Ok(imported) => {
                    let parsed: Result<Value, _> = serde_saphyr::from_str(&imported.yaml);
                    prop_assert!(parsed.is_ok(), "not YAML: {:?}\n{}", parsed.err(), imported.yaml);
                }
                Err(err) => prop_assert!(err.to_string().contains("--date-order")),
            }
        }
    }
}
