#!/usr/bin/env python3
"""Writes src/abbreviations.rs: the zone abbreviations tzdata itself used
before release 2017a replaced them with numeric labels ("ICT" became "+07").

Source of truth: the tz database, release 2016j (2016-11-22), the last
release before the change, as packaged in the crate chrono-tz 0.3.0 on
crates.io (its tz/ folder is the unmodified upstream release). The current
side is the system's tzdata, read through Python's zoneinfo.

A row is kept when, for a zone in today's tzdata:
  - its last (current) rule line in 2016j names an alphabetic abbreviation,
    directly (`ICT`), as a pair (`ART/ARST`) or through the rule's letters
    (`IR%sT` with `S`/`D`), with the offset it stands for;
  - today's tzdata gives that zone a numeric label (`+07`) at that offset in
    2020-2026, and no longer uses the abbreviation;
  - and the zone still keeps that offset today (January or July 2026).

Usage: python3 scripts/dropped-abbreviations.py [TZDATA_2016J_DIR]
Without a folder, it downloads chrono-tz 0.3.0 from crates.io and checks its
SHA-256 first.
"""

import datetime
import hashlib
import io
import os
import re
import sys
import tarfile
import urllib.request
import zoneinfo

CRATE_URL = "https://static.crates.io/crates/chrono-tz/chrono-tz-0.3.0.crate"
CRATE_SHA256_PINNED = "8f910f57d2fec4b168900b81d8310e56dbffda97e9099a6895213535004092ca"
FILES = ["africa", "antarctica", "asia", "australasia", "europe",
         "northamerica", "southamerica", "backward", "etcetera"]
OUT = os.path.join(os.path.dirname(__file__), "..", "src", "abbreviations.rs")


def tzdata_2016j(folder):
    if folder:
        return {name: open(os.path.join(folder, name), encoding="utf-8").read()
                for name in FILES}
    data = urllib.request.urlopen(CRATE_URL).read()
    digest = hashlib.sha256(data).hexdigest()
    if digest != CRATE_SHA256_PINNED:
        sys.exit(f"chrono-tz 0.3.0 has SHA-256 {digest}, expected {CRATE_SHA256_PINNED}")
    texts = {}
    with tarfile.open(fileobj=io.BytesIO(data)) as crate:
        for name in FILES:
            member = crate.getmember(f"chrono-tz-0.3.0/tz/{name}")
            texts[name] = crate.extractfile(member).read().decode("utf-8")
    if "Release 2016j" not in crate_news(data):
        sys.exit("the crate's tz/ folder is not release 2016j")
    return texts


def crate_news(data):
    with tarfile.open(fileobj=io.BytesIO(data)) as crate:
        member = crate.getmember("chrono-tz-0.3.0/tz/NEWS")
        return crate.extractfile(member).read().decode("utf-8")[:200]


def seconds(text):
    sign = -1 if text.startswith("-") else 1
    parts = [int(p) for p in text.lstrip("-").split(":")]
    parts += [0] * (3 - len(parts))
    return sign * (parts[0] * 3600 + parts[1] * 60 + parts[2])


def parse(texts):
    zones, links, rules = {}, {}, {}
    for text in texts.values():
        current = None
        for raw in text.splitlines():
            line = raw.split("#", 1)[0].rstrip()
            if not line.strip():
                continue
            fields = line.split()
            if fields[0] == "Rule":
                # Rule NAME FROM TO TYPE IN ON AT SAVE LETTER/S
                name, to, save, letter = fields[1], fields[3], fields[8], fields[9]
                rules.setdefault(name, []).append((fields[2], to, save, letter))
                current = None
            elif fields[0] == "Link":
                links[fields[2]] = fields[1]
                current = None
            elif fields[0] == "Zone":
                current = fields[1]
                zones[current] = fields[2:5]
            elif current and raw[0].isspace():
                zones[current] = fields[0:3]
    return zones, links, rules


def candidates(line, rules):
    """(abbreviation, offset in seconds) the zone's current rule line names."""
    stdoff, rule, fmt = line
    std = seconds(stdoff)
    if "/" in fmt:
        plain, dst = fmt.split("/", 1)
        out = [(plain, std)]
        if rule != "-":
            saves = {seconds(s) for (_, _, s, _) in recent(rules.get(rule, []))}
            out += [(dst, std + s) for s in saves if s]
        return out
    if "%s" in fmt:
        out = []
        rows = recent(rules.get(rule, []))
        if not any(seconds(r[2]) == 0 for r in rows):
            # Rules that ended long ago leave standard time, with its letter.
            rows += [r for r in rules.get(rule, []) if seconds(r[2]) == 0][-1:]
        for (_, _, save, letter) in rows:
            letter = "" if letter == "-" else letter
            out.append((fmt.replace("%s", letter), std + seconds(save)))
        return out
    if rule not in ("-",) and re.match(r"^-?\d", rule):
        return [(fmt, std + seconds(rule))]
    return [(fmt, std)]


def recent(rows):
    """Rule rows in effect since 2007: what the zone's clock did lately."""
    def last_year(row):
        start, end = row[0], row[1]
        return 9999 if end == "max" else int(start if end == "only" else end)
    return [r for r in rows if last_year(r) >= 2007]


def numeric_at(zone, offset):
    """Does today's tzdata give `zone` a numeric label at `offset` in 2020-2026?"""
    tz = zoneinfo.ZoneInfo(zone)
    for year in range(2020, 2027):
        for month in range(1, 13):
            moment = datetime.datetime(year, month, 15, 12, tzinfo=datetime.timezone.utc).astimezone(tz)
            if int(moment.utcoffset().total_seconds()) == offset:
                name = moment.tzname()
                return name[0] in "+-"
    return False


def keeps_offset(zone, offset):
    tz = zoneinfo.ZoneInfo(zone)
    return any(int(datetime.datetime(2026, m, 15, 12, tzinfo=tz).utcoffset().total_seconds()) == offset
               for m in (1, 7))


def main():
    texts = tzdata_2016j(sys.argv[1] if len(sys.argv) > 1 else None)
    zones, links, rules = parse(texts)
    rows = set()
    for zone in sorted(zoneinfo.available_timezones()):
        if zone.startswith(("Etc/", "SystemV/", "posix/", "right/")) or "/" not in zone:
            continue
        old = zone
        while old in links:
            old = links[old]
        if old not in zones:
            continue
        for abbr, offset in candidates(zones[old], rules):
            if not re.fullmatch(r"[A-Z]{3,5}", abbr):
                continue
            if numeric_at(zone, offset) and keeps_offset(zone, offset):
                rows.add((abbr, zone, offset))
    write(sorted(rows))
    print(f"{len(rows)} rows, {len({r[0] for r in rows})} abbreviations")


def write(rows):
    body = "\n".join(f'    ("{a}", "{z}", {o}),' for (a, z, o) in rows)
    source = f'''//! Zone abbreviations tzdata itself used before release 2017a replaced
//! them with numeric labels (`ICT` became `+07`, `SGT` `+08`), so that
//! `10:00 ICT` in an Asia/Bangkok postmortem reads as the writer meant.
//!
//! Generated by `scripts/dropped-abbreviations.py`; do not edit. Source: the
//! tz database release 2016j, the last before the change (as packaged in
//! chrono-tz 0.3.0 on crates.io), against today's tzdata. A row is kept only
//! where today's tzdata gives the zone a numeric label at the same offset,
//! and the zone still keeps that offset.

/// (abbreviation, zone, offset east of UTC in seconds).
pub const FORMER: &[(&str, &str, i32)] = &[
{body}
];

/// The abbreviations a zone went by at an offset before tzdata dropped them.
pub fn former(zone: &str, offset_seconds: i32) -> impl Iterator<Item = &'static str> + '_ {{
    FORMER
        .iter()
        .filter(move |(_, z, o)| *z == zone && *o == offset_seconds)
        .map(|(a, _, _)| *a)
}}

/// Whether an abbreviation is one tzdata dropped.
pub fn is_former(abbreviation: &str) -> bool {{
    FORMER
        .iter()
        .any(|(a, _, _)| a.eq_ignore_ascii_case(abbreviation))
}}
'''
    with open(OUT, "w", encoding="utf-8") as out:
        out.write(source)


if __name__ == "__main__":
    main()
