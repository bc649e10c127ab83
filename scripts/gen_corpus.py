#!/usr/bin/env python3
"""Writes a reproducible corpus of postmortems for benchmarks.

    scripts/gen_corpus.py OUT_DIR [--count N] [--seed S] [--warnings SHARE]

The same count and seed always give the same files (on the same tzdata).
Files are about 4 KB on average (roughly 2 to 7.5 KB), in a dozen zones with
and without daylight saving, with timelines that cross midnight, use 12-hour
times, explicit offsets and abbreviations. Every file is valid; a share of
them (default 5%) carries warnings (a time in another zone, a missing
milestone, a task without an owner), so that diagnostics are exercised while
`pm check` still exits 0. Standard library only.
"""

import argparse
import datetime as dt
import os
import random
import sys
from zoneinfo import ZoneInfo, available_timezones

IANA_NAMES = available_timezones() | {"UTC", "GMT"}

ZONES = [
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Africa/Lagos",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Australia/Sydney",
    "Pacific/Auckland",
]

SERVICES = [
    "Payments API", "Email notification service", "Search indexer", "Login service",
    "Checkout", "Image CDN", "Order database", "Message queue", "Mobile push gateway",
    "Billing batch jobs", "Internal DNS", "Metrics pipeline", "Webhooks delivery",
]
CAUSES = [
    "a configuration change that lowered the connection pool limit",
    "an expired TLS certificate on the internal load balancer",
    "a slow query introduced by a schema migration",
    "disk exhaustion on the primary database host",
    "a retry storm after a dependency timed out",
    "a feature flag rolled out to all users at once",
    "a memory leak in the new release of the worker",
    "a DNS record removed during a clean-up",
]
WORDS = (
    "the team checked dashboards logs alerts traffic latency errors queue workers "
    "database replicas cache deploy rollback config flag region capacity request "
    "retry timeout connection pool upstream downstream customers support status page "
    "engineers on-call manager incident channel metrics graphs saturation backlog"
).split()
PEOPLE = ["alice", "bob", "chen", "dara", "emeka", "fatima", "gus", "hana", "ivan", "jun"]
TEAMS = ["sre-team", "db-team", "payments-team", "infra-team", "platform-team", "web-team"]
MIDDLE_KINDS = ["action", "action", "action", "misleading", "escalated", "note", "mitigated"]


def sentence(rng, low, high):
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return (" ".join(words)).capitalize() + "."


def paragraph(rng, sentences):
    return " ".join(sentence(rng, 8, 18) for _ in range(sentences))


def block(key, text, indent=""):
    """A `key: |` block, wrapped at about 76 columns."""
    lines, line = [], ""
    for word in text.split():
        if len(line) + len(word) + 1 > 76:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    body = "\n".join(f"{indent}  {l}" for l in lines)
    return f"{indent}{key}: |\n{body}\n"


def is_clean(zone, local):
    """The local time exists and happened once (not in a DST gap or fold)."""
    a = local.replace(tzinfo=zone, fold=0)
    b = local.replace(tzinfo=zone, fold=1)
    if a.utcoffset() != b.utcoffset():
        return False  # fold, or gap (zoneinfo gives different offsets in both)
    round_trip = a.astimezone(dt.timezone.utc).astimezone(zone).replace(tzinfo=None)
    return round_trip == local


def written_time(rng, zone_name, zone, local, prev_date, first):
    """How a timeline entry's time is written; the date only when it changed."""
    need_date = first or local.date() != prev_date
    style = rng.random()
    if need_date or style < 0.15:
        text = local.strftime("%Y-%m-%d %H:%M")
    elif style < 0.35:
        hour = local.hour % 12 or 12
        text = f"{hour}:{local.minute:02d} {'PM' if local.hour >= 12 else 'AM'}"
    else:
        text = local.strftime("%H:%M")
    aware = local.replace(tzinfo=zone)
    suffix = rng.random()
    if zone_name != "UTC" and suffix < 0.08:
        offset = aware.strftime("%z")
        text += f" {offset[:3]}:{offset[3:]}"
    elif suffix < 0.16:
        abbr = aware.tzname() or ""
        # `CET` and `EST` are also IANA zone names, which pm reads as another zone.
        if abbr.isalpha() and abbr not in IANA_NAMES:
            text += f" {abbr}"
    return f'"{text}"'


def postmortem(rng, index, warnings):
    zone_name = rng.choice(ZONES)
    zone = ZoneInfo(zone_name)
    service = rng.choice(SERVICES)
    cause = rng.choice(CAUSES)
    # Spread over years so that many DST rules and dates are met.
    day = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(365 * 6))
    start = dt.datetime.combine(day, dt.time(rng.randrange(24), rng.randrange(60)))
    while not is_clean(zone, start):
        start += dt.timedelta(hours=1)
    size = rng.choice([4, 6, 8, 8, 10, 12, 12, 14, 18, 24])  # timeline entries
    detected = rng.randint(1, 2)
    times = [start]
    t = start
    for _ in range(size - 1):
        t = t + dt.timedelta(minutes=rng.choice([1, 3, 5, 10, 15, 20, 30, 45, 90]))
        while not is_clean(zone, t):
            t += dt.timedelta(minutes=30)
        times.append(t)
    end = times[-1]
    warn = rng.random() < warnings
    warn_kind = rng.choice(["zone", "milestone", "owner"]) if warn else None

    out = []
    out.append(f"# Generated by scripts/gen_corpus.py (postmortem {index}).\n")
    out.append(f"title: {service} degraded by {cause.split(' ', 1)[1]}\n")
    out.append(f"status: {rng.choice(['draft', 'review', 'final', 'final'])}\n")
    out.append(f"severity: SEV{rng.randint(1, 4)}\n")
    out.append("authors:\n" + "".join(f"  - {p}\n" for p in rng.sample(PEOPLE, rng.randint(1, 3))))
    out.append(f"timezone: {zone_name}\n")
    out.append("summary:\n")
    out.append(f"  service: {service}\n")
    out.append(f"  start: {start.strftime('%Y-%m-%d %H:%M')}\n")
    out.append(f"  end: {end.strftime('%Y-%m-%d %H:%M')}\n")
    out.append(f"  impact: {sentence(rng, 10, 20)}\n")
    out.append(f"  affected: {rng.choice([1, 5, 12.5, 30, 50, 100])}\n")
    out.append(f"  cause: {cause.capitalize()}.\n")
    out.append("timeline:\n")
    prev_date = None
    for i, local in enumerate(times):
        if i == 0:
            kind = "trigger"
        elif i == detected:
            kind = "note" if warn_kind == "milestone" else "detected"
        elif i == len(times) - 1:
            kind = "resolved"
        else:
            kind = rng.choice(MIDDLE_KINDS)
        at = written_time(rng, zone_name, zone, local, prev_date, i == 0)
        # The last entry, so that no time alone takes the UTC date after it.
        if warn_kind == "zone" and i == len(times) - 1 and zone_name != "UTC":
            utc = local.replace(tzinfo=zone).astimezone(dt.timezone.utc)
            at = f'"{utc.strftime("%Y-%m-%d %H:%M")}Z"'
        prev_date = local.date()
        out.append(f"  - at: {at}\n    kind: {kind}\n")
        if kind == "detected":
            out.append(f"    how: {rng.choice(['monitoring', 'engineer', 'customer'])}\n")
        if kind == "escalated":
            out.append(f"    to: {rng.choice(TEAMS)}\n")
        out.append(f"    text: {sentence(rng, 6, 22)}\n")
    out.append(block("root_cause", paragraph(rng, rng.randint(2, 6))))
    out.append(block("resolution", paragraph(rng, rng.randint(1, 4))))
    out.append("measures:\n")
    for _ in range(rng.randint(1, 4)):
        out.append(f"  - {sentence(rng, 8, 16)}\n")
    out.append("tasks:\n")
    for i in range(rng.randint(1, 5)):
        out.append(f"  - text: {sentence(rng, 8, 18)}\n")
        if not (warn_kind == "owner" and i == 0):
            out.append(f"    owner: {rng.choice(TEAMS)}\n")
        due = end.date() + dt.timedelta(days=rng.randint(7, 60))
        out.append(f"    due: {due.isoformat()}\n    done: {rng.choice(['true', 'false'])}\n")
    if rng.random() < 0.6:
        out.append("lessons:\n")
        for key in ("went_well", "went_wrong", "lucky"):
            out.append(f"  {key}:\n")
            for _ in range(rng.randint(1, 3)):
                out.append(f"    - {sentence(rng, 6, 14)}\n")
    return "".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out_dir")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--warnings", type=float, default=0.05,
                        help="share of files with warnings (default 0.05)")
    args = parser.parse_args()
    if args.count < 1:
        sys.exit("gen_corpus.py: --count must be at least 1")
    rng = random.Random(args.seed)
    os.makedirs(args.out_dir, exist_ok=True)
    width = len(str(args.count))
    for index in range(1, args.count + 1):
        text = postmortem(rng, index, args.warnings)
        path = os.path.join(args.out_dir, f"pm-{index:0{width}d}.yaml")
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)


if __name__ == "__main__":
    main()
