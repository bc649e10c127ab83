#!/usr/bin/env python3
"""Writes one valid postmortem with a very long timeline, for the size and
memory figures of docs/performance.md (issue 19).

    scripts/gen_big_timeline.py OUT_FILE [--entries N]

Default 100,000 entries (about 12.6 MB), one a minute from 2024-03-01 00:00
UTC. The same N always gives the same bytes. Standard library only. Checking
it needs a larger size limit than the default 1 MiB:

    pm check --max-file-size 16MiB OUT_FILE
"""

import argparse
import datetime as dt

TEXTS = [
    "Error rates on the checkout API were sampled again from the gateway dashboards.",
    "The on-call engineer posted an update and refreshed the status page.",
    "Queue depth on the payment workers was read from the metrics pipeline.",
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out")
    parser.add_argument("--entries", type=int, default=100_000)
    args = parser.parse_args()
    n = max(args.entries, 3)
    start = dt.datetime(2024, 3, 1)
    at = lambda i: (start + dt.timedelta(minutes=i)).strftime("%Y-%m-%d %H:%M")
    out = [
        "title: Checkout latency over many weeks (generated, long timeline)\n",
        "status: final\n",
        "severity: SEV2\n",
        "timezone: UTC\n",
        "summary:\n",
        "  service: Checkout API\n",
        f"  start: {at(0)}\n",
        f"  end: {at(n - 1)}\n",
        "  impact: Checkout requests were slow for a share of customers.\n",
        "  affected: 5%\n",
        "  cause: A slow query introduced by a schema migration.\n",
        "timeline:\n",
    ]
    for i in range(n):
        kind = "detected" if i == 0 else "resolved" if i == n - 1 else "action"
        out.append(f"  - at: {at(i)}\n    kind: {kind}\n")
        if i == 0:
            out.append("    how: monitoring\n")
        out.append(f"    text: {TEXTS[i % len(TEXTS)]}\n")
    out += [
        "root_cause: |\n",
        "  A schema migration added a query without an index on the orders table.\n",
        "resolution: |\n",
        "  The index was added and the query plan checked on a replica first.\n",
        "measures:\n",
        "  - Check query plans of migrations in CI.\n",
        "tasks:\n",
        "  - text: Check query plans of migrations in CI.\n",
        "    owner: db-team\n",
        "    due: 2024-06-01\n",
    ]
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write("".join(out))


if __name__ == "__main__":
    main()
