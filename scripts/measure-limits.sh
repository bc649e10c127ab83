#!/usr/bin/env bash
# Time and peak memory of `pm check` on worst-case input at the size limit
# (1 MiB), for docs/hardening.md. Builds the release binary, writes the
# cases into a temporary folder, and prints one line a case.
#
# Usage: scripts/measure-limits.sh   (needs python3 and GNU time at /usr/bin/time)
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --quiet
target="${CARGO_TARGET_DIR:-target}"
pm="$(realpath "$target/release/pm")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 - "$work" <<'PY'
import sys
from pathlib import Path

work = Path(sys.argv[1])
MIB = 1024 * 1024


def fill(name, head, line, limit=MIB - 64):
    """`head`, then `line(i)` for i = 0, 1, ... while the file stays under 1 MiB."""
    parts, size, i = [head], len(head.encode()), 0
    while True:
        text = line(i) + "\n"
        if size + len(text.encode()) > limit:
            break
        parts.append(text)
        size += len(text.encode())
        i += 1
    (work / name).write_text("".join(parts))


(work / "refused-30mib.yaml").write_text("# padding\n" * (3 * MIB))
fill("unknown-keys.yaml", "", lambda i: f"k{i:06}: v")
fill(
    "bad-abbreviations.yaml",
    "status: final\ntimezone: Europe/London\ntimeline:\n",
    lambda i: f"  - {{at: 2023-{i % 12 + 1:02}-{i % 28 + 1:02} 16:{i % 60:02} QQQ, text: x}}",
)
fill(
    "valid-timeline.yaml",
    "title: Long\nstatus: draft\ntimezone: Europe/London\ntimeline:\n",
    lambda i: f"  - at: 2023-01-01 00:00 +00:00\n    kind: action\n    text: Step {i} of a long incident.",
)
(work / "long-line.yaml").write_text("title: " + "word " * (MIB // 5 - 2) + "\n")
fill(
    "private-keys.yaml",
    "title: |\n",
    lambda i: "  -----BEGIN RSA PRIVATE KEY----- MIIEowIBAAKCAQEAx8Jk2mQp9LzR",
)
fill("deep-block-mapping.yaml", "", lambda i: " " * i + "k:")
fill(
    "secrets.yaml",
    "title: |\n",
    lambda i: f"  key AKIAZ7VRSQ5TLP{i:06} and jane.doe{i}@gmail.com",
)
fill("deep-flow.yaml", "title: ", lambda i: "[" * 1000, limit=MIB // 2)
(work / "deep-flow.yaml").write_text((work / "deep-flow.yaml").read_text() + "]" * (MIB // 2 - 16))
PY
cp tests/hostile/billion-laughs.yaml tests/hostile/merge-key-bomb.yaml "$work/"

printf '%-28s %9s %7s %8s %10s %s\n' case bytes format seconds "peak RSS" findings
for file in "$work"/*.yaml; do
  name="$(basename "$file")"
  for format in json human; do
    /usr/bin/time -f '%e %M' -o "$work/time" "$pm" check --format "$format" "$file" \
      >"$work/out" 2>/dev/null || true
    read -r seconds kib < <(tail -n 1 "$work/time")
    count="$(grep -c '"rule"' "$work/out" || true)"
    [ "$format" = json ] || count="-"
    printf '%-28s %9s %7s %8s %7s MiB %s\n' "$name" "$(stat -c %s "$file")" "$format" \
      "$seconds" "$((kib / 1024))" "$count"
  done
done
# The same 30 MiB through stdin: pm stops reading at the limit.
/usr/bin/time -f '%e %M' -o "$work/time" "$pm" check --format json - \
  <"$work/refused-30mib.yaml" >/dev/null 2>&1 || true
read -r seconds kib < <(tail -n 1 "$work/time")
printf '%-28s %9s %7s %8s %7s MiB %s\n' "refused-30mib (stdin)" \
  "$(stat -c %s "$work/refused-30mib.yaml")" json "$seconds" "$((kib / 1024))" 1
