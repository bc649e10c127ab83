#!/usr/bin/env python3
"""Differential test of pm's time handling against Python's zoneinfo.

zoneinfo (standard library) reading the system's tzdata is the oracle: code
nobody on this project wrote, over data compiled independently of the copy
chrono-tz embeds. For local times around every DST transition from 2000 to
2030 in every zone both know, it decides whether the time is single (one
instant), in a gap (skipped when clocks went forward) or in a fold (shown
twice when they went back), with the instants, offsets and abbreviations,
and pm's `time::resolve_local` (through `cargo run --example tz_oracle`)
must agree on every case.

Where the two tzdata versions differ, only transitions both know are
compared: both must have the same offsets and abbreviations a second before
and at the transition, and a day either side. Anything else is counted and
reported as skipped, never as agreement.

Usage: scripts/tz_oracle.py [--cases N] [--seed S] [--pm CMD...]
Exit 0 when every case agrees, 1 on any disagreement, 2 when it cannot run.
"""

import argparse
import random
import re
import shlex
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import zoneinfo

SYSTEM_ZONEINFO = Path("/usr/share/zoneinfo")
UTC = timezone.utc
FIRST_YEAR, LAST_YEAR = 2000, 2030
# Sampling step when looking for transitions, then bisected to the second.
# Of two changes less than a day apart only one is found, which only means
# one transition fewer to sample from: cases are built from what is found.
STEP = timedelta(days=1)
# Local times tried around each transition, in minutes from the start of
# the gap or fold (the first wall-clock reading affected).
AROUND = (-61, -1, 0, 1, 29, None, None, None)  # None: random within it


def system_tzdata_version():
    """The version line of the system's tzdata.zi, e.g. `2025b`."""
    zi = SYSTEM_ZONEINFO / "tzdata.zi"
    try:
        with zi.open() as f:
            first = f.readline().strip()
    except OSError:
        return "unknown"
    return first.removeprefix("# version ").strip() or "unknown"


class Pm:
    """pm's answers, through the example program, batched over one pipe."""

    def __init__(self, command):
        self.command = command

    def ask(self, queries):
        text = "".join("\t".join(q) + "\n" for q in queries)
        run = subprocess.run(
            self.command, input=text, capture_output=True, text=True, check=False
        )
        if run.returncode != 0:
            sys.exit(f"tz_oracle: `{shlex.join(self.command)}` failed:\n{run.stderr}")
        replies = run.stdout.splitlines()
        if len(replies) != len(queries):
            sys.exit(f"tz_oracle: {len(queries)} queries, {len(replies)} replies")
        for query, reply in zip(queries, replies):
            if reply.startswith("error\t"):
                sys.exit(f"tz_oracle: pm could not answer {query}: {reply}")
        return replies


def utc_text(at):
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def abbreviation(name):
    """A tzdata abbreviation as pm writes it: numeric ones (`-03`, `+0530`),
    which tzdata uses where a place has no letters of its own, as offsets
    (`-03:00`, `+05:30`); letters as they are."""
    match = re.fullmatch(r"([+-])(\d\d)(\d\d)?", name)
    if not match:
        return name
    sign, hours, minutes = match.groups()
    return f"{sign}{hours}:{minutes or '00'}"


def normalized(reply):
    """A reply with its abbreviations written as `abbreviation` does. chrono-tz
    gives some numeric abbreviations as tzdata writes them (`+00`) and others
    not at all, which pm then writes as an offset (`+00:00`)."""
    fields = reply.split("\t")
    positions = {"single": (3,), "fold": (3, 6), "gap": (3, 5)}.get(fields[0], (1,))
    for i in positions:
        if i < len(fields):
            fields[i] = abbreviation(fields[i])
    return "\t".join(fields)


def reading(zone, at):
    """`offset<TAB>abbreviation` in effect in `zone` at the instant `at`."""
    local = at.astimezone(zone)
    return f"{int(local.utcoffset().total_seconds())}\t{abbreviation(local.tzname())}"


def transitions(zone):
    """Instants where the zone's offset or abbreviation changes, 2000-2030."""
    found = []
    at = datetime(FIRST_YEAR, 1, 1, tzinfo=UTC)
    end = datetime(LAST_YEAR + 1, 1, 1, tzinfo=UTC)
    before = reading(zone, at)
    while at < end:
        later = at + STEP
        after = reading(zone, later)
        if after != before:
            lo, hi = at, later
            while hi - lo > timedelta(seconds=1):
                mid = lo + (hi - lo) / 2
                mid = mid.replace(microsecond=0)
                if reading(zone, mid) == before:
                    lo = mid
                else:
                    hi = mid
            found.append(hi)
        at, before = later, after
    return found


def oracle(zone, local):
    """zoneinfo's verdict on a local time, in the example program's format."""
    dt0 = local.replace(tzinfo=zone, fold=0)
    dt1 = local.replace(tzinfo=zone, fold=1)
    u0, u1 = dt0.astimezone(UTC), dt1.astimezone(UTC)
    back0 = u0.astimezone(zone).replace(tzinfo=None)
    back1 = u1.astimezone(zone).replace(tzinfo=None)
    if back0 != local and back1 != local:
        return None  # a gap: the caller knows its transition
    if u0 == u1:
        return f"single\t{utc_text(u0)}\t{reading(zone, u0)}"
    earlier, later = sorted((u0, u1))
    return f"fold\t{utc_text(earlier)}\t{reading(zone, earlier)}\t{utc_text(later)}\t{reading(zone, later)}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=4000, help="about how many cases")
    parser.add_argument("--seed", type=int, default=7, help="seed for the choice of cases")
    parser.add_argument(
        "--pm",
        nargs=argparse.REMAINDER,
        default=["cargo", "run", "--quiet", "--example", "tz_oracle"],
        help="command that runs the example (default: cargo run --quiet --example tz_oracle)",
    )
    args = parser.parse_args()

    if not (SYSTEM_ZONEINFO / "Europe" / "London").exists():
        sys.exit(f"tz_oracle: no system tzdata in {SYSTEM_ZONEINFO} (install the tzdata package)")
    # The system's tzdata only: never the `tzdata` Python package.
    zoneinfo.reset_tzpath([str(SYSTEM_ZONEINFO)])

    pm = Pm(args.pm)
    (pm_version,) = pm.ask([("version",)])
    system_version = system_tzdata_version()
    print(f"tzdata: chrono-tz (pm) {pm_version}, system (zoneinfo) {system_version}")
    if pm_version != system_version:
        print("tzdata versions differ: comparing only transitions both know")

    (pm_zones,) = pm.ask([("zones",)])
    system_zones = zoneinfo.available_timezones()
    names = sorted(set(pm_zones.split("\t")) & system_zones)
    names = [n for n in names if not n.startswith(("posix/", "right/", "SystemV/"))]

    # Every transition, then a seeded sample of them: a few thousand cases.
    rng = random.Random(args.seed)
    found = []
    for name in names:
        zone = zoneinfo.ZoneInfo(name)
        found.extend((name, zone, t) for t in transitions(zone))
    # One transition per zone and rule is plenty: zones that share rules
    # (Europe/*) would otherwise dominate the sample.
    rng.shuffle(found)
    chosen = found[: max(1, args.cases // len(AROUND))]
    chosen.sort(key=lambda c: (c[0], c[2]))

    # Which transitions does pm's tzdata know the same way?
    probes = []
    for name, zone, t in chosen:
        for at in (t - timedelta(days=1), t - timedelta(seconds=1), t, t + timedelta(days=1)):
            probes.append(("offset", name, utc_text(at)))
    replies = iter(pm.ask(probes))
    known = []
    skipped_transitions = 0
    for name, zone, t in chosen:
        agree = True
        for at in (t - timedelta(days=1), t - timedelta(seconds=1), t, t + timedelta(days=1)):
            if normalized(next(replies)) != reading(zone, at):
                agree = False
        if agree:
            known.append((name, zone, t))
        else:
            skipped_transitions += 1

    # The cases: local times at and around the first affected reading.
    cases = []
    for name, zone, t in known:
        before = (t - timedelta(seconds=1)).astimezone(zone).utcoffset()
        after = t.astimezone(zone).utcoffset()
        width = abs(after - before)
        # The first wall-clock reading in the gap (forward) or fold (back).
        first = (t.astimezone(UTC) + min(before, after)).replace(tzinfo=None)
        if after == before:
            width = timedelta(minutes=60)  # only the abbreviation changed
        for minutes in AROUND:
            if minutes is None:
                minutes = rng.randrange(0, max(1, int(width.total_seconds() // 60)))
            local = first + timedelta(minutes=minutes)
            cases.append((name, zone, t, local))

    queries = [("resolve", name, local.strftime("%Y-%m-%dT%H:%M:%S")) for name, _, _, local in cases]
    answers = pm.ask(queries)
    agreed, disagreed = 0, []
    kinds = {"single": 0, "gap": 0, "fold": 0}
    for (name, zone, t, local), reply in zip(cases, answers):
        got = normalized(reply)
        want = oracle(zone, local)
        if want is None:
            # In a gap: the transition, with the readings either side.
            before = t - timedelta(seconds=1)
            want = f"gap\t{utc_text(t)}\t{reading(zone, before)}\t{reading(zone, t)}"
        kinds[want.split("\t")[0]] += 1
        if got == want:
            agreed += 1
        else:
            disagreed.append(f"{name} {local:%Y-%m-%d %H:%M}:\n  zoneinfo {want}\n  pm       {got}")

    print(
        f"zones: {len(names)}; transitions 2000-{LAST_YEAR}: {len(found)}, "
        f"sampled {len(chosen)}, skipped (tzdata differs) {skipped_transitions}"
    )
    print(
        f"cases: {len(cases)} ({kinds['single']} single, {kinds['gap']} in a gap, "
        f"{kinds['fold']} in a fold): {agreed} agree, {len(disagreed)} disagree"
    )
    for line in disagreed[:20]:
        print(line)
    if disagreed:
        return 1
    # Skips are for tzdata that differs, a handful of zones at most; many
    # would hide a real disagreement behind "tzdata differs".
    if skipped_transitions > len(chosen) // 20:
        print(f"tz_oracle: {skipped_transitions} of {len(chosen)} transitions skipped, more than 5%")
        return 1
    if len(cases) < 1000:
        print("tz_oracle: too few cases to mean anything")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
