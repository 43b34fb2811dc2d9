#!/usr/bin/env bash
# Benchmark: peak memory (RSS) and wall time of each hostile case of issue 23
# (benches/gen_hostile.py) with the release build, measured with GNU time
# (`/usr/bin/time -v`). Each case must end by itself (no signal, no abort)
# under LIMIT_MB of peak RSS and LIMIT_S seconds; the script prints a table
# and exits 1 when one does not. Every run has `ulimit -v` of 4 GiB, so a
# regression fails here instead of taking the machine.
#
# The time limit is on wall-clock time; on a machine shared with other
# work, CLOCK=cpu judges the CPU time (user + system) instead.
#
# Usage: benches/hostile.sh           (from the repository root)
#        LIMIT_MB=200 LIMIT_S=2 CLOCK=cpu benches/hostile.sh
set -euo pipefail

cd "$(dirname "$0")/.."
LIMIT_MB=${LIMIT_MB:-200}
LIMIT_S=${LIMIT_S:-2}
CLOCK=${CLOCK:-wall}
source benches/measure.sh

python3 benches/gen_hostile.py "$work"

status=0
printf '%-14s %-40s %5s %12s %8s %8s\n' case command exit "peak RSS MB" "wall s" "CPU s"
run() {
    local case=$1; shift
    local dir="$work/$case" log="$work/time.log" code=0
    (cd "$dir" && ulimit -v $((4 * 1024 * 1024)) &&
        /usr/bin/time -v -o "$log" "$bin" -q "$@" >/dev/null 2>"$work/stderr") || code=$?
    # GNU time says "Command terminated by signal N" for a signal.
    if grep -q "terminated by signal" "$log" || [ "$code" -gt 2 ]; then
        echo "$case: $* ended by a signal or exit $code" >&2
        head -c 2000 "$work/stderr" >&2
        status=1
    fi
    read -r kb secs cpu < <(awk -F': ' '/Maximum resident set size/ { kb = $2 }
        /User time/ { cpu += $2 } /System time/ { cpu += $2 }
        /Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = p[n] + (n > 1 ? p[n-1] * 60 : 0) }
        END { printf "%d %.3f %.2f\n", kb, s, cpu }' "$log")
    local mb judged
    mb=$(awk -v k="$kb" 'BEGIN { printf "%.1f", k / 1024 }')
    printf '%-14s %-40s %5s %12s %8s %8s\n' "$case" "$*" "$code" "$mb" "$secs" "$cpu"
    judged=$secs
    [ "$CLOCK" = cpu ] && judged=$cpu
    if awk -v m="$mb" -v s="$judged" -v lm="$LIMIT_MB" -v ls="$LIMIT_S" 'BEGIN { exit !(m > lm || s > ls) }'; then
        echo "$case: $* took ${mb} MB / ${judged} s $CLOCK (limits ${LIMIT_MB} MB / ${LIMIT_S} s)" >&2
        status=1
    fi
}

run xlsx         import big.xlsx
run ods-across   import bomb.ods
run ods-down     import bomb.ods
run ods-spaces   import bomb.ods
run csv-errors   import sheet.csv
run formula      export --format csv --out out.csv
run formula      export --format xlsx --out out.xlsx
run cond-build   lint
run cond-build   status
run cond-build   check
run cond-build   portfolio . --live
run cond-nots    lint
run cond-nots    check
run cond-ands    lint
run cond-filters lint
run orphans-50k  check
run orphans-50k  status -v
run orphans-5k   check
run portfolio    portfolio . --format json
run sgr          status --color always
run sgr          check -v --color always
run logo         report --format html
exit $status
