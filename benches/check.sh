#!/usr/bin/env bash
# Benchmark: `supportcheck check` must grow linearly with the number of
# questions. Generates a 1,000- and a 10,000-question set (benches/gen_check.py),
# each with a full answers file, times `check` on each (best of 5) and prints
# both times and their ratio. Linear growth means a ratio of about 10; the
# requirement is at most ~11. Exits 1 when the ratio is above LIMIT.
#
# Usage: benches/check.sh            (from the repository root)
#        RUNS=9 LIMIT=11 benches/check.sh
#        CONDITIONS=1 benches/check.sh   (two questions in three carry an applies_if)
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

# Best wall time in seconds of $RUNS runs of `check` in $1, after one
# untimed run so that every timed run starts from a warm page cache.
best_of() {
    local dir=$1 best="" start end t
    for i in $(seq 0 "$RUNS"); do
        start=$(date +%s%N)
        # The gate fails on these sets (exit 1); anything else is a bug.
        (cd "$dir" && "$bin" check --checklists playbooks --answers answers.yaml >/dev/null) ||
            [ $? -eq 1 ] || { echo "check failed in $dir" >&2; exit 2; }
        end=$(date +%s%N)
        [ "$i" -eq 0 ] && continue
        t=$((end - start))
        if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
    done
    awk -v ns="$best" 'BEGIN { printf "%.4f", ns / 1e9 }'
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
if awk -v r="$ratio" -v l="$LIMIT" 'BEGIN { exit !(r > l) }'; then
    echo "not linear: the large set took more than ${LIMIT}× the small one" >&2
    exit 1
fi
