#!/usr/bin/env bash
# Benchmark: peak memory (RSS) and wall time of `status`, `check` and
# `report` on generated sets of 5,000, 10,000 and 20,000 questions with full
# answers (benches/gen_check.py), measured with GNU time (`/usr/bin/time -v`).
# Prints a table; exits 1 when peak RSS on the largest set is above
# LIMIT_MB, or when doubling the questions more than doubles the growth
# above the smallest set (memory must stay linear and bounded).
#
# Usage: benches/memory.sh           (from the repository root)
#        SIZES="5000 10000 20000" LIMIT_MB=512 benches/memory.sh
set -euo pipefail

cd "$(dirname "$0")/.."
SIZES=${SIZES:-"5000 10000 20000"}
LIMIT_MB=${LIMIT_MB:-512}
source benches/measure.sh

printf '%-8s %9s %12s %10s\n' command questions "peak RSS MB" "wall s"
declare -A rss
for n in $SIZES; do
    dir="$work/q$n"
    python3 benches/gen_check.py "$dir" "$n"
    printf 'checklists: [playbooks]\nanswers: answers.yaml\nreports: reports\n' > "$dir/supportcheck.yaml"
    for cmd in status check report; do
        args=("$cmd")
        [ "$cmd" = report ] && args+=(--format md,json,html)
        read -r kb secs _cpu < <(measure "$dir" "${args[@]}")
        rss[$cmd,$n]=$kb
        printf '%-8s %9d %12.1f %10s\n' "$cmd" "$n" "$(awk -v k="$kb" 'BEGIN { print k / 1024 }')" "$secs"
    done
done

status=0
sizes=($SIZES)
first=${sizes[0]}
last=${sizes[${#sizes[@]}-1]}
for cmd in status check report; do
    mb=$(( ${rss[$cmd,$last]} / 1024 ))
    if [ "$mb" -gt "$LIMIT_MB" ]; then
        echo "$cmd: peak RSS ${mb} MB on $last questions is above ${LIMIT_MB} MB" >&2
        status=1
    fi
    # Growth from the smallest to the largest set, against the growth in questions.
    awk -v a="${rss[$cmd,$first]}" -v b="${rss[$cmd,$last]}" -v qa="$first" -v qb="$last" -v c="$cmd" '
        BEGIN { printf "%s: RSS x%.2f for x%.0f the questions\n", c, b / a, qb / qa
                if (b / a > qb / qa * 1.1) exit 1 }' || status=1
done
exit $status
