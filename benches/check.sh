#!/usr/bin/env bash
# Benchmark: `supportcheck check` must grow linearly with the number of
# questions. Generates a 1,000- and a 10,000-question set (benches/gen_check.py),
# each with a full answers file, times `check` on each (best of 5) and prints
# both times and their ratio. Linear growth means a ratio of about 10; the
# requirement is at most ~11. Exits 1 when the ratio is above LIMIT.
#
# Then the same for a team set (gen_check.py --team: owners on every
# question, follow-up actions, required sign-offs) of TEAM_SMALL and
# TEAM_LARGE questions (2,000 and 20,000), timing `check`, `status` and
# `status --by owner`, each with the same limit.
#
# Usage: benches/check.sh            (from the repository root)
#        RUNS=9 LIMIT=11 benches/check.sh
#        CONDITIONS=1 benches/check.sh   (two questions in three carry an applies_if)
#        MEASURE=cpu benches/check.sh   (user + system time, not wall time)
set -euo pipefail

cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
LIMIT=${LIMIT:-11}
SMALL=${SMALL:-1000}
LARGE=${LARGE:-10000}

cargo build --release --quiet
bin="$PWD/target/release/supportcheck"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

TEAM_SMALL=${TEAM_SMALL:-2000}
TEAM_LARGE=${TEAM_LARGE:-20000}

# Best time in seconds (see run_once) of $RUNS runs of a command (default `check`,
# else the words after $1) in $1, after one untimed run so that every timed
# run starts from a warm page cache.
best_of() {
    local dir=$1 best="" t
    shift
    local cmd=(check)
    [ $# -eq 0 ] || cmd=("$@")
    for i in $(seq 0 "$RUNS"); do
        t=$(run_once "$dir" "${cmd[@]}") || exit 2
        [ "$i" -eq 0 ] && continue
        if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
    done
    awk -v ns="$best" 'BEGIN { printf "%.4f", ns / 1e9 }'
}

# One run of the command in $1, in nanoseconds: wall time, or with
# MEASURE=cpu the process's user + system time (steadier on a machine that
# other jobs share).
run_once() {
    local dir=$1 start end times
    shift
    local TIMEFORMAT='%3U %3S'
    start=$(date +%s%N)
    # The gate fails on these sets (exit 1); anything else is a bug.
    times=$( { time (cd "$dir" && "$bin" "$@" --checklists playbooks --answers answers.yaml >/dev/null 2>&1 ||
        [ $? -eq 1 ]); } 2>&1) || { echo "$* failed in $dir" >&2; return 1; }
    end=$(date +%s%N)
    if [ "${MEASURE:-wall}" = cpu ]; then
        awk -v t="$times" 'BEGIN { split(t, a, " "); printf "%d", (a[1] + a[2]) * 1e9 }'
    else
        echo $((end - start))
    fi
}
for n in "$SMALL" "$LARGE"; do
    python3 benches/gen_check.py "$work/q$n" "$n"
done

small=$(best_of "$work/q$SMALL")
large=$(best_of "$work/q$LARGE")
ratio=$(awk -v a="$small" -v b="$large" 'BEGIN { printf "%.2f", b / a }')

printf 'check, %6d questions: %ss (best of %d)\n' "$SMALL" "$small" "$RUNS"
printf 'check, %6d questions: %ss (best of %d)\n' "$LARGE" "$large" "$RUNS"
printf 'ratio: %s× for %d× the questions (limit %s×)\n' "$ratio" $((LARGE / SMALL)) "$LIMIT"
failed=0
if awk -v r="$ratio" -v l="$LIMIT" 'BEGIN { exit !(r > l) }'; then
    echo "not linear: the large set took more than ${LIMIT}× the small one" >&2
    failed=1
fi

for n in "$TEAM_SMALL" "$TEAM_LARGE"; do
    python3 benches/gen_check.py "$work/t$n" "$n" --team
done
for cmd in "check" "status" "status --by owner"; do
    # shellcheck disable=SC2086
    small=$(best_of "$work/t$TEAM_SMALL" $cmd)
    # shellcheck disable=SC2086
    large=$(best_of "$work/t$TEAM_LARGE" $cmd)
    ratio=$(awk -v a="$small" -v b="$large" 'BEGIN { printf "%.2f", b / a }')
    printf 'team %-17s %6d questions: %ss, %6d: %ss, ratio %s× (limit %s×)\n' \
        "$cmd," "$TEAM_SMALL" "$small" "$TEAM_LARGE" "$large" "$ratio" "$LIMIT"
    if awk -v r="$ratio" -v l="$LIMIT" 'BEGIN { exit !(r > l) }'; then
        echo "not linear: team $cmd on the large set took more than ${LIMIT}× the small one" >&2
        failed=1
    fi
done
exit "$failed"
