#!/usr/bin/env python3
"""Cases for the DST fix property (issue 15), with zoneinfo as the oracle.

Each case is a small postmortem whose timeline crosses a DST transition
(a gap or a fold) or midnight, with one mistake of a kind people make:
a time written in another zone or offset (`mixed`), the zone's
abbreviation of the other season (`wrong-abbr`), a wall time the clock
skipped, with or without an abbreviation (`gap-abbr`, `gap-plain`), an
abbreviation of another zone on a wall time that happened twice or once
(`never-abbr`), a time alone after midnight (`midnight`, and
`midnight-gap` where the next day's wall time was skipped, which has no
fix), a human form of a correct time (`human`: `1506`, `June 9, 2023,
3:06 PM`, `9th June 2023 15:06`), or no mistake at all (`clean`).

Python's zoneinfo over the system's tzdata decides every instant: what the
correct entries say, and what the mistaken entry means (`expect`: the UTC
instant of every timeline entry once pm's fixes are applied). pm is not
consulted. tests/dst_fix_cases.rs reads the cases and checks, through pm's
library: every fix removes its finding and brings no new error; `--fix`
twice changes nothing the second time; no two fixes undo or contradict
each other; and after the fixes every entry is at the instant zoneinfo
gives.

Usage: scripts/dst_fix_cases.py [--count N] [--seed S] > cases.jsonl
One JSON object a line: id, kind, zone, yaml, expect, remaining.
"""

import argparse
import json
import random
import sys
from datetime import datetime, timedelta, timezone

import zoneinfo

UTC = timezone.utc
# Zones with DST: the usual one-hour kind both sides of the equator, the
# 30-minute DST of Lord Howe, and Dublin's negative DST (IST in summer is
# its standard time).
ZONES = [
    "America/New_York",
    "America/Los_Angeles",
    "Europe/Berlin",
    "Europe/London",
    "Europe/Dublin",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Pacific/Auckland",
]
YEARS = range(2020, 2027)
# Abbreviations of other zones, by whether they are daylight ones.
# Each in use on the dates where it is picked, so pm knows it there.
FOREIGN = {
    "America/Los_Angeles": {False: "AKST", True: "AKDT"},
    "Australia/Sydney": {False: "NZST", True: "NZDT"},
    "Pacific/Auckland": {False: "AEST", True: "AEDT"},
    None: {False: "PST", True: "PDT"},
}
KINDS = [
    "mixed",
    "wrong-abbr",
    "gap-abbr",
    "gap-plain",
    "never-abbr",
    "midnight",
    "midnight-gap",
    "human",
    "clean",
]


def transitions(name):
    """(utc instant, offset before, offset after) of each change in YEARS."""
    tz = zoneinfo.ZoneInfo(name)
    found = []
    at = datetime(YEARS[0], 1, 1, tzinfo=UTC)
    end = datetime(YEARS[-1] + 1, 1, 1, tzinfo=UTC)
    step = timedelta(hours=6)
    while at < end:
        nxt = at + step
        if at.astimezone(tz).utcoffset() != nxt.astimezone(tz).utcoffset():
            lo, hi = at, nxt
            while hi - lo > timedelta(seconds=1):
                mid = lo + (hi - lo) / 2
                if mid.astimezone(tz).utcoffset() == lo.astimezone(tz).utcoffset():
                    lo = mid
                else:
                    hi = mid
            found.append((hi, lo.astimezone(tz), hi.astimezone(tz)))
        at = nxt
    return found


def offset_text(delta):
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02}:{minutes % 60:02}"


def label(local):
    """The zone's abbreviation, or the offset where tzdata writes a number."""
    name = local.tzname()
    if name[0] in "+-":
        return offset_text(local.utcoffset())
    return name


HOMES = {
    "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles",
    "AKST": "America/Anchorage", "AKDT": "America/Anchorage",
    "NZST": "Pacific/Auckland", "NZDT": "Pacific/Auckland",
    "AEST": "Australia/Brisbane", "AEDT": "Australia/Sydney",
}


def in_use(abbr, date):
    """The abbreviation is its home zone's at noon UTC on the date, as pm
    looks abbreviations up (PST all year: Asia/Manila)."""
    noon = datetime(date.year, date.month, date.day, 12, tzinfo=UTC)
    homes = [HOMES[abbr]] + (["Asia/Manila"] if abbr == "PST" else [])
    return any(noon.astimezone(zoneinfo.ZoneInfo(h)).tzname() == abbr for h in homes)


def in_fold(tz, wall):
    naive = wall.replace(tzinfo=None)
    first = naive.replace(tzinfo=tz, fold=0)
    second = naive.replace(tzinfo=tz, fold=1)
    return first.utcoffset() != second.utcoffset() and is_real(tz, naive)


def is_real(tz, naive):
    """The wall time exists (was shown by the clock) in the zone."""
    at = naive.replace(tzinfo=tz)
    return at.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == naive


def written(tz, at, with_date=True):
    """An instant as a correct entry writes it on the zone's clock."""
    local = at.astimezone(tz)
    text = local.strftime("%Y-%m-%d %H:%M" if with_date else "%H:%M")
    if in_fold(tz, local):
        first = local.replace(fold=0)
        second = local.replace(fold=1)
        if label(first) != label(second) and label(first)[0] not in "+-":
            text += " " + label(local)
        else:
            text += " " + offset_text(local.utcoffset())
    return text


def quote(text, rng):
    style = rng.choice(["plain", "plain", "double", "single"])
    if style == "double":
        return f'"{text}"'
    if style == "single":
        return f"'{text}'"
    return text


def document(zone, entries, rng):
    """entries: (text as written, kind or None). The summary spans them."""
    lines = [
        "title: Generated DST case",
        "severity: SEV2",
        f"timezone: {zone}",
        "summary:",
        f"  start: {entries[0][0]}",
        f"  end: {entries[-1][0]}",
        "  service: api",
        "  affected: 10%",
        "  impact: Requests were slow.",
        "  cause: A deploy.",
        "root_cause: A deploy.",
        "resolution: Rolled back.",
        "measures:",
        "  - Alert sooner.",
        "timeline:",
    ]
    for text, kind in entries:
        lines.append(f"  - at: {text}")
        if kind:
            lines.append(f"    kind: {kind}")
        lines.append("    text: Something happened.")
    lines += [
        "lessons:",
        "  went_well: [a]",
        "  went_wrong: [b]",
        "tasks:",
        "  - text: x",
        "    owner: y",
    ]
    return "\n".join(lines) + "\n"


def around(tz, at, index, rng, count=4):
    """Instants for `count` entries with `at` at `index`, minutes apart."""
    instants = [at]
    for _ in range(index):
        instants.insert(0, instants[0] - timedelta(minutes=rng.randint(3, 40)))
    while len(instants) < count:
        instants.append(instants[-1] + timedelta(minutes=rng.randint(3, 40)))
    return instants


def wall_in(transition, rng, minutes_span):
    """A wall-clock reading inside the transition's gap or fold: they start
    at the instant of the change shown at the lower of the two offsets."""
    instant, before, after = transition
    shown = instant.astimezone(timezone(min(before.utcoffset(), after.utcoffset())))
    return shown.replace(tzinfo=None) + timedelta(minutes=rng.randrange(0, minutes_span))


def case(rng, number, kind):
    """A case of the kind wanted, or of another where it does not apply
    (no gap on a fall-back night, no letters in Lord Howe's labels)."""
    zone = rng.choice(ZONES)
    tz = zoneinfo.ZoneInfo(zone)
    transition = rng.choice(transitions_of(zone))
    instant, before, after = transition
    jump = after.utcoffset() - before.utcoffset()
    forward = jump > timedelta(0)
    span = int(abs(jump).total_seconds() // 60)
    index = rng.choice([1, 2])
    remaining = []
    # The mistaken entry: its text, and the instant it means (zoneinfo).
    if kind == "mixed":
        at = instant + timedelta(minutes=rng.randint(-90, 90))
        frame = rng.choice(["Z", "UTC", "GMT", "offset", "zone"])
        if frame == "offset":
            other = timezone(timedelta(minutes=15 * rng.randint(-40, 48)))
            suffix = offset_text(other.utcoffset(None))
        elif frame == "zone":
            other_name = rng.choice([z for z in ZONES if z != zone] + ["Asia/Tokyo", "UTC"])
            other = zoneinfo.ZoneInfo(other_name)
            suffix = other_name
        else:
            other, suffix = UTC, frame
        foreign = at.astimezone(other)
        if frame == "zone" and other_name != "UTC" and in_fold(other, foreign):
            suffix = offset_text(foreign.utcoffset())
        text_at = foreign
        mistake = (text_at, suffix)
    elif kind == "human":
        at = instant + timedelta(minutes=rng.randint(-120, 120))
        local = at.astimezone(tz)
        if in_fold(tz, local):
            kind, mistake = "clean", None
        else:
            mistake = (local, "human")
    elif kind in ("wrong-abbr", "never-abbr", "clean"):
        at = instant + timedelta(minutes=rng.randint(-120, 120))
        local = at.astimezone(tz)
        mistake = None
        if kind == "wrong-abbr":
            other = (instant + timedelta(days=rng.choice([-100, 100]))).astimezone(tz)
            if label(local)[0] in "+-" or label(other)[0] in "+-" or in_fold(tz, local):
                kind, mistake = "clean", None
            elif label(other) == "GMT":
                # GMT is UTC to pm, as to mail and logs: a time in another zone.
                kind = "mixed"
                at = local.replace(tzinfo=UTC)
                mistake = (local, "GMT")
            elif label(other) != label(local):
                mistake = (local, label(other))
            else:
                kind = "clean"
        elif kind == "never-abbr":
            if zone == "Europe/Dublin" or label(local)[0] in "+-":
                kind = "clean"
            else:
                daylight = local.dst() != timedelta(0)
                foreign = FOREIGN.get(zone, FOREIGN[None])[daylight]
                if in_use(foreign, local.date()):
                    mistake = (local, foreign)
                else:
                    kind = "clean"
    elif kind in ("gap-abbr", "gap-plain"):
        if forward:
            wall = wall_in(transition, rng, span)
        else:
            # A fold has no gap: the same wall times, written correctly.
            wall = None
        if wall is None or (kind == "gap-abbr" and (label(before)[0] in "+-" or label(after)[0] in "+-")):
            kind = "clean"
            at = instant + timedelta(minutes=rng.randint(-60, 60))
            mistake = None
        else:
            if kind == "gap-abbr":
                side = rng.choice([before, after])
                at = wall.replace(tzinfo=timezone(side.utcoffset())).astimezone(UTC)
                mistake = (wall, label(side))
            else:
                # zoneinfo's fold=0: a skipped time at the offset before.
                at = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
                mistake = (wall, None)
    else:  # midnight, midnight-gap
        day = instant.astimezone(tz).date()
        if kind == "midnight-gap":
            if not forward:
                kind = "midnight"
            else:
                wall = wall_in(transition, rng, span)
                if wall.hour >= 6 or wall.date() != day:
                    kind = "midnight"
        if kind == "midnight":
            wall = datetime(day.year, day.month, day.day) + timedelta(minutes=rng.randint(0, 6 * 60 - 1))
            if not is_real(tz, wall):
                wall += timedelta(hours=2)
            at = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
        else:
            at = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
        midnight = datetime(day.year, day.month, day.day).replace(tzinfo=tz)
        # The entry before is late on the day before.
        prev = midnight.astimezone(UTC) - timedelta(minutes=rng.randint(1, 100))
        instants = [prev - timedelta(minutes=rng.randint(3, 40)), prev, at, at + timedelta(minutes=rng.randint(20, 90))]
        if kind == "midnight-gap":
            instants[2] = prev + timedelta(minutes=1)  # not checked: stays invalid
            instants[3] = max(instants[3], prev + timedelta(minutes=5))
            remaining = ["timeline-order"]
        entries = [(written(tz, t), k) for t, k in zip(instants, ["trigger", "detected", None, "resolved"])]
        entries[2] = (quote(wall.strftime("%H:%M"), rng), None)
        expect = [t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") for t in instants]
        if kind == "midnight-gap":
            expect[2] = None
        return finish(number, kind, zone, entries, expect, remaining, rng)
    instants = around(tz, at, index, rng)
    entries = []
    for i, t in enumerate(instants):
        k = "trigger" if i == 0 else "resolved" if i == len(instants) - 1 else ("detected" if i == (2 if index == 1 else 1) else None)
        entries.append((written(tz, t), k))
    if mistake is not None and mistake[1] == "human":
        shown = mistake[0]
        before_date = entries[index - 1][0][:10]
        hour12 = shown.hour % 12 or 12
        meridiem = "AM" if shown.hour < 12 else "PM"
        forms = [
            f"{shown:%B} {shown.day}, {shown.year}, {hour12}:{shown:%M} {meridiem}",
            f"{shown.day}{'th' if 4 <= shown.day % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(shown.day % 10, 'th')} {shown:%B %Y %H:%M}",
            f"{shown:%b} {shown.day} {shown.year} {shown:%H%M}",
        ]
        if shown.strftime("%Y-%m-%d") == before_date:
            forms.append(f"{shown:%H%M}")
        entries[index] = (quote(rng.choice(forms), rng), None)
    elif mistake is not None:
        shown, suffix = mistake
        with_date = rng.random() < 0.6
        # A time alone takes the date of the entry before: only when it is that date.
        before_date = entries[index - 1][0][:10]
        if not with_date and shown.strftime("%Y-%m-%d") != before_date:
            with_date = True
        text = shown.strftime("%Y-%m-%d %H:%M" if with_date else "%H:%M")
        if suffix in ("Z",):
            text += "Z"
        elif suffix:
            text += " " + suffix
        if rng.random() < 0.1:
            text = "~" + text
        entries[index] = (quote(text, rng), None)
    expect = [t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") for t in instants]
    return finish(number, kind, zone, entries, expect, remaining, rng)


def finish(number, kind, zone, entries, expect, remaining, rng):
    return {
        "id": f"{number}-{kind}-{zone}",
        "kind": kind,
        "zone": zone,
        "yaml": document(zone, entries, rng),
        "expect": expect,
        "remaining": remaining,
    }


_TRANSITIONS = {}


def transitions_of(zone):
    if zone not in _TRANSITIONS:
        _TRANSITIONS[zone] = transitions(zone)
    return _TRANSITIONS[zone]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    for number in range(args.count):
        wanted = KINDS[number % len(KINDS)]
        for _ in range(50):
            made = case(rng, number, wanted)
            if made["kind"] == wanted:
                break
        json.dump(made, sys.stdout, sort_keys=True)
        sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
