//! pm's side of the differential test of time handling (`scripts/tz_oracle.py`).
//!
//! An example rather than a hidden `pm` subcommand: it exposes
//! `pm::time::resolve_local`, the function under test, without adding
//! anything to the shipped binary, and it is built only when asked for
//! (`cargo run --example tz_oracle`).
//!
//! Reads queries from stdin, one per line, tab-separated, and answers each
//! on a line of stdout:
//!
//! - `version` -> the IANA tzdb version chrono-tz was built with;
//! - `zones` -> every zone name it knows, tab-separated;
//! - `resolve ZONE YYYY-MM-DDTHH:MM:SS` -> `single UTC OFFSET ABBR`,
//!   `fold UTC1 OFFSET1 ABBR1 UTC2 OFFSET2 ABBR2` (earlier first) or
//!   `gap TRANSITION_UTC OFFSET_BEFORE ABBR_BEFORE OFFSET_AFTER ABBR_AFTER`;
//! - `offset ZONE UTC` -> `OFFSET ABBR` in effect at that instant.
//!
//! Instants are `YYYY-MM-DDTHH:MM:SSZ`, offsets are seconds east of UTC.

use chrono::{DateTime, FixedOffset, NaiveDateTime, Offset, Utc};
use chrono_tz::Tz;
use pm::time::{Local, ZoneReading, abbreviation_at, resolve_local};
use std::io::{BufRead, Write};

fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn instant(tz: Tz, at: DateTime<FixedOffset>) -> String {
    let at = at.to_utc();
    format!(
        "{}\t{}\t{}",
        utc(at),
        offset_seconds(tz, at),
        abbreviation_at(tz, at)
    )
}

fn offset_seconds(tz: Tz, at: DateTime<Utc>) -> i32 {
    at.with_timezone(&tz).offset().fix().local_minus_utc()
}

fn reading(r: &ZoneReading) -> String {
    format!("{}\t{}", r.offset.local_minus_utc(), r.abbreviation)
}

fn answer(line: &str) -> Result<String, String> {
    let fields: Vec<&str> = line.split('\t').collect();
    match fields[..] {
        ["version"] => Ok(chrono_tz::IANA_TZDB_VERSION.to_owned()),
        ["zones"] => Ok(chrono_tz::TZ_VARIANTS
            .iter()
            .map(|tz| tz.name())
            .collect::<Vec<_>>()
            .join("\t")),
        ["resolve", zone, local] => {
            let tz: Tz = zone.parse().map_err(|_| format!("unknown zone {zone}"))?;
            let local = NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M:%S")
                .map_err(|e| format!("bad local time {local}: {e}"))?;
            Ok(match resolve_local(tz, local) {
                Local::Single(at) => format!("single\t{}", instant(tz, at)),
                Local::Fold(a, b) => format!("fold\t{}\t{}", instant(tz, a), instant(tz, b)),
                Local::Gap(t) => format!(
                    "gap\t{}\t{}\t{}",
                    utc(t.at),
                    reading(&t.before),
                    reading(&t.after)
                ),
            })
        }
        ["offset", zone, at] => {
            let tz: Tz = zone.parse().map_err(|_| format!("unknown zone {zone}"))?;
            let at = DateTime::parse_from_rfc3339(at)
                .map_err(|e| format!("bad instant {at}: {e}"))?
                .to_utc();
            Ok(format!(
                "{}\t{}",
                offset_seconds(tz, at),
                abbreviation_at(tz, at)
            ))
        }
        _ => Err(format!("unknown query `{line}`")),
    }
}

fn main() {
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        let reply = answer(line.trim_end()).unwrap_or_else(|err| format!("error\t{err}"));
        if writeln!(out, "{reply}").is_err() {
            break;
        }
    }
    let _ = out.flush();
}
