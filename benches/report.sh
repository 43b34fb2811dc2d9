#!/usr/bin/env bash
# Benchmark: `report` on 50,000 questions (benches/gen_check.py), and the
# history of a reports folder with 10 versions of 80,000 questions.
# Measured with GNU time (`/usr/bin/time -v`), release build, each run
# RUNS times; prints every run and the best, with the machine load
# (`uptime`) before each block, since the machine may be shared.
#
# Targets (issue 12 and issue 17):
#   report, 50,000 questions, md,json,html: < 1.5 s wall, < 200 MB peak RSS
#   history --verify, 10 versions of 80,000 questions: < 3 s
#   report v10 costs what v1 costs; `history` reads no report (index only)
# Exits 1 when a best run misses a target.
#
# Usage: benches/report.sh          (from the repository root)
#        RUNS=3 QUESTIONS=50000 HISTORY_QUESTIONS=80000 benches/report.sh
set -euo pipefail

cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
QUESTIONS=${QUESTIONS:-50000}
HISTORY_QUESTIONS=${HISTORY_QUESTIONS:-80000}
source benches/measure.sh

# Runs a command RUNS times (with `prepare` before each) and prints each
# run; sets BEST_S and BEST_MB to the best wall time and peak RSS.
best_of() {
    local label=$1 dir=$2 prepare=$3; shift 3
    BEST_S=999999; BEST_MB=999999
    echo "load: $(uptime | sed 's/.*load average: //')"
    for i in $(seq "$RUNS"); do
        (cd "$dir" && eval "$prepare")
        read -r kb s cpu < <(measure "$dir" "$@")
        mb=$(awk -v k="$kb" 'BEGIN { printf "%.1f", k / 1024 }')
        printf '  %-28s run %d: %6.2f s %8.1f MB  (CPU %5.2f s)\n' "$label" "$i" "$s" "$mb" "$cpu"
        BEST_S=$(awk -v a="$s" -v b="$BEST_S" 'BEGIN { print (a < b ? a : b) }')
        BEST_MB=$(awk -v a="$mb" -v b="$BEST_MB" 'BEGIN { print (a < b ? a : b) }')
    done
    printf '  %-28s best:  %6.2f s %8.1f MB\n' "$label" "$BEST_S" "$BEST_MB"
}

status=0
check() { # check <what> <value> <limit>
    if awk -v v="$2" -v l="$3" 'BEGIN { exit !(v >= l) }'; then
        echo "MISSED: $1 is $2, target < $3" >&2
        status=1
    fi
}

dir="$work/q$QUESTIONS"
python3 benches/gen_check.py "$dir" "$QUESTIONS"
printf 'checklists: [playbooks]\nanswers: answers.yaml\nreports: reports\n' > "$dir/supportcheck.yaml"
echo "report, $QUESTIONS questions, --format md,json,html"
best_of "report" "$dir" "rm -rf reports" report --format md,json,html
check "report wall seconds" "$BEST_S" 1.5
check "report peak RSS MB" "$BEST_MB" 200

dir="$work/h$HISTORY_QUESTIONS"
python3 benches/gen_check.py "$dir" "$HISTORY_QUESTIONS"
printf 'checklists: [playbooks]\nanswers: answers.yaml\nreports: reports\n' > "$dir/supportcheck.yaml"
echo "10 versions of $HISTORY_QUESTIONS questions"
for v in $(seq 10); do
    read -r kb s cpu < <(measure "$dir" report)
    mb=$(awk -v k="$kb" 'BEGIN { printf "%.1f", k / 1024 }')
    printf '  report v%-2d %6.2f s %8.1f MB  (CPU %5.2f s)\n' "$v" "$s" "$mb" "$cpu"
    [ "$v" -eq 1 ] && first=$cpu
    last=$cpu
done
# Report's cost does not grow with the versions (CPU time; 20% and 0.3 s of
# noise allowed).
check "report v10 CPU seconds (v1: $first)" "$last" "$(awk -v f="$first" 'BEGIN { print f * 1.2 + 0.3 }')"
best_of "history --verify" "$dir" ":" history --verify
check "history --verify wall seconds" "$BEST_S" 3
best_of "history" "$dir" ":" history
# `history` reads the index only: far below the cost of reading one report.
check "history wall seconds" "$BEST_S" 0.5
exit $status
