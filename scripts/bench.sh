#!/usr/bin/env bash
# Times pm against what users would otherwise run on postmortems in CI
# (check-jsonschema with a trivial schema, yamllint), prints the ratios, the
# peak memory of `pm check`, instruction counts (callgrind, when valgrind is
# installed), and the criterion ratio of validation over parsing. Method and figures: docs/performance.md.
#
#   scripts/bench.sh [--count N] [--big N] [--seed S] [--no-criterion] [--quick]
#
#   --count N       postmortems in the corpus that is timed (default 1000)
#   --big N         a second corpus for peak memory only (default 10000; 0 skips)
#   --seed S        corpus seed (default 8): same seed, same files
#   --no-criterion  skip `cargo bench` (validation over parsing, render)
#   --quick         a smoke run: 20 files, no big corpus, no criterion, 2 runs
#
# Installs what it lacks: hyperfine and time with apt-get (as root), and
# check-jsonschema and yamllint, pinned, in a venv under the target folder.
# `pm render -o DIR` and `pm index` are timed against `pm check` when this pm
# has them; PM_BENCH_RENDER and PM_BENCH_INDEX override their command lines,
# with {corpus} and {out} standing for the corpus and an output folder.
set -euo pipefail
cd "$(dirname "$0")/.."

count=1000 big=10000 seed=8 criterion=1 min_runs=3 rounds=5
while (($#)); do
    case $1 in
        --count) count=$2; shift ;;
        --big) big=$2; shift ;;
        --seed) seed=$2; shift ;;
        --no-criterion) criterion=0 ;;
        --quick) count=20 big=0 criterion=0 min_runs=2 rounds=2 ;;
        -h | --help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
        *) echo "bench.sh: unknown option \`$1\` (see --help)" >&2; exit 2 ;;
    esac
    shift
done

# Pinned so that figures from two runs compare.
CHECK_JSONSCHEMA=check-jsonschema==0.39.0
YAMLLINT=yamllint==1.38.0

target=${CARGO_TARGET_DIR:-$PWD/target}
work=$target/bench
venv=$target/bench-venv
mkdir -p "$work"
summary=$work/summary.txt
: >"$summary"
say() { printf '%s\n' "$*" >>"$summary"; }
step() { printf '\n==> %s\n' "$*" >&2; }

need_apt() { # command, Debian package
    command -v "$1" >/dev/null && return
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
        step "installing $2 (apt-get)"
        apt-get install -y -qq "$2" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$2" >/dev/null; }
    else
        echo "bench.sh: needs \`$1\`: apt-get install $2" >&2
        exit 2
    fi
}
need_apt hyperfine hyperfine
need_apt /usr/bin/time time

if [[ ! -x $venv/bin/yamllint || ! -f $venv/.pinned-$CHECK_JSONSCHEMA-$YAMLLINT ]]; then
    step "installing $CHECK_JSONSCHEMA and $YAMLLINT in $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check "$CHECK_JSONSCHEMA" "$YAMLLINT"
    touch "$venv/.pinned-$CHECK_JSONSCHEMA-$YAMLLINT"
fi

step "cargo build --release"
cargo build --release --quiet
pm=$target/release/pm

corpus() { # count -> folder, generated once per count and seed
    local dir=$work/corpus-$1-seed$seed
    if [[ ! -f $dir/.complete ]]; then
        step "generating $1 postmortems in $dir"
        rm -rf "$dir"
        python3 scripts/gen_corpus.py "$dir" --count "$1" --seed "$seed"
        touch "$dir/.complete"
    fi
    printf '%s' "$dir"
}
dir=$(corpus "$count")
files=("$dir"/*.yaml)
mapfile -t by_size < <(ls -S "$dir"/*.yaml)
one=${by_size[${#by_size[@]} / 2]} # the median-sized file
echo '{"type": "object"}' >"$work/schema.json"

# Every postmortem of the corpus is valid: pm must exit 0 (warnings allowed),
# or the timings would be of a failing run.
PM_TODAY=2026-01-01 "$pm" check "$dir" >/dev/null

q() { printf '%q ' "$@"; }
hf() { # json name, then hyperfine arguments
    local json=$work/$1.json
    shift
    hyperfine -N --style basic --warmup 1 --min-runs "$min_runs" --export-json "$json" "$@" >&2
}
median() { # json, command index
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]["median"])' "$1" "$2"
}
ratio() { python3 -c 'import sys; print(f"{float(sys.argv[1]) / float(sys.argv[2]):.1f}")' "$1" "$2"; }
ms() { python3 -c 'import sys; t = float(sys.argv[1]); print(f"{t:.2f} s" if t >= 1 else f"{t * 1000:.1f} ms")' "$1"; }

export PM_TODAY=2026-01-01
say "pm performance, $(date -u +%Y-%m-%d), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
say "load before: $(uptime | sed 's/.*load average/load average/')"
size=$(du -sb --exclude=.complete "$dir" | cut -f1)
say "corpus: $count files, $((size / count)) bytes on average, seed $seed"

step "many files: $count"
hf many --max-runs 30 \
    -n "pm check" "$(q "$pm" check "$dir")" \
    -n "check-jsonschema" "$(q "$venv/bin/check-jsonschema" --schemafile "$work/schema.json" "${files[@]}")" \
    -n "yamllint" "$(q "$venv/bin/yamllint" -d relaxed "${files[@]}")"
pm_many=$(median "$work/many.json" 0)
say ""
say "many files ($count), medians:"
say "  pm check          $(ms "$pm_many")"
say "  check-jsonschema  $(ms "$(median "$work/many.json" 1)")  = $(ratio "$(median "$work/many.json" 1)" "$pm_many") x pm (target >= 50)"
say "  yamllint          $(ms "$(median "$work/many.json" 2)")  = $(ratio "$(median "$work/many.json" 2)" "$pm_many") x pm"

# The machine's speed drifts over the half minute that check-jsonschema's
# runs take, so the ratio is measured again in rounds: each round times pm
# and then check-jsonschema once, seconds apart, and the ratio is that
# round's. The median of the rounds' ratios is the steadier figure.
step "many files, paired rounds: $rounds"
ratios=()
for ((r = 1; r <= rounds; r++)); do
    hyperfine -N --style none --warmup 1 --runs 5 --export-json "$work/round-pm.json" "$(q "$pm" check "$dir")" >&2
    hyperfine -N --style none --runs 1 --export-json "$work/round-cjs.json" \
        "$(q "$venv/bin/check-jsonschema" --schemafile "$work/schema.json" "${files[@]}")" >&2
    ratios+=("$(ratio "$(median "$work/round-cjs.json" 0)" "$(median "$work/round-pm.json" 0)")")
done
say "  paired rounds, check-jsonschema / pm check: ${ratios[*]}; median $(printf '%s\n' "${ratios[@]}" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }') x"

step "one file: $one"
hf one --max-runs 100 \
    -n "pm check" "$(q "$pm" check "$one")" \
    -n "check-jsonschema" "$(q "$venv/bin/check-jsonschema" --schemafile "$work/schema.json" "$one")" \
    -n "yamllint" "$(q "$venv/bin/yamllint" -d relaxed "$one")"
pm_one=$(median "$work/one.json" 0)
say ""
say "one file ($(wc -c <"$one") bytes), medians:"
say "  pm check          $(ms "$pm_one")"
say "  check-jsonschema  $(ms "$(median "$work/one.json" 1)")  = $(ratio "$(median "$work/one.json" 1)" "$pm_one") x pm (target >= 50)"
say "  yamllint          $(ms "$(median "$work/one.json" 2)")  = $(ratio "$(median "$work/one.json" 2)" "$pm_one") x pm"

step "peak memory"
peak() { # args -> peak RSS in MB
    /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ { printf "%.1f MB", $2 / 1024 }'
}
say ""
say "peak RSS of pm check (target < 50 MB):"
row() { say "$(printf '  %-13s %s' "$1" "$2")"; }
row "1 file" "$(peak "$pm" check "$one")"
row "$count files" "$(peak "$pm" check "$dir")"
if ((big > 0)); then
    big_dir=$(corpus "$big")
    row "$big files" "$(peak "$pm" check "$big_dir")"
fi

# Render and index, when this pm has them: each under 3x `pm check`.
has() { "$pm" "$1" --help >/dev/null 2>&1; }
out=$work/out
rm -rf "$out" "$out".* # left by an interrupted run
cat >"$work/aside.sh" <<'EOF'
if [[ -e $1 ]]; then mv -- "$1" "$(mktemp -u "$1.XXXXXXXX")"; fi
EOF
fill() { local t=${1//\{corpus\}/$dir}; printf '%s' "${t//\{out\}/$out}"; }
say ""
for sub in render index; do
    if ! has "$sub"; then
        say "pm $sub: not in this pm, skipped"
        continue
    fi
    if [[ $sub == render ]]; then
        template="$(q "$pm") render {corpus} -o {out}"
        template=${PM_BENCH_RENDER:-$template}
    else
        template="$(q "$pm") index {corpus}"
        template=${PM_BENCH_INDEX:-$template}
    fi
    command=$(fill "$template")
    step "pm $sub: $command"
    # Each run writes into a fresh folder: the last run's output is moved
    # aside, not deleted. Deleting and recreating a thousand files before
    # every run makes ext4 without a journal (this machine's) scan its
    # recently deleted inodes at every file created, which would time the
    # filesystem, not pm. The moved-aside folders go at the end.
    hf "$sub" --max-runs 30 \
        --prepare "$(q bash "$work/aside.sh" "$out")" \
        -n "pm check" "$(q "$pm" check "$dir")" \
        -n "pm $sub" "$command"
    say "pm $sub over $count files: $(ms "$(median "$work/$sub.json" 1)") = $(ratio "$(median "$work/$sub.json" 1)" "$(median "$work/$sub.json" 0)") x pm check (target < 3)"
done
rm -rf "$out" "$out".*

# Instruction counts (callgrind): steady on a noisy machine, where times are
# not. Each is one run of the release binary, dynamic loading included.
if command -v valgrind >/dev/null; then
    step "instruction counts (callgrind)"
    instr() { # args -> instructions, as "12.3 M"
        local out=$work/callgrind.out
        valgrind --tool=callgrind --callgrind-out-file="$out" "$@" 2>&1 >/dev/null |
            awk '/Collected :/ { printf "%.2f M", $NF / 1e6 }'
        rm -f "$out"
    }
    say ""
    say "instructions (callgrind; targets from issue 19: <= 3.5 M for one file, <= 1.1 M a file over $count):"
    for example in examples/*.yaml; do
        row "$(basename "$example")" "$(instr "$pm" check "$example")"
    done
    row "median corpus file" "$(instr "$pm" check "$one")"
    total=$(instr "$pm" check "$dir")
    say "$(printf '  %-13s %s, %s a file' "$count files" "$total" \
        "$(python3 -c 'import sys; print(f"{float(sys.argv[1]) / int(sys.argv[2]):.2f} M")' "${total% M}" "$count")")"
    row "render one" "$(instr "$pm" render examples/email-notification-outage.yaml)"
else
    say ""
    say "instruction counts: valgrind not installed (apt-get install valgrind), skipped"
fi

if ((criterion)); then
    estimate() { python3 -c 'import json,sys; print("%.1f" % (json.load(open(sys.argv[1]))["median"]["point_estimate"] / 1000))' "$target/criterion/one/$1/new/estimates.json"; }
    over() { python3 -c 'import sys; print(f"{(float(sys.argv[2]) / float(sys.argv[1]) - 1) * 100:+.0f}%")' "$1" "$2"; }
    # Parse and check are measured one after the other, in several rounds:
    # the machine's speed can change between two benchmarks, and the ratio
    # of one round is the ratio of two neighbouring measurements.
    say ""
    say "one postmortem (criterion medians; check = parse, decode, resolve, rules):"
    overs=()
    for ((r = 1; r <= rounds; r++)); do
        step "cargo bench --bench check -- one/ (round $r of $rounds)"
        cargo bench --quiet --bench check -- one/ --warm-up-time 1 --measurement-time 3 >&2
        parse=$(estimate parse) check=$(estimate check)
        overs+=("$(over "$parse" "$check")")
        say "  round $r: parse $parse us, check $check us: ${overs[-1]}"
    done
    say "  validation and diagnostics over parsing, median of the rounds: $(printf '%s\n' "${overs[@]}" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }') (target <= +25%)"
    step "cargo bench --bench render"
    cargo bench --quiet --bench render >&2
    say "  render (criterion medians): readme $(estimate render_readme) us, sre $(estimate render_sre) us, brief $(estimate render_brief) us; loading the templates $(estimate load_templates) us"
fi

say ""
say "load after: $(uptime | sed 's/.*load average/load average/')"
echo >&2
cat "$summary"
echo "(saved in $summary; hyperfine's JSON in $work)" >&2
